//! Getting real data into riskcurve: one parser per file format
//! ([`mod@format`]) and one provider per live source ([`provider`]).
//!
//! Nothing here touches the database: parsers and providers return
//! [`Parsed`] values that the binary hands to the store.
#![deny(missing_docs)]

mod error;
pub mod format;
mod parsed;
pub mod provider;
pub mod validate;

pub use error::IngestError;
pub use parsed::{Parsed, ParsedSeries, Skipped, UniverseEntry};
