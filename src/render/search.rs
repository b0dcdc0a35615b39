//! The search index: one per language, built with `kader-search` from the
//! sections of every published page, written as `search/<lang>/…` files that
//! the browser loads lazily (see crates/search/FORMAT.md).

use super::OutputFile;
use crate::index::SiteIndex;
use kader_search::{BuiltIndex, IndexBuilder, Language, PageInput, Section};
use rayon::prelude::*;

/// The analyzer language for a site language code.
pub fn language(code: &str) -> Language {
    match code {
        "nl" => Language::Nl,
        _ => Language::En,
    }
}

/// What the index says about one page.
pub fn page_input(idx: &SiteIndex, content: usize) -> Option<PageInput> {
    let out = idx.out_of_content[content]?;
    let p = &idx.site.pages[content];
    if p.front.search_exclude {
        return None;
    }
    let mut sections: Vec<Section> = p
        .body
        .sections
        .iter()
        .map(|s| Section {
            heading: s.heading.clone(),
            anchor: s.anchor.clone(),
            text: s.text.clone(),
        })
        .collect();
    let mut boost_terms = Vec::new();
    for b in &p.body.blocks {
        if let Some(term) = &b.term {
            boost_terms.push(term.clone());
            sections.push(Section {
                heading: term.clone(),
                anchor: format!("^{}", b.id),
                text: b.text.clone(),
            });
        }
    }
    if is_boosted(idx, p) {
        boost_terms.push(p.title());
    }
    if let Some(summary) = p.list_summary() {
        match sections.first_mut() {
            Some(first) if first.heading.is_empty() => {
                first.text = format!("{summary} {}", first.text);
            }
            _ => sections.insert(
                0,
                Section {
                    heading: String::new(),
                    anchor: String::new(),
                    text: summary.clone(),
                },
            ),
        }
    }
    // The page's slug and id, which visitors search by (the law or
    // principle a page is filed under, which its title may not repeat).
    let mut names: Vec<String> = (p.slug() != "index")
        .then(|| p.slug().to_string())
        .into_iter()
        .collect();
    if let Some(id) = &p.front.id {
        let short = crate::index::short_id(&id.value);
        if short != p.slug() {
            names.push(short.to_string());
        }
        names.push(id.value.clone());
    }
    if !names.is_empty() {
        sections.push(Section {
            heading: String::new(),
            anchor: String::new(),
            text: names.join(" "),
        });
    }
    Some(PageInput {
        url: idx.href(out),
        title: p.title(),
        sections,
        boost_terms,
    })
}

/// Whether the page is in a collection whose titles are boosted in search.
fn is_boosted(idx: &SiteIndex, p: &crate::parse::ParsedPage) -> bool {
    p.collection
        .as_ref()
        .and_then(|c| idx.site.config.collections.get(c))
        .is_some_and(|c| c.search_boost)
}

/// The index of one language. Pages are added definitions first, then
/// boosted collections, then the rest: among equally good matches the
/// earlier page wins.
pub fn build_index(idx: &SiteIndex, lang: &str) -> BuiltIndex {
    let mut order: Vec<(u8, usize)> = idx
        .site
        .pages
        .iter()
        .enumerate()
        .filter(|(i, p)| p.lang == lang && idx.out_of_content[*i].is_some())
        .map(|(i, p)| {
            let rank = if p.body.blocks.iter().any(|b| b.term.is_some()) {
                0
            } else if is_boosted(idx, p) {
                1
            } else {
                2
            };
            (rank, i)
        })
        .collect();
    order.sort_by_key(|(rank, _)| *rank);
    let text: usize = order
        .iter()
        .flat_map(|&(_, i)| &idx.site.pages[i].body.sections)
        .map(|s| s.heading.len() + s.text.len())
        .sum();
    // Inputs are made one at a time: together they would hold a copy of
    // every page's text.
    let mut builder = IndexBuilder::new(language(lang)).with_text_size(text);
    for (_, i) in order {
        if let Some(input) = page_input(idx, i) {
            builder.add_page(input);
        }
    }
    builder.build()
}

/// The index files of every language.
pub fn index_files(idx: &SiteIndex) -> Vec<OutputFile> {
    let langs: Vec<&str> = idx.site.config.language_codes().collect();
    langs
        .par_iter()
        .flat_map_iter(|lang| {
            let built = build_index(idx, lang);
            let dir = format!("search/{lang}/");
            std::iter::once(OutputFile {
                path: format!("{dir}meta.bin"),
                bytes: built.meta.into(),
            })
            .chain(
                built
                    .chunks
                    .into_iter()
                    .chain(built.fragments)
                    .map(move |(name, bytes)| OutputFile {
                        path: format!("search/{lang}/{name}"),
                        bytes: bytes.into(),
                    }),
            )
            .collect::<Vec<_>>()
        })
        .collect()
}
