//! The report's backtest: the strategy's equity against buy-and-hold on a
//! log scale with each trade's span, and both drawdowns under water.

use plotters::prelude::*;
use riskcurve_app::backtest::BacktestOutput;
use riskcurve_app::human::{pct_signed, price};
use riskcurve_core::Date;

use super::{chart_on, dashed_h, legend_line, legend_rect, legend_style, mesh};
use crate::chart::{
    colour, log_axis, log_span, multiple_label, on_or_before, svg, year, year_axis, year_label, year_range, DrawResult,
    Figure, Hover, HoverMode,
};

/// Each value against the highest value before it, minus one (0 at a peak).
fn underwater(curve: &[(Date, f64)]) -> Vec<(Date, f64)> {
    let mut peak = f64::MIN;
    curve
        .iter()
        .map(|(d, v)| {
            peak = peak.max(*v);
            (*d, v / peak - 1.0)
        })
        .collect()
}

fn span(b: &BacktestOutput) -> DrawResult<(Date, Date)> {
    match (b.result.equity.first(), b.result.equity.last()) {
        (Some(f), Some(l)) => Ok((f.0, l.0)),
        _ => Err("no equity values".into()),
    }
}

/// Equity of the strategy and of buy-and-hold, log scale.
pub fn equity(b: &BacktestOutput) -> DrawResult<Figure> {
    let r = &b.result;
    let (first, last) = span(b)?;
    let (lo, hi) =
        log_span(r.equity.iter().chain(&r.buy_and_hold_equity).map(|e| e.1)).ok_or("no positive equity values")?;
    let title = format!(
        "Buy {} after each {} event, hold {} days: growth of 1",
        b.target.to_uppercase(),
        b.signal,
        hold_days(b)
    );
    let (svg, hover) = svg(480, |root| {
        let mut chart = chart_on(root, &title).build_cartesian_2d(year_axis(first, last), log_axis(lo, hi))?;
        mesh(&mut chart.configure_mesh(), "date", "growth of 1 (log scale)")
            .x_label_formatter(&year_label)
            .y_label_formatter(&multiple_label)
            .draw()?;
        let held = colour::GOOD.mix(0.14).filled();
        chart
            .draw_series(
                r.trades.iter().map(|t| Rectangle::new([(year(t.entry_date), lo), (year(t.exit_date), hi)], held)),
            )?
            .label("in the market (entry to exit)")
            .legend(legend_rect(colour::GOOD.mix(0.3)));
        chart
            .draw_series(LineSeries::new(
                r.buy_and_hold_equity.iter().map(|(d, v)| (year(*d), *v)),
                colour::BTC.stroke_width(2),
            ))?
            .label(format!("buy and hold {} (weekly)", b.target))
            .legend(legend_line(colour::BTC, 2));
        chart
            .draw_series(LineSeries::new(r.equity.iter().map(|(d, v)| (year(*d), *v)), colour::EQUITY.stroke_width(3)))?
            .label("strategy (weekly)")
            .legend(legend_line(colour::EQUITY, 3));
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;
        let mut hover = Hover::default();
        let hold_dates: Vec<Date> = r.buy_and_hold_equity.iter().map(|e| e.0).collect();
        for (d, v) in &r.equity {
            let mut text = format!("{d}\nstrategy {} ({})", multiple_label(v), pct_signed(v - 1.0, 1));
            if let Some(i) = on_or_before(&hold_dates, *d) {
                let h = r.buy_and_hold_equity[i].1;
                text.push_str(&format!("\nbuy and hold {} ({})", multiple_label(&h), pct_signed(h - 1.0, 1)));
            }
            if let Some(t) = r.trades.iter().find(|t| t.entry_date <= *d && *d <= t.exit_date) {
                text.push_str(&format!(
                    "\nin a trade: {} at {} to {} at {} ({})",
                    t.entry_date,
                    price(t.entry_price),
                    t.exit_date,
                    price(t.exit_price),
                    pct_signed(t.net_return, 1)
                ));
            }
            hover.push(chart.backend_coord(&(year(*d), *v)), text);
        }
        Ok(hover)
    })?;
    let note = format!(
        "Entry at the close of the first bar after each signal (never the signal's own bar); exit at the first close on or after entry + {} days; {} bp fee and {} bp slippage a side. {} signals, {} trades from {first} to {last}. Curves are weekly (last close of each week); trades and metrics below are from the daily run.",
        hold_days(b),
        b.rules.costs.fee_bps,
        b.rules.costs.slippage_bps,
        b.signals,
        r.trades.len()
    );
    Ok(Figure { id: "backtest".into(), svg, mode: HoverMode::X, hover: hover.thinned(2000), note })
}

/// Drawdown from the running peak, strategy and buy-and-hold.
pub fn drawdown(b: &BacktestOutput) -> DrawResult<Figure> {
    let r = &b.result;
    let (first, last) = span(b)?;
    let (ours, theirs) = (underwater(&r.equity), underwater(&r.buy_and_hold_equity));
    let deepest = ours.iter().chain(&theirs).map(|u| u.1).fold(0.0, f64::min);
    let bottom = (deepest * 1.08).min(-0.05);
    let x = year_range(first, last);
    let (svg, hover) = svg(360, |root| {
        let mut chart = chart_on(root, "Under water: drawdown from the running peak")
            .build_cartesian_2d(year_axis(first, last), bottom..0.02)?;
        mesh(&mut chart.configure_mesh(), "date", "drawdown")
            .x_label_formatter(&year_label)
            .y_label_formatter(&|v| pct_signed(*v, 0))
            .draw()?;
        chart
            .draw_series(AreaSeries::new(
                theirs.iter().map(|(d, v)| (year(*d), *v)),
                0.0,
                colour::BTC.mix(0.25).filled(),
            ))?
            .label(format!("buy and hold {}", b.target))
            .legend(legend_rect(colour::BTC.mix(0.4)));
        chart
            .draw_series(LineSeries::new(ours.iter().map(|(d, v)| (year(*d), *v)), colour::EQUITY.stroke_width(2)))?
            .label("strategy")
            .legend(legend_line(colour::EQUITY, 2));
        chart.draw_series(std::iter::once(dashed_h(x.start, x.end, 0.0, colour::GREY.stroke_width(1))))?;
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::LowerRight).draw()?;
        let mut hover = Hover::default();
        for ((d, v), (_, h)) in ours.iter().zip(&theirs) {
            let text = format!("{d}\nstrategy {} from its peak\nbuy and hold {}", pct_signed(*v, 1), pct_signed(*h, 1));
            hover.push(chart.backend_coord(&(year(*d), *v)), text);
        }
        Ok(hover)
    })?;
    let note = format!(
        "Weekly values; the maximum drawdowns in the table are from daily closes: strategy {}, buy and hold {}.",
        pct_signed(r.metrics.max_drawdown, 1),
        pct_signed(r.buy_and_hold.max_drawdown, 1)
    );
    Ok(Figure { id: "drawdown".into(), svg, mode: HoverMode::X, hover: hover.thinned(2000), note })
}

fn hold_days(b: &BacktestOutput) -> String {
    b.rules.hold_days.map_or("-".into(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underwater_is_the_fall_from_the_running_peak() {
        // Hand-made: 1, 2, 1, 3 -> 0, 0, -50%, 0.
        let d = |i| Date::from_days(i);
        let curve = [(d(0), 1.0), (d(1), 2.0), (d(2), 1.0), (d(3), 3.0)];
        assert_eq!(underwater(&curve).iter().map(|u| u.1).collect::<Vec<_>>(), [0.0, 0.0, -0.5, 0.0]);
    }
}
