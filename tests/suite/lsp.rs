//! The language server (`kader lsp`) driven through its JSON-RPC messages,
//! in-process, over the `editor` fixture: diagnostics as a page changes
//! (and on the pages a change affects), quick fixes, completion, hover,
//! definition, references, rename and symbols.

use crate::harness::{Lsp, Site};
use serde_json::{json, Value};

const VEREISTE: &str = "content/vereisten/logging.md";
const MAATREGEL: &str = "content/maatregelen/logboek.md";

/// The position of `needle` in `text` (plus `delta` characters), as LSP
/// wants it (the fixture is ASCII, so characters are UTF-16 units).
fn pos(text: &str, needle: &str, delta: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col = at - before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": col + delta })
}

fn doc(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn editor() -> (Site, Lsp) {
    let site = Site::fixture("editor");
    let lsp = Lsp::start(site.root());
    (site, lsp)
}

/// Applies LSP text edits (non-overlapping) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, t);
    }
    out
}

#[test]
fn diagnostics_follow_the_text_as_it_changes() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    assert!(lsp.diagnostics(&uri).is_empty());
    let text = site.read(MAATREGEL);
    let broken = text.replace(
        "<!-- list_maatregelen bouwblok/governance -->",
        "<!-- list_maatregelen boubwlok/governance -->",
    );
    lsp.change(&uri, 2, &broken);
    let diags = lsp.diagnostics(&uri);
    assert_eq!(codes(&diags), ["K0201"], "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "kader");
    assert_eq!(d["range"]["start"], pos(&broken, "boubwlok", 0));
    assert_eq!(d["range"]["end"], pos(&broken, "boubwlok", 8));
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `bouwblok`?"));
    // Not on disk: the file is untouched until the editor saves it.
    assert_eq!(site.read(MAATREGEL), text);
    lsp.change(&uri, 3, &text);
    assert!(lsp.diagnostics(&uri).is_empty());
}

#[test]
fn severities_come_from_site_toml() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site
        .read(MAATREGEL)
        .replace("bouwblok/governance -->", "bouwblok/publieke-inkoop -->");
    lsp.change(&uri, 2, &text);
    let diags = lsp.diagnostics(&uri);
    // `empty_list` is a warning by default; the fixture makes it an error.
    assert_eq!(codes(&diags), ["K0303"]);
    assert_eq!(diags[0]["severity"], 1);
}

#[test]
fn a_renamed_heading_marks_the_pages_that_link_to_it() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(VEREISTE);
    lsp.diagnostics(&uri);
    lsp.clear();
    let text = site
        .read(VEREISTE)
        .replace("## Wanneer van toepassing", "## Wanneer geldt dit");
    lsp.change(&uri, 2, &text);
    let other = lsp.uri(MAATREGEL);
    let diags = lsp.diagnostics(&other);
    assert_eq!(codes(&diags), ["K0402"], "{diags:?}");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("#wanneer-van-toepassing"));
    // And the heading back: the other page is clean again.
    lsp.change(&uri, 3, &site.read(VEREISTE));
    assert!(lsp.diagnostics(&other).is_empty());
}

#[test]
fn a_duplicate_id_points_at_the_other_page() {
    let site = Site::fixture("editor");
    site.file(
        "content/vereisten/tweede.md",
        "---\ntitle: Tweede\nid: urn:nl:kader:ver:log-02\nlevenscyclus:\n- ontwerp\n---\n",
    );
    let mut lsp2 = Lsp::start(site.root());
    let uri = lsp2.open("content/vereisten/tweede.md");
    lsp2.diagnostics(&uri);
    let text = site
        .read("content/vereisten/tweede.md")
        .replace("log-02", "log-01");
    lsp2.change(&uri, 2, &text);
    let diags = lsp2.diagnostics(&uri);
    assert_eq!(codes(&diags), ["K0204"], "{diags:?}");
    let related = &diags[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], lsp2.uri(VEREISTE));
    assert_eq!(related["location"]["range"]["start"]["line"], 2);
}

