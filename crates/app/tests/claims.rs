//! The claims checker on the real shared data: each test pins one defect of
//! issue 10 (its name says which), with the numbers from
//! `tests/reference/claims_shared_data.py` (pandas, statsmodels, scipy on the
//! raw files), run from the repository root as
//! `/tmp/venv/bin/python crates/app/tests/reference/claims_shared_data.py`.
//!
//! The number tests judge the claims as of 2026-06-05, the last Yahoo BTC
//! close, so every series is one file per date range (see the script).

use std::path::{Path, PathBuf};

use riskcurve_app::claims::{claims, ClaimReport, ClaimsReport, ClaimsRequest, Outcome, Verdict};
use riskcurve_app::import::{import, ImportRequest, Job};
use riskcurve_app::{App, Catalog, NoProgress};
use riskcurve_core::Date;

// ---- Output of claims_shared_data.py (AS_OF = 2026-06-05).

// C1b: (event, btc return, complete) for breakout:rut:min-days=N since 2010, horizon H
const C1B_365_365: [(&str, f64, bool); 5] = [
    ("2011-04-27", 0.9026666666666665, true),
    ("2013-01-02", 58.7641487754506, true),
    ("2016-11-14", 9.280135646065936, true),
    ("2020-11-13", 3.074326291342035, true),
    ("2025-09-18", -0.4685015519131528, false),
];
const C1B_180_365: [(&str, f64, bool); 7] = [
    ("2011-04-27", 0.9026666666666665, true),
    ("2013-01-02", 58.7641487754506, true),
    ("2014-12-26", 0.33862778870242005, true),
    ("2016-11-14", 9.280135646065936, true),
    ("2020-11-13", 3.074326291342035, true),
    ("2021-11-02", -0.6790539425614808, true),
    ("2025-09-18", -0.4685015519131528, false),
];
const C1B_365_90: [(&str, f64, bool); 5] = [
    ("2011-04-27", 4.185185185185185, true),
    ("2013-01-02", 8.78505262471219, true),
    ("2016-11-14", 0.3920960555840787, true),
    ("2020-11-13", 1.9564626328281887, true),
    ("2025-09-18", -0.26127279433642525, true),
];
const C8_EVENT: &str = "2026-01-08";
const C8_BTC_90: (f64, f64) = (-0.2071001116292125, 0.0708872688233928); // return, max run-up
const C8_ETH_90: (f64, f64) = (-0.28994142535876755, 0.08811916477783255); // return, max run-up
const C9_CALENDAR: f64 = 0.11288428181003618;
const C9_FROM_LOW: (&str, f64) = ("2025-04-08", 0.40960746924375213);
// (end, return at the last close on or before end, highest close, highest high) in the window
const WINDOWS: [(&str, f64, f64, f64); 5] = [
    ("2026-01-13", 0.060920903927570436, 2635.68994140625, 2647.0400390625),
    ("2026-01-14", 0.06838684177883647, 2651.639892578125, 2653.31005859375),
    ("2026-01-16", 0.07890297595796447, 2677.739990234375, 2692.22998046875),
    ("2026-01-21", 0.08713451230057978, 2698.169921875, 2703.75),
    ("2026-01-23", 0.07544592939751649, 2718.77001953125, 2735.10009765625),
];
const C13_RUT: [f64; 4] = [1.061515174579558, 1.157296471940519, 0.6706349206349206, 0.9407614897810976]; // ratio 50, ratio 20, pct 252, pct all
const C13_IWM: [f64; 4] = [0.928785266715798, 1.0599729316921072, 0.7142857142857143, 0.6516609748525303];
// (halving, reference date, first close above it)
const C12_CYCLE_TOP: [(&str, &str, &str); 4] = [
    ("2012-11-28", "2011-06-10", "2013-03-05"),
    ("2016-07-09", "2013-12-04", "2017-01-04"),
    ("2020-05-11", "2017-12-16", "2020-11-30"),
    ("2024-04-20", "2021-11-08", "2024-03-04"),
];
const C15: [f64; 3] = [0.93750000103125, 0.016685714285714286, 0.008342857142857143]; // mined, before, after
                                                                                      // C5: (n, corr(btc, k), corr(btc, h), Steiger Z, p)
