//! Directive resolution: checks every directive's arguments against the
//! configuration and the index, and computes the rows of list directives
//! (one index lookup per directive; no scan of other pages' bodies).

use super::SiteIndex;
use crate::config::FieldKind;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::parse::directive::{DirectiveArg, DirectiveCall, DirectiveKind};
use crate::parse::ParsedPage;
use rayon::prelude::*;

/// What a directive renders.
#[derive(Debug, Clone)]
pub enum ResolvedDirective {
    Tags {
        ai_act: bool,
    },
    List(ListQuery),
    /// The classifier, driven by decision tree `tree` of `ParsedSite::trees`.
    Classifier {
        tree: usize,
    },
    /// Invalid; the problem has been reported and nothing is rendered.
    Nothing,
}

/// The rows and columns of a list table.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub collection: String,
    /// Content pages, and whether each is a fallback from the default language.
    pub rows: Vec<(usize, bool)>,
    /// Taxonomies shown as columns.
    pub columns: Vec<String>,
    pub show_search: bool,
    pub show_id: bool,
    pub show_summary: bool,
}

enum Filter {
    Term(String, String),
    Ref(String, usize),
}

pub fn resolve_all(idx: &SiteIndex, diags: &mut Diagnostics) -> Vec<Vec<ResolvedDirective>> {
    let results: Vec<(Vec<ResolvedDirective>, Diagnostics)> = idx
        .site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let mut d = Diagnostics::new();
            let published = idx.out_of_content[i].is_some();
            let r = page
                .body
                .directives
                .iter()
                .map(|call| {
                    if published {
                        resolve(idx, i, page, call, &mut d)
                    } else {
                        ResolvedDirective::Nothing
                    }
                })
                .collect();
            (r, d)
        })
        .collect();
    results
        .into_iter()
        .map(|(r, d)| {
            diags.extend(d);
            r
        })
        .collect()
}

fn err(
    page: &ParsedPage,
    code: Code,
    arg: &DirectiveArg,
    msg: String,
    hint: Option<String>,
) -> Diagnostic {
    Diagnostic::at(code, &page.source, arg.span.start, arg.span.end, msg).with_hint_opt(hint)
}

