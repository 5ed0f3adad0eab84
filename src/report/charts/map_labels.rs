//! Placing the map's labels so that none overlaps another, a marker or the frame: around each
//! point, positions at increasing distance (beyond the first ring with a leader line back to
//! the point), scored by how many roads the label would cover, nearest first.

use super::geometry::{Rect, segment_hits_rect};

/// Boxes already taken, the roads to avoid covering, and the frame labels stay in.
#[derive(Debug, Clone)]
pub struct Placer {
    frame: Rect,
    taken: Vec<Rect>,
    roads: Vec<[(f64, f64); 2]>,
    /// Every labelled point: a label next to its point must be nearer to it than to any other.
    points: Vec<(f64, f64)>,
}

/// A label's place: its box and, when it stands off, the leader from the point to the box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub rect: Rect,
    pub leader: Option<[(f64, f64); 2]>,
}

impl Placer {
    pub fn new(frame: Rect) -> Placer {
        Placer { frame, taken: Vec::new(), roads: Vec::new(), points: Vec::new() }
    }

    /// Marks a box as taken (a marker, a label).
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// A point that has a label.
    pub fn point(&mut self, p: (f64, f64)) {
        self.points.push(p);
    }

    /// Whether box `r` is nearer to `p` than to every other labelled point (so that it reads
    /// as `p`'s label without a leader).
    fn nearest_to(&self, p: (f64, f64), r: Rect) -> bool {
        let own = distance(p, r);
        self.points.iter().filter(|q| (q.0 - p.0).abs() + (q.1 - p.1).abs() > 0.5).all(|&q| distance(q, r) > own + 1.0)
    }

    /// A road segment labels should rather not cover.
    pub fn road(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.roads.push([a, b]);
    }

    /// Whether a box is inside the frame and free.
    pub fn free(&self, r: Rect) -> bool {
        self.frame.contains(r) && !self.taken.iter().any(|t| t.overlaps(r))
    }

    /// How many roads a box covers.
    pub fn crossings(&self, r: Rect) -> usize {
        self.roads.iter().filter(|s| segment_hits_rect(s[0], s[1], r)).count()
    }

    /// The best free place for a box of `size` next to point `p` (outside a radius `r`),
    /// looking up to `rings` rings out; the place is then taken.
    pub fn place(&mut self, p: (f64, f64), r: f64, size: (i32, i32), rings: usize) -> Option<Placed> {
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        let mut best: Option<(f64, Placed)> = None;
        for ring in 0..=rings {
            let d = r + 3.0 + ring as f64 * (h + 6.0);
            let diag = d * std::f64::consts::FRAC_1_SQRT_2;
            // Top-left corners: right, left, above, below, then the diagonals.
            let spots = [
                (p.0 + d, p.1 - h / 2.0),
                (p.0 - d - w, p.1 - h / 2.0),
                (p.0 - w / 2.0, p.1 - d - h),
                (p.0 - w / 2.0, p.1 + d),
                (p.0 + diag, p.1 - diag - h),
                (p.0 + diag, p.1 + diag),
                (p.0 - diag - w, p.1 - diag - h),
                (p.0 - diag - w, p.1 + diag),
            ];
            for (k, (x, y)) in spots.into_iter().enumerate() {
                let rect =
                    Rect::new(x.round() as i32, y.round() as i32, (x + w).round() as i32, (y + h).round() as i32);
                if !self.free(rect) || (ring == 0 && !self.nearest_to(p, rect)) {
                    continue;
                }
                let score = 3.0 * self.crossings(rect) as f64 + 4.0 * ring as f64 + 0.1 * k as f64;
                if best.as_ref().is_none_or(|b| score < b.0) {
                    let leader = (ring > 0).then(|| [edge(p, r, rect), nearest(p, rect)]);
                    best = Some((score, Placed { rect, leader }));
                }
            }
            // A free place in the first ring that covers no road cannot be beaten.
            if best.as_ref().is_some_and(|b| b.0 < 1.0) {
                break;
            }
        }
        let placed = best?.1;
        self.taken.push(placed.rect);
        Some(placed)
    }
}

/// The distance from `p` to box `r` (0 inside).
fn distance(p: (f64, f64), r: Rect) -> f64 {
    let q = nearest(p, r);
    ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt()
}

/// The point of box `r` nearest to `p`.
fn nearest(p: (f64, f64), r: Rect) -> (f64, f64) {
    (p.0.clamp(f64::from(r.x0), f64::from(r.x1)), p.1.clamp(f64::from(r.y0), f64::from(r.y1)))
}

/// Where a leader from `p` towards box `r` leaves the circle of radius `radius` round `p`.
fn edge(p: (f64, f64), radius: f64, r: Rect) -> (f64, f64) {
    let q = nearest(p, r);
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    (p.0 + dx / len * radius, p.1 + dy / len * radius)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_avoid_what_is_taken_and_stay_in_the_frame() {
        let mut p = Placer::new(Rect::new(0, 0, 200, 100));
        let a = p.place((100.0, 50.0), 5.0, (40, 10), 3).unwrap();
        assert_eq!(a.rect.x0, 108, "first choice: to the right");
        assert!(a.leader.is_none());
        let b = p.place((100.0, 50.0), 5.0, (40, 10), 3).unwrap();
        assert!(!b.rect.overlaps(a.rect));
        // Near the right edge, the label goes left.
        let c = p.place((195.0, 20.0), 3.0, (40, 10), 3).unwrap();
        assert!(c.rect.x1 <= 195);
        // A road to the right pushes the label elsewhere.
        let mut q = Placer::new(Rect::new(0, 0, 200, 100));
        q.road((110.0, 40.0), (110.0, 60.0));
        assert!(q.place((100.0, 50.0), 5.0, (40, 10), 2).unwrap().rect.x1 < 100);
        // A label next to its point is nearer to it than to any other point.
        let mut r = Placer::new(Rect::new(0, 0, 200, 100));
        r.point((100.0, 50.0));
        r.point((125.0, 50.0));
        let placed = r.place((100.0, 50.0), 5.0, (40, 10), 0).unwrap();
        assert!(placed.rect.x1 <= 100, "not to the right, by the other point: {placed:?}");
        // No room at all: none.
        let mut tight = Placer::new(Rect::new(0, 0, 30, 30));
        assert!(tight.place((15.0, 15.0), 5.0, (40, 10), 2).is_none());
    }
}
