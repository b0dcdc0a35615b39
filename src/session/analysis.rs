//! Analysis for editors (`kader lsp`): discover → parse → index →
//! directives, without rendering. The site is indexed and its directives
//! resolved, every problem of those stages is collected with site.toml's
//! severities applied, and the result is kept whether or not it has errors,
//! so the next change re-reads and re-parses only the changed pages.
//!
//! What is left out is what only rendered output shows: template errors
//! (`K0004`) and links that templates generate (`K0410`). Everything an
//! editor writes in a page is checked by the same stages as `kader check`.

use super::{index_and_resolve, same_for_directives, Input, Session, Timings};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::directives::Directives;
use crate::discover::FatalError;
use crate::index::SiteIndex;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The site as an editor sees it.
#[derive(Debug)]
pub struct Analysis {
    /// The index, or `None` when site.toml itself is broken.
    pub index: Option<SiteIndex>,
    /// The resolved directives of every page (empty without an index).
    pub directives: Directives,
    /// Sorted, with site.toml's severities and `--strict` applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether only changed pages were parsed again.
    pub incremental: bool,
    /// Problems of the site as a whole, carried over by the next analysis.
    site_diagnostics: Diagnostics,
}

impl Session {
    /// The last analysis.
    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    /// Analyses the site after `changed` paths changed, on disk or in the
    /// overlay (none: from scratch). When every change is to an existing
    /// page, only those pages are read and parsed again; anything else
    /// (site.toml, templates, files added or removed) starts over.
    pub fn analyze(&mut self, changed: &[PathBuf]) -> Result<&Analysis, FatalError> {
        let pages = self
            .analysis
            .as_ref()
            .and_then(|a| a.index.as_ref())
            .and_then(|idx| self.changed_pages_of(&idx.site, changed));
        let incremental = pages.and_then(|pages| self.reanalyze(&pages));
        if incremental.is_none() {
            self.analyze_cold()?;
        }
        Ok(self.analysis.as_ref().expect("an analysis was made"))
    }

    fn analyze_cold(&mut self) -> Result<(), FatalError> {
        self.analysis = None;
        let mut timings = Timings::default();
        match self.parse(&|_| {}, &mut timings, false)? {
            Ok((parsed, site_diagnostics, _, _)) => {
                self.finish_analysis(Input::Parsed(parsed), None, site_diagnostics)
            }
            Err(diags) => {
                let mut d = diags.clone();
                d.apply_policy(&Default::default(), self.opts.strict);
                self.analysis = Some(Analysis {
                    index: None,
                    directives: Directives::default(),
                    diagnostics: d.sorted(),
                    incremental: false,
                    site_diagnostics: diags,
                });
            }
        }
        Ok(())
    }

    /// Parses the changed pages again; `None` when one cannot be read (the
    /// caller starts over). When the changed pages keep their place in the
    /// site ([`same_for_directives`]), the index is updated and only their
    /// directives are resolved again, as in an incremental build.
    fn reanalyze(&mut self, pages: &[String]) -> Option<()> {
        let Analysis {
            index,
            directives,
            site_diagnostics,
            ..
        } = self.analysis.take()?;
        let mut index = index?;
        let mut changed = BTreeSet::new();
        let mut keep = true;
        for rel in pages {
            let i = index
                .site
                .pages
                .iter()
                .position(|p| &p.content_path == rel)?;
            let src =
                crate::discover::read_page(&self.root, &index.site.config, rel, &self.overlay)
                    .ok()?;
            if src.source.text != index.site.pages[i].source.text {
                let new = index.site.reparse(src);
                keep &= same_for_directives(&index.site.pages[i], &new);
                index.site.pages[i] = new;
                changed.insert(i);
            }
        }
        let input = match keep {
            true => Input::Indexed(Box::new(index)),
            false => Input::Parsed(index.site),
        };
        self.finish_analysis(input, Some((directives, changed)), site_diagnostics);
        Some(())
    }

    /// index → directives, and the diagnostics with the severity policy.
    /// `previous`: the previous analysis's directives and the pages changed
    /// since (an incremental analysis).
    fn finish_analysis(
        &mut self,
        input: Input,
        previous: Option<(Directives, BTreeSet<usize>)>,
        site_diagnostics: Diagnostics,
    ) {
        let parsed = input.site();
        let mut diags = site_diagnostics.clone();
        for p in &parsed.pages {
            diags.extend(p.diagnostics.clone());
        }
        let overrides = parsed.config.severity.clone();
        self.config = Some(parsed.config.clone());
        let incremental = previous.is_some();
        let (kept, changed) = match previous {
            Some((directives, changed)) => (Some(directives), changed),
            None => (None, BTreeSet::new()),
        };
        let (index, directives) = index_and_resolve(input, kept.map(|d| (d, &changed)), &mut diags);
        diags.apply_policy(&overrides, self.opts.strict);
        self.analysis = Some(Analysis {
            index: Some(index),
            directives,
            diagnostics: diags.sorted(),
            incremental,
            site_diagnostics,
        });
    }
}
