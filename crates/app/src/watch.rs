//! Alerts: rules in a TOML file, evaluated on the stored data; each new alert
//! is recorded once in the database and delivered to webhooks (Slack and
//! Discord accept the body) and/or a command, with retries.
//!
//! A rule fires on its most recent event (a breakout, a level crossing, a
//! regime or stage change, a threshold crossing) when that event is at most
//! `max_age_days` (default 7) older than the data's last date: a watcher
//! started on years of history sends what is new, not the whole past. An
//! alert is keyed by rule and event, recorded before delivery and marked
//! delivered only when every channel accepted it, so a restart resends
//! nothing delivered and retries what was not.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use riskcurve_core::{Calendar, Date};
use riskcurve_signals::altseason::AltseasonParams;
use riskcurve_signals::breakout::{level_crossings, BreakoutReport};
use riskcurve_signals::cycles::HALVINGS;
use riskcurve_signals::rotation::{RotationParams, DEFAULT_RUNGS};
use riskcurve_signals::spec::{Cmp, Regime, SignalSpec};
use riskcurve_store::{NewAlert, StoredAlert};
use serde::{Deserialize, Serialize};

use crate::human::{price, usd_millions, usd_millions_signed};
use crate::{altseason, bad, bad_input, liquidity, load, rotation, App, Result};

/// Events older than this many days (to the data's last date) do not fire.
const DEFAULT_MAX_AGE_DAYS: i32 = 7;

/// One rule as written in the rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    signal: Option<String>,
    change: Option<String>,
    max_age_days: Option<i32>,
    /// The format before signal specs; read only to point at the new one.
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default, rename = "rule")]
    rules: Vec<RawRule>,
}

/// What a rule watches.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// The newest event of a signal spec (README "Signal specs"): a
    /// breakout, a level crossing, the onset of a liquidity regime or of an
    /// altseason threshold, a halving.
    Signal(SignalSpec),
    /// Net liquidity's regime changes, either way.
    LiquidityChange,
    /// The rotation's stage changes.
    RotationChange,
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its name (unique in the file).
    pub name: String,
    /// What it watches.
    pub kind: RuleKind,
    /// Events older than this (to the data's last date) do not fire.
    pub max_age_days: i32,
}

impl Rule {
    fn kind_name(&self) -> &'static str {
        match &self.kind {
            RuleKind::Signal(SignalSpec::Breakout { .. }) => "breakout",
            RuleKind::Signal(SignalSpec::Level { .. }) => "level",
            RuleKind::Signal(SignalSpec::Liquidity { .. }) | RuleKind::LiquidityChange => "liquidity",
            RuleKind::Signal(SignalSpec::Altseason { .. }) => "altseason",
            RuleKind::Signal(SignalSpec::Halving) => "halving",
            RuleKind::RotationChange => "rotation",
        }
    }
}

/// Reads and validates a rules file; every problem names the file and the rule.
pub fn load_rules(path: &Path) -> Result<Vec<Rule>> {
    let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    parse_rules(&text, &path.display().to_string())
}

