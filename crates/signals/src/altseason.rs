//! Altcoin season index: the share of the top altcoins that beat Bitcoin over
//! a trailing window.
//!
//! # Definition
//!
//! For a day `D` and a window of `w` days (default 90):
//!
//! ```text
//! close_X(E)  = the last close of X dated in [E - tol, E], at date e_X(E)   (tol = 3 days by default)
//! ret_a(D)    = close_a(D) / close_a(D - w) - 1
//! btc_a(D)    = BTC's return between the same dates: close_BTC(e_a(D)) / close_BTC(e_a(D - w)) - 1
//! eligible(D) = the universe members (below) with both closes, and BTC closes at their dates
//! index(D)    = 100 * #{ a in eligible(D) : ret_a(D) > btc_a(D) } / #eligible(D)
//! ```
//!
//! The tolerance lets a coin with a missing day (an exchange outage) count;
//! without a close in the last `tol` days a coin (or BTC) is out that day.
//! Each coin is compared with BTC over the days its own closes span, so a coin
//! whose latest close is two days old is not judged against BTC's last two
//! days. With gap-free daily data (the usual case) `e_a(E) = E` and this is
//! plainly "the alt's w-day return beats BTC's". A row is emitted only when
//! BTC has closes on `D` and `D - w` and at least `min_coins` (default 5) alts
//! are eligible; `n_coins` says how many were.
//!
//! # Universe
//!
//! - **point-in-time**: when a membership snapshot (a ranked symbol list, e.g.
//!   CoinMarketCap's monthly top 200) is dated on or before `D` and at most
//!   `max_snapshot_age_days` (40) old, the universe is its first N symbols
//!   after dropping BTC and the excluded symbols, in rank order; members
//!   without prices are left out (not replaced by lower ranks), so `n_coins`
//!   shows the coverage.
//! - **catalog**: otherwise every alt passed in (minus BTC and exclusions).
//!   These are the coins someone chose to track *today*: coins that faded or
//!   died are missing, which biases the index toward altseason (survivorship).
//!   The report warns whenever this fallback is used.
//!
//! Symbols are compared case-insensitively (`SOL`, `sol`); `btc` is never an
//! alt. Stablecoins, wrapped and asset-backed tokens are excluded by a list the
//! caller passes with its version ([`Exclusions`]), which the report cites.
//!
//! # Rules
//!
//! | rule | N | state |
//! |---|---|---|
//! | `blockchaincenter` | 50 | altseason if index >= 75, bitcoin season if <= 25, else neutral |
//! | `cmc` | 100 | the same thresholds |
//!
//! blockchaincenter.net defines altseason as 75% of its top 50 beating BTC
//! over 90 days and calls <= 25% bitcoin season; CoinMarketCap's index uses
//! its top 100 with the same 75/25 reading. Neither publishes its exact data
//! handling, so our values approximate theirs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use riskcurve_core::{Date, Series};
use serde::Serialize;

use crate::SignalError;

/// Index at or above which it is altseason.
pub const ALTSEASON_AT: f64 = 75.0;
/// Index at or below which it is bitcoin season.
pub const BITCOIN_SEASON_AT: f64 = 25.0;
/// Below this many coins the report warns that the index is coarse.
pub const FEW_COINS: usize = 10;

/// Which published index to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AltseasonRule {
    /// blockchaincenter.net: top 50 alts.
    BlockchainCenter,
    /// CoinMarketCap: top 100 alts.
    Cmc,
}

impl AltseasonRule {
    /// How many top-ranked alts the point-in-time universe holds.
    pub fn top_n(self) -> usize {
        match self {
            AltseasonRule::BlockchainCenter => 50,
            AltseasonRule::Cmc => 100,
        }
    }

    /// The name as written on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AltseasonRule::BlockchainCenter => "blockchaincenter",
            AltseasonRule::Cmc => "cmc",
        }
    }
}

