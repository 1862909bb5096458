//! Holiday calendars: which weekdays the NYSE is closed, and which days are US
//! federal holidays (the days Federal Reserve Board releases do not come out).
//!
//! NYSE: rule-based holidays follow NYSE Rule 7.2 as applied since 1998 (when
//! Martin Luther King Jr. Day was added); the special closures are listed from
//! 1985. Intended for 1985 onward: earlier years had closures this list omits
//! (for example presidential election days through 1980). Early closes (13:00
//! half days) are still sessions; their close time is in [`crate::nyse_close_time`].
//!
//! Federal: the legal public holidays of 5 U.S.C. 6103 with the observance
//! rule for full-time federal employees (a holiday on a Saturday is observed the
//! Friday before, on a Sunday the Monday after; Executive Order 11582). Closures
//! by executive order (Christmas Eves, days of mourning) are not holidays: the
//! Board did not always close on them, so release rules list the ones that
//! moved a release (see `crate::ReleaseRule::H41`).

use crate::{Date, Weekday};

/// Unscheduled closures (weather, national days of mourning, 9/11).
const SPECIAL_CLOSURES: &[(i32, u32, u32, &str)] = &[
    (1985, 9, 27, "Hurricane Gloria"),
    (1994, 4, 27, "National Day of Mourning for Richard Nixon"),
    (2001, 9, 11, "September 11 attacks"),
    (2001, 9, 12, "September 11 attacks"),
    (2001, 9, 13, "September 11 attacks"),
    (2001, 9, 14, "September 11 attacks"),
    (2004, 6, 11, "National Day of Mourning for Ronald Reagan"),
    (2007, 1, 2, "National Day of Mourning for Gerald Ford"),
    (2012, 10, 29, "Hurricane Sandy"),
    (2012, 10, 30, "Hurricane Sandy"),
    (2018, 12, 5, "National Day of Mourning for George H. W. Bush"),
    (2025, 1, 9, "National Day of Mourning for Jimmy Carter"),
];

/// True when the NYSE holds a regular session on `d`: a weekday that is
/// neither a holiday nor a special closure.
pub fn nyse_is_trading_day(d: Date) -> bool {
    !d.is_weekend() && nyse_holiday(d).is_none()
}

/// The NYSE sessions from `from` to `to`, both inclusive, in order (empty when
/// `from > to`).
pub fn nyse_sessions(from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    // The holiday table is built once per year rather than once per day.
    let mut year = (i32::MIN, Vec::new());
    let mut d = from;
    while d <= to {
        if year.0 != d.year() {
            year = (d.year(), holidays_of_year(d.year()));
        }
        if !d.is_weekend() && !year.1.iter().any(|(h, _)| *h == d) {
            out.push(d);
        }
        d = d.add_days(1);
    }
    out
}

/// The name of the holiday or special closure that shuts the NYSE on `d`, if
/// any. Weekends are not holidays: a Saturday or Sunday gives `None` unless a
/// closure is listed on it (none is).
pub fn nyse_holiday(d: Date) -> Option<&'static str> {
    holidays_of_year(d.year()).into_iter().find(|(h, _)| *h == d).map(|(_, name)| name)
}

/// The name of the US federal holiday observed on `d`, if any (observed dates:
/// Saturday holidays on the Friday before, Sunday holidays on the Monday
/// after). Intended for 1986 onward (Martin Luther King Jr. Day).
///
/// ```
/// use riskcurve_core::federal_holiday;
/// let d = |s: &str| s.parse().unwrap();
/// assert_eq!(federal_holiday(d("2025-11-27")), Some("Thanksgiving Day"));
/// // New Year's Day 2022 fell on a Saturday: observed Friday 31 December 2021.
/// assert_eq!(federal_holiday(d("2021-12-31")), Some("New Year's Day"));
/// assert_eq!(federal_holiday(d("2025-01-09")), None); // a closure, not a holiday
/// ```
pub fn federal_holiday(d: Date) -> Option<&'static str> {
    federal_holidays_of_year(d.year()).into_iter().find(|(h, _)| *h == d).map(|(_, name)| name)
}

/// True when `d` is a weekday and not a federal holiday: a day federal offices,
/// and the Federal Reserve Board's statistical releases, work.
pub fn is_federal_business_day(d: Date) -> bool {
    !d.is_weekend() && federal_holiday(d).is_none()
}

