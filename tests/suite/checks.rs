//! Diagnostics over fixture sites: every kind of content problem, reported
//! with position and hint (snapshots of the human and JSON output), and the
//! list directives computing the right rows.

use crate::harness::{self, Site};

#[test]
fn every_problem_is_reported_once_with_its_position() {
    let site = Site::fixture("broken");
    let outcome = site.check();
    insta::assert_snapshot!("broken_human", harness::human(&outcome.diagnostics));
    insta::assert_snapshot!("broken_json", harness::json(&outcome.diagnostics));
    assert!(outcome.has_errors());
}

#[test]
fn check_cli_prints_json_and_a_summary() {
    let site = Site::fixture("broken");
    let out = site.cli(&["check", "--format", "json"]);
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON array");
    let arr = v.as_array().unwrap();
    assert!(!arr.is_empty());
    for d in arr {
        for key in ["severity", "code", "file", "line", "column", "message"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    let errors = arr.iter().filter(|d| d["severity"] == "error").count();
    let warnings = arr.len() - errors;
    assert!(
        out.stderr
            .contains(&format!("{errors} errors, {warnings} warning")),
        "{}",
        out.stderr
    );
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = Site::fixture("directives");
    site.file(
        "content/vereisten/leeg.md",
        "---\ntitle: Leeg\nlevenscyclus: [ontwerp]\n---\n<!-- list_maatregelen vereiste/leeg -->\n",
    );
    let out = site.cli(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warning[K0303]"), "{}", out.stderr);
    let out = site.cli(&["check", "--strict"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[K0303]"), "{}", out.stderr);
    let out = site.cli(&["build", "--strict"]);
    assert_eq!(out.code, 1);
    assert!(!site.path("public").exists());
}

fn rows(html: &str, list: usize) -> Vec<String> {
    let part = html.split("data-list>").nth(list + 1).expect("list exists");
    let part = &part[..part.find("</table>").unwrap_or(part.len())];
    part.split("<td class=\"cell-title\"><a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn list_directives_select_by_reference_and_term() {
    let site = Site::fixture("directives");
    let built = site.build();
    assert!(
        built.outcome.diagnostics.is_empty(),
        "{}",
        harness::summary(&built.outcome)
    );
    let page = built.read("vereisten/aia-01-logging/index.html");
    // All measures naming the requirement, by slug, full id or short id.
    assert_eq!(
        rows(&page, 0),
        [
            "/maatregelen/eigenaar-aanwijzen/",
            "/maatregelen/logboek-inrichten/"
        ]
    );
    // Narrowed by a term; flags drop columns and the search box.
    assert_eq!(rows(&page, 1), ["/maatregelen/eigenaar-aanwijzen/"]);
    let second = page.split("data-list>").nth(2).unwrap();
    let second = &second[..second.find("</table>").unwrap()];
    assert!(!second.contains("data-filter-text"));
    assert!(
        !second.contains(">Levenscyclus<")
            && !second.contains(">Rollen<")
            && second.contains(">Bouwblok<")
    );
    assert_eq!(rows(&page, 2), ["/hulpmiddelen/logtool/"]);
    // tags and tags-ai-act chips link to term pages.
    assert!(page.contains("href=\"/levenscyclus/ontwikkelen/\""));
    assert!(page.contains("href=\"/risicogroep/hoog-risico/\""));
    let measure = built.read("maatregelen/eigenaar-aanwijzen/index.html");
    assert_eq!(
        rows(&measure, 0),
        ["/vereisten/aia-01-logging/", "/vereisten/avg-01-grondslag/"]
    );
    let tool = built.read("hulpmiddelen/logtool/index.html");
    assert_eq!(rows(&tool, 0), ["/maatregelen/logboek-inrichten/"]);
    let by_phase = built.read("vereisten/avg-01-grondslag/index.html");
    assert_eq!(rows(&by_phase, 0), ["/vereisten/avg-01-grondslag/"]);
}

#[test]
fn generated_pages_cover_collections_and_terms() {
    let site = Site::fixture("directives");
    let built = site.build();
    let overview = built.read("vereisten/index.html");
    assert_eq!(overview.matches("<tr data-terms").count(), 2);
    assert!(overview.contains("data-filter-key=\"bouwblok\""));
    let term = built.read("levenscyclus/ontwikkelen/index.html");
    assert!(
        term.contains("/vereisten/aia-01-logging/")
            && term.contains("/maatregelen/logboek-inrichten/")
    );
    assert!(!term.contains("/vereisten/avg-01-grondslag/"));
    for path in [
        "levenscyclus/index.html",
        "bouwblok/data/index.html",
        "risicogroep/hoog-risico/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(built.exists(path), "{path}");
    }
    let json: serde_json::Value = serde_json::from_str(&built.read("kennisbank.json")).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 5);
    let logging = entries
        .iter()
        .find(|e| e["title"] == "Logs worden bewaard")
        .unwrap();
    assert_eq!(logging["short_id"], "aia-01");
    assert_eq!(logging["terms"]["levenscyclus"][0], "ontwikkelen");
    let csv = built.read("kennisbank.csv");
    assert_eq!(csv.lines().count(), 6);
    assert!(csv.starts_with(
        "collection,lang,id,title,url,toelichting,levenscyclus,bouwblok,rollen,risicogroep"
    ));
}
