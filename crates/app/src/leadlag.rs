//! Does one series lead another? Cross-correlations of log returns, Granger
//! causality both ways, bootstrap bands, Toda-Yamamoto and rolling correlation.

use rayon::prelude::*;
use riskcurve_core::{align, log_returns, to_month_end, to_weekly, Date, Series};
use riskcurve_stats::{
    ccf_bootstrap_bands, cross_correlations, rolling_correlation_series, CcfBands, CcfPoint, GrangerCausality,
    GrangerLagTest, GrangerOptions, RollingPoint, TodaYamamoto, TodaYamamotoOptions,
};
use riskcurve_store::Store;
use serde::Serialize;

use crate::{bad, load, App, Result};

/// What `leadlag` asks for.
#[derive(Debug, Clone)]
pub struct LeadLagRequest {
    /// The series that supposedly leads.
    pub lead: String,
    /// The series that supposedly follows.
    pub lag: String,
    /// daily, weekly or monthly.
    pub freq: String,
    /// Largest lag tested, in periods.
    pub max_lag: usize,
    /// First date used.
    pub from: Option<Date>,
    /// Last date used.
    pub to: Option<Date>,
    /// Rolling-correlation window (default: 52 weekly, 90 daily, 12 monthly).
    pub window: Option<usize>,
    /// Bootstrap replications of the CCF bands.
    pub replications: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Matrix mode: every ordered pair of these series.
    pub all: Vec<String>,
}

/// One pair's full lead-lag analysis.
#[derive(Debug, Clone, Serialize)]
pub struct LeadLag {
    /// The leading series.
    pub lead: String,
    /// The following series.
    pub lag: String,
    /// Frequency of the returns.
    pub freq: String,
    /// Paired returns.
    pub n: usize,
    /// First return date.
    pub first: Option<Date>,
    /// Last return date.
    pub last: Option<Date>,
    /// Cross-correlations at -L..L with 1.96/sqrt(n) bands.
    pub ccf: Vec<CcfPoint>,
    /// Stationary-bootstrap bands under no cross-correlation.
    pub ccf_bands: CcfBands,
    /// Granger tests lead -> lag, lags 1..L.
    pub granger: Vec<GrangerLagTest>,
    /// Granger tests lag -> lead.
    pub granger_reverse: Vec<GrangerLagTest>,
    /// Lag chosen by AIC.
    pub best_lag_aic: usize,
    /// Lag chosen by BIC.
    pub best_lag_bic: usize,
    /// Toda-Yamamoto on log levels, both directions.
    pub toda_yamamoto: TodaYamamotoPair,
    /// Rolling correlation of the returns.
    pub rolling_correlation: RollingCorrelation,
}

/// Toda-Yamamoto in both directions.
#[derive(Debug, Clone, Serialize)]
pub struct TodaYamamotoPair {
    /// lead -> lag.
    pub forward: TodaYamamoto,
    /// lag -> lead.
    pub reverse: TodaYamamoto,
}

/// A rolling correlation and its window.
#[derive(Debug, Clone, Serialize)]
pub struct RollingCorrelation {
    /// Periods per window.
    pub window: usize,
    /// One value per end date (none until the window is full).
    pub observations: Vec<RollingPoint>,
}

/// One cell of the matrix: does `lead` Granger-cause `lag`?
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// Leading series.
    pub lead: String,
    /// Following series.
    pub lag: String,
    /// Paired returns.
    pub n: usize,
    /// Same-period correlation.
    pub r: f64,
    /// Lag chosen by AIC.
    pub best_lag_aic: usize,
    /// F statistic at that lag.
    pub f: f64,
    /// Its p-value.
    pub p: f64,
    /// HC1-robust p-value.
    pub p_robust: f64,
}

/// Every ordered pair of a set of series.
#[derive(Debug, Clone, Serialize)]
pub struct LeadLagMatrix {
    /// Frequency of the returns.
    pub freq: String,
    /// Largest lag tested.
    pub max_lag: usize,
    /// The series, in the order given.
    #[serde(skip)]
    pub series: Vec<String>,
    /// One cell per ordered pair.
    pub pairs: Vec<MatrixCell>,
}

/// Either result of `leadlag`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum LeadLagResult {
    /// One pair.
    Pair(Box<LeadLag>),
    /// Every ordered pair.
    Matrix(LeadLagMatrix),
}

/// Daily (as stored), weekly (last close of each week ending Friday) or
/// monthly (last close of each month).
pub fn resampler(freq: &str) -> Result<fn(&Series) -> Series> {
    Ok(match freq {
        "daily" => Series::clone,
        "weekly" => to_weekly,
        "monthly" => to_month_end,
        other => return bad(format!("--freq {other}: expected daily, weekly or monthly")),
    })
}

