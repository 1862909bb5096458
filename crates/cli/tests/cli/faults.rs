//! Issue 11, the fault suite: what riskcurve guarantees, checked end to end.
//!
//! Every fault is a row of a table: the command (against a local fake
//! provider where it is `update`), the exit status expected, a fragment of
//! the one-line message, and the database unchanged (the dump of every
//! `series show`). The README's "What riskcurve guarantees" section states
//! what these tests check: atomic imports, kept revisions, one validation
//! path for files and providers, bounded input.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{dump, ok_json, rc, repo, serve, BIN};

fn data(name: &str) -> PathBuf {
    repo().join("../shared/data").join(name)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A database holding walcl (the FRED file, USD millions, to 2026-07-22)
/// and btc (the Yahoo file, to 2026-06-05).
fn base_db(dir: &Path) -> PathBuf {
    let db = dir.join("rc.db");
    ok_json(&db, &["import", path(&data("walcl_weekly_fred.csv")), "--series", "walcl"]);
    ok_json(&db, &["import", path(&data("btc_usd_daily_yahoo.csv")), "--series", "btc"]);
    db
}

/// Unix seconds of midnight UTC on `date`.
fn ts(date: &str) -> i64 {
    date.parse::<riskcurve_core::Date>().unwrap().unix_seconds()
}

/// A Yahoo chart body for `symbol` with (timestamp, close) rows.
fn chart(symbol: &str, rows: &[(String, &str)]) -> String {
    let stamps: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    let closes: Vec<&str> = rows.iter().map(|(_, c)| *c).collect();
    format!(
        r#"{{"chart":{{"result":[{{"meta":{{"symbol":"{symbol}","gmtoffset":0}},"timestamp":[{}],"indicators":{{"quote":[{{"close":[{}]}}]}}}}],"error":null}}}}"#,
        stamps.join(","),
        closes.join(",")
    )
}

/// Two good BTC rows after the stored end, and one more row given as is.
fn btc_chart(symbol: &str, extra: (String, &str)) -> String {
    let mut rows =
        vec![(ts("2026-06-04").to_string(), "63801.57421875"), (ts("2026-06-05").to_string(), "61488.44921875")];
    rows.insert(0, extra);
    chart(symbol, &rows)
}

/// What one fault is, what it should do.
struct Case {
    name: &'static str,
    /// The command after `--db DB`; `{dir}` is the test directory.
    args: Vec<String>,
    /// Routes of the fake provider (every source's base URL points at it).
    routes: Vec<(&'static str, u16, String)>,
    /// Files written into the test directory first: (name, bytes).
    files: Vec<(&'static str, Vec<u8>)>,
    exit: i32,
    /// A fragment the (one-line) error must contain.
    message: &'static str,
}

fn case(name: &'static str, args: &[&str], exit: i32, message: &'static str) -> Case {
    Case { name, args: args.iter().map(|s| s.to_string()).collect(), routes: vec![], files: vec![], exit, message }
}

impl Case {
    fn routes(mut self, routes: Vec<(&'static str, u16, String)>) -> Case {
        self.routes = routes;
        self
    }

    fn file(mut self, name: &'static str, bytes: impl Into<Vec<u8>>) -> Case {
        self.files.push((name, bytes.into()));
        self
    }
}

/// Runs each case against a copy of one base database: the exit status,
/// the message, one line of stderr at most for bad input, and the database
/// exactly as before.
fn run_cases(cases: Vec<Case>) {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let before = dump(&db);
    for c in cases {
        for (name, bytes) in &c.files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let server = serve(c.routes.clone());
        let args: Vec<String> = c.args.iter().map(|a| a.replace("{dir}", path(dir.path()))).collect();
        let mut cmd = Command::new(BIN);
        cmd.arg("--db").arg(&db).args(&args).env_remove("RISKCURVE_DB").env_remove("RISKCURVE_CATALOG");
        for k in ["YAHOO", "FRED", "BINANCE", "COINGECKO", "COINMETRICS"] {
            cmd.env(format!("RISKCURVE_{k}_URL"), &server.base);
        }
        let started = Instant::now();
        let out = cmd.env_remove("FRED_API_KEY").stdin(Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(started.elapsed() < Duration::from_secs(30), "{}: took {:?}", c.name, started.elapsed());
        assert_eq!(out.status.code(), Some(c.exit), "{}: {stderr}", c.name);
        assert!(stderr.contains(c.message), "{}: {stderr:?} lacks {:?}", c.name, c.message);
        assert!(stderr.len() < 2000, "{}: {} bytes of stderr", c.name, stderr.len());
        assert!(!stderr.contains("None") && !stderr.contains("Some("), "{}: {stderr}", c.name);
        if c.exit == 2 {
            assert_eq!(stderr.lines().count(), 1, "{}: one line: {stderr}", c.name);
        }
        assert_eq!(dump(&db), before, "{} changed the database", c.name);
    }
}

fn update(series: &str) -> Vec<&str> {
    vec!["update", "--series", series, "--retries", "0", "--timeout", "5"]
}

/// Issue 11 item 1: WALCL arriving in billions overwrote stored values
/// (6,759,955 -> 6,700) with exit 0; a 10-row file in billions flipped the
/// liquidity regime. Both are short batches the median check skipped.
#[test]
fn small_batch_in_billions_is_refused_against_stored_neighbours() {
    let billions = "observation_date,WALCL\n2026-07-15,6743.028\n2026-07-22,6747.378\n2026-07-29,6750.0\n";
    let mut ten = String::from("date,WALCL\n");
    for (i, day) in ["07-29", "08-05", "08-12", "08-19", "08-26", "09-02", "09-09", "09-16", "09-23", "09-30"]
        .into_iter()
        .enumerate()
    {
        ten.push_str(&format!("2026-{day},{}\n", 6700.0 + i as f64));
    }
    run_cases(vec![
        case("walcl update in billions", &update("walcl"), 1, "values are 1/1000 of the stored ones")
            .routes(vec![("/graph/fredgraph.csv?id=WALCL", 200, billions.into())]),
        case(
            "walcl file in billions",
            &["import", "{dir}/walcl_billions.csv", "--series", "walcl"],
            2,
            "series walcl from source fred: values are 1/1007 of the stored ones (2026-08-12: 6702 against 6747378 stored from fred on 2026-07-22)",
        )
        .file("walcl_billions.csv", ten),
        case("btc file of a toy", &["import", "{dir}/toy.csv", "--series", "btc"], 2, "values are 1/")
            .file("toy.csv", "Date,Open,High,Low,Close,Volume\n2026-06-01,10,11,9,10.5,100\n"),
    ]);
}

/// Issue 11 item 2: zero closes, conflicting duplicates, bars 400 days
/// ahead, a response for another symbol and a timestamp of i64::MAX were
/// stored from a provider with exit 0.
#[test]
fn provider_rows_get_the_checks_file_rows_get() {
    let yahoo = |body: String| vec![("/v8/finance/chart/BTC-USD", 200, body)];
    let day = |d: &str| ts(d).to_string();
    run_cases(vec![
        case("another symbol", &update("btc"), 1, r#"the chart is for symbol "ETH-USD", not "BTC-USD""#)
            .routes(yahoo(btc_chart("ETH-USD", (day("2026-06-03"), "66000.0")))),
        case("i64::MAX timestamp", &update("btc"), 1, "is not a plausible date")
            .routes(yahoo(btc_chart("BTC-USD", (i64::MAX.to_string(), "66000.0")))),
        case("zero close", &update("btc"), 1, "close 0 is not a positive price")
            .routes(yahoo(btc_chart("BTC-USD", (day("2026-06-03"), "0")))),
        case("negative close", &update("btc"), 1, "close -1 is not a positive price")
            .routes(yahoo(btc_chart("BTC-USD", (day("2026-06-03"), "-1")))),
        case("400 days ahead", &update("btc"), 1, "is in the future")
            .routes(yahoo(btc_chart("BTC-USD", (ts("2028-01-05").to_string(), "66000.0")))),
        case("conflicting duplicates", &update("btc"), 1, "two different rows dated 2026-06-04")
            .routes(yahoo(btc_chart("BTC-USD", (day("2026-06-04"), "1.5")))),
        case("429 without Retry-After", &update("btc"), 1, "rate limited (HTTP 429);").routes(vec![(
            "/v8/finance/chart/BTC-USD",
            429,
            "{}".into(),
        )]),
        // The same checks on a file's rows.
        case(
            "a file row 400 days ahead",
            &["import", "{dir}/ahead.csv", "--series", "btc"],
            2,
            "ahead.csv: series btc: bar on 2028-01-05 is in the future",
        )
        .file(
            "ahead.csv",
            "Date,Open,High,Low,Close,Volume\n2026-06-04,1,1,1,63801.57421875,1\n2028-01-05,1,1,1,66000,1\n",
        ),
    ]);
    // Against a recorded fixture too: ^GSPC's chart answering for ^RUT.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    let server = serve(vec![(
        "/v8/finance/chart/%5ERUT",
        200,
        super::fixture("yahoo/chart_gspc_1d_2023-01-03_to_2024-06-28.json"),
    )]);
    let out = Command::new(BIN)
        .args(["--db", path(&db), "update", "--series", "rut", "--retries", "0"])
        .env("RISKCURVE_YAHOO_URL", &server.base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(r#"is for symbol "^GSPC", not "^RUT""#));
}

const GOOD: &str = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,100\n";

/// Issue 11 item 10: reading `/dev/zero` (as a file or from a manifest)
/// grew memory until killed. Non-regular files are refused before they are
/// read, and a file over `--max-file-size` without reading the rest.
#[test]
fn dev_zero_is_refused_as_a_non_regular_file() {
    run_cases(vec![
        case("/dev/zero", &["import", "/dev/zero", "--series", "toy"], 2, "/dev/zero: not a regular file"),
        case("a directory", &["import", "{dir}", "--series", "toy"], 2, "not a regular file"),
        case(
            "manifest naming /dev/zero",
            &["import", "--manifest", "{dir}/zero.toml", "--allow-outside"],
            2,
            "zero.toml [[import]] #1 (file \"/dev/zero\"): /dev/zero: not a regular file",
        )
        .file("zero.toml", "[[import]]\nfile = \"/dev/zero\"\nseries = \"x\"\n"),
        case("a catalog that is /dev/zero", &["--catalog", "/dev/zero", "series", "list"], 2, "not a regular file"),
        case(
            "a file over the size limit",
            &["import", "{dir}/big.csv", "--series", "toy", "--max-file-size", "1"],
            2,
            "big.csv: larger than the limit of 1048576 bytes (--max-file-size raises it)",
        )
        .file("big.csv", format!("Date,Close\n{}", "2024-01-02,1\n".repeat(100_000))),
    ]);
}

/// Issue 11 item 12: a manifest could name any file on the machine
/// (`../../etc/shadow`) and the error echoed its first line.
#[test]
fn manifest_path_outside_data_dir_is_refused() {
    let outside = "data_dir = \".\"\n[[import]]\nfile = \"good.csv\"\nseries = \"toy\"\n[[import]]\nfile = \"../../../../../../etc/passwd\"\nseries = \"x\"\n";
    run_cases(vec![
        case(
            "manifest outside its data directory",
            &["import", "--manifest", "{dir}/out.toml"],
            2,
            "out.toml [[import]] #2 (file \"../../../../../../etc/passwd\"): ",
        )
        .file("good.csv", GOOD)
        .file("out.toml", outside),
        case(
            "absolute path",
            &["import", "--manifest", "{dir}/abs.toml"],
            2,
            "/etc/passwd is outside the data directory",
        )
        .file("abs.toml", "[[import]]\nfile = \"/etc/passwd\"\nseries = \"x\"\n"),
    ]);
    // With --allow-outside the file is read, and a bad first line is echoed
    // as a short escaped prefix only.
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let secret = dir.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(
        secret.join("shadow"),
        format!("root:$6$SECRETSALT$\u{1b}[31m{}:19000:0:99999:7:::\n", "h".repeat(90)),
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let m = data.join("m.toml");
    std::fs::write(&m, "[[import]]\nfile = \"../secret/shadow\"\nseries = \"x\"\n").unwrap();
    let out = rc(&db, &["import", "--manifest", path(&m)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is outside the data directory"));
    let out = rc(&db, &["import", "--manifest", path(&m), "--allow-outside"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            r#"no recognisable header: "root:$6$SECRETSALT$\u{1b}[31mhhhhhhhhhhhhhhhh"... (93 more characters)"#
        ),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}') && stderr.len() < 400, "{stderr}");
}

/// Issue 11 item 5: two manifest entries writing one series and source with
/// different values flipped a row and added provenance on every re-run.
#[test]
fn manifest_entries_writing_one_series_and_source_differently_are_refused() {
    let entries = |a: &str, b: &str| format!("[[import]]\n{a}\nseries = \"toy\"\n[[import]]\n{b}\nseries = \"toy\"\n");
    run_cases(vec![
        case(
            "different values on a date",
            &["import", "--manifest", "{dir}/conflict.toml"],
            2,
            "conflict.toml [[import]] #2 (file \"other.csv\") both write series toy from source yahoo with different values on 2024-01-03 (close 11 and 11.5)",
        )
        .file("good.csv", GOOD)
        .file("other.csv", "Date,Open,High,Low,Close,Volume\n2024-01-03,10.5,12,10,11.5,100\n")
        .file("conflict.toml", entries("file = \"good.csv\"", "file = \"other.csv\"")),
        case(
            "different priorities",
            &["import", "--manifest", "{dir}/prio.toml"],
            2,
            "with different priorities (60 and 70)",
        )
        .file("good.csv", GOOD)
        .file("later.csv", "Date,Open,High,Low,Close,Volume\n2024-01-04,10.5,12,10,11.5,100\n")
        .file("prio.toml", entries("file = \"good.csv\"\npriority = 60", "file = \"later.csv\"\npriority = 70")),
        case(
            "different units",
            &["import", "--manifest", "{dir}/units.toml"],
            2,
            "describe series toy in different units (USD and EUR)",
        )
        .file("good.csv", GOOD)
        .file("later.csv", "Date,Open,High,Low,Close,Volume\n2024-01-04,10.5,12,10,11.5,100\n")
        .file("units.toml", entries("file = \"good.csv\"\nunit = \"USD\"", "file = \"later.csv\"\nunit = \"EUR\"")),
    ]);
    // Entries that agree (the shared manifest splices btc from four files)
    // import, and a re-run records nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    std::fs::write(dir.path().join("good.csv"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("same.csv"),
        "Date,Open,High,Low,Close,Volume\n2024-01-03,10.5,12,10,11,100\n2024-01-04,11,12,10,11,100\n",
    )
    .unwrap();
    let m = dir.path().join("ok.toml");
    std::fs::write(&m, entries("file = \"good.csv\"", "file = \"same.csv\"")).unwrap();
    ok_json(&db, &["import", "--manifest", path(&m)]);
    let again = ok_json(&db, &["import", "--manifest", path(&m)]);
    assert!(again["imports"].as_array().unwrap().iter().all(|r| r["write"].is_null()), "{again}");
}

/// Issue 11 item 4: a user catalog that changed a series' unit relabelled
/// stored data without converting it (walcl became "USD billions" with
/// values in millions).
#[test]
fn user_catalog_changing_a_stored_unit_is_refused() {
    let catalog = "[[series]]\nid = \"walcl\"\nname = \"Fed total assets\"\nclass = \"liquidity\"\ncalendar = \"weekly\"\nunit = \"USD billions\"\nsources = [{ kind = \"fred\", symbol = \"WALCL\", unit = \"USD billions\" }]\n";
    run_cases(vec![
        case(
            "import",
            &["--catalog", "{dir}/cat.toml", "import", "{dir}/w.csv", "--series", "walcl", "--unit", "USD millions"],
            2,
            "series walcl is stored in USD millions, not USD billions: changing its unit would relabel 1021 stored values without converting them",
        )
        .file("cat.toml", catalog)
        .file("w.csv", "date,WALCL\n2026-07-29,6750000.0\n"),
        case(
            "update",
            &["--catalog", "{dir}/cat.toml", "update", "--series", "walcl", "--retries", "0"],
            1,
            "series walcl is stored in USD millions, not USD billions",
        )
        .file("cat.toml", catalog)
        .routes(vec![("/graph/fredgraph.csv?id=WALCL", 200, "observation_date,WALCL\n2026-07-29,6750.0\n".into())]),
    ]);
}

/// Issue 11 item 6: a failed import (`--source ''`) left an empty series
/// behind and exited 1 where 2 is due; a manifest failed after writing its
/// first entry.
#[test]
fn failed_import_leaves_no_series_behind_and_exits_2() {
    run_cases(vec![
        case("empty source", &["import", "{dir}/good.csv", "--series", "toy", "--source", ""], 2, "source name \"\"")
            .file("good.csv", GOOD),
        case(
            "spaces around the source",
            &["import", "{dir}/good.csv", "--series", "toy", "--source", " y"],
            2,
            "surrounding spaces",
        )
        .file("good.csv", GOOD),
        // The first entry is good, the second 1000x off its stored series.
        case(
            "a manifest whose last entry is refused by the store",
            &["import", "--manifest", "{dir}/m.toml"],
            2,
            "nothing imported: series walcl from source fred: values are 1/1000 of the stored ones",
        )
        .file("good.csv", GOOD)
        .file("w.csv", "date,WALCL\n2026-07-22,6747.378\n")
        .file(
            "m.toml",
            "[[import]]\nfile = \"good.csv\"\nseries = \"toy\"\n[[import]]\nfile = \"w.csv\"\nseries = \"walcl\"\n",
        ),
    ]);
}

/// Issue 11 item 13: messages that do not name the manifest and entry, no
/// hint for UTF-16 or `;`-separated files, a 10 MB line echoed whole.
#[test]
fn bad_input_messages_name_the_entry_and_say_how_to_fix_it() {
    let long_line = format!("{}\n2024-01-02,1\n", "x".repeat(10 << 20));
    let utf16: Vec<u8> = "\u{feff}Date,Close\n2024-01-02,1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    run_cases(vec![
        case(
            "a bad row in a manifest entry",
            &["import", "--manifest", "{dir}/m.toml"],
            2,
            "m.toml [[import]] #2 (file \"text.csv\"): text.csv:2: close \"abc\" is not a number",
        )
        .file("good.csv", GOOD)
        .file("text.csv", "Date,Open,High,Low,Close,Volume\n2024-01-04,11,12,10,abc,100\n")
        .file(
            "m.toml",
            "[[import]]\nfile = \"good.csv\"\nseries = \"toy\"\n[[import]]\nfile = \"text.csv\"\nseries = \"toy3\"\n",
        ),
        case(
            "a glob matching nothing",
            &["import", "--manifest", "{dir}/g.toml"],
            2,
            "g.toml [[import]] #1 (file \"nothing-*.csv\"): no file matches",
        )
        .file("g.toml", "[[import]]\nfile = \"nothing-*.csv\"\nseries = \"{*}\"\n"),
        case(
            "a 10 MB bad line",
            &["import", "{dir}/long.csv", "--series", "toy"],
            2,
            "long.csv:1: no recognisable header: \"xxx",
        )
        .file("long.csv", long_line),
        case(
            "UTF-16",
            &["import", "{dir}/u16.csv", "--series", "toy"],
            2,
            "u16.csv:1: UTF-16 text: save the file as UTF-8",
        )
        .file("u16.csv", utf16),
        case(
            "semicolons",
            &["import", "{dir}/eu.csv", "--series", "toy"],
            2,
            "separated by ';': export the file with ',' as the separator",
        )
        .file("eu.csv", "Date;Close\n2024-01-02;1,5\n"),
    ]);
}

/// The bytes of an SQLite file holding one table and no user_version.
fn sqlite_with_a_table() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.db");
    rusqlite::Connection::open(&p).unwrap().execute_batch("CREATE TABLE notes (t TEXT)").unwrap();
    std::fs::read(&p).unwrap()
}

/// Issue 11 item 13: a SQLite file of another program printed the whole
/// schema SQL, twice.
#[test]
fn foreign_sqlite_file_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, sqlite_with_a_table()).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["series", "list"][..], &["import", path(&data("walcl_weekly_fred.csv")), "--series", "walcl"]] {
        let out = rc(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("notes.db is not a riskcurve database: it has 1 tables"), "{stderr}");
        assert!(!stderr.contains("CREATE") && stderr.lines().count() == 1, "{stderr}");
    }
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
}

/// Issue 11 item 3: importing a test file as btc replaced real closes and
/// provenance kept only counts. Now every replaced value is kept, shown by
/// `series history`, and `revert --import N` brings it back.
#[test]
fn revised_value_is_kept_in_revisions_and_revert_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let before = dump(&db);
    let revised = dir.path().join("revised.csv");
    std::fs::write(
        &revised,
        "Date,Open,High,Low,Close,Volume\n2026-06-04,64020,64664,61335,64500,1\n2026-06-06,61500,62000,61000,61900,1\n",
    )
    .unwrap();
    let imported = ok_json(&db, &["import", path(&revised), "--series", "btc", "--file-format", "yahoo"]);
    let row = &imported["imports"][0];
    assert_eq!((row["inserted"].as_u64(), row["updated"].as_u64()), (Some(1), Some(1)));
    let write = row["write"].as_i64().expect("the write's id");

    let h = ok_json(&db, &["series", "history", "btc", "2026-06-04"]);
    let r = &h["revisions"][0];
    assert_eq!(r["write_id"], write);
    assert_eq!(r["source"], "yahoo");
    assert_eq!(r["old"]["close"], 63801.57421875);
    assert_eq!(r["new"]["close"], 64500.0);
    assert!(r["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert!(r["origin"].as_str().unwrap().ends_with("revised.csv"));
    assert_eq!(h["current"][0]["bar"]["close"], 64500.0);
    let table = rc(&db, &["series", "history", "btc", "2026-06-04"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("63,801.57") && text.contains("64,500.00"), "{text}");

    let reverted = ok_json(&db, &["revert", "--import", &write.to_string()]);
    assert_eq!((reverted["restored"].as_u64(), reverted["removed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(dump(&db), before, "the revert restores the series");
    // Unknown writes are bad input; the history keeps both changes.
    assert_eq!(rc(&db, &["revert", "--import", "99999"]).status.code(), Some(2));
    assert_eq!(rc(&db, &["revert", "--import", "0"]).status.code(), Some(2));
    let h = ok_json(&db, &["series", "history", "btc", "2026-06-04"]);
    assert_eq!(h["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(rc(&db, &["series", "history", "nope", "2026-06-04"]).status.code(), Some(2));
}

/// The rows of every series and source, read through the store.
fn state(db: &Path) -> std::collections::BTreeMap<(String, String), Vec<(i32, f64)>> {
    let store = riskcurve_store::Store::open_read_only(db).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for s in store.list().unwrap() {
        for src in &s.sources {
            let bars = store.bars_from_source(&s.id, &src.source).unwrap();
            out.insert((s.id.to_string(), src.source.clone()), bars.iter().map(|b| (b.date.days(), b.close)).collect());
        }
    }
    out
}

/// Issue 11 item 6: a SIGKILL during a manifest import could leave a
/// multi-source series with some of its sources, or half its rows. Kills at
/// many points of an import over an existing database (while it parses the
/// files, and at growing shares of its write-ahead log while it writes):
/// each lands while the import runs, and leaves every series and source as
/// before or as after.
#[test]
fn kill_during_manifest_import_leaves_each_series_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let base = base_db(dir.path());
    let import = |db: &Path| {
        Command::new(BIN)
            .args(["--db", path(db), "import", "--manifest", path(&super::manifest())])
            .env_remove("RISKCURVE_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let wal = |db: &Path| std::fs::metadata(format!("{}-wal", db.display())).map_or(0, |m| m.len());
    // A fresh copy of the base database (one file: the last connection to
    // close checkpointed and removed its log).
    let copy = |n: u32| {
        let db = dir.path().join(format!("kill{n}.db"));
        std::fs::copy(&base, &db).unwrap();
        db
    };
    // The state after, and how far the log grows during a whole import.
    let after_db = copy(0);
    let mut child = import(&after_db);
    let mut log_size = 0;
    while child.try_wait().unwrap().is_none() {
        log_size = log_size.max(wal(&after_db));
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(child.wait().unwrap().success());
    let (before, after) = (state(&base), state(&after_db));
    assert_ne!(before, after);
    assert!(log_size > 4 << 20, "the import wrote {log_size} bytes of log");

    // While parsing (by time), then while writing (by log size).
    let points: Vec<(Duration, u64)> = [10, 80, 250]
        .into_iter()
        .map(|ms| (Duration::from_millis(ms), 0))
        .chain([5, 20, 40, 60, 80, 95].into_iter().map(|pct| (Duration::ZERO, log_size * pct / 100)))
        .collect();
    for (n, (delay, log)) in points.into_iter().enumerate() {
        let db = copy(n as u32 + 1);
        let mut child = import(&db);
        let started = Instant::now();
        while started.elapsed() < delay || wal(&db) < log {
            assert!(child.try_wait().unwrap().is_none(), "kill {n}: the import ended before the kill point");
            std::thread::sleep(Duration::from_millis(1));
        }
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        assert!(running, "kill {n} came after the import ended");
        let now = state(&db);
        for (key, rows) in &now {
            let ok = before.get(key) == Some(rows) || after.get(key) == Some(rows);
            assert!(ok, "kill {n} ({delay:?}, log {log}): {key:?} is neither as before nor as after");
        }
        for key in before.keys() {
            assert!(now.contains_key(key), "kill {n}: {key:?} lost");
        }
        let store = riskcurve_store::Store::open_read_only(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        // A whole run afterwards reaches the state of the clean one.
        if n == 8 {
            assert!(import(&db).wait().unwrap().success());
            assert_eq!(state(&db), after);
        }
    }
}

/// Issue 11 item 11: read-only commands opened the database read-write, so
/// they failed on a read-only directory and silently migrated old schemas.
#[test]
fn read_only_commands_open_the_database_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    // Make it a schema 2 database, as the previous release wrote it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch(
        "DROP TABLE closes; DROP TABLE generation; DROP TABLE revisions; ALTER TABLE observations DROP COLUMN write_id;
         ALTER TABLE provenance DROP COLUMN removed; PRAGMA user_version = 2; PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    let _ = std::fs::remove_file(format!("{}-wal", db.display()));
    let _ = std::fs::remove_file(format!("{}-shm", db.display()));
    let bytes = std::fs::read(&db).unwrap();
    set_mode(&db, 0o444);
    set_mode(dir.path(), 0o555);
    for args in [
        &["series", "list"][..],
        &["series", "show", "btc", "--tail", "3"],
        &["series", "history", "btc", "2026-06-04"],
        &["check", "--series", "btc"],
        &["breakouts", "--series", "btc"],
        &["cycles"],
    ] {
        let out = rc(&db, args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("migrated"), "{args:?}");
    }
    assert!(std::fs::read(&db).unwrap() == bytes, "a read changed the file");
    let version: i64 = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2, "a read migrated the schema");
    set_mode(dir.path(), 0o755);
    set_mode(&db, 0o644);
    // A write migrates, and says so.
    let out = rc(&db, &["import", path(&data("eth_usd_daily_yahoo.csv")), "--series", "eth"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("note: migrated database") && stderr.contains("from schema version 2 to 4"), "{stderr}");
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

/// Issue 11 item 2: a timestamp of i64::MAX was stored as year 1587287;
/// `check` then panicked and the series could never update again. Today
/// such a date never reaches the store, and a database that holds one from
/// an older build is read without a panic.
#[test]
fn timestamp_i64_max_is_refused_and_check_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server =
        serve(vec![("/v8/finance/chart/BTC-USD", 200, btc_chart("BTC-USD", (i64::MAX.to_string(), "66000.0")))]);
    let before = dump(&db);
    let out = Command::new(BIN)
        .args(["--db", path(&db)])
        .args(update("btc"))
        .env("RISKCURVE_YAHOO_URL", &server.base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a plausible date"));
    assert_eq!(dump(&db), before);

    // What an older build stored: the day count of i64::MAX seconds cut to i32.
    let legacy = (i64::MAX / 86_400) as i32;
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO observations (series_id, source, date, close) VALUES ('btc', 'yahoo', ?1, 66000.0)",
        [legacy],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["check", "--series", "btc"][..],
        &["series", "show", "btc", "--tail", "2"],
        &["series", "list"],
        &["breakouts", "--series", "btc"],
        &["cycles"],
    ] {
        let started = Instant::now();
        let out = rc(&db, args);
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?} exited {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(started.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", started.elapsed());
    }
}

/// Issue 11 item 9: `--placebos 1e12` ran 8 minutes, `--horizons
/// 2147483647` and `cycles --days 3000000000` panicked, `altseason --window
/// 3000000000` ran for ever, `breakouts --min-days 4294967295` wrapped to
/// every new high, `--overlap-days 4000000000` wrapped, `--jobs 100000`
/// spawned thousands of threads. Every count has a documented range now;
/// past it, exit 2 at once. Negative numbers still parse where they mean
/// something.
#[test]
fn every_count_is_bounded_and_no_input_panics() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let refused: &[&[&str]] = &[
        &["event-study", "--signal", "halving", "--placebos", "1000000000000"],
        &["event-study", "--signal", "halving", "--horizons", "30,2147483647"],
        &["leadlag", "--max-lag", "4294967295"],
        &["leadlag", "--replications", "1000000000000"],
        &["cycles", "--days", "3000000000"],
        &["altseason", "--window", "3000000000"],
        &["altseason", "--step", "4000000000"],
        &["breakouts", "--min-days", "4294967295"],
        &["claims", "--placebos", "1000000000000000"],
        &["update", "--jobs", "100000"],
        &["update", "--overlap-days", "4000000000"],
        &["update", "--timeout", "0"],
        &["update", "--retries", "1000"],
        &["import", "x.csv", "--max-file-size", "0"],
        &["revert", "--import", "-3"],
    ];
    for args in refused {
        let started = Instant::now();
        let out = rc(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is not in"), "{args:?}: {stderr}");
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
    }
    // Inside the ranges, large values answer (or refuse) without a panic.
    let answered: &[&[&str]] = &[
        &["cycles", "--asset", "btc", "--days", "36500"],
        &["breakouts", "--series", "btc", "--min-days", "36500"],
        &["claims", "--as-of", "1900-01-01", "--placebos", "100"],
        &["breakouts", "--series", "btc", "--margin-pct", "-5"],
        &["import", "{dir}/none.csv", "--series", "toy", "--priority", "-5"],
    ];
    for args in answered {
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", path(dir.path()))).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = rc(&db, &args);
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?} exited {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
}
