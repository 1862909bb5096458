//! Claims about what followed a signal: each case (a universal claim over
//! the events), the event study's verdict, an altcoin season after each
//! event, and the volume on the event's day.

use riskcurve_core::Date;
use riskcurve_signals::altseason::{AltseasonParams, AltseasonRule};
use riskcurve_stats::{EntryRule, EventStudy, ForwardReturns, NoEntry, VerdictKind};

use super::params::{period, Params};
use super::{all_of, pct, Ctx, Judged, Verdict};
use crate::human::count;
use crate::{bad, Result};

/// The named periods of a definition with their spans.
fn periods(p: &Params, key: &str) -> Result<Vec<(String, (Date, Date))>> {
    if !p.0.contains_key(key) {
        return Ok(Vec::new());
    }
    p.strs(key)?.into_iter().map(|s| period(&s).map(|span| (s, span)).map_err(crate::bad_input)).collect()
}

/// A named period that has no event: `no data` when it is not over by the
/// cut (the event may still come), else the definition finds no such event
/// and cannot speak for the claim's case.
fn empty_period(ctx: &Ctx, name: &str, (_, last): (Date, Date), spec: &str) -> (Verdict, String) {
    match ctx.after_cut(last, &format!("the whole of {name}")) {
        Some(j) => (Verdict::NoData, format!("{name}: no {spec} event yet; {}", j.evidence)),
        None => (Verdict::Inconclusive, format!("{name}: no {spec} event under this definition")),
    }
}

/// `event-cases`: every event (in the named periods, or since `from`) must
/// be followed, on every target, by more than `min_return` over `horizon`
/// days: the forward return at the horizon, or with `measure = "max_runup"`
/// the highest close within it (entry: the first target close strictly after
/// the event). One complete counterexample contradicts; an incomplete event
/// cannot (it is listed "so far"), except that a run-up already above the
/// bar holds whatever follows. Named periods must each have a decided event;
/// without named periods the verdict rests on the complete events, and says
/// how many there were.
pub(super) fn event_cases(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let spec = p.signal("signal")?;
    let targets = if p.0.contains_key("targets") { p.strs("targets")? } else { vec![p.str("target")?.to_string()] };
    let horizon = p.int("horizon")? as u32;
    let min = p.float("min_return")?;
    let runup = p.str_or("measure", "return") == "max_runup";
    let from = p.opt_date("from")?;
    let periods = periods(p, "periods")?;
    if let Some(j) = from.and_then(|f| ctx.after_cut(f, "events from")) {
        return Ok(j);
    }
    let mut events = ctx.events(&spec)?;
    events.retain(|d| from.is_none_or(|f| *d >= f));
    if !periods.is_empty() {
        events.retain(|d| periods.iter().any(|(_, (a, b))| d >= a && d <= b));
    }
    let measure = if runup { "max run-up" } else { "return" };
    let mut parts: Vec<Verdict> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for (name, span) in &periods {
        if !events.iter().any(|d| d >= &span.0 && d <= &span.1) {
            let (v, line) = empty_period(ctx, name, *span, &spec.to_string());
            parts.push(v);
            lines.push(line);
        }
    }
    let (mut complete, mut holding, mut pending) = (0, 0, 0);
    for target in &targets {
        ctx.refuse_rate(target, "a claim's target")?;
        let closes = ctx.closes(target)?;
        let forward = ForwardReturns::new(&closes, EntryRule::STRICTLY_AFTER);
        for &date in &events {
            let (verdict, line) = match forward.outcome(date, horizon) {
                Ok(o) => {
                    let value = if runup { o.max_runup } else { o.forward_return };
                    let holds = value > min;
                    let held = if target == "alts" { format!(" ({})", ctx.basket_held(date)?) } else { String::new() };
                    let by = format!("{date} -> {target}{held} {measure} {} by {}", pct(value), o.exit_date);
                    if o.complete || (runup && holds) {
                        complete += 1;
                        holding += usize::from(holds);
                        let word = if holds { "holds" } else { "COUNTEREXAMPLE" };
                        (if holds { Verdict::Supported } else { Verdict::Contradicted }, format!("{by}: {word}"))
                    } else {
                        pending += 1;
                        let end = o.entry_date.add_days(horizon as i32);
                        (Verdict::NoData, format!("{by} so far (incomplete: the horizon ends {end})"))
                    }
                }
                Err(NoEntry::NotYet { last }) => {
                    pending += 1;
                    (Verdict::NoData, format!("{date} -> {target}: no close after it yet (data end {last})"))
                }
                Err(NoEntry::NoCloseNearby { .. }) => {
                    (Verdict::NoData, format!("{date} -> {target}: no {target} price then"))
                }
            };
            parts.push(verdict);
            lines.push(line);
        }
    }
    if events.is_empty() && periods.is_empty() {
        return Ok(Judged::no_data(format!("no {spec} event by {}", ctx.as_of)));
    }
    // Without named periods, undecided events do not hold the verdict back.
    if periods.is_empty() {
        parts.retain(|v| *v != Verdict::NoData);
    }
    let verdict = all_of(parts);
    let rule = format!("{measure} over {horizon} days above {}", pct(min));
    let head = match verdict {
        Verdict::Contradicted => format!(
            "{} of {complete} complete cases fall short of a {rule}: a counterexample contradicts the claim",
            complete - holding
        ),
        Verdict::Supported => {
            format!("all {complete} complete cases show a {rule}, but {complete} cases are all the evidence there is")
        }
        _ if complete == 0 => format!("no complete case of a {rule} yet"),
        _ => format!("{holding} of {complete} complete cases show a {rule}"),
    };
    let pending = if pending > 0 { format!(" ({pending} incomplete)") } else { String::new() };
    Ok(Judged::new(verdict, format!("{head}{pending}: {}", lines.join("; ")), Some(complete)))
}

