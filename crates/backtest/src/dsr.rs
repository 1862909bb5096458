//! The Deflated Sharpe Ratio (Bailey and López de Prado, "The Deflated
//! Sharpe Ratio: Correcting for Selection Bias, Backtest Overfitting and
//! Non-Normality", Journal of Portfolio Management 40(5), 2014).
//!
//! With `N` trials whose (per-period) Sharpe ratios have variance `V`, the
//! best Sharpe expected by luck alone is
//! `SR0 = sqrt(V) ((1 - g) Φ⁻¹(1 - 1/N) + g Φ⁻¹(1 - 1/(N e)))`, `g` the
//! Euler-Mascheroni constant. The DSR is the probability that the selected
//! strategy's true Sharpe exceeds `SR0`, given its `T` returns' skewness `γ3`
//! and (non-excess) kurtosis `γ4`:
//! `DSR = Φ((SR - SR0) sqrt(T - 1) / sqrt(1 - γ3 SR + (γ4 - 1) / 4 SR²))`.
//! Sharpe ratios here are per period (not annualised), as in the paper.

use serde::Serialize;

use crate::error::BacktestError;
use crate::normal::{normal_cdf, normal_quantile};

const EULER_MASCHERONI: f64 = 0.577_215_664_901_532_9;

/// The DSR and what went into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeflatedSharpe {
    /// The selected strategy's per-period Sharpe ratio.
    pub sharpe: f64,
    /// Trials the selection was made from.
    pub trials: usize,
    /// Sharpe expected of the best of `trials` by luck alone (per period).
    pub expected_max_sharpe: f64,
    /// Skewness of the selected returns.
    pub skewness: f64,
    /// Kurtosis (not excess) of the selected returns.
    pub kurtosis: f64,
    /// Returns of the selected strategy.
    pub observations: usize,
    /// Probability that the true Sharpe exceeds `expected_max_sharpe`.
    pub dsr: f64,
}

/// The DSR of `selected` (the best configuration's per-period returns) chosen
/// among trials whose per-period Sharpe ratios are `trial_sharpes`.
pub fn deflated_sharpe_ratio(selected: &[f64], trial_sharpes: &[f64]) -> Result<DeflatedSharpe, BacktestError> {
    let t = selected.len();
    let n = trial_sharpes.len();
    if t < 3 || n < 2 {
        return Err(BacktestError::TooLittle {
            what: "deflated Sharpe ratio",
            problem: format!("{t} returns and {n} trials; at least 3 and 2 needed"),
        });
    }
    let mean = selected.iter().sum::<f64>() / t as f64;
    let moment = |k: i32| selected.iter().map(|r| (r - mean).powi(k)).sum::<f64>() / t as f64;
    let (m2, m3, m4) = (moment(2), moment(3), moment(4));
    if m2 <= 0.0 {
        return Err(BacktestError::TooLittle {
            what: "deflated Sharpe ratio",
            problem: "the returns do not vary".into(),
        });
    }
    let sd = (selected.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (t - 1) as f64).sqrt();
    let sharpe = mean / sd;
    let (skewness, kurtosis) = (m3 / m2.powf(1.5), m4 / (m2 * m2));
    let trial_mean = trial_sharpes.iter().sum::<f64>() / n as f64;
    let trial_var = trial_sharpes.iter().map(|s| (s - trial_mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let nf = n as f64;
    let expected_max_sharpe = trial_var.sqrt()
        * ((1.0 - EULER_MASCHERONI) * normal_quantile(1.0 - 1.0 / nf)
            + EULER_MASCHERONI * normal_quantile(1.0 - 1.0 / (nf * std::f64::consts::E)));
    let denom = (1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe * sharpe).sqrt();
    let dsr = normal_cdf((sharpe - expected_max_sharpe) * ((t - 1) as f64).sqrt() / denom);
    Ok(DeflatedSharpe { sharpe, trials: n, expected_max_sharpe, skewness, kurtosis, observations: t, dsr })
}
