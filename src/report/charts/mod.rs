//! Charts, each drawn for SVG and PNG with the same code, in one style: DejaVu Sans (embedded
//! in the binary, so no system font library is needed), the same title, axis and legend sizes,
//! and a provenance footer. Colours are the Okabe–Ito palette, which stays distinct for
//! colour-blind readers, or greys with dash patterns for black-and-white print. A run's charts
//! are drawn from its output files (`OutputData`), so `corridor plot` redraws them exactly.

mod bars;
mod critical_chart;
mod cumulative;
mod differences;
mod fan;
mod histogram;
mod map;
mod ranking;
mod shortage_curve;
mod sweep_chart;

pub use critical_chart::critical_chart;
pub use cumulative::cumulative;
pub use differences::differences;
pub use fan::stock_fan;
pub use histogram::first_day_histogram;
pub use map::network_map;
pub use ranking::road_losses;
pub use shortage_curve::{compare_shortage, shortage_probability};
pub use sweep_chart::{Outcome, sweep_chart};

use super::{OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use plotters_backend::DrawingErrorKind;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Default width and height of a chart, in pixels (a fan chart grows by its timeline).
pub const SIZE: (u32, u32) = (1200, 700);

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREY: RGBColor = RGBColor(90, 90, 90);
/// Line colours for series, in order (Okabe–Ito, without the yellow that is unreadable on white).
pub const SERIES: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// The colours of the charts: Okabe–Ito (distinct for colour-blind readers) or greys that stay
/// distinct when printed in black and white (series then differ by dash pattern too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Colour,
    Greyscale,
}

/// A line's dash: none, or (dash length, gap) in pixels.
pub type Dash = Option<(u32, u32)>;

impl Palette {
    /// The main line (a median, a bar).
    pub fn main(self) -> RGBColor {
        match self {
            Palette::Colour => BLUE,
            Palette::Greyscale => RGBColor(30, 30, 30),
        }
    }

    /// The outer (5–95 %) and inner (25–75 %) bands of a fan chart, with their opacity.
    pub fn bands(self) -> [(RGBColor, f64); 2] {
        match self {
            Palette::Colour => [(SKY, 0.35), (BLUE, 0.40)],
            Palette::Greyscale => [(RGBColor(150, 150, 150), 0.30), (RGBColor(80, 80, 80), 0.40)],
        }
    }

    /// Blockades and other threats.
    pub fn accent(self) -> RGBColor {
        match self {
            Palette::Colour => VERMILLION,
            Palette::Greyscale => RGBColor(110, 110, 110),
        }
    }

    /// Series i of a line chart: its colour and dash.
    pub fn series(self, i: usize) -> (RGBColor, Dash) {
        match self {
            Palette::Colour => (SERIES[i % SERIES.len()], None),
            Palette::Greyscale => {
                const GREYS: [u8; 4] = [0, 90, 150, 60];
                const DASHES: [Dash; 4] = [None, Some((14, 6)), Some((4, 4)), Some((20, 6))];
                let g = GREYS[i % GREYS.len()];
                (RGBColor(g, g, g), DASHES[(i / GREYS.len() + i) % DASHES.len()])
            }
        }
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// How charts are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub width: u32,
    pub height: u32,
    pub formats: Vec<Format>,
    pub palette: Palette,
}

impl Default for Style {
    fn default() -> Self {
        Style { width: SIZE.0, height: SIZE.1, formats: vec![Format::Svg, Format::Png], palette: Palette::Colour }
    }
}

const FONT: &str = "sans-serif";

fn ensure_fonts() -> Result<(), String> {
    static FONTS: OnceLock<Result<(), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
                .and_then(|_| register_font(FONT, FontStyle::Bold, dejavu::sans::bold()))
                .map_err(|_| "the embedded font could not be loaded".to_string())
        })
        .clone()
}

fn text(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&BLACK)
}

