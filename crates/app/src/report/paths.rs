//! Each event's forward path and the placebo band it is read against.
//!
//! - **Forward path**: a target's closes from its entry close after an event
//!   to `horizon` calendar days later, each divided by the entry close (so the
//!   path starts at 1), against calendar days since the entry. The entry is
//!   the event study's ([`EntryRule`]): the first target close on or after
//!   `event + lag_days`, at most `max_delay_days` later.
//! - **Placebo band**: the same path from random eligible dates (the signal's
//!   calendar, without the dates within `exclude_days` of an event, as the
//!   event study's placebo pool), only dates whose whole horizon is in the
//!   data. On every day `k = 0..=horizon` the band is the 5th, 50th and 95th
//!   percentile over the drawn paths of the multiple at `k` (the last close
//!   on or before `entry + k` over the entry close). The draw is a uniform
//!   random subset of the pool (partial Fisher-Yates with a seeded
//!   [`Pcg32`]), or the whole pool when it is no larger than the number asked
//!   for: the same seed gives the same band on every machine.
//!
//! A band is pointwise: 90% of random dates were inside it *on that day*,
//! not over the whole path. It says what an ordinary year looked like, so an
//! event's path above it is unusual for that day, never proof of anything
//! with a handful of events.

use riskcurve_core::{Date, Series};
use riskcurve_stats::{EntryRule, Pcg32};
use serde::Serialize;

/// The random stream of the band's draws (any fixed number: part of the
/// reproducibility contract).
const BAND_STREAM: u64 = 0x0ba9d;

/// Percentiles of the band.
const LOW: f64 = 0.05;
const HIGH: f64 = 0.95;

/// One event's path of one target, rebased to 1 at the entry close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPath {
    /// The event date.
    pub event: Date,
    /// The entry close's date.
    pub entry_date: Date,
    /// The entry close.
    pub entry_close: f64,
    /// Calendar days since the entry of each close, from 0.
    pub days: Vec<i32>,
    /// Each close over the entry close.
    pub multiples: Vec<f64>,
    /// True when the data reaches `entry + horizon` (else the path so far).
    pub complete: bool,
}

/// The placebo band of forward paths: percentiles by day since the entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceboBand {
    /// Days since the entry: 0, 1, ..., horizon.
    pub days: Vec<u32>,
    /// 5th percentile of the multiple on each day.
    pub low: Vec<f64>,
    /// Median.
    pub median: Vec<f64>,
    /// 95th percentile.
    pub high: Vec<f64>,
    /// Dates whose paths make the band.
    pub dates_drawn: usize,
    /// Eligible dates with a complete horizon it was drawn from.
    pub pool: usize,
}

/// The index of the entry close for a date, as the event study enters.
fn entry_index(closes: &Series, date: Date, rule: EntryRule) -> Option<usize> {
    let earliest = date.add_days(rule.lag_days() as i32);
    let i = closes.dates().partition_point(|d| *d < earliest);
    let entry = *closes.dates().get(i)?;
    (entry.days_since(earliest) <= rule.max_delay_days() as i32).then_some(i)
}

/// The path of `closes` after `event` over `horizon` calendar days (see the
/// module docs); `None` when the target cannot be entered (no close soon
/// enough after the event).
pub fn forward_path(closes: &Series, event: Date, horizon: u32, rule: EntryRule) -> Option<EventPath> {
    let start = entry_index(closes, event, rule)?;
    let (dates, values) = (closes.dates(), closes.values());
    let (entry_date, entry_close) = (dates[start], values[start]);
    let end = entry_date.add_days(horizon as i32);
    let stop = start + dates[start..].partition_point(|d| *d <= end);
    Some(EventPath {
        event,
        entry_date,
        entry_close,
        days: dates[start..stop].iter().map(|d| d.days_since(entry_date)).collect(),
        multiples: values[start..stop].iter().map(|v| v / entry_close).collect(),
        complete: dates.last().is_some_and(|last| *last >= end),
    })
}

