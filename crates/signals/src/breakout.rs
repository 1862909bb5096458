//! Breakouts to new all-time highs after a long consolidation, first crosses
//! above a round level, and the "status now" against the all-time high.
//!
//! # Definitions (the exact rules later reports cite)
//!
//! Let `p[i]` be the *basis price* of bar `i`: its close with [`Basis::Close`],
//! its intraday high with [`Basis::High`] (the close when a bar has no high).
//!
//! * **Reference high** at bar `i`: `H[i]`, dated `D[i]`, the high the
//!   consolidation clock runs from. `H[1] = p[0]`; after bar `i` it becomes
//!   `p[i]` (dated bar `i`) when `p[i] > T[i]`, and stays otherwise. With a 0%
//!   margin that is the running maximum of all earlier bars, dated on the first
//!   bar that reached it (a later bar that only equals a high does not reset
//!   its date). With a margin, a close above the high by less than the margin
//!   (a poke) neither breaks it nor restarts the clock, so `H` can sit up to
//!   `margin_pct` below the highest price seen. It is not reset by events.
//! * **Threshold**: `T[i] = H[i] * (1 + margin_pct / 100)`.
//! * **Candidate**: bar `i` with `p[i] > T[i]` and `date[i] - D[i] >= min_days`
//!   calendar days: the first close more than `margin_pct` above a high that
//!   stood `min_days`. The first bar has no prior high and is never a candidate.
//! * **Event** (breakout): with `confirm_days = N`, a candidate `c` becomes an
//!   event when bars `c, c+1, .., c+N-1` all have `p > T[c]` (the threshold
//!   measured at the candidate, i.e. at the first bar above). The event is dated
//!   on bar `c+N-1`; with `N = 1` it is the candidate itself. A candidate whose
//!   streak breaks produces no event, but it still became the reference high:
//!   a later breakout needs it to stand `min_days` again. So after an event,
//!   or a failed attempt, the new high is tracked from there. A streak still
//!   running at the end of the data is not (yet) an event. Each candidate is
//!   judged on its own; two events can only overlap when `min_days` is shorter
//!   than the confirmation streak.
//! * `min_days = 0` is allowed and means "every new all-time high".
//!
//! Per event (with `c` the candidate and `e` the event bar):
//!
//! * `prior_high = H[c]`, `prior_high_date = D[c]`,
//!   `days_since_prior_high = date[e] - D[c]` (calendar days).
//! * `consolidation_drawdown_pct = 100 * (min(close[j]) / H[c] - 1)` over the
//!   bars strictly between `D[c]` and `c`, capped at 0 (it is `-35.2` for a
//!   close 35.2% below the prior high). Closes are used for both bases.
//! * `volume_ratio = volume[e] / mean(volume[j])` over those of the 50 bars
//!   before `e` that have a volume above 0; `None` when bar `e` has no positive
//!   volume or fewer than 10 of the 50 bars have one.
//! * `failed`: some close among the `fail_sessions` bars after `e` is strictly
//!   below `H[c]` (the breakout "gave it back"); `failed_date` is the first.
//! * `complete`: the failure test is final: the event failed, or at least
//!   `fail_sessions` bars follow it. An event near the end of the data that has
//!   not failed yet is `complete = false`.
//!
//! The default parameters (365 days, close, 0% margin, 1 day, 20 sessions)
//! are the "Russell 2000 breaks a high that stood a year" reading of the
//! thesis; every one of them is a parameter because the thesis does not pin it
//! down.

use std::fmt;
use std::str::FromStr;

use riskcurve_core::{Bar, BarSeries, Date};
use serde::{Deserialize, Serialize};

use crate::SignalError;

/// Bars before an event over which volume is averaged.
const VOLUME_LOOKBACK: usize = 50;
/// Fewest bars with volume in the lookback for a meaningful ratio.
const VOLUME_MIN_BARS: usize = 10;

/// Which price of a bar is compared with the prior high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The close.
    #[default]
    Close,
    /// The intraday high (the close where a bar has no high).
    High,
}

impl Basis {
    /// The basis price of `bar`.
    pub fn price(self, bar: &Bar) -> f64 {
        match self {
            Basis::Close => bar.close,
            Basis::High => bar.high.unwrap_or(bar.close),
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Close => "close",
            Basis::High => "high",
        })
    }
}

