//! Integration tests of the store through its public API, on real files.

mod common {
    pub mod dump;
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use riskcurve_store::{SeriesMeta, Store, StoreError, WriteBatch, WriteOutcome, SCHEMA_VERSION};
use rusqlite::Connection;

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn meta(id: &str) -> SeriesMeta {
    SeriesMeta {
        id: SeriesId::new(id).unwrap(),
        name: format!("series {id}"),
        asset_class: "crypto".into(),
        calendar: Calendar::Crypto,
        unit: Unit::Usd,
        flags: vec!["test".into()],
    }
}

fn ohlc(date: Date, close: f64) -> Bar {
    Bar { date, open: Some(close - 0.5), high: Some(close + 1.0), low: Some(close - 1.0), close, volume: Some(1e6) }
}

/// Daily bars from `first` to `last` inclusive, closes from `value(day)`.
fn daily(first: &str, last: &str, value: impl Fn(i32) -> f64) -> Vec<Bar> {
    (date(first).days()..=date(last).days()).map(|d| ohlc(Date::from_days(d), value(d))).collect()
}

fn batch<'a>(id: &'a SeriesId, source: &'a str, priority: i32, bars: &'a [Bar]) -> WriteBatch<'a> {
    WriteBatch {
        series: id,
        source,
        priority,
        origin: "tests/store.rs",
        fetched_at: "2026-01-01T00:00:00Z",
        checksum: "sha256:test",
        bars,
    }
}

/// A new store in a temporary directory, with series `ids` declared.
fn new_store(ids: &[&str]) -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/riskcurve.db");
    let mut store = Store::open(&path).unwrap();
    for id in ids {
        store.upsert_series(&meta(id)).unwrap();
    }
    (dir, path, store)
}

/// The dump of the database at `path`, read through a separate connection.
fn dump(path: &Path) -> String {
    common::dump::dump(&Connection::open(path).unwrap())
}

fn count(path: &Path, table: &str) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn round_trip_survives_reopening() {
    let (_dir, path, mut store) = new_store(&["btc"]);
    let id = SeriesId::new("btc").unwrap();
    let mut bars = daily("2024-01-01", "2024-03-31", |d| d as f64 * 1.5);
    bars[10] = Bar::value(bars[10].date, 42.0); // missing open/high/low/volume
    store.write(&batch(&id, "yahoo", 3, &bars)).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.series_meta(&id).unwrap(), Some(meta("btc")));
    let got = store.bars(&id, None, None).unwrap();
    assert_eq!(got.iter().map(|s| s.bar).collect::<Vec<_>>(), bars);
    assert!(got.iter().all(|s| s.source == "yahoo"));
    assert_eq!(store.bars_from_source(&id, "yahoo").unwrap(), bars);
    assert_eq!(store.last_date(&id, None).unwrap(), Some(date("2024-03-31")));
    let ro = Store::open_read_only(&path).unwrap();
    assert_eq!(ro.bars(&id, Some(date("2024-02-01")), Some(date("2024-02-29"))).unwrap().len(), 29);
}

#[test]
fn merged_view_serves_each_date_from_the_highest_priority_source() {
    let (_dir, _path, mut store) = new_store(&["btc"]);
    let id = SeriesId::new("btc").unwrap();
    let a = daily("2010-01-01", "2014-12-31", |_| 1.0);
    let b = daily("2014-01-01", "2020-12-31", |_| 2.0);
    store.write(&batch(&id, "b", 2, &b)).unwrap();
    store.write(&batch(&id, "a", 1, &a)).unwrap();

    let merged = store.bars(&id, None, None).unwrap();
    let days = date("2020-12-31").days() - date("2010-01-01").days() + 1;
    assert_eq!(merged.len(), days as usize);
    assert!(merged.windows(2).all(|w| w[0].bar.date < w[1].bar.date));
    for s in &merged {
        let want = if s.bar.date < date("2014-01-01") { ("a", 1.0) } else { ("b", 2.0) };
        assert_eq!((s.source.as_str(), s.bar.close), want, "on {}", s.bar.date);
    }
    let overlap = store.bars(&id, Some(date("2014-06-01")), Some(date("2014-06-03"))).unwrap();
    assert_eq!(overlap.iter().map(|s| s.source.as_str()).collect::<Vec<_>>(), ["b", "b", "b"]);

    let list = store.list().unwrap();
    assert_eq!(list[0].rows, days as u64);
    assert_eq!((list[0].first, list[0].last), (Some(date("2010-01-01")), Some(date("2020-12-31"))));
    assert_eq!(list[0].sources.iter().map(|s| s.source.as_str()).collect::<Vec<_>>(), ["b", "a"]);
}

