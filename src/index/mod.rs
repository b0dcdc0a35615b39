//! Stage 3, index: gives every page its URL, pairs translations, gathers
//! collections and taxonomy terms, adds the generated pages (overviews,
//! taxonomy and term pages), and resolves every reference (links, anchors,
//! block ids, front-matter references, directives) against that index.

pub mod ai_act;
mod links;
pub mod nav;
mod term_pages;
mod translations;
mod urls;

pub use links::{link_target, relative, Definition, ResolvedLink};
pub use term_pages::TermPages;
pub use urls::{conclusion_path, segment, tree_path, url_of};

use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::parse::{ParsedPage, ParsedSite};
use indexmap::IndexMap;
use kader_search::hash::FxHashMap;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What an output page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// A Markdown page.
    Content,
    /// The table of all pages of a collection.
    Overview { collection: String },
    /// The list of terms of a taxonomy.
    TaxonomyIndex { taxonomy: String },
    /// All pages carrying one term.
    Term { taxonomy: String, term: String },
    /// The language's home page.
    Home,
    /// "Vereisten voor jou": the overview collection narrowed by an AI-Act
    /// profile, with the form to choose one.
    Profile,
    /// A decision aid with its tree readable as linked questions.
    Tree { tree: String },
    /// One conclusion of a decision tree, with what applies after it.
    Conclusion { tree: String, conclusion: String },
}

/// One page of the output.
#[derive(Debug, Clone)]
pub struct OutPage {
    pub kind: PageKind,
    pub lang: String,
    /// URL path below the base path, without leading slash, ending in `/`
    /// (empty for the default language's home).
    pub path: String,
    /// The Markdown page behind it, if any (index into `ParsedSite::pages`).
    pub content: Option<usize>,
    pub title: String,
}

/// The indexed site: everything later stages need to render and check.
#[derive(Debug)]
pub struct SiteIndex {
    pub site: ParsedSite,
    pub pages: Vec<OutPage>,
    /// Content page index → its output page.
    pub out_of_content: Vec<Option<usize>>,
    /// Content page index → translation group.
    pub group_of: Vec<usize>,
    /// Translation group → content pages (by language).
    pub groups: Vec<IndexMap<String, usize>>,
    /// Content page index → resolved links, parallel to `body.links`.
    pub links: Vec<Vec<ResolvedLink>>,
    /// Content page index → reference field → referenced translation groups.
    pub refs: Vec<IndexMap<String, Vec<usize>>>,
    /// (content page, block id) → content pages linking to that block.
    pub backlinks: HashMap<(usize, String), Vec<usize>>,
    /// Output page index by URL path.
    pub by_path: HashMap<String, usize>,
    /// Content-relative paths of published assets.
    pub assets: HashSet<String>,
    /// Groups lacking a translation per language (for the check summary).
    pub untranslated: Vec<(usize, String)>,
    /// Content path (`x.en.md`) → content page.
    pub by_content_path: HashMap<String, usize>,
    /// Translation key (`x.md`) → translation group.
    pub group_by_key: HashMap<String, usize>,
    pub ref_lookup: RefLookup,
    /// (collection, language) → its pages, computed once.
    pub collection_rows: HashMap<(String, String), Vec<(usize, bool)>>,
    /// Per reference field and translation group: the content pages naming it.
    pub referenced_by: ReferencedBy,
    /// Language → the output page of each `[[menu]]` entry (None if unresolved).
    pub menu: IndexMap<String, Vec<Option<usize>>>,
    /// The pages carrying each term, per language.
    pub term_pages: TermPages,
    /// Side menus, previous/next and the footer.
    pub nav: nav::Nav,
    /// Content page index → the content pages whose headings or blocks its
    /// links name.
    link_reads: Vec<Vec<usize>>,
    /// The problems the index found, kept for [`update`].
    problems: Problems,
}

