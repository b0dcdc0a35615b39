//! The pipeline owner. A [`Session`] runs discover → parse → index →
//! directives → render → validate on a site folder, once from scratch
//! ([`Session::cold`]) or again after files changed ([`Session::rebuild`]),
//! and keeps the last site without errors. `kader build`, `check`, `serve`
//! and `search` all go through it; emit only writes what it produced.
//!
//! A rebuild after changes to existing pages reads and parses only those
//! pages; the index and the directives are updated where those pages keep
//! their place in the site (built again otherwise), and only the output
//! pages that depend on a changed page ([`deps`]) are rendered again, the
//! rest taken from the kept site. Anything else
//! (configuration, templates, static files, the glossary, decision trees,
//! files added or removed) is a cold build. Either way the result equals a
//! cold build.

pub mod analysis;
pub mod deps;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::FatalError;
use crate::emit::{EmitError, EmitStats, Staging};
use crate::index::{OutPage, SiteIndex};
use crate::parse::front_matter::Located;
use crate::parse::{ParsedPage, ParsedSite};
use crate::render::{Compiling, RenderedSite, Reuse, Sink, SiteWide, Templates};
use crate::validate::{Checked, ValidSite, Verdict};
use deps::{dependencies, Deps};
use indexmap::IndexMap;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a run should behave.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Turn every warning into an error.
    pub strict: bool,
    /// Use this base URL instead of site.toml's (`build --base-url`).
    pub base_url: Option<String>,
    /// Serve from this origin (`http://127.0.0.1:8000`), keeping site.toml's
    /// base path (`kader serve`).
    pub origin: Option<String>,
    /// Read icons from this folder instead of site.toml's `[markdown]
    /// icons` (`--icons`).
    pub icons: Option<PathBuf>,
}

/// Time spent per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// The parts of rendering (pages, site-wide files), which run side by
    /// side and may add up to more than the stage.
    pub render_parts: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn record(&mut self, stage: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((stage, now - since));
        now
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// A progress callback: called with the name of each stage as it starts.
pub type Progress<'a> = &'a dyn Fn(&str);

/// What one run of the pipeline found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted, with site.toml's severities and `--strict` applied.
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub files_with_problems: usize,
    pub timings: Timings,
    /// The output folder from site.toml (relative to the root).
    pub output_dir: Option<PathBuf>,
    /// Content pages.
    pub pages: usize,
    /// Per other language: (language name, pages lacking a translation,
    /// published pages of the default language).
    pub untranslated: Vec<(String, usize, usize)>,
    /// Whether pages of the kept site were reused.
    pub incremental: bool,
    /// Output pages rendered.
    pub rendered: usize,
    /// Every decision tree read, with its figures.
    pub trees: Vec<crate::parse::decision_tree::TreeReport>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Keeps only `diagnostics` (a part of this outcome's), with the counts.
    pub fn keep_only(&mut self, diagnostics: Vec<Diagnostic>) {
        let d: Diagnostics = diagnostics.into_iter().collect();
        self.errors = d.error_count();
        self.warnings = d.warning_count();
        self.files_with_problems = d.file_count();
        self.diagnostics = d.sorted();
    }

    fn from_verdict(v: &mut Verdict, timings: Timings) -> Outcome {
        Outcome {
            diagnostics: std::mem::take(&mut v.diagnostics),
            errors: v.errors,
            warnings: v.warnings,
            files_with_problems: v.files_with_problems,
            timings,
            ..Outcome::default()
        }
    }
}

/// A failure that is not about content (exit code 2).
#[derive(Debug)]
pub enum BuildError {
    /// The site cannot be read at all.
    Fatal(FatalError),
    /// The output could not be written.
    Emit(EmitError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Fatal(e) => e.fmt(f),
            BuildError::Emit(e) => e.fmt(f),
        }
    }
}

impl From<FatalError> for BuildError {
    fn from(e: FatalError) -> Self {
        BuildError::Fatal(e)
    }
}

/// The last site built without errors, the base of the next rebuild.
struct Kept {
    site: ValidSite,
    /// Problems of the site as a whole (configuration, files, theme,
    /// glossary, decision trees), which an incremental build carries over.
    site_diagnostics: Diagnostics,
    /// The dependencies of the site's output pages, once computed.
    deps: Option<Vec<Deps>>,
}

