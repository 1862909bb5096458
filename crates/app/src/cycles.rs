//! Bitcoin halving cycles compared at the same elapsed time.

use riskcurve_signals::cycles::{halving_cycles, CyclesReport};

use crate::{load, App, Result};

/// What `cycles` asks for.
#[derive(Debug, Clone)]
pub struct CyclesRequest {
    /// The asset (a stored series; halving dates are Bitcoin's).
    pub asset: String,
    /// Days after each halving (default: the current cycle's elapsed days).
    pub days: Option<u32>,
}

/// Each halving cycle at the current cycle's elapsed days (or `days`).
pub fn cycles(app: &App, req: &CyclesRequest) -> Result<CyclesReport> {
    let store = app.open_store()?;
    let closes = load::closes(&store, &req.asset)?;
    let mut report = halving_cycles(&closes, req.days, app.today)?;
    report.asset = req.asset.clone();
    Ok(report)
}