impl FromStr for AltseasonRule {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<AltseasonRule, SignalError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "blockchaincenter" => Ok(AltseasonRule::BlockchainCenter),
            "cmc" => Ok(AltseasonRule::Cmc),
            _ => Err(SignalError::param("--rule", format!("unknown rule {s:?}: expected blockchaincenter or cmc"))),
        }
    }
}

impl fmt::Display for AltseasonRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AltseasonRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The reading of an index value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AltseasonState {
    /// Index >= 75.
    #[serde(rename = "altseason")]
    Altseason,
    /// Between the thresholds.
    #[serde(rename = "neutral")]
    Neutral,
    /// Index <= 25.
    #[serde(rename = "bitcoin season")]
    BitcoinSeason,
}

impl AltseasonState {
    /// The state of an index value (both rules share the thresholds).
    pub fn of(index: f64) -> AltseasonState {
        if index >= ALTSEASON_AT {
            AltseasonState::Altseason
        } else if index <= BITCOIN_SEASON_AT {
            AltseasonState::BitcoinSeason
        } else {
            AltseasonState::Neutral
        }
    }
}

/// Where a row's coins came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Universe {
    /// A membership snapshot covering the date.
    PointInTime,
    /// The catalog's alt list (survivorship-biased).
    Catalog,
}

/// Symbols that are not independent risk assets (stablecoins, wrapped and
/// asset-backed tokens), with the version of the list they came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exclusions {
    version: String,
    symbols: BTreeSet<String>,
}

impl Exclusions {
    /// A list of excluded symbols (any case) and the version it is cited by.
    pub fn new<S: AsRef<str>>(version: &str, symbols: impl IntoIterator<Item = S>) -> Exclusions {
        Exclusions {
            version: version.to_string(),
            symbols: symbols.into_iter().map(|s| s.as_ref().trim().to_ascii_lowercase()).collect(),
        }
    }

    /// True when `symbol` (any case) is excluded.
    pub fn contains(&self, symbol: &str) -> bool {
        self.symbols.contains(&symbol.trim().to_ascii_lowercase())
    }

    /// The version of the list.
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// Point-in-time universe: ranked symbol lists by snapshot date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Membership {
    snapshots: Vec<(Date, Vec<String>)>,
}

impl Membership {
    /// Snapshots in strictly increasing date order, each listing symbols by
    /// rank (rank 1 first; BTC and excluded symbols may be in it).
    pub fn new(snapshots: Vec<(Date, Vec<String>)>) -> Result<Membership, SignalError> {
        if let Some(w) = snapshots.windows(2).find(|w| w[1].0 <= w[0].0) {
            return Err(SignalError::param(
                "membership",
                format!("snapshot dates must be strictly increasing: {} after {}", w[1].0, w[0].0),
            ));
        }
        let snapshots = snapshots
            .into_iter()
            .map(|(d, symbols)| (d, symbols.iter().map(|s| s.trim().to_ascii_lowercase()).collect()))
            .collect();
        Ok(Membership { snapshots })
    }

    /// The latest snapshot dated on or before `date`, if it is at most
    /// `max_age_days` old: `(snapshot date, lowercase symbols by rank)`.
    pub fn at(&self, date: Date, max_age_days: u32) -> Option<(Date, &[String])> {
        let i = self.snapshots.partition_point(|(d, _)| *d <= date).checked_sub(1)?;
        let (snapshot, symbols) = &self.snapshots[i];
        (date.days_since(*snapshot) <= max_age_days as i32).then_some((*snapshot, symbols.as_slice()))
    }
}

/// Parameters of [`altseason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AltseasonParams {
    /// Which index to follow.
    pub rule: AltseasonRule,
    /// Return window in calendar days (default 90).
    pub window: u32,
    /// Emit every `step` days, counting back from the last BTC date (default 1).
    pub step: u32,
    /// How many days a close may be older than the day it stands for (default 3).
    pub tolerance_days: u32,
    /// Fewest eligible alts for a row (default 5).
    pub min_coins: usize,
    /// Oldest a membership snapshot may be to count as point-in-time (default 40).
    pub max_snapshot_age_days: u32,
}

