//! The timing harness of the kernel benches (`cargo bench -p <crate>`),
//! shared through `#[path]`: `std::time::Instant`, as the first bench did,
//! because criterion would add minutes of build to every clippy run.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `f` once to warm up, then `runs` times; prints the best and median.
pub fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    black_box(f());
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{name:<58} best {:>9.3} ms  median {:>9.3} ms", ms(times[0]), ms(times[times.len() / 2]));
}
