//! The three kinds of index files (meta, term chunk, page fragment): their
//! in-memory model, encoder and validating decoder. The byte layout is
//! documented in `FORMAT.md` next to `Cargo.toml`.

use crate::analysis::Language;
use crate::codec::{put_front_coded, put_str, put_varint, DecodeError, Reader};

pub(crate) const META_MAGIC: &[u8; 4] = b"KSM2";
pub(crate) const CHUNK_MAGIC: &[u8; 4] = b"KSC2";
pub(crate) const FRAGMENT_MAGIC: &[u8; 4] = b"KSF2";

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
    /// For `Heading`: how many words the heading has (distinct terms that are
    /// not stop words, see `FORMAT.md`); 0 for the other fields.
    pub heading_words: u8,
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

    /// An empty form with room for `n` occurrences (and pages).
    pub(crate) fn with_capacity(kind: FormKind, word: String, n: usize) -> Form {
        Form {
            kind,
            word,
            postings: Vec::with_capacity(n),
            occs: Vec::with_capacity(n),
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

/// A page whose sections are spread over several fragment files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SplitPage {
    pub page: u32,
    /// First section of each piece after the first (strictly increasing,
    /// all ≥ 1); piece 0 starts at section 0.
    pub starts: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Meta {
    pub lang: Language,
    pub page_count: u32,
    /// Hash of the whole index; part of every file name, so that a rebuilt
    /// index never mixes with cached files of an older one.
    pub build_id: String,
    pub chunks: Vec<ChunkInfo>,
    /// The pages with more than one fragment file, by page number.
    pub split_pages: Vec<SplitPage>,
}

impl Meta {
    pub(crate) fn chunk_name(&self, index: usize) -> String {
        format!("chunk-{}-{}.bin", self.build_id, index)
    }

    /// The piece of `page` that holds `section`, and the first section of
    /// that piece and of the next one (`None`: the piece is the page's last).
    pub(crate) fn piece_of(&self, page: u32, section: u32) -> (u32, u32, Option<u32>) {
        let Ok(i) = self.split_pages.binary_search_by(|s| s.page.cmp(&page)) else {
            return (0, 0, None);
        };
        let starts = &self.split_pages[i].starts;
        let piece = starts.partition_point(|&s| s <= section);
        let first = if piece == 0 { 0 } else { starts[piece - 1] };
        (piece as u32, first, starts.get(piece).copied())
    }

    /// Name of the fragment file holding `(page, section)`.
    pub(crate) fn fragment_name(&self, page: u32, section: u32) -> String {
        let (piece, _, _) = self.piece_of(page, section);
        self.piece_name(page, piece)
    }

    pub(crate) fn piece_name(&self, page: u32, piece: u32) -> String {
        format!("frag-{}-{}-{}.bin", self.build_id, page, piece)
    }
}

/// One section's text, as a result shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SectionText {
    pub heading: String,
    pub anchor: String,
    pub text: String,
}

/// A fragment file: consecutive sections of one page (what results need to
/// be shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FragmentFile {
    pub page: u32,
    pub first_section: u32,
    pub url: String,
    pub title: String,
    /// Not empty.
    pub sections: Vec<SectionText>,
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
    put_varint(&mut out, meta.split_pages.len() as u64);
    let mut prev_page: Option<u32> = None;
    for sp in &meta.split_pages {
        let delta = match prev_page {
            None => sp.page,
            Some(p) => sp.page - p - 1,
        };
        put_varint(&mut out, u64::from(delta));
        put_varint(&mut out, (sp.starts.len() as u64).saturating_sub(1));
        let mut prev = 0;
        for &s in &sp.starts {
            put_varint(&mut out, u64::from(s - prev - 1));
            prev = s;
        }
        prev_page = Some(sp.page);
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
    let n = r.count()?;
    let mut split_pages: Vec<SplitPage> = Vec::with_capacity(n);
    for _ in 0..n {
        let delta = u64::from(r.u32()?);
        let page = match split_pages.last() {
            None => delta,
            Some(prev) => u64::from(prev.page) + delta + 1,
        };
        if page >= u64::from(page_count) {
            return Err(r.err("split page out of range"));
        }
        let pieces = r
            .count()?
            .checked_add(1)
            .ok_or_else(|| r.err("count out of range"))?;
        if pieces > r.remaining() {
            return Err(r.err("count larger than the data"));
        }
        let mut starts = Vec::with_capacity(pieces);
        let mut prev: u64 = 0;
        for _ in 0..pieces {
            let s = prev + u64::from(r.u32()?) + 1;
            let s32 = u32::try_from(s).map_err(|_| r.err("section out of range"))?;
            starts.push(s32);
            prev = s;
        }
        split_pages.push(SplitPage {
            page: page as u32,
            starts,
        });
    }
    r.finish()?;
    Ok(Meta {
        lang,
        page_count,
        build_id,
        chunks,
        split_pages,
    })
}

// ---------------------------------------------------------------- chunks

/// Encodes one entry; `prev_key` is the previous key in the same chunk ("" at
/// the start of a chunk).
#[cfg(test)]
pub(crate) fn encode_entry(out: &mut Vec<u8>, prev_key: &str, entry: &Entry) {
    let forms: Vec<&Form> = entry.forms.iter().collect();
    encode_entry_forms(out, prev_key, &entry.key, &forms);
}

/// Encodes one entry given as its key and forms (sorted by kind and word).
pub(crate) fn encode_entry_forms(out: &mut Vec<u8>, prev_key: &str, key: &str, forms: &[&Form]) {
    put_front_coded(out, prev_key, key);
    put_varint(out, forms.len() as u64);
    for form in forms {
        out.push(form.kind as u8);
        put_front_coded(out, key, &form.word);
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
                if o.field == Field::Heading {
                    put_varint(out, u64::from(o.heading_words));
                }
                prev_section = o.section;
            }
        }
    }
}

