//! Rotation along the risk curve: the relative strength of each rung against
//! the rung before it, its momentum, its quadrant, and how far down the curve
//! the money is flowing.
//!
//! # Curve
//!
//! An ordered list of rungs, safest first; the default is
//! `spx -> rut -> btc -> eth -> alts` ([`DEFAULT_RUNGS`]), where `alts` is the
//! equal-weight basket of [`alt_basket`]. Rung `i` is measured against rung
//! `i - 1`.
//!
//! # Formulas
//!
//! These are open formulas in the spirit of relative rotation graphs (RRG).
//! Julius de Kempenaer's RS-Ratio and RS-Momentum are proprietary and
//! unpublished; these are not his numbers, only the same idea: a normalised
//! ratio and its rate of change, both centred on 100.
//!
//! ```text
//! r_t          = rung_t / prev_t                          on the dates both have a close
//! raw_t        = 100 * r_t / SMA_n(r)_t                   n = ratio_window (default 10)
//! RS-Ratio_t   = SMA_s(raw)_t                             s = smoothing (default 3; 1 = none)
//! RS-Momentum_t = 100 * RS-Ratio_t / RS-Ratio_{t-m}       m = momentum_lag (default 4)
//! ```
//!
//! `SMA_k(x)_t` is the mean of `x_{t-k+1} .. x_t`; all windows count periods
//! of the chosen frequency. The first value needs `n + s + m - 1` periods.
//!
//! # Frequency
//!
//! - **weekly** (default): the ratio is taken on the days both rungs closed,
//!   then the last ratio of each Saturday..Friday week is kept, keyed by its
//!   Friday ([`riskcurve_core::to_weekly`]). Taking the ratio before resampling
//!   keeps both closes on the same day even when one series ends mid-week.
//!   Weekly data is what RRG charts use; it filters the daily noise and the
//!   weekend gap between equities and crypto.
//! - **daily**: the ratio on every day both rungs closed (for an equity rung
//!   that means NYSE sessions, so crypto weekends drop out).
//!
//! An equity close (16:00 New York) and a crypto daily close (00:00 UTC, i.e.
//! 19:00 or 20:00 New York) of the same date are three to four hours apart;
//! the ratio ignores that gap.
//!
//! # Quadrants and stage
//!
//! | quadrant | RS-Ratio | RS-Momentum |
//! |---|---|---|
//! | leading | > 100 | > 100 |
//! | weakening | > 100 | <= 100 |
//! | lagging | <= 100 | <= 100 |
//! | improving | <= 100 | > 100 |
//!
//! The **stage** on a date is the largest `i` such that rung `i` is leading or
//! improving against rung `i - 1`, or 0 ("none") when no rung is. Stage `i` is
//! named `"<label i-1> -> <label i>"`: with the default curve 1 is
//! "large caps -> small caps", 2 "small caps -> bitcoin", 3 "bitcoin ->
//! ethereum" and 4 "ethereum -> altcoins". It marks the front of the flow:
//! the earlier rungs need not be leading (money may already have left them).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use riskcurve_core::{align, to_weekly, CoreError, Date, Series};
use serde::Serialize;

use crate::altseason::{Exclusions, Membership};
use crate::SignalError;

/// The default curve: `(name, label)` from large caps to altcoins.
pub const DEFAULT_RUNGS: [(&str, &str); 5] =
    [("spx", "large caps"), ("rut", "small caps"), ("btc", "bitcoin"), ("eth", "ethereum"), ("alts", "altcoins")];

/// The sampling of the ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// Every common daily close.
    Daily,
    /// The last common close of each week, keyed by its Friday.
    Weekly,
}

impl FromStr for Frequency {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<Frequency, SignalError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "daily" => Ok(Frequency::Daily),
            "weekly" => Ok(Frequency::Weekly),
            _ => Err(SignalError::param("--frequency", format!("unknown frequency {s:?}: expected daily or weekly"))),
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        })
    }
}

/// Where a rung sits against the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Quadrant {
    /// Outperforming, and more so.
    Leading,
    /// Outperforming, but less so.
    Weakening,
    /// Underperforming, and more so.
    Lagging,
    /// Underperforming, but less so.
    Improving,
}

