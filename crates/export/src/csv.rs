//! CSV (RFC 4180, `\r\n` line ends) with the same neutralisation as the
//! spreadsheets.

use crate::clean::clean;
use crate::{Book, Cell};

/// One field: [`clean`], quoted when it holds a comma, a quote or a line
/// break.
pub fn csv_field(text: &str) -> String {
    let cell = clean(text);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let fields: Vec<String> = cells.into_iter().map(|c| csv_field(&c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// The book's data sheets as one CSV table. Columns are matched by header
/// across sheets (in the order they first appear); a column holding links
/// is followed by one with their URLs (space-separated; only safe ones).
/// With more than one sheet a first column names the sheet.
pub fn csv(book: &Book) -> String {
    let mut out = String::new();
    if book.sheets.is_empty() {
        return out;
    }
    let several = book.sheets.len() > 1;
    // (header, holds links) in order of appearance.
    let mut columns: Vec<(String, bool)> = Vec::new();
    for s in &book.sheets {
        let rows = s.flat_rows();
        for (i, c) in s.columns.iter().enumerate() {
            let links = rows
                .iter()
                .any(|(r, _)| matches!(r.cells.get(i), Some(Cell::Links(_))));
            match columns.iter_mut().find(|(h, _)| *h == c.header) {
                Some(col) => col.1 |= links,
                None => columns.push((c.header.clone(), links)),
            }
        }
    }
    let mut header = Vec::new();
    if several {
        header.push(String::new());
    }
    for (h, links) in &columns {
        header.push(h.clone());
        if *links {
            header.push(format!("{h} (URL)"));
        }
    }
    push_row(&mut out, header);
    for s in &book.sheets {
        for (r, _) in s.flat_rows() {
            let mut fields = Vec::new();
            if several {
                fields.push(s.name.clone());
            }
            for (h, links) in &columns {
                let cell = s
                    .columns
                    .iter()
                    .position(|c| c.header == *h)
                    .and_then(|i| r.cells.get(i))
                    .cloned()
                    .unwrap_or_default();
                fields.push(cell.text().replace('\n', "; "));
                if *links {
                    let urls = match &cell {
                        Cell::Links(l) => l
                            .iter()
                            .filter_map(|l| crate::safe_url(&l.url))
                            .collect::<Vec<_>>()
                            .join(" "),
                        Cell::Text(_) => String::new(),
                    };
                    fields.push(urls);
                }
            }
            push_row(&mut out, fields);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("a\nb"), "\"a\nb\"");
        assert_eq!(csv_field("ok"), "ok");
    }
}
