//! `riskcurve breakouts`: new all-time highs after a long consolidation, or
//! first closes above a round level, for any stored series or `a/b` ratio.

use anyhow::Result;
use riskcurve_signals::breakout::{level_crossings, Basis, BreakoutParams, BreakoutReport};
use riskcurve_signals::ratio::trend_now;
use serde_json::json;

use crate::failure::bad_input;
use crate::output::{cell, num, Table};
use crate::series::open_store;
use crate::{load, App};

#[derive(clap::Args)]
pub struct BreakoutArgs {
    /// Series id, or a ratio `a/b` (e.g. rut/spx).
    #[arg(long, default_value = "rut")]
    series: String,
    /// Calendar days the prior all-time high must have stood.
    #[arg(long, default_value_t = 365)]
    min_days: u32,
    /// Price compared with the prior high: close or (intraday) high.
    #[arg(long, default_value = "close")]
    basis: String,
    /// How far above the prior high, in percent.
    #[arg(long, default_value_t = 0.0)]
    margin_pct: f64,
    /// Date the event on the N-th consecutive bar above the prior high.
    #[arg(long, default_value_t = 1)]
    confirm_days: u32,
    /// Sessions after the event in which a close below the prior high marks it failed.
    #[arg(long, default_value_t = 20)]
    fail_sessions: usize,
    /// Instead: first closes above this level (e.g. 2600).
    #[arg(long)]
    level: Option<f64>,
    /// Window of the moving average a ratio's trend state is judged against.
    #[arg(long, default_value_t = 200)]
    trend_window: usize,
}

pub fn run(app: &App, args: BreakoutArgs) -> Result<()> {
    let basis: Basis = args.basis.parse().map_err(bad_input)?;
    let store = open_store(app)?;
    let bars = load::bars_or_ratio(&store, &args.series)?;
    if let Some(level) = args.level {
        let events = level_crossings(&bars, level, basis);
        if app.json {
            let doc = json!({"series": args.series, "level": level, "basis": basis, "events": events});
            println!("{}", serde_json::to_string_pretty(&doc)?);
            return Ok(());
        }
        let mut t = Table::new(&["date", "close", "below since"]);
        for e in &events {
            t.row(vec![e.date.to_string(), num(e.close), e.previous_below_date.to_string()]);
        }
        println!("{}: first {} above {level}", args.series, basis);
        print!("{t}");
        return Ok(());
    }
    let params = BreakoutParams {
        min_days: args.min_days,
        basis,
        margin_pct: args.margin_pct,
        confirm_days: args.confirm_days,
        fail_sessions: args.fail_sessions,
    };
    let report = BreakoutReport::new(&args.series, &bars, params)?;
    let trend = if args.series.contains('/') { trend_now(&bars.closes(), args.trend_window)? } else { None };
    if app.json {
        let mut doc = serde_json::to_value(&report)?;
        if let Some(t) = &trend {
            doc["trend"] = serde_json::to_value(t)?;
        }
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "{}: breakouts above an all-time high that stood >= {} days ({} basis, margin {}%, confirm {} bar(s))",
        report.series, params.min_days, basis, params.margin_pct, params.confirm_days
    );
    let mut t = Table::new(&["date", "close", "prior high", "set on", "days", "drawdown %", "vol ratio", "outcome"]);
    for e in &report.events {
        let outcome = match (e.failed, e.complete) {
            (true, _) => format!("failed {}", cell(e.failed_date)),
            (false, true) => "held".to_string(),
            (false, false) => "pending".to_string(),
        };
        t.row(vec![
            e.date.to_string(),
            num(e.close),
            num(e.prior_high),
            e.prior_high_date.to_string(),
            e.days_since_prior_high.to_string(),
            format!("{:.1}", e.consolidation_drawdown_pct),
            e.volume_ratio.map(|v| format!("{v:.2}")).unwrap_or_default(),
            outcome,
        ]);
    }
    print!("{t}");
    let s = &report.status;
    println!(
        "now: {} close {} | all-time high {} on {} | {:.2}% from it | {} days since",
        s.last_date,
        num(s.last_close),
        num(s.all_time_high),
        s.all_time_high_date,
        s.distance_pct,
        s.days_since_ath
    );
    if let Some(t) = trend {
        let side = if t.above { "above" } else { "below" };
        println!("trend: {side} its {}-bar average ({}) since {}", args.trend_window, num(t.sma), t.since);
    }
    Ok(())
}
