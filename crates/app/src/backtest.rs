//! Backtests of a signal on a target, and parameter sweeps with the
//! overfitting controls (Deflated Sharpe Ratio, PBO, walk-forward).
//!
//! The entry rule is the event study's: the first target close strictly
//! after the signal's date (an equity signal on date D, known after 16:00
//! ET, acts on the crypto close of D+1 at the earliest). Exit signals act the
//! same way. `to` is an as-of cut for every input.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use riskcurve_backtest::{
    backtest as simulate, deflated_sharpe_ratio, per_period_sharpe, probability_of_backtest_overfitting, walk_forward,
    Backtest, Costs, DeflatedSharpe, Market, Metrics, Pbo, PeriodsPerYear, Rules, WalkForward,
};
use riskcurve_core::{Bar, BarSeries, Calendar, Date, Series, SeriesId};
use riskcurve_signals::breakout::{detect_breakouts, BreakoutParams};
use riskcurve_signals::spec::{Regime, SignalSpec};
use riskcurve_store::Store;
use serde::{Deserialize, Serialize};

use crate::event_study::occurrences;
use crate::{bad, bad_input, liquidity, load, rotation, App, Progress, Result};

/// `backtest`'s defaults, which the report's backtest uses too.
pub const DEFAULT_HOLD_DAYS: u32 = 180;
/// Fee per side, basis points.
pub const DEFAULT_FEE_BPS: f64 = 10.0;
/// Slippage per side, basis points.
pub const DEFAULT_SLIPPAGE_BPS: f64 = 5.0;

/// What `backtest` asks for.
#[derive(Debug, Clone)]
pub struct BacktestRequest {
    /// The entry signal.
    pub signal: SignalSpec,
    /// A stored series, a ratio, or `alts` (the alt basket).
    pub target: String,
    /// Exits and costs.
    pub rules: Rules,
    /// An exit signal.
    pub exit_signal: Option<SignalSpec>,
    /// First bar of the backtest.
    pub from: Option<Date>,
    /// Last bar (nothing after it is used).
    pub to: Option<Date>,
    /// Earn the `dff` rate (as stored) while flat.
    pub cash_yield: bool,
}

/// `backtest`: the trades, the equity curve and the metrics, with buy-and-hold.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestOutput {
    /// The entry signal.
    pub signal: String,
    /// The exit signal.
    pub exit_signal: Option<String>,
    /// The target.
    pub target: String,
    /// The target's calendar (sets the annualisation).
    pub calendar: String,
    /// Exits and costs.
    pub rules: Rules,
    /// Whether flat periods earned the `dff` rate.
    pub cash_yield: bool,
    /// Signals in the window (each acts on the next bar).
    pub signals: usize,
    /// Trades, equity, metrics, buy-and-hold.
    #[serde(flatten)]
    pub result: Backtest,
}

/// The inputs every configuration of a target shares, loaded once.
struct TargetData {
    bars: BarSeries,
    periods: PeriodsPerYear,
    calendar: Calendar,
}

fn target_data(app: &App, store: &Store, target: &str, from: Option<Date>, to: Option<Date>) -> Result<TargetData> {
    // Holding a yield earns no return (issue 10 item 15).
    crate::leadlag::refuse_rate(app, store, target, "a backtest target")?;
    let (bars, calendar) = if target == "alts" || target.contains('/') {
        let closes = rotation::target_closes(app, store, target)?;
        let bars = closes.iter().map(|(d, v)| Bar::value(d, v)).collect();
        (BarSeries::new(bars)?, if target == "alts" { Calendar::Crypto } else { Calendar::Nyse })
    } else {
        let id: SeriesId = target.parse().map_err(|e| bad_input(format!("--target {target}: {e}")))?;
        let calendar = store.series_meta(&id)?.map_or(Calendar::Crypto, |m| m.calendar);
        (load::bars(store, target)?, calendar)
    };
    let kept: Vec<Bar> = bars
        .bars()
        .iter()
        .filter(|b| from.is_none_or(|f| b.date >= f) && to.is_none_or(|t| b.date <= t))
        .copied()
        .collect();
    if kept.len() < 2 {
        return bad(format!("--target {target}: fewer than 2 bars in the window"));
    }
    let periods =
        if calendar == Calendar::Crypto { PeriodsPerYear::CRYPTO_DAILY } else { PeriodsPerYear::EQUITY_DAILY };
    Ok(TargetData { bars: BarSeries::new(kept)?, periods, calendar })
}

fn signal_dates(app: &App, store: &Store, spec: &SignalSpec, to: Option<Date>) -> Result<Vec<Date>> {
    let (mut events, _) = occurrences(app, store, spec)?;
    events.retain(|d| to.is_none_or(|t| *d <= t));
    Ok(events)
}

