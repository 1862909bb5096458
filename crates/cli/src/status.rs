//! `riskcurve status`: is it on now? One screen with every rung and signal,
//! its as-of date, age and staleness. Exit status 10 when the watched
//! signal is ON (for cron), 0 when it is off or unknown.

use anyhow::Result;
use riskcurve_app::human::{days, pct_signed};
use riskcurve_app::status::{status, OnOff, Status, StatusRequest};
use riskcurve_app::App;

use crate::output::{Out, Table, Tone};
use crate::progress::Bar;

/// The exit status of `status` when the watched signal is ON.
pub const EXIT_ON: u8 = 10;

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Do not try the live sources: an empty database is seeded from the embedded snapshot at once.
    #[arg(long, env = "RISKCURVE_OFFLINE")]
    offline: bool,
    /// Which signal's ON sets the exit status to 10: breakout, liquidity, altseason or any.
    #[arg(long, default_value = "breakout", value_parser = ["breakout", "liquidity", "altseason", "any"])]
    exit_on: String,
    /// Leave out the claims verdict counts (the slowest part).
    #[arg(long)]
    no_claims: bool,
}

pub fn run(app: &App, out: &Out, args: StatusArgs) -> Result<u8> {
    let req = StatusRequest { offline: args.offline, skip_claims: args.no_claims };
    let s = status(app, &req, &Bar::new(out.is_json()))?;
    if out.is_json() {
        out.json(&s)?;
    } else {
        print(out, &s);
    }
    let on = match args.exit_on.as_str() {
        "any" => s.signals.iter().any(|x| x.state == OnOff::On),
        id => s.state(id) == OnOff::On,
    };
    Ok(if on { EXIT_ON } else { 0 })
}

fn print(out: &Out, s: &Status) {
    out.line(out.paint(Tone::Bold, format!("riskcurve status on {}", s.today)));
    let note = format!("data: {}", s.data.message);
    out.line(match s.data.origin {
        riskcurve_app::status::DataOrigin::Snapshot => out.paint(Tone::Warn, note),
        _ => out.paint(Tone::Dim, note),
    });
    out.line("");
    let mut t = Table::new(&["signal", "state", "as of", "age", "what the data says"]);
    for sig in &s.signals {
        let state = match sig.state {
            OnOff::On => out.paint(Tone::Good, "ON"),
            OnOff::Off => "OFF".to_string(),
            OnOff::Unknown => out.paint(Tone::Dim, "?"),
        };
        let age = sig.age_days.map(|a| days(a.into())).unwrap_or_default();
        let age = if sig.stale { out.paint(Tone::Warn, format!("{age} STALE")) } else { age };
        t.row(vec![
            sig.id.clone(),
            state,
            sig.as_of.map(|d| d.to_string()).unwrap_or_default(),
            age,
            sig.summary.clone(),
        ]);
    }
    out.table(&t);
    out.line("");
    let mut r = Table::new(&["rung", "", "last", "30 days", "from high", "as of", "age", "source"]);
    for rung in &s.rungs {
        let age = rung.age_days.map(|a| days(a.into())).unwrap_or_default();
        let age = if rung.stale { out.paint(Tone::Warn, format!("{age} STALE")) } else { age };
        r.row(vec![
            rung.rung.clone(),
            rung.name.clone(),
            rung.last_text.clone(),
            rung.change_30d_text.clone(),
            rung.from_high.map(|f| pct_signed(f, 1)).unwrap_or_default(),
            rung.as_of.map(|d| d.to_string()).unwrap_or_default(),
            age,
            rung.source.clone().unwrap_or_default(),
        ]);
    }
    out.table(&r);
    out.line("");
    for line in s.readings("`riskcurve claims` for each") {
        out.line(line);
    }
    for w in &s.warnings {
        out.warn(w);
    }
}