#[test]
fn writing_the_same_batch_twice_changes_nothing() {
    let (_dir, path, mut store) = new_store(&["rut"]);
    let id = SeriesId::new("rut").unwrap();
    let bars = daily("2020-01-01", "2020-12-31", |d| (d % 17) as f64);
    let first = store.write(&batch(&id, "yahoo", 1, &bars)).unwrap();
    assert_eq!(first, WriteOutcome { inserted: 366, updated: 0, unchanged: 0 });
    let before = dump(&path);

    let second = store.write(&batch(&id, "yahoo", 1, &bars)).unwrap();
    assert_eq!(second, WriteOutcome { inserted: 0, updated: 0, unchanged: 366 });
    assert_eq!(dump(&path), before);
    assert_eq!(count(&path, "observations"), 366);
    assert_eq!(store.provenance(&id).unwrap().len(), 1);

    let mut changed = bars.clone();
    changed[100].close += 0.25;
    let third = store.write(&batch(&id, "yahoo", 1, &changed)).unwrap();
    assert_eq!(third, WriteOutcome { inserted: 0, updated: 1, unchanged: 365 });
    let prov = store.provenance(&id).unwrap();
    assert_eq!((prov.len(), prov[1].rows, prov[1].inserted, prov[1].updated), (2, 366, 0, 1));
    assert_eq!(store.bars_from_source(&id, "yahoo").unwrap(), changed);
}

#[test]
fn a_failed_write_leaves_the_database_exactly_as_before() {
    let (_dir, path, mut store) = new_store(&["btc"]);
    let id = SeriesId::new("btc").unwrap();
    store.write(&batch(&id, "a", 1, &daily("2021-01-01", "2021-01-31", |_| 1.0))).unwrap();
    let before = dump(&path);

    let unknown = SeriesId::new("nope").unwrap();
    let err = store.write(&batch(&unknown, "a", 1, &daily("2021-01-01", "2021-01-02", |_| 1.0))).unwrap_err();
    assert!(matches!(err, StoreError::UnknownSeries(_)));
    assert_eq!(err.to_string(), "unknown series nope: store its metadata with upsert_series first");

    // The bad bar comes last, after bars that would insert and update.
    let mut bars = daily("2021-01-15", "2021-02-28", |_| 2.0);
    bars.last_mut().unwrap().close = f64::NAN;
    let err = store.write(&batch(&id, "a", 9, &bars)).unwrap_err();
    assert_eq!(err.to_string(), "series btc from source a: bar on 2021-02-28 has a non-finite value");
    assert_eq!(dump(&path), before);
}

#[test]
fn migrates_a_new_file_and_reopens_without_migrating_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c.db");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version(), SCHEMA_VERSION);
    store.upsert_series(&meta("spx")).unwrap();
    drop(store);
    let before = dump(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version(), SCHEMA_VERSION);
    assert_eq!(store.list().unwrap().len(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    assert_eq!(dump(&path), before);
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let (_dir, path, store) = new_store(&["spx"]);
    drop(store);
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
    let before = dump(&path);
    for result in [Store::open(&path), Store::open_read_only(&path)] {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 5));
        let msg = err.to_string();
        assert!(msg.contains(&format!("schema version {}", SCHEMA_VERSION + 5)), "{msg}");
        assert!(msg.contains("upgrade riskcurve"), "{msg}");
    }
    assert_eq!(dump(&path), before);
}

#[test]
fn readers_are_not_blocked_by_an_open_write_transaction() {
    let (_dir, path, mut store) = new_store(&["btc"]);
    let id = SeriesId::new("btc").unwrap();
    let bars = daily("2022-01-01", "2022-12-31", |_| 1.0);
    store.write(&batch(&id, "a", 1, &bars)).unwrap();

    // Another connection holds the write lock with uncommitted changes.
    let writer = Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE; DELETE FROM observations;").unwrap();

    let start = Instant::now();
    let reader = Store::open(&path).unwrap();
    assert_eq!(reader.bars(&id, None, None).unwrap().len(), 365);
    let ro = Store::open_read_only(&path).unwrap();
    assert_eq!(ro.list().unwrap()[0].rows, 365);
    assert!(start.elapsed() < Duration::from_secs(2), "readers waited {:?}", start.elapsed());

    writer.execute_batch("COMMIT").unwrap();
    assert!(reader.bars(&id, None, None).unwrap().is_empty());
}

