//! The event study: what followed each signal, against every other date.
//!
//! **De-clustering** ([`EventStudy::min_gap`]): a signal that fires again
//! and again within one move (`level:rut:2000` crosses 27 times, many a few
//! days apart) gives events whose windows overlap, and their returns are
//! one observation counted many times. Walking the events in date order, an
//! event fewer than `min_gap` calendar days after the last *kept* event is
//! dropped (listed with the event it clusters with); the rest are the
//! independent events every statistic below uses. The default gap is the
//! longest horizon, so no two kept events' longest windows overlap; 0 keeps
//! every event. Placebo exclusion windows still surround every event, kept
//! or not.
//!
//! For every target and horizon `h` (calendar days):
//!
//! 1. **Per event** ([`ForwardReturns::outcome`]): entry, exit, return,
//!    run-up, drawdown and days to peak, complete or "so far". Events the
//!    target cannot be entered on (before its data, or not yet) are listed as
//!    skipped with the reason. The statistics use the `n` complete events.
//! 2. **Mean, median, hit rate** of the complete events' returns, and the
//!    same over the complete forward returns of every eligible date (the
//!    baseline: what a date chosen blindly earned).
//! 3. **Placebo p-value** ([`PlaceboTest`]): `n` dates drawn without
//!    replacement from the eligible dates farther than `exclude_days` from
//!    every event (so placebos do not re-use the events' own windows; 0
//!    turns the exclusion off, see [`EventStudy::exclude_days`]), or,
//!    stratified, as many from each stratum as there are events in it. Every
//!    test uses the same seed, so a target's p-value does not depend on which
//!    other targets are in the run.
//! 4. **Confidence interval** of the mean: the stationary bootstrap
//!    ([`StationaryBootstrap`]) over the complete events' returns *in date
//!    order*, block length by Politis-White
//!    ([`StationaryBootstrap::automatic`]). Neighbours in that sequence are the
//!    events whose horizons can overlap (a cluster of signals within one
//!    rally), which is the dependence a block should keep together; events
//!    years apart show none, the estimated block is about 1 and it is the
//!    ordinary i.i.d. bootstrap; fewer than 11 events are too few to estimate
//!    any dependence and are resampled i.i.d. Resampling the daily series
//!    instead would answer another question (the mean of a random window).
//! 5. **Holm correction** ([`holm_adjust`]) over every (target, horizon)
//!    with a p-value in the run: the family of tests the reader sees.
//! 6. **Verdicts** ([`Verdict::for_horizon`]) per target and horizon, and one
//!    sentence for the study.
//!
//! The p-value is one-sided: it asks whether the events did *better* than
//! random dates, the claim a bullish signal makes.

use std::collections::BTreeMap;

use riskcurve_core::{Date, Series};
use serde::Serialize;

use crate::verdict::{percent, VerdictInputs};
use crate::{
    holm_adjust, EntryRule, EventOutcome, ForwardReturns, NoEntry, Pcg32, PlaceboStratum, PlaceboTest, SampleSummary,
    StationaryBootstrap, StatsError, Verdict, VerdictKind,
};

/// The bootstrap draws from this stream of the study's seed (placebo batches
/// use streams 0, 1, 2, ..., far below it).
const BOOTSTRAP_STREAM: u64 = 1 << 40;

/// An event study's settings; [`EventStudy::run`] applies them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStudy {
    horizons: Vec<u32>,
    entry: EntryRule,
    placebos: usize,
    seed: u64,
    exclude_days: u32,
    confidence: f64,
    bootstrap_replications: usize,
    min_events: usize,
    alpha: f64,
    min_gap_days: u32,
}

/// One target: a name for the output and its daily closes.
#[derive(Debug, Clone, Copy)]
pub struct EventStudyTarget<'a> {
    /// The name shown (`btc`).
    pub name: &'a str,
    /// Daily closes, any calendar.
    pub closes: &'a Series,
}

/// An event date, as listed in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventDate {
    /// The date.
    pub date: Date,
    /// When de-clustering dropped it: the kept event fewer than `min_gap`
    /// days before it (absent for an independent event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clustered_with: Option<Date>,
}

