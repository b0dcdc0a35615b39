//! Completion: what may be written where the cursor is, from the
//! configuration and the index.
//!
//! * front matter: the keys of the page's collection (and the taxonomies
//!   and common keys); after a taxonomy key, its terms; after a reference
//!   field (`vereiste:`), the slugs of the pages of its collection;
//! * in a link destination `](…`: page paths relative to this page and the
//!   site's files; after `#`, the target's heading anchors; after `#^`, its
//!   block ids with the definition text;
//! * in `<!-- … -->`: directive names, then their arguments;
//! * after `!!!` or `???`: admonition types.

use super::{text, At};
use crate::config::FieldKind;
use crate::parse::front_matter::{self, COMMON_FIELDS};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, TextEdit,
};

/// One proposal: what is inserted, a short detail and documentation.
struct Item {
    label: String,
    detail: Option<String>,
    doc: Option<String>,
    kind: CompletionItemKind,
    insert: Option<String>,
}

impl Item {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Item {
        Item {
            label: label.into(),
            detail: None,
            doc: None,
            kind,
            insert: None,
        }
    }

    fn detail(mut self, d: impl Into<String>) -> Item {
        self.detail = Some(d.into());
        self
    }

    fn doc(mut self, d: Option<String>) -> Item {
        self.doc = d.filter(|d| !d.is_empty());
        self
    }

    fn insert(mut self, text: impl Into<String>) -> Item {
        self.insert = Some(text.into());
        self
    }
}

/// The completion items at `at`.
pub fn complete(at: &At) -> CompletionResponse {
    let src = at.src();
    let offset = at.offset.min(src.text.len());
    let line_start = src.line_start(src.line_col(offset).0);
    let prefix = &src.text[line_start..offset];
    let in_front = match front_matter::split(&src.text) {
        Ok((Some(span), _)) => offset >= span.start && offset <= span.end,
        _ => false,
    };
    let (start, items) = if in_front {
        front(at, line_start, prefix)
    } else {
        body(at, prefix)
    };
    let start = line_start + start;
    let range = text::range(src, start, offset);
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, it)| CompletionItem {
            label: it.label.clone(),
            kind: Some(it.kind),
            detail: it.detail,
            documentation: it.doc.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(it.label.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: it.insert.unwrap_or(it.label),
            })),
            ..Default::default()
        })
        .collect();
    CompletionResponse::Array(items)
}

