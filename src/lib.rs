//! kader: a static site generator for requirements knowledge bases.
//!
//! The build is one pipeline, each stage a module returning a new type:
//! [`discover`] → [`parse`] → [`index`] → [`render`] → [`validate`] →
//! [`emit`]. Problems are collected as [`diagnostics`] along the way.
//! See ARCHITECTURE.md for the map.

pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod emit;
pub mod index;
pub mod mkdocs;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod theme;
pub mod validate;

use diagnostics::{Diagnostic, Diagnostics};
use discover::FatalError;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a run should behave.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Turn every warning into an error.
    pub strict: bool,
    /// Serve from this base URL instead of site.toml's (for `serve`).
    pub base_url: Option<String>,
}

/// Time spent per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn record(&mut self, stage: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((stage, now - since));
        now
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// The result of running the pipeline up to (not including) emit.
#[derive(Debug)]
pub struct Outcome {
    /// Sorted, with site.toml's severities and `--strict` applied.
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub files_with_problems: usize,
    /// The checked site, when the pipeline got that far.
    pub site: Option<validate::ValidatedSite>,
    pub timings: Timings,
    /// The output folder from site.toml (relative to the root) or `--out`.
    pub output_dir: Option<PathBuf>,
    pub pages: usize,
    /// Per other language: (language name, pages lacking a translation,
    /// published pages of the default language).
    pub untranslated: Vec<(String, usize, usize)>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// A progress callback: called with the name of each stage as it starts.
pub type Progress<'a> = &'a dyn Fn(&str);

/// Runs discover → parse → index: the site with every reference resolved.
/// `None` when site.toml itself is broken (see the diagnostics).
pub fn index_site(
    root: &Path,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<(Option<index::SiteIndex>, Diagnostics, Timings), FatalError> {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let mut diags = Diagnostics::new();
    progress("reading");
    let (config_source, config, warnings) = match discover::read_config(root)? {
        Ok(c) => c,
        Err(d) => return Ok((None, d, timings)),
    };
    diags.extend(warnings);
    let config = match &opts.base_url {
        Some(u) => config.with_base_url(u).map_err(FatalError)?,
        None => config,
    };
    let (sources, d) = discover::discover(root, config_source, config)?;
    diags.extend(d);
    t = timings.record("discover", t);

    progress("parsing");
    let theme = theme::Theme::load(&sources, &mut diags);
    let mut parsed = parse::parse(sources, theme, &mut diags);
    parsed.site_diagnostics = diags.clone();
    for p in &parsed.pages {
        diags.extend(p.diagnostics.clone());
    }
    t = timings.record("parse", t);

    progress("indexing");
    let indexed = index::index(parsed, &mut diags);
    timings.record("index", t);
    Ok((Some(indexed), diags, timings))
}

/// Runs discover → parse → index → render → validate on the site at `root`.
pub fn check_site(
    root: &Path,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<Outcome, FatalError> {
    let (indexed, diags, timings) = index_site(root, opts, progress)?;
    match indexed {
        Some(indexed) => {
            Ok(render_and_validate(root, indexed, diags, timings, opts, progress, None).0)
        }
        None => Ok(broken_config(diags, timings, opts)),
    }
}

/// The outcome when site.toml itself is broken.
fn broken_config(mut diags: Diagnostics, timings: Timings, opts: &BuildOptions) -> Outcome {
    diags.apply_policy(&Default::default(), opts.strict);
    finish(diags, None, timings, None, 0)
}

/// Runs render → validate on the indexed site, handing pages to `sink` (when
/// given) as they are rendered; the sink's error, if any, comes back beside
/// the outcome.
fn render_and_validate(
    root: &Path,
    indexed: index::SiteIndex,
    mut diags: Diagnostics,
    mut timings: Timings,
    opts: &BuildOptions,
    progress: Progress,
    sink: Option<&dyn render::Sink>,
) -> (Outcome, Option<String>) {
    let config = &indexed.site.config;
    let output_dir = Some(root.join(&config.output_dir));
    let overrides = config.severity.clone();
    let pages = indexed.site.pages.len();
    let untranslated = translation_summary(&indexed);

    progress("rendering");
    let mut t = Instant::now();
    let rendered = render::render_into(indexed, &mut diags, None, sink);
    t = timings.record("render", t);
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => return (finish(diags, None, timings, output_dir, pages), Some(e)),
    };

    progress("validating");
    let validated = validate::validate(rendered, &mut diags);
    timings.record("validate", t);

    diags.apply_policy(&overrides, opts.strict);
    let mut outcome = finish(diags, Some(validated), timings, output_dir, pages);
    outcome.untranslated = untranslated;
    (outcome, None)
}

fn translation_summary(idx: &index::SiteIndex) -> Vec<(String, usize, usize)> {
    let config = &idx.site.config;
    let dl = config.default_language.as_str();
    let originals = idx
        .groups
        .iter()
        .filter(|g| g.get(dl).is_some_and(|&c| idx.out_of_content[c].is_some()))
        .count();
    config
        .languages
        .iter()
        .filter(|(code, _)| code.as_str() != dl)
        .map(|(code, l)| {
            let missing = idx
                .untranslated
                .iter()
                .filter(|(_, lang)| lang == code)
                .count();
            (l.name.clone(), missing, originals)
        })
        .collect()
}

fn finish(
    diags: Diagnostics,
    site: Option<validate::ValidatedSite>,
    timings: Timings,
    output_dir: Option<PathBuf>,
    pages: usize,
) -> Outcome {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    let files_with_problems = diags.file_count();
    Outcome {
        diagnostics: diags.sorted(),
        errors,
        warnings,
        files_with_problems,
        site,
        timings,
        output_dir,
        pages,
        untranslated: Vec::new(),
    }
}

/// Builds the site at `root` into `out` (default: site.toml's output_dir).
/// Pages are written into a temporary folder as they are rendered, which
/// replaces the output only when the whole site was built without errors.
pub fn build_site(
    root: &Path,
    out: Option<&Path>,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<(Outcome, Option<emit::EmitStats>), BuildError> {
    let (indexed, diags, timings) = index_site(root, opts, progress).map_err(BuildError::Fatal)?;
    let Some(indexed) = indexed else {
        return Ok((broken_config(diags, timings, opts), None));
    };
    let target = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join(&indexed.site.config.output_dir));
    // A folder that cannot be written is reported after the content's own
    // errors, which are the more useful to see first.
    let staging = emit::Staging::begin(&target);
    let sink = staging.as_ref().ok().map(|s| s as &dyn render::Sink);
    let (mut outcome, failed) =
        render_and_validate(root, indexed, diags, timings, opts, progress, sink);
    match failed {
        Some(_) if outcome.has_errors() => return Ok((outcome, None)),
        Some(e) => return Err(BuildError::Emit(emit::EmitError(e))),
        None => {}
    }
    if outcome.has_errors() {
        return Ok((outcome, None));
    }
    let Some(site) = &outcome.site else {
        return Ok((outcome, None));
    };
    progress("writing");
    let t = Instant::now();
    let stats = staging
        .and_then(|s| s.finish(site))
        .map_err(BuildError::Emit)?;
    outcome.timings.record("emit", t);
    Ok((outcome, Some(stats)))
}

/// A failure that is not about content (exit code 2).
#[derive(Debug)]
pub enum BuildError {
    Fatal(FatalError),
    Emit(emit::EmitError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Fatal(e) => e.fmt(f),
            BuildError::Emit(e) => e.fmt(f),
        }
    }
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
        let (indexed, diags, _) =
            index_site(root, &BuildOptions::default(), &|_| {}).map_err(|e| e.to_string())?;
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