/// `event-study`: the placebo study's own verdict per target (its minimum
/// number of events, Holm correction across targets and its interval rule),
/// mapped to a claim verdict. Its test is one-sided (did the events beat
/// random dates?), so "no evidence" is inconclusive, never a contradiction.
pub(super) fn event_study(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let spec = p.signal("signal")?;
    let targets = p.strs("targets")?;
    let horizon = p.int("horizon")? as u32;
    let from = p.opt_date("from")?;
    if let Some(j) = from.and_then(|f| ctx.after_cut(f, "events from")) {
        return Ok(j);
    }
    if !ctx.events(&spec)?.iter().any(|d| from.is_none_or(|f| *d >= f)) {
        return Ok(Judged::no_data(format!("no {spec} event by {}", ctx.as_of)));
    }
    // Exactly as `riskcurve event-study --to <as-of>` runs it (its reads are
    // memoised per database state, so the claims' variants share them).
    let req = crate::event_study::Request {
        spec: &spec,
        targets: &targets,
        study: EventStudy::new(&[horizon])?.placebos(ctx.placebos),
        from,
        to: Some(ctx.as_of),
        stratify_halving: false,
    };
    let (_, result) = crate::event_study::study(ctx.app, ctx.store, &req)?;
    let (mut verdicts, mut parts, mut n) = (Vec::new(), Vec::new(), usize::MAX);
    for t in &result.targets {
        let h = &t.horizons[0];
        n = n.min(h.n);
        verdicts.push(match h.verdict.kind {
            VerdictKind::NoEvents => Verdict::NoData,
            VerdictKind::Evidence => Verdict::Supported,
            VerdictKind::TooFewEvents | VerdictKind::Untested | VerdictKind::WeakEvidence | VerdictKind::NoEvidence => {
                Verdict::Inconclusive
            }
        });
        let events: Vec<String> = h
            .per_event
            .iter()
            .map(|e| {
                let held = if t.target == "alts" { format!(" ({})", ctx.basket_held(e.date)?) } else { String::new() };
                Ok(format!("{} {}{}{held}", e.date, pct(e.forward_return), if e.complete { "" } else { " so far" }))
            })
            .collect::<Result<_>>()?;
        let events = if events.is_empty() { "none".to_string() } else { events.join(", ") };
        parts.push(format!("{} {horizon}d: {}; events: {events}", t.target, h.verdict.text));
    }
    Ok(Judged::new(all_of(verdicts), parts.join("; "), Some(n)))
}

