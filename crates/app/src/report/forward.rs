//! What followed each event of the report's signal: every target's forward
//! path against the placebo band, and the event study's per-event table.

use riskcurve_core::{Date, SeriesId};
use riskcurve_signals::breakout::detect_breakouts;
use riskcurve_signals::spec::SignalSpec;
use riskcurve_stats::{EntryRule, EventStudy, EventStudyResult};
use serde::Serialize;

use super::paths::{away_from_events, forward_path, placebo_band, EventPath, PlaceboBand};
use super::{Part, ReportRequest};
use crate::event_study::{occurrences, study, Request};
use crate::rotation::target_closes;
use crate::{bad_input, load, App, Result};

/// The forward paths of every target after every event, and the event study.
#[derive(Debug, Clone, Serialize)]
pub struct ForwardPaths {
    /// The signal, normalised.
    pub signal: String,
    /// The events, with how each breakout ended.
    pub events: Vec<SignalEvent>,
    /// Days each path runs after its entry.
    pub horizon_days: u32,
    /// Days either side of an event left out of the placebo pool.
    pub exclude_days: u32,
    /// Random dates per band (and placebo sets per event-study test).
    pub placebos: usize,
    /// The seed of every draw.
    pub seed: u64,
    /// One entry per target, in the order asked for.
    pub targets: Vec<TargetPaths>,
    /// The event study over the targets that are stored (per-event returns
    /// at each horizon, means, placebo p-values, verdicts).
    pub study: Part<EventStudyResult>,
}

/// An occurrence of the signal.
#[derive(Debug, Clone, Serialize)]
pub struct SignalEvent {
    /// Its date.
    pub date: Date,
    /// For a breakout: `held`, `failed YYYY-MM-DD` or `pending`.
    pub outcome: Option<String>,
}

/// One target's paths.
#[derive(Debug, Clone, Serialize)]
pub struct TargetPaths {
    /// The target (`btc`, `eth`, `alts`).
    pub target: String,
    /// Its name.
    pub name: String,
    /// The paths and the band, or why there are none.
    pub paths: Part<TargetPathData>,
}

/// A target's event paths and its placebo band.
#[derive(Debug, Clone, Serialize)]
pub struct TargetPathData {
    /// One path per event the target could be entered on.
    pub events: Vec<EventPath>,
    /// 5-50-95% of the paths from random eligible dates, or `None` when no
    /// eligible date has a complete horizon.
    pub band: Option<PlaceboBand>,
}

/// The forward paths and event study of the report's signal.
pub fn forward_paths(app: &App, req: &ReportRequest, spec: &SignalSpec) -> Result<ForwardPaths> {
    let store = app.open_store()?;
    let (events, eligible) = occurrences(app, &store, spec)?;
    let outcomes = breakout_outcomes(&store, spec)?;
    let pool = away_from_events(&eligible, &events, req.exclude_days);
    let rule = EntryRule::STRICTLY_AFTER;
    let mut targets = Vec::new();
    let mut stored = Vec::new();
    for target in &req.targets {
        let name = match target.as_str() {
            "alts" => "alt basket (equal-weight)".to_string(),
            id => id
                .parse::<SeriesId>()
                .ok()
                .and_then(|sid| store.series_meta(&sid).ok().flatten())
                .map_or_else(|| id.to_string(), |m| m.name),
        };
        let paths = target_closes(app, &store, target).map(|closes| {
            stored.push(target.clone());
            TargetPathData {
                events: events.iter().filter_map(|e| forward_path(&closes, *e, req.horizon_days, rule)).collect(),
                band: placebo_band(&closes, &pool, req.horizon_days, req.placebos, req.seed, rule),
            }
        });
        targets.push(TargetPaths { target: target.clone(), name, paths: Part::from(paths) });
    }
    let study = if stored.is_empty() {
        Part::NoData("none of the targets is stored".into())
    } else {
        let settings = EventStudy::new(&req.horizons)
            .map_err(bad_input)?
            .placebos(req.placebos)
            .seed(req.seed)
            .exclude_days(req.exclude_days);
        let request =
            Request { spec, targets: &stored, study: settings, from: None, to: None, stratify_halving: false };
        Part::from(study(app, &store, &request).map(|(_, result)| result))
    };
    Ok(ForwardPaths {
        signal: spec.to_string(),
        events: events.iter().map(|d| SignalEvent { date: *d, outcome: outcomes(*d) }).collect(),
        horizon_days: req.horizon_days,
        exclude_days: req.exclude_days,
        placebos: req.placebos,
        seed: req.seed,
        targets,
        study,
    })
}

/// For a breakout signal, how each event ended, by date.
fn breakout_outcomes(store: &riskcurve_store::Store, spec: &SignalSpec) -> Result<impl Fn(Date) -> Option<String>> {
    let events = match spec {
        SignalSpec::Breakout { series, params } => detect_breakouts(&load::bars_or_ratio(store, series)?, *params)?,
        _ => Vec::new(),
    };
    Ok(move |date: Date| {
        let e = events.iter().find(|e| e.date == date)?;
        Some(match (e.failed, e.failed_date, e.complete) {
            (true, Some(d), _) => format!("failed {d}"),
            (true, None, _) => "failed".to_string(),
            (false, _, true) => "held".to_string(),
            (false, _, false) => "pending".to_string(),
        })
    })
}