const C5: [(&str, usize, f64, f64, f64, f64); 5] = [
    ("weekly spx", 518, 0.2470418559581263, 0.2040959668637393, 1.9402512667672216, 0.05234916078752359),
    ("weekly ixic", 518, 0.2470418559581263, 0.21973657302716051, 1.0283267225124881, 0.3037961649930365),
    ("daily spx", 2495, 0.28239655604077935, 0.27031826323846864, 1.2202046923794705, 0.22238728850414924),
    ("monthly spx", 118, 0.30297283772064115, 0.34062726997620163, -0.8332785979300045, 0.40468762375152045),
    ("weekly spx 2020", 335, 0.35969515106590777, 0.2891510703349034, 2.645461892004397, 0.008157947534274913),
];
// per link and direction: (smallest p, its lag, its Holm p); spx->rut, rut->spx, rut->btc, btc->rut
const LEAD_ORDER: [(f64, usize, f64); 4] = [
    (0.3963917714711362, 1, 1.0),
    (0.36324658537336957, 1, 1.0),
    (0.2005804049016981, 4, 1.0),
    (0.014229620065191493, 1, 0.2276739210430639),
];

const AS_OF: &str = "2026-06-05";

// ---- Helpers.

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn app_at(db: PathBuf) -> App {
    App { db, catalog: Catalog::load(None).unwrap(), today: d("2026-11-30"), now: "2026-11-30T12:00:00Z".into() }
}

fn import_manifest(app: &App, manifest: PathBuf) {
    let req = ImportRequest { manifest: Some(manifest), ..ImportRequest::default() };
    import(app, &req, &NoProgress).expect("the manifest imports");
}

/// A database of the whole of ../shared/data in its own temporary
/// directory (each test has its own: test binaries may run concurrently).
struct Shared {
    _dir: tempfile::TempDir,
    app: App,
}

fn shared_data() -> Shared {
    let dir = tempfile::tempdir().unwrap();
    let app = app_at(dir.path().join("shared.db"));
    import_manifest(&app, repo().join("datasets/shared-data.toml"));
    Shared { _dir: dir, app }
}

fn request(as_of: Option<&str>, ids: &[&str]) -> ClaimsRequest {
    ClaimsRequest {
        as_of: as_of.map(d),
        ids: ids.iter().map(|s| s.to_string()).collect(),
        placebos: 2_000,
        ..ClaimsRequest::default()
    }
}

fn run(app: &App, as_of: Option<&str>, ids: &[&str]) -> ClaimsReport {
    claims(app, &request(as_of, ids)).unwrap()
}

fn one(app: &App, as_of: &str, id: &str) -> ClaimReport {
    run(app, Some(as_of), &[id]).claims.remove(0)
}

/// `+8.7%`, as the evidence prints a return.
fn pct(v: f64) -> String {
    riskcurve_app::human::pct_signed(v, 1)
}

#[track_caller]
fn has(o: &Outcome, text: &str) {
    assert!(o.evidence.contains(text), "{text:?} not in: {}", o.evidence);
}

#[track_caller]
fn verdict(o: &Outcome, v: Verdict) {
    assert_eq!(o.verdict, v, "{}: {}", o.definition, o.evidence);
}

// ---- Item 5: --as-of sees nothing after the cut.

