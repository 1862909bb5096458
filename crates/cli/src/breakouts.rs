//! `riskcurve breakouts`: new all-time highs after a long consolidation, or
//! first closes above a round level, for any stored series or `a/b` ratio.

use anyhow::Result;
use riskcurve_app::breakouts::{breakouts, BreakoutRequest, BreakoutsResult};
use riskcurve_app::human::{count, pct_signed, price};
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_signals::breakout::{Basis, BreakoutParams};

use crate::output::{cell, Out, Table, Tone};

#[derive(clap::Args)]
pub struct BreakoutArgs {
    /// Series id, or a ratio `a/b` (e.g. rut/spx).
    #[arg(long, default_value = "rut")]
    series: String,
    /// Calendar days the prior all-time high must have stood (0-36500).
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(0..=36_500))]
    min_days: u32,
    /// Price compared with the prior high: close or (intraday) high.
    #[arg(long, default_value = "close")]
    basis: String,
    /// How far above the prior high, in percent.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    margin_pct: f64,
    /// Date the event on the N-th consecutive bar above the prior high.
    #[arg(long, default_value_t = 1)]
    confirm_days: u32,
    /// Sessions after the event in which a close below the prior high marks it failed.
    #[arg(long, default_value_t = 20)]
    fail_sessions: usize,
    /// Instead: first closes above this level (e.g. 2600).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<f64>,
    /// Window of the moving average a ratio's trend state is judged against.
    #[arg(long, default_value_t = 200)]
    trend_window: usize,
    /// Only events on or after this date.
    #[arg(long)]
    from: Option<String>,
    /// Use data up to this date only (nothing after it is seen).
    #[arg(long)]
    to: Option<String>,
}

pub fn run(app: &App, out: &Out, args: BreakoutArgs) -> Result<()> {
    let basis: Basis = args.basis.parse().map_err(bad_input)?;
    if let Some(level) = args.level.filter(|l| !l.is_finite()) {
        return Err(bad_input(format!("--level {level}: must be a finite number")).into());
    }
    let req = BreakoutRequest {
        series: args.series.clone(),
        params: BreakoutParams {
            min_days: args.min_days,
            basis,
            margin_pct: args.margin_pct,
            confirm_days: args.confirm_days,
            fail_sessions: args.fail_sessions,
        },
        level: args.level,
        trend_window: args.trend_window,
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
    };
    let result = breakouts(app, &req)?;
    if out.is_json() {
        return out.json(&result);
    }
    match result {
        BreakoutsResult::Level(l) => {
            out.line(format!("{}: first {} above {} (each crossing from below)", l.series, l.basis, price(l.level)));
            let mut t = Table::new(&["date", "close", "below since"]);
            for e in &l.events {
                t.row(vec![e.date.to_string(), price(e.close), e.previous_below_date.to_string()]);
            }
            out.table(&t);
            if l.events.is_empty() {
                out.line(format!("{}: never crossed {} from below in the data", l.series, price(l.level)));
            }
        }
        BreakoutsResult::Breakouts(b) => {
            let (r, p) = (&b.report, &b.report.params);
            out.line(format!(
                "{}: breakouts above an all-time high that stood >= {} days ({} basis, margin {}%, confirm {} bar(s))",
                r.series, p.min_days, p.basis, p.margin_pct, p.confirm_days
            ));
            if let Some(first) = b.first_date {
                out.line(out.paint(
                    Tone::Dim,
                    format!("data from {first}: highs before that date are unknown to this calculation"),
                ));
            }
            let mut t =
                Table::new(&["date", "close", "prior high", "set on", "days", "drawdown", "volume vs 50d", "outcome"]);
            for e in &r.events {
                let outcome = match (e.failed, e.complete) {
                    (true, _) => out.paint(Tone::Bad, format!("failed {}", cell(e.failed_date))),
                    (false, true) => out.paint(Tone::Good, "held"),
                    (false, false) => out.paint(Tone::Warn, "pending"),
                };
                t.row(vec![
                    e.date.to_string(),
                    price(e.close),
                    price(e.prior_high),
                    e.prior_high_date.to_string(),
                    count(e.days_since_prior_high as u64),
                    format!("{:.1}%", e.consolidation_drawdown_pct),
                    e.volume_ratio.map(|v| format!("{v:.2}x")).unwrap_or_default(),
                    outcome,
                ]);
            }
            out.table(&t);
            if r.events.is_empty() {
                out.line(format!(
                    "{}: no breakout with these settings (an all-time high never stood {} days before being beaten{})",
                    r.series,
                    p.min_days,
                    b.first_date.map(|d| format!(" since {d}")).unwrap_or_default()
                ));
            }
            let s = &r.status;
            out.line(format!(
                "now ({}): close {} | all-time high {} on {} | {} from it | {} since",
                s.last_date,
                price(s.last_close),
                price(s.all_time_high),
                s.all_time_high_date,
                pct_signed(s.distance_pct / 100.0, 2),
                riskcurve_app::human::days(s.days_since_ath.into())
            ));
            for w in &b.warnings {
                out.warn(w);
            }
            if let (Some(t), Some(w)) = (&b.trend, b.trend_window) {
                let side = if t.above { "above" } else { "below" };
                out.line(format!("trend: {side} its {w}-bar average ({}) since {}", price(t.sma), t.since));
            }
        }
    }
    Ok(())
}