/// How many of the events are independent (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Declustering {
    /// The gap in calendar days (0 = off).
    pub min_gap_days: u32,
    /// Every event the signal gave.
    pub events: usize,
    /// The events kept: every statistic is computed on these.
    pub independent_events: usize,
    /// Events dropped as part of an earlier event's cluster.
    pub dropped: usize,
}

/// Keeps the first event and every event at least `min_gap_days` after the
/// last kept one; each dropped event names the kept event it clusters with.
/// `events` must be in date order. A gap of 0 keeps every event.
///
/// ```
/// use riskcurve_core::Date;
/// use riskcurve_stats::decluster;
/// let d = |s: &str| s.parse::<Date>().unwrap();
/// let events = [d("2024-01-01"), d("2024-01-20"), d("2024-02-05"), d("2024-02-20")];
/// let out = decluster(&events, 30);
/// // 01-20 is 19 days after 01-01 (dropped); 02-05 is 35 days after it (kept);
/// // 02-20 is 15 days after 02-05 (dropped).
/// let kept: Vec<Date> = out.iter().filter(|e| e.clustered_with.is_none()).map(|e| e.date).collect();
/// assert_eq!(kept, vec![d("2024-01-01"), d("2024-02-05")]);
/// assert_eq!(out[3].clustered_with, Some(d("2024-02-05")));
/// ```
pub fn decluster(events: &[Date], min_gap_days: u32) -> Vec<EventDate> {
    let mut last_kept: Option<Date> = None;
    events
        .iter()
        .map(|date| {
            let clustered_with = last_kept.filter(|k| min_gap_days > 0 && date.days_since(*k) < min_gap_days as i32);
            if clustered_with.is_none() {
                last_kept = Some(*date);
            }
            EventDate { date: *date, clustered_with }
        })
        .collect()
}

/// An event that has no outcome on a target, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SkippedEvent {
    /// The event date.
    pub date: Date,
    /// Why it was skipped.
    #[serde(flatten)]
    pub why: NoEntry,
}

/// The whole study: the events, every target and horizon, and a verdict.
/// (The caller adds the signal's description.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStudyResult {
    /// The events, in date order, the dropped ones naming their cluster.
    pub events: Vec<EventDate>,
    /// How many events are independent.
    pub declustering: Declustering,
    /// One entry per target, in the order given.
    pub targets: Vec<TargetResult>,
    /// One sentence on the whole study.
    pub verdict: String,
    /// The settings used.
    pub settings: EventStudy,
    /// Whether placebos were stratified.
    pub stratified: bool,
}

/// The results of one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    /// The target's name.
    pub target: String,
    /// One entry per horizon, in the order of the settings.
    pub horizons: Vec<HorizonResult>,
}

/// The results of one target over one horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HorizonResult {
    /// The horizon in calendar days.
    pub days: u32,
    /// Complete events.
    pub n: usize,
    /// Their mean forward return.
    pub mean: Option<f64>,
    /// Their median forward return.
    pub median: Option<f64>,
    /// Their share of positive returns.
    pub hit_rate: Option<f64>,
    /// Complete eligible dates (the baseline's sample).
    pub baseline_n: usize,
    /// The mean forward return over all eligible dates.
    pub baseline_mean: Option<f64>,
    /// Their median.
    pub baseline_median: Option<f64>,
    /// Their hit rate.
    pub baseline_hit_rate: Option<f64>,
    /// The placebo p-value (`None` when not tested).
    pub p_value: Option<f64>,
    /// The Holm-adjusted p-value over the study's tests.
    pub p_holm: Option<f64>,
    /// Eligible dates the placebos drew from (in the events' strata, when
    /// stratified).
    pub placebo_pool: usize,
    /// The average placebo mean.
    pub placebo_mean: Option<f64>,
    /// Lower end of the bootstrap interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// The bootstrap's mean block length.
    pub mean_block: Option<f64>,
    /// Every event with an entry, complete or not, in date order.
    pub per_event: Vec<EventOutcome>,
    /// Events without an entry on this target.
    pub skipped: Vec<SkippedEvent>,
    /// What the numbers say.
    pub verdict: Verdict,
}

