//! Stage 4, render: turns the index into output files with tera templates.
//! Templates are compiled once; pages render in parallel. All HTML lives in
//! templates; Rust only assembles the data they show.

mod classifier;
mod context;
mod exports;
pub mod search;
mod templates;

pub use templates::{describe as describe_template_error, Templates};

use crate::diagnostics::Diagnostics;
use crate::index::{PageKind, SiteIndex};
use crate::theme::StaticFile;
use context::ContextBuilder;
pub use context::RowCache;
use rayon::prelude::*;
use std::path::PathBuf;

/// A file to write into the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Shared, so an incremental build and the preview server reuse it without copying.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// A file copied unchanged into the output.
#[derive(Debug, Clone)]
pub enum Copy {
    Disk { from: PathBuf, to: String },
    Bytes { bytes: &'static [u8], to: String },
}

impl Copy {
    pub fn dest(&self) -> &str {
        match self {
            Copy::Disk { to, .. } | Copy::Bytes { to, .. } => to,
        }
    }
}

/// The rendered site, in memory.
#[derive(Debug)]
pub struct RenderedSite {
    pub index: SiteIndex,
    pub files: Vec<OutputFile>,
    pub copies: Vec<Copy>,
    /// Time spent on the parts of rendering (pages, search index), for
    /// `--timings`. The parts run side by side, so they may add up to more
    /// than the stage.
    pub parts: Vec<(&'static str, std::time::Duration)>,
    /// The site-wide files (see [`site_files`]) were taken from a previous
    /// build and may be out of date.
    pub site_files_stale: bool,
    /// The table rows rendered, for an incremental build to start from.
    pub rows: RowCache,
}

/// Pages to take from a previous render instead of rendering them again.
pub struct Reuse {
    /// Per output page: render it again.
    pub dirty: Vec<bool>,
    /// The previous render's files by path.
    pub files: std::collections::HashMap<String, std::sync::Arc<Vec<u8>>>,
    /// Take the site-wide files from `files` instead of building them (the
    /// caller brings them up to date later with [`site_files`]).
    pub stale_site_files: bool,
    /// Table rows of the previous render that are still valid.
    pub rows: RowCache,
}

/// Whether an output file is a site-wide file: one that depends on every
/// page (the search index and the exports).
pub fn is_site_file(path: &str) -> bool {
    !path.ends_with(".html") && (path.starts_with("search/") || exports::is_export(path))
}

/// The site-wide files: the search index and the exports.
pub fn site_files(index: &SiteIndex) -> Vec<OutputFile> {
    let mut files = exports::exports(index);
    files.extend(search::index_files(index));
    files
}

/// Renders every page, the 404 pages, the sitemap and the exports.
pub fn render(index: SiteIndex, diags: &mut Diagnostics) -> RenderedSite {
    render_reusing(index, diags, None)
}

/// As [`render`], but pages that are not dirty are taken from `reuse`.
pub fn render_reusing(
    index: SiteIndex,
    diags: &mut Diagnostics,
    reuse: Option<Reuse>,
) -> RenderedSite {
    let Some(templates) = Templates::compile(&index.site.theme, diags) else {
        return RenderedSite {
            index,
            files: Vec::new(),
            copies: Vec::new(),
            parts: Vec::new(),
            site_files_stale: false,
            rows: RowCache::default(),
        };
    };
    let (dirty, mut old_files, stale, rows) = match reuse {
        Some(r) => (Some(r.dirty), r.files, r.stale_site_files, r.rows),
        None => (None, Default::default(), false, RowCache::default()),
    };
    let builder = ContextBuilder::new(&index, &templates, rows);
    let previous_site_files: Option<Vec<OutputFile>> = stale.then(|| {
        let mut kept: Vec<OutputFile> = old_files
            .extract_if(|path, _| is_site_file(path))
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect();
        kept.sort_by(|a, b| a.path.cmp(&b.path));
        kept
    });
    let old_files = std::sync::Mutex::new(old_files);
    // A previous output file, taken over unchanged.
    let take_old = |path: &str| old_files.lock().ok()?.remove(path);
    let render_pages = || -> Vec<(Option<OutputFile>, Diagnostics)> {
        index
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, out)| {
                let mut d = Diagnostics::new();
                if dirty
                    .as_ref()
                    .is_some_and(|d| !d.get(i).copied().unwrap_or(true))
                {
                    let path = file_of(&out.path);
                    if let Some(bytes) = take_old(&path) {
                        return (Some(OutputFile { path, bytes }), d);
                    }
                }
                let file = builder.page(i, &mut d);
                (file, d)
            })
            .collect()
    };
    // The search index needs no rendered page: it is built on one core
    // while the pages render on the others.
    let ((results, pages_time), (site_wide, site_wide_time)) = rayon::join(
        || timed(render_pages),
        || timed(|| previous_site_files.unwrap_or_else(|| site_files(&index))),
    );
    let mut files = Vec::with_capacity(results.len() + 8);
    for (f, d) in results {
        diags.extend(d);
        files.extend(f);
    }
    for lang in index.site.config.language_codes() {
        files.extend(builder.not_found(lang, diags));
    }
    // The sitemap lists URLs only, which a reusing build shares with the
    // build it reuses.
    match dirty.as_ref().and_then(|_| take_old(SITEMAP)) {
        Some(bytes) => files.push(OutputFile {
            path: SITEMAP.into(),
            bytes,
        }),
        None => files.extend(builder.sitemap(diags)),
    }
    files.extend(site_wide);

    let mut copies = Vec::new();
    for f in &index.site.theme.static_files {
        copies.push(match f {
            StaticFile::Builtin(rel, bytes) => Copy::Bytes {
                bytes,
                to: rel.to_string(),
            },
            StaticFile::Site(a) => Copy::Disk {
                from: a.abs.clone(),
                to: a.rel.clone(),
            },
        });
    }
    for a in &index.site.assets {
        copies.push(Copy::Disk {
            from: a.abs.clone(),
            to: a.rel.clone(),
        });
    }
    let rows = builder.into_rows();
    RenderedSite {
        index,
        files,
        copies,
        parts: vec![("pages", pages_time), ("site-wide", site_wide_time)],
        site_files_stale: stale,
        rows,
    }
}

/// The result of `f` and the time it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let t = std::time::Instant::now();
    (f(), t.elapsed())
}

/// Output path of the sitemap.
pub const SITEMAP: &str = "sitemap.xml";

/// Output file path of a page path (`vereisten/x/` → `vereisten/x/index.html`).
pub fn file_of(path: &str) -> String {
    format!("{path}index.html")
}

/// Whether the page lists pages of a collection (for templates).
pub fn is_listing(kind: &PageKind) -> bool {
    !matches!(kind, PageKind::Content)
}
