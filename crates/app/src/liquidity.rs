//! Fed net liquidity (WALCL - TGA - RRP) on the NYSE or crypto calendar,
//! each row holding only what was published by that bar's close.

use riskcurve_core::{nyse_sessions, Calendar, Date, Release, Series, SeriesId, Unit};
use riskcurve_signals::liquidity::{
    every_day, net_liquidity, LiquidityComponent, LiquidityInput, LiquidityParams, LiquidityReport, LiquidityRow,
    RRP_RELEASE, TGA_RELEASE, WALCL_RELEASE,
};
use riskcurve_store::Store;
use serde::Serialize;

use crate::{bad, load, App, Result};

/// What `liquidity` asks for.
#[derive(Debug, Clone)]
pub struct LiquidityRequest {
    /// Rows on the closes of this calendar (nyse or crypto).
    pub calendar: Calendar,
    /// First date shown.
    pub from: Option<Date>,
    /// Last date shown (and nothing published after its close is used).
    pub to: Option<Date>,
    /// A 13-week change within +/- this many USD millions keeps the previous regime.
    pub dead_band: f64,
}

/// `liquidity`: the rows and their unit.
#[derive(Debug, Clone, Serialize)]
pub struct Liquidity {
    /// The calendar of the rows.
    pub calendar: String,
    /// Unit of every amount (USD millions).
    pub unit: String,
    /// One row per close.
    pub observations: Vec<LiquidityRow>,
}

/// Runs `liquidity`.
pub fn liquidity(app: &App, req: &LiquidityRequest) -> Result<Liquidity> {
    let store = app.open_store()?;
    let r = report(app, &store, req.calendar, req.from, req.to, req.dead_band)?;
    Ok(Liquidity { calendar: req.calendar.as_str().to_string(), unit: r.unit, observations: r.observations })
}

/// Net liquidity on `calendar`'s closes between `from` and `to` (defaults:
/// the components' common span).
pub fn report(
    app: &App,
    store: &Store,
    calendar: Calendar,
    from: Option<Date>,
    to: Option<Date>,
    dead_band: f64,
) -> Result<LiquidityReport> {
    let Some(close) = calendar.bar_close() else {
        return bad(format!("--calendar {calendar}: use nyse or crypto"));
    };
    let walcl = component(app, store, "walcl", WALCL_RELEASE)?;
    let tga = component(app, store, "wtregen", TGA_RELEASE)?;
    let rrp = component(app, store, "rrpontsyd", RRP_RELEASE)?;
    let first = [&walcl, &tga, &rrp].iter().filter_map(|c| c.0.first_date()).max().expect("non-empty");
    let last = [&walcl, &tga, &rrp].iter().filter_map(|c| c.0.last_date()).max().expect("non-empty");
    let (start, end) = (from.map_or(first, |f| f.max(first)), to.map_or(last, |t| t.min(last.add_days(7))));
    let target = match calendar {
        Calendar::Nyse => nyse_sessions(start, end),
        _ => every_day(start, end),
    };
    let input = LiquidityInput {
        walcl: LiquidityComponent { series: &walcl.0, unit: walcl.1.clone(), release: walcl.2 },
        tga: LiquidityComponent { series: &tga.0, unit: tga.1.clone(), release: tga.2 },
        rrp: LiquidityComponent { series: &rrp.0, unit: rrp.1.clone(), release: rrp.2 },
    };
    Ok(net_liquidity(&input, &target, close, &LiquidityParams { dead_band })?)
}

/// A liquidity component: its values, their stored unit and when they are published.
fn component(app: &App, store: &Store, id: &str, fallback: Release) -> Result<(Series, Unit, Release)> {
    let sid: SeriesId = id.parse()?;
    let series = load::closes(store, id)?;
    let unit = store.series_meta(&sid)?.expect("loaded above").unit;
    let release = app.catalog.get(&sid).and_then(|e| e.release).unwrap_or(fallback);
    Ok((series, unit, release))
}
