//! Ratios of two series (`rut/spx`, `eth/btc`) as derived series, and their
//! trend state against a simple moving average.
//!
//! # Definitions
//!
//! * **Ratio** `a/b` on date `t`: `a[t] / b[t]`, on the dates both series have
//!   (an inner join by calendar date, [`riskcurve_core::align`]). It is meant
//!   for series on the same calendar (two indices, two crypto closes); mixing
//!   an equity with a crypto close on one date compares 16:00 New York with
//!   00:00 UTC. Dates where `b` is 0 (or the quotient is not finite) are left
//!   out, since no finite ratio exists there.
//! * **Simple moving average** over `window` observations (sessions, not
//!   calendar days): `sma[t] = mean(value[t-window+1 ..= t])`, the current
//!   value included; undefined for the first `window - 1` observations.
//! * **Trend state**: `above = value > sma` (a value equal to its average is
//!   "below"). The 200-session window is the analysts' "200-day" average.
//! * **Days in state**: the number of consecutive observations, ending at the
//!   last one, with the same `above` (sessions, counting the last one), and
//!   `since`, the first of them.
//!
//! A ratio's own breakouts use the same detector as prices: see [`as_bars`].

use riskcurve_core::{align, Bar, BarSeries, Date, Series};
use serde::Serialize;

use crate::SignalError;

/// The id of the ratio of `a` over `b`: `ratio_name("rut", "spx") == "rut/spx"`.
pub fn ratio_name(a: &str, b: &str) -> String {
    format!("{a}/{b}")
}

/// `a / b` on the dates both have; dates where the quotient is not finite
/// (`b = 0`) are left out.
pub fn ratio(a: &Series, b: &Series) -> Series {
    let (dates, values) = align(&[a, b]);
    let pairs = dates.into_iter().zip(values[0].iter().zip(&values[1])).filter_map(|(date, (x, y))| {
        let q = x / y;
        q.is_finite().then_some((date, q))
    });
    Series::from_pairs(pairs).expect("aligned dates are increasing and values finite")
}

/// A value-only bar per observation, so [`crate::breakout::detect_breakouts`]
/// runs on a derived series (a ratio has no intraday high: basis `high` falls
/// back to the value, and there is no volume).
pub fn as_bars(series: &Series) -> BarSeries {
    BarSeries::new(series.iter().map(|(date, value)| Bar::value(date, value)).collect())
        .expect("series invariants imply bar invariants")
}

/// One observation with its moving average and trend state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The date.
    pub date: Date,
    /// The value (the ratio).
    pub value: f64,
    /// Its `window`-observation simple moving average; `None` during warm-up.
    pub sma: Option<f64>,
    /// `value > sma`; `None` during warm-up.
    pub above: Option<bool>,
}

/// The trend state on the last observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendState {
    /// The last date.
    pub date: Date,
    /// The value on it.
    pub value: f64,
    /// Its moving average.
    pub sma: f64,
    /// Above the average.
    pub above: bool,
    /// Consecutive observations (sessions) in this state, the last included.
    pub days_in_state: usize,
    /// The first observation of the current state.
    pub since: Date,
}

/// The moving average and trend state on every observation (output as long
/// as the input; the first `window - 1` have no average). `window = 0` is an
/// error.
pub fn trend_state(series: &Series, window: usize) -> Result<Vec<TrendPoint>, SignalError> {
    if window == 0 {
        return Err(SignalError::param("--window", "must be at least 1, got 0"));
    }
    let values = series.values();
    // A running sum is exact enough here: the values are prices or ratios of
    // similar magnitude, and it is recomputed from scratch every `window`
    // steps so rounding cannot build up over a long history.
    let mut sum = 0.0;
    let mut points = Vec::with_capacity(values.len());
    for (i, (date, value)) in series.iter().enumerate() {
        if i >= window && i % window == 0 {
            sum = values[i + 1 - window..i].iter().sum();
        } else if i >= window {
            sum -= values[i - window];
        }
        sum += value;
        let sma = (i + 1 >= window).then(|| sum / window as f64);
        points.push(TrendPoint { date, value, sma, above: sma.map(|m| value > m) });
    }
    Ok(points)
}

