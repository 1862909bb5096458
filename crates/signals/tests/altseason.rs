//! Altcoin season index: hand-made series where the index is obvious,
//! exclusions, membership switching, window boundaries, and the real Binance
//! and CoinMarketCap data.

mod data_files;

use std::collections::BTreeMap;

use data_files::{binance_closes, closes, cmc_snapshots, d};
use riskcurve_core::{Date, Series};
use riskcurve_signals::altseason::*;
use riskcurve_signals::SignalError;

/// Hand-made: `days` daily closes from 2024-01-01 growing by `pct` percent a
/// day, so every window return is the same and the index is constant.
fn growing(pct: f64, days: i32) -> Series {
    let start = d("2024-01-01");
    Series::from_pairs((0..days).map(|k| (start.add_days(k), 100.0 * (1.0 + pct / 100.0).powi(k)))).unwrap()
}

fn alts(list: &[(&str, f64)]) -> BTreeMap<String, Series> {
    list.iter().map(|(s, pct)| (s.to_string(), growing(*pct, 60))).collect()
}

fn params(window: u32, min_coins: usize) -> AltseasonParams {
    AltseasonParams { window, min_coins, ..AltseasonParams::default() }
}

fn run(
    btc: &Series,
    alts: &BTreeMap<String, Series>,
    ex: &Exclusions,
    m: Option<&Membership>,
    p: AltseasonParams,
) -> AltseasonReport {
    altseason(&AltseasonInput { btc, alts, exclusions: ex, membership: m }, &p).unwrap()
}

fn none() -> Exclusions {
    Exclusions::new("test", Vec::<String>::new())
}

#[test]
fn three_of_four_beat_btc_is_75_and_altseason() {
    let btc = growing(1.0, 60);
    let a = alts(&[("aaa", 2.0), ("bbb", 3.0), ("ccc", 1.5), ("ddd", 0.0)]);
    let r = run(&btc, &a, &none(), None, params(10, 4));
    assert_eq!(r.observations.len(), 50, "days 10..59 of the BTC history");
    assert!(r.observations.iter().all(|o| o.index == 75.0 && o.n_coins == 4 && o.state == AltseasonState::Altseason));
    assert_eq!(r.observations[0].date, d("2024-01-11"), "the first day with a close 10 days before");
    assert_eq!(r.current.as_ref().unwrap().date, d("2024-02-29"));
    assert_eq!(r.current.as_ref().unwrap().universe, Universe::Catalog);
    assert_eq!((r.rule, r.window, r.exclusions_version.as_str()), (AltseasonRule::BlockchainCenter, 10, "test"));
    assert_eq!(r.index_series().len(), 50);
}

#[test]
fn json_shape() {
    let btc = growing(1.0, 60);
    let a = alts(&[("aaa", 2.0), ("bbb", 0.5), ("ccc", 0.0), ("ddd", 0.0)]);
    let p = AltseasonParams { rule: AltseasonRule::Cmc, ..params(10, 4) };
    let json = serde_json::to_value(run(&btc, &a, &none(), None, p)).unwrap();
    assert_eq!(
        (&json["rule"], &json["window"], &json["exclusions_version"]),
        (&"cmc".into(), &10.into(), &"test".into())
    );
    let current = &json["current"];
    assert_eq!(current["date"], "2024-02-29");
    assert_eq!((current["index"].as_f64(), current["n_coins"].as_u64()), (Some(25.0), Some(4)));
    assert_eq!((&current["state"], &current["universe"]), (&"bitcoin season".into(), &"catalog".into()));
    assert_eq!(json["observations"].as_array().unwrap().len(), 50);
    assert!(json["warnings"].is_array());
    assert_eq!(serde_json::to_value(Universe::PointInTime).unwrap(), "point-in-time");
    assert_eq!(serde_json::to_value(AltseasonState::Altseason).unwrap(), "altseason");
}