fn title_text(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size, FontStyle::Bold).into_font()).color(&BLACK)
}

/// Something drawable on any plotters backend.
trait Figure {
    /// Width and height in pixels, given the style's.
    fn size(&self, base: (u32, u32)) -> (u32, u32) {
        base
    }
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// An SVG chart's error in words.
fn svg_error(e: DrawingAreaErrorKind<std::io::Error>) -> String {
    match e {
        DrawingAreaErrorKind::BackendError(DrawingErrorKind::DrawingError(io)) => io.to_string(),
        other => other.to_string(),
    }
}

/// A PNG chart's error in words (the bitmap backend displays its errors as debug dumps).
fn png_error(e: DrawingAreaErrorKind<plotters_bitmap::BitMapBackendError>) -> String {
    use plotters_bitmap::BitMapBackendError as Bitmap;
    match e {
        DrawingAreaErrorKind::BackendError(DrawingErrorKind::DrawingError(b)) => match b {
            Bitmap::IOError(io) => io.to_string(),
            Bitmap::ImageError(image) => image.to_string(),
            Bitmap::InvalidBuffer => "the image buffer has the wrong size".to_string(),
        },
        other => other.to_string(),
    }
}

/// Draws `figure` to `<stem>.svg` and `<stem>.png` (the formats of `style`).
fn save(figure: &impl Figure, stem: &Path, style: &Style) -> Result<(), ReportError> {
    let chart_error = |path: PathBuf, message: String| ReportError::Chart { path, message };
    ensure_fonts().map_err(|m| chart_error(stem.to_path_buf(), m))?;
    let size = figure.size((style.width, style.height));
    for format in &style.formats {
        match format {
            Format::Svg => {
                let svg = stem.with_extension("svg");
                let root = SVGBackend::new(&svg, size).into_drawing_area();
                figure.draw(&root).map_err(|e| chart_error(svg.clone(), svg_error(e)))?;
                root.present().map_err(|e| chart_error(svg.clone(), svg_error(e)))?;
            }
            Format::Png => {
                let png = stem.with_extension("png");
                let root = BitMapBackend::new(&png, size).into_drawing_area();
                figure.draw(&root).map_err(|e| chart_error(png.clone(), png_error(e)))?;
                root.present().map_err(|e| chart_error(png.clone(), png_error(e)))?;
            }
        }
    }
    Ok(())
}

/// Draws the charts of a comparison folder (read back as `data`) into `dir`; returns their
/// file stems.
pub fn draw_compare_charts(data: &super::CompareData, style: &Style, dir: &Path) -> Result<Vec<String>, ReportError> {
    let mut stems = Vec::new();
    for (id, _) in data.base_nodes() {
        let stem = format!("shortage_{id}");
        compare_shortage(data, &id, style, &dir.join(&stem))?;
        stems.push(stem);
    }
    differences(data, style, &dir.join("differences"))?;
    stems.push("differences".to_string());
    Ok(stems)
}

/// The stems of the charts `draw_run_charts` draws, in its order.
pub fn run_chart_stems(data: &OutputData) -> Vec<String> {
    let mut stems: Vec<String> = data.demands.iter().map(|d| format!("stock_{}", d.id)).collect();
    stems.push("shortage_probability".into());
    stems.extend(data.demands.iter().map(|d| format!("fuel_{}", d.id)));
    stems.extend(["first_shortage_day", "road_losses", "network_map"].map(String::from));
    stems
}

/// Draws every chart of a run's output folder (read back as `data`) into `dir`; returns their
/// file stems.
pub fn draw_run_charts(data: &OutputData, style: &Style, dir: &Path) -> Result<Vec<String>, ReportError> {
    let mut stems = Vec::new();
    let mut save_as = |stem: String| {
        let path = dir.join(&stem);
        stems.push(stem);
        path
    };
    for (d, demand) in data.demands.iter().enumerate() {
        stock_fan(data, d, style, &save_as(format!("stock_{}", demand.id)))?;
    }
    shortage_probability(data, style, &save_as("shortage_probability".into()))?;
    for (d, demand) in data.demands.iter().enumerate() {
        cumulative(data, d, style, &save_as(format!("fuel_{}", demand.id)))?;
    }
    first_day_histogram(data, style, &save_as("first_shortage_day".into()))?;
    road_losses(data, style, &save_as("road_losses".into()))?;
    network_map(data, style, &save_as("network_map".into()))?;
    Ok(stems)
}

/// A chart with two numeric axes.
type Chart2d<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// The house frame of a chart with numeric axes: bold title, margins, label areas.
fn frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Result<Chart2d<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .caption(title, title_text(26.0))
        .margin(24)
        .margin_right(40)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(x, y)
}

