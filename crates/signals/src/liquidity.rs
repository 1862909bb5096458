//! Net liquidity: the Fed's balance sheet less the cash that sits idle in the
//! Treasury General Account and the overnight reverse-repo facility.
//!
//! # Definition
//!
//! For a target bar dated `D` that closes at instant `c(D)`:
//!
//! ```text
//! net(D) = WALCL(D) - TGA(D) - RRP(D)                       USD millions
//! X(D)   = the latest X whose publication instant <= c(D)   (as-of join, see riskcurve_core::AsOf)
//! ```
//!
//! - WALCL: Fed total assets, the level on Wednesday, from the H.4.1 release.
//! - TGA: FRED WTREGEN, the Treasury General Account as the average of the
//!   daily levels over the week ending Wednesday (FRED's notes: "Week Average"),
//!   from the same H.4.1 release.
//! - RRP: FRED RRPONTSYD, overnight reverse repurchase agreements accepted on
//!   a business day, published the same day around 13:15 New York
//!   ([`RRP_RELEASE`], `+0d 13:15 ET`).
//!
//! Net liquidity therefore mixes a point-in-time level (WALCL on Wednesday)
//! with a week average (TGA) and a daily value (RRP): it is an indicator, not a
//! balance that existed on any one day.
//!
//! The H.4.1 is published Thursday 16:30 New York, or, when Thursday is a
//! federal holiday (Thanksgiving, Independence Day, Christmas, New Year's Day,
//! Veterans Day, Juneteenth), on the next federal business day, usually
//! Friday; a Wednesday holiday does not move it. A few closures that were not
//! holidays moved it too ([`riskcurve_core::H41_EXCEPTIONS`]). That is
//! [`WALCL_RELEASE`] and [`TGA_RELEASE`], `+1d 16:30 ET h41`.
//!
//! Each row holds what had been published by the close of its bar: on a
//! Thursday NYSE bar (close 16:00) the Wednesday WALCL is not yet public and
//! the previous week's level is used; on Friday it is, except in a week whose
//! release moved to Friday 16:30 or later. An NYSE half day closes at 13:00
//! ([`riskcurve_core::nyse_close_time`]; the target close from
//! `Calendar::Nyse.bar_close()`), before that day's 13:15 RRP, so its row holds
//! the previous business day's RRP. A row exists only once all three
//! components have been published at least once.
//!
//! Before 2013-09-23 ([`RRP_DAILY_FROM`]) RRPONTSYD records scattered
//! operations, not a daily balance: a federal business day without an
//! operation means nothing was outstanding, so the row uses 0 for that day
//! (its reference date is that day) instead of carrying the last operation
//! forward.
//!
//! Units are checked, not assumed: each component states its unit and must be
//! a dollar scale ([`Unit::factor_to`] into USD millions); FRED publishes RRP in
//! USD billions, so it is multiplied by 1000. Any other unit is
//! [`SignalError::Unit`].
//!
//! # Changes, regime and decomposition
//!
//! ```text
//! change_Nw(D) = net(D) - net_asof(c(D - 7N days))        N = 4, 13, 26 (28, 91, 182 calendar days)
//! ```
//!
//! where `net_asof(c(E))` is net liquidity as published by the close of the
//! calendar day `E` under the same bar-close rule, whether or not `E` is itself
//! a row (a holiday, a weekend); `None` when a component was not yet published
//! then. Comparing as-known values keeps the change free of look-ahead too.
//!
//! Regime, with a dead band `b >= 0` (USD millions, default 0):
//!
//! ```text
//! Expanding    if change_13w >  b
//! Contracting  if change_13w <= -b
//! otherwise    the previous row's regime (hysteresis; None before the first)
//! ```
//!
//! With `b = 0` that is simply "Expanding when the 13-week change is positive,
//! else Contracting". With `b > 0` the regime depends on earlier rows, so a
//! caller that thins the target dates can see a different regime inside the band.
//!
//! The 13-week change splits exactly into its sources, because
//! `Δnet = ΔWALCL - ΔTGA - ΔRRP`:
//!
//! ```text
//! contrib_13w = (ΔWALCL, -ΔTGA, -ΔRRP)           USD millions, sums to change_13w
//! share_13w   = contrib_13w / change_13w         fractions summing to 1; None when change_13w = 0
//! ```
//!
//! A share above 1 or below 0 means that source moved more than the total, or
//! against it (e.g. the Fed shrank its assets while the RRP drained faster).

use riskcurve_core::{is_federal_business_day, AsOf, Date, Release, ReleaseRule, Series, Timestamp, Tz, Unit};
use serde::Serialize;

