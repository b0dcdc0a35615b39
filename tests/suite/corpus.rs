//! The real knowledge base in ../shared/corpus/algoritmekader (MkDocs,
//! 253 pages) builds unchanged, and its pages say what they should.

use crate::harness;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The corpus; `None` (only where `KADER_ALLOW_SKIP=shared`) without it.
fn corpus() -> Option<PathBuf> {
    Some(harness::shared()?.join("corpus/algoritmekader"))
}

/// Front matter of a corpus page, parsed independently of kader.
fn front_matter(path: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix("---\n").unwrap_or("");
    let end = rest.find("\n---").unwrap_or(0);
    serde_yaml::from_str(&rest[..end]).unwrap_or(serde_yaml::Value::Null)
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md") && p.file_name().unwrap() != "index.md"
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_corpus_builds_and_its_pages_hold_what_they_should() {
    let Some(corpus) = corpus() else { return };
    let Some(icons) = harness::icons() else {
        return;
    };
    let built = harness::build_into_temp_with_icons(&corpus, &icons);
    let docs = corpus.join("docs");
    let vdir = docs.join("voldoen-aan-wetten-en-regels/vereisten");
    let mdir = docs.join("voldoen-aan-wetten-en-regels/maatregelen");

    // The page of aia-31 lists exactly the measures naming it in `vereiste:`.
    let aia31 = md_files(&vdir)
        .into_iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("aia-31")
        })
        .unwrap();
    let slug = aia31.file_stem().unwrap().to_string_lossy().into_owned();
    let expected: BTreeSet<String> = md_files(&mdir)
        .into_iter()
        .filter(|m| {
            front_matter(m)["vereiste"]
                .as_sequence()
                .is_some_and(|v| v.iter().any(|x| x.as_str() == Some(slug.as_str())))
        })
        .map(|m| m.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!expected.is_empty());
    let html = built.read(&format!(
        "voldoen-aan-wetten-en-regels/vereisten/{slug}/index.html"
    ));
    let listed: BTreeSet<String> = html
        .split("href=\"/Algoritmekader/voldoen-aan-wetten-en-regels/maatregelen/")
        .skip(1)
        .map(|s| s[..s.find('/').unwrap()].to_string())
        // (the side menu links to the overview of measures, `…/maatregelen/"`)
        .filter(|s| !s.starts_with('"'))
        .collect();
    assert_eq!(listed, expected);

    // The overview of requirements has one row per requirement page.
    let overview = built.read("voldoen-aan-wetten-en-regels/vereisten/index.html");
    assert_eq!(
        overview.matches("<tr data-terms").count(),
        md_files(&vdir).len()
    );

    // No page keeps an unrendered directive, a dialect marker in its text
    // or an inline style.
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&built.out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let text = strip_code(&html);
        for marker in [
            "<!-- list_",
            "<!-- tags",
            "<p>!!!",
            "<p>???",
            "<p>===",
            "\n!!! ",
            "\n??? ",
            "\n=== \"",
            "<pre class=\"mermaid\"",
            " style=\"",
            " style='",
        ] {
            if text.contains(marker) {
                problems.push(format!("{}: {marker:?}", entry.path().display()));
            }
        }
        let visible = visible_text(&text);
        for marker in [
            "///",
            ":material-",
            ":fontawesome-",
            ":octicons-",
            ":simple-",
            "{:",
            "{ .",
            "{ #",
            "](",
            "!!! ",
            "??? ",
            "=== \"",
            "flowchart ",
            "graph TD",
            "-->",
            "-.->",
            "click ",
        ] {
            if let Some(at) = visible.find(marker) {
                let around: String = visible[at.saturating_sub(60)..].chars().take(120).collect();
                problems.push(format!(
                    "{}: {marker:?} in {around:?}",
                    entry.path().display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The lifecycle diagram: an SVG whose phases link to their pages, with
    // the phases as text too; the stylesheet of the inline styles.
    let lifecycle = built.read("levenscyclus/over-de-levenscyclus/index.html");
    let svg = &lifecycle[lifecycle
        .find("<svg class=\"diagram-svg\"")
        .expect("a diagram")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    for phase in [
        "organisatieverantwoordelijkheden",
        "probleemanalyse",
        "ontwerp",
        "dataverkenning-en-datapreparatie",
        "ontwikkelen",
        "verificatie-en-validatie",
        "implementatie",
        "monitoring-en-beheer",
        "uitfaseren",
    ] {
        let href = format!("<a href=\"/Algoritmekader/levenscyclus/{phase}/\">");
        assert!(svg.contains(&href), "{href}");
        assert!(built.exists(&format!("levenscyclus/{phase}/index.html")));
    }
    assert!(svg.contains(">organisatieniveau</text>") && svg.contains(">systeemniveau</text>"));
    assert!(lifecycle.contains("<details class=\"diagram-text\">"));
    assert!(built
        .read("inline-styles.css")
        .contains("float: left !important;"));
    // The icon of `:material-arrow-right:`.
    let bias =
        built.read("voldoen-aan-wetten-en-regels/maatregelen/5-ver-03-biasanalyse/index.html");
    assert_eq!(bias.matches("class=\"icon icon-material\"").count(), 2);
}

/// The text of an HTML page outside its tags (and its scripts).
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = if after.starts_with("<script") {
            after.find("</script>").map(|e| e + "</script>".len())
        } else if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        rest = end.map_or("", |e| &after[e..]);
    }
    out.push_str(rest);
    out
}

/// The HTML without `<pre>…</pre>` blocks (code may show markers).
fn strip_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<pre") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find("</pre>")
            .map(|j| &rest[i + j + 6..])
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[test]
fn check_lists_every_problem_without_failing_the_build() {
    let Some(corpus) = corpus() else { return };
    let outcome = harness::check_at(&corpus);
    assert!(
        !outcome.has_errors(),
        "{}",
        harness::human(&outcome.diagnostics)
    );
    let codes: BTreeSet<&str> = outcome.diagnostics.iter().map(|d| d.code).collect();
    // Real problems of the corpus: a misspelt term, dangling references,
    // broken anchors, and the MkDocs settings kader does not support.
    for code in ["K0202", "K0203", "K0402", "K0008"] {
        assert!(codes.contains(code), "{code} in {codes:?}");
    }
    // The dialect the corpus uses is supported; its diagram and styles
    // need no warning.
    for d in &outcome.diagnostics {
        assert!(
            !(d.code == "K0008"
                && (d.message.contains("pymdownx.blocks.html")
                    || d.message.contains("pymdownx.emoji"))),
            "{d:?}"
        );
        assert!(!["K0505", "K0506"].contains(&d.code), "{d:?}");
    }
    let term = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == "K0202")
        .unwrap();
    assert!(term.message.contains("grondrechten"));
    // The settings around the pages are supported now.
    let unsupported: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "K0008")
        .map(|d| d.message.as_str())
        .collect();
    for setting in [
        "logo",
        "favicon",
        "palette",
        "extra_css",
        "`extra`",
        "edit_uri",
        "git-revision-date-localized",
        "glightbox",
    ] {
        assert!(
            !unsupported.iter().any(|m| m.contains(setting)),
            "{setting} is still reported: {unsupported:#?}"
        );
    }
    // One warning lists the pages nothing links to.
    let orphans: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "K0801")
        .collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        (orphans[0].file.as_str(), orphans[0].line),
        ("mkdocs.yml", 32)
    );
    assert!(
        orphans[0].message.contains("docs/version.md"),
        "{}",
        orphans[0].message
    );
    assert!(
        !orphans[0].message.contains("privacy"),
        "{}",
        orphans[0].message
    );
}