/// Writes `rows` days of made-up bars after `after` for a few series, each at
/// the top priority, and a manifest that imports them.
fn write_perturbation(dir: &Path, after: Date) -> PathBuf {
    // (series, format, first value): equities on weekdays, crypto every day,
    // the Fed's weekly series on Wednesdays, RRP and the 10-year daily.
    // Values near the real ones of 2022 (the store refuses a source whose
    // scale differs from the stored one), swinging +/-30% from day to day.
    let series: [(&str, &str, f64); 14] = [
        ("rut", "yahoo", 2000.0),
        ("spx", "yahoo", 4500.0),
        ("ixic", "yahoo", 14_000.0),
        ("iwm", "yahoo", 200.0),
        ("btc", "yahoo", 40_000.0),
        ("eth", "yahoo", 3000.0),
        ("xrp", "yahoo", 0.8),
        ("ltc", "yahoo", 150.0),
        ("doge", "yahoo", 0.15),
        ("sol", "yahoo", 100.0),
        ("walcl", "fred", 8_900_000.0),
        ("wtregen", "fred", 600_000.0),
        ("rrpontsyd", "fred", 1_700_000.0),
        ("dgs10", "fred", 2.0),
    ];
    let mut manifest = String::from("data_dir = \".\"\n");
    for (id, format, base) in series {
        let crypto = ["btc", "eth", "xrp", "ltc", "doge", "sol"].contains(&id);
        let mut text = if format == "yahoo" { "Date,Open,High,Low,Close,Volume\n" } else { "date,VALUE\n" }.to_string();
        for i in 1..=400 {
            let day = after.add_days(i);
            let keep = match id {
                _ if crypto => true,
                "walcl" | "wtregen" => day.weekday() == riskcurve_core::Weekday::Wed,
                _ => !day.is_weekend(),
            };
            if keep {
                // Wild swings: any use of these rows changes the verdicts.
                let v = base * (1.0 + 0.3 * ((i % 7) as f64 - 3.0) / 3.0);
                text.push_str(&if format == "yahoo" {
                    format!("{day},{v},{},{},{v},{}\n", v * 1.01, v * 0.99, 1e10 * (1 + i % 5) as f64)
                } else {
                    format!("{day},{v}\n")
                });
            }
        }
        std::fs::write(dir.join(format!("{id}.csv")), text).unwrap();
        manifest.push_str(&format!(
            "\n[[import]]\nfile = \"{id}.csv\"\nseries = \"{id}\"\nformat = \"{format}\"\nsource = \"perturbed\"\npriority = 1000\n"
        ));
    }
    let path = dir.join("perturb.toml");
    std::fs::write(&path, manifest).unwrap();
    path
}

/// `claims --as-of 2022-01-01` printed C6's 2026 values and C9 as "rut 2025:
/// +0.0% (2021-12-31 to 2021-12-31)". Now a definition that needs data after
/// the cut says `no data` and names the date, and replacing every row after
/// the cut by wild made-up values changes nothing in the report.
#[test]
fn claims_as_of_sees_nothing_after_the_cut() {
    let data = shared_data();
    let shared = &data.app;
    let cut = "2022-01-01";
    let report = run(shared, Some(cut), &[]);
    assert_eq!(report.as_of, d(cut));
    let by = |id: &str| report.claims.iter().find(|c| c.id == id).unwrap();
    verdict(&by("C6").main, Verdict::NoData);
    has(&by("C6").main, "(2026-01-08), after the as-of date 2022-01-01");
    assert!(!by("C6").main.evidence.contains("net liquidity $"), "no 2026 values: {}", by("C6").main.evidence);
    verdict(&by("C9").main, Verdict::NoData);
    has(&by("C9").main, "needs the whole of 2025 (2025-12-31), after the as-of date 2022-01-01");
    assert!(!by("C9").main.evidence.contains("+0.0%"), "{}", by("C9").main.evidence);
    for id in ["C3", "C4", "C8", "C10", "C11", "C13"] {
        verdict(&by(id).main, Verdict::NoData);
        has(&by(id).main, "after the as-of date 2022-01-01");
    }
    // C12's earlier cycles can be judged by then; the 2024 part cannot.
    verdict(&by("C12").main, Verdict::NoData);
    has(&by("C12").main, "2024: needs the 2024 halving (2024-04-20), after the as-of date");

    let dir = tempfile::tempdir().unwrap();
    let perturbed = app_at(dir.path().join("perturbed.db"));
    // The made-up closes first: they are not the coins the CoinMarketCap
    // snapshots list (BTC at 48,000 on 2022-12-01), which an import refuses
    // once those snapshots are stored (issue 10 item 8).
    import_manifest(&perturbed, write_perturbation(dir.path(), d(cut)));
    import_manifest(&perturbed, repo().join("datasets/shared-data.toml"));
    let again = run(&perturbed, Some(cut), &[]);
    let (a, b) = (serde_json::to_value(&report).unwrap(), serde_json::to_value(&again).unwrap());
    for (x, y) in a["claims"].as_array().unwrap().iter().zip(b["claims"].as_array().unwrap()) {
        assert_eq!(x, y, "claim {} saw data after the cut", x["id"]);
    }
    // Cuts before the data or the first halving are `no data`, not errors
    // (C15 is computed from the protocol alone).
    for early in ["1990-01-01", "2011-01-01"] {
        for c in run(shared, Some(early), &[]).claims {
            let want = if c.id == "C15" { Verdict::Supported } else { Verdict::NoData };
            assert_eq!(c.main.verdict, want, "{} as of {early}: {}", c.id, c.main.evidence);
        }
    }
    // The perturbation is real: judged later, C4 sees the made-up 2022 closes
    // above the 2021 high.
    let later = |app: &App| run(app, Some("2022-12-31"), &["C4"]).claims.remove(0).main.evidence;
    assert_ne!(later(&perturbed), later(shared));
}

