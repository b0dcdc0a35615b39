//! CommonMark (+ GFM tables, footnotes, task lists) to HTML fragments.
//!
//! The page body is rendered once, here, into a list of [`Fragment`]s: HTML
//! text interleaved with placeholders for what only later stages can fill
//! in (link targets, images, directives). Headings get stable ids, block ids
//! (` ^id`) become anchors, abbreviations are wrapped, code is highlighted,
//! and every link is recorded with its source position for checking.

use super::abbr::Abbreviations;
use super::attr_list::{self, Attrs};
use super::block_id;
use super::compact;
use super::containers::Prepared;
use super::diagram;
use super::directive::{self, DirectiveCall, Recognized};
use super::escape::{escape_html, push_escaped};
use super::front_matter::Span;
use super::highlight::Highlighter;
use super::inline_style::{self, StyleRule};
use super::mermaid;
use super::raw_html;
use super::slug::{slugify, IdRegistry};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::discover::icons::{self, Icons, Missing};
use crate::theme::Strings;
use kader_search::hash::FxHashMap as HashMap;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// A piece of a rendered page body.
#[derive(Debug, Clone, PartialEq)]
pub enum Fragment {
    Html(String),
    /// Opening `<a …>` of link `n` of [`Body::links`].
    LinkOpen(usize),
    /// Closing `</a>` of link `n` (plus a definition tooltip where it applies).
    LinkClose(usize),
    /// `<img …>` for link `n` (an image).
    Image(usize),
    /// The output of directive `n` of [`Body::directives`].
    Directive(usize),
    /// The end of block `n` of [`Body::blocks`] (where "used in" links go).
    BlockEnd(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    Autolink,
    /// A clickable node of a diagram (`click id href "…"`).
    Diagram,
}

/// A link or image as written.
#[derive(Debug, Clone)]
pub struct Link {
    pub dest: String,
    pub title: String,
    pub kind: LinkKind,
    /// Where the destination is written in the source.
    pub span: Span,
    pub attrs: Attrs,
    /// Alternative text (images) or link text (links), as plain text.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub span: Span,
    pub search_exclude: bool,
}

/// A block with an Obsidian block id.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    /// The block's text without the id, for definition tooltips.
    pub text: String,
    /// The term a definition block defines: its leading bold text, if any.
    pub term: Option<String>,
    pub span: Span,
}

/// A stretch of text under one heading, for the search index.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub heading: String,
    pub anchor: String,
    pub level: u8,
    pub text: String,
}

/// The rendered body of a page.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub fragments: Vec<Fragment>,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
    pub directives: Vec<DirectiveCall>,
    pub sections: Vec<Section>,
    /// A level-1 heading that opened the body; it becomes the page heading.
    pub leading_h1: Option<String>,
    pub has_code: bool,
    pub has_mermaid: bool,
    /// The inline styles turned into classes, each once (see
    /// [`super::inline_style`]).
    pub styles: Vec<StyleRule>,
}

/// What the renderer needs besides the page.
pub struct MarkdownContext<'a> {
    pub strings: &'a Strings,
    pub abbreviations: &'a Abbreviations,
    pub highlighter: &'a Highlighter,
    /// The directive names the site knows (see `crate::directives`).
    pub directives: &'a [String],
    pub allow_raw_html: bool,
    /// The icons of the site's shortcodes (`:material-arrow-right:`).
    pub icons: &'a Icons,
    /// The page's slug when its URL is a folder below its file's folder
    /// (every page but an index page): links in diagrams are written
    /// relative to the page's URL, as a browser reads them.
    pub url_folder: Option<&'a str>,
}

/// Deepest nesting of lists and block quotes rendered as such.
pub const MAX_BLOCK_NESTING: usize = 100;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Accumulates fragments, merging adjacent HTML.
#[derive(Default)]
struct Sink {
    frags: Vec<Fragment>,
    html: String,
}

impl Sink {
    fn push(&mut self, s: &str) {
        self.html.push_str(s);
    }
    fn fragment(&mut self, f: Fragment) {
        if !self.html.is_empty() {
            self.frags
                .push(Fragment::Html(std::mem::take(&mut self.html)));
        }
        self.frags.push(f);
    }
    fn finish(mut self) -> Vec<Fragment> {
        if !self.html.is_empty() {
            self.frags.push(Fragment::Html(self.html));
        }
        self.frags
    }
}

struct HeadingInfo {
    id: String,
    attrs: Attrs,
}

