//! Broker bars as Interactive Brokers' historical-data API returns them and
//! tools save them: `date,open,high,low,close,volume,wap,count`.
//!
//! - `wap` (volume-weighted average price) and `count` (trades) are ignored;
//!   they are often 0 or empty (`rut_daily_heliar.csv`, last 13 rows).
//! - Dates may be `2016-06-28`, `20160628` or IBKR's `20160628  16:00:00`.
//! - Unlike Yahoo, an empty close is an error: IBKR has no "no price" rows.
//! - Volume 0 is kept (index bars often have none).

use super::ohlc::{parse_headed, BlankRows};
use super::ParseOptions;
use crate::{IngestError, Parsed};

/// Parses IBKR-style bars into one series.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    parse_headed(file, text, opts, &["date", "datetime", "time"], BlankRows::AreErrors)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, on, parse_file, parse_text};
    use super::super::Format;

    #[test]
    fn heliar_index_files() {
        // (file, close on 2021-11-08, close on 2024-11-25, bars with volume 0)
        let cases = [
            ("rut_daily_heliar.csv", 2442.74, 2442.03, 32),
            ("spx_daily_heliar.csv", 4701.7, 5987.37, 29),
            ("ixic_daily_heliar.csv", 15982.36, 19054.84, 28),
        ];
        for (name, close_2021, close_2024, zero_volume) in cases {
            let bars = parse_file(name, Format::Ibkr, None).series.remove(0).bars;
            assert_eq!(bars.len(), 2_552, "{name}");
            assert_eq!((bars[0].date, bars[2_551].date), (d("2016-06-28"), d("2026-08-21")), "{name}");
            assert_eq!(on(&bars, "2021-11-08").close, close_2021, "{name}");
            assert_eq!(on(&bars, "2024-11-25").close, close_2024, "{name}");
            assert_eq!(bars.iter().filter(|b| b.volume == Some(0.0)).count(), zero_volume, "{name}");
        }
        let rut = parse_file("rut_daily_heliar.csv", Format::Ibkr, None).series.remove(0).bars;
        let last = rut[rut.len() - 1];
        assert_eq!(
            (last.open, last.high, last.low, last.close),
            (Some(3007.16), Some(3020.24), Some(3000.05), 3017.87)
        );
    }

    // Hand-made inputs from here on.

    const HEAD: &str = "date,open,high,low,close,volume,wap,count\n";

    #[test]
    fn empty_wap_and_count_and_broker_dates() {
        let text = format!("{HEAD}20260820  16:00:00,10,11,9,10.5,0.0,,\n2026-08-21,10,11,9,10.5,5,10.2,7\n");
        let bars = parse_text(&text, Format::Ibkr, false).unwrap().series.remove(0).bars;
        assert_eq!(bars.iter().map(|b| b.date).collect::<Vec<_>>(), [d("2026-08-20"), d("2026-08-21")]);
    }

    #[test]
    fn bad_rows() {
        let good = "2020-01-02,10,11,9,10.5,100,,\n";
        let cases = [
            ("2020-01-03,10,11,9,,100,,\n", "t.csv:3: close is missing"),
            ("2020-01-03,10,11,9,x1,100,,\n", r#"t.csv:3: close "x1" is not a number"#),
            ("2020-01-01,10,11,9,10.5,100,,\n", "t.csv:3: date 2020-01-01 comes after 2020-01-02"),
            ("2020-01-03,10,11,9,10.5,100\n", "t.csv:3: line has 6 fields, header has 8: truncated?"),
        ];
        for (bad, message) in cases {
            assert_eq!(error(&format!("{HEAD}{good}{bad}"), Format::Ibkr), message);
        }
        let text = format!("{HEAD}{good}2020-01-03,10,11,9,,100,,\n2020-01-06,10,11,9,10.5,100,,\n");
        let parsed = parse_text(&text, Format::Ibkr, true).unwrap();
        assert_eq!((parsed.series[0].bars.len(), parsed.skipped.len()), (2, 1));
    }
}