/// The dates of `eligible` farther than `days` calendar days from every
/// event (every date when `days` is 0), as the event study's placebo pool.
pub fn away_from_events(eligible: &[Date], events: &[Date], days: u32) -> Vec<Date> {
    if days == 0 {
        return eligible.to_vec();
    }
    let near = |d: &Date| {
        let i = events.partition_point(|e| *e < *d);
        let close = |e: &Date| e.days_since(*d).abs() <= days as i32;
        events.get(i).is_some_and(close) || i.checked_sub(1).and_then(|j| events.get(j)).is_some_and(close)
    };
    eligible.iter().filter(|d| !near(d)).copied().collect()
}

/// The multiple on every day `0..=horizon` after the entry at `start`: the
/// last close on or before `entry + k` over the entry close.
fn daily_multiples(closes: &Series, start: usize, horizon: u32) -> Vec<f64> {
    let (dates, values) = (closes.dates(), closes.values());
    let entry_date = dates[start];
    let mut at = start;
    (0..=horizon)
        .map(|k| {
            let day = entry_date.add_days(k as i32);
            while at + 1 < dates.len() && dates[at + 1] <= day {
                at += 1;
            }
            values[at] / values[start]
        })
        .collect()
}

/// The placebo band of `closes` over `horizon` days from up to `draws`
/// dates of `candidates` (see the module docs); `None` when no candidate
/// has a complete horizon or `draws` is 0.
pub fn placebo_band(
    closes: &Series,
    candidates: &[Date],
    horizon: u32,
    draws: usize,
    seed: u64,
    rule: EntryRule,
) -> Option<PlaceboBand> {
    let last = closes.last_date()?;
    let mut pool: Vec<usize> = candidates
        .iter()
        .filter_map(|d| entry_index(closes, *d, rule))
        .filter(|i| closes.dates()[*i].add_days(horizon as i32) <= last)
        .collect();
    if pool.is_empty() || draws == 0 {
        return None;
    }
    let pool_size = pool.len();
    let chosen = if draws >= pool.len() {
        &pool[..]
    } else {
        // Partial Fisher-Yates: the first `draws` positions are a uniform subset.
        let mut rng = Pcg32::new(seed, BAND_STREAM);
        for i in 0..draws {
            let j = i + rng.below((pool.len() - i) as u32) as usize;
            pool.swap(i, j);
        }
        &pool[..draws]
    };
    let paths: Vec<Vec<f64>> = chosen.iter().map(|start| daily_multiples(closes, *start, horizon)).collect();
    let (mut low, mut median, mut high) = (Vec::new(), Vec::new(), Vec::new());
    let mut column = Vec::with_capacity(paths.len());
    for k in 0..=horizon as usize {
        column.clear();
        column.extend(paths.iter().map(|p| p[k]));
        column.sort_by(f64::total_cmp);
        low.push(quantile(&column, LOW));
        median.push(quantile(&column, 0.5));
        high.push(quantile(&column, HIGH));
    }
    Some(PlaceboBand { days: (0..=horizon).collect(), low, median, high, dates_drawn: chosen.len(), pool: pool_size })
}

