//! `riskcurve leadlag`: does one series lead another?

use anyhow::Result;
use riskcurve_app::human::p_value;
use riskcurve_app::leadlag::{leadlag, LeadLag, LeadLagMatrix, LeadLagRequest, LeadLagResult};
use riskcurve_app::{parse_date, App};

use crate::output::{cell, Out, Table};

#[derive(clap::Args)]
pub struct LeadLagArgs {
    /// The series that supposedly leads.
    #[arg(long, default_value = "rut")]
    lead: String,
    /// The series that supposedly follows.
    #[arg(long, default_value = "btc")]
    lag: String,
    /// daily, weekly (last common close of each week ending Friday) or monthly (last common
    /// close of each month); a final period partial for either series is dropped.
    #[arg(long, visible_alias = "frequency", default_value = "weekly")]
    freq: String,
    /// Largest lag tested, in periods (1-1000, and at most (n - 6) / 5 for n paired returns).
    #[arg(long, default_value_t = 12, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000))]
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
    /// Bootstrap replications of the cross-correlation bands (0-100000).
    #[arg(long, default_value_t = 999, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=100_000))]
    replications: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Matrix mode: every ordered pair of these series (e.g. dgs10,spx,rut,btc,eth).
    #[arg(long, value_delimiter = ',')]
    all: Vec<String>,
}

pub fn run(app: &App, out: &Out, args: LeadLagArgs) -> Result<()> {
    let req = LeadLagRequest {
        lead: args.lead,
        lag: args.lag,
        freq: args.freq,
        max_lag: args.max_lag,
        from: parse_date("from", args.from.as_deref())?,
        to: parse_date("to", args.to.as_deref())?,
        window: args.window,
        replications: args.replications,
        seed: args.seed,
        all: args.all,
    };
    let result = leadlag(app, &req)?;
    if out.is_json() {
        return out.json(&result);
    }
    match result {
        LeadLagResult::Pair(r) => pair(out, &r),
        LeadLagResult::Matrix(m) => matrix(out, &m),
    }
    Ok(())
}

fn matrix(out: &Out, m: &LeadLagMatrix) {
    out.line(format!(
        "Granger p (HC1-robust, lag by AIC) that the row series leads the column series; {} returns \
         (log returns of prices, negated changes of rates)",
        m.freq
    ));
    let mut header = vec!["lead \\ lag".to_string()];
    header.extend(m.series.iter().cloned());
    let mut t = Table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for a in &m.series {
        let mut row = vec![a.clone()];
        for b in &m.series {
            let c = m.pairs.iter().find(|c| &c.lead == a && &c.lag == b);
            row.push(c.map_or("-".into(), |c| p_value(c.p_robust)));
        }
        t.row(row);
    }
    out.table(&t);
    for note in &m.notes {
        out.line(format!("note: {note}"));
    }
}

fn pair(out: &Out, r: &LeadLag) {
    out.line(format!(
        "{} -> {}: {} returns, {} to {} (n = {})",
        r.lead,
        r.lag,
        r.freq,
        cell(r.first),
        cell(r.last),
        r.n
    ));
    for note in &r.notes {
        out.line(format!("note: {note}"));
    }
    let mut t = Table::new(&[
        "lag",
        "ccf r",
        "band",
        "boot low",
        "boot high",
        &format!("F {}->{}", r.lead, r.lag),
        "p",
        "p robust",
        "F reverse",
        "p rev",
    ]);
    for (g, rev) in r.granger.iter().zip(&r.granger_reverse) {
        let c = r.ccf.iter().find(|c| c.lag == g.lag as i64);
        let b = r.ccf_bands.bands.iter().find(|b| b.lag == g.lag as i64);
        t.row(vec![
            g.lag.to_string(),
            c.map(|c| format!("{:.3}", c.r)).unwrap_or_default(),
            c.map(|c| format!("{:.3}", c.band)).unwrap_or_default(),
            b.map(|b| format!("{:.3}", b.low)).unwrap_or_default(),
            b.map(|b| format!("{:.3}", b.high)).unwrap_or_default(),
            format!("{:.2}", g.f),
            p_value(g.p),
            p_value(g.p_robust),
            format!("{:.2}", rev.f),
            p_value(rev.p),
        ]);
    }
    out.table(&t);
    let r0 = r.ccf.iter().find(|c| c.lag == 0).map_or(f64::NAN, |c| c.r);
    out.line(format!("same-period correlation {r0:.3}; lag chosen by AIC {}, BIC {}", r.best_lag_aic, r.best_lag_bic));
    let (f, rv) = (&r.toda_yamamoto.forward, &r.toda_yamamoto.reverse);
    out.line(format!(
        "Toda-Yamamoto on levels (p = {}, d_max = {}): {} -> {} chi2 {:.2} p {} (HC1 p {}); reverse chi2 {:.2} p {}",
        f.lag,
        f.d_max,
        r.lead,
        r.lag,
        f.chi2,
        p_value(f.p),
        p_value(f.p_robust),
        rv.chi2,
        p_value(rv.p)
    ));
    let window = r.rolling_correlation.window;
    if let Some((date, v)) = r.rolling_correlation.observations.iter().rev().find_map(|p| p.r.map(|v| (p.date, v))) {
        out.line(format!("rolling {window}-period correlation on {date}: {v:.3}"));
    }
}
