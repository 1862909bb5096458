//! `riskcurve leadlag`: does one series lead another? Cross-correlations of
//! log returns and Granger causality in both directions.

use anyhow::Result;
use riskcurve_core::{align, log_returns, to_month_end, to_weekly, Series};
use riskcurve_stats::{cross_correlations, GrangerCausality, GrangerOptions};
use serde_json::json;

use crate::failure::bad;
use crate::output::{num, Table};
use crate::series::{open_store, parse_date};
use crate::{load, App};

#[derive(clap::Args)]
pub struct LeadLagArgs {
    /// The series that supposedly leads.
    #[arg(long, default_value = "rut")]
    lead: String,
    /// The series that supposedly follows.
    #[arg(long, default_value = "btc")]
    lag: String,
    /// daily, weekly (last close of each week ending Friday) or monthly (last of each month).
    #[arg(long, default_value = "weekly")]
    freq: String,
    /// Largest lag tested, in periods.
    #[arg(long, default_value_t = 12)]
    max_lag: usize,
    /// First date used.
    #[arg(long)]
    from: Option<String>,
    /// Last date used.
    #[arg(long)]
    to: Option<String>,
}

pub fn run(app: &App, args: LeadLagArgs) -> Result<()> {
    let (from, to) = (parse_date("from", args.from.as_deref())?, parse_date("to", args.to.as_deref())?);
    let resample: fn(&Series) -> Series = match args.freq.as_str() {
        "daily" => Series::clone,
        "weekly" => to_weekly,
        "monthly" => to_month_end,
        other => return bad(format!("--freq {other}: expected daily, weekly or monthly")),
    };
    if args.max_lag == 0 {
        return bad("--max-lag must be at least 1");
    }
    let store = open_store(app)?;
    let lead = resample(&load::closes(&store, &args.lead)?.between(from, to));
    let lag = resample(&load::closes(&store, &args.lag)?.between(from, to));
    // Returns over periods where both have a value: align the levels first.
    let (dates, values) = align(&[&lead, &lag]);
    let lead_r = log_returns(&Series::new(dates.clone(), values[0].clone())?)?;
    let lag_r = log_returns(&Series::new(dates, values[1].clone())?)?;
    let n = lead_r.len();
    let ccf = cross_correlations(lead_r.values(), lag_r.values(), args.max_lag)?;
    let forward = GrangerCausality::test(lag_r.values(), lead_r.values(), GrangerOptions::new(args.max_lag))?;
    let reverse = GrangerCausality::test(lead_r.values(), lag_r.values(), GrangerOptions::new(args.max_lag))?;
    if app.json {
        let doc = json!({
            "lead": args.lead, "lag": args.lag, "freq": args.freq, "n": n,
            "first": lead_r.first_date(), "last": lead_r.last_date(),
            "ccf": ccf, "granger": forward.tests, "granger_reverse": reverse.tests,
            "best_lag_aic": forward.selection.best_lag_aic, "best_lag_bic": forward.selection.best_lag_bic,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "{} -> {}: {} log returns, {} to {} (n = {n})",
        args.lead,
        args.lag,
        args.freq,
        lead_r.first_date().map(|d| d.to_string()).unwrap_or_default(),
        lead_r.last_date().map(|d| d.to_string()).unwrap_or_default()
    );
    let mut t = Table::new(&[
        "lag",
        "ccf r",
        "band",
        &format!("F {}->{}", args.lead, args.lag),
        "p",
        "p robust",
        "F reverse",
        "p rev",
    ]);
    for (g, r) in forward.tests.iter().zip(&reverse.tests) {
        let c = ccf.iter().find(|c| c.lag == g.lag as i64);
        t.row(vec![
            g.lag.to_string(),
            c.map(|c| format!("{:.3}", c.r)).unwrap_or_default(),
            c.map(|c| format!("{:.3}", c.band)).unwrap_or_default(),
            num(g.f),
            format!("{:.4}", g.p),
            format!("{:.4}", g.p_robust),
            num(r.f),
            format!("{:.4}", r.p),
        ]);
    }
    print!("{t}");
    let r0 = ccf.iter().find(|c| c.lag == 0).map_or(f64::NAN, |c| c.r);
    println!(
        "same-period correlation {r0:.3}; lag chosen by AIC {}, BIC {}",
        forward.selection.best_lag_aic, forward.selection.best_lag_bic
    );
    Ok(())
}
