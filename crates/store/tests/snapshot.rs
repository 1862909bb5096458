//! The offline snapshot: lossless round trips of hand-made and real series,
//! seeding, and refusal of damaged blobs.

mod common {
    pub mod dump;
    pub mod real;
}

use std::io::{Read, Write};

use common::real::{parse, write_file};
use proptest::prelude::*;
use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use riskcurve_ingest::format::Format;
use riskcurve_store::{
    SeriesMeta, Snapshot, SnapshotSeries, SnapshotSpan, SnapshotUniverse, Store, StoreError, UniverseBatch,
    UniverseRow, WriteBatch, WriteOutcome, SNAPSHOT_PRIORITY, SNAPSHOT_SOURCE,
};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn meta(id: &str, calendar: Calendar, unit: Unit) -> SeriesMeta {
    SeriesMeta {
        id: SeriesId::new(id).unwrap(),
        name: format!("series {id}"),
        asset_class: "test".into(),
        calendar,
        unit,
        flags: vec!["core".into()],
    }
}

/// Every field as bits, so equality is exact (`-0.0 != 0.0`, NaN == NaN).
fn bits(bars: &[Bar]) -> Vec<(Date, [Option<u64>; 5])> {
    let b = |v: Option<f64>| v.map(f64::to_bits);
    bars.iter().map(|x| (x.date, [b(x.open), b(x.high), b(x.low), b(Some(x.close)), b(x.volume)])).collect()
}

fn assert_same(a: &Snapshot, b: &Snapshot) {
    assert_eq!((&a.built_at, &a.built_from), (&b.built_at, &b.built_from));
    assert_eq!(a.series.len(), b.series.len());
    for (x, y) in a.series.iter().zip(&b.series) {
        assert_eq!((&x.meta, &x.sources), (&y.meta, &y.sources));
        assert_eq!(bits(&x.bars), bits(&y.bars), "series {}", x.meta.id);
    }
    assert_eq!(a.universes, b.universes);
}

/// Hand-made series covering what real data throws at the codec.
fn hand_made() -> Snapshot {
    let d = |i: i32| date("2024-01-01").add_days(i);
    let full = |i: i32, close: f64, volume: Option<f64>| Bar {
        date: d(i),
        open: Some(close * 0.99),
        high: Some(close * 1.01),
        low: Some(close * 0.98),
        close,
        volume,
    };
    // Missing opens and volumes, float32 widened to f64, a huge volume.
    let rut = vec![
        full(0, f64::from(168.97f32), Some(179_800_000.0)),
        Bar { open: None, ..full(1, 170.54, None) },
        full(4, 2442.74, Some(9.9e15)),
        Bar { volume: Some(0.0), ..full(5, 2442.03, None) },
    ];
    // Rates at zero and below, and an awkward binary fraction.
    let dgs10: Vec<Bar> = [0.0, -0.0, -0.25, 4.125, 0.1 + 0.2, 1e-300]
        .iter()
        .enumerate()
        .map(|(i, &v)| Bar::value(d(i as i32 * 7), v))
        .collect();
    // SHIB-sized prices.
    let shib: Vec<Bar> = [0.00001234, 0.00000871, 0.00008616]
        .iter()
        .enumerate()
        .map(|(i, &v)| Bar { volume: Some(1.5e11), ..Bar::value(d(i as i32), v) })
        .collect();
    let span = |source: &str, bars: &[Bar]| SnapshotSpan {
        source: source.into(),
        first: bars[0].date,
        last: bars[bars.len() - 1].date,
        rows: bars.len(),
    };
    let series = |m: SeriesMeta, bars: Vec<Bar>| SnapshotSeries { meta: m, sources: vec![span("yahoo", &bars)], bars };
    let row = |rank: u32, symbol: &str, cap: Option<f64>| UniverseRow {
        date: date("2024-01-01"),
        rank,
        symbol: symbol.into(),
        name: format!("{symbol} coin ü"),
        market_cap: cap,
        price: cap.map(|c| c / 1e7),
    };
    Snapshot {
        built_at: "2026-11-30".into(),
        built_from: "hand-made".into(),
        series: vec![
            series(meta("rut", Calendar::Nyse, Unit::IndexPoints), rut),
            series(meta("dgs10", Calendar::Business, Unit::Percent), dgs10),
            series(meta("shib", Calendar::Crypto, Unit::Other("USD per token".into())), shib),
            series(meta("one", Calendar::Monthly, Unit::UsdMillions), vec![Bar::value(d(0), 21_000.5)]),
            SnapshotSeries { meta: meta("none", Calendar::Weekly, Unit::Usd), sources: vec![], bars: vec![] },
        ],
        universes: vec![
            SnapshotUniverse {
                source: "coinmarketcap".into(),
                rows: vec![row(1, "btc", Some(1.3e12)), row(2, "eth", None)],
            },
            SnapshotUniverse { source: "universe-json".into(), rows: vec![] },
        ],
    }
}

