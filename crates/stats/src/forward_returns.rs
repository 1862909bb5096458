//! What a target did after a date: the forward return over a horizon of
//! calendar days, with the run-up, drawdown and days to the peak inside it.
//!
//! For an event (or any candidate date) `D`, a target's daily closes and a
//! horizon of `h` calendar days:
//!
//! - **entry**: the target's close on its first date on or after
//!   `D + lag_days` ([`EntryRule`]). The default lag of 1 day means "the
//!   first target date strictly after `D`": an equity close on `D` (16:00 New
//!   York) is first acted on by the crypto close of UTC day `D + 1`, and by an
//!   equity target on its next session. A lag of 0 enters on `D`'s own close,
//!   which is only honest when the signal is known before the target closes.
//!   When the first such close is more than `max_delay_days` after
//!   `D + lag_days` (the target had not started trading, or its data has a
//!   hole) there is no entry.
//! - **exit**: the target's last close on or before `entry_date + h`.
//! - **return** = `exit / entry - 1`.
//! - **max run-up** = `max(close over [entry, exit]) / entry - 1`, and
//!   **days to peak** = calendar days from the entry to the first date of that
//!   maximum. The entry close counts, so a target that only fell has run-up 0
//!   and 0 days to peak.
//! - **max drawdown** = `min over t of close_t / max(close over [entry, t]) - 1`
//!   for `t` in `[entry, exit]`: the worst peak-to-trough fall inside the
//!   horizon, measured from the running peak (a trade that doubled and then
//!   gave back a quarter shows -25%, although it never went below its entry),
//!   the usual definition of a drawdown; 0 when the target never fell.
//! - **complete** when the target has a close on or after `entry_date + h`:
//!   only then is the exit close final. Otherwise the exit is the last close
//!   available and the numbers are "so far". (An equity horizon ending on a
//!   Saturday, with the data ending on the Friday before, is therefore still
//!   incomplete: the data cannot show that nothing came after.)

use riskcurve_core::{Date, Series};
use serde::Serialize;

use crate::StatsError;

/// How an event date maps to the target close it is entered at: the first
/// target close on or after `event + lag_days`, if that close is at most
/// `max_delay_days` later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntryRule {
    lag_days: u32,
    max_delay_days: u32,
}

impl EntryRule {
    /// The default: the first target close strictly after the event date
    /// (lag 1), within 7 days (a weekend plus a holiday fit; a longer wait
    /// means the target was not trading).
    pub const STRICTLY_AFTER: EntryRule = EntryRule { lag_days: 1, max_delay_days: 7 };

    /// A rule with an explicit lag and maximum delay, in calendar days.
    pub fn new(lag_days: u32, max_delay_days: u32) -> Result<EntryRule, StatsError> {
        if lag_days > 366 {
            return Err(StatsError::param("lag_days", format!("{lag_days} days is more than a year")));
        }
        Ok(EntryRule { lag_days, max_delay_days })
    }

    /// Calendar days from the event to the earliest possible entry.
    pub fn lag_days(self) -> u32 {
        self.lag_days
    }

    /// How much later than `event + lag_days` the entry close may be.
    pub fn max_delay_days(self) -> u32 {
        self.max_delay_days
    }
}

impl Default for EntryRule {
    fn default() -> EntryRule {
        EntryRule::STRICTLY_AFTER
    }
}

/// What one event was followed by, over one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EventOutcome {
    /// The event (signal) date.
    pub date: Date,
    /// The date of the entry close.
    pub entry_date: Date,
    /// The date of the exit close (the last close available when
    /// incomplete).
    pub exit_date: Date,
    /// The entry close.
    pub entry_close: f64,
    /// The exit close.
    pub exit_close: f64,
    /// `exit_close / entry_close - 1`.
    #[serde(rename = "return")]
    pub forward_return: f64,
    /// The highest close in `[entry, exit]` over the entry close, minus 1
    /// (never negative).
    pub max_runup: f64,
    /// The worst fall from a running peak inside `[entry, exit]` (never
    /// positive).
    pub max_drawdown: f64,
    /// Calendar days from the entry to the first highest close.
    pub days_to_peak: u32,
    /// Whether the whole horizon is in the data.
    pub complete: bool,
}

