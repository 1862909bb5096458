//! Ranked ticker lists per month, as JSON:
//!
//! ```json
//! { "2017-01-01": ["BTC-USD", "ETH-USD", ...], "2017-02-01": [...] }
//! ```
//!
//! Each ticker becomes a [`UniverseEntry`] with `rank` = its position in the
//! list + 1 and `symbol` = the ticker without `-USD`, lowercased (`btc`); no
//! name, price or market cap (the file has none).
//!
//! - Months are sorted by date (JSON object order carries no meaning); the
//!   same month twice is an error, as is a key that is not a date.
//! - Every ticker must end in `-USD` (any case) and appear once per month.
//! - Errors name the line of the offending key or ticker; when lenient a bad
//!   month or ticker is skipped, and the other tickers keep their ranks.

use std::collections::BTreeSet;
use std::fmt;

use riskcurve_core::Date;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use super::table::{self, Problems};
use super::ParseOptions;
use crate::{IngestError, Parsed, UniverseEntry};

/// Parses a ticker-list universe.
pub(super) fn parse(file: &str, text: &str, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let Months(months) = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_lowercase();
        IngestError::file(file, Some(e.line()), format!("invalid json: {message}"))
    })?;
    let mut problems = Problems::new(file, opts.lenient);
    let mut lines = Lines { text, offset: 0, line: 1 };
    // Each month with its key's place in the text, where its tickers' search starts.
    let mut dated: Vec<(Date, Lines<'_>, Vec<String>)> = Vec::new();
    for (key, tickers) in months {
        let line = lines.find(&format!("{key:?}"));
        match table::date(&key) {
            Ok(date) => dated.push((date, lines, tickers)),
            Err(_) => {
                problems.check(line, Err(format!("key {} is not a date (expected YYYY-MM-DD)", super::quoted(&key))))?
            }
        }
    }
    // Sorting is stable, so a repeated month is found on its later line.
    dated.sort_by_key(|(date, _, _)| *date);
    let mut universe = Vec::new();
    let mut previous: Option<Date> = None;
    for (date, mut lines, tickers) in dated {
        if previous == Some(date) {
            problems.check(lines.line, Err(format!("date {date} appears twice")))?;
            continue;
        }
        previous = Some(date);
        let mut seen = BTreeSet::new();
        for (position, ticker) in tickers.iter().enumerate() {
            let line = lines.find(&format!("{ticker:?}"));
            let outcome = symbol_of(ticker).and_then(|symbol| {
                if seen.insert(symbol.clone()) {
                    Ok(symbol)
                } else {
                    Err(format!("ticker {} appears twice in {date}", super::quoted(ticker)))
                }
            });
            match outcome {
                Ok(symbol) => universe.push(UniverseEntry {
                    date,
                    rank: position as u32 + 1,
                    symbol,
                    name: None,
                    market_cap: None,
                    price: None,
                }),
                Err(problem) => problems.check(line, Err(problem))?,
            }
        }
    }
    if universe.is_empty() {
        return Err(IngestError::file(file, None, "no tickers in file"));
    }
    let mut skipped = problems.skipped;
    skipped.sort_by_key(|s| s.line);
    Ok(Parsed { series: Vec::new(), universe, skipped })
}

/// `BTC-USD` -> `btc`.
fn symbol_of(ticker: &str) -> Result<String, String> {
    let t = ticker.trim();
    let base = t.len().checked_sub(4).filter(|&n| t.is_char_boundary(n) && t[n..].eq_ignore_ascii_case("-usd"));
    match base.map(|n| &t[..n]) {
        Some(base) if !base.is_empty() => Ok(base.to_lowercase()),
        _ => Err(format!("ticker {} is not a -USD ticker", super::quoted(ticker))),
    }
}

