//! Stage 1, discover: walks the site root and reads every input into memory.
//!
//! This is the only stage that reads source files. Later stages work on the
//! returned [`Sources`]; `emit` copies asset files by path without reading
//! them as text.

mod extras;
pub mod icons;

pub use extras::{last_changed, SiteExtras};

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest Markdown page accepted, in bytes.
pub const MAX_PAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Everything a build needs, read from disk.
#[derive(Debug)]
pub struct Sources {
    pub root: PathBuf,
    pub config_source: SourceText,
    pub config: SiteConfig,
    pub pages: Vec<PageSource>,
    /// YAML data files under the content folder (decision trees).
    pub data_files: Vec<SourceText>,
    /// Files under the content folder that are published as they are.
    pub assets: Vec<AssetFile>,
    /// Templates of the site root, overriding the built-in ones by name.
    pub templates: Vec<(String, String)>,
    /// Files of the site's `static/` folder, overriding built-in ones by path.
    pub static_files: Vec<AssetFile>,
    pub glossary: Option<SourceText>,
    /// The icons the pages' shortcodes name, read from the icon packages.
    pub icons: icons::Icons,
    /// Stylesheets, logo, favicon and git dates the configuration asks for.
    pub extras: SiteExtras,
}

/// A Markdown page and where it lives.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub source: SourceText,
    /// Path below the content folder, e.g. `vereisten/avg-dpia.en.md`.
    pub content_path: String,
    pub lang: String,
    /// The content path without language suffix (`vereisten/avg-dpia.md`):
    /// pages sharing it are translations of each other.
    pub translation_key: String,
}

/// A file copied into the output unchanged.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path relative to its folder (content or static), `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
}

/// Texts of pages that differ from what is on disk (an editor's unsaved
/// buffers), by path relative to the site root (`content/x.md`). A page in
/// the overlay is read from it instead of from disk, with the same checks;
/// which pages exist is still decided by the disk.
#[derive(Debug, Clone, Default)]
pub struct Overlay(std::collections::HashMap<String, String>);

impl Overlay {
    /// Sets the text of the page at `path` (relative to the site root).
    pub fn set(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.0.insert(path.into(), text.into());
    }

    /// Forgets the text of `path` (it is read from disk again); whether it was set.
    pub fn remove(&mut self, path: &str) -> bool {
        self.0.remove(path).is_some()
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A problem that stops the run before any content is looked at (exit 2).
#[derive(Debug)]
pub struct FatalError(pub String);

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The configuration, its source, and warnings about it.
pub type ConfigRead = (SourceText, SiteConfig, Diagnostics);

/// Reads the configuration at `root`: `site.toml`, or else `mkdocs.yml`.
/// Config errors are content diagnostics.
pub fn read_config(root: &Path) -> Result<Result<ConfigRead, Diagnostics>, FatalError> {
    let path = root.join("site.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if root.join("mkdocs.yml").is_file() {
                return Ok(crate::mkdocs::read_config(root));
            }
            return Err(FatalError(format!(
                "no site.toml (or mkdocs.yml) in {}; run kader in a site folder or pass --root",
                root.display()
            )));
        }
        Err(e) => return Err(FatalError(format!("cannot read {}: {e}", path.display()))),
    };
    let source = SourceText::new("site.toml", text);
    Ok(SiteConfig::parse(&source).map(|c| (source, c, Diagnostics::new())))
}