/// Renders a prepared page body.
pub fn render(
    prepared: &Prepared,
    source: &SourceText,
    ctx: &MarkdownContext,
    diags: &mut Diagnostics,
) -> Body {
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(&prepared.text, options())
            .into_offset_iter()
            .collect();
    let src = |out: usize| prepared.to_source(out);

    // Pair every Start with its End.
    let mut end_of = vec![usize::MAX; events.len()];
    let mut stack = Vec::new();
    for (i, (e, _)) in events.iter().enumerate() {
        match e {
            Event::Start(_) => stack.push(i),
            Event::End(_) => {
                if let Some(s) = stack.pop() {
                    end_of[s] = i;
                }
            }
            _ => {}
        }
    }

    // Lists and block quotes deeper than MAX_BLOCK_NESTING are shown flat:
    // their tags are left out (the content stays).
    let mut flattened = vec![false; events.len()];
    let mut depth = 0usize;
    let mut too_deep_at = None;
    for (i, (e, range)) in events.iter().enumerate() {
        if let Event::Start(Tag::List(_) | Tag::BlockQuote(_)) = e {
            depth += 1;
            if depth > MAX_BLOCK_NESTING {
                too_deep_at.get_or_insert(range.start);
            }
        }
        if depth > MAX_BLOCK_NESTING
            && matches!(
                e,
                Event::Start(Tag::List(_) | Tag::Item | Tag::BlockQuote(_))
                    | Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_))
            )
        {
            flattened[i] = true;
        }
        if let Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) = e {
            depth = depth.saturating_sub(1);
        }
    }
    if let Some(at) = too_deep_at {
        let at = src(at);
        diags.push(
            Diagnostic::at(
                Code::NestingTooDeep,
                source,
                at,
                at + 1,
                format!(
                    "lists and block quotes are nested more than {MAX_BLOCK_NESTING} levels deep; deeper levels are shown flat"
                ),
            )
            .with_hint("restructure the text; nesting this deep cannot be read"),
        );
    }

    let mut body = Body::default();

    // Headings: explicit attribute lists, then ids (explicit ones first).
    let mut ids = IdRegistry::default();
    let mut heading_info: HashMap<usize, HeadingInfo> = HashMap::default();
    let mut heading_starts = Vec::new();
    for i in 0..events.len() {
        if !matches!(events[i].0, Event::Start(Tag::Heading { .. })) {
            continue;
        }
        let end = end_of[i];
        let mut attrs = Attrs::default();
        if end > i + 1 {
            if let Event::Text(t) = &events[end - 1].0 {
                if let Some((before, a)) = attr_list::split_trailing(t) {
                    let before = before.to_string();
                    attrs = a;
                    events[end - 1].0 = Event::Text(CowStr::from(before));
                }
            }
        }
        if let Some(id) = &attrs.id {
            if !ids.reserve(id) {
                let r = &events[i].1;
                diags.push(
                    Diagnostic::at(
                        Code::DuplicateHeadingId,
                        source,
                        src(r.start),
                        src(r.start) + 1,
                        format!("heading id `{id}` is used twice in this page"),
                    )
                    .with_hint("give one of the headings another `{ #id }`"),
                );
            }
        }
        heading_starts.push(i);
        heading_info.insert(
            i,
            HeadingInfo {
                id: attrs.id.clone().unwrap_or_default(),
                attrs,
            },
        );
    }
    let first_block = events
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(_)));
    let leading_h1 = first_block.filter(|&i| {
        matches!(
            events[i].0,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        ) && heading_info[&i].attrs.id.is_none()
    });
    for &i in &heading_starts {
        if Some(i) == leading_h1 {
            continue;
        }
        if heading_info[&i].id.is_empty() {
            let text = plain_text(&events[i + 1..end_of[i]]);
            let id = ids.unique(&slugify(&text));
            heading_info.get_mut(&i).unwrap().id = id;
        }
    }

    // Block ids at the end of paragraphs, list items and table rows.
    let mut block_at: HashMap<usize, String> = HashMap::default();
    let mut block_end_at: HashMap<usize, usize> = HashMap::default();
    let mut block_ids_seen = IdRegistry::default();
    for i in 0..events.len() {
        let last_text = match &events[i].0 {
            Event::Start(Tag::Paragraph) => last_inline_text(&events, i + 1, end_of[i]),
            Event::Start(Tag::Item) => {
                let mut j = i + 1;
                while j < end_of[i] && is_inline(&events[j].0) {
                    j += 1;
                }
                last_inline_text(&events, i + 1, j)
            }
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => {
                let end = end_of[i];
                if end >= 2 && matches!(events[end - 1].0, Event::End(TagEnd::TableCell)) {
                    let mut cell_start = end - 1;
                    while cell_start > i
                        && !matches!(events[cell_start].0, Event::Start(Tag::TableCell))
                    {
                        cell_start -= 1;
                    }
                    last_inline_text(&events, cell_start + 1, end - 1)
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(k) = last_text else { continue };
        let Event::Text(t) = &events[k].0 else {
            continue;
        };
        let Some((before, id)) = block_id::split(t) else {
            continue;
        };
        let (before, id) = (before.to_string(), id.to_string());
        let r = events[k].1.clone();
        let at = src(r.start) + t.rfind('^').unwrap_or(0);
        if !block_ids_seen.reserve(&id) {
            diags.push(
                Diagnostic::at(
                    Code::DuplicateBlockId,
                    source,
                    at,
                    at + id.len() + 1,
                    format!("block id `^{id}` is used twice in this page"),
                )
                .with_hint("block ids must be unique within a page")
                .with_related_opt(
                    source,
                    body.blocks
                        .iter()
                        .find(|b| b.id == id)
                        .map(|b| b.span.start),
                    "the first block with this id",
                ),
            );
            events[k].0 = Event::Text(CowStr::from(before));
            continue;
        }
        events[k].0 = Event::Text(CowStr::from(before));
        let text = plain_text(&events[i + 1..end_of[i]]).trim().to_string();
        let first =
            (i + 1..end_of[i]).find(|&j| !matches!(events[j].0, Event::Start(Tag::Paragraph)));
        let term = first
            .filter(|&j| matches!(events[j].0, Event::Start(Tag::Strong)))
            .map(|j| plain_text(&events[j + 1..end_of[j]]).trim().to_string())
            .filter(|t| !t.is_empty());
        body.blocks.push(Block {
            id: id.clone(),
            text,
            term,
            span: Span {
                start: at,
                end: at + id.len() + 1,
            },
        });
        block_at.insert(i, id);
        block_end_at.insert(end_of[i], body.blocks.len() - 1);
    }

    // Attribute lists right after links and images.
    let mut link_attrs: HashMap<usize, Attrs> = HashMap::default();
    for i in 0..events.len() {
        if !matches!(
            events[i].0,
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. })
        ) {
            continue;
        }
        let after = end_of[i] + 1;
        if let Some((Event::Text(t), _)) = events.get(after) {
            if let Some((attrs, rest)) = attr_list::split_leading(t) {
                let rest = rest.to_string();
                link_attrs.insert(i, attrs);
                events[after].0 = Event::Text(CowStr::from(rest));
            }
        }
    }

    let mut r = Renderer {
        ctx,
        source,
        prepared,
        diags,
        body,
        sink: Sink::default(),
        footnote_sinks: Vec::new(),
        footnotes: HashMap::default(),
        footnote_refs: Vec::new(),
        footnote_ref_at: HashMap::default(),
        table_align: Vec::new(),
        table_cell: 0,
        in_table_head: false,
        code: None,
        code_map: Vec::new(),
        diagrams: 0,
        layout_spent: 0,
        image: None,
        heading: None,
        section: Section::default(),
        section_excluded: false,
        skip_until: None,
        html_block: None,
        open_links: Vec::new(),
    };
    for (i, (event, range)) in events.iter().enumerate() {
        if let Some(end) = r.skip_until {
            if i <= end {
                if i == end {
                    r.skip_until = None;
                }
                continue;
            }
        }
        if Some(i) == leading_h1 {
            r.body.leading_h1 = Some(plain_text(&events[i + 1..end_of[i]]).trim().to_string());
            r.skip_until = Some(end_of[i]);
            continue;
        }
        if let (Some(&b), Event::End(TagEnd::Paragraph | TagEnd::Item)) =
            (block_end_at.get(&i), event)
        {
            r.out().fragment(Fragment::BlockEnd(b));
        }
        if flattened[i] {
            continue;
        }
        r.event(
            i,
            event,
            range.clone(),
            &heading_info,
            &block_at,
            &link_attrs,
            &events,
            &end_of,
        );
    }
    r.finish()
}

