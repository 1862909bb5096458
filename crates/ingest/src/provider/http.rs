//! The blocking HTTP client every provider shares: timeouts, retries with
//! capped exponential backoff and jitter, `Retry-After`, a per-host rate
//! limit shared between threads, hosts remembered as unreachable, time
//! budgets (deadlines), and vendor error messages.
//!
//! Time goes through a [`Clock`], so tests can record waits instead of
//! sleeping and can fix "today".

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use riskcurve_core::Date;

use super::response::{error_message, markup_summary, parse_retry_after};
use super::url::{secret_values, strip_secrets, url_host};
use crate::IngestError;

/// The user agent sent with every request unless the builder changes it.
pub const USER_AGENT: &str = concat!("riskcurve/", env!("CARGO_PKG_VERSION"));

/// Largest body accepted (the full TSLA daily history is 0.4 MB).
const MAX_BODY_BYTES: u64 = 64 << 20;

/// Largest error body read to find the vendor's message.
const MAX_ERROR_BODY_BYTES: u64 = 64 << 10;

/// Where the client reads the time and how it waits.
///
/// [`SystemClock`] is the real one; a test clock can advance virtual time
/// in `sleep` and record the waits.
pub trait Clock: Send + Sync {
    /// Monotonic time, for backoff and per-host rate limits.
    fn now(&self) -> Instant;
    /// Wall-clock time, for `Retry-After` dates and [`HttpClient::today`].
    fn wall(&self) -> SystemTime;
    /// Blocks for `d`.
    fn sleep(&self, d: Duration);
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// The body format a caller expects, named in errors ("got an HTML page,
/// not JSON").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A JSON document.
    Json,
    /// A CSV file.
    Csv,
}

impl Expect {
    fn name(self) -> &'static str {
        match self {
            Expect::Json => "JSON",
            Expect::Csv => "CSV",
        }
    }
}

/// Builds an [`HttpClient`]; see the methods for the defaults.
#[derive(Clone)]
pub struct HttpClientBuilder {
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    backoff_base: Duration,
    backoff_max: Duration,
    retry_after_cap: Duration,
    min_interval: Duration,
    host_intervals: HashMap<String, Duration>,
    user_agent: String,
    clock: Arc<dyn Clock>,
    deadline: Option<Duration>,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 4,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            retry_after_cap: Duration::from_secs(60),
            min_interval: Duration::ZERO,
            host_intervals: HashMap::new(),
            user_agent: USER_AGENT.to_string(),
            clock: Arc::new(SystemClock),
            deadline: None,
        }
    }
}

impl HttpClientBuilder {
    /// Limit of one attempt: connect, headers and body (default 30 s).
    /// Retries and backoff come on top, bounded only by
    /// [`deadline`](Self::deadline) and [`HttpClient::with_deadline`].
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Connect deadline (default 10 s; never above `timeout`).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Retries after the first attempt (default 4, so at most 5 requests).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// First backoff delay; attempt `n` waits `base * 2^n` capped at
    /// [`backoff_max`](Self::backoff_max), with "equal jitter": a uniformly
    /// random point in the upper half (default 500 ms).
    pub fn backoff_base(mut self, d: Duration) -> Self {
        self.backoff_base = d;
        self
    }

    /// Cap of one backoff delay (default 30 s).
    pub fn backoff_max(mut self, d: Duration) -> Self {
        self.backoff_max = d;
        self
    }

    /// Longest `Retry-After` the client waits out; a longer one is returned
    /// at once as [`IngestError::RateLimited`] (default 60 s).
    pub fn retry_after_cap(mut self, d: Duration) -> Self {
        self.retry_after_cap = d;
        self
    }

    /// Minimum time between the starts of two requests to the same host,
    /// for hosts without their own [`host_interval`](Self::host_interval)
    /// (default 0: no limit).
    pub fn min_interval(mut self, d: Duration) -> Self {
        self.min_interval = d;
        self
    }

    /// Minimum time between requests to `host` (as [`Provider::host`]
    /// returns it: `host` or `host:port`); see
    /// [`SourceKind::polite_interval`] for the vendors' published limits.
    ///
    /// [`Provider::host`]: super::Provider::host
    /// [`SourceKind::polite_interval`]: super::SourceKind::polite_interval
    pub fn host_interval(mut self, host: &str, d: Duration) -> Self {
        self.host_intervals.insert(host.to_ascii_lowercase(), d);
        self
    }