fn cash_rate(store: &Store, on: bool) -> Result<Option<Series>> {
    if !on {
        return Ok(None);
    }
    load::closes(store, "dff").map(Some).map_err(|e| bad_input(format!("--cash-yield needs dff: {}", e.one_line())))
}

/// Runs a backtest.
pub fn backtest(app: &App, req: &BacktestRequest) -> Result<BacktestOutput> {
    let store = app.open_store()?;
    let data = target_data(app, &store, &req.target, req.from, req.to)?;
    let entries = signal_dates(app, &store, &req.signal, req.to)?;
    let exits = match &req.exit_signal {
        Some(spec) => signal_dates(app, &store, spec, req.to)?,
        None => Vec::new(),
    };
    let rate = cash_rate(&store, req.cash_yield)?;
    let market = Market { bars: &data.bars, cash_rate: rate.as_ref(), periods: data.periods };
    let result = simulate(&market, &entries, &exits, &req.rules)?;
    let first = data.bars.bars()[0].date;
    Ok(BacktestOutput {
        signal: req.signal.to_string(),
        exit_signal: req.exit_signal.as_ref().map(|s| s.to_string()),
        target: req.target.clone(),
        calendar: data.calendar.to_string(),
        rules: req.rules,
        cash_yield: req.cash_yield,
        signals: entries.iter().filter(|d| **d >= first).count(),
        result,
    })
}

/// Column heads of [`metrics_cells`] (after a first column naming the row).
pub const METRICS_COLUMNS: [&str; 10] =
    ["total", "CAGR", "volatility", "Sharpe", "Sortino", "max drawdown", "Calmar", "exposure", "trades", "win rate"];

/// A strategy's or buy-and-hold's metrics as table cells, in the order of
/// [`METRICS_COLUMNS`] (empty where a metric does not apply).
pub fn metrics_cells(m: &Metrics) -> Vec<String> {
    use crate::human::{pct, pct_signed};
    let ratio = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    vec![
        pct_signed(m.total_return, 1),
        pct_signed(m.cagr, 1),
        pct(m.volatility, 1),
        ratio(m.sharpe),
        ratio(m.sortino),
        pct_signed(m.max_drawdown, 1),
        ratio(m.calmar),
        m.exposure.map(|e| pct(e, 0)).unwrap_or_default(),
        m.trades.map(|t| t.to_string()).unwrap_or_default(),
        m.win_rate.map(|w| pct(w, 0)).unwrap_or_default(),
    ]
}

/// A sweep grid (TOML): every combination of the lists is one configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// The signal; for a breakout spec, `min_days`, `margin_pct` and `confirm_days` are swept.
    pub signal: String,
    /// Targets.
    #[serde(default = "default_targets")]
    pub targets: Vec<String>,
    /// Breakout look-backs.
    #[serde(default)]
    pub min_days: Vec<u32>,
    /// Breakout margins in percent.
    #[serde(default)]
    pub margin_pct: Vec<f64>,
    /// Breakout confirmation bars.
    #[serde(default)]
    pub confirm_days: Vec<u32>,
    /// Holding periods in days.
    pub hold: Vec<u32>,
    /// Stops in percent (0 = none).
    #[serde(default)]
    pub stop_pct: Vec<f64>,
    /// Trailing stops in percent (0 = none).
    #[serde(default)]
    pub trail_pct: Vec<f64>,
    /// Enter only while net liquidity is expanding at the signal's date.
    #[serde(default)]
    pub liquidity_filter: Vec<bool>,
    /// Fee per side, basis points.
    #[serde(default = "default_fee")]
    pub fee_bps: f64,
    /// Slippage per side, basis points.
    #[serde(default = "default_slippage")]
    pub slippage_bps: f64,
    /// First bar.
    pub from: Option<Date>,
    /// Last bar.
    pub to: Option<Date>,
    /// PBO blocks (even, 2-16).
    #[serde(default = "default_blocks")]
    pub blocks: usize,
    /// Walk-forward out-of-sample segments.
    #[serde(default = "default_folds")]
    pub folds: usize,
}

fn default_targets() -> Vec<String> {
    vec!["btc".into()]
}
fn default_fee() -> f64 {
    10.0
}
fn default_slippage() -> f64 {
    5.0
}
fn default_blocks() -> usize {
    10
}
fn default_folds() -> usize {
    4
}

/// The most configurations one sweep may hold.
pub const MAX_CONFIGS: usize = 20_000;

