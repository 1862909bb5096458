//! `riskcurve claims`: the seed articles' claims as explicit hypotheses
//! (`claims/default.toml`, plus the user's), each run on the stored data
//! and given a verdict with its evidence, under its own definition and under
//! the other reasonable definitions it lists.
//!
//! The rules every kind follows:
//!
//! - **As of.** Every input is cut at the as-of date (`--as-of`, else today):
//!   a definition that needs data after it says `no data` and names the date.
//! - **Conjunctions.** A claim of several parts ("Fed assets grew, the TGA
//!   fell and the RRP drained") is contradicted by any part measured false,
//!   whatever the others; supported only when every part holds; otherwise
//!   inconclusive, or `no data` when only missing data stands between it and
//!   support ([`all_of`]).
//! - **Universals.** "Every breakout was followed by gains" is contradicted by
//!   one complete counterexample and supported only when every complete event
//!   agrees, saying how few there were; incomplete events are listed as such.
//! - **Absence of evidence is not contradiction.** A test that finds nothing
//!   significant is `inconclusive`; `contradicted` needs significant evidence
//!   the other way.
//! - **One verdict engine.** Event studies keep the stats crate's verdict
//!   (its minimum number of events, Holm correction and interval rule);
//!   the other tests use [`ALPHA`] with Holm across the tests a claim runs.
//! - **Malformed claims are bad input.** The file is checked when read
//!   (kinds, parameters, list lengths); any error at run time other than a
//!   missing series stops the command with the claim's id.

mod bitcoin;
mod correlation;
mod events;
mod liquidity;
mod params;
mod prices;

use std::cell::RefCell;
use std::collections::BTreeMap;

use riskcurve_core::{BarSeries, Date, Series, SeriesId};
use riskcurve_signals::breakout::{detect_breakouts, level_crossings};
use riskcurve_signals::spec::SignalSpec;
use riskcurve_store::Store;
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use crate::{bad, bad_input, load, App, Context, Result};
use params::Params;

const DEFAULT_CLAIMS: &str = include_str!("../../../../claims/default.toml");

/// The family-wise significance level of the claims' own tests (correlation
/// differences, lead order): the stats crate's, which the event study uses,
/// so one level decides every verdict.
pub use riskcurve_stats::ALPHA;

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

/// What the data says of a claim.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The data agrees (every part, every complete case).
    Supported,
    /// A part measured false, a complete counterexample, or significant
    /// evidence the other way.
    Contradicted,
    /// Too few cases, mixed or insignificant evidence.
    Inconclusive,
    /// Data the claim needs is not stored, or lies after the as-of date.
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

    /// How far a conjunction holding this part can get: a contradicted part
    /// decides; an inconclusive one caps it at inconclusive; missing data at
    /// `no data`.
    fn rank(self) -> u8 {
        match self {
            Verdict::Contradicted => 0,
            Verdict::Inconclusive => 1,
            Verdict::NoData => 2,
            Verdict::Supported => 3,
        }
    }
}

