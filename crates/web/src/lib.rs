//! The riskcurve dashboard and JSON API: a thin front end over the
//! application layer, like the command line. Every API route returns the
//! same result type the CLI prints with `--json`.
//!
//! - Loopback by default; any other address needs `allow_remote` and a
//!   token, checked on every request (`Authorization: Bearer TOKEN` or
//!   `?token=TOKEN`).
//! - Unknown paths are 404 and bad parameters 400, both with a JSON error;
//!   a failure inside the application is 500; nothing panics the server.
//! - Requests are bounded: GET only, no body, at most [`REQUEST_TIMEOUT`]
//!   of work (then 503), and counts such as placebos are capped.
//! - Each request opens the database for itself (SQLite WAL), so the
//!   dashboard reads while `update` or `import` writes.
#![deny(missing_docs)]

mod api;
mod params;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use riskcurve_app::App;

/// The most time one request may take before the server gives up on it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The dashboard page.
const DASHBOARD: &str = include_str!("../assets/dashboard.html");
/// TradingView Lightweight Charts, vendored unmodified (see assets/README.md).
pub const LIGHTWEIGHT_CHARTS: &str = include_str!("../assets/lightweight-charts.standalone.production.js");

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The options are refused (e.g. a public address without a token).
    #[error("{0}")]
    Refused(String),
    /// The address cannot be bound.
    #[error("{addr}: cannot listen: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

impl WebError {
    /// True when the caller's options are at fault (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, WebError::Refused(_))
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Allow an address other than loopback.
    pub allow_remote: bool,
    /// The token every request must carry (required off loopback).
    pub token: Option<String>,
}

impl ServeOptions {
    /// Refuses a public address unless it is allowed and protected by a token.
    pub fn check(&self) -> Result<(), WebError> {
        if self.token.as_deref().is_some_and(|t| t.len() < 16) {
            return Err(WebError::Refused("RISKCURVE_TOKEN must be at least 16 characters".into()));
        }
        if self.addr.ip().is_loopback() {
            return Ok(());
        }
        if !self.allow_remote {
            return Err(WebError::Refused(format!(
                "--addr {}: not a loopback address; pass --allow-remote and set RISKCURVE_TOKEN to serve it",
                self.addr
            )));
        }
        if self.token.is_none() {
            return Err(WebError::Refused(format!(
                "--addr {} with --allow-remote: set RISKCURVE_TOKEN (every request must carry it)",
                self.addr
            )));
        }
        Ok(())
    }
}

/// Makes the application for one request: a fresh clock each time, so a
/// server that runs for days counts ages to the right day.
pub type AppFactory = dyn Fn() -> App + Send + Sync;

pub(crate) struct Shared {
    make_app: Box<AppFactory>,
    token: Option<String>,
}

/// The routes, for a server or a test.
pub fn router(make_app: Box<AppFactory>, token: Option<String>) -> Router {
    let shared = Arc::new(Shared { make_app, token });
    Router::new()
        .route("/", get(|| async { html(DASHBOARD) }))
        .route("/assets/lightweight-charts.js", get(|| async { javascript(LIGHTWEIGHT_CHARTS) }))
        .route("/api/health", get(api::health))
        .route("/api/status", get(api::status))
        .route("/api/series", get(api::series_list))
        .route("/api/series/{id}", get(api::series_show))
        .route("/api/breakouts", get(api::breakouts))
        .route("/api/event-study", get(api::event_study))
        .route("/api/liquidity", get(api::liquidity))
        .route("/api/altseason", get(api::altseason))
        .route("/api/rotation", get(api::rotation))
        .route("/api/claims", get(api::claims))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such page or API route (see /api/health)") })
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// Serves until Ctrl-C. `on_ready` gets the bound address (port 0 picks one).
pub fn serve(
    opts: &ServeOptions,
    make_app: Box<AppFactory>,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), WebError> {
    opts.check()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|source| WebError::Bind { addr: opts.addr, source })?;
        on_ready(listener.local_addr()?);
        let app = router(make_app, opts.token.clone());
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

/// Every request: GET (or HEAD) only, no body, the token when one is set.
async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        return error(StatusCode::METHOD_NOT_ALLOWED, "only GET is served");
    }
    let has_body =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() != "0")
            || req.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "requests carry no body");
    }
    if let Some(token) = &shared.token {
        if !authorised(&req, token) {
            return error(StatusCode::UNAUTHORIZED, "missing or wrong token (Authorization: Bearer TOKEN)");
        }
    }
    next.run(req).await
}

fn authorised(req: &Request, token: &str) -> bool {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let query = req.uri().query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
    [bearer, query].into_iter().flatten().any(|given| same(given.as_bytes(), token.as_bytes()))
}

/// Compares without stopping at the first difference (no timing hint).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn html(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn javascript(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=86400")], body)
        .into_response()
}

/// A JSON error body: `{"error": "..."}`.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_lightweight_charts_is_the_published_file_unmodified() {
        use sha2::{Digest, Sha256};
        // `npm pack lightweight-charts@5.2.1`, package/dist/lightweight-charts.standalone.production.js.
        let digest = format!("{:x}", Sha256::digest(LIGHTWEIGHT_CHARTS.as_bytes()));
        assert_eq!(digest, "e21cc5caa0226ef30bd8549c50b9ef926615f2a4ee6b4e486353477a55f598cf");
    }

    #[test]
    fn a_public_address_needs_allow_remote_and_a_long_token() {
        let opts = |addr: &str, allow_remote: bool, token: Option<&str>| ServeOptions {
            addr: addr.parse().unwrap(),
            allow_remote,
            token: token.map(String::from),
        };
        assert!(opts("127.0.0.1:8080", false, None).check().is_ok());
        assert!(opts("[::1]:8080", false, None).check().is_ok());
        assert!(opts("0.0.0.0:8080", false, Some("a-token-of-16-chars")).check().is_err());
        assert!(opts("0.0.0.0:8080", true, None).check().is_err());
        assert!(opts("0.0.0.0:8080", true, Some("short")).check().is_err());
        assert!(opts("0.0.0.0:8080", true, Some("a-token-of-16-chars")).check().is_ok());
        assert!(opts("0.0.0.0:8080", true, None).check().unwrap_err().is_bad_input());
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abcdef", b"abcdef"));
        assert!(!same(b"abcdef", b"abcdeg"));
        assert!(!same(b"abc", b"abcdef"));
    }
}