// ---- crash safety -------------------------------------------------------

/// Set in the re-invoked test binary: the database the child writes to.
const CRASH_DB_ENV: &str = "RISKCURVE_STORE_CRASH_DB";
/// Which kill round the child belongs to; makes its values unique.
const CRASH_ROUND_ENV: &str = "RISKCURVE_STORE_CRASH_ROUND";
const CRASH_SERIES: u64 = 30;
const CRASH_ROWS: i32 = 2000;

/// Not a test on its own: when re-invoked by `killed_writers_leave_whole_batches`
/// it writes batches until killed. Every batch rewrites all `CRASH_ROWS` rows
/// of one series with a new generation number as the value.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CRASH_DB_ENV) else { return };
    let round: u64 = std::env::var(CRASH_ROUND_ENV).unwrap().parse().unwrap();
    let mut store = Store::open(Path::new(&path)).unwrap();
    let ids: Vec<SeriesId> = (0..CRASH_SERIES).map(|k| SeriesId::new(&format!("s{k}")).unwrap()).collect();
    for id in &ids {
        store.upsert_series(&meta(id.as_str())).unwrap();
    }
    // Stop on our own if the parent never kills us (it died, or is slow).
    let deadline = Instant::now() + Duration::from_secs(30);
    for i in 0u64.. {
        if Instant::now() > deadline {
            break;
        }
        let generation = round * 1_000_000 + i;
        let bars: Vec<Bar> = (0..CRASH_ROWS).map(|d| ohlc(Date::from_days(10_000 + d), generation as f64)).collect();
        let checksum = format!("gen {generation}");
        let id = &ids[(generation % CRASH_SERIES) as usize];
        let b = WriteBatch { checksum: &checksum, ..batch(id, "a", 1, &bars) };
        store.write(&b).unwrap();
    }
}

