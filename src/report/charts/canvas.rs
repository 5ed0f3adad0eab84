//! The surface every chart draws on: pixel coordinates of the whole image, text measured with
//! the embedded font and recorded with its box, and the primitives the charts share (lines with
//! dash patterns, markers, hatching). What was drawn where is kept in a [`Layout`], which the
//! layout checks read: no text leaves the image, no two texts overlap, no legend covers data.

use super::geometry::{Rect, hatch_lines, segment_hits_rect};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform};

/// The error of a drawing call on backend `DB`.
pub type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A font: size in pixels (as plotters counts them) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }

    pub fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    fn style(self, colour: RGBColor) -> TextStyle<'static> {
        let style = if self.bold { FontStyle::Bold } else { FontStyle::Normal };
        let mut text = TextStyle::from((super::FONT, self.size, style).into_font());
        text.color = colour.to_backend_color();
        text
    }

    /// Height of a line of text: the box every text of this font is recorded with.
    pub fn height(self) -> i32 {
        (self.size * 0.98).ceil() as i32
    }
}

/// A line's look: colour, width in pixels, dash pattern (on, off, on, off…, in pixels; empty
/// for a solid line).
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    pub colour: RGBColor,
    pub width: f64,
    pub dash: Vec<f64>,
}

impl Stroke {
    pub fn solid(colour: RGBColor, width: f64) -> Stroke {
        Stroke { colour, width, dash: Vec::new() }
    }

    pub fn dashed(colour: RGBColor, width: f64, dash: &[f64]) -> Stroke {
        Stroke { colour, width, dash: dash.to_vec() }
    }
}

/// How an area is filled: a colour with its opacity, hatching, an outline; any of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fill {
    pub colour: Option<(RGBColor, f64)>,
    pub hatch: Option<Hatch>,
    pub outline: Option<Stroke>,
}

/// Diagonal hatching: lines `spacing` pixels apart, rising (`/`) or falling (`\`).
#[derive(Debug, Clone, PartialEq)]
pub struct Hatch {
    pub colour: RGBColor,
    pub width: f64,
    pub spacing: f64,
    pub rising: bool,
}

/// Point markers, distinct in shape so that series read apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
    Plus,
}

/// A marker: shape, radius in pixels, colour, and whether it is filled (else white inside).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    pub shape: Shape,
    pub radius: f64,
    pub colour: RGBColor,
    pub filled: bool,
}

/// Where a text is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    TopLeft,
    TopCentre,
    Left,
    Centre,
    Right,
}

/// What a chart drew where, in pixels of the whole image.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    /// Every text and its box.
    pub texts: Vec<(Rect, String)>,
    /// Legend boxes.
    pub legends: Vec<Rect>,
    /// Data drawn as lines: segments.
    pub lines: Vec<[(f64, f64); 2]>,
    /// Data drawn as areas: polygons.
    pub areas: Vec<Vec<(f64, f64)>>,
}

impl Layout {
    /// Whether `r` meets any data line or area.
    pub fn covers_data(&self, r: Rect) -> bool {
        self.lines.iter().any(|s| segment_hits_rect(s[0], s[1], r))
            || self.areas.iter().any(|p| super::geometry::polygon_hits_rect(p, r))
    }

    /// What is wrong with the layout: texts outside the image, texts overlapping, legends over
    /// data. Empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let frame = Rect::new(0, 0, self.width, self.height);
        let mut out = Vec::new();
        for (r, t) in &self.texts {
            if !frame.contains(*r) {
                out.push(format!("text {t:?} at {r:?} leaves the {}×{} image", self.width, self.height));
            }
        }
        for (i, (a, ta)) in self.texts.iter().enumerate() {
            for (b, tb) in &self.texts[i + 1..] {
                if a.overlaps(*b) {
                    out.push(format!("texts {ta:?} at {a:?} and {tb:?} at {b:?} overlap"));
                }
            }
        }
        for l in &self.legends {
            if self.covers_data(*l) {
                out.push(format!("the legend at {l:?} covers data"));
            }
        }
        out
    }
}

