//! Building an index from pages.
//!
//! The builder does the expensive work once per *distinct* word, not once
//! per occurrence: a page's text is tokenised without allocating (see
//! `scan_tokens`), each term is looked up in the vocabulary (one string of
//! all words and a table of ids by FxHash), and only a word seen for the
//! first time is stemmed. Occurrences are appended to one list for all words
//! (a term repeated within one field only bumps its frequency) and grouped
//! by word when the index is built. Compound splitting, part stems and
//! postings are computed per distinct word in [`IndexBuilder::build`], and
//! entries are sorted by integer ranks instead of by strings.

use crate::analysis::{is_stopword, scan_tokens, Analyzer, Language, TokenKind};
use crate::codec::{common_prefix, content_hash, put_varint};
use crate::compound::{split_positions, BUILTIN_PARTS, MAX_COMPOUND_LEN, MIN_COMPOUND_LEN};
use crate::format::{
    encode_entry_forms, encode_fragment_header, encode_fragment_section, encode_meta, ChunkInfo,
    Field, Form, FormKind, Meta, Occ, SplitPage, CHUNK_MAGIC, MAX_PAGES,
};
use crate::hash::FxHashMap;
use crate::searcher::MAX_COMPOUND_FORMS;

/// Default target size of one term chunk, in bytes (before compression).
pub const DEFAULT_CHUNK_TARGET: usize = 12 * 1024;
/// Default target size of one fragment file, in bytes: a page's sections
/// are cut into several files only when together they are larger.
pub const DEFAULT_FRAGMENT_TARGET: usize = 8 * 1024;
/// Largest encoded dictionary entry (one key with all its forms), in bytes.
/// The postings of a key that would be larger are pruned, least valuable
/// first (see `FORMAT.md`), so no chunk grows much beyond this.
pub const MAX_ENTRY_BYTES: usize = 24 * 1024;
/// Highest term frequency stored per (section, field).
const MAX_TF: u32 = 1000;
/// Bytes of text per entry of [`IndexBuilder`]'s table of occurrences, for
/// [`IndexBuilder::with_text_size`]: a little fewer than measured, so the
/// table is rarely grown.
const OCC_BYTES: usize = 8;

/// One section of a page: the text under one heading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// Heading text (may be empty for the text before the first heading).
    pub heading: String,
    /// Fragment identifier of the heading, without `#` (may be empty).
    pub anchor: String,
    /// Plain text of the section.
    pub text: String,
}

/// A page to index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageInput {
    /// URL of the page (results link to `url#anchor`).
    pub url: String,
    /// Page title.
    pub title: String,
    /// The page's sections in order.
    pub sections: Vec<Section>,
    /// Terms this page should rank first for: e.g. the term a definition
    /// defines, or the key term a requirement is named after.
    pub boost_terms: Vec<String>,
}

/// The built index: a small `meta` blob that a [`crate::Searcher`] starts
/// from, term `chunks` loaded on demand, and `fragments` with the text needed
/// to show results (one file per page; a page larger than the fragment
/// target is cut into several files at section boundaries). File names are
/// content-derived and stable: the same input gives the same names and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltIndex {
    /// Language, page count, chunk directory, pages with several fragment
    /// files.
    pub meta: Vec<u8>,
    /// `(file name, bytes)` of each term chunk, in key order.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// `(file name, bytes)` of each fragment file, in page and section order
    /// (a page without sections still has one, holding an empty section 0).
    pub fragments: Vec<(String, Vec<u8>)>,
}

impl BuiltIndex {
    /// Total size of all files in bytes.
    pub fn total_bytes(&self) -> usize {
        self.meta.len()
            + self.chunks.iter().map(|c| c.1.len()).sum::<usize>()
            + self.fragments.iter().map(|f| f.1.len()).sum::<usize>()
    }

    /// A searcher with every chunk and fragment loaded (what the native CLI
    /// uses).
    pub fn searcher(&self) -> Result<crate::Searcher, crate::DecodeError> {
        let mut s = crate::Searcher::new(&self.meta)?;
        for (name, bytes) in &self.chunks {
            s.add_chunk(name, bytes)?;
        }
        for (name, bytes) in &self.fragments {
            s.add_fragment(name, bytes)?;
        }
        Ok(s)
    }
}

/// Occurrences of a word in one (page, section, field). Kept for every
/// word of every page until the index is built, so kept small (12 bytes).
#[derive(Clone, Copy)]
struct RawOcc {
    page: u32,
    section: u32,
    /// At most [`MAX_TF`].
    tf: u16,
    field: Field,
}

const _: () = assert!(std::mem::size_of::<RawOcc>() == 12);

/// A distinct indexed word (its text is in [`Vocabulary`]).
struct Word {
    /// Index into `IndexBuilder::stems`.
    stem: u32,
    stop: bool,
}

