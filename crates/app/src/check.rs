//! Data quality per stored series: calendar gaps, return outliers, OHLC
//! inconsistencies and staleness.

use riskcurve_core::{
    gaps, ohlc_inconsistent, outliers, outliers_in_differences, staleness, Bar, BarSeries, Date, Gap, Outlier, SeriesId,
};
use serde::Serialize;

use crate::{bad, bad_input, App, Result};

/// What `check` asks for.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// Series to check (empty: every stored series).
    pub series: Vec<String>,
    /// Robust z-score of a change above which it is an outlier.
    pub z: f64,
    /// Date staleness is judged against (default: the app's today).
    pub today: Option<Date>,
}

/// The checks of one series.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesCheck {
    /// Series id.
    pub id: String,
    /// Its calendar.
    pub calendar: String,
    /// Observations.
    pub rows: usize,
    /// Runs of missing sessions.
    pub gaps: Vec<Gap>,
    /// Changes with a robust z above the threshold.
    pub outliers: Vec<Outlier>,
    /// Dates whose open/high/low/close contradict each other.
    pub ohlc_inconsistent: Vec<Date>,
    /// Last stored date.
    pub last: Option<Date>,
    /// Sessions since the last value that should be public by today.
    pub stale_days: Option<i32>,
    /// For a crypto series whose closes are another coin's than the
    /// snapshots list under its ticker (stored before `import` refused
    /// them): why (issue 10 item 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrong_coin: Option<String>,
}

/// `check`: the result.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The date staleness was judged against.
    pub today: Date,
    /// One entry per series.
    pub series: Vec<SeriesCheck>,
}

/// Runs the checks.
pub fn check(app: &App, req: &CheckRequest) -> Result<CheckReport> {
    if req.z.is_nan() || req.z <= 0.0 {
        return bad(format!("--z {}: must be above 0", req.z));
    }
    let today = req.today.unwrap_or(app.today);
    let store = app.open_store()?;
    let ids: Vec<SeriesId> = if req.series.is_empty() {
        store.list()?.into_iter().map(|s| s.id).collect()
    } else {
        req.series.iter().map(|s| s.parse().map_err(bad_input)).collect::<Result<_>>()?
    };
    let prices = crate::coin_identity::SnapshotPrices::read(&store)?;
    let mut series = Vec::new();
    for id in &ids {
        let Some(meta) = store.series_meta(id)? else {
            return bad(format!("series {id} is not in the database"));
        };
        let bars: Vec<Bar> = store.bars(id, None, None)?.into_iter().map(|sb| sb.bar).collect();
        let bars = BarSeries::new(bars)?;
        // Macro values arrive after their reference date: judge staleness
        // against the date whose value should be public by now.
        let lag = app.catalog.get(id).and_then(|e| e.release).map_or(0, |r| r.lag_days);
        let last = bars.bars().last().map(|b| b.date);
        let closes = bars.closes();
        // Rates and indices like NFCI go to zero or below: their changes are
        // differences, not log returns.
        let outliers = if closes.values().iter().all(|v| *v > 0.0) {
            outliers(&closes, req.z)?
        } else {
            outliers_in_differences(&closes, req.z)
        };
        series.push(SeriesCheck {
            id: id.to_string(),
            calendar: meta.calendar.to_string(),
            rows: bars.len(),
            gaps: gaps(&bars, meta.calendar),
            outliers,
            ohlc_inconsistent: ohlc_inconsistent(&bars),
            last,
            stale_days: last.and_then(|l| staleness(l, today.add_days(-lag), meta.calendar)),
            wrong_coin: prices.mismatch(&meta, bars.bars()),
        });
    }
    Ok(CheckReport { today, series })
}
