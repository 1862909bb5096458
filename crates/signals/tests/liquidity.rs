//! Net liquidity: hand-made series where the answer is obvious, the
//! no-look-ahead guarantees (brute force and a perturbation property) and a
//! spot check on the real FRED data.

mod data_files;

use data_files::{d, fred_column};
use proptest::prelude::*;
use riskcurve_core::{nyse_sessions, Calendar, Date, Release, ReleaseRule, Series, Tz, Unit};
use riskcurve_signals::liquidity::*;
use riskcurve_signals::spec::Regime;
use riskcurve_signals::SignalError;

fn nyse() -> Release {
    Calendar::Nyse.bar_close().unwrap()
}

fn crypto() -> Release {
    Calendar::Crypto.bar_close().unwrap()
}

fn series(pairs: &[(&str, f64)]) -> Series {
    Series::from_pairs(pairs.iter().map(|(s, v)| (d(s), *v))).unwrap()
}

fn input<'a>(walcl: &'a Series, tga: &'a Series, rrp: &'a Series) -> LiquidityInput<'a> {
    LiquidityInput {
        walcl: LiquidityComponent { series: walcl, unit: Unit::UsdMillions, release: WALCL_RELEASE },
        tga: LiquidityComponent { series: tga, unit: Unit::UsdMillions, release: TGA_RELEASE },
        rrp: LiquidityComponent { series: rrp, unit: Unit::UsdBillions, release: RRP_RELEASE },
    }
}

fn run(input: &LiquidityInput<'_>, target: &[Date], close: Release) -> LiquidityReport {
    net_liquidity(input, target, close, &LiquidityParams::default()).unwrap()
}

/// Hand-made: two H.4.1 weeks and a week of RRP in billions.
fn two_weeks() -> (Series, Series, Series) {
    let walcl = series(&[("2026-01-07", 6_000.0), ("2026-01-14", 6_100.0)]);
    let tga = series(&[("2026-01-07", 800.0), ("2026-01-14", 700.0)]);
    let rrp = series(&[
        ("2026-01-12", 1.0),
        ("2026-01-13", 1.0),
        ("2026-01-14", 1.0),
        ("2026-01-15", 1.0),
        ("2026-01-16", 2.0),
    ]);
    (walcl, tga, rrp)
}

#[test]
fn thursday_equity_close_does_not_see_wednesday_h41_but_friday_does() {
    let (walcl, tga, rrp) = two_weeks();
    let target = nyse_sessions(d("2026-01-12"), d("2026-01-16"));
    let rows = run(&input(&walcl, &tga, &rrp), &target, nyse()).observations;
    let net: Vec<(String, f64)> = rows.iter().map(|r| (r.date.to_string(), r.net_liquidity)).collect();
    // Mon-Thu: last week's H.4.1 (6000 - 800) minus RRP 1 bn = 1000 mn.
    // Fri: this week's (6100 - 700) minus RRP 2 bn = 2000 mn.
    let expected = [
        ("2026-01-12", 4_200.0),
        ("2026-01-13", 4_200.0),
        ("2026-01-14", 4_200.0),
        ("2026-01-15", 4_200.0),
        ("2026-01-16", 3_400.0),
    ];
    assert_eq!(net, expected.map(|(a, b)| (a.to_string(), b)).to_vec());
    let thursday = &rows[3];
    assert_eq!(
        thursday.reference_dates,
        ReferenceDates { walcl: d("2026-01-07"), tga: d("2026-01-07"), rrp: d("2026-01-15") }
    );
    assert_eq!((thursday.walcl, thursday.tga, thursday.rrp), (6_000.0, 800.0, 1_000.0));
    assert_eq!(rows[4].reference_dates.walcl, d("2026-01-14"));
}

