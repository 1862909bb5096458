//! The automatic block length of Politis & White (2004), with the correction
//! of Patton, Politis & White (2009), for the stationary and circular block
//! bootstraps.
//!
//! Reproduces `arch.bootstrap.optimal_block_length` (arch 8.0.0, the
//! `stationary` and `circular` columns) step for step, including its choices
//! where it departs from the paper. With `e_t = x_t - mean(x)`, `n` values:
//!
//! 1. `R(k) = (1/n) sum_{t=k..n-1} e_t e_{t-k}` for `k = 0..M_max`, where
//!    `K_n = max(5, floor(log10 n))` and `M_max = ceil(sqrt n) + K_n`.
//! 2. The bandwidth: the first `j` with `K_n` consecutive autocorrelations
//!    `|rho(j)|, ..., |rho(j + K_n - 1)|` all below `2 sqrt(log10(n) / n)`,
//!    where arch normalises `rho(k) = n R(k) / sqrt(sum_{t>k} e_t^2 *
//!    sum_{t<n-k-1} e_t^2)` (its sums skip one term more than the lag needs;
//!    kept for agreement). `M = min(2 max(j, 1), M_max)`, or `M_max` when no
//!    such `j` exists. (The paper's `m-hat` is `j - 1` in this indexing.)
//! 3. With the flat-top kernel `lambda(s) = 1` for `s <= 1/2`,
//!    `2 (1 - s)` above: `G = sum_{k=1..M} 2 lambda(k/M) k R(k)` and the
//!    long-run variance `sigma^2 = R(0) + sum_{k=1..M} 2 lambda(k/M) R(k)`.
//! 4. `b = (2 G^2 / D)^(1/3) n^(1/3)` with `D = 2 sigma^4` (stationary) or
//!    `D = (4/3) sigma^4` (circular), capped at
//!    `ceil(min(3 sqrt n, n / 3))`.
//!
//! The stationary bootstrap draws blocks of geometric length with mean `b`.

use serde::Serialize;

use crate::StatsError;

/// Optimal block lengths of one series, as arch reports them (real numbers,
/// not rounded).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptimalBlockLength {
    /// The number of observations.
    pub n: usize,
    /// The kernel bandwidth `M` used.
    pub bandwidth: usize,
    /// The optimal mean block length of the stationary bootstrap (arch's
    /// `stationary` column).
    pub stationary: f64,
    /// The optimal block length of the circular block bootstrap (arch's
    /// `circular` column).
    pub circular: f64,
}

