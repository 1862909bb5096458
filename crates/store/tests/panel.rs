//! The bulk readers ([`Store::bars_of`], [`Store::closes_of`]) and the
//! per-series merged view ([`Store::bars`]) against a naive splice of each
//! source's stored rows, on real data: the embedded snapshot (every series
//! the binary seeds) with real files from ../shared/data written over it at
//! higher priorities, so several series merge two or three sources. (All
//! three readers share `merge_rows`; the reference here does not.)

mod common {
    pub mod real;
}

use common::real::write_file;
use riskcurve_core::{Bar, Date, SeriesId};
use riskcurve_ingest::format::Format;
use riskcurve_store::{Snapshot, Store};

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshot/riskcurve-snapshot.bin");

fn seeded_store() -> (Store, Vec<SeriesId>) {
    let snap = Snapshot::decode(&std::fs::read(SNAPSHOT).unwrap()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.seed_from_snapshot(&snap, "2026-11-30T00:00:00Z").unwrap();
    // Equal priorities tie on the source name ("ibkr" before "yahoo").
    write_file(&mut store, "rut", "rut_daily_yahoo.csv", Format::Yahoo, "yahoo", 90);
    write_file(&mut store, "rut", "rut_daily_heliar.csv", Format::Ibkr, "ibkr", 90);
    write_file(&mut store, "btc", "btc_usd_daily_yahoo.csv", Format::Yahoo, "yahoo", 100);
    write_file(&mut store, "eth", "eth_usd_daily_yahoo.csv", Format::Yahoo, "yahoo", 100);
    let ids = snap.series.iter().map(|s| s.meta.id.clone()).collect();
    (store, ids)
}

/// Every series' merged view by the README's rule, written out naively from
/// each source's own rows: a source spans its first to its last row; each
/// day goes to the spanning source with the largest priority (then the name
/// sorting first), and is a gap when that source has no row on it.
fn reference(store: &Store) -> std::collections::HashMap<SeriesId, Vec<(Bar, String)>> {
    let mut out = std::collections::HashMap::new();
    for summary in store.list().unwrap() {
        let rows: Vec<(&str, i32, Vec<Bar>)> = summary
            .sources
            .iter()
            .map(|s| (s.source.as_str(), s.priority, store.bars_from_source(&summary.id, &s.source).unwrap()))
            .collect();
        let mut days: Vec<Date> = rows.iter().flat_map(|(_, _, bars)| bars.iter().map(|b| b.date)).collect();
        days.sort();
        days.dedup();
        let merged = days
            .into_iter()
            .filter_map(|day| {
                let spanning = rows.iter().filter(|(_, _, bars)| {
                    bars.first().is_some_and(|b| b.date <= day) && bars.last().is_some_and(|b| day <= b.date)
                });
                let (source, _, bars) = spanning.max_by_key(|(s, p, _)| (*p, std::cmp::Reverse(*s)))?;
                bars.iter().find(|b| b.date == day).map(|b| (*b, source.to_string()))
            })
            .collect();
        out.insert(summary.id, merged);
    }
    out
}

fn within(rows: &[(Bar, String)], from: Option<Date>, to: Option<Date>) -> Vec<(Bar, String)> {
    rows.iter().filter(|(b, _)| from.is_none_or(|f| b.date >= f) && to.is_none_or(|t| b.date <= t)).cloned().collect()
}

#[test]
fn bulk_read_equals_the_merged_view_of_every_series() {
    let (store, ids) = seeded_store();
    let naive = reference(&store);
    assert!(ids.len() > 150, "{} series", ids.len());
    let windows = [(None, None), (Some("2020-03-01"), Some("2021-06-30")), (Some("2024-01-01"), None)];
    for (from, to) in windows {
        let (from, to) = (from.map(|d: &str| d.parse::<Date>().unwrap()), to.map(|d: &str| d.parse().unwrap()));
        let bulk = store.bars_of(&ids, from, to).unwrap();
        assert_eq!(bulk.len(), ids.len());
        for (id, got) in ids.iter().zip(&bulk) {
            assert_eq!(*got, store.bars(id, from, to).unwrap(), "series {id}, {from:?}..{to:?}");
            let got: Vec<(Bar, String)> = got.iter().map(|b| (b.bar, b.source.clone())).collect();
            assert_eq!(got, within(&naive[id], from, to), "series {id}, {from:?}..{to:?}: the naive splice");
        }
    }
    // The written files do interleave with the snapshot rows.
    let rut = store.bars_of(&[SeriesId::new("rut").unwrap()], None, None).unwrap().remove(0);
    let sources: std::collections::BTreeSet<&str> = rut.iter().map(|b| b.source.as_str()).collect();
    assert!(sources.len() >= 2, "{sources:?}");
}

/// The cached closes (rebuilt by each write above) are the closes of the
/// merged view, whole and in windows.
#[test]
fn cached_closes_are_the_closes_of_the_merged_view() {
    let (store, ids) = seeded_store();
    let naive = reference(&store);
    let windows = [(None, None), (Some("2020-03-01"), Some("2021-06-30")), (Some("2024-01-01"), None)];
    for (from, to) in windows {
        let (from, to) = (from.map(|d: &str| d.parse::<Date>().unwrap()), to.map(|d: &str| d.parse().unwrap()));
        let closes = store.closes_of(&ids, from, to).unwrap();
        for (id, got) in ids.iter().zip(&closes) {
            let want: Vec<(Date, f64)> =
                store.bars(id, from, to).unwrap().into_iter().map(|b| (b.bar.date, b.bar.close)).collect();
            assert_eq!(got.iter().collect::<Vec<_>>(), want, "series {id}, {from:?}..{to:?}");
            let naive: Vec<(Date, f64)> = within(&naive[id], from, to).iter().map(|(b, _)| (b.date, b.close)).collect();
            assert_eq!(want, naive, "series {id}, {from:?}..{to:?}: the naive splice");
        }
    }
    let unknown = SeriesId::new("no-such-series").unwrap();
    assert!(store.bars_of(&[ids[0].clone(), unknown.clone()], None, None).is_err());
    assert!(store.closes_of(&[ids[0].clone(), unknown], None, None).is_err());
    assert_eq!(store.bars_of(&[], None, None).unwrap(), Vec::<Vec<_>>::new());
}
