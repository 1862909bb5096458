//! Granger causality: do past values of one series help predict another
//! beyond its own past?
//!
//! For each lag `p = 1..L`, on the rows `t = p..n-1` (each lag trims its own
//! first `p` observations, as statsmodels does):
//!
//! - restricted:   `y_t = c + a_1 y_{t-1} + ... + a_p y_{t-p} + e_t`
//! - unrestricted: the same plus `b_1 x_{t-1} + ... + b_p x_{t-p}`
//!
//! and the null hypothesis `b_1 = ... = b_p = 0` ("x does not Granger-cause
//! y") is tested by
//!
//! `F = ((SSR_r - SSR_u) / p) / (SSR_u / (n - p - 2p - 1))`, referred to
//! `F(p, n - 3p - 1)`.
//!
//! This is exactly the `ssr_ftest` of statsmodels
//! `grangercausalitytests(np.column_stack([y, x]), L, addconst=True)`
//! (statsmodels 0.15.0; the golden test holds F, the degrees of freedom and p
//! to 1e-8 relative on weekly RUT/BTC returns), which equals R's
//! `lmtest::grangertest`. The F test assumes homoskedastic errors; returns are
//! not, so each lag also gets a Wald test of the same restrictions with a
//! robust covariance of the unrestricted model ([`CovarianceKind::Hc1`] by
//! default, or Newey-West), in F form with the same degrees of freedom
//! (statsmodels `OLS(..).fit(cov_type="HC1").f_test(R)`).
//!
//! The lag order is chosen by AIC and BIC of the unrestricted model, all lags
//! fitted on the *same* rows `t = L..n-1` so the criteria are comparable.
//!
//! Granger causality is predictive precedence in a linear model, not
//! causation; with several lags and two directions tested, the p-values need a
//! multiple-testing correction before anyone reads them as findings.

use serde::Serialize;

use crate::{CovarianceKind, Matrix, Ols, StatsError};

/// Settings of a Granger causality test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GrangerOptions {
    /// The largest lag `L` tested; lags `1..=L` each get a test.
    pub max_lag: usize,
    /// The covariance of the robust Wald variant (`p_robust`).
    pub robust: CovarianceKind,
}

impl GrangerOptions {
    /// Lags `1..=max_lag`, HC1 robust covariance.
    pub fn new(max_lag: usize) -> GrangerOptions {
        GrangerOptions { max_lag, robust: CovarianceKind::Hc1 }
    }
}

/// The Granger causality tests at one lag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GrangerLagTest {
    /// The number of lags `p` of both series in the regressions.
    pub lag: usize,
    /// The observations used, `n - p`.
    pub nobs: usize,
    /// The F statistic (statsmodels `ssr_ftest[0]`).
    pub f: f64,
    /// Numerator degrees of freedom `p`.
    pub df_num: usize,
    /// Denominator degrees of freedom `n - 3p - 1`.
    pub df_den: usize,
    /// `P(F(df_num, df_den) > f)` (statsmodels `ssr_ftest[1]`).
    pub p: f64,
    /// The robust Wald statistic in F form, `W / p`.
    pub f_robust: f64,
    /// `P(F(df_num, df_den) > f_robust)`.
    pub p_robust: f64,
    /// Sum of squared residuals of the restricted model (own lags only).
    pub ssr_restricted: f64,
    /// Sum of squared residuals of the unrestricted model.
    pub ssr_unrestricted: f64,
}

/// The choice of lag by information criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LagSelection {
    /// The common sample all lags were fitted on, `n - L`.
    pub nobs: usize,
    /// AIC of the unrestricted model at lags `1..=L` (index 0 is lag 1).
    pub aic: Vec<f64>,
    /// BIC likewise.
    pub bic: Vec<f64>,
    /// The lag with the smallest AIC (the smaller lag on a tie).
    pub best_lag_aic: usize,
    /// The lag with the smallest BIC.
    pub best_lag_bic: usize,
}

/// Granger causality tests of "`cause` does not Granger-cause `effect`" at
/// lags `1..=max_lag`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrangerCausality {
    /// The length of the input series.
    pub n: usize,
    /// The settings used.
    pub options: GrangerOptions,
    /// One test per lag, lag 1 first.
    pub tests: Vec<GrangerLagTest>,
    /// The lag chosen by AIC and BIC.
    pub selection: LagSelection,
}

