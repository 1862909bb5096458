//! The Toda-Yamamoto causality test: Granger causality between series in
//! levels that may be integrated or cointegrated.
//!
//! Toda & Yamamoto (1995), "Statistical inference in vector autoregressions
//! with possibly integrated processes", Journal of Econometrics 66, 225-250.
//! A Granger test on returns throws away any long-run relation between the
//! levels, and a Wald test on a VAR in levels of I(1) series has a
//! non-standard distribution. Toda and Yamamoto fit the VAR in levels with
//! `d_max` extra lags, where `d_max` is the highest order of integration
//! suspected (1 for prices), and test only the first `p` lags: the extra lags
//! absorb the unit roots, and the Wald statistic on the first `p` is
//! asymptotically chi-square with `p` degrees of freedom whatever the
//! integration and cointegration of the series.
//!
//! With `m = p + d_max`, on the rows `t = m..n-1` (oldest first):
//!
//! `y_t = c + a_1 y_{t-1} + ... + a_m y_{t-m} + b_1 x_{t-1} + ... + b_m x_{t-m} + e_t`
//!
//! and `W = b' V^-1 b` for `b = (b_1..b_p)` with the classical OLS covariance
//! `V`, referred to `chi2(p)`; a heteroskedasticity-robust variant uses the
//! HC1 covariance (or another [`CovarianceKind`]). This is statsmodels
//! `sm.OLS(y, X).fit().wald_test(R, use_f=False)` with `R` picking
//! `b_1..b_p` out of `X = [y lags 1..m, x lags 1..m, const]`; the golden test
//! holds the statistic and p-value to 1e-8 relative on weekly log levels of
//! RUT and BTC.
//!
//! **Lag order** `p`: given, or chosen by AIC of the bivariate VAR in levels
//! (`p` lags, constant) over `p = 1..max_lag`, all fitted on the same rows
//! `t = max_lag..n-1`: `AIC(p) = ln det(S_p) + 2 (4 p + 2) / T`, with `S_p`
//! the residual covariance divided by `T = n - max_lag` and `4 p + 2` the
//! VAR's coefficients (statsmodels `VAR(levels).select_order(max_lag,
//! trend="c")`, whose values the golden test matches, except that
//! statsmodels also considers `p = 0`, which leaves nothing to test). BIC
//! replaces `2` by `ln T`. The system criterion picks one `p` for both
//! directions, as the VAR of the method has one lag order.
//!
//! Pass log levels (log prices), not returns: differencing is what the
//! method avoids.

use serde::Serialize;

use crate::granger::lagged_design;
use crate::{chi2_sf, CovarianceKind, Ols, StatsError};

/// How the lag order `p` of a Toda-Yamamoto test is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum LagOrder {
    /// This `p` (at least 1).
    Fixed {
        /// The lag order.
        lag: usize,
    },
    /// The `p` in `1..=max_lag` with the smallest AIC of the VAR in levels.
    Aic {
        /// The largest order considered.
        max_lag: usize,
    },
}

/// Settings of a Toda-Yamamoto test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TodaYamamotoOptions {
    /// The lag order `p`, or how to choose it.
    pub lag_order: LagOrder,
    /// Extra lags `d_max`: the highest order of integration suspected (1 for
    /// prices). 0 makes it a plain Wald test in levels, valid only for
    /// stationary series.
    pub d_max: usize,
    /// The covariance of the robust variant (`p_robust`).
    pub robust: CovarianceKind,
}

impl TodaYamamotoOptions {
    /// `p` chosen by AIC over `1..=max_lag`, `d_max = 1`, HC1 robust
    /// variant.
    pub fn aic(max_lag: usize) -> TodaYamamotoOptions {
        TodaYamamotoOptions { lag_order: LagOrder::Aic { max_lag }, d_max: 1, robust: CovarianceKind::Hc1 }
    }

    /// A given `p`, `d_max = 1`, HC1 robust variant.
    pub fn fixed(lag: usize) -> TodaYamamotoOptions {
        TodaYamamotoOptions { lag_order: LagOrder::Fixed { lag }, d_max: 1, robust: CovarianceKind::Hc1 }
    }
}

/// Information criteria of the bivariate VAR with a constant at lag orders
/// `1..=max_lag`, all on the rows `t = max_lag..n-1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarLagSelection {
    /// The rows every order was fitted on, `T = n - max_lag`.
    pub nobs: usize,
    /// The largest order considered.
    pub max_lag: usize,
    /// `ln det(S_p) + 2 (4p + 2) / T` for `p = 1..=max_lag` (index 0 is
    /// `p = 1`): statsmodels `select_order(..).ics["aic"][1..]`.
    pub aic: Vec<f64>,
    /// `ln det(S_p) + ln(T) (4p + 2) / T`, likewise.
    pub bic: Vec<f64>,
    /// The order with the smallest AIC (the smaller one on a tie).
    pub best_lag_aic: usize,
    /// The order with the smallest BIC.
    pub best_lag_bic: usize,
}

