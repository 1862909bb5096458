use std::path::PathBuf;

use riskcurve_core::{Date, SeriesId};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory that should hold the database could not be created.
    #[error("cannot create directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// SQLite could not open the file, or it is not a database.
    #[error("cannot open database {path}: {source}")]
    Open {
        /// The database file.
        path: String,
        /// The underlying SQLite error.
        source: rusqlite::Error,
    },
    /// The file was written by a newer riskcurve; we refuse to guess at its layout.
    #[error(
        "database {path} has schema version {found}, newer than the {known} this build knows: \
         upgrade riskcurve"
    )]
    SchemaTooNew {
        /// The database file.
        path: String,
        /// `PRAGMA user_version` found in the file.
        found: i64,
        /// The newest version this build can migrate to.
        known: i64,
    },
    /// A read-only open found a database that still needs migrating.
    #[error(
        "database {path} has schema version {found}, older than {known}: open it read-write \
         once to migrate it"
    )]
    SchemaTooOld {
        /// The database file.
        path: String,
        /// `PRAGMA user_version` found in the file.
        found: i64,
        /// The version this build needs.
        known: i64,
    },
    /// A SQLite file at schema version 0 that already holds tables: some
    /// other program's database, which we refuse to add tables to.
    #[error("{path} is not a riskcurve database: it has {tables} tables but no riskcurve schema version (pass another --db)")]
    NotRiskcurve {
        /// The database file.
        path: String,
        /// Tables found in it.
        tables: i64,
    },
    /// New metadata would relabel the stored values of a series with another
    /// unit without converting them.
    #[error(
        "series {series} is stored in {stored}, not {given}: changing its unit would relabel {rows} stored values \
         without converting them; keep the unit (fix the catalog), or store the data under a new series id"
    )]
    UnitChanged {
        /// The series.
        series: SeriesId,
        /// The unit its values are stored in.
        stored: String,
        /// The unit the new metadata names.
        given: String,
        /// Observations stored.
        rows: u64,
    },
    /// A batch whose values are off the stored values of the same series by
    /// a factor no revision explains: a change of unit or of instrument.
    #[error(
        "series {series} from source {source_name}: values are {factor} the stored ones ({date}: {value} against \
         {stored} stored from {stored_source} on {stored_date}): a change of unit or a wrong series? nothing was \
         written (if the stored values are the wrong ones, `riskcurve revert --import N` removes them)"
    )]
    ScaleMismatch {
        /// The series written.
        series: SeriesId,
        /// The source of the batch.
        source_name: String,
        /// `1000x` or `1/1000 of`, the median ratio of new to stored values.
        factor: String,
        /// A batch date showing it.
        date: Date,
        /// The batch's value there.
        value: f64,
        /// The stored neighbour's date.
        stored_date: Date,
        /// The stored neighbour's value.
        stored: f64,
        /// The stored neighbour's source.
        stored_source: String,
    },
    /// `revert` named a write that is not recorded.
    #[error("no write {0} is recorded (see the write column of `riskcurve import` or `riskcurve series history`)")]
    UnknownWrite(i64),
    /// A write named a series that has no metadata row yet.
    #[error("unknown series {0}: store its metadata with upsert_series first")]
    UnknownSeries(SeriesId),
    /// A bar that cannot be stored (NaN, infinite, or a date given twice).
    #[error("series {series} from source {source_name}: bar on {date} {reason}")]
    InvalidBar {
        /// The series being written.
        series: SeriesId,
        /// The source of the batch.
        source_name: String,
        /// The bar's date.
        date: Date,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An argument that is not a bar is invalid (an empty source name, a flag
    /// containing a comma, a universe rank of 0).
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// What was invalid, naming the series or source.
        what: String,
        /// Why.
        reason: String,
    },
    /// A value read back from the database does not parse (hand-edited or
    /// corrupted file).
    #[error("series {series}: stored {field} {value:?} is invalid")]
    InvalidStored {
        /// The series (or table key) the value belongs to.
        series: String,
        /// The column.
        field: &'static str,
        /// The stored text.
        value: String,
    },
    /// Bytes given to [`crate::Snapshot::decode`] that are not a snapshot this
    /// build can read (wrong magic, newer version, truncated, corrupted).
    #[error("invalid snapshot: {0}")]
    InvalidSnapshot(String),
    /// Any other SQLite failure, with what we were doing at the time.
    #[error("{action}: {source}")]
    Sqlite {
        /// What the store was doing, naming the series or source.
        action: String,
        /// The underlying SQLite error.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// True when the caller's input is at fault (a bar, a source name, a
    /// unit, a scale, an unknown series or write, a file that is not ours),
    /// not the database or the machine: front ends exit with status 2.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::NotRiskcurve { .. }
                | StoreError::UnitChanged { .. }
                | StoreError::ScaleMismatch { .. }
                | StoreError::UnknownWrite(_)
                | StoreError::UnknownSeries(_)
                | StoreError::InvalidBar { .. }
                | StoreError::InvalidInput { .. }
                | StoreError::SchemaTooNew { .. }
        )
    }

    /// True when the database was locked by another connection for longer than
    /// the busy timeout: the operation changed nothing and may be retried.
    pub fn is_busy(&self) -> bool {
        let source = match self {
            StoreError::Open { source, .. } | StoreError::Sqlite { source, .. } => source,
            _ => return false,
        };
        matches!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

/// Wraps SQLite errors with the action that failed; `action` is only
/// formatted when an error actually happens.
pub(crate) fn sql<F: Fn() -> String>(action: F) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { action: action(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_name_the_input() {
        let id = SeriesId::new("btc").unwrap();
        let e = StoreError::UnknownSeries(id.clone());
        assert_eq!(e.to_string(), "unknown series btc: store its metadata with upsert_series first");
        let e = StoreError::InvalidBar {
            series: id,
            source_name: "yahoo".into(),
            date: "2024-01-02".parse().unwrap(),
            reason: "has a non-finite value",
        };
        assert_eq!(e.to_string(), "series btc from source yahoo: bar on 2024-01-02 has a non-finite value");
        assert!(!e.is_busy());
    }
}
