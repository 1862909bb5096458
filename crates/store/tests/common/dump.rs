//! A database dump for tests: shared by the unit tests (through
//! `src/test_support.rs`) and the integration tests.

use rusqlite::Connection;

/// Every row of every table, every index name and the schema version, in key
/// order: equal dumps mean equal databases.
pub fn dump(conn: &Connection) -> String {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let mut out = format!("user_version {version}\n");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        out.push_str(&format!("{table}\n"));
        let Ok(mut stmt) = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3")) else {
            continue; // an index: its name is in the dump, its rows are the table's
        };
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