#[test]
fn the_corpus_has_side_menus_footer_and_one_introduction() {
    let Some(corpus) = corpus() else { return };
    let built = harness::build_into_temp(&corpus);
    // A phase page: the lifecycle's side menu with the page marked, and
    // the previous and next phases.
    let phase = built.read("levenscyclus/ontwerp/index.html");
    assert!(phase.contains("<nav class=\"side-nav\""), "no side menu");
    assert!(
        phase.contains("<a href=\"/Algoritmekader/levenscyclus/ontwerp/\" aria-current=\"page\">")
    );
    assert!(phase.contains("href=\"/Algoritmekader/levenscyclus/probleemanalyse/\" rel=\"prev\""));
    assert!(phase.contains(
        "href=\"/Algoritmekader/levenscyclus/dataverkenning-en-datapreparatie/\" rel=\"next\""
    ));
    // A requirement is below the requirements' overview of its section.
    let overview = built.read("voldoen-aan-wetten-en-regels/vereisten/index.html");
    // The overview's summary repeats its first paragraph: shown once.
    assert!(
        !overview.contains("<p class=\"lead\">"),
        "the summary is shown beside the introduction"
    );
    assert!(overview.contains("Overzicht van de belangrijkste vereisten"));
    // Its `hide: [navigation, toc]` gives the table the whole width.
    assert!(!overview.contains("class=\"side-nav\"") && !overview.contains("id=\"toc-heading\""));
    // Every page: the service pages in the footer, the logo and favicon.
    for page in ["index.html", "levenscyclus/ontwerp/index.html", "404.html"] {
        let html = built.read(page);
        for label in [
            "Toegankelijkheid",
            "Privacy",
            "Cookies",
            "Contact",
            "Veelgestelde vragen",
            "Kwetsbaarheid melden",
        ] {
            assert!(
                html.contains(&format!("\">{label}</a></li>")),
                "{page} lacks {label} in its footer"
            );
        }
        assert!(html.contains("src=\"/Algoritmekader/assets/logo.svg\""));
        assert!(html.contains(
            "<link rel=\"icon\" href=\"/Algoritmekader/assets/favicon.ico\" type=\"image/x-icon\">"
        ));
    }
    // The repository from extra.social, with edit_uri: "edit this page".
    assert!(phase.contains(
        "href=\"https://github.com/MinBZK/Algoritmekader/edit/main/docs/levenscyclus/ontwerp.md\""
    ));
}