// ---- Item 11: conjunctions and ambiguous claims.

/// C9 was `no data` although its measured part (RUT up over 40% in 2025) is
/// false; C6 on its primary date was `inconclusive` although the TGA rose.
/// Both readings of the ambiguous phrases are shown: C9's calendar year and
/// rise from the year's low, C8's return at the horizon and run-up within it.
#[test]
fn conjunction_with_a_measured_false_part_is_contradicted() {
    let data = shared_data();
    let shared = &data.app;
    let c9 = one(shared, AS_OF, "C9");
    verdict(&c9.main, Verdict::Contradicted);
    has(&c9.main, &format!("rut 2025: {} from the 2024 close", pct(C9_CALENDAR)));
    has(&c9.main, "series smallcap-etf-flows is not stored");
    has(&c9.main, "the measured part is false");
    // From the year's low the rise is over 40%: then the flows decide, and they are missing.
    verdict(&c9.variants[0], Verdict::NoData);
    has(&c9.variants[0], &format!("{} from its 2025 low ({}", pct(C9_FROM_LOW.1), C9_FROM_LOW.0));

    let c6 = one(shared, AS_OF, "C6");
    verdict(&c6.main, Verdict::Contradicted);
    has(&c6.main, "is NOT drawing down");
    verdict(&c6.variants[0], Verdict::Supported);

    let c8 = one(shared, AS_OF, "C8");
    verdict(&c8.main, Verdict::Contradicted);
    has(&c8.main, &format!("{C8_EVENT} -> btc return {} by 2026-04-09: COUNTEREXAMPLE", pct(C8_BTC_90.0)));
    has(&c8.main, &format!("{C8_EVENT} -> eth return {} by 2026-04-09: COUNTEREXAMPLE", pct(C8_ETH_90.0)));
    // Read as a run-up within 90 days, BTC and ETH did rise; the alt basket
    // has no close after the event, so the claim waits for its data.
    let runup = &c8.variants[0];
    verdict(runup, Verdict::NoData);
    has(runup, &format!("btc max run-up {} by 2026-04-09: holds", pct(C8_BTC_90.1)));
    has(runup, &format!("eth max run-up {} by 2026-04-09: holds", pct(C8_ETH_90.1)));
    has(runup, "alts: no close after it yet");
}

// ---- Item 12: universal claims.

