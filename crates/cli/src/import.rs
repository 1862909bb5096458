//! `riskcurve import`: one file, or every file a manifest names.

use std::path::PathBuf;

use anyhow::Result;
use riskcurve_app::human::count;
use riskcurve_app::import::{import, ImportRequest, Job};
use riskcurve_app::App;

use crate::output::{cell, Out, Table};
use crate::progress::Bar;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The file to import (omit with --manifest).
    #[arg(required_unless_present = "manifest", conflicts_with = "manifest")]
    file: Option<PathBuf>,
    /// Series id to store it under; omit for multi-symbol files (each symbol becomes a series).
    #[arg(long)]
    series: Option<String>,
    /// File format: auto, yahoo, fred, fred-wide, ibkr, binance, cryptodatadownload, blockchain, cmc, coinbase-long, universe-json.
    #[arg(long = "file-format", visible_alias = "input-format", default_value = "auto")]
    file_format: String,
    /// Column to read from a wide table (FRED wide files).
    #[arg(long)]
    column: Option<String>,
    /// Unit of the file's values; a catalog series converts them to its own unit,
    /// a new series is stored in this unit.
    #[arg(long)]
    unit: Option<String>,
    /// Source name to record (default: from the format, e.g. yahoo, fred, binance).
    #[arg(long)]
    source: Option<String>,
    /// Source priority: for each date the series shows the highest-priority source.
    #[arg(long, allow_negative_numbers = true)]
    priority: Option<i32>,
    /// Calendar of a new series (default: crypto if the file has weekend dates, else nyse/business).
    #[arg(long)]
    calendar: Option<String>,
    /// Skip bad rows (and report how many) instead of refusing the file.
    #[arg(long)]
    lenient: bool,
    /// Import every entry of a manifest (TOML).
    #[arg(long, value_name = "FILE.toml")]
    manifest: Option<PathBuf>,
    /// Directory the manifest's relative `data_dir` is replaced by.
    #[arg(long, requires = "manifest")]
    data_dir: Option<PathBuf>,
    /// Let manifest entries name files outside the manifest's data directory.
    #[arg(long, requires = "manifest")]
    allow_outside: bool,
    /// Largest file read, in MiB (1-65536); devices, pipes and directories are refused.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    max_file_size: u64,
}

pub fn run(app: &App, out: &Out, args: ImportArgs) -> Result<()> {
    let req = ImportRequest {
        file: args.file,
        job: Job {
            series: args.series,
            format: Some(args.file_format),
            column: args.column,
            unit: args.unit,
            source: args.source,
            priority: args.priority,
            calendar: args.calendar,
            ..Job::default()
        },
        lenient: args.lenient,
        manifest: args.manifest,
        data_dir: args.data_dir,
        allow_outside: args.allow_outside,
        max_file_bytes: Some(args.max_file_size << 20),
    };
    let report = import(app, &req, &Bar::new(out.is_json()))?;
    if out.is_json() {
        return out.json(&report);
    }
    let mut t = Table::new(&[
        "file", "series", "source", "prio", "rows", "first", "last", "new", "changed", "skipped", "write",
    ]);
    for r in &report.imports {
        t.row(vec![
            r.file.clone(),
            r.series.clone(),
            r.source.clone(),
            r.priority.to_string(),
            count(r.rows as u64),
            cell(r.first),
            cell(r.last),
            count(r.inserted as u64),
            count(r.updated as u64),
            count(r.skipped as u64),
            cell(r.write),
        ]);
    }
    out.table(&t);
    let skipped: usize = report.imports.iter().map(|r| r.skipped).sum();
    if skipped > 0 {
        eprintln!("lenient: skipped {skipped} bad rows (see the skipped column)");
    }
    Ok(())
}
