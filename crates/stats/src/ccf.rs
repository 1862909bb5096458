//! Cross-correlations of two aligned series at leads and lags.

use serde::Serialize;

use crate::StatsError;

/// The correlation at one lag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CcfPoint {
    /// `k`: positive when `lead` comes first (`lead_t` against `lag_{t+k}`).
    pub lag: i64,
    /// Pearson correlation over the `n - |k|` overlapping pairs.
    pub r: f64,
    /// Pairs used.
    pub n: usize,
    /// The approximate 95% band under no correlation, `1.96 / sqrt(n)`.
    pub band: f64,
}

/// Cross-correlations `corr(lead_t, lag_{t+k})` for `k = -max_lag..=max_lag`.
///
/// Each lag is an ordinary Pearson correlation over its own overlapping
/// pairs (numpy's `corrcoef(lead[:n-k], lag[k:])`), not statsmodels' `ccf`,
/// which divides by the full-sample variances and shrinks long lags.
pub fn cross_correlations(lead: &[f64], lag: &[f64], max_lag: usize) -> Result<Vec<CcfPoint>, StatsError> {
    let n = lead.len();
    if lag.len() != n {
        return Err(StatsError::DimensionMismatch {
            what: "ccf: lag against lead".into(),
            expected: n,
            got: lag.len(),
        });
    }
    let max = max_lag as i64;
    let mut out = Vec::with_capacity(2 * max_lag + 1);
    for k in -max..=max {
        let shift = k.unsigned_abs() as usize;
        if shift + 3 > n {
            continue;
        }
        let (a, b) = if k >= 0 { (&lead[..n - shift], &lag[shift..]) } else { (&lead[shift..], &lag[..n - shift]) };
        out.push(CcfPoint { lag: k, r: pearson(a, b), n: a.len(), band: 1.96 / (a.len() as f64).sqrt() });
    }
    Ok(out)
}

/// Pearson correlation; NaN when either side is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    sab / (saa * sbb).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_copy_correlates_fully_at_its_shift() {
        // Hand-made: `lag` is `lead` two steps later.
        let lead: Vec<f64> = (0..40).map(|t| ((t * t) as f64 * 0.37).sin()).collect();
        let lag: Vec<f64> = (0..40).map(|t| if t >= 2 { lead[t - 2] } else { 0.0 }).collect();
        let ccf = cross_correlations(&lead, &lag, 3).unwrap();
        let at = |k: i64| ccf.iter().find(|p| p.lag == k).unwrap();
        assert!((at(2).r - 1.0).abs() < 1e-12);
        assert_eq!(at(2).n, 38);
        assert!(at(0).r.abs() < 0.5 && at(-2).r.abs() < 0.5);
        assert_eq!(ccf.len(), 7);
    }

    #[test]
    fn lag_zero_is_the_pearson_correlation() {
        // Hand-made; corr([1,2,3,4],[2,4,5,9]) = 0.9647638212377321 (.venv/bin/python -c "import numpy as np; print(np.corrcoef([1,2,3,4],[2,4,5,9])[0,1])").
        let r = cross_correlations(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 9.0], 0).unwrap()[0].r;
        assert!((r - 0.9647638212377321).abs() < 1e-12);
    }
}
