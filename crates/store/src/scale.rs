//! The scale check: a batch against the stored values of the same series.
//!
//! A vendor that switches from millions to billions, a file imported under
//! the wrong series id, or a price quoted in cents all arrive as values a
//! large factor off the values already stored for the same dates or the
//! dates next to them. Real revisions and real moves between neighbouring
//! dates do not: the catalog's median range cannot see this on a short
//! batch, the neighbours can, whatever the batch's length.

use riskcurve_core::Date;

use crate::read::{merged, SourcedBar};
use crate::{StoreError, WriteBatch};

/// New values whose median ratio to their stored neighbours is beyond this
/// factor (either way) are refused: 20x is far beyond any revision or any
/// move between neighbouring dates in the catalog's series, and below the
/// 100x and 1000x of the usual unit mix-ups (cents, thousands, billions).
pub(crate) const MAX_FACTOR: f64 = 20.0;

/// A stored value counts as a neighbour of a batch date within this many
/// days (a monthly series still has one).
pub(crate) const NEIGHBOUR_DAYS: i32 = 35;

/// Refuses `batch` when its values are off the stored values of the same
/// series (merged view, any source) by more than [`MAX_FACTOR`].
///
/// Each batch value is paired with the stored value of the nearest date
/// (the same date where there is one) within [`NEIGHBOUR_DAYS`]; the median
/// of the log ratios decides, so one genuine jump does not. Series whose
/// stored neighbours are zero or negative (spreads, indices around zero)
/// have no scale to check, nor does a batch without neighbours.
pub(crate) fn check_scale(conn: &rusqlite::Connection, batch: &WriteBatch<'_>) -> Result<(), StoreError> {
    let dates = batch.bars.iter().map(|b| b.date.days());
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else { return Ok(()) };
    let around = |d: i32, by: i32| Date::from_days(d.saturating_add(by));
    let stored = merged(conn, batch.series, Some(around(first, -NEIGHBOUR_DAYS)), Some(around(last, NEIGHBOUR_DAYS)))?;
    if stored.is_empty() || stored.iter().any(|s| s.bar.close <= 0.0) {
        return Ok(());
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, b) in batch.bars.iter().enumerate() {
        if b.close <= 0.0 {
            continue;
        }
        if let Some(j) = nearest(&stored, b.date) {
            pairs.push(((b.close / stored[j].bar.close).ln(), i, j));
        }
    }
    if pairs.is_empty() {
        return Ok(());
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (log_ratio, i, j) = pairs[pairs.len() / 2];
    if log_ratio.abs() <= MAX_FACTOR.ln() {
        return Ok(());
    }
    let (new, old) = (&batch.bars[i], &stored[j]);
    Err(StoreError::ScaleMismatch {
        series: batch.series.clone(),
        source_name: batch.source.to_string(),
        factor: factor(log_ratio),
        date: new.date,
        value: new.close,
        stored_date: old.bar.date,
        stored: old.bar.close,
        stored_source: old.source.clone(),
    })
}

/// The index of the stored bar nearest to `date` within [`NEIGHBOUR_DAYS`]
/// (the earlier one on a tie); `stored` is sorted by date.
fn nearest(stored: &[SourcedBar], date: Date) -> Option<usize> {
    let at = stored.partition_point(|s| s.bar.date < date);
    let distance = |k: usize| (stored[k].bar.date.days() - date.days()).abs();
    let candidates = [at.checked_sub(1), (at < stored.len()).then_some(at)];
    candidates.into_iter().flatten().filter(|&k| distance(k) <= NEIGHBOUR_DAYS).min_by_key(|&k| distance(k))
}

/// `1000x` or `1/1000 of`, rounded to what a reader needs.
fn factor(log_ratio: f64) -> String {
    let f = log_ratio.abs().exp();
    let shown = if f >= 100.0 { format!("{:.0}", f) } else { format!("{:.1}", f) };
    if log_ratio > 0.0 {
        format!("{shown}x")
    } else {
        format!("1/{shown} of")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::Store;
    use riskcurve_core::{Bar, SeriesId};

    fn batch<'a>(id: &'a SeriesId, bars: &'a [Bar]) -> WriteBatch<'a> {
        WriteBatch { series: id, source: "fred", priority: 1, origin: "o", fetched_at: "t", checksum: "c", bars }
    }

    #[test]
    fn a_small_batch_a_thousand_times_off_its_neighbours_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "walcl");
        let stored: Vec<Bar> = (0..100).map(|d| bar(d * 7, 6_759_955.0 + f64::from(d))).collect();
        store.write(&batch(&id, &stored)).unwrap();
        // One revised overlap row and one new week, in billions.
        let billions = [bar(99 * 7, 6_700.0), bar(100 * 7, 6_710.0)];
        let err = check_scale(&store.conn, &batch(&id, &billions)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(
                "series walcl from source fred: values are 1/1007 of the stored ones (1971-12-02: 6710 against 6760054"
            ),
            "{msg}"
        );
        assert!(err.is_bad_input());
        // The same rows in millions pass, and so does a real revision.
        let millions = [bar(99 * 7, 6_700_000.0), bar(100 * 7, 6_710_000.0)];
        check_scale(&store.conn, &batch(&id, &millions)).unwrap();
    }

    #[test]
    fn no_neighbours_or_values_around_zero_are_not_judged() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "nfci");
        store.write(&batch(&id, &[bar(0, 0.5), bar(7, -0.01)])).unwrap();
        check_scale(&store.conn, &batch(&id, &[bar(14, 400.0)])).unwrap();
        let far = meta(&mut store, "far");
        store.write(&batch(&far, &[bar(0, 1.0)])).unwrap();
        check_scale(&store.conn, &batch(&far, &[bar(NEIGHBOUR_DAYS + 1, 1000.0)])).unwrap();
        let err = check_scale(&store.conn, &batch(&far, &[bar(NEIGHBOUR_DAYS, 1000.0)])).unwrap_err();
        assert!(err.to_string().contains("1000x the stored ones"), "{err}");
    }

    #[test]
    fn one_genuine_jump_among_many_rows_is_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "luna");
        store.write(&batch(&id, &(0..10).map(|d| bar(d, 80.0)).collect::<Vec<_>>())).unwrap();
        // The overlap agrees; the new days collapse.
        let bars: Vec<Bar> = (5..10).map(|d| bar(d, 80.0)).chain((10..13).map(|d| bar(d, 0.001))).collect();
        check_scale(&store.conn, &batch(&id, &bars)).unwrap();
    }
}
