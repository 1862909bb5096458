//! Rolling correlation against pandas 3.1.1 on weekly RUT and BTC log
//! returns, 52-week window.
//!
//! Reference: `tests/reference/rolling_rut_btc.py`, run from the repository
//! root as `.venv/bin/python crates/stats/tests/reference/rolling_rut_btc.py`:
//! `r["rut"].rolling(52).corr(r["btc"]).dropna()` on the 596 weekly returns
//! of `granger_rut_btc.py`. pandas keeps running sums from window to window;
//! riskcurve recomputes each window with the two-pass formula, so they agree
//! to rounding (about 1e-12 relative; held to 1e-10 here).

use riskcurve_stats::{rolling_correlation, rolling_correlation_series};

use crate::assert_rel;
use crate::data::weekly_rut_btc;

// Output of rolling_rut_btc.py.
// rut.rolling(52).corr(btc): 545 values, 2015-09-18 .. 2026-02-20
const COUNT: usize = 545;
const SUM: f64 = 108.64608903511206;
const MIN: (&str, f64) = ("2017-02-24", -0.1742853228055913);
const MAX: (&str, f64) = ("2022-11-04", 0.6200442125519885);
const POINTS: [(&str, f64); 8] = [
    ("2015-09-18", 0.08885634488751333),
    ("2015-09-25", 0.08941010927409578),
    ("2017-08-18", -0.04709174038587533),
    ("2019-07-19", 0.001600590423043431),
    ("2021-06-18", 0.34858824831794294),
    ("2023-05-19", 0.38699381796402627),
    ("2025-04-18", 0.41221926871356707),
    ("2026-02-20", 0.275701616758781),
];

const TOL: f64 = 1e-10;

#[test]
fn rolling_52_week_correlation_matches_pandas() {
    let (rut, btc) = weekly_rut_btc();
    let points = rolling_correlation_series(&rut, &btc, 52).unwrap();
    assert_eq!(points.len(), COUNT);
    let r: Vec<f64> = points.iter().map(|p| p.r.expect("no constant window in real returns")).collect();
    assert_rel(r.iter().sum(), SUM, TOL, "sum of rolling correlations");
    for &(date, want) in &POINTS {
        let p = points.iter().find(|p| p.date.to_string() == date).unwrap_or_else(|| panic!("no point on {date}"));
        assert_rel(p.r.unwrap(), want, TOL, &format!("rolling correlation on {date}"));
    }
    let (lo, hi) = points.iter().fold((points[0], points[0]), |(lo, hi), p| {
        (if p.r < lo.r { *p } else { lo }, if p.r > hi.r { *p } else { hi })
    });
    assert_eq!((lo.date.to_string(), hi.date.to_string()), (MIN.0.to_string(), MAX.0.to_string()));
    assert_rel(lo.r.unwrap(), MIN.1, TOL, "minimum");
    assert_rel(hi.r.unwrap(), MAX.1, TOL, "maximum");

    // The slice form: the same numbers, None until the window is full.
    let plain = rolling_correlation(rut.values(), btc.values(), 52).unwrap();
    assert_eq!(plain.len(), rut.len());
    assert!(plain[..51].iter().all(Option::is_none));
    assert!(plain[51..].iter().zip(&r).all(|(a, b)| *a == Some(*b)));
}