#[test]
fn quick_fixes_apply_the_did_you_mean_and_add_missing_fields() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site
        .read(MAATREGEL)
        .replace("- ontwikkelen", "- ontwikelen")
        .replace("title: Een logboek inrichten\n", "");
    lsp.change(&uri, 2, &text);
    let diags = lsp.diagnostics(&uri);
    assert_eq!(codes(&diags), ["K0103", "K0202"], "{diags:?}");
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 12, "character": 0 } });
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "add the missing field `title`",
            "replace with `ontwikkelen`"
        ]
    );
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));
    let mut fixed = text.clone();
    for a in actions.iter().rev() {
        fixed = apply(&fixed, a["edit"]["changes"][&uri].as_array().unwrap());
    }
    assert!(fixed.contains("- ontwikkelen\n") && fixed.contains("title:\n---"));
    lsp.change(&uri, 3, &fixed);
    assert!(lsp.diagnostics(&uri).is_empty());
}

#[test]
fn broken_anchors_and_block_ids_have_quick_fixes() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site
        .read(MAATREGEL)
        .replace("#^logboek", "#^logbok")
        .replace("#bronnen", "#bronen");
    lsp.change(&uri, 2, &text);
    assert_eq!(codes(&lsp.diagnostics(&uri)), ["K0403", "K0402"]);
    let range = json!({ "start": pos(&text, "Richt", 0), "end": pos(&text, "[bronnen]", 0) });
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } }),
    );
    let titles: Vec<String> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "replace with `../vereisten/logging.md#^logboek`",
            "replace with `../vereisten/logging.md#bronnen`"
        ]
    );
}

