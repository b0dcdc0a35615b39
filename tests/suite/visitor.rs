//! What a visitor sees around the pages: sections as side menus with
//! previous and next, the footer, orphan pages, the look (palette, logo,
//! site stylesheets) with its checks, the edit link and the last-updated
//! date from git, image zoom and the AI-Act labels that say something.

use crate::harness::{findings, Site, MINIMAL_CONFIG};

/// The minimal site with `keys` before its tables and `tables` after them.
fn site_with(keys: &str, tables: &str) -> Site {
    let site = Site::minimal();
    site.file("site.toml", &format!("{keys}\n{MINIMAL_CONFIG}\n{tables}"));
    site
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

const GUIDE: &str = r#"
[[menu]]
label = "Gids"
link = "gids/index.md"
pages = [
  "gids/een.md",
  { label = "De tweede", link = "gids/twee.md" },
  "gids/d*.md",
  { label = "Elders", link = "https://example.org/elders" },
]

[[footer]]
label = "Privacy"
link = "privacy.md#rechten"

[[footer]]
label = "Broncode"
link = "https://example.org/code"
"#;

fn guide() -> Site {
    let site = site_with("", GUIDE);
    site.file("content/index.md", &page("Start", "Welkom."))
        .file("content/gids/index.md", &page("Gids", "De gids."))
        .file("content/gids/een.md", &page("Een", "Eerste."))
        .file("content/gids/twee.md", &page("Twee", "Tweede."))
        .file("content/gids/drie.md", &page("Drie", "Derde."))
        .file("content/gids/dertig.md", &page("Dertig", "Dertigste."))
        .file("content/gids/sub/diep.md", &page("Diep", "Onder een."))
        .file(
            "content/privacy.md",
            &page("Privacy", "## Rechten\n\nJe rechten."),
        )
        .file("content/los.md", &page("Los", "Niemand linkt hierheen."));
    site
}

#[test]
fn a_section_is_a_side_menu_with_previous_and_next() {
    let site = guide();
    let built = site.build();
    let een = built.read("gids/een/index.html");
    let side = &een[een.find("<nav class=\"side-nav\"").unwrap()..];
    let side = &side[..side.find("</nav>").unwrap()];
    // The section's page heads it; the entries follow in order, the glob
    // adding what is not named (by file name), the page shown marked.
    let order = [
        "href=\"/gids/\"",
        "/gids/een/",
        "De tweede",
        "/gids/dertig/",
        "/gids/drie/",
        "https://example.org/elders",
    ];
    for n in order {
        assert!(side.contains(n), "{n} not in {side}");
    }
    let at: Vec<usize> = order.iter().map(|n| side.find(n).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{side}");
    assert!(
        side.contains("<a href=\"/gids/een/\" aria-current=\"page\">Een</a>"),
        "{side}"
    );
    assert_eq!(side.matches("aria-current").count(), 1);
    // Previous is the section's page, next the second entry (its label).
    assert!(
        een.contains("<a class=\"pager-prev\" href=\"/gids/\" rel=\"prev\">"),
        "{een}"
    );
    assert!(een.contains("href=\"/gids/twee/\" rel=\"next\"><span class=\"pager-dir\">Volgende</span> <span class=\"pager-title\">De tweede</span>"));
    // The last page has no next; a page below one of them shows the menu.
    let drie = built.read("gids/drie/index.html");
    assert!(drie.contains("rel=\"prev\"") && !drie.contains("rel=\"next\""));
    let diep = built.read("gids/sub/diep/index.html");
    assert!(!diep.contains("class=\"pager\""));
    assert!(diep.contains("class=\"side-nav\""));
    // Outside the section: no side menu, no pager; the phone menu always.
    let privacy = built.read("privacy/index.html");
    assert!(!privacy.contains("class=\"side-nav\"") && !privacy.contains("class=\"pager\""));
    assert!(privacy.contains("<details class=\"phone-menu\">"));
    // The footer on every page, in order, external links marked.
    for html in [
        &een,
        &privacy,
        &built.read("index.html"),
        &built.read("404.html"),
    ] {
        let footer = &html[html.find("<nav class=\"footer-nav\"").unwrap()..];
        let p = footer
            .find("href=\"/privacy/#rechten\">Privacy</a>")
            .unwrap();
        let c = footer
            .find("href=\"https://example.org/code\" rel=\"noopener\">Broncode</a>")
            .unwrap();
        assert!(p < c);
    }
}

#[test]
fn orphan_pages_are_one_warning_and_bad_navigation_links_errors() {
    let site = guide();
    let checked = site.check();
    let orphans: Vec<String> = findings(&checked)
        .into_iter()
        .filter(|f| f.contains("K0801"))
        .collect();
    // The section, its glob and the footer reach every page but two.
    assert_eq!(orphans.len(), 1, "{orphans:?}");
    assert!(
        orphans[0].starts_with(&format!("site.toml:{}:1 ", 1 + MINIMAL_CONFIG.lines().count() + 3))
            && orphans[0].contains("2 page(s) are linked from no menu and no other page: content/gids/sub/diep.md, content/los.md"),
        "{orphans:?}"
    );
    // Links of a page to itself do not count.
    site.file(
        "content/los.md",
        &page(
            "Los",
            "Niemand linkt hierheen, behalve [deze pagina](los.md) zelf.",
        ),
    );
    let orphans: Vec<String> = findings(&site.check())
        .into_iter()
        .filter(|f| f.contains("K0801"))
        .collect();
    assert!(
        orphans.len() == 1 && orphans[0].contains("content/los.md"),
        "{orphans:?}"
    );
    site.file("content/los.md", &page("Los", "Niemand linkt hierheen."));
    // Linked from another page, a page is found; without a menu nothing is checked.
    site.file(
        "content/privacy.md",
        &page(
            "Privacy",
            "## Rechten\n\nJe rechten. [Los](los.md), [diep](gids/sub/diep.md)",
        ),
    );
    assert!(!findings(&site.check()).iter().any(|f| f.contains("K0801")));
    site.file(
        "content/privacy.md",
        &page("Privacy", "## Rechten\n\nJe rechten."),
    );
    let plain = Site::minimal();
    plain.file("content/los.md", &page("Los", "Niemand linkt hierheen."));
    assert!(!findings(&plain.check()).iter().any(|f| f.contains("K0801")));
    site.edit("site.toml", "\"gids/een.md\"", "\"gids/eenn.md\"");
    let checked = site.check();
    let bad: Vec<String> = findings(&checked)
        .into_iter()
        .filter(|f| f.contains("K0003"))
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].contains("navigation link `gids/eenn.md` names no page"),
        "{bad:?}"
    );
    assert!(
        bad[0].starts_with(&format!(
            "site.toml:{}:",
            1 + MINIMAL_CONFIG.lines().count() + 1 + 6
        )),
        "{bad:?}"
    );
}

