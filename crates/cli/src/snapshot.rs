//! `riskcurve snapshot build|show`: the embedded offline snapshot.

use std::path::PathBuf;

use anyhow::Result;
use riskcurve_app::human::count;
use riskcurve_app::snapshot::{build, embedded, BuildRequest, SnapshotSummary};
use riskcurve_app::App;

use crate::output::{cell, Out, Table};
use crate::progress::Bar;

#[derive(clap::Subcommand)]
pub enum SnapshotCommand {
    /// Build the snapshot from the files a manifest names (the committed one:
    /// `riskcurve snapshot build`, then rebuild the binary to embed it).
    Build {
        /// The manifest of files.
        #[arg(long, default_value = "datasets/shared-data.toml")]
        manifest: PathBuf,
        /// Replaces the manifest's data directory.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Where to write it.
        #[arg(long, default_value = "snapshot/riskcurve-snapshot.bin")]
        out: PathBuf,
    },
    /// What the snapshot in this binary holds.
    Show,
}

pub fn run(app: &App, out: &Out, cmd: SnapshotCommand) -> Result<()> {
    let summary = match cmd {
        SnapshotCommand::Build { manifest, data_dir, out: path } => {
            build(app, &BuildRequest { manifest, data_dir, out: path }, &Bar::new(out.is_json()))?
        }
        SnapshotCommand::Show => embedded()?,
    };
    if out.is_json() {
        return out.json(&summary);
    }
    print(out, &summary);
    Ok(())
}

fn print(out: &Out, s: &SnapshotSummary) {
    out.line(format!("snapshot built {} from {}: {} bytes", s.built_at, s.built_from, count(s.bytes as u64)));
    let mut t = Table::new(&["series", "rows", "first", "last (as of)", "original sources"]);
    for i in &s.series {
        t.row(vec![i.id.clone(), count(i.rows as u64), cell(i.first), cell(i.last), i.sources.join("; ")]);
    }
    out.table(&t);
    for (source, dates) in &s.universes {
        out.line(format!("membership: {source}, {dates} dates"));
    }
}