/// Why a date has no forward return on a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NoEntry {
    /// The data ends before the entry date: the outcome is not known yet.
    NotYet {
        /// The target's last date.
        last: Date,
    },
    /// No target close within the rule's maximum delay of the earliest
    /// entry date: the target had not started trading, or its data has a hole.
    NoCloseNearby {
        /// The earliest entry date, `event + lag_days`.
        earliest: Date,
        /// The first target date after it, if any.
        next_close: Date,
    },
}

/// Forward returns on one target under one entry rule.
#[derive(Debug, Clone, Copy)]
pub struct ForwardReturns<'a> {
    target: &'a Series,
    rule: EntryRule,
}

/// The complete forward returns, over one horizon, of every candidate date
/// that has one: what placebo tests draw from and baselines average.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardReturnTable {
    horizon_days: u32,
    dates: Vec<Date>,
    returns: Vec<f64>,
}

impl ForwardReturnTable {
    /// The horizon in calendar days.
    pub fn horizon_days(&self) -> u32 {
        self.horizon_days
    }

    /// The candidate dates with a complete forward return, in the order
    /// given.
    pub fn dates(&self) -> &[Date] {
        &self.dates
    }

    /// Their forward returns.
    pub fn returns(&self) -> &[f64] {
        &self.returns
    }
}

