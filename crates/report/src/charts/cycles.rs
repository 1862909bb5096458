//! Bitcoin's halving cycles overlaid: multiple of the halving close by
//! days since the halving, one line per cycle, on a log scale.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use riskcurve_app::human::{multiple, price};
use riskcurve_app::report::CycleChart;

use super::{chart_on, legend_line, legend_style, mesh};
use crate::chart::{colour, log_axis, log_span, multiple_label, small_font, svg, DrawResult, Figure, Hover, HoverMode};

/// The cycles chart.
pub fn draw(c: &CycleChart) -> DrawResult<Figure> {
    let (lo, hi) =
        log_span(c.paths.iter().flat_map(|p| p.multiples.iter().copied()).chain([1.0])).ok_or("no cycles")?;
    let first = c.paths.iter().filter_map(|p| p.days.first()).min().copied().unwrap_or(0).min(0);
    let last = c.paths.iter().filter_map(|p| p.days.last()).max().copied().ok_or("no cycles")?;
    let x = f64::from(first) - 10.0..f64::from(last) + 60.0;
    let (svg, hover) = svg(520, |root| {
        let mut chart = chart_on(root, "Bitcoin halving cycles overlaid (log scale)")
            .build_cartesian_2d(x.clone(), log_axis(lo, hi))?;
        mesh(
            &mut chart.configure_mesh(),
            "calendar days since the halving",
            "multiple of the halving close (log scale)",
        )
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&multiple_label)
        .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x.start, 1.0), (x.end, 1.0)], BLACK.mix(0.5))))?;
        let mut hover = Hover::default();
        for (i, p) in c.paths.iter().enumerate() {
            let col = colour::SERIES[i % colour::SERIES.len()];
            let summary = c.summary.cycles.iter().find(|s| s.halving == p.halving);
            let peak = summary
                .map(|s| format!(": peak {} on day {}", multiple(s.peak_multiple), s.days_to_peak))
                .unwrap_or_default();
            let state = if p.complete { "" } else { " (current cycle, so far)" };
            chart
                .draw_series(LineSeries::new(
                    p.days.iter().zip(&p.multiples).map(|(d, m)| (f64::from(*d), *m)),
                    col.stroke_width(2),
                ))?
                .label(format!("{} halving{peak}{state}", p.halving))
                .legend(legend_line(col, 3));
            if let (Some(d), Some(m)) = (p.days.last(), p.multiples.last()) {
                let style = small_font().color(&col).pos(Pos::new(HPos::Left, VPos::Center));
                let year = p.halving.ymd().0;
                chart.draw_series(std::iter::once(Text::new(format!("{year}"), (f64::from(*d) + 8.0, *m), style)))?;
            }
            for (d, m) in p.days.iter().zip(&p.multiples).step_by(3) {
                let text = format!(
                    "{} cycle, day {d}\n{} of the halving close {} ({})",
                    p.halving.ymd().0,
                    multiple(*m),
                    price(p.entry_close),
                    p.entry_date
                );
                hover.push(chart.backend_coord(&(f64::from(*d), *m)), text);
            }
        }
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::LowerRight).draw()?;
        Ok(hover)
    })?;
    Ok(Figure {
        id: "cycles".into(),
        svg,
        mode: HoverMode::Xy,
        hover: hover.thinned(3000),
        note: format!(
            "Each cycle starts at the last close on or before its halving and runs to the day before the next one. Today the current cycle is at day {}; the table below compares every cycle at that day.",
            c.summary.days
        ),
    })
}