/// The kept site's parts an incremental build starts from.
struct Previous {
    /// The previous index's output pages and translation groups, when the
    /// site is indexed again (`None`: the previous index is updated, which
    /// keeps them).
    old_shape: Option<(Vec<OutPage>, Vec<usize>)>,
    old_deps: Vec<Deps>,
    changed: BTreeSet<usize>,
    terms_changed: bool,
    /// The previous build's directives, when the changed pages changed
    /// nothing they read of the site (see [`same_for_directives`]).
    directives: Option<crate::directives::Directives>,
    reuse: Reuse,
    /// The previous render's templates (the theme is the same).
    templates: Option<std::sync::Arc<Templates>>,
    /// What the check of the previous build's links found.
    checked: Checked,
}

/// The site [`Session::finish`] indexes (one per build, moved once: its
/// size does not matter).
#[allow(clippy::large_enum_variant)]
enum Input {
    /// A parsed site, indexed from scratch.
    Parsed(ParsedSite),
    /// The previous index with changed pages that keep their place in the
    /// site ([`same_for_directives`]), to be updated ([`crate::index::update`]).
    Indexed(Box<SiteIndex>),
}

impl Input {
    /// The site, parsed.
    fn site(&self) -> &ParsedSite {
        match self {
            Input::Parsed(site) => site,
            Input::Indexed(index) => &index.site,
        }
    }
}

/// What [`Session::finish`] starts from.
enum Start {
    /// Nothing kept: everything is rendered, with the templates being
    /// compiled (or compiled when needed), and the site-wide files as said.
    Cold(Option<Compiling>, SiteWide),
    /// A previous build and what changed since.
    Incremental(Box<Previous>),
}

/// Runs the pipeline on one site folder and keeps its last good result.
pub struct Session {
    root: PathBuf,
    opts: BuildOptions,
    kept: Option<Kept>,
    /// The configuration the last build read (also when it had errors).
    config: Option<crate::config::SiteConfig>,
    /// Page texts read instead of the disk's (`kader lsp`'s open documents).
    overlay: crate::discover::Overlay,
    /// The last analysis ([`Session::analyze`]), the base of the next one.
    analysis: Option<analysis::Analysis>,
}

