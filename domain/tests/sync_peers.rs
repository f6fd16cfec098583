#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Both peers of the sync protocol, driven against each other in memory:
//! a [`ClientPeer`] per device and a [`ServerDoc`] per case, joined by a
//! message queue instead of sockets. What the app and the hub do over real
//! sockets, minus the IO.

mod common;

use domain::directory::Directory;
use std::collections::{HashMap, VecDeque};

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{AutoCommit, ReadDoc};
use common::*;
use domain::contract::SERVER_PEER;
use domain::device_time::{Receipt, TimeFlag};
use domain::event::EventKind;
use domain::permission::{Role, User};
use domain::sync::client::{ClientEffect, ClientPeer};
use domain::sync::server::{ConnId, Effect, ServerDoc};
use domain::sync::wire::Message;
use domain::sync::{DocumentId, RefusedChanges, actor_for};

fn person(id: &str, role: Role, org: Option<&str>, district: Option<&str>) -> User {
    User { id: id.into(), role, org: org.map(Into::into), district: district.map(Into::into) }
}
fn filer() -> User {
    person("u-ent", Role::Enterprise, Some("ent-1"), None)
}
fn coordinator() -> User {
    person("u-coord", Role::Coordinator, None, Some("boluo"))
}
fn stranger() -> User {
    person("u-other", Role::Enterprise, Some("ent-2"), None)
}

fn server_actor() -> automerge::ActorId {
    actor_for(domain::sync::SERVER_USER, [0; 8])
}

const TOLERANCE_MS: i64 = 15 * 60_000;
const DAY_MS: i64 = 24 * 3_600_000;

fn case_id(n: u8) -> String {
    DocumentId::from_bytes([n; 16]).to_string()
}

/// The server side of the test: every case, who each connection is, what
/// was refused on it, and the numbers handed out.
#[derive(Default)]
struct Server {
    docs: HashMap<String, ServerDoc>,
    users: HashMap<ConnId, User>,
    refused: HashMap<(ConnId, String), RefusedChanges>,
    refusals: usize,
    numbered: usize,
    /// What the server knows of every device as changes arrive (none: no
    /// time is judged).
    receipt: Option<Receipt>,
}

/// A device: its peer, what it was told, and whether it rolls refused
/// changes back (a stock automerge-repo client does not, and keeps them).
struct Device {
    user: User,
    peer: ClientPeer,
    rolls_back: bool,
    refused: Vec<ClientEffect>,
    unavailable: Vec<String>,
}

struct Net {
    server: Server,
    devices: Vec<Device>,
    /// Messages on their way: (device, towards the server?, message).
    wire: VecDeque<(usize, bool, Message)>,
    /// Messages delivered, each way.
    delivered: usize,
}

impl Net {
    fn new() -> Net {
        Net { server: Server::default(), devices: vec![], wire: VecDeque::new(), delivered: 0 }
    }

    /// Adds a device of `user` and connects it.
    fn device(&mut self, user: User, rolls_back: bool) -> usize {
        let n = self.devices.len();
        let actor = actor_for(&user.id, [n as u8 + 1; 8]);
        let peer = ClientPeer::new(format!("peer-{n}"), format!("storage-{n}"), actor);
        self.server.users.insert(n as ConnId, user.clone());
        self.devices.push(Device { user, peer, rolls_back, refused: vec![], unavailable: vec![] });
        let join = self.devices[n].peer.connected();
        self.wire.push_back((n, true, join));
        n
    }

    /// Delivers messages until none is left, at most `limit`; how many.
    fn settle(&mut self, limit: usize) -> usize {
        let start = self.delivered;
        while self.step() {
            assert!(self.delivered - start <= limit, "more than {limit} messages: a storm");
        }
        self.delivered - start
    }

    /// Delivers the next message, if there is one.
    fn step(&mut self) -> bool {
        let Some((device, to_server, message)) = self.wire.pop_front() else { return false };
        self.delivered += 1;
        if to_server {
            self.at_server(device, message);
        } else {
            self.at_device(device, message);
        }
        true
    }

