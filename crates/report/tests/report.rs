//! The report end to end: its data on the real shared data (key numbers and
//! determinism), and the rendered page in headless Chromium (no console
//! errors, every chart present with data, a screenshot kept under
//! `target/report-artifacts/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use riskcurve_app::import::{import, ImportRequest, Job};
use riskcurve_app::report::{report_data, Part, ReportData, ReportRequest};
use riskcurve_app::{App, Catalog, NoProgress};
use riskcurve_core::Date;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn app(db: PathBuf, today: &str) -> App {
    App { db, catalog: Catalog::load(None).unwrap(), today: d(today), now: format!("{today}T12:00:00Z") }
}

/// A database holding the whole of ../shared/data, as `import --manifest` loads it.
fn shared_data(dir: &Path) -> App {
    let app = app(dir.join("shared.db"), "2026-08-25");
    let req = ImportRequest { manifest: Some(repo().join("datasets/shared-data.toml")), ..ImportRequest::default() };
    import(&app, &req, &NoProgress).expect("the shared data imports");
    app
}

fn data<'a, T>(part: &'a Part<T>, what: &str) -> &'a T {
    match part {
        Part::Data(d) => d,
        Part::NoData(why) => panic!("{what}: no data: {why}"),
    }
}

#[test]
fn report_data_on_the_shared_data_has_the_known_numbers_and_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let app = shared_data(dir.path());
    let req = ReportRequest { offline: true, ..ReportRequest::default() };
    let r = report_data(&app, &req, &NoProgress).unwrap();

    // Breakouts of the Russell 2000 (min-days 365, close basis), as `breakouts` lists them.
    let price = data(&r.price, "price");
    let dates: Vec<Date> = price.events.iter().map(|e| e.date).collect();
    for want in ["2016-11-14", "2020-11-13", "2025-09-18"] {
        assert!(dates.contains(&d(want)), "{want} in {dates:?}");
    }
    let last = price.events.last().unwrap();
    assert_eq!((last.date, last.failed, last.failed_date), (d("2025-09-18"), true, Some(d("2025-09-24"))));
    assert_eq!((price.status.all_time_high, price.status.all_time_high_date), (3068.42, d("2026-08-14")));
    assert_eq!(*price.all_time_high.values.last().unwrap(), 3068.42, "the running high ends at the all-time high");
    assert!(price.btc.data().is_some_and(|b| !b.is_empty()));

    // Forward paths: every target, a band, the 2016 event entered the next day.
    let fwd = data(&r.forward, "forward paths");
    assert_eq!(fwd.events.len(), price.events.len());
    assert_eq!(fwd.events.last().unwrap().outcome.as_deref(), Some("failed 2025-09-24"));
    for t in &fwd.targets {
        let paths = data(&t.paths, &t.target);
        let band = paths.band.as_ref().unwrap_or_else(|| panic!("{}: no band", t.target));
        assert_eq!(band.days.len(), 366);
        // 2,000 random dates, or every date when the pool is smaller (ETH: 1,924).
        assert_eq!(band.dates_drawn, band.pool.min(2_000), "{}", t.target);
        assert!(band.pool > 1_500, "{}: {}", t.target, band.pool);
        assert!((0..366).all(|k| band.low[k] <= band.median[k] && band.median[k] <= band.high[k]));
        assert!(paths.events.iter().all(|e| e.multiples[0] == 1.0 && e.days[0] == 0));
    }
    let btc = data(&fwd.targets[0].paths, "btc");
    let e2016 = btc.events.iter().find(|e| e.event == d("2016-11-14")).unwrap();
    assert_eq!(e2016.entry_date, d("2016-11-15"));
    assert!(e2016.complete && *e2016.days.last().unwrap() == 365);
    assert!(!btc.events.last().unwrap().complete, "BTC data ends 2026-06-15, before 2025-09-19 + 365 days");
    let study = data(&fwd.study, "event study");
    let h365 = study.targets[0].horizons.iter().find(|h| h.days == 365).unwrap();
    assert!(h365.per_event.iter().any(|o| o.date == d("2016-11-14") && o.complete));

    // Liquidity: the identity holds on every row, and the last row is status's.
    let liq = data(&r.liquidity, "liquidity");
    assert_eq!(liq.unit, "USD millions");
    for i in 0..liq.dates.len() {
        let net = liq.walcl[i] - liq.tga[i] - liq.rrp[i];
        assert!((liq.net_liquidity[i] - net).abs() < 1e-6 * net.abs().max(1.0), "{}", liq.dates[i]);
    }
    let now = r.status.liquidity.as_ref().unwrap();
    assert_eq!((*liq.dates.last().unwrap(), *liq.net_liquidity.last().unwrap()), (now.as_of, now.net_liquidity));

    // Four halving cycles, three over.
    let cycles = data(&r.cycles, "cycles");
    let halvings: Vec<String> = cycles.paths.iter().map(|p| p.halving.to_string()).collect();
    assert_eq!(halvings, ["2012-11-28", "2016-07-09", "2020-05-11", "2024-04-20"]);
    assert_eq!(cycles.paths.iter().map(|p| p.complete).collect::<Vec<_>>(), [true, true, true, false]);
    assert_eq!(cycles.summary.cycles.len(), 4);

    // Altseason: thresholds and the coins behind each value.
    let alt = data(&r.altseason, "altseason");
    assert_eq!((alt.bitcoin_season_at, alt.altseason_at), (25.0, 75.0));
    assert!(alt.report.observations.len() > 1000 && alt.report.observations.iter().all(|o| o.n_coins >= 5));
    let current = alt.report.current.as_ref().unwrap();
    let now = r.status.altseason.as_ref().unwrap();
    assert_eq!(current.date, d("2026-01-09"), "the last day enough alts have closes");
    assert_eq!(
        (current.date, current.index, current.n_coins),
        (now.as_of, now.index, now.n_coins),
        "the chart ends where status is"
    );

    // Rotation: four pairs with tails of 8 weeks ending now.
    let rot = data(&r.rotation, "rotation");
    assert_eq!(rot.tails.len(), 4);
    assert!(rot.tails.iter().all(|t| t.points.len() == 8 && t.points.last().unwrap().date == rot.as_of));
    assert_eq!(rot.stages.dates.last(), Some(&rot.as_of));

    // Lead-lag: 25 lags with their bands, a rolling correlation.
    let ll = data(&r.leadlag, "lead-lag");
    assert_eq!((ll.ccf.len(), ll.ccf_bands.bands.len()), (25, 25));
    assert!(ll.rolling_correlation.observations.iter().any(|p| p.r.is_some()));

    // The backtest: BTC bought after each breakout BTC has prices for, the
    // day after, at the raw file's close plus 5 bp slippage (2016-11-15:
    // 711.6190185546875 in btc_usd_daily_yahoo.csv), sold 180 days later.
    let bt = data(&r.backtest, "backtest");
    let signals: Vec<Date> = bt.result.trades.iter().map(|t| t.signal_date).collect();
    let btc_era: Vec<Date> = dates.iter().copied().filter(|e| *e >= d("2010-08-20")).collect();
    assert_eq!(signals, btc_era);
    assert!(bt.result.trades.iter().all(|t| t.entry_date > t.signal_date && t.exit_date > t.entry_date));
    let t2016 = bt.result.trades.iter().find(|t| t.signal_date == d("2016-11-14")).unwrap();
    assert_eq!((t2016.entry_date, t2016.exit_date), (d("2016-11-15"), d("2017-05-14")));
    assert!((t2016.entry_price - 711.6190185546875 * 1.0005).abs() < 1e-9, "{}", t2016.entry_price);
    let want = (1808.9100341796875 * 0.9995 * 0.999) / (711.6190185546875 * 1.0005 * 1.001) - 1.0;
    assert!((t2016.net_return - want).abs() < 1e-12, "{} vs {want}", t2016.net_return);
    // The thinned curves end on the last bar: their ends are the totals.
    let (eq, bh) = (bt.result.equity.last().unwrap(), bt.result.buy_and_hold_equity.last().unwrap());
    assert!((eq.1 - 1.0 - bt.result.metrics.total_return).abs() < 1e-9 * eq.1);
    assert!((bh.1 - 1.0 - bt.result.buy_and_hold.total_return).abs() < 1e-9 * bh.1);

    // Claims counted once, as `status` counts them.
    let claims = data(&r.claims, "claims");
    let counts = r.status.claims.as_ref().unwrap();
    assert_eq!(counts.supported + counts.contradicted + counts.inconclusive + counts.no_data, claims.claims.len());

    // Provenance: every stored series with its sources.
    let prov = data(&r.provenance, "provenance");
    let rut = prov.series.iter().find(|s| s.id == "rut").unwrap();
    assert_eq!((rut.first, rut.last), (Some(d("1987-09-10")), Some(d("2026-08-21"))));
    assert!(rut.sources.len() >= 2);
    assert!(prov.series.len() > 200);

    // Same database, same request: same data, same page.
    let again = report_data(&app, &req, &NoProgress).unwrap();
    assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(&again).unwrap());
    let html = riskcurve_report::render(&r).unwrap();
    assert_eq!(html, riskcurve_report::render(&again).unwrap());
    self_contained(&html);
}

