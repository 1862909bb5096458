//! `riskcurve watch` against a local webhook receiver: each new alert is
//! delivered once, a receiver answering 500 is retried, a second run sends
//! nothing, and `alerts` shows the history.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{ok_json, BIN};

/// A webhook receiver on loopback: answers each POST with the next status of
/// `statuses` (then 200) and keeps the bodies.
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<(u16, Value)>>>,
}

fn receiver(statuses: Vec<u16>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/T000/SECRET", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        // Bounded: a test never sends more than this many requests.
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = statuses.next().unwrap_or(200);
            seen.lock().unwrap().push((status, serde_json::from_slice(&body).unwrap_or(Value::Null)));
            let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    Receiver { url, bodies }
}

const RULES: &str = r#"
[[rule]]
name = "rut-breakout"
signal = "breakout:rut"
max_age_days = 36500

[[rule]]
name = "liquidity-regime"
change = "liquidity"
max_age_days = 36500

[[rule]]
name = "rut-breakout-recent-only"
signal = "breakout:rut"
"#;

fn watch(db: &std::path::Path, rules: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--json", "watch", "--once", "--no-update", "--backoff-ms", "10"])
        .arg("--rules")
        .arg(rules)
        .args(extra)
        .env_remove("RISKCURVE_WEBHOOK")
        .output()
        .unwrap()
}

#[test]
fn watch_once_delivers_each_new_alert_once_and_retries_a_failing_receiver() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::seeded_db(dir.path());
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let hook = receiver(vec![500]);

    let out = watch(&db, &rules, &["--webhook", &hook.url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Two rules fire; the one limited to the last 7 days does not (the last
    // RUT breakout, 2025-09-18, is 11 months before the data's end).
    let new: Vec<&str> = report["new"].as_array().unwrap().iter().map(|a| a["rule"].as_str().unwrap()).collect();
    assert_eq!(new, ["rut-breakout", "liquidity-regime"]);
    assert_eq!(report["delivered"].as_array().unwrap().len(), 2);
    let bodies = hook.bodies.lock().unwrap().clone();
    // The first POST got a 500 and was retried: 3 requests for 2 alerts.
    assert_eq!(bodies.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [500, 200, 200]);
    assert_eq!(bodies[0].1, bodies[1].1, "the retry sends the same alert");
    let first = &bodies[1].1;
    let text = first["text"].as_str().unwrap();
    assert!(text.contains("rut broke out on 2025-09-18") && text.contains("data as of 2026-08-21"), "{text}");
    assert_eq!(first["content"], first["text"], "Discord reads `content`, Slack `text`");
    assert_eq!(first["alert"]["rule"], "rut-breakout");
    assert_eq!(first["alert"]["as_of"], "2026-08-21");
    // The Yahoo file stores the 2021 high as 2442.739990234375 (single precision).
    assert!((first["alert"]["values"]["prior_high"].as_f64().unwrap() - 2442.74).abs() < 1e-4);

    // A second run (a restart) sends nothing.
    let again = watch(&db, &rules, &["--webhook", &hook.url]);
    assert!(again.status.success());
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(report["new"].as_array().unwrap().is_empty() && report["delivered"].as_array().unwrap().is_empty());
    assert_eq!(hook.bodies.lock().unwrap().len(), 3);

    let history = ok_json(&db, &["alerts"]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|a| a["delivered_at"].is_string()));
    assert_eq!(history.iter().map(|a| a["attempts"].as_i64().unwrap()).sum::<i64>(), 2);
}

#[test]
fn an_undelivered_alert_stays_pending_and_is_sent_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::seeded_db(dir.path());
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nname = \"b\"\nsignal = \"breakout:rut\"\nmax_age_days = 36500\n").unwrap();
    // The command channel fails the first run, works the second.
    let flag = dir.path().join("ok");
    let sink = dir.path().join("sink.json");
    let cmd = format!("test -e {} && cat > {}", flag.display(), sink.display());
    let out = watch(&db, &rules, &["--exec", &cmd, "--retries", "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be delivered"));
    assert!(!sink.exists());
    std::fs::write(&flag, "").unwrap();
    let out = watch(&db, &rules, &["--exec", &cmd]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sent: Value = serde_json::from_str(&std::fs::read_to_string(&sink).unwrap()).unwrap();
    assert_eq!(sent["alert"]["key"], "2025-09-18");
    let history = ok_json(&db, &["alerts"]);
    assert_eq!(history[0]["attempts"], 2);
    assert!(history[0]["delivered_at"].is_string());
}

#[test]
fn watch_refuses_bad_rules_and_no_channel() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nname = \"x\"\nsignal = \"moon:rut\"\n").unwrap();
    let out = watch(&db, &rules, &["--webhook", "http://127.0.0.1:9/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rule \"x\": signal \"moon:rut\""));
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/example.toml");
    let out = watch(&db, &example, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--webhook"));
}