    fn at_device(&mut self, n: usize, message: Message) {
        let device = &mut self.devices[n];
        if !device.rolls_back && matches!(message, Message::Refused { .. }) {
            device.refused.push(ClientEffect::ServerSaid("refused, kept".into()));
            return;
        }
        let mut effects: VecDeque<ClientEffect> = device.peer.receive(message).unwrap().into();
        while let Some(effect) = effects.pop_front() {
            match effect {
                ClientEffect::Send(message) => self.wire.push_back((n, true, message)),
                ClientEffect::Joined => {
                    let ids: Vec<String> = device.peer.ids().cloned().collect();
                    for id in ids {
                        effects.extend(device.peer.offer(&id));
                    }
                }
                ClientEffect::Load(id) => {
                    effects.extend(device.peer.loaded(&id, AutoCommit::new(), SyncState::new()).unwrap());
                }
                refused @ ClientEffect::Refused { .. } => device.refused.push(refused),
                ClientEffect::Unavailable(id) => device.unavailable.push(id),
                ClientEffect::Received { .. } | ClientEffect::ServerSaid(_) => {}
            }
        }
    }

    fn at_server(&mut self, conn: usize, message: Message) {
        let (id, data, request) = match message {
            Message::Join { sender_id, .. } => {
                self.wire.push_back((
                    conn,
                    false,
                    Message::Peer { sender_id: SERVER_PEER.into(), target_id: sender_id, storage_id: None },
                ));
                // Offer every case the user may read.
                let user = self.server.users[&(conn as ConnId)].clone();
                let ids: Vec<String> = self.server.docs.keys().cloned().collect();
                for id in ids {
                    let doc = self.server.docs.get_mut(&id).unwrap();
                    if doc.readable_by(&user) {
                        doc.open(conn as ConnId, SyncState::new());
                        let effects = doc.offer(conn as ConnId);
                        self.carry_out(&id, effects);
                    }
                }
                return;
            }
            Message::Sync { document_id, data, .. } => (document_id, data, false),
            Message::Request { document_id, data, .. } => (document_id, data, true),
            other => panic!("unexpected at the server: {other:?}"),
        };
        let user = self.server.users[&(conn as ConnId)].clone();
        let refused = self.server.refused.get(&(conn as ConnId, id.clone())).cloned().unwrap_or_default();
        let doc = self.server.docs.entry(id.clone()).or_insert_with(|| ServerDoc::new(&id, AutoCommit::new()).unwrap());
        let message = SyncMessage::decode(&data).unwrap();
        let effects = doc
            .receive(
                conn as ConnId,
                &user,
                &refused,
                message,
                request,
                domain::sync::InForce { directory: &Directory::huizhou(), roster: &domain::roster::Roster::default() },
            )
            .unwrap();
        self.carry_out(&id, effects);
    }

