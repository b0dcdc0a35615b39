//! The answers of the browser's search as JSON, written without serde so
//! that the WebAssembly module stays small. `crates/wasm` hands these
//! strings to `static/kader-search.js` unchanged.

use crate::{Hit, Language, Searcher};
use std::fmt::Write as _;

/// `s` as a JSON string.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Byte offset in `s` → UTF-16 offset (what JavaScript string indices use).
pub fn utf16_offset(s: &str, byte: usize) -> usize {
    let mut b = byte.min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    s[..b].encode_utf16().count()
}

/// A JSON array of names.
pub fn names(names: &[String]) -> String {
    let items: Vec<String> = names.iter().map(|n| string(n)).collect();
    format!("[{}]", items.join(","))
}

/// `{"lang":"nl","pages":n,"chunks":n}` of an index.
pub fn info(searcher: &Searcher) -> String {
    let lang = match searcher.language() {
        Language::Nl => "nl",
        Language::En => "en",
    };
    format!(
        "{{\"lang\":\"{lang}\",\"pages\":{},\"chunks\":{}}}",
        searcher.page_count(),
        searcher.chunk_names().len()
    )
}

/// `{"fragments":[names],"count":n}`: what a query still needs, and its
/// number of hits.
pub fn run(fragments: &[String], count: usize) -> String {
    format!("{{\"fragments\":{},\"count\":{count}}}", names(fragments))
}

/// The results of `hits`, best first, as `[{url, title, section, snippet,
/// highlights, titleHighlights}]`; highlight ranges are `[start, end)`
/// pairs of UTF-16 offsets into `snippet` and `title`. A hit whose fragment
/// is not loaded is left out.
pub fn results(searcher: &Searcher, hits: &[Hit]) -> String {
    let mut out = String::from("[");
    for view in hits.iter().filter_map(|hit| searcher.result(hit)) {
        if out.len() > 1 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"url\":{},\"title\":{},\"section\":{},\"snippet\":{},\"highlights\":{},\"titleHighlights\":{}}}",
            string(&view.url_with_anchor),
            string(&view.title),
            string(&view.section_heading),
            string(&view.snippet),
            ranges(&view.snippet, &view.highlights),
            ranges(&view.title, &view.title_highlights),
        );
    }
    out.push(']');
    out
}

/// Byte ranges in `s` as `[[start,end],…]` in UTF-16 offsets.
fn ranges(s: &str, ranges: &[(usize, usize)]) -> String {
    let items: Vec<String> = ranges
        .iter()
        .map(|&(a, b)| format!("[{},{}]", utf16_offset(s, a), utf16_offset(s, b)))
        .collect();
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_names_and_utf16() {
        assert_eq!(string("a\"b\\\n\u{1}"), "\"a\\\"b\\\\\\n\\u0001\"");
        assert_eq!(utf16_offset("één𝄞x", "één𝄞".len()), 5);
        assert_eq!(utf16_offset("é", 1), 0, "inside a character: its start");
        assert_eq!(names(&["a".into(), "b\"".into()]), "[\"a\",\"b\\\"\"]");
        assert_eq!(run(&[], 3), "{\"fragments\":[],\"count\":3}");
    }
}
