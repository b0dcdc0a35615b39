//! Builds for `kader serve`: a full build first, then incremental rebuilds.
//!
//! When only existing pages changed, only those are read and parsed again;
//! the index is rebuilt (it is cheap) and only the output pages that depend
//! on a changed page are rendered again (see `index::deps`); everything
//! else is taken from the previous build. Anything else (configuration,
//! templates, static files, the glossary, decision trees, files added or
//! removed) rebuilds everything. Either way the result equals a cold build.
//!
//! The server uses [`Session::rebuild_pages_first`]: it keeps the previous
//! search index and exports (which depend on every page) so the reload can
//! go out sooner, and calls [`Session::complete`] once no further change
//! is waiting.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::index::deps::{dependencies, Deps};
use crate::index::{OutPage, SiteIndex};
use crate::render::{RenderedSite, Reuse};
use crate::validate::ValidatedSite;
use crate::BuildOptions;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a build produced.
pub struct Report {
    /// The site, when there were no errors.
    pub site: Option<ValidatedSite>,
    /// All diagnostics (sorted, severities applied).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the previous build was reused.
    pub incremental: bool,
    /// Output pages rendered again.
    pub rendered: usize,
    /// The dependencies of the site's output pages, when computed.
    deps: Option<Vec<Deps>>,
}

/// A fatal problem (the site cannot be read at all).
pub type Fatal = String;

pub struct Session {
    root: PathBuf,
    opts: BuildOptions,
    /// The last good build, the base for the next incremental one.
    good: Option<ValidatedSite>,
    /// The dependencies of `good`'s output pages, once computed.
    deps: Option<Vec<Deps>>,
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

impl Session {
    pub fn new(root: &Path, opts: BuildOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            opts,
            good: None,
            deps: None,
        }
    }

    /// The last good build.
    pub fn current(&self) -> Option<&ValidatedSite> {
        self.good.as_ref()
    }

