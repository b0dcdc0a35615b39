//! Stage 2, parse: front matter and Markdown of every page, in parallel.
//!
//! Each dialect extension has its own module: [`containers`] (admonitions,
//! collapsibles, tabs, abbreviation lines), [`attr_list`], [`block_id`],
//! [`abbr`], [`directive`], [`highlight`]; [`markdown`] drives pulldown-cmark
//! and produces [`Body`] fragments.

pub mod abbr;
pub mod attr_list;
pub mod block_id;
pub mod blocks_html;
pub mod compact;
pub mod containers;
pub mod decision_tree;
pub mod diagram;
pub mod directive;
pub mod escape;
pub mod front_matter;
pub mod highlight;
pub mod inline_style;
pub mod loose_links;
pub mod markdown;
pub mod mermaid;
pub mod raw_html;
pub mod slug;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::discover::icons::Icons;
use crate::discover::{AssetFile, PageSource, Sources};
use crate::theme::Theme;
use abbr::Abbreviations;
use front_matter::{FrontMatter, Schema};
use highlight::Highlighter;
use markdown::{Body, MarkdownContext};
use rayon::prelude::*;
use std::path::PathBuf;

/// The whole site, parsed.
#[derive(Debug)]
pub struct ParsedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub config_source: SourceText,
    pub theme: Theme,
    pub pages: Vec<ParsedPage>,
    pub assets: Vec<AssetFile>,
    pub static_files: Vec<AssetFile>,
    pub data_files: Vec<SourceText>,
    pub glossary: Abbreviations,
    /// Checked decision trees (invalid ones are reported and left out).
    pub trees: Vec<decision_tree::LoadedTree>,
    /// The figures of every tree read, for `kader check`'s summary.
    pub tree_reports: Vec<decision_tree::TreeReport>,
    /// Kept to parse changed pages again (`kader serve`).
    pub highlighter: Highlighter,
    /// The directive names the site knows, kept for the same reason.
    pub directive_names: Vec<String>,
    /// The icons of the pages' shortcodes, kept for the same reason.
    pub icons: Icons,
    /// Stylesheets, logo, favicon and git dates (see `discover`).
    pub extras: crate::discover::SiteExtras,
}

impl ParsedSite {
    /// Parses one page again (after it changed on disk), as `parse` would.
    pub fn reparse(&self, page: PageSource) -> ParsedPage {
        begin_page(page, &self.config, &self.theme).finish(
            &self.config,
            &self.theme,
            &self.glossary,
            &self.highlighter,
            &self.directive_names,
            &self.icons,
        )
    }
}

/// One page, parsed.
#[derive(Debug)]
pub struct ParsedPage {
    pub source: SourceText,
    pub content_path: String,
    pub lang: String,
    pub translation_key: String,
    pub collection: Option<String>,
    pub front: FrontMatter,
    pub body: Body,
    /// The problems found while parsing this page.
    pub diagnostics: Diagnostics,
    slug: String,
}

impl ParsedPage {
    /// The file stem without language suffix (`avg-dpia`); `index` pages use
    /// their folder name.
    pub fn slug(&self) -> &str {
        &self.slug
    }

    fn slug_of(translation_key: &str) -> String {
        let key = translation_key
            .trim_end_matches(".md")
            .trim_end_matches(".markdown");
        let stem = key.rsplit('/').next().unwrap_or(key);
        if stem == "index" {
            let dir = key.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            dir.rsplit('/').next().unwrap_or("").to_string()
        } else {
            stem.to_string()
        }
    }

    /// The heading shown on the page: the body's leading `# …`, else the title.
    pub fn heading(&self) -> String {
        self.body
            .leading_h1
            .clone()
            .or_else(|| self.front.title.clone())
            .unwrap_or_else(|| self.slug().to_string())
    }

    /// The one-line summary shown in lists: the `toelichting` field, else
    /// `summary`.
    pub fn list_summary(&self) -> Option<&String> {
        self.front
            .strings
            .get("toelichting")
            .or(self.front.summary.as_ref())
    }

    /// The title used in lists, navigation and `<title>`.
    pub fn title(&self) -> String {
        self.front
            .title
            .clone()
            .or_else(|| self.body.leading_h1.clone())
            .unwrap_or_else(|| self.slug().to_string())
    }
}

