//! Event-study tests: known answers on hand-made series, and hand-checked
//! numbers on the real RUT breakouts and BTC closes in ../shared/data.

mod known_answers;
mod real_data;
#[path = "../shared_data.rs"]
mod shared_data;

use riskcurve_core::{Date, Series};
use riskcurve_stats::Pcg32;

/// Parses `YYYY-MM-DD`.
pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// A seeded geometric random walk on consecutive calendar days from `start`:
/// daily log returns normal with mean `drift` and sd `vol` (Box-Muller).
pub fn random_walk(start: &str, days: usize, drift: f64, vol: f64, seed: u64) -> Series {
    let mut rng = Pcg32::new(seed, 0);
    let start = d(start);
    let mut level = 100.0;
    Series::from_pairs((0..days).map(|i| {
        let (u1, u2) = (1.0 - rng.next_f64(), rng.next_f64());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        if i > 0 {
            level *= (drift + vol * z).exp();
        }
        (start.add_days(i as i32), level)
    }))
    .unwrap()
}
