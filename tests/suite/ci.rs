//! `kader check` for CI: GitHub Actions annotations (snapshot), SARIF
//! 2.1.0 (checked against the typed SARIF model of `serde-sarif`, which is
//! generated from the published schema), and `--changed` /
//! `--changed-since` (only what the changed files are responsible for).

use crate::harness::Site;
use serde_json::Value;

#[test]
fn github_annotations_of_the_broken_fixture() {
    let site = Site::fixture("broken");
    let out = site.cli(&["check", "--format", "github"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out
        .stdout
        .lines()
        .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")));
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn annotations_name_files_from_the_repository_root() {
    let site = Site::empty();
    site.file("kb/site.toml", crate::harness::MINIMAL_CONFIG);
    site.file("kb/content/index.md", "# Home\n\n[x](nergens.md)\n");
    let out = site.cli(&["check", "--root", "kb", "--format", "github"]);
    assert_eq!(
        out.stdout,
        "::error file=kb/content/index.md,line=3,col=5,endColumn=15,title=K0401::link to `nergens.md`: there is no page `nergens.md`%0Ahint: check the file name and the folder; links are relative to this page's folder\n"
    );
}

/// The SARIF log as the typed model reads it, and back: any field the model
/// does not know, a misspelt one or one of the wrong type fails.
fn valid_sarif(text: &str) -> Value {
    let raw: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(raw.clone()).expect("SARIF matches the 2.1.0 model");
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        again, raw,
        "fields the SARIF model does not know were dropped"
    );
    raw
}

#[test]
fn sarif_is_valid_and_complete() {
    let site = Site::fixture("broken");
    let json = site.cli(&["check", "--format", "json"]);
    let diags: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    let out = site.cli(&["check", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = valid_sarif(&out.stdout);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "kader");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for (r, d) in results.iter().zip(&diags) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            d["code"]
        );
        assert_eq!(r["level"], d["severity"]);
        if d["line"].as_u64().unwrap() > 0 {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert_eq!(region["startLine"], d["line"]);
        }
    }
    // The did-you-mean of `gooed` as a fix.
    let fixed = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("`gooed`"))
        .unwrap();
    let replacement = &fixed["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "goed");
}

/// The editor fixture with a broken page that has nothing to do with the
/// requirement page the tests change.
fn site_with_unrelated_error() -> Site {
    let site = Site::fixture("editor");
    site.file("content/los.md", "# Los\n\n[x](nergens.md)\n");
    site
}

fn codes_in(out: &crate::harness::CliOutput) -> Vec<(String, String)> {
    let diags: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn changed_files_report_what_they_cause() {
    let site = site_with_unrelated_error();
    site.edit(
        "content/vereisten/logging.md",
        "## Wanneer van toepassing",
        "## Wanneer geldt dit",
    );
    let all = site.cli(&["check", "--format", "json"]);
    assert_eq!(codes_in(&all).len(), 2);
    let out = site.cli(&[
        "check",
        "--format",
        "json",
        "--changed",
        "content/vereisten/logging.md",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // The broken link is in the measure, caused by the changed requirement.
    assert_eq!(
        codes_in(&out),
        [(
            "content/maatregelen/logboek.md".to_string(),
            "K0402".to_string()
        )]
    );
    let unrelated = site.cli(&["check", "--changed", "content/index.md"]);
    assert_eq!(unrelated.code, 0, "{}", unrelated.stderr);
    // A change to site.toml can affect every page.
    let config = site.cli(&["check", "--format", "json", "--changed", "site.toml"]);
    assert_eq!(codes_in(&config).len(), 2);
}

#[test]
fn changed_since_a_commit_asks_git() {
    let site = site_with_unrelated_error();
    let repo = git2::Repository::init(site.root()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who = git2::Signature::now("kader", "kader@example.org").unwrap();
    repo.commit(Some("HEAD"), &who, &who, "fixture", &tree, &[])
        .unwrap();
    let clean = site.cli(&["check", "--changed-since", "HEAD"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    // A removed page: the links to it break, in pages that did not change.
    site.remove("content/maatregelen/logboek.md");
    let out = site.cli(&["check", "--format", "json", "--changed-since", "HEAD"]);
    let found = codes_in(&out);
    assert!(
        found.contains(&("content/index.md".to_string(), "K0401".to_string())),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(f, _)| f == "content/los.md"),
        "{found:?}"
    );
    let bad = site.cli(&["check", "--changed-since", "nergens"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("`nergens` names no commit"),
        "{}",
        bad.stderr
    );
}
