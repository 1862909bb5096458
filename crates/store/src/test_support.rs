//! Helpers shared by the unit tests.

use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use rusqlite::Connection;

use crate::{SeriesMeta, Store};

/// A bar with all fields set, dated `day` days after 1970-01-01.
pub(crate) fn bar(day: i32, close: f64) -> Bar {
    Bar {
        date: Date::from_days(day),
        open: Some(close),
        high: Some(close + 1.0),
        low: Some(close - 1.0),
        close,
        volume: None,
    }
}

/// Stores minimal metadata for `id` and returns the id.
pub(crate) fn meta(store: &mut Store, id: &str) -> SeriesId {
    let id = SeriesId::new(id).unwrap();
    let meta = SeriesMeta {
        id: id.clone(),
        name: id.to_string(),
        asset_class: "crypto".into(),
        calendar: Calendar::Crypto,
        unit: Unit::Usd,
        flags: vec![],
    };
    store.upsert_series(&meta).unwrap();
    id
}

/// Every row of every table (and the schema version), in key order: equal
/// dumps mean equal databases.
pub(crate) fn dump(conn: &Connection) -> String {
    let mut out = String::new();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    out.push_str(&format!("user_version {version}\n"));
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        out.push_str(&format!("table {table}\n"));
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> =
                (0..n).map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
            out.push_str(&cells.join("|"));
            out.push('\n');
        }
    }
    out
}
