//! Fetching what is missing from the live sources.
//!
//! Series run in parallel; the shared [`HttpClient`] keeps each host within
//! its rate limit, retries what is worth retrying and honours `Retry-After`.
//! Each series tries its catalog sources in order and stops at the first that
//! delivers. Failures are collected and printed one line per series at the
//! end; the series that succeeded are already stored.

use std::sync::Mutex;
use std::time::Duration;

use rayon::prelude::*;
use riskcurve_core::{Date, SeriesId};
use riskcurve_ingest::provider::{provider, url_host, FetchRequest, HttpClient, SourceKind};
use riskcurve_store::Store;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::{Entry, SourceSpec};
use crate::import::{to_series_unit, Pending};
use crate::{bad, bad_input, App, AppError, Progress, Result};

/// What `update` asks for.
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// Series to update (empty: every catalog series with a live source).
    pub series: Vec<String>,
    /// Fetch from this date instead of from the last stored date.
    pub from: Option<Date>,
    /// Days before the last stored date to fetch again, to catch revisions.
    pub overlap_days: u32,
    /// Series fetched at the same time.
    pub jobs: usize,
    /// Seconds before a request times out.
    pub timeout: u64,
    /// Retries of a request that failed with 429, 5xx or a timeout.
    pub retries: u32,
    /// Seconds one series may take, all its sources, retries and pages included.
    pub series_deadline: u64,
    /// Seconds the whole run may take.
    pub deadline: u64,
}

impl Default for UpdateRequest {
    fn default() -> UpdateRequest {
        UpdateRequest {
            series: Vec::new(),
            from: None,
            overlap_days: 7,
            jobs: 4,
            timeout: 30,
            retries: 4,
            series_deadline: 120,
            deadline: 900,
        }
    }
}

/// A series that was fetched and stored.
#[derive(Debug, Clone, Serialize)]
pub struct Updated {
    /// Series id.
    pub series: String,
    /// The source that delivered.
    pub source: String,
    /// The request URL.
    pub url: String,
    /// Rows fetched.
    pub rows: usize,
    /// First date fetched.
    pub first: Option<Date>,
    /// Last date fetched.
    pub last: Option<Date>,
    /// Rows new to the source.
    pub inserted: u64,
    /// Rows whose values changed.
    pub updated: u64,
    /// Rows already stored as they are.
    pub unchanged: u64,
    /// The write's id (`riskcurve revert --import N` undoes it); `None` when
    /// nothing changed.
    pub write: Option<i64>,
}

/// A series every source of which failed.
#[derive(Debug, Clone, Serialize)]
pub struct Failed {
    /// Series id.
    pub series: String,
    /// One message per source tried.
    pub errors: Vec<String>,
    /// True when every source failed because its host could not be reached
    /// (DNS, connection refused, no route): the machine is offline.
    pub offline: bool,
}

/// `update`: what landed and what failed.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateReport {
    /// Series stored.
    pub updated: Vec<Updated>,
    /// Series whose sources all failed.
    pub failed: Vec<Failed>,
    /// Hosts found unreachable in this run.
    pub unreachable_hosts: Vec<String>,
}

impl UpdateReport {
    /// The failures as one line for people, or `None` when nothing failed.
    pub fn failure_summary(&self) -> Option<String> {
        if self.failed.is_empty() {
            return None;
        }
        let total = self.updated.len() + self.failed.len();
        if self.updated.is_empty() && self.failed.iter().all(|f| f.offline) {
            return Some(format!(
                "network unreachable ({}): no series updated; `riskcurve import --manifest FILE` loads files, `riskcurve status --offline` uses the embedded snapshot",
                self.unreachable_hosts.join(", ")
            ));
        }
        Some(format!("{} of {total} series failed to update", self.failed.len()))
    }
}

