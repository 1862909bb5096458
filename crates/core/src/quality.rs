//! Data-quality checks: missing bars, suspicious jumps, impossible OHLC bars
//! and stale series.
//!
//! Each check returns plain structs (serialisable, so the CLI can print them
//! as JSON) and never fixes anything: whether a gap is a feed outage or a real
//! closure, or a jump a split or a crash, is for a person to decide.

use crate::{log_returns, nyse_is_trading_day, nyse_sessions, BarSeries, Calendar, CoreError, Date, Series};

/// A run of expected observations missing between two present ones.
///
/// For daily calendars (NYSE, crypto, business) `from` and `to` are the first
/// and last missing dates. For weekly and monthly calendars they are the keys
/// of the first and last missing period: the week-ending Friday and the month
/// end, as [`crate::to_weekly`] and [`crate::to_month_end`] key them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    /// First missing date (or period key).
    pub from: Date,
    /// Last missing date (or period key), inclusive.
    pub to: Date,
    /// Number of missing sessions, days or periods.
    pub missing: usize,
}

/// A return far from the series' typical return.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Outlier {
    /// The date the change ends on (the second of the two values).
    pub date: Date,
    /// `ln(p_t / p_{t-1})` for prices ([`outliers`]); the first difference
    /// `x_t - x_{t-1}` for series that can be zero or negative
    /// ([`outliers_in_differences`]).
    pub change: f64,
    /// The robust z-score of that change, see [`outliers`].
    pub robust_z: f64,
}

/// The gaps inside `bars` (between its first and last bar) on `calendar`:
///
/// - `Nyse`: NYSE sessions with no bar (holidays and closures are not gaps);
/// - `Crypto`: calendar days with no bar;
/// - `Business`: weekdays with no bar (no holiday list: FRED daily series skip
///   federal holidays, which show up here as one-day gaps);
/// - `Weekly`, `Monthly`: Saturday..Friday weeks or calendar months with no bar.
///
/// Days before the first bar or after the last are not gaps; see [`staleness`].
pub fn gaps(bars: &BarSeries, calendar: Calendar) -> Vec<Gap> {
    date_gaps(bars.bars().iter().map(|b| b.date), calendar)
}

/// [`gaps`] for a single-valued series.
pub fn series_gaps(series: &Series, calendar: Calendar) -> Vec<Gap> {
    date_gaps(series.dates().iter().copied(), calendar)
}

fn date_gaps(dates: impl Iterator<Item = Date>, calendar: Calendar) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut prev: Option<Date> = None;
    for date in dates {
        if let Some(gap) = prev.and_then(|p| gap_between(p, date, calendar)) {
            out.push(gap);
        }
        prev = Some(date);
    }
    out
}

/// The expected observations strictly between consecutive dates `a < b`.
fn gap_between(a: Date, b: Date, calendar: Calendar) -> Option<Gap> {
    let (from, to, missing) = match calendar {
        Calendar::Nyse | Calendar::Crypto | Calendar::Business => {
            let (first, last) = (a.add_days(1), b.add_days(-1));
            let expected: Vec<Date> = match calendar {
                Calendar::Nyse => nyse_sessions(first, last),
                Calendar::Crypto => (first.days()..=last.days()).map(Date::from_days).collect(),
                _ => (first.days()..=last.days()).map(Date::from_days).filter(|d| !d.is_weekend()).collect(),
            };
            (*expected.first()?, *expected.last()?, expected.len())
        }
        Calendar::Weekly => {
            let (ka, kb) = (a.week_ending_friday(), b.week_ending_friday());
            let missing = usize::try_from(kb.days_since(ka) / 7 - 1).ok()?;
            (ka.add_days(7), kb.add_days(-7), missing)
        }
        Calendar::Monthly => {
            let month_index = |d: Date| d.year() * 12 + d.month() as i32;
            let missing = usize::try_from(month_index(b) - month_index(a) - 1).ok()?;
            (a.month_end().add_days(1).month_end(), b.month_start().add_days(-1), missing)
        }
    };
    (missing > 0).then_some(Gap { from, to, missing })
}

