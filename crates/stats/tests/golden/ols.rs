//! OLS, robust covariances and Wald tests against statsmodels 0.15.0 on
//! weekly BTC log returns regressed on two lags of BTC and of RUT.
//!
//! Reference: `tests/reference/granger_rut_btc.py` (the "OLS golden" part):
//! `sm.OLS(y, x).fit()` and `.fit(cov_type=..)` for HC0, HC1, HC3 and HAC with
//! `cov_kwds={"maxlags": 4}`, then `wald_test(R, use_f=False, scalar=True)`
//! on the two RUT lags.

use riskcurve_stats::{CovarianceKind, Matrix, Ols};

use crate::assert_rel;
use crate::data::weekly_rut_btc;

const OLS_PARAMS: [f64; 5] =
    [0.06250478892318523, 0.0364311313834695, 0.07802631423867631, 0.12621355040523735, 0.007674661289840103];
const OLS_SSR: f64 = 4.948449842589179;
const OLS_LLF: f64 = 579.1285828939461;
const OLS_BSE: [f64; 5] =
    [0.04206854883575754, 0.04232429893278357, 0.12559456333660948, 0.12499596913455016, 0.0037938671892489757];
const OLS_BSE_HC0: [f64; 5] =
    [0.048362860639582526, 0.04885591994036164, 0.12478694222035769, 0.14879518304629943, 0.0037601213109724804];
const WALD_CHI2_HC0: (f64, f64) = (0.9015946264421496, 0.6371199648852792);
const OLS_BSE_HC1: [f64; 5] =
    [0.048567702135064866, 0.049062849794621714, 0.12531547886031333, 0.1494254068877491, 0.003776047351375149];
const WALD_CHI2_HC1: (f64, f64) = (0.8940054460848925, 0.6395421667719635);
const OLS_BSE_HC3: [f64; 5] =
    [0.049421630892891304, 0.04997359414836194, 0.1290344949174843, 0.153435160220881, 0.003805623067904083];
const WALD_CHI2_HC3: (f64, f64) = (0.8381202943737142, 0.6576646374003465);
const OLS_BSE_HAC: [f64; 5] =
    [0.04382482054378838, 0.048170616233035965, 0.1171602238299322, 0.12919222866399305, 0.003713608207950107];
const WALD_CHI2_HAC: (f64, f64) = (1.4891261691324031, 0.4749417640013345);

/// btc_t on [btc_{t-1}, btc_{t-2}, rut_{t-1}, rut_{t-2}, 1] for t >= 2.
fn fit() -> Ols {
    let (rut, btc) = weekly_rut_btc();
    let (r, b) = (rut.values(), btc.values());
    let n = b.len();
    let lagged = |s: &[f64], j: usize| s[2 - j..n - j].to_vec();
    let x = Matrix::from_columns(&[lagged(b, 1), lagged(b, 2), lagged(r, 1), lagged(r, 2), vec![1.0; n - 2]]).unwrap();
    Ols::fit(&b[2..], &x).unwrap()
}

#[test]
fn classical_fit_matches_statsmodels() {
    let fit = fit();
    for (i, want) in OLS_PARAMS.iter().enumerate() {
        assert_rel(fit.coefficients()[i], *want, 1e-10, &format!("params[{i}]"));
    }
    assert_rel(fit.ssr(), OLS_SSR, 1e-12, "ssr");
    assert_rel(fit.log_likelihood(), OLS_LLF, 1e-12, "llf");
    let se = fit.standard_errors(CovarianceKind::Classical).unwrap();
    for (i, want) in OLS_BSE.iter().enumerate() {
        assert_rel(se[i], *want, 1e-10, &format!("bse[{i}]"));
    }
}

#[test]
fn robust_covariances_and_wald_tests_match_statsmodels() {
    let fit = fit();
    let cases = [
        (CovarianceKind::Hc0, OLS_BSE_HC0, WALD_CHI2_HC0),
        (CovarianceKind::Hc1, OLS_BSE_HC1, WALD_CHI2_HC1),
        (CovarianceKind::Hc3, OLS_BSE_HC3, WALD_CHI2_HC3),
        (CovarianceKind::NeweyWest { lags: 4 }, OLS_BSE_HAC, WALD_CHI2_HAC),
    ];
    for (kind, bse, (chi2, p)) in cases {
        let se = fit.standard_errors(kind).unwrap();
        for (i, want) in bse.iter().enumerate() {
            assert_rel(se[i], *want, 1e-10, &format!("{kind:?} bse[{i}]"));
        }
        let w = fit.wald_test(&[2, 3], kind).unwrap();
        assert_rel(w.chi2, chi2, 1e-10, &format!("{kind:?} wald chi2"));
        assert_rel(w.p_chi2, p, 1e-10, &format!("{kind:?} wald p"));
        assert_eq!((w.df_num, w.df_den), (2, 589));
    }
}
