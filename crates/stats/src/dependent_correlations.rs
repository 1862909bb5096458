//! Are two correlations that share a variable different? Steiger's (1980) Z
//! and Williams' (1959) t for `r_jk` against `r_jh`, measured on the same `n`
//! observations (BTC with small caps against BTC with large caps).
//!
//! The two correlations are dependent: they share `j`, and `k` and `h` are
//! themselves correlated (`r_kh`), so comparing them as if they came from two
//! samples (Fisher's independent-samples z) misstates the variance of the
//! difference. Both tests below take `r_kh` into account.
//!
//! **Steiger's Z** (Steiger 1980, "Tests for comparing elements of a
//! correlation matrix", Psychological Bulletin 87, p. 247, eq. 14 with the
//! pooled correlation of eq. 10):
//!
//! ```text
//! z_xy  = atanh(r_xy)                                (Fisher's transform)
//! r̄     = (r_jk + r_jh) / 2
//! ψ     = r_kh (1 - 2 r̄²) - ½ r̄² (1 - 2 r̄² - r_kh²)
//! c     = ψ / (1 - r̄²)²
//! Z     = (z_jk - z_jh) sqrt(n - 3) / sqrt(2 - 2 c)   ~ N(0, 1) under r_jk = r_jh
//! ```
//!
//! **Williams' t** (Williams 1959; Steiger 1980 p. 246 eq. 7; the "standard
//! Williams' t" of Hittner, May and Silver 2003):
//!
//! ```text
//! |R| = 1 - r_jk² - r_jh² - r_kh² + 2 r_jk r_jh r_kh
//! t   = (r_jk - r_jh) sqrt( (n - 1)(1 + r_kh) / (2 |R| (n - 1)/(n - 3) + r̄² (1 - r_kh)³) )
//!                                                     ~ t(n - 3)
//! ```
//!
//! p-values are two-sided. Both tests assume independent observations from a
//! (roughly) multivariate normal population; weekly returns are close to
//! serially independent, fat tails make the p-values somewhat optimistic.
//! The numbers match the R package cocor (`cocor.dep.groups.overlap`,
//! methods `steiger1980` and `williams1959`) on its published examples, and a
//! from-the-formula Python script on real data
//! (`tests/reference/dependent_correlations.py`).

use serde::Serialize;

use crate::{chi2_sf, pearson, t_sf, StatsError};

/// The comparison of `r_jk` with `r_jh` (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DependentCorrelations {
    /// Observations behind every correlation.
    pub n: usize,
    /// The first correlation compared.
    pub r_jk: f64,
    /// The second correlation compared.
    pub r_jh: f64,
    /// The correlation between the two non-shared variables.
    pub r_kh: f64,
    /// Steiger's Z.
    pub steiger_z: f64,
    /// Its two-sided p-value.
    pub steiger_p: f64,
    /// Williams' t.
    pub williams_t: f64,
    /// Its degrees of freedom, `n - 3`.
    pub williams_df: f64,
    /// Its two-sided p-value.
    pub williams_p: f64,
}

impl DependentCorrelations {
    /// The tests from the three correlations and `n`. Errors when `n < 4`,
    /// a correlation is not strictly inside (-1, 1), or the three cannot be
    /// the correlations of one data set (`|R| < 0`).
    ///
    /// ```
    /// use riskcurve_stats::DependentCorrelations;
    /// // Steiger (1980), p. 249, case A; cocor gives Z = -0.8887185.
    /// let d = DependentCorrelations::from_correlations(0.4, 0.5, 0.1, 103).unwrap();
    /// assert!((d.steiger_z - -0.8887185).abs() < 5e-8);
    /// ```
    pub fn from_correlations(r_jk: f64, r_jh: f64, r_kh: f64, n: usize) -> Result<Self, StatsError> {
        if n < 4 {
            return Err(StatsError::TooFewObservations { what: "dependent correlations".into(), needed: 4, got: n });
        }
        for (name, r) in [("r_jk", r_jk), ("r_jh", r_jh), ("r_kh", r_kh)] {
            if !(r > -1.0 && r < 1.0) {
                return Err(StatsError::param(name, format!("{r} is not strictly between -1 and 1")));
            }
        }
        let det = 1.0 - r_jk * r_jk - r_jh * r_jh - r_kh * r_kh + 2.0 * r_jk * r_jh * r_kh;
        if det < 0.0 {
            return Err(StatsError::Infeasible(format!(
                "correlations {r_jk}, {r_jh}, {r_kh} cannot come from one data set (determinant {det} < 0)"
            )));
        }
        let nf = n as f64;
        let mean = (r_jk + r_jh) / 2.0;
        let m2 = mean * mean;
        let psi = r_kh * (1.0 - 2.0 * m2) - 0.5 * m2 * (1.0 - 2.0 * m2 - r_kh * r_kh);
        let c = psi / ((1.0 - m2) * (1.0 - m2));
        let steiger_z = (r_jk.atanh() - r_jh.atanh()) * (nf - 3.0).sqrt() / (2.0 - 2.0 * c).sqrt();
        // chi2(1) of Z² is the two-sided normal tail.
        let steiger_p = chi2_sf(steiger_z * steiger_z, 1.0)?;
        let df = nf - 3.0;
        let denominator = 2.0 * det * (nf - 1.0) / (nf - 3.0) + m2 * (1.0 - r_kh).powi(3);
        let williams_t = (r_jk - r_jh) * ((nf - 1.0) * (1.0 + r_kh) / denominator).sqrt();
        let williams_p = (2.0 * t_sf(williams_t.abs(), df)?).min(1.0);
        Ok(DependentCorrelations { n, r_jk, r_jh, r_kh, steiger_z, steiger_p, williams_t, williams_df: df, williams_p })
    }