#[test]
fn thresholds_and_ties() {
    let btc = growing(1.0, 60);
    let state = |list: &[(&str, f64)]| {
        let r = run(&btc, &alts(list), &none(), None, params(10, 4));
        let c = r.current.unwrap();
        (c.index, c.state)
    };
    // One of four: 25 is bitcoin season; two of four: neutral.
    assert_eq!(state(&[("a", 2.0), ("b", 0.5), ("c", 0.0), ("e", -1.0)]), (25.0, AltseasonState::BitcoinSeason));
    assert_eq!(state(&[("a", 2.0), ("b", 3.0), ("c", 0.0), ("e", -1.0)]), (50.0, AltseasonState::Neutral));
    // Matching BTC exactly is not beating it: 3 of 5 = 60.
    assert_eq!(state(&[("a", 2.0), ("b", 3.0), ("c", 1.5), ("e", 0.0), ("f", 1.0)]), (60.0, AltseasonState::Neutral));
    assert_eq!(AltseasonState::of(75.0), AltseasonState::Altseason);
    assert_eq!(AltseasonState::of(74.9), AltseasonState::Neutral);
    assert_eq!(AltseasonState::of(25.1), AltseasonState::Neutral);
    assert_eq!(AltseasonState::of(0.0), AltseasonState::BitcoinSeason);
}

#[test]
fn exclusions_and_btc_are_never_counted() {
    let btc = growing(1.0, 60);
    // Two stablecoin-like and wrapped entries that "beat" BTC, plus BTC itself.
    let a = alts(&[("aaa", 2.0), ("bbb", 0.0), ("ccc", 0.0), ("ddd", 0.0), ("USDT", 5.0), ("wbtc", 5.0), ("BTC", 5.0)]);
    let ex = Exclusions::new("2026-11-24", ["usdt", "WBTC", "paxg"]);
    let c = run(&btc, &a, &ex, None, params(10, 4)).current.unwrap();
    assert_eq!((c.index, c.n_coins), (25.0, 4));
    // Without the list they count (BTC still does not).
    let c = run(&btc, &a, &none(), None, params(10, 4)).current.unwrap();
    assert_eq!((c.index, c.n_coins), (50.0, 6));
    let e = altseason(
        &AltseasonInput { btc: &btc, alts: &alts(&[("sol", 1.0), ("SOL", 2.0)]), exclusions: &ex, membership: None },
        &AltseasonParams::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("given twice"), "{e}");
}

/// Hand-made: 55 alts; the 50 best ranked lag BTC, ranks 51-55 beat it.
/// Point-in-time top 50: 0 of 50; the CMC top 100 and the catalog: 5 of 55.
#[test]
fn membership_switching_and_top_n() {
    let btc = growing(1.0, 120);
    let symbols: Vec<String> = (0..55).map(|k| format!("c{k:02}")).collect();
    let alts: BTreeMap<String, Series> =
        symbols.iter().enumerate().map(|(k, s)| (s.clone(), growing(if k < 50 { 0.5 } else { 2.0 }, 120))).collect();
    // A stablecoin ranked 2nd and BTC 1st take no slot of the top 50.
    let mut ranked: Vec<String> = vec!["BTC".into(), "USDT".into()];
    ranked.extend(symbols.iter().map(|s| s.to_uppercase()));
    let snapshot = d("2024-03-01");
    let membership = Membership::new(vec![(snapshot, ranked)]).unwrap();
    let ex = Exclusions::new("v1", ["usdt"]);
    let report = run(&btc, &alts, &ex, Some(&membership), params(30, 5));
    let row = |s: &str| report.observations.iter().find(|r| r.date == d(s)).unwrap().clone();

    // Before the snapshot and more than 40 days after it: catalog.
    assert_eq!((row("2024-02-29").universe, row("2024-02-29").n_coins), (Universe::Catalog, 55));
    assert!((row("2024-02-29").index - 100.0 * 5.0 / 55.0).abs() < 1e-12);
    // From the snapshot date to 40 days after it: the top 50 only.
    for day in ["2024-03-01", "2024-04-10"] {
        let r = row(day);
        assert_eq!(
            (r.universe, r.n_coins, r.index, r.state),
            (Universe::PointInTime, 50, 0.0, AltseasonState::BitcoinSeason)
        );
    }
    assert_eq!(row("2024-04-11").universe, Universe::Catalog);
    assert!(report.warnings.iter().any(|w| w.starts_with("survivorship")), "{:?}", report.warnings);
    assert!(!report.warnings.iter().any(|w| w.contains("of the top 50")), "{:?}", report.warnings);

    // CMC: top 100, so all 55 count at point in time too.
    let p = AltseasonParams { rule: AltseasonRule::Cmc, ..params(30, 5) };
    let cmc = run(&btc, &alts, &ex, Some(&membership), p);
    let r = cmc.observations.iter().find(|r| r.date == snapshot).unwrap();
    assert_eq!((r.universe, r.n_coins), (Universe::PointInTime, 55));
    assert!(cmc.warnings.iter().any(|w| w.contains("55..55 of the top 100")), "{:?}", cmc.warnings);

    // Snapshots must be in order; lookups respect the age limit.
    assert!(Membership::new(vec![(snapshot, vec![]), (snapshot, vec![])]).is_err());
    assert_eq!(membership.at(d("2024-02-29"), 40), None);
    assert_eq!(membership.at(d("2024-04-10"), 40).map(|(s, l)| (s, l.len())), Some((snapshot, 57)));
    assert_eq!(membership.at(d("2024-04-10"), 39), None);
}

