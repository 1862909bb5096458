//! Instants and publication times, so joins can ask "was this value public
//! by the close of that bar?" instead of comparing reference dates.

use std::fmt;
use std::str::FromStr;

use crate::{is_federal_business_day, nyse_close_time, CoreError, Date, Weekday};

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
/// days after the reference date, at `hour:minute` in `tz`, with the day or
/// time adjusted by `rule`.
///
/// WALCL (a Wednesday level) is `+1d 16:30 New York h41` (Thursday, or the next
/// federal business day, see [`ReleaseRule::H41`]); RRPONTSYD is
/// `+0d 13:15 New York`; an equity close is `+0d 16:00 New York nyse` (13:00 on
/// half days); a crypto daily bar closes at `+1d 00:00 UTC`.
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
    /// How the publication day or time is adjusted for holidays and half days.
    pub rule: ReleaseRule,
}

/// How a [`Release`] adjusts the day `reference + lag_days` (the scheduled
/// day) or its time. Written as an optional fourth word of a release string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReleaseRule {
    /// No adjustment: the scheduled day at `hour:minute` (no fourth word).
    #[default]
    Fixed,
    /// `federal`: a scheduled day that is a weekend or a US federal holiday
    /// ([`crate::federal_holiday`]) moves to the next federal business day.
    Federal,
    /// `h41`: the Federal Reserve H.4.1 release (WALCL, WTREGEN, WRESBAL). As
    /// [`ReleaseRule::Federal`] (a Thursday holiday moves it to Friday; a
    /// Wednesday holiday does not move it), then the days the Board moved the
    /// release for a closure that was not a federal holiday
    /// ([`H41_EXCEPTIONS`]).
    H41,
    /// `nyse`: the publication time is the NYSE session's close when that is
    /// earlier than `hour:minute` ([`crate::nyse_close_time`]: 13:00 on half
    /// days), so a bar closing early is not credited with values published
    /// between its close and 16:00.
    NyseClose,
}

/// H.4.1 releases that came out later than the federal-holiday rule says:
/// `(day by the rule, actual publication day, why)`. Each one is documented by
/// the Board (publication notes and release dates of the H.4.1 archive).
/// Closures that did not move the release are not listed: the release for
/// 2003-12-24 came out Friday 2003-12-26 although federal offices were closed,
/// and the one for 2015-12-23 on Thursday 2015-12-24.
pub const H41_EXCEPTIONS: &[(Date, Date, &str)] = &[
    (
        ymd(2008, 12, 26),
        ymd(2008, 12, 29),
        "federal government closed Friday 26 December 2008 (publication note of 18 December)",
    ),
    (
        ymd(2009, 12, 24),
        ymd(2009, 12, 28),
        "Christmas Eve 2009: the release for 23 December is dated Monday 28 December",
    ),
    (
        ymd(2014, 12, 26),
        ymd(2014, 12, 29),
        "federal government closed Thursday 25 and Friday 26 December 2014 (publication note of 18 December)",
    ),
    (
        ymd(2020, 12, 24),
        ymd(2020, 12, 28),
        "federal government closed Thursday 24 December 2020 (executive order); release dated 28 December",
    ),
    (
        ymd(2025, 1, 9),
        ymd(2025, 1, 10),
        "national day of mourning for President Carter, Board closed; release dated 10 January",
    ),
    (
        ymd(2025, 12, 26),
        ymd(2025, 12, 29),
        "federal government closed Friday 26 December 2025 (executive order); release dated 29 December",
    ),
];

/// A `Date` in a constant; the dates above exist, as a test checks.
const fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_days(crate::date::days_from_civil(y, m, d))
}

