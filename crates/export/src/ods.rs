//! OpenDocument spreadsheets (`.ods`): content, styles, settings (the
//! frozen header row), metadata and the manifest. Every cell is a string
//! cell; the autofilter is a database range with filter buttons, the
//! drop-down a content validation.

use crate::clean::{clean, cleaned, safe_url, sheet_names};
use crate::xlsx::choice_list;
use crate::xml::{column_name, Xml, Zip};
use crate::{widths, Book, Cell, Error, Link, Sheet};
use std::borrow::Cow;

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const XLINK: &str = "http://www.w3.org/1999/xlink";
const CONFIG: &str = "urn:oasis:names:tc:opendocument:xmlns:config:1.0";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const OF: &str = "urn:oasis:names:tc:opendocument:xmlns:of:1.2";
const VERSION: &str = "1.3";
const MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// The book as an `.ods` file.
pub fn ods(book: &Book) -> Result<Vec<u8>, Error> {
    let names = sheet_names(
        std::iter::once(book.about.name.as_str())
            .chain(book.sheets.iter().map(|s| s.name.as_str())),
        "Blad",
    );
    let mut zip = Zip::new();
    // The media type comes first and uncompressed, so tools recognise the file.
    zip.part("mimetype", MIME.as_bytes(), false)?;
    content(&mut zip, book, &names)?;
    zip.part("styles.xml", &styles()?, true)?;
    zip.part("settings.xml", &settings(book, &names)?, true)?;
    zip.part("meta.xml", &meta(book)?, true)?;
    zip.part("META-INF/manifest.xml", &manifest()?, true)?;
    zip.finish()
}

fn manifest() -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "manifest:manifest",
        &[
            (
                "xmlns:manifest",
                "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
            ),
            ("manifest:version", VERSION),
        ],
    );
    x.empty(
        "manifest:file-entry",
        &[
            ("manifest:full-path", "/"),
            ("manifest:version", VERSION),
            ("manifest:media-type", MIME),
        ],
    );
    for part in ["content.xml", "styles.xml", "settings.xml", "meta.xml"] {
        x.empty(
            "manifest:file-entry",
            &[
                ("manifest:full-path", part),
                ("manifest:media-type", "text/xml"),
            ],
        );
    }
    x.close("manifest:manifest");
    x.finish()
}

fn meta(book: &Book) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "office:document-meta",
        &[
            ("xmlns:office", OFFICE),
            ("xmlns:meta", META),
            ("xmlns:dc", DC),
            ("office:version", VERSION),
        ],
    );
    x.open("office:meta", &[]);
    x.leaf("meta:generator", &[], "kader");
    x.leaf("dc:title", &[], &clean(&book.title));
    if !book.lang.is_empty() {
        x.leaf("dc:language", &[], &clean(&book.lang));
    }
    x.close("office:meta");
    x.close("office:document-meta");
    x.finish()
}

fn styles() -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "office:document-styles",
        &[
            ("xmlns:office", OFFICE),
            ("xmlns:style", STYLE),
            ("xmlns:fo", FO),
            ("office:version", VERSION),
        ],
    );
    x.open("office:styles", &[]);
    x.open(
        "style:style",
        &[("style:name", "Default"), ("style:family", "table-cell")],
    );
    x.empty(
        "style:text-properties",
        &[
            ("style:font-name", "Liberation Sans"),
            ("fo:font-size", "10pt"),
        ],
    );
    x.close("style:style");
    x.close("office:styles");
    x.close("office:document-styles");
    x.finish()
}

