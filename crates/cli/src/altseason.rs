//! `riskcurve altseason`: the share of top altcoins beating BTC over a window,
//! with point-in-time membership where the stored snapshots cover the date.

use anyhow::Result;
use riskcurve_app::altseason::altseason_index;
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_signals::altseason::{AltseasonParams, AltseasonRule};

use crate::output::{Format, Out, Table};

#[derive(clap::Args)]
pub struct AltseasonArgs {
    /// blockchaincenter (top 50, altseason at >= 75) or cmc (top 100, bitcoin season at <= 25).
    #[arg(long, default_value = "blockchaincenter")]
    rule: String,
    /// Return window in days (1-36500).
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    window: u32,
    /// Days between rows of the history (1-36500).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    step: u32,
    /// First date shown.
    #[arg(long)]
    from: Option<String>,
    /// Last date shown.
    #[arg(long)]
    to: Option<String>,
    /// Rows shown in the table, spread over the history (JSON and CSV have all).
    #[arg(long, default_value_t = 12)]
    tail: usize,
}

pub fn run(app: &App, out: &Out, args: AltseasonArgs) -> Result<()> {
    let rule: AltseasonRule = args.rule.parse().map_err(bad_input)?;
    let params = AltseasonParams { rule, window: args.window, step: args.step, ..AltseasonParams::default() };
    let (from, to) = (parse_date("from", args.from.as_deref())?, parse_date("to", args.to.as_deref())?);
    let report = altseason_index(app, &params, from, to)?;
    if out.is_json() {
        return out.json(&report);
    }
    out.line(format!(
        "altcoin season index ({} rule, {}-day window, exclusions {}): % of eligible alts beating BTC",
        rule, args.window, report.exclusions_version
    ));
    let mut t = Table::new(&["date", "index", "coins", "state", "universe"]);
    let rows = &report.observations;
    let shown: Vec<_> = if out.format == Format::Csv {
        rows.iter().collect()
    } else {
        let step = (rows.len() / args.tail.max(1)).max(1);
        let mut v: Vec<_> = rows.iter().rev().step_by(step).take(args.tail).collect();
        v.reverse();
        v
    };
    for r in shown {
        let universe = riskcurve_app::human::label(&r.universe);
        let state = riskcurve_app::human::label(&r.state);
        t.row(vec![r.date.to_string(), format!("{:.0}", r.index), r.n_coins.to_string(), state, universe]);
    }
    out.table(&t);
    if rows.is_empty() {
        out.line("no rows: BTC and enough altcoins are not stored over this range");
    }
    for w in &report.warnings {
        out.warn(w);
    }
    Ok(())
}
