//! CoinMarketCap historical snapshots, one row per coin per snapshot:
//! `Rank,Name,Symbol,Market Cap,Price,Circulating Supply,Volume (24h),% 1h,%
//! 24h,% 7d,snapshot_date` (the date as `YYYYMMDD`). They become
//! [`UniverseEntry`] values, not series: they say which coins were in the
//! top N on a date, which a survivorship-aware universe needs.
//!
//! - Columns are found by name, ignoring case; supply, volume and the `%`
//!   columns are ignored.
//! - Symbols are lowercased (`XAUt` becomes `xaut`). The same symbol may
//!   appear twice in a snapshot (two coins named BNX in 2023-03): both kept.
//! - Snapshot dates must not decrease, and ranks must increase within a
//!   snapshot (gaps are fine: CMC's 2024-08-01 list skips 77).
//! - A price or market cap of 0 is unknown (`None`): CMC prints prices below
//!   1e-8 as `0.0`. A negative one is an error.

use riskcurve_core::Date;

use super::table::{self, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed, UniverseEntry};

/// Parses CoinMarketCap snapshots into universe entries.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let table = Table::with_header(file, text, 0)?;
    let need = |names: &[&str], what: &str| {
        table.column(names).ok_or_else(|| table.header_error(&format!("no {what} column in header")))
    };
    let rank = need(&["rank", "#"], "rank")?;
    let symbol = need(&["symbol"], "symbol")?;
    let date = need(&["snapshot_date", "date", "snapshot date"], "snapshot_date")?;
    let name = table.column(&["name"]);
    let market_cap = table.column(&["market cap", "market_cap", "marketcap"]);
    let price = table.column(&["price"]);
    let mut universe: Vec<UniverseEntry> = Vec::new();
    let read = table.rows(opts.lenient, |row| {
        let entry = UniverseEntry {
            date: table::date(row.text(date))?,
            rank: whole_rank(row.text(rank))?,
            symbol: match row.text(symbol) {
                "" => return Err("symbol is empty".to_string()),
                s => s.to_lowercase(),
            },
            name: name.map(|i| row.text(i)).filter(|n| !n.is_empty()).map(str::to_string),
            market_cap: market_cap.map(|i| unknown_if_zero(row.text(i), "market cap")).transpose()?.flatten(),
            price: price.map(|i| unknown_if_zero(row.text(i), "price")).transpose()?.flatten(),
        };
        if let Some(last) = universe.last() {
            check_order(last, &entry)?;
            if *last == entry {
                return Ok(());
            }
        }
        universe.push(entry);
        Ok(())
    })?;
    if universe.is_empty() {
        return Err(read.nothing_usable(file));
    }
    Ok(Parsed { series: Vec::new(), universe, skipped: read.skipped })
}

/// A 1-based rank.
fn whole_rank(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(r) if r > 0 => Ok(r),
        _ => Err(format!("rank {} is not a whole number above 0", super::quoted(text))),
    }
}

/// A finite non-negative amount; empty or 0 is unknown.
fn unknown_if_zero(text: &str, what: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let v = table::number(text, what)?;
    if v < 0.0 {
        Err(format!("{what} {} is negative", super::quoted(text)))
    } else {
        Ok(Some(v).filter(|&v| v > 0.0))
    }
}