/// One fragment file, encoded when its page is added.
struct Piece {
    page: u32,
    first_section: u32,
    bytes: Vec<u8>,
}

/// Collects pages and builds a [`BuiltIndex`].
///
/// ```
/// use kader_search::{IndexBuilder, Language, PageInput, Section};
/// let mut b = IndexBuilder::new(Language::Nl);
/// b.add_page(PageInput {
///     url: "/begrippen/systeemrisico/".into(),
///     title: "Systeemrisico".into(),
///     sections: vec![Section { heading: "Definitie".into(), anchor: "definitie".into(),
///         text: "Een risico dat specifiek is voor AI-modellen voor algemene doeleinden.".into() }],
///     boost_terms: vec!["systeemrisico".into()],
/// });
/// let index = b.build();
/// let searcher = index.searcher().unwrap();
/// let hits = searcher.search("systeemrisico’s", 10);
/// assert_eq!(hits[0].page, 0);
/// ```
pub struct IndexBuilder {
    analyzer: Analyzer,
    chunk_target: usize,
    fragment_target: usize,
    page_count: usize,
    words: Vec<Word>,
    vocabulary: Vocabulary,
    /// Every occurrence in the order added: pages ascending, one entry per
    /// word and (page, section, field), and its word's id in `occ_words`. A
    /// table per word would cost a scattered memory access per token;
    /// [`IndexBuilder::build`] groups them by word, in place.
    occs: Vec<RawOcc>,
    occ_words: Vec<u32>,
    /// Per word: the field (see `field_no`) and the index in `occs` of its
    /// last occurrence, whose frequency a repeat within that field bumps.
    last: Vec<(u32, u32)>,
    /// Number of the (page, section, field) being indexed, counted from 1,
    /// and that field.
    field_no: u32,
    field_at: Option<(u32, u32, Field)>,
    stems: Vec<Box<str>>,
    stem_ids: FxHashMap<Box<str>, u32>,
    /// Heading word count of section `s` of page `p`:
    /// `heading_words[heading_start[p] + s]`.
    heading_words: Vec<u8>,
    heading_start: Vec<u32>,
    pieces: Vec<Piece>,
    /// Distinct words of the heading being indexed.
    heading_ids: Vec<u32>,
}

impl IndexBuilder {
    /// A builder for pages in `lang`.
    pub fn new(lang: Language) -> IndexBuilder {
        IndexBuilder {
            analyzer: Analyzer::new(lang),
            chunk_target: DEFAULT_CHUNK_TARGET,
            fragment_target: DEFAULT_FRAGMENT_TARGET,
            page_count: 0,
            words: Vec::new(),
            vocabulary: Vocabulary::default(),
            occs: Vec::new(),
            occ_words: Vec::new(),
            last: Vec::new(),
            field_no: 0,
            field_at: None,
            stems: Vec::new(),
            stem_ids: FxHashMap::default(),
            heading_words: Vec::new(),
            heading_start: Vec::new(),
            pieces: Vec::new(),
            heading_ids: Vec::new(),
        }
    }

    /// Sets the target size of a term chunk in bytes (default
    /// [`DEFAULT_CHUNK_TARGET`]). A chunk holds at least one entry, so an
    /// entry larger than the target (at most [`MAX_ENTRY_BYTES`]) gets a
    /// chunk of its own.
    pub fn with_chunk_target(mut self, bytes: usize) -> IndexBuilder {
        self.chunk_target = bytes.max(64);
        self
    }

    /// Sets the target size of a fragment file in bytes (default
    /// [`DEFAULT_FRAGMENT_TARGET`]): a page's sections go into one file
    /// unless together they are larger; a file holds at least one section.
    /// Must be set before pages are added.
    pub fn with_fragment_target(mut self, bytes: usize) -> IndexBuilder {
        self.fragment_target = bytes.max(64);
        self
    }

    /// Makes room for pages holding about `text_bytes` bytes of text in
    /// all: the table of occurrences then grows once instead of doubling
    /// (and being copied) step by step. A guess too small or too large
    /// changes nothing but memory.
    pub fn with_text_size(mut self, text_bytes: usize) -> IndexBuilder {
        // One occurrence per (word, section, field) per ~9.5 bytes of text
        // on the real knowledge base (~74,000 for ~700 kB).
        self.occs.reserve(text_bytes / OCC_BYTES);
        self.occ_words.reserve(text_bytes / OCC_BYTES);
        self
    }

    /// Number of pages added so far.
    pub fn page_count(&self) -> usize {
        self.page_count
    }

