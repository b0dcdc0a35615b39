//! Pages as the AI-Act applicability check sees them: their terms of the
//! AI-Act taxonomies (`ai_act = true`) and their exception entries
//! (`uitzondering:`), which are checked here.

use super::SiteIndex;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::decision_tree::LoadedTree;
use kader_classify::profile::{applicable, check_exceptions, Applicability, Page, Profile};
use std::collections::BTreeMap;

/// The keys of the AI-Act taxonomies, in configuration order.
pub fn taxonomies(config: &SiteConfig) -> Vec<&str> {
    config
        .taxonomies
        .iter()
        .filter(|(_, t)| t.ai_act)
        .map(|(k, _)| k.as_str())
        .collect()
}

/// AI-Act taxonomy → its label and its terms' labels in `lang` (for chips
/// and the decision aid's outcome).
pub fn term_labels(config: &SiteConfig, lang: &str) -> serde_json::Value {
    let dl = config.default_language.as_str();
    taxonomies(config)
        .into_iter()
        .map(|k| {
            let t = &config.taxonomies[k];
            let terms: serde_json::Map<String, serde_json::Value> = t
                .terms
                .iter()
                .map(|x| (x.slug.clone(), x.label.get(lang, dl).into()))
                .collect();
            (
                k.to_string(),
                serde_json::json!({ "label": t.label.get(lang, dl), "terms": terms }),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Every taxonomy key (exception entries may name any), in order.
fn all_taxonomies(config: &SiteConfig) -> Vec<&str> {
    config.taxonomies.keys().map(String::as_str).collect()
}

impl SiteIndex {
    /// The tree that "the decision aid" means: `[decision_aid] tree`, else
    /// the first by name.
    pub fn default_tree(&self) -> Option<String> {
        self.site
            .config
            .decision_aid
            .tree
            .clone()
            .or_else(|| self.site.trees.iter().map(|t| t.name.clone()).min())
    }

    /// Decision tree `name` in `lang`, else in the default language.
    pub fn tree(&self, name: &str, lang: &str) -> Option<&LoadedTree> {
        let trees = &self.site.trees;
        trees
            .iter()
            .find(|t| t.name == name && t.lang == lang)
            .or_else(|| {
                trees
                    .iter()
                    .find(|t| t.name == name && t.lang == self.site.config.default_language)
            })
    }

    /// Content page `c` for the applicability check, named `key`.
    pub fn applicability_page(&self, c: usize, key: String) -> Page {
        let config = &self.site.config;
        let p = &self.site.pages[c];
        let terms = taxonomies(config)
            .into_iter()
            .filter_map(|t| {
                let v: Vec<String> = p.front.term_slugs(t).map(str::to_string).collect();
                (!v.is_empty()).then(|| (t.to_string(), v))
            })
            .collect();
        let uitzondering = p
            .front
            .lists
            .get(&config.decision_aid.exceptions)
            .map(|l| l.iter().map(|e| e.value.clone()).collect())
            .unwrap_or_default();
        Page {
            slug: key,
            terms,
            uitzondering,
        }
    }

    /// The content pages of `collection` in `lang` that apply to `profile`,
    /// in the collection's order.
    pub fn applying(&self, profile: &Profile, collection: &str, lang: &str) -> Vec<usize> {
        let pages: Vec<usize> = self
            .collection_pages(collection, lang)
            .iter()
            .map(|r| r.0)
            .collect();
        self.applicable(profile, &pages)
            .iter()
            .zip(&pages)
            .filter(|(a, _)| a.applies)
            .map(|(_, &c)| c)
            .collect()
    }

    /// Whether each content page of `pages` applies to `profile`.
    pub fn applicable(&self, profile: &Profile, pages: &[usize]) -> Vec<Applicability> {
        let list: Vec<Page> = pages
            .iter()
            .map(|&c| self.applicability_page(c, c.to_string()))
            .collect();
        applicable(profile, &list, &all_taxonomies(&self.site.config))
    }
}

/// The problems of every content page's exception entries (entries that do
/// not parse or name no taxonomy term), by content page.
pub fn check(idx: &SiteIndex) -> Vec<Diagnostics> {
    let ctx = Context::new(&idx.site.config);
    (0..idx.site.pages.len())
        .map(|c| ctx.check_page(idx, c))
        .collect()
}

/// What checking exception entries needs of the configuration.
pub(super) struct Context<'c> {
    terms: BTreeMap<String, Vec<String>>,
    taxonomies: Vec<&'c str>,
}

impl<'c> Context<'c> {
    pub(super) fn new(config: &'c SiteConfig) -> Context<'c> {
        Context {
            terms: config
                .taxonomies
                .iter()
                .map(|(k, t)| (k.clone(), t.terms.iter().map(|x| x.slug.clone()).collect()))
                .collect(),
            taxonomies: all_taxonomies(config),
        }
    }

    /// The problems of content page `c`'s exception entries.
    pub(super) fn check_page(&self, idx: &SiteIndex, c: usize) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let p = &idx.site.pages[c];
        let Some(entries) = p.front.lists.get(&idx.site.config.decision_aid.exceptions) else {
            return diags;
        };
        let page = idx.applicability_page(c, String::new());
        for problem in check_exceptions(&[page], &self.taxonomies, &self.terms) {
            let Some(entry) = entries.get(problem.entry) else {
                continue;
            };
            // The entry's span covers the value as written; point into it
            // when it is written plainly, else at its start.
            let raw = &p.source.text[entry.span.start..entry.span.end];
            let at = if raw == entry.value {
                entry.span.start + problem.offset.min(raw.len())
            } else {
                entry.span.start
            };
            diags.push(
                Diagnostic::at(Code::BadException, &p.source, at, at + 1, problem.message)
                    .with_hint(problem.hint),
            );
        }
        diags
    }
}

/// An exception entry in words: every `taxonomy-term` name becomes
/// "Taxonomy: Term" and the operators words of the language (`and`, `or`,
/// `not`), for the page that carries it.
pub fn describe_exception(config: &SiteConfig, entry: &str, lang: &str) -> String {
    let dl = config.default_language.as_str();
    let keys = all_taxonomies(config);
    let words = match lang {
        "en" => ("and", "or", "not"),
        _ => ("en", "of", "niet"),
    };
    let mut out = String::new();
    let mut at = 0;
    let operands = kader_classify::expr::operands(entry, true);
    for (name, offset) in &operands {
        // The operand as written: quoted or bare.
        let rest = &entry[*offset..];
        let len = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |e| e + 2),
            _ => name.len(),
        };
        out.push_str(&entry[at..*offset]);
        let label = kader_classify::profile::split_name(name, &keys).and_then(|(t, term)| {
            let tax = config.taxonomies.get(&t)?;
            let tl = tax.label.get(lang, dl);
            Some(match term.and_then(|x| tax.term(x)) {
                Some(x) => format!("{tl}: {}", x.label.get(lang, dl)),
                None => tl.to_string(),
            })
        });
        out.push_str(label.as_deref().unwrap_or(name));
        at = (*offset + len).min(entry.len());
    }
    out.push_str(&entry[at..]);
    out.replace("&&", words.0)
        .replace("||", words.1)
        .replace('!', &format!("{} ", words.2))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