impl VarLagSelection {
    /// Fits the VAR of `a` and `b` (aligned levels, oldest first) at orders
    /// `1..=max_lag` on a common sample. Fails on different lengths,
    /// non-finite values, `max_lag` 0, fewer than `3 max_lag + 2`
    /// observations, or a degenerate fit (a constant series, one series an
    /// exact linear function of the lags).
    pub fn estimate(a: &[f64], b: &[f64], max_lag: usize) -> Result<VarLagSelection, StatsError> {
        check_pair(a, b, "var lag selection")?;
        if max_lag == 0 {
            return Err(StatsError::param("max_lag", "must be at least 1"));
        }
        let needed = 3 * max_lag + 2;
        if a.len() < needed {
            return Err(StatsError::TooFewObservations {
                what: format!("var lag selection with max_lag {max_lag}"),
                needed,
                got: a.len(),
            });
        }
        let t = (a.len() - max_lag) as f64;
        let mut aic = Vec::with_capacity(max_lag);
        let mut bic = Vec::with_capacity(max_lag);
        for lag in 1..=max_lag {
            // Both equations share one design: lags of a, lags of b, constant.
            let (ya, x) = lagged_design(a, Some(b), lag, max_lag)?;
            let yb = b[max_lag..].to_vec();
            let fit_a = Ols::fit(&ya, &x).map_err(|e| degenerate(e, "var lag selection", lag))?;
            let fit_b = Ols::fit(&yb, &x).map_err(|e| degenerate(e, "var lag selection", lag))?;
            let (ua, ub) = (fit_a.residuals(), fit_b.residuals());
            let s11 = ua.iter().map(|u| u * u).sum::<f64>() / t;
            let s22 = ub.iter().map(|u| u * u).sum::<f64>() / t;
            let s12 = ua.iter().zip(ub).map(|(p, q)| p * q).sum::<f64>() / t;
            // ln det through the Cholesky factor, as statsmodels' logdet_symm.
            let schur = s22 - s12 * s12 / s11;
            if !(s11 > 0.0 && schur > 0.0) {
                return Err(StatsError::Infeasible(format!(
                    "var lag selection at order {lag}: the residual covariance is singular (a perfect fit)"
                )));
            }
            let log_det = s11.ln() + schur.ln();
            let free = (4 * lag + 2) as f64;
            aic.push(log_det + 2.0 / t * free);
            bic.push(log_det + t.ln() / t * free);
        }
        let argmin = |v: &[f64]| 1 + (0..v.len()).fold(0, |best, i| if v[i] < v[best] { i } else { best });
        Ok(VarLagSelection {
            nobs: a.len() - max_lag,
            max_lag,
            best_lag_aic: argmin(&aic),
            best_lag_bic: argmin(&bic),
            aic,
            bic,
        })
    }
}

/// A Toda-Yamamoto test of "`cause` does not Granger-cause `effect`" on
/// levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodaYamamoto {
    /// The length of the input series.
    pub n: usize,
    /// The settings used.
    pub options: TodaYamamotoOptions,
    /// The lag order `p` tested (given or chosen).
    pub lag: usize,
    /// The extra lags `d_max`.
    pub d_max: usize,
    /// The rows of the augmented regression, `n - p - d_max`.
    pub nobs: usize,
    /// The Wald statistic with the classical covariance.
    pub chi2: f64,
    /// Its degrees of freedom, `p`.
    pub df: usize,
    /// `P(chi2(p) > chi2)`.
    pub p: f64,
    /// The Wald statistic with the robust covariance (`options.robust`).
    pub chi2_robust: f64,
    /// `P(chi2(p) > chi2_robust)`.
    pub p_robust: f64,
    /// The AIC/BIC table, when `p` was chosen by AIC.
    pub selection: Option<VarLagSelection>,
}

