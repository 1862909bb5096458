//! `riskcurve backtest` and `riskcurve sweep`.

use std::path::PathBuf;

use anyhow::Result;
use riskcurve_app::backtest::{
    backtest, load_grid, metrics_cells, sweep, BacktestRequest, SweepOutput, DEFAULT_FEE_BPS, DEFAULT_HOLD_DAYS,
    DEFAULT_SLIPPAGE_BPS, METRICS_COLUMNS,
};
use riskcurve_app::human::{pct, pct_signed, price};
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_backtest::{Costs, Rules};
use riskcurve_signals::spec::SignalSpec;

use crate::output::{Format, Out, Table, Tone};
use crate::progress::Bar;

#[derive(clap::Args)]
pub struct BacktestArgs {
    /// The entry signal (e.g. breakout:rut:min-days=365); entries fill at the next bar's close.
    #[arg(long)]
    signal: String,
    /// What is bought: a stored series, a ratio, or `alts` (the alt basket).
    #[arg(long, default_value = "btc")]
    target: String,
    /// Calendar days held (exit at the first close on or after entry + hold).
    #[arg(long, default_value_t = DEFAULT_HOLD_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
    hold: u32,
    /// Stop loss below the entry, percent (intrabar on the low where known).
    #[arg(long)]
    stop_pct: Option<f64>,
    /// Trailing stop below the highest close since entry, percent.
    #[arg(long)]
    trail_pct: Option<f64>,
    /// Exit when this signal fires (next bar).
    #[arg(long)]
    exit_signal: Option<String>,
    /// Fee per side, basis points.
    #[arg(long, default_value_t = DEFAULT_FEE_BPS)]
    fee_bps: f64,
    /// Slippage per side, basis points.
    #[arg(long, default_value_t = DEFAULT_SLIPPAGE_BPS)]
    slippage_bps: f64,
    /// Earn the stored `dff` rate while flat.
    #[arg(long)]
    cash_yield: bool,
    /// First bar.
    #[arg(long)]
    from: Option<String>,
    /// Last bar (nothing after it is used).
    #[arg(long)]
    to: Option<String>,
}

#[derive(clap::Args)]
pub struct SweepArgs {
    /// The grid (TOML; see `rules/sweep-example.toml`).
    #[arg(long)]
    grid: PathBuf,
    /// Rows of the best configurations shown.
    #[arg(long, default_value_t = 15)]
    top: usize,
}

fn spec(flag: &str, text: &str) -> Result<SignalSpec> {
    Ok(text.parse().map_err(|e| bad_input(format!("--{flag} {text}: {e}")))?)
}

pub fn run(app: &App, out: &Out, args: BacktestArgs) -> Result<()> {
    let req = BacktestRequest {
        signal: spec("signal", &args.signal)?,
        target: args.target,
        rules: Rules {
            hold_days: Some(args.hold),
            stop_pct: args.stop_pct,
            trail_pct: args.trail_pct,
            costs: Costs { fee_bps: args.fee_bps, slippage_bps: args.slippage_bps },
        },
        exit_signal: args.exit_signal.as_deref().map(|s| spec("exit-signal", s)).transpose()?,
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
        cash_yield: args.cash_yield,
    };
    let r = backtest(app, &req)?;
    if out.is_json() {
        return out.json(&r);
    }
    if out.format == Format::Csv {
        let mut t = Table::new(&["date", "equity", "buy_and_hold"]);
        for ((d, e), (_, h)) in r.result.equity.iter().zip(&r.result.buy_and_hold_equity) {
            t.row(vec![d.to_string(), e.to_string(), h.to_string()]);
        }
        out.table(&t);
        return Ok(());
    }
    let first = r.result.equity.first().map(|e| e.0.to_string()).unwrap_or_default();
    let last = r.result.equity.last().map(|e| e.0.to_string()).unwrap_or_default();
    out.line(out.paint(
        Tone::Bold,
        format!("backtest: buy {} after {} ({} signals), {first} to {last}", r.target, r.signal, r.signals),
    ));
    out.line(format!(
        "entry at the close of the first bar after the signal; exit after {} days{}{}{}; costs {} bp fee + {} bp slippage a side{}",
        req.rules.hold_days.unwrap_or_default(),
        req.rules.stop_pct.map(|s| format!(", stop {s}%")).unwrap_or_default(),
        req.rules.trail_pct.map(|s| format!(", trailing stop {s}%")).unwrap_or_default(),
        r.exit_signal.as_ref().map(|s| format!(", or on {s}")).unwrap_or_default(),
        req.rules.costs.fee_bps,
        req.rules.costs.slippage_bps,
        if r.cash_yield { "; cash earns dff" } else { "" }
    ));
    let mut t = Table::new(&["signal", "entry", "price", "exit", "price", "return", "days", "why"]);
    for tr in &r.result.trades {
        let ret = pct_signed(tr.net_return, 1);
        t.row(vec![
            tr.signal_date.to_string(),
            tr.entry_date.to_string(),
            price(tr.entry_price),
            tr.exit_date.to_string(),
            price(tr.exit_price),
            out.paint(if tr.net_return > 0.0 { Tone::Good } else { Tone::Bad }, ret),
            tr.exit_date.days_since(tr.entry_date).to_string(),
            riskcurve_app::human::label(&tr.reason),
        ]);
    }
    out.table(&t);
    if r.result.trades.is_empty() {
        out.line("no trade: no signal has a bar after it in the window");
    }
    out.line("");
    let mut m = Table::new(&[&[""], &METRICS_COLUMNS[..]].concat());
    m.row([vec!["strategy".to_string()], metrics_cells(&r.result.metrics)].concat());
    m.row([vec!["buy and hold".to_string()], metrics_cells(&r.result.buy_and_hold)].concat());
    out.table(&m);
    out.line(out.paint(
        Tone::Dim,
        format!(
            "annualised over {} bars a year ({} calendar); Sharpe and Sortino with a zero risk-free rate (empyrical's definitions)",
            r.result.metrics.periods_per_year, r.calendar
        ),
    ));
    Ok(())
}