impl EventStudy {
    /// A study over `horizons` (calendar days, each at least 1, no
    /// repeats) with the defaults: entry strictly after the event, 100,000
    /// placebos, seed 42, 30 days excluded around events, 95% intervals from
    /// 10,000 resamples, at least 8 events to conclude, alpha 0.05, events
    /// de-clustered with a gap of the longest horizon.
    pub fn new(horizons: &[u32]) -> Result<EventStudy, StatsError> {
        if horizons.is_empty() {
            return Err(StatsError::param("horizons", "none given"));
        }
        for (i, h) in horizons.iter().enumerate() {
            if *h == 0 {
                return Err(StatsError::param("horizons", "a horizon of 0 days"));
            }
            if horizons[..i].contains(h) {
                return Err(StatsError::param("horizons", format!("{h} days given twice")));
            }
        }
        Ok(EventStudy {
            horizons: horizons.to_vec(),
            entry: EntryRule::STRICTLY_AFTER,
            placebos: 100_000,
            seed: 42,
            exclude_days: 30,
            confidence: 0.95,
            bootstrap_replications: 10_000,
            min_events: crate::verdict::MIN_EVENTS,
            alpha: crate::verdict::ALPHA,
            min_gap_days: horizons.iter().copied().max().expect("not empty"),
        })
    }

    /// How events map to entry closes.
    pub fn entry_rule(mut self, rule: EntryRule) -> EventStudy {
        self.entry = rule;
        self
    }

    /// Placebo sets per test; 0 skips the placebo test.
    pub fn placebos(mut self, placebos: usize) -> EventStudy {
        self.placebos = placebos;
        self
    }

    /// The seed of every random draw.
    pub fn seed(mut self, seed: u64) -> EventStudy {
        self.seed = seed;
        self
    }

    /// Calendar days on either side of each event left out of the placebo
    /// pool: with `days >= 1`, every eligible date `D` with
    /// `|D - event| <= days` for some event, the events included; 0 switches
    /// the exclusion off and the pool is every eligible date, the events
    /// included (the textbook permutation test, whose placebos may then
    /// share days with the events' windows).
    pub fn exclude_days(mut self, days: u32) -> EventStudy {
        self.exclude_days = days;
        self
    }

    /// De-clustering: an event fewer than `days` calendar days after the
    /// last kept event is dropped (see the module docs); 0 keeps every event.
    pub fn min_gap(mut self, days: u32) -> EventStudy {
        self.min_gap_days = days;
        self
    }

    /// The de-clustering gap in calendar days (0 = off).
    pub fn min_gap_days(&self) -> u32 {
        self.min_gap_days
    }

