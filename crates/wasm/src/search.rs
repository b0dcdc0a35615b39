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
//! Or, to show every hit a page at a time: `search_run_all(h, q)` keeps all
//! hits and answers `{"count":n}`; then per page `search_fragments_for(h,
//! from, n)` names the fragments hits `from..from+n` need and
//! `search_results_range(h, from, n)` gives their results.
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

use kader_search::{json, page_of, Hit, Searcher};

use crate::{bytes, give, text, Handles};

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
    static SESSIONS: RefCell<Handles<Session>> = const { RefCell::new(Handles::new()) };
}

fn with_session<R>(h: u32, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSIONS.with(|s| s.borrow_mut().get_mut(h).map(f))
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
    SESSIONS.with(|s| s.borrow_mut().insert(session))
}

/// Closes a session (unknown handles are ignored).
pub fn close(h: u32) {
    SESSIONS.with(|s| drop(s.borrow_mut().remove(h)));
}

/// `{"lang":"nl","pages":n,"chunks":n}` of a session, `null` for an unknown
/// handle.
pub fn info(h: u32) -> String {
    with_session(h, |s| json::info(&s.searcher)).unwrap_or_else(|| "null".into())
}

/// JSON array of the chunk names `query` needs that are not loaded yet.
pub fn chunks_needed(h: u32, query: &str) -> String {
    with_session(h, |s| json::names(&s.searcher.chunks_needed(query)))
        .unwrap_or_else(|| "[]".into())
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
        json::run(&s.searcher.fragments_needed(&s.hits), s.hits.len())
    })
    .unwrap_or_else(|| "{\"fragments\":[],\"count\":0}".into())
}

/// Runs `query` keeping every hit (best first) and answers `{"count":n}`;
/// [`fragments_for`] and [`results_range`] then page through them.
pub fn run_all(h: u32, query: &str) -> String {
    with_session(h, |s| {
        s.hits = s.searcher.search(query, usize::MAX);
        format!("{{\"count\":{}}}", s.hits.len())
    })
    .unwrap_or_else(|| "{\"count\":0}".into())
}

/// JSON array of the fragment names not loaded yet that the kept hits
/// `from..from + n` need.
pub fn fragments_for(h: u32, from: u32, n: u32) -> String {
    with_session(h, |s| {
        let hits = page_of(&s.hits, from as usize, n as usize);
        json::names(&s.searcher.fragments_needed(hits))
    })
    .unwrap_or_else(|| "[]".into())
}

/// The kept hits `from..from + n`, as [`results`] gives them.
pub fn results_range(h: u32, from: u32, n: u32) -> String {
    with_session(h, |s| {
        json::results(&s.searcher, page_of(&s.hits, from as usize, n as usize))
    })
    .unwrap_or_else(|| "[]".into())
}

/// Adds a fragment; [`OK`], [`ERR_HANDLE`] or [`ERR_DECODE`].
pub fn add_fragment(h: u32, name: &str, data: &[u8]) -> i32 {
    with_session(h, |s| match s.searcher.add_fragment(name, data) {
        Ok(()) => OK,
        Err(_) => ERR_DECODE,
    })
    .unwrap_or(ERR_HANDLE)
}

/// JSON array of the last query's results, best first (see
/// [`json::results`]).
pub fn results(h: u32) -> String {
    with_session(h, |s| json::results(&s.searcher, &s.hits)).unwrap_or_else(|| "[]".into())
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

/// Runs a query keeping every hit: see [`run_all`].
///
/// # Safety
/// As [`search_open`].
#[no_mangle]
pub unsafe extern "C" fn search_run_all(h: u32, q: *const u8, q_len: usize) -> u64 {
    give(run_all(h, text(q, q_len)))
}

/// Packed JSON array of fragment names: see [`fragments_for`].
#[no_mangle]
pub extern "C" fn search_fragments_for(h: u32, from: u32, n: u32) -> u64 {
    give(fragments_for(h, from, n))
}

/// Packed JSON array of results: see [`results_range`].
#[no_mangle]
pub extern "C" fn search_results_range(h: u32, from: u32, n: u32) -> u64 {
    give(results_range(h, from, n))
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
