//! Block containers of the dialect, handled before CommonMark parsing:
//! admonitions (`!!! type "Titel"`), collapsible blocks (`??? type`,
//! `???+ type`), tabbed blocks (`=== "Label"`), abbreviation definitions
//! (`*[term]: definition`), `markdown` attributes on HTML blocks and the
//! html blocks of pymdownx.blocks ([`blocks_html`]).
//!
//! Containers are rewritten into HTML wrapper lines around their dedented
//! bodies, so the whole page is still parsed by pulldown-cmark in one pass
//! (footnotes and reference links work across containers). A line map
//! translates every offset of the rewritten text back to the source.

use super::blocks_html;
use super::escape::escape_html;
use super::loose_links;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::theme::Strings;

/// Deepest nesting of containers accepted.
pub const MAX_NESTING: usize = 32;

/// The rewritten text and its mapping to the source.
#[derive(Debug)]
pub struct Prepared {
    pub text: String,
    lines: Vec<MappedLine>,
    /// The length of the source: no offset maps beyond it.
    source_len: usize,
    pub abbreviations: Vec<AbbrDef>,
}

#[derive(Debug, Clone, Copy)]
struct MappedLine {
    out: usize,
    src: usize,
    synthetic: bool,
}

/// `*[term]: definition` written in the page.
#[derive(Debug, Clone)]
pub struct AbbrDef {
    pub term: String,
    pub definition: String,
    pub offset: usize,
}

impl Prepared {
    fn line_index(&self, out: usize) -> usize {
        self.lines
            .partition_point(|l| l.out <= out)
            .saturating_sub(1)
    }

    /// The source offset of an offset in the rewritten text.
    pub fn to_source(&self, out: usize) -> usize {
        // (A source without a final newline gets one here, so the end of
        // the rewritten text may lie one past the end of the source.)
        match self.lines.get(self.line_index(out)) {
            Some(l) if l.synthetic => l.src,
            Some(l) => (l.src + (out - l.out)).min(self.source_len),
            None => 0,
        }
    }

    /// Whether the rewritten text at `out` was generated (not written by the author).
    pub fn is_synthetic(&self, out: usize) -> bool {
        self.lines
            .get(self.line_index(out))
            .is_some_and(|l| l.synthetic)
    }
}

#[derive(Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    pub(super) src: usize,
}

pub(super) struct Builder<'a> {
    out: Prepared,
    strings: &'a Strings,
    pub(super) source: &'a SourceText,
    pub(super) diags: &'a mut Diagnostics,
    tabsets: usize,
    too_deep_reported: bool,
    /// Indentation put before every emitted line: containers nested in
    /// list items keep their list item's indentation.
    prefix: String,
}

impl Builder<'_> {
    pub(super) fn emit(&mut self, line: Line) {
        self.out.text.push_str(&self.prefix);
        self.out.lines.push(MappedLine {
            out: self.out.text.len(),
            src: line.src,
            synthetic: false,
        });
        self.out.text.push_str(line.text);
        self.out.text.push('\n');
    }

    /// An ordinary line; link destinations with spaces get `<…>`
    /// ([`loose_links`]), each piece mapped to its place in the source.
    fn emit_text(&mut self, line: Line) {
        let dests = loose_links::destinations(line.text);
        if dests.is_empty() {
            return self.emit(line);
        }
        self.out.text.push_str(&self.prefix);
        let mut last = 0;
        for (start, end) in dests {
            for (piece, at) in [
                (&line.text[last..start], last),
                ("<", start),
                (&line.text[start..end], start),
                (">", end),
            ] {
                self.out.lines.push(MappedLine {
                    out: self.out.text.len(),
                    src: line.src + at,
                    synthetic: false,
                });
                self.out.text.push_str(piece);
            }
            last = end;
        }
        self.out.lines.push(MappedLine {
            out: self.out.text.len(),
            src: line.src + last,
            synthetic: false,
        });
        self.out.text.push_str(&line.text[last..]);
        self.out.text.push('\n');
    }

    /// Generated HTML that stands for what the author wrote at `src` (an
    /// element written as a block): it is raw HTML of the author's, so
    /// site.toml's `allow_raw_html` applies to it, and every offset in it
    /// maps to `src`.
    pub(super) fn generated(&mut self, text: &str, src: usize) {
        self.out.text.push_str(&self.prefix);
        self.out.lines.push(MappedLine {
            out: self.out.text.len(),
            src,
            synthetic: false,
        });
        let mut chars = text.chars();
        if let Some(first) = chars.next() {
            self.out.text.push(first);
            self.out.lines.push(MappedLine {
                out: self.out.text.len(),
                src,
                synthetic: true,
            });
            self.out.text.push_str(chars.as_str());
        }
        self.out.text.push('\n');
    }

    pub(super) fn synthetic(&mut self, text: &str, src: usize) {
        for l in text.split('\n') {
            self.out.lines.push(MappedLine {
                out: self.out.text.len(),
                src,
                synthetic: true,
            });
            if !l.is_empty() {
                self.out.text.push_str(&self.prefix);
            }
            self.out.text.push_str(l);
            self.out.text.push('\n');
        }
    }
}

