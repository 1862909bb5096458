//! The data behind the HTML report (and the dashboard): the status and every
//! chart's series, assembled from the app's results in one request.
//!
//! Each chart is a [`Part`]: its data, or the reason there is none (a series
//! not stored, too little history), so one missing input never fails the
//! whole report. The parts are computed in parallel, each on its own
//! database connection; every random draw is seeded, so the same database,
//! request and `today` give the same [`ReportData`].

pub mod charts;
pub mod cycles;
pub mod forward;
pub mod line;
pub mod paths;

use riskcurve_core::Date;
use riskcurve_signals::spec::SignalSpec;
use serde::Serialize;

use crate::backtest::BacktestOutput;
use crate::claims::{claims, ClaimsReport, ClaimsRequest, Verdict};
use crate::leadlag::LeadLag;
use crate::status::{ensure_data, status, ClaimCounts, Status, StatusRequest};
use crate::{bad_input, App, NoProgress, Progress, Result};

pub use charts::{AltseasonChart, CycleChart, LiquidityChart, PriceChart, Provenance, RotationChart};
pub use forward::ForwardPaths;
pub use line::Line;

/// Weeks of each rung's tail on the rotation graph.
pub const TAIL_WEEKS: usize = 8;

/// Placebo sets of the claims (as `status` counts them).
const CLAIM_PLACEBOS: usize = 2_000;

/// What the report asks for.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRequest {
    /// Never try the network when the database is empty: seed it from the snapshot.
    pub offline: bool,
    /// The signal whose events the forward paths follow.
    pub signal: String,
    /// Days each forward path runs.
    pub horizon_days: u32,
    /// Horizons of the per-event table, in days.
    pub horizons: Vec<u32>,
    /// Targets of the forward paths (`alts` = the alt basket).
    pub targets: Vec<String>,
    /// Random dates per placebo band, and placebo sets per event-study test.
    pub placebos: usize,
    /// The seed of every random draw.
    pub seed: u64,
    /// Days either side of an event kept out of the placebo pool.
    pub exclude_days: u32,
}

impl Default for ReportRequest {
    fn default() -> ReportRequest {
        ReportRequest {
            offline: false,
            signal: "breakout:rut:min-days=365".into(),
            horizon_days: 365,
            horizons: vec![30, 90, 180, 365],
            targets: vec!["btc".into(), "eth".into(), "alts".into()],
            placebos: 2_000,
            seed: 42,
            exclude_days: 30,
        }
    }
}

/// A chart's data, or why it has none.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part<T> {
    /// The data.
    Data(T),
    /// No data, and why (one line).
    NoData(String),
}

impl<T> Part<T> {
    /// The data, if any.
    pub fn data(&self) -> Option<&T> {
        match self {
            Part::Data(d) => Some(d),
            Part::NoData(_) => None,
        }
    }
}

impl<T> From<Result<T>> for Part<T> {
    fn from(r: Result<T>) -> Part<T> {
        match r {
            Ok(d) => Part::Data(d),
            Err(e) => Part::NoData(e.one_line()),
        }
    }
}

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// The date ages are counted to.
    pub today: Date,
    /// What was asked.
    pub request: ReportRequest,
    /// Signals ON/OFF and the rungs, as `status` gives them.
    pub status: Status,
    /// The breakout chart (Russell 2000, its high, consolidations, breakouts; BTC).
    pub price: Part<PriceChart>,
    /// Forward paths after each event against the placebo band; the per-event table.
    pub forward: Part<ForwardPaths>,
    /// Net liquidity and its components; BTC.
    pub liquidity: Part<LiquidityChart>,
    /// Halving cycles overlaid.
    pub cycles: Part<CycleChart>,
    /// The altcoin season index.
    pub altseason: Part<AltseasonChart>,
    /// The rotation graph and the stage history.
    pub rotation: Part<RotationChart>,
    /// Does the Russell 2000 lead Bitcoin (weekly): CCF, bands, rolling correlation.
    pub leadlag: Part<Box<LeadLag>>,
    /// Buying BTC after each event of the signal: equity, drawdown, trades.
    pub backtest: Part<BacktestOutput>,
    /// The claims judged on the data.
    pub claims: Part<ClaimsReport>,
    /// Every series' sources, span and staleness.
    pub provenance: Part<Provenance>,
}