/// The verdict of a conjunction of parts (`no data` when there are none).
pub fn all_of(parts: impl IntoIterator<Item = Verdict>) -> Verdict {
    parts.into_iter().min_by_key(|v| v.rank()).unwrap_or(Verdict::NoData)
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

/// What one definition measured.
struct Judged {
    verdict: Verdict,
    evidence: String,
    n: Option<usize>,
}

impl Judged {
    fn new(verdict: Verdict, evidence: impl Into<String>, n: Option<usize>) -> Judged {
        Judged { verdict, evidence: evidence.into(), n }
    }

    fn no_data(evidence: impl Into<String>) -> Judged {
        Judged::new(Verdict::NoData, evidence, None)
    }
}

/// A claim as read: its id, its words and its definitions (the claim's own
/// first, then each variant merged over it), every one validated.
struct Claim {
    id: String,
    text: String,
    definitions: Vec<Table>,
}

/// Judges the claims on the stored data.
pub fn claims(app: &App, req: &ClaimsRequest) -> Result<ClaimsReport> {
    let mut claims = parse_claims(DEFAULT_CLAIMS, "default claims")?;
    if let Some(path) = &req.claims_file {
        let text =
            std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))?;
        claims.extend(parse_claims(&text, &path.display().to_string())?);
    }
    if let Some(unknown) = req.ids.iter().find(|x| !claims.iter().any(|c| &c.id == *x)) {
        let known: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
        return bad(format!("--id {unknown}: no such claim (known: {})", known.join(", ")));
    }
    if !req.ids.is_empty() {
        claims.retain(|c| req.ids.contains(&c.id));
    }
    let store = app.open_store()?;
    // Every series any definition reads, in one statement up front.
    let mut reads_all: Vec<String> = Vec::new();
    for c in claims.iter().flat_map(|c| &c.definitions) {
        // A definition whose reads cannot be listed says so when judged.
        reads_all.extend(reads(c).unwrap_or_default());
    }
    load::preload(&store, &reads_all)?;
    let ctx = Ctx {
        app,
        store: &store,
        as_of: req.as_of.unwrap_or(app.today),
        explicit_as_of: req.as_of.is_some(),
        placebos: req.placebos,
        altseason: RefCell::new(BTreeMap::new()),
    };
    let mut reports = Vec::new();
    for claim in &claims {
        let mut outcomes = Vec::new();
        for (i, definition) in claim.definitions.iter().enumerate() {
            let which = if i == 0 { String::new() } else { format!(", variant {i}") };
            outcomes.push(ctx.judge(definition).context_with(|| format!("claim {}{which}", claim.id))?);
        }
        let main = outcomes.remove(0);
        reports.push(ClaimReport { id: claim.id.clone(), claim: claim.text.clone(), main, variants: outcomes });
    }
    Ok(ClaimsReport { as_of: ctx.as_of, claims: reports })
}

#[derive(Deserialize)]
struct ClaimFile {
    #[serde(default)]
    claim: Vec<Table>,
}

