//! Yahoo Finance chart API v8: daily bars for equities, indices, ETFs and
//! crypto pairs.
//!
//! `GET {base}/v8/finance/chart/{symbol}?interval=1d&period1={unix}&period2={unix}&events=div%7Csplit&includeAdjustedClose=true`
//!
//! The body is `chart.result[0]` with `timestamp` (Unix seconds of each
//! bar's session open) and `indicators.quote[0].{open,high,low,close,volume}`
//! arrays of equal length. Quirks handled here:
//! - rows that are `null` in every field (holidays Yahoo half-knows) are
//!   skipped, and so are rows without a close;
//! - a range without data has no `timestamp` key at all: zero bars;
//! - dates are exchange-local: `timestamp + meta.gmtoffset`. US sessions
//!   open 09:30 New York (13:30 or 14:30 UTC), crypto bars start 00:00 UTC,
//!   so the offset (the exchange's *current* one) cannot move a bar across
//!   midnight whatever daylight saving was in force that day;
//! - `close` is the traded close (split-adjusted only). With
//!   [`FetchRequest::adjusted`] the bar is dividend- and split-adjusted as
//!   yfinance's `auto_adjust` does it (and as the adjusted ETF exports in
//!   the shared data are): close = `adjclose`, and open, high and low are
//!   scaled by `adjclose / close` so that the bar stays consistent; volume
//!   is left as traded. A row with a close but no `adjclose` is then an
//!   error, never a raw close stored as an adjusted one;
//! - when Yahoo repeats today's date (a live bar), the later row wins.

use riskcurve_core::{Bar, Date};
use serde_json::Value;

use super::url::{encode_component, url_host};
use super::{finish, normalise_base, number, parse_json, schema, strip_secrets};
use super::{Duplicates, Expect, FetchRequest, Fetched, HttpClient, Provider, SourceKind};
use crate::validate::Values;
use crate::IngestError;

/// The production host.
pub(super) const DEFAULT_BASE_URL: &str = "https://query2.finance.yahoo.com";

/// `period1` for an open start: 1900-01-01, before any Yahoo series
/// (^GSPC starts in 1927, with negative timestamps).
const EARLIEST: i64 = -2_208_988_800;

/// Yahoo's chart API (`/v8/finance/chart`).
#[derive(Debug, Clone)]
pub struct YahooChartProvider {
    base: String,
}

impl Default for YahooChartProvider {
    fn default() -> Self {
        YahooChartProvider::new()
    }
}

impl YahooChartProvider {
    /// The provider for the production host.
    pub fn new() -> YahooChartProvider {
        YahooChartProvider::with_base_url(DEFAULT_BASE_URL)
    }

    /// The provider for another host (a mirror or a test server).
    pub fn with_base_url(base: impl Into<String>) -> YahooChartProvider {
        YahooChartProvider { base: normalise_base(base) }
    }

    /// The request URL for `req`; the range ends at the start of the day
    /// after `to` (UTC), so `to`'s session is included.
    pub fn url(&self, req: &FetchRequest, today: Date) -> String {
        let period1 = req.from.map_or(EARLIEST, Date::unix_seconds);
        let period2 = req.to.unwrap_or(today).add_days(1).unix_seconds();
        format!(
            "{}/v8/finance/chart/{}?interval=1d&period1={period1}&period2={period2}&events=div%7Csplit&includeAdjustedClose=true",
            self.base,
            encode_component(req.symbol.trim())
        )
    }
}

impl Provider for YahooChartProvider {
    fn kind(&self) -> SourceKind {
        SourceKind::Yahoo
    }

    fn host(&self) -> &str {
        url_host(&self.base)
    }

    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        let url = self.url(req, http.today());
        let body = http.get(&url, Expect::Json)?;
        let json = parse_json(&body, &url, "chart.result")?;
        check_symbol(&json, &req.symbol).map_err(|p| schema(&url, p))?;
        let bars = parse_chart(&json, req.adjusted).map_err(|p| schema(&url, p))?;
        let bars = finish(bars, req, &url, Duplicates::KeepLast, http.today(), Values::Positive)?;
        Ok(Fetched { bars, url: strip_secrets(&url), ..Fetched::default() })
    }
}

/// Refuses a chart of another instrument: `chart.result[0].meta.symbol`,
/// where Yahoo states it, must be the symbol asked for (a proxy or a cache
/// answering for another request would otherwise store its bars under ours).
fn check_symbol(json: &Value, asked: &str) -> Result<(), String> {
    match json.pointer("/chart/result/0/meta/symbol").and_then(Value::as_str) {
        Some(got) if !got.trim().eq_ignore_ascii_case(asked.trim()) => {
            Err(format!("the chart is for symbol {got:?}, not {:?}", asked.trim()))
        }
        _ => Ok(()),
    }
}

