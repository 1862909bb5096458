//! Halving cycles overlaid: each cycle's closes as a multiple of its entry
//! close, by calendar days since the halving.
//!
//! The entry is the `cycles` command's: the last close on or before the
//! halving, at most 7 days before it (else the data does not cover the
//! halving and the cycle is left out). A cycle runs to the day before the
//! next halving, or to the end of the data; the chart draws the multiples on
//! a log axis, so equal distances are equal ratios and the cycles compare by
//! shape rather than by the size of the later, larger market.

use riskcurve_core::{Date, Series};
use serde::Serialize;

/// The most days an entry close may precede its halving.
const MAX_ENTRY_GAP_DAYS: i32 = 7;

/// One halving cycle's path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CyclePath {
    /// The halving date.
    pub halving: Date,
    /// The entry close's date (on or just before the halving).
    pub entry_date: Date,
    /// The entry close.
    pub entry_close: f64,
    /// Calendar days since the halving of each close (the entry's is 0 or
    /// slightly negative).
    pub days: Vec<i32>,
    /// Each close over the entry close.
    pub multiples: Vec<f64>,
    /// True when the next halving has happened (the cycle is over).
    pub complete: bool,
}

/// The path of every halving in `halvings` (on or before `today`) that the
/// closes cover, oldest first.
pub fn cycle_paths(closes: &Series, halvings: &[Date], today: Date) -> Vec<CyclePath> {
    let data = closes.between(None, Some(today));
    let (dates, values) = (data.dates(), data.values());
    let mut out = Vec::new();
    for (i, halving) in halvings.iter().enumerate().filter(|(_, h)| **h <= today) {
        let Some(entry) = data.index_on_or_before(*halving) else { continue };
        if halving.days_since(dates[entry]) > MAX_ENTRY_GAP_DAYS {
            continue;
        }
        let next = halvings.get(i + 1).filter(|n| **n <= today);
        let end = next.map_or(dates.len(), |n| dates.partition_point(|d| d < n));
        let entry_close = values[entry];
        out.push(CyclePath {
            halving: *halving,
            entry_date: dates[entry],
            entry_close,
            days: dates[entry..end].iter().map(|d| d.days_since(*halving)).collect(),
            multiples: values[entry..end].iter().map(|v| v / entry_close).collect(),
            complete: next.is_some(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn each_cycle_is_rebased_at_its_halving_and_ends_before_the_next() {
        // Hand-made: a close every day from 2016-07-01, value 100 + days since
        // then; halvings on 2016-07-09 and 2016-07-19 (made up, 10 days apart).
        let start = d("2016-07-01");
        let s = Series::from_pairs((0..30).map(|i| (start.add_days(i), 100.0 + i as f64))).unwrap();
        let halvings = [d("2016-07-09"), d("2016-07-19")];
        let paths = cycle_paths(&s, &halvings, d("2030-01-01"));
        assert_eq!(paths.len(), 2);
        let first = &paths[0];
        // Entry on the halving (close 108); the cycle runs days 0-9.
        assert_eq!((first.entry_date, first.entry_close), (d("2016-07-09"), 108.0));
        assert_eq!(first.days, (0..10).collect::<Vec<i32>>());
        assert_eq!(first.multiples[9], 117.0 / 108.0);
        assert!(first.complete);
        // The second from its own entry (118) to the end of the data (day 29 = 129).
        let second = &paths[1];
        assert_eq!((second.entry_close, second.days.len()), (118.0, 12));
        assert_eq!(*second.multiples.last().unwrap(), 129.0 / 118.0);
        assert!(!second.complete);
    }

    #[test]
    fn uncovered_halvings_and_the_future_are_left_out() {
        // Hand-made: closes from 2016-07-20 only; the 2016-07-09 halving has no
        // entry within 7 days, and a halving after `today` is not drawn.
        let start = d("2016-07-20");
        let s = Series::from_pairs((0..100).map(|i| (start.add_days(i), 1.0))).unwrap();
        let halvings = [d("2016-07-09"), d("2016-08-01"), d("2016-09-01")];
        let paths = cycle_paths(&s, &halvings, d("2016-08-15"));
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].halving, d("2016-08-01"));
        // `today` cuts the data: 2016-08-01 to 2016-08-15 is 15 closes, and
        // the next halving is after today, so the cycle is not over.
        assert_eq!(paths[0].days.len(), 15);
        assert!(!paths[0].complete);
    }

    #[test]
    fn a_two_day_export_enters_the_day_before() {
        // Hand-made: closes every 2 days, halving on a day without a close.
        let start = d("2012-11-21");
        let s = Series::from_pairs((0..10).map(|i| (start.add_days(2 * i), 10.0 * (i + 1) as f64))).unwrap();
        let paths = cycle_paths(&s, &[d("2012-11-28")], d("2013-01-01"));
        assert_eq!((paths[0].entry_date, paths[0].entry_close), (d("2012-11-27"), 40.0));
        assert_eq!(paths[0].days[..2], [-1, 1]);
        assert_eq!(paths[0].multiples[1], 1.25);
    }
}
