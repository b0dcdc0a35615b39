//! Hostile and broken input: whatever editors commit, kader answers with
//! diagnostics — never a panic, a hang, a half-written site or a page that
//! runs someone's script. Big inputs are generated in temp folders here
//! (those that are also timed in `inputs`); nothing large is committed.
//! Crashes found by the fuzz targets (`fuzz/`, `scripts/fuzz`) end up here
//! as regression tests.
//!
//! No test here asserts how long kader takes: every check and build runs
//! under the harness's watchdog, which fails only a hang, and
//! `scripts/bench-hostile` prints the times of the pathological inputs.

mod inputs;

use crate::harness::{self, findings, is_root, kader_bin, Site, MINIMAL_CONFIG};
use inputs::PAGE;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Adds `files` to the site.
fn add(site: &Site, files: inputs::Files) {
    for (path, bytes) in files {
        site.bytes(&path, &bytes);
    }
}

/// The names of the entries of `dir` (hidden ones too), sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------
// Files that are not Markdown text

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let site = Site::minimal();
    site.bytes(
        "content/vereisten/latin1.md",
        b"---\ntitle: Caf\xe9\nlevenscyclus: [ontwerp]\n---\nTekst\n",
    );
    assert_eq!(
        findings(&site.check()),
        ["content/vereisten/latin1.md:2:11 K0002 file is not valid UTF-8 (invalid byte 0xE9) | save the file with UTF-8 encoding"]
    );
}

#[test]
fn binary_files_named_md_are_reported_not_parsed() {
    let site = Site::minimal();
    // A PNG image, renamed.
    site.bytes(
        "content/plaatje.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
    );
    // Valid UTF-8, but with NUL bytes: not text either.
    site.bytes("content/nul.md", b"# Kop\n\0\0\0\x01\x02\x03\n");
    assert_eq!(
        findings(&site.check()),
        [
            "content/nul.md:0:0 K0002 file contains NUL bytes; it looks like a binary file, not Markdown text | rename it if it is not a page, or save it as UTF-8 text",
            "content/plaatje.md:0:0 K0002 file contains NUL bytes; it looks like a binary file, not Markdown text | rename it if it is not a page, or save it as UTF-8 text",
        ]
    );
}

#[test]
fn empty_files_build_or_miss_their_required_fields() {
    let site = Site::minimal();
    site.file("content/leeg.md", "");
    site.file("content/vereisten/leeg.md", "");
    site.file("content/vereisten/alleen-streepjes.md", "---\n---\n");
    assert_eq!(
        findings(&site.check()),
        [
            "content/vereisten/alleen-streepjes.md:1:1 K0103 required field `levenscyclus` is missing (collection `vereisten`) | add a line `levenscyclus: ...` to the front matter",
            "content/vereisten/alleen-streepjes.md:1:1 K0103 required field `title` is missing (collection `vereisten`) | add a line `title: ...` to the front matter",
            "content/vereisten/leeg.md:0:0 K0103 page of collection `vereisten` has no front matter | start the file with a `---` block declaring title, levenscyclus",
        ]
    );
    // An empty page outside a collection is a page with no text.
    site.file("content/vereisten/leeg.md", PAGE);
    site.file("content/vereisten/alleen-streepjes.md", PAGE);
    let built = site.build();
    assert!(built.exists("leeg/index.html"));
}

