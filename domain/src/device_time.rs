//! Device time beside server time. Every event carries its device's time,
//! because work done offline really happened then. But a device's clock can
//! be wrong, and a phone three days behind would make a late reply look on
//! time. So the server judges each new event's device time when it receives
//! it: plausible when it lies between the device's last contact with the
//! server before it went offline (minus a tolerance) and the time of receipt
//! (plus a tolerance). An implausible time is flagged on the case, as the
//! server's own change (see [`crate::sync::server::ServerDoc::flag_times`]);
//! from then on every deadline, light, figure and letter counts the time of
//! receipt, and officials see both.

use std::collections::HashSet;

use automerge::ChangeHash;
use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::case::CaseDoc;
use crate::event::Event;

/// An event whose device time was implausible: both times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct TimeFlag {
    /// What the device said.
    pub device_ms: i64,
    /// When the server received it: the time that counts.
    pub received_ms: i64,
}

/// What the server knows when changes arrive from a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    /// The device's last contact with the server before it made them.
    pub contact_before_ms: i64,
    pub received_ms: i64,
}

impl Receipt {
    /// Changes arriving at `received_ms`. Work done offline (`backlog`, see
    /// [`made_before_joining`]) may carry any time since the device's
    /// previous contact (`previous_contact_ms`; the connection's start,
    /// `opened_ms`, for a device never seen). Anything else was made while
    /// connected and sent at once, so it must carry about the time it
    /// arrives: a device online for weeks with a wrong clock is caught too.
    pub fn of(previous_contact_ms: Option<i64>, opened_ms: i64, received_ms: i64, backlog: bool) -> Receipt {
        let contact_before_ms = if backlog { previous_contact_ms.unwrap_or(opened_ms) } else { received_ms };
        Receipt { contact_before_ms, received_ms }
    }

    /// Whether `device_ms` could be true, give or take `tolerance_ms`.
    pub fn plausible(&self, device_ms: i64, tolerance_ms: i64) -> bool {
        let earliest = self.contact_before_ms.saturating_sub(tolerance_ms);
        let latest = self.received_ms.saturating_add(tolerance_ms);
        (earliest..=latest).contains(&device_ms)
    }

    /// Flags for those of `events` whose device time is implausible.
    pub fn flags<'a>(&self, events: impl IntoIterator<Item = &'a Event>, tolerance_ms: i64) -> Vec<(String, TimeFlag)> {
        events
            .into_iter()
            .filter(|e| !self.plausible(e.at_ms, tolerance_ms))
            .map(|e| (e.id.clone(), TimeFlag { device_ms: e.at_ms, received_ms: self.received_ms }))
            .collect()
    }
}

/// Whether every one of `accepted` (new changes) was on the device when it
/// joined: reachable from the heads it announced for the document right
/// after joining (`announced`; a device offers its offline work at once).
/// `deps_of` gives a change's dependencies.
pub fn made_before_joining(
    announced: &[ChangeHash],
    accepted: &[ChangeHash],
    deps_of: impl Fn(&ChangeHash) -> Option<Vec<ChangeHash>>,
) -> bool {
    let mut unreached: HashSet<&ChangeHash> = accepted.iter().collect();
    let mut walk: Vec<ChangeHash> = announced.to_vec();
    while let Some(hash) = walk.pop() {
        // Older changes were on the server already: no need to go past them.
        if unreached.remove(&hash) {
            walk.extend(deps_of(&hash).unwrap_or_default());
        }
    }
    unreached.is_empty()
}

/// Makes every flagged event of `case` count its time of receipt (the
/// device's time stays in [`CaseDoc::time_flags`]). Called wherever a case
/// is read from its document, so nothing downstream sees a flagged time.
pub fn settle(case: &mut CaseDoc) {
    for (id, flag) in &case.time_flags {
        if let Some(event) = case.events.get_mut(id) {
            event.at_ms = flag.received_ms;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventKind;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;

    fn event(id: &str, at_ms: i64) -> Event {
        Event { id: id.into(), author: "u".into(), at_ms, after: vec![], kind: EventKind::Close }
    }

    #[test]
    fn offline_work_between_the_last_contact_and_receipt_keeps_its_time() {
        let receipt = Receipt { contact_before_ms: 10 * DAY, received_ms: 12 * DAY };
        assert!(receipt.plausible(11 * DAY, HOUR));
        assert!(receipt.plausible(10 * DAY - HOUR, HOUR), "the tolerance before the last contact");
        assert!(receipt.plausible(12 * DAY + HOUR, HOUR), "the tolerance after receipt");
        assert!(!receipt.plausible(10 * DAY - HOUR - 1, HOUR));
        assert!(!receipt.plausible(12 * DAY + HOUR + 1, HOUR));
    }

    #[test]
    fn offline_work_is_judged_from_the_previous_contact_and_online_work_from_its_arrival() {
        let opened = 30 * DAY;
        let backlog = Receipt::of(Some(28 * DAY), opened, opened + 5_000, true);
        assert!(backlog.plausible(29 * DAY, HOUR), "made offline yesterday");
        let new_device = Receipt::of(None, opened, opened + 5_000, true);
        assert!(!new_device.plausible(29 * DAY, HOUR), "never seen: no earlier than the connection");
        let online = Receipt::of(Some(28 * DAY), opened, opened + 2 * DAY, false);
        assert!(!online.plausible(opened + DAY, HOUR), "made while connected, yet a day old?");
        assert!(online.plausible(opened + 2 * DAY - 1_000, HOUR));
    }

    #[test]
    fn only_changes_behind_the_heads_announced_on_joining_are_offline_work() {
        let h = |n: u8| ChangeHash([n; 32]);
        // 1 ← 2 ← 3 (announced) ← 4: 1 was on the server already.
        let deps = |hash: &ChangeHash| Some(if hash.0[0] > 1 { vec![h(hash.0[0] - 1)] } else { vec![] });
        assert!(made_before_joining(&[h(3)], &[h(2), h(3)], deps));
        assert!(!made_before_joining(&[h(3)], &[h(2), h(3), h(4)], deps), "4 came after");
        assert!(!made_before_joining(&[], &[h(2)], deps), "nothing announced");
    }

    #[test]
    fn a_clock_three_days_behind_is_flagged_with_both_times() {
        let receipt = Receipt { contact_before_ms: 20 * DAY, received_ms: 20 * DAY + 5_000 };
        let events = [event("ok", 20 * DAY + 1_000), event("behind", 17 * DAY)];
        let flags = receipt.flags(&events, 10 * 60_000);
        assert_eq!(flags, vec![("behind".into(), TimeFlag { device_ms: 17 * DAY, received_ms: 20 * DAY + 5_000 })]);
    }
}