/// Rewrites the body `source.text[body_start..]`.
pub fn prepare(
    source: &SourceText,
    body_start: usize,
    strings: &Strings,
    diags: &mut Diagnostics,
) -> Prepared {
    let body = &source.text[body_start..];
    let mut lines = Vec::new();
    let mut off = body_start;
    for raw in body.split_inclusive('\n') {
        let text = raw.trim_end_matches('\n').trim_end_matches('\r');
        lines.push(Line { text, src: off });
        off += raw.len();
    }
    let mut b = Builder {
        out: Prepared {
            text: String::with_capacity(body.len() + body.len() / 8),
            lines: Vec::new(),
            source_len: source.text.len(),
            abbreviations: Vec::new(),
        },
        strings,
        source,
        diags,
        tabsets: 0,
        too_deep_reported: false,
        prefix: String::new(),
    };
    conflict_markers(&mut b, &lines);
    process(&mut b, &lines, 0);
    b.out
}

/// Left-over merge conflict markers (`<<<<<<< ours`, `=======`,
/// `>>>>>>> theirs`) would print as text: they are reported.
fn conflict_markers(b: &mut Builder, lines: &[Line]) {
    let mut open = false;
    for line in lines {
        let t = line.text;
        let marker = if t.starts_with("<<<<<<< ") || t == "<<<<<<<" {
            open = true;
            true
        } else if open && t == "=======" {
            true
        } else if open && (t.starts_with(">>>>>>> ") || t == ">>>>>>>") {
            open = false;
            true
        } else {
            false
        };
        if marker {
            b.diags.push(
                Diagnostic::at(
                    Code::MarkdownStructure,
                    b.source,
                    line.src,
                    line.src + t.len(),
                    "a left-over merge conflict marker",
                )
                .with_hint("resolve the conflict: keep the right text and remove the marker lines"),
            );
        }
    }
}

enum Header<'a> {
    Admonition {
        kind: &'a str,
        classes: Vec<&'a str>,
        title: Option<String>,
        collapsible: Option<bool>,
    },
    Tab {
        label: String,
        new_set: bool,
    },
}

pub(super) fn indent_cols(s: &str) -> usize {
    let mut cols = 0;
    for c in s.chars() {
        match c {
            ' ' => cols += 1,
            '\t' => cols += 4 - cols % 4,
            _ => break,
        }
    }
    cols
}

/// Removes up to `max` columns of indentation; returns the bytes removed.
fn dedent(s: &str, max: usize) -> usize {
    let mut cols = 0;
    for (i, c) in s.char_indices() {
        if cols >= max {
            return i;
        }
        match c {
            ' ' => cols += 1,
            '\t' => cols += 4 - cols % 4,
            _ => return i,
        }
    }
    s.len()
}

pub(super) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Parses a quoted title: `"Titel"` or `'Titel'`.
fn quoted(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &s[1..];
    let end = rest.find(q)?;
    Some((rest[..end].to_string(), &rest[end + 1..]))
}

