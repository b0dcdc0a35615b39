//! `kader serve` rebuilds incrementally; the result must be byte-identical
//! to a cold build of the same tree, over a sequence of random edits.

use crate::harness::{self, differing, Files, Site};
use std::path::PathBuf;

fn cold(site: &Site) -> Files {
    let outcome = site.check();
    assert!(!outcome.has_errors(), "{}", harness::summary(&outcome));
    harness::rendered(&outcome)
}

/// A deterministic sequence of edits of different kinds.
fn edit(site: &Site, step: usize) -> PathBuf {
    let (file, from, to): (&str, &str, String) = match step % 8 {
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
        // A requirement's AI-Act label (what the decision aid's pages and
        // the lists narrow by), dropped and restored.
        6 => (
            "vereisten/aia-ai-geletterdheid.md",
            "- geen-hoog-risico-ai-systeem\n",
            String::new(),
        ),
        7 => (
            "vereisten/aia-ai-geletterdheid.md",
            "risicogroep:\n",
            "risicogroep:\n- geen-hoog-risico-ai-systeem\n".to_string(),
        ),
        // Body text, a new definition link and a new list: of a phase's
        // requirements (which steps 9 and 10 then change), later of the
        // measures serving a requirement.
        _ => (
            "vereisten/awb-motiveringsbeginsel.md",
            "## Toelichting\n",
            format!(
                "## Toelichting\n\nZie het [AI-bureau](../ai-verordening/a3.md#^aibur) ({step}).\n\n<!-- {} -->\n\n",
                if step < 8 { "list_vereisten levenscyclus/ontwerp" } else { "list_maatregelen vereiste/arc-archivering" }
            ),
        ),
    };
    site.edit(&format!("content/{file}"), from, &to)
}

#[test]
fn incremental_rebuilds_equal_cold_builds() {
    let site = Site::bundled();
    let mut preview = site.preview();
    let total = preview.pages();
    for step in 0..16 {
        let path = edit(&site, step);
        let report = preview.rebuild(&[path]);
        assert!(report.incremental, "step {step} was not incremental");
        assert!(report.rendered < total, "step {step} rendered every page");
        assert!(report.built(), "step {step}: {:?}", report.diagnostics());
        let incremental = report.files();
        let expected = cold(&site);
        assert_eq!(
            report.diagnostics(),
            cold_diagnostics(&site).as_slice(),
            "step {step}"
        );
        let differing = differing(&expected, &incremental);
        assert!(
            differing.is_empty(),
            "step {step}: files differ from a cold build: {differing:?}"
        );
    }
}

/// What a cold check of the site reports.
fn cold_diagnostics(site: &Site) -> Vec<kader::diagnostics::Diagnostic> {
    site.check().outcome.diagnostics
}

const MEASURE: &str = "content/maatregelen/2-owp-dpia-uitvoeren.md";
const TRANSLATION: &str = "content/hulpmiddelen/dpia-model.en.md";

/// Edits that change what other pages report, or where a page's own
/// problems are (page, text, replacement, whether the site then builds).
const PROBLEM_STEPS: &[(&str, &str, &str, bool)] = &[
    // A raw HTML link to a heading (checked in the output, not the source)...
    (
        "content/over.md",
        "of voor beide. |\n",
        "of voor beide. |\n\n<p><a href=\"/maatregelen/2-owp-dpia-uitvoeren/#stappen\">Stappen</a></p>\n",
        true,
    ),
    // ...then the heading it and three pages link to loses its id: their
    // links break (errors in pages that did not change)...
    (
        MEASURE,
        "## Stappenplan { #stappen }",
        "## Stappenplan",
        false,
    ),
    // ...and gets it back.
    (
        MEASURE,
        "## Stappenplan\n",
        "## Stappenplan { #stappen }\n",
        true,
    ),
    // A translation's phases differ from its original's (a warning on
    // the translation's list)...
    (TRANSLATION, "- monitoring-en-beheer\n", "", true),
    // ...then a line above that list and a longer title move the
    // warning, which the changed page's own rebuild must follow.
    (
        TRANSLATION,
        "vereiste:\n",
        "# bijgewerkt\nvereiste:\n",
        true,
    ),
    (
        TRANSLATION,
        "title: Model DPIA",
        "title: Model DPIA (template)",
        true,
    ),
    // A changed page's own new problem: an exception entry naming no
    // term (an error).
    (
        "content/vereisten/aia-logregistratie.md",
        "uitzondering:\n",
        "uitzondering:\n- geen-term\n",
        false,
    ),
];

/// Each rebuild over [`PROBLEM_STEPS`] reports what a cold build of the
/// same files reports, position for position.
#[test]
fn incremental_rebuilds_report_what_cold_builds_report() {
    let site = Site::bundled();
    let mut preview = site.preview();
    for (step, &(page, from, to, builds)) in PROBLEM_STEPS.iter().enumerate() {
        let path = site.edit(page, from, to);
        let report = preview.rebuild(&[path]);
        assert_eq!(
            report.built(),
            builds,
            "step {step}: {:?}",
            report.diagnostics()
        );
        let expected = cold_diagnostics(&site);
        assert!(
            !builds || step < 3 || !expected.is_empty(),
            "step {step} reports nothing"
        );
        assert_eq!(report.diagnostics(), expected.as_slice(), "step {step}");
        if builds {
            let wrong = differing(&cold(&site), &report.files());
            assert!(wrong.is_empty(), "step {step}: {wrong:?}");
        }
    }
}