use crate::spec::Regime;
use crate::SignalError;

/// FRED WALCL (Wednesday level) is published in the H.4.1, Thursday 16:30 New
/// York or the next federal business day when Thursday is a federal holiday
/// (`+1d 16:30 ET h41`, see [`ReleaseRule::H41`]).
pub const WALCL_RELEASE: Release =
    Release { lag_days: 1, hour: 16, minute: 30, tz: Tz::NewYork, rule: ReleaseRule::H41 };

/// FRED WTREGEN (Treasury General Account, average of the week ending
/// Wednesday) comes with WALCL in the H.4.1.
pub const TGA_RELEASE: Release = WALCL_RELEASE;

/// FRED RRPONTSYD is published the same business day around 13:15 New York.
pub const RRP_RELEASE: Release =
    Release { lag_days: 0, hour: 13, minute: 15, tz: Tz::NewYork, rule: ReleaseRule::Fixed };

/// The first day of the dense daily RRPONTSYD series: 2013-09-23, when the
/// New York Fed began daily overnight reverse repo test operations (the first
/// day of a run of daily values in FRED's series; before it there are 44
/// scattered operations from 2003 to 2013). Before it, a business day without
/// an operation means nothing was outstanding: such a day counts as 0, not as
/// the last operation carried forward. From it on, a missing day (Good Friday
/// and other bond-market holidays) keeps the last value, as operations spanned
/// the holiday.
pub const RRP_DAILY_FROM: Date = Date::from_days(15_971);

/// The unit every output value is in.
pub const UNIT: &str = "USD millions";

/// Look-back of `change_4w`, in calendar days.
pub const DAYS_4W: i32 = 28;
/// Look-back of `change_13w` (and of the regime and decomposition), in calendar days.
pub const DAYS_13W: i32 = 91;
/// Look-back of `change_26w`, in calendar days.
pub const DAYS_26W: i32 = 182;

/// One input series with the unit it is in and when its values become public.
#[derive(Debug, Clone)]
pub struct LiquidityComponent<'a> {
    /// Observations keyed by reference date.
    pub series: &'a Series,
    /// The unit of the values; must be a dollar scale.
    pub unit: Unit,
    /// When the value for a reference date is published.
    pub release: Release,
}

/// The three series net liquidity is built from.
#[derive(Debug, Clone)]
pub struct LiquidityInput<'a> {
    /// Fed total assets (FRED WALCL).
    pub walcl: LiquidityComponent<'a>,
    /// Treasury General Account, week average (FRED WTREGEN).
    pub tga: LiquidityComponent<'a>,
    /// Overnight reverse repo (FRED RRPONTSYD).
    pub rrp: LiquidityComponent<'a>,
}

/// Tuning of the regime classification.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LiquidityParams {
    /// Dead band around zero for the 13-week change, USD millions (default 0).
    pub dead_band: f64,
}

impl Default for LiquidityParams {
    fn default() -> LiquidityParams {
        LiquidityParams { dead_band: 0.0 }
    }
}

/// Net liquidity history, one row per target date with all components known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiquidityReport {
    /// Always [`UNIT`].
    pub unit: String,
    /// Rows in target-date order.
    pub observations: Vec<LiquidityRow>,
}

/// What was known about net liquidity by the close of one target bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiquidityRow {
    /// The target bar.
    pub date: Date,
    /// `walcl - tga - rrp`, USD millions.
    pub net_liquidity: f64,
    /// Fed total assets, USD millions.
    pub walcl: f64,
    /// Treasury General Account, average of the week ending Wednesday, USD millions.
    pub tga: f64,
    /// Overnight reverse repo, USD millions (0 on a day without an operation
    /// before [`RRP_DAILY_FROM`]).
    pub rrp: f64,
    /// The reference date of each component value used.
    pub reference_dates: ReferenceDates,
    /// Change against the value known 28 days earlier.
    pub change_4w: Option<f64>,
    /// Change against the value known 91 days earlier.
    pub change_13w: Option<f64>,
    /// Change against the value known 182 days earlier.
    pub change_26w: Option<f64>,
    /// Expanding or contracting, from `change_13w` (see the module docs).
    pub regime: Option<Regime>,
    /// The 13-week change by source, USD millions.
    pub contrib_13w: Option<Contributions>,
    /// The 13-week change by source, as fractions of it.
    pub share_13w: Option<Shares>,
}

/// Reference dates of the component values a row uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReferenceDates {
    /// WALCL's Wednesday.
    pub walcl: Date,
    /// TGA's reference date (the Wednesday ending its week).
    pub tga: Date,
    /// RRP's business day (before [`RRP_DAILY_FROM`], the day counted as 0
    /// when it had no operation).
    pub rrp: Date,
}

