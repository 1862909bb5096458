//! `riskcurve series history ID DATE` and `riskcurve revert --import N`:
//! every value a write replaced, and undoing a write.

use anyhow::Result;
use riskcurve_app::history::{close_or_dash, history, revert};
use riskcurve_app::{parse_date, App};

use crate::output::{cell, Out, Table};

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// Series id.
    id: String,
    /// The date (YYYY-MM-DD).
    date: String,
}

#[derive(clap::Args)]
pub struct RevertArgs {
    /// The write to undo: the `write` of `import --json`, `update --json` or
    /// `series history` (a provenance id). Its inserted rows are removed and
    /// the values it replaced restored, in one transaction; rows a later write
    /// changed are kept.
    #[arg(long = "import", value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(1..))]
    import: i64,
}

pub fn run(app: &App, out: &Out, args: HistoryArgs) -> Result<()> {
    let date = parse_date("date", Some(&args.date))?.expect("given");
    let h = history(app, &args.id, date)?;
    if out.is_json() {
        return out.json(&h);
    }
    out.line(format!("{} on {}: now", h.id, h.date));
    let mut t = Table::new(&["source", "prio", "close", "write"]);
    for o in &h.current {
        t.row(vec![o.source.clone(), o.priority.to_string(), close_or_dash(Some(&o.bar)), cell(o.write_id)]);
    }
    out.table(&t);
    if h.revisions.is_empty() {
        out.line("no revisions recorded for this date");
        return Ok(());
    }
    out.line("revisions, oldest first:");
    let mut t = Table::new(&["write", "when", "source", "old close", "new close", "from"]);
    for r in &h.revisions {
        t.row(vec![
            r.write_id.to_string(),
            r.fetched_at.clone(),
            r.source.clone(),
            close_or_dash(r.old.as_ref()),
            close_or_dash(r.new.as_ref()),
            r.origin.clone(),
        ]);
    }
    out.table(&t);
    Ok(())
}

pub fn run_revert(app: &App, out: &Out, args: RevertArgs) -> Result<()> {
    let r = revert(app, args.import)?;
    if out.is_json() {
        return out.json(&r);
    }
    out.line(format!(
        "reverted write {} ({} from {}): {} rows restored, {} removed, {} kept (changed by later writes){}",
        r.reverted,
        r.series,
        r.source,
        r.restored,
        r.removed,
        r.kept,
        r.write.map(|w| format!("; `riskcurve revert --import {w}` redoes it")).unwrap_or_default()
    ));
    Ok(())
}
