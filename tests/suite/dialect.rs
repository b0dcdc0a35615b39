//! The Markdown dialect: snapshot of a page using every extension; inline
//! styles, html blocks, diagrams and icons.

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
    // The styles are classes of the generated stylesheet, linked from the page.
    let css = built.read("inline-styles.css");
    assert!(css.contains("margin-left: 0 !important;"), "{css}");
    assert!(css.contains("color: #01689b !important;"), "{css}");
    assert!(
        css.contains("@media (min-width: 48em) {\n  .st-"),
        "a column layout applies on wide screens only: {css}"
    );
    assert!(built
        .read("pagina/index.html")
        .contains("<link rel=\"stylesheet\" href=\"/kb/inline-styles.css\">"));
}

/// A site with one page `content/p.md` of `text` (the minimal site).
fn page(text: &str) -> Site {
    let site = Site::minimal();
    site.file("content/p.md", text);
    site
}

#[test]
fn inline_styles_look_the_same_in_serve_and_build() {
    let site = page(
        "# T\n\n<div style=\"display: grid; grid-template-columns: 1fr 1fr\" class=\"x\">\n\n<p style='margin-left:0'>a</p>\n\n</div>\n\n<p style=\"background: url(https://elders.example/x.png)\">b</p>\n",
    );
    site.file("content/q.md", "# Q\n\nZonder stijlen.\n");
    let checked = site.check();
    let findings = harness::findings(&checked.outcome);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let d = &checked.outcome.diagnostics[0];
    assert_eq!((d.code, d.line, d.column), ("K0505", 9, 4), "{d:?}");
    assert!(d.message.contains("url("), "{d:?}");
    // What serve holds in memory is what build writes.
    let served = harness::output(&checked);
    let built = site.build();
    let mut written = built.files();
    written.remove(harness::OUTPUT_MARKER);
    let differing = harness::differing(&served, &written);
    assert!(differing.is_empty(), "{differing:?}");
    let html = built.read("p/index.html");
    assert!(!html.contains("style="), "{html}");
    assert!(html.contains("<div class=\"x st-"), "{html}");
    assert!(html.contains("inline-styles.css"));
    // A page without styles does not load the stylesheet.
    assert!(!built.read("q/index.html").contains("inline-styles.css"));
}

#[test]
fn html_blocks_wrap_markdown() {
    let site = page(
        "# T\n\n//// html | section#buiten.a.b[data-x=\"1 2\"]\n\n/// html | aside\n**vet**\n///\n\nNa\n\n////\n\n/// note | Titel\nInhoud\n///\n",
    );
    let built = site.build();
    let html = built.article("p/index.html");
    assert!(
        html.contains("<section id=\"buiten\" class=\"a b\" data-x=\"1 2\">"),
        "{html}"
    );
    assert!(
        html.contains("<aside>\n<p><strong>vet</strong></p>\n</aside>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Inhoud</p>") && !html.contains("///"),
        "{html}"
    );
    let findings = harness::findings(&built.outcome);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("K0501") && findings[0].contains("`note`"));
}

#[test]
fn diagrams_are_drawn_with_checked_links() {
    let site = page(
        "# T\n\nTekst.\n\n```mermaid\nflowchart LR\n  a([Begin]) --> b{Keuze}\n  b -->|ja| c[Doel]\n  click a href \"../q/\" \"Naar Q\"\n  click c href \"../nergens/\"\n  foutje ]]\n```\n\n```mermaid\nsequenceDiagram\n  A->>B: hoi\n```\n",
    );
    site.file("content/q.md", "# Q\n\n## Sectie\n");
    let checked = site.check();
    let found: Vec<(&str, usize)> = checked
        .outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        found,
        [("K0401", 10), ("K0506", 11), ("K0506", 15)],
        "{}",
        harness::human(&checked.outcome.diagnostics)
    );
    let broken = &checked.outcome.diagnostics[0];
    assert!(broken.message.contains("nergens"), "{broken:?}");
    site.edit("content/p.md", "../nergens/", "../q/#sectie");
    let checked = site.check();
    assert!(
        !checked.outcome.has_errors(),
        "{}",
        harness::summary(&checked.outcome)
    );
    let html = harness::rendered(&checked)["p/index.html"].clone();
    let html = String::from_utf8(html).unwrap();
    assert!(!html.contains("mermaid") && !html.contains("-->"), "{html}");
    assert!(html.contains("<svg class=\"diagram-svg\""));
    // The click is relative to the page's URL (/p/), as in a browser.
    assert!(
        html.contains(
            "<a href=\"/q/\"><title>Naar Q</title><g class=\"diagram-node diagram-link\">"
        ),
        "{html}"
    );
    assert!(html.contains("<summary>Het diagram in tekst</summary>"));
    assert!(html.contains("Dit diagram (sequenceDiagram) kan hier niet worden getoond."));
}

#[test]
fn icons_come_from_the_installed_packages() {
    let Some(icons) = harness::icons() else {
        return;
    };
    let site = page("# T\n\n:material-arrow-right: Verder, :fontawesome-brands-github: en :octicons-mark-github-16: of :simple-github:.\n\nNiet: `:material-check:` en :material-bestaat-niet:.\n");
    let checked = harness::check_with_icons(site.root(), &icons);
    let found: Vec<(&str, usize, usize)> = checked
        .outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [("K0507", 5, 29)],
        "{}",
        harness::human(&checked.outcome.diagnostics)
    );
    let html = String::from_utf8(harness::rendered(&checked)["p/index.html"].clone()).unwrap();
    for set in ["material", "fontawesome", "octicons", "simple"] {
        assert!(
            html.contains(&format!(
                "class=\"icon icon-{set}\" aria-hidden=\"true\" focusable=\"false\""
            )),
            "{set}: {html}"
        );
    }
    assert!(html.contains("<code>:material-check:</code>"));
    assert!(html.contains(":material-bestaat-niet:"));
    assert!(!html.contains(" id=\"mdi-"), "ids of icons would repeat");
    // Without the packages: a warning with a hint, and the shortcode as text.
    let outcome = site.check().outcome;
    assert_eq!(outcome.diagnostics.len(), 5);
    assert!(outcome.diagnostics[0]
        .message
        .contains("is not installed in `node_modules`"));
    assert!(outcome.diagnostics[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("npm install @mdi/svg"));
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
