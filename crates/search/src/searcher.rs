//! The query side: works with whatever part of the index has been loaded.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{is_stopword, Analyzer, Language, TokenKind};
use crate::codec::DecodeError;
use crate::format::{
    decode_chunk, decode_fragment, decode_meta, Chunk, Field, Form, FormKind, Fragment, Meta,
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
/// [`Searcher::chunks_needed`] → fetch → [`Searcher::add_chunk`],
/// [`Searcher::search`], [`Searcher::fragments_needed`] → fetch →
/// [`Searcher::add_fragment`], [`Searcher::result`]. With everything loaded
/// (native) the same calls give the same results: which chunks a word
/// consults is decided by the meta data alone, never by what happens to be
/// loaded.
pub struct Searcher {
    meta: Meta,
    analyzer: Analyzer,
    chunks: Vec<Option<Chunk>>,
    chunk_index: BTreeMap<String, usize>,
    fragments: BTreeMap<(u32, u32), Fragment>,
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
    exact_chunk: Option<usize>,
    prefix: Option<Neighbourhood>,
    fuzzy: Option<Neighbourhood>,
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

    /// Adds a section fragment (by the name [`Searcher::fragments_needed`]
    /// or [`Searcher::fragment_name`] gave).
    pub fn add_fragment(&mut self, name: &str, bytes: &[u8]) -> Result<(), DecodeError> {
        let f = decode_fragment(bytes)?;
        if f.page >= self.meta.page_count {
            return Err(DecodeError {
                what: "fragment page out of range",
                offset: 0,
            });
        }
        if self.meta.fragment_name(f.page, f.section) != name {
            return Err(DecodeError {
                what: "fragment name does not match its page",
                offset: 0,
            });
        }
        self.fragments.insert((f.page, f.section), f);
        Ok(())
    }

    /// Names of the chunks [`Searcher::search`] would consult for `query`
    /// and that are not loaded yet (in key order).
    pub fn chunks_needed(&self, query: &str) -> Vec<String> {
        let mut idx = BTreeSet::new();
        for u in self.plan(query) {
            idx.extend(u.exact_chunk);
            for n in u.prefix.iter().chain(u.fuzzy.iter()) {
                idx.extend(n.chunks.iter().copied());
            }
        }
        idx.into_iter()
            .filter(|&i| self.chunks.get(i).is_some_and(Option::is_none))
            .map(|i| self.meta.chunk_name(i))
            .collect()
    }

    /// Names of the fragments needed to show `hits` that are not loaded yet
    /// (one small file per hit: the hit's section).
    pub fn fragments_needed(&self, hits: &[Hit]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        hits.iter()
            .map(|h| (h.page, h.section))
            .filter(|&(p, s)| p < self.meta.page_count && !self.fragments.contains_key(&(p, s)))
            .filter(|&k| seen.insert(k))
            .map(|(p, s)| self.meta.fragment_name(p, s))
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

    // ------------------------------------------------------------ searching

    /// Finds the best `limit` pages for `query`, using the chunks loaded so
    /// far (a missing chunk means fewer results, never an error).
    ///
    /// Ranking: pages matching more of the query's words come first; then by
    /// score: for each query word the best match on the page (match kind ×
    /// field × a small frequency bonus, plus a little for further matches),
    /// times the word's inverse document frequency, summed over the words;
    /// ties go to the lower page number.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let units = self.plan(query);
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

        // Pass 1: page scores. Dense arrays, reset through `touched` lists.
        let n_pages = f64::from(self.meta.page_count);
        let mut total = vec![0.0f64; n];
        let mut coverage = vec![0u32; n];
        let mut seen = vec![false; n];
        let mut pages: Vec<u32> = Vec::new();
        let mut best = vec![0.0f64; n];
        let mut sum = vec![0.0f64; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut unit_weights = Vec::with_capacity(units.len());
        for (unit, cands) in units.iter().zip(&candidates) {
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
            let w = unit.weight * idf;
            unit_weights.push(w);
            for &page in &touched {
                let i = page as usize;
                total[i] += w * (best[i] + 0.1 * best[i].min(sum[i] - best[i]));
                if unit.required {
                    coverage[i] += 1;
                }
                if !seen[i] {
                    seen[i] = true;
                    pages.push(page);
                }
                best[i] = 0.0;
                sum[i] = 0.0;
            }
            touched.clear();
        }

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
        let mut sections: Vec<Vec<(u32, f64)>> = vec![Vec::new(); pages.len()];
        let mut words: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); pages.len()];
        for (cands, &w) in candidates.iter().zip(&unit_weights) {
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
                        match sections[slot].iter_mut().find(|x| x.0 == o.section) {
                            Some(x) => x.1 += s,
                            None => sections[slot].push((o.section, s)),
                        }
                    }
                }
            }
        }
        pages
            .iter()
            .enumerate()
            .map(|(slot, &page)| {
                let mut section = 0u32;
                let mut top = f64::NEG_INFINITY;
                for &(sec, v) in &sections[slot] {
                    if v > top || (v == top && sec < section) {
                        top = v;
                        section = sec;
                    }
                }
                let i = page as usize;
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
