//! `network_map`: the network on a lon/lat map (equirectangular, scaled by the cosine of the
//! mean latitude so that distances look right near Mali). Roads are drawn as wide as their mean
//! truck flow and in the accent colour where blockaded; blockade sites carry a cross sized by
//! attack probability (attackers' sites too, paler the less of the time they are held); demand
//! cities a disc sized by P(shortage). Labels are placed where they
//! do not collide with one another (cities always; other nodes where there is room).

use super::{Figure, Palette, Style, save, text, title_text, with_footer};
use crate::report::{NodeData, OutputData, ReportError, RoadData};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Map {
    title: String,
    footer: String,
    nodes: Vec<NodeData>,
    roads: Vec<RoadData>,
    palette: Palette,
}

pub fn network_map(data: &OutputData, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let map = Map {
        title: format!("Fuel corridors, flows and shortages — {}", data.meta.name),
        footer: data.footer(),
        nodes: data.nodes.clone(),
        roads: data.roads.clone(),
        palette: style.palette,
    };
    save(&map, stem, style)
}

/// A label's box in pixels: (x0, y0, x1, y1).
type BoxPx = (i32, i32, i32, i32);

fn overlaps(a: BoxPx, b: BoxPx) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Pixel width of a text at `size` in DejaVu Sans (about 0.55 em a character).
fn width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size * 0.56).ceil() as i32
}

fn disc_radius(p: f64) -> i32 {
    7 + (16.0 * p.sqrt()) as i32
}