#[test]
fn broken_files_read_well_in_the_terminal() {
    let site = Site::minimal();
    site.bytes("content/latin1.md", b"# Caf\xe9\n\nTekst\n");
    site.bytes("content/plaatje.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    site.file("content/lijst.md", "---\n- a\n---\n");
    site.file("content/open.md", "---\ntitle: Nooit dicht\n");
    site.file(
        "content/vereisten/fout.md",
        "---\ntitle: Artikel 5: verboden\nlevenscyclus: [ontwerp]\n---\n",
    );
    site.file(
        "content/vereisten/dubbel.md",
        "---\ntitle: Een\nlevenscyclus: ontwerp\ntitle: Twee\n---\n",
    );
    insta::assert_snapshot!(
        "hostile_files_human",
        harness::human(&site.check().diagnostics)
    );
}

// ---------------------------------------------------------------------------
// Front matter

#[test]
fn front_matter_that_is_not_a_mapping() {
    let site = Site::minimal();
    site.file("content/lijst.md", "---\n- a\n- b\n---\n");
    site.file("content/tekst.md", "---\nzomaar tekst\n---\n");
    site.file("content/getal.md", "---\n42\n---\n");
    assert_eq!(
        findings(&site.check()),
        [
            "content/getal.md:1:1 K0102 front matter is a single value, not a mapping of keys to values | write one `key: value` per line, e.g. `title: Mijn pagina`",
            "content/lijst.md:1:1 K0102 front matter is a list, not a mapping of keys to values | write one `key: value` per line, e.g. `title: Mijn pagina`",
            "content/tekst.md:1:1 K0102 front matter is a text, not a mapping of keys to values | write one `key: value` per line, e.g. `title: Mijn pagina`",
        ]
    );
}

#[test]
fn duplicate_keys_point_at_the_second_one() {
    let site = Site::minimal();
    site.file(
        "content/vereisten/dubbel.md",
        "---\ntitle: Een\nlevenscyclus: [ontwerp]\ntitle: Twee\n---\n",
    );
    assert_eq!(
        findings(&site.check()),
        ["content/vereisten/dubbel.md:4:1 K0108 front matter has the key `title` twice | remove one of the two, or merge their values"]
    );
}

#[test]
fn wrong_types_are_reported_and_a_single_term_is_a_list_of_one() {
    let site = Site::minimal();
    site.file(
        "content/vereisten/typen.md",
        "---\ntitle: [een, lijst]\nlevenscyclus: {a: b}\ndraft: misschien\n---\n",
    );
    site.file(
        "content/vereisten/enkel.md",
        "---\ntitle: Enkel\nlevenscyclus: ontwikkelen\n---\n",
    );
    assert_eq!(
        findings(&site.check()),
        [
            "content/vereisten/typen.md:2:1 K0104 `title` must be a text",
            "content/vereisten/typen.md:3:1 K0104 `levenscyclus` must be a list of terms",
            "content/vereisten/typen.md:4:1 K0104 `draft` must be true or false",
        ]
    );
    site.file("content/vereisten/typen.md", PAGE);
    let built = site.build();
    let json: serde_json::Value = serde_json::from_str(&built.read("kennisbank.json")).unwrap();
    let enkel = json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Enkel")
        .unwrap();
    assert_eq!(
        enkel["terms"]["levenscyclus"],
        serde_json::json!(["ontwikkelen"])
    );
}

/// How quickly: `scripts/bench-hostile` (yaml-alias-bomb).
#[test]
fn yaml_alias_bombs_are_refused_quickly() {
    let site = Site::minimal();
    add(&site, inputs::yaml_alias_bomb());
    let outcome = site.check();
    assert_eq!(
        findings(&outcome),
        ["content/bom.md:1:1 K0101 front matter expands into too many values (YAML aliases nested too deeply) | front matter should not use YAML anchors and aliases"]
    );
}

#[test]
fn deeply_nested_front_matter_is_refused() {
    let site = Site::minimal();
    site.file(
        "content/diep.md",
        &format!(
            "---\ntitle: {}x{}\n---\n",
            "[".repeat(5_000),
            "]".repeat(5_000)
        ),
    );
    assert_eq!(
        findings(&site.check()),
        ["content/diep.md:1:1 K0101 front matter is nested more than 128 levels deep | front-matter values are texts and lists of texts"]
    );
}

/// Every key is located in the source; that must not be quadratic (the
/// time: `scripts/bench-hostile`, front-matter-keys).
#[test]
fn many_front_matter_keys_stay_linear() {
    let site = Site::minimal();
    add(&site, inputs::many_front_matter_keys());
    let outcome = site.check();
    assert!(outcome.errors == 0, "{:?}", findings(&outcome));
}

// ---------------------------------------------------------------------------
// Size and depth

#[test]
fn a_50_mb_page_is_refused_without_being_read() {
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    inputs::write_50_mb_page(&site.path("content/groot.md"));
    let out = site.cli(&["build", "--timings"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "error[K0007]: file is 50 MB; the limit for a page is 8 MB\n --> content/groot.md\n"
        ) && out
            .stderr
            .contains("= hint: split the page into smaller pages"),
        "{}",
        out.stderr
    );
    // Peak memory of the whole run stays far below the page's size.
    let peak: f64 = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss"))
        .and_then(|v| v.trim().trim_end_matches("MB").trim().parse().ok())
        .expect("--timings prints peak_rss");
    println!("peak memory checking a site with a 50 MB page: {peak:.1} MB");
    assert!(peak < 40.0, "peak RSS {peak} MB");
}

/// How quickly: `scripts/bench-hostile` (deep-nesting).
#[test]
fn deep_lists_and_quotes_are_flattened_with_k0502() {
    let site = Site::minimal();
    add(&site, inputs::deep_lists_and_quotes());
    let outcome = site.check();
    let message = "K0502 lists and block quotes are nested more than 100 levels deep; deeper levels are shown flat | restructure the text; nesting this deep cannot be read";
    assert_eq!(
        findings(&outcome),
        [
            format!("content/citaten.md:4:201 {message}"),
            format!("content/geneste-citaten.md:4:101 {message}"),
            format!("content/lijsten.md:4:201 {message}"),
        ]
    );
    // Up to the limit, nesting renders as written.
    let site = Site::minimal();
    site.file(
        "content/diep.md",
        &format!("---\ntitle: D\n---\n{}x\n", "- ".repeat(100)),
    );
    let built = site.build();
    let article = built.article("diep/index.html");
    assert_eq!(article.matches("<ul>").count(), 100);
    assert_eq!(article.matches("</ul>").count(), 100);
}

#[test]
fn deep_containers_are_reported_not_a_stack_overflow() {
    let mut text = String::from("---\ntitle: C\n---\n");
    for i in 0..200 {
        text.push_str(&"    ".repeat(i));
        text.push_str("!!! note\n");
    }
    text.push_str(&"    ".repeat(200));
    text.push_str("x\n");
    let site = Site::minimal();
    site.file("content/bakjes.md", &text);
    let f = findings(&site.check());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with(
            "content/bakjes.md:36:129 K0502 containers are nested more than 32 levels deep"
        ),
        "{f:?}"
    );
}