#[test]
fn json_shape() {
    let (walcl, tga, rrp) = two_weeks();
    let report = run(&input(&walcl, &tga, &rrp), &[d("2026-01-16")], nyse());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["unit"], "USD millions");
    let row = &json["observations"][0];
    assert_eq!(row["date"], "2026-01-16");
    assert_eq!(row["net_liquidity"], 3_400.0);
    assert_eq!(
        (row["walcl"].as_f64(), row["tga"].as_f64(), row["rrp"].as_f64()),
        (Some(6_100.0), Some(700.0), Some(2_000.0))
    );
    assert_eq!(row["reference_dates"]["walcl"], "2026-01-14");
    for key in ["change_4w", "change_13w", "change_26w", "regime", "contrib_13w", "share_13w"] {
        assert!(row[key].is_null(), "{key}: {row}");
    }
    let rising =
        Series::new((0..14).map(|k| d("2025-10-08").add_days(7 * k)).collect(), (0..14).map(f64::from).collect())
            .unwrap();
    let zero = Series::new(vec![d("2025-10-01")], vec![0.0]).unwrap();
    let report = run(&input(&rising, &zero, &zero), &[d("2026-01-09")], nyse());
    let row = &serde_json::to_value(&report).unwrap()["observations"][0];
    assert_eq!(row["regime"], "expanding");
    assert_eq!(row["share_13w"]["walcl"], 1.0);
}

#[test]
fn crypto_bars_see_the_h41_on_thursday_and_keep_it_over_the_weekend() {
    let (walcl, tga, rrp) = two_weeks();
    let target = every_day(d("2026-01-14"), d("2026-01-18"));
    let rows = run(&input(&walcl, &tga, &rrp), &target, crypto()).observations;
    // The crypto bar of Thursday 15 closes Friday 00:00 UTC, after 21:30 UTC.
    let walcl_dates: Vec<Date> = rows.iter().map(|r| r.reference_dates.walcl).collect();
    assert_eq!(walcl_dates, [d("2026-01-07"), d("2026-01-14"), d("2026-01-14"), d("2026-01-14"), d("2026-01-14")]);
    let net: Vec<f64> = rows.iter().map(|r| r.net_liquidity).collect();
    // Thursday: 6100 - 700 - 1000; from Friday on RRP is 2 bn.
    assert_eq!(net, [4_200.0, 4_400.0, 3_400.0, 3_400.0, 3_400.0]);
}

#[test]
fn rows_start_once_all_three_are_published() {
    let (walcl, tga, rrp) = two_weeks();
    let target = every_day(d("2026-01-01"), d("2026-01-09"));
    let rows = run(&input(&walcl, &tga, &rrp), &target, nyse()).observations;
    // WALCL of Jan 7 is public Jan 8 16:30 ET: the first NYSE-close row is Jan 9,
    // but RRP starts Jan 12, so there is none at all.
    assert!(rows.is_empty());
    let rrp_early = series(&[("2026-01-02", 1.0)]);
    let rows = run(&input(&walcl, &tga, &rrp_early), &target, nyse()).observations;
    assert_eq!(rows.iter().map(|r| r.date).collect::<Vec<_>>(), [d("2026-01-09")]);
}

#[test]
fn units_are_checked_and_converted() {
    let (walcl, tga, rrp) = two_weeks();
    let target = [d("2026-01-16")];
    // WALCL given in billions is multiplied by 1000, in dollars divided by 1e6.
    let walcl_bn = walcl.map(|v| v / 1000.0).unwrap();
    let mut i = input(&walcl_bn, &tga, &rrp);
    i.walcl.unit = Unit::UsdBillions;
    assert!((run(&i, &target, nyse()).observations[0].walcl - 6_100.0).abs() < 1e-9);
    let tga_usd = tga.map(|v| v * 1e6).unwrap();
    let mut i = input(&walcl, &tga_usd, &rrp);
    i.tga.unit = Unit::Usd;
    assert!((run(&i, &target, nyse()).observations[0].tga - 700.0).abs() < 1e-9);

    for (unit, name) in
        [(Unit::Percent, "walcl"), (Unit::Usdt, "tga"), (Unit::Other("Billions of Chained Dollars".into()), "rrp")]
    {
        let mut i = input(&walcl, &tga, &rrp);
        match name {
            "walcl" => i.walcl.unit = unit.clone(),
            "tga" => i.tga.unit = unit.clone(),
            _ => i.rrp.unit = unit.clone(),
        }
        let e = net_liquidity(&i, &target, nyse(), &LiquidityParams::default()).unwrap_err();
        assert_eq!(
            e,
            SignalError::Unit {
                series: name.to_string(),
                found: unit.to_string(),
                expected: "USD millions".to_string()
            }
        );
    }
}

