//! What the bar formats share: finding OHLCV columns by name, turning a row
//! into a validated [`Bar`], and building a series that refuses dates out of
//! order and conflicting duplicates.

use riskcurve_core::{Bar, Date};

use super::table::{self, Row, Table};
use super::ParseOptions;
use crate::{IngestError, Parsed, ParsedSeries};

/// One series from a headed OHLCV table in ascending date order, its date
/// column named one of `date_names` (the Yahoo and IBKR-style formats).
pub(super) fn parse_headed(
    file: &str,
    text: &str,
    opts: &ParseOptions,
    date_names: &[&str],
    blank: BlankRows,
) -> Result<Parsed, IngestError> {
    let table = Table::with_header(file, text, 0)?;
    let columns = OhlcColumns::locate(&table, date_names)?;
    let mut series = SeriesBuilder::oldest_first();
    let read = table.rows(opts.lenient, |row| columns.bar(row, blank)?.map_or(Ok(()), |bar| series.push(bar, None)))?;
    read.single(file, series)
}

/// Where the bar fields sit in a table, found by header name.
#[derive(Debug, Clone, Copy)]
pub(super) struct OhlcColumns {
    /// The date (or timestamp) column.
    pub date: usize,
    /// Open, high and low are optional: some exports have only a close.
    pub open: Option<usize>,
    /// High.
    pub high: Option<usize>,
    /// Low.
    pub low: Option<usize>,
    /// Close (never "Adj Close").
    pub close: usize,
    /// Volume, in whatever unit the source uses.
    pub volume: Option<usize>,
}

/// How a row with no prices at all is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlankRows {
    /// Yahoo writes `2014-09-17,,,,,,` (or `null`s) for "no price that day":
    /// skip it silently.
    AreMissing,
    /// Anywhere else an empty close is a broken row.
    AreErrors,
}

impl OhlcColumns {
    /// Finds the columns by name (ignoring case); the date column is the
    /// first of `date_names` that the header has.
    pub fn locate(table: &Table<'_>, date_names: &[&str]) -> Result<OhlcColumns, IngestError> {
        let date = table.column(date_names).ok_or_else(|| {
            table.header_error(&format!("no date column in header (expected {})", date_names.join(" or ")))
        })?;
        let close = table.column(&["close"]).ok_or_else(|| table.header_error("no close column in header"))?;
        Ok(OhlcColumns {
            date,
            open: table.column(&["open"]),
            high: table.column(&["high"]),
            low: table.column(&["low"]),
            close,
            volume: table.column(&["volume"]),
        })
    }

    /// The bar on `row`, or `None` for a blank Yahoo row. Checks, in this
    /// order: date, open, high, low, close (finite and above zero), volume
    /// (finite, zero allowed). Whether high/low bracket open/close is left to
    /// `riskcurve check`: real exports break it and the bar is still useful.
    pub fn bar(&self, row: &Row<'_>, blank: BlankRows) -> Result<Option<Bar>, String> {
        let date = table::date(row.text(self.date))?;
        let missing = |text: &str| text.is_empty() || (blank == BlankRows::AreMissing && text == "null");
        let field = |col: Option<usize>| col.map(|i| row.text(i)).filter(|t| !missing(t));
        let (open, high, low, close) = (field(self.open), field(self.high), field(self.low), field(Some(self.close)));
        if blank == BlankRows::AreMissing && open.is_none() && high.is_none() && low.is_none() && close.is_none() {
            return Ok(None);
        }
        let price = |text: Option<&str>, what: &str| text.map(|t| table::price(t, what)).transpose();
        let open = price(open, "open")?;
        let high = price(high, "high")?;
        let low = price(low, "low")?;
        let close = price(close, "close")?.ok_or("close is missing")?;
        let volume = field(self.volume).map(table::volume).transpose()?;
        Ok(Some(Bar { date, open, high, low, close, volume }))
    }
}

/// Collects one series' bars, enforcing strictly increasing dates (or
/// strictly decreasing for a newest-first file, reversed at the end).
/// An exact repeat of the previous row is dropped silently; the same date
/// with different values is refused.
#[derive(Debug, Default)]
pub(super) struct SeriesBuilder {
    bars: Vec<Bar>,
    market_caps: Vec<(Date, f64)>,
    newest_first: bool,
}

impl SeriesBuilder {
    /// For files in ascending date order (all but CryptoDataDownload).
    pub fn oldest_first() -> SeriesBuilder {
        SeriesBuilder::default()
    }

    /// For files in descending date order.
    pub fn newest_first() -> SeriesBuilder {
        SeriesBuilder { newest_first: true, ..SeriesBuilder::default() }
    }

    /// True when no bar was kept.
    pub fn is_empty(&self) -> bool {
        self.bars.is_empty()
    }

    /// Adds the next bar in file order, with its market cap if the file has one.
    pub fn push(&mut self, bar: Bar, market_cap: Option<f64>) -> Result<(), String> {
        if let Some(last) = self.bars.last() {
            if bar.date == last.date {
                let last_cap = self.market_caps.last().filter(|(d, _)| *d == bar.date).map(|&(_, c)| c);
                return if *last == bar && last_cap == market_cap {
                    Ok(())
                } else {
                    Err(format!("date {} appears twice with different values", bar.date))
                };
            }
            if self.newest_first && bar.date > last.date {
                return Err(format!("date {} comes after {} in a newest-first file", bar.date, last.date));
            }
            if !self.newest_first && bar.date < last.date {
                return Err(format!("date {} comes after {}", bar.date, last.date));
            }
        }
        self.bars.push(bar);
        if let Some(cap) = market_cap {
            self.market_caps.push((bar.date, cap));
        }
        Ok(())
    }

    /// The series in ascending date order.
    pub fn finish(mut self, symbol: Option<String>) -> ParsedSeries {
        if self.newest_first {
            self.bars.reverse();
            self.market_caps.reverse();
        }
        ParsedSeries { symbol, bars: self.bars, market_caps: self.market_caps }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::d;
    use super::*;

    #[test]
    fn builder_orders_and_deduplicates() {
        let mut b = SeriesBuilder::oldest_first();
        b.push(Bar::value(d("2020-01-02"), 1.0), None).unwrap();
        b.push(Bar::value(d("2020-01-05"), 2.0), None).unwrap();
        b.push(Bar::value(d("2020-01-05"), 2.0), None).unwrap();
        assert_eq!(
            b.push(Bar::value(d("2020-01-05"), 3.0), None).unwrap_err(),
            "date 2020-01-05 appears twice with different values"
        );
        assert_eq!(
            b.push(Bar::value(d("2020-01-02"), 1.0), None).unwrap_err(),
            "date 2020-01-02 comes after 2020-01-05"
        );
        assert_eq!(b.finish(None).bars.len(), 2);

        let mut b = SeriesBuilder::newest_first();
        b.push(Bar::value(d("2020-01-05"), 2.0), Some(9.0)).unwrap();
        b.push(Bar::value(d("2020-01-02"), 1.0), Some(8.0)).unwrap();
        assert_eq!(
            b.push(Bar::value(d("2020-01-03"), 1.0), None).unwrap_err(),
            "date 2020-01-03 comes after 2020-01-02 in a newest-first file"
        );
        let s = b.finish(Some("btc".into()));
        assert_eq!(s.bars.iter().map(|b| b.close).collect::<Vec<_>>(), [1.0, 2.0]);
        assert_eq!(s.market_caps, [(d("2020-01-02"), 8.0), (d("2020-01-05"), 9.0)]);
    }
}