/// A container header. `nested`: the line is inside a list item, where a
/// header may be indented four columns or more.
fn parse_header(line: &str, nested: bool) -> Option<Result<Header<'_>, &'static str>> {
    if indent_cols(line) >= 4 && !nested {
        return None;
    }
    let t = line.trim_start();
    let (marker, rest) = if let Some(r) = t.strip_prefix("???+") {
        ("???+", r)
    } else if let Some(r) = t.strip_prefix("???") {
        ("???", r)
    } else if let Some(r) = t.strip_prefix("!!!") {
        ("!!!", r)
    } else if let Some(r) = t.strip_prefix("===!") {
        ("===!", r)
    } else if let Some(r) = t.strip_prefix("===+") {
        ("===+", r)
    } else if let Some(r) = t.strip_prefix("===") {
        ("===", r)
    } else {
        return None;
    };
    if !rest.starts_with([' ', '\t']) && !rest.is_empty() {
        return None;
    }
    if marker.starts_with("===") {
        return Some(match quoted(rest) {
            Some((label, tail)) if tail.trim().is_empty() => Ok(Header::Tab {
                label,
                new_set: marker == "===!",
            }),
            _ => Err("a tab needs a quoted label: === \"Label\""),
        });
    }
    let rest = rest.trim();
    let (words, title) = match rest.find(['"', '\'']) {
        Some(i) => match quoted(&rest[i..]) {
            Some((title, tail)) if tail.trim().is_empty() => (&rest[..i], Some(title)),
            _ => {
                return Some(Err(
                    "the title of an admonition must be quoted and end the line",
                ))
            }
        },
        None => (rest, None),
    };
    let mut words = words.split_whitespace();
    let Some(kind) = words.next() else {
        return Some(Err("an admonition needs a type, e.g. !!! note \"Titel\""));
    };
    if !kind
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Some(Err(
            "an admonition type is a single word, e.g. note, tip, warning",
        ));
    }
    let collapsible = match marker {
        "???" => Some(false),
        "???+" => Some(true),
        _ => None,
    };
    Some(Ok(Header::Admonition {
        kind,
        classes: words.collect(),
        title,
        collapsible,
    }))
}

/// Collects the body after a header at `lines[start]` that is indented at
/// `base` columns: the lines indented four more. Returns the dedented body
/// lines and the index after the body.
fn take_body<'a>(lines: &[Line<'a>], start: usize, base: usize) -> (Vec<Line<'a>>, usize) {
    let mut end = start + 1;
    let mut last_content = start;
    while end < lines.len() {
        let l = lines[end].text;
        if is_blank(l) {
            end += 1;
            continue;
        }
        if indent_cols(l) >= base + 4 {
            last_content = end;
            end += 1;
            continue;
        }
        break;
    }
    let body = lines[start + 1..=last_content]
        .iter()
        .map(|l| {
            let cut = dedent(l.text, base + 4);
            Line {
                text: &l.text[cut..],
                src: l.src + cut,
            }
        })
        .collect();
    (body, last_content + 1)
}