#[test]
fn window_boundaries_and_tolerance() {
    let s = Series::from_pairs([(d("2024-01-01"), 100.0), (d("2024-01-31"), 150.0), (d("2024-02-05"), 120.0)]).unwrap();
    // Exactly `window` days apart.
    assert_eq!(window_return(&s, d("2024-01-31"), 30, 3), Some(0.5));
    // The start close may be up to 3 days old: 2024-02-03 - 30 = 2024-01-04.
    assert_eq!(window_return(&s, d("2024-02-03"), 30, 3), Some(0.5));
    assert_eq!(window_return(&s, d("2024-02-04"), 30, 3), None);
    // The end close too: on 2024-02-03 the last close is 2024-01-31.
    assert_eq!(window_return(&s, d("2024-02-04"), 34, 4), Some(0.5));
    assert_eq!(window_return(&s, d("2024-02-04"), 34, 3), None);
    // Before the series starts.
    assert_eq!(window_return(&s, d("2024-01-20"), 30, 3), None);

    // A coin listed late joins once it has a close `window` days back.
    let btc = growing(1.0, 60);
    let mut a = alts(&[("aaa", 2.0), ("bbb", 2.0), ("ccc", 0.0), ("ddd", 0.0)]);
    a.insert("new".into(), growing(5.0, 60).between(Some(d("2024-01-21")), None));
    let r = run(&btc, &a, &none(), None, params(10, 4));
    let row = |s: &str| r.observations.iter().find(|o| o.date == d(s)).unwrap().clone();
    assert_eq!((row("2024-01-30").n_coins, row("2024-01-30").index), (4, 50.0));
    assert_eq!((row("2024-01-31").n_coins, row("2024-01-31").index), (5, 60.0));
}

/// Hand-made: BTC flat at 100 then doubling on the last two days, while the
/// alts (rising 1% a day) stop two days early. Each alt is compared with BTC
/// over its own closes (flat BTC): all four beat it. Comparing with BTC's
/// full window instead would have said none did.
#[test]
fn alts_with_stale_closes_are_compared_over_their_own_dates() {
    let start = d("2024-01-01");
    let btc = Series::from_pairs((0..60).map(|k| (start.add_days(k), if k >= 58 { 200.0 } else { 100.0 }))).unwrap();
    let a: BTreeMap<String, Series> = ["a", "b", "c", "e"].iter().map(|s| (s.to_string(), growing(1.0, 58))).collect();
    let r = run(&btc, &a, &none(), None, params(10, 4));
    let c = r.current.unwrap();
    assert_eq!((c.date, c.index, c.n_coins), (d("2024-02-29"), 100.0, 4));
    assert_eq!(window_return(&btc, d("2024-02-29"), 10, 3), Some(1.0));
}

