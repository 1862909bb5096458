//! The stationary bootstrap of Politis & Romano (1994), "The Stationary
//! Bootstrap", JASA 89(428), and percentile confidence intervals for a mean.
//!
//! A resample of a series `x_0..x_{n-1}` is built from blocks of consecutive
//! observations with random starts and geometric lengths of mean
//! `mean_block` (`p = 1 / mean_block`): the first index is uniform on
//! `0..n`; each next index is, with probability `p`, a fresh uniform start,
//! and otherwise the index after the previous one, wrapping from `n - 1` to 0.
//! That is arch's `StationaryBootstrap`. Blocks keep the short-range
//! dependence of the series inside each resample, which the i.i.d.
//! bootstrap destroys; with `mean_block = 1` every index is a fresh start and
//! it *is* the i.i.d. bootstrap (the coin is not even tossed, so the draws
//! are the same as [`iid_indices`]' with the same generator).
//!
//! The percentile interval at confidence `c` takes the `(1 - c)/2` and
//! `(1 + c)/2` quantiles of the resampled means, interpolated linearly
//! between order statistics as numpy's default `percentile` (and so arch's
//! `conf_int(method="percentile")`) does.

use serde::Serialize;

use crate::{OptimalBlockLength, Pcg32, StatsError};

/// The stationary bootstrap with a given mean block length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StationaryBootstrap {
    mean_block: f64,
}

/// A bootstrap confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    /// The lower end.
    pub low: f64,
    /// The upper end.
    pub high: f64,
    /// The confidence level (0.95 for a 95% interval).
    pub confidence: f64,
    /// Resamples drawn.
    pub replications: usize,
    /// The mean block length used.
    pub mean_block: f64,
}

impl StationaryBootstrap {
    /// A stationary bootstrap with mean block length `mean_block` (finite,
    /// at least 1).
    pub fn new(mean_block: f64) -> Result<StationaryBootstrap, StatsError> {
        if !mean_block.is_finite() || mean_block < 1.0 {
            return Err(StatsError::param("mean_block", format!("{mean_block} is not a finite number >= 1")));
        }
        Ok(StationaryBootstrap { mean_block })
    }

    /// The block length chosen by Politis-White for `x`
    /// ([`OptimalBlockLength::stationary_mean_block`]); 1 (the i.i.d.
    /// bootstrap) when `x` is too short for the rule (fewer than 11 values) or
    /// constant, where there is no dependence to estimate.
    pub fn automatic(x: &[f64]) -> StationaryBootstrap {
        let mean_block = OptimalBlockLength::estimate(x).map_or(1.0, |b| b.stationary_mean_block());
        StationaryBootstrap { mean_block }
    }

    /// The mean block length.
    pub fn mean_block(&self) -> f64 {
        self.mean_block
    }

    /// Fills `out` with the `n` indices of one resample.
    pub fn resample_indices(&self, n: usize, rng: &mut Pcg32, out: &mut Vec<usize>) {
        out.clear();
        if n == 0 {
            return;
        }
        let bound = u32::try_from(n).expect("bootstrap series longer than 2^32 - 1");
        if self.mean_block <= 1.0 {
            out.extend((0..n).map(|_| rng.below(bound) as usize));
            return;
        }
        let p = 1.0 / self.mean_block;
        let mut index = rng.below(bound) as usize;
        out.push(index);
        for _ in 1..n {
            index = if rng.next_f64() < p { rng.below(bound) as usize } else { (index + 1) % n };
            out.push(index);
        }
    }

    /// The percentile interval for the mean of `x` (oldest first) at
    /// `confidence` (strictly between 0 and 1), from `replications`
    /// resamples drawn from `rng`.
    ///
    /// ```
    /// use riskcurve_stats::{Pcg32, StationaryBootstrap};
    /// let x = [0.1, 0.4, -0.2, 0.3, 0.0, 0.2];
    /// let ci = StationaryBootstrap::new(1.0).unwrap()
    ///     .mean_interval(&x, 0.9, 5000, &mut Pcg32::new(42, 1)).unwrap();
    /// assert!(ci.low < 0.1333 && 0.1333 < ci.high);
    /// ```
    pub fn mean_interval(
        &self,
        x: &[f64],
        confidence: f64,
        replications: usize,
        rng: &mut Pcg32,
    ) -> Result<ConfidenceInterval, StatsError> {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(StatsError::param("confidence", format!("{confidence} is not strictly between 0 and 1")));
        }
        if replications < 2 {
            return Err(StatsError::param("replications", "must be at least 2"));
        }
        if x.is_empty() {
            return Err(StatsError::TooFewObservations { what: "bootstrap interval".into(), needed: 1, got: 0 });
        }
        if let Some(index) = x.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: "bootstrap series".into(), index });
        }
        let n = x.len() as f64;
        let mut indices = Vec::with_capacity(x.len());
        let mut means: Vec<f64> = (0..replications)
            .map(|_| {
                self.resample_indices(x.len(), rng, &mut indices);
                indices.iter().map(|i| x[*i]).sum::<f64>() / n
            })
            .collect();
        means.sort_by(f64::total_cmp);
        let tail = (1.0 - confidence) / 2.0;
        Ok(ConfidenceInterval {
            low: percentile(&means, tail),
            high: percentile(&means, 1.0 - tail),
            confidence,
            replications,
            mean_block: self.mean_block,
        })
    }
}

