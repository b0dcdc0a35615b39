//! Search for kader sites: Dutch/English text analysis, a chunked index that
//! a browser loads piece by piece, and the query engine (native and
//! WebAssembly).
//!
//! * [`analyze`] — the one analysis pipeline used for pages and queries
//!   (tokenising, hyphens, apostrophes, folding, stemming).
//! * [`split_compound`] — Dutch compound splitting used at index time.
//! * [`IndexBuilder`] → [`BuiltIndex`] — meta file, term chunks, page
//!   fragments (format: `FORMAT.md`).
//! * [`Searcher`] — loads what a query needs and ranks sections.
//!
//! The crate does no I/O, starts no threads, reads no clock and does not
//! panic on any input: corrupt index bytes give a [`DecodeError`].
//!
//! ```
//! use kader_search::{IndexBuilder, Language, PageInput, Searcher, Section};
//!
//! let mut builder = IndexBuilder::new(Language::Nl);
//! builder.add_page(PageInput {
//!     url: "/eisen/risicobeheer/".into(),
//!     title: "Risicobeheersysteem".into(),
//!     sections: vec![Section {
//!         heading: "Eis".into(),
//!         anchor: "eis".into(),
//!         text: "De aanbieder richt een risicobeheersysteem in.".into(),
//!     }],
//!     boost_terms: vec![],
//! });
//! let index = builder.build();
//!
//! // What a browser does: start from the meta file, load what is needed.
//! let mut searcher = Searcher::new(&index.meta).unwrap();
//! for name in searcher.chunks_needed("risico") {
//!     let (_, bytes) = index.chunks.iter().find(|(n, _)| *n == name).unwrap();
//!     searcher.add_chunk(&name, bytes).unwrap();
//! }
//! let hits = searcher.search("risico", 10);
//! for name in searcher.fragments_needed(&hits) {
//!     let (_, bytes) = index.fragments.iter().find(|(n, _)| *n == name).unwrap();
//!     searcher.add_fragment(&name, bytes).unwrap();
//! }
//! let view = searcher.result(&hits[0]).unwrap();
//! assert_eq!(view.url_with_anchor, "/eisen/risicobeheer/#eis");
//! assert_eq!(&view.snippet[view.highlights[0].0..view.highlights[0].1], "risicobeheersysteem");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod analysis;
mod builder;
mod codec;
mod compound;
pub mod fold;
mod format;
pub mod hash;
pub mod json;
mod math;
mod searcher;
mod snippet;

pub use analysis::{analyze, is_stopword, Analyzer, Language, Token, TokenKind, MAX_TERM_LEN};
pub use builder::{
    BuiltIndex, IndexBuilder, PageInput, Section, DEFAULT_CHUNK_TARGET, DEFAULT_FRAGMENT_TARGET,
    MAX_ENTRY_BYTES,
};
pub use codec::DecodeError;
pub use compound::{
    index_parts, is_builtin_part, split_compound, CompoundPart, MAX_COMPOUND_LEN, MAX_PARTS,
    MIN_COMPOUND_LEN, MIN_PART_LEN,
};
pub use searcher::{
    page_of, Hit, MatchKind, ResultView, Searcher, MAX_COMPOUND_FORMS, MAX_QUERY_LEN,
    MAX_QUERY_WORDS, MIN_FUZZY_LEN, MIN_PREFIX_LEN, NEIGHBOURHOOD_CHUNKS, SPLIT_PART_WEIGHT,
};
pub use snippet::SNIPPET_WORDS;
