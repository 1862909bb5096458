//! Does one series lead another? Cross-correlations of returns (log returns
//! of prices; for a rate such as DGS10 or DFF the negated change of the
//! yield, a bond-price proxy: see [`is_rate`]), Granger
//! causality both ways, bootstrap bands, Toda-Yamamoto and rolling correlation.

use rayon::prelude::*;
use riskcurve_core::{
    align, is_federal_business_day, log_returns, nyse_sessions, to_month_end, to_weekly, Calendar, Date, Series,
    SeriesId,
};
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
    /// What was done to the sample: a partial final period dropped.
    pub notes: Vec<String>,
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
    /// What was done to the samples: partial final periods dropped.
    pub notes: Vec<String>,
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

/// The first day of the period keyed `key` (a Friday or a month's end).
fn period_start(freq: &str, key: Date) -> Date {
    match freq {
        "weekly" => key.add_days(-6),
        "monthly" => key.month_start(),
        _ => key,
    }
}

/// The last day in `[start, end]` a series on `calendar` should have a value
/// for, when its period `[start, end]` is complete: every day for crypto, the
/// last NYSE session for equities, the last federal business day for FRED
/// daily series; a weekly series needs a value in the last 7 days and a
/// monthly one any value in the period.
fn expected_last(calendar: Calendar, start: Date, end: Date) -> Date {
    match calendar {
        Calendar::Crypto => end,
        Calendar::Nyse => nyse_sessions(start, end).last().copied().unwrap_or(start),
        Calendar::Business => {
            (0..=end.days_since(start)).map(|k| end.add_days(-k)).find(|d| is_federal_business_day(*d)).unwrap_or(start)
        }
        Calendar::Weekly => end.add_days(-6).max(start),
        Calendar::Monthly => start,
    }
}

/// The calendars behind a series spec (`a/b` has two).
fn calendars(store: &Store, spec: &str) -> Result<Vec<Calendar>> {
    let mut out = Vec::new();
    for id in spec.split('/') {
        let sid: SeriesId = id.parse().map_err(|e| crate::bad_input(format!("series {id}: {e}")))?;
        if let Some(meta) = store.series_meta(&sid)? {
            out.push(meta.calendar);
        }
    }
    Ok(out)
}

