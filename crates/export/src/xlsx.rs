//! Office Open XML spreadsheets (`.xlsx`): the parts a workbook needs and
//! no more. Texts are inline strings, so every cell is a text cell, never
//! a formula.

use crate::clean::{clean, clean_choice, cleaned, safe_url, sheet_names};
use crate::xml::{column_name, Xml, Zip};
use crate::{widths, Book, Cell, Error, Sheet};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

/// Cell formats (indexes into `cellXfs` of the styles part).
const BODY: &str = "1";
const HEADER: &str = "2";
const LINK: &str = "3";
const TITLE: &str = "4";
const LABEL: &str = "5";

/// The book as an `.xlsx` file.
pub fn xlsx(book: &Book) -> Result<Vec<u8>, Error> {
    let names = sheet_names(
        std::iter::once(book.about.name.as_str())
            .chain(book.sheets.iter().map(|s| s.name.as_str())),
        "Blad",
    );
    let mut zip = Zip::new();
    zip.part("[Content_Types].xml", &content_types(names.len())?, true)?;
    zip.part("_rels/.rels", &package_rels()?, true)?;
    zip.part("docProps/core.xml", &core(book)?, true)?;
    zip.part("xl/workbook.xml", &workbook(book, &names)?, true)?;
    zip.part(
        "xl/_rels/workbook.xml.rels",
        &workbook_rels(names.len())?,
        true,
    )?;
    zip.part("xl/styles.xml", &styles()?, true)?;
    let (about, links) = about_sheet(book);
    zip.part("xl/worksheets/sheet1.xml", &about?, true)?;
    zip.part("xl/worksheets/_rels/sheet1.xml.rels", &links?, true)?;
    for (i, sheet) in book.sheets.iter().enumerate() {
        let path = format!("xl/worksheets/sheet{}.xml", i + 2);
        let links = data_sheet(&mut zip, &path, sheet, i == 0)?;
        links.rels_part(
            &mut zip,
            &format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 2),
        )?;
    }
    zip.finish()
}

fn content_types(sheets: usize) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    let overrides = [
        (
            "/xl/workbook.xml".to_string(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        (
            "/xl/styles.xml".to_string(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        ),
        (
            "/docProps/core.xml".to_string(),
            "application/vnd.openxmlformats-package.core-properties+xml",
        ),
    ];
    let sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    let sheets = (1..=sheets).map(|i| (format!("/xl/worksheets/sheet{i}.xml"), sheet_type));
    for (part, ty) in overrides.into_iter().chain(sheets) {
        x.empty("Override", &[("PartName", &part), ("ContentType", ty)]);
    }
    x.close("Types");
    x.finish()
}

fn package_rels() -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", PKG_REL)]);
    x.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            (
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
            ),
            ("Target", "xl/workbook.xml"),
        ],
    );
    x.empty(
        "Relationship",
        &[
            ("Id", "rId2"),
            (
                "Type",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            ),
            ("Target", "docProps/core.xml"),
        ],
    );
    x.close("Relationships");
    x.finish()
}

fn core(book: &Book) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ],
    );
    x.leaf("dc:title", &[], &clean(&book.title));
    if !book.lang.is_empty() {
        x.leaf("dc:language", &[], &clean(&book.lang));
    }
    x.close("cp:coreProperties");
    x.finish()
}

/// A sheet name as a formula reference: `'Name'` with `'` doubled.
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn workbook(book: &Book, names: &[String]) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open("workbook", &[("xmlns", MAIN), ("xmlns:r", REL)]);
    x.open("bookViews", &[]);
    // The first data sheet is open; the explanation is the first tab.
    let active = if book.sheets.is_empty() { "0" } else { "1" };
    x.empty("workbookView", &[("activeTab", active)]);
    x.close("bookViews");
    x.open("sheets", &[]);
    for (i, name) in names.iter().enumerate() {
        let (id, rid) = ((i + 1).to_string(), format!("rId{}", i + 1));
        x.empty("sheet", &[("name", name), ("sheetId", &id), ("r:id", &rid)]);
    }
    x.close("sheets");
    // The autofilter ranges, as spreadsheet programs record them.
    x.open("definedNames", &[]);
    for (i, sheet) in book.sheets.iter().enumerate() {
        let range = format!("{}!{}", quoted(&names[i + 1]), table_range(sheet, true));
        let local = (i + 1).to_string();
        x.leaf(
            "definedName",
            &[
                ("name", "_xlnm._FilterDatabase"),
                ("localSheetId", &local),
                ("hidden", "1"),
            ],
            &range,
        );
    }
    x.close("definedNames");
    x.close("workbook");
    x.finish()
}