impl Quadrant {
    /// The quadrant of an `(RS-Ratio, RS-Momentum)` point (see the module table).
    pub fn of(rs_ratio: f64, rs_momentum: f64) -> Quadrant {
        match (rs_ratio > 100.0, rs_momentum > 100.0) {
            (true, true) => Quadrant::Leading,
            (true, false) => Quadrant::Weakening,
            (false, false) => Quadrant::Lagging,
            (false, true) => Quadrant::Improving,
        }
    }

    /// Leading or improving: money is moving toward the rung.
    pub fn is_gaining(self) -> bool {
        matches!(self, Quadrant::Leading | Quadrant::Improving)
    }
}

/// Parameters of the relative-strength formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RotationParams {
    /// Sampling of the ratio (default weekly).
    pub frequency: Frequency,
    /// `n`: periods of the ratio's moving average (default 10, at least 2).
    pub ratio_window: usize,
    /// `s`: periods of the RS-Ratio smoothing (default 3; 1 = none).
    pub smoothing: usize,
    /// `m`: periods back for RS-Momentum (default 4).
    pub momentum_lag: usize,
}

impl Default for RotationParams {
    fn default() -> RotationParams {
        RotationParams { frequency: Frequency::Weekly, ratio_window: 10, smoothing: 3, momentum_lag: 4 }
    }
}

/// One rung of the curve.
#[derive(Debug, Clone)]
pub struct Rung<'a> {
    /// Identifier (`rut`), as in the report.
    pub name: String,
    /// Words for stage names (`small caps`).
    pub label: String,
    /// Daily closes.
    pub series: &'a Series,
}

impl<'a> Rung<'a> {
    /// A rung named `name`, described by `label`.
    pub fn new(name: &str, label: &str, series: &'a Series) -> Rung<'a> {
        Rung { name: name.to_string(), label: label.to_string(), series }
    }
}

/// Relative strength of one rung against another on one date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RsPoint {
    /// Period end.
    pub date: Date,
    /// `r_t = rung / prev`.
    pub ratio: f64,
    /// Normalised, smoothed ratio, centred on 100.
    pub rs_ratio: f64,
    /// Rate of change of RS-Ratio, centred on 100.
    pub rs_momentum: f64,
}

/// The rotation history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RotationReport {
    /// Rung names in curve order.
    pub rungs: Vec<String>,
    /// `stage_names[i]` names stage `i`.
    pub stage_names: Vec<String>,
    /// The formulas' parameters.
    pub params: RotationParams,
    /// Rows in date order, one per period every pair has values for.
    pub observations: Vec<RotationRow>,
    /// The latest row.
    pub current: Option<RotationRow>,
    /// Caveats: rungs whose data runs past the last row, no rows.
    pub warnings: Vec<String>,
}

/// The state of the curve on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RotationRow {
    /// Period end.
    pub date: Date,
    /// Rungs 1.. against their predecessors, in curve order.
    pub rungs: Vec<RungState>,
    /// The furthest rung that is leading or improving (0 = none).
    pub stage: usize,
    /// `stage_names[stage]`.
    pub stage_name: String,
}

/// One rung against the one before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RungState {
    /// The rung.
    pub rung: String,
    /// The rung it is measured against.
    pub vs: String,
    /// RS-Ratio.
    pub rs_ratio: f64,
    /// RS-Momentum.
    pub rs_momentum: f64,
    /// Quadrant of the point.
    pub quadrant: Quadrant,
}

