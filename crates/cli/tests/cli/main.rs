//! End-to-end tests of the `riskcurve` binary: the shared data manifest, bad
//! input (exit 2, database unchanged), global flags, `update` against a local
//! HTTP server, and SIGKILL during an import.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_riskcurve");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn manifest() -> PathBuf {
    repo().join("datasets/shared-data.toml")
}

fn fixture(rel: &str) -> String {
    let p = repo().join("../shared/fixtures").join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn rc(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--db").arg(db).args(args).env_remove("RISKCURVE_DB").output().expect("run riskcurve")
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    let out = rc(db, &[&["--json"], args].concat());
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn list(db: &Path) -> Vec<Value> {
    ok_json(db, &["series", "list"]).as_array().expect("array").clone()
}

fn find<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("series {id} missing"))
}

/// The observable content of a database: every series and its merged rows.
fn dump(db: &Path) -> String {
    let mut s = String::new();
    for series in list(db) {
        let id = series["id"].as_str().unwrap();
        s.push_str(&ok_json(db, &["series", "show", id]).to_string());
    }
    s
}

#[test]
fn shared_data_manifest_loads_everything_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let first = ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let all = list(&db);
    assert_eq!(find(&all, "rut")["first"], "1987-09-10");
    assert_eq!(find(&all, "rut")["last"], "2026-08-21", "heliar extends the Yahoo file");
    // blockchain.com has 0 (no market) until 2010-08-16; its every-other-day
    // rows put the first price on 2010-08-18.
    assert!(find(&all, "btc")["first"].as_str().unwrap().starts_with("2010-08"));
    let btc_sources: Vec<&str> =
        find(&all, "btc")["sources"].as_array().unwrap().iter().map(|s| s["source"].as_str().unwrap()).collect();
    assert_eq!(btc_sources[0], "yahoo", "best source first: {btc_sources:?}");
    assert!(btc_sources.contains(&"blockchain.com") && btc_sources.contains(&"binance"));
    assert_eq!(find(&all, "eth")["first"], "2017-08-17", "binance starts ETH before Yahoo");
    for alt in [
        "bnb", "xrp", "ada", "sol", "doge", "ltc", "link", "dot", "avax", "trx", "xlm", "etc", "atom", "bch", "uni",
        "shib",
    ] {
        assert!(find(&all, alt)["rows"].as_u64().unwrap() > 1000, "{alt}");
    }
    for liq in ["walcl", "wtregen", "rrpontsyd", "wresbal", "m2sl"] {
        assert_eq!(find(&all, liq)["unit"], "USD millions", "{liq}");
    }
    assert_eq!(find(&all, "usdt")["flags"], serde_json::json!(["stablecoin"]));

    // Values are converted: RRPONTSYD is 1,904.582 billions on 2021-12-31 in the FRED file.
    let rrp = ok_json(&db, &["series", "show", "rrpontsyd", "--from", "2021-12-31", "--to", "2021-12-31"]);
    assert_eq!(rrp["observations"][0]["value"].as_f64().unwrap(), 1_904_582.0);
    // The btc splice: blockchain.com before Yahoo's start, Yahoo after.
    let btc = ok_json(&db, &["series", "show", "btc", "--from", "2014-09-15", "--to", "2014-09-18"]);
    let sources: Vec<&str> =
        btc["observations"].as_array().unwrap().iter().map(|o| o["source"].as_str().unwrap()).collect();
    assert_eq!(sources.first(), Some(&"blockchain.com"));
    assert_eq!(sources.last(), Some(&"yahoo"));

    let second = ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let sum = |v: &Value, k: &str| v["imports"].as_array().unwrap().iter().map(|r| r[k].as_u64().unwrap()).sum::<u64>();
    assert!(sum(&first, "inserted") > 200_000);
    assert_eq!(sum(&second, "inserted"), 0);
    assert_eq!(sum(&second, "updated"), 0);
    let rows = |l: &[Value]| l.iter().map(|s| (s["id"].to_string(), s["rows"].as_u64().unwrap())).collect::<Vec<_>>();
    assert_eq!(rows(&all), rows(&list(&db)));
}

