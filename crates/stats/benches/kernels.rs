//! The statistics kernels one at a time, on real closes from ../shared/data:
//!
//! - forward-return table: BTC's 90-day forward returns from every RUT trading
//!   day since 2010 (~4,000 candidates), the event study's baseline and pool;
//! - placebo draws: 100,000 sets of 10 dates from a 4,000-date pool;
//! - bootstrap: a 95% stationary-bootstrap interval of the mean of 600 weekly
//!   BTC returns, 10,000 resamples (Politis-White block length);
//! - Granger: RUT -> BTC weekly log returns, lags 1..12 (OLS, F and HC1 tests).
//!
//! ```text
//! cargo bench -p riskcurve-stats --bench kernels            # 2 threads
//! cargo bench -p riskcurve-stats --bench kernels -- 1       # 1 thread
//! ```
//!
//! Prints the best and median of 7 timed runs of each after one warm-up run.
//! Timed with std::time::Instant, as the event_study bench (criterion would be a
//! heavy dependency for a handful of numbers).

use riskcurve_core::{align, Date, Series};
use riskcurve_stats::{
    EntryRule, ForwardReturns, GrangerCausality, GrangerOptions, Pcg32, PlaceboStratum, PlaceboTest,
    StationaryBootstrap,
};

#[path = "../tests/shared_data.rs"]
mod shared_data;
use shared_data::daily_close;

#[path = "../../../bench/timing.rs"]
mod timing;
use timing::time;

/// Friday-keyed weekly log returns of the dates both series have.
fn weekly_log_returns(a: &Series, b: &Series) -> (Vec<f64>, Vec<f64>) {
    let (dates, values) = align(&[a, b]);
    let mut last: Vec<(Date, f64, f64)> = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        // Saturday..Friday weeks keyed by their Friday; 1970-01-02 was a Friday.
        let friday = d.add_days((1 - d.days()).rem_euclid(7));
        match last.last_mut() {
            Some(l) if l.0 == friday => *l = (friday, values[0][i], values[1][i]),
            _ => last.push((friday, values[0][i], values[1][i])),
        }
    }
    let r = |k: usize| -> Vec<f64> {
        last.windows(2).map(|w| if k == 0 { (w[1].1 / w[0].1).ln() } else { (w[1].2 / w[0].2).ln() }).collect()
    };
    (r(0), r(1))
}

fn main() {
    let threads: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let btc = daily_close("btc_usd_daily_yahoo.csv");
    let rut = daily_close("rut_daily_yahoo.csv");
    let eligible = rut.between(Some("2010-01-01".parse().unwrap()), None).dates().to_vec();
    println!("{threads} thread(s); {} RUT trading days since 2010, {} BTC closes", eligible.len(), btc.len());

    let forward = ForwardReturns::new(&btc, EntryRule::STRICTLY_AFTER);
    time("forward-return table (btc, 90 days, RUT days since 2010)", 7, || forward.table(&eligible, 90));

    let table = forward.table(&eligible, 90);
    let returns: Vec<f64> = table.returns().iter().copied().take(4_000).collect();
    let observed: Vec<f64> = returns.iter().step_by(returns.len() / 10).take(10).copied().collect();
    let test = PlaceboTest::new(100_000, 42).unwrap();
    let strata = [PlaceboStratum { pool: &returns, draws: observed.len() }];
    let label = format!("placebo draws (100,000 sets of 10 of {})", returns.len());
    time(&label, 7, || pool.install(|| test.run(&observed, &strata).unwrap()));

    let (rut_w, btc_w) = weekly_log_returns(&rut, &btc);
    let bootstrap = StationaryBootstrap::automatic(&btc_w);
    let label = format!("stationary bootstrap CI ({} weekly returns, 10,000)", btc_w.len());
    time(&label, 7, || bootstrap.mean_interval(&btc_w, 0.95, 10_000, &mut Pcg32::new(42, 1)).unwrap());

    let label = format!("Granger rut -> btc ({} weekly returns, lags 1..12)", btc_w.len());
    time(&label, 7, || GrangerCausality::test(&btc_w, &rut_w, GrangerOptions::new(12)).unwrap());
}