impl GrangerCausality {
    /// Runs the tests on two aligned series (same length, same dates, oldest
    /// first, e.g. returns: Granger tests need stationary data).
    ///
    /// Fails when the lengths differ, a value is not finite, `max_lag` is 0,
    /// there are no more than `3 max_lag + 1` observations (statsmodels'
    /// limit), or a regression is degenerate (a constant series, a perfect
    /// fit).
    ///
    /// ```
    /// use riskcurve_stats::{GrangerCausality, GrangerOptions};
    /// // y follows x with a one-period delay, plus its own wobble.
    /// let x: Vec<f64> = (0..60).map(|t| ((t * t) as f64 * 0.37).sin()).collect();
    /// let y: Vec<f64> = (0..60).map(|t| if t == 0 { 0.0 } else { x[t - 1] + 0.1 * (t as f64 * 1.3).cos() }).collect();
    /// let g = GrangerCausality::test(&y, &x, GrangerOptions::new(2)).unwrap();
    /// assert!(g.tests[0].p < 1e-6);
    /// assert_eq!((g.tests[0].df_num, g.tests[0].df_den), (1, 56));
    /// ```
    pub fn test(effect: &[f64], cause: &[f64], options: GrangerOptions) -> Result<GrangerCausality, StatsError> {
        let n = effect.len();
        if cause.len() != n {
            return Err(StatsError::DimensionMismatch {
                what: "granger: cause against effect".into(),
                expected: n,
                got: cause.len(),
            });
        }
        for (what, values) in [("granger: effect", effect), ("granger: cause", cause)] {
            if let Some(index) = values.iter().position(|v| !v.is_finite()) {
                return Err(StatsError::NonFinite { what: what.into(), index });
            }
        }
        let max_lag = options.max_lag;
        if max_lag == 0 {
            return Err(StatsError::param("max_lag", "must be at least 1"));
        }
        let needed = 3 * max_lag + 2;
        if n < needed {
            return Err(StatsError::TooFewObservations {
                what: format!("granger with max_lag {max_lag}"),
                needed,
                got: n,
            });
        }
        let tests = (1..=max_lag).map(|lag| test_lag(effect, cause, lag, options.robust)).collect::<Result<_, _>>()?;
        let selection = select_lag(effect, cause, max_lag)?;
        Ok(GrangerCausality { n, options, tests, selection })
    }
}

fn test_lag(effect: &[f64], cause: &[f64], lag: usize, robust: CovarianceKind) -> Result<GrangerLagTest, StatsError> {
    let (y, restricted_x) = lagged_design(effect, None, lag, lag)?;
    let (_, unrestricted_x) = lagged_design(effect, Some(cause), lag, lag)?;
    let degenerate = |e: StatsError| match e {
        StatsError::RankDeficient { column } => StatsError::Infeasible(format!(
            "granger lag {lag}: regressor {column} is collinear with the others (is a series constant?)"
        )),
        other => other,
    };
    let restricted = Ols::fit(&y, &restricted_x).map_err(degenerate)?;
    let unrestricted = Ols::fit(&y, &unrestricted_x).map_err(degenerate)?;
    let (ssr_r, ssr_u) = (restricted.ssr(), unrestricted.ssr());
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let tss: f64 = y.iter().map(|v| (v - mean) * (v - mean)).sum();
    if tss == 0.0 || ssr_u / tss < f64::EPSILON {
        return Err(StatsError::Infeasible(format!("granger lag {lag}: the unrestricted model fits perfectly")));
    }
    let df_den = unrestricted.df_resid();
    // statsmodels' order of operations, for bit-level agreement.
    let f = (ssr_r - ssr_u) / ssr_u / lag as f64 * df_den as f64;
    let wald = unrestricted.wald_test(&(lag..2 * lag).collect::<Vec<_>>(), robust)?;
    Ok(GrangerLagTest {
        lag,
        nobs: y.len(),
        f,
        df_num: lag,
        df_den,
        p: crate::f_sf(f, lag as f64, df_den as f64)?,
        f_robust: wald.f,
        p_robust: wald.p_f,
        ssr_restricted: ssr_r,
        ssr_unrestricted: ssr_u,
    })
}

