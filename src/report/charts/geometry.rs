//! Plane geometry in pixels for laying charts out: boxes, whether a box meets a line or an
//! area, dash patterns along a polyline, hatching lines inside a polygon, clipping to a box.

/// A box in pixels: x0 ≤ x < x1, y0 ≤ y < y1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    pub fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    pub fn width(self) -> i32 {
        self.x1 - self.x0
    }

    pub fn height(self) -> i32 {
        self.y1 - self.y0
    }

    pub fn overlaps(self, o: Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn contains(self, o: Rect) -> bool {
        o.x0 >= self.x0 && o.y0 >= self.y0 && o.x1 <= self.x1 && o.y1 <= self.y1
    }

    /// The box grown by `d` pixels on every side (shrunk when negative).
    pub fn grow(self, d: i32) -> Rect {
        Rect::new(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)
    }

    pub fn moved(self, dx: i32, dy: i32) -> Rect {
        Rect::new(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)
    }

    fn contains_point(self, (x, y): (f64, f64)) -> bool {
        x >= f64::from(self.x0) && x <= f64::from(self.x1) && y >= f64::from(self.y0) && y <= f64::from(self.y1)
    }
}

/// Whether the segment a–b meets the box.
pub fn segment_hits_rect(a: (f64, f64), b: (f64, f64), r: Rect) -> bool {
    clip_segment(a, b, r).is_some()
}

/// The part of segment a–b inside the box (Liang–Barsky), if any.
pub fn clip_segment(a: (f64, f64), b: (f64, f64), r: Rect) -> Option<[(f64, f64); 2]> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let checks = [
        (-dx, a.0 - f64::from(r.x0)),
        (dx, f64::from(r.x1) - a.0),
        (-dy, a.1 - f64::from(r.y0)),
        (dy, f64::from(r.y1) - a.1),
    ];
    for (p, q) in checks {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some([(a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)])
}

/// A polyline cut to the box: the pieces inside it.
pub fn clip_polyline(points: &[(f64, f64)], r: Rect) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], r) {
            Some([p, q]) => {
                if current.last().is_none_or(|l| (l.0 - p.0).abs() > 1e-9 || (l.1 - p.1).abs() > 1e-9) {
                    if current.len() >= 2 {
                        out.push(std::mem::take(&mut current));
                    }
                    current = vec![p];
                }
                current.push(q);
            }
            None => {
                if current.len() >= 2 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        out.push(current);
    }
    out
}

/// A polygon cut to the box (Sutherland–Hodgman).
pub fn clip_polygon(points: &[(f64, f64)], r: Rect) -> Vec<(f64, f64)> {
    let (x0, y0, x1, y1) = (f64::from(r.x0), f64::from(r.y0), f64::from(r.x1), f64::from(r.y1));
    let mut poly = points.to_vec();
    type Inside = fn((f64, f64), f64) -> bool;
    let edges: [(Inside, bool, f64); 4] = [
        (|p, v| p.0 >= v, true, x0),
        (|p, v| p.0 <= v, true, x1),
        (|p, v| p.1 >= v, false, y0),
        (|p, v| p.1 <= v, false, y1),
    ];
    for (inside, vertical, v) in edges {
        if poly.is_empty() {
            break;
        }
        let input = std::mem::take(&mut poly);
        for i in 0..input.len() {
            let (cur, prev) = (input[i], input[(i + input.len() - 1) % input.len()]);
            let cross = |a: (f64, f64), b: (f64, f64)| {
                if vertical {
                    let t = (v - a.0) / (b.0 - a.0);
                    (v, a.1 + t * (b.1 - a.1))
                } else {
                    let t = (v - a.1) / (b.1 - a.1);
                    (a.0 + t * (b.0 - a.0), v)
                }
            };
            match (inside(cur, v), inside(prev, v)) {
                (true, true) => poly.push(cur),
                (true, false) => {
                    poly.push(cross(prev, cur));
                    poly.push(cur);
                }
                (false, true) => poly.push(cross(prev, cur)),
                (false, false) => {}
            }
        }
    }
    poly
}

/// Whether the point is inside the polygon (even–odd rule).
pub fn point_in_polygon((x, y): (f64, f64), poly: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + n - 1) % n]);
        if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0) {
            inside = !inside;
        }
    }
    inside
}

