//! A uniform grid of buckets over a chart's frame, so that the map's label placer asks only
//! about the boxes, markers and roads near a candidate label instead of every one on the map:
//! with a 100,000-node network the placer made billions of box tests (quadratic), with the
//! grid a few per label. It answers "which items may meet this box": a superset, every item
//! whose bounding box meets it; the caller applies its exact test, so results are the same as
//! a search through every item.

use super::geometry::Rect;

/// Buckets of item indices, one per `CELL` × `CELL` pixels of the frame; items beyond the
/// frame fall in its border cells.
#[derive(Debug, Clone)]
pub struct Buckets {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
    len: usize,
}

/// Cell size in pixels: about a short label's height, so a label spans a few cells.
const CELL: f64 = 32.0;

impl Buckets {
    pub fn new(frame: Rect) -> Buckets {
        let nx = (f64::from(frame.width().max(1)) / CELL).ceil() as usize;
        let ny = (f64::from(frame.height().max(1)) / CELL).ceil() as usize;
        Buckets { x0: f64::from(frame.x0), y0: f64::from(frame.y0), nx, ny, cells: vec![Vec::new(); nx * ny], len: 0 }
    }

    /// The cells a box (x0, y0)–(x1, y1) meets, clamped to the grid: (columns, rows).
    fn span(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
    ) -> (std::ops::RangeInclusive<usize>, std::ops::RangeInclusive<usize>) {
        let cell = |v: f64, origin: f64, n: usize| (((v - origin) / CELL).floor().max(0.0) as usize).min(n - 1);
        let (cx0, cx1) = (cell(x0.min(x1), self.x0, self.nx), cell(x0.max(x1), self.x0, self.nx));
        let (cy0, cy1) = (cell(y0.min(y1), self.y0, self.ny), cell(y0.max(y1), self.y0, self.ny));
        (cx0..=cx1, cy0..=cy1)
    }

    /// Adds the next item (its index is the number added before it), with its bounding box.
    pub fn insert(&mut self, min: (f64, f64), max: (f64, f64)) {
        let (xs, ys) = self.span(min, max);
        let id = self.len as u32;
        for y in ys {
            for x in xs.clone() {
                self.cells[y * self.nx + x].push(id);
            }
        }
        self.len += 1;
    }

    /// The items whose cells meet the box (x0, y0)–(x1, y1), each once, in increasing order.
    pub fn near(&self, min: (f64, f64), max: (f64, f64)) -> Vec<u32> {
        let (xs, ys) = self.span(min, max);
        let mut out = Vec::new();
        for y in ys {
            for x in xs.clone() {
                out.extend_from_slice(&self.cells[y * self.nx + x]);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// [`Buckets::near`] for a pixel box.
    pub fn near_rect(&self, r: Rect) -> Vec<u32> {
        self.near((f64::from(r.x0), f64::from(r.y0)), (f64::from(r.x1), f64::from(r.y1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_finds_every_item_whose_box_meets_the_query_even_beyond_the_frame() {
        let mut b = Buckets::new(Rect::new(0, 0, 200, 100));
        b.insert((10.0, 10.0), (20.0, 20.0)); // 0
        b.insert((150.0, 60.0), (199.0, 99.0)); // 1: up to the far corner
        b.insert((-50.0, -50.0), (-40.0, -40.0)); // 2: beyond the frame, in the corner cell
        b.insert((0.0, 0.0), (199.0, 99.0)); // 3: everywhere
        assert_eq!(b.len, 4);
        assert_eq!(b.near((12.0, 12.0), (14.0, 14.0)), vec![0, 2, 3]);
        assert_eq!(b.near_rect(Rect::new(160, 70, 170, 80)), vec![1, 3]);
        assert_eq!(b.near((500.0, 500.0), (600.0, 600.0)), vec![1, 3], "beyond the frame: the border cell");
    }
}
