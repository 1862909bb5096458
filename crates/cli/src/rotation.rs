//! `riskcurve rotation`: relative strength and momentum of each rung of the
//! risk curve against the rung before it, and the stage the rotation is at.

use anyhow::Result;
use riskcurve_core::Series;
use riskcurve_signals::altseason::Exclusions;
use riskcurve_signals::rotation::{alt_basket, rotation, Frequency, RotationParams, Rung, DEFAULT_RUNGS};
use riskcurve_store::Store;

use crate::output::{num, Table};
use crate::series::open_store;
use crate::{load, App};

#[derive(clap::Args)]
pub struct RotationArgs {
    /// The curve, in order; `alts` is the equal-weight alt basket (rebalanced monthly).
    #[arg(long, value_delimiter = ',', default_value = "spx,rut,btc,eth,alts")]
    rungs: Vec<String>,
    /// daily or weekly (last close of each week ending Friday).
    #[arg(long, default_value = "weekly")]
    frequency: String,
    /// Periods of the moving average the ratio is normalised by.
    #[arg(long, default_value_t = 10)]
    ratio_window: usize,
    /// Periods back for the momentum.
    #[arg(long, default_value_t = 4)]
    momentum_lag: usize,
    /// Rows of stage history shown (JSON has all).
    #[arg(long, default_value_t = 12)]
    tail: usize,
}

pub fn run(app: &App, args: RotationArgs) -> Result<()> {
    let frequency: Frequency = args.frequency.parse()?;
    let params = RotationParams {
        frequency,
        ratio_window: args.ratio_window,
        momentum_lag: args.momentum_lag,
        ..RotationParams::default()
    };
    let store = open_store(app)?;
    let mut series: Vec<(String, String, Series)> = Vec::new();
    for name in &args.rungs {
        let label = DEFAULT_RUNGS.iter().find(|(n, _)| n == name).map_or(name.clone(), |(_, l)| l.to_string());
        let s = if name == "alts" {
            // The basket holds altcoins only: the rungs named on the curve are not in it.
            let leave_out: Vec<&str> = args.rungs.iter().map(String::as_str).collect();
            basket(app, &store, &leave_out)?
        } else {
            load::closes(&store, name)?
        };
        series.push((name.clone(), label, s));
    }
    let rungs: Vec<Rung> = series.iter().map(|(n, l, s)| Rung::new(n, l, s)).collect();
    let report = rotation(&rungs, &params)?;
    if app.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    if let Some(cur) = &report.current {
        println!(
            "risk-curve rotation on {} ({} frequency): stage {} \"{}\"",
            cur.date, frequency, cur.stage, cur.stage_name
        );
        let mut t = Table::new(&["rung", "vs", "rs-ratio", "rs-momentum", "quadrant"]);
        for r in &cur.rungs {
            let quadrant = serde_json::to_value(r.quadrant)?.as_str().unwrap_or_default().to_string();
            t.row(vec![r.rung.clone(), r.vs.clone(), num(r.rs_ratio), num(r.rs_momentum), quadrant]);
        }
        print!("{t}");
    }
    println!("\nstage history");
    let rows = &report.observations;
    for r in &rows[rows.len().saturating_sub(args.tail)..] {
        println!("  {}  {}  {}", r.date, r.stage, r.stage_name);
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// Closes of a stored series or ratio, or for `alts` the alt basket without
/// BTC and ETH (the targets of event studies and claims).
pub fn target_closes(app: &App, store: &Store, name: &str) -> Result<Series> {
    if name == "alts" {
        basket(app, store, &["btc", "eth"])
    } else {
        load::closes(store, name)
    }
}

/// The equal-weight alt basket (monthly rebalanced) of the stored altcoins,
/// without flagged tokens and without `leave_out`.
pub fn basket(app: &App, store: &Store, leave_out: &[&str]) -> Result<Series> {
    let exclusions = Exclusions::new(&app.catalog.flags_version, app.catalog.flagged_symbols());
    Ok(alt_basket(&load::crypto_alts(store)?, &exclusions, leave_out)?)
}
