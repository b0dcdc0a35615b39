//! `kader check --changed-since REF` and `--changed PATH…`: only the
//! diagnostics in, or caused by, the changed files.
//!
//! The changed files come from git (the differences between REF and the
//! working tree, staged or not, and untracked files) or from a list of
//! paths. A diagnostic is kept when it is in a changed file, or in a page
//! that depends on a changed page: it links to it, names it in a
//! reference field, lists it in a directive, or is its translation. A
//! diagnostic that names a changed page that no longer exists (a broken
//! link to a removed page) is kept too. A change to anything but pages
//! (site.toml, mkdocs.yml, templates, static files, decision trees, the
//! glossary) can affect every page: then every diagnostic is kept.

use crate::diagnostics::Diagnostic;
use crate::directives::Shows;
use crate::session::Session;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The files changed since `reference` (a commit, branch or tag) in the
/// git repository holding `root`, relative to `root`; files outside it are
/// left out.
pub fn changed_since(root: &Path, reference: &str) -> Result<Vec<String>, String> {
    let repo = git2::Repository::discover(root).map_err(|e| {
        format!(
            "{} is not in a git repository: {}",
            root.display(),
            e.message()
        )
    })?;
    let workdir = repo
        .workdir()
        .ok_or("the git repository has no working tree")?
        .to_path_buf();
    let tree = repo
        .revparse_single(reference)
        .and_then(|o| o.peel_to_tree())
        .map_err(|e| format!("`{reference}` names no commit: {}", e.message()))?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|e| format!("cannot compare with `{reference}`: {}", e.message()))?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path() {
                paths.push(workdir.join(p));
            }
        }
    }
    Ok(relative_to(root, &paths))
}

/// `paths` (absolute, or relative to the current folder) relative to
/// `root`; paths outside it are left out.
pub fn relative_to(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    let canon = |p: &Path| {
        // A removed file cannot be canonicalised; its folder can.
        p.canonicalize().ok().or_else(|| {
            let parent = p.parent()?.canonicalize().ok()?;
            Some(parent.join(p.file_name()?))
        })
    };
    let Some(root) = canon(root) else {
        return Vec::new();
    };
    let mut out: BTreeSet<String> = BTreeSet::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.clone())
        };
        if let Some(rel) =
            canon(&abs).and_then(|a| a.strip_prefix(&root).ok().map(Path::to_path_buf))
        {
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out.into_iter().collect()
}

/// The diagnostics (of a check of the same site) that `changed` files
/// (relative to the site root) are responsible for.
pub fn responsible(
    root: &Path,
    diagnostics: Vec<Diagnostic>,
    changed: &[String],
) -> Result<Vec<Diagnostic>, String> {
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let mut session = Session::new(root, Default::default());
    let analysis = session.analyze(&[]).map_err(|e| e.to_string())?;
    let Some(idx) = analysis.index.as_ref() else {
        // site.toml is broken: its diagnostics are all there is.
        return Ok(diagnostics);
    };
    let content = format!("{}/", idx.site.config.content_dir);
    let is_page =
        |f: &str| f.starts_with(&content) && (f.ends_with(".md") || f.ends_with(".markdown"));
    if changed.iter().any(|f| !is_page(f)) {
        return Ok(diagnostics);
    }
    // The changed pages that exist, and how messages name removed ones:
    // by path (`maatregelen/x.md`, `../x.md`) or by slug (`` `x` ``).
    let mut pages = BTreeSet::new();
    let mut removed = Vec::new();
    for f in changed {
        let rel = &f[content.len()..];
        match idx.by_content_path.get(rel) {
            Some(&c) => {
                pages.insert(c);
            }
            None => {
                let name = rel.rsplit('/').next().unwrap_or(rel);
                let stem = name.split('.').next().unwrap_or(name);
                removed.push(format!("`{rel}"));
                removed.push(format!("/{name}"));
                removed.push(format!("`{stem}`"));
            }
        }
    }
    let mut files: BTreeSet<String> = changed.iter().cloned().collect();
    for (c, page) in idx.site.pages.iter().enumerate() {
        let group = &idx.groups[idx.group_of[c]];
        let depends = idx.links[c]
            .iter()
            .any(|l| l.target.is_some_and(|t| pages.contains(&t)))
            || idx.refs[c]
                .values()
                .flatten()
                .any(|g| idx.groups[*g].values().any(|p| pages.contains(p)))
            || group.values().any(|p| pages.contains(p))
            || analysis.directives.of(c).any(|d| match d.shows() {
                Shows::Nothing => false,
                Shows::All => true,
                Shows::Pages(v) => v.iter().any(|p| pages.contains(p)),
            });
        if depends {
            files.insert(page.source.path.clone());
        }
    }
    Ok(diagnostics
        .into_iter()
        .filter(|d| {
            files.contains(&d.file) || removed.iter().any(|r| d.message.contains(r.as_str()))
        })
        .collect())
}
