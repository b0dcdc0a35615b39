//! Property tests: nothing panics, whatever the input.

mod common;

use kader_search::{analyze, IndexBuilder, Language, PageInput, Searcher, Section, TokenKind};
use proptest::prelude::*;

fn any_lang() -> impl Strategy<Value = Language> {
    prop_oneof![Just(Language::Nl), Just(Language::En)]
}

/// Text biased toward the characters the analyser treats specially.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("'".to_string()),
        Just("’".to_string()),
        Just("ʼ".to_string()),
        Just("s".to_string()),
        Just("-".to_string()),
        Just("‑".to_string()),
        Just(" ".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{ad}".to_string()),
        Just("ĳ".to_string()),
        Just("ß".to_string()),
        Just("İ".to_string()),
        Just("risico".to_string()),
        Just("systeem".to_string()),
        Just("gegevens".to_string()),
        "[a-zA-Z0-9éöü]{1,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn page_strategy() -> impl Strategy<Value = PageInput> {
    (
        tricky_text(),
        prop::collection::vec((tricky_text(), tricky_text(), tricky_text()), 0..4),
        prop::collection::vec(tricky_text(), 0..2),
    )
        .prop_map(|(title, sections, boost)| PageInput {
            url: "/p/".into(),
            title,
            sections: sections
                .into_iter()
                .map(|(heading, anchor, text)| Section {
                    heading,
                    anchor,
                    text,
                })
                .collect(),
            boost_terms: boost,
        })
}

fn check_tokens(text: &str, lang: Language) {
    for t in analyze(text, lang) {
        assert!(!t.term.is_empty());
        assert!(t.original_start < t.original_end && t.original_end <= text.len());
        assert!(text.is_char_boundary(t.original_start) && text.is_char_boundary(t.original_end));
        assert!(t.term.len() <= kader_search::MAX_TERM_LEN);
        assert!(!t.stem.is_empty());
        if t.kind == TokenKind::Word {
            assert!(
                !t.term.chars().any(char::is_uppercase)
                    || t.term.chars().any(|c| c.to_lowercase().next() == Some(c))
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn analyze_never_panics(text in any::<String>(), lang in any_lang()) {
        check_tokens(&text, lang);
    }

    #[test]
    fn analyze_tricky_text(text in tricky_text(), lang in any_lang()) {
        check_tokens(&text, lang);
        // analysis is deterministic
        prop_assert_eq!(analyze(&text, lang), analyze(&text, lang));
    }

    #[test]
    fn split_compound_never_panics(word in "[a-z]{0,60}", vocab in prop::collection::vec("[a-z]{1,8}", 0..20)) {
        let is_word = |w: &str| vocab.iter().any(|v| v == w);
        if let Some(parts) = kader_search::split_compound(&word, &is_word) {
            let rebuilt: String = parts.iter().map(|p| format!("{}{}", p.text, p.linker)).collect();
            prop_assert_eq!(rebuilt, word);
        }
    }

    #[test]
    fn search_never_panics(query in any::<String>(), limit in 0usize..30) {
        let index = common::build();
        let s = index.searcher().unwrap();
        let hits = s.search(&query, limit);
        prop_assert!(hits.len() <= limit);
        for h in &hits {
            let view = s.result(h).unwrap();
            for &(a, b) in &view.highlights {
                prop_assert!(a < b && b <= view.snippet.len());
                prop_assert!(view.snippet.is_char_boundary(a) && view.snippet.is_char_boundary(b));
            }
        }
        // a searcher with nothing loaded answers too
        let empty = Searcher::new(&index.meta).unwrap();
        prop_assert!(empty.search(&query, limit).is_empty());
        let _ = empty.chunks_needed(&query);
    }

    #[test]
    fn search_tricky_queries(query in tricky_text()) {
        let index = common::build();
        let s = index.searcher().unwrap();
        let hits = s.search(&query, 10);
        let _ = s.fragments_needed(&hits);
        for h in &hits {
            prop_assert!(s.result(h).is_some());
        }
    }

    #[test]
    fn build_and_search_arbitrary_pages(pages in prop::collection::vec(page_strategy(), 0..6), query in tricky_text(), lang in any_lang(), target in 64usize..4000) {
        let build = |pages: &[PageInput]| {
            let mut b = IndexBuilder::new(lang).with_chunk_target(target);
            for p in pages {
                b.add_page(p.clone());
            }
            b.build()
        };
        let index = build(&pages);
        // building is deterministic
        prop_assert_eq!(&index, &build(&pages));
        let s = index.searcher().unwrap();
        let hits = s.search(&query, 10);
        for h in &hits {
            let view = s.result(h).unwrap();
            for &(a, b) in view.highlights.iter().chain(&view.title_highlights) {
                prop_assert!(a < b);
            }
        }
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = Searcher::new(&bytes);
        let index = common::build();
        let mut s = Searcher::new(&index.meta).unwrap();
        let name = index.chunks[0].0.clone();
        let _ = s.add_chunk(&name, &bytes);
        let fname = index.fragments[0].0.clone();
        let _ = s.add_fragment(&fname, &bytes);
        // with a valid magic number in front, the decoders get further
        for magic in [b"KSM2", b"KSC2", b"KSF2"] {
            let mut b = magic.to_vec();
            b.extend_from_slice(&bytes);
            if let Ok(s2) = Searcher::new(&b) {
                let _ = s2.chunks_needed("risico systeemr");
                let _ = s2.search("risico systeemr", 5);
            }
            let _ = s.add_chunk(&name, &b);
            let _ = s.add_fragment(&fname, &b);
        }
        let _ = s.search("risico systeemr", 5);
    }

    #[test]
    fn mutated_index_never_panics(pos in any::<prop::sample::Index>(), val in any::<u8>(), which in 0usize..3, query in tricky_text()) {
        let index = common::build();
        let mut s = Searcher::new(&index.meta).unwrap();
        match which {
            0 => {
                let mut m = index.meta.clone();
                let i = pos.index(m.len());
                m[i] = val;
                if let Ok(mut s2) = Searcher::new(&m) {
                    for (n, b) in &index.chunks {
                        let _ = s2.add_chunk(n, b);
                    }
                    let _ = s2.search(&query, 10);
                }
            }
            1 => {
                for (n, b) in &index.chunks {
                    let mut b = b.clone();
                    let i = pos.index(b.len());
                    b[i] = val;
                    let _ = s.add_chunk(n, &b);
                }
                let _ = s.search(&query, 10);
            }
            _ => {
                for (n, b) in &index.chunks {
                    s.add_chunk(n, b).unwrap();
                }
                let hits = s.search("risico", 20);
                for (n, b) in &index.fragments {
                    let mut b = b.clone();
                    let i = pos.index(b.len());
                    b[i] = val;
                    let _ = s.add_fragment(n, &b);
                }
                for h in &hits {
                    let _ = s.result(h);
                }
            }
        }
    }
}
