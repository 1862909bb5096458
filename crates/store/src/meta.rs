//! Series metadata: what a series is, independent of where its data came from.

use std::fmt::Display;

use riskcurve_core::{Calendar, SeriesId, Unit};

use crate::error::sql;
use crate::{Store, StoreError};

/// What a series is: its name, asset class, calendar, unit and flags.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesMeta {
    /// The series identifier.
    pub id: SeriesId,
    /// Human-readable name (`Russell 2000`).
    pub name: String,
    /// Free-form class used for grouping (`equity-index`, `crypto`, `macro`).
    pub asset_class: String,
    /// The trading calendar of its dates.
    #[serde(serialize_with = "as_display")]
    pub calendar: Calendar,
    /// The unit of its values.
    #[serde(serialize_with = "as_display")]
    pub unit: Unit,
    /// Tags such as `stablecoin` or `wrapped`; stored comma-separated, so a
    /// flag may not contain a comma, and is trimmed.
    pub flags: Vec<String>,
}

impl SeriesMeta {
    /// True when the series carries `flag`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

impl Store {
    /// Inserts or replaces the metadata of `meta.id`. Its observations,
    /// sources and provenance are kept.
    ///
    /// Refuses to change the unit of a series that has observations
    /// ([`StoreError::UnitChanged`]): that would relabel stored values
    /// without converting them.
    pub fn upsert_series(&mut self, meta: &SeriesMeta) -> Result<(), StoreError> {
        upsert_meta(&self.conn, meta)
    }

    /// The metadata of `id`, or `None` if the series is unknown.
    pub fn series_meta(&self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!("SELECT {META_COLUMNS} FROM series WHERE id = ?1"))
            .and_then(|mut stmt| {
                let mut rows = stmt.query_map([id.as_str()], RawMeta::from_row)?;
                rows.next().transpose()
            })
            .map_err(sql(|| format!("reading metadata of series {id}")))?;
        raw.map(RawMeta::parse).transpose()
    }

    /// Fails with [`StoreError::UnknownSeries`] unless `id` has metadata.
    pub(crate) fn require_series(&self, id: &SeriesId) -> Result<(), StoreError> {
        let exists = self
            .conn
            .prepare_cached("SELECT 1 FROM series WHERE id = ?1")
            .and_then(|mut stmt| stmt.exists([id.as_str()]))
            .map_err(sql(|| format!("looking up series {id}")))?;
        if exists {
            Ok(())
        } else {
            Err(StoreError::UnknownSeries(id.clone()))
        }
    }
}

