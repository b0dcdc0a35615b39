//! The query side: works with whatever part of the index has been loaded.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{is_stopword, Analyzer, Language, TokenKind};
use crate::codec::DecodeError;
use crate::compound::{
    is_builtin_part, split_positions, LINKERS, MAX_COMPOUND_LEN, MIN_COMPOUND_LEN,
};
use crate::format::{
    decode_chunk, decode_fragment, decode_meta, Chunk, Field, Form, FormKind, Meta,
};
use crate::snippet::{highlight_ranges, make_snippet};

/// Longest query (in bytes) that is looked at; the rest is ignored.
pub const MAX_QUERY_LEN: usize = 512;
/// Most query words that are used.
pub const MAX_QUERY_WORDS: usize = 12;
/// Shortest last word that is also matched as a prefix.
pub const MIN_PREFIX_LEN: usize = 3;
/// Shortest query word (in letters) that is matched with one typo.
pub const MIN_FUZZY_LEN: usize = 5;
/// Most chunks a prefix or typo lookup of one word may need.
pub const NEIGHBOURHOOD_CHUNKS: usize = 2;
/// Most index words one prefix expands to (the most frequent are kept).
const MAX_PREFIX_EXPANSIONS: usize = 20;
/// Most index words one typo lookup expands to.
const MAX_FUZZY_EXPANSIONS: usize = 10;
/// Most compounds one query word finds as a part (the most frequent are
/// kept), which bounds the work for very productive parts.
pub const MAX_COMPOUND_FORMS: usize = 300;
/// Factor on the matches of the parts of a split query word (a query word
/// the index does not know, searched as the index words it is made of):
/// one step (×0.4) below a typo match, so they rank below real matches.
pub const SPLIT_PART_WEIGHT: f64 = 0.01024;
/// Most units (query words, joined words and parts of split words) of one
/// query: they are tracked per page in a 64-bit mask.
const MAX_UNITS: usize = 64;

/// How a query word matched an index word. Listed from strongest to weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// Same folded word (`risico’s` = `risico`).
    Exact,
    /// Same stem (`beoordelingen` ~ `beoordeling`).
    Stemmed,
    /// The query word is a part of a compound (`risico` in `systeemrisico`).
    CompoundPart,
    /// The last query word is the start of the word (`systeemr`).
    Prefix,
    /// One insertion, deletion, substitution or transposition away.
    Fuzzy,
}

impl MatchKind {
    /// Weight of the match kind. Consecutive kinds differ by a factor 2.5,
    /// more than all field and frequency factors together (at most 2.4), so
    /// for one query word a stronger kind always wins.
    pub fn weight(self) -> f64 {
        match self {
            MatchKind::Exact => 1.0,
            MatchKind::Stemmed => 0.4,
            MatchKind::CompoundPart => 0.16,
            MatchKind::Prefix => 0.064,
            MatchKind::Fuzzy => 0.0256,
        }
    }
}

fn field_weight(field: Field) -> f64 {
    match field {
        Field::Body => 1.0,
        Field::Heading => 1.3,
        Field::Title => 1.6,
        Field::Boost => 1.9,
    }
}

fn tf_factor(tf: u16) -> f64 {
    1.0 + 0.05 * f64::from(tf.saturating_sub(1).min(3))
}

/// One search result: a page, its best section and what matched.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Page number (the order of [`crate::IndexBuilder::add_page`] calls).
    pub page: u32,
    /// Relevance score (higher is better); only meaningful among hits with
    /// the same `matched_words`.
    pub score: f32,
    /// Index of the best matching section of the page.
    pub section: u32,
    /// Index words that matched on this page (folded; for a compound-part
    /// match the whole compound). Used to highlight the snippet.
    pub matched_terms: Vec<String>,
    /// How many of the query's words matched on this page. Hits are ordered
    /// by this first, then by `score`, then by page number.
    pub matched_words: u32,
}

/// The hits `from..from + n` of a result list, clipped to the hits there
/// are: one page of results.
pub fn page_of(hits: &[Hit], from: usize, n: usize) -> &[Hit] {
    let start = from.min(hits.len());
    let end = start.saturating_add(n).min(hits.len());
    &hits[start..end]
}

