//! Opening the database: file layout, connection settings, migrations.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::sql;
use crate::schema::{self, SCHEMA_VERSION};
use crate::StoreError;

/// How long a connection waits for another connection's lock before giving
/// up with a busy error ([`StoreError::is_busy`]). In WAL mode readers never
/// wait for the writer; this covers two writers and checkpoints.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection to a riskcurve database.
///
/// One `Store` is one SQLite connection: use one per thread. Any number of
/// `Store`s, in any number of processes, may read the same file while one of
/// them writes (WAL mode); writes are serialised by SQLite.
///
/// Methods that change data take `&mut self` and run in exactly one
/// transaction each, so a failed or interrupted call (even a killed process)
/// leaves the database as it was before the call.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    migrated_from: Option<i64>,
    /// `PRAGMA user_version` when opened (a read-only store never migrates;
    /// another process migrating it meanwhile only adds what reads fall back
    /// without).
    schema: i64,
}

impl Store {
    /// Opens (creating if needed, with its parent directories) the database
    /// at `path` and migrates it to the current schema.
    ///
    /// Refuses a database written by a newer build ([`StoreError::SchemaTooNew`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let shown = path.display().to_string();
        let open_err = |source| StoreError::Open { path: shown.clone(), source };
        let mut conn = Connection::open(path).map_err(open_err)?;
        // Before switching the file to WAL: a file that is no database, or
        // another program's database, is refused untouched.
        schema::user_version(&conn).map_err(open_err)?;
        schema::refuse_foreign(&conn, &shown)?;
        configure(&conn, false).map_err(open_err)?;
        let migrated_from = schema::migrate(&mut conn, &shown)?;
        Ok(Store { conn, path: Some(path.to_path_buf()), migrated_from, schema: SCHEMA_VERSION })
    }

    /// Opens an existing database without the ability to change it: for
    /// every command that only reads, and for dashboards and reports running
    /// beside an import. Works on a read-only file, directory or filesystem.
    ///
    /// Never migrates. A database from an older build is read as it is (the
    /// tables every version has are unchanged; what a later version added
    /// reads as empty, e.g. [`Store::revisions`]); an empty file (version 0)
    /// is refused ([`StoreError::SchemaTooOld`]), as is a newer version.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let open_err = |source| StoreError::Open { path: shown.clone(), source };
        if !path.is_file() {
            // SQLite would say "unable to open database file"; say which.
            let source = rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some("no such file".into()),
            );
            return Err(open_err(source));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let found = Connection::open_with_flags(path, flags)
            .and_then(|conn| configure(&conn, true).and_then(|()| schema::user_version(&conn)).map(|v| (conn, v)));
        let (conn, found) = match found {
            Ok(found) => found,
            // A WAL database needs its -shm file; where it cannot be created
            // (a read-only directory or filesystem) and no writer can exist,
            // SQLite reads the file as immutable.
            Err(_) => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(open_err)?;
                configure(&conn, true).map_err(open_err)?;
                let found = schema::user_version(&conn).map_err(open_err)?;
                (conn, found)
            }
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew { path: shown, found, known: SCHEMA_VERSION });
        }
        if found == 0 {
            schema::refuse_foreign(&conn, &shown)?;
            return Err(StoreError::SchemaTooOld { path: shown, found, known: SCHEMA_VERSION });
        }
        Ok(Store { conn, path: Some(path.to_path_buf()), migrated_from: None, schema: found })
    }

    /// A private database in memory, already migrated (for tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open { path: ":memory:".into(), source };
        let mut conn = Connection::open_in_memory().map_err(open_err)?;
        configure(&conn, false).map_err(open_err)?;
        schema::migrate(&mut conn, ":memory:")?;
        Ok(Store { conn, path: None, migrated_from: None, schema: SCHEMA_VERSION })
    }

    /// The schema version the file had when [`Store::open`] migrated it, or
    /// `None` when it needed no migration (so a caller can say so).
    pub fn migrated_from(&self) -> Option<i64> {
        self.migrated_from
    }

    /// True when the connection cannot write ([`Store::open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::DatabaseName::Main).unwrap_or(true)
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database (`PRAGMA user_version`, read
    /// when it was opened).
    pub fn schema_version(&self) -> i64 {
        self.schema
    }

    /// Runs `PRAGMA integrity_check`: `"ok"` for a healthy database, else the
    /// problems SQLite found, one per line.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let failed = sql(|| format!("checking the integrity of {}", self.shown()));
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(&failed)?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(&failed)?;
        Ok(lines.join("\n"))
    }

    /// The database name used in error messages.
    pub(crate) fn shown(&self) -> String {
        self.path.as_ref().map_or_else(|| ":memory:".to_string(), |p| p.display().to_string())
    }
}

/// `path` for a `file:` URI: characters that URIs reserve are escaped.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' | 0x80.. => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}

/// Connection settings. WAL lets readers run beside one writer and makes a
/// commit one sequential append; `synchronous=NORMAL` is safe in WAL mode
/// (a power cut may lose the last commits, never corrupt the file; a killed
/// process loses nothing committed).
fn configure(conn: &Connection, read_only: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if read_only {
        return conn.pragma_update(None, "query_only", true);
    }
    // journal_mode answers with the resulting mode; in-memory databases stay
    // "memory", which is fine.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/dir/rc.db");
        let store = Store::open(&path).unwrap();
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        assert_eq!(store.schema_version(), SCHEMA_VERSION);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(store.path(), Some(path.as_path()));
    }

    #[test]
    fn read_only_refuses_writes_and_unmigrated_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rc.db");
        drop(Store::open(&path).unwrap());
        let ro = Store::open_read_only(&path).unwrap();
        assert!(ro.conn.execute("DELETE FROM series", []).is_err());

        assert!(ro.is_read_only());

        let blank = dir.path().join("blank.db");
        drop(Connection::open(&blank).unwrap());
        let err = Store::open_read_only(&blank).unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooOld { found: 0, .. }), "{err}");
        assert!(Store::open_read_only(&dir.path().join("missing.db")).is_err());
    }

    #[test]
    fn names_the_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "not sqlite, just some text that is long enough to have a header").unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Open { .. }), "{err}");
        assert!(err.to_string().starts_with(&format!("cannot open database {}", path.display())), "{err}");
    }
}
