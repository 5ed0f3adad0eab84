//! Quantiles of many series (the stock of each demand node on each day) with memory that does
//! not grow with the number of runs: log-spaced bins, 128 per doubling (bin width 0.54 %,
//! so a quantile is within 0.27 % of the value it reports), plus each series' exact minimum and
//! maximum. Counts are integers, so merging is exact in any order.

/// Sub-bins per doubling.
const SUB: usize = 128;
/// Values at or above 2^OCTAVES go in the last bin (2^32 m³ is far beyond any stock).
const OCTAVES: usize = 32;
/// Bin 0 holds values below 1; bins 1.. cover [1, 2^OCTAVES).
pub const BINS: usize = 1 + OCTAVES * SUB;

fn bin_of(v: f64) -> usize {
    if v < 1.0 || v.is_nan() {
        return 0;
    }
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as usize - 1023;
    if exponent >= OCTAVES {
        return BINS - 1;
    }
    let sub = ((bits >> (52 - 7)) & (SUB as u64 - 1)) as usize;
    1 + exponent * SUB + sub
}

/// The middle of a bin.
fn bin_value(bin: usize) -> f64 {
    if bin == 0 {
        return 0.0;
    }
    let (exponent, sub) = ((bin - 1) / SUB, (bin - 1) % SUB);
    let low = (1u64 << exponent) as f64 * (1.0 + sub as f64 / SUB as f64);
    low * (1.0 + 0.5 / SUB as f64)
}

/// Blocks of `SUB` bins a series has at most: one per doubling, and one for bin 0.
const BLOCKS: usize = BINS.div_ceil(SUB) + 1;

/// The block and the place in it of a bin (bin 0 is the last place of block 0).
fn block_of(bin: usize) -> (usize, usize) {
    let b = bin + SUB - 1;
    (b / SUB, b % SUB)
}

/// One histogram per series. Bins come in blocks of one doubling each, allocated when a value
/// first falls there: a series' values across runs span a few doublings, so memory and the
/// cache lines a run touches follow the data, not the 4,097 bins of the full range.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Stored", into = "Stored")]
pub struct Histograms {
    /// Per series and block: 1 + its index in `pool` (0: no value there yet).
    blocks: Vec<u32>,
    /// The allocated blocks, `SUB` counts each, one after the other.
    pool: Vec<u32>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Histograms {
    pub fn new(series: usize) -> Histograms {
        Histograms {
            blocks: vec![0; series * BLOCKS],
            pool: Vec::new(),
            min: vec![f64::INFINITY; series],
            max: vec![f64::NEG_INFINITY; series],
        }
    }

    /// The counts of block `k` of `series`, allocated if needed.
    fn block_mut(&mut self, series: usize, k: usize) -> &mut [u32] {
        let start = (self.slot(series, k) as usize - 1) * SUB;
        &mut self.pool[start..start + SUB]
    }

    /// 1 + the index in `pool` of block `k` of `series`, allocated if needed.
    #[inline]
    fn slot(&mut self, series: usize, k: usize) -> u32 {
        let slot = &mut self.blocks[series * BLOCKS + k];
        if *slot == 0 {
            self.pool.resize(self.pool.len() + SUB, 0);
            *slot = (self.pool.len() / SUB) as u32;
        }
        *slot
    }

    /// The counts of block `k` of `series`, if any value fell there (none for a series it
    /// does not have, as in a partial file of another shape).
    fn block(&self, series: usize, k: usize) -> Option<&[u32]> {
        match self.blocks.get(series * BLOCKS + k).copied().unwrap_or(0) {
            0 => None,
            slot => {
                let start = (slot as usize - 1) * SUB;
                Some(&self.pool[start..start + SUB])
            }
        }
    }

    #[inline]
    pub fn add(&mut self, series: usize, v: f64) {
        let (k, j) = block_of(bin_of(v));
        self.block_mut(series, k)[j] += 1;
        self.min[series] = self.min[series].min(v);
        self.max[series] = self.max[series].max(v);
    }

    /// Adds `values[i]` to series `i` for every series, as many `add`s would, in two passes
    /// over chunks of series: the first finds each count's place in the pool (allocating
    /// blocks in series order, as `add` does) and updates the ranges, the second increments.
    /// The counts of hundreds of series are spread over megabytes and most increments miss the
    /// cache; in a loop that does nothing else the processor overlaps those misses.
    pub fn add_each(&mut self, values: &[f64]) {
        const CHUNK: usize = 64;
        let mut places = [0usize; CHUNK];
        for (c, chunk) in values.chunks(CHUNK).enumerate() {
            for (j, &v) in chunk.iter().enumerate() {
                let series = c * CHUNK + j;
                let (k, at) = block_of(bin_of(v));
                let slot = self.slot(series, k);
                places[j] = (slot as usize - 1) * SUB + at;
                self.min[series] = self.min[series].min(v);
                self.max[series] = self.max[series].max(v);
            }
            for &place in &places[..chunk.len()] {
                self.pool[place] += 1;
            }
        }
    }

    pub fn merge(&mut self, other: &Histograms) {
        for series in 0..self.min.len() {
            for k in 0..BLOCKS {
                if let Some(theirs) = other.block(series, k) {
                    for (a, b) in self.block_mut(series, k).iter_mut().zip(theirs) {
                        *a += b;
                    }
                }
            }
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
    }

    /// The counts of every bin of a series, in bin order (0 where nothing fell).
    fn counts(&self, series: usize) -> impl Iterator<Item = u32> + '_ {
        (0..BINS).map(move |bin| {
            let (k, j) = block_of(bin);
            self.block(series, k).map_or(0, |b| b[j])
        })
    }

    /// The nearest-rank `q`-quantile of a series (the value of rank ceil(q·n)): exact for the
    /// lowest and highest rank, otherwise the middle of its bin clamped to the series' range;
    /// `None` for an empty series.
    pub fn quantile(&self, series: usize, q: f64) -> Option<f64> {
        let n: u64 = (0..BLOCKS).filter_map(|k| self.block(series, k)).flatten().map(|&c| u64::from(c)).sum();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let (lo, hi) = (self.min[series], self.max[series]);
        if rank == 1 || rank == n {
            return Some(if rank == n { hi } else { lo });
        }
        let bin = self.bin_of_rank(series, rank).unwrap_or(BINS - 1);
        let v = if bin == 0 { lo.max(0.0).min(hi) } else { bin_value(bin) };
        Some(v.clamp(lo, hi))
    }

    /// The first bin, in bin order, at which the running count of `series` reaches `rank`:
    /// over the blocks values fell in (a few of the 34), not the 4,097 bins.
    fn bin_of_rank(&self, series: usize, rank: u64) -> Option<usize> {
        let mut seen = 0u64;
        for k in 0..BLOCKS {
            let Some(counts) = self.block(series, k) else { continue };
            // Block 0 holds bin 0 alone, at its last place (see `block_of`).
            let first = if k == 0 { SUB - 1 } else { 0 };
            for (j, &c) in counts.iter().enumerate().skip(first) {
                seen += u64::from(c);
                if seen >= rank {
                    let bin = k * SUB + j + 1 - SUB;
                    return (bin < BINS).then_some(bin);
                }
            }
        }
        None
    }
}

/// Equal when every series has the same counts and range, however the blocks were laid out.
impl PartialEq for Histograms {
    fn eq(&self, other: &Histograms) -> bool {
        self.min == other.min
            && self.max == other.max
            && (0..self.min.len()).all(|s| self.counts(s).eq(other.counts(s)))
    }
}

/// Histograms as a shard's partial file stores them: written with their blocks in series
/// order, read back unchecked.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    blocks: Vec<u32>,
    pool: Vec<u32>,
    min: Vec<f64>,
    max: Vec<f64>,
}

