//! Search exports: the in-browser query engine of `kader-search` behind a
//! raw C ABI (see the crate docs for the memory conventions).
//!
//! One search session per index (per language):
//!
//! ```text
//! h = search_open(meta)                     // 0: meta unusable
//! per query q:
//!   repeat until names is empty:
//!     names = search_chunks_needed(h, q)    // JSON ["chunk-…", …], not yet loaded
//!     search_add_chunk(h, name, bytes)      // for each; 0 ok, <0 error
//!   search_run(h, q, limit)                 // JSON {"fragments":[…],"count":n}
//!   search_add_fragment(h, name, bytes)     // for each fragment named
//!   search_results(h)                       // JSON [{url,title,section,snippet,
//!                                           //   highlights,titleHighlights}, …]
//! search_close(h)
//! ```
//!
//! Chunks come in rounds because a query word the index does not know is
//! split into index words only once the chunks around it are loaded, and
//! those words may live in other chunks.
//!
//! The hits of the last `search_run` stay inside the engine, so the host
//! never round-trips them. Highlight ranges are `[start, end)` pairs of
//! UTF-16 offsets (JavaScript string indices) into `snippet` and `title`.
//! Loaded chunks and fragments are kept for later queries. No function traps
//! on any input: unknown handles, invalid UTF-8 and corrupt bytes give an
//! empty answer or a negative status.
//!
//! Every export is a thin wrapper over a safe function of the same name
//! without the `search_` prefix, so the logic is tested natively.

use std::cell::RefCell;
use std::fmt::Write as _;

use kader_search::{Hit, Searcher};

use crate::{bytes, give, json_string, text, utf16_offset};

/// Most results one `search_run` keeps.
pub const MAX_LIMIT: u32 = 50;

/// Status codes of the `search_add_*` functions.
pub const OK: i32 = 0;
/// No session with this handle.
pub const ERR_HANDLE: i32 = -1;
/// The bytes or the name do not belong to this index.
pub const ERR_DECODE: i32 = -2;

/// One open index: the searcher and the hits of the last query.
pub struct Session {
    searcher: Searcher,
    hits: Vec<Hit>,
}

thread_local! {
    // Handle h (≥ 1) is slot h − 1. A closed slot is reused.
    static SESSIONS: RefCell<Vec<Option<Session>>> = const { RefCell::new(Vec::new()) };
}

fn with_session<R>(h: u32, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSIONS.with(|s| {
        let mut s = s.borrow_mut();
        let slot = s.get_mut((h as usize).checked_sub(1)?)?;
        slot.as_mut().map(f)
    })
}

// ------------------------------------------------------------------ safe API

/// Opens a session on an index's meta file; the handle (≥ 1), or 0 when the
/// bytes are not a meta file.
pub fn open(meta: &[u8]) -> u32 {
    let Ok(searcher) = Searcher::new(meta) else {
        return 0;
    };
    let session = Session {
        searcher,
        hits: Vec::new(),
    };
    SESSIONS.with(|s| {
        let mut s = s.borrow_mut();
        let i = match s.iter().position(Option::is_none) {
            Some(i) => {
                s[i] = Some(session);
                i
            }
            None => {
                s.push(Some(session));
                s.len() - 1
            }
        };
        u32::try_from(i + 1).unwrap_or(0)
    })
}

/// Closes a session (unknown handles are ignored).
pub fn close(h: u32) {
    SESSIONS.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(slot) = (h as usize).checked_sub(1).and_then(|i| s.get_mut(i)) {
            *slot = None;
        }
        while s.last().is_some_and(Option::is_none) {
            s.pop();
        }
    });
}

/// `{"lang":"nl","pages":n,"chunks":n}` of a session, `null` for an unknown
/// handle.
pub fn info(h: u32) -> String {
    with_session(h, |s| {
        let lang = match s.searcher.language() {
            kader_search::Language::Nl => "nl",
            kader_search::Language::En => "en",
        };
        format!(
            "{{\"lang\":\"{lang}\",\"pages\":{},\"chunks\":{}}}",
            s.searcher.page_count(),
            s.searcher.chunk_names().len()
        )
    })
    .unwrap_or_else(|| "null".into())
}

/// JSON array of the chunk names `query` needs that are not loaded yet.
pub fn chunks_needed(h: u32, query: &str) -> String {
    with_session(h, |s| json_names(&s.searcher.chunks_needed(query))).unwrap_or_else(|| "[]".into())
}

