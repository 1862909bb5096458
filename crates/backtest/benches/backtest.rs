//! The backtest step and a sweep's worth of it, on SYNTHETIC daily OHLC bars
//! (a seeded random walk, 10 years): 40 entry signals, hold 180 days, a 30%
//! stop and a 20% trailing stop checked intrabar on the low, fees and
//! slippage; then 24 configurations (4 holds x 3 stops x 2 trails) in a row,
//! the work of `sweep` per target without the signal detection.
//!
//! ```text
//! cargo bench -p riskcurve-backtest --bench backtest
//! ```
//!
//! Prints the best and median of 7 timed runs after one warm-up run
//! (std::time::Instant, as the other benches; criterion would be a heavy
//! dependency for two numbers).

use riskcurve_backtest::{backtest, Costs, Market, PeriodsPerYear, Rules};
use riskcurve_core::{Bar, BarSeries, Date};

#[path = "../../../bench/timing.rs"]
mod timing;
use timing::time;

const DAYS: i32 = 3_652;

/// Seeded random-walk bars with opens, highs and lows around the closes.
fn bars(first: Date) -> BarSeries {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut close = 100.0;
    let bars = (0..DAYS)
        .map(|d| {
            let open = close * (1.0 + (uniform() - 0.5) * 0.01);
            close = open * (1.0 + (uniform() - 0.5) * 0.08);
            let high = open.max(close) * (1.0 + uniform() * 0.02);
            let low = open.min(close) * (1.0 - uniform() * 0.02);
            Bar { date: first.add_days(d), open: Some(open), high: Some(high), low: Some(low), close, volume: None }
        })
        .collect();
    BarSeries::new(bars).unwrap()
}

fn main() {
    let first = Date::from_ymd(2016, 1, 1).unwrap();
    let bars = bars(first);
    let market = Market { bars: &bars, cash_rate: None, periods: PeriodsPerYear::CRYPTO_DAILY };
    let entries: Vec<Date> = (0..40).map(|i| first.add_days(45 + i * 90)).collect();
    let costs = Costs { fee_bps: 10.0, slippage_bps: 5.0 };
    let rules = Rules { hold_days: Some(180), stop_pct: Some(30.0), trail_pct: Some(20.0), costs };
    time(&format!("backtest: {DAYS} bars, 40 signals, stop + trail"), 7, || {
        backtest(&market, &entries, &[], &rules).unwrap()
    });

    let mut grid = Vec::new();
    for hold in [30, 90, 180, 365] {
        for stop in [None, Some(20.0), Some(30.0)] {
            for trail in [None, Some(25.0)] {
                grid.push(Rules { hold_days: Some(hold), stop_pct: stop, trail_pct: trail, costs });
            }
        }
    }
    time(&format!("{} configurations in a row (one thread)", grid.len()), 7, || {
        grid.iter().map(|r| backtest(&market, &entries, &[], r).unwrap().metrics.sharpe).collect::<Vec<_>>()
    });
}
