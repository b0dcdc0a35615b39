//! Pages no navigation and no other page links to: a visitor cannot find
//! them except through search. Found on the output itself (the scans of
//! every HTML file, so menus, footers, overviews and raw HTML links all
//! count) and reported as one warning listing them.

use super::Target;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::index::PageKind;
use crate::render::RenderedSite;
use kader_search::hash::FxBuildHasher;
use std::collections::HashSet;

/// The warning about the site's orphan pages, if it has any. Only a site
/// that lays out its navigation (`[[menu]]`, or MkDocs' `nav`) is checked:
/// without one, kader's generated menu of collections and taxonomies makes
/// no claim about how the other pages are reached.
pub fn check(rendered: &RenderedSite, targets: &[Option<Target>]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let idx = &rendered.index;
    if idx.site.config.menu.is_empty() {
        return diags;
    }
    // Each link target inside the site as a page path: `x/` for both `x/`
    // and `x/index.html` (other files keep their path).
    let targets: Vec<Option<&str>> = targets
        .iter()
        .map(|t| t.as_ref().map(|t| page_path(&t.file)))
        .collect();
    // Which targets a page other than their own links to: a flag per
    // target, as most links of a site are its menus, repeated on every page.
    let mut linked = vec![false; targets.len()];
    for (path, scan) in &rendered.scans {
        let own = page_path(path);
        for &r in &scan.refs {
            let r = r as usize;
            if linked.get(r) == Some(&false) {
                if let Some(Some(t)) = targets.get(r) {
                    linked[r] = *t != own;
                }
            }
        }
    }
    let reached: HashSet<&str, FxBuildHasher> = targets
        .iter()
        .zip(&linked)
        .filter(|(_, &l)| l)
        .filter_map(|(t, _)| *t)
        .collect();
    let mut orphans: Vec<&str> = idx
        .pages
        .iter()
        .filter(|o| o.kind == PageKind::Content)
        .filter(|o| !reached.contains(o.path.as_str()))
        .filter_map(|o| o.content.map(|c| idx.site.pages[c].source.path.as_str()))
        .collect();
    if orphans.is_empty() {
        return diags;
    }
    orphans.sort_unstable();
    let src = &idx.site.config_source;
    let message = format!(
        "{} page(s) are linked from no menu and no other page: {}",
        orphans.len(),
        orphans.join(", ")
    );
    let needle = ["\nnav:", "[[menu]]"].into_iter().find_map(|n| {
        src.text
            .find(n)
            .map(|at| (at + usize::from(n.starts_with('\n')), n.trim().len()))
    });
    let d = match needle {
        Some((at, len)) => Diagnostic::at(Code::OrphanPages, src, at, at + len, message),
        None => Diagnostic::file(Code::OrphanPages, &src.path, message),
    };
    diags.push(d.with_hint(
        "add them to a menu (a section's `pages`, `[[footer]]`), link to them from another page, or make them drafts",
    ));
    diags
}

/// The page path of an output file (`x/index.html` → `x/`, `index.html` →
/// the empty path of the home page); other files keep their path.
fn page_path(file: &str) -> &str {
    match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => file,
    }
}

#[cfg(test)]
mod tests {
    use super::page_path;

    #[test]
    fn page_paths_of_output_files() {
        assert_eq!(page_path("index.html"), "");
        assert_eq!(page_path("vereisten/x/index.html"), "vereisten/x/");
        assert_eq!(page_path("vereisten/x/"), "vereisten/x/");
        assert_eq!(page_path(""), "");
        assert_eq!(page_path("404.html"), "404.html");
        assert_eq!(page_path("docs/myindex.html"), "docs/myindex.html");
        assert_eq!(page_path("files/rapport.pdf"), "files/rapport.pdf");
    }
}
