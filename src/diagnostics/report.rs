//! Rendering diagnostics for people (`file:line:col`, source line, caret)
//! and for machines (one JSON array).

use super::{Diagnostic, Severity};
use std::fmt::Write;

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.on {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Renders diagnostics the way a compiler does. `color` adds ANSI colors.
pub fn render_human(diags: &[Diagnostic], color: bool) -> String {
    let p = Palette { on: color };
    let mut out = String::new();
    for d in diags {
        let (style, label) = match d.severity {
            Severity::Error => (RED, "error"),
            Severity::Warning => (YELLOW, "warning"),
        };
        let _ = writeln!(
            out,
            "{}{}",
            p.paint(style, &format!("{label}[{}]", d.code)),
            p.paint(BOLD, &format!(": {}", d.message))
        );
        let location = match (d.line, d.column) {
            (0, _) => d.file.clone(),
            (l, 0) => format!("{}:{l}", d.file),
            (l, c) => format!("{}:{l}:{c}", d.file),
        };
        let gutter_width = d.line.to_string().len();
        let pad = " ".repeat(gutter_width);
        let _ = writeln!(out, "{pad}{} {location}", p.paint(BLUE, "-->"));
        if let (Some(src), true) = (&d.source_line, d.line > 0) {
            let (shown, caret_col, caret_width) = shown_line(d, src);
            let bar = p.paint(BLUE, "|");
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{} {bar} {shown}", p.paint(BLUE, &d.line.to_string()));
            if d.column > 0 {
                let carets = "^".repeat(caret_width.max(1));
                let _ = writeln!(
                    out,
                    "{pad} {bar} {}{}",
                    " ".repeat(caret_col.saturating_sub(1)),
                    p.paint(style, &carets)
                );
            }
        }
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "{pad} {} {h}", p.paint(BLUE, "= hint:"));
        }
        out.push('\n');
    }
    out
}

/// The line as shown (a long line's excerpt) with the caret's column and
/// width on it.
fn shown_line(d: &Diagnostic, excerpt: &str) -> (String, usize, usize) {
    let column = (d.column + 1).saturating_sub(d.source_from).max(1);
    expand_tabs(excerpt, column, d.width)
}

/// Replaces tabs by four spaces and maps a character column and width onto
/// the expanded line, in one pass.
fn expand_tabs(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(line.len());
    let (mut start, mut end) = (None, None);
    let mut at = 1;
    for (i, ch) in line.chars().enumerate() {
        if i + 1 == column {
            start = Some(at);
        }
        if i + 1 == column + width {
            end = Some(at);
        }
        if ch == '\t' {
            shown.push_str("    ");
            at += 4;
        } else {
            shown.push(ch);
            at += 1;
        }
    }
    let start = start.unwrap_or(at);
    let end = end.unwrap_or(at);
    (shown, start, end.saturating_sub(start).max(1))
}

/// One JSON array with every diagnostic.
pub fn render_json(diags: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".to_string())
}

/// `N errors, M warnings in K files`.
pub fn summary_line(errors: usize, warnings: usize, files: usize) -> String {
    fn plural(n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }
    format!(
        "{}, {} in {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(files, "file", "files")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, SourceText};

    #[test]
    fn caret_lines_up_under_tabs() {
        let src = SourceText::new("v.md", "=== \"G\"\n\t<!-- list x boubwlok/g -->\n");
        let start = src.text.find("boubwlok").unwrap();
        let d = Diagnostic::at(
            Code::UnknownTaxonomy,
            &src,
            start,
            start + 8,
            "unknown taxonomy",
        )
        .with_hint("did you mean `bouwblok`?");
        let text = render_human(&[d], false);
        let expected = "error[K0201]: unknown taxonomy\n --> v.md:2:14\n  |\n2 |     <!-- list x boubwlok/g -->\n  |                 ^^^^^^^^\n  = hint: did you mean `bouwblok`?\n\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_long_line_is_shown_around_the_position() {
        let line = format!("{}[a](fout.md){}", "x".repeat(500), "y".repeat(500));
        let src = SourceText::new("l.md", format!("{line}\n"));
        let start = line.find("fout").unwrap();
        let d = Diagnostic::at(Code::BrokenPageLink, &src, start, start + 7, "broken link");
        let text = render_human(&[d], false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "error[K0401]: broken link");
        assert_eq!(lines[1], " --> l.md:1:505");
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), 1 + 80 + 7 + 80 + 1);
        let caret = lines[4].strip_prefix("  | ").unwrap();
        let at = caret.find('^').unwrap();
        let under: String = shown.chars().skip(at).take(7).collect();
        assert_eq!(under, "fout.md");
        assert_eq!(caret.trim_start(), "^^^^^^^");
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary_line(1, 0, 1), "1 error, 0 warnings in 1 file");
    }
}
