//! File parsers, one per format, behind two functions: [`detect`] tells the
//! format from the content and [`parse`] reads a whole file into a
//! validated [`Parsed`].
//!
//! Every parser follows the same rules:
//!
//! - a problem is one [`IngestError::File`] naming the file, the 1-based
//!   physical line and the problem (`rut.csv:12: close "abc" is not a
//!   number`), and nothing partial is returned;
//! - prices must be finite and above zero, volumes finite and not negative;
//!   FRED values only finite (rates and spreads go to zero and below);
//! - dates must strictly increase; an exact repeat of a row is dropped, the
//!   same date with other values is refused;
//! - whether high/low bracket open/close is *not* checked here: real exports
//!   break it, and `riskcurve check` reports it;
//! - with [`ParseOptions::lenient`] bad rows are left out and listed in
//!   [`Parsed::skipped`] instead, but an empty, binary or HTML file, or a
//!   header that names no known columns, is still refused.

use std::fmt;
use std::str::FromStr;

use crate::{IngestError, Parsed};

mod binance;
mod blockchain;
mod cmc;
mod coinbase;
mod cryptodatadownload;
mod fred;
mod ibkr;
mod ohlc;
mod table;
mod universe_json;
mod yahoo;

/// A file format riskcurve can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Decide from the content with [`detect`].
    Auto,
    /// Yahoo Finance CSV (`Date,Open,High,Low,Close[,Adj Close],Volume`, any order).
    Yahoo,
    /// FRED CSV with a date and one value column.
    Fred,
    /// A table of many FRED series; one is chosen with [`ParseOptions::column`].
    FredWide,
    /// Broker bars `date,open,high,low,close,volume,wap,count`.
    Ibkr,
    /// Binance klines: `timestamp,open,...` or the raw 12-column API rows.
    Binance,
    /// CryptoDataDownload export: banner line, newest first.
    CryptoDataDownload,
    /// blockchain.com chart export: no header, `date,price`, 0 = no market.
    Blockchain,
    /// CoinMarketCap monthly top-N snapshots (a universe, no series).
    CmcSnapshots,
    /// Long table `date,symbol,base,open,high,low,close,volume`: one series per symbol.
    CoinbaseLong,
    /// `{"YYYY-MM-01": ["BTC-USD", ...]}` ranked ticker lists (a universe).
    UniverseJson,
}

impl Format {
    /// Every format, in the order the names are listed.
    pub const ALL: [Format; 11] = [
        Format::Auto,
        Format::Yahoo,
        Format::Fred,
        Format::FredWide,
        Format::Ibkr,
        Format::Binance,
        Format::CryptoDataDownload,
        Format::Blockchain,
        Format::CmcSnapshots,
        Format::CoinbaseLong,
        Format::UniverseJson,
    ];

    /// The name used on the command line and in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Yahoo => "yahoo",
            Format::Fred => "fred",
            Format::FredWide => "fred-wide",
            Format::Ibkr => "ibkr",
            Format::Binance => "binance",
            Format::CryptoDataDownload => "cryptodatadownload",
            Format::Blockchain => "blockchain",
            Format::CmcSnapshots => "cmc",
            Format::CoinbaseLong => "coinbase-long",
            Format::UniverseJson => "universe-json",
        }
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: expected one of auto, yahoo, fred, fred-wide, ibkr, binance, cryptodatadownload (or cdd), blockchain, cmc, coinbase-long, universe-json")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format name, ignoring case; `cdd` is short for `cryptodatadownload`.
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        let name = s.trim().to_ascii_lowercase();
        if name == "cdd" {
            return Ok(Format::CryptoDataDownload);
        }
        Format::ALL.into_iter().find(|f| f.as_str() == name).ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to read a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The value column of a FRED file (required for wide tables; matched
    /// ignoring case). Refused for other formats rather than ignored.
    pub column: Option<String>,
    /// Skip bad rows and list them in [`Parsed::skipped`] instead of failing.
    pub lenient: bool,
}