/// The problems an index found, by where they come from.
#[derive(Debug, Default)]
struct Problems {
    /// Of the site's shape: URLs, translations, ids, the menu and the
    /// navigation. They follow from the pages' places in the site, terms
    /// and ids, which an [`update`] keeps.
    shape: Diagnostics,
    /// Per content page: its references, its links and its exception
    /// entries.
    refs: Vec<Diagnostics>,
    links: Vec<Diagnostics>,
    exceptions: Vec<Diagnostics>,
}

impl Problems {
    /// Adds them all to `diags`: the shape's, then each kind by page.
    fn report(&self, diags: &mut Diagnostics) {
        diags.extend(self.shape.clone());
        for per_page in [&self.refs, &self.links, &self.exceptions] {
            for d in per_page.iter().filter(|d| !d.is_empty()) {
                diags.extend(d.clone());
            }
        }
    }
}

impl SiteIndex {
    pub fn content(&self, out: &OutPage) -> Option<&ParsedPage> {
        out.content.map(|c| &self.site.pages[c])
    }

    /// The absolute URL path (with base path) of an output page.
    pub fn href(&self, out: usize) -> String {
        let p = &self.pages[out];
        format!(
            "{}{}",
            self.site.config.base_path,
            crate::parse::escape::encode_url_path(&p.path)
        )
    }

    /// The content page of `group` in `lang`, else the default language's
    /// (second value: true when that is a fallback).
    pub fn in_lang(&self, group: usize, lang: &str) -> Option<(usize, bool)> {
        let g = &self.groups[group];
        // A group holds one page per language, a handful: comparing the
        // codes is quicker than hashing one (lists ask for every page).
        let find = |l: &str| g.iter().find(|(k, _)| k.as_str() == l).map(|(_, &p)| p);
        if let Some(p) = find(lang) {
            return Some((p, false));
        }
        find(&self.site.config.default_language).map(|p| (p, true))
    }

    /// Published content pages of a collection in `lang`, falling back to the
    /// default language where a translation is missing; sorted by slug.
    pub fn collection_pages(&self, collection: &str, lang: &str) -> &[(usize, bool)] {
        self.collection_rows
            .get(&(collection.to_string(), lang.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn compute_collection_pages(&self, collection: &str, lang: &str) -> Vec<(usize, bool)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, p) in self.site.pages.iter().enumerate() {
            if p.collection.as_deref() != Some(collection) || self.out_of_content[i].is_none() {
                continue;
            }
            let g = self.group_of[i];
            if !seen.insert(g) {
                continue;
            }
            if let Some((c, fallback)) = self.in_lang(g, lang) {
                if self.out_of_content[c].is_some() && !is_index_page(&self.site.pages[c]) {
                    out.push((c, fallback));
                }
            }
        }
        out.sort_by(|a, b| {
            let (pa, pb) = (&self.site.pages[a.0], &self.site.pages[b.0]);
            pa.slug().cmp(pb.slug())
        });
        out
    }
}

/// `index.md` of a folder is the folder's page, not a member of a collection.
pub fn is_index_page(p: &ParsedPage) -> bool {
    p.translation_key.ends_with("/index.md") || p.translation_key == "index.md"
}

/// Builds the index and resolves all references.
pub fn index(site: ParsedSite, diags: &mut Diagnostics) -> SiteIndex {
    let mut shape = Diagnostics::new();
    let (pages, out_of_content, by_path) = urls::assign(&site, &mut shape);
    let (group_of, groups, untranslated) = translations::pair(&site, &out_of_content, &mut shape);
    // Independent lookup tables, built side by side.
    let ((assets, by_content_path), (group_by_key, ref_lookup)) = rayon::join(
        || {
            let assets: HashSet<String> = site.assets.iter().map(|a| a.rel.clone()).collect();
            let by_content_path: HashMap<String, usize> = site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.content_path.clone(), i))
                .collect();
            (assets, by_content_path)
        },
        || {
            let group_by_key: HashMap<String, usize> = site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.translation_key.clone(), group_of[i]))
                .collect();
            (group_by_key, RefLookup::build(&site, &group_of))
        },
    );
    let mut idx = SiteIndex {
        collection_rows: HashMap::new(),
        referenced_by: ReferencedBy::default(),
        menu: IndexMap::new(),
        ref_lookup,
        by_content_path,
        group_by_key,
        links: Vec::new(),
        term_pages: TermPages::default(),
        nav: nav::Nav::default(),
        refs: Vec::new(),
        backlinks: HashMap::new(),
        link_reads: Vec::new(),
        problems: Problems::default(),
        site,
        pages,
        out_of_content,
        group_of,
        groups,
        by_path,
        assets,
        untranslated,
    };
    check_ids(&idx, &mut shape);
    let (refs, ref_problems): (Vec<_>, Vec<_>) = (0..idx.site.pages.len())
        .into_par_iter()
        .map(|c| resolve_refs(&idx, c))
        .unzip();
    idx.refs = refs;
    let mut rows = HashMap::new();
    for coll in idx.site.config.collections.keys() {
        for lang in idx.site.config.language_codes() {
            rows.insert(
                (coll.clone(), lang.to_string()),
                idx.compute_collection_pages(coll, lang),
            );
        }
    }
    idx.collection_rows = rows;
    let mut referenced_by = ReferencedBy::default();
    for (c, fields) in idx.refs.iter().enumerate() {
        for (field, groups) in fields {
            let by_group = slot(&mut referenced_by.0, field);
            for &g in groups {
                by_group.entry(g).or_default().push(c);
            }
        }
    }
    idx.referenced_by = referenced_by;
    let links = links::resolve_all(&idx);
    idx.links = links.links;
    idx.backlinks = links.backlinks;
    idx.link_reads = links.reads;
    idx.term_pages = TermPages::build(&idx);
    let exceptions = ai_act::check(&idx);
    idx.menu = resolve_menu(&idx, &mut shape);
    idx.nav = nav::resolve(&idx, &mut shape);
    idx.problems = Problems {
        shape,
        refs: ref_problems,
        links: links.problems,
        exceptions,
    };
    idx.problems.report(diags);
    idx
}

