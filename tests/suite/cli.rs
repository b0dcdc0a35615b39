//! The command line: exit codes, atomic output, scaffolding, sub-paths and
//! the preview server.

use crate::harness::{self, Site};

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\nlevenscyclus: [ontwerp]\n---\n\nTekst.\n")
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::minimal();
    site.file("content/vereisten/a.md", &page("Eerste"));
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before = site.read("public/vereisten/a/index.html");
    assert!(before.contains("Eerste"));

    site.file(
        "content/vereisten/a.md",
        "---\ntitle: Tweede\nlevenscyclus: [onbekend]\n---\n",
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1);
    let after = site.read("public/vereisten/a/index.html");
    assert_eq!(before, after);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kader-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_folder_not_made_by_kader_is_not_replaced() {
    let site = Site::minimal();
    site.file("content/vereisten/a.md", &page("A"));
    site.file("public/belangrijk.txt", "niet weggooien");
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("refusing to replace"), "{}", out.stderr);
    assert!(site.path("public/belangrijk.txt").exists());
    let out = site.cli(&["build", "--out", "elders"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.path("elders/vereisten/a/index.html").exists());
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = Site::empty();
    let out = dir.cli(&["check", "--root", dir.root().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no site.toml"), "{}", out.stderr);
    let out = dir.cli(&["bouw"]);
    assert_eq!(out.code, 2);
}

#[test]
fn new_pages_have_valid_front_matter() {
    let site = Site::minimal();
    let out = site.cli(&["new", "vereiste", "Logboeken worden bewaard"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = site.read("content/vereisten/logboeken-worden-bewaard.md");
    assert!(
        text.starts_with("---\ntitle: \"Logboeken worden bewaard\"\n"),
        "{text}"
    );
    assert!(text.contains("<!-- list_maatregelen vereiste/logboeken-worden-bewaard -->"));
    let out = site.cli(&["new", "maatregel", "Wijs een eigenaar aan"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = site.read("content/maatregelen/wijs-een-eigenaar-aan.md");
    assert!(text.contains("vereiste:"), "{text}");
    assert!(text.contains("- logboeken-worden-bewaard"), "{text}");
    let outcome = site.check();
    assert!(!outcome.has_errors(), "{}", harness::summary(&outcome));
    assert_eq!(outcome.warnings, 0, "{}", harness::summary(&outcome));
    let again = site.cli(&["new", "vereiste", "Logboeken worden bewaard"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"));
}

#[test]
fn every_link_carries_the_base_path() {
    let site = Site::fixture("directives");
    let out = site.cli(&["build", "--base-url", "https://example.org/kennisbank/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.read("public/vereisten/aia-01-logging/index.html");
    let mut n = 0;
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = &part[..part.find('"').unwrap()];
            if url.starts_with('#') || url.starts_with("http") {
                continue;
            }
            n += 1;
            assert!(url.starts_with("/kennisbank/"), "{url}");
        }
    }
    assert!(n > 20);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/kennisbank/vereisten/aia-01-logging/</loc>"));
}

#[test]
fn serve_answers_from_the_built_site_only() {
    let site = Site::fixture("directives");
    site.file(
        "content/plaatje.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = site.serve();
    let r = server.get("/vereisten/aia-01-logging/");
    let (status, head, body) = (r.status, r.head, r.body);
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(head.contains("Content-Security-Policy: default-src 'self'"));
    assert!(body.contains("Logs worden bewaard"));
    assert!(
        body.contains("href=\"http://127.0.0.1:"),
        "links point at the preview server"
    );
    let r = server.get("/vereisten/aia-01-logging");
    assert_eq!(r.status, 301);
    assert!(r.head.contains("Location: /vereisten/aia-01-logging/"));
    let r = server.get("/plaatje.svg");
    assert_eq!(r.status, 200);
    assert!(r.head.contains("image/svg+xml"));
    for bad in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/..%2fsite.toml",
        "/site.toml",
        "/bestaat-niet/",
    ] {
        let r = server.get(bad);
        assert_eq!(r.status, 404, "{bad}");
        assert!(!r.body.contains("base_url"), "{bad} leaked site.toml");
    }
}

/// Assets are not copied again when the previous output holds them
/// unchanged (they are hard-linked from it), and the output never shares a
/// file with its source: a source saved in place does not change the
/// published site until the next build.
#[cfg(unix)]
#[test]
fn assets_are_taken_over_from_the_previous_output_but_never_linked_to_the_source() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::minimal();
    site.file("content/index.md", "# Home\n\n![Logo](logo.png)\n");
    site.bytes("content/logo.png", b"first image");
    site.bytes("content/bijlage.pdf", b"a document");
    let inode = |p: &std::path::Path| std::fs::metadata(p).unwrap().ino();
    site.build();
    let (logo, pdf) = (
        site.path("public/logo.png"),
        site.path("public/bijlage.pdf"),
    );
    assert_ne!(inode(&logo), inode(&site.path("content/logo.png")));
    let first = (inode(&logo), inode(&pdf));

    // A second build takes both over from the first one's output.
    site.build();
    assert_eq!(
        (inode(&logo), inode(&pdf)),
        first,
        "unchanged assets are hard-linked"
    );

    // A source saved in place leaves the published file as it was ...
    std::fs::write(site.path("content/logo.png"), b"second image!").unwrap();
    assert_eq!(std::fs::read(&logo).unwrap(), b"first image");
    // ... and the next build copies the new one, into a new file.
    site.build();
    assert_eq!(std::fs::read(&logo).unwrap(), b"second image!");
    assert_ne!(inode(&logo), first.0);
    assert_ne!(inode(&logo), inode(&site.path("content/logo.png")));
    assert_eq!(inode(&pdf), first.1);
}
