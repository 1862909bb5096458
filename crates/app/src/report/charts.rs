//! The data of each chart of the report, built from the app's own results.

use riskcurve_core::{Date, SeriesId};
use riskcurve_signals::altseason::{AltseasonParams, AltseasonReport, ALTSEASON_AT, BITCOIN_SEASON_AT};
use riskcurve_signals::breakout::{BreakoutEvent, BreakoutParams, BreakoutReport, Status as BreakoutStatus};
use riskcurve_signals::cycles::{halving_cycles, CyclesReport, HALVINGS};
use riskcurve_signals::rotation::{Quadrant, RotationParams, DEFAULT_RUNGS};
use riskcurve_signals::spec::SignalSpec;
use riskcurve_store::SourceSummary;
use serde::Serialize;

use super::cycles::{cycle_paths, CyclePath};
use super::line::{last_of_each_week, running_max, Line};
use super::Part;
use crate::check::{check, CheckRequest};
use crate::leadlag::{leadlag, LeadLag, LeadLagRequest, LeadLagResult};
use crate::rotation::{rotation, RotationRequest};
use crate::{altseason, liquidity, load, series, App, Result};

/// The breakout chart: the series on a log scale, its all-time high, the
/// consolidations and breakouts, and BTC beside it.
#[derive(Debug, Clone, Serialize)]
pub struct PriceChart {
    /// The series (or ratio) the breakouts are detected on.
    pub series: String,
    /// Its name.
    pub name: String,
    /// The breakout spec drawn.
    pub spec: String,
    /// `weekly`: the last close of each week (events and the high are from daily closes).
    pub resolution: String,
    /// The closes (or highs, with `basis=high`).
    pub close: Line,
    /// The running all-time high of the same prices.
    pub all_time_high: Line,
    /// Each breakout: its consolidation runs from `prior_high_date` to `date`.
    pub events: Vec<BreakoutEvent>,
    /// The series now: last close, all-time high, distance.
    pub status: BreakoutStatus,
    /// Bitcoin's weekly closes over the same span.
    pub btc: Part<Line>,
}

/// The breakout chart of a breakout signal's series (of the default
/// `breakout:rut:min-days=365` for any other signal).
pub fn price_chart(app: &App, spec: &SignalSpec) -> Result<PriceChart> {
    let (series, params) = match spec {
        SignalSpec::Breakout { series, params } => (series.clone(), *params),
        _ => ("rut".to_string(), BreakoutParams::default()),
    };
    let drawn = SignalSpec::Breakout { series: series.clone(), params };
    let store = app.open_store()?;
    let bars = load::bars_or_ratio(&store, &series)?;
    let report = BreakoutReport::new(&series, &bars, params)?;
    let prices = riskcurve_core::Series::new(
        bars.bars().iter().map(|b| b.date).collect(),
        bars.bars().iter().map(|b| params.basis.price(b)).collect(),
    )?;
    let name = series
        .parse::<SeriesId>()
        .ok()
        .and_then(|id| store.series_meta(&id).ok().flatten())
        .map_or_else(|| series.clone(), |m| m.name);
    let first = prices.first_date();
    let btc = Part::from(load::closes(&store, "btc").map(|c| Line::weekly(&c.between(first, None))));
    Ok(PriceChart {
        series,
        name,
        spec: drawn.to_string(),
        resolution: "weekly".into(),
        close: Line::weekly(&prices),
        all_time_high: Line::weekly(&running_max(&prices)),
        events: report.events,
        status: report.status,
        btc,
    })
}

