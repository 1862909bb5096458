//! Live providers, one per source, and the [`HttpClient`] they share.
//!
//! A provider turns a [`FetchRequest`] (symbol and inclusive date range)
//! into the source's documented request shape, follows its paging, and
//! returns daily [`Bar`]s in ascending, unique date order. Sources:
//!
//! | kind | provider | request |
//! |---|---|---|
//! | `yahoo` | [`YahooChartProvider`] | `/v8/finance/chart/{symbol}` |
//! | `fred` | [`FredProvider`] | `fredgraph.csv`, or `/fred/series/observations` with an API key |
//! | `binance` | [`BinanceKlinesProvider`] | `/api/v3/klines`, paged by `startTime` |
//! | `coingecko` | [`CoinGeckoProvider`] | `/api/v3/coins/{id}/market_chart/range` |
//! | `coinmetrics` | [`CoinMetricsProvider`] | `/v4/timeseries/asset-metrics`, paged by `next_page_url` |
//!
//! Every provider takes a base URL so that a mirror or a local test server
//! can stand in for the real host.

mod binance;
mod coingecko;
mod coinmetrics;
mod fred;
mod http;
mod response;
mod url;
mod yahoo;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use riskcurve_core::{Bar, Date, Unit};

pub use binance::BinanceKlinesProvider;
pub use coingecko::CoinGeckoProvider;
pub use coinmetrics::CoinMetricsProvider;
pub use fred::FredProvider;
pub use http::{Clock, Expect, HttpClient, HttpClientBuilder, SystemClock, USER_AGENT};
pub use response::{error_message, parse_retry_after};
pub use url::{encode_component, strip_secrets, url_host};
pub use yahoo::YahooChartProvider;

use crate::validate::{check_bars, Values};
use crate::IngestError;

/// Pages a paging provider follows before it stops with an error, so a
/// server that never stops paging cannot hold a run (Coin Metrics and
/// Binance take another limit with `max_pages`). 1,000 pages is 10 million
/// Coin Metrics rows or 2,700 years of Binance daily candles.
pub const MAX_PAGES: usize = 1_000;

/// The live sources riskcurve knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// Yahoo Finance chart API (equities, indices, ETFs, crypto pairs).
    Yahoo,
    /// FRED, St. Louis Fed (macro and liquidity series).
    Fred,
    /// Binance spot klines.
    Binance,
    /// CoinGecko market charts.
    CoinGecko,
    /// Coin Metrics community API.
    CoinMetrics,
}

impl SourceKind {
    /// All kinds, in a fixed order.
    pub const ALL: [SourceKind; 5] =
        [SourceKind::Yahoo, SourceKind::Fred, SourceKind::Binance, SourceKind::CoinGecko, SourceKind::CoinMetrics];

