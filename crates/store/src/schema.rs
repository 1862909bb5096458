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
pub(crate) const MIGRATIONS: &[&str] = &[
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
    // 3: revisions. Every value a write replaces is kept, with the write that
    // replaced it, and every row names the write that last set it, so a write
    // can be shown and undone (`series history`, `revert --import N`).
    concat!(
        "
-- The provenance id of the write that last set the row; NULL for rows
-- written before schema 3.
ALTER TABLE observations ADD COLUMN write_id INTEGER;
-- Rows a revert removed (rows inserted by the reverted write).
ALTER TABLE provenance ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;

-- One row per date a write changed that already had a value (or that a
-- revert removed or restored). Inserts of new dates are not repeated here:
-- the row's write_id says which write inserted it.
CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    write_id     INTEGER NOT NULL,  -- provenance id of the write that made the change
    series_id    TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    date         INTEGER NOT NULL,
    fetched_at   TEXT NOT NULL,     -- the write's, as the caller gave it
    old_write_id INTEGER,           -- the write that had set the old values
    old_open REAL, old_high REAL, old_low REAL,
    old_close REAL CHECK ",
        finite!("old_close"),
        ",  -- NULL: there was no row
    old_volume REAL,
    new_open REAL, new_high REAL, new_low REAL,
    new_close REAL CHECK ",
        finite!("new_close"),
        ",  -- NULL: the write removed the row
    new_volume REAL
);
CREATE INDEX revisions_by_date ON revisions(series_id, date);
CREATE INDEX revisions_by_write ON revisions(write_id);
"
    ),
    // 4: the merged closes of each series, one blob per series (see
    // `closes.rs`): dropped by every change to a series' observations or
    // sources and rebuilt before the write commits. `migrate` fills it.
    // And a counter of changes to series metadata and sources (a priority
    // re-splices a series without any observation changing), for
    // `Store::data_version`; these tables change a handful of rows per
    // write, so triggers cost nothing measurable here.
    "
CREATE TABLE closes (
    series_id TEXT PRIMARY KEY NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    bars      BLOB NOT NULL  -- per merged bar: day (i32 LE), close (f64 LE)
);
CREATE TABLE generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO generation VALUES (1, 0);
CREATE TRIGGER generation_series_insert AFTER INSERT ON series BEGIN UPDATE generation SET n = n + 1; END;
CREATE TRIGGER generation_series_update AFTER UPDATE ON series BEGIN UPDATE generation SET n = n + 1; END;
CREATE TRIGGER generation_series_delete AFTER DELETE ON series BEGIN UPDATE generation SET n = n + 1; END;
CREATE TRIGGER generation_sources_insert AFTER INSERT ON sources BEGIN UPDATE generation SET n = n + 1; END;
CREATE TRIGGER generation_sources_update AFTER UPDATE ON sources BEGIN UPDATE generation SET n = n + 1; END;
CREATE TRIGGER generation_sources_delete AFTER DELETE ON sources BEGIN UPDATE generation SET n = n + 1; END;
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
/// newer build, and SQLite files at version 0 that already hold tables (they
/// are not riskcurve databases). Returns the version found when it migrated.
pub(crate) fn migrate(conn: &mut Connection, path: &str) -> Result<Option<i64>, StoreError> {
    let too_new = |found| StoreError::SchemaTooNew { path: path.to_string(), found, known: SCHEMA_VERSION };
    let failed = |source| StoreError::Sqlite { action: format!("migrating database {path}"), source };
    // Cheap check first, outside any lock.
    let found = user_version(conn).map_err(failed)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(None);
    }
    // IMMEDIATE: two processes opening a fresh file must not both migrate it;
    // the second waits, then re-reads the version and finds nothing to do.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
    let found = user_version(&tx).map_err(failed)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == 0 {
        refuse_foreign(&tx, path)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = i as i64 + 1;
        tx.execute_batch(sql).and_then(|()| tx.pragma_update(None, "user_version", to)).map_err(|source| {
            StoreError::Sqlite {
                action: format!("migrating database {path} to schema version {to}"),
                source: without_sql(source),
            }
        })?;
    }
    crate::closes::refresh(&tx)?;
    tx.commit().map_err(failed)?;
    Ok((found != SCHEMA_VERSION).then_some(found))
}

/// Refuses a file at schema version 0 that holds tables: another
/// program's database, which riskcurve must not add tables to.
pub(crate) fn refuse_foreign(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let failed = |source| StoreError::Sqlite { action: format!("reading database {path}"), source };
    if user_version(conn).map_err(failed)? != 0 {
        return Ok(());
    }
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", [], |r| r.get(0))
        .map_err(failed)?;
    if tables > 0 {
        return Err(StoreError::NotRiskcurve { path: path.to_string(), tables });
    }
    Ok(())
}

/// SQLite's syntax errors carry the whole statement, which for a migration
/// is the schema: keep the message, drop the SQL.
fn without_sql(e: rusqlite::Error) -> rusqlite::Error {
    match e {
        rusqlite::Error::SqlInputError { error, msg, .. } => rusqlite::Error::SqliteFailure(error, Some(msg)),
        e => e,
    }
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
        assert_eq!(tables, 10);
    }

    #[test]
    fn migrates_a_schema_2_database_keeping_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATIONS[0]).unwrap();
        tx.execute_batch(MIGRATIONS[1]).unwrap();
        tx.pragma_update(None, "user_version", 2).unwrap();
        tx.execute_batch(
            "INSERT INTO series VALUES ('btc', 'Bitcoin', 'crypto', 'crypto', 'USD', '');
             INSERT INTO sources VALUES ('btc', 'yahoo', 100);
             INSERT INTO observations VALUES ('btc', 'yahoo', 1, NULL, NULL, NULL, 5.0, NULL);",
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(migrate(&mut conn, "old.db").unwrap(), Some(2));
        let row: (f64, Option<i64>) =
            conn.query_row("SELECT close, write_id FROM observations", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(row, (5.0, None));
        assert_eq!(migrate(&mut conn, "old.db").unwrap(), None);
    }

    /// Issue 11 item 13: a foreign SQLite file at version 0 printed the whole
    /// schema SQL (twice) in the error.
    #[test]
    fn foreign_sqlite_file_is_refused_without_printing_the_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE series (a); CREATE TABLE notes (b);").unwrap();
        let err = migrate(&mut conn, "notes.db").unwrap_err();
        let msg = err.to_string();
        assert_eq!(
            msg,
            "notes.db is not a riskcurve database: it has 2 tables but no riskcurve schema version (pass another --db)"
        );
        assert!(!msg.contains("CREATE"), "{msg}");
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
