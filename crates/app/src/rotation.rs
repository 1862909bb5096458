//! Risk-curve rotation: relative strength and momentum of each rung against
//! the rung before it, and the stage the rotation is at; the alt basket.

use riskcurve_core::{Date, Series};
use riskcurve_signals::altseason::{AltseasonParams, AltseasonRule, Exclusions};
use riskcurve_signals::rotation::{
    alt_basket, rotation as rotate, AltBasket, PointInTime, RotationParams, RotationReport, Rung, DEFAULT_RUNGS,
};
use riskcurve_store::Store;

use crate::{load, App, Result};

/// What `rotation` asks for.
#[derive(Debug, Clone)]
pub struct RotationRequest {
    /// The curve in order; `alts` is the equal-weight alt basket.
    pub rungs: Vec<String>,
    /// Frequency, windows and lags.
    pub params: RotationParams,
    /// Only rows on or after this date.
    pub from: Option<Date>,
    /// Only data up to this date.
    pub to: Option<Date>,
}

/// Runs `rotation`.
pub fn rotation(app: &App, req: &RotationRequest) -> Result<RotationReport> {
    let store = app.open_store()?;
    let mut series: Vec<(String, String, Series)> = Vec::new();
    let mut warnings = Vec::new();
    for name in &req.rungs {
        let label = DEFAULT_RUNGS.iter().find(|(n, _)| n == name).map_or(name.clone(), |(_, l)| l.to_string());
        let s = if name == "alts" {
            // The basket holds altcoins only: the rungs named on the curve are not in it.
            let leave_out: Vec<&str> = req.rungs.iter().map(String::as_str).collect();
            let basket = basket(app, &store, &leave_out)?;
            warnings.extend(basket.warnings());
            basket.closes
        } else {
            // A ratio of a yield to a price is no relative strength (issue 10 item 15).
            crate::leadlag::refuse_rate(app, &store, name, "a rotation rung")?;
            load::closes(&store, name)?
        };
        series.push((name.clone(), label, s.between(None, req.to)));
    }
    let rungs: Vec<Rung> = series.iter().map(|(n, l, s)| Rung::new(n, l, s)).collect();
    let mut report = rotate(&rungs, &req.params)?;
    report.observations.retain(|o| req.from.is_none_or(|f| o.date >= f));
    report.warnings.extend(warnings);
    Ok(report)
}

/// Closes of a stored series or ratio, or for `alts` the alt basket without
/// BTC and ETH (the targets of event studies and claims). Callers that take
/// returns of them check [`crate::leadlag::is_rate`] first.
pub fn target_closes(app: &App, store: &Store, name: &str) -> Result<Series> {
    if name == "alts" {
        Ok(basket(app, store, &["btc", "eth"])?.closes)
    } else {
        load::closes(store, name)
    }
}

/// The equal-weight alt basket (monthly rebalanced) without flagged tokens
/// and without `leave_out`: at each rebalance the stored alts among the top 50
/// of the freshest membership snapshot (the altcoin season index's snapshots
/// and age limit; BTC, `leave_out` and flagged tokens are skipped before
/// counting, so the 50 can reach below the index's), or every stored alt
/// where no snapshot covers the month (issue 10 item 6).
///
/// Built once per database state and leave-out list (event studies, claims,
/// status and rotation of one request share it).
pub fn basket(app: &App, store: &Store, leave_out: &[&str]) -> Result<AltBasket> {
    let flagged = app.catalog.flagged_symbols();
    let name = format!("alt basket without {leave_out:?}, flags {} {flagged:?}", app.catalog.flags_version);
    load::derived(store, &name, || {
        let exclusions = Exclusions::new(&app.catalog.flags_version, flagged);
        let membership = crate::altseason::membership(store)?;
        let pit = membership.as_ref().map(|membership| PointInTime {
            membership,
            top: AltseasonRule::BlockchainCenter.top_n(),
            max_age_days: AltseasonParams::default().max_snapshot_age_days,
        });
        Ok(alt_basket(&load::crypto_alts(store)?, &exclusions, leave_out, pit)?)
    })
}