/// A hit made ready for display (needs the hit's fragment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultView {
    /// `url#anchor` of the best section (just `url` without an anchor).
    pub url_with_anchor: String,
    /// Page title.
    pub title: String,
    /// Heading of the best section (may be empty).
    pub section_heading: String,
    /// About 25 words of the section around the best match, whitespace
    /// collapsed, with `… ` / ` …` where text was cut.
    pub snippet: String,
    /// Byte ranges `(start, end)` in `snippet` of the matched words, sorted
    /// and not overlapping.
    pub highlights: Vec<(usize, usize)>,
    /// Byte ranges in `title` of the matched words.
    pub title_highlights: Vec<(usize, usize)>,
}

/// Query engine over a (partially) loaded index.
///
/// In the browser: [`Searcher::new`] with the meta file, then per query
/// [`Searcher::chunks_needed`] → fetch → [`Searcher::add_chunk`] (repeated
/// until `chunks_needed` returns nothing: splitting an unknown compound needs
/// a second look), [`Searcher::search`], [`Searcher::fragments_needed`] →
/// fetch → [`Searcher::add_fragment`], [`Searcher::result`]. With everything
/// loaded (native) the same calls give the same results: which chunks a word
/// consults is decided by the meta data and the chunks it asked for before,
/// never by what else happens to be loaded.
pub struct Searcher {
    meta: Meta,
    analyzer: Analyzer,
    chunks: Vec<Option<Chunk>>,
    chunk_index: BTreeMap<String, usize>,
    fragments: BTreeMap<(u32, u32), SectionView>,
}

/// What a loaded fragment file says about one section.
#[derive(Clone, Debug)]
struct SectionView {
    url: String,
    title: String,
    heading: String,
    anchor: String,
    text: String,
}

/// Whether a string is a word of the index, as far as the loaded chunks tell.
enum Look {
    Yes,
    No,
    /// The chunk that would tell is not loaded.
    Missing(usize),
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("lang", &self.meta.lang)
            .field("pages", &self.meta.page_count)
            .field("chunks", &self.meta.chunks.len())
            .field(
                "chunks_loaded",
                &self.chunks.iter().filter(|c| c.is_some()).count(),
            )
            .field("fragments_loaded", &self.fragments.len())
            .finish()
    }
}

/// Which chunks (by index) a prefix or typo lookup consults, and the key
/// prefix the entries must have.
#[derive(Debug)]
struct Neighbourhood {
    key_prefix: String,
    chunks: Vec<usize>,
}

#[derive(Debug)]
struct Unit {
    term: String,
    chars: Vec<char>,
    stem: String,
    required: bool,
    weight: f64,
    /// The query word this unit stands for: a word counts as matched on a
    /// page when its own unit matched, or all the parts it was split into.
    group: usize,
    /// A part of a split query word (exact lookup only, weighed with
    /// [`SPLIT_PART_WEIGHT`]).
    split_part: bool,
    exact_chunk: Option<usize>,
    prefix: Option<Neighbourhood>,
    fuzzy: Option<Neighbourhood>,
}

/// What pass 2 of a search gathers about one section of a hit's page.
#[derive(Clone, Debug)]
struct SectionScore {
    section: u32,
    score: f64,
    /// Words of the section's heading (0 when no heading matched).
    heading_words: u8,
    /// Units with a heading occurrence here (bit per unit).
    in_heading: u64,
    /// The same, without compound-part matches (the heading has the word
    /// itself, not a compound of it).
    whole_in_heading: u64,
}

impl SectionScore {
    /// 2: the heading is exactly the query words that match on the page; 1:
    /// the heading holds all of them; 0: otherwise.
    fn tier(&self, wanted: u64) -> u8 {
        if wanted == 0 || self.in_heading & wanted != wanted {
            0
        } else if self.whole_in_heading & wanted == wanted
            && u32::from(self.heading_words) == wanted.count_ones()
        {
            2
        } else {
            1
        }
    }
}

impl Searcher {
    /// Starts from the meta file of an index.
    pub fn new(meta: &[u8]) -> Result<Searcher, DecodeError> {
        let meta = decode_meta(meta)?;
        let chunk_index = (0..meta.chunks.len())
            .map(|i| (meta.chunk_name(i), i))
            .collect();
        Ok(Searcher {
            analyzer: Analyzer::new(meta.lang),
            chunks: vec![None; meta.chunks.len()],
            chunk_index,
            fragments: BTreeMap::new(),
            meta,
        })
    }

    /// Language of the index.
    pub fn language(&self) -> Language {
        self.meta.lang
    }

    /// Number of pages in the index.
    pub fn page_count(&self) -> u32 {
        self.meta.page_count
    }

