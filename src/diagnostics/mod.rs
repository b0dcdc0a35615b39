//! Diagnostics: every content problem found by any stage is a [`Diagnostic`].
//!
//! Stages never print or log problems; they push diagnostics into a
//! [`Diagnostics`] collection that the CLI reports at the end of a run, so a
//! single run shows every problem at once.

mod ci;
mod codes;
mod report;
mod source;
pub mod yaml_paths;

pub use ci::{render_github, render_sarif};
pub use codes::{Code, SeverityOverrides};
pub use report::{render_human, render_json, summary_line};
pub use source::SourceText;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, pinned to a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The source line the position points into, for human output; of a
    /// long line only the part around the position (see `source_from`).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The 1-based column of the line that the first character of
    /// `source_line` stands for (1 unless a long line was cut; a cut is shown
    /// by `…`, which stands for the characters left out).
    #[serde(skip)]
    pub source_from: usize,
    /// Number of characters to underline (at least 1 when a line is known).
    #[serde(skip)]
    pub width: usize,
    /// A replacement that fixes the problem (the did-you-mean applied, a
    /// missing field added), for editors' quick fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Other places that belong to the problem (the first declaration of a
    /// duplicate id).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A machine-applicable fix: replace the bytes `start..end` of the file's
/// text (after a UTF-8 byte-order mark, if any) by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    /// What the fix does, e.g. "replace with `bouwblok`".
    pub title: String,
}

/// Another place a diagnostic refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Path relative to the site root.
    pub file: String,
    /// 1-based line and character column.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Lines up to this many bytes are kept whole in a diagnostic.
const WHOLE_LINE: usize = 240;
/// Characters kept on either side of the marked part of a longer line.
const AROUND: usize = 80;

/// The part of a source line a diagnostic keeps: the whole line when it is
/// short, otherwise the marked characters (from byte `byte`, character
/// column `column`) with `AROUND` characters on either side, a `…` for each
/// cut; only the kept characters are visited, however long the line.
/// Returns the text and the column its first character stands for.
fn excerpt_at(line: &str, byte: usize, column: usize, width: usize) -> (String, usize) {
    if line.len() <= WHOLE_LINE {
        return (line.to_string(), 1);
    }
    let mut from = byte.min(line.len());
    while !line.is_char_boundary(from) {
        from -= 1;
    }
    let mut kept_before = 0;
    while from > 0 && kept_before < AROUND {
        from -= 1;
        while !line.is_char_boundary(from) {
            from -= 1;
        }
        kept_before += 1;
    }
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let take = kept_before + width.min(AROUND) + AROUND;
    let mut chars = line[from..].chars();
    text.extend(chars.by_ref().take(take));
    if chars.next().is_some() {
        text.push('…');
    }
    let first_kept = column - kept_before;
    let source_from = if from > 0 { first_kept - 1 } else { 1 };
    (text, source_from)
}

impl Diagnostic {
    /// A diagnostic about a whole file (no line known).
    pub fn file(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code: code.id(),
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            source_from: 1,
            width: 0,
            fix: None,
            related: Vec::new(),
        }
    }

    /// A diagnostic at a byte range of a source text.
    pub fn at(
        code: Code,
        source: &SourceText,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = source.line_col(start);
        let line_text = source.line_text(line);
        let end_col = if source.line_col(end.max(start)).0 == line {
            source.line_col(end.max(start)).1
        } else {
            line_text.chars().count() + 1
        };
        let width = end_col.saturating_sub(column).max(1);
        let in_line = start.min(source.text.len()) - source.line_start(line);
        let (excerpt, source_from) = excerpt_at(line_text, in_line, column, width);
        Diagnostic {
            severity: code.default_severity(),
            code: code.id(),
            file: source.path.clone(),
            line,
            column,
            message: message.into(),
            hint: None,
            source_line: Some(excerpt),
            source_from,
            width,
            fix: None,
            related: Vec::new(),
        }
    }

    /// A diagnostic at an explicit 1-based line and column.
    pub fn at_line_col(
        code: Code,
        source: &SourceText,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Self {
        let width = width.max(1);
        let (source_line, source_from) = match line {
            0 => (None, 1),
            _ => {
                let text = source.line_text(line);
                let byte = text
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(text.len(), |(b, _)| b);
                let (text, from) = excerpt_at(text, byte, column.max(1), width);
                (Some(text), from)
            }
        };
        Diagnostic {
            severity: code.default_severity(),
            code: code.id(),
            file: source.path.clone(),
            line,
            column,
            message: message.into(),
            hint: None,
            source_line,
            source_from,
            width,
            fix: None,
            related: Vec::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Adds a fix replacing `start..end` of the file by `replacement`.
    pub fn with_fix(self, start: usize, end: usize, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        let title = format!("replace with `{replacement}`");
        self.with_fix_titled(start, end, replacement, title)
    }

    /// Adds a fix with its own description.
    pub fn with_fix_titled(
        mut self,
        start: usize,
        end: usize,
        replacement: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        let (replacement, title) = (replacement.into(), title.into());
        self.fix = Some(Fix {
            start,
            end,
            replacement,
            title,
        });
        self
    }

    /// Adds a fix that only applies when the source says `expected` at
    /// `start..end` (a did-you-mean for text written there as it is).
    pub fn with_fix_if(
        self,
        source: &SourceText,
        start: usize,
        end: usize,
        expected: &str,
        replacement: Option<String>,
    ) -> Self {
        match replacement {
            Some(r) if source.text.get(start..end) == Some(expected) => {
                self.with_fix(start, end, r)
            }
            _ => self,
        }
    }

    /// Adds a related place at a byte offset of a source text.
    pub fn with_related(
        mut self,
        source: &SourceText,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = source.line_col(offset);
        self.related.push(Related {
            file: source.path.clone(),
            line,
            column,
            message: message.into(),
        });
        self
    }

    /// As [`Diagnostic::with_related`], when the offset is known.
    pub fn with_related_opt(
        self,
        source: &SourceText,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        match offset {
            Some(o) => self.with_related(source, o, message),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems collected during one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Applies configured severities (dropping findings set to `off`) and,
    /// with `strict`, turns every warning into an error.
    pub fn apply_policy(&mut self, overrides: &SeverityOverrides, strict: bool) {
        self.items
            .retain_mut(|d| match overrides.severity_for(d.code) {
                Some(None) => false,
                Some(Some(s)) => {
                    d.severity = s;
                    true
                }
                None => true,
            });
        if strict {
            for d in &mut self.items {
                d.severity = Severity::Error;
            }
        }
    }

    /// Sorts by file, line and column, and removes exact duplicates.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Number of distinct files that have at least one diagnostic.
    pub fn file_count(&self) -> usize {
        let mut files: Vec<&str> = self.items.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

pub use kader_suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_turns_warnings_into_errors_and_off_drops() {
        let src = SourceText::new("a.md", "hello\nworld\n");
        let mut ds: Diagnostics = [
            Diagnostic::at(Code::EmptyList, &src, 6, 11, "w"),
            Diagnostic::at(Code::BrokenPageLink, &src, 0, 5, "e"),
        ]
        .into_iter()
        .collect();
        let mut overrides = SeverityOverrides::default();
        overrides.set("broken_page_link", None).unwrap();
        ds.apply_policy(&overrides, true);
        let v = ds.sorted();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].severity, Severity::Error);
        assert_eq!((v[0].line, v[0].column, v[0].width), (2, 1, 5));
    }
}