fn is_inline(e: &Event) -> bool {
    match e {
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}

/// Index of the last text event in `events[from..to]`, if it is the last
/// inline content there.
fn last_inline_text(
    events: &[(Event, std::ops::Range<usize>)],
    from: usize,
    to: usize,
) -> Option<usize> {
    let mut k = to;
    while k > from {
        k -= 1;
        match &events[k].0 {
            Event::Text(_) => return Some(k),
            Event::SoftBreak | Event::HardBreak => continue,
            _ => return None,
        }
    }
    None
}

fn plain_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

struct Renderer<'a, 'c> {
    ctx: &'a MarkdownContext<'c>,
    source: &'a SourceText,
    prepared: &'a Prepared,
    diags: &'a mut Diagnostics,
    body: Body,
    sink: Sink,
    footnote_sinks: Vec<(String, Sink)>,
    /// (label, fragments) of finished footnote definitions.
    /// (The first definition of a label wins.)
    footnotes: HashMap<String, Vec<Fragment>>,
    /// Labels in order of first reference, with reference counts.
    footnote_refs: Vec<(String, usize)>,
    /// Label → index in `footnote_refs`.
    footnote_ref_at: HashMap<String, usize>,
    table_align: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
    code: Option<(String, String)>,
    /// Where each piece of the current code block's text starts: (offset
    /// in the code, offset in the prepared text).
    code_map: Vec<(usize, usize)>,
    /// Diagrams drawn so far on the page.
    diagrams: usize,
    /// The layout size of the page's diagrams so far.
    layout_spent: usize,
    image: Option<(usize, String)>,
    heading: Option<u8>,
    section: Section,
    section_excluded: bool,
    skip_until: Option<usize>,
    html_block: Option<(usize, String, bool)>,
    open_links: Vec<usize>,
}

impl Renderer<'_, '_> {
    fn src(&self, out: usize) -> usize {
        self.prepared.to_source(out)
    }

    fn out(&mut self) -> &mut Sink {
        match self.footnote_sinks.last_mut() {
            Some((_, s)) => s,
            None => &mut self.sink,
        }
    }

    fn push(&mut self, s: &str) {
        self.out().push(s);
    }

    fn section_text(&mut self, t: &str) {
        if !self.section_excluded && self.footnote_sinks.is_empty() {
            self.section.text.push_str(t);
        }
    }

    fn text(&mut self, t: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(t);
            return;
        }
        if let Some((_, alt)) = &mut self.image {
            alt.push_str(t);
            return;
        }
        if let Some(link) = self.current_link_text() {
            link.push_str(t);
        }
        self.section_text(t);
        // Straight into the output: text is most of a page.
        let (ctx, in_heading) = (self.ctx, self.heading.is_some());
        let html = &mut self.out().html;
        if in_heading {
            push_escaped(html, t);
        } else {
            ctx.abbreviations.push_text(html, t);
        }
    }

    /// Text with icon shortcodes: each becomes its icon's SVG, or stays
    /// as text and is reported when the icon is not installed.
    fn text_with_icons(
        &mut self,
        t: &str,
        found: &[icons::Shortcode],
        range: std::ops::Range<usize>,
    ) {
        let written = self.prepared.text.get(range.clone()).unwrap_or("");
        let mut last = 0;
        for sc in found {
            self.text(&t[last..sc.start]);
            last = sc.end;
            let code = &t[sc.start..sc.end];
            let shown = &self.ctx.icons.shown;
            let problem = match self.ctx.icons.get(sc.name) {
                Some(Ok(svg)) => {
                    self.push(svg);
                    continue;
                }
                Some(Err(Missing::Package { package })) => (
                    format!("icon `{code}`: the icon set `{package}` is not installed in `{shown}`"),
                    format!("install the npm package `{package}` into `{shown}` (`npm install {package}` in the site folder), or point site.toml's `[markdown] icons` (or `--icons`) at the folder that holds it; the shortcode is shown as text"),
                ),
                Some(Err(Missing::Icon { file })) => (
                    format!("icon `{code}` does not exist: there is no `{shown}/{file}`"),
                    "check the icon's name in its icon set; the shortcode is shown as text".to_string(),
                ),
                Some(Err(Missing::Unusable { file, why })) => (
                    format!("icon `{code}` cannot be used: `{shown}/{file}`: {why}"),
                    "the shortcode is shown as text".to_string(),
                ),
                None => (
                    format!("icon `{code}` was not read"),
                    "build the site again; the shortcode is shown as text".to_string(),
                ),
            };
            let at = range.start + written.find(code).unwrap_or(0);
            let from = self.src(at);
            let len = if written.contains(code) {
                code.len()
            } else {
                1
            };
            self.diags.push(
                Diagnostic::at(Code::MissingIcon, self.source, from, from + len, problem.0)
                    .with_hint(problem.1),
            );
            self.text(code);
        }
        self.text(&t[last..]);
    }

    fn current_link_text(&mut self) -> Option<&mut String> {
        let open = self.open_links.last().copied()?;
        self.body.links.get_mut(open).map(|l| &mut l.text)
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        i: usize,
        event: &Event,
        range: std::ops::Range<usize>,
        headings: &HashMap<usize, HeadingInfo>,
        blocks: &HashMap<usize, String>,
        link_attrs: &HashMap<usize, Attrs>,
        events: &[(Event, std::ops::Range<usize>)],
        end_of: &[usize],
    ) {
        if let Some((_, html, trusted)) = &mut self.html_block {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => {
                    html.push_str(h);
                    if !self.prepared.is_synthetic(range.start) {
                        *trusted = false;
                    }
                    return;
                }
                Event::End(TagEnd::HtmlBlock) => {
                    let (start, html, trusted) = self.html_block.take().unwrap_or_default();
                    self.html_block_done(start, &html, trusted);
                    return;
                }
                _ => {}
            }
        }
        let id_attr = |i: usize| -> String {
            blocks
                .get(&i)
                .map(|id| format!(" id=\"^{}\"", escape_html(id)))
                .unwrap_or_default()
        };
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    let s = format!("<p{}>", id_attr(i));
                    self.push(&s);
                }
                Tag::Heading { level, .. } => {
                    let n = *level as u8;
                    let info = &headings[&i];
                    let mut own = info.attrs.clone();
                    let at = self.src(range.start);
                    self.style_attribute(&mut own, at);
                    let mut attrs = format!(" id=\"{}\"", escape_html(&info.id));
                    if !own.classes.is_empty() {
                        attrs.push_str(&format!(
                            " class=\"{}\"",
                            escape_html(&own.classes.join(" "))
                        ));
                    }
                    for (k, v) in &own.pairs {
                        if is_safe_attribute(k) {
                            attrs.push_str(&format!(" {}=\"{}\"", escape_html(k), escape_html(v)));
                        }
                    }
                    self.push(&format!("<h{n}{attrs}>"));
                    self.heading = Some(n);
                    let text = plain_text(&events[i + 1..end_of[i]]).trim().to_string();
                    let exclude = info.attrs.has("data-search-exclude");
                    if self.footnote_sinks.is_empty() {
                        let finished = std::mem::replace(
                            &mut self.section,
                            Section {
                                heading: text.clone(),
                                anchor: info.id.clone(),
                                level: n,
                                text: String::new(),
                            },
                        );
                        if !finished.text.trim().is_empty() || !finished.heading.is_empty() {
                            self.body.sections.push(finished);
                        }
                        self.section_excluded = exclude;
                    }
                    let start = self.src(range.start);
                    self.body.headings.push(Heading {
                        level: n,
                        id: info.id.clone(),
                        text,
                        span: Span {
                            start,
                            end: start + 1,
                        },
                        search_exclude: exclude,
                    });
                }
                Tag::BlockQuote(_) => self.push("<blockquote>\n"),
                Tag::CodeBlock(kind) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    self.code = Some((lang, String::new()));
                    self.code_map.clear();
                }
                Tag::HtmlBlock => {
                    self.html_block = Some((range.start, String::new(), true));
                }
                Tag::List(Some(1)) => self.push("<ol>\n"),
                Tag::List(Some(n)) => {
                    let s = format!("<ol start=\"{n}\">\n");
                    self.push(&s);
                }
                Tag::List(None) => self.push("<ul>\n"),
                Tag::Item => {
                    let task = matches!(events.get(i + 1), Some((Event::TaskListMarker(_), _)))
                        || matches!(
                            (events.get(i + 1), events.get(i + 2)),
                            (
                                Some((Event::Start(Tag::Paragraph), _)),
                                Some((Event::TaskListMarker(_), _))
                            )
                        );
                    let class = if task {
                        " class=\"task-list-item\""
                    } else {
                        ""
                    };
                    let s = format!("<li{}{class}>", id_attr(i));
                    self.push(&s);
                }
                Tag::FootnoteDefinition(label) => {
                    self.footnote_sinks
                        .push((label.to_string(), Sink::default()));
                }
                Tag::Table(align) => {
                    self.table_align = align.clone();
                    self.push("<div class=\"table-wrap\" tabindex=\"0\"><table>\n");
                }
                Tag::TableHead => {
                    self.in_table_head = true;
                    self.table_cell = 0;
                    let s = format!("<thead>\n<tr{}>", id_attr(i));
                    self.push(&s);
                }
                Tag::TableRow => {
                    self.table_cell = 0;
                    let s = format!("<tr{}>", id_attr(i));
                    self.push(&s);
                }
                Tag::TableCell => {
                    let tag = if self.in_table_head { "th" } else { "td" };
                    let class = match self.table_align.get(self.table_cell) {
                        Some(Alignment::Left) => " class=\"align-left\"",
                        Some(Alignment::Center) => " class=\"align-center\"",
                        Some(Alignment::Right) => " class=\"align-right\"",
                        _ => "",
                    };
                    let scope = if self.in_table_head {
                        " scope=\"col\""
                    } else {
                        ""
                    };
                    let s = format!("<{tag}{class}{scope}>");
                    self.push(&s);
                }
                Tag::Emphasis => self.push("<em>"),
                Tag::Strong => self.push("<strong>"),
                Tag::Strikethrough => self.push("<del>"),
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                } => {
                    let kind = match link_type {
                        LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                        _ => LinkKind::Link,
                    };
                    let dest = if *link_type == LinkType::Email && !dest_url.starts_with("mailto:")
                    {
                        format!("mailto:{dest_url}")
                    } else {
                        dest_url.to_string()
                    };
                    let attrs = self.link_attrs(link_attrs.get(&i), range.start);
                    let idx = self.record_link(kind, &dest, title, range.clone(), attrs);
                    self.open_links.push(idx);
                    self.out().fragment(Fragment::LinkOpen(idx));
                }
                Tag::Image {
                    dest_url, title, ..
                } => {
                    let attrs = self.link_attrs(link_attrs.get(&i), range.start);
                    let idx =
                        self.record_link(LinkKind::Image, dest_url, title, range.clone(), attrs);
                    self.image = Some((idx, String::new()));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => self.push("</p>\n"),
                TagEnd::Heading(level) => {
                    let s = format!("</h{}>\n", *level as u8);
                    self.push(&s);
                    self.heading = None;
                }
                TagEnd::BlockQuote(_) => self.push("</blockquote>\n"),
                TagEnd::CodeBlock => {
                    if let Some((lang, code)) = self.code.take() {
                        if lang == "mermaid" {
                            self.body.has_mermaid = true;
                            self.diagram(&code);
                        } else {
                            self.body.has_code = true;
                            let html = self.ctx.highlighter.block(&lang, &code);
                            self.push(&html);
                        }
                    }
                }
                TagEnd::HtmlBlock => {}
                TagEnd::List(true) => self.push("</ol>\n"),
                TagEnd::List(false) => self.push("</ul>\n"),
                TagEnd::Item => self.push("</li>\n"),
                TagEnd::FootnoteDefinition => {
                    if let Some((label, sink)) = self.footnote_sinks.pop() {
                        self.footnotes.entry(label).or_insert_with(|| sink.finish());
                    }
                }
                TagEnd::Table => self.push("</tbody>\n</table></div>\n"),
                TagEnd::TableHead => {
                    self.in_table_head = false;
                    self.push("</tr>\n</thead>\n<tbody>\n");
                }
                TagEnd::TableRow => self.push("</tr>\n"),
                TagEnd::TableCell => {
                    let tag = if self.in_table_head { "th" } else { "td" };
                    let s = format!("</{tag}>");
                    self.push(&s);
                    self.table_cell += 1;
                }
                TagEnd::Emphasis => self.push("</em>"),
                TagEnd::Strong => self.push("</strong>"),
                TagEnd::Strikethrough => self.push("</del>"),
                TagEnd::Link => {
                    if let Some(idx) = self.open_links.pop() {
                        self.out().fragment(Fragment::LinkClose(idx));
                    }
                }
                TagEnd::Image => {
                    if let Some((idx, alt)) = self.image.take() {
                        self.body.links[idx].text = alt;
                        self.out().fragment(Fragment::Image(idx));
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, code)) = &self.code {
                    self.code_map.push((code.len(), range.start));
                } else if self.image.is_none() && t.contains(':') {
                    let found = icons::shortcodes(t);
                    if !found.is_empty() {
                        self.text_with_icons(t, &found, range);
                        return;
                    }
                }
                self.text(t)
            }
            Event::Code(t) => {
                if let Some((_, alt)) = &mut self.image {
                    alt.push_str(t);
                    return;
                }
                self.section_text(t);
                if let Some(link) = self.current_link_text() {
                    link.push_str(t);
                }
                let s = format!("<code>{}</code>", escape_html(t));
                self.push(&s);
            }
            Event::Html(h) | Event::InlineHtml(h) => self.inline_html(h, range),
            Event::SoftBreak => {
                self.section_text(" ");
                if self.image.is_none() {
                    self.push("\n");
                }
            }
            Event::HardBreak => {
                self.section_text(" ");
                self.push("<br>\n");
            }
            Event::Rule => self.push("<hr>\n"),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let (n, count) = match self.footnote_ref_at.get(&label).copied() {
                    Some(p) => {
                        self.footnote_refs[p].1 += 1;
                        (p + 1, self.footnote_refs[p].1)
                    }
                    None => {
                        self.footnote_ref_at
                            .insert(label.clone(), self.footnote_refs.len());
                        self.footnote_refs.push((label.clone(), 1));
                        (self.footnote_refs.len(), 1)
                    }
                };
                let id = slugify(&label);
                let ref_id = if count == 1 {
                    format!("fnref-{id}")
                } else {
                    format!("fnref-{id}-{count}")
                };
                let s = format!("<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\">{n}</a></sup>");
                self.push(&s);
            }
            Event::TaskListMarker(checked) => {
                let (c, label) = if *checked {
                    (" checked", self.ctx.strings.get("task_done"))
                } else {
                    ("", self.ctx.strings.get("task_open"))
                };
                let s = format!(
                    "<input type=\"checkbox\" disabled{c} aria-label=\"{}\"> ",
                    escape_html(&label)
                );
                self.push(&s);
            }
            _ => {}
        }
    }

    fn record_link(
        &mut self,
        kind: LinkKind,
        dest: &str,
        title: &str,
        range: std::ops::Range<usize>,
        attrs: Option<Attrs>,
    ) -> usize {
        let written = &self.prepared.text[range.clone()];
        let at = if dest.is_empty() {
            written.find("()").map(|i| i + 1)
        } else {
            written.rfind(dest).or_else(|| written.find('('))
        };
        let start = self.src(range.start + at.unwrap_or(0));
        let len = if at.is_some() { dest.len().max(1) } else { 1 };
        self.body.links.push(Link {
            dest: dest.to_string(),
            title: title.to_string(),
            kind,
            span: Span {
                start,
                end: start + len,
            },
            attrs: attrs.unwrap_or_default(),
            text: String::new(),
        });
        self.body.links.len() - 1
    }

    fn inline_html(&mut self, h: &str, range: std::ops::Range<usize>) {
        if self.code.is_some() {
            return;
        }
        let t = h.trim();
        let is_comment = t.starts_with("<!--");
        if !is_comment && !self.ctx.allow_raw_html && !self.prepared.is_synthetic(range.start) {
            self.raw_html_error(range.start, h);
            let s = escape_html(h);
            self.push(&s);
            return;
        }
        self.push_raw(range.start, h);
    }

    /// Pushes raw HTML that starts at `start` (of the prepared text) without
    /// the parts the Content-Security-Policy would block: event handlers
    /// and `javascript:` URLs are reported and removed; anchors that open
    /// the decision aid become links to it.
    fn push_raw(&mut self, start: usize, html: &str) {
        let raw_html::Cleaned {
            pieces,
            removed,
            styles,
            refused,
        } = raw_html::clean(html);
        for rule in styles {
            self.add_style(rule);
        }
        for r in refused {
            let (from, to) = (self.src(start + r.start), self.src(start + r.end));
            self.refused_style(from, to, &r.why);
        }
        for r in removed.iter().filter(|r| !r.understood) {
            let (from, to) = (self.src(start + r.start), self.src(start + r.end));
            let what = if r.name.to_ascii_lowercase().starts_with("on") {
                format!("event handler `{}`", r.name)
            } else {
                format!("`javascript:` URL in `{}`", r.name)
            };
            self.diags.push(
                Diagnostic::at(
                    Code::InlineScript,
                    self.source,
                    from,
                    to.max(from + 1),
                    format!("the {what} is removed: the site's Content-Security-Policy does not run inline scripts"),
                )
                .with_hint("link to a page instead, or add behaviour with a script file in static/ (site.toml `extra_js`)"),
            );
        }
        for piece in pieces {
            match piece {
                raw_html::Piece::Html(h) => self.push(&h),
                raw_html::Piece::AidAnchor { link, attrs } => {
                    let mut a = Attrs::default();
                    for (k, v) in attrs {
                        match k.to_ascii_lowercase().as_str() {
                            "class" => a.classes.extend(v.split_whitespace().map(str::to_string)),
                            "id" => a.id = Some(v),
                            _ => a.pairs.push((k, v)),
                        }
                    }
                    let at = self.src(start);
                    self.body.links.push(Link {
                        dest: link.target().to_string(),
                        title: String::new(),
                        kind: LinkKind::Link,
                        span: Span {
                            start: at,
                            end: at + 1,
                        },
                        attrs: a,
                        text: String::new(),
                    });
                    let idx = self.body.links.len() - 1;
                    self.out().fragment(Fragment::LinkOpen(idx));
                }
            }
        }
    }

    /// The source offset of offset `at` of the current code block's text.
    fn code_source(&self, at: usize) -> usize {
        let i = self.code_map.partition_point(|&(c, _)| c <= at);
        match i.checked_sub(1).and_then(|i| self.code_map.get(i)) {
            Some(&(c, out)) => self.src(out + (at - c)),
            None => self.code_map.first().map_or(0, |&(_, out)| self.src(out)),
        }
    }

    /// A Mermaid diagram, drawn at build time (see [`super::diagram`]).
    fn diagram(&mut self, code: &str) {
        let strings = self.ctx.strings;
        let texts = diagram::Texts {
            diagram: strings.get("diagram_label"),
            as_text: strings.get("diagram_text"),
            to: strings.get("diagram_to"),
        };
        let here = self.code_source(0);
        let warn = |r: &mut Self, from: usize, to: usize, msg: String, hint: &str| {
            r.diags.push(
                Diagnostic::at(Code::Diagram, r.source, from, to.max(from + 1), msg)
                    .with_hint(hint.to_string()),
            );
        };
        let (chart, problems) = match mermaid::parse(code) {
            Ok(x) => x,
            Err(why) => {
                let kind = match &why {
                    mermaid::NotAFlowchart::Kind(k) => k.clone(),
                    mermaid::NotAFlowchart::Empty => String::new(),
                };
                let msg = if kind.is_empty() {
                    "the Mermaid diagram is empty".to_string()
                } else {
                    format!("Mermaid diagrams of the kind `{kind}` are not drawn")
                };
                warn(self, here, here + 1, msg, "kader draws Mermaid flowcharts (`flowchart` or `graph`); the page shows a note instead");
                let note = strings
                    .get("diagram_unsupported")
                    .replace("{kind}", if kind.is_empty() { "?" } else { &kind });
                let html = format!(
                    "<figure class=\"diagram diagram-unsupported\"><figcaption>{}</figcaption></figure>\n",
                    escape_html(&note)
                );
                self.push(&html);
                return;
            }
        };
        for p in &problems {
            let (from, to) = (self.code_source(p.start), self.code_source(p.end));
            warn(
                self,
                from,
                to,
                format!("Mermaid: {}", p.message),
                "the statement is left out of the drawing",
            );
        }
        let words: Vec<String> = chart
            .nodes
            .iter()
            .map(|n| n.label.join(" "))
            .chain(chart.subgraphs.iter().map(|s| s.title.clone()))
            .collect();
        self.section_text(&format!(" {} ", words.join(" ")));
        self.diagrams += 1;
        // The layouts of one page share a budget, so that a page of many
        // large diagrams cannot hold the build up.
        let size = diagram::layout_size(&chart);
        let drawn = if self.layout_spent + size > 4 * diagram::LAYOUT_BUDGET {
            Err(format!(
                "the page's diagrams are too large to lay out together (at most {} places for nodes and edge bends)",
                4 * diagram::LAYOUT_BUDGET
            ))
        } else {
            self.layout_spent += size;
            diagram::draw(&chart, self.diagrams, &texts)
        };
        let pieces = match drawn {
            Ok(p) => p,
            Err(why) => {
                warn(
                    self,
                    here,
                    here + 1,
                    format!("the diagram cannot be drawn: {why}"),
                    "its nodes and edges are shown as a list",
                );
                let mut p = vec![diagram::Piece::Html(format!(
                    "<figure class=\"diagram diagram-fallback\" id=\"diagram-{}\">\n",
                    self.diagrams
                ))];
                let order: Vec<usize> = (0..chart.nodes.len()).collect();
                p.extend(diagram::text_alternative(&chart, &texts, true, &order));
                p.push(diagram::Piece::Html("</figure>\n".into()));
                p
            }
        };
        let mut links: HashMap<usize, usize> = HashMap::default();
        let mut open = Vec::new();
        for piece in pieces {
            match piece {
                diagram::Piece::Html(h) => self.push(&h),
                diagram::Piece::LinkOpen(node) => {
                    let idx = match links.get(&node) {
                        Some(&i) => i,
                        None => {
                            let Some(l) = &chart.nodes[node].link else {
                                continue;
                            };
                            let (from, to) = (self.code_source(l.start), self.code_source(l.end));
                            self.body.links.push(Link {
                                dest: mermaid::file_relative(&l.href, self.ctx.url_folder),
                                title: String::new(),
                                kind: LinkKind::Diagram,
                                span: Span {
                                    start: from,
                                    end: to.max(from + 1),
                                },
                                attrs: Attrs::default(),
                                text: chart.nodes[node].label.join(" "),
                            });
                            let i = self.body.links.len() - 1;
                            links.insert(node, i);
                            i
                        }
                    };
                    open.push(idx);
                    self.out().fragment(Fragment::LinkOpen(idx));
                }
                diagram::Piece::LinkClose => {
                    if let Some(idx) = open.pop() {
                        self.out().fragment(Fragment::LinkClose(idx));
                    }
                }
            }
        }
    }

    /// Records an inline style turned into a class.
    fn add_style(&mut self, rule: StyleRule) {
        if !self.body.styles.contains(&rule) {
            self.body.styles.push(rule);
        }
    }

    fn refused_style(&mut self, from: usize, to: usize, why: &str) {
        self.diags.push(
            Diagnostic::at(
                Code::InlineStyle,
                self.source,
                from,
                to.max(from + 1),
                format!("the `style` attribute is removed: {why}"),
            )
            .with_hint("keep to plain declarations (`name: value; …`), or style the page from a stylesheet in static/ (site.toml `extra_css`)"),
        );
    }

    /// The attribute list of a link or image, its `style` made a class.
    fn link_attrs(&mut self, attrs: Option<&Attrs>, out: usize) -> Option<Attrs> {
        let mut attrs = attrs?.clone();
        let at = self.src(out);
        self.style_attribute(&mut attrs, at);
        Some(attrs)
    }

    /// Turns a `style` pair of an attribute list into a class.
    fn style_attribute(&mut self, attrs: &mut Attrs, at: usize) {
        let Some(pos) = attrs
            .pairs
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case("style"))
        else {
            return;
        };
        let (_, value) = attrs.pairs.remove(pos);
        match inline_style::convert(&value) {
            Ok(Some(rule)) => {
                attrs.classes.push(rule.class.clone());
                self.add_style(rule);
            }
            Ok(None) => {}
            Err(why) => self.refused_style(at, at + 1, &why),
        }
    }

    fn raw_html_error(&mut self, out_start: usize, h: &str) {
        let start = self.src(out_start);
        let len = h.trim_end().len().clamp(1, 60);
        self.diags.push(
            Diagnostic::at(
                Code::RawHtml,
                self.source,
                start,
                start + len,
                "raw HTML is not allowed in this site",
            )
            .with_hint("use Markdown, or set `markdown.allow_raw_html = true` in site.toml"),
        );
    }

    fn html_block_done(&mut self, start: usize, html: &str, trusted: bool) {
        let t = html.trim();
        if t.starts_with("<!--") && t.ends_with("-->") {
            let prepared = self.prepared;
            let recognized =
                directive::recognize(html, self.ctx.directives, |i| prepared.to_source(start + i));
            match recognized {
                Recognized::Directive(mut d) => {
                    if let Some(first) = d.args.get(directive::MAX_ARGUMENTS) {
                        self.diags.push(
                            Diagnostic::at(
                                Code::TooLarge,
                                self.source,
                                first.span.start,
                                first.span.end,
                                format!(
                                    "`{}` has {} arguments; only the first {} are used",
                                    d.name,
                                    d.args.len(),
                                    directive::MAX_ARGUMENTS
                                ),
                            )
                            .with_hint("a directive needs a few filters; split the list into several directives"),
                        );
                        d.args.truncate(directive::MAX_ARGUMENTS);
                    }
                    self.body.directives.push(d);
                    let idx = self.body.directives.len() - 1;
                    self.out().fragment(Fragment::Directive(idx));
                    return;
                }
                Recognized::Unknown {
                    name,
                    name_span,
                    suggestion,
                } => {
                    let hint = match &suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            let names: Vec<&str> =
                                self.ctx.directives.iter().map(String::as_str).collect();
                            format!("known directives: {}", names.join(", "))
                        }
                    };
                    self.diags.push(
                        Diagnostic::at(
                            Code::UnknownDirective,
                            self.source,
                            name_span.start,
                            name_span.end,
                            format!("unknown directive `{name}`"),
                        )
                        .with_hint(hint)
                        .with_fix_if(
                            self.source,
                            name_span.start,
                            name_span.end,
                            &name,
                            suggestion,
                        ),
                    );
                    return;
                }
                Recognized::Comment => {
                    self.push(html);
                    return;
                }
            }
        }
        if !trusted && !self.ctx.allow_raw_html {
            self.raw_html_error(start, html);
            let s = format!("<pre>{}</pre>\n", escape_html(html));
            self.push(&s);
            return;
        }
        self.push_raw(start, html);
    }

    fn finish(mut self) -> Body {
        if !self.section.text.trim().is_empty() || !self.section.heading.is_empty() {
            let s = std::mem::take(&mut self.section);
            self.body.sections.push(s);
        }
        if !self.footnote_refs.is_empty() {
            let label = escape_html(&self.ctx.strings.get("footnotes"));
            let back = escape_html(&self.ctx.strings.get("footnote_back"));
            self.sink.push(&format!(
                "<section class=\"footnotes\" aria-label=\"{label}\">\n<ol>\n"
            ));
            let refs = std::mem::take(&mut self.footnote_refs);
            for (label, _) in &refs {
                let id = slugify(label);
                self.sink.push(&format!("<li id=\"fn-{id}\">"));
                match self.footnotes.remove(label) {
                    Some(frags) => {
                        for f in frags {
                            match f {
                                Fragment::Html(h) => self.sink.push(&h),
                                other => self.sink.fragment(other),
                            }
                        }
                    }
                    None => {
                        self.diags.push(
                            Diagnostic::file(
                                Code::MarkdownStructure,
                                &self.source.path,
                                format!("footnote `[^{label}]` is referenced but never defined"),
                            )
                            .with_hint(format!("add a line `[^{label}]: …` to the page")),
                        );
                    }
                }
                self.sink.push(&format!(
                    " <a href=\"#fnref-{id}\" class=\"footnote-back\" aria-label=\"{back}\">↩</a></li>\n"
                ));
            }
            self.sink.push("</ol>\n</section>\n");
        }
        self.body.fragments = self.sink.finish();
        self.body.shrink();
        self.body
    }
}

impl Body {
    /// Gives back the room the body's text and lists grew into and do not
    /// use (see [`super::compact`]).
    fn shrink(&mut self) {
        for f in &mut self.fragments {
            if let Fragment::Html(h) = f {
                compact::string(h);
            }
        }
        compact::vec(&mut self.fragments);
        for s in &mut self.sections {
            compact::string(&mut s.text);
        }
        compact::vec(&mut self.sections);
        compact::vec(&mut self.links);
        compact::vec(&mut self.headings);
        compact::vec(&mut self.blocks);
        compact::vec(&mut self.directives);
        compact::vec(&mut self.styles);
    }
}

/// Attributes from attribute lists that are passed to the output; event
/// handlers and `style` (blocked by the Content-Security-Policy) are not.
pub fn is_safe_attribute(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !(n.starts_with("on")
        || n == "style"
        || n == "srcdoc"
        || n == "href"
        || n == "src"
        || n == "formaction")
}
