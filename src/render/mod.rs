//! Stage 4, render: turns the index into output files with tera templates.
//! Templates are compiled once; pages render in parallel. All HTML lives in
//! templates; Rust only assembles the data they show.

mod context;
mod exports;
pub mod scan;
pub mod search;
pub mod spreadsheets;
mod templates;

pub use exports::PATHS as EXPORT_PATHS;
pub use templates::{describe as describe_template_error, Compiling, Templates};

use crate::diagnostics::Diagnostics;
use crate::directives::Directives;
use crate::index::{PageKind, SiteIndex};
use crate::parse::inline_style;
use crate::theme::StaticFile;
use context::ContextBuilder;
pub use context::RowCache;
use rayon::prelude::*;
use scan::{scan, Links, Scan};
use std::path::PathBuf;
use std::sync::Arc;

/// A map keyed by output path.
pub type ByPath<V> = kader_search::hash::FxHashMap<String, V>;

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

/// Where pages go as soon as they are rendered, instead of staying in
/// memory (`kader build` writes them into its temporary output folder).
pub trait Sink: Sync {
    /// Writes one file; an error stops the render.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), String>;
    /// Copies one file unchanged and returns its size; an error stops the render.
    fn copy(&self, copy: &Copy) -> Result<u64, String>;
}

/// What was handed to a [`Sink`] during the render.
#[derive(Debug, Clone, Default)]
pub struct Streamed {
    /// Files written or copied, and their size in bytes.
    pub files: usize,
    pub bytes: u64,
    /// Whether the files copied unchanged ([`RenderedSite::copies`]) are among them.
    pub copies: bool,
    /// The files written that are not HTML pages (those have scans).
    pub other: Vec<String>,
}

/// The rendered site.
#[derive(Debug)]
pub struct RenderedSite {
    pub index: SiteIndex,
    pub directives: Directives,
    /// The files held in memory: all of them, or, when rendering into a
    /// [`Sink`], those not written yet.
    pub files: Vec<OutputFile>,
    /// What validation needs of every HTML file, by output path.
    pub scans: ByPath<Scan>,
    /// The link targets the scans name.
    pub links: Links,
    /// What went to the sink.
    pub streamed: Streamed,
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
    /// The compiled templates (none when they did not compile), which an
    /// incremental build over the same theme reuses.
    pub templates: Option<Arc<Templates>>,
    /// When this render took files over from a previous one (keeping their
    /// scans and link numbers): the HTML files it scanned again, or left
    /// out. `None`: it scanned every file.
    pub rescanned: Option<Rescanned>,
}

/// Output paths of HTML files scanned again.
pub type Rescanned = std::collections::HashSet<String, kader_search::hash::FxBuildHasher>;

/// Pages to take from a previous render instead of rendering them again.
pub struct Reuse {
    /// Per output page: render it again.
    pub dirty: Vec<bool>,
    /// The previous render's files, its pages first in page order (as
    /// [`RenderedSite::files`] holds them).
    pub files: Vec<OutputFile>,
    /// The previous render's scans by path (one for each HTML file), and
    /// the targets they name.
    pub scans: ByPath<Scan>,
    pub links: Links,
    /// Take the site-wide files from `files` instead of building them (the
    /// caller brings them up to date later with [`site_files`]).
    pub stale_site_files: bool,
    /// Table rows of the previous render that are still valid.
    pub rows: RowCache,
}

/// Whether an output file is a site-wide file: one that depends on every
/// page (the search index and the exports).
fn is_site_file(path: &str) -> bool {
    !path.ends_with(".html")
        && (path.starts_with("search/")
            || exports::is_export(path)
            || spreadsheets::is_spreadsheet(path))
}

/// What a render makes of the site-wide files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteWide {
    /// Makes them.
    Files,
    /// Only names the exports and spreadsheets (empty files), which pages
    /// link to, and leaves the search index out: for a check, which reads
    /// no site-wide file but validates the links to them.
    Paths,
}

/// The site-wide files as [`SiteWide::Paths`] has them.
fn site_file_paths(index: &SiteIndex) -> Vec<OutputFile> {
    exports::PATHS
        .into_iter()
        .map(String::from)
        .chain(spreadsheets::paths(index))
        .map(|path| OutputFile {
            path,
            bytes: Default::default(),
        })
        .collect()
}

