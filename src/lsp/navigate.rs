//! Hover, go to definition, find references, rename and symbols: what is
//! under the cursor (a link, a front-matter reference or term, a directive
//! or its argument, a heading, a block id), what it names (a page, an
//! anchor, a block, a term) and where that is used, all from the index.

use super::complete::summary;
use super::{text, At, Context};
use crate::config::FieldKind;
use crate::directives::Shows;
use crate::index::{link_target, SiteIndex};
use crate::parse::escape::decode_percent;
use crate::parse::front_matter::{Located, Span};
use lsp_types as lsp;
use std::collections::HashMap;

/// What is under the cursor.
enum Thing<'a> {
    /// Link `n` of the page's body.
    Link(usize),
    /// A value of a front-matter reference field.
    Ref { field: &'a str, value: &'a Located },
    /// A taxonomy term in the front matter or a directive's argument.
    Term { taxonomy: String, term: String },
    /// A directive argument naming a page (`vereiste/x`).
    DirectiveRef { field: String, value: String },
    /// Directive `n` of the page (its name or a flag).
    Directive(usize),
    /// Heading `n` of the page.
    Heading(usize),
    /// Block `n` of the page.
    Block(usize),
    /// The page itself (its front matter's other lines).
    Page,
}

/// What a thing names.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Page(usize),
    Anchor(usize, String),
    Block(usize, String),
    Term(String, String),
}

fn contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

fn thing<'a>(at: &'a At) -> Option<Thing<'a>> {
    let p = at.parsed();
    let o = at.offset;
    if let Some(n) = p.body.links.iter().position(|l| contains(l.span, o)) {
        return Some(Thing::Link(n));
    }
    for (field, values) in &p.front.refs {
        if let Some(v) = values.iter().find(|v| contains(v.span, o)) {
            return Some(Thing::Ref { field, value: v });
        }
    }
    for (tax, values) in &p.front.terms {
        if let Some(v) = values.iter().find(|v| contains(v.span, o)) {
            return Some(Thing::Term {
                taxonomy: tax.clone(),
                term: v.value.clone(),
            });
        }
    }
    for (n, call) in p.body.directives.iter().enumerate() {
        if !contains(call.span, o) {
            continue;
        }
        let config = &at.ctx.idx.site.config;
        for a in call.args.iter().filter(|a| contains(a.span, o)) {
            let Some((key, value)) = a.pair() else {
                continue;
            };
            if config.taxonomies.contains_key(key) {
                return Some(Thing::Term {
                    taxonomy: key.to_string(),
                    term: value.to_string(),
                });
            }
            return Some(Thing::DirectiveRef {
                field: key.to_string(),
                value: value.to_string(),
            });
        }
        return Some(Thing::Directive(n));
    }
    if let Some(n) = p.body.blocks.iter().position(|b| contains(b.span, o)) {
        return Some(Thing::Block(n));
    }
    let line = at.src().line_col(o).0;
    if let Some(n) = p
        .body
        .headings
        .iter()
        .position(|h| at.src().line_col(h.span.start).0 == line)
    {
        return Some(Thing::Heading(n));
    }
    let front = p.front.span;
    (front.end > 0 && o <= front.end).then_some(Thing::Page)
}

/// The page of translation group `g` in `lang` (else the default language's).
fn in_lang(idx: &SiteIndex, g: usize, lang: &str) -> Option<usize> {
    idx.in_lang(g, lang).map(|(c, _)| c)
}

/// The collection a reference field of `page` points into.
fn ref_collection(idx: &SiteIndex, page: usize, field: &str) -> Option<String> {
    let coll = idx.site.pages[page].collection.as_deref()?;
    let spec = idx.site.config.collections.get(coll)?.fields.get(field)?;
    (spec.kind == FieldKind::Refs)
        .then(|| spec.collection.clone())
        .flatten()
}