/// Snapshots in date order, ranks increasing within one; an exact repeat
/// of the previous row passes (the caller drops it).
fn check_order(last: &UniverseEntry, entry: &UniverseEntry) -> Result<(), String> {
    let date: Date = entry.date;
    if date < last.date {
        return Err(format!("date {date} comes after {}", last.date));
    }
    if date == last.date && entry.rank < last.rank {
        return Err(format!("rank {} comes after rank {} in the {date} snapshot", entry.rank, last.rank));
    }
    if date == last.date && entry.rank == last.rank && entry != last {
        return Err(format!("rank {} appears twice in the {date} snapshot", entry.rank));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::testdata::{d, error, parse_file, parse_text};
    use super::super::Format;
    use riskcurve_core::Date;

    #[test]
    fn monthly_top_200_snapshots() {
        let parsed = parse_file("crypto_top200_monthly_cmc.csv", Format::CmcSnapshots, None);
        assert!(parsed.series.is_empty());
        let u = parsed.universe;
        assert_eq!(u.len(), 14_000);
        let mut per_date: BTreeMap<Date, usize> = BTreeMap::new();
        for e in &u {
            *per_date.entry(e.date).or_default() += 1;
        }
        assert_eq!(per_date.len(), 70);
        assert!(per_date.values().all(|&n| n == 200));
        assert_eq!((u[0].date, u[13_999].date), (d("2020-01-01"), d("2025-10-01")));
        let btc = u.iter().find(|e| e.date == d("2021-11-01") && e.symbol == "btc").unwrap();
        assert_eq!((btc.rank, btc.name.as_deref()), (1, Some("Bitcoin")));
        assert_eq!((btc.market_cap.unwrap() / 1e8).round(), 11_506.0);
        assert_eq!(btc.price, Some(61004.40802135));
        let baby_doge = u.iter().find(|e| e.date == d("2024-01-01") && e.rank == 199).unwrap();
        assert_eq!((baby_doge.symbol.as_str(), baby_doge.price), ("babydoge", None));
        assert!(u.iter().any(|e| e.symbol == "xaut"));
        assert_eq!(u.iter().filter(|e| e.date == d("2023-03-01") && e.symbol == "bnx").count(), 2);
    }

    // Hand-made inputs from here on.

    const HEAD: &str =
        "Rank,Name,Symbol,Market Cap,Price,Circulating Supply,Volume (24h),% 1h,% 24h,% 7d,snapshot_date\n";
    const BTC: &str = "1,Bitcoin,BTC,130580829149.5,7200.17,18135787.0,18565664996.7,-0.02,0.16,-0.93,20200101\n";
    const ETH: &str = "2,Ethereum,ETH,14271059633.0,130.8,109104285.4,7935230330.4,0.31,1.03,3.51,20200101\n";

    #[test]
    fn bad_rows() {
        let cases = [
            (format!("{HEAD}{ETH}{BTC}"), "t.csv:3: rank 1 comes after rank 2 in the 2020-01-01 snapshot"),
            (
                format!("{HEAD}{BTC}{}", BTC.replace("Bitcoin", "Bitcoin Cash")),
                "t.csv:3: rank 1 appears twice in the 2020-01-01 snapshot",
            ),
            (
                format!("{HEAD}{}{BTC}", BTC.replace("20200101", "20200201")),
                "t.csv:3: date 2020-01-01 comes after 2020-02-01",
            ),
            (format!("{HEAD}{}", BTC.replace("7200.17", "-1")), r#"t.csv:2: price "-1" is negative"#),
            (
                format!("{HEAD}{}", BTC.replace("1,Bitcoin", "one,Bitcoin")),
                r#"t.csv:2: rank "one" is not a whole number above 0"#,
            ),
            (format!("{HEAD}{}", BTC.replace(",BTC,", ",,")), "t.csv:2: symbol is empty"),
            (format!("{HEAD}{BTC}2,Ethereum,ETH,1427"), "t.csv:3: line has 4 fields, header has 11: truncated?"),
        ];
        for (text, message) in cases {
            assert_eq!(error(&text, Format::CmcSnapshots), message);
        }
        // Quoted names may hold commas.
        let quoted = format!("{HEAD}{}", BTC.replace("Bitcoin", "\"Bitcoin, the first\""));
        let parsed = parse_text(&quoted, Format::Auto, false).unwrap();
        assert_eq!(parsed.universe[0].name.as_deref(), Some("Bitcoin, the first"));
        // An exact repeat is dropped; lenient skips the rest.
        let parsed = parse_text(&format!("{HEAD}{BTC}{BTC}{ETH}2,Ethereum,ETH,1427"), Format::Auto, true).unwrap();
        assert_eq!((parsed.universe.len(), parsed.skipped.len()), (2, 1));
        assert_eq!(parsed.universe[1].symbol, "eth");
    }
}
