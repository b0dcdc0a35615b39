//! The whole pipeline: `check_site` over a small site in a temp folder whose
//! pages (and glossary and decision tree) come from the input, split at
//! 0x1E bytes. Bytes are written as they are, so invalid UTF-8 reaches
//! discover too.
#![no_main]

mod common;

use kader::BuildOptions;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const FILES: &[&str] = &[
    "content/vereisten/a.md",
    "content/maatregelen/b.md",
    "content/vereisten/a.en.md",
    "content/index.md",
    "content/_includes/begrippen.md",
    "content/beslisbomen/t.yaml",
];

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().expect("temp dir").keep();
        std::fs::write(d.join("site.toml"), common::SITE_TOML).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let root = dir();
    let _ = std::fs::remove_dir_all(root.join("content"));
    for f in FILES {
        std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
    }
    for (part, file) in data.split(|b| *b == 0x1E).zip(FILES) {
        std::fs::write(root.join(file), part).unwrap();
    }
    let outcome = kader::check_site(root, &BuildOptions::default(), &|_| {})
        .expect("a site with site.toml and content/ always checks");
    let _ = kader::diagnostics::render_human(&outcome.diagnostics, false);
    if !outcome.has_errors() {
        assert!(outcome.site.is_some());
    }
});