fn workbook_rels(sheets: usize) -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", PKG_REL)]);
    for i in 1..=sheets {
        let (id, target) = (format!("rId{i}"), format!("worksheets/sheet{i}.xml"));
        x.empty(
            "Relationship",
            &[
                ("Id", &id),
                (
                    "Type",
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
                ),
                ("Target", &target),
            ],
        );
    }
    let id = format!("rId{}", sheets + 1);
    x.empty(
        "Relationship",
        &[
            ("Id", &id),
            (
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
            ),
            ("Target", "styles.xml"),
        ],
    );
    x.close("Relationships");
    x.finish()
}

fn styles() -> Result<Vec<u8>, Error> {
    let mut x = Xml::new();
    x.open("styleSheet", &[("xmlns", MAIN)]);
    x.open("fonts", &[("count", "4")]);
    let font = |x: &mut Xml, bold: bool, size: &str, link: bool| {
        x.open("font", &[]);
        if bold {
            x.empty("b", &[]);
        }
        if link {
            x.empty("u", &[]);
        }
        x.empty("sz", &[("val", size)]);
        if link {
            x.empty("color", &[("rgb", "FF0563C1")]);
        }
        x.empty("name", &[("val", "Calibri")]);
        x.empty("family", &[("val", "2")]);
        x.close("font");
    };
    font(&mut x, false, "11", false);
    font(&mut x, true, "11", false);
    font(&mut x, false, "11", true);
    font(&mut x, true, "14", false);
    x.close("fonts");
    x.open("fills", &[("count", "3")]);
    for pattern in ["none", "gray125"] {
        x.open("fill", &[]);
        x.empty("patternFill", &[("patternType", pattern)]);
        x.close("fill");
    }
    x.open("fill", &[]);
    x.open("patternFill", &[("patternType", "solid")]);
    x.empty("fgColor", &[("rgb", "FFDDE5F0")]);
    x.empty("bgColor", &[("indexed", "64")]);
    x.close("patternFill");
    x.close("fill");
    x.close("fills");
    x.open("borders", &[("count", "1")]);
    x.open("border", &[]);
    for side in ["left", "right", "top", "bottom", "diagonal"] {
        x.empty(side, &[]);
    }
    x.close("border");
    x.close("borders");
    x.open("cellStyleXfs", &[("count", "1")]);
    x.empty(
        "xf",
        &[
            ("numFmtId", "0"),
            ("fontId", "0"),
            ("fillId", "0"),
            ("borderId", "0"),
        ],
    );
    x.close("cellStyleXfs");
    // 0 default, 1 body, 2 header, 3 link, 4 title, 5 label.
    x.open("cellXfs", &[("count", "6")]);
    x.empty(
        "xf",
        &[
            ("numFmtId", "0"),
            ("fontId", "0"),
            ("fillId", "0"),
            ("borderId", "0"),
            ("xfId", "0"),
        ],
    );
    for (font, fill, wrap) in [("0", "0", true), ("1", "2", true), ("2", "0", true)]
        .into_iter()
        .chain([("3", "0", false), ("1", "0", true)])
    {
        x.open(
            "xf",
            &[
                ("numFmtId", "0"),
                ("fontId", font),
                ("fillId", fill),
                ("borderId", "0"),
                ("xfId", "0"),
                ("applyFont", "1"),
                ("applyFill", if fill == "0" { "0" } else { "1" }),
                ("applyAlignment", "1"),
            ],
        );
        if wrap {
            x.empty("alignment", &[("vertical", "top"), ("wrapText", "1")]);
        } else {
            x.empty("alignment", &[("vertical", "top")]);
        }
        x.close("xf");
    }
    x.close("cellXfs");
    x.open("cellStyles", &[("count", "1")]);
    x.empty(
        "cellStyle",
        &[("name", "Normal"), ("xfId", "0"), ("builtinId", "0")],
    );
    x.close("cellStyles");
    x.close("styleSheet");
    x.finish()
}

/// The choices of a drop-down joined by `sep`, as many as fit in `room`
/// bytes (a validation list holds at most 255 characters).
pub(crate) fn choice_list(choices: &[String], sep: &str, room: usize) -> String {
    let mut out = String::new();
    for c in choices
        .iter()
        .map(|c| clean_choice(c))
        .filter(|c| !c.is_empty())
    {
        let extra = if out.is_empty() { 0 } else { sep.len() };
        if out.len() + extra + c.len() > room {
            break;
        }
        if extra > 0 {
            out.push_str(sep);
        }
        out.push_str(&c);
    }
    out
}

