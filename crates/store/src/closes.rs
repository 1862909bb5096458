//! The merged closes of every series, kept beside the observations so that a
//! panel (an alt universe, a basket) is read as one blob per series instead
//! of one row per source and date.
//!
//! - **Never stale.** Triggers (schema 4) delete a series' row in the same
//!   statement that changes its observations or its sources, whatever code
//!   makes the change; a read takes what is there and merges the observations
//!   of any series that has no row, so a missing row costs time, never
//!   correctness.
//! - **Written by writers only.** Every write transaction calls [`refresh`]
//!   before it commits, which rebuilds the rows the triggers removed from
//!   the merged view ([`crate::read::merged`], the one splice rule). Reading
//!   never writes.
//! - **Format.** One blob per series: for each merged bar in date order, the
//!   day as 4 little-endian bytes (`i32`, days since 1970) then the close as
//!   8 (`f64`). A series without observations has an empty blob.

use rusqlite::Connection;

use riskcurve_core::{Date, SeriesId};

use crate::error::sql;
use crate::read::merged;
use crate::StoreError;

/// Bytes per bar in a blob: a day (`i32`) and a close (`f64`).
const BAR_BYTES: usize = 12;

/// Rebuilds the cached closes of every series that has none (added since,
/// or changed since: the triggers removed its row). Runs inside the caller's
/// write transaction, so the cache commits with the change or not at all.
pub(crate) fn refresh(conn: &Connection) -> Result<(), StoreError> {
    let failed = sql(|| "rebuilding the cached closes".to_string());
    let stale: Vec<String> = conn
        .prepare_cached("SELECT id FROM series s WHERE NOT EXISTS (SELECT 1 FROM closes c WHERE c.series_id = s.id)")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(&failed)?;
    for id in stale {
        let id = SeriesId::new(&id).expect("stored ids are valid");
        let bars = merged(conn, &id, None, None)?;
        let mut blob = Vec::with_capacity(bars.len() * BAR_BYTES);
        for b in &bars {
            blob.extend_from_slice(&b.bar.date.days().to_le_bytes());
            blob.extend_from_slice(&b.bar.close.to_le_bytes());
        }
        conn.prepare_cached("INSERT INTO closes (series_id, bars) VALUES (?1, ?2)")
            .and_then(|mut stmt| stmt.execute((id.as_str(), blob)))
            .map_err(&failed)?;
    }
    Ok(())
}

/// The dates and closes in a blob written by [`refresh`], between `lo` and
/// `hi` (inclusive days).
pub(crate) fn decode(blob: &[u8], (lo, hi): (i32, i32)) -> (Vec<Date>, Vec<f64>) {
    let bars = blob.chunks_exact(BAR_BYTES).map(|c| {
        let (day, close) = c.split_at(4);
        (
            i32::from_le_bytes(day.try_into().expect("4 bytes")),
            f64::from_le_bytes(close.try_into().expect("8 bytes")),
        )
    });
    bars.filter(|(day, _)| (lo..=hi).contains(day)).map(|(day, close)| (Date::from_days(day), close)).unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::{Panel, Store, WriteBatch};

    fn write(store: &mut Store, id: &SeriesId, source: &str, priority: i32, bars: &[riskcurve_core::Bar]) -> i64 {
        let batch = WriteBatch { series: id, source, priority, origin: "o", fetched_at: "t", checksum: "c", bars };
        store.write(&batch).unwrap();
        store.conn.query_row("SELECT MAX(id) FROM provenance", [], |r| r.get(0)).unwrap()
    }

    /// The cached row of `id`, decoded; `None` when there is none.
    fn cached(store: &Store, id: &SeriesId) -> Option<Vec<(i32, f64)>> {
        let blob: Option<Vec<u8>> = store
            .conn
            .query_row("SELECT bars FROM closes WHERE series_id = ?1", [id.as_str()], |r| r.get(0))
            .ok();
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

    /// A change made outside the store's writers (here raw SQL) removes the
    /// cached row in the same statement (the triggers), and a panel read then
    /// merges the observations: stale closes are never served.
    #[test]
    fn a_change_outside_the_writers_is_never_served_stale() {
        let mut store = Store::open_in_memory().unwrap();
        let (a, b) = (meta(&mut store, "aaa"), meta(&mut store, "bbb"));
        write(&mut store, &a, "s", 1, &[bar(0, 1.0), bar(1, 2.0)]);
        write(&mut store, &b, "s", 1, &[bar(1, 3.0)]);
        store.conn.execute("UPDATE observations SET close = 9.0 WHERE series_id = 'aaa' AND date = 1", []).unwrap();
        assert_eq!(cached(&store, &a), None);
        assert_eq!(cached(&store, &b), Some(vec![(1, 3.0)]));
        let panel = Panel::read(&store, &[a.clone(), b.clone()], None, None).unwrap();
        assert_eq!(panel.column(0), [1.0, 9.0]);
        assert!(panel.column(1)[0].is_nan());
        assert_eq!(panel.column(1)[1], 3.0);
        // A window of the cached and of the merged series alike.
        let window = Panel::read(&store, &[a, b], Some(riskcurve_core::Date::from_days(1)), None).unwrap();
        assert_eq!(window.dates(), [riskcurve_core::Date::from_days(1)]);
        assert_eq!((window.column(0), window.column(1)), (&[9.0][..], &[3.0][..]));
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
        let blob: Vec<u8> = conn.query_row("SELECT bars FROM closes WHERE series_id = 'btc'", [], |r| r.get(0)).unwrap();
        let (dates, closes) = decode(&blob, (i32::MIN, i32::MAX));
        assert_eq!(dates.iter().map(|d| d.days()).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(closes, [5.0, 6.0]);
    }
}
