//! The embedded offline snapshot: built from files by `riskcurve snapshot
//! build`, compiled into the binary, and used to seed an empty database when
//! the live sources cannot be reached.
//!
//! It is a starting point, never silently mixed with live data: every row it
//! seeds is stored under the source `snapshot` at the lowest priority, so any
//! live or file source outranks it, and `series list` shows where each row
//! came from.

use std::path::{Path, PathBuf};

use riskcurve_core::{Bar, Date, SeriesId};
use riskcurve_store::{Snapshot, Store};
use serde::Serialize;

use crate::import::{import, ImportRequest};
use crate::{bad, App, AppError, Context, Progress, Result};

/// The snapshot compiled into this binary (`snapshot/riskcurve-snapshot.bin`).
pub const EMBEDDED: &[u8] = include_bytes!("../../../snapshot/riskcurve-snapshot.bin");

/// Series with full OHLCV bars in the snapshot (breakouts on the intraday
/// high and volume ratios need them); every other series keeps closes only
/// (IWM's dividend-adjusted OHLC alone would cost 150 KB).
const OHLCV: [&str; 3] = ["rut", "spx", "ixic"];

/// Equities and macro series in the snapshot; crypto series are added from
/// what the build's data holds.
const CORE: [&str; 10] = ["rut", "spx", "ixic", "iwm", "walcl", "wtregen", "rrpontsyd", "dgs10", "dff", "btc"];

/// Membership snapshots altseason and the alt basket need.
const UNIVERSE_SOURCES: [&str; 2] = ["coinmarketcap", "universe-json"];

/// What `snapshot build` asks for.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The manifest naming the files (`datasets/shared-data.toml`).
    pub manifest: PathBuf,
    /// Replaces the manifest's data directory.
    pub data_dir: Option<PathBuf>,
    /// Where the snapshot is written.
    pub out: PathBuf,
}

/// One series in a snapshot, as people read it.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotItem {
    /// Series id.
    pub id: String,
    /// Observations.
    pub rows: usize,
    /// First date.
    pub first: Option<Date>,
    /// Last date: the series' as-of date in the snapshot.
    pub last: Option<Date>,
    /// Where its rows came from originally.
    pub sources: Vec<String>,
}

/// What a snapshot holds (`snapshot build`, `snapshot show`).
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotSummary {
    /// Its as-of date: the last date of any series in it (the build is
    /// stamped with the data, not the clock, so it is reproducible).
    pub built_at: String,
    /// What it was built from.
    pub built_from: String,
    /// Encoded size in bytes.
    pub bytes: usize,
    /// Its series.
    pub series: Vec<SnapshotItem>,
    /// Membership snapshots: (source, dates).
    pub universes: Vec<(String, usize)>,
}

impl SnapshotSummary {
    fn of(snap: &Snapshot, bytes: usize) -> SnapshotSummary {
        let series = snap
            .series
            .iter()
            .map(|s| SnapshotItem {
                id: s.meta.id.to_string(),
                rows: s.bars.len(),
                first: s.bars.first().map(|b| b.date),
                last: s.last_date(),
                sources: s.sources.iter().map(|x| format!("{} {}..{}", x.source, x.first, x.last)).collect(),
            })
            .collect();
        let universes = snap
            .universes
            .iter()
            .map(|u| {
                let mut dates: Vec<Date> = u.rows.iter().map(|r| r.date).collect();
                dates.dedup();
                (u.source.clone(), dates.len())
            })
            .collect();
        SnapshotSummary {
            built_at: snap.built_at.clone(),
            built_from: snap.built_from.clone(),
            bytes,
            series,
            universes,
        }
    }
}

/// Imports the manifest into a scratch database and writes the snapshot of
/// the core series (equities, BTC, ETH and every stored altcoin, the
/// liquidity components, rates) and the membership snapshots.
pub fn build(app: &App, req: &BuildRequest, progress: &dyn Progress) -> Result<SnapshotSummary> {
    let scratch = ScratchDb::new(&app.db)?;
    let scratch_app =
        App { db: scratch.0.clone(), catalog: app.catalog.clone(), today: app.today, now: app.now.clone() };
    let import_req = ImportRequest {
        manifest: Some(req.manifest.clone()),
        data_dir: req.data_dir.clone(),
        ..ImportRequest::default()
    };
    import(&scratch_app, &import_req, progress)?;
    let store = Store::open(&scratch.0)?;
    let mut ids: Vec<SeriesId> = CORE.iter().map(|s| s.parse()).collect::<Result<_, _>>()?;
    for s in store.list()? {
        let flagged = s.flags.iter().any(|f| !f.is_empty());
        if s.asset_class == "crypto" && !flagged && !ids.contains(&s.id) {
            ids.push(s.id);
        }
    }
    // The manifest's file name only: the bytes must not depend on where the
    // repository is checked out.
    let manifest_name = req.manifest.file_name().map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let built_from =
        format!("datasets/{manifest_name} over ../shared/data (real public exports; provenance in its SOURCES.md)");
    // Stamped with the data's last date, not the clock, so the same files
    // always give the same bytes.
    let mut snap = store.export_snapshot(&ids, &UNIVERSE_SOURCES, "", &built_from)?;
    snap.built_at = snap.series.iter().filter_map(|s| s.last_date()).max().map(|d| d.to_string()).unwrap_or_default();
    for s in &mut snap.series {
        if !OHLCV.contains(&s.meta.id.as_str()) {
            s.bars = s.bars.iter().map(|b| Bar::value(b.date, b.close)).collect();
        }
    }
    let bytes = snap.encode();
    std::fs::write(&req.out, &bytes)
        .map_err(|e| AppError::Failed(format!("{}: cannot write the snapshot: {e}", req.out.display())))?;
    Ok(SnapshotSummary::of(&snap, bytes.len()))
}

/// What the embedded snapshot holds.
pub fn embedded() -> Result<SnapshotSummary> {
    let snap = decode_embedded()?;
    Ok(SnapshotSummary::of(&snap, EMBEDDED.len()))
}

fn decode_embedded() -> Result<Snapshot> {
    if EMBEDDED.is_empty() {
        return Err(AppError::Failed(
            "this build has no embedded snapshot (run `riskcurve snapshot build` and rebuild)".into(),
        ));
    }
    Snapshot::decode(EMBEDDED).context_with(|| "the embedded snapshot".to_string())
}

/// Seeds `store` from the embedded snapshot; returns what it holds.
pub fn seed(app: &App, store: &mut Store) -> Result<SnapshotSummary> {
    let snap = decode_embedded()?;
    store.seed_from_snapshot(&snap, &app.now)?;
    Ok(SnapshotSummary::of(&snap, EMBEDDED.len()))
}

/// A scratch database beside the real one, removed when dropped.
struct ScratchDb(PathBuf);

impl ScratchDb {
    fn new(near: &Path) -> Result<ScratchDb> {
        let dir = std::env::temp_dir();
        let name = format!("riskcurve-snapshot-{}.db", std::process::id());
        let path = dir.join(name);
        if path == near {
            return bad("the scratch database would overwrite --db");
        }
        let scratch = ScratchDb(path);
        scratch.remove();
        Ok(scratch)
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        self.remove();
    }
}
