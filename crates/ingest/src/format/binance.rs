//! Binance spot daily klines, in the three shapes they come in:
//!
//! 1. a CSV with a header whose first column is the time
//!    (`timestamp,open,high,low,close,volume` from
//!    yanniedog/binance-historical-OHLCV-data, where `timestamp` is a UTC date
//!    such as `2017-08-17`, possibly with a time; or data.binance.vision's
//!    `open_time,...` with a ms timestamp);
//! 2. raw kline rows without a header, as data.binance.vision dumps them: 12
//!    columns, the first the open time in ms (µs since 2025) UTC;
//! 3. the REST API's JSON, an array of such 12-element arrays.
//!
//! In the raw shapes the open time must be midnight UTC (anything else is
//! not a daily kline) and its UTC date is the bar's date. Volume is in the
//! base asset (BTC for BTCUSDT); the quote volume (column 8) is ignored.

use riskcurve_core::{Bar, Date};
use serde_json::Value;

use super::ohlc::{BlankRows, OhlcColumns, SeriesBuilder};
use super::table::{self, Problems, RowsRead, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses Binance daily klines into one series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    if text.trim_start().starts_with('[') {
        return parse_json(file, text, opts);
    }
    let first_cell = text.trim_start().split([',', '\n']).next().unwrap_or("").trim();
    let mut series = SeriesBuilder::oldest_first();
    let read = if table::epoch_seconds(first_cell).is_some() {
        Table::headerless(file, text, 0, 0).rows(opts.lenient, |row| {
            let fields = [1, 2, 3, 4, 5].map(|i| row.text(i));
            series.push(kline(row.text(0), fields)?, None)
        })?
    } else {
        let table = Table::with_header(file, text, 0)?;
        let columns = OhlcColumns::locate(&table, &["timestamp", "open_time", "open time", "date", "time"])?;
        table.rows(opts.lenient, |row| {
            columns.bar(row, BlankRows::AreErrors)?.map_or(Ok(()), |bar| series.push(bar, None))
        })?
    };
    read.single(file, series)
}

/// A raw kline: open time, then open, high, low, close, volume.
fn kline(open_time: &str, [open, high, low, close, volume]: [&str; 5]) -> Result<Bar, String> {
    let secs = table::epoch_seconds(open_time)
        .ok_or_else(|| format!("open time {} is not a unix timestamp in ms", super::quoted(open_time)))?;
    if secs % 86_400 != 0 {
        return Err(format!("open time {open_time} is not midnight utc: not daily klines?"));
    }
    Ok(Bar {
        date: Date::from_unix_seconds(secs),
        open: Some(table::price(open, "open")?),
        high: Some(table::price(high, "high")?),
        low: Some(table::price(low, "low")?),
        close: table::price(close, "close")?,
        volume: Some(table::volume(volume)?),
    })
}

/// The REST API form: `[[1502928000000,"4261.48",...], ...]`.
fn parse_json(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let rows: Vec<Vec<Value>> = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        IngestError::file(file, Some(e.line()), format!("invalid json: {}", message.to_lowercase()))
    })?;
    let lines = inner_array_lines(text);
    let mut problems = Problems::new(file, opts.lenient);
    let mut series = SeriesBuilder::oldest_first();
    for (i, row) in rows.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let outcome = if row.len() < 6 {
            Err(format!("kline has {} fields, expected at least 6", row.len()))
        } else {
            let cell = |v: &Value| match v {
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            let cells: Vec<String> = row[..6].iter().map(cell).collect();
            let fields = [1, 2, 3, 4, 5].map(|i| cells[i].as_str());
            kline(&cells[0], fields).and_then(|bar| series.push(bar, None))
        };
        problems.check(line, outcome)?;
    }
    RowsRead { skipped: problems.skipped, rows: rows.len() }.single(file, series)
}

