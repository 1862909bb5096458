//! `riskcurve cycles`: each Bitcoin halving cycle at the same elapsed time
//! as the current one (or `--days N`), with its peak and the drawdown after.

use anyhow::Result;
use riskcurve_app::cycles::{cycles, CyclesRequest};
use riskcurve_app::human::{multiple, pct_signed, price};
use riskcurve_app::App;

use crate::output::{Out, Table};

#[derive(clap::Args)]
pub struct CyclesArgs {
    /// The asset (a stored series; halving dates are Bitcoin's).
    #[arg(long, default_value = "btc")]
    asset: String,
    /// Days after each halving to compare, 0-36500 (default: the current cycle's elapsed days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=36_500))]
    days: Option<u32>,
}

pub fn run(app: &App, out: &Out, args: CyclesArgs) -> Result<()> {
    let report = cycles(app, &CyclesRequest { asset: args.asset, days: args.days })?;
    if out.is_json() {
        return out.json(&report);
    }
    out.line(format!(
        "{}: {} days after each halving (day 0 = the halving, UTC; entry: the last close on or before it; top: the last high before a 50% fall)",
        report.asset, report.days
    ));
    let mut t =
        Table::new(&["halving", "entry", "close", "exit", "multiple", "peak", "peak x", "days to peak", "after peak"]);
    for c in &report.cycles {
        t.row(vec![
            c.halving.to_string(),
            c.entry_date.to_string(),
            price(c.entry_close),
            format!("{}{}", c.exit_date, if c.complete { "" } else { " (so far)" }),
            multiple(c.multiple),
            c.peak_date.to_string(),
            multiple(c.peak_multiple),
            c.days_to_peak.to_string(),
            pct_signed(c.drawdown_after_peak, 1),
            c.top_date.map(|d| d.to_string()).unwrap_or_default(),
            c.top_multiple.map(multiple).unwrap_or_default(),
        ]);
    }
    out.table(&t);
    Ok(())
}