impl TodaYamamoto {
    /// Tests whether the first `p` lags of `cause` help predict `effect` in
    /// the VAR(`p + d_max`) in levels. Both are aligned log levels, oldest
    /// first.
    ///
    /// Fails on different lengths, non-finite values, a lag order of 0,
    /// fewer than `3 (p_max + d_max) + 2` observations (`p_max` the given
    /// order or `max_lag`), or a degenerate regression.
    ///
    /// ```
    /// use riskcurve_stats::{TodaYamamoto, TodaYamamotoOptions};
    /// // Two random walks; y picks up last period's move of x.
    /// let step = |t: usize, k: f64| ((t * t) as f64 * k).sin();
    /// let (mut x, mut y) = (vec![0.0], vec![0.0]);
    /// for t in 1..200 {
    ///     x.push(x[t - 1] + step(t, 0.37));
    ///     y.push(y[t - 1] + 0.8 * (x[t - 1] - if t > 1 { x[t - 2] } else { 0.0 }) + 0.3 * step(t, 0.71));
    /// }
    /// let ty = TodaYamamoto::test(&y, &x, TodaYamamotoOptions::fixed(2)).unwrap();
    /// assert_eq!((ty.lag, ty.df, ty.nobs), (2, 2, 197));
    /// assert!(ty.p < 1e-6);
    /// ```
    pub fn test(effect: &[f64], cause: &[f64], options: TodaYamamotoOptions) -> Result<TodaYamamoto, StatsError> {
        check_pair(effect, cause, "toda-yamamoto")?;
        let n = effect.len();
        let p_max = match options.lag_order {
            LagOrder::Fixed { lag } => lag,
            LagOrder::Aic { max_lag } => max_lag,
        };
        if p_max == 0 {
            let name = if matches!(options.lag_order, LagOrder::Fixed { .. }) { "lag" } else { "max_lag" };
            return Err(StatsError::param(name, "must be at least 1"));
        }
        let needed = 3 * (p_max + options.d_max) + 2;
        if n < needed {
            return Err(StatsError::TooFewObservations {
                what: format!("toda-yamamoto with {} lags", p_max + options.d_max),
                needed,
                got: n,
            });
        }
        let (lag, selection) = match options.lag_order {
            LagOrder::Fixed { lag } => (lag, None),
            LagOrder::Aic { max_lag } => {
                let s = VarLagSelection::estimate(effect, cause, max_lag)?;
                (s.best_lag_aic, Some(s))
            }
        };
        let m = lag + options.d_max;
        let (y, x) = lagged_design(effect, Some(cause), m, m)?;
        let fit = Ols::fit(&y, &x).map_err(|e| degenerate(e, "toda-yamamoto", m))?;
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        let tss: f64 = y.iter().map(|v| (v - mean) * (v - mean)).sum();
        if tss == 0.0 || fit.ssr() / tss < f64::EPSILON {
            return Err(StatsError::Infeasible(format!("toda-yamamoto with {m} lags: the regression fits perfectly")));
        }
        // The cause's first p lags sit right after the effect's m lags.
        let tested: Vec<usize> = (m..m + lag).collect();
        let classical = fit.wald_test(&tested, CovarianceKind::Classical)?;
        let robust = fit.wald_test(&tested, options.robust)?;
        Ok(TodaYamamoto {
            n,
            options,
            lag,
            d_max: options.d_max,
            nobs: y.len(),
            chi2: classical.chi2,
            df: lag,
            p: chi2_sf(classical.chi2, lag as f64)?,
            chi2_robust: robust.chi2,
            p_robust: chi2_sf(robust.chi2, lag as f64)?,
            selection,
        })
    }
}

fn check_pair(a: &[f64], b: &[f64], what: &str) -> Result<(), StatsError> {
    if b.len() != a.len() {
        return Err(StatsError::DimensionMismatch {
            what: format!("{what}: second series"),
            expected: a.len(),
            got: b.len(),
        });
    }
    for (which, values) in [("first", a), ("second", b)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: format!("{what}: {which} series"), index });
        }
    }
    Ok(())
}

