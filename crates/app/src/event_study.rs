//! What followed each occurrence of a signal, how it compares with every
//! other date, and how often chance does as well.

use riskcurve_core::{Date, Series};
use riskcurve_signals::altseason::{AltseasonParams, AltseasonRule};
use riskcurve_signals::breakout::{detect_breakouts, level_crossings};
use riskcurve_signals::cycles::HALVINGS;
use riskcurve_signals::liquidity::regime_onsets;
use riskcurve_signals::rotation::Rebalance;
use riskcurve_signals::spec::SignalSpec;
use riskcurve_stats::{EventStudy, EventStudyResult, EventStudyTarget};
use riskcurve_store::Store;
use serde::Serialize;

use crate::{altseason, bad, liquidity, load, rotation, App, Result};

/// An event study's result with the signal it studied.
#[derive(Debug, Clone, Serialize)]
pub struct EventStudyOutput {
    /// The signal spec, normalised.
    pub signal: String,
    /// Events, per-target tables, verdict and settings.
    #[serde(flatten)]
    pub result: EventStudyResult,
    /// With an `alts` target: the basket's membership at each event.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alt_basket: Vec<BasketAtEvent>,
    /// Caveats, e.g. months where the alt basket is today's universe.
    pub warnings: Vec<String>,
}

/// What the alt basket held on an event date.
#[derive(Debug, Clone, Serialize)]
pub struct BasketAtEvent {
    /// The event.
    pub event: Date,
    /// The month's rebalance: base date, snapshot, coins listed and held.
    #[serde(flatten)]
    pub rebalance: Rebalance,
}

/// Runs `event-study` on the stored data.
pub fn event_study(app: &App, req: &Request) -> Result<EventStudyOutput> {
    let store = app.open_store()?;
    let (_, result) = study(app, &store, req)?;
    let (mut alt_basket, mut warnings) = (Vec::new(), Vec::new());
    if req.targets.iter().any(|t| t == "alts") {
        let basket = rotation::basket(app, &store, &["btc", "eth"])?;
        alt_basket = result
            .events
            .iter()
            .filter_map(|e| basket.at(e.date).map(|r| BasketAtEvent { event: e.date, rebalance: r.clone() }))
            .collect();
        warnings = basket.warnings();
    }
    Ok(EventStudyOutput { signal: req.spec.to_string(), result, alt_basket, warnings })
}

/// The halving-cycle year of a date: 0-3 after the latest halving on or
/// before it (a longer gap counts as 3), 4 before the first halving.
fn halving_phase(date: Date) -> u32 {
    match HALVINGS.iter().rev().find(|h| **h <= date) {
        Some(h) => (date.days_since(*h) / 365).min(3) as u32,
        None => 4,
    }
}

/// What to study; `to` cuts every series (the claims checker's `--as-of`).
pub struct Request<'a> {
    /// The signal.
    pub spec: &'a SignalSpec,
    /// Stored series, ratios or `alts` (the alt basket).
    pub targets: &'a [String],
    /// Horizons, placebos, seed, exclusion window.
    pub study: EventStudy,
    /// Only events on or after this date.
    pub from: Option<Date>,
    /// Nothing after this date is seen.
    pub to: Option<Date>,
    /// Draw placebos from the same halving-cycle year.
    pub stratify_halving: bool,
}

/// Runs an event study of a signal on stored targets; returns the events too.
pub fn study(app: &App, store: &Store, req: &Request) -> Result<(Vec<Date>, EventStudyResult)> {
    let (mut events, mut eligible) = occurrences(app, store, req.spec)?;
    let inside = |d: &Date| req.from.is_none_or(|f| *d >= f) && req.to.is_none_or(|t| *d <= t);
    events.retain(inside);
    eligible.retain(inside);
    let mut closes: Vec<(String, Series)> = Vec::new();
    for t in req.targets {
        // A forward "return" of a yield is no return (issue 10 item 15).
        crate::leadlag::refuse_rate(app, store, t, "an event-study target")?;
        closes.push((t.clone(), rotation::target_closes(app, store, t)?.between(None, req.to)));
    }
    let targets: Vec<EventStudyTarget> =
        closes.iter().map(|(name, closes)| EventStudyTarget { name, closes }).collect();
    let strata: Option<&dyn Fn(Date) -> u32> = if req.stratify_halving { Some(&halving_phase) } else { None };
    let result = req.study.run(&events, &eligible, &targets, strata)?;
    Ok((events, result))
}

