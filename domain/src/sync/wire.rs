//! The automerge-repo wire protocol (version "1"): CBOR maps with a `type`
//! key, the same bytes `@automerge/automerge-repo` peers exchange, so any
//! automerge-repo client can talk to the server. One message type is ours:
//! `dl-refused`, telling a client which of its changes the server refused
//! and why; automerge-repo peers ignore types they do not know.

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::DomainError;

pub const PROTOCOL_VERSION: &str = "1";
/// Nested maps deeper than this are refused rather than walked.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// First message of a client: who it is and where it keeps documents.
    Join {
        sender_id: String,
        storage_id: Option<String>,
        protocol_versions: Vec<String>,
    },
    /// The server's answer to `Join`.
    Peer {
        sender_id: String,
        target_id: String,
        storage_id: Option<String>,
    },
    /// Asks for a document the sender does not have yet.
    Request {
        sender_id: String,
        target_id: String,
        document_id: String,
        data: Vec<u8>,
    },
    /// One Automerge sync message for one document.
    Sync {
        sender_id: String,
        target_id: String,
        document_id: String,
        data: Vec<u8>,
    },
    /// The document does not exist or the sender may not read it (one answer
    /// for both, so its existence does not leak).
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: String,
    },
    /// Changes the server refused: the client keeps them flagged, never relayed.
    Refused {
        sender_id: String,
        target_id: String,
        document_id: String,
        changes: Vec<[u8; 32]>,
        reason_zh: String,
        reason_en: String,
    },
    Error {
        message: String,
    },
    /// A type this side does not handle (ephemeral, heads-changed, …).
    Other {
        kind: String,
    },
}

impl Message {
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing to a Vec cannot fail; the result type only says so generically.
        let _ = write(&mut e, self);
        e.into_writer()
    }

    pub fn decode(bytes: &[u8]) -> Result<Message, DomainError> {
        read(&mut Decoder::new(bytes)).map_err(|e| DomainError::BadMessage(e.to_string()))
    }

    pub fn document_id(&self) -> Option<&str> {
        match self {
            Message::Request { document_id, .. }
            | Message::Sync { document_id, .. }
            | Message::DocUnavailable { document_id, .. }
            | Message::Refused { document_id, .. } => Some(document_id),
            _ => None,
        }
    }
}

type EncodeResult = Result<(), minicbor::encode::Error<std::convert::Infallible>>;

fn write(e: &mut Encoder<Vec<u8>>, message: &Message) -> EncodeResult {
    match message {
        Message::Join { sender_id, storage_id, protocol_versions } => {
            e.map(4)?.str("type")?.str("join")?.str("senderId")?.str(sender_id)?;
            e.str("supportedProtocolVersions")?.array(protocol_versions.len() as u64)?;
            for v in protocol_versions {
                e.str(v)?;
            }
            e.str("peerMetadata")?;
            peer_metadata(e, storage_id.as_deref())
        }
        Message::Peer { sender_id, target_id, storage_id } => {
            e.map(5)?.str("type")?.str("peer")?.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?.str("selectedProtocolVersion")?.str(PROTOCOL_VERSION)?;
            e.str("peerMetadata")?;
            peer_metadata(e, storage_id.as_deref())
        }
        Message::Request { sender_id, target_id, document_id, data }
        | Message::Sync { sender_id, target_id, document_id, data } => {
            let kind = if matches!(message, Message::Request { .. }) { "request" } else { "sync" };
            e.map(5)?.str("type")?.str(kind)?;
            addressed(e, sender_id, target_id, document_id)?;
            e.str("data")?.bytes(data)?;
            Ok(())
        }
        Message::DocUnavailable { sender_id, target_id, document_id } => {
            e.map(4)?.str("type")?.str("doc-unavailable")?;
            addressed(e, sender_id, target_id, document_id)
        }
        Message::Refused { sender_id, target_id, document_id, changes, reason_zh, reason_en } => {
            e.map(7)?.str("type")?.str("dl-refused")?;
            addressed(e, sender_id, target_id, document_id)?;
            e.str("changes")?.array(changes.len() as u64)?;
            for hash in changes {
                e.bytes(hash)?;
            }
            e.str("reasonZh")?.str(reason_zh)?.str("reasonEn")?.str(reason_en)?;
            Ok(())
        }
        Message::Error { message } => {
            e.map(2)?.str("type")?.str("error")?.str("message")?.str(message)?;
            Ok(())
        }
        Message::Other { kind } => {
            e.map(1)?.str("type")?.str(kind)?;
            Ok(())
        }
    }
}