    /// Names of all term chunks, in key order.
    pub fn chunk_names(&self) -> Vec<String> {
        (0..self.meta.chunks.len())
            .map(|i| self.meta.chunk_name(i))
            .collect()
    }

    /// File name of the fragment of one section of a page.
    pub fn fragment_name(&self, page: u32, section: u32) -> String {
        self.meta.fragment_name(page, section)
    }

    /// True when the chunk with this name has been added.
    pub fn has_chunk(&self, name: &str) -> bool {
        self.chunk_index
            .get(name)
            .and_then(|&i| self.chunks.get(i))
            .is_some_and(Option::is_some)
    }

    /// Adds a term chunk (by the name the meta file gives it). Adding a chunk
    /// twice is harmless.
    pub fn add_chunk(&mut self, name: &str, bytes: &[u8]) -> Result<(), DecodeError> {
        let &i = self.chunk_index.get(name).ok_or(DecodeError {
            what: "chunk name not in this index",
            offset: 0,
        })?;
        let chunk = decode_chunk(bytes, self.meta.page_count)?;
        let info = &self.meta.chunks[i];
        let first = chunk.entries.first().map(|e| e.key.as_str());
        let last = chunk.entries.last().map(|e| e.key.as_str());
        if first != Some(info.first.as_str()) || last != Some(info.last.as_str()) {
            return Err(DecodeError {
                what: "chunk does not match its key range",
                offset: 0,
            });
        }
        self.chunks[i] = Some(chunk);
        Ok(())
    }

    /// Adds a fragment file (by the name [`Searcher::fragments_needed`]
    /// or [`Searcher::fragment_name`] gave).
    pub fn add_fragment(&mut self, name: &str, bytes: &[u8]) -> Result<(), DecodeError> {
        let err = |what| DecodeError { what, offset: 0 };
        let f = decode_fragment(bytes)?;
        if f.page >= self.meta.page_count {
            return Err(err("fragment page out of range"));
        }
        let (piece, first, next) = self.meta.piece_of(f.page, f.first_section);
        if first != f.first_section || self.meta.piece_name(f.page, piece) != name {
            return Err(err("fragment name does not match its page"));
        }
        let count = f.sections.len() as u64;
        if next.is_some_and(|next| u64::from(first) + count != u64::from(next)) {
            return Err(err("fragment does not hold its sections"));
        }
        for (i, s) in f.sections.into_iter().enumerate() {
            let section = first.saturating_add(i as u32);
            self.fragments.insert(
                (f.page, section),
                SectionView {
                    url: f.url.clone(),
                    title: f.title.clone(),
                    heading: s.heading,
                    anchor: s.anchor,
                    text: s.text,
                },
            );
        }
        Ok(())
    }

    /// Names of the chunks [`Searcher::search`] would consult for `query`
    /// and that are not loaded yet (in key order). A query word the index
    /// does not know is split into index words once the chunks around it are
    /// loaded, which may need further chunks: call this again after adding
    /// the chunks it named, until it names none (two or three rounds for a
    /// compound, one for everything else).
    pub fn chunks_needed(&self, query: &str) -> Vec<String> {
        let units = self.plan(query);
        let mut idx = BTreeSet::new();
        for u in &units {
            idx.extend(u.exact_chunk);
            for n in u.prefix.iter().chain(u.fuzzy.iter()) {
                idx.extend(n.chunks.iter().copied());
            }
        }
        for u in &units {
            if self.wants_split(u) {
                if let Err(missing) = self.split_query_word(&u.term) {
                    idx.extend(missing);
                }
            }
        }
        idx.into_iter()
            .filter(|&i| self.chunks.get(i).is_some_and(Option::is_none))
            .map(|i| self.meta.chunk_name(i))
            .collect()
    }

    /// Names of the fragment files needed to show `hits` that are not loaded
    /// yet (one per hit at most: the file holding the hit's section).
    pub fn fragments_needed(&self, hits: &[Hit]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        hits.iter()
            .map(|h| (h.page, h.section))
            .filter(|&(p, s)| p < self.meta.page_count && !self.fragments.contains_key(&(p, s)))
            .map(|(p, s)| self.meta.fragment_name(p, s))
            .filter(|name| seen.insert(name.clone()))
            .collect()
    }

    // ------------------------------------------------------------ planning