/// Walks the site and reads all sources. Unreadable files become diagnostics.
pub fn discover(
    root: &Path,
    config_source: SourceText,
    config: SiteConfig,
    overlay: &Overlay,
) -> Result<(Sources, Diagnostics), FatalError> {
    let mut diags = Diagnostics::new();
    let content_root = root.join(&config.content_dir);
    if !content_root.is_dir() {
        return Err(FatalError(format!(
            "content folder {} does not exist",
            content_root.display()
        )));
    }
    if let Some(target) = outside_link(&content_root, root) {
        return Err(FatalError(format!(
            "content folder {} is a symbolic link to {}, outside the site; kader does not follow it",
            content_root.display(),
            target.display()
        )));
    }
    let rel_content = config.content_dir.clone();
    let entries = walk(&content_root, root, &mut diags);

    let glossary_rel = config
        .glossary
        .as_deref()
        .map(|g| g.trim_start_matches("./").to_string());
    let mut md = Vec::new();
    let mut data = Vec::new();
    let mut assets = Vec::new();
    for (rel, abs, size) in entries {
        let root_rel = format!("{rel_content}/{rel}");
        if glossary_rel.as_deref() == Some(root_rel.as_str()) {
            continue;
        }
        let hidden = rel.split('/').any(|seg| seg.starts_with('_'));
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" if !hidden => md.push((rel, abs, size)),
            "yaml" | "yml" => data.push((root_rel, abs, size)),
            _ if hidden => {}
            _ => assets.push(AssetFile { rel, abs, size }),
        }
    }

    // When each page was last committed comes from the git history,
    // walked while the files are read.
    let wanted: Vec<String> = if config.last_updated {
        md.iter().map(|(rel, _, _)| rel.clone()).collect()
    } else {
        Vec::new()
    };
    let content_dir = config.content_dir.clone();
    let (history, (mut sources, diags)) = rayon::join(
        || (!wanted.is_empty()).then(|| extras::last_changed(root, &content_dir, &wanted)),
        || {
            gather(
                root,
                Found {
                    config_source,
                    config,
                    md,
                    data,
                    assets,
                    glossary_rel,
                },
                overlay,
                diags,
            )
        },
    );
    if let Some(h) = history {
        sources.extras.last_changed = h;
    }
    Ok((sources, diags))
}

/// What [`discover`] found in the content folder, to be read.
struct Found {
    config_source: SourceText,
    config: SiteConfig,
    md: Vec<Entry>,
    data: Vec<Entry>,
    assets: Vec<AssetFile>,
    glossary_rel: Option<String>,
}

/// Reads what was found, and the site's templates and static files.
fn gather(
    root: &Path,
    found: Found,
    overlay: &Overlay,
    mut diags: Diagnostics,
) -> (Sources, Diagnostics) {
    let Found {
        config_source,
        config,
        md,
        data,
        mut assets,
        glossary_rel,
    } = found;
    let rel_content = config.content_dir.clone();
    let read: Vec<_> = md
        .into_par_iter()
        .map(|(rel, abs, size)| {
            let path = format!("{rel_content}/{rel}");
            let read = match overlay.get(&path) {
                Some(text) => decode(&path, text.as_bytes().to_vec(), MAX_PAGE_BYTES),
                None => read_text(&abs, &path, size, MAX_PAGE_BYTES),
            };
            (rel, read)
        })
        .collect();
    let mut pages = Vec::new();
    for (rel, result) in read {
        match result {
            Ok(source) => {
                let (lang, key) = page_language(&rel, &config);
                match lang {
                    Ok(lang) => pages.push(PageSource {
                        source,
                        content_path: rel,
                        lang,
                        translation_key: key,
                    }),
                    Err(d) => diags.push(d(&source)),
                }
            }
            Err(d) => diags.push(*d),
        }
    }
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));

    let mut data_files = Vec::new();
    for (path, abs, size) in data {
        match read_text(&abs, &path, size, MAX_PAGE_BYTES) {
            Ok(s) => data_files.push(s),
            Err(d) => diags.push(*d),
        }
    }
    data_files.sort_by(|a, b| a.path.cmp(&b.path));
    assets.sort_by(|a, b| a.rel.cmp(&b.rel));

    let glossary = match &glossary_rel {
        Some(g) => {
            let abs = root.join(g);
            match std::fs::metadata(&abs) {
                Ok(m) => match read_text(&abs, g, m.len(), MAX_PAGE_BYTES) {
                    Ok(s) => Some(s),
                    Err(d) => {
                        diags.push(*d);
                        None
                    }
                },
                Err(e) => {
                    diags.push(
                        Diagnostic::file(
                            Code::Config,
                            "site.toml",
                            format!("glossary file `{g}` cannot be read: {e}"),
                        )
                        .with_hint(
                            "set `glossary` to a path relative to the site root, or remove it",
                        ),
                    );
                    None
                }
            }
        }
        None => None,
    };

    let mut templates = Vec::new();
    let tdir = root.join("templates");
    if tdir.is_dir() {
        for (rel, abs, size) in walk(&tdir, root, &mut diags) {
            let shown = format!("templates/{rel}");
            match read_text(&abs, &shown, size, MAX_PAGE_BYTES) {
                Ok(s) => templates.push((rel, s.text)),
                Err(d) => diags.push(*d),
            }
        }
    }
    let sdir = root.join("static");
    let static_files = if sdir.is_dir() {
        walk(&sdir, root, &mut diags)
            .into_iter()
            .map(|(rel, abs, size)| AssetFile { rel, abs, size })
            .collect()
    } else {
        Vec::new()
    };

    let icons = icons::Icons::load(
        &root.join(&config.markdown.icons),
        &config.markdown.icons,
        pages.par_iter().map(|p| p.source.text.as_str()),
    );

    let extras = extras::find(
        root,
        &config,
        &config_source,
        &static_files,
        &assets,
        &mut diags,
    );
    (
        Sources {
            extras,
            root: root.to_path_buf(),
            config_source,
            config,
            pages,
            data_files,
            assets,
            templates,
            static_files,
            glossary,
            icons,
        },
        diags,
    )
}

