//! The data of the decision aid's generated pages: "Vereisten voor jou"
//! (the overview collection grouped by a taxonomy, each item with the
//! measures that serve it, narrowed in the browser by an AI-Act profile),
//! a decision tree's page and one page per conclusion (what applies after
//! it, worked out at build time).

use super::splice::{Piece, Splices};
use super::{ContextBuilder, ItemKey};
use crate::diagnostics::Diagnostics;
use crate::directives::decision_tree::{widget, Widget};
use crate::index::short_id;
use crate::parse::escape::plain_text;
use kader_classify::Profile;
use serde::Serialize;

/// One requirement (or measure) as `partials/grouped_item.html` sees it.
#[derive(Serialize)]
struct ItemCtx {
    /// Its key in the page's applicability data.
    key: String,
    title: String,
    href: String,
    id: Option<String>,
    summary: Option<String>,
    fallback: bool,
    lang: String,
    measures: Vec<ItemCtx>,
    /// The other terms of the grouping taxonomy it carries (it is listed
    /// once, under the first).
    also: Vec<String>,
}

/// One requirement in a grouped list, rendered.
#[derive(Serialize)]
pub struct Item {
    key: String,
    html: String,
}

/// A requirement of a grouped list before it is rendered: the page, whether
/// it stands in for a missing translation, and its measures (the same).
#[derive(Clone, Debug)]
struct Entry {
    page: usize,
    fallback: bool,
    measures: Vec<(usize, bool)>,
}

/// The requirements of a grouped list in one language, each with its
/// measures, and every page shown, once, ordered by its key (the page
/// number as text, the order the narrowing data lists them in). Without a
/// profile it depends only on the site's pages and references, and is kept
/// between builds (see `RowCache::forget`).
#[derive(Debug)]
pub(super) struct Grouping {
    entries: Vec<Entry>,
    shown: Vec<usize>,
}

/// Items under one term of the grouping taxonomy.
#[derive(Serialize)]
pub struct Group {
    label: String,
    anchor: String,
    items: Vec<Item>,
}

/// A taxonomy of the profile form.
#[derive(Serialize)]
struct FormTaxonomy {
    key: String,
    label: String,
    terms: Vec<FormTerm>,
}

#[derive(Serialize)]
struct FormTerm {
    slug: String,
    label: String,
}

/// "Vereisten voor jou".
#[derive(Serialize)]
pub struct ProfileCtx {
    form: Vec<FormTaxonomy>,
    groups: Vec<Group>,
    count: usize,
    /// The page of the decision aid, when the site has a tree.
    aid_url: Option<String>,
    data_json: String,
    wasm_url: String,
    script_url: String,
}

/// A conclusion's page.
#[derive(Serialize)]
pub struct ConclusionCtx {
    tree: String,
    tree_url: String,
    text: String,
    obligation: String,
    explanation: Option<String>,
    comment: Option<String>,
    sources: Vec<SourceCtx>,
    /// The profile as chips: taxonomy label and its terms' labels.
    profile: Vec<ProfileChip>,
    /// "Vereisten voor jou" with this profile.
    profile_url: Option<String>,
    groups: Vec<Group>,
    count: usize,
    /// No walk reaches the conclusion (it has no profile).
    unreached: bool,
}

#[derive(Serialize)]
struct SourceCtx {
    source: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct ProfileChip {
    taxonomy: String,
    terms: Vec<String>,
}

impl ContextBuilder<'_> {
    /// Content pages that name `c` (a page of the overview collection) in
    /// one of the reference fields `fields`, in `lang`, sorted by slug.
    fn measures_of(&self, c: usize, lang: &str, fields: &[&str]) -> Vec<(usize, bool)> {
        let idx = self.idx;
        let group = idx.group_of[c];
        // A handful per page: a list is quicker to search than a set.
        let mut seen = Vec::new();
        let mut out: Vec<(usize, bool)> = fields
            .iter()
            .flat_map(|field| idx.referenced_by.get(field, group))
            .filter_map(|&m| {
                let g = idx.group_of[m];
                if seen.contains(&g) {
                    return None;
                }
                seen.push(g);
                idx.in_lang(g, lang)
            })
            .filter(|&(m, _)| idx.out_of_content[m].is_some())
            .collect();
        out.sort_by(|a, b| idx.site.pages[a.0].slug().cmp(idx.site.pages[b.0].slug()));
        out
    }

