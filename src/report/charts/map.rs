//! `network_map`: the network over the countries it crosses (Natural Earth borders and names,
//! embedded), on a lon/lat map scaled by the cosine of the mean latitude so that distances look
//! right near Mali. Roads are as wide as their mean truck flow; blockaded roads are cased (a
//! dark double line) and attackers' roads cased with a dashed core, so that they read in black
//! and white; blockade sites carry a cross, attackers' sites a triangle; demand cities a disc
//! sized by P(shortage). Labels never overlap (see `map_labels`); the legend and a scale bar
//! stand beside or under the map, as the size allows.

use super::borders::{self, Borders};
use super::canvas::{Anchor, Canvas, DrawResult, Fill, Font, Marker, Shape, Stroke};
use super::geometry::{Rect, clip_polygon, clip_polyline, point_in_polygon};
use super::legend::{self, Entry, Sample};
use super::map_labels::Placer;
use super::xy::frame;
use super::{Figure, Layout, Palette, Style, save};
use crate::report::{NodeData, OutputData, ReportError, RoadData};
use plotters::prelude::*;
use std::path::Path;

pub(super) struct Map {
    title: String,
    footer: String,
    nodes: Vec<NodeData>,
    roads: Vec<RoadData>,
    palette: Palette,
    borders: &'static Borders,
}

pub fn network_map(data: &OutputData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let borders = borders::west_africa().map_err(|message| ReportError::Chart { path: stem.to_path_buf(), message })?;
    let map = Map {
        title: format!("Fuel corridors, flows and shortages — {}", data.meta.name),
        footer: data.footer(),
        nodes: data.nodes.clone(),
        roads: data.roads.clone(),
        palette: style.palette,
        borders,
    };
    save(&map, stem, style)
}

/// A label placed by a plan, and what its place cost (0: full size, next to its point).
struct PlacedLabel {
    id: String,
    city: bool,
    text: String,
    font: Font,
    placed: super::map_labels::Placed,
    cost: f64,
}

/// The labels of the map as placed in one order, and what they cost in all.
struct LabelPlan {
    cost: f64,
    labels: Vec<PlacedLabel>,
    placer: Placer,
}

/// Lon/lat to pixels: equirectangular, x scaled by the cosine of a latitude.
struct Projection {
    k: f64,
    scale: f64,
    centre: (f64, f64),
    centre_px: (f64, f64),
}

impl Projection {
    /// The projection that fits `points` (lon, lat), with a margin, into `area`.
    fn fit(points: &[(f64, f64)], area: Rect) -> Projection {
        let lat0 = points.iter().map(|p| p.1).sum::<f64>() / points.len().max(1) as f64;
        let k = lat0.to_radians().cos();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(lon, lat) in points {
            (x0, x1, y0, y1) = (x0.min(lon * k), x1.max(lon * k), y0.min(lat), y1.max(lat));
        }
        if !x0.is_finite() {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        let pad = 0.07 * (x1 - x0).max(y1 - y0).max(1.0);
        let (w, h) = (x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad);
        let scale = (f64::from(area.width()) / w).min(f64::from(area.height()) / h);
        let centre_px = (f64::from(area.x0 + area.x1) / 2.0, f64::from(area.y0 + area.y1) / 2.0);
        Projection { k, scale, centre: ((x0 + x1) / 2.0, (y0 + y1) / 2.0), centre_px }
    }

    fn px(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            self.centre_px.0 + (lon * self.k - self.centre.0) * self.scale,
            self.centre_px.1 - (lat - self.centre.1) * self.scale,
        )
    }
}

fn disc_radius(p: f64, scale: f64) -> f64 {
    (7.0 + 16.0 * p.sqrt()) * scale
}

/// Colours of the map's ground.
struct Ground {
    sea: RGBColor,
    land: RGBColor,
    border: Stroke,
    coast: Stroke,
    names: RGBColor,
}

