//! Positions and addresses: byte offsets of kader's source texts and
//! character columns of its diagnostics as LSP positions (UTF-16 code
//! units), file paths as `file:` URIs.

use crate::diagnostics::SourceText;
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// UTF-16 length of the first `chars` characters of `line`.
fn utf16_of_chars(line: &str, chars: usize) -> u32 {
    line.chars().take(chars).map(|c| c.len_utf16() as u32).sum()
}

/// The LSP position of a byte offset of `src`.
pub fn position(src: &SourceText, offset: usize) -> Position {
    let (line, col) = src.line_col(offset);
    Position::new(
        (line - 1) as u32,
        utf16_of_chars(src.line_text(line), col - 1),
    )
}

/// The LSP range of the bytes `start..end` of `src`.
pub fn range(src: &SourceText, start: usize, end: usize) -> Range {
    Range::new(position(src, start), position(src, end.max(start)))
}

/// The LSP position of a 1-based line and character column (as kader's
/// diagnostics give them), on a line whose text is known, if it is.
pub fn line_col(line_text: Option<&str>, line: usize, column: usize) -> Position {
    let character = match line_text {
        Some(t) => {
            let chars = column.saturating_sub(1);
            utf16_of_chars(t, chars) + chars.saturating_sub(t.chars().count()) as u32
        }
        None => column.saturating_sub(1) as u32,
    };
    Position::new(line.saturating_sub(1) as u32, character)
}

/// The byte offset of an LSP position in `src` (clamped to its line).
pub fn offset(src: &SourceText, pos: Position) -> usize {
    let line = pos.line as usize + 1;
    if line > src.line_count() {
        return src.text.len();
    }
    let start = src.line_start(line);
    let text = src.line_text(line);
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    start + text.len()
}

/// Characters that stay as they are in a `file:` URI's path.
fn keeps(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~')
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for &b in path.to_string_lossy().as_bytes() {
        if keeps(b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

/// The path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host.
    let path = if rest.starts_with('/') {
        rest
    } else {
        let (host, path) = rest.split_once('/')?;
        if host != "localhost" {
            return None;
        }
        &rest[host.len()..][..path.len() + 1]
    };
    Some(PathBuf::from(crate::parse::escape::decode_percent(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let src = SourceText::new("x.md", "a𝄞b\néé\n");
        let b = src.text.find('b').unwrap();
        assert_eq!(position(&src, b), Position::new(0, 3));
        assert_eq!(offset(&src, Position::new(0, 3)), b);
        assert_eq!(
            offset(&src, Position::new(1, 1)),
            src.text.find('é').unwrap() + 2
        );
        assert_eq!(offset(&src, Position::new(1, 99)), src.text.len() - 1);
        assert_eq!(line_col(Some("a𝄞b"), 1, 3), Position::new(0, 3));
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/a b/ë.md");
        let uri = uri_of(p);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%AB.md");
        assert_eq!(path_of(&uri).unwrap(), p);
    }
}