/// The frozen header row of every data sheet, and the first data sheet open.
fn settings(book: &Book, names: &[String]) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "office:document-settings",
        &[
            ("xmlns:office", OFFICE),
            ("xmlns:config", CONFIG),
            ("office:version", VERSION),
        ],
    );
    x.open("office:settings", &[]);
    x.open(
        "config:config-item-set",
        &[("config:name", "ooo:view-settings")],
    );
    x.open(
        "config:config-item-map-indexed",
        &[("config:name", "Views")],
    );
    x.open("config:config-item-map-entry", &[]);
    let item = |x: &mut Xml, name: &str, ty: &str, value: &str| {
        x.leaf(
            "config:config-item",
            &[("config:name", name), ("config:type", ty)],
            value,
        );
    };
    item(&mut x, "ViewId", "string", "view1");
    x.open("config:config-item-map-named", &[("config:name", "Tables")]);
    for name in names.iter().skip(1).take(book.sheets.len()) {
        x.open("config:config-item-map-entry", &[("config:name", name)]);
        for (key, ty, value) in [
            ("HorizontalSplitMode", "short", "0"),
            ("VerticalSplitMode", "short", "2"),
            ("HorizontalSplitPosition", "int", "0"),
            ("VerticalSplitPosition", "int", "1"),
            ("ActiveSplitRange", "short", "2"),
            ("PositionLeft", "int", "0"),
            ("PositionRight", "int", "0"),
            ("PositionTop", "int", "0"),
            ("PositionBottom", "int", "1"),
        ] {
            item(&mut x, key, ty, value);
        }
        x.close("config:config-item-map-entry");
    }
    x.close("config:config-item-map-named");
    let active = names.get(if book.sheets.is_empty() { 0 } else { 1 });
    item(
        &mut x,
        "ActiveTable",
        "string",
        active.map(String::as_str).unwrap_or(""),
    );
    x.close("config:config-item-map-entry");
    x.close("config:config-item-map-indexed");
    x.close("config:config-item-set");
    x.close("office:settings");
    x.close("office:document-settings");
    x.finish()
}

/// A sheet name in a cell address: `'Name'` with `'` doubled.
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// A paragraph: the text with a leading space and runs of spaces kept
/// (each run written whole as `text:s`, which every reader counts alike).
fn para_text(x: &mut Xml, line: &str) {
    let mut rest = line;
    while let Some(i) = rest
        .find("  ")
        .or_else(|| rest.starts_with(' ').then_some(0))
    {
        let run = rest[i..].len() - rest[i..].trim_start_matches(' ').len();
        x.text(&rest[..i]);
        let n = run.to_string();
        x.empty("text:s", &[("text:c", &n)]);
        rest = &rest[i + run..];
    }
    x.text(rest);
}

/// A string cell with `style`: one paragraph per line, or per link.
fn cell(x: &mut Xml, style: &str, cell: &Cell, validation: Option<&str>) {
    // A link's shown text is cleaned already (`Link::shown`).
    let (text, shown): (Cow<str>, Vec<String>) = match cell {
        Cell::Links(links) => {
            let shown: Vec<String> = links.iter().map(Link::shown).collect();
            (Cow::Owned(shown.join("\n")), shown)
        }
        Cell::Text(t) => (cleaned(t), Vec::new()),
    };
    let mut attrs = vec![("table:style-name", style), ("office:value-type", "string")];
    if let Some(v) = validation {
        attrs.push(("table:content-validation-name", v));
    }
    if text.is_empty() && validation.is_none() {
        x.empty("table:table-cell", &[("table:style-name", style)]);
        return;
    }
    x.open("table:table-cell", &attrs);
    match cell {
        Cell::Links(links) => {
            for (l, shown) in links.iter().zip(&shown) {
                x.open("text:p", &[]);
                match safe_url(&l.url) {
                    Some(url) => {
                        x.open("text:a", &[("xlink:href", url), ("xlink:type", "simple")]);
                        para_text(x, shown);
                        x.close("text:a");
                    }
                    None => para_text(x, shown),
                }
                x.close("text:p");
            }
        }
        Cell::Text(_) => {
            for line in text.split('\n') {
                x.open("text:p", &[]);
                para_text(x, line);
                x.close("text:p");
            }
        }
    }
    x.close("table:table-cell");
}