#[test]
fn hand_made_series_round_trip_exactly() {
    let snap = hand_made();
    let bytes = snap.encode();
    assert_eq!(&bytes[..6], b"RCSNAP");
    assert_eq!(bytes, snap.encode(), "encoding is deterministic");
    assert_same(&Snapshot::decode(&bytes).unwrap(), &snap);
    assert_eq!(snap.as_of(&SeriesId::new("rut").unwrap()), Some(date("2024-01-06")));
    assert_eq!(snap.as_of(&SeriesId::new("none").unwrap()), None);
    assert_eq!(snap.as_of(&SeriesId::new("absent").unwrap()), None);
}

// ---- real data -------------------------------------------------------------

fn write_universe_file(store: &mut Store, file: &str, fmt: Format, source: &str) {
    let rows: Vec<UniverseRow> = parse(file, fmt)
        .universe
        .into_iter()
        .map(|u| UniverseRow {
            date: u.date,
            rank: u.rank,
            symbol: u.symbol,
            name: u.name.unwrap_or_default(),
            market_cap: u.market_cap,
            price: u.price,
        })
        .collect();
    let batch = UniverseBatch { source, origin: file, fetched_at: "2026-11-30T00:00:00Z", checksum: "c", rows: &rows };
    store.write_universe(&batch).unwrap();
}

const UNIVERSES: [&str; 2] = ["coinmarketcap", "universe-json"];

/// The real files in a store: RUT from two sources (the heliar file at a
/// higher priority, so the merged view has several runs), BTC, two FRED
/// series and both universes.
fn real_store() -> (Store, Vec<SeriesId>) {
    let mut store = Store::open_in_memory().unwrap();
    let series = [
        ("rut", Calendar::Nyse, Unit::IndexPoints),
        ("btc", Calendar::Crypto, Unit::Usd),
        ("walcl", Calendar::Weekly, Unit::UsdMillions),
        ("rrpontsyd", Calendar::Business, Unit::UsdBillions),
    ];
    for (id, calendar, unit) in &series {
        store.upsert_series(&meta(id, *calendar, unit.clone())).unwrap();
    }
    write_file(&mut store, "rut", "rut_daily_yahoo.csv", Format::Yahoo, "yahoo", 90);
    write_file(&mut store, "rut", "rut_daily_heliar.csv", Format::Ibkr, "ibkr", 100);
    write_file(&mut store, "btc", "btc_usd_daily_yahoo.csv", Format::Yahoo, "yahoo", 100);
    write_file(&mut store, "walcl", "walcl_weekly_fred.csv", Format::Fred, "fred", 100);
    write_file(&mut store, "rrpontsyd", "rrpontsyd_daily_fred.csv", Format::Fred, "fred", 100);
    write_universe_file(&mut store, "crypto_top200_monthly_cmc.csv", Format::CmcSnapshots, UNIVERSES[0]);
    write_universe_file(&mut store, "crypto_universe_monthly.json", Format::UniverseJson, UNIVERSES[1]);
    let ids = series.iter().map(|(id, ..)| SeriesId::new(id).unwrap()).collect();
    (store, ids)
}

