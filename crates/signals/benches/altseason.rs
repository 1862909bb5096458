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

use riskcurve_core::{Date, Series};
use riskcurve_signals::altseason::{altseason, AltseasonInput, AltseasonParams, Exclusions};

#[path = "../../../bench/timing.rs"]
mod timing;
use timing::time;

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

    let rows = altseason(&input, &params).unwrap().observations.len();
    let label = format!("altseason index: {coins} SYNTHETIC coins x {DAYS} days, window 90, {rows} rows");
    time(&label, 5, || altseason(&input, &params).unwrap());
}
