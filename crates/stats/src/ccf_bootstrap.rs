//! Bootstrap bands for cross-correlations under the null of no
//! cross-correlation.
//!
//! The textbook band `+/-1.96 / sqrt(n)` ([`CcfPoint::band`]) assumes at
//! least one of the two series is white noise. When both are autocorrelated
//! (volatility clustering in returns, momentum in monthly data) the sample
//! cross-correlations of two *independent* series scatter more, by Bartlett's
//! formula `Var r_k ~ (1/n) sum_j rho_lead(j) rho_lag(j)`, and the textbook
//! band flags spurious leads.
//!
//! This band keeps each series' own dependence and destroys only the link
//! between them: the `lag` series is resampled by the stationary bootstrap
//! ([`StationaryBootstrap`], mean block length chosen by Politis-White on the
//! `lag` series, [`StationaryBootstrap::automatic`]) independently of `lead`,
//! which stays in its original order; each replication computes the
//! cross-correlations exactly as [`cross_correlations`] does, and the band at
//! each lag is the 2.5% and 97.5% quantiles of the replicated `r` (numpy's
//! default linear interpolation). An observed `r` outside its band is
//! unusual for two unrelated series with these autocorrelations.
//!
//! **Reproducibility**: replication `b` draws from its own stream
//! `Pcg32::for_stream(seed, b)`, so the bands depend on the seed alone, not on
//! the number of threads the replications run on.

use rayon::prelude::*;
use serde::Serialize;

use crate::bootstrap::percentile;
use crate::{cross_correlations, CcfPoint, Pcg32, StationaryBootstrap, StatsError};

/// The bootstrap band of the cross-correlation at one lag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CcfBand {
    /// `k`, as in [`CcfPoint::lag`]: positive when `lead` comes first.
    pub lag: i64,
    /// The 2.5% quantile of `r` under no cross-correlation.
    pub low: f64,
    /// The 97.5% quantile.
    pub high: f64,
}

/// Bootstrap bands at every lag, and how they were drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CcfBands {
    /// Bootstrap replications drawn.
    pub replications: usize,
    /// The seed of the random streams.
    pub seed: u64,
    /// The mean block length of the stationary bootstrap of the `lag` series
    /// (1 when it is too short for Politis-White: the i.i.d. bootstrap).
    pub mean_block: f64,
    /// One band per lag, `-max_lag..=max_lag`, the same lags as
    /// [`cross_correlations`] returns.
    pub bands: Vec<CcfBand>,
}