/// Whether a filled polygon meets the box.
pub fn polygon_hits_rect(poly: &[(f64, f64)], r: Rect) -> bool {
    if poly.is_empty() {
        return false;
    }
    let centre = ((f64::from(r.x0) + f64::from(r.x1)) / 2.0, (f64::from(r.y0) + f64::from(r.y1)) / 2.0);
    poly.iter().any(|&p| r.contains_point(p))
        || point_in_polygon(centre, poly)
        || (0..poly.len()).any(|i| segment_hits_rect(poly[i], poly[(i + 1) % poly.len()], r))
}

/// The pieces of a polyline that a dash pattern (on, off, on, off…) draws; the whole line when
/// the pattern is empty.
pub fn dashes(points: &[(f64, f64)], pattern: &[f64]) -> Vec<Vec<(f64, f64)>> {
    if pattern.len() < 2 || pattern.iter().any(|d| *d <= 0.0) {
        return vec![points.to_vec()];
    }
    let mut out = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let (mut k, mut left) = (0usize, pattern[0]);
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut at = 0.0;
        if k % 2 == 0 && current.is_empty() {
            current.push(a);
        }
        while len - at > left {
            at += left;
            let t = at / len;
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            if k % 2 == 0 {
                current.push(p);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![p];
            }
            k = (k + 1) % pattern.len();
            left = pattern[k];
        }
        left -= len - at;
        if k % 2 == 0 {
            current.push(b);
        }
    }
    if current.len() >= 2 {
        out.push(current);
    }
    out
}

/// Diagonal hatching lines inside a polygon, `spacing` pixels apart.
pub fn hatch_lines(poly: &[(f64, f64)], spacing: f64, rising: bool) -> Vec<[(f64, f64); 2]> {
    if poly.len() < 3 || spacing <= 0.0 {
        return Vec::new();
    }
    // Lines u = x + y (rising, in screen coordinates where y grows down) or u = x − y.
    let u = |p: (f64, f64)| if rising { p.0 + p.1 } else { p.0 - p.1 };
    let (lo, hi) = poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &p| (a.min(u(p)), b.max(u(p))));
    let mut out = Vec::new();
    let mut c = (lo / spacing).ceil() * spacing;
    while c <= hi {
        let mut xs: Vec<f64> = Vec::new();
        for i in 0..poly.len() {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            let (ua, ub) = (u(a), u(b));
            if (ua < c) != (ub < c) {
                let t = (c - ua) / (ub - ua);
                xs.push(a.0 + t * (b.0 - a.0));
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let y = |x: f64| if rising { c - x } else { x - c };
            out.push([(pair[0], y(pair[0])), (pair[1], y(pair[1]))]);
        }
        c += spacing;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_meet_segments_and_areas() {
        let r = Rect::new(10, 10, 20, 20);
        assert!(segment_hits_rect((0.0, 15.0), (30.0, 15.0), r));
        assert!(!segment_hits_rect((0.0, 0.0), (30.0, 5.0), r));
        assert!(segment_hits_rect((12.0, 12.0), (13.0, 13.0), r), "inside counts");
        let big = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)];
        assert!(polygon_hits_rect(&big, r), "a box inside an area meets it");
        assert!(!polygon_hits_rect(&[(30.0, 30.0), (40.0, 30.0), (40.0, 40.0)], r));
    }

    #[test]
    fn dash_patterns_cut_a_line() {
        let pieces = dashes(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)], &[4.0, 2.0]);
        let starts: Vec<f64> = pieces.iter().map(|p| p[0].0).collect();
        assert_eq!(starts, [0.0, 6.0, 12.0, 18.0]);
        assert_eq!(pieces[1].len(), 3, "a dash runs on across a vertex: {pieces:?}");
        assert_eq!(dashes(&[(0.0, 0.0), (5.0, 5.0)], &[]).len(), 1);
    }

    #[test]
    fn hatching_stays_inside() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let lines = hatch_lines(&square, 2.0, true);
        assert!(lines.len() >= 9);
        for l in &lines {
            for p in l {
                assert!((-1e-9..=10.0 + 1e-9).contains(&p.0) && (-1e-9..=10.0 + 1e-9).contains(&p.1), "{p:?}");
            }
        }
    }

    #[test]
    fn clipping_keeps_the_inside() {
        let r = Rect::new(0, 0, 10, 10);
        let pieces = clip_polyline(&[(-5.0, 5.0), (5.0, 5.0), (15.0, 5.0)], r);
        assert_eq!(pieces, vec![vec![(0.0, 5.0), (5.0, 5.0), (10.0, 5.0)]]);
        let poly = clip_polygon(&[(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)], r);
        assert!(poly.iter().all(|p| p.0 >= 0.0 && p.1 >= 0.0));
        assert!(point_in_polygon((2.0, 2.0), &poly));
    }
}
