//! Breakouts on the real Russell 2000 history in ../shared/data: the events the
//! seed articles cite (late 2016, late 2020) and what happened in 2024-2026.
//!
//! Run with `--nocapture` to see every event.

use riskcurve_core::BarSeries;
use riskcurve_signals::breakout::{detect_breakouts, level_crossings, status_now, Basis, BreakoutParams};

mod data_files;

use data_files::d;

/// Yahoo ^RUT until its last row (2026-02-23), then the IBKR-style file after.
fn rut() -> BarSeries {
    let mut bars = data_files::bars("rut_daily_yahoo.csv").bars().to_vec();
    let last = bars.last().unwrap().date;
    bars.extend(data_files::bars("rut_daily_heliar.csv").bars().iter().filter(|b| b.date > last));
    BarSeries::new(bars).unwrap()
}

fn print_events(title: &str, events: &[riskcurve_signals::breakout::BreakoutEvent]) {
    println!("{title}: {} events", events.len());
    for e in events {
        println!(
            "  {} close {:>9.2} prior high {:>9.2} on {} ({:>5} d) drawdown {:>6.1}% volume x{} failed {} {} complete {}",
            e.date,
            e.close,
            e.prior_high,
            e.prior_high_date,
            e.days_since_prior_high,
            e.consolidation_drawdown_pct,
            e.volume_ratio.map_or("-".to_string(), |v| format!("{v:.2}")),
            e.failed,
            e.failed_date.map_or("-".to_string(), |x| x.to_string()),
            e.complete,
        );
    }
}

#[test]
fn rut_breakouts_close_basis_365_days() {
    let bars = rut();
    let events = detect_breakouts(&bars, BreakoutParams::default()).unwrap();
    print_events("rut, close, 365 d", &events);
    // The full list with each prior high and its date to the cent, from
    // pandas (tests/reference/rut_breakouts.py; issue 10 item 25).
    let pandas = [
        ("1989-06-02", 172.54, "1987-10-05"),
        ("1991-10-16", 180.78, "1989-10-09"),
        ("1995-05-16", 271.08, "1994-03-18"),
        ("1999-12-29", 491.41, "1998-04-21"),
        ("2004-04-05", 606.05, "2000-03-09"),
        ("2011-04-27", 855.77, "2007-07-13"),
        ("2013-01-02", 865.29, "2011-04-29"),
        ("2016-11-14", 1295.8, "2015-06-23"),
        ("2020-11-13", 1740.75, "2018-08-31"),
        ("2025-09-18", 2442.74, "2021-11-08"),
    ];
    let got: Vec<(String, f64, String)> = events
        .iter()
        .map(|e| (e.date.to_string(), (e.prior_high * 100.0).round() / 100.0, e.prior_high_date.to_string()))
        .collect();
    assert_eq!(got, pandas.map(|(d, h, hd)| (d.to_string(), h, hd.to_string())));
    let find = |from: &str, to: &str| {
        events.iter().find(|e| e.date >= d(from) && e.date <= d(to)).unwrap_or_else(|| panic!("no event {from}..{to}"))
    };
    let e2016 = find("2016-11-01", "2016-12-31");
    assert_eq!(e2016.date, d("2016-11-14"));
    assert_eq!(e2016.prior_high_date, d("2015-06-23"));
    let e2020 = find("2020-11-01", "2020-12-31");
    assert_eq!(e2020.date, d("2020-11-13"));
    assert_eq!(e2020.prior_high_date, d("2018-08-31"));
    // The Nov 2021 high (2442.74) held through 2024 on a close basis.
    let later: Vec<_> = events.iter().filter(|e| e.date >= d("2021-12-01")).collect();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].prior_high_date, d("2021-11-08"));
    assert_eq!(later[0].date, d("2025-09-18"));

    // Intraday, RUT poked above the Nov 2021 high (2458.86) on 2024-11-25, closed
    // below it (2442.03) and had failed by the next close.
    let high = detect_breakouts(&bars, BreakoutParams { basis: Basis::High, ..BreakoutParams::default() }).unwrap();
    print_events("rut, high, 365 d", &high);
    let h2024: Vec<_> = high.iter().filter(|e| e.date >= d("2021-12-01")).collect();
    assert_eq!(h2024.len(), 1);
    assert_eq!((h2024[0].date, h2024[0].failed_date), (d("2024-11-25"), Some(d("2024-11-26"))));
    let confirmed = detect_breakouts(&bars, BreakoutParams { confirm_days: 3, ..BreakoutParams::default() }).unwrap();
    print_events("rut, close, 365 d, confirm 3", &confirmed);
    let status = status_now(&bars, Basis::Close).unwrap();
    println!("status now: {status:?}");
    let crossings = level_crossings(&bars, 2600.0, Basis::Close);
    for c in &crossings {
        println!("close above 2600: {} ({:.2}), last at or below on {}", c.date, c.close, c.previous_below_date);
    }
    assert_eq!(crossings[0].date, d("2026-01-08"));
}

/// Issue 10 item 17: `--margin-pct 2` found no breakout on any series, because
/// a close 0-2% above the old high became the new high and restarted the
/// clock. Now a close within the margin leaves the high and its clock alone.
/// Expected events (date, close, prior high, prior high date), to the cent,
/// from `tests/reference/rut_breakouts_margin.py` (pandas 3.1.1).
#[test]
fn rut_margin_poke_does_not_restart_the_clock() {
    let bars = rut();
    let events = detect_breakouts(&bars, BreakoutParams { margin_pct: 2.0, ..BreakoutParams::default() }).unwrap();
    print_events("rut, close, 365 d, margin 2%", &events);
    let got: Vec<(String, String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e.date.to_string(),
                format!("{:.2}", e.close),
                format!("{:.2}", e.prior_high),
                e.prior_high_date.to_string(),
            )
        })
        .collect();
    let pandas = [
        ("1989-08-07", "176.59", "172.54", "1987-10-05"),
        ("1991-10-31", "185.00", "180.45", "1989-10-06"),
        ("1995-05-16", "272.17", "266.52", "1994-01-31"),
        ("1997-05-23", "375.67", "364.61", "1996-05-22"),
        ("1999-12-29", "497.01", "484.93", "1998-04-01"),
        ("2004-11-11", "616.30", "597.88", "2000-03-03"),
        ("2013-01-02", "873.42", "853.45", "2007-06-01"),
        ("2016-11-15", "1302.14", "1275.35", "2015-04-15"),
        ("2020-11-13", "1744.04", "1706.99", "2018-06-20"),
        ("2025-09-18", "2467.70", "2404.28", "2021-11-03"),
    ];
    let expected: Vec<(String, String, String, String)> =
        pandas.iter().map(|(a, b, c, e)| (a.to_string(), b.to_string(), c.to_string(), e.to_string())).collect();
    assert_eq!(got, expected);
    // Every event closes more than 2% above the high it broke.
    assert!(events.iter().all(|e| e.close > e.prior_high * 1.02));
    // 1% as well (same script): ten events, the 2016 one breaking 1,284.68 of 2015-06-18.
    let one = detect_breakouts(&bars, BreakoutParams { margin_pct: 1.0, ..BreakoutParams::default() }).unwrap();
    assert_eq!(one.len(), 10);
    let e2016 = one.iter().find(|e| e.date == d("2016-11-14")).unwrap();
    assert_eq!((format!("{:.2}", e2016.prior_high), e2016.prior_high_date), ("1284.68".to_string(), d("2015-06-18")));
}
