//! Revisions: every value a write replaced, shown per date and undone per
//! write.
//!
//! A write never destroys history: when it changes a stored row, the old
//! values go to the `revisions` table with the write's provenance id and
//! fetch time, and every row names the write that last set it. That is
//! enough to show what a date looked like before (`series history`) and to
//! undo one write (`revert --import N`): its inserted rows are removed and
//! the values it replaced are restored, in one transaction, unless a later
//! write has since changed them (those are kept, and counted). A revert is a
//! write itself, with its own provenance id and revisions, so it can be
//! reverted too.

use riskcurve_core::{Bar, Date, SeriesId};
use rusqlite::TransactionBehavior;

use crate::error::sql;
use crate::write::{next_write_id, put_row, record_revision, stored_rows, Stamp, StoredRow};
use crate::{Store, StoreError};

/// One change of one row: what a write replaced and with what.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Revision {
    /// The provenance id of the write that made the change.
    pub write_id: i64,
    /// The source whose row changed.
    pub source: String,
    /// The date of the row.
    pub date: Date,
    /// When the write's data was fetched (as its caller gave it).
    pub fetched_at: String,
    /// Where the write's data came from (file or URL), from its provenance.
    pub origin: String,
    /// The values before; `None` when there was no row.
    pub old: Option<Bar>,
    /// The write that had set the old values (`None`: before schema 3).
    pub old_write_id: Option<i64>,
    /// The values after; `None` when the write removed the row (a revert).
    pub new: Option<Bar>,
}

/// One source's row on a date as stored now.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredObservation {
    /// The source.
    pub source: String,
    /// Its priority for the series (the largest is served).
    pub priority: i32,
    /// The values.
    pub bar: Bar,
    /// The write that last set them (`None`: before schema 3).
    pub write_id: Option<i64>,
}

/// What [`Store::revert_write`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevertOutcome {
    /// The write reverted.
    pub reverted: i64,
    /// Its series.
    pub series: SeriesId,
    /// Its source.
    pub source: String,
    /// The revert's own provenance id (`None` when it changed nothing).
    pub write_id: Option<i64>,
    /// Rows given back the values the write had replaced.
    pub restored: u64,
    /// Rows the write had inserted, now removed.
    pub removed: u64,
    /// Rows a later write has changed since: left as they are.
    pub kept: u64,
}