    fn carry_out(&mut self, id: &str, effects: Vec<Effect>) {
        let mut effects: VecDeque<Effect> = effects.into();
        while let Some(effect) = effects.pop_front() {
            let doc = self.server.docs.get_mut(id).unwrap();
            match effect {
                Effect::Send { to, message } => self.wire.push_back((
                    to as usize,
                    false,
                    Message::Sync {
                        sender_id: SERVER_PEER.into(),
                        target_id: String::new(),
                        document_id: id.into(),
                        data: message.encode(),
                    },
                )),
                Effect::Unavailable { to } => self.wire.push_back((
                    to as usize,
                    false,
                    Message::DocUnavailable {
                        sender_id: SERVER_PEER.into(),
                        target_id: String::new(),
                        document_id: id.into(),
                    },
                )),
                Effect::Refuse { to, changes, why } => {
                    self.server.refusals += 1;
                    self.server.refused.entry((to, id.to_string())).or_default().remember(&changes);
                    let reason = why.label();
                    self.wire.push_back((
                        to as usize,
                        false,
                        Message::Refused {
                            sender_id: SERVER_PEER.into(),
                            target_id: String::new(),
                            document_id: id.into(),
                            changes: changes.iter().map(|c| c.hash().0).collect(),
                            reason_zh: reason.zh,
                            reason_en: reason.en,
                        },
                    ));
                }
                Effect::SaveState { .. } => {}
                Effect::Persist(mut accepted) => {
                    if accepted.created {
                        self.server.numbered += 1;
                        let number = format!("HZ-2026-{:04}", self.server.numbered);
                        doc.number(&mut accepted, &number, server_actor()).unwrap();
                    }
                    if let Some(receipt) = self.server.receipt {
                        doc.flag_times(&mut accepted, receipt, TOLERANCE_MS, server_actor()).unwrap();
                    }
                    let state = accepted.case.state();
                    effects.extend(doc.stored(accepted, state));
                }
                Effect::Relay { except } => {
                    for (conn, user) in &self.server.users {
                        if *conn != except && doc.readable_by(user) {
                            effects.extend(doc.offer(*conn));
                        }
                    }
                }
            }
        }
    }

    /// Creates a submitted case on device `n` and offers it.
    fn create(&mut self, n: usize, id: &str) {
        let device = &mut self.devices[n];
        let mut case = case_doc(&[]);
        case.id = id.to_string();
        let mut doc = domain::doc::create(&case, device.peer.actor().clone()).unwrap();
        domain::doc::record(&mut doc, format!("submit-{id}"), &device.user.id, monday_ms(), EventKind::Submit).unwrap();
        device.peer.insert(id, doc, SyncState::new());
        let effects = device.peer.offer(id);
        self.sends(n, effects);
    }

    /// Records `kind` on device `n` and offers it.
    fn record(&mut self, n: usize, id: &str, event: &str, kind: EventKind) {
        let device = &mut self.devices[n];
        let doc = device.peer.doc_mut(id).unwrap();
        domain::doc::record(doc, event.into(), &device.user.id, monday_ms(), kind).unwrap();
        let effects = device.peer.offer(id);
        self.sends(n, effects);
    }

    fn sends(&mut self, n: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            let ClientEffect::Send(message) = effect else { panic!("only sends expected, got {effect:?}") };
            self.wire.push_back((n, true, message));
        }
    }

    fn case_on(&self, n: usize, id: &str) -> Option<domain::case::CaseDoc> {
        self.devices[n].peer.doc(id).and_then(|d| domain::doc::read(d).ok())
    }
}

#[test]
fn a_new_case_is_numbered_and_reaches_every_reader_only() {
    let mut net = Net::new();
    let ent = net.device(filer(), true);
    let coord = net.device(coordinator(), true);
    let other = net.device(stranger(), true);
    net.settle(20);
    let id = case_id(1);
    net.create(ent, &id);
    net.settle(40);
    assert_eq!(net.server.numbered, 1);
    let on_filer = net.case_on(ent, &id).expect("the filer's copy");
    assert_eq!(on_filer.number.as_deref(), Some("HZ-2026-0001"), "the number came back");
    assert!(net.devices[ent].peer.in_sync(&id));
    let on_coord = net.case_on(coord, &id).expect("relayed to the district's coordinator");
    assert_eq!(on_coord, on_filer);
    assert!(!net.devices[other].peer.has(&id), "nothing reaches a stranger");
    assert_eq!(net.server.refusals, 0);

    // The stranger asks by id: one answer for "no such case" and "not yours".
    let mut empty = AutoCommit::new();
    let ask = empty.sync().generate_sync_message(&mut SyncState::new()).unwrap();
    let request = Message::Request {
        sender_id: "peer-2".into(),
        target_id: SERVER_PEER.into(),
        document_id: id.clone(),
        data: ask.encode(),
    };
    net.wire.push_back((other, true, request));
    net.settle(4);
    assert_eq!(net.devices[other].unavailable, vec![id]);
}

