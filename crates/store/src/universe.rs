//! Point-in-time universes: the ranked coin lists of each snapshot date, so
//! a backtest picks "the top 50" as it was then, not as it is now.

use std::collections::HashSet;

use riskcurve_core::Date;
use rusqlite::TransactionBehavior;

use crate::error::sql;
use crate::{Store, StoreError, WriteOutcome};

/// One entry of a ranked snapshot.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UniverseRow {
    /// The snapshot date.
    pub date: Date,
    /// Rank in the snapshot, 1 = largest.
    pub rank: u32,
    /// Ticker symbol as the source spells it (`BTC`, `BTC-USD`).
    pub symbol: String,
    /// Name, where known (empty otherwise).
    pub name: String,
    /// Market capitalisation in USD, where known.
    pub market_cap: Option<f64>,
    /// Price in USD, where known.
    pub price: Option<f64>,
}

/// One universe import: ranked rows of one source, any number of dates.
#[derive(Debug, Clone, Copy)]
pub struct UniverseBatch<'a> {
    /// The list's source (`cmc`, `moneyflow`).
    pub source: &'a str,
    /// The file path or URL read.
    pub origin: &'a str,
    /// When the data was fetched, as the caller formats it.
    pub fetched_at: &'a str,
    /// A checksum of the input, recorded as given.
    pub checksum: &'a str,
    /// The rows; each (date, rank) at most once.
    pub rows: &'a [UniverseRow],
}

/// The snapshot [`Store::universe_at`] found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UniverseSnapshot {
    /// The source of the snapshot.
    pub source: String,
    /// The snapshot date (on or before the date asked for).
    pub date: Date,
    /// Its rows, by rank.
    pub rows: Vec<UniverseRow>,
}

impl Store {
    /// Stores a universe import in one transaction, with the same rules as
    /// [`Store::write`]: rows keyed by (source, date, rank) are inserted or,
    /// when a field differs, updated; identical rows are left alone, and a
    /// provenance row (see [`Store::universe_provenance`]) is added only when
    /// something changed. Ranks stored but absent from the batch are kept.
    pub fn write_universe(&mut self, batch: &UniverseBatch<'_>) -> Result<WriteOutcome, StoreError> {
        validate(batch)?;
        let failed = sql(|| format!("writing universe from source {}", batch.source));
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&failed)?;
        let outcome = write_universe_in(&tx, batch)?;
        tx.commit().map_err(&failed)?;
        Ok(outcome)
    }
}

/// [`Store::write_universe`] inside a write transaction, after [`validate`].
pub(crate) fn write_universe_in(
    tx: &rusqlite::Connection,
    batch: &UniverseBatch<'_>,
) -> Result<WriteOutcome, StoreError> {
    let source = batch.source;
    let failed = sql(|| format!("writing universe from source {source}"));
    let count = |tx: &rusqlite::Connection| {
        tx.prepare_cached("SELECT COUNT(*) FROM universe WHERE source = ?1")
            .and_then(|mut s| s.query_row([source], |r| r.get::<_, i64>(0)))
    };
    let before = count(tx).map_err(&failed)?;
    let mut changed: u64 = 0;
    {
        let mut upsert = tx
            .prepare_cached(
                "INSERT INTO universe (source, snapshot_date, rank, symbol, name, market_cap, price)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (source, snapshot_date, rank) DO UPDATE SET
                     symbol = excluded.symbol, name = excluded.name,
                     market_cap = excluded.market_cap, price = excluded.price
                 WHERE symbol IS NOT excluded.symbol OR name IS NOT excluded.name
                    OR market_cap IS NOT excluded.market_cap OR price IS NOT excluded.price",
            )
            .map_err(&failed)?;
        for r in batch.rows {
            changed += upsert
                .execute((source, r.date.days(), r.rank, &r.symbol, &r.name, r.market_cap, r.price))
                .map_err(&failed)? as u64;
        }
    }
    let inserted = (count(tx).map_err(&failed)? - before) as u64;
    let outcome = WriteOutcome { inserted, updated: changed - inserted, unchanged: batch.rows.len() as u64 - changed };
    if !outcome.is_noop() {
        tx.execute(
            "INSERT INTO universe_provenance
                 (source, origin, fetched_at, rows, inserted, updated, checksum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                source,
                batch.origin,
                batch.fetched_at,
                batch.rows.len() as i64,
                outcome.inserted as i64,
                outcome.updated as i64,
                batch.checksum,
            ),
        )
        .map_err(&failed)?;
    }
    Ok(outcome)
}