/// Encodes a whole chunk: magic, entry count, entries.
#[cfg(test)]
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
                    let heading_words = if field == Field::Heading {
                        u8::try_from(r.varint()?)
                            .map_err(|_| r.err("heading word count out of range"))?
                    } else {
                        0
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
                        heading_words,
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

/// Bytes of a fragment file's header (magic, page, first section, URL,
/// title and section count).
pub(crate) fn encode_fragment_header(
    out: &mut Vec<u8>,
    page: u32,
    first_section: u32,
    url: &str,
    title: &str,
    count: usize,
) {
    out.extend_from_slice(FRAGMENT_MAGIC);
    put_varint(out, u64::from(page));
    put_varint(out, u64::from(first_section));
    put_str(out, url);
    put_str(out, title);
    put_varint(out, count as u64);
}

/// Bytes of one section of a fragment file.
pub(crate) fn encode_fragment_section(out: &mut Vec<u8>, heading: &str, anchor: &str, text: &str) {
    for s in [heading, anchor, text] {
        put_str(out, s);
    }
}

#[cfg(test)]
pub(crate) fn encode_fragment(f: &FragmentFile) -> Vec<u8> {
    let mut out = Vec::new();
    encode_fragment_header(
        &mut out,
        f.page,
        f.first_section,
        &f.url,
        &f.title,
        f.sections.len(),
    );
    for s in &f.sections {
        encode_fragment_section(&mut out, &s.heading, &s.anchor, &s.text);
    }
    out
}

pub(crate) fn decode_fragment(bytes: &[u8]) -> Result<FragmentFile, DecodeError> {
    let mut r = Reader::new(bytes);
    r.expect_magic(FRAGMENT_MAGIC)?;
    let page = r.u32()?;
    let first_section = r.u32()?;
    let url = r.string()?;
    let title = r.string()?;
    let n = r.count()?;
    if n == 0 {
        return Err(r.err("fragment without sections"));
    }
    if u64::from(first_section) + n as u64 > u64::from(u32::MAX) {
        return Err(r.err("section out of range"));
    }
    let mut sections = Vec::with_capacity(n);
    for _ in 0..n {
        let heading = r.string()?;
        let anchor = r.string()?;
        let text = r.string()?;
        sections.push(SectionText {
            heading,
            anchor,
            text,
        });
    }
    r.finish()?;
    Ok(FragmentFile {
        page,
        first_section,
        url,
        title,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(section: u32, field: Field, tf: u16) -> Occ {
        Occ {
            section,
            tf,
            field,
            heading_words: if field == Field::Heading { 3 } else { 0 },
        }
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
            split_pages: vec![
                SplitPage {
                    page: 3,
                    starts: vec![4, 9],
                },
                SplitPage {
                    page: 11,
                    starts: vec![1],
                },
            ],
        };
        let bytes = encode_meta(&meta);
        assert_eq!(decode_meta(&bytes).unwrap(), meta);
        for n in 0..bytes.len() {
            assert!(decode_meta(&bytes[..n]).is_err());
        }
        assert_eq!(meta.piece_of(3, 0), (0, 0, Some(4)));
        assert_eq!(meta.piece_of(3, 4), (1, 4, Some(9)));
        assert_eq!(meta.piece_of(3, 8), (1, 4, Some(9)));
        assert_eq!(meta.piece_of(3, 12), (2, 9, None));
        assert_eq!(meta.piece_of(4, 12), (0, 0, None));
        // a split page beyond the page count is rejected
        let mut bad = meta.clone();
        bad.split_pages[1].page = 12;
        assert!(decode_meta(&encode_meta(&bad)).is_err());
    }

    #[test]
    fn fragment_round_trip() {
        let f = FragmentFile {
            page: 4,
            first_section: 1,
            url: "/begrippen/systeemrisico/".into(),
            title: "Systeemrisico".into(),
            sections: vec![
                SectionText {
                    heading: "Definitie".into(),
                    anchor: "definitie".into(),
                    text: "Een risico…".into(),
                },
                SectionText {
                    heading: "Toelichting".into(),
                    anchor: String::new(),
                    text: String::new(),
                },
            ],
        };
        assert_eq!(decode_fragment(&encode_fragment(&f)).unwrap(), f);
        let mut empty = f.clone();
        empty.sections.clear();
        assert!(decode_fragment(&encode_fragment(&empty)).is_err());
    }

    #[test]
    fn truncations_are_errors() {
        let f = FragmentFile {
            page: 1,
            first_section: 0,
            url: "/x/".into(),
            title: "X".into(),
            sections: vec![SectionText {
                heading: String::new(),
                anchor: String::new(),
                text: String::new(),
            }],
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
