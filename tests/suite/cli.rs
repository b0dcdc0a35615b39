//! The command line: exit codes, atomic output, scaffolding, sub-paths and
//! the preview server.

use crate::harness as common;
use common::Site;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\nlevenscyclus: [ontwerp]\n---\n\nTekst.\n")
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::minimal();
    site.file("content/vereisten/a.md", &page("Eerste"));
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before =
        std::fs::read_to_string(site.root().join("public/vereisten/a/index.html")).unwrap();
    assert!(before.contains("Eerste"));

    site.file(
        "content/vereisten/a.md",
        "---\ntitle: Tweede\nlevenscyclus: [onbekend]\n---\n",
    );
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1);
    let after = std::fs::read_to_string(site.root().join("public/vereisten/a/index.html")).unwrap();
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
    assert!(site.root().join("public/belangrijk.txt").exists());
    let out = site.cli(&["build", "--out", "elders"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.root().join("elders/vereisten/a/index.html").exists());
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kader"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no site.toml"));
    let out = Command::new(env!("CARGO_BIN_EXE_kader"))
        .arg("bouw")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_pages_have_valid_front_matter() {
    let site = Site::minimal();
    let out = site.cli(&["new", "vereiste", "Logboeken worden bewaard"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = site
        .root()
        .join("content/vereisten/logboeken-worden-bewaard.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Logboeken worden bewaard\"\n"),
        "{text}"
    );
    assert!(text.contains("<!-- list_maatregelen vereiste/logboeken-worden-bewaard -->"));
    let out = site.cli(&["new", "maatregel", "Wijs een eigenaar aan"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(
        site.root()
            .join("content/maatregelen/wijs-een-eigenaar-aan.md"),
    )
    .unwrap();
    assert!(text.contains("vereiste:"), "{text}");
    assert!(text.contains("- logboeken-worden-bewaard"), "{text}");
    let outcome = site.check();
    assert!(!outcome.has_errors(), "{}", common::summary(&outcome));
    assert_eq!(outcome.warnings, 0, "{}", common::summary(&outcome));
    let again = site.cli(&["new", "vereiste", "Logboeken worden bewaard"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"));
}

#[test]
fn every_link_carries_the_base_path() {
    let site = Site::fixture("directives");
    let out = site.cli(&["build", "--base-url", "https://example.org/kennisbank/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(
        site.root()
            .join("public/vereisten/aia-01-logging/index.html"),
    )
    .unwrap();
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
    let sitemap = std::fs::read_to_string(site.root().join("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/kennisbank/vereisten/aia-01-logging/</loc>"));
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text[9..12].parse().unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (status, head.to_string(), body.to_string())
}

#[test]
fn serve_answers_from_the_built_site_only() {
    let site = Site::fixture("directives");
    site.file(
        "content/plaatje.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_kader"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let port: u16 = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest[..rest.find('/').unwrap()].parse().unwrap();
        }
    };
    let (status, head, body) = get(port, "/vereisten/aia-01-logging/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(head.contains("Content-Security-Policy: default-src 'self'"));
    assert!(body.contains("Logs worden bewaard"));
    assert!(
        body.contains("href=\"http://127.0.0.1:"),
        "links point at the preview server"
    );
    let (status, head, _) = get(port, "/vereisten/aia-01-logging");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /vereisten/aia-01-logging/"));
    let (status, head, _) = get(port, "/plaatje.svg");
    assert_eq!(status, 200);
    assert!(head.contains("image/svg+xml"));
    for bad in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/..%2fsite.toml",
        "/site.toml",
        "/bestaat-niet/",
    ] {
        let (status, _, body) = get(port, bad);
        assert_eq!(status, 404, "{bad}");
        assert!(!body.contains("base_url"), "{bad} leaked site.toml");
    }
    child.kill().unwrap();
    let _ = child.wait();
}
