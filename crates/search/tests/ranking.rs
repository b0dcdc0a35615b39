//! Ranking behaviour on the small Dutch corpus of `tests/common`.

mod common;

use common::*;
use kader_search::{IndexBuilder, Language, Searcher};

fn searcher() -> Searcher {
    full(&build())
}

#[test]
fn match_kinds_rank_exact_stemmed_compound_fuzzy() {
    let s = searcher();
    // beoordeling: exact on TRANSPARANTIE, "beoordelingen" (stemmed) on
    // CONFORMITEIT, "risicobeoordeling" (compound part) on RISICOBEHEER,
    // "beoordelling" (one typo) on LOGGING.
    let got = pages(&s, "beoordeling");
    assert_eq!(
        got,
        [P_TRANSPARANTIE, P_CONFORMITEIT, P_RISICOBEHEER, P_LOGGING]
    );
}

#[test]
fn compound_parts_find_compounds_below_exact_matches() {
    let s = searcher();
    let got = pages(&s, "risico");
    // every page that says "risico" (or risico's) itself
    let exact = [
        P_RISICO,
        P_SYSTEEMRISICO,
        P_RISICOBEHEER,
        P_CONFORMITEIT,
        P_TRANSPARANTIE,
        P_MENSELIJK_TOEZICHT,
    ];
    // pages that only have compounds with risico
    let compound_only = [P_MODELEVALUATIE, P_REKENKRACHT];
    for c in compound_only {
        for e in exact {
            assert!(
                position(&got, e) < position(&got, c),
                "{e} before {c} in {got:?}"
            );
        }
    }
    assert_eq!(got[0], P_RISICO, "the boosted definition comes first");
    // risicobeheersysteem is found through its part "beheer" and "systeem" too
    assert!(pages(&s, "beheer").contains(&P_RISICOBEHEER));
    assert!(pages(&s, "systemen").contains(&P_RISICOBEHEER));
}

#[test]
fn compound_with_linking_s() {
    let s = searcher();
    let got = pages(&s, "bescherming");
    assert_eq!(got, [P_GEGEVENS]);
    let hit = &s.search("bescherming", 1)[0];
    assert!(hit
        .matched_terms
        .contains(&"gegevensbescherming".to_string()));
}

#[test]
fn fields_rank_title_heading_body() {
    let s = searcher();
    let got = pages(&s, "toezicht");
    // title: MENSELIJK_TOEZICHT; headings: INCIDENTEN ("Toezicht en
    // handhaving") and GEGEVENS ("Toezicht"); body: AI_BUREAU
    assert_eq!(got[0], P_MENSELIJK_TOEZICHT);
    assert!(position(&got, P_INCIDENTEN) < position(&got, P_AI_BUREAU));
    assert!(position(&got, P_GEGEVENS) < position(&got, P_AI_BUREAU));
}

#[test]
fn boost_terms_win() {
    let s = searcher();
    // EVALUATIEPRAKTIJK has "Modelevaluatie" in its title; MODELEVALUATIE has it
    // only in its body but carries it as a boost term.
    let got = pages(&s, "modelevaluatie");
    assert_eq!(got[0], P_MODELEVALUATIE);
    assert_eq!(got[1], P_EVALUATIEPRAKTIJK);
    assert_eq!(pages(&s, "systeemrisico")[0], P_SYSTEEMRISICO);
    assert_eq!(pages(&s, "risicobeheersysteem")[0], P_RISICOBEHEER);
}

#[test]
fn boost_terms_do_not_lift_compound_parts() {
    let s = searcher();
    // SYSTEEMRISICO is boosted for "systeemrisico", not for "risico".
    let got = pages(&s, "risico");
    assert!(position(&got, P_RISICO) < position(&got, P_SYSTEEMRISICO));
}

#[test]
fn prefix_of_last_word() {
    let s = searcher();
    let hits = s.search("systeemr", 10);
    assert_eq!(hits[0].page, P_SYSTEEMRISICO);
    assert!(hits[0].matched_terms.contains(&"systeemrisico".to_string()));
    assert_eq!(pages(&s, "algoritmer")[0], P_ALGORITMEREGISTER);
    assert_eq!(pages(&s, "gegevensbesch")[0], P_GEGEVENS);
    // not for a finished word (trailing space) ...
    assert!(!pages(&s, "systeemr ").contains(&P_SYSTEEMRISICO));
    // ... nor for words before the last
    assert!(!pages(&s, "systeemr logboek").contains(&P_SYSTEEMRISICO));
}

