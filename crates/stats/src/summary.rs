//! The descriptive statistics an event study reports for a sample of forward
//! returns: count, mean, median and hit rate.

use serde::Serialize;

/// Count, mean, median and hit rate of a sample of returns.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SampleSummary {
    /// The number of returns.
    pub n: usize,
    /// The arithmetic mean (`None` when `n = 0`).
    pub mean: Option<f64>,
    /// The median: the middle value, or the average of the two middle values
    /// when `n` is even (numpy's `median`); `None` when `n = 0`.
    pub median: Option<f64>,
    /// The share of returns strictly above zero (`None` when `n = 0`).
    pub hit_rate: Option<f64>,
}

impl SampleSummary {
    /// Summarises `returns` (any order; NaN is the caller's bug and
    /// propagates into the mean).
    ///
    /// ```
    /// use riskcurve_stats::SampleSummary;
    /// let s = SampleSummary::of(&[0.5, -0.1, 0.2, 0.0]);
    /// assert_eq!((s.n, s.median, s.hit_rate), (4, Some(0.1), Some(0.5)));
    /// assert!((s.mean.unwrap() - 0.15).abs() < 1e-15);
    /// ```
    pub fn of(returns: &[f64]) -> SampleSummary {
        let n = returns.len();
        if n == 0 {
            return SampleSummary { n, mean: None, median: None, hit_rate: None };
        }
        let mut sorted = returns.to_vec();
        sorted.sort_by(f64::total_cmp);
        let median = if n % 2 == 1 { sorted[n / 2] } else { 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]) };
        let hits = returns.iter().filter(|r| **r > 0.0).count();
        SampleSummary {
            n,
            mean: Some(returns.iter().sum::<f64>() / n as f64),
            median: Some(median),
            hit_rate: Some(hits as f64 / n as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_even_and_empty_samples() {
        let s = SampleSummary::of(&[3.0, -1.0, 2.0]);
        assert_eq!(s, SampleSummary { n: 3, mean: Some(4.0 / 3.0), median: Some(2.0), hit_rate: Some(2.0 / 3.0) });
        assert_eq!(SampleSummary::of(&[1.0, 2.0]).median, Some(1.5));
        assert_eq!(SampleSummary::of(&[]), SampleSummary { n: 0, mean: None, median: None, hit_rate: None });
        // Zero is not a hit.
        assert_eq!(SampleSummary::of(&[0.0, 0.0]).hit_rate, Some(0.0));
    }
}
