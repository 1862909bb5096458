//! Putting several series on one date axis.
//!
//! Alignment is by calendar date only. It is right for series on the same
//! calendar (two NYSE indices, two crypto closes); series published at
//! different times (macro data, equities against crypto) need the as-of join in
//! [`crate::asof_join`], which asks what was public when, not what shares a date.

use std::collections::BTreeSet;

use crate::{Date, Series};

/// Inner join: the dates present in *every* input, with each input's values on
/// them.
///
/// Returns `(dates, values)` where `values[i][k]` is `series[i]` on `dates[k]`,
/// so `values` has one column per input, each as long as `dates`. No input
/// gives no dates and no columns.
///
/// ```
/// use riskcurve_core::{align, Series};
/// let d = |s: &str| s.parse().unwrap();
/// let a = Series::new(vec![d("2024-01-02"), d("2024-01-03")], vec![1.0, 2.0]).unwrap();
/// let b = Series::new(vec![d("2024-01-03"), d("2024-01-04")], vec![30.0, 40.0]).unwrap();
/// let (dates, values) = align(&[&a, &b]);
/// assert_eq!(dates, vec![d("2024-01-03")]);
/// assert_eq!(values, vec![vec![2.0], vec![30.0]]);
/// ```
pub fn align(series: &[&Series]) -> (Vec<Date>, Vec<Vec<f64>>) {
    let mut dates = Vec::new();
    let mut values = vec![Vec::new(); series.len()];
    // Walking the shortest input bounds the work by the smallest series; the
    // others are probed by binary search.
    let Some(shortest) = series.iter().min_by_key(|s| s.len()) else {
        return (dates, values);
    };
    for &date in shortest.dates() {
        let row: Option<Vec<f64>> = series.iter().map(|s| s.get(date)).collect();
        if let Some(row) = row {
            dates.push(date);
            for (column, v) in values.iter_mut().zip(row) {
                column.push(v);
            }
        }
    }
    (dates, values)
}

/// Outer join: the dates present in *any* input, each input's value or `None`.
///
/// Same layout as [`align`]: `values[i][k]` is `series[i]` on `dates[k]`. The
/// gaps are left as `None` on purpose: filling them (forward fill, interpolation)
/// is a modelling choice the caller must make and say out loud.
pub fn align_outer(series: &[&Series]) -> (Vec<Date>, Vec<Vec<Option<f64>>>) {
    let all: BTreeSet<Date> = series.iter().flat_map(|s| s.dates().iter().copied()).collect();
    let dates: Vec<Date> = all.into_iter().collect();
    let values = series.iter().map(|s| dates.iter().map(|d| s.get(*d)).collect()).collect();
    (dates, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, series, series_strategy};
    use proptest::prelude::*;

    #[test]
    fn inner_join_keeps_common_dates() {
        // Hand-made: an equity-like series with a holiday gap and a daily one.
        let a = series(&[("2024-01-02", 1.0), ("2024-01-03", 2.0), ("2024-01-05", 3.0)]);
        let b = series(&[("2024-01-01", 10.0), ("2024-01-03", 20.0), ("2024-01-04", 30.0), ("2024-01-05", 40.0)]);
        let (dates, values) = align(&[&a, &b]);
        assert_eq!(dates, vec![d("2024-01-03"), d("2024-01-05")]);
        assert_eq!(values, vec![vec![2.0, 3.0], vec![20.0, 40.0]]);
    }

    #[test]
    fn edge_cases() {
        let a = series(&[("2024-01-02", 1.0)]);
        assert_eq!(align(&[]), (vec![], vec![]));
        assert_eq!(align(&[&a]), (vec![d("2024-01-02")], vec![vec![1.0]]));
        let (dates, values) = align(&[&a, &Series::default()]);
        assert!(dates.is_empty());
        assert_eq!(values, vec![Vec::<f64>::new(), vec![]]);
    }

    #[test]
    fn outer_join_marks_gaps() {
        let a = series(&[("2024-01-02", 1.0), ("2024-01-04", 2.0)]);
        let b = series(&[("2024-01-03", 10.0), ("2024-01-04", 20.0)]);
        let (dates, values) = align_outer(&[&a, &b]);
        assert_eq!(dates, vec![d("2024-01-02"), d("2024-01-03"), d("2024-01-04")]);
        assert_eq!(values, vec![vec![Some(1.0), None, Some(2.0)], vec![None, Some(10.0), Some(20.0)]]);
    }

    proptest! {
        #[test]
        fn inner_join_invariants(inputs in prop::collection::vec(series_strategy(40, 3, -100.0, 100.0), 1..4)) {
            let refs: Vec<&Series> = inputs.iter().collect();
            let (dates, values) = align(&refs);
            let min_len = inputs.iter().map(Series::len).min().unwrap();
            prop_assert!(dates.len() <= min_len);
            prop_assert!(dates.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(values.len(), inputs.len());
            for (s, column) in inputs.iter().zip(&values) {
                prop_assert_eq!(column.len(), dates.len());
                for (date, v) in dates.iter().zip(column) {
                    prop_assert_eq!(s.get(*date), Some(*v));
                }
            }
            // Nothing common is dropped.
            let common = inputs[0].dates().iter().filter(|x| inputs.iter().all(|s| s.get(**x).is_some())).count();
            prop_assert_eq!(common, dates.len());
        }

        #[test]
        fn outer_join_invariants(inputs in prop::collection::vec(series_strategy(40, 3, -100.0, 100.0), 0..4)) {
            let refs: Vec<&Series> = inputs.iter().collect();
            let (dates, values) = align_outer(&refs);
            prop_assert!(dates.windows(2).all(|w| w[0] < w[1]));
            for (s, column) in inputs.iter().zip(&values) {
                prop_assert_eq!(column.len(), dates.len());
                prop_assert_eq!(column.iter().flatten().count(), s.len());
                for (date, v) in dates.iter().zip(column) {
                    prop_assert_eq!(s.get(*date), *v);
                }
            }
            for date in &dates {
                prop_assert!(inputs.iter().any(|s| s.get(*date).is_some()));
            }
        }
    }
}
