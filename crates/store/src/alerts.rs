//! Alerts: each is recorded once per rule and key, then marked delivered,
//! so a restarted watcher neither loses nor resends one.

use rusqlite::{params, OptionalExtension};

use crate::error::sql;
use crate::{Store, StoreError};

/// An alert to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert<'a> {
    /// The rule's name.
    pub rule: &'a str,
    /// What fired, unique per rule (an event date, a state and its date).
    pub key: &'a str,
    /// The rule's kind (`breakout`, `level`, ...).
    pub kind: &'a str,
    /// Date of the data it was judged on.
    pub as_of: &'a str,
    /// When it was recorded (the caller's clock).
    pub created_at: &'a str,
    /// The message for people.
    pub message: &'a str,
    /// The alert as JSON.
    pub payload: &'a str,
}

/// A stored alert.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredAlert {
    /// Row id.
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// What fired.
    pub key: String,
    /// The rule's kind.
    pub kind: String,
    /// Date of the data.
    pub as_of: String,
    /// When it was recorded.
    pub created_at: String,
    /// The message.
    pub message: String,
    /// The alert as JSON.
    pub payload: String,
    /// When every channel accepted it; `None` while pending.
    pub delivered_at: Option<String>,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last delivery error.
    pub last_error: Option<String>,
}

const COLUMNS: &str = "id, rule, key, kind, as_of, created_at, message, payload, delivered_at, attempts, last_error";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAlert> {
    Ok(StoredAlert {
        id: r.get(0)?,
        rule: r.get(1)?,
        key: r.get(2)?,
        kind: r.get(3)?,
        as_of: r.get(4)?,
        created_at: r.get(5)?,
        message: r.get(6)?,
        payload: r.get(7)?,
        delivered_at: r.get(8)?,
        attempts: r.get(9)?,
        last_error: r.get(10)?,
    })
}

impl Store {
    /// Records an alert unless the same rule and key are already stored;
    /// returns the stored alert when it is new.
    pub fn record_alert(&mut self, a: &NewAlert<'_>) -> Result<Option<StoredAlert>, StoreError> {
        let failed = sql(|| format!("recording alert {} {}", a.rule, a.key));
        let inserted = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO alerts (rule, key, kind, as_of, created_at, message, payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![a.rule, a.key, a.kind, a.as_of, a.created_at, a.message, a.payload],
            )
            .map_err(&failed)?;
        if inserted == 0 {
            return Ok(None);
        }
        let id = self.conn.last_insert_rowid();
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM alerts WHERE id = ?1"), [id], row)
            .optional()
            .map_err(failed)
    }

    /// Alerts not yet delivered, oldest first.
    pub fn pending_alerts(&self) -> Result<Vec<StoredAlert>, StoreError> {
        self.query_alerts(&format!("SELECT {COLUMNS} FROM alerts WHERE delivered_at IS NULL ORDER BY id"))
    }

    /// The most recent alerts, newest first.
    pub fn alerts(&self, limit: usize) -> Result<Vec<StoredAlert>, StoreError> {
        self.query_alerts(&format!("SELECT {COLUMNS} FROM alerts ORDER BY id DESC LIMIT {}", limit.min(1_000_000)))
    }

    fn query_alerts(&self, query: &str) -> Result<Vec<StoredAlert>, StoreError> {
        let failed = sql(|| "reading alerts".to_string());
        let mut stmt = self.conn.prepare(query).map_err(&failed)?;
        let rows = stmt.query_map([], row).map_err(&failed)?;
        rows.collect::<Result<_, _>>().map_err(failed)
    }

    /// Marks an alert delivered (or records a failed attempt with `error`).
    pub fn mark_alert(&mut self, id: i64, delivered_at: Option<&str>, error: Option<&str>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE alerts SET attempts = attempts + 1, delivered_at = COALESCE(?2, delivered_at), last_error = ?3
                 WHERE id = ?1",
                params![id, delivered_at, error],
            )
            .map_err(sql(|| format!("updating alert {id}")))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert<'a>(rule: &'a str, key: &'a str) -> NewAlert<'a> {
        NewAlert {
            rule,
            key,
            kind: "breakout",
            as_of: "2026-08-21",
            created_at: "2026-11-30T00:00:00Z",
            message: "m",
            payload: "{}",
        }
    }

    #[test]
    fn an_alert_is_recorded_once_per_rule_and_key_and_stays_pending_until_delivered() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store.record_alert(&alert("r", "2025-09-18")).unwrap().expect("new");
        assert!(store.record_alert(&alert("r", "2025-09-18")).unwrap().is_none(), "the same key again");
        assert!(store.record_alert(&alert("other", "2025-09-18")).unwrap().is_some(), "another rule");
        assert_eq!(store.pending_alerts().unwrap().len(), 2);
        store.mark_alert(first.id, None, Some("HTTP 500")).unwrap();
        let pending = store.pending_alerts().unwrap();
        assert_eq!((pending[0].attempts, pending[0].last_error.as_deref()), (1, Some("HTTP 500")));
        store.mark_alert(first.id, Some("2026-11-30T00:00:05Z"), None).unwrap();
        assert_eq!(store.pending_alerts().unwrap().len(), 1);
        let all = store.alerts(10).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].delivered_at.as_deref(), Some("2026-11-30T00:00:05Z"));
        assert_eq!(all[1].attempts, 2);
    }
}
