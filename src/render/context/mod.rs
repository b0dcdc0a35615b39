//! The data each template receives. Everything here is plain data; the
//! markup is in `templates/`.

mod decision_aid;
mod furniture;
mod splice;

use super::scan::{Links, Scan};
use super::templates::Templates;
use super::{file_of, OutputFile};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::directives::decision_tree::script_json;
use crate::directives::{Directives, ListQuery};
use crate::index::{short_id, OutPage, PageKind, SiteIndex};
use crate::parse::escape::{encode_url_path, escape_html};
use crate::parse::markdown::{Fragment, LinkKind};
use crate::parse::ParsedPage;
use kader_search::hash::FxHashMap as HashMap;
use serde::Serialize;
use splice::{Piece, Splices};

#[derive(Serialize, Clone)]
struct LangLink {
    code: String,
    name: String,
    href: String,
    current: bool,
    translated: bool,
}

#[derive(Serialize, Clone)]
struct MenuItem {
    label: String,
    href: String,
    path: String,
    active: bool,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    lang: &'a str,
    home: String,
    languages: Vec<LangLink>,
    menu: Vec<MenuItem>,
    css: Vec<String>,
    js: Vec<String>,
    export_json: String,
    export_csv: String,
    search: SearchCtx,
}

impl SiteCtx<'_> {
    /// `site` as the parts rendered once for many pages see it: without the
    /// page's `languages`.
    fn shared(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.remove("languages");
        }
        v
    }
}

#[derive(Serialize)]
struct SearchCtx {
    /// Folder of the language's search index.
    index: String,
    wasm: String,
}

#[derive(Serialize, Clone)]
struct Chip {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct TaxGroup {
    key: String,
    label: String,
    ai_act: bool,
    terms: Vec<Chip>,
    /// An AI-Act taxonomy of which the page carries every term does not
    /// narrow: `terms` is empty and this says so ("alle"), with `all_title`
    /// explaining it.
    all: Option<String>,
    all_title: Option<String>,
}

#[derive(Serialize)]
struct TocItem {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize)]
struct Crumb {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    href: String,
}

#[derive(Serialize)]
struct PageCtx {
    kind: &'static str,
    title: String,
    heading: String,
    href: String,
    canonical: String,
    summary: Option<String>,
    /// The summary as the page's lead: only when the body does not open
    /// with its own introduction (a paragraph), which would repeat it.
    lead: Option<String>,
    fields: indexmap::IndexMap<String, String>,
    id: Option<String>,
    short_id: Option<String>,
    collection: Option<String>,
    collection_label: Option<String>,
    singular: Option<String>,
    body: String,
    toc: Vec<TocItem>,
    taxonomies: Vec<TaxGroup>,
    breadcrumbs: Vec<Crumb>,
    alternates: Vec<Alternate>,
    source_path: Option<String>,
    has_mermaid: bool,
    /// The generated stylesheet of inline styles, when the body uses it.
    styles_css: Option<String>,
    /// The page's exception entries (`uitzondering:`) in words.
    exceptions: Vec<String>,
}

#[derive(Serialize)]
struct Column {
    key: String,
    label: String,
}

#[derive(Serialize)]
struct Row {
    title: String,
    href: String,
    id: Option<String>,
    summary: Option<String>,
    fallback: bool,
    lang: String,
    cells: Vec<Vec<Chip>>,
    filter: String,
    /// The content page, as the profile filter names it.
    key: String,
}

#[derive(Serialize)]
struct FilterCtx {
    key: String,
    label: String,
    options: Vec<Chip>,
}

#[derive(Serialize)]
struct ListCtx {
    dom_id: String,
    collection: String,
    label: String,
    columns: Vec<Column>,
    /// The rendered `<tr>` elements (see `partials/list_row.html`), one per
    /// line, spliced in after the page is rendered (see `splice`).
    rows_html: String,
    row_count: usize,
    show_search: bool,
    show_id: bool,
    show_summary: bool,
    filters: Vec<FilterCtx>,
    /// The AI-Act profile filter, on filterable lists with AI-Act pages.
    profile: Option<ListProfile>,
    /// The "Exporteer" menu, on filterable lists.
    export: Option<ExportCtx>,
}

/// The "Exporteer" menu (templates/partials/export_menu.html): the
/// build-time files, and what static/kader-export.js needs to write the
/// rows shown.
#[derive(Serialize)]
struct ExportCtx {
    /// `list` (a table's rows) or `checklist` ("Vereisten voor jou").
    mode: &'static str,
    /// The collection of a list.
    sheet: String,
    xlsx: String,
    ods: String,
    csv: String,
    data: String,
    script: String,
    wasm: String,
}

/// What a list needs to be narrowed by an AI-Act profile in the URL
/// (static/kader-profile.js).
#[derive(Serialize)]
struct ListProfile {
    data_json: String,
    wasm_url: String,
    script_url: String,
    /// "Vereisten voor jou", whose form edits the profile.
    profile_url: Option<String>,
}

#[derive(Serialize)]
struct TermCount {
    slug: String,
    label: String,
    href: String,
    count: usize,
    description: Option<String>,
}

#[derive(Serialize)]
struct TaxonomyCtx {
    key: String,
    label: String,
    href: String,
    terms: Vec<TermCount>,
}

#[derive(Serialize)]
struct CollectionCtx {
    key: String,
    label: String,
    href: String,
    count: usize,
}

/// Builds template contexts; shared by all pages of a build.
pub struct ContextBuilder<'a> {
    idx: &'a SiteIndex,
    directives: &'a Directives,
    templates: &'a Templates,
    /// Rendered table rows: a page appears in many lists, rendered once.
    rows: std::sync::Mutex<RowCache>,
    /// The link targets of the pieces' scans.
    links: &'a Links,
    /// Menus and footers rendered once and shared by the pages that show them.
    furniture_html: furniture::Rendered,
    /// Per language, the UI strings (`t`) as a template value, which
    /// every page's context shares rather than copies.
    ui_strings: HashMap<String, tera::Value>,
    /// Per language, a context with the few strings the partials use.
    partial_bases: HashMap<String, tera::Context>,
}