#[test]
fn a_refused_change_is_rolled_back_and_the_device_goes_on() {
    let mut net = Net::new();
    let ent = net.device(filer(), true);
    net.settle(10);
    let id = case_id(2);
    net.create(ent, &id);
    net.settle(40);
    let actor_before = net.devices[ent].peer.actor().clone();
    // An enterprise may not route its own case.
    net.record(ent, &id, "route-by-filer", route_online());
    net.settle(40);
    let [ClientEffect::Refused { lost, reason, actor, case_refused, .. }] = &net.devices[ent].refused[..] else {
        panic!("one refusal: {:?}", net.devices[ent].refused)
    };
    assert!(!case_refused);
    assert_eq!(lost.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["route-by-filer"]);
    assert_eq!(reason.zh, "您的角色不能执行此操作");
    assert_ne!(*actor, actor_before, "the refused sequence numbers are burnt");
    assert!(domain::sync::actor_belongs("u-ent", actor), "still the filer's own actor");
    let case = net.case_on(ent, &id).unwrap();
    assert!(!case.events.contains_key("route-by-filer"), "rolled back");

    // The device goes on: its next change is accepted.
    net.record(ent, &id, "info", EventKind::AddInfo { text: "补充材料".into(), attachments: vec![] });
    net.settle(40);
    assert_eq!(net.server.refusals, 1);
    assert!(net.devices[ent].peer.in_sync(&id));
    let server_case = net.server.docs.get(&id).unwrap().case().unwrap().0.clone();
    assert!(server_case.events.contains_key("info"));
}

#[test]
fn a_client_that_never_rolls_back_gets_one_refusal_and_quiet() {
    let mut net = Net::new();
    let ent = net.device(filer(), false);
    net.settle(10);
    let (kept, other) = (case_id(3), case_id(4));
    net.create(ent, &kept);
    net.create(ent, &other);
    net.settle(60);
    net.record(ent, &kept, "route-by-filer", route_online());
    net.settle(20);
    assert_eq!(net.server.refusals, 1);
    // It keeps the change and says so at every turn; the server answers
    // with nothing new to say, and never asks for the change again.
    for _ in 0..3 {
        let effects = net.devices[ent].peer.offer(&kept);
        net.sends(ent, effects);
        assert!(net.settle(4) <= 4);
    }
    // A reconnect offers everything again: still one refusal, few messages.
    let join = net.devices[ent].peer.connected();
    net.wire.push_back((ent, true, join));
    assert!(net.settle(10) <= 10);
    assert_eq!(net.server.refusals, 1, "refused once, not again and again");
    // Its other document still syncs.
    net.record(ent, &other, "info", EventKind::AddInfo { text: "补充材料".into(), attachments: vec![] });
    net.settle(20);
    assert!(net.devices[ent].peer.in_sync(&other));
    let doc = net.server.docs.get_mut(&other).unwrap();
    assert!(doc.case().unwrap().0.events.contains_key("info"));
    assert!(doc.automerge().get_heads().len() == 1 && doc.automerge().length(automerge::ROOT) > 0);
}

#[test]
fn a_change_sent_without_what_it_builds_on_waits_for_it() {
    let mut net = Net::new();
    let ent = net.device(filer(), true);
    net.settle(10);
    let id = case_id(5);
    net.create(ent, &id);
    net.settle(40);
    let peer = &mut net.devices[ent].peer;
    let doc = peer.doc_mut(&id).unwrap();
    domain::doc::record(
        doc,
        "first".into(),
        "u-ent",
        monday_ms(),
        EventKind::AddInfo { text: "一".into(), attachments: vec![] },
    )
    .unwrap();
    domain::doc::record(
        doc,
        "second".into(),
        "u-ent",
        monday_ms(),
        EventKind::AddInfo { text: "二".into(), attachments: vec![] },
    )
    .unwrap();
    // Only the last change, as when the protocol's Bloom filter errs.
    let last = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let skipping = domain::sync::plain_message(doc.get_heads(), vec![], vec![last]);
    let message = Message::Sync {
        sender_id: "peer-0".into(),
        target_id: SERVER_PEER.into(),
        document_id: id.clone(),
        data: skipping.encode(),
    };
    net.wire.push_back((ent, true, message));
    net.settle(40);
    assert_eq!(net.server.refusals, 0, "held, not refused");
    let events = &net.server.docs.get(&id).unwrap().case().unwrap().0.events;
    assert!(events.contains_key("first") && events.contains_key("second"));
    assert!(net.devices[ent].peer.in_sync(&id));
}

