//! Reading bars: the merged view over sources, one source, the last date.

use riskcurve_core::{Bar, Date, SeriesId};

use crate::error::sql;
use crate::{Store, StoreError};

/// A bar and the source it was served from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourcedBar {
    /// The bar.
    pub bar: Bar,
    /// The source whose row won this date.
    pub source: String,
}

/// The observation columns [`bar_from_row`] reads, in order.
pub(crate) const BAR_COLUMNS: &str = "o.date, o.open, o.high, o.low, o.close, o.volume";

pub(crate) fn bar_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Bar> {
    Ok(Bar {
        date: Date::from_days(r.get(0)?),
        open: r.get(1)?,
        high: r.get(2)?,
        low: r.get(3)?,
        close: r.get(4)?,
        volume: r.get(5)?,
    })
}

impl Store {
    /// The merged view of series `id` between `from` and `to` (inclusive;
    /// `None` is open-ended), in ascending date order, spliced in contiguous
    /// ranges: each source **spans** its first to its last stored date, and
    /// each date is served by the source with the **largest priority** whose
    /// span contains it (between equal priorities, the name sorting first).
    /// A date that source lacks is a gap, not a bar of another vendor: a
    /// return is never taken between two vendors inside a range, only at the
    /// splice from one range to the next.
    ///
    /// A long low-priority history still extends a short high-priority one
    /// before and after its span.
    pub fn bars(&self, id: &SeriesId, from: Option<Date>, to: Option<Date>) -> Result<Vec<SourcedBar>, StoreError> {
        self.require_series(id)?;
        merged(&self.conn, id, from, to)
    }

    /// All bars of one source of series `id`, in ascending date order (empty
    /// for a source that has none).
    pub fn bars_from_source(&self, id: &SeriesId, source: &str) -> Result<Vec<Bar>, StoreError> {
        self.require_series(id)?;
        self.conn
            .prepare_cached(&format!(
                "SELECT {BAR_COLUMNS} FROM observations o
                 WHERE o.series_id = ?1 AND o.source = ?2 ORDER BY o.date"
            ))
            .and_then(|mut stmt| stmt.query_map((id.as_str(), source), bar_from_row)?.collect())
            .map_err(sql(|| format!("reading bars of series {id} from source {source}")))
    }

    /// The latest date stored for series `id`, from `source` or (`None`) from
    /// any source; `None` when there is no bar.
    pub fn last_date(&self, id: &SeriesId, source: Option<&str>) -> Result<Option<Date>, StoreError> {
        self.require_series(id)?;
        // Per source, MAX over the primary key is one index seek; taking the
        // max of those avoids scanning every row of a many-source series.
        let days: Option<i32> = self
            .conn
            .prepare_cached(
                "SELECT MAX((SELECT MAX(o.date) FROM observations o
                             WHERE o.series_id = s.series_id AND o.source = s.source))
                 FROM sources s WHERE s.series_id = ?1 AND (?2 IS NULL OR s.source = ?2)",
            )
            .and_then(|mut stmt| stmt.query_row((id.as_str(), source), |r| r.get(0)))
            .map_err(sql(|| format!("reading the last date of series {id}")))?;
        Ok(days.map(Date::from_days))
    }
}

/// The merged view of `id` between `from` and `to` on any connection (a
/// transaction sees its own writes): see [`Store::bars`].
pub(crate) fn merged(
    conn: &rusqlite::Connection,
    id: &SeriesId,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<SourcedBar>, StoreError> {
    // The bulk reader's path: rows in primary-key order, put in merge order
    // in memory (faster than SQLite sorting the join of sources and rows).
    let mut out = Vec::new();
    crate::panel::merged_each(conn, std::slice::from_ref(id), from, to, &mut |_, bars| out = bars)?;
    Ok(out)
}

/// One source's observation of one date, with the source's priority: the
/// input of [`merge_rows`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceRow {
    pub(crate) bar: Bar,
    pub(crate) source: String,
    pub(crate) priority: i32,
}

/// The merge rule of [`Store::bars`], the one place it lives: `rows` are
/// **all** rows of **one** series, in any order (a source's span is its
/// first to its last row). Each date goes to the best source whose span
/// contains it (largest priority, then the name sorting first); when that
/// source has no row on it, the date is a gap. Only dates between `from`
/// and `to` (inclusive) are returned, in date order.
pub(crate) fn merge_rows(mut rows: Vec<SourceRow>, from: Option<Date>, to: Option<Date>) -> Vec<SourcedBar> {
    // By date, then priority descending, then source name: a stable sort of
    // the few sorted runs a source-by-source read gives.
    rows.sort_by(|a, b| {
        (a.bar.date, std::cmp::Reverse(a.priority), &a.source).cmp(&(
            b.bar.date,
            std::cmp::Reverse(b.priority),
            &b.source,
        ))
    });
    // Spans, best source first (a series has a handful of sources).
    let mut spans: Vec<(std::cmp::Reverse<i32>, &str, Date, Date)> = Vec::new();
    for r in &rows {
        match spans.iter_mut().find(|s| s.1 == r.source) {
            Some(span) => span.3 = r.bar.date,
            None => spans.push((std::cmp::Reverse(r.priority), &r.source, r.bar.date, r.bar.date)),
        }
    }
    spans.sort();
    let (lo, hi) = bounds(from, to);
    let keep: Vec<bool> = rows
        .iter()
        .map(|r| {
            let best = spans.iter().find(|s| s.2 <= r.bar.date && r.bar.date <= s.3).map(|s| s.1);
            best == Some(r.source.as_str()) && (lo..=hi).contains(&r.bar.date.days())
        })
        .collect();
    rows.into_iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(r, _)| SourcedBar { bar: r.bar, source: r.source })
        .collect()
}

