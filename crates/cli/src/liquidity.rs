//! `riskcurve liquidity`: Fed net liquidity (WALCL - TGA - RRP) on the NYSE
//! or crypto calendar, each row holding only what was published by that
//! bar's close.

use anyhow::Result;
use riskcurve_app::human::{pct, usd_millions, usd_millions_signed};
use riskcurve_app::liquidity::{liquidity, LiquidityRequest};
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_core::Calendar;

use crate::output::{Out, Table};

#[derive(clap::Args)]
pub struct LiquidityArgs {
    /// First date shown.
    #[arg(long)]
    from: Option<String>,
    /// Last date shown (nothing published after its close is used).
    #[arg(long)]
    to: Option<String>,
    /// Rows on the closes of this calendar: nyse (16:00 New York) or crypto (00:00 UTC).
    #[arg(long, default_value = "nyse")]
    calendar: String,
    /// A 13-week change within +/- this many USD millions keeps the previous regime.
    #[arg(long, default_value_t = 0.0)]
    dead_band: f64,
    /// Rows shown in the table (JSON and CSV have every row in --from..--to).
    #[arg(long, default_value_t = 15)]
    tail: usize,
}

pub fn run(app: &App, out: &Out, args: LiquidityArgs) -> Result<()> {
    let calendar: Calendar = match args.calendar.as_str() {
        "nyse" | "crypto" => args.calendar.parse().map_err(bad_input)?,
        other => return Err(bad_input(format!("--calendar {other}: expected nyse or crypto")).into()),
    };
    let req = LiquidityRequest {
        calendar,
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
        dead_band: args.dead_band,
    };
    let report = liquidity(app, &req)?;
    if out.is_json() {
        return out.json(&report);
    }
    out.line(format!(
        "net liquidity = WALCL - TGA - RRP in USD ({} closes; each row uses only values published by its close)",
        report.calendar
    ));
    let csv = out.format == crate::output::Format::Csv;
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
        "13w share fed/tga/rrp",
    ]);
    // CSV keeps the exact USD millions; the table reads as $T / $bn.
    let money = |v: f64| if csv { v.to_string() } else { usd_millions(v) };
    let chg = |v: Option<f64>| v.map(|v| if csv { v.to_string() } else { usd_millions_signed(v) }).unwrap_or_default();
    let rows = &report.observations;
    let shown = if csv { &rows[..] } else { &rows[rows.len().saturating_sub(args.tail)..] };
    for r in shown {
        t.row(vec![
            r.date.to_string(),
            money(r.net_liquidity),
            money(r.walcl),
            money(r.tga),
            money(r.rrp),
            chg(r.change_4w),
            chg(r.change_13w),
            chg(r.change_26w),
            r.regime.map(|g| g.to_string()).unwrap_or_default(),
            r.share_13w
                .as_ref()
                .map(|s| format!("{} / {} / {}", pct(s.walcl, 0), pct(s.tga, 0), pct(s.rrp, 0)))
                .unwrap_or_default(),
        ]);
    }
    out.table(&t);
    if rows.is_empty() {
        out.line("no rows: the three components have no common published dates in this range");
    }
    Ok(())
}