    fn item_ctx(&self, c: usize, fallback: bool, measures: Vec<ItemCtx>) -> ItemCtx {
        let p = &self.idx.site.pages[c];
        ItemCtx {
            key: c.to_string(),
            title: p.title(),
            href: self.idx.out_of_content[c]
                .map(|o| self.idx.href(o))
                .unwrap_or_default(),
            id: p.front.id.as_ref().map(|i| short_id(&i.value).to_string()),
            summary: p.list_summary().cloned(),
            fallback,
            lang: p.lang.clone(),
            measures,
            also: Vec::new(),
        }
    }

    /// An entry rendered by `partials/grouped_item.html`, or taken from the
    /// items rendered before with the same pages.
    fn item(
        &self,
        lang: &str,
        e: Entry,
        also: Vec<String>,
        splices: &Splices,
        diags: &mut Diagnostics,
    ) -> Item {
        let key = ItemKey {
            lang: lang.to_string(),
            page: e.page,
            fallback: e.fallback,
            measures: e.measures,
        };
        let html = self
            .rows
            .lock()
            .ok()
            .and_then(|r| r.item(&key))
            .or_else(|| self.render_item(lang, key, also, diags));
        Item {
            key: e.page.to_string(),
            html: splices.marker(html.into_iter().collect()),
        }
    }

    /// Renders an item that was not kept, and keeps it when it rendered (a
    /// failure is reported by every build).
    fn render_item(
        &self,
        lang: &str,
        key: ItemKey,
        also: Vec<String>,
        diags: &mut Diagnostics,
    ) -> Option<std::sync::Arc<Piece>> {
        let measures = key
            .measures
            .iter()
            .map(|&(m, f)| self.item_ctx(m, f, Vec::new()))
            .collect();
        let mut ctx = self.partial_base(lang);
        ctx.insert(
            "i",
            &ItemCtx {
                also,
                ..self.item_ctx(key.page, key.fallback, measures)
            },
        );
        let html = self
            .templates
            .render("partials/grouped_item.html", &ctx, diags)?;
        let html = std::sync::Arc::new(self.piece(html.trim()));
        if let Ok(mut rows) = self.rows.lock() {
            rows.keep_item(key, html.clone());
        }
        Some(html)
    }

    /// The overview collection's pages in `lang` with their measures; with
    /// `profile`, only those that apply.
    fn grouping(&self, lang: &str, profile: Option<&Profile>) -> std::sync::Arc<Grouping> {
        let kept = profile.is_none().then(|| {
            let rows = self.rows.lock().ok()?;
            rows.grouping.get(lang).cloned()
        });
        if let Some(g) = kept.flatten() {
            return g;
        }
        let idx = self.idx;
        let config = &idx.site.config;
        let rows = idx.collection_pages(&config.decision_aid.overview, lang);
        let keep = |pages: &[usize]| -> Vec<bool> {
            match profile {
                Some(p) => idx.applicable(p, pages).iter().map(|a| a.applies).collect(),
                None => vec![true; pages.len()],
            }
        };
        let kept = keep(&rows.iter().map(|r| r.0).collect::<Vec<_>>());
        let fields = config.fields_naming(&config.decision_aid.overview);
        let entries: Vec<Entry> = rows
            .iter()
            .zip(kept)
            .filter(|(_, k)| *k)
            .map(|(&(c, fallback), _)| {
                let measures = self.measures_of(c, lang, &fields);
                let kept = keep(&measures.iter().map(|m| m.0).collect::<Vec<_>>());
                Entry {
                    page: c,
                    fallback,
                    measures: measures
                        .into_iter()
                        .zip(kept)
                        .filter(|(_, k)| *k)
                        .map(|(m, _)| m)
                        .collect(),
                }
            })
            .collect();
        let mut shown: Vec<usize> = entries
            .iter()
            .flat_map(|e| std::iter::once(e.page).chain(e.measures.iter().map(|m| m.0)))
            .collect();
        shown.sort_unstable();
        shown.dedup();
        shown.sort_by_cached_key(usize::to_string);
        let grouping = std::sync::Arc::new(Grouping { entries, shown });
        if profile.is_none() {
            if let Ok(mut rows) = self.rows.lock() {
                rows.grouping.insert(lang.to_string(), grouping.clone());
            }
        }
        grouping
    }

