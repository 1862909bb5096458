//! Fixtures shared by the unit and property tests of this crate.

use proptest::prelude::*;

use crate::{Date, Series};

/// Parses a `YYYY-MM-DD` literal; test input is known to be valid.
pub(crate) fn d(s: &str) -> Date {
    s.parse().expect("test date literal")
}

/// A series from `(date literal, value)` pairs.
pub(crate) fn series(pairs: &[(&str, f64)]) -> Series {
    Series::from_pairs(pairs.iter().map(|(s, v)| (d(s), *v))).expect("test series")
}

/// Strictly increasing dates from 2019 on: each step is 1..=max_step days,
/// so the series has irregular gaps, weekends and month turns.
pub(crate) fn dates_strategy(max_len: usize, max_step: i32) -> impl Strategy<Value = Vec<Date>> {
    (17_900i32..18_300, prop::collection::vec(1..=max_step, 0..max_len)).prop_map(|(start, steps)| {
        let mut day = start;
        steps
            .into_iter()
            .map(|s| {
                day += s;
                Date::from_days(day)
            })
            .collect()
    })
}

/// A series on [`dates_strategy`] dates with values in `lo..hi`.
pub(crate) fn series_strategy(max_len: usize, max_step: i32, lo: f64, hi: f64) -> impl Strategy<Value = Series> {
    dates_strategy(max_len, max_step).prop_flat_map(move |dates| {
        let n = dates.len();
        prop::collection::vec(lo..hi, n)
            .prop_map(move |values| Series::new(dates.clone(), values).expect("generated series is valid"))
    })
}