#[test]
fn real_series_round_trip_through_a_seeded_store() {
    let (store, ids) = real_store();
    let snap = store.export_snapshot(&ids, &UNIVERSES, "2026-11-30", "../shared/data (see SOURCES.md)").unwrap();
    let bytes = snap.encode();
    let decoded = Snapshot::decode(&bytes).unwrap();
    assert_same(&decoded, &snap);

    let rut = &snap.series[0];
    assert!(rut.sources.len() >= 2 && rut.sources[0].source == "yahoo", "{:?}", &rut.sources[..2]);
    assert_eq!(rut.sources.iter().map(|s| s.rows).sum::<usize>(), rut.bars.len());

    // Size of each part alone, and the bounds that keep the embedded blob small.
    let alone = |series: Vec<SnapshotSeries>, universes: Vec<SnapshotUniverse>| {
        Snapshot { built_at: String::new(), built_from: String::new(), series, universes }.encode().len()
    };
    let limits = [120_000, 90_000, 5_000, 12_000];
    for (s, limit) in snap.series.iter().zip(limits) {
        let size = alone(vec![s.clone()], vec![]);
        println!("snapshot size: {} ({} bars): {size} bytes", s.meta.id, s.bars.len());
        assert!(size < limit, "{}: {size} bytes", s.meta.id);
    }
    for (u, limit) in snap.universes.iter().zip([250_000, 40_000]) {
        let size = alone(vec![], vec![u.clone()]);
        println!("snapshot size: universe {} ({} rows): {size} bytes", u.source, u.rows.len());
        assert!(size < limit, "{}: {size} bytes", u.source);
    }
    println!("snapshot size: all: {} bytes", bytes.len());
    assert!(bytes.len() < 600_000);

    let mut seeded = Store::open_in_memory().unwrap();
    assert!(seeded.is_empty().unwrap());
    let outcomes = seeded.seed_from_snapshot(&decoded, "2026-12-01T00:00:00Z").unwrap();
    assert!(!seeded.is_empty().unwrap());
    for ((id, outcome), s) in outcomes.iter().zip(&snap.series) {
        assert_eq!(*outcome, WriteOutcome { inserted: s.bars.len() as u64, updated: 0, unchanged: 0 });
        let original: Vec<Bar> = store.bars(id, None, None).unwrap().into_iter().map(|b| b.bar).collect();
        let merged = seeded.bars(id, None, None).unwrap();
        assert!(merged.iter().all(|b| b.source == SNAPSHOT_SOURCE));
        let copy: Vec<Bar> = merged.into_iter().map(|b| b.bar).collect();
        assert_eq!(bits(&copy), bits(&original), "series {id}");
        assert_eq!(seeded.series_meta(id).unwrap(), store.series_meta(id).unwrap());
    }
    for source in UNIVERSES {
        let rows = seeded.universe_rows(source).unwrap();
        assert!(!rows.is_empty());
        assert_eq!(rows, store.universe_rows(source).unwrap(), "universe {source}");
        // The symbols-only read lists the same symbols, snapshot by snapshot.
        let symbols = seeded.universe_symbols(source).unwrap();
        assert_eq!(symbols.iter().map(|(_, s)| s.len()).sum::<usize>(), rows.len());
        let flat: Vec<(Date, &str)> =
            symbols.iter().flat_map(|(d, s)| s.iter().map(move |s| (*d, s.as_str()))).collect();
        assert_eq!(flat, rows.iter().map(|r| (r.date, r.symbol.as_str())).collect::<Vec<_>>(), "{source}");
        assert!(symbols.windows(2).all(|w| w[0].0 < w[1].0), "{source}: one entry per snapshot date");
    }
    let origin = &seeded.provenance(&ids[0]).unwrap()[0].origin;
    assert!(origin.starts_with("snapshot 2026-11-30: yahoo 1987-09-10.."), "{origin}");
    assert!(origin.contains("; ibkr 2016-06-28.."), "{origin}");
}

// ---- seeding -----------------------------------------------------------------

