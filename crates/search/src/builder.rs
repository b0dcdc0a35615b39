//! Building an index from pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::analysis::{is_stopword, Analyzer, Language};
use crate::codec::fnv1a64;
use crate::compound::index_parts;
use crate::format::{
    encode_chunk, encode_entry, encode_fragment, encode_meta, ChunkInfo, Entry, Field, Form,
    FormKind, Fragment, Meta, Occ, MAX_PAGES,
};

/// Default target size of one term chunk, in bytes (before compression).
pub const DEFAULT_CHUNK_TARGET: usize = 12 * 1024;
/// Highest term frequency stored per (section, field).
const MAX_TF: u32 = 1000;

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
/// from, term `chunks` loaded on demand, and one `fragment` per section of
/// each page with the text needed to show a result. File names are content-derived and stable:
/// the same input gives the same names and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltIndex {
    /// Language, page count, chunk directory.
    pub meta: Vec<u8>,
    /// `(file name, bytes)` of each term chunk, in key order.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// `(file name, bytes)` of each section fragment, in page and section
    /// order (a page without sections still has one, for section 0).
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

#[derive(Default)]
struct WordData {
    stem: String,
    /// (page, section, field) → term frequency.
    occ: BTreeMap<(u32, u32, Field), u32>,
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
    page_count: usize,
    fragments: Vec<Fragment>,
    words: HashMap<String, WordData>,
}

impl IndexBuilder {
    /// A builder for pages in `lang`.
    pub fn new(lang: Language) -> IndexBuilder {
        IndexBuilder {
            analyzer: Analyzer::new(lang),
            chunk_target: DEFAULT_CHUNK_TARGET,
            page_count: 0,
            fragments: Vec::new(),
            words: HashMap::new(),
        }
    }

    /// Sets the target size of a term chunk in bytes (default
    /// [`DEFAULT_CHUNK_TARGET`]). A chunk holds at least one term, so a term
    /// with very many postings gets a chunk of its own that may be larger.
    pub fn with_chunk_target(mut self, bytes: usize) -> IndexBuilder {
        self.chunk_target = bytes.max(64);
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
        self.index_text(id, 0, Field::Title, &page.title);
        for (i, s) in page.sections.iter().enumerate() {
            let section = u32::try_from(i).unwrap_or(u32::MAX);
            self.index_text(id, section, Field::Heading, &s.heading);
            self.index_text(id, section, Field::Body, &s.text);
        }
        for term in &page.boost_terms {
            self.index_text(id, 0, Field::Boost, term);
        }
        let mut sections = page.sections;
        if sections.is_empty() {
            sections.push(Section::default());
        }
        for (i, s) in sections.into_iter().enumerate() {
            self.fragments.push(Fragment {
                page: id,
                section: u32::try_from(i).unwrap_or(u32::MAX),
                url: page.url.clone(),
                title: page.title.clone(),
                heading: s.heading,
                anchor: s.anchor,
                text: s.text,
            });
        }
        self.page_count += 1;
        id
    }

    fn index_text(&mut self, page: u32, section: u32, field: Field, text: &str) {
        for token in self.analyzer.analyze(text) {
            let data = self.words.entry(token.term).or_insert_with(|| WordData {
                stem: token.stem,
                occ: BTreeMap::new(),
            });
            let tf = data.occ.entry((page, section, field)).or_insert(0);
            *tf = (*tf + 1).min(MAX_TF);
        }
    }