/// RS-Ratio and RS-Momentum of `rung` against `vs` (see the module docs),
/// from the first period both are defined.
///
/// # Errors
///
/// [`SignalError::InvalidParameter`] for a window below its minimum;
/// [`SignalError::Core`] (non-positive price) for a close at or below zero.
pub fn relative_strength(rung: &Series, vs: &Series, params: &RotationParams) -> Result<Vec<RsPoint>, SignalError> {
    validate(params)?;
    let (dates, columns) = align(&[rung, vs]);
    for (k, date) in dates.iter().enumerate() {
        for value in [columns[0][k], columns[1][k]] {
            if value <= 0.0 {
                return Err(CoreError::NonPositivePrice { date: *date, value }.into());
            }
        }
    }
    let daily = Series::new(dates, columns[0].iter().zip(&columns[1]).map(|(a, b)| a / b).collect())?;
    let ratio = match params.frequency {
        Frequency::Daily => daily,
        Frequency::Weekly => to_weekly(&daily),
    };
    let (n, s, m) = (params.ratio_window, params.smoothing, params.momentum_lag);
    let r = ratio.values();
    let raw: Vec<f64> = (n - 1..r.len()).map(|k| 100.0 * r[k] / mean(&r[k + 1 - n..=k])).collect();
    let rs_ratio: Vec<f64> = (s - 1..raw.len()).map(|k| mean(&raw[k + 1 - s..=k])).collect();
    // rs_ratio[j] belongs to the date of r[j + n + s - 2].
    let offset = n + s - 2;
    Ok((m..rs_ratio.len())
        .map(|j| RsPoint {
            date: ratio.dates()[j + offset],
            ratio: r[j + offset],
            rs_ratio: rs_ratio[j],
            rs_momentum: 100.0 * rs_ratio[j] / rs_ratio[j - m],
        })
        .collect())
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn validate(params: &RotationParams) -> Result<(), SignalError> {
    if params.ratio_window < 2 {
        return Err(SignalError::param("--ratio-window", format!("must be at least 2, got {}", params.ratio_window)));
    }
    if params.smoothing == 0 {
        return Err(SignalError::param("--smoothing", "must be at least 1 (1 = no smoothing)"));
    }
    if params.momentum_lag == 0 {
        return Err(SignalError::param("--momentum-lag", "must be at least 1"));
    }
    Ok(())
}

/// The rotation history of a curve of at least two rungs: one row per period
/// on which every rung has RS values against its predecessor.
///
/// # Errors
///
/// [`SignalError::InvalidParameter`] for fewer than two rungs, a blank or
/// repeated rung name, or bad [`RotationParams`]; errors of
/// [`relative_strength`].
pub fn rotation(rungs: &[Rung<'_>], params: &RotationParams) -> Result<RotationReport, SignalError> {
    validate(params)?;
    if rungs.len() < 2 {
        return Err(SignalError::param("--rungs", format!("need at least two rungs, got {}", rungs.len())));
    }
    let mut seen = BTreeSet::new();
    for rung in rungs {
        if rung.name.trim().is_empty() || !seen.insert(rung.name.as_str()) {
            return Err(SignalError::param(
                "--rungs",
                format!("rung names must be non-empty and distinct: {:?}", rung.name),
            ));
        }
    }
    let mut stage_names = vec!["none".to_string()];
    stage_names.extend(rungs.windows(2).map(|w| format!("{} -> {}", w[0].label, w[1].label)));

    let pairs: Vec<BTreeMap<Date, RsPoint>> = rungs
        .windows(2)
        .map(|w| Ok(relative_strength(w[1].series, w[0].series, params)?.into_iter().map(|p| (p.date, p)).collect()))
        .collect::<Result<_, SignalError>>()?;
    let mut observations = Vec::new();
    for date in pairs[0].keys() {
        let Some(points) = pairs.iter().map(|p| p.get(date)).collect::<Option<Vec<&RsPoint>>>() else { continue };
        let states: Vec<RungState> = points
            .iter()
            .zip(rungs.windows(2))
            .map(|(p, w)| RungState {
                rung: w[1].name.clone(),
                vs: w[0].name.clone(),
                rs_ratio: p.rs_ratio,
                rs_momentum: p.rs_momentum,
                quadrant: Quadrant::of(p.rs_ratio, p.rs_momentum),
            })
            .collect();
        let stage = states.iter().rposition(|s| s.quadrant.is_gaining()).map_or(0, |i| i + 1);
        observations.push(RotationRow { date: *date, rungs: states, stage, stage_name: stage_names[stage].clone() });
    }
    let warnings = warnings(rungs, &observations, params);
    Ok(RotationReport {
        rungs: rungs.iter().map(|r| r.name.clone()).collect(),
        stage_names,
        params: *params,
        current: observations.last().cloned(),
        observations,
        warnings,
    })
}

fn warnings(rungs: &[Rung<'_>], rows: &[RotationRow], params: &RotationParams) -> Vec<String> {
    let Some(last) = rows.last() else {
        let need = params.ratio_window + params.smoothing + params.momentum_lag - 1;
        return vec![format!(
            "no period has values for every rung: each adjacent pair needs {need} common {} periods",
            params.frequency
        )];
    };
    let later: Vec<String> = rungs
        .iter()
        .filter_map(|r| r.series.last_date().filter(|d| *d > last.date).map(|d| format!("{} (to {d})", r.name)))
        .collect();
    if later.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "the latest row is {}, the last period every rung has data for; later data of {} is not used",
        last.date,
        later.join(", ")
    )]
}

/// Point-in-time membership for [`alt_basket`]: at each rebalance the basket
/// holds the top `top` alts of the freshest snapshot at most `max_age_days`
/// old (BTC, excluded and left-out symbols skipped before counting).
#[derive(Debug, Clone, Copy)]
pub struct PointInTime<'a> {
    /// Ranked symbol lists by date.
    pub membership: &'a Membership,
    /// How many top-ranked alts the basket may hold.
    pub top: usize,
    /// Oldest a snapshot may be to count.
    pub max_age_days: u32,
}