/// Fetches every requested series from its live sources; series that fail
/// are reported in the result (the others are stored regardless).
pub fn update(app: &App, req: &UpdateRequest, progress: &dyn Progress) -> Result<UpdateReport> {
    let entries: Vec<&Entry> = if req.series.is_empty() {
        app.catalog.entries().filter(|e| !e.sources.is_empty()).collect()
    } else {
        let mut v = Vec::new();
        for s in &req.series {
            let id: SeriesId = s.parse().map_err(bad_input)?;
            match app.catalog.get(&id) {
                Some(e) if !e.sources.is_empty() => v.push(e),
                Some(_) => return bad(format!("series {id} has no live source in the catalog")),
                None => return bad(format!("series {id} is not in the catalog (see `riskcurve catalog`)")),
            }
        }
        v
    };
    check_bounds(req)?;
    let mut http = HttpClient::builder()
        .timeout(Duration::from_secs(req.timeout.max(1)))
        .max_retries(req.retries)
        .deadline(Duration::from_secs(req.deadline.max(1)));
    for kind in SourceKind::ALL {
        let base = base_url(kind);
        http = http.host_interval(url_host(&base), kind.polite_interval());
    }
    let http = http.build();
    let store = Mutex::new(app.open_store_for_writing()?);
    let fetched_at = app.now.as_str();

    progress.start(entries.len() as u64, "updating");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(req.jobs)
        .build()
        .map_err(|e| AppError::Failed(format!("cannot start {} threads: {e}", req.jobs)))?;
    let results: Vec<Result<Updated, Failed>> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| {
                // Each series gets its own budget, never past the run's.
                let http = http.with_deadline(Duration::from_secs(req.series_deadline.max(1)));
                let r = update_one(app, e, req.from, req.overlap_days, &http, &store, fetched_at);
                progress.step(e.id.as_str());
                r
            })
            .collect()
    });
    progress.finish();

    let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let updated: Vec<Updated> = ok.into_iter().filter_map(Result::ok).collect();
    let failed: Vec<Failed> = failed.into_iter().filter_map(Result::err).collect();
    Ok(UpdateReport { updated, failed, unreachable_hosts: http.unreachable_hosts() })
}

/// The largest `--overlap-days`: a century re-fetches any series whole.
pub const MAX_OVERLAP_DAYS: u32 = 36_500;
/// The most series fetched at once (`--jobs`).
pub const MAX_JOBS: usize = 32;
/// The most retries of one request (`--retries`).
pub const MAX_RETRIES: u32 = 20;
/// The longest request timeout and deadlines, in seconds (a day).
pub const MAX_SECONDS: u64 = 86_400;

/// Every count of the request within its documented range (the command
/// line checks the same ranges; this guards other front ends).
fn check_bounds(req: &UpdateRequest) -> Result<()> {
    let within = |flag: &str, v: u64, lo: u64, hi: u64| {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            bad(format!("--{flag} {v}: expected {lo} to {hi}"))
        }
    };
    within("jobs", req.jobs as u64, 1, MAX_JOBS as u64)?;
    within("overlap-days", u64::from(req.overlap_days), 0, u64::from(MAX_OVERLAP_DAYS))?;
    within("retries", u64::from(req.retries), 0, u64::from(MAX_RETRIES))?;
    within("timeout", req.timeout, 1, MAX_SECONDS)?;
    within("series-deadline", req.series_deadline, 1, MAX_SECONDS)?;
    within("deadline", req.deadline, 1, MAX_SECONDS)
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
    let mut offline = true;
    let last = {
        let store = lock();
        match store.series_meta(&e.id).and_then(|m| m.map_or(Ok(None), |_| store.last_date(&e.id, None))) {
            Ok(d) => d,
            Err(err) => return Err(Failed { series: e.id.to_string(), errors: vec![err.to_string()], offline: false }),
        }
    };
    let start = from.or_else(|| last.map(|d| d.checked_add_days(-i64::from(overlap_days)).unwrap_or(Date::MIN)));
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
                            inserted: out.outcome.inserted,
                            updated: out.outcome.updated,
                            unchanged: out.outcome.unchanged,
                            write: out.write_id,
                        })
                    }
                    Err(err) => {
                        offline = false;
                        errors.push(format!("{}: {}", spec.kind, err.one_line()))
                    }
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
                    write: None,
                })
            }
            Ok(None) => {
                offline = false;
                errors.push(format!("{}: no data for {}", spec.kind, spec.symbol))
            }
            Err(err) => {
                offline &= err.is_offline();
                errors.push(format!("{}: {err}", spec.kind))
            }
        }
    }
    Err(Failed { series: e.id.to_string(), errors, offline })
}

/// Fetches one source; `Ok(None)` when it answered with no bars.
fn fetch_source(
    app: &App,
    e: &Entry,
    spec: &SourceSpec,
    start: Option<Date>,
    http: &HttpClient,
) -> Result<Option<Pending>> {
    let kind: SourceKind = spec.kind.parse().map_err(bad_input)?;
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
            return Err(AppError::Failed(format!("{}: unit is {theirs}, the catalog says {ours}", fetched.url)))
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
