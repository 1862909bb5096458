//! `riskcurve backtest` and `sweep` end to end on the shared data.

use serde_json::Value;

use super::{manifest, ok_json, rc};

#[test]
fn backtest_of_the_rut_breakout_on_btc_enters_the_day_after_each_signal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let r = ok_json(
        &db,
        &[
            "backtest",
            "--signal",
            "breakout:rut:min-days=365",
            "--target",
            "btc",
            "--hold",
            "365",
            "--from",
            "2014-09-17",
        ],
    );
    let trades = r["trades"].as_array().unwrap();
    let entries: Vec<(&str, &str)> =
        trades.iter().map(|t| (t["signal_date"].as_str().unwrap(), t["entry_date"].as_str().unwrap())).collect();
    // RUT closes of Mon 2016-11-14, Fri 2020-11-13 and Thu 2025-09-18 act on
    // the next BTC close (a calendar day later), never the same day.
    assert_eq!(entries, [("2016-11-14", "2016-11-15"), ("2020-11-13", "2020-11-14"), ("2025-09-18", "2025-09-19")]);
    assert_eq!(r["calendar"], "crypto");
    assert_eq!(r["metrics"]["periods_per_year"], 365.0);
    // The 2016 trade is BTC from 2016-11-15 to 2017-11-15 with 15 bp a side.
    let btc = |d: &str| {
        ok_json(&db, &["series", "show", "btc", "--from", d, "--to", d])["observations"][0]["close"].as_f64().unwrap()
    };
    let want = btc("2017-11-15") * 0.9995 * 0.999 / (btc("2016-11-15") * 1.0005 * 1.001) - 1.0;
    assert!((trades[0]["net_return"].as_f64().unwrap() - want).abs() < 1e-12);
    assert_eq!(trades[0]["reason"], "hold");
    // Bad rules are bad input.
    assert_eq!(rc(&db, &["backtest", "--signal", "breakout:rut", "--stop-pct", "150"]).status.code(), Some(2));
    assert_eq!(rc(&db, &["backtest", "--signal", "nope"]).status.code(), Some(2));
}

#[test]
fn sweep_reports_the_deflated_sharpe_pbo_and_walk_forward() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::seeded_db(dir.path());
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "signal = \"breakout:rut\"\ntargets = [\"btc\"]\nmin_days = [180, 365]\nhold = [90, 365]\nstop_pct = [0.0, 30.0]\nfrom = \"2014-09-17\"\nblocks = 8\nfolds = 3\n",
    )
    .unwrap();
    let r: Value = ok_json(&db, &["sweep", "--grid", grid.to_str().unwrap()]);
    assert_eq!(r["trials"], 8);
    assert_eq!(r["rows"].as_array().unwrap().len(), 8);
    let sharpes: Vec<f64> =
        r["rows"].as_array().unwrap().iter().map(|x| x["metrics"]["sharpe"].as_f64().unwrap_or(f64::MIN)).collect();
    assert!(sharpes.windows(2).all(|w| w[0] >= w[1]), "best first: {sharpes:?}");
    let dsr = r["deflated_sharpe"]["dsr"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&dsr) && r["deflated_sharpe"]["trials"] == 8);
    assert_eq!(r["pbo"]["splits"], 70);
    assert!((0.0..=1.0).contains(&r["pbo"]["pbo"].as_f64().unwrap()));
    assert_eq!(r["walk_forward"]["chosen"].as_array().unwrap().len(), 3);
    // A grid with a typo is refused with the file named.
    std::fs::write(&grid, "signal = \"breakout:rut\"\nhold = [90]\nholdd = 3\n").unwrap();
    let bad = rc(&db, &["sweep", "--grid", grid.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("grid.toml"));
}
