//! What each output page is made of: the content pages whose text, title,
//! terms or anchors it shows. `kader serve` re-renders a page only when one
//! of them changed.

use super::{PageKind, ResolvedDirective, SiteIndex};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// The content pages an output page depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deps {
    /// It shows something of every page (the classifier lists them all).
    All,
    /// It shows these pages, and (`terms`) the counts of every term.
    Some { pages: BTreeSet<usize>, terms: bool },
}

impl Deps {
    /// Whether a change to `changed` (whose terms changed when
    /// `terms_changed`) changes this page.
    pub fn touches(&self, changed: &BTreeSet<usize>, terms_changed: bool) -> bool {
        match self {
            Deps::All => !changed.is_empty(),
            Deps::Some { pages, terms } => (*terms && terms_changed) || !pages.is_disjoint(changed),
        }
    }
}

/// Dependencies of every output page, parallel to `SiteIndex::pages`.
pub fn dependencies(idx: &SiteIndex) -> Vec<Deps> {
    // The pages listed on each term page, by (language, taxonomy, term),
    // in one pass over the collections.
    let config = &idx.site.config;
    let mut by_term: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    for lang in config.language_codes() {
        for coll in config.collections.keys() {
            for &(c, _) in idx.collection_pages(coll, lang) {
                for (tax, values) in &idx.site.pages[c].front.terms {
                    for v in values {
                        by_term
                            .entry((lang, tax.as_str(), v.value.as_str()))
                            .or_default()
                            .push(c);
                    }
                }
            }
        }
    }
    idx.pages
        .par_iter()
        .map(|out| {
            let mut set = BTreeSet::new();
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
                    let key = (out.lang.as_str(), taxonomy.as_str(), term.as_str());
                    set.extend(by_term.get(&key).into_iter().flatten().copied());
                }
                PageKind::Content => {}
            }
            if let Some(c) = out.content {
                set.insert(c);
                set.extend(idx.groups[idx.group_of[c]].values().copied());
                set.extend(idx.links[c].iter().filter_map(|l| l.target));
                for d in &idx.directives[c] {
                    match d {
                        ResolvedDirective::List(q) => set.extend(q.rows.iter().map(|(r, _)| *r)),
                        ResolvedDirective::Classifier { .. } => return Deps::All,
                        ResolvedDirective::Tags { .. } | ResolvedDirective::Nothing => {}
                    }
                }
                for b in &idx.site.pages[c].body.blocks {
                    if let Some(users) = idx.backlinks.get(&(c, b.id.clone())) {
                        set.extend(users.iter().copied());
                    }
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
            Deps::Some { pages: set, terms }
        })
        .collect()
}
