//! Live providers against a local scripted HTTP server.
//!
//! Success bodies are real recordings from `shared/fixtures` (see its
//! SOURCES.md) wherever one exists. Where none does (Binance 1d klines and
//! errors, CoinGecko `market_chart/range` success, later pages, outage
//! pages), bodies are written here in the shape of the real ones, and a
//! comment says so.
//!
//! The HTTP client runs with a [`TestClock`]: backoff and `Retry-After`
//! waits are recorded, not slept, and "today" is 2026-01-05 (after every
//! recorded fixture: a bar after "today" + 1 is refused). Timeouts are
//! real (300 ms), so the timeout tests take a fraction of a second.

mod replay;

use std::sync::Arc;
use std::time::{Duration, Instant};

use replay::{fixture, Reply, Server, TestClock};
use riskcurve_core::{Bar, Date, Unit};
use riskcurve_ingest::provider::{
    provider, BinanceKlinesProvider, Clock, CoinGeckoProvider, CoinMetricsProvider, FetchRequest, Fetched,
    FredProvider, HttpClient, Provider, SourceKind, USER_AGENT,
};
use riskcurve_ingest::IngestError;
use serde_json::{json, Value};

/// 2026-01-05 12:00:00 UTC: "today" for requests without an end date, after
/// the last date of every recorded fixture.
const NOW: u64 = 1_767_614_400;

const DAY_MS: i64 = 86_400_000;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn req(symbol: &str, from: &str, to: &str) -> FetchRequest {
    FetchRequest::new(symbol).range(Some(d(from)), Some(d(to)))
}

/// Short timeouts (300 ms), two retries, 10 ms backoff on a recording clock.
fn client(clock: &Arc<TestClock>) -> HttpClient {
    HttpClient::builder()
        .timeout(ms(300))
        .connect_timeout(ms(300))
        .max_retries(2)
        .backoff_base(ms(10))
        .backoff_max(ms(40))
        .clock(clock.clone())
        .build()
}

struct Run {
    result: Result<Fetched, IngestError>,
    server: Server,
    clock: Arc<TestClock>,
}

impl Run {
    fn ok(&self) -> &Fetched {
        match &self.result {
            Ok(f) => f,
            Err(e) => panic!("expected success, got {e}"),
        }
    }

    fn err(&self) -> &IngestError {
        match &self.result {
            Ok(f) => panic!("expected an error, got {} bars", f.bars.len()),
            Err(e) => e,
        }
    }

    fn targets(&self) -> Vec<String> {
        self.server.targets()
    }
}

fn run(make: impl FnOnce(&str) -> Box<dyn Provider>, request: &FetchRequest, script: Vec<Reply>) -> Run {
    let server = Server::start(script);
    let clock = TestClock::at(NOW);
    let provider = make(&server.url());
    let result = provider.fetch(request, &client(&clock));
    Run { result, server, clock }
}

fn yahoo(base: &str) -> Box<dyn Provider> {
    provider(SourceKind::Yahoo, Some(base))
}

/// FRED without a key (CSV); built directly so that a `FRED_API_KEY` in the
/// environment cannot switch it to the API.
fn fred_csv(base: &str) -> Box<dyn Provider> {
    Box::new(FredProvider::with_base_url(base))
}

fn fred_api(base: &str) -> Box<dyn Provider> {
    Box::new(FredProvider::with_base_url(base).api_key("SECRETKEY123"))
}

fn binance(base: &str) -> Box<dyn Provider> {
    provider(SourceKind::Binance, Some(base))
}

fn coingecko(base: &str) -> Box<dyn Provider> {
    Box::new(CoinGeckoProvider::with_base_url(base))
}

fn coinmetrics(base: &str) -> Box<dyn Provider> {
    provider(SourceKind::CoinMetrics, Some(base))
}

fn closes(f: &Fetched) -> Vec<f64> {
    f.bars.iter().map(|b| b.close).collect()
}

fn dates(f: &Fetched) -> Vec<String> {
    f.bars.iter().map(|b| b.date.to_string()).collect()
}

fn assert_http(err: &IngestError, want_status: u16, want_message: &str) {
    match err {
        IngestError::Http { status, message, .. } => {
            assert_eq!(*status, want_status, "{err}");
            assert_eq!(message, want_message, "{err}");
        }
        other => panic!("expected HTTP {want_status}, got {other:?}"),
    }
}

fn assert_schema(err: &IngestError, needle: &str) {
    match err {
        IngestError::Schema { problem, .. } => assert!(problem.contains(needle), "{problem:?} lacks {needle:?}"),
        other => panic!("expected a schema error mentioning {needle:?}, got {other:?}"),
    }
}

fn json_fixture(rel: &str) -> Value {
    serde_json::from_slice(&fixture(rel)).unwrap()
}

/// A kline in Binance's 12-field layout (written here: no 1d recording).
fn kline(date: Date, close: f64) -> Value {
    let open_ms = date.unix_seconds() * 1000;
    json!([
        open_ms,
        format!("{:.8}", close - 1.0),
        format!("{:.8}", close + 2.0),
        format!("{:.8}", close - 3.0),
        format!("{close:.8}"),
        "12.50000000",
        open_ms + DAY_MS - 1,
        "750000.00000000",
        1234,
        "6.00000000",
        "360000.00000000",
        "0"
    ])
}

/// The real Binance fixture (BTCUSDT 1m, 2021-10-22) with its open and
/// close times moved onto consecutive days from 2021-10-22, so it reads as
/// the 1d response it stands in for; every price and volume is untouched.
fn binance_daily_fixture() -> Value {
    let mut rows = json_fixture("binance/klines_btcusdt_1m_10rows_pretty.json");
    let first = d("2021-10-22").unix_seconds() * 1000;
    for (i, row) in rows.as_array_mut().unwrap().iter_mut().enumerate() {
        let open = first + i as i64 * DAY_MS;
        row[0] = json!(open);
        row[6] = json!(open + DAY_MS - 1);
    }
    rows
}

/// A `market_chart/range` body, written here in the shape of CoinGecko's
/// documented response (no success recording exists): daily points at
/// 00:00 UTC for 2024-01-01..04 and a final intraday point on 01-04.
fn coingecko_body() -> String {
    let day = |s: &str| d(s).unix_seconds() * 1000;
    let intraday = day("2024-01-04") + 55_631_123; // 15:27:11.123 UTC
    json!({
        "prices": [[day("2024-01-01"), 42280.23], [day("2024-01-02"), 44187.14], [day("2024-01-03"), 44961.60],
                   [day("2024-01-04"), 42848.18], [intraday, 44150.95]],
        "market_caps": [[day("2024-01-01"), 8.28e11], [day("2024-01-02"), 8.66e11], [day("2024-01-03"), 8.81e11],
                        [day("2024-01-04"), 8.39e11], [intraday, 8.65e11]],
        "total_volumes": [[day("2024-01-01"), 1.12e10], [day("2024-01-02"), 2.43e10], [day("2024-01-03"), 3.19e10],
                          [day("2024-01-04"), 4.54e10], [intraday, 3.01e10]]
    })
    .to_string()
}

/// The Coin Metrics vendor example without its `next_page_url`: one page.
fn coinmetrics_single_page() -> String {
    let mut page = json_fixture("coinmetrics/vendor_example_asset_metrics_daily_btc_2rows_next_page.json");
    let obj = page.as_object_mut().unwrap();
    obj.remove("next_page_url");
    obj.remove("next_page_token");
    page.to_string()
}

/// A Cloudflare-style outage page, written here in the shape such pages
/// have (doctype, title, challenge text); no recording exists.
const CLOUDFLARE_HTML: &str = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>Just a moment...</title>\n\
<meta http-equiv=\"refresh\" content=\"35\">\n</head>\n<body><h1>Checking your browser before accessing the site.</h1>\n\
<p>This process is automatic.</p><p>Ray ID: 7c2b1f9e8d6a4b3c &bull; Cloudflare</p></body>\n</html>\n";

