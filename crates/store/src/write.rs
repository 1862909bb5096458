//! Writing one source's bars of one series: idempotent, atomic, with provenance.

use std::collections::{HashMap, HashSet};

use riskcurve_core::{Bar, SeriesId};
use rusqlite::{Connection, TransactionBehavior};

use crate::error::sql;
use crate::meta::upsert_meta;
use crate::read::{bar_from_row, BAR_COLUMNS};
use crate::scale::check_scale;
use crate::{SeriesMeta, Store, StoreError, UniverseBatch};

/// One import of one series from one source: the unit of atomicity.
#[derive(Debug, Clone, Copy)]
pub struct WriteBatch<'a> {
    /// The series written; its metadata must already be stored
    /// ([`Store::upsert_series`]).
    pub series: &'a SeriesId,
    /// Where the bars come from (`yahoo`, `binance`, `fred`). Each source keeps
    /// its own rows; reading merges them by priority.
    pub source: &'a str,
    /// The source's priority for this series: the **larger** priority wins
    /// every date inside the source's span (see [`Store::bars`]). Stored on
    /// every write, so the last write sets it.
    pub priority: i32,
    /// The file path or URL the bars were read from.
    pub origin: &'a str,
    /// When the data was fetched, as the caller formats it (the store never
    /// reads the clock).
    pub fetched_at: &'a str,
    /// A checksum of the input (e.g. SHA-256 of the file), recorded as given.
    pub checksum: &'a str,
    /// The bars, in any order; each date at most once, all values finite.
    pub bars: &'a [Bar],
}

/// What a write did, bar by bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct WriteOutcome {
    /// Bars for dates this source did not have yet.
    pub inserted: u64,
    /// Bars that replaced a stored bar with different values.
    pub updated: u64,
    /// Bars identical to what was stored (not rewritten).
    pub unchanged: u64,
}

impl WriteOutcome {
    /// True when the write changed no observation.
    pub fn is_noop(&self) -> bool {
        self.inserted == 0 && self.updated == 0
    }
}

/// One series for [`Store::write_all`]: its metadata and its batches.
#[derive(Debug, Clone, Copy)]
pub struct SeriesWrite<'a> {
    /// The series' metadata, stored with its batches.
    pub meta: &'a SeriesMeta,
    /// Its batches, each of its own series `meta.id`.
    pub batches: &'a [WriteBatch<'a>],
}

/// What [`Store::write_all`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllWritten {
    /// Per series, per batch, in the order given.
    pub series: Vec<Vec<Written>>,
    /// Per universe batch, in the order given.
    pub universes: Vec<WriteOutcome>,
}

/// What [`Store::write_series`] did with one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Written {
    /// Bar by bar.
    pub outcome: WriteOutcome,
    /// The write's provenance id (what `revert --import N` names), or `None`
    /// when it changed nothing and so recorded nothing.
    pub write_id: Option<i64>,
}

impl Store {
    /// Stores `batch` in one transaction: the bars of one source of one series.
    ///
    /// Bars for new dates are inserted; bars for stored dates are rewritten
    /// only when a value differs (a missing value counts as a value), so
    /// re-importing identical data changes nothing at all: no row is rewritten,
    /// the outcome is all `unchanged`, and **no provenance row is added**. A
    /// write that inserts or updates anything adds exactly one provenance row,
    /// and every value it replaces is kept in the revisions
    /// ([`Store::revisions`]), so the write can be undone
    /// ([`Store::revert_write`]). Dates stored but absent from the batch are
    /// kept.
    ///
    /// Errors (unknown series, a non-finite value, a date given twice, values
    /// a unit change off the stored ones ([`StoreError::ScaleMismatch`]), any
    /// SQLite failure) leave the database exactly as it was.
    pub fn write(&mut self, batch: &WriteBatch<'_>) -> Result<WriteOutcome, StoreError> {
        validate(batch)?;
        self.write_validated(batch)
    }