/// The site-wide files: the search index and the exports.
fn site_files(index: &SiteIndex) -> Vec<OutputFile> {
    site_files_to(index, &|files| files)
}

/// The site-wide files, each part (the exports, the spreadsheets, the
/// search index) handed to `put` as soon as it is made, and what `put`
/// gave back. A large site's parts take hundreds of megabytes each: a part
/// written at once is not held while the others are made.
fn site_files_to(index: &SiteIndex, put: &PutFiles) -> Vec<OutputFile> {
    // Side by side: a core that has finished its pages takes a part over.
    // The search index first: it takes longest and needs most memory,
    // which is then not added to what the pages rendered so far hold.
    let (search, (mut files, sheets)) = rayon::join(
        || put(search::index_files(index)),
        || {
            rayon::join(
                || put(exports::exports(index)),
                || spreadsheets::files(index, put),
            )
        },
    );
    files.extend(sheets);
    files.extend(search);
    files
}

/// Writes files and gives back those it keeps in memory.
pub(super) type PutFiles<'a> = dyn Fn(Vec<OutputFile>) -> Vec<OutputFile> + Sync + 'a;

/// The stylesheet of the pages' inline styles, when they have any. It is
/// small and pages link to it, so it is made on every render, also when the
/// site-wide files are taken from an earlier one.
fn styles_file(index: &SiteIndex) -> Option<OutputFile> {
    let rules: Vec<&inline_style::StyleRule> = index
        .site
        .pages
        .iter()
        .enumerate()
        .filter(|(i, _)| index.out_of_content[*i].is_some())
        .flat_map(|(_, p)| &p.body.styles)
        .collect();
    (!rules.is_empty()).then(|| OutputFile {
        path: inline_style::STYLESHEET.to_string(),
        bytes: std::sync::Arc::new(inline_style::stylesheet(rules).into_bytes()),
    })
}

/// Builds the site-wide files of `site` again when they were taken from an
/// earlier build ([`Reuse::stale_site_files`]). Afterwards the site equals
/// a cold build. Returns whether anything was done.
pub fn complete_site_files(site: &mut RenderedSite) -> bool {
    if !site.site_files_stale {
        return false;
    }
    site.files.retain(|f| !is_site_file(&f.path));
    site.files.extend(site_files(&site.index));
    site.site_files_stale = false;
    true
}

/// Renders every page, the 404 pages, the sitemap and the site-wide files
/// with `templates` (compiled here when `None`). Pages that are not dirty
/// in `reuse` are taken from it. Pages go to `sink` (when given) as they are
/// ready, else they stay in memory; the sink's first error stops the render
/// and is returned.
pub fn render(
    index: SiteIndex,
    directives: Directives,
    templates: Option<Arc<Templates>>,
    site_wide: SiteWide,
    diags: &mut Diagnostics,
    reuse: Option<Reuse>,
    sink: Option<&dyn Sink>,
) -> Result<RenderedSite, String> {
    match render_with(index, directives, templates, site_wide, diags, reuse, sink) {
        (site, None) => Ok(site),
        (_, Some(e)) => Err(e),
    }
}