/// Adds a chunk; [`OK`], [`ERR_HANDLE`] or [`ERR_DECODE`].
pub fn add_chunk(h: u32, name: &str, data: &[u8]) -> i32 {
    with_session(h, |s| match s.searcher.add_chunk(name, data) {
        Ok(()) => OK,
        Err(_) => ERR_DECODE,
    })
    .unwrap_or(ERR_HANDLE)
}

/// Runs `query` (at most [`MAX_LIMIT`] hits), keeps the hits and answers
/// `{"fragments":[names not loaded yet],"count":hits}`. Chunks that were not
/// added simply contribute nothing.
pub fn run(h: u32, query: &str, limit: u32) -> String {
    with_session(h, |s| {
        let limit = limit.clamp(1, MAX_LIMIT) as usize;
        s.hits = s.searcher.search(query, limit);
        let frags = s.searcher.fragments_needed(&s.hits);
        format!(
            "{{\"fragments\":{},\"count\":{}}}",
            json_names(&frags),
            s.hits.len()
        )
    })
    .unwrap_or_else(|| "{\"fragments\":[],\"count\":0}".into())
}

/// Adds a fragment; [`OK`], [`ERR_HANDLE`] or [`ERR_DECODE`].
pub fn add_fragment(h: u32, name: &str, data: &[u8]) -> i32 {
    with_session(h, |s| match s.searcher.add_fragment(name, data) {
        Ok(()) => OK,
        Err(_) => ERR_DECODE,
    })
    .unwrap_or(ERR_HANDLE)
}

/// JSON array of the last query's results, best first. A hit whose fragment
/// is not loaded is left out.
pub fn results(h: u32) -> String {
    with_session(h, |s| {
        let mut out = String::from("[");
        for view in s.hits.iter().filter_map(|hit| s.searcher.result(hit)) {
            if out.len() > 1 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"url\":{},\"title\":{},\"section\":{},\"snippet\":{},\"highlights\":{},\"titleHighlights\":{}}}",
                json_string(&view.url_with_anchor),
                json_string(&view.title),
                json_string(&view.section_heading),
                json_string(&view.snippet),
                json_ranges(&view.snippet, &view.highlights),
                json_ranges(&view.title, &view.title_highlights),
            );
        }
        out.push(']');
        out
    })
    .unwrap_or_else(|| "[]".into())
}

fn json_names(names: &[String]) -> String {
    let mut out = String::from("[");
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(n));
    }
    out.push(']');
    out
}

/// Byte ranges in `s` as `[[start,end],…]` in UTF-16 offsets.
fn json_ranges(s: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::from("[");
    for (i, &(a, b)) in ranges.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{},{}]", utf16_offset(s, a), utf16_offset(s, b));
    }
    out.push(']');
    out
}

// ------------------------------------------------------------------ exports

/// Opens a session on the meta file `(ptr, len)`; handle or 0.
///
/// # Safety
/// `(ptr, len)` must be a live buffer from [`crate::kader_alloc`] (or null).
#[no_mangle]
pub unsafe extern "C" fn search_open(ptr: *const u8, len: usize) -> u32 {
    open(bytes(ptr, len))
}

/// Closes a session.
#[no_mangle]
pub extern "C" fn search_close(h: u32) {
    close(h)
}

/// Packed JSON: see [`info`].
#[no_mangle]
pub extern "C" fn search_info(h: u32) -> u64 {
    give(info(h))
}

/// Packed JSON array of chunk names: see [`chunks_needed`].
///
/// # Safety
/// As [`search_open`].
#[no_mangle]
pub unsafe extern "C" fn search_chunks_needed(h: u32, q: *const u8, q_len: usize) -> u64 {
    give(chunks_needed(h, text(q, q_len)))
}

/// Adds a chunk: see [`add_chunk`].
///
/// # Safety
/// As [`search_open`], for both buffers.
#[no_mangle]
pub unsafe extern "C" fn search_add_chunk(
    h: u32,
    name: *const u8,
    name_len: usize,
    data: *const u8,
    data_len: usize,
) -> i32 {
    add_chunk(h, text(name, name_len), bytes(data, data_len))
}

/// Runs a query: see [`run`].
///
/// # Safety
/// As [`search_open`].
#[no_mangle]
pub unsafe extern "C" fn search_run(h: u32, q: *const u8, q_len: usize, limit: u32) -> u64 {
    give(run(h, text(q, q_len), limit))
}