type Entry = (String, PathBuf, u64);

/// All regular files below `dir` (relative paths, sorted). Symbolic links are
/// reported and not followed; hidden files and folders are skipped, except
/// `.well-known`.
fn walk(dir: &Path, root: &Path, diags: &mut Diagnostics) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(target) = outside_link(dir, root) {
        diags.push(
            Diagnostic::file(
                Code::SymlinkSkipped,
                shown_path(dir, root),
                format!(
                    "symbolic link to `{}`, outside the site, is not followed",
                    target.display()
                ),
            )
            .with_hint("copy the folder into the site instead of linking to it"),
        );
        return out;
    }
    let it = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !name.starts_with('.') || name == ".well-known"
        });
    for entry in it {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| shown_path(p, root))
                    .unwrap_or_else(|| shown_path(dir, root));
                let reason = match e.io_error() {
                    Some(io) => io.to_string(),
                    None => e.to_string(),
                };
                diags.push(
                    Diagnostic::file(Code::Unreadable, path, format!("cannot read: {reason}"))
                        .with_hint("check the permissions of the file or folder"),
                );
                continue;
            }
        };
        let ft = entry.file_type();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if ft.is_symlink() {
            let target = std::fs::read_link(entry.path())
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            diags.push(
                Diagnostic::file(
                    Code::SymlinkSkipped,
                    shown_path(entry.path(), root),
                    format!("symbolic link to `{target}` is not followed"),
                )
                .with_hint("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        if ft.is_file() {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push((rel, entry.path().to_path_buf(), size));
        }
    }
    out
}

/// If `dir` is a symbolic link whose target lies outside `root`: the target.
fn outside_link(dir: &Path, root: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let target = std::fs::canonicalize(dir).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    (!target.starts_with(&root)).then_some(target)
}