/// How quickly: `scripts/bench-hostile` (directive-valid, directive-invalid).
#[test]
fn a_directive_with_10000_arguments_is_cut_to_100_quickly() {
    let site = Site::minimal();
    add(&site, inputs::directive_with_10000_arguments(true));
    let outcome = site.check();
    let cut = "K0007 `list_vereisten` has 10000 arguments; only the first 100 are used | a directive needs a few filters; split the list into several directives";
    assert_eq!(
        findings(&outcome),
        [format!("content/veel.md:1:2121 {cut}")]
    );
    // Ten thousand bad arguments: the first hundred are checked.
    site.file("content/veel.md", &inputs::directive_page(false));
    let outcome = site.check();
    let f = findings(&outcome);
    assert_eq!(f.len(), 101);
    assert_eq!(
        f[0],
        "content/veel.md:1:21 K0202 unknown term `x0000` in taxonomy `bouwblok` | terms of `bouwblok`: governance, publieke-inkoop"
    );
    assert_eq!(f[100], format!("content/veel.md:1:1521 {cut}"));
}

/// Every finding keeps only the part of a long line around its position
/// and renders it in one pass. The time: `scripts/bench-hostile --long-line`.
#[test]
fn findings_on_a_very_long_line_render_quickly() {
    let site = Site::minimal();
    add(&site, inputs::findings_on_a_very_long_line());
    let outcome = site.check();
    assert_eq!(outcome.errors, 20_000);
    let text = harness::watchdog("render", move || harness::human(&outcome.diagnostics));
    assert!(text.len() < 20_000 * 1_000, "{} bytes", text.len());
}

/// How quickly: `scripts/bench-hostile` (footnotes).
#[test]
fn many_footnotes_and_abbreviations_stay_linear() {
    let site = Site::minimal();
    add(&site, inputs::many_footnotes_and_abbreviations());
    let f = findings(&site.check());
    assert_eq!(
        f,
        ["content/vereisten/noten.md:61006:1 K0007 more than 1000 abbreviations (glossary and page together); this one and the ones after it are ignored | define fewer abbreviations"]
    );
}

// ---------------------------------------------------------------------------
// The file system

#[cfg(unix)]
#[test]
fn symlinks_are_reported_and_never_followed() {
    use std::os::unix::fs::symlink;
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    let c = site.root().join("content");
    symlink("/etc/passwd", c.join("passwd.md")).unwrap();
    symlink("/etc", c.join("etc")).unwrap();
    symlink(".", c.join("lus")).unwrap();
    symlink("b.md", c.join("a.md")).unwrap();
    symlink("a.md", c.join("b.md")).unwrap();
    symlink("../site.toml", c.join("instellingen.md")).unwrap();
    let hint = " | copy the file into the site instead of linking to it";
    assert_eq!(
        findings(&site.check()),
        [
            format!("content/a.md:0:0 K0005 symbolic link to `b.md` is not followed{hint}"),
            format!("content/b.md:0:0 K0005 symbolic link to `a.md` is not followed{hint}"),
            format!("content/etc:0:0 K0005 symbolic link to `/etc` is not followed{hint}"),
            format!("content/instellingen.md:0:0 K0005 symbolic link to `../site.toml` is not followed{hint}"),
            format!("content/lus:0:0 K0005 symbolic link to `.` is not followed{hint}"),
            format!("content/passwd.md:0:0 K0005 symbolic link to `/etc/passwd` is not followed{hint}"),
        ]
    );
    let built = site.build();
    let files = harness::files_below(&built.out);
    assert!(files.iter().all(|(p, bytes)| !p.contains("passwd")
        && !p.starts_with("etc")
        && !String::from_utf8_lossy(bytes).contains("root:x:0:0")));
}

#[cfg(unix)]
#[test]
fn a_content_folder_linked_outside_the_site_is_refused() {
    let site = Site::minimal();
    std::fs::remove_dir(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink("/etc", site.root().join("content")).unwrap();
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("is a symbolic link to /etc, outside the site; kader does not follow it"),
        "{}",
        out.stderr
    );
    assert!(!site.root().join("public").exists());
}