/// `A1:H12`, or with `$` for a defined name.
fn table_range(sheet: &Sheet, absolute: bool) -> String {
    let last_col = column_name(sheet.columns.len().max(1) - 1);
    let last_row = sheet.flat_rows().len() + 1;
    if absolute {
        format!("$A$1:${last_col}${last_row}")
    } else {
        format!("A1:{last_col}{last_row}")
    }
}

/// Collects a sheet's hyperlinks while its cells are written.
struct Links {
    refs: Vec<(String, String)>,
}

impl Links {
    fn new() -> Links {
        Links { refs: Vec::new() }
    }

    /// The relationship id for `url` at cell `at`.
    fn add(&mut self, at: String, url: &str) {
        self.refs.push((at, url.to_string()));
    }

    fn write_refs(&self, x: &mut Xml) {
        if self.refs.is_empty() {
            return;
        }
        x.open("hyperlinks", &[]);
        for (i, (at, _)) in self.refs.iter().enumerate() {
            let id = format!("rId{}", i + 1);
            x.empty("hyperlink", &[("ref", at), ("r:id", &id)]);
        }
        x.close("hyperlinks");
    }

    /// About the size of the relations' XML: a relationship is its URL and
    /// ~150 bytes around it.
    fn rels_size(&self) -> usize {
        self.refs
            .iter()
            .map(|(_, url)| url.len() + 160)
            .sum::<usize>()
            + 512
    }

    fn rels(&self) -> Result<Vec<u8>, Error> {
        let mut x = Xml::with_capacity(self.rels_size());
        self.write_rels(&mut x);
        x.finish()
    }

    /// The relations into the zip part `path`; those of thousands of links
    /// (megabytes) are written as they are made.
    fn rels_part(&self, zip: &mut Zip, path: &str) -> Result<(), Error> {
        if self.rels_size() < 64 * 1024 {
            return zip.part(path, &self.rels()?, true);
        }
        let mut x = Xml::part(zip, path)?;
        self.write_rels(&mut x);
        x.end()
    }

    fn write_rels(&self, x: &mut Xml) {
        x.open("Relationships", &[("xmlns", PKG_REL)]);
        for (i, (_, url)) in self.refs.iter().enumerate() {
            let id = format!("rId{}", i + 1);
            x.empty(
                "Relationship",
                &[
                    ("Id", &id),
                    ("Type", HYPERLINK),
                    ("Target", url),
                    ("TargetMode", "External"),
                ],
            );
        }
        x.close("Relationships");
    }
}

/// A text cell.
fn text_cell(x: &mut Xml, at: &str, style: &str, text: &str) {
    if text.is_empty() {
        // Styled, without a value: what a spreadsheet writes for a blank.
        x.empty("c", &[("r", at), ("s", style)]);
        return;
    }
    x.open("c", &[("r", at), ("s", style), ("t", "inlineStr")]);
    x.open("is", &[]);
    x.leaf("t", &[("xml:space", "preserve")], &cleaned(text));
    x.close("is");
    x.close("c");
}

/// A cell of any kind; a cell with links links to the first safe one
/// (a cell holds one hyperlink) and shows every link's text.
fn cell(x: &mut Xml, links: &mut Links, at: String, cell: &Cell) {
    match cell {
        Cell::Text(t) => text_cell(x, &at, BODY, t),
        Cell::Links(l) => {
            let url = l.iter().find_map(|l| safe_url(&l.url));
            text_cell(
                x,
                &at,
                if url.is_some() { LINK } else { BODY },
                &cell.text(),
            );
            if let Some(url) = url {
                links.add(at, url);
            }
        }
    }
}

fn sheet_start(x: &mut Xml, selected: bool, frozen: bool) {
    x.open("worksheet", &[("xmlns", MAIN), ("xmlns:r", REL)]);
    x.open("sheetViews", &[]);
    let mut view = vec![("workbookViewId", "0")];
    if selected {
        view.push(("tabSelected", "1"));
    }
    if frozen {
        x.open("sheetView", &view);
        x.empty(
            "pane",
            &[
                ("ySplit", "1"),
                ("topLeftCell", "A2"),
                ("activePane", "bottomLeft"),
                ("state", "frozen"),
            ],
        );
        x.empty(
            "selection",
            &[
                ("pane", "bottomLeft"),
                ("activeCell", "A2"),
                ("sqref", "A2"),
            ],
        );
        x.close("sheetView");
    } else {
        x.empty("sheetView", &view);
    }
    x.close("sheetViews");
    x.empty("sheetFormatPr", &[("defaultRowHeight", "15")]);
}

