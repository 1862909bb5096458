//! The altcoin season index with its 25/75 thresholds and the number of
//! coins behind each value.

use plotters::prelude::*;
use riskcurve_app::report::AltseasonChart;
use riskcurve_signals::altseason::Universe;

use super::{chart_on, dashed_h, legend_line, legend_style, mesh, secondary_mesh};
use crate::chart::{colour, svg, year, year_axis, year_label, year_range, DrawResult, Figure, Hover, HoverMode};

/// The altseason chart.
pub fn draw(a: &AltseasonChart) -> DrawResult<Figure> {
    let rows = &a.report.observations;
    let (first, last) = (rows.first().ok_or("no index values")?.date, rows.last().ok_or("no index values")?.date);
    let most = rows.iter().map(|r| r.n_coins).max().unwrap_or(1) as f64;
    let x = year_range(first, last);
    let top = a.report.rule.top_n();
    let title =
        format!("Altcoin season index: share of the top {top} altcoins beating Bitcoin over {} days", a.report.window);
    let (svg, hover) = svg(480, |root| {
        let mut chart = chart_on(root, &title)
            .right_y_label_area_size(78)
            .build_cartesian_2d(year_axis(first, last), 0.0..100.0)?
            .set_secondary_coord(year_axis(first, last), 0.0..(most * 1.15).ceil());
        mesh(&mut chart.configure_mesh(), "date", "index (0-100)")
            .x_label_formatter(&year_label)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        secondary_mesh(&mut chart.configure_secondary_axes(), "coins behind each value")
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        chart
            .draw_secondary_series(LineSeries::new(
                rows.iter().map(|r| (year(r.date), r.n_coins as f64)),
                colour::GREY.mix(0.6).stroke_width(1),
            ))?
            .label("coins behind each value (right axis)")
            .legend(legend_line(colour::GREY.mix(0.6), 2));
        chart
            .draw_series(std::iter::once(dashed_h(x.start, x.end, a.altseason_at, colour::ALTS.stroke_width(2))))?
            .label(format!("{:.0}: altcoin season at or above", a.altseason_at))
            .legend(legend_line(colour::ALTS, 2));
        chart
            .draw_series(std::iter::once(dashed_h(x.start, x.end, a.bitcoin_season_at, colour::BTC.stroke_width(2))))?
            .label(format!("{:.0}: bitcoin season at or below", a.bitcoin_season_at))
            .legend(legend_line(colour::BTC, 2));
        chart
            .draw_series(LineSeries::new(rows.iter().map(|r| (year(r.date), r.index)), colour::EQUITY.stroke_width(2)))?
            .label("altseason index")
            .legend(legend_line(colour::EQUITY, 2));
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperRight).draw()?;
        let mut hover = Hover::default();
        for r in rows {
            let universe = match r.universe {
                Universe::PointInTime => "point-in-time top list",
                Universe::Catalog => "stored alts, survivorship-biased",
            };
            let state = riskcurve_app::human::label(&r.state);
            let text = format!("{}\nindex {:.0} ({state})\n{} coins ({universe})", r.date, r.index, r.n_coins);
            hover.push(chart.backend_coord(&(year(r.date), r.index)), text);
        }
        Ok(hover)
    })?;
    let catalog = rows.iter().filter(|r| r.universe == Universe::Catalog).count();
    let mut note = format!(
        "{} daily values from {first} to {last}; exclusions (stablecoins, wrapped and asset-backed tokens) version {}.",
        rows.len(),
        a.report.exclusions_version
    );
    if catalog > 0 {
        note.push_str(&format!(
            " {catalog} values use every stored alt instead of a point-in-time top list (survivorship bias)."
        ));
    }
    for w in &a.report.warnings {
        note.push_str("\nwarning: ");
        note.push_str(w);
    }
    Ok(Figure { id: "altseason".into(), svg, mode: HoverMode::X, hover: hover.thinned(2000), note })
}
