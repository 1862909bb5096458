//! CryptoDataDownload exports (`Binance_BTCUSDT_d.csv` and the like):
//!
//! ```text
//! https://www.CryptoDataDownload.com
//! Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount
//! 1781481600000,2026-06-15,BTCUSDT,65746.45,67292.15,65354.0,66328.74,18559.8,1230675240.5,3140494
//! ```
//!
//! - The banner line (a URL, no commas) is skipped when present.
//! - Rows are newest first: dates must strictly *decrease* down the file
//!   (the same rule as everywhere, read backwards); the series is returned
//!   ascending.
//! - `Unix` (s in older exports, ms in newer ones) must be midnight UTC and
//!   agree with `Date`: a disagreement means hourly data or a broken export.
//! - Volume is the **quote-currency** volume (`Volume USDT`), so the number is
//!   in dollars like Yahoo's crypto volume; `Volume BTC` and `tradecount`
//!   are ignored. Without a USD-like quote volume column the last
//!   `Volume ...` column is used.
//! - Every row must have the same `Symbol`: one pair per file.

use riskcurve_core::Date;

use super::ohlc::{BlankRows, OhlcColumns, SeriesBuilder};
use super::table::{self, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Quote currencies whose volume is (close to) US dollars.
const USD_QUOTES: [&str; 7] = ["usd", "usdt", "usdc", "busd", "tusd", "fdusd", "dai"];

/// Parses a CryptoDataDownload export into one ascending series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let banner_lines = banner_lines(text);
    let table = Table::with_header(file, text, banner_lines)?;
    let mut columns = OhlcColumns::locate(&table, &["date", "unix"])?;
    columns.volume = quote_volume_column(table.header());
    let unix = table.column(&["unix", "unix timestamp"]).filter(|&i| i != columns.date);
    let symbol = table.column(&["symbol"]);
    let mut first_symbol: Option<String> = None;
    let mut series = SeriesBuilder::newest_first();
    let read = table.rows(opts.lenient, |row| {
        let Some(bar) = columns.bar(row, BlankRows::AreErrors)? else { return Ok(()) };
        if let Some(i) = unix {
            check_unix(row.text(i), bar.date)?;
        }
        if let Some(i) = symbol {
            let sym = row.text(i);
            match &first_symbol {
                None => first_symbol = Some(sym.to_string()),
                Some(first) if first != sym => {
                    return Err(format!(
                        "symbol {} differs from {} above: one pair per file",
                        super::quoted(sym),
                        super::quoted(first)
                    ))
                }
                Some(_) => {}
            }
        }
        series.push(bar, None)
    })?;
    read.single(file, series)
}

/// Lines before the header: the URL banner, and blank lines around it.
fn banner_lines(text: &str) -> usize {
    let mut skip = 0;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || !l.contains(',') || l.to_ascii_lowercase().contains("cryptodatadownload") {
            skip += 1;
        } else {
            break;
        }
    }
    skip
}

/// The `Volume <QUOTE>` column for a USD-like quote, else the last `Volume ...` column.
fn quote_volume_column(header: &[String]) -> Option<usize> {
    let volumes: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let h = h.to_ascii_lowercase();
            h.strip_prefix("volume").map(|rest| (i, rest.trim().to_string()))
        })
        .collect();
    volumes.iter().find(|(_, quote)| USD_QUOTES.contains(&quote.as_str())).or(volumes.last()).map(|&(i, _)| i)
}

