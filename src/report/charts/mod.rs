//! Charts, each drawn once for SVG and once for PNG with the same code. Text uses DejaVu Sans,
//! embedded in the binary, so no system font library is needed. Colours are the Okabe–Ito
//! palette, which stays distinct for colour-blind readers.

mod critical_chart;
mod differences;
mod fan;
mod shortage_curve;
mod sweep_chart;

pub use critical_chart::critical_chart;
pub use differences::differences;
pub use fan::stock_fan;
pub use shortage_curve::{compare_shortage, shortage_probability};
pub use sweep_chart::{Outcome, sweep_chart};

use super::ReportError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Width and height of a chart, in pixels (a fan chart grows by its blockade timeline).
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
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Draws `figure` to `<stem>.svg` and `<stem>.png`.
fn save(figure: &impl Figure, stem: &Path) -> Result<(), ReportError> {
    let chart_error = |path: PathBuf, message: String| ReportError::Chart { path, message };
    ensure_fonts().map_err(|m| chart_error(stem.to_path_buf(), m))?;
    let svg = stem.with_extension("svg");
    {
        let root = SVGBackend::new(&svg, figure.size()).into_drawing_area();
        figure.draw(&root).map_err(|e| chart_error(svg.clone(), e.to_string()))?;
        root.present().map_err(|e| chart_error(svg.clone(), e.to_string()))?;
    }
    let png = stem.with_extension("png");
    let root = BitMapBackend::new(&png, figure.size()).into_drawing_area();
    figure.draw(&root).map_err(|e| chart_error(png.clone(), e.to_string()))?;
    root.present().map_err(|e| chart_error(png.clone(), e.to_string()))
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
}