/// The index of `idx.site` after its content pages `changed` were replaced
/// by versions that keep their place in the site, their id, their terms and
/// their references (their title, body and other front matter may differ;
/// the caller checks): what those pages' text decides is worked out again
/// (their titles, references, links and exception entries, and the links of
/// pages naming their headings or blocks), the rest is kept. The result and
/// the problems reported are those of [`index`] on the same site, which
/// runs instead when a problem of the site's shape points into a changed
/// page (its position may have moved).
pub fn update(
    mut idx: SiteIndex,
    changed: &std::collections::BTreeSet<usize>,
    diags: &mut Diagnostics,
) -> SiteIndex {
    let n = idx.site.pages.len();
    let placed_in_changed = |d: &Diagnostic| {
        changed.iter().any(|&c| {
            let path = &idx.site.pages[c].source.path;
            (d.file == *path && (d.line > 0 || d.fix.is_some()))
                || d.related.iter().any(|r| r.file == *path && r.line > 0)
        })
    };
    if changed.iter().any(|&c| c >= n)
        || idx.link_reads.len() != n
        || idx.problems.shape.iter().any(placed_in_changed)
    {
        return index(idx.site, diags);
    }
    for &c in changed {
        if let Some(out) = idx.out_of_content[c] {
            idx.pages[out].title = idx.site.pages[c].title();
        }
        let (refs, problems) = resolve_refs(&idx, c);
        idx.refs[c] = refs;
        idx.problems.refs[c] = problems;
    }
    let mut links = links::Resolved {
        links: std::mem::take(&mut idx.links),
        backlinks: std::mem::take(&mut idx.backlinks),
        reads: std::mem::take(&mut idx.link_reads),
        problems: std::mem::take(&mut idx.problems.links),
    };
    links::resolve_changed(&idx, &mut links, changed);
    idx.links = links.links;
    idx.backlinks = links.backlinks;
    idx.link_reads = links.reads;
    idx.problems.links = links.problems;
    let exceptions = ai_act::Context::new(&idx.site.config);
    let checked: Vec<(usize, Diagnostics)> = changed
        .iter()
        .map(|&c| (c, exceptions.check_page(&idx, c)))
        .collect();
    for (c, problems) in checked {
        idx.problems.exceptions[c] = problems;
    }
    idx.problems.report(diags);
    idx
}