#[test]
fn parameters_are_validated() {
    let (walcl, tga, rrp) = two_weeks();
    let i = input(&walcl, &tga, &rrp);
    for band in [-1.0, f64::NAN, f64::INFINITY] {
        let e = net_liquidity(&i, &[], nyse(), &LiquidityParams { dead_band: band }).unwrap_err();
        assert!(matches!(e, SignalError::InvalidParameter { .. }), "{e}");
    }
    let e = net_liquidity(&i, &[d("2026-01-16"), d("2026-01-15")], nyse(), &LiquidityParams::default()).unwrap_err();
    assert!(e.to_string().contains("strictly increasing"), "{e}");
    let empty = Series::default();
    let e = net_liquidity(&input(&walcl, &tga, &empty), &[], nyse(), &LiquidityParams::default()).unwrap_err();
    assert_eq!(e, SignalError::no_data("rrp", "no observations"));
}

/// Hand-made steady trends: WALCL +30 a week, TGA +10 a week, RRP flat at 0,
/// so net liquidity rises 20 a week; on Fridays (both H.4.1 weeks known) the
/// 4/13/26-week changes are 80/260/520 and the 13-week change is +390 from
/// the Fed and -130 from the TGA: shares 1.5, -0.5 and 0.
#[test]
fn changes_and_decomposition_on_steady_trends() {
    let weds: Vec<Date> = (0..40).map(|k| d("2025-01-01").add_days(7 * k)).collect();
    let walcl = Series::new(weds.clone(), (0..40).map(|k| 5_000.0 + 30.0 * k as f64).collect()).unwrap();
    let tga = Series::new(weds.clone(), (0..40).map(|k| 700.0 + 10.0 * k as f64).collect()).unwrap();
    let rrp = Series::new(vec![d("2025-01-01")], vec![0.0]).unwrap();
    let fridays: Vec<Date> = weds.iter().map(|w| w.add_days(2)).collect();
    let rows = run(&input(&walcl, &tga, &rrp), &fridays, nyse()).observations;
    assert_eq!(rows.len(), 40);
    assert_eq!(rows[3].change_4w, None);
    assert_eq!(rows[4].change_4w, Some(80.0));
    assert_eq!(rows[12].change_13w, None);
    let r = &rows[13];
    assert_eq!(r.change_13w, Some(260.0));
    assert_eq!(r.regime, Some(Regime::Expanding));
    assert_eq!(r.contrib_13w, Some(Contributions { walcl: 390.0, tga: -130.0, rrp: 0.0 }));
    assert_eq!(r.share_13w, Some(Shares { walcl: 1.5, tga: -0.5, rrp: 0.0 }));
    assert_eq!(rows[25].change_26w, None);
    assert_eq!(rows[26].change_26w, Some(520.0));
    // Every row's contributions add up to its change.
    for r in &rows {
        if let (Some(c), Some(total)) = (r.contrib_13w, r.change_13w) {
            assert!((c.walcl + c.tga + c.rrp - total).abs() < 1e-9);
        }
    }
}

/// Hand-made: the 13-week change on Fridays 13..16 is +300, +50, -50, -300.
#[test]
fn regime_with_and_without_dead_band() {
    let weds: Vec<Date> = (0..17).map(|k| d("2025-01-01").add_days(7 * k)).collect();
    let mut levels = vec![10_000.0; 13];
    levels.extend([10_300.0, 10_050.0, 9_950.0, 9_700.0]);
    let walcl = Series::new(weds.clone(), levels).unwrap();
    let tga = Series::new(vec![weds[0]], vec![0.0]).unwrap();
    let rrp = Series::new(vec![weds[0]], vec![0.0]).unwrap();
    let fridays: Vec<Date> = weds.iter().map(|w| w.add_days(2)).collect();
    let i = input(&walcl, &tga, &rrp);
    let regimes = |band: f64| -> Vec<Option<Regime>> {
        let report = net_liquidity(&i, &fridays, nyse(), &LiquidityParams { dead_band: band }).unwrap();
        report.observations[12..].iter().map(|r| r.regime).collect()
    };
    use Regime::{Contracting as C, Expanding as E};
    assert_eq!(regimes(0.0), [None, Some(E), Some(E), Some(C), Some(C)]);
    // Inside the band (|change| <= 100) the previous regime holds.
    assert_eq!(regimes(100.0), [None, Some(E), Some(E), Some(E), Some(C)]);
    // A band wider than every change never classifies.
    assert_eq!(regimes(1_000.0), [None; 5]);
    // A zero change is contracting with no band ("expanding only when positive").
    let flat = Series::new(weds.clone(), vec![10_000.0; 17]).unwrap();
    let report = run(&input(&flat, &tga, &rrp), &fridays, nyse());
    let last = report.observations.last().unwrap();
    assert_eq!((last.change_13w, last.regime, last.share_13w), (Some(0.0), Some(C), None));
    assert_eq!(last.contrib_13w, Some(Contributions { walcl: 0.0, tga: -0.0, rrp: -0.0 }));
}

