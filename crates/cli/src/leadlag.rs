//! `riskcurve leadlag`: does one series lead another? Cross-correlations of
//! log returns and Granger causality in both directions.

use anyhow::Result;
use rayon::prelude::*;
use riskcurve_core::{align, log_returns, to_month_end, to_weekly, Date, Series};
use riskcurve_stats::{
    ccf_bootstrap_bands, cross_correlations, rolling_correlation_series, GrangerCausality, GrangerOptions,
    TodaYamamoto, TodaYamamotoOptions,
};
use serde_json::json;

use crate::failure::bad;
use crate::output::{cell, num, Table};
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
    /// Matrix mode: every ordered pair of these series (e.g. dgs10,spx,rut,btc,eth).
    #[arg(long, value_delimiter = ',')]
    all: Vec<String>,
}

/// One cell of the matrix: does `lead` Granger-cause `lag`?
#[derive(serde::Serialize)]
struct Cell {
    lead: String,
    lag: String,
    n: usize,
    r: f64,
    best_lag_aic: usize,
    f: f64,
    p: f64,
    p_robust: f64,
}

/// Daily (as stored), weekly (last close of each week ending Friday) or
/// monthly (last close of each month).
pub fn resampler(freq: &str) -> Result<fn(&Series) -> Series> {
    Ok(match freq {
        "daily" => Series::clone,
        "weekly" => to_weekly,
        "monthly" => to_month_end,
        other => return bad(format!("--freq {other}: expected daily, weekly or monthly")),
    })
}

/// Log returns of two series over the periods both have a value, and their
/// aligned levels.
pub fn paired(
    store: &riskcurve_store::Store,
    a: &str,
    b: &str,
    resample: fn(&Series) -> Series,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Series, Series, Vec<Vec<f64>>)> {
    let x = resample(&load::closes(store, a)?.between(from, to));
    let y = resample(&load::closes(store, b)?.between(from, to));
    let (dates, values) = align(&[&x, &y]);
    let xr = log_returns(&Series::new(dates.clone(), values[0].clone())?)?;
    let yr = log_returns(&Series::new(dates, values[1].clone())?)?;
    Ok((xr, yr, values))
}

/// Every ordered pair, in parallel; the order of the output is the order of the pairs.
fn matrix(
    app: &App,
    args: &LeadLagArgs,
    resample: fn(&Series) -> Series,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<()> {
    let pairs: Vec<(&String, &String)> =
        args.all.iter().flat_map(|a| args.all.iter().filter(move |b| *b != a).map(move |b| (a, b))).collect();
    let cells: Vec<Cell> = pairs
        .par_iter()
        .map(|(a, b)| -> Result<Cell> {
            // One read-only connection per task: a Store is one SQLite connection.
            let store = open_store(app)?;
            let (x, y, _) = paired(&store, a, b, resample, from, to)?;
            let g = GrangerCausality::test(y.values(), x.values(), GrangerOptions::new(args.max_lag))?;
            let best = g.selection.best_lag_aic;
            let t = &g.tests[best - 1];
            let r = cross_correlations(x.values(), y.values(), 0)?[0].r;
            Ok(Cell {
                lead: a.to_string(),
                lag: b.to_string(),
                n: x.len(),
                r,
                best_lag_aic: best,
                f: t.f,
                p: t.p,
                p_robust: t.p_robust,
            })
        })
        .collect::<Result<_>>()?;
    if app.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"freq": args.freq, "max_lag": args.max_lag, "pairs": cells}))?
        );
        return Ok(());
    }
    println!(
        "Granger p (HC1-robust, lag by AIC) that the row series leads the column series; {} log returns",
        args.freq
    );
    let mut header = vec!["lead \\ lag".to_string()];
    header.extend(args.all.iter().cloned());
    let mut t = Table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for a in &args.all {
        let mut row = vec![a.clone()];
        for b in &args.all {
            row.push(
                cells.iter().find(|c| &c.lead == a && &c.lag == b).map_or("-".into(), |c| format!("{:.3}", c.p_robust)),
            );
        }
        t.row(row);
    }
    print!("{t}");
    Ok(())
}

pub fn run(app: &App, args: LeadLagArgs) -> Result<()> {
    let (from, to) = (parse_date("from", args.from.as_deref())?, parse_date("to", args.to.as_deref())?);
    let resample = resampler(&args.freq)?;
    if args.max_lag == 0 {
        return bad("--max-lag must be at least 1");
    }
    if !args.all.is_empty() {
        return matrix(app, &args, resample, from, to);
    }
    let store = open_store(app)?;
    // Returns over periods where both have a value: align the levels first.
    let (lead_r, lag_r, values) = paired(&store, &args.lead, &args.lag, resample, from, to)?;
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
        cell(lead_r.first_date()),
        cell(lead_r.last_date())
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