/// The drawing surface: the image's drawing area, the scale of the type, and the record.
pub struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// Type and strokes are this many times their size at 1200 × 700.
    pub scale: f64,
    pub layout: Layout,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>) -> Self {
        let (w, h) = area.dim_in_pixel();
        let scale = (f64::from(w) / 1200.0).min(f64::from(h) / 700.0).clamp(0.8, 3.0);
        let layout = Layout { width: w as i32, height: h as i32, ..Layout::default() };
        Canvas { area, scale, layout }
    }

    pub fn width(&self) -> i32 {
        self.layout.width
    }

    pub fn height(&self) -> i32 {
        self.layout.height
    }

    /// A size at this canvas's scale.
    pub fn px(&self, v: f64) -> f64 {
        v * self.scale
    }

    /// A font of `size` at 1200 × 700, at this canvas's scale.
    pub fn font(&self, size: f64) -> Font {
        Font::regular(size * self.scale)
    }

    pub fn bold(&self, size: f64) -> Font {
        Font::bold(size * self.scale)
    }

    pub fn fill_background(&mut self) -> DrawResult<(), DB> {
        self.area.fill(&WHITE)
    }

    /// Width of `text` in `font`, in pixels.
    pub fn text_width(&self, text: &str, font: Font) -> i32 {
        self.area
            .estimate_text_size(text, &font.style(BLACK))
            .map_or_else(|_| (text.chars().count() as f64 * font.size * 0.6).ceil() as i32, |(w, _)| w as i32 + 1)
    }

    /// The box `text` would take with its anchor at `at`.
    pub fn text_box(&self, text: &str, font: Font, at: (i32, i32), anchor: Anchor) -> Rect {
        let (w, h) = (self.text_width(text, font), font.height());
        let x = match anchor {
            Anchor::TopLeft | Anchor::Left => at.0,
            Anchor::TopCentre | Anchor::Centre => at.0 - w / 2,
            Anchor::Right => at.0 - w,
        };
        let y = match anchor {
            Anchor::TopLeft | Anchor::TopCentre => at.1,
            Anchor::Left | Anchor::Centre | Anchor::Right => at.1 - h / 2,
        };
        Rect::new(x, y, x + w, y + h)
    }

    /// Draws `text` and records its box; returns the box.
    pub fn text(
        &mut self,
        text: &str,
        font: Font,
        colour: RGBColor,
        at: (i32, i32),
        anchor: Anchor,
    ) -> DrawResult<Rect, DB> {
        let r = self.text_box(text, font, at, anchor);
        self.text_in(text, font, colour, r)?;
        Ok(r)
    }

    /// Draws `text` in a box found with [`Canvas::text_box`] and records it.
    pub fn text_in(&mut self, text: &str, font: Font, colour: RGBColor, r: Rect) -> DrawResult<(), DB> {
        if text.is_empty() {
            return Ok(());
        }
        let style = font.style(colour).pos(Pos::new(HPos::Left, VPos::Top));
        self.area.draw_text(text, &style, (r.x0, r.y0 + ((font.size - f64::from(font.height())) / 2.0) as i32))?;
        self.layout.texts.push((r, text.to_string()));
        Ok(())
    }

    /// Draws `text` turned a quarter left (reading upwards), centred on `centre`; returns its
    /// box.
    pub fn text_upwards(
        &mut self,
        text: &str,
        font: Font,
        colour: RGBColor,
        centre: (i32, i32),
    ) -> DrawResult<Rect, DB> {
        let (w, h) = (self.text_width(text, font), font.height());
        if text.is_empty() {
            return Ok(Rect::new(centre.0, centre.1, centre.0, centre.1));
        }
        let r = Rect::new(centre.0 - h / 2, centre.1 - w / 2, centre.0 - h / 2 + h, centre.1 - w / 2 + w);
        let style = font.style(colour).transform(FontTransform::Rotate270).pos(Pos::new(HPos::Left, VPos::Top));
        self.area.draw_text(text, &style, (r.x0, r.y1))?;
        self.layout.texts.push((r, text.to_string()));
        Ok(r)
    }

    /// A white box under a text (a halo), so that it reads over lines.
    pub fn halo(&mut self, r: Rect) -> DrawResult<(), DB> {
        self.area.draw(&Rectangle::new([(r.x0 - 2, r.y0), (r.x1 + 2, r.y1)], WHITE.mix(0.8).filled()))
    }

    /// A polyline in pixels, with the stroke's dash pattern (the pattern runs on across
    /// vertices).
    pub fn line(&mut self, points: &[(f64, f64)], stroke: &Stroke) -> DrawResult<(), DB> {
        let style = ShapeStyle::from(&stroke.colour).stroke_width(stroke.width.round().max(1.0) as u32);
        for piece in super::geometry::dashes(points, &stroke.dash) {
            let path: Vec<(i32, i32)> = piece.iter().map(|&(x, y)| (x.round() as i32, y.round() as i32)).collect();
            if path.len() >= 2 {
                self.area.draw(&PathElement::new(path, style))?;
            }
        }
        Ok(())
    }

    /// A filled polygon, hatched and outlined as `fill` says.
    pub fn area(&mut self, points: &[(f64, f64)], fill: &Fill) -> DrawResult<(), DB> {
        if points.len() < 3 {
            return Ok(());
        }
        if let Some((colour, alpha)) = fill.colour {
            let path: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (x.round() as i32, y.round() as i32)).collect();
            self.area.draw(&Polygon::new(path, colour.mix(alpha).filled()))?;
        }
        if let Some(h) = &fill.hatch {
            let stroke = Stroke::solid(h.colour, h.width);
            for s in hatch_lines(points, h.spacing, h.rising) {
                self.line(&s, &stroke)?;
            }
        }
        if let Some(outline) = &fill.outline {
            let mut ring = points.to_vec();
            ring.push(points[0]);
            self.line(&ring, outline)?;
        }
        Ok(())
    }

    /// A rectangle filled as `fill` says.
    pub fn rect(&mut self, r: Rect, fill: &Fill) -> DrawResult<(), DB> {
        let (x0, y0, x1, y1) = (f64::from(r.x0), f64::from(r.y0), f64::from(r.x1), f64::from(r.y1));
        self.area(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill)
    }

    /// A marker centred on `at`.
    pub fn marker(&mut self, m: Marker, at: (f64, f64)) -> DrawResult<(), DB> {
        let (x, y) = at;
        let r = m.radius;
        let fill = if m.filled { m.colour } else { WHITE };
        let width = (r / 3.0).max(1.5);
        let outline = Stroke::solid(m.colour, width);
        let polygon = |pts: &[(f64, f64)]| pts.iter().map(|&(dx, dy)| (x + dx * r, y + dy * r)).collect::<Vec<_>>();
        match m.shape {
            Shape::Circle => {
                let c = (x.round() as i32, y.round() as i32);
                self.area.draw(&Circle::new(c, r.round() as i32, fill.filled()))?;
                self.area.draw(&Circle::new(c, r.round() as i32, m.colour.stroke_width(width.round() as u32)))?;
            }
            Shape::Cross | Shape::Plus => {
                let d = if m.shape == Shape::Cross { 0.8 * r } else { r };
                let (a, b) = if m.shape == Shape::Cross {
                    ([(x - d, y - d), (x + d, y + d)], [(x - d, y + d), (x + d, y - d)])
                } else {
                    ([(x - d, y), (x + d, y)], [(x, y - d), (x, y + d)])
                };
                let stroke = Stroke::solid(m.colour, (r / 2.2).max(2.0));
                self.line(&a, &stroke)?;
                self.line(&b, &stroke)?;
            }
            shape => {
                let pts = match shape {
                    Shape::Square => polygon(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]),
                    Shape::Triangle => polygon(&[(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)]),
                    Shape::TriangleDown => polygon(&[(0.0, 1.15), (1.05, -0.75), (-1.05, -0.75)]),
                    _ => polygon(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)]),
                };
                self.area(&pts, &Fill { colour: Some((fill, 1.0)), hatch: None, outline: Some(outline) })?;
            }
        }
        Ok(())
    }

    /// A circle of radius `r`, filled and outlined.
    pub fn disc(&mut self, at: (f64, f64), r: f64, fill: RGBColor, alpha: f64, outline: &Stroke) -> DrawResult<(), DB> {
        let c = (at.0.round() as i32, at.1.round() as i32);
        let r = r.round() as i32;
        self.area.draw(&Circle::new(c, r, fill.mix(alpha).filled()))?;
        self.area.draw(&Circle::new(c, r, outline.colour.stroke_width(outline.width.round().max(1.0) as u32)))
    }

    /// Records a data polyline (for the check that legends do not cover data).
    pub fn record_line(&mut self, points: &[(f64, f64)]) {
        self.layout.lines.extend(points.windows(2).map(|w| [w[0], w[1]]));
    }

    /// Records a data area.
    pub fn record_area(&mut self, points: &[(f64, f64)]) {
        self.layout.areas.push(points.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_check_finds_texts_out_of_the_image_overlapping_and_legends_on_data() {
        let mut l = Layout { width: 100, height: 50, ..Layout::default() };
        l.texts.push((Rect::new(0, 0, 40, 10), "a".into()));
        l.texts.push((Rect::new(50, 0, 90, 10), "b".into()));
        assert!(l.problems().is_empty());
        l.texts.push((Rect::new(30, 5, 60, 15), "c".into()));
        assert_eq!(l.problems().len(), 2, "c overlaps a and b: {:?}", l.problems());
        l.texts.pop();
        l.texts.push((Rect::new(80, 40, 110, 50), "d".into()));
        assert_eq!(l.problems().len(), 1, "d leaves the image");
        l.texts.pop();
        l.lines.push([(0.0, 30.0), (100.0, 30.0)]);
        l.legends.push(Rect::new(10, 25, 40, 45));
        assert_eq!(l.problems().len(), 1, "the legend covers a line");
        l.legends[0] = Rect::new(10, 35, 40, 45);
        assert!(l.problems().is_empty());
        l.areas.push(vec![(0.0, 32.0), (100.0, 32.0), (100.0, 50.0), (0.0, 50.0)]);
        assert_eq!(l.problems().len(), 1, "the legend stands on an area");
    }
}