/// `altseason-after`: after each event in the named periods, the altseason
/// index (`rule`, 90-day window) at or above `threshold` on some day within
/// `window_days`. A window the index does not cover (the altcoin prices
/// start later) is `no data`, said with the index's first date.
pub(super) fn altseason_after(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let spec = p.signal("signal")?;
    let window = p.int("window_days")? as i32;
    let threshold = p.float("threshold")?;
    let rule = p.str_or("rule", "blockchaincenter");
    let events = ctx.events(&spec)?;
    let rows = ctx.altseason_rows(rule)?;
    let (first, last) = (rows.first().map(|r| r.0), rows.last().map(|r| r.0));
    let (mut parts, mut lines) = (Vec::new(), Vec::new());
    for (name, span) in periods(p, "periods")? {
        let in_period: Vec<Date> = events.iter().copied().filter(|d| *d >= span.0 && *d <= span.1).collect();
        if in_period.is_empty() {
            let (v, line) = empty_period(ctx, &name, span, &spec.to_string());
            parts.push(v);
            lines.push(line);
        }
        for e in in_period {
            let end = e.add_days(window);
            let inside: Vec<&(Date, f64)> = rows.iter().filter(|(d, _)| *d > e && *d <= end).collect();
            let best = inside.iter().max_by(|a, b| a.1.total_cmp(&b.1));
            let (v, line) = if let Some(hit) = inside.iter().find(|(_, i)| *i >= threshold) {
                let (d, top) = best.map(|b| (b.0, b.1)).unwrap_or((hit.0, hit.1));
                (
                    Verdict::Supported,
                    format!(
                        "{e}: index {:.0} on {} (first at or above {threshold}; top {top:.0} on {d})",
                        hit.1, hit.0
                    ),
                )
            } else if let Some(j) = ctx.after_cut(end, &format!("the index to {window} days after {e}")) {
                (Verdict::NoData, format!("{e}: not yet: {}", j.evidence))
            } else if first.is_none_or(|f| f > e.add_days(1)) || last.is_none_or(|l| l < end) {
                let span = match (first, last) {
                    (Some(f), Some(l)) => format!("the index runs {f}..{l} only"),
                    _ => "there is no index".to_string(),
                };
                (
                    Verdict::NoData,
                    format!("{e}: {span}, not the whole window {}..{end} (it needs the alts' prices)", e.add_days(1)),
                )
            } else {
                let top = best.map(|b| format!("{:.0} on {}", b.1, b.0)).unwrap_or_default();
                (Verdict::Contradicted, format!("{e}: the index stayed below {threshold} to {end} (top {top})"))
            };
            parts.push(v);
            lines.push(line);
        }
    }
    let verdict = all_of(parts);
    let n = lines.len();
    Ok(Judged::new(
        verdict,
        format!(
            "altseason index ({rule}) at or above {threshold} within {window} days of each event: {}",
            lines.join("; ")
        ),
        Some(n),
    ))
}

impl Ctx<'_> {
    /// The altseason index under `rule`, up to the as-of date (each row
    /// looks back only: 90-day returns, the membership snapshot of its day).
    fn altseason_rows(&self, rule: &str) -> Result<Vec<(Date, f64)>> {
        if let Some(rows) = self.altseason.borrow().get(rule) {
            return Ok(rows.clone());
        }
        let rule_id: AltseasonRule = rule.parse()?;
        let report =
            crate::altseason::report(self.app, self.store, &AltseasonParams { rule: rule_id, ..Default::default() })?;
        let rows: Vec<(Date, f64)> =
            report.observations.iter().filter(|r| r.date <= self.as_of).map(|r| (r.date, r.index)).collect();
        self.altseason.borrow_mut().insert(rule.to_string(), rows.clone());
        Ok(rows)
    }
}