impl Store {
    /// Every recorded change of series `id` on `date` (all sources), oldest
    /// first; empty for a database from before schema 3.
    pub fn revisions(&self, id: &SeriesId, date: Date) -> Result<Vec<Revision>, StoreError> {
        self.require_series(id)?;
        if self.schema_version() < 3 {
            return Ok(Vec::new());
        }
        let failed = sql(|| format!("reading revisions of series {id} on {date}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.write_id, r.source, r.date, r.fetched_at, COALESCE(p.origin, ''), r.old_write_id,
                        r.old_open, r.old_high, r.old_low, r.old_close, r.old_volume,
                        r.new_open, r.new_high, r.new_low, r.new_close, r.new_volume
                 FROM revisions r LEFT JOIN provenance p ON p.id = r.write_id
                 WHERE r.series_id = ?1 AND r.date = ?2
                 ORDER BY r.write_id, r.source",
            )
            .map_err(&failed)?;
        let rows = stmt
            .query_map((id.as_str(), date.days()), |r| {
                Ok(Revision {
                    write_id: r.get(0)?,
                    source: r.get(1)?,
                    date,
                    fetched_at: r.get(3)?,
                    origin: r.get(4)?,
                    old_write_id: r.get(5)?,
                    old: revision_bar(r, 6, date)?,
                    new: revision_bar(r, 11, date)?,
                })
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(&failed)?;
        Ok(rows)
    }

    /// Every source's row of series `id` on `date` as stored now, best first.
    pub fn observations_on(&self, id: &SeriesId, date: Date) -> Result<Vec<StoredObservation>, StoreError> {
        self.require_series(id)?;
        let write_col = if self.schema_version() >= 3 { "o.write_id" } else { "NULL" };
        let failed = sql(|| format!("reading series {id} on {date}"));
        self.conn
            .prepare_cached(&format!(
                "SELECT o.date, o.open, o.high, o.low, o.close, o.volume, o.source, s.priority, {write_col}
                 FROM observations o JOIN sources s ON s.series_id = o.series_id AND s.source = o.source
                 WHERE o.series_id = ?1 AND o.date = ?2
                 ORDER BY s.priority DESC, o.source"
            ))
            .and_then(|mut stmt| {
                stmt.query_map((id.as_str(), date.days()), |r| {
                    Ok(StoredObservation {
                        bar: crate::read::bar_from_row(r)?,
                        source: r.get(6)?,
                        priority: r.get(7)?,
                        write_id: r.get(8)?,
                    })
                })?
                .collect()
            })
            .map_err(&failed)
    }

    /// Undoes write `write_id` in one transaction: removes the rows it
    /// inserted and gives back the values it replaced, except where a later
    /// write has changed a row since (kept, and counted in
    /// [`RevertOutcome::kept`]). The revert is recorded as a write of its
    /// own (provenance origin `revert of write N`), with revisions, so it can
    /// be reverted in turn. Unknown ids are [`StoreError::UnknownWrite`].
    pub fn revert_write(&mut self, write_id: i64, fetched_at: &str) -> Result<RevertOutcome, StoreError> {
        let failed = sql(|| format!("reverting write {write_id}"));
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&failed)?;
        let found: Option<(String, String)> = tx
            .prepare_cached("SELECT series_id, source FROM provenance WHERE id = ?1")
            .and_then(|mut s| s.query_map([write_id], |r| Ok((r.get(0)?, r.get(1)?)))?.next().transpose())
            .map_err(&failed)?;
        let Some((series, source)) = found else { return Err(StoreError::UnknownWrite(write_id)) };
        let id = SeriesId::new(&series).map_err(|_| StoreError::InvalidStored {
            series: series.clone(),
            field: "id",
            value: series.clone(),
        })?;
        let revert_id = next_write_id(&tx).map_err(&failed)?;
        let stamp = Stamp { write_id: revert_id, fetched_at };

        // What the write replaced: (date, old, new) with the old write id.
        let changes: Vec<(i32, Option<StoredRow>, Option<Bar>)> = tx
            .prepare_cached(
                "SELECT date, old_write_id, old_open, old_high, old_low, old_close, old_volume,
                        new_open, new_high, new_low, new_close, new_volume
                 FROM revisions WHERE write_id = ?1 ORDER BY date",
            )
            .and_then(|mut s| {
                s.query_map([write_id], |r| {
                    let day: i32 = r.get(0)?;
                    let date = Date::from_days(day);
                    let old_write: Option<i64> = r.get(1)?;
                    Ok((day, revision_bar(r, 2, date)?.map(|b| (b, old_write)), revision_bar(r, 7, date)?))
                })?
                .collect()
            })
            .map_err(&failed)?;
        let current = stored_rows(&tx, &id, &source, i32::MIN, i32::MAX).map_err(&failed)?;

        let mut out = RevertOutcome {
            reverted: write_id,
            series: id.clone(),
            source: source.clone(),
            write_id: None,
            restored: 0,
            removed: 0,
            kept: 0,
        };
        let (mut inserted, mut updated) = (0i64, 0i64);
        let mut changed_days = std::collections::HashSet::new();
        for (day, old, new) in &changes {
            changed_days.insert(*day);
            let now = current.get(day);
            // Only a row that still holds what the write put there is undone.
            if now.map(|(b, _)| b) != new.as_ref() {
                out.kept += 1;
                continue;
            }
            match old {
                Some((bar, old_write)) => {
                    put_row(&tx, &id, &source, bar, *old_write).map_err(&failed)?;
                    out.restored += 1;
                    if now.is_some() {
                        updated += 1;
                    } else {
                        inserted += 1;
                    }
                }
                None => {
                    delete_row(&tx, &id, &source, *day).map_err(&failed)?;
                    out.removed += 1;
                }
            }
            record_revision(&tx, stamp, (&id, &source), *day, now, old.as_ref().map(|(b, _)| b)).map_err(&failed)?;
        }
        // Rows the write inserted: still set by it, with no revision of it.
        let mut inserted_by_it: Vec<(&i32, &StoredRow)> =
            current.iter().filter(|(day, (_, w))| *w == Some(write_id) && !changed_days.contains(*day)).collect();
        inserted_by_it.sort_by_key(|(day, _)| **day);
        for (day, row) in inserted_by_it {
            delete_row(&tx, &id, &source, *day).map_err(&failed)?;
            record_revision(&tx, stamp, (&id, &source), *day, Some(row), None).map_err(&failed)?;
            out.removed += 1;
        }
        // Rows it inserted that a later write has changed since.
        let later: Vec<i32> = tx
            .prepare_cached(
                "SELECT DISTINCT date FROM revisions WHERE series_id = ?1 AND source = ?2 AND old_write_id = ?3
                 AND write_id > ?3 AND date NOT IN (SELECT date FROM revisions WHERE write_id = ?3)",
            )
            .and_then(|mut s| s.query_map((id.as_str(), source.as_str(), write_id), |r| r.get(0))?.collect())
            .map_err(&failed)?;
        out.kept +=
            later.iter().filter(|day| current.get(day).is_none_or(|(_, w)| *w != Some(write_id))).count() as u64;

        if out.restored + out.removed > 0 {
            tx.prepare_cached(
                "INSERT INTO provenance
                     (id, series_id, source, origin, fetched_at, rows, inserted, updated, removed, checksum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '')",
            )
            .and_then(|mut s| {
                s.execute(rusqlite::params![
                    revert_id,
                    id.as_str(),
                    source,
                    format!("revert of write {write_id}"),
                    fetched_at,
                    (out.restored + out.removed) as i64,
                    inserted,
                    updated,
                    out.removed as i64,
                ])
            })
            .map_err(&failed)?;
            out.write_id = Some(revert_id);
        }
        crate::closes::drop_row(&tx, &id).map_err(&failed)?;
        crate::closes::refresh(&tx)?;
        tx.commit().map_err(&failed)?;
        Ok(out)
    }
}

/// The bar stored in revision columns `at..at + 5` (open, high, low, close,
/// volume); `None` when the close is NULL (no row).
fn revision_bar(r: &rusqlite::Row<'_>, at: usize, date: Date) -> rusqlite::Result<Option<Bar>> {
    let Some(close) = r.get::<_, Option<f64>>(at + 3)? else { return Ok(None) };
    Ok(Some(Bar { date, open: r.get(at)?, high: r.get(at + 1)?, low: r.get(at + 2)?, close, volume: r.get(at + 4)? }))
}

fn delete_row(conn: &rusqlite::Connection, id: &SeriesId, source: &str, day: i32) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM observations WHERE series_id = ?1 AND source = ?2 AND date = ?3")?.execute((
        id.as_str(),
        source,
        day,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, dump, meta};
    use crate::WriteBatch;

