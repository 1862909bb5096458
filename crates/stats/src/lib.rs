//! Statistics for riskcurve: the distributions behind p-values, ordinary
//! least squares with heteroskedasticity- and autocorrelation-robust
//! covariances and Wald tests, Granger causality tests, the automatic block
//! length of the stationary bootstrap, and the pieces of an event study:
//! forward returns, placebo (permutation) tests, stationary-bootstrap
//! intervals and the Holm correction.
//!
//! Every statistic documents its formula and the established library whose
//! numbers it reproduces; golden tests (`tests/golden/`) hold it to those
//! numbers on real data. Nothing here touches the network, files, the database
//! or the clock; randomness comes from a seeded [`Pcg32`] passed in, so the
//! same seed gives the same numbers on every machine and thread count.
#![deny(missing_docs)]

mod block_length;
mod bootstrap;
mod ccf;
mod ccf_bootstrap;
mod covariance;
mod dependent_correlations;
mod distributions;
mod error;
mod event_study;
mod forward_returns;
mod granger;
mod holm;
mod linalg;
mod matrix;
mod ols;
mod placebo;
mod rng;
mod rolling;
mod summary;
#[cfg(test)]
mod test_support;
mod toda_yamamoto;
mod verdict;
mod wald;

pub use block_length::OptimalBlockLength;
pub use bootstrap::{iid_indices, ConfidenceInterval, StationaryBootstrap};
pub use ccf::{cross_correlations, pearson, CcfPoint};
pub use ccf_bootstrap::{ccf_bootstrap_bands, CcfBand, CcfBands};
pub use covariance::{newey_west_lags, CovarianceKind};
pub use dependent_correlations::DependentCorrelations;
pub use distributions::{chi2_sf, f_sf, incomplete_beta, incomplete_gamma_p, incomplete_gamma_q, ln_gamma, t_sf};
pub use error::StatsError;
pub use event_study::{
    decluster, Declustering, EventDate, EventStudy, EventStudyResult, EventStudyTarget, HorizonResult, SkippedEvent,
    TargetResult,
};
pub use forward_returns::{EntryRule, EventOutcome, ForwardReturnTable, ForwardReturns, NoEntry};
pub use granger::{GrangerCausality, GrangerLagTest, GrangerOptions, LagSelection};
pub use holm::holm_adjust;
pub use matrix::Matrix;
pub use ols::Ols;
pub use placebo::{PlaceboOutcome, PlaceboStratum, PlaceboTest, PLACEBO_BATCH};
pub use rng::{splitmix64, Pcg32};
pub use rolling::{rolling_correlation, rolling_correlation_series, RollingPoint};
pub use summary::SampleSummary;
pub use toda_yamamoto::{LagOrder, TodaYamamoto, TodaYamamotoOptions, VarLagSelection};
pub use verdict::{Verdict, VerdictInputs, VerdictKind, ALPHA, MIN_EVENTS};
pub use wald::WaldTest;