/// The UI strings the list, tags and used-in partials use.
const PARTIAL_STRINGS: &[&str] = &[
    "filter_text",
    "filter_all",
    "filter_reset",
    "list_count",
    "id",
    "title",
    "list_empty",
    "used_in",
    "profile_current",
    "profile_remove",
    "profile_choose",
    "profile_also",
    "profile_measures",
    "fallback_title",
    "fallback_badge",
];

/// What a table's rows look like besides their page: language, columns, flags.
type RowShape = (String, Vec<String>, bool, bool);

/// The rows of one shape by what else they depend on: content page, fallback.
type ShapeRows = std::sync::Arc<std::sync::Mutex<HashMap<(usize, bool), std::sync::Arc<Piece>>>>;

/// Rendered table rows and grouped items by what they depend on. A row
/// shows one content page and nothing of any other; a table looks up its
/// shape once, then each row by page. An item of a grouped list shows one
/// requirement and its measures.
#[derive(Debug, Default)]
pub struct RowCache {
    tables: HashMap<RowShape, ShapeRows>,
    /// Per language, requirement and fallback: the measure lists it was
    /// rendered with (a conclusion's page shows only those that apply) and
    /// the HTML of each, the most recent last.
    items: HashMap<(String, usize, bool), Vec<ItemVariant>>,
    /// Per content page: whether it carries AI-Act terms, and its entry in
    /// the data pages are narrowed with.
    applicability: kader_search::hash::FxHashMap<usize, (bool, std::sync::Arc<str>)>,
    /// Per language: the overview collection's pages with their measures,
    /// as "Vereisten voor jou" lists them (see `decision_aid::Grouping`).
    grouping: HashMap<String, std::sync::Arc<decision_aid::Grouping>>,
}

/// A grouped item's measures (page, fallback) and its HTML.
type ItemVariant = (Vec<(usize, bool)>, std::sync::Arc<Piece>);

/// What a grouped item shows: the requirement in a language (or standing
/// in for it) and its measures.
pub(super) struct ItemKey {
    pub lang: String,
    pub page: usize,
    pub fallback: bool,
    pub measures: Vec<(usize, bool)>,
}

/// How many measure lists of one requirement are kept: one for "Vereisten
/// voor jou" and some for the conclusions' pages.
const ITEM_VARIANTS: usize = 16;

impl RowCache {
    /// Forgets the rows and items that show one of the content pages
    /// `changed`, and, when `references` changed too, which measures serve
    /// which requirement.
    pub fn forget(&mut self, changed: &std::collections::BTreeSet<usize>, references: bool) {
        if references {
            self.grouping.clear();
        }
        for rows in self.tables.values() {
            if let Ok(mut rows) = rows.lock() {
                rows.retain(|k, _| !changed.contains(&k.0));
            }
        }
        self.items.retain(|k, variants| {
            variants.retain(|(measures, _)| !measures.iter().any(|m| changed.contains(&m.0)));
            !changed.contains(&k.1) && !variants.is_empty()
        });
        self.applicability.retain(|c, _| !changed.contains(c));
    }

    fn item(&self, key: &ItemKey) -> Option<std::sync::Arc<Piece>> {
        let variants = self
            .items
            .get(&(key.lang.clone(), key.page, key.fallback))?;
        variants
            .iter()
            .find(|(m, _)| *m == key.measures)
            .map(|(_, html)| html.clone())
    }

    fn keep_item(&mut self, key: ItemKey, html: std::sync::Arc<Piece>) {
        let variants = self
            .items
            .entry((key.lang, key.page, key.fallback))
            .or_default();
        if variants.len() == ITEM_VARIANTS {
            variants.remove(0);
        }
        variants.push((key.measures, html));
    }
}

impl<'a> ContextBuilder<'a> {
    /// The rows rendered so far, for the next build.
    pub fn into_rows(self) -> RowCache {
        self.rows.into_inner().unwrap_or_default()
    }

    /// A builder that starts from rows rendered earlier (with the same
    /// templates, configuration and URLs).
    pub fn new(
        idx: &'a SiteIndex,
        directives: &'a Directives,
        templates: &'a Templates,
        rows: RowCache,
        links: &'a Links,
    ) -> Self {
        let config = &idx.site.config;
        ContextBuilder {
            idx,
            directives,
            templates,
            rows: std::sync::Mutex::new(rows),
            links,
            furniture_html: furniture::Rendered::default(),
            partial_bases: config
                .language_codes()
                .map(|lang| {
                    let strings = idx.site.theme.strings(lang);
                    let t: serde_json::Map<String, serde_json::Value> = PARTIAL_STRINGS
                        .iter()
                        .map(|k| (k.to_string(), serde_json::Value::String(strings.get(k))))
                        .collect();
                    let mut t = t;
                    // The export menu's texts, as the table `t.export`.
                    if let Some(e) = strings.as_json().get("export") {
                        t.insert("export".into(), e.clone());
                    }
                    let mut c = tera::Context::new();
                    c.insert("t", &t);
                    (lang.to_string(), c)
                })
                .collect(),
            ui_strings: config
                .language_codes()
                .map(|lang| {
                    let t = idx.site.theme.strings(lang).as_json();
                    (lang.to_string(), tera::Value::from_serializable(t))
                })
                .collect(),
        }
    }

    /// A fresh template context holding the language's UI strings as `t`.
    fn base(&self, lang: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        let t = self.ui_strings.get(lang).cloned();
        ctx.insert_value(
            "t",
            t.unwrap_or_else(|| tera::Value::from_serializable(self.strings(lang))),
        );
        ctx
    }