impl Map {
    fn ground(&self, scale: f64) -> Ground {
        let w = (1.3 * scale).max(1.0);
        let dash = vec![9.0 * scale, 3.0 * scale, 2.0 * scale, 3.0 * scale];
        match self.palette {
            Palette::Colour => Ground {
                sea: RGBColor(226, 238, 247),
                land: RGBColor(250, 248, 242),
                border: Stroke::dashed(RGBColor(110, 110, 110), w, &dash),
                coast: Stroke::solid(RGBColor(120, 150, 180), w),
                names: RGBColor(125, 125, 125),
            },
            Palette::Greyscale => Ground {
                sea: WHITE,
                land: WHITE,
                border: Stroke::dashed(RGBColor(40, 40, 40), w.max(1.5), &dash),
                coast: Stroke::solid(RGBColor(40, 40, 40), w.max(1.5)),
                names: RGBColor(50, 50, 50),
            },
        }
    }

    fn max_trucks(&self) -> f64 {
        self.roads.iter().map(|r| r.trucks_mean).fold(0.0, f64::max).max(1.0)
    }

    fn road_width(&self, trucks: f64, scale: f64) -> f64 {
        (1.0 + 10.0 * (trucks / self.max_trucks()).sqrt()) * scale
    }

    /// The strokes of a threatened road of `width`: the casing and the core.
    fn cased(&self, width: f64, attacker_only: bool, scale: f64) -> (Stroke, Stroke) {
        let accent = self.palette.accent();
        let core_colour = if self.palette == Palette::Greyscale { WHITE } else { accent };
        let outer = Stroke::solid(BLACK, width + 4.0 * scale);
        let core = if attacker_only {
            Stroke::dashed(core_colour, width.max(2.0), &[6.0 * scale, 4.0 * scale])
        } else {
            Stroke::solid(core_colour, width.max(2.0))
        };
        (outer, core)
    }

    fn legend(&self, scale: f64, ground: &Ground) -> Vec<Entry> {
        let grey = RGBColor(110, 110, 110);
        let max = self.max_trucks();
        let mut e = vec![
            Entry::new(
                format!("{max:.0} trucks per run"),
                Sample::Line(Stroke::solid(grey, self.road_width(max, scale)), None),
            ),
            Entry::new(
                format!("{:.0} trucks per run", max / 4.0),
                Sample::Line(Stroke::solid(grey, self.road_width(max / 4.0, scale)), None),
            ),
        ];
        let blockaded = self.roads.iter().any(|r| r.blockade_attack_prob > 0.0)
            || self.nodes.iter().any(|n| n.blockade_attack_prob > 0.0);
        let attacked = self.roads.iter().any(|r| r.attacker_held_share > 0.0)
            || self.nodes.iter().any(|n| n.attacker_held_share > 0.0);
        if blockaded {
            let (o, i) = self.cased(self.road_width(max / 4.0, scale), false, scale);
            e.push(Entry::new("blockaded road", Sample::Cased(o, i)));
            e.push(Entry::new("blockade (size: attack odds)", Sample::Marker(self.cross(1.0, scale))));
        }
        if attacked {
            let (o, i) = self.cased(self.road_width(max / 4.0, scale), true, scale);
            e.push(Entry::new("attackers' road", Sample::Cased(o, i)));
            e.push(Entry::new("attacker's site (filled: held most)", Sample::Marker(self.triangle(1.0, 1.0, scale))));
        }
        let discs = [1.0, 0.5, 0.0].map(|p| (disc_radius(p, scale), 0.15 + 0.7 * p)).to_vec();
        e.push(Entry::new("city, P(shortage) 100/50/0 %", Sample::Discs(discs, self.palette.accent())));
        let dot = |filled| Marker { shape: Shape::Circle, radius: 5.0 * scale, colour: self.palette.main(), filled };
        e.push(Entry::new("port or depot", Sample::Marker(dot(true))));
        e.push(Entry::new("border post, junction", Sample::Marker(dot(false))));
        e.push(Entry::new("country border", Sample::Line(ground.border.clone(), None)));
        e
    }

    /// The radius of everything drawn at node `n`: its dot or disc, and a cross or triangle.
    fn marker_radius(&self, n: &NodeData, scale: f64) -> f64 {
        let own = n.p_shortage.map_or(5.0 * scale, |p| disc_radius(p, scale));
        if n.blockade_attack_prob > 0.0 {
            own.max(self.cross(n.blockade_attack_prob, scale).radius)
        } else if n.attacker_held_share > 0.0 {
            own.max(self.triangle(n.attacker_attack_prob, n.attacker_held_share, scale).radius * 1.2)
        } else {
            own
        }
    }

