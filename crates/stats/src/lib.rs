//! Statistics for riskcurve: the distributions behind p-values, ordinary
//! least squares with heteroskedasticity- and autocorrelation-robust
//! covariances and Wald tests, Granger causality tests and the automatic block
//! length of the stationary bootstrap.
//!
//! Every statistic documents its formula and the established library whose
//! numbers it reproduces; golden tests (`tests/golden/`) hold it to those
//! numbers on real data. Nothing here touches the network, files, the database
//! or the clock.
#![deny(missing_docs)]

mod block_length;
mod ccf;
mod covariance;
mod distributions;
mod error;
mod granger;
mod linalg;
mod matrix;
mod ols;
mod wald;

pub use block_length::OptimalBlockLength;
pub use ccf::{cross_correlations, pearson, CcfPoint};
pub use covariance::{newey_west_lags, CovarianceKind};
pub use distributions::{chi2_sf, f_sf, incomplete_beta, incomplete_gamma_p, incomplete_gamma_q, ln_gamma, t_sf};
pub use error::StatsError;
pub use granger::{GrangerCausality, GrangerLagTest, GrangerOptions, LagSelection};
pub use matrix::Matrix;
pub use ols::Ols;
pub use wald::WaldTest;