/// The trend state on the last observation; `None` when the series is
/// shorter than `window`. `window = 0` is an error.
pub fn trend_now(series: &Series, window: usize) -> Result<Option<TrendState>, SignalError> {
    let points = trend_state(series, window)?;
    let Some(last) = points.last() else { return Ok(None) };
    let (Some(sma), Some(above)) = (last.sma, last.above) else { return Ok(None) };
    let run: Vec<&TrendPoint> = points.iter().rev().take_while(|p| p.above == Some(above)).collect();
    let since = run.last().expect("the last point is in its own state").date;
    Ok(Some(TrendState { date: last.date, value: last.value, sma, above, days_in_state: run.len(), since }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn series(pairs: &[(&str, f64)]) -> Series {
        Series::from_pairs(pairs.iter().map(|(s, v)| (d(s), *v))).unwrap()
    }

    #[test]
    fn ratio_on_common_dates() {
        // Hand-made: a has a holiday gap, b has a zero.
        let a = series(&[("2024-01-02", 10.0), ("2024-01-03", 12.0), ("2024-01-05", 9.0), ("2024-01-08", 4.0)]);
        let b = series(&[("2024-01-02", 5.0), ("2024-01-04", 1.0), ("2024-01-05", 3.0), ("2024-01-08", 0.0)]);
        let r = ratio(&a, &b);
        assert_eq!(r.dates(), &[d("2024-01-02"), d("2024-01-05")]);
        assert_eq!(r.values(), &[2.0, 3.0]);
        assert_eq!(ratio_name("rut", "spx"), "rut/spx");
        assert_eq!(as_bars(&r).closes(), r);
    }

    #[test]
    fn moving_average_and_state() {
        // Hand-made: window 3 over 1, 2, 3, 4, 0, 0: averages 2, 3, 7/3, 4/3.
        let s = series(&[
            ("2024-01-01", 1.0),
            ("2024-01-02", 2.0),
            ("2024-01-03", 3.0),
            ("2024-01-04", 4.0),
            ("2024-01-05", 0.0),
            ("2024-01-06", 0.0),
        ]);
        let points = trend_state(&s, 3).unwrap();
        assert_eq!(points.len(), 6);
        assert_eq!((points[0].sma, points[0].above, points[1].sma), (None, None, None));
        let smas: Vec<f64> = points[2..].iter().map(|p| p.sma.unwrap()).collect();
        for (got, want) in smas.iter().zip([2.0, 3.0, 7.0 / 3.0, 4.0 / 3.0]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        let above: Vec<bool> = points[2..].iter().map(|p| p.above.unwrap()).collect();
        assert_eq!(above, vec![true, true, false, false]);
        let now = trend_now(&s, 3).unwrap().unwrap();
        assert_eq!((now.above, now.days_in_state, now.since), (false, 2, d("2024-01-05")));
        // Too short for the window: no state; window 0: an error.
        assert_eq!(trend_now(&s, 7).unwrap(), None);
        assert!(trend_state(&s, 0).is_err());
        assert_eq!(trend_now(&Series::default(), 1).unwrap(), None);
    }

    proptest! {
        #[test]
        fn running_average_matches_direct_mean(values in prop::collection::vec(0.1f64..1000.0, 0..300), window in 1usize..40) {
            let s = Series::new((0..values.len()).map(|i| Date::from_days(19_000 + i as i32)).collect(), values.clone()).unwrap();
            let points = trend_state(&s, window).unwrap();
            prop_assert_eq!(points.len(), values.len());
            for (i, p) in points.iter().enumerate() {
                if i + 1 < window {
                    prop_assert!(p.sma.is_none());
                } else {
                    let direct = values[i + 1 - window..=i].iter().sum::<f64>() / window as f64;
                    prop_assert!((p.sma.unwrap() - direct).abs() <= 1e-9 * direct.abs().max(1.0));
                }
            }
        }
    }
}
