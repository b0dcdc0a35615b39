//! `<!-- list_<collection> [taxonomy/term …] [field/page …] [no-… …] -->`: a
//! table of the pages of a collection, narrowed by filters; `no-…` flags
//! drop columns. Answered from the index (one lookup per directive; no scan
//! of other pages' bodies).

use super::{Call, Directive, Env, Kind, Shows};
use crate::config::{FieldKind, SiteConfig};
use crate::diagnostics::{did_you_mean, Code, Diagnostics};
use crate::parse::directive::DirectiveArg;
use crate::parse::front_matter::Span;

pub struct List;

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
    /// A table of a whole collection (narrowed or not) that shows the
    /// filter box gets the column and AI-Act profile filters of the
    /// overview pages; a page's own short lists do not.
    pub filters: bool,
}

impl ListQuery {
    /// All pages of `collection` in `rows`, with the collection's columns and
    /// every part shown.
    pub fn new(config: &SiteConfig, collection: &str, rows: Vec<(usize, bool)>) -> ListQuery {
        ListQuery {
            collection: collection.to_string(),
            rows,
            columns: config.collections[collection].columns.clone(),
            show_search: true,
            show_id: true,
            show_summary: true,
            filters: false,
        }
    }
}

impl Directive for ListQuery {
    fn shows(&self) -> Shows {
        Shows::Pages(self.rows.iter().map(|(c, _)| *c).collect())
    }

    fn template(&self) -> &'static str {
        "partials/list.html"
    }

    fn context(&self, env: &dyn Env, ctx: &mut tera::Context, diags: &mut Diagnostics) {
        ctx.insert_value("list", env.list(self, diags));
    }

    fn is_list(&self) -> bool {
        true
    }
}

enum Filter {
    Term(String, String),
    Ref(String, usize),
}

impl Kind for List {
    fn names(&self, config: &SiteConfig) -> Vec<String> {
        config
            .collections
            .keys()
            .map(|c| format!("list_{c}"))
            .collect()
    }

    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>> {
        let (idx, page, call) = (at.idx, at.page(), at.call);
        let config = at.config();
        let collection = call.name.strip_prefix("list_")?;
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
                    let near = did_you_mean(value, tax.terms.iter().map(|t| t.slug.as_str()))
                        .map(|c| format!("{key}/{c}"));
                    let hint = near
                        .as_ref()
                        .map(|c| format!("did you mean `{c}`?"))
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
                    diags.push(
                        at.arg_problem(
                            Code::UnknownTerm,
                            a,
                            format!("unknown term `{value}` in taxonomy `{key}`"),
                            Some(hint),
                        )
                        .with_fix_if(
                            &page.source,
                            a.span.start,
                            a.span.end,
                            &a.text,
                            near,
                        ),
                    );
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
                        let (hint, near) = idx.ref_lookup.hint_and_suggestion(target, value);
                        let near = near.map(|s| format!("{key}/{s}"));
                        diags.push(
                            at.arg_problem(
                                Code::UnknownReference,
                                a,
                                format!(
                                    "`{key}/{value}`: there is no page `{value}` in `{target}`"
                                ),
                                Some(hint),
                            )
                            .with_fix_if(
                                &page.source,
                                a.span.start,
                                a.span.end,
                                &a.text,
                                near,
                            ),
                        );
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
            let near = did_you_mean(key, candidates.iter().copied());
            let hint = near
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| format!("filters can use: {}", candidates.join(", ")));
            let key_arg = DirectiveArg {
                text: key.to_string(),
                span: Span {
                    start: a.span.start,
                    end: a.span.start + key.len(),
                },
            };
            diags.push(
                at.arg_problem(
                    Code::UnknownTaxonomy,
                    &key_arg,
                    format!("unknown taxonomy `{key}`"),
                    Some(hint),
                )
                .with_fix_if(
                    &page.source,
                    key_arg.span.start,
                    key_arg.span.end,
                    key,
                    near.map(str::to_string),
                ),
            );
        }
        let mut query = apply_flags(at, collection, &flags, diags)?;
        if !ok {
            return None;
        }
        // With a reference filter, only the pages naming that page are
        // candidates (an index lookup, not a scan of the collection).
        let by_ref = filters.iter().find_map(|f| match f {
            Filter::Ref(field, g) => Some((field.as_str(), *g)),
            Filter::Term(..) => None,
        });
        let candidates: Vec<(usize, bool)> = match by_ref {
            Some((field, group)) => {
                let mut seen = std::collections::HashSet::new();
                let mut v: Vec<(usize, bool)> = idx
                    .referenced_by
                    .get(field, group)
                    .iter()
                    .filter(|&&c| idx.site.pages[c].collection.as_deref() == Some(collection))
                    .filter_map(|&c| {
                        let g = idx.group_of[c];
                        seen.insert(g).then(|| idx.in_lang(g, &page.lang)).flatten()
                    })
                    .filter(|&(c, _)| {
                        idx.out_of_content[c].is_some()
                            && !crate::index::is_index_page(&idx.site.pages[c])
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
                    Filter::Ref(field, g) => idx.refs[c].get(field).is_some_and(|v| v.contains(g)),
                })
            })
            .collect();
        query.filters = query.show_search;
        empty_warning(at, &query, diags);
        Some(Box::new(query))
    }
}

/// Warns about a list that matches nothing.
pub(super) fn empty_warning(at: &Call<'_>, q: &ListQuery, diags: &mut Diagnostics) {
    if q.rows.is_empty() {
        diags.push(
            at.problem(
                Code::EmptyList,
                format!("`{}` matches no page of `{}`", at.call.name, q.collection),
            )
            .with_hint("check the filters; an empty table is shown"),
        );
    }
}

/// The query with the `no-…` flags applied; `None` if a flag is unknown
/// (reported).
pub(super) fn apply_flags(
    at: &Call<'_>,
    collection: &str,
    flags: &[&DirectiveArg],
    diags: &mut Diagnostics,
) -> Option<ListQuery> {
    let config = at.config();
    let mut q = ListQuery::new(config, collection, Vec::new());
    let mut ok = true;
    for a in flags {
        let Some(what) = a.text.strip_prefix("no-") else {
            ok = false;
            diags.push(at.arg_problem(
                Code::DirectiveArgument,
                a,
                format!(
                    "`{}` is neither a filter (`taxonomy/term`) nor a flag (`no-…`)",
                    a.text
                ),
                Some(format!(
                    "write filters as `key/value`, e.g. `levenscyclus/ontwerp`, in `{}`",
                    at.call.name
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
                        let near = did_you_mean(&a.text, names.iter().map(String::as_str));
                        let hint = near
                            .map(|c| format!("did you mean `{c}`?"))
                            .unwrap_or_else(|| format!("known flags: {}", names.join(", ")));
                        diags.push(
                            at.arg_problem(
                                Code::DirectiveArgument,
                                a,
                                format!("unknown flag `{}`", a.text),
                                Some(hint),
                            )
                            .with_fix_if(
                                &at.page().source,
                                a.span.start,
                                a.span.end,
                                &a.text,
                                near.map(str::to_string),
                            ),
                        );
                    }
                }
            }
        }
    }
    ok.then_some(q)
}
