//! The three kinds of index files (meta, term chunk, page fragment): their
//! in-memory model, encoder and validating decoder. The byte layout is
//! documented in `FORMAT.md` next to `Cargo.toml`.

use crate::analysis::Language;
use crate::codec::{put_front_coded, put_str, put_varint, DecodeError, Reader};

pub(crate) const META_MAGIC: &[u8; 4] = b"KSM1";
pub(crate) const CHUNK_MAGIC: &[u8; 4] = b"KSC1";
pub(crate) const FRAGMENT_MAGIC: &[u8; 4] = b"KSF1";

/// Where in a page a term occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
    Body = 0,
    Heading = 1,
    Title = 2,
    Boost = 3,
}

impl Field {
    fn from_bits(b: u64) -> Field {
        match b & 3 {
            0 => Field::Body,
            1 => Field::Heading,
            2 => Field::Title,
            _ => Field::Boost,
        }
    }
}

/// Occurrences of one form in one (section, field) of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Occ {
    /// Section index; always 0 for `Title` and `Boost`.
    pub section: u32,
    /// Term frequency, at least 1.
    pub tf: u16,
    pub field: Field,
}

/// One page of a form's postings: its occurrences are `Form::occs[start..end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Posting {
    pub page: u32,
    start: u32,
    end: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FormKind {
    /// The entry's key is the stem of `word`; postings are where `word` occurs.
    Surface = 0,
    /// The entry's key is the stem of a compound part of `word`.
    Part = 1,
}

/// An index word under an entry, with its postings. Occurrences of all pages
/// live in one vector (one allocation per form, not per page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Form {
    pub kind: FormKind,
    pub word: String,
    /// Sorted by page, no duplicates.
    pub postings: Vec<Posting>,
    /// Per posting sorted by (section, field), no duplicates.
    occs: Vec<Occ>,
}

impl Form {
    pub(crate) fn new(kind: FormKind, word: String) -> Form {
        Form {
            kind,
            word,
            postings: Vec::new(),
            occs: Vec::new(),
        }
    }

    /// Appends a page; pages must be added in increasing order.
    pub(crate) fn push(&mut self, page: u32, occs: &[Occ]) {
        let start = self.occs.len() as u32;
        self.occs.extend_from_slice(occs);
        self.postings.push(Posting {
            page,
            start,
            end: self.occs.len() as u32,
        });
    }

    /// The occurrences of one posting.
    pub(crate) fn occs(&self, p: &Posting) -> &[Occ] {
        self.occs
            .get(p.start as usize..p.end as usize)
            .unwrap_or(&[])
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// A stem.
    pub key: String,
    /// Sorted by (kind, word), no duplicates.
    pub forms: Vec<Form>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Sorted by key, strictly increasing, not empty.
    pub entries: Vec<Entry>,
}

/// Key range of one chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChunkInfo {
    pub first: String,
    pub last: String,
}

/// Most pages an index may have (keeps per-query work arrays bounded even
/// for corrupt data).
pub(crate) const MAX_PAGES: u32 = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Meta {
    pub lang: Language,
    pub page_count: u32,
    /// Hash of the whole index; part of every file name, so that a rebuilt
    /// index never mixes with cached files of an older one.
    pub build_id: String,
    pub chunks: Vec<ChunkInfo>,
}

impl Meta {
    pub(crate) fn chunk_name(&self, index: usize) -> String {
        format!("chunk-{}-{}.bin", self.build_id, index)
    }

    pub(crate) fn fragment_name(&self, page: u32, section: u32) -> String {
        format!("frag-{}-{}-{}.bin", self.build_id, page, section)
    }
}

/// What a result needs to be shown: one section of one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fragment {
    pub page: u32,
    pub section: u32,
    pub url: String,
    pub title: String,
    pub heading: String,
    pub anchor: String,
    pub text: String,
}

// ---------------------------------------------------------------- meta

pub(crate) fn encode_meta(meta: &Meta) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(META_MAGIC);
    out.push(meta.lang.code());
    put_varint(&mut out, u64::from(meta.page_count));
    put_str(&mut out, &meta.build_id);
    put_varint(&mut out, meta.chunks.len() as u64);
    let mut prev_last = String::new();
    for c in &meta.chunks {
        put_front_coded(&mut out, &prev_last, &c.first);
        put_front_coded(&mut out, &c.first, &c.last);
        prev_last.clone_from(&c.last);
    }
    out
}