/// One provider with one known-good response, for the behaviours every
/// provider must share (retries, timeouts, HTML pages).
struct Case {
    name: &'static str,
    make: fn(&str) -> Box<dyn Provider>,
    request: FetchRequest,
    ok: Reply,
    bars: usize,
    expect: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "yahoo",
            make: yahoo,
            request: req("BTC-USD", "2020-01-01", "2020-01-03"),
            ok: Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json")),
            bars: 3,
            expect: "JSON",
        },
        Case {
            name: "fred",
            make: fred_csv,
            request: req("WALCL", "2007-01-01", "2025-11-12"),
            ok: Reply::csv(200, fixture("fred/fredgraph_walcl.csv")),
            bars: 985,
            expect: "CSV",
        },
        Case {
            name: "binance",
            make: binance,
            request: req("BTCUSDT", "2021-10-22", "2021-10-31"),
            ok: Reply::json(200, binance_daily_fixture().to_string()),
            bars: 10,
            expect: "JSON",
        },
        Case {
            name: "coingecko",
            make: coingecko,
            request: req("bitcoin", "2024-01-01", "2024-01-04"),
            ok: Reply::json(200, coingecko_body()),
            bars: 4,
            expect: "JSON",
        },
        Case {
            name: "coinmetrics",
            make: coinmetrics,
            request: req("btc", "2020-02-29", "2020-03-01"),
            ok: Reply::json(200, coinmetrics_single_page()),
            bars: 2,
            expect: "JSON",
        },
    ]
}

// ---------------------------------------------------------------------------
// Behaviour every provider shares
// ---------------------------------------------------------------------------

