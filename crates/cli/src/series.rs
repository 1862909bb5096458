//! `riskcurve series list|show` and `riskcurve catalog`.

use anyhow::{Context, Result};
use riskcurve_core::{Date, SeriesId};
use riskcurve_store::Store;
use serde_json::{json, Value};

use crate::failure::{bad, bad_input};
use crate::output::{cell, num, Table};
use crate::App;

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
}

pub fn open_store(app: &App) -> Result<Store> {
    if !app.db.exists() {
        return bad(format!(
            "{}: no database yet: run `riskcurve import --manifest datasets/shared-data.toml` or `riskcurve update`",
            app.db.display()
        ));
    }
    Store::open(&app.db).with_context(|| format!("{}: cannot open database", app.db.display()))
}

pub fn parse_date(flag: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|t| t.parse::<Date>().map_err(|e| bad_input(format!("--{flag}: {e}")))).transpose()
}

pub fn run(app: &App, cmd: SeriesCommand) -> Result<()> {
    match cmd {
        SeriesCommand::List => list(app),
        SeriesCommand::Show { id, from, to, tail } => show(app, &id, from.as_deref(), to.as_deref(), tail),
    }
}

fn list(app: &App) -> Result<()> {
    let store = open_store(app)?;
    let all = store.list()?;
    if app.json {
        let items: Vec<Value> = all
            .iter()
            .map(|s| {
                json!({
                    "id": s.id.as_str(),
                    "name": s.name,
                    "class": s.asset_class,
                    "calendar": s.calendar.as_str(),
                    "unit": s.unit.as_str(),
                    "first": s.first,
                    "last": s.last,
                    "rows": s.rows,
                    "flags": s.flags,
                    "sources": s.sources.iter().map(|x| json!({"source": x.source, "priority": x.priority, "rows": x.rows, "first": x.first, "last": x.last})).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(());
    }
    let mut t = Table::new(&["id", "name", "sources", "first", "last", "rows", "unit"]);
    for s in &all {
        let sources: Vec<&str> = s.sources.iter().map(|x| x.source.as_str()).collect();
        t.row(vec![
            s.id.to_string(),
            s.name.chars().take(40).collect(),
            sources.join(","),
            cell(s.first),
            cell(s.last),
            s.rows.to_string(),
            s.unit.to_string(),
        ]);
    }
    print!("{t}");
    Ok(())
}

fn show(app: &App, id: &str, from: Option<&str>, to: Option<&str>, tail: Option<usize>) -> Result<()> {
    let id: SeriesId = id.parse().map_err(bad_input)?;
    let (from, to) = (parse_date("from", from)?, parse_date("to", to)?);
    let store = open_store(app)?;
    let Some(meta) = store.series_meta(&id)? else {
        return bad(format!("series {id} is not in the database (see `riskcurve series list`)"));
    };
    let mut bars = store.bars(&id, from, to)?;
    if let Some(n) = tail {
        bars.drain(..bars.len().saturating_sub(n));
    }
    if app.json {
        let obs: Vec<Value> = bars
            .iter()
            .map(|sb| {
                let b = &sb.bar;
                let mut o = json!({"date": b.date, "value": b.close, "close": b.close, "source": sb.source});
                for (k, v) in [("open", b.open), ("high", b.high), ("low", b.low), ("volume", b.volume)] {
                    if let Some(v) = v {
                        o[k] = json!(v);
                    }
                }
                o
            })
            .collect();
        let doc = json!({"id": id.as_str(), "name": meta.name, "unit": meta.unit.as_str(), "calendar": meta.calendar.as_str(), "observations": obs});
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!("{id}: {} ({}, {} calendar)", meta.name, meta.unit, meta.calendar);
    let mut t = Table::new(&["date", "open", "high", "low", "close", "volume", "source"]);
    let number = |v: Option<f64>| v.map(num).unwrap_or_default();
    for sb in &bars {
        let b = &sb.bar;
        t.row(vec![
            b.date.to_string(),
            number(b.open),
            number(b.high),
            number(b.low),
            num(b.close),
            number(b.volume),
            sb.source.clone(),
        ]);
    }
    print!("{t}");
    Ok(())
}

pub fn catalog(app: &App) -> Result<()> {
    let c = &app.catalog;
    if app.json {
        let items: Vec<Value> = c
            .entries()
            .map(|e| {
                json!({
                    "id": e.id.as_str(), "name": e.name, "class": e.class, "calendar": e.calendar.as_str(),
                    "unit": e.unit.as_str(), "release": e.release.map(|r| r.to_string()),
                    "flags": c.flags_of(e.id.as_str()),
                    "sources": e.sources.iter().map(|s| json!({"kind": s.kind, "symbol": s.symbol, "unit": s.unit.as_ref().map(|u| u.as_str())})).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({"flags_version": c.flags_version, "series": items}))?);
        return Ok(());
    }
    let mut t = Table::new(&["id", "name", "class", "calendar", "unit", "release", "sources"]);
    for e in c.entries() {
        let sources: Vec<String> = e.sources.iter().map(|s| format!("{}:{}", s.kind, s.symbol)).collect();
        t.row(vec![
            e.id.to_string(),
            e.name.chars().take(40).collect(),
            e.class.clone(),
            e.calendar.to_string(),
            e.unit.to_string(),
            e.release.map(|r| r.to_string()).unwrap_or_else(|| "bar close".into()),
            sources.join(" "),
        ]);
    }
    print!("{t}");
    Ok(())
}
