//! The Russell 2000 (or the signal's series) on a log scale with its
//! all-time high, the consolidations before each breakout and the breakouts
//! themselves (held or failed), Bitcoin on the right axis.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use riskcurve_app::human::{pct_signed, price};
use riskcurve_app::report::PriceChart;

use super::{chart_on, legend_dot, legend_line, legend_rect, legend_style, mesh, secondary_mesh};
use crate::chart::{
    colour, log_axis, log_span, on_or_before, small_font, svg, year, year_axis, year_label, Figure, Hover, HoverMode,
};
use crate::chart::{level_label, DrawResult};

/// The breakout chart.
pub fn draw(p: &PriceChart) -> DrawResult<Figure> {
    let (first, last) = match (p.close.dates.first(), p.close.dates.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => return Err("no closes".into()),
    };
    let (lo, hi) = log_span(p.close.values.iter().copied()).ok_or("no positive closes")?;
    let btc = p.btc.data().filter(|b| !b.is_empty());
    let (btc_lo, btc_hi) = btc.and_then(|b| log_span(b.values.iter().copied())).unwrap_or((1.0, 10.0));
    let title = format!("{} ({}), log scale: all-time high, consolidations and breakouts", p.name, p.spec);
    let (svg, hover) = svg(560, |root| {
        let mut chart = chart_on(root, &title)
            .right_y_label_area_size(if btc.is_some() { 78 } else { 0 })
            .build_cartesian_2d(year_axis(first, last), log_axis(lo, hi))?
            .set_secondary_coord(year_axis(first, last), log_axis(btc_lo, btc_hi));
        mesh(&mut chart.configure_mesh(), "date", &format!("{} (index points, log scale)", p.name))
            .x_label_formatter(&year_label)
            .y_label_formatter(&level_label)
            .draw()?;
        if btc.is_some() {
            secondary_mesh(&mut chart.configure_secondary_axes(), "Bitcoin (USD, log scale)")
                .y_label_formatter(&level_label)
                .draw()?;
        }
        // Consolidations: from the prior high to the breakout, under everything else.
        let span = colour::GREY.mix(0.16).filled();
        let spans = p.events.iter().map(|e| Rectangle::new([(year(e.prior_high_date), lo), (year(e.date), hi)], span));
        chart
            .draw_series(spans)?
            .label("consolidation (prior high to breakout)")
            .legend(legend_rect(colour::GREY.mix(0.3)));
        chart
            .draw_series(LineSeries::new(
                p.all_time_high.dates.iter().zip(&p.all_time_high.values).map(|(d, v)| (year(*d), *v)),
                colour::GREY.stroke_width(2),
            ))?
            .label("all-time high (running maximum)")
            .legend(legend_line(colour::GREY, 2));
        chart
            .draw_series(LineSeries::new(
                p.close.dates.iter().zip(&p.close.values).map(|(d, v)| (year(*d), *v)),
                colour::EQUITY.stroke_width(2),
            ))?
            .label(format!("{} (weekly close)", p.name))
            .legend(legend_line(colour::EQUITY, 2));
        if let Some(b) = btc {
            chart
                .draw_secondary_series(LineSeries::new(
                    b.dates.iter().zip(&b.values).map(|(d, v)| (year(*d), *v)),
                    colour::BTC.mix(0.8).stroke_width(1),
                ))?
                .label("Bitcoin (right axis)")
                .legend(legend_line(colour::BTC, 2));
        }
        let held: Vec<_> = p.events.iter().filter(|e| !e.failed).collect();
        let failed: Vec<_> = p.events.iter().filter(|e| e.failed).collect();
        chart
            .draw_series(held.iter().map(|e| Circle::new((year(e.date), e.close), 7, colour::GOOD.filled())))?
            .label("breakout that held")
            .legend(legend_dot(colour::GOOD));
        chart
            .draw_series(failed.iter().map(|e| Circle::new((year(e.date), e.close), 7, colour::BAD.filled())))?
            .label("breakout that failed (closed below the prior high within the fail window)")
            .legend(legend_dot(colour::BAD));
        chart.draw_series(p.events.iter().map(|e| {
            let (y, m, _) = e.date.ymd();
            Text::new(
                format!("{y}-{m:02}"),
                (year(e.date), e.close * 1.13),
                small_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
        }))?;
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;

        let mut hover = Hover::default();
        let mut previous = None;
        for (i, (d, v)) in p.close.dates.iter().zip(&p.close.values).enumerate() {
            let ath = p.all_time_high.values.get(i).copied().unwrap_or(*v);
            let mut text = format!(
                "{d}\n{} {}\nall-time high {} ({} from it)",
                p.name,
                price(*v),
                price(ath),
                pct_signed(v / ath - 1.0, 1)
            );
            if let Some(b) = btc {
                if let Some(j) = on_or_before(&b.dates, *d) {
                    text.push_str(&format!("\nBitcoin {} ({})", price(b.values[j]), b.dates[j]));
                }
            }
            for e in p.events.iter().filter(|e| e.date <= *d && previous.is_none_or(|p| e.date > p)) {
                let outcome = match e.failed_date {
                    Some(f) => format!("failed {f}"),
                    None if e.complete => "held".to_string(),
                    None => "pending".to_string(),
                };
                text.push_str(&format!(
                    "\nbreakout {} at {} over the {} high of {}: {outcome}",
                    e.date,
                    price(e.close),
                    e.prior_high_date,
                    price(e.prior_high)
                ));
            }
            previous = Some(*d);
            hover.push(chart.backend_coord(&(year(*d), *v)), text);
        }
        Ok(hover)
    })?;
    let s = &p.status;
    Ok(Figure {
        id: "rut".into(),
        svg,
        mode: HoverMode::X,
        hover: hover.thinned(2500),
        note: format!(
            "Weekly closes (the last of each week); events, the high and the spans are computed on daily closes. Last close {} on {}: {} from the all-time high {} of {}. {} breakouts since {}.",
            price(s.last_close),
            s.last_date,
            pct_signed(s.distance_pct / 100.0, 1),
            price(s.all_time_high),
            s.all_time_high_date,
            p.events.len(),
            first
        ),
    })
}