#[test]
fn step_min_coins_and_warnings() {
    let btc = growing(1.0, 60);
    let a = alts(&[("aaa", 2.0), ("bbb", 3.0), ("ccc", 1.5), ("ddd", 0.0)]);
    let p = AltseasonParams { step: 7, ..params(10, 4) };
    let r = run(&btc, &a, &none(), None, p);
    let dates: Vec<Date> = r.observations.iter().map(|o| o.date).collect();
    // Counted back from the last BTC close so the latest day is always there.
    assert_eq!(dates.last(), Some(&d("2024-02-29")));
    assert!(dates.windows(2).all(|w| w[1].days_since(w[0]) == 7));
    assert_eq!(dates[0], d("2024-01-11"));
    assert!(r.warnings.iter().any(|w| w.starts_with("small sample")), "{:?}", r.warnings);

    // Four alts but five required: no rows, and a warning says why.
    let r = run(&btc, &a, &none(), None, params(10, 5));
    assert!(r.observations.is_empty() && r.current.is_none());
    assert!(r.warnings[0].contains("at least 5 alts"), "{:?}", r.warnings);

    // Alts that stop early: the latest row is stale and said to be.
    let short: BTreeMap<String, Series> =
        a.iter().map(|(k, s)| (k.clone(), s.between(None, Some(d("2024-02-20"))))).collect();
    let r = run(&btc, &short, &none(), None, params(10, 4));
    assert_eq!(r.current.unwrap().date, d("2024-02-23"), "3 days of tolerance past the last alt close");
    assert!(r.warnings.iter().any(|w| w.contains("6 days before the last btc close")), "{:?}", r.warnings);
}

#[test]
fn parameters_are_validated() {
    let btc = growing(1.0, 60);
    let a = alts(&[("aaa", 2.0)]);
    let ex = none();
    let input = AltseasonInput { btc: &btc, alts: &a, exclusions: &ex, membership: None };
    for p in [
        AltseasonParams { window: 0, ..AltseasonParams::default() },
        AltseasonParams { step: 0, ..AltseasonParams::default() },
        AltseasonParams { min_coins: 0, ..AltseasonParams::default() },
        AltseasonParams { window: 3, tolerance_days: 3, ..AltseasonParams::default() },
    ] {
        assert!(matches!(altseason(&input, &p), Err(SignalError::InvalidParameter { .. })), "{p:?}");
    }
    let empty = Series::default();
    let e = altseason(&AltseasonInput { btc: &empty, ..input }, &AltseasonParams::default()).unwrap_err();
    assert_eq!(e, SignalError::no_data("btc", "no closes"));
    assert_eq!("CMC".parse::<AltseasonRule>().unwrap(), AltseasonRule::Cmc);
    assert_eq!("blockchaincenter".parse::<AltseasonRule>().unwrap(), AltseasonRule::BlockchainCenter);
    assert_eq!(AltseasonRule::Cmc.to_string(), "cmc");
    assert!("coingecko".parse::<AltseasonRule>().is_err());
}

/// The catalog's [flags] lists (catalog/default.toml, version 2026-11-24).
fn catalog_exclusions() -> Exclusions {
    let stable = "usdt usdc tusd dai busd fdusd usde pyusd usdd usdp gusd frax lusd ust ustc eurc rlusd usd1 usds";
    let wrapped =
        "wbtc weth steth wsteth cbbtc weeth reth wbeth btcb hbtc renbtc tbtc cbeth wtrx wbnb jitosol msol bsc-usd";
    let asset_backed = "paxg xaut dgx";
    Exclusions::new("2026-11-24", [stable, wrapped, asset_backed].join(" ").split_whitespace())
}