/// The blocks are laid out in the pool in the order values first fell in them, which on
/// several threads depends on how runs were shared out; they are written in series order, so
/// that a partial file is the same bytes for any thread count (the counts always were).
impl From<Histograms> for Stored {
    fn from(h: Histograms) -> Stored {
        let mut pool = Vec::with_capacity(h.pool.len());
        let blocks = h
            .blocks
            .iter()
            .map(|&slot| match slot {
                0 => 0,
                slot => {
                    let start = (slot as usize - 1) * SUB;
                    pool.extend_from_slice(&h.pool[start..start + SUB]);
                    (pool.len() / SUB) as u32
                }
            })
            .collect();
        Stored { blocks, pool, min: h.min, max: h.max }
    }
}

impl TryFrom<Stored> for Histograms {
    type Error = String;

    /// Refuses blocks that point past the pool, so that a damaged file cannot panic a merge.
    fn try_from(u: Stored) -> Result<Histograms, String> {
        let (series, slots) = (u.min.len(), u.pool.len() / SUB);
        let fits = u.max.len() == series
            && u.blocks.len() == series * BLOCKS
            && u.pool.len().is_multiple_of(SUB)
            && u.blocks.iter().all(|&b| b as usize <= slots);
        if !fits {
            return Err("histograms whose blocks do not fit their counts".into());
        }
        Ok(Histograms { blocks: u.blocks, pool: u.pool, min: u.min, max: u.max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_ordered_and_narrow() {
        let mut last = 0;
        for i in 0..10_000 {
            let v = 1.0 + i as f64 * 37.3;
            let b = bin_of(v);
            assert!(b >= last);
            last = b;
            let rel = (bin_value(b) - v).abs() / v;
            assert!(rel <= 0.5 / SUB as f64 + 1e-12, "{v}: {rel}");
        }
        assert_eq!(bin_of(0.0), 0);
        assert_eq!(bin_of(0.99), 0);
        assert_eq!(bin_of(1e30), BINS - 1);
    }

    #[test]
    fn quantiles_of_a_known_sample() {
        let mut h = Histograms::new(2);
        for i in 1..=1000 {
            h.add(1, i as f64 * 10.0);
        }
        assert_eq!(h.quantile(0, 0.5), None);
        for (q, exact) in [(0.05, 500.0), (0.5, 5000.0), (0.95, 9500.0)] {
            let v = h.quantile(1, q).unwrap();
            assert!((v - exact).abs() / exact < 0.006, "q{q}: {v}");
        }
        assert_eq!(h.quantile(1, 0.0), Some(10.0), "clamped to the minimum");
        assert_eq!(h.quantile(1, 1.0), Some(10_000.0), "clamped to the maximum");
    }

    #[test]
    fn a_constant_series_reports_its_exact_value_and_zero_is_zero() {
        let mut h = Histograms::new(1);
        (0..7).for_each(|_| h.add(0, 12_345.678));
        assert_eq!(h.quantile(0, 0.25), Some(12_345.678));
        let mut z = Histograms::new(1);
        (0..3).for_each(|_| z.add(0, 0.0));
        z.add(0, 500.0);
        assert_eq!(z.quantile(0, 0.5), Some(0.0));
    }

    #[test]
    fn adding_every_series_at_once_is_adding_each_with_the_same_layout() {
        let series = 150;
        let (mut one, mut each) = (Histograms::new(series), Histograms::new(series));
        for run in 0..40 {
            let values: Vec<f64> = (0..series).map(|s| ((s * 7919 + run * 104_729) % 50_000) as f64 * 0.37).collect();
            for (s, &v) in values.iter().enumerate() {
                one.add(s, v);
            }
            each.add_each(&values);
        }
        assert_eq!(each, one);
        assert_eq!((each.blocks, each.pool), (one.blocks, one.pool), "blocks allocated in the same order");
    }

    #[test]
    fn stored_bytes_do_not_depend_on_the_order_values_came_in() {
        let values: Vec<(usize, f64)> = (0..400).map(|i| (i % 7, ((i * 7919) % 3000) as f64 * 1.7 + 0.2)).collect();
        let (mut forward, mut backward) = (Histograms::new(7), Histograms::new(7));
        values.iter().for_each(|&(s, v)| forward.add(s, v));
        values.iter().rev().for_each(|&(s, v)| backward.add(s, v));
        assert_ne!(forward.blocks, backward.blocks, "the layouts differ in memory");
        let bytes = |h: &Histograms| {
            let mut out = Vec::new();
            ciborium::into_writer(h, &mut out).unwrap();
            out
        };
        assert_eq!(bytes(&forward), bytes(&backward));
        let back: Histograms = ciborium::from_reader(bytes(&backward).as_slice()).unwrap();
        assert_eq!(back, forward);
    }

    #[test]
    fn ranks_are_found_over_the_blocks_as_over_every_bin() {
        let mut h = Histograms::new(3);
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for i in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Values from 0 (bin 0) over many doublings, and one beyond the last bin.
            let v = if i % 50 == 0 { 0.0 } else { (x >> 20) as f64 / (1u64 << 44) as f64 * 1e6 };
            h.add(i % 3, if i == 4999 { 1e30 } else { v });
        }
        for series in 0..3 {
            let n: u64 = h.counts(series).map(u64::from).sum();
            for rank in 1..=n {
                let mut seen = 0u64;
                let every_bin = h.counts(series).position(|c| {
                    seen += u64::from(c);
                    seen >= rank
                });
                assert_eq!(h.bin_of_rank(series, rank), every_bin, "series {series}, rank {rank}");
            }
        }
    }

    #[test]
    fn merge_equals_adding_everything_to_one() {
        let (mut a, mut b, mut all) = (Histograms::new(1), Histograms::new(1), Histograms::new(1));
        for i in 0..100 {
            let v = (i * i) as f64;
            if i % 3 == 0 {
                a.add(0, v)
            } else {
                b.add(0, v)
            }
            all.add(0, v);
        }
        b.merge(&a);
        assert_eq!(b, all);
    }

    #[test]
    fn stored_histograms_read_back_the_same_and_bad_layouts_are_refused() {
        let mut h = Histograms::new(3);
        for (series, v) in [(2, 5000.0), (0, 0.5), (2, 3.0), (1, 1e6), (2, 5001.0)] {
            h.add(series, v);
        }
        let mut bytes = Vec::new();
        ciborium::into_writer(&h, &mut bytes).unwrap();
        let back: Histograms = ciborium::from_reader(bytes.as_slice()).unwrap();
        assert_eq!(back, h);
        let mut bad = Stored::from(h.clone());
        bad.blocks[0] = 99;
        bytes.clear();
        ciborium::into_writer(&bad, &mut bytes).unwrap();
        assert!(ciborium::from_reader::<Histograms, _>(bytes.as_slice()).is_err());
        let mut shorter = Histograms::new(1);
        shorter.merge(&Histograms::new(0));
        assert_eq!(shorter, Histograms::new(1), "a histogram of another shape adds nothing and does not panic");
    }
}
