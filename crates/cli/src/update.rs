//! `riskcurve update`: fetch what is missing from the live sources.

use anyhow::Result;
use riskcurve_app::human::count;
use riskcurve_app::update::{update, UpdateRequest};
use riskcurve_app::{parse_date, App, AppError};

use crate::output::{cell, Out, Table};
use crate::progress::Bar;

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// Series to update (default: every catalog series); a comma list or the flag repeated.
    #[arg(long, value_delimiter = ',')]
    series: Vec<String>,
    /// Fetch from this date instead of from the last stored date.
    #[arg(long)]
    from: Option<String>,
    /// Days before the last stored date to fetch again, to catch revisions (0-36500).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=36_500))]
    overlap_days: u32,
    /// Series fetched at the same time (1-32).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    jobs: u16,
    /// Seconds before a request times out (1-86400).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    timeout: u64,
    /// Retries of a request that failed with 429, 5xx or a timeout (0-20).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=20))]
    retries: u32,
    /// Seconds one series may take, all its sources, retries and pages (1-86400).
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    series_deadline: u64,
    /// Seconds the whole run may take (1-86400).
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    deadline: u64,
    /// Show each failed source's full message.
    #[arg(long)]
    verbose: bool,
}

pub fn run(app: &App, out: &Out, args: UpdateArgs) -> Result<()> {
    let req = UpdateRequest {
        series: args.series,
        from: parse_date("from", args.from.as_deref())?,
        overlap_days: args.overlap_days,
        jobs: args.jobs.into(),
        timeout: args.timeout,
        retries: args.retries,
        series_deadline: args.series_deadline,
        deadline: args.deadline,
    };
    let report = update(app, &req, &Bar::new(out.is_json()))?;
    if out.is_json() {
        out.json(&report)?;
    } else {
        let mut t = Table::new(&["series", "source", "rows", "first", "last", "new", "changed", "write"]);
        for u in &report.updated {
            t.row(vec![
                u.series.clone(),
                riskcurve_app::catalog::source_label(&u.source, u.quote.as_deref()),
                count(u.rows as u64),
                cell(u.first),
                cell(u.last),
                count(u.inserted),
                count(u.updated),
                cell(u.write),
            ]);
        }
        if !t.is_empty() {
            out.table(&t);
        }
    }
    // A fallback says which source answered and why the ones before it did not.
    for u in report.updated.iter().filter(|u| !u.skipped.is_empty()) {
        eprintln!("fell back: {}: stored from {}; passed over {}", u.series, u.source, u.skipped.join("; "));
    }
    // Offline, every series fails the same way: the summary says it once.
    let all_offline = report.failed.iter().all(|f| f.offline);
    if args.verbose || !all_offline {
        for f in &report.failed {
            eprintln!("failed: {}: {}", f.series, f.errors.join("; "));
        }
    }
    match report.failure_summary() {
        None => Ok(()),
        Some(summary) => {
            let hint = if args.verbose || !all_offline { "" } else { " (--verbose lists each error)" };
            Err(AppError::Failed(format!("{summary}{hint}")).into())
        }
    }
}