#[test]
fn completion_knows_the_content_model() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site.read(MAATREGEL);
    let complete = |lsp: &mut Lsp, text: &str, needle: &str, delta: usize| {
        lsp.request(
            "textDocument/completion",
            doc(&uri, pos(text, needle, delta)),
        )
    };
    // Front-matter keys of the collection, those not yet written.
    let edited = text.replace("levenscyclus:\n- ontwikkelen\n", "le\n");
    lsp.change(&uri, 2, &edited);
    let keys = labels(&complete(&mut lsp, &edited, "le\n", 2));
    assert!(keys.contains(&"levenscyclus".to_string()), "{keys:?}");
    assert!(!keys.contains(&"vereiste".to_string()), "{keys:?}");
    // Terms of a taxonomy field.
    lsp.change(&uri, 3, &text);
    let terms = labels(&complete(&mut lsp, &text, "- governance", 2));
    assert_eq!(terms, ["governance", "publieke-inkoop"]);
    // Pages for a reference field.
    let pages = complete(&mut lsp, &text, "- logging", 2);
    assert_eq!(labels(&pages), ["logging"]);
    assert_eq!(pages[0]["detail"], "Gebeurtenissen worden gelogd");
    // Anchors after `#`, block ids after `#^` with their text.
    let anchors = labels(&complete(&mut lsp, &text, "#wanneer", 1));
    assert_eq!(anchors, ["wanneer-van-toepassing", "definities", "bronnen"]);
    let blocks = complete(&mut lsp, &text, "#^logboek", 2);
    assert_eq!(labels(&blocks), ["^logboek"]);
    assert!(blocks[0]["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("een lijst van gebeurtenissen"));
    // Link targets, relative to the page.
    let targets = labels(&complete(&mut lsp, &text, "../vereisten/logging.md#^", 0));
    assert!(
        targets.contains(&"../vereisten/logging.md".to_string()),
        "{targets:?}"
    );
    assert!(targets.contains(&"../index.md".to_string()), "{targets:?}");
    // Directive names and arguments.
    let names = labels(&complete(&mut lsp, &text, "list_vereisten_on", 5));
    assert!(names.contains(&"list_maatregelen".to_string()), "{names:?}");
    let args = labels(&complete(&mut lsp, &text, "bouwblok/governance -->", 9));
    assert_eq!(args, ["bouwblok/governance", "bouwblok/publieke-inkoop"]);
    // Admonition types.
    let edited = format!("{text}\n!!! ti");
    lsp.change(&uri, 4, &edited);
    let kinds = labels(&complete(&mut lsp, &edited, "!!! ti", 6));
    assert!(kinds.contains(&"tip".to_string()) && kinds.contains(&"warning".to_string()));
}

#[test]
fn hover_shows_definitions_requirements_terms_and_lists() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site.read(MAATREGEL);
    let mut hover = |needle: &str, delta: usize| {
        let h = lsp.request("textDocument/hover", doc(&uri, pos(&text, needle, delta)));
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let definition = hover("#^logboek", 3);
    assert!(definition.contains("**Logboek**") && definition.contains("met hun tijdstip"));
    let requirement = hover("- logging", 3);
    assert!(
        requirement.contains("Gebeurtenissen worden gelogd"),
        "{requirement}"
    );
    assert!(requirement.contains("Een systeem houdt bij wat er gebeurt."));
    let term = hover("- governance", 3);
    assert!(
        term.contains("Governance") && term.contains("2 pages carry it"),
        "{term}"
    );
    let list = hover("<!-- list_maatregelen", 8);
    assert!(
        list.contains("1 rows") && list.contains("Een logboek inrichten"),
        "{list}"
    );
}

#[test]
fn definition_and_references_cross_pages() {
    let (site, mut lsp) = editor();
    let uri = lsp.open(MAATREGEL);
    lsp.diagnostics(&uri);
    let text = site.read(MAATREGEL);
    let vereiste = lsp.uri(VEREISTE);
    let v_text = site.read(VEREISTE);
    let def = lsp.request(
        "textDocument/definition",
        doc(&uri, pos(&text, "#wanneer", 2)),
    );
    assert_eq!(def["uri"], vereiste);
    assert_eq!(def["range"]["start"], pos(&v_text, "## Wanneer", 0));
    let def = lsp.request(
        "textDocument/definition",
        doc(&uri, pos(&text, "- logging", 3)),
    );
    assert_eq!(def["uri"], vereiste);
    let def = lsp.request(
        "textDocument/definition",
        doc(&uri, pos(&text, "- ontwikkelen", 3)),
    );
    assert_eq!(def["uri"], lsp.uri("site.toml"));

    // From the requirement: the measure that cites it, the links to a heading.
    let v_uri = lsp.open(VEREISTE);
    lsp.diagnostics(&v_uri);
    let refs = |lsp: &mut Lsp, needle: &str| {
        let r = lsp.request(
            "textDocument/references",
            json!({ "textDocument": { "uri": v_uri }, "position": pos(&v_text, needle, 3),
                    "context": { "includeDeclaration": false } }),
        );
        r.as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["uri"].as_str().unwrap().to_string(),
                    l["range"]["start"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let citing = refs(&mut lsp, "id: urn");
    assert!(
        citing.contains(&(uri.clone(), pos(&text, "logging\nlevenscyclus", 0))),
        "{citing:?}"
    );
    let heading = refs(&mut lsp, "## Bronnen");
    assert_eq!(
        heading,
        [(
            uri.clone(),
            pos(&text, "../vereisten/logging.md#bronnen", 0)
        )]
    );
    let term = refs(&mut lsp, "- governance");
    assert_eq!(term.len(), 3, "{term:?}");
}

#[test]
fn renaming_an_anchor_or_block_id_updates_every_link() {
    let (site, mut lsp) = editor();
    let v_uri = lsp.open(VEREISTE);
    lsp.diagnostics(&v_uri);
    let v_text = site.read(VEREISTE);
    let m_uri = lsp.uri(MAATREGEL);
    let m_text = site.read(MAATREGEL);
    let prepared = lsp.request(
        "textDocument/prepareRename",
        doc(&v_uri, pos(&v_text, "## Bronnen", 3)),
    );
    assert_eq!(prepared["placeholder"], "bronnen");
    for (needle, new, in_v, in_m) in [
        (
            "## Bronnen",
            "bronnen-en-links",
            "## Bronnen { #bronnen-en-links }",
            "logging.md#bronnen-en-links",
        ),
        (
            "## Wanneer",
            "toepassing",
            "## Wanneer van toepassing { #toepassing }",
            "logging.md#toepassing",
        ),
        ("^logboek", "^log", "tijdstip. ^log\n", "logging.md#^log)"),
    ] {
        let edit = lsp.request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": v_uri }, "position": pos(&v_text, needle, 2), "newName": new }),
        );
        let v = apply(&v_text, edit["changes"][&v_uri].as_array().unwrap());
        let m = apply(&m_text, edit["changes"][&m_uri].as_array().unwrap());
        assert!(v.contains(in_v), "{v}");
        assert!(m.contains(in_m), "{m}");
    }
    let bad = lsp.try_request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": v_uri }, "position": pos(&v_text, "## Bronnen", 3), "newName": "twee woorden" }),
    );
    assert!(bad.unwrap_err().contains("cannot be an id"));
}

#[test]
fn symbols_outline_a_page_and_find_pages() {
    let (_site, mut lsp) = editor();
    let uri = lsp.open(VEREISTE);
    lsp.diagnostics(&uri);
    let outline = lsp.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = outline
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Wanneer van toepassing", "Definities", "Bronnen"]);
    assert_eq!(outline[1]["children"][0]["name"], "^logboek");
    let found = lsp.request("workspace/symbol", json!({ "query": "logboek" }));
    assert_eq!(found[0]["name"], "Een logboek inrichten");
    assert_eq!(found[0]["location"]["uri"], lsp.uri(MAATREGEL));
}

/// A real client: Neovim (Debian's `neovim`, its built-in LSP client) opens
/// a page, receives the `boubwlok` diagnostic, applies the quick fix and
/// saves; then the site passes `kader check`.
#[test]
fn neovim_applies_the_quick_fix() {
    let ok = std::process::Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        crate::harness::missing(
            "nvim",
            "Neovim (`nvim`) is not installed",
            "Install it with `apt-get install neovim` (scripts/test does this).",
        );
        return;
    }
    let site = Site::fixture("editor");
    site.file(
        "content/kapot.md",
        "---\ntitle: Kapot\n---\n\n<!-- list_maatregelen boubwlok/governance -->\n",
    );
    let before = site.cli(&["check"]);
    assert_eq!(before.code, 1, "{}", before.stderr);
    assert!(before.stderr.contains("K0201"), "{}", before.stderr);
    let result = site.path("nvim-result.txt");
    let script = crate::harness::repo().join("tests/editors/nvim-quickfix.lua");
    let mut cmd = std::process::Command::new("nvim");
    cmd.args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("KADER_BIN", crate::harness::kader_bin())
        .env("KADER_SITE", site.root())
        .env("KADER_PAGE", site.path("content/kapot.md"))
        .env("KADER_RESULT", &result)
        .env("HOME", site.root())
        .current_dir(site.root());
    let out = crate::harness::run(cmd);
    let said = std::fs::read_to_string(&result)
        .unwrap_or_else(|_| panic!("Neovim wrote no result:\n{}\n{}", out.stdout, out.stderr));
    assert_eq!(said, "OK replace with `bouwblok`", "{}", out.stderr);
    assert!(site
        .read("content/kapot.md")
        .contains("<!-- list_maatregelen bouwblok/governance -->"));
    let after = site.cli(&["check"]);
    assert_eq!(after.code, 0, "{}", after.stderr);
}
