//! The real series of the golden tests, built from ../shared/data exactly as
//! `tests/reference/granger_rut_btc.py` builds them with pandas.

use riskcurve_core::{align, log_returns, to_weekly, Series};

pub use crate::shared_data::daily_close;

/// Weekly closes `(rut, btc)`: the last close of each Saturday..Friday week
/// keyed by its Friday, on weeks where both have a close, weeks of
/// 2014-09-19 ..= 2026-02-20.
pub fn weekly_rut_btc_levels() -> (Series, Series) {
    let rut = to_weekly(&daily_close("rut_daily_yahoo.csv"));
    let btc = to_weekly(&daily_close("btc_usd_daily_yahoo.csv"));
    let (dates, values) = align(&[&rut, &btc]);
    let window = |values: &[f64]| {
        let s = Series::new(dates.clone(), values.to_vec()).unwrap();
        s.between(Some("2014-09-19".parse().unwrap()), Some("2026-02-20".parse().unwrap()))
    };
    (window(&values[0]), window(&values[1]))
}

/// Weekly log returns `(rut, btc)` of [`weekly_rut_btc_levels`] (the first
/// is 2014-09-26).
pub fn weekly_rut_btc() -> (Series, Series) {
    let (rut, btc) = weekly_rut_btc_levels();
    (log_returns(&rut).unwrap(), log_returns(&btc).unwrap())
}

// From granger_rut_btc.py: the sample the other reference numbers are on.
const N: usize = 596;
const FIRST: &str = "2014-09-26";
const LAST: &str = "2026-02-20";
const SUM_RUT: f64 = 0.8426660508194646;
const SUM_BTC: f64 = 5.148973563994116;

#[test]
fn weekly_returns_match_pandas() {
    let (rut, btc) = weekly_rut_btc();
    assert_eq!(rut.dates(), btc.dates());
    assert_eq!(rut.len(), N);
    assert_eq!(rut.first_date().unwrap().to_string(), FIRST);
    assert_eq!(rut.last_date().unwrap().to_string(), LAST);
    crate::assert_rel(rut.values().iter().sum(), SUM_RUT, 1e-12, "sum of rut returns");
    crate::assert_rel(btc.values().iter().sum(), SUM_BTC, 1e-12, "sum of btc returns");
}
