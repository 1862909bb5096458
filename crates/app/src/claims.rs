//! `riskcurve claims`: the seed articles' claims as explicit hypotheses
//! (`claims/default.toml`, plus the user's), each run on the stored data
//! and given a verdict with its evidence, under its own definition and under
//! the other reasonable definitions it lists.

use riskcurve_core::{Date, Series, SeriesId};
use riskcurve_signals::breakout::Basis;
use riskcurve_signals::cycles::halving_cycles;
use riskcurve_signals::spec::SignalSpec;
use riskcurve_stats::{cross_correlations, EventStudy, GrangerCausality, GrangerOptions};
use riskcurve_store::Store;
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use crate::event_study::{study, Request};
use crate::leadlag::{paired, resampler};
use crate::{bad, bad_input, liquidity, load, App, AppError, Result};

/// An error inside one claim's evaluation (it becomes that claim's evidence).
fn fail(msg: impl std::fmt::Display) -> AppError {
    AppError::Failed(msg.to_string())
}

const DEFAULT_CLAIMS: &str = include_str!("../../../claims/default.toml");

/// Below this many events or pairs nothing is concluded, whatever the p-value.
const MIN_N: usize = 8;

/// What `claims` asks for.
#[derive(Debug, Clone, Default)]
pub struct ClaimsRequest {
    /// Judge the claims on the data up to this date.
    pub as_of: Option<Date>,
    /// More claims in the same form, read after the default ones.
    pub claims_file: Option<std::path::PathBuf>,
    /// Only these claim ids (an unknown id is an error).
    pub ids: Vec<String>,
    /// Placebo sets of the event-study claims.
    pub placebos: usize,
}

/// `claims`: every claim judged.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimsReport {
    /// The date the claims were judged at.
    pub as_of: Date,
    /// One report per claim, in file order.
    pub claims: Vec<ClaimReport>,
}

#[derive(Deserialize)]
struct ClaimFile {
    #[serde(default)]
    claim: Vec<Table>,
}

/// What the data says of a claim.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The data agrees, with enough cases.
    Supported,
    /// The data disagrees.
    Contradicted,
    /// Too few cases, mixed or insignificant evidence.
    Inconclusive,
    /// A series the claim needs is not stored.
    #[serde(rename = "no data")]
    NoData,
}

impl Verdict {
    /// The verdict in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NoData => "no data",
        }
    }
}

/// One run of a claim under one definition.
#[derive(Serialize, Clone, Debug)]
pub struct Outcome {
    /// The definition in words.
    pub definition: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What was measured.
    pub evidence: String,
    /// Cases behind the verdict.
    pub n: Option<usize>,
}

/// A claim, its verdict under its own definition and under the variants.
#[derive(Serialize, Clone, Debug)]
pub struct ClaimReport {
    /// Claim id (C1a, C4, ...).
    pub id: String,
    /// The claim as made.
    pub claim: String,
    /// The primary definition's outcome.
    #[serde(flatten)]
    pub main: Outcome,
    /// Other reasonable definitions.
    pub variants: Vec<Outcome>,
}

fn outcome(definition: String, verdict: Verdict, evidence: String, n: Option<usize>) -> Outcome {
    Outcome { definition, verdict, evidence, n }
}

/// Judges the claims on the stored data.
pub fn claims(app: &App, req: &ClaimsRequest) -> Result<ClaimsReport> {
    let mut claims = parse_claims(DEFAULT_CLAIMS, "default claims")?;
    if let Some(path) = &req.claims_file {
        let text =
            std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))?;
        claims.extend(parse_claims(&text, &path.display().to_string())?);
    }
    let id_of = |c: &Table| c.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
    if let Some(unknown) = req.ids.iter().find(|x| !claims.iter().any(|c| &id_of(c) == *x)) {
        let known: Vec<String> = claims.iter().map(id_of).collect();
        return bad(format!("--id {unknown}: no such claim (known: {})", known.join(", ")));
    }
    if !req.ids.is_empty() {
        claims.retain(|c| req.ids.contains(&id_of(c)));
    }
    let store = app.open_store()?;
    let ctx = Ctx { app, store: &store, as_of: req.as_of, placebos: req.placebos };
    let mut reports = Vec::new();
    for claim in &claims {
        let text = claim.get("text").and_then(Value::as_str).unwrap_or_default().to_string();
        let main = ctx.judge(claim);
        let variants = claim
            .get("variants")
            .and_then(Value::as_array)
            .map(|vs| {
                vs.iter()
                    .filter_map(Value::as_table)
                    .map(|v| {
                        let mut merged = claim.clone();
                        merged.extend(v.clone());
                        ctx.judge(&merged)
                    })
                    .collect()
            })
            .unwrap_or_default();
        reports.push(ClaimReport { id: id_of(claim), claim: text, main, variants });
    }
    Ok(ClaimsReport { as_of: req.as_of.unwrap_or(app.today), claims: reports })
}

