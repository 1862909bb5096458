//! `riskcurve altseason`: the share of top altcoins beating BTC over a window,
//! with point-in-time membership where the stored snapshots cover the date.

use anyhow::Result;
use riskcurve_core::Date;
use riskcurve_signals::altseason::{
    altseason, AltseasonInput, AltseasonParams, AltseasonReport, AltseasonRule, Exclusions, Membership,
};
use riskcurve_store::Store;

use crate::output::{num, Table};
use crate::series::open_store;
use crate::{load, App};

/// Universe sources, most trusted first: CoinMarketCap's numeric top-200
/// snapshots, then the ranked ticker lists (which cover 2017-2019).
const UNIVERSE_SOURCES: [&str; 2] = ["coinmarketcap", "universe-json"];

#[derive(clap::Args)]
pub struct AltseasonArgs {
    /// blockchaincenter (top 50, altseason at >= 75) or cmc (top 100, bitcoin season at <= 25).
    #[arg(long, default_value = "blockchaincenter")]
    rule: String,
    /// Return window in days.
    #[arg(long, default_value_t = 90)]
    window: u32,
    /// Days between rows of the history.
    #[arg(long, default_value_t = 1)]
    step: u32,
    /// Rows shown in the table (JSON has all).
    #[arg(long, default_value_t = 12)]
    tail: usize,
}

pub fn run(app: &App, args: AltseasonArgs) -> Result<()> {
    let rule: AltseasonRule = args.rule.parse()?;
    let store = open_store(app)?;
    let params = AltseasonParams { rule, window: args.window, step: args.step, ..AltseasonParams::default() };
    let report = report(app, &store, &params)?;
    if app.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "altcoin season index ({} rule, {}-day window, exclusions {})",
        rule, args.window, report.exclusions_version
    );
    let mut t = Table::new(&["date", "index", "coins", "state", "universe"]);
    let rows = &report.observations;
    let step = (rows.len() / args.tail.max(1)).max(1);
    let shown: Vec<_> = rows.iter().rev().step_by(step).take(args.tail).collect();
    for r in shown.into_iter().rev() {
        let universe = serde_json::to_value(r.universe)?.as_str().unwrap_or_default().to_string();
        let state = serde_json::to_value(r.state)?.as_str().unwrap_or_default().to_string();
        t.row(vec![r.date.to_string(), num(r.index), r.n_coins.to_string(), state, universe]);
    }
    print!("{t}");
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// The altseason index history from the stored BTC, altcoins and snapshots.
pub fn report(app: &App, store: &Store, params: &AltseasonParams) -> Result<AltseasonReport> {
    let btc = load::closes(store, "btc")?;
    let alts = load::crypto_alts(store)?;
    let exclusions = Exclusions::new(&app.catalog.flags_version, app.catalog.flagged_symbols());
    let membership = membership(store)?;
    let input = AltseasonInput { btc: &btc, alts: &alts, exclusions: &exclusions, membership: membership.as_ref() };
    Ok(altseason(&input, params)?)
}

/// Point-in-time top lists from the stored snapshots: each source's dates,
/// a lower-priority source only before the first date of a better one.
fn membership(store: &Store) -> Result<Option<Membership>> {
    let mut snapshots: Vec<(Date, Vec<String>)> = Vec::new();
    for source in UNIVERSE_SOURCES {
        let before = snapshots.iter().map(|(d, _)| *d).min();
        for date in store.universe_dates(Some(source))? {
            if before.is_some_and(|b| date >= b) {
                continue;
            }
            if let Some(snap) = store.universe_at(date, Some(source))? {
                snapshots.push((date, snap.rows.into_iter().map(|r| r.symbol).collect()));
            }
        }
    }
    if snapshots.is_empty() {
        return Ok(None);
    }
    snapshots.sort_by_key(|(d, _)| *d);
    Ok(Some(Membership::new(snapshots)?))
}
