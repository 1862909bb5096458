//! blockchain.com chart exports ("market-price" and friends): no header,
//! one `YYYY-MM-DD 00:00:00,value` per line, in UTC.
//!
//! A price of 0 means "no market yet" (bitcoin had no exchange price before
//! August 2010): every zero row is skipped silently, not only leading ones,
//! because blockchain.com writes 0 for any day it has no price. Negative or
//! non-numeric prices are errors like anywhere else. The chart's spacing
//! (daily, or one value every 2 days in older exports) is kept as given.

use riskcurve_core::Bar;

use super::ohlc::SeriesBuilder;
use super::table::{self, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses a blockchain.com export into one value-only series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let mut series = SeriesBuilder::oldest_first();
    let read = Table::headerless(file, text, 0, 2).rows(opts.lenient, |row| {
        let date = table::date(row.text(0))?;
        let price = row.text(1);
        if table::number(price, "price")? == 0.0 {
            return Ok(());
        }
        series.push(Bar::value(date, table::price(price, "price")?), None)
    })?;
    read.single(file, series)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;

    #[test]
    fn market_price_2009_2018() {
        let bars = parse_file("btc_usd_2day_blockchain_2009_2018.csv", Format::Blockchain, None).series.remove(0).bars;
        // 1,682 lines from 2009-01-03; the 296 zero rows up to 2010-08-16 are "no market".
        assert_eq!(bars.len(), 1_386);
        assert_eq!((bars[0].date, bars[0].close), (d("2010-08-18"), 0.074));
        assert_eq!((bars[1_385].date, bars[1_385].close), (d("2018-03-19"), 8412.033333333333));
        assert_eq!(on(&bars, "2013-12-04").close, 1151.0);
        assert!(bars.iter().all(|b| b.open.is_none() && b.volume.is_none()));
    }

    // Hand-made inputs from here on.

    #[test]
    fn zeros_anywhere_are_missing() {
        let text =
            "2009-01-03 00:00:00,0.0\n2010-08-18 00:00:00,0.074\n2010-08-20 00:00:00,0\n2010-08-22 00:00:00,0.07\n";
        let bars = parse_text(text, Format::Auto, false).unwrap().series.remove(0).bars;
        assert_eq!(bars.iter().map(|b| b.close).collect::<Vec<_>>(), [0.074, 0.07]);
    }

    #[test]
    fn bad_rows() {
        let good = "2010-08-18 00:00:00,0.074\n";
        let cases = [
            ("2010-08-20 00:00:00,-1\n", r#"t.csv:2: price "-1" is not positive"#),
            ("2010-08-20 00:00:00,n/a\n", r#"t.csv:2: price "n/a" is not a number"#),
            ("2010-08-16 00:00:00,0.07\n", "t.csv:2: date 2010-08-16 comes after 2010-08-18"),
            ("2010-08-20 00:00:00\n", "t.csv:2: line has 1 field, expected 2: truncated?"),
            ("Aug 20 2010,0.07\n", r#"t.csv:2: date "Aug 20 2010" is not a date (expected YYYY-MM-DD)"#),
        ];
        for (bad, message) in cases {
            assert_eq!(error(&format!("{good}{bad}"), Format::Blockchain), message);
        }
        let text = format!("{good}2010-08-20 00:00:00,-1\n2010-08-22 00:00:00,0.07\n2010-08-24");
        let parsed = parse_text(&text, Format::Blockchain, true).unwrap();
        assert_eq!((parsed.series[0].bars.len(), parsed.skipped.len()), (2, 2));
        assert_eq!(
            error("2009-01-03 00:00:00,0.0\n", Format::Blockchain),
            "t.csv: no values: every row is blank or missing"
        );
    }
}