fn target(at: &At, thing: &Thing) -> Option<Target> {
    let idx = at.ctx.idx;
    let p = at.parsed();
    match thing {
        Thing::Link(n) => {
            let (c, anchor) = link_target(idx, at.page, &p.body.links[*n].dest)?;
            Some(match anchor {
                Some(a) => match a.strip_prefix('^') {
                    Some(b) => Target::Block(c, b.to_string()),
                    None => Target::Anchor(c, a),
                },
                None => Target::Page(c),
            })
        }
        Thing::Ref { field, value } => {
            let coll = ref_collection(idx, at.page, field)?;
            let g = idx.ref_lookup.find(&coll, &value.value)?;
            in_lang(idx, g, &p.lang).map(Target::Page)
        }
        Thing::DirectiveRef { field, value } => {
            let listed = p.body.directives.iter().find_map(|d| {
                let coll = d.name.strip_prefix("list_")?;
                let spec = idx.site.config.collections.get(coll)?.fields.get(field)?;
                spec.collection.clone()
            })?;
            let g = idx.ref_lookup.find(&listed, value)?;
            in_lang(idx, g, &p.lang).map(Target::Page)
        }
        Thing::Term { taxonomy, term } => Some(Target::Term(taxonomy.clone(), term.clone())),
        Thing::Heading(n) => Some(Target::Anchor(at.page, p.body.headings[*n].id.clone())),
        Thing::Block(n) => Some(Target::Block(at.page, p.body.blocks[*n].id.clone())),
        Thing::Page => Some(Target::Page(at.page)),
        Thing::Directive(_) => None,
    }
}

fn markdown(value: String) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// The number of pages of `lang` carrying a term.
fn term_count(idx: &SiteIndex, lang: &str, tax: &str, term: &str) -> usize {
    idx.term_pages.get(idx, lang, tax, term).len()
}

pub fn hover(at: &At) -> Option<lsp::Hover> {
    let idx = at.ctx.idx;
    let p = at.parsed();
    let config = &idx.site.config;
    let (lang, dl) = (p.lang.as_str(), config.default_language.as_str());
    let thing = thing(at)?;
    if let Thing::Directive(n) = thing {
        let call = &p.body.directives[n];
        let text = match at.ctx.directives.get(at.page, n).map(|d| d.shows()) {
            None => format!("`{}`: renders nothing (see its diagnostics)", call.name),
            Some(Shows::Nothing) => {
                let terms: Vec<String> = p
                    .front
                    .terms
                    .iter()
                    .flat_map(|(t, v)| v.iter().map(move |l| format!("`{t}/{}`", l.value)))
                    .collect();
                format!(
                    "`{}`: shows this page's terms: {}",
                    call.name,
                    terms.join(", ")
                )
            }
            Some(Shows::All) => format!(
                "`{}`: shows something of every page (the decision aid)",
                call.name
            ),
            Some(Shows::Pages(rows)) => {
                let mut s = format!("`{}`: {} rows", call.name, rows.len());
                for &c in rows.iter().take(5) {
                    s.push_str(&format!("\n- {}", idx.site.pages[c].title()));
                }
                if rows.len() > 5 {
                    s.push_str("\n- …");
                }
                s
            }
        };
        return Some(markdown(text));
    }
    let text = match target(at, &thing)? {
        Target::Page(c) => summary(&idx.site.pages[c])?,
        Target::Anchor(c, a) => {
            let t = &idx.site.pages[c];
            let h = t.body.headings.iter().find(|h| h.id == a)?;
            let uses = links_to(idx, &Target::Anchor(c, a.clone())).len();
            format!("**{}** › {} `#{a}`\n\n{uses} links", t.title(), h.text)
        }
        Target::Block(c, id) => {
            let t = &idx.site.pages[c];
            let b = t.body.blocks.iter().find(|b| b.id == id)?;
            let term = b
                .term
                .as_ref()
                .map(|t| format!("**{t}** "))
                .unwrap_or_default();
            format!("{term}`^{id}` ({})\n\n{}", t.title(), b.text)
        }
        Target::Term(tax, term) => {
            let taxonomy = config.taxonomies.get(&tax)?;
            let t = taxonomy.term(&term)?;
            let count = term_count(idx, lang, &tax, &term);
            let mut s = format!(
                "**{}** ({}: `{term}`)\n\n{count} pages carry it",
                t.label.get(lang, dl),
                taxonomy.label.get(lang, dl)
            );
            if let Some(d) = &t.description {
                s.push_str(&format!("\n\n{}", d.get(lang, dl)));
            }
            s
        }
    };
    Some(markdown(text))
}