fn shown_path(p: &Path, root: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

type DiagFn = Box<dyn FnOnce(&SourceText) -> Diagnostic + Send>;

/// Reads one Markdown page again (`kader serve` after a change), exactly as
/// [`discover`] reads it. `rel` is relative to the content folder.
pub fn read_page(
    root: &Path,
    config: &SiteConfig,
    rel: &str,
    overlay: &Overlay,
) -> Result<PageSource, Box<Diagnostic>> {
    let path = format!("{}/{rel}", config.content_dir);
    let abs = root.join(&path);
    let size = std::fs::metadata(&abs).map(|m| m.len()).map_err(|e| {
        Box::new(Diagnostic::file(
            Code::Unreadable,
            &path,
            format!("cannot read file: {e}"),
        ))
    })?;
    let source = match overlay.get(&path) {
        Some(text) => decode(&path, text.as_bytes().to_vec(), MAX_PAGE_BYTES)?,
        None => read_text(&abs, &path, size, MAX_PAGE_BYTES)?,
    };
    let (lang, key) = page_language(rel, config);
    match lang {
        Ok(lang) => Ok(PageSource {
            source,
            content_path: rel.to_string(),
            lang,
            translation_key: key,
        }),
        Err(d) => Err(Box::new(d(&source))),
    }
}

/// Splits `x.en.md` into its language and translation key.
fn page_language(rel: &str, config: &SiteConfig) -> (Result<String, DiagFn>, String) {
    let default = config.default_language.clone();
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    if let Some((base, suffix)) = stem.rsplit_once('.') {
        let file_part = base.rsplit('/').next().unwrap_or(base);
        if !file_part.is_empty()
            && suffix.len() == 2
            && suffix.chars().all(|c| c.is_ascii_lowercase())
        {
            let key = format!("{base}.{ext}");
            if config.languages.contains_key(suffix) {
                return (Ok(suffix.to_string()), key);
            }
            let known: Vec<_> = config.language_codes().collect();
            let msg = format!(
                "file name ends in the language suffix `.{suffix}`, but `{suffix}` is not a configured language"
            );
            let hint = format!("configured languages: {}; add [languages.{suffix}] to site.toml or rename the file", known.join(", "));
            return (
                Err(Box::new(move |s: &SourceText| {
                    Diagnostic::file(Code::UnknownLanguage, &s.path, msg).with_hint(hint)
                })),
                key,
            );
        }
    }
    (Ok(default), rel.to_string())
}

/// Reads a UTF-8 text file, turning every failure into a diagnostic.
fn read_text(
    abs: &Path,
    shown: &str,
    size: u64,
    limit: u64,
) -> Result<SourceText, Box<Diagnostic>> {
    if size > limit {
        return Err(Box::new(
            Diagnostic::file(
                Code::TooLarge,
                shown,
                format!(
                    "file is {} MB; the limit for a page is {} MB",
                    size / (1024 * 1024),
                    limit / (1024 * 1024)
                ),
            )
            .with_hint("split the page into smaller pages"),
        ));
    }
    let unreadable = |e: std::io::Error| {
        Box::new(
            Diagnostic::file(Code::Unreadable, shown, format!("cannot read file: {e}"))
                .with_hint("check the file's permissions"),
        )
    };
    // Never read more than the limit, whatever size the folder listing gave.
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    std::fs::File::open(abs)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    decode(shown, bytes, limit)
}

/// A text file's bytes as its text: the limit, binary content and UTF-8
/// checked, a byte-order mark removed.
fn decode(shown: &str, bytes: Vec<u8>, limit: u64) -> Result<SourceText, Box<Diagnostic>> {
    if bytes.len() as u64 > limit {
        return Err(Box::new(
            Diagnostic::file(
                Code::TooLarge,
                shown,
                format!(
                    "file is larger than {} MB, the limit for a page",
                    limit / (1024 * 1024)
                ),
            )
            .with_hint("split the page into smaller pages"),
        ));
    }
    let binary = || {
        Box::new(
            Diagnostic::file(
                Code::InvalidUtf8,
                shown,
                "file contains NUL bytes; it looks like a binary file, not Markdown text",
            )
            .with_hint("rename it if it is not a page, or save it as UTF-8 text"),
        )
    };
    // Like git: a NUL byte near the start means binary, whatever else.
    if bytes[..bytes.len().min(8000)].contains(&0) {
        return Err(binary());
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    match String::from_utf8(bytes) {
        Ok(text) => {
            if text.contains('\0') {
                return Err(binary());
            }
            Ok(SourceText::new(shown, text))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..at]).into_owned();
            let src = SourceText::new(shown, prefix);
            let (line, col) = src.line_col(at);
            let mut d = Diagnostic::at_line_col(
                Code::InvalidUtf8,
                &src,
                line,
                col,
                1,
                format!("file is not valid UTF-8 (invalid byte 0x{:02X})", bytes[at]),
            );
            d.hint = Some("save the file with UTF-8 encoding".into());
            Err(Box::new(d))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.md");
        std::fs::write(&p, b"---\ntitle: a\n---\nab\xFFcd\n").unwrap();
        let d = read_text(&p, "content/x.md", 20, MAX_PAGE_BYTES).unwrap_err();
        assert_eq!((d.line, d.column), (4, 3));
        assert_eq!(d.code, "K0002");
    }
}