/// A change in net liquidity split by source, USD millions: `walcl + tga + rrp = Δnet`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Contributions {
    /// `ΔWALCL`.
    pub walcl: f64,
    /// `-ΔTGA` (a falling TGA adds liquidity).
    pub tga: f64,
    /// `-ΔRRP` (a draining RRP adds liquidity).
    pub rrp: f64,
}

/// [`Contributions`] divided by the total change; they sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Shares {
    /// Share from the Fed's assets.
    pub walcl: f64,
    /// Share from the TGA.
    pub tga: f64,
    /// Share from the RRP.
    pub rrp: f64,
}

/// Every calendar day from `from` to `to`, both inclusive (empty when
/// `from > to`): the daily target calendar.
pub fn every_day(from: Date, to: Date) -> Vec<Date> {
    (from.days()..=to.days()).map(Date::from_days).collect()
}

/// Net liquidity on each of `target` (strictly increasing dates whose bars
/// close at `target_close.known_at(date)`), from what was published by then.
///
/// Target dates before every component has been published are skipped.
///
/// # Errors
///
/// [`SignalError::Unit`] for a component not in a dollar unit,
/// [`SignalError::NoData`] for an empty component, and
/// [`SignalError::InvalidParameter`] for a negative or non-finite dead band or
/// target dates out of order.
///
/// ```
/// use riskcurve_core::{Calendar, Series, Unit};
/// use riskcurve_signals::liquidity::*;
/// let d = |s: &str| s.parse().unwrap();
/// let walcl = Series::new(vec![d("2026-01-14")], vec![6_581_700.0]).unwrap();
/// let tga = Series::new(vec![d("2026-01-14")], vec![779_175.0]).unwrap();
/// let rrp = Series::new(vec![d("2026-01-16")], vec![1.222]).unwrap(); // USD billions
/// let input = LiquidityInput {
///     walcl: LiquidityComponent { series: &walcl, unit: Unit::UsdMillions, release: WALCL_RELEASE },
///     tga: LiquidityComponent { series: &tga, unit: Unit::UsdMillions, release: TGA_RELEASE },
///     rrp: LiquidityComponent { series: &rrp, unit: Unit::UsdBillions, release: RRP_RELEASE },
/// };
/// let nyse = Calendar::Nyse.bar_close().unwrap();
/// let report = net_liquidity(&input, &[d("2026-01-15"), d("2026-01-16")], nyse, &LiquidityParams::default()).unwrap();
/// // Thursday's bar closes before WALCL is out: only Friday has a row.
/// assert_eq!(report.observations.len(), 1);
/// assert_eq!(report.observations[0].net_liquidity, 6_581_700.0 - 779_175.0 - 1_222.0);
/// ```
pub fn net_liquidity(
    input: &LiquidityInput<'_>,
    target: &[Date],
    target_close: Release,
    params: &LiquidityParams,
) -> Result<LiquidityReport, SignalError> {
    let band = params.dead_band;
    if !band.is_finite() || band < 0.0 {
        return Err(SignalError::param("--dead-band", format!("must be a finite number >= 0, got {band}")));
    }
    if let Some(w) = target.windows(2).find(|w| w[1] <= w[0]) {
        return Err(SignalError::param(
            "target dates",
            format!("must be strictly increasing: {} after {}", w[1], w[0]),
        ));
    }
    let known = Known {
        walcl: Component::new("walcl", &input.walcl, None)?,
        tga: Component::new("tga", &input.tga, None)?,
        rrp: Component::new("rrp", &input.rrp, Some(RRP_DAILY_FROM))?,
    };
    let earlier = |date: Date, days: i32| known.at(target_close.known_at(date.add_days(-days)));

    let mut observations: Vec<LiquidityRow> = Vec::new();
    let mut regime = None;
    for &date in target {
        let Some(now) = known.at(target_close.known_at(date)) else { continue };
        let change = |days: i32| earlier(date, days).map(|then| now.net() - then.net());
        let then_13w = earlier(date, DAYS_13W);
        let change_13w = then_13w.map(|then| now.net() - then.net());
        regime = match change_13w {
            Some(c) if c > band => Some(Regime::Expanding),
            Some(c) if c <= -band => Some(Regime::Contracting),
            Some(_) => regime,
            None => None,
        };
        let contrib_13w = then_13w.map(|then| Contributions {
            walcl: now.walcl.1 - then.walcl.1,
            tga: -(now.tga.1 - then.tga.1),
            rrp: -(now.rrp.1 - then.rrp.1),
        });
        let share_13w = match (contrib_13w, change_13w) {
            (Some(c), Some(total)) if total != 0.0 => {
                Some(Shares { walcl: c.walcl / total, tga: c.tga / total, rrp: c.rrp / total })
            }
            _ => None,
        };
        observations.push(LiquidityRow {
            date,
            net_liquidity: now.net(),
            walcl: now.walcl.1,
            tga: now.tga.1,
            rrp: now.rrp.1,
            reference_dates: ReferenceDates { walcl: now.walcl.0, tga: now.tga.0, rrp: now.rrp.0 },
            change_4w: change(DAYS_4W),
            change_13w,
            change_26w: change(DAYS_26W),
            regime,
            contrib_13w,
            share_13w,
        });
    }
    Ok(LiquidityReport { unit: UNIT.to_string(), observations })
}