/// The log returns of `prices` whose robust z-score exceeds `threshold` in
/// absolute value, in date order.
///
/// With `r` the log returns, `m = median(r)` and `MAD = median(|r - m|)`:
///
/// `robust_z = (r_t - m) / (1.4826 * MAD)`
///
/// 1.4826 makes the MAD estimate the standard deviation for normal data, so
/// thresholds read like ordinary z-scores (3.5 is the usual cut-off, Iglewicz
/// and Hoaglin, *How to Detect and Handle Outliers*, 1993). Median and MAD,
/// unlike mean and standard deviation, are not dragged by the outliers being
/// looked for. When more than half the returns equal the median (a mostly flat
/// series) the MAD is 0; the scale then falls back to
/// `1.2533 * mean(|r - m|)` (1.2533 = sqrt(pi/2) does the same job for the
/// mean absolute deviation), and if that is 0 too all returns are equal and
/// none is flagged.
///
/// Fails like [`log_returns`] on a price at or below zero.
pub fn outliers(prices: &Series, threshold: f64) -> Result<Vec<Outlier>, CoreError> {
    Ok(robust_outliers(&log_returns(prices)?, threshold))
}

/// [`outliers`] for series that can be zero or negative (rates, spreads,
/// NFCI): the robust z-score of first differences instead of log returns.
pub fn outliers_in_differences(values: &Series, threshold: f64) -> Vec<Outlier> {
    let d = values.dates();
    let v = values.values();
    let diffs = Series::new(d[1.min(d.len())..].to_vec(), v.windows(2).map(|w| w[1] - w[0]).collect())
        .expect("a sub-slice of a valid series is valid");
    robust_outliers(&diffs, threshold)
}

/// The changes whose robust z-score exceeds `threshold` in absolute value.
fn robust_outliers(returns: &Series, threshold: f64) -> Vec<Outlier> {
    let r = returns.values();
    let Some(m) = median(r.to_vec()) else { return Vec::new() };
    let deviations: Vec<f64> = r.iter().map(|x| (x - m).abs()).collect();
    let mad = median(deviations.clone()).unwrap_or(0.0);
    let scale =
        if mad > 0.0 { 1.4826 * mad } else { 1.2533 * deviations.iter().sum::<f64>() / deviations.len() as f64 };
    if scale <= 0.0 {
        return Vec::new();
    }
    returns
        .iter()
        .map(|(date, change)| Outlier { date, change, robust_z: (change - m) / scale })
        .filter(|o| o.robust_z.abs() > threshold)
        .collect()
}

/// Median of finite values (the mean of the middle two for an even count).
fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// The dates of bars whose high and low do not bracket their open and close
/// ([`crate::Bar::is_consistent`]).
pub fn ohlc_inconsistent(bars: &BarSeries) -> Vec<Date> {
    bars.bars().iter().filter(|b| !b.is_consistent()).map(|b| b.date).collect()
}

/// How many days overdue the observation after `last` is on `today`, or `None`
/// when it is not overdue. Pure: the caller passes `today`.
///
/// The next observation is due at the end of the period that holds it:
///
/// - `Nyse`: the next session after `last`; `Business`: the next weekday;
///   `Crypto`: the next day;
/// - `Weekly`: the Friday ending the week after `last`'s week;
/// - `Monthly`: the last day of the month after `last`'s month.
///
/// The result is `today - due` in calendar days when positive. Publication
/// lags are not included: for a series published days after its reference
/// date (WALCL, M2SL) pass `today` moved back by its `Release::lag_days`.
pub fn staleness(last: Date, today: Date, calendar: Calendar) -> Option<i32> {
    let due = match calendar {
        Calendar::Nyse => next_after(last, nyse_is_trading_day),
        Calendar::Business => next_after(last, |d| !d.is_weekend()),
        Calendar::Crypto => last.add_days(1),
        Calendar::Weekly => last.week_ending_friday().add_days(7),
        Calendar::Monthly => last.month_end().add_days(1).month_end(),
    };
    let overdue = today.days_since(due);
    (overdue > 0).then_some(overdue)
}

