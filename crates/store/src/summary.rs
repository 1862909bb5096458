//! The catalog view: every series with its sources and coverage.

use std::collections::HashMap;

use riskcurve_core::{Calendar, Date, SeriesId, Unit};

use crate::error::sql;
use crate::meta::{as_display, RawMeta, META_COLUMNS};
use crate::{Store, StoreError};

/// One source of a series and its coverage.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceSummary {
    /// The source name.
    pub source: String,
    /// Its priority (larger wins).
    pub priority: i32,
    /// Observations it holds.
    pub rows: u64,
    /// Its first date, if it has rows.
    pub first: Option<Date>,
    /// Its last date, if it has rows.
    pub last: Option<Date>,
}

/// A series, its sources and the coverage of its merged view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesSummary {
    /// The series identifier.
    pub id: SeriesId,
    /// Human-readable name.
    pub name: String,
    /// Asset class.
    pub asset_class: String,
    /// Trading calendar.
    #[serde(serialize_with = "as_display")]
    pub calendar: Calendar,
    /// Unit of the values.
    #[serde(serialize_with = "as_display")]
    pub unit: Unit,
    /// Flags (`stablecoin`, ...).
    pub flags: Vec<String>,
    /// Sources, best first (priority descending, then name).
    pub sources: Vec<SourceSummary>,
    /// First date of the merged view.
    pub first: Option<Date>,
    /// Last date of the merged view.
    pub last: Option<Date>,
    /// Dates in the merged view.
    pub rows: u64,
}

impl Store {
    /// Every series, sorted by id, with its sources and coverage.
    ///
    /// One pass over the observations' primary key gives each source's
    /// count and range. A series with one source has as many dates as rows;
    /// one with several takes its count from its cached closes, and is
    /// merged only without them (a database older than schema 4).
    pub fn list(&self) -> Result<Vec<SeriesSummary>, StoreError> {
        let failed = sql(|| "listing series".to_string());
        let mut sources: HashMap<String, Vec<SourceSummary>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT s.series_id, s.source, s.priority, COUNT(o.date), MIN(o.date), MAX(o.date)
                     FROM sources s
                     LEFT JOIN observations o ON o.series_id = s.series_id AND o.source = s.source
                     GROUP BY s.series_id, s.source
                     ORDER BY s.series_id, s.priority DESC, s.source",
                )
                .map_err(&failed)?;
            let mut rows = stmt.query([]).map_err(&failed)?;
            while let Some(r) = rows.next().map_err(&failed)? {
                let day = |i| r.get::<_, Option<i32>>(i).map(|d| d.map(Date::from_days));
                let summary = SourceSummary {
                    source: r.get(1).map_err(&failed)?,
                    priority: r.get(2).map_err(&failed)?,
                    rows: r.get(3).map_err(&failed)?,
                    first: day(4).map_err(&failed)?,
                    last: day(5).map_err(&failed)?,
                };
                sources.entry(r.get(0).map_err(&failed)?).or_default().push(summary);
            }
        }
        let metas: Vec<RawMeta> = self
            .conn
            .prepare_cached(&format!("SELECT {META_COLUMNS} FROM series ORDER BY id"))
            .and_then(|mut stmt| stmt.query_map([], RawMeta::from_row)?.collect())
            .map_err(&failed)?;

        let merged_counts = if self.schema_version() >= 4 {
            crate::closes::counts(&self.conn).map_err(&failed)?
        } else {
            HashMap::new()
        };
        metas
            .into_iter()
            .map(|raw| {
                let meta = raw.parse()?;
                let sources = sources.remove(meta.id.as_str()).unwrap_or_default();
                let rows = match sources.as_slice() {
                    [one] => one.rows,
                    [] => 0,
                    _ => match merged_counts.get(meta.id.as_str()) {
                        Some(n) => *n,
                        None => crate::read::merged(&self.conn, &meta.id, None, None)?.len() as u64,
                    },
                };
                Ok(SeriesSummary {
                    first: sources.iter().filter_map(|s| s.first).min(),
                    last: sources.iter().filter_map(|s| s.last).max(),
                    rows,
                    sources,
                    id: meta.id,
                    name: meta.name,
                    asset_class: meta.asset_class,
                    calendar: meta.calendar,
                    unit: meta.unit,
                    flags: meta.flags,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bar, meta};
    use crate::WriteBatch;

    #[test]
    fn summarises_sources_and_merged_coverage() {
        let mut store = Store::open_in_memory().unwrap();
        let btc = meta(&mut store, "btc");
        meta(&mut store, "aaa");
        let eth = meta(&mut store, "eth");
        let write = |store: &mut Store, id, source, priority, bars: &[Bar]| {
            let b = WriteBatch { series: id, source, priority, origin: "", fetched_at: "", checksum: "", bars };
            store.write(&b).unwrap();
        };
        use riskcurve_core::Bar;
        write(&mut store, &btc, "a", 1, &[bar(0, 1.0), bar(1, 1.0), bar(2, 1.0)]);
        write(&mut store, &btc, "b", 2, &[bar(2, 1.0), bar(5, 1.0)]);
        write(&mut store, &eth, "a", 1, &[bar(3, 1.0)]);
        write(&mut store, &eth, "empty", 0, &[]);

        let list = store.list().unwrap();
        assert_eq!(list.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["aaa", "btc", "eth"]);
        assert_eq!((list[0].rows, list[0].first, list[0].sources.len()), (0, None, 0));
        let b = &list[1];
        assert_eq!((b.rows, b.first, b.last), (4, Some(Date::from_days(0)), Some(Date::from_days(5))));
        let names: Vec<_> = b.sources.iter().map(|s| (s.source.as_str(), s.priority, s.rows)).collect();
        assert_eq!(names, [("b", 2, 2), ("a", 1, 3)]);
        let e = &list[2];
        assert_eq!((e.rows, e.sources[1].rows, e.sources[1].first), (1, 0, None));
    }
}