#[test]
fn the_look_is_checked_and_applied() {
    let site = site_with(
        "extra_css = [\"huis.css\", \"weg.css\"]",
        "[theme]\nlogo = \"beeld/logo.svg\"\nfavicon = \"icoon.png\"\nimage_zoom = true\n[theme.palette]\nprimary = \"#8fb3e0\"\naccent = \"#005a8c\"\n",
    );
    site.file(
        "content/index.md",
        &page(
            "Start",
            "![Schema](beeld/schema.png)\n\n[![Klein](beeld/schema.png)](https://example.org/)",
        ),
    )
    .file(
        "content/beeld/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .bytes("content/beeld/schema.png", b"\x89PNG\r\n")
    .file(
        "static/huis.css",
        "/* eigen */\n.tile { color: red }\n  .md-typeset h1, .md-nav { color: blue }\n",
    );
    let checked = site.check();
    let f = findings(&checked);
    let has = |needle: &str| f.iter().any(|x| x.contains(needle));
    // Pale primary: white header text and headings fail, at the colour.
    assert!(
        has("site.toml:")
            && has("K0802 the header's text: `white` (#ffffff) on `primary` (#8fb3e0)"),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .filter(|x| x.contains("K0802"))
            .all(|x| x.starts_with(&format!(
                "site.toml:{}:1 ",
                1 + MINIMAL_CONFIG.lines().count() + 7
            ))),
        "{f:#?}"
    );
    assert!(!has("`accent`"), "a dark accent passes: {f:#?}");
    assert!(f.contains(&"static/huis.css:3:3 K0803 1 rule(s) style MkDocs Material's classes (`.md-typeset`), which kader's pages do not have | style kader's own classes (see static/kader.css) or drop these rules".to_string()), "{f:#?}");
    assert!(
        has("K0804 stylesheet `weg.css` is neither in static/ nor in the content folder"),
        "{f:#?}"
    );
    assert!(has("K0804 favicon `icoon.png`"), "{f:#?}");
    let built = site.build();
    let home = built.read("index.html");
    let kader = home.find("href=\"/kader.css\"").unwrap();
    let palette = home.find("href=\"/kader-palette.css\"").unwrap();
    let own = home.find("href=\"/huis.css\"").unwrap();
    assert!(kader < palette && palette < own, "{home}");
    assert!(!home.contains("weg.css"));
    assert!(home.contains("<img class=\"brand-logo\" src=\"/beeld/logo.svg\" alt=\"Test\">"));
    assert!(home.contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"));
    assert!(built.read("kader-palette.css").contains("--blue: #8fb3e0;"));
    // Images open full size, except one that is a link already.
    assert!(home.contains("<a class=\"zoom\" href=\"/beeld/schema.png\"><img src=\"/beeld/schema.png\" alt=\"Schema\""), "{home}");
    assert_eq!(home.matches("class=\"zoom\"").count(), 1);
}

#[test]
fn edit_link_and_last_updated_come_from_the_repository() {
    let site = site_with(
        "repo_url = \"https://example.org/org/kb/\"\nedit_uri = \"edit/main/content/\"",
        "",
    );
    site.file("content/index.md", &page("Start", "[A](a.md) [B](b.md)"))
        .file("content/a.md", &page("A", "Eerst."))
        .file("content/b.md", &page("B", "Nooit vastgelegd."));
    // Outside a git checkout: no date, but the edit link.
    let built = site.build();
    let a = built.read("a/index.html");
    assert!(a.contains("<a class=\"edit-link\" href=\"https://example.org/org/kb/edit/main/content/a.md\" rel=\"noopener\">Bewerk deze pagina</a>"), "{a}");
    assert!(!a.contains("<time"));
    // In a repository: the date of each page's last commit.
    let repo = git2::Repository::init(site.root()).unwrap();
    let commit = |files: &[&str], when: i64| {
        let mut index = repo.index().unwrap();
        for f in files {
            index.add_path(std::path::Path::new(f)).unwrap();
        }
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@example.org", &git2::Time::new(when, 120)).unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
            .unwrap();
    };
    commit(&["content/a.md", "content/index.md"], 1_600_000_000);
    site.edit("content/a.md", "Eerst.", "Later.");
    commit(&["content/a.md"], 1_741_046_400);
    let built = site.build();
    let a = built.read("a/index.html");
    assert!(
        a.contains("<time datetime=\"2025-03-04\">Laatst bijgewerkt op 4 maart 2025</time>"),
        "{a}"
    );
    assert!(built
        .read("index.html")
        .contains("<time datetime=\"2020-09-13\">"));
    assert!(
        !built.read("b/index.html").contains("<time"),
        "b.md was never committed"
    );
    // Nothing that does not render (search, the language server) reads the
    // history.
    let session = kader::Session::new(site.root(), kader::BuildOptions::default());
    let (index, _, _) = session.index(&|_| {}).unwrap();
    assert!(index.unwrap().site.extras.last_changed.is_empty());
    // Switched off: nothing.
    site.file(
        "site.toml",
        &format!("last_updated = false\n{}", site.read("site.toml")),
    );
    assert!(!site.build().read("a/index.html").contains("<time"));
}

#[test]
fn ai_act_labels_show_what_narrows() {
    let site = site_with(
        "",
        "[taxonomies.open-source]\nlabel = \"Open source\"\nai_act = true\nterms = [{ slug = \"open-source\", label = \"Open source\" }, { slug = \"geen-open-source\", label = \"Geen open source\" }, { slug = \"niet-van-toepassing\", label = \"Niet van toepassing\" }]\n[taxonomies.risicogroep]\nlabel = \"Risicogroep\"\nai_act = true\nterms = [{ slug = \"hoog-risico\", label = \"Hoog risico\" }, { slug = \"laag-risico\", label = \"Laag risico\" }, { slug = \"niet-van-toepassing\", label = \"Niet van toepassing\" }]\n",
    );
    site.file(
        "content/x.md",
        "---\ntitle: X\nopen-source: [open-source, geen-open-source, niet-van-toepassing]\nrisicogroep: [hoog-risico, niet-van-toepassing]\n---\n## Van toepassing op\n\n<!-- tags-ai-act -->\n",
    );
    let built = site.build();
    let x = built.read("x/index.html");
    let tags = &x[x.find("<div class=\"tags tags-ai-act\">").unwrap()..];
    let tags = &tags[..tags.find("</div>\n</div>").unwrap()];
    assert!(tags.contains("<span class=\"chip chip-all\" title=\"Geldt voor elke waarde van Open source\">alle</span>"), "{tags}");
    assert!(
        !tags.contains("/open-source/open-source/") && !tags.contains("geen-open-source"),
        "{tags}"
    );
    assert!(
        tags.contains("/risicogroep/hoog-risico/\">Hoog risico</a>"),
        "{tags}"
    );
    assert!(!tags.contains("niet-van-toepassing"), "{tags}");
}

#[test]
fn a_summary_the_body_repeats_is_not_shown_twice() {
    let site = Site::minimal();
    site.file(
        "content/a.md",
        "---\ntitle: A\nsummary: Over A.\n---\nDit gaat over A.\n",
    )
    .file(
        "content/b.md",
        "---\ntitle: B\nsummary: Over B.\n---\n## Kop\n\nTekst.\n",
    );
    let built = site.build();
    let a = built.read("a/index.html");
    assert!(!a.contains("<p class=\"lead\">"), "{a}");
    assert!(a.contains("<meta name=\"description\" content=\"Over A.\">"));
    assert!(built
        .read("b/index.html")
        .contains("<p class=\"lead\">Over B.</p>"));
}