/// The rendered site and the sink's first error, if any.
fn render_with(
    index: SiteIndex,
    directives: Directives,
    templates: Option<Arc<Templates>>,
    site_wide: SiteWide,
    diags: &mut Diagnostics,
    reuse: Option<Reuse>,
    sink: Option<&dyn Sink>,
) -> (RenderedSite, Option<String>) {
    let (dirty, mut old_files, old_scans, links, stale, rows) = match reuse {
        Some(r) => (
            Some(r.dirty),
            r.files,
            r.scans,
            r.links,
            r.stale_site_files,
            r.rows,
        ),
        None => Default::default(),
    };
    let previous_site_files: Option<Vec<OutputFile>> = stale.then(|| {
        let mut kept: Vec<OutputFile> = old_files
            .extract_if(.., |f| is_site_file(&f.path))
            .collect();
        kept.sort_by(|a, b| a.path.cmp(&b.path));
        kept
    });
    let old = Old::new(&index, dirty, old_files, old_scans);
    let copies = copies(&index);
    let pages = Pages {
        base: &index.site.config.base_path,
        links: &links,
        sink,
        failure: std::sync::Mutex::new(None),
        streamed: Default::default(),
    };
    // The search index needs neither templates nor rendered pages: it is
    // built on one core while the templates are compiled and the pages
    // rendered on the others. Files copied unchanged go to the sink before
    // the pages, so that one core copies while the other works (two cores
    // copying into the same file system at once contend in the kernel).
    let ((site_wide, site_wide_time), ((), rendered)) = rayon::join(
        || {
            timed(|| {
                // Written as soon as they are built: the search index and
                // the exports of a large site take hundreds of megabytes.
                // Side by side: the search index is hundreds of small files,
                // often the last thing a build writes.
                let put = |files: Vec<OutputFile>| {
                    files
                        .into_par_iter()
                        .with_max_len(16)
                        .filter_map(|f| pages.put(f))
                        .collect::<Vec<_>>()
                };
                let mut kept = match (previous_site_files, site_wide) {
                    (Some(files), _) => put(files),
                    (None, SiteWide::Files) => site_files_to(&index, &put),
                    (None, SiteWide::Paths) => put(site_file_paths(&index)),
                };
                kept.extend(put(styles_file(&index).into_iter().collect()));
                kept
            })
        },
        || {
            rayon::join(
                || pages.copy_all(&copies),
                || render_pages(&index, &directives, templates, old, &pages, rows, diags),
            )
        },
    );
    let Pages {
        failure, streamed, ..
    } = pages;
    let failure = failure.into_inner().ok().flatten();
    let streamed = streamed.into_inner().unwrap_or_default();
    let Some((mut files, scans, rescanned, rows, templates, pages_time)) = rendered else {
        // The templates did not compile (see the diagnostics).
        let site = RenderedSite {
            templates: None,
            index,
            directives,
            files: Vec::new(),
            scans: ByPath::default(),
            links,
            streamed: Streamed::default(),
            copies: Vec::new(),
            parts: Vec::new(),
            site_files_stale: false,
            rows: RowCache::default(),
            rescanned: None,
        };
        return (site, failure);
    };
    files.extend(site_wide);
    let site = RenderedSite {
        templates: Some(templates),
        index,
        directives,
        files,
        scans,
        links,
        streamed,
        copies,
        parts: vec![("pages", pages_time), ("site-wide", site_wide_time)],
        site_files_stale: stale,
        rows,
        rescanned,
    };
    (site, failure)
}

/// Output files by path.
/// The previous render, for a reusing one.
#[derive(Default)]
struct Old {
    /// Per output page: its previous file, when it is taken over unchanged
    /// (empty: every page is rendered).
    pages: Vec<Option<OutputFile>>,
    /// The previous render's other files by path (the sitemap).
    others: ByPath<std::sync::Arc<Vec<u8>>>,
    /// The previous render's scans, those of the pages taken over among
    /// them.
    scans: ByPath<Scan>,
    /// Whether there is a previous render.
    reusing: bool,
}

impl Old {
    /// The previous files of the pages that are not `dirty`, found by a walk
    /// through both in page order (without a lookup per page).
    fn new(
        index: &SiteIndex,
        dirty: Option<Vec<bool>>,
        files: Vec<OutputFile>,
        scans: ByPath<Scan>,
    ) -> Old {
        let Some(dirty) = dirty else {
            return Old::default();
        };
        let n = index.pages.len();
        let mut pages: Vec<Option<OutputFile>> = vec![None; n];
        let mut others = ByPath::default();
        let mut next = 0;
        for f in files {
            let page_path = f.path.strip_suffix("index.html");
            let at = match page_path {
                Some(p) if next < n && index.pages[next].path == p => Some(next),
                Some(p) => index.by_path.get(p).copied().filter(|&i| i >= next),
                None => None,
            };
            match at {
                Some(i) => {
                    if !dirty.get(i).copied().unwrap_or(true) {
                        pages[i] = Some(f);
                    }
                    next = i + 1;
                }
                None => {
                    others.insert(f.path, f.bytes);
                }
            }
        }
        Old {
            pages,
            others,
            scans,
            reusing: true,
        }
    }