/// Where a target is defined.
fn definition_of(ctx: &Context, t: &Target) -> Option<lsp::Location> {
    let idx = ctx.idx;
    match t {
        Target::Page(c) => Some(ctx.location(*c, 0, 0)),
        Target::Anchor(c, a) => {
            let h = idx.site.pages[*c]
                .body
                .headings
                .iter()
                .find(|h| &h.id == a)?;
            Some(ctx.location(*c, h.span.start, h.span.start))
        }
        Target::Block(c, id) => {
            let b = idx.site.pages[*c]
                .body
                .blocks
                .iter()
                .find(|b| &b.id == id)?;
            Some(ctx.location(*c, b.span.start, b.span.end))
        }
        Target::Term(tax, term) => {
            let config = &idx.site.config;
            let dir = config.taxonomies.get(tax)?.path.as_deref().unwrap_or(tax);
            if let Some(&c) = idx.by_content_path.get(&format!("{dir}/{term}.md")) {
                return Some(ctx.location(c, 0, 0));
            }
            let src = &idx.site.config_source;
            if src.path != "site.toml" {
                return None;
            }
            let at = src
                .text
                .find(&format!("slug = \"{term}\""))
                .or_else(|| src.text.find(&format!("\"{term}\"")))?;
            Some(lsp::Location::new(
                super::uri_of(&ctx.root.join("site.toml")),
                text::range(src, at, at),
            ))
        }
    }
}

pub fn definition(at: &At) -> Option<lsp::GotoDefinitionResponse> {
    let thing = thing(at)?;
    if matches!(thing, Thing::Heading(_) | Thing::Block(_) | Thing::Page) {
        return None;
    }
    let t = target(at, &thing)?;
    definition_of(at.ctx, &t).map(lsp::GotoDefinitionResponse::Scalar)
}

/// Every link (page, link index) whose destination is `t`.
fn links_to(idx: &SiteIndex, t: &Target) -> Vec<(usize, usize)> {
    let (page, fragment) = match t {
        Target::Page(c) => (*c, None),
        Target::Anchor(c, a) => (*c, Some(a.clone())),
        Target::Block(c, b) => (*c, Some(format!("^{b}"))),
        Target::Term(..) => return Vec::new(),
    };
    let mut out = Vec::new();
    for (p, links) in idx.links.iter().enumerate() {
        for (n, l) in links.iter().enumerate() {
            if l.target != Some(page) {
                continue;
            }
            let dest = &idx.site.pages[p].body.links[n].dest;
            let written = dest.split_once('#').map(|(_, f)| decode_percent(f));
            if fragment.is_none() || written == fragment {
                out.push((p, n));
            }
        }
    }
    out
}

