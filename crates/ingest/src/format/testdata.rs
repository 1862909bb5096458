//! The real exports in ../shared/data (see its SOURCES.md): helpers the
//! format tests share, and the tests that walk the whole directory.

use std::path::Path;

use riskcurve_core::{Bar, BarSeries, Date};

use super::*;
use crate::{IngestError, Parsed};

/// The shared data directory, relative to this crate.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// Parses `name` (relative to [`DIR`]) strictly, checking every series
/// against `BarSeries::new`.
pub fn parse_file(name: &str, format: Format, column: Option<&str>) -> Parsed {
    let opts = ParseOptions { column: column.map(str::to_string), lenient: false };
    let bytes = std::fs::read(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    let parsed = parse(name, &bytes, format, &opts).unwrap_or_else(|e| panic!("{e}"));
    for s in &parsed.series {
        BarSeries::new(s.bars.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    parsed
}

/// Parses a `YYYY-MM-DD` literal.
pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// The bar dated `date`.
pub fn on(bars: &[Bar], date: &str) -> Bar {
    let date: Date = date.parse().unwrap();
    *bars.iter().find(|b| b.date == date).unwrap_or_else(|| panic!("no bar on {date}"))
}

/// Parses hand-made `text` with `format`.
pub fn parse_text(text: &str, format: Format, lenient: bool) -> Result<Parsed, IngestError> {
    parse("t.csv", text.as_bytes(), format, &ParseOptions { column: None, lenient })
}

/// The error message of a strict parse of hand-made `text`.
pub fn error(text: &str, format: Format) -> String {
    parse_text(text, format, false).map(|_| ()).unwrap_err().to_string()
}

mod tests {
    use super::*;

    /// The format each file in ../shared/data is in, by name.
    fn expected(name: &str) -> Format {
        match name {
            n if n.starts_with("binance_daily/") => Format::Binance,
            n if n.starts_with("yahoo_crypto_daily_2022/") => Format::Yahoo,
            n if n.contains("cryptodatadownload") => Format::CryptoDataDownload,
            n if n.contains("blockchain") => Format::Blockchain,
            n if n.contains("yahoo") => Format::Yahoo,
            n if n.contains("heliar") => Format::Ibkr,
            n if n.contains("_wide") => Format::FredWide,
            n if n.contains("fred") => Format::Fred,
            n if n.ends_with("_cmc.csv") => Format::CmcSnapshots,
            n if n.ends_with("_coinbase.csv") => Format::CoinbaseLong,
            n if n.ends_with(".json") => Format::UniverseJson,
            n => panic!("no expectation for {n}"),
        }
    }

    /// Every data file under ../shared/data, as "dir/name" relative paths.
    fn data_files() -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["", "binance_daily/", "yahoo_crypto_daily_2022/"] {
            for entry in std::fs::read_dir(Path::new(DIR).join(sub)).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".csv") || name.ends_with(".json") {
                    out.push(format!("{sub}{name}"));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn detects_every_file_in_the_data_directory() {
        let files = data_files();
        assert_eq!(files.len(), 22 + 21 + 90);
        for name in files {
            let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
            assert_eq!(detect(&name, &text).unwrap(), expected(&name), "{name}");
        }
    }

    /// Parses the whole directory: everything strict except two Yahoo crypto
    /// files whose zero prices (Yahoo rounding tiny prices to 0.0) are refused
    /// strictly; they are checked to fail with the exact line, then read leniently.
    /// Run with --release --nocapture to see the timing.
    #[test]
    fn every_file_in_the_data_directory_parses() {
        let broken = [
            ("yahoo_crypto_daily_2022/AAVE-USD.csv", r#"AAVE-USD.csv:2209: open "0.0" is not positive"#, 1),
            ("yahoo_crypto_daily_2022/SHIB-USD.csv", r#"SHIB-USD.csv:2147: open "0.0" is not positive"#, 259),
        ];
        let started = std::time::Instant::now();
        let (mut rows, mut files) = (0, 0);
        for name in data_files() {
            let bytes = std::fs::read(format!("{DIR}/{name}")).unwrap();
            let column = match name.as_str() {
                "fred_liquidity_wide.csv" => Some("walcl".to_string()),
                "fred_rates_wide.csv" => Some("DFF".to_string()),
                _ => None,
            };
            let strict = ParseOptions { column, lenient: false };
            let parsed = match broken.iter().find(|b| b.0 == name) {
                None => parse(&name, &bytes, Format::Auto, &strict).unwrap_or_else(|e| panic!("{e}")),
                Some(&(_, message, skipped)) => {
                    let err = parse(&name, &bytes, Format::Auto, &strict).unwrap_err().to_string();
                    assert!(err.ends_with(message), "{err}");
                    let lenient = ParseOptions { lenient: true, ..strict };
                    let parsed = parse(&name, &bytes, Format::Auto, &lenient).unwrap();
                    assert_eq!(parsed.skipped.len(), skipped, "{name}");
                    parsed
                }
            };
            rows += parsed.series.iter().map(|s| s.bars.len()).sum::<usize>() + parsed.universe.len();
            files += 1;
        }
        println!("parsed {files} files, {rows} rows/entries in {:?}", started.elapsed());
        assert!(rows > 300_000, "{rows}");
    }
}
