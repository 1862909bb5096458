//! `riskcurve cycles`: each Bitcoin halving cycle at the same elapsed time
//! as the current one (or `--days N`), with its peak and the drawdown after.

use anyhow::Result;
use riskcurve_signals::cycles::halving_cycles;

use crate::output::{num, today_utc, Table};
use crate::series::open_store;
use crate::{load, App};

#[derive(clap::Args)]
pub struct CyclesArgs {
    /// The asset (a stored series; halving dates are Bitcoin's).
    #[arg(long, default_value = "btc")]
    asset: String,
    /// Days after each halving to compare (default: the current cycle's elapsed days).
    #[arg(long)]
    days: Option<u32>,
}

pub fn run(app: &App, args: CyclesArgs) -> Result<()> {
    let store = open_store(app)?;
    let closes = load::closes(&store, &args.asset)?;
    let mut report = halving_cycles(&closes, args.days, today_utc())?;
    report.asset = args.asset.clone();
    if app.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("{}: {} days after each halving", report.asset, report.days);
    let mut t = Table::new(&[
        "halving",
        "entry",
        "close",
        "exit",
        "multiple",
        "peak",
        "peak x",
        "days to peak",
        "dd after peak",
    ]);
    for c in &report.cycles {
        t.row(vec![
            c.halving.to_string(),
            c.entry_date.to_string(),
            num(c.entry_close),
            format!("{}{}", c.exit_date, if c.complete { "" } else { " (so far)" }),
            format!("{:.2}x", c.multiple),
            c.peak_date.to_string(),
            format!("{:.2}x", c.peak_multiple),
            c.days_to_peak.to_string(),
            format!("{:.1}%", 100.0 * c.drawdown_after_peak),
        ]);
    }
    print!("{t}");
    Ok(())
}
