//! Relevance of the site search over the bundled knowledge base, with the
//! same engine the browser uses: for each query, the pages that must appear
//! among the first three results.

use crate::harness::{self, Search};

/// (language, query, URL prefixes that must be in the top 3).
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "nl",
        "systeemrisico",
        &["/ai-verordening/a3/#^sysrisk", "/vereisten/aia-gpai-"],
    ),
    ("nl", "systeemrisico’s", &["/ai-verordening/a3/#^sysrisk"]),
    ("nl", "systeemrisico's", &["/ai-verordening/a3/#^sysrisk"]),
    ("nl", "systeemrisco", &["/ai-verordening/a3/#^sysrisk"]),
    ("nl", "systeemr", &["/ai-verordening/a3/#^sysrisk"]),
    ("nl", "SYSTEEMRISICO", &["/ai-verordening/a3/#^sysrisk"]),
    (
        "nl",
        "ernstige incidenten",
        &["/vereisten/aia-gpai-ernstige-incidenten/"],
    ),
    (
        "nl",
        "incidentenproces",
        &["/maatregelen/7-mon-incidentenproces/"],
    ),
    (
        "nl",
        "risicobeheersysteem",
        &["/vereisten/aia-risicobeheersysteem/"],
    ),
    (
        "nl",
        "dpia",
        &["/vereisten/avg-dpia/", "/maatregelen/2-owp-dpia-uitvoeren/"],
    ),
    (
        "nl",
        "gegevensbeschermingseffectbeoordeling",
        &["/vereisten/avg-dpia/"],
    ),
    ("nl", "AI-bureau", &["/ai-verordening/a3/#^aibur"]),
    (
        "nl",
        "zwevendekommabewerking",
        &["/ai-verordening/a3/#^flop"],
    ),
    (
        "nl",
        "capaciteiten met een grote impact",
        &["/ai-verordening/a3/#^capgi"],
    ),
    (
        "nl",
        "algoritmeregister",
        &[
            "/maatregelen/6-imp-algoritmeregister-publiceren/",
            "/hulpmiddelen/algoritmeregister/",
        ],
    ),
    (
        "nl",
        "algoritmeregistr",
        &["/hulpmiddelen/algoritmeregister/"],
    ),
    ("nl", "geletterdheid", &["/vereisten/aia-ai-geletterdheid/"]),
    (
        "nl",
        "menselijk toezicht",
        &["/vereisten/aia-menselijk-toezicht/"],
    ),
    ("nl", "toezicht", &["/vereisten/aia-menselijk-toezicht/"]),
    ("nl", "archiefwet", &["/vereisten/arc-archivering/"]),
    ("nl", "motivering", &["/vereisten/awb-motiveringsbeginsel/"]),
    (
        "nl",
        "discriminatie",
        &["/vereisten/awgb-non-discriminatie/"],
    ),
    (
        "nl",
        "verboden praktijken",
        &["/vereisten/aia-verboden-ai-praktijken/"],
    ),
    ("nl", "iama", &["/hulpmiddelen/iama/"]),
    ("nl", "mensenrechten", &["/hulpmiddelen/iama/"]),
    (
        "nl",
        "pseudonimiseren",
        &["/maatregelen/3-dat-dataminimalisatie-en-pseudonimisering/"],
    ),
    (
        "nl",
        "energieverbruik",
        &["/maatregelen/4-owk-energieverbruik-vastleggen/"],
    ),
    (
        "nl",
        "rekenkracht drempel",
        &["/maatregelen/4-owk-rekenkrachtdrempel-bewaken/"],
    ),
    ("nl", "overweging 112", &["/ai-verordening/overweging-112/"]),
    (
        "nl",
        "binnen twee weken melden",
        &["/vereisten/aia-gpai-kennisgeving-systeemrisico/"],
    ),
    ("nl", "één", &[]),
    ("en", "systemic risk", &["/en/ai-verordening/a3/#^sysrisk"]),
    (
        "en",
        "serious incidents",
        &["/en/vereisten/aia-gpai-ernstige-incidenten/"],
    ),
    (
        "en",
        "adversarial testing",
        &["/en/vereisten/aia-gpai-modelevaluatie-systeemrisico/"],
    ),
    ("en", "provider", &["/en/ai-verordening/a3/#^aanbieder"]),
    (
        "en",
        "downstream provider",
        &["/en/ai-verordening/a3/#^downstream"],
    ),
    ("nl", "aanbieder", &["/ai-verordening/a3/#^aanbieder"]),
    // Query words the index does not know are split into index words.
    (
        "nl",
        "rekenkrachtdrempel",
        &["/maatregelen/4-owk-rekenkrachtdrempel-bewaken/"],
    ),
    (
        "nl",
        "rekenkrachtdrempel bewaken",
        &["/maatregelen/4-owk-rekenkrachtdrempel-bewaken/"],
    ),
    (
        "nl",
        "energieverbruikregistratie",
        &["/maatregelen/4-owk-energieverbruik-vastleggen/"],
    ),
];

#[test]
fn relevance_set() {
    let nl = Search::open(harness::repo(), "nl");
    let en = Search::open(harness::repo(), "en");
    let mut failures = Vec::new();
    for (lang, query, expected) in CASES {
        let engine = if *lang == "nl" { &nl } else { &en };
        let results = engine.query(query, 3);
        let urls: Vec<&str> = results.iter().map(|r| r.url.as_str()).collect();
        for e in *expected {
            if !urls.iter().any(|u| u.starts_with(e)) {
                failures.push(format!(
                    "[{lang}] `{query}`: expected {e} in the top 3, got {urls:?}"
                ));
            }
        }
        // Results of one language never include the other's pages.
        let foreign = urls
            .iter()
            .any(|u| (*lang == "nl") == u.starts_with("/en/"));
        if foreign {
            failures.push(format!(
                "[{lang}] `{query}`: results from another language: {urls:?}"
            ));
        }
    }
    assert!(CASES.len() >= 25);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compound_parts_rank_below_exact_matches() {
    let results = harness::search(harness::repo(), Some("nl"), "risico", 30);
    let first_compound_only = results
        .iter()
        .position(|r| r.url.starts_with("/vereisten/aia-risicobeheersysteem/"))
        .expect("the risk management requirement is found through its compound");
    assert!(
        first_compound_only > 0,
        "an exact match ranks above a compound part"
    );
}