#[test]
fn global_flags_work_before_and_after_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let file = repo().join("../shared/data/walcl_weekly_fred.csv");
    let out = rc(&db, &["import", file.to_str().unwrap(), "--series", "walcl"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = Command::new(BIN).args(["--db", db.to_str().unwrap(), "--json", "series", "list"]).output().unwrap();
    let after = Command::new(BIN).args(["series", "list", "--json", "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(before.status.success() && after.status.success());
    assert_eq!(before.stdout, after.stdout);
    let env = Command::new(BIN).args(["series", "list", "--json"]).env("RISKCURVE_DB", &db).output().unwrap();
    assert_eq!(env.stdout, before.stdout);
    let v: Value = serde_json::from_slice(&before.stdout).unwrap();
    let walcl = &v[0];
    for key in ["id", "first", "last", "rows", "unit"] {
        assert!(!walcl[key].is_null(), "{key}");
    }
    let show = ok_json(&db, &["series", "show", "walcl", "--tail", "2"]);
    let obs = show["observations"].as_array().unwrap();
    assert_eq!(obs.len(), 2);
    assert_eq!(obs[1]["date"], "2026-07-22");
    assert!(obs[1]["open"].is_null(), "FRED has no OHLC");
}

/// Each bad file: exit status 2, one line naming file, line and problem,
/// and the database exactly as before. `--lenient` skips the bad rows.
#[test]
fn bad_input_is_refused_with_one_line_and_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    // Hand-made files: a good one to start from, then one per problem.
    let good = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,100\n";
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let g = write("good.csv", good);
    assert!(rc(&db, &["import", g.to_str().unwrap(), "--series", "toy"]).status.success());
    let mut before = dump(&db);
    let cases: &[(&str, &str, &str, Option<usize>)] = &[
        ("empty.csv", "", "empty.csv: file is empty", None),
        ("page.csv", "<!DOCTYPE html><html><body>Service Unavailable</body></html>\n", "empty", None),
        (
            "truncated.csv",
            "Date,Open,High,Low,Close,Volume\n2024-01-04,11,12,10,11.5,100\n2024-01-05,11.5,1",
            "truncated.csv:3:",
            Some(1),
        ),
        (
            "text.csv",
            "Date,Open,High,Low,Close,Volume\n2024-01-04,11,12,10,abc,100\n2024-01-05,11,12,10,11,100\n",
            "text.csv:2:",
            Some(1),
        ),
        (
            "zero.csv",
            "Date,Open,High,Low,Close,Volume\n2024-01-04,11,12,10,11,100\n2024-01-05,11,12,10,-3,100\n",
            "zero.csv:3:",
            Some(1),
        ),
        (
            "order.csv",
            "Date,Open,High,Low,Close,Volume\n2024-01-05,11,12,10,11,100\n2024-01-04,11,12,10,11,100\n",
            "order.csv:3:",
            Some(1),
        ),
        (
            "dup.csv",
            "Date,Open,High,Low,Close,Volume\n2024-01-04,11,12,10,11,100\n2024-01-04,11,12,10,12,100\n",
            "dup.csv:3:",
            Some(1),
        ),
    ];
    for (name, text, expected, lenient_skips) in cases {
        let p = write(name, text);
        let out = rc(&db, &["import", p.to_str().unwrap(), "--series", "toy"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
        if *name == "page.csv" {
            assert!(err.contains("page.csv") && err.to_lowercase().contains("html"), "{err}");
        } else {
            assert!(err.contains(expected), "{name}: {err}");
        }
        assert_eq!(dump(&db), before, "{name} changed the database");
        let out = rc(&db, &["--json", "import", p.to_str().unwrap(), "--series", "toy2", "--lenient"]);
        match lenient_skips {
            Some(n) => {
                assert!(out.status.success(), "{name} lenient: {}", String::from_utf8_lossy(&out.stderr));
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["imports"][0]["skipped"], *n, "{name}");
            }
            None => assert_eq!(out.status.code(), Some(2), "{name} is refused even when lenient"),
        }
        before = dump(&db);
    }
    // A manifest whose last file is bad writes nothing at all.
    let bad_manifest = write(
        "m.toml",
        &format!(
            "data_dir = {:?}\n[[import]]\nfile = \"good.csv\"\nseries = \"other\"\n[[import]]\nfile = \"text.csv\"\nseries = \"toy3\"\n",
            dir.path()
        ),
    );
    let with_toy2 = dump(&db);
    let out = rc(&db, &["import", "--manifest", bad_manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dump(&db), with_toy2);
    // Unknown flags values are bad input too.
    let out = rc(&db, &["import", g.to_str().unwrap(), "--series", "toy", "--format", "excel"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rc(&db, &["series", "show", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_catalog_series_in_the_wrong_unit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    // WALCL in millions, claimed to be in billions: 1000x too large.
    let file = repo().join("../shared/data/walcl_weekly_fred.csv");
    let out = rc(&db, &["import", file.to_str().unwrap(), "--series", "walcl", "--unit", "USD billions"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside the expected"));
}

/// A scripted HTTP server: each request path is answered by the first route
/// whose prefix matches; requests are recorded.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

fn serve(routes: Vec<(&'static str, u16, String)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            log.lock().unwrap().push(path.clone());
            let (status, body) = routes
                .iter()
                .find(|(prefix, _, _)| path.starts_with(prefix))
                .map(|(_, s, b)| (*s, b.clone()))
                .unwrap_or((404, "{\"error\":\"no route\"}".into()));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Server { base, seen }
}

#[test]
fn update_fetches_falls_back_and_reports_failures_per_series() {
    // Binance has no 1d recording; these two rows are in the documented
    // kline shape (open time ms, strings for prices, close time, ...).
    let klines = r#"[[1704067200000,"42283.58","44184.10","42180.77","44179.55","27174.29903",1704153599999,"1169995682.7",1000,"14000.1","600000000.1","0"],[1704153600000,"44179.55","45879.63","44148.34","44946.91","65146.40661",1704239999999,"2900000000.2",2000,"33000.1","1500000000.1","0"]]"#;
    let server = serve(vec![
        ("/v8/finance/chart/%5EGSPC", 200, fixture("yahoo/chart_gspc_1d_2023-01-03_to_2024-06-28.json")),
        ("/v8/finance/chart/BTC-USD", 503, "<html><body>503 Service Unavailable</body></html>".into()),
        ("/api/v3/klines?symbol=BTCUSDT", 200, klines.into()),
        ("/v8/finance/chart/ETH-USD", 404, fixture("yahoo/chart_error_not_found_404.json")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--json", "update", "--series", "spx", "--series", "btc"])
        .args(["--series", "eth", "--retries", "1", "--timeout", "5"])
        .envs(
            ["YAHOO", "FRED", "BINANCE", "COINGECKO", "COINMETRICS"]
                .map(|k| (format!("RISKCURVE_{k}_URL"), &server.base)),
        )
        .env_remove("FRED_API_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "eth failed: {stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let updated = v["updated"].as_array().unwrap();
    let spx = updated.iter().find(|u| u["series"] == "spx").expect("spx landed");
    assert_eq!((spx["source"].as_str(), spx["rows"].as_u64()), (Some("yahoo"), Some(374)));
    let btc = updated.iter().find(|u| u["series"] == "btc").expect("btc fell back to binance");
    assert_eq!((btc["source"].as_str(), btc["rows"].as_u64()), (Some("binance"), Some(2)));
    let failed = v["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["series"], "eth");
    let eth_line: Vec<&str> = stderr.lines().filter(|l| l.starts_with("failed: eth")).collect();
    assert_eq!(eth_line.len(), 1, "{stderr}");
    assert!(eth_line[0].contains("No data found"), "the vendor's message: {stderr}");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.iter().filter(|p| p.starts_with("/v8/finance/chart/BTC-USD")).count(), 2, "1 retry: {seen:?}");

    // What landed is readable; a second update refetches only the overlap.
    let show = ok_json(&db, &["series", "show", "spx", "--tail", "1"]);
    assert_eq!(show["observations"][0]["date"], "2024-06-28");
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "update", "--series", "spx", "--retries", "0"])
        .env("RISKCURVE_YAHOO_URL", &server.base)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = server.seen.lock().unwrap().last().cloned().unwrap();
    let period1: i64 = last.split("period1=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    // 2024-06-28 minus the 7-day overlap = 2024-06-21 00:00 UTC.
    assert_eq!(period1, 1_718_928_000, "{last}");
}

/// SIGKILL at several points of a manifest import: the database always
/// passes integrity_check, and every series/source holds exactly the rows its
/// committed writes inserted (each write commits its rows and its provenance
/// row together, so a half-written series would break the equality).
#[test]
fn killing_an_import_leaves_no_half_written_series() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    for delay_ms in [30u64, 120, 250, 400, 700] {
        let mut child = Command::new(BIN)
            .args(["--db", db.to_str().unwrap(), "import", "--manifest", manifest().to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on unix
        let _ = child.wait();
        if !db.exists() {
            continue;
        }
        let store = riskcurve_store::Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "after {delay_ms} ms");
        for s in store.list().unwrap() {
            let prov = store.provenance(&s.id).unwrap();
            for src in &s.sources {
                let inserted: u64 = prov.iter().filter(|p| p.source == src.source).map(|p| p.inserted).sum();
                assert_eq!(src.rows, inserted, "{} from {} after {delay_ms} ms", s.id, src.source);
            }
        }
    }
    // And a full run afterwards completes to the same state as a clean one.
    let mut child = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "import", "--manifest", manifest().to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success());
    let clean = tempfile::tempdir().unwrap();
    let clean_db = clean.path().join("rc.db");
    ok_json(&clean_db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let rows = |l: Vec<Value>| l.iter().map(|s| (s["id"].to_string(), s["rows"].as_u64().unwrap())).collect::<Vec<_>>();
    assert_eq!(rows(list(&db)), rows(list(&clean_db)));
}

/// The signal commands on the shared data: JSON shapes and the events the
/// seed articles cite.
#[test]
fn signal_commands_on_the_shared_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);

    let b = ok_json(&db, &["breakouts", "--series", "rut", "--min-days", "365"]);
    assert_eq!(b["series"], "rut");
    assert_eq!(b["params"]["basis"], "close");
    let dates: Vec<&str> = b["events"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    for cited in ["2016-11-14", "2020-11-13", "2025-09-18"] {
        assert!(dates.contains(&cited), "{cited} in {dates:?}");
    }
    assert_eq!(b["status"]["last_date"], "2026-08-21");
    // Raising --min-days never adds events.
    let longer = ok_json(&db, &["breakouts", "--series", "rut", "--min-days", "730"]);
    let longer: Vec<&str> = longer["events"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(longer.iter().all(|d| dates.contains(d)) && longer.len() < dates.len());
    let level = ok_json(&db, &["breakouts", "--series", "rut", "--level", "2600"]);
    assert_eq!(level["events"][0]["date"], "2026-01-08");
    let ratio = ok_json(&db, &["breakouts", "--series", "rut/spx"]);
    assert!(ratio["trend"]["above"].is_boolean());

    let c = ok_json(&db, &["cycles", "--days", "640"]);
    let cycles = c["cycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 4);
    assert_eq!(cycles[2]["halving"], "2020-05-11");
    assert!((cycles[2]["multiple"].as_f64().unwrap() - 5.06).abs() < 0.01);

    let l = ok_json(&db, &["liquidity", "--from", "2026-01-15", "--to", "2026-01-16"]);
    assert_eq!(l["unit"], "USD millions");
    let obs = l["observations"].as_array().unwrap();
    // Thursday's 16:00 close comes before the 16:30 H.4.1: still last week's WALCL.
    assert_eq!(obs[0]["walcl"].as_f64().unwrap(), 6_573_602.0);
    assert_eq!(obs[1]["walcl"].as_f64().unwrap(), 6_581_700.0);
    assert_eq!(obs[1]["net_liquidity"].as_f64().unwrap(), 6_581_700.0 - 779_175.0 - 1_222.0);

    let a = ok_json(&db, &["altseason", "--step", "30"]);
    assert_eq!(a["window"], 90);
    let row = &a["observations"][0];
    for key in ["date", "index", "n_coins", "state", "universe"] {
        assert!(!row[key].is_null(), "{key}");
    }
    let r = ok_json(&db, &["rotation"]);
    assert_eq!(r["rungs"].as_array().unwrap().len(), 5);
    assert!(r["current"]["stage_name"].is_string());

    let ll = ok_json(
        &db,
        &["leadlag", "--lead", "rut", "--lag", "btc", "--max-lag", "4", "--from", "2014-09-17", "--to", "2026-02-20"],
    );
    assert_eq!(ll["granger"].as_array().unwrap().len(), 4);
    assert_eq!(ll["ccf"].as_array().unwrap().len(), 9);
    // statsmodels' df at lag 2: n - 3*2 - 1 (the golden values live in crates/stats).
    let n = ll["n"].as_u64().unwrap();
    assert_eq!(ll["granger"][1]["df_den"].as_u64().unwrap(), n - 3 * 2 - 1);
    // Weekly periods keep the last close both series have (issue 10 item 21),
    // so a Friday NYSE holiday uses Thursday for BTC too; numbers from
    // crates/cli/tests/reference/leadlag_rut_btc_common_close.py (statsmodels
    // 0.15.0): 596 returns, Granger lag 1 F = 0.18318802741310455,
    // Toda-Yamamoto (p = 4 by AIC up to 4, d_max = 1) chi2 = 5.5904843894134535.
    assert_eq!(n, 596);
    let f1 = ll["granger"][0]["f"].as_f64().unwrap();
    assert!((f1 / 0.18318802741310455 - 1.0).abs() < 1e-8, "{f1}");
    let ty = &ll["toda_yamamoto"]["forward"];
    assert_eq!(ty["lag"], 4);
    assert!((ty["chi2"].as_f64().unwrap() / 5.5904843894134535 - 1.0).abs() < 1e-8, "{ty}");
    assert_eq!(ll["ccf_bands"]["bands"].as_array().unwrap().len(), 9);
    assert_eq!(ll["rolling_correlation"]["window"], 52);
    let m = ok_json(&db, &["leadlag", "--all", "spx,rut,btc", "--max-lag", "2"]);
    let pairs = m["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 6, "every ordered pair");
    assert_eq!((pairs[0]["lead"].as_str(), pairs[0]["lag"].as_str()), (Some("spx"), Some("rut")));
    assert_eq!(rc(&db, &["leadlag", "--freq", "hourly"]).status.code(), Some(2));

    let es = ok_json(
        &db,
        &[
            "event-study",
            "--signal",
            "breakout:rut:min-days=365",
            "--from",
            "2010-01-01",
            "--targets",
            "btc",
            "--horizons",
            "90",
            "--placebos",
            "2000",
        ],
    );
    assert_eq!(es["signal"], "breakout:rut:min-days=365");
    assert_eq!(es["events"].as_array().unwrap().len(), 5);
    let h = &es["targets"][0]["horizons"][0];
    assert_eq!((h["days"].as_u64(), h["n"].as_u64()), (Some(90), Some(5)));
    // An equity close on 2016-11-14 (Mon) acts on the crypto close of 2016-11-15.
    let first_2016 = h["per_event"].as_array().unwrap().iter().find(|e| e["date"] == "2016-11-14").unwrap();
    assert_eq!(first_2016["entry_date"], "2016-11-15");
    assert!(es["verdict"].as_str().unwrap().contains("too few"));
    assert_eq!(rc(&db, &["event-study", "--signal", "breakout:nope"]).status.code(), Some(2));

    // Bad parameters are bad input.
    assert_eq!(rc(&db, &["breakouts", "--confirm-days", "0"]).status.code(), Some(2));
    assert_eq!(rc(&db, &["breakouts", "--basis", "open"]).status.code(), Some(2));
    assert_eq!(rc(&db, &["altseason", "--rule", "nope"]).status.code(), Some(2));
}

/// Every live source's base URL pointed at a closed local port: the machine
/// is "offline" (connections refused), without touching the network.
fn offline(cmd: &mut Command) -> &mut Command {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for k in ["YAHOO", "FRED", "BINANCE", "COINGECKO", "COINMETRICS"] {
        cmd.env(format!("RISKCURVE_{k}_URL"), format!("http://127.0.0.1:{port}"));
    }
    cmd.env_remove("RISKCURVE_DB").env_remove("RISKCURVE_OFFLINE").env_remove("FRED_API_KEY")
}

/// A database in `dir` seeded from the embedded snapshot by an offline `status`.
fn seeded_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("rc.db");
    let out = offline(Command::new(BIN).args(["--db", db.to_str().unwrap()]))
        .args(["status", "--no-claims"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

/// The committed snapshot is exactly what `snapshot build` makes of
/// ../shared/data: it is real data, and it is reproducible.
#[test]
fn embedded_snapshot_is_what_the_committed_command_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snap.bin");
    let db = dir.path().join("unused.db");
    let built = ok_json(
        &db,
        &["snapshot", "build", "--manifest", manifest().to_str().unwrap(), "--out", out.to_str().unwrap()],
    );
    let committed = std::fs::read(repo().join("snapshot/riskcurve-snapshot.bin")).unwrap();
    let fresh = std::fs::read(&out).unwrap();
    assert!(fresh == committed, "rebuild with `riskcurve snapshot build` and commit snapshot/riskcurve-snapshot.bin");
    assert!(committed.len() < 2 * 1024 * 1024, "the snapshot stays small: {} bytes", committed.len());
    // What the binary embeds is what was committed.
    let shown = ok_json(&db, &["snapshot", "show"]);
    assert_eq!(shown, built);
    let rut = shown["series"].as_array().unwrap().iter().find(|s| s["id"] == "rut").unwrap();
    assert_eq!((rut["rows"].as_u64(), rut["last"].as_str()), (Some(9811), Some("2026-08-21")));
    for id in ["spx", "ixic", "iwm", "btc", "eth", "walcl", "wtregen", "rrpontsyd", "dgs10", "dff", "sol", "xrp"] {
        assert!(shown["series"].as_array().unwrap().iter().any(|s| s["id"] == id), "{id} in the snapshot");
    }
}

/// The README's first command on a fresh machine without network: an empty
/// database is seeded from the embedded snapshot, and every rung and signal
/// carries its as-of date, age and stale flag.
#[test]
fn status_offline_on_an_empty_database_seeds_from_the_snapshot_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let out = offline(Command::new(BIN).args(["--db", db.to_str().unwrap(), "--today", "2026-11-30", "--json"]))
        .args(["status", "--no-claims"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "breakout is OFF on the snapshot: {stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data"]["origin"], "snapshot");
    assert!(v["data"]["message"].as_str().unwrap().starts_with("network unreachable"), "{}", v["data"]);
    let rungs = v["rungs"].as_array().unwrap();
    let ids: Vec<&str> = rungs.iter().map(|r| r["rung"].as_str().unwrap()).collect();
    assert_eq!(ids, ["dgs10", "spx", "rut", "btc", "eth", "alts"]);
    for r in rungs {
        assert!(r["as_of"].is_string() && r["age_days"].is_i64() && r["stale"].is_boolean(), "{r}");
    }
    let rut = &rungs[2];
    assert_eq!((rut["as_of"].as_str(), rut["age_days"].as_i64()), (Some("2026-08-21"), Some(101)));
    assert_eq!((rut["stale"].as_bool(), rut["source"].as_str()), (Some(true), Some("snapshot")));
    assert!((rut["last"].as_f64().unwrap() - 3017.87).abs() < 1e-9);
    let signals = v["signals"].as_array().unwrap();
    let state = |id: &str| signals.iter().find(|s| s["id"] == id).unwrap().clone();
    // The last RUT breakout (2025-09-18) failed within 20 sessions: OFF.
    assert_eq!(state("breakout")["state"], "off");
    assert!(state("breakout")["summary"].as_str().unwrap().contains("last breakout 2025-09-18 failed 2025-09-24"));
    assert_eq!(state("liquidity")["state"], "off");
    assert_eq!(state("liquidity")["as_of"], "2026-08-21");
    assert_eq!(v["liquidity"]["regime"], "contracting");
    assert!(v["halving"]["days_since"].as_i64() == Some(954), "{}", v["halving"]);
    // The snapshot's rows are labelled, never passed off as a live source.
    let btc = find(&list(&db), "btc").clone();
    assert_eq!(btc["sources"][0]["source"], "snapshot");

    // A second run reads what is stored and tries no network.
    let again = ok_json(&db, &["status", "--no-claims", "--today", "2026-11-30"]);
    assert_eq!(again["data"]["origin"], "stored");
    assert_eq!(again["rungs"], v["rungs"]);
}

/// Offline `update` of the whole catalog ends with one line, not one per
/// series and source, and stores nothing.
#[test]
fn offline_update_fails_fast_with_one_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let out = offline(Command::new(BIN).args(["--db", db.to_str().unwrap(), "update"])).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: network unreachable (127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("import --manifest"), "a hint: {stderr}");
    assert!(list(&db).is_empty());
}

/// `status` exits 10 when the breakout signal is ON, so cron can act on it.
/// Hand-made RUT closes: a high of 1,000 on 2024-01-02, a year and a half
/// below it, then closes above it in the last weeks (obviously made up).
#[test]
fn status_exits_10_when_the_breakout_signal_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let csv = dir.path().join("rut.csv");
    let mut text = String::from("Date,Open,High,Low,Close,Volume\n");
    let start = riskcurve_core::Date::from_ymd(2024, 1, 2).unwrap();
    let mut day = start;
    let end = riskcurve_core::Date::from_ymd(2025, 8, 29).unwrap();
    while day <= end {
        if !day.is_weekend() {
            let close = if day == start {
                1000.0
            } else if day < riskcurve_core::Date::from_ymd(2025, 8, 1).unwrap() {
                900.0
            } else {
                1010.0
            };
            text.push_str(&format!("{day},{close},{close},{close},{close},1000\n"));
        }
        day = day.add_days(1);
    }
    std::fs::write(&csv, text).unwrap();
    ok_json(&db, &["import", csv.to_str().unwrap(), "--series", "rut", "--file-format", "yahoo"]);
    let run =
        |extra: &[&str]| rc(&db, &[&["status", "--offline", "--no-claims", "--today", "2025-09-01"], extra].concat());
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(10), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("breakout   ON"), "{text}");
    // Liquidity is not stored: unknown, which is not ON.
    assert_eq!(run(&["--exit-on", "liquidity"]).status.code(), Some(0));
    assert_eq!(run(&["--exit-on", "any"]).status.code(), Some(10));
}

/// One spelling for lists and formats across commands; tables export as CSV.
#[test]
fn lists_formats_and_unknown_claim_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let out = offline(Command::new(BIN).args(["--db", db.to_str().unwrap()]))
        .args(["status", "--no-claims"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let claims = ok_json(&db, &["claims", "--id", "C4,C8", "--placebos", "200"]);
    let ids: Vec<&str> = claims["claims"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["C4", "C8"]);
    let bad = rc(&db, &["claims", "--id", "C99"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--id C99: no such claim"));

    let csv = rc(&db, &["--format", "csv", "series", "list"]);
    let text = String::from_utf8_lossy(&csv.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,name,sources,first,last,rows,unit"));
    let rut = lines.find(|l| l.starts_with("rut,")).unwrap();
    assert!(rut.ends_with(",snapshot,1987-09-10,2026-08-21,9811,index points"), "{rut}");

    // Colour only when asked (or on a terminal without NO_COLOR).
    let plain = rc(&db, &["breakouts"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let colour = rc(&db, &["--color", "always", "breakouts"]);
    assert!(String::from_utf8_lossy(&colour.stdout).contains("\x1b[31mfailed 2025-09-24"));
    // Percentages and prices for people.
    let table = String::from_utf8_lossy(&plain.stdout).to_string();
    assert!(table.contains("2025-09-18  2,467.70    2,442.74"), "{table}");
    assert!(table.contains("-1.65% from it"), "{table}");
}

mod backtest;
mod claims;
mod faults;
mod serve;
mod sources;
mod trust;
mod watch;

/// A "breakout" right after a multi-year hole in the data is reported with a
/// warning: the old high may only seem to have stood because the data stops.
/// Hand-made closes: a high of 100 in 2007, 90 until mid-2008, nothing for
/// five years, then 101 in 2013 (obviously made up).
#[test]
fn breakout_across_a_hole_longer_than_the_look_back_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let write = |name: &str, hole: bool| {
        let mut text = String::from("Date,Open,High,Low,Close,Volume\n");
        let mut day = riskcurve_core::Date::from_ymd(2007, 1, 2).unwrap();
        let end = riskcurve_core::Date::from_ymd(2013, 7, 1).unwrap();
        while day <= end {
            let in_hole = hole
                && day > riskcurve_core::Date::from_ymd(2008, 6, 30).unwrap()
                && day < riskcurve_core::Date::from_ymd(2013, 6, 3).unwrap();
            if !day.is_weekend() && !in_hole {
                let close = if day == riskcurve_core::Date::from_ymd(2007, 1, 2).unwrap() {
                    100.0
                } else if day < riskcurve_core::Date::from_ymd(2013, 6, 3).unwrap() {
                    90.0
                } else {
                    101.0
                };
                text.push_str(&format!("{day},{close},{close},{close},{close},1000\n"));
            }
            day = day.add_days(1);
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    for (id, hole) in [("holey", true), ("whole", false)] {
        let file = write(&format!("{id}.csv"), hole);
        ok_json(
            &db,
            &["import", file.to_str().unwrap(), "--series", id, "--file-format", "yahoo", "--unit", "index points"],
        );
        let b = ok_json(&db, &["breakouts", "--series", id, "--min-days", "365"]);
        assert_eq!(b["events"][0]["date"], "2013-06-03", "{b}");
        let warnings = b["warnings"].as_array().unwrap();
        if hole {
            assert_eq!(warnings.len(), 1, "{b}");
            let w = warnings[0].as_str().unwrap();
            assert!(w.contains("1799-day hole in the data from 2008-06-30") && w.contains("365-day look-back"), "{w}");
        } else {
            assert!(warnings.is_empty(), "{b}");
        }
    }
}
