//! The spreadsheets (crates/export, render/spreadsheets.rs, `kader export`)
//! read back by independent readers: LibreOffice (`--convert-to csv`) and
//! Python's openpyxl and odfpy (tests/readers/sheet.py), over the `export`
//! fixture, whose pages have hostile values (formulas, control characters,
//! markup, a 40 kB summary) and an English translation.

use crate::harness::{self, repo, Site};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// What tests/readers/sheet.py reads from a file; `None` (only where
/// `KADER_ALLOW_SKIP=readers`) when Python or its readers are missing.
fn read(path: &Path) -> Option<Value> {
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/readers/sheet.py")).arg(path);
    let probe = Command::new("python3")
        .args(["-c", "import openpyxl, odf"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        harness::missing(
            "readers",
            "python3 with openpyxl and odfpy is missing",
            "Install them: `python3 -m pip install openpyxl==3.1.5 odfpy==1.4.1` (scripts/test does this).",
        );
        return None;
    }
    let out = harness::run(cmd);
    assert_eq!(out.code, 0, "{}: {}", path.display(), out.stderr);
    Some(serde_json::from_str(&out.stdout).unwrap())
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}: {book}"))
}

fn rows(sheet: &Value) -> Vec<Vec<String>> {
    sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// The (id, title) of every row of the first table of an HTML page, as the
/// page shows them.
fn table_rows(html: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    html.split("<tr data-terms")
        .skip(1)
        .map(|row| {
            // A cell is `<td class="…" data-label="…">`: its text starts
            // after the tag.
            let cell = |class: &str| {
                row.split(&format!("<td class=\"{class}\""))
                    .nth(1)
                    .map(|s| &s[s.find('>').unwrap() + 1..])
            };
            let id = cell("cell-id")
                .map(|s| s[..s.find("</td>").unwrap()].to_string())
                .unwrap_or_default();
            let title = cell("cell-title").unwrap();
            let title = &title[title.find("<a href=\"").unwrap()..];
            let title = &title[title.find('>').unwrap() + 1..];
            (
                unescape(&id),
                unescape(&title[..title.find("</a>").unwrap()]),
            )
        })
        .collect()
}

/// A title as a link cell shows it (crates/export's rule).
fn as_link(title: &str) -> String {
    kader_export::Link {
        text: title.to_string(),
        url: String::new(),
    }
    .shown()
}

#[test]
fn the_build_writes_both_spreadsheets_per_language_with_the_overviews_rows() {
    let site = Site::fixture("export");
    let built = site.build();
    for (dir, coll) in [("", "Vereisten"), ("en/", "Vereisten")] {
        for ext in ["xlsx", "ods"] {
            let path = built.out.join(format!("{dir}kennisbank.{ext}"));
            let Some(book) = read(&path) else { return };
            let names: Vec<&str> = book["sheets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap())
                .collect();
            assert_eq!(names.len(), 3, "{names:?}");
            assert_eq!(names[1..], ["Vereisten", "Maatregelen"], "{path:?}");
            let about = rows(&book["sheets"][0]);
            let text = format!("{about:?}");
            assert!(text.contains("EUPL-1.2"), "{text}");
            assert!(text.contains("https://example.org/"), "{text}");
            let s = sheet(&book, coll);
            assert_eq!(s["header_bold"], true, "{path:?}");
            assert_eq!(s["frozen"], "A2", "{path:?}");
            assert_eq!(s["wrapped"], true, "{path:?}");
            let data = rows(s);
            let last = (b'A' + data[0].len() as u8 - 1) as char;
            assert_eq!(
                s["autofilter"],
                format!("A1:{last}{}", data.len()),
                "{path:?}"
            );
            // The rows are the overview's, in its order, with its values.
            let html = built.read(&format!("{dir}vereisten/index.html"));
            let shown = table_rows(&html);
            let exported: Vec<(String, String)> = data[1..]
                .iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect();
            let expected: Vec<(String, String)> = shown
                .iter()
                .map(|(id, t)| (kader_export::clean(id), as_link(t)))
                .collect();
            assert_eq!(exported, expected, "{path:?}");
            // Titles link to the page, absolutely.
            let links = s["links"].as_object().unwrap();
            assert_eq!(links.len(), data.len() - 1, "{path:?}: {links:?}");
            for (cell, urls) in links {
                let url = urls[0].as_str().unwrap();
                assert!(cell.starts_with('B'), "{cell}");
                assert!(url.starts_with("https://example.org/"), "{url}");
            }
        }
    }
    // The English book links the English page where there is one.
    let book = read(&built.out.join("en/kennisbank.xlsx")).unwrap();
    let text = format!("{}", sheet(&book, "Vereisten")["links"]);
    assert!(
        text.contains("https://example.org/en/vereisten/formule/"),
        "{text}"
    );
    // A measure's requirements are links too.
    let m = sheet(&book, "Maatregelen");
    let header = &rows(m)[0];
    let col = header.iter().position(|h| h == "Vereisten").unwrap();
    assert!(m["links"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with((b'A' + col as u8) as char)));
}

#[test]
fn hostile_values_give_no_formula_no_control_character_and_no_broken_file() {
    let site = Site::fixture("export");
    let built = site.build();
    for name in ["kennisbank.xlsx", "kennisbank.ods", "en/kennisbank.ods"] {
        let Some(book) = read(&built.out.join(name)) else {
            return;
        };
        for s in book["sheets"].as_array().unwrap() {
            for row in rows(s) {
                for cell in row {
                    let first = cell.trim_start().chars().next();
                    assert!(
                        !matches!(first, Some('=' | '+' | '-' | '@')),
                        "{name}: a formula-like cell {cell:?}"
                    );
                    assert!(
                        !cell.chars().any(|c| c.is_control() && c != '\n'),
                        "{name}: a control character in {cell:?}"
                    );
                    assert!(cell.encode_utf16().count() <= 32_767, "{name}: too long");
                }
            }
        }
        let text = book.to_string();
        assert!(
            text.contains("'=HYPERLINK(") || text.contains("'@SUM(1+1)"),
            "{name}"
        );
        assert!(
            text.contains("</t></c><script>"),
            "{name}: markup kept as text"
        );
        assert!(
            !text.contains("javascript:alert(1)\"]"),
            "{name}: no javascript link"
        );
    }
    // The long summary is cut and says so.
    let book = read(&built.out.join("kennisbank.xlsx")).unwrap();
    let data = rows(sheet(&book, "Vereisten"));
    let long = data.iter().find(|r| r[0] == "lang-01").unwrap();
    assert!(long[2].ends_with('…') && long[2].encode_utf16().count() <= 32_001);
    // The CSV export follows the same rule.
    let csv = built.read("kennisbank.csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"javascript:"), "{csv}");
    assert!(!csv.contains('\u{7}'));
}

#[test]
fn only_http_and_relative_urls_become_hyperlinks() {
    use kader_export::{Book, Cell, Column, Link, Row, Sheet};
    let links = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/",
        "https://example.org/ok/",
        "../relatief/",
    ];
    let book = Book {
        title: "t".into(),
        sheets: vec![Sheet {
            id: "x".into(),
            name: "Links".into(),
            columns: vec![Column::new("Titel")],
            rows: links
                .iter()
                .map(|url| Row {
                    key: url.to_string(),
                    cells: vec![Cell::Links(vec![Link {
                        text: format!("=link {url}"),
                        url: url.to_string(),
                    }])],
                    children: Vec::new(),
                })
                .collect(),
        }],
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for (ext, bytes) in [
        ("xlsx", kader_export::xlsx(&book).unwrap()),
        ("ods", kader_export::ods(&book).unwrap()),
    ] {
        let path = dir.path().join(format!("links.{ext}"));
        std::fs::write(&path, bytes).unwrap();
        let Some(read) = read(&path) else { return };
        let s = sheet(&read, "Links");
        let mut found: Vec<String> = s["links"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|v| v.as_array().unwrap().iter())
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        found.sort();
        assert_eq!(found, ["../relatief/", "https://example.org/ok/"], "{ext}");
        // Every link's text is still there, neutralised.
        let texts: Vec<String> = rows(s)[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(texts.len(), links.len());
        assert!(texts.iter().all(|t| t.starts_with("'=link ")), "{texts:?}");
    }
}

#[test]
fn the_checklist_has_a_status_drop_down_owner_and_notes_and_the_profile() {
    let site = Site::fixture("export");
    for ext in ["xlsx", "ods"] {
        let file = format!("checklist.{ext}");
        let out = site.cli(&[
            "export",
            "--format",
            ext,
            "--checklist",
            "--term",
            "rol-ai-act/aanbieder",
            "-o",
            &file,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let Some(book) = read(&site.path(&file)) else {
            return;
        };
        let about = format!("{:?}", rows(&book["sheets"][0]));
        assert!(
            about.contains("Rol in de AI-verordening") && about.contains("Aanbieder"),
            "{about}"
        );
        let s = sheet(&book, "Checklist");
        let data = rows(s);
        assert_eq!(
            data[0],
            [
                "Soort",
                "Id",
                "Titel",
                "Levenscyclus",
                "Status",
                "Eigenaar",
                "Notities"
            ]
        );
        // The requirement for providers, with its measure beneath; the
        // deployer's requirement is left out, and so the long one is kept
        // (it has no AI-Act terms).
        let kinds: Vec<(&str, &str)> = data[1..]
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Vereiste", "form-01"),
                ("Maatregel", "at-01"),
                ("Vereiste", "lang-01"),
                ("Maatregel", "gew-01"),
            ],
            "{ext}"
        );
        assert!(data[1..].iter().all(|r| r[4] == "Te doen"), "{ext}");
        let v = &s["validations"][0];
        assert_eq!(
            v["choices"],
            serde_json::json!(["Te doen", "Bezig", "Gereed", "Niet van toepassing"]),
            "{ext}"
        );
        assert_eq!(v["range"], format!("E2:E{}", data.len()), "{ext}");
        assert_eq!(s["frozen"], "A2");
        assert_eq!(s["header_bold"], true);
    }
}

#[test]
fn libreoffice_reads_both_formats_with_the_same_values() {
    let site = Site::fixture("export");
    let built = site.build();
    let probe = Command::new("libreoffice").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        harness::missing(
            "libreoffice",
            "LibreOffice (`libreoffice`) is missing",
            "Install Debian's libreoffice-calc (scripts/test does this).",
        );
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    // LibreOffice's CSV of the Vereisten sheet of `book`.
    let vereisten_csv = |book: &str| {
        let mut cmd = Command::new("libreoffice");
        cmd.arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--convert-to",
            // UTF-8, all sheets (one file each).
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(out.path())
        .arg(built.out.join(book));
        let r = harness::run(cmd);
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::fs::read_to_string(out.path().join("kennisbank-Vereisten.csv"))
            .unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
    };
    let from_xlsx = vereisten_csv("kennisbank.xlsx");
    let from_ods = vereisten_csv("kennisbank.ods");
    for (a, b) in from_xlsx.lines().zip(from_ods.lines()) {
        let short = |s: &str| s.chars().take(300).collect::<String>();
        assert!(a == b, "xlsx and ods differ:\n{}\n{}", short(a), short(b));
    }
    assert_eq!(from_xlsx.lines().count(), from_ods.lines().count());
    // LibreOffice shows the titles as text, the formula-like one included.
    assert!(from_xlsx.contains("'=HYPERLINK("));
    assert!(!from_xlsx.contains("#NAME?") && !from_xlsx.contains("Err:"));
    let shown = table_rows(&built.read("vereisten/index.html"));
    for (_, title) in shown {
        let quoted = as_link(&title).replace('"', "\"\"");
        assert!(from_xlsx.contains(&quoted), "{quoted:?} not in the CSV");
    }
}

#[test]
fn export_reports_unknown_terms_and_languages_as_usage_errors() {
    let site = Site::fixture("export");
    let out = site.cli(&[
        "export",
        "--format",
        "csv",
        "--term",
        "levenscyclsu/ontwerp",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `levenscyclus`"),
        "{}",
        out.stderr
    );
    let out = site.cli(&["export", "--format", "csv", "--term", "levenscyclus/x"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`ontwerp`, `ontwikkelen`"),
        "{}",
        out.stderr
    );
    let out = site.cli(&["export", "--format", "json", "--lang", "de"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`nl`, `en`"), "{}", out.stderr);
    // A term of another taxonomy narrows by carrying it.
    let out = site.cli(&[
        "export",
        "--format",
        "csv",
        "--term",
        "levenscyclus/ontwikkelen",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for id in ["xml-01", "lang-01", "gew-01"] {
        assert!(out.stdout.contains(&format!(",{id},")), "{id}");
    }
    for id in ["form-01", "at-01"] {
        assert!(!out.stdout.contains(&format!(",{id},")), "{id}");
    }
}

/// `kader check` makes no spreadsheet, export or search file (nothing reads
/// them) but names the exports and spreadsheets, so that links to them are
/// checked: the names are exactly the files a build writes.
#[test]
fn a_check_names_the_exports_and_spreadsheets_a_build_writes() {
    for fixture in ["export", "i18n", "directives"] {
        let checked = harness::check_at(&harness::fixtures().join(fixture));
        let site = checked.site();
        let index = &site.rendered().index;
        let mut written: Vec<String> = site
            .rendered()
            .files
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| {
                kader::render::spreadsheets::is_spreadsheet(p)
                    || kader::render::EXPORT_PATHS.contains(&p.as_str())
            })
            .collect();
        let mut named = kader::render::spreadsheets::paths(index);
        named.extend(kader::render::EXPORT_PATHS.map(String::from));
        written.sort();
        named.sort();
        assert_eq!(named, written, "{fixture}");
        assert!(!named.is_empty(), "{fixture}");
    }
    // And the check itself passes on a fixture whose pages link to them.
    let site = Site::fixture("export");
    let out = site.cli(&["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("K0410"), "{}", out.stdout);
}