/// True when the catalog marks `spec` as a rate (`class = "rate"`: DGS10,
/// DFF, FEDFUNDS), or, for a series the catalog does not know, when it was
/// stored with that class. A yield is not a price: its log return is
/// meaningless (and explodes near zero), so riskcurve never takes one (issue
/// 10 item 15). Lead-lag converts a rate to the negated first difference,
/// rotation and event-study targets refuse it. `a/b` ratios of a rate are
/// refused by [`refuse_rate`].
pub fn is_rate(app: &App, store: &Store, spec: &str) -> Result<bool> {
    for id in spec.split('/') {
        let Ok(sid) = id.parse::<SeriesId>() else { continue };
        let class = match app.catalog.get(&sid) {
            Some(entry) => Some(entry.class.clone()),
            None => store.series_meta(&sid)?.map(|m| m.asset_class),
        };
        if class.as_deref() == Some("rate") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Bad input when `spec` is a rate: `what` needs prices (a rotation rung,
/// an event-study target, a ratio).
pub fn refuse_rate(app: &App, store: &Store, spec: &str, what: &str) -> Result<()> {
    if is_rate(app, store, spec)? {
        return bad(format!(
            "{spec} is a rate (catalog class \"rate\"), not a price: {what} needs prices, and the return of a \
             yield is not a return; use a bond price series (e.g. an ETF such as TLT or IEF) instead"
        ));
    }
    Ok(())
}

/// How a series enters lead-lag.
fn transform_note(spec: &str, rate: bool) -> Option<String> {
    rate.then(|| {
        format!(
            "{spec} is a rate: it enters as the negated change of the yield (percentage points; up = bond prices \
             up), not as log returns, and Toda-Yamamoto uses the negated yield as its level"
        )
    })
}

/// Period returns of two series over common periods, their aligned levels,
/// and notes on what was done.
pub struct Paired {
    /// Returns of the first series.
    pub x: Series,
    /// Returns of the second series.
    pub y: Series,
    /// The aligned levels for Toda-Yamamoto: log closes, or the negated
    /// yield for a rate.
    pub levels: Vec<Vec<f64>>,
    /// A partial final period dropped, and why.
    pub notes: Vec<String>,
}

/// Period closes of two series and their log returns (issue 10 item 21).
///
/// - **daily**: the closes on the dates both series have.
/// - **weekly / monthly**: the last *common* close of each period (week
///   Saturday..Friday keyed by its Friday, or calendar month keyed by its last
///   day): the daily closes are aligned first, so both closes of a period are
///   from the same day (as `rotation` does). When either series is itself
///   weekly or monthly (H.4.1, M2) there are too few common days: each is
///   resampled on its own and the periods aligned.
/// - The final period is dropped when it is partial for either series: its
///   data (after `to`) ends before the last day the series' calendar has a
///   value in that period (see [`expected_last`]).
/// - **returns**: log returns `ln(p_t / p_{t-1})` of a price; for a rate
///   ([`is_rate`]) `-(y_t - y_{t-1})` in percentage points, with the sign
///   flipped so that, like a bond price, it rises when the yield falls.
pub fn paired(
    app: &App,
    store: &Store,
    a: &str,
    b: &str,
    freq: &str,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Paired> {
    let (rate_a, rate_b) = (is_rate(app, store, a)?, is_rate(app, store, b)?);
    for (spec, rate) in [(a, rate_a), (b, rate_b)] {
        if rate && spec.contains('/') {
            refuse_rate(app, store, spec, "a ratio")?;
        }
    }
    let resample = resampler(freq)?;
    let xd = load::closes(store, a)?.between(from, to);
    let yd = load::closes(store, b)?.between(from, to);
    let (ca, cb) = (calendars(store, a)?, calendars(store, b)?);
    let sparse = ca.iter().chain(&cb).any(|c| matches!(c, Calendar::Weekly | Calendar::Monthly));
    let (mut dates, mut values) = if sparse || freq == "daily" {
        align(&[&resample(&xd), &resample(&yd)])
    } else {
        let (dates, values) = align(&[&xd, &yd]);
        let x = resample(&Series::new(dates.clone(), values[0].clone())?);
        let y = resample(&Series::new(dates, values[1].clone())?);
        align(&[&x, &y])
    };
    let mut notes = Vec::new();
    if freq != "daily" {
        if let Some(&key) = dates.last() {
            let start = period_start(freq, key);
            let partial: Vec<String> = [(a, &xd, &ca), (b, &yd, &cb)]
                .iter()
                .filter_map(|(name, s, cals)| {
                    let last = s.last_date()?;
                    let need = cals.iter().map(|c| expected_last(*c, start, key)).min().unwrap_or(key);
                    (last < need).then(|| format!("{name} (data to {last}, period needs {need})"))
                })
                .collect();
            if !partial.is_empty() {
                notes.push(format!(
                    "the final {} ending {key} is partial for {} and is dropped",
                    if freq == "weekly" { "week" } else { "month" },
                    partial.join(", ")
                ));
                dates.pop();
                for v in values.iter_mut() {
                    v.pop();
                }
            }
        }
    }
    notes.extend([transform_note(a, rate_a), transform_note(b, rate_b)].into_iter().flatten());
    let x = returns(&Series::new(dates.clone(), values[0].clone())?, rate_a)?;
    let y = returns(&Series::new(dates, values[1].clone())?, rate_b)?;
    let level = |v: &[f64], rate: bool| -> Vec<f64> { v.iter().map(|v| if rate { -v } else { v.ln() }).collect() };
    let levels = vec![level(&values[0], rate_a), level(&values[1], rate_b)];
    Ok(Paired { x, y, levels, notes })
}

/// Log returns of a price, or the negated first difference of a rate.
fn returns(s: &Series, rate: bool) -> Result<Series> {
    if !rate {
        return Ok(log_returns(s)?);
    }
    let v = s.values();
    Ok(Series::new(s.dates()[1.min(s.len())..].to_vec(), v.windows(2).map(|w| -(w[1] - w[0])).collect())?)
}

/// The largest lag the sample supports: every regression (Granger's
/// unrestricted `2L + 1` coefficients on `n - L` rows; Toda-Yamamoto's
/// `2(L + 1) + 1` on `n - L` rows) keeps at least twice as many rows as
/// coefficients, i.e. `L <= (n - 6) / 5` for `n` paired returns.
pub fn max_lag_supported(n: usize) -> usize {
    n.saturating_sub(6) / 5
}

/// Bad input unless `max_lag` is within what `n` returns support.
fn check_max_lag(max_lag: usize, n: usize, what: &str) -> Result<()> {
    let bound = max_lag_supported(n);
    if max_lag > bound {
        return bad(format!(
            "--max-lag {max_lag}: {what} has {n} paired returns, which support at most {bound} lags \
             (each regression needs at least twice as many rows as coefficients: max lag <= (n - 6) / 5); \
             pass --max-lag {bound} or less, or a longer sample or a finer --freq",
        ));
    }
    Ok(())
}

/// Runs `leadlag`.
pub fn leadlag(app: &App, req: &LeadLagRequest) -> Result<LeadLagResult> {
    resampler(&req.freq)?;
    if req.max_lag == 0 {
        return bad("--max-lag must be at least 1");
    }
    if !req.all.is_empty() {
        return Ok(LeadLagResult::Matrix(matrix(app, req)?));
    }
    let store = app.open_store()?;
    // Returns over periods where both have a value: align the levels first.
    let Paired { x: lead_r, y: lag_r, levels, notes } =
        paired(app, &store, &req.lead, &req.lag, &req.freq, req.from, req.to)?;
    check_max_lag(req.max_lag, lead_r.len(), &format!("{} -> {} ({})", req.lead, req.lag, req.freq))?;
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
    // Toda-Yamamoto works on levels (no differencing): log prices, negated
    // yields; lag order by AIC.
    let (lead_l, lag_l) = (&levels[0], &levels[1]);
    let ty_forward = TodaYamamoto::test(lag_l, lead_l, TodaYamamotoOptions::aic(req.max_lag))?;
    let ty_reverse = TodaYamamoto::test(lead_l, lag_l, TodaYamamotoOptions::aic(req.max_lag))?;
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
        notes,
    })))
}