/// Randomised H.4.1 and RRP data over ~half a year, starting in a random week
/// of 2023-2024 (so daylight-saving changes fall inside).
#[derive(Debug, Clone)]
struct Case {
    walcl: Series,
    tga: Series,
    rrp: Series,
    target: Vec<Date>,
    close: Release,
    cutoff: Date,
    bump: f64,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    let weeks = 20usize..34;
    (0i32..100, weeks, prop::bool::ANY, prop::bool::ANY, 0.0f64..1.0, 1.0f64..1_000.0).prop_flat_map(
        |(start, weeks, crypto_bars, sessions_only, cut, bump)| {
            let first_wed = d("2023-01-04").add_days(7 * start);
            let days = 7 * weeks as i32;
            (
                prop::collection::vec(prop::option::weighted(0.9, 5_000.0f64..9_000.0), weeks),
                prop::collection::vec(prop::option::weighted(0.9, 100.0f64..900.0), weeks),
                prop::collection::vec(prop::option::weighted(0.8, 0.0f64..2_500.0), days as usize),
            )
                .prop_map(move |(walcl, tga, rrp)| {
                    let weekly = |values: Vec<Option<f64>>| {
                        let pairs = values
                            .into_iter()
                            .enumerate()
                            .filter_map(|(k, v)| Some((first_wed.add_days(7 * k as i32), v?)));
                        Series::from_pairs(pairs).unwrap()
                    };
                    let rrp = Series::from_pairs(rrp.into_iter().enumerate().filter_map(|(k, v)| {
                        let day = first_wed.add_days(k as i32);
                        if day.is_weekend() {
                            return None;
                        }
                        Some((day, v?))
                    }))
                    .unwrap();
                    let end = first_wed.add_days(days + 3);
                    let (target, close) = if crypto_bars {
                        (every_day(first_wed, end), crypto())
                    } else if sessions_only {
                        (nyse_sessions(first_wed, end), nyse())
                    } else {
                        (every_day(first_wed, end), nyse())
                    };
                    let cutoff = target[((target.len() - 1) as f64 * cut) as usize];
                    Case { walcl: weekly(walcl), tga: weekly(tga), rrp, target, close, cutoff, bump }
                })
        },
    )
}

/// The latest observation of `s` published by `t`, by brute force.
fn latest_published(s: &Series, release: Release, t: riskcurve_core::Timestamp) -> Option<Date> {
    s.dates().iter().copied().filter(|r| release.known_at(*r) <= t).max()
}

/// `s` with `bump` added to every value published after `t`.
fn bump_after(s: &Series, release: Release, t: riskcurve_core::Timestamp, bump: f64) -> Series {
    Series::from_pairs(s.iter().map(|(r, v)| (r, if release.known_at(r) > t { v + bump } else { v }))).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For every row, each component value used is the latest one whose
    /// publication instant is at or before the target bar's close.
    #[test]
    fn every_row_uses_the_latest_published_values(case in case_strategy()) {
        let report = run(&input(&case.walcl, &case.tga, &case.rrp), &case.target, case.close);
        for row in &report.observations {
            let t = case.close.known_at(row.date);
            prop_assert_eq!(Some(row.reference_dates.walcl), latest_published(&case.walcl, WALCL_RELEASE, t));
            prop_assert_eq!(Some(row.reference_dates.tga), latest_published(&case.tga, TGA_RELEASE, t));
            prop_assert_eq!(Some(row.reference_dates.rrp), latest_published(&case.rrp, RRP_RELEASE, t));
            prop_assert!(WALCL_RELEASE.known_at(row.reference_dates.walcl) <= t);
            prop_assert_eq!(Some(row.walcl), case.walcl.get(row.reference_dates.walcl));
        }
        // Rows are exactly the targets where all three had been published.
        let expected = case.target.iter().filter(|x| {
            let t = case.close.known_at(**x);
            [(&case.walcl, WALCL_RELEASE), (&case.tga, TGA_RELEASE), (&case.rrp, RRP_RELEASE)]
                .iter()
                .all(|(s, r)| latest_published(s, *r, t).is_some())
        }).count();
        prop_assert_eq!(report.observations.len(), expected);
    }

    /// Changing any value published after a bar's close never changes that
    /// bar's row, nor any earlier row (levels, changes, regime, shares).
    #[test]
    fn values_published_after_the_close_never_change_the_row(case in case_strategy()) {
        let t = case.close.known_at(case.cutoff);
        let walcl = bump_after(&case.walcl, WALCL_RELEASE, t, case.bump);
        let tga = bump_after(&case.tga, TGA_RELEASE, t, -case.bump);
        let rrp = bump_after(&case.rrp, RRP_RELEASE, t, case.bump / 7.0);
        let before = run(&input(&case.walcl, &case.tga, &case.rrp), &case.target, case.close);
        let after = run(&input(&walcl, &tga, &rrp), &case.target, case.close);
        let upto = |r: &LiquidityReport| r.observations.iter().filter(|x| x.date <= case.cutoff).cloned().collect::<Vec<_>>();
        prop_assert_eq!(upto(&before), upto(&after));
    }
}

