//! Charts, each drawn for SVG, PNG and PDF with the same code, in one style: DejaVu Sans
//! (embedded in the binary, so no system font library is needed), type sized from the image,
//! and a provenance footer. Every chart lays itself out for the size asked for and records
//! where it put each text, legend and mark (a [`Layout`]), so that tests check that no text
//! leaves the image, no two texts overlap and no legend covers data. Colours are the Okabe–Ito
//! palette or greys; in both, series differ by dash pattern and marker too, and shaded times
//! are hatched, so that a chart reads in black and white. Charts are drawn from an output
//! folder's files, so `corridor plot` redraws them exactly.

mod axes;
mod bars;
mod borders;
mod canvas;
mod critical_chart;
mod cumulative;
mod differences;
mod fan;
mod geometry;
mod hindcast_fan;
mod hindcast_losses;
mod histogram;
mod legend;
mod map;
mod map_labels;
mod marks;
mod palette;
mod pdf;
mod posterior;
mod ranking;
mod raster;
mod shortage_curve;
mod spatial;
mod sweep_chart;
mod text;
mod xy;

pub use axes::TimeAxis;
pub use canvas::Layout;
pub use geometry::Rect;
pub use palette::{Palette, SERIES};
pub use sweep_chart::Outcome;

use super::{CalibrationData, CompareData, CriticalData, OutputData, ReportError, SweepData};
use canvas::{Canvas, DrawResult};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use plotters_backend::DrawingErrorKind;
use std::path::Path;
use std::sync::OnceLock;

/// Default width and height of a chart, in pixels.
pub const SIZE: (u32, u32) = (1200, 700);

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
        }
    }
}

/// How charts are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub width: u32,
    pub height: u32,
    /// The files written for each chart; none: the charts are laid out and not written.
    pub formats: Vec<Format>,
    pub palette: Palette,
    /// Day numbers on time axes even when the folder has a start date.
    pub days: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            width: SIZE.0,
            height: SIZE.1,
            formats: vec![Format::Svg, Format::Png],
            palette: Palette::Colour,
            days: false,
        }
    }
}

/// A chart drawn: its file stem and its layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub stem: String,
    pub layout: Layout,
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

/// Something drawable on any plotters backend.
trait Figure {
    fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB>;
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
            Bitmap::InvalidBuffer => "the image buffer has the wrong size".to_string(),
        },
        other => other.to_string(),
    }
}

/// Draws `figure` on a backend and returns what it laid out; `words` puts the backend's
/// errors in words.
fn render<DB: DrawingBackend>(
    figure: &impl Figure,
    backend: DB,
    words: fn(DrawingAreaErrorKind<DB::ErrorType>) -> String,
) -> Result<Layout, String> {
    let root = backend.into_drawing_area();
    let mut canvas = Canvas::new(&root);
    figure.draw(&mut canvas).map_err(words)?;
    root.present().map_err(words)?;
    Ok(canvas.layout)
}

/// Draws `figure` to `<stem>.svg`, `.png` and `.pdf` (the formats of `style`); returns its
/// layout.
fn save(figure: &(impl Figure + Sync), stem: &Path, style: &Style) -> Result<Layout, ReportError> {
    let fail = |path: &Path, message: String| ReportError::Chart { path: path.to_path_buf(), message };
    ensure_fonts().map_err(|m| fail(stem, m))?;
    let size = (style.width, style.height);
    let path = |format: Format| stem.with_extension(format.extension());
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
    };
    let vector = || {
        let mut svg = String::new();
        let layout = render(figure, SVGBackend::with_string(&mut svg, size), svg_error).map_err(|m| fail(stem, m))?;
        if style.formats.contains(&Format::Svg) {
            write(&path(Format::Svg), svg.as_bytes())?;
        }
        if style.formats.contains(&Format::Pdf) {
            let pdf = path(Format::Pdf);
            write(&pdf, &pdf::svg_to_pdf(&svg).map_err(|m| fail(&pdf, m))?)?;
        }
        Ok(layout)
    };
    // The bitmap is drawn beside the vector image: a run's last chart then takes half as long.
    let bitmap = || {
        if !style.formats.contains(&Format::Png) {
            return Ok(None);
        }
        let png = path(Format::Png);
        raster::with_pixels(size, |pixels| {
            let layout =
                render(figure, BitMapBackend::with_buffer(pixels, size), png_error).map_err(|m| fail(&png, m))?;
            write(&png, &raster::encode_png(pixels, size).map_err(|e| fail(&png, e.to_string()))?)?;
            Ok(Some(layout))
        })
    };
    let (vector, bitmap) = rayon::join(vector, bitmap);
    let layout = vector?;
    Ok(bitmap?.unwrap_or(layout))
}