    /// [`Store::write`] after validation; separate so tests can reach the
    /// database's own CHECK constraints and prove a mid-write failure rolls back.
    fn write_validated(&mut self, batch: &WriteBatch<'_>) -> Result<WriteOutcome, StoreError> {
        let (id, source) = (batch.series, batch.source);
        let failed = sql(|| format!("writing series {id} from source {source}"));
        // IMMEDIATE takes the write lock now, so the rows read below cannot
        // be changed by another writer before we commit.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&failed)?;
        let exists = tx
            .prepare_cached("SELECT 1 FROM series WHERE id = ?1")
            .and_then(|mut s| s.exists([id.as_str()]))
            .map_err(&failed)?;
        if !exists {
            return Err(StoreError::UnknownSeries(id.clone()));
        }
        check_scale(&tx, batch)?;
        let written = write_in(&tx, batch)?;
        crate::closes::refresh(&tx)?;
        tx.commit().map_err(&failed)?;
        Ok(written.outcome)
    }

    /// Stores one series whole: its metadata and every batch (one per source,
    /// or several of one source on disjoint dates) in **one** transaction, so
    /// a failure or a killed process leaves the series as it was before or as
    /// it is after, never with some of its sources.
    ///
    /// Each batch is checked as [`Store::write`] checks it, against what is
    /// stored and what the batches before it wrote; a unit change of a series
    /// with observations is refused ([`StoreError::UnitChanged`]). Returns
    /// what each batch did, in order; each changing batch is its own write
    /// with its own provenance id.
    pub fn write_series(&mut self, meta: &SeriesMeta, batches: &[WriteBatch<'_>]) -> Result<Vec<Written>, StoreError> {
        let mut all = self.write_all(&[SeriesWrite { meta, batches }], &[], &mut |_| {})?;
        Ok(all.series.pop().unwrap_or_default())
    }

    /// [`Store::write_series`] for many series, and universe imports
    /// ([`Store::write_universe`]), all in **one** transaction: an import of
    /// a manifest lands whole or not at all, and the first refusal (a bad
    /// bar, a unit change, a scale mismatch) leaves the database exactly as
    /// it was. `step` is called with each series id as it is written.
    pub fn write_all(
        &mut self,
        series: &[SeriesWrite<'_>],
        universes: &[UniverseBatch<'_>],
        step: &mut dyn FnMut(&str),
    ) -> Result<AllWritten, StoreError> {
        for s in series {
            validate_series(s)?;
        }
        for u in universes {
            crate::universe::validate(u)?;
        }
        let mut import = self.begin_import()?;
        let mut out = AllWritten::default();
        for s in series {
            out.series.push(import.write_series(s)?);
            step(s.meta.id.as_str());
        }
        for u in universes {
            out.universes.push(import.write_universe(u)?);
        }
        import.commit()?;
        Ok(out)
    }

    /// Opens the **one** transaction of an import written piece by piece
    /// ([`ImportWriter`]): [`Store::write_all`] for a caller that cannot hold
    /// every series in memory at once.
    pub fn begin_import(&mut self) -> Result<ImportWriter<'_>, StoreError> {
        // IMMEDIATE takes the write lock now: what the checks read cannot
        // change before the commit.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(import_failed())?;
        Ok(ImportWriter { tx })
    }

    /// Removes every observation of `source` for series `id` and the source
    /// itself, in one transaction; returns the number of observations removed.
    /// Provenance rows are kept as history. Unknown sources remove nothing.
    pub fn delete_source(&mut self, id: &SeriesId, source: &str) -> Result<u64, StoreError> {
        self.require_series(id)?;
        let failed = sql(|| format!("deleting source {source} of series {id}"));
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&failed)?;
        let removed = tx
            .execute("DELETE FROM observations WHERE series_id = ?1 AND source = ?2", (id.as_str(), source))
            .map_err(&failed)?;
        tx.execute("DELETE FROM sources WHERE series_id = ?1 AND source = ?2", (id.as_str(), source))
            .map_err(&failed)?;
        crate::closes::drop_row(&tx, id).map_err(&failed)?;
        crate::closes::refresh(&tx)?;
        tx.commit().map_err(&failed)?;
        Ok(removed as u64)
    }
}

/// An import in one write transaction, series by series ([`Store::begin_import`]).
/// Nothing is visible to other connections before [`ImportWriter::commit`];
/// an error, or dropping the writer uncommitted, leaves the database exactly
/// as it was.
pub struct ImportWriter<'s> {
    tx: rusqlite::Transaction<'s>,
}

