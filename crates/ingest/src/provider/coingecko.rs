//! CoinGecko market charts (USD price, market cap, volume).
//!
//! `GET {base}/api/v3/coins/{id}/market_chart/range?vs_currency=usd&from={unix}&to={unix}`
//! returns `{"prices": [[ms, price], ...], "market_caps": [[ms, cap], ...],
//! "total_volumes": [[ms, volume], ...]}`. Granularity follows the span:
//! daily points (at 00:00 UTC) for spans over 90 days, hourly below, and a
//! final point at the time of the request when the range reaches now.
//!
//! **One value per UTC date: the first point of the date.** For daily data
//! that is the 00:00 UTC snapshot; for hourly data the first hour. So a bar
//! dated D holds the price at the *start* of D, which is about the close of
//! D-1 in the Binance/Yahoo convention (their crypto bar D closes at 00:00
//! UTC of D+1). The value is known when its date begins, never later, so
//! it cannot leak the future; callers comparing with exchange closes should
//! shift by a day. Today's bar, if the 00:00 point is not yet published,
//! is the live intraday price.
//!
//! `close` = price, `volume` = the 24-hour USD volume at the same instant;
//! market caps go to [`Fetched::market_caps`]. The public and demo plans
//! only serve the past 365 days; CoinGecko's error says so.

use std::collections::HashMap;

use riskcurve_core::{Bar, Date};
use serde_json::Value;

use super::url::{encode_component, url_host};
use super::{finish, normalise_base, number, parse_json, schema, strip_secrets};
use super::{Duplicates, Expect, FetchRequest, Fetched, HttpClient, Provider, SourceKind};
use crate::validate::Values;
use crate::IngestError;

/// The production host.
pub(super) const DEFAULT_BASE_URL: &str = "https://api.coingecko.com";

/// CoinGecko's `market_chart/range` endpoint.
#[derive(Clone)]
pub struct CoinGeckoProvider {
    base: String,
    api_key: Option<String>,
}

impl std::fmt::Debug for CoinGeckoProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoinGeckoProvider")
            .field("base", &self.base)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for CoinGeckoProvider {
    fn default() -> Self {
        CoinGeckoProvider::new()
    }
}

impl CoinGeckoProvider {
    /// The provider for the production host, without a key.
    pub fn new() -> CoinGeckoProvider {
        CoinGeckoProvider::with_base_url(DEFAULT_BASE_URL)
    }

    /// The provider for another host (a mirror or a test server).
    pub fn with_base_url(base: impl Into<String>) -> CoinGeckoProvider {
        CoinGeckoProvider { base: normalise_base(base), api_key: None }
    }

    /// Send this demo-plan key as the `x-cg-demo-api-key` header (a header,
    /// so it never appears in URLs); empty means none.
    pub fn api_key(self, key: impl Into<String>) -> CoinGeckoProvider {
        let key = key.into().trim().to_string();
        CoinGeckoProvider { api_key: (!key.is_empty()).then_some(key), ..self }
    }

    /// The request URL; `to` ends one second before the next UTC day.
    pub fn url(&self, req: &FetchRequest, today: Date) -> String {
        let from = req.from.map_or(0, Date::unix_seconds);
        let to = req.to.unwrap_or(today).add_days(1).unix_seconds() - 1;
        format!(
            "{}/api/v3/coins/{}/market_chart/range?vs_currency=usd&from={from}&to={to}",
            self.base,
            encode_component(req.symbol.trim())
        )
    }
}

impl Provider for CoinGeckoProvider {
    fn kind(&self) -> SourceKind {
        SourceKind::CoinGecko
    }

    fn host(&self) -> &str {
        url_host(&self.base)
    }

    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        let url = self.url(req, http.today());
        let body = match &self.api_key {
            Some(key) => http.get_with_headers(&url, &[("x-cg-demo-api-key", key)], Expect::Json)?,
            None => http.get(&url, Expect::Json)?,
        };
        let json = parse_json(&body, &url, "prices, market_caps and total_volumes")?;
        let (bars, caps) = parse_market_chart(&json).map_err(|p| schema(&url, p))?;
        let bars = finish(bars, req, &url, Duplicates::KeepFirst, http.today(), Values::Positive)?;
        let market_caps = caps.into_iter().filter(|(d, _)| bars.binary_search_by_key(d, |b| b.date).is_ok()).collect();
        Ok(Fetched { bars, url: strip_secrets(&url), unit: None, market_caps })
    }
}

