//! `riskcurve serve`: every route, bad requests, the token, reads during
//! writes, and the dashboard in headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::{manifest, rc, seeded_db, BIN};

/// A running `riskcurve serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &Path, token: Option<&str>) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args(["--db", db.to_str().unwrap(), "--json", "serve", "--addr", "127.0.0.1:0"])
        .env_remove("RISKCURVE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match token {
        Some(t) => cmd.env("RISKCURVE_TOKEN", t),
        None => cmd.env_remove("RISKCURVE_TOKEN"),
    };
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    let addr = v["listening"].as_str().unwrap().trim_start_matches("http://").to_string();
    Server { child, addr }
}

/// One HTTP/1.1 request; returns the status code and the body.
fn request(addr: &str, method: &str, path: &str, headers: &[&str]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let code = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    // Chunked bodies: keep the JSON between the chunk sizes.
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&after[..n]);
            rest = &after[n + 2..];
        }
        out
    } else {
        body.to_string()
    };
    (code, body)
}

fn get_json(addr: &str, path: &str) -> (u16, Value) {
    let (code, body) = request(addr, "GET", path, &[]);
    (code, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body:?}")))
}

#[test]
fn serve_answers_every_route_and_refuses_bad_requests_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&seeded_db(dir.path()), None);
    let a = server.addr.as_str();
    for (path, key) in [
        ("/api/health", "ok"),
        ("/api/status", "signals"),
        ("/api/series/rut?tail=3", "observations"),
        ("/api/breakouts?series=rut&min_days=365", "events"),
        ("/api/event-study?targets=btc&horizons=90&placebos=500", "verdict"),
        ("/api/liquidity?from=2026-06-01", "observations"),
        ("/api/altseason?step=30", "observations"),
        ("/api/rotation?from=2025-10-01", "observations"),
        ("/api/claims?id=C4", "claims"),
    ] {
        let (code, v) = get_json(a, path);
        assert_eq!(code, 200, "{path}: {v}");
        assert!(!v[key].is_null(), "{path} has {key}: {v}");
    }
    let (code, v) = get_json(a, "/api/series");
    assert_eq!(code, 200);
    assert!(v.as_array().unwrap().iter().any(|s| s["id"] == "rut"));
    // The API serves the same result type the CLI prints.
    let cli = super::ok_json(&dir.path().join("rc.db"), &["breakouts", "--series", "rut"]);
    assert_eq!(get_json(a, "/api/breakouts?series=rut").1, cli);

    for (path, code, fragment) in [
        ("/api/breakouts?min_days=abc", 400, "min_days=abc"),
        ("/api/breakouts?nonsense=1", 400, "unknown parameter"),
        ("/api/event-study?placebos=1000000000000", 400, "placebos"),
        ("/api/event-study?signal=breakout:nope", 400, "nope"),
        ("/api/event-study?horizons=2147483647", 400, "horizons"),
        ("/api/liquidity?calendar=mars", 400, "calendar=mars"),
        ("/api/series/zzz", 404, "not in the database"),
        ("/no/such/page", 404, "no such page"),
    ] {
        let (got, v) = get_json(a, path);
        assert_eq!(got, code, "{path}: {v}");
        assert!(v["error"].as_str().unwrap().contains(fragment), "{path}: {v}");
    }
    assert_eq!(request(a, "POST", "/api/health", &["Content-Length: 0"]).0, 405);
    let (code, page) = request(a, "GET", "/", &[]);
    assert_eq!(code, 200);
    assert!(page.contains("/assets/lightweight-charts.js"));
    // The server is still up after every bad request.
    assert_eq!(get_json(a, "/api/health").0, 200);
}

#[test]
fn serve_refuses_a_public_address_without_allow_remote_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "serve", "--addr", "0.0.0.0:0"])
        .env_remove("RISKCURVE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remote"));
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "serve", "--addr", "0.0.0.0:0", "--allow-remote"])
        .env_remove("RISKCURVE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RISKCURVE_TOKEN"));
}

#[test]
fn serve_checks_the_token_on_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let token = "correct-horse-battery-staple";
    let server = start(&seeded_db(dir.path()), Some(token));
    let a = server.addr.as_str();
    assert_eq!(request(a, "GET", "/api/health", &[]).0, 401);
    assert_eq!(request(a, "GET", "/", &[]).0, 401);
    assert_eq!(request(a, "GET", "/api/health", &["Authorization: Bearer wrong-token-wrong-token"]).0, 401);
    assert_eq!(request(a, "GET", "/api/health", &[&format!("Authorization: Bearer {token}")]).0, 200);
    assert_eq!(request(a, "GET", &format!("/api/series/rut?tail=1&token={token}"), &[]).0, 200);
}

/// The dashboard reads while an import writes (SQLite WAL): no request fails.
#[test]
fn serve_reads_while_an_import_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let server = start(&db, None);
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || rc(&db, &["import", "--manifest", manifest().to_str().unwrap()]))
    };
    let mut reads = 0;
    while !writer.is_finished() || reads < 5 {
        let (code, v) = get_json(&server.addr, "/api/series/btc?tail=1");
        assert_eq!(code, 200, "{v}");
        reads += 1;
    }
    let out = writer.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // After the import the live sources outrank the snapshot for the same dates.
    let (_, v) = get_json(&server.addr, "/api/series/rut?tail=1");
    assert_eq!(v["observations"][0]["source"], "ibkr");
}

/// The headless browser the page tests use: Debian's `chromium`. CI installs
/// it (`.ci/run`); elsewhere a missing browser skips with a note.
pub fn chromium() -> Option<&'static str> {
    for bin in ["chromium", "chromium-browser"] {
        if Command::new(bin).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(bin);
        }
    }
    assert!(std::env::var_os("CI").is_none(), "CI must have chromium (apt-get install chromium)");
    eprintln!("note: chromium not found; browser test skipped");
    None
}

/// Runs headless Chromium on `url` with the project's flags plus `extra`.
pub fn headless(bin: &str, url: &str, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(bin)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--hide-scrollbars", "--virtual-time-budget=15000"])
        .args(extra)
        .arg(url)
        .output()
        .unwrap()
}

#[test]
fn dashboard_renders_in_headless_chromium_with_every_chart_and_no_errors() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = start(&seeded_db(dir.path()), None);
    let url = format!("http://{}/", server.addr);
    let dom = headless(bin, &url, &["--dump-dom"]);
    let html = String::from_utf8_lossy(&dom.stdout);
    assert!(
        html.contains(r#"data-ready="ok""#),
        "the page reports errors or did not load: {}",
        &html[..html.len().min(3000)]
    );
    assert!(html.contains(r#"data-charts="3""#), "price, liquidity and altseason charts drawn");
    assert!(!html.contains("data-script-error"), "a script error");
    assert!(html.contains("breakout") && html.contains("STALE"), "the status panel");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/web-artifacts");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join("dashboard.png");
    let out = headless(bin, &url, &["--window-size=1280,2600", &format!("--screenshot={}", png.display())]);
    assert!(png.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&png).unwrap().len() > 50_000, "a screenshot with content");
}