impl ReleaseRule {
    /// The day a value scheduled for `day` is actually published (or, for
    /// [`ReleaseRule::NyseClose`], `day` itself).
    pub fn publication_day(self, day: Date) -> Date {
        match self {
            ReleaseRule::Fixed | ReleaseRule::NyseClose => day,
            ReleaseRule::Federal => next_federal_business_day(day),
            ReleaseRule::H41 => {
                let by_rule = next_federal_business_day(day);
                H41_EXCEPTIONS.iter().find(|(rule, ..)| *rule == by_rule).map_or(by_rule, |(_, actual, _)| *actual)
            }
        }
    }

    /// The fourth word of a release string (`""` for [`ReleaseRule::Fixed`]).
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseRule::Fixed => "",
            ReleaseRule::Federal => "federal",
            ReleaseRule::H41 => "h41",
            ReleaseRule::NyseClose => "nyse",
        }
    }
}

/// `day` itself when it is a federal business day, else the next one.
fn next_federal_business_day(mut day: Date) -> Date {
    while !is_federal_business_day(day) {
        day = day.add_days(1);
    }
    day
}

impl Release {
    /// The instant the value for `reference` became public.
    pub fn known_at(&self, reference: Date) -> Timestamp {
        let day = self.rule.publication_day(reference.add_days(self.lag_days));
        let (mut hour, mut minute) = (self.hour, self.minute);
        if self.rule == ReleaseRule::NyseClose {
            if let Some(close) = nyse_close_time(day).filter(|c| *c < (hour, minute)) {
                (hour, minute) = close;
            }
        }
        self.tz.to_utc(day, hour, minute)
    }
}

impl FromStr for Release {
    type Err = CoreError;