fn automatic_styles(x: &mut Xml, widths: &[String]) {
    x.open("office:automatic-styles", &[]);
    for (i, w) in widths.iter().enumerate() {
        let name = format!("co{}", i + 1);
        x.open(
            "style:style",
            &[("style:name", &name), ("style:family", "table-column")],
        );
        x.empty(
            "style:table-column-properties",
            &[("fo:break-before", "auto"), ("style:column-width", w)],
        );
        x.close("style:style");
    }
    x.open(
        "style:style",
        &[("style:name", "ro1"), ("style:family", "table-row")],
    );
    x.empty(
        "style:table-row-properties",
        &[("style:use-optimal-row-height", "true")],
    );
    x.close("style:style");
    // name, bold, size, background, wrap
    for (name, bold, size, fill, wrap) in [
        ("ceBody", false, None, None, true),
        ("ceHead", true, None, Some("#dde5f0"), true),
        ("ceTitle", true, Some("14pt"), None, false),
        ("ceLabel", true, None, None, true),
    ] {
        x.open(
            "style:style",
            &[
                ("style:name", name),
                ("style:family", "table-cell"),
                ("style:parent-style-name", "Default"),
            ],
        );
        let mut props = vec![("style:vertical-align", "top")];
        if wrap {
            props.push(("fo:wrap-option", "wrap"));
        }
        if let Some(f) = fill {
            props.push(("fo:background-color", f));
        }
        x.empty("style:table-cell-properties", &props);
        let mut text = Vec::new();
        if bold {
            text.extend([
                ("fo:font-weight", "bold"),
                ("style:font-weight-asian", "bold"),
                ("style:font-weight-complex", "bold"),
            ]);
        }
        if let Some(s) = size {
            text.push(("fo:font-size", s));
        }
        if !text.is_empty() {
            x.empty("style:text-properties", &text);
        }
        x.close("style:style");
    }
    x.close("office:automatic-styles");
}

/// Column widths in centimetres.
fn cm(chars: f64) -> String {
    format!("{:.3}cm", chars * 0.2 + 0.25)
}

/// Writes `content.xml` into `zip` as it is made (the data of every sheet).
fn content(zip: &mut Zip, book: &Book, names: &[String]) -> Result<(), Error> {
    let mut x = Xml::part(zip, "content.xml")?;
    x.open(
        "office:document-content",
        &[
            ("xmlns:office", OFFICE),
            ("xmlns:style", STYLE),
            ("xmlns:text", TEXT),
            ("xmlns:table", TABLE),
            ("xmlns:fo", FO),
            ("xmlns:xlink", XLINK),
            ("xmlns:of", OF),
            ("office:version", VERSION),
        ],
    );
    // Column styles: two for the explanation, then those of each sheet.
    let mut all_widths = vec![cm(30.0), cm(100.0)];
    let mut firsts = Vec::new();
    for s in &book.sheets {
        firsts.push(all_widths.len());
        all_widths.extend(widths(s).into_iter().map(cm));
    }
    automatic_styles(&mut x, &all_widths);
    x.open("office:body", &[]);
    x.open("office:spreadsheet", &[]);

    // One validation per drop-down column of each sheet.
    let mut validations: Vec<Vec<Option<String>>> = Vec::new();
    let mut any = false;
    for (si, s) in book.sheets.iter().enumerate() {
        let mut per_col = Vec::new();
        for (ci, c) in s.columns.iter().enumerate() {
            let list = choice_list(&c.choices, ";", usize::MAX);
            if list.is_empty() || s.flat_rows().is_empty() {
                per_col.push(None);
                continue;
            }
            if !any {
                x.open("table:content-validations", &[]);
                any = true;
            }
            let name = format!("val{}_{}", si + 1, ci + 1);
            let quoted_list: Vec<String> = list.split(';').map(|c| format!("\"{c}\"")).collect();
            let condition = format!("of:cell-content-is-in-list({})", quoted_list.join(";"));
            let base = format!("{}.{}2", quoted(&names[si + 1]), column_name(ci));
            x.open(
                "table:content-validation",
                &[
                    ("table:name", &name),
                    ("table:condition", &condition),
                    ("table:allow-empty-cell", "true"),
                    ("table:base-cell-address", &base),
                    ("table:display-list", "unsorted"),
                ],
            );
            x.empty(
                "table:error-message",
                &[("table:display", "true"), ("table:message-type", "stop")],
            );
            x.close("table:content-validation");
            per_col.push(Some(name));
        }
        validations.push(per_col);
    }
    if any {
        x.close("table:content-validations");
    }

    about_table(&mut x, book, &names[0]);
    for (si, s) in book.sheets.iter().enumerate() {
        data_table(&mut x, s, &names[si + 1], firsts[si], &validations[si]);
    }

    // The autofilters: one anonymous database range per data sheet.
    x.open("table:database-ranges", &[]);
    for (si, s) in book.sheets.iter().enumerate() {
        let name = quoted(&names[si + 1]);
        let last_col = column_name(s.columns.len().max(1) - 1);
        let last_row = s.flat_rows().len() + 1;
        let range = format!("{name}.A1:{name}.{last_col}{last_row}");
        let db = format!("__Anonymous_Sheet_DB__{}", si + 1);
        x.empty(
            "table:database-range",
            &[
                ("table:name", &db),
                ("table:target-range-address", &range),
                ("table:display-filter-buttons", "true"),
            ],
        );
    }
    x.close("table:database-ranges");
    x.close("office:spreadsheet");
    x.close("office:body");
    x.close("office:document-content");
    x.end()
}