/// "Every breakout since 2010 was followed by gains" was judged as an
/// average; now one complete counterexample contradicts it, support says
/// how few events there were, and incomplete events are marked.
#[test]
fn universal_claim_is_contradicted_by_one_complete_counterexample() {
    let data = shared_data();
    let shared = &data.app;
    let c1b = one(shared, AS_OF, "C1b");
    verdict(&c1b.main, Verdict::Supported);
    assert_eq!(c1b.main.n, Some(4));
    has(&c1b.main, "all 4 complete cases show a return over 365 days above 0.0%, but 4 cases are all the evidence");
    for (date, r, complete) in C1B_365_365 {
        has(&c1b.main, &format!("{date} -> btc return {} by", pct(r)));
        if !complete {
            has(&c1b.main, &format!("{date} -> btc return {} by {AS_OF} so far (incomplete", pct(r)));
        }
    }
    // min-days 180: 2021-11-02 lost 67.9% over the year.
    let v = &c1b.variants[0];
    verdict(v, Verdict::Contradicted);
    let (date, r, _) = C1B_180_365[5];
    has(v, &format!("{date} -> btc return {} by 2022-11-03: COUNTEREXAMPLE", pct(r)));
    assert_eq!(v.n, Some(C1B_180_365.iter().filter(|e| e.2).count()));
    // 90 days: the 2025 breakout is complete and fell.
    let v = &c1b.variants[3];
    verdict(v, Verdict::Contradicted);
    let (date, r, _) = C1B_365_90[4];
    has(v, &format!("{date} -> btc return {}", pct(r)));
    // The average reading is the event study's: too few events.
    verdict(&c1b.variants[4], Verdict::Inconclusive);
    has(&c1b.variants[4], "too few to conclude anything (need at least 8)");

    // The claim names the 2016 and 2020 breakouts: before the 2020 one's year
    // was over, the claim needed data after the cut.
    let early = one(shared, "2021-06-30", "C1a");
    verdict(&early.main, Verdict::NoData);
    has(&early.main, "2020-11-13 -> btc return");
    has(&early.main, "so far (incomplete: the horizon ends 2021-11-14)");
}

// ---- Item 13: absence of evidence is not contradiction; Holm across tests.

/// C7 was `contradicted` because no link was significant; now that is
/// `inconclusive`, and the tests of every link, direction and lag share one
/// Holm correction.
#[test]
fn lead_order_without_a_significant_link_is_inconclusive() {
    let data = shared_data();
    let shared = &data.app;
    let c7 = one(shared, AS_OF, "C7");
    verdict(&c7.main, Verdict::Inconclusive);
    has(&c7.main, "Holm over all 24 tests");
    for v in &c7.variants {
        assert_ne!(v.verdict, Verdict::Contradicted, "{}", v.evidence);
    }
    // A chain the reference script recomputes: spx -> rut -> btc, weekly from 2016-07-01.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "[[claim]]\nid = \"L1\"\ntext = \"large caps lead small caps lead bitcoin\"\nkind = \"lead-order\"\n\
         chain = [\"spx\", \"rut\", \"btc\"]\nfreq = \"weekly\"\nmax_lag = 4\nfrom = \"2016-07-01\"\n",
    )
    .unwrap();
    let req = ClaimsRequest { claims_file: Some(file), ..request(Some(AS_OF), &["L1"]) };
    let l1 = claims(shared, &req).unwrap().claims.remove(0);
    verdict(&l1.main, Verdict::Inconclusive);
    has(&l1.main, "Holm over all 16 tests at 0.05");
    let p = |v: f64| riskcurve_app::human::p_value(v);
    let [f1, r1, f2, r2] = LEAD_ORDER;
    has(
        &l1.main,
        &format!(
            "spx -> rut: smallest p {} at lag {} (Holm {}), reverse {} at lag {} (Holm {})",
            p(f1.0),
            f1.1,
            p(f1.2),
            p(r1.0),
            r1.1,
            p(r1.2)
        ),
    );
    // BTC -> RUT at lag 1 alone would pass 5%; after Holm over 16 tests it does not.
    has(
        &l1.main,
        &format!(
            "rut -> btc: smallest p {} at lag {} (Holm {}), reverse {} at lag {} (Holm {})",
            p(f2.0),
            f2.1,
            p(f2.2),
            p(r2.0),
            r2.1,
            p(r2.2)
        ),
    );
    assert!(r2.0 < 0.05 && r2.2 > 0.05);
    has(&l1.main, "n = 518: no significant link either way");
}

