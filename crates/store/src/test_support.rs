//! Helpers shared by the unit tests.

use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};

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

#[path = "../tests/common/dump.rs"]
mod common_dump;
pub(crate) use common_dump::dump;
