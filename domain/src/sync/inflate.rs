//! A bound on what the chunks of one sync message may inflate to, checked
//! before Automerge reads them.
//!
//! Automerge documents deflate their larger columns, and a compressed change
//! chunk is deflated whole; Automerge inflates both without a limit. Deflate
//! reaches ~1,000:1, so a 16 MB message could ask the server for 16 GB. The
//! walk here follows the chunk framing (magic, checksum, type, length) and a
//! document's column table, inflating each deflated part into nothing but a
//! counter that stops at the limit. Bytes that are not chunks are left to
//! Automerge, which stops loading at the first chunk it cannot parse.

use std::io::Read;

use super::Rejection;

/// What the chunks of one message may hold once inflated. A case of 5,000
/// events is about 1 MB.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;
/// A column spec's bit for "this column is deflated".
const DEFLATED_COLUMN: u64 = 0b1000;

/// Refuses `bytes` if its chunks would inflate to more than `limit` bytes,
/// or if it holds a chunk type clients never send (bundles).
pub fn check_inflated_size(bytes: &[u8], limit: u64) -> Result<(), Rejection> {
    let mut left = Budget(limit);
    let mut rest = Reader(bytes);
    while let Some((kind, data)) = next_chunk(&mut rest) {
        match kind {
            DOCUMENT => document(data, &mut left).ok_or_else(|| malformed("a document chunk"))??,
            CHANGE => left.spend(data.len() as u64)?,
            COMPRESSED_CHANGE => left.inflate(data)?,
            _ => return Err(Rejection::Malformed(format!("chunk type {kind} is not accepted"))),
        }
    }
    Ok(())
}

fn malformed(what: &str) -> Rejection {
    Rejection::Malformed(format!("{what} that does not parse"))
}

fn too_large() -> Rejection {
    Rejection::TooLarge
}

/// The next chunk's type and data; `None` at the end or where the bytes
/// stop being chunks.
fn next_chunk<'a>(rest: &mut Reader<'a>) -> Option<(u8, &'a [u8])> {
    let mut r = Reader(rest.0);
    if r.take(4)? != MAGIC {
        return None;
    }
    r.take(4)?; // checksum: Automerge checks it
    let kind = *r.take(1)?.first()?;
    let len = r.uleb()?;
    let data = r.take(len)?;
    *rest = r;
    Some((kind, data))
}

/// A document chunk: actors, heads, the change and op column tables, then
/// the columns in table order. `None` if it does not parse.
fn document(data: &[u8], left: &mut Budget) -> Option<Result<(), Rejection>> {
    let mut r = Reader(data);
    for _ in 0..r.uleb()? {
        let len = r.uleb()?;
        r.take(len)?;
    }
    let heads = r.uleb()?;
    r.take(heads.checked_mul(32)?)?;
    let mut columns = r.column_table()?;
    columns.extend(r.column_table()?);
    for (spec, len) in columns {
        let column = r.take(len)?;
        let spent = if spec & DEFLATED_COLUMN != 0 { left.inflate(column) } else { left.spend(len) };
        if spent.is_err() {
            return Some(spent);
        }
    }
    // What follows (head indices) is read as it is.
    Some(left.spend(r.0.len() as u64))
}

struct Budget(u64);

impl Budget {
    fn spend(&mut self, n: u64) -> Result<(), Rejection> {
        self.0 = self.0.checked_sub(n).ok_or_else(too_large)?;
        Ok(())
    }