#[test]
fn real_binance_alts_against_yahoo_btc() {
    let btc = closes("btc_usd_daily_yahoo.csv");
    let alts = binance_closes();
    assert_eq!(alts.len(), 21);
    let ex = catalog_exclusions();
    let catalog = run(&btc, &alts, &ex, None, AltseasonParams::default());
    let membership = Membership::new(cmc_snapshots()).unwrap();
    let pit = run(&btc, &alts, &ex, Some(&membership), AltseasonParams::default());
    let at = |r: &AltseasonReport, s: &str| r.observations.iter().find(|o| o.date == d(s)).cloned();
    for day in [
        "2019-06-01",
        "2021-01-15",
        "2021-05-01",
        "2021-09-01",
        "2022-06-01",
        "2023-06-01",
        "2024-03-01",
        "2024-11-01",
        "2025-08-01",
        "2026-01-06",
    ] {
        let show = |o: Option<AltseasonRow>| {
            o.map_or("-".to_string(), |o| format!("{:5.1} n={:2} {:?}", o.index, o.n_coins, o.state))
        };
        println!("{day}: catalog {} | point-in-time {}", show(at(&catalog, day)), show(at(&pit, day)));
    }
    let share = |r: &AltseasonReport, from: &str, to: &str, state: AltseasonState| {
        let rows: Vec<&AltseasonRow> = r.observations.iter().filter(|o| o.date >= d(from) && o.date <= d(to)).collect();
        rows.iter().filter(|o| o.state == state).count() as f64 / rows.len() as f64
    };
    for (name, r) in [("catalog", &catalog), ("point-in-time", &pit)] {
        println!(
            "{name}: {} rows {} .. {}; 2023-2024 bitcoin season {:.0}%, altseason {:.0}%; current {:?}",
            r.observations.len(),
            r.observations[0].date,
            r.current.as_ref().unwrap().date,
            100.0 * share(r, "2023-01-01", "2024-12-31", AltseasonState::BitcoinSeason),
            100.0 * share(r, "2023-01-01", "2024-12-31", AltseasonState::Altseason),
            r.current,
        );
        for w in &r.warnings {
            println!("  warning: {w}");
        }
    }
    // Exact index values and coin counts on the catalog universe, from
    // tests/reference/altseason_binance.py (pandas 3.1.1; issue 10 item 25).
    let reference = [
        ("2019-06-01", 33.333333333333336, 9),
        ("2021-01-15", 16.666666666666668, 18),
        ("2021-05-01", 100.0, 18),
        ("2021-09-01", 26.31578947368421, 19),
        ("2022-06-01", 26.31578947368421, 19),
        ("2023-06-01", 5.2631578947368425, 19),
        ("2024-03-01", 44.44444444444444, 18),
        ("2024-11-01", 23.529411764705884, 17),
        ("2025-08-01", 52.94117647058823, 17),
        ("2026-01-06", 23.529411764705884, 17),
    ];
    for (day, index, n) in reference {
        let row = at(&catalog, day).unwrap();
        assert_eq!((row.index, row.n_coins), (index, n), "{day}");
    }
    assert_eq!(catalog.exclusions_version, "2026-11-24");
    // PAXG (gold) is excluded: 19 alts at most besides BTC.
    assert!(catalog.observations.iter().all(|o| o.n_coins <= 19 && o.universe == Universe::Catalog));
    assert!(catalog.warnings.iter().any(|w| w.starts_with("survivorship")));
    let spring_2021 = at(&catalog, "2021-05-01").unwrap();
    assert_eq!(spring_2021.state, AltseasonState::Altseason, "{spring_2021:?}");
    // 2023-2024 (as checked when this was written): about half the days were
    // bitcoin season, the rest neutral, almost none altseason.
    assert!(share(&catalog, "2023-01-01", "2024-12-31", AltseasonState::BitcoinSeason) > 0.45);
    assert!(share(&catalog, "2023-01-01", "2024-12-31", AltseasonState::Altseason) < 0.05);
    assert_eq!(at(&catalog, "2023-06-01").unwrap().state, AltseasonState::BitcoinSeason);
    // The alts end 2026-01-06 (Binance), BTC runs to 2026-06-05 (Yahoo).
    assert_eq!(catalog.current.unwrap().date, d("2026-01-09"));
    // CMC snapshots cover 2020-01-01 .. 2025-10-01 (+40 days).
    assert!(pit.observations.iter().any(|o| o.universe == Universe::PointInTime));
    assert_eq!(at(&pit, "2021-05-01").unwrap().universe, Universe::PointInTime);
    assert_eq!(at(&pit, "2019-06-01").unwrap().universe, Universe::Catalog);
}
