//! Random streams. Every draw of run i comes from a stream derived from (seed, i) and from what
//! it is for: each convoy has its own movement stream and each (convoy, blockade) encounter its
//! own attack stream, keyed by names rather than positions. So results do not depend on thread
//! count or scheduling, and adding a blockade or a supply stream does not shift the draws of
//! the others (common random numbers across scenarios).

use rand::TryRng;
use rand::rand_core::utils::fill_bytes_via_next_word;
use std::convert::Infallible;

/// The generator behind every stream: xoshiro256++ (Blackman and Vigna), fast, small state,
/// and portable (same output everywhere). Written out here rather than taken from
/// `rand_xoshiro` so that a stream is seeded from its four words directly (that crate's
/// seeding goes through bytes, and a run seeds a stream for every convoy and every possible
/// attack); its sequences are those of `rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64`
/// (tested).
#[derive(Debug, Clone)]
pub struct Stream {
    s: [u64; 4],
}

impl Stream {
    #[inline(always)]
    fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

impl TryRng for Stream {
    type Error = Infallible;

    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next() >> 32) as u32)
    }

    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        fill_bytes_via_next_word(dest, || self.try_next_u64())
    }
}

/// The increment of SplitMix64, which seeds a stream from its key.
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The finaliser of SplitMix64: a bijective 64-bit mix with full avalanche.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines a key with one more component, order-sensitively.
#[inline(always)]
pub fn derive(key: u64, part: u64) -> u64 {
    derive_part(key, Part::new(part))
}

/// A component of keys, mixed once for the many keys it is combined with (a blockade's name
/// with every convoy that meets it): `derive_part(key, Part::new(p))` is `derive(key, p)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part(u64);

impl Part {
    #[inline(always)]
    pub fn new(part: u64) -> Part {
        Part(mix64(part.wrapping_add(0x632b_e59b_d9b4_e019)))
    }
}

/// [`derive`] with a component mixed beforehand.
#[inline(always)]
pub fn derive_part(key: u64, part: Part) -> u64 {
    mix64(key.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ part.0)
}

/// A stable 64-bit key of a name (FNV-1a, then mixed); stable across Rust versions, unlike
/// the standard library's hasher.
pub fn name_key(name: &str) -> u64 {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    mix64(h)
}

/// The key of run `run` under `seed`: the root of all of that run's streams.
pub fn run_key(seed: u64, run: u64) -> u64 {
    derive(derive(0x636f_7272_6964_6f72, seed), run)
}

/// A generator for the stream with this key: its state is the first four outputs of
/// SplitMix64 started at the key (as `seed_from_u64` makes it; SplitMix64's output is `mix64`
/// of its state, a bijection, so the four words are never all zero).
#[inline(always)]
pub fn stream(key: u64) -> Stream {
    Stream { s: [word(key, 1), word(key, 2), word(key, 3), word(key, 4)] }
}

/// Word `i` (from 1) of the state of the stream with key `key`: SplitMix64's i-th output.
#[inline(always)]
fn word(key: u64, i: u64) -> u64 {
    mix64(key.wrapping_add(i.wrapping_mul(GOLDEN_GAMMA)))
}

/// The first output of the stream with key `key`, as `stream(key).next_u64()`, from the two
/// of its four words it depends on (xoshiro256++'s output is made of the first and the last):
/// an attack test is one draw, and most convoys are not attacked.
#[inline(always)]
pub fn first_output(key: u64) -> u64 {
    let (s0, s3) = (word(key, 1), word(key, 4));
    s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0)
}

/// A uniform draw in [0, 1) from a 64-bit word, as `rng.random::<f64>()` makes it from
/// `next_u64` (the upper 53 bits, scaled).
#[inline(always)]
pub fn unit_f64(word: u64) -> f64 {
    (word >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_seed_run_and_purpose() {
        let keys = [run_key(1, 0), run_key(1, 1), run_key(2, 0), derive(run_key(1, 0), name_key("a"))];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_ne!(derive(1, 2), derive(2, 1), "derive is order-sensitive");
        assert_ne!(name_key("kayes"), name_key("kayes "));
    }

    #[test]
    fn shortcuts_give_the_draws_of_the_whole_stream() {
        use rand::RngExt;
        for key in (0..5000u64).map(|i| derive(i, 11)).chain([0, 1, u64::MAX]) {
            assert_eq!(first_output(key), stream(key).next_u64(), "key {key}");
            let mut rng = stream(key);
            assert_eq!(unit_f64(first_output(key)).to_bits(), rng.random::<f64>().to_bits());
            assert_eq!(unit_f64(rng.next_u64()).to_bits(), stream_second(key).to_bits());
            for part in [0, 7, name_key("kayes"), u64::MAX] {
                assert_eq!(derive_part(key, Part::new(part)), derive(key, part));
            }
        }
    }

    /// The second uniform draw of a stream, through `rand`.
    fn stream_second(key: u64) -> f64 {
        use rand::RngExt;
        let mut rng = stream(key);
        let _: f64 = rng.random();
        rng.random()
    }

    #[test]
    fn streams_are_those_of_rand_xoshiro() {
        use rand::SeedableRng;
        use rand_xoshiro::Xoshiro256PlusPlus;
        for key in (0..2000u64).map(|i| derive(i, 7)).chain([0, 1, u64::MAX]) {
            let (mut ours, mut theirs) = (stream(key), Xoshiro256PlusPlus::seed_from_u64(key));
            for _ in 0..100 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "key {key}");
            }
            assert_eq!(ours.next_u32(), theirs.next_u32());
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            theirs.fill_bytes(&mut b);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn streams_are_reproducible() {
        // Pinned values: a change here changes every published result.
        assert_eq!(name_key(""), mix64(0xcbf2_9ce4_8422_2325));
        let a: Vec<u64> = (0..3)
            .map({
                let mut s = stream(run_key(7, 3));
                move |_| s.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..3)
            .map({
                let mut s = stream(run_key(7, 3));
                move |_| s.next_u64()
            })
            .collect();
        assert_eq!(a, b);
    }
}
