use std::fmt;
use std::str::FromStr;

use crate::{CoreError, Date, Release, ReleaseRule, Tz};

/// The trading calendar a series lives on: which dates have bars and when
/// each bar closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calendar {
    /// US equities: NYSE sessions, close 16:00 New York (13:00 on half days).
    Nyse,
    /// Crypto: every day, the daily bar closes 00:00 UTC the next day.
    Crypto,
    /// Weekday observations (FRED daily series such as DGS10, RRPONTSYD).
    Business,
    /// One observation a week (FRED H.4.1 series: Wednesday levels).
    Weekly,
    /// One observation a month (M2SL: the first of the month).
    Monthly,
}

impl Calendar {
    /// When a bar of this calendar dated `d` closes, for the market calendars;
    /// the macro calendars have no close of their own (`None`): their values
    /// become usable at their series' release time.
    ///
    /// The NYSE close is `+0d 16:00 New York nyse`: 16:00, or the earlier
    /// close of a half day ([`crate::nyse_close_time`]).
    pub fn bar_close(self) -> Option<Release> {
        match self {
            Calendar::Nyse => {
                Some(Release { lag_days: 0, hour: 16, minute: 0, tz: Tz::NewYork, rule: ReleaseRule::NyseClose })
            }
            Calendar::Crypto => {
                Some(Release { lag_days: 1, hour: 0, minute: 0, tz: Tz::Utc, rule: ReleaseRule::Fixed })
            }
            _ => None,
        }
    }

    /// Canonical name, as written in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Nyse => "nyse",
            Calendar::Crypto => "crypto",
            Calendar::Business => "business",
            Calendar::Weekly => "weekly",
            Calendar::Monthly => "monthly",
        }
    }

    /// True when `d` is a weekday (the NYSE holiday list lives in `nyse`).
    pub fn is_weekday(d: Date) -> bool {
        !d.is_weekend()
    }
}

impl FromStr for Calendar {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Calendar, CoreError> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "nyse" | "us-equity" => Calendar::Nyse,
            "crypto" | "24x7" => Calendar::Crypto,
            "business" | "weekdays" | "daily" => Calendar::Business,
            "weekly" => Calendar::Weekly,
            "monthly" => Calendar::Monthly,
            _ => return Err(CoreError::UnknownCalendar(s.to_string())),
        })
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
