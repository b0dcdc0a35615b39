//! What each output page is made of: the content pages whose text, title,
//! terms or anchors it shows. An incremental rebuild renders a page again
//! only when one of them changed.

use crate::directives::{Directives, Shows};
use crate::index::{PageKind, SiteIndex};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The content pages an output page depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deps {
    /// It shows something of every page (a directive that lists them all).
    All,
    /// It shows these pages (sorted, each once), and (`terms`) the counts
    /// of every term.
    Some { pages: Vec<usize>, terms: bool },
}

impl Deps {
    /// Whether a change to `changed` (whose terms changed when
    /// `terms_changed`) changes this page.
    pub fn touches(&self, changed: &BTreeSet<usize>, terms_changed: bool) -> bool {
        match self {
            Deps::All => !changed.is_empty(),
            Deps::Some { pages, terms } => {
                (*terms && terms_changed) || changed.iter().any(|c| pages.binary_search(c).is_ok())
            }
        }
    }
}

/// Dependencies of every output page, parallel to `SiteIndex::pages`.
pub fn dependencies(idx: &SiteIndex, directives: &Directives) -> Vec<Deps> {
    let aid = aid_pages(idx);
    idx.pages
        .par_iter()
        .enumerate()
        .map(|(i, out)| {
            // Collected with repeats, then sorted once: a list page shows
            // thousands of pages.
            let mut set = Vec::new();
            let mut terms = false;
            match &out.kind {
                // Tiles and lists of terms with their counts.
                PageKind::Home | PageKind::TaxonomyIndex { .. } => terms = true,
                PageKind::Overview { collection } => {
                    set.extend(
                        idx.collection_pages(collection, &out.lang)
                            .iter()
                            .map(|(c, _)| *c),
                    );
                }
                PageKind::Term { taxonomy, term } => {
                    let found = idx.term_pages.get(idx, &out.lang, taxonomy, term);
                    set.extend(found.iter().map(|tp| tp.page));
                }
                PageKind::Content => {}
                // They list (or their widget knows) the overview's pages,
                // with the measures that name them.
                PageKind::Profile | PageKind::Tree { .. } | PageKind::Conclusion { .. } => {
                    set.extend(aid.iter().copied())
                }
            }
            if let Some(c) = out.content {
                set.push(c);
                set.extend(idx.groups[idx.group_of[c]].values().copied());
                set.extend(idx.links[c].iter().filter_map(|l| l.target));
                for d in directives.of(c) {
                    match d.shows() {
                        Shows::Nothing => {}
                        Shows::Pages(pages) => set.extend(pages),
                        Shows::All => return Deps::All,
                    }
                }
                for b in &idx.site.pages[c].body.blocks {
                    if let Some(users) = idx.backlinks.get(&(c, b.id.clone())) {
                        set.extend(users.iter().copied());
                    }
                }
            }
            // A side menu shows the titles of its section's pages.
            if let Some(place) = idx.nav.place[i] {
                if let Some(s) = idx
                    .nav
                    .sections
                    .get(&out.lang)
                    .and_then(|s| s.get(place.section))
                {
                    set.extend(s.content.iter().copied());
                }
            }
            // Breadcrumbs show the titles of the pages above.
            let mut path = out.path.as_str();
            while let Some(cut) = path.trim_end_matches('/').rfind('/') {
                path = &path[..=cut];
                if let Some(&o) = idx.by_path.get(path) {
                    set.extend(idx.pages[o].content);
                }
            }
            set.sort_unstable();
            set.dedup();
            Deps::Some { pages: set, terms }
        })
        .collect()
}

/// What the decision aid's pages show: every page of the overview
/// collection (in any language, as lists fall back) and every page that
/// names one of them in a reference field; sorted, each once.
fn aid_pages(idx: &SiteIndex) -> Vec<usize> {
    let overview = idx.site.config.decision_aid.overview.as_str();
    let mut set: Vec<usize> = idx
        .site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.collection.as_deref() == Some(overview))
        .map(|(c, _)| c)
        .collect();
    for field in idx.site.config.fields_naming(overview) {
        set.extend(idx.referenced_by.naming_any(field));
    }
    set.sort_unstable();
    set.dedup();
    set
}
