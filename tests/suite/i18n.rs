//! Two languages: pairing, the language switcher, lists falling back to the
//! default language, definition links within a language, translation checks.

use crate::harness::{self, Site};

fn element<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let e = s + html[s..].find(end).unwrap() + end.len();
    &html[s..e]
}

#[test]
fn translation_problems_are_reported() {
    let site = Site::fixture("i18n");
    let outcome = site.check();
    insta::assert_snapshot!("i18n_diagnostics", harness::human(&outcome.diagnostics));
}

#[test]
fn the_switcher_goes_to_the_counterpart_or_home() {
    let site = Site::fixture("i18n");
    let built = site.build();
    let a_nl = built.read("vereisten/a/index.html");
    let a_en = built.read("en/vereisten/a/index.html");
    let b_nl = built.read("vereisten/b/index.html");
    let c_en = built.read("en/vereisten/requirement-c/index.html");
    insta::assert_snapshot!(
        "switcher_paired",
        element(&a_en, "<nav class=\"lang-switch\"", "</nav>")
    );
    insta::assert_snapshot!(
        "switcher_untranslated",
        element(&b_nl, "<nav class=\"lang-switch\"", "</nav>")
    );
    assert!(a_nl.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(a_en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for html in [&a_nl, &a_en] {
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"nl\" href=\"https://example.org/vereisten/a/\">"
        ));
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/vereisten/a/\">"
        ));
    }
    // translation_of pairs differently named files.
    assert!(
        c_en.contains("href=\"/vereisten/c/\" hreflang=\"nl\""),
        "{}",
        element(&c_en, "<nav class=\"lang-switch\"", "</nav>")
    );
    // Generated pages have counterparts too.
    let term_en = built.read("en/levenscyclus/ontwerp/index.html");
    assert!(term_en.contains("href=\"/levenscyclus/ontwerp/\" hreflang=\"nl\""));
}

#[test]
fn lists_use_the_page_language_and_mark_fallbacks() {
    let site = Site::fixture("i18n");
    let built = site.build();
    // The English overview lists English pages, and the Dutch-only page marked.
    let overview = built.read("en/vereisten/index.html");
    assert!(
        overview.contains("/en/vereisten/a/") && overview.contains("/en/vereisten/requirement-c/")
    );
    assert!(overview
        .contains("href=\"/vereisten/b/\" hreflang=\"nl\">Eis B</a> <abbr class=\"lang-badge\""));
    assert!(!overview.contains("href=\"/vereisten/a/\""));
    let a_en = built.read("en/vereisten/a/index.html");
    assert!(
        a_en.contains("href=\"/maatregelen/m/\" hreflang=\"nl\""),
        "the Dutch-only measure is listed as a fallback"
    );
    // Definition links resolve within the page's language.
    let home_en = built.read("en/index.html");
    assert!(home_en.contains("href=\"/en/vereisten/a/#^def\""));
    assert!(home_en.contains("A term is described here."));
    let home_nl = built.read("index.html");
    assert!(home_nl.contains("href=\"/vereisten/a/#^def\""));
    assert!(home_nl.contains("Een begrip wordt hier omschreven."));
    // UI text comes from the language's string table.
    assert!(a_en.contains("Skip to content") && !a_en.contains("Direct naar de inhoud"));
}

#[test]
fn missing_translations_can_be_switched_off_or_made_errors() {
    let site = Site::fixture("i18n");
    let config = site.read("site.toml");
    site.file(
        "site.toml",
        &format!(
            "{config}\n[severity]\nmissing_translation = \"error\"\nstale_translation = \"off\"\n"
        ),
    );
    let outcome = site.check();
    let codes: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity.as_str()))
        .collect();
    assert!(
        codes.iter().all(|(c, s)| *c == "K0601" && *s == "error"),
        "{codes:?}"
    );
    assert_eq!(codes.len(), 2);
}