    /// Adds a page and returns its page number (0, 1, 2, ... in the order of
    /// the calls; hits refer to pages by this number).
    ///
    /// An index holds at most 2^20 (1 048 576) pages; further pages are
    /// ignored (and get the number `u32::MAX`).
    pub fn add_page(&mut self, page: PageInput) -> u32 {
        if self.page_count >= MAX_PAGES as usize {
            return u32::MAX;
        }
        let id = self.page_count as u32;
        self.heading_start
            .push(u32::try_from(self.heading_words.len()).unwrap_or(u32::MAX));
        self.index_text(id, 0, Field::Title, &page.title);
        for (i, s) in page.sections.iter().enumerate() {
            let section = u32::try_from(i).unwrap_or(u32::MAX);
            let words = self.index_text(id, section, Field::Heading, &s.heading);
            self.heading_words.push(words);
            self.index_text(id, section, Field::Body, &s.text);
        }
        for term in &page.boost_terms {
            self.index_text(id, 0, Field::Boost, term);
        }
        self.add_fragments(id, &page);
        self.page_count += 1;
        id
    }

    /// Cuts the page's sections into fragment files of about
    /// `fragment_target` bytes.
    fn add_fragments(&mut self, id: u32, page: &PageInput) {
        let empty = [Section::default()];
        let sections: &[Section] = if page.sections.is_empty() {
            &empty
        } else {
            &page.sections
        };
        let header = 16 + page.url.len() + page.title.len();
        let mut body: Vec<u8> = Vec::new();
        let mut one: Vec<u8> = Vec::new();
        let mut first = 0usize;
        let mut count = 0usize;
        for (i, s) in sections.iter().enumerate() {
            one.clear();
            encode_fragment_section(&mut one, &s.heading, &s.anchor, &s.text);
            if count > 0 && header + body.len() + one.len() > self.fragment_target {
                self.push_piece(id, first, page, count, &body);
                body.clear();
                first = i;
                count = 0;
            }
            body.extend_from_slice(&one);
            count += 1;
        }
        self.push_piece(id, first, page, count, &body);
    }

    fn push_piece(&mut self, id: u32, first: usize, page: &PageInput, count: usize, body: &[u8]) {
        let first = u32::try_from(first).unwrap_or(u32::MAX);
        let mut bytes = Vec::with_capacity(16 + page.url.len() + page.title.len() + body.len());
        encode_fragment_header(&mut bytes, id, first, &page.url, &page.title, count);
        bytes.extend_from_slice(body);
        self.pieces.push(Piece {
            page: id,
            first_section: first,
            bytes,
        });
    }

    /// Indexes one field; for a heading, returns its word count (distinct
    /// terms that are not stop words, or all distinct terms when all are).
    fn index_text(&mut self, page: u32, section: u32, field: Field, text: &str) -> u8 {
        if self.field_at != Some((page, section, field)) {
            self.field_at = Some((page, section, field));
            self.field_no += 1;
        }
        let IndexBuilder {
            analyzer,
            words,
            vocabulary,
            stems,
            stem_ids,
            heading_ids,
            occs,
            occ_words,
            last,
            field_no,
            ..
        } = self;
        let field_no = *field_no;
        let lang = analyzer.language();
        heading_ids.clear();
        scan_tokens(text, |term, _, _, kind| {
            let hash = Vocabulary::hash(term);
            let id = match vocabulary.get(hash, term) {
                Some(id) => id,
                None => {
                    let id = vocabulary.insert(hash, term);
                    let stem = intern(stems, stem_ids, analyzer.stem(term));
                    words.push(Word {
                        stem,
                        stop: is_stopword(term, lang),
                    });
                    last.push((0, 0));
                    id
                }
            };
            let Some(l) = last.get_mut(id as usize) else {
                return;
            };
            match occs.get_mut(l.1 as usize) {
                Some(o) if l.0 == field_no => o.tf = (o.tf + 1).min(MAX_TF as u16),
                _ => {
                    *l = (field_no, u32::try_from(occs.len()).unwrap_or(u32::MAX));
                    occs.push(RawOcc {
                        page,
                        section,
                        field,
                        tf: 1,
                    });
                    occ_words.push(id);
                }
            }
            if field == Field::Heading && kind == TokenKind::Word && !heading_ids.contains(&id) {
                heading_ids.push(id);
            }
        });
        if field != Field::Heading {
            return 0;
        }
        let content = heading_ids
            .iter()
            .filter(|&&id| words.get(id as usize).is_some_and(|w| !w.stop))
            .count();
        let n = if content > 0 {
            content
        } else {
            heading_ids.len()
        };
        u8::try_from(n).unwrap_or(u8::MAX)
    }

    fn heading_words(&self, page: u32, section: u32) -> u8 {
        self.heading_start
            .get(page as usize)
            .and_then(|&start| {
                self.heading_words
                    .get(start as usize + section as usize)
                    .copied()
            })
            .unwrap_or(0)
    }