/// The dates a signal fired on and the dates it could have fired on.
///
/// Breakouts and level crossings fire on their bar; `halving` on the four
/// halvings (eligible: every BTC date); `liquidity:R` and `altseason:...`
/// fire on the first row of each spell in which the condition holds (an
/// onset), eligible being every row of that indicator.
pub fn occurrences(app: &App, store: &Store, spec: &SignalSpec) -> Result<(Vec<Date>, Vec<Date>)> {
    let (events, eligible) = match spec {
        SignalSpec::Breakout { series, params } => {
            let bars = load::bars_or_ratio(store, series)?;
            let events = detect_breakouts(&bars, *params)?.into_iter().map(|e| e.date).collect();
            (events, bars.bars().iter().map(|b| b.date).collect())
        }
        SignalSpec::Level { series, level, basis } => {
            let bars = load::bars_or_ratio(store, series)?;
            let events = level_crossings(&bars, *level, *basis).into_iter().map(|e| e.date).collect();
            (events, bars.bars().iter().map(|b| b.date).collect())
        }
        SignalSpec::Halving => {
            let btc = load::closes(store, "btc")?;
            (HALVINGS.to_vec(), btc.dates().to_vec())
        }
        SignalSpec::Liquidity { regime } => {
            let report = liquidity::report(app, store, riskcurve_core::Calendar::Nyse, None, None, 0.0)?;
            // Rows before the regime is computable are neither regime: the
            // first computable row is no onset (issue 10 item 23).
            regime_onsets(&report.observations, *regime)
        }
        SignalSpec::Altseason { rule, op, threshold } => {
            let rule: AltseasonRule = rule.parse()?;
            let report = altseason::report(app, store, &AltseasonParams { rule, ..AltseasonParams::default() })?;
            let holds = |v: f64| op.holds(v, *threshold);
            let rows: Vec<(Date, bool)> = report.observations.iter().map(|r| (r.date, holds(r.index))).collect();
            onsets(&rows)
        }
    };
    if events.is_empty() {
        return bad(format!("signal {spec}: no events in the stored data"));
    }
    Ok((events, eligible))
}

/// The first date of each spell where the condition holds (a spell already
/// running on the first row is not an onset), and all dates.
fn onsets(rows: &[(Date, bool)]) -> (Vec<Date>, Vec<Date>) {
    let events = rows.windows(2).filter(|w| w[1].1 && !w[0].1).map(|w| w[1].0).collect();
    (events, rows.iter().map(|(d, _)| *d).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halving_phase_counts_years_since_the_last_halving() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(halving_phase(d("2012-01-01")), 4);
        assert_eq!(halving_phase(d("2016-07-09")), 0);
        assert_eq!(halving_phase(d("2017-07-09")), 1);
        assert_eq!(halving_phase(d("2020-05-10")), 3);
        assert_eq!(halving_phase(d("2020-11-13")), 0);
    }

    #[test]
    fn onsets_are_the_first_day_of_each_spell() {
        // Hand-made: holds on days 0-1 (running at the start), 3-4 and 6.
        let d = |i: i32| Date::from_ymd(2024, 1, 1).unwrap().add_days(i);
        let flags = [true, true, false, true, true, false, true];
        let rows: Vec<(Date, bool)> = flags.iter().enumerate().map(|(i, f)| (d(i as i32), *f)).collect();
        let (events, eligible) = onsets(&rows);
        assert_eq!(events, vec![d(3), d(6)]);
        assert_eq!(eligible.len(), 7);
    }
}
