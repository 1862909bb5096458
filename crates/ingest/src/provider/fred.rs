//! FRED (Federal Reserve Bank of St. Louis): macro and liquidity series.
//!
//! Without an API key, the graph download used by the website:
//! `GET {graph}/graph/fredgraph.csv?id={ID}&cosd={from}&coed={to}`, a CSV
//! with the header `observation_date,{ID}` (older downloads: `DATE,{ID}`)
//! where an empty value or `.` marks a missing day. It has no units.
//!
//! With an API key, the documented API:
//! 1. `GET {api}/fred/series?series_id={ID}&file_type=json&api_key=KEY` for
//!    `seriess[0].units` (`"Billions of Dollars"`) -> [`Fetched::unit`];
//! 2. `GET {api}/fred/series/observations?series_id={ID}&file_type=json&observation_start=..&observation_end=..&limit=100000&api_key=KEY`,
//!    then `&offset=N` while `offset + returned < count`; `"value":"."` is
//!    a missing observation.
//!
//! The key never reaches [`Fetched::url`] or an error message.

use riskcurve_core::{Bar, Date, Unit};
use serde_json::Value;

use super::url::{encode_component, url_host};
use super::MAX_PAGES;
use super::{finish, normalise_base, number, parse_json, schema, strip_secrets};
use super::{Duplicates, Expect, FetchRequest, Fetched, HttpClient, Provider, SourceKind};
use crate::validate::Values;
use crate::IngestError;

/// The production host of `fredgraph.csv`.
pub(super) const DEFAULT_GRAPH_BASE_URL: &str = "https://fred.stlouisfed.org";

/// The production host of the API.
pub(super) const DEFAULT_API_BASE_URL: &str = "https://api.stlouisfed.org";

/// FRED's largest page of observations.
const PAGE_LIMIT: usize = 100_000;

/// FRED, through `fredgraph.csv` or (with an API key) the JSON API.
#[derive(Clone)]
pub struct FredProvider {
    graph_base: String,
    api_base: String,
    api_key: Option<String>,
}

impl std::fmt::Debug for FredProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FredProvider")
            .field("graph_base", &self.graph_base)
            .field("api_base", &self.api_base)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for FredProvider {
    fn default() -> Self {
        FredProvider::new()
    }
}

impl FredProvider {
    /// The production hosts, no key (CSV downloads).
    pub fn new() -> FredProvider {
        FredProvider {
            graph_base: DEFAULT_GRAPH_BASE_URL.to_string(),
            api_base: DEFAULT_API_BASE_URL.to_string(),
            api_key: None,
        }
    }

    /// One host for both the CSV download and the API (a mirror or a test
    /// server).
    pub fn with_base_url(base: impl Into<String>) -> FredProvider {
        let base = normalise_base(base);
        FredProvider { graph_base: base.clone(), api_base: base, api_key: None }
    }

    /// A different API host (the CSV host is unchanged).
    pub fn api_base_url(self, base: impl Into<String>) -> FredProvider {
        FredProvider { api_base: normalise_base(base), ..self }
    }

    /// Use the JSON API with this key (units and paging); an empty key
    /// means no key.
    pub fn api_key(self, key: impl Into<String>) -> FredProvider {
        let key = key.into().trim().to_string();
        FredProvider { api_key: (!key.is_empty()).then_some(key), ..self }
    }

    fn fetch_csv(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        let id = req.symbol.trim();
        let mut url = format!("{}/graph/fredgraph.csv?id={}", self.graph_base, encode_component(id));
        if let Some(from) = req.from {
            url.push_str(&format!("&cosd={from}"));
        }
        if let Some(to) = req.to {
            url.push_str(&format!("&coed={to}"));
        }
        let body = http.get(&url, Expect::Csv)?;
        let bars = parse_csv(&body, id).map_err(|p| schema(&url, p))?;
        let bars = finish(bars, req, &url, Duplicates::Reject, http.today(), Values::Any)?;
        Ok(Fetched { bars, url: strip_secrets(&url), ..Fetched::default() })
    }

    fn fetch_json(&self, req: &FetchRequest, key: &str, http: &HttpClient) -> Result<Fetched, IngestError> {
        let id = encode_component(req.symbol.trim());
        let key = encode_component(key);
        let meta_url = format!("{}/fred/series?series_id={id}&file_type=json&api_key={key}", self.api_base);
        let meta = parse_json(&http.get(&meta_url, Expect::Json)?, &meta_url, "seriess[0].units")?;
        let unit = parse_units(&meta).map_err(|p| schema(&meta_url, p))?;

        let mut base = format!("{}/fred/series/observations?series_id={id}&file_type=json", self.api_base);
        if let Some(from) = req.from {
            base.push_str(&format!("&observation_start={from}"));
        }
        if let Some(to) = req.to {
            base.push_str(&format!("&observation_end={to}"));
        }
        base.push_str(&format!("&limit={PAGE_LIMIT}"));
        let first_url = format!("{base}&api_key={key}");
        let mut bars = Vec::new();
        let mut offset = 0usize;
        for _ in 0..MAX_PAGES {
            let url = match offset {
                0 => first_url.clone(),
                n => format!("{base}&offset={n}&api_key={key}"),
            };
            let json = parse_json(&http.get(&url, Expect::Json)?, &url, "observations")?;
            let page = parse_observations(&json, &mut bars).map_err(|p| schema(&url, p))?;
            let seen = offset + page.returned;
            if page.returned == 0 || page.count.is_none_or(|c| seen >= c) {
                let bars = finish(bars, req, &url, Duplicates::Reject, http.today(), Values::Any)?;
                return Ok(Fetched { bars, url: strip_secrets(&first_url), unit, ..Fetched::default() });
            }
            offset = seen;
        }
        Err(schema(&first_url, format!("more than {MAX_PAGES} pages of observations")))
    }
}