    /// Builds after `changed` paths changed (empty: a full build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Report, Fatal> {
        self.rebuild_with(changed, false)
    }

    /// As [`Session::rebuild`], but an incremental build keeps the previous
    /// site-wide files (search index, exports), so the changed pages can be
    /// shown sooner; [`Session::complete`] brings those up to date.
    pub fn rebuild_pages_first(&mut self, changed: &[PathBuf]) -> Result<Report, Fatal> {
        self.rebuild_with(changed, true)
    }

    fn rebuild_with(&mut self, changed: &[PathBuf], defer: bool) -> Result<Report, Fatal> {
        if let Some(pages) = self.changed_pages(changed) {
            if let Some(report) = self.incremental(&pages, defer) {
                return Ok(report);
            }
        }
        self.full()
    }

    /// Whether the kept site's site-wide files are out of date.
    pub fn incomplete(&self) -> bool {
        self.good
            .as_ref()
            .is_some_and(|g| g.rendered.site_files_stale)
    }

    /// Builds the site-wide files of the kept site again, when they are out
    /// of date. Afterwards the kept site equals a cold build. Returns whether
    /// anything was done.
    pub fn complete(&mut self) -> bool {
        let Some(good) = self.good.as_mut().filter(|g| g.rendered.site_files_stale) else {
            return false;
        };
        let r = &mut good.rendered;
        r.files.retain(|f| !crate::render::is_site_file(&f.path));
        r.files.extend(crate::render::site_files(&r.index));
        r.site_files_stale = false;
        true
    }

    /// Content-relative paths when every change is to an existing page.
    fn changed_pages(&self, changed: &[PathBuf]) -> Option<Vec<String>> {
        let good = self.good.as_ref()?;
        let site = &good.rendered.index.site;
        let content = self.root.join(&site.config.content_dir);
        let known: HashSet<&str> = site.pages.iter().map(|p| p.content_path.as_str()).collect();
        let mut out = Vec::new();
        for path in changed {
            let exists = path.exists();
            let Ok(rel) = path.strip_prefix(&content) else {
                // Something outside the content folder: a full rebuild,
                // unless it is a temporary file that came and went.
                if exists {
                    return None;
                }
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !known.contains(rel.as_str()) {
                // New files need a full rebuild; files that came and went
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

    fn full(&mut self) -> Result<Report, Fatal> {
        self.good = None;
        let outcome =
            crate::check_site(&self.root, &self.opts, &|_| {}).map_err(|e| e.to_string())?;
        let rendered = outcome
            .site
            .as_ref()
            .map_or(0, |s| s.rendered.index.pages.len());
        let site = if outcome.has_errors() {
            None
        } else {
            outcome.site
        };
        let report = Report {
            site,
            diagnostics: outcome.diagnostics,
            incremental: false,
            rendered,
            deps: None,
        };
        Ok(report)
    }

    /// Keeps the report's site as the base of the next build and returns
    /// the report without it (the caller takes a snapshot first).
    pub fn keep(&mut self, report: &mut Report) {
        self.good = report.site.take();
        self.deps = report.deps.take().filter(|_| self.good.is_some());
    }

    fn incremental(&mut self, pages: &[String], defer: bool) -> Option<Report> {
        let good = self.good.take()?;
        let config = good.rendered.index.site.config.clone();
        // Read the changed pages; unchanged text means nothing to do for it.
        let mut updates = Vec::new();
        for rel in pages {
            let i = good
                .rendered
                .index
                .site
                .pages
                .iter()
                .position(|p| &p.content_path == rel)?;
            let Ok(src) = crate::discover::read_page(&self.root, &config, rel) else {
                self.good = Some(good);
                return None;
            };
            if src.source.text != good.rendered.index.site.pages[i].source.text {
                updates.push((i, src));
            }
        }
        let old_deps = match self.deps.take() {
            Some(d) => d,
            None => dependencies(&good.rendered.index),
        };
        let RenderedSite {
            index,
            files,
            scans,
            links,
            mut rows,
            ..
        } = good.rendered;
        let (old_pages, old_group_of) = (index.pages, index.group_of);
        let mut site = index.site;
        let mut changed = BTreeSet::new();
        let mut terms_changed = false;
        for (i, src) in updates {
            let new = site.reparse(src);
            let old = &site.pages[i].front;
            terms_changed |= old
                .terms
                .iter()
                .map(|(k, v)| (k, v.iter().map(|l| &l.value).collect::<Vec<_>>()))
                .ne(new
                    .front
                    .terms
                    .iter()
                    .map(|(k, v)| (k, v.iter().map(|l| &l.value).collect::<Vec<_>>())))
                || old.draft != new.front.draft;
            site.pages[i] = new;
            changed.insert(i);
        }

        let mut diags = Diagnostics::new();
        diags.extend(site.site_diagnostics.clone());
        for p in &site.pages {
            diags.extend(p.diagnostics.clone());
        }
        let overrides = site.config.severity.clone();
        let new_index = crate::index::index(site, &mut diags);
        let same_shape = same_shape(&old_pages, &old_group_of, &new_index);
        let mut new_deps = None;
        let (dirty, rendered_count) = if same_shape {
            let deps = new_deps.insert(dependencies(&new_index));
            let dirty: Vec<bool> = old_deps
                .iter()
                .zip(deps.iter())
                .map(|(a, b): (&Deps, &Deps)| {
                    a.touches(&changed, terms_changed) || b.touches(&changed, terms_changed)
                })
                .collect();
            let n = dirty.iter().filter(|d| **d).count();
            (Some(dirty), n)
        } else {
            (None, new_index.pages.len())
        };
        // Kept site-wide files stay out of date until `complete`.
        let stale_site_files = defer;
        let reuse = dirty.map(|dirty| Reuse {
            dirty,
            files: files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<HashMap<_, _>>(),
            scans,
            links,
            stale_site_files,
            rows: {
                rows.forget(&changed);
                rows
            },
        });
        let rendered = crate::render::render_reusing(new_index, &mut diags, reuse);
        let validated = crate::validate::validate(rendered, &mut diags);
        diags.apply_policy(&overrides, self.opts.strict);
        let has_errors = diags.has_errors();
        Some(Report {
            site: (!has_errors).then_some(validated),
            diagnostics: diags.sorted(),
            incremental: true,
            rendered: rendered_count,
            deps: new_deps,
        })
    }
}