impl FromStr for Basis {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<Basis, SignalError> {
        match s {
            "close" => Ok(Basis::Close),
            "high" => Ok(Basis::High),
            other => Err(SignalError::param("--basis", format!("{other:?} is not close or high"))),
        }
    }
}

/// The parameters of [`detect_breakouts`]; see the module docs for how each
/// enters the definition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BreakoutParams {
    /// Calendar days the prior high must have stood (default 365; 0 = every new high).
    pub min_days: u32,
    /// Close or intraday high (default close).
    pub basis: Basis,
    /// Percent by which the price must exceed the prior high (default 0, at least 0).
    pub margin_pct: f64,
    /// Consecutive bars above the threshold needed; the event is dated on the last (default 1, at least 1).
    pub confirm_days: u32,
    /// Bars after the event in which a close below the prior high counts as a failure (default 20, at least 1).
    pub fail_sessions: usize,
}

impl Default for BreakoutParams {
    fn default() -> BreakoutParams {
        BreakoutParams { min_days: 365, basis: Basis::Close, margin_pct: 0.0, confirm_days: 1, fail_sessions: 20 }
    }
}

impl BreakoutParams {
    /// Checks the ranges: `margin_pct` finite and at least 0, `confirm_days`
    /// and `fail_sessions` at least 1.
    pub fn validate(&self) -> Result<(), SignalError> {
        if !self.margin_pct.is_finite() || self.margin_pct < 0.0 {
            return Err(SignalError::param("--margin-pct", format!("must be a number >= 0, got {}", self.margin_pct)));
        }
        if self.confirm_days == 0 {
            return Err(SignalError::param("--confirm-days", "must be at least 1, got 0"));
        }
        if self.fail_sessions == 0 {
            return Err(SignalError::param("--fail-sessions", "must be at least 1, got 0"));
        }
        Ok(())
    }
}

/// One breakout; field meanings are defined in the module docs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakoutEvent {
    /// The event bar's date (the last bar of the confirmation streak).
    pub date: Date,
    /// The event bar's close.
    pub close: f64,
    /// The reference high that was broken: the all-time high, up to pokes
    /// within the margin that did not reset it (module docs).
    pub prior_high: f64,
    /// When that high was first set.
    pub prior_high_date: Date,
    /// Calendar days from `prior_high_date` to `date`.
    pub days_since_prior_high: i32,
    /// Deepest close below the prior high during the consolidation, in percent (<= 0).
    pub consolidation_drawdown_pct: f64,
    /// Event-bar volume over its 50-bar average, where volume exists.
    pub volume_ratio: Option<f64>,
    /// A close back below `prior_high` within `fail_sessions` bars.
    pub failed: bool,
    /// The first such close.
    pub failed_date: Option<Date>,
    /// False while the failure test is still open (too few bars after the event).
    pub complete: bool,
}

/// A first cross above a fixed level; see [`level_crossings`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelEvent {
    /// The crossing bar's date.
    pub date: Date,
    /// Its close.
    pub close: f64,
    /// The level crossed.
    pub level: f64,
    /// The last bar before it that closed at or below the level.
    pub previous_below_date: Date,
}

/// Where the last bar stands against the all-time high.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// The last bar's date.
    pub last_date: Date,
    /// Its close.
    pub last_close: f64,
    /// The highest basis price over all bars, the last included.
    pub all_time_high: f64,
    /// The first bar that reached it.
    pub all_time_high_date: Date,
    /// `100 * (last_close / all_time_high - 1)`: negative below the high.
    pub distance_pct: f64,
    /// Calendar days from `all_time_high_date` to `last_date`.
    pub days_since_ath: i32,
}

/// What the `breakouts` command prints: the series, the parameters, every event
/// and the status now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakoutReport {
    /// The series id (`rut`, `rut/spx`).
    pub series: String,
    /// The parameters used.
    pub params: BreakoutParams,
    /// The events, oldest first.
    pub events: Vec<BreakoutEvent>,
    /// The status now.
    pub status: Status,
}

impl BreakoutReport {
    /// Runs [`detect_breakouts`] and [`status_now`] on `bars`, named `series`.
    pub fn new(series: &str, bars: &BarSeries, params: BreakoutParams) -> Result<BreakoutReport, SignalError> {
        let status = status_now(bars, params.basis).ok_or_else(|| SignalError::no_data(series, "no bars"))?;
        let events = detect_breakouts(bars, params)?;
        Ok(BreakoutReport { series: series.to_string(), params, events, status })
    }
}