/// `[[ms, value], ...]` as (ms, value) pairs, nulls dropped.
fn points(json: &Value, key: &str) -> Result<Option<Vec<(i64, f64)>>, String> {
    let Some(list) = json.get(key) else { return Ok(None) };
    let list = list.as_array().ok_or_else(|| format!("expected {key}: [[ms, value], ...]"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let pair = p
            .as_array()
            .filter(|a| a.len() >= 2)
            .ok_or_else(|| format!("{key}[{i}]: expected [ms, value], got {p}"))?;
        let ms = pair[0].as_f64().ok_or_else(|| format!("{key}[{i}]: expected a timestamp in ms, got {}", pair[0]))?;
        if let Some(v) = number(&pair[1]).map_err(|e| format!("{key}[{i}]: {e}"))? {
            out.push((ms as i64, v));
        }
    }
    Ok(Some(out))
}

/// Market capitalisation per date.
type Caps = Vec<(Date, f64)>;

/// Bars (first point of each UTC date) and market caps per date.
fn parse_market_chart(json: &Value) -> Result<(Vec<Bar>, Caps), String> {
    let mut prices = points(json, "prices")?.ok_or("expected prices: [[ms, price], ...]")?;
    let volumes: HashMap<i64, f64> = points(json, "total_volumes")?.unwrap_or_default().into_iter().collect();
    let mut caps = points(json, "market_caps")?.unwrap_or_default();
    prices.sort_by_key(|(ms, _)| *ms);
    caps.sort_by_key(|(ms, _)| *ms);
    let date = |ms: i64| Date::from_unix_seconds(ms.div_euclid(1000));
    let bars = prices
        .iter()
        .map(|&(ms, price)| Bar { volume: volumes.get(&ms).copied(), ..Bar::value(date(ms), price) })
        .collect();
    let mut per_date: Vec<(Date, f64)> = Vec::new();
    for (ms, cap) in caps {
        if per_date.last().is_none_or(|(d, _)| *d != date(ms)) {
            per_date.push((date(ms), cap));
        }
    }
    Ok((bars, per_date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_point_of_each_date() {
        let json: Value = serde_json::from_str(
            r#"{"prices":[[1704067200000,42280.2],[1704153600000,44187.1],[1704196800123,45000.5]],
                "market_caps":[[1704067200000,8.28e11],[1704153600000,8.66e11],[1704196800123,8.8e11]],
                "total_volumes":[[1704067200000,1.2e10],[1704153600000,2.4e10],[1704196800123,3.0e10]]}"#,
        )
        .unwrap();
        let (bars, caps) = parse_market_chart(&json).unwrap();
        assert_eq!(bars.len(), 3);
        let kept = finish(
            bars,
            &FetchRequest::new("bitcoin"),
            "u",
            Duplicates::KeepFirst,
            "2024-01-03".parse().unwrap(),
            Values::Positive,
        )
        .unwrap();
        assert_eq!(kept.iter().map(|b| b.close).collect::<Vec<_>>(), vec![42280.2, 44187.1]);
        assert_eq!(kept[1].volume, Some(2.4e10));
        assert_eq!(caps, vec![("2024-01-01".parse().unwrap(), 8.28e11), ("2024-01-02".parse().unwrap(), 8.66e11)]);
    }

    #[test]
    fn url_ends_the_last_day() {
        let p = CoinGeckoProvider::with_base_url("http://h");
        let d = |s: &str| s.parse::<Date>().unwrap();
        let req = FetchRequest::new("bitcoin").range(Some(d("2024-01-01")), Some(d("2024-01-02")));
        assert_eq!(
            p.url(&req, d("2025-01-01")),
            "http://h/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=1704067200&to=1704239999"
        );
    }
}