    /// The tests on three aligned samples: `corr(j, k)` against `corr(j, h)`.
    pub fn from_samples(j: &[f64], k: &[f64], h: &[f64]) -> Result<Self, StatsError> {
        for (what, x) in [("k", k), ("h", h)] {
            if x.len() != j.len() {
                return Err(StatsError::DimensionMismatch {
                    what: format!("dependent correlations: {what} against j"),
                    expected: j.len(),
                    got: x.len(),
                });
            }
        }
        for (what, x) in [("j", j), ("k", k), ("h", h)] {
            if let Some(index) = x.iter().position(|v| !v.is_finite()) {
                return Err(StatsError::NonFinite { what: format!("dependent correlations: {what}"), index });
            }
        }
        if j.len() < 4 {
            return Err(StatsError::TooFewObservations {
                what: "dependent correlations".into(),
                needed: 4,
                got: j.len(),
            });
        }
        let (r_jk, r_jh, r_kh) = (pearson(j, k), pearson(j, h), pearson(k, h));
        if [r_jk, r_jh, r_kh].iter().any(|r| r.is_nan()) {
            return Err(StatsError::Infeasible("dependent correlations: a constant sample".into()));
        }
        DependentCorrelations::from_correlations(r_jk, r_jh, r_kh, j.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published values, as the R package cocor's tests check them
    // (tests/testthat/tests.r); recomputed in tests/reference/dependent_correlations.py.

    #[test]
    fn steiger_case_a_of_the_paper() {
        // Steiger (1980) p. 249: r_jk .4, r_jh .5, r_kh .1, n 103. cocor:
        // -0.8887185 (the paper prints -.8913, from a rounded covariance).
        let d = DependentCorrelations::from_correlations(0.4, 0.5, 0.1, 103).unwrap();
        assert!((d.steiger_z - -0.8887185).abs() < 5e-8, "{}", d.steiger_z);
    }

    #[test]
    fn depcor_example_of_silver_hittner_and_may() {
        // DEPCOR (Silver, Hittner and May 2006): .3, .4, .5, n 100 gives
        // Steiger Z -1.0718 (p .2838) and Williams t -1.0767 (p .2843).
        let d = DependentCorrelations::from_correlations(0.3, 0.4, 0.5, 100).unwrap();
        assert!((d.steiger_z - -1.0718).abs() < 5e-5, "{}", d.steiger_z);
        assert!((d.steiger_p - 0.2838).abs() < 5e-5, "{}", d.steiger_p);
        assert!((d.williams_t - -1.0767).abs() < 5e-5, "{}", d.williams_t);
        assert!((d.williams_p - 0.2843).abs() < 5e-5, "{}", d.williams_p);
        assert_eq!(d.williams_df, 97.0);
    }

    #[test]
    fn equal_correlations_do_not_differ() {
        let d = DependentCorrelations::from_correlations(0.3, 0.3, 0.6, 50).unwrap();
        assert_eq!((d.steiger_z, d.williams_t), (0.0, 0.0));
        assert_eq!((d.steiger_p, d.williams_p), (1.0, 1.0));
    }

    #[test]
    fn impossible_inputs_are_errors() {
        assert!(DependentCorrelations::from_correlations(0.3, 0.4, 0.5, 3).is_err());
        assert!(DependentCorrelations::from_correlations(1.0, 0.4, 0.5, 30).is_err());
        // corr(j,k) = .9 and corr(j,h) = .9 force corr(k,h) >= .62.
        assert!(DependentCorrelations::from_correlations(0.9, 0.9, -0.5, 30).is_err());
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(DependentCorrelations::from_samples(&x, &x[..4], &x).is_err());
        assert!(DependentCorrelations::from_samples(&x, &[1.0; 5], &[5.0, 3.0, 4.0, 1.0, 2.0]).is_err());
    }
}