/// The rows on which `regime` begins, and the rows on which it could have:
/// `(onsets, eligible)`.
///
/// Eligible rows are those with a known regime; a row with `regime: None`
/// (the 13-week change not yet computable at the start of the data, or inside
/// the dead band before the first classification) is neither. An onset is an
/// eligible row in `regime` whose previous eligible row was in the other
/// regime, so the first row with a known regime is never an onset: its regime
/// only became computable, it did not change (issue 10 item 23; treating
/// `None` as "not in the regime" made the first computable row an onset).
pub fn regime_onsets(rows: &[LiquidityRow], regime: Regime) -> (Vec<Date>, Vec<Date>) {
    let known: Vec<(Date, Regime)> = rows.iter().filter_map(|r| Some((r.date, r.regime?))).collect();
    let onsets = known.windows(2).filter(|w| w[1].1 == regime && w[0].1 != regime).map(|w| w[1].0).collect();
    (onsets, known.iter().map(|(d, _)| *d).collect())
}

/// A component ready for as-of lookups, with its factor into USD millions.
struct Component<'a> {
    asof: AsOf<'a>,
    factor: f64,
    release: Release,
    /// Before this day a federal business day without a value counts as 0
    /// (a sparse series of operations, see [`RRP_DAILY_FROM`]).
    zero_when_missing_before: Option<Date>,
}

impl<'a> Component<'a> {
    fn new(
        name: &str,
        c: &LiquidityComponent<'a>,
        zero_when_missing_before: Option<Date>,
    ) -> Result<Component<'a>, SignalError> {
        let factor = c.unit.factor_to(&Unit::UsdMillions).ok_or_else(|| SignalError::Unit {
            series: name.to_string(),
            found: c.unit.to_string(),
            expected: UNIT.to_string(),
        })?;
        if c.series.is_empty() {
            return Err(SignalError::no_data(name, "no observations"));
        }
        Ok(Component { asof: AsOf::new(c.series, c.release), factor, release: c.release, zero_when_missing_before })
    }

    /// The value known at `t` as `(reference date, USD millions)`; `None`
    /// before the series' first publication.
    fn at(&self, t: Timestamp) -> Option<(Date, f64)> {
        let (date, value) = self.asof.value_known_at(t)?;
        if let Some(dense_from) = self.zero_when_missing_before {
            let due = self.latest_business_day_due(t, date);
            if due < dense_from && due != date {
                return Some((due, 0.0));
            }
        }
        Some((date, value * self.factor))
    }

    /// The latest federal business day whose value was due by `t`; `found`
    /// (the latest published observation) bounds the search from below.
    fn latest_business_day_due(&self, t: Timestamp, found: Date) -> Date {
        let mut day = Date::from_unix_seconds(t.0).add_days(1);
        while day > found && !(is_federal_business_day(day) && self.release.known_at(day) <= t) {
            day = day.add_days(-1);
        }
        day
    }
}

struct Known<'a> {
    walcl: Component<'a>,
    tga: Component<'a>,
    rrp: Component<'a>,
}

impl Known<'_> {
    /// What was published of all three by instant `t`, in USD millions.
    fn at(&self, t: Timestamp) -> Option<Snapshot> {
        Some(Snapshot { walcl: self.walcl.at(t)?, tga: self.tga.at(t)?, rrp: self.rrp.at(t)? })
    }
}

/// `(reference date, USD millions)` of each component.
#[derive(Clone, Copy)]
struct Snapshot {
    walcl: (Date, f64),
    tga: (Date, f64),
    rrp: (Date, f64),
}

impl Snapshot {
    fn net(&self) -> f64 {
        self.walcl.1 - self.tga.1 - self.rrp.1
    }
}
