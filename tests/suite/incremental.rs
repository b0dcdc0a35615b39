//! `kader serve` rebuilds incrementally; the result must be byte-identical
//! to a cold build of the same tree, over a sequence of random edits.

use crate::harness as common;
use kader::serve::session::Session;
use kader::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of the bundled knowledge base (site.toml and content/).
fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo).unwrap();
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    dir
}

fn files_of(site: &kader::validate::ValidatedSite) -> BTreeMap<String, Vec<u8>> {
    site.rendered
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.as_ref().clone()))
        .collect()
}

fn cold(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let outcome = kader::check_site(root, &BuildOptions::default(), &|_| {}).unwrap();
    assert!(!outcome.has_errors(), "{}", common::summary(&outcome));
    files_of(outcome.site.as_ref().unwrap())
}

/// A deterministic sequence of edits of different kinds.
fn edit(root: &Path, step: usize) -> PathBuf {
    let c = root.join("content");
    let (file, from, to): (&str, &str, String) = match step % 6 {
        // A measure's title (shown in the lists of its requirements).
        0 => (
            "maatregelen/4-owk-adversarial-testen.md",
            "title: ",
            format!("title: Stap {step} - "),
        ),
        // A requirement's phase (moves it between term pages).
        1 => (
            "vereisten/avg-dpia.md",
            "- ontwerp",
            "- ontwikkelen".to_string(),
        ),
        2 => (
            "vereisten/avg-dpia.md",
            "- ontwikkelen",
            "- ontwerp".to_string(),
        ),
        // A measure names one more requirement.
        3 => (
            "maatregelen/5-ver-bias-toetsen.md",
            "vereiste:\n",
            "vereiste:\n- arc-archivering\n".to_string(),
        ),
        // A definition's text (shown in tooltips on other pages).
        4 => (
            "ai-verordening/a3.md",
            "^sysrisk",
            format!("Aangepast {step}. ^sysrisk"),
        ),
        // Body text and a new definition link.
        _ => (
            "vereisten/awb-motiveringsbeginsel.md",
            "## Toelichting\n",
            format!(
                "## Toelichting\n\nZie het [AI-bureau](../ai-verordening/a3.md#^aibur) ({step}).\n"
            ),
        ),
    };
    let path = c.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, &to, 1)).unwrap();
    path
}

#[test]
fn incremental_rebuilds_equal_cold_builds() {
    let dir = bundled_copy();
    let root = dir.path();
    let mut session = Session::new(root, BuildOptions::default());
    let mut report = session.rebuild(&[]).unwrap();
    assert!(report.site.is_some(), "{:?}", report.diagnostics);
    session.keep(&mut report);
    let total = session.current().unwrap().rendered.index.pages.len();
    for step in 0..12 {
        let path = edit(root, step);
        let mut report = session.rebuild(&[path]).unwrap();
        assert!(report.incremental, "step {step} was not incremental");
        assert!(report.rendered < total, "step {step} rendered every page");
        let site = report
            .site
            .as_ref()
            .unwrap_or_else(|| panic!("step {step}: {:?}", report.diagnostics));
        let incremental = files_of(site);
        let expected = cold(root);
        let differing: Vec<&String> = expected
            .iter()
            .filter(|(p, b)| incremental.get(*p) != Some(b))
            .map(|(p, _)| p)
            .chain(incremental.keys().filter(|p| !expected.contains_key(*p)))
            .collect();
        assert!(
            differing.is_empty(),
            "step {step}: files differ from a cold build: {differing:?}"
        );
        session.keep(&mut report);
    }
}

/// A preview session that has built the site at `root` once.
fn started(root: &Path) -> Session {
    let mut session = Session::new(root, BuildOptions::default());
    let mut report = session.rebuild(&[]).unwrap();
    session.keep(&mut report);
    session
}

/// Paths whose bytes differ between two file sets (or exist in one only).
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    a.iter()
        .filter(|(p, bytes)| b.get(*p) != Some(bytes))
        .map(|(p, _)| p.clone())
        .chain(b.keys().filter(|p| !a.contains_key(*p)).cloned())
        .collect()
}

#[test]
fn pages_first_rebuilds_complete_to_cold_builds() {
    let dir = bundled_copy();
    let root = dir.path();
    let mut session = started(root);
    assert!(!session.incomplete());
    // Two saves in a row before the site-wide files catch up, then one more.
    for steps in [&[0usize, 3][..], &[4]] {
        for &step in steps {
            let before = files_of(session.current().unwrap());
            let path = edit(root, step);
            let mut report = session.rebuild_pages_first(&[path]).unwrap();
            assert!(report.incremental, "step {step} was not incremental");
            assert!(
                report.site.is_some(),
                "step {step}: {:?}",
                report.diagnostics
            );
            session.keep(&mut report);
            assert!(
                session.incomplete(),
                "step {step}: site-wide files were rebuilt"
            );
            let now = files_of(session.current().unwrap());
            let wrong = differing(&cold(root), &now);
            assert!(
                wrong.iter().all(|p| !p.ends_with(".html")),
                "step {step}: pages differ from a cold build: {wrong:?}"
            );
            for (path, bytes) in &now {
                if path.starts_with("search/") || path.starts_with("kennisbank.") {
                    assert_eq!(
                        Some(bytes),
                        before.get(path),
                        "step {step}: {path} was rebuilt"
                    );
                }
            }
        }
        assert!(session.complete());
        assert!(!session.incomplete());
        assert!(!session.complete(), "nothing left to complete");
        let wrong = differing(&cold(root), &files_of(session.current().unwrap()));
        assert!(wrong.is_empty(), "after complete: {wrong:?}");
    }
}

#[test]
fn a_broken_save_reports_and_the_fix_recovers() {
    let dir = bundled_copy();
    let root = dir.path();
    let mut session = started(root);
    let page = root.join("content/vereisten/avg-dpia.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, good.replacen("title:", "title: [kapot", 1)).unwrap();
    let report = session.rebuild(std::slice::from_ref(&page)).unwrap();
    assert!(report.site.is_none());
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code == "K0101" && d.file == "content/vereisten/avg-dpia.md"));
    std::fs::write(&page, good).unwrap();
    let report = session.rebuild(std::slice::from_ref(&page)).unwrap();
    assert!(report.site.is_some(), "{:?}", report.diagnostics);
}
