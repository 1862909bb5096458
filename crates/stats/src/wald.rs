//! Wald tests that a set of OLS coefficients are all zero, under any
//! covariance estimate.
//!
//! For the `q` coefficients `b_R` with covariance block `V_R`:
//! `W = b_R' V_R^-1 b_R`, asymptotically chi-square with `q` degrees of
//! freedom; its F form `F = W / q` is referred to `F(q, n - k)`. With the
//! classical covariance, `F` equals the familiar
//! `((SSR_r - SSR_u) / q) / (SSR_u / (n - k))`. Matches statsmodels
//! `res.wald_test(R, use_f=True)` (`f_test`) and `use_f=False` for the
//! chi-square form, where `res` was fitted with the same `cov_type`.

use serde::Serialize;

use crate::linalg::{cholesky, inverse_quadratic_form};
use crate::{chi2_sf, f_sf, CovarianceKind, Ols, StatsError};

/// The result of a Wald test that some coefficients are zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WaldTest {
    /// The covariance estimate used.
    pub covariance: CovarianceKind,
    /// The chi-square statistic `W`.
    pub chi2: f64,
    /// The F statistic `W / q`.
    pub f: f64,
    /// The number of restrictions `q`.
    pub df_num: usize,
    /// The residual degrees of freedom `n - k` of the regression.
    pub df_den: usize,
    /// `P(F(q, n - k) > f)`: the small-sample p-value to report.
    pub p_f: f64,
    /// `P(chi2(q) > W)`: the asymptotic p-value.
    pub p_chi2: f64,
}

impl Ols {
    /// Tests that the coefficients at `columns` (indices into the design's
    /// columns) are jointly zero, using the covariance of the given kind.
    /// Fails on an empty or out-of-range index list, or when the
    /// covariance block is not positive definite.
    pub fn wald_test(&self, columns: &[usize], kind: CovarianceKind) -> Result<WaldTest, StatsError> {
        if columns.is_empty() {
            return Err(StatsError::param("columns", "no coefficients to test"));
        }
        if let Some(&bad) = columns.iter().find(|&&c| c >= self.n_regressors()) {
            return Err(StatsError::param(
                "columns",
                format!("column {bad} out of range for {} regressors", self.n_regressors()),
            ));
        }
        let cov = self.covariance(kind)?.select(columns);
        let l = cholesky(&cov).ok_or_else(|| {
            StatsError::Infeasible(format!("wald test: the {kind:?} covariance of columns {columns:?} is singular"))
        })?;
        let b: Vec<f64> = columns.iter().map(|&c| self.coefficients()[c]).collect();
        let chi2 = inverse_quadratic_form(&l, &b);
        let q = columns.len();
        let f = chi2 / q as f64;
        let df_den = self.df_resid();
        Ok(WaldTest {
            covariance: kind,
            chi2,
            f,
            df_num: q,
            df_den,
            p_f: f_sf(f, q as f64, df_den as f64)?,
            p_chi2: chi2_sf(chi2, q as f64)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Matrix;

    #[test]
    fn classical_wald_equals_the_ssr_f_test() {
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        let z: Vec<f64> = t.iter().map(|v| (v * 1.7).sin()).collect();
        let y: Vec<f64> = t.iter().zip(&z).map(|(a, b)| 0.3 * a + 0.5 * b + (a * 2.3).cos()).collect();
        let full = Ols::fit(&y, &Matrix::from_columns(&[vec![1.0; 12], t.clone(), z]).unwrap()).unwrap();
        let restricted = Ols::fit(&y, &Matrix::from_columns(&[vec![1.0; 12], t]).unwrap()).unwrap();
        let w = full.wald_test(&[2], CovarianceKind::Classical).unwrap();
        let f = (restricted.ssr() - full.ssr()) / (full.ssr() / 9.0);
        assert!((w.f - f).abs() < 1e-10 * f);
        assert_eq!((w.df_num, w.df_den), (1, 9));
        assert!(full.wald_test(&[], CovarianceKind::Hc1).is_err());
        assert!(full.wald_test(&[3], CovarianceKind::Hc1).is_err());
    }
}