/// One monthly rebalance of the alt basket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rebalance {
    /// First basket date this membership is in force.
    pub from: Date,
    /// The base date: closes on it are the new equal weights.
    pub base: Date,
    /// The snapshot the members come from; `None`: no snapshot covered the
    /// base date, so the basket held every stored alt (survivorship: today's
    /// universe standing in for the past).
    pub snapshot: Option<Date>,
    /// Alts the snapshot's top list names (0 without a snapshot).
    pub listed: usize,
    /// Alts held: those listed (or, without a snapshot, stored) with a close
    /// on the base date.
    pub held: usize,
}

impl Rebalance {
    /// Where the members came from, in words: `41 of the top 50 listed on
    /// 2020-11-01`, or without a snapshot the survivorship caveat.
    pub fn membership(&self) -> String {
        match self.snapshot {
            Some(s) => format!("{} of the top {} listed on {s}", self.held, self.listed),
            None => "every alt stored today (no snapshot: survivorship)".to_string(),
        }
    }
}

/// The alt basket's closes and the membership behind each month.
#[derive(Debug, Clone, PartialEq)]
pub struct AltBasket {
    /// Basket level, starting at 100.
    pub closes: Series,
    /// Rebalances in date order; the first is in force from the first close.
    pub rebalances: Vec<Rebalance>,
}

impl AltBasket {
    /// The rebalance in force on `date` (`None` before the first close).
    pub fn at(&self, date: Date) -> Option<&Rebalance> {
        let i = self.rebalances.partition_point(|r| r.from <= date);
        i.checked_sub(1).map(|i| &self.rebalances[i])
    }

    /// A survivorship warning when some months held every stored alt for
    /// want of a snapshot.
    pub fn warnings(&self) -> Vec<String> {
        let fallback: Vec<&Rebalance> = self.rebalances.iter().filter(|r| r.snapshot.is_none()).collect();
        match (fallback.first(), fallback.last()) {
            (Some(first), Some(last)) => vec![format!(
                "survivorship: the alt basket holds every alt stored today in {} of {} months ({} to {}): no \
                 membership snapshot covers them",
                fallback.len(),
                self.rebalances.len(),
                first.from.month_start(),
                last.from.month_start()
            )],
            _ => vec![],
        }
    }
}

