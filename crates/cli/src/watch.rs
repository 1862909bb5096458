//! `riskcurve watch` (alerts when a rule fires) and `riskcurve alerts` (the history).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use riskcurve_app::update::{update, UpdateRequest};
use riskcurve_app::watch::{history, load_rules, watch_once, Channels, WatchReport};
use riskcurve_app::{bad_input, App, NoProgress};

use crate::output::{Out, Table, Tone};

#[derive(clap::Args)]
pub struct WatchArgs {
    /// The rules (TOML; see README and `rules/example.toml`).
    #[arg(long, default_value = "rules/example.toml")]
    rules: PathBuf,
    /// Webhook URL(s) for a JSON POST (Slack and Discord incoming webhooks accept it); comma list or repeated.
    #[arg(long, value_delimiter = ',', env = "RISKCURVE_WEBHOOK", hide_env_values = true)]
    webhook: Vec<String>,
    /// A command run for each alert (`sh -c`): the alert's JSON on stdin and in RISKCURVE_ALERT_JSON.
    #[arg(long)]
    exec: Option<String>,
    /// Time between cycles: 30m, 6h, 1d.
    #[arg(long, default_value = "6h")]
    every: String,
    /// One cycle, then exit.
    #[arg(long)]
    once: bool,
    /// Do not fetch before evaluating (judge the stored data as it is).
    #[arg(long)]
    no_update: bool,
    /// Retries of a failed delivery (exponential backoff).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=10))]
    retries: u32,
    /// The first retry's wait, in milliseconds (doubled each retry).
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    backoff_ms: u64,
}

#[derive(clap::Args)]
pub struct AlertsArgs {
    /// How many of the most recent alerts.
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

/// `30m`, `6h`, `1d`, `90s`: a cycle length of 1 minute to 7 days.
fn interval(text: &str) -> Result<Duration> {
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = digits.parse().map_err(|_| bad_input(format!("--every {text}: expected e.g. 30m, 6h or 1d")))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(bad_input(format!("--every {text}: the unit is s, m, h or d")).into()),
    };
    if !(60..=7 * 86_400).contains(&secs) {
        return Err(bad_input(format!("--every {text}: between 1 minute and 7 days")).into());
    }
    Ok(Duration::from_secs(secs))
}

pub fn run(app: &App, out: &Out, args: WatchArgs) -> Result<()> {
    let rules = load_rules(&args.rules)?;
    let every = interval(&args.every)?;
    let channels = Channels {
        webhooks: args.webhook.clone(),
        exec: args.exec.clone(),
        retries: args.retries,
        backoff: Duration::from_millis(args.backoff_ms),
        timeout: Duration::from_secs(10),
    };
    loop {
        // A fresh clock each cycle: the watcher runs for days.
        let app = App::at(app.db.clone(), app.catalog.clone(), crate::now_unix());
        if !args.no_update {
            // Fresh data first; offline, the stored data is judged as it is.
            if let Ok(r) = update(&app, &UpdateRequest::default(), &NoProgress) {
                if let Some(summary) = r.failure_summary() {
                    out.warn(summary);
                }
            }
        }
        let report = watch_once(&app, &rules, &channels)?;
        print(out, &app, &report)?;
        if args.once {
            return if report.failed.is_empty() {
                Ok(())
            } else {
                Err(riskcurve_app::AppError::Failed(format!("{} alert(s) could not be delivered", report.failed.len()))
                    .into())
            };
        }
        std::thread::sleep(every);
    }
}

fn print(out: &Out, app: &App, r: &WatchReport) -> Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    out.line(format!("{} watch: {} rule(s) evaluated, {} new alert(s)", app.now, r.latest.len(), r.new.len()));
    for a in &r.new {
        out.line(format!("  {} {}", out.paint(Tone::Good, format!("[{}]", a.rule)), a.message));
    }
    if !r.delivered.is_empty() {
        out.line(format!("  delivered: {} alert(s)", r.delivered.len()));
    }
    for (id, e) in &r.failed {
        out.warn(format!("alert {id} not delivered: {e}"));
    }
    for w in &r.warnings {
        out.warn(w);
    }
    Ok(())
}

pub fn alerts(app: &App, out: &Out, args: AlertsArgs) -> Result<()> {
    let all = history(app, args.limit)?;
    if out.is_json() {
        return out.json(&all);
    }
    let mut t = Table::new(&["id", "rule", "kind", "as of", "recorded", "delivered", "tries", "message"]);
    for a in &all {
        let delivered = match &a.delivered_at {
            Some(d) => d.clone(),
            None => out.paint(Tone::Warn, format!("pending ({})", a.last_error.clone().unwrap_or_default())),
        };
        t.row(vec![
            a.id.to_string(),
            a.rule.clone(),
            a.kind.clone(),
            a.as_of.clone(),
            a.created_at.clone(),
            delivered,
            a.attempts.to_string(),
            a.message.clone(),
        ]);
    }
    out.table(&t);
    if all.is_empty() {
        out.line("no alerts yet: `riskcurve watch --once --webhook URL` evaluates the rules");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_and_are_bounded() {
        assert_eq!(interval("6h").unwrap(), Duration::from_secs(6 * 3600));
        assert_eq!(interval("30m").unwrap(), Duration::from_secs(1800));
        assert!(interval("5s").is_err());
        assert!(interval("8d").is_err());
        assert!(interval("6x").is_err());
        assert!(interval("h").is_err());
    }
}
