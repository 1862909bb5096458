//! Covariance matrices of OLS coefficients: classical, heteroskedasticity-
//! robust (White's HC0 and its HC1 and HC3 refinements) and
//! heteroskedasticity- and autocorrelation-robust (Newey-West).
//!
//! All robust kinds are sandwiches `A M A` with `A = (X'X)^-1` and a "meat"
//! `M` built from the rows `x_i` of the design and the residuals `u_i`. They
//! match statsmodels `OLS(y, X).fit(cov_type=...)`: `"HC0"`, `"HC1"`, `"HC3"`
//! and `"HAC"` with `cov_kwds={"maxlags": L}` (Bartlett kernel, no small-sample
//! correction, statsmodels' default `use_correction=False`).

use serde::Serialize;

use crate::matrix::dot;
use crate::{Matrix, Ols, StatsError};

/// How to estimate the covariance matrix of OLS coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CovarianceKind {
    /// `s^2 (X'X)^-1` with `s^2 = u'u / (n - k)`: right under homoskedastic,
    /// serially uncorrelated errors.
    Classical,
    /// White (1980): `M = sum_i u_i^2 x_i x_i'`.
    Hc0,
    /// HC0 scaled by `n / (n - k)` (MacKinnon & White 1985); what Stata's
    /// `robust` reports.
    Hc1,
    /// `M = sum_i (u_i / (1 - h_i))^2 x_i x_i'` with leverages
    /// `h_i = x_i' (X'X)^-1 x_i` (MacKinnon & White 1985); the better choice
    /// in small samples (Long & Ervin 2000).
    Hc3,
    /// Newey & West (1987) with a Bartlett kernel of bandwidth `lags`:
    /// `M = G_0 + sum_{j=1..L} (1 - j / (L + 1)) (G_j + G_j')` where
    /// `G_j = sum_{t>=j} u_t u_{t-j} x_t x_{t-j}'`. Also robust to serial
    /// correlation up to about `lags` periods. See [`newey_west_lags`].
    NeweyWest {
        /// The kernel bandwidth `L` (0 gives HC0).
        lags: usize,
    },
}

/// The rule-of-thumb Newey-West bandwidth `floor(4 (n / 100)^(2/9))`, the
/// default of statsmodels' `S_hac_simple` (Newey & West 1994).
///
/// ```
/// assert_eq!(riskcurve_stats::newey_west_lags(590), 5);
/// ```
pub fn newey_west_lags(n: usize) -> usize {
    (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

pub(crate) fn covariance(fit: &Ols, kind: CovarianceKind) -> Result<Matrix, StatsError> {
    let a = fit.xtx_inverse();
    let x = fit.design();
    let u = fit.residuals();
    let (n, k) = (x.rows(), x.cols());
    let meat = match kind {
        CovarianceKind::Classical => {
            let s2 = fit.sigma2();
            let mut cov = a.clone();
            for i in 0..k {
                for j in 0..k {
                    cov[(i, j)] *= s2;
                }
            }
            return Ok(cov);
        }
        CovarianceKind::Hc0 => weighted_outer(x, |i| u[i] * u[i]),
        CovarianceKind::Hc1 => {
            let scale = n as f64 / (n - k) as f64;
            weighted_outer(x, |i| scale * u[i] * u[i])
        }
        CovarianceKind::Hc3 => {
            let mut weights = Vec::with_capacity(n);
            for (i, ui) in u.iter().enumerate() {
                let xi = x.row(i);
                let h = dot(xi, &a.mul_vec(xi));
                if h >= 1.0 - 1e-12 {
                    return Err(StatsError::Infeasible(format!(
                        "hc3 covariance: observation {i} has leverage 1 (it alone determines a coefficient)"
                    )));
                }
                let e = ui / (1.0 - h);
                weights.push(e * e);
            }
            weighted_outer(x, |i| weights[i])
        }
        CovarianceKind::NeweyWest { lags } => newey_west_meat(x, u, lags),
    };
    Ok(a.matmul(&meat).matmul(a))
}

/// `sum_i w_i x_i x_i'`.
fn weighted_outer(x: &Matrix, weight: impl Fn(usize) -> f64) -> Matrix {
    let k = x.cols();
    let mut m = Matrix::zeros(k, k);
    for i in 0..x.rows() {
        let (w, xi) = (weight(i), x.row(i));
        for a in 0..k {
            for b in 0..k {
                m[(a, b)] += w * xi[a] * xi[b];
            }
        }
    }
    m
}

fn newey_west_meat(x: &Matrix, u: &[f64], lags: usize) -> Matrix {
    let (n, k) = (x.rows(), x.cols());
    // The scores x_t u_t, one row per observation.
    let scores: Vec<Vec<f64>> = (0..n).map(|t| x.row(t).iter().map(|v| v * u[t]).collect()).collect();
    let mut m = Matrix::zeros(k, k);
    for s in &scores {
        for a in 0..k {
            for b in 0..k {
                m[(a, b)] += s[a] * s[b];
            }
        }
    }
    for j in 1..=lags.min(n.saturating_sub(1)) {
        let w = 1.0 - j as f64 / (lags as f64 + 1.0);
        for t in j..n {
            let (now, before) = (&scores[t], &scores[t - j]);
            for a in 0..k {
                for b in 0..k {
                    m[(a, b)] += w * (now[a] * before[b] + before[a] * now[b]);
                }
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit() -> Ols {
        let x = Matrix::from_columns(&[vec![1.0; 6], vec![1.0, 2.0, 3.0, 4.0, 5.0, 7.0]]).unwrap();
        Ols::fit(&[1.0, 2.5, 2.9, 4.4, 4.6, 8.0], &x).unwrap()
    }

    #[test]
    fn hc1_is_scaled_hc0_and_lag_zero_newey_west_is_hc0() {
        let f = fit();
        let hc0 = f.covariance(CovarianceKind::Hc0).unwrap();
        let hc1 = f.covariance(CovarianceKind::Hc1).unwrap();
        let nw0 = f.covariance(CovarianceKind::NeweyWest { lags: 0 }).unwrap();
        for i in 0..2 {
            for j in 0..2 {
                assert!((hc1[(i, j)] - hc0[(i, j)] * 6.0 / 4.0).abs() < 1e-14);
                assert!((nw0[(i, j)] - hc0[(i, j)]).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn slope_variance_by_hand() {
        // For a single regressor with a constant, HC0's slope variance is
        // sum (x_i - xbar)^2 u_i^2 / Sxx^2.
        let f = fit();
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0];
        let mean = xs.iter().sum::<f64>() / 6.0;
        let sxx: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
        let num: f64 = xs.iter().zip(f.residuals()).map(|(x, u)| (x - mean) * (x - mean) * u * u).sum();
        let hc0 = f.covariance(CovarianceKind::Hc0).unwrap();
        assert!((hc0[(1, 1)] - num / (sxx * sxx)).abs() < 1e-14);
    }

    #[test]
    fn rule_of_thumb_bandwidth() {
        // int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0))) for n = 50, 100, 590, 4000.
        assert_eq!([50, 100, 590, 4000].map(newey_west_lags), [3, 4, 5, 9]);
    }
}
