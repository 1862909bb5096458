//! What every chart shares: the SVG canvas, colours, fonts, the date axis,
//! number formats, and the hover points the page's script reads.
//!
//! Charts are drawn by `plotters` into SVG strings. Text stays text (SVG
//! `<text>` in the page's sans-serif font, escaped by plotters), so the
//! browser lays it out and nothing needs a font file.

use std::error::Error;

use plotters::coord::combinators::{LogCoord, WithKeyPoints};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use riskcurve_core::Date;
use serde::Serialize;

/// The width every chart is drawn at (the page scales it to the column).
pub const WIDTH: u32 = 1200;

/// A drawing failure (a bug rather than bad data).
pub type DrawResult<T> = Result<T, Box<dyn Error>>;

/// How the page's script finds the point under the mouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoverMode {
    /// The point nearest in x (time series: one text per date).
    X,
    /// The point nearest in the plane (scatter, overlaid paths).
    Xy,
}

/// Points the mouse can land on: pixel position in the SVG and the text shown.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hover(pub Vec<(i32, i32, String)>);

impl Hover {
    /// Adds a point.
    pub fn push(&mut self, at: (i32, i32), text: String) {
        self.0.push((at.0, at.1, text));
    }

    /// Keeps at most about `max` points, evenly spaced (the last is kept).
    pub fn thinned(mut self, max: usize) -> Hover {
        if self.0.len() > max && max > 1 {
            let step = self.0.len().div_ceil(max);
            let last = self.0.len() - 1;
            self.0 =
                self.0.into_iter().enumerate().filter(|(i, _)| i % step == 0 || *i == last).map(|(_, p)| p).collect();
        }
        self
    }
}

/// A drawn chart.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Its id on the page (`data-chart`).
    pub id: String,
    /// The SVG element.
    pub svg: String,
    /// How hover finds points.
    pub mode: HoverMode,
    /// The hover points.
    pub hover: Hover,
    /// A note under the chart (plain text, escaped when written).
    pub note: String,
}

/// Draws into an SVG string of `WIDTH x height`; `draw` gets the root area.
pub fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> DrawResult<Hover>,
) -> DrawResult<(String, Hover)> {
    let mut out = String::new();
    let hover = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let hover = draw(&root)?;
        root.present()?;
        hover
    };
    // A fixed size would overflow a narrow window: the viewBox keeps the
    // proportions and CSS sets the width.
    let fixed = format!("<svg width=\"{WIDTH}\" height=\"{height}\" ");
    Ok((out.replacen(&fixed, "<svg class=\"plot\" role=\"img\" ", 1), hover))
}

/// Colours: one per target and role, the same on every chart.
pub mod colour {
    use plotters::style::RGBColor;

    /// Russell 2000 and other equity lines.
    pub const EQUITY: RGBColor = RGBColor(31, 78, 121);
    /// Bitcoin.
    pub const BTC: RGBColor = RGBColor(232, 131, 20);
    /// Ethereum.
    pub const ETH: RGBColor = RGBColor(98, 126, 234);
    /// The alt basket.
    pub const ALTS: RGBColor = RGBColor(44, 160, 44);
    /// Reference lines, the all-time high.
    pub const GREY: RGBColor = RGBColor(110, 110, 110);
    /// A breakout that held, leading quadrant.
    pub const GOOD: RGBColor = RGBColor(26, 150, 65);
    /// A breakout that failed, lagging quadrant.
    pub const BAD: RGBColor = RGBColor(215, 48, 39);
    /// Pending outcomes, weakening quadrant.
    pub const WARN: RGBColor = RGBColor(230, 145, 0);
    /// Net liquidity.
    pub const NET: RGBColor = RGBColor(20, 20, 20);
    /// Distinct lines (events, cycles, rungs), colour-blind friendly (Okabe-Ito).
    pub const SERIES: [RGBColor; 8] = [
        RGBColor(0, 114, 178),
        RGBColor(213, 94, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(230, 159, 0),
        RGBColor(120, 94, 240),
        RGBColor(60, 60, 60),
    ];

    /// The colour of a target (`btc`, `eth`, `alts`), or a series colour.
    pub fn target(name: &str, i: usize) -> RGBColor {
        match name {
            "btc" => BTC,
            "eth" => ETH,
            "alts" => ALTS,
            _ => SERIES[i % SERIES.len()],
        }
    }
}

/// Caption, axis-label and legend fonts (plotters divides the size by 1.24
/// in SVG: 20 is 16 px).
pub fn caption_font() -> TextStyle<'static> {
    ("sans-serif", 23).into_font().style(FontStyle::Bold).color(&BLACK)
}