/// FRED's wide liquidity table: WALCL and WTREGEN in USD millions,
/// RRPONTSYD in USD billions.
fn fred() -> (Series, Series, Series) {
    let file = "fred_liquidity_wide.csv";
    (fred_column(file, "WALCL"), fred_column(file, "WTREGEN"), fred_column(file, "RRPONTSYD"))
}

#[test]
fn real_fred_data_on_nyse_sessions() {
    let (walcl, tga, rrp) = fred();
    let target = nyse_sessions(d("2020-01-01"), d("2026-08-21"));
    let report = run(&input(&walcl, &tga, &rrp), &target, nyse());
    let rows = &report.observations;
    assert_eq!(rows.len(), target.len(), "every session since 2020 has all three published");
    let row = |s: &str| rows.iter().find(|r| r.date == d(s)).unwrap();

    // By hand, from the rows of fred_liquidity_wide.csv:
    //   2026-01-14 (Wed): WALCL 6,581,700  WTREGEN 779,175
    //   2026-01-07 (Wed): WALCL 6,573,602  WTREGEN 796,148
    //   2026-01-15 (Thu): RRPONTSYD 2.003 bn;  2026-01-16 (Fri): 1.222 bn
    // Friday 2026-01-16 (Wednesday's H.4.1 out since Thursday 16:30 ET):
    //   6,581,700 - 779,175 - 1,222 = 5,801,303
    // Thursday 2026-01-15 (16:00 close, before the release: the week before):
    //   6,573,602 - 796,148 - 2,003 = 5,775,451
    let friday = row("2026-01-16");
    assert!((friday.net_liquidity - 5_801_303.0).abs() < 1e-6, "{friday:?}");
    assert_eq!(
        friday.reference_dates,
        ReferenceDates { walcl: d("2026-01-14"), tga: d("2026-01-14"), rrp: d("2026-01-16") }
    );
    let thursday = row("2026-01-15");
    assert!((thursday.net_liquidity - 5_775_451.0).abs() < 1e-6, "{thursday:?}");
    assert_eq!(thursday.reference_dates.walcl, d("2026-01-07"));

    // Around January 2026 every row has its 13-week regime.
    for r in rows.iter().filter(|r| r.date >= d("2025-12-01") && r.date <= d("2026-02-27")) {
        assert!(r.regime.is_some() && r.change_13w.is_some() && r.change_26w.is_some(), "{r:?}");
        assert_eq!(r.regime == Some(Regime::Expanding), r.change_13w.unwrap() > 0.0);
    }
    // January 2026 sits near zero: the 13-week change flips sign (-5,089 mn on
    // Jan 9, +18,544 mn on Jan 16), which is what a dead band is for.
    assert_eq!(row("2026-01-09").regime, Some(Regime::Contracting));
    assert_eq!(row("2026-01-16").regime, Some(Regime::Expanding));
    assert_eq!(row("2026-08-21").regime, Some(Regime::Contracting));
    // Spring 2020: QE more than doubled the 13-week change of the Fed's assets
    // alone; net liquidity was expanding by trillions of dollars.
    let qe = row("2020-06-05");
    assert_eq!(qe.regime, Some(Regime::Expanding));
    assert!(qe.change_13w.unwrap() > 1_000_000.0, "{qe:?}");

    for r in rows
        .iter()
        .filter(|r| r.date.month() == 1 && r.date.year() == 2026 && r.date.weekday() == riskcurve_core::Weekday::Fri)
    {
        print_row(r);
    }
    println!("last rows:");
    for r in &rows[rows.len() - 5..] {
        print_row(r);
    }
}