impl OptimalBlockLength {
    /// Estimates the block lengths of `x` (oldest first). Fails on
    /// non-finite values, on a constant series and on fewer than
    /// `ceil(sqrt n) + K_n + 2` (that is, 11) observations, where the
    /// autocorrelations the rule needs do not exist.
    ///
    /// ```
    /// use riskcurve_stats::OptimalBlockLength;
    /// let x: Vec<f64> = (0..200).map(|t| (0.05 * t as f64).sin()).collect();
    /// let b = OptimalBlockLength::estimate(&x).unwrap();
    /// // arch.bootstrap.optimal_block_length(np.sin(0.05 * np.arange(200.0)))
    /// assert!((b.stationary - 21.81851697).abs() < 1e-6);
    /// ```
    pub fn estimate(x: &[f64]) -> Result<OptimalBlockLength, StatsError> {
        let n = x.len();
        if let Some(index) = x.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: "optimal block length".into(), index });
        }
        let nf = n as f64;
        // arch: kn = max(5, int(np.log10(nobs))); m_max = int(np.ceil(np.sqrt(nobs))) + kn.
        let kn = if n == 0 { 5 } else { 5.max(nf.log10() as usize) };
        let m_max = nf.sqrt().ceil() as usize + kn;
        if n < m_max + 2 {
            return Err(StatsError::TooFewObservations {
                what: "optimal block length".into(),
                needed: m_max + 2,
                got: n,
            });
        }
        let mean = x.iter().sum::<f64>() / nf;
        let e: Vec<f64> = x.iter().map(|v| v - mean).collect();
        if e.iter().all(|v| *v == 0.0) {
            return Err(StatsError::Infeasible("optimal block length: the series is constant".into()));
        }
        let cv = 2.0 * (nf.log10() / nf).sqrt();
        let sum_sq = |s: &[f64]| s.iter().map(|v| v * v).sum::<f64>();
        let mut acv = vec![0.0; m_max + 1];
        let mut abs_acorr = vec![0.0; m_max + 1];
        let mut first_quiet: Option<usize> = None;
        for i in 0..=m_max {
            let v1 = sum_sq(&e[i + 1..]);
            let v2 = sum_sq(&e[..n - (i + 1)]);
            let cross: f64 = e[i..].iter().zip(&e[..n - i]).map(|(a, b)| a * b).sum();
            acv[i] = cross / nf;
            abs_acorr[i] = cross.abs() / (v1 * v2).sqrt();
            if i >= kn && first_quiet.is_none() && abs_acorr[i - kn..i].iter().all(|r| *r < cv) {
                first_quiet = Some(i - kn);
            }
        }
        let bandwidth = first_quiet.map_or(m_max, |j| 2 * j.max(1)).min(m_max);
        let m = bandwidth as f64;
        let mut g = 0.0;
        let mut long_run_variance = acv[0];
        for (k, r) in acv.iter().enumerate().take(bandwidth + 1).skip(1) {
            let s = k as f64 / m;
            let lambda = if s <= 0.5 { 1.0 } else { 2.0 * (1.0 - s) };
            g += 2.0 * lambda * k as f64 * r;
            long_run_variance += 2.0 * lambda * r;
        }
        let b_max = (3.0 * nf.sqrt()).min(nf / 3.0).ceil();
        let block = |d: f64| ((2.0 * g * g / d).cbrt() * nf.cbrt()).min(b_max);
        let sigma4 = long_run_variance * long_run_variance;
        Ok(OptimalBlockLength { n, bandwidth, stationary: block(2.0 * sigma4), circular: block(4.0 / 3.0 * sigma4) })
    }

    /// The mean block length to resample with in the stationary bootstrap:
    /// [`OptimalBlockLength::stationary`], but at least 1 (a series without
    /// measurable dependence gives values below 1, which would mean blocks
    /// shorter than one observation).
    pub fn stationary_mean_block(&self) -> f64 {
        self.stationary.max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_arch_on_synthetic_series() {
        // arch 8.0.0: optimal_block_length(x).values for
        //   x = np.sin(np.arange(200.0) ** 2 * 0.37) -> [[0.76031295, 0.87034106]]
        //   x = np.sin(np.arange(12.0) ** 2 * 0.37)  -> [[1.20042819, 1.37414725]]
        let quasi_random = |n: usize| (0..n).map(|t| ((t * t) as f64 * 0.37).sin()).collect::<Vec<_>>();
        let b = OptimalBlockLength::estimate(&quasi_random(200)).unwrap();
        assert!((b.stationary - 0.76031295).abs() < 1e-8 && (b.circular - 0.87034106).abs() < 1e-8);
        assert_eq!(b.stationary_mean_block(), 1.0);
        let b = OptimalBlockLength::estimate(&quasi_random(12)).unwrap();
        assert!((b.stationary - 1.20042819).abs() < 1e-8 && (b.circular - 1.37414725).abs() < 1e-8);
    }

    #[test]
    fn persistent_series_use_the_widest_bandwidth() {
        // A trend: autocorrelations never die out, so the bandwidth is
        // M_max = ceil(sqrt 100) + 5. arch 8.0.0:
        // optimal_block_length(t + np.sin(t)), t = np.arange(100.0)
        //   -> [[14.20367864, 16.25915324]]
        let x: Vec<f64> = (0..100).map(|t| t as f64 + (t as f64).sin()).collect();
        let b = OptimalBlockLength::estimate(&x).unwrap();
        assert_eq!(b.bandwidth, 15);
        assert!((b.stationary - 14.20367864).abs() < 1e-8 && (b.circular - 16.25915324).abs() < 1e-8);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let x: Vec<f64> = (0..10).map(|t| (t as f64).sin()).collect();
        assert_eq!(
            OptimalBlockLength::estimate(&x).unwrap_err(),
            StatsError::TooFewObservations { what: "optimal block length".into(), needed: 11, got: 10 }
        );
        assert!(matches!(OptimalBlockLength::estimate(&[]), Err(StatsError::TooFewObservations { .. })));
        assert!(matches!(OptimalBlockLength::estimate(&[2.0; 50]), Err(StatsError::Infeasible(_))));
        let mut y: Vec<f64> = (0..50).map(|t| (t as f64).sin()).collect();
        y[3] = f64::INFINITY;
        assert!(matches!(OptimalBlockLength::estimate(&y), Err(StatsError::NonFinite { index: 3, .. })));
    }
}
