//! One validation path for bars, whether a file or a live source delivered
//! them: finite values, positive prices, one bar per date in increasing
//! order, and dates in a sane range that ends a day after the caller's clock.
//!
//! Parsers and providers each read their own shape; what comes out of them
//! passes through [`check_bars`] before anything is stored, so a bar 400
//! days in the future, a close of zero or a garbage timestamp is refused the
//! same way from a CSV file and from an HTTP response.

use riskcurve_core::{Bar, Date};

/// The earliest date accepted: before any market series riskcurve knows
/// (the oldest, US rates and indices, start in the 1900s).
pub const EARLIEST: Date = Date::from_days(-62_091); // 1800-01-01

/// What kind of values a series holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Prices and levels: every value above zero, volume not negative.
    Positive,
    /// Rates, spreads, indices around zero (FRED): any finite value.
    Any,
}

/// A bar that fails [`check_bars`]: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarProblem {
    /// Position in the slice checked.
    pub index: usize,
    /// What is wrong, naming the date: `bar on 2027-01-05 is after 2026-11-30 ...`.
    pub problem: String,
}

impl std::fmt::Display for BarProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problem)
    }
}

/// Checks bars sorted by date: each value finite (and, for
/// [`Values::Positive`], above zero, volume at least zero), dates strictly
/// increasing (a date twice is refused, whatever its values), and every
/// date within [`EARLIEST`]..=`today + 1` (a source's clock may run a few
/// hours ahead of ours, never a day).
pub fn check_bars(bars: &[Bar], today: Date, values: Values) -> Result<(), BarProblem> {
    let latest = today.checked_add_days(1).unwrap_or(Date::MAX);
    let fail = |index: usize, problem: String| Err(BarProblem { index, problem });
    for (i, b) in bars.iter().enumerate() {
        let d = b.date;
        if !d.is_in_range() || d < EARLIEST {
            return fail(i, format!("bar dated day {} since 1970 is not a plausible date", d.days()));
        }
        if d > latest {
            return fail(i, format!("bar on {d} is in the future (today is {today}): a broken timestamp?"));
        }
        if i > 0 && bars[i - 1].date >= d {
            let what = if bars[i - 1].date == d { "appears twice" } else { "is out of date order" };
            return fail(i, format!("bar on {d} {what}"));
        }
        let prices = [("close", Some(b.close)), ("open", b.open), ("high", b.high), ("low", b.low)];
        for (name, v) in prices.into_iter().filter_map(|(n, v)| Some((n, v?))) {
            if !v.is_finite() {
                return fail(i, format!("bar on {d}: {name} {v} is not a finite number"));
            }
            if values == Values::Positive && v <= 0.0 {
                return fail(i, format!("bar on {d}: {name} {v} is not a positive price"));
            }
        }
        if let Some(v) = b.volume {
            if !v.is_finite() || v < 0.0 {
                return fail(i, format!("bar on {d}: volume {v} is not a count"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn accepts_good_bars_and_names_each_problem() {
        let today = d("2026-11-30");
        let good = [Bar::value(d("2026-11-29"), 1.0), Bar::value(d("2026-12-01"), 2.0)];
        check_bars(&good, today, Values::Positive).unwrap();
        let cases: Vec<(Vec<Bar>, Values, &str)> = vec![
            (vec![Bar::value(d("2027-12-01"), 1.0)], Values::Positive, "bar on 2027-12-01 is in the future"),
            (vec![Bar::value(Date::from_days(i32::MAX), 1.0)], Values::Any, "is not a plausible date"),
            (vec![Bar::value(d("1700-01-01"), 1.0)], Values::Any, "is not a plausible date"),
            (vec![Bar::value(d("2026-01-01"), 0.0)], Values::Positive, "close 0 is not a positive price"),
            (vec![Bar::value(d("2026-01-01"), -3.0)], Values::Positive, "close -3 is not a positive price"),
            (vec![Bar::value(d("2026-01-01"), f64::NAN)], Values::Any, "close NaN is not a finite number"),
            (vec![Bar { volume: Some(-1.0), ..Bar::value(d("2026-01-01"), 1.0) }], Values::Any, "volume -1"),
            (
                vec![Bar::value(d("2026-01-01"), 1.0), Bar::value(d("2026-01-01"), 2.0)],
                Values::Any,
                "bar on 2026-01-01 appears twice",
            ),
            (
                vec![Bar::value(d("2026-01-02"), 1.0), Bar::value(d("2026-01-01"), 2.0)],
                Values::Any,
                "bar on 2026-01-01 is out of date order",
            ),
        ];
        for (bars, values, want) in cases {
            let err = check_bars(&bars, today, values).unwrap_err();
            assert!(err.problem.contains(want), "{want}: {err}");
        }
        check_bars(&[Bar::value(d("2026-01-01"), -3.0)], today, Values::Any).unwrap();
    }
}
