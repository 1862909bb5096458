//! The rotation graph (RS-Ratio against RS-Momentum with each rung's recent
//! tail) and the history of the rotation's stage.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use riskcurve_app::report::RotationChart;

use super::{chart_on, legend_line, legend_style, mesh};
use crate::chart::{colour, small_font, svg, year, year_axis, year_label, DrawResult, Figure, Hover, HoverMode};

fn quadrant_name(q: riskcurve_signals::rotation::Quadrant) -> String {
    riskcurve_app::human::label(&q)
}

/// The rotation graph.
pub fn graph(r: &RotationChart) -> DrawResult<Figure> {
    let points = || r.tails.iter().flat_map(|t| t.points.iter());
    let reach = |f: fn(&riskcurve_app::report::charts::TailPoint) -> f64| {
        points().map(|p| (f(p) - 100.0).abs()).fold(0.5, f64::max) * 1.2
    };
    let (rx, ry) = (reach(|p| p.rs_ratio), reach(|p| p.rs_momentum));
    // Room below the data for the legend.
    let (x, y) = (100.0 - rx..100.0 + rx, 100.0 - 1.7 * ry..100.0 + ry);
    if points().next().is_none() {
        return Err("no tails".into());
    }
    let title =
        format!("Risk-curve rotation: RS-Ratio against RS-Momentum, last {} weeks to {}", r.tail_weeks, r.as_of);
    let (svg, hover) = svg(640, |root| {
        let mut chart = chart_on(root, &title).build_cartesian_2d(x.clone(), y.clone())?;
        mesh(
            &mut chart.configure_mesh(),
            "RS-Ratio (100 = in line with the rung before)",
            "RS-Momentum (100 = RS-Ratio steady)",
        )
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
        let quadrants = [
            (x.start, 100.0, 100.0, y.end, colour::ETH, "improving", true, true),
            (100.0, 100.0, x.end, y.end, colour::GOOD, "leading", false, true),
            (100.0, y.start, x.end, 100.0, colour::WARN, "weakening", false, false),
            (x.start, y.start, 100.0, 100.0, colour::BAD, "lagging", true, false),
        ];
        for (x0, y0, x1, y1, c, name, left, top) in quadrants {
            chart.draw_series(std::iter::once(Rectangle::new([(x0, y0), (x1, y1)], c.mix(0.07).filled())))?;
            // Names in the outer corners above the line, just under it below (the legend sits at the bottom).
            let at = (
                if left { x0 + rx * 0.02 } else { x1 - rx * 0.02 },
                if top { y1 - ry * 0.02 } else { 100.0 - ry * 0.03 },
            );
            let (h, v) = (if left { HPos::Left } else { HPos::Right }, VPos::Top);
            let style = ("sans-serif", 19).into_font().style(FontStyle::Bold).color(&c.mix(0.75)).pos(Pos::new(h, v));
            chart.draw_series(std::iter::once(Text::new(name.to_string(), at, style)))?;
        }
        chart.draw_series([
            PathElement::new(vec![(100.0, y.start), (100.0, y.end)], BLACK.mix(0.5)),
            PathElement::new(vec![(x.start, 100.0), (x.end, 100.0)], BLACK.mix(0.5)),
        ])?;
        let mut hover = Hover::default();
        for (i, t) in r.tails.iter().enumerate() {
            let c = colour::SERIES[i % colour::SERIES.len()];
            let xy: Vec<(f64, f64)> = t.points.iter().map(|p| (p.rs_ratio, p.rs_momentum)).collect();
            chart
                .draw_series(LineSeries::new(xy.clone(), c.stroke_width(2)))?
                .label(format!("{} ({}/{}): {} now", t.label, t.rung, t.vs, quadrant_name(t.quadrant)))
                .legend(legend_line(c, 3));
            chart.draw_series(xy.iter().map(|p| Circle::new(*p, 3, c.filled())))?;
            if let Some(last) = xy.last() {
                chart.draw_series(std::iter::once(Circle::new(*last, 7, c.filled())))?;
                let style = small_font().color(&c).pos(Pos::new(HPos::Left, VPos::Bottom));
                chart.draw_series(std::iter::once(Text::new(format!("{}/{}", t.rung, t.vs), *last, style)))?;
            }
            for (k, p) in t.points.iter().enumerate() {
                let when = if k + 1 == t.points.len() { " (now)" } else { "" };
                let text = format!(
                    "{}, week of {}{when}\nRS-Ratio {:.2}, RS-Momentum {:.2}",
                    t.label, p.date, p.rs_ratio, p.rs_momentum
                );
                hover.push(chart.backend_coord(&(p.rs_ratio, p.rs_momentum)), text);
            }
        }
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::LowerRight).draw()?;
        Ok(hover)
    })?;
    let mut note = format!(
        "Each tail is one rung measured against the rung before it, weekly, oldest to newest (the big dot is now). RS-Ratio = 100 x ratio / its {}-week average, smoothed over {} weeks; RS-Momentum = 100 x RS-Ratio / RS-Ratio {} weeks earlier. Open formulas in the spirit of relative rotation graphs, not JdK's.",
        r.params.ratio_window, r.params.smoothing, r.params.momentum_lag
    );
    for w in &r.warnings {
        note.push_str("\nwarning: ");
        note.push_str(w);
    }
    Ok(Figure { id: "rotation".into(), svg, mode: HoverMode::Xy, hover, note })
}

