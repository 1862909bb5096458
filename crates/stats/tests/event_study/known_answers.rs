//! Event studies whose answer is known in advance.

use riskcurve_core::{Date, Series};
use riskcurve_stats::{EventStudy, EventStudyTarget, VerdictKind};

use crate::{d, random_walk};

#[test]
fn events_on_every_eligible_date_give_p_one() {
    // Every eligible date is an event and nothing is excluded (exclude_days
    // 0 switches the exclusion off): every placebo
    // set is the event set itself, so each placebo ties the observed mean and
    // p = (1 + B) / (1 + B) = 1 exactly; the events' mean is the baseline.
    let closes = random_walk("2020-01-01", 600, 0.001, 0.03, 11);
    let eligible = closes.dates().to_vec();
    let study = EventStudy::new(&[7, 30]).unwrap().placebos(2000).exclude_days(0).min_gap(0);
    let targets = [EventStudyTarget { name: "walk", closes: &closes }];
    let result = study.run(&eligible, &eligible, &targets, None).unwrap();
    for h in &result.targets[0].horizons {
        assert_eq!(h.n, 600 - 1 - h.days as usize);
        assert_eq!(h.n, h.baseline_n);
        assert_eq!(h.mean, h.baseline_mean);
        assert_eq!(h.p_value, Some(1.0));
        assert_eq!(h.p_holm, Some(1.0));
        assert_eq!(h.verdict.kind, VerdictKind::NoEvidence);
    }
}

/// A quiet random walk that jumps 40% two days after each of ten events, with
/// the events themselves as the eligible dates' "signal".
fn jumps_after_events() -> (Series, Vec<Date>) {
    let walk = random_walk("2015-01-01", 3000, 0.0, 0.01, 5);
    let events: Vec<Date> = (0..10).map(|i| d("2015-03-01").add_days(250 * i + 17 * (i % 3))).collect();
    let mut factor = 1.0;
    let closes = Series::from_pairs(walk.iter().map(|(date, v)| {
        if events.iter().any(|e| date == e.add_days(2)) {
            factor *= 1.4;
        }
        (date, v * factor)
    }))
    .unwrap();
    (closes, events)
}

#[test]
fn events_before_large_jumps_give_a_small_p() {
    let (closes, events) = jumps_after_events();
    let targets = [EventStudyTarget { name: "jumpy", closes: &closes }];
    let study = EventStudy::new(&[10, 60]).unwrap().placebos(20_000).seed(7);
    let result = study.run(&events, closes.dates(), &targets, None).unwrap();
    for h in &result.targets[0].horizons {
        assert_eq!(h.n, 10);
        // No placebo date is within 30 days of an event, so none catches a
        // jump: the observed mean (about +40%) beats every placebo set.
        assert_eq!(h.p_value, Some(1.0 / 20_001.0), "{} days", h.days);
        assert_eq!(h.p_holm, Some(2.0 / 20_001.0));
        assert!(h.mean.unwrap() > 0.3 && h.ci_low.unwrap() > h.baseline_mean.unwrap());
        assert_eq!(h.verdict.kind, VerdictKind::Evidence, "{}", h.verdict.text);
    }
    assert!(result.verdict.starts_with("evidence of an effect for jumpy 10 days (+"), "{}", result.verdict);
}

#[test]
fn the_same_seed_gives_the_same_study_on_any_thread_count() {
    // Events on arbitrary dates of a plain random walk: p somewhere in the
    // middle, so a different seed shows in the count.
    let closes = random_walk("2012-01-01", 4000, 0.0005, 0.03, 99);
    let events: Vec<Date> = (0..9).map(|i| d("2012-06-01").add_days(400 * i + 3)).collect();
    let targets = [EventStudyTarget { name: "walk", closes: &closes }];
    let run = |seed: u64, threads: usize| {
        let study = EventStudy::new(&[30, 90]).unwrap().placebos(30_000).seed(seed);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| study.run(&events, closes.dates(), &targets, None).unwrap())
    };
    let one = run(42, 1);
    assert_eq!(one, run(42, 4));
    assert_eq!(one, run(42, 2));
    let p = one.targets[0].horizons[0].p_value.unwrap();
    assert!(p > 0.02 && p < 0.98, "{p}");
    assert_ne!(run(43, 2).targets[0].horizons[0].p_value, Some(p));
}

