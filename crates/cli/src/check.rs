//! `riskcurve check`: calendar gaps, return outliers, OHLC inconsistencies
//! and stale series, per stored series.

use anyhow::Result;
use riskcurve_core::{
    gaps, ohlc_inconsistent, outliers, outliers_in_differences, staleness, Bar, BarSeries, Date, Gap, Outlier, SeriesId,
};
use serde::Serialize;

use crate::failure::{bad, bad_input};
use crate::output::{cell, num, today_utc, Table};
use crate::series::{open_store, parse_date};
use crate::App;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Series to check (default: all stored).
    #[arg(long)]
    series: Vec<String>,
    /// Robust z-score of a daily log return above which it is reported.
    #[arg(long, default_value_t = 10.0)]
    z: f64,
    /// Date to judge staleness against (default: today, UTC).
    #[arg(long)]
    today: Option<String>,
}

#[derive(Serialize)]
struct Report {
    id: String,
    calendar: String,
    rows: usize,
    gaps: Vec<Gap>,
    outliers: Vec<Outlier>,
    ohlc_inconsistent: Vec<Date>,
    last: Option<Date>,
    stale_days: Option<i32>,
}

pub fn run(app: &App, args: CheckArgs) -> Result<()> {
    if args.z.is_nan() || args.z <= 0.0 {
        return bad(format!("--z {}: must be above 0", args.z));
    }
    let today = parse_date("today", args.today.as_deref())?.unwrap_or_else(today_utc);
    let store = open_store(app)?;
    let ids: Vec<SeriesId> = if args.series.is_empty() {
        store.list()?.into_iter().map(|s| s.id).collect()
    } else {
        args.series.iter().map(|s| s.parse().map_err(bad_input)).collect::<Result<_>>()?
    };
    let mut reports = Vec::new();
    for id in &ids {
        let Some(meta) = store.series_meta(id)? else {
            return bad(format!("series {id} is not in the database"));
        };
        let bars: Vec<Bar> = store.bars(id, None, None)?.into_iter().map(|sb| sb.bar).collect();
        let bars = BarSeries::new(bars)?;
        // Macro values arrive after their reference date: judge staleness
        // against the date whose value should be public by now.
        let lag = app.catalog.get(id).and_then(|e| e.release).map_or(0, |r| r.lag_days);
        let last = bars.bars().last().map(|b| b.date);
        reports.push(Report {
            id: id.to_string(),
            calendar: meta.calendar.to_string(),
            rows: bars.len(),
            gaps: gaps(&bars, meta.calendar),
            outliers: {
                let closes = bars.closes();
                // Rates and indices like NFCI go to zero or below: their
                // changes are differences, not log returns.
                if closes.values().iter().all(|v| *v > 0.0) {
                    outliers(&closes, args.z)?
                } else {
                    outliers_in_differences(&closes, args.z)
                }
            },
            ohlc_inconsistent: ohlc_inconsistent(&bars),
            last,
            stale_days: last.and_then(|l| staleness(l, today.add_days(-lag), meta.calendar)),
        });
    }
    if app.json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "today": today, "series": reports }))?);
        return Ok(());
    }
    let mut t =
        Table::new(&["id", "calendar", "rows", "gaps", "missing", "outliers", "bad ohlc", "last", "stale days"]);
    for r in &reports {
        t.row(vec![
            r.id.clone(),
            r.calendar.clone(),
            r.rows.to_string(),
            r.gaps.len().to_string(),
            r.gaps.iter().map(|g| g.missing).sum::<usize>().to_string(),
            r.outliers.len().to_string(),
            r.ohlc_inconsistent.len().to_string(),
            cell(r.last),
            cell(r.stale_days),
        ]);
    }
    print!("{t}");
    // Named series get their details; the full list would drown the summary.
    if !args.series.is_empty() {
        for r in &reports {
            details(r);
        }
    }
    Ok(())
}

fn details(r: &Report) {
    const SHOWN: usize = 20;
    let largest: Vec<&Gap> = {
        let mut g: Vec<&Gap> = r.gaps.iter().collect();
        g.sort_by_key(|g| std::cmp::Reverse(g.missing));
        g.truncate(SHOWN);
        g
    };
    if !largest.is_empty() {
        println!("\n{}: largest gaps ({} of {})", r.id, largest.len(), r.gaps.len());
        for g in largest {
            println!("  {} .. {}  {} missing", g.from, g.to, g.missing);
        }
    }
    if !r.outliers.is_empty() {
        println!("\n{}: outliers ({})", r.id, r.outliers.len());
        for o in r.outliers.iter().take(SHOWN) {
            println!("  {}  change {}  robust z {}", o.date, num(o.change), num(o.robust_z));
        }
    }
    if !r.ohlc_inconsistent.is_empty() {
        let dates: Vec<String> = r.ohlc_inconsistent.iter().take(SHOWN).map(|d| d.to_string()).collect();
        println!("\n{}: OHLC inconsistent on {} dates: {}", r.id, r.ohlc_inconsistent.len(), dates.join(" "));
    }
}
