//! Coin Metrics community API: daily reference prices (`PriceUSD`).
//!
//! `GET {base}/v4/timeseries/asset-metrics?assets=btc&metrics=PriceUSD&frequency=1d&start_time={date}&end_time={date}&page_size=10000`
//! returns `{"data": [{"asset": "btc", "time": "2020-02-29T00:00:00.000000000Z", "PriceUSD": "8582.09"}, ...],
//! "next_page_url": "..."}` with values as decimal strings. The provider
//! follows `next_page_url` until it is absent, joining its path and query
//! onto our base URL so that mirrors and test servers keep serving. A
//! `next_page_url` that repeats a page already fetched, or more than
//! [`MAX_PAGES`] pages, is an error rather than a loop.
//!
//! Rows are dated by the date part of `time`; a row without `PriceUSD`
//! (no price that day) is skipped. Only `close` is set.

use std::collections::HashSet;

use riskcurve_core::{Bar, Date};
use serde_json::Value;

use super::url::{encode_component, rebase, url_host};
use super::{finish, normalise_base, number, parse_json, schema, strip_secrets};
use super::{Duplicates, Expect, FetchRequest, Fetched, HttpClient, Provider, SourceKind, MAX_PAGES};
use crate::validate::Values;
use crate::IngestError;

/// The production (community, keyless) host.
pub(super) const DEFAULT_BASE_URL: &str = "https://community-api.coinmetrics.io";

/// The metric fetched.
const METRIC: &str = "PriceUSD";

/// Coin Metrics `/v4/timeseries/asset-metrics` (`PriceUSD`, daily).
#[derive(Debug, Clone)]
pub struct CoinMetricsProvider {
    base: String,
    max_pages: usize,
}

impl Default for CoinMetricsProvider {
    fn default() -> Self {
        CoinMetricsProvider::new()
    }
}

impl CoinMetricsProvider {
    /// The provider for the community host.
    pub fn new() -> CoinMetricsProvider {
        CoinMetricsProvider::with_base_url(DEFAULT_BASE_URL)
    }

    /// The provider for another host (a mirror or a test server).
    pub fn with_base_url(base: impl Into<String>) -> CoinMetricsProvider {
        CoinMetricsProvider { base: normalise_base(base), max_pages: MAX_PAGES }
    }

    /// Pages followed before the fetch stops with an error (default
    /// [`MAX_PAGES`]; at least 1).
    pub fn max_pages(self, n: usize) -> CoinMetricsProvider {
        CoinMetricsProvider { max_pages: n.max(1), ..self }
    }

    /// The first page's URL; open ends are left to the API's defaults.
    pub fn url(&self, req: &FetchRequest) -> String {
        // Coin Metrics asset ids are lower case (`btc`).
        let asset = req.symbol.trim().to_ascii_lowercase();
        let mut url = format!(
            "{}/v4/timeseries/asset-metrics?assets={}&metrics={METRIC}&frequency=1d",
            self.base,
            encode_component(&asset)
        );
        if let Some(from) = req.from {
            url.push_str(&format!("&start_time={from}"));
        }
        if let Some(to) = req.to {
            url.push_str(&format!("&end_time={to}"));
        }
        url.push_str("&page_size=10000");
        url
    }
}

impl Provider for CoinMetricsProvider {
    fn kind(&self) -> SourceKind {
        SourceKind::CoinMetrics
    }

    fn host(&self) -> &str {
        url_host(&self.base)
    }

    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        let first_url = self.url(req);
        let mut url = first_url.clone();
        let mut seen = HashSet::new();
        let mut bars = Vec::new();
        for page in 1..=self.max_pages {
            seen.insert(url.clone());
            let json = parse_json(&http.get(&url, Expect::Json)?, &url, "data")?;
            let asset = req.symbol.trim().to_ascii_lowercase();
            let next = parse_page(&json, &asset, &mut bars).map_err(|p| schema(&url, p))?;
            match next {
                Some(next) => {
                    let next = rebase(&self.base, &next);
                    // A cursor that comes back would be followed forever.
                    if seen.contains(&next) {
                        return Err(schema(
                            &url,
                            format!("page {page} did not advance: its next_page_url repeats an earlier page"),
                        ));
                    }
                    url = next;
                }
                None => {
                    let bars = finish(bars, req, &first_url, Duplicates::Reject, http.today(), Values::Positive)?;
                    return Ok(Fetched { bars, url: strip_secrets(&first_url), ..Fetched::default() });
                }
            }
        }
        Err(schema(&first_url, format!("gave up after {} pages: next_page_url still set", self.max_pages)))
    }
}

/// Appends the page's rows to `bars`; the next page's URL, if any. Rows
/// naming another asset than `asset` are refused.
fn parse_page(json: &Value, asset: &str, bars: &mut Vec<Bar>) -> Result<Option<String>, String> {
    let rows = json.get("data").and_then(Value::as_array).ok_or("expected data: [{asset, time, PriceUSD}, ...]")?;
    for (i, row) in rows.iter().enumerate() {
        if let Some(got) = row.get("asset").and_then(Value::as_str) {
            if !got.eq_ignore_ascii_case(asset) {
                return Err(format!("data[{i}] is for asset {got:?}, not {asset:?}"));
            }
        }
        let time = row.get("time").and_then(Value::as_str).ok_or_else(|| format!("data[{i}]: expected time"))?;
        let date: Date = time.parse().map_err(|_| format!("data[{i}]: invalid time {time:?}"))?;
        let Some(value) = row.get(METRIC) else { continue };
        if let Some(v) = number(value).map_err(|e| format!("data[{i}] ({date}): {METRIC}: {e}"))? {
            bars.push(Bar::value(date, v));
        }
    }
    match json.get("next_page_url") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!("expected next_page_url to be a string, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_lowercases_the_asset() {
        let p = CoinMetricsProvider::with_base_url("http://h/");
        let d = |s: &str| s.parse::<Date>().unwrap();
        let req = FetchRequest::new("BTC").range(Some(d("2020-02-29")), None);
        assert_eq!(
            p.url(&req),
            "http://h/v4/timeseries/asset-metrics?assets=btc&metrics=PriceUSD&frequency=1d&start_time=2020-02-29&page_size=10000"
        );
    }

    #[test]
    fn rows_without_a_price_are_skipped() {
        let json: Value = serde_json::from_str(
            r#"{"data":[{"asset":"btc","time":"2020-02-29T00:00:00.000000000Z"},{"asset":"btc","time":"2020-03-01T00:00:00.000000000Z","PriceUSD":"8541.77"}]}"#,
        )
        .unwrap();
        let mut bars = Vec::new();
        assert_eq!(parse_page(&json, "btc", &mut bars).unwrap(), None);
        assert_eq!(bars, vec![Bar::value("2020-03-01".parse().unwrap(), 8541.77)]);
        let err = parse_page(&json, "eth", &mut Vec::new()).unwrap_err();
        assert_eq!(err, r#"data[0] is for asset "btc", not "eth""#);
    }
}