/// All breakouts in `bars` under `params`, oldest first (module docs give the
/// definition). No bars give no events.
pub fn detect_breakouts(bars: &BarSeries, params: BreakoutParams) -> Result<Vec<BreakoutEvent>, SignalError> {
    params.validate()?;
    let bars = bars.bars();
    let price: Vec<f64> = bars.iter().map(|b| params.basis.price(b)).collect();
    let factor = 1.0 + params.margin_pct / 100.0;
    let confirm = params.confirm_days as usize;
    let mut events = Vec::new();
    // The reference high: the index of the bar that set it.
    let mut high_at = 0;
    for i in 1..bars.len() {
        let (high, high_date) = (price[high_at], bars[high_at].date);
        let threshold = high * factor;
        // A poke within the margin leaves the high and its clock alone
        // (issue 10 item 17: it used to become the new high and restart the
        // clock, so a 2% margin found no breakout on any series).
        if price[i] <= threshold {
            continue;
        }
        let broken = high_at;
        high_at = i;
        if bars[i].date.days_since(high_date) < params.min_days as i32 {
            continue;
        }
        let end = i + confirm - 1;
        if end >= bars.len() || !price[i..=end].iter().all(|p| *p > threshold) {
            continue;
        }
        events.push(event(bars, broken, i, end, params.fail_sessions, high));
    }
    Ok(events)
}

/// Builds the event for a high set at `high_at`, broken at `candidate` and
/// confirmed at `end`.
fn event(bars: &[Bar], high_at: usize, candidate: usize, end: usize, fail_sessions: usize, high: f64) -> BreakoutEvent {
    let lowest = bars[high_at + 1..candidate].iter().map(|b| b.close).fold(high, f64::min);
    let after = &bars[end + 1..bars.len().min(end + 1 + fail_sessions)];
    let failed_date = after.iter().find(|b| b.close < high).map(|b| b.date);
    BreakoutEvent {
        date: bars[end].date,
        close: bars[end].close,
        prior_high: high,
        prior_high_date: bars[high_at].date,
        days_since_prior_high: bars[end].date.days_since(bars[high_at].date),
        consolidation_drawdown_pct: 100.0 * (lowest / high - 1.0),
        volume_ratio: volume_ratio(bars, end),
        failed: failed_date.is_some(),
        failed_date,
        complete: failed_date.is_some() || after.len() == fail_sessions,
    }
}

/// Volume of bar `at` over the mean positive volume of the 50 bars before it.
fn volume_ratio(bars: &[Bar], at: usize) -> Option<f64> {
    let own = bars[at].volume.filter(|v| *v > 0.0)?;
    let window = &bars[at.saturating_sub(VOLUME_LOOKBACK)..at];
    let volumes: Vec<f64> = window.iter().filter_map(|b| b.volume).filter(|v| *v > 0.0).collect();
    if volumes.len() < VOLUME_MIN_BARS {
        return None;
    }
    Some(own / (volumes.iter().sum::<f64>() / volumes.len() as f64))
}

/// Every cross above `level`: a bar whose basis price is above `level` after
/// the last cross, with at least one close at or below `level` in between.
///
/// The first cross needs a close at or below the level before it (a series
/// that starts above the level has not crossed it). After a cross, the next
/// one needs a *close* back at or below the level first, for both bases, so
/// an intraday dip does not re-arm the signal. A non-finite level gives no
/// events.
pub fn level_crossings(bars: &BarSeries, level: f64, basis: Basis) -> Vec<LevelEvent> {
    let mut events = Vec::new();
    let mut last_below: Option<Date> = None;
    for bar in bars.bars() {
        if let Some(previous_below_date) = last_below {
            if basis.price(bar) > level {
                events.push(LevelEvent { date: bar.date, close: bar.close, level, previous_below_date });
                last_below = None;
                continue;
            }
        }
        if bar.close <= level {
            last_below = Some(bar.date);
        }
    }
    events
}

