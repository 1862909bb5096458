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

use crate::catalog::{usdt_as_usd, Entry, SourceSpec};
use crate::coin_identity::SnapshotPrices;
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
    /// `"USDT"` when the source quotes in Tether and its rows are stored 1:1
    /// in this dollar series (labelled, not converted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
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
    /// Why each source before `source` was passed over (an error, or no
    /// rows), in catalog order; empty when the first source delivered.
    pub skipped: Vec<String>,
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
    let store = app.open_store_for_writing()?;
    let prices = SnapshotPrices::read(&store)?;
    let store = Mutex::new(store);
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
                let r = update_one(app, e, req.from, req.overlap_days, &http, (&store, &prices), fetched_at);
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

/// Tries the series' sources in order; the first that delivers rows is
/// written, and the result says which one it was and why the ones before
/// it were passed over.
///
/// A source that answers with no rows is a failure for fallback purposes
/// (issue 10 item 10): the range asked for starts at or before the last
/// stored date (the overlap), so a working vendor sends at least the rows
/// already stored, and an empty answer means it has nothing for this series.
/// "Nothing new" is a source that sends rows, none after the last stored
/// date: a success with 0 new rows, naming the source. Only a range that
/// starts after the last stored date (`--from` later than it) can be empty
/// without a failure, and then only when every source answers empty.
fn update_one(
    app: &App,
    e: &Entry,
    from: Option<Date>,
    overlap_days: u32,
    http: &HttpClient,
    (store, prices): (&Mutex<Store>, &SnapshotPrices),
    fetched_at: &str,
) -> Result<Updated, Failed> {
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let failed = |errors: Vec<String>, offline| Failed { series: e.id.to_string(), errors, offline };
    let mut errors = Vec::new();
    let mut offline = true;
    let last = {
        let store = lock();
        match store.series_meta(&e.id).and_then(|m| m.map_or(Ok(None), |_| store.last_date(&e.id, None))) {
            Ok(d) => d,
            Err(err) => return Err(failed(vec![err.to_string()], false)),
        }
    };
    let start = from.or_else(|| last.map(|d| d.checked_add_days(-i64::from(overlap_days)).unwrap_or(Date::MIN)));
    let mut empty_answers = Vec::new();
    for spec in &e.sources {
        let fetched = fetch_source(app, e, spec, start, http)
            .and_then(|p| rebase_adjusted(app, e, spec, p, http, &lock))
            .and_then(|p| prices.check(&p.origin, &p.meta, &p.bars).map(|_| p));
        match fetched {
            Ok(pending) if pending.bars.is_empty() => {
                offline = false;
                let range = start.map_or("its whole history".to_string(), |d| format!("{d} onwards"));
                errors.push(format!("{}: no rows for {} ({range}): trying the next source", spec.kind, spec.symbol));
                empty_answers.push(pending);
            }
            Ok(pending) => match pending.write(&mut lock(), fetched_at) {
                Ok(out) => return Ok(updated(app, e, &pending, out.outcome, out.write_id, errors)),
                Err(err) => {
                    offline = false;
                    errors.push(format!("{}: {}", spec.kind, err.one_line()))
                }
            },
            Err(err) => {
                offline &= err.is_offline();
                errors.push(format!("{}: {}", spec.kind, err.one_line()))
            }
        }
    }
    let after_last = matches!((start, last), (Some(s), Some(l)) if s > l);
    if after_last && empty_answers.len() == e.sources.len() {
        let first = &empty_answers[0];
        return Ok(updated(app, e, first, Default::default(), None, Vec::new()));
    }
    Err(failed(errors, offline))
}