pub(super) fn process(b: &mut Builder, lines: &[Line], depth: usize) {
    let mut i = 0;
    let mut fence: Option<(char, usize)> = None;
    // Indentation of the list item the following lines may belong to.
    let mut list_indent: Option<usize> = None;
    let mut prev_blank = true;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.text.trim_start();
        let ind = indent_cols(line.text);
        let blank = is_blank(line.text);
        if !blank && fence.is_none() {
            if is_list_item(trimmed) {
                list_indent = Some(ind);
            } else if ind == 0 && prev_blank {
                // A new unindented block ends the list (lazy continuation
                // lines right after an item's text do not).
                list_indent = None;
            }
        }
        prev_blank = blank;
        let nested = list_indent.is_some_and(|li| li < ind) && ind >= 4;
        let shallow = ind < 4 || nested;
        if let Some((ch, n)) = fence {
            let run = trimmed.chars().take_while(|c| *c == ch).count();
            if shallow && run >= n && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            b.emit(line);
            i += 1;
            continue;
        }
        if shallow {
            if let Some(ch) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
                let run = trimmed.chars().take_while(|c| *c == ch).count();
                if run >= 3 && !(ch == '`' && trimmed[run..].contains('`')) {
                    fence = Some((ch, run));
                    b.emit(line);
                    i += 1;
                    continue;
                }
            }
        }
        if let Some(def) = abbreviation(line) {
            b.out.abbreviations.push(def);
            b.synthetic("", line.src);
            i += 1;
            continue;
        }
        if shallow && trimmed.starts_with('<') {
            if let Some(cleaned) = strip_markdown_attribute(line.text) {
                b.emit(Line {
                    text: &cleaned,
                    src: line.src,
                });
                b.synthetic("", line.src);
                i += 1;
                continue;
            }
        }
        if shallow && trimmed.starts_with("///") {
            if let Some(h) = blocks_html::header(line.text) {
                i = blocks_html::rewrite(b, lines, i, depth, h);
                continue;
            }
        }
        let base = if nested { ind } else { 0 };
        match parse_header(line.text, nested) {
            None => {
                b.emit_text(line);
                i += 1;
            }
            Some(Err(msg)) => {
                let end = line.src + line.text.len();
                b.diags.push(
                    Diagnostic::at(
                        Code::MarkdownStructure,
                        b.source,
                        line.src,
                        end,
                        msg.to_string(),
                    )
                    .with_hint("the line is shown as ordinary text"),
                );
                b.emit(line);
                i += 1;
            }
            Some(Ok(_)) if depth >= MAX_NESTING => {
                if !b.too_deep_reported {
                    b.too_deep_reported = true;
                    let end = line.src + line.text.len();
                    b.diags.push(Diagnostic::at(
                        Code::NestingTooDeep,
                        b.source,
                        line.src,
                        end,
                        format!("containers are nested more than {MAX_NESTING} levels deep"),
                    ));
                }
                b.emit(line);
                i += 1;
            }
            Some(Ok(Header::Admonition {
                kind,
                classes,
                title,
                collapsible,
            })) => {
                let (body, next) = take_body(lines, i, base);
                let outer = b.prefix.clone();
                b.prefix.push_str(&" ".repeat(base));
                if body.is_empty() {
                    let end = line.src + line.text.len();
                    b.diags.push(
                        Diagnostic::at(
                            Code::MarkdownStructure,
                            b.source,
                            line.src,
                            end,
                            "admonition has no content",
                        )
                        .with_hint("indent the content below the header by four spaces or one tab"),
                    );
                }
                let kind_class = escape_html(&kind.to_lowercase());
                let mut class = format!("admonition {kind_class}");
                for c in classes {
                    class.push(' ');
                    class.push_str(&escape_html(c));
                }
                let title = match title {
                    Some(t) => t,
                    None => b
                        .strings
                        .admonition_title(&kind.to_lowercase())
                        .unwrap_or_else(|| capitalize(kind)),
                };
                let title_html = escape_html(&title);
                match collapsible {
                    Some(open) => {
                        let open = if open { " open" } else { "" };
                        b.synthetic(
                            &format!("<details class=\"{class}\"{open}>\n<summary>{title_html}</summary>\n"),
                            line.src,
                        );
                        process(b, &body, depth + 1);
                        b.synthetic("\n</details>\n", line.src);
                    }
                    None => {
                        let title_line = if title.is_empty() {
                            String::new()
                        } else {
                            format!("\n<p class=\"admonition-title\">{title_html}</p>")
                        };
                        b.synthetic(&format!("<div class=\"{class}\">{title_line}\n"), line.src);
                        process(b, &body, depth + 1);
                        b.synthetic("\n</div>\n", line.src);
                    }
                }
                b.prefix = outer;
                i = next;
            }
            Some(Ok(Header::Tab { .. })) => {
                let outer = b.prefix.clone();
                b.prefix.push_str(&" ".repeat(base));
                i = tab_set(b, lines, i, depth, base);
                b.prefix = outer;
            }
        }
    }
}

