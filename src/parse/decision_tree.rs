//! Decision trees: YAML files in the content's decision-tree folder
//! (`beslisbomen/` by default), checked like content. Structure and rules
//! live in `kader-classify`; this module reads the files and turns every
//! problem into a diagnostic at the right line and column.

use crate::config::SiteConfig;
use crate::diagnostics::yaml_paths::{Seg, YamlPositions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity, SourceText};
use kader_classify::fields::{unsupported_tree_fields, Doc};
use kader_classify::validate::PathSegment;
use kader_classify::DecisionTree;

/// A 1-based position reported by the YAML parser, moved inside the text:
/// at the end of the input it may name the line after the last one.
pub fn clamp_position(src: &SourceText, line: usize, column: usize) -> (usize, usize) {
    let (last_line, last_col) = src.line_col(src.text.len());
    let (line, column) = if line > last_line {
        (last_line, last_col)
    } else {
        (line.max(1), column)
    };
    // (`line_text` leaves out a final `\r`.)
    let max_col = src.line_text(line).chars().count() + 1;
    (line, column.clamp(1, max_col))
}

/// A checked decision tree.
#[derive(Debug, Clone)]
pub struct LoadedTree {
    /// File stem without language suffix (`gpai`).
    pub name: String,
    pub lang: String,
    /// Path relative to the site root.
    pub path: String,
    pub tree: DecisionTree,
}

/// Whether a YAML text is meant as a decision tree: its top level has
/// `questions` or `conclusions` (read from the text, so that a tree with a
/// syntax error or a missing part is reported, not ignored).
pub fn is_tree(text: &str) -> bool {
    let top = |key: &str| {
        text.lines().any(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    };
    top("questions") || top("conclusions")
}

/// Loads and validates the decision trees among the YAML data files. A tree
/// with warnings only is kept; one with errors is left out.
pub fn load_trees(
    files: &[SourceText],
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<LoadedTree> {
    let folder = format!("{}/", config.content_dir);
    let mut out = Vec::new();
    for src in files
        .iter()
        .filter(|f| f.path.starts_with(&folder) && is_tree(&f.text))
    {
        let file = src.path.rsplit('/').next().unwrap_or(&src.path);
        let stem = file.trim_end_matches(".yaml").trim_end_matches(".yml");
        let (name, lang) = match stem.rsplit_once('.') {
            Some((n, l)) if config.languages.contains_key(l) => (n.to_string(), l.to_string()),
            _ => (stem.to_string(), config.default_language.clone()),
        };
        let tree: DecisionTree = match serde_yaml::from_str(&src.text) {
            Ok(t) => t,
            Err(e) => {
                let mut msg = e.to_string();
                if let Some(i) = msg.find(" at line ") {
                    msg.truncate(i);
                }
                let d = match e.location() {
                    Some(l) => {
                        let (line, column) = clamp_position(src, l.line(), l.column());
                        Diagnostic::at_line_col(
                            Code::TreeSyntax,
                            src,
                            line,
                            column,
                            1,
                            format!("decision tree is not valid: {msg}"),
                        )
                    }
                    None => Diagnostic::file(
                        Code::TreeSyntax,
                        &src.path,
                        format!("decision tree is not valid: {msg}"),
                    ),
                };
                diags.push(d.with_hint(
                    "see crates/classify/README.md for the structure of a decision tree",
                ));
                continue;
            }
        };
        let mut problems = kader_classify::validate(&tree);
        if let Ok(doc) = serde_yaml::from_str::<Doc>(&src.text) {
            problems.extend(unsupported_tree_fields(&doc));
        }
        let has_errors = problems
            .iter()
            .any(|p| p.severity == kader_classify::Severity::Error);
        if !problems.is_empty() {
            let positions = YamlPositions::of(&src.text);
            for p in problems {
                let path: Vec<Seg> = p
                    .path
                    .iter()
                    .map(|s| match s {
                        PathSegment::Index(i) => Seg::Index(*i),
                        PathSegment::Key(k) => Seg::Key(k.clone()),
                    })
                    .collect();
                // A problem about a whole question or conclusion points at its id.
                let with_id = |key: &str| {
                    let mut p = path.clone();
                    p.push(Seg::Key(key.into()));
                    p
                };
                let (line, col) = positions
                    .exact(&with_id("questionId"))
                    .or_else(|| positions.exact(&with_id("conclusionId")))
                    .or_else(|| positions.find(&path))
                    .map(|(l, c)| clamp_position(src, l, c))
                    .unwrap_or((0, 0));
                let width = if line > 0 {
                    let text = src.line_text(line);
                    text.chars()
                        .count()
                        .saturating_sub(col.saturating_sub(1))
                        .max(1)
                } else {
                    0
                };
                let mut d = Diagnostic::at_line_col(
                    Code::TreeProblem,
                    src,
                    line,
                    col,
                    width,
                    p.message.clone(),
                );
                if line == 0 {
                    d = Diagnostic::file(Code::TreeProblem, &src.path, p.message.clone());
                }
                if !p.hint.is_empty() {
                    d = d.with_hint(p.hint.clone());
                }
                if p.severity == kader_classify::Severity::Warning {
                    d.severity = Severity::Warning;
                }
                diags.push(d);
            }
        }
        if has_errors {
            continue;
        }
        out.push(LoadedTree {
            name,
            lang,
            path: src.path.clone(),
            tree,
        });
    }
    out
}