fn peer_metadata(e: &mut Encoder<Vec<u8>>, storage_id: Option<&str>) -> EncodeResult {
    match storage_id {
        Some(id) => e.map(2)?.str("storageId")?.str(id)?.str("isEphemeral")?.bool(false)?,
        None => e.map(1)?.str("isEphemeral")?.bool(true)?,
    };
    Ok(())
}

fn addressed(e: &mut Encoder<Vec<u8>>, sender_id: &str, target_id: &str, document_id: &str) -> EncodeResult {
    e.str("senderId")?.str(sender_id)?.str("targetId")?.str(target_id)?.str("documentId")?.str(document_id)?;
    Ok(())
}

/// The fields of any message, read in one pass whatever their order.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    document_id: Option<String>,
    data: Option<Vec<u8>>,
    storage_id: Option<String>,
    versions: Vec<String>,
    changes: Vec<[u8; 32]>,
    reason_zh: Option<String>,
    reason_en: Option<String>,
    message: Option<String>,
}

fn read(d: &mut Decoder<'_>) -> Result<Message, minicbor::decode::Error> {
    let mut f = Fields::default();
    for_each_entry(d, 0, |d, key| {
        match key {
            "type" => f.kind = Some(d.str()?.to_string()),
            "senderId" => f.sender_id = Some(d.str()?.to_string()),
            "targetId" => f.target_id = Some(d.str()?.to_string()),
            "documentId" => f.document_id = Some(d.str()?.to_string()),
            "data" => f.data = Some(bytes(d)?.to_vec()),
            "message" => f.message = Some(d.str()?.to_string()),
            "reasonZh" => f.reason_zh = Some(d.str()?.to_string()),
            "reasonEn" => f.reason_en = Some(d.str()?.to_string()),
            "supportedProtocolVersions" => f.versions = strings(d)?,
            "changes" => f.changes = hashes(d)?,
            "peerMetadata" => {
                for_each_entry(d, 1, |d, key| {
                    match (key, d.datatype()?) {
                        ("storageId", Type::String) => f.storage_id = Some(d.str()?.to_string()),
                        _ => d.skip()?,
                    }
                    Ok(())
                })?;
            }
            _ => d.skip()?,
        }
        Ok(())
    })?;
    let kind = f.kind.clone().ok_or_else(|| missing("type"))?;
    let sender = || f.sender_id.clone().ok_or_else(|| missing("senderId"));
    let target = || f.target_id.clone().ok_or_else(|| missing("targetId"));
    let document = || f.document_id.clone().ok_or_else(|| missing("documentId"));
    let data = || f.data.clone().ok_or_else(|| missing("data"));
    Ok(match kind.as_str() {
        "join" => Message::Join { sender_id: sender()?, storage_id: f.storage_id, protocol_versions: f.versions },
        "peer" => Message::Peer { sender_id: sender()?, target_id: target()?, storage_id: f.storage_id },
        "request" => {
            Message::Request { sender_id: sender()?, target_id: target()?, document_id: document()?, data: data()? }
        }
        "sync" => Message::Sync { sender_id: sender()?, target_id: target()?, document_id: document()?, data: data()? },
        "doc-unavailable" => {
            Message::DocUnavailable { sender_id: sender()?, target_id: target()?, document_id: document()? }
        }
        "dl-refused" => Message::Refused {
            sender_id: sender()?,
            target_id: target()?,
            document_id: document()?,
            changes: f.changes,
            reason_zh: f.reason_zh.unwrap_or_default(),
            reason_en: f.reason_en.unwrap_or_default(),
        },
        "error" => Message::Error { message: f.message.unwrap_or_default() },
        _ => Message::Other { kind },
    })
}

fn missing(field: &'static str) -> minicbor::decode::Error {
    minicbor::decode::Error::message(format!("missing field {field}"))
}

