//! The placebo (permutation) test of an event study: how often does a random
//! set of dates do as well as the events?
//!
//! The observed statistic is the mean forward return of the `k` events. Each
//! placebo draws `k` dates without replacement from a pool of eligible dates
//! (the caller leaves out the dates near true events) and takes the mean of
//! their forward returns. With `B` placebos, the one-sided (upper-tail)
//! p-value is
//!
//! ```text
//! p = (1 + #{b : placebo_mean_b >= observed_mean}) / (1 + B)
//! ```
//!
//! the Monte Carlo permutation p-value of Phipson & Smyth (2010), "Permutation
//! p-values should never be zero", which counts the observed set as one of the
//! draws and so is never below `1 / (1 + B)`. Ties within rounding
//! (`1e-12` relative) count as "at least as large", the conservative side, so
//! a placebo set made of the very events scores as a tie whatever the order
//! of summation.
//!
//! **Stratification**: the pool may be split into groups (strata, e.g.
//! halving-cycle phases), each with its own number of draws; a placebo then
//! draws, from each stratum, as many dates as there are events in it, so
//! placebos share the events' mix of strata.
//!
//! **Reproducibility**: placebos are drawn in fixed batches of
//! [`PLACEBO_BATCH`]; batch `b` draws from its own stream
//! `Pcg32::for_stream(seed, b)`, and batches only add up integer counts, so
//! the p-value depends on the seed alone, not on the number of threads or the
//! order in which rayon runs the batches.
//!
//! **Sampling**: within a batch each stratum keeps a permutation of its pool,
//! and a placebo is a partial Fisher-Yates shuffle of its first `k` positions
//! (Knuth, TAOCP vol. 2, Algorithm P, stopped after `k` steps): `k` bounded
//! draws per placebo, a uniform `k`-subset whatever the arrangement left by
//! the previous placebo.

use rayon::prelude::*;
use serde::Serialize;

use crate::{Pcg32, StatsError};

/// Placebos per batch (one random stream each). Part of the reproducibility
/// contract: changing it changes every p-value.
pub const PLACEBO_BATCH: usize = 1024;

/// One stratum of the placebo pool: the forward returns of its eligible
/// dates and how many to draw from it per placebo.
#[derive(Debug, Clone, Copy)]
pub struct PlaceboStratum<'a> {
    /// Forward returns of the stratum's eligible dates.
    pub pool: &'a [f64],
    /// Dates drawn from it per placebo (the number of events in the
    /// stratum).
    pub draws: usize,
}

/// The placebo test's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlaceboTest {
    placebos: usize,
    seed: u64,
}

/// The outcome of a placebo test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlaceboOutcome {
    /// Placebo sets drawn (`B`).
    pub placebos: usize,
    /// Dates in the pool (all strata).
    pub pool: usize,
    /// Dates per placebo set (`k`).
    pub draws: usize,
    /// Placebo sets whose mean was at least the observed mean.
    pub at_least_as_large: u64,
    /// `(1 + at_least_as_large) / (1 + B)`.
    pub p_value: f64,
    /// The average of the placebo means: what a random set of dates earns.
    pub placebo_mean: f64,
}

impl PlaceboTest {
    /// `placebos` random sets (at least 1) drawn with `seed`.
    pub fn new(placebos: usize, seed: u64) -> Result<PlaceboTest, StatsError> {
        if placebos == 0 {
            return Err(StatsError::param("placebos", "must be at least 1"));
        }
        Ok(PlaceboTest { placebos, seed })
    }

