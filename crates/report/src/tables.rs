//! The report's tables: the status panel, each event's returns, the halving
//! cycles, the claims and the data's provenance.

use std::fmt::Write;

use riskcurve_app::backtest::{metrics_cells, BacktestOutput, METRICS_COLUMNS};
use riskcurve_app::claims::{ClaimsReport, Verdict};
use riskcurve_app::human::{count, days, multiple, p_value, pct, pct_signed, price};
use riskcurve_app::report::forward::ForwardPaths;
use riskcurve_app::report::{CycleChart, Provenance};
use riskcurve_app::status::{DataOrigin, OnOff, Status};
use riskcurve_stats::{EventStudyResult, NoEntry, TargetResult};

use crate::html::{cell, date, esc, toned, Table, Tone};

/// The status panel: data origin, signals, rungs, the other readings, warnings.
pub fn status(s: &Status) -> String {
    let mut out = String::new();
    let origin = match s.data.origin {
        DataOrigin::Snapshot => "warn",
        _ => "dim",
    };
    let _ = writeln!(out, "<p class=\"origin {origin}\">data: {}</p>", esc(&s.data.message));
    let mut t = Table::new("signals", &["signal", "state", "as of", "age", "what the data says"]);
    for sig in &s.signals {
        let state = match sig.state {
            OnOff::On => toned("ON", Tone::Good),
            OnOff::Off => toned("OFF", Tone::Plain),
            OnOff::Unknown => toned("?", Tone::Dim),
        };
        t.row(vec![
            cell(format!("{}\n{}", sig.id, sig.spec)),
            state,
            date(sig.as_of),
            age(sig.age_days, sig.stale),
            cell(&sig.summary),
        ]);
    }
    out.push_str(&t.html());
    let mut r = Table::new("rungs", &["rung", "", "last", "30 days", "from high", "as of", "age", "source"]);
    for rung in &s.rungs {
        let mut age_cell = age(rung.age_days, rung.stale);
        if let Some(why) = &rung.stale_reason {
            age_cell.0.push('\n');
            age_cell.0.push_str(why);
        }
        r.row(vec![
            cell(&rung.rung),
            cell(&rung.name),
            toned(&rung.last_text, Tone::Num),
            toned(&rung.change_30d_text, Tone::Num),
            toned(rung.from_high.map(|f| pct_signed(f, 1)).unwrap_or_default(), Tone::Num),
            date(rung.as_of),
            age_cell,
            cell(rung.source.clone().unwrap_or_default()),
        ]);
    }
    out.push_str(&r.html());
    let lines = s.readings("table below");
    out.push_str("<ul class=\"readings\">");
    for l in lines {
        let _ = write!(out, "<li>{}</li>", esc(&l));
    }
    out.push_str("</ul>\n");
    if !s.warnings.is_empty() {
        out.push_str("<ul class=\"warnings\">");
        for w in &s.warnings {
            let _ = write!(out, "<li>{}</li>", esc(w));
        }
        out.push_str("</ul>\n");
    }
    out
}

fn age(age_days: Option<i32>, stale: bool) -> (String, Tone) {
    let text = age_days.map(|a| days(a.into())).unwrap_or_default();
    if stale {
        toned(format!("{text} STALE"), Tone::Warn)
    } else {
        cell(text)
    }
}

/// Each event's return at every horizon for every target, then the study's summary.
pub fn events<'a>(f: &ForwardPaths, study: &'a EventStudyResult) -> String {
    let horizons: Vec<u32> =
        study.targets.first().map(|t| t.horizons.iter().map(|h| h.days).collect()).unwrap_or_default();
    let mut head = vec!["event".to_string(), "outcome".into(), "target".into(), "entry".into(), "entry close".into()];
    head.extend(horizons.iter().map(|h| format!("{h} days")));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut t = Table::new("events", &head);
    let outcome = |o: Option<&str>| match o {
        Some(o) if o.starts_with("failed") => toned(o, Tone::Bad),
        Some("held") => toned("held", Tone::Good),
        Some(o) => cell(o),
        None => cell(""),
    };
    for e in &f.events {
        let entered = |target: &'a TargetResult| {
            target.horizons.iter().find_map(|h| h.per_event.iter().find(|o| o.date == e.date))
        };
        if study.targets.iter().all(|t| entered(t).is_none()) {
            // One row for an event no target can be entered on (before their data).
            let names: Vec<&str> = study.targets.iter().map(|t| t.target.as_str()).collect();
            let mut row = vec![date(Some(e.date)), outcome(e.outcome.as_deref()), cell(names.join(", "))];
            row.push(toned(format!("no entry: {}", no_entry(study, e.date)), Tone::Dim));
            t.row(row);
            continue;
        }
        for target in &study.targets {
            let mut row = vec![date(Some(e.date)), outcome(e.outcome.as_deref()), cell(&target.target)];
            match entered(target) {
                Some(o) => {
                    row.push(date(Some(o.entry_date)));
                    row.push(toned(price(o.entry_close), Tone::Num));
                }
                None => {
                    let why = target.horizons.iter().find_map(|h| h.skipped.iter().find(|s| s.date == e.date));
                    row.push(toned(
                        format!("no entry: {}", why.map_or("-".to_string(), |s| why_text(s.why))),
                        Tone::Dim,
                    ));
                    row.push(cell(""));
                }
            }
            for h in &target.horizons {
                row.push(match h.per_event.iter().find(|o| o.date == e.date) {
                    Some(o) if o.complete => toned(pct_signed(o.forward_return, 1), Tone::Num),
                    Some(o) => toned(format!("{} so far", pct_signed(o.forward_return, 1)), Tone::Warn),
                    None => toned("", Tone::Dim),
                });
            }
            t.row(row);
        }
    }
    let mut s = Table::new(
        "summary",
        &["target", "days", "n", "mean", "median", "hit rate", "all dates", "p", "p Holm", "verdict"],
    );
    for target in &study.targets {
        for h in &target.horizons {
            let p = |v: Option<f64>| v.map(|v| pct_signed(v, 1)).unwrap_or_default();
            s.row(vec![
                cell(&target.target),
                toned(h.days.to_string(), Tone::Num),
                toned(h.n.to_string(), Tone::Num),
                toned(p(h.mean), Tone::Num),
                toned(p(h.median), Tone::Num),
                toned(h.hit_rate.map(|v| pct(v, 0)).unwrap_or_default(), Tone::Num),
                toned(p(h.baseline_mean), Tone::Num),
                toned(h.p_value.map(p_value).unwrap_or_default(), Tone::Num),
                toned(h.p_holm.map(p_value).unwrap_or_default(), Tone::Num),
                cell(&h.verdict.text),
            ]);
        }
    }
    format!(
        "<h3>Each event</h3>{}<h3>Across events</h3>{}<p class=\"verdict\">{}</p>",
        t.html(),
        s.html(),
        esc(&study.verdict)
    )
}

