//! Translations: `page.md` and `page.en.md` form one group; `translation_of`
//! pairs differently-named files. Reports missing and stale translations.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::ParsedSite;
use indexmap::IndexMap;
use std::collections::HashMap;

type Paired = (
    Vec<usize>,
    Vec<IndexMap<String, usize>>,
    Vec<(usize, String)>,
);

/// Normalises a relative path against a folder (`a/b` + `../c.md` → `a/c.md`).
/// `None` if it climbs above the root.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

pub fn pair(site: &ParsedSite, published: &[Option<usize>], diags: &mut Diagnostics) -> Paired {
    let config = &site.config;
    let dl = config.default_language.as_str();
    let mut group_by_key: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<IndexMap<String, usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; site.pages.len()];

    // Originals and same-named translations first.
    for (i, p) in site.pages.iter().enumerate() {
        if p.front.translation_of.is_some() {
            continue;
        }
        let g = *group_by_key
            .entry(p.translation_key.as_str())
            .or_insert_with(|| {
                groups.push(IndexMap::new());
                groups.len() - 1
            });
        groups[g].insert(p.lang.clone(), i);
        group_of[i] = g;
    }
    // Then pages naming their original explicitly.
    for (i, p) in site.pages.iter().enumerate() {
        let Some(of) = &p.front.translation_of else {
            continue;
        };
        let target = join(parent(&p.content_path), &of.value)
            .filter(|t| group_by_key.contains_key(t.as_str()))
            .or_else(|| {
                Some(of.value.trim_start_matches('/').to_string())
                    .filter(|t| group_by_key.contains_key(t.as_str()))
            });
        let g = match target.and_then(|t| group_by_key.get(t.as_str()).copied()) {
            Some(g) => g,
            None => {
                diags.push(
                    Diagnostic::at(
                        Code::UnknownReference,
                        &p.source,
                        of.span.start,
                        of.span.end,
                        format!("translation_of names `{}`, which is not a page", of.value),
                    )
                    .with_hint("give the original's path relative to this page or to the content folder, e.g. `../vereisten/avg-dpia.md`"),
                );
                groups.push(IndexMap::new());
                groups.len() - 1
            }
        };
        if let Some(&other) = groups[g].get(&p.lang) {
            diags.push(
                Diagnostic::at(
                    Code::UnknownReference,
                    &p.source,
                    of.span.start,
                    of.span.end,
                    format!(
                        "{} already is the `{}` translation of this page's original",
                        site.pages[other].source.path, p.lang
                    ),
                )
                .with_hint("a page has at most one translation per language"),
            );
            groups.push(IndexMap::new());
            let g2 = groups.len() - 1;
            groups[g2].insert(p.lang.clone(), i);
            group_of[i] = g2;
            continue;
        }
        groups[g].insert(p.lang.clone(), i);
        group_of[i] = g;
    }

    let mut untranslated = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        let Some(&orig) = members.get(dl) else {
            continue;
        };
        if published[orig].is_none() {
            continue;
        }
        for lang in config.language_codes() {
            if lang == dl || members.contains_key(lang) {
                continue;
            }
            untranslated.push((g, lang.to_string()));
            let name = config.languages[lang].name.as_str();
            let p = &site.pages[orig];
            let expected = p.content_path.replacen(".md", &format!(".{lang}.md"), 1);
            diags.push(
                Diagnostic::file(
                    Code::MissingTranslation,
                    &p.source.path,
                    format!("page has no {name} translation"),
                )
                .with_hint(format!("add {}/{expected}", config.content_dir)),
            );
        }
        for (lang, &t) in members {
            if lang == dl {
                continue;
            }
            stale_terms(site, orig, t, diags);
        }
    }
    (group_of, groups, untranslated)
}

fn stale_terms(site: &ParsedSite, orig: usize, translation: usize, diags: &mut Diagnostics) {
    let (o, t) = (&site.pages[orig], &site.pages[translation]);
    for tax in site.config.taxonomies.keys() {
        let mut a: Vec<&str> = o.front.term_slugs(tax).collect();
        let mut b: Vec<&str> = t.front.term_slugs(tax).collect();
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            continue;
        }
        let span = t
            .front
            .terms
            .get(tax)
            .and_then(|v| v.first())
            .map(|l| l.span)
            .unwrap_or(t.front.span);
        let show = |v: &[&str]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        diags.push(
            Diagnostic::at(
                Code::StaleTranslation,
                &t.source,
                span.start,
                span.end.max(span.start + 1),
                format!(
                    "`{tax}` differs from the original {}: original has [{}], this translation has [{}]",
                    o.source.path,
                    show(&a),
                    show(&b)
                ),
            )
            .with_hint("the translation may be out of date; copy the terms from the original"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join("vereisten", "../maatregelen/x.md").as_deref(),
            Some("maatregelen/x.md")
        );
        assert_eq!(join("a/b", "./c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(join("a", "/x.md").as_deref(), Some("x.md"));
        assert_eq!(join("a", "../../etc/passwd"), None);
    }
}