/// Parses rules from TOML text; `origin` names it in errors.
pub fn parse_rules(text: &str, origin: &str) -> Result<Vec<Rule>> {
    let file: RulesFile = toml::from_str(text).map_err(|e| {
        bad_input(format!("{origin}: {}", e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    if file.rules.is_empty() {
        return bad(format!("{origin}: no [[rule]] in the file"));
    }
    let mut rules: Vec<Rule> = Vec::new();
    for r in file.rules {
        let at = format!("{origin}: rule {:?}", r.name);
        if r.name.trim().is_empty() {
            return bad(format!("{origin}: a rule has an empty name"));
        }
        if rules.iter().any(|x| x.name == r.name) {
            return bad(format!("{at}: the name is used twice"));
        }
        let kind = match (r.signal.as_deref(), r.change.as_deref(), r.kind.as_deref()) {
            (_, _, Some(kind)) => {
                return bad(format!(
                    "{at}: `kind = {kind:?}` is the old rule format: write `signal = \"SPEC\"` (e.g. \
                     \"breakout:rut:min-days=365\") or `change = \"liquidity\"` / `\"rotation\"` (README, Alerts)"
                ))
            }
            (Some(spec), None, None) => {
                RuleKind::Signal(spec.parse().map_err(|e| bad_input(format!("{at}: signal {spec:?}: {e}")))?)
            }
            (None, Some("liquidity"), None) => RuleKind::LiquidityChange,
            (None, Some("rotation"), None) => RuleKind::RotationChange,
            (None, Some(other), None) => return bad(format!("{at}: change {other:?}: expected liquidity or rotation")),
            (Some(_), Some(_), None) => return bad(format!("{at}: give `signal` or `change`, not both")),
            (None, None, None) => return bad(format!("{at}: needs `signal = \"SPEC\"` or `change = \"liquidity\"`")),
        };
        let max_age_days = r.max_age_days.unwrap_or(DEFAULT_MAX_AGE_DAYS);
        if !(0..=36_500).contains(&max_age_days) {
            return bad(format!("{at}: max_age_days {max_age_days} is not within 0..36500"));
        }
        rules.push(Rule { name: r.name, kind, max_age_days });
    }
    Ok(rules)
}

/// A rule's latest event, whether or not it is recent enough to fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firing {
    /// The rule's name.
    pub rule: String,
    /// The rule's kind.
    pub kind: String,
    /// What fired, unique per rule.
    pub key: String,
    /// The event's date.
    pub event_date: Date,
    /// The data's last date.
    pub as_of: Date,
    /// The message for people.
    pub message: String,
    /// The values behind it.
    pub values: serde_json::Value,
}

/// The latest event of each rule (rules with no event give none; a rule whose
/// data is missing gives a warning).
pub fn evaluate(app: &App, rules: &[Rule]) -> Result<(Vec<Firing>, Vec<String>)> {
    let store = app.open_store()?;
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    for rule in rules {
        match latest_event(app, &store, rule) {
            Ok(Some(f)) => out.push(f),
            Ok(None) => {}
            Err(e) => warnings.push(format!("rule {}: {}", rule.name, e.one_line())),
        }
    }
    Ok((out, warnings))
}

fn firing(
    rule: &Rule,
    key: String,
    event_date: Date,
    as_of: Date,
    message: String,
    values: serde_json::Value,
) -> Firing {
    Firing { rule: rule.name.clone(), kind: rule.kind_name().into(), key, event_date, as_of, message, values }
}

fn latest_event(app: &App, store: &riskcurve_store::Store, rule: &Rule) -> Result<Option<Firing>> {
    Ok(match &rule.kind {
        RuleKind::Signal(SignalSpec::Breakout { series, params }) => {
            let bars = load::bars_or_ratio(store, series)?;
            let report = BreakoutReport::new(series, &bars, *params)?;
            let as_of = report.status.last_date;
            report.events.last().map(|e| {
                let message = format!(
                    "{series} broke out on {}: close {} above its all-time high {} of {} ({} days earlier); data as of {as_of}",
                    e.date,
                    price(e.close),
                    price(e.prior_high),
                    e.prior_high_date,
                    e.days_since_prior_high
                );
                firing(rule, e.date.to_string(), e.date, as_of, message, serde_json::to_value(e).unwrap_or_default())
            })
        }
        RuleKind::Signal(SignalSpec::Level { series, level, basis }) => {
            let bars = load::bars_or_ratio(store, series)?;
            let as_of = bars.bars().last().map(|b| b.date);
            level_crossings(&bars, *level, *basis).last().zip(as_of).map(|(e, as_of)| {
                let message = format!(
                    "{series} closed above {} on {} at {} (below since {}); data as of {as_of}",
                    price(*level),
                    e.date,
                    price(e.close),
                    e.previous_below_date
                );
                firing(rule, e.date.to_string(), e.date, as_of, message, serde_json::to_value(e).unwrap_or_default())
            })
        }
        RuleKind::Signal(SignalSpec::Liquidity { regime }) => liquidity_change(app, store, rule, Some(*regime))?,
        RuleKind::LiquidityChange => liquidity_change(app, store, rule, None)?,
        RuleKind::Signal(SignalSpec::Altseason { rule: which, op, threshold }) => {
            let params = AltseasonParams { rule: which.parse()?, ..AltseasonParams::default() };
            let rows = altseason::report(app, store, &params)?.observations;
            let holds = |v: f64| op.holds(v, *threshold);
            let as_of = rows.last().map(|r| r.date);
            let cross = rows.windows(2).rev().find(|w| holds(w[1].index) && !holds(w[0].index));
            cross.zip(as_of).map(|(w, as_of)| {
                let r = &w[1];
                let side = if *op == Cmp::Ge { "rose to" } else { "fell to" };
                let message = format!(
                    "the altseason index ({which}) {side} {:.0} on {} ({} coins; threshold {threshold}); data as of {as_of}",
                    r.index, r.date, r.n_coins
                );
                firing(rule, r.date.to_string(), r.date, as_of, message, serde_json::to_value(r).unwrap_or_default())
            })
        }
        RuleKind::Signal(SignalSpec::Halving) => {
            let btc = load::closes(store, "btc")?;
            let as_of = btc.last_date();
            HALVINGS.iter().rev().find(|h| as_of.is_some_and(|a| **h <= a)).zip(as_of).map(|(h, as_of)| {
                let message = format!("the Bitcoin halving of {h}; data as of {as_of}");
                firing(rule, h.to_string(), *h, as_of, message, serde_json::json!({ "halving": h }))
            })
        }
        RuleKind::RotationChange => {
            let req = rotation::RotationRequest {
                rungs: DEFAULT_RUNGS.iter().map(|(n, _)| n.to_string()).collect(),
                params: RotationParams::default(),
                from: None,
                to: None,
            };
            let rows = rotation::rotation(app, &req)?.observations;
            let as_of = rows.last().map(|r| r.date);
            let change = rows.windows(2).rev().find(|w| w[1].stage != w[0].stage);
            change.zip(as_of).map(|(w, as_of)| {
                let r = &w[1];
                let message = format!(
                    "the rotation moved from stage {} to stage {} \"{}\" in the week of {}; data as of {as_of}",
                    w[0].stage, r.stage, r.stage_name, r.date
                );
                let values = serde_json::json!({"from": w[0].stage, "stage": r.stage, "stage_name": r.stage_name});
                firing(rule, format!("{}:{}", r.date, r.stage), r.date, as_of, message, values)
            })
        }
    })
}

/// The newest change of net liquidity's regime (into `into`, when given).
/// The first row with a regime is no change (issue 10 item 23).
fn liquidity_change(
    app: &App,
    store: &riskcurve_store::Store,
    rule: &Rule,
    into: Option<Regime>,
) -> Result<Option<Firing>> {
    let rows = liquidity::report(app, store, Calendar::Nyse, None, None, 0.0)?.observations;
    let as_of = rows.last().map(|r| r.date);
    let change = rows.windows(2).rev().find(|w| {
        w[1].regime.is_some()
            && w[0].regime.is_some()
            && w[1].regime != w[0].regime
            && into.is_none_or(|g| w[1].regime == Some(g))
    });
    Ok(change.zip(as_of).map(|(w, as_of)| {
        let r = &w[1];
        let regime = r.regime.map(|g| g.to_string()).unwrap_or_default();
        let message = format!(
            "net liquidity turned {regime} on {}: {} with a 13-week change of {}; data as of {as_of}",
            r.date,
            usd_millions(r.net_liquidity),
            r.change_13w.map(usd_millions_signed).unwrap_or_default()
        );
        let values =
            serde_json::json!({"regime": regime, "net_liquidity": r.net_liquidity, "change_13w": r.change_13w});
        firing(rule, format!("{}:{regime}", r.date), r.date, as_of, message, values)
    }))
}

/// Where alerts go and how hard to try.
#[derive(Debug, Clone)]
pub struct Channels {
    /// Webhook URLs: each gets a JSON POST (`text` for Slack, `content` for Discord, `alert` with the details).
    pub webhooks: Vec<String>,
    /// A command run with `sh -c`; the alert's JSON on stdin and in `RISKCURVE_ALERT_JSON`.
    pub exec: Option<String>,
    /// Retries of a failed delivery within one run.
    pub retries: u32,
    /// The first retry's wait; doubled each time.
    pub backoff: Duration,
    /// Timeout of one delivery attempt.
    pub timeout: Duration,
}

/// One watch cycle: what was seen, recorded and delivered.
#[derive(Debug, Clone, Serialize)]
pub struct WatchReport {
    /// The latest event of each rule, recent or not.
    pub latest: Vec<Firing>,
    /// Alerts recorded in this cycle.
    pub new: Vec<StoredAlert>,
    /// Ids of alerts delivered in this cycle (new ones and earlier failures).
    pub delivered: Vec<i64>,
    /// Alerts still undelivered after the retries, with the last error.
    pub failed: Vec<(i64, String)>,
    /// Rules that could not be evaluated.
    pub warnings: Vec<String>,
}

/// Evaluates the rules, records what is new and recent, and delivers every
/// pending alert.
pub fn watch_once(app: &App, rules: &[Rule], channels: &Channels) -> Result<WatchReport> {
    if channels.webhooks.is_empty() && channels.exec.is_none() {
        return bad("watch: name at least one --webhook URL or --exec CMD");
    }
    let (latest, warnings) = evaluate(app, rules)?;
    let mut store = app.open_store_for_writing()?;
    let mut new = Vec::new();
    for f in latest.iter().filter(|f| f.as_of.days_since(f.event_date) <= max_age(rules, &f.rule)) {
        let payload = serde_json::to_string(f).unwrap_or_default();
        let alert = NewAlert {
            rule: &f.rule,
            key: &f.key,
            kind: &f.kind,
            as_of: &f.as_of.to_string(),
            created_at: &app.now,
            message: &f.message,
            payload: &payload,
        };
        if let Some(stored) = store.record_alert(&alert)? {
            new.push(stored);
        }
    }
    let (mut delivered, mut failed) = (Vec::new(), Vec::new());
    for alert in store.pending_alerts()? {
        match deliver(&alert, channels) {
            Ok(()) => {
                store.mark_alert(alert.id, Some(&app.now), None)?;
                delivered.push(alert.id);
            }
            Err(e) => {
                store.mark_alert(alert.id, None, Some(&e))?;
                failed.push((alert.id, e));
            }
        }
    }
    Ok(WatchReport { latest, new, delivered, failed, warnings })
}

fn max_age(rules: &[Rule], name: &str) -> i32 {
    rules.iter().find(|r| r.name == name).map_or(DEFAULT_MAX_AGE_DAYS, |r| r.max_age_days)
}

/// Sends one alert to every channel, retrying each with exponential backoff.
fn deliver(alert: &StoredAlert, channels: &Channels) -> Result<(), String> {
    let details: serde_json::Value = serde_json::from_str(&alert.payload).unwrap_or_default();
    let text = format!("riskcurve alert [{}]: {}", alert.rule, alert.message);
    let body = serde_json::json!({ "text": text, "content": text, "alert": details });
    for url in &channels.webhooks {
        retry(channels, || post(url, &body, channels.timeout))?;
    }
    if let Some(cmd) = &channels.exec {
        retry(channels, || run_command(cmd, alert, &body))?;
    }
    Ok(())
}

fn retry(channels: &Channels, mut attempt: impl FnMut() -> Result<(), String>) -> Result<(), String> {
    let mut wait = channels.backoff;
    for n in 0..=channels.retries {
        match attempt() {
            Ok(()) => return Ok(()),
            Err(e) if n == channels.retries => return Err(e),
            Err(_) => {
                std::thread::sleep(wait);
                wait = wait.saturating_mul(2);
            }
        }
    }
    unreachable!("the last attempt returns")
}

fn post(url: &str, body: &serde_json::Value, timeout: Duration) -> Result<(), String> {
    let agent = ureq::AgentBuilder::new().timeout(timeout).build();
    match agent.post(url).set("Content-Type", "application/json").send_string(&body.to_string()) {
        Ok(_) => Ok(()),
        Err(ureq::Error::Status(code, _)) => Err(format!("{}: HTTP {code}", shown_url(url))),
        Err(e) => Err(format!("{}: {}", shown_url(url), e.kind())),
    }
}

/// A webhook URL without its path: the path of a Slack or Discord webhook is its secret.
fn shown_url(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    format!("{}/...", &url[..end])
}

fn run_command(cmd: &str, alert: &StoredAlert, body: &serde_json::Value) -> Result<(), String> {
    let json = body.to_string();
    // The JSON reaches stdin from a file, not a pipe: a command that never
    // reads it must not kill this process with SIGPIPE (the binary restores
    // SIGPIPE's default so that `riskcurve ... | head` stops quietly).
    let path = std::env::temp_dir().join(format!("riskcurve-alert-{}-{}.json", std::process::id(), alert.id));
    std::fs::write(&path, &json).map_err(|e| format!("--exec: {}: {e}", path.display()))?;
    let stdin = std::fs::File::open(&path).map_err(|e| format!("--exec: {}: {e}", path.display()));
    let status = stdin.and_then(|stdin| {
        Command::new("sh")
            .args(["-c", cmd])
            .env("RISKCURVE_ALERT_RULE", &alert.rule)
            .env("RISKCURVE_ALERT_MESSAGE", &alert.message)
            .env("RISKCURVE_ALERT_JSON", &json)
            .stdin(Stdio::from(stdin))
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("--exec: {e}"))
    });
    let _ = std::fs::remove_file(&path);
    match status? {
        s if s.success() => Ok(()),
        s => Err(format!("--exec: exited with {s}")),
    }
}

/// The alert history, newest first.
pub fn history(app: &App, limit: usize) -> Result<Vec<StoredAlert>> {
    Ok(app.open_store()?.alerts(limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_validated_with_the_file_and_rule_named() {
        let ok = parse_rules(
            "[[rule]]\nname = \"rut\"\nsignal = \"breakout:rut\"\n\n[[rule]]\nname = \"alt\"\nsignal = \"altseason:blockchaincenter>=75\"\n\n[[rule]]\nname = \"liq\"\nchange = \"liquidity\"\nmax_age_days = 30\n",
            "rules.toml",
        )
        .unwrap();
        assert_eq!(ok.len(), 3);
        assert_eq!((ok[0].max_age_days, ok[2].max_age_days), (7, 30));
        assert_eq!(ok[1].kind, RuleKind::Signal("altseason:blockchaincenter>=75".parse().unwrap()));
        assert_eq!((ok[0].kind_name(), ok[1].kind_name(), ok[2].kind_name()), ("breakout", "altseason", "liquidity"));
        let err = |text: &str| parse_rules(text, "rules.toml").unwrap_err().to_string();
        assert!(err("[[rule]]\nname = \"a\"\nsignal = \"moon:rut\"\n")
            .contains("rules.toml: rule \"a\": signal \"moon:rut\""));
        assert!(err("[[rule]]\nname = \"a\"\nkind = \"breakout\"\n").contains("the old rule format"));
        assert!(err("[[rule]]\nname = \"a\"\nchange = \"moon\"\n").contains("expected liquidity or rotation"));
        assert!(err("[[rule]]\nname = \"a\"\n").contains("needs `signal"));
        assert!(err("[[rule]]\nname = \"a\"\nsignal = \"halving\"\nchange = \"rotation\"\n").contains("not both"));
        assert!(err("[[rule]]\nname = \"a\"\nchange = \"rotation\"\n[[rule]]\nname = \"a\"\nchange = \"rotation\"\n")
            .contains("used twice"));
        assert!(err("").contains("no [[rule]]"));
        assert!(err("[[rule]]\nname = \"a\"\nsignal = \"altseason:cmc>=150\"\n").contains("0..=100"));
        assert!(err("[[rule]]\nname = \"a\"\nsignal = \"breakout:rut\"\nbogus = 1\n").contains("bogus"));
    }

    #[test]
    fn webhook_secrets_are_not_shown() {
        assert_eq!(shown_url("https://hooks.slack.com/services/T000/B000/XXXX"), "https://hooks.slack.com/...");
        assert_eq!(shown_url("http://127.0.0.1:9/hook"), "http://127.0.0.1:9/...");
    }
}