impl Provider for FredProvider {
    fn kind(&self) -> SourceKind {
        SourceKind::Fred
    }

    fn host(&self) -> &str {
        match self.api_key {
            Some(_) => url_host(&self.api_base),
            None => url_host(&self.graph_base),
        }
    }

    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError> {
        match &self.api_key {
            Some(key) => self.fetch_json(req, key, http),
            None => self.fetch_csv(req, http),
        }
    }
}

/// Bars from a `fredgraph.csv` body for series `id`.
fn parse_csv(body: &str, id: &str) -> Result<Vec<Bar>, String> {
    let mut lines = body.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
    let expected = || format!("expected the header \"observation_date,{id}\" (or \"DATE,{id}\")");
    let (_, header) = lines.next().ok_or_else(|| format!("{}, got an empty body", expected()))?;
    let cols: Vec<&str> =
        header.trim_start_matches('\u{feff}').split(',').map(|c| c.trim().trim_matches('"')).collect();
    let header_ok = cols.len() == 2
        && (cols[0].eq_ignore_ascii_case("observation_date") || cols[0].eq_ignore_ascii_case("date"))
        && cols[1].eq_ignore_ascii_case(id);
    if !header_ok {
        return Err(format!("{}, got {header:?}", expected()));
    }
    let mut bars = Vec::new();
    for (n, line) in lines {
        let fields: Vec<&str> = line.split(',').map(|c| c.trim().trim_matches('"')).collect();
        let [date, value] = fields.as_slice() else {
            return Err(format!("line {n}: expected date,value, got {line:?}"));
        };
        let date: Date = date.parse().map_err(|_| format!("line {n}: invalid date {date:?}"))?;
        if value.is_empty() || *value == "." {
            continue;
        }
        let value: f64 = match value.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => return Err(format!("line {n}: value {value:?} is not a number")),
        };
        bars.push(Bar::value(date, value));
    }
    Ok(bars)
}

/// `seriess[0].units` as a [`Unit`] (unknown spellings become
/// [`Unit::Other`]); `None` when the field is blank.
fn parse_units(meta: &Value) -> Result<Option<Unit>, String> {
    let units = meta.pointer("/seriess/0/units").ok_or("expected seriess[0].units")?;
    let units = units.as_str().ok_or("expected seriess[0].units to be a string")?;
    Ok(units.parse::<Unit>().ok())
}

/// What one observations page said about paging.
struct Page {
    returned: usize,
    count: Option<usize>,
}

/// Appends the page's observations to `bars` (skipping `"."`).
fn parse_observations(json: &Value, bars: &mut Vec<Bar>) -> Result<Page, String> {
    let observations =
        json.get("observations").and_then(Value::as_array).ok_or("expected observations: [{date, value}, ...]")?;
    for (i, obs) in observations.iter().enumerate() {
        let date =
            obs.get("date").and_then(Value::as_str).ok_or_else(|| format!("observations[{i}]: expected date"))?;
        let date: Date = date.parse().map_err(|_| format!("observations[{i}]: invalid date {date:?}"))?;
        let value = obs.get("value").ok_or_else(|| format!("observations[{i}]: expected value"))?;
        if value.as_str().is_some_and(|v| v.trim() == "." || v.trim().is_empty()) {
            continue;
        }
        let value = number(value).map_err(|e| format!("observations[{i}] ({date}): {e}"))?;
        if let Some(v) = value {
            bars.push(Bar::value(date, v));
        }
    }
    let count = json.get("count").and_then(Value::as_u64).map(|c| c as usize);
    Ok(Page { returned: observations.len(), count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_blanks_and_dots_are_missing() {
        let bars =
            parse_csv("DATE,RRPONTSYD\r\n2024-01-01,\r\n2024-01-02,.\r\n2024-01-03,5.250\r\n", "RRPONTSYD").unwrap();
        assert_eq!(bars, vec![Bar::value("2024-01-03".parse().unwrap(), 5.25)]);
    }

    #[test]
    fn csv_header_must_name_the_series() {
        let err = parse_csv("observation_date,WTREGEN\n2024-01-03,1\n", "WALCL").unwrap_err();
        assert!(err.contains("expected the header \"observation_date,WALCL\""), "{err}");
        let err = parse_csv("observation_date,WALCL\n2024-01-03,abc\n", "WALCL").unwrap_err();
        assert_eq!(err, "line 2: value \"abc\" is not a number");
    }

    #[test]
    fn debug_hides_the_key() {
        let p = FredProvider::new().api_key("SECRET");
        assert!(!format!("{p:?}").contains("SECRET"));
    }
}
