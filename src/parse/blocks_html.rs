//! Generic blocks of pymdownx.blocks: `/// html | tag#id.class[attr=value]`
//! … `///`, an HTML element around Markdown (pymdownx.blocks.html).
//!
//! A block opens with three or more slashes, a name and, after `|`, an
//! argument; indented `key: value` lines right after the header are its
//! options; it ends at a line of the same number of slashes. Blocks nest:
//! a block inside another either uses fewer slashes or is closed first.
//! [`super::containers`] rewrites a block into its element's start tag,
//! the body (processed like any other text) and the end tag.

use super::containers::{indent_cols, is_blank, process, Builder, Line, MAX_NESTING};
use super::escape::escape_html;
use crate::diagnostics::{Code, Diagnostic};

/// Longest selector read.
const MAX_SELECTOR: usize = 4096;

/// A block's header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// The number of slashes, which the closing line repeats.
    pub slashes: usize,
    /// `html`, or another block type.
    pub name: &'a str,
    /// The text after `|`, trimmed.
    pub argument: &'a str,
}

/// The header at the start of `line` (indentation already judged).
pub fn header(line: &str) -> Option<Header<'_>> {
    let t = line.trim();
    let slashes = t.bytes().take_while(|b| *b == b'/').count();
    if slashes < 3 {
        return None;
    }
    let rest = &t[slashes..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let (name, argument) = match rest.split_once('|') {
        Some((n, a)) => (n.trim(), a.trim()),
        None => (rest, ""),
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(Header {
        slashes,
        name,
        argument,
    })
}

/// Whether `line` closes a block of `slashes` slashes.
pub fn is_close(line: &str, slashes: usize) -> bool {
    let t = line.trim();
    t.len() == slashes && t.bytes().all(|b| b == b'/')
}

/// How the body of an html block is read (the `markdown` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Markdown (`auto`, `block`, `inline`; the default).
    Markdown,
    /// Raw HTML, passed on as written (`html`).
    Html,
    /// Text, shown as written (`raw`).
    Raw,
}

impl Mode {
    pub fn parse(v: &str) -> Option<Mode> {
        match v.trim().trim_matches(|c| c == '"' || c == '\'') {
            "auto" | "block" | "inline" => Some(Mode::Markdown),
            "html" => Some(Mode::Html),
            "raw" => Some(Mode::Raw),
            _ => None,
        }
    }
}

/// An element from a selector such as `div.grid#top[style='x: y' hidden]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub tag: String,
    /// Attributes in order; `id` and `class` merged into one each.
    pub attrs: Vec<(String, String)>,
}

impl Element {
    /// The start tag, attribute values escaped.
    pub fn start_tag(&self) -> String {
        let mut s = format!("<{}", self.tag);
        for (k, v) in &self.attrs {
            s.push(' ');
            s.push_str(k);
            s.push_str("=\"");
            s.push_str(&escape_html(v));
            s.push('"');
        }
        s.push('>');
        s
    }

    pub fn end_tag(&self) -> String {
        format!("</{}>", self.tag)
    }

    fn set(&mut self, name: &str, value: &str) {
        let name = name.to_ascii_lowercase();
        match self.attrs.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) if name == "class" => {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(value);
            }
            Some((_, v)) => *v = value.to_string(),
            None => self.attrs.push((name, value.to_string())),
        }
    }
}

/// Parses a selector; `Err` says what is wrong.
pub fn element(selector: &str) -> Result<Element, String> {
    if selector.len() > MAX_SELECTOR {
        return Err(format!(
            "the selector is longer than {MAX_SELECTOR} characters"
        ));
    }
    let s = selector.trim();
    let name_end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    let tag = &s[..name_end];
    if tag.is_empty() || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("an html block needs a tag name, e.g. `/// html | div.note`".into());
    }
    let mut el = Element {
        tag: tag.to_ascii_lowercase(),
        attrs: Vec::new(),
    };
    let mut rest = &s[name_end..];
    while let Some(c) = rest.chars().next() {
        match c {
            '.' | '#' => {
                let end = rest[1..]
                    .find(['.', '#', '['])
                    .map_or(rest.len(), |i| i + 1);
                let value = &rest[1..end];
                if value.is_empty() || value.contains(char::is_whitespace) {
                    return Err(format!("`{c}` must be followed by a name"));
                }
                el.set(if c == '.' { "class" } else { "id" }, value);
                rest = &rest[end..];
            }
            '[' => {
                let end = closing_bracket(rest)
                    .ok_or_else(|| "an attribute list `[…]` is not closed".to_string())?;
                attributes(&rest[1..end], &mut el)?;
                rest = &rest[end + 1..];
            }
            _ => return Err(format!("unexpected `{c}` in the selector")),
        }
    }
    Ok(el)
}

