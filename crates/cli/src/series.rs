//! `riskcurve series list|show` and `riskcurve catalog`.

use anyhow::Result;
use riskcurve_app::human::{count, price};
use riskcurve_app::series::{self, ShowRequest};
use riskcurve_app::{parse_date, App};

use crate::output::{cell, Out, Table};

#[derive(clap::Subcommand)]
pub enum SeriesCommand {
    /// Every stored series: id, name, sources, first and last date, rows, unit.
    List,
    /// The observations of one series (merged across sources by priority).
    Show {
        /// Series id.
        id: String,
        /// First date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Last date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only the last N observations.
        #[arg(long)]
        tail: Option<usize>,
    },
    /// One date of a series: each source's row now and every value a write replaced.
    History(crate::history::HistoryArgs),
}

pub fn run(app: &App, out: &Out, cmd: SeriesCommand) -> Result<()> {
    match cmd {
        SeriesCommand::List => list(app, out),
        SeriesCommand::Show { id, from, to, tail } => {
            let req = ShowRequest {
                id,
                from: parse_date("from", from.as_deref())?,
                to: parse_date("to", to.as_deref())?,
                tail,
            };
            show(app, out, &req)
        }
        SeriesCommand::History(args) => crate::history::run(app, out, args),
    }
}

fn list(app: &App, out: &Out) -> Result<()> {
    let all = series::list(app)?;
    if out.is_json() {
        return out.json(&all);
    }
    let mut t = Table::new(&["id", "name", "sources", "first", "last", "rows", "unit"]);
    for s in &all {
        let sources: Vec<&str> = s.sources.iter().map(|x| x.source.as_str()).collect();
        t.row(vec![
            s.id.clone(),
            s.name.chars().take(40).collect(),
            sources.join(","),
            cell(s.first),
            cell(s.last),
            count(s.rows),
            s.unit.clone(),
        ]);
    }
    out.table(&t);
    if all.is_empty() {
        out.line("the database holds no series yet: `riskcurve status` seeds it");
    }
    Ok(())
}

fn show(app: &App, out: &Out, req: &ShowRequest) -> Result<()> {
    let view = series::show(app, req)?;
    if out.is_json() {
        return out.json(&view);
    }
    out.line(format!("{}: {} ({}, {} calendar)", view.id, view.name, view.unit, view.calendar));
    let mut t = Table::new(&["date", "open", "high", "low", "close", "volume", "source"]);
    let number = |v: Option<f64>| v.map(price).unwrap_or_default();
    for o in &view.observations {
        t.row(vec![
            o.date.to_string(),
            number(o.open),
            number(o.high),
            number(o.low),
            price(o.close),
            o.volume.map(|v| count(v.round() as u64)).unwrap_or_default(),
            riskcurve_app::catalog::source_label(&o.source, o.quote.as_deref()),
        ]);
    }
    out.table(&t);
    if view.observations.is_empty() {
        out.line(format!("{}: no observations in the range asked for", view.id));
    }
    Ok(())
}

pub fn catalog(app: &App, out: &Out) -> Result<()> {
    let view = app.catalog.view();
    if out.is_json() {
        return out.json(&view);
    }
    let mut t = Table::new(&["id", "name", "class", "calendar", "unit", "release", "sources"]);
    for e in &view.series {
        let sources: Vec<String> = e.sources.iter().map(|s| format!("{}:{}", s.kind, s.symbol)).collect();
        t.row(vec![
            e.id.clone(),
            e.name.chars().take(40).collect(),
            e.class.clone(),
            e.calendar.clone(),
            e.unit.clone(),
            e.release.clone().unwrap_or_else(|| "bar close".into()),
            sources.join(" "),
        ]);
    }
    out.table(&t);
    Ok(())
}