/// Renders consecutive `===` blocks starting at `start` as one tab set.
fn tab_set(b: &mut Builder, lines: &[Line], start: usize, depth: usize, base: usize) -> usize {
    let nested = base > 0;
    b.tabsets += 1;
    let set = b.tabsets;
    let mut tabs = Vec::new();
    let mut i = start;
    while let Some(Some(Ok(Header::Tab { label, new_set }))) =
        lines.get(i).map(|l| parse_header(l.text, nested))
    {
        if new_set && !tabs.is_empty() {
            break;
        }
        let (body, next) = take_body(lines, i, base);
        tabs.push((label, lines[i].src, body));
        // Blank lines may separate the blocks of one set.
        let mut j = next;
        while j < lines.len() && is_blank(lines[j].text) {
            j += 1;
        }
        let continues = matches!(
            lines.get(j).map(|l| parse_header(l.text, nested)),
            Some(Some(Ok(Header::Tab { new_set: false, .. })))
        );
        i = if continues { j } else { next };
        if !continues {
            break;
        }
    }
    let src = lines[start].src;
    let mut head = format!(
        "<div class=\"tabs\" data-tabs>\n<div class=\"tab-list\" role=\"tablist\" aria-label=\"{}\">",
        escape_html(&b.strings.get("tabs_label"))
    );
    for (k, (label, _, _)) in tabs.iter().enumerate() {
        let selected = k == 0;
        head.push_str(&format!(
            "\n<button type=\"button\" role=\"tab\" id=\"tab-{set}-{k}\" aria-controls=\"tabpanel-{set}-{k}\" aria-selected=\"{selected}\" tabindex=\"{}\">{}</button>",
            if selected { 0 } else { -1 },
            escape_html(label)
        ));
    }
    head.push_str("\n</div>");
    b.synthetic(&head, src);
    for (k, (label, tsrc, body)) in tabs.iter().enumerate() {
        b.synthetic(
            &format!(
                "<div class=\"tab-panel\" role=\"tabpanel\" id=\"tabpanel-{set}-{k}\" aria-labelledby=\"tab-{set}-{k}\">\n<p class=\"tab-label\">{}</p>\n",
                escape_html(label)
            ),
            *tsrc,
        );
        process(b, body, depth + 1);
        b.synthetic("\n</div>", *tsrc);
    }
    b.synthetic("</div>\n", src);
    i
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item`.
fn is_list_item(t: &str) -> bool {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let rest = if digits > 0 && digits <= 9 {
        t[digits..].strip_prefix(['.', ')'])
    } else {
        t.strip_prefix(['-', '*', '+'])
    };
    rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// `*[term]: definition` at the start of a line.
fn abbreviation(line: Line) -> Option<AbbrDef> {
    let rest = line.text.strip_prefix("*[")?;
    let close = rest.find("]:")?;
    let term = rest[..close].trim();
    let definition = rest[close + 2..].trim();
    if term.is_empty() || term.contains(']') {
        return None;
    }
    Some(AbbrDef {
        term: term.to_string(),
        definition: definition.to_string(),
        offset: line.src,
    })
}

/// Removes a `markdown` / `markdown="1"` attribute from an HTML opening tag
/// line, so its content is parsed as Markdown.
fn strip_markdown_attribute(line: &str) -> Option<String> {
    let t = line.trim_end();
    if !t.ends_with('>') || t.starts_with("</") || t.starts_with("<!") {
        return None;
    }
    for attr in [
        " markdown=\"1\"",
        " markdown=\"block\"",
        " markdown=\"span\"",
        " markdown",
    ] {
        if let Some(i) = t.find(attr) {
            let after = &t[i + attr.len()..];
            if after.starts_with(['>', ' ', '/']) {
                return Some(format!("{}{}", &t[..i], after));
            }
        }
    }
    None
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_with_spaces_are_wrapped_and_mapped() {
        let text = "Zie [het bestand](map/een bestand.pdf) nu.\n";
        let (p, _) = prep(text);
        assert_eq!(p.text, "Zie [het bestand](<map/een bestand.pdf>) nu.\n");
        let at = p.text.find("een").unwrap();
        assert_eq!(p.to_source(at), text.find("een").unwrap());
        let nu = p.text.find("nu.").unwrap();
        assert_eq!(p.to_source(nu), text.find("nu.").unwrap());
    }

    fn prep(text: &str) -> (Prepared, Vec<Diagnostic>) {
        let src = SourceText::new("p.md", text);
        let strings = Strings::for_tests();
        let mut d = Diagnostics::new();
        let p = prepare(&src, 0, &strings, &mut d);
        (p, d.sorted())
    }

    #[test]
    fn admonition_becomes_a_wrapper_with_dedented_body() {
        let (p, d) = prep("!!! tip \"Let <op>\"\n    Tekst\n\n    Meer\nNa\n");
        assert!(d.is_empty());
        assert_eq!(
            p.text,
            "<div class=\"admonition tip\">\n<p class=\"admonition-title\">Let &lt;op&gt;</p>\n\nTekst\n\nMeer\n\n</div>\n\nNa\n"
        );
        let tekst = p.text.find("Tekst").unwrap();
        assert_eq!(p.to_source(tekst), 23);
        assert!(p.is_synthetic(0));
        assert!(!p.is_synthetic(tekst));
    }

    #[test]
    fn tabs_with_tab_indentation_form_one_set() {
        let (p, _) = prep("=== \"Allen\"\n\t<!-- a -->\n=== \"Governance\"\n\t<!-- b -->\n");
        assert_eq!(p.text.matches("role=\"tab\"").count(), 2);
        assert_eq!(p.text.matches("role=\"tabpanel\"").count(), 2);
        let b = p.text.find("<!-- b -->").unwrap();
        assert_eq!(
            p.to_source(b),
            "=== \"Allen\"\n\t<!-- a -->\n=== \"Governance\"\n\t".len()
        );
    }

    #[test]
    fn collapsible_and_default_titles() {
        let (p, _) = prep("???+ note\n    x\n");
        assert!(p
            .text
            .starts_with("<details class=\"admonition note\" open>\n<summary>"));
    }

    #[test]
    fn fences_protect_their_content() {
        let (p, _) = prep("```\n!!! tip\n    x\n```\n");
        assert_eq!(p.text, "```\n!!! tip\n    x\n```\n");
    }

    #[test]
    fn abbreviations_are_collected() {
        let (p, _) = prep("Tekst AVG.\n\n*[AVG]: Algemene verordening gegevensbescherming\n");
        assert_eq!(p.abbreviations[0].term, "AVG");
        assert!(!p.text.contains("*[AVG]"));
    }

    #[test]
    fn admonitions_inside_list_items_stay_in_the_item() {
        let (p, d) =
            prep("- Punt\n\n    !!! example \"Voorbeeld\"\n\n        Tekst.\n\n- Volgend punt\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            p.text.contains("    <div class=\"admonition example\">"),
            "{}",
            p.text
        );
        assert!(p.text.contains("\n    Tekst.\n"), "{}", p.text);
        let at = p.text.find("Tekst.").unwrap();
        assert_eq!(
            p.to_source(at),
            "- Punt\n\n    !!! example \"Voorbeeld\"\n\n        ".len()
        );
        // Outside a list, an indented header is code.
        let (p, _) = prep("Tekst\n\n    !!! note\n        x\n");
        assert!(!p.text.contains("admonition"));
    }

    /// fuzz/markdown: the end of the rewritten text mapped one past the
    /// end of a source without a final newline.
    #[test]
    fn offsets_stay_inside_a_source_without_final_newline() {
        for text in [
            "abc",
            "!!! note\n    x",
            "- a\n\n    !!! tip\n        y",
            "*[A]: b",
        ] {
            let (p, _) = prep(text);
            for i in 0..=p.text.len() {
                assert!(p.to_source(i) <= text.len(), "{text:?} at {i}");
            }
        }
    }

    #[test]
    fn merge_conflict_markers_are_reported() {
        let (_, d) = prep("a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> main\n\n=======\n");
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert!(d.iter().all(|d| d.code == "K0501"));
    }

    #[test]
    fn malformed_header_is_reported() {
        let (_, d) = prep("=== Allen\n    x\n");
        assert_eq!(d[0].code, "K0501");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&"    ".repeat(i));
            text.push_str("!!! note\n");
        }
        text.push_str(&"    ".repeat(200));
        text.push_str("x\n");
        let (_, d) = prep(&text);
        assert!(d.iter().any(|d| d.code == "K0502"));
    }
}
