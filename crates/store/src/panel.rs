//! Reading many series at once: the merged bars of a set of series in one
//! statement, and their merged closes from the cached closes.

use std::collections::HashMap;

use rusqlite::Connection;

use riskcurve_core::{Date, Series, SeriesId};

use crate::error::sql;
use crate::read::{bar_from_row, bounds, merge_rows, SourceRow, SourcedBar, BAR_COLUMNS};
use crate::{Store, StoreError};

/// The columns of the source and the series id in the bulk query, after
/// [`BAR_COLUMNS`].
const SOURCE_COLUMN: usize = 6;
const SERIES_COLUMN: usize = 7;

impl Store {
    /// The merged bars of each of `ids` between `from` and `to`, in the order
    /// of `ids`: exactly what [`Store::bars`] returns for each, read in one
    /// statement inside one read transaction (so every series is seen at the
    /// same database state) instead of one query per series.
    ///
    /// # Errors
    ///
    /// [`StoreError::UnknownSeries`] naming the first id that is not stored.
    pub fn bars_of(
        &self,
        ids: &[SeriesId],
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<Vec<SourcedBar>>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(read_failed(ids))?;
        self.require_all(ids)?;
        let mut by_id: HashMap<String, Vec<SourcedBar>> = HashMap::new();
        merged_each(&tx, ids, from, to, &mut |id, bars| {
            by_id.insert(id.to_string(), bars);
        })?;
        Ok(ids.iter().map(|id| by_id.remove(id.as_str()).unwrap_or_default()).collect())
    }

    /// The merged closes of each of `ids` (distinct) between `from` and
    /// `to`, in the order of `ids`, read inside one read transaction: the
    /// closes of [`Store::bars`], from the cached closes (one blob per
    /// series) where they exist.
    ///
    /// # Errors
    ///
    /// [`StoreError::UnknownSeries`] naming the first id that is not stored.
    pub fn closes_of(&self, ids: &[SeriesId], from: Option<Date>, to: Option<Date>) -> Result<Vec<Series>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(read_failed(ids))?;
        self.require_all(ids)?;
        let mut by_id = read_closes(&tx, ids, from, to, self.schema_version() >= 4)?;
        Ok(ids
            .iter()
            .map(|id| {
                let (dates, values) = by_id.remove(id.as_str()).unwrap_or_default();
                Series::new(dates, values).expect("merged dates are sorted and unique")
            })
            .collect())
    }

    /// Every one of `ids` (distinct) is a stored series.
    fn require_all(&self, ids: &[SeriesId]) -> Result<(), StoreError> {
        debug_assert!(ids.iter().collect::<std::collections::HashSet<_>>().len() == ids.len(), "ids repeat");
        ids.iter().try_for_each(|id| self.require_series(id))
    }

    /// The ids of every stored series of `asset_class`, in id order (no
    /// summary of their rows is computed).
    pub fn series_ids(&self, asset_class: &str) -> Result<Vec<SeriesId>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM series WHERE asset_class = ?1 ORDER BY id")
            .and_then(|mut stmt| stmt.query_map([asset_class], |r| r.get(0))?.collect())
            .map_err(sql(|| format!("listing the series of class {asset_class}")))?;
        Ok(ids.iter().map(|id| SeriesId::new(id).expect("stored ids are valid")).collect())
    }
}

fn read_failed(ids: &[SeriesId]) -> impl Fn(rusqlite::Error) -> StoreError {
    let n = ids.len();
    sql(move || format!("reading the bars of {n} series"))
}

/// The ids as one JSON array, bound as one parameter whatever their number.
/// A SeriesId has no character that needs escaping in JSON.
fn json_list(ids: &[SeriesId]) -> String {
    format!("[{}]", ids.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(","))
}