#[cfg(unix)]
#[test]
fn template_and_static_folders_linked_outside_the_site_are_skipped() {
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    std::os::unix::fs::symlink("/etc", site.root().join("static")).unwrap();
    std::os::unix::fs::symlink("/usr/share", site.root().join("templates")).unwrap();
    assert_eq!(
        findings(&site.check()),
        [
            "static:0:0 K0005 symbolic link to `/etc`, outside the site, is not followed | copy the folder into the site instead of linking to it",
            "templates:0:0 K0005 symbolic link to `/usr/share`, outside the site, is not followed | copy the folder into the site instead of linking to it",
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    site.file("content/geheim.md", "# Geheim\n");
    site.file("content/dicht/pagina.md", "# Dicht\n");
    let none = std::fs::Permissions::from_mode(0o000);
    std::fs::set_permissions(site.root().join("content/geheim.md"), none.clone()).unwrap();
    std::fs::set_permissions(site.root().join("content/dicht"), none).unwrap();
    let Some(out) = site.cli_unprivileged(&["check", "--format", "json"]) else {
        return;
    };
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let got: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {} {} | {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
                d["hint"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "content/dicht:0 K0001 cannot read: Permission denied (os error 13) | check the permissions of the file or folder",
            "content/geheim.md:0 K0001 cannot read file: Permission denied (os error 13) | check the file's permissions",
        ]
    );
}

#[test]
fn links_and_images_that_climb_out_of_the_root_are_errors_and_never_copied() {
    let site = Site::minimal();
    site.file(
        "content/klimmer.md",
        "# Klimmer\n\n[wachtwoorden](../../../etc/passwd)\n\n![plaatje](../../../../etc/passwd)\n\n[instellingen](../site.toml)\n",
    );
    let hint = " | link only to files inside the content folder; nothing outside it is published";
    assert_eq!(
        findings(&site.check()),
        [
            format!("content/klimmer.md:3:16 K0407 link `../../../etc/passwd` climbs out of the content folder{hint}"),
            format!("content/klimmer.md:5:12 K0407 link `../../../../etc/passwd` climbs out of the content folder{hint}"),
            format!("content/klimmer.md:7:16 K0407 link `../site.toml` climbs out of the content folder{hint}"),
        ]
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1);
    assert!(!site.root().join("public").exists());
}

#[test]
fn file_names_with_spaces_accents_and_capitals_build_and_link() {
    let site = Site::minimal();
    site.file("content/Mijn Pagina.md", "# Mijn pagina\n\nTekst.\n");
    site.file("content/café déjà vu.md", "# Café\n\nTekst.\n");
    site.file("content/HoofdLetters.md", "# Hoofdletters\n");
    site.file(
        "content/bijlagen/Verslag 2024 (définitief).pdf",
        "%PDF-1.4\n",
    );
    site.file(
        "content/index.md",
        "# Home\n\n[a](Mijn%20Pagina.md) [b](<Mijn Pagina.md>) [c](café%20déjà%20vu.md) \
         [d](caf%C3%A9%20d%C3%A9j%C3%A0%20vu.md) [e](HoofdLetters.md) \
         [f](<bijlagen/Verslag 2024 (définitief).pdf>)\n",
    );
    let built = site.build();
    assert!(
        built.outcome.diagnostics.is_empty(),
        "{:?}",
        findings(&built.outcome)
    );
    for page in [
        "Mijn Pagina/index.html",
        "café déjà vu/index.html",
        "HoofdLetters/index.html",
        "bijlagen/Verslag 2024 (définitief).pdf",
    ] {
        assert!(built.exists(page), "{page}");
    }
    let home = built.read("index.html");
    for href in [
        "href=\"/Mijn%20Pagina/\"",
        "href=\"/caf%C3%A9%20d%C3%A9j%C3%A0%20vu/\"",
        "href=\"/HoofdLetters/\"",
        "href=\"/bijlagen/Verslag%202024%20(d%C3%A9finitief).pdf\"",
    ] {
        assert!(home.contains(href), "{href} in {home}");
    }
    assert_eq!(home.matches("href=\"/Mijn%20Pagina/\"").count(), 2);
    // A wrong case is a broken link, with the right name as the hint.
    site.file("content/index.md", "# Home\n\n[a](hoofdletters.md)\n");
    let f = findings(&site.check());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].starts_with("content/index.md:3:5 K0401 "), "{f:?}");
}