impl Figure for Map {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let (w, _) = plot.dim_in_pixel();
        let (map_area, legend) = plot.split_horizontally(w.saturating_sub(330));
        let lat0 = self.nodes.iter().map(|n| n.lat).sum::<f64>() / self.nodes.len().max(1) as f64;
        let k = lat0.to_radians().cos();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for n in &self.nodes {
            x0 = x0.min(n.lon * k);
            x1 = x1.max(n.lon * k);
            y0 = y0.min(n.lat);
            y1 = y1.max(n.lat);
        }
        if !x0.is_finite() {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        let pad = 0.08 * (x1 - x0).max(y1 - y0).max(1.0);
        let (mut x0, mut x1, mut y0, mut y1) = (x0 - pad, x1 + pad, y0 - pad, y1 + pad);
        // Equal scale on both axes: widen the narrower range to the area's shape.
        let (aw, ah) = map_area.dim_in_pixel();
        let (aw, ah) = (f64::from(aw.saturating_sub(60)), f64::from(ah.saturating_sub(80)));
        let scale = (aw / (x1 - x0)).min(ah / (y1 - y0));
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        (x0, x1) = (cx - aw / scale / 2.0, cx + aw / scale / 2.0);
        (y0, y1) = (cy - ah / scale / 2.0, cy + ah / scale / 2.0);
        let mut chart = ChartBuilder::on(&map_area)
            .caption(&self.title, title_text(26.0))
            .margin(20)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(245, 245, 245))
            .bold_line_style(RGBColor(225, 225, 225))
            .x_label_formatter(&|x| format!("{:.0}°", x / k))
            .y_label_formatter(&|y| format!("{y:.0}°"))
            .label_style(text(13.0))
            .draw()?;
        let accent = self.palette.accent();
        let main = self.palette.main();
        let max_trucks = self.roads.iter().map(|r| r.trucks_mean).fold(0.0, f64::max).max(1.0);
        let road_width = |t: f64| 1 + (11.0 * (t / max_trucks).sqrt()).round() as u32;
        let mut taken: Vec<BoxPx> = Vec::new();
        // Where an attacker stands part of the time, the accent is as strong as that share.
        let threatened = |blockade: f64, held: f64| if blockade > 0.0 { 1.0 } else { held };
        for r in &self.roads {
            let threat = threatened(r.blockade_attack_prob, r.attacker_held_share);
            let colour = if threat > 0.0 { accent.mix(0.25 + 0.6 * threat) } else { RGBColor(110, 110, 110).mix(0.75) };
            let ends = r.ends.map(|(lon, lat)| (lon * k, lat));
            chart.draw_series(std::iter::once(PathElement::new(
                ends.to_vec(),
                colour.stroke_width(road_width(r.trucks_mean)),
            )))?;
            if threat > 0.0 {
                let mid = ((ends[0].0 + ends[1].0) / 2.0, (ends[0].1 + ends[1].1) / 2.0);
                let size = 6 + (10.0 * r.blockade_attack_prob.max(r.attacker_attack_prob)) as i32;
                chart.draw_series(std::iter::once(Cross::new(
                    mid,
                    size,
                    BLACK.mix(0.2 + 0.8 * threat).stroke_width(3),
                )))?;
                let (px, py) = chart.backend_coord(&mid);
                taken.push((px - size, py - size, px + size, py + size));
            }
        }
        // Nodes: small dots; demand cities: discs by P(shortage); blockaded nodes: crosses.
        for n in &self.nodes {
            let at = (n.lon * k, n.lat);
            let (px, py) = chart.backend_coord(&at);
            match n.p_shortage {
                Some(p) => {
                    let r = disc_radius(p);
                    chart.draw_series(std::iter::once(Circle::new(at, r, accent.mix(0.25 + 0.6 * p).filled())))?;
                    chart.draw_series(std::iter::once(Circle::new(at, r, BLACK.stroke_width(2))))?;
                    taken.push((px - r, py - r, px + r, py + r));
                }
                None => {
                    let filled = if n.kind == "port" || n.kind == "depot" { main.filled() } else { WHITE.filled() };
                    chart.draw_series(std::iter::once(Circle::new(at, 5, filled)))?;
                    chart.draw_series(std::iter::once(Circle::new(at, 5, main.stroke_width(2))))?;
                    taken.push((px - 5, py - 5, px + 5, py + 5));
                }
            }
            let threat = threatened(n.blockade_attack_prob, n.attacker_held_share);
            if threat > 0.0 {
                let size = 7 + (10.0 * n.blockade_attack_prob.max(n.attacker_attack_prob)) as i32;
                chart.draw_series(std::iter::once(Cross::new(
                    at,
                    size,
                    BLACK.mix(0.2 + 0.8 * threat).stroke_width(3),
                )))?;
            }
        }
        // Labels: cities first (always), then the rest where they fit.
        let mut order: Vec<&NodeData> = self.nodes.iter().collect();
        order.sort_by_key(|n| (n.p_shortage.is_none(), n.blockade_attack_prob <= 0.0));
        for n in order {
            let city = n.p_shortage.is_some();
            let size = if city { 16.0 } else { 13.0 };
            let label = match n.p_shortage {
                Some(p) => format!("{} ({:.0} %)", n.name, 100.0 * p),
                None => n.name.clone(),
            };
            let (px, py) = chart.backend_coord(&(n.lon * k, n.lat));
            let (tw, th) = (width(&label, size), size as i32 + 2);
            let r = n.p_shortage.map_or(6, disc_radius) + 3;
            let candidates = [
                (px + r, py - th / 2),
                (px - r - tw, py - th / 2),
                (px - tw / 2, py - r - th),
                (px - tw / 2, py + r),
                (px + r, py - th),
                (px + r, py),
            ];
            let fits = candidates
                .iter()
                .map(|&(x, y)| (x, y, x + tw, y + th))
                .find(|b| !taken.iter().any(|t| overlaps(*t, *b)));
            let placed = match fits {
                Some(b) => Some(b),
                None if city => Some((candidates[0].0, candidates[0].1, candidates[0].0 + tw, candidates[0].1 + th)),
                None => None,
            };
            if let Some(b) = placed {
                let style = if city { title_text(size) } else { text(size) };
                root.draw(&Rectangle::new([(b.0 - 2, b.1), (b.2 + 2, b.3)], WHITE.mix(0.75).filled()))?;
                root.draw_text(&label, &style, (b.0, b.1))?;
                taken.push(b);
            }
        }
        draw_legend(&legend, accent, main, max_trucks)
    }
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    accent: RGBColor,
    main: RGBColor,
    max_trucks: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let x = 10;
    let mut y = 90;
    area.draw_text("How to read", &title_text(17.0), (x, y))?;
    y += 34;
    for (t, w) in [(max_trucks, 12), (max_trucks / 4.0, 6)] {
        area.draw(&PathElement::new([(x, y), (x + 40, y)], RGBColor(110, 110, 110).stroke_width(w)))?;
        area.draw_text(&format!("{:.0} trucks per run", t), &text(14.0), (x + 50, y - 8))?;
        y += 28;
    }
    area.draw(&PathElement::new([(x, y), (x + 40, y)], accent.mix(0.85).stroke_width(6)))?;
    area.draw_text("blockaded road", &text(14.0), (x + 50, y - 8))?;
    y += 30;
    area.draw(&Cross::new((x + 20, y), 12, BLACK.stroke_width(3)))?;
    area.draw_text("blockade: larger, more attacks", &text(14.0), (x + 50, y - 8))?;
    y += 26;
    area.draw(&Cross::new((x + 20, y), 12, BLACK.mix(0.4).stroke_width(3)))?;
    area.draw_text("attacker site: paler, held less", &text(14.0), (x + 50, y - 8))?;
    y += 40;
    for p in [1.0, 0.5, 0.0] {
        let r = disc_radius(p);
        area.draw(&Circle::new((x + 20, y), r, accent.mix(0.25 + 0.6 * p).filled()))?;
        area.draw(&Circle::new((x + 20, y), r, BLACK.stroke_width(2)))?;
        area.draw_text(&format!("city, P(shortage) {:.0} %", 100.0 * p), &text(14.0), (x + 50, y - 8))?;
        y += 2 * r + 14;
    }
    area.draw(&Circle::new((x + 20, y), 5, main.filled()))?;
    area.draw_text("port or depot", &text(14.0), (x + 50, y - 8))?;
    y += 26;
    area.draw(&Circle::new((x + 20, y), 5, WHITE.filled()))?;
    area.draw(&Circle::new((x + 20, y), 5, main.stroke_width(2)))?;
    area.draw_text("border post or junction", &text(14.0), (x + 50, y - 8))?;
    Ok(())
}