/// The 95% bootstrap bands of `corr(lead_t, lag_{t+k})`, `k =
/// -max_lag..=max_lag`, under the null that the two series are unrelated:
/// `replications` stationary-bootstrap resamples of `lag` (blocks by
/// Politis-White) against `lead` as it is, seeded by `seed`.
///
/// Fails when the lengths differ, a value is not finite, there are fewer
/// than 3 observations, either series is constant, or `replications` is
/// below 2 (use 999 or more: the 2.5% quantile of fewer draws is mostly
/// noise). A replication whose resample is constant over a lag's pairs
/// (possible only in tiny samples) has no correlation there and is left out
/// of that lag's quantiles; a lag with no correlation in any replication
/// gets NaN ends.
///
/// ```
/// use riskcurve_stats::ccf_bootstrap_bands;
/// let lead: Vec<f64> = (0..200).map(|t| ((t * t) as f64 * 0.37).sin()).collect();
/// let lag: Vec<f64> = (0..200).map(|t| ((t * t) as f64 * 0.71).cos()).collect();
/// let b = ccf_bootstrap_bands(&lead, &lag, 4, 999, 42).unwrap();
/// assert_eq!(b.bands.len(), 9);
/// assert!(b.bands.iter().all(|band| band.low < 0.0 && 0.0 < band.high));
/// ```
pub fn ccf_bootstrap_bands(
    lead: &[f64],
    lag: &[f64],
    max_lag: usize,
    replications: usize,
    seed: u64,
) -> Result<CcfBands, StatsError> {
    let n = lead.len();
    if lag.len() != n {
        return Err(StatsError::DimensionMismatch {
            what: "ccf bands: lag against lead".into(),
            expected: n,
            got: lag.len(),
        });
    }
    for (what, values) in [("ccf bands: lead", lead), ("ccf bands: lag", lag)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: what.into(), index });
        }
        if values.iter().all(|v| *v == values[0]) && n > 0 {
            return Err(StatsError::Infeasible(format!("{what} is constant: no correlation to test")));
        }
    }
    if n < 3 {
        return Err(StatsError::TooFewObservations { what: "ccf bands".into(), needed: 3, got: n });
    }
    if replications < 2 {
        return Err(StatsError::param("replications", "must be at least 2"));
    }
    let lags: Vec<i64> = cross_correlations(lead, lag, max_lag)?.iter().map(|p| p.lag).collect();
    let bootstrap = StationaryBootstrap::automatic(lag);
    let draws: Vec<Vec<CcfPoint>> = (0..replications)
        .into_par_iter()
        .map(|b| {
            let mut rng = Pcg32::for_stream(seed, b as u64);
            let mut indices = Vec::with_capacity(n);
            bootstrap.resample_indices(n, &mut rng, &mut indices);
            let resampled: Vec<f64> = indices.iter().map(|&i| lag[i]).collect();
            cross_correlations(lead, &resampled, max_lag)
        })
        .collect::<Result<_, _>>()?;
    let bands = lags
        .iter()
        .enumerate()
        .map(|(j, &k)| {
            let mut r: Vec<f64> = draws.iter().map(|d| d[j].r).filter(|r| r.is_finite()).collect();
            r.sort_by(f64::total_cmp);
            if r.is_empty() {
                return CcfBand { lag: k, low: f64::NAN, high: f64::NAN };
            }
            CcfBand { lag: k, low: percentile(&r, 0.025), high: percentile(&r, 0.975) }
        })
        .collect();
    Ok(CcfBands { replications, seed, mean_block: bootstrap.mean_block(), bands })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    fn ar1(n: usize, phi: f64, rng: &mut Pcg32) -> Vec<f64> {
        test_support::ar1(n, 0.0, phi, rng)
    }

    fn mean_width(b: &CcfBands) -> f64 {
        b.bands.iter().map(|band| band.high - band.low).sum::<f64>() / b.bands.len() as f64
    }

    #[test]
    fn white_noise_bands_are_the_textbook_ones() {
        // Two independent white noises: the band is about +/-1.96 / sqrt(n).
        let mut rng = Pcg32::new(1, 1);
        let (lead, lag) = (ar1(400, 0.0, &mut rng), ar1(400, 0.0, &mut rng));
        let b = ccf_bootstrap_bands(&lead, &lag, 6, 2000, 7).unwrap();
        assert_eq!(b.bands.iter().map(|band| band.lag).collect::<Vec<_>>(), (-6..=6).collect::<Vec<_>>());
        for band in &b.bands {
            let textbook = 1.96 / ((400 - band.lag.unsigned_abs()) as f64).sqrt();
            assert!(band.low < 0.0 && 0.0 < band.high, "{band:?}");
            assert!((band.high - textbook).abs() < 0.2 * textbook, "{band:?} against {textbook}");
            assert!((band.low + textbook).abs() < 0.2 * textbook, "{band:?} against {textbook}");
        }
    }

    #[test]
    fn bands_widen_when_both_series_are_autocorrelated() {
        // Independent AR(1) with phi = 0.8: Bartlett's variance of r is
        // (1 + phi^2) / (1 - phi^2) / n = 4.56 / n, a band 2.1 times the
        // textbook one; the bootstrap, keeping both autocorrelations, sees it.
        let mut rng = Pcg32::new(2, 2);
        let (lead, lag) = (ar1(800, 0.8, &mut rng), ar1(800, 0.8, &mut rng));
        let b = ccf_bootstrap_bands(&lead, &lag, 4, 2000, 3).unwrap();
        assert!(b.mean_block > 3.0, "mean block {}", b.mean_block);
        let ratio = mean_width(&b) / (2.0 * 1.96 / 800f64.sqrt());
        assert!((1.5..=2.6).contains(&ratio), "width over the textbook band {ratio}");
    }

    #[test]
    fn width_shrinks_with_n() {
        // Ten times the data: bands about sqrt(10) = 3.16 times narrower.
        let mut rng = Pcg32::new(3, 3);
        let (lead, lag) = (ar1(3000, 0.3, &mut rng), ar1(3000, 0.3, &mut rng));
        let short = ccf_bootstrap_bands(&lead[..300], &lag[..300], 5, 1000, 1).unwrap();
        let long = ccf_bootstrap_bands(&lead, &lag, 5, 1000, 1).unwrap();
        let ratio = mean_width(&short) / mean_width(&long);
        assert!((2.5..=4.0).contains(&ratio), "width ratio {ratio}");
        for b in short.bands.iter().chain(&long.bands) {
            assert!(b.low < 0.0 && 0.0 < b.high, "{b:?}");
        }
    }

    #[test]
    fn reproducible_for_a_seed_whatever_the_threads() {
        let mut rng = Pcg32::new(4, 4);
        let (lead, lag) = (ar1(150, 0.5, &mut rng), ar1(150, 0.2, &mut rng));
        let a = ccf_bootstrap_bands(&lead, &lag, 3, 500, 42).unwrap();
        let b = ccf_bootstrap_bands(&lead, &lag, 3, 500, 42).unwrap();
        assert_eq!(a, b);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(pool.install(|| ccf_bootstrap_bands(&lead, &lag, 3, 500, 42).unwrap()), a);
        let other = ccf_bootstrap_bands(&lead, &lag, 3, 500, 43).unwrap();
        assert_ne!(other.bands, a.bands);
        assert_eq!((a.replications, a.seed), (500, 42));
    }

    #[test]
    fn short_series_use_the_iid_bootstrap_and_skip_impossible_lags() {
        let lead = [0.1, -0.3, 0.2, 0.5, -0.1, 0.0];
        let lag = [0.2, 0.1, -0.4, 0.3, 0.0, -0.2];
        let b = ccf_bootstrap_bands(&lead, &lag, 5, 200, 9).unwrap();
        assert_eq!(b.mean_block, 1.0);
        // Lags need 3 pairs: |k| <= 3, as cross_correlations.
        assert_eq!(b.bands.len(), 7);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let x = [0.1, 0.4, -0.2, 0.3, 0.0];
        assert!(matches!(ccf_bootstrap_bands(&x, &x[..4], 1, 100, 1), Err(StatsError::DimensionMismatch { .. })));
        assert!(matches!(ccf_bootstrap_bands(&x, &x, 1, 1, 1), Err(StatsError::InvalidParameter { .. })));
        assert!(matches!(ccf_bootstrap_bands(&x, &[0.2; 5], 1, 100, 1), Err(StatsError::Infeasible(_))));
        assert!(matches!(ccf_bootstrap_bands(&x[..2], &x[..2], 1, 100, 1), Err(StatsError::TooFewObservations { .. })));
        let mut nan = x;
        nan[2] = f64::NAN;
        assert!(matches!(ccf_bootstrap_bands(&nan, &x, 1, 100, 1), Err(StatsError::NonFinite { index: 2, .. })));
    }
}