/// Header names accepted for the date column of a bar or FRED file.
const DATE_NAMES: [&str; 7] = ["date", "observation_date", "timestamp", "open_time", "open time", "datetime", "time"];

/// Tells the format from the content (the first line, or the first byte of
/// JSON); `file` only names the file in errors.
pub fn detect(file: &str, text: &str) -> Result<Format, IngestError> {
    let text = check_text(file, text, "CSV")?;
    let (line, first) = first_line(text);
    let first = first.trim();
    if first.starts_with('{') {
        return Ok(Format::UniverseJson);
    }
    if first.starts_with('[') {
        return Ok(Format::Binance);
    }
    if first.to_ascii_lowercase().contains("cryptodatadownload") {
        return Ok(Format::CryptoDataDownload);
    }
    let cells: Vec<String> = first.split(',').map(|c| c.trim().trim_matches('"').to_ascii_lowercase()).collect();
    let has = |name: &str| cells.iter().any(|c| c == name);
    let unrecognised =
        || IngestError::file(file, Some(line), format!("no recognisable header: {}{}", quoted(first), hint(first)));
    if table::date(&cells[0]).is_ok() {
        // No header: blockchain.com `date,price` or raw Binance kline rows.
        return match cells.len() {
            2 => Ok(Format::Blockchain),
            n if n >= 6 && table::epoch_seconds(&cells[0]).is_some() => Ok(Format::Binance),
            _ => Err(unrecognised()),
        };
    }
    if has("unix") && has("symbol") {
        return Ok(Format::CryptoDataDownload);
    }
    if has("rank") && has("symbol") {
        return Ok(Format::CmcSnapshots);
    }
    if !DATE_NAMES.contains(&cells[0].as_str()) {
        return Err(unrecognised());
    }
    if has("symbol") && has("close") {
        return Ok(Format::CoinbaseLong);
    }
    if has("close") {
        // Binance's own dumps have a `count` column too, so the first cell decides first.
        return Ok(if matches!(cells[0].as_str(), "timestamp" | "open_time" | "open time") {
            Format::Binance
        } else if has("wap") || has("count") || has("barcount") {
            Format::Ibkr
        } else {
            Format::Yahoo
        });
    }
    if ["open", "high", "low", "adj close"].iter().any(|n| has(n)) {
        return Err(unrecognised());
    }
    match cells.len() - 1 {
        0 => Err(unrecognised()),
        1 | 2 => Ok(Format::Fred),
        _ => Ok(Format::FredWide),
    }
}

/// Reads a whole file. `file` names it in errors; [`Format::Auto`] calls
/// [`detect`]. Either every row is accepted (or, when lenient, accounted for
/// in [`Parsed::skipped`]) or the result is an error naming file and line.
pub fn parse(file: &str, bytes: &[u8], format: Format, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    check_encoding(file, bytes)?;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            return Err(IngestError::file(file, Some(line), "not utf-8 text (a binary or spreadsheet file?)"));
        }
    };
    let kind = if format == Format::UniverseJson { "JSON" } else { "CSV" };
    let text = check_text(file, text, kind)?;
    let format = match format {
        Format::Auto => detect(file, text)?,
        f => f,
    };
    if opts.column.is_some() && !matches!(format, Format::Fred | Format::FredWide) {
        return Err(IngestError::file(file, None, format!("--column applies to fred files, not to {format} files")));
    }
    match format {
        Format::Auto => unreachable!("resolved above"),
        Format::Yahoo => yahoo::parse(file, text, opts),
        Format::Fred | Format::FredWide => fred::parse(file, text, opts),
        Format::Ibkr => ibkr::parse(file, text, opts),
        Format::Binance => binance::parse(file, text, opts),
        Format::CryptoDataDownload => cryptodatadownload::parse(file, text, opts),
        Format::Blockchain => blockchain::parse(file, text, opts),
        Format::CmcSnapshots => cmc::parse(file, text, opts),
        Format::CoinbaseLong => coinbase::parse(file, text, opts),
        Format::UniverseJson => universe_json::parse(file, text, opts),
    }
}

