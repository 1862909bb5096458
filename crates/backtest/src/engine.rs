//! The simulation: one position at a time in one target, entered at the
//! close of the first bar strictly after a signal's date, exited by a
//! holding period, a stop, a trailing stop or an exit signal.
//!
//! Fill rules (stated, because they move results):
//! - **Entry and ordinary exits** fill at the bar's close, adjusted by the
//!   slippage (buy higher, sell lower); the fee is a share of the notional.
//! - **Stops** are checked intrabar on the bar's low when the target has
//!   lows: the fill is the stop level, or the open when the bar opens below
//!   it (a gap). Without lows the close is checked and is the fill.
//! - The stop level is `max(entry x (1 - stop), highest close since entry x
//!   (1 - trail))`, using closes before the current bar.
//! - A holding period of `h` days exits at the first close on or after entry
//!   date + `h`.
//! - A signal whose next bar does not exist (the last bar) does not trade;
//!   an exit signal acts on the next bar too.
//! - While flat, equity earns the cash rate known at the previous bar,
//!   compounded over the calendar days between bars (`(1 + r)^(days/365)`).

use riskcurve_core::{Bar, BarSeries, Date, Series};
use serde::Serialize;

use crate::error::BacktestError;
use crate::metrics::{Metrics, PeriodsPerYear};

/// What is traded, on what calendar, and the cash rate.
#[derive(Debug, Clone, Copy)]
pub struct Market<'a> {
    /// The target's bars (closes; lows and opens where known).
    pub bars: &'a BarSeries,
    /// Annual cash yield in percent (e.g. FRED DFF), as-of; `None` = 0.
    pub cash_rate: Option<&'a Series>,
    /// Bars per year for annualisation (365 crypto, 252 equities).
    pub periods: PeriodsPerYear,
}

/// Costs per side, in basis points of the notional.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Costs {
    /// Commission.
    pub fee_bps: f64,
    /// Slippage: buys fill this much above the price, sells below.
    pub slippage_bps: f64,
}

/// How positions are exited.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rules {
    /// Calendar days to hold (exit at the first close on or after entry + hold).
    pub hold_days: Option<u32>,
    /// Stop loss below the entry fill, in percent.
    pub stop_pct: Option<f64>,
    /// Trailing stop below the highest close since entry, in percent.
    pub trail_pct: Option<f64>,
    /// Fees and slippage.
    pub costs: Costs,
}

impl Rules {
    fn validate(&self) -> Result<(), BacktestError> {
        let pct = |name: &'static str, v: Option<f64>| match v {
            Some(v) if !(v > 0.0 && v < 100.0) => {
                Err(BacktestError::param(name, format!("{v}: must be above 0 and below 100")))
            }
            _ => Ok(()),
        };
        pct("--stop-pct", self.stop_pct)?;
        pct("--trail-pct", self.trail_pct)?;
        if self.hold_days == Some(0) {
            return Err(BacktestError::param("--hold", "must be at least 1 day"));
        }
        for (name, v) in [("--fee-bps", self.costs.fee_bps), ("--slippage-bps", self.costs.slippage_bps)] {
            if !(0.0..1000.0).contains(&v) {
                return Err(BacktestError::param(name, format!("{v}: must be within 0..1000")));
            }
        }
        Ok(())
    }
}

/// Why a trade ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExitReason {
    /// The holding period ended.
    Hold,
    /// The stop loss was hit.
    Stop,
    /// The trailing stop was hit.
    TrailingStop,
    /// An exit signal fired.
    ExitSignal,
    /// Still open at the last bar (valued at its close, no exit costs).
    Open,
}

/// One round trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    /// The signal's date.
    pub signal_date: Date,
    /// The entry bar.
    pub entry_date: Date,
    /// The entry fill (with slippage).
    pub entry_price: f64,
    /// The exit bar (the last bar for an open trade).
    pub exit_date: Date,
    /// The exit fill (with slippage; the close for an open trade).
    pub exit_price: f64,
    /// Return after fees and slippage on both sides.
    pub net_return: f64,
    /// Bars held.
    pub bars: usize,
    /// Why it ended.
    pub reason: ExitReason,
}

/// A backtest's result.
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    /// The trades, in order.
    pub trades: Vec<Trade>,
    /// Equity at each bar's close (starts at 1).
    pub equity: Vec<(Date, f64)>,
    /// Buying at the first bar's close (with entry costs) and holding: its
    /// value at each bar's close (starts at 1).
    pub buy_and_hold_equity: Vec<(Date, f64)>,
    /// Per-bar returns of the equity (one fewer than bars).
    #[serde(skip)]
    pub returns: Vec<f64>,
    /// Periods (bar to bar) spent in the market.
    pub bars_in_market: usize,
    /// The strategy's metrics.
    pub metrics: Metrics,
    /// Buying at the first bar's close (with entry costs) and holding.
    pub buy_and_hold: Metrics,
}

enum State {
    Flat,
    Long { entry: usize, signal: Date, price: f64, shares: f64, peak: f64 },
}