/// Parses every page of `sources`, recognising the directives named in
/// `directive_names`. Problems of the site as a whole go to `diags`; each
/// page keeps its own in [`ParsedPage::diagnostics`].
pub fn parse(
    sources: Sources,
    theme: Theme,
    directive_names: Vec<String>,
    diags: &mut Diagnostics,
) -> ParsedSite {
    let config = sources.config;
    let highlighter = Highlighter::default();
    let icons = sources.icons;
    // The decision trees (each walk of each replayed to check it) are read
    // while the pages are parsed. The glossary's matcher is built while the
    // pages' front matter is parsed: only their bodies need it.
    let glossary_source = &sources.glossary;
    let data_files = &sources.data_files;
    let mut glossary_diags = Diagnostics::new();
    let mut tree_diags = Diagnostics::new();
    let ((glossary, pages), (trees, tree_reports)) = rayon::join(
        || {
            let (glossary, begun) = rayon::join(
                || glossary_of(glossary_source.as_ref(), &mut glossary_diags),
                || begin_pages(sources.pages, &config, &theme),
            );
            let pages = finish_pages(
                begun,
                &config,
                &theme,
                &glossary,
                &highlighter,
                &directive_names,
                &icons,
            );
            (glossary, pages)
        },
        || decision_tree::load_trees(data_files, &config, &mut tree_diags),
    );
    diags.extend(glossary_diags);
    diags.extend(tree_diags);
    ParsedSite {
        root: sources.root,
        config,
        config_source: sources.config_source,
        theme,
        pages,
        assets: sources.assets,
        static_files: sources.static_files,
        data_files: sources.data_files,
        glossary,
        trees,
        tree_reports,
        highlighter,
        directive_names,
        icons,
        extras: sources.extras,
    }
}

/// The site's glossary as a matcher; problems of its lines go to `diags`.
fn glossary_of(glossary: Option<&SourceText>, diags: &mut Diagnostics) -> Abbreviations {
    match glossary {
        Some(g) => {
            let (defs, bad) = abbr::parse_glossary(&g.text);
            for line in bad {
                diags.push(
                    Diagnostic::at_line_col(
                        Code::MarkdownStructure,
                        g,
                        line,
                        1,
                        g.line_text(line).chars().count(),
                        "glossary line is not an abbreviation definition",
                    )
                    .with_hint("write each entry as `*[term]: definition`"),
                );
            }
            if defs.len() > abbr::MAX_ABBREVIATIONS {
                diags.push(
                    Diagnostic::file(
                        Code::TooLarge,
                        &g.path,
                        format!(
                            "the glossary defines {} abbreviations; only the first {} are used",
                            defs.len(),
                            abbr::MAX_ABBREVIATIONS
                        ),
                    )
                    .with_hint("keep the glossary to the terms readers need"),
                );
            }
            Abbreviations::new(defs.into_iter().take(abbr::MAX_ABBREVIATIONS))
        }
        None => Abbreviations::default(),
    }
}

/// Every page begun: front matter parsed, body prepared (in parallel).
fn begin_pages(pages: Vec<PageSource>, config: &SiteConfig, theme: &Theme) -> Vec<Begun> {
    pages
        .into_par_iter()
        .map(|page| begin_page(page, config, theme))
        .collect()
}

/// Every begun page parsed, with its own problems, in the order given.
fn finish_pages(
    begun: Vec<Begun>,
    config: &SiteConfig,
    theme: &Theme,
    glossary: &Abbreviations,
    highlighter: &Highlighter,
    directive_names: &[String],
    icons: &Icons,
) -> Vec<ParsedPage> {
    // The costliest first, so that no long page is left for one core at the
    // end: longer texts, and above all diagrams (laid out here) cost more.
    let cost = |b: &Begun| {
        let text = &b.page.source.text;
        text.len() + usize::from(text.contains("```mermaid")) * (1 << 20)
    };
    let mut order: Vec<(usize, Begun)> = begun.into_iter().enumerate().collect();
    order.sort_by_cached_key(|(_, b)| std::cmp::Reverse(cost(b)));
    let mut parsed: Vec<(usize, ParsedPage)> = order
        .into_par_iter()
        .map(|(i, b)| {
            let p = b.finish(config, theme, glossary, highlighter, directive_names, icons);
            (i, p)
        })
        .collect();
    parsed.sort_unstable_by_key(|(i, _)| *i);
    parsed.into_iter().map(|(_, p)| p).collect()
}