/// Fills `out` with `n` i.i.d. uniform indices: the ordinary (Efron)
/// bootstrap, for comparison.
pub fn iid_indices(n: usize, rng: &mut Pcg32, out: &mut Vec<usize>) {
    out.clear();
    let bound = u32::try_from(n).expect("bootstrap series longer than 2^32 - 1");
    out.extend((0..n).map(|_| rng.below(bound) as usize));
}

/// The `q`-quantile of ascending `sorted` values with numpy's default
/// ("linear") interpolation: position `q (m - 1)` between order statistics.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let fraction = position - below as f64;
    if fraction == 0.0 {
        sorted[below]
    } else {
        sorted[below] + (sorted[above] - sorted[below]) * fraction
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ar1;

    #[test]
    fn mean_block_one_is_the_iid_bootstrap() {
        let boot = StationaryBootstrap::new(1.0).unwrap();
        let (mut a, mut b) = (Pcg32::new(9, 9), Pcg32::new(9, 9));
        let (mut ia, mut ib) = (Vec::new(), Vec::new());
        for _ in 0..50 {
            boot.resample_indices(37, &mut a, &mut ia);
            iid_indices(37, &mut b, &mut ib);
            assert_eq!(ia, ib);
        }
    }

    #[test]
    fn blocks_run_forward_and_wrap() {
        // Mean block 10: most steps continue the block (index + 1 mod n).
        let boot = StationaryBootstrap::new(10.0).unwrap();
        let mut rng = Pcg32::new(1, 1);
        let (n, mut idx, mut continued, mut steps) = (20, Vec::new(), 0, 0);
        for _ in 0..500 {
            boot.resample_indices(n, &mut rng, &mut idx);
            assert_eq!(idx.len(), n);
            assert!(idx.iter().all(|i| *i < n));
            for w in idx.windows(2) {
                steps += 1;
                continued += usize::from(w[1] == (w[0] + 1) % n);
            }
        }
        // P(continue) = 0.9, plus 1/20 of the fresh starts landing there.
        let share = continued as f64 / steps as f64;
        assert!((share - (0.9 + 0.1 / 20.0)).abs() < 0.01, "{share}");
    }

    #[test]
    fn a_constant_series_has_a_point_interval() {
        let ci = StationaryBootstrap::new(3.0).unwrap().mean_interval(&[0.37; 25], 0.95, 999, &mut Pcg32::new(2, 2));
        let ci = ci.unwrap();
        assert_eq!(ci.low, ci.high);
        assert!((ci.low - 0.37).abs() < 1e-15);
    }

    #[test]
    fn percentile_interpolates_like_numpy() {
        // np.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) -> [1.1, 3.0, 9.4]
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((percentile(&s, 0.025) - 1.1).abs() < 1e-12);
        assert_eq!(percentile(&s, 0.5), 3.0);
        assert!((percentile(&s, 0.975) - 9.4).abs() < 1e-12);
        assert_eq!(percentile(&[5.0], 0.3), 5.0);
    }

    #[test]
    fn automatic_falls_back_to_iid_on_short_series() {
        assert_eq!(StationaryBootstrap::automatic(&[0.1, 0.5, -0.2]).mean_block(), 1.0);
        let trend: Vec<f64> = (0..100).map(|t| t as f64 + (t as f64).sin()).collect();
        // arch 8.0.0 gives 14.20367864 for this series (see block_length.rs).
        assert!((StationaryBootstrap::automatic(&trend).mean_block() - 14.20367864).abs() < 1e-8);
    }

    #[test]
    fn intervals_cover_the_mean_of_a_dependent_series() {
        // 300 AR(1) series (phi = 0.5, n = 200, mean 1): the 90% interval
        // with the automatic block length should cover 1 about 90% of the
        // time (percentile intervals run a little short in small samples);
        // the i.i.d. bootstrap ignores the dependence and covers only about
        // 2 Phi(1.645 sqrt(1/3)) - 1 ~ 66% (the variance of the mean is 3
        // times the i.i.d. one).
        let (trials, mut covered_block, mut covered_iid) = (300, 0, 0);
        let mut data_rng = Pcg32::new(2024, 0);
        for t in 0..trials {
            let x = ar1(200, 1.0, 0.5, &mut data_rng);
            let mut rng = Pcg32::new(7, t);
            let block = StationaryBootstrap::automatic(&x);
            assert!(block.mean_block() > 1.0);
            let ci = block.mean_interval(&x, 0.9, 500, &mut rng).unwrap();
            covered_block += usize::from(ci.low <= 1.0 && 1.0 <= ci.high);
            let ci = StationaryBootstrap::new(1.0).unwrap().mean_interval(&x, 0.9, 500, &mut rng).unwrap();
            covered_iid += usize::from(ci.low <= 1.0 && 1.0 <= ci.high);
        }
        let (block, iid) = (covered_block as f64 / trials as f64, covered_iid as f64 / trials as f64);
        assert!((0.8..=0.96).contains(&block), "block bootstrap coverage {block}");
        assert!((0.55..=0.77).contains(&iid), "iid bootstrap coverage {iid}");
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(StationaryBootstrap::new(0.5).is_err());
        assert!(StationaryBootstrap::new(f64::NAN).is_err());
        let b = StationaryBootstrap::new(1.0).unwrap();
        let mut rng = Pcg32::new(0, 0);
        assert!(b.mean_interval(&[1.0], 1.0, 100, &mut rng).is_err());
        assert!(b.mean_interval(&[1.0], 0.9, 1, &mut rng).is_err());
        assert!(b.mean_interval(&[], 0.9, 100, &mut rng).is_err());
        assert!(b.mean_interval(&[f64::INFINITY], 0.9, 100, &mut rng).is_err());
    }
}