/// The stage of the rotation each week.
pub fn stages(r: &RotationChart) -> DrawResult<Figure> {
    let dates = &r.stages.dates;
    let (first, last) = (*dates.first().ok_or("no weeks")?, *dates.last().ok_or("no weeks")?);
    let top = r.stage_names.len().saturating_sub(1) as f64;
    let names = r.stage_names.clone();
    let name_of = move |v: &f64| {
        let k = v.round();
        if (v - k).abs() < 1e-6 && k >= 0.0 {
            names.get(k as usize).map(|n| format!("{k:.0}: {n}")).unwrap_or_default()
        } else {
            String::new()
        }
    };
    let (svg, hover) = svg(400, |root| {
        let mut chart =
            chart_on(root, "Stage of the rotation: the furthest rung down the curve that is leading or improving")
                .y_label_area_size(230)
                .build_cartesian_2d(year_axis(first, last), -0.4..top + 0.4)?;
        mesh(&mut chart.configure_mesh(), "date (weekly)", "stage")
            .x_label_formatter(&year_label)
            .y_label_formatter(&name_of)
            .y_labels(2 * r.stage_names.len() + 1)
            .draw()?;
        let mut steps = Vec::with_capacity(2 * dates.len());
        for (i, (d, s)) in dates.iter().zip(&r.stages.values).enumerate() {
            if i > 0 {
                steps.push((year(*d), r.stages.values[i - 1]));
            }
            steps.push((year(*d), *s));
        }
        chart
            .draw_series(LineSeries::new(steps, colour::EQUITY.stroke_width(2)))?
            .label("stage each week")
            .legend(legend_line(colour::EQUITY, 2));
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperLeft).draw()?;
        let mut hover = Hover::default();
        for (d, s) in dates.iter().zip(&r.stages.values) {
            let name = r.stage_names.get(*s as usize).cloned().unwrap_or_default();
            hover.push(chart.backend_coord(&(year(*d), *s)), format!("week of {d}\nstage {s:.0}: {name}"));
        }
        Ok(hover)
    })?;
    let now = r.stage_names.get(r.stage).cloned().unwrap_or_default();
    Ok(Figure {
        id: "stages".into(),
        svg,
        mode: HoverMode::X,
        hover: hover.thinned(1500),
        note: format!(
            "Stage now (week of {}): {} \"{now}\". Stage 0: no rung is gaining on the one before it.",
            r.as_of, r.stage
        ),
    })
}