fn row(x: &mut Xml) {
    x.open("table:table-row", &[("table:style-name", "ro1")]);
}

fn empty_row(x: &mut Xml) {
    row(x);
    x.empty("table:table-cell", &[]);
    x.close("table:table-row");
}

fn about_table(x: &mut Xml, book: &Book, name: &str) {
    let about = &book.about;
    x.open("table:table", &[("table:name", name)]);
    for col in ["co1", "co2"] {
        x.empty(
            "table:table-column",
            &[
                ("table:style-name", col),
                ("table:default-cell-style-name", "ceBody"),
            ],
        );
    }
    row(x);
    cell(x, "ceTitle", &Cell::Text(about.title.clone()), None);
    x.close("table:table-row");
    empty_row(x);
    for [label, value] in &about.lines {
        row(x);
        cell(x, "ceLabel", &Cell::Text(label.clone()), None);
        let value = match safe_url(value).filter(|u| u.contains("://")) {
            Some(url) => Cell::link(value.clone(), url),
            None => Cell::Text(value.clone()),
        };
        cell(x, "ceBody", &value, None);
        x.close("table:table-row");
    }
    empty_row(x);
    for note in &about.notes {
        row(x);
        cell(x, "ceBody", &Cell::Text(note.clone()), None);
        x.close("table:table-row");
    }
    x.close("table:table");
}

fn data_table(
    x: &mut Xml,
    sheet: &Sheet,
    name: &str,
    first: usize,
    validations: &[Option<String>],
) {
    x.open("table:table", &[("table:name", name)]);
    for i in 0..sheet.columns.len() {
        let col = format!("co{}", first + i + 1);
        x.empty(
            "table:table-column",
            &[
                ("table:style-name", &col),
                ("table:default-cell-style-name", "ceBody"),
            ],
        );
    }
    x.open("table:table-header-rows", &[]);
    row(x);
    for c in &sheet.columns {
        cell(x, "ceHead", &Cell::Text(c.header.clone()), None);
    }
    x.close("table:table-row");
    x.close("table:table-header-rows");
    for (r, _) in sheet.flat_rows() {
        row(x);
        for i in 0..sheet.columns.len() {
            let empty = Cell::default();
            let c = r.cells.get(i).unwrap_or(&empty);
            let v = validations.get(i).and_then(|v| v.as_deref());
            cell(x, "ceBody", c, v);
        }
        x.close("table:table-row");
    }
    x.close("table:table");
}
