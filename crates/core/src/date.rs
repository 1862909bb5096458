//! Calendar dates as a day count, so arithmetic and comparison are integer ops.
//!
//! Conversions use Howard Hinnant's `days_from_civil` / `civil_from_days`
//! algorithms (proleptic Gregorian calendar), valid far beyond any market data.

use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// A calendar day, stored as days since 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Date {
    /// The date `y-m-d`, or an error if no such day exists.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Result<Date, CoreError> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
            return Err(CoreError::InvalidDate(format!("{y:04}-{m:02}-{d:02}")));
        }
        Ok(Date(days_from_civil(y, m, d)))
    }

    /// Days since 1970-01-01 (negative before).
    pub const fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01.
    pub const fn days(self) -> i32 {
        self.0
    }

    /// The first date riskcurve parses (0001-01-01).
    pub const MIN: Date = Date(-719_162);
    /// The last date riskcurve parses (9999-12-31).
    pub const MAX: Date = Date(2_932_896);

    /// The date of a Unix timestamp (seconds, UTC). Saturates at the `i32`
    /// day range; use [`Date::checked_from_unix_seconds`] for untrusted input.
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date(secs.div_euclid(86_400).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }

    /// The date of a Unix timestamp (seconds, UTC), or `None` outside
    /// [`Date::MIN`]..=[`Date::MAX`] (a vendor's garbage timestamp, such as
    /// `i64::MAX`, instead of a far-future date).
    pub fn checked_from_unix_seconds(secs: i64) -> Option<Date> {
        let days = secs.div_euclid(86_400);
        (i64::from(Date::MIN.0)..=i64::from(Date::MAX.0)).contains(&days).then_some(Date(days as i32))
    }

    /// Midnight UTC of this date as Unix seconds.
    pub fn unix_seconds(self) -> i64 {
        i64::from(self.0) * 86_400
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// Month, 1-12.
    pub fn month(self) -> u32 {
        self.ymd().1
    }

    /// Day of month, 1-31.
    pub fn day(self) -> u32 {
        self.ymd().2
    }

    /// This date moved by `n` days.
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// This date moved by `n` days, or `None` when the result falls outside
    /// [`Date::MIN`]..=[`Date::MAX`]: for counts a user typed (`--days`,
    /// `--window`, `--overlap-days`).
    pub fn checked_add_days(self, n: i64) -> Option<Date> {
        let days = i64::from(self.0).checked_add(n)?;
        (i64::from(Date::MIN.0)..=i64::from(Date::MAX.0)).contains(&days).then_some(Date(days as i32))
    }

    /// True within [`Date::MIN`]..=[`Date::MAX`]: the date prints as
    /// `YYYY-MM-DD` and parses back.
    pub fn is_in_range(self) -> bool {
        (Date::MIN..=Date::MAX).contains(&self)
    }

    /// Calendar days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }

    /// Day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (i64::from(self.0) + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The Friday that ends this date's week. Weeks run Saturday..Friday, so
    /// weekend days (crypto trades on them) count toward the next Friday.
    pub fn week_ending_friday(self) -> Date {
        // Fri = 4 in Mon=0 numbering; days until next Friday (0 if Friday).
        let wd = (self.0 + 3).rem_euclid(7);
        Date(self.0 + (4 - wd).rem_euclid(7))
    }

    /// The last day of this date's month.
    pub fn month_end(self) -> Date {
        let (y, m, _) = self.ymd();
        Date(days_from_civil(y, m, days_in_month(y, m)))
    }

    /// The first day of this date's month.
    pub fn month_start(self) -> Date {
        let (y, m, _) = self.ymd();
        Date(days_from_civil(y, m, 1))
    }
}

/// Number of days in month `m` of year `y`.
pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

pub(crate) const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    // In i64: every i32 day count has a year (within about +-5.9 million),
    // so printing any stored date never overflows.
    let z = i64::from(z) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

impl FromStr for Date {
    type Err = CoreError;

