//! Stored series: the list, one series' observations, and the catalog.

use riskcurve_core::{Date, SeriesId};
use riskcurve_store::SourceSummary;
use serde::Serialize;

use crate::{bad, bad_input, App, Result};

/// One stored series, its coverage and its sources (`series list`).
#[derive(Debug, Clone, Serialize)]
pub struct SeriesItem {
    /// The series id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Asset class (`equity-index`, `crypto`, `liquidity`, ...).
    pub class: String,
    /// Its calendar.
    pub calendar: String,
    /// The stored unit.
    pub unit: String,
    /// First date of the merged view.
    pub first: Option<Date>,
    /// Last date of the merged view.
    pub last: Option<Date>,
    /// Dates in the merged view.
    pub rows: u64,
    /// Catalog flags (`stablecoin`, `wrapped`, ...).
    pub flags: Vec<String>,
    /// Sources, best first.
    pub sources: Vec<SourceSummary>,
}

/// `series list`: every stored series with its sources, by id.
pub fn list(app: &App) -> Result<Vec<SeriesItem>> {
    let all = app.open_store()?.list()?;
    Ok(all
        .into_iter()
        .map(|s| SeriesItem {
            id: s.id.to_string(),
            name: s.name,
            class: s.asset_class,
            calendar: s.calendar.to_string(),
            unit: s.unit.to_string(),
            first: s.first,
            last: s.last,
            rows: s.rows,
            flags: s.flags,
            sources: s.sources,
        })
        .collect())
}

/// What `series show` asks for.
#[derive(Debug, Clone, Default)]
pub struct ShowRequest {
    /// The series id.
    pub id: String,
    /// First date shown.
    pub from: Option<Date>,
    /// Last date shown.
    pub to: Option<Date>,
    /// Only the last N observations.
    pub tail: Option<usize>,
}

/// One merged observation and the source it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    /// The bar's date.
    pub date: Date,
    /// The close (the value of a macro series).
    pub value: f64,
    /// Open, where the source has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<f64>,
    /// Intraday high, where the source has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Intraday low, where the source has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// The close.
    pub close: f64,
    /// Volume, where the source has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
    /// The source whose row this is.
    pub source: String,
    /// `"USDT"` when that source quotes in Tether and is stored 1:1 in this
    /// dollar series (labelled, not converted: issue 10 item 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// `series show`: a series' observations.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesView {
    /// The series id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The stored unit.
    pub unit: String,
    /// Its calendar.
    pub calendar: String,
    /// The observations, oldest first.
    pub observations: Vec<Observation>,
}

/// The observations of one series (merged across sources by priority).
pub fn show(app: &App, req: &ShowRequest) -> Result<SeriesView> {
    let id: SeriesId = req.id.parse().map_err(bad_input)?;
    let store = app.open_store()?;
    let Some(meta) = store.series_meta(&id)? else {
        return bad(format!("series {id} is not in the database (see `riskcurve series list`)"));
    };
    let mut bars = store.bars(&id, req.from, req.to)?;
    if let Some(n) = req.tail {
        bars.drain(..bars.len().saturating_sub(n));
    }
    let observations = bars
        .into_iter()
        .map(|sb| {
            let b = sb.bar;
            Observation {
                date: b.date,
                value: b.close,
                open: b.open,
                high: b.high,
                low: b.low,
                close: b.close,
                volume: b.volume,
                quote: app.catalog.quote_label(&id, &sb.source, &meta.unit).map(str::to_string),
                source: sb.source,
            }
        })
        .collect();
    Ok(SeriesView {
        id: id.to_string(),
        name: meta.name,
        unit: meta.unit.to_string(),
        calendar: meta.calendar.to_string(),
        observations,
    })
}
