//! Binance spot klines (daily candles).
//!
//! `GET {base}/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime={ms}&endTime={ms}&limit=1000`
//! returns an array of arrays
//! `[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, ...]`
//! (prices and volumes as decimal strings). A page holds at most `limit`
//! candles, so the provider asks again from the last `openTime` plus one
//! day until a page comes back short or the range's end is passed. A page
//! that starts before its `startTime` or whose last `openTime` is not after
//! the previous page's, or more than [`MAX_PAGES`] pages, is an error
//! rather than a loop.
//!
//! Candles open at 00:00 UTC and are dated by their open. The last candle
//! of a range that reaches today is the day in progress: its close is the
//! latest trade, not a final close. `volume` is in the base asset (BTC).
//! Prices are in the quote asset: a `...USDT` pair states [`Unit::Usdt`] in
//! [`Fetched::unit`], never passes for dollars.

use riskcurve_core::{Bar, Date, Unit};
use serde_json::Value;

use super::url::{encode_component, url_host};
use super::{finish, normalise_base, number, parse_json, schema, strip_secrets};
use super::{Duplicates, Expect, FetchRequest, Fetched, HttpClient, Provider, SourceKind, MAX_PAGES};
use crate::validate::Values;
use crate::IngestError;

/// The production host.
pub(super) const DEFAULT_BASE_URL: &str = "https://api.binance.com";

/// Binance's largest kline page.
const MAX_LIMIT: usize = 1000;

const DAY_MS: i64 = 86_400_000;

/// Binance spot klines (`/api/v3/klines`, interval `1d`).
#[derive(Debug, Clone)]
pub struct BinanceKlinesProvider {
    base: String,
    limit: usize,
    max_pages: usize,
}

impl Default for BinanceKlinesProvider {
    fn default() -> Self {
        BinanceKlinesProvider::new()
    }
}

impl BinanceKlinesProvider {
    /// The provider for the production host.
    pub fn new() -> BinanceKlinesProvider {
        BinanceKlinesProvider::with_base_url(DEFAULT_BASE_URL)
    }

    /// The provider for another host (a mirror such as
    /// `https://data-api.binance.vision`, or a test server).
    pub fn with_base_url(base: impl Into<String>) -> BinanceKlinesProvider {
        BinanceKlinesProvider { base: normalise_base(base), limit: MAX_LIMIT, max_pages: MAX_PAGES }
    }

    /// Candles per page, 1..=1000 (default 1000, Binance's maximum).
    pub fn page_size(self, limit: usize) -> BinanceKlinesProvider {
        BinanceKlinesProvider { limit: limit.clamp(1, MAX_LIMIT), ..self }
    }

    /// Pages followed before the fetch stops with an error (default
    /// [`MAX_PAGES`]; at least 1).
    pub fn max_pages(self, n: usize) -> BinanceKlinesProvider {
        BinanceKlinesProvider { max_pages: n.max(1), ..self }
    }

    fn page_url(&self, symbol: &str, start_ms: i64, end_ms: i64) -> String {
        format!(
            "{}/api/v3/klines?symbol={}&interval=1d&startTime={start_ms}&endTime={end_ms}&limit={}",
            self.base,
            encode_component(symbol),
            self.limit
        )
    }
}

/// The unit of a pair's prices, where the symbol states it: `BTCUSDT` is
/// quoted in Tether, not in dollars (issue 10 item 10: USDT rows were
/// stored as USD without saying so).
fn quote_unit(symbol: &str) -> Option<Unit> {
    symbol.ends_with("USDT").then_some(Unit::Usdt)
}

impl Provider for BinanceKlinesProvider {
    fn kind(&self) -> SourceKind {
        SourceKind::Binance
    }

