//! URLs: `vereisten/avg-dpia.md` → `vereisten/avg-dpia/`, `x/index.md` →
//! `x/`, `x.en.md` → `en/x/`; plus the generated pages of every language.

use super::{OutPage, PageKind};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::ParsedSite;
use std::collections::HashMap;

/// The URL path (below the language root) of a translation key.
pub fn url_of(key: &str) -> String {
    let stem = key
        .strip_suffix(".md")
        .or_else(|| key.strip_suffix(".markdown"))
        .unwrap_or(key);
    if stem == "index" {
        return String::new();
    }
    match stem.strip_suffix("/index") {
        Some(dir) => format!("{dir}/"),
        None => format!("{stem}/"),
    }
}

type Assigned = (Vec<OutPage>, Vec<Option<usize>>, HashMap<String, usize>);

pub fn assign(site: &ParsedSite, diags: &mut Diagnostics) -> Assigned {
    let config = &site.config;
    let mut pages: Vec<OutPage> = Vec::new();
    let mut out_of_content = vec![None; site.pages.len()];
    let mut by_path: HashMap<String, usize> = HashMap::new();

    // The pages that stand for a generated page, by translation key: the
    // home, collection overviews, taxonomy indexes and term pages (a later
    // entry wins, as terms over indexes over overviews).
    let mut special: HashMap<String, PageKind> = HashMap::new();
    special.insert("index.md".into(), PageKind::Home);
    for (name, c) in &config.collections {
        special.insert(
            format!("{}/index.md", c.dir.trim_matches('/')),
            PageKind::Overview {
                collection: name.clone(),
            },
        );
    }
    for (name, t) in &config.taxonomies {
        let tpath = config.taxonomy_path(name);
        special.insert(
            format!("{tpath}/index.md"),
            PageKind::TaxonomyIndex {
                taxonomy: name.clone(),
            },
        );
        for term in &t.terms {
            special.insert(
                format!("{tpath}/{}.md", term.slug),
                PageKind::Term {
                    taxonomy: name.clone(),
                    term: term.slug.clone(),
                },
            );
        }
    }

    for (i, p) in site.pages.iter().enumerate() {
        if p.front.draft {
            continue;
        }
        let path = format!("{}{}", config.lang_dir(&p.lang), url_of(&p.translation_key));
        let kind = special
            .get(p.translation_key.as_str())
            .cloned()
            .unwrap_or(PageKind::Content);
        if let Some(&other) = by_path.get(&path) {
            let first = pages[other]
                .content
                .map(|c| site.pages[c].source.path.clone())
                .unwrap_or_default();
            diags.push(
                Diagnostic::file(
                    Code::DuplicateUrl,
                    &p.source.path,
                    format!("page has the URL /{path}, which {first} already has"),
                )
                .with_hint("rename or move one of the two files"),
            );
            continue;
        }
        by_path.insert(path.clone(), pages.len());
        out_of_content[i] = Some(pages.len());
        pages.push(OutPage {
            kind,
            lang: p.lang.clone(),
            path,
            content: Some(i),
            title: p.title(),
        });
    }

    for lang in config.language_codes() {
        let dir = config.lang_dir(lang);
        let dl = config.default_language.as_str();
        let mut generated: Vec<(String, PageKind, String)> =
            vec![(dir.clone(), PageKind::Home, config.title.clone())];
        for (name, c) in &config.collections {
            generated.push((
                format!("{dir}{}/", c.dir.trim_matches('/')),
                PageKind::Overview {
                    collection: name.clone(),
                },
                c.label.get(lang, dl).to_string(),
            ));
        }
        for (name, t) in &config.taxonomies {
            let tpath = config.taxonomy_path(name);
            generated.push((
                format!("{dir}{tpath}/"),
                PageKind::TaxonomyIndex {
                    taxonomy: name.clone(),
                },
                t.label.get(lang, dl).to_string(),
            ));
            for term in &t.terms {
                generated.push((
                    format!("{dir}{tpath}/{}/", term.slug),
                    PageKind::Term {
                        taxonomy: name.clone(),
                        term: term.slug.clone(),
                    },
                    term.label.get(lang, dl).to_string(),
                ));
            }
        }
        for (path, kind, title) in generated {
            if let Some(&existing) = by_path.get(&path) {
                // A content page at a generated page's URL takes that role.
                if pages[existing].kind == PageKind::Content {
                    pages[existing].kind = kind;
                }
                continue;
            }
            by_path.insert(path.clone(), pages.len());
            pages.push(OutPage {
                kind,
                lang: lang.to_string(),
                path,
                content: None,
                title,
            });
        }
    }
    (pages, out_of_content, by_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_urls() {
        assert_eq!(url_of("index.md"), "");
        assert_eq!(url_of("vereisten/index.md"), "vereisten/");
        assert_eq!(url_of("vereisten/avg-dpia.md"), "vereisten/avg-dpia/");
        assert_eq!(url_of("Mijn pagina.md"), "Mijn pagina/");
    }
}
