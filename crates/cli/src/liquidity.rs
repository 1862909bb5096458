//! `riskcurve liquidity`: Fed net liquidity (WALCL - TGA - RRP) on the NYSE
//! or crypto calendar, each row holding only what was published by that
//! bar's close.

use anyhow::Result;
use riskcurve_core::{nyse_sessions, Calendar, Date, Release, Series, SeriesId};
use riskcurve_signals::liquidity::{
    every_day, net_liquidity, LiquidityComponent, LiquidityInput, LiquidityParams, LiquidityReport, RRP_RELEASE,
    TGA_RELEASE, WALCL_RELEASE,
};
use riskcurve_store::Store;
use serde_json::json;

use crate::failure::bad;
use crate::output::{num, Table};
use crate::series::{open_store, parse_date};
use crate::{load, App};

#[derive(clap::Args)]
pub struct LiquidityArgs {
    /// First date shown.
    #[arg(long)]
    from: Option<String>,
    /// Last date shown.
    #[arg(long)]
    to: Option<String>,
    /// Rows on the closes of this calendar: nyse (16:00 New York) or crypto (00:00 UTC).
    #[arg(long, default_value = "nyse")]
    calendar: String,
    /// A 13-week change within +/- this many USD millions keeps the previous regime.
    #[arg(long, default_value_t = 0.0)]
    dead_band: f64,
    /// Rows shown in the table (JSON has every row in --from..--to).
    #[arg(long, default_value_t = 15)]
    tail: usize,
}

pub fn run(app: &App, args: LiquidityArgs) -> Result<()> {
    let (from, to) = (parse_date("from", args.from.as_deref())?, parse_date("to", args.to.as_deref())?);
    let calendar: Calendar = args.calendar.parse()?;
    let store = open_store(app)?;
    let report = report(app, &store, calendar, from, to, args.dead_band)?;
    if app.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"calendar": calendar.as_str(), "unit": report.unit, "observations": report.observations})
            )?
        );
        return Ok(());
    }
    println!(
        "net liquidity = WALCL - TGA - RRP, {} ({} closes; values as published by each close)",
        report.unit, calendar
    );
    let mut t = Table::new(&[
        "date",
        "net",
        "walcl",
        "tga",
        "rrp",
        "chg 4w",
        "chg 13w",
        "chg 26w",
        "regime",
        "13w: fed/tga/rrp",
    ]);
    let opt = |v: Option<f64>| v.map(num).unwrap_or_default();
    let rows = &report.observations;
    for r in &rows[rows.len().saturating_sub(args.tail)..] {
        t.row(vec![
            r.date.to_string(),
            num(r.net_liquidity),
            num(r.walcl),
            num(r.tga),
            num(r.rrp),
            opt(r.change_4w),
            opt(r.change_13w),
            opt(r.change_26w),
            r.regime.map(|g| g.to_string()).unwrap_or_default(),
            r.share_13w.as_ref().map(|s| format!("{:.2}/{:.2}/{:.2}", s.walcl, s.tga, s.rrp)).unwrap_or_default(),
        ]);
    }
    print!("{t}");
    Ok(())
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
fn component(app: &App, store: &Store, id: &str, fallback: Release) -> Result<(Series, riskcurve_core::Unit, Release)> {
    let sid: SeriesId = id.parse()?;
    let series = load::closes(store, id)?;
    let unit = store.series_meta(&sid)?.expect("loaded above").unit;
    let release = app.catalog.get(&sid).and_then(|e| e.release).unwrap_or(fallback);
    Ok((series, unit, release))
}