    /// Builds the index files.
    pub fn build(mut self) -> BuiltIndex {
        let lang = self.analyzer.language();
        let words = std::mem::take(&mut self.words);
        let vocabulary = std::mem::take(&mut self.vocabulary);
        let occs = Occurrences::group(
            std::mem::take(&mut self.occs),
            std::mem::take(&mut self.occ_words),
            words.len(),
        );

        // (key = stem id, kind, word id) of every form of the dictionary.
        let mut items: Vec<(u32, FormKind, u32)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.stem, FormKind::Surface, i as u32))
            .collect();
        let mut part_forms: Vec<Option<Form>> = Vec::new();
        if lang == Language::Nl {
            part_forms = self.compound_items(&vocabulary, &words, &occs, &mut items);
        }

        // Sort by key, kind, word (as strings), through integer ranks.
        let stem_rank = ranks(self.stems.len(), |i| &self.stems[i]);
        let word_rank = ranks(words.len(), |i| vocabulary.word(i));
        items.sort_unstable_by_key(|&(s, k, w)| (stem_rank[s as usize], k, word_rank[w as usize]));
        items.dedup();

        // Entries, grouped into chunks of about `chunk_target` bytes.
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let mut infos: Vec<ChunkInfo> = Vec::new();
        let mut body: Vec<u8> = Vec::new();
        let mut count = 0usize;
        let mut first_key = "";
        let mut prev_key = "";
        let mut scratch: Vec<u8> = Vec::new();
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        while start < items.len() {
            let stem = items[start].0;
            let end = start + items[start..].partition_point(|it| it.0 == stem);
            let key: &str = &self.stems[stem as usize];
            // The postings of the words as they occur (surface forms), made
            // for this entry only: together they are the largest part of
            // the index.
            let surface: Vec<Form> = items[start..end]
                .iter()
                .filter(|it| it.1 == FormKind::Surface)
                .map(|&(_, _, w)| {
                    let w = w as usize;
                    surface_form(vocabulary.word(w), occs.of(w), &|p, s| {
                        self.heading_words(p, s)
                    })
                })
                .collect();
            let mut surface_forms = surface.iter();
            let mut forms: Vec<&Form> = Vec::with_capacity(end - start);
            parts.clear();
            for &(_, kind, w) in &items[start..end] {
                let form = match kind {
                    FormKind::Surface => surface_forms.next(),
                    FormKind::Part => part_forms.get(w as usize).and_then(Option::as_ref),
                };
                if let Some(form) = form {
                    if kind == FormKind::Part {
                        parts.push((forms.len(), form.postings.len()));
                    }
                    forms.push(form);
                }
            }
            start = end;
            if parts.len() > MAX_COMPOUND_FORMS {
                // The searcher uses only the most frequent compounds of a
                // part (ties by word); the others are left out.
                parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mut drop: Vec<usize> =
                    parts[MAX_COMPOUND_FORMS..].iter().map(|p| p.0).collect();
                drop.sort_unstable();
                let mut i = 0;
                forms.retain(|_| {
                    let keep = drop.binary_search(&i).is_err();
                    i += 1;
                    keep
                });
            }
            if forms.is_empty() {
                continue;
            }
            scratch.clear();
            encode_entry_forms(&mut scratch, prev_key, key, &forms);
            // The size on its own (key not front-coded) decides the pruning,
            // so that it does not depend on the chunk target.
            let alone = scratch.len() + front_coded_len("", key) - front_coded_len(prev_key, key);
            let pruned: Vec<Form>;
            let pruned_refs: Vec<&Form>;
            let forms: &[&Form] = if alone > MAX_ENTRY_BYTES {
                pruned = prune_entry(key, &forms, MAX_ENTRY_BYTES);
                pruned_refs = pruned.iter().collect();
                scratch.clear();
                encode_entry_forms(&mut scratch, prev_key, key, &pruned_refs);
                &pruned_refs
            } else {
                &forms
            };
            if count > 0 && body.len() + scratch.len() > self.chunk_target {
                chunks.push(finish_chunk(count, &body));
                infos.push(ChunkInfo {
                    first: first_key.to_string(),
                    last: prev_key.to_string(),
                });
                body.clear();
                count = 0;
                scratch.clear();
                encode_entry_forms(&mut scratch, "", key, forms);
            }
            if count == 0 {
                first_key = key;
            }
            body.extend_from_slice(&scratch);
            count += 1;
            prev_key = key;
        }
        if count > 0 {
            chunks.push(finish_chunk(count, &body));
            infos.push(ChunkInfo {
                first: first_key.to_string(),
                last: prev_key.to_string(),
            });
        }

        // Pages whose fragments are in several files.
        let mut split_pages: Vec<SplitPage> = Vec::new();
        let mut piece_no: Vec<u32> = Vec::with_capacity(self.pieces.len());
        for (i, p) in self.pieces.iter().enumerate() {
            let continues = i > 0 && self.pieces[i - 1].page == p.page;
            if !continues {
                piece_no.push(0);
                continue;
            }
            piece_no.push(piece_no[i - 1] + 1);
            match split_pages.last_mut() {
                Some(sp) if sp.page == p.page => sp.starts.push(p.first_section),
                _ => split_pages.push(SplitPage {
                    page: p.page,
                    starts: vec![p.first_section],
                }),
            }
        }

        // The build id hashes every file, so names change whenever content does.
        let mut digest = Vec::new();
        digest.push(lang.code());
        digest.extend_from_slice(&(self.page_count as u64).to_le_bytes());
        for b in chunks.iter().chain(self.pieces.iter().map(|p| &p.bytes)) {
            digest.extend_from_slice(&content_hash(b).to_le_bytes());
        }
        let meta = Meta {
            lang,
            page_count: u32::try_from(self.page_count).unwrap_or(u32::MAX),
            build_id: format!("{:012x}", content_hash(&digest) & 0xffff_ffff_ffff),
            chunks: infos,
            split_pages,
        };
        let chunks = chunks
            .into_iter()
            .enumerate()
            .map(|(i, b)| (meta.chunk_name(i), b))
            .collect();
        let pieces = std::mem::take(&mut self.pieces);
        let fragments = pieces
            .into_iter()
            .zip(piece_no)
            .map(|(p, no)| (meta.piece_name(p.page, no), p.bytes))
            .collect();
        BuiltIndex {
            meta: encode_meta(&meta),
            chunks,
            fragments,
        }
    }

    /// Dutch compounds: adds a (part stem, part kind, word) item for every
    /// index part of every word, and returns the compound-part forms by
    /// word id.
    fn compound_items(
        &mut self,
        vocabulary: &Vocabulary,
        words: &[Word],
        occs: &Occurrences,
        items: &mut Vec<(u32, FormKind, u32)>,
    ) -> Vec<Option<Form>> {
        let lang = self.analyzer.language();
        // Which strings may be parts: 1 = a word of the vocabulary (four
        // letters or more), 2 = a built-in part.
        let mut lookup: FxHashMap<&str, u8> = FxHashMap::default();
        for word in vocabulary.words() {
            if word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                lookup.insert(word, 1);
            }
        }
        for &b in BUILTIN_PARTS {
            *lookup.entry(b).or_insert(0) |= 2;
        }
        // Longest possible part by its first four letters.
        let mut longest: FxHashMap<[u8; 4], u8> = FxHashMap::default();
        for k in lookup.keys() {
            if let Some(p) = k.as_bytes().get(..4) {
                let l = longest.entry([p[0], p[1], p[2], p[3]]).or_insert(0);
                *l = (*l).max(u8::try_from(k.len()).unwrap_or(u8::MAX));
            }
        }
        let finder = PartFinder {
            lookup: &lookup,
            longest: &longest,
        };
        let mut memo: SplitMemo<'_> = FxHashMap::default();
        let mut part_stems: FxHashMap<&str, u32> = FxHashMap::default();
        let mut part_forms: Vec<Option<Form>> = Vec::new();
        part_forms.resize_with(words.len(), || None);
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (id, w) in words.iter().enumerate() {
            let word = vocabulary.word(id);
            if !(MIN_COMPOUND_LEN..=MAX_COMPOUND_LEN).contains(&word.len())
                || !word.bytes().all(|b| b.is_ascii_lowercase())
            {
                continue;
            }
            ranges.clear();
            finder.collect(word, 0, 0, &mut memo, &mut ranges);
            if ranges.is_empty() {
                continue;
            }
            let form = part_form(word, occs.of(id), &|p, s| self.heading_words(p, s));
            if form.postings.is_empty() {
                continue;
            }
            ranges.sort_unstable_by(|a, b| word[a.0..a.1].cmp(&word[b.0..b.1]));
            ranges.dedup_by(|a, b| word[a.0..a.1] == word[b.0..b.1]);
            let mut used = false;
            for &(s, e) in ranges.iter() {
                let part = &word[s..e];
                if part == word || is_stopword(part, lang) {
                    continue;
                }
                let key = match vocabulary.get(Vocabulary::hash(part), part) {
                    Some(pid) => words[pid as usize].stem,
                    None => match part_stems.get(part) {
                        Some(&k) => k,
                        None => {
                            let k = intern(
                                &mut self.stems,
                                &mut self.stem_ids,
                                self.analyzer.stem(part),
                            );
                            part_stems.insert(part, k);
                            k
                        }
                    },
                };
                if key == w.stem {
                    continue;
                }
                items.push((key, FormKind::Part, id as u32));
                used = true;
            }
            if used {
                part_forms[id] = Some(form);
            }
        }
        part_forms
    }
}

