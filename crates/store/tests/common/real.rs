//! Real files from ../shared/data written into a store, for the integration
//! tests that need real series.

use riskcurve_core::SeriesId;
use riskcurve_ingest::format::{self, Format, ParseOptions};
use riskcurve_store::{Store, WriteBatch};

/// The shared data, relative to this crate.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// A file of the shared data, parsed.
pub fn parse(file: &str, fmt: Format) -> riskcurve_ingest::Parsed {
    let bytes = std::fs::read(format!("{DATA}/{file}")).unwrap_or_else(|e| panic!("{DATA}/{file}: {e}"));
    format::parse(file, &bytes, fmt, &ParseOptions::default()).unwrap()
}

/// Writes the first series of a shared-data file as `source` of series `id`.
pub fn write_file(store: &mut Store, id: &str, file: &str, fmt: Format, source: &str, priority: i32) {
    let parsed = parse(file, fmt);
    let id = SeriesId::new(id).unwrap();
    let batch = WriteBatch {
        series: &id,
        source,
        priority,
        origin: file,
        fetched_at: "2026-11-30T00:00:00Z",
        checksum: "sha256:test",
        bars: &parsed.series[0].bars,
    };
    store.write(&batch).unwrap();
}