pub(crate) fn decode_meta(bytes: &[u8]) -> Result<Meta, DecodeError> {
    let mut r = Reader::new(bytes);
    r.expect_magic(META_MAGIC)?;
    let lang = Language::from_code(r.u8()?).ok_or_else(|| r.err("unknown language"))?;
    let page_count = r.u32()?;
    if page_count > MAX_PAGES {
        return Err(r.err("too many pages"));
    }
    let build_id = r.string()?;
    if build_id.is_empty() || !build_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(r.err("invalid build id"));
    }
    let n = r.count()?;
    let mut chunks: Vec<ChunkInfo> = Vec::new();
    let mut prev_last = String::new();
    for i in 0..n {
        let first = r.front_coded(&prev_last)?;
        let last = r.front_coded(&first)?;
        if first > last || (i > 0 && first <= prev_last) {
            return Err(r.err("chunk ranges out of order"));
        }
        prev_last.clone_from(&last);
        chunks.push(ChunkInfo { first, last });
    }
    r.finish()?;
    Ok(Meta {
        lang,
        page_count,
        build_id,
        chunks,
    })
}

// ---------------------------------------------------------------- chunks

/// Encodes one entry; `prev_key` is the previous key in the same chunk ("" at
/// the start of a chunk).
pub(crate) fn encode_entry(out: &mut Vec<u8>, prev_key: &str, entry: &Entry) {
    put_front_coded(out, prev_key, &entry.key);
    put_varint(out, entry.forms.len() as u64);
    for form in &entry.forms {
        out.push(form.kind as u8);
        put_front_coded(out, &entry.key, &form.word);
        put_varint(out, form.postings.len() as u64);
        let mut prev_page: Option<u32> = None;
        for p in &form.postings {
            let delta = match prev_page {
                None => u64::from(p.page),
                Some(prev) => u64::from(p.page - prev - 1),
            };
            let occs = form.occs(p);
            let several = occs.len() > 1;
            put_varint(out, (delta << 1) | u64::from(several));
            if several {
                put_varint(out, occs.len() as u64 - 2);
            }
            prev_page = Some(p.page);
            let mut prev_section = 0u32;
            for o in occs {
                let sd = u64::from(o.section - prev_section);
                let more = u64::from(o.tf > 1);
                put_varint(out, (sd << 3) | ((o.field as u64) << 1) | more);
                if o.tf > 1 {
                    put_varint(out, u64::from(o.tf - 2));
                }
                prev_section = o.section;
            }
        }
    }
}

/// Encodes a whole chunk: magic, entry count, entries.
pub(crate) fn encode_chunk(entries: &[Entry]) -> Vec<u8> {
    let mut out = CHUNK_MAGIC.to_vec();
    put_varint(&mut out, entries.len() as u64);
    let mut prev = "";
    for e in entries {
        encode_entry(&mut out, prev, e);
        prev = &e.key;
    }
    out
}

pub(crate) fn decode_chunk(bytes: &[u8], page_count: u32) -> Result<Chunk, DecodeError> {
    let mut r = Reader::new(bytes);
    r.expect_magic(CHUNK_MAGIC)?;
    let n = r.count()?;
    if n == 0 {
        return Err(r.err("empty chunk"));
    }
    let mut entries: Vec<Entry> = Vec::new();
    for _ in 0..n {
        let prev_key = entries.last().map_or("", |e| e.key.as_str());
        let key = r.front_coded(prev_key)?;
        if key.is_empty() || (!entries.is_empty() && key.as_str() <= prev_key) {
            return Err(r.err("entry keys out of order"));
        }
        let nforms = r.count()?;
        if nforms == 0 {
            return Err(r.err("entry without forms"));
        }
        let mut forms: Vec<Form> = Vec::new();
        for _ in 0..nforms {
            let kind = match r.u8()? {
                0 => FormKind::Surface,
                1 => FormKind::Part,
                _ => return Err(r.err("unknown form kind")),
            };
            let word = r.front_coded(&key)?;
            if word.is_empty() {
                return Err(r.err("empty form word"));
            }
            if let Some(prev) = forms.last() {
                if (prev.kind, prev.word.as_str()) >= (kind, word.as_str()) {
                    return Err(r.err("forms out of order"));
                }
            }
            let npages = r.count()?;
            if npages == 0 {
                return Err(r.err("form without postings"));
            }
            let mut form = Form::new(kind, word);
            let mut occs: Vec<Occ> = Vec::new();
            for _ in 0..npages {
                let packed = r.varint()?;
                let delta = packed >> 1;
                let page = match form.postings.last() {
                    None => delta,
                    Some(prev) => u64::from(prev.page).saturating_add(delta).saturating_add(1),
                };
                if page >= u64::from(page_count) {
                    return Err(r.err("page number out of range"));
                }
                let page = page as u32;
                let nocc = if packed & 1 == 1 {
                    r.count()?
                        .checked_add(2)
                        .ok_or_else(|| r.err("count out of range"))?
                } else {
                    1
                };
                if nocc > r.remaining() + 1 {
                    return Err(r.err("count larger than the data"));
                }
                occs.clear();
                let mut section: u64 = 0;
                for _ in 0..nocc {
                    let packed = r.varint()?;
                    let field = Field::from_bits(packed >> 1);
                    section = section.saturating_add(packed >> 3);
                    let section32 =
                        u32::try_from(section).map_err(|_| r.err("section out of range"))?;
                    let tf = if packed & 1 == 1 {
                        let extra = r.varint()?;
                        u16::try_from(extra.saturating_add(2))
                            .map_err(|_| r.err("frequency out of range"))?
                    } else {
                        1
                    };
                    if matches!(field, Field::Title | Field::Boost) && section32 != 0 {
                        return Err(r.err("page-level field with a section"));
                    }
                    if let Some(prev) = occs.last() {
                        if (prev.section, prev.field) >= (section32, field) {
                            return Err(r.err("occurrences out of order"));
                        }
                    }
                    occs.push(Occ {
                        section: section32,
                        tf,
                        field,
                    });
                }
                form.push(page, &occs);
            }
            forms.push(form);
        }
        entries.push(Entry { key, forms });
    }
    r.finish()?;
    Ok(Chunk { entries })
}

