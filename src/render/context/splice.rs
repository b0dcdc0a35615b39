//! Pieces spliced into a page after its template rendered it. A table row
//! or a grouped item is rendered once and shown on many pages (the
//! overview, term pages, "Vereisten voor jou"); a page's context holds a
//! short marker in its place, so that the rows of a list of thousands are
//! neither copied into the template's values nor through the template, and
//! the page's scan is assembled from the piece's scan, taken once, instead
//! of searching its HTML again in every file that shows it.
//!
//! A marker is `\u{1}` and a number, then `\u{2}`: control characters no
//! page holds, which HTML escaping leaves alone.

use crate::render::scan::{assemble, Links, Part, Scan};
use std::cell::RefCell;
use std::sync::Arc;

/// Rendered HTML and what validation needs of it.
#[derive(Debug)]
pub struct Piece {
    pub html: Box<str>,
    part: Part,
}

impl Piece {
    pub fn new(html: &str, base: &str, links: &Links) -> Piece {
        Piece {
            part: Part::of(html.as_bytes(), base, links),
            html: html.into(),
        }
    }
}

const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// The pieces one page shows, by marker.
#[derive(Default)]
pub struct Splices {
    runs: RefCell<Vec<Vec<Arc<Piece>>>>,
}

impl Splices {
    /// A marker that stands for `pieces`, one per line.
    pub fn marker(&self, pieces: Vec<Arc<Piece>>) -> String {
        let mut runs = self.runs.borrow_mut();
        runs.push(pieces);
        format!("{OPEN}{}{CLOSE}", runs.len() - 1)
    }

    /// The page `html` with its markers replaced by their pieces, and its
    /// scan as the file at `path` (`None` when it has no pieces: it is
    /// then scanned as any file).
    pub fn splice(
        self,
        html: String,
        path: &str,
        base: &str,
        links: &Links,
    ) -> (String, Option<Scan>) {
        let runs = self.runs.into_inner();
        if runs.is_empty() {
            return (html, None);
        }
        let mut out = String::with_capacity(
            html.len()
                + runs
                    .iter()
                    .flatten()
                    .map(|p| p.html.len() + 1)
                    .sum::<usize>(),
        );
        let mut shown: Vec<&Piece> = Vec::new();
        let mut rest = html.as_str();
        while let Some(at) = rest.find(OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + OPEN.len_utf8()..];
            let run = after
                .find(CLOSE)
                .and_then(|end| Some((end, runs.get(after[..end].parse::<usize>().ok()?)?)));
            let Some((end, run)) = run else {
                // Not a marker: kept as it is.
                out.push(OPEN);
                rest = after;
                continue;
            };
            for (i, piece) in run.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&piece.html);
                shown.push(piece);
            }
            rest = &after[end + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        // The page around the pieces is scanned as it went through the
        // template, markers and all: they hold no attribute.
        let around = Part::of(html.as_bytes(), base, links);
        let parts = std::iter::once(&around).chain(shown.iter().map(|p| &p.part));
        let scan = assemble(path, parts);
        (out, Some(scan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scan::scan;

    #[test]
    fn a_spliced_page_is_the_page_and_scans_as_it() {
        let links = Links::default();
        let rows: Vec<Arc<Piece>> = [
            "<tr id=\"r1\"><td><a href=\"/a/\">A</a></td></tr>",
            "<tr><td><a href=\"/b/#x\">B</a> <a href=\"#r1\">up</a> <a href=\"#nergens\">?</a></td></tr>",
        ]
        .iter()
        .map(|h| Arc::new(Piece::new(h, "/", &links)))
        .collect();
        let splices = Splices::default();
        let marker = splices.marker(rows.clone());
        let item = splices.marker(vec![rows[0].clone()]);
        let html = format!(
            "<h1 id=\"t\">T</h1><table>{marker}</table>\u{1}9\u{2}<a href=\"/a/\">again</a>{item}<a href=\"#t\">t</a>"
        );
        let (out, spliced) = splices.splice(html, "l/index.html", "/", &links);
        let expected = format!(
            "<h1 id=\"t\">T</h1><table>{}\n{}</table>\u{1}9\u{2}<a href=\"/a/\">again</a>{}<a href=\"#t\">t</a>",
            rows[0].html, rows[1].html, rows[0].html
        );
        assert_eq!(out, expected);
        let whole = scan("l/index.html", out.as_bytes(), "/", &links);
        let spliced = spliced.expect("a page with pieces gets its scan");
        assert_eq!(spliced.ids, whole.ids);
        assert_eq!(spliced.refs, whole.refs);
        assert_eq!(spliced.own, whole.own);
        assert_eq!(whole.own.len(), 1, "{:?}", whole.own);
    }

    #[test]
    fn a_page_without_pieces_is_left_alone() {
        let links = Links::default();
        let html = "<p>\u{1}0\u{2}</p>".to_string();
        let (out, scan) = Splices::default().splice(html.clone(), "p.html", "/", &links);
        assert_eq!(out, html);
        assert!(scan.is_none());
    }
}