/// The first date after `d` for which `expected` holds (every calendar here
/// has one within two weeks).
fn next_after(d: Date, expected: impl Fn(Date) -> bool) -> Date {
    let mut next = d.add_days(1);
    while !expected(next) {
        next = next.add_days(1);
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, series, series_strategy};
    use crate::Bar;
    use proptest::prelude::*;

    fn bars(dates: &[&str]) -> BarSeries {
        BarSeries::new(dates.iter().map(|s| Bar::value(d(s), 1.0)).collect()).unwrap()
    }

    fn gap(from: &str, to: &str, missing: usize) -> Gap {
        Gap { from: d(from), to: d(to), missing }
    }

    #[test]
    fn outliers_in_differences_handle_negative_values() {
        // Hand-made: an index hovering around -1 with one jump to +5.
        let dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07"];
        let values = [-1.0, -1.1, -0.9, -1.0, 5.0, -1.0, -1.1];
        let s = Series::new(dates.iter().map(|x| d(x)).collect(), values.to_vec()).unwrap();
        assert!(outliers(&s, 3.5).is_err(), "log returns need positive values");
        let found = outliers_in_differences(&s, 3.5);
        assert_eq!(found.iter().map(|o| o.date).collect::<Vec<_>>(), vec![d("2024-01-05"), d("2024-01-06")]);
        assert!((found[0].change - 6.0).abs() < 1e-12);
    }

    #[test]
    fn nyse_gaps_skip_holidays() {
        // Hand-made: Good Friday 2024-03-29 is closed (no gap); Tue 2 and
        // Wed 3 April are sessions with no bar.
        let b = bars(&["2024-03-27", "2024-03-28", "2024-04-01", "2024-04-04"]);
        assert_eq!(gaps(&b, Calendar::Nyse), vec![gap("2024-04-02", "2024-04-03", 2)]);
        // The same dates on the business calendar also miss Good Friday.
        assert_eq!(
            gaps(&b, Calendar::Business),
            vec![gap("2024-03-29", "2024-03-29", 1), gap("2024-04-02", "2024-04-03", 2)]
        );
    }

    #[test]
    fn crypto_and_business_gaps() {
        // Hand-made: 3rd and 4th of January missing.
        let b = bars(&["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-06"]);
        assert_eq!(gaps(&b, Calendar::Crypto), vec![gap("2024-01-03", "2024-01-04", 2)]);
        // Fri 5 to Tue 9: Monday 8 missing, the weekend is not.
        let b = bars(&["2024-01-05", "2024-01-09"]);
        assert_eq!(gaps(&b, Calendar::Business), vec![gap("2024-01-08", "2024-01-08", 1)]);
        assert!(gaps(&BarSeries::default(), Calendar::Crypto).is_empty());
    }

    #[test]
    fn weekly_and_monthly_gaps() {
        // Hand-made Wednesdays: the weeks ending 19 and 26 January are missing.
        let b = bars(&["2024-01-03", "2024-01-10", "2024-01-31"]);
        assert_eq!(gaps(&b, Calendar::Weekly), vec![gap("2024-01-19", "2024-01-26", 2)]);
        // Two observations in one week are not a gap.
        assert!(gaps(&bars(&["2024-01-08", "2024-01-10"]), Calendar::Weekly).is_empty());
        // Hand-made first-of-month series (like M2SL): March and April missing.
        let s = series(&[("2023-12-01", 1.0), ("2024-01-01", 1.0), ("2024-02-01", 1.0), ("2024-05-01", 1.0)]);
        assert_eq!(series_gaps(&s, Calendar::Monthly), vec![gap("2024-03-31", "2024-04-30", 2)]);
    }

    #[test]
    fn a_jump_is_an_outlier() {
        // Hand-made: a price wobbling by 1% and one 48% jump on 2024-01-09.
        let p = series(&[
            ("2024-01-01", 100.0),
            ("2024-01-02", 101.0),
            ("2024-01-03", 100.0),
            ("2024-01-04", 101.0),
            ("2024-01-05", 100.0),
            ("2024-01-08", 101.0),
            ("2024-01-09", 150.0),
            ("2024-01-10", 151.0),
            ("2024-01-11", 150.0),
        ]);
        let found = outliers(&p, 3.5).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, d("2024-01-09"));
        assert!((found[0].change - (150.0f64 / 101.0).ln()).abs() < 1e-12);
        assert!(found[0].robust_z > 20.0, "{}", found[0].robust_z);
        assert_eq!(outliers(&p, 1.0e9).unwrap(), vec![]);
    }

    #[test]
    fn flat_series_use_the_mean_deviation() {
        // Hand-made: flat except one 10% step, so the MAD is 0.
        let p = series(&[
            ("2024-01-01", 100.0),
            ("2024-01-02", 100.0),
            ("2024-01-03", 100.0),
            ("2024-01-04", 100.0),
            ("2024-01-05", 110.0),
            ("2024-01-06", 110.0),
        ]);
        let found = outliers(&p, 3.0).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, d("2024-01-05"));
        // 0.0953 / (1.2533 * 0.0953 / 5) = 5 / 1.2533
        assert!((found[0].robust_z - 5.0 / 1.2533).abs() < 1e-9);
        let constant = series(&[("2024-01-01", 5.0), ("2024-01-02", 5.0), ("2024-01-03", 5.0)]);
        assert!(outliers(&constant, 0.0).unwrap().is_empty());
        assert!(outliers(&series(&[("2024-01-01", 5.0), ("2024-01-02", 0.0)]), 3.0).is_err());
    }

    #[test]
    fn inconsistent_bars() {
        let ok = Bar {
            date: d("2024-01-02"),
            open: Some(10.0),
            high: Some(12.0),
            low: Some(9.0),
            close: 11.0,
            volume: None,
        };
        let bad = Bar { date: d("2024-01-03"), close: 13.0, ..ok };
        let b = BarSeries::new(vec![ok, bad]).unwrap();
        assert_eq!(ohlc_inconsistent(&b), vec![d("2024-01-03")]);
    }

    #[test]
    fn staleness_counts_days_past_due() {
        // NYSE: after Fri 2026-01-16 the next session is Tue 20 (MLK day).
        assert_eq!(staleness(d("2026-01-16"), d("2026-01-20"), Calendar::Nyse), None);
        assert_eq!(staleness(d("2026-01-16"), d("2026-01-21"), Calendar::Nyse), Some(1));
        assert_eq!(staleness(d("2026-01-16"), d("2026-01-21"), Calendar::Business), Some(2));
        assert_eq!(staleness(d("2024-01-10"), d("2024-01-13"), Calendar::Crypto), Some(2));
        assert_eq!(staleness(d("2024-01-10"), d("2024-01-09"), Calendar::Crypto), None);
        // Weekly: after Wed 7 January the next week ends Fri 16.
        assert_eq!(staleness(d("2026-01-07"), d("2026-01-16"), Calendar::Weekly), None);
        assert_eq!(staleness(d("2026-01-07"), d("2026-01-19"), Calendar::Weekly), Some(3));
        // Monthly: after January the February value is due by 29 February.
        assert_eq!(staleness(d("2024-01-01"), d("2024-03-05"), Calendar::Monthly), Some(5));
    }

    #[test]
    fn serialises_for_the_cli() {
        fn is_serialize<T: serde::Serialize>(_: &T) {}
        is_serialize(&gap("2024-01-02", "2024-01-03", 2));
        is_serialize(&Outlier { date: d("2024-01-02"), change: 0.1, robust_z: 4.0 });
    }

    proptest! {
        #[test]
        fn gaps_count_the_missing_days(s in series_strategy(60, 5, 1.0, 2.0)) {
            // Crypto: every day is expected, so the days missing inside the
            // series are its span minus its length.
            let found = series_gaps(&s, Calendar::Crypto);
            let missing: usize = found.iter().map(|g| g.missing).sum();
            let span = match (s.first_date(), s.last_date()) {
                (Some(a), Some(b)) => b.days_since(a) as usize + 1,
                _ => 0,
            };
            prop_assert_eq!(missing + s.len(), span);
            for g in &found {
                prop_assert_eq!(g.to.days_since(g.from) as usize + 1, g.missing);
                prop_assert!(s.get(g.from).is_none() && s.get(g.to).is_none());
            }
        }
    }
}