impl Default for AltseasonParams {
    fn default() -> AltseasonParams {
        AltseasonParams {
            rule: AltseasonRule::BlockchainCenter,
            window: 90,
            step: 1,
            tolerance_days: 3,
            min_coins: 5,
            max_snapshot_age_days: 40,
        }
    }
}

/// What [`altseason`] works on.
#[derive(Debug, Clone, Copy)]
pub struct AltseasonInput<'a> {
    /// Bitcoin daily closes.
    pub btc: &'a Series,
    /// Altcoin daily closes by symbol (any case).
    pub alts: &'a BTreeMap<String, Series>,
    /// Symbols never counted.
    pub exclusions: &'a Exclusions,
    /// Point-in-time membership, when available.
    pub membership: Option<&'a Membership>,
}

/// The index history and its current value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AltseasonReport {
    /// The rule followed.
    pub rule: AltseasonRule,
    /// Window in days.
    pub window: u32,
    /// Version of the exclusion list used.
    pub exclusions_version: String,
    /// The latest row.
    pub current: Option<AltseasonRow>,
    /// Rows in date order.
    pub observations: Vec<AltseasonRow>,
    /// Caveats: survivorship, small samples, stale data.
    pub warnings: Vec<String>,
}

/// The index on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AltseasonRow {
    /// The day `D`.
    pub date: Date,
    /// 0-100: percent of eligible alts that beat BTC over the window.
    pub index: f64,
    /// Number of eligible alts.
    pub n_coins: usize,
    /// The reading of the index.
    pub state: AltseasonState,
    /// Where the alts came from.
    pub universe: Universe,
}

impl AltseasonReport {
    /// The index history as a series (for charts and signal specs).
    pub fn index_series(&self) -> Series {
        Series::from_pairs(self.observations.iter().map(|r| (r.date, r.index))).expect("rows are in date order")
    }
}

/// `close(D) / close(D - window) - 1`, each close the last one dated within
/// `tolerance_days` on or before its day; `None` when either is missing.
pub fn window_return(s: &Series, date: Date, window: u32, tolerance_days: u32) -> Option<f64> {
    let (_, end) = close_within(s, date, tolerance_days)?;
    let (_, start) = close_within(s, date.add_days(-(window as i32)), tolerance_days)?;
    Some(end / start - 1.0)
}

/// The last close dated in `[day - tolerance_days, day]`, with its date.
fn close_within(s: &Series, day: Date, tolerance_days: u32) -> Option<(Date, f64)> {
    let i = s.index_on_or_before(day)?;
    let date = s.dates()[i];
    (day.days_since(date) <= tolerance_days as i32).then(|| (date, s.values()[i]))
}

/// The index of the last date on or before each of a series of days that
/// never increase: one backward walk over the dates, so a whole run of days
/// costs `O(days + dates)` instead of a binary search per day.
struct Backward<'a> {
    series: &'a Series,
    /// How many dates are on or before the last day asked for.
    on_or_before: usize,
}