/// Tick labels.
pub fn label_font() -> TextStyle<'static> {
    ("sans-serif", 18).into_font().color(&BLACK)
}

/// Axis descriptions.
pub fn desc_font() -> TextStyle<'static> {
    ("sans-serif", 19).into_font().color(&BLACK)
}

/// Small labels inside the plot.
pub fn small_font() -> TextStyle<'static> {
    ("sans-serif", 16).into_font().color(&BLACK)
}

/// A date as fractional years (the x of every time axis).
pub fn year(d: Date) -> f64 {
    1970.0 + d.days() as f64 / 365.2425
}

/// The date nearest to a fractional year.
pub fn date_of(x: f64) -> Date {
    Date::from_days(((x - 1970.0) * 365.2425).round() as i32)
}

/// A time-axis label: the year on January 1st, else year and month.
pub fn year_label(x: &f64) -> String {
    let (y, m, d) = date_of(*x).ymd();
    if m == 1 && d == 1 {
        format!("{y}")
    } else {
        format!("{y}-{m:02}")
    }
}

/// A time axis over a span of dates (a little room either side), ticked on
/// whole years (every 1, 2, 5 or 10) or, over short spans, on quarters.
pub fn year_axis(first: Date, last: Date) -> Ticked {
    let (a, b) = (year(first), year(last));
    let range = year_range(first, last);
    let (y0, y1) = (first.year(), last.year() + 1);
    let ticks: Vec<f64> = if b - a < 3.0 {
        (y0..=y1)
            .flat_map(|y| [1, 4, 7, 10].map(|m| Date::from_ymd(y, m, 1).expect("a month start")))
            .map(year)
            .filter(|x| range.contains(x))
            .collect()
    } else {
        let step = [1, 2, 5, 10, 20].into_iter().find(|s| (y1 - y0) / s <= 12).unwrap_or(50);
        (y0..=y1)
            .filter(|y| y % step == 0)
            .map(|y| year(Date::from_ymd(y, 1, 1).expect("January 1st")))
            .filter(|x| range.contains(x))
            .collect()
    };
    let light: Vec<f64> =
        (y0..=y1).map(|y| year(Date::from_ymd(y, 1, 1).expect("January 1st"))).filter(|x| range.contains(x)).collect();
    Ticked { range, bold: ticks, light }
}

/// A linear axis with chosen tick positions (plotters' own `WithKeyPoints`
/// over a linear range has no label formatter to take ours).
#[derive(Debug, Clone)]
pub struct Ticked {
    range: std::ops::Range<f64>,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let fraction = (value - self.range.start) / span;
        limit.0 + (fraction * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }
}

/// The x range of a span of dates, with a little room either side.
pub fn year_range(first: Date, last: Date) -> std::ops::Range<f64> {
    let (a, b) = (year(first), year(last));
    let pad = ((b - a) * 0.01).max(0.02);
    (a - pad)..(b + pad)
}