#[test]
fn killed_writers_leave_whole_batches() {
    if std::env::var(CRASH_DB_ENV).is_ok() {
        return; // we are the child
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    drop(Store::open(&path).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut nonempty = 0;
    for (round, delay_ms) in [180u64, 410, 290, 730, 555].into_iter().enumerate() {
        let mut child = Command::new(&exe)
            .args(["crash_child_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(CRASH_DB_ENV, &path)
            .env(CRASH_ROUND_ENV, (round + 1).to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL on unix: no destructors, no rollback
        let output = child.wait_with_output().unwrap();
        assert!(still_running, "child exited before the kill: {}", String::from_utf8_lossy(&output.stderr));

        let store = Store::open(&path).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        for k in 0..CRASH_SERIES {
            let id = SeriesId::new(&format!("s{k}")).unwrap();
            if store.series_meta(&id).unwrap().is_none() {
                continue; // killed before declaring this series
            }
            let bars = store.bars_from_source(&id, "a").unwrap();
            assert!(bars.is_empty() || bars.len() == CRASH_ROWS as usize, "{id}: {} rows", bars.len());
            let Some(first) = bars.first() else { continue };
            nonempty += 1;
            assert!(bars.iter().all(|b| b.close == first.close), "{id} mixes two batches");
            let last = store.provenance(&id).unwrap().pop().expect("data without provenance");
            assert_eq!(last.checksum, format!("gen {}", first.close), "{id}: provenance out of step");
        }
    }
    println!("{nonempty} series found written over 5 kills");
    assert!(nonempty > 0, "the child never committed a batch");
}

// ---- property: the merged view equals a naive reference ----------------

const SOURCES: [&str; 3] = ["alpha", "beta", "gamma"];

fn prop_bar(day: i32, v: u8) -> Bar {
    // Small values so rewrites are often identical; odd values drop fields.
    let opt = |x: f64| v.is_multiple_of(2).then_some(x);
    Bar {
        date: Date::from_days(day),
        open: opt(f64::from(v) - 0.5),
        high: opt(f64::from(v) + 1.0),
        low: None,
        close: f64::from(v),
        volume: opt(1000.0),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn merged_view_matches_a_naive_reference(
        writes in prop::collection::vec(
            (0..SOURCES.len(), -1i32..3, prop::collection::btree_map(0i32..40, 0u8..4, 0..20)),
            1..8,
        ),
        from in prop::option::of(0i32..40),
        len in 0i32..45,
    ) {
        let mut store = Store::open_in_memory().unwrap();
        store.upsert_series(&meta("x")).unwrap();
        let id = SeriesId::new("x").unwrap();

        let mut priority: BTreeMap<&str, i32> = BTreeMap::new();
        let mut stored: BTreeMap<(&str, i32), Bar> = BTreeMap::new();
        let mut changing_writes = 0;
        for (s, p, days) in &writes {
            let source = SOURCES[*s];
            let bars: Vec<Bar> = days.iter().map(|(&d, &v)| prop_bar(d, v)).collect();
            let outcome = store.write(&batch(&id, source, *p, &bars)).unwrap();
            let mut want = WriteOutcome::default();
            for b in &bars {
                match stored.insert((source, b.date.days()), *b) {
                    None => want.inserted += 1,
                    Some(old) if old != *b => want.updated += 1,
                    Some(_) => want.unchanged += 1,
                }
            }
            priority.insert(source, *p);
            prop_assert_eq!(outcome, want);
            changing_writes += usize::from(!want.is_noop());
        }

        // Reference: each source spans its first to its last day; per day,
        // the largest priority, then the smallest name, among the sources
        // spanning it serves its bar, or nothing when it has none that day.
        let span = |source: &str| {
            let days: Vec<i32> = stored.keys().filter(|(s, _)| *s == source).map(|(_, d)| *d).collect();
            (days.iter().min().copied(), days.iter().max().copied())
        };
        let mut best: BTreeMap<i32, (&str, Bar)> = BTreeMap::new();
        for day in 0..40 {
            let serving = priority
                .keys()
                .filter(|s| matches!(span(s), (Some(lo), Some(hi)) if lo <= day && day <= hi))
                .max_by_key(|s| (priority[*s], std::cmp::Reverse(**s)));
            if let Some(bar) = serving.and_then(|s| stored.get(&(*s, day)).map(|b| (*s, *b))) {
                best.insert(day, bar);
            }
        }
        let to = from.map(|f| f + len);
        let want: Vec<(Bar, String)> = best
            .iter()
            .filter(|(&d, _)| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
            .map(|(_, (s, b))| (*b, s.to_string()))
            .collect();
        let got: Vec<(Bar, String)> = store
            .bars(&id, from.map(Date::from_days), to.map(Date::from_days))
            .unwrap()
            .into_iter()
            .map(|s| (s.bar, s.source))
            .collect();
        prop_assert_eq!(got, want);

        let summary = &store.list().unwrap()[0];
        prop_assert_eq!(summary.rows, best.len() as u64);
        prop_assert_eq!(summary.last, best.keys().next_back().map(|&d| Date::from_days(d)));
        prop_assert_eq!(store.last_date(&id, None).unwrap(), summary.last);
        prop_assert_eq!(store.provenance(&id).unwrap().len(), changing_writes);
    }
}

// ---- speed (run with --release --ignored --nocapture) -------------------

#[test]
#[ignore = "timing: run in release with --ignored --nocapture"]
fn bulk_write_and_read_speed() {
    let (_dir, _path, mut store) = new_store(&[]);
    let series = 120;
    let start = Instant::now();
    let mut rows = 0;
    for k in 0..series {
        let id = SeriesId::new(&format!("bulk{k}")).unwrap();
        store.upsert_series(&meta(id.as_str())).unwrap();
        let bars = daily("2020-01-01", "2025-09-30", |d| f64::from(d % 1000) + 0.25);
        rows += bars.len();
        store.write(&batch(&id, "src", 1, &bars)).unwrap();
    }
    println!("wrote {rows} rows in {series} series in {:?}", start.elapsed());

    let start = Instant::now();
    for k in 0..series {
        let id = SeriesId::new(&format!("bulk{k}")).unwrap();
        let bars = daily("2020-01-01", "2025-09-30", |d| f64::from(d % 1000) + 0.25);
        let o = store.write(&batch(&id, "src", 1, &bars)).unwrap();
        assert!(o.is_noop());
    }
    println!("re-wrote {rows} identical rows in {:?}", start.elapsed());

    let id = SeriesId::new("btc").unwrap();
    store.upsert_series(&meta("btc")).unwrap();
    for (i, source) in ["a", "b", "c", "d"].into_iter().enumerate() {
        let bars = daily("2004-01-01", "2025-12-31", f64::from);
        store.write(&batch(&id, source, i as i32, &bars)).unwrap();
    }
    let start = Instant::now();
    let merged = store.bars(&id, None, None).unwrap();
    println!("merged {} dates from 4 sources in {:?}", merged.len(), start.elapsed());
    let start = Instant::now();
    let list = store.list().unwrap();
    println!("listed {} series in {:?}", list.len(), start.elapsed());
}
