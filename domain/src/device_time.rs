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
    /// Changes arriving at `received_ms` on a connection opened at
    /// `opened_ms`. Offline work arrives as a device reconnects: within the
    /// first `tolerance_ms` of a connection a change may carry any time
    /// since the device's previous contact (`previous_contact_ms`; the
    /// connection's start for a device never seen). Later, it was made while
    /// connected and sent at once, so it must carry about the time it
    /// arrives: a device online for weeks with a wrong clock is caught too.
    pub fn on_connection(
        opened_ms: i64,
        previous_contact_ms: Option<i64>,
        received_ms: i64,
        tolerance_ms: i64,
    ) -> Receipt {
        let catching_up = received_ms.saturating_sub(opened_ms) <= tolerance_ms;
        let contact_before_ms = if catching_up { previous_contact_ms.unwrap_or(opened_ms) } else { received_ms };
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
    fn offline_work_is_judged_from_the_previous_contact_only_while_a_device_catches_up() {
        let opened = 30 * DAY;
        let catching_up = Receipt::on_connection(opened, Some(28 * DAY), opened + 5_000, HOUR);
        assert!(catching_up.plausible(29 * DAY, HOUR), "made offline yesterday");
        let new_device = Receipt::on_connection(opened, None, opened + 5_000, HOUR);
        assert!(!new_device.plausible(29 * DAY, HOUR), "never seen: no earlier than the connection");
        let online = Receipt::on_connection(opened, Some(28 * DAY), opened + 2 * DAY, HOUR);
        assert!(!online.plausible(opened + DAY, HOUR), "made while connected, sent a day late?");
        assert!(online.plausible(opened + 2 * DAY - 1_000, HOUR));
    }

    #[test]
    fn a_clock_three_days_behind_is_flagged_with_both_times() {
        let receipt = Receipt { contact_before_ms: 20 * DAY, received_ms: 20 * DAY + 5_000 };
        let events = [event("ok", 20 * DAY + 1_000), event("behind", 17 * DAY)];
        let flags = receipt.flags(&events, 10 * 60_000);
        assert_eq!(flags, vec![("behind".into(), TimeFlag { device_ms: 17 * DAY, received_ms: 20 * DAY + 5_000 })]);
    }
}