#[test]
fn two_files_with_one_url_are_reported() {
    let site = Site::minimal();
    site.file("content/vereisten/dubbel.md", PAGE);
    site.file("content/vereisten/dubbel/index.md", PAGE);
    site.file("content/x.markdown", "# X\n");
    site.file("content/x.md", "# X\n");
    assert_eq!(
        findings(&site.check()),
        [
            "content/vereisten/dubbel/index.md:0:0 K0006 page has the URL /vereisten/dubbel/, which content/vereisten/dubbel.md already has | rename or move one of the two files",
            "content/x.md:0:0 K0006 page has the URL /x/, which content/x.markdown already has | rename or move one of the two files",
        ]
    );
}

// ---------------------------------------------------------------------------
// Escaping

/// Builds the `hostile` fixture: hostile texts in titles, term labels,
/// the glossary, a decision tree, headings and the search index.
fn hostile_build() -> (Site, harness::Built) {
    let site = Site::fixture("hostile");
    let built = site.build();
    (site, built)
}

#[test]
fn hostile_texts_come_out_inert_in_every_page() {
    let (_site, built) = hostile_build();
    let mut checked = 0;
    for (path, bytes) in harness::files_below(&built.out) {
        if !path.ends_with(".html") {
            continue;
        }
        checked += 1;
        let html = String::from_utf8(bytes).unwrap();
        // No hostile script element, and no attribute injected by a quote.
        for bad in [
            "<script>alert",
            "</script><script>",
            "\" onload=\"",
            "\" onload=",
            "<img src=x onerror",
            "<svg onload",
            "javascript:alert",
        ] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
        // Every <script> is one of the theme's (src=…) or JSON data.
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap() + 1];
            assert!(
                tag.contains(" src=\"/") || tag.contains("type=\"application/json\""),
                "{path}: {tag}"
            );
        }
    }
    assert!(checked >= 10, "{checked} pages checked");
    // The texts are there, escaped.
    let page = built.read("vereisten/script/index.html");
    for escaped in [
        "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;",
        "&quot; onload=&quot;alert(&#39;title2&#39;)",
        "Ontwerp &lt;script&gt;alert(&#39;term&#39;)&lt;/script&gt;",
        "Ontwikkelen&quot; onload=&quot;alert(&#39;term2&#39;)",
        "Zoekwoord &lt;script&gt;alert(&#39;heading&#39;)&lt;/script&gt;",
        "title=\"Algemene &lt;script&gt;alert(&#39;glossary&#39;)&lt;/script&gt; verordening&quot; onload=&quot;alert(&#39;glossary2&#39;)\"",
    ] {
        assert!(page.contains(escaped), "{escaped} missing");
    }
    // Decision-tree texts: sanitized, and the JSON cannot end its script.
    let home = built.read("index.html");
    assert!(
        home.contains("Vraag &lt;script&gt;alert"),
        "tree text kept as text"
    );
    assert!(!home.contains("alert('breakout')</script>"));
}

#[test]
fn exports_escape_and_defuse_formulas() {
    let (_site, built) = hostile_build();
    let json: serde_json::Value = serde_json::from_str(&built.read("kennisbank.json")).unwrap();
    let titles: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"<script>alert('title')</script> en \" onload=\"alert('title2')"));
    let csv = built.read("kennisbank.csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[1..],
        [
            "vereisten,nl,,\"<script>alert('title')</script> en \"\" onload=\"\"alert('title2')\",https://example.org/vereisten/script/,<img src=x onerror=alert('toelichting')>,ontwerp; ontwikkelen,governance",
            "maatregelen,nl,,'@cmd|' /C calc'!A0,https://example.org/maatregelen/at/,,,",
            "maatregelen,nl,,\"'=HYPERLINK(\"\"https://example.org\"\",\"\"klik\"\")\",https://example.org/maatregelen/formule/,,ontwerp,",
            "maatregelen,nl,,'-2+3,https://example.org/maatregelen/min/,,,",
            "maatregelen,nl,,\"'+SUM(1,2)\",https://example.org/maatregelen/plus/,,,",
        ]
    );
}

