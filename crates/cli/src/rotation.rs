//! `riskcurve rotation`: relative strength and momentum of each rung of the
//! risk curve against the rung before it, and the stage the rotation is at.

use anyhow::Result;
use riskcurve_app::rotation::{rotation, RotationRequest};
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_signals::rotation::{Frequency, RotationParams};

use crate::output::{Format, Out, Table};

#[derive(clap::Args)]
pub struct RotationArgs {
    /// The curve, in order (comma list); `alts` is the equal-weight alt basket (rebalanced monthly).
    #[arg(long, value_delimiter = ',', default_value = "spx,rut,btc,eth,alts")]
    rungs: Vec<String>,
    /// daily or weekly (last common close of each week ending Friday).
    #[arg(long, visible_alias = "frequency", default_value = "weekly")]
    freq: String,
    /// Periods of the moving average the ratio is normalised by.
    #[arg(long, default_value_t = 10)]
    ratio_window: usize,
    /// Periods back for the momentum.
    #[arg(long, default_value_t = 4)]
    momentum_lag: usize,
    /// First date of the stage history.
    #[arg(long)]
    from: Option<String>,
    /// Use data up to this date only.
    #[arg(long)]
    to: Option<String>,
    /// Rows of stage history shown (JSON and CSV have all).
    #[arg(long, default_value_t = 12)]
    tail: usize,
}

pub fn run(app: &App, out: &Out, args: RotationArgs) -> Result<()> {
    let frequency: Frequency = args.freq.parse().map_err(bad_input)?;
    let req = RotationRequest {
        rungs: args.rungs.clone(),
        params: RotationParams {
            frequency,
            ratio_window: args.ratio_window,
            momentum_lag: args.momentum_lag,
            ..RotationParams::default()
        },
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
    };
    let report = rotation(app, &req)?;
    if out.is_json() {
        return out.json(&report);
    }
    if out.format == Format::Csv {
        // One row per date and rung: the whole history, machine-readable.
        let mut t = Table::new(&["date", "rung", "vs", "rs_ratio", "rs_momentum", "quadrant", "stage"]);
        for o in &report.observations {
            for r in &o.rungs {
                let quadrant = riskcurve_app::human::label(&r.quadrant);
                t.row(vec![
                    o.date.to_string(),
                    r.rung.clone(),
                    r.vs.clone(),
                    r.rs_ratio.to_string(),
                    r.rs_momentum.to_string(),
                    quadrant,
                    o.stage.to_string(),
                ]);
            }
        }
        out.table(&t);
        return Ok(());
    }
    match &report.current {
        Some(cur) => {
            out.line(format!(
                "risk-curve rotation on {} ({} frequency): stage {} \"{}\"",
                cur.date, frequency, cur.stage, cur.stage_name
            ));
            let mut t = Table::new(&["rung", "vs", "rs-ratio", "rs-momentum", "quadrant"]);
            for r in &cur.rungs {
                let quadrant = riskcurve_app::human::label(&r.quadrant);
                t.row(vec![
                    r.rung.clone(),
                    r.vs.clone(),
                    format!("{:.1}", r.rs_ratio),
                    format!("{:.1}", r.rs_momentum),
                    quadrant,
                ]);
            }
            out.table(&t);
        }
        None => out.line("no rotation rows: the rungs have too few common periods"),
    }
    out.line("\nstage history");
    let rows = &report.observations;
    for r in &rows[rows.len().saturating_sub(args.tail)..] {
        out.line(format!("  {}  {}  {}", r.date, r.stage, r.stage_name));
    }
    for w in &report.warnings {
        out.warn(w);
    }
    Ok(())
}