/// Where the word being typed starts in `prefix`: after the last character
/// for which `stop` holds.
fn word_start(prefix: &str, stop: impl Fn(char) -> bool) -> usize {
    prefix
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

/// Front matter: keys at the start of a line, values after a key.
fn front(at: &At, line_start: usize, prefix: &str) -> (usize, Vec<Item>) {
    let src = at.src();
    let config = &at.ctx.idx.site.config;
    let page = at.parsed();
    let lang = page.lang.as_str();
    let dl = config.default_language.as_str();
    let is_key = !prefix.starts_with([' ', '\t', '-']) && !prefix.contains(':');
    if is_key {
        let mut items = Vec::new();
        let present = |k: &str| {
            src.text[page.front.span.start..page.front.span.end]
                .lines()
                .any(|l| l.strip_prefix(k).is_some_and(|r| r.starts_with(':')))
        };
        if let Some(coll) = page
            .collection
            .as_deref()
            .and_then(|c| config.collections.get(c))
        {
            for (name, spec) in &coll.fields {
                if present(name) {
                    continue;
                }
                let required = if spec.required { ", required" } else { "" };
                items.push(
                    Item::new(name.clone(), CompletionItemKind::FIELD)
                        .detail(format!("{}{required}", spec.kind.describe()))
                        .insert(format!("{name}: ")),
                );
            }
        }
        for (name, tax) in &config.taxonomies {
            if present(name) || items.iter().any(|i| &i.label == name) {
                continue;
            }
            items.push(
                Item::new(name.clone(), CompletionItemKind::FIELD)
                    .detail(format!("taxonomy: {}", tax.label.get(lang, dl)))
                    .insert(format!("{name}:\n- ")),
            );
        }
        for name in COMMON_FIELDS {
            if present(name) || items.iter().any(|i| i.label == *name) {
                continue;
            }
            items.push(
                Item::new(*name, CompletionItemKind::FIELD)
                    .detail("common key")
                    .insert(format!("{name}: ")),
            );
        }
        return (0, items);
    }
    // The key this value belongs to: on this line, or the nearest line
    // above that starts with one.
    let this_line_key = prefix.split_once(':').map(|(k, _)| k.trim());
    let key = match this_line_key.filter(|_| !prefix.starts_with([' ', '\t', '-'])) {
        Some(k) => k.to_string(),
        None => {
            let above = &src.text[page.front.span.start.min(line_start)..line_start];
            match above
                .lines()
                .rev()
                .find(|l| !l.starts_with([' ', '\t', '-', '#']) && l.contains(':'))
                .and_then(|l| l.split_once(':'))
            {
                Some((k, _)) => k.trim().to_string(),
                None => return (0, Vec::new()),
            }
        }
    };
    let start = word_start(prefix, |c| {
        c.is_whitespace() || matches!(c, ',' | '[' | '"')
    });
    let mut items = Vec::new();
    if let Some(tax) = config.taxonomies.get(&key) {
        for t in &tax.terms {
            let count = at
                .ctx
                .idx
                .term_pages
                .get(at.ctx.idx, lang, &key, &t.slug)
                .len();
            items.push(
                Item::new(t.slug.clone(), CompletionItemKind::ENUM_MEMBER)
                    .detail(format!("{} ({count} pages)", t.label.get(lang, dl)))
                    .doc(t.description.as_ref().map(|d| d.get(lang, dl).to_string())),
            );
        }
        return (start, items);
    }
    let target = page
        .collection
        .as_deref()
        .and_then(|c| config.collections.get(c))
        .and_then(|c| c.fields.get(&key))
        .filter(|f| f.kind == FieldKind::Refs)
        .and_then(|f| f.collection.clone());
    if let Some(target) = target {
        items.extend(pages_of(at, &target));
    }
    (start, items)
}

/// The pages of a collection as reference values: slug, title, id.
fn pages_of(at: &At, collection: &str) -> Vec<Item> {
    let idx = at.ctx.idx;
    let lang = at.parsed().lang.as_str();
    idx.collection_pages(collection, lang)
        .iter()
        .map(|&(c, _)| {
            let p = &idx.site.pages[c];
            Item::new(p.slug(), CompletionItemKind::REFERENCE)
                .detail(p.title())
                .doc(summary(p))
        })
        .collect()
}

/// A page's title, id and summary (`toelichting`), as Markdown.
pub fn summary(p: &crate::parse::ParsedPage) -> Option<String> {
    let mut out = format!("**{}**", p.title());
    if let Some(id) = &p.front.id {
        out.push_str(&format!(" `{}`", id.value));
    }
    let text = p
        .front
        .strings
        .get("toelichting")
        .or(p.front.summary.as_ref())
        .or(p.front.strings.get("description"));
    if let Some(t) = text {
        out.push_str("\n\n");
        out.push_str(t);
    }
    Some(out)
}

fn body(at: &At, prefix: &str) -> (usize, Vec<Item>) {
    if let Some(open) = prefix.rfind("<!--") {
        if !prefix[open..].contains("-->") {
            return directive(at, prefix, open + 4);
        }
    }
    let trimmed = prefix.trim_start();
    for marker in ["!!! ", "???+ ", "??? "] {
        if let Some(word) = trimmed.strip_prefix(marker) {
            if !word.contains(char::is_whitespace) {
                let start = prefix.len() - word.len();
                return (start, admonitions(at));
            }
        }
    }
    if let Some(open) = prefix.rfind("](") {
        let dest = &prefix[open + 2..];
        if !dest.contains([')', ' ']) {
            return link(at, dest, open + 2);
        }
    }
    (prefix.len(), Vec::new())
}

fn admonitions(at: &At) -> Vec<Item> {
    let strings = at.ctx.idx.site.theme.strings(&at.parsed().lang);
    strings
        .keys()
        .filter_map(|k| k.strip_prefix("admonition."))
        .filter(|k| !k.contains('.'))
        .map(|k| {
            let title = strings.admonition_title(k).unwrap_or_default();
            Item::new(k, CompletionItemKind::KEYWORD).detail(title)
        })
        .collect()
}

/// Inside `<!-- …`: the directive's name, then its arguments.
fn directive(at: &At, prefix: &str, inner: usize) -> (usize, Vec<Item>) {
    let config = &at.ctx.idx.site.config;
    let text = &prefix[inner..];
    let start = inner + word_start(text, char::is_whitespace);
    let mut words = text.split_whitespace();
    let typing_name = text.split_whitespace().count() <= 1 && !text.ends_with(char::is_whitespace);
    if typing_name {
        let items = crate::directives::names(config)
            .into_iter()
            .map(|n| Item::new(n, CompletionItemKind::FUNCTION).detail("kader directive"))
            .collect();
        return (start, items);
    }
    let name = words.next().unwrap_or("");
    let word = &prefix[start..];
    (start, arguments(at, name, word))
}

/// The arguments a directive `name` takes, for the word being typed.
fn arguments(at: &At, name: &str, word: &str) -> Vec<Item> {
    let idx = at.ctx.idx;
    let config = &idx.site.config;
    let lang = at.parsed().lang.as_str();
    let dl = config.default_language.as_str();
    if name == "decision_tree" {
        let mut names: Vec<&str> = idx.site.trees.iter().map(|t| t.name.as_str()).collect();
        names.dedup();
        return names
            .into_iter()
            .map(|n| Item::new(n, CompletionItemKind::VALUE).detail("decision tree"))
            .collect();
    }
    let Some(rest) = name.strip_prefix("list_") else {
        return Vec::new();
    };
    let listed = rest.split("_on_").next().unwrap_or(rest);
    let Some(coll) = config.collections.get(listed) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let filters = !rest.contains("_on_");
    if let (Some((key, _)), true) = (word.split_once('/'), filters) {
        if let Some(tax) = config.taxonomies.get(key) {
            for t in &tax.terms {
                items.push(
                    Item::new(format!("{key}/{}", t.slug), CompletionItemKind::ENUM_MEMBER)
                        .detail(t.label.get(lang, dl).to_string()),
                );
            }
        } else if let Some(target) = coll
            .fields
            .get(key)
            .filter(|f| f.kind == FieldKind::Refs)
            .and_then(|f| f.collection.clone())
        {
            for it in pages_of(at, &target) {
                items.push(Item {
                    label: format!("{key}/{}", it.label),
                    ..it
                });
            }
        }
        return items;
    }
    if filters {
        for (t, tax) in &config.taxonomies {
            items.push(
                Item::new(format!("{t}/"), CompletionItemKind::MODULE)
                    .detail(format!("filter on {}", tax.label.get(lang, dl))),
            );
        }
        for (f, spec) in &coll.fields {
            if spec.kind == FieldKind::Refs {
                items.push(
                    Item::new(format!("{f}/"), CompletionItemKind::MODULE)
                        .detail("filter on a page it refers to"),
                );
            }
        }
    }
    for flag in ["no-search", "no-id", "no-toelichting"] {
        items.push(Item::new(flag, CompletionItemKind::KEYWORD).detail("flag"));
    }
    for t in config.taxonomies.keys() {
        items.push(Item::new(format!("no-{t}"), CompletionItemKind::KEYWORD).detail("no column"));
    }
    items
}

/// In a link destination: pages and files, anchors after `#`, block ids
/// after `#^`.
fn link(at: &At, dest: &str, dest_start: usize) -> (usize, Vec<Item>) {
    let idx = at.ctx.idx;
    if let Some((path, fragment)) = dest.split_once('#') {
        let start = dest_start + path.len() + 1;
        let target = if path.is_empty() {
            Some(at.page)
        } else {
            crate::index::link_target(idx, at.page, path).map(|(c, _)| c)
        };
        let Some(t) = target else {
            return (start, Vec::new());
        };
        let body = &idx.site.pages[t].body;
        if fragment.starts_with('^') {
            let items = body
                .blocks
                .iter()
                .map(|b| {
                    let mut short: String = b.text.chars().take(60).collect();
                    if b.text.chars().count() > 60 {
                        short.push('…');
                    }
                    Item::new(format!("^{}", b.id), CompletionItemKind::REFERENCE)
                        .detail(b.term.clone().unwrap_or(short))
                        .doc(Some(b.text.clone()))
                })
                .collect();
            return (start, items);
        }
        let items = body
            .headings
            .iter()
            .filter(|h| !h.id.is_empty())
            .map(|h| Item::new(h.id.clone(), CompletionItemKind::REFERENCE).detail(h.text.clone()))
            .collect();
        return (start, items);
    }
    let page = at.parsed();
    let folder = page
        .content_path
        .rsplit_once('/')
        .map(|(d, _)| d)
        .unwrap_or("");
    let dl = idx.site.config.default_language.as_str();
    let mut items: Vec<Item> = idx
        .site
        .pages
        .iter()
        .enumerate()
        .filter(|(c, p)| p.lang == dl && idx.out_of_content[*c].is_some())
        .map(|(_, p)| {
            Item::new(
                crate::index::relative(folder, &p.translation_key),
                CompletionItemKind::FILE,
            )
            .detail(p.title())
        })
        .collect();
    for a in &idx.site.assets {
        items.push(Item::new(
            crate::index::relative(folder, &a.rel),
            CompletionItemKind::FILE,
        ));
    }
    (dest_start, items)
}
