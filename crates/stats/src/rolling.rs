//! Rolling Pearson correlation of two aligned series.
//!
//! The value at index `t` is the Pearson correlation of the `window` pairs
//! `t - window + 1 ..= t` (the window ends on, and includes, its date), as
//! pandas' `s1.rolling(window).corr(s2)` with the default
//! `min_periods = window`: nothing until the first full window, then one
//! value per end date. A window where either series is constant has no
//! correlation (pandas gives NaN); it is `None` here.
//!
//! Each window is computed afresh with the two-pass formula (means first,
//! then centred sums), not pandas' running sums, so no rounding carries over
//! from one window to the next; the two agree to about 1e-12 relative (the
//! golden test holds them to 1e-10 on weekly RUT/BTC returns). The cost is
//! `O(n window)`, microseconds for any series here.

use riskcurve_core::{Date, Series};
use serde::Serialize;

use crate::StatsError;

/// The rolling correlation at one end date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RollingPoint {
    /// The last date of the window.
    pub date: Date,
    /// The correlation over the window; `None` when either series is
    /// constant in it.
    pub r: Option<f64>,
}

/// The rolling correlation of `a` and `b` (aligned, same length, oldest
/// first) over `window` observations: one entry per index, `None` for the
/// first `window - 1` indices (the window is not full) and for windows in
/// which either series is constant.
///
/// Fails when the lengths differ, a value is not finite or `window` is
/// below 2. A window longer than the series is not an error: every entry is
/// `None`.
///
/// ```
/// use riskcurve_stats::rolling_correlation;
/// let a = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let b = [2.0, 4.0, 5.0, 9.0, 1.0];
/// let r = rolling_correlation(&a, &b, 4).unwrap();
/// assert_eq!(r[..3], [None, None, None]);
/// // np.corrcoef([1, 2, 3, 4], [2, 4, 5, 9])[0, 1]
/// assert!((r[3].unwrap() - 0.9647638212377321).abs() < 1e-12);
/// ```
pub fn rolling_correlation(a: &[f64], b: &[f64], window: usize) -> Result<Vec<Option<f64>>, StatsError> {
    let n = a.len();
    if b.len() != n {
        return Err(StatsError::DimensionMismatch {
            what: "rolling correlation: b against a".into(),
            expected: n,
            got: b.len(),
        });
    }
    for (what, values) in [("rolling correlation: a", a), ("rolling correlation: b", b)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: what.into(), index });
        }
    }
    if window < 2 {
        return Err(StatsError::param("window", format!("{window}: a correlation needs at least 2 observations")));
    }
    Ok((0..n)
        .map(|t| {
            if t + 1 < window {
                return None;
            }
            let range = t + 1 - window..=t;
            window_correlation(&a[range.clone()], &b[range])
        })
        .collect())
}

/// [`rolling_correlation`] of two series on the same dates, as dated points
/// from the first full window on (the first point is the series' `window`-th
/// date).
///
/// Fails when the dates differ (align the series first), on non-finite
/// values and on `window` below 2; a series shorter than `window` gives no
/// points.
pub fn rolling_correlation_series(a: &Series, b: &Series, window: usize) -> Result<Vec<RollingPoint>, StatsError> {
    if a.dates() != b.dates() {
        let at = a.dates().iter().zip(b.dates()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        return Err(StatsError::Infeasible(format!(
            "rolling correlation: the series are not aligned (lengths {} and {}, first difference at index {at})",
            a.len(),
            b.len()
        )));
    }
    let r = rolling_correlation(a.values(), b.values(), window)?;
    Ok(a.dates().iter().zip(r).skip(window - 1).map(|(&date, r)| RollingPoint { date, r }).collect())
}

/// Two-pass Pearson correlation; `None` when either side is constant.
fn window_correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    if saa == 0.0 || sbb == 0.0 {
        return None;
    }
    // Rounding can push |r| a hair past 1 for (anti)collinear windows.
    Some((sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_window_is_the_pearson_correlation_of_its_pairs() {
        let a: Vec<f64> = (0..30).map(|t| ((t * t) as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..30).map(|t| (t as f64 * 1.3).cos() + 0.5 * a[t]).collect();
        let r = rolling_correlation(&a, &b, 7).unwrap();
        assert_eq!(r.len(), 30);
        assert!(r[..6].iter().all(Option::is_none));
        for t in 6..30 {
            let want = crate::pearson(&a[t - 6..=t], &b[t - 6..=t]);
            assert!((r[t].unwrap() - want).abs() < 1e-12, "t = {t}");
        }
    }

    #[test]
    fn perfect_and_constant_windows() {
        let a = [1.0, 2.0, 3.0, 3.0, 3.0, 3.0];
        let b = [-2.0, -4.0, -6.0, 1.0, 2.0, 3.0];
        let r = rolling_correlation(&a, &b, 3).unwrap();
        assert_eq!(r[2], Some(-1.0));
        // a is constant over the last window.
        assert_eq!(r[5], None);
        // A window as long as the series: one value; longer: none.
        assert_eq!(rolling_correlation(&a, &b, 6).unwrap().iter().flatten().count(), 1);
        assert!(rolling_correlation(&a, &b, 7).unwrap().iter().all(Option::is_none));
    }

    #[test]
    fn dated_points_start_at_the_first_full_window() {
        let dates: Vec<Date> = (0..5).map(|i| Date::from_days(19_000 + 7 * i)).collect();
        let a = Series::new(dates.clone(), vec![1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        let b = Series::new(dates.clone(), vec![2.0, 4.0, 5.0, 9.0, 1.0]).unwrap();
        let points = rolling_correlation_series(&a, &b, 4).unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].date, dates[3]);
        assert!((points[0].r.unwrap() - 0.9647638212377321).abs() < 1e-12);
        let json = serde_json::to_value(points[1]).unwrap();
        assert!(json["r"].is_f64() && json.get("date").is_some());
        assert!(rolling_correlation_series(&a, &b, 9).unwrap().is_empty());
        let shifted = Series::new(dates.iter().map(|d| d.add_days(1)).collect(), b.values().to_vec()).unwrap();
        assert!(matches!(rolling_correlation_series(&a, &shifted, 3), Err(StatsError::Infeasible(_))));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let a = [1.0, 2.0, 3.0];
        assert!(matches!(rolling_correlation(&a, &a[..2], 2), Err(StatsError::DimensionMismatch { .. })));
        assert!(matches!(rolling_correlation(&a, &a, 1), Err(StatsError::InvalidParameter { .. })));
        assert!(matches!(
            rolling_correlation(&a, &[1.0, f64::NAN, 2.0], 2),
            Err(StatsError::NonFinite { index: 1, .. })
        ));
    }
}