    /// Inflates `deflated` into a counter, stopping one byte past the budget.
    fn inflate(&mut self, deflated: &[u8]) -> Result<(), Rejection> {
        let mut inflater = flate2::bufread::DeflateDecoder::new(deflated).take(self.0.saturating_add(1));
        let n = std::io::copy(&mut inflater, &mut std::io::sink()).map_err(|_| malformed("a deflated part"))?;
        self.spend(n)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        if n > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    /// An unsigned LEB128 number of at most 64 bits.
    fn uleb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first()?;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A column table: a count, then (spec, length) pairs.
    fn column_table(&mut self) -> Option<Vec<(u64, u64)>> {
        let count = self.uleb()?;
        let mut columns = Vec::new();
        for _ in 0..count {
            columns.push((self.uleb()?, self.uleb()?));
        }
        Some(columns)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    fn deflate(mut bytes: impl Read) -> Vec<u8> {
        let mut out = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::copy(&mut bytes, &mut out).unwrap();
        out.finish().unwrap()
    }

    fn uleb(mut n: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([0; 4]);
        out.push(kind);
        out.extend(uleb(data.len() as u64));
        out.extend_from_slice(data);
        out
    }

    /// A document chunk with no actors or heads and one deflated op column.
    fn document_bomb(inflated: u64) -> Vec<u8> {
        let column = deflate(std::io::repeat(0).take(inflated));
        let mut data = vec![0, 0, 0]; // no actors, no heads, no change columns
        data.extend(uleb(1));
        data.extend(uleb((1 << 4) | DEFLATED_COLUMN));
        data.extend(uleb(column.len() as u64));
        data.extend(column);
        chunk(DOCUMENT, &data)
    }

    #[test]
    fn real_documents_and_changes_pass() {
        let mut doc = AutoCommit::new();
        // Long enough that Automerge deflates its columns.
        doc.put(ROOT, "text", "惠州".repeat(2_000)).unwrap();
        for i in 0..50 {
            doc.put(ROOT, format!("k{i}"), i).unwrap();
        }
        let saved = doc.save();
        assert_eq!(check_inflated_size(&saved, MAX_INFLATED_BYTES).map_err(|e| e.label().en), Ok(()));
        let change = doc.get_changes(&[]).first().unwrap().raw_bytes().to_vec();
        let both = [saved.clone(), change].concat();
        assert_eq!(check_inflated_size(&both, MAX_INFLATED_BYTES).map_err(|e| e.label().en), Ok(()));
        // The budget counts what the columns inflate to, so a tiny one refuses.
        assert!(check_inflated_size(&saved, 1_000).is_err());
    }

    #[test]
    fn a_document_that_inflates_past_the_limit_is_refused() {
        let bomb = document_bomb(MAX_INFLATED_BYTES * 2);
        assert!(bomb.len() < 200_000, "{} bytes on the wire", bomb.len());
        let refused = check_inflated_size(&bomb, MAX_INFLATED_BYTES).unwrap_err();
        assert_eq!(refused, Rejection::TooLarge);
        assert!(refused.label().zh.contains("解压后不能超过 64 MB"), "{}", refused.label().zh);
        assert!(refused.label().en.contains("64 MB once inflated"), "{}", refused.label().en);
        assert!(check_inflated_size(&document_bomb(1_000), MAX_INFLATED_BYTES).is_ok());
    }

    #[test]
    fn a_compressed_change_that_inflates_past_the_limit_is_refused() {
        let bomb = chunk(COMPRESSED_CHANGE, &deflate(std::io::repeat(7).take(MAX_INFLATED_BYTES + 1)));
        assert!(check_inflated_size(&bomb, MAX_INFLATED_BYTES).is_err());
    }

    #[test]
    fn bundles_and_broken_documents_are_refused_and_garbage_is_left_to_automerge() {
        assert!(check_inflated_size(&chunk(3, b"bundle"), MAX_INFLATED_BYTES).is_err());
        assert!(check_inflated_size(&chunk(DOCUMENT, &[5, 1]), MAX_INFLATED_BYTES).is_err());
        assert!(check_inflated_size(b"not automerge at all", MAX_INFLATED_BYTES).is_ok());
        let mut truncated = document_bomb(10);
        truncated.truncate(truncated.len() - 3);
        assert!(check_inflated_size(&truncated, MAX_INFLATED_BYTES).is_ok(), "not a whole chunk: Automerge stops");
        assert!(check_inflated_size(&MAGIC, MAX_INFLATED_BYTES).is_ok());
    }
}