    fn host(&self) -> &str {
        url_host(&self.base)
    }

    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        // Binance symbols are upper case; `btcusdt` is "Invalid symbol".
        let symbol = req.symbol.trim().to_ascii_uppercase();
        let mut start_ms = req.from.map_or(0, |d| d.unix_seconds() * 1000);
        let end_ms = req.to.unwrap_or_else(|| http.today()).add_days(1).unix_seconds() * 1000 - 1;
        let first_url = self.page_url(&symbol, start_ms, end_ms);
        let mut bars = Vec::new();
        let mut previous_last: Option<i64> = None;
        let done = |bars: Vec<Bar>| {
            let bars = finish(bars, req, &first_url, Duplicates::Reject, http.today(), Values::Positive)?;
            Ok(Fetched { bars, url: strip_secrets(&first_url), unit: quote_unit(&symbol), ..Fetched::default() })
        };
        for page_no in 1..=self.max_pages {
            let url = self.page_url(&symbol, start_ms, end_ms);
            let json = parse_json(&http.get(&url, Expect::Json)?, &url, "an array of klines")?;
            let page = parse_klines(&json).map_err(|p| schema(&url, p))?;
            let n = page.len();
            let first_open = page.first().map(|(open, _)| *open);
            let last_open = page.last().map(|(open, _)| *open);
            bars.extend(page.into_iter().map(|(_, bar)| bar));
            let (Some(first_open), Some(last_open)) = (first_open, last_open) else { return done(bars) };
            // Binance sends candles from startTime on. A page reaching back
            // before it, or ending where the previous one ended, comes from a
            // server ignoring startTime: asking again from its end would
            // move a day a page, or not at all.
            let stuck = match previous_last {
                Some(p) if last_open <= p => {
                    Some(format!("its last openTime {last_open} is not after the previous page's {p}"))
                }
                _ if first_open < start_ms => {
                    Some(format!("it starts at openTime {first_open}, before its startTime {start_ms}"))
                }
                _ => None,
            };
            if let Some(why) = stuck {
                return Err(schema(&url, format!("page {page_no} did not advance: {why}")));
            }
            let next = last_open + DAY_MS;
            if n < self.limit || next > end_ms {
                return done(bars);
            }
            previous_last = Some(last_open);
            start_ms = next;
        }
        Err(schema(&first_url, format!("gave up after {} pages: the range is still not complete", self.max_pages)))
    }
}

/// `(openTime ms, bar)` per kline, in vendor order.
fn parse_klines(json: &Value) -> Result<Vec<(i64, Bar)>, String> {
    const SHAPE: &str = "[openTime, open, high, low, close, volume, closeTime, ...]";
    let rows = json.as_array().ok_or_else(|| format!("expected a JSON array of klines {SHAPE}"))?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let fields = row.as_array().ok_or_else(|| format!("kline {i}: expected an array {SHAPE}, got {row}"))?;
        if fields.len() < 6 {
            return Err(format!("kline {i}: expected {SHAPE}, got {} fields", fields.len()));
        }
        let open_ms =
            fields[0].as_i64().ok_or_else(|| format!("kline {i}: expected openTime in ms, got {}", fields[0]))?;
        let field = |k: usize, name: &str| -> Result<f64, String> {
            number(&fields[k])
                .map_err(|e| format!("kline {i}: {name}: {e}"))?
                .ok_or_else(|| format!("kline {i}: {name} is null"))
        };
        let bar = Bar {
            date: Date::from_unix_seconds(open_ms.div_euclid(1000)),
            open: Some(field(1, "open")?),
            high: Some(field(2, "high")?),
            low: Some(field(3, "low")?),
            close: field(4, "close")?,
            volume: Some(field(5, "volume")?),
        };
        out.push((open_ms, bar));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_row() {
        let json: Value = serde_json::from_str(
            r#"[[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]]"#,
        )
        .unwrap();
        let rows = parse_klines(&json).unwrap();
        assert_eq!(rows[0].1.date.to_string(), "2017-07-03");
        assert_eq!(rows[0].1.close, 0.015771);
        assert_eq!(rows[0].1.volume, Some(148976.11427815));
    }

    #[test]
    fn short_rows_name_the_shape() {
        let json: Value = serde_json::from_str(r#"[[1499040000000,"1","2"]]"#).unwrap();
        let err = parse_klines(&json).unwrap_err();
        assert!(err.contains("[openTime, open, high, low, close, volume") && err.contains("got 3 fields"), "{err}");
    }
}
