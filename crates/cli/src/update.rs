//! `riskcurve update`: fetch what is missing from the live sources.
//!
//! Series run in parallel; the shared [`HttpClient`] keeps each host within
//! its rate limit, retries what is worth retrying and honours `Retry-After`.
//! Each series tries its catalog sources in order and stops at the first that
//! delivers. Failures are collected and printed one line per series at the
//! end; the series that succeeded are already stored.

use std::sync::Mutex;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use riskcurve_core::{Date, SeriesId};
use riskcurve_ingest::provider::{provider, url_host, FetchRequest, HttpClient, SourceKind};
use riskcurve_store::Store;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::{Entry, SourceSpec};
use crate::failure::{bad, bad_input};
use crate::import::{to_series_unit, Pending};
use crate::output::{cell, now_rfc3339, Table};
use crate::series::parse_date;
use crate::App;

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// Series to update (default: every catalog series).
    #[arg(long)]
    series: Vec<String>,
    /// Fetch from this date instead of from the last stored date.
    #[arg(long)]
    from: Option<String>,
    /// Days before the last stored date to fetch again, to catch revisions.
    #[arg(long, default_value_t = 7)]
    overlap_days: u32,
    /// Series fetched at the same time.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// Seconds before a request times out.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Retries of a request that failed with 429, 5xx or a timeout.
    #[arg(long, default_value_t = 4)]
    retries: u32,
}

#[derive(Serialize)]
struct Updated {
    series: String,
    source: String,
    url: String,
    rows: usize,
    first: Option<Date>,
    last: Option<Date>,
    inserted: u64,
    updated: u64,
    unchanged: u64,
}

#[derive(Serialize)]
struct Failed {
    series: String,
    errors: Vec<String>,
}

pub fn run(app: &App, args: UpdateArgs) -> Result<()> {
    let entries: Vec<&Entry> = if args.series.is_empty() {
        app.catalog.entries().filter(|e| !e.sources.is_empty()).collect()
    } else {
        let mut v = Vec::new();
        for s in &args.series {
            let id: SeriesId = s.parse().map_err(bad_input)?;
            match app.catalog.get(&id) {
                Some(e) if !e.sources.is_empty() => v.push(e),
                Some(_) => return bad(format!("series {id} has no live source in the catalog")),
                None => return bad(format!("series {id} is not in the catalog (see `riskcurve catalog`)")),
            }
        }
        v
    };
    if args.jobs == 0 {
        return bad("--jobs must be at least 1");
    }
    let from = parse_date("from", args.from.as_deref())?;
    let mut http = HttpClient::builder().timeout(Duration::from_secs(args.timeout.max(1))).max_retries(args.retries);
    for kind in SourceKind::ALL {
        let base = base_url(kind);
        http = http.host_interval(url_host(&base), kind.polite_interval());
    }
    let http = http.build();
    let store =
        Mutex::new(Store::open(&app.db).with_context(|| format!("{}: cannot open database", app.db.display()))?);
    let fetched_at = now_rfc3339();

    let bar = if app.json { ProgressBar::hidden() } else { ProgressBar::new(entries.len() as u64) };
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").expect("valid template"));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs).build()?;
    let results: Vec<Result<Updated, Failed>> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| {
                bar.set_message(e.id.to_string());
                let r = update_one(app, e, from, args.overlap_days, &http, &store, &fetched_at);
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();

    let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let ok: Vec<Updated> = ok.into_iter().filter_map(Result::ok).collect();
    let failed: Vec<Failed> = failed.into_iter().filter_map(Result::err).collect();
    if app.json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"updated": ok, "failed": failed}))?);
    } else {
        let mut t = Table::new(&["series", "source", "rows", "first", "last", "new", "changed"]);
        for u in &ok {
            t.row(vec![
                u.series.clone(),
                u.source.clone(),
                u.rows.to_string(),
                cell(u.first),
                cell(u.last),
                u.inserted.to_string(),
                u.updated.to_string(),
            ]);
        }
        print!("{t}");
    }
    for f in &failed {
        eprintln!("failed: {}: {}", f.series, f.errors.join("; "));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow!("{} of {} series failed to update", failed.len(), entries.len()))
    }
}

