//! Index format: determinism, round trips and corrupt input.

mod common;

use common::*;
use kader_search::{IndexBuilder, Language, PageInput, Searcher};

#[test]
fn same_input_same_bytes() {
    let a = build();
    let b = build();
    assert_eq!(a, b);
    // names are content-derived
    let c = build_with(IndexBuilder::new(Language::Nl).with_chunk_target(500));
    assert_ne!(a.chunks.len(), c.chunks.len());
}

#[test]
fn a_text_size_hint_changes_no_byte() {
    let a = build();
    for hint in [0, 10, 1_000_000] {
        let b = build_with(IndexBuilder::new(Language::Nl).with_text_size(hint));
        assert_eq!(a, b, "text size hint {hint}");
    }
}

#[test]
fn names_and_counts() {
    let index = build();
    let s = Searcher::new(&index.meta).unwrap();
    assert_eq!(s.page_count() as usize, corpus().len());
    assert_eq!(s.language(), Language::Nl);
    let names: Vec<String> = index.chunks.iter().map(|c| c.0.clone()).collect();
    assert_eq!(s.chunk_names(), names);
    // Small pages: one fragment file per page, holding all its sections.
    assert_eq!(index.fragments.len(), corpus().len());
    for (page, p) in corpus().iter().enumerate() {
        for section in 0..p.sections.len().max(1) {
            assert_eq!(
                index.fragments[page].0,
                s.fragment_name(page as u32, section as u32)
            );
        }
    }
    let mut all: Vec<&String> = names
        .iter()
        .chain(index.fragments.iter().map(|f| &f.0))
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        index.chunks.len() + index.fragments.len(),
        "file names are unique"
    );
}

#[test]
fn large_pages_are_cut_into_several_fragment_files() {
    let index = build_with(IndexBuilder::new(Language::Nl).with_fragment_target(300));
    let sections: usize = corpus().iter().map(|p| p.sections.len().max(1)).sum();
    assert!(index.fragments.len() > corpus().len(), "some pages are cut");
    assert!(
        index.fragments.len() <= sections,
        "a file holds whole sections"
    );
    let s = full(&index);
    let mut files = std::collections::BTreeSet::new();
    for (page, p) in corpus().iter().enumerate() {
        for (section, sec) in p.sections.iter().enumerate() {
            let name = s.fragment_name(page as u32, section as u32);
            assert!(index.fragments.iter().any(|f| f.0 == name), "{name}");
            files.insert(name);
            let hit = kader_search::Hit {
                page: page as u32,
                score: 0.0,
                section: section as u32,
                matched_terms: vec![],
                matched_words: 0,
            };
            let view = s.result(&hit).unwrap();
            assert_eq!(view.url_with_anchor, format!("{}#{}", p.url, sec.anchor));
            assert_eq!(view.section_heading, sec.heading);
        }
    }
    assert_eq!(files.len(), index.fragments.len());
    // Every file holds only its own sections: a file under the name of
    // another piece of the same page is rejected.
    let mut lazy = Searcher::new(&index.meta).unwrap();
    let (n0, b0) = &index.fragments[0];
    let (n1, b1) = &index.fragments[1];
    assert!(lazy.add_fragment(n1, b0).is_err());
    assert!(lazy.add_fragment(n0, b1).is_err());
    assert!(lazy.add_fragment(n0, b0).is_ok());
    // The results are those of an index with one file per page.
    let whole = full(&build());
    for q in ["risico", "systeemrisico’s", "toezicht", "AI-bureau"] {
        let hits = s.search(q, 10);
        assert_eq!(hits, whole.search(q, 10), "{q}");
        for h in &hits {
            assert_eq!(s.result(h), whole.result(h), "{q}");
        }
    }
}

#[test]
fn round_trip_keeps_page_content() {
    let index = build();
    let s = full(&index);
    for (i, p) in corpus().iter().enumerate() {
        for (j, sec) in p.sections.iter().enumerate() {
            let hit = kader_search::Hit {
                page: i as u32,
                score: 0.0,
                section: j as u32,
                matched_terms: vec![],
                matched_words: 0,
            };
            let view = s.result(&hit).unwrap();
            assert_eq!(view.title, p.title);
            assert_eq!(view.url_with_anchor, format!("{}#{}", p.url, sec.anchor));
            assert_eq!(view.section_heading, sec.heading);
        }
        let beyond = kader_search::Hit {
            page: i as u32,
            score: 0.0,
            section: p.sections.len() as u32,
            matched_terms: vec![],
            matched_words: 0,
        };
        assert!(s.result(&beyond).is_none());
    }
}