    /// Builds the index files.
    pub fn build(self) -> BuiltIndex {
        let lang = self.analyzer.language();
        // key (stem) → (kind, word) → postings
        let mut entries: BTreeMap<String, BTreeMap<(FormKind, String), Form>> = BTreeMap::new();
        for (word, data) in &self.words {
            entries.entry(data.stem.clone()).or_default().insert(
                (FormKind::Surface, word.clone()),
                surface_form(word, &data.occ),
            );
        }
        if lang == Language::Nl {
            let vocab: HashSet<&str> = self
                .words
                .keys()
                .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase()))
                .map(String::as_str)
                .collect();
            let is_word = |w: &str| vocab.contains(w);
            for (word, data) in &self.words {
                let parts = index_parts(word, &is_word);
                if parts.is_empty() {
                    continue;
                }
                let form = part_form(word, &data.occ);
                if form.postings.is_empty() {
                    continue;
                }
                for part in parts {
                    if is_stopword(&part, lang) {
                        continue;
                    }
                    let key = self.analyzer.stem(&part);
                    if key == data.stem {
                        continue;
                    }
                    entries
                        .entry(key)
                        .or_default()
                        .insert((FormKind::Part, word.clone()), form.clone());
                }
            }
        }
        let entries: Vec<Entry> = entries
            .into_iter()
            .map(|(key, forms)| Entry {
                key,
                forms: forms.into_values().collect(),
            })
            .collect();

        // Group entries into chunks of about `chunk_target` bytes.
        let mut groups: Vec<Vec<Entry>> = Vec::new();
        let mut current: Vec<Entry> = Vec::new();
        let mut current_size = 0usize;
        let mut scratch = Vec::new();
        for entry in entries {
            scratch.clear();
            let prev = current.last().map_or("", |e: &Entry| e.key.as_str());
            encode_entry(&mut scratch, prev, &entry);
            if !current.is_empty() && current_size + scratch.len() > self.chunk_target {
                groups.push(std::mem::take(&mut current));
                current_size = 0;
            }
            current_size += scratch.len();
            current.push(entry);
        }
        if !current.is_empty() {
            groups.push(current);
        }
        let mut chunk_infos = Vec::new();
        let mut chunk_bytes = Vec::new();
        for group in &groups {
            chunk_infos.push(ChunkInfo {
                first: group.first().map(|e| e.key.clone()).unwrap_or_default(),
                last: group.last().map(|e| e.key.clone()).unwrap_or_default(),
            });
            chunk_bytes.push(encode_chunk(group));
        }
        let fragment_bytes: Vec<Vec<u8>> = self.fragments.iter().map(encode_fragment).collect();

        // The build id hashes every file, so names change whenever content does.
        let mut digest = Vec::new();
        digest.push(lang.code());
        digest.extend_from_slice(&(self.page_count as u64).to_le_bytes());
        for b in chunk_bytes.iter().chain(&fragment_bytes) {
            digest.extend_from_slice(&fnv1a64(b).to_le_bytes());
        }
        let meta = Meta {
            lang,
            page_count: u32::try_from(self.page_count).unwrap_or(u32::MAX),
            build_id: format!("{:012x}", fnv1a64(&digest) & 0xffff_ffff_ffff),
            chunks: chunk_infos,
        };
        let chunks = chunk_bytes
            .into_iter()
            .enumerate()
            .map(|(i, b)| (meta.chunk_name(i), b))
            .collect();
        let fragments = fragment_bytes
            .into_iter()
            .zip(&self.fragments)
            .map(|(b, f)| (meta.fragment_name(f.page, f.section), b))
            .collect();
        BuiltIndex {
            meta: encode_meta(&meta),
            chunks,
            fragments,
        }
    }
}

/// Builds a form from (page, section, field) → tf.
fn surface_form(word: &str, occ: &BTreeMap<(u32, u32, Field), u32>) -> Form {
    let mut form = Form::new(FormKind::Surface, word.to_string());
    let mut page_occs: Vec<Occ> = Vec::new();
    let mut current: Option<u32> = None;
    for (&(page, section, field), &tf) in occ {
        if current != Some(page) {
            if let Some(p) = current {
                form.push(p, &page_occs);
            }
            page_occs.clear();
            current = Some(page);
        }
        page_occs.push(Occ {
            section,
            tf: tf.min(MAX_TF) as u16,
            field,
        });
    }
    if let Some(p) = current {
        form.push(p, &page_occs);
    }
    form
}

/// Builds a compound-part form: per page only the strongest occurrence
/// (title over heading over body, then the most frequent, then the first
/// section), with frequency 1. Boost occurrences are left out: a boost term
/// lifts a page for that term, not for the parts of a compound term. This
/// keeps the many part postings small.
fn part_form(word: &str, occ: &BTreeMap<(u32, u32, Field), u32>) -> Form {
    let mut form = Form::new(FormKind::Part, word.to_string());
    let mut best: Option<(u32, Field, u32, u32)> = None; // page, field, tf, section
    for (&(page, section, field), &tf) in occ {
        if field == Field::Boost {
            continue;
        }
        match best {
            Some((p, f, t, _)) if p == page => {
                if (field, tf) > (f, t) {
                    best = Some((page, field, tf, section));
                }
            }
            _ => {
                if let Some((p, f, _, s)) = best {
                    form.push(
                        p,
                        &[Occ {
                            section: s,
                            tf: 1,
                            field: f,
                        }],
                    );
                }
                best = Some((page, field, tf, section));
            }
        }
    }
    if let Some((p, f, _, s)) = best {
        form.push(
            p,
            &[Occ {
                section: s,
                tf: 1,
                field: f,
            }],
        );
    }
    form
}
