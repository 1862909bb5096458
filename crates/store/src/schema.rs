//! The schema as an ordered list of migrations, applied by `PRAGMA user_version`.
//!
//! Migration `i` (0-based) takes the database from version `i` to `i + 1`.
//! Migrations are append-only: once released, a migration's SQL never changes;
//! a schema change is a new entry at the end.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// A CHECK expression true for NULL and finite numbers: SQLite has no
/// `isfinite`, but `abs(x) <= f64::MAX` is false for both infinities.
macro_rules! finite {
    ($col:literal) => {
        concat!("(", $col, " IS NULL OR abs(", $col, ") <= 1.7976931348623157e308)")
    };
}

/// The migrations, in order.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    concat!(
        "
CREATE TABLE series (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    asset_class TEXT NOT NULL,
    calendar    TEXT NOT NULL,
    unit        TEXT NOT NULL,
    flags       TEXT NOT NULL DEFAULT ''  -- comma-separated, e.g. 'stablecoin,wrapped'
);

-- Which sources feed a series, and how they rank: where two sources have the
-- same date, the larger priority wins (ties: the source name sorting first).
CREATE TABLE sources (
    series_id TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    source    TEXT NOT NULL CHECK (source <> ''),
    priority  INTEGER NOT NULL,
    PRIMARY KEY (series_id, source)
) WITHOUT ROWID;

-- One row per series, source and date (days since 1970-01-01). Every source
-- keeps its own rows; the merged view picks one per date when reading.
CREATE TABLE observations (
    series_id TEXT NOT NULL,
    source    TEXT NOT NULL,
    date      INTEGER NOT NULL,
    open      REAL CHECK ",
        finite!("open"),
        ",
    high      REAL CHECK ",
        finite!("high"),
        ",
    low       REAL CHECK ",
        finite!("low"),
        ",
    close     REAL NOT NULL CHECK ",
        finite!("close"),
        ",
    volume    REAL CHECK ",
        finite!("volume"),
        ",
    PRIMARY KEY (series_id, source, date),
    FOREIGN KEY (series_id, source) REFERENCES sources(series_id, source) ON DELETE CASCADE
) WITHOUT ROWID;

-- One row per write that changed something.
CREATE TABLE provenance (
    id         INTEGER PRIMARY KEY,
    series_id  TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    origin     TEXT NOT NULL,     -- file path or URL
    fetched_at TEXT NOT NULL,     -- given by the caller; the store never reads the clock
    rows       INTEGER NOT NULL,  -- bars in the batch
    inserted   INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    checksum   TEXT NOT NULL
);
CREATE INDEX provenance_by_series ON provenance(series_id, source);

-- Point-in-time top-N lists (survivorship-aware universes).
CREATE TABLE universe (
    source        TEXT NOT NULL CHECK (source <> ''),
    snapshot_date INTEGER NOT NULL,
    rank          INTEGER NOT NULL CHECK (rank >= 1),
    symbol        TEXT NOT NULL,
    name          TEXT NOT NULL,
    market_cap    REAL CHECK ",
        finite!("market_cap"),
        ",
    price         REAL CHECK ",
        finite!("price"),
        ",
    PRIMARY KEY (source, snapshot_date, rank)
) WITHOUT ROWID;
CREATE INDEX universe_by_date ON universe(snapshot_date, source);

CREATE TABLE universe_provenance (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    origin     TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    inserted   INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    checksum   TEXT NOT NULL
);
"
    ),
    // 2: alerts, each recorded once per rule and key, with its delivery.
    "
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    rule         TEXT NOT NULL,           -- the rule's name in the rules file
    key          TEXT NOT NULL,           -- what fired (an event date, a new state): once per rule
    kind         TEXT NOT NULL,
    as_of        TEXT NOT NULL,           -- date of the data the alert was judged on
    created_at   TEXT NOT NULL,           -- given by the caller
    message      TEXT NOT NULL,
    payload      TEXT NOT NULL,           -- JSON
    delivered_at TEXT,                    -- NULL until every channel accepted it
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    UNIQUE (rule, key)
);
",
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads `PRAGMA user_version`.
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database up to [`SCHEMA_VERSION`] in one transaction, so a
/// crash mid-migration leaves the old version intact. Refuses files from a
/// newer build.
pub(crate) fn migrate(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let too_new = |found| StoreError::SchemaTooNew { path: path.to_string(), found, known: SCHEMA_VERSION };
    let failed = |source| StoreError::Sqlite { action: format!("migrating database {path}"), source };
    // Cheap check first, outside any lock.
    let found = user_version(conn).map_err(failed)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // IMMEDIATE: two processes opening a fresh file must not both migrate it;
    // the second waits, then re-reads the version and finds nothing to do.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
    let found = user_version(&tx).map_err(failed)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = i as i64 + 1;
        tx.execute_batch(sql).and_then(|()| tx.pragma_update(None, "user_version", to)).map_err(|source| {
            StoreError::Sqlite { action: format!("migrating database {path} to schema version {to}"), source }
        })?;
    }
    tx.commit().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_database_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, ":memory:").unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        migrate(&mut conn, ":memory:").unwrap();
        let tables: i64 =
            conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0)).unwrap();
        assert_eq!(tables, 7);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let err = migrate(&mut conn, "x.db").unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(err.to_string().contains("upgrade riskcurve"), "{err}");
    }

    #[test]
    fn check_constraints_reject_non_finite_values() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, ":memory:").unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO observations (series_id, source, date, close) VALUES ('a', 's', 1, 1.0);",
        )
        .unwrap();
        for bad in [f64::INFINITY, f64::NEG_INFINITY] {
            let r = conn.execute(
                "INSERT INTO observations (series_id, source, date, close, high) VALUES ('a', 's', 2, 1.0, ?1)",
                [bad],
            );
            assert!(r.is_err(), "{bad} accepted");
        }
        // SQLite binds NaN as NULL, which NOT NULL rejects for close.
        let r = conn
            .execute("INSERT INTO observations (series_id, source, date, close) VALUES ('a', 's', 3, ?1)", [f64::NAN]);
        assert!(r.is_err());
    }
}