#[test]
fn stratification_compares_events_with_their_own_phase() {
    // The walk rises 0.4% a day in the first half and falls 0.4% a day in
    // the second. Ten events, all in the rising half, beat random dates
    // drawn from anywhere (p tiny) but not random dates of the rising half.
    let rising = random_walk("2016-01-01", 1000, 0.004, 0.02, 3);
    let falling = random_walk("2018-09-27", 1000, -0.004, 0.02, 4);
    let scale = rising.values()[999] / falling.values()[0];
    let closes = Series::from_pairs(rising.iter().chain(falling.iter().skip(1).map(|(t, v)| (t, v * scale)))).unwrap();
    let events: Vec<Date> = (0..10).map(|i| d("2016-02-01").add_days(90 * i)).collect();
    let phase = |date: Date| u32::from(date >= d("2018-09-27"));
    let targets = [EventStudyTarget { name: "cycle", closes: &closes }];
    let study = EventStudy::new(&[30]).unwrap().placebos(10_000).seed(1);
    let plain = study.run(&events, closes.dates(), &targets, None).unwrap();
    let stratified = study.run(&events, closes.dates(), &targets, Some(&phase)).unwrap();
    let (p_plain, p_strat) =
        (plain.targets[0].horizons[0].p_value.unwrap(), stratified.targets[0].horizons[0].p_value.unwrap());
    assert!(p_plain < 0.01, "unstratified p {p_plain}");
    assert!(p_strat > 0.05, "stratified p {p_strat}");
    assert!(stratified.stratified && !plain.stratified);
    // Only rising-phase dates outside the exclusion windows were drawn.
    assert!(stratified.targets[0].horizons[0].placebo_pool < 1000);
    assert!(plain.targets[0].horizons[0].placebo_pool > 1000);
}

#[test]
fn json_field_names() {
    let (closes, events) = jumps_after_events();
    let targets = [EventStudyTarget { name: "jumpy", closes: &closes }];
    // 3000 days from 2015-01-01 end 2023-03-19; the last event (2015-03-01
    // + 2250 days, entered 2021-04-29) has a complete 10-day horizon but not
    // an 800-day one.
    let study = EventStudy::new(&[10, 800]).unwrap().placebos(100).min_gap(0).bootstrap_replications(100).unwrap();
    let result = study.run(&events, closes.dates(), &targets, None).unwrap();
    let json = serde_json::to_value(&result).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let top = keys(&json);
    for k in ["events", "targets", "verdict"] {
        assert!(top.contains(&k.to_string()), "{k} missing from {top:?}");
    }
    assert_eq!(json["events"][0], serde_json::json!({"date": "2015-03-01"}));
    assert_eq!(json["targets"][0]["target"], "jumpy");
    let horizon = &json["targets"][0]["horizons"][1];
    let hk = keys(horizon);
    for k in [
        "days",
        "n",
        "mean",
        "median",
        "hit_rate",
        "baseline_mean",
        "p_value",
        "p_holm",
        "ci_low",
        "ci_high",
        "per_event",
    ] {
        assert!(hk.contains(&k.to_string()), "{k} missing from {hk:?}");
    }
    assert_eq!(horizon["days"], 800);
    assert_eq!(horizon["n"], 9);
    let last = &horizon["per_event"][9];
    for k in ["date", "entry_date", "return", "max_runup", "max_drawdown", "days_to_peak", "complete"] {
        assert!(last.get(k).is_some(), "{k} missing from {last}");
    }
    assert_eq!(last["complete"], false);
    assert_eq!(last["entry_date"], "2021-04-29");
    assert_eq!(json["targets"][0]["horizons"][0]["n"], 10);
    assert!(horizon["verdict"]["kind"].is_string() && horizon["verdict"]["text"].is_string());
}

#[test]
fn an_empty_placebo_pool_is_untested_and_says_why() {
    // Nine events a week apart and a 30-day exclusion: the only eligible
    // dates are the events' own neighbourhood, so nothing is left to draw.
    let closes = random_walk("2020-01-01", 200, 0.0, 0.02, 8);
    let events: Vec<Date> = (0..9).map(|i| d("2020-02-01").add_days(7 * i)).collect();
    let eligible: Vec<Date> = closes.between(Some(d("2020-01-15")), Some(d("2020-04-20"))).dates().to_vec();
    let targets = [EventStudyTarget { name: "walk", closes: &closes }];
    let result =
        EventStudy::new(&[10]).unwrap().placebos(100).min_gap(0).run(&events, &eligible, &targets, None).unwrap();
    let h = &result.targets[0].horizons[0];
    assert_eq!((h.n, h.p_value, h.p_holm, h.placebo_pool), (9, None, None, 0));
    assert_eq!(h.verdict.kind, VerdictKind::Untested);
    assert!(
        h.verdict.text.ends_with("not tested: 0 eligible dates outside the 30-day exclusion windows for 9 events"),
        "{}",
        h.verdict.text
    );
}