fn print_row(r: &LiquidityRow) {
    let opt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:+.0}"));
    let shares =
        r.share_13w.map_or("-".to_string(), |s| format!("fed {:.2} tga {:.2} rrp {:.2}", s.walcl, s.tga, s.rrp));
    println!(
        "{} net {:.0} (walcl {:.0} tga {:.0} rrp {:.0}) 4w {} 13w {} 26w {} {:?} [{}]",
        r.date,
        r.net_liquidity,
        r.walcl,
        r.tga,
        r.rrp,
        opt(r.change_4w),
        opt(r.change_13w),
        opt(r.change_26w),
        r.regime,
        shares
    );
}

/// Issue 10 item 1, hand-made: Thanksgiving 2025 is Thursday 27 November, so
/// the H.4.1 for Wednesday 26 November comes out Friday 28 November 16:30 New
/// York, after Friday's NYSE close (13:00, a half day) and after the crypto bar
/// of Thursday 27 closes (Friday 00:00 UTC). The old fixed "Thursday 16:30"
/// rule used it on both.
#[test]
fn h41_delayed_by_thursday_holiday_is_not_used_before_friday_release() {
    let walcl = series(&[("2025-11-19", 6_000.0), ("2025-11-26", 6_100.0)]);
    let tga = series(&[("2025-11-19", 800.0), ("2025-11-26", 700.0)]);
    let rrp = series(&[("2025-11-20", 1.0)]);
    let i = input(&walcl, &tga, &rrp);
    let nyse_rows = run(&i, &[d("2025-11-28"), d("2025-12-01")], nyse()).observations;
    let walcl_dates: Vec<Date> = nyse_rows.iter().map(|r| r.reference_dates.walcl).collect();
    assert_eq!(walcl_dates, [d("2025-11-19"), d("2025-11-26")]);
    assert_eq!(nyse_rows[0].reference_dates.tga, d("2025-11-19"));
    let crypto_rows = run(&i, &every_day(d("2025-11-27"), d("2025-11-29")), crypto()).observations;
    let walcl_dates: Vec<Date> = crypto_rows.iter().map(|r| r.reference_dates.walcl).collect();
    // Thursday's bar closes before the release; Friday's (Saturday 00:00 UTC) after it.
    assert_eq!(walcl_dates, [d("2025-11-19"), d("2025-11-26"), d("2025-11-26")]);
}

/// The rows whose WALCL or TGA reference date differs when the H.4.1 rule is
/// `rule` instead of the old fixed "Thursday 16:30".
fn h41_changed_rows(rule: ReleaseRule, target: &[Date], close: Release) -> Vec<Date> {
    let (walcl, tga, rrp) = fred();
    let old = Release { rule: ReleaseRule::Fixed, ..WALCL_RELEASE };
    let mut fixed = input(&walcl, &tga, &rrp);
    fixed.walcl.release = old;
    fixed.tga.release = old;
    let mut moved = input(&walcl, &tga, &rrp);
    moved.walcl.release = Release { rule, ..WALCL_RELEASE };
    moved.tga.release = Release { rule, ..WALCL_RELEASE };
    let (a, b) = (run(&fixed, target, close).observations, run(&moved, target, close).observations);
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(&b)
        .filter(|(x, y)| {
            (x.reference_dates.walcl, x.reference_dates.tga) != (y.reference_dates.walcl, y.reference_dates.tga)
        })
        .map(|(x, _)| x.date)
        .collect()
}