impl<'a> Backward<'a> {
    fn new(series: &'a Series) -> Backward<'a> {
        Backward { series, on_or_before: series.len() }
    }

    /// [`close_within`] for `day`, no later than the day of the previous call.
    fn close_within(&mut self, day: Date, tolerance_days: u32) -> Option<(Date, f64)> {
        let dates = self.series.dates();
        while self.on_or_before > 0 && dates[self.on_or_before - 1] > day {
            self.on_or_before -= 1;
        }
        let i = self.on_or_before.checked_sub(1)?;
        (day.days_since(dates[i]) <= tolerance_days as i32).then(|| (dates[i], self.series.values()[i]))
    }
}

/// For each of `days` (descending), whether `alt` beat `btc` over the window
/// ending that day, both measured between the alt's own close dates; `None`
/// when the alt (or BTC on those dates) has no close within the tolerance.
/// Every close looked up moves back with the day, so four backward walks
/// answer all days.
fn beats_btc(alt: &Series, btc: &Series, days: &[Date], window: u32, tolerance_days: u32) -> Vec<Option<bool>> {
    let (mut end, mut start) = (Backward::new(alt), Backward::new(alt));
    let (mut btc_end, mut btc_start) = (Backward::new(btc), Backward::new(btc));
    days.iter()
        .map(|&day| {
            let (e1, a1) = end.close_within(day, tolerance_days)?;
            let (e0, a0) = start.close_within(day.add_days(-(window as i32)), tolerance_days)?;
            let (_, b1) = btc_end.close_within(e1, tolerance_days)?;
            let (_, b0) = btc_start.close_within(e0, tolerance_days)?;
            Some(a1 / a0 - 1.0 > b1 / b0 - 1.0)
        })
        .collect()
}

/// The altcoin season index from the first computable day to the last BTC
/// close (see the module docs for the definition).
///
/// # Errors
///
/// [`SignalError::InvalidParameter`] for `window`, `step` or `min_coins` of 0,
/// a tolerance not shorter than the window, or two alts whose symbols differ
/// only in case; [`SignalError::NoData`] when BTC has no closes.
pub fn altseason(input: &AltseasonInput<'_>, params: &AltseasonParams) -> Result<AltseasonReport, SignalError> {
    validate(params)?;
    let (Some(first), Some(last)) = (input.btc.first_date(), input.btc.last_date()) else {
        return Err(SignalError::no_data("btc", "no closes"));
    };
    let mut alts: BTreeMap<String, &Series> = BTreeMap::new();
    for (symbol, series) in input.alts {
        let key = symbol.trim().to_ascii_lowercase();
        if alts.insert(key.clone(), series).is_some() {
            return Err(SignalError::param("alts", format!("symbol {key:?} given twice (symbols ignore case)")));
        }
    }
    let counted = |symbol: &str| symbol != "btc" && !input.exclusions.contains(symbol);
    // Every counted alt by symbol, with its column in `beats`.
    let coins: BTreeMap<&str, usize> =
        alts.keys().filter(|s| counted(s)).enumerate().map(|(j, s)| (s.as_str(), j)).collect();
    let top_n = params.rule.top_n();
    let window = params.window;

    // The days, newest first, then each coin against BTC on all of them: the
    // coins are independent, so they run in parallel.
    let days: Vec<Date> = std::iter::successors(Some(last), |d| Some(d.add_days(-(params.step as i32))))
        .take_while(|d| *d >= first.add_days(window as i32))
        .collect();
    let columns: Vec<&Series> = coins.keys().map(|s| alts[*s]).collect();
    let beats: Vec<Vec<Option<bool>>> =
        columns.par_iter().map(|s| beats_btc(s, input.btc, &days, window, params.tolerance_days)).collect();

    let mut observations = Vec::new();
    let mut coverage = Coverage::default();
    for (k, &day) in days.iter().enumerate() {
        if window_return(input.btc, day, window, params.tolerance_days).is_some() {
            let snapshot = input.membership.and_then(|m| m.at(day, params.max_snapshot_age_days));
            let (universe, members): (Universe, Vec<usize>) = match snapshot {
                Some((_, ranked)) => (
                    Universe::PointInTime,
                    ranked
                        .iter()
                        .filter(|s| counted(s))
                        .take(top_n)
                        .filter_map(|s| coins.get(s.as_str()).copied())
                        .collect(),
                ),
                None => (Universe::Catalog, (0..coins.len()).collect()),
            };
            let day_beats: Vec<bool> = members.iter().filter_map(|j| beats[*j][k]).collect();
            let n_coins = day_beats.len();
            if n_coins >= params.min_coins {
                let beats = day_beats.iter().filter(|b| **b).count();
                let index = 100.0 * beats as f64 / n_coins as f64;
                coverage.add(universe, n_coins);
                observations.push(AltseasonRow {
                    date: day,
                    index,
                    n_coins,
                    state: AltseasonState::of(index),
                    universe,
                });
            }
        }
    }
    observations.reverse();
    let warnings = coverage.warnings(&observations, params, last);
    Ok(AltseasonReport {
        rule: params.rule,
        window,
        exclusions_version: input.exclusions.version().to_string(),
        current: observations.last().cloned(),
        observations,
        warnings,
    })
}

fn validate(params: &AltseasonParams) -> Result<(), SignalError> {
    for (name, value) in [("--window", params.window), ("--step", params.step)] {
        if value == 0 {
            return Err(SignalError::param(name, "must be at least 1 day"));
        }
    }
    if params.min_coins == 0 {
        return Err(SignalError::param("--min-coins", "must be at least 1"));
    }
    if params.tolerance_days >= params.window {
        return Err(SignalError::param(
            "--tolerance-days",
            format!("must be shorter than the window ({} days), got {}", params.window, params.tolerance_days),
        ));
    }
    Ok(())
}

/// Tallies for the warnings.
#[derive(Default)]
struct Coverage {
    catalog_rows: usize,
    point_in_time: Option<(usize, usize)>,
}

impl Coverage {
    fn add(&mut self, universe: Universe, n: usize) {
        match universe {
            Universe::Catalog => self.catalog_rows += 1,
            Universe::PointInTime => {
                let (lo, hi) = self.point_in_time.unwrap_or((n, n));
                self.point_in_time = Some((lo.min(n), hi.max(n)));
            }
        }
    }

