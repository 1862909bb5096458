//! NYSE early closes: sessions that end before 16:00 New York.
//!
//! Scheduled half days close at 13:00 (14:00 before 1993): the day after
//! Thanksgiving, Christmas Eve on a Monday to Thursday, and the day before
//! Independence Day (July 3 on a Monday, Tuesday or Thursday since 1995, on a
//! Wednesday since 2013; from 1996 to 2012 a Thursday July 4 shortened Friday
//! July 5 instead). Unscheduled early ends (the weeks after the 1987 crash,
//! snowstorms, a circuit breaker, a systems failure) are listed by date. The
//! rules and the list reproduce the early closes of pandas_market_calendars'
//! NYSE calendar from 1985 to 2026 (`tests/reference/nyse_early_closes.py`).
//!
//! A half day matters for as-of joins: a bar that closes at 13:00 must not see
//! a value published at 13:15 the same day (FRED RRPONTSYD).

use crate::holidays::nth_weekday;
use crate::{nyse_is_trading_day, Date, Weekday};

/// Early closes not given by the rules: `(year, month, day, hour, minute, why)`.
const SPECIAL_EARLY_CLOSES: &[(i32, u32, u32, u32, u32, &str)] = &[
    // After the October 1987 crash the exchange shortened its sessions for three weeks.
    (1987, 10, 23, 14, 0, "1987 crash: shortened session"),
    (1987, 10, 26, 14, 0, "1987 crash: shortened session"),
    (1987, 10, 27, 14, 0, "1987 crash: shortened session"),
    (1987, 10, 28, 14, 0, "1987 crash: shortened session"),
    (1987, 10, 29, 14, 0, "1987 crash: shortened session"),
    (1987, 10, 30, 14, 0, "1987 crash: shortened session"),
    (1987, 11, 2, 14, 30, "1987 crash: shortened session"),
    (1987, 11, 3, 14, 30, "1987 crash: shortened session"),
    (1987, 11, 4, 14, 30, "1987 crash: shortened session"),
    (1987, 11, 5, 15, 0, "1987 crash: shortened session"),
    (1987, 11, 6, 15, 0, "1987 crash: shortened session"),
    (1987, 11, 9, 15, 30, "1987 crash: shortened session"),
    (1987, 11, 10, 15, 30, "1987 crash: shortened session"),
    (1987, 11, 11, 15, 30, "1987 crash: shortened session"),
    (1994, 2, 11, 14, 30, "snowstorm"),
    (1996, 1, 8, 14, 0, "snowstorm"),
    (1997, 10, 27, 15, 30, "circuit breaker halt"),
    (1997, 12, 26, 13, 0, "day after Christmas"),
    (2003, 12, 26, 13, 0, "day after Christmas"),
    (2005, 6, 1, 15, 56, "systems failure"),
];

/// The time (hour, minute, New York) the NYSE session on `d` closes: 16:00 on
/// a regular session, earlier on an early close; `None` when the exchange is
/// closed (weekend, holiday or special closure).
///
/// ```
/// use riskcurve_core::nyse_close_time;
/// let d = |s: &str| s.parse().unwrap();
/// assert_eq!(nyse_close_time(d("2025-11-28")), Some((13, 0))); // day after Thanksgiving
/// assert_eq!(nyse_close_time(d("2025-12-01")), Some((16, 0)));
/// assert_eq!(nyse_close_time(d("2025-11-27")), None); // Thanksgiving
/// ```
pub fn nyse_close_time(d: Date) -> Option<(u32, u32)> {
    if !nyse_is_trading_day(d) {
        return None;
    }
    let (y, m, day) = d.ymd();
    if let Some(&(.., h, min, _)) = SPECIAL_EARLY_CLOSES.iter().find(|c| (c.0, c.1, c.2) == (y, m, day)) {
        return Some((h, min));
    }
    // Scheduled half days closed at 14:00 until 1993 (1990-1992 are the first listed).
    let half_day = if y >= 1993 { (13, 0) } else { (14, 0) };
    let wd = d.weekday();
    let after_thanksgiving = y >= 1992 && d == nth_weekday(y, 11, Weekday::Thu, 4).add_days(1);
    // Christmas Eve on a Friday is the observed Christmas holiday (no session).
    let christmas_eve = y >= 1990 && (m, day) == (12, 24);
    let july_3 = (m, day) == (7, 3)
        && ((y >= 1995 && matches!(wd, Weekday::Mon | Weekday::Tue | Weekday::Thu))
            || (y >= 2013 && wd == Weekday::Wed));
    let july_5 = (1996..2013).contains(&y) && (m, day) == (7, 5) && wd == Weekday::Fri;
    if after_thanksgiving || christmas_eve || july_3 || july_5 {
        Some(half_day)
    } else {
        Some((16, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nyse_sessions;
    use crate::test_support::d;

    /// The early closes of pandas_market_calendars 5.5.0's NYSE calendar from
    /// 1985-01-01 to 2026-12-31, as printed by
    /// `crates/core/tests/reference/nyse_early_closes.py`.
    const REFERENCE: &str = include_str!("../tests/reference/nyse_early_closes.txt");

    #[test]
    fn nyse_half_days_match_pandas_market_calendars() {
        let expected: Vec<(Date, (u32, u32))> = REFERENCE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (date, time) = l.split_once(' ').expect("date time");
                let (h, m) = time.trim().split_once(':').expect("hh:mm");
                (d(date), (h.parse().unwrap(), m.parse().unwrap()))
            })
            .collect();
        assert_eq!(expected.len(), 96, "reference list truncated?");
        let ours: Vec<(Date, (u32, u32))> = nyse_sessions(d("1985-01-01"), d("2026-12-31"))
            .into_iter()
            .filter_map(|x| nyse_close_time(x).filter(|t| *t != (16, 0)).map(|t| (x, t)))
            .collect();
        assert_eq!(ours, expected);
    }

    #[test]
    fn nyse_half_days_of_recent_years() {
        for (s, t) in [
            ("2024-07-03", Some((13, 0))),
            ("2024-11-29", Some((13, 0))),
            ("2024-12-24", Some((13, 0))),
            ("2025-07-03", Some((13, 0))),
            ("2025-11-28", Some((13, 0))),
            ("2025-12-24", Some((13, 0))),
            ("2026-07-02", Some((16, 0))), // July 4 2026 is a Saturday: Friday 3 is the holiday
            ("2026-07-03", None),
            ("2021-12-23", Some((16, 0))), // Christmas Eve 2021 was the observed holiday
            ("2024-12-31", Some((16, 0))),
        ] {
            assert_eq!(nyse_close_time(d(s)), t, "{s}");
        }
    }
}
