//! kader: a static site generator for requirements knowledge bases.
//!
//! The build is one pipeline, each stage a module returning a new type:
//! [`discover`] → [`parse`] → [`index`] → [`directives`] → [`render`] →
//! [`validate`] → [`emit`], owned by a [`Session`] that every command
//! runs. Problems are collected as [`diagnostics`] along the way. See
//! ARCHITECTURE.md for the map.

pub mod changes;
pub mod config;
pub mod decide;
pub mod diagnostics;
pub mod directives;
pub mod discover;
pub mod emit;
pub mod export;
pub mod index;
pub mod lsp;
pub mod mkdocs;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod theme;
pub mod validate;

pub use session::{BuildError, BuildOptions, Outcome, Progress, Session, Timings};

use std::path::Path;

/// Runs the whole pipeline on the site at `root` without writing anything.
pub fn check_site(
    root: &Path,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<Outcome, discover::FatalError> {
    let mut session = Session::new(root, opts.clone());
    let outcome = session.check(progress);
    session::drop_aside(session);
    outcome
}

/// Builds the site at `root` into `out` (default: site.toml's output_dir);
/// see [`Session::build`].
pub fn build_site(
    root: &Path,
    out: Option<&Path>,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<(Outcome, Option<emit::EmitStats>), BuildError> {
    let mut session = Session::new(root, opts.clone());
    let result = session.build(out, progress);
    session::drop_aside(session);
    result
}

/// Why `decide` or `applicable` gave no answer.
#[derive(Debug)]
pub enum QueryError {
    /// A tree, question, answer or term that does not exist (exit code 2).
    Usage(decide::UsageError),
    /// The site cannot be read, or its site.toml has errors.
    Site(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Usage(e) => e.fmt(f),
            QueryError::Site(e) => f.write_str(e),
        }
    }
}

/// The index of the site at `root` for a query command.
fn query_index(root: &Path) -> Result<index::SiteIndex, QueryError> {
    let session = Session::new(root, BuildOptions::default());
    let (indexed, diags, _) = session
        .index(&|_| {})
        .map_err(|e| QueryError::Site(e.to_string()))?;
    indexed.ok_or_else(|| {
        QueryError::Site(format!(
            "site.toml has errors:\n{}",
            diagnostics::render_human(&diags.sorted(), false)
        ))
    })
}

/// `kader decide`: walks decision tree `tree` of the site at `root` with
/// `answers` (question id, answer text or value).
pub fn decide_site(
    root: &Path,
    tree: &str,
    answers: &[(String, String)],
) -> Result<decide::Decision, QueryError> {
    decide::decide(&query_index(root)?, tree, answers).map_err(QueryError::Usage)
}

/// `kader applicable`: what applies to a profile of `taxonomy/term`s.
pub fn applicable_site(root: &Path, terms: &[String]) -> Result<decide::Decision, QueryError> {
    decide::applicable(&query_index(root)?, terms).map_err(QueryError::Usage)
}

/// `kader export`: the spreadsheet (or CSV, JSON) of the site at `root`.
pub fn export_site(root: &Path, opts: &export::ExportOptions) -> Result<Vec<u8>, QueryError> {
    export::export(&query_index(root)?, opts).map_err(QueryError::Usage)
}

/// One search result, as `kader search` prints it.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub url: String,
    pub title: String,
    pub section: String,
    pub score: f32,
}

/// A site's search index of one language, fully loaded: the same engine and
/// index as the browser's.
pub struct SiteSearch {
    searcher: kader_search::Searcher,
}

impl SiteSearch {
    /// Indexes the site at `root` for `lang` (default: the default language).
    pub fn open(root: &Path, lang: Option<&str>) -> Result<SiteSearch, String> {
        let session = Session::new(root, BuildOptions::default());
        let (indexed, diags, _) = session.index(&|_| {}).map_err(|e| e.to_string())?;
        let Some(indexed) = indexed else {
            return Err(format!(
                "site.toml has errors:\n{}",
                diagnostics::render_human(&diags.sorted(), false)
            ));
        };
        let lang = lang
            .unwrap_or(&indexed.site.config.default_language)
            .to_string();
        if !indexed.site.config.languages.contains_key(&lang) {
            let known: Vec<&str> = indexed.site.config.language_codes().collect();
            return Err(format!(
                "unknown language `{lang}`; the site has {}",
                known.join(", ")
            ));
        }
        let built = render::search::build_index(&indexed, &lang);
        let searcher = built.searcher().map_err(|e| e.to_string())?;
        Ok(SiteSearch { searcher })
    }

    /// The best `limit` results for `query`.
    pub fn query(&self, query: &str, limit: usize) -> Vec<SearchResult> {
        self.searcher
            .search(query, limit)
            .iter()
            .filter_map(|h| {
                let view = self.searcher.result(h)?;
                Some(SearchResult {
                    url: view.url_with_anchor,
                    title: view.title,
                    section: view.section_heading,
                    score: h.score,
                })
            })
            .collect()
    }
}

/// Searches the pages of `lang` at `root` (see [`SiteSearch`]).
pub fn search_site(
    root: &Path,
    lang: Option<&str>,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchResult>, String> {
    Ok(SiteSearch::open(root, lang)?.query(query, limit))
}

#[cfg(test)]
mod layering {
    //! The stages import only earlier stages: the module graph of `src/`
    //! (from its `crate::…` paths, outside tests and comments) is a line.

    use std::path::Path;

    /// Top-level modules from the foundation up to the commands.
    const ORDER: &[&str] = &[
        "diagnostics",
        "config",
        "mkdocs",
        "discover",
        "theme",
        "parse",
        "index",
        "directives",
        "render",
        "validate",
        "emit",
        "session",
        "lsp",
        "changes",
        "decide",
        "export",
        "serve",
        "scaffold",
    ];

    /// (importing module, imported module, file, line) of every `crate::x`.
    fn imports() -> Vec<(String, String, String, usize)> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
            let first = parts.next().unwrap();
            let module = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap_or("");
                for (i, _) in line.match_indices("crate::") {
                    let name: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        out.push((module.clone(), name, rel.display().to_string(), n + 1));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn stages_import_only_earlier_stages() {
        let rank = |m: &str| ORDER.iter().position(|o| *o == m);
        let mut wrong = Vec::new();
        for (from, to, file, line) in imports() {
            if matches!(from.as_str(), "lib" | "main") {
                continue;
            }
            match (rank(&from), rank(&to)) {
                (Some(a), Some(b)) if b < a => {}
                (None, _) => wrong.push(format!("{file}: module `{from}` is not in ORDER")),
                (_, None) => wrong.push(format!("{file}:{line}: `{to}` is not in ORDER")),
                _ => wrong.push(format!("{file}:{line}: `{from}` imports later `{to}`")),
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_check_sees_imports() {
        let found = imports();
        assert!(found
            .iter()
            .any(|(f, t, _, _)| f == "render" && t == "index"));
        assert!(found.len() > 50, "{}", found.len());
    }
}