/// Calls `entry` for each key of a definite-length map with string keys.
fn for_each_entry<'b>(
    d: &mut Decoder<'b>,
    depth: usize,
    mut entry: impl FnMut(&mut Decoder<'b>, &str) -> Result<(), minicbor::decode::Error>,
) -> Result<(), minicbor::decode::Error> {
    if depth > MAX_DEPTH {
        return Err(minicbor::decode::Error::message("nested too deeply"));
    }
    let len = d.map()?.ok_or_else(|| minicbor::decode::Error::message("indefinite map"))?;
    for _ in 0..len {
        let key = d.str()?;
        entry(d, key)?;
    }
    Ok(())
}

/// A byte string, also when a JavaScript encoder tagged it as a typed array.
fn bytes<'b>(d: &mut Decoder<'b>) -> Result<&'b [u8], minicbor::decode::Error> {
    if d.datatype()? == Type::Tag {
        d.tag()?;
    }
    d.bytes()
}

fn strings(d: &mut Decoder<'_>) -> Result<Vec<String>, minicbor::decode::Error> {
    let len = d.array()?.ok_or_else(|| minicbor::decode::Error::message("indefinite array"))?;
    (0..len).map(|_| d.str().map(str::to_string)).collect()
}

fn hashes(d: &mut Decoder<'_>) -> Result<Vec<[u8; 32]>, minicbor::decode::Error> {
    let len = d.array()?.ok_or_else(|| minicbor::decode::Error::message("indefinite array"))?;
    (0..len)
        .map(|_| bytes(d)?.try_into().map_err(|_| minicbor::decode::Error::message("a change hash has 32 bytes")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Message> {
        let (s, t, doc) = ("client-1".to_string(), "server".to_string(), "2ZAK5tnGpE1gQrUSGJdZq5Z2zzjH".to_string());
        vec![
            Message::Join {
                sender_id: s.clone(),
                storage_id: Some("st-1".into()),
                protocol_versions: vec!["1".into()],
            },
            Message::Join { sender_id: s.clone(), storage_id: None, protocol_versions: vec!["1".into()] },
            Message::Peer { sender_id: t.clone(), target_id: s.clone(), storage_id: Some("server-st".into()) },
            Message::Request { sender_id: s.clone(), target_id: t.clone(), document_id: doc.clone(), data: vec![1, 2] },
            Message::Sync { sender_id: s.clone(), target_id: t.clone(), document_id: doc.clone(), data: vec![0x42] },
            Message::DocUnavailable { sender_id: t.clone(), target_id: s.clone(), document_id: doc.clone() },
            Message::Refused {
                sender_id: t.clone(),
                target_id: s.clone(),
                document_id: doc,
                changes: vec![[7; 32], [9; 32]],
                reason_zh: "您不是该案件的当事方".into(),
                reason_en: "you are not a party to this case".into(),
            },
            Message::Error { message: "bad".into() },
            Message::Other { kind: "ephemeral".into() },
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for m in all() {
            assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn truncated_and_garbage_input_is_an_error_not_a_panic() {
        for m in all() {
            let bytes = m.encode();
            for cut in 0..bytes.len() {
                assert!(Message::decode(&bytes[..cut]).is_err(), "{m:?} cut at {cut}");
            }
        }
        assert!(Message::decode(&[0xff; 64]).is_err());
        // A map nested far deeper than any message.
        let mut deep = vec![0xa1, 0x6c];
        deep.extend(b"peerMetadata");
        for _ in 0..10_000 {
            deep.extend([0xa1, 0x61, b'x']);
        }
        assert!(Message::decode(&deep).is_err());
    }

    #[test]
    fn reads_a_message_as_automerge_repo_encodes_it() {
        // {"type":"sync","senderId":"a","targetId":"b","documentId":"d","data":h'42'}
        // with keys in another order and `data` tagged as a Uint8Array (tag 64).
        let mut e = Encoder::new(Vec::new());
        e.map(5).unwrap();
        e.str("data").unwrap().tag(minicbor::data::Tag::new(64)).unwrap().bytes(&[0x42]).unwrap();
        e.str("documentId").unwrap().str("d").unwrap();
        e.str("targetId").unwrap().str("b").unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("type").unwrap().str("sync").unwrap();
        let m = Message::decode(&e.into_writer()).unwrap();
        assert_eq!(
            m,
            Message::Sync { sender_id: "a".into(), target_id: "b".into(), document_id: "d".into(), data: vec![0x42] }
        );
    }
}
