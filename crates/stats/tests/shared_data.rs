//! Daily closes from ../shared/data, read with the project's own parser
//! (`riskcurve-ingest` is a dev-dependency only; the stats library stays
//! pure). Included by the test binaries and the benchmark with `#[path]`.

use riskcurve_core::{BarSeries, Series};
use riskcurve_ingest::format::{parse, Format, ParseOptions};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// The closes of a Yahoo-style CSV in ../shared/data, whatever the column order.
pub fn daily_close(file: &str) -> Series {
    let path = format!("{DATA}/{file}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let parsed = parse(file, &bytes, Format::Yahoo, &ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    BarSeries::new(parsed.series[0].bars.clone()).unwrap().closes()
}