    /// The `User-Agent` header (default `riskcurve/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// The clock used to wait and to tell the date (default [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A budget for everything the client will do (a whole run), counted
    /// from [`build`](Self::build) on the client's clock (default: none).
    /// No attempt starts and no wait ends past it: requests then fail with
    /// [`IngestError::Deadline`]. Each attempt's timeout is cut to the time
    /// left. A budget per series comes from [`HttpClient::with_deadline`].
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(budget);
        self
    }

    /// The client.
    pub fn build(self) -> HttpClient {
        let connect_timeout = self.connect_timeout.min(self.timeout);
        let agent = |connect: Option<Duration>| {
            let b = ureq::AgentBuilder::new().timeout(self.timeout).user_agent(&self.user_agent);
            match connect {
                Some(c) => b.timeout_connect(c),
                None => b,
            }
            .build()
        };
        let deadline = self.deadline.and_then(|budget| Deadline::after(self.clock.now(), budget));
        let shared = Shared {
            agent: agent(Some(connect_timeout)),
            // ureq bounds a connect by `timeout_connect` alone when one is
            // set, ignoring the request's own (shorter) timeout; near a
            // deadline we use this agent, whose connect is bounded by the
            // request timeout, i.e. the time left.
            agent_without_connect_timeout: agent(None),
            timeout: self.timeout,
            connect_timeout,
            max_retries: self.max_retries,
            backoff_base: self.backoff_base,
            backoff_max: self.backoff_max.max(self.backoff_base),
            retry_after_cap: self.retry_after_cap,
            min_interval: self.min_interval,
            host_intervals: self.host_intervals,
            clock: self.clock,
            next_slot: Mutex::new(HashMap::new()),
            down: Mutex::new(HashMap::new()),
            attempts: AtomicU64::new(0),
        };
        HttpClient { shared: Arc::new(shared), deadline }
    }
}

/// An instant past which nothing starts, and the budget it came from (for
/// the message).
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// `budget` from `now`; `None` when that is beyond what `Instant` holds
    /// (no deadline in practice).
    fn after(now: Instant, budget: Duration) -> Option<Deadline> {
        now.checked_add(budget).map(|at| Deadline { at, budget })
    }
}

/// A blocking HTTP GET client shared by all providers (and threads).
///
/// - 2xx: the body as text; an HTML page where JSON or CSV was expected is
///   an [`IngestError::Schema`] ("got an HTML page, not JSON").
/// - 429 (and Binance's 418): waits `Retry-After` (seconds or an HTTP
///   date) when it is within the cap, else returns `RateLimited` at once.
/// - 5xx, timeouts and dropped connections: retried with backoff; the last
///   error is returned after `max_retries` retries.
/// - other 4xx: not retried; `Http { status, message }` with the vendor's
///   message from the JSON error body when there is one.
/// - a host name that does not resolve, a refused connection, no route to
///   the network or host: not retried, and the host is remembered as down
///   for the client's lifetime, so every later request to it fails at once
///   without touching the network. All are [`IngestError::Unreachable`]
///   ([`is_offline`](IngestError::is_offline)): offline, a run ends after
///   one attempt per host instead of retrying every series.
/// - time budgets: the client's [`deadline`](HttpClientBuilder::deadline)
///   and a handle's [`with_deadline`](Self::with_deadline); a wait or retry
///   that would end past the budget fails with [`IngestError::Deadline`].
///
/// URLs in errors have their API keys removed, and key values are scrubbed
/// from messages.
///
/// Cloning (or [`with_deadline`](Self::with_deadline)) gives a handle on the
/// same client: rate limits, unreachable hosts and the attempt count are
/// shared.
#[derive(Clone)]
pub struct HttpClient {
    shared: Arc<Shared>,
    /// The earliest of the client's and this handle's deadlines.
    deadline: Option<Deadline>,
}

