//! How long a full-size event study takes: 100,000 placebo sets for each of
//! 5 targets x 4 horizons (30, 90, 180, 365 days), 10 events, the RUT's
//! trading days since 2010 as eligible dates (~4,000), real closes from
//! ../shared/data, plus the bootstrap intervals (10,000 resamples each).
//!
//! ```text
//! cargo bench -p riskcurve-stats --bench event_study            # 2 threads
//! cargo bench -p riskcurve-stats --bench event_study -- 1       # 1 thread
//! ```
//!
//! Prints the best and median of 7 timed runs after one warm-up run.

use std::time::{Duration, Instant};

use riskcurve_core::{Date, Series};
use riskcurve_stats::{EventStudy, EventStudyTarget};

#[path = "../tests/shared_data.rs"]
mod shared_data;
use shared_data::daily_close;

fn main() {
    let threads: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2);
    let names = ["btc", "eth", "iwm", "qqq", "spy"];
    let files = [
        "btc_usd_daily_yahoo.csv",
        "eth_usd_daily_yahoo.csv",
        "iwm_daily_yahoo_adj.csv",
        "qqq_daily_yahoo_adj.csv",
        "spy_daily_yahoo_adj.csv",
    ];
    let closes: Vec<Series> = files.iter().map(|f| daily_close(f)).collect();
    let targets: Vec<EventStudyTarget<'_>> =
        names.iter().zip(&closes).map(|(name, closes)| EventStudyTarget { name, closes }).collect();
    let rut = daily_close("rut_daily_yahoo.csv");
    let eligible = rut.between(Some("2010-01-01".parse().unwrap()), None).dates().to_vec();
    // Ten RUT trading days spread over 2018-2024 (not a signal: a workload
    // every target covers).
    let events: Vec<Date> = (0..10).map(|i| eligible[2100 + 170 * i]).collect();
    let study = EventStudy::new(&[30, 90, 180, 365]).unwrap().placebos(100_000).seed(42);

    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let run = || pool.install(|| study.run(&events, &eligible, &targets, None).unwrap());
    let first = run();
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let result = run();
            let elapsed = start.elapsed();
            assert_eq!(result, first, "not reproducible");
            elapsed
        })
        .collect();
    times.sort();
    let h = &first.targets[0].horizons[1];
    println!(
        "event study: {} targets x {} horizons x 100,000 placebos, {} events, {} eligible dates, {threads} thread(s): \
         best {:.1} ms, median {:.1} ms (btc 90 days: n = {}, p = {:.4})",
        targets.len(),
        study.horizons().len(),
        events.len(),
        eligible.len(),
        times[0].as_secs_f64() * 1e3,
        times[3].as_secs_f64() * 1e3,
        h.n,
        h.p_value.unwrap_or(f64::NAN),
    );
}