/// The last bar against the all-time high of `basis` prices (the last bar
/// included); `None` for no bars.
pub fn status_now(bars: &BarSeries, basis: Basis) -> Option<Status> {
    let last = bars.bars().last()?;
    let mut ath = bars.bars()[0];
    for bar in bars.bars() {
        if basis.price(bar) > basis.price(&ath) {
            ath = *bar;
        }
    }
    let all_time_high = basis.price(&ath);
    Some(Status {
        last_date: last.date,
        last_close: last.close,
        all_time_high,
        all_time_high_date: ath.date,
        distance_pct: 100.0 * (last.close / all_time_high - 1.0),
        days_since_ath: last.date.days_since(ath.date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// Hand-made bars: one per `step` days from 2020-01-01, closes as given.
    fn closes(step: i32, values: &[f64]) -> BarSeries {
        let start = d("2020-01-01");
        BarSeries::new(
            values.iter().enumerate().map(|(i, v)| Bar::value(start.add_days(step * i as i32), *v)).collect(),
        )
        .unwrap()
    }

    fn params(min_days: u32) -> BreakoutParams {
        BreakoutParams { min_days, ..BreakoutParams::default() }
    }

    fn dates(events: &[BreakoutEvent]) -> Vec<Date> {
        events.iter().map(|e| e.date).collect()
    }

    #[test]
    fn min_days_boundary() {
        // Hand-made: high 100 on day 0, lower closes, then 101 on day 10.
        let bars = closes(5, &[100.0, 90.0, 95.0, 101.0]);
        let ten = detect_breakouts(&bars, params(15)).unwrap();
        assert_eq!(dates(&ten), vec![d("2020-01-16")]);
        let e = &ten[0];
        assert_eq!((e.prior_high, e.prior_high_date, e.days_since_prior_high), (100.0, d("2020-01-01"), 15));
        assert!((e.consolidation_drawdown_pct + 10.0).abs() < 1e-12);
        // Exactly min_days counts; one day more does not.
        assert!(detect_breakouts(&bars, params(16)).unwrap().is_empty());
        // min_days 0: every new high after the first bar, here only the last.
        assert_eq!(detect_breakouts(&bars, params(0)).unwrap().len(), 1);
    }

    #[test]
    fn new_highs_re_anchor() {
        // Hand-made: breakout on day 2 (index 2), then 103 two days later is a
        // new high but the 102 it beats stood only 1 day; 110 much later breaks
        // the 103 that stood 10 days.
        let bars = closes(1, &[100.0, 90.0, 102.0, 103.0, 99.0, 99.0, 99.0, 99.0, 99.0, 99.0, 99.0, 99.0, 99.0, 110.0]);
        let events = detect_breakouts(&bars, params(2)).unwrap();
        assert_eq!(dates(&events), vec![d("2020-01-03"), d("2020-01-14")]);
        assert_eq!((events[1].prior_high, events[1].prior_high_date), (103.0, d("2020-01-04")));
        assert!((events[1].consolidation_drawdown_pct - 100.0 * (99.0 / 103.0 - 1.0)).abs() < 1e-12);
        // A high equalled later keeps its first date.
        let flat = closes(1, &[100.0, 100.0, 100.0, 101.0]);
        assert_eq!(detect_breakouts(&flat, params(3)).unwrap()[0].prior_high_date, d("2020-01-01"));
        assert_eq!(detect_breakouts(&flat, params(3)).unwrap()[0].consolidation_drawdown_pct, 0.0);
    }

    #[test]
    fn margin() {
        // Hand-made: 100, then 100.5 (0.5% above), 102 (2% above 100, 1.5% above 100.5).
        let bars = closes(10, &[100.0, 95.0, 100.5, 90.0, 90.0, 102.0]);
        let p = |margin_pct| BreakoutParams { margin_pct, ..params(10) };
        assert_eq!(dates(&detect_breakouts(&bars, p(0.0)).unwrap()), vec![d("2020-01-21"), d("2020-02-20")]);
        // With 1% the 100.5 is a poke, not a breakout and not a new high: the
        // 102 breaks the 100 of day 0.
        let one = detect_breakouts(&bars, p(1.0)).unwrap();
        assert_eq!(dates(&one), vec![d("2020-02-20")]);
        assert_eq!(
            (one[0].prior_high, one[0].prior_high_date, one[0].days_since_prior_high),
            (100.0, d("2020-01-01"), 50)
        );
        assert_eq!(detect_breakouts(&bars, p(1.5)).unwrap()[0].prior_high, 100.0);
        // 102 is not more than 2% above 100.
        assert!(detect_breakouts(&bars, p(2.0)).unwrap().is_empty());
        assert!(detect_breakouts(&bars, p(-1.0)).is_err());
        assert!(detect_breakouts(&bars, p(f64::NAN)).is_err());
    }

    /// Issue 10 item 17: a close 0-2% above the old high used to become the new
    /// high and restart the clock, so a 2% margin never fired. Hand-made: the
    /// high of 100 stands 40 days; a poke to 101.5 on day 30 (too early anyway)
    /// must not restart the clock; 102.5 on day 40 is the breakout of the 100.
    #[test]
    fn margin_poke_does_not_restart_the_consolidation_clock() {
        let bars = closes(10, &[100.0, 95.0, 97.0, 101.5, 102.5]);
        let two = detect_breakouts(&bars, BreakoutParams { margin_pct: 2.0, ..params(35) }).unwrap();
        assert_eq!(dates(&two), vec![d("2020-02-10")]);
        assert_eq!(
            (two[0].prior_high, two[0].prior_high_date, two[0].days_since_prior_high),
            (100.0, d("2020-01-01"), 40)
        );
        // Without a margin the 101.5 is a new high and the clock restarts from day 30.
        assert!(detect_breakouts(&bars, params(35)).unwrap().is_empty());
        // A move beyond the margin before min_days does restart it.
        let bars = closes(10, &[100.0, 95.0, 97.0, 102.1, 102.5]);
        assert!(detect_breakouts(&bars, BreakoutParams { margin_pct: 2.0, ..params(35) }).unwrap().is_empty());
    }

    #[test]
    fn confirmation() {
        // Hand-made: 100 on day 0; a one-day poke to 101, then 3 days above.
        let bars = closes(1, &[100.0, 90.0, 101.0, 99.0, 90.0, 105.0, 106.0, 104.0, 90.0]);
        let c = |confirm_days| BreakoutParams { confirm_days, ..params(2) };
        // One day: the poke, then 105 beats the poke (101 stood 3 days).
        assert_eq!(dates(&detect_breakouts(&bars, c(1)).unwrap()), vec![d("2020-01-03"), d("2020-01-06")]);
        // Two days: the poke fails; 105/106 above 101 confirm on the 2nd.
        let two = detect_breakouts(&bars, c(2)).unwrap();
        assert_eq!(dates(&two), vec![d("2020-01-07")]);
        assert_eq!((two[0].prior_high, two[0].days_since_prior_high), (101.0, 4));
        // Three days: 104 is above the 101 measured at the first bar (not above 106).
        assert_eq!(dates(&detect_breakouts(&bars, c(3)).unwrap()), vec![d("2020-01-08")]);
        assert!(detect_breakouts(&bars, c(4)).unwrap().is_empty());
        assert!(detect_breakouts(&bars, c(0)).is_err());
    }

    #[test]
    fn basis_high_versus_close() {
        // Hand-made: closes never exceed 100, but an intraday high does.
        let mut bars: Vec<Bar> = (0..5).map(|i| Bar::value(d("2020-01-01").add_days(i), 95.0)).collect();
        bars[0].close = 100.0;
        bars[0].high = Some(100.0);
        bars[3].high = Some(100.5);
        let bars = BarSeries::new(bars).unwrap();
        assert!(detect_breakouts(&bars, params(2)).unwrap().is_empty());
        let high = detect_breakouts(&bars, BreakoutParams { basis: Basis::High, ..params(2) }).unwrap();
        assert_eq!(dates(&high), vec![d("2020-01-04")]);
        // Bars without a high fall back to the close (bars 1, 2 and 4 here).
        assert_eq!((high[0].prior_high, high[0].close), (100.0, 95.0));
        assert!(high[0].failed && high[0].failed_date == Some(d("2020-01-05")));
    }

    #[test]
    fn failure_and_completeness() {
        // Hand-made: breakout at index 2; closes below 100 again at index 5.
        let bars = closes(1, &[100.0, 90.0, 101.0, 102.0, 101.0, 99.0, 103.0]);
        let p = |fail_sessions| BreakoutParams { fail_sessions, ..params(2) };
        let e = &detect_breakouts(&bars, p(3)).unwrap()[0];
        assert_eq!((e.failed, e.failed_date, e.complete), (true, Some(d("2020-01-06")), true));
        // Two sessions: no close below, and two bars followed: final.
        let e = &detect_breakouts(&bars, p(2)).unwrap()[0];
        assert_eq!((e.failed, e.failed_date, e.complete), (false, None, true));
        // Without the dip and with 20 sessions, only 4 bars follow: not final.
        let bars = closes(1, &[100.0, 90.0, 101.0, 102.0, 101.0, 104.0, 103.0]);
        let e = &detect_breakouts(&bars, p(20)).unwrap()[0];
        assert_eq!((e.failed, e.complete), (false, false));
        // The test is against the prior high, not the breakout close.
        let e = &detect_breakouts(&bars, p(4)).unwrap()[0];
        assert_eq!((e.failed, e.complete), (false, true));
        assert!(detect_breakouts(&bars, p(0)).is_err());
    }

    #[test]
    fn volume_ratio_rules() {
        // Hand-made: 60 bars, volume 100 on even bars and 0 on odd ones, a
        // breakout on the last with volume 300.
        let make = |n: usize, last_volume: Option<f64>| {
            let mut bars: Vec<Bar> = (0..n)
                .map(|i| Bar {
                    volume: Some(if i % 2 == 0 { 100.0 } else { 0.0 }),
                    ..Bar::value(d("2020-01-01").add_days(i as i32), if i == 0 { 100.0 } else { 90.0 })
                })
                .collect();
            bars[n - 1].close = 110.0;
            bars[n - 1].volume = last_volume;
            BarSeries::new(bars).unwrap()
        };
        let ratio = |bars: &BarSeries| detect_breakouts(bars, params(5)).unwrap()[0].volume_ratio;
        // The zero-volume bars are left out of the mean (otherwise it would be 6.0).
        assert_eq!(ratio(&make(60, Some(300.0))), Some(3.0));
        assert_eq!(ratio(&make(60, None)), None);
        assert_eq!(ratio(&make(60, Some(0.0))), None);
        // 20 bars before the event: 10 with volume (enough), 18: 9 (too few).
        assert_eq!(ratio(&make(21, Some(300.0))), Some(3.0));
        assert_eq!(ratio(&make(19, Some(300.0))), None);
    }

    #[test]
    fn level_crossings_rearm_on_a_close_below() {
        // Hand-made: starts above 100 (no cross), dips, crosses, dips intraday
        // only (no re-arm), closes below, crosses again.
        let mut bars: Vec<Bar> = [105.0, 99.0, 101.0, 102.0, 100.0, 103.0]
            .iter()
            .enumerate()
            .map(|(i, c)| Bar::value(d("2020-01-01").add_days(i as i32), *c))
            .collect();
        bars[3].low = Some(98.0);
        bars[1].high = Some(100.5);
        let bars = BarSeries::new(bars).unwrap();
        let events = level_crossings(&bars, 100.0, Basis::Close);
        let got: Vec<(Date, Date)> = events.iter().map(|e| (e.date, e.previous_below_date)).collect();
        assert_eq!(got, vec![(d("2020-01-03"), d("2020-01-02")), (d("2020-01-06"), d("2020-01-05"))]);
        // Basis high: bar 1's high 100.5 is above, but bar 1 is also the first close below.
        let high = level_crossings(&bars, 100.0, Basis::High);
        assert_eq!(high.iter().map(|e| e.date).collect::<Vec<_>>(), vec![d("2020-01-03"), d("2020-01-06")]);
        assert!(level_crossings(&bars, f64::NAN, Basis::Close).is_empty());
    }

    #[test]
    fn status() {
        // Hand-made: ATH 120 on day 1, last close 90 on day 3.
        let bars = closes(1, &[100.0, 120.0, 110.0, 90.0]);
        let s = status_now(&bars, Basis::Close).unwrap();
        assert_eq!((s.all_time_high, s.all_time_high_date, s.days_since_ath), (120.0, d("2020-01-02"), 2));
        assert!((s.distance_pct + 25.0).abs() < 1e-12);
        assert_eq!(status_now(&BarSeries::default(), Basis::Close), None);
        assert!(BreakoutReport::new("rut", &BarSeries::default(), BreakoutParams::default()).is_err());
        let r = BreakoutReport::new("rut", &bars, params(0)).unwrap();
        assert_eq!((r.events.len(), r.status.last_close), (1, 90.0));
    }

    fn bars_strategy() -> impl Strategy<Value = BarSeries> {
        prop::collection::vec((1i32..6, 50.0f64..150.0, 0.0f64..3.0), 0..120).prop_map(|rows| {
            let mut day = d("2020-01-01");
            let bars = rows
                .into_iter()
                .map(|(step, close, extra)| {
                    day = day.add_days(step);
                    Bar { high: Some(close + extra), ..Bar::value(day, close) }
                })
                .collect();
            BarSeries::new(bars).unwrap()
        })
    }

    proptest! {
        /// For a fixed margin the reference high does not depend on min_days
        /// or the confirmation, and a candidate's test (price above the
        /// reference high by the margin, high old enough) is monotone in
        /// min_days, so the event sets nest. (Not in the margin: a larger
        /// margin ignores pokes that would restart the clock, which can add an
        /// event.)
        #[test]
        fn longer_min_days_never_add_events(
            bars in bars_strategy(),
            days in (0u32..40, 0u32..40),
            margin_pct in prop_oneof![Just(0.0), 0.0f64..5.0],
            confirm_days in 1u32..4,
            high in any::<bool>(),
        ) {
            let basis = if high { Basis::High } else { Basis::Close };
            let base = BreakoutParams { basis, confirm_days, margin_pct, ..BreakoutParams::default() };
            let run = |min_days| dates(&detect_breakouts(&bars, BreakoutParams { min_days, ..base }).unwrap());
            let (lo_days, hi_days) = (days.0.min(days.1), days.0.max(days.1));
            let (loose, strict) = (run(lo_days), run(hi_days));
            prop_assert!(strict.iter().all(|x| loose.contains(x)), "{strict:?} not within {loose:?}");
        }

        /// Each event is the first bar more than the margin above a high that
        /// stood min_days: no basis price between the high and the candidate
        /// exceeded the threshold, and with a 0% margin the high is the
        /// running maximum of all earlier prices.
        #[test]
        fn events_break_a_high_that_stood(
            bars in bars_strategy(),
            min_days in 0u32..30,
            margin_pct in prop_oneof![Just(0.0), 0.0f64..5.0],
        ) {
            let p = BreakoutParams { margin_pct, ..params(min_days) };
            let list = bars.bars();
            for e in detect_breakouts(&bars, p).unwrap() {
                let threshold = e.prior_high * (1.0 + margin_pct / 100.0);
                prop_assert!(e.close > threshold);
                prop_assert!(e.days_since_prior_high >= min_days as i32);
                let between = list.iter().filter(|b| b.date > e.prior_high_date && b.date < e.date);
                prop_assert!(between.map(|b| b.close).all(|c| c <= threshold));
                if margin_pct == 0.0 {
                    let earlier = list.iter().filter(|b| b.date < e.date).map(|b| b.close).fold(f64::MIN, f64::max);
                    prop_assert_eq!(earlier, e.prior_high);
                }
            }
        }

        /// Confirmation only delays or drops events: each event confirmed over
        /// N+1 days breaks the same prior high as one confirmed over N days,
        /// one bar later.
        #[test]
        fn longer_confirmation_delays_or_drops(bars in bars_strategy(), min_days in 0u32..30, n in 1u32..4) {
            let run = |confirm_days| detect_breakouts(&bars, BreakoutParams { min_days, confirm_days, ..BreakoutParams::default() }).unwrap();
            let (short, long) = (run(n), run(n + 1));
            prop_assert!(long.len() <= short.len());
            for e in &long {
                prop_assert!(short.iter().any(|s| s.prior_high_date == e.prior_high_date && s.date < e.date));
            }
        }

        #[test]
        fn events_are_sane(bars in bars_strategy(), min_days in 0u32..30) {
            let events = detect_breakouts(&bars, params(min_days)).unwrap();
            for e in &events {
                prop_assert!(e.close > e.prior_high);
                prop_assert!(e.days_since_prior_high >= min_days as i32);
                prop_assert!(e.consolidation_drawdown_pct <= 0.0);
                prop_assert!(e.failed_date.is_some() == e.failed);
            }
            prop_assert!(events.windows(2).all(|w| w[0].date < w[1].date));
        }
    }
}