fn parse_claims(text: &str, origin: &str) -> Result<Vec<Table>> {
    let f: ClaimFile = toml::from_str(text).map_err(|e| {
        bad_input(format!("{origin}: {}", e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    for c in &f.claim {
        for key in ["id", "text", "kind"] {
            if c.get(key).and_then(Value::as_str).is_none() {
                return bad(format!("{origin}: a claim has no string `{key}`"));
            }
        }
    }
    Ok(f.claim)
}

struct Ctx<'a> {
    app: &'a App,
    store: &'a Store,
    as_of: Option<Date>,
    placebos: usize,
}

impl Ctx<'_> {
    /// Runs one definition; a failure (missing series, too little data)
    /// becomes "no data" with the reason, never a crash.
    fn judge(&self, c: &Table) -> Outcome {
        let definition = describe(c);
        let missing = self.missing(c);
        let kind = c.get("kind").and_then(Value::as_str).unwrap_or_default();
        let result = match kind {
            "event-cases" => self.event_cases(c),
            "event-study" => self.event_study(c),
            "halving" => self.halving(c),
            "first-cross" => self.first_cross(c),
            "correlation" => self.correlation(c),
            "liquidity" => self.liquidity(c),
            "lead-order" => self.lead_order(c),
            "year-return" => self.year_return(c),
            other => Err(fail(format!("unknown claim kind {other:?}"))),
        };
        match (result, missing) {
            // The part that can be measured is still shown.
            (Ok((_, evidence, n)), Some(m)) => {
                outcome(definition, Verdict::NoData, format!("series {m} is not stored; measured part: {evidence}"), n)
            }
            (Err(e), Some(m)) => {
                outcome(definition, Verdict::NoData, format!("series {m} is not stored; {}", e.one_line()), None)
            }
            (Ok((verdict, evidence, n)), None) => outcome(definition, verdict, evidence, n),
            (Err(e), None) => outcome(definition, Verdict::NoData, e.one_line(), None),
        }
    }

    /// The first required series that is not stored.
    fn missing(&self, c: &Table) -> Option<String> {
        let required = c.get("requires").and_then(Value::as_array)?;
        required.iter().filter_map(Value::as_str).find_map(|id| {
            let stored = id.parse::<SeriesId>().ok().and_then(|sid| self.store.series_meta(&sid).ok().flatten());
            stored.is_none().then(|| id.to_string())
        })
    }

    fn closes(&self, id: &str) -> Result<Series> {
        let s = crate::rotation::target_closes(self.app, self.store, id)?;
        Ok(s.between(None, self.as_of))
    }

    fn event_study(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let spec: SignalSpec = str_param(c, "signal")?.parse()?;
        let targets = strs(c, "targets")?;
        let horizon = int(c, "horizon")? as u32;
        let from = opt_date(c, "from")?;
        let settings = EventStudy::new(&[horizon])?.placebos(self.placebos);
        let req =
            Request { spec: &spec, targets: &targets, study: settings, from, to: self.as_of, stratify_halving: false };
        let (_, result) = study(self.app, self.store, &req)?;
        let mut parts = Vec::new();
        let mut verdicts = Vec::new();
        let mut n_min = usize::MAX;
        for t in &result.targets {
            let h = &t.horizons[0];
            n_min = n_min.min(h.n);
            let returns: Vec<String> =
                h.per_event.iter().map(|e| format!("{} {:+.0}%", e.date, 100.0 * e.forward_return)).collect();
            parts.push(format!(
                "{} {}d: n={} mean {} vs all-dates {} (p={}, Holm {}); events: {}",
                t.target,
                horizon,
                h.n,
                pct(h.mean),
                pct(h.baseline_mean),
                fmt_opt(h.p_value),
                fmt_opt(h.p_holm),
                returns.join(", ")
            ));
            verdicts.push(match (h.mean, h.baseline_mean, h.p_holm) {
                _ if h.n == 0 => Verdict::NoData,
                _ if h.n < MIN_N => Verdict::Inconclusive,
                (Some(m), Some(b), _) if m <= b => Verdict::Contradicted,
                (_, _, Some(p)) if p < 0.05 => Verdict::Supported,
                _ => Verdict::Inconclusive,
            });
        }
        let mut evidence = parts.join("; ");
        if n_min < MIN_N {
            evidence.push_str(&format!("; n < {MIN_N}: too few events to conclude anything, whatever the p-value"));
        }
        Ok((combine(&verdicts), evidence, Some(n_min)))
    }

    fn event_cases(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let spec: SignalSpec = str_param(c, "signal")?.parse()?;
        let target = str_param(c, "target")?.to_string();
        let horizon = int(c, "horizon")? as u32;
        let periods = strs(c, "periods")?;
        let min_return = float(c, "min_return")?;
        let settings = EventStudy::new(&[horizon])?.placebos(0);
        let targets = [target.clone()];
        let req = Request {
            spec: &spec,
            targets: &targets,
            study: settings,
            from: None,
            to: self.as_of,
            stratify_halving: false,
        };
        let (_, result) = study(self.app, self.store, &req)?;
        let h = &result.targets[0].horizons[0];
        let cases: Vec<_> =
            h.per_event.iter().filter(|e| periods.iter().any(|p| e.date.to_string().starts_with(p.as_str()))).collect();
        if cases.is_empty() {
            return Err(fail(format!("no {spec} event in {} with a {target} price after it", periods.join(", "))));
        }
        let held = cases.iter().filter(|e| e.forward_return >= min_return).count();
        let listed: Vec<String> = cases
            .iter()
            .map(|e| {
                let so_far = if e.complete { "" } else { " so far" };
                format!("{} -> {target} {:+.1}% by {}{so_far}", e.date, 100.0 * e.forward_return, e.exit_date)
            })
            .collect();
        // Mixed outcomes, or all holding so far with a horizon not yet over: inconclusive.
        let verdict = match held {
            0 => Verdict::Contradicted,
            k if k == cases.len() && cases.iter().all(|e| e.complete) => Verdict::Supported,
            _ => Verdict::Inconclusive,
        };
        let evidence = format!(
            "{held} of {} events met {:+.0}% within {horizon} days: {}",
            cases.len(),
            100.0 * min_return,
            listed.join("; ")
        );
        Ok((verdict, evidence, Some(cases.len())))
    }

    fn halving(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let btc = self.closes("btc")?;
        let days = c.get("days").and_then(Value::as_integer).map(|d| d as u32);
        let tolerance = float(c, "tolerance")?;
        let report = halving_cycles(&btc, days, self.as_of.unwrap_or(self.app.today))?;
        let expected = c.get("expected").and_then(Value::as_array).ok_or_else(|| fail("`expected` is missing"))?;
        let mut parts = Vec::new();
        let (mut near, mut total) = (0, 0);
        for pair in expected.iter().filter_map(Value::as_array) {
            let (Some(year), Some(claimed)) = (pair.first().and_then(Value::as_integer), pair.get(1).and_then(as_f64))
            else {
                return Err(fail("`expected` holds [year, multiple] pairs"));
            };
            let Some(cycle) = report.cycles.iter().find(|cy| i64::from(cy.halving.year()) == year) else {
                parts.push(format!("{year}: no data"));
                continue;
            };
            total += 1;
            let ok = (cycle.multiple / claimed - 1.0).abs() <= tolerance;
            near += usize::from(ok);
            parts.push(format!(
                "{year} cycle {:.2}x (claimed {claimed}x){}",
                cycle.multiple,
                if ok { "" } else { " - off" }
            ));
        }
        // Every claimed multiple must be near what the data shows.
        let verdict = match (near, total) {
            (_, 0) => Verdict::NoData,
            (n, t) if n == t => Verdict::Supported,
            _ => Verdict::Contradicted,
        };
        Ok((verdict, format!("{} days after each halving: {}", report.days, parts.join("; ")), Some(total)))
    }

    fn first_cross(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let series = str_param(c, "series")?;
        let basis: Basis = c.get("basis").and_then(Value::as_str).unwrap_or("close").parse()?;
        let (ref_from, ref_to) = (date(c, "reference_from")?, date(c, "reference_to")?);
        let expected = str_param(c, "expected_month")?;
        let bars = load::bars(self.store, series)?;
        let bars: Vec<_> = bars.bars().iter().filter(|b| self.as_of.is_none_or(|a| b.date <= a)).copied().collect();
        let reference = bars
            .iter()
            .filter(|b| b.date >= ref_from && b.date <= ref_to)
            .max_by(|a, b| basis.price(a).total_cmp(&basis.price(b)));
        let Some(reference) = reference else {
            return Err(fail(format!("{series} has no data in {ref_from}..{ref_to}")));
        };
        let high = basis.price(reference);
        let first = bars.iter().find(|b| b.date > ref_to && basis.price(b) > high);
        Ok(match first {
            None => (
                Verdict::Contradicted,
                format!("{series} has not exceeded its {} high {high} of {}", basis, reference.date),
                Some(0),
            ),
            Some(b) => {
                let hit = b.date.to_string().starts_with(expected);
                let verdict = if hit { Verdict::Supported } else { Verdict::Contradicted };
                let text = format!(
                    "first {basis} above the {} high {high:.2} ({}) was {} at {:.2} (claimed {expected})",
                    ref_from.year(),
                    reference.date,
                    b.date,
                    basis.price(b)
                );
                (verdict, text, Some(1))
            }
        })
    }

    /// Log returns of `a` and `b` over the periods both have, up to the as-of date.
    fn pair(&self, a: &str, b: &str, freq: &str, from: Option<Date>) -> Result<(Series, Series)> {
        let (x, y, _) = paired(self.store, a, b, resampler(freq)?, from, self.as_of)?;
        Ok((x, y))
    }

    fn correlation(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let target = str_param(c, "target")?;
        let with = strs(c, "with")?;
        let freq = c.get("freq").and_then(Value::as_str).unwrap_or("weekly");
        let from = opt_date(c, "from")?;
        let mut rs = Vec::new();
        for w in &with {
            let (a, b) = self.pair(target, w, freq, from)?;
            let r = cross_correlations(a.values(), b.values(), 0)?[0];
            rs.push((w.clone(), r.r, r.n));
        }
        let first = rs[0].1;
        let verdict = if rs[1..].iter().all(|(_, r, _)| first > *r) {
            Verdict::Supported
        } else if rs[1..].iter().all(|(_, r, _)| first < *r) {
            Verdict::Contradicted
        } else {
            Verdict::Inconclusive
        };
        let parts: Vec<String> = rs.iter().map(|(w, r, n)| format!("corr({target}, {w}) = {r:.3} (n={n})")).collect();
        Ok((verdict, format!("{freq} log returns: {}", parts.join(", ")), rs.iter().map(|x| x.2).min()))
    }

    fn liquidity(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let on = date(c, "date")?;
        let report = liquidity::report(self.app, self.store, riskcurve_core::Calendar::Nyse, None, Some(on), 0.0)?;
        let row = report
            .observations
            .iter()
            .rev()
            .find(|r| r.date <= on)
            .ok_or_else(|| fail(format!("no liquidity row by {on}")))?;
        let k = row.contrib_13w.ok_or_else(|| fail(format!("no 13-week change on {}", row.date)))?;
        // contrib: +dWALCL, -dTGA, -dRRP (USD millions over 13 weeks).
        let fed = k.walcl > 0.0;
        let tga = k.tga > 0.0;
        let rrp = row.rrp < 50_000.0;
        let held = [fed, tga, rrp].iter().filter(|x| **x).count();
        let verdict = match held {
            3 => Verdict::Supported,
            0 => Verdict::Contradicted,
            _ => Verdict::Inconclusive,
        };
        let evidence = format!(
            "as published by {}, 13-week changes in USD millions: Fed assets {:+.0}, TGA {:+.0}, RRP {:+.0} (RRP level {:.0}); net liquidity {:.0}, its 13-week change {}",
            row.date, k.walcl, -k.tga, -k.rrp, row.rrp, row.net_liquidity, row.change_13w.map(|v| format!("{v:+.0}")).unwrap_or_default()
        );
        Ok((verdict, evidence, Some(1)))
    }

    fn lead_order(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let chain = strs(c, "chain")?;
        let freq = c.get("freq").and_then(Value::as_str).unwrap_or("weekly");
        let max_lag = int(c, "max_lag")? as usize;
        let (mut leads, mut parts, mut n_min) = (0, Vec::new(), usize::MAX);
        for w in chain.windows(2) {
            let (a, b) = self.pair(&w[0], &w[1], freq, None)?;
            n_min = n_min.min(a.len());
            let forward = GrangerCausality::test(b.values(), a.values(), GrangerOptions::new(max_lag))?;
            let reverse = GrangerCausality::test(a.values(), b.values(), GrangerOptions::new(max_lag))?;
            let lag = forward.selection.best_lag_aic;
            let (p, q) = (forward.tests[lag - 1].p_robust, reverse.tests[lag - 1].p_robust);
            let leads_here = p < 0.05 && q >= 0.05;
            leads += usize::from(leads_here);
            parts.push(format!("{} -> {}: p={p:.3}, reverse p={q:.3} (lag {lag}, HC1, n={})", w[0], w[1], a.len()));
        }
        let pairs = chain.len() - 1;
        let verdict = match leads {
            0 => Verdict::Contradicted,
            k if k == pairs => Verdict::Supported,
            _ => Verdict::Inconclusive,
        };
        Ok((
            verdict,
            format!("{freq} Granger, {leads} of {pairs} links lead one way: {}", parts.join("; ")),
            Some(n_min),
        ))
    }

    fn year_return(&self, c: &Table) -> Result<(Verdict, String, Option<usize>)> {
        let series = str_param(c, "series")?;
        let year = int(c, "year")? as i32;
        let min_return = float(c, "min_return")?;
        let s = self.closes(series)?;
        let start = s
            .index_on_or_before(Date::from_ymd(year - 1, 12, 31)?)
            .ok_or_else(|| fail(format!("{series} has no close before {year}")))?;
        let end = s
            .index_on_or_before(Date::from_ymd(year, 12, 31)?)
            .ok_or_else(|| fail(format!("{series} has no close in {year}")))?;
        let r = s.values()[end] / s.values()[start] - 1.0;
        let verdict = if r >= min_return { Verdict::Supported } else { Verdict::Contradicted };
        Ok((
            verdict,
            format!("{series} {year}: {:+.1}% ({} to {})", 100.0 * r, s.dates()[start], s.dates()[end]),
            Some(1),
        ))
    }
}

/// Every part must hold for "supported"; any contradiction contradicts.
fn combine(vs: &[Verdict]) -> Verdict {
    if vs.iter().all(|v| *v == Verdict::Supported) {
        Verdict::Supported
    } else if vs.contains(&Verdict::Contradicted) {
        Verdict::Contradicted
    } else if vs.iter().all(|v| *v == Verdict::NoData) {
        Verdict::NoData
    } else {
        Verdict::Inconclusive
    }
}

/// The parameters of a definition, in words (`kind` first, lists joined).
fn describe(c: &Table) -> String {
    let skip = ["id", "text", "variants"];
    let mut parts = vec![c.get("kind").and_then(Value::as_str).unwrap_or_default().to_string()];
    for (k, v) in c.iter().filter(|(k, _)| !skip.contains(&k.as_str()) && k.as_str() != "kind") {
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        parts.push(format!("{k}={v}"));
    }
    parts.join(" ")
}

fn str_param<'a>(c: &'a Table, key: &str) -> Result<&'a str> {
    c.get(key).and_then(Value::as_str).ok_or_else(|| fail(format!("parameter `{key}` is missing")))
}

fn strs(c: &Table, key: &str) -> Result<Vec<String>> {
    let list = c.get(key).and_then(Value::as_array).ok_or_else(|| fail(format!("parameter `{key}` is missing")))?;
    Ok(list.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

fn int(c: &Table, key: &str) -> Result<i64> {
    c.get(key).and_then(Value::as_integer).ok_or_else(|| fail(format!("parameter `{key}` is missing")))
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

fn float(c: &Table, key: &str) -> Result<f64> {
    c.get(key).and_then(as_f64).ok_or_else(|| fail(format!("parameter `{key}` is missing")))
}

fn date(c: &Table, key: &str) -> Result<Date> {
    Ok(str_param(c, key)?.parse()?)
}

fn opt_date(c: &Table, key: &str) -> Result<Option<Date>> {
    c.get(key).and_then(Value::as_str).map(str::parse::<Date>).transpose().map_err(Into::into)
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:+.1}%", 100.0 * v)).unwrap_or_else(|| "n/a".into())
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into())
}