impl ImportWriter<'_> {
    /// One series whole, as [`Store::write_series`] writes it: its metadata,
    /// then each batch checked against what is stored (and what this import
    /// wrote before it) and written.
    pub fn write_series(&mut self, s: &SeriesWrite<'_>) -> Result<Vec<Written>, StoreError> {
        validate_series(s)?;
        upsert_meta(&self.tx, s.meta)?;
        s.batches
            .iter()
            .map(|b| {
                check_scale(&self.tx, b)?;
                write_in(&self.tx, b)
            })
            .collect()
    }

    /// A universe import, as [`Store::write_universe`] writes it.
    pub fn write_universe(&mut self, u: &UniverseBatch<'_>) -> Result<WriteOutcome, StoreError> {
        crate::universe::validate(u)?;
        crate::universe::write_universe_in(&self.tx, u)
    }

    /// Makes everything written visible at once.
    pub fn commit(self) -> Result<(), StoreError> {
        crate::closes::refresh(&self.tx)?;
        self.tx.commit().map_err(import_failed())
    }
}

fn import_failed() -> impl Fn(rusqlite::Error) -> StoreError {
    sql(|| "writing an import".to_string())
}

/// Every batch of `s` is of series `s.meta.id` and valid on its own.
fn validate_series(s: &SeriesWrite<'_>) -> Result<(), StoreError> {
    for b in s.batches {
        if *b.series != s.meta.id {
            return Err(StoreError::InvalidInput {
                what: format!("batch of series {} from source {}", b.series, b.source),
                reason: format!("written with the metadata of series {}", s.meta.id),
            });
        }
        validate(b)?;
    }
    Ok(())
}

/// The provenance id the next write gets. Called inside a write
/// transaction (IMMEDIATE), so no other writer can take the same id.
pub(crate) fn next_write_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM provenance", [], |r| r.get(0))
}

/// A stored row: the bar and the write that last set it.
pub(crate) type StoredRow = (Bar, Option<i64>);

/// The rows of one source of a series between two dates, by day.
pub(crate) fn stored_rows(
    conn: &Connection,
    id: &SeriesId,
    source: &str,
    from: i32,
    to: i32,
) -> rusqlite::Result<HashMap<i32, StoredRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {BAR_COLUMNS}, o.write_id FROM observations o
         WHERE o.series_id = ?1 AND o.source = ?2 AND o.date BETWEEN ?3 AND ?4"
    ))?;
    let rows = stmt.query_map((id.as_str(), source, from, to), |r| Ok((bar_from_row(r)?, r.get(6)?)))?;
    rows.map(|r| r.map(|(bar, write): StoredRow| (bar.date.days(), (bar, write)))).collect()
}

/// Sets the row of `source` on `bar.date` to `bar`, as write `write_id`.
pub(crate) fn put_row(
    conn: &Connection,
    id: &SeriesId,
    source: &str,
    bar: &Bar,
    write_id: Option<i64>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO observations (series_id, source, date, open, high, low, close, volume, write_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (series_id, source, date) DO UPDATE SET
             open = excluded.open, high = excluded.high, low = excluded.low,
             close = excluded.close, volume = excluded.volume, write_id = excluded.write_id",
    )?
    .execute((
        id.as_str(),
        source,
        bar.date.days(),
        bar.open,
        bar.high,
        bar.low,
        bar.close,
        bar.volume,
        write_id,
    ))?;
    Ok(())
}

/// Which write made a change, and when its data was fetched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp<'a> {
    pub(crate) write_id: i64,
    pub(crate) fetched_at: &'a str,
}

/// Records that a write changed the row of `source` on `date` from `old` to
/// `new` (`None`: no row).
pub(crate) fn record_revision(
    conn: &Connection,
    stamp: Stamp<'_>,
    (id, source): (&SeriesId, &str),
    date: i32,
    old: Option<&StoredRow>,
    new: Option<&Bar>,
) -> rusqlite::Result<()> {
    let Stamp { write_id, fetched_at } = stamp;
    let (o, n) = (old.map(|(b, _)| b), new);
    conn.prepare_cached(
        "INSERT INTO revisions (write_id, series_id, source, date, fetched_at, old_write_id,
             old_open, old_high, old_low, old_close, old_volume,
             new_open, new_high, new_low, new_close, new_volume)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(rusqlite::params![
        write_id,
        id.as_str(),
        source,
        date,
        fetched_at,
        old.and_then(|(_, w)| *w),
        o.and_then(|b| b.open),
        o.and_then(|b| b.high),
        o.and_then(|b| b.low),
        o.map(|b| b.close),
        o.and_then(|b| b.volume),
        n.and_then(|b| b.open),
        n.and_then(|b| b.high),
        n.and_then(|b| b.low),
        n.map(|b| b.close),
        n.and_then(|b| b.volume),
    ])?;
    Ok(())
}