/// The language server's analyses after edits (the ordinary ones, then
/// those that change problems elsewhere) report what a fresh analysis of
/// the same files reports.
#[test]
fn incremental_analyses_equal_fresh_analyses() {
    let site = Site::bundled();
    let fresh = || {
        let mut session = kader::Session::new(site.root(), Default::default());
        session.analyze(&[]).expect("analysis").diagnostics.clone()
    };
    let mut editor = kader::Session::new(site.root(), Default::default());
    editor.analyze(&[]).expect("analysis");
    let ordinary = (0..10).map(|step| edit(&site, step));
    let problems = PROBLEM_STEPS
        .iter()
        .map(|&(page, from, to, _)| site.edit(page, from, to));
    for (step, path) in ordinary.chain(problems).enumerate() {
        let analysis = editor.analyze(&[path]).expect("analysis");
        assert!(analysis.incremental, "step {step} started over");
        let diagnostics = analysis.diagnostics.clone();
        assert_eq!(diagnostics, fresh(), "step {step}");
    }
}

#[test]
fn pages_first_rebuilds_complete_to_cold_builds() {
    let site = Site::bundled();
    let mut preview = site.preview();
    assert!(!preview.incomplete());
    // Two saves in a row before the site-wide files catch up, then one more.
    for steps in [&[0usize, 3][..], &[4]] {
        for &step in steps {
            let before = preview.files();
            let path = edit(&site, step);
            let report = preview.rebuild_pages_first(&[path]);
            assert!(report.incremental, "step {step} was not incremental");
            assert!(report.built(), "step {step}: {:?}", report.diagnostics());
            assert!(
                preview.incomplete(),
                "step {step}: site-wide files were rebuilt"
            );
            let now = preview.files();
            let wrong = differing(&cold(&site), &now);
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
        assert!(preview.complete());
        assert!(!preview.incomplete());
        assert!(!preview.complete(), "nothing left to complete");
        let wrong = differing(&cold(&site), &preview.files());
        assert!(wrong.is_empty(), "after complete: {wrong:?}");
    }
}

#[test]
fn a_broken_save_reports_and_the_fix_recovers() {
    let site = Site::bundled();
    let mut preview = site.preview();
    let page = "content/vereisten/avg-dpia.md";
    let good = site.read(page);
    let path = site.edit(page, "title:", "title: [kapot");
    let report = preview.rebuild(std::slice::from_ref(&path));
    assert!(!report.built());
    assert!(report
        .diagnostics()
        .iter()
        .any(|d| d.code == "K0101" && d.file == "content/vereisten/avg-dpia.md"));
    site.file(page, &good);
    let report = preview.rebuild(std::slice::from_ref(&path));
    assert!(report.built(), "{:?}", report.diagnostics());
}

#[test]
fn inline_styles_and_new_icons_in_rebuilds() {
    let site = Site::bundled();
    let mut preview = site.preview();
    let page = "content/vereisten/avg-dpia.md";
    // A new inline style: the page re-renders and the stylesheet has the
    // class at once, also when the site-wide files wait.
    let path = site.edit(
        page,
        "## Toelichting\n",
        "## Toelichting\n\n<p style=\"margin-left: 3px\">Ingesprongen.</p>\n",
    );
    let report = preview.rebuild_pages_first(&[path]);
    assert!(
        report.incremental && report.built(),
        "{:?}",
        report.diagnostics()
    );
    let files = preview.files();
    let css = String::from_utf8(files["inline-styles.css"].clone()).unwrap();
    assert!(css.contains("margin-left: 3px !important;"), "{css}");
    let html = String::from_utf8(files["vereisten/avg-dpia/index.html"].clone()).unwrap();
    assert!(html.contains("inline-styles.css") && !html.contains("style=\""));
    assert!(preview.complete());
    let wrong = differing(&cold(&site), &preview.files());
    assert!(wrong.is_empty(), "{wrong:?}");
    // An icon no page used before is looked up by a cold build.
    let path = site.edit(page, "Ingesprongen.", "Ingesprongen :material-check:.");
    let report = preview.rebuild(&[path]);
    assert!(!report.incremental, "a new icon needs a cold build");
    assert!(report.built(), "{:?}", report.diagnostics());
    let wrong = differing(&cold(&site), &report.files());
    assert!(wrong.is_empty(), "{wrong:?}");
    // The same icon again is incremental.
    let path = site.edit(
        page,
        "Ingesprongen :material-check:.",
        "Ingesprongen :material-check: :material-check:.",
    );
    assert!(preview.rebuild(&[path]).incremental);
}
