//! A scripted HTTP/1.1 server on 127.0.0.1 for provider tests, and a
//! clock that records waits instead of sleeping.
//!
//! The server answers the n-th connection with the n-th scripted
//! [`Reply`] (each response closes its connection), records every request
//! line and header, and stops accepting when the script is used up.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use riskcurve_ingest::provider::Clock;

/// The shared fixtures (real recorded bodies), beside the repositories.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures");

/// The bytes of `shared/fixtures/{rel}`.
pub fn fixture(rel: &str) -> Vec<u8> {
    let path = format!("{FIXTURES}/{rel}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response, sent after `delay`.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8>, delay: Duration },
    /// Read the request, then close the connection without answering.
    Close,
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json; charset=utf-8".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// `status` with a CSV body.
    pub fn csv(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "text/csv".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// `status` with an HTML body.
    pub fn html(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=UTF-8".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    /// The same reply with one more header.
    pub fn header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond { status, mut headers, body, delay } => {
                headers.push((name.into(), value.into()));
                Reply::Respond { status, headers, body, delay }
            }
            Reply::Close => Reply::Close,
        }
    }

    /// The same reply sent only after `delay`.
    pub fn delayed(self, delay: Duration) -> Reply {
        match self {
            Reply::Respond { status, headers, body, .. } => Reply::Respond { status, headers, body, delay },
            Reply::Close => Reply::Close,
        }
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The request target: path and query, as sent.
    pub target: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The value of header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value of query parameter `name`, if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// A running scripted server.
pub struct Server {
    addr: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts serving `script` on a free port.
    pub fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap().to_string();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        thread::spawn(move || {
            for reply in script {
                let Ok((mut stream, _)) = listener.accept() else { return };
                stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                let Some(recorded) = read_request(&mut stream) else { continue };
                log.lock().unwrap().push(recorded);
                // Answer on a thread of its own, so a delayed reply does not
                // hold up the client's retry on the next connection.
                thread::spawn(move || answer(stream, reply));
            }
        });
        Server { addr, requests }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, as `Provider::host` reports it.
    pub fn host(&self) -> String {
        self.addr.clone()
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The request targets received so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let target = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Recorded { target, headers })
}

fn answer(mut stream: TcpStream, reply: Reply) {
    let Reply::Respond { status, headers, body, delay } = reply else {
        // Closing without a response: the client sees an empty reply.
        return;
    };
    thread::sleep(delay);
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    // The client may have given up (timeout tests): ignore write errors.
    let _ = stream.write_all(out.as_bytes()).and_then(|_| stream.write_all(&body)).and_then(|_| stream.flush());
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A [`Clock`] whose `sleep` records the wait and advances virtual time at
/// once; its wall clock reads a fixed instant plus the waits.
pub struct TestClock {
    start: Instant,
    wall_start: SystemTime,
    slept: Mutex<Vec<Duration>>,
}

impl TestClock {
    /// A clock whose wall time starts at `unix` seconds.
    pub fn at(unix: u64) -> Arc<TestClock> {
        Arc::new(TestClock {
            start: Instant::now(),
            wall_start: UNIX_EPOCH + Duration::from_secs(unix),
            slept: Mutex::new(Vec::new()),
        })
    }

    /// The waits asked for so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }

    fn elapsed(&self) -> Duration {
        self.slept.lock().unwrap().iter().sum()
    }
}

impl Clock for TestClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed()
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + self.elapsed()
    }

    fn sleep(&self, d: Duration) {
        self.slept.lock().unwrap().push(d);
    }
}