/// Why the first target has no entry for an event.
fn no_entry(study: &EventStudyResult, event: riskcurve_core::Date) -> String {
    study
        .targets
        .iter()
        .flat_map(|t| &t.horizons)
        .find_map(|h| h.skipped.iter().find(|s| s.date == event))
        .map_or_else(|| "-".to_string(), |s| why_text(s.why))
}

fn why_text(why: NoEntry) -> String {
    match why {
        NoEntry::NotYet { last } => format!("not yet (data ends {last})"),
        NoEntry::NoCloseNearby { .. } => "before its data".to_string(),
    }
}

/// Every halving cycle at the current cycle's elapsed days.
pub fn cycles(c: &CycleChart) -> String {
    let days_now = c.summary.days;
    let mut t = Table::new(
        "cycles",
        &["halving", "entry", "entry close", "at the same day", "peak", "day of peak", "drawdown after peak", ""],
    );
    for cy in &c.summary.cycles {
        t.row(vec![
            date(Some(cy.halving)),
            date(Some(cy.entry_date)),
            toned(price(cy.entry_close), Tone::Num),
            toned(format!("{} ({})", multiple(cy.multiple), cy.exit_date), Tone::Num),
            toned(multiple(cy.peak_multiple), Tone::Num),
            toned(count(cy.days_to_peak.max(0) as u64), Tone::Num),
            toned(pct_signed(cy.drawdown_after_peak, 1), Tone::Num),
            if cy.complete { cell("") } else { toned("so far", Tone::Warn) },
        ]);
    }
    format!("<p>Each cycle at day {days_now} after its halving (the current cycle's age):</p>{}", t.html())
}