pub fn run_sweep(app: &App, out: &Out, args: SweepArgs) -> Result<()> {
    let grid = load_grid(&args.grid)?;
    let r = sweep(app, &grid, &Bar::new(out.is_json()))?;
    if out.is_json() {
        return out.json(&r);
    }
    print_sweep(out, &r, args.top);
    Ok(())
}

fn print_sweep(out: &Out, r: &SweepOutput, top: usize) {
    out.line(out.paint(Tone::Bold, format!("sweep: {} configurations, best annualised Sharpe first", r.trials)));
    let mut t = Table::new(&[
        "#", "target", "signal", "hold", "stop", "trail", "liq", "total", "CAGR", "Sharpe", "max dd", "trades",
    ]);
    let shown: Vec<_> =
        if out.format == Format::Csv { r.rows.iter().collect() } else { r.rows.iter().take(top).collect() };
    for row in shown {
        let m = &row.metrics;
        t.row(vec![
            row.config.to_string(),
            row.target.clone(),
            row.signal.clone(),
            row.hold.to_string(),
            row.stop_pct.map(|s| format!("{s}%")).unwrap_or_default(),
            row.trail_pct.map(|s| format!("{s}%")).unwrap_or_default(),
            if row.liquidity_filter { "yes".into() } else { String::new() },
            pct_signed(m.total_return, 1),
            pct_signed(m.cagr, 1),
            m.sharpe.map(|v| format!("{v:.2}")).unwrap_or_default(),
            pct_signed(m.max_drawdown, 1),
            m.trades.map(|t| t.to_string()).unwrap_or_default(),
        ]);
    }
    out.table(&t);
    if out.format == Format::Csv {
        return;
    }
    let q = |v: &[f64], f: &dyn Fn(f64) -> String| v.iter().map(|x| f(*x)).collect::<Vec<_>>().join(" / ");
    out.line(format!(
        "\nSharpe over all configurations (min / 10% / 25% / median / 75% / 90% / max): {}",
        q(&r.sharpe_quantiles, &|x| format!("{x:.2}"))
    ));
    out.line(format!("total return: {}", q(&r.total_return_quantiles, &|x| pct_signed(x, 0))));
    out.line(out.paint(Tone::Bold, "\noverfitting controls"));
    if let Some(d) = &r.deflated_sharpe {
        let tone = if d.dsr >= 0.95 { Tone::Good } else { Tone::Warn };
        out.line(format!(
            "  Deflated Sharpe Ratio of the best: {} (probability its true Sharpe beats the {:.3} per period that the best of {} trials reaches by luck; {} returns, skew {:.2}, kurtosis {:.2})",
            out.paint(tone, format!("{:.3}", d.dsr)),
            d.expected_max_sharpe,
            d.trials,
            d.observations,
            d.skewness,
            d.kurtosis
        ));
    }
    if let Some(p) = &r.pbo {
        let tone = if p.pbo <= 0.2 { Tone::Good } else { Tone::Warn };
        out.line(format!(
            "  Probability of Backtest Overfitting: {} ({} splits of {} blocks; median logit {:.2})",
            out.paint(tone, pct(p.pbo, 0)),
            p.splits,
            p.blocks,
            p.median_logit
        ));
    }
    if let Some(w) = &r.walk_forward {
        out.line(format!(
            "  walk-forward ({} folds, re-choosing the best on the past): out of sample {} total, Sharpe {}, max drawdown {} (chose {:?})",
            w.folds,
            pct_signed(w.metrics.total_return, 1),
            w.metrics.sharpe.map(|v| format!("{v:.2}")).unwrap_or_else(|| "n/a".into()),
            pct_signed(w.metrics.max_drawdown, 1),
            w.chosen
        ));
    }
    for w in &r.warnings {
        out.warn(w);
    }
}