impl Session {
    pub fn new(root: &Path, opts: BuildOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            opts,
            kept: None,
            config: None,
            overlay: Default::default(),
            analysis: None,
        }
    }

    /// The page texts read instead of the disk's; after changing one, pass
    /// its path to the next rebuild or analysis.
    pub fn overlay_mut(&mut self) -> &mut crate::discover::Overlay {
        &mut self.overlay
    }

    /// The configuration the last build read, if site.toml could be read.
    pub fn config(&self) -> Option<&crate::config::SiteConfig> {
        self.config.as_ref()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last site built without errors.
    pub fn current(&self) -> Option<&ValidSite> {
        self.kept.as_ref().map(|k| &k.site)
    }

    /// Takes the last site built without errors out of the session.
    pub fn take_current(&mut self) -> Option<ValidSite> {
        self.kept.take().map(|k| k.site)
    }

    /// Runs discover → parse → index: the site with every reference
    /// resolved, or `None` when site.toml itself is broken.
    pub fn index(
        &self,
        progress: Progress,
    ) -> Result<(Option<SiteIndex>, Diagnostics, Timings), FatalError> {
        let mut timings = Timings::default();
        let (parsed, mut diags, t, _) = match self.parse(progress, &mut timings, false)? {
            Ok(p) => p,
            Err(diags) => return Ok((None, diags, timings)),
        };
        for p in &parsed.pages {
            diags.extend(p.diagnostics.clone());
        }
        progress("indexing");
        let idx = crate::index::index(parsed, &mut diags);
        timings.record("index", t);
        Ok((Some(idx), diags, timings))
    }

    /// discover → parse: the parsed site, the problems of the site as a
    /// whole and when parsing ended; `Err` with site.toml's problems when it
    /// is broken.
    #[allow(clippy::type_complexity)]
    fn parse(
        &self,
        progress: Progress,
        timings: &mut Timings,
        render: bool,
    ) -> Result<
        Result<(ParsedSite, Diagnostics, Instant, Option<Compiling>), Diagnostics>,
        FatalError,
    > {
        let t = Instant::now();
        // The templates compile beside discover and parse (`render`: the
        // site will be rendered). Most sites use the built-in ones, which
        // are known before anything is read.
        let early = render
            .then(|| Compiling::start(crate::theme::builtin_templates()))
            .flatten();
        progress("reading");
        let mut diags = Diagnostics::new();
        let (config_source, config, warnings) = match crate::discover::read_config(&self.root)? {
            Ok(c) => c,
            Err(d) => return Ok(Err(d)),
        };
        diags.extend(warnings);
        let mut config = self.with_url(config)?;
        if let Some(dir) = &self.opts.icons {
            config.markdown.icons = dir.to_string_lossy().into_owned();
        }
        // Only rendered pages say when they last changed: without a render
        // the git history is not walked.
        if !render {
            config.last_updated = false;
        }
        let (sources, d) =
            crate::discover::discover(&self.root, config_source, config, &self.overlay)?;
        diags.extend(d);
        let t = timings.record("discover", t);
        progress("parsing");
        let theme = crate::theme::Theme::load(&sources, &mut diags);
        // With templates of its own, the site's are compiled instead (the
        // early compilation finishes unused).
        let compiling = match early {
            Some(c) if c.compiles(&theme.templates) => Some(c),
            _ if render => Compiling::start(theme.templates.clone()),
            _ => None,
        };
        let names = crate::directives::names(&sources.config);
        let parsed = crate::parse::parse(sources, theme, names, &mut diags);
        let t = timings.record("parse", t);
        Ok(Ok((parsed, diags, t, compiling)))
    }

    /// The configuration with the base URL of the options.
    fn with_url(
        &self,
        config: crate::config::SiteConfig,
    ) -> Result<crate::config::SiteConfig, FatalError> {
        let url = match (&self.opts.base_url, &self.opts.origin) {
            (Some(u), _) => u.clone(),
            (None, Some(origin)) => format!("{}{}", origin.trim_end_matches('/'), config.base_path),
            (None, None) => return Ok(config),
        };
        config.with_base_url(&url).map_err(FatalError)
    }

    /// Builds the whole site in memory. A site without errors is kept.
    pub fn cold(&mut self, progress: Progress) -> Result<Outcome, FatalError> {
        self.cold_with(progress, SiteWide::Files)
    }

    /// Checks the whole site: as [`Session::cold`], but the site-wide files
    /// (search index, exports, spreadsheets), which no check reads, are only
    /// named, so that links to them are still checked. The site kept is not
    /// one to serve.
    pub fn check(&mut self, progress: Progress) -> Result<Outcome, FatalError> {
        let outcome = self.cold_with(progress, SiteWide::Paths);
        drop_aside(self.kept.take());
        outcome
    }

    fn cold_with(
        &mut self,
        progress: Progress,
        site_wide: SiteWide,
    ) -> Result<Outcome, FatalError> {
        self.kept = None;
        let mut timings = Timings::default();
        match self.parse(progress, &mut timings, true)? {
            Ok((parsed, site_diags, _, compiling)) => Ok(self
                .finish(
                    Input::Parsed(parsed),
                    site_diags,
                    Start::Cold(compiling, site_wide),
                    None,
                    timings,
                    progress,
                )
                .0),
            Err(diags) => Ok(self.broken_config(diags, timings)),
        }
    }

    /// Builds the whole site into `out` (default: site.toml's output folder).
    /// Pages are written into emit's temporary folder as they are rendered;
    /// it replaces `out` only when the site has no errors.
    pub fn build(
        &mut self,
        out: Option<&Path>,
        progress: Progress,
    ) -> Result<(Outcome, Option<EmitStats>), BuildError> {
        self.kept = None;
        let mut timings = Timings::default();
        let (parsed, site_diags, _, compiling) = match self.parse(progress, &mut timings, true)? {
            Ok(p) => p,
            Err(diags) => return Ok((self.broken_config(diags, timings), None)),
        };
        let target = out
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.join(&parsed.config.output_dir));
        // A folder that cannot be written is reported after the content's
        // own errors, which are the more useful to see first.
        let staging = Staging::begin(&target);
        let sink = staging.as_ref().ok().map(|s| s as &dyn Sink);
        let (mut outcome, failure) = self.finish(
            Input::Parsed(parsed),
            site_diags,
            Start::Cold(compiling, SiteWide::Files),
            sink,
            timings,
            progress,
        );
        if outcome.has_errors() {
            return Ok((outcome, None));
        }
        if let Some(e) = failure {
            return Err(BuildError::Emit(EmitError(e)));
        }
        let Some(site) = self.current() else {
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

    /// The outcome when site.toml itself is broken: its problems are all
    /// there is.
    fn broken_config(&self, diags: Diagnostics, timings: Timings) -> Outcome {
        let mut v = Verdict::new(None, diags, &Default::default(), self.opts.strict, None);
        Outcome::from_verdict(&mut v, timings)
    }

    /// Builds after `changed` paths changed (empty: a cold build), in memory.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, FatalError> {
        self.rebuild_with(changed, false)
    }

    /// As [`Session::rebuild`], but an incremental build keeps the previous
    /// site-wide files (search index, exports), so the changed pages can be
    /// shown sooner; [`Session::complete`] brings those up to date.
    pub fn rebuild_pages_first(&mut self, changed: &[PathBuf]) -> Result<Outcome, FatalError> {
        self.rebuild_with(changed, true)
    }

    /// Whether the kept site's site-wide files are out of date.
    pub fn incomplete(&self) -> bool {
        self.current()
            .is_some_and(|s| s.rendered().site_files_stale)
    }

    /// Builds the site-wide files of the kept site again, when they are out
    /// of date. Returns whether anything was done.
    pub fn complete(&mut self) -> bool {
        self.kept
            .as_mut()
            .is_some_and(|k| k.site.complete_site_files())
    }

    fn rebuild_with(&mut self, changed: &[PathBuf], defer: bool) -> Result<Outcome, FatalError> {
        if let Some(pages) = self.changed_pages(changed) {
            if let Some(outcome) = self.incremental(&pages, defer) {
                return Ok(outcome);
            }
        }
        self.cold(&|_| {})
    }

    /// Content-relative paths when every change is to an existing page.
    fn changed_pages(&self, changed: &[PathBuf]) -> Option<Vec<String>> {
        self.changed_pages_of(&self.current()?.rendered().index.site, changed)
    }

    /// Content-relative paths when every change is to an existing page of `site`.
    fn changed_pages_of(&self, site: &ParsedSite, changed: &[PathBuf]) -> Option<Vec<String>> {
        let content = self.root.join(&site.config.content_dir);
        let known: HashSet<&str> = site.pages.iter().map(|p| p.content_path.as_str()).collect();
        let mut out = Vec::new();
        for path in changed {
            let exists = path.exists();
            let Ok(rel) = path.strip_prefix(&content) else {
                // Something outside the content folder: a cold build,
                // unless it is a temporary file that came and went.
                if exists {
                    return None;
                }
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !known.contains(rel.as_str()) {
                // New files need a cold build; files that came and went
                // (editors' temporary files of an atomic save) do not.
                if exists {
                    return None;
                }
                continue;
            }
            if !path.is_file() {
                return None;
            }
            if !out.contains(&rel) {
                out.push(rel);
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Reads the changed pages again and rebuilds from the kept site;
    /// `None` when that is not possible (a cold build follows).
    fn incremental(&mut self, pages: &[String], defer: bool) -> Option<Outcome> {
        let kept = self.kept.take()?;
        let started = Instant::now();
        let site = &kept.site.rendered().index.site;
        // Read the changed pages; unchanged text means nothing to do for it.
        let mut updates = Vec::new();
        for rel in pages {
            let i = site.pages.iter().position(|p| &p.content_path == rel)?;
            let Ok(src) = crate::discover::read_page(&self.root, &site.config, rel, &self.overlay)
            else {
                self.kept = Some(kept);
                return None;
            };
            if src.source.text != site.pages[i].source.text {
                // An icon no page used before is read by a cold build.
                if !site.icons.covers(&src.source.text) {
                    self.kept = Some(kept);
                    return None;
                }
                updates.push((i, src));
            }
        }
        let Kept {
            site: valid,
            site_diagnostics,
            deps,
        } = kept;
        let (rendered, checked) = valid.into_parts();
        let RenderedSite {
            mut index,
            directives,
            files,
            scans,
            links,
            mut rows,
            templates,
            ..
        } = rendered;
        let old_deps = deps.unwrap_or_else(|| dependencies(&index, &directives));
        let mut changed = BTreeSet::new();
        let mut terms_changed = false;
        let mut keep_directives = true;
        for (i, src) in updates {
            let new = index.site.reparse(src);
            terms_changed |= !same_terms(&index.site.pages[i], &new);
            keep_directives &= same_for_directives(&index.site.pages[i], &new);
            index.site.pages[i] = new;
            changed.insert(i);
        }
        // Changed pages that keep their place in the site keep the index
        // too, updated; otherwise the site is indexed again.
        let (input, old_shape) = if keep_directives {
            (Input::Indexed(Box::new(index)), None)
        } else {
            let SiteIndex {
                site,
                pages,
                group_of,
                ..
            } = index;
            (Input::Parsed(site), Some((pages, group_of)))
        };
        rows.forget(&changed, !keep_directives);
        let previous = Previous {
            old_shape,
            old_deps,
            changed,
            terms_changed,
            directives: keep_directives.then_some(directives),
            reuse: Reuse {
                dirty: Vec::new(),
                files,
                scans,
                links,
                // Kept site-wide files stay out of date until `complete`.
                stale_site_files: defer,
                rows,
            },
            templates,
            checked,
        };
        let mut timings = Timings::default();
        timings.record("parse", started);
        let (outcome, _) = self.finish(
            input,
            site_diagnostics,
            Start::Incremental(Box::new(previous)),
            None,
            timings,
            &|_| {},
        );
        Some(outcome)
    }

    /// index → directives → render → validate, the same for a cold and an
    /// incremental build. Returns the outcome and the sink's error, if any.
    fn finish(
        &mut self,
        input: Input,
        site_diagnostics: Diagnostics,
        start: Start,
        sink: Option<&dyn Sink>,
        mut timings: Timings,
        progress: Progress,
    ) -> (Outcome, Option<String>) {
        let mut t = Instant::now();
        let parsed = input.site();
        let mut diags = site_diagnostics.clone();
        for p in &parsed.pages {
            diags.extend(p.diagnostics.clone());
        }
        let output_dir = Some(self.root.join(&parsed.config.output_dir));
        self.config = Some(parsed.config.clone());
        let overrides = parsed.config.severity.clone();
        let pages = parsed.pages.len();
        let trees = parsed.tree_reports.clone();
        let (mut previous, compiling, site_wide) = match start {
            Start::Cold(c, w) => (None, c, w),
            Start::Incremental(p) => (Some(*p), None, SiteWide::Files),
        };
        progress("indexing");
        // When the changed pages changed nothing directives read, the other
        // pages' directives are kept (and the index updated).
        let kept = previous
            .as_mut()
            .and_then(|p| Some((p.directives.take()?, &p.changed)));
        let (index, directives) = index_and_resolve(input, kept, &mut diags);
        // An incremental build over the same pages and translation groups
        // reuses the previous render.
        let same = previous.as_ref().is_some_and(|p| match &p.old_shape {
            Some((old_pages, old_group_of)) => same_shape(old_pages, old_group_of, &index),
            None => true,
        });
        t = timings.record("index", t);
        let untranslated = translation_summary(&index);

        let kept_templates = previous.as_mut().and_then(|p| p.templates.take());
        let checked = previous.as_mut().map(|p| std::mem::take(&mut p.checked));
        // Which pages an incremental build renders again.
        let incremental = previous.is_some();
        let mut new_deps = None;
        let reuse = previous.and_then(|p| {
            same.then(|| {
                let deps = new_deps.insert(dependencies(&index, &directives));
                let dirty = p
                    .old_deps
                    .iter()
                    .zip(deps.iter())
                    .map(|(a, b)| {
                        a.touches(&p.changed, p.terms_changed)
                            || b.touches(&p.changed, p.terms_changed)
                    })
                    .collect();
                Reuse { dirty, ..p.reuse }
            })
        });
        let rendered_count = match &reuse {
            Some(r) => r.dirty.iter().filter(|d| **d).count(),
            None => index.pages.len(),
        };

        progress("rendering");
        let templates = kept_templates.or_else(|| compiling.and_then(Compiling::finish));
        let rendered = crate::render::render(
            index, directives, templates, site_wide, &mut diags, reuse, sink,
        );
        t = timings.record("render", t);
        let (rendered, failure) = match rendered {
            Ok(r) => {
                timings.render_parts = r.parts.clone();
                (Some(r), None)
            }
            Err(e) => (None, Some(e)),
        };
        progress("validating");
        let mut verdict = Verdict::new(rendered, diags, &overrides, self.opts.strict, checked);
        timings.record("validate", t);
        let mut outcome = Outcome::from_verdict(&mut verdict, timings);
        outcome.output_dir = output_dir;
        outcome.pages = pages;
        outcome.untranslated = untranslated;
        outcome.incremental = incremental;
        outcome.rendered = rendered_count;
        outcome.trees = trees;
        self.kept = verdict.site.map(|site| Kept {
            site,
            site_diagnostics,
            deps: new_deps,
        });
        (outcome, failure)
    }
}

/// index → directives. An updated index ([`Input::Indexed`]) with the
/// previous directives and the pages changed since resolves only those
/// pages' directives again; anything else is indexed and resolved anew.
fn index_and_resolve(
    input: Input,
    previous: Option<(crate::directives::Directives, &BTreeSet<usize>)>,
    diags: &mut Diagnostics,
) -> (SiteIndex, crate::directives::Directives) {
    let site = match (input, previous) {
        (Input::Indexed(old), Some((directives, changed))) => {
            let index = crate::index::update(*old, changed, diags);
            let directives = crate::directives::resolve_changed(&index, directives, changed, diags);
            return (index, directives);
        }
        (Input::Indexed(old), None) => old.site,
        (Input::Parsed(site), _) => site,
    };
    let index = crate::index::index(site, diags);
    let directives = crate::directives::resolve(&index, diags);
    (index, directives)
}

/// Whether directives read the same of `new` as of `old`: its place in the
/// site (collection, path, language, slug, id, the page it translates), its
/// terms and its references. Its title and body may differ: directives keep
/// pages, not what they show (rows are rendered from the pages).
fn same_for_directives(old: &ParsedPage, new: &ParsedPage) -> bool {
    fn value(l: &Option<Located>) -> Option<&str> {
        l.as_ref().map(|l| l.value.as_str())
    }
    same_terms(old, new)
        && old.collection == new.collection
        && old.content_path == new.content_path
        && old.translation_key == new.translation_key
        && old.lang == new.lang
        && old.slug() == new.slug()
        && value(&old.front.id) == value(&new.front.id)
        && value(&old.front.translation_of) == value(&new.front.translation_of)
        && values(&old.front.refs) == values(&new.front.refs)
}

/// Whether a page's terms and draft state are those of its new version.
fn same_terms(old: &ParsedPage, new: &ParsedPage) -> bool {
    old.front.draft == new.front.draft && values(&old.front.terms) == values(&new.front.terms)
}

/// The values of a front-matter map of located lists (terms, references),
/// without where they were written.
fn values(map: &IndexMap<String, Vec<Located>>) -> Vec<(&str, Vec<&str>)> {
    map.iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(|l| l.value.as_str()).collect()))
        .collect()
}

/// Whether a new index has the same output pages (paths, kinds, content
/// pages, languages) and translation groups as the previous one: only then
/// can a build reuse the previous one's pages.
fn same_shape(old_pages: &[OutPage], old_group_of: &[usize], new: &SiteIndex) -> bool {
    old_group_of == new.group_of.as_slice()
        && old_pages.len() == new.pages.len()
        && old_pages.iter().zip(&new.pages).all(|(a, b)| {
            a.path == b.path && a.kind == b.kind && a.content == b.content && a.lang == b.lang
        })
}

/// Per other language: (name, pages lacking a translation, originals).
fn translation_summary(idx: &SiteIndex) -> Vec<(String, usize, usize)> {
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

/// Frees `value` on another thread: a session holds the whole site, and
/// freeing it takes milliseconds the caller need not wait for (a command
/// that exits right after does not wait at all).
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    // Without a thread to be had, the value is dropped with the closure.
    let _ = std::thread::Builder::new()
        .name("kader-free".into())
        .spawn(move || drop(value));
}