/// [`Store::upsert_series`] on any connection (inside a transaction too).
pub(crate) fn upsert_meta(conn: &rusqlite::Connection, meta: &SeriesMeta) -> Result<(), StoreError> {
    let flags = encode_flags(meta)?;
    let failed = sql(|| format!("storing metadata of series {}", meta.id));
    let stored_unit: Option<String> = conn
        .prepare_cached("SELECT unit FROM series WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_map([meta.id.as_str()], |r| r.get(0))?.next().transpose())
        .map_err(&failed)?;
    if let Some(stored) = stored_unit.filter(|u| u != meta.unit.as_str()) {
        let rows: u64 = conn
            .prepare_cached("SELECT COUNT(*) FROM observations WHERE series_id = ?1")
            .and_then(|mut stmt| stmt.query_row([meta.id.as_str()], |r| r.get(0)))
            .map_err(&failed)?;
        if rows > 0 {
            return Err(StoreError::UnitChanged {
                series: meta.id.clone(),
                stored,
                given: meta.unit.to_string(),
                rows,
            });
        }
    }
    conn.prepare_cached(
        "INSERT INTO series (id, name, asset_class, calendar, unit, flags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET
             name = excluded.name, asset_class = excluded.asset_class,
             calendar = excluded.calendar, unit = excluded.unit, flags = excluded.flags
         WHERE (name, asset_class, calendar, unit, flags)
             IS NOT (excluded.name, excluded.asset_class, excluded.calendar, excluded.unit, excluded.flags)",
    )
    .and_then(|mut stmt| {
        stmt.execute((
            meta.id.as_str(),
            &meta.name,
            &meta.asset_class,
            meta.calendar.as_str(),
            meta.unit.as_str(),
            &flags,
        ))
    })
    .map_err(&failed)?;
    Ok(())
}

/// The `series` columns [`RawMeta::from_row`] reads, in order.
pub(crate) const META_COLUMNS: &str = "id, name, asset_class, calendar, unit, flags";

/// A `series` row as stored, before its text fields are parsed.
pub(crate) struct RawMeta {
    id: String,
    name: String,
    asset_class: String,
    calendar: String,
    unit: String,
    flags: String,
}

impl RawMeta {
    /// Reads [`META_COLUMNS`] starting at column 0.
    pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawMeta> {
        Ok(RawMeta {
            id: r.get(0)?,
            name: r.get(1)?,
            asset_class: r.get(2)?,
            calendar: r.get(3)?,
            unit: r.get(4)?,
            flags: r.get(5)?,
        })
    }

    /// Parses the text fields; a value that does not parse means the file was
    /// edited by hand or is corrupt.
    pub(crate) fn parse(self) -> Result<SeriesMeta, StoreError> {
        let bad =
            |field, value: &str| StoreError::InvalidStored { series: self.id.clone(), field, value: value.to_string() };
        Ok(SeriesMeta {
            id: SeriesId::new(&self.id).map_err(|_| bad("id", &self.id))?,
            calendar: self.calendar.parse().map_err(|_| bad("calendar", &self.calendar))?,
            unit: self.unit.parse().map_err(|_| bad("unit", &self.unit))?,
            flags: self.flags.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect(),
            name: self.name,
            asset_class: self.asset_class,
        })
    }
}

fn encode_flags(meta: &SeriesMeta) -> Result<String, StoreError> {
    let mut flags = Vec::with_capacity(meta.flags.len());
    for flag in &meta.flags {
        let flag = flag.trim();
        if flag.contains(',') {
            return Err(StoreError::InvalidInput {
                what: format!("flag {flag:?} of series {}", meta.id),
                reason: "flags may not contain commas".into(),
            });
        }
        if !flag.is_empty() && !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    Ok(flags.join(","))
}

/// Serialises a field through its `Display` (core's `Calendar` and `Unit`
/// are not `Serialize`; their display form is their canonical name).
pub(crate) fn as_display<T: Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: &str) -> SeriesMeta {
        SeriesMeta {
            id: SeriesId::new(id).unwrap(),
            name: "Tether".into(),
            asset_class: "crypto".into(),
            calendar: Calendar::Crypto,
            unit: Unit::Other("Billions of Chained 2012 Dollars".into()),
            flags: vec![" stablecoin".into(), "wrapped".into(), "stablecoin".into(), String::new()],
        }
    }

    #[test]
    fn round_trips_and_replaces() {
        let mut store = Store::open_in_memory().unwrap();
        let id = SeriesId::new("usdt").unwrap();
        assert_eq!(store.series_meta(&id).unwrap(), None);
        store.upsert_series(&meta("usdt")).unwrap();
        let got = store.series_meta(&id).unwrap().unwrap();
        assert_eq!(got.flags, ["stablecoin", "wrapped"]);
        assert!(got.has_flag("wrapped"));
        assert_eq!(got, SeriesMeta { flags: got.flags.clone(), ..meta("usdt") });

        let renamed = SeriesMeta { name: "USDT".into(), flags: vec![], ..meta("usdt") };
        store.upsert_series(&renamed).unwrap();
        assert_eq!(store.series_meta(&id).unwrap().unwrap(), renamed);
        // Without observations, the unit may still change.
        let relabelled = SeriesMeta { unit: Unit::Usd, ..renamed };
        store.upsert_series(&relabelled).unwrap();
        assert_eq!(store.series_meta(&id).unwrap().unwrap(), relabelled);
    }

    /// Issue 11 item 4: a user catalog naming another unit relabelled
    /// walcl's stored millions as billions.
    #[test]
    fn unit_change_of_a_stored_series_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let millions = SeriesMeta { unit: Unit::UsdMillions, flags: vec![], ..meta("walcl") };
        store.upsert_series(&millions).unwrap();
        let id = millions.id.clone();
        let bars = [riskcurve_core::Bar::value("2026-07-22".parse().unwrap(), 6_759_955.0)];
        let batch = crate::WriteBatch {
            series: &id,
            source: "fred",
            priority: 100,
            origin: "o",
            fetched_at: "t",
            checksum: "c",
            bars: &bars,
        };
        store.write(&batch).unwrap();
        let billions = SeriesMeta { unit: Unit::UsdBillions, ..millions.clone() };
        let err = store.upsert_series(&billions).unwrap_err();
        assert_eq!(
            err.to_string(),
            "series walcl is stored in USD millions, not USD billions: changing its unit would relabel 1 stored \
             values without converting them; keep the unit (fix the catalog), or store the data under a new series id"
        );
        assert!(err.is_bad_input());
        assert_eq!(store.series_meta(&id).unwrap().unwrap(), millions);
    }

    #[test]
    fn rejects_commas_in_flags_and_bad_stored_values() {
        let mut store = Store::open_in_memory().unwrap();
        let bad = SeriesMeta { flags: vec!["a,b".into()], ..meta("x") };
        assert!(store.upsert_series(&bad).unwrap_err().to_string().contains("series x"));

        store.upsert_series(&meta("x")).unwrap();
        store.conn.execute("UPDATE series SET calendar = 'lunar'", []).unwrap();
        let err = store.series_meta(&SeriesId::new("x").unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "series x: stored calendar \"lunar\" is invalid");
    }
}