// ---------------------------------------------------------------- fragments

pub(crate) fn encode_fragment(f: &Fragment) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(FRAGMENT_MAGIC);
    put_varint(&mut out, u64::from(f.page));
    put_varint(&mut out, u64::from(f.section));
    for s in [&f.url, &f.title, &f.heading, &f.anchor, &f.text] {
        put_str(&mut out, s);
    }
    out
}

pub(crate) fn decode_fragment(bytes: &[u8]) -> Result<Fragment, DecodeError> {
    let mut r = Reader::new(bytes);
    r.expect_magic(FRAGMENT_MAGIC)?;
    let page = r.u32()?;
    let section = r.u32()?;
    let url = r.string()?;
    let title = r.string()?;
    let heading = r.string()?;
    let anchor = r.string()?;
    let text = r.string()?;
    r.finish()?;
    Ok(Fragment {
        page,
        section,
        url,
        title,
        heading,
        anchor,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(section: u32, field: Field, tf: u16) -> Occ {
        Occ { section, tf, field }
    }

    fn sample_entry(key: &str) -> Entry {
        let mut surface = Form::new(FormKind::Surface, format!("{key}s"));
        surface.push(
            0,
            &[
                occ(0, Field::Body, 2),
                occ(0, Field::Title, 1),
                occ(3, Field::Heading, 1),
            ],
        );
        surface.push(7, &[occ(1, Field::Body, 9)]);
        let mut part = Form::new(FormKind::Part, "systeemrisico".to_string());
        part.push(3, &[occ(0, Field::Boost, 1)]);
        Entry {
            key: key.to_string(),
            forms: vec![surface, part],
        }
    }

    #[test]
    fn chunk_round_trip() {
        let entries = vec![sample_entry("risico"), sample_entry("systeem")];
        let bytes = encode_chunk(&entries);
        let chunk = decode_chunk(&bytes, 8).unwrap();
        assert_eq!(chunk.entries, entries);
        // a page number beyond the page count is rejected
        assert!(decode_chunk(&bytes, 7).is_err());
    }

    #[test]
    fn meta_round_trip() {
        let meta = Meta {
            lang: Language::Nl,
            page_count: 12,
            build_id: "0123abcd".to_string(),
            chunks: vec![
                ChunkInfo {
                    first: "aanbieder".into(),
                    last: "model".into(),
                },
                ChunkInfo {
                    first: "modelevaluatie".into(),
                    last: "zorg".into(),
                },
            ],
        };
        assert_eq!(decode_meta(&encode_meta(&meta)).unwrap(), meta);
    }

    #[test]
    fn fragment_round_trip() {
        let f = Fragment {
            page: 4,
            section: 1,
            url: "/begrippen/systeemrisico/".into(),
            title: "Systeemrisico".into(),
            heading: "Definitie".into(),
            anchor: "definitie".into(),
            text: "Een risico…".into(),
        };
        assert_eq!(decode_fragment(&encode_fragment(&f)).unwrap(), f);
    }

    #[test]
    fn truncations_are_errors() {
        let f = Fragment {
            page: 1,
            section: 0,
            url: "/x/".into(),
            title: "X".into(),
            heading: String::new(),
            anchor: String::new(),
            text: String::new(),
        };
        let bytes = encode_fragment(&f);
        for n in 0..bytes.len() {
            assert!(decode_fragment(&bytes[..n]).is_err());
        }
        let bytes = encode_chunk(&[sample_entry("risico"), sample_entry("systeem")]);
        for n in 0..bytes.len() {
            assert!(decode_chunk(&bytes[..n], 8).is_err(), "prefix of {n} bytes");
        }
    }
}
