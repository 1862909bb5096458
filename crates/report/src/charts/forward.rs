//! Each event's forward path of one target (rebased to 1 at the entry close)
//! against the placebo band of random eligible dates.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use riskcurve_app::human::{count, multiple, pct_signed, price};
use riskcurve_app::report::forward::{ForwardPaths, TargetPathData};

use super::{chart_on, legend_line, legend_rect, legend_style, mesh};
use crate::chart::{colour, log_axis, log_span, multiple_label, small_font, svg, DrawResult, Figure, Hover, HoverMode};

/// The forward-path chart of target `i` of `f`.
pub fn draw(f: &ForwardPaths, target: &str, name: &str, data: &TargetPathData) -> DrawResult<Figure> {
    let horizon = f64::from(f.horizon_days);
    let band = data.band.as_ref();
    let values = data
        .events
        .iter()
        .flat_map(|e| e.multiples.iter().copied())
        .chain(band.iter().flat_map(|b| b.low.iter().chain(&b.high).copied()))
        .chain([1.0]);
    let (lo, hi) = log_span(values).ok_or("no positive multiples")?;
    let outcome = |date| f.events.iter().find(|e| e.date == date).and_then(|e| e.outcome.clone());
    let title = format!("{name} after each {} event: {} days from the entry, rebased to 1", f.signal, f.horizon_days);
    let (svg, hover) = svg(540, |root| {
        let mut chart = chart_on(root, &title).build_cartesian_2d(-4.0..horizon + 24.0, log_axis(lo, hi))?;
        mesh(
            &mut chart.configure_mesh(),
            "calendar days since the entry close",
            &format!("{name}: multiple of the entry close (log scale)"),
        )
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&multiple_label)
        .draw()?;
        let tint = colour::target(target, 0);
        if let Some(b) = band {
            let upper = b.days.iter().zip(&b.high).map(|(d, v)| (f64::from(*d), *v));
            let lower = b.days.iter().zip(&b.low).rev().map(|(d, v)| (f64::from(*d), *v));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    upper.chain(lower).collect::<Vec<_>>(),
                    tint.mix(0.16).filled(),
                )))?
                .label(format!("placebo 5-95% band ({} random dates)", count(b.dates_drawn as u64)))
                .legend(legend_rect(tint.mix(0.3)));
            chart
                .draw_series(LineSeries::new(
                    b.days.iter().zip(&b.median).map(|(d, v)| (f64::from(*d), *v)),
                    tint.mix(0.7).stroke_width(2),
                ))?
                .label("placebo median")
                .legend(legend_line(tint.mix(0.7), 2));
        }
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(-4.0, 1.0), (horizon + 24.0, 1.0)], BLACK.mix(0.5))))?;
        for e in &data.events {
            // One colour per event on every target's chart.
            let i = f.events.iter().position(|s| s.date == e.event).unwrap_or(0);
            let c = colour::SERIES[i % colour::SERIES.len()];
            let end = e.multiples.last().copied().unwrap_or(1.0);
            let status = if e.complete { String::new() } else { ", so far".to_string() };
            let how = outcome(e.event).map(|o| format!(" ({o})")).unwrap_or_default();
            chart
                .draw_series(LineSeries::new(
                    e.days.iter().zip(&e.multiples).map(|(d, v)| (f64::from(*d), *v)),
                    c.stroke_width(2),
                ))?
                .label(format!("{}{how}: {}{status}", e.event, multiple(end)))
                .legend(legend_line(c, 3));
            if let (Some(d), Some(v)) = (e.days.last(), e.multiples.last()) {
                let (y, _, _) = e.event.ymd();
                let style = small_font().color(&c).pos(Pos::new(HPos::Left, VPos::Center));
                chart.draw_series(std::iter::once(Text::new(format!("{y}"), (f64::from(*d) + 1.0, *v), style)))?;
            }
        }
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;

        let mut hover = Hover::default();
        if let Some(b) = band {
            for i in (0..b.days.len()).step_by(5) {
                let text = format!(
                    "random dates, day {}\n5%: {}  median: {}  95%: {}",
                    b.days[i],
                    multiple(b.low[i]),
                    multiple(b.median[i]),
                    multiple(b.high[i])
                );
                hover.push(chart.backend_coord(&(f64::from(b.days[i]), b.median[i])), text);
            }
        }
        for e in &data.events {
            let how = outcome(e.event).map(|o| format!(" ({o})")).unwrap_or_default();
            for (d, v) in e.days.iter().zip(&e.multiples) {
                let text = format!(
                    "event {}{how}\nentry {} at {}\nday {d}: {} ({})",
                    e.event,
                    e.entry_date,
                    price(e.entry_close),
                    multiple(*v),
                    pct_signed(v - 1.0, 1)
                );
                hover.push(chart.backend_coord(&(f64::from(*d), *v)), text);
            }
        }
        Ok(hover)
    })?;
    let note = match band {
        Some(b) => format!(
            "Entry: the first {name} close after the event date. Band: on each day, the 5th to 95th percentile of the same path from {} random eligible dates (seed {}), drawn from the {} dates of the signal's calendar farther than {} days from every event whose whole {}-day path is in the data. A path above the band was unusual for that day; it is not a test, and the events are few.",
            count(b.dates_drawn as u64),
            f.seed,
            count(b.pool as u64),
            f.exclude_days,
            f.horizon_days
        ),
        None => format!("No placebo band: no eligible date has a complete {}-day path of {name}.", f.horizon_days),
    };
    Ok(Figure { id: format!("forward-{target}"), svg, mode: HoverMode::Xy, hover: hover.thinned(3000), note })
}