/// `volume`: the volume on the day of the first event in `period`, against
/// the mean of the `mean_days` sessions before it (`min_ratio`) and as a
/// percentile of the `rank_days` sessions before it (`min_percentile`; 0
/// days = the whole history, which a rising trend in volume biases upward).
/// Sessions without volume (0 or missing, as some vendors report for
/// indices) are left out. Each threshold given is a part of the claim.
pub(super) fn volume(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let spec = p.signal("signal")?;
    let name = p.str("period")?;
    let span = p.period("period")?;
    let series = match (p.0.get("volume_series").and_then(toml::Value::as_str), spec.series()) {
        (Some(s), _) => s.to_string(),
        (None, Some(s)) if !s.contains('/') => s.to_string(),
        _ => return bad(format!("signal {spec} has no volume of its own: give `volume_series`")),
    };
    let mean_days = p.int("mean_days")? as usize;
    let rank_days = p.opt_int("rank_days").unwrap_or(252) as usize;
    if let Some(j) = ctx.after_cut(span.0, &format!("data in {name}")) {
        return Ok(j);
    }
    let Some(&event) = ctx.events(&spec)?.iter().find(|d| **d >= span.0 && **d <= span.1) else {
        let (v, line) = empty_period(ctx, name, span, &spec.to_string());
        return Ok(Judged::new(v, line, None));
    };
    let Some(bars) = ctx.bars(&series)? else {
        return Ok(Judged::no_data(format!("no {series} bar by {}", ctx.as_of)));
    };
    let with_volume: Vec<(Date, f64)> =
        bars.bars().iter().filter_map(|b| b.volume.filter(|v| *v > 0.0).map(|v| (b.date, v))).collect();
    let Some(&(_, volume)) = with_volume.iter().find(|(d, _)| *d == event) else {
        return Ok(Judged::no_data(format!("{series} has no volume on {event}")));
    };
    let before: Vec<f64> = with_volume.iter().filter(|(d, _)| *d < event).map(|(_, v)| *v).collect();
    let needed = mean_days.max(rank_days);
    if before.len() < needed {
        return Ok(Judged::no_data(format!(
            "{series} has {} sessions with volume before {event}, {needed} needed",
            before.len()
        )));
    }
    let mean = before[before.len() - mean_days..].iter().sum::<f64>() / mean_days as f64;
    let ranked = if rank_days == 0 { &before[..] } else { &before[before.len() - rank_days..] };
    let percentile = ranked.iter().filter(|v| **v < volume).count() as f64 / ranked.len() as f64;
    let ratio = volume / mean;
    let (mut parts, mut lines) = (Vec::new(), Vec::new());
    lines.push(format!(
        "{event} (first {spec} event in {name}): {series} volume {} = {ratio:.2}x the mean of the {mean_days} sessions before ({})",
        count(volume as u64),
        count(mean as u64)
    ));
    if let Some(min) = p.opt_float("min_ratio") {
        parts.push(if ratio >= min { Verdict::Supported } else { Verdict::Contradicted });
        lines.push(format!("ratio {ratio:.2} {} {min}", if ratio >= min { ">=" } else { "<" }));
    }
    let over = if rank_days == 0 { "all".to_string() } else { format!("the {rank_days}") };
    lines.push(format!("above {} of {over} sessions before it", crate::human::pct(percentile, 1)));
    if let Some(min) = p.opt_float("min_percentile") {
        let ok = percentile >= min;
        parts.push(if ok { Verdict::Supported } else { Verdict::Contradicted });
        lines.push(format!("percentile {} {}", if ok { ">=" } else { "<" }, crate::human::pct(min, 0)));
    }
    Ok(Judged::new(all_of(parts), lines.join("; "), Some(1)))
}
