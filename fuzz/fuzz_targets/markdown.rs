//! The Markdown dialect: a whole page through front matter, containers
//! (admonitions, collapsibles, tabs, abbreviation lines), attribute lists,
//! block ids, directives and pulldown-cmark, as `parse` does for each page.
#![no_main]

mod common;

use kader::diagnostics::{Diagnostics, SourceText};
use kader::parse::front_matter::{self, Schema};
use kader::parse::markdown::{self, Fragment, MarkdownContext};
use kader::parse::{abbr, containers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = common::env();
    let src = SourceText::new("content/vereisten/x.md", text);
    let mut diags = Diagnostics::new();
    let body_start = match front_matter::split(&src.text) {
        Ok((Some(span), body)) => {
            let schema = Schema {
                config: &env.config,
                collection: Some("vereisten"),
            };
            front_matter::parse(&src, span, &schema, &mut diags);
            body
        }
        Ok((None, _)) => 0,
        Err(_) => src.text.len(),
    };
    let lang = if data.len() % 3 == 0 { "en" } else { "nl" };
    let strings = env.theme.strings(lang);
    let prepared = containers::prepare(&src, body_start, strings, &mut diags);
    for i in 0..=prepared.text.len() {
        if prepared.text.is_char_boundary(i) {
            assert!(prepared.to_source(i) <= src.text.len());
        }
    }
    let page_abbr: abbr::Abbreviations;
    let abbreviations = if prepared.abbreviations.is_empty() {
        &env.glossary
    } else {
        page_abbr = env.glossary.with(
            prepared
                .abbreviations
                .iter()
                .map(|a| (a.term.clone(), a.definition.clone())),
        );
        &page_abbr
    };
    let ctx = MarkdownContext {
        strings,
        abbreviations,
        highlighter: &env.highlighter,
        directives: &env.directives,
        allow_raw_html: data.len() % 2 == 0,
        icons: &env.icons,
        url_folder: (data.len() % 5 != 0).then_some("x"),
    };
    let body = markdown::render(&prepared, &src, &ctx, &mut diags);
    for f in &body.fragments {
        match *f {
            Fragment::LinkOpen(n) | Fragment::LinkClose(n) | Fragment::Image(n) => {
                assert!(n < body.links.len())
            }
            Fragment::Directive(n) => assert!(n < body.directives.len()),
            Fragment::BlockEnd(n) => assert!(n < body.blocks.len()),
            Fragment::Html(_) => {}
        }
    }
    for l in &body.links {
        assert!(l.span.start <= l.span.end && l.span.end <= src.text.len() + 1);
    }
    common::check_diagnostics(&src, &diags.sorted());
});
