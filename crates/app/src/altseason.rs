//! The altcoin season index: the share of top altcoins beating BTC over a
//! window, with point-in-time membership where stored snapshots cover the date.

use std::collections::BTreeMap;

use riskcurve_core::Date;
use riskcurve_signals::altseason::{
    altseason, AltseasonInput, AltseasonParams, AltseasonReport, Exclusions, Membership,
};
use riskcurve_store::Store;

use crate::{load, App, Result};

/// Universe sources, most trusted first (on a shared date): CoinMarketCap's
/// numeric top-200 snapshots, then the ranked ticker lists.
pub(crate) const UNIVERSE_SOURCES: [&str; 2] = ["coinmarketcap", "universe-json"];

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

/// Point-in-time top lists from every stored snapshot of either kind, by
/// date; the index then uses the freshest one on or before each day (issue 10
/// item 7: a 6-day-old ticker list beats a 37-day-old CMC snapshot, and the
/// ticker lists still count after the CMC snapshots end). When both kinds
/// share a date, CoinMarketCap's (ranked by market cap, 200 coins) is used.
pub fn membership(store: &Store) -> Result<Option<Membership>> {
    let mut by_date: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    for source in UNIVERSE_SOURCES {
        // A date an earlier source has is kept from it.
        for (date, symbols) in store.universe_symbols(source)? {
            by_date.entry(date).or_insert(symbols);
        }
    }
    if by_date.is_empty() {
        return Ok(None);
    }
    Ok(Some(Membership::new(by_date.into_iter().collect())?))
}