/// Splits of word parts already computed, by part: `(start, end, linking
/// element)` per part, `None` where the part is not a compound.
type SplitMemo<'w> = FxHashMap<&'w str, Option<Vec<(usize, usize, &'static str)>>>;

/// Compound splitting against the builder's vocabulary.
struct PartFinder<'a> {
    lookup: &'a FxHashMap<&'a str, u8>,
    /// Longest possible part (four letters or more) by its first four letters.
    longest: &'a FxHashMap<[u8; 4], u8>,
}

impl<'a> PartFinder<'a> {
    /// The split of `word` (as in [`crate::split_compound`]).
    fn split(&self, word: &str) -> Option<Vec<(usize, usize, &'static str)>> {
        let bytes = word.as_bytes();
        // (start, longest part there) of the last start looked at
        let mut at = (usize::MAX, 0usize);
        split_positions(word, |i, j| {
            let len = j - i;
            if len == 3 {
                return is_builtin_3(&bytes[i..j]);
            }
            if at.0 != i {
                let longest = bytes
                    .get(i..i + 4)
                    .and_then(|p| self.longest.get(&[p[0], p[1], p[2], p[3]]))
                    .map_or(0, |&l| usize::from(l));
                at = (i, longest);
            }
            len <= at.1 && self.lookup.contains_key(&word[i..j])
        })
    }