/// A page parsed up to its body: what needs neither the glossary nor the
/// highlighter.
struct Begun {
    page: PageSource,
    is_index: bool,
    collection: Option<String>,
    front: FrontMatter,
    prepared: containers::Prepared,
    diags: Diagnostics,
}

/// The first half of parsing a page: its front matter, and its body's
/// containers and abbreviation lines.
fn begin_page(page: PageSource, config: &SiteConfig, theme: &Theme) -> Begun {
    let mut own = Diagnostics::new();
    let diags = &mut own;
    let is_index =
        page.translation_key == "index.md" || page.translation_key.ends_with("/index.md");
    let collection = config
        .collection_for(&page.content_path)
        .filter(|_| !is_index)
        .map(str::to_string);
    let src = &page.source;
    let (front, body_start) = match front_matter::split(&src.text) {
        Ok((Some(span), body_start)) => {
            let schema = Schema {
                config,
                collection: collection.as_deref(),
            };
            (front_matter::parse(src, span, &schema, diags), body_start)
        }
        Ok((None, _)) => {
            if let Some(c) = &collection {
                let required: Vec<&str> = config.collections[c]
                    .fields
                    .iter()
                    .filter(|(_, f)| f.required)
                    .map(|(k, _)| k.as_str())
                    .collect();
                if !required.is_empty() {
                    diags.push(
                        Diagnostic::file(
                            Code::MissingField,
                            &src.path,
                            format!("page of collection `{c}` has no front matter"),
                        )
                        .with_hint(format!(
                            "start the file with a `---` block declaring {}",
                            required.join(", ")
                        ))
                        .with_fix_titled(
                            0,
                            0,
                            format!(
                                "---\n{}---\n",
                                required
                                    .iter()
                                    .map(|f| format!("{f}:\n"))
                                    .collect::<String>()
                            ),
                            "add front matter with the required fields",
                        ),
                    );
                }
            }
            (FrontMatter::default(), 0)
        }
        Err(span) => {
            diags.push(
                Diagnostic::at(
                    Code::UnclosedFrontMatter,
                    src,
                    span.start,
                    span.end,
                    "front matter starts with `---` but is never closed",
                )
                .with_hint("end the front matter with a line containing only `---`"),
            );
            (FrontMatter::default(), src.text.len())
        }
    };
    let prepared = containers::prepare(src, body_start, theme.strings(&page.lang), diags);
    Begun {
        page,
        is_index,
        collection,
        front,
        prepared,
        diags: own,
    }
}

impl Begun {
    /// The second half: the body rendered to fragments, with the glossary's
    /// and the page's own abbreviations.
    fn finish(
        self,
        config: &SiteConfig,
        theme: &Theme,
        glossary: &Abbreviations,
        highlighter: &Highlighter,
        directives: &[String],
        icons: &Icons,
    ) -> ParsedPage {
        let Begun {
            page,
            is_index,
            collection,
            front,
            prepared,
            mut diags,
        } = self;
        let src = page.source;
        let strings = theme.strings(&page.lang);
        let page_abbr;
        let abbreviations = if prepared.abbreviations.is_empty() {
            glossary
        } else {
            let room = abbr::MAX_ABBREVIATIONS.saturating_sub(glossary.len());
            if let Some(first) = prepared.abbreviations.get(room) {
                let end = first.offset + src.text[first.offset..].find('\n').unwrap_or(0);
                diags.push(
                    Diagnostic::at(
                        Code::TooLarge,
                        &src,
                        first.offset,
                        end,
                        format!(
                            "more than {} abbreviations (glossary and page together); this one and the ones after it are ignored",
                            abbr::MAX_ABBREVIATIONS
                        ),
                    )
                    .with_hint("define fewer abbreviations"),
                );
            }
            page_abbr = glossary.with(
                prepared
                    .abbreviations
                    .iter()
                    .take(room)
                    .map(|a| (a.term.clone(), a.definition.clone())),
            );
            &page_abbr
        };
        let slug = ParsedPage::slug_of(&page.translation_key);
        let ctx = MarkdownContext {
            strings,
            abbreviations,
            highlighter,
            directives,
            allow_raw_html: config.markdown.allow_raw_html,
            icons,
            url_folder: (!is_index).then_some(slug.as_str()),
        };
        let body = markdown::render(&prepared, &src, &ctx, &mut diags);
        ParsedPage {
            source: src,
            content_path: page.content_path,
            lang: page.lang,
            translation_key: page.translation_key,
            collection,
            front,
            body,
            diagnostics: diags,
            slug,
        }
    }
}