/// Bars from a chart body, in vendor order, dividend-adjusted when
/// `adjusted`; the problem text on failure.
fn parse_chart(json: &Value, adjusted: bool) -> Result<Vec<Bar>, String> {
    let chart = json.get("chart").ok_or("expected a top-level \"chart\" object")?;
    if let Some(error) = chart.get("error").filter(|e| !e.is_null()) {
        let text = |k: &str| error.get(k).and_then(Value::as_str).unwrap_or("");
        return Err(format!("chart.error: {} {}", text("code"), text("description")).trim_end().to_string());
    }
    let result = chart.pointer("/result/0").ok_or("expected chart.result[0]")?;
    let Some(timestamps) = result.get("timestamp") else {
        // Yahoo's shape for a range without data: no timestamp key at all.
        return Ok(Vec::new());
    };
    let timestamps =
        timestamps.as_array().ok_or("expected chart.result[0].timestamp to be an array of unix seconds")?;
    let offset = result.pointer("/meta/gmtoffset").and_then(Value::as_i64).unwrap_or(0);
    let quote = result.pointer("/indicators/quote/0").ok_or("expected chart.result[0].indicators.quote[0]")?;
    let column = |name: &str| -> Result<Option<&Vec<Value>>, String> {
        match quote.get(name) {
            None => Ok(None),
            Some(Value::Array(a)) if a.len() == timestamps.len() => Ok(Some(a)),
            Some(Value::Array(a)) => Err(format!(
                "expected indicators.quote[0].{name} to have one value per timestamp ({}), got {}",
                timestamps.len(),
                a.len()
            )),
            Some(_) => Err(format!("expected indicators.quote[0].{name} to be an array")),
        }
    };
    let close = column("close")?.ok_or("expected indicators.quote[0].close")?;
    let (open, high, low, volume) = (column("open")?, column("high")?, column("low")?, column("volume")?);
    let adjclose = match adjusted {
        false => None,
        true => match result.pointer("/indicators/adjclose/0/adjclose") {
            Some(Value::Array(a)) if a.len() == timestamps.len() => Some(a),
            Some(_) => return Err("expected indicators.adjclose[0].adjclose to have one value per timestamp".into()),
            None => return Err("expected indicators.adjclose[0].adjclose (the adjusted close asked for)".into()),
        },
    };
    let at = |col: Option<&Vec<Value>>, i: usize, name: &str| -> Result<Option<f64>, String> {
        col.map_or(Ok(None), |c| number(&c[i])).map_err(|e| format!("indicators.quote[0].{name}[{i}]: {e}"))
    };
    let mut bars = Vec::with_capacity(timestamps.len());
    for (i, ts) in timestamps.iter().enumerate() {
        let ts = ts.as_i64().ok_or_else(|| format!("timestamp[{i}]: expected unix seconds, got {ts}"))?;
        let (o, h, l) = (at(open, i, "open")?, at(high, i, "high")?, at(low, i, "low")?);
        let (c, v) = (at(Some(close), i, "close")?, at(volume, i, "volume")?);
        let Some(close) = c else {
            // All-null rows (and rows that lost their close) carry no bar.
            continue;
        };
        // Saturating: a garbage timestamp (i64::MAX) becomes a date the
        // range check refuses, never an overflow.
        let date = Date::from_unix_seconds(ts.saturating_add(offset));
        let bar = Bar { date, open: o, high: h, low: l, close, volume: v };
        bars.push(match adjclose {
            None => bar,
            Some(adj) => match number(&adj[i]) {
                Ok(Some(a)) => adjust(bar, a),
                Ok(None) => return Err(format!("indicators.adjclose[0].adjclose[{i}]: null where close is {close}")),
                Err(e) => return Err(format!("indicators.adjclose[0].adjclose[{i}]: {e}")),
            },
        });
    }
    Ok(bars)
}

/// The bar scaled so that its close is `adjclose` (open, high and low by the
/// same factor; volume as traded).
fn adjust(bar: Bar, adjclose: f64) -> Bar {
    let k = adjclose / bar.close;
    let scale = |v: Option<f64>| v.map(|v| v * k);
    Bar { open: scale(bar.open), high: scale(bar.high), low: scale(bar.low), close: adjclose, ..bar }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encodes_symbol_and_spans_the_last_day() {
        let p = YahooChartProvider::with_base_url("http://h/");
        let d = |s: &str| s.parse::<Date>().unwrap();
        let req = FetchRequest::new("^RUT").range(Some(d("2023-01-03")), Some(d("2024-06-28")));
        assert_eq!(
            p.url(&req, d("2025-01-01")),
            "http://h/v8/finance/chart/%5ERUT?interval=1d&period1=1672704000&period2=1719619200&events=div%7Csplit&includeAdjustedClose=true"
        );
    }

    #[test]
    fn local_dates_use_the_gmt_offset() {
        // 2023-08-07 22:30 UTC is 2023-08-08 00:30 in Berlin summer time.
        let body = r#"{"chart":{"result":[{"meta":{"gmtoffset":7200},"timestamp":[1691447400],
            "indicators":{"quote":[{"close":[1.5]}]}}],"error":null}}"#;
        let bars = parse_chart(&serde_json::from_str(body).unwrap(), false).unwrap();
        assert_eq!(bars[0].date.to_string(), "2023-08-08");
        assert_eq!(bars[0].open, None);
    }

    /// Issue 11 item 2: a response for another symbol was stored.
    #[test]
    fn provider_row_for_another_symbol_is_refused() {
        let body: Value = serde_json::from_str(r#"{"chart":{"result":[{"meta":{"symbol":"^GSPC"}}]}}"#).unwrap();
        assert_eq!(check_symbol(&body, "^RUT").unwrap_err(), r#"the chart is for symbol "^GSPC", not "^RUT""#);
        check_symbol(&body, "^gspc").unwrap();
        check_symbol(&serde_json::json!({"chart": {"result": [{}]}}), "^RUT").unwrap();
    }

    #[test]
    fn mismatched_columns_are_schema_errors() {
        let body = r#"{"chart":{"result":[{"timestamp":[1,2],"indicators":{"quote":[{"close":[1.0]}]}}]}}"#;
        let err = parse_chart(&serde_json::from_str(body).unwrap(), false).unwrap_err();
        assert!(err.contains("one value per timestamp"), "{err}");
    }
}