#[test]
fn a_database_with_only_the_russell_2000_gets_no_data_boxes_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path().join("rut.db"), "2026-08-25");
    let file = repo().join("../shared/data/rut_daily_yahoo.csv");
    let job = Job { file: file.display().to_string(), series: Some("rut".into()), ..Job::default() };
    import(&app, &ImportRequest { file: Some(file), job, ..ImportRequest::default() }, &NoProgress).unwrap();
    let r = report_data(&app, &ReportRequest { offline: true, ..ReportRequest::default() }, &NoProgress).unwrap();
    assert!(r.price.data().is_some(), "the breakout chart needs only rut");
    assert!(matches!(r.liquidity, Part::NoData(ref why) if why.contains("walcl")));
    assert!(matches!(r.cycles, Part::NoData(ref why) if why.contains("btc")));
    let fwd = data(&r.forward, "forward paths");
    assert!(fwd.targets.iter().all(|t| matches!(t.paths, Part::NoData(_))));
    let html = riskcurve_report::render(&r).unwrap();
    assert!(html.contains("<figure class=\"chart\" data-chart=\"rut\""));
    assert!(matches!(r.backtest, Part::NoData(ref why) if why.contains("btc")));
    for id in ["forward-btc", "liquidity", "cycles", "altseason", "rotation", "ccf", "backtest", "drawdown"] {
        assert!(html.contains(&format!("<div class=\"nodata\" data-chart=\"{id}\">")), "{id}");
    }
}