impl<'a> ForwardReturns<'a> {
    /// Forward returns of `target` (daily closes, any calendar) entered by `rule`.
    pub fn new(target: &'a Series, rule: EntryRule) -> ForwardReturns<'a> {
        ForwardReturns { target, rule }
    }

    /// The entry index and the exit index of `date` over `horizon_days`,
    /// and whether the horizon is complete.
    fn window(&self, date: Date, horizon_days: u32) -> Result<(usize, usize, bool), NoEntry> {
        let dates = self.target.dates();
        let earliest = date.add_days(self.rule.lag_days as i32);
        let entry = dates.partition_point(|d| *d < earliest);
        let Some(&entry_date) = dates.get(entry) else {
            return Err(NoEntry::NotYet { last: dates.last().copied().unwrap_or(earliest) });
        };
        if entry_date.days_since(earliest) > self.rule.max_delay_days as i32 {
            return Err(NoEntry::NoCloseNearby { earliest, next_close: entry_date });
        }
        let end = entry_date.add_days(horizon_days as i32);
        let exit = dates[entry..].partition_point(|d| *d <= end) + entry - 1;
        let complete = dates[dates.len() - 1] >= end;
        Ok((entry, exit, complete))
    }

    /// The outcome of an event on `date` over `horizon_days`.
    ///
    /// ```
    /// use riskcurve_core::{Date, Series};
    /// use riskcurve_stats::{EntryRule, ForwardReturns};
    /// let d = |s: &str| s.parse::<Date>().unwrap();
    /// // Daily closes 100, 120, 90, 150 on Jan 1-4.
    /// let closes = Series::new(
    ///     vec![d("2024-01-01"), d("2024-01-02"), d("2024-01-03"), d("2024-01-04")],
    ///     vec![100.0, 120.0, 90.0, 150.0],
    /// ).unwrap();
    /// let fwd = ForwardReturns::new(&closes, EntryRule::STRICTLY_AFTER);
    /// // An event on Jan 1 enters on Jan 2 (120) and exits 2 days later (150).
    /// let o = fwd.outcome(d("2024-01-01"), 2).unwrap();
    /// assert_eq!((o.entry_date, o.exit_date, o.complete), (d("2024-01-02"), d("2024-01-04"), true));
    /// assert!((o.forward_return - 0.25).abs() < 1e-12);
    /// assert!((o.max_drawdown - (90.0 / 120.0 - 1.0)).abs() < 1e-12);
    /// assert_eq!(o.days_to_peak, 2);
    /// ```
    pub fn outcome(&self, date: Date, horizon_days: u32) -> Result<EventOutcome, NoEntry> {
        let (entry, exit, complete) = self.window(date, horizon_days)?;
        let (dates, values) = (self.target.dates(), self.target.values());
        let entry_close = values[entry];
        let (mut peak, mut peak_at, mut running_peak, mut max_drawdown) = (entry_close, entry, entry_close, 0.0f64);
        for (t, v) in values.iter().enumerate().take(exit + 1).skip(entry + 1) {
            if *v > peak {
                (peak, peak_at) = (*v, t);
            }
            running_peak = running_peak.max(*v);
            max_drawdown = max_drawdown.min(v / running_peak - 1.0);
        }
        Ok(EventOutcome {
            date,
            entry_date: dates[entry],
            exit_date: dates[exit],
            entry_close,
            exit_close: values[exit],
            forward_return: values[exit] / entry_close - 1.0,
            max_runup: peak / entry_close - 1.0,
            max_drawdown,
            days_to_peak: dates[peak_at].days_since(dates[entry]) as u32,
            complete,
        })
    }

    /// The forward return of `date` over `horizon_days` (the same number as
    /// [`ForwardReturns::outcome`]'s), if it has an entry.
    pub fn forward_return(&self, date: Date, horizon_days: u32) -> Result<(f64, bool), NoEntry> {
        let (entry, exit, complete) = self.window(date, horizon_days)?;
        let values = self.target.values();
        Ok((values[exit] / values[entry] - 1.0, complete))
    }

    /// The complete forward returns of every date in `candidates` over
    /// `horizon_days`; dates without an entry or with an incomplete horizon
    /// are left out.
    pub fn table(&self, candidates: &[Date], horizon_days: u32) -> ForwardReturnTable {
        let (mut dates, mut returns) = (Vec::with_capacity(candidates.len()), Vec::with_capacity(candidates.len()));
        for date in candidates {
            if let Ok((r, true)) = self.forward_return(*date, horizon_days) {
                dates.push(*date);
                returns.push(r);
            }
        }
        ForwardReturnTable { horizon_days, dates, returns }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// Closes on consecutive calendar days from 2024-01-01.
    fn daily(values: &[f64]) -> Series {
        let start = d("2024-01-01");
        Series::new((0..values.len()).map(|i| start.add_days(i as i32)).collect(), values.to_vec()).unwrap()
    }

    #[test]
    fn run_up_drawdown_and_peak_by_hand() {
        // Jan 1..8: 50 | entry 100, 110, 130, 104, 117, 90, 140.
        let s = daily(&[50.0, 100.0, 110.0, 130.0, 104.0, 117.0, 90.0, 140.0]);
        let fwd = ForwardReturns::new(&s, EntryRule::STRICTLY_AFTER);
        // Horizon 5: entry Jan 2 (100), exit Jan 7 (90).
        let o = fwd.outcome(d("2024-01-01"), 5).unwrap();
        assert_eq!((o.entry_date, o.exit_date), (d("2024-01-02"), d("2024-01-07")));
        assert!((o.forward_return - -0.1).abs() < 1e-15);
        assert!((o.max_runup - 0.3).abs() < 1e-15);
        assert_eq!(o.days_to_peak, 2);
        // The worst fall from the running peak 130 is to 90.
        assert!((o.max_drawdown - (90.0 / 130.0 - 1.0)).abs() < 1e-15);
        assert!(o.complete);
        assert_eq!(fwd.forward_return(d("2024-01-01"), 5), Ok((o.forward_return, true)));
    }

    #[test]
    fn a_falling_target_has_no_run_up() {
        let s = daily(&[100.0, 100.0, 80.0, 60.0, 70.0]);
        let o = ForwardReturns::new(&s, EntryRule::STRICTLY_AFTER).outcome(d("2024-01-01"), 3).unwrap();
        assert_eq!((o.max_runup, o.days_to_peak), (0.0, 0));
        assert!((o.max_drawdown - -0.4).abs() < 1e-15 && (o.forward_return - -0.3).abs() < 1e-15);
    }

    #[test]
    fn equity_calendar_exits_on_the_last_session_before_the_horizon() {
        // Fri 2024-01-05, Mon 8, Tue 9, Fri 12, Mon 15.
        let dates = ["2024-01-05", "2024-01-08", "2024-01-09", "2024-01-12", "2024-01-15"].map(d).to_vec();
        let s = Series::new(dates, vec![10.0, 11.0, 12.0, 13.0, 14.0]).unwrap();
        let fwd = ForwardReturns::new(&s, EntryRule::STRICTLY_AFTER);
        // An event on Friday the 5th enters Monday the 8th; 6 days later is
        // Sunday the 14th: exit Friday the 12th, complete (the 15th exists).
        let o = fwd.outcome(d("2024-01-05"), 6).unwrap();
        assert_eq!((o.entry_date, o.exit_date, o.complete), (d("2024-01-08"), d("2024-01-12"), true));
        // A Saturday event also enters Monday.
        assert_eq!(fwd.outcome(d("2024-01-06"), 6).unwrap().entry_date, d("2024-01-08"));
        // Lag 0 enters the event's own close.
        let same_day = ForwardReturns::new(&s, EntryRule::new(0, 7).unwrap());
        assert_eq!(same_day.outcome(d("2024-01-05"), 6).unwrap().entry_date, d("2024-01-05"));
    }

    #[test]
    fn incomplete_and_missing_entries() {
        let s = daily(&[100.0, 110.0, 120.0, 90.0]);
        let fwd = ForwardReturns::new(&s, EntryRule::STRICTLY_AFTER);
        // Entry Jan 2, horizon to Jan 12: only Jan 4 is there, "so far" -18.2%.
        let o = fwd.outcome(d("2024-01-01"), 10).unwrap();
        assert!(!o.complete);
        assert_eq!(o.exit_date, d("2024-01-04"));
        assert!((o.forward_return - (90.0 / 110.0 - 1.0)).abs() < 1e-15);
        // An event on the last date has no entry yet.
        assert_eq!(fwd.outcome(d("2024-01-04"), 10), Err(NoEntry::NotYet { last: d("2024-01-04") }));
        // An event long before the data starts has no entry.
        assert_eq!(
            fwd.outcome(d("2023-06-01"), 10),
            Err(NoEntry::NoCloseNearby { earliest: d("2023-06-02"), next_close: d("2024-01-01") })
        );
        // ... but one the day before the first close does.
        assert_eq!(fwd.outcome(d("2023-12-31"), 1).unwrap().entry_date, d("2024-01-01"));
        // The horizon reaching exactly the last date is complete.
        assert!(fwd.outcome(d("2024-01-01"), 2).unwrap().complete);
    }

    #[test]
    fn the_table_keeps_complete_dates_only() {
        let s = daily(&[100.0, 110.0, 121.0, 133.1, 100.0]);
        let fwd = ForwardReturns::new(&s, EntryRule::STRICTLY_AFTER);
        let candidates: Vec<Date> = (0..5).map(|i| d("2024-01-01").add_days(i)).collect();
        let t = fwd.table(&candidates, 2);
        assert_eq!(t.dates(), &candidates[..2]);
        assert!((t.returns()[0] - 0.21).abs() < 1e-12);
        assert!((t.returns()[1] - (100.0 / 121.0 - 1.0)).abs() < 1e-12);
        assert_eq!(t.horizon_days(), 2);
    }
}
