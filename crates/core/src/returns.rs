//! Period returns of a price series.
//!
//! Returns are taken between consecutive observations, whatever their spacing:
//! resample first ([`crate::to_weekly`], [`crate::to_month_end`]) for weekly or
//! monthly returns, and align first when comparing two markets.

use crate::{CoreError, Series};

/// Simple returns `r_t = p_t / p_{t-1} - 1`, keyed by `t`.
///
/// The output has `n - 1` observations for `n` prices (none for fewer than
/// two). Fails on the first price that is zero or negative, naming its date.
///
/// ```
/// use riskcurve_core::{simple_returns, Series};
/// let d = |s: &str| s.parse().unwrap();
/// let p = Series::new(vec![d("2024-01-02"), d("2024-01-03")], vec![100.0, 110.0]).unwrap();
/// let r = simple_returns(&p).unwrap();
/// assert_eq!(r.dates(), &[d("2024-01-03")]);
/// assert!((r.values()[0] - 0.10).abs() < 1e-12);
/// ```
pub fn simple_returns(prices: &Series) -> Result<Series, CoreError> {
    // Both kinds come from the same ratio `p_t / p_{t-1}`, so `1 + simple`
    // and `exp(log)` differ only by rounding.
    returns(prices, |ratio| ratio - 1.0)
}

/// Log returns `r_t = ln(p_t / p_{t-1})`, keyed by `t`.
///
/// They add up over time: the sum of a series' log returns is
/// `ln(p_last / p_first)`. Same shape and errors as [`simple_returns`].
pub fn log_returns(prices: &Series) -> Result<Series, CoreError> {
    returns(prices, f64::ln)
}

fn returns(prices: &Series, f: impl Fn(f64) -> f64) -> Result<Series, CoreError> {
    if let Some((date, value)) = prices.iter().find(|(_, v)| *v <= 0.0) {
        return Err(CoreError::NonPositivePrice { date, value });
    }
    let values = prices.values();
    let dates = prices.dates().iter().skip(1).copied();
    // A ratio of finite positive prices can still overflow (1e300 / 1e-300);
    // `Series::from_pairs` then reports the date as non-finite.
    Series::from_pairs(dates.zip(values.windows(2).map(|w| f(w[1] / w[0]))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, series, series_strategy};
    use proptest::prelude::*;

    #[test]
    fn hand_computed() {
        let p = series(&[("2024-01-02", 100.0), ("2024-01-03", 125.0), ("2024-01-05", 100.0)]);
        let r = simple_returns(&p).unwrap();
        assert_eq!(r.dates(), &[d("2024-01-03"), d("2024-01-05")]);
        assert_eq!(r.values()[0], 0.25);
        assert!((r.values()[1] + 0.2).abs() < 1e-15);
        let l = log_returns(&p).unwrap();
        assert!((l.values()[0] - 1.25f64.ln()).abs() < 1e-15);
        assert!((l.values()[0] + l.values()[1]).abs() < 1e-15);
    }

    #[test]
    fn short_series_have_no_returns() {
        assert!(simple_returns(&Series::default()).unwrap().is_empty());
        assert!(log_returns(&series(&[("2024-01-02", 5.0)])).unwrap().is_empty());
    }

    #[test]
    fn non_positive_prices_are_named() {
        let p = series(&[("2024-01-02", 100.0), ("2024-01-03", 0.0), ("2024-01-04", -1.0)]);
        let e = log_returns(&p).unwrap_err();
        assert_eq!(e, CoreError::NonPositivePrice { date: d("2024-01-03"), value: 0.0 });
        assert_eq!(e.to_string(), "non-positive price 0 on 2024-01-03: returns need prices above zero");
        assert!(simple_returns(&p).is_err());
    }

    proptest! {
        #[test]
        fn log_returns_telescope(p in series_strategy(60, 3, 0.01, 1.0e6)) {
            let l = log_returns(&p).unwrap();
            let s = simple_returns(&p).unwrap();
            prop_assert_eq!(l.len(), p.len().saturating_sub(1));
            prop_assert_eq!(l.dates(), s.dates());
            prop_assert_eq!(l.dates(), p.dates().get(1..).unwrap_or(&[]));
            if p.len() >= 2 {
                let total: f64 = l.values().iter().sum();
                let expected = (p.values()[p.len() - 1] / p.values()[0]).ln();
                prop_assert!((total - expected).abs() < 1e-9, "{} vs {}", total, expected);
            }
            for (r, g) in s.values().iter().zip(l.values()) {
                prop_assert!(((1.0 + r) - g.exp()).abs() <= 1e-12 * (1.0 + r).abs().max(1.0));
            }
        }
    }
}
