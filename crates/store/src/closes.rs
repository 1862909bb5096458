//! The merged closes of every series, kept beside the observations so that
//! many series (an alt universe, a basket) are read as one blob per series instead
//! of one row per source and date.
//!
//! - **Dropped with every change.** The code that changes a series'
//!   observations or sources (`write_in`, `delete_source`, `revert_write`)
//!   drops its row with [`drop_row`] in the same transaction. Triggers would
//!   do it whatever the code, but a trigger on every inserted observation
//!   made an import of 1,000 synthetic coins 52% slower (16.6 s against
//!   10.9 s, paired); this costs 7-19%. A read takes the rows
//!   that are there and merges the observations of any series without one,
//!   so a missing row costs time, never correctness.
//! - **Written by writers only.** Every transaction that changes
//!   observations or sources (and the migration) calls [`refresh`] before it
//!   commits, which rebuilds the dropped rows from the merged view
//!   (`merge_rows`, the one splice rule). Reading never writes.
//! - **Format.** One blob per series: for each merged bar in date order, the
//!   day as 4 little-endian bytes (`i32`, days since 1970) then the close as
//!   8 (`f64`). A series without observations has an empty blob.

use std::collections::HashSet;

use rusqlite::Connection;

use riskcurve_core::{Date, SeriesId};

use crate::error::sql;
use crate::panel::merged_each;
use crate::StoreError;

/// Bytes per bar in a blob: a day (`i32`) and a close (`f64`).
const BAR_BYTES: usize = 12;

/// Drops the cached closes of series `id`: its observations or sources
/// changed in this transaction.
pub(crate) fn drop_row(conn: &Connection, id: &SeriesId) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM closes WHERE series_id = ?1")?.execute([id.as_str()])?;
    Ok(())
}

/// Rebuilds the cached closes of every series that has none (added since,
/// or changed since: [`drop_row`] removed its row). Runs inside the caller's
/// write transaction, so the cache commits with the change or not at all.
pub(crate) fn refresh(conn: &Connection) -> Result<(), StoreError> {
    let failed = sql(|| "rebuilding the cached closes".to_string());
    let stale: Vec<String> = conn
        .prepare_cached("SELECT id FROM series s WHERE NOT EXISTS (SELECT 1 FROM closes c WHERE c.series_id = s.id)")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(&failed)?;
    let stale: Vec<SeriesId> = stale.iter().map(|id| SeriesId::new(id).expect("stored ids are valid")).collect();
    // One bulk read of every stale series (primary-key order, merged in
    // memory), each blob written as soon as its series is merged: memory
    // holds one series whatever the number (a whole import's).
    let mut insert = conn.prepare_cached("INSERT INTO closes (series_id, bars) VALUES (?1, ?2)").map_err(&failed)?;
    let mut written: Result<HashSet<String>, rusqlite::Error> = Ok(HashSet::new());
    merged_each(conn, &stale, None, None, &mut |id, bars| {
        let mut blob = Vec::with_capacity(bars.len() * BAR_BYTES);
        for b in &bars {
            blob.extend_from_slice(&b.bar.date.days().to_le_bytes());
            blob.extend_from_slice(&b.bar.close.to_le_bytes());
        }
        if let Ok(done) = &mut written {
            match insert.execute((id, blob)) {
                Ok(_) => _ = done.insert(id.to_string()),
                Err(e) => written = Err(e),
            }
        }
    })?;
    // Series without observations get an empty blob.
    let written = written.map_err(&failed)?;
    for id in stale.iter().filter(|id| !written.contains(id.as_str())) {
        insert.execute((id.as_str(), Vec::<u8>::new())).map_err(&failed)?;
    }
    Ok(())
}

/// The number of merged bars of every series with cached closes, by id
/// (from the blobs' lengths: nothing is decoded).
pub(crate) fn counts(conn: &Connection) -> rusqlite::Result<std::collections::HashMap<String, u64>> {
    conn.prepare_cached("SELECT series_id, length(bars) FROM closes")?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, u64>(1)? / BAR_BYTES as u64)))?
        .collect()
}