/// Which charts to draw: all, or those named.
fn wanted(only: Option<&[String]>, stem: &str) -> bool {
    only.is_none_or(|names| names.iter().any(|n| n == stem))
}

/// Draws the charts among `stems` that are `wanted`, each by `draw(stem, path)`, in parallel
/// on the current rayon pool (each chart is independent and written to its own files); the
/// result lists them in `stems`' order, and the first error in that order wins.
fn draw_each(
    stems: Vec<String>,
    dir: &Path,
    only: Option<&[String]>,
    draw: impl Fn(&str, &Path) -> Result<Layout, ReportError> + Sync,
) -> Result<Vec<Drawn>, ReportError> {
    use rayon::prelude::*;
    let stems: Vec<String> = stems.into_iter().filter(|s| wanted(only, s)).collect();
    stems
        .into_par_iter()
        .map(|stem| {
            let layout = draw(&stem, &dir.join(&stem))?;
            Ok(Drawn { stem, layout })
        })
        .collect()
}

/// The stems of the charts of a run folder, in the order they are drawn.
pub fn run_chart_stems(data: &OutputData) -> Vec<String> {
    let mut stems: Vec<String> = data.demands.iter().map(|d| format!("stock_{}", d.id)).collect();
    stems.push("shortage_probability".into());
    stems.extend(data.demands.iter().map(|d| format!("fuel_{}", d.id)));
    stems.extend(["first_shortage_day", "road_losses", "network_map"].map(String::from));
    if let Some(h) = &data.hindcast {
        let observed = |id: &str| h.targets.iter().any(|t| t.node == id);
        stems.extend(data.demands.iter().filter(|d| observed(&d.id)).map(|d| format!("hindcast_{}", d.id)));
        stems.push("hindcast_losses".into());
    }
    stems
}

/// Draws the charts of a run's output folder (read back as `data`) into `dir`: all of them, or
/// those in `only`.
pub fn draw_run_charts(
    data: &OutputData,
    style: &Style,
    dir: &Path,
    only: Option<&[String]>,
) -> Result<Vec<Drawn>, ReportError> {
    draw_each(run_chart_stems(data), dir, only, |stem, path| {
        let demand = |prefix: &str| data.demands.iter().position(|d| stem.strip_prefix(prefix) == Some(d.id.as_str()));
        if let Some(d) = demand("stock_") {
            fan::stock_fan(data, d, style, path)
        } else if let Some(d) = demand("fuel_") {
            cumulative::cumulative(data, d, style, path)
        } else if let (Some(d), Some(h)) = (demand("hindcast_"), &data.hindcast) {
            hindcast_fan::hindcast_fan(data, h, d, style, path)
        } else {
            match stem {
                "shortage_probability" => shortage_curve::shortage_probability(data, style, path),
                "first_shortage_day" => histogram::first_day_histogram(data, style, path),
                "road_losses" => ranking::road_losses(data, style, path),
                "hindcast_losses" => hindcast_losses::hindcast_losses(data, style, path),
                _ => map::network_map(data, style, path),
            }
        }
    })
}

/// The stems of the charts of a comparison folder.
pub fn compare_chart_stems(data: &CompareData) -> Vec<String> {
    let mut stems: Vec<String> = data.base_nodes().into_iter().map(|(id, _)| format!("shortage_{id}")).collect();
    stems.push("differences".to_string());
    stems
}

/// Draws the charts of a comparison folder (read back as `data`) into `dir`.
pub fn draw_compare_charts(
    data: &CompareData,
    style: &Style,
    dir: &Path,
    only: Option<&[String]>,
) -> Result<Vec<Drawn>, ReportError> {
    draw_each(compare_chart_stems(data), dir, only, |stem, path| match stem.strip_prefix("shortage_") {
        Some(node) => shortage_curve::compare_shortage(data, node, style, path),
        None => differences::differences(data, style, path),
    })
}

