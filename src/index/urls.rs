//! URLs: `vereisten/avg-dpia.md` → `vereisten/avg-dpia/`, `x/index.md` →
//! `x/`, `x.en.md` → `en/x/`; plus the generated pages of every language.

use super::{OutPage, PageKind};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::escape::plain_text;
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
        generated.extend(decision_aid_pages(site, lang));
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

/// The URL of a decision tree's page and of its conclusions' pages.
pub fn tree_path(config: &crate::config::SiteConfig, lang: &str, tree: &str) -> String {
    format!(
        "{}{}/{}/",
        config.lang_dir(lang),
        config.decision_aid.trees_path,
        segment(tree)
    )
}

/// The URL of a conclusion's page.
pub fn conclusion_path(
    config: &crate::config::SiteConfig,
    lang: &str,
    tree: &str,
    conclusion: &str,
) -> String {
    format!("{}{}/", tree_path(config, lang, tree), segment(conclusion))
}

/// An id as a URL path segment: lowercase letters and digits, anything
/// else a hyphen (`c-1.2` → `c-1-2`).
pub fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let s = out.trim_matches('-');
    if s.is_empty() {
        "x".into()
    } else {
        s.to_string()
    }
}

/// The generated pages of the decision aid in `lang`: "Vereisten voor jou"
/// when the site has AI-Act taxonomies, and per decision tree its page and
/// one page per conclusion (from the language's tree, else the default
/// language's).
fn decision_aid_pages(site: &ParsedSite, lang: &str) -> Vec<(String, PageKind, String)> {
    let config = &site.config;
    let mut out = Vec::new();
    if config.taxonomies.values().any(|t| t.ai_act) {
        out.push((
            format!(
                "{}{}/",
                config.lang_dir(lang),
                config.decision_aid.profile_path
            ),
            PageKind::Profile,
            site.theme.strings(lang).get("profile_title"),
        ));
    }
    let mut names: Vec<&str> = site.trees.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let Some(t) = site
            .trees
            .iter()
            .find(|t| t.name == name && t.lang == lang)
            .or_else(|| {
                site.trees
                    .iter()
                    .find(|t| t.name == name && t.lang == config.default_language)
            })
        else {
            continue;
        };
        out.push((
            tree_path(config, lang, name),
            PageKind::Tree {
                tree: name.to_string(),
            },
            t.tree
                .name
                .as_deref()
                .map(plain_text)
                .unwrap_or_else(|| name.to_string()),
        ));
        for c in &t.tree.conclusions {
            out.push((
                conclusion_path(config, lang, name, &c.conclusion_id),
                PageKind::Conclusion {
                    tree: name.to_string(),
                    conclusion: c.conclusion_id.clone(),
                },
                plain_text(&c.conclusion),
            ));
        }
    }
    out
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