/// The dates and closes in a blob written by [`refresh`], between `lo` and
/// `hi` (inclusive days).
pub(crate) fn decode(blob: &[u8], (lo, hi): (i32, i32)) -> (Vec<Date>, Vec<f64>) {
    let bars = blob.chunks_exact(BAR_BYTES).map(|c| {
        let (day, close) = c.split_at(4);
        (i32::from_le_bytes(day.try_into().expect("4 bytes")), f64::from_le_bytes(close.try_into().expect("8 bytes")))
    });
    bars.filter(|(day, _)| (lo..=hi).contains(day)).map(|(day, close)| (Date::from_days(day), close)).unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::{Store, WriteBatch};

    fn write(store: &mut Store, id: &SeriesId, source: &str, priority: i32, bars: &[riskcurve_core::Bar]) -> i64 {
        let batch = WriteBatch { series: id, source, priority, origin: "o", fetched_at: "t", checksum: "c", bars };
        store.write(&batch).unwrap();
        store.conn.query_row("SELECT MAX(id) FROM provenance", [], |r| r.get(0)).unwrap()
    }

    /// The cached row of `id`, decoded; `None` when there is none.
    fn cached(store: &Store, id: &SeriesId) -> Option<Vec<(i32, f64)>> {
        let blob: Option<Vec<u8>> =
            store.conn.query_row("SELECT bars FROM closes WHERE series_id = ?1", [id.as_str()], |r| r.get(0)).ok();
        blob.map(|b| {
            let (d, c) = decode(&b, (i32::MIN, i32::MAX));
            d.iter().map(|d| d.days()).zip(c).collect()
        })
    }

    /// The closes of the merged view, as the cache must hold them.
    fn merged_closes(store: &Store, id: &SeriesId) -> Vec<(i32, f64)> {
        store.bars(id, None, None).unwrap().iter().map(|b| (b.bar.date.days(), b.bar.close)).collect()
    }

    /// Hand-made series: after each kind of write the cached row is there
    /// and equals the merged view (splice included), so a reader never
    /// needs the observations.
    #[test]
    fn every_write_leaves_the_cached_closes_equal_to_the_merged_view() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "aaa");
        let check = |store: &Store, want: &[(i32, f64)]| {
            assert_eq!(cached(store, &id).as_deref(), Some(want));
            assert_eq!(merged_closes(store, &id), want);
        };
        write(&mut store, &id, "low", 1, &(0..5).map(|d| bar(d, 1.0)).collect::<Vec<_>>());
        check(&store, &[(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)]);
        // A better source spanning days 1-3 without day 2: day 2 is a gap.
        let high = write(&mut store, &id, "high", 5, &[bar(1, 5.0), bar(3, 5.0)]);
        check(&store, &[(0, 1.0), (1, 5.0), (3, 5.0), (4, 1.0)]);
        // A revised value.
        write(&mut store, &id, "high", 5, &[bar(3, 6.0)]);
        check(&store, &[(0, 1.0), (1, 5.0), (3, 6.0), (4, 1.0)]);
        // A priority change alone (no bar changes) re-splices.
        write(&mut store, &id, "high", 0, &[bar(3, 6.0)]);
        check(&store, &[(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)]);
        write(&mut store, &id, "high", 5, &[bar(3, 6.0)]);
        // Reverting the write that brought "high" in removes day 1 again.
        store.revert_write(high, "t2").unwrap();
        check(&store, &[(0, 1.0), (1, 1.0), (2, 1.0), (3, 6.0), (4, 1.0)]);
        store.delete_source(&id, "high").unwrap();
        check(&store, &[(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)]);
        store.delete_source(&id, "low").unwrap();
        check(&store, &[]);
    }

    /// A series without a cached row (as on a database read before it
    /// migrated to schema 4) is read from its observations: a read never
    /// depends on the cache being there.
    #[test]
    fn a_series_without_cached_closes_is_read_from_its_observations() {
        let mut store = Store::open_in_memory().unwrap();
        let (a, b) = (meta(&mut store, "aaa"), meta(&mut store, "bbb"));
        write(&mut store, &a, "s", 1, &[bar(0, 1.0), bar(1, 2.0)]);
        write(&mut store, &b, "s", 1, &[bar(1, 3.0)]);
        store.conn.execute("DELETE FROM closes WHERE series_id = 'aaa'", []).unwrap();
        assert_eq!(cached(&store, &a), None);
        assert_eq!(cached(&store, &b), Some(vec![(1, 3.0)]));
        let closes = store.closes_of(&[a.clone(), b.clone()], None, None).unwrap();
        assert_eq!((closes[0].values(), closes[1].values()), (&[1.0, 2.0][..], &[3.0][..]));
        assert_eq!(closes[1].dates(), [riskcurve_core::Date::from_days(1)]);
        // A window of the cached and of the merged series alike.
        let window = store.closes_of(&[a, b], Some(riskcurve_core::Date::from_days(1)), None).unwrap();
        assert_eq!((window[0].values(), window[1].values()), (&[2.0][..], &[3.0][..]));
    }

    /// A database from schema 3 gets every series' closes when it migrates.
    #[test]
    fn migrating_to_schema_4_fills_the_cache() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, sql) in crate::schema::MIGRATIONS.iter().take(3).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO series VALUES ('btc', 'Bitcoin', 'crypto', 'crypto', 'USD', '');
             INSERT INTO sources VALUES ('btc', 'yahoo', 100);
             INSERT INTO observations (series_id, source, date, close) VALUES ('btc', 'yahoo', 1, 5.0), ('btc', 'yahoo', 2, 6.0);",
        )
        .unwrap();
        assert_eq!(crate::schema::migrate(&mut conn, "old.db").unwrap(), Some(3));
        let blob: Vec<u8> =
            conn.query_row("SELECT bars FROM closes WHERE series_id = 'btc'", [], |r| r.get(0)).unwrap();
        let (dates, closes) = decode(&blob, (i32::MIN, i32::MAX));
        assert_eq!(dates.iter().map(|d| d.days()).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(closes, [5.0, 6.0]);
    }
}