    /// Parses `"+1d 16:30 America/New_York"`, `"+0d 13:15 ET"`, `"+1d 00:00 UTC"`,
    /// with an optional rule word: `"+1d 16:30 ET h41"`, `"+0d 16:00 ET nyse"`,
    /// `"+1d 16:15 ET federal"`.
    fn from_str(s: &str) -> Result<Release, CoreError> {
        let bad = || CoreError::InvalidTime(s.to_string());
        let parts: Vec<&str> = s.split_whitespace().collect();
        let (lag, time, tz, rule) = match parts.as_slice() {
            [lag, time, tz] => (lag, time, tz, ReleaseRule::Fixed),
            [lag, time, tz, rule] => {
                let rule = match rule.to_ascii_lowercase().as_str() {
                    "federal" => ReleaseRule::Federal,
                    "h41" | "h.4.1" => ReleaseRule::H41,
                    "nyse" => ReleaseRule::NyseClose,
                    _ => return Err(bad()),
                };
                (lag, time, tz, rule)
            }
            _ => return Err(bad()),
        };
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
        Ok(Release { lag_days, hour, minute, tz, rule })
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tz = match self.tz {
            Tz::Utc => "UTC",
            Tz::NewYork => "America/New_York",
        };
        write!(f, "+{}d {:02}:{:02} {tz}", self.lag_days, self.hour, self.minute)?;
        match self.rule {
            ReleaseRule::Fixed => Ok(()),
            rule => write!(f, " {}", rule.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::is_federal_business_day;

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

    /// Publication day of the H.4.1 for a reference Wednesday. Each expected day
    /// is the release date printed on the Board's H.4.1 archive (for example
    /// `releases/h41/20251229`: "Release Date: December 29, 2025", week ended
    /// Dec 24, 2025), checked by hand; the rule rows need no exception.
    #[test]
    fn h41_comes_out_friday_after_a_thursday_federal_holiday() {
        let h41: Release = "+1d 16:30 ET h41".parse().unwrap();
        for (wednesday, published, why) in [
            ("2026-01-07", "2026-01-08", "an ordinary Thursday"),
            ("2025-11-26", "2025-11-28", "Thanksgiving Thursday"),
            ("2024-07-03", "2024-07-05", "Independence Day Thursday"),
            ("2025-12-31", "2026-01-02", "New Year's Day Thursday"),
            ("2025-06-18", "2025-06-20", "Juneteenth Thursday"),
            ("2021-11-10", "2021-11-12", "Veterans Day Thursday"),
            ("2024-12-25", "2024-12-26", "a Wednesday holiday does not move it"),
            ("2025-01-01", "2025-01-02", "a Wednesday holiday does not move it"),
            ("2003-12-24", "2003-12-26", "Christmas Thursday; Friday closure did not move it"),
            ("2015-12-23", "2015-12-24", "Christmas Eve Thursday 2015 was a normal day"),
            ("2025-12-24", "2025-12-29", "exception: federal closure Friday 26 December 2025"),
            ("2014-12-24", "2014-12-29", "exception: federal closure Friday 26 December 2014"),
            ("2008-12-24", "2008-12-29", "exception: federal closure Friday 26 December 2008"),
            ("2009-12-23", "2009-12-28", "exception: Christmas Eve 2009"),
            ("2020-12-23", "2020-12-28", "exception: federal closure Thursday 24 December 2020"),
            ("2025-01-08", "2025-01-10", "exception: day of mourning Thursday 9 January 2025"),
        ] {
            let expected = Tz::NewYork.to_utc(d(published), 16, 30);
            assert_eq!(h41.known_at(d(wednesday)), expected, "{wednesday}: {why}");
        }
        // The plain federal rule knows holidays but not the closures.
        let federal: Release = "+1d 16:30 ET federal".parse().unwrap();
        assert_eq!(federal.known_at(d("2025-11-26")), Tz::NewYork.to_utc(d("2025-11-28"), 16, 30));
        assert_eq!(federal.known_at(d("2025-12-24")), Tz::NewYork.to_utc(d("2025-12-26"), 16, 30));
        // Every exception row starts on the day the rule gives and moves later.
        for (by_rule, actual, why) in H41_EXCEPTIONS {
            assert!(is_federal_business_day(*by_rule) && actual > by_rule, "{by_rule}: {why}");
            assert_eq!(ReleaseRule::Federal.publication_day(*by_rule), *by_rule, "{why}");
            assert_eq!(ReleaseRule::H41.publication_day(*by_rule), *actual, "{why}");
        }
    }

    #[test]
    fn nyse_close_rule_uses_the_half_day_close() {
        let close: Release = "+0d 16:00 ET nyse".parse().unwrap();
        // 2025-11-28 (day after Thanksgiving) closes 13:00 EST = 18:00 UTC.
        assert_eq!(close.known_at(d("2025-11-28")), Tz::NewYork.to_utc(d("2025-11-28"), 13, 0));
        assert_eq!(close.known_at(d("2025-12-01")), Tz::NewYork.to_utc(d("2025-12-01"), 16, 0));
        // A non-session keeps the nominal time; a release before the half-day close is kept.
        assert_eq!(close.known_at(d("2025-11-27")), Tz::NewYork.to_utc(d("2025-11-27"), 16, 0));
        let morning: Release = "+0d 09:00 ET nyse".parse().unwrap();
        assert_eq!(morning.known_at(d("2025-11-28")), Tz::NewYork.to_utc(d("2025-11-28"), 9, 0));
    }

    #[test]
    fn release_rules_round_trip_and_old_strings_still_parse() {
        for s in
            ["+1d 16:30 America/New_York h41", "+1d 16:15 America/New_York federal", "+0d 16:00 America/New_York nyse"]
        {
            let r: Release = s.parse().unwrap();
            assert_eq!(r.to_string(), s);
            assert_eq!(r.to_string().parse::<Release>().unwrap(), r);
        }
        let old: Release = "+1d 16:30 ET".parse().unwrap();
        assert_eq!(old.rule, ReleaseRule::Fixed);
        assert_eq!(old.to_string(), "+1d 16:30 America/New_York");
        assert_eq!("+1d 16:30 ET H41".parse::<Release>().unwrap().rule, ReleaseRule::H41);
        assert!("+1d 16:30 ET weekly".parse::<Release>().is_err());
        assert!("+1d 16:30 ET h41 extra".parse::<Release>().is_err());
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
