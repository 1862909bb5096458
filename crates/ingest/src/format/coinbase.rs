//! Long tables of many coins, one row per coin per day, as the Coinbase
//! Exchange candles are often saved: `date,symbol,base,open,high,low,close,volume`
//! with symbols such as `BTC/USD`.
//!
//! - Each base becomes its own series, `symbol` = the lowercase base
//!   (`btc`), sorted by symbol; dates must increase within each symbol
//!   (rows of different symbols may interleave in any order).
//! - Only USD quotes are read. Rows quoted in anything else (the real file
//!   has `EURC/USDC`) are left out silently: a stablecoin or euro price is
//!   not a dollar price, and a long table legitimately mixes markets. A file
//!   with no USD rows at all is an error naming the quotes it has.
//! - The quote comes from a `quote` column, else from the symbol
//!   (`BTC/USD`, `BTC-USD`); the base from a `base` column, else the symbol.
//! - A `market_cap` (or `market cap`) column, when present, fills
//!   `ParsedSeries::market_caps` (empty cells are unknown); the Coinbase
//!   file has none.

use std::collections::{BTreeMap, BTreeSet};

use super::ohlc::{BlankRows, OhlcColumns, SeriesBuilder};
use super::table::{self, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses a long table into one series per USD-quoted base.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let table = Table::with_header(file, text, 0)?;
    let columns = OhlcColumns::locate(&table, &["date", "timestamp", "time"])?;
    let symbol = table.column(&["symbol", "pair", "product_id"]);
    let base_column = table.column(&["base"]);
    let quote_column = table.column(&["quote"]);
    let market_cap = table.column(&["market_cap", "market cap", "marketcap"]);
    if symbol.is_none() && base_column.is_none() {
        return Err(table.header_error("no symbol or base column in header"));
    }
    let mut series: BTreeMap<String, SeriesBuilder> = BTreeMap::new();
    let mut other_quotes: BTreeSet<String> = BTreeSet::new();
    let mut key = String::new();
    let read = table.rows(opts.lenient, |row| {
        let (base, quote) = base_and_quote(
            symbol.map(|i| row.text(i)),
            base_column.map(|i| row.text(i)),
            quote_column.map(|i| row.text(i)),
        )?;
        if !quote.eq_ignore_ascii_case("usd") {
            other_quotes.insert(quote.to_ascii_uppercase());
            return Ok(());
        }
        let Some(bar) = columns.bar(row, BlankRows::AreErrors)? else { return Ok(()) };
        let cap = match market_cap.map(|i| row.text(i)).filter(|t| !t.is_empty()) {
            Some(text) => Some(table::price(text, "market cap")?),
            None => None,
        };
        key.clear();
        key.extend(base.chars().map(|c| c.to_ascii_lowercase()));
        // Look up by &str first so the 60k rows of a known symbol allocate nothing.
        if !series.contains_key(key.as_str()) {
            series.insert(key.clone(), SeriesBuilder::oldest_first());
        }
        let builder = series.get_mut(key.as_str()).expect("inserted above");
        builder.push(bar, cap).map_err(|problem| format!("{problem} for {key}"))
    })?;
    if series.is_empty() && !other_quotes.is_empty() && read.skipped.is_empty() {
        let quotes: Vec<String> = other_quotes.into_iter().collect();
        return Err(IngestError::file(file, None, format!("no USD-quoted rows (quotes found: {})", quotes.join(", "))));
    }
    if series.is_empty() {
        return Err(read.nothing_usable(file));
    }
    let series = series.into_iter().map(|(symbol, builder)| builder.finish(Some(symbol))).collect();
    Ok(Parsed { series, universe: Vec::new(), skipped: read.skipped })
}

