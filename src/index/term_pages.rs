//! The pages carrying each taxonomy term, per language: what term pages
//! list and count, and what `serve` re-renders when a page's terms change.

use super::SiteIndex;
use kader_search::hash::FxHashMap;
use rayon::prelude::*;
use std::collections::HashMap;

/// One page carrying a term: its collection (index into
/// `SiteConfig::collections`), the content page, and whether it stands in
/// for a missing translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermPage {
    pub collection: usize,
    pub page: usize,
    pub fallback: bool,
}

/// (language, taxonomy, term), as indexes into the configuration, → the
/// pages carrying the term, by collection and then by slug.
#[derive(Debug, Default)]
pub struct TermPages(HashMap<(usize, usize, usize), Vec<TermPage>>);

impl TermPages {
    /// One pass over the collections' pages of every language.
    pub fn build(idx: &SiteIndex) -> TermPages {
        let config = &idx.site.config;
        // Taxonomy name → its index and its terms' indexes by slug.
        let taxonomies: FxHashMap<&str, (usize, FxHashMap<&str, usize>)> = config
            .taxonomies
            .iter()
            .enumerate()
            .map(|(t, (name, taxonomy))| {
                let terms = taxonomy
                    .terms
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, x)| (x.slug.as_str(), i))
                    .collect();
                (name.as_str(), (t, terms))
            })
            .collect();
        // Every listed page with its language and collection, in order.
        let listed: Vec<(usize, TermPage)> = config
            .language_codes()
            .enumerate()
            .flat_map(|(l, lang)| {
                config
                    .collections
                    .keys()
                    .enumerate()
                    .flat_map(move |(collection, coll)| {
                        idx.collection_pages(coll, lang)
                            .iter()
                            .map(move |&(page, fallback)| {
                                let at = TermPage {
                                    collection,
                                    page,
                                    fallback,
                                };
                                (l, at)
                            })
                    })
            })
            .collect();
        // The terms of each, looked up on all cores (the pages' front
        // matter is spread over memory), then gathered in order.
        let terms: Vec<Vec<(usize, usize)>> = listed
            .par_iter()
            .map(|(_, at)| {
                let mut found = Vec::new();
                for (tax, values) in &idx.site.pages[at.page].front.terms {
                    let Some((t, terms)) = taxonomies.get(tax.as_str()) else {
                        continue;
                    };
                    found.extend(
                        values
                            .iter()
                            .filter_map(|v| terms.get(v.value.as_str()))
                            .map(|&term| (*t, term)),
                    );
                }
                found
            })
            .collect();
        let mut map: HashMap<(usize, usize, usize), Vec<TermPage>> = HashMap::new();
        for ((l, at), found) in listed.into_iter().zip(terms) {
            for (t, term) in found {
                map.entry((l, t, term)).or_default().push(at);
            }
        }
        TermPages(map)
    }

    /// The pages of `lang` carrying `taxonomy`/`term`.
    pub fn get(&self, idx: &SiteIndex, lang: &str, taxonomy: &str, term: &str) -> &[TermPage] {
        let config = &idx.site.config;
        let key = (|| {
            let l = config.languages.get_index_of(lang)?;
            let (t, _, tax) = config.taxonomies.get_full(taxonomy)?;
            let term = tax.terms.iter().position(|x| x.slug == term)?;
            Some((l, t, term))
        })();
        key.and_then(|k| self.0.get(&k))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}