    /// Index of the chunk whose key range contains `key`.
    fn chunk_containing(&self, key: &str) -> Option<usize> {
        let i = self.meta.chunks.partition_point(|c| c.last.as_str() < key);
        let c = self.meta.chunks.get(i)?;
        (c.first.as_str() <= key).then_some(i)
    }

    /// The chunks a prefix or typo lookup of `term` consults: among the
    /// chunks that may hold keys starting with `key_prefix`, the one where
    /// `term` sorts, plus one neighbour — the next chunk for a prefix lookup
    /// (completions sort after the typed text), for a typo lookup the
    /// neighbour on the side whose boundary key shares more with `term`.
    fn neighbourhood(&self, key_prefix: &str, term: &str, for_prefix: bool) -> Neighbourhood {
        let chunks = &self.meta.chunks;
        let lo = chunks.partition_point(|c| c.last.as_str() < key_prefix);
        let hi = lo
            + chunks[lo..].partition_point(|c| {
                c.first.as_str() <= key_prefix || c.first.starts_with(key_prefix)
            });
        let mut picked = Vec::new();
        if lo < hi {
            let centre = chunks
                .partition_point(|c| c.first.as_str() <= term)
                .saturating_sub(1)
                .clamp(lo, hi - 1);
            picked.push(centre);
            let c = &chunks[centre];
            let go_left =
                !for_prefix && common_prefix_len(term, &c.first) > common_prefix_len(term, &c.last);
            if go_left && centre > lo {
                picked.insert(0, centre - 1);
            } else if !go_left && centre + 1 < hi {
                picked.push(centre + 1);
            }
        }
        Neighbourhood {
            key_prefix: key_prefix.to_string(),
            chunks: picked,
        }
    }

    fn plan(&self, query: &str) -> Vec<Unit> {
        let mut cut = query.len().min(MAX_QUERY_LEN);
        while !query.is_char_boundary(cut) {
            cut -= 1;
        }
        let query = &query[..cut];
        let tokens = self.analyzer.analyze(query);
        let lang = self.meta.lang;
        let words: Vec<_> = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let all_stop = words.iter().all(|t| is_stopword(&t.term, lang));
        let last_word = words.last().map(|t| t.term.clone());
        let typing = !query.ends_with(|c: char| c.is_whitespace());
        let mut units: Vec<Unit> = Vec::new();
        for t in &tokens {
            if units.len() >= MAX_QUERY_WORDS {
                break;
            }
            if units.iter().any(|u| u.term == t.term) {
                continue;
            }
            let joined = t.kind == TokenKind::Joined;
            if !joined && !all_stop && is_stopword(&t.term, lang) {
                continue;
            }
            let chars: Vec<char> = t.term.chars().collect();
            let mut unit = Unit {
                term: t.term.clone(),
                stem: t.stem.clone(),
                chars,
                required: !joined,
                weight: if joined { 0.5 } else { 1.0 },
                group: units.len(),
                split_part: false,
                exact_chunk: self.chunk_containing(&t.stem),
                prefix: None,
                fuzzy: None,
            };
            let n = unit.chars.len();
            if !joined
                && typing
                && last_word.as_deref() == Some(t.term.as_str())
                && n >= MIN_PREFIX_LEN
            {
                let keep = (n.saturating_sub(3)).max(MIN_PREFIX_LEN);
                let prefix: String = unit.chars[..keep.min(n)].iter().collect();
                unit.prefix = Some(self.neighbourhood(&prefix, &t.term, true));
            }
            if !joined && n >= MIN_FUZZY_LEN && unit.chars.iter().all(|c| c.is_alphabetic()) {
                let prefix: String = unit.chars[..2].iter().collect();
                unit.fuzzy = Some(self.neighbourhood(&prefix, &t.term, false));
            }
            units.push(unit);
        }
        units
    }

    // ------------------------------------------------------------ compounds

    /// Whether `u` is a query word the index does not know, to be split into
    /// index words: a Dutch word of `MIN_COMPOUND_LEN`..=`MAX_COMPOUND_LEN`
    /// letters without an exact, stemmed, compound-part or prefix match (a
    /// typo match does not count). `false` while the chunks that decide it
    /// are not loaded.
    fn wants_split(&self, u: &Unit) -> bool {
        if self.meta.lang != Language::Nl
            || !u.required
            || u.split_part
            || !(MIN_COMPOUND_LEN..=MAX_COMPOUND_LEN).contains(&u.term.len())
            || !u.term.bytes().all(|b| b.is_ascii_lowercase())
        {
            return false;
        }
        let loaded = |i: &usize| self.chunks.get(*i).is_some_and(Option::is_some);
        if !u.exact_chunk.iter().all(loaded)
            || !u.prefix.iter().all(|n| n.chunks.iter().all(loaded))
        {
            return false;
        }
        self.candidates(u)
            .iter()
            .all(|(_, kind)| *kind == MatchKind::Fuzzy)
    }