/// Base and quote of a row, from the base/quote columns or the symbol.
fn base_and_quote<'r>(
    symbol: Option<&'r str>,
    base: Option<&'r str>,
    quote: Option<&'r str>,
) -> Result<(&'r str, &'r str), String> {
    let split = symbol.and_then(|s| s.split_once(['/', '-']));
    let base = match base.or(split.map(|(b, _)| b)) {
        Some(b) if !b.is_empty() => b,
        _ => return Err(format!("symbol {} names no base (expected BASE/QUOTE)", super::quoted(symbol.unwrap_or("")))),
    };
    match quote.or(split.map(|(_, q)| q)) {
        Some(q) if !q.is_empty() => Ok((base, q)),
        _ => Err(format!(
            "symbol {} names no quote currency (expected BASE/QUOTE)",
            super::quoted(symbol.unwrap_or(base))
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;

    #[test]
    fn coinbase_top_200_daily() {
        let parsed = parse_file("crypto_top200_daily_coinbase.csv", Format::CoinbaseLong, None);
        let symbols: Vec<&str> = parsed.series.iter().map(|s| s.symbol.as_deref().unwrap()).collect();
        // 136 bases in the file; EURC trades only as EURC/USDC, which is not a USD quote.
        assert_eq!(symbols.len(), 135);
        assert!(symbols.windows(2).all(|w| w[0] < w[1]), "sorted by symbol");
        assert!(symbols.contains(&"btc") && !symbols.contains(&"sol") && !symbols.contains(&"eurc"));
        assert_eq!(parsed.series.iter().map(|s| s.bars.len()).sum::<usize>(), 60_660);
        assert_eq!(parsed.series.iter().filter(|s| s.bars.len() >= 1_000).count(), 25);
        let btc = &parsed.series.iter().find(|s| s.symbol.as_deref() == Some("btc")).unwrap().bars;
        assert_eq!(btc.len(), 2_125);
        assert_eq!((btc[0].date, btc[2_124].date), (d("2020-01-01"), d("2025-10-25")));
        assert_eq!(on(btc, "2021-11-08").close, 67554.84);
        let ada = &parsed.series.iter().find(|s| s.symbol.as_deref() == Some("ada")).unwrap().bars;
        assert_eq!((ada.len(), ada[0].date), (225, d("2021-03-18")));
        assert!(parsed.series.iter().all(|s| s.market_caps.is_empty()));
    }

    // Hand-made inputs from here on.

    const HEAD: &str = "date,symbol,base,open,high,low,close,volume\n";

    #[test]
    fn quotes_and_market_caps() {
        let text = "date,symbol,open,high,low,close,volume,market_cap\n\
                    2020-01-01,ETH-USD,130,132,128,131,10,14000000000\n\
                    2020-01-01,BTC/USD,7000,7200,6900,7100,5,\n\
                    2020-01-01,BTC/EUR,6000,6200,5900,6100,5,\n\
                    2020-01-02,btc/usd,7100,7300,7000,7200,6,130000000000\n";
        let parsed = parse_text(text, Format::CoinbaseLong, false).unwrap();
        let symbols: Vec<_> = parsed.series.iter().map(|s| s.symbol.clone().unwrap()).collect();
        assert_eq!(symbols, ["btc", "eth"]);
        assert_eq!(parsed.series[0].bars.iter().map(|b| b.close).collect::<Vec<_>>(), [7100.0, 7200.0]);
        assert_eq!(parsed.series[0].market_caps, [(d("2020-01-02"), 130_000_000_000.0)]);
        assert_eq!(parsed.series[1].market_caps, [(d("2020-01-01"), 14_000_000_000.0)]);
        let eur_only = format!("{HEAD}2020-01-01,BTC/EUR,BTC,6000,6200,5900,6100,5\n");
        assert_eq!(error(&eur_only, Format::CoinbaseLong), "t.csv: no USD-quoted rows (quotes found: EUR)");
    }

    #[test]
    fn bad_rows() {
        let good = "2020-01-02,BTC/USD,BTC,7000,7200,6900,7100,5\n2020-01-02,ETH/USD,ETH,130,132,128,131,10\n";
        let cases = [
            ("2020-01-01,ETH/USD,ETH,130,132,128,131,10\n", "t.csv:4: date 2020-01-01 comes after 2020-01-02 for eth"),
            (
                "2020-01-02,BTC/USD,BTC,7000,7200,6900,7101,5\n",
                "t.csv:4: date 2020-01-02 appears twice with different values for btc",
            ),
            ("2020-01-03,BTC/USD,BTC,7000,7200,6900,-7,5\n", r#"t.csv:4: close "-7" is not positive"#),
            (
                "2020-01-03,BTCUSD,,7000,7200,6900,7100,5\n",
                r#"t.csv:4: symbol "BTCUSD" names no base (expected BASE/QUOTE)"#,
            ),
            ("2020-01-03,BTC/USD,BTC,7000\n", "t.csv:4: line has 4 fields, header has 8: truncated?"),
        ];
        for (bad, message) in cases {
            assert_eq!(error(&format!("{HEAD}{good}{bad}"), Format::CoinbaseLong), message);
        }
        // The same dates for different symbols are fine; an exact repeat is dropped.
        let first_line = good.lines().next().unwrap();
        let parsed = parse_text(&format!("{HEAD}{good}{first_line}\n"), Format::CoinbaseLong, false).unwrap();
        assert_eq!(parsed.series.iter().map(|s| s.bars.len()).collect::<Vec<_>>(), [1, 1]);
        let text =
            format!("{HEAD}{good}2020-01-01,ETH/USD,ETH,130,132,128,131,10\n2020-01-03,ETH/USD,ETH,130,132,128,x,10\n");
        let parsed = parse_text(&text, Format::CoinbaseLong, true).unwrap();
        assert_eq!(parsed.skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [4, 5]);
    }
}