#[test]
fn one_typo() {
    let s = searcher();
    for q in [
        "systeemrisco",
        "systeemrsiico",
        "systeemriscio",
        "systeemrisicoo",
        "systemrisico",
    ] {
        let got = pages(&s, q);
        assert_eq!(got.first(), Some(&P_SYSTEEMRISICO), "{q}: {got:?}");
    }
    assert_eq!(pages(&s, "algortimeregister")[0], P_ALGORITMEREGISTER);
    // two typos: nothing
    assert!(pages(&s, "sisteemrisco").is_empty());
    // short words get no typo tolerance
    assert!(pages(&s, "risio").len() < pages(&s, "risico").len());
    assert!(pages(&s, "eisx").is_empty());
}

#[test]
fn apostrophes_straight_and_curly() {
    let s = searcher();
    let plain = s.search("risico", 20);
    assert_eq!(s.search("risico’s", 20), plain);
    assert_eq!(s.search("risico's", 20), plain);
    assert_eq!(s.search("Risico‘s", 20), plain);
    assert_eq!(pages(&s, "systeemrisico’s")[0], P_SYSTEEMRISICO);
    assert_eq!(pages(&s, "systeemrisico's")[0], P_SYSTEEMRISICO);
}

#[test]
fn diacritics_and_case() {
    let s = searcher();
    for q in ["cooperatie", "coöperatie", "COÖPERATIE", "Coöperaties"] {
        assert_eq!(pages(&s, q).first(), Some(&P_COOPERATIE), "{q}");
    }
    assert_eq!(pages(&s, "geinformeerd"), [P_TRANSPARANTIE]);
    assert_eq!(pages(&s, "adversariele"), [P_MODELEVALUATIE]);
}

#[test]
fn hyphenated_words() {
    let s = searcher();
    for q in ["AI-bureau", "ai bureau", "aibureau", "AI‑bureau"] {
        assert_eq!(pages(&s, q).first(), Some(&P_AI_BUREAU), "{q}");
    }
    let hits = s.search("AI-bureau", 5);
    assert_eq!(hits[0].matched_words, 2);
}

#[test]
fn numbers() {
    let s = searcher();
    assert_eq!(pages(&s, "10^25"), [P_REKENKRACHT]);
    assert_eq!(pages(&s, "flop's"), [P_REKENKRACHT]);
}

#[test]
fn all_words_rank_above_some_words() {
    let s = searcher();
    let hits = s.search("logboek bewaartermijn", 10);
    assert_eq!(hits[0].page, P_LOGGING);
    assert_eq!(hits[0].matched_words, 2);
    assert_eq!(hits[1].page, P_INCIDENTEN);
    assert_eq!(hits[1].matched_words, 1);
    // a page with both words beats a page that is boosted for one of them
    let hits = s.search("risico combinatie", 10);
    assert_eq!(hits[0].page, P_RISICO);
    let hits = s.search("systeemrisico modelevaluatie", 10);
    assert_eq!(hits[0].matched_words, 2);
}

#[test]
fn words_on_two_different_pages() {
    let s = searcher();
    let hits = s.search("logboek incidentmelding", 10);
    let got: Vec<u32> = hits.iter().map(|h| h.page).collect();
    assert_eq!(got.len(), 2);
    assert!(got.contains(&P_LOGGING) && got.contains(&P_INCIDENTEN));
    assert!(hits.iter().all(|h| h.matched_words == 1));
}

#[test]
fn stopwords_are_optional() {
    let s = searcher();
    assert_eq!(pages(&s, "de bewaartermijn"), pages(&s, "bewaartermijn"));
    // a query of only stop words still finds something
    assert!(!pages(&s, "het").is_empty());
}

#[test]
fn result_points_to_section_with_snippet() {
    let s = searcher();
    let hits = s.search("systeemrisico’s", 5);
    let view = s.result(&hits[0]).unwrap();
    assert_eq!(view.title, "Systeemrisico");
    assert_eq!(view.url_with_anchor, "/begrippen/systeemrisico/#definitie");
    assert_eq!(view.section_heading, "Definitie");
    assert_eq!(view.title_highlights, [(0, "Systeemrisico".len())]);
    let marked: Vec<&str> = view
        .highlights
        .iter()
        .map(|&(a, b)| &view.snippet[a..b])
        .collect();
    assert_eq!(marked, ["systeemrisico"]);

    // The best section is the one that matches, with the written form marked.
    let hits = s.search("risico’s beperken", 5);
    assert_eq!(hits[0].page, P_MENSELIJK_TOEZICHT);
    let view = s.result(&hits[0]).unwrap();
    assert_eq!(
        view.url_with_anchor,
        "/eisen/menselijk-toezicht/#risicos-beperken"
    );
    assert_eq!(view.section_heading, "Risico's beperken");

    let hits = s.search("gegevensbescherming", 1);
    let view = s.result(&hits[0]).unwrap();
    assert!(view.snippet.contains("gegevensbescherming"));

    // The toelichting section mentions systeemrisico’s with a curly apostrophe.
    let hits = s.search("systeemrisico modelevaluatie", 1);
    let view = s.result(&hits[0]).unwrap();
    assert_eq!(
        view.url_with_anchor,
        "/begrippen/systeemrisico/#toelichting"
    );
    let marked: Vec<&str> = view
        .highlights
        .iter()
        .map(|&(a, b)| &view.snippet[a..b])
        .collect();
    assert_eq!(marked, ["systeemrisico’s", "modelevaluatie"]);
}

