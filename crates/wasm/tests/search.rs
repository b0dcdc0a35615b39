//! The search exports' safe functions, natively: open, chunks in rounds,
//! results with UTF-16 highlight ranges, and garbage without traps.

use kader_search::json::utf16_offset;
use kader_search::{BuiltIndex, IndexBuilder, Language, PageInput, Section};
use kader_wasm::search::*;

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
    assert!(res.contains("/kennisbank/vereisten/aia-gpai-modelevaluatie-systeemrisico/#vereiste"));
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

#[test]
fn every_hit_is_counted_and_paged() {
    let mut b = IndexBuilder::new(Language::Nl);
    for i in 0..25 {
        b.add_page(PageInput {
            url: format!("/p{i}/"),
            title: format!("Pagina {i} over toezicht"),
            sections: vec![sec("", "", "Het toezicht op algoritmes.")],
            boost_terms: vec![],
        });
    }
    let idx = b.build();
    let h = open(&idx.meta);
    for n in names(&chunks_needed(h, "toezicht")) {
        assert_eq!(add_chunk(h, &n, find(&idx.chunks, &n)), OK);
    }
    assert_eq!(run_all(h, "toezicht"), "{\"count\":25}");
    let mut urls = Vec::new();
    for from in [0, 10, 20, 30] {
        for n in names(&fragments_for(h, from, 10)) {
            assert_eq!(add_fragment(h, &n, find(&idx.fragments, &n)), OK);
        }
        let page = results_range(h, from, 10);
        urls.extend(page.matches("\"url\":\"/p").map(|_| ()).collect::<Vec<_>>());
        let expected = match from {
            0 | 10 => 10,
            20 => 5,
            _ => 0,
        };
        assert_eq!(page.matches("\"url\":").count(), expected, "{page}");
    }
    assert_eq!(urls.len(), 25);
    // Loaded fragments are not asked for again; unknown handles answer empty.
    assert_eq!(fragments_for(h, 0, 25), "[]");
    assert_eq!(run_all(0, "toezicht"), "{\"count\":0}");
    assert_eq!(fragments_for(0, 0, 10), "[]");
    assert_eq!(results_range(0, 0, 10), "[]");
    assert_eq!(results_range(h, u32::MAX, u32::MAX), "[]");
    close(h);
}