/// Writes one validated batch inside a write transaction: the source's
/// priority, the bars, a revision for every value replaced, and a
/// provenance row when anything changed.
fn write_in(tx: &Connection, batch: &WriteBatch<'_>) -> Result<Written, StoreError> {
    let (id, source) = (batch.series, batch.source);
    let failed = sql(|| format!("writing series {id} from source {source}"));
    let source_changed = tx
        .prepare_cached(
            "INSERT INTO sources (series_id, source, priority) VALUES (?1, ?2, ?3)
             ON CONFLICT (series_id, source) DO UPDATE SET priority = excluded.priority
             WHERE priority <> excluded.priority",
        )
        .and_then(|mut s| s.execute((id.as_str(), source, batch.priority)))
        .map_err(&failed)?
        > 0;
    let write_id = next_write_id(tx).map_err(&failed)?;
    let days = batch.bars.iter().map(|b| b.date.days());
    let (lo, hi) = (days.clone().min().unwrap_or(0), days.max().unwrap_or(-1));
    // One range scan instead of a lookup per bar.
    let stored = stored_rows(tx, id, source, lo, hi).map_err(&failed)?;
    let mut outcome = WriteOutcome::default();
    for b in batch.bars {
        let old = stored.get(&b.date.days());
        if old.is_some_and(|(o, _)| o == b) {
            outcome.unchanged += 1;
            continue;
        }
        let at_bar = |e| StoreError::Sqlite {
            action: format!("writing series {id} from source {source}, bar on {}", b.date),
            source: e,
        };
        put_row(tx, id, source, b, Some(write_id)).map_err(at_bar)?;
        match old {
            None => outcome.inserted += 1,
            Some(old) => {
                let stamp = Stamp { write_id, fetched_at: batch.fetched_at };
                record_revision(tx, stamp, (id, source), b.date.days(), Some(old), Some(b)).map_err(at_bar)?;
                outcome.updated += 1;
            }
        }
    }
    if source_changed || !outcome.is_noop() {
        crate::closes::drop_row(tx, id).map_err(&failed)?;
    }
    if outcome.is_noop() {
        return Ok(Written { outcome, write_id: None });
    }
    tx.prepare_cached(
        "INSERT INTO provenance
             (id, series_id, source, origin, fetched_at, rows, inserted, updated, checksum)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute((
            write_id,
            id.as_str(),
            source,
            batch.origin,
            batch.fetched_at,
            batch.bars.len() as i64,
            outcome.inserted as i64,
            outcome.updated as i64,
            batch.checksum,
        ))
    })
    .map_err(&failed)?;
    Ok(Written { outcome, write_id: Some(write_id) })
}

/// 0001-01-01 and 9999-12-31 as days since 1970: every stored date prints
/// as `YYYY-MM-DD` and survives date arithmetic.
const FIRST_DAY: i32 = -719_162;
const LAST_DAY: i32 = 2_932_896;

