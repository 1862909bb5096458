//! The real exports in ../shared/data (see its SOURCES.md), read with the
//! project's own parsers (`riskcurve-ingest`, a dev-dependency only: the
//! signals library itself stays pure).
// Each test binary uses a different subset of these readers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use riskcurve_core::{BarSeries, Date, Series};
use riskcurve_ingest::format::{parse, Format, ParseOptions};
use riskcurve_ingest::Parsed;

/// The shared data directory, relative to this crate.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// Parses `name` (relative to [`DIR`]), format detected, optionally one column of a wide table.
fn parsed(name: &str, column: Option<&str>) -> Parsed {
    let path = format!("{DIR}/{name}");
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (the reference data lives in ../shared/data)"));
    let opts = ParseOptions { column: column.map(str::to_string), lenient: false };
    parse(name, &bytes, Format::Auto, &opts).unwrap_or_else(|e| panic!("{e}"))
}

/// Parses a `YYYY-MM-DD` (or `YYYYMMDD`) literal.
pub fn d(s: &str) -> Date {
    s.parse().unwrap_or_else(|e| panic!("date {s:?}: {e}"))
}

/// The daily bars of a single-series price file (Yahoo, IBKR-style, Binance).
pub fn bars(name: &str) -> BarSeries {
    BarSeries::new(parsed(name, None).series.remove(0).bars).unwrap()
}

/// The daily closes of a single-series price file.
pub fn closes(name: &str) -> Series {
    bars(name).closes()
}

/// One column of a FRED wide table (blank cells are dates without a value).
pub fn fred_column(name: &str, column: &str) -> Series {
    BarSeries::new(parsed(name, Some(column)).series.remove(0).bars).unwrap().closes()
}

/// Binance daily closes of every `*USDT_1d.csv` pair, keyed by the lowercase
/// base symbol (`ADAUSDT_1d.csv` -> `ada`).
pub fn binance_closes() -> BTreeMap<String, Series> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(format!("{DIR}/binance_daily")).expect("binance_daily") {
        let file = entry.expect("dir entry").file_name().to_string_lossy().to_string();
        if let Some(base) = file.strip_suffix("USDT_1d.csv") {
            out.insert(base.to_ascii_lowercase(), closes(&format!("binance_daily/{file}")));
        }
    }
    out
}

/// The CoinMarketCap monthly top-200 snapshots: `(snapshot date, symbols by rank)`.
pub fn cmc_snapshots() -> Vec<(Date, Vec<String>)> {
    let mut by_date: BTreeMap<Date, Vec<(u32, String)>> = BTreeMap::new();
    for u in parsed("crypto_top200_monthly_cmc.csv", None).universe {
        by_date.entry(u.date).or_default().push((u.rank, u.symbol));
    }
    by_date
        .into_iter()
        .map(|(date, mut ranked)| {
            ranked.sort();
            (date, ranked.into_iter().map(|(_, s)| s).collect())
        })
        .collect()
}