#[test]
fn seeding_twice_changes_nothing_and_live_sources_win() {
    let snap = hand_made();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rc.db");
    let dump = || common::dump::dump(&rusqlite::Connection::open(&path).unwrap());
    let mut store = Store::open(&path).unwrap();
    let first = store.seed_from_snapshot(&snap, "t1").unwrap();
    assert_eq!(first[0].1, WriteOutcome { inserted: 4, updated: 0, unchanged: 0 });
    let rut = SeriesId::new("rut").unwrap();
    let prov = store.provenance(&rut).unwrap();
    assert_eq!(prov.len(), 1);
    assert!(prov[0].checksum.starts_with("sha256:") && prov[0].checksum.len() == 7 + 64);
    assert_eq!(prov[0].origin, "snapshot 2026-11-30: yahoo 2024-01-01..2024-01-06 (4 rows)");
    let universe_prov = store.universe_provenance().unwrap();
    assert_eq!(universe_prov.len(), 1);
    assert!(universe_prov[0].origin.starts_with("snapshot 2026-11-30: coinmarketcap"), "{}", universe_prov[0].origin);

    let before = dump();
    let again = store.seed_from_snapshot(&snap, "t2").unwrap();
    assert_eq!(dump(), before);
    for ((_, outcome), s) in again.iter().zip(&snap.series) {
        assert_eq!(*outcome, WriteOutcome { inserted: 0, updated: 0, unchanged: s.bars.len() as u64 });
    }
    assert_eq!(store.provenance(&rut).unwrap(), prov);
    assert_eq!(store.universe_provenance().unwrap(), universe_prov);

    // A live source written afterwards outranks the snapshot over its span
    // (2024-01-02..10): the snapshot's 01-05 and 01-06 inside it are not
    // spliced in between two live bars (issue 10 item 10).
    let live = [Bar::value(date("2024-01-02"), 171.0), Bar::value(date("2024-01-10"), 172.0)];
    let batch = WriteBatch {
        series: &rut,
        source: "yahoo",
        priority: 100,
        origin: "live",
        fetched_at: "t3",
        checksum: "c",
        bars: &live,
    };
    store.write(&batch).unwrap();
    let merged: Vec<(String, String)> =
        store.bars(&rut, None, None).unwrap().into_iter().map(|b| (b.bar.date.to_string(), b.source)).collect();
    let want = [("2024-01-01", SNAPSHOT_SOURCE), ("2024-01-02", "yahoo"), ("2024-01-10", "yahoo")];
    assert_eq!(merged, want.map(|(d, s)| (d.to_string(), s.to_string())));
    let sources = &store.list().unwrap().into_iter().find(|s| s.id == rut).unwrap().sources;
    assert_eq!(
        sources.iter().map(|s| (s.source.as_str(), s.priority)).collect::<Vec<_>>(),
        [("yahoo", 100), ("snapshot", SNAPSHOT_PRIORITY)]
    );
}

#[test]
fn seeding_keeps_existing_metadata_and_fresher_universe_dates() {
    let snap = hand_made();
    let mut store = Store::open_in_memory().unwrap();
    let mine = SeriesMeta { name: "my Russell".into(), ..meta("rut", Calendar::Nyse, Unit::IndexPoints) };
    store.upsert_series(&mine).unwrap();
    let fresher = UniverseRow {
        date: date("2024-01-01"),
        rank: 1,
        symbol: "btc".into(),
        name: "Bitcoin".into(),
        market_cap: Some(2e12),
        price: None,
    };
    let batch = UniverseBatch {
        source: "coinmarketcap",
        origin: "live",
        fetched_at: "t",
        checksum: "c",
        rows: std::slice::from_ref(&fresher),
    };
    store.write_universe(&batch).unwrap();
    store.seed_from_snapshot(&snap, "t").unwrap();
    assert_eq!(store.series_meta(&mine.id).unwrap().unwrap(), mine);
    assert_eq!(store.universe_rows("coinmarketcap").unwrap(), [fresher]);
}

