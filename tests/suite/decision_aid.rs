//! The AI-Act decision aid: trees in the government decision aid's format
//! with their companion files, checks on the walks the conditions allow,
//! the label map, exception entries, `kader decide` and `kader applicable`,
//! and the pages built from a tree.

use crate::harness::{self, Site};

fn fixture() -> Site {
    Site::fixture("beslishulp")
}

/// The site without its broken parts and with the label map mended, so
/// that it builds and every label gives a term.
fn buildable() -> Site {
    let site = fixture();
    site.remove("content/lus/lus.yaml");
    site.remove("content/vereisten/kapot.md");
    site.edit("site.toml", "\"Rolle\" =", "\"Rol\" =");
    site.edit(
        "site.toml",
        "\"geen-hoog-risico-ai\"",
        "\"geen-hoog-risico\"",
    );
    site.edit(
        "content/beslishulp/categories.yaml",
        "- questionId: \"3\"",
        "- questionId: \"2\"\n  category: Reikwijdte\n  subcategory: Soort toepassing\n- questionId: \"3\"",
    );
    site
}

#[test]
fn tree_companion_label_and_exception_problems_have_positions() {
    let outcome = fixture().check();
    insta::assert_snapshot!("decision_aid_human", harness::human(&outcome.diagnostics));
}

