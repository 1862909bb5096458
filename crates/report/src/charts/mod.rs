//! One file per chart of the report; each turns one part of the report's
//! data into a [`Figure`](crate::chart::Figure).

pub mod altseason;
pub mod backtest;
pub mod cycles;
pub mod forward;
pub mod leadlag;
pub mod liquidity;
pub mod price;
pub mod rotation;

use plotters::chart::{MeshStyle, SecondaryMeshStyle, SeriesLabelStyle};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use plotters::coord::Shift;

use crate::chart::{caption_font, desc_font, label_font};

/// A chart in the house layout: `title` as its caption, a 12-pixel margin,
/// 48 pixels for the x labels and 78 for the y labels (a chart may widen
/// them or add a right-hand axis before building).
pub fn chart_on<'a, 'b, DB: DrawingBackend>(root: &'a DrawingArea<DB, Shift>, title: &str) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder.caption(title, caption_font()).margin(12).x_label_area_size(48).y_label_area_size(78);
    builder
}

/// The house style of axes and grid: labelled axes, a light grid.
pub fn mesh<'a, 'b, 'c, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    m: &'c mut MeshStyle<'a, 'b, X, Y, DB>,
    x_desc: &str,
    y_desc: &str,
) -> &'c mut MeshStyle<'a, 'b, X, Y, DB> {
    m.x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(label_font())
        .axis_desc_style(desc_font())
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(BLACK.mix(0.04))
        .x_labels(12)
        .y_labels(10)
}

/// The house style of a right-hand axis: its description and fonts.
pub fn secondary_mesh<'a, 'b, 'c, X, Y, DB>(
    m: &'c mut SecondaryMeshStyle<'a, 'b, X, Y, DB>,
    y_desc: &str,
) -> &'c mut SecondaryMeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
    DB: DrawingBackend,
{
    m.y_desc(y_desc).label_style(label_font()).axis_desc_style(desc_font())
}

/// The house style of legends.
pub fn legend_style<'a, 'b, 'c, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    s: &'c mut SeriesLabelStyle<'a, 'b, DB, CT>,
    position: SeriesLabelPosition,
) -> &'c mut SeriesLabelStyle<'a, 'b, DB, CT> {
    s.position(position)
        .background_style(WHITE.mix(0.88))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 17))
        .margin(10)
}

/// A legend entry drawn as a line.
pub fn legend_line<C: Color + Copy + 'static>(c: C, width: u32) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(width))
}

/// A legend entry drawn as a dot.
pub fn legend_dot<C: Color + Copy + 'static>(c: C) -> impl Fn((i32, i32)) -> Circle<(i32, i32), i32> {
    move |(x, y)| Circle::new((x + 11, y), 6, c.filled())
}

/// A legend entry drawn as a filled box.
pub fn legend_rect(c: RGBAColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 22, y + 6)], c.filled())
}

/// A horizontal dashed reference line from `x0` to `x1` at `y`.
pub fn dashed_h(x0: f64, x1: f64, y: f64, style: ShapeStyle) -> DashedPathElement<std::vec::IntoIter<(f64, f64)>, i32> {
    DashedPathElement::new(vec![(x0, y), (x1, y)], 8, 6, style)
}
