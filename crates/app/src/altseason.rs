//! The altcoin season index: the share of top altcoins beating BTC over a
//! window, with point-in-time membership where stored snapshots cover the date.

use riskcurve_core::Date;
use riskcurve_signals::altseason::{
    altseason, AltseasonInput, AltseasonParams, AltseasonReport, Exclusions, Membership,
};
use riskcurve_store::Store;

use crate::{load, App, Result};

/// Universe sources, most trusted first: CoinMarketCap's numeric top-200
/// snapshots, then the ranked ticker lists (which cover 2017-2019).
const UNIVERSE_SOURCES: [&str; 2] = ["coinmarketcap", "universe-json"];

/// Runs `altseason`: the index history (rows between `from` and `to`).
pub fn altseason_index(
    app: &App,
    params: &AltseasonParams,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<AltseasonReport> {
    let store = app.open_store()?;
    let mut r = report(app, &store, params)?;
    r.observations.retain(|o| from.is_none_or(|f| o.date >= f) && to.is_none_or(|t| o.date <= t));
    Ok(r)
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