#[test]
fn results_are_deterministic_and_tie_broken_by_page() {
    let s = searcher();
    let a = s.search("ai", 50);
    let b = searcher().search("ai", 50);
    assert_eq!(a, b);
    for w in a.windows(2) {
        let (x, y) = (&w[0], &w[1]);
        assert!(
            x.matched_words > y.matched_words
                || x.score > y.score
                || (x.score == y.score && x.page < y.page)
        );
    }
}

#[test]
fn lazy_loading_gives_the_same_results() {
    // Tiny chunks so that queries really need several of them.
    let index = build_with(IndexBuilder::new(Language::Nl).with_chunk_target(300));
    assert!(index.chunks.len() > 10, "{} chunks", index.chunks.len());
    let everything = full(&index);
    for q in [
        "risico",
        "systeemr",
        "systeemrisco",
        "beoordeling",
        "toezicht",
        "AI-bureau",
        "logboek bewaartermijn",
        "cooperatie",
        "risico’s beperken",
        "algortimeregister",
        "gegevensbesch",
        "modelevaluatie",
    ] {
        let (lazy, hits, _) = lazy_search(&index, q, 20);
        assert_eq!(hits, everything.search(q, 20), "{q}");
        assert!(lazy.chunk_names().len() > lazy.chunks_needed(q).len());
        for h in &hits {
            assert_eq!(lazy.result(h), everything.result(h));
        }
    }
}

#[test]
fn chunk_size_does_not_change_results() {
    let big = full(&build());
    let small = full(&build_with(
        IndexBuilder::new(Language::Nl).with_chunk_target(64),
    ));
    for q in [
        "risico",
        "beoordeling",
        "toezicht",
        "systeemrisico’s",
        "AI-bureau",
        "cooperatie",
        "systeemrisco",
    ] {
        assert_eq!(big.search(q, 20), small.search(q, 20), "{q}");
    }
}

#[test]
fn missing_fragment_gives_no_view() {
    let index = build();
    let mut s = Searcher::new(&index.meta).unwrap();
    for (n, b) in &index.chunks {
        s.add_chunk(n, b).unwrap();
    }
    let hits = s.search("risico", 3);
    assert!(s.result(&hits[0]).is_none());
    assert_eq!(s.fragments_needed(&hits).len(), 3);
    let (name, bytes) = index
        .fragments
        .iter()
        .find(|f| f.0 == s.fragments_needed(&hits)[0])
        .unwrap();
    s.add_fragment(name, bytes).unwrap();
    assert!(s.result(&hits[0]).is_some());
    assert_eq!(s.fragments_needed(&hits).len(), 2);
}

#[test]
fn english_index() {
    let mut b = IndexBuilder::new(Language::En);
    b.add_page(page(
        "/en/providers/",
        "Obligations of providers",
        vec![section(
            "Scope",
            "scope",
            "A provider's obligations apply to general-purpose AI models.",
        )],
        &["provider"],
    ));
    b.add_page(page(
        "/en/deployers/",
        "Deployers",
        vec![section(
            "Information",
            "information",
            "Deployers use the information provided by the providers.",
        )],
        &[],
    ));
    b.add_page(page(
        "/en/other/",
        "Other",
        vec![section("", "", "Nothing relevant here.")],
        &[],
    ));
    let s = b.build().searcher().unwrap();
    assert_eq!(s.language(), Language::En);
    let got = pages(&s, "providers");
    assert_eq!(got, [0, 1]);
    // "provided" itself is on page 1; page 0 has it only through the stem
    assert_eq!(pages(&s, "provided"), [1, 0]);
    assert_eq!(pages(&s, "provider's")[0], 0);
    assert_eq!(pages(&s, "generalpurpose"), [0]);
    assert_eq!(pages(&s, "informaton"), [1]);
}