    /// Index parts of `base[off..off + sub.len()]` (`sub`), as byte ranges of
    /// `base`: see [`crate::index_parts`].
    fn collect<'w>(
        &self,
        sub: &'w str,
        off: usize,
        depth: usize,
        memo: &mut SplitMemo<'w>,
        out: &mut Vec<(usize, usize)>,
    ) {
        if depth > 3 {
            return;
        }
        // Words are distinct, parts of words are not: only those are memoised.
        let parts = if depth == 0 {
            self.split(sub)
        } else {
            match memo.get(sub) {
                Some(p) => p.clone(),
                None => {
                    let p = self.split(sub);
                    memo.insert(sub, p.clone());
                    p
                }
            }
        };
        let Some(parts) = parts else {
            return;
        };
        for &(s, e, linker) in &parts {
            out.push((off + s, off + e));
            if !linker.is_empty() {
                out.push((off + s, off + e + linker.len()));
            }
            self.collect(&sub[s..e], off + s, depth + 1, memo, out);
        }
        // Runs of two or more adjacent parts (not the whole) that are words.
        for a in 0..parts.len() {
            for b in a + 1..parts.len() {
                let whole = a == 0 && b == parts.len() - 1;
                let (s, e) = (parts[a].0, parts[b].1);
                if !whole && self.lookup.get(&sub[s..e]).is_some_and(|f| f & 1 != 0) {
                    out.push((off + s, off + e));
                }
            }
        }
    }
}

/// Every distinct word once: their texts side by side in one string, found
/// through a table of word ids. Looking a token up touches only these few
/// compact arrays, not a string allocated per word somewhere in memory.
#[derive(Default)]
struct Vocabulary {
    text: String,
    /// Per word id: its start and end in `text`.
    spans: Vec<(u32, u32)>,
    ids: hashbrown::HashTable<u32>,
}

impl Vocabulary {
    fn hash(word: &str) -> u64 {
        use std::hash::BuildHasher;
        crate::hash::FxBuildHasher::default().hash_one(word)
    }

    fn word(&self, id: usize) -> &str {
        word_at(&self.text, &self.spans, id)
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        (0..self.spans.len()).map(|i| self.word(i))
    }

    /// The id of `word` (whose [`Vocabulary::hash`] is `hash`).
    fn get(&self, hash: u64, word: &str) -> Option<u32> {
        let (text, spans) = (&self.text, &self.spans);
        self.ids
            .find(hash, |&id| word_at(text, spans, id as usize) == word)
            .copied()
    }

    /// Adds a word that is not in the vocabulary yet; returns its id.
    fn insert(&mut self, hash: u64, word: &str) -> u32 {
        let id = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(word);
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.spans.push((start, end));
        let (text, spans) = (&self.text, &self.spans);
        self.ids.insert_unique(hash, id, |&i| {
            Vocabulary::hash(word_at(text, spans, i as usize))
        });
        id
    }
}

fn word_at<'t>(text: &'t str, spans: &[(u32, u32)], id: usize) -> &'t str {
    spans
        .get(id)
        .and_then(|&(s, e)| text.get(s as usize..e as usize))
        .unwrap_or("")
}

/// The occurrences of every word, grouped by word: those of word `w` are
/// `all[start[w]..start[w + 1]]`, sorted by (page, section, field).
struct Occurrences {
    all: Vec<RawOcc>,
    start: Vec<usize>,
}

