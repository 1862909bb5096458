//! Reading series out of the store for the signal commands: plain ids,
//! `a/b` ratios, and the crypto universe; each read once per database state
//! and shared by every analysis of a request.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use riskcurve_core::{Bar, BarSeries, Series, SeriesId};
use riskcurve_signals::ratio::{as_bars, ratio};
use riskcurve_store::Store;

use crate::{bad, bad_input, Result};

/// The merged bars of a stored series; bad input when it is not stored.
///
/// Read once per database state (see [`Loaded`]); [`preload`] reads many in
/// one statement.
pub fn bars(store: &Store, id: &str) -> Result<BarSeries> {
    let sid = parse_id(id)?;
    let key = key(store)?;
    if let Some(bars) = lookup(&key, |l| l.bars.get(sid.as_str()).cloned()) {
        return Ok(bars);
    }
    require_stored(store, &sid)?;
    let bars: Vec<Bar> = store.bars(&sid, None, None)?.into_iter().map(|sb| sb.bar).collect();
    if bars.is_empty() {
        return no_observations(&sid);
    }
    let bars = BarSeries::new(bars)?;
    remember(&key, |l| l.bars.insert(sid.to_string(), bars.clone()));
    Ok(bars)
}

fn parse_id(id: &str) -> Result<SeriesId> {
    id.parse().map_err(|e| bad_input(format!("--series {id}: {e}")))
}

fn require_stored(store: &Store, id: &SeriesId) -> Result<()> {
    if store.series_meta(id)?.is_none() {
        return bad(format!("series {id} is not in the database (see `riskcurve series list`)"));
    }
    Ok(())
}

fn no_observations<T>(id: &SeriesId) -> Result<T> {
    bad(format!("series {id} has no observations"))
}

/// The closes of one stored series: from its bars when they are read, else
/// from the cached closes (one blob, not every source's rows).
fn series_closes(store: &Store, id: &str) -> Result<Series> {
    let sid = parse_id(id)?;
    let key = key(store)?;
    let found =
        lookup(&key, |l| l.bars.get(sid.as_str()).map(|b| b.closes()).or_else(|| l.closes.get(sid.as_str()).cloned()));
    if let Some(closes) = found {
        return Ok(closes);
    }
    require_stored(store, &sid)?;
    let closes = store.closes_of(std::slice::from_ref(&sid), None, None)?.remove(0);
    if closes.is_empty() {
        return no_observations(&sid);
    }
    remember(&key, |l| l.closes.insert(sid.to_string(), closes.clone()));
    Ok(closes)
}

/// Reads the stored series behind `specs` (ids or `a/b` ratios) that are
/// not read yet in one statement, for the [`bars`] calls that follow. Specs
/// that are not stored series (`alts`, typos) are left to those calls to
/// report. Does nothing on an in-memory store (nothing is cached there).
pub fn preload<S: AsRef<str>>(store: &Store, specs: &[S]) -> Result<()> {
    let key = key(store)?;
    if key.is_none() {
        return Ok(());
    }
    let mut ids: Vec<SeriesId> = Vec::new();
    for id in specs.iter().flat_map(|s| s.as_ref().split('/')) {
        let Ok(sid) = id.parse::<SeriesId>() else { continue };
        if !ids.contains(&sid)
            && lookup(&key, |l| l.bars.contains_key(sid.as_str()).then_some(())).is_none()
            && store.series_meta(&sid)?.is_some()
        {
            ids.push(sid);
        }
    }
    let read = store.bars_of(&ids, None, None)?;
    remember(&key, |l| {
        for (id, bars) in ids.iter().zip(read) {
            // An empty or invalid series is not cached: `bars` says why.
            if let Ok(bars) = BarSeries::new(bars.into_iter().map(|sb| sb.bar).collect()) {
                if !bars.bars().is_empty() {
                    l.bars.insert(id.to_string(), bars);
                }
            }
        }
    });
    Ok(())
}

