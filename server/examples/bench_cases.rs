//! Writes `count` demo cases (every lifecycle stage) as they sit on a
//! device: each case's Automerge snapshot and its worklist summary, for the
//! browser benchmark `e2e/bench/list.mjs` to load into IndexedDB.
//!
//! cargo run --profile server -p server --example bench_cases -- COUNT OUT_FILE
//!
//! Format, per case: u32 LE length + summary JSON, u32 LE length + snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufWriter, Write};

use domain::calendar::WorkCalendar;
use domain::case::case_number;
use domain::deadline::Rules;
use domain::summary::{CaseSummary, Context};
use domain::sync::heads_hex;
use domain::time::Day;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().and_then(|a| a.parse().ok()).expect("COUNT");
    let out = std::fs::File::create(args.get(1).expect("OUT_FILE")).expect("create OUT_FILE");
    let mut out = BufWriter::new(out);
    let calendar = WorkCalendar::china().unwrap();
    let rules = Rules::default();
    let anchor = Day::parse("2026-11-20").unwrap();
    let mut sequence = 0;
    server::demo::generate(anchor, count, |mut doc, created| {
        sequence += 1;
        domain::doc::set_number(&mut doc, &case_number(created.year(), sequence))?;
        let case = domain::doc::read(&doc)?;
        let context = Context {
            calendar: &calendar,
            rules: &rules,
            heads: heads_hex(&doc.get_heads()),
            updated_ms: case.created_ms,
            unsynced: false,
        };
        let summary = serde_json::to_vec(&CaseSummary::of(&case, context)).unwrap();
        let snapshot = doc.save();
        for part in [&summary, &snapshot] {
            out.write_all(&u32::try_from(part.len()).unwrap().to_le_bytes()).unwrap();
            out.write_all(part).unwrap();
        }
        Ok(())
    })
    .unwrap();
    out.flush().unwrap();
    eprintln!("{count} cases written");
}
