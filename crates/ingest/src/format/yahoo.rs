//! Yahoo Finance CSV, as the download button and yfinance write it.
//!
//! - Columns are found by header name, ignoring case, in any order
//!   (`rut_daily_yahoo.csv` has `Date,Close,High,Low,Open,Volume`).
//! - `close` is the `Close` column, never `Adj Close` (which is ignored and
//!   not validated); adjusted exports simply have no `Adj Close`.
//! - Rows with every price empty or `null` (`2014-09-17,,,,,,`) are Yahoo's
//!   "no price that day": skipped silently. A row with some prices but no
//!   close is an error.
//! - Volume may be 0 (Yahoo writes 0 for index volume it lacks).

use super::ohlc::{parse_headed, BlankRows};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses a Yahoo CSV into one series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    parse_headed(file, text, opts, &["date", "datetime"], BlankRows::AreMissing)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;

    #[test]
    fn rut_with_reordered_columns() {
        let bars = parse_file("rut_daily_yahoo.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!(bars.len(), 9_686);
        assert_eq!((bars[0].date, bars[bars.len() - 1].date), (d("1987-09-10"), d("2026-02-23")));
        let b = on(&bars, "2021-11-08");
        assert_eq!(b.close, 2442.739990234375);
        assert_eq!(b.open, Some(2438.360107421875));
        assert_eq!(b.high, Some(2458.860107421875));
        assert_eq!(b.low, Some(2438.06005859375));
        assert_eq!(b.volume, Some(4_269_710_000.0));
        assert_eq!(on(&bars, "2024-11-25").close.round(), 2442.0);
        assert_eq!(on(&bars, "2026-02-20").close, 2663.780029296875);
        assert_eq!(bars.iter().filter(|b| b.volume == Some(0.0)).count(), 17);
    }

    #[test]
    fn adjusted_etfs_and_crypto() {
        let cases = [
            ("iwm_daily_yahoo_adj.csv", 6_545, "2000-05-26"),
            ("spy_daily_yahoo_adj.csv", 8_395, "1993-01-29"),
            ("qqq_daily_yahoo_adj.csv", 6_853, "1999-03-10"),
            ("btc_usd_daily_yahoo.csv", 4_280, "2014-09-17"),
            ("eth_usd_daily_yahoo.csv", 3_131, "2017-11-09"),
        ];
        for (name, rows, first) in cases {
            let bars = parse_file(name, Format::Yahoo, None).series.remove(0).bars;
            assert_eq!(bars.len(), rows, "{name}");
            assert_eq!((bars[0].date, bars[rows - 1].date), (d(first), d("2026-06-05")), "{name}");
        }
        let spy = parse_file("spy_daily_yahoo_adj.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!(on(&spy, "2024-12-06").close, 598.7401123046875);
        let btc = parse_file("btc_usd_daily_yahoo.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!(on(&btc, "2021-11-08").close.round(), 67_567.0);
        assert_eq!(on(&btc, "2024-12-17").close.round(), 106_141.0);
        assert_eq!(on(&btc, "2025-10-06").close.round(), 124_753.0);
        let eth = parse_file("eth_usd_daily_yahoo.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!(on(&eth, "2021-11-10").close.round(), 4_636.0);
    }

    #[test]
    fn crypto_2022_with_adj_close_and_blank_rows() {
        // (coin, priced rows, first priced date, last priced date)
        let cases = [
            ("XRP", 1_548, "2017-11-09", "2022-02-03"),
            ("LUNA1", 924, "2019-07-26", "2022-02-03"),
            ("AVAX", 502, "2020-07-13", "2022-02-03"),
            ("BTC", 2_697, "2014-09-17", "2022-02-03"),
            ("BRC", 1_088, "2018-12-28", "2021-12-19"),
        ];
        for (coin, rows, first, last) in cases {
            let name = format!("yahoo_crypto_daily_2022/{coin}-USD.csv");
            let parsed = parse_file(&name, Format::Yahoo, None);
            assert!(parsed.skipped.is_empty());
            let bars = &parsed.series[0].bars;
            assert_eq!(bars.len(), rows, "{coin}");
            assert_eq!((bars[0].date, bars[rows - 1].date), (d(first), d(last)), "{coin}");
        }
        let xrp = parse_file("yahoo_crypto_daily_2022/XRP-USD.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!((on(&xrp, "2018-01-04").close * 1000.0).round(), 3_197.0);
        let ada = parse_file("yahoo_crypto_daily_2022/ADA-USD.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!((on(&ada, "2021-09-02").close * 1000.0).round(), 2_963.0);
        let avax = parse_file("yahoo_crypto_daily_2022/AVAX-USD.csv", Format::Yahoo, None).series.remove(0).bars;
        assert_eq!((on(&avax, "2021-11-21").close * 10.0).round(), 1_286.0);
    }

    // Hand-made inputs from here on.

    const HEAD: &str = "Date,Open,High,Low,Close,Adj Close,Volume\n";

    #[test]
    fn blank_and_null_rows_are_skipped_silently() {
        let text =
            format!("{HEAD}2020-01-01,,,,,,\n2020-01-02,null,null,null,null,null,null\n2020-01-03,1,2,0.5,1.5,9,0\n");
        let parsed = parse_text(&text, Format::Yahoo, false).unwrap();
        assert!(parsed.skipped.is_empty());
        assert_eq!(parsed.series[0].bars.len(), 1);
        assert_eq!(parsed.series[0].bars[0].close, 1.5);
        assert_eq!(parsed.series[0].bars[0].volume, Some(0.0));
    }

    #[test]
    fn crlf_and_blank_lines_keep_physical_line_numbers() {
        let text = "\r\nDate,Close,High,Low,Open,Volume\r\n2020-01-02,1,1,1,1,0\r\n\r\n2020-01-03,x,1,1,1,0\r\n";
        assert_eq!(error(text, Format::Auto), r#"t.csv:5: close "x" is not a number"#);
        let text = "Date,Close,High,Low,Open,Volume\r\n2020-01-02,1,1,1,1,0\r\n2020-01-03,1,1";
        assert_eq!(error(text, Format::Auto), "t.csv:3: line has 3 fields, header has 6: truncated?");
    }

    #[test]
    fn close_outside_high_low_is_kept() {
        let text = format!("{HEAD}2020-01-03,1,2,0.5,7,7,10\n");
        let bar = parse_text(&text, Format::Yahoo, false).unwrap().series[0].bars[0];
        assert_eq!(bar.close, 7.0);
        assert!(!bar.is_consistent());
    }

    #[test]
    fn bad_rows_name_file_line_and_problem() {
        let good = "2020-01-02,1,2,0.5,1.5,1.5,100\n";
        let cases = [
            ("2020-01-03,1,2,0.5,abc,1.5,100\n", r#"t.csv:3: close "abc" is not a number"#),
            ("2020-01-03,1,2,-0.5,1.5,1.5,100\n", r#"t.csv:3: low "-0.5" is not positive"#),
            ("2020-01-03,0,2,0.5,1.5,1.5,100\n", r#"t.csv:3: open "0" is not positive"#),
            ("2020-01-03,1,NaN,0.5,1.5,1.5,100\n", r#"t.csv:3: high "NaN" is not finite"#),
            ("2020-01-03,1,2,0.5,1.5,1.5,-1\n", r#"t.csv:3: volume "-1" is negative"#),
            ("2020-01-03,1,2,0.5,,1.5,100\n", "t.csv:3: close is missing"),
            ("2020-13-03,1,2,0.5,1.5,1.5,100\n", r#"t.csv:3: date "2020-13-03" is not a date (expected YYYY-MM-DD)"#),
            ("2020-01-01,1,2,0.5,1.5,1.5,100\n", "t.csv:3: date 2020-01-01 comes after 2020-01-02"),
            ("2020-01-02,1,2,0.5,1.6,1.5,100\n", "t.csv:3: date 2020-01-02 appears twice with different values"),
            ("2020-01-03,1,2\n", "t.csv:3: line has 3 fields, header has 7: truncated?"),
        ];
        for (bad, message) in cases {
            assert_eq!(error(&format!("{HEAD}{good}{bad}"), Format::Yahoo), message);
        }
        // An exact repeat is dropped silently.
        let parsed = parse_text(&format!("{HEAD}{good}{good}"), Format::Yahoo, false).unwrap();
        assert_eq!(parsed.series[0].bars.len(), 1);
    }

    #[test]
    fn lenient_skips_and_records_bad_rows() {
        let text = format!(
            "{HEAD}2020-01-02,1,2,0.5,1.5,1.5,100\n2020-01-03,1,2,0.5,abc,1.5,100\n2020-01-01,1,2,0.5,1.5,1.5,100\n\
             2020-01-06,1,2,0.5,1.6,1.5,100\n2020-01-07,1,2\n"
        );
        let parsed = parse_text(&text, Format::Yahoo, true).unwrap();
        assert_eq!(parsed.series[0].bars.len(), 2);
        let lines: Vec<usize> = parsed.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 4, 6]);
        assert_eq!(parsed.skipped[0].problem, r#"close "abc" is not a number"#);
    }

    proptest::proptest! {
        // Whatever the rows, a lenient parse returns bars that form a valid
        // BarSeries and skips only lines that exist; a strict parse that
        // succeeds agrees with the lenient one and skipped nothing.
        #[test]
        fn lenient_output_is_always_a_valid_series(
            rows in proptest::collection::vec(
                (0i32..30, proptest::sample::select(vec!["1.5", "2", "0", "-1", "abc", "", "null", "inf", "1e-9"])),
                1..40,
            )
        ) {
            let mut text = String::from(HEAD);
            for (day, close) in &rows {
                let date = d("2020-01-01").add_days(*day);
                text.push_str(&format!("{date},1,2,0.5,{close},{close},7\n"));
            }
            let lenient = parse_text(&text, Format::Yahoo, true);
            if let Ok(parsed) = &lenient {
                riskcurve_core::BarSeries::new(parsed.series[0].bars.clone()).unwrap();
                proptest::prop_assert!(parsed.skipped.iter().all(|s| (2..=rows.len() + 1).contains(&s.line)));
            }
            if let Ok(strict) = parse_text(&text, Format::Yahoo, false) {
                proptest::prop_assert_eq!(Ok(strict), lenient);
            }
        }
    }

    #[test]
    fn header_problems() {
        assert_eq!(
            error("Date,Open,High,Low\n2020-01-02,1,2,0.5\n", Format::Yahoo),
            "t.csv:1: no close column in header (columns: Date, Open, High, Low)"
        );
        assert_eq!(error(HEAD, Format::Yahoo), "t.csv: no data rows after the header");
        assert_eq!(
            error(&format!("{HEAD}2020-01-01,,,,,,\n")[..], Format::Yahoo),
            "t.csv: no values: every row is blank or missing"
        );
    }
}