// ---- Item 14: C5 compares dependent correlations.

/// C5 said "supported" because corr(btc, rut) was the largest number; now
/// it compares RUT with SPX (Nasdaq as a variant) and tests the difference
/// of the two dependent correlations with Steiger's Z.
#[test]
fn btc_with_small_caps_against_large_caps_is_a_test_of_dependent_correlations() {
    let data = shared_data();
    let shared = &data.app;
    let c5 = one(shared, AS_OF, "C5");
    let outcomes: Vec<&Outcome> = std::iter::once(&c5.main).chain(&c5.variants).collect();
    let want = [
        Verdict::Inconclusive,
        Verdict::Inconclusive,
        Verdict::Inconclusive,
        Verdict::Inconclusive,
        Verdict::Supported,
    ];
    for ((o, (label, n, a, b, z, p)), v) in outcomes.iter().zip(C5).zip(want) {
        verdict(o, v);
        let h = if label.contains("ixic") { "ixic" } else { "spx" };
        has(o, &format!("(n = {n}): corr(btc, rut) = {a:.3}, corr(btc, {h}) = {b:.3}"));
        has(o, &format!("Steiger's Z = {z:.2} (two-sided p = {})", riskcurve_app::human::p_value(p)));
    }
    has(&c5.main, "the difference is not significant at 0.05");
    has(&c5.variants[3], "btc moves significantly more with rut than with spx");
}

// ---- Item 16: one verdict engine; malformed claims are bad input.

/// A one-item `with` was "supported"; an error inside a claim became `no
/// data` with exit 0. Now the file is checked when read, and errors name the
/// claim; only a series that is not stored is `no data`.
#[test]
fn malformed_claims_are_bad_input_naming_the_claim() {
    let data = shared_data();
    let shared = &data.app;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let req = |file: PathBuf| ClaimsRequest { claims_file: Some(file), ..request(Some(AS_OF), &[]) };
    let head = "[[claim]]\nid = \"X1\"\ntext = \"t\"\n";
    for (text, message) in [
        (
            "kind = \"correlation\"\ntarget = \"btc\"\nwith = [\"rut\"]",
            "claim X1: `with`: needs at least 2 items, has 1",
        ),
        ("kind = \"lead-order\"\nmax_lag = 4\nchain = []", "claim X1: `chain`: needs at least 2 items, has 0"),
        (
            "kind = \"event-cases\"\nsignal = \"breakout:rut\"\ntarget = \"btc\"\nhorizon = 0\nmin_return = 0",
            "claim X1: `horizon`: 0 is below 1",
        ),
        ("kind = \"event-study\"\nsignal = \"nonsense\"\ntargets = [\"btc\"]\nhorizon = 30", "claim X1: `signal`"),
    ] {
        let err = claims(shared, &req(write("bad.toml", &format!("{head}{text}")))).unwrap_err();
        assert!(err.is_bad_input(), "{err}");
        assert!(err.to_string().contains(message), "{message:?} not in {err}");
    }
    // A failure at run time stops the command, naming the claim.
    let text =
        "kind = \"volume\"\nsignal = \"level:rut/spx:1.0\"\nperiod = \"2026-01\"\nmean_days = 50\nmin_ratio = 1.5";
    let err = claims(shared, &req(write("ratio.toml", &format!("{head}{text}")))).unwrap_err();
    assert!(err.is_bad_input() && err.to_string().starts_with("claim X1: signal level:rut/spx:1"), "{err}");
    // So does a claim about the returns of a rate (issue 10 item 15).
    let text = "kind = \"event-cases\"\nsignal = \"breakout:rut\"\ntarget = \"dgs10\"\nhorizon = 90\nmin_return = 0";
    let err = claims(shared, &req(write("rate.toml", &format!("{head}{text}")))).unwrap_err();
    assert!(err.is_bad_input() && err.to_string().starts_with("claim X1: dgs10 is a rate"), "{err}");
    // A series that is not stored is `no data`, not an error.
    let text = "kind = \"year-return\"\nseries = \"nosuch\"\nyear = 2025\nmin_return = 0.1";
    let r = claims(
        shared,
        &ClaimsRequest { ids: vec!["X1".into()], ..req(write("missing.toml", &format!("{head}{text}"))) },
    );
    let x1 = r.unwrap().claims.remove(0);
    verdict(&x1.main, Verdict::NoData);
    has(&x1.main, "series nosuch is not stored");
}