    fn warnings(&self, rows: &[AltseasonRow], params: &AltseasonParams, last_btc: Date) -> Vec<String> {
        let mut out = Vec::new();
        let Some(last) = rows.last() else {
            out.push(format!(
                "no day had btc and at least {} alts with closes {} days apart: no index computed",
                params.min_coins, params.window
            ));
            return out;
        };
        if self.catalog_rows > 0 {
            let catalog: Vec<&AltseasonRow> = rows.iter().filter(|r| r.universe == Universe::Catalog).collect();
            out.push(format!(
                "survivorship: {} of {} rows (first {}, last {}) use the catalog alt list because no membership snapshot \
                 at most {} days old covers them; the catalog holds coins tracked today, so coins that faded or \
                 died are missing and the index leans toward altseason",
                self.catalog_rows,
                rows.len(),
                catalog[0].date,
                catalog[catalog.len() - 1].date,
                params.max_snapshot_age_days,
            ));
        }
        if let Some((lo, hi)) = self.point_in_time {
            let n = params.rule.top_n();
            if lo < n {
                out.push(format!(
                    "point-in-time rows have prices for {lo}..{hi} of the top {n} alts; members without prices are left out"
                ));
            }
        }
        let few: Vec<usize> = rows.iter().map(|r| r.n_coins).filter(|n| *n < FEW_COINS).collect();
        if let Some(smallest) = few.iter().min() {
            out.push(format!(
                "small sample: {} of {} rows have fewer than {FEW_COINS} coins (as few as {smallest}); one coin moves \
                 the index by {:.0} points there",
                few.len(),
                rows.len(),
                100.0 / *smallest as f64
            ));
        }
        if last.date < last_btc {
            out.push(format!(
                "the latest row is {}, {} days before the last btc close {last_btc}: too few alts have closes after it",
                last.date,
                last_btc.days_since(last.date)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The backward walk finds the close a binary search finds, for any
        /// gappy series and any non-increasing days (hand-made random data).
        #[test]
        fn backward_walk_equals_binary_search(
            gaps in proptest::collection::vec(1i32..6, 0..40),
            steps in proptest::collection::vec(0i32..5, 1..60),
            tolerance in 0u32..4,
        ) {
            let start = Date::from_ymd(2024, 1, 1).unwrap();
            let dates: Vec<Date> = gaps.iter().scan(0, |d, g| { *d += g; Some(start.add_days(*d)) }).collect();
            let values = (0..dates.len()).map(|i| i as f64 + 1.0).collect();
            let series = Series::new(dates, values).unwrap();
            let mut walk = Backward::new(&series);
            let mut day = start.add_days(200);
            for step in steps {
                day = day.add_days(-step);
                prop_assert_eq!(walk.close_within(day, tolerance), close_within(&series, day, tolerance));
            }
        }
    }
}
