//! Plain-text tables and the few formatting helpers every command shares.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use riskcurve_core::Date;

/// A left-aligned text table; numbers are right-aligned.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|s| s.to_string()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (w, c) in width.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let numeric = |c: &str| !c.is_empty() && c.parse::<f64>().is_ok();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let mut out = String::new();
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = width[i] - c.chars().count();
                if numeric(c) {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    out.push_str(&" ".repeat(pad));
                }
                out.push_str("  ");
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &self.header)?;
        for r in &self.rows {
            line(f, r)?;
        }
        Ok(())
    }
}

/// Seconds since the epoch, from the wall clock (the binary is the only
/// place that reads it).
pub fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Today's UTC date.
pub fn today_utc() -> Date {
    Date::from_unix_seconds(now_unix())
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_rfc3339() -> String {
    let t = now_unix();
    let s = t.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", Date::from_unix_seconds(t), s / 3600, s / 60 % 60, s % 60)
}

/// A table cell for an optional value: empty when absent.
pub fn cell<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A value for a table: up to 6 significant digits, no exponent for normal magnitudes.
pub fn num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let digits = (6 - 1 - v.abs().log10().floor() as i32).clamp(0, 8) as usize;
    format!("{v:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_numbers_right() {
        let mut t = Table::new(&["id", "rows"]);
        t.row(vec!["rut".into(), "9686".into()]);
        t.row(vec!["bitcoin".into(), "12".into()]);
        assert_eq!(t.to_string(), "id       rows\nrut      9686\nbitcoin    12\n");
    }

    #[test]
    fn numbers_keep_six_significant_digits() {
        assert_eq!(num(2442.74), "2442.74");
        assert_eq!(num(0.000123456), "0.00012346");
        assert_eq!(num(6745699.0), "6745699");
    }
}