#[test]
fn check_prints_one_line_per_tree() {
    let out = fixture().cli(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("decision tree content/beslishulp/aiv.yaml: 5 questions, 5 conclusions (5 reached), 8 walks, 2 redirects never taken\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("decision tree content/lus/lus.yaml: 2 questions, 1 conclusions (1 reached), 1 walks, 0 redirects never taken (left out: it has errors)"),
        "{}",
        out.stderr
    );
}

/// `kader decide --format json` with the answers given.
fn decide(site: &Site, answers: &[&str]) -> serde_json::Value {
    let mut args = vec!["decide", "--tree", "aiv", "--format", "json"];
    for a in answers {
        args.push("--answer");
        args.push(a);
    }
    let out = site.cli(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn strings(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn decide_walks_to_a_conclusion_with_its_profile_and_pages() {
    let site = buildable();
    let d = decide(&site, &["1=Ja", "2=Ja", "3=Aanbieder", "4=Ja", "4.1=Nee"]);
    assert_eq!(d["question"], serde_json::Value::Null);
    assert_eq!(d["conclusion"], "13");
    assert_eq!(strings(&d["labels"]["Risicogroep"]), ["hoog-risico AI"]);
    assert_eq!(strings(&d["profile"]["risicogroep"]), ["hoog-risico"]);
    assert_eq!(strings(&d["profile"]["soort-toepassing"]), ["ai-systeem"]);
    // The provider's requirement applies, the deployer's does not; a page
    // without AI-Act terms always does; measures follow their requirements.
    assert_eq!(
        strings(&d["vereisten"]),
        ["aanbieder-hoog-risico", "ai-algemeen", "algemeen"]
    );
    assert_eq!(strings(&d["maatregelen"]), ["risicobeheer"]);
}

#[test]
fn an_exception_and_an_outcome_no_page_carries_narrow_the_lists() {
    let site = buildable();
    // The art. 6(3) exception: the provider's page does not apply (its
    // terms), nor the general AI page (its exception entry holds).
    let d = decide(&site, &["1=Ja", "2=Ja", "3=Aanbieder", "4=Ja", "4.1=Ja"]);
    assert_eq!(d["conclusion"], "12");
    assert_eq!(strings(&d["vereisten"]), ["algemeen"]);
    // "Geen algoritme": no AI-Act requirement is left.
    let d = decide(&site, &["1=Nee"]);
    assert_eq!(d["conclusion"], "10");
    assert_eq!(
        strings(&d["profile"]["soort-toepassing"]),
        ["geen-algoritme"]
    );
    assert_eq!(strings(&d["vereisten"]), ["algemeen"]);
    // Halfway: the next question with the groups still to be determined.
    let d = decide(&site, &["1=Ja", "2=Ja"]);
    assert_eq!(d["question"], "3");
    assert_eq!(strings(&d["labels"]["Risicogroep"]), ["nader te bepalen"]);
}

#[test]
fn decide_and_applicable_name_the_valid_choices_on_a_wrong_one() {
    let site = buildable();
    let cases: [(&[&str], &str); 5] = [
        (&["decide", "--tree", "ai"], "there is no decision tree `ai`; the site has `aiv`"),
        (&["decide", "--tree", "aiv", "--answer", "9=Ja"], "tree `aiv` has no question `9`; its questions are `1`, `2`, `3`, `4`, `4.1`"),
        (&["decide", "--tree", "aiv", "--answer", "1=Misschien"], "question `1` has no answer `Misschien`; its answers are `Ja`, `Nee`"),
        (&["decide", "--tree", "aiv", "--answer", "1=Nee", "--answer", "3=Aanbieder"], "question `3` is not on this walk; the walk asked `1`"),
        (&["applicable", "--term", "rol-ai-act/importeur"], "`importeur` is not a term of `rol-ai-act`; its terms are `aanbieder`, `gebruiksverantwoordelijke`"),
    ];
    for (args, message) in cases {
        let out = site.cli(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.trim(), format!("error: {message}"), "{args:?}");
    }
}

#[test]
fn applicable_lists_what_fits_a_profile_made_by_hand() {
    let site = buildable();
    let out = site.cli(&[
        "applicable",
        "--term",
        "rol-ai-act/gebruiksverantwoordelijke",
        "--term",
        "risicogroep/hoog-risico",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "profile: risicogroep=hoog-risico rol-ai-act=gebruiksverantwoordelijke\n\
         maatregelen (1): toezicht\n\
         vereisten (3): ai-algemeen, algemeen, gebruiker-hoog-risico\n"
    );
}

#[test]
fn the_tree_its_conclusions_and_the_profile_page_are_built() {
    let site = buildable();
    let built = site.build();
    // The tree's page: the widget's data and the tree as linked questions.
    let tree = built.read("beslishulp/aiv/index.html");
    assert!(tree.contains("class=\"kader-decide-data\""));
    assert!(tree.contains("<a href=\"#vraag-2\">Ja</a>"), "{tree}");
    assert!(tree.contains("href=\"/beslishulp/aiv/13/\""));
    // A conclusion's page lists what applies after it, without JavaScript.
    let c = built.article("beslishulp/aiv/13/index.html");
    assert!(c.contains("Aanbieder van een hoog-risico-AI-systeem."));
    assert!(c.contains("/vereisten/aanbieder-hoog-risico/"), "{c}");
    assert!(!c.contains("/vereisten/gebruiker-hoog-risico/"), "{c}");
    assert!(c.contains("/maatregelen/risicobeheer/"));
    assert!(
        c.contains("/vereisten-voor-jou/?"),
        "a link to Vereisten voor jou with the profile"
    );
    // "Vereisten voor jou" lists every requirement, with its measures.
    let p = built.read("vereisten-voor-jou/index.html");
    for slug in [
        "aanbieder-hoog-risico",
        "gebruiker-hoog-risico",
        "ai-algemeen",
        "algemeen",
    ] {
        assert!(p.contains(&format!("/vereisten/{slug}/")), "{slug}");
    }
    assert!(p.contains("class=\"kader-profile-data\""));
    // The MkDocs-style modal links became plain links to the pages.
    let home = built.read("index.html");
    assert!(
        home.contains("<a href=\"/beslishulp/aiv/\">beslishulp</a>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/vereisten-voor-jou/\">profiel</a>"),
        "{home}"
    );
    assert!(!home.contains("onclick"));
    // The requirement page says when it does not apply.
    let r = built.article("vereisten/aanbieder-hoog-risico/index.html");
    assert!(
        r.contains("Risicogroep: Uitzondering van toepassing"),
        "{r}"
    );
}