    /// Parses `YYYY-MM-DD`; also accepts `YYYYMMDD` and a trailing time part
    /// (`2020-01-01 00:00:00`, `2020-01-01T00:00:00Z`), which is ignored.
    fn from_str(s: &str) -> Result<Date, CoreError> {
        let bad = || CoreError::InvalidDate(s.to_string());
        let t = s.trim();
        let b = t.as_bytes();
        let (y, m, d) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
            if b.len() > 10 && !matches!(b[10], b' ' | b'T') {
                return Err(bad());
            }
            (&t[0..4], &t[5..7], &t[8..10])
        } else if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
            (&t[0..4], &t[4..6], &t[6..8])
        } else {
            return Err(bad());
        };
        let num = |x: &str| -> Result<u32, CoreError> {
            if x.bytes().all(|c| c.is_ascii_digit()) {
                x.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        Date::from_ymd(num(y)? as i32, num(m)?, num(d)?).map_err(|_| bad())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!("2024-04-20".parse::<Date>().unwrap().weekday(), Weekday::Sat);
        assert_eq!("1987-09-10".parse::<Date>().unwrap().weekday(), Weekday::Thu);
        assert_eq!("20211101".parse::<Date>().unwrap().to_string(), "2021-11-01");
        assert_eq!("2009-01-03 00:00:00".parse::<Date>().unwrap().to_string(), "2009-01-03");
    }

    #[test]
    fn rejects_impossible_dates() {
        for s in ["2023-02-29", "2024-13-01", "2024-00-10", "24-01-01", "2024-1-01", "", "2024-01-01x"] {
            assert!(s.parse::<Date>().is_err(), "{s} should be rejected");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn week_and_month_ends() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(d("2026-01-14").week_ending_friday(), d("2026-01-16"));
        assert_eq!(d("2026-01-16").week_ending_friday(), d("2026-01-16"));
        assert_eq!(d("2026-01-17").week_ending_friday(), d("2026-01-23"));
        assert_eq!(d("2024-02-10").month_end(), d("2024-02-29"));
        assert_eq!(d("2024-02-10").month_start(), d("2024-02-01"));
    }

    /// Issue 11 items 2 and 9: a timestamp of i64::MAX became a date in year
    /// 1587287, and printing extreme dates overflowed.
    #[test]
    fn extreme_days_print_and_checked_arithmetic_refuses_them() {
        for days in [i32::MIN, i32::MAX, 0] {
            let _ = Date::from_days(days).to_string();
            let _ = Date::from_days(days).weekday();
        }
        assert_eq!(Date::checked_from_unix_seconds(i64::MAX), None);
        assert_eq!(Date::checked_from_unix_seconds(i64::MIN), None);
        assert_eq!(Date::checked_from_unix_seconds(0), Some(Date::from_days(0)));
        assert_eq!(Date::from_unix_seconds(i64::MAX), Date::from_days(i32::MAX));
        assert_eq!(Date::MIN.to_string(), "0001-01-01");
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        assert_eq!(Date::MAX.checked_add_days(1), None);
        assert_eq!(Date::MIN.checked_add_days(-1), None);
        assert_eq!(Date::from_days(0).checked_add_days(3_000_000_000), None);
        assert_eq!(Date::from_days(0).checked_add_days(-3), Some(Date::from_days(-3)));
        assert!(Date::MAX.is_in_range() && !Date::from_days(i32::MAX).is_in_range());
    }

    proptest! {
        #[test]
        fn round_trips(days in -200_000i32..2_900_000) {
            let d = Date::from_days(days);
            let (y, m, dd) = d.ymd();
            prop_assert_eq!(Date::from_ymd(y, m, dd).unwrap(), d);
            prop_assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
        }

        #[test]
        fn week_end_is_a_friday_within_six_days(days in 0i32..40_000) {
            let d = Date::from_days(days);
            let f = d.week_ending_friday();
            prop_assert_eq!(f.weekday(), Weekday::Fri);
            prop_assert!((0..7).contains(&f.days_since(d)));
        }
    }
}
