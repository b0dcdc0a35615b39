//! Spreadsheets of a knowledge base: plain rows in, XLSX, ODS or CSV bytes
//! out. No I/O: kader builds a [`Catalog`] per language (every page of every
//! collection, and the "Vereisten voor jou" checklist), the caller picks
//! rows with a [`Selection`] ([`select`]) and writes the [`Book`] with
//! [`xlsx`], [`ods`] or [`csv`]. The command line, the build and the
//! browser (through `crates/wasm`) run this same code.
//!
//! Every book has an explanation sheet first, then one sheet per
//! collection (or the checklist): a bold header row that stays in view
//! (frozen), an autofilter over the table, column widths that fit the
//! contents, wrapped text, hyperlinks on titles and cross references, and a
//! drop-down (data validation) on columns with [`Column::choices`].
//!
//! **Safety.** One rule, [`clean`], applies to every text that reaches a
//! cell, a sheet name or a drop-down choice, in every format: control
//! characters go, a text that a spreadsheet would read as a formula (`=`,
//! `+`, `-`, `@`) gets a leading `'`, and a text longer than
//! [`MAX_CELL`] UTF-16 units is cut. Only `http(s)` and relative URLs
//! become hyperlinks ([`safe_url`]); any other link is written as plain
//! text. The XML inside the files is written by `quick-xml` (escaped), the
//! zip containers by `zip`: a hostile value cannot produce a formula, a
//! `javascript:` link or broken XML.

mod clean;
mod csv;
mod ods;
mod xlsx;
mod xml;

pub use clean::{clean, clean_choice, safe_url, sheet_names, MAX_CELL};
pub use csv::{csv, csv_field};
pub use ods::ods;
pub use xlsx::xlsx;

use serde::{Deserialize, Serialize};

/// A hyperlink in a cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub text: String,
    pub url: String,
}

impl Link {
    /// The text a link shows: on one line, runs of white space as one
    /// space, as a web page shows it (and as LibreOffice keeps a link's
    /// text).
    pub fn shown(&self) -> String {
        let cleaned = clean::cleaned(&self.text);
        let mut out = String::with_capacity(cleaned.len());
        for word in cleaned.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }
}

/// One cell: text, or one or more links (a title, a measure's requirements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Links(Vec<Link>),
}

impl Cell {
    /// A cell holding one link.
    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Cell {
        Cell::Links(vec![Link {
            text: text.into(),
            url: url.into(),
        }])
    }

    /// The cell as plain text: the text, or the links' texts one per line
    /// (see [`Link::shown`]).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Links(l) => l.iter().map(Link::shown).collect::<Vec<_>>().join("\n"),
        }
    }
}

impl Default for Cell {
    fn default() -> Cell {
        Cell::Text(String::new())
    }
}

/// A column of a sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    /// Width in characters; `None` fits the contents (between 8 and 60).
    #[serde(default)]
    pub width: Option<u16>,
    /// The values a drop-down offers in this column (a data validation
    /// that allows only these); empty for a free column.
    #[serde(default)]
    pub choices: Vec<String>,
}

impl Column {
    pub fn new(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            width: None,
            choices: Vec::new(),
        }
    }
}

/// A row of a sheet. `children` follow it directly (a requirement's
/// measures in the checklist).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Row {
    /// What a [`Selection`] names the row by (kader: the content page).
    #[serde(default)]
    pub key: String,
    pub cells: Vec<Cell>,
    #[serde(default)]
    pub children: Vec<Row>,
}

/// A sheet of rows under a header row.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Sheet {
    /// What a [`Selection`] names the sheet by (kader: the collection).
    #[serde(default)]
    pub id: String,
    /// The tab's name (made safe and unique when written).
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Sheet {
    /// The rows with their children, in order, each with its depth.
    pub fn flat_rows(&self) -> Vec<(&Row, usize)> {
        fn walk<'a>(rows: &'a [Row], depth: usize, out: &mut Vec<(&'a Row, usize)>) {
            for r in rows {
                out.push((r, depth));
                walk(&r.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.rows, 0, &mut out);
        out
    }
}

/// The explanation sheet: a title, then label/value lines, an empty row,
/// and notes (how to use the file).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct About {
    /// The tab's name.
    pub name: String,
    pub title: String,
    /// Label and value, one line each (source, build date, version,
    /// licence, the active filters).
    pub lines: Vec<[String; 2]>,
    pub notes: Vec<String>,
}

/// A workbook: the explanation sheet and the data sheets.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Book {
    /// The document's title (file properties).
    pub title: String,
    /// The language of its texts (`nl`, `en`).
    #[serde(default)]
    pub lang: String,
    pub about: About,
    pub sheets: Vec<Sheet>,
}

/// Everything a site offers for export in one language.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Catalog {
    /// The full book: one sheet per collection.
    pub book: Book,
    /// The checklist ("Vereisten voor jou"): requirements with their
    /// measures as children.
    #[serde(default)]
    pub checklist: Option<Checklist>,
}

/// The checklist's sheet and its own explanation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Checklist {
    pub title: String,
    pub about: About,
    pub sheet: Sheet,
}

impl Checklist {
    /// The checklist as a book of its own: its explanation, then its sheet
    /// (what [`select`] gives for the checklist without filters or keys).
    pub fn into_book(self, lang: &str) -> Book {
        Book {
            title: self.title,
            lang: lang.to_string(),
            about: self.about,
            sheets: vec![self.sheet],
        }
    }
}