    /// The marker of a site: a cross for a blockade, else a triangle for an attacker's site.
    fn threat(&self, blockade: f64, held: f64, attacker: f64, scale: f64) -> Option<Marker> {
        if blockade > 0.0 {
            Some(self.cross(blockade, scale))
        } else if held > 0.0 {
            Some(self.triangle(attacker, held, scale))
        } else {
            None
        }
    }

    fn cross(&self, attack: f64, scale: f64) -> Marker {
        Marker { shape: Shape::Cross, radius: (7.0 + 8.0 * attack) * scale, colour: BLACK, filled: true }
    }

    fn triangle(&self, attack: f64, held: f64, scale: f64) -> Marker {
        Marker { shape: Shape::Triangle, radius: (6.0 + 6.0 * attack) * scale, colour: BLACK, filled: held >= 0.5 }
    }
}

impl Figure for Map {
    fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB> {
        let body = frame(c, &self.title, &self.footer)?;
        let s = c.scale;
        let ground = self.ground(s);
        let entries = self.legend(s, &ground);
        let gap = c.px(12.0) as i32;
        let lonlat: Vec<(f64, f64)> = self.nodes.iter().map(|n| (n.lon, n.lat)).collect();
        let bar_h = c.font(13.0).height() + c.px(12.0) as i32;
        // The legend (and the scale bar) in a corner of the map that the network leaves
        // empty; else beside the map when the image is wide, else under it: whichever leaves
        // the larger map.
        let column = legend::lay_out_in(c, &entries, body.width() * 2 / 5, false, c.font(13.5));
        let full = Projection::fit(&lonlat, body);
        let (map_area, laid, at, inside) =
            match self.empty_corner(&full, body, (column.size.0, column.size.1 + bar_h), c.px(40.0)) {
                Some(at) => (body, column, at, true),
                None => {
                    let side = legend::lay_out_in(c, &entries, c.width() / 3, false, c.font(13.5));
                    let under = legend::lay_out_in(c, &entries, body.width(), true, c.font(13.5));
                    let beside = Rect::new(body.x0, body.y0, body.x1 - side.size.0 - gap, body.y1);
                    let below = Rect::new(body.x0, body.y0, body.x1, body.y1 - under.size.1 - gap);
                    let fits_beside = side.size.1 + bar_h <= body.height();
                    if fits_beside && Projection::fit(&lonlat, beside).scale >= Projection::fit(&lonlat, below).scale {
                        let at = (body.x1 - side.size.0, body.y0);
                        (beside, side, at, false)
                    } else {
                        let at = (body.x0, body.y1 - under.size.1);
                        (below, under, at, false)
                    }
                }
            };
        let proj = Projection::fit(&lonlat, map_area);
        self.draw_ground(c, &proj, map_area, &ground)?;
        let mut placer = Placer::new(map_area.grow(-2));
        if inside {
            // Labels keep off the legend and its scale bar.
            placer.block(Rect::new(at.0, at.1, at.0 + laid.size.0, at.1 + laid.size.1 + bar_h).grow(4));
        }
        for n in &self.nodes {
            placer.point(proj.px((n.lon, n.lat)), self.marker_radius(n, s));
        }
        self.draw_network(c, &proj, map_area, &mut placer)?;
        self.draw_labels(c, &proj, &mut placer)?;
        self.draw_country_names(c, &proj, map_area, &ground, &mut placer)?;
        let frame_line = Stroke::solid(RGBColor(120, 120, 120), 1.0);
        let r = map_area;
        let corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1), (r.x0, r.y0)];
        c.line(&corners.map(|(x, y)| (f64::from(x), f64::from(y))), &frame_line)?;
        let box_ = legend::draw(c, &entries, &laid, at)?;
        // The scale bar under the legend (beside or inside the map), or at its right (under).
        let bar_at = if inside || at.1 == body.y0 { (box_.x0, box_.y1 + gap / 3) } else { (box_.x1 + gap, box_.y0) };
        if inside {
            let bar = Rect::new(box_.x0, box_.y1, box_.x1, box_.y1 + bar_h);
            c.rect(bar, &Fill { colour: Some((WHITE, 0.85)), ..Fill::default() })?;
        }
        self.scale_bar(c, &proj, bar_at, body)
    }
}

