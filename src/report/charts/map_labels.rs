//! Placing the map's labels so that none overlaps another, a marker or the frame: around each
//! point, positions at increasing distance (beyond the first ring with a leader line back to
//! the point), scored by how many roads the label would cover, nearest first.

use super::geometry::{Rect, segment_hits_rect};
use super::spatial::Buckets;

/// Boxes already taken, the roads to avoid covering, and the frame labels stay in.
#[derive(Debug, Clone)]
pub struct Placer {
    frame: Rect,
    taken: Vec<Rect>,
    /// Markers, as circles (centre, radius): a label may not touch one, its own excepted.
    markers: Vec<((f64, f64), f64)>,
    roads: Vec<[(f64, f64); 2]>,
    /// Every labelled point and the radius of its marker: a label must be nearer to its own
    /// marker than to any other.
    points: Vec<((f64, f64), f64)>,
    /// The largest radius in `points`.
    max_point_radius: f64,
    /// Where each of `taken`, `markers`, `roads` and `points` is, so that a candidate box is
    /// tested against its neighbours only.
    near: Near,
}

/// The spatial indexes of a [`Placer`]'s items.
#[derive(Debug, Clone)]
struct Near {
    taken: Buckets,
    markers: Buckets,
    roads: Buckets,
    points: Buckets,
}

/// A label's place: its box and, when it stands off, the leader from the point to the box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub rect: Rect,
    pub leader: Option<[(f64, f64); 2]>,
}

impl Placer {
    pub fn new(frame: Rect) -> Placer {
        let near = Near {
            taken: Buckets::new(frame),
            markers: Buckets::new(frame),
            roads: Buckets::new(frame),
            points: Buckets::new(frame),
        };
        Placer {
            frame,
            taken: Vec::new(),
            markers: Vec::new(),
            roads: Vec::new(),
            points: Vec::new(),
            max_point_radius: 0.0,
            near,
        }
    }

    /// Marks a box as taken (a marker, a label).
    pub fn block(&mut self, r: Rect) {
        self.near.taken.insert((f64::from(r.x0), f64::from(r.y0)), (f64::from(r.x1), f64::from(r.y1)));
        self.taken.push(r);
    }

    /// A marker (a disc, a cross) no label may touch, but its own.
    pub fn marker(&mut self, centre: (f64, f64), radius: f64) {
        let reach = radius + 1.0;
        self.near.markers.insert((centre.0 - reach, centre.1 - reach), (centre.0 + reach, centre.1 + reach));
        self.markers.push((centre, radius));
    }

    /// Whether box `r` is free for the label of the point at `own` (if any): in the frame,
    /// clear of every box taken and of every marker but the one at `own`.
    pub fn free_for(&self, r: Rect, own: Option<(f64, f64)>) -> bool {
        let others = |c: &(f64, f64)| own.is_none_or(|o| (c.0 - o.0).abs() + (c.1 - o.1).abs() > 0.5);
        self.free(r)
            && self
                .near
                .markers
                .near_rect(r)
                .into_iter()
                .map(|i| self.markers[i as usize])
                .filter(|(c, _)| others(c))
                .all(|(c, radius)| {
                    let q = nearest(c, r);
                    ((q.0 - c.0).powi(2) + (q.1 - c.1).powi(2)).sqrt() > radius + 1.0
                })
    }

    /// A point that has a label, with the radius of its marker.
    pub fn point(&mut self, p: (f64, f64), radius: f64) {
        self.near.points.insert(p, p);
        self.max_point_radius = self.max_point_radius.max(radius);
        self.points.push((p, radius));
    }

    /// Whether box `r`, where it comes nearest to `p` (its anchor), is nearer to `p`'s marker
    /// (of radius `radius`) than to every other marker, so that it reads as `p`'s label.
    fn nearest_to(&self, p: (f64, f64), radius: f64, r: Rect) -> bool {
        let a = nearest(p, r);
        let gap = |q: (f64, f64), rq: f64| ((q.0 - a.0).powi(2) + (q.1 - a.1).powi(2)).sqrt() - rq;
        let own = gap(p, radius);
        // Only a point within own + 1 + its radius of the anchor can be as near.
        let reach = own + 2.0 + self.max_point_radius;
        self.near
            .points
            .near((a.0 - reach, a.1 - reach), (a.0 + reach, a.1 + reach))
            .into_iter()
            .map(|i| self.points[i as usize])
            .filter(|(q, _)| (q.0 - p.0).abs() + (q.1 - p.1).abs() > 0.5)
            .all(|(q, rq)| gap(q, rq) > own + 1.0)
    }

    /// A road segment labels should rather not cover.
    pub fn road(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.near.roads.insert((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)));
        self.roads.push([a, b]);
    }

    /// Whether a box is inside the frame and free.
    pub fn free(&self, r: Rect) -> bool {
        self.frame.contains(r) && !self.near.taken.near_rect(r).into_iter().any(|i| self.taken[i as usize].overlaps(r))
    }

    /// How many roads a box covers.
    pub fn crossings(&self, r: Rect) -> usize {
        let roads = self.near.roads.near_rect(r).into_iter().map(|i| self.roads[i as usize]);
        roads.filter(|s| segment_hits_rect(s[0], s[1], r)).count()
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
                // Near the point (up to two rings out) a label must read as the point's;
                // further out only its leader tells.
                if !self.free_for(rect, Some(p)) || (ring <= 2 && !self.nearest_to(p, r, rect)) {
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
        self.block(placed.rect);
        Some(placed)
    }
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
    fn labels_avoid_what_is_taken_stay_in_the_frame_and_stand_by_their_own_point() {
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
        // Where a label comes nearest its point (its anchor), it is nearer to that point's
        // marker than to any other (a "Koutiala" label stood by the Bamako disc): here not
        // above, by the big disc up there, nor to the right, on the small marker.
        let mut r = Placer::new(Rect::new(0, 0, 200, 100));
        r.point((100.0, 50.0), 5.0);
        r.point((100.0, 22.0), 15.0);
        r.point((120.0, 50.0), 3.0);
        r.marker((120.0, 50.0), 3.0);
        let placed = r.place((100.0, 50.0), 5.0, (40, 10), 0).unwrap();
        assert!(placed.rect.y0 >= 50 || placed.rect.x1 <= 100, "{placed:?}");
        assert!(placed.rect.x1 <= 100, "left of the point: {placed:?}");
        // No room at all: none.
        let mut tight = Placer::new(Rect::new(0, 0, 30, 30));
        assert!(tight.place((15.0, 15.0), 5.0, (40, 10), 2).is_none());
    }
}
