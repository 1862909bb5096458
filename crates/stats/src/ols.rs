//! Ordinary least squares.
//!
//! `y = X b + u`, estimated by `b = argmin |y - X b|^2` through the
//! Householder QR factorization of `X` (never forming `X'X`, which squares the
//! condition number). A design of less than full column rank is an error
//! naming the offending column, where statsmodels would silently return a
//! pseudo-inverse solution.
//!
//! The quantities match statsmodels `OLS(y, X).fit()`: `params`, `resid`,
//! `ssr`, `df_resid`, `scale`, `bse`, `normalized_cov_params`, `llf`, `aic`
//! and `bic` (see the golden test in `tests/ols_statsmodels.rs`).

use crate::covariance::{covariance, CovarianceKind};
use crate::linalg::Qr;
use crate::{Matrix, StatsError};

/// A fitted OLS regression.
///
/// ```
/// use riskcurve_stats::{Matrix, Ols};
/// let x = Matrix::from_columns(&[vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0]]).unwrap();
/// let fit = Ols::fit(&[1.1, 2.9, 5.2, 6.8], &x).unwrap();
/// assert_eq!(fit.df_resid(), 2);
/// assert!((fit.coefficients()[1] - 1.94).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct Ols {
    x: Matrix,
    coefficients: Vec<f64>,
    residuals: Vec<f64>,
    ssr: f64,
    xtx_inverse: Matrix,
}

