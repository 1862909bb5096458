//! The riskcurve application: everything a front end (the command line, the
//! report, the dashboard, the watcher) asks of riskcurve, as typed requests
//! in and typed, serialisable results out.
//!
//! Front ends parse their input into a request, call one function here and
//! render the result; they never re-decide what the application decided
//! (verdicts, baskets, as-of cuts, ON/OFF). The JSON the command line prints
//! is the `serde` form of these result types.
//!
//! This crate is the only one that combines the store, the catalog, the
//! parsers, the providers and the pure signal and statistics crates.
#![deny(missing_docs)]

pub mod altseason;
pub mod backtest;
pub mod breakouts;
pub mod catalog;
pub mod check;
pub mod claims;
pub mod coin_identity;
pub mod cycles;
mod error;
pub mod event_study;
pub mod history;
pub mod human;
pub mod import;
pub mod leadlag;
pub mod liquidity;
pub mod load;
pub mod report;
pub mod rotation;
pub mod series;
pub mod snapshot;
pub mod status;
pub mod update;
pub mod watch;

use std::path::PathBuf;

use riskcurve_core::Date;
use riskcurve_store::Store;

pub use catalog::Catalog;
pub use error::{bad, bad_input, failed, AppError, Context, Result};

/// What every request runs against: the database, the catalog and the
/// caller's clock (the application never reads the wall clock itself, so a
/// test can pin `today`).
pub struct App {
    /// The SQLite database file.
    pub db: PathBuf,
    /// The merged catalog (default plus the user's).
    pub catalog: Catalog,
    /// Today's date (UTC) as the caller sees it.
    pub today: Date,
    /// The current time as `YYYY-MM-DDTHH:MM:SSZ`, recorded with every write.
    pub now: String,
}

impl App {
    /// An application at the time `unix_seconds` (the caller reads the clock).
    pub fn at(db: PathBuf, catalog: Catalog, unix_seconds: i64) -> App {
        let today = Date::from_unix_seconds(unix_seconds);
        let s = unix_seconds.rem_euclid(86_400);
        let now = format!("{today}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60);
        App { db, catalog, today, now }
    }

    /// Opens the database for a command that reads; bad input when there is none yet.
    pub fn open_store(&self) -> Result<Store> {
        if !self.db.exists() {
            return bad(format!(
                "{}: no database yet: run `riskcurve status` (seeds from the live sources or the embedded snapshot), `riskcurve update` or `riskcurve import --manifest FILE`",
                self.db.display()
            ));
        }
        // Read-only: works on a read-only directory or filesystem, and never
        // migrates (a write command does, and says so).
        Store::open_read_only(&self.db).context_with(|| format!("{}: cannot open database", self.db.display()))
    }

    /// Opens (creating when needed) the database for a command that writes,
    /// migrating an older schema (with a note on stderr).
    pub fn open_store_for_writing(&self) -> Result<Store> {
        let store = Store::open(&self.db).context_with(|| format!("{}: cannot open database", self.db.display()))?;
        if let Some(from) = store.migrated_from().filter(|&v| v > 0) {
            eprintln!(
                "note: migrated database {} from schema version {from} to {}",
                self.db.display(),
                riskcurve_store::SCHEMA_VERSION
            );
        }
        Ok(store)
    }
}

/// Parses an optional `YYYY-MM-DD` flag value; bad input names the flag.
pub fn parse_date(flag: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|t| t.parse::<Date>().map_err(|e| bad_input(format!("--{flag}: {e}")))).transpose()
}

/// Reports progress of long work (an update, a manifest import, a long
/// statistic) to a front end that wants to show it.
pub trait Progress: Sync {
    /// `len` steps of `what` are about to run.
    fn start(&self, len: u64, what: &str);
    /// One step done; `msg` names it.
    fn step(&self, msg: &str);
    /// All done.
    fn finish(&self);
}

/// Progress nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64, _: &str) {}
    fn step(&self, _: &str) {}
    fn finish(&self) {}
}