    /// Tests the events' `observed` forward returns against placebo sets
    /// drawn from `strata`; the draws must add up to `observed.len()`, and
    /// no stratum may have fewer dates than draws.
    ///
    /// ```
    /// use riskcurve_stats::{PlaceboStratum, PlaceboTest};
    /// let pool: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
    /// // Two events that caught the two best dates of the pool.
    /// let test = PlaceboTest::new(10_000, 42).unwrap();
    /// let out = test.run(&[0.99, 0.98], &[PlaceboStratum { pool: &pool, draws: 2 }]).unwrap();
    /// // Only the set {0.98, 0.99} itself ties: chance 1 / C(100, 2) = 1/4950.
    /// assert!(out.p_value < 0.002);
    /// ```
    pub fn run(&self, observed: &[f64], strata: &[PlaceboStratum<'_>]) -> Result<PlaceboOutcome, StatsError> {
        let k: usize = strata.iter().map(|s| s.draws).sum();
        if k != observed.len() || k == 0 {
            return Err(StatsError::DimensionMismatch {
                what: "placebo draws against events".into(),
                expected: observed.len(),
                got: k,
            });
        }
        for (i, s) in strata.iter().enumerate() {
            if s.pool.len() < s.draws {
                return Err(StatsError::Infeasible(format!(
                    "placebo test: stratum {i} has {} eligible dates for {} events",
                    s.pool.len(),
                    s.draws
                )));
            }
            if s.pool.len() > u32::MAX as usize {
                return Err(StatsError::param("placebo pool", "more than 2^32 - 1 dates"));
            }
            if let Some(index) = s.pool.iter().position(|v| !v.is_finite()) {
                return Err(StatsError::NonFinite { what: format!("placebo pool, stratum {i}"), index });
            }
        }
        if let Some(index) = observed.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite { what: "event returns".into(), index });
        }
        let kf = k as f64;
        let observed_mean = observed.iter().sum::<f64>() / kf;
        let threshold = observed_mean - 1e-12 * observed_mean.abs().max(1.0);
        let batches = self.placebos.div_ceil(PLACEBO_BATCH);
        let per_batch: Vec<(u64, f64)> = (0..batches)
            .into_par_iter()
            .map(|b| {
                let size = PLACEBO_BATCH.min(self.placebos - b * PLACEBO_BATCH);
                let mut rng = Pcg32::for_stream(self.seed, b as u64);
                let mut orders: Vec<Vec<u32>> = strata.iter().map(|s| (0..s.pool.len() as u32).collect()).collect();
                let (mut count, mut sum_of_means) = (0u64, 0.0);
                for _ in 0..size {
                    let mut sum = 0.0;
                    for (s, order) in strata.iter().zip(orders.iter_mut()) {
                        let n = order.len();
                        for i in 0..s.draws {
                            let j = i + rng.below((n - i) as u32) as usize;
                            order.swap(i, j);
                            sum += s.pool[order[i] as usize];
                        }
                    }
                    let mean = sum / kf;
                    count += u64::from(mean >= threshold);
                    sum_of_means += mean;
                }
                (count, sum_of_means)
            })
            .collect();
        let at_least_as_large: u64 = per_batch.iter().map(|(c, _)| c).sum();
        // Summed in batch order, so the float is as reproducible as the count.
        let placebo_mean = per_batch.iter().map(|(_, s)| s).sum::<f64>() / self.placebos as f64;
        Ok(PlaceboOutcome {
            placebos: self.placebos,
            pool: strata.iter().map(|s| s.pool.len()).sum(),
            draws: k,
            at_least_as_large,
            p_value: (1 + at_least_as_large) as f64 / (1 + self.placebos) as f64,
            placebo_mean,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pool: &[f64], draws: usize) -> [PlaceboStratum<'_>; 1] {
        [PlaceboStratum { pool, draws }]
    }

    #[test]
    fn drawing_the_whole_pool_gives_p_one() {
        // Events on every eligible date: every placebo set is the event set.
        let pool: Vec<f64> = (0..500).map(|i| ((i * 37) % 101) as f64 / 7.0 - 3.0).collect();
        let out = PlaceboTest::new(3000, 1).unwrap().run(&pool, &one(&pool, pool.len())).unwrap();
        assert_eq!((out.at_least_as_large, out.p_value), (3000, 1.0));
    }

    #[test]
    fn p_value_of_the_best_single_date_is_its_rank() {
        // One event that caught the best of 10 dates: a placebo ties it with
        // probability 1/10, so p ~ (1 + B/10) / (1 + B).
        let pool: Vec<f64> = (0..10).map(f64::from).collect();
        let out = PlaceboTest::new(100_000, 7).unwrap().run(&[9.0], &one(&pool, 1)).unwrap();
        assert!((out.p_value - 0.1).abs() < 0.003, "{}", out.p_value);
        assert!((out.placebo_mean - 4.5).abs() < 0.03);
        // The worst date: every placebo does at least as well.
        let out = PlaceboTest::new(1000, 7).unwrap().run(&[0.0], &one(&pool, 1)).unwrap();
        assert_eq!(out.p_value, 1.0);
    }

    #[test]
    fn draws_are_without_replacement() {
        // Two draws from {0, 1}: always the mean 0.5, never 0 or 1.
        let pool = [0.0, 1.0];
        let out = PlaceboTest::new(5000, 3).unwrap().run(&[1.0, 0.0], &one(&pool, 2)).unwrap();
        assert_eq!(out.at_least_as_large, 5000);
        assert_eq!(out.placebo_mean, 0.5);
    }

    #[test]
    fn strata_draw_their_own_counts() {
        // Stratum A holds only 0s and B only 10s; one draw from each always
        // gives the mean 5: a pair (0, 10) is not unusual, (10, 10) would be.
        let (a, b) = ([0.0; 20], [10.0; 20]);
        let strata = [PlaceboStratum { pool: &a, draws: 1 }, PlaceboStratum { pool: &b, draws: 1 }];
        let out = PlaceboTest::new(2000, 5).unwrap().run(&[0.0, 10.0], &strata).unwrap();
        assert_eq!(out.p_value, 1.0);
        let out = PlaceboTest::new(2000, 5).unwrap().run(&[10.0, 10.0], &strata).unwrap();
        assert_eq!(out.p_value, 1.0 / 2001.0);
    }

    #[test]
    fn seeded_and_independent_of_thread_count() {
        let pool: Vec<f64> = (0..4000).map(|i| ((i as f64) * 0.7).sin() * 0.1).collect();
        let observed = [0.05, 0.02, 0.08, -0.01, 0.04];
        let test = PlaceboTest::new(20_000, 42).unwrap();
        let run = |threads: usize| {
            let pool_threads = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool_threads.install(|| test.run(&observed, &one(&pool, 5)).unwrap())
        };
        let one_thread = run(1);
        assert_eq!(one_thread, run(4));
        assert_eq!(one_thread, run(3));
        let other_seed = PlaceboTest::new(20_000, 43).unwrap().run(&observed, &one(&pool, 5)).unwrap();
        assert_ne!(one_thread.at_least_as_large, other_seed.at_least_as_large);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let pool = [1.0, 2.0];
        assert!(PlaceboTest::new(0, 1).is_err());
        let test = PlaceboTest::new(10, 1).unwrap();
        assert!(matches!(test.run(&[1.0], &one(&pool, 2)), Err(StatsError::DimensionMismatch { .. })));
        assert!(matches!(test.run(&[1.0; 3], &one(&pool, 3)), Err(StatsError::Infeasible(_))));
        assert!(matches!(test.run(&[], &one(&pool, 0)), Err(StatsError::DimensionMismatch { .. })));
        assert!(matches!(test.run(&[f64::NAN], &one(&pool, 1)), Err(StatsError::NonFinite { .. })));
    }
}