    /// The bootstrap interval's confidence level, strictly between 0 and 1.
    pub fn confidence(mut self, confidence: f64) -> Result<EventStudy, StatsError> {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(StatsError::param("confidence", format!("{confidence} is not strictly between 0 and 1")));
        }
        self.confidence = confidence;
        Ok(self)
    }

    /// Bootstrap resamples per interval (at least 2).
    pub fn bootstrap_replications(mut self, replications: usize) -> Result<EventStudy, StatsError> {
        if replications < 2 {
            return Err(StatsError::param("bootstrap_replications", "must be at least 2"));
        }
        self.bootstrap_replications = replications;
        Ok(self)
    }

    /// The fewest complete events a verdict concludes from (at least 1).
    pub fn min_events(mut self, n: usize) -> Result<EventStudy, StatsError> {
        if n == 0 {
            return Err(StatsError::param("min_events", "must be at least 1"));
        }
        self.min_events = n;
        Ok(self)
    }

    /// The family-wise significance level of the verdicts.
    pub fn alpha(mut self, alpha: f64) -> Result<EventStudy, StatsError> {
        if !(alpha > 0.0 && alpha < 1.0) {
            return Err(StatsError::param("alpha", format!("{alpha} is not strictly between 0 and 1")));
        }
        self.alpha = alpha;
        Ok(self)
    }

    /// The horizons, in calendar days.
    pub fn horizons(&self) -> &[u32] {
        &self.horizons
    }

    /// Runs the study of `events` on `targets`. `eligible` are the dates an
    /// event could have fallen on (the signal's calendar over the sample),
    /// the placebos' and baseline's candidates; `strata`, when given, puts
    /// every date in a stratum and placebos then match the events' strata.
    /// `events` and `eligible` must be strictly increasing. The statistics
    /// use the independent events (see [`EventStudy::min_gap`]).
    pub fn run(
        &self,
        events: &[Date],
        eligible: &[Date],
        targets: &[EventStudyTarget<'_>],
        strata: Option<&dyn Fn(Date) -> u32>,
    ) -> Result<EventStudyResult, StatsError> {
        strictly_increasing(events, "events")?;
        strictly_increasing(eligible, "eligible dates")?;
        let listed = decluster(events, self.min_gap_days);
        let kept: Vec<Date> = listed.iter().filter(|e| e.clustered_with.is_none()).map(|e| e.date).collect();
        let mut results = Vec::with_capacity(targets.len());
        let mut untested: Vec<Vec<Option<String>>> = Vec::with_capacity(targets.len());
        for target in targets {
            let (horizons, why): (Vec<_>, Vec<_>) =
                self.horizons.iter().map(|h| self.one_horizon(&kept, events, eligible, target, *h, strata)).unzip();
            results.push(TargetResult { target: target.name.to_string(), horizons });
            untested.push(why);
        }
        self.adjust_and_judge(&mut results, &untested)?;
        let verdict = self.study_verdict(&results);
        let declustering = Declustering {
            min_gap_days: self.min_gap_days,
            events: events.len(),
            independent_events: kept.len(),
            dropped: events.len() - kept.len(),
        };
        Ok(EventStudyResult {
            events: listed,
            declustering,
            targets: results,
            verdict,
            settings: self.clone(),
            stratified: strata.is_some(),
        })
    }

    /// Everything but the Holm p-value and the verdict for one target and
    /// horizon, and, when there is no p-value, why. `events` are the
    /// independent events; placebos stay away from `all_events`.
    fn one_horizon(
        &self,
        events: &[Date],
        all_events: &[Date],
        eligible: &[Date],
        target: &EventStudyTarget<'_>,
        days: u32,
        strata: Option<&dyn Fn(Date) -> u32>,
    ) -> (HorizonResult, Option<String>) {
        let forward = ForwardReturns::new(target.closes, self.entry);
        let (mut per_event, mut skipped) = (Vec::new(), Vec::new());
        for date in events {
            match forward.outcome(*date, days) {
                Ok(outcome) => per_event.push(outcome),
                Err(why) => skipped.push(SkippedEvent { date: *date, why }),
            }
        }
        let complete: Vec<&EventOutcome> = per_event.iter().filter(|o| o.complete).collect();
        let returns: Vec<f64> = complete.iter().map(|o| o.forward_return).collect();
        let summary = SampleSummary::of(&returns);
        let table = forward.table(eligible, days);
        let baseline = SampleSummary::of(table.returns());

        // The placebo pool: complete eligible dates away from every event,
        // grouped by stratum (one group when unstratified).
        let stratum = |d: Date| strata.map_or(0, |f| f(d));
        let mut groups: BTreeMap<u32, (Vec<f64>, usize)> = BTreeMap::new();
        for o in &complete {
            groups.entry(stratum(o.date)).or_default().1 += 1;
        }
        for (date, r) in table.dates().iter().zip(table.returns()) {
            if self.exclude_days == 0 || !near_an_event(*date, all_events, self.exclude_days) {
                if let Some(group) = groups.get_mut(&stratum(*date)) {
                    group.0.push(*r);
                }
            }
        }
        let placebo_pool = groups.values().map(|(pool, _)| pool.len()).sum();
        let (placebo, why_untested) = if returns.is_empty() {
            (None, Some("no complete events".to_string()))
        } else if self.placebos == 0 {
            (None, Some("placebo test switched off".to_string()))
        } else if let Some((label, (pool, draws))) = groups.iter().find(|(_, (pool, draws))| pool.len() < *draws) {
            let why = format!(
                "{} eligible dates outside the {}-day exclusion windows{} for {draws} events",
                pool.len(),
                self.exclude_days,
                if strata.is_some() { format!(" in stratum {label}") } else { String::new() }
            );
            (None, Some(why))
        } else {
            let groups: Vec<PlaceboStratum<'_>> =
                groups.values().map(|(pool, draws)| PlaceboStratum { pool, draws: *draws }).collect();
            let test = PlaceboTest::new(self.placebos, self.seed).expect("placebos checked above");
            match test.run(&returns, &groups) {
                Ok(outcome) => (Some(outcome), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };

        let interval = if returns.is_empty() {
            None
        } else {
            let mut rng = Pcg32::for_stream(self.seed, BOOTSTRAP_STREAM);
            let bootstrap = StationaryBootstrap::automatic(&returns);
            bootstrap.mean_interval(&returns, self.confidence, self.bootstrap_replications, &mut rng).ok()
        };
        let result = HorizonResult {
            days,
            n: summary.n,
            mean: summary.mean,
            median: summary.median,
            hit_rate: summary.hit_rate,
            baseline_n: baseline.n,
            baseline_mean: baseline.mean,
            baseline_median: baseline.median,
            baseline_hit_rate: baseline.hit_rate,
            p_value: placebo.map(|p| p.p_value),
            p_holm: None,
            placebo_pool,
            placebo_mean: placebo.map(|p| p.placebo_mean),
            ci_low: interval.map(|ci| ci.low),
            ci_high: interval.map(|ci| ci.high),
            mean_block: interval.map(|ci| ci.mean_block),
            per_event,
            skipped,
            verdict: Verdict { kind: VerdictKind::NoEvents, text: String::new() },
        };
        (result, why_untested)
    }

    /// Fills in the Holm-adjusted p-values (over every test with a p-value)
    /// and the verdicts.
    fn adjust_and_judge(
        &self,
        results: &mut [TargetResult],
        untested: &[Vec<Option<String>>],
    ) -> Result<(), StatsError> {
        let p: Vec<f64> = results.iter().flat_map(|t| &t.horizons).filter_map(|h| h.p_value).collect();
        let mut adjusted = holm_adjust(&p)?.into_iter();
        for (target, why) in results.iter_mut().zip(untested) {
            for (h, why) in target.horizons.iter_mut().zip(why) {
                if h.p_value.is_some() {
                    h.p_holm = adjusted.next();
                }
                let inputs = VerdictInputs {
                    n: h.n,
                    mean: h.mean,
                    baseline_mean: h.baseline_mean,
                    p_value: h.p_value,
                    p_holm: h.p_holm,
                    interval: h.ci_low.zip(h.ci_high),
                    confidence: self.confidence,
                };
                h.verdict = Verdict::for_horizon(&inputs, self.min_events, self.alpha, why.as_deref());
            }
        }
        Ok(())
    }

    /// One sentence on the whole study.
    fn study_verdict(&self, results: &[TargetResult]) -> String {
        let all: Vec<(&str, &HorizonResult)> =
            results.iter().flat_map(|t| t.horizons.iter().map(move |h| (t.target.as_str(), h))).collect();
        let max_n = all.iter().map(|(_, h)| h.n).max().unwrap_or(0);
        if max_n == 0 {
            return "no complete events on any target and horizon: nothing to test".into();
        }
        if max_n < self.min_events {
            return format!(
                "at most {max_n} complete events on any target and horizon: too few to conclude anything \
                 (need at least {}), whatever the p-values; read the events one by one",
                self.min_events
            );
        }
        let tests = all.iter().filter(|(_, h)| h.p_holm.is_some()).count();
        let named = |kind: VerdictKind| -> Vec<String> {
            all.iter()
                .filter(|(_, h)| h.verdict.kind == kind)
                .map(|(t, h)| format!("{t} {} days ({})", h.days, h.mean.map_or_else(|| "n/a".into(), percent)))
                .collect()
        };
        let (evidence, weak) = (named(VerdictKind::Evidence), named(VerdictKind::WeakEvidence));
        let mut parts = Vec::new();
        if evidence.is_empty() && weak.is_empty() {
            parts
                .push(format!("no target and horizon beats random dates after the Holm correction over {tests} tests"));
        }
        if !evidence.is_empty() {
            parts.push(format!("evidence of an effect for {}", evidence.join(", ")));
        }
        if !weak.is_empty() {
            parts.push(format!("weak evidence for {}", weak.join(", ")));
        }
        let too_few = all.iter().filter(|(_, h)| h.verdict.kind == VerdictKind::TooFewEvents).count();
        if too_few > 0 {
            parts.push(format!("{too_few} target-horizon pairs have too few events to judge"));
        }
        parts.join("; ")
    }
}

/// Whether `date` is within `days` calendar days of an event (`events`
/// sorted).
fn near_an_event(date: Date, events: &[Date], days: u32) -> bool {
    let i = events.partition_point(|e| *e < date);
    let close = |e: &Date| date.days_since(*e).unsigned_abs() <= days;
    events.get(i).is_some_and(close) || (i > 0 && close(&events[i - 1]))
}

fn strictly_increasing(dates: &[Date], what: &str) -> Result<(), StatsError> {
    match dates.windows(2).find(|w| w[1] <= w[0]) {
        Some(w) => {
            Err(StatsError::param(what, format!("{} comes after {}: dates must be strictly increasing", w[1], w[0])))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn exclusion_window_is_inclusive() {
        let events = [d("2024-03-01"), d("2024-06-01")];
        assert!(near_an_event(d("2024-03-31"), &events, 30));
        assert!(!near_an_event(d("2024-04-01"), &events, 30));
        assert!(near_an_event(d("2024-05-02"), &events, 30));
        assert!(!near_an_event(d("2024-01-30"), &events, 30));
        assert!(near_an_event(d("2024-03-01"), &events, 0));
        assert!(!near_an_event(d("2024-03-02"), &[], 30));
    }

    #[test]
    fn clustered_events_are_dropped_within_the_gap_of_the_last_kept_event() {
        // A chain 10 days apart: each is within 30 days of its predecessor,
        // but the gap counts from the last KEPT event, so every third-ish one
        // survives (0, 30, 60), not only the first.
        let events: Vec<Date> = (0..7).map(|i| d("2024-01-01").add_days(10 * i)).collect();
        let out = decluster(&events, 30);
        let kept: Vec<Date> = out.iter().filter(|e| e.clustered_with.is_none()).map(|e| e.date).collect();
        assert_eq!(kept, vec![d("2024-01-01"), d("2024-01-31"), d("2024-03-01")]);
        assert_eq!(out[1].clustered_with, Some(d("2024-01-01")));
        assert_eq!(out[5].clustered_with, Some(d("2024-01-31")));
        // Exactly the gap apart is kept; 0 keeps everything.
        assert!(decluster(&[d("2024-01-01"), d("2024-01-31")], 30).iter().all(|e| e.clustered_with.is_none()));
        assert!(decluster(&events, 0).iter().all(|e| e.clustered_with.is_none()));
        assert_eq!(EventStudy::new(&[30, 365, 90]).unwrap().min_gap_days(), 365);
    }

    #[test]
    fn settings_are_validated() {
        assert!(EventStudy::new(&[]).is_err());
        assert!(EventStudy::new(&[30, 0]).is_err());
        assert!(EventStudy::new(&[30, 90, 30]).is_err());
        let s = EventStudy::new(&[30]).unwrap();
        assert!(s.clone().confidence(1.0).is_err());
        assert!(s.clone().alpha(0.0).is_err());
        assert!(s.clone().min_events(0).is_err());
        assert!(s.bootstrap_replications(1).is_err());
        let t = Series::new(vec![d("2024-01-01")], vec![1.0]).unwrap();
        let targets = [EventStudyTarget { name: "x", closes: &t }];
        let e = EventStudy::new(&[30]).unwrap().run(&[d("2024-02-01"), d("2024-01-01")], &[], &targets, None);
        assert_eq!(
            e.unwrap_err().to_string(),
            "events: 2024-01-01 comes after 2024-02-01: dates must be strictly increasing"
        );
    }
}
