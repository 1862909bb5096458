//! Toda-Yamamoto against statsmodels 0.15.0 on weekly log levels of RUT and
//! BTC (the levels behind the Granger golden test's returns), both
//! directions, and the VAR lag-order criteria that choose `p`.
//!
//! Reference: `tests/reference/toda_yamamoto_rut_btc.py`, run from the
//! repository root as
//! `.venv/bin/python crates/stats/tests/reference/toda_yamamoto_rut_btc.py`:
//! `sm.OLS(y, [y lags 1..p+d, x lags 1..p+d, const]).fit().wald_test(R,
//! use_f=False)` with `R` on x's lags 1..p (and the same with
//! `cov_type="HC1"`); the criteria are `VAR(levels).select_order(12,
//! trend="c").ics` for p = 1..12.

use riskcurve_core::Series;
use riskcurve_stats::{LagOrder, TodaYamamoto, TodaYamamotoOptions, VarLagSelection};

use crate::assert_rel;
use crate::data::weekly_rut_btc_levels;

// Output of toda_yamamoto_rut_btc.py.
// n = 597 weekly log levels, 2014-09-19 .. 2026-02-20
const N: usize = 597;
const SUM_LOG_RUT: f64 = 4426.315480534297;
const SUM_LOG_BTC: f64 = 5424.205230183035;
// VAR select_order(12, trend="c"): selected {'aic': 3, 'bic': 1, 'hqic': 1, 'fpe': 3}; p = 1..12 below
const VAR_AIC: [f64; 12] = [
    -11.780442300902966,
    -11.785648333897289,
    -11.78594498569869,
    -11.784913313022818,
    -11.775508185494246,
    -11.764575733228789,
    -11.756600369095322,
    -11.748000102356219,
    -11.743596459056885,
    -11.732511790685361,
    -11.720188971049266,
    -11.716341799926052,
];
const VAR_BIC: [f64; 12] = [
    -11.735605256315973,
    -11.7109199262523,
    -11.681325214995704,
    -11.650402179261837,
    -11.61110568867527,
    -11.570281873351817,
    -11.532415146160355,
    -11.493923516363255,
    -11.459628510005926,
    -11.418652478576407,
    -11.376438295882316,
    -11.342699761701107,
];
const BEST_AIC: usize = 3;
const BEST_BIC: usize = 1;
// (direction, p, d_max, nobs, chi2, p-value, chi2 HC1, p-value HC1)
type Row = (&'static str, usize, usize, usize, f64, f64, f64, f64);
const TY: [Row; 5] = [
    ("rut -> btc", 3, 1, 593, 3.7691591039843777, 0.2874938820681286, 3.490604588938965, 0.32198272009072987),
    ("btc -> rut", 3, 1, 593, 15.982804782088708, 0.0011432264455225661, 9.808940942074013, 0.02026201496884384),
    ("rut -> btc", 1, 1, 595, 0.36699391190331815, 0.544647420692042, 0.3730627345499935, 0.5413395302556319),
    ("btc -> rut", 1, 1, 595, 9.625902465819976, 0.001918521546091458, 5.119928858868683, 0.023652586296893652),
    ("rut -> btc", 4, 2, 591, 4.854267799829073, 0.30257999634781496, 4.919370610245612, 0.29567107593941994),
];

/// Weekly log levels `(rut, btc)` on the weeks of `granger_rut_btc.py`,
/// 2014-09-19 ..= 2026-02-20, before differencing.
fn weekly_log_levels() -> (Vec<f64>, Vec<f64>) {
    let (rut, btc) = weekly_rut_btc_levels();
    for s in [&rut, &btc] {
        assert_eq!(s.first_date().unwrap().to_string(), "2014-09-19");
        assert_eq!(s.last_date().unwrap().to_string(), "2026-02-20");
    }
    let ln = |s: &Series| s.values().iter().map(|v| v.ln()).collect::<Vec<f64>>();
    (ln(&rut), ln(&btc))
}

#[test]
fn weekly_levels_match_pandas() {
    let (rut, btc) = weekly_log_levels();
    assert_eq!((rut.len(), btc.len()), (N, N));
    assert_rel(rut.iter().sum(), SUM_LOG_RUT, 1e-12, "sum of log rut");
    assert_rel(btc.iter().sum(), SUM_LOG_BTC, 1e-12, "sum of log btc");
}

#[test]
fn var_lag_criteria_match_statsmodels() {
    let (rut, btc) = weekly_log_levels();
    for (a, b) in [(&rut, &btc), (&btc, &rut)] {
        let s = VarLagSelection::estimate(a, b, 12).unwrap();
        assert_eq!((s.nobs, s.max_lag), (N - 12, 12));
        for p in 1..=12 {
            assert_rel(s.aic[p - 1], VAR_AIC[p - 1], 1e-12, &format!("var aic at p = {p}"));
            assert_rel(s.bic[p - 1], VAR_BIC[p - 1], 1e-12, &format!("var bic at p = {p}"));
        }
        assert_eq!((s.best_lag_aic, s.best_lag_bic), (BEST_AIC, BEST_BIC));
    }
}

#[test]
fn toda_yamamoto_matches_statsmodels() {
    let (rut, btc) = weekly_log_levels();
    for &(direction, p, d_max, nobs, chi2, pv, chi2_hc1, pv_hc1) in &TY {
        let (effect, cause) = if direction == "rut -> btc" { (&btc, &rut) } else { (&rut, &btc) };
        let what = |name: &str| format!("{direction} p = {p} d_max = {d_max} {name}");
        let options = TodaYamamotoOptions { d_max, ..TodaYamamotoOptions::fixed(p) };
        let ty = TodaYamamoto::test(effect, cause, options).unwrap();
        assert_eq!((ty.lag, ty.d_max, ty.df, ty.nobs, ty.n), (p, d_max, p, nobs, N), "{}", what("shape"));
        assert!(ty.selection.is_none());
        assert_rel(ty.chi2, chi2, 1e-8, &what("chi2"));
        assert_rel(ty.p, pv, 1e-8, &what("p"));
        assert_rel(ty.chi2_robust, chi2_hc1, 1e-8, &what("chi2 HC1"));
        assert_rel(ty.p_robust, pv_hc1, 1e-8, &what("p HC1"));
    }
}

#[test]
fn aic_choice_gives_the_same_test() {
    // p by AIC (3 here) and then the fixed-p test: the first two rows.
    let (rut, btc) = weekly_log_levels();
    for (effect, cause, row) in [(&btc, &rut, TY[0]), (&rut, &btc, TY[1])] {
        let ty = TodaYamamoto::test(effect, cause, TodaYamamotoOptions::aic(12)).unwrap();
        assert_eq!(ty.options.lag_order, LagOrder::Aic { max_lag: 12 });
        assert_eq!((ty.lag, ty.nobs), (BEST_AIC, row.3));
        assert_eq!(ty.selection.as_ref().unwrap().best_lag_bic, BEST_BIC);
        assert_rel(ty.chi2, row.4, 1e-8, "chi2 with p by aic");
        assert_rel(ty.p, row.5, 1e-8, "p with p by aic");
    }
}