/// The stems of the charts of a sweep folder.
pub fn sweep_chart_stems(data: &SweepData) -> Vec<String> {
    let mut stems = Vec::new();
    for node in data.nodes() {
        for outcome in Outcome::ALL {
            stems.push(format!("sweep_{}_{}", outcome.file_name(), node.0));
        }
    }
    stems
}

/// Draws the charts of a sweep folder (read back as `data`) into `dir`.
pub fn draw_sweep_charts(
    data: &SweepData,
    style: &Style,
    dir: &Path,
    only: Option<&[String]>,
) -> Result<Vec<Drawn>, ReportError> {
    let charts: Vec<(String, String, Outcome)> = data
        .nodes()
        .into_iter()
        .flat_map(|(node, _)| Outcome::ALL.map(|o| (format!("sweep_{}_{node}", o.file_name()), node.clone(), o)))
        .collect();
    draw_each(charts.iter().map(|c| c.0.clone()).collect(), dir, only, |stem, path| {
        let (_, node, outcome) = charts.iter().find(|c| c.0 == stem).unwrap_or(&charts[0]);
        sweep_chart::sweep_chart(data, *outcome, node, style, path)
    })
}

/// The stems of the charts of a calibration folder: a posterior per parameter, then every pair.
pub fn calibration_chart_stems(data: &CalibrationData) -> Vec<String> {
    calibration_charts(data).into_iter().map(|c| c.0).collect()
}

/// (stem, i, j) of each chart of a calibration folder; j is `None` for a posterior.
fn calibration_charts(data: &CalibrationData) -> Vec<(String, usize, Option<usize>)> {
    let keys: Vec<String> = data.meta.keys.iter().map(|k| CalibrationData::stem_of(k)).collect();
    let mut out: Vec<_> = keys.iter().enumerate().map(|(i, k)| (format!("posterior_{k}"), i, None)).collect();
    for i in 0..keys.len() {
        for j in i + 1..keys.len() {
            out.push((format!("accepted_{}__{}", keys[i], keys[j]), i, Some(j)));
        }
    }
    out
}

/// Draws the charts of a calibration folder (read back as `data`) into `dir`.
pub fn draw_calibration_charts(
    data: &CalibrationData,
    style: &Style,
    dir: &Path,
    only: Option<&[String]>,
) -> Result<Vec<Drawn>, ReportError> {
    let charts = calibration_charts(data);
    draw_each(charts.iter().map(|c| c.0.clone()).collect(), dir, only, |stem, path| {
        let (_, i, j) = charts.iter().find(|c| c.0 == stem).unwrap_or(&charts[0]);
        match j {
            None => posterior::posterior(data, *i, style, path),
            Some(j) => posterior::accepted_pair(data, *i, *j, style, path),
        }
    })
}

/// The stems of the charts of a critical folder.
pub fn critical_chart_stems(data: &CriticalData) -> Vec<String> {
    let mut stems = vec!["critical_sites".to_string()];
    if data.rows.iter().any(|r| r.k == 2) {
        stems.push("critical_pairs".to_string());
    }
    stems
}

/// Draws the charts of a critical folder (read back as `data`) into `dir`.
pub fn draw_critical_charts(
    data: &CriticalData,
    style: &Style,
    dir: &Path,
    only: Option<&[String]>,
) -> Result<Vec<Drawn>, ReportError> {
    draw_each(critical_chart_stems(data), dir, only, |stem, path| {
        critical_chart::critical_chart(data, if stem == "critical_sites" { 1 } else { 2 }, style, path)
    })
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
        fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB> {
            c.fill_background()
        }
    }

    #[test]
    fn an_image_write_failure_prints_no_debug_dump() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("missing/chart");
        for format in [Format::Png, Format::Svg] {
            let style = Style { width: 20, height: 20, formats: vec![format], ..Style::default() };
            let e = save(&Blank, &stem, &style).unwrap_err().to_string();
            assert!(e.ends_with("No such file or directory (os error 2)") && !e.contains('{'), "{e}");
        }
    }
}
