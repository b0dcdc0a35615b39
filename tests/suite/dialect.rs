//! The Markdown dialect: snapshot of a page using every extension.

use crate::harness::{self, Site};

#[test]
fn every_extension_renders() {
    let site = Site::fixture("dialect");
    let built = site.build();
    assert!(
        built.outcome.diagnostics.is_empty(),
        "{}",
        harness::summary(&built.outcome)
    );
    let html = built.article("pagina/index.html");
    insta::assert_snapshot!("dialect_page", html);
    // No inline styles or event handlers reach the output.
    assert!(!html.contains("style="));
    assert!(!html.contains("onclick"));
}

#[test]
fn heading_ids_are_stable_and_unique() {
    let site = Site::minimal();
    site.file(
        "content/p.md",
        "# Titel\n\n## Wanneer van toepassing?\n\n## Bronnen\n\n## Bronnen\n\n## Één coöperatie\n",
    );
    let built = site.build();
    let html = built.article("p/index.html");
    for id in [
        "wanneer-van-toepassing",
        "bronnen",
        "bronnen_1",
        "een-cooperatie",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} in {html}");
    }
    // The leading level-1 heading is the page heading, shown once.
    assert_eq!(built.read("p/index.html").matches("<h1").count(), 1);
}

#[test]
fn raw_html_can_be_forbidden() {
    let site = Site::minimal();
    let config = format!(
        "{}\n[markdown]\nallow_raw_html = false\n",
        harness::MINIMAL_CONFIG
    );
    site.file("site.toml", &config);
    site.file("content/p.md", "# T\n\n<script>alert(1)</script>\n\nTekst <b onclick=\"x\">vet</b>.\n\n!!! tip\n    Mag wel.\n");
    let outcome = site.check();
    let codes: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        codes,
        [("K0503", 3), ("K0503", 5), ("K0503", 5)],
        "{}",
        harness::summary(&outcome)
    );
}