    /// The overview collection's pages in `lang` grouped by the grouping
    /// taxonomy, each with its measures; with `profile`, only those that
    /// apply. Returns the groups and what they show.
    fn grouped(
        &self,
        lang: &str,
        profile: Option<&Profile>,
        splices: &Splices,
        diags: &mut Diagnostics,
    ) -> (Vec<Group>, std::sync::Arc<Grouping>) {
        let idx = self.idx;
        let config = &idx.site.config;
        let dl = config.default_language.as_str();
        let grouping = self.grouping(lang, profile);
        let entries = grouping.entries.iter().cloned();
        let strings = idx.site.theme.strings(lang);
        let Some(tax_key) = config.decision_aid.group_by.as_deref() else {
            let all = Group {
                label: config.collections[&config.decision_aid.overview]
                    .label
                    .get(lang, dl)
                    .to_string(),
                anchor: "alle".into(),
                items: entries
                    .map(|e| self.item(lang, e, Vec::new(), splices, diags))
                    .collect(),
            };
            return (vec![all], grouping);
        };
        let tax = &config.taxonomies[tax_key];
        let mut groups: Vec<Group> = tax
            .terms
            .iter()
            .map(|t| Group {
                label: t.label.get(lang, dl).to_string(),
                anchor: t.slug.clone(),
                items: Vec::new(),
            })
            .collect();
        let mut other = Group {
            label: strings.get("profile_other"),
            anchor: "overig".into(),
            items: Vec::new(),
        };
        // Each page once, under the first of its terms; the others are named.
        for e in entries {
            let terms: Vec<&str> = idx.site.pages[e.page].front.term_slugs(tax_key).collect();
            let places: Vec<usize> = tax
                .terms
                .iter()
                .enumerate()
                .filter(|(_, t)| terms.contains(&t.slug.as_str()))
                .map(|(i, _)| i)
                .collect();
            match places.split_first() {
                None => other
                    .items
                    .push(self.item(lang, e, Vec::new(), splices, diags)),
                Some((&first, rest)) => {
                    let also = rest.iter().map(|&i| groups[i].label.clone()).collect();
                    let item = self.item(lang, e, also, splices, diags);
                    groups[first].items.push(item);
                }
            }
        }
        groups.push(other);
        groups.retain(|g| !g.items.is_empty());
        (groups, grouping)
    }

