//! Net liquidity (WALCL - TGA - RRP) with its components, and net liquidity
//! against Bitcoin.

use plotters::prelude::*;
use riskcurve_app::human::{price, usd_millions};
use riskcurve_app::report::LiquidityChart;

use super::{chart_on, legend_line, legend_style, mesh, secondary_mesh};
use crate::chart::{
    colour, level_label, linear_span, log_axis, log_span, on_or_before, svg, year, year_axis, year_label,
};
use crate::chart::{DrawResult, Figure, Hover, HoverMode};

/// USD millions to trillions, the unit of the axes.
fn trillions(millions: f64) -> f64 {
    millions / 1e6
}

fn tick(v: &f64) -> String {
    format!("{v:.1}")
}

/// Net liquidity and its three components.
pub fn components(l: &LiquidityChart) -> DrawResult<Figure> {
    let (first, last) = (*l.dates.first().ok_or("no rows")?, *l.dates.last().ok_or("no rows")?);
    let all = l.walcl.iter().chain(&l.tga).chain(&l.rrp).chain(&l.net_liquidity).map(|v| trillions(*v)).chain([0.0]);
    let (lo, hi) = linear_span(all).ok_or("no values")?;
    let lines: [(&str, &Vec<f64>, RGBColor, u32); 4] = [
        ("Fed balance sheet (WALCL)", &l.walcl, colour::EQUITY, 2),
        ("Treasury General Account (TGA, WTREGEN)", &l.tga, colour::WARN, 2),
        ("overnight reverse repos (RRP, RRPONTSYD)", &l.rrp, colour::SERIES[3], 2),
        ("net liquidity = WALCL - TGA - RRP", &l.net_liquidity, colour::NET, 3),
    ];
    let (svg, hover) = svg(500, |root| {
        let mut chart = chart_on(root, "Net liquidity and its components (as published by each NYSE close)")
            .build_cartesian_2d(year_axis(first, last), lo..hi)?;
        mesh(&mut chart.configure_mesh(), "date", "USD trillions")
            .x_label_formatter(&year_label)
            .y_label_formatter(&tick)
            .draw()?;
        for (label, values, c, w) in lines {
            chart
                .draw_series(LineSeries::new(
                    l.dates.iter().zip(values).map(|(d, v)| (year(*d), trillions(*v))),
                    c.stroke_width(w),
                ))?
                .label(label)
                .legend(legend_line(c, w));
        }
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;
        let mut hover = Hover::default();
        for i in 0..l.dates.len() {
            let text = format!(
                "{}\nnet liquidity {}\nWALCL {}\nTGA {}\nRRP {}",
                l.dates[i],
                usd_millions(l.net_liquidity[i]),
                usd_millions(l.walcl[i]),
                usd_millions(l.tga[i]),
                usd_millions(l.rrp[i])
            );
            hover.push(chart.backend_coord(&(year(l.dates[i]), trillions(l.net_liquidity[i]))), text);
        }
        Ok(hover)
    })?;
    Ok(Figure {
        id: "liquidity".into(),
        svg,
        mode: HoverMode::X,
        hover: hover.thinned(1500),
        note: format!(
            "Weekly (the last NYSE session of each week), {first} to {last}. Each value is the one published by that close: WALCL and the TGA are Wednesday figures released Thursday 16:30 ET, RRP the same day at 13:15 ET. Stored in {}, drawn in USD trillions.",
            l.unit
        ),
    })
}

/// Net liquidity (left axis) against Bitcoin (right axis, log scale).
pub fn against_btc(l: &LiquidityChart) -> DrawResult<Figure> {
    let btc = l.btc.data().filter(|b| !b.is_empty()).ok_or("no Bitcoin closes over the span")?;
    let first = *l.dates.first().ok_or("no rows")?;
    let last = (*l.dates.last().ok_or("no rows")?).max(*btc.dates.last().ok_or("no closes")?);
    let (lo, hi) = linear_span(l.net_liquidity.iter().map(|v| trillions(*v))).ok_or("no values")?;
    let (blo, bhi) = log_span(btc.values.iter().copied()).ok_or("no positive closes")?;
    let (svg, hover) = svg(480, |root| {
        let mut chart = chart_on(root, "Net liquidity against Bitcoin")
            .right_y_label_area_size(78)
            .build_cartesian_2d(year_axis(first, last), lo..hi)?
            .set_secondary_coord(year_axis(first, last), log_axis(blo, bhi));
        mesh(&mut chart.configure_mesh(), "date", "net liquidity (USD trillions)")
            .x_label_formatter(&year_label)
            .y_label_formatter(&tick)
            .draw()?;
        secondary_mesh(&mut chart.configure_secondary_axes(), "Bitcoin (USD, log scale)")
            .y_label_formatter(&level_label)
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                l.dates.iter().zip(&l.net_liquidity).map(|(d, v)| (year(*d), trillions(*v))),
                colour::NET.stroke_width(3),
            ))?
            .label("net liquidity (left axis)")
            .legend(legend_line(colour::NET, 3));
        chart
            .draw_secondary_series(LineSeries::new(
                btc.dates.iter().zip(&btc.values).map(|(d, v)| (year(*d), *v)),
                colour::BTC.stroke_width(2),
            ))?
            .label("Bitcoin, weekly close (right axis)")
            .legend(legend_line(colour::BTC, 2));
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;
        let mut hover = Hover::default();
        for i in 0..l.dates.len() {
            let mut text = format!("{}\nnet liquidity {}", l.dates[i], usd_millions(l.net_liquidity[i]));
            if let Some(j) = on_or_before(&btc.dates, l.dates[i]) {
                text.push_str(&format!("\nBitcoin {} ({})", price(btc.values[j]), btc.dates[j]));
            }
            hover.push(chart.backend_coord(&(year(l.dates[i]), trillions(l.net_liquidity[i]))), text);
        }
        Ok(hover)
    })?;
    Ok(Figure {
        id: "liquidity-btc".into(),
        svg,
        mode: HoverMode::X,
        hover: hover.thinned(1500),
        note: "Two axes: the left is linear in USD trillions, the right is Bitcoin on a log scale. Co-movement on such a chart is suggestive at most; the lead-lag section tests it.".into(),
    })
}