/// The 1-based line on which each element of the outer array starts.
fn inner_array_lines(text: &str) -> Vec<usize> {
    let (mut line, mut depth, mut in_string, mut escaped) = (1, 0, false, false);
    let mut out = Vec::new();
    for b in text.bytes() {
        match b {
            b'\n' => line += 1,
            _ if in_string => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            }
            b'"' => in_string = true,
            b'[' => {
                depth += 1;
                if depth == 2 {
                    out.push(line);
                }
            }
            b']' => depth -= 1,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;

    #[test]
    fn yanniedog_daily_files() {
        // (pair, rows, first date, last date) from SOURCES.md
        let cases = [
            ("BTCUSDT", 3_065, "2017-08-17", "2026-01-06"),
            ("ETHUSDT", 3_065, "2017-08-17", "2026-01-06"),
            ("XMRUSDT", 1_804, "2019-03-15", "2024-02-20"),
            ("MATICUSDT", 1_965, "2019-04-26", "2024-09-10"),
            ("SOLUSDT", 1_975, "2020-08-11", "2026-01-06"),
            ("SHIBUSDT", 1_703, "2021-05-10", "2026-01-06"),
        ];
        for (pair, rows, first, last) in cases {
            let bars = parse_file(&format!("binance_daily/{pair}_1d.csv"), Format::Binance, None).series.remove(0).bars;
            assert_eq!(bars.len(), rows, "{pair}");
            assert_eq!((bars[0].date, bars[rows - 1].date), (d(first), d(last)), "{pair}");
        }
        let btc = parse_file("binance_daily/BTCUSDT_1d.csv", Format::Binance, None).series.remove(0).bars;
        let first = btc[0];
        assert_eq!(
            (first.open, first.high, first.low, first.close),
            (Some(4261.48), Some(4485.39), Some(4200.74), 4285.08)
        );
        assert_eq!(first.volume, Some(795.150377));
        let shib = parse_file("binance_daily/SHIBUSDT_1d.csv", Format::Binance, None).series.remove(0).bars;
        assert_eq!(on(&shib, "2026-01-06").close, 9.35e-6);
    }

    // Hand-made inputs from here on (the first rows of Binance's BTCUSDT dump).

    const RAW: &str = "1502928000000,4261.48,4485.39,4200.74,4285.08,795.150377,1503014399999,3454770.05,3427,616.24,2678216.40,0\n\
                       1503014400000,4285.08,4371.52,3938.77,4108.37,1199.888264,1503100799999,5086958.30,5233,972.86,4129123.31,0\n";

    #[test]
    fn raw_rows_without_header() {
        let bars = parse_text(RAW, Format::Binance, false).unwrap().series.remove(0).bars;
        assert_eq!(bars.iter().map(|b| b.date).collect::<Vec<_>>(), [d("2017-08-17"), d("2017-08-18")]);
        assert_eq!(bars[1].close, 4108.37);
        assert_eq!(bars[1].volume, Some(1199.888264));
        // Microsecond open times (data.binance.vision since 2025).
        let micro = RAW.replacen("1502928000000,", "1502928000000000,", 1);
        assert_eq!(parse_text(&micro, Format::Binance, false).unwrap().series[0].bars[0].date, d("2017-08-17"));
    }

    #[test]
    fn raw_rows_problems() {
        let hourly = RAW.replace("1503014400000,", "1502931600000,");
        assert_eq!(
            error(&hourly, Format::Binance),
            "t.csv:2: open time 1502931600000 is not midnight utc: not daily klines?"
        );
        let truncated = format!("{RAW}1503100800000,4108.37,4184.69");
        assert_eq!(error(&truncated, Format::Binance), "t.csv:3: line has 3 fields, expected 12: truncated?");
        let swapped: String = RAW.lines().rev().map(|l| format!("{l}\n")).collect();
        assert_eq!(error(&swapped, Format::Binance), "t.csv:2: date 2017-08-17 comes after 2017-08-18");
        let parsed = parse_text(&truncated, Format::Binance, true).unwrap();
        assert_eq!((parsed.series[0].bars.len(), parsed.skipped[0].line), (2, 3));
    }

    #[test]
    fn api_json_array() {
        let json = "[\n  [1502928000000, \"4261.48\", \"4485.39\", \"4200.74\", \"4285.08\", \"795.150377\", 1503014399999, \"3454770.05\", 3427, \"616.24\", \"2678216.40\", \"0\"],\n  \
                    [1503014400000, \"4285.08\", \"4371.52\", \"3938.77\", \"bad\", \"1199.888264\", 1503100799999, \"5086958.30\", 5233, \"972.86\", \"4129123.31\", \"0\"]\n]";
        assert_eq!(error(json, Format::Binance), r#"t.csv:3: close "bad" is not a number"#);
        let parsed = parse_text(json, Format::Binance, true).unwrap();
        assert_eq!((parsed.series[0].bars[0].close, parsed.skipped.len()), (4285.08, 1));
        let good = json.replace("\"bad\"", "\"4108.37\"");
        assert_eq!(parse_text(&good, Format::Auto, false).unwrap().series[0].bars.len(), 2);
        assert_eq!(error("[[1502928000000, \"1\"", Format::Binance), "t.csv:1: invalid json: eof while parsing a list");
    }

    #[test]
    fn header_with_ms_open_time() {
        let text = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n\
                    1502928000000,4261.48,4485.39,4200.74,4285.08,795.150377,1503014399999,3454770.05,3427,616.24,2678216.40,0\n";
        let parsed = parse_text(text, Format::Auto, false).unwrap();
        assert_eq!(parsed.series[0].bars[0].date, d("2017-08-17"));
    }
}