    /// The lowercase name (`"coingecko"`), as parsed and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Yahoo => "yahoo",
            SourceKind::Fred => "fred",
            SourceKind::Binance => "binance",
            SourceKind::CoinGecko => "coingecko",
            SourceKind::CoinMetrics => "coinmetrics",
        }
    }

    /// The production base URL.
    pub fn default_base_url(self) -> &'static str {
        match self {
            SourceKind::Yahoo => yahoo::DEFAULT_BASE_URL,
            SourceKind::Fred => fred::DEFAULT_GRAPH_BASE_URL,
            SourceKind::Binance => binance::DEFAULT_BASE_URL,
            SourceKind::CoinGecko => coingecko::DEFAULT_BASE_URL,
            SourceKind::CoinMetrics => coinmetrics::DEFAULT_BASE_URL,
        }
    }

    /// The environment variable that overrides the base URL in
    /// [`provider`] (`RISKCURVE_YAHOO_URL`, ...).
    pub fn url_env_var(self) -> &'static str {
        match self {
            SourceKind::Yahoo => "RISKCURVE_YAHOO_URL",
            SourceKind::Fred => "RISKCURVE_FRED_URL",
            SourceKind::Binance => "RISKCURVE_BINANCE_URL",
            SourceKind::CoinGecko => "RISKCURVE_COINGECKO_URL",
            SourceKind::CoinMetrics => "RISKCURVE_COINMETRICS_URL",
        }
    }

    /// True when the source can deliver dividend-adjusted prices
    /// ([`FetchRequest::adjusted`]): Yahoo's `adjclose`. The others quote
    /// crypto or macro series, which have no dividends.
    pub fn has_adjusted_close(self) -> bool {
        self == SourceKind::Yahoo
    }

    /// A request spacing that stays inside the vendor's published free-tier
    /// limit, for [`HttpClientBuilder::host_interval`]:
    /// Yahoo (unpublished; 2 per second is tolerated), FRED (120 per minute),
    /// Binance (6,000 weight per minute; a 1000-row kline page weighs 2),
    /// CoinGecko (the demo plan's 30 per minute), Coin Metrics community
    /// (10 per 6 seconds).
    pub fn polite_interval(self) -> Duration {
        match self {
            SourceKind::Yahoo => Duration::from_millis(500),
            SourceKind::Fred => Duration::from_millis(500),
            SourceKind::Binance => Duration::from_millis(100),
            SourceKind::CoinGecko => Duration::from_millis(2_100),
            SourceKind::CoinMetrics => Duration::from_millis(600),
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source name that is not one of [`SourceKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSource(pub String);

impl fmt::Display for UnknownSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown source {:?}: expected yahoo, fred, binance, coingecko or coinmetrics", self.0)
    }
}

impl std::error::Error for UnknownSource {}

impl FromStr for SourceKind {
    type Err = UnknownSource;

    /// Case-insensitive; `-`, `_` and spaces are ignored (`Coin-Gecko`).
    fn from_str(s: &str) -> Result<SourceKind, UnknownSource> {
        let key: String =
            s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).collect::<String>().to_ascii_lowercase();
        SourceKind::ALL.into_iter().find(|k| k.as_str() == key).ok_or_else(|| UnknownSource(s.to_string()))
    }
}

/// What to fetch: one symbol over an inclusive date range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// The source's own identifier: `"^RUT"` (Yahoo), `"WALCL"` (FRED),
    /// `"BTCUSDT"` (Binance), `"bitcoin"` (CoinGecko), `"btc"` (Coin Metrics).
    pub symbol: String,
    /// First date wanted (inclusive); `None` = from the source's start.
    pub from: Option<Date>,
    /// Last date wanted (inclusive); `None` = up to today.
    pub to: Option<Date>,
    /// Prices adjusted for dividends and splits (only sources with
    /// [`SourceKind::has_adjusted_close`]; the others ignore it, so callers
    /// check that first).
    pub adjusted: bool,
}

impl FetchRequest {
    /// The full history of `symbol`.
    pub fn new(symbol: impl Into<String>) -> FetchRequest {
        FetchRequest { symbol: symbol.into(), from: None, to: None, adjusted: false }
    }

    /// The same request limited to `from..=to` (either end open when `None`).
    pub fn range(self, from: Option<Date>, to: Option<Date>) -> FetchRequest {
        FetchRequest { from, to, ..self }
    }

    /// The same request for dividend- and split-adjusted prices (`true`) or
    /// the traded ones (`false`, the default).
    pub fn adjusted(self, adjusted: bool) -> FetchRequest {
        FetchRequest { adjusted, ..self }
    }
}

/// What a fetch returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    /// Daily bars, ascending and unique by date, within the requested range.
    pub bars: Vec<Bar>,
    /// The first request URL for the data (metadata requests aside), with
    /// API keys removed: provenance for the store.
    pub url: String,
    /// The unit, when the source states it (FRED series metadata; USDT for
    /// a Binance `...USDT` pair).
    pub unit: Option<Unit>,
    /// Market capitalisation in USD per date, when the source gives it
    /// (CoinGecko); empty otherwise.
    pub market_caps: Vec<(Date, f64)>,
}

/// One live source.
pub trait Provider: Send + Sync {
    /// Which source this is.
    fn kind(&self) -> SourceKind;
    /// The host requests go to (`host` or `host:port`), the key of the
    /// client's per-host rate limit.
    fn host(&self) -> &str;
    /// Fetches daily bars for `req`.
    fn fetch(&self, req: &FetchRequest, http: &HttpClient) -> Result<Fetched, IngestError>;
}

/// The provider for `kind` at `base_url`; when `None`, the environment
/// variable [`SourceKind::url_env_var`] if set, else the production host.
///
/// FRED uses the API (with units) when `FRED_API_KEY` is set and the
/// `fredgraph.csv` download otherwise; CoinGecko sends `COINGECKO_API_KEY`
/// as a demo key when set.
pub fn provider(kind: SourceKind, base_url: Option<&str>) -> Box<dyn Provider> {
    let env = std::env::var(kind.url_env_var()).ok().filter(|v| !v.trim().is_empty());
    let base = base_url.map(str::to_string).or(env);
    let key = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match kind {
        SourceKind::Yahoo => Box::new(base.map_or_else(YahooChartProvider::new, YahooChartProvider::with_base_url)),
        SourceKind::Fred => {
            let p = base.map_or_else(FredProvider::new, FredProvider::with_base_url);
            Box::new(match key("FRED_API_KEY") {
                Some(k) => p.api_key(k),
                None => p,
            })
        }
        SourceKind::Binance => {
            Box::new(base.map_or_else(BinanceKlinesProvider::new, BinanceKlinesProvider::with_base_url))
        }
        SourceKind::CoinGecko => {
            let p = base.map_or_else(CoinGeckoProvider::new, CoinGeckoProvider::with_base_url);
            Box::new(match key("COINGECKO_API_KEY") {
                Some(k) => p.api_key(k),
                None => p,
            })
        }
        SourceKind::CoinMetrics => {
            Box::new(base.map_or_else(CoinMetricsProvider::new, CoinMetricsProvider::with_base_url))
        }
    }
}

/// How a provider resolves two bars on one date. Identical duplicates are
/// always one bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Duplicates {
    /// The earliest in vendor order wins (CoinGecko's 00:00 snapshot among
    /// its intraday points).
    KeepFirst,
    /// On the last date only, the latest wins (Yahoo's live bar repeating
    /// today's date); two different bars on any earlier date are refused.
    KeepLast,
    /// Two different bars on a date mean the response is not daily data.
    Reject,
}

/// Sorts bars by date (stable, so vendor order breaks ties), resolves
/// duplicate dates, keeps those within the request's range and checks what
/// is left as a file's bars are checked ([`check_bars`]): finite (and, for
/// [`Values::Positive`], positive) values, dates from 1800 to `today` + 1.
fn finish(
    bars: Vec<Bar>,
    req: &FetchRequest,
    url: &str,
    dup: Duplicates,
    today: Date,
    values: Values,
) -> Result<Vec<Bar>, IngestError> {
    let mut bars = bars;
    bars.sort_by_key(|b| b.date);
    let last_date = bars.last().map(|b| b.date);
    let mut out: Vec<Bar> = Vec::with_capacity(bars.len());
    for bar in bars {
        if req.from.is_some_and(|f| bar.date < f) || req.to.is_some_and(|t| bar.date > t) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.date == bar.date && *last == bar => {}
            Some(last) if last.date == bar.date => match dup {
                Duplicates::KeepFirst => {}
                Duplicates::KeepLast if Some(bar.date) == last_date => *last = bar,
                Duplicates::KeepLast | Duplicates::Reject => {
                    return Err(schema(
                        url,
                        format!(
                            "two different rows dated {} (closes {} and {}): expected one bar per day",
                            bar.date, last.close, bar.close
                        ),
                    ))
                }
            },
            _ => out.push(bar),
        }
    }
    check_bars(&out, today, values).map_err(|p| schema(url, p.problem))?;
    Ok(out)
}

/// A [`IngestError::Schema`] for `url` with its secrets removed.
fn schema(url: &str, problem: impl Into<String>) -> IngestError {
    IngestError::Schema { url: strip_secrets(url), problem: problem.into() }
}

/// Parses a JSON body or says what was expected.
fn parse_json(body: &str, url: &str, expected: &str) -> Result<serde_json::Value, IngestError> {
    serde_json::from_str(body).map_err(|e| schema(url, format!("expected JSON with {expected}: {e}")))
}

/// A number that vendors send either as JSON number or as a decimal
/// string (Binance, Coin Metrics); `null` is `None`.
fn number(v: &serde_json::Value) -> Result<Option<f64>, String> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| format!("number {n} out of range")),
        serde_json::Value::String(s) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!("{s:?} is not a number")),
        },
        other => Err(format!("{other} is not a number")),
    }
}

/// A base URL without its trailing slash.
fn normalise_base(base: impl Into<String>) -> String {
    base.into().trim().trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_kinds_round_trip() {
        for kind in SourceKind::ALL {
            assert_eq!(kind.to_string().parse::<SourceKind>().unwrap(), kind);
        }
        assert_eq!("Coin-Gecko".parse::<SourceKind>().unwrap(), SourceKind::CoinGecko);
        assert!("yahooo".parse::<SourceKind>().unwrap_err().to_string().contains("expected yahoo"));
    }

    #[test]
    fn finish_sorts_filters_and_resolves_duplicates() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let bars =
            vec![Bar::value(d("2024-01-03"), 3.0), Bar::value(d("2024-01-01"), 1.0), Bar::value(d("2024-01-03"), 4.0)];
        let all = FetchRequest::new("x");
        let today = d("2024-01-03");
        let fin = |bars: &[Bar], req: &FetchRequest, dup| finish(bars.to_vec(), req, "u", dup, today, Values::Positive);
        let first = fin(&bars, &all, Duplicates::KeepFirst).unwrap();
        assert_eq!(first.iter().map(|b| b.close).collect::<Vec<_>>(), vec![1.0, 3.0]);
        let last = fin(&bars, &all, Duplicates::KeepLast).unwrap();
        assert_eq!(last.iter().map(|b| b.close).collect::<Vec<_>>(), vec![1.0, 4.0]);
        assert!(fin(&bars, &all, Duplicates::Reject).is_err());
        let ranged = all.clone().range(Some(d("2024-01-02")), Some(d("2024-01-03")));
        assert_eq!(fin(&bars, &ranged, Duplicates::KeepFirst).unwrap().len(), 1);
        // Identical duplicates are one bar, whatever the policy.
        let same = [Bar::value(d("2024-01-01"), 1.0), Bar::value(d("2024-01-01"), 1.0)];
        assert_eq!(fin(&same, &all, Duplicates::Reject).unwrap().len(), 1);
    }

    /// Issue 11 item 2: conflicting duplicates (the last silently won), zero
    /// closes and bars far in the future were stored from providers.
    #[test]
    fn provider_rows_get_the_checks_file_rows_get() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let all = FetchRequest::new("x");
        let today = d("2024-01-03");
        let fin = |bars: Vec<Bar>, dup| finish(bars, &all, "http://h/x", dup, today, Values::Positive);
        let early_twice =
            vec![Bar::value(d("2024-01-01"), 1.0), Bar::value(d("2024-01-01"), 2.0), Bar::value(d("2024-01-02"), 2.0)];
        let err = fin(early_twice, Duplicates::KeepLast).unwrap_err();
        assert_eq!(
            err.to_string(),
            "http://h/x: unexpected response: two different rows dated 2024-01-01 (closes 1 and 2): expected one bar per day"
        );
        let zero = vec![Bar::value(d("2024-01-01"), 0.0)];
        assert!(fin(zero, Duplicates::Reject).unwrap_err().to_string().contains("close 0 is not a positive price"));
        let future = vec![Bar::value(d("2025-02-06"), 1.0)];
        assert!(fin(future, Duplicates::Reject)
            .unwrap_err()
            .to_string()
            .contains("bar on 2025-02-06 is in the future"));
        let negative_rate = vec![Bar::value(d("2024-01-01"), -0.5)];
        finish(negative_rate, &all, "u", Duplicates::Reject, today, Values::Any).unwrap();
    }
}