/// Resolves `[[menu]]` links per language: a content path (`over.md`) or a
/// site path (`vereisten/`), in the language itself or else the default one.
fn resolve_menu(idx: &SiteIndex, diags: &mut Diagnostics) -> IndexMap<String, Vec<Option<usize>>> {
    let config = &idx.site.config;
    let mut out = IndexMap::new();
    for lang in config.language_codes() {
        let mut entries = Vec::new();
        for m in &config.menu {
            let found = nav::find_page(idx, lang, &m.link);
            if found.is_none() && lang == config.default_language {
                let src = &idx.site.config_source;
                let needle = format!("\"{}\"", m.link);
                let d = match src.text.find(&needle) {
                    Some(at) => Diagnostic::at(
                        Code::Config,
                        src,
                        at,
                        at + needle.len(),
                        format!("menu link `{}` names no page", m.link),
                    ),
                    None => Diagnostic::file(
                        Code::Config,
                        &src.path,
                        format!("menu link `{}` names no page", m.link),
                    ),
                };
                diags.push(d.with_hint(
                    "use a content path such as `over.md` or a site path such as `vereisten/`",
                ));
            }
            entries.push(found);
        }
        out.insert(lang.to_string(), entries);
    }
    out
}

/// The short form of an id: the part after the last `:`.
pub fn short_id(id: &str) -> &str {
    id.rsplit(':').next().unwrap_or(id)
}

fn check_ids(idx: &SiteIndex, diags: &mut Diagnostics) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, p) in idx.site.pages.iter().enumerate() {
        let Some(id) = &p.front.id else { continue };
        if idx.out_of_content[i].is_none() {
            continue;
        }
        if let Some(&first) = seen.get(&(id.value.as_str(), p.lang.as_str())) {
            let other = &idx.site.pages[first];
            diags.push(
                Diagnostic::at(
                    Code::DuplicateId,
                    &p.source,
                    id.span.start,
                    id.span.end,
                    format!("id `{}` is also declared by {}", id.value, other.source.path),
                )
                .with_hint("every page needs its own id; translations share an id through their file names")
                .with_related_opt(
                    &other.source,
                    other.front.id.as_ref().map(|i| i.span.start),
                    format!("`{}` is also declared here", id.value),
                ),
            );
        } else {
            seen.insert((id.value.as_str(), p.lang.as_str()), i);
        }
    }
}

/// The value under `key`, made the first time (the key is copied only then).
fn slot<'m, V: Default>(map: &'m mut HashMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// The content pages that name a page in a reference field (`vereiste:`),
/// per field and translation group, each in page order.
#[derive(Debug, Default)]
pub struct ReferencedBy(HashMap<String, FxHashMap<usize, Vec<usize>>>);

impl ReferencedBy {
    /// The content pages whose `field` names the translation group `group`.
    pub fn get(&self, field: &str, group: usize) -> &[usize] {
        self.0
            .get(field)
            .and_then(|g| g.get(&group))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The content pages whose `field` names any page.
    pub fn naming_any(&self, field: &str) -> impl Iterator<Item = usize> + '_ {
        self.0
            .get(field)
            .into_iter()
            .flatten()
            .flat_map(|(_, pages)| pages.iter().copied())
    }
}

/// Finds pages of a collection by slug, full id or short id.
#[derive(Debug, Default)]
pub struct RefLookup {
    /// Per collection: slug, full id and short id → translation group.
    by_key: HashMap<String, FxHashMap<String, usize>>,
    /// Per collection: its pages' slugs, sorted, each once (for hints).
    slugs: HashMap<String, Vec<String>>,
}