/// `Unix` must be midnight UTC of the row's `Date`.
fn check_unix(text: &str, date: Date) -> Result<(), String> {
    let secs = table::epoch_seconds(text)
        .ok_or_else(|| format!("unix time {} is not a unix timestamp", super::quoted(text)))?;
    if secs % 86_400 != 0 {
        return Err(format!("unix time {text} is not midnight utc: not daily data?"));
    }
    let unix_date = Date::from_unix_seconds(secs);
    if unix_date != date {
        return Err(format!("unix time {text} is {unix_date} but the date column says {date}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;
    use riskcurve_core::Date;

    #[test]
    fn binance_btcusdt_export() {
        let bars = parse_file("binance_btcusdt_daily_cryptodatadownload.csv", Format::CryptoDataDownload, None)
            .series
            .remove(0)
            .bars;
        assert_eq!(bars.len(), 3_202);
        assert_eq!((bars[0].date, bars[3_201].date), (d("2017-08-17"), d("2026-06-15")));
        assert!(bars.windows(2).all(|w| w[0].date < w[1].date));
        let b = on(&bars, "2021-11-08");
        assert_eq!((b.open, b.high, b.low, b.close), (Some(63273.58), Some(67789.0), Some(63273.58), 67525.83));
        assert_eq!(b.volume, Some(3575716171.0442996), "quote (USDT) volume");
        assert_eq!(on(&bars, "2025-10-06").close, 124658.54);
    }

    // Hand-made inputs from here on.

    const HEAD: &str =
        "https://www.CryptoDataDownload.com\nUnix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount\n";
    const ROW_0615: &str =
        "1781481600000,2026-06-15,BTCUSDT,65746.45,67292.15,65354.0,66328.74,18559.8,1230675240.5,3140494\n";
    const ROW_0614: &str =
        "1781395200000,2026-06-14,BTCUSDT,64458.01,65800.0,63678.83,65746.45,13203.0,853654539.2,2060901\n";
    const ROW_0613: &str = "1781308800,2026-06-13,BTCUSDT,64000.0,65000.0,63000.0,64458.01,1.0,2.0,3\n";

    #[test]
    fn newest_first_is_reversed_and_unix_may_be_seconds() {
        let parsed = parse_text(&format!("{HEAD}{ROW_0615}{ROW_0614}{ROW_0613}"), Format::Auto, false).unwrap();
        let dates: Vec<Date> = parsed.series[0].bars.iter().map(|b| b.date).collect();
        assert_eq!(dates, [d("2026-06-13"), d("2026-06-14"), d("2026-06-15")]);
        assert_eq!(parsed.series[0].bars[2].volume, Some(1230675240.5));
        // Without the banner too.
        let no_banner = format!("{HEAD}{ROW_0615}").replacen("https://www.CryptoDataDownload.com\n", "", 1);
        assert_eq!(parse_text(&no_banner, Format::Auto, false).unwrap().series[0].bars.len(), 1);
    }

    #[test]
    fn bad_rows() {
        assert_eq!(
            error(&format!("{HEAD}{ROW_0614}{ROW_0615}"), Format::CryptoDataDownload),
            "t.csv:4: date 2026-06-15 comes after 2026-06-14 in a newest-first file"
        );
        let wrong_unix = ROW_0614.replace("1781395200000", "1781481600000");
        assert_eq!(
            error(&format!("{HEAD}{wrong_unix}"), Format::CryptoDataDownload),
            "t.csv:3: unix time 1781481600000 is 2026-06-15 but the date column says 2026-06-14"
        );
        let hourly = ROW_0614.replace("1781395200000", "1781398800000");
        assert_eq!(
            error(&format!("{HEAD}{hourly}"), Format::CryptoDataDownload),
            "t.csv:3: unix time 1781398800000 is not midnight utc: not daily data?"
        );
        let eth = ROW_0614.replace("BTCUSDT", "ETHUSDT");
        assert_eq!(
            error(&format!("{HEAD}{ROW_0615}{eth}"), Format::CryptoDataDownload),
            r#"t.csv:4: symbol "ETHUSDT" differs from "BTCUSDT" above: one pair per file"#
        );
        let text = format!(
            "{HEAD}{ROW_0615}{}{ROW_0613}1781222400,2026-06-12,BTC",
            ROW_0614.replace("65746.45,13203", "0,13203")
        );
        assert_eq!(error(&text, Format::CryptoDataDownload), r#"t.csv:4: close "0" is not positive"#);
        let parsed = parse_text(&text, Format::CryptoDataDownload, true).unwrap();
        assert_eq!(parsed.series[0].bars.len(), 2);
        let skipped: Vec<usize> = parsed.skipped.iter().map(|s| s.line).collect();
        assert_eq!(skipped, [4, 6]);
        assert_eq!(parsed.skipped[1].problem, "line has 3 fields, header has 10: truncated?");
    }
}