#[test]
fn the_first_sync_lasts_until_the_server_offered_everything() {
    let mut net = Net::new();
    let ent = net.device(filer(), true);
    net.settle(10);
    for n in 10..13 {
        net.create(ent, &case_id(n));
    }
    net.settle(60);
    let coord = net.device(coordinator(), true);
    while net.step() {
        // Between one offered case and the next, every case seen so far
        // may be in sync: still the first sync.
        let peer = &mut net.devices[coord].peer;
        if peer.joined() && peer.ids().count() < 3 {
            assert!(peer.exchanging(), "not done before every case arrived");
        }
    }
    let peer = &mut net.devices[coord].peer;
    assert_eq!(peer.ids().count(), 3);
    assert!(!peer.exchanging(), "done once everything arrived");
    assert!(net.devices[coord].unavailable.is_empty(), "the probe's answer is the peer's own");
}

#[test]
fn a_device_time_three_days_behind_is_flagged_for_every_reader_and_counts_no_more() {
    let mut net = Net::new();
    let ent = net.device(filer(), true);
    let coord = net.device(coordinator(), true);
    net.settle(20);
    // Offline since Monday, back on Wednesday: Monday's work keeps its time.
    net.server.receipt =
        Some(Receipt { contact_before_ms: monday_ms() - DAY_MS, received_ms: monday_ms() + 2 * DAY_MS });
    let id = case_id(6);
    net.create(ent, &id);
    net.settle(40);
    let filed = net.case_on(coord, &id).expect("relayed");
    assert!(filed.time_flags.is_empty(), "plausible times are kept: {:?}", filed.time_flags);
    assert_eq!(filed.events[&format!("submit-{id}")].at_ms, monday_ms());

    // Now the device was in touch on Thursday and says it is Monday.
    let received_ms = monday_ms() + 3 * DAY_MS;
    net.server.receipt = Some(Receipt { contact_before_ms: received_ms - 60_000, received_ms });
    net.record(ent, &id, "info-1", EventKind::AddInfo { text: "补充".into(), attachments: vec![] });
    net.settle(40);
    let flag = TimeFlag { device_ms: monday_ms(), received_ms };
    for n in [ent, coord] {
        let case = net.case_on(n, &id).expect("synced");
        assert_eq!(case.time_flags.get("info-1"), Some(&flag), "both times, on device {n}");
        assert_eq!(case.events["info-1"].at_ms, received_ms, "the time of receipt counts, on device {n}");
    }
    assert_eq!(net.server.refusals, 0);
}

#[test]
fn only_the_server_flags_times() {
    let mut net = Net::new();
    let coord = net.device(coordinator(), true);
    let ent = net.device(filer(), true);
    net.settle(20);
    let id = case_id(7);
    net.create(ent, &id);
    net.settle(40);
    let doc = net.devices[coord].peer.doc_mut(&id).unwrap();
    let flag = TimeFlag { device_ms: 1, received_ms: 2 };
    domain::doc::flag_times(doc, &[(format!("submit-{id}"), flag)]).unwrap();
    let effects = net.devices[coord].peer.offer(&id);
    net.sends(coord, effects);
    net.settle(40);
    assert_eq!(net.server.refusals, 1, "a device's own flag is refused");
    assert!(net.case_on(ent, &id).unwrap().time_flags.is_empty());
}
