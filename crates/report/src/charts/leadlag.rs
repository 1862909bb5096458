//! Lead-lag: cross-correlations by lag with their bands, and the rolling
//! correlation.

use plotters::prelude::*;
use riskcurve_app::human::p_value;
use riskcurve_app::leadlag::LeadLag;

use super::{chart_on, dashed_h, legend_line, legend_rect, legend_style, mesh};
use crate::chart::{
    colour, linear_span, svg, year, year_axis, year_label, year_range, DrawResult, Figure, Hover, HoverMode,
};

fn period(freq: &str) -> &str {
    match freq {
        "daily" => "days",
        "monthly" => "months",
        _ => "weeks",
    }
}

/// Bars of the cross-correlation at each lag, the 1.96/sqrt(n) band and the
/// stationary-bootstrap band.
pub fn ccf(l: &LeadLag) -> DrawResult<Figure> {
    let max = l.ccf.iter().map(|p| p.lag.unsigned_abs()).max().ok_or("no cross-correlations")? as f64;
    let values =
        l.ccf.iter().flat_map(|p| [p.r, p.band, -p.band]).chain(l.ccf_bands.bands.iter().flat_map(|b| [b.low, b.high]));
    let (lo, hi) = linear_span(values.chain([0.0])).ok_or("no values")?;
    let unit = period(&l.freq);
    let (lead, lag) = (l.lead.to_uppercase(), l.lag.to_uppercase());
    let title = format!("Cross-correlation of {} log returns: {lead} at t against {lag} at t + k", l.freq);
    let (svg, hover) = svg(460, |root| {
        let mut chart = chart_on(root, &title).build_cartesian_2d(-max - 0.8..max + 0.8, lo..hi)?;
        mesh(&mut chart.configure_mesh(), &format!("lag k ({unit}; k > 0: {lead} first)"), "correlation r")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|v| format!("{v:.2}"))
            .x_labels(2 * max as usize + 1)
            .draw()?;
        chart
            .draw_series(l.ccf.iter().map(|p| {
                let k = p.lag as f64;
                let c = if p.r.abs() > p.band { colour::BAD } else { colour::EQUITY };
                Rectangle::new([(k - 0.32, 0.0), (k + 0.32, p.r)], c.mix(0.85).filled())
            }))?
            .label("r at lag k (red: outside 1.96/sqrt(n))")
            .legend(legend_rect(colour::EQUITY.mix(0.85)));
        let n = l.ccf.iter().find(|p| p.lag == 0).map_or(l.n, |p| p.n);
        let band = 1.96 / (n as f64).sqrt();
        for sign in [1.0, -1.0] {
            let series = chart.draw_series(std::iter::once(dashed_h(
                -max - 0.8,
                max + 0.8,
                sign * band,
                colour::GREY.stroke_width(2),
            )))?;
            if sign > 0.0 {
                series.label(format!("+/-1.96/sqrt(n), n = {n}")).legend(legend_line(colour::GREY, 2));
            }
        }
        for (which, pick) in [("high", true), ("low", false)] {
            let pts: Vec<(f64, f64)> = l
                .ccf_bands
                .bands
                .iter()
                .flat_map(|b| {
                    let v = if pick { b.high } else { b.low };
                    [(b.lag as f64 - 0.45, v), (b.lag as f64 + 0.45, v)]
                })
                .collect();
            let series = chart.draw_series(LineSeries::new(pts, colour::BTC.stroke_width(2)))?;
            if which == "high" {
                series
                    .label(format!("stationary-bootstrap 95% band ({} resamples)", l.ccf_bands.replications))
                    .legend(legend_line(colour::BTC, 2));
            }
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(-max - 0.8, 0.0), (max + 0.8, 0.0)],
            BLACK.mix(0.6),
        )))?;
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::UpperRight).draw()?;
        let mut hover = Hover::default();
        for p in &l.ccf {
            let boot = l.ccf_bands.bands.iter().find(|b| b.lag == p.lag);
            let boot = boot.map(|b| format!("\nbootstrap band {:.3} .. {:.3}", b.low, b.high)).unwrap_or_default();
            let text =
                format!("lag {} {unit}\nr = {:.3} (n = {})\n+/-1.96/sqrt(n) = {:.3}{boot}", p.lag, p.r, p.n, p.band);
            hover.push(chart.backend_coord(&(p.lag as f64, p.r)), text);
        }
        Ok(hover)
    })?;
    let granger = l.granger.get(l.best_lag_aic.saturating_sub(1)).map(|g| {
        format!(
            " Granger, {lead} -> {lag} at the AIC lag {}: F = {:.2}, p = {} (HC1-robust p = {}).",
            l.best_lag_aic,
            g.f,
            p_value(g.p),
            p_value(g.p_robust)
        )
    });
    Ok(Figure {
        id: "ccf".into(),
        svg,
        mode: HoverMode::X,
        hover,
        note: format!(
            "{} paired {} returns from {} to {}. A bar beyond both bands is unusual for two unrelated series with these autocorrelations; with {} lags tested, about one in twenty crosses a 95% band by chance.{}",
            l.n,
            l.freq,
            l.first.map(|d| d.to_string()).unwrap_or_default(),
            l.last.map(|d| d.to_string()).unwrap_or_default(),
            l.ccf.len(),
            granger.unwrap_or_default()
        ),
    })
}

/// The rolling correlation of the same returns.
pub fn rolling(l: &LeadLag) -> DrawResult<Figure> {
    let obs: Vec<(riskcurve_core::Date, f64)> =
        l.rolling_correlation.observations.iter().filter_map(|p| p.r.map(|r| (p.date, r))).collect();
    let (first, last) = (obs.first().ok_or("no window is full")?.0, obs.last().ok_or("no window is full")?.0);
    let x = year_range(first, last);
    let window = l.rolling_correlation.window;
    let unit = period(&l.freq);
    let (lead, lag) = (l.lead.to_uppercase(), l.lag.to_uppercase());
    let (svg, hover) = svg(420, |root| {
        let mut chart = chart_on(
            root,
            &format!(
                "Rolling {window}-{} correlation of {lead} and {lag} {} log returns",
                &unit[..unit.len() - 1],
                l.freq
            ),
        )
        .build_cartesian_2d(year_axis(first, last), -1.0..1.0)?;
        mesh(&mut chart.configure_mesh(), "date (end of window)", "correlation r")
            .x_label_formatter(&year_label)
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x.start, 0.0), (x.end, 0.0)], BLACK.mix(0.6))))?;
        chart
            .draw_series(LineSeries::new(obs.iter().map(|(d, r)| (year(*d), *r)), colour::EQUITY.stroke_width(2)))?
            .label(format!("correlation over the last {window} {unit}"))
            .legend(legend_line(colour::EQUITY, 2));
        legend_style(&mut chart.configure_series_labels(), SeriesLabelPosition::LowerLeft).draw()?;
        let mut hover = Hover::default();
        for (d, r) in &obs {
            hover.push(chart.backend_coord(&(year(*d), *r)), format!("window ending {d}\nr = {r:.3}"));
        }
        Ok(hover)
    })?;
    Ok(Figure {
        id: "rolling".into(),
        svg,
        mode: HoverMode::X,
        hover: hover.thinned(1500),
        note: "Same-period correlation only: it says the two move together, not which one leads.".into(),
    })
}
