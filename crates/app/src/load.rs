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
pub fn crypto_alts(store: &Store) -> Result<BTreeMap<String, Series>> {
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
