//! "Liquidity was easing": Fed assets growing, the TGA drawing down and the
//! RRP drained, each a part of the claim.

use riskcurve_core::Calendar;

use super::params::Params;
use super::{all_of, Ctx, Judged, Verdict};
use crate::human::{usd_millions, usd_millions_signed};
use crate::Result;

/// An RRP below this (USD millions, $50bn: 2% of its 2022 peak of about
/// $2.55T) counts as drained.
const RRP_DRAINED: f64 = 50_000.0;

/// `liquidity`: on the last NYSE close on or before `date`, with only what
/// was published by that close: WALCL's 13-week change above 0 (Fed assets
/// growing), the TGA's 13-week change below 0 (drawing down) and the RRP
/// below `rrp_drained` USD millions (drained). Any part false contradicts the
/// claim.
pub(super) fn liquidity(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let on = p.date("date")?;
    let drained = p.opt_float("rrp_drained").unwrap_or(RRP_DRAINED);
    if let Some(j) = ctx.after_cut(on, "the net-liquidity row of that date") {
        return Ok(j);
    }
    let report = crate::liquidity::report(ctx.app, ctx.store, Calendar::Nyse, None, Some(on), 0.0)?;
    let Some(row) = report.observations.iter().rev().find(|r| r.date <= on) else {
        return Ok(Judged::no_data(format!("no net-liquidity row by {on}")));
    };
    let Some(k) = row.contrib_13w else {
        return Ok(Judged::no_data(format!("no 13-week change on {}", row.date)));
    };
    // Contributions are +dWALCL, -dTGA and -dRRP.
    let (d_walcl, d_tga) = (k.walcl, -k.tga);
    let parts = [
        (d_walcl > 0.0, format!("Fed assets {} over 13 weeks", usd_millions_signed(d_walcl)), "growing"),
        (d_tga < 0.0, format!("TGA {} over 13 weeks", usd_millions_signed(d_tga)), "drawing down"),
        (row.rrp < drained, format!("RRP at {}", usd_millions(row.rrp)), "drained"),
    ];
    let verdict = all_of(parts.iter().map(|(ok, _, _)| if *ok { Verdict::Supported } else { Verdict::Contradicted }));
    let lines: Vec<String> = parts
        .iter()
        .map(|(ok, what, claim)| format!("{what}: {} {claim}", if *ok { "is" } else { "is NOT" }))
        .collect();
    let change = row.change_13w.map(usd_millions_signed).unwrap_or_else(|| "n/a".into());
    Ok(Judged::new(
        verdict,
        format!(
            "as published by the {} close: {} (drained: below {}); net liquidity {}, 13-week change {change}",
            row.date,
            lines.join("; "),
            usd_millions(drained),
            usd_millions(row.net_liquidity)
        ),
        Some(1),
    ))
}