/// Refuses UTF-16 text (a byte-order mark, or NUL bytes between the
/// characters of the first line) with a hint, before anything is parsed.
pub fn check_encoding(file: &str, bytes: &[u8]) -> Result<(), IngestError> {
    let head = &bytes[..bytes.len().min(1024)];
    let bom = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if bom || (head.len() >= 4 && nuls * 3 >= head.len()) {
        return Err(IngestError::file(file, Some(1), "UTF-16 text: save the file as UTF-8 (or CSV UTF-8)"));
    }
    Ok(())
}

/// Refuses empty and HTML files; returns the text without a byte-order mark.
fn check_text<'a>(file: &str, text: &'a str, kind: &str) -> Result<&'a str, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(IngestError::file(file, None, "file is empty"));
    }
    let (line, first) = first_line(text);
    if first.trim_start().starts_with('<') {
        return Err(IngestError::file(file, Some(line), format!("looks like HTML, not {kind}")));
    }
    Ok(text)
}

/// The most characters of a file's text an error message shows.
const SHOWN_CHARS: usize = 40;

/// A field or line of a file for an error message: quoted and escaped, cut
/// after [`SHOWN_CHARS`] characters (a 10 MB line is not echoed whole, nor
/// more than a prefix of a file that was not meant to be read).
pub(crate) fn quoted(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(SHOWN_CHARS).collect();
    let rest = chars.count();
    if rest == 0 {
        format!("{head:?}")
    } else {
        format!("{head:?}... ({rest} more characters)")
    }
}

/// Like [`quoted`] without the quotes, for lists the message writes out
/// (a header's columns), cut after twice as many characters.
pub(crate) fn cut(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(2 * SHOWN_CHARS).collect();
    let rest = chars.count();
    let head = head.escape_debug().to_string();
    if rest == 0 {
        head
    } else {
        format!("{head}... ({rest} more characters)")
    }
}

/// Why a header may not be recognised, when the text says: `;` separators
/// (a European spreadsheet export) or tabs.
fn hint(first: &str) -> &'static str {
    if first.contains(';') && !first.contains(',') {
        " (separated by ';': export the file with ',' as the separator)"
    } else if first.contains('\t') && !first.contains(',') {
        " (separated by tabs: export the file with ',' as the separator)"
    } else {
        ""
    }
}

/// The first line with content and its 1-based number.
fn first_line(text: &str) -> (usize, &str) {
    text.lines().enumerate().find(|(_, l)| !l.trim().is_empty()).map_or((1, ""), |(i, l)| (i + 1, l))
}