    /// Whether `s` is a word of the index (a surface form).
    fn is_index_word(&self, s: &str) -> Look {
        let stem = self.analyzer.stem(s);
        let Some(ci) = self.chunk_containing(&stem) else {
            return Look::No;
        };
        let Some(Some(chunk)) = self.chunks.get(ci) else {
            return Look::Missing(ci);
        };
        let found = chunk
            .entries
            .binary_search_by(|e| e.key.as_str().cmp(&stem))
            .ok()
            .and_then(|ei| chunk.entries.get(ei))
            .is_some_and(|e| {
                e.forms
                    .iter()
                    .any(|f| f.kind == FormKind::Surface && f.word == s)
            });
        if found {
            Look::Yes
        } else {
            Look::No
        }
    }

    /// Splits a query word into words of the index, with the rules of
    /// [`crate::split_compound`] (fewest parts, ...; linkers `s`, `e`, `en`
    /// between parts), where a part must be a word of the index (a
    /// three-letter part also in the built-in list). Only substrings that
    /// start where the word or an earlier part (plus linker) ends are looked
    /// up, so each round needs the chunks around one more part. `Err`: the
    /// chunks still needed; `Ok(None)`: not a compound of index words.
    fn split_query_word(&self, w: &str) -> Result<Option<Vec<String>>, BTreeSet<usize>> {
        let n = w.len();
        if !(MIN_COMPOUND_LEN..=MAX_COMPOUND_LEN).contains(&n) {
            return Ok(None);
        }
        let mut reach = [false; MAX_COMPOUND_LEN + 1];
        reach[0] = true;
        // words[i] bit j: w[i..j] is a word of the index
        let mut words = [0u64; MAX_COMPOUND_LEN + 1];
        let mut missing = BTreeSet::new();
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            for j in (i + 3)..=n {
                if i == 0 && j == n {
                    continue;
                }
                let s = &w[i..j];
                if s.len() == 3 && !is_builtin_part(s) {
                    continue;
                }
                match self.is_index_word(s) {
                    Look::Yes => {
                        words[i] |= 1u64 << j;
                        for linker in LINKERS {
                            let k = j + linker.len();
                            if k < n && w[j..].starts_with(linker) {
                                reach[k] = true;
                            }
                        }
                    }
                    Look::No => {}
                    Look::Missing(c) => {
                        missing.insert(c);
                    }
                }
            }
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        let parts = split_positions(w, |i, j| words[i] & (1u64 << j) != 0);
        Ok(parts.map(|ps| ps.iter().map(|&(s, e, _)| w[s..e].to_string()).collect()))
    }

    /// The query's units: [`Searcher::plan`], plus the parts of the query
    /// words that are split (when the loaded chunks allow it).
    fn units(&self, query: &str) -> Vec<Unit> {
        let mut units = self.plan(query);
        let main = units.len();
        for ui in 0..main {
            if !self.wants_split(&units[ui]) {
                continue;
            }
            let Ok(Some(parts)) = self.split_query_word(&units[ui].term) else {
                continue;
            };
            if units.len() + parts.len() > MAX_UNITS {
                break;
            }
            let (group, weight) = (units[ui].group, units[ui].weight);
            for part in parts {
                let stem = self.analyzer.stem(&part);
                units.push(Unit {
                    chars: part.chars().collect(),
                    exact_chunk: self.chunk_containing(&stem),
                    term: part,
                    stem,
                    required: true,
                    weight,
                    group,
                    split_part: true,
                    prefix: None,
                    fuzzy: None,
                });
            }
        }
        units
    }

    // ------------------------------------------------------------ searching

