//! Politis-White optimal block lengths against arch 8.0.0 on real returns.
//!
//! Reference: `tests/reference/block_length_btc.py`, run from the repository
//! root with the venv's python: `arch.bootstrap.optimal_block_length(r)`,
//! columns `stationary` and `circular`, for weekly BTC and RUT log returns
//! (the Granger sample) and daily BTC log returns over the whole file
//! (2014-09-17 .. 2026-06-05), plain and squared.

use riskcurve_core::log_returns;
use riskcurve_stats::OptimalBlockLength;

use crate::assert_rel;
use crate::data::{daily_close, weekly_rut_btc};

// (n, stationary, circular)
const WEEKLY_BTC: (usize, f64, f64) = (596, 2.120292406383313, 2.4271289159646554);
const WEEKLY_RUT: (usize, f64, f64) = (596, 2.0556402171234485, 2.353120634106635);
const DAILY_BTC: (usize, f64, f64) = (4279, 2.1510017079469215, 2.4622822908433832);
const DAILY_BTC_SQUARED: (usize, f64, f64) = (4279, 34.1267307238517, 39.06535471137543);

fn check(x: &[f64], (n, stationary, circular): (usize, f64, f64), what: &str) {
    assert_eq!(x.len(), n, "{what}: n");
    let b = OptimalBlockLength::estimate(x).unwrap();
    assert_rel(b.stationary, stationary, 1e-9, &format!("{what} stationary"));
    assert_rel(b.circular, circular, 1e-9, &format!("{what} circular"));
}

#[test]
fn weekly_returns_match_arch() {
    let (rut, btc) = weekly_rut_btc();
    check(btc.values(), WEEKLY_BTC, "weekly btc");
    check(rut.values(), WEEKLY_RUT, "weekly rut");
}

#[test]
fn daily_returns_match_arch() {
    let r = log_returns(&daily_close("btc_usd_daily_yahoo.csv")).unwrap();
    check(r.values(), DAILY_BTC, "daily btc");
    let squared: Vec<f64> = r.values().iter().map(|v| v * v).collect();
    check(&squared, DAILY_BTC_SQUARED, "daily btc squared");
}