#[test]
fn every_provider_waits_out_retry_after_on_429_then_succeeds() {
    for case in cases() {
        // CoinGecko's documented 429 body; the other vendors send similar JSON.
        let limited =
            Reply::json(429, r#"{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}}"#)
                .header("Retry-After", "2");
        let r = run(case.make, &case.request, vec![limited, case.ok.clone()]);
        assert_eq!(r.ok().bars.len(), case.bars, "{}", case.name);
        let targets = r.targets();
        assert_eq!(targets.len(), 2, "{}", case.name);
        assert_eq!(targets[0], targets[1], "{}: the retry repeats the request", case.name);
        assert_eq!(r.clock.sleeps(), vec![Duration::from_secs(2)], "{}", case.name);
    }
}

#[test]
fn every_provider_retries_a_5xx_then_succeeds() {
    for case in cases() {
        let r = run(case.make, &case.request, vec![Reply::json(500, r#"{"error":"internal"}"#), case.ok.clone()]);
        assert_eq!(r.ok().bars.len(), case.bars, "{}", case.name);
        assert_eq!(r.targets().len(), 2, "{}", case.name);
        let sleeps = r.clock.sleeps();
        assert_eq!(sleeps.len(), 1, "{}", case.name);
        assert!(sleeps[0] >= ms(5) && sleeps[0] <= ms(10), "{}: backoff {:?}", case.name, sleeps[0]);
    }
}

#[test]
fn every_provider_gives_up_after_max_retries_of_5xx() {
    for case in cases() {
        let bad = Reply::json(502, r#"{"error":"upstream connect error"}"#);
        let r = run(case.make, &case.request, vec![bad.clone(), bad.clone(), bad]);
        assert_http(r.err(), 502, "upstream connect error");
        assert!(r.err().is_retryable(), "{}", case.name);
        assert_eq!(r.targets().len(), 3, "{}: one try and two retries", case.name);
        let sleeps = r.clock.sleeps();
        assert_eq!(sleeps.len(), 2, "{}", case.name);
        assert!(sleeps[0] >= ms(5) && sleeps[0] <= ms(10), "{}: {sleeps:?}", case.name);
        assert!(sleeps[1] >= ms(10) && sleeps[1] <= ms(20), "{}: {sleeps:?}", case.name);
    }
}

#[test]
fn every_provider_retries_after_a_timeout() {
    for case in cases() {
        let slow = case.ok.clone().delayed(ms(1_500));
        let started = Instant::now();
        let r = run(case.make, &case.request, vec![slow, case.ok.clone()]);
        assert_eq!(r.ok().bars.len(), case.bars, "{}", case.name);
        assert_eq!(r.targets().len(), 2, "{}", case.name);
        assert!(started.elapsed() < ms(1_300), "{}: the client must not wait for the slow reply", case.name);
    }
}

#[test]
fn every_provider_retries_a_dropped_connection() {
    for case in cases() {
        let r = run(case.make, &case.request, vec![Reply::Close, case.ok.clone()]);
        assert_eq!(r.ok().bars.len(), case.bars, "{}", case.name);
        assert_eq!(r.targets().len(), 2, "{}", case.name);
    }
}

#[test]
fn every_provider_refuses_an_html_page_served_as_200() {
    for case in cases() {
        let r = run(case.make, &case.request, vec![Reply::html(200, CLOUDFLARE_HTML)]);
        assert_schema(r.err(), &format!("got an HTML page (title \"Just a moment...\"), not {}", case.expect));
        assert!(!r.err().is_retryable(), "{}", case.name);
        assert_eq!(r.targets().len(), 1, "{}", case.name);
    }
}

#[test]
fn every_provider_reports_an_html_503_after_retries() {
    for case in cases() {
        let page = Reply::html(503, CLOUDFLARE_HTML);
        let r = run(case.make, &case.request, vec![page.clone(), page.clone(), page]);
        assert_http(r.err(), 503, "got an HTML page (title \"Just a moment...\")");
        assert_eq!(r.targets().len(), 3, "{}", case.name);
    }
}

// ---------------------------------------------------------------------------
// HttpClient details
// ---------------------------------------------------------------------------

#[test]
fn timeout_is_a_transport_error() {
    let server = Server::start(vec![Reply::json(200, "{}").delayed(ms(1_000))]);
    let clock = TestClock::at(NOW);
    let http = HttpClient::builder().timeout(ms(200)).max_retries(0).clock(clock).build();
    let started = Instant::now();
    let err = yahoo(&server.url()).fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert!(started.elapsed() < ms(900));
    match &err {
        IngestError::Transport { url, problem } => {
            assert!(problem.contains("timed out"), "{problem}");
            assert!(url.contains("/v8/finance/chart/%5ERUT?"), "{url}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
}

// ---------------------------------------------------------------------------
// Offline: unreachable hosts are tried once per client (issue 11, item 7)
// ---------------------------------------------------------------------------

fn assert_unreachable(err: &IngestError, want_host: &str, needle: &str) {
    match err {
        IngestError::Unreachable { host, problem } => {
            assert_eq!(host, want_host, "{err}");
            assert!(problem.contains(needle), "{problem:?} lacks {needle:?}");
        }
        other => panic!("expected {want_host} unreachable, got {other:?}"),
    }
    assert!(err.is_offline() && !err.is_retryable(), "{err}");
}

#[test]
fn offline_refused_connection_is_not_retried_and_fails_the_host_once() {
    // Bind and drop a listener: its port is then (almost surely) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let host = format!("127.0.0.1:{port}");
    let clock = TestClock::at(NOW);
    let http = client(&clock);
    let p = yahoo(&format!("http://{host}"));
    let err = p.fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert_unreachable(&err, &host, "connection refused");
    assert_eq!(err.to_string().lines().count(), 1, "{err}");
    assert_eq!(http.attempts(), 1, "a refused connection is not retried");
    assert!(clock.sleeps().is_empty(), "no backoff");

    // Later requests to the host, from any handle on the client, fail
    // without a connection attempt.
    let err = p.fetch(&FetchRequest::new("^GSPC"), &http.with_deadline(Duration::from_secs(60))).unwrap_err();
    assert_unreachable(&err, &host, "not tried again");
    assert_eq!(http.attempts(), 1);
    assert_eq!(http.unreachable_hosts(), vec![host]);

    // Other hosts are still asked.
    let server = Server::start(vec![Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json"))]);
    let f = yahoo(&server.url()).fetch(&req("BTC-USD", "2020-01-01", "2020-01-03"), &http).unwrap();
    assert_eq!(f.bars.len(), 3);
    assert_eq!(http.attempts(), 2);
}

#[test]
fn offline_dns_failure_is_not_retried_and_fails_the_host_once() {
    // `.invalid` never resolves (RFC 6761); in the sandbox, as offline, the
    // lookup fails at once ("name or service not known"). Only the error
    // kind and the attempt count are asserted, not the resolver's words.
    let host = "riskcurve-test.invalid";
    let clock = TestClock::at(NOW);
    let http = client(&clock);
    let p = coinmetrics(&format!("http://{host}/"));
    let err = p.fetch(&FetchRequest::new("btc"), &http).unwrap_err();
    assert_unreachable(&err, host, "dns lookup failed");
    assert!(err.to_string().starts_with("riskcurve-test.invalid: unreachable: dns lookup failed"), "{err}");
    let err = p.fetch(&FetchRequest::new("eth"), &http).unwrap_err();
    assert_unreachable(&err, host, "not tried again");
    assert_eq!(http.attempts(), 1, "one lookup for two requests");
    assert!(clock.sleeps().is_empty(), "no backoff");
}

#[test]
fn connection_dropped_mid_request_is_still_retried() {
    // Not every transport error means offline: a host that accepted the
    // connection is up.
    let server = Server::start(vec![Reply::Close, Reply::Close, Reply::Close]);
    let clock = TestClock::at(NOW);
    let http = client(&clock);
    let err = yahoo(&server.url()).fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert!(matches!(err, IngestError::Transport { .. }) && !err.is_offline(), "{err:?}");
    assert_eq!(http.attempts(), 3);
    assert!(http.unreachable_hosts().is_empty());
}

// ---------------------------------------------------------------------------
// Deadlines: retries and waits end with the budget (issue 11, item 7)
// ---------------------------------------------------------------------------

fn assert_deadline(err: &IngestError, budget: &str, needle: &str) {
    let text = err.to_string();
    assert!(matches!(err, IngestError::Deadline { .. }), "{err:?}");
    assert!(text.contains(&format!("deadline of {budget} exceeded")), "{text}");
    assert!(text.contains(needle), "{text:?} lacks {needle:?}");
    assert!(!err.is_retryable() && !err.is_offline());
}

#[test]
fn retries_of_a_503_forever_stop_at_the_run_deadline() {
    // --timeout bounded one attempt only: 5 tries with backoff per source.
    let server = Server::start(vec![Reply::json(503, r#"{"error":"maintenance"}"#); 50]);
    let clock = TestClock::at(NOW);
    let http = HttpClient::builder()
        .max_retries(100)
        .backoff_base(Duration::from_secs(1))
        .backoff_max(Duration::from_secs(8))
        .deadline(Duration::from_secs(10))
        .clock(clock.clone())
        .build();
    let err = yahoo(&server.url()).fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert_deadline(&err, "10 s", "/v8/finance/chart/%5ERUT?");
    assert!(err.to_string().contains("last error: HTTP 503: maintenance"), "{err}");
    let attempts = server.targets().len();
    assert_eq!(http.attempts(), attempts as u64);
    // Backoff 0.5-1, 1-2, 2-4, 4-8 s: four or five tries fit in 10 s.
    assert!((4..=5).contains(&attempts), "{attempts} attempts");
    let slept: Duration = clock.sleeps().iter().sum();
    assert!(slept < Duration::from_secs(10), "slept {slept:?}: no sleep past the deadline");
    assert!(matches!(err, IngestError::Deadline { attempts: a, .. } if a as usize == attempts), "{err:?}");
}

#[test]
fn series_deadline_stops_retry_after_waits_and_never_outlives_the_run() {
    let busy = Reply::json(503, r#"{"error":"busy"}"#).header("Retry-After", "3");
    let server = Server::start(vec![busy; 20]);
    let clock = TestClock::at(NOW);
    let http = HttpClient::builder().max_retries(100).clock(clock.clone()).build();
    let p = yahoo(&server.url());
    // Tries at 0, 3, 6 and 9 s; the next turn, at 12 s, is past 10 s.
    let err = p.fetch(&FetchRequest::new("^RUT"), &http.with_deadline(Duration::from_secs(10))).unwrap_err();
    assert_deadline(&err, "10 s", "after 4 attempts; last error: HTTP 503: busy");
    assert_eq!(server.targets().len(), 4);
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(3); 3]);

    // The run's deadline (5 s from build, at virtual 0 s) has passed: a
    // longer series budget does not extend it, and nothing is sent.
    let run = HttpClient::builder().deadline(Duration::from_secs(5)).clock(clock.clone()).build();
    clock.sleep(Duration::from_secs(6));
    let err = p.fetch(&FetchRequest::new("^GSPC"), &run.with_deadline(Duration::from_secs(60))).unwrap_err();
    assert_deadline(&err, "5 s", "before the request could start");
    assert_eq!(run.attempts(), 0);
    assert_eq!(server.targets().len(), 4);
}

#[test]
fn an_attempt_is_cut_to_the_time_left_before_the_deadline() {
    // The real clock: a 5 s timeout, a reply after 3 s, a 300 ms budget.
    let server = Server::start(vec![Reply::json(200, "{}").delayed(Duration::from_secs(3))]);
    let http = HttpClient::builder().timeout(Duration::from_secs(5)).deadline(ms(300)).build();
    let started = Instant::now();
    let err = yahoo(&server.url()).fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert_deadline(&err, "0.3 s", "after 1 attempt; last error: timed out after");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn dropped_connection_is_a_transport_error() {
    let server = Server::start(vec![Reply::Close]);
    let http = HttpClient::builder().max_retries(0).clock(TestClock::at(NOW)).build();
    let err = yahoo(&server.url()).fetch(&FetchRequest::new("^RUT"), &http).unwrap_err();
    assert!(matches!(&err, IngestError::Transport { problem, .. } if problem.contains("EOF")), "{err:?}");
}

#[test]
fn retry_after_as_http_date() {
    let limited = Reply::json(429, "{}").header("Retry-After", "Mon, 05 Jan 2026 12:00:03 GMT");
    let ok = Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json"));
    let r = run(yahoo, &req("BTC-USD", "2020-01-01", "2020-01-03"), vec![limited, ok]);
    assert_eq!(r.ok().bars.len(), 3);
    assert_eq!(r.clock.sleeps(), vec![Duration::from_secs(3)]);
}

#[test]
fn retry_after_beyond_the_cap_is_returned_at_once() {
    let limited = Reply::json(429, "{}").header("Retry-After", "3600");
    let r = run(yahoo, &FetchRequest::new("^RUT"), vec![limited]);
    assert!(matches!(r.err(), IngestError::RateLimited { retry_after: Some(3600), .. }), "{:?}", r.err());
    assert_eq!(r.targets().len(), 1);
    assert!(r.clock.sleeps().is_empty());
}

#[test]
fn repeated_429_without_retry_after_ends_rate_limited() {
    let limited = Reply::json(429, "{}");
    let r = run(yahoo, &FetchRequest::new("^RUT"), vec![limited.clone(), limited.clone(), limited]);
    assert!(matches!(r.err(), IngestError::RateLimited { retry_after: None, .. }), "{:?}", r.err());
    assert_eq!(r.targets().len(), 3);
}

#[test]
fn binance_ban_418_with_long_retry_after_is_rate_limited() {
    // Binance's documented ban answer (written here: no recording).
    let banned =
        Reply::json(418, r#"{"code":-1003,"msg":"Way too much request weight used; IP banned until 1719838800000."}"#)
            .header("Retry-After", "3600");
    let r = run(binance, &FetchRequest::new("BTCUSDT"), vec![banned]);
    assert!(matches!(r.err(), IngestError::RateLimited { retry_after: Some(3600), .. }), "{:?}", r.err());
}

#[test]
fn per_host_interval_spaces_requests() {
    let ok = Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json"));
    let server = Server::start(vec![ok.clone(), ok]);
    let p = yahoo(&server.url());
    assert_eq!(p.host(), server.host());
    let clock = TestClock::at(NOW);
    let http = HttpClient::builder().host_interval(p.host(), Duration::from_secs(1)).clock(clock.clone()).build();
    let request = req("BTC-USD", "2020-01-01", "2020-01-03");
    p.fetch(&request, &http).unwrap();
    p.fetch(&request, &http).unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(1)], "only the second request waits");
}

#[test]
fn parallel_fetches_share_the_host_rate_limit() {
    let ok = Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json"));
    let server = Server::start(vec![ok; 4]);
    let p = yahoo(&server.url());
    let http = HttpClient::builder().min_interval(ms(100)).build();
    let request = req("BTC-USD", "2020-01-01", "2020-01-03");
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(p.fetch(&request, &http).unwrap().bars.len(), 3));
        }
    });
    // Four requests 100 ms apart: the last starts at least 300 ms in.
    assert!(started.elapsed() >= ms(300), "{:?}", started.elapsed());
    assert_eq!(server.targets().len(), 4);
}

#[test]
fn sends_the_riskcurve_user_agent() {
    let r = run(
        yahoo,
        &req("BTC-USD", "2020-01-01", "2020-01-03"),
        vec![Reply::json(200, fixture("yahoo/chart_btc-usd_1d_3rows.json"))],
    );
    r.ok();
    assert_eq!(r.server.requests()[0].header("user-agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("riskcurve/"));
}

// ---------------------------------------------------------------------------
// Yahoo
// ---------------------------------------------------------------------------

#[test]
fn yahoo_gspc_matches_us_trading_days_and_prices() {
    let r = run(
        yahoo,
        &req("^GSPC", "2023-01-03", "2024-06-28"),
        vec![Reply::json(200, fixture("yahoo/chart_gspc_1d_2023-01-03_to_2024-06-28.json"))],
    );
    let expected_path = "/v8/finance/chart/%5EGSPC?interval=1d&period1=1672704000&period2=1719619200&events=div%7Csplit&includeAdjustedClose=true";
    assert_eq!(r.targets(), vec![expected_path.to_string()]);
    let f = r.ok();
    assert_eq!(f.url, format!("{}{expected_path}", r.server.url()));
    assert_eq!(f.unit, None);
    assert_eq!(f.bars.len(), 374);

    // The independent heliar S&P 500 file has the same sessions and closes
    // (Yahoo sends float32s of the 2-decimal prices).
    let heliar =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/spx_daily_heliar.csv"))
            .unwrap();
    let reference: Vec<(Date, f64)> = heliar
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            Some((cols[0].parse().ok()?, cols[4].parse().ok()?))
        })
        .filter(|(date, _)| *date >= d("2023-01-03") && *date <= d("2024-06-28"))
        .collect();
    assert_eq!(reference.len(), 374);
    for (bar, (date, close)) in f.bars.iter().zip(&reference) {
        assert_eq!(bar.date, *date);
        assert!((bar.close - close).abs() < 0.005, "{date}: {} vs {close}", bar.close);
    }
    assert!(f.bars.iter().all(|b| !b.date.is_weekend()));
    let on = |s: &str| f.bars.iter().find(|b| b.date == d(s)).copied();
    assert!(on("2023-01-16").is_none(), "MLK day");
    assert!(on("2023-07-04").is_none(), "Independence Day");
    assert!(on("2024-03-29").is_none(), "Good Friday");
    assert!(on("2023-07-03").is_some(), "half day");
    let first = f.bars[0];
    assert_eq!(first.date, d("2023-01-03"));
    assert_eq!(first.open, Some(3853.2900390625));
    assert_eq!(first.close, 3824.139892578125);
    assert_eq!(first.volume, Some(3959140000.0));
    assert!(first.is_consistent());
    let last = f.bars[373];
    assert_eq!((last.date, last.close), (d("2024-06-28"), 5460.47998046875));
}

#[test]
fn yahoo_btc_skips_all_null_rows() {
    let r = run(
        yahoo,
        &req("BTC-USD", "2020-01-01", "2021-01-04"),
        vec![Reply::json(200, fixture("yahoo/chart_btc-usd_1d_2020_with_null_rows.json"))],
    );
    assert!(r.targets()[0].starts_with("/v8/finance/chart/BTC-USD?interval=1d&period1=1577836800&period2=1609804800&"));
    let f = r.ok();
    assert_eq!(f.bars.len(), 370 - 4);
    let dates = dates(f);
    for null_day in ["2020-04-17", "2020-10-09", "2020-10-12", "2020-10-13"] {
        assert!(!dates.contains(&null_day.to_string()), "{null_day}");
    }
    assert!(dates.contains(&"2020-04-16".to_string()) && dates.contains(&"2020-04-18".to_string()));
    assert_eq!((f.bars[0].date, f.bars[0].close), (d("2020-01-01"), 7200.17431640625));
    assert_eq!((f.bars[365].date, f.bars[365].close), (d("2021-01-04"), 31971.9140625));
    assert!(f.bars.windows(2).all(|w| w[0].date < w[1].date));
}

#[test]
fn yahoo_dates_are_exchange_local() {
    // WSU.DE: gmtoffset 7200 (Berlin); the middle row is all null.
    let r = run(
        yahoo,
        &req("WSU.DE", "2023-08-04", "2023-08-09"),
        vec![Reply::json(200, fixture("yahoo/chart_wsu-de_1d_null_row.json"))],
    );
    assert_eq!(dates(r.ok()), vec!["2023-08-04", "2023-08-08"]);
    assert_eq!(r.ok().bars[1].volume, Some(10846.0));
}

/// Issue 11 item 2: a response for another symbol (`meta.symbol` unread)
/// was stored under the symbol asked for.
#[test]
fn provider_row_for_another_symbol_is_refused() {
    let r = run(
        yahoo,
        &FetchRequest::new("^RUT"),
        vec![Reply::json(200, fixture("yahoo/chart_gspc_1d_2023-01-03_to_2024-06-28.json"))],
    );
    assert_schema(r.err(), r#"the chart is for symbol "^GSPC", not "^RUT""#);
    let body = r#"{"data":[{"asset":"eth","time":"2024-01-01T00:00:00.000000000Z","PriceUSD":"2281.5"}]}"#;
    let r = run(coinmetrics, &FetchRequest::new("btc"), vec![Reply::json(200, body)]);
    assert_schema(r.err(), r#"data[0] is for asset "eth", not "btc""#);
}

/// Issue 11 item 2: a timestamp of i64::MAX was stored as year 1587287, a
/// zero close and bars 400 days ahead were stored too.
#[test]
fn timestamp_i64_max_is_refused_and_check_never_panics() {
    let chart = |ts: &str, close: &str| {
        format!(
            r#"{{"chart":{{"result":[{{"meta":{{"symbol":"BTC-USD","gmtoffset":0}},"timestamp":[1704067200,{ts}],
            "indicators":{{"quote":[{{"close":[42000.5,{close}]}}]}}}}],"error":null}}}}"#
        )
    };
    let cases = [
        (chart(&i64::MAX.to_string(), "42001.0"), "is not a plausible date"),
        (chart(&i64::MIN.to_string(), "42001.0"), "is not a plausible date"),
        (chart("1801180800", "42001.0"), "bar on 2027-01-29 is in the future (today is 2026-01-05)"),
        (chart("1704153600", "0"), "bar on 2024-01-02: close 0 is not a positive price"),
        (chart("1704153600", "-5"), "close -5 is not a positive price"),
        // A second bar on the last date is Yahoo's live bar (the later wins);
        // on an earlier date, two different bars are refused.
        (chart("1704067200,1704153600", "42001.0,43000.0"), "two different rows dated 2024-01-01"),
    ];
    for (body, want) in cases {
        let r = run(yahoo, &FetchRequest::new("BTC-USD"), vec![Reply::json(200, body)]);
        assert_schema(r.err(), want);
    }
}

#[test]
fn yahoo_index_is_url_encoded_and_a_range_without_data_is_empty() {
    // ^VXAPL is an index on the same exchange (WCB) as ^RUT; no timestamp key.
    let r = run(
        yahoo,
        &FetchRequest::new("^VXAPL"),
        vec![Reply::json(200, fixture("yahoo/chart_vxapl_index_no_timestamps.json"))],
    );
    assert_eq!(r.ok().bars, Vec::<Bar>::new());
    // Open start: 1900-01-01; open end: the day after "today" (2026-01-05).
    assert_eq!(
        r.targets()[0],
        "/v8/finance/chart/%5EVXAPL?interval=1d&period1=-2208988800&period2=1767657600&events=div%7Csplit&includeAdjustedClose=true"
    );
    let r = run(
        yahoo,
        &FetchRequest::new("CAPIO.ST"),
        vec![Reply::json(200, fixture("yahoo/chart_capio-st_no_timestamps_empty_quote.json"))],
    );
    assert!(r.ok().bars.is_empty());
}

#[test]
fn yahoo_error_bodies_become_http_errors_with_the_description() {
    let r =
        run(yahoo, &FetchRequest::new("SI"), vec![Reply::json(404, fixture("yahoo/chart_error_not_found_404.json"))]);
    assert_http(r.err(), 404, "No data found, symbol may be delisted");
    assert!(!r.err().is_retryable());
    assert_eq!(r.targets().len(), 1, "4xx is not retried");
    let r = run(
        yahoo,
        &req("BEKE", "2020-01-01", "2020-01-02"),
        vec![Reply::json(400, fixture("yahoo/chart_error_bad_request_400_no_data_in_range.json"))],
    );
    assert_http(r.err(), 400, "Data doesn't exist for startDate = 1577836800, endDate = 1578009600");
}

#[test]
fn yahoo_changed_schema_names_what_was_expected() {
    let mut body = json_fixture("yahoo/chart_btc-usd_1d_3rows.json");
    body["chart"]["result"][0].as_object_mut().unwrap().remove("indicators");
    let r = run(yahoo, &FetchRequest::new("BTC-USD"), vec![Reply::json(200, body.to_string())]);
    assert_schema(r.err(), "expected chart.result[0].indicators.quote[0]");

    let r = run(yahoo, &FetchRequest::new("BTC-USD"), vec![Reply::json(200, r#"{"finance":{"result":[]}}"#)]);
    assert_schema(r.err(), "expected a top-level \"chart\" object");

    // A 200 that carries chart.error (same shape as the 404 fixture).
    let r =
        run(yahoo, &FetchRequest::new("SI"), vec![Reply::json(200, fixture("yahoo/chart_error_not_found_404.json"))]);
    assert_schema(r.err(), "No data found, symbol may be delisted");
}

/// Issue 10 item 9: an adjusted series (iwm, spy, qqq) got Yahoo's raw
/// `close` from `update`, so its history turned unadjusted at the overlap.
/// The AAPL body is a real recording made before AAPL's 2024-11-08
/// dividend, so there `adjclose` equals `close`; the edited copies below
/// (marked) change only the `adjclose` array, as Yahoo rewrites it after an
/// ex-dividend date.
#[test]
fn yahoo_adjusted_request_returns_adjclose_not_the_raw_close() {
    let aapl = "yahoo/chart_aapl_1d_10rows_2024-10.json";
    let fetch = |body: String, adjusted: bool| {
        run(yahoo, &req("AAPL", "2024-09-30", "2024-10-11").adjusted(adjusted), vec![Reply::json(200, body)]).result
    };
    let real = String::from_utf8(fixture(aapl)).unwrap();
    let raw = fetch(real.clone(), false).unwrap();
    assert_eq!(raw.bars.len(), 10);
    assert_eq!(fetch(real, true).unwrap().bars, raw.bars, "adjclose == close in the recording");

    // Edited by hand: adjclose = close x 0.98 on the first five rows (an
    // ex-dividend date on 2024-10-07 worth 2% of the price).
    let mut body = json_fixture(aapl);
    let adj = body.pointer_mut("/chart/result/0/indicators/adjclose/0/adjclose").unwrap();
    for v in adj.as_array_mut().unwrap().iter_mut().take(5) {
        *v = json!(v.as_f64().unwrap() * 0.98);
    }
    let adjusted = fetch(body.to_string(), true).unwrap();
    for (i, (a, r)) in adjusted.bars.iter().zip(&raw.bars).enumerate() {
        let k = if i < 5 { 0.98 } else { 1.0 };
        assert_eq!(a.date, r.date);
        assert!((a.close - r.close * k).abs() < 1e-9, "{}: {} vs {}", a.date, a.close, r.close);
        for (x, y) in [(a.open, r.open), (a.high, r.high), (a.low, r.low)] {
            assert!((x.unwrap() - y.unwrap() * k).abs() < 1e-9, "{}: OHLC scaled by adjclose/close", a.date);
        }
        assert_eq!(a.volume, r.volume, "volume as traded");
        assert!(a.is_consistent());
    }
    assert_eq!(fetch(body.to_string(), false).unwrap().bars, raw.bars, "unadjusted requests keep close");

    // Edited by hand: a missing adjusted value is an error, never the raw close.
    let mut null_row = body.clone();
    *null_row.pointer_mut("/chart/result/0/indicators/adjclose/0/adjclose/3").unwrap() = Value::Null;
    let err = fetch(null_row.to_string(), true).unwrap_err();
    assert_schema(&err, "indicators.adjclose[0].adjclose[3]: null where close is 225.6699981689453");
    body["chart"]["result"][0]["indicators"].as_object_mut().unwrap().remove("adjclose");
    assert_schema(&fetch(body.to_string(), true).unwrap_err(), "expected indicators.adjclose[0].adjclose");
}

// ---------------------------------------------------------------------------
// FRED
// ---------------------------------------------------------------------------

#[test]
fn fred_csv_walcl() {
    let r = run(
        fred_csv,
        &req("WALCL", "2007-01-01", "2025-11-12"),
        vec![Reply::csv(200, fixture("fred/fredgraph_walcl.csv"))],
    );
    assert_eq!(r.targets(), vec!["/graph/fredgraph.csv?id=WALCL&cosd=2007-01-01&coed=2025-11-12".to_string()]);
    let f = r.ok();
    assert_eq!(f.bars.len(), 985);
    assert_eq!(f.bars[0], Bar::value(d("2007-01-03"), 874626.0));
    assert_eq!(f.bars[984], Bar::value(d("2025-11-12"), 6580462.0));
    assert_eq!(f.unit, None, "the CSV download does not say");
    assert_eq!(f.url, format!("{}/graph/fredgraph.csv?id=WALCL&cosd=2007-01-01&coed=2025-11-12", r.server.url()));
}

#[test]
fn fred_csv_blank_values_are_skipped() {
    let r = run(
        fred_csv,
        &FetchRequest::new("RRPONTSYD"),
        vec![Reply::csv(200, fixture("fred/fredgraph_rrpontsyd_with_blanks.csv"))],
    );
    assert_eq!(r.targets(), vec!["/graph/fredgraph.csv?id=RRPONTSYD".to_string()]);
    let f = r.ok();
    assert_eq!(f.bars.len(), 4842 - 1735);
    assert_eq!(f.bars[0], Bar::value(d("2007-04-26"), 5.25));
    assert_eq!(f.bars.last().copied(), Some(Bar::value(d("2025-11-14"), 1.559)));
    assert!(!dates(f).contains(&"2007-04-30".to_string()), "2007-04-30 is blank");
}

#[test]
fn fred_csv_old_date_header_and_dots() {
    // The older download layout (DATE header, "." for missing), written here.
    let body = "DATE,WALCL\n2020-01-01,.\n2020-01-08,4171336\n";
    let r = run(fred_csv, &FetchRequest::new("WALCL"), vec![Reply::csv(200, body)]);
    assert_eq!(r.ok().bars, vec![Bar::value(d("2020-01-08"), 4171336.0)]);
}

#[test]
fn fred_csv_changed_header_is_a_schema_error() {
    let body = "observation_date,WTREGEN\n2024-01-03,750000\n";
    let r = run(fred_csv, &FetchRequest::new("WALCL"), vec![Reply::csv(200, body)]);
    assert_schema(
        r.err(),
        "expected the header \"observation_date,WALCL\" (or \"DATE,WALCL\"), got \"observation_date,WTREGEN\"",
    );
    let r =
        run(fred_csv, &FetchRequest::new("WALCL"), vec![Reply::csv(200, "observation_date,WALCL\n2024-01-03,n/a\n")]);
    assert_schema(r.err(), "line 2: value \"n/a\" is not a number");
}

#[test]
fn fred_api_reads_units_skips_dots_and_hides_the_key() {
    let r = run(
        fred_api,
        &FetchRequest::new("GDP"),
        vec![
            Reply::json(200, fixture("fred/series_gdp_meta.json")),
            Reply::json(200, fixture("fred/series_observations_gdp_with_dots.json")),
        ],
    );
    let targets = r.targets();
    assert_eq!(targets[0], "/fred/series?series_id=GDP&file_type=json&api_key=SECRETKEY123");
    assert_eq!(targets[1], "/fred/series/observations?series_id=GDP&file_type=json&limit=100000&api_key=SECRETKEY123");
    let f = r.ok();
    assert_eq!(f.unit, Some(Unit::UsdBillions));
    assert_eq!(f.bars.len(), 315 - 4);
    assert_eq!(f.bars[0], Bar::value(d("1947-01-01"), 243.164));
    assert_eq!(f.bars[310], Bar::value(d("2024-07-01"), 29374.914));
    assert_eq!(f.url, format!("{}/fred/series/observations?series_id=GDP&file_type=json&limit=100000", r.server.url()));
    assert!(!f.url.contains("SECRETKEY123") && !f.url.contains("api_key"));
}

#[test]
fn fred_api_pages_by_offset() {
    // Page 1 is the real GNPCA recording (count 91, 10 rows); pages 2 and 3
    // are written here in the same shape, continuing its years.
    let page = |offset: usize, years: std::ops::Range<i32>| {
        let observations: Vec<Value> = years
            .map(|y| json!({"realtime_start": "2020-05-20", "realtime_end": "2020-05-20", "date": format!("{y}-01-01"), "value": format!("{}.5", 1000 + y - 1900)}))
            .collect();
        json!({"realtime_start": "2020-05-20", "realtime_end": "2020-05-20", "observation_start": "1600-01-01",
               "observation_end": "9999-12-31", "units": "lin", "output_type": 1, "file_type": "json",
               "order_by": "observation_date", "sort_order": "asc", "count": 91, "offset": offset, "limit": 100000,
               "observations": observations})
        .to_string()
    };
    let r = run(
        fred_api,
        &FetchRequest::new("GNPCA"),
        vec![
            Reply::json(200, fixture("fred/series_gnpca_meta_pretty.json")),
            Reply::json(200, fixture("fred/series_observations_gnpca_limit10_pretty.json")),
            Reply::json(200, page(10, 1939..1979)),
            Reply::json(200, page(50, 1979..2020)),
        ],
    );
    let f = r.ok();
    assert_eq!(f.bars.len(), 91);
    assert_eq!(f.unit, Some(Unit::Other("Billions of Chained 2012 Dollars".into())));
    assert_eq!(f.bars[0], Bar::value(d("1929-01-01"), 1120.076));
    assert_eq!(f.bars[90].date, d("2019-01-01"));
    let targets = r.server.requests();
    assert_eq!(targets.len(), 4);
    assert_eq!(targets[1].param("offset"), None);
    assert_eq!(targets[2].param("offset"), Some("10"));
    assert_eq!(targets[3].param("offset"), Some("50"));
    assert!(targets.iter().all(|t| t.param("series_id") == Some("GNPCA")));
}

#[test]
fn fred_api_empty_range() {
    let r = run(
        fred_api,
        &req("GNPCA", "2050-01-01", "2050-12-31"),
        vec![
            Reply::json(200, fixture("fred/series_gnpca_meta_pretty.json")),
            Reply::json(200, fixture("fred/series_observations_empty_count0_pretty.json")),
        ],
    );
    assert!(r.ok().bars.is_empty());
    let obs = &r.server.requests()[1];
    assert_eq!(obs.param("observation_start"), Some("2050-01-01"));
    assert_eq!(obs.param("observation_end"), Some("2050-12-31"));
}

#[test]
fn fred_api_error_bodies_carry_fred_message_without_the_key() {
    let r =
        run(fred_api, &FetchRequest::new(""), vec![Reply::json(400, fixture("fred/error_400_series_id_not_set.json"))]);
    assert_http(r.err(), 400, "Bad Request.  Variable series_id has not been set.");
    let r = run(
        fred_api,
        &FetchRequest::new("bad_series_id"),
        vec![
            Reply::json(200, fixture("fred/series_gnpca_meta_pretty.json")),
            Reply::json(400, fixture("fred/error_400_invalid_series_id.json")),
        ],
    );
    assert_http(
        r.err(),
        400,
        "Bad Request.  Invalid value for variable series_id.  Series IDs should be 25 or less alphanumeric characters.",
    );
    let shown = r.err().to_string();
    assert!(shown.contains("/fred/series/observations?series_id=bad_series_id"), "{shown}");
    assert!(!shown.contains("SECRETKEY123") && !shown.contains("api_key"), "{shown}");
}

#[test]
fn fred_api_key_echoed_by_the_server_is_scrubbed() {
    // FRED's answer to an unregistered key, written here in its error shape.
    let body = r#"{"error_code":400,"error_message":"Bad Request.  The value for variable api_key is not registered: SECRETKEY123."}"#;
    let r = run(fred_api, &FetchRequest::new("GDP"), vec![Reply::json(400, body)]);
    assert!(!r.err().to_string().contains("SECRETKEY123"), "{}", r.err());
}

#[test]
fn fred_api_changed_schema() {
    let r = run(
        fred_api,
        &FetchRequest::new("GDP"),
        vec![Reply::json(200, fixture("fred/series_gdp_meta.json")), Reply::json(200, r#"{"count":1,"rows":[]}"#)],
    );
    assert_schema(r.err(), "expected observations: [{date, value}, ...]");
    assert!(!r.err().to_string().contains("SECRETKEY123"));
    let r = run(fred_api, &FetchRequest::new("GDP"), vec![Reply::json(200, r#"{"seriess":[]}"#)]);
    assert_schema(r.err(), "expected seriess[0].units");
}

// ---------------------------------------------------------------------------
// Binance
// ---------------------------------------------------------------------------

#[test]
fn binance_klines_fixture() {
    let r = run(
        binance,
        &req("btcusdt", "2021-10-22", "2021-10-31"),
        vec![Reply::json(200, binance_daily_fixture().to_string())],
    );
    assert_eq!(
        r.targets(),
        vec!["/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=1634860800000&endTime=1635724799999&limit=1000"
            .to_string()]
    );
    let f = r.ok();
    assert_eq!(f.bars.len(), 10);
    assert_eq!(
        f.bars[0],
        Bar {
            date: d("2021-10-22"),
            open: Some(60685.22),
            high: Some(60729.84),
            low: Some(60670.90),
            close: 60719.27,
            volume: Some(21.63272)
        }
    );
    assert_eq!(f.bars[9].date, d("2021-10-31"));
    assert_eq!(f.bars[9].close, 60739.85);
    assert!(f.bars.iter().all(Bar::is_consistent));
}

/// Issue 10 item 10: Binance's USDT pairs were stored as USD without saying
/// so. The fetch states the quote unit, so the app can label (or refuse) it.
#[test]
fn binance_usdt_pair_is_not_passed_off_as_usd() {
    let r = run(
        binance,
        &req("BTCUSDT", "2021-10-22", "2021-10-31"),
        vec![Reply::json(200, binance_daily_fixture().to_string())],
    );
    assert_eq!(r.ok().unit, Some(Unit::Usdt));
}

#[test]
fn binance_minute_candles_are_refused() {
    // The fixture as recorded: ten 1m candles on one day cannot be 1d bars.
    let r = run(
        binance,
        &FetchRequest::new("BTCUSDT"),
        vec![Reply::json(200, fixture("binance/klines_btcusdt_1m_10rows_pretty.json"))],
    );
    assert_schema(
        r.err(),
        "two different rows dated 2021-10-22 (closes 60719.27 and 60771.81): expected one bar per day",
    );
}

#[test]
fn binance_pages_by_start_time() {
    let page = |from: &str, n: i32| {
        Value::Array((0..n).map(|i| kline(d(from).add_days(i), 100.0 + f64::from(i))).collect()).to_string()
    };
    let server = Server::start(vec![
        Reply::json(200, page("2024-01-01", 3)),
        Reply::json(200, page("2024-01-04", 3)),
        Reply::json(200, page("2024-01-07", 1)),
    ]);
    let clock = TestClock::at(NOW);
    let p = BinanceKlinesProvider::with_base_url(server.url()).page_size(3);
    let f = p.fetch(&req("BTCUSDT", "2024-01-01", "2024-01-31"), &client(&clock)).unwrap();
    assert_eq!(f.bars.len(), 7);
    assert_eq!(f.bars[6].date, d("2024-01-07"));
    let requests = server.requests();
    let starts: Vec<&str> = requests.iter().map(|r| r.param("startTime").unwrap()).collect();
    assert_eq!(starts, vec!["1704067200000", "1704326400000", "1704585600000"], "last openTime + 1 day");
    assert!(requests.iter().all(|r| r.param("endTime") == Some("1706745599999") && r.param("limit") == Some("3")));
    assert!(f.url.ends_with("startTime=1704067200000&endTime=1706745599999&limit=3"), "{}", f.url);
}

#[test]
fn binance_paging_stops_at_the_end_of_the_range() {
    let full: Value = Value::Array((0..3).map(|i| kline(d("2024-01-01").add_days(i), 100.0)).collect());
    let server = Server::start(vec![Reply::json(200, full.to_string())]);
    let clock = TestClock::at(NOW);
    let p = BinanceKlinesProvider::with_base_url(server.url()).page_size(3);
    let f = p.fetch(&req("BTCUSDT", "2024-01-01", "2024-01-03"), &client(&clock)).unwrap();
    assert_eq!(f.bars.len(), 3);
    assert_eq!(server.targets().len(), 1, "a full page that reaches `to` needs no next page");
}

#[test]
fn binance_empty_and_changed_schema() {
    let r = run(binance, &FetchRequest::new("BTCUSDT"), vec![Reply::json(200, "[]")]);
    assert!(r.ok().bars.is_empty());
    // Open start: startTime=0 (the listing); open end: the end of "today".
    assert_eq!(r.server.requests()[0].param("startTime"), Some("0"));
    assert_eq!(r.server.requests()[0].param("endTime"), Some("1767657599999"));

    let r = run(
        binance,
        &FetchRequest::new("BTCUSDT"),
        vec![Reply::json(200, r#"[[1704067200000,"42283.58","44184.10"]]"#)],
    );
    assert_schema(
        r.err(),
        "kline 0: expected [openTime, open, high, low, close, volume, closeTime, ...], got 3 fields",
    );
    let r = run(binance, &FetchRequest::new("BTCUSDT"), vec![Reply::json(200, r#"{"symbol":"BTCUSDT","klines":[]}"#)]);
    assert_schema(r.err(), "expected a JSON array of klines");
}

#[test]
fn binance_error_body_gives_msg() {
    // Binance's documented error shape (written here: no recording).
    let r = run(
        binance,
        &FetchRequest::new("NOPEUSDT"),
        vec![Reply::json(400, r#"{"code":-1121,"msg":"Invalid symbol."}"#)],
    );
    assert_http(r.err(), 400, "Invalid symbol.");
}

#[test]
fn binance_page_that_does_not_advance_is_an_error_not_a_loop() {
    // A server that ignores startTime sends the same full page again.
    let page = Reply::json(200, binance_daily_fixture().to_string());
    let server = Server::start(vec![page.clone(), page.clone(), page]);
    let clock = TestClock::at(NOW);
    let p = BinanceKlinesProvider::with_base_url(server.url()).page_size(10);
    let err = p.fetch(&req("BTCUSDT", "2021-10-22", "2021-12-31"), &client(&clock)).unwrap_err();
    let last = d("2021-10-31").unix_seconds() * 1000;
    assert_schema(
        &err,
        &format!("page 2 did not advance: its last openTime {last} is not after the previous page's {last}"),
    );
    assert!(err.to_string().contains("startTime=1635724800000"), "names the page asked for: {err}");
    assert_eq!(server.targets().len(), 2);

    // A full page that only reaches the startTime asked for (a window
    // ending there) moved the old loop one day per request.
    let window = |last: &str| Value::Array((0..3).map(|i| kline(d(last).add_days(i - 2), 100.0)).collect()).to_string();
    let server = Server::start(vec![Reply::json(200, window("2024-01-03")), Reply::json(200, window("2024-01-04"))]);
    let p = BinanceKlinesProvider::with_base_url(server.url()).page_size(3);
    let err = p.fetch(&req("BTCUSDT", "2024-01-01", "2024-01-31"), &client(&clock)).unwrap_err();
    let (second, asked) = (d("2024-01-02").unix_seconds() * 1000, d("2024-01-04").unix_seconds() * 1000);
    assert_schema(
        &err,
        &format!("page 2 did not advance: it starts at openTime {second}, before its startTime {asked}"),
    );
    assert_eq!(server.targets().len(), 2);
}

#[test]
fn binance_paging_stops_with_an_error_after_max_pages() {
    let page = |from: &str| Value::Array((0..3).map(|i| kline(d(from).add_days(i), 100.0)).collect()).to_string();
    let server = Server::start(vec![
        Reply::json(200, page("2024-01-01")),
        Reply::json(200, page("2024-01-04")),
        Reply::json(200, page("2024-01-07")),
    ]);
    let clock = TestClock::at(NOW);
    let p = BinanceKlinesProvider::with_base_url(server.url()).page_size(3).max_pages(2);
    let err = p.fetch(&req("BTCUSDT", "2024-01-01", "2024-01-31"), &client(&clock)).unwrap_err();
    assert_schema(&err, "gave up after 2 pages: the range is still not complete");
    assert_eq!(server.targets().len(), 2);
}

// ---------------------------------------------------------------------------
// CoinGecko
// ---------------------------------------------------------------------------

#[test]
fn coingecko_keeps_the_first_point_of_each_utc_date() {
    let r = run(coingecko, &req("bitcoin", "2024-01-01", "2024-01-04"), vec![Reply::json(200, coingecko_body())]);
    assert_eq!(
        r.targets(),
        vec!["/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=1704067200&to=1704412799".to_string()]
    );
    let f = r.ok();
    assert_eq!(dates(f), vec!["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]);
    assert_eq!(closes(f), vec![42280.23, 44187.14, 44961.60, 42848.18], "the 00:00 snapshot, not the intraday point");
    assert_eq!(f.bars[3].volume, Some(4.54e10));
    assert_eq!(f.bars[0].open, None);
    assert_eq!(f.market_caps.len(), 4);
    assert_eq!(f.market_caps[3], (d("2024-01-04"), 8.39e11));
}

#[test]
fn coingecko_sends_the_demo_key_as_a_header_only() {
    let server = Server::start(vec![
        Reply::json(200, coingecko_body()),
        // CoinGecko's answer for a range beyond the plan, written here in its
        // documented error shape; it must not echo our key back to the user.
        Reply::json(
            401,
            r#"{"error":{"status":{"timestamp":"2024-07-01T12:00:00.000+00:00","error_code":10012,"error_message":"Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days."}}}"#,
        ),
    ]);
    let clock = TestClock::at(NOW);
    let p = CoinGeckoProvider::with_base_url(server.url()).api_key("CG-SECRETDEMO");
    let f = p.fetch(&req("bitcoin", "2024-01-01", "2024-01-04"), &client(&clock)).unwrap();
    assert_eq!(server.requests()[0].header("x-cg-demo-api-key"), Some("CG-SECRETDEMO"));
    assert!(!f.url.contains("CG-SECRETDEMO"));
    let err = p.fetch(&req("bitcoin", "2020-01-01", "2020-01-04"), &client(&clock)).unwrap_err();
    assert_http(
        &err,
        401,
        "Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days.",
    );
    assert!(!format!("{err} {err:?} {p:?}").contains("CG-SECRETDEMO"));
}

#[test]
fn coingecko_404_fixture() {
    let r = run(
        coingecko,
        &FetchRequest::new("not-a-coin"),
        vec![Reply::json(404, fixture("coingecko/market_chart_error_404_incorrect_path.json"))],
    );
    assert_http(r.err(), 404, "Incorrect path. Please check https://www.coingecko.com/api/");
}

#[test]
fn coingecko_empty_and_changed_schema() {
    let empty = r#"{"prices":[],"market_caps":[],"total_volumes":[]}"#;
    let r = run(coingecko, &FetchRequest::new("bitcoin"), vec![Reply::json(200, empty)]);
    assert!(r.ok().bars.is_empty());
    assert_eq!(r.server.requests()[0].param("from"), Some("0"));
    assert_eq!(r.server.requests()[0].param("to"), Some("1767657599"));

    let r = run(
        coingecko,
        &FetchRequest::new("bitcoin"),
        vec![Reply::json(200, r#"{"price":[[1704067200000,42280.23]]}"#)],
    );
    assert_schema(r.err(), "expected prices: [[ms, price], ...]");
    let r = run(coingecko, &FetchRequest::new("bitcoin"), vec![Reply::json(200, r#"{"prices":[[1704067200000]]}"#)]);
    assert_schema(r.err(), "prices[0]: expected [ms, value]");
}

// ---------------------------------------------------------------------------
// Coin Metrics
// ---------------------------------------------------------------------------

#[test]
fn coinmetrics_follows_next_page_url_on_our_host() {
    // Page 1 is the vendor example; page 2 is written here in its shape.
    let page2 = json!({"data": [
        {"asset": "btc", "time": "2020-03-02T00:00:00.000000000Z", "PriceUSD": "8901.2"},
        {"asset": "btc", "time": "2020-03-03T00:00:00.000000000Z", "PriceUSD": "8755.5"}
    ]});
    let r = run(
        coinmetrics,
        &req("btc", "2020-02-29", "2020-03-03"),
        vec![
            Reply::json(200, fixture("coinmetrics/vendor_example_asset_metrics_daily_btc_2rows_next_page.json")),
            Reply::json(200, page2.to_string()),
        ],
    );
    let f = r.ok();
    assert_eq!(dates(f), vec!["2020-02-29", "2020-03-01", "2020-03-02", "2020-03-03"]);
    assert_eq!(closes(f), vec![8582.09029964933, 8541.77389392169, 8901.2, 8755.5]);
    let targets = r.targets();
    assert_eq!(
        targets[0],
        "/v4/timeseries/asset-metrics?assets=btc&metrics=PriceUSD&frequency=1d&start_time=2020-02-29&end_time=2020-03-03&page_size=10000"
    );
    // The vendor's absolute next_page_url was rebased onto the test server.
    assert!(targets[1].starts_with("/v4/timeseries/asset-metrics?"), "{}", targets[1]);
    assert!(
        targets[1].contains("next_page_token=0.MjAyMC0wNi0wN1QwMDowMDowMFo,MjAyMC0wNi0wN1QwMDowMDowMFo"),
        "{}",
        targets[1]
    );
    assert!(targets[1].contains("page_size=2"), "{}", targets[1]);
    assert_eq!(f.url, format!("{}{}", r.server.url(), targets[0]));
}

/// Page `n` (1-based) of a chain: the vendor example with its two rows
/// moved to their own dates (2020-02-29 plus `2 (n - 1)` days; prices
/// untouched) and its `next_page_url` set to `next`, or removed when `None`.
fn coinmetrics_page(n: i32, next: Option<&str>) -> Reply {
    let mut page = json_fixture("coinmetrics/vendor_example_asset_metrics_daily_btc_2rows_next_page.json");
    for (i, row) in page["data"].as_array_mut().unwrap().iter_mut().enumerate() {
        let date = d("2020-02-29").add_days(2 * (n - 1) + i as i32);
        row["time"] = json!(format!("{date}T00:00:00.000000000Z"));
    }
    let obj = page.as_object_mut().unwrap();
    match next {
        Some(url) => obj.insert("next_page_url".into(), json!(url)),
        None => obj.remove("next_page_url"),
    };
    Reply::json(200, page.to_string())
}

#[test]
fn coinmetrics_next_page_url_pointing_to_itself_is_an_error_not_a_loop() {
    // The vendor example verbatim, twice: page 2 is served at page 1's
    // next_page_url and names that URL again.
    let example = Reply::json(200, fixture("coinmetrics/vendor_example_asset_metrics_daily_btc_2rows_next_page.json"));
    let r = run(coinmetrics, &req("btc", "2020-02-29", "2020-03-01"), vec![example.clone(), example.clone(), example]);
    assert_schema(r.err(), "page 2 did not advance: its next_page_url repeats an earlier page");
    assert!(r.err().to_string().contains("next_page_token="), "names the page that repeated: {}", r.err());
    assert!(!r.err().to_string().contains("<your_key>"), "{}", r.err());
    assert_eq!(r.targets().len(), 2);

    // A longer cycle: page 2 points back to page 1.
    let first = "/v4/timeseries/asset-metrics?assets=btc&metrics=PriceUSD&frequency=1d&page_size=10000";
    let r = run(
        coinmetrics,
        &FetchRequest::new("btc"),
        vec![
            coinmetrics_page(1, Some("/v4/timeseries/asset-metrics?next_page_token=b")),
            coinmetrics_page(2, Some(first)),
        ],
    );
    assert_schema(r.err(), "page 2 did not advance");
    assert_eq!(r.targets()[0], first);
    assert_eq!(r.targets().len(), 2);
}

#[test]
fn coinmetrics_chain_longer_than_max_pages_is_an_error() {
    let next =
        |i: i32| format!("https://api.coinmetrics.io/v4/timeseries/asset-metrics?assets=btc&next_page_token=t{i}");
    let chain: Vec<Reply> = (1..=4).map(|i| coinmetrics_page(i, Some(&next(i)))).collect();
    let three = |base: &str| -> Box<dyn Provider> { Box::new(CoinMetricsProvider::with_base_url(base).max_pages(3)) };
    let r = run(three, &FetchRequest::new("btc"), chain);
    assert_schema(r.err(), "gave up after 3 pages: next_page_url still set");
    assert_eq!(r.targets().len(), 3);

    // Exactly three pages fit.
    let r = run(
        three,
        &FetchRequest::new("btc"),
        vec![coinmetrics_page(1, Some(&next(1))), coinmetrics_page(2, Some(&next(2))), coinmetrics_page(3, None)],
    );
    assert_eq!(r.targets().len(), 3);
    assert_eq!(dates(r.ok()).first().map(String::as_str), Some("2020-02-29"));
    assert_eq!(dates(r.ok()).last().map(String::as_str), Some("2020-03-05"));
    assert_eq!(r.ok().bars.len(), 6);
}

#[test]
fn coinmetrics_error_bodies() {
    let cases = [
        ("coinmetrics/vendor_example_error_400_bad_parameter_asset.json", 400, "Bad parameter 'assets'. Value 'sdvwbtc' is not supported."),
        ("coinmetrics/vendor_example_error_401_unauthorized.json", 401, "Requested resource requires authorization."),
        (
            "coinmetrics/vendor_example_error_403_forbidden_metric.json",
            403,
            "Requested metric 'SplyBMXNtv' with frequency '1d' for asset 'btc' is not available with supplied credentials.",
        ),
    ];
    for (file, status, message) in cases {
        let r = run(coinmetrics, &FetchRequest::new("sdvwbtc"), vec![Reply::json(status, fixture(file))]);
        assert_http(r.err(), status, message);
        assert_eq!(r.targets().len(), 1);
    }
}

#[test]
fn coinmetrics_empty_and_changed_schema() {
    let r = run(coinmetrics, &FetchRequest::new("btc"), vec![Reply::json(200, r#"{"data":[]}"#)]);
    assert!(r.ok().bars.is_empty());
    assert_eq!(r.targets()[0], "/v4/timeseries/asset-metrics?assets=btc&metrics=PriceUSD&frequency=1d&page_size=10000");
    let r = run(coinmetrics, &FetchRequest::new("btc"), vec![Reply::json(200, r#"{"rows":[]}"#)]);
    assert_schema(r.err(), "expected data: [{asset, time, PriceUSD}, ...]");
    let bad = r#"{"data":[{"asset":"btc","time":"2020-02-29T00:00:00.000000000Z","PriceUSD":"n/a"}]}"#;
    let r = run(coinmetrics, &FetchRequest::new("btc"), vec![Reply::json(200, bad)]);
    assert_schema(r.err(), "data[0] (2020-02-29): PriceUSD: \"n/a\" is not a number");
}

// ---------------------------------------------------------------------------
// The factory
// ---------------------------------------------------------------------------

#[test]
fn factory_builds_each_kind_with_its_host() {
    for kind in SourceKind::ALL {
        let p = provider(kind, Some("http://127.0.0.1:9/"));
        assert_eq!(p.kind(), kind);
        assert_eq!(p.host(), "127.0.0.1:9");
    }
    assert_eq!(provider(SourceKind::CoinMetrics, None).host(), "community-api.coinmetrics.io");
    assert_eq!(provider(SourceKind::Binance, None).host(), "api.binance.com");
}
