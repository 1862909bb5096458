//! Reading series out of the store for the signal commands: plain ids,
//! `a/b` ratios, and the crypto universe.

use std::collections::BTreeMap;

use riskcurve_core::{Bar, BarSeries, Series, SeriesId};
use riskcurve_signals::ratio::{as_bars, ratio};
use riskcurve_store::Store;

use crate::{bad, bad_input, Result};

/// The merged bars of a stored series; bad input when it is not stored.
pub fn bars(store: &Store, id: &str) -> Result<BarSeries> {
    let sid: SeriesId = id.parse().map_err(|e| bad_input(format!("--series {id}: {e}")))?;
    if store.series_meta(&sid)?.is_none() {
        return bad(format!("series {sid} is not in the database (see `riskcurve series list`)"));
    }
    let bars: Vec<Bar> = store.bars(&sid, None, None)?.into_iter().map(|sb| sb.bar).collect();
    if bars.is_empty() {
        return bad(format!("series {sid} has no observations"));
    }
    Ok(BarSeries::new(bars)?)
}

/// Closes of a series, or of the ratio `a/b` on their common dates.
pub fn closes(store: &Store, spec: &str) -> Result<Series> {
    match spec.split_once('/') {
        Some((a, b)) => {
            let r = ratio(&bars(store, a)?.closes(), &bars(store, b)?.closes());
            if r.is_empty() {
                return bad(format!("{spec}: {a} and {b} have no date in common"));
            }
            Ok(r)
        }
        None => Ok(bars(store, spec)?.closes()),
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

/// Every stored crypto series but `btc` and the market-cap companions, by id.
///
/// Read once per process and database state: status, the report and claims
/// ask for the alt universe several times (about 200 series), and the key
/// (database file, newest write, series count) changes with every write.
pub fn crypto_alts(store: &Store) -> Result<BTreeMap<String, Series>> {
    type Key = (Option<std::path::PathBuf>, (i64, i64));
    static CACHE: std::sync::Mutex<Option<(Key, BTreeMap<String, Series>)>> = std::sync::Mutex::new(None);
    let key: Key = (store.path().map(|p| p.to_path_buf()), store.data_version()?);
    // An in-memory store has no path to key on: never cached.
    let cacheable = key.0.is_some();
    if cacheable {
        if let Some((k, alts)) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if *k == key {
                return Ok(alts.clone());
            }
        }
    }
    let alts = read_crypto_alts(store)?;
    if cacheable {
        *CACHE.lock().unwrap_or_else(|p| p.into_inner()) = Some((key, alts.clone()));
    }
    Ok(alts)
}

fn read_crypto_alts(store: &Store) -> Result<BTreeMap<String, Series>> {
    let mut out = BTreeMap::new();
    for s in store.list()? {
        if s.asset_class == "crypto" && s.id.as_str() != "btc" {
            let bars: Vec<Bar> = store.bars(&s.id, None, None)?.into_iter().map(|sb| sb.bar).collect();
            out.insert(s.id.to_string(), BarSeries::new(bars)?.closes());
        }
    }
    Ok(out)
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

    use super::crypto_alts;

    fn write(store: &mut Store, id: &str, close: f64) {
        let sid: SeriesId = id.parse().unwrap();
        let meta = SeriesMeta {
            id: sid.clone(),
            name: id.into(),
            asset_class: "crypto".into(),
            calendar: Calendar::Crypto,
            unit: Unit::Usd,
            flags: vec![],
        };
        store.upsert_series(&meta).unwrap();
        let bars = [Bar::value(Date::from_ymd(2024, 1, 1).unwrap(), close)];
        let batch = WriteBatch {
            series: &sid,
            source: "test",
            priority: 50,
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
}