/// What every handle on one client shares.
struct Shared {
    agent: ureq::Agent,
    agent_without_connect_timeout: ureq::Agent,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    backoff_base: Duration,
    backoff_max: Duration,
    retry_after_cap: Duration,
    min_interval: Duration,
    host_intervals: HashMap<String, Duration>,
    clock: Arc<dyn Clock>,
    /// host -> the earliest instant the next request may start.
    next_slot: Mutex<HashMap<String, Instant>>,
    /// host -> why it could not be reached; never asked again.
    down: Mutex<HashMap<String, String>>,
    /// Network attempts made (requests sent or tried), for callers and tests.
    attempts: AtomicU64,
}

impl Default for HttpClient {
    fn default() -> Self {
        HttpClient::new()
    }
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.shared;
        f.debug_struct("HttpClient")
            .field("timeout", &s.timeout)
            .field("connect_timeout", &s.connect_timeout)
            .field("max_retries", &s.max_retries)
            .field("backoff_base", &s.backoff_base)
            .field("backoff_max", &s.backoff_max)
            .field("retry_after_cap", &s.retry_after_cap)
            .field("min_interval", &s.min_interval)
            .field("host_intervals", &s.host_intervals)
            .field("deadline", &self.deadline.map(|d| d.budget))
            .finish_non_exhaustive()
    }
}

/// What one attempt came to.
enum Attempt {
    Done(String),
    /// Worth another try; `after` is the server's wait, when it gave one.
    Retry {
        error: IngestError,
        after: Option<Duration>,
    },
    Fatal(IngestError),
}

impl HttpClient {
    /// A client with the default settings.
    pub fn new() -> HttpClient {
        HttpClientBuilder::default().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// A handle on the same client whose requests must also be done within
    /// `budget` from now (on the client's clock): how a caller gives one
    /// series its own time, whatever its sources, pages and retries.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # use riskcurve_ingest::provider::{provider, FetchRequest, HttpClient, SourceKind};
    /// let http = HttpClient::builder().deadline(Duration::from_secs(600)).build(); // the run
    /// let series = http.with_deadline(Duration::from_secs(60)); // one series
    /// let fetched = provider(SourceKind::Yahoo, None).fetch(&FetchRequest::new("^RUT"), &series);
    /// ```
    ///
    /// The earlier deadline wins: a series never outlives the run. Rate
    /// limits, unreachable hosts and [`attempts`](Self::attempts) stay
    /// shared with the client.
    pub fn with_deadline(&self, budget: Duration) -> HttpClient {
        let mine = Deadline::after(self.shared.clock.now(), budget);
        let deadline = match (self.deadline, mine) {
            (Some(old), Some(new)) if old.at <= new.at => Some(old),
            (old, None) => old,
            (_, new) => new,
        };
        HttpClient { shared: Arc::clone(&self.shared), deadline }
    }

    /// Network attempts made so far by this client and every handle on it
    /// (each request sent or connection tried; not requests failed at once
    /// because their host is down or their deadline passed).
    pub fn attempts(&self) -> u64 {
        self.shared.attempts.load(Ordering::Relaxed)
    }

    /// The hosts found unreachable so far, sorted.
    pub fn unreachable_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = lock(&self.shared.down).keys().cloned().collect();
        hosts.sort();
        hosts
    }

