//! `riskcurve check`: calendar gaps, return outliers, OHLC inconsistencies
//! and stale series.

use anyhow::Result;
use riskcurve_app::check::{check, CheckRequest, SeriesCheck};
use riskcurve_app::human::count;
use riskcurve_app::App;

use crate::output::{cell, Out, Table};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Series to check (default: all stored); a comma list or the flag repeated.
    #[arg(long, value_delimiter = ',')]
    series: Vec<String>,
    /// Robust z-score of a daily change above which it is reported.
    #[arg(long, default_value_t = 10.0)]
    z: f64,
}

pub fn run(app: &App, out: &Out, args: CheckArgs) -> Result<()> {
    let req = CheckRequest { series: args.series.clone(), z: args.z, today: None };
    let report = check(app, &req)?;
    if out.is_json() {
        return out.json(&report);
    }
    out.line(format!("data checks as of {} (staleness counts sessions whose value should be public)", report.today));
    let mut t =
        Table::new(&["id", "calendar", "rows", "gaps", "missing", "outliers", "bad ohlc", "last", "stale days"]);
    for r in &report.series {
        t.row(vec![
            r.id.clone(),
            r.calendar.clone(),
            count(r.rows as u64),
            r.gaps.len().to_string(),
            r.gaps.iter().map(|g| g.missing).sum::<usize>().to_string(),
            r.outliers.len().to_string(),
            r.ohlc_inconsistent.len().to_string(),
            cell(r.last),
            cell(r.stale_days),
        ]);
    }
    out.table(&t);
    for r in report.series.iter().filter_map(|r| r.wrong_coin.as_ref()) {
        out.line(format!("wrong coin: {r}"));
    }
    // Named series get their details; the full list would drown the summary.
    if !args.series.is_empty() {
        for r in &report.series {
            details(out, r);
        }
    }
    Ok(())
}

fn details(out: &Out, r: &SeriesCheck) {
    const SHOWN: usize = 20;
    let mut largest: Vec<_> = r.gaps.iter().collect();
    largest.sort_by_key(|g| std::cmp::Reverse(g.missing));
    largest.truncate(SHOWN);
    if !largest.is_empty() {
        out.line(format!("\n{}: largest gaps ({} of {})", r.id, largest.len(), r.gaps.len()));
        for g in largest {
            out.line(format!("  {} .. {}  {} missing", g.from, g.to, g.missing));
        }
    }
    if !r.outliers.is_empty() {
        out.line(format!("\n{}: outliers ({})", r.id, r.outliers.len()));
        for o in r.outliers.iter().take(SHOWN) {
            out.line(format!("  {}  change {:+.4}  robust z {:.1}", o.date, o.change, o.robust_z));
        }
    }
    if !r.ohlc_inconsistent.is_empty() {
        let dates: Vec<String> = r.ohlc_inconsistent.iter().take(SHOWN).map(|d| d.to_string()).collect();
        out.line(format!("\n{}: OHLC inconsistent on {} dates: {}", r.id, r.ohlc_inconsistent.len(), dates.join(" ")));
    }
}