/// Runs the strategy: enter after each entry signal while flat, exit by
/// `rules` or after an exit signal.
pub fn backtest(market: &Market, entries: &[Date], exits: &[Date], rules: &Rules) -> Result<Backtest, BacktestError> {
    rules.validate()?;
    let bars = market.bars.bars();
    if bars.len() < 2 {
        return Err(BacktestError::TooLittle {
            what: "backtest",
            problem: format!("{} bar(s); at least 2 needed", bars.len()),
        });
    }
    let next_bar = |d: &Date| bars.partition_point(|b| b.date <= *d);
    // The bar each signal acts on: the first strictly after its date.
    let mut entry_at: Vec<(usize, Date)> =
        entries.iter().map(|d| (next_bar(d), *d)).filter(|(i, _)| *i < bars.len()).collect();
    entry_at.sort();
    let mut exit_at: Vec<usize> = exits.iter().map(next_bar).filter(|i| *i < bars.len()).collect();
    exit_at.sort_unstable();
    let (fee, slip) = (rules.costs.fee_bps / 1e4, rules.costs.slippage_bps / 1e4);

    let mut equity = vec![(bars[0].date, 1.0)];
    let mut cash = 1.0;
    let mut state = State::Flat;
    let mut trades = Vec::new();
    let mut in_market = 0;
    let mut next_entry = 0;
    for i in 1..bars.len() {
        let bar = &bars[i];
        let value = match state {
            State::Flat => {
                cash *= cash_growth(market.cash_rate, bars[i - 1].date, bar.date);
                while next_entry < entry_at.len() && entry_at[next_entry].0 < i {
                    next_entry += 1;
                }
                if next_entry < entry_at.len() && entry_at[next_entry].0 == i {
                    let price = bar.close * (1.0 + slip);
                    let shares = cash / (price * (1.0 + fee));
                    state = State::Long { entry: i, signal: entry_at[next_entry].1, price, shares, peak: bar.close };
                    // The period up to this close was spent in cash.
                    shares * bar.close
                } else {
                    cash
                }
            }
            State::Long { entry, signal, price, shares, peak } => {
                in_market += 1;
                let stop = rules.stop_pct.map(|s| price * (1.0 - s / 100.0));
                let trail = rules.trail_pct.map(|t| peak * (1.0 - t / 100.0));
                let level = stop.into_iter().chain(trail).fold(f64::NEG_INFINITY, f64::max);
                let trail_binds = match (stop, trail) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(s), Some(t)) => t > s,
                };
                let reason = if trail_binds { ExitReason::TrailingStop } else { ExitReason::Stop };
                let exit = stop_fill(bar, level).map(|fill| (fill, reason));
                let exit = exit.or_else(|| {
                    let held = rules.hold_days.is_some_and(|h| bar.date.days_since(bars[entry].date) >= h as i32);
                    if held {
                        Some((bar.close, ExitReason::Hold))
                    } else if exit_at.binary_search(&i).is_ok() {
                        Some((bar.close, ExitReason::ExitSignal))
                    } else {
                        None
                    }
                });
                match exit {
                    Some((fill, reason)) => {
                        let sold = fill * (1.0 - slip);
                        cash = shares * sold * (1.0 - fee);
                        trades.push(Trade {
                            signal_date: signal,
                            entry_date: bars[entry].date,
                            entry_price: price,
                            exit_date: bar.date,
                            exit_price: sold,
                            net_return: sold * (1.0 - fee) / (price * (1.0 + fee)) - 1.0,
                            bars: i - entry,
                            reason,
                        });
                        state = State::Flat;
                        cash
                    }
                    None => {
                        state = State::Long { entry, signal, price, shares, peak: peak.max(bar.close) };
                        shares * bar.close
                    }
                }
            }
        };
        equity.push((bar.date, value));
    }
    if let State::Long { entry, signal, price, shares: _, peak: _ } = state {
        let last = bars.last().expect("at least 2 bars");
        trades.push(Trade {
            signal_date: signal,
            entry_date: bars[entry].date,
            entry_price: price,
            exit_date: last.date,
            exit_price: last.close,
            net_return: last.close / (price * (1.0 + fee)) - 1.0,
            bars: bars.len() - 1 - entry,
            reason: ExitReason::Open,
        });
    }
    let returns: Vec<f64> = equity.windows(2).map(|w| w[1].1 / w[0].1 - 1.0).collect();
    let metrics = Metrics::of(&returns, market.periods, Some((&trades, in_market)));
    let first = bars[0].close * (1.0 + slip) * (1.0 + fee);
    let hold: Vec<f64> = std::iter::once(bars[1].close / first - 1.0)
        .chain(bars[1..].windows(2).map(|w| w[1].close / w[0].close - 1.0))
        .collect();
    let buy_and_hold = Metrics::of(&hold, market.periods, None);
    let mut level = 1.0;
    let buy_and_hold_equity = std::iter::once((bars[0].date, 1.0))
        .chain(bars[1..].iter().zip(&hold).map(|(b, r)| {
            level *= 1.0 + r;
            (b.date, level)
        }))
        .collect();
    Ok(Backtest { trades, equity, buy_and_hold_equity, returns, bars_in_market: in_market, metrics, buy_and_hold })
}

/// The fill of a stop at `level` on this bar, if hit: intrabar on the low
/// (the open when it gaps below), else on the close.
fn stop_fill(bar: &Bar, level: f64) -> Option<f64> {
    if !level.is_finite() {
        return None;
    }
    match bar.low {
        Some(low) if low <= level => Some(bar.open.filter(|o| *o < level).unwrap_or(level)),
        Some(_) => None,
        None => (bar.close <= level).then_some(bar.close),
    }
}

/// Growth of cash from one bar to the next at the rate known at the first.
fn cash_growth(rate: Option<&Series>, from: Date, to: Date) -> f64 {
    let Some(rate) = rate else { return 1.0 };
    let Some(i) = rate.index_on_or_before(from) else { return 1.0 };
    let annual = rate.values()[i] / 100.0;
    (1.0 + annual).powf(to.days_since(from) as f64 / 365.0)
}
