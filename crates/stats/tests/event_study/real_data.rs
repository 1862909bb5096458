//! The RUT breakouts against real BTC closes, checked by hand.

use riskcurve_core::Date;
use riskcurve_stats::{EventStudy, EventStudyTarget, NoEntry, VerdictKind};

use crate::d;
use crate::shared_data::daily_close;

/// The RUT's 365-day close-basis breakouts since 2010.
const BREAKOUTS: [&str; 5] = ["2011-04-27", "2013-01-02", "2016-11-14", "2020-11-13", "2025-09-18"];

#[test]
fn btc_90_days_after_the_rut_breakouts_by_hand() {
    let btc = daily_close("btc_usd_daily_yahoo.csv");
    let rut = daily_close("rut_daily_yahoo.csv");
    let events: Vec<Date> = BREAKOUTS.iter().map(|s| d(s)).collect();
    let eligible = rut.between(Some(d("2010-01-01")), None).dates().to_vec();
    let targets = [EventStudyTarget { name: "btc", closes: &btc }];
    let study = EventStudy::new(&[90, 365]).unwrap().placebos(100_000).seed(42);
    let result = study.run(&events, &eligible, &targets, None).unwrap();
    let h90 = &result.targets[0].horizons[0];

    // By hand from btc_usd_daily_yahoo.csv (Close column): entry is the first
    // BTC close strictly after the RUT close, exit the last close on or
    // before entry + 90 days (BTC trades daily, so exactly entry + 90):
    //   2016-11-14 -> entry 2016-11-15  711.6190185546875,
    //                 exit  2017-02-13  990.6420288085938   -> +39.21%
    //   2020-11-13 -> entry 2020-11-14  16068.138671875,
    //                 exit  2021-02-12  47504.8515625       -> +195.65%
    //   2025-09-18 -> entry 2025-09-19  115688.859375,
    //                 exit  2025-12-18  85462.5078125       -> -26.13%
    let by_hand = [
        ("2016-11-14", "2016-11-15", "2017-02-13", 711.6190185546875, 990.6420288085938),
        ("2020-11-13", "2020-11-14", "2021-02-12", 16068.138671875, 47504.8515625),
        ("2025-09-18", "2025-09-19", "2025-12-18", 115688.859375, 85462.5078125),
    ];
    assert_eq!(h90.per_event.len(), 3);
    for (o, (event, entry, exit, entry_close, exit_close)) in h90.per_event.iter().zip(by_hand) {
        assert_eq!((o.date, o.entry_date, o.exit_date), (d(event), d(entry), d(exit)));
        assert_eq!((o.entry_close, o.exit_close), (entry_close, exit_close));
        assert_eq!(o.forward_return, exit_close / entry_close - 1.0);
        assert!(o.complete);
    }
    let returns: Vec<f64> = h90.per_event.iter().map(|o| o.forward_return).collect();
    // python: 990.6420288085938 / 711.6190185546875 - 1, and so on.
    assert!((returns[0] - 0.3920960555840787).abs() < 1e-15);
    assert!((returns[1] - 1.9564626328281887).abs() < 1e-15);
    assert!((returns[2] - -0.26127279433642525).abs() < 1e-15);
    assert_eq!(h90.n, 3);
    assert_eq!(h90.mean, Some(returns.iter().sum::<f64>() / 3.0));
    assert_eq!(h90.median, Some(returns[0]));
    assert_eq!(h90.hit_rate, Some(2.0 / 3.0));

    // 2011 and 2013 came before BTC's data (2014-09-17).
    assert_eq!(h90.skipped.len(), 2);
    assert_eq!(h90.skipped[0].date, d("2011-04-27"));
    assert!(matches!(h90.skipped[1].why, NoEntry::NoCloseNearby { next_close, .. } if next_close == d("2014-09-17")));
    assert_eq!(h90.verdict.kind, VerdictKind::TooFewEvents);
    assert_eq!(h90.verdict.text, "n = 3 events: too few to conclude anything (need at least 8), whatever the p-value");

    // 365 days after 2025-09-19 is past the data (2026-06-05): "so far".
    let h365 = &result.targets[0].horizons[1];
    assert_eq!(h365.n, 2);
    let last = &h365.per_event[2];
    assert!(!last.complete);
    assert_eq!((last.exit_date, last.exit_close), (d("2026-06-05"), 61488.44921875));

    eprintln!("{}", serde_json::to_string_pretty(&summary(&result)).unwrap());
}

/// The study without its per-event lists, for reading in the test log.
fn summary(result: &riskcurve_stats::EventStudyResult) -> serde_json::Value {
    let mut v = serde_json::to_value(result).unwrap();
    for t in v["targets"].as_array_mut().unwrap() {
        for h in t["horizons"].as_array_mut().unwrap() {
            h.as_object_mut().unwrap().remove("per_event");
            h.as_object_mut().unwrap().remove("skipped");
        }
    }
    v
}
