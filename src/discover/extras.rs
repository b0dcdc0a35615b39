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
    // The content folder's tree in a commit: a commit whose parent has the
    // same one changed no page, and needs no comparison.
    let folder = prefix.trim_end_matches('/').to_string();
    let content_tree = |tree: &git2::Tree| -> Option<git2::Oid> {
        if folder.is_empty() {
            Some(tree.id())
        } else {
            tree.get_path(Path::new(&folder)).ok().map(|e| e.id())
        }
    };
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true);
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let mine = content_tree(&commit.tree()?);
        let theirs = match commit.parents().next() {
            Some(p) => content_tree(&p.tree()?),
            None => None,
        };
        let Some(mine) = mine.filter(|m| Some(*m) != theirs) else {
            continue;
        };
        let (Ok(new), old) = (
            repo.find_tree(mine),
            theirs.and_then(|t| repo.find_tree(t).ok()),
        ) else {
            continue;
        };
        let diff = repo.diff_tree_to_tree(old.as_ref(), Some(&new), Some(&mut opts))?;
        let time = commit.time();
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path() else {
                continue;
            };
            let rel = path.to_string_lossy().replace('\\', "/");
            if wanted.contains(rel.as_str()) && !found.contains_key(&rel) {
                found.insert(rel, (time.seconds(), time.offset_minutes()));
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
        // Commits that change nothing in the content folder, one of them a
        // file beside it whose name starts the same.
        commit(&repo, &[("other.md", "y")], 3_000_000);
        commit(&repo, &[("site/content.md", "z")], 4_000_000);
        commit(&repo, &[("site/content/sub/d.md", "d")], 5_000_000);
        let pages: Vec<String> = ["a.md", "b.md", "c.md", "sub/d.md"]
            .map(String::from)
            .to_vec();
        let found = last_changed(&dir.path().join("site"), "content", &pages);
        assert_eq!(found.get("a.md"), Some(&(2_000_000, 60)));
        assert_eq!(found.get("b.md"), Some(&(1_000_000, 60)));
        assert_eq!(found.get("c.md"), None);
        assert_eq!(found.get("sub/d.md"), Some(&(5_000_000, 60)));
        // The same site, seen from the top of the repository.
        let top = last_changed(dir.path(), "site/content", &pages);
        assert_eq!(top, found);
        // A content folder that is the repository itself.
        let flat = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(flat.path()).unwrap();
        commit(&repo, &[("a.md", "a"), ("b.md", "b")], 1_000_000);
        commit(&repo, &[("a.md", "a2")], 2_000_000);
        let found = last_changed(flat.path(), ".", &pages);
        assert_eq!(found.get("a.md"), Some(&(2_000_000, 60)));
        assert_eq!(found.get("b.md"), Some(&(1_000_000, 60)));
        // Outside a repository: nothing.
        let plain = tempfile::tempdir().unwrap();
        assert!(last_changed(plain.path(), "content", &pages).is_empty());
    }
}
