//! Breakouts to new all-time highs after a consolidation, or first closes
//! above a round level, for any stored series or `a/b` ratio.

use riskcurve_core::{BarSeries, Date};
use riskcurve_signals::breakout::{level_crossings, Basis, BreakoutParams, BreakoutReport, LevelEvent};
use riskcurve_signals::ratio::{trend_now, TrendState};
use serde::Serialize;

use crate::{load, App, Result};

/// What `breakouts` asks for.
#[derive(Debug, Clone)]
pub struct BreakoutRequest {
    /// Series id or ratio `a/b`.
    pub series: String,
    /// The breakout definition.
    pub params: BreakoutParams,
    /// Instead of breakouts: first closes above this level.
    pub level: Option<f64>,
    /// Window of the moving average a ratio's trend is judged against.
    pub trend_window: usize,
    /// Only events on or after this date.
    pub from: Option<Date>,
    /// Only data up to this date (an as-of cut: nothing after it is seen).
    pub to: Option<Date>,
}

/// Breakouts of a series with its status now, and for a ratio its trend.
#[derive(Debug, Clone, Serialize)]
pub struct Breakouts {
    /// Events, parameters and the status at the last bar.
    #[serde(flatten)]
    pub report: BreakoutReport,
    /// First date of the data: highs before it are unknown.
    pub first_date: Option<Date>,
    /// A ratio's trend against its moving average.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendState>,
    /// The trend's moving-average window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend_window: Option<usize>,
    /// Events whose consolidation spans a hole in the data longer than the
    /// look-back: the prior high may not have stood, the data just stops.
    pub warnings: Vec<String>,
}

/// One warning per event whose span from the prior high holds a gap between
/// consecutive bars longer than `min_days` calendar days.
fn gap_warnings(series: &str, bars: &BarSeries, report: &BreakoutReport) -> Vec<String> {
    let dates: Vec<Date> = bars.bars().iter().map(|b| b.date).collect();
    report
        .events
        .iter()
        .filter_map(|e| {
            let (from, to) = (dates.partition_point(|d| *d < e.prior_high_date), dates.partition_point(|d| *d <= e.date));
            let (gap, start) = dates[from..to]
                .windows(2)
                .map(|w| (w[1].days_since(w[0]), w[0]))
                .max_by_key(|(g, _)| *g)?;
            (gap > report.params.min_days as i32).then(|| {
                format!(
                    "{series}: the breakout of {} spans a {gap}-day hole in the data from {start}, longer than the {}-day look-back: the prior high of {} may not have stood that long",
                    e.date, report.params.min_days, e.prior_high_date
                )
            })
        })
        .collect()
}

/// First closes above a level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCrossings {
    /// Series id or ratio.
    pub series: String,
    /// The level.
    pub level: f64,
    /// Close or high.
    pub basis: Basis,
    /// Each crossing from below.
    pub events: Vec<LevelEvent>,
}

/// Either result of `breakouts`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum BreakoutsResult {
    /// Breakouts above an all-time high.
    Breakouts(Breakouts),
    /// Crossings of a level.
    Level(LevelCrossings),
}

/// Runs `breakouts`.
pub fn breakouts(app: &App, req: &BreakoutRequest) -> Result<BreakoutsResult> {
    let store = app.open_store()?;
    let bars = load::bars_or_ratio(&store, &req.series)?;
    let bars = match req.to {
        Some(to) => load::cut_bars(&bars, to, &req.series)?,
        None => bars,
    };
    let keep = |d: &Date| req.from.is_none_or(|f| *d >= f);
    if let Some(level) = req.level {
        let events = level_crossings(&bars, level, req.params.basis).into_iter().filter(|e| keep(&e.date)).collect();
        return Ok(BreakoutsResult::Level(LevelCrossings {
            series: req.series.clone(),
            level,
            basis: req.params.basis,
            events,
        }));
    }
    let mut report = BreakoutReport::new(&req.series, &bars, req.params)?;
    report.events.retain(|e| keep(&e.date));
    let warnings = gap_warnings(&req.series, &bars, &report);
    let is_ratio = req.series.contains('/');
    let trend = if is_ratio { trend_now(&bars.closes(), req.trend_window)? } else { None };
    Ok(BreakoutsResult::Breakouts(Breakouts {
        report,
        first_date: bars.bars().first().map(|b| b.date),
        trend,
        trend_window: is_ratio.then_some(req.trend_window),
        warnings,
    }))
}