/// The index of the `]` closing the `[` at the start of `s`, outside quotes.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ']') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `key=value key2="a b" flag` inside brackets.
fn attributes(inner: &str, el: &mut Element) -> Result<(), String> {
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let valid = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if !valid {
            return Err(format!("`{name}` is not an attribute name"));
        }
        rest = &rest[name_end..];
        let value = if let Some(r) = rest.strip_prefix('=') {
            match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = r[1..]
                        .find(q)
                        .ok_or_else(|| format!("the value of `{name}` is not closed"))?;
                    rest = &r[close + 2..];
                    &r[1..close + 1]
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    rest = &r[end..];
                    &r[..end]
                }
            }
        } else {
            ""
        };
        el.set(name, value);
        rest = rest.trim_start();
    }
    Ok(())
}

/// Rewrites the block whose header is `lines[start]`; returns the index
/// of the line after it.
pub(super) fn rewrite(
    b: &mut Builder,
    lines: &[Line],
    start: usize,
    depth: usize,
    h: Header,
) -> usize {
    let head = lines[start];
    let warn = |b: &mut Builder, line: Line, msg: String, hint: &str| {
        let end = line.src + line.text.len();
        b.diags.push(
            Diagnostic::at(Code::MarkdownStructure, b.source, line.src, end, msg)
                .with_hint(hint.to_string()),
        );
    };
    // Options: indented `key: value` lines right after the header.
    let mut mode = Mode::Markdown;
    let mut i = start + 1;
    while let Some(&line) = lines.get(i) {
        if is_blank(line.text) || indent_cols(line.text) < 4 {
            break;
        }
        match line.text.trim().split_once(':') {
            Some(("markdown", v)) => match Mode::parse(v) {
                Some(m) => mode = m,
                None => warn(
                    b,
                    line,
                    format!("unknown `markdown` mode `{}`", v.trim()),
                    "use auto, block, inline, html or raw; the body is read as Markdown",
                ),
            },
            Some((key, _)) => warn(
                b,
                line,
                format!("block option `{}` is not supported", key.trim()),
                "kader reads only the `markdown` option; this one is ignored",
            ),
            None => break,
        }
        i += 1;
    }
    // The body: up to the closing line, past nested blocks and code fences.
    let body_start = i;
    let mut open = 0usize;
    let mut fence: Option<(char, usize)> = None;
    let mut close = None;
    while let Some(&line) = lines.get(i) {
        let t = line.text.trim_start();
        if let Some((ch, n)) = fence {
            let run = t.chars().take_while(|c| *c == ch).count();
            if run >= n && t[run..].trim().is_empty() {
                fence = None;
            }
        } else if let Some(ch) = t.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = t.chars().take_while(|c| *c == ch).count();
            if run >= 3 && !(ch == '`' && t[run..].contains('`')) {
                fence = Some((ch, run));
            }
        } else if is_close(line.text, h.slashes) {
            if open == 0 {
                close = Some(i);
                break;
            }
            open -= 1;
        } else if header(line.text).is_some_and(|n| n.slashes == h.slashes) {
            open += 1;
        }
        i += 1;
    }
    let body = &lines[body_start..i];
    let next = match close {
        Some(c) => c + 1,
        None => {
            warn(
                b,
                head,
                format!("the block is never closed by a line `{}`", "/".repeat(h.slashes)),
                "the block runs to the end of the page; close it with a line of as many slashes as it opens with",
            );
            lines.len()
        }
    };
    let close_src = close.map_or(head.src, |c| lines[c].src);
    if depth >= MAX_NESTING {
        warn(
            b,
            head,
            format!("blocks and containers are nested more than {MAX_NESTING} levels deep"),
            "the block's content is shown without it",
        );
        b.synthetic("", head.src);
        for &line in body {
            b.emit(line);
        }
        b.synthetic("", close_src);
        return next;
    }
    let element = if h.name == "html" {
        element(h.argument).map_err(|why| {
            (
                format!("html block `{}`: {why}", h.argument),
                "write `/// html | tag.class#id[attribute=value]`; the content is shown without the element",
            )
        })
    } else {
        Err((
            format!("block type `{}` is not supported", h.name),
            "kader supports `/// html | tag[…]` blocks (pymdownx.blocks.html); the content is shown without the block",
        ))
    };
    let element = match element {
        Ok(e) => e,
        Err((msg, hint)) => {
            warn(b, head, msg, hint);
            b.synthetic("", head.src);
            process(b, body, depth + 1);
            b.synthetic("", close_src);
            return next;
        }
    };
    b.synthetic("", head.src);
    b.generated(&element.start_tag(), head.src);
    match mode {
        Mode::Markdown => {
            b.synthetic("", head.src);
            process(b, body, depth + 1);
            b.synthetic("", close_src);
        }
        Mode::Html => {
            for &line in body.iter().filter(|l| !is_blank(l.text)) {
                b.emit(line);
            }
        }
        Mode::Raw => {
            for line in body.iter().filter(|l| !is_blank(l.text)) {
                b.synthetic(&escape_html(line.text), line.src);
            }
        }
    }
    b.generated(&element.end_tag(), close_src);
    b.synthetic("", close_src);
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_closing_lines() {
        let h = header("/// html | div[style='float: left; width: 50%;']").unwrap();
        assert_eq!(h.slashes, 3);
        assert_eq!(h.name, "html");
        assert_eq!(h.argument, "div[style='float: left; width: 50%;']");
        assert_eq!(header("//// note").unwrap().argument, "");
        assert!(header("///").is_none());
        assert!(header("// html | div").is_none());
        assert!(header("///html | div").is_none());
        assert!(header("/// ! | x").is_none());
        assert!(is_close("  ///  ", 3));
        assert!(!is_close("////", 3));
    }

    #[test]
    fn selectors() {
        let e = element("div.grid.cards#top[style='float: left; width: 50%;' data-x=1 hidden]")
            .unwrap();
        assert_eq!(e.tag, "div");
        assert_eq!(
            e.attrs,
            [
                ("class".to_string(), "grid cards".to_string()),
                ("id".into(), "top".into()),
                ("style".into(), "float: left; width: 50%;".into()),
                ("data-x".into(), "1".into()),
                ("hidden".into(), String::new()),
            ]
        );
        assert_eq!(
            e.start_tag(),
            "<div class=\"grid cards\" id=\"top\" style=\"float: left; width: 50%;\" data-x=\"1\" hidden=\"\">"
        );
        assert_eq!(e.end_tag(), "</div>");
        assert_eq!(element("section").unwrap().start_tag(), "<section>");
        let e = element("p[title='a \"b\" <c>']").unwrap();
        assert_eq!(e.start_tag(), "<p title=\"a &quot;b&quot; &lt;c&gt;\">");
    }

    #[test]
    fn bad_selectors_say_why() {
        for s in [
            "", "[x=1]", "div[x='1", "div[x=1", "div. x", "div[1=2]", "div%",
        ] {
            assert!(element(s).is_err(), "{s}");
        }
    }

    fn prep(text: &str) -> (super::super::containers::Prepared, Vec<Diagnostic>) {
        use crate::diagnostics::{Diagnostics, SourceText};
        let src = SourceText::new("p.md", text);
        let strings = crate::theme::Strings::for_tests();
        let mut d = Diagnostics::new();
        let p = super::super::containers::prepare(&src, 0, &strings, &mut d);
        (p, d.sorted())
    }

    #[test]
    fn an_html_block_wraps_its_markdown_body() {
        let text = "Voor\n\n/// html | div[style='float: left;']\n\n## Kop\n\n/// html | p.x\nBinnen\n///\n\n```\n///\n```\n///\n\nNa\n";
        let (p, d) = prep(text);
        assert!(d.is_empty(), "{d:?}");
        let mut squeezed = p.text.clone();
        while squeezed.contains("\n\n\n") {
            squeezed = squeezed.replace("\n\n\n", "\n\n");
        }
        assert_eq!(
            squeezed,
            "Voor\n\n<div style=\"float: left;\">\n\n## Kop\n\n<p class=\"x\">\n\nBinnen\n\n</p>\n\n```\n///\n```\n\n</div>\n\nNa\n"
        );
        // The start tag is the author's HTML, placed at the header.
        let at = p.text.find("<div").unwrap();
        assert!(!p.is_synthetic(at));
        assert!(p.is_synthetic(at + 1));
        assert_eq!(p.to_source(at + 10), text.find("/// html | div").unwrap());
        let kop = p.text.find("## Kop").unwrap();
        assert_eq!(p.to_source(kop), text.find("## Kop").unwrap());
    }

    #[test]
    fn more_slashes_enclose_blocks_with_fewer() {
        let (p, d) = prep("//// html | section\n/// html | div\nx\n///\ny\n////\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.text.matches("<section>").count(), 1);
        assert!(p.text.contains("</div>\n\ny\n\n</section>"), "{}", p.text);
    }

    #[test]
    fn modes_and_problems() {
        let (p, d) = prep("/// html | div\n    markdown: raw\n<b>*x*</b>\n///\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            p.text.contains("<div>\n&lt;b&gt;*x*&lt;/b&gt;\n</div>"),
            "{}",
            p.text
        );
        let (p, _) = prep("/// html | div\n    markdown: html\n<b>x</b>\n\n<i>y</i>\n///\n");
        assert!(
            p.text.contains("<div>\n<b>x</b>\n<i>y</i>\n</div>"),
            "{}",
            p.text
        );
        let (p, d) = prep("/// details | Meer\n    open: true\nTekst\n");
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            d.iter().filter(|d| d.code == "K0501").count(),
            3,
            "{msgs:?}"
        );
        assert!(msgs
            .iter()
            .any(|m| m.contains("`details` is not supported")));
        assert!(msgs.iter().any(|m| m.contains("never closed")));
        assert!(
            p.text.contains("Tekst") && !p.text.contains("///"),
            "{}",
            p.text
        );
        let (p, d) = prep("/// html | div[x='1\nTekst\n///\n");
        assert_eq!(d[0].code, "K0501");
        assert!(!p.text.contains("<div"), "{}", p.text);
    }
}