    /// The context of "Vereisten voor jou" in `lang`.
    pub(super) fn profile_ctx(
        &self,
        lang: &str,
        splices: &Splices,
        diags: &mut Diagnostics,
    ) -> ProfileCtx {
        let idx = self.idx;
        let config = &idx.site.config;
        let dl = config.default_language.as_str();
        let ai_act = crate::index::ai_act::taxonomies(config);
        let form = ai_act
            .iter()
            .map(|&k| {
                let t = &config.taxonomies[k];
                FormTaxonomy {
                    key: k.to_string(),
                    label: t.label.get(lang, dl).to_string(),
                    terms: t
                        .terms
                        .iter()
                        .filter(|x| x.slug != kader_classify::profile::NOT_APPLICABLE)
                        .map(|x| FormTerm {
                            slug: x.slug.clone(),
                            label: x.label.get(lang, dl).to_string(),
                        })
                        .collect(),
                }
            })
            .collect();
        let (groups, grouping) = self.grouped(lang, None, splices, diags);
        // What the browser needs to narrow the list: every listed page's
        // AI-Act terms and exceptions, and the labels of the terms.
        let aid_url = idx
            .default_tree()
            .map(|t| crate::index::tree_path(config, lang, &t))
            .filter(|p| idx.by_path.contains_key(p))
            .map(|p| self.rel(&p));
        ProfileCtx {
            form,
            groups,
            count: grouping.entries.len(),
            aid_url,
            data_json: self
                .profile_data(lang, &grouping.shown, false)
                .unwrap_or_default(),
            wasm_url: self.rel("kader-classify.wasm"),
            script_url: self.rel("kader-profile.js"),
        }
    }

    /// The context of a decision tree's page: the widget.
    pub(super) fn tree_ctx(&self, lang: &str, tree: &str) -> Option<Widget> {
        widget(self.idx, lang, tree, &|p| self.rel(p))
    }

    /// The context of a conclusion's page.
    pub(super) fn conclusion_ctx(
        &self,
        lang: &str,
        tree: &str,
        id: &str,
        splices: &Splices,
        diags: &mut Diagnostics,
    ) -> Option<ConclusionCtx> {
        let idx = self.idx;
        let config = &idx.site.config;
        let dl = config.default_language.as_str();
        let loaded = idx.tree(tree, lang)?;
        let i = loaded.tree.conclusion_index(id)?;
        let c = &crate::directives::decision_tree::sanitized(&loaded.tree).conclusions[i];
        let profile = loaded.profiles.get(i).cloned().flatten();
        let chips = profile
            .iter()
            .flat_map(|p| p.terms.iter())
            .filter_map(|(tax, terms)| {
                let t = config.taxonomies.get(tax)?;
                let labels: Vec<String> = terms
                    .iter()
                    .filter_map(|s| t.term(s))
                    .map(|x| x.label.get(lang, dl).to_string())
                    .collect();
                (!labels.is_empty()).then(|| ProfileChip {
                    taxonomy: t.label.get(lang, dl).to_string(),
                    terms: labels,
                })
            })
            .collect();
        let profile_path = format!(
            "{}{}/",
            config.lang_dir(lang),
            config.decision_aid.profile_path
        );
        let profile_url = match (&profile, idx.by_path.contains_key(&profile_path)) {
            (Some(p), true) => {
                let query: Vec<String> = p
                    .terms
                    .iter()
                    .flat_map(|(t, terms)| terms.iter().map(move |x| format!("{t}={x}")))
                    .collect();
                let q = if query.is_empty() {
                    String::new()
                } else {
                    format!("?{}", query.join("&"))
                };
                Some(format!("{}{q}", self.rel(&profile_path)))
            }
            _ => None,
        };
        let (groups, count) = match &profile {
            Some(p) => {
                let (groups, grouping) = self.grouped(lang, Some(p), splices, diags);
                (groups, grouping.entries.len())
            }
            None => (Vec::new(), 0),
        };
        Some(ConclusionCtx {
            tree: loaded
                .tree
                .name
                .as_deref()
                .map(plain_text)
                .unwrap_or_else(|| tree.to_string()),
            tree_url: self.rel(&crate::index::tree_path(config, lang, tree)),
            text: c.conclusion.clone(),
            obligation: c.obligation.clone(),
            explanation: c.explanation.clone(),
            comment: c.conclusion_comment.clone(),
            sources: c
                .sources
                .iter()
                .map(|s| SourceCtx {
                    source: s.source.clone(),
                    url: s.url.as_deref().and_then(kader_classify::safe_url),
                })
                .collect(),
            profile: chips,
            profile_url,
            groups,
            count,
            unreached: profile.is_none(),
        })
    }
}