fn base_url(kind: SourceKind) -> String {
    std::env::var(kind.url_env_var()).ok().filter(|v| !v.trim().is_empty()).unwrap_or(kind.default_base_url().into())
}

/// Tries the series' sources in order; the first that delivers is written.
fn update_one(
    app: &App,
    e: &Entry,
    from: Option<Date>,
    overlap_days: u32,
    http: &HttpClient,
    store: &Mutex<Store>,
    fetched_at: &str,
) -> Result<Updated, Failed> {
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let mut errors = Vec::new();
    let last = {
        let store = lock();
        match store.series_meta(&e.id).and_then(|m| m.map_or(Ok(None), |_| store.last_date(&e.id, None))) {
            Ok(d) => d,
            Err(err) => return Err(Failed { series: e.id.to_string(), errors: vec![err.to_string()] }),
        }
    };
    let start = from.or_else(|| last.map(|d| d.add_days(-(overlap_days as i32))));
    for spec in &e.sources {
        match fetch_source(app, e, spec, start, http) {
            Ok(Some(pending)) => {
                let written = pending.write(&mut lock(), fetched_at);
                match written {
                    Ok(out) => {
                        return Ok(Updated {
                            series: e.id.to_string(),
                            source: pending.source.clone(),
                            url: pending.origin.clone(),
                            rows: pending.bars.len(),
                            first: pending.bars.first().map(|b| b.date),
                            last: pending.bars.last().map(|b| b.date),
                            inserted: out.inserted,
                            updated: out.updated,
                            unchanged: out.unchanged,
                        })
                    }
                    Err(err) => errors.push(format!("{}: {}", spec.kind, crate::failure::one_line(&err))),
                }
            }
            // Nothing new since the last stored date is success, not failure.
            Ok(None) if last.is_some() => {
                return Ok(Updated {
                    series: e.id.to_string(),
                    source: spec.kind.clone(),
                    url: String::new(),
                    rows: 0,
                    first: None,
                    last: None,
                    inserted: 0,
                    updated: 0,
                    unchanged: 0,
                })
            }
            Ok(None) => errors.push(format!("{}: no data for {}", spec.kind, spec.symbol)),
            Err(err) => errors.push(format!("{}: {err}", spec.kind)),
        }
    }
    Err(Failed { series: e.id.to_string(), errors })
}

/// Fetches one source; `Ok(None)` when it answered with no bars.
fn fetch_source(
    app: &App,
    e: &Entry,
    spec: &SourceSpec,
    start: Option<Date>,
    http: &HttpClient,
) -> Result<Option<Pending>> {
    let kind: SourceKind = spec.kind.parse()?;
    let p = provider(kind, None);
    let fetched = p.fetch(&FetchRequest::new(&spec.symbol).range(start, None), http)?;
    if fetched.bars.is_empty() {
        return Ok(None);
    }
    let meta = app.catalog.meta(&e.id).expect("entries come from the catalog");
    // Units are checked, not assumed: where the catalog and the vendor's
    // metadata both state one, they must agree.
    let from = match (&spec.unit, &fetched.unit) {
        (Some(ours), Some(theirs)) if ours != theirs => {
            return Err(anyhow!("{}: unit is {theirs}, the catalog says {ours}", fetched.url))
        }
        (ours, theirs) => ours.clone().or(theirs.clone()),
    };
    let bars = to_series_unit(&fetched.url, &meta, from.as_ref(), e.expect_median, &fetched.bars)?;
    let checksum = {
        let mut h = Sha256::new();
        for b in &bars {
            h.update(format!("{} {:?} {:?} {:?} {} {:?}\n", b.date, b.open, b.high, b.low, b.close, b.volume));
        }
        format!("{:x}", h.finalize())
    };
    Ok(Some(Pending {
        meta,
        source: kind.as_str().to_string(),
        priority: app.catalog.source_priority(&e.id, kind.as_str()).unwrap_or(50),
        origin: fetched.url,
        checksum,
        bars,
    }))
}
