//! `riskcurve event-study`: what followed each occurrence of a signal, how
//! it compares with every other date, and how often chance does as well.

use anyhow::Result;
use riskcurve_app::event_study::{event_study, Request};
use riskcurve_app::human::{count, p_value, pct, pct_signed};
use riskcurve_app::{bad_input, parse_date, App};
use riskcurve_signals::spec::SignalSpec;
use riskcurve_stats::EventStudy;

use crate::output::{Format, Out, Table, Tone};

#[derive(clap::Args)]
pub struct EventStudyArgs {
    /// The signal, e.g. breakout:rut:min-days=365, level:rut:2600, halving (see README).
    #[arg(long)]
    signal: String,
    /// Targets (comma list): stored series, or `alts` (equal-weight alt basket).
    #[arg(long, value_delimiter = ',', default_value = "btc,eth,alts")]
    targets: Vec<String>,
    /// Horizons in calendar days (comma list; each 1-36500).
    #[arg(long, value_delimiter = ',', default_value = "30,90,180,365", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    horizons: Vec<u32>,
    /// Random placebo sets (0-1000000).
    #[arg(long, default_value_t = 100_000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1_000_000))]
    placebos: usize,
    /// Seed of the placebo draws and the bootstrap.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// De-clustering: drop an event fewer than this many days after the last
    /// kept event (default: the longest horizon; 0 keeps every event).
    #[arg(long)]
    min_gap: Option<u32>,
    /// Days around true events placebo dates may not fall in.
    #[arg(long, default_value_t = 30)]
    exclude_days: u32,
    /// Only events on or after this date.
    #[arg(long)]
    from: Option<String>,
    /// Use data up to this date only (nothing after it is seen).
    #[arg(long)]
    to: Option<String>,
    /// Draw each placebo date from the same halving-cycle year (0-3 years after
    /// the last halving) as the event it stands in for.
    #[arg(long)]
    stratify_halving: bool,
}

pub fn run(app: &App, out: &Out, args: EventStudyArgs) -> Result<()> {
    let spec: SignalSpec = args.signal.parse().map_err(bad_input)?;
    let mut settings = EventStudy::new(&args.horizons)
        .map_err(bad_input)?
        .placebos(args.placebos)
        .seed(args.seed)
        .exclude_days(args.exclude_days);
    if let Some(days) = args.min_gap {
        settings = settings.min_gap(days);
    }
    let req = Request {
        spec: &spec,
        targets: &args.targets,
        study: settings,
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
        stratify_halving: args.stratify_halving,
    };
    let output = event_study(app, &req)?;
    if out.is_json() {
        return out.json(&output);
    }
    let result = &output.result;
    if out.format == Format::Csv {
        // Every event's outcome per target and horizon: the rows behind the averages.
        let mut t = Table::new(&[
            "target",
            "days",
            "event",
            "entry",
            "exit",
            "return",
            "max_runup",
            "max_drawdown",
            "days_to_peak",
            "complete",
        ]);
        for target in &result.targets {
            for h in &target.horizons {
                for e in &h.per_event {
                    t.row(vec![
                        target.target.clone(),
                        h.days.to_string(),
                        e.date.to_string(),
                        e.entry_date.to_string(),
                        e.exit_date.to_string(),
                        e.forward_return.to_string(),
                        e.max_runup.to_string(),
                        e.max_drawdown.to_string(),
                        e.days_to_peak.to_string(),
                        e.complete.to_string(),
                    ]);
                }
            }
        }
        out.table(&t);
        return Ok(());
    }
    let dc = &result.declustering;
    let independent = if dc.min_gap_days == 0 {
        "all counted (de-clustering off)".to_string()
    } else {
        format!(
            "{} independent (an event fewer than {} days after the last kept one is dropped: {} dropped)",
            dc.independent_events,
            count(dc.min_gap_days.into()),
            dc.dropped
        )
    };
    out.line(out.paint(
        Tone::Bold,
        format!(
            "signal {}: {} events, {independent}; entry = first target close strictly after the event date",
            output.signal, dc.events
        ),
    ));
    for target in &result.targets {
        out.line(format!("\n{}", out.paint(Tone::Bold, &target.target)));
        let mut t = Table::new(&["days", "n", "mean", "median", "hit rate", "all dates", "p", "p holm", "95% CI"]);
        let p = |v: Option<f64>| v.map(|v| pct_signed(v, 1)).unwrap_or_default();
        for h in &target.horizons {
            t.row(vec![
                h.days.to_string(),
                h.n.to_string(),
                p(h.mean),
                p(h.median),
                h.hit_rate.map(|v| pct(v, 0)).unwrap_or_default(),
                p(h.baseline_mean),
                h.p_value.map(p_value).unwrap_or_default(),
                h.p_holm.map(p_value).unwrap_or_default(),
                match (h.ci_low, h.ci_high) {
                    (Some(lo), Some(hi)) => format!("{} .. {}", pct_signed(lo, 0), pct_signed(hi, 0)),
                    _ => String::new(),
                },
            ]);
        }
        out.table(&t);
        // Every event on its own, never only as an average.
        let mut e = Table::new(&["event", "entry", "days", "return", "max run-up", "max drawdown", "to peak", ""]);
        for h in &target.horizons {
            for ev in &h.per_event {
                e.row(vec![
                    ev.date.to_string(),
                    ev.entry_date.to_string(),
                    h.days.to_string(),
                    pct_signed(ev.forward_return, 1),
                    pct_signed(ev.max_runup, 1),
                    pct_signed(ev.max_drawdown, 1),
                    format!("{} d", count(ev.days_to_peak.into())),
                    if ev.complete { String::new() } else { out.paint(Tone::Warn, "so far") },
                ]);
            }
        }
        if !e.is_empty() {
            out.line("  each event:");
            out.table(&e);
        }
        if target.target == "alts" && !output.alt_basket.is_empty() {
            out.line("  the basket on each event date:");
            let mut b = Table::new(&["event", "holds", "membership"]);
            for h in &output.alt_basket {
                let r = &h.rebalance;
                b.row(vec![
                    h.event.to_string(),
                    format!("{} {}", r.held, if r.held == 1 { "coin" } else { "coins" }),
                    match r.snapshot {
                        Some(_) => r.membership(),
                        None => out.paint(Tone::Warn, r.membership()),
                    },
                ]);
            }
            out.table(&b);
        }
    }
    for w in &output.warnings {
        out.line(out.paint(Tone::Warn, format!("warning: {w}")));
    }
    out.line(format!("\n{}", result.verdict));
    Ok(())
}