    /// Today's UTC date by the client's clock (the default end of a range).
    pub fn today(&self) -> Date {
        let secs = match self.shared.clock.wall().duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        };
        Date::from_unix_seconds(secs)
    }

    /// GETs `url` and returns the body text.
    pub fn get(&self, url: &str, expect: Expect) -> Result<String, IngestError> {
        self.get_with_headers(url, &[], expect)
    }

    /// GETs `url` with extra headers. Header values (of 6 characters or
    /// more: API keys) are treated as secrets and never appear in errors.
    pub fn get_with_headers(&self, url: &str, headers: &[(&str, &str)], expect: Expect) -> Result<String, IngestError> {
        let shown = strip_secrets(url);
        let mut secrets = secret_values(url);
        secrets.extend(headers.iter().map(|(_, v)| v.to_string()).filter(|v| v.len() >= 6));
        let host = url_host(url).to_ascii_lowercase();
        let mut rng = XorShift::seeded(url);
        let mut attempts = 0;
        let mut last: Option<IngestError> = None;
        let finish = |error: IngestError| Err(scrub(error, &secrets));
        loop {
            // Before queueing for the host, and again after: another thread
            // may have found it down while this one waited for its turn.
            if let Some(e) = self.known_down(&host) {
                return finish(e);
            }
            let Some(limit) = self.wait_turn(&host) else {
                return finish(self.deadline_error(&shown, attempts, last.as_ref()));
            };
            if let Some(e) = self.known_down(&host) {
                return finish(e);
            }
            attempts += 1;
            let (error, after) = match self.attempt(url, &shown, &host, headers, expect, limit) {
                Attempt::Done(body) => return Ok(body),
                Attempt::Fatal(e) => return finish(e),
                Attempt::Retry { error, after } => (error, after),
            };
            if attempts > self.shared.max_retries {
                return finish(error);
            }
            match after {
                // The server named the wait: every request to the host waits
                // it out, not only this one (the next `wait_turn` checks it
                // against the deadline).
                Some(d) => self.defer_host(&host, d),
                None => {
                    let wait = self.backoff(attempts - 1, &mut rng);
                    if self.past_deadline(self.shared.clock.now() + wait) {
                        return finish(self.deadline_error(&shown, attempts, Some(&error)));
                    }
                    self.shared.clock.sleep(wait);
                }
            }
            last = Some(error);
        }
    }

    /// One network attempt, limited to `limit`.
    fn attempt(
        &self,
        url: &str,
        shown: &str,
        host: &str,
        headers: &[(&str, &str)],
        expect: Expect,
        limit: Duration,
    ) -> Attempt {
        let s = &self.shared;
        let agent = if limit < s.connect_timeout { &s.agent_without_connect_timeout } else { &s.agent };
        let mut request = agent.get(url).timeout(limit);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        s.attempts.fetch_add(1, Ordering::Relaxed);
        match request.call() {
            Ok(response) => self.success(response, shown, expect, limit),
            Err(ureq::Error::Status(status, response)) => self.failure(status, response, shown),
            Err(ureq::Error::Transport(t)) => {
                let problem = describe(&t, limit);
                if is_unreachable(&t) {
                    lock(&s.down).entry(host.to_string()).or_insert_with(|| problem.clone());
                    return Attempt::Fatal(IngestError::Unreachable { host: host.to_string(), problem });
                }
                let error = IngestError::Transport { url: shown.to_string(), problem };
                if transport_is_retryable(t.kind()) {
                    Attempt::Retry { error, after: None }
                } else {
                    Attempt::Fatal(error)
                }
            }
        }
    }

    fn success(&self, response: ureq::Response, shown: &str, expect: Expect, limit: Duration) -> Attempt {
        let mut bytes = Vec::new();
        let read = response.into_reader().take(MAX_BODY_BYTES + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            let problem = format!("reading the body: {}", describe_io(&e, limit));
            return Attempt::Retry { error: IngestError::Transport { url: shown.to_string(), problem }, after: None };
        }
        let schema = |problem: String| Attempt::Fatal(IngestError::Schema { url: shown.to_string(), problem });
        if bytes.len() as u64 > MAX_BODY_BYTES {
            return schema(format!("body larger than {} MiB", MAX_BODY_BYTES >> 20));
        }
        let Ok(text) = String::from_utf8(bytes) else { return schema("body is not UTF-8 text".to_string()) };
        if let Some(markup) = markup_summary(&text) {
            return schema(format!("got {markup}, not {}", expect.name()));
        }
        Attempt::Done(text)
    }

    fn failure(&self, status: u16, response: ureq::Response, shown: &str) -> Attempt {
        let s = &self.shared;
        let retry_after = response.header("retry-after").and_then(|v| parse_retry_after(v, s.clock.wall()));
        let status_text = response.status_text().to_string();
        let mut bytes = Vec::new();
        // Best effort: the status alone is the error when the body is unreadable.
        let _ = response.into_reader().take(MAX_ERROR_BODY_BYTES).read_to_end(&mut bytes);
        let body = String::from_utf8_lossy(&bytes);
        let url = shown.to_string();
        let capped = retry_after.filter(|r| Duration::from_secs(*r) <= s.retry_after_cap).map(Duration::from_secs);
        match status {
            // 418 is Binance's "banned for ignoring 429s"; it too carries Retry-After.
            429 | 418 => {
                let error = IngestError::RateLimited { url, retry_after };
                if retry_after.is_some() && capped.is_none() {
                    Attempt::Fatal(error)
                } else {
                    Attempt::Retry { error, after: capped }
                }
            }
            500..=599 => {
                let error = IngestError::Http { url, status, message: error_message(&body, &status_text) };
                if retry_after.is_some() && capped.is_none() {
                    Attempt::Fatal(error)
                } else {
                    Attempt::Retry { error, after: capped }
                }
            }
            _ => Attempt::Fatal(IngestError::Http { url, status, message: error_message(&body, &status_text) }),
        }
    }

    /// Waits until `host` may be asked again and books the next slot, so
    /// that threads sharing the client queue up instead of bursting. The
    /// time the attempt may take (the timeout, cut to the deadline); `None`,
    /// without waiting or booking, when the turn would come at or after the
    /// deadline.
    fn wait_turn(&self, host: &str) -> Option<Duration> {
        let s = &self.shared;
        let interval = s.host_intervals.get(host).copied().unwrap_or(s.min_interval);
        let now = s.clock.now();
        let wait = {
            let mut slots = lock(&s.next_slot);
            let slot = slots.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            if self.past_deadline(slot) {
                return None;
            }
            if !interval.is_zero() || slot > now {
                slots.insert(host.to_string(), slot + interval);
            }
            slot - now
        };
        if !wait.is_zero() {
            s.clock.sleep(wait);
        }
        match self.deadline {
            None => Some(s.timeout),
            Some(d) => {
                let left = d.at.saturating_duration_since(s.clock.now());
                (!left.is_zero()).then(|| left.min(s.timeout))
            }
        }
    }

    /// Pushes the host's next slot to at least `d` from now.
    fn defer_host(&self, host: &str, d: Duration) {
        let until = self.shared.clock.now() + d;
        let mut slots = lock(&self.shared.next_slot);
        let slot = slots.entry(host.to_string()).or_insert(until);
        if *slot < until {
            *slot = until;
        }
    }

    /// The error for a host already found unreachable, if it was.
    fn known_down(&self, host: &str) -> Option<IngestError> {
        let problem = lock(&self.shared.down).get(host)?.clone();
        let problem = format!("{problem} (found on an earlier request; not tried again)");
        Some(IngestError::Unreachable { host: host.to_string(), problem })
    }

    /// True when `t` is at or after this handle's deadline.
    fn past_deadline(&self, t: Instant) -> bool {
        self.deadline.is_some_and(|d| t >= d.at)
    }

    fn deadline_error(&self, shown: &str, attempts: u32, last: Option<&IngestError>) -> IngestError {
        let budget = self.deadline.map_or(Duration::ZERO, |d| d.budget);
        // The last error without its URL, which the deadline error names.
        let last = last.map(|e| {
            let text = e.to_string();
            text.strip_prefix(&format!("{shown}: ")).map_or(text.clone(), str::to_string)
        });
        IngestError::Deadline { url: shown.to_string(), budget, attempts, last }
    }

    /// Backoff before retry `n` (0-based): `base * 2^n` capped, then equal
    /// jitter (half fixed, half uniform) so parallel clients spread out.
    fn backoff(&self, n: u32, rng: &mut XorShift) -> Duration {
        let s = &self.shared;
        let full = s.backoff_base.saturating_mul(1u32 << n.min(20)).min(s.backoff_max);
        let half = full / 2;
        let jitter = rng.below(half.as_nanos().min(u128::from(u64::MAX - 1)) as u64 + 1);
        half + Duration::from_nanos(jitter)
    }
}