    /// The previous file of output page `i`, if it is taken over.
    fn page(&mut self, i: usize) -> Option<OutputFile> {
        self.pages.get_mut(i)?.take()
    }
}

/// The files copied unchanged: the theme's static files and the site's assets.
fn copies(index: &SiteIndex) -> Vec<Copy> {
    let theme = index.site.theme.static_files.iter().map(|f| match f {
        StaticFile::Builtin(rel, bytes) => (
            bytes.len() as u64,
            Copy::Bytes {
                bytes,
                to: rel.to_string(),
            },
        ),
        StaticFile::Site(a) => (
            a.size,
            Copy::Disk {
                from: a.abs.clone(),
                to: a.rel.clone(),
            },
        ),
    });
    let assets = index.site.assets.iter().map(|a| {
        (
            a.size,
            Copy::Disk {
                from: a.abs.clone(),
                to: a.rel.clone(),
            },
        )
    });
    // The largest first: the cores that share the copying then end it
    // together, instead of one of them copying a large file last.
    let mut sized: Vec<(u64, Copy)> = theme.chain(assets).collect();
    sized.sort_by_key(|c| std::cmp::Reverse(c.0));
    sized.into_iter().map(|(_, c)| c).collect()
}

/// Pages rendered into memory or the sink: the files kept in memory, the
/// scans of all, the files scanned again (when reusing), the table rows and
/// the time taken. `None` when the templates do not compile.
type RenderedPages = (
    Vec<OutputFile>,
    ByPath<Scan>,
    Option<Rescanned>,
    RowCache,
    Arc<Templates>,
    std::time::Duration,
);

/// Compiles the templates and renders every page, the 404 pages and the sitemap.
fn render_pages(
    index: &SiteIndex,
    directives: &Directives,
    templates: Option<Arc<Templates>>,
    mut old: Old,
    pages: &Pages,
    rows: RowCache,
    diags: &mut Diagnostics,
) -> Option<RenderedPages> {
    let start = std::time::Instant::now();
    let templates = match templates {
        Some(t) => t,
        None => Arc::new(Templates::compile(&index.site.theme.templates, diags)?),
    };
    let builder = ContextBuilder::new(index, directives, &templates, rows, pages.links);
    // The pages not taken over, in small pieces: a core that finishes the
    // site-wide files then takes over pages still waiting, instead of
    // idling beside a long run of them.
    let todo: Vec<usize> = heavy_first(index)
        .into_iter()
        .filter(|&i| old.pages.get(i).is_none_or(Option::is_none))
        .collect();
    let mut results: Vec<(usize, Finished, Diagnostics)> = todo
        .into_par_iter()
        .with_max_len(4)
        .map(|i| {
            let mut d = Diagnostics::new();
            if pages.failed() {
                return (i, Finished::default(), d);
            }
            let file = builder.page(i, &mut d);
            (
                i,
                file.map(|(f, scan)| pages.finish(f, scan))
                    .unwrap_or_default(),
                d,
            )
        })
        .collect();
    results.sort_unstable_by_key(|r| r.0);
    let mut files = Vec::with_capacity(index.pages.len() + 8);
    // The previous scans stay for the pages taken over; the others' are
    // replaced.
    let mut scans = std::mem::take(&mut old.scans);
    let mut rescanned = old.reusing.then(Rescanned::default);
    fn keep(
        files: &mut Vec<OutputFile>,
        scans: &mut ByPath<Scan>,
        rescanned: &mut Option<Rescanned>,
        f: Finished,
    ) {
        files.extend(f.file);
        if let Some((path, scan)) = f.scan {
            if let Some(r) = rescanned {
                r.insert(path.clone());
            }
            scans.insert(path, scan);
        }
    }
    let mut results = results.into_iter().peekable();
    for i in 0..index.pages.len() {
        if let Some(file) = old.page(i) {
            // Its scan is among the previous ones.
            let file = pages.put(file);
            keep(
                &mut files,
                &mut scans,
                &mut rescanned,
                Finished { file, scan: None },
            );
            continue;
        }
        while let Some((j, f, d)) = results.next_if(|r| r.0 <= i) {
            diags.extend(d);
            if f.scan.is_none() {
                // Not rendered: no scan of a previous version stays.
                let path = file_of(&index.pages[j].path);
                scans.remove(&path);
                if let Some(r) = &mut rescanned {
                    r.insert(path);
                }
            }
            keep(&mut files, &mut scans, &mut rescanned, f);
        }
    }
    for lang in index.site.config.language_codes() {
        if let Some(f) = builder.not_found(lang, diags) {
            keep(
                &mut files,
                &mut scans,
                &mut rescanned,
                pages.finish(f, None),
            );
        }
    }
    if let Some(css) = crate::theme::look::palette_css(&index.site.config.theme.palette) {
        files.push(OutputFile {
            path: crate::theme::look::PALETTE_CSS.into(),
            bytes: css.into_bytes().into(),
        });
    }
    // The sitemap lists URLs only, which a reusing build shares with the
    // build it reuses.
    match old.others.remove(SITEMAP) {
        Some(bytes) => files.push(OutputFile {
            path: SITEMAP.into(),
            bytes,
        }),
        None => files.extend(builder.sitemap(diags)),
    }
    let rows = builder.into_rows();
    Some((files, scans, rescanned, rows, templates, start.elapsed()))
}