/// Rejects what SQLite would silently alter (NaN binds as NULL) or what would
/// make the outcome counts meaningless (a date twice).
fn validate(batch: &WriteBatch<'_>) -> Result<(), StoreError> {
    if batch.source.is_empty() || batch.source.trim() != batch.source {
        return Err(StoreError::InvalidInput {
            what: format!("source name {:?} for series {}", batch.source, batch.series),
            reason: "it must be non-empty, without surrounding spaces".into(),
        });
    }
    let invalid = |date, reason| StoreError::InvalidBar {
        series: batch.series.clone(),
        source_name: batch.source.to_string(),
        date,
        reason,
    };
    for b in batch.bars {
        let fields = [Some(b.close), b.open, b.high, b.low, b.volume];
        if !fields.iter().flatten().all(|v| v.is_finite()) {
            return Err(invalid(b.date, "has a non-finite value"));
        }
        if !(FIRST_DAY..=LAST_DAY).contains(&b.date.days()) {
            return Err(invalid(b.date, "is outside the years 1-9999"));
        }
    }
    // Batches usually arrive sorted: check that in one pass before hashing.
    if !batch.bars.windows(2).all(|w| w[0].date < w[1].date) {
        let mut seen = HashSet::with_capacity(batch.bars.len());
        if let Some(b) = batch.bars.iter().find(|b| !seen.insert(b.date)) {
            return Err(invalid(b.date, "appears twice in the batch"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, dump, meta};

    fn batch<'a>(id: &'a SeriesId, source: &'a str, bars: &'a [Bar]) -> WriteBatch<'a> {
        WriteBatch {
            series: id,
            source,
            priority: 1,
            origin: "test.csv",
            fetched_at: "2026-01-01T00:00:00Z",
            checksum: "c",
            bars,
        }
    }

    #[test]
    fn counts_inserts_updates_and_unchanged() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        let bars: Vec<Bar> = (0..10).map(|d| bar(d, d as f64)).collect();
        let first = store.write(&batch(&id, "a", &bars)).unwrap();
        assert_eq!(first, WriteOutcome { inserted: 10, updated: 0, unchanged: 0 });
        let again = store.write(&batch(&id, "a", &bars)).unwrap();
        assert_eq!(again, WriteOutcome { inserted: 0, updated: 0, unchanged: 10 });

        let mut changed = bars.clone();
        changed[3].volume = Some(5.0); // None -> Some counts as a change
        changed.push(bar(10, 1.0));
        let third = store.write(&batch(&id, "a", &changed)).unwrap();
        assert_eq!(third, WriteOutcome { inserted: 1, updated: 1, unchanged: 9 });
        let prov: i64 = store.conn.query_row("SELECT COUNT(*) FROM provenance", [], |r| r.get(0)).unwrap();
        assert_eq!(prov, 2);
    }

    #[test]
    fn rejects_bad_batches_before_touching_the_database() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        let before = dump(&store.conn);
        let twice = [bar(1, 1.0), bar(0, 1.0), bar(1, 2.0)];
        let err = store.write(&batch(&id, "a", &twice)).unwrap_err();
        assert_eq!(err.to_string(), "series btc from source a: bar on 1970-01-02 appears twice in the batch");
        let nan = [Bar { open: Some(f64::NAN), ..bar(0, 1.0) }];
        assert!(matches!(store.write(&batch(&id, "a", &nan)), Err(StoreError::InvalidBar { .. })));
        assert!(store.write(&batch(&id, " a", &[])).is_err());
        let unknown = SeriesId::new("eth").unwrap();
        let err = store.write(&batch(&unknown, "a", &[bar(0, 1.0)])).unwrap_err();
        assert!(matches!(err, StoreError::UnknownSeries(_)), "{err}");
        assert_eq!(dump(&store.conn), before);
    }

    #[test]
    fn a_failure_mid_write_rolls_everything_back() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        store.write(&batch(&id, "a", &[bar(0, 1.0), bar(1, 1.0)])).unwrap();
        let before = dump(&store.conn);
        // 999 good bars (one an update), then one the CHECK constraint
        // rejects: validation is bypassed to reach the database's own guard.
        let mut bars: Vec<Bar> = (1..1000).map(|d| bar(d, 2.0)).collect();
        bars.push(Bar { high: Some(f64::INFINITY), ..bar(1000, 1.0) });
        let mut b = batch(&id, "b", &bars);
        b.priority = 7;
        let err = store.write_validated(&b).unwrap_err();
        assert!(err.to_string().contains("bar on 1972-09-27"), "{err}");
        assert_eq!(dump(&store.conn), before);
    }

    /// Issue 11 item 6: the series row was written outside the data
    /// transaction, so a failed import left an empty series behind.
    #[test]
    fn failed_series_write_leaves_no_series_row_and_no_source() {
        let mut store = Store::open_in_memory().unwrap();
        let existing = meta(&mut store, "btc");
        store.write(&batch(&existing, "a", &[bar(10, 5.0)])).unwrap();
        let before = dump(&store.conn);
        let id = SeriesId::new("eth").unwrap();
        let meta = SeriesMeta {
            id: id.clone(),
            name: "Ether".into(),
            asset_class: "crypto".into(),
            calendar: riskcurve_core::Calendar::Crypto,
            unit: riskcurve_core::Unit::Usd,
            flags: vec![],
        };
        // The second source is 1000x off the first: the whole series is refused.
        let a = [bar(0, 2000.0), bar(1, 2001.0)];
        let b = [bar(1, 2.001), bar(2, 2.002)];
        let err = store.write_series(&meta, &[batch(&id, "a", &a), batch(&id, "b", &b)]).unwrap_err();
        assert!(matches!(err, StoreError::ScaleMismatch { .. }), "{err}");
        assert_eq!(dump(&store.conn), before);
        assert!(store.write_series(&meta, &[batch(&id, "", &a)]).unwrap_err().is_bad_input());
        assert_eq!(dump(&store.conn), before);

        let written = store.write_series(&meta, &[batch(&id, "a", &a), batch(&id, "b", &[bar(2, 2002.0)])]).unwrap();
        assert_eq!(written.iter().map(|w| w.outcome.inserted).collect::<Vec<_>>(), [2, 1]);
        let ids: Vec<Option<i64>> = written.iter().map(|w| w.write_id).collect();
        assert_eq!(ids, [Some(2), Some(3)]);
        let again = store.write_series(&meta, &[batch(&id, "a", &a)]).unwrap();
        assert_eq!(again[0].write_id, None);
    }

    /// An import written series by series is one transaction: uncommitted
    /// (dropped after an error), nothing of it is stored; committed, all is.
    #[test]
    fn an_import_written_series_by_series_lands_whole_or_not_at_all() {
        let mut store = Store::open_in_memory().unwrap();
        let (btc, eth) = (meta(&mut store, "btc"), meta(&mut store, "eth"));
        let before = dump(&store.conn);
        let (btc_meta, eth_meta) =
            (store.series_meta(&btc).unwrap().unwrap(), store.series_meta(&eth).unwrap().unwrap());
        let (a, b) = ([bar(0, 1.0)], [bar(0, 2.0)]);
        let (btc_batch, eth_batch) = ([batch(&btc, "a", &a)], [batch(&eth, "a", &b)]);
        let mut import = store.begin_import().unwrap();
        import.write_series(&SeriesWrite { meta: &btc_meta, batches: &btc_batch }).unwrap();
        let wrong = [batch(&btc, "a", &b)];
        assert!(import.write_series(&SeriesWrite { meta: &eth_meta, batches: &wrong }).is_err());
        drop(import);
        assert_eq!(dump(&store.conn), before);

        let mut import = store.begin_import().unwrap();
        import.write_series(&SeriesWrite { meta: &btc_meta, batches: &btc_batch }).unwrap();
        import.write_series(&SeriesWrite { meta: &eth_meta, batches: &eth_batch }).unwrap();
        import.commit().unwrap();
        assert_eq!(store.bars(&eth, None, None).unwrap()[0].bar.close, 2.0);
        assert_eq!(store.bars(&btc, None, None).unwrap()[0].bar.close, 1.0);
    }

    #[test]
    fn dates_outside_years_1_to_9999_are_refused() {
        assert_eq!(riskcurve_core::Date::from_ymd(1, 1, 1).unwrap().days(), FIRST_DAY);
        assert_eq!(riskcurve_core::Date::from_ymd(9999, 12, 31).unwrap().days(), LAST_DAY);
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        for day in [LAST_DAY + 1, FIRST_DAY - 1, i32::MAX, i32::MIN] {
            let err = store.write(&batch(&id, "a", &[bar(day, 1.0)])).unwrap_err();
            assert!(err.to_string().ends_with("is outside the years 1-9999"), "{err}");
        }
        store.write(&batch(&id, "a", &[bar(LAST_DAY, 1.0), bar(FIRST_DAY, 1.0)])).unwrap();
    }

    #[test]
    fn delete_source_removes_rows_and_keeps_provenance() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        store.write(&batch(&id, "a", &[bar(0, 1.0), bar(1, 1.0)])).unwrap();
        store.write(&batch(&id, "b", &[bar(1, 1.0)])).unwrap();
        assert_eq!(store.delete_source(&id, "a").unwrap(), 2);
        assert_eq!(store.delete_source(&id, "a").unwrap(), 0);
        let n: i64 = store.conn.query_row("SELECT COUNT(*) FROM observations", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        let p: i64 = store.conn.query_row("SELECT COUNT(*) FROM provenance", [], |r| r.get(0)).unwrap();
        assert_eq!(p, 2);
    }
}