/// Every ordered pair, in parallel; the order of the output is the order of the pairs.
fn matrix(app: &App, req: &LeadLagRequest) -> Result<LeadLagMatrix> {
    // Each series is read once (in one statement) for all the pairs it is in.
    load::preload(&app.open_store()?, &req.all)?;
    let pairs: Vec<(&String, &String)> =
        req.all.iter().flat_map(|a| req.all.iter().filter(move |b| *b != a).map(move |b| (a, b))).collect();
    let cells = pairs
        .par_iter()
        .map(|(a, b)| -> Result<(MatrixCell, Vec<String>)> {
            // One connection per task: a Store is one SQLite connection.
            let store = app.open_store()?;
            let Paired { x, y, notes, .. } = paired(app, &store, a, b, &req.freq, req.from, req.to)?;
            check_max_lag(req.max_lag, x.len(), &format!("{a} -> {b} ({})", req.freq))?;
            let g = GrangerCausality::test(y.values(), x.values(), GrangerOptions::new(req.max_lag))?;
            let best = g.selection.best_lag_aic;
            let t = &g.tests[best - 1];
            let r = cross_correlations(x.values(), y.values(), 0)?[0].r;
            let cell = MatrixCell {
                lead: a.to_string(),
                lag: b.to_string(),
                n: x.len(),
                r,
                best_lag_aic: best,
                f: t.f,
                p: t.p,
                p_robust: t.p_robust,
            };
            Ok((cell, notes))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut notes: Vec<String> = Vec::new();
    for (_, n) in &cells {
        for note in n {
            if !notes.contains(note) {
                notes.push(note.clone());
            }
        }
    }
    let pairs = cells.into_iter().map(|(c, _)| c).collect();
    Ok(LeadLagMatrix { freq: req.freq.clone(), max_lag: req.max_lag, series: req.all.clone(), pairs, notes })
}