impl Store {
    /// The latest snapshot dated on or before `date`, from `source` or
    /// (`None`) from any source; when several sources share that latest date,
    /// the source whose name sorts first. `None` when there is none.
    pub fn universe_at(&self, date: Date, source: Option<&str>) -> Result<Option<UniverseSnapshot>, StoreError> {
        let failed = sql(|| format!("reading the universe at {date}"));
        let found: Option<(String, i32)> = self
            .conn
            .prepare_cached(
                "SELECT source, snapshot_date FROM universe
                 WHERE snapshot_date <= ?1 AND (?2 IS NULL OR source = ?2)
                 ORDER BY snapshot_date DESC, source LIMIT 1",
            )
            .and_then(|mut s| {
                let mut rows = s.query_map((date.days(), source), |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.next().transpose()
            })
            .map_err(&failed)?;
        let Some((source, day)) = found else { return Ok(None) };
        let rows = self
            .conn
            .prepare_cached(
                "SELECT snapshot_date, rank, symbol, name, market_cap, price FROM universe
                 WHERE source = ?1 AND snapshot_date = ?2 ORDER BY rank",
            )
            .and_then(|mut s| s.query_map((&source, day), row_from)?.collect())
            .map_err(&failed)?;
        Ok(Some(UniverseSnapshot { source, date: Date::from_days(day), rows }))
    }

    /// Every row of `source`, by date then rank (empty for an unknown source).
    pub fn universe_rows(&self, source: &str) -> Result<Vec<UniverseRow>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT snapshot_date, rank, symbol, name, market_cap, price FROM universe
                 WHERE source = ?1 ORDER BY snapshot_date, rank",
            )
            .and_then(|mut s| s.query_map([source], row_from)?.collect())
            .map_err(sql(|| format!("reading the universe of source {source}")))
    }

    /// The symbols of each snapshot of `source` by rank, snapshots by date:
    /// the membership lists of [`Store::universe_rows`] without the other
    /// columns (a point-in-time universe reads only these).
    pub fn universe_symbols(&self, source: &str) -> Result<Vec<(Date, Vec<String>)>, StoreError> {
        let failed = sql(|| format!("reading the universe of source {source}"));
        let mut stmt = self
            .conn
            .prepare_cached("SELECT snapshot_date, symbol FROM universe WHERE source = ?1 ORDER BY snapshot_date, rank")
            .map_err(&failed)?;
        let mut rows = stmt.query([source]).map_err(&failed)?;
        let mut out: Vec<(Date, Vec<String>)> = Vec::new();
        while let Some(row) = rows.next().map_err(&failed)? {
            let date = Date::from_days(row.get(0).map_err(&failed)?);
            let symbol = row.get(1).map_err(&failed)?;
            match out.last_mut() {
                Some((last, symbols)) if *last == date => symbols.push(symbol),
                _ => out.push((date, vec![symbol])),
            }
        }
        Ok(out)
    }

    /// The distinct snapshot dates, ascending, of `source` or (`None`) of all
    /// sources.
    pub fn universe_dates(&self, source: Option<&str>) -> Result<Vec<Date>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT snapshot_date FROM universe
                 WHERE ?1 IS NULL OR source = ?1 ORDER BY snapshot_date",
            )
            .and_then(|mut s| s.query_map([source], |r| r.get(0).map(Date::from_days))?.collect())
            .map_err(sql(|| "reading universe dates".to_string()))
    }
}

/// Reads `snapshot_date, rank, symbol, name, market_cap, price`.
fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<UniverseRow> {
    Ok(UniverseRow {
        date: Date::from_days(r.get(0)?),
        rank: r.get(1)?,
        symbol: r.get(2)?,
        name: r.get(3)?,
        market_cap: r.get(4)?,
        price: r.get(5)?,
    })
}