/// Adds a fragment: see [`add_fragment`].
///
/// # Safety
/// As [`search_open`], for both buffers.
#[no_mangle]
pub unsafe extern "C" fn search_add_fragment(
    h: u32,
    name: *const u8,
    name_len: usize,
    data: *const u8,
    data_len: usize,
) -> i32 {
    add_fragment(h, text(name, name_len), bytes(data, data_len))
}

/// Packed JSON array of results: see [`results`].
#[no_mangle]
pub extern "C" fn search_results(h: u32) -> u64 {
    give(results(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kader_search::{BuiltIndex, IndexBuilder, Language, PageInput, Section};

    fn sec(heading: &str, anchor: &str, text: &str) -> Section {
        Section {
            heading: heading.into(),
            anchor: anchor.into(),
            text: text.into(),
        }
    }

    fn index() -> BuiltIndex {
        let mut b = IndexBuilder::new(Language::Nl);
        b.add_page(PageInput {
            url: "/kennisbank/ai-verordening/a3/".into(),
            title: "Artikel 3: Definities".into(),
            sections: vec![
                sec("Definities", "definities", "Begrippen uit de AI-verordening."),
                sec(
                    "Systeemrisico",
                    "^sysrisk",
                    "Systeemrisico: een risico dat samenhangt met de capaciteiten met een grote impact van AI-modellen.",
                ),
            ],
            boost_terms: vec!["systeemrisico".into()],
        });
        b.add_page(PageInput {
            url: "/kennisbank/vereisten/aia-gpai-modelevaluatie-systeemrisico/".into(),
            title: "Modellen met systeemrisico worden geëvalueerd".into(),
            sections: vec![sec(
                "Vereiste",
                "vereiste",
                "De aanbieder van een AI-model met systeemrisico’s evalueert het model — “één” keer per jaar.",
            )],
            boost_terms: vec![],
        });
        b.add_page(PageInput {
            url: "/kennisbank/vereisten/avg/".into(),
            title: "Gegevensbescherming".into(),
            sections: vec![sec(
                "Vereiste",
                "vereiste",
                "Persoonsgegevens worden beschermd.",
            )],
            boost_terms: vec![],
        });
        b.build()
    }

    fn find<'a>(list: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
        &list.iter().find(|(n, _)| n == name).expect("named file").1
    }

    /// The names in a JSON array of strings (names are plain ASCII).
    fn names(json: &str) -> Vec<String> {
        let inner = json.trim_start_matches('[').trim_end_matches(']');
        inner
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_matches('"').to_string())
            .collect()
    }

    /// Runs the whole protocol for `q`; returns the results JSON.
    fn query(h: u32, idx: &BuiltIndex, q: &str) -> String {
        for n in names(&chunks_needed(h, q)) {
            assert_eq!(add_chunk(h, &n, find(&idx.chunks, &n)), OK);
        }
        let r = run(h, q, 10);
        let frags = r
            .split("\"fragments\":")
            .nth(1)
            .and_then(|s| s.split(']').next())
            .unwrap()
            .to_string()
            + "]";
        for n in names(&frags) {
            assert_eq!(add_fragment(h, &n, find(&idx.fragments, &n)), OK);
        }
        results(h)
    }

    #[test]
    fn protocol_finds_definition_and_requirement() {
        let idx = index();
        let h = open(&idx.meta);
        assert!(h >= 1);
        assert_eq!(info(h), "{\"lang\":\"nl\",\"pages\":3,\"chunks\":1}");
        let res = query(h, &idx, "systeemrisico");
        assert!(
            res.starts_with("[{\"url\":\"/kennisbank/ai-verordening/a3/#^sysrisk\""),
            "{res}"
        );
        assert!(
            res.contains("/kennisbank/vereisten/aia-gpai-modelevaluatie-systeemrisico/#vereiste")
        );
        assert!(!res.contains("/avg/"));
        // Already loaded: nothing more needed.
        assert_eq!(chunks_needed(h, "systeemrisico"), "[]");
        // Typo and curly apostrophe.
        assert!(query(h, &idx, "systeemrisco").contains("#^sysrisk"));
        assert!(query(h, &idx, "risico’s").contains("aia-gpai-modelevaluatie"));
        close(h);
        assert_eq!(results(h), "[]");
    }

    #[test]
    fn highlights_are_utf16_offsets() {
        let idx = index();
        let h = open(&idx.meta);
        let res = query(h, &idx, "evalueert geëvalueerd");
        // Title "Modellen met systeemrisico worden geëvalueerd": "geëvalueerd"
        // starts at char 34; 'ë' is 2 bytes but 1 UTF-16 unit.
        let title = "Modellen met systeemrisico worden geëvalueerd";
        let start = title.find("geëvalueerd").unwrap();
        assert_eq!(utf16_offset(title, start), 34);
        assert!(res.contains("\"titleHighlights\":[[34,45]]"), "{res}");
        // Snippet: "De aanbieder van een AI-model met systeemrisico’s evalueert"
        // — ’ is 3 bytes, 1 unit.
        let snippet = "De aanbieder van een AI-model met systeemrisico’s evalueert";
        let s16 = snippet.encode_utf16().count();
        let want = format!("[{},{}]", s16 - "evalueert".len(), s16);
        assert!(res.contains(&want), "{res} lacks {want}");
        close(h);
    }

    #[test]
    fn garbage_never_panics() {
        assert_eq!(open(b""), 0);
        assert_eq!(open(b"KSM1\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), 0);
        assert_eq!(open(b"not a meta file"), 0);
        for h in [0, 1, 99, u32::MAX] {
            assert_eq!(chunks_needed(h, "x"), "[]");
            assert_eq!(run(h, "x", 10), "{\"fragments\":[],\"count\":0}");
            assert_eq!(results(h), "[]");
            assert_eq!(info(h), "null");
            assert_eq!(add_chunk(h, "x", b"y"), ERR_HANDLE);
            assert_eq!(add_fragment(h, "x", b"y"), ERR_HANDLE);
            close(h);
        }
        let idx = index();
        let h = open(&idx.meta);
        let chunk = names(&chunks_needed(h, "systeemrisico")).remove(0);
        assert_eq!(add_chunk(h, &chunk, b"KSC1\x01"), ERR_DECODE);
        assert_eq!(
            add_chunk(h, "chunk-nope-0.bin", &idx.chunks[0].1),
            ERR_DECODE
        );
        let mut bad = idx.chunks[0].1.clone();
        bad.truncate(bad.len() / 2);
        assert_eq!(add_chunk(h, &chunk, &bad), ERR_DECODE);
        // Fragment under another name.
        let (n0, f0) = &idx.fragments[0];
        let (n1, _) = &idx.fragments[1];
        assert_eq!(add_fragment(h, n1, f0), ERR_DECODE);
        assert_eq!(add_fragment(h, n0, f0), OK);
        // Queries that are only punctuation, huge, or control characters.
        for q in [
            "",
            "   ",
            "\u{0}\u{1}\"\\",
            "'s",
            "-",
            &"a".repeat(10_000),
            &"systeemrisico ".repeat(100),
        ] {
            let r = run(h, q, 0);
            assert!(r.starts_with("{\"fragments\":["), "{r}");
            let _ = results(h);
        }
        close(h);
    }

    #[test]
    fn handles_are_reused_and_independent() {
        let idx = index();
        let a = open(&idx.meta);
        let b = open(&idx.meta);
        assert_ne!(a, b);
        close(a);
        assert_eq!(info(a), "null");
        assert!(info(b).starts_with('{'));
        let c = open(&idx.meta);
        assert_eq!(c, a);
        close(b);
        close(c);
    }

    #[test]
    fn json_of_results_escapes_text() {
        let mut b = IndexBuilder::new(Language::En);
        b.add_page(PageInput {
            url: "/x/".into(),
            title: "Quote \"this\" \\ path".into(),
            sections: vec![sec("", "", "quote\nnew line\ttab")],
            boost_terms: vec![],
        });
        let idx = b.build();
        let h = open(&idx.meta);
        let res = query(h, &idx, "quote");
        assert!(
            res.contains("\"title\":\"Quote \\\"this\\\" \\\\ path\""),
            "{res}"
        );
        assert!(res.contains("\"url\":\"/x/\""), "{res}");
        assert!(res.contains("\"section\":\"\""), "{res}");
        close(h);
    }

    #[test]
    fn exports_answer_natively() {
        // Packed pointers do not fit natively; only the lengths are checked.
        let packed = search_results(0);
        assert_eq!(packed & 0xffff_ffff, 2);
        let packed = search_info(0);
        assert_eq!(packed & 0xffff_ffff, 4);
        // SAFETY: null pointers with length 0 read as empty input.
        unsafe {
            assert_eq!(search_open(std::ptr::null(), 0), 0);
            assert_eq!(
                search_add_chunk(0, std::ptr::null(), 0, std::ptr::null(), 0),
                ERR_HANDLE
            );
        }
    }
}
