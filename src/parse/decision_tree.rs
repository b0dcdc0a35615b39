//! Decision trees: any YAML file in the content folder whose top level has
//! `questions` and `conclusions` (the format of the government's AI-Act
//! decision aid), named by its file stem, with the sibling files
//! `categories.yaml` and `definitions.yaml` (or `categories.<lang>.yaml`
//! beside `<name>.<lang>.yaml`). Structure, semantics and checks live in
//! `kader-classify`; this module reads the files, runs the checks and turns
//! every problem into a diagnostic at its file, line and column.

use crate::config::SiteConfig;
use crate::diagnostics::yaml_paths::{Seg, YamlPositions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use kader_classify::companion::{parse_categories, parse_definitions, Categories, Definitions};
use kader_classify::fields::{
    unsupported_category_fields, unsupported_definition_fields, unsupported_tree_fields, Doc,
};
use kader_classify::profile::{check_label_map, conclusion_profiles, LabelMap, Profile};
use kader_classify::validate::{
    check, check_categories, check_definitions, walks, Limits, PathSegment, Problem, ProblemKind,
    Source, Summary,
};
use kader_classify::{DecisionTree, Engine, Severity};

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

/// A checked decision tree, ready to run.
#[derive(Debug, Clone)]
pub struct LoadedTree {
    /// File stem without language suffix (`ai-verordening`).
    pub name: String,
    pub lang: String,
    /// Path relative to the site root.
    pub path: String,
    pub tree: DecisionTree,
    pub categories: Categories,
    pub definitions: Definitions,
    /// The figures of `kader check`'s one-line summary.
    pub summary: Summary,
    /// Per conclusion: the profile its walks lead to (`None` when no walk
    /// reaches it).
    pub profiles: Vec<Option<Profile>>,
}

impl LoadedTree {
    /// The engine that runs this tree.
    pub fn engine(&self) -> Engine {
        Engine::new(
            self.tree.clone(),
            &self.categories,
            self.definitions.clone(),
        )
    }
}

/// One line of `kader check`'s summary of a decision tree.
#[derive(Debug, Clone)]
pub struct TreeReport {
    /// The tree file, relative to the site root.
    pub path: String,
    pub summary: Summary,
    /// Whether it has errors (and is left out).
    pub broken: bool,
}

/// The label map of `[decision_aid]`.
pub fn label_map(config: &SiteConfig) -> LabelMap {
    let aid = &config.decision_aid;
    LabelMap {
        groups: aid
            .groups
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        labels: aid
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ignore: aid.ignore.iter().cloned().collect(),
    }
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

/// File names that are a tree's companions, not trees.
const COMPANIONS: &[&str] = &["categories", "definitions"];

/// `(folder, stem, language)` of a YAML file's path (`content/a/b.en.yaml`
/// → `content/a/`, `b`, `en`).
fn split_path<'a>(path: &'a str, config: &SiteConfig) -> (&'a str, &'a str, String) {
    let (folder, file) = match path.rfind('/') {
        Some(i) => path.split_at(i + 1),
        None => ("", path),
    };
    let stem = file.trim_end_matches(".yaml").trim_end_matches(".yml");
    match stem.rsplit_once('.') {
        Some((n, l)) if config.languages.contains_key(l) => (folder, n, l.to_string()),
        _ => (folder, stem, config.default_language.clone()),
    }
}

/// Loads and checks the decision trees among the YAML data files. A tree
/// with warnings only is kept; one with errors is left out. The reports
/// summarise every tree that could be read, kept or not.
pub fn load_trees(
    files: &[SourceText],
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> (Vec<LoadedTree>, Vec<TreeReport>) {
    let content = format!("{}/", config.content_dir);
    let map = label_map(config);
    let terms = config
        .taxonomies
        .iter()
        .map(|(k, t)| (k.clone(), t.terms.iter().map(|x| x.slug.clone()).collect()))
        .collect();
    let mut out = Vec::new();
    let mut reports = Vec::new();
    for src in files.iter().filter(|f| f.path.starts_with(&content)) {
        let (folder, name, lang) = split_path(&src.path, config);
        if COMPANIONS.contains(&name) || !is_tree(&src.text) {
            continue;
        }
        let tree: DecisionTree = match serde_yaml::from_str(&src.text) {
            Ok(t) => t,
            Err(e) => {
                diags.push(yaml_error(
                    src,
                    e.location().map(|l| (l.line(), l.column())),
                    &e.to_string(),
                    "decision tree",
                ));
                continue;
            }
        };
        // The companion of the tree's language, else the default one.
        let companion = |kind: &str| {
            let own = |l: &str| {
                files.iter().find(|f| {
                    let (d, n, fl) = split_path(&f.path, config);
                    d == folder && n == kind && fl == l
                })
            };
            own(&lang).or_else(|| own(&config.default_language))
        };
        let mut problems: Vec<(Problem, &SourceText)> = Vec::new();
        let mut broken = false;
        let categories = match companion("categories") {
            None => Categories::default(),
            Some(f) => match parse_categories(&f.text) {
                Ok(c) => {
                    problems.extend(
                        doc_of(&f.text)
                            .iter()
                            .flat_map(unsupported_category_fields)
                            .map(|p| (p, f)),
                    );
                    c
                }
                Err(e) => {
                    diags.push(yaml_error(
                        f,
                        e.line.zip(e.column),
                        &e.message,
                        "categories file",
                    ));
                    broken = true;
                    Categories::default()
                }
            },
        };
        let definitions = match companion("definitions") {
            None => Definitions::default(),
            Some(f) => match parse_definitions(&f.text) {
                Ok(d) => {
                    problems.extend(
                        doc_of(&f.text)
                            .iter()
                            .flat_map(unsupported_definition_fields)
                            .map(|p| (p, f)),
                    );
                    d
                }
                Err(e) => {
                    diags.push(yaml_error(
                        f,
                        e.line.zip(e.column),
                        &e.message,
                        "definitions file",
                    ));
                    broken = true;
                    Definitions::default()
                }
            },
        };
        let categories_file = companion("categories");
        let definitions_file = companion("definitions");
        problems.extend(
            doc_of(&src.text)
                .iter()
                .flat_map(unsupported_tree_fields)
                .map(|p| (p, src)),
        );
        if let Some(f) = categories_file {
            problems.extend(
                check_categories(&categories, &tree)
                    .into_iter()
                    .map(|p| (p, f)),
            );
        }
        if let Some(f) = definitions_file {
            problems.extend(check_definitions(&definitions).into_iter().map(|p| (p, f)));
        }
        let engine = Engine::new(tree.clone(), &categories, definitions.clone());
        let limits = Limits::default();
        let report = check(&engine, &limits);
        let file_of = |p: &Problem| match p.source {
            Source::Categories => categories_file.unwrap_or(src),
            Source::Definitions => definitions_file.unwrap_or(src),
            Source::Tree | Source::LabelMap => src,
        };
        problems.extend(report.problems.into_iter().map(|p| {
            let f = file_of(&p);
            (p, f)
        }));
        let with_map = !map.groups.is_empty() || !map.labels.is_empty();
        if with_map {
            problems.extend(check_label_map(&engine, &map, &terms).into_iter().map(|p| {
                let f = file_of(&p);
                (p, f)
            }));
        }
        broken |= problems.iter().any(|(p, _)| p.severity == Severity::Error);
        for (p, f) in &problems {
            diags.push(diagnostic(p, f));
        }
        reports.push(TreeReport {
            path: src.path.clone(),
            summary: report.summary,
            broken,
        });
        if broken {
            continue;
        }
        let profiles = if with_map {
            let w = walks(&engine, &limits);
            conclusion_profiles(&engine, &w, &map)
        } else {
            vec![None; tree.conclusions.len()]
        };
        out.push(LoadedTree {
            name: name.to_string(),
            lang,
            path: src.path.clone(),
            tree,
            categories,
            definitions,
            summary: report.summary,
            profiles,
        });
    }
    (out, reports)
}

/// The document shape of a YAML text (for unsupported fields); `None` when
/// it does not parse (reported elsewhere).
fn doc_of(text: &str) -> Option<Doc> {
    serde_yaml::from_str::<Doc>(text).ok()
}

/// A YAML syntax error of a tree or companion file.
fn yaml_error(
    src: &SourceText,
    at: Option<(usize, usize)>,
    message: &str,
    what: &str,
) -> Diagnostic {
    let mut msg = message.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    let d = match at {
        Some((line, column)) => {
            let (line, column) = clamp_position(src, line, column);
            Diagnostic::at_line_col(
                Code::TreeSyntax,
                src,
                line,
                column,
                1,
                format!("{what} is not valid: {msg}"),
            )
        }
        None => Diagnostic::file(
            Code::TreeSyntax,
            &src.path,
            format!("{what} is not valid: {msg}"),
        ),
    };
    d.with_hint(
        "see crates/classify/README.md for the format of decision trees and their companion files",
    )
}

/// The diagnostic of one problem, at its place in `src`.
fn diagnostic(p: &Problem, src: &SourceText) -> Diagnostic {
    let code = match (p.severity, p.kind) {
        (_, ProblemKind::UnmappedLabel | ProblemKind::UnmappedGroup) => Code::UnmappedLabel,
        (Severity::Error, _) => Code::TreeProblem,
        (Severity::Warning, _) => Code::TreeWarning,
    };
    let positions = YamlPositions::of(&src.text);
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
    let d = if line == 0 {
        Diagnostic::file(code, &src.path, p.message.clone())
    } else {
        let width = src
            .line_text(line)
            .chars()
            .count()
            .saturating_sub(col.saturating_sub(1))
            .max(1);
        Diagnostic::at_line_col(code, src, line, col, width, p.message.clone())
    };
    if p.hint.is_empty() {
        d
    } else {
        d.with_hint(p.hint.clone())
    }
}