pub(crate) fn validate(batch: &UniverseBatch<'_>) -> Result<(), StoreError> {
    let invalid = |what: String, reason: &str| StoreError::InvalidInput { what, reason: reason.to_string() };
    if batch.source.is_empty() || batch.source.trim() != batch.source {
        return Err(invalid(
            format!("universe source name {:?}", batch.source),
            "it must be non-empty, without surrounding spaces",
        ));
    }
    let mut seen = HashSet::with_capacity(batch.rows.len());
    for r in batch.rows {
        let what = || format!("universe row {} {} of source {}", r.date, r.rank, batch.source);
        if r.rank == 0 {
            return Err(invalid(what(), "ranks start at 1"));
        }
        if r.symbol.trim().is_empty() {
            return Err(invalid(what(), "the symbol is empty"));
        }
        if ![r.market_cap, r.price].iter().flatten().all(|v| v.is_finite()) {
            return Err(invalid(what(), "a non-finite market cap or price"));
        }
        if !seen.insert((r.date, r.rank)) {
            return Err(invalid(what(), "this date and rank appear twice in the batch"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, rank: u32, symbol: &str, cap: Option<f64>) -> UniverseRow {
        UniverseRow {
            date: date.parse().unwrap(),
            rank,
            symbol: symbol.into(),
            name: String::new(),
            market_cap: cap,
            price: None,
        }
    }

    fn batch<'a>(source: &'a str, rows: &'a [UniverseRow]) -> UniverseBatch<'a> {
        UniverseBatch { source, origin: "o", fetched_at: "t", checksum: "c", rows }
    }

    #[test]
    fn snapshots_are_point_in_time_and_idempotent() {
        let mut store = Store::open_in_memory().unwrap();
        let cmc = [
            row("2020-01-01", 1, "BTC", Some(1.3e11)),
            row("2020-01-01", 2, "ETH", Some(1.4e10)),
            row("2020-02-01", 1, "BTC", Some(1.7e11)),
            row("2020-02-01", 2, "ETH", Some(2.5e10)),
        ];
        let first = store.write_universe(&batch("cmc", &cmc)).unwrap();
        assert_eq!(first, WriteOutcome { inserted: 4, updated: 0, unchanged: 0 });
        let again = store.write_universe(&batch("cmc", &cmc)).unwrap();
        assert_eq!(again, WriteOutcome { inserted: 0, updated: 0, unchanged: 4 });
        assert_eq!(store.universe_provenance().unwrap().len(), 1);
        store.write_universe(&batch("json", &[row("2020-02-01", 1, "BTC-USD", None)])).unwrap();

        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(store.universe_at(d("2019-12-31"), None).unwrap(), None);
        let jan = store.universe_at(d("2020-01-31"), None).unwrap().unwrap();
        assert_eq!((jan.source.as_str(), jan.date), ("cmc", d("2020-01-01")));
        assert_eq!(jan.rows, cmc[..2]);
        let feb = store.universe_at(d("2021-01-01"), None).unwrap().unwrap();
        assert_eq!(feb.source, "cmc"); // "cmc" sorts before "json" on the shared date
        let json = store.universe_at(d("2021-01-01"), Some("json")).unwrap().unwrap();
        assert_eq!(json.rows[0].symbol, "BTC-USD");
        assert_eq!(store.universe_dates(None).unwrap(), [d("2020-01-01"), d("2020-02-01")]);
        assert_eq!(store.universe_dates(Some("json")).unwrap(), [d("2020-02-01")]);
    }

    #[test]
    fn rejects_bad_rows() {
        let mut store = Store::open_in_memory().unwrap();
        let dup = [row("2020-01-01", 1, "BTC", None), row("2020-01-01", 1, "ETH", None)];
        let err = store.write_universe(&batch("cmc", &dup)).unwrap_err();
        assert!(err.to_string().contains("universe row 2020-01-01 1 of source cmc"), "{err}");
        assert!(store.write_universe(&batch("cmc", &[row("2020-01-01", 0, "BTC", None)])).is_err());
        assert!(store.write_universe(&batch("cmc", &[row("2020-01-01", 1, "BTC", Some(f64::NAN))])).is_err());
        assert!(store.universe_dates(None).unwrap().is_empty());
    }
}