/// The merged bars of each of `ids`, read in one statement on `conn` and
/// handed to `each` as soon as they are merged (series without bars are
/// skipped), so a caller that keeps less than the bars holds one series'
/// rows at a time.
pub(crate) fn merged_each(
    conn: &Connection,
    ids: &[SeriesId],
    from: Option<Date>,
    to: Option<Date>,
    each: &mut dyn FnMut(&str, Vec<SourcedBar>),
) -> Result<(), StoreError> {
    let failed = read_failed(ids);
    let list = json_list(ids);
    // Priorities from `sources` first (a handful per series): joining them on
    // every observation row cost a B-tree seek per row.
    let priorities: HashMap<(String, String), i32> = conn
        .prepare_cached(
            "SELECT series_id, source, priority FROM sources WHERE series_id IN (SELECT value FROM json_each(?1))",
        )
        .and_then(|mut stmt| stmt.query_map([&list], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?.collect())
        .map_err(&failed)?;
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {BAR_COLUMNS}, o.source, o.series_id
             FROM observations o
             WHERE o.series_id IN (SELECT value FROM json_each(?1))
             ORDER BY o.series_id, o.source, o.date"
        ))
        .map_err(&failed)?;
    // Every row is read, whatever the window: a source's span is its whole
    // history (see `merge_rows`).
    let mut rows = stmt.query([list]).map_err(&failed)?;
    // Rows come in primary-key order (no sort in SQLite: a temporary B-tree
    // over every row made one statement slower than a query per series),
    // grouped by series and, within it, by source; each group is merged by
    // the one rule.
    let merge = |rows: Vec<SourceRow>| merge_rows(rows, from, to);
    let mut group: (String, Vec<SourceRow>) = (String::new(), Vec::new());
    let mut priority = 0;
    while let Some(row) = rows.next().map_err(&failed)? {
        let id = row.get_ref(SERIES_COLUMN).and_then(|v| Ok(v.as_str()?)).map_err(&failed)?;
        if id != group.0 {
            let done = std::mem::replace(&mut group, (id.to_string(), Vec::new()));
            if !done.1.is_empty() {
                each(&done.0, merge(done.1));
            }
        }
        let source: String = row.get(SOURCE_COLUMN).map_err(&failed)?;
        if group.1.last().is_none_or(|last| last.source != source) {
            // A series' rows come source by source: one look-up per run.
            priority = priorities.get(&(group.0.clone(), source.clone())).copied().unwrap_or_default();
        }
        group.1.push(SourceRow { bar: bar_from_row(row).map_err(&failed)?, source, priority });
    }
    if !group.1.is_empty() {
        each(&group.0, merge(group.1));
    }
    Ok(())
}

/// A series' dates and its closes on them.
type Closes = (Vec<Date>, Vec<f64>);

/// The dates and closes of each of `ids` between `from` and `to` on `conn`,
/// by id: from the cached closes (`closes.rs`), and for any series without
/// a cached row (a database older than schema 4, which read commands open
/// without migrating) merged from its observations, so the result is the
/// merged view either way.
fn read_closes(
    conn: &Connection,
    ids: &[SeriesId],
    from: Option<Date>,
    to: Option<Date>,
    cached: bool,
) -> Result<HashMap<String, Closes>, StoreError> {
    let failed = read_failed(ids);
    let mut by_id: HashMap<String, Closes> = HashMap::new();
    if cached {
        let mut stmt = conn
            .prepare_cached("SELECT series_id, bars FROM closes WHERE series_id IN (SELECT value FROM json_each(?1))")
            .map_err(&failed)?;
        let mut rows = stmt.query([json_list(ids)]).map_err(&failed)?;
        while let Some(row) = rows.next().map_err(&failed)? {
            let id = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&failed)?;
            let blob = row.get_ref(1).and_then(|v| Ok(v.as_blob()?)).map_err(&failed)?;
            by_id.insert(id.to_string(), crate::closes::decode(blob, bounds(from, to)));
        }
    }
    let missing: Vec<SeriesId> = ids.iter().filter(|id| !by_id.contains_key(id.as_str())).cloned().collect();
    if !missing.is_empty() {
        merged_each(conn, &missing, from, to, &mut |id, bars| {
            by_id.insert(id.to_string(), bars.iter().map(|b| (b.bar.date, b.bar.close)).unzip());
        })?;
    }
    Ok(by_id)
}