impl Map {
    /// A corner of `area` where a box of `size` (and a margin of `clear` pixels round it)
    /// meets no road and no node: right corners first (the Sahara and the Gulf of Guinea are
    /// empty on this network's maps), then left.
    fn empty_corner(&self, proj: &Projection, area: Rect, size: (i32, i32), clear: f64) -> Option<(i32, i32)> {
        let m = 6;
        let (w, h) = size;
        if w > area.width() / 2 || h > area.height() - 2 * m {
            return None;
        }
        let corners = [
            (area.x1 - m - w, area.y0 + m),
            (area.x1 - m - w, area.y1 - m - h),
            (area.x0 + m, area.y1 - m - h),
            (area.x0 + m, area.y0 + m),
        ];
        corners.into_iter().find(|&(x, y)| {
            let r = Rect::new(x, y, x + w, y + h);
            let near = r.grow(clear as i32);
            let roads = self.roads.iter().any(|road| {
                let [a, b] = road.ends.map(|p| proj.px(p));
                super::geometry::segment_hits_rect(a, b, r.grow(8))
            });
            let nodes = self.nodes.iter().any(|n| near.contains(square(proj.px((n.lon, n.lat)), 0.0)));
            !roads && !nodes
        })
    }

    fn draw_ground<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        proj: &Projection,
        area: Rect,
        g: &Ground,
    ) -> DrawResult<(), DB> {
        c.rect(area, &Fill { colour: Some((g.sea, 1.0)), ..Fill::default() })?;
        let land = Fill { colour: Some((g.land, 1.0)), ..Fill::default() };
        for country in &self.borders.countries {
            for polygon in &country.polygons {
                let outer: Vec<(f64, f64)> = polygon[0].iter().map(|p| proj.px(*p)).collect();
                c.area(&clip_polygon(&outer, area), &land)?;
            }
        }
        for (lines, stroke) in [(&self.borders.coasts, &g.coast), (&self.borders.borders, &g.border)] {
            for line in lines {
                let pts: Vec<(f64, f64)> = line.iter().map(|p| proj.px(*p)).collect();
                for piece in clip_polyline(&pts, area) {
                    c.line(&piece, stroke)?;
                }
            }
        }
        Ok(())
    }

    fn draw_network<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        proj: &Projection,
        area: Rect,
        placer: &mut Placer,
    ) -> DrawResult<(), DB> {
        let s = c.scale;
        let plain = RGBColor(110, 110, 110);
        for r in &self.roads {
            let ends = r.ends.map(|p| proj.px(p));
            let width = self.road_width(r.trucks_mean, s);
            let blockaded = r.blockade_attack_prob > 0.0;
            if blockaded || r.attacker_held_share > 0.0 {
                let (outer, core) = self.cased(width, !blockaded, s);
                c.line(&ends, &outer)?;
                c.line(&ends, &core)?;
            } else {
                c.line(&ends, &Stroke::solid(plain, width))?;
            }
            placer.road(ends[0], ends[1]);
        }
        for r in &self.roads {
            let ends = r.ends.map(|p| proj.px(p));
            let mid = ((ends[0].0 + ends[1].0) / 2.0, (ends[0].1 + ends[1].1) / 2.0);
            if let Some(m) = self.threat(r.blockade_attack_prob, r.attacker_held_share, r.attacker_attack_prob, s) {
                c.marker(m, mid)?;
                placer.marker(mid, m.radius);
            }
        }
        let main = self.palette.main();
        for n in &self.nodes {
            let at = proj.px((n.lon, n.lat));
            if !area.contains(square(at, 0.0)) {
                continue;
            }
            match n.p_shortage {
                Some(p) => {
                    let r = disc_radius(p, s);
                    c.disc(at, r, self.palette.accent(), 0.15 + 0.7 * p, &Stroke::solid(BLACK, 2.0))?;
                    placer.marker(at, r);
                }
                None => {
                    let filled = n.kind == "port" || n.kind == "depot";
                    let m = Marker { shape: Shape::Circle, radius: 5.0 * s, colour: main, filled };
                    c.marker(m, at)?;
                    placer.marker(at, m.radius);
                }
            }
            if let Some(m) = self.threat(n.blockade_attack_prob, n.attacker_held_share, n.attacker_attack_prob, s) {
                c.marker(m, at)?;
                placer.marker(at, m.radius);
            }
        }
        Ok(())
    }

    /// Labels: cities first (always, shrinking the type or standing off with a leader if need
    /// be), then blockaded nodes, then the rest where there is room. Labels are placed
    /// greedily; a city that had to shrink or stand off is then tried first, and the plan that
    /// costs least is drawn.
    fn draw_labels<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        proj: &Projection,
        placer: &mut Placer,
    ) -> DrawResult<(), DB> {
        let mut order: Vec<&NodeData> = self.nodes.iter().collect();
        order.sort_by(|a, b| {
            let key =
                |n: &NodeData| (n.p_shortage.is_none(), n.blockade_attack_prob <= 0.0 && n.attacker_held_share <= 0.0);
            key(a).cmp(&key(b)).then(b.p_shortage.unwrap_or(0.0).total_cmp(&a.p_shortage.unwrap_or(0.0)))
        });
        let mut best = self.plan_labels(c, proj, placer, &order);
        let mut promoted: Vec<String> = Vec::new();
        for _ in 0..6 {
            let Some(worst) = best
                .labels
                .iter()
                .filter(|l| l.city && l.cost > 0.0 && !promoted.contains(&l.id))
                .map(|l| l.id.clone())
                .next()
            else {
                break;
            };
            promoted.push(worst.clone());
            let mut next = order.clone();
            next.sort_by_key(|n| !promoted.contains(&n.id));
            let plan = self.plan_labels(c, proj, placer, &next);
            if plan.cost < best.cost {
                (best, order) = (plan, next);
            }
        }
        for l in &best.labels {
            if let Some(leader) = l.placed.leader {
                c.line(&leader, &Stroke::solid(RGBColor(40, 40, 40), (1.2 * c.scale).max(1.0)))?;
            }
            c.halo(l.placed.rect)?;
            c.text_in(&l.text, l.font, BLACK, l.placed.rect)?;
        }
        *placer = best.placer;
        Ok(())
    }

    /// Places the labels in `order` on a copy of `placer`.
    fn plan_labels<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        proj: &Projection,
        placer: &Placer,
        order: &[&NodeData],
    ) -> LabelPlan {
        let s = c.scale;
        let mut placer = placer.clone();
        let (mut labels, mut cost) = (Vec::new(), 0.0);
        for n in order {
            let at = proj.px((n.lon, n.lat));
            let city = n.p_shortage.is_some();
            let text = match n.p_shortage {
                Some(p) => format!("{} ({:.0} %)", n.name, 100.0 * p),
                None => n.name.clone(),
            };
            let radius = self.marker_radius(n, s);
            let sizes: &[f64] = if city { &[16.0, 14.5, 13.0, 12.0] } else { &[13.5, 12.5] };
            // Each size next to the point, then (a city) standing off a little with a leader;
            // last, the smallest size further out.
            let last = sizes[sizes.len() - 1];
            let near = sizes.iter().enumerate().flat_map(|(k, &z)| {
                let off = city.then_some((k, z, 2));
                std::iter::once((k, z, 0)).chain(off)
            });
            let tries = near.chain(std::iter::once((sizes.len(), last, if city { 6 } else { 2 })));
            let mut done = false;
            for (k, size, rings) in tries {
                let font = if city { Font::bold(size * s) } else { Font::regular(size * s) };
                let dims = (c.text_width(&text, font), font.height());
                if let Some(placed) = placer.place(at, radius, dims, rings) {
                    let stand_off = placed.leader.map_or(0.0, |_| 3.0);
                    let this = if city { 2.0 * k as f64 + stand_off } else { 0.3 * k as f64 + stand_off / 3.0 };
                    cost += this;
                    labels.push(PlacedLabel { id: n.id.clone(), city, text: text.clone(), font, placed, cost: this });
                    done = true;
                    break;
                }
            }
            if !done {
                cost += if city { 100.0 } else { 1.0 };
            }
        }
        LabelPlan { cost, labels, placer }
    }

    /// Country names, in capitals, where one fits inside the country and clear of the rest.
    fn draw_country_names<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        proj: &Projection,
        area: Rect,
        g: &Ground,
        placer: &mut Placer,
    ) -> DrawResult<(), DB> {
        let font = c.font(14.0);
        let step = c.px(14.0);
        for country in &self.borders.countries {
            let rings: Vec<Vec<(f64, f64)>> = country
                .polygons
                .iter()
                .map(|p| clip_polygon(&p[0].iter().map(|q| proj.px(*q)).collect::<Vec<_>>(), area))
                .collect();
            let name = country.name.to_uppercase();
            let (w, h) = (c.text_width(&name, font), font.height());
            let inside = |r: Rect| {
                let corners =
                    [(r.x0, r.y0), (r.x1, r.y0), (r.x0, r.y1), (r.x1, r.y1), ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)];
                corners
                    .iter()
                    .all(|&(x, y)| rings.iter().any(|ring| point_in_polygon((f64::from(x), f64::from(y)), ring)))
            };
            // The free box deepest inside the country: nearest its visible centre, crossing
            // the fewest roads.
            let mut best: Option<(f64, Rect)> = None;
            for ring in &rings {
                if ring.len() < 3 {
                    continue;
                }
                let centre = centroid(ring);
                let (x0, x1) =
                    ring.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| (a.0.min(p.0), a.1.max(p.0)));
                let (y0, y1) =
                    ring.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| (a.0.min(p.1), a.1.max(p.1)));
                let mut y = y0;
                while y + f64::from(h) <= y1 {
                    let mut x = x0;
                    while x + f64::from(w) <= x1 {
                        let r = Rect::new(x as i32, y as i32, x as i32 + w, y as i32 + h);
                        if placer.free_for(r.grow(3), None) && inside(r) {
                            let d = ((x + f64::from(w) / 2.0 - centre.0).powi(2)
                                + (y + f64::from(h) / 2.0 - centre.1).powi(2))
                            .sqrt();
                            let score = d + 60.0 * placer.crossings(r) as f64;
                            if best.is_none_or(|b| score < b.0) {
                                best = Some((score, r));
                            }
                        }
                        x += step;
                    }
                    y += step;
                }
            }
            if let Some((_, r)) = best {
                placer.block(r.grow(3));
                c.text_in(&name, font, g.names, r)?;
            }
        }
        Ok(())
    }

    /// A scale bar of a round length, with its label, at `at` (top left).
    fn scale_bar<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        proj: &Projection,
        at: (i32, i32),
        body: Rect,
    ) -> DrawResult<(), DB> {
        let km_per_px = 111.32 / proj.scale;
        let room = f64::from((body.x1 - at.0).min(c.px(160.0) as i32));
        let Some(km) = [2000.0, 1000.0, 500.0, 200.0, 100.0, 50.0].into_iter().find(|km| km / km_per_px <= room * 0.7)
        else {
            return Ok(());
        };
        let len = km / km_per_px;
        let font = c.font(13.0);
        let y = f64::from(at.1) + c.px(4.0);
        let (x0, x1) = (f64::from(at.0) + c.px(4.0), f64::from(at.0) + c.px(4.0) + len);
        let ink = Stroke::solid(BLACK, (2.0 * c.scale).max(1.5));
        let tick = c.px(4.0);
        c.line(&[(x0, y - tick), (x0, y), (x1, y), (x1, y - tick)], &ink)?;
        let label = format!("{km:.0} km");
        let r = c.text_box(&label, font, (x1 as i32 + c.px(6.0) as i32, y as i32), Anchor::Left);
        if r.x1 <= c.width() - 2 && r.y1 <= body.y1 {
            c.text_in(&label, font, BLACK, r)?;
        }
        Ok(())
    }
}

/// The centroid of a polygon's area (its vertices' mean when it has no area).
fn centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..ring.len() {
        let (p, q) = (ring[i], ring[(i + 1) % ring.len()]);
        let cross = p.0 * q.1 - q.0 * p.1;
        a += cross;
        cx += (p.0 + q.0) * cross;
        cy += (p.1 + q.1) * cross;
    }
    if a.abs() < 1e-9 {
        let n = ring.len().max(1) as f64;
        return (ring.iter().map(|p| p.0).sum::<f64>() / n, ring.iter().map(|p| p.1).sum::<f64>() / n);
    }
    (cx / (3.0 * a), cy / (3.0 * a))
}

/// The square box of half-side `r` round a point.
fn square((x, y): (f64, f64), r: f64) -> Rect {
    let r = r.ceil() as i32 + 1;
    Rect::new(x as i32 - r, y as i32 - r, x as i32 + r, y as i32 + r)
}