/// The claims: the claim, its definition, the evidence and the verdict,
/// then the verdicts under the other definitions (folded, with their count
/// by verdict in view).
pub fn claims(c: &ClaimsReport) -> String {
    let mut out = format!("<p>Judged on the data up to {}.</p>", c.as_of);
    out.push_str("<div class=\"scroll\"><table class=\"claims\"><thead><tr><th>id</th><th>claim</th><th>definition</th><th>evidence</th><th>verdict</th></tr></thead><tbody>\n");
    for claim in &c.claims {
        let n = claim.main.n.map(|n| format!(" [n = {n}]")).unwrap_or_default();
        let (text, tone) = verdict(claim.main.verdict);
        let _ = writeln!(
            out,
            "<tr class=\"claim\"><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}{}</td><td class=\"{}\">{}</td></tr>",
            esc(&claim.id),
            esc(&claim.claim),
            esc(&claim.main.definition),
            esc(&claim.main.evidence),
            esc(&n),
            tone.class(),
            esc(&text)
        );
        if claim.variants.is_empty() {
            continue;
        }
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for v in &claim.variants {
            match counts.iter_mut().find(|(name, _)| *name == v.verdict.as_str()) {
                Some((_, k)) => *k += 1,
                None => counts.push((v.verdict.as_str(), 1)),
            }
        }
        let summary: Vec<String> = counts.iter().map(|(name, k)| format!("{k} {name}")).collect();
        let _ = write!(
            out,
            "<tr class=\"variants\"><td></td><td colspan=\"4\"><details><summary>{} other definition{}: {}</summary><ul>",
            claim.variants.len(),
            if claim.variants.len() == 1 { "" } else { "s" },
            esc(&summary.join(", "))
        );
        for v in &claim.variants {
            let (text, tone) = verdict(v.verdict);
            let _ = write!(
                out,
                "<li><span class=\"{}\">{}</span> <code>{}</code>: {}</li>",
                tone.class(),
                esc(&text),
                esc(&v.definition),
                esc(&v.evidence)
            );
        }
        out.push_str("</ul></details></td></tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn verdict(v: Verdict) -> (String, Tone) {
    let tone = match v {
        Verdict::Supported => Tone::Good,
        Verdict::Contradicted => Tone::Bad,
        Verdict::Inconclusive => Tone::Warn,
        Verdict::NoData => Tone::Dim,
    };
    toned(v.as_str(), tone)
}

/// The series the charts read, first: the rungs and the liquidity components.
const MAIN_SERIES: [&str; 10] = ["rut", "spx", "ixic", "iwm", "btc", "eth", "walcl", "wtregen", "rrpontsyd", "dgs10"];

/// Every stored series: sources, span, staleness, quality; the main ones
/// first, the rest folded.
pub fn provenance(p: &Provenance) -> String {
    let table = |main: bool| {
        let mut t = Table::new(
            "provenance",
            &[
                "series",
                "name",
                "unit",
                "calendar",
                "first",
                "last",
                "rows",
                "sources (priority: rows, span)",
                "staleness (check)",
                "quality",
            ],
        );
        for s in p.series.iter().filter(|s| MAIN_SERIES.contains(&s.id.as_str()) == main) {
            let sources: Vec<String> = s
                .sources
                .iter()
                .map(|src| {
                    let span = match (src.first, src.last) {
                        (Some(a), Some(b)) => format!(", {a} to {b}"),
                        _ => String::new(),
                    };
                    let origin = if src.source == "snapshot" && !s.snapshot_sources.is_empty() {
                        format!(", taken from {}", s.snapshot_sources.join(", "))
                    } else {
                        String::new()
                    };
                    format!("{} ({}: {} rows{span}{origin})", src.source, src.priority, count(src.rows))
                })
                .collect();
            // `check`'s count: sessions (or periods) since the last value
            // that should be public by today; more than 2 is worth a look.
            let stale = match s.stale_days {
                Some(0) => cell("up to date"),
                Some(d) if d <= 2 => cell(format!("{d} behind")),
                Some(d) => toned(format!("{d} behind"), Tone::Warn),
                None => toned("n/a", Tone::Dim),
            };
            let quality = format!(
                "{} gaps ({} missing)\n{} outliers\n{} OHLC inconsistent",
                s.gaps, s.missing_sessions, s.outliers, s.ohlc_inconsistent
            );
            t.row(vec![
                cell(&s.id),
                cell(&s.name),
                cell(&s.unit),
                cell(&s.calendar),
                date(s.first),
                date(s.last),
                toned(count(s.rows), Tone::Num),
                cell(sources.join("\n")),
                stale,
                toned(quality, Tone::Dim),
            ]);
        }
        t
    };
    let rest = table(false);
    let stale = p.series.iter().filter(|s| s.stale_days.is_some_and(|d| d > 2)).count();
    format!(
        "<p>{} series stored; staleness judged on {} ({stale} more than 2 sessions behind their calendar).</p>{}<details><summary>the other {} series</summary>{}</details>",
        p.series.len(),
        p.today,
        table(true).html(),
        p.series.len() - p.series.iter().filter(|s| MAIN_SERIES.contains(&s.id.as_str())).count(),
        rest.html()
    )
}

/// The backtest's metrics against buy-and-hold, then every trade.
pub fn backtest(b: &BacktestOutput) -> String {
    let r = &b.result;
    let mut m = Table::new("metrics", &[&[""], &METRICS_COLUMNS[..]].concat());
    for (name, metrics) in [("strategy", &r.metrics), ("buy and hold", &r.buy_and_hold)] {
        m.row([vec![cell(name)], metrics_cells(metrics).into_iter().map(|v| toned(v, Tone::Num)).collect()].concat());
    }
    let mut t = Table::new("trades", &["signal", "entry", "price", "exit", "price", "return", "days", "exit by"]);
    for tr in &r.trades {
        let ret = pct_signed(tr.net_return, 1);
        t.row(vec![
            date(Some(tr.signal_date)),
            date(Some(tr.entry_date)),
            toned(price(tr.entry_price), Tone::Num),
            date(Some(tr.exit_date)),
            toned(price(tr.exit_price), Tone::Num),
            toned(ret, if tr.net_return > 0.0 { Tone::Good } else { Tone::Bad }),
            toned(count(tr.exit_date.days_since(tr.entry_date).max(0) as u64), Tone::Num),
            cell(riskcurve_app::human::label(&tr.reason)),
        ]);
    }
    format!(
        "{}<p class=\"dim\">Annualised over {} bars a year ({} calendar); Sharpe and Sortino with a zero risk-free rate (empyrical's definitions). Five to ten trades say little: read them one by one.</p>{}",
        m.html(),
        r.metrics.periods_per_year,
        esc(&b.calendar),
        t.html()
    )
}
