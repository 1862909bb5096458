//! Reading an alt universe out of the store: a temporary database of N
//! SYNTHETIC coins (seeded random walks, 10 years of daily closes, two sources
//! each overlapping on the last year, so the merge has work to do), then
//!
//! - one `Store::bars` query per coin (how the app read the universe before
//!   the bulk reader);
//! - `Store::bars_of` (every coin in one statement and one read transaction);
//! - `Store::closes_of` (the merged closes of every coin, from the cached
//!   closes: one blob per coin).
//!
//! ```text
//! cargo bench -p riskcurve-store --bench panel_load            # 200 coins (about the shared data's alts)
//! cargo bench -p riskcurve-store --bench panel_load -- 1000    # 1,000 coins
//! ```
//!
//! Prints the best and median of 7 timed runs of each after one warm-up run
//! (std::time::Instant, as the other benches; criterion would be a heavy
//! dependency for three numbers). Writing the database is not timed.

use std::time::Instant;

use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use riskcurve_store::{SeriesMeta, SeriesWrite, Store, WriteBatch};

#[path = "../../../bench/timing.rs"]
mod timing;
use timing::time;

const DAYS: i32 = 3_652;

/// A seeded random walk (xorshift; the numbers only need to look like prices).
fn walk(seed: u64, first: Date) -> Vec<Bar> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut price = 1.0 + (seed % 100) as f64;
    (0..DAYS)
        .map(|d| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            price *= 1.0 + ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.08;
            Bar::value(first.add_days(d), price)
        })
        .collect()
}

fn main() {
    let coins: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    let first = Date::from_ymd(2016, 1, 1).unwrap();
    let metas: Vec<SeriesMeta> = (0..coins)
        .map(|i| SeriesMeta {
            id: SeriesId::new(&format!("syn{i:05}")).unwrap(),
            name: format!("synthetic coin {i}"),
            asset_class: "crypto".into(),
            calendar: Calendar::Crypto,
            unit: Unit::Usd,
            flags: vec![],
        })
        .collect();
    let bars: Vec<Vec<Bar>> = (0..coins as u64).map(|i| walk(i + 1, first)).collect();
    // A second, higher-priority source on the last 365 days of every coin.
    let fresher: Vec<Vec<Bar>> =
        bars.iter().map(|b| b[b.len() - 365..].iter().map(|x| Bar::value(x.date, x.close * 1.001)).collect()).collect();
    let batches: Vec<[WriteBatch; 2]> = metas
        .iter()
        .zip(bars.iter().zip(&fresher))
        .map(|(m, (old, new))| {
            let batch = |source, priority, bars| WriteBatch {
                series: &m.id,
                source,
                priority,
                origin: "synthetic",
                fetched_at: "2026-11-30T00:00:00Z",
                checksum: "-",
                bars,
            };
            [batch("history", 10, old.as_slice()), batch("fresh", 100, new.as_slice())]
        })
        .collect();
    let writes: Vec<SeriesWrite> =
        metas.iter().zip(&batches).map(|(meta, b)| SeriesWrite { meta, batches: b }).collect();
    let start = Instant::now();
    Store::open(&path).unwrap().write_all(&writes, &[], &mut |_| {}).unwrap();
    println!(
        "{coins} SYNTHETIC coins x {DAYS} days ({} source rows) written in {:.1} s (not timed below)",
        coins * (DAYS as usize + 365),
        start.elapsed().as_secs_f64()
    );

    let store = Store::open_read_only(&path).unwrap();
    let ids = store.series_ids("crypto").unwrap();
    assert_eq!(ids.len(), coins);
    time("Store::bars, one query per coin", 7, || {
        ids.iter().map(|id| store.bars(id, None, None).unwrap().len()).sum::<usize>()
    });
    time("Store::bars_of, one statement", 7, || store.bars_of(&ids, None, None).unwrap());
    time("Store::closes_of (cached closes)", 7, || store.closes_of(&ids, None, None).unwrap());
}