/// The event-study claims keep the stats crate's verdict (its minimum of 8
/// events and its Holm correction) instead of their own 0.05 and n rules.
#[test]
fn event_study_claims_keep_the_stats_verdict() {
    let data = shared_data();
    let shared = &data.app;
    let c2 = one(shared, AS_OF, "C2");
    verdict(&c2.main, Verdict::Inconclusive);
    has(&c2.main, "eth 90d: n = 2 events: too few to conclude anything (need at least 8), whatever the p-value");
    has(&c2.main, "alts 90d: n = 3 events: too few to conclude anything");
}

// ---- C10-C17: the articles' other claims.

#[test]
fn articles_other_claims_have_definitions_evidence_and_verdicts() {
    let data = shared_data();
    let shared = &data.app;
    let report = run(shared, Some(AS_OF), &["C10", "C11", "C12", "C13", "C14", "C15", "C16", "C17"]);
    let by = |id: &str| report.claims.iter().find(|c| c.id == id).unwrap();
    let window = |end: &str| *WINDOWS.iter().find(|w| w.0 == end).unwrap();
    let price = riskcurve_app::human::price;

    // C10: +8.7% to 2026-01-21 (9% rounded), but the highest close 2,698.17 is not above 2,700.
    let c10 = by("C10");
    let w = window("2026-01-21");
    verdict(&c10.main, Verdict::Contradicted);
    has(&c10.main, &format!("({}): {} against the claimed +9.0% +/- 0.5 points: holds", w.0, pct(w.1)));
    has(&c10.main, &format!("highest close {} on 2026-01-21: not above 2,700.00", price(w.2)));
    verdict(&c10.variants[0], Verdict::Supported);
    has(&c10.variants[0], &format!("highest high {} on 2026-01-21: above 2,700.00", price(w.3)));
    let w = window("2026-01-23");
    verdict(&c10.variants[1], Verdict::Contradicted);
    has(&c10.variants[1], &format!("({}): {} against the claimed +9.0%", w.0, pct(w.1)));

    // C11: about 6-8% by mid-January, not 15%.
    let c11 = by("C11");
    for (o, end) in std::iter::once(&c11.main).chain(&c11.variants[..2]).zip(["2026-01-13", "2026-01-14", "2026-01-16"])
    {
        verdict(o, Verdict::Contradicted);
        has(o, &format!("({end}): {} against the claimed +15.0% +/- 2.0 points: does not hold", pct(window(end).1)));
    }

    // C12: the previous cycle's top broken 2024-03-04, 47 days before the
    // halving; every earlier cycle broke it after its halving.
    let c12 = by("C12");
    verdict(&c12.main, Verdict::Supported);
    for (h, top, first) in C12_CYCLE_TOP {
        has(&c12.main, &format!("({h}): previous high"));
        has(&c12.main, &format!("({top}) first closed above on {first}"));
    }
    has(&c12.main, "47 days before the halving (claimed 2024-03)");
    verdict(&c12.variants[0], Verdict::Supported);

    // C13: 1.06x the 50-day mean, above 67.1% of the year's sessions: not very heavy.
    let c13 = by("C13");
    verdict(&c13.main, Verdict::Contradicted);
    has(&c13.main, &format!("= {:.2}x the mean of the 50 sessions before", C13_RUT[0]));
    has(&c13.main, &format!("above {} of the 252 sessions before it", riskcurve_app::human::pct(C13_RUT[2], 1)));
    has(&c13.variants[0], &format!("= {:.2}x the mean of the 20 sessions before", C13_RUT[1]));
    has(&c13.variants[1], &format!("iwm volume 37,957,000 = {:.2}x", C13_IWM[0]));
    has(&c13.variants[1], &format!("above {} of the 252", riskcurve_app::human::pct(C13_IWM[2], 1)));
    // Against all history the day ranks high (volume trends up), but the ratio still fails.
    has(
        &c13.variants[3],
        &format!("above {} of all sessions before it; percentile >= 90%", riskcurve_app::human::pct(C13_RUT[3], 1)),
    );
    verdict(&c13.variants[3], Verdict::Contradicted);

    // C14: the index starts 2018-02 (altcoin prices from 2017-11): the 2016
    // window is not covered; the 2020 breakout was followed by a season.
    let c14 = by("C14");
    verdict(&c14.main, Verdict::NoData);
    has(&c14.main, "2016-11-14: the index runs 2018-");
    has(&c14.main, "not the whole window 2016-11-15..2017-11-14");
    has(&c14.main, "2020-11-13: index");

    // C15: 93.750% mined, 1.669% -> 0.834% a year; 0.85% is "about" but not as rounded.
    let c15 = by("C15");
    verdict(&c15.main, Verdict::Supported);
    for (name, v) in ["mined", "before", "after"].iter().zip(C15) {
        has(&c15.main, &format!("{name} {}", riskcurve_app::human::pct(v, 3)));
    }
    has(&c15.main, "19,687,500 BTC of 20,999,999.9769 BTC");
    verdict(&c15.variants[0], Verdict::Contradicted);
    has(&c15.variants[0], "after 0.834% (164,250 BTC a year; claimed 0.85%): does not hold");

    // C16, C17: no data, naming what is needed.
    for (id, series, what) in [
        ("C16", "r2k-negative-oi-share", "constituent fundamentals"),
        ("C17", "r2k-above-50d-share", "constituent prices for breadth"),
    ] {
        verdict(&by(id).main, Verdict::NoData);
        has(&by(id).main, &format!("series {series} is not stored"));
        has(&by(id).main, what);
    }
}

/// C16 runs once a user imports the series the claims file documents, and
/// waits for the value's publication (the 10-Q deadline) under `--as-of`.
#[test]
fn c16_runs_once_the_user_imports_the_series() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_at(dir.path().join("user.db"));
    let csv = dir.path().join("r2k_negative_oi.csv");
    std::fs::write(&csv, "date,value\n2025-06-30,0.38\n2025-09-30,0.42\n").unwrap();
    let job = Job {
        series: Some("r2k-negative-oi-share".into()),
        format: Some("fred".into()),
        unit: Some("ratio".into()),
        source: Some("user".into()),
        ..Job::default()
    };
    import(&app, &ImportRequest { file: Some(csv), job, ..ImportRequest::default() }, &NoProgress).unwrap();
    let c16 = run(&app, Some("2025-12-31"), &["C16"]).claims.remove(0);
    verdict(&c16.main, Verdict::Supported);
    has(&c16.main, "r2k-negative-oi-share on 2025-09-30: 0.42 (claimed 0.4 +/- 0.05)");
    let early = run(&app, Some("2025-10-31"), &["C16"]).claims.remove(0);
    verdict(&early.main, Verdict::NoData);
    has(&early.main, "(2025-11-14), after the as-of date 2025-10-31");
}
