//! What a date of a series looked like before each write (`series history`),
//! and undoing one write (`revert --import N`).

use riskcurve_core::{Bar, Date, SeriesId};
use riskcurve_store::{RevertOutcome, Revision, StoredObservation};
use serde::Serialize;

use crate::{bad, bad_input, App, Context, Result};

/// `series history ID DATE`: every source's row on the date now, and every
/// recorded change of it, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The series id.
    pub id: String,
    /// The date asked for.
    pub date: Date,
    /// Each source's row now, best first (the first is what `series show` serves).
    pub current: Vec<StoredObservation>,
    /// Each change: which write, when, old and new values.
    pub revisions: Vec<Revision>,
}

/// The history of series `id` on `date`; bad input when the series is not stored.
pub fn history(app: &App, id: &str, date: Date) -> Result<History> {
    let sid: SeriesId = id.parse().map_err(bad_input)?;
    let store = app.open_store()?;
    if store.series_meta(&sid)?.is_none() {
        return bad(format!("series {sid} is not in the database (see `riskcurve series list`)"));
    }
    Ok(History {
        id: sid.to_string(),
        date,
        current: store.observations_on(&sid, date)?,
        revisions: store.revisions(&sid, date)?,
    })
}

/// `revert --import N`: what the revert did.
#[derive(Debug, Clone, Serialize)]
pub struct Reverted {
    /// The write undone.
    pub reverted: i64,
    /// Its series.
    pub series: String,
    /// Its source.
    pub source: String,
    /// The revert's own write id (revert it to redo the write); `None` when
    /// nothing was left to undo.
    pub write: Option<i64>,
    /// Rows given back their earlier values.
    pub restored: u64,
    /// Rows the write had inserted, removed.
    pub removed: u64,
    /// Rows a later write has changed since, left as they are.
    pub kept: u64,
}

/// Undoes write `write_id` (a provenance id, as `import` and `update`
/// report it) in one transaction.
pub fn revert(app: &App, write_id: i64) -> Result<Reverted> {
    if !app.db.exists() {
        return bad(format!("{}: no database yet: nothing to revert", app.db.display()));
    }
    let mut store = app.open_store_for_writing()?;
    let RevertOutcome { reverted, series, source, write_id, restored, removed, kept } =
        store.revert_write(write_id, &app.now).context_with(|| "revert".to_string())?;
    Ok(Reverted { reverted, series: series.to_string(), source, write: write_id, restored, removed, kept })
}

/// The close of a bar, for people; `-` for no row.
pub fn close_or_dash(bar: Option<&Bar>) -> String {
    bar.map_or_else(|| "-".to_string(), |b| crate::human::price(b.close))
}