fn select_lag(effect: &[f64], cause: &[f64], max_lag: usize) -> Result<LagSelection, StatsError> {
    let mut aic = Vec::with_capacity(max_lag);
    let mut bic = Vec::with_capacity(max_lag);
    for lag in 1..=max_lag {
        let (y, x) = lagged_design(effect, Some(cause), lag, max_lag)?;
        let fit = Ols::fit(&y, &x)?;
        aic.push(fit.aic());
        bic.push(fit.bic());
    }
    let argmin = |v: &[f64]| 1 + (0..v.len()).fold(0, |best, i| if v[i] < v[best] { i } else { best });
    Ok(LagSelection { nobs: effect.len() - max_lag, best_lag_aic: argmin(&aic), best_lag_bic: argmin(&bic), aic, bic })
}

/// `y_t` and the design `[y_{t-1}..y_{t-lag}, x_{t-1}..x_{t-lag}, 1]` for
/// rows `t = start..n-1` (`start >= lag`), in statsmodels' column order.
/// Without `cause` only the own lags and the constant.
pub(crate) fn lagged_design(
    effect: &[f64],
    cause: Option<&[f64]>,
    lag: usize,
    start: usize,
) -> Result<(Vec<f64>, Matrix), StatsError> {
    debug_assert!(start >= lag);
    let n = effect.len();
    let lagged = |s: &[f64], j: usize| s[start - j..n - j].to_vec();
    let mut columns: Vec<Vec<f64>> = (1..=lag).map(|j| lagged(effect, j)).collect();
    if let Some(cause) = cause {
        columns.extend((1..=lag).map(|j| lagged(cause, j)));
    }
    columns.push(vec![1.0; n - start]);
    Ok((effect[start..].to_vec(), Matrix::from_columns(&columns)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        // A small deterministic generator (SplitMix64), uniform on (-1, 1).
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
            })
            .collect()
    }

    #[test]
    fn design_layout() {
        let y = [1.0, 2.0, 3.0, 4.0, 5.0];
        let x = [10.0, 20.0, 30.0, 40.0, 50.0];
        let (yy, d) = lagged_design(&y, Some(&x), 2, 2).unwrap();
        assert_eq!(yy, vec![3.0, 4.0, 5.0]);
        assert_eq!(d.row(0), &[2.0, 1.0, 20.0, 10.0, 1.0]);
        assert_eq!(d.row(2), &[4.0, 3.0, 40.0, 30.0, 1.0]);
        let (yy, d) = lagged_design(&y, None, 1, 3).unwrap();
        assert_eq!(yy, vec![4.0, 5.0]);
        assert_eq!(d.row(1), &[4.0, 1.0]);
    }

    #[test]
    fn detects_a_planted_lead_and_not_its_reverse() {
        let x = noise(300, 1);
        let e = noise(300, 2);
        let y: Vec<f64> = (0..300).map(|t| if t < 3 { e[t] } else { 0.6 * x[t - 3] + e[t] }).collect();
        let forward = GrangerCausality::test(&y, &x, GrangerOptions::new(4)).unwrap();
        assert!(forward.tests[2].p < 1e-10 && forward.tests[2].p_robust < 1e-10);
        // Lags 1 and 2 cannot see a 3-period lead.
        assert!(forward.tests[0].p > 0.001);
        assert_eq!(forward.selection.best_lag_bic, 3);
        let reverse = GrangerCausality::test(&x, &y, GrangerOptions::new(4)).unwrap();
        assert!(reverse.tests.iter().all(|t| t.p > 0.001));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let x = noise(40, 3);
        let y = noise(40, 4);
        assert!(matches!(
            GrangerCausality::test(&y, &x[..39], GrangerOptions::new(2)),
            Err(StatsError::DimensionMismatch { .. })
        ));
        assert!(matches!(
            GrangerCausality::test(&y, &x, GrangerOptions::new(0)),
            Err(StatsError::InvalidParameter { .. })
        ));
        // statsmodels needs n > 3 L + 1: 40 observations allow L = 12, not 13.
        assert!(GrangerCausality::test(&y, &x, GrangerOptions::new(12)).is_ok());
        assert_eq!(
            GrangerCausality::test(&y, &x, GrangerOptions::new(13)).unwrap_err(),
            StatsError::TooFewObservations { what: "granger with max_lag 13".into(), needed: 41, got: 40 }
        );
        let constant = vec![0.5; 40];
        assert!(matches!(
            GrangerCausality::test(&y, &constant, GrangerOptions::new(2)),
            Err(StatsError::Infeasible(_))
        ));
        let mut with_nan = x.clone();
        with_nan[7] = f64::NAN;
        assert!(matches!(
            GrangerCausality::test(&y, &with_nan, GrangerOptions::new(2)),
            Err(StatsError::NonFinite { index: 7, .. })
        ));
    }
}
