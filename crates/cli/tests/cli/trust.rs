//! Issue 10 ("trust every number"): baskets, rates, clustered events,
//! lead-lag periods and exit codes, end to end on the shared data. Expected
//! numbers come from the scripts in `crates/cli/tests/reference/issue10_*.py`
//! (pandas on the raw files).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{manifest, ok_json, rc};

/// One database with the whole shared data, imported once for this module
/// (the tests only read it).
fn shared_db() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, db) = DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rc.db");
        ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
        (dir, db)
    });
    db
}

/// Runs and returns (exit code, stdout, stderr).
fn run(db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = rc(db, args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes daily OHLC bars `close(i)` for 300 days from 2024-01-01 and imports them as `id`.
fn import_toy(dir: &Path, db: &Path, id: &str, close: impl Fn(usize) -> f64) {
    let mut text = String::from("Date,Open,High,Low,Close,Volume\n");
    let start: riskcurve_core::Date = "2024-01-01".parse().unwrap();
    for i in 0..300 {
        let c = close(i);
        text.push_str(&format!("{},{c},{c},{c},{c},1\n", start.add_days(i as i32)));
    }
    let path = dir.join(format!("{id}.csv"));
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(db, &["import", path.to_str().unwrap(), "--series", id]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn numeric_failure_exits_1_not_2_as_bad_input() {
    // A constant series has all-zero returns: the Granger design is
    // collinear. That is a numeric failure on valid input, not bad input.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    import_toy(dir.path(), &db, "flat", |_| 10.0);
    import_toy(dir.path(), &db, "walk", |i| 100.0 * (0.01 * (i as f64 * 1.7).sin() + 0.002 * i as f64).exp());
    let (code, _, err) = run(&db, &["leadlag", "--lead", "flat", "--lag", "walk", "--max-lag", "3"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one plain line: {err}");
    assert!(err.contains("collinear"), "{err}");
    // A bad flag is still bad input.
    let (code, _, err) = run(&db, &["leadlag", "--lead", "flat", "--lag", "walk", "--freq", "hourly"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn liquidity_unknown_calendar_exits_2_listing_the_accepted_values() {
    let (code, _, err) = run(shared_db(), &["liquidity", "--calendar", "foo"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--calendar foo") && err.contains("nyse") && err.contains("crypto"), "{err}");
}

#[test]
fn clustered_level_crossings_count_independent_events_not_27() {
    // Reference: crates/cli/tests/reference/issue10_declustering.py.
    let db = shared_db();
    let args =
        ["event-study", "--signal", "level:rut:2000", "--targets", "btc", "--horizons", "30,90", "--placebos", "500"];
    let r = ok_json(db, &args);
    let dc = &r["declustering"];
    assert_eq!((dc["events"].as_u64(), dc["independent_events"].as_u64()), (Some(27), Some(8)), "{dc}");
    assert_eq!(dc["min_gap_days"], 90, "the default gap is the longest horizon");
    let kept: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("clustered_with").is_none())
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        kept,
        [
            "2020-12-23",
            "2022-01-24",
            "2022-08-12",
            "2023-02-02",
            "2023-07-31",
            "2023-12-14",
            "2024-04-23",
            "2025-03-14"
        ]
    );
    let h90 = &r["targets"][0]["horizons"][1];
    assert_eq!(h90["n"], 8);
    assert!((h90["mean"].as_f64().unwrap() - 0.299352117834126).abs() < 1e-9, "{}", h90["mean"]);
    // --min-gap 0 keeps every event; the text says how many are independent.
    let all = ok_json(db, &[&args[..], &["--min-gap", "0"]].concat());
    assert_eq!(all["declustering"]["independent_events"], 27);
    assert_eq!(all["targets"][0]["horizons"][0]["n"], 27);
    let (code, text, err) = run(db, &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("27 events, 8 independent"), "{text}");
}

#[test]
fn leadlag_months_use_the_last_common_close_and_drop_a_partial_final_month() {
    // Reference: crates/cli/tests/reference/issue10_leadlag_periods.py.
    let db = shared_db();
    let base =
        ["leadlag", "--lead", "rut", "--lag", "btc", "--freq", "monthly", "--from", "2015-01-01", "--to", "2025-12-15"];
    let r = ok_json(db, &[&base[..], &["--replications", "99"]].concat());
    assert_eq!(
        (r["n"].as_u64(), r["first"].as_str(), r["last"].as_str()),
        (Some(130), Some("2015-02-28"), Some("2025-11-30"))
    );
    let r0 = r["ccf"].as_array().unwrap().iter().find(|c| c["lag"] == 0).unwrap()["r"].as_f64().unwrap();
    assert!((r0 - 0.316753726387156).abs() < 1e-9, "{r0}");
    let note = r["notes"][0].as_str().unwrap();
    assert!(note.contains("final month ending 2025-12-31 is partial") && note.contains("dropped"), "{note}");
}

#[test]
fn leadlag_max_lag_beyond_the_sample_is_refused_not_fitted() {
    // 130 monthly returns support (130 - 6) / 5 = 24 lags; 123 regressors on
    // 130 rows (max lag 61) used to be fitted.
    let db = shared_db();
    let base =
        ["leadlag", "--lead", "rut", "--lag", "btc", "--freq", "monthly", "--from", "2015-01-01", "--to", "2025-12-15"];
    for lag in ["25", "61"] {
        let (code, _, err) = run(db, &[&base[..], &["--max-lag", lag]].concat());
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("130 paired returns") && err.contains("at most 24 lags"), "{err}");
    }
    let r = ok_json(db, &[&base[..], &["--max-lag", "24", "--replications", "99"]].concat());
    assert_eq!(r["granger"].as_array().unwrap().len(), 24);
    let (code, _, err) = run(
        db,
        &[
            "leadlag",
            "--all",
            "rut,btc",
            "--freq",
            "monthly",
            "--from",
            "2015-01-01",
            "--to",
            "2025-12-15",
            "--max-lag",
            "25",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_yield_enters_leadlag_as_a_negated_difference_not_a_log_return() {
    // Reference: crates/cli/tests/reference/issue10_rates.py (log returns of
    // the yield would give +0.011990914882231).
    let db = shared_db();
    let args = ["leadlag", "--lead", "dgs10", "--lag", "btc", "--freq", "weekly", "--from", "2015-01-01"];
    let r = ok_json(db, &[&args[..], &["--to", "2025-12-12", "--replications", "99"]].concat());
    assert_eq!(r["n"], 571);
    let r0 = r["ccf"].as_array().unwrap().iter().find(|c| c["lag"] == 0).unwrap()["r"].as_f64().unwrap();
    assert!((r0 - -0.014524123731447).abs() < 1e-9, "{r0}");
    assert!(r["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("dgs10 is a rate")));
    // The matrix converts too, and says so.
    let m = ok_json(
        db,
        &["leadlag", "--all", "dgs10,btc", "--freq", "weekly", "--from", "2015-01-01", "--to", "2025-12-12"],
    );
    let cell = m["pairs"].as_array().unwrap().iter().find(|c| c["lead"] == "dgs10").unwrap();
    assert!((cell["r"].as_f64().unwrap() - -0.014524123731447).abs() < 1e-9, "{cell}");
    assert!(m["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("dgs10 is a rate")));
}

#[test]
fn a_yield_is_refused_as_a_rotation_rung_event_study_or_backtest_target() {
    let db = shared_db();
    for (args, what) in [
        (vec!["rotation", "--rungs", "dgs10,spx,btc"], "a rotation rung"),
        (
            vec!["event-study", "--signal", "halving", "--targets", "btc,dff", "--placebos", "10"],
            "an event-study target",
        ),
        // Buying "dgs10" used to be simulated as owning the yield (issue 12).
        (vec!["backtest", "--signal", "breakout:rut:min-days=365", "--target", "dgs10"], "a backtest target"),
    ] {
        let (code, _, err) = run(db, &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("is a rate") && err.contains(what), "{err}");
    }
}

#[test]
fn altseason_uses_the_freshest_snapshot_of_either_kind_after_the_cmc_snapshots_end() {
    // The CMC snapshots end 2025-10-01; the ticker lists of 2025-11-01 and
    // 2025-12-01 cover 2025-11-11..2026-01-09 (at most 40 days old), which
    // used to fall back to the catalog list with a survivorship warning.
    let r = ok_json(shared_db(), &["altseason", "--from", "2025-11-01", "--to", "2026-01-10"]);
    let rows = r["observations"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(row["universe"], "point-in-time", "{row}");
    }
    let all = ok_json(shared_db(), &["altseason"]);
    for w in all["warnings"].as_array().unwrap() {
        assert!(!w.as_str().unwrap().starts_with("survivorship"), "no row lacks a snapshot, yet: {w}");
    }
    let catalog = all["observations"].as_array().unwrap().iter().filter(|o| o["universe"] == "catalog").count();
    assert_eq!(catalog, 0);
}

/// Issue 10 item 6: the `alts` basket was every alt stored today (LTC alone
/// for 2014-09..2017-08). It now holds the stored alts among the top 50 of
/// the freshest membership snapshot at each monthly rebalance and says, per
/// event, what it held; months no snapshot covers (the first snapshot is
/// 2017-01-01, SOURCES.md) hold every stored alt under a survivorship warning.
#[test]
fn alt_basket_holds_the_point_in_time_top_50_and_says_what_it_held_at_each_event() {
    let r = ok_json(
        shared_db(),
        &["event-study", "--signal", "breakout:rut:min-days=365", "--targets", "alts", "--placebos", "10"],
    );
    let held = r["alt_basket"].as_array().unwrap();
    let events: Vec<&str> = r["events"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    // Events before the first alt close (2014) have no basket to hold.
    let with_basket: Vec<&str> = held.iter().map(|h| h["event"].as_str().unwrap()).collect();
    assert!(events.ends_with(&with_basket) && with_basket.len() == 3, "{with_basket:?} of {events:?}");
    let d = |v: &serde_json::Value| v.as_str().unwrap().parse::<riskcurve_core::Date>().unwrap();
    for h in held {
        let base = d(&h["base"]);
        assert!(base < d(&h["event"]) && base.add_days(1).month_start() == base.add_days(1), "{h}");
        match h["snapshot"].as_str() {
            None => {
                assert!(base < d(&serde_json::json!("2016-12-31")), "{h}");
                assert_eq!(h["listed"], 0, "{h}");
            }
            Some(_) => {
                let snapshot = d(&h["snapshot"]);
                assert!(snapshot <= base && base.days_since(snapshot) <= 40, "{h}");
                let (listed, n) = (h["listed"].as_u64().unwrap(), h["held"].as_u64().unwrap());
                assert!(1 < n && n <= listed && listed <= 50, "{h}");
            }
        }
    }
    // The 2016 breakout predates every snapshot: LTC alone, and said so.
    assert_eq!((held[0]["event"].as_str(), held[0]["held"].as_u64()), (Some("2016-11-14"), Some(1)));
    assert!(held[1..].iter().all(|h| h["snapshot"].is_string()), "{held:?}");
    let warnings: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("survivorship: the alt basket") && w.contains("to 2017-01-01")),
        "{warnings:?}"
    );
}