/// The lock's data even if another thread panicked holding it: the maps
/// stay consistent (every update is one insert).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A transport failure that says the host cannot be reached at all, as
/// opposed to one that may pass (a timeout, a dropped connection).
///
/// ureq 2 reports a failed lookup as `Dns` and a failed connect as
/// `ConnectionFailed` carrying the last `io::Error`; a connect timeout has
/// kind `TimedOut` there and stays retryable. Offline, lookups fail
/// ("temporary failure in name resolution") or connects find no route.
fn is_unreachable(t: &ureq::Transport) -> bool {
    use std::error::Error;
    use std::io::ErrorKind::{ConnectionRefused, HostUnreachable, NetworkUnreachable};
    match t.kind() {
        ureq::ErrorKind::Dns => true,
        ureq::ErrorKind::ConnectionFailed => t
            .source()
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|io| matches!(io.kind(), ConnectionRefused | NetworkUnreachable | HostUnreachable)),
        _ => false,
    }
}

/// A transport failure in lowercase words; `limit` is the attempt's timeout.
fn describe(t: &ureq::Transport, limit: Duration) -> String {
    use std::error::Error;
    let what = match t.kind() {
        ureq::ErrorKind::Dns => "dns lookup failed",
        ureq::ErrorKind::ConnectionFailed => "connection failed",
        ureq::ErrorKind::BadStatus => "malformed or missing response status line",
        ureq::ErrorKind::BadHeader => "malformed response header",
        ureq::ErrorKind::TooManyRedirects => "too many redirects",
        ureq::ErrorKind::InvalidUrl => "invalid url",
        ureq::ErrorKind::UnknownScheme => "unknown url scheme",
        _ => "network error",
    };
    if let Some(io) = t.source().and_then(|s| s.downcast_ref::<std::io::Error>()) {
        return match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock | std::io::ErrorKind::UnexpectedEof => {
                describe_io(io, limit)
            }
            _ => format!("{what}: {}", lowercase_first(&io.to_string())),
        };
    }
    match (t.message(), t.source()) {
        (Some(m), _) => format!("{what}: {}", lowercase_first(m)),
        (None, Some(s)) => format!("{what}: {}", lowercase_first(&s.to_string())),
        (None, None) => what.to_string(),
    }
}