#[test]
fn search_snippets_are_text_for_the_browser() {
    let (site, _built) = hostile_build();
    let results = harness::search(site.root(), None, "zoekwoord", 5);
    assert_eq!(results.len(), 1, "{results:?}");
    // The index holds plain text (not HTML) ...
    assert_eq!(
        results[0].title,
        "<script>alert('title')</script> en \" onload=\"alert('title2')"
    );
    assert_eq!(
        results[0].section,
        "Zoekwoord <script>alert('heading')</script>"
    );
    // ... which the browser only ever inserts as text.
    let js = std::fs::read_to_string(harness::repo().join("static/kader-search.js")).unwrap();
    assert!(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML"));
    assert!(js.contains("createTextNode"));
}

#[test]
fn raw_html_passes_unless_forbidden() {
    let site = Site::minimal();
    site.file(
        "content/rauw.md",
        "# Rauw\n\n<div class=\"x\" onclick=\"alert(1)\">blok</div>\n\nTekst <span onmouseover=\"alert(2)\">inline</span>.\n",
    );
    let built = site.build();
    let article = built.article("rauw/index.html");
    // The markup passes; the event handlers, which the CSP would not run
    // anyway, are removed and reported.
    assert!(article.contains("<div class=\"x\">blok</div>"));
    assert!(article.contains("<span>inline</span>"));
    let removed = " is removed: the site's Content-Security-Policy does not run inline scripts | link to a page instead, or add behaviour with a script file in static/ (site.toml `extra_js`)";
    assert_eq!(
        findings(&site.check()),
        [
            format!("content/rauw.md:3:16 K0504 the event handler `onclick`{removed}"),
            format!("content/rauw.md:5:13 K0504 the event handler `onmouseover`{removed}"),
        ]
    );

    let config = MINIMAL_CONFIG.to_string() + "\n[markdown]\nallow_raw_html = false\n";
    site.file("site.toml", &config);
    let hint = " | use Markdown, or set `markdown.allow_raw_html = true` in site.toml";
    assert_eq!(
        findings(&site.check()),
        [
            format!("content/rauw.md:3:1 K0503 raw HTML is not allowed in this site{hint}"),
            format!("content/rauw.md:5:7 K0503 raw HTML is not allowed in this site{hint}"),
            format!("content/rauw.md:5:42 K0503 raw HTML is not allowed in this site{hint}"),
        ]
    );
}

// ---------------------------------------------------------------------------
// Interrupted and failing builds

/// A site of `pages` small pages, built once into `public/` with a
/// sentinel file added, so a later build's effect on it shows.
fn big_site(pages: usize) -> Site {
    let site = Site::minimal();
    for i in 0..pages {
        site.file(
            &format!("content/vereisten/v{i}.md"),
            &format!(
                "---\ntitle: Vereiste {i}\nlevenscyclus: [ontwerp]\n---\n## Kop\n\nTekst {i}.\n"
            ),
        );
    }
    let out = site.cli(&["build", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    site.file("public/sentinel.txt", "vorige build");
    site
}

fn send(pid: u32, sig: i32) {
    extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    // SAFETY: plain libc call on a child process we own.
    assert_eq!(unsafe { kill(pid as i32, sig) }, 0);
}

fn temp_folders(root: &Path) -> Vec<String> {
    listing(root)
        .into_iter()
        .filter(|n| n.contains(".kader-"))
        .collect()
}

#[cfg(unix)]
#[test]
fn interrupted_builds_leave_the_previous_output_and_no_temp_folders() {
    let site = big_site(1500);
    let before = harness::files_below(&site.root().join("public"));
    // SIGINT while the output is being written (the temporary folder exists).
    let mut caught_writing = false;
    for _ in 0..3 {
        let mut child = Command::new(kader_bin())
            .args(["build", "-q"])
            .current_dir(site.root())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while temp_folders(site.root()).is_empty()
            && child.try_wait().unwrap().is_none()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        let writing = child.try_wait().unwrap().is_none();
        if writing {
            send(child.id(), 2);
        }
        let status = child.wait().unwrap();
        if !writing {
            // Finished before we saw it writing: try again.
            continue;
        }
        caught_writing = true;
        assert_eq!(status.code(), Some(130));
        assert_eq!(temp_folders(site.root()), Vec::<String>::new());
        assert!(
            harness::files_below(&site.root().join("public")) == before,
            "output changed"
        );
        break;
    }
    assert!(caught_writing, "never caught the build while writing");

    // SIGTERM while pages are still being read and rendered. A build that
    // put its output in place before the signal arrived reports success.
    let mut child = Command::new(kader_bin())
        .args(["build", "-q"])
        .current_dir(site.root())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert!(child.try_wait().unwrap().is_none(), "build ended too soon");
    send(child.id(), 15);
    let status = child.wait().unwrap();
    assert_eq!(temp_folders(site.root()), Vec::<String>::new());
    let after = harness::files_below(&site.root().join("public"));
    match status.code() {
        Some(143) => assert!(after == before, "output changed"),
        Some(0) => assert!(
            !site.root().join("public/sentinel.txt").exists(),
            "success reported, but the output was not replaced"
        ),
        other => panic!("unexpected exit {other:?}"),
    }
}

/// Runs `script` with `sh -c` in a new user and mount namespace, where it
/// may mount a tmpfs. `None` (only where `KADER_ALLOW_SKIP=unshare`) where
/// that is not possible.
fn in_mount_namespace(script: &str, args: &[&str]) -> Option<String> {
    const FIX: &str = "Install util-linux (`apt-get install util-linux`; scripts/test does this) \
                       and run where user namespaces and tmpfs mounts are allowed \
                       (root, or a kernel that allows unprivileged user namespaces).";
    if Command::new("unshare").arg("--version").output().is_err() {
        harness::missing("unshare", "`unshare` (util-linux) is missing", FIX);
        return None;
    }
    let mut cmd = Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", script, "sh"]).args(args);
    let out = harness::run(cmd);
    if out.code != 0 {
        let why = format!("`unshare -rm` failed: {}", out.stderr.trim());
        harness::missing("unshare", &why, FIX);
        return None;
    }
    if out.stdout.contains("MOUNT_FAILED") {
        let why = "cannot mount a tmpfs in a user and mount namespace";
        harness::missing("unshare", why, FIX);
        return None;
    }
    Some(out.stdout)
}

const DISK_SCRIPT: &str = r#"
set -u
D=$1 BIN=$2 SMALL=$3 BIG=$4 MODE=$5
mount -t tmpfs -o size=4m tmpfs "$D" || { echo MOUNT_FAILED; exit 0; }
"$BIN" build --root "$SMALL" --out "$D/public" -q; echo "first=$?"
BEFORE=$(find "$D" -type f -printf '%P %s %T@\n' | sort | md5sum)
if [ "$MODE" = readonly ]; then mount -o remount,ro "$D"; fi
"$BIN" build --root "$BIG" --out "$D/public" -q 2>"$D.err"; echo "second=$?"
AFTER=$(find "$D" -type f -printf '%P %s %T@\n' | sort | md5sum)
[ "$BEFORE" = "$AFTER" ] && echo FILES_UNCHANGED
ls -A "$D" | sed 's/^/entry=/'
cat "$D.err" | sed 's/^/stderr=/'
"#;

fn disk_case(mode: &str) -> Option<String> {
    let small = Site::minimal();
    small.file("content/index.md", "# Home\n");
    let big = Site::minimal();
    big.file("content/index.md", "# Home\n");
    // Bigger than what is left on the 4 MB disk.
    let noise: Vec<u8> = (0..6_000_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    big.bytes("content/groot.bin", &noise);
    let disk = tempfile::tempdir().unwrap();
    in_mount_namespace(
        DISK_SCRIPT,
        &[
            disk.path().to_str().unwrap(),
            kader_bin(),
            small.root().to_str().unwrap(),
            big.root().to_str().unwrap(),
            mode,
        ],
    )
}

#[test]
fn a_full_disk_fails_cleanly_with_exit_code_2() {
    let Some(out) = disk_case("full") else { return };
    println!("{out}");
    assert!(out.contains("first=0\n"), "{out}");
    assert!(out.contains("second=2\n"), "{out}");
    assert!(
        out.contains("FILES_UNCHANGED\n"),
        "previous output changed: {out}"
    );
    assert!(
        out.contains("entry=public\n") && out.matches("entry=").count() == 1,
        "{out}"
    );
    assert!(
        out.contains("No space left on device (os error 28); the previous output is unchanged"),
        "{out}"
    );
}

#[test]
fn a_read_only_output_disk_fails_cleanly_with_exit_code_2() {
    let Some(out) = disk_case("readonly") else {
        return;
    };
    println!("{out}");
    assert!(
        out.contains("first=0\n") && out.contains("second=2\n"),
        "{out}"
    );
    assert!(out.contains("FILES_UNCHANGED\n"), "{out}");
    assert!(out.matches("entry=").count() == 1, "{out}");
    assert!(
        out.contains("stderr=error: cannot replace")
            && out.contains("Read-only file system (os error 30)"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_fails_cleanly_with_exit_code_2() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    let out = site.cli(&["build", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = site.root().join("public");
    let before = harness::files_below(&public);
    if is_root() {
        // The user running the build must own the site but not be able to
        // write into public/.
        for e in walkdir::WalkDir::new(site.root()) {
            let e = e.unwrap();
            std::os::unix::fs::chown(e.path(), Some(65534), Some(65534)).unwrap();
        }
    }
    std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o555)).unwrap();
    let Some(out) = site.cli_unprivileged(&["build", "-q"]) else {
        return;
    };
    std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("error: cannot replace ")
            && out.stderr.contains("public: the folder is not writable (Permission denied (os error 13)); the previous output is unchanged"),
        "{}",
        out.stderr
    );
    assert!(harness::files_below(&public) == before);
    assert_eq!(temp_folders(site.root()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Regressions from the fuzz targets

/// Findings of a minimal site with one decision tree `file` holding `yaml`.
fn tree_findings(file: &str, yaml: &str) -> Vec<String> {
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    site.file(file, yaml);
    findings(&site.check())
}

/// fuzz/decision_tree: a YAML error at the very end of a tree file (no
/// final newline) was placed on a line after the last one.
#[test]
fn fuzz_tree_error_at_end_of_file_points_inside_the_file() {
    assert_eq!(
        tree_findings("content/beslisbomen/boom.yaml", "questions:\n  - questionId: \"1\"\n    question: Welke rol?\n    answers:\n      - answer: Aanbieder\n        nextQuestionId: \"2\"\n  - questionId: \"2\"\n    questqueast"),
        ["content/beslisbomen/boom.yaml:8:16 K0701 decision tree is not valid: could not find expected ':' | see crates/classify/README.md for the format of decision trees and their companion files"]
    );
}

/// fuzz/decision_tree: a problem about a key with no value on the last line
/// (`questions:`) was placed on the line after it.
#[test]
fn fuzz_tree_problem_on_the_last_line_points_inside_the_file() {
    assert_eq!(
        tree_findings("content/beslisbomen/leeg.yaml", "questions:"),
        ["content/beslisbomen/leeg.yaml:1:11 K0702 the tree has no questions | add at least one question; the first question is where the walk starts"]
    );
}

/// fuzz/decision_tree: an error at the end of a last line that ends in
/// `\r` was placed after the end of that line.
#[test]
fn fuzz_tree_error_before_a_final_carriage_return() {
    assert_eq!(
        tree_findings("content/beslisbomen/cr.yaml", "questions:\ns:\ns: \nst # h\r"),
        ["content/beslisbomen/cr.yaml:4:7 K0701 decision tree is not valid: could not find expected ':' | see crates/classify/README.md for the format of decision trees and their companion files"]
    );
}

#[test]
fn huge_diagrams_are_listed_not_laid_out() {
    // A chain of 300 nodes with 300 edges across it: a layout would take
    // minutes. Three copies on one page.
    let mut chart = String::from("```mermaid\nflowchart TD\n");
    for i in 0..299 {
        chart.push_str(&format!("n{i} --> n{}\n", i + 1));
    }
    for i in 0..300 {
        chart.push_str(&format!(
            "n{} --> n{}\n",
            (i * 7) % 300,
            (i * 13 + 150) % 300
        ));
    }
    chart.push_str("```\n\n");
    // And small charts that fit one by one but not all together.
    let mut medium = String::from("```mermaid\nflowchart LR\n");
    for i in 0..60 {
        medium.push_str(&format!("m{i} --> m{}\n", i + 1));
    }
    for i in 0..10 {
        medium.push_str(&format!("m{i} --> m{}\n", i + 30));
    }
    medium.push_str("```\n\n");
    let site = Site::minimal();
    site.file(
        "content/d.md",
        &format!("# D\n\n{}{}", chart.repeat(3), medium.repeat(26)),
    );
    let checked = site.check();
    let outcome = &checked.outcome;
    let too_large: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "K0506" && d.message.contains("too large"))
        .collect();
    assert!(too_large.len() > 3, "{}", harness::summary(outcome));
    let html = String::from_utf8(harness::rendered(&checked)["d/index.html"].clone()).unwrap();
    // Each one left out is listed: its nodes and edges as text.
    assert!(
        html.matches("<figure class=\"diagram diagram-fallback\"")
            .count()
            >= 4
    );
    assert!(
        html.matches("<figure class=\"diagram\"").count() >= 20,
        "most medium charts are drawn"
    );
    assert!(html.contains("<li>n299"));
    assert!(!html.contains("--&gt;") && !html.contains("-->"));
}

#[test]
fn a_template_that_does_not_parse_is_reported_and_nothing_is_built() {
    // Two broken templates: the first, in the theme's order, is reported.
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}",
    );
    site.file("templates/term.html", "{{ unclosed ");
    let found = findings(&site.check());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("templates/page.html:1:51 K0004 Found `%}` but expected one of:")
            && found[0].ends_with("| fix the template syntax; see the tera documentation"),
        "{found:?}"
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("{% extends \"base.html\" %}{% block content %}{% if %}"),
        "the template's line is shown: {}",
        out.stderr
    );
    assert!(!site.root().join("public").exists());

    // Every template parses, but one extends a template that is not there.
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    site.file("templates/page.html", "{% extends \"nergens.html\" %}");
    assert_eq!(
        findings(&site.check()),
        ["templates:0:0 K0004 Template 'page.html' is inheriting from 'nergens.html', which doesn't exist or isn't loaded. | fix the template syntax; see the tera documentation"]
    );
}

#[test]
fn a_template_that_fails_to_render_is_reported_at_its_line() {
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n");
    site.file("content/a.md", "# A\n");
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ page.nothing.deeper }}</p>\n{% endblock %}",
    );
    let found = findings(&site.check());
    assert!(
        found.iter().any(|f| f.starts_with("templates/page.html:3:")
            && f.contains("K0004")
            && f.contains("is not defined")
            && f.contains("`?.`")),
        "{found:?}"
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!site.root().join("public").exists());

    // Tested with `?.` and printed with a default, the missing field is
    // simply empty.
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>[{% if page.nothing?.deeper %}x{% endif %}{{ page.nothing?.deeper | default(value=\"\") }}]</p>\n{% endblock %}",
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(site.root().join("public/a/index.html")).unwrap();
    assert!(html.contains("<p>[]</p>"), "{html}");
}