/// Closes of a series, or of the ratio `a/b` on their common dates.
pub fn closes(store: &Store, spec: &str) -> Result<Series> {
    match spec.split_once('/') {
        Some((a, b)) => {
            let r = ratio(&series_closes(store, a)?, &series_closes(store, b)?);
            if r.is_empty() {
                return bad(format!("{spec}: {a} and {b} have no date in common"));
            }
            Ok(r)
        }
        None => series_closes(store, spec),
    }
}

/// Bars of a series, or of a ratio (close-only bars).
pub fn bars_or_ratio(store: &Store, spec: &str) -> Result<BarSeries> {
    if spec.contains('/') {
        Ok(as_bars(&closes(store, spec)?))
    } else {
        bars(store, spec)
    }
}

/// Every stored crypto series but `btc`, by id.
///
/// Read once per database state, in one statement (about 200 series on the
/// snapshot database): status, the report and claims ask for the alt
/// universe several times.
pub fn crypto_alts(store: &Store) -> Result<BTreeMap<String, Series>> {
    derived(store, "crypto alts", || {
        let ids: Vec<SeriesId> = store.series_ids("crypto")?.into_iter().filter(|id| id.as_str() != "btc").collect();
        Ok(ids.iter().map(|id| id.to_string()).zip(store.closes_of(&ids, None, None)?).collect())
    })
}

/// A value derived from stored data that several analyses of one request
/// use (the alt basket), computed once per database state under `name`,
/// which must say everything the value depends on besides the data.
pub fn derived<T: Clone + Send + Sync + 'static>(
    store: &Store,
    name: &str,
    compute: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let key = key(store)?;
    let found = lookup(&key, |l| l.derived.get(name).and_then(|v| v.downcast_ref::<T>()).cloned());
    if let Some(v) = found {
        return Ok(v);
    }
    let v = compute()?;
    remember(&key, |l| l.derived.insert(name.to_string(), Arc::new(v.clone())));
    Ok(v)
}

/// What has been read of one database state: merged bars by id, closes by
/// id (read without the bars), derived values (the alt universe, the
/// basket) by name. A process keeps one state: the key (database file and
/// [`Store::data_version`]: newest write, newest universe import, changes to
/// series metadata and sources) changes with every write that changes what
/// is read, and a new key empties it. So a request (and the requests of a
/// dashboard between two imports) reads each series once.
#[derive(Default)]
struct Loaded {
    bars: HashMap<String, BarSeries>,
    closes: HashMap<String, Series>,
    derived: HashMap<String, Arc<dyn Any + Send + Sync>>,
}

type Key = (PathBuf, (i64, i64, i64));

static CACHE: Mutex<Option<(Key, Loaded)>> = Mutex::new(None);

/// The state `store` is in; `None` for an in-memory store, which has no path
/// to key on and is never cached.
fn key(store: &Store) -> Result<Option<Key>> {
    match store.path() {
        Some(path) => Ok(Some((path.to_path_buf(), store.data_version()?))),
        None => Ok(None),
    }
}

/// Looks `get` up in the cache of state `key`. The lock is never held while
/// reading the store: a computation may itself load.
fn lookup<T>(key: &Option<Key>, get: impl FnOnce(&Loaded) -> Option<T>) -> Option<T> {
    let key = key.as_ref()?;
    let cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.as_ref().filter(|(k, _)| k == key).and_then(|(_, loaded)| get(loaded))
}

/// Records what `put` adds under state `key`, dropping an older state.
fn remember<T>(key: &Option<Key>, put: impl FnOnce(&mut Loaded) -> T) {
    let Some(key) = key else { return };
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if cache.as_ref().is_none_or(|(k, _)| k != key) {
        *cache = Some((key.clone(), Loaded::default()));
    }
    put(&mut cache.as_mut().expect("just set").1);
}

/// The bars up to `to` (an as-of cut); bad input when nothing is left.
pub fn cut_bars(bars: &BarSeries, to: riskcurve_core::Date, spec: &str) -> Result<BarSeries> {
    let kept: Vec<Bar> = bars.bars().iter().filter(|b| b.date <= to).copied().collect();
    if kept.is_empty() {
        return bad(format!("{spec}: no data on or before {to}"));
    }
    Ok(BarSeries::new(kept)?)
}