impl Ols {
    /// Fits `y` on the columns of `x` (include a column of ones for a
    /// constant). Fails when the lengths differ, a value is not finite, there
    /// are not more observations than regressors, or the columns are linearly
    /// dependent ([`StatsError::RankDeficient`]).
    pub fn fit(y: &[f64], x: &Matrix) -> Result<Ols, StatsError> {
        if y.len() != x.rows() {
            return Err(StatsError::DimensionMismatch {
                what: "ols: y against the rows of x".into(),
                expected: x.rows(),
                got: y.len(),
            });
        }
        if let Some(index) = y.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: "ols: y".into(), index });
        }
        if let Some(index) = (0..x.rows()).find(|&i| x.row(i).iter().any(|v| !v.is_finite())) {
            return Err(StatsError::NonFinite { what: "ols: row of x".into(), index });
        }
        if x.cols() == 0 {
            return Err(StatsError::param("x", "no regressors"));
        }
        // One more observation than regressors, so that the residual variance
        // has a degree of freedom.
        if x.rows() <= x.cols() {
            return Err(StatsError::TooFewObservations { what: "ols".into(), needed: x.cols() + 1, got: x.rows() });
        }
        let qr = Qr::new(x)?;
        let coefficients = qr.solve_least_squares(y);
        let fitted = x.mul_vec(&coefficients);
        let residuals: Vec<f64> = y.iter().zip(&fitted).map(|(y, f)| y - f).collect();
        let ssr = residuals.iter().map(|u| u * u).sum();
        Ok(Ols { x: x.clone(), coefficients, residuals, ssr, xtx_inverse: qr.xtx_inverse() })
    }

    /// The design matrix the model was fitted on.
    pub fn design(&self) -> &Matrix {
        &self.x
    }

    /// The coefficients `b`, one per column of the design (statsmodels `params`).
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// The residuals `u = y - X b` (statsmodels `resid`).
    pub fn residuals(&self) -> &[f64] {
        &self.residuals
    }

    /// The sum of squared residuals `u'u` (statsmodels `ssr`).
    pub fn ssr(&self) -> f64 {
        self.ssr
    }

    /// The number of observations `n`.
    pub fn nobs(&self) -> usize {
        self.x.rows()
    }

    /// The number of regressors `k` (columns of the design, constant included).
    pub fn n_regressors(&self) -> usize {
        self.x.cols()
    }

    /// The residual degrees of freedom `n - k` (statsmodels `df_resid`).
    pub fn df_resid(&self) -> usize {
        self.nobs() - self.n_regressors()
    }

    /// The residual variance `s^2 = u'u / (n - k)` (statsmodels `scale`).
    pub fn sigma2(&self) -> f64 {
        self.ssr / self.df_resid() as f64
    }

    /// `(X'X)^-1` (statsmodels `normalized_cov_params`).
    pub fn xtx_inverse(&self) -> &Matrix {
        &self.xtx_inverse
    }

    /// The covariance matrix of the coefficients of the given kind; see
    /// [`CovarianceKind`] for the formulas.
    pub fn covariance(&self, kind: CovarianceKind) -> Result<Matrix, StatsError> {
        covariance(self, kind)
    }

    /// The standard errors of the coefficients: square roots of the diagonal
    /// of [`Ols::covariance`] (statsmodels `bse`, or `HC1_se` and the like).
    pub fn standard_errors(&self, kind: CovarianceKind) -> Result<Vec<f64>, StatsError> {
        Ok(self.covariance(kind)?.diagonal().into_iter().map(f64::sqrt).collect())
    }

    /// The Gaussian log-likelihood at the estimates,
    /// `-n/2 (ln(2 pi) + ln(u'u / n) + 1)` (statsmodels `llf`).
    pub fn log_likelihood(&self) -> f64 {
        let n = self.nobs() as f64;
        -n / 2.0 * ((2.0 * std::f64::consts::PI).ln() + (self.ssr / n).ln() + 1.0)
    }

    /// Akaike's information criterion `-2 llf + 2 k` (statsmodels `aic`; `k`
    /// counts the constant).
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood() + 2.0 * self.n_regressors() as f64
    }

    /// Schwarz's Bayesian information criterion `-2 llf + ln(n) k`
    /// (statsmodels `bic`).
    pub fn bic(&self) -> f64 {
        -2.0 * self.log_likelihood() + (self.nobs() as f64).ln() * self.n_regressors() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line() -> (Vec<f64>, Matrix) {
        let x = Matrix::from_columns(&[vec![1.0; 5], vec![1.0, 2.0, 3.0, 4.0, 5.0]]).unwrap();
        (vec![2.0, 4.1, 5.9, 8.2, 9.8], x)
    }

    #[test]
    fn hand_computed_line() {
        // Slope = Sxy / Sxx = 19.7 / 10 = 1.97; intercept = 6 - 1.97 * 3 = 0.09.
        let (y, x) = line();
        let fit = Ols::fit(&y, &x).unwrap();
        assert!((fit.coefficients()[0] - 0.09).abs() < 1e-12);
        assert!((fit.coefficients()[1] - 1.97).abs() < 1e-12);
        // Residuals sum to zero with a constant in the model.
        assert!(fit.residuals().iter().sum::<f64>().abs() < 1e-12);
        let ssr: f64 = [-0.06, 0.07, -0.1, 0.23, -0.14].iter().map(|u| u * u).sum();
        assert!((fit.ssr() - ssr).abs() < 1e-12);
        assert_eq!((fit.nobs(), fit.n_regressors(), fit.df_resid()), (5, 2, 3));
        // se(slope) = sqrt(s^2 / Sxx).
        let se = fit.standard_errors(CovarianceKind::Classical).unwrap();
        assert!((se[1] - (ssr / 3.0 / 10.0).sqrt()).abs() < 1e-12);
    }

    proptest! {
        /// The normal equations hold: the residuals are orthogonal to every
        /// column of the design, and the fit reproduces y = X b + u.
        #[test]
        fn residuals_are_orthogonal_to_the_design(
            (n, columns, y) in (6usize..40, 1usize..4).prop_flat_map(|(n, k)| (
                Just(n),
                prop::collection::vec(prop::collection::vec(-10.0f64..10.0, n), k),
                prop::collection::vec(-10.0f64..10.0, n),
            ))
        ) {
            let mut all = vec![vec![1.0; n]];
            all.extend(columns);
            let x = Matrix::from_columns(&all).unwrap();
            // Random columns are almost surely independent; skip the rare exception.
            let Ok(fit) = Ols::fit(&y, &x) else { return Ok(()) };
            for j in 0..x.cols() {
                let xj = x.column(j);
                let scale: f64 = xj.iter().map(|v| v.abs()).sum::<f64>() * y.iter().map(|v| v.abs()).fold(1.0, f64::max);
                let xu: f64 = xj.iter().zip(fit.residuals()).map(|(a, u)| a * u).sum();
                prop_assert!(xu.abs() <= 1e-10 * scale, "column {}: x'u = {}", j, xu);
            }
            let fitted = x.mul_vec(fit.coefficients());
            for i in 0..n {
                prop_assert!((fitted[i] + fit.residuals()[i] - y[i]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let (y, x) = line();
        assert!(matches!(Ols::fit(&y[..4], &x), Err(StatsError::DimensionMismatch { .. })));
        let mut y_nan = y.clone();
        y_nan[2] = f64::NAN;
        assert_eq!(Ols::fit(&y_nan, &x).unwrap_err(), StatsError::NonFinite { what: "ols: y".into(), index: 2 });
        let x2 = Matrix::from_columns(&[vec![1.0; 2], vec![1.0, 2.0]]).unwrap();
        assert!(matches!(Ols::fit(&[1.0, 2.0], &x2), Err(StatsError::TooFewObservations { .. })));
        let collinear = Matrix::from_columns(&[vec![1.0; 5], vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![2.0; 5]]).unwrap();
        assert_eq!(Ols::fit(&y, &collinear).unwrap_err(), StatsError::RankDeficient { column: 2 });
    }
}