    fn batch<'a>(id: &'a SeriesId, fetched_at: &'a str, bars: &'a [Bar]) -> WriteBatch<'a> {
        WriteBatch { series: id, source: "yahoo", priority: 100, origin: "test.csv", fetched_at, checksum: "c", bars }
    }

    /// Issue 11 item 3: importing a test file as btc replaced real closes and
    /// nothing could bring them back.
    #[test]
    fn revised_value_is_kept_in_revisions_and_revert_restores_it() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        let real: Vec<Bar> = (0..30).map(|d| bar(d, 60_000.0 + f64::from(d))).collect();
        store.write(&batch(&id, "2026-01-01T00:00:00Z", &real)).unwrap();
        let before = dump(&store.conn);
        let first = store.provenance(&id).unwrap()[0].id;

        // A revision of two days and one new day.
        let revised = [bar(28, 61_000.0), bar(29, 61_001.0), bar(30, 61_002.0)];
        store.write(&batch(&id, "2026-01-02T00:00:00Z", &revised)).unwrap();
        let second = store.provenance(&id).unwrap()[1].id;
        let day = Date::from_days(28);
        let history = store.revisions(&id, day).unwrap();
        assert_eq!(history.len(), 1);
        let r = &history[0];
        assert_eq!((r.write_id, r.source.as_str(), r.fetched_at.as_str()), (second, "yahoo", "2026-01-02T00:00:00Z"));
        assert_eq!((r.old, r.new, r.old_write_id), (Some(real[28]), Some(revised[0]), Some(first)));
        let now = store.observations_on(&id, day).unwrap();
        assert_eq!((now[0].bar, now[0].write_id), (revised[0], Some(second)));

        let out = store.revert_write(second, "2026-01-03T00:00:00Z").unwrap();
        assert_eq!((out.restored, out.removed, out.kept), (2, 1, 0));
        let restored: Vec<Bar> = store.bars(&id, None, None).unwrap().into_iter().map(|s| s.bar).collect();
        assert_eq!(restored, real);
        assert_eq!(store.observations_on(&id, day).unwrap()[0].write_id, Some(first));

        // The revert is a write: reverting it brings the revision back.
        let again = store.revert_write(out.write_id.unwrap(), "2026-01-04T00:00:00Z").unwrap();
        assert_eq!((again.restored, again.removed), (3, 0));
        assert_eq!(store.bars(&id, Some(day), None).unwrap().iter().map(|s| s.bar).collect::<Vec<_>>(), revised);

        // Reverting the first write after all that leaves only what later writes set.
        let undo_all = store.revert_write(first, "2026-01-05T00:00:00Z").unwrap();
        assert_eq!((undo_all.removed, undo_all.kept), (28, 2));
        assert_ne!(dump(&store.conn), before);
        assert!(matches!(store.revert_write(999, "t"), Err(StoreError::UnknownWrite(999))));
    }

    #[test]
    fn a_revert_does_not_undo_what_a_later_write_changed() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "eth");
        store.write(&batch(&id, "t1", &[bar(0, 10.0), bar(1, 11.0)])).unwrap();
        store.write(&batch(&id, "t2", &[bar(0, 12.0), bar(1, 13.0)])).unwrap();
        store.write(&batch(&id, "t3", &[bar(1, 14.0)])).unwrap();
        let writes: Vec<i64> = store.provenance(&id).unwrap().iter().map(|p| p.id).collect();
        let out = store.revert_write(writes[1], "t4").unwrap();
        assert_eq!((out.restored, out.kept), (1, 1));
        let closes: Vec<f64> = store.bars(&id, None, None).unwrap().iter().map(|s| s.bar.close).collect();
        assert_eq!(closes, [10.0, 14.0]);
        let p = store.provenance(&id).unwrap();
        assert_eq!(p.last().unwrap().origin, format!("revert of write {}", writes[1]));
    }
}