/// Net liquidity and its components on NYSE closes, as published by each
/// close, one row a week (the last session of each week).
#[derive(Debug, Clone, Serialize)]
pub struct LiquidityChart {
    /// Unit of every amount.
    pub unit: String,
    /// `weekly`: the last NYSE session of each week.
    pub resolution: String,
    /// The sessions.
    pub dates: Vec<Date>,
    /// WALCL - TGA - RRP.
    pub net_liquidity: Vec<f64>,
    /// The Fed's balance sheet (WALCL).
    pub walcl: Vec<f64>,
    /// The Treasury General Account (WTREGEN).
    pub tga: Vec<f64>,
    /// Overnight reverse repos (RRPONTSYD).
    pub rrp: Vec<f64>,
    /// Bitcoin's weekly closes over the same span.
    pub btc: Part<Line>,
}

/// The liquidity chart's data.
pub fn liquidity_chart(app: &App) -> Result<LiquidityChart> {
    let store = app.open_store()?;
    let r = liquidity::report(app, &store, riskcurve_core::Calendar::Nyse, None, None, 0.0)?;
    let dates: Vec<Date> = r.observations.iter().map(|o| o.date).collect();
    let rows: Vec<_> = last_of_each_week(&dates).into_iter().map(|i| &r.observations[i]).collect();
    let first = rows.first().map(|o| o.date);
    let btc = Part::from(load::closes(&store, "btc").map(|c| Line::weekly(&c.between(first, None))));
    Ok(LiquidityChart {
        unit: r.unit,
        resolution: "weekly".into(),
        dates: rows.iter().map(|o| o.date).collect(),
        net_liquidity: rows.iter().map(|o| o.net_liquidity).collect(),
        walcl: rows.iter().map(|o| o.walcl).collect(),
        tga: rows.iter().map(|o| o.tga).collect(),
        rrp: rows.iter().map(|o| o.rrp).collect(),
        btc,
    })
}

/// Halving cycles overlaid, with the `cycles` command's table.
#[derive(Debug, Clone, Serialize)]
pub struct CycleChart {
    /// `btc`.
    pub asset: String,
    /// Each cycle's path, oldest first.
    pub paths: Vec<CyclePath>,
    /// Each cycle at the current cycle's elapsed days: return, peak, drawdown.
    pub summary: CyclesReport,
}

/// The halving-cycle chart's data.
pub fn cycle_chart(app: &App) -> Result<CycleChart> {
    let store = app.open_store()?;
    let closes = load::closes(&store, "btc")?;
    let summary = halving_cycles(&closes, None, app.today)?;
    Ok(CycleChart { asset: "btc".into(), paths: cycle_paths(&closes, &HALVINGS, app.today), summary })
}

/// The altcoin season index and its thresholds.
#[derive(Debug, Clone, Serialize)]
pub struct AltseasonChart {
    /// At or below: bitcoin season.
    pub bitcoin_season_at: f64,
    /// At or above: altcoin season.
    pub altseason_at: f64,
    /// The index history (every day) with the coins behind each value.
    #[serde(flatten)]
    pub report: AltseasonReport,
}

/// The altseason chart's data (blockchaincenter rule: top 50, 90 days).
pub fn altseason_chart(app: &App) -> Result<AltseasonChart> {
    let report = altseason::altseason_index(app, &AltseasonParams::default(), None, None)?;
    Ok(AltseasonChart { bitcoin_season_at: BITCOIN_SEASON_AT, altseason_at: ALTSEASON_AT, report })
}

/// The rotation graph's recent tails and the stage history.
#[derive(Debug, Clone, Serialize)]
pub struct RotationChart {
    /// The last week.
    pub as_of: Date,
    /// Weeks in each tail.
    pub tail_weeks: usize,
    /// The formulas' parameters.
    pub params: RotationParams,
    /// Stage names (index = stage).
    pub stage_names: Vec<String>,
    /// The stage now.
    pub stage: usize,
    /// Each rung against the one before it: its last `tail_weeks` points.
    pub tails: Vec<RotationTail>,
    /// The stage each week.
    pub stages: Line,
    /// Caveats from the rotation.
    pub warnings: Vec<String>,
}