fn describe_io(e: &std::io::Error, limit: Duration) -> String {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            format!("timed out after {} ms", limit.as_millis())
        }
        std::io::ErrorKind::UnexpectedEof => "connection closed before the response was complete".to_string(),
        _ => format!("network error: {}", lowercase_first(&e.to_string())),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Transport failures that may pass on another try. `Dns` and
/// `ConnectionFailed` stay here for what [`is_unreachable`] lets through
/// (a connect timeout, a reset during the TLS handshake).
fn transport_is_retryable(kind: ureq::ErrorKind) -> bool {
    use ureq::ErrorKind::*;
    matches!(kind, Dns | ConnectionFailed | BadStatus | BadHeader | Io | ProxyConnect)
}

/// Removes secret values from an error's text fields.
fn scrub(error: IngestError, secrets: &[String]) -> IngestError {
    let clean = |s: String| secrets.iter().fold(s, |s, k| s.replace(k.as_str(), "<redacted>"));
    match error {
        IngestError::Http { url, status, message } => {
            IngestError::Http { url: clean(url), status, message: clean(message) }
        }
        IngestError::Transport { url, problem } => IngestError::Transport { url: clean(url), problem: clean(problem) },
        IngestError::Schema { url, problem } => IngestError::Schema { url: clean(url), problem: clean(problem) },
        IngestError::RateLimited { url, retry_after } => IngestError::RateLimited { url: clean(url), retry_after },
        IngestError::Unreachable { host, problem } => IngestError::Unreachable { host, problem: clean(problem) },
        IngestError::Deadline { url, budget, attempts, last } => {
            IngestError::Deadline { url: clean(url), budget, attempts, last: last.map(clean) }
        }
        other => other,
    }
}

/// xorshift64* for backoff jitter, seeded from the URL so a run is
/// reproducible while different requests spread out.
struct XorShift(u64);

impl XorShift {
    fn seeded(text: &str) -> XorShift {
        // FNV-1a; never zero, which would stall xorshift.
        let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        XorShift(h | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-enough in `0..n` (modulo bias is irrelevant for jitter).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_in_the_upper_half() {
        let client =
            HttpClient::builder().backoff_base(Duration::from_millis(100)).backoff_max(Duration::from_secs(1)).build();
        let mut rng = XorShift::seeded("https://example.test/x");
        for n in 0..8 {
            let full = Duration::from_millis(100 * (1 << n)).min(Duration::from_secs(1));
            let d = client.backoff(n, &mut rng);
            assert!(d >= full / 2 && d <= full, "retry {n}: {d:?} outside {:?}..={full:?}", full / 2);
        }
    }
}