fn cols(x: &mut Xml, widths: &[f64]) {
    x.open("cols", &[]);
    for (i, w) in widths.iter().enumerate() {
        let n = (i + 1).to_string();
        let w = format!("{:.1}", w + 0.7);
        x.empty(
            "col",
            &[
                ("min", &n),
                ("max", &n),
                ("width", &w),
                ("customWidth", "1"),
            ],
        );
    }
    x.close("cols");
}

fn about_sheet(book: &Book) -> (Result<Vec<u8>, Error>, Result<Vec<u8>, Error>) {
    let about = &book.about;
    let mut x = Xml::new();
    let mut links = Links::new();
    sheet_start(&mut x, book.sheets.is_empty(), false);
    cols(&mut x, &[30.0, 100.0]);
    x.open("sheetData", &[]);
    let mut r = 1;
    x.open("row", &[("r", "1")]);
    text_cell(&mut x, "A1", TITLE, &about.title);
    x.close("row");
    r += 1; // an empty row under the title
    for [label, value] in &about.lines {
        r += 1;
        let n = r.to_string();
        x.open("row", &[("r", &n)]);
        text_cell(&mut x, &format!("A{r}"), LABEL, label);
        let url = safe_url(value).filter(|u| u.contains("://"));
        text_cell(
            &mut x,
            &format!("B{r}"),
            if url.is_some() { LINK } else { BODY },
            value,
        );
        if let Some(url) = url {
            links.add(format!("B{r}"), url);
        }
        x.close("row");
    }
    r += 1; // an empty row after the explanation
    for note in &about.notes {
        r += 1;
        let n = r.to_string();
        x.open("row", &[("r", &n)]);
        text_cell(&mut x, &format!("A{r}"), BODY, note);
        x.close("row");
    }
    x.close("sheetData");
    links.write_refs(&mut x);
    x.close("worksheet");
    (x.finish(), links.rels())
}

/// Writes a data sheet into the part `path` of `zip` as it is made, and
/// returns its hyperlinks.
fn data_sheet(zip: &mut Zip, path: &str, sheet: &Sheet, selected: bool) -> Result<Links, Error> {
    let mut x = Xml::part(zip, path)?;
    let mut links = Links::new();
    sheet_start(&mut x, selected, true);
    cols(&mut x, &widths(sheet));
    x.open("sheetData", &[]);
    let names: Vec<String> = (0..sheet.columns.len()).map(column_name).collect();
    x.open("row", &[("r", "1")]);
    for (name, c) in names.iter().zip(&sheet.columns) {
        text_cell(&mut x, &format!("{name}1"), HEADER, &c.header);
    }
    x.close("row");
    let rows = sheet.flat_rows();
    for (n, (row, _)) in rows.iter().enumerate() {
        let r = n + 2;
        let rs = r.to_string();
        x.open("row", &[("r", &rs)]);
        for (name, c) in names.iter().zip(&row.cells) {
            cell(&mut x, &mut links, format!("{name}{r}"), c);
        }
        x.close("row");
    }
    x.close("sheetData");
    x.empty("autoFilter", &[("ref", &table_range(sheet, false))]);
    let lists: Vec<(usize, String)> = sheet
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.choices.is_empty())
        .map(|(i, c)| (i, format!("\"{}\"", choice_list(&c.choices, ",", 253))))
        .collect();
    if !lists.is_empty() && !rows.is_empty() {
        let count = lists.len().to_string();
        x.open("dataValidations", &[("count", &count)]);
        for (i, formula) in &lists {
            let col = column_name(*i);
            let sqref = format!("{col}2:{col}{}", rows.len() + 1);
            x.open(
                "dataValidation",
                &[
                    ("type", "list"),
                    ("allowBlank", "1"),
                    ("showInputMessage", "1"),
                    ("showErrorMessage", "1"),
                    ("sqref", &sqref),
                ],
            );
            x.leaf("formula1", &[], formula);
            x.close("dataValidation");
        }
        x.close("dataValidations");
    }
    links.write_refs(&mut x);
    x.close("worksheet");
    x.end()?;
    Ok(links)
}