impl RefLookup {
    fn build(site: &ParsedSite, group_of: &[usize]) -> RefLookup {
        let mut l = RefLookup::default();
        for (i, p) in site.pages.iter().enumerate() {
            let Some(c) = p.collection.as_deref() else {
                continue;
            };
            if is_index_page(p) {
                continue;
            }
            let g = group_of[i];
            let keys = slot(&mut l.by_key, c);
            keys.insert(p.slug().to_string(), g);
            if let Some(id) = &p.front.id {
                keys.insert(id.value.clone(), g);
                keys.entry(short_id(&id.value).to_string()).or_insert(g);
            }
            slot(&mut l.slugs, c).push(p.slug().to_string());
        }
        // Sorted once at the end: quicker than keeping a sorted set.
        for slugs in l.slugs.values_mut() {
            slugs.sort_unstable();
            slugs.dedup();
        }
        l
    }

    /// The translation group of the page `key` names in `collection`.
    pub fn find(&self, collection: &str, key: &str) -> Option<usize> {
        self.by_key.get(collection)?.get(key).copied()
    }

    /// A "did you mean" hint for a key that was not found.
    pub fn hint(&self, collection: &str, key: &str) -> String {
        self.hint_and_suggestion(collection, key).0
    }

    /// The hint for a key that was not found, and the slug it suggests.
    pub fn hint_and_suggestion(&self, collection: &str, key: &str) -> (String, Option<String>) {
        let near = self.suggest(collection, key);
        let hint = match &near {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("name a page of `{collection}` by its file name or id"),
        };
        (hint, near)
    }

    /// The slug of `collection` closest to a key that was not found.
    pub fn suggest(&self, collection: &str, key: &str) -> Option<String> {
        did_you_mean(key, self.slugs(collection))
            .or_else(|| closest_by_prefix(key, self.slugs(collection)))
            .map(str::to_string)
    }

    /// The slugs of the pages of `collection`.
    pub fn slugs(&self, collection: &str) -> impl Iterator<Item = &str> {
        self.slugs
            .get(collection)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// Resolves the front-matter reference fields (`vereiste:`) of content page
/// `pi` to translation groups, with the problems found.
fn resolve_refs(idx: &SiteIndex, pi: usize) -> (IndexMap<String, Vec<usize>>, Diagnostics) {
    let config = &idx.site.config;
    let p = &idx.site.pages[pi];
    let mut out = IndexMap::new();
    let mut diags = Diagnostics::new();
    let Some(coll) = p.collection.as_deref() else {
        return (out, diags);
    };
    for (field, values) in &p.front.refs {
        let target = config.collections[coll].fields[field]
            .collection
            .as_deref()
            .unwrap_or_default();
        let mut groups = Vec::new();
        for v in values {
            let Some(g) = idx.ref_lookup.find(target, &v.value) else {
                let (hint, near) = idx.ref_lookup.hint_and_suggestion(target, &v.value);
                diags.push(
                    Diagnostic::at(
                        Code::UnknownReference,
                        &p.source,
                        v.span.start,
                        v.span.end,
                        format!(
                            "`{field}` names `{}`, which is not a page of `{target}`",
                            v.value
                        ),
                    )
                    .with_hint(hint)
                    .with_fix_if(
                        &p.source,
                        v.span.start,
                        v.span.end,
                        &v.value,
                        near,
                    ),
                );
                continue;
            };
            if !groups.contains(&g) {
                groups.push(g);
            }
            let draft = idx.groups[g]
                .values()
                .all(|&c| idx.out_of_content[c].is_none());
            if draft && idx.out_of_content[pi].is_some() {
                diags.push(Diagnostic::at(
                    Code::LinkToDraft,
                    &p.source,
                    v.span.start,
                    v.span.end,
                    format!(
                        "`{}` refers to a draft page, which is not published",
                        v.value
                    ),
                ));
            }
        }
        out.insert(field.clone(), groups);
    }
    (out, diags)
}

/// The candidate sharing the longest common prefix with `word` (at least
/// half of it), for long slugs where edit distance is too strict.
pub fn closest_by_prefix<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let common = |c: &str| {
        word.chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    candidates
        .into_iter()
        .map(|c| (common(c), c))
        .filter(|(n, _)| *n >= 6 && *n * 2 >= word.chars().count().min(40))
        .max_by_key(|(n, _)| *n)
        .map(|(_, c)| c)
}
