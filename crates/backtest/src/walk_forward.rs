//! Walk-forward selection: the sample is cut into `folds + 1` contiguous
//! segments; before each of the last `folds` segments the configuration with
//! the best Sharpe on everything before it is chosen, and only its returns on
//! the next segment count. The concatenated out-of-sample returns are what a
//! trader re-optimising on the past would have earned.

use serde::Serialize;

use crate::error::BacktestError;
use crate::metrics::{Metrics, PeriodsPerYear};
use crate::pbo::{best_of, sharpe};

/// The walk-forward result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkForward {
    /// Out-of-sample segments.
    pub folds: usize,
    /// The configuration chosen for each segment (index into the sweep).
    pub chosen: Vec<usize>,
    /// Metrics of the concatenated out-of-sample returns.
    pub metrics: Metrics,
}

/// Walk-forward over aligned per-period returns `returns[config][t]`.
pub fn walk_forward(returns: &[Vec<f64>], folds: usize, periods: PeriodsPerYear) -> Result<WalkForward, BacktestError> {
    if returns.is_empty() {
        return Err(BacktestError::TooLittle { what: "walk-forward", problem: "no configuration".into() });
    }
    if !(1..=50).contains(&folds) {
        return Err(BacktestError::param("folds", format!("{folds}: from 1 to 50")));
    }
    let t = returns[0].len();
    let size = t / (folds + 1);
    if size < 2 {
        return Err(BacktestError::TooLittle {
            what: "walk-forward",
            problem: format!("{t} periods for {folds} folds"),
        });
    }
    let mut chosen = Vec::with_capacity(folds);
    let mut oos = Vec::with_capacity(size * folds);
    for k in 1..=folds {
        let (train_end, test_end) = (k * size, if k == folds { t } else { (k + 1) * size });
        let in_sample: Vec<f64> = returns.iter().map(|r| sharpe(&r[..train_end])).collect();
        let best = best_of(&in_sample);
        chosen.push(best);
        oos.extend_from_slice(&returns[best][train_end..test_end]);
    }
    Ok(WalkForward { folds, chosen, metrics: Metrics::of(&oos, periods, None) })
}
