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
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// A progress callback: called with the name of each stage as it starts.
pub type Progress<'a> = &'a dyn Fn(&str);

/// Runs discover → parse → index → render → validate on the site at `root`.
pub fn check_site(
    root: &Path,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<Outcome, FatalError> {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let mut diags = Diagnostics::new();
    progress("reading");
    let (config_source, config) = match discover::read_config(root)? {
        Ok(c) => c,
        Err(mut d) => {
            d.apply_policy(&Default::default(), opts.strict);
            return Ok(finish(d, None, timings, None, 0));
        }
    };
    let config = match &opts.base_url {
        Some(u) => config.with_base_url(u).map_err(FatalError)?,
        None => config,
    };
    let output_dir = Some(root.join(&config.output_dir));
    let overrides = config.severity.clone();
    let (sources, d) = discover::discover(root, config_source, config)?;
    diags.extend(d);
    t = timings.record("discover", t);

    progress("parsing");
    let theme = theme::Theme::load(&sources, &mut diags);
    let parsed = parse::parse(sources, theme, &mut diags);
    let pages = parsed.pages.len();
    t = timings.record("parse", t);

    progress("indexing");
    let indexed = index::index(parsed, &mut diags);
    t = timings.record("index", t);

    progress("rendering");
    let rendered = render::render(indexed, &mut diags);
    t = timings.record("render", t);

    progress("validating");
    let validated = validate::validate(rendered, &mut diags);
    timings.record("validate", t);

    diags.apply_policy(&overrides, opts.strict);
    Ok(finish(diags, Some(validated), timings, output_dir, pages))
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
    }
}

/// Builds the site at `root` into `out` (default: site.toml's output_dir).
/// Nothing is written when there are errors.
pub fn build_site(
    root: &Path,
    out: Option<&Path>,
    opts: &BuildOptions,
    progress: Progress,
) -> Result<(Outcome, Option<emit::EmitStats>), BuildError> {
    let mut outcome = check_site(root, opts, progress).map_err(BuildError::Fatal)?;
    if outcome.has_errors() {
        return Ok((outcome, None));
    }
    let Some(site) = &outcome.site else {
        return Ok((outcome, None));
    };
    let target = out
        .map(Path::to_path_buf)
        .or_else(|| outcome.output_dir.clone())
        .unwrap_or_else(|| root.join("public"));
    progress("writing");
    let t = Instant::now();
    let stats = emit::emit(site, &target).map_err(BuildError::Emit)?;
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