/// A log axis over `lo..hi` ticked on 1-2-5 (or sparser) steps per decade,
/// with a light line on every integer multiple of each decade.
pub fn log_axis(lo: f64, hi: f64) -> WithKeyPoints<LogCoord<f64>> {
    let decades = (hi / lo).log10();
    let mantissas: &[f64] = if decades <= 1.2 {
        &[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    } else if decades <= 3.0 {
        &[1.0, 2.0, 5.0]
    } else if decades <= 6.0 {
        &[1.0, 3.0]
    } else {
        &[1.0]
    };
    let (e0, e1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let within = |v: &f64| *v >= lo && *v <= hi;
    let ticks: Vec<f64> =
        (e0..=e1).flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e))).filter(within).collect();
    let light: Vec<f64> = if decades <= 6.0 {
        (e0..=e1).flat_map(|e| (1..10).map(move |m| f64::from(m) * 10f64.powi(e))).filter(within).collect()
    } else {
        (e0..=e1).map(|e| 10f64.powi(e)).filter(within).collect()
    };
    LogCoord::from((lo..hi).log_scale()).with_key_points(ticks).with_light_points(light)
}

/// Tick labels for prices and levels: `3,000`, `64k`, `0.5`.
pub fn level_label(v: &f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", trim(v / 1e3))
    } else if a >= 1000.0 {
        riskcurve_app::human::count(v.round() as u64)
    } else if a >= 1.0 || *v == 0.0 {
        trim(*v)
    } else {
        format!("{}", (v * 1e4).round() / 1e4)
    }
}

/// A multiple: `1x`, `2.5x`, `0.5x`.
pub fn multiple_label(v: &f64) -> String {
    format!("{}x", if *v >= 10.0 { format!("{v:.0}") } else { trim(*v) })
}

/// Up to two decimals without trailing zeros.
fn trim(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A log-axis range covering `values`, padded by 8% either side.
pub fn log_span(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo <= hi).then(|| (lo / 1.08, hi * 1.08))
}

/// A linear range covering `values`, padded by 5% of the span.
pub fn linear_span(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) =
        values.into_iter().filter(|v| v.is_finite()).fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return None;
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    Some((lo - pad, hi + pad))
}

/// The index of the last date on or before `d` in increasing `dates`.
pub fn on_or_before(dates: &[Date], d: Date) -> Option<usize> {
    dates.partition_point(|x| *x <= d).checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    use plotters::coord::ranged1d::BoldPoints;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn log_ticks_step_by_decades() {
        let ticks = log_axis(0.3, 60.0).key_points(BoldPoints(10));
        assert_eq!(ticks, vec![0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]);
        let ticks = log_axis(90.0, 3500.0).key_points(BoldPoints(10));
        assert_eq!(ticks, vec![100.0, 200.0, 500.0, 1000.0, 2000.0]);
    }

    #[test]
    fn year_ticks_are_whole_years() {
        let ticks: Vec<String> =
            year_axis(d("1987-09-10"), d("2026-08-21")).key_points(BoldPoints(12)).iter().map(year_label).collect();
        assert_eq!(ticks, ["1990", "1995", "2000", "2005", "2010", "2015", "2020", "2025"]);
        let ticks: Vec<String> =
            year_axis(d("2025-03-10"), d("2026-01-09")).key_points(BoldPoints(12)).iter().map(year_label).collect();
        assert_eq!(ticks, ["2025-04", "2025-07", "2025-10", "2026"]);
    }

    #[test]
    fn years_round_trip_to_dates() {
        for s in ["1987-09-10", "2016-11-14", "2026-08-21"] {
            let d: Date = s.parse().unwrap();
            assert_eq!(date_of(year(d)), d);
        }
        assert_eq!(year_label(&year(d("2020-01-01"))), "2020");
        assert_eq!(year_label(&year(d("2020-07-01"))), "2020-07");
    }

    #[test]
    fn labels_read_like_numbers() {
        assert_eq!(level_label(&3000.0), "3,000");
        assert_eq!(level_label(&64_000.0), "64k");
        assert_eq!(level_label(&2.5), "2.5");
        assert_eq!(level_label(&0.05), "0.05");
        assert_eq!(multiple_label(&1.0), "1x");
        assert_eq!(multiple_label(&20.0), "20x");
    }

    #[test]
    fn hover_thinning_keeps_the_last_point() {
        let h = Hover((0..10).map(|i| (i, 0, i.to_string())).collect()).thinned(4);
        let xs: Vec<i32> = h.0.iter().map(|p| p.0).collect();
        assert_eq!(xs, vec![0, 3, 6, 9]);
    }
}
