//! Source texts with line indexes, for turning byte offsets into positions.

/// A text file from the site root, with its relative path.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    pub text: String,
    /// Where lines start, made when a position is first asked for: most
    /// texts never need one.
    lines: std::sync::OnceLock<LineIndex>,
}

#[derive(Debug, Clone)]
struct LineIndex {
    /// Byte offsets of line starts.
    starts: Vec<usize>,
    /// Per line: only ASCII, so a column is a byte distance.
    ascii: Vec<bool>,
}

impl SourceText {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            path: path.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.lines.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            let ends = starts.iter().skip(1).copied().chain([self.text.len()]);
            let ascii = starts
                .iter()
                .zip(ends)
                .map(|(&s, e)| self.text[s..e].is_ascii())
                .collect();
            LineIndex { starts, ascii }
        })
    }

    fn line_starts(&self) -> &[usize] {
        &self.index().starts
    }

    /// 1-based line and character column of a byte offset (clamped).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let mut o = offset;
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        // On an ASCII line a column is a byte distance: many findings on
        // one long line stay cheap.
        let col = if self.index().ascii[line - 1] {
            o - start
        } else {
            self.text[start..o].chars().count()
        } + 1;
        (line, col)
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        if line == 0 || line > starts.len() {
            return "";
        }
        let start = starts[line - 1];
        let end = starts.get(line).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let s = SourceText::new("x.md", "één\nab€c\n");
        assert_eq!(s.line_col(0), (1, 1));
        let euro = s.text.find('€').unwrap();
        assert_eq!(s.line_col(euro), (2, 3));
        assert_eq!(s.line_col(euro + 3), (2, 4));
        assert_eq!(s.line_text(2), "ab€c");
        assert_eq!(s.line_text(3), "");
    }
}
