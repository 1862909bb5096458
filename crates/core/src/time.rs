//! Instants and publication times, so joins can ask "was this value public
//! by the close of that bar?" instead of comparing reference dates.

use std::fmt;
use std::str::FromStr;

use crate::{CoreError, Date, Weekday};

/// A UTC instant in whole seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// The time zones release times are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tz {
    /// Coordinated Universal Time.
    Utc,
    /// US Eastern time (New York), with US daylight-saving rules since 1987.
    NewYork,
}

impl Tz {
    /// The UTC instant of local wall-clock `date hh:mm` in this zone.
    pub fn to_utc(self, date: Date, hour: u32, minute: u32) -> Timestamp {
        let local = date.unix_seconds() + i64::from(hour) * 3600 + i64::from(minute) * 60;
        let offset_hours = match self {
            Tz::Utc => 0,
            Tz::NewYork if us_dst(date, hour) => -4,
            Tz::NewYork => -5,
        };
        Timestamp(local - offset_hours * 3600)
    }
}

/// Whether US daylight-saving time is in force at local `hour` on `date`.
/// Transitions happen at 02:00 local; the rules changed in 1987 and 2007.
fn us_dst(date: Date, hour: u32) -> bool {
    let y = date.year();
    let (start, end) = if y >= 2007 {
        (nth_sunday(y, 3, 2), nth_sunday(y, 11, 1))
    } else if y >= 1987 {
        (nth_sunday(y, 4, 1), last_sunday(y, 10))
    } else {
        (last_sunday(y, 4), last_sunday(y, 10))
    };
    (date > start || (date == start && hour >= 2)) && (date < end || (date == end && hour < 2))
}

fn nth_sunday(y: i32, m: u32, n: i32) -> Date {
    let first = Date::from_ymd(y, m, 1).expect("valid month");
    let to_sunday = (6 - weekday_index(first)).rem_euclid(7);
    first.add_days(to_sunday + 7 * (n - 1))
}

fn last_sunday(y: i32, m: u32) -> Date {
    let last = Date::from_ymd(y, m, 1).expect("valid month").month_end();
    last.add_days(-((weekday_index(last) + 1) % 7))
}

fn weekday_index(d: Date) -> i32 {
    match d.weekday() {
        Weekday::Mon => 0,
        Weekday::Tue => 1,
        Weekday::Wed => 2,
        Weekday::Thu => 3,
        Weekday::Fri => 4,
        Weekday::Sat => 5,
        Weekday::Sun => 6,
    }
}

/// When the value for a reference date becomes public: `lag_days` calendar
/// days after the reference date, at `hour:minute` in `tz`.
///
/// WALCL (a Wednesday level) is `1 day, 16:30 New York`; RRPONTSYD is
/// `0 days, 13:15 New York`; an equity close is `0 days, 16:00 New York`; a
/// crypto daily bar closes at `1 day, 00:00 UTC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Release {
    /// Calendar days from the reference date to publication.
    pub lag_days: i32,
    /// Hour of publication, 0-23.
    pub hour: u32,
    /// Minute of publication, 0-59.
    pub minute: u32,
    /// Zone the hour is written in.
    pub tz: Tz,
}

impl Release {
    /// The instant the value for `reference` became public.
    pub fn known_at(&self, reference: Date) -> Timestamp {
        self.tz.to_utc(reference.add_days(self.lag_days), self.hour, self.minute)
    }
}

impl FromStr for Release {
    type Err = CoreError;

    /// Parses `"+1d 16:30 America/New_York"`, `"+0d 13:15 ET"`, `"+1d 00:00 UTC"`.
    fn from_str(s: &str) -> Result<Release, CoreError> {
        let bad = || CoreError::InvalidTime(s.to_string());
        let parts: Vec<&str> = s.split_whitespace().collect();
        let [lag, time, tz] = parts.as_slice() else { return Err(bad()) };
        let lag_days = lag
            .strip_prefix('+')
            .unwrap_or(lag)
            .strip_suffix('d')
            .and_then(|n| n.parse::<i32>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(bad)?;
        let (h, m) = time.split_once(':').ok_or_else(bad)?;
        let (hour, minute) = (h.parse::<u32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        if hour > 23 || minute > 59 {
            return Err(bad());
        }
        let tz = match *tz {
            "UTC" | "utc" | "Z" => Tz::Utc,
            "ET" | "America/New_York" => Tz::NewYork,
            _ => return Err(bad()),
        };
        Ok(Release { lag_days, hour, minute, tz })
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tz = match self.tz {
            Tz::Utc => "UTC",
            Tz::NewYork => "America/New_York",
        };
        write!(f, "+{}d {:02}:{:02} {tz}", self.lag_days, self.hour, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn new_york_offsets_follow_dst_rules() {
        // 2024: DST from 2024-03-10 to 2024-11-03.
        assert_eq!(Tz::NewYork.to_utc(d("2024-03-08"), 16, 0).0 - d("2024-03-08").unix_seconds(), 21 * 3600);
        assert_eq!(Tz::NewYork.to_utc(d("2024-03-11"), 16, 0).0 - d("2024-03-11").unix_seconds(), 20 * 3600);
        assert_eq!(Tz::NewYork.to_utc(d("2024-11-04"), 16, 0).0 - d("2024-11-04").unix_seconds(), 21 * 3600);
        // 2000 (old rule): DST from 2000-04-02 to 2000-10-29.
        assert_eq!(Tz::NewYork.to_utc(d("2000-03-20"), 12, 0).0 - d("2000-03-20").unix_seconds(), 17 * 3600);
        assert_eq!(Tz::NewYork.to_utc(d("2000-04-03"), 12, 0).0 - d("2000-04-03").unix_seconds(), 16 * 3600);
    }

    #[test]
    fn release_parses_and_orders() {
        let walcl: Release = "+1d 16:30 America/New_York".parse().unwrap();
        assert_eq!(walcl.to_string(), "+1d 16:30 America/New_York");
        let equity_close: Release = "+0d 16:00 ET".parse().unwrap();
        // A Wednesday WALCL is public after Thursday's equity close, before Friday's.
        let wed = d("2026-01-14");
        assert!(walcl.known_at(wed) > equity_close.known_at(wed.add_days(1)));
        assert!(walcl.known_at(wed) < equity_close.known_at(wed.add_days(2)));
        for bad in ["1d 16:30", "+1d 25:00 UTC", "+x 16:30 UTC", "-1d 10:00 UTC", "+1d 10:00 CET"] {
            assert!(bad.parse::<Release>().is_err(), "{bad}");
        }
    }
}