    /// Finds the best `limit` pages for `query`, using the chunks loaded so
    /// far (a missing chunk means fewer results, never an error).
    ///
    /// Ranking: pages matching more of the query's words come first; then by
    /// score: for each query word the best match on the page (match kind ×
    /// field × a small frequency bonus, plus a little for further matches),
    /// times the word's inverse document frequency, summed over the words;
    /// ties go to the lower page number. A query word the index does not
    /// know may be matched through the index words it is made of (all of
    /// them on the page), weighed [`SPLIT_PART_WEIGHT`].
    ///
    /// The hit's section is the one whose heading matches the query best —
    /// a heading made of exactly the matched query words, then a heading
    /// holding all of them — and then the one with the highest summed
    /// heading and body score (ties to the earlier section).
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let units = self.units(query);
        if units.is_empty() || limit == 0 {
            return Vec::new();
        }
        let candidates: Vec<Vec<(&Form, MatchKind)>> =
            units.iter().map(|u| self.candidates(u)).collect();
        // Postings are validated against the page count, which is bounded.
        let n = candidates
            .iter()
            .flatten()
            .filter_map(|(f, _)| f.postings.last())
            .map(|p| p.page as usize + 1)
            .max()
            .unwrap_or(0);

        // Per query word: the bits of its own unit and of its parts.
        let groups = units.iter().map(|u| u.group + 1).max().unwrap_or(0);
        let mut own_bits = vec![0u64; groups];
        let mut part_bits = vec![0u64; groups];
        let mut required_bits = 0u64;
        for (ui, u) in units.iter().enumerate() {
            if !u.required {
                continue;
            }
            required_bits |= 1 << ui;
            if u.split_part {
                part_bits[u.group] |= 1 << ui;
            } else {
                own_bits[u.group] |= 1 << ui;
            }
        }