/// The federal holidays observed in year `y`, by observed date. New Year's Day
/// of `y + 1` belongs here when it falls on a Saturday (observed 31 December).
fn federal_holidays_of_year(y: i32) -> Vec<(Date, &'static str)> {
    let ymd = |y, m, d| Date::from_ymd(y, m, d).expect("fixed holiday dates exist");
    let mut out = Vec::with_capacity(12);
    for new_year in [ymd(y, 1, 1), ymd(y + 1, 1, 1)] {
        let day = observed(new_year);
        if day.year() == y {
            out.push((day, "New Year's Day"));
        }
    }
    if y >= 1986 {
        out.push((nth_weekday(y, 1, Weekday::Mon, 3), "Martin Luther King Jr. Day"));
    }
    out.push((nth_weekday(y, 2, Weekday::Mon, 3), "Washington's Birthday"));
    out.push((last_weekday(y, 5, Weekday::Mon), "Memorial Day"));
    // Signed 17 June 2021 and first observed the next day, Friday 18 June.
    if y >= 2021 {
        out.push((observed(ymd(y, 6, 19)), "Juneteenth National Independence Day"));
    }
    out.push((observed(ymd(y, 7, 4)), "Independence Day"));
    out.push((nth_weekday(y, 9, Weekday::Mon, 1), "Labor Day"));
    out.push((nth_weekday(y, 10, Weekday::Mon, 2), "Columbus Day"));
    // 1971-1977 Veterans Day was the fourth Monday of October.
    let veterans = if y < 1978 { nth_weekday(y, 10, Weekday::Mon, 4) } else { observed(ymd(y, 11, 11)) };
    out.push((veterans, "Veterans Day"));
    out.push((nth_weekday(y, 11, Weekday::Thu, 4), "Thanksgiving Day"));
    out.push((observed(ymd(y, 12, 25)), "Christmas Day"));
    out
}

/// Every weekday closure of year `y`, rule-based and special, observed dates.
fn holidays_of_year(y: i32) -> Vec<(Date, &'static str)> {
    let ymd = |m, d| Date::from_ymd(y, m, d).expect("fixed holiday dates exist");
    let mut out = Vec::with_capacity(16);
    // New Year's Day: on a Sunday it moves to Monday; on a Saturday it is not
    // observed at all, because the Friday before closes a year's books
    // (Rule 7.2: 1994, 2000, 2005, 2011, 2022 kept 31 December open).
    let new_year = ymd(1, 1);
    match new_year.weekday() {
        Weekday::Sat => {}
        _ => out.push((observed(new_year), "New Year's Day")),
    }
    if y >= 1998 {
        out.push((nth_weekday(y, 1, Weekday::Mon, 3), "Martin Luther King Jr. Day"));
    }
    out.push((nth_weekday(y, 2, Weekday::Mon, 3), "Washington's Birthday"));
    out.push((easter_sunday(y).add_days(-2), "Good Friday"));
    out.push((last_weekday(y, 5, Weekday::Mon), "Memorial Day"));
    if y >= 2022 {
        out.push((observed(ymd(6, 19)), "Juneteenth"));
    }
    out.push((observed(ymd(7, 4)), "Independence Day"));
    out.push((nth_weekday(y, 9, Weekday::Mon, 1), "Labor Day"));
    out.push((nth_weekday(y, 11, Weekday::Thu, 4), "Thanksgiving Day"));
    out.push((observed(ymd(12, 25)), "Christmas Day"));
    for &(sy, m, d, name) in SPECIAL_CLOSURES.iter().filter(|c| c.0 == y) {
        out.push((Date::from_ymd(sy, m, d).expect("listed closures exist"), name));
    }
    out
}

/// A fixed-date holiday on a Saturday is observed the Friday before, on a
/// Sunday the Monday after.
fn observed(d: Date) -> Date {
    match d.weekday() {
        Weekday::Sat => d.add_days(-1),
        Weekday::Sun => d.add_days(1),
        _ => d,
    }
}

