//! `riskcurve leadlag`: does one series lead another? Cross-correlations of
//! log returns and Granger causality in both directions.

use anyhow::Result;
use riskcurve_core::{align, log_returns, to_month_end, to_weekly, Series};
use riskcurve_stats::{
    ccf_bootstrap_bands, cross_correlations, rolling_correlation_series, GrangerCausality, GrangerOptions,
    TodaYamamoto, TodaYamamotoOptions,
};
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
    /// Window of the rolling correlation (default: 52 weekly, 90 daily, 12 monthly periods).
    #[arg(long)]
    window: Option<usize>,
    /// Bootstrap replications of the cross-correlation bands.
    #[arg(long, default_value_t = 999)]
    replications: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 42)]
    seed: u64,
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
    let bands = ccf_bootstrap_bands(lead_r.values(), lag_r.values(), args.max_lag, args.replications, args.seed)?;
    let window = args.window.unwrap_or(match args.freq.as_str() {
        "daily" => 90,
        "weekly" => 52,
        _ => 12,
    });
    let rolling = rolling_correlation_series(&lead_r, &lag_r, window)?;
    // Toda-Yamamoto works on log levels (no differencing), lag order by AIC.
    let (lead_l, lag_l): (Vec<f64>, Vec<f64>) =
        (values[0].iter().map(|v| v.ln()).collect(), values[1].iter().map(|v| v.ln()).collect());
    let ty_forward = TodaYamamoto::test(&lag_l, &lead_l, TodaYamamotoOptions::aic(args.max_lag))?;
    let ty_reverse = TodaYamamoto::test(&lead_l, &lag_l, TodaYamamotoOptions::aic(args.max_lag))?;
    if app.json {
        let doc = json!({
            "lead": args.lead, "lag": args.lag, "freq": args.freq, "n": n,
            "first": lead_r.first_date(), "last": lead_r.last_date(),
            "ccf": ccf, "ccf_bands": bands, "granger": forward.tests, "granger_reverse": reverse.tests,
            "best_lag_aic": forward.selection.best_lag_aic, "best_lag_bic": forward.selection.best_lag_bic,
            "toda_yamamoto": {"forward": ty_forward, "reverse": ty_reverse},
            "rolling_correlation": {"window": window, "observations": rolling},
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
        "boot low",
        "boot high",
        &format!("F {}->{}", args.lead, args.lag),
        "p",
        "p robust",
        "F reverse",
        "p rev",
    ]);
    for (g, r) in forward.tests.iter().zip(&reverse.tests) {
        let c = ccf.iter().find(|c| c.lag == g.lag as i64);
        let b = bands.bands.iter().find(|b| b.lag == g.lag as i64);
        t.row(vec![
            g.lag.to_string(),
            c.map(|c| format!("{:.3}", c.r)).unwrap_or_default(),
            c.map(|c| format!("{:.3}", c.band)).unwrap_or_default(),
            b.map(|b| format!("{:.3}", b.low)).unwrap_or_default(),
            b.map(|b| format!("{:.3}", b.high)).unwrap_or_default(),
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
    println!(
        "Toda-Yamamoto on log levels (p = {}, d_max = {}): {} -> {} chi2 {:.3} p {:.4} (HC1 p {:.4}); reverse chi2 {:.3} p {:.4}",
        ty_forward.lag,
        ty_forward.d_max,
        args.lead,
        args.lag,
        ty_forward.chi2,
        ty_forward.p,
        ty_forward.p_robust,
        ty_reverse.chi2,
        ty_reverse.p
    );
    if let Some((date, r)) = rolling.iter().rev().find_map(|p| p.r.map(|r| (p.date, r))) {
        println!("rolling {window}-period correlation on {date}: {r:.3}");
    }
    Ok(())
}