/// A seed used to write series by series: one refused part way (here shib,
/// the third, stored before at 1,000 times the snapshot's prices: a scale
/// mismatch) left rut and dgs10 seeded, and a database that no longer counts
/// as empty is never seeded again. Now nothing of it is written.
#[test]
fn a_seed_refused_part_way_leaves_the_store_as_it_was() {
    let snap = hand_made();
    let mut store = Store::open_in_memory().unwrap();
    let shib = meta("shib", Calendar::Crypto, Unit::Other("USD per token".into()));
    store.upsert_series(&shib).unwrap();
    let wrong = [Bar::value(date("2024-01-01"), 0.01234)];
    let batch = WriteBatch {
        series: &shib.id,
        source: "live",
        priority: 100,
        origin: "o",
        fetched_at: "t",
        checksum: "c",
        bars: &wrong,
    };
    store.write(&batch).unwrap();
    let err = store.seed_from_snapshot(&snap, "t").unwrap_err();
    assert!(matches!(err, StoreError::ScaleMismatch { .. }), "{err}");
    let rut = SeriesId::new("rut").unwrap();
    assert_eq!(store.series_meta(&rut).unwrap(), None, "rut was seeded before shib was refused");
    assert!(store.universe_rows("coinmarketcap").unwrap().is_empty());
    assert_eq!(store.bars(&shib.id, None, None).unwrap().len(), 1);
}

// ---- damaged input -------------------------------------------------------------

/// A blob with a valid header around any payload bytes, to reach the payload
/// parser behind the zlib checksum.
fn wrap(payload: &[u8]) -> Vec<u8> {
    let mut out = b"RCSNAP\x02".to_vec();
    let mut n = payload.len() as u64;
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    let mut z = flate2::write::ZlibEncoder::new(out, flate2::Compression::fast());
    z.write_all(payload).unwrap();
    z.finish().unwrap()
}

/// The uncompressed payload of a valid blob.
fn payload(bytes: &[u8]) -> Vec<u8> {
    let length_bytes = bytes[7..].iter().position(|b| b & 0x80 == 0).unwrap() + 1;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&bytes[7 + length_bytes..]).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn bad_magic_version_and_truncation_are_named() {
    let err = |b: &[u8]| match Snapshot::decode(b) {
        Err(e @ StoreError::InvalidSnapshot(_)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(err(b"PK\x03\x04"), "invalid snapshot: it does not start with RCSNAP");
    assert_eq!(err(b"RCSNAP"), "invalid snapshot: truncated after the magic");
    assert_eq!(
        err(b"RCSNAP\x03"),
        "invalid snapshot: format version 3 is newer than this build reads: upgrade riskcurve"
    );
    assert_eq!(
        err(b"RCSNAP\x01"),
        "invalid snapshot: format version 1 is older than this build reads: rebuild the snapshot"
    );
    let bytes = hand_made().encode();
    assert!(err(&bytes[..bytes.len() - 3]).contains("corrupt"), "{}", err(&bytes[..bytes.len() - 3]));
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(err(&trailing), "invalid snapshot: unexpected bytes after the compressed payload");
    let p = payload(&bytes);
    let cut = err(&wrap(&p[..p.len() / 2]));
    assert!(cut.contains("truncated") || cut.contains("exceeds"), "{cut}");
    let mut extra = p.clone();
    extra.push(0);
    assert!(err(&wrap(&extra)).contains("unexpected bytes"));
    assert_same(&Snapshot::decode(&wrap(&p)).unwrap(), &hand_made());
}

#[test]
fn every_truncation_of_a_valid_snapshot_is_an_error() {
    let bytes = hand_made().encode();
    for n in 0..bytes.len() {
        assert!(Snapshot::decode(&bytes[..n]).is_err(), "cut at {n}");
    }
    let p = payload(&bytes);
    for n in 0..p.len() {
        assert!(Snapshot::decode(&wrap(&p[..n])).is_err(), "payload cut at {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn garbage_never_panics(garbage in prop::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(Snapshot::decode(&garbage).is_err());
        let mut magic = b"RCSNAP\x02".to_vec();
        magic.extend_from_slice(&garbage);
        prop_assert!(Snapshot::decode(&magic).is_err());
        let _ = Snapshot::decode(&wrap(&garbage)); // may even parse; must not panic
    }

    #[test]
    fn damaged_payloads_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let mut p = payload(&hand_made().encode());
        for (at, byte) in flips {
            let i = at.index(p.len());
            p[i] = byte;
        }
        let _ = Snapshot::decode(&wrap(&p));
    }
}
