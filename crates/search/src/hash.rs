//! FxHash, the multiply-rotate hasher of the Rust compiler: much faster
//! than the standard library's SipHash for short string keys (the index
//! builder's words; kader's link targets). Not resistant to hash
//! flooding, which does not matter for
//! a build tool hashing its own input. Iteration order of the maps is never
//! used for output (everything is sorted before it is written).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher state.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The state turned so that its best-mixed bits come first: a product's
    /// low bits depend only on the inputs' low bits (for a string, its first
    /// bytes of each eight), and hash tables pick buckets by the low bits,
    /// so without the turn keys that share those bytes share buckets.
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// Builds [`FxHasher`]s for hash maps and sets.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
/// A hash map keyed with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash>(t: T) -> u64 {
        FxBuildHasher::default().hash_one(t)
    }

    #[test]
    fn distinguishes_short_keys() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "risico",
            "risicos",
            "risico\0",
            "systeemrisico",
        ];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(h(a), h(b), "{a:?} {b:?}");
            }
        }
        // deterministic
        assert_eq!(h("risico"), h("risico"));
    }

    #[test]
    fn keys_differing_late_spread_over_the_low_bits() {
        // Link targets differ only in a few bytes in the middle of a word;
        // hash tables choose buckets by the low bits.
        let low: std::collections::HashSet<u64> = (0..1000)
            .map(|i| h(format!("/maatregelen/mtr-{i:06}/")) & 0xff)
            .collect();
        assert!(low.len() > 200, "{} of 256 low bytes", low.len());
    }
}