impl Occurrences {
    /// Groups occurrences in the order added (pages ascending) by their
    /// words (`of_word`, one id below `words` per occurrence), keeping that
    /// order within each word. The occurrences are moved in place: a copy
    /// would hold the largest table of the index twice.
    fn group(mut all: Vec<RawOcc>, of_word: Vec<u32>, words: usize) -> Occurrences {
        let mut start = vec![0usize; words + 1];
        for &w in &of_word {
            start[w as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        // Where each occurrence goes: the next place of its word.
        let mut dest = of_word;
        let mut next = start.clone();
        for d in dest.iter_mut() {
            let w = *d as usize;
            *d = u32::try_from(next[w]).unwrap_or(u32::MAX);
            next[w] += 1;
        }
        drop(next);
        // Each swap puts one occurrence in its place.
        for i in 0..all.len() {
            while dest[i] as usize != i {
                let d = dest[i] as usize;
                all.swap(i, d);
                dest.swap(i, d);
            }
        }
        drop(dest);
        for w in 0..words {
            sort_within_pages(&mut all[start[w]..start[w + 1]]);
        }
        Occurrences { all, start }
    }

    fn of(&self, word: usize) -> &[RawOcc] {
        &self.all[self.start[word]..self.start[word + 1]]
    }
}

/// Sorts each page's occurrences by (section, field); the pages are in order
/// already, and a page's few occurrences nearly so.
fn sort_within_pages(occ: &mut [RawOcc]) {
    let mut i = 0;
    while i < occ.len() {
        let page = occ[i].page;
        let mut j = i + 1;
        let mut sorted = true;
        while j < occ.len() && occ[j].page == page {
            sorted &= (occ[j - 1].section, occ[j - 1].field) < (occ[j].section, occ[j].field);
            j += 1;
        }
        if !sorted {
            occ[i..j].sort_unstable_by_key(|o| (o.section, o.field));
        }
        i = j;
    }
}

/// The three-letter built-in parts (`eis`, `wet`, ...).
fn is_builtin_3(part: &[u8]) -> bool {
    matches!(part, b"dag" | b"eis" | b"lid" | b"rol" | b"weg" | b"wet")
}

fn intern(stems: &mut Vec<Box<str>>, ids: &mut FxHashMap<Box<str>, u32>, stem: String) -> u32 {
    if let Some(&id) = ids.get(stem.as_str()) {
        return id;
    }
    let id = u32::try_from(stems.len()).unwrap_or(u32::MAX);
    let stem: Box<str> = stem.into_boxed_str();
    stems.push(stem.clone());
    ids.insert(stem, id);
    id
}

/// `rank[i]` = position of `key(i)` among all keys (sorted bytewise).
fn ranks<'s>(n: usize, key: impl Fn(usize) -> &'s str) -> Vec<u32> {
    // The first eight bytes as a number decide most comparisons.
    let head = |s: &str| {
        let mut b = [0u8; 8];
        let l = s.len().min(8);
        b[..l].copy_from_slice(&s.as_bytes()[..l]);
        u64::from_be_bytes(b)
    };
    let mut order: Vec<(u64, u32)> = (0..n).map(|i| (head(key(i)), i as u32)).collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| key(a.1 as usize).cmp(key(b.1 as usize)))
    });
    let mut rank = vec![0u32; n];
    for (r, &(_, i)) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

fn varint_len(v: usize) -> usize {
    let bits = usize::BITS - v.leading_zeros();
    (bits.max(1) as usize).div_ceil(7)
}

/// Bytes of `s` front-coded against `prev`.
fn front_coded_len(prev: &str, s: &str) -> usize {
    let shared = common_prefix(prev, s);
    varint_len(shared) + varint_len(s.len() - shared) + s.len() - shared
}

fn finish_chunk(count: usize, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(CHUNK_MAGIC);
    put_varint(&mut out, count as u64);
    out.extend_from_slice(body);
    out
}

fn occ(section: u32, field: Field, tf: u32, heading: &dyn Fn(u32, u32) -> u8, page: u32) -> Occ {
    Occ {
        section,
        tf: tf.min(MAX_TF) as u16,
        field,
        heading_words: if field == Field::Heading {
            heading(page, section)
        } else {
            0
        },
    }
}

/// Builds a form from the word's occurrences (sorted by page, section, field).
fn surface_form(word: &str, occs: &[RawOcc], heading: &dyn Fn(u32, u32) -> u8) -> Form {
    let mut form = Form::with_capacity(FormKind::Surface, word.to_string(), occs.len());
    let mut page_occs: Vec<Occ> = Vec::new();
    let mut i = 0;
    while i < occs.len() {
        let page = occs[i].page;
        page_occs.clear();
        while i < occs.len() && occs[i].page == page {
            let o = occs[i];
            page_occs.push(occ(o.section, o.field, u32::from(o.tf), heading, page));
            i += 1;
        }
        form.push(page, &page_occs);
    }
    form
}