/// Issue 10 item 1 on the real data (FRED wide table, 2002-12-18 .. 2026-08):
/// the old fixed rule used the H.4.1 before it was public on 38 NYSE rows and
/// 38 crypto rows (federal holidays alone, as the issue counted), and on 44
/// NYSE and 56 crypto rows once the Board's own exceptions (closures that were
/// not holidays, e.g. Friday 26 December 2025, release Monday 29 December) are
/// applied. Expected numbers and dates from
/// `tests/reference/liquidity_release_days.py` (pandas 3.1.1,
/// USFederalHolidayCalendar, pandas_market_calendars 5.5.0):
///   federal vs fixed: nyse 38, crypto 38; h41 vs fixed: nyse 44, crypto 56.
#[test]
fn h41_fixed_thursday_rule_used_walcl_before_release_on_real_data() {
    let (from, to) = (d("2002-12-18"), d("2026-08-28"));
    let sessions = nyse_sessions(from, to);
    let days = every_day(from, to);
    let nyse_federal = h41_changed_rows(ReleaseRule::Federal, &sessions, nyse());
    let crypto_federal = h41_changed_rows(ReleaseRule::Federal, &days, crypto());
    assert_eq!((nyse_federal.len(), crypto_federal.len()), (38, 38));
    let nyse_h41 = h41_changed_rows(ReleaseRule::H41, &sessions, nyse());
    let crypto_h41 = h41_changed_rows(ReleaseRule::H41, &days, crypto());
    assert_eq!((nyse_h41.len(), crypto_h41.len()), (44, 56));
    // First and last of each list, and the NYSE rows the exceptions add.
    assert_eq!((nyse_federal[0], nyse_federal[37]), (d("2003-11-28"), d("2026-01-02")));
    assert_eq!((crypto_federal[0], crypto_federal[37]), (d("2003-11-27"), d("2026-01-01")));
    let added: Vec<Date> = nyse_h41.iter().copied().filter(|x| !nyse_federal.contains(x)).collect();
    assert_eq!(
        added,
        ["2008-12-29", "2009-12-28", "2014-12-29", "2020-12-28", "2025-01-10", "2025-12-29"].map(d).to_vec()
    );
    for x in ["2024-07-05", "2025-06-20", "2025-11-28", "2025-12-26", "2021-11-12"] {
        assert!(nyse_h41.contains(&d(x)), "{x}");
    }
}

/// Issue 10 item 2 on the real data: on an NYSE half day the bar closes at
/// 13:00, before the 13:15 RRP release, so the row holds the previous business
/// day's RRP. From `tests/reference/liquidity_release_days.py`:
///   2024-12-24: RRP of 2024-12-23, 116.004 bn; 2025-07-03: of 2025-07-02,
///   237.307 bn; 2025-11-28: of 2025-11-26, 2.217 bn; from 2013-09-23 (the
///   daily series) 28 half days change their RRP against a 16:00 close.
#[test]
fn nyse_half_day_row_does_not_use_the_1315_rrp() {
    let (walcl, tga, rrp) = fred();
    let i = input(&walcl, &tga, &rrp);
    let target = nyse_sessions(d("2002-12-18"), d("2026-08-28"));
    let rows = run(&i, &target, nyse()).observations;
    let row = |s: &str| rows.iter().find(|r| r.date == d(s)).unwrap();
    for (day, used, mn) in [
        ("2024-12-24", "2024-12-23", 116_004.0),
        ("2025-07-03", "2025-07-02", 237_307.0),
        ("2025-11-28", "2025-11-26", 2_217.0),
    ] {
        assert_eq!(row(day).reference_dates.rrp, d(used), "{day}");
        assert!((row(day).rrp - mn).abs() < 1e-6, "{day}: {}", row(day).rrp);
    }
    let full_day = Release { rule: ReleaseRule::Fixed, ..nyse() };
    let old = run(&i, &target, full_day).observations;
    let changed: Vec<Date> = rows
        .iter()
        .zip(&old)
        .filter(|(a, b)| a.date >= RRP_DAILY_FROM && a.reference_dates.rrp != b.reference_dates.rrp)
        .map(|(a, _)| a.date)
        .collect();
    assert_eq!(changed.len(), 28, "{changed:?}");
    assert_eq!((changed[0], changed[27]), (d("2013-11-29"), d("2025-12-24")));
    assert!(changed.iter().all(|x| riskcurve_core::nyse_close_time(*x) == Some((13, 0))));
    // A regular session still sees its own 13:15 RRP.
    assert_eq!(row("2025-12-01").reference_dates.rrp, d("2025-12-01"));
    assert_eq!(Tz::NewYork.to_utc(d("2025-11-28"), 13, 0), nyse().known_at(d("2025-11-28")));
}

