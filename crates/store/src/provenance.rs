//! Provenance: which import changed what, from where, when.

use riskcurve_core::SeriesId;

use crate::error::sql;
use crate::{Store, StoreError};

/// One write that changed something.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProvenanceRow {
    /// Increasing with every recorded write.
    pub id: i64,
    /// The source written.
    pub source: String,
    /// The file path or URL read.
    pub origin: String,
    /// When the data was fetched, as the caller gave it.
    pub fetched_at: String,
    /// Rows in the batch.
    pub rows: u64,
    /// Rows inserted.
    pub inserted: u64,
    /// Rows updated.
    pub updated: u64,
    /// Rows removed (by a revert of the write that inserted them).
    pub removed: u64,
    /// The checksum the caller gave.
    pub checksum: String,
}

const COLUMNS: &str = "id, source, origin, fetched_at, rows, inserted, updated, removed, checksum";
/// Universe imports never remove rows.
const UNIVERSE_COLUMNS: &str = "id, source, origin, fetched_at, rows, inserted, updated, 0, checksum";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProvenanceRow> {
    Ok(ProvenanceRow {
        id: r.get(0)?,
        source: r.get(1)?,
        origin: r.get(2)?,
        fetched_at: r.get(3)?,
        rows: r.get(4)?,
        inserted: r.get(5)?,
        updated: r.get(6)?,
        removed: r.get(7)?,
        checksum: r.get(8)?,
    })
}

impl Store {
    /// A key that changes whenever a write changes observations (each such
    /// write, a revert included, adds a provenance row), a universe import
    /// changes a snapshot (it adds a universe provenance row), or series
    /// metadata or sources change (schema 4 counts those; a source's
    /// priority re-splices a series with no observation changing): a cheap
    /// key for caching what was read. On a database from before schema 4
    /// the last part is the number of series.
    pub fn data_version(&self) -> Result<(i64, i64, i64), StoreError> {
        let changes =
            if self.schema_version() >= 4 { "(SELECT n FROM generation)" } else { "(SELECT COUNT(*) FROM series)" };
        self.conn
            .prepare_cached(&format!(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM provenance),
                        (SELECT COALESCE(MAX(id), 0) FROM universe_provenance),
                        {changes}"
            ))
            .and_then(|mut stmt| stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
            .map_err(sql(|| "reading the data version".to_string()))
    }

    /// Every write that changed series `id`, oldest first (all sources,
    /// including sources since deleted, and reverts). On a database from
    /// before schema 3 `removed` reads 0.
    pub fn provenance(&self, id: &SeriesId) -> Result<Vec<ProvenanceRow>, StoreError> {
        self.require_series(id)?;
        self.conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM provenance WHERE series_id = ?1 ORDER BY id"))
            .and_then(|mut stmt| stmt.query_map([id.as_str()], from_row)?.collect())
            .map_err(sql(|| format!("reading provenance of series {id}")))
    }

    /// Every universe import that changed something, oldest first; `source`
    /// names the universe source.
    pub fn universe_provenance(&self) -> Result<Vec<ProvenanceRow>, StoreError> {
        self.conn
            .prepare_cached(&format!("SELECT {UNIVERSE_COLUMNS} FROM universe_provenance ORDER BY id"))
            .and_then(|mut stmt| stmt.query_map([], from_row)?.collect())
            .map_err(sql(|| "reading universe provenance".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::WriteBatch;

    #[test]
    fn records_changing_writes_only() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "rut");
        let bars = [bar(0, 1.0), bar(1, 2.0)];
        let batch = WriteBatch {
            series: &id,
            source: "yahoo",
            priority: 2,
            origin: "../shared/data/rut_daily_yahoo.csv",
            fetched_at: "2026-08-01T12:00:00Z",
            checksum: "sha256:abc",
            bars: &bars,
        };
        store.write(&batch).unwrap();
        store.write(&WriteBatch { fetched_at: "later", ..batch }).unwrap();
        let rows = store.provenance(&id).unwrap();
        assert_eq!(rows.len(), 1);
        let want = ProvenanceRow {
            id: rows[0].id,
            source: "yahoo".into(),
            origin: "../shared/data/rut_daily_yahoo.csv".into(),
            fetched_at: "2026-08-01T12:00:00Z".into(),
            rows: 2,
            inserted: 2,
            updated: 0,
            removed: 0,
            checksum: "sha256:abc".into(),
        };
        assert_eq!(rows[0], want);
    }

    /// The data version moves with what a read would see, and only then:
    /// a metadata change and a priority change alone move it (neither adds
    /// a provenance row); the same metadata and bars again do not.
    #[test]
    fn data_version_moves_with_metadata_and_priorities_not_with_repeats() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "rut");
        let bars = [bar(0, 1.0)];
        let batch = WriteBatch {
            series: &id,
            source: "yahoo",
            priority: 2,
            origin: "o",
            fetched_at: "t",
            checksum: "c",
            bars: &bars,
        };
        store.write(&batch).unwrap();
        let v0 = store.data_version().unwrap();
        meta(&mut store, "rut");
        store.write(&batch).unwrap();
        assert_eq!(store.data_version().unwrap(), v0, "a repeat moved it");
        store.write(&WriteBatch { priority: 3, ..batch }).unwrap();
        let v1 = store.data_version().unwrap();
        assert_ne!(v1, v0, "a priority change did not move it");
        let mut m = store.series_meta(&id).unwrap().unwrap();
        m.asset_class = "equity".into();
        store.upsert_series(&m).unwrap();
        assert_ne!(store.data_version().unwrap(), v1, "a metadata change did not move it");
    }
}
