//! The looks of the charts: Okabe–Ito colours (distinct for colour-blind readers) or greys dark
//! enough to survive a black-and-white print; in both, every series of a chart with several
//! also has its own dash pattern and marker, so that series read apart without colour, and
//! areas that must read in print are hatched or outlined rather than shaded.

use super::canvas::{Fill, Hatch, Marker, Shape, Stroke};
use plotters::prelude::*;

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
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
/// Dash patterns for series, in order (on, off… at 1200 × 700).
const DASHES: [&[f64]; 5] = [&[], &[14.0, 6.0], &[3.0, 5.0], &[20.0, 5.0, 4.0, 5.0], &[8.0, 4.0]];
/// Markers for series, in order.
const SHAPES: [Shape; 7] =
    [Shape::Circle, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::TriangleDown, Shape::Cross, Shape::Plus];

/// The colours of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Colour,
    Greyscale,
}

/// How series i of a chart is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStyle {
    pub stroke: Stroke,
    pub marker: Marker,
}

impl Palette {
    /// The main line (a median, a bar).
    pub fn main(self) -> RGBColor {
        match self {
            Palette::Colour => BLUE,
            Palette::Greyscale => RGBColor(20, 20, 20),
        }
    }

    /// Blockades and other threats.
    pub fn accent(self) -> RGBColor {
        match self {
            Palette::Colour => VERMILLION,
            Palette::Greyscale => RGBColor(60, 60, 60),
        }
    }

    /// The outer (5–95 %) and inner (25–75 %) bands of a fan chart. In greys each band also
    /// has an outline (dotted for the outer, solid for the inner), which is what a black and
    /// white print keeps.
    pub fn bands(self, scale: f64) -> [Fill; 2] {
        match self {
            Palette::Colour => [
                Fill { colour: Some((SKY, 0.35)), ..Fill::default() },
                Fill { colour: Some((BLUE, 0.40)), ..Fill::default() },
            ],
            Palette::Greyscale => [
                Fill {
                    colour: Some((RGBColor(200, 200, 200), 0.5)),
                    hatch: None,
                    outline: Some(Stroke::dashed(RGBColor(40, 40, 40), 1.0, &[2.0 * scale, 3.0 * scale])),
                },
                Fill {
                    colour: Some((RGBColor(150, 150, 150), 0.5)),
                    hatch: None,
                    outline: Some(Stroke::solid(RGBColor(40, 40, 40), (1.2 * scale).max(1.0))),
                },
            ],
        }
    }

    /// Times when a blockade is active: hatching, which reads in print over any band.
    pub fn window(self, scale: f64) -> Fill {
        let colour = match self {
            Palette::Colour => RGBColor(230, 160, 120),
            Palette::Greyscale => RGBColor(90, 90, 90),
        };
        Fill {
            colour: None,
            hatch: Some(Hatch { colour, width: 1.0, spacing: (11.0 * scale).round(), rising: true }),
            outline: None,
        }
    }

    /// A shortfall or loss area: the accent, hatched the other way.
    pub fn shortfall(self, scale: f64) -> Fill {
        let accent = self.accent();
        Fill {
            colour: Some((accent, if self == Palette::Colour { 0.18 } else { 0.12 })),
            hatch: Some(Hatch { colour: accent, width: 1.0, spacing: (8.0 * scale).round(), rising: false }),
            outline: None,
        }
    }

    /// Series i of a chart with several: colour, dash pattern, marker.
    pub fn series(self, i: usize, scale: f64) -> SeriesStyle {
        let colour = match self {
            Palette::Colour => SERIES[i % SERIES.len()],
            Palette::Greyscale => {
                const GREYS: [u8; 3] = [0, 70, 40];
                let g = GREYS[i % GREYS.len()];
                RGBColor(g, g, g)
            }
        };
        let dash: Vec<f64> = DASHES[i % DASHES.len()].iter().map(|d| d * scale).collect();
        let width = (2.5 * scale).max(2.0);
        let marker = Marker {
            shape: SHAPES[i % SHAPES.len()],
            radius: (5.5 * scale).max(4.0),
            colour,
            filled: i.is_multiple_of(2),
        };
        SeriesStyle { stroke: Stroke { colour, width, dash }, marker }
    }
}

/// Where to put markers along a series of `n` points: about `count` of them, shifted by the
/// series' index so that markers of series that coincide do not cover one another.
pub fn marker_points(points: &[(f64, f64)], count: usize, series: usize, series_count: usize) -> Vec<(f64, f64)> {
    if points.is_empty() || count == 0 {
        return Vec::new();
    }
    let step = (points.len() / count).max(1);
    let offset = step * (series % series_count.max(1)) / series_count.max(1) + step / 2;
    points.iter().skip(offset.min(points.len() - 1)).step_by(step).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_differ_in_dash_and_marker() {
        for p in [Palette::Colour, Palette::Greyscale] {
            let s: Vec<SeriesStyle> = (0..5).map(|i| p.series(i, 1.0)).collect();
            for i in 0..5 {
                for j in i + 1..5 {
                    assert_ne!(s[i].marker.shape, s[j].marker.shape);
                    assert_ne!(s[i].stroke.dash, s[j].stroke.dash, "{p:?} {i} {j}");
                }
            }
        }
        // Greys stay dark enough for a black-and-white print (under half grey).
        for i in 0..10 {
            assert!(Palette::Greyscale.series(i, 1.0).stroke.colour.0 < 128);
        }
    }

    #[test]
    fn markers_are_spread_and_shifted() {
        let pts: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, 0.0)).collect();
        let a = marker_points(&pts, 8, 0, 3);
        let b = marker_points(&pts, 8, 1, 3);
        assert!((7..=9).contains(&a.len()));
        assert_ne!(a[0], b[0]);
    }
}
