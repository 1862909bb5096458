//! Readers for the real exports in ../shared/data (see its SOURCES.md), with
//! std only: the signals crate does not depend on the ingest parsers, and
//! these files are simple enough to split by comma.
// Each test binary uses a different subset of these readers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use riskcurve_core::{Date, Series};

/// The shared data directory, relative to this crate.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// The text of `name` (relative to [`DIR`]); panics with the path when missing.
pub fn read(name: &str) -> String {
    let path = format!("{DIR}/{name}");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (the reference data lives in ../shared/data)"))
}

/// Parses a `YYYY-MM-DD` (or `YYYYMMDD`) literal.
pub fn d(s: &str) -> Date {
    s.parse().unwrap_or_else(|e| panic!("date {s:?}: {e}"))
}

/// Column `value` of a headed CSV keyed by column `date`; blank and `null`
/// cells are skipped (FRED wide tables leave a series blank on dates it has
/// no value).
pub fn column(name: &str, date: &str, value: &str) -> Series {
    let text = read(name);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let index = |col: &str| header.iter().position(|h| *h == col).unwrap_or_else(|| panic!("{name}: no column {col}"));
    let (di, vi) = (index(date), index(value));
    let pairs = lines.filter(|l| !l.trim().is_empty()).filter_map(|line| {
        let cells: Vec<&str> = line.split(',').collect();
        let v = cells.get(vi)?.trim();
        if v.is_empty() || v == "null" {
            return None;
        }
        Some((d(&cells[di][..10]), v.parse::<f64>().unwrap_or_else(|e| panic!("{name}: {line}: {e}"))))
    });
    Series::from_pairs(pairs).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Binance daily closes of every `*USDT_1d.csv` pair, keyed by the lowercase
/// base symbol (`ADAUSDT_1d.csv` -> `ada`).
pub fn binance_closes() -> BTreeMap<String, Series> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(format!("{DIR}/binance_daily")).expect("binance_daily") {
        let file = entry.expect("dir entry").file_name().to_string_lossy().to_string();
        if let Some(base) = file.strip_suffix("USDT_1d.csv") {
            out.insert(base.to_ascii_lowercase(), column(&format!("binance_daily/{file}"), "timestamp", "close"));
        }
    }
    out
}

/// The CoinMarketCap monthly top-200 snapshots: `(snapshot date, symbols by rank)`.
pub fn cmc_snapshots() -> Vec<(Date, Vec<String>)> {
    let text = read("crypto_top200_monthly_cmc.csv");
    let mut by_date: BTreeMap<Date, Vec<(u32, String)>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        let rank: u32 = cells[0].parse().expect("rank");
        by_date.entry(d(cells[10].trim())).or_default().push((rank, cells[2].to_string()));
    }
    by_date
        .into_iter()
        .map(|(date, mut ranked)| {
            ranked.sort();
            (date, ranked.into_iter().map(|(_, s)| s).collect())
        })
        .collect()
}
