//! The Probability of Backtest Overfitting by combinatorially symmetric
//! cross-validation (Bailey, Borwein, López de Prado and Zhu, "The
//! Probability of Backtest Overfitting", Journal of Computational Finance
//! 20(4), 2017).
//!
//! The `T x N` matrix of per-period returns of `N` configurations is cut
//! into `S` contiguous blocks of equal length. For every way of choosing
//! `S/2` blocks as in-sample (the rest out-of-sample), the configuration
//! with the best in-sample Sharpe is found, and its out-of-sample Sharpe is
//! ranked among all configurations: `w = rank / (N + 1)` (rank 1 the worst),
//! `logit = ln(w / (1 - w))`. PBO is the share of splits with `logit <= 0`:
//! how often the in-sample winner is at or below the out-of-sample median.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::BacktestError;

/// PBO and its ingredients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pbo {
    /// Probability of backtest overfitting.
    pub pbo: f64,
    /// Blocks the sample was cut into.
    pub blocks: usize,
    /// In-sample/out-of-sample splits evaluated (`C(S, S/2)`).
    pub splits: usize,
    /// Configurations compared.
    pub configurations: usize,
    /// Median of the logits (negative: the winner tends to lose out of sample).
    pub median_logit: f64,
}

/// PBO of configurations whose aligned per-period returns are `returns[config][t]`.
pub fn probability_of_backtest_overfitting(returns: &[Vec<f64>], blocks: usize) -> Result<Pbo, BacktestError> {
    let n = returns.len();
    if n < 2 {
        return Err(BacktestError::TooLittle {
            what: "PBO",
            problem: format!("{n} configuration(s); at least 2 needed"),
        });
    }
    if blocks < 2 || !blocks.is_multiple_of(2) || blocks > 16 {
        return Err(BacktestError::param("blocks", format!("{blocks}: an even number from 2 to 16")));
    }
    let t = returns[0].len();
    if returns.iter().any(|r| r.len() != t) {
        return Err(BacktestError::param("returns", "every configuration needs returns on the same periods"));
    }
    let size = t / blocks;
    if size < 2 {
        return Err(BacktestError::TooLittle { what: "PBO", problem: format!("{t} periods for {blocks} blocks") });
    }
    // Leading periods that do not fill a block are left out, so blocks are equal.
    let start = t - size * blocks;
    // Splits in parallel (each is independent), in mask order.
    let masks: Vec<u32> = (0u32..(1 << blocks)).filter(|m| m.count_ones() as usize == blocks / 2).collect();
    let logits: Vec<f64> = masks
        .par_iter()
        .map(|&mask| {
            let sharpe_on = |r: &[f64], want: bool| {
                let halves = (0..blocks).filter(move |b| (mask & (1 << b) != 0) == want);
                sharpe_of(halves.flat_map(|b| r[start + b * size..start + (b + 1) * size].iter().copied()))
            };
            let is: Vec<f64> = returns.iter().map(|r| sharpe_on(r, true)).collect();
            let oos: Vec<f64> = returns.iter().map(|r| sharpe_on(r, false)).collect();
            // Configurations that trade alike have Sharpe ratios equal but for
            // rounding: such near-ties go to the first configuration in sample
            // and count as ties out of sample, so rounding noise decides nothing.
            let best = best_of(&is);
            let rank = oos.iter().filter(|s| **s < oos[best] && !tied(**s, oos[best])).count() as f64 + 1.0;
            let w = rank / (n as f64 + 1.0);
            (w / (1.0 - w)).ln()
        })
        .collect();
    let pbo = logits.iter().filter(|l| **l <= 0.0).count() as f64 / logits.len() as f64;
    let mut sorted = logits.clone();
    sorted.sort_by(f64::total_cmp);
    let median_logit = sorted[sorted.len() / 2];
    Ok(Pbo { pbo, blocks, splits: logits.len(), configurations: n, median_logit })
}

/// The index of the largest value; values equal but for rounding count as
/// equal, and the first of them wins (PBO's and walk-forward's choice).
pub(crate) fn best_of(values: &[f64]) -> usize {
    (1..values.len())
        .fold(0, |best, i| if values[i] > values[best] && !tied(values[i], values[best]) { i } else { best })
}

/// Equal but for floating-point rounding (relative 1e-10).
fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * a.abs().max(b.abs())
}

/// The per-period Sharpe ratio: mean over sample standard deviation (0 when
/// the returns do not vary). The ranking statistic of PBO and walk-forward.
pub fn sharpe(r: &[f64]) -> f64 {
    sharpe_of(r.iter().copied())
}

/// [`sharpe`] of the values `r` yields, in order, without collecting them
/// (the same sums in the same order, so the same bits).
fn sharpe_of(r: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = r.clone().count();
    if n < 2 {
        return 0.0;
    }
    let n = n as f64;
    let mean = r.clone().sum::<f64>() / n;
    let sd = (r.map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    if sd > 0.0 {
        mean / sd
    } else {
        0.0
    }
}