/// Every place that names `t`.
fn uses(ctx: &Context, t: &Target) -> Vec<lsp::Location> {
    let idx = ctx.idx;
    let mut out: Vec<lsp::Location> = links_to(idx, t)
        .into_iter()
        .map(|(p, n)| {
            let s = idx.site.pages[p].body.links[n].span;
            ctx.location(p, s.start, s.end)
        })
        .collect();
    match t {
        Target::Page(c) => {
            let g = idx.group_of[*c];
            for (p, page) in idx.site.pages.iter().enumerate() {
                for (field, values) in &page.front.refs {
                    let Some(coll) = ref_collection(idx, p, field) else {
                        continue;
                    };
                    for v in values {
                        if idx.ref_lookup.find(&coll, &v.value) == Some(g) {
                            out.push(ctx.location(p, v.span.start, v.span.end));
                        }
                    }
                }
            }
        }
        Target::Term(tax, term) => {
            let pair = format!("{tax}/{term}");
            for (p, page) in idx.site.pages.iter().enumerate() {
                for v in page.front.terms.get(tax).into_iter().flatten() {
                    if &v.value == term {
                        out.push(ctx.location(p, v.span.start, v.span.end));
                    }
                }
                for call in &page.body.directives {
                    for a in call.args.iter().filter(|a| a.text == pair) {
                        out.push(ctx.location(p, a.span.start, a.span.end));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

pub fn references(at: &At, declaration: bool) -> Vec<lsp::Location> {
    let Some(t) = thing(at).and_then(|th| target(at, &th)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if declaration {
        out.extend(definition_of(at.ctx, &t));
    }
    out.extend(uses(at.ctx, &t));
    out
}

/// A heading's explicit id in its line (`{ #id }`): byte range of the id.
fn explicit_id(src: &crate::diagnostics::SourceText, heading: usize) -> Option<(usize, usize)> {
    let line = src.line_col(heading).0;
    let start = src.line_start(line);
    let text = src.line_text(line);
    let open = text.rfind('{')?;
    let close = open + text[open..].find('}')?;
    let inner = &text[open + 1..close];
    let mut pos = open + 1;
    for tok in inner.split(' ') {
        if let Some(id) = tok.strip_prefix('#') {
            return Some((start + pos + 1, start + pos + 1 + id.len()));
        }
        pos += tok.len() + 1;
    }
    None
}

/// What a rename would rename: the target and the range of its name here.
fn renamed(at: &At) -> Option<(Target, usize, usize)> {
    let thing = thing(at)?;
    let p = at.parsed();
    let src = at.src();
    match &thing {
        Thing::Heading(n) => {
            let h = &p.body.headings[*n];
            if h.id.is_empty() {
                return None;
            }
            let (s, e) = explicit_id(src, h.span.start).unwrap_or_else(|| {
                let line = src.line_col(h.span.start).0;
                let start = src.line_start(line);
                (start, start + src.line_text(line).len())
            });
            Some((Target::Anchor(at.page, h.id.clone()), s, e))
        }
        Thing::Block(n) => {
            let b = &p.body.blocks[*n];
            Some((
                Target::Block(at.page, b.id.clone()),
                b.span.start + 1,
                b.span.end,
            ))
        }
        Thing::Link(n) => {
            let l = &p.body.links[*n];
            let t = target(at, &thing)?;
            if matches!(t, Target::Page(_))
                || src.text.get(l.span.start..l.span.end) != Some(&l.dest)
            {
                return None;
            }
            let hash = l.dest.find('#')?;
            let skip = usize::from(l.dest[hash + 1..].starts_with('^'));
            Some((t, l.span.start + hash + 1 + skip, l.span.end))
        }
        _ => None,
    }
}

pub fn prepare_rename(at: &At) -> Option<lsp::PrepareRenameResponse> {
    let (t, s, e) = renamed(at)?;
    let placeholder = match t {
        Target::Anchor(_, a) => a,
        Target::Block(_, b) => b,
        _ => return None,
    };
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: text::range(at.src(), s, e),
        placeholder,
    })
}

/// Renames a heading anchor or a block id and every link to it.
// `Uri` caches parts of itself, which its hash and equality do not see.
#[allow(clippy::mutable_key_type)]
pub fn rename(at: &At, new_name: &str) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let Some((t, _, _)) = renamed(at) else {
        return Ok(None);
    };
    let idx = at.ctx.idx;
    let new = new_name.trim().trim_start_matches(['#', '^']);
    let valid = !new.is_empty()
        && new
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(format!(
            "`{new_name}` cannot be an id: use letters, digits, `-`, `_` and `.`"
        ));
    }
    let mut edits: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    let mut edit = |page: usize, start: usize, end: usize, text: String| {
        let src = &idx.site.pages[page].source;
        edits
            .entry(at.ctx.uri(page))
            .or_default()
            .push(lsp::TextEdit::new(text::range(src, start, end), text));
    };
    let fragment = match &t {
        Target::Anchor(c, a) => {
            let page = &idx.site.pages[*c];
            let h = page
                .body
                .headings
                .iter()
                .find(|h| &h.id == a)
                .ok_or("no heading")?;
            match explicit_id(&page.source, h.span.start) {
                Some((s, e)) => edit(*c, s, e, new.to_string()),
                None => {
                    let line = page.source.line_col(h.span.start).0;
                    let text = page.source.line_text(line);
                    let end = page.source.line_start(line) + text.trim_end().len();
                    edit(*c, end, end, format!(" {{ #{new} }}"));
                }
            }
            new.to_string()
        }
        Target::Block(c, b) => {
            let block = idx.site.pages[*c]
                .body
                .blocks
                .iter()
                .find(|x| &x.id == b)
                .ok_or("no block")?;
            edit(*c, block.span.start, block.span.end, format!("^{new}"));
            format!("^{new}")
        }
        _ => return Ok(None),
    };
    for (p, n) in links_to(idx, &t) {
        let page = &idx.site.pages[p];
        let l = &page.body.links[n];
        if page.source.text.get(l.span.start..l.span.end) != Some(&l.dest) {
            continue;
        }
        let path = l.dest.split_once('#').map_or(l.dest.as_str(), |(p, _)| p);
        edit(p, l.span.start, l.span.end, format!("{path}#{fragment}"));
    }
    Ok(Some(lsp::WorkspaceEdit::new(edits)))
}

/// The outline of a page: its headings, nested by level, and its block ids.
#[allow(deprecated)]
pub fn document_symbols(ctx: &Context, page: usize) -> lsp::DocumentSymbolResponse {
    let p = &ctx.idx.site.pages[page];
    let src = &p.source;
    let line_of = |o: usize| src.line_col(o).0;
    let end_of_line = |line: usize| src.line_start(line) + src.line_text(line).len();
    let symbol = |name: String,
                  kind,
                  detail: Option<String>,
                  start: usize,
                  end: usize,
                  sel: (usize, usize)| {
        lsp::DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: text::range(src, start, end),
            selection_range: text::range(src, sel.0, sel.1),
            children: None,
        }
    };
    // Sections: from a heading to the next heading of its level or higher.
    let heads = &p.body.headings;
    let mut items: Vec<(u8, lsp::DocumentSymbol)> = Vec::new();
    for (i, h) in heads.iter().enumerate() {
        let line = line_of(h.span.start);
        let start = src.line_start(line);
        let end = heads[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| {
                src.line_start(line_of(n.span.start))
                    .saturating_sub(1)
                    .max(start)
            })
            .unwrap_or(src.text.len());
        let id = (!h.id.is_empty()).then(|| format!("#{}", h.id));
        items.push((
            h.level,
            symbol(
                h.text.clone(),
                lsp::SymbolKind::STRING,
                id,
                start,
                end,
                (start, end_of_line(line)),
            ),
        ));
    }
    for b in &p.body.blocks {
        let line = line_of(b.span.start);
        let sym = symbol(
            format!("^{}", b.id),
            lsp::SymbolKind::KEY,
            b.term.clone(),
            src.line_start(line),
            end_of_line(line),
            (b.span.start, b.span.end),
        );
        items.push((u8::MAX, sym));
    }
    items.sort_by_key(|(level, s)| (s.range.start, *level));
    nest(items)
}

/// Nests symbols (sorted by start) inside the ones whose range holds them.
fn nest(items: Vec<(u8, lsp::DocumentSymbol)>) -> lsp::DocumentSymbolResponse {
    let mut roots: Vec<lsp::DocumentSymbol> = Vec::new();
    let mut stack: Vec<(u8, lsp::DocumentSymbol)> = Vec::new();
    let inside = |outer: &lsp::DocumentSymbol, inner: &lsp::DocumentSymbol| {
        outer.range.start <= inner.range.start && inner.range.end <= outer.range.end
    };
    let close = |stack: &mut Vec<(u8, lsp::DocumentSymbol)>,
                 roots: &mut Vec<lsp::DocumentSymbol>| {
        let (_, done) = stack.pop().expect("an open symbol");
        match stack.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
            None => roots.push(done),
        }
    };
    for (level, sym) in items {
        while let Some((l, top)) = stack.last() {
            if inside(top, &sym) && *l < level {
                break;
            }
            close(&mut stack, &mut roots);
        }
        stack.push((level, sym));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    lsp::DocumentSymbolResponse::Nested(roots)
}

/// Pages whose title, slug or id contains the query (case-insensitive).
#[allow(deprecated)]
pub fn workspace_symbols(ctx: &Context, query: &str) -> Vec<lsp::SymbolInformation> {
    let q = query.to_lowercase();
    let idx = ctx.idx;
    idx.site
        .pages
        .iter()
        .enumerate()
        .filter(|(c, _)| idx.out_of_content[*c].is_some())
        .filter(|(_, p)| {
            let id = p.front.id.as_ref().map(|i| i.value.as_str()).unwrap_or("");
            q.is_empty()
                || p.title().to_lowercase().contains(&q)
                || p.slug().contains(&q)
                || id.to_lowercase().contains(&q)
        })
        .take(200)
        .map(|(c, p)| lsp::SymbolInformation {
            name: p.title(),
            kind: lsp::SymbolKind::FILE,
            tags: None,
            deprecated: None,
            location: ctx.location(c, 0, 0),
            container_name: p.collection.clone(),
        })
        .collect()
}