/// What one source delivered and what it changed; `skipped` says why the
/// sources before it were passed over.
fn updated(
    app: &App,
    e: &Entry,
    p: &Pending,
    outcome: riskcurve_store::WriteOutcome,
    write: Option<i64>,
    skipped: Vec<String>,
) -> Updated {
    Updated {
        series: e.id.to_string(),
        source: p.source.clone(),
        quote: app.catalog.quote_label(&e.id, &p.source, &p.meta.unit).map(str::to_string),
        url: p.origin.clone(),
        rows: p.bars.len(),
        first: p.bars.first().map(|b| b.date),
        last: p.bars.last().map(|b| b.date),
        inserted: outcome.inserted,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        write,
        skipped,
    }
}

/// An adjusted series (issue 10 item 9) whose overlap no longer matches the
/// stored values before the last stored date (a dividend since the last
/// fetch moved every earlier adjusted price, or the stored rows are another
/// source's on another basis, as the snapshot's) is fetched again whole, so
/// that its history is on one adjustment basis, not re-based only from the
/// overlap on. The fetch is compared with the merged view it will join.
fn rebase_adjusted<'s>(
    app: &App,
    e: &Entry,
    spec: &SourceSpec,
    fetched: Pending,
    http: &HttpClient,
    lock: &impl Fn() -> std::sync::MutexGuard<'s, Store>,
) -> Result<Pending> {
    if !e.adjusted || fetched.bars.is_empty() {
        return Ok(fetched);
    }
    let stored = {
        let store = lock();
        match store.series_meta(&e.id)? {
            Some(_) => store.bars(&e.id, None, None)?.into_iter().map(|b| b.bar).collect::<Vec<_>>(),
            None => return Ok(fetched),
        }
    };
    // The last stored bar may have been a live one (today's price so far):
    // only the rows before it say whether the adjustment basis moved.
    let last = stored.last().map(|b| b.date);
    let by_date: std::collections::HashMap<Date, f64> = stored.iter().map(|b| (b.date, b.close)).collect();
    let moved = fetched
        .bars
        .iter()
        .filter(|b| Some(b.date) < last)
        .any(|b| by_date.get(&b.date).is_some_and(|s| (s / b.close - 1.0).abs() > 1e-6));
    match moved {
        true => fetch_source(app, e, spec, None, http),
        false => Ok(fetched),
    }
}

/// Fetches one source (adjusted prices for an adjusted series); the bars
/// are empty when it answered with none.
fn fetch_source(app: &App, e: &Entry, spec: &SourceSpec, start: Option<Date>, http: &HttpClient) -> Result<Pending> {
    let kind: SourceKind = spec.kind.parse().map_err(bad_input)?;
    let p = provider(kind, None);
    let fetched = p.fetch(&FetchRequest::new(&spec.symbol).range(start, None).adjusted(e.adjusted), http)?;
    let meta = app.catalog.meta(&e.id).expect("entries come from the catalog");
    // Units are checked, not assumed: where the catalog and the vendor's
    // metadata both state one, they must agree.
    let from = match (&spec.unit, &fetched.unit) {
        (Some(ours), Some(theirs)) if ours != theirs => {
            return Err(AppError::Failed(format!("{}: unit is {theirs}, the catalog says {ours}", fetched.url)))
        }
        (ours, theirs) => ours.clone().or(theirs.clone()),
    };
    if spec.unit.is_none() && usdt_as_usd(fetched.unit.as_ref(), &meta.unit) {
        return Err(AppError::Failed(format!(
            "{}: prices are in USDT and the catalog names no unit for this source: add unit = \"USDT\" (stored 1:1, labelled USDT)",
            fetched.url
        )));
    }
    let bars = to_series_unit(&fetched.url, &meta, from.as_ref(), e.expect_median, &fetched.bars)?;
    let checksum = {
        let mut h = Sha256::new();
        for b in &bars {
            h.update(format!("{} {:?} {:?} {:?} {} {:?}\n", b.date, b.open, b.high, b.low, b.close, b.volume));
        }
        format!("{:x}", h.finalize())
    };
    Ok(Pending {
        meta,
        source: kind.as_str().to_string(),
        priority: app.catalog.source_priority(&e.id, kind.as_str()).unwrap_or(50),
        origin: fetched.url,
        checksum,
        bars,
    })
}