#[test]
fn import_writes_an_equivalent_site_toml() {
    let Some(corpus) = corpus() else { return };
    let site = harness::Site::empty();
    let root = site.root();
    std::fs::copy(corpus.join("mkdocs.yml"), root.join("mkdocs.yml")).unwrap();
    std::fs::create_dir_all(root.join("docs/voldoen-aan-wetten-en-regels/vereisten")).unwrap();
    let (path, warnings) = harness::import_mkdocs(root).unwrap();
    assert!(warnings > 0);
    let config = harness::site_config(&path);
    assert_eq!(config.base_path, "/Algoritmekader/");
    assert_eq!(config.content_dir, "docs");
    assert_eq!(
        config.glossary.as_deref(),
        Some("includes/begrippenlijst.md")
    );
    assert!(config.taxonomies.contains_key("onderwerp"));
    assert_eq!(config.menu.len(), 7);
    // nav sections become side menus; the Algoritmekader's footer is added
    // only for the pages that exist (none in this copy), after extra.social.
    assert_eq!(config.menu[3].pages.len(), 11);
    assert_eq!(config.footer.len(), 1);
    assert_eq!(
        config.footer[0].link,
        "https://github.com/MinBZK/Algoritmekader"
    );
    assert!(config.theme.image_zoom && config.last_updated);
    assert_eq!(config.theme.logo.as_deref(), Some("assets/logo.svg"));
    assert!(
        harness::import_mkdocs(root).is_err(),
        "an existing site.toml is not overwritten"
    );
}