    /// A fresh context for a partial: only the strings partials use.
    fn partial_base(&self, lang: &str) -> tera::Context {
        self.partial_bases.get(lang).cloned().unwrap_or_default()
    }

    fn strings(&self, lang: &str) -> &serde_json::Value {
        self.idx.site.theme.strings(lang).as_json()
    }

    fn abs(&self, path: &str) -> String {
        format!("{}{}", self.idx.site.config.base_url, encode_url_path(path))
    }

    fn rel(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.idx.site.config.base_path,
            encode_url_path(path)
        )
    }

    fn term_href(&self, lang: &str, tax: &str, term: &str) -> String {
        let config = &self.idx.site.config;
        let mut path = config.lang_dir(lang);
        path.push_str(config.taxonomy_path(tax));
        path.push('/');
        path.push_str(term);
        path.push('/');
        self.rel(&path)
    }

    fn site_ctx(&self, lang: &str, current_path: &str, languages: Vec<LangLink>) -> SiteCtx<'a> {
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        let dir = config.lang_dir(lang);
        let mut menu: Vec<MenuItem> = Vec::new();
        if config.menu.is_empty() {
            for c in config.collections.values() {
                menu.push(self.menu_item(
                    c.label.get(lang, dl),
                    &format!("{dir}{}/", c.dir.trim_matches('/')),
                    current_path,
                ));
            }
            for (name, t) in &config.taxonomies {
                if !t.ai_act {
                    menu.push(self.menu_item(
                        t.label.get(lang, dl),
                        &format!("{dir}{}/", config.taxonomy_path(name)),
                        current_path,
                    ));
                }
            }
        } else {
            let targets = self.idx.menu.get(lang).cloned().unwrap_or_default();
            for (m, target) in config.menu.iter().zip(targets) {
                if let Some(o) = target {
                    let path = self.idx.pages[o].path.clone();
                    menu.push(self.menu_item(m.label.get(lang, dl), &path, current_path));
                }
            }
        }
        SiteCtx {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            lang: self.lang_static(lang),
            home: self.rel(&dir),
            languages,
            menu,
            // The site's own stylesheets come after kader's: the palette,
            // then extra_css (those that exist).
            css: [self.rel("kader.css"), self.rel("kader-search.css")]
                .into_iter()
                .chain(
                    (!config.theme.palette.is_empty())
                        .then(|| self.rel(crate::theme::look::PALETTE_CSS)),
                )
                .chain(
                    self.idx
                        .site
                        .extras
                        .stylesheets
                        .iter()
                        .map(|(c, _)| self.rel(c)),
                )
                .collect(),
            js: [self.rel("kader.js"), self.rel("kader-search.js")]
                .into_iter()
                .chain(
                    config
                        .extra_js
                        .iter()
                        .map(|c| self.rel(c.trim_start_matches('/'))),
                )
                .collect(),
            export_json: self.rel(super::exports::JSON_PATH),
            export_csv: self.rel(super::exports::CSV_PATH),
            search: SearchCtx {
                index: self.rel(&format!("search/{lang}/")),
                wasm: self.rel("kader-search.wasm"),
            },
        }
    }

    fn lang_static(&self, lang: &str) -> &'a str {
        self.idx
            .site
            .config
            .languages
            .get_key_value(lang)
            .map(|(k, _)| k.as_str())
            .unwrap_or("")
    }

    fn lang_of(&self, path: &str) -> &str {
        let config = &self.idx.site.config;
        config
            .languages
            .iter()
            .find(|(_, l)| !l.prefix.is_empty() && path.starts_with(&format!("{}/", l.prefix)))
            .map(|(k, _)| k.as_str())
            .unwrap_or(&config.default_language)
    }

    fn menu_item(&self, label: &str, path: &str, current: &str) -> MenuItem {
        MenuItem {
            label: label.to_string(),
            href: self.rel(path),
            path: path.to_string(),
            active: !path.is_empty()
                && path != self.idx.site.config.lang_dir(self.lang_of(current))
                && current.starts_with(path),
        }
    }

    /// Language switcher entries and hreflang alternates of a page.
    fn languages(&self, page: &OutPage) -> (Vec<LangLink>, Vec<Alternate>) {
        let config = &self.idx.site.config;
        let mut links = Vec::new();
        let mut alternates = Vec::new();
        let rest = page
            .path
            .strip_prefix(&config.lang_dir(&page.lang))
            .unwrap_or(&page.path);
        for (code, l) in &config.languages {
            let counterpart = if *code == page.lang {
                Some(page.path.clone())
            } else {
                match page.content {
                    Some(c) => {
                        let g = self.idx.group_of[c];
                        self.idx.groups[g]
                            .get(code)
                            .and_then(|&o| self.idx.out_of_content[o])
                            .map(|o| self.idx.pages[o].path.clone())
                            .or_else(|| {
                                // A content page in a generated role has a generated counterpart.
                                (page.kind != PageKind::Content)
                                    .then(|| format!("{}{rest}", config.lang_dir(code)))
                                    .filter(|p| self.idx.by_path.contains_key(p))
                            })
                    }
                    None => Some(format!("{}{rest}", config.lang_dir(code)))
                        .filter(|p| self.idx.by_path.contains_key(p)),
                }
            };
            if let Some(p) = &counterpart {
                alternates.push(Alternate {
                    lang: code.clone(),
                    href: self.abs(p),
                });
            }
            links.push(LangLink {
                code: code.clone(),
                name: l.name.clone(),
                href: self.rel(&counterpart.clone().unwrap_or_else(|| config.lang_dir(code))),
                current: *code == page.lang,
                translated: counterpart.is_some(),
            });
        }
        (links, alternates)
    }

    fn breadcrumbs(&self, page: &OutPage) -> Vec<Crumb> {
        let config = &self.idx.site.config;
        let dir = config.lang_dir(&page.lang);
        let mut crumbs = vec![Crumb {
            label: self.idx.site.theme.strings(&page.lang).get("home"),
            href: self.rel(&dir),
        }];
        let rest = page.path.strip_prefix(&dir).unwrap_or(&page.path);
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let mut acc = dir.clone();
        for seg in segments.iter().take(segments.len().saturating_sub(1)) {
            acc.push_str(seg);
            acc.push('/');
            if let Some(&o) = self.idx.by_path.get(&acc) {
                crumbs.push(Crumb {
                    label: self.idx.pages[o].title.clone(),
                    href: self.rel(&acc),
                });
            }
        }
        crumbs
    }

    fn chips(&self, p: &ParsedPage, lang: &str, ai_act: Option<bool>) -> Vec<TaxGroup> {
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        config
            .taxonomies
            .iter()
            .filter(|(_, t)| ai_act.is_none_or(|a| a == t.ai_act))
            .filter_map(|(key, t)| {
                // AI-Act labels show only what narrows (furniture.rs).
                let (slugs, all) = furniture::meaningful_terms(t, p.front.term_slugs(key));
                let terms: Vec<Chip> = slugs
                    .into_iter()
                    .filter_map(|slug| t.term(slug))
                    .map(|term| Chip {
                        label: term.label.get(lang, dl).to_string(),
                        href: self.term_href(lang, key, &term.slug),
                    })
                    .collect();
                let label = t.label.get(lang, dl).to_string();
                let strings = self.idx.site.theme.strings(lang);
                (!terms.is_empty() || all).then(|| TaxGroup {
                    key: key.clone(),
                    all: all.then(|| strings.get("furniture.applies_all")),
                    all_title: all.then(|| {
                        strings
                            .get("furniture.applies_all_title")
                            .replace("{taxonomy}", &label)
                    }),
                    label,
                    ai_act: t.ai_act,
                    terms,
                })
            })
            .collect()
    }

    /// One rendered table row, from the cache or rendered now.
    fn row_html(
        &self,
        rows: &ShapeRows,
        q: &ListQuery,
        c: usize,
        fallback: bool,
        lang: &str,
        diags: &mut Diagnostics,
    ) -> std::sync::Arc<Piece> {
        if let Some(hit) = rows
            .lock()
            .ok()
            .and_then(|m| m.get(&(c, fallback)).cloned())
        {
            return hit;
        }
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        let p = &self.idx.site.pages[c];
        let out = self.idx.out_of_content[c].unwrap_or(0);
        let mut filter = Vec::new();
        let cells: Vec<Vec<Chip>> = q
            .columns
            .iter()
            .map(|tax| {
                let t = &config.taxonomies[tax];
                p.front
                    .term_slugs(tax)
                    .filter_map(|s| t.term(s))
                    .map(|term| {
                        filter.push(format!("{tax}:{}", term.slug));
                        Chip {
                            label: term.label.get(lang, dl).to_string(),
                            href: self.term_href(lang, tax, &term.slug),
                        }
                    })
                    .collect()
            })
            .collect();
        let row = Row {
            title: p.title(),
            href: self.idx.href(out),
            id: p.front.id.as_ref().map(|i| short_id(&i.value).to_string()),
            summary: p.list_summary().cloned(),
            fallback,
            lang: p.lang.clone(),
            cells,
            filter: filter.join(" "),
            key: c.to_string(),
        };
        let strings = self.idx.site.theme.strings(lang);
        let mut ctx = tera::Context::new();
        ctx.insert("r", &row);
        ctx.insert("show_id", &q.show_id);
        ctx.insert("show_summary", &q.show_summary);
        ctx.insert("fallback_badge", &strings.get("fallback_badge"));
        ctx.insert("fallback_title", &strings.get("fallback_title"));
        // Each cell names its column, for the cards tables become on phones.
        let labels: Vec<&str> = q
            .columns
            .iter()
            .map(|tax| config.taxonomies[tax].label.get(lang, dl))
            .collect();
        ctx.insert("labels", &labels);
        ctx.insert("id_label", &strings.get("id"));
        // Kept only when it rendered: a failure is reported by every build.
        let Some(html) = self.templates.render("partials/list_row.html", &ctx, diags) else {
            return std::sync::Arc::new(self.piece(""));
        };
        let html = std::sync::Arc::new(self.piece(html.trim_end()));
        if let Ok(mut m) = rows.lock() {
            m.insert((c, fallback), html.clone());
        }
        html
    }

    /// The cached rows of tables of `q`'s shape in `lang`.
    fn shape_rows(&self, q: &ListQuery, lang: &str) -> ShapeRows {
        let shape: RowShape = (
            lang.to_string(),
            q.columns.clone(),
            q.show_id,
            q.show_summary,
        );
        let Ok(mut cache) = self.rows.lock() else {
            return ShapeRows::default();
        };
        cache.tables.entry(shape).or_default().clone()
    }

    fn list_ctx(
        &self,
        q: &ListQuery,
        lang: &str,
        dom_id: String,
        filterable: bool,
        splices: &Splices,
        diags: &mut Diagnostics,
    ) -> ListCtx {
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        let coll = &config.collections[&q.collection];
        let columns: Vec<Column> = q
            .columns
            .iter()
            .filter_map(|k| config.taxonomies.get(k).map(|t| (k, t)))
            .map(|(k, t)| Column {
                key: k.clone(),
                label: t.label.get(lang, dl).to_string(),
            })
            .collect();
        let shape_rows = self.shape_rows(q, lang);
        let rows: Vec<std::sync::Arc<Piece>> = q
            .rows
            .iter()
            .map(|&(c, fallback)| self.row_html(&shape_rows, q, c, fallback, lang, diags))
            .collect();
        let rows_html = splices.marker(rows);
        let filters = if filterable {
            q.columns
                .iter()
                .filter_map(|k| config.taxonomies.get(k).map(|t| (k, t)))
                .map(|(k, t)| FilterCtx {
                    key: k.clone(),
                    label: t.label.get(lang, dl).to_string(),
                    options: t
                        .terms
                        .iter()
                        .map(|term| Chip {
                            label: term.label.get(lang, dl).to_string(),
                            href: term.slug.clone(),
                        })
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let profile = filterable.then(|| self.list_profile(q, lang)).flatten();
        let export = filterable.then(|| self.export_ctx(lang, Some(&q.collection)));
        ListCtx {
            dom_id,
            collection: q.collection.clone(),
            label: coll.label.get(lang, dl).to_string(),
            columns,
            rows_html,
            row_count: q.rows.len(),
            show_search: q.show_search,
            show_id: q.show_id,
            show_summary: q.show_summary,
            filters,
            profile,
            export,
        }
    }

    /// The "Exporteer" menu of a list of `collection`, or (`None`) of the
    /// checklist of "Vereisten voor jou".
    fn export_ctx(&self, lang: &str, collection: Option<&str>) -> ExportCtx {
        use super::spreadsheets as s;
        let dir = self.idx.site.config.lang_dir(lang);
        let (xlsx, ods) = match collection {
            Some(_) => (format!("{dir}{}", s::XLSX), format!("{dir}{}", s::ODS)),
            None => {
                let c = s::checklist_dir(self.idx, lang).unwrap_or_default();
                (
                    format!("{c}{}", s::CHECKLIST_XLSX),
                    format!("{c}{}", s::CHECKLIST_ODS),
                )
            }
        };
        ExportCtx {
            mode: if collection.is_some() {
                "list"
            } else {
                "checklist"
            },
            sheet: collection.unwrap_or_default().to_string(),
            xlsx: self.rel(&xlsx),
            ods: self.rel(&ods),
            csv: self.rel(super::exports::CSV_PATH),
            data: self.rel(&format!("{dir}{}", s::DATA)),
            script: self.rel("kader-export.js"),
            wasm: self.rel("kader-export.wasm"),
        }
    }

    /// What the browser narrows `pages` with (static/kader-profile.js):
    /// the AI-Act terms' labels, every taxonomy's name and each page's terms
    /// and exceptions, as JSON for a script element. With `only_with_terms`,
    /// `None` when no page carries an AI-Act term.
    pub(super) fn profile_data(
        &self,
        lang: &str,
        pages: &[usize],
        only_with_terms: bool,
    ) -> Option<String> {
        let config = &self.idx.site.config;
        let entries = self.applicability_json(pages);
        if only_with_terms && entries.iter().all(|(terms, _)| !terms) {
            return None;
        }
        let all = script_json(&config.taxonomies.keys().collect::<Vec<_>>());
        let labels = script_json(&crate::index::ai_act::term_labels(config, lang));
        let size = entries.iter().map(|(_, j)| j.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(size + all.len() + labels.len() + 48);
        out.push_str("{\"allTaxonomies\":");
        out.push_str(&all);
        out.push_str(",\"pages\":[");
        for (i, (_, json)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(json);
        }
        out.push_str("],\"taxonomies\":");
        out.push_str(&labels);
        out.push('}');
        Some(out)
    }

    /// Each page's entry of [`Self::profile_data`], from the cache or made
    /// now, and whether it carries AI-Act terms. The cache is locked once
    /// to look up, once to keep what was made.
    fn applicability_json(&self, pages: &[usize]) -> Vec<(bool, std::sync::Arc<str>)> {
        let mut found: Vec<Option<(bool, std::sync::Arc<str>)>> = match self.rows.lock() {
            Ok(rows) => pages
                .iter()
                .map(|c| rows.applicability.get(c).cloned())
                .collect(),
            Err(_) => vec![None; pages.len()],
        };
        let mut made = Vec::new();
        for (&c, entry) in pages.iter().zip(&mut found) {
            if entry.is_none() {
                let page = self.idx.applicability_page(c, c.to_string());
                let new: (bool, std::sync::Arc<str>) =
                    (!page.terms.is_empty(), script_json(&page).into());
                made.push((c, new.clone()));
                *entry = Some(new);
            }
        }
        if !made.is_empty() {
            if let Ok(mut rows) = self.rows.lock() {
                rows.applicability.extend(made);
            }
        }
        found.into_iter().flatten().collect()
    }

    /// The profile filter of a list, when some of its pages carry AI-Act terms.
    fn list_profile(&self, q: &ListQuery, lang: &str) -> Option<ListProfile> {
        let idx = self.idx;
        let config = &idx.site.config;
        let pages: Vec<usize> = q.rows.iter().map(|&(c, _)| c).collect();
        let data_json = self.profile_data(lang, &pages, true)?;
        let profile_path = format!(
            "{}{}/",
            config.lang_dir(lang),
            config.decision_aid.profile_path
        );
        Some(ListProfile {
            data_json,
            wasm_url: self.rel("kader-classify.wasm"),
            script_url: self.rel("kader-profile.js"),
            profile_url: idx
                .by_path
                .contains_key(&profile_path)
                .then(|| self.rel(&profile_path)),
        })
    }

    /// The body HTML of a content page, with links, images and directives filled in.
    fn body(&self, c: usize, lang: &str, splices: &Splices, diags: &mut Diagnostics) -> String {
        let p = &self.idx.site.pages[c];
        let links = &self.idx.links[c];
        let mut html = String::with_capacity(p.source.text.len() * 2);
        let lists = std::cell::Cell::new(0);
        // Images outside links open full size (site.toml `[theme] image_zoom`).
        let zoom = self.idx.site.config.theme.image_zoom;
        let mut in_link = 0usize;
        for f in &p.body.fragments {
            match f {
                Fragment::Html(h) => html.push_str(h),
                Fragment::LinkOpen(n) => {
                    in_link += 1;
                    let (l, r) = (&p.body.links[*n], &links[*n]);
                    if r.definition.is_some() {
                        html.push_str("<span class=\"defterm\">");
                    }
                    html.push_str("<a href=\"");
                    html.push_str(&escape_html(&r.href));
                    html.push('"');
                    let mut classes: Vec<String> = l.attrs.classes.clone();
                    if r.external {
                        classes.push("external".into());
                    }
                    if r.definition.is_some() {
                        classes.push("deflink".into());
                    }
                    if r.broken {
                        classes.push("broken-link".into());
                    }
                    if !classes.is_empty() {
                        html.push_str(&format!(" class=\"{}\"", escape_html(&classes.join(" "))));
                    }
                    if !l.title.is_empty() {
                        html.push_str(&format!(" title=\"{}\"", escape_html(&l.title)));
                    }
                    if let Some(d) = &r.definition {
                        html.push_str(&format!(" aria-describedby=\"{}\"", d.tip_id));
                    }
                    if r.external {
                        html.push_str(" rel=\"noopener\"");
                    }
                    push_attrs(&mut html, l);
                    html.push('>');
                }
                Fragment::LinkClose(n) => {
                    in_link = in_link.saturating_sub(1);
                    html.push_str("</a>");
                    if let Some(d) = &links[*n].definition {
                        html.push_str(&format!(
                            "<span class=\"deftip\" role=\"tooltip\" id=\"{}\">{}</span></span>",
                            d.tip_id,
                            escape_html(&d.text)
                        ));
                    }
                }
                Fragment::Image(n) => {
                    let (l, r) = (&p.body.links[*n], &links[*n]);
                    debug_assert_eq!(l.kind, LinkKind::Image);
                    let zoomed = zoom && in_link == 0 && !r.broken;
                    if zoomed {
                        html.push_str(&format!(
                            "<a class=\"zoom\" href=\"{}\"",
                            escape_html(&r.href)
                        ));
                        if l.text.trim().is_empty() {
                            // The link needs a name when the image has none.
                            let name = self.idx.site.theme.strings(lang).get("furniture.zoom");
                            html.push_str(&format!(" aria-label=\"{}\"", escape_html(&name)));
                        }
                        html.push('>');
                    }
                    html.push_str(&format!(
                        "<img src=\"{}\" alt=\"{}\"",
                        escape_html(&r.href),
                        escape_html(&l.text)
                    ));
                    if !l.title.is_empty() {
                        html.push_str(&format!(" title=\"{}\"", escape_html(&l.title)));
                    }
                    if !l.attrs.classes.is_empty() {
                        html.push_str(&format!(
                            " class=\"{}\"",
                            escape_html(&l.attrs.classes.join(" "))
                        ));
                    }
                    push_attrs(&mut html, l);
                    html.push_str(" loading=\"lazy\">");
                    if zoomed {
                        html.push_str("</a>");
                    }
                }
                Fragment::BlockEnd(b) => {
                    let block = &p.body.blocks[*b];
                    let Some(users) = self.idx.backlinks.get(&(c, block.id.clone())) else {
                        continue;
                    };
                    let links: Vec<Chip> = users
                        .iter()
                        .filter_map(|&u| {
                            let o = self.idx.out_of_content[u]?;
                            Some(Chip {
                                label: self.idx.site.pages[u].title(),
                                href: self.idx.href(o),
                            })
                        })
                        .collect();
                    let mut ctx = self.partial_base(lang);
                    ctx.insert("pages", &links);
                    if let Some(s) = self.templates.render("partials/used_in.html", &ctx, diags) {
                        html.push_str(s.trim_end());
                    }
                }
                Fragment::Directive(n) => {
                    let Some(d) = self.directives.get(c, *n) else {
                        continue;
                    };
                    let mut ctx = if d.needs_all_strings() {
                        self.base(lang)
                    } else {
                        self.partial_base(lang)
                    };
                    let env = DirectiveEnv {
                        builder: self,
                        lang,
                        page: c,
                        lists: &lists,
                        splices,
                    };
                    d.context(&env, &mut ctx, diags);
                    if let Some(s) = self.templates.render(d.template(), &ctx, diags) {
                        html.push_str(&s);
                    }
                }
            }
        }
        html
    }

    /// Renders one output page, with its scan when it was assembled from
    /// the scans of the pieces it shows.
    pub fn page(&self, i: usize, diags: &mut Diagnostics) -> Option<(OutputFile, Option<Scan>)> {
        let idx = self.idx;
        let config = &idx.site.config;
        let dl = config.default_language.as_str();
        let out = &idx.pages[i];
        let lang = out.lang.as_str();
        let content = idx.content(out);
        let (languages, alternates) = self.languages(out);
        let splices = Splices::default();
        let mut ctx = self.base(lang);
        let site = self.site_ctx(lang, &out.path, languages);
        ctx.insert("furniture", &self.furniture(lang, Some(i), &site, diags));
        ctx.insert("site", &site);
        drop(site);

        let body = out
            .content
            .map(|c| self.body(c, lang, &splices, diags))
            .unwrap_or_default();
        let toc = content
            .filter(|p| !p.front.hide.iter().any(|h| h == "toc"))
            .map(|p| {
                p.body
                    .headings
                    .iter()
                    .filter(|h| h.level >= 2 && h.level <= config.markdown.toc_depth)
                    .map(|h| TocItem {
                        level: h.level,
                        id: h.id.clone(),
                        text: h.text.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let collection = content.and_then(|p| p.collection.clone());
        let coll_cfg = collection.as_ref().and_then(|c| config.collections.get(c));
        let kind_name = match &out.kind {
            PageKind::Content => "content",
            PageKind::Overview { .. } => "overview",
            PageKind::TaxonomyIndex { .. } => "taxonomy",
            PageKind::Term { .. } => "term",
            PageKind::Home => "home",
            PageKind::Profile => "profile",
            PageKind::Tree { .. } => "tree",
            PageKind::Conclusion { .. } => "conclusion",
        };
        let page = PageCtx {
            kind: kind_name,
            title: out.title.clone(),
            heading: content
                .map(|p| p.heading())
                .unwrap_or_else(|| out.title.clone()),
            href: self.rel(&out.path),
            canonical: self.abs(&out.path),
            summary: content.and_then(|p| p.front.summary.clone()),
            lead: content
                .and_then(|p| p.front.summary.clone())
                .filter(|_| !opens_with_paragraph(&body)),
            fields: content.map(|p| p.front.strings.clone()).unwrap_or_default(),
            id: content.and_then(|p| p.front.id.as_ref().map(|i| i.value.clone())),
            short_id: content
                .and_then(|p| p.front.id.as_ref().map(|i| short_id(&i.value).to_string())),
            collection: collection.clone(),
            collection_label: coll_cfg.map(|c| c.label.get(lang, dl).to_string()),
            singular: coll_cfg
                .and_then(|c| c.singular.as_ref())
                .map(|s| s.get(lang, dl).to_string()),
            body,
            toc,
            taxonomies: content
                .map(|p| self.chips(p, lang, None))
                .unwrap_or_default(),
            breadcrumbs: self.breadcrumbs(out),
            alternates,
            source_path: content.map(|p| p.source.path.clone()),
            has_mermaid: content.is_some_and(|p| p.body.has_mermaid),
            styles_css: content
                .filter(|p| !p.body.styles.is_empty())
                .map(|_| self.rel(crate::parse::inline_style::STYLESHEET)),
            exceptions: content
                .and_then(|p| p.front.lists.get(&config.decision_aid.exceptions))
                .into_iter()
                .flatten()
                .map(|e| crate::index::ai_act::describe_exception(config, &e.value, lang))
                .collect(),
        };
        ctx.insert("page", &page);
        // The page around the body takes about this much (lists are spliced in after).
        let size = page.body.len() + 16 * 1024;
        // The context holds its own copy; the body can be large.
        drop(page);

        let has_own_lists = out
            .content
            .is_some_and(|c| self.directives.of(c).any(|d| d.is_list()));
        let template = match &out.kind {
            PageKind::Home => {
                ctx.insert("taxonomies", &self.taxonomy_tiles(lang));
                ctx.insert("collections", &self.collection_tiles(lang));
                "home.html".to_string()
            }
            PageKind::Overview { .. } | PageKind::Term { .. } if has_own_lists => {
                // The page lists what it wants itself (as MkDocs sites do).
                "page.html".to_string()
            }
            PageKind::Overview { collection } => {
                let q = ListQuery::new(
                    config,
                    collection,
                    idx.collection_pages(collection, lang).to_vec(),
                );
                let list = self.list_ctx(&q, lang, "overview".into(), true, &splices, diags);
                ctx.insert("list", &list);
                "overview.html".to_string()
            }
            PageKind::TaxonomyIndex { taxonomy } => {
                ctx.insert("taxonomy", &self.taxonomy_ctx(taxonomy, lang));
                "taxonomy.html".to_string()
            }
            PageKind::Profile => {
                ctx.insert("profile", &self.profile_ctx(lang, &splices, diags));
                ctx.insert("export", &self.export_ctx(lang, None));
                "profile.html".to_string()
            }
            PageKind::Tree { tree } => {
                ctx.insert("widget", &self.tree_ctx(lang, tree)?);
                "tree.html".to_string()
            }
            PageKind::Conclusion { tree, conclusion } => {
                ctx.insert(
                    "conclusion",
                    &self.conclusion_ctx(lang, tree, conclusion, &splices, diags)?,
                );
                "conclusion.html".to_string()
            }
            PageKind::Term { taxonomy, term } => {
                let t = &config.taxonomies[taxonomy];
                let term_cfg = t.term(term);
                ctx.insert("taxonomy", &self.taxonomy_ctx(taxonomy, lang));
                ctx.insert(
                    "term",
                    &TermCount {
                        slug: term.clone(),
                        label: term_cfg
                            .map(|c| c.label.get(lang, dl).to_string())
                            .unwrap_or_default(),
                        href: self.rel(&out.path),
                        count: 0,
                        description: term_cfg
                            .and_then(|c| c.description.as_ref())
                            .map(|d| d.get(lang, dl).to_string()),
                    },
                );
                let found = idx.term_pages.get(idx, lang, taxonomy, term);
                let lists: Vec<ListCtx> = config
                    .collections
                    .keys()
                    .enumerate()
                    .filter_map(|(ci, name)| {
                        let rows: Vec<(usize, bool)> = found
                            .iter()
                            .filter(|tp| tp.collection == ci)
                            .map(|tp| (tp.page, tp.fallback))
                            .collect();
                        (!rows.is_empty()).then(|| {
                            // All columns (also the term's own), so rows match the
                            // overview's and are rendered once.
                            let q = ListQuery {
                                show_search: false,
                                ..ListQuery::new(config, name, rows)
                            };
                            let id = format!("term-{name}");
                            self.list_ctx(&q, lang, id, false, &splices, diags)
                        })
                    })
                    .collect();
                ctx.insert("lists", &lists);
                "term.html".to_string()
            }
            PageKind::Content => {
                let p = content?;
                p.front
                    .template
                    .clone()
                    .or_else(|| coll_cfg.map(|c| c.template.clone()))
                    .unwrap_or_else(|| "page.html".to_string())
            }
        };
        let template = if self.templates.has(&template) {
            template
        } else {
            if let Some(p) = content {
                let at = p.front.span.start.saturating_sub(4);
                diags.push(
                    Diagnostic::at(
                        Code::Template,
                        &p.source,
                        at,
                        at + 3,
                        format!("template `{template}` does not exist"),
                    )
                    .with_hint("use one of the templates in templates/, e.g. page.html"),
                );
            }
            return None;
        };
        let html = self.templates.render_sized(&template, &ctx, size, diags)?;
        drop(ctx);
        let path = file_of(&out.path);
        let (html, scan) = splices.splice(html, &path, &config.base_path, self.links);
        Some((
            OutputFile {
                path,
                bytes: html.into_bytes().into(),
            },
            scan,
        ))
    }

    /// `html` as a piece of the pages that show it.
    fn piece(&self, html: &str) -> Piece {
        Piece::new(html, &self.idx.site.config.base_path, self.links)
    }

    fn taxonomy_ctx(&self, taxonomy: &str, lang: &str) -> TaxonomyCtx {
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        let t = &config.taxonomies[taxonomy];
        TaxonomyCtx {
            key: taxonomy.to_string(),
            label: t.label.get(lang, dl).to_string(),
            href: self.rel(&format!(
                "{}{}/",
                config.lang_dir(lang),
                config.taxonomy_path(taxonomy)
            )),
            terms: t
                .terms
                .iter()
                .map(|term| TermCount {
                    slug: term.slug.clone(),
                    label: term.label.get(lang, dl).to_string(),
                    href: self.term_href(lang, taxonomy, &term.slug),
                    count: self
                        .idx
                        .term_pages
                        .get(self.idx, lang, taxonomy, &term.slug)
                        .len(),
                    description: term
                        .description
                        .as_ref()
                        .map(|d| d.get(lang, dl).to_string()),
                })
                .collect(),
        }
    }

    fn taxonomy_tiles(&self, lang: &str) -> Vec<TaxonomyCtx> {
        self.idx
            .site
            .config
            .home_taxonomies
            .iter()
            .map(|k| self.taxonomy_ctx(k, lang))
            .collect()
    }

    fn collection_tiles(&self, lang: &str) -> Vec<CollectionCtx> {
        let config = &self.idx.site.config;
        let dl = config.default_language.as_str();
        config
            .collections
            .iter()
            .map(|(k, c)| CollectionCtx {
                key: k.clone(),
                label: c.label.get(lang, dl).to_string(),
                href: self.rel(&format!(
                    "{}{}/",
                    config.lang_dir(lang),
                    c.dir.trim_matches('/')
                )),
                count: self.idx.collection_pages(k, lang).len(),
            })
            .collect()
    }

    /// `404.html` of a language.
    pub fn not_found(&self, lang: &str, diags: &mut Diagnostics) -> Option<OutputFile> {
        let config = &self.idx.site.config;
        let dir = config.lang_dir(lang);
        let languages = config
            .languages
            .iter()
            .map(|(code, l)| LangLink {
                code: code.clone(),
                name: l.name.clone(),
                href: self.rel(&config.lang_dir(code)),
                current: code == lang,
                translated: true,
            })
            .collect();
        let mut ctx = self.base(lang);
        let site = self.site_ctx(lang, "404", languages);
        ctx.insert("furniture", &self.furniture(lang, None, &site, diags));
        ctx.insert("site", &site);
        let title = self.idx.site.theme.strings(lang).get("not_found_title");
        ctx.insert(
            "page",
            &serde_json::json!({ "kind": "404", "title": title, "alternates": [], "canonical": "", "breadcrumbs": [] }),
        );
        let html = self.templates.render("404.html", &ctx, diags)?;
        Some(OutputFile {
            path: format!("{dir}404.html"),
            bytes: html.into_bytes().into(),
        })
    }

    pub fn sitemap(&self, diags: &mut Diagnostics) -> Option<OutputFile> {
        let urls: Vec<String> = self.idx.pages.iter().map(|p| self.abs(&p.path)).collect();
        let mut ctx = tera::Context::new();
        ctx.insert("urls", &urls);
        let xml = self.templates.render("sitemap.xml", &ctx, diags)?;
        Some(OutputFile {
            path: super::SITEMAP.into(),
            bytes: xml.into_bytes().into(),
        })
    }
}

/// Whether a page's body starts with a paragraph (its introduction).
fn opens_with_paragraph(body: &str) -> bool {
    let b = body.trim_start();
    b.starts_with("<p>") || b.starts_with("<p ")
}

fn push_attrs(html: &mut String, l: &crate::parse::markdown::Link) {
    for (k, v) in &l.attrs.pairs {
        if crate::parse::markdown::is_safe_attribute(k) {
            if v.is_empty() {
                html.push_str(&format!(" {}", escape_html(k)));
            } else {
                html.push_str(&format!(" {}=\"{}\"", escape_html(k), escape_html(v)));
            }
        }
    }
    if let Some(id) = &l.attrs.id {
        html.push_str(&format!(" id=\"{}\"", escape_html(id)));
    }
}

/// What a directive's context sees of the page being rendered.
struct DirectiveEnv<'b, 'a> {
    builder: &'b ContextBuilder<'a>,
    lang: &'b str,
    page: usize,
    /// Tables drawn on the page so far (each gets its own element id).
    lists: &'b std::cell::Cell<usize>,
    splices: &'b Splices,
}

impl crate::directives::Env for DirectiveEnv<'_, '_> {
    fn index(&self) -> &SiteIndex {
        self.builder.idx
    }

    fn lang(&self) -> &str {
        self.lang
    }

    fn page(&self) -> usize {
        self.page
    }

    fn tags(&self, ai_act: bool) -> tera::Value {
        let p = &self.builder.idx.site.pages[self.page];
        let chips = self.builder.chips(p, self.lang, Some(ai_act));
        tera::Value::try_from_serializable(&chips).unwrap_or_else(|_| tera::Value::none())
    }

    fn list(&self, q: &ListQuery, diags: &mut Diagnostics) -> tera::Value {
        self.lists.set(self.lists.get() + 1);
        let dom_id = format!("list-{}", self.lists.get());
        let ctx = self
            .builder
            .list_ctx(q, self.lang, dom_id, q.filters, self.splices, diags);
        tera::Value::try_from_serializable(&ctx).unwrap_or_else(|_| tera::Value::none())
    }

    fn url(&self, path: &str) -> String {
        self.builder.rel(path)
    }
}