/// Inclusive day bounds for a date range; open ends become the i32 extremes.
pub(crate) fn bounds(from: Option<Date>, to: Option<Date>) -> (i32, i32) {
    (from.map_or(i32::MIN, Date::days), to.map_or(i32::MAX, Date::days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::WriteBatch;

    fn write(store: &mut Store, id: &SeriesId, source: &str, priority: i32, bars: &[Bar]) {
        let batch = WriteBatch { series: id, source, priority, origin: "o", fetched_at: "t", checksum: "c", bars };
        store.write(&batch).unwrap();
    }

    #[test]
    fn merges_by_priority_then_name() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        write(&mut store, &id, "low", 1, &[bar(0, 1.0), bar(1, 1.0), bar(2, 1.0)]);
        write(&mut store, &id, "high", 5, &[bar(1, 5.0), bar(3, 5.0)]);
        write(&mut store, &id, "b-tie", 5, &[bar(3, 6.0)]);
        write(&mut store, &id, "a-tie", 5, &[bar(3, 7.0)]);
        let got: Vec<(i32, f64, String)> = store
            .bars(&id, None, None)
            .unwrap()
            .into_iter()
            .map(|s| (s.bar.date.days(), s.bar.close, s.source))
            .collect();
        // Day 2 lies inside the span of "high" (days 1-3), which lacks it: a gap.
        let want = [(0, 1.0, "low"), (1, 5.0, "high"), (3, 7.0, "a-tie")];
        assert_eq!(got, want.map(|(d, c, s)| (d, c, s.to_string())));

        let window = store.bars(&id, Some(Date::from_days(0)), Some(Date::from_days(2))).unwrap();
        assert_eq!(window.iter().map(|s| s.bar.date.days()).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(store.bars_from_source(&id, "high").unwrap(), [bar(1, 5.0), bar(3, 5.0)]);
        assert_eq!(store.last_date(&id, None).unwrap(), Some(Date::from_days(3)));
        assert_eq!(store.last_date(&id, Some("low")).unwrap(), Some(Date::from_days(2)));
        assert_eq!(store.last_date(&id, Some("none")).unwrap(), None);
    }

    /// Issue 10 item 10: the merged view used to fill a better source's
    /// missing day with another vendor's bar, so returns hopped between
    /// vendors around it (the stored `algo` had 28 Coinbase days inside its
    /// Yahoo span). Hand-made: "low" has days 0-6, "high" days 2-4 without 3.
    #[test]
    fn a_missing_day_inside_a_better_source_span_is_a_gap_not_another_vendors_bar() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "algo");
        write(&mut store, &id, "low", 1, &(0..7).map(|d| bar(d, 1.0)).collect::<Vec<_>>());
        write(&mut store, &id, "high", 5, &[bar(2, 5.0), bar(4, 5.0)]);
        let served = |from: Option<i32>, to: Option<i32>| -> Vec<(i32, String)> {
            let (from, to) = (from.map(Date::from_days), to.map(Date::from_days));
            store.bars(&id, from, to).unwrap().into_iter().map(|s| (s.bar.date.days(), s.source)).collect()
        };
        let want = [(0, "low"), (1, "low"), (2, "high"), (4, "high"), (5, "low"), (6, "low")];
        assert_eq!(served(None, None), want.map(|(d, s)| (d, s.to_string())));
        // A window sees the same splice: spans are whole histories.
        assert_eq!(served(Some(3), Some(5)), [(4, "high".to_string()), (5, "low".to_string())]);
        assert_eq!(store.bars_of(std::slice::from_ref(&id), Some(Date::from_days(3)), None).unwrap()[0].len(), 3);
    }

    #[test]
    fn unknown_series_is_an_error_and_empty_series_is_empty() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meta(&mut store, "btc");
        assert!(store.bars(&id, None, None).unwrap().is_empty());
        assert_eq!(store.last_date(&id, None).unwrap(), None);
        let eth = SeriesId::new("eth").unwrap();
        assert!(matches!(store.bars(&eth, None, None), Err(StoreError::UnknownSeries(_))));
    }
}