        // Pass 1: page scores. Dense arrays, reset through `touched` lists.
        let n_pages = f64::from(self.meta.page_count);
        let mut total = vec![0.0f64; n];
        let mut matched = vec![0u64; n];
        let mut seen = vec![false; n];
        let mut pages: Vec<u32> = Vec::new();
        let mut best = vec![0.0f64; n];
        let mut sum = vec![0.0f64; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut unit_weights = Vec::with_capacity(units.len());
        for (ui, (unit, cands)) in units.iter().zip(&candidates).enumerate() {
            for (form, kind) in cands {
                let kw = kind.weight();
                for p in &form.postings {
                    let i = p.page as usize;
                    if sum[i] == 0.0 {
                        touched.push(p.page);
                    }
                    for o in form.occs(p) {
                        let s = kw * field_weight(o.field) * tf_factor(o.tf);
                        best[i] = best[i].max(s);
                        sum[i] += s;
                    }
                }
            }
            let df = touched.len() as f64;
            let idf = crate::math::ln(1.0 + (n_pages - df + 0.5).max(0.0) / (df + 0.5));
            let scale = if unit.split_part {
                SPLIT_PART_WEIGHT
            } else {
                1.0
            };
            let w = unit.weight * scale * idf;
            unit_weights.push(w);
            for &page in &touched {
                let i = page as usize;
                total[i] += w * (best[i] + 0.1 * best[i].min(sum[i] - best[i]));
                matched[i] |= 1 << ui;
                if !seen[i] {
                    seen[i] = true;
                    pages.push(page);
                }
                best[i] = 0.0;
                sum[i] = 0.0;
            }
            touched.clear();
        }
        let coverage: Vec<u32> = matched
            .iter()
            .map(|&m| {
                (0..groups)
                    .filter(|&g| {
                        m & own_bits[g] != 0
                            || (part_bits[g] != 0 && m & part_bits[g] == part_bits[g])
                    })
                    .count() as u32
            })
            .collect();

        // Select the top `limit` pages.
        let order = |a: &u32, b: &u32| {
            let (x, y) = (*a as usize, *b as usize);
            coverage[y]
                .cmp(&coverage[x])
                .then(total[y].total_cmp(&total[x]))
                .then(a.cmp(b))
        };
        if pages.len() > limit {
            pages.select_nth_unstable_by(limit, order);
            pages.truncate(limit);
        }
        pages.sort_unstable_by(order);

        // Pass 2, for the selected pages only: best section and matched words.
        // Per section: score, heading words, units matched in the heading
        // (any kind; not as a compound part).
        let mut sections: Vec<Vec<SectionScore>> = vec![Vec::new(); pages.len()];
        let mut words: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); pages.len()];
        for (ui, (cands, &w)) in candidates.iter().zip(&unit_weights).enumerate() {
            for (form, kind) in cands {
                let kw = kind.weight();
                for (slot, &page) in pages.iter().enumerate() {
                    let Ok(pi) = form.postings.binary_search_by(|p| p.page.cmp(&page)) else {
                        continue;
                    };
                    words[slot].insert(&form.word);
                    for o in form.occs(&form.postings[pi]) {
                        if !matches!(o.field, Field::Body | Field::Heading) {
                            continue;
                        }
                        let s = w * kw * field_weight(o.field) * tf_factor(o.tf);
                        let list = &mut sections[slot];
                        let x = match list.iter().position(|x| x.section == o.section) {
                            Some(i) => &mut list[i],
                            None => {
                                list.push(SectionScore {
                                    section: o.section,
                                    score: 0.0,
                                    heading_words: 0,
                                    in_heading: 0,
                                    whole_in_heading: 0,
                                });
                                let last = list.len() - 1;
                                &mut list[last]
                            }
                        };
                        x.score += s;
                        if o.field == Field::Heading {
                            x.heading_words = o.heading_words;
                            x.in_heading |= 1 << ui;
                            if *kind != MatchKind::CompoundPart {
                                x.whole_in_heading |= 1 << ui;
                            }
                        }
                    }
                }
            }
        }
        pages
            .iter()
            .enumerate()
            .map(|(slot, &page)| {
                let i = page as usize;
                let wanted = matched[i] & required_bits;
                let mut section = 0u32;
                let mut top = (0u8, f64::NEG_INFINITY);
                for x in &sections[slot] {
                    let key = (x.tier(wanted), x.score);
                    let better = key.0 > top.0
                        || (key.0 == top.0
                            && (key.1 > top.1 || (key.1 == top.1 && x.section < section)));
                    if better {
                        top = key;
                        section = x.section;
                    }
                }
                Hit {
                    page,
                    score: total[i] as f32,
                    section,
                    matched_terms: words[slot].iter().map(|w| w.to_string()).collect(),
                    matched_words: coverage[i],
                }
            })
            .collect()
    }

    /// All index words one query word matches, with the best kind each.
    fn candidates(&self, unit: &Unit) -> Vec<(&Form, MatchKind)> {
        // (chunk, entry, form) → kind; BTreeMap keeps the order deterministic.
        let mut found: BTreeMap<(usize, usize, usize), MatchKind> = BTreeMap::new();
        if let Some(ci) = unit.exact_chunk {
            if let Some(Some(chunk)) = self.chunks.get(ci) {
                if let Ok(ei) = chunk
                    .entries
                    .binary_search_by(|e| e.key.as_str().cmp(&unit.stem))
                {
                    let forms = &chunk.entries[ei].forms;
                    let mut parts: Vec<(usize, usize)> = Vec::new();
                    for (fi, form) in forms.iter().enumerate() {
                        let kind = match form.kind {
                            FormKind::Surface if form.word == unit.term => MatchKind::Exact,
                            FormKind::Surface => MatchKind::Stemmed,
                            FormKind::Part => {
                                parts.push((fi, form.postings.len()));
                                continue;
                            }
                        };
                        found.insert((ci, ei, fi), kind);
                    }
                    if parts.len() > MAX_COMPOUND_FORMS {
                        // most frequent first; ties by position (= by word)
                        parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                        parts.truncate(MAX_COMPOUND_FORMS);
                    }
                    for (fi, _) in parts {
                        found.insert((ci, ei, fi), MatchKind::CompoundPart);
                    }
                }
            }
        }
        let mut expand =
            |hood: &Neighbourhood, kind: MatchKind, max: usize, test: &dyn Fn(&str) -> bool| {
                let mut extra: Vec<((usize, usize, usize), usize, &str)> = Vec::new();
                for &ci in &hood.chunks {
                    let Some(Some(chunk)) = self.chunks.get(ci) else {
                        continue;
                    };
                    let start = chunk
                        .entries
                        .partition_point(|e| e.key.as_str() < hood.key_prefix.as_str());
                    for (ei, entry) in chunk.entries.iter().enumerate().skip(start) {
                        if !entry.key.starts_with(&hood.key_prefix) {
                            break;
                        }
                        for (fi, form) in entry.forms.iter().enumerate() {
                            if form.kind == FormKind::Surface
                                && !found.contains_key(&(ci, ei, fi))
                                && test(&form.word)
                            {
                                extra.push(((ci, ei, fi), form.postings.len(), &form.word));
                            }
                        }
                    }
                }
                // Keep the most frequent words, ties by word.
                extra.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(b.2)));
                for (id, _, _) in extra.into_iter().take(max) {
                    found.insert(id, kind);
                }
            };
        if let Some(hood) = &unit.prefix {
            let term = unit.term.as_str();
            expand(hood, MatchKind::Prefix, MAX_PREFIX_EXPANSIONS, &|w| {
                w.starts_with(term) && w != term
            });
        }
        if let Some(hood) = &unit.fuzzy {
            let chars = &unit.chars;
            expand(hood, MatchKind::Fuzzy, MAX_FUZZY_EXPANSIONS, &|w| {
                one_edit(chars, w)
            });
        }
        found
            .into_iter()
            .filter_map(|((ci, ei, fi), kind)| {
                let form = self
                    .chunks
                    .get(ci)?
                    .as_ref()?
                    .entries
                    .get(ei)?
                    .forms
                    .get(fi)?;
                Some((form, kind))
            })
            .collect()
    }

    // ------------------------------------------------------------ display

    /// Makes a hit displayable; `None` when its fragment is not loaded (see
    /// [`Searcher::fragments_needed`]).
    pub fn result(&self, hit: &Hit) -> Option<ResultView> {
        let frag = self.fragments.get(&(hit.page, hit.section))?;
        let matched: BTreeSet<&str> = hit.matched_terms.iter().map(String::as_str).collect();
        let (heading, anchor, text) = (
            frag.heading.as_str(),
            frag.anchor.as_str(),
            frag.text.as_str(),
        );
        let body = if text.trim().is_empty() {
            heading
        } else {
            text
        };
        let (snippet, highlights) = make_snippet(body, &self.analyzer, &matched);
        let url_with_anchor = if anchor.is_empty() {
            frag.url.clone()
        } else {
            format!("{}#{}", frag.url, anchor)
        };
        Some(ResultView {
            url_with_anchor,
            title: frag.title.clone(),
            section_heading: heading.to_string(),
            snippet,
            highlights,
            title_highlights: highlight_ranges(&frag.title, &self.analyzer, &matched),
        })
    }
}

