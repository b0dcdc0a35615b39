//! Low-level binary encoding: LEB128 varints, length-prefixed UTF-8 strings,
//! front coding, and a checked reader that never panics.

use std::fmt;

/// Error returned when index bytes are corrupt, truncated, of another
/// version, or do not belong to the index a [`crate::Searcher`] was made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What was wrong.
    pub what: &'static str,
    /// Byte offset in the blob where it was noticed.
    pub offset: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid search index data: {} (at byte {})",
            self.what, self.offset
        )
    }
}

impl std::error::Error for DecodeError {}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Length of the common prefix of `a` and `b`, on a char boundary.
pub(crate) fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for ((i, ca), cb) in a.char_indices().zip(b.chars()) {
        if ca != cb {
            return i;
        }
        n = i + ca.len_utf8();
    }
    n
}

/// Front coding: bytes shared with `prev`, then the rest as a string.
pub(crate) fn put_front_coded(out: &mut Vec<u8>, prev: &str, s: &str) {
    let shared = common_prefix(prev, s);
    put_varint(out, shared as u64);
    put_str(out, &s[shared..]);
}

/// A 64-bit hash of `bytes` for content-derived file names: FxHash, which
/// takes eight bytes per step (a byte-at-a-time hash such as FNV-1a took a
/// noticeable part of an index build over a megabyte of files). Each step
/// is a bijection of the state, so inputs of equal length that differ
/// anywhere hash differently; the length is hashed too.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    crate::hash::FxBuildHasher::default().hash_one(bytes)
}

/// Checked cursor over untrusted bytes.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn err(&self, what: &'static str) -> DecodeError {
        DecodeError {
            what,
            offset: self.pos,
        }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub(crate) fn expect_magic(&mut self, magic: &[u8]) -> Result<(), DecodeError> {
        let got = self
            .take(magic.len())
            .map_err(|_| self.err("truncated header"))?;
        if got != magic {
            return Err(DecodeError {
                what: "wrong magic bytes or format version",
                offset: 0,
            });
        }
        Ok(())
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| self.err("length overflow"))?;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.err("unexpected end of data"))?;
        self.pos = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for i in 0..10u32 {
            let b = self.u8()?;
            let low = u64::from(b & 0x7f);
            if i == 9 && low > 1 {
                return Err(self.err("varint overflow"));
            }
            v |= low << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err("varint too long"))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.err("number out of range"))
    }

    /// A count of items that each take at least one byte: bounded by the
    /// remaining input, so corrupt counts cannot cause huge allocations.
    pub(crate) fn count(&mut self) -> Result<usize, DecodeError> {
        let v = self.varint()?;
        match usize::try_from(v) {
            Ok(n) if n <= self.remaining() => Ok(n),
            _ => Err(self.err("count larger than the data")),
        }
    }

    pub(crate) fn string(&mut self) -> Result<String, DecodeError> {
        let len = self.count()?;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| self.err("invalid UTF-8"))
    }

    pub(crate) fn front_coded(&mut self, prev: &str) -> Result<String, DecodeError> {
        let shared = self.varint()?;
        let shared = usize::try_from(shared).map_err(|_| self.err("bad shared prefix"))?;
        let prefix = prev
            .get(..shared)
            .ok_or_else(|| self.err("bad shared prefix"))?;
        let suffix = self.string()?;
        let mut s = String::with_capacity(prefix.len() + suffix.len());
        s.push_str(prefix);
        s.push_str(&suffix);
        Ok(s)
    }

    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(self.err("trailing bytes"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        for v in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut r = Reader::new(&out);
            assert_eq!(r.varint().unwrap(), v);
            assert!(r.finish().is_ok());
        }
    }

    #[test]
    fn varint_rejects_overflow() {
        let bytes = [0xffu8; 11];
        assert!(Reader::new(&bytes).varint().is_err());
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(Reader::new(&bytes).varint().is_err());
        assert!(Reader::new(&[0x80]).varint().is_err());
    }

    #[test]
    fn front_coding_round_trip() {
        let mut out = Vec::new();
        put_front_coded(&mut out, "systeem", "systeemrisico");
        put_front_coded(&mut out, "één", "eén");
        let mut r = Reader::new(&out);
        assert_eq!(r.front_coded("systeem").unwrap(), "systeemrisico");
        assert_eq!(r.front_coded("één").unwrap(), "eén");
    }

    #[test]
    fn front_coding_rejects_split_char() {
        // shared = 1 would cut "é" in half
        let mut out = Vec::new();
        put_varint(&mut out, 1);
        put_str(&mut out, "x");
        assert!(Reader::new(&out).front_coded("é").is_err());
    }

    #[test]
    fn counts_are_bounded() {
        let mut out = Vec::new();
        put_varint(&mut out, 1 << 40);
        assert!(Reader::new(&out).count().is_err());
    }
}