/// One rung's recent path in the (RS-Ratio, RS-Momentum) plane.
#[derive(Debug, Clone, Serialize)]
pub struct RotationTail {
    /// The rung.
    pub rung: String,
    /// The rung it is measured against.
    pub vs: String,
    /// `btc vs rut` in words.
    pub label: String,
    /// The points, oldest first; the last is now.
    pub points: Vec<TailPoint>,
    /// The quadrant now.
    pub quadrant: Quadrant,
}

/// One week of a tail.
#[derive(Debug, Clone, Serialize)]
pub struct TailPoint {
    /// The week's date.
    pub date: Date,
    /// RS-Ratio (100 = in line with the rung before).
    pub rs_ratio: f64,
    /// RS-Momentum (100 = RS-Ratio unchanged).
    pub rs_momentum: f64,
}

/// The rotation chart's data over the default rungs.
pub fn rotation_chart(app: &App, tail_weeks: usize) -> Result<RotationChart> {
    let req = RotationRequest {
        rungs: DEFAULT_RUNGS.iter().map(|(n, _)| n.to_string()).collect(),
        params: RotationParams::default(),
        from: None,
        to: None,
    };
    let r = rotation(app, &req)?;
    let Some(current) = r.current.clone() else {
        return crate::failed("rotation: no week has every rung");
    };
    let label = |id: &str| DEFAULT_RUNGS.iter().find(|(n, _)| *n == id).map_or(id, |(_, l)| l).to_string();
    let recent = &r.observations[r.observations.len().saturating_sub(tail_weeks)..];
    let tails = current
        .rungs
        .iter()
        .map(|now| RotationTail {
            rung: now.rung.clone(),
            vs: now.vs.clone(),
            label: format!("{} vs {}", label(&now.rung), label(&now.vs)),
            points: recent
                .iter()
                .filter_map(|row| {
                    let s = row.rungs.iter().find(|s| s.rung == now.rung)?;
                    Some(TailPoint { date: row.date, rs_ratio: s.rs_ratio, rs_momentum: s.rs_momentum })
                })
                .collect(),
            quadrant: now.quadrant,
        })
        .collect();
    Ok(RotationChart {
        as_of: current.date,
        tail_weeks,
        params: r.params,
        stage_names: r.stage_names.clone(),
        stage: current.stage,
        tails,
        stages: Line {
            dates: r.observations.iter().map(|o| o.date).collect(),
            values: r.observations.iter().map(|o| o.stage as f64).collect(),
        },
        warnings: r.warnings,
    })
}

/// Does the Russell 2000 lead Bitcoin? Weekly returns, 12 lags, 999
/// bootstrap replications (the `leadlag` defaults).
pub fn leadlag_chart(app: &App) -> Result<Box<LeadLag>> {
    let req = LeadLagRequest {
        lead: "rut".into(),
        lag: "btc".into(),
        freq: "weekly".into(),
        max_lag: 12,
        from: None,
        to: None,
        window: None,
        replications: 999,
        seed: 42,
        all: Vec::new(),
    };
    match leadlag(app, &req)? {
        LeadLagResult::Pair(pair) => Ok(pair),
        LeadLagResult::Matrix(_) => unreachable!("no matrix was asked for"),
    }
}

/// Every stored series: where it comes from, what it covers, how fresh and
/// how clean it is.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The date staleness is judged against.
    pub today: Date,
    /// One row per series, by id.
    pub series: Vec<ProvenanceRow>,
}

/// One stored series' provenance and quality.
#[derive(Debug, Clone, Serialize)]
pub struct ProvenanceRow {
    /// Series id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Asset class.
    pub class: String,
    /// Stored unit.
    pub unit: String,
    /// Calendar.
    pub calendar: String,
    /// First date.
    pub first: Option<Date>,
    /// Last date.
    pub last: Option<Date>,
    /// Dates in the merged view.
    pub rows: u64,
    /// Sources, best first, each with its rows and span.
    pub sources: Vec<SourceSummary>,
    /// For rows seeded from the embedded snapshot (source `snapshot`): the
    /// sources the snapshot took them from.
    pub snapshot_sources: Vec<String>,
    /// Sessions since the last value that should be public by today.
    pub stale_days: Option<i32>,
    /// Runs of missing sessions.
    pub gaps: usize,
    /// Missing sessions in those runs.
    pub missing_sessions: usize,
    /// Return outliers (robust z above 10).
    pub outliers: usize,
    /// Dates whose open/high/low/close contradict each other.
    pub ohlc_inconsistent: usize,
}