/// One configuration of a sweep and its result.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRow {
    /// Index in the sweep.
    pub config: usize,
    /// Target.
    pub target: String,
    /// The signal with this configuration's parameters.
    pub signal: String,
    /// Holding period.
    pub hold: u32,
    /// Stop, percent.
    pub stop_pct: Option<f64>,
    /// Trailing stop, percent.
    pub trail_pct: Option<f64>,
    /// Liquidity filter on.
    pub liquidity_filter: bool,
    /// Metrics.
    pub metrics: Metrics,
}

/// `sweep`: every configuration, the best, the distribution, and the controls.
#[derive(Debug, Clone, Serialize)]
pub struct SweepOutput {
    /// Configurations evaluated (the number of trials).
    pub trials: usize,
    /// Every configuration, best Sharpe first.
    pub rows: Vec<SweepRow>,
    /// Quantiles (0, 10, 25, 50, 75, 90, 100%) of the annualised Sharpe ratios.
    pub sharpe_quantiles: Vec<f64>,
    /// Quantiles of the total returns.
    pub total_return_quantiles: Vec<f64>,
    /// The Deflated Sharpe Ratio of the best configuration given all trials.
    pub deflated_sharpe: Option<DeflatedSharpe>,
    /// Probability of backtest overfitting (CSCV).
    pub pbo: Option<Pbo>,
    /// Walk-forward out-of-sample result.
    pub walk_forward: Option<WalkForward>,
    /// Why a control could not be computed.
    pub warnings: Vec<String>,
}

/// Reads a grid file.
pub fn load_grid(path: &Path) -> Result<Grid> {
    let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        bad_input(format!("{}: {}", path.display(), e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))
    })
}

struct Config {
    target: String,
    signal: SignalSpec,
    rules: Rules,
    filter: bool,
}

fn or<T: Clone>(v: &[T], default: T) -> Vec<T> {
    if v.is_empty() {
        vec![default]
    } else {
        v.to_vec()
    }
}

fn configs(grid: &Grid) -> Result<Vec<Config>> {
    let base: SignalSpec = grid.signal.parse().map_err(|e| bad_input(format!("signal {}: {e}", grid.signal)))?;
    let mut signals = Vec::new();
    match &base {
        SignalSpec::Breakout { series, params } => {
            for m in or(&grid.min_days, params.min_days) {
                for g in or(&grid.margin_pct, params.margin_pct) {
                    for c in or(&grid.confirm_days, params.confirm_days) {
                        let p = BreakoutParams { min_days: m, margin_pct: g, confirm_days: c, ..*params };
                        p.validate().map_err(|e| bad_input(format!("grid: {e}")))?;
                        signals.push(SignalSpec::Breakout { series: series.clone(), params: p });
                    }
                }
            }
        }
        other if grid.min_days.is_empty() && grid.margin_pct.is_empty() && grid.confirm_days.is_empty() => {
            signals.push(other.clone())
        }
        other => {
            return bad(format!("grid: min_days, margin_pct and confirm_days apply to breakout signals, not {other}"))
        }
    }
    let nonzero = |v: f64| (v > 0.0).then_some(v);
    let mut out = Vec::new();
    for target in &grid.targets {
        for signal in &signals {
            for &hold in &grid.hold {
                for stop in or(&grid.stop_pct, 0.0) {
                    for trail in or(&grid.trail_pct, 0.0) {
                        for filter in or(&grid.liquidity_filter, false) {
                            out.push(Config {
                                target: target.clone(),
                                signal: signal.clone(),
                                rules: Rules {
                                    hold_days: Some(hold),
                                    stop_pct: nonzero(stop),
                                    trail_pct: nonzero(trail),
                                    costs: Costs { fee_bps: grid.fee_bps, slippage_bps: grid.slippage_bps },
                                },
                                filter,
                            });
                            if out.len() > MAX_CONFIGS {
                                return bad(format!("grid: more than {MAX_CONFIGS} configurations"));
                            }
                        }
                    }
                }
            }
        }
    }
    if out.is_empty() {
        return bad("grid: no configuration (is `hold` empty?)");
    }
    Ok(out)
}

