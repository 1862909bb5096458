//! The altcoin season index over a SYNTHETIC universe: N coins and a BTC,
//! seeded random walks of 10 years of daily closes (the catalog universe:
//! every coin counts every day), window 90, every day.
//!
//! ```text
//! cargo bench -p riskcurve-signals --bench altseason            # 1,000 coins
//! cargo bench -p riskcurve-signals --bench altseason -- 200     # 200 coins
//! ```
//!
//! Prints the best and median of 5 timed runs after one warm-up run
//! (std::time::Instant, as the other benches; criterion would be a heavy
//! dependency for one number).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use riskcurve_core::{Date, Series};
use riskcurve_signals::altseason::{altseason, AltseasonInput, AltseasonParams, Exclusions};

const DAYS: i32 = 3_652;

/// A seeded random walk (xorshift; the numbers only need to look like prices).
fn walk(seed: u64, first: Date) -> Series {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut price = 1.0 + (seed % 100) as f64;
    Series::from_pairs((0..DAYS).map(|d| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        price *= 1.0 + ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.08;
        (first.add_days(d), price)
    }))
    .unwrap()
}

fn main() {
    let coins: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000);
    let first = Date::from_ymd(2016, 1, 1).unwrap();
    let btc = walk(u64::MAX / 3, first);
    let alts: BTreeMap<String, Series> =
        (0..coins as u64).map(|i| (format!("syn{i:05}"), walk(i + 1, first))).collect();
    let exclusions = Exclusions::new("bench", ["usdt"]);
    let input = AltseasonInput { btc: &btc, alts: &alts, exclusions: &exclusions, membership: None };
    let params = AltseasonParams::default();

    let run = || altseason(&input, &params).unwrap();
    let rows = black_box(run()).observations.len();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "altseason index: {coins} SYNTHETIC coins x {DAYS} days, window 90, {rows} rows: best {:.1} ms, median {:.1} ms",
        times[0].as_secs_f64() * 1e3,
        times[2].as_secs_f64() * 1e3
    );
}
