//! Backtests of signals, honestly: a position is entered at the close of the
//! first bar **after** the signal's date (never on the signal's own bar),
//! exits on a holding period, a stop, a trailing stop or an exit signal, pays
//! fees and slippage on both sides, and earns an optional cash yield while
//! flat. Metrics follow empyrical's definitions (Quantopian), with the
//! annualisation of the target's calendar ([`PeriodsPerYear`]).
//!
//! Parameter sweeps come with the controls that keep them honest: the
//! Deflated Sharpe Ratio of the best configuration given the number of
//! trials (Bailey and López de Prado, 2014), the Probability of Backtest
//! Overfitting by combinatorially symmetric cross-validation (Bailey,
//! Borwein, López de Prado and Zhu, 2017), and a walk-forward out-of-sample
//! result.
//!
//! The crate is pure: data and parameters in, results out; no clock, no I/O.
#![deny(missing_docs)]

mod dsr;
mod engine;
mod error;
mod metrics;
mod normal;
mod pbo;
mod walk_forward;

pub use dsr::{deflated_sharpe_ratio, DeflatedSharpe};
pub use engine::{backtest, Backtest, Costs, ExitReason, Market, Rules, Trade};
pub use error::BacktestError;
pub use metrics::{Metrics, PeriodsPerYear};
pub use normal::{normal_cdf, normal_quantile};
pub use pbo::{probability_of_backtest_overfitting, sharpe as per_period_sharpe, Pbo};
pub use walk_forward::{walk_forward, WalkForward};