/// Log returns of two series over the periods both have a value, and their
/// aligned levels.
pub fn paired(
    store: &Store,
    a: &str,
    b: &str,
    resample: fn(&Series) -> Series,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Series, Series, Vec<Vec<f64>>)> {
    let x = resample(&load::closes(store, a)?.between(from, to));
    let y = resample(&load::closes(store, b)?.between(from, to));
    let (dates, values) = align(&[&x, &y]);
    let xr = log_returns(&Series::new(dates.clone(), values[0].clone())?)?;
    let yr = log_returns(&Series::new(dates, values[1].clone())?)?;
    Ok((xr, yr, values))
}

/// Runs `leadlag`.
pub fn leadlag(app: &App, req: &LeadLagRequest) -> Result<LeadLagResult> {
    let resample = resampler(&req.freq)?;
    if req.max_lag == 0 {
        return bad("--max-lag must be at least 1");
    }
    if !req.all.is_empty() {
        return Ok(LeadLagResult::Matrix(matrix(app, req, resample)?));
    }
    let store = app.open_store()?;
    // Returns over periods where both have a value: align the levels first.
    let (lead_r, lag_r, values) = paired(&store, &req.lead, &req.lag, resample, req.from, req.to)?;
    let ccf = cross_correlations(lead_r.values(), lag_r.values(), req.max_lag)?;
    let forward = GrangerCausality::test(lag_r.values(), lead_r.values(), GrangerOptions::new(req.max_lag))?;
    let reverse = GrangerCausality::test(lead_r.values(), lag_r.values(), GrangerOptions::new(req.max_lag))?;
    let ccf_bands = ccf_bootstrap_bands(lead_r.values(), lag_r.values(), req.max_lag, req.replications, req.seed)?;
    let window = req.window.unwrap_or(match req.freq.as_str() {
        "daily" => 90,
        "weekly" => 52,
        _ => 12,
    });
    let rolling = rolling_correlation_series(&lead_r, &lag_r, window)?;
    // Toda-Yamamoto works on log levels (no differencing), lag order by AIC.
    let (lead_l, lag_l): (Vec<f64>, Vec<f64>) =
        (values[0].iter().map(|v| v.ln()).collect(), values[1].iter().map(|v| v.ln()).collect());
    let ty_forward = TodaYamamoto::test(&lag_l, &lead_l, TodaYamamotoOptions::aic(req.max_lag))?;
    let ty_reverse = TodaYamamoto::test(&lead_l, &lag_l, TodaYamamotoOptions::aic(req.max_lag))?;
    Ok(LeadLagResult::Pair(Box::new(LeadLag {
        lead: req.lead.clone(),
        lag: req.lag.clone(),
        freq: req.freq.clone(),
        n: lead_r.len(),
        first: lead_r.first_date(),
        last: lead_r.last_date(),
        ccf,
        ccf_bands,
        best_lag_aic: forward.selection.best_lag_aic,
        best_lag_bic: forward.selection.best_lag_bic,
        granger: forward.tests,
        granger_reverse: reverse.tests,
        toda_yamamoto: TodaYamamotoPair { forward: ty_forward, reverse: ty_reverse },
        rolling_correlation: RollingCorrelation { window, observations: rolling },
    })))
}

/// Every ordered pair, in parallel; the order of the output is the order of the pairs.
fn matrix(app: &App, req: &LeadLagRequest, resample: fn(&Series) -> Series) -> Result<LeadLagMatrix> {
    let pairs: Vec<(&String, &String)> =
        req.all.iter().flat_map(|a| req.all.iter().filter(move |b| *b != a).map(move |b| (a, b))).collect();
    let pairs = pairs
        .par_iter()
        .map(|(a, b)| -> Result<MatrixCell> {
            // One connection per task: a Store is one SQLite connection.
            let store = app.open_store()?;
            let (x, y, _) = paired(&store, a, b, resample, req.from, req.to)?;
            let g = GrangerCausality::test(y.values(), x.values(), GrangerOptions::new(req.max_lag))?;
            let best = g.selection.best_lag_aic;
            let t = &g.tests[best - 1];
            let r = cross_correlations(x.values(), y.values(), 0)?[0].r;
            Ok(MatrixCell {
                lead: a.to_string(),
                lag: b.to_string(),
                n: x.len(),
                r,
                best_lag_aic: best,
                f: t.f,
                p: t.p,
                p_robust: t.p_robust,
            })
        })
        .collect::<Result<_>>()?;
    Ok(LeadLagMatrix { freq: req.freq.clone(), max_lag: req.max_lag, series: req.all.clone(), pairs })
}
