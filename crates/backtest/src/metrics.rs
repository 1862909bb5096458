//! Performance metrics with empyrical's definitions (Quantopian's
//! `empyrical`, also used by pyfolio and quantstats' defaults), on simple
//! per-period returns `r_1..r_n` with risk-free rate 0:
//!
//! - total return `prod(1 + r) - 1`; CAGR `(1 + total)^(P / n) - 1`, where
//!   `P` is the periods per year (empyrical `annual_return`);
//! - volatility `std(r, ddof = 1) sqrt(P)`; Sharpe `mean(r) / std(r, ddof = 1)
//!   sqrt(P)`;
//! - Sortino `mean(r) P / (sqrt(mean(min(r, 0)^2)) sqrt(P))` (empyrical's
//!   downside risk averages over all periods, not just the negative ones);
//! - max drawdown `min_t (E_t / max_{s<=t} E_s - 1)` of the equity `E`
//!   starting at 1; Calmar `CAGR / |max drawdown|`.
//!
//! Crypto trades every day (`P` = 365), US equities on 252 sessions a year.

use serde::Serialize;

use crate::engine::{ExitReason, Trade};

/// Bars per year, for annualisation; the compiler keeps it from being
/// confused with any other number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodsPerYear(pub f64);

impl PeriodsPerYear {
    /// Daily crypto bars: every calendar day.
    pub const CRYPTO_DAILY: PeriodsPerYear = PeriodsPerYear(365.0);
    /// Daily equity bars: NYSE sessions.
    pub const EQUITY_DAILY: PeriodsPerYear = PeriodsPerYear(252.0);
}

/// The metrics of one return series (and its trades, for a strategy).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Per-period returns.
    pub periods: usize,
    /// Annualisation factor used.
    pub periods_per_year: f64,
    /// Total return.
    pub total_return: f64,
    /// Compound annual growth rate.
    pub cagr: f64,
    /// Annualised volatility.
    pub volatility: f64,
    /// Annualised Sharpe ratio (risk-free 0); `None` without variation.
    pub sharpe: Option<f64>,
    /// Annualised Sortino ratio; `None` without a losing period.
    pub sortino: Option<f64>,
    /// Maximum drawdown (negative).
    pub max_drawdown: f64,
    /// CAGR over |max drawdown|; `None` without a drawdown.
    pub calmar: Option<f64>,
    /// Share of periods in the market (strategies).
    pub exposure: Option<f64>,
    /// Closed and open trades (strategies).
    pub trades: Option<usize>,
    /// Share of closed trades with a positive net return.
    pub win_rate: Option<f64>,
}

impl Metrics {
    /// Metrics of `returns`; `trades` with the periods in the market for a strategy.
    pub fn of(returns: &[f64], periods_per_year: PeriodsPerYear, trades: Option<(&[Trade], usize)>) -> Metrics {
        let p = periods_per_year.0;
        let n = returns.len();
        let mut equity = 1.0;
        let (mut peak, mut max_drawdown) = (1.0_f64, 0.0_f64);
        for r in returns {
            equity *= 1.0 + r;
            peak = peak.max(equity);
            max_drawdown = max_drawdown.min(equity / peak - 1.0);
        }
        let total_return = equity - 1.0;
        let cagr = if n == 0 { 0.0 } else { equity.powf(p / n as f64) - 1.0 };
        let mean = if n == 0 { 0.0 } else { returns.iter().sum::<f64>() / n as f64 };
        let std =
            if n < 2 { 0.0 } else { (returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() };
        let downside =
            if n == 0 { 0.0 } else { (returns.iter().map(|r| r.min(0.0).powi(2)).sum::<f64>() / n as f64).sqrt() };
        let closed: Vec<&Trade> =
            trades.map_or(Vec::new(), |(t, _)| t.iter().filter(|t| t.reason != ExitReason::Open).collect());
        Metrics {
            periods: n,
            periods_per_year: p,
            total_return,
            cagr,
            volatility: std * p.sqrt(),
            sharpe: (std > 0.0).then(|| mean / std * p.sqrt()),
            sortino: (downside > 0.0).then(|| mean * p / (downside * p.sqrt())),
            max_drawdown,
            calmar: (max_drawdown < 0.0).then(|| cagr / max_drawdown.abs()),
            exposure: trades.map(|(_, in_market)| if n == 0 { 0.0 } else { in_market as f64 / n as f64 }),
            trades: trades.map(|(t, _)| t.len()),
            win_rate: trades.and_then(|_| {
                (!closed.is_empty())
                    .then(|| closed.iter().filter(|t| t.net_return > 0.0).count() as f64 / closed.len() as f64)
            }),
        }
    }
}