/// Decimals for the tick labels of an axis spanning `span`.
fn decimals(span: f64) -> usize {
    if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else {
        2
    }
}

/// The house grid and axes: axis titles, light grid, as many decimals as the axes need.
fn mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart2d<'a, DB>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (x, y) = (chart.x_range(), chart.y_range());
    let (dx, dy) = (decimals(x.end - x.start), decimals(y.end - y.start));
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(text(20.0))
        .label_style(text(17.0))
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_label_formatter(&|v| format!("{v:.dx$}"))
        .y_label_formatter(&|v| format!("{v:.dy$}"))
        .draw()
}

/// The house legend box.
fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart2d<'a, DB>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .margin(12)
        .label_font(text(17.0))
        .background_style(WHITE.mix(0.92))
        .border_style(RGBColor(180, 180, 180))
        .draw()
}

/// Splits off a strip at the bottom and writes the provenance footer in it; returns the rest.
fn with_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    footer: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (plot, foot) = root.split_vertically(root.dim_in_pixel().1 - 34);
    // About 7 px a character at this size: keep the footer inside the chart.
    let room = (root.dim_in_pixel().0 as usize).saturating_sub(48) / 7;
    let footer: String = if footer.chars().count() > room {
        footer.chars().take(room.saturating_sub(1)).chain(std::iter::once('…')).collect()
    } else {
        footer.to_string()
    };
    foot.draw_text(&footer, &text(15.0).color(&GREY), (24, 8))?;
    Ok(plot)
}

/// A percentage with as many decimals as it needs to not read as 0 or 100 when it is not.
pub fn pct(p: f64) -> String {
    let x = 100.0 * p;
    if x == 0.0 || x == 100.0 {
        format!("{x:.0} %")
    } else if !(1.0..=99.0).contains(&x) {
        format!("{x:.2} %")
    } else {
        format!("{x:.1} %")
    }
}

/// A round upper bound for an axis, at least `v`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0].iter().map(|m| m * p).find(|&c| c >= v).unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(17.0), 20.0);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(2.1), 2.5);
        assert_eq!(nice_ceiling(116.0), 120.0);
        assert_eq!(nice_ceiling(51_000.0), 60_000.0);
        assert_eq!(pct(0.0), "0 %");
        assert_eq!(pct(0.0004), "0.04 %");
        assert_eq!(pct(0.5617), "56.2 %");
        assert_eq!(pct(0.99961), "99.96 %");
        assert_eq!(pct(1.0), "100 %");
    }

    /// A figure that only fills its area.
    struct Blank;

    impl Figure for Blank {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
        ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
            root.fill(&WHITE)
        }
    }

    #[test]
    fn an_image_write_failure_prints_no_debug_dump() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("missing/chart");
        for format in [Format::Png, Format::Svg] {
            let style = Style { width: 20, height: 20, formats: vec![format], ..Style::default() };
            let e = save(&Blank, &stem, &style).unwrap_err().to_string();
            assert!(e.ends_with(": cannot draw chart: No such file or directory (os error 2)"), "{e}");
        }
    }
}
