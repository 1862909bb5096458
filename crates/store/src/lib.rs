//! The riskcurve store: one SQLite file holding series metadata, each
//! source's observations, provenance of every import, and point-in-time
//! coin universes.
//!
//! - **Sources stay separate.** Every source keeps its own rows; reading a
//!   series ([`Store::bars`]) splices them in contiguous ranges: a date goes
//!   to the **largest-priority** source whose first-to-last span contains
//!   it (a day it lacks is a gap), so a long low-priority history extends a
//!   short high-priority one and the source of each bar is reported.
//! - **Writes are atomic and idempotent.** [`Store::write`] runs one
//!   transaction, [`Store::write_series`] one per series with all its
//!   sources; a failure or a killed process leaves the file as it was.
//!   Re-importing identical data rewrites no row and records no provenance.
//! - **History is kept.** Every value a write replaces is recorded
//!   ([`Store::revisions`]) and any write can be undone
//!   ([`Store::revert_write`]).
//! - **Scale is checked.** A batch whose values are a unit change off the
//!   stored values of the same series is refused, however short.
//! - **Readers and a writer coexist** (WAL mode): a dashboard can read while an
//!   import runs.
//! - **The store never reads the clock**: fetch times are given by the caller.
//!
//! ```
//! use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
//! use riskcurve_store::{SeriesMeta, Store, WriteBatch};
//!
//! let mut store = Store::open_in_memory()?;
//! let btc = SeriesId::new("btc")?;
//! store.upsert_series(&SeriesMeta {
//!     id: btc.clone(),
//!     name: "Bitcoin".into(),
//!     asset_class: "crypto".into(),
//!     calendar: Calendar::Crypto,
//!     unit: Unit::Usd,
//!     flags: vec![],
//! })?;
//! let d: Date = "2024-04-20".parse()?;
//! let bars = [Bar::value(d, 64_000.0)];
//! let batch = WriteBatch {
//!     series: &btc,
//!     source: "yahoo",
//!     priority: 10,
//!     origin: "btc_usd_daily_yahoo.csv",
//!     fetched_at: "2026-06-06T00:00:00Z",
//!     checksum: "sha256:...",
//!     bars: &bars,
//! };
//! assert_eq!(store.write(&batch)?.inserted, 1);
//! assert_eq!(store.write(&batch)?.unchanged, 1); // identical data: nothing changes
//! assert_eq!(store.bars(&btc, None, None)?[0].source, "yahoo");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod alerts;
mod closes;
mod error;
mod meta;
mod panel;
mod provenance;
mod read;
mod revisions;
mod scale;
mod schema;
mod snapshot;
mod store;
mod summary;
mod universe;
mod write;

#[cfg(test)]
mod test_support;

pub use alerts::{NewAlert, StoredAlert};
pub use error::StoreError;
pub use meta::SeriesMeta;
pub use provenance::ProvenanceRow;
pub use read::SourcedBar;
pub use revisions::{RevertOutcome, Revision, StoredObservation};
pub use schema::SCHEMA_VERSION;
pub use snapshot::{Snapshot, SnapshotSeries, SnapshotSpan, SnapshotUniverse, SNAPSHOT_PRIORITY, SNAPSHOT_SOURCE};
pub use store::Store;
pub use summary::{SeriesSummary, SourceSummary};
pub use universe::{UniverseBatch, UniverseRow, UniverseSnapshot};
pub use write::{AllWritten, ImportWriter, SeriesWrite, WriteBatch, WriteOutcome, Written};