/// The output pages in the order they are handed to the cores: "Vereisten
/// voor jou" (the slowest page by far: every requirement with its measures
/// and the data to narrow them) first, so that it is not left for one core
/// at the end while the other has nothing to do. The overviews stay where
/// they are: rendered first on a large site, they would add their memory to
/// that of the search index being built beside them.
fn heavy_first(index: &SiteIndex) -> Vec<usize> {
    let (mut order, content): (Vec<usize>, Vec<usize>) =
        (0..index.pages.len()).partition(|&i| index.pages[i].kind == PageKind::Profile);
    order.extend(content);
    order
}

/// A rendered HTML file, scanned, and kept in memory unless it went to the sink.
#[derive(Default)]
struct Finished {
    file: Option<OutputFile>,
    scan: Option<(String, Scan)>,
}

/// Hands rendered pages to the sink, if any.
struct Pages<'a> {
    base: &'a str,
    links: &'a Links,
    sink: Option<&'a dyn Sink>,
    failure: std::sync::Mutex<Option<String>>,
    streamed: std::sync::Mutex<Streamed>,
}

impl Pages<'_> {
    fn failed(&self) -> bool {
        self.failure.lock().map_or(true, |f| f.is_some())
    }

    fn fail(&self, e: String) {
        if let Ok(mut f) = self.failure.lock() {
            f.get_or_insert(e);
        }
    }

    /// Counts a file given to the sink; `other` names one that has no scan.
    fn count(&self, bytes: u64, other: Option<String>) {
        if let Ok(mut s) = self.streamed.lock() {
            s.files += 1;
            s.bytes += bytes;
            s.other.extend(other);
        }
    }

    /// Hands the files copied unchanged to the sink, if any.
    fn copy_all(&self, copies: &[Copy]) {
        let Some(sink) = self.sink else { return };
        copies.par_iter().with_max_len(2).for_each(|c| {
            if self.failed() {
                return;
            }
            match sink.copy(c) {
                Ok(bytes) => self.count(bytes, None),
                Err(e) => self.fail(e),
            }
        });
        if let Ok(mut s) = self.streamed.lock() {
            s.copies = true;
        }
    }

    /// Scans `file` (unless its scan is known) and writes it to the sink.
    fn finish(&self, file: OutputFile, scan: Option<Scan>) -> Finished {
        let scan =
            scan.unwrap_or_else(|| self::scan(&file.path, &file.bytes, self.base, self.links));
        let path = file.path.clone();
        Finished {
            file: self.put(file),
            scan: Some((path, scan)),
        }
    }

    /// Writes `file` to the sink, if any; otherwise gives it back.
    fn put(&self, file: OutputFile) -> Option<OutputFile> {
        let Some(sink) = self.sink else {
            return Some(file);
        };
        match sink.write(&file.path, &file.bytes) {
            Ok(()) => {
                let bytes = file.bytes.len() as u64;
                let other = (!file.path.ends_with(".html")).then_some(file.path);
                self.count(bytes, other);
            }
            Err(e) => self.fail(e),
        }
        None
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