#[cfg(test)]
mod tests {
    use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
    use riskcurve_store::{SeriesMeta, Store, WriteBatch};

    use super::{bars, closes, crypto_alts, preload};

    fn meta(id: &str, asset_class: &str) -> SeriesMeta {
        SeriesMeta {
            id: id.parse().unwrap(),
            name: id.into(),
            asset_class: asset_class.into(),
            calendar: Calendar::Crypto,
            unit: Unit::Usd,
            flags: vec![],
        }
    }

    fn write(store: &mut Store, id: &str, close: f64) {
        write_from(store, id, ("test", 50), close);
    }

    /// One bar on 2024-01-01 from `source` at `priority`.
    fn write_from(store: &mut Store, id: &str, (source, priority): (&str, i32), close: f64) {
        let sid: SeriesId = id.parse().unwrap();
        store.upsert_series(&meta(id, "crypto")).unwrap();
        let bars = [Bar::value(Date::from_ymd(2024, 1, 1).unwrap(), close)];
        let batch = WriteBatch {
            series: &sid,
            source,
            priority,
            origin: "hand-made",
            fetched_at: "2026-11-30T00:00:00Z",
            checksum: "-",
            bars: &bars,
        };
        store.write(&batch).unwrap();
    }

    /// The alt universe is cached per database state: a write in between is
    /// seen, a read without one is served from the cache (same result).
    #[test]
    fn cached_alt_universe_follows_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.db")).unwrap();
        write(&mut store, "aaa", 1.0);
        assert_eq!(crypto_alts(&store).unwrap().keys().collect::<Vec<_>>(), ["aaa"]);
        write(&mut store, "bbb", 2.0);
        assert_eq!(crypto_alts(&store).unwrap().keys().collect::<Vec<_>>(), ["aaa", "bbb"]);
        write(&mut store, "aaa", 3.0);
        let alts = crypto_alts(&store).unwrap();
        assert_eq!(alts["aaa"].values(), [3.0]);
        assert_eq!(crypto_alts(&store).unwrap(), alts);
    }

    /// A change that adds no provenance row is seen too: series metadata
    /// (an alt reclassified) and a source's priority alone (which re-splices
    /// the series). Both were served from the cache of the state before.
    #[test]
    fn cached_reads_follow_metadata_and_priority_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db")).unwrap();
        write(&mut store, "aaa", 1.0);
        write_from(&mut store, "bbb", ("first", 50), 2.0);
        write_from(&mut store, "bbb", ("second", 10), 3.0);
        assert_eq!(crypto_alts(&store).unwrap().keys().collect::<Vec<_>>(), ["aaa", "bbb"]);
        assert_eq!(closes(&store, "bbb").unwrap().values(), [2.0]);
        store.upsert_series(&meta("aaa", "equity")).unwrap();
        assert_eq!(crypto_alts(&store).unwrap().keys().collect::<Vec<_>>(), ["bbb"]);
        // The same bar again from "second", now ranked above "first".
        write_from(&mut store, "bbb", ("second", 90), 3.0);
        assert_eq!(closes(&store, "bbb").unwrap().values(), [3.0]);
        assert_eq!(bars(&store, "bbb").unwrap().closes().values(), [3.0]);
    }

    /// Bars read in bulk by `preload` are those `bars` reads alone; a write
    /// in between is seen; specs that are no stored series are left to
    /// `bars` to report.
    #[test]
    fn preloaded_bars_follow_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("p.db")).unwrap();
        write(&mut store, "aaa", 1.0);
        write(&mut store, "bbb", 2.0);
        preload(&store, &["aaa/bbb", "alts", "zzz", "not an id"]).unwrap();
        assert_eq!(bars(&store, "bbb").unwrap().closes().values(), [2.0]);
        write(&mut store, "aaa", 3.0);
        assert_eq!(bars(&store, "aaa").unwrap().closes().values(), [3.0]);
        assert!(bars(&store, "zzz").unwrap_err().to_string().contains("not in the database"));
    }
}