/// Runs every configuration in parallel, then the overfitting controls.
pub fn sweep(app: &App, grid: &Grid, progress: &dyn Progress) -> Result<SweepOutput> {
    let configs = configs(grid)?;
    let store = app.open_store()?;
    // Everything a configuration reads is loaded once, before the parallel part.
    let mut targets = BTreeMap::new();
    for t in &grid.targets {
        targets.insert(t.clone(), target_data(app, &store, t, grid.from, grid.to)?);
    }
    let mut entries: BTreeMap<String, Vec<Date>> = BTreeMap::new();
    for c in &configs {
        if let std::collections::btree_map::Entry::Vacant(slot) = entries.entry(c.signal.to_string()) {
            let dates = match &c.signal {
                SignalSpec::Breakout { series, params } => {
                    let bars = load::bars_or_ratio(&store, series)?;
                    detect_breakouts(&bars, *params)?
                        .into_iter()
                        .map(|e| e.date)
                        .filter(|d| grid.to.is_none_or(|t| *d <= t))
                        .collect()
                }
                other => signal_dates(app, &store, other, grid.to)?,
            };
            slot.insert(dates);
        }
    }
    let expanding: Option<Vec<(Date, bool)>> = if configs.iter().any(|c| c.filter) {
        let rows = liquidity::report(app, &store, Calendar::Nyse, None, grid.to, 0.0)?.observations;
        Some(rows.iter().map(|r| (r.date, r.regime == Some(Regime::Expanding))).collect())
    } else {
        None
    };
    let expanding_on = |d: Date| {
        let rows = expanding.as_deref().unwrap_or_default();
        let i = rows.partition_point(|(x, _)| *x <= d);
        i > 0 && rows[i - 1].1
    };
    progress.start(configs.len() as u64, "sweeping");
    let results: Vec<(Backtest, usize)> = configs
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let data = &targets[&c.target];
            let mut dates = entries[&c.signal.to_string()].clone();
            if c.filter {
                dates.retain(|d| expanding_on(*d));
            }
            let market = Market { bars: &data.bars, cash_rate: None, periods: data.periods };
            let r = simulate(&market, &dates, &[], &c.rules);
            progress.step(&c.target);
            r.map(|r| (r, i))
        })
        .collect::<Result<_, _>>()?;
    progress.finish();

    let mut rows: Vec<SweepRow> = results
        .iter()
        .map(|(r, i)| {
            let c = &configs[*i];
            SweepRow {
                config: *i,
                target: c.target.clone(),
                signal: c.signal.to_string(),
                hold: c.rules.hold_days.unwrap_or_default(),
                stop_pct: c.rules.stop_pct,
                trail_pct: c.rules.trail_pct,
                liquidity_filter: c.filter,
                metrics: r.metrics.clone(),
            }
        })
        .collect();
    let quantiles = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0].iter().map(|q| v[((v.len() - 1) as f64 * q).round() as usize]).collect()
    };
    let sharpe_quantiles = quantiles(rows.iter().map(|r| r.metrics.sharpe.unwrap_or(0.0)).collect());
    let total_return_quantiles = quantiles(rows.iter().map(|r| r.metrics.total_return).collect());
    rows.sort_by(|a, b| {
        b.metrics
            .sharpe
            .unwrap_or(f64::MIN)
            .total_cmp(&a.metrics.sharpe.unwrap_or(f64::MIN))
            .then(a.config.cmp(&b.config))
    });

    // The controls compare configurations on common dates: each equity curve
    // sampled on the dates every target has, returns between them.
    let aligned = aligned_returns(&results, configs.len());
    let mut warnings = Vec::new();
    let per_period_sharpes: Vec<f64> = aligned.iter().map(|r| per_period_sharpe(r)).collect();
    let best = rows[0].config;
    let deflated_sharpe = deflated_sharpe_ratio(&aligned[best], &per_period_sharpes)
        .map_err(|e| warnings.push(format!("deflated Sharpe: {e}")))
        .ok();
    let pbo =
        probability_of_backtest_overfitting(&aligned, grid.blocks).map_err(|e| warnings.push(format!("PBO: {e}"))).ok();
    let periods = targets.values().next().map_or(PeriodsPerYear::CRYPTO_DAILY, |t| t.periods);
    let walk_forward =
        walk_forward(&aligned, grid.folds, periods).map_err(|e| warnings.push(format!("walk-forward: {e}"))).ok();
    Ok(SweepOutput {
        trials: configs.len(),
        rows,
        sharpe_quantiles,
        total_return_quantiles,
        deflated_sharpe,
        pbo,
        walk_forward,
        warnings,
    })
}

/// Per-period returns of every configuration on the dates all share.
fn aligned_returns(results: &[(Backtest, usize)], n: usize) -> Vec<Vec<f64>> {
    let mut common: Option<Vec<Date>> = None;
    for (r, _) in results {
        let dates: Vec<Date> = r.equity.iter().map(|e| e.0).collect();
        common = Some(match common {
            None => dates,
            Some(c) => c.into_iter().filter(|d| dates.binary_search(d).is_ok()).collect(),
        });
    }
    let common = common.unwrap_or_default();
    let mut out = vec![Vec::new(); n];
    for (r, i) in results {
        let values: Vec<f64> = common.iter().map(|d| r.equity[r.equity.partition_point(|e| e.0 < *d)].1).collect();
        out[*i] = values.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
    }
    out
}