/// Builds the report's data: seeds an empty database first, as `status` does.
pub fn report_data(app: &App, req: &ReportRequest, progress: &dyn Progress) -> Result<ReportData> {
    let spec: SignalSpec = req.signal.parse().map_err(|e| bad_input(format!("--signal {}: {e}", req.signal)))?;
    // Seed an empty database first, then compute everything at once: the
    // status (its claims are counted from the claims computed here, once)
    // and every part, each on its own connection.
    let origin = ensure_data(app, req.offline, progress)?;
    progress.start(7, "report");
    let step = |what: &str| progress.step(what);
    let (mut status_result, mut price, mut forward, mut liquidity, mut cycles) = (None, None, None, None, None);
    let (mut altseason, mut rotation, mut leadlag, mut claims_part, mut provenance) = (None, None, None, None, None);
    let mut backtest = None;
    rayon::scope(|s| {
        s.spawn(|_| {
            status_result = Some(status(app, &StatusRequest { offline: true, skip_claims: true }, &NoProgress));
            step("status");
        });
        s.spawn(|_| {
            claims_part =
                Some(Part::from(claims(app, &ClaimsRequest { placebos: CLAIM_PLACEBOS, ..Default::default() })));
            step("claims");
        });
        s.spawn(|_| {
            forward = Some(Part::from(forward::forward_paths(app, req, &spec)));
            step("forward paths");
        });
        s.spawn(|_| {
            altseason = Some(Part::from(charts::altseason_chart(app)));
            step("altseason");
        });
        s.spawn(|_| {
            rotation = Some(Part::from(charts::rotation_chart(app, TAIL_WEEKS)));
            step("rotation");
        });
        s.spawn(|_| {
            provenance = Some(Part::from(charts::provenance(app)));
            step("provenance");
        });
        s.spawn(|_| {
            price = Some(Part::from(charts::price_chart(app, &spec)));
            liquidity = Some(Part::from(charts::liquidity_chart(app)));
            cycles = Some(Part::from(charts::cycle_chart(app)));
            leadlag = Some(Part::from(charts::leadlag_chart(app)));
            backtest = Some(Part::from(charts::backtest_chart(app, &spec)));
            step("price, liquidity, cycles, lead-lag, backtest");
        });
    });
    progress.finish();
    let mut status = status_result.expect("spawned above")?;
    // The database was seeded (or found) above: say how, not "stored".
    status.data = origin;
    let claims_part = done(claims_part);
    if let Some(report) = claims_part.data() {
        status.claims = Some(count_verdicts(report));
    }
    Ok(ReportData {
        today: app.today,
        request: req.clone(),
        status,
        price: done(price),
        forward: done(forward),
        liquidity: done(liquidity),
        cycles: done(cycles),
        altseason: done(altseason),
        rotation: done(rotation),
        leadlag: done(leadlag),
        backtest: done(backtest),
        claims: claims_part,
        provenance: done(provenance),
    })
}

/// Claims by their main verdict, as `status` counts them.
fn count_verdicts(report: &ClaimsReport) -> ClaimCounts {
    let mut c = ClaimCounts::default();
    for r in &report.claims {
        match r.main.verdict {
            Verdict::Supported => c.supported += 1,
            Verdict::Contradicted => c.contradicted += 1,
            Verdict::Inconclusive => c.inconclusive += 1,
            Verdict::NoData => c.no_data += 1,
        }
    }
    c
}

/// A part that was spawned and so is set.
fn done<T>(part: Option<Part<T>>) -> Part<T> {
    part.expect("every part is spawned")
}
