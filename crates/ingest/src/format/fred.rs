//! FRED CSV downloads, single and wide (both [`Format::Fred`] and
//! [`Format::FredWide`](super::Format::FredWide) land here; they differ only in
//! how many value columns there are).
//!
//! - The date column is `DATE` (old fredgraph), `observation_date` (current
//!   fredgraph) or `date` (most tools), ignoring case.
//! - The value column is the only other column, or the one named by
//!   [`ParseOptions::column`] (ignoring case), which a wide table requires.
//! - `.` (FRED's "no value") and empty cells are missing: skipped silently.
//!   Wide tables are mostly blanks (each series has its own frequency).
//! - Values need only be finite: rates, spreads and the NFCI are zero or
//!   negative in real data, and RRPONTSYD is 0 on some days.
//!
//! [`Format::Fred`]: super::Format::Fred

use riskcurve_core::Bar;

use super::ohlc::SeriesBuilder;
use super::table::{self, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses one value column of a FRED file into one series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let table = Table::with_header(file, text, 0)?;
    let date = table
        .column(&["date", "observation_date"])
        .ok_or_else(|| table.header_error("no date column in header (expected date or observation_date)"))?;
    let value = match &opts.column {
        Some(name) => table
            .column(&[name.trim()])
            .filter(|&i| i != date)
            .ok_or_else(|| table.header_error(&format!("no column {} in header", super::quoted(name))))?,
        None => match (0..table.header().len()).filter(|&i| i != date).collect::<Vec<_>>()[..] {
            [only] => only,
            [] => return Err(table.header_error("no value column in header")),
            _ => return Err(table.header_error("several value columns: choose one with --column")),
        },
    };
    let name = table.header()[value].clone();
    let mut series = SeriesBuilder::oldest_first();
    let read = table.rows(opts.lenient, |row| {
        let date = table::date(row.text(date))?;
        let text = row.text(value);
        if text.is_empty() || text == "." {
            return Ok(());
        }
        series.push(Bar::value(date, table::number(text, &name)?), None)
    })?;
    read.single(file, series)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::{parse, Format, ParseOptions};

    #[test]
    fn single_series_files() {
        // (file, values, first date, first value, last date, last value)
        let cases = [
            ("walcl_weekly_fred.csv", 1_021, "2007-01-03", 874_626.0, "2026-07-22", 6_747_378.0),
            ("rrpontsyd_daily_fred.csv", 3_133, "2014-01-02", 83.725, "2026-07-29", 2.576),
            ("m2sl_monthly_fred.csv", 378, "1995-01-01", 3_492.2, "2026-06-01", 23_155.2),
            ("dgs10_daily_fred.csv", 5_896, "2003-01-02", 4.07, "2026-07-28", 4.61),
            ("fedfunds_monthly_fred.csv", 318, "2000-01-01", 5.45, "2026-06-01", 3.63),
            // 2,081 rows, the 884 before 2002-12-18 blank.
            ("wtregen_weekly_fred.csv", 1_197, "2002-12-18", 5_959.0, "2025-11-19", 941_926.0),
        ];
        for (name, n, first, first_value, last, last_value) in cases {
            let bars = parse_file(name, Format::Fred, None).series.remove(0).bars;
            assert_eq!(bars.len(), n, "{name}");
            assert_eq!((bars[0].date, bars[0].close), (d(first), first_value), "{name}");
            assert_eq!((bars[n - 1].date, bars[n - 1].close), (d(last), last_value), "{name}");
        }
        let rrp = parse_file("rrpontsyd_daily_fred.csv", Format::Fred, None).series.remove(0).bars;
        assert!(rrp.iter().any(|b| b.close == 0.0), "zero is a value, not missing");
    }

    #[test]
    fn wide_files_by_column() {
        // (file, column, values, first date, last date)
        let cases = [
            ("fred_liquidity_wide.csv", "WALCL", 1_236, "2002-12-18", "2026-08-19"),
            ("fred_liquidity_wide.csv", "wtregen", 1_236, "2002-12-18", "2026-08-19"),
            ("fred_liquidity_wide.csv", "RRPONTSYD", 3_310, "2003-02-07", "2026-08-21"),
            ("fred_liquidity_wide.csv", "NFCI", 2_902, "1971-01-08", "2026-08-14"),
            ("fred_rates_wide.csv", "DFF", 26_349, "1954-07-01", "2026-08-20"),
            ("fred_rates_wide.csv", "DGS10", 16_144, "1962-01-02", "2026-08-20"),
            ("fred_rates_wide.csv", "IORB", 1_853, "2021-07-29", "2026-08-24"),
        ];
        for (name, column, n, first, last) in cases {
            let bars = parse_file(name, Format::FredWide, Some(column)).series.remove(0).bars;
            assert_eq!(bars.len(), n, "{name} {column}");
            assert_eq!((bars[0].date, bars[n - 1].date), (d(first), d(last)), "{name} {column}");
        }
        // The wide and single WALCL files agree.
        let wide = parse_file("fred_liquidity_wide.csv", Format::FredWide, Some("WALCL")).series.remove(0).bars;
        let single = parse_file("walcl_weekly_fred.csv", Format::Fred, None).series.remove(0).bars;
        assert_eq!(on(&wide, "2022-04-13").close, 8_965_487.0);
        assert!(single.iter().all(|b| on(&wide, &b.date.to_string()).close == b.close));
        let nfci = parse_file("fred_liquidity_wide.csv", Format::FredWide, Some("NFCI")).series.remove(0).bars;
        assert_eq!(nfci[nfci.len() - 1].close, -0.559);
    }

    // Hand-made inputs from here on.

    #[test]
    fn header_variants_and_missing_markers() {
        for head in ["DATE,DGS10", "observation_date,DGS10", "date,value"] {
            let text = format!("{head}\n2020-01-02,1.88\n2020-01-03,.\n2020-01-06,\n2020-01-07,-0.25\n");
            let bars = parse_text(&text, Format::Auto, false).unwrap().series.remove(0).bars;
            assert_eq!(bars.iter().map(|b| b.close).collect::<Vec<_>>(), [1.88, -0.25], "{head}");
        }
    }

    #[test]
    fn column_choice() {
        let wide = b"date,NFCI,ANFCI,WALCL\n2020-01-01,0.1,,\n2020-01-08,,,4000\n";
        let with = |column: Option<&str>| {
            let opts = ParseOptions { column: column.map(str::to_string), lenient: false };
            parse("w.csv", wide, Format::FredWide, &opts)
        };
        assert_eq!(
            with(None).unwrap_err().to_string(),
            "w.csv:1: several value columns: choose one with --column (columns: date, NFCI, ANFCI, WALCL)"
        );
        assert_eq!(
            with(Some("M2SL")).unwrap_err().to_string(),
            r#"w.csv:1: no column "M2SL" in header (columns: date, NFCI, ANFCI, WALCL)"#
        );
        assert_eq!(
            with(Some("date")).unwrap_err().to_string(),
            r#"w.csv:1: no column "date" in header (columns: date, NFCI, ANFCI, WALCL)"#
        );
        assert_eq!(with(Some("walcl")).unwrap().series[0].bars[0].close, 4000.0);
        assert_eq!(with(Some("ANFCI")).unwrap_err().to_string(), "w.csv: no values: every row is blank or missing");
    }

    #[test]
    fn bad_rows() {
        let head = "date,WALCL\n2020-01-01,4000\n";
        let cases = [
            ("2020-01-08,4,100\n", "t.csv:3: line has 3 fields, header has 2"),
            ("2020-01-08,4k\n", r#"t.csv:3: WALCL "4k" is not a number"#),
            ("2020-01-08,inf\n", r#"t.csv:3: WALCL "inf" is not finite"#),
            ("2019-12-25,4000\n", "t.csv:3: date 2019-12-25 comes after 2020-01-01"),
            ("2020-01-01,4001\n", "t.csv:3: date 2020-01-01 appears twice with different values"),
            ("2020-01-08\n", "t.csv:3: line has 1 field, header has 2: truncated?"),
        ];
        for (bad, message) in cases {
            assert_eq!(error(&format!("{head}{bad}"), Format::Fred), message);
        }
        let parsed = parse_text(&format!("{head}2020-01-08,4k\n2020-01-15,4100\n"), Format::Fred, true).unwrap();
        assert_eq!((parsed.series[0].bars.len(), parsed.skipped.len()), (2, 1));
        assert_eq!(
            error("when,WALCL\n2020-01-01,1\n", Format::Fred),
            "t.csv:1: no date column in header (expected date or observation_date) (columns: when, WALCL)"
        );
    }
}