/// Nothing in the page is fetched: no external scripts, styles, fonts or images.
fn self_contained(html: &str) {
    for needle in ["<script src", "<link", "@import", "url(", "<img", "<iframe"] {
        assert!(!html.contains(needle), "the page must not load anything: found {needle:?}");
    }
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for needle in ["src=\"http", "href=\"http", "href=\"//"] {
        assert!(!without_ns.contains(needle), "external reference {needle:?}");
    }
}

/// The chart ids the page says it draws.
fn expected(html: &str) -> Vec<String> {
    let start = html.find("data-expected=\"").unwrap() + "data-expected=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].split(',').map(String::from).collect()
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"));
    let dir = target.join("report-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The value of an attribute of `<body>` in a dumped DOM.
fn body_attr(dom: &str, name: &str) -> Option<String> {
    let body = &dom[dom.find("<body")?..];
    let body = &body[..body.find('>')?];
    let key = format!("{name}=\"");
    let start = body.find(&key)? + key.len();
    Some(body[start..start + body[start..].find('"')?].to_string())
}

fn headless(browser: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

#[test]
fn the_page_renders_in_headless_chromium_with_every_chart() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is not installed: CI must install Debian's `chromium` (apt-get install -y chromium)");
        }
        eprintln!("note: chromium not found on PATH: the browser test is skipped (apt-get install chromium)");
        return;
    };
    // A fresh database seeded offline from the embedded snapshot, as on a fresh clone.
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path().join("fresh.db"), "2026-11-30");
    let data: ReportData =
        report_data(&app, &ReportRequest { offline: true, ..ReportRequest::default() }, &NoProgress).unwrap();
    assert_eq!(data.status.data.origin, riskcurve_app::status::DataOrigin::Snapshot);
    let html = riskcurve_report::render(&data).unwrap();
    self_contained(&html);
    let out = artifacts();
    let page = out.join("report.html");
    std::fs::write(&page, &html).unwrap();

    // The same width as the screenshot, so the height it reports is the page's there.
    let dump = headless(&browser, &["--dump-dom", "--window-size=1280,1000"], &page);
    let dom = String::from_utf8_lossy(&dump.stdout);
    let log = String::from_utf8_lossy(&dump.stderr);
    assert_eq!(body_attr(&dom, "data-checked").as_deref(), Some("yes"), "the page's script did not run:\n{log}");
    assert_eq!(body_attr(&dom, "data-js-errors").as_deref(), Some(""), "script errors");
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert_eq!(body_attr(&dom, "data-charts-missing").as_deref(), Some(""), "charts missing");
    let ok: Vec<String> = body_attr(&dom, "data-charts-ok").unwrap().split(',').map(String::from).collect();
    assert_eq!(ok, expected(&html));
    assert!(ok.len() >= 12, "{ok:?}");
    // A mouse move over the middle of each chart shows its tooltip (scatter
    // charts only near a point: the rotation graph's middle may be empty).
    let hovered = body_attr(&dom, "data-hover-ok").unwrap();
    let hovered: Vec<&str> = hovered.split(',').collect();
    for id in ok.iter().filter(|id| *id != "rotation" && !id.starts_with("forward-") && *id != "cycles") {
        assert!(hovered.contains(&id.as_str()), "no tooltip on {id}: {hovered:?}");
    }

    let shot = out.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let height = body_attr(&dom, "data-height").and_then(|h| h.parse::<u32>().ok()).unwrap_or(12_000).min(30_000);
    let run = headless(
        &browser,
        &[&format!("--screenshot={}", shot.display()), &format!("--window-size=1280,{height}")],
        &page,
    );
    assert!(shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&run.stderr));
    eprintln!("screenshot: {} (1280 x {height})", shot.display());
}