fn common_prefix_len(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// True when `word` is exactly one Damerau edit (insertion, deletion,
/// substitution, or transposition of neighbours) away from `query`.
pub(crate) fn one_edit(query: &[char], word: &str) -> bool {
    let n = word.chars().count();
    if n.abs_diff(query.len()) > 1 {
        return false;
    }
    let w: Vec<char> = word.chars().collect();
    let (a, b) = (query, w.as_slice());
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            if i == a.len() {
                return false; // identical
            }
            a[i + 1..] == b[i + 1..]
                || (i + 1 < a.len()
                    && a[i] == b[i + 1]
                    && a[i + 1] == b[i]
                    && a[i + 2..] == b[i + 2..])
        }
        std::cmp::Ordering::Greater => a[i + 1..] == b[i..],
        std::cmp::Ordering::Less => a[i..] == b[i + 1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(a: &str, b: &str) -> bool {
        one_edit(&a.chars().collect::<Vec<_>>(), b)
    }

    #[test]
    fn a_page_of_hits_is_clipped_to_the_hits_there_are() {
        let hits: Vec<Hit> = (0..5)
            .map(|page| Hit {
                page,
                score: 1.0,
                section: 0,
                matched_terms: Vec::new(),
                matched_words: 1,
            })
            .collect();
        let pages =
            |from, n| -> Vec<u32> { page_of(&hits, from, n).iter().map(|h| h.page).collect() };
        assert_eq!(pages(0, 2), [0, 1]);
        assert_eq!(pages(4, 10), [4]);
        assert_eq!(pages(7, 2), Vec::<u32>::new());
        assert_eq!(pages(1, usize::MAX), [1, 2, 3, 4]);
    }

    #[test]
    fn damerau_one_edit() {
        assert!(edit("systeemrisco", "systeemrisico")); // deletion in query
        assert!(edit("systeemrisicoo", "systeemrisico")); // insertion
        assert!(edit("systeemrisoco", "systeemrisico")); // substitution
        assert!(edit("systeemrsiico", "systeemrisico")); // transposition
        assert!(edit("ysteem", "systeem"));
        assert!(edit("systeme", "systeem"));
        assert!(!edit("systeem", "systeem"));
        assert!(!edit("sysetme", "systeem"));
        assert!(!edit("risico", "risicobeheer"));
        assert!(edit("coöperatie", "cooperatie"));
    }
}