/// Builds a compound-part form: per page only the strongest occurrence
/// (title over heading over body, then the most frequent, then the first
/// section), with frequency 1. Boost occurrences are left out: a boost term
/// lifts a page for that term, not for the parts of a compound term. This
/// keeps the many part postings small.
fn part_form(word: &str, occs: &[RawOcc], heading: &dyn Fn(u32, u32) -> u8) -> Form {
    let mut form = Form::new(FormKind::Part, word.to_string());
    let mut best: Option<(u32, Field, u32, u32)> = None; // page, field, tf, section
    let flush = |form: &mut Form, best: Option<(u32, Field, u32, u32)>| {
        if let Some((p, f, _, s)) = best {
            form.push(p, &[occ(s, f, 1, heading, p)]);
        }
    };
    for o in occs {
        if o.field == Field::Boost {
            continue;
        }
        match best {
            Some((p, f, t, _)) if p == o.page => {
                if (o.field, u32::from(o.tf)) > (f, t) {
                    best = Some((o.page, o.field, u32::from(o.tf), o.section));
                }
            }
            _ => {
                flush(&mut form, best);
                best = Some((o.page, o.field, u32::from(o.tf), o.section));
            }
        }
    }
    flush(&mut form, best);
    form
}

/// How valuable a posting is for ranking, 0 (most) to 9 (least): by form
/// kind (a word's own postings before its compounds'), then by the strongest
/// field (boost, title, heading, body), and for body-only postings whether
/// the word occurs more than once on the page.
fn posting_class(form: &Form, occs: &[Occ]) -> u8 {
    let best = occs.iter().map(|o| o.field).max().unwrap_or(Field::Body);
    let class = match best {
        Field::Boost => 0,
        Field::Title => 1,
        Field::Heading => 2,
        Field::Body => {
            if occs.len() > 1 || occs.iter().any(|o| o.tf > 1) {
                3
            } else {
                4
            }
        }
    };
    match form.kind {
        FormKind::Surface => class,
        FormKind::Part => class + 5,
    }
}

/// Prunes an entry to at most `limit` encoded bytes: postings are kept in
/// the order (class, page, form) — see [`posting_class`] — as many as fit.
/// Forms left without postings are dropped.
fn prune_entry(key: &str, forms: &[&Form], limit: usize) -> Vec<Form> {
    let mut order: Vec<(u8, u32, u32, u32)> = Vec::new();
    for (fi, form) in forms.iter().enumerate() {
        for (pi, p) in form.postings.iter().enumerate() {
            order.push((
                posting_class(form, form.occs(p)),
                p.page,
                fi as u32,
                pi as u32,
            ));
        }
    }
    order.sort_unstable();
    let build = |k: usize| -> Vec<Form> {
        let mut keep: Vec<Vec<u32>> = vec![Vec::new(); forms.len()];
        for &(_, _, f, p) in &order[..k] {
            keep[f as usize].push(p);
        }
        forms
            .iter()
            .zip(keep)
            .filter(|(_, ps)| !ps.is_empty())
            .map(|(form, mut ps)| {
                ps.sort_unstable();
                let mut f = Form::new(form.kind, form.word.clone());
                for p in ps {
                    let posting = form.postings[p as usize];
                    f.push(posting.page, form.occs(&posting));
                }
                f
            })
            .collect()
    };
    let size = |fs: &[Form]| {
        let refs: Vec<&Form> = fs.iter().collect();
        let mut out = Vec::new();
        encode_entry_forms(&mut out, "", key, &refs);
        out.len()
    };
    // The size grows with k: the largest k that fits.
    let (mut lo, mut hi) = (1usize.min(order.len()), order.len());
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if size(&build(mid)) <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    build(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(page: u32, section: u32, field: Field) -> RawOcc {
        RawOcc {
            page,
            section,
            tf: 1,
            field,
        }
    }

    #[test]
    fn occurrences_are_grouped_by_word_in_page_and_section_order() {
        // Added page by page; within page 1, word 0's body occurs before its
        // title (fields are indexed in any order within a page).
        let all = vec![
            occ(0, 0, Field::Body),
            occ(0, 0, Field::Body),
            occ(1, 1, Field::Body),
            occ(1, 0, Field::Title),
            occ(1, 0, Field::Body),
            occ(2, 3, Field::Heading),
        ];
        let of_word = vec![2, 0, 0, 0, 2, 1];
        let grouped = Occurrences::group(all, of_word, 3);
        let pages = |w: usize| -> Vec<(u32, u32, Field)> {
            grouped
                .of(w)
                .iter()
                .map(|o| (o.page, o.section, o.field))
                .collect()
        };
        assert_eq!(
            pages(0),
            [
                (0, 0, Field::Body),
                (1, 0, Field::Title),
                (1, 1, Field::Body)
            ]
        );
        assert_eq!(pages(1), [(2, 3, Field::Heading)]);
        assert_eq!(pages(2), [(0, 0, Field::Body), (1, 0, Field::Body)]);
    }
}