/// Issue 10 item 3 on the real data: before daily operations began
/// (2013-09-23) a business day without an RRP operation counts as 0. The old
/// join carried the $25 bn of 2008-12-16 through 2009 and the $5 bn of
/// 2013-08-20 to 2013-09-20. From `tests/reference/liquidity_release_days.py`:
///   2008-12-16: 25.0 bn; 2008-12-17, 2009-06-15, 2013-09-20: 0.
#[test]
fn rrp_before_daily_operations_is_zero_not_last_operation_carried_forward() {
    assert_eq!(RRP_DAILY_FROM, d("2013-09-23"));
    let (walcl, tga, rrp) = fred();
    let i = input(&walcl, &tga, &rrp);
    let target = nyse_sessions(d("2008-12-01"), d("2013-10-31"));
    let rows = run(&i, &target, nyse()).observations;
    let row = |s: &str| rows.iter().find(|r| r.date == d(s)).unwrap();
    assert_eq!((row("2008-12-16").rrp, row("2008-12-16").reference_dates.rrp), (25_000.0, d("2008-12-16")));
    for day in ["2008-12-17", "2009-06-15", "2013-09-20"] {
        assert_eq!((row(day).rrp, row(day).reference_dates.rrp), (0.0, d(day)), "{day}");
    }
    // A scattered operation still shows on its own day.
    assert_eq!((row("2009-12-04").rrp, row("2009-12-04").reference_dates.rrp), (180.0, d("2009-12-04")));
    // From the dense series on, the value is the day's own.
    assert!((row("2013-09-23").rrp - 11_809.0).abs() < 1e-6);
    // Every 2009 row except the three operation days has no RRP.
    let rows_2009: Vec<&LiquidityRow> = rows.iter().filter(|r| r.date.year() == 2009).collect();
    assert_eq!(rows_2009.iter().filter(|r| r.rrp != 0.0).count(), 3);
    // The crypto Saturday after a Friday operation keeps it (overnight over the weekend).
    let sat = run(&i, &[d("2009-12-12")], crypto()).observations;
    assert_eq!((sat[0].rrp, sat[0].reference_dates.rrp), (225.0, d("2009-12-11")));
}

/// Issue 10 item 23: with RRPONTSYD from its single-series file (first value
/// 2014-01-02), the 13-week change is first computable on 2014-04-03 (91 days
/// later) and the regime is then expanding. Reading `regime: None` as "not
/// expanding" made 2014-04-03 an `liquidity:expanding` onset; `regime_onsets`
/// leaves rows without a regime out, so the first known regime is no onset.
#[test]
fn first_computable_regime_row_is_not_an_onset() {
    let file = "fred_liquidity_wide.csv";
    let (walcl, tga) = (fred_column(file, "WALCL"), fred_column(file, "WTREGEN"));
    let rrp = data_files::closes("rrpontsyd_daily_fred.csv");
    assert_eq!(rrp.first_date(), Some(d("2014-01-02")));
    let target = nyse_sessions(d("2014-01-02"), d("2014-12-31"));
    let rows = run(&input(&walcl, &tga, &rrp), &target, nyse()).observations;
    let first_known = rows.iter().find(|r| r.regime.is_some()).unwrap();
    assert_eq!((first_known.date, first_known.regime), (d("2014-04-03"), Some(Regime::Expanding)));
    let (onsets, eligible) = regime_onsets(&rows, Regime::Expanding);
    assert!(!onsets.contains(&d("2014-04-03")), "{onsets:?}");
    assert_eq!(eligible.first(), Some(&d("2014-04-03")));
    assert_eq!(eligible.len(), rows.iter().filter(|r| r.regime.is_some()).count());
    // Every onset follows a known row of the other regime.
    for o in &onsets {
        let i = rows.iter().position(|r| r.date == *o).unwrap();
        assert_eq!(rows[i - 1].regime, Some(Regime::Contracting), "{o}");
    }
    // Hand-made: None, None, E, C, C, E -> one onset of E (the last), one of C.
    let mut hand = rows[..6].to_vec();
    use Regime::{Contracting as C, Expanding as E};
    for (r, g) in hand.iter_mut().zip([None, None, Some(E), Some(C), Some(C), Some(E)]) {
        r.regime = g;
    }
    assert_eq!(regime_onsets(&hand, E).0, vec![hand[5].date]);
    assert_eq!(regime_onsets(&hand, C).0, vec![hand[3].date]);
    assert_eq!(regime_onsets(&hand, E).1.len(), 4);
}
