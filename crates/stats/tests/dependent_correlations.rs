//! Steiger's Z and Williams' t against a from-the-formula reference on real
//! data: does BTC move more with small caps (RUT) than with large caps (S&P
//! 500, or the Nasdaq Composite)?
//!
//! Reference: `tests/reference/dependent_correlations.py`, run from the
//! repository root as `/tmp/venv/bin/python crates/stats/tests/reference/dependent_correlations.py`
//! (it first checks its formulas against the published values the unit tests
//! use). Weekly log returns: the last close of each Saturday..Friday week,
//! keyed by its Friday, on weeks where BTC, RUT and the other index all have a
//! close, weeks of 2016-07-01 ..= 2026-02-20.

use riskcurve_core::{align, log_returns, to_weekly, BarSeries, Series};
use riskcurve_ingest::format::{parse, Format, ParseOptions};
use riskcurve_stats::DependentCorrelations;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

// Output of dependent_correlations.py: r_jk, r_jh, r_kh, Steiger Z, its p,
// Williams t, its p. j = btc, k = rut, h = spx or ixic.
// weekly log returns, 2016-07-08 .. 2026-02-20
const N: usize = 503;
const SPX: [f64; 7] = [
    0.23705657330260468,
    0.1918297023769242,
    0.8661668409592485,
    2.004940154723327,
    0.044969445248801795,
    2.012616847515378,
    0.044690589261494364,
];
const IXIC: [f64; 7] = [
    0.23705657330260468,
    0.2083408004591834,
    0.8073747164008075,
    1.0639262050852176,
    0.28736213074816397,
    1.0650403922594156,
    0.28737169005514424,
];

fn daily_close(file: &str, format: Format) -> Series {
    let path = format!("{DATA}/{file}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let parsed = parse(file, &bytes, format, &ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    BarSeries::new(parsed.series[0].bars.clone()).unwrap().closes()
}

/// Weekly log returns of btc, rut and `other` on their common weeks.
fn weekly_returns(other: &str) -> (usize, Vec<Vec<f64>>) {
    let btc = to_weekly(&daily_close("btc_usd_daily_yahoo.csv", Format::Yahoo));
    let rut = to_weekly(&daily_close("rut_daily_yahoo.csv", Format::Yahoo));
    let spx = to_weekly(&daily_close("spx_daily_heliar.csv", Format::Ibkr));
    let ixic = to_weekly(&daily_close("ixic_daily_heliar.csv", Format::Ibkr));
    // The reference joins all four before windowing: the same weeks for both comparisons.
    let (dates, values) = align(&[&btc, &rut, &spx, &ixic]);
    let columns: Vec<Vec<f64>> = [0, 1, if other == "spx" { 2 } else { 3 }]
        .iter()
        .map(|&i| {
            let s = Series::new(dates.clone(), values[i].clone()).unwrap();
            let s = s.between(Some("2016-07-01".parse().unwrap()), Some("2026-02-20".parse().unwrap()));
            log_returns(&s).unwrap().values().to_vec()
        })
        .collect();
    (columns[0].len(), columns)
}

#[track_caller]
fn assert_rel(got: f64, want: f64, what: &str) {
    let err = ((got - want) / want).abs();
    assert!(err <= 1e-10, "{what}: got {got:e}, want {want:e}, relative error {err:e}");
}

#[test]
fn btc_with_small_caps_against_large_caps_matches_the_reference() {
    for (other, want) in [("spx", SPX), ("ixic", IXIC)] {
        let (n, r) = weekly_returns(other);
        assert_eq!(n, N);
        let d = DependentCorrelations::from_samples(&r[0], &r[1], &r[2]).unwrap();
        let got = [d.r_jk, d.r_jh, d.r_kh, d.steiger_z, d.steiger_p, d.williams_t, d.williams_p];
        let names = ["r_jk", "r_jh", "r_kh", "steiger_z", "steiger_p", "williams_t", "williams_p"];
        for ((g, w), name) in got.iter().zip(want).zip(names) {
            assert_rel(*g, w, &format!("{other}: {name}"));
        }
        assert_eq!(d.n, N);
    }
}