#[cfg(test)]
mod testdata;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        assert_eq!("CDD".parse::<Format>(), Ok(Format::CryptoDataDownload));
        assert_eq!("Fred-Wide".parse::<Format>(), Ok(Format::FredWide));
        let err = "stooq".parse::<Format>().unwrap_err().to_string();
        assert!(err.starts_with(r#"unknown format "stooq": expected one of auto, yahoo, fred"#), "{err}");
    }

    // Hand-made inputs from here on.

    #[test]
    fn empty_html_and_binary_files_are_refused_even_when_lenient() {
        for format in [Format::Auto, Format::Yahoo, Format::Fred] {
            for lenient in [false, true] {
                let err = |text: &[u8]| {
                    parse("t.csv", text, format, &ParseOptions { column: None, lenient }).unwrap_err().to_string()
                };
                assert_eq!(err(b""), "t.csv: file is empty");
                assert_eq!(err(b" \n\r\n"), "t.csv: file is empty");
                assert_eq!(
                    err(b"\n<!DOCTYPE html>\n<html><body>rate limited</body></html>"),
                    "t.csv:2: looks like HTML, not CSV"
                );
                assert_eq!(
                    err(b"Date,Close\n2020-01-02,\xff\xfe\n"),
                    "t.csv:2: not utf-8 text (a binary or spreadsheet file?)"
                );
            }
        }
        let err = parse("u.json", b"<html>", Format::UniverseJson, &ParseOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "u.json:1: looks like HTML, not JSON");
    }

    #[test]
    fn unrecognisable_text_is_refused() {
        let err = detect("notes.txt", "Dear reader,\nthis is not data\n").unwrap_err();
        assert_eq!(err.to_string(), r#"notes.txt:1: no recognisable header: "Dear reader,""#);
        let err = parse("t.csv", b"2020-01-01,1,2\n", Format::Auto, &ParseOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), r#"t.csv:1: no recognisable header: "2020-01-01,1,2""#);
    }

    /// Issue 11 item 12: a 10 MB bad line was echoed whole.
    #[test]
    fn a_long_bad_line_is_echoed_as_a_short_escaped_prefix() {
        let long = format!("x\u{1b}[31m{}", "y".repeat(10 << 20));
        let err = detect("big.csv", &format!("{long}\n")).unwrap_err().to_string();
        assert!(err.len() < 200, "{} bytes", err.len());
        assert!(err.starts_with(r#"big.csv:1: no recognisable header: "x\u{1b}[31myyy"#), "{err}");
        assert!(err.ends_with("... (10485726 more characters)"), "{err}");
        let table = format!("Date,Close\n2024-01-02,{}\n", "9".repeat(1 << 20) + "x");
        let err = parse("t.csv", table.as_bytes(), Format::Yahoo, &ParseOptions::default()).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
    }

    /// Issue 11 item 13: no hint for `;`-separated or UTF-16 files.
    #[test]
    fn semicolons_and_utf16_get_a_hint() {
        let err = detect("eu.csv", "Date;Open;High;Low;Close\n").unwrap_err().to_string();
        assert!(err.ends_with("(separated by ';': export the file with ',' as the separator)"), "{err}");
        let utf16: Vec<u8> = "\u{feff}Date,Close\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = parse("w.csv", &utf16, Format::Auto, &ParseOptions::default()).unwrap_err().to_string();
        assert!(err.contains("UTF-16"), "{err}");
    }

    #[test]
    fn detects_by_header() {
        let cases = [
            ("Date,Open,High,Low,Close,Adj Close,Volume", Format::Yahoo),
            ("\u{feff}Date,Close,High,Low,Open,Volume", Format::Yahoo),
            ("DATE,DGS10", Format::Fred),
            ("observation_date,WALCL", Format::Fred),
            ("date,value", Format::Fred),
            ("date,NFCI,ANFCI,WALCL", Format::FredWide),
            ("date,open,high,low,close,volume,wap,count", Format::Ibkr),
            ("timestamp,open,high,low,close,volume", Format::Binance),
            (
                "1502928000000,4261.48,4328.69,4261.32,4315.32,70.415,1502971199999,303066.07,228,25.0,107016.0,0",
                Format::Binance,
            ),
            (r#"[[1502928000000,"4261.48","4328.69","4261.32","4315.32","70.4"]]"#, Format::Binance),
            ("https://www.CryptoDataDownload.com", Format::CryptoDataDownload),
            ("Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount", Format::CryptoDataDownload),
            ("2009-01-03 00:00:00,0.0", Format::Blockchain),
            ("Rank,Name,Symbol,Market Cap,Price,snapshot_date", Format::CmcSnapshots),
            ("date,symbol,base,open,high,low,close,volume", Format::CoinbaseLong),
            ("{\"2017-01-01\": [\"BTC-USD\"]}", Format::UniverseJson),
        ];
        for (first_line, format) in cases {
            assert_eq!(detect("t.csv", &format!("{first_line}\n")).unwrap(), format, "{first_line}");
        }
    }

    #[test]
    fn column_is_refused_outside_fred() {
        let opts = ParseOptions { column: Some("Close".into()), lenient: false };
        let err = parse("t.csv", b"Date,Close\n2020-01-02,1\n", Format::Auto, &opts).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: --column applies to fred files, not to yahoo files");
    }
}