/// The months in file order, repeats included (a map would hide them).
struct Months(Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for Months {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Months, D::Error> {
        struct MonthsVisitor;
        impl<'de> Visitor<'de> for MonthsVisitor {
            type Value = Months;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of dates to ticker lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Months, A::Error> {
                let mut months = Vec::new();
                while let Some(entry) = map.next_entry::<String, Vec<String>>()? {
                    months.push(entry);
                }
                Ok(Months(months))
            }
        }
        deserializer.deserialize_map(MonthsVisitor)
    }
}

/// Finds quoted strings front to back, counting lines as it goes, to name
/// the line of a bad key or ticker (serde_json does not give positions).
#[derive(Clone, Copy)]
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    /// The line of the next occurrence of `needle` (the current line if none).
    fn find(&mut self, needle: &str) -> usize {
        if let Some(pos) = self.text[self.offset..].find(needle) {
            let start = self.offset + pos;
            self.line += self.text[self.offset..start].bytes().filter(|&b| b == b'\n').count();
            self.offset = start + needle.len();
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{d, error, parse_file, parse_text};
    use super::super::Format;
    use riskcurve_core::Date;

    #[test]
    fn monthly_universe_2017_2025() {
        let u = parse_file("crypto_universe_monthly.json", Format::UniverseJson, None).universe;
        assert_eq!(u.len(), 15_952);
        let months: std::collections::BTreeSet<Date> = u.iter().map(|e| e.date).collect();
        assert_eq!(months.len(), 108);
        assert_eq!((u[0].date, u[u.len() - 1].date), (d("2017-01-01"), d("2025-12-01")));
        assert_eq!((u[0].rank, u[0].symbol.as_str()), (1, "btc"));
        assert_eq!((u[9].rank, u[9].symbol.as_str()), (10, "gtc"));
        assert_eq!(u.iter().filter(|e| e.date == d("2017-01-01")).count(), 67);
        let may_2021: Vec<&str> =
            u.iter().filter(|e| e.date == d("2021-05-01")).take(3).map(|e| e.symbol.as_str()).collect();
        assert_eq!(may_2021, ["btc", "eth", "bnb"]);
    }

    // Hand-made inputs from here on.

    #[test]
    fn months_are_sorted() {
        let text = "{\n  \"2017-02-01\": [\"ETH-USD\"],\n  \"2017-01-01\": [\"btc-usd\", \"XRP-USD\"]\n}";
        let u = parse_text(text, Format::Auto, false).unwrap().universe;
        let got: Vec<(String, u32, &str)> = u.iter().map(|e| (e.date.to_string(), e.rank, e.symbol.as_str())).collect();
        assert_eq!(
            got,
            [("2017-01-01".into(), 1, "btc"), ("2017-01-01".into(), 2, "xrp"), ("2017-02-01".into(), 1, "eth")]
        );
    }

    #[test]
    fn bad_input() {
        let cases = [
            (
                "{\n  \"2017-01-01\": [\n    \"BTC-USD\",\n    \"BTC-EUR\"\n  ]\n}",
                r#"t.csv:4: ticker "BTC-EUR" is not a -USD ticker"#,
            ),
            (
                "{\n  \"2017-01-01\": [\"BTC-USD\",\n \"BTC-USD\"]\n}",
                r#"t.csv:3: ticker "BTC-USD" appears twice in 2017-01-01"#,
            ),
            ("{\n  \"Jan 2017\": [\"BTC-USD\"]\n}", r#"t.csv:2: key "Jan 2017" is not a date (expected YYYY-MM-DD)"#),
            (
                "{\n\"2017-01-01\": [\"BTC-USD\"],\n\"2017-01-01\": [\"ETH-USD\"]\n}",
                "t.csv:3: date 2017-01-01 appears twice",
            ),
            (
                "{\n  \"2017-01-01\": [\"BTC-USD\", 5]\n}",
                "t.csv:2: invalid json: invalid type: integer `5`, expected a string",
            ),
            ("{\n  \"2017-01-01\": [\"BTC-USD\"", "t.csv:2: invalid json: eof while parsing a list"),
            (
                "[\"BTC-USD\"]",
                "t.csv:1: invalid json: invalid type: sequence, expected an object of dates to ticker lists",
            ),
            ("{}", "t.csv: no tickers in file"),
        ];
        for (text, message) in cases {
            assert_eq!(error(text, Format::UniverseJson), message);
        }
        let text = "{\n  \"2017-01-01\": [\"BTC-USD\", \"BTC-EUR\", \"XRP-USD\"],\n  \"2017-13-01\": []\n}";
        let parsed = parse_text(text, Format::UniverseJson, true).unwrap();
        assert_eq!(parsed.skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(parsed.universe.iter().map(|e| e.rank).collect::<Vec<_>>(), [1, 3]);
    }
}