#[test]
fn wrong_names_and_foreign_files_are_rejected() {
    let index = build();
    let other = build_with(IndexBuilder::new(Language::Nl).with_chunk_target(200));
    let mut s = Searcher::new(&index.meta).unwrap();
    let (name0, bytes0) = &index.chunks[0];
    assert!(s.add_chunk("nope.bin", bytes0).is_err());
    assert!(
        s.add_chunk(name0, &other.chunks[0].1).is_err(),
        "chunk of another layout"
    );
    if index.chunks.len() > 1 {
        assert!(
            s.add_chunk(name0, &index.chunks[1].1).is_err(),
            "bytes of another chunk"
        );
    }
    assert!(s.add_chunk(name0, bytes0).is_ok());
    assert!(s.add_chunk(name0, bytes0).is_ok(), "twice is fine");
    assert!(s.has_chunk(name0));
    let (fname0, fbytes0) = &index.fragments[0];
    let (fname1, _) = &index.fragments[3];
    assert!(s.add_fragment(fname1, fbytes0).is_err());
    assert!(s.add_fragment(fname0, fbytes0).is_ok());
    assert!(s.add_fragment(fname0, &index.meta).is_err());
    assert!(Searcher::new(bytes0).is_err());
    assert!(Searcher::new(&[]).is_err());
}

#[test]
fn truncated_files_are_errors() {
    let index = build();
    for n in 0..index.meta.len() {
        assert!(Searcher::new(&index.meta[..n]).is_err(), "meta cut at {n}");
    }
    let mut s = Searcher::new(&index.meta).unwrap();
    for (name, bytes) in &index.chunks {
        for n in 0..bytes.len() {
            assert!(s.add_chunk(name, &bytes[..n]).is_err(), "{name} cut at {n}");
        }
    }
    for (name, bytes) in index.fragments.iter().take(3) {
        for n in 0..bytes.len() {
            assert!(s.add_fragment(name, &bytes[..n]).is_err());
        }
    }
}

#[test]
fn every_single_byte_corruption_is_handled() {
    // Flip each byte of a few files in turn: decoding must not panic, and
    // whatever is accepted must be searchable without panicking.
    let index = build_with(IndexBuilder::new(Language::Nl).with_chunk_target(2000));
    let queries = ["risico", "systeemr", "systeemrisco", "AI-bureau toezicht"];
    for i in 0..index.meta.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut m = index.meta.clone();
            m[i] ^= flip;
            if let Ok(mut s) = Searcher::new(&m) {
                for (n, b) in &index.chunks {
                    let _ = s.add_chunk(n, b);
                }
                for q in queries {
                    let _ = s.search(q, 10);
                }
            }
        }
    }
    let (name, bytes) = &index.chunks[0];
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            let mut s = Searcher::new(&index.meta).unwrap();
            if s.add_chunk(name, &b).is_ok() {
                for q in queries {
                    let hits = s.search(q, 10);
                    let _ = s.fragments_needed(&hits);
                }
            }
        }
    }
    let (fname, fbytes) = &index.fragments[0];
    let mut s = full(&index);
    let hits = s.search("systeemrisico", 1);
    for i in 0..fbytes.len() {
        let mut b = fbytes.clone();
        b[i] ^= 0x20;
        if s.add_fragment(fname, &b).is_ok() {
            let _ = s.result(&hits[0]);
        }
    }
}

#[test]
fn empty_and_odd_pages() {
    let mut b = IndexBuilder::new(Language::Nl);
    b.add_page(PageInput::default());
    b.add_page(page("/x/", "", vec![section("", "", "")], &[""]));
    b.add_page(page(
        "/y/",
        "Ÿ ÿ 🙂",
        vec![section("💥", "a b", "\u{0}\u{301}-'s ’s")],
        &["-", "’s"],
    ));
    let index = b.build();
    let s = index.searcher().unwrap();
    assert_eq!(s.page_count(), 3);
    assert_eq!(s.search("y", 10).len(), 1);
    let hits = s.search("ÿ", 10);
    let view = s.result(&hits[0]).unwrap();
    assert_eq!(view.url_with_anchor, "/y/#a b");
    // a page without sections still shows its title
    let mut b = IndexBuilder::new(Language::Nl);
    b.add_page(page("/z/", "Zonder secties", vec![], &[]));
    let s = b.build().searcher().unwrap();
    let hits = s.search("secties", 10);
    assert_eq!(s.result(&hits[0]).unwrap().url_with_anchor, "/z/");
    // empty index
    let empty = IndexBuilder::new(Language::En).build();
    let s = empty.searcher().unwrap();
    assert!(s.search("anything", 10).is_empty());
    assert!(s.chunks_needed("anything").is_empty());
}

#[test]
fn chunks_needed_is_small() {
    let index = build_with(IndexBuilder::new(Language::Nl).with_chunk_target(300));
    let s = Searcher::new(&index.meta).unwrap();
    let n = s.chunks_needed("logboek").len();
    assert!(
        (1..=1 + 2 * kader_search::NEIGHBOURHOOD_CHUNKS).contains(&n),
        "own chunk plus neighbourhoods: {n}"
    );
    assert!(n < index.chunks.len());
    assert!(s.chunks_needed("ai").len() <= 1);
    // the last word also needs its prefix neighbourhood
    assert!(s.chunks_needed("systeemr").len() <= 2 * kader_search::NEIGHBOURHOOD_CHUNKS + 1);
    assert!(s.chunks_needed("").is_empty());
}
