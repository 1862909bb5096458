//! `riskcurve report`: the self-contained HTML report.

use anyhow::Result;
use riskcurve_app::App;

use crate::output::Out;

#[derive(clap::Args)]
pub struct ReportArgs {}

/// Writes the report; returns the exit status (as `status` does).
pub fn run(_app: &App, _out: &Out, _args: ReportArgs) -> Result<u8> {
    anyhow::bail!("report: not built yet")
}