/// Reads and checks a claims file: every definition (the claim and each
/// variant over it) must be a known kind with its parameters, lists long
/// enough, dates and signal specs that parse. A variant that sets `kind`
/// starts afresh (only the claim's id, text, `requires` and `needs` carry
/// over); any other variant replaces the claim's parameters it names.
fn parse_claims(text: &str, origin: &str) -> Result<Vec<Claim>> {
    let f: ClaimFile = toml::from_str(text).map_err(|e| {
        bad_input(format!("{origin}: {}", e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    let mut out: Vec<Claim> = Vec::new();
    for (i, mut c) in f.claim.into_iter().enumerate() {
        let id = match c.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => return bad(format!("{origin}: claim {} has no string `id`", i + 1)),
        };
        if out.iter().any(|o| o.id == id) {
            return bad(format!("{origin}: claim {id} is defined twice"));
        }
        let at = |which: &str, e: String| bad_input(format!("{origin}: claim {id}{which}: {e}"));
        let variants = match c.remove("variants") {
            None => Vec::new(),
            Some(Value::Array(vs)) => vs,
            Some(_) => return Err(at("", "`variants` must be a list of tables".into())),
        };
        params::validate(&c).map_err(|e| at("", e))?;
        let mut definitions = vec![c.clone()];
        for (k, v) in variants.into_iter().enumerate() {
            let which = format!(", variant {}", k + 1);
            let Value::Table(v) = v else { return Err(at(&which, "a variant must be a table".into())) };
            if let Some(key) = ["id", "text", "variants"].iter().find(|key| v.contains_key(**key)) {
                return Err(at(&which, format!("a variant cannot set `{key}`")));
            }
            let mut merged = if v.contains_key("kind") {
                let keep = ["id", "text", "requires", "needs"];
                c.iter().filter(|(k, _)| keep.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
            } else {
                c.clone()
            };
            merged.extend(v);
            params::validate(&merged).map_err(|e| at(&which, e))?;
            definitions.push(merged);
        }
        let text = c.get("text").and_then(Value::as_str).unwrap_or_default().to_string();
        out.push(Claim { id, text, definitions });
    }
    Ok(out)
}

/// What every definition is judged with.
struct Ctx<'a> {
    app: &'a App,
    store: &'a Store,
    /// Nothing after this date is read.
    as_of: Date,
    /// Whether the as-of date was asked for (else it is today).
    explicit_as_of: bool,
    placebos: usize,
    /// Altseason index rows by rule, computed once per run.
    altseason: RefCell<BTreeMap<String, Vec<(Date, f64)>>>,
}

impl Ctx<'_> {
    /// Runs one definition. A series it reads that is not stored makes it
    /// `no data`; a `requires` series that is not stored is the unmeasured
    /// part of a conjunction with what could be measured.
    fn judge(&self, c: &Table) -> Result<Outcome> {
        let p = Params(c);
        let definition = describe(c);
        let needs = c.get("needs").and_then(Value::as_str).map(|n| format!(" ({n})")).unwrap_or_default();
        if let Some(m) = self.first_missing(&reads(c)?)? {
            let evidence = format!("series {m} is not stored{needs}");
            return Ok(Outcome { definition, verdict: Verdict::NoData, evidence, n: None });
        }
        let measured = match p.str("kind")? {
            "event-cases" => events::event_cases(self, &p)?,
            "event-study" => events::event_study(self, &p)?,
            "altseason-after" => events::altseason_after(self, &p)?,
            "volume" => events::volume(self, &p)?,
            "halving" => bitcoin::halving(self, &p)?,
            "prior-cycle-high" => bitcoin::prior_cycle_high(self, &p)?,
            "issuance" => bitcoin::issuance(&p)?,
            "first-cross" => prices::first_cross(self, &p)?,
            "year-return" => prices::year_return(self, &p)?,
            "period-return" => prices::period_return(self, &p)?,
            "value-at" => prices::value_at(self, &p)?,
            "correlation" => correlation::correlation(self, &p)?,
            "lead-order" => correlation::lead_order(self, &p)?,
            "liquidity" => liquidity::liquidity(self, &p)?,
            other => return bad(format!("unknown claim kind {other:?}")),
        };
        let required: Vec<String> = if c.contains_key("requires") { p.strs("requires")? } else { Vec::new() };
        let Judged { verdict, evidence, n } = match self.first_missing(&required)? {
            None => measured,
            Some(m) => {
                // The unmeasured part cannot rescue a measured part that is false.
                let verdict = all_of([measured.verdict, Verdict::NoData]);
                let why = if verdict == Verdict::Contradicted {
                    "the measured part is false, so the claim is, whatever that part says"
                } else {
                    "the claim cannot be judged without it"
                };
                let evidence = format!("measured part: {}; series {m} is not stored{needs}: {why}", measured.evidence);
                Judged { verdict, evidence, n: measured.n }
            }
        };
        Ok(Outcome { definition, verdict, evidence, n })
    }

    /// The first of `ids` that is not stored (`alts`, the basket, always is).
    fn first_missing(&self, ids: &[String]) -> Result<Option<String>> {
        for id in ids.iter().filter(|id| id.as_str() != "alts") {
            let sid: SeriesId = id.parse().map_err(|e| bad_input(format!("series {id}: {e}")))?;
            if self.store.series_meta(&sid)?.is_none() {
                return Ok(Some(id.clone()));
            }
        }
        Ok(None)
    }

    /// `no data` when `date` lies after the as-of date: the definition needs
    /// data the cut does not let it see.
    fn after_cut(&self, date: Date, what: &str) -> Option<Judged> {
        (date > self.as_of).then(|| Judged::no_data(format!("needs {what} ({date}), after {}", self.cut())))
    }

    /// The as-of date in words.
    fn cut(&self) -> String {
        if self.explicit_as_of {
            format!("the as-of date {}", self.as_of)
        } else {
            format!("today ({})", self.as_of)
        }
    }

    /// Closes of a stored series, ratio or the alt basket, up to the as-of
    /// date (the reads and the basket are memoised per database state).
    fn closes(&self, id: &str) -> Result<Series> {
        Ok(crate::rotation::target_closes(self.app, self.store, id)?.between(None, Some(self.as_of)))
    }

    /// What the alt basket held on `date`, in words (issue 10 item 6).
    fn basket_held(&self, date: Date) -> Result<String> {
        let basket = crate::rotation::basket(self.app, self.store, &["btc", "eth"])?;
        Ok(match basket.at(date) {
            Some(r) if r.snapshot.is_some() => r.membership(),
            Some(r) => format!("{} {}: {}", r.held, if r.held == 1 { "alt" } else { "alts" }, r.membership()),
            None => "no alt prices yet".to_string(),
        })
    }

    /// Bad input when `id` is a rate: a claim about its returns needs prices
    /// (the return of a yield is not a return), as the event study says.
    fn refuse_rate(&self, id: &str, what: &str) -> Result<()> {
        crate::leadlag::refuse_rate(self.app, self.store, id, what)
    }

    /// Bars of a stored series or ratio up to the as-of date (None when
    /// nothing is left).
    fn bars(&self, id: &str) -> Result<Option<BarSeries>> {
        let bars = load::bars_or_ratio(self.store, id)?;
        if bars.bars().first().is_none_or(|b| b.date > self.as_of) {
            return Ok(None);
        }
        Ok(Some(load::cut_bars(&bars, self.as_of, id)?))
    }

    /// The dates `spec` fired on, up to the as-of date. Breakouts and level
    /// crosses are detected on the bars cut at the as-of date (the detectors
    /// look back only, so this is also what the full data shows up to it);
    /// other signals come from the event study's dispatcher, cut after.
    fn events(&self, spec: &SignalSpec) -> Result<Vec<Date>> {
        let dates = match spec {
            SignalSpec::Breakout { series, params } => match self.bars(series)? {
                Some(bars) => detect_breakouts(&bars, *params)?.into_iter().map(|e| e.date).collect(),
                None => Vec::new(),
            },
            SignalSpec::Level { series, level, basis } => match self.bars(series)? {
                Some(bars) => level_crossings(&bars, *level, *basis).into_iter().map(|e| e.date).collect(),
                None => Vec::new(),
            },
            _ => crate::event_study::occurrences(self.app, self.store, spec)?.0,
        };
        Ok(dates.into_iter().filter(|d| *d <= self.as_of).collect())
    }
}

/// The stored series a definition reads (the alt basket as `alts`).
fn reads(c: &Table) -> Result<Vec<String>> {
    let p = Params(c);
    let mut ids: Vec<String> = Vec::new();
    for key in ["series", "target", "volume_series"] {
        if let Some(s) = c.get(key).and_then(Value::as_str) {
            ids.extend(s.split('/').map(str::to_string));
        }
    }
    for key in ["targets", "with", "chain"] {
        if c.contains_key(key) {
            ids.extend(p.strs(key)?);
        }
    }
    if c.contains_key("signal") {
        if let Some(series) = p.signal("signal")?.series() {
            ids.extend(series.split('/').map(str::to_string));
        }
    }
    match p.str("kind")? {
        "halving" | "prior-cycle-high" | "altseason-after" => ids.push("btc".into()),
        "liquidity" => ids.extend(["walcl", "wtregen", "rrpontsyd"].map(String::from)),
        _ => {}
    }
    ids.dedup();
    Ok(ids)
}

/// The parameters of a definition, in words (`kind` first, lists joined).
fn describe(c: &Table) -> String {
    let skip = ["id", "text", "kind", "needs"];
    let mut parts = vec![c.get("kind").and_then(Value::as_str).unwrap_or_default().to_string()];
    for (k, v) in c.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        parts.push(format!("{k}={v}"));
    }
    parts.join(" ")
}

/// `+8.7%`.
fn pct(v: f64) -> String {
    crate::human::pct_signed(v, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measured_false_part_decides_a_conjunction() {
        use Verdict::*;
        assert_eq!(all_of([Contradicted, NoData]), Contradicted);
        assert_eq!(all_of([Supported, NoData]), NoData);
        assert_eq!(all_of([Inconclusive, NoData]), Inconclusive);
        assert_eq!(all_of([Supported, Supported]), Supported);
        assert_eq!(all_of([Supported, Inconclusive, Contradicted]), Contradicted);
        assert_eq!(all_of([]), NoData);
    }

    #[test]
    fn the_default_claims_file_is_valid() {
        let claims = parse_claims(DEFAULT_CLAIMS, "default claims").unwrap();
        let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
        let want = [
            "C1a", "C1b", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15",
            "C16", "C17",
        ];
        assert_eq!(ids, want);
    }

    #[test]
    fn a_one_item_list_is_bad_input_naming_the_claim() {
        let text = "[[claim]]\nid = \"X1\"\ntext = \"t\"\nkind = \"correlation\"\ntarget = \"btc\"\nwith = [\"rut\", \"spx\"]\nvariants = [{ with = [\"rut\"] }]";
        let err = parse_claims(text, "mine.toml").map(drop).unwrap_err();
        assert!(err.is_bad_input());
        assert_eq!(err.to_string(), "mine.toml: claim X1, variant 1: `with`: needs at least 2 items, has 1");
    }
}