/// The `q` quantile of sorted values, interpolated linearly between order
/// statistics (numpy's default, Hyndman & Fan type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(i: i32) -> Date {
        Date::from_ymd(2020, 1, 1).unwrap().add_days(i)
    }

    /// Hand-made: a close every day from day 0, value 100 + day.
    fn counting(days: i32) -> Series {
        Series::from_pairs((0..days).map(|i| (d(i), 100.0 + i as f64))).unwrap()
    }

    #[test]
    fn a_path_starts_at_1_on_the_close_after_the_event() {
        // Event on day 2: entry day 3 (close 103); day k of the path is (103 + k) / 103.
        let p = forward_path(&counting(30), d(2), 5, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!((p.event, p.entry_date, p.entry_close), (d(2), d(3), 103.0));
        assert_eq!(p.days, vec![0, 1, 2, 3, 4, 5]);
        let want: Vec<f64> = (0..6).map(|k| (103.0 + k as f64) / 103.0).collect();
        assert_eq!(p.multiples, want);
        assert!(p.complete);
    }

    #[test]
    fn a_path_near_the_end_is_the_path_so_far() {
        // 30 closes (days 0-29); event day 26, entry day 27: only days 27-29 exist.
        let p = forward_path(&counting(30), d(26), 10, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!(p.days, vec![0, 1, 2]);
        assert!(!p.complete);
    }

    #[test]
    fn no_path_without_a_close_soon_after_the_event() {
        // Closes start on day 0; an event 30 days earlier has no entry within 7 days.
        assert!(forward_path(&counting(30), d(-30), 5, EntryRule::STRICTLY_AFTER).is_none());
        // After the data: no entry either.
        assert!(forward_path(&counting(30), d(40), 5, EntryRule::STRICTLY_AFTER).is_none());
    }

    #[test]
    fn a_path_over_gaps_counts_calendar_days() {
        // Hand-made: closes on days 0, 3 and 7 only; entry day 3, the next close 4 days later.
        let s = Series::from_pairs([(d(0), 10.0), (d(3), 20.0), (d(7), 30.0)]).unwrap();
        let p = forward_path(&s, d(1), 10, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!((p.days, p.multiples), (vec![0, 4], vec![1.0, 1.5]));
    }

    #[test]
    fn dates_near_events_leave_the_pool() {
        let eligible: Vec<Date> = (0..20).map(d).collect();
        // Events on days 5 and 15, 2 days either side excluded: 3-7 and 13-17 go.
        let kept = away_from_events(&eligible, &[d(5), d(15)], 2);
        let want: Vec<Date> = [0, 1, 2, 8, 9, 10, 11, 12, 18, 19].into_iter().map(d).collect();
        assert_eq!(kept, want);
        assert_eq!(away_from_events(&eligible, &[d(5)], 0), eligible);
    }

    #[test]
    fn the_band_of_identical_paths_is_that_path() {
        // Hand-made: grows 1% a day, so every date's path is 1.01^k: low = median = high.
        let s = Series::from_pairs((0..400).map(|i| (d(i), 1.01f64.powi(i)))).unwrap();
        let candidates: Vec<Date> = (0..400).map(d).collect();
        let band = placebo_band(&s, &candidates, 30, 50, 7, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!(band.days.len(), 31);
        // Dates 0-368 enter on days 1-369 and reach entry + 30 by day 399.
        assert_eq!((band.dates_drawn, band.pool), (50, 369));
        for k in 0..=30 {
            let want = 1.01f64.powi(k as i32);
            for v in [band.low[k], band.median[k], band.high[k]] {
                assert!((v - want).abs() < 1e-9, "day {k}: {v} vs {want}");
            }
        }
    }

    #[test]
    fn the_band_spans_the_paths_and_repeats_with_its_seed() {
        // Hand-made: a saw that rises by 1 for 10 days then drops back, so
        // paths differ by their start; with every date drawn the band is
        // the percentiles of all of them.
        let s = Series::from_pairs((0..200).map(|i| (d(i), 10.0 + (i % 10) as f64))).unwrap();
        let candidates: Vec<Date> = (0..200).map(d).collect();
        let all = placebo_band(&s, &candidates, 5, 10_000, 1, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!(all.dates_drawn, all.pool);
        assert_eq!((all.low[0], all.median[0], all.high[0]), (1.0, 1.0, 1.0));
        // Day 1: a path entered at 19 drops to 10 (0.526), one at 10 rises to 11 (1.1).
        assert!(all.low[1] < 0.6 && all.high[1] >= 1.09);
        let a = placebo_band(&s, &candidates, 5, 20, 3, EntryRule::STRICTLY_AFTER).unwrap();
        let b = placebo_band(&s, &candidates, 5, 20, 3, EntryRule::STRICTLY_AFTER).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.dates_drawn, 20);
        for k in 0..=5 {
            assert!(a.low[k] <= a.median[k] && a.median[k] <= a.high[k]);
        }
    }

    #[test]
    fn no_band_without_a_complete_horizon() {
        assert!(placebo_band(&counting(10), &[d(0), d(1)], 30, 100, 1, EntryRule::STRICTLY_AFTER).is_none());
        assert!(placebo_band(&counting(100), &[d(0)], 30, 0, 1, EntryRule::STRICTLY_AFTER).is_none());
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0.05, 0.5, 0.95]) = [1.15, 2.5, 3.85].
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&v, 0.05) - 1.15).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert!((quantile(&v, 0.95) - 3.85).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }
}
