//! The two seed requirement pages (read from ../shared/seeds at test time)
//! in a fixture site: the `boubwlok` typo is reported precisely, and once
//! fixed the tabs render as tabs with their tables.

use crate::harness::{self, Site};
use std::path::{Path, PathBuf};

const EVALUATIE: &str =
    "verplichtingen_van_aanbieders_van_ai_modellen_voor_algemene_doeleinden_met_systeemrisico";
const INCIDENTEN: &str =
    "ai_modellen_algemene_doeleinden_syteemrisico_informatie_ernstige_incidenten";

/// The folder of the seeds; `None` (only where `KADER_ALLOW_SKIP=shared`)
/// without it.
fn seeds() -> Option<PathBuf> {
    Some(harness::shared()?.join("seeds"))
}

fn seed(dir: &Path, prefix: &str) -> String {
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}_* in {}", dir.display()));
    std::fs::read_to_string(entry.path()).unwrap()
}

fn site_with_seeds(dir: &Path, fix: bool) -> Site {
    let site = Site::fixture("seeds");
    for (prefix, slug) in [("002", EVALUATIE), ("004", INCIDENTEN)] {
        let mut text = seed(dir, prefix);
        if fix {
            text = text.replace("boubwlok/", "bouwblok/");
        }
        site.file(&format!("content/vereisten/{slug}.md"), &text);
    }
    site
}

/// 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

#[test]
fn the_boubwlok_typo_is_reported_with_position_and_hint() {
    let Some(dir) = seeds() else { return };
    let site = site_with_seeds(&dir, false);
    let outcome = site.check();
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 2, "{}", harness::summary(&outcome));
    for (prefix, slug) in [("002", EVALUATIE), ("004", INCIDENTEN)] {
        let file = format!("content/vereisten/{slug}.md");
        let d = errors.iter().find(|d| d.file == file).unwrap();
        let (line, column) = position(&seed(&dir, prefix), "boubwlok");
        assert_eq!((d.line, d.column), (line, column), "{prefix}");
        assert_eq!(d.code, "K0201");
        assert_eq!(d.message, "unknown taxonomy `boubwlok`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `bouwblok`?"));
        assert_eq!(d.width, "boubwlok".len());
    }
    // The build writes nothing.
    let out = site.cli(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!site.path("public").exists());
    let (line, column) = position(&seed(&dir, "002"), "boubwlok");
    assert!(
        out.stderr
            .contains(&format!("content/vereisten/{EVALUATIE}.md:{line}:{column}")),
        "{}",
        out.stderr
    );
}

#[test]
fn the_tabs_of_the_seeds_render_as_tabs() {
    let Some(dir) = seeds() else { return };
    let site = site_with_seeds(&dir, true);
    let built = site.build();
    assert_eq!(
        built.outcome.diagnostics.len(),
        0,
        "{}",
        harness::summary(&built.outcome)
    );
    let html = built.article(&format!("vereisten/{EVALUATIE}/index.html"));
    assert_eq!(html.matches("role=\"tablist\"").count(), 1);
    let labels: Vec<&str> = html
        .split("role=\"tab\"")
        .skip(1)
        .map(|s| {
            let start = s.find('>').unwrap() + 1;
            &s[start..start + s[start..].find('<').unwrap()]
        })
        .collect();
    assert_eq!(labels, ["Allen", "Governance", "Publieke inkoop"]);
    assert_eq!(html.matches("role=\"tabpanel\"").count(), 3);
    // Each panel holds a table of the matching measures.
    let panels: Vec<&str> = html.split("role=\"tabpanel\"").skip(1).collect();
    assert_eq!(panels[0].matches("<tr data-terms").count(), 2);
    assert!(panels[1].contains("toezicht-beleggen") && !panels[1].contains("evaluatie-afspreken"));
    assert!(panels[2].contains("evaluatie-afspreken") && !panels[2].contains("toezicht-beleggen"));
    // The curly apostrophes of the seed survive.
    assert!(html.contains("systeemrisico’s"));
}