/// Equal-weight basket of altcoins, rebalanced monthly, starting at 100.
///
/// The eligible alts are the series in `alts` except `btc`, the symbols in
/// `exclusions` and those in `leave_out` (all compared case-insensitively;
/// pass `["eth"]` when ETH is a rung of its own). With `D` the union of their
/// dates and `b` the basket's last date of the previous month (its first date
/// for the first month):
///
/// ```text
/// members(month)  = eligible alts with a close on b
///                   (with `pit`: only those among the snapshot's top list)
/// basket_t        = basket_b * mean over members i of ( p_i(t) / p_i(b) )     for t in the month
/// basket_first    = 100
/// ```
///
/// so each month starts with equal weights, which then drift with prices
/// until the next month's rebalance. `p_i(t)` is the last close of `i` on or
/// before `t`: a coin that stops trading mid-month is held at its last close
/// until the month ends, then drops out; a newly listed coin joins at the
/// first rebalance after its first close.
///
/// With `pit`, a month whose base date no snapshot covers, or whose snapshot
/// names no stored alt with a close on `b`, holds every eligible alt and says
/// so (`snapshot: None`).
///
/// # Errors
///
/// [`SignalError::NoData`] when no alt is eligible or none has a close;
/// [`SignalError::Core`] for a close at or below zero.
pub fn alt_basket(
    alts: &BTreeMap<String, Series>,
    exclusions: &Exclusions,
    leave_out: &[&str],
    pit: Option<PointInTime>,
) -> Result<AltBasket, SignalError> {
    let left_out = |s: &str| leave_out.iter().any(|x| x.trim().eq_ignore_ascii_case(s.trim()));
    let counted = |s: &str| !s.trim().eq_ignore_ascii_case("btc") && !exclusions.contains(s) && !left_out(s);
    let eligible: BTreeMap<String, &Series> =
        alts.iter().filter(|(s, _)| counted(s)).map(|(s, series)| (s.trim().to_ascii_lowercase(), series)).collect();
    for s in eligible.values() {
        if let Some((date, value)) = s.iter().find(|(_, v)| *v <= 0.0) {
            return Err(CoreError::NonPositivePrice { date, value }.into());
        }
    }
    let mut grid: Vec<Date> = eligible.values().flat_map(|s| s.dates().iter().copied()).collect();
    grid.sort_unstable();
    grid.dedup();
    let Some(&first) = grid.first() else {
        return Err(SignalError::no_data("alt basket", "no eligible alt has a close"));
    };
    // A member: its series, its base close, and the index of its close on
    // the base date, moved forward as the days pass (the last close on or
    // before each day without a search).
    let with_close = |b: Date, names: &mut dyn Iterator<Item = &String>| -> Vec<(&Series, f64, usize)> {
        let members = names.filter_map(|n| eligible.get(n));
        members.filter_map(|s| s.dates().binary_search(&b).ok().map(|i| (*s, s.values()[i], i))).collect()
    };
    let rebalance = |from: Date, b: Date| -> (Rebalance, Vec<(&Series, f64, usize)>) {
        let snapshot = pit.and_then(|p| {
            let (date, ranked) = p.membership.at(b, p.max_age_days)?;
            Some((date, ranked.iter().filter(|s| counted(s)).take(p.top).collect::<Vec<_>>()))
        });
        if let Some((date, listed)) = snapshot {
            let members = with_close(b, &mut listed.iter().copied());
            if !members.is_empty() {
                let held = members.len();
                return (Rebalance { from, base: b, snapshot: Some(date), listed: listed.len(), held }, members);
            }
        }
        let members = with_close(b, &mut eligible.keys());
        (Rebalance { from, base: b, snapshot: None, listed: 0, held: members.len() }, members)
    };

    let (mut level, (r, mut members)) = (100.0, rebalance(first, first));
    let mut rebalances = vec![r];
    let mut prev = first;
    let mut pairs = Vec::with_capacity(grid.len());
    for &t in &grid {
        if t.month_start() != prev.month_start() {
            // `prev` is the last date of the previous month: its value is the
            // new level and its closes the new base. Some alt closed on it
            // (it is in the union grid), so members is never empty.
            level = pairs.last().map_or(level, |(_, v)| *v);
            let (r, m) = rebalance(t, prev);
            rebalances.push(r);
            members = m;
        }
        let mut growth = 0.0;
        for (s, base, i) in &mut members {
            while s.dates().get(*i + 1).is_some_and(|d| *d <= t) {
                *i += 1;
            }
            growth += s.values()[*i] / *base;
        }
        pairs.push((t, level * growth / members.len() as f64));
        prev = t;
    }
    Ok(AltBasket { closes: Series::from_pairs(pairs)?, rebalances })
}