/// The source name of rows seeded from the embedded snapshot.
const SNAPSHOT_SOURCE: &str = "snapshot";

/// `series list` and `check` side by side, and where seeded rows came from.
pub fn provenance(app: &App) -> Result<Provenance> {
    let list = series::list(app)?;
    let checks = check(app, &CheckRequest { series: Vec::new(), z: 10.0, today: None })?;
    let seeded = list.iter().any(|s| s.sources.iter().any(|src| src.source == SNAPSHOT_SOURCE));
    let snapshot = if seeded { crate::snapshot::embedded().ok() } else { None };
    let origins = |id: &str| -> Vec<String> {
        snapshot
            .as_ref()
            .and_then(|s| s.series.iter().find(|i| i.id == id))
            .map_or_else(Vec::new, |i| i.sources.clone())
    };
    let rows = list
        .into_iter()
        .map(|s| {
            let c = checks.series.iter().find(|c| c.id == s.id);
            let seeded = s.sources.iter().any(|src| src.source == SNAPSHOT_SOURCE);
            ProvenanceRow {
                snapshot_sources: if seeded { origins(&s.id) } else { Vec::new() },
                stale_days: c.and_then(|c| c.stale_days),
                gaps: c.map_or(0, |c| c.gaps.len()),
                missing_sessions: c.map_or(0, |c| c.gaps.iter().map(|g| g.missing).sum()),
                outliers: c.map_or(0, |c| c.outliers.len()),
                ohlc_inconsistent: c.map_or(0, |c| c.ohlc_inconsistent.len()),
                id: s.id,
                name: s.name,
                class: s.class,
                unit: s.unit,
                calendar: s.calendar,
                first: s.first,
                last: s.last,
                rows: s.rows,
                sources: s.sources,
            }
        })
        .collect();
    Ok(Provenance { today: checks.today, series: rows })
}

/// The report's backtest: buy Bitcoin on the first bar after each event of
/// the report's signal with the `backtest` command's defaults (hold 180
/// days, 10 bp fee and 5 bp slippage a side). The equity curves are thinned to the
/// last close of each week; trades and metrics are from the daily run.
pub fn backtest_chart(app: &App, spec: &SignalSpec) -> Result<crate::backtest::BacktestOutput> {
    use crate::backtest::{DEFAULT_FEE_BPS, DEFAULT_HOLD_DAYS, DEFAULT_SLIPPAGE_BPS};
    use riskcurve_backtest::{Costs, Rules};
    let req = crate::backtest::BacktestRequest {
        signal: spec.clone(),
        target: "btc".into(),
        rules: Rules {
            hold_days: Some(DEFAULT_HOLD_DAYS),
            stop_pct: None,
            trail_pct: None,
            costs: Costs { fee_bps: DEFAULT_FEE_BPS, slippage_bps: DEFAULT_SLIPPAGE_BPS },
        },
        exit_signal: None,
        from: None,
        to: None,
        cash_yield: false,
    };
    let mut out = crate::backtest::backtest(app, &req)?;
    let weekly = |curve: &[(Date, f64)]| {
        let dates: Vec<Date> = curve.iter().map(|c| c.0).collect();
        last_of_each_week(&dates).into_iter().map(|i| curve[i]).collect()
    };
    out.result.equity = weekly(&out.result.equity);
    out.result.buy_and_hold_equity = weekly(&out.result.buy_and_hold_equity);
    Ok(out)
}