/// Which part of a [`Catalog`] to write.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Selection {
    /// The checklist instead of the collections.
    #[serde(default)]
    pub checklist: bool,
    /// Only the sheet with this id (a collection); `None`: all.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Only these rows, in this order (children too are kept only when
    /// named); `None`: all.
    #[serde(default)]
    pub keys: Option<Vec<String>>,
    /// Label/value lines added to the explanation (the active filters).
    #[serde(default)]
    pub filters: Vec<[String; 2]>,
}

/// The book that `selection` picks from `catalog`. A checklist selection
/// of a catalog without one gives a book without data sheets.
pub fn select(catalog: &Catalog, selection: &Selection) -> Book {
    let (title, mut about, sheets): (String, About, Vec<&Sheet>) = if selection.checklist {
        match &catalog.checklist {
            Some(c) => (c.title.clone(), c.about.clone(), vec![&c.sheet]),
            None => (
                catalog.book.title.clone(),
                catalog.book.about.clone(),
                Vec::new(),
            ),
        }
    } else {
        let sheets = catalog
            .book
            .sheets
            .iter()
            .filter(|s| selection.sheet.as_ref().is_none_or(|id| *id == s.id))
            .collect();
        (
            catalog.book.title.clone(),
            catalog.book.about.clone(),
            sheets,
        )
    };
    about.lines.extend(selection.filters.iter().cloned());
    let sheets = sheets
        .into_iter()
        .map(|s| match &selection.keys {
            None => s.clone(),
            Some(keys) => Sheet {
                rows: pick(&s.rows, keys),
                ..s.clone()
            },
        })
        .collect();
    Book {
        title,
        lang: catalog.book.lang.clone(),
        about,
        sheets,
    }
}

/// The rows named by `keys`, in the order of `keys` (each once), with
/// their children narrowed the same way.
fn pick(rows: &[Row], keys: &[String]) -> Vec<Row> {
    let wanted: std::collections::HashSet<&str> = keys.iter().map(String::as_str).collect();
    let by_key: std::collections::HashMap<&str, &Row> =
        rows.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut seen = std::collections::HashSet::new();
    keys.iter()
        .filter(|k| seen.insert(k.as_str()))
        .filter_map(|k| by_key.get(k.as_str()))
        .map(|r| Row {
            children: r
                .children
                .iter()
                .filter(|c| wanted.contains(c.key.as_str()))
                .cloned()
                .collect(),
            ..(*r).clone()
        })
        .collect()
}

/// Why a book could not be written (only ever a failure of the zip or XML
/// writers, which work in memory).
#[derive(Debug, Clone, PartialEq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write the spreadsheet: {}", self.0)
    }
}

impl std::error::Error for Error {}

/// Column widths in characters: the given ones, else the longest line of
/// the header or a cell (cut at 60), at least 8.
fn widths(sheet: &Sheet) -> Vec<f64> {
    let rows = sheet.flat_rows();
    sheet
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if let Some(w) = c.width {
                return f64::from(w.clamp(1, 255));
            }
            let longest = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            let cells = rows
                .iter()
                .filter_map(|(r, _)| r.cells.get(i))
                .map(|c| match c {
                    Cell::Text(t) => longest(t),
                    Cell::Links(_) => longest(&c.text()),
                })
                .max()
                .unwrap_or(0);
            let choices = c.choices.iter().map(|s| longest(s) + 3).max().unwrap_or(0);
            (longest(&c.header) + 2)
                .max(cells)
                .max(choices)
                .clamp(8, 60) as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{select, Book, Catalog, Cell, Checklist, Column, Link, Row, Selection, Sheet};

    fn sheet(id: &str, keys: &[&str]) -> Sheet {
        Sheet {
            id: id.into(),
            name: id.into(),
            columns: vec![Column::new("Titel")],
            rows: keys
                .iter()
                .map(|k| Row {
                    key: k.to_string(),
                    cells: vec![Cell::Text(format!("rij {k}"))],
                    children: vec![Row {
                        key: format!("{k}-m"),
                        ..Row::default()
                    }],
                })
                .collect(),
        }
    }

    fn catalog() -> Catalog {
        let mut book = Book {
            title: "Kennisbank".into(),
            lang: "nl".into(),
            ..Book::default()
        };
        book.about
            .lines
            .push(["Bron".into(), "https://example.org/".into()]);
        book.sheets = vec![
            sheet("vereisten", &["a", "b"]),
            sheet("maatregelen", &["c"]),
        ];
        let mut checklist = Checklist {
            title: "Checklist".into(),
            sheet: sheet("checklist", &["a", "c"]),
            ..Checklist::default()
        };
        checklist.about.notes.push("Vul de kolom Status in.".into());
        Catalog {
            book,
            checklist: Some(checklist),
        }
    }

    #[test]
    fn the_default_selection_is_the_book_and_the_checklist_its_own_book() {
        let c = catalog();
        assert_eq!(select(&c, &Selection::default()), c.book);
        let checklist = Selection {
            checklist: true,
            ..Selection::default()
        };
        let book = c.checklist.clone().unwrap().into_book(&c.book.lang);
        assert_eq!(select(&c, &checklist), book);
        assert_eq!(book.sheets.len(), 1);
        assert_eq!(book.title, "Checklist");
    }

    #[test]
    fn a_link_shows_its_text_on_one_line() {
        let link = |text: &str| Link {
            text: text.to_string(),
            url: String::new(),
        };
        assert_eq!(
            link("  Wet\n\tgegevens  verwerking ").shown(),
            "Wet gegevens verwerking"
        );
        assert_eq!(link("=1+1").shown(), "'=1+1");
        assert_eq!(link("").shown(), "");
    }
}