/// The `n`-th (1-based) `wd` of month `m` of year `y`.
pub(crate) fn nth_weekday(y: i32, m: u32, wd: Weekday, n: i32) -> Date {
    let mut d = Date::from_ymd(y, m, 1).expect("valid month");
    while d.weekday() != wd {
        d = d.add_days(1);
    }
    d.add_days(7 * (n - 1))
}

/// The last `wd` of month `m` of year `y`.
fn last_weekday(y: i32, m: u32, wd: Weekday) -> Date {
    let mut d = Date::from_ymd(y, m, 1).expect("valid month").month_end();
    while d.weekday() != wd {
        d = d.add_days(-1);
    }
    d
}

/// Gregorian Easter Sunday by the anonymous ("Meeus/Jones/Butcher") computus,
/// Meeus, *Astronomical Algorithms* (1991), chapter 8.
fn easter_sunday(y: i32) -> Date {
    let a = y % 19;
    let (b, c) = (y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_ymd(y, month as u32, day as u32).expect("computus yields a March or April date")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn easter_dates() {
        for (y, s) in [
            (1990, "1990-04-15"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(y), d(s), "{y}");
        }
    }

    #[test]
    fn observance_rules() {
        // New Year's on a Saturday: the Friday before stays open.
        assert!(nyse_is_trading_day(d("2021-12-31")));
        assert!(nyse_is_trading_day(d("2010-12-31")));
        // New Year's on a Sunday: closed Monday.
        assert_eq!(nyse_holiday(d("2023-01-02")), Some("New Year's Day"));
        // Christmas on a Saturday / Sunday.
        assert_eq!(nyse_holiday(d("2021-12-24")), Some("Christmas Day"));
        assert_eq!(nyse_holiday(d("2022-12-26")), Some("Christmas Day"));
        // Juneteenth: first observed (on a Monday) in 2022, not before.
        assert_eq!(nyse_holiday(d("2022-06-20")), Some("Juneteenth"));
        assert!(nyse_is_trading_day(d("2021-06-18")));
        // MLK day from 1998 only.
        assert!(nyse_is_trading_day(d("1997-01-20")));
        assert_eq!(nyse_holiday(d("1998-01-19")), Some("Martin Luther King Jr. Day"));
        assert_eq!(nyse_holiday(d("2024-03-29")), Some("Good Friday"));
        assert_eq!(nyse_holiday(d("2020-07-03")), Some("Independence Day"));
        assert_eq!(nyse_holiday(d("2025-01-09")), Some("National Day of Mourning for Jimmy Carter"));
        assert!(!nyse_is_trading_day(d("2024-01-06")));
        assert_eq!(nyse_holiday(d("2024-01-06")), None);
    }

    #[test]
    fn sessions_in_a_year() {
        // 2024 had 252 NYSE sessions; 2022 had 251 (Juneteenth added and
        // New Year's Day on a Saturday not observed).
        assert_eq!(nyse_sessions(d("2024-01-01"), d("2024-12-31")).len(), 252);
        assert_eq!(nyse_sessions(d("2022-01-01"), d("2022-12-31")).len(), 251);
        assert!(nyse_sessions(d("2024-01-02"), d("2024-01-01")).is_empty());
        assert_eq!(nyse_sessions(d("2024-01-02"), d("2024-01-02")), vec![d("2024-01-02")]);
    }

    /// The dates of the real ^RUT export (Yahoo), a list of the sessions that
    /// actually happened. A missing file fails the test: it is reference data
    /// the repository promises (`../shared/data`).
    fn rut_dates() -> BTreeSet<Date> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/rut_daily_yahoo.csv");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        let mut lines = text.lines();
        assert!(lines.next().is_some_and(|h| h.starts_with("Date,")), "unexpected header in {path}");
        lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').next().unwrap().parse::<Date>().unwrap_or_else(|e| panic!("{path}: {e}")))
            .collect()
    }

    #[test]
    fn sessions_match_real_rut_dates() {
        // The whole file, 1987-09-10 .. 2026-02-23, matches with no exception:
        // every holiday and special closure (Gloria 1985 aside, before the
        // file) and the 9/11 gap 2001-09-10 .. 2001-09-17.
        let file = rut_dates();
        let (from, to) = (*file.first().unwrap(), *file.last().unwrap());
        assert_eq!((from, to), (d("1987-09-10"), d("2026-02-23")));
        let ours: BTreeSet<Date> = nyse_sessions(from, to).into_iter().collect();
        let only_file: Vec<&Date> = file.difference(&ours).collect();
        let only_ours: Vec<&Date> = ours.difference(&file).collect();
        assert!(
            only_file.is_empty() && only_ours.is_empty(),
            "in file only: {only_file:?}; in calendar only: {only_ours:?}"
        );
        // Guards against a truncated file passing by matching a short range.
        let (from, to) = (d("1990-01-01"), d("2025-12-31"));
        assert_eq!(file.iter().filter(|x| (from..=to).contains(*x)).count(), 9_067);
        assert_eq!(nyse_sessions(from, to).len(), 9_067);
    }

    /// pandas' USFederalHolidayCalendar, 1986-2030, printed by
    /// `crates/core/tests/reference/federal_holidays.py`.
    const FEDERAL_REFERENCE: &str = include_str!("../tests/reference/federal_holidays.txt");

    #[test]
    fn federal_holidays_match_pandas() {
        let expected: Vec<Date> =
            FEDERAL_REFERENCE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(d).collect();
        assert_eq!(expected.len(), 460, "reference list truncated?");
        let ours: Vec<Date> = (d("1986-01-01").days()..=d("2030-12-31").days())
            .map(Date::from_days)
            .filter(|x| federal_holiday(*x).is_some())
            .collect();
        assert_eq!(ours, expected);
    }

    #[test]
    fn federal_observance_rules() {
        // Juneteenth: first observed Friday 2021-06-18; on a Thursday in 2025.
        assert_eq!(federal_holiday(d("2021-06-18")), Some("Juneteenth National Independence Day"));
        assert_eq!(federal_holiday(d("2020-06-19")), None);
        assert_eq!(federal_holiday(d("2025-06-19")), Some("Juneteenth National Independence Day"));
        // Veterans and Columbus Day close federal offices but not the NYSE.
        assert_eq!(federal_holiday(d("2021-11-11")), Some("Veterans Day"));
        assert!(nyse_is_trading_day(d("2021-11-11")));
        assert_eq!(federal_holiday(d("2024-10-14")), Some("Columbus Day"));
        // Saturday New Year's Day: observed Friday 31 December of the year before
        // (unlike the NYSE, which stays open).
        assert_eq!(federal_holiday(d("2010-12-31")), Some("New Year's Day"));
        assert!(nyse_is_trading_day(d("2010-12-31")));
        assert_eq!(federal_holiday(d("2011-01-01")), None);
        // Good Friday is an NYSE holiday only; a day of mourning is a closure, not a holiday.
        assert_eq!(federal_holiday(d("2024-03-29")), None);
        assert_eq!(federal_holiday(d("2025-01-09")), None);
        assert!(!is_federal_business_day(d("2025-11-27")));
        assert!(!is_federal_business_day(d("2025-11-29")));
        assert!(is_federal_business_day(d("2025-11-28")));
    }

    proptest! {
        #[test]
        fn sessions_agree_with_the_predicate(start in 5_000i32..25_000, len in 0i32..60) {
            let (from, to) = (Date::from_days(start), Date::from_days(start + len));
            let sessions = nyse_sessions(from, to);
            let expected: Vec<Date> = (start..=start + len).map(Date::from_days).filter(|x| nyse_is_trading_day(*x)).collect();
            prop_assert_eq!(sessions, expected);
        }

        #[test]
        fn federal_holidays_are_distinct_weekdays_of_their_year(y in 1971i32..2100) {
            let h = federal_holidays_of_year(y);
            let dates: BTreeSet<Date> = h.iter().map(|x| x.0).collect();
            prop_assert_eq!(dates.len(), h.len());
            prop_assert!(dates.iter().all(|x| !x.is_weekend() && x.year() == y));
        }

        #[test]
        fn closures_are_distinct_weekdays_of_their_year(y in 1985i32..2100) {
            // Observed dates never land on a weekend or in another year, and
            // no two closures share a day (a double count would hide a bug).
            let h = holidays_of_year(y);
            let dates: BTreeSet<Date> = h.iter().map(|x| x.0).collect();
            prop_assert_eq!(dates.len(), h.len());
            prop_assert!(dates.iter().all(|x| !x.is_weekend() && x.year() == y));
        }
    }
}