fn degenerate(e: StatsError, what: &str, lags: usize) -> StatsError {
    match e {
        StatsError::RankDeficient { column } => StatsError::Infeasible(format!(
            "{what} with {lags} lags: regressor {column} is collinear with the others (is a series constant?)"
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::normals;
    use crate::Pcg32;

    fn cumsum(v: &[f64]) -> Vec<f64> {
        v.iter()
            .scan(0.0, |s, x| {
                *s += x;
                Some(*s)
            })
            .collect()
    }

    #[test]
    fn finds_a_lead_between_random_walks_and_not_its_reverse() {
        // x a random walk; y's increments load on x's increment two periods
        // earlier: in levels, x leads y.
        let mut rng = Pcg32::new(11, 3);
        let dx = normals(400, &mut rng);
        let e = normals(400, &mut rng);
        let x = cumsum(&dx);
        let dy: Vec<f64> = (0..400).map(|t| if t >= 2 { 0.7 * dx[t - 2] + e[t] } else { e[t] }).collect();
        let y = cumsum(&dy);
        let forward = TodaYamamoto::test(&y, &x, TodaYamamotoOptions::aic(6)).unwrap();
        let selection = forward.selection.as_ref().unwrap();
        assert_eq!(selection.aic.len(), 6);
        assert_eq!(selection.nobs, 394);
        assert!(forward.lag >= 3, "a 2-period lead in differences is 3 lags in levels, got {}", forward.lag);
        assert!(forward.p < 1e-10 && forward.p_robust < 1e-10);
        assert_eq!((forward.df, forward.nobs), (forward.lag, 400 - forward.lag - 1));
        let reverse = TodaYamamoto::test(&x, &y, TodaYamamotoOptions::fixed(forward.lag)).unwrap();
        assert!(reverse.p > 0.01, "reverse p {}", reverse.p);
    }

    #[test]
    fn size_is_about_right_for_independent_random_walks() {
        // 200 pairs of independent random walks: the 5% test should reject
        // about 5% of the time (the point of the extra lag: a plain Wald test
        // in levels over-rejects).
        let mut rng = Pcg32::new(5, 5);
        let trials = 200;
        let mut rejected = 0;
        for _ in 0..trials {
            let x = cumsum(&normals(200, &mut rng));
            let y = cumsum(&normals(200, &mut rng));
            rejected += usize::from(TodaYamamoto::test(&y, &x, TodaYamamotoOptions::fixed(2)).unwrap().p < 0.05);
        }
        let rate = rejected as f64 / trials as f64;
        assert!((0.01..=0.10).contains(&rate), "rejection rate {rate}");
    }

    #[test]
    fn d_max_zero_is_the_chi_square_granger_test() {
        // With no extra lag, W / p is Granger's F (the classical Wald F
        // equals the SSR F).
        let mut rng = Pcg32::new(8, 1);
        let x = normals(120, &mut rng);
        let y: Vec<f64> = (0..120).map(|t| if t > 0 { 0.3 * x[t - 1] } else { 0.0 } + x[(t * 7) % 120]).collect();
        let options = TodaYamamotoOptions { d_max: 0, ..TodaYamamotoOptions::fixed(3) };
        let ty = TodaYamamoto::test(&y, &x, options).unwrap();
        let g = crate::GrangerCausality::test(&y, &x, crate::GrangerOptions::new(3)).unwrap();
        assert!((ty.chi2 / 3.0 - g.tests[2].f).abs() < 1e-9 * g.tests[2].f);
        assert_eq!(ty.nobs, g.tests[2].nobs);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let mut rng = Pcg32::new(1, 2);
        let x = cumsum(&normals(20, &mut rng));
        let y = cumsum(&normals(20, &mut rng));
        assert!(matches!(
            TodaYamamoto::test(&y, &x[..19], TodaYamamotoOptions::fixed(1)),
            Err(StatsError::DimensionMismatch { .. })
        ));
        assert!(matches!(
            TodaYamamoto::test(&y, &x, TodaYamamotoOptions::fixed(0)),
            Err(StatsError::InvalidParameter { .. })
        ));
        assert!(matches!(
            TodaYamamoto::test(&y, &x, TodaYamamotoOptions::aic(0)),
            Err(StatsError::InvalidParameter { .. })
        ));
        // 20 observations: 3 (5 + 1) + 2 = 20 is enough, 3 (6 + 1) + 2 = 23 is not.
        assert!(TodaYamamoto::test(&y, &x, TodaYamamotoOptions::fixed(5)).is_ok());
        assert_eq!(
            TodaYamamoto::test(&y, &x, TodaYamamotoOptions::aic(6)).unwrap_err(),
            StatsError::TooFewObservations { what: "toda-yamamoto with 7 lags".into(), needed: 23, got: 20 }
        );
        assert!(matches!(
            TodaYamamoto::test(&y, &[3.0; 20], TodaYamamotoOptions::fixed(1)),
            Err(StatsError::Infeasible(_))
        ));
        let mut with_nan = x.clone();
        with_nan[4] = f64::NAN;
        assert!(matches!(
            TodaYamamoto::test(&y, &with_nan, TodaYamamotoOptions::fixed(1)),
            Err(StatsError::NonFinite { index: 4, .. })
        ));
        assert!(matches!(VarLagSelection::estimate(&y, &x, 7), Err(StatsError::TooFewObservations { .. })));
    }

    #[test]
    fn json_shape() {
        let mut rng = Pcg32::new(3, 3);
        let x = cumsum(&normals(60, &mut rng));
        let y = cumsum(&normals(60, &mut rng));
        let v = serde_json::to_value(TodaYamamoto::test(&y, &x, TodaYamamotoOptions::aic(4)).unwrap()).unwrap();
        for key in ["lag", "d_max", "nobs", "chi2", "df", "p", "chi2_robust", "p_robust", "selection"] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["options"]["lag_order"]["rule"], "aic");
        assert_eq!(v["options"]["lag_order"]["max_lag"], 4);
        assert_eq!(v["options"]["robust"]["kind"], "hc1");
        assert_eq!(v["selection"]["aic"].as_array().unwrap().len(), 4);
    }
}
