//! The files the configuration names besides the pages: the site's own
//! stylesheets (read, so the theme can check their rules), the logo and
//! favicon, and when each page last changed according to git.

use super::AssetFile;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use std::collections::HashMap;
use std::path::Path;

/// Largest stylesheet read for checking.
const MAX_CSS_BYTES: u64 = 4 * 1024 * 1024;

/// What the configuration names besides the pages, found.
#[derive(Debug, Clone, Default)]
pub struct SiteExtras {
    /// The site's stylesheets that exist, in order: output path and text.
    pub stylesheets: Vec<(String, SourceText)>,
    /// Output paths of the logo and the favicon, when they exist.
    pub logo: Option<String>,
    pub favicon: Option<String>,
    /// Content path → when its last commit was made (seconds since the
    /// epoch and the committer's offset in minutes). Empty outside a git
    /// checkout or with `last_updated = false`.
    pub last_changed: HashMap<String, (i64, i32)>,
}

/// Finds the named files among the static files and assets. A name that
/// is neither is reported at its place in the configuration.
pub fn find(
    root: &Path,
    config: &SiteConfig,
    config_source: &SourceText,
    static_files: &[AssetFile],
    assets: &[AssetFile],
    diags: &mut Diagnostics,
) -> SiteExtras {
    let lookup = |name: &str| -> Option<&AssetFile> {
        let name = name.trim_start_matches("./").trim_start_matches('/');
        static_files.iter().chain(assets).find(|a| a.rel == name)
    };
    let missing = |diags: &mut Diagnostics, what: &str, name: &str| {
        let message = format!(
            "{what} `{name}` is neither in static/ nor in the content folder; it is left out"
        );
        let d = match config_source.text.find(name) {
            Some(at) => Diagnostic::at(
                Code::MissingSiteFile,
                config_source,
                at,
                at + name.len(),
                message,
            ),
            None => Diagnostic::file(Code::MissingSiteFile, &config_source.path, message),
        };
        diags.push(d.with_hint("add the file, or remove the setting"));
    };
    let mut extras = SiteExtras::default();
    for name in &config.extra_css {
        match lookup(name) {
            Some(a) => match read_css(root, a) {
                Ok(text) => extras.stylesheets.push((a.rel.clone(), text)),
                Err(d) => diags.push(*d),
            },
            None => missing(diags, "stylesheet", name),
        }
    }
    for (what, name, slot) in [
        ("logo", &config.theme.logo, &mut extras.logo),
        ("favicon", &config.theme.favicon, &mut extras.favicon),
    ] {
        if let Some(name) = name {
            match lookup(name) {
                Some(a) => *slot = Some(a.rel.clone()),
                None => missing(diags, what, name),
            }
        }
    }
    extras
}

fn read_css(root: &Path, a: &AssetFile) -> Result<SourceText, Box<Diagnostic>> {
    let shown = a
        .abs
        .strip_prefix(root)
        .unwrap_or(&a.abs)
        .to_string_lossy()
        .replace('\\', "/");
    super::read_text(&a.abs, &shown, a.size, MAX_CSS_BYTES)
}

/// When each of `pages` (content paths) was last committed, from one walk
/// of the history of the repository that holds `root`: newest commits
/// first, each compared with its first parent, until every page is found
/// or the history ends. Nothing outside a git checkout, or when the
/// repository cannot be read.
pub fn last_changed(
    root: &Path,
    content_dir: &str,
    pages: &[String],
) -> HashMap<String, (i64, i32)> {
    let mut found = HashMap::new();
    let _ = walk_history(root, content_dir, pages, &mut found);
    found
}

fn walk_history(
    root: &Path,
    content_dir: &str,
    pages: &[String],
    found: &mut HashMap<String, (i64, i32)>,
) -> Result<(), git2::Error> {
    let repo = git2::Repository::discover(root)?;
    let Some(workdir) = repo.workdir() else {
        return Ok(());
    };
    let (Ok(workdir), Ok(content)) = (
        workdir.canonicalize(),
        root.join(content_dir).canonicalize(),
    ) else {
        return Ok(());
    };
    let Ok(prefix) = content.strip_prefix(&workdir) else {
        return Ok(());
    };
    let mut prefix = prefix.to_string_lossy().replace('\\', "/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    let wanted: std::collections::HashSet<&str> = pages.iter().map(String::as_str).collect();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TIME)?;
    if walk.push_head().is_err() {
        return Ok(()); // no commit yet
    }
    let mut opts = git2::DiffOptions::new();
    if !prefix.is_empty() {
        opts.pathspec(&prefix);
    }
    opts.skip_binary_check(true);
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let tree = commit.tree()?;
        let parent = match commit.parents().next() {
            Some(p) => Some(p.tree()?),
            None => None,
        };
        let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))?;
        let time = commit.time();
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path() else {
                continue;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            let Some(rel) = path.strip_prefix(&prefix) else {
                continue;
            };
            if wanted.contains(rel) && !found.contains_key(rel) {
                found.insert(rel.to_string(), (time.seconds(), time.offset_minutes()));
            }
        }
        if found.len() == wanted.len() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(repo: &git2::Repository, files: &[(&str, &str)], when: i64) {
        let workdir = repo.workdir().unwrap().to_path_buf();
        let mut index = repo.index().unwrap();
        for (path, text) in files {
            let abs = workdir.join(path);
            std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
            std::fs::write(&abs, text).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@example.org", &git2::Time::new(when, 60)).unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
            .unwrap();
    }

    #[test]
    fn each_page_gets_its_last_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        commit(
            &repo,
            &[("site/content/a.md", "a"), ("site/content/b.md", "b")],
            1_000_000,
        );
        commit(
            &repo,
            &[("site/content/a.md", "a2"), ("other.md", "x")],
            2_000_000,
        );
        let pages = vec!["a.md".to_string(), "b.md".to_string(), "c.md".to_string()];
        let found = last_changed(&dir.path().join("site"), "content", &pages);
        assert_eq!(found.get("a.md"), Some(&(2_000_000, 60)));
        assert_eq!(found.get("b.md"), Some(&(1_000_000, 60)));
        assert_eq!(found.get("c.md"), None);
        // Outside a repository: nothing.
        let plain = tempfile::tempdir().unwrap();
        assert!(last_changed(plain.path(), "content", &pages).is_empty());
    }
}