fn resolve(
    idx: &SiteIndex,
    i: usize,
    page: &ParsedPage,
    call: &DirectiveCall,
    diags: &mut Diagnostics,
) -> ResolvedDirective {
    let config = &idx.site.config;
    let no_args = |diags: &mut Diagnostics| {
        for a in &call.args {
            diags.push(err(
                page,
                Code::DirectiveArgument,
                a,
                format!(
                    "directive `{}` takes no arguments, but has `{}`",
                    call.name, a.text
                ),
                Some("remove the argument".into()),
            ));
        }
    };
    match &call.kind {
        DirectiveKind::Tags => {
            no_args(diags);
            ResolvedDirective::Tags { ai_act: false }
        }
        DirectiveKind::TagsAiAct => {
            no_args(diags);
            ResolvedDirective::Tags { ai_act: true }
        }
        DirectiveKind::GpaiClassifier => {
            let mut name = "gpai";
            for a in &call.args {
                match a.pair() {
                    Some(("tree", n)) => name = n,
                    _ => diags.push(err(
                        page,
                        Code::DirectiveArgument,
                        a,
                        format!("`{}` takes only `tree/<name>`, not `{}`", call.name, a.text),
                        Some("e.g. `<!-- gpai_classifier tree/gpai -->`".into()),
                    )),
                }
            }
            let trees = &idx.site.trees;
            let found = trees
                .iter()
                .position(|t| t.name == name && t.lang == page.lang)
                .or_else(|| {
                    trees
                        .iter()
                        .position(|t| t.name == name && t.lang == config.default_language)
                });
            match found {
                Some(tree) => ResolvedDirective::Classifier { tree },
                None => {
                    let folder = format!("{}/{}", config.content_dir, config.decision_trees);
                    diags.push(
                        Diagnostic::at(
                            Code::DirectiveArgument,
                            &page.source,
                            call.name_span.start,
                            call.name_span.end,
                            format!(
                                "there is no valid decision tree `{name}` for `{}`",
                                call.name
                            ),
                        )
                        .with_hint(format!(
                            "add {folder}/{name}.yaml (or fix the problems reported for it)"
                        )),
                    );
                    ResolvedDirective::Nothing
                }
            }
        }
        DirectiveKind::List { collection } => {
            let coll = &config.collections[collection];
            let mut filters = Vec::new();
            let mut flags = Vec::new();
            let mut ok = true;
            for a in &call.args {
                let Some((key, value)) = a.pair() else {
                    flags.push(a);
                    continue;
                };
                if let Some(tax) = config.taxonomies.get(key) {
                    if tax.term(value).is_none() {
                        ok = false;
                        let hint = did_you_mean(value, tax.terms.iter().map(|t| t.slug.as_str()))
                            .map(|c| format!("did you mean `{key}/{c}`?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "terms of `{key}`: {}",
                                    tax.terms
                                        .iter()
                                        .map(|t| t.slug.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            });
                        diags.push(err(
                            page,
                            Code::UnknownTerm,
                            a,
                            format!("unknown term `{value}` in taxonomy `{key}`"),
                            Some(hint),
                        ));
                        continue;
                    }
                    filters.push(Filter::Term(key.to_string(), value.to_string()));
                    continue;
                }
                let ref_field = coll
                    .fields
                    .iter()
                    .find(|(name, f)| name.as_str() == key && f.kind == FieldKind::Refs);
                if let Some((field, spec)) = ref_field {
                    let target = spec.collection.as_deref().unwrap_or_default();
                    match idx.ref_lookup.find(target, value) {
                        Some(g) => filters.push(Filter::Ref(field.clone(), g)),
                        None => {
                            ok = false;
                            diags.push(err(
                                page,
                                Code::UnknownReference,
                                a,
                                format!(
                                    "`{key}/{value}`: there is no page `{value}` in `{target}`"
                                ),
                                Some(idx.ref_lookup.hint(target, value)),
                            ));
                        }
                    }
                    continue;
                }
                ok = false;
                let ref_fields = coll
                    .fields
                    .iter()
                    .filter(|(_, f)| f.kind == FieldKind::Refs)
                    .map(|(n, _)| n.as_str());
                let candidates: Vec<&str> = config
                    .taxonomies
                    .keys()
                    .map(String::as_str)
                    .chain(ref_fields)
                    .collect();
                let hint = did_you_mean(key, candidates.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| format!("filters can use: {}", candidates.join(", ")));
                let key_arg = DirectiveArg {
                    text: key.to_string(),
                    span: crate::parse::front_matter::Span {
                        start: a.span.start,
                        end: a.span.start + key.len(),
                    },
                };
                diags.push(err(
                    page,
                    Code::UnknownTaxonomy,
                    &key_arg,
                    format!("unknown taxonomy `{key}`"),
                    Some(hint),
                ));
            }
            let Some(mut query) = apply_flags(idx, page, call, collection, &flags, diags) else {
                return ResolvedDirective::Nothing;
            };
            if !ok {
                return ResolvedDirective::Nothing;
            }
            // With a reference filter, only the pages naming that page are
            // candidates (an index lookup, not a scan of the collection).
            let by_ref = filters.iter().find_map(|f| match f {
                Filter::Ref(field, g) => Some((field.clone(), *g)),
                Filter::Term(..) => None,
            });
            let candidates: Vec<(usize, bool)> = match by_ref {
                Some(key) => {
                    let mut seen = std::collections::HashSet::new();
                    let mut v: Vec<(usize, bool)> = idx
                        .referenced_by
                        .get(&key)
                        .into_iter()
                        .flatten()
                        .filter(|&&c| {
                            idx.site.pages[c].collection.as_deref() == Some(collection.as_str())
                        })
                        .filter_map(|&c| {
                            let g = idx.group_of[c];
                            seen.insert(g).then(|| idx.in_lang(g, &page.lang)).flatten()
                        })
                        .filter(|&(c, _)| {
                            idx.out_of_content[c].is_some()
                                && !super::is_index_page(&idx.site.pages[c])
                        })
                        .collect();
                    v.sort_by(|a, b| idx.site.pages[a.0].slug().cmp(idx.site.pages[b.0].slug()));
                    v
                }
                None => idx.collection_pages(collection, &page.lang).to_vec(),
            };
            query.rows = candidates
                .into_iter()
                .filter(|&(c, _)| {
                    let p = &idx.site.pages[c];
                    filters.iter().all(|f| match f {
                        Filter::Term(tax, term) => p.front.term_slugs(tax).any(|t| t == term),
                        Filter::Ref(field, g) => {
                            idx.refs[c].get(field).is_some_and(|v| v.contains(g))
                        }
                    })
                })
                .collect();
            empty_warning(page, call, &query, diags);
            ResolvedDirective::List(query)
        }
        DirectiveKind::ListReferenced { collection, on } => {
            let flags: Vec<&DirectiveArg> = call.args.iter().collect();
            let Some(mut query) = apply_flags(idx, page, call, collection, &flags, diags) else {
                return ResolvedDirective::Nothing;
            };
            // The page's own reference field to `collection` (on a page of `on`
            // as the name says, or on any page whose collection names
            // `collection`, as tools do).
            let own = page.collection.as_deref().unwrap_or(on);
            let field = config
                .collections
                .get(own)
                .and_then(|c| {
                    c.fields.iter().find(|(_, f)| {
                        f.kind == FieldKind::Refs && f.collection.as_deref() == Some(collection)
                    })
                })
                .map(|(n, _)| n.clone());
            let Some(field) = field else {
                diags.push(
                    Diagnostic::at(
                        Code::DirectiveArgument,
                        &page.source,
                        call.name_span.start,
                        call.name_span.end,
                        format!("`{}` lists the pages of `{collection}` this page refers to, but this page has no such field", call.name),
                    )
                    .with_hint(format!("use it on pages of `{on}`, or use `list_{collection}` with a filter")),
                );
                return ResolvedDirective::Nothing;
            };
            let mut rows: Vec<(usize, bool)> = idx.refs[i]
                .get(&field)
                .into_iter()
                .flatten()
                .filter_map(|&g| idx.in_lang(g, &page.lang))
                .filter(|&(c, _)| idx.out_of_content[c].is_some())
                .collect();
            rows.sort_by(|a, b| idx.site.pages[a.0].slug().cmp(idx.site.pages[b.0].slug()));
            query.rows = rows;
            empty_warning(page, call, &query, diags);
            ResolvedDirective::List(query)
        }
    }
}

fn empty_warning(page: &ParsedPage, call: &DirectiveCall, q: &ListQuery, diags: &mut Diagnostics) {
    if q.rows.is_empty() {
        diags.push(
            Diagnostic::at(
                Code::EmptyList,
                &page.source,
                call.name_span.start,
                call.name_span.end,
                format!("`{}` matches no page of `{}`", call.name, q.collection),
            )
            .with_hint("check the filters; an empty table is shown"),
        );
    }
}

/// Applies `no-…` flags; `None` if a flag is unknown (reported).
fn apply_flags(
    idx: &SiteIndex,
    page: &ParsedPage,
    call: &DirectiveCall,
    collection: &str,
    flags: &[&DirectiveArg],
    diags: &mut Diagnostics,
) -> Option<ListQuery> {
    let config = &idx.site.config;
    let mut q = ListQuery {
        collection: collection.to_string(),
        rows: Vec::new(),
        columns: config.collections[collection].columns.clone(),
        show_search: true,
        show_id: true,
        show_summary: true,
    };
    let mut ok = true;
    for a in flags {
        let Some(what) = a.text.strip_prefix("no-") else {
            ok = false;
            diags.push(err(
                page,
                Code::DirectiveArgument,
                a,
                format!(
                    "`{}` is neither a filter (`taxonomy/term`) nor a flag (`no-…`)",
                    a.text
                ),
                Some(format!(
                    "write filters as `key/value`, e.g. `levenscyclus/ontwerp`, in `{}`",
                    call.name
                )),
            ));
            continue;
        };
        match what {
            "search" => q.show_search = false,
            "id" => q.show_id = false,
            "toelichting" | "summary" => q.show_summary = false,
            _ => {
                let hit = config
                    .taxonomies
                    .keys()
                    .find(|t| t.as_str() == what || t.starts_with(what));
                match hit {
                    Some(t) => q.columns.retain(|c| c != t),
                    None => {
                        ok = false;
                        let mut names: Vec<String> =
                            vec!["no-search".into(), "no-id".into(), "no-toelichting".into()];
                        names.extend(config.taxonomies.keys().map(|t| format!("no-{t}")));
                        let hint = did_you_mean(&a.text, names.iter().map(String::as_str))
                            .map(|c| format!("did you mean `{c}`?"))
                            .unwrap_or_else(|| format!("known flags: {}", names.join(", ")));
                        diags.push(err(
                            page,
                            Code::DirectiveArgument,
                            a,
                            format!("unknown flag `{}`", a.text),
                            Some(hint),
                        ));
                    }
                }
            }
        }
    }
    ok.then_some(q)
}
