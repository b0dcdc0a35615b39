//! A small allow-list HTML sanitizer for question, explanation and
//! conclusion texts.
//!
//! Allowed: `b`, `i`, `strong`, `em`, `br`, `p`, `ul`, `ol`, `li` without
//! attributes, and `a` with an `href` that is `http:`, `https:`, `mailto:` or
//! relative (every `a` gets `rel="noopener"`). Every other attribute is
//! dropped. Every other tag, comment or stray `<` is escaped and shown as
//! text (`<script>` → `&lt;script&gt;`). Text is escaped; well-formed
//! character references (`&amp;`, `&#233;`) are kept. Open elements are
//! closed at the end and unmatched end tags are dropped, so the output is
//! balanced.

/// Elements that may appear (all without attributes except `a`).
pub const ALLOWED_TAGS: [&str; 10] = ["a", "b", "br", "em", "i", "li", "ol", "p", "strong", "ul"];

/// Turns untrusted HTML into safe HTML (see the module documentation).
///
/// ```
/// use kader_classify::sanitize::sanitize_html;
/// assert_eq!(
///     sanitize_html(r#"<b onclick="x()">Ja</b><script>alert(1)</script>"#),
///     "<b>Ja</b>&lt;script&gt;alert(1)&lt;/script&gt;"
/// );
/// assert_eq!(
///     sanitize_html(r#"<a href="javascript:alert(1)" target=_blank>x</a>"#),
///     r#"<a rel="noopener">x</a>"#
/// );
/// ```
pub fn sanitize_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    let mut open: Vec<&'static str> = Vec::new();
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => match parse_tag(rest) {
                Some((tag, consumed)) => {
                    emit_tag(&tag, &mut open, &mut out);
                    rest = rest.get(consumed..).unwrap_or("");
                }
                None => {
                    out.push_str("&lt;");
                    rest = &rest[1..];
                }
            },
            '&' => {
                let len = entity_len(rest);
                if len > 0 {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                } else {
                    out.push_str("&amp;");
                    rest = &rest[1..];
                }
            }
            _ => {
                push_escaped_char(c, &mut out);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    while let Some(name) = open.pop() {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
    out
}

/// Escapes text for use in HTML content or a quoted attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '&' {
            out.push_str("&amp;");
        } else {
            push_escaped_char(c, &mut out);
        }
    }
    out
}

fn push_escaped_char(c: char, out: &mut String) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\0' => out.push('\u{fffd}'),
        _ => out.push(c),
    }
}

/// Length in bytes of a well-formed character reference at the start of `s`
/// (`&name;`, `&#123;`, `&#x1F;`), or 0.
fn entity_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return 0;
    }
    let mut i = 1;
    if b.get(i) == Some(&b'#') {
        i += 1;
        let hex = matches!(b.get(i), Some(b'x') | Some(b'X'));
        if hex {
            i += 1;
        }
        let start = i;
        while i < b.len() && i - start < 7 {
            let ok = if hex {
                b[i].is_ascii_hexdigit()
            } else {
                b[i].is_ascii_digit()
            };
            if !ok {
                break;
            }
            i += 1;
        }
        if i == start || b.get(i) != Some(&b';') {
            return 0;
        }
        let digits = &s[start..i];
        let value = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(0);
        // Reject NUL, surrogates and out-of-range code points.
        if value == 0 || char::from_u32(value).is_none() {
            return 0;
        }
        return i + 1;
    }
    let start = i;
    while i < b.len() && i - start < 32 && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == start || !b[start].is_ascii_alphabetic() || b.get(i) != Some(&b';') {
        return 0;
    }
    i + 1
}

#[derive(Debug)]
struct Tag {
    name: &'static str,
    closing: bool,
    self_closing: bool,
    href: Option<String>,
}

fn allowed(name: &str) -> Option<&'static str> {
    ALLOWED_TAGS
        .iter()
        .copied()
        .find(|t| t.eq_ignore_ascii_case(name))
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Parses an allowed, well-formed tag at the start of `s` (which starts with
/// `<`). Returns `None` when it is not one, so that it is escaped as text.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let mut i = 1;
    let closing = s[i..].starts_with('/');
    if closing {
        i += 1;
    }
    let name_len = s[i..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(s.len() - i);
    if name_len == 0 {
        return None;
    }
    let name = allowed(&s[i..i + name_len])?;
    i += name_len;
    // After the name: whitespace, `/`, `>` or the end.
    match s[i..].chars().next() {
        Some(c) if is_html_space(c) || c == '/' || c == '>' => {}
        _ => return None,
    }
    let mut href = None;
    let mut self_closing = false;
    loop {
        let c = s[i..].chars().next()?;
        if is_html_space(c) {
            i += c.len_utf8();
            continue;
        }
        if c == '>' {
            i += 1;
            break;
        }
        if c == '/' {
            i += 1;
            if s[i..].starts_with('>') {
                self_closing = true;
                i += 1;
                break;
            }
            continue;
        }
        if c == '<' || c == '"' || c == '\'' || c == '=' {
            // Not a well-formed attribute: treat the whole tag as text.
            return None;
        }
        // Attribute name.
        let name_end = s[i..]
            .find(|c: char| is_html_space(c) || matches!(c, '/' | '>' | '=' | '<' | '"' | '\''))
            .map_or(s.len(), |n| i + n);
        let attr_name = &s[i..name_end];
        i = name_end;
        while let Some(c) = s[i..].chars().next().filter(|c| is_html_space(*c)) {
            i += c.len_utf8();
        }
        let mut value: Option<&str> = None;
        if s[i..].starts_with('=') {
            i += 1;
            while let Some(c) = s[i..].chars().next().filter(|c| is_html_space(*c)) {
                i += c.len_utf8();
            }
            let q = s[i..].chars().next()?;
            if q == '"' || q == '\'' {
                let end = s[i + 1..].find(q)? + i + 1;
                value = Some(&s[i + 1..end]);
                i = end + 1;
            } else {
                let end = s[i..]
                    .find(|c: char| is_html_space(c) || c == '>')
                    .map_or(s.len(), |n| i + n);
                let v = &s[i..end];
                if v.is_empty() || v.contains(['"', '\'', '<', '=', '`']) {
                    return None;
                }
                value = Some(v);
                i = end;
            }
        }
        if closing {
            continue;
        }
        if name == "a" && attr_name.eq_ignore_ascii_case("href") && href.is_none() {
            if let Some(v) = value {
                href = safe_href(v);
            }
        }
    }
    Some((
        Tag {
            name,
            closing,
            self_closing,
            href,
        },
        i,
    ))
}

fn emit_tag(tag: &Tag, open: &mut Vec<&'static str>, out: &mut String) {
    if tag.name == "br" {
        if !tag.closing {
            out.push_str("<br>");
        }
        return;
    }
    if tag.closing {
        if let Some(pos) = open.iter().rposition(|n| *n == tag.name) {
            while open.len() > pos {
                if let Some(n) = open.pop() {
                    out.push_str("</");
                    out.push_str(n);
                    out.push('>');
                }
            }
        }
        return;
    }
    out.push('<');
    out.push_str(tag.name);
    if tag.name == "a" {
        if let Some(h) = &tag.href {
            out.push_str(" href=\"");
            out.push_str(&escape_html(h));
            out.push('"');
        }
        out.push_str(" rel=\"noopener\"");
    }
    out.push('>');
    if tag.self_closing {
        out.push_str("</");
        out.push_str(tag.name);
        out.push('>');
    } else {
        open.push(tag.name);
    }
}

/// Decodes character references in an attribute value. Returns `None` when
/// a reference cannot be decoded (so the value is rejected).
fn decode_attribute(v: &str) -> Option<String> {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let len = entity_len(rest);
        if len == 0 {
            // A bare `&` (e.g. in a query string) is literal.
            out.push('&');
            rest = &rest[1..];
            continue;
        }
        let body = &rest[1..len - 1];
        let decoded = if let Some(num) = body.strip_prefix('#') {
            let value = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(value)?
        } else {
            match body {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                // Unknown named references (e.g. `&colon;`) could hide a
                // scheme: refuse the value.
                _ => return None,
            }
        };
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// Returns the cleaned `href` if it is http(s), mailto or relative.
fn safe_href(raw: &str) -> Option<String> {
    safe_url(&decode_attribute(raw)?)
}

/// The one rule for URLs that kader puts in a page: a URL is kept when it
/// is `http:`, `https:`, `mailto:` or relative (path, query, fragment or
/// `//host`). Control characters are dropped and surrounding spaces
/// trimmed, as browsers do; anything else (`javascript:`, `data:`, an empty
/// URL) gives `None`. Used for `href`s in sanitized HTML and for the `url`
/// of sources.
///
/// ```
/// use kader_classify::sanitize::safe_url;
/// assert_eq!(safe_url(" https://eur-lex.europa.eu/ "), Some("https://eur-lex.europa.eu/".into()));
/// assert_eq!(safe_url("java\tscript:alert(1)"), None);
/// assert_eq!(safe_url("../vereisten/"), Some("../vereisten/".into()));
/// assert_eq!(safe_url(""), None);
/// ```
pub fn safe_url(url: &str) -> Option<String> {
    // Browsers ignore leading/trailing spaces and strip tabs and newlines
    // inside URLs; drop all control characters and surrounding spaces.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace())
        .to_string();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(pos) if cleaned[pos..].starts_with(':') => {
            let scheme = cleaned[..pos].to_ascii_lowercase();
            if matches!(scheme.as_str(), "http" | "https" | "mailto") {
                Some(cleaned)
            } else {
                None
            }
        }
        _ if cleaned.is_empty() => None,
        // No scheme: a relative URL (path, query, fragment or `//host`).
        _ => Some(cleaned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(input: &str) -> String {
        sanitize_html(input)
    }

    #[test]
    fn keeps_allowed_markup() {
        assert_eq!(
            s("<b>vet</b> en <i>schuin</i>"),
            "<b>vet</b> en <i>schuin</i>"
        );
        assert_eq!(
            s("<STRONG>x</Strong><em>y</em>"),
            "<strong>x</strong><em>y</em>"
        );
        assert_eq!(s("<p>a<br>b<br/>c<br />d</p>"), "<p>a<br>b<br>c<br>d</p>");
        assert_eq!(
            s("<ul><li>een</li><li>twee</li></ul>"),
            "<ul><li>een</li><li>twee</li></ul>"
        );
        assert_eq!(s("<ol>\n<li>x</li>\n</ol>"), "<ol>\n<li>x</li>\n</ol>");
        assert_eq!(
            s(r#"<a href="https://eur-lex.europa.eu/x?a=1&amp;b=2">EUR-Lex</a>"#),
            r#"<a href="https://eur-lex.europa.eu/x?a=1&amp;b=2" rel="noopener">EUR-Lex</a>"#
        );
        assert_eq!(
            s(r#"<a href='mailto:ai@example.org' title="t">m</a>"#),
            r#"<a href="mailto:ai@example.org" rel="noopener">m</a>"#
        );
        assert_eq!(
            s(r#"<a href=/vereisten/>r</a>"#),
            r#"<a href="/vereisten/" rel="noopener">r</a>"#
        );
        assert_eq!(
            s(r#"<a href="../x.html#y">r</a>"#),
            r#"<a href="../x.html#y" rel="noopener">r</a>"#
        );
        assert_eq!(
            s(r#"<a href="HTTP://X">r</a>"#),
            r#"<a href="HTTP://X" rel="noopener">r</a>"#
        );
        assert_eq!(s("<p/>"), "<p></p>");
    }

    #[test]
    fn escapes_text_and_keeps_entities() {
        assert_eq!(s("a < b > c & d"), "a &lt; b &gt; c &amp; d");
        assert_eq!(s("R&D"), "R&amp;D");
        assert_eq!(
            s("&amp; &eacute; &#233; &#xE9;"),
            "&amp; &eacute; &#233; &#xE9;"
        );
        assert_eq!(
            s("&#0; &#xD800; &#99999999;"),
            "&amp;#0; &amp;#xD800; &amp;#99999999;"
        );
        assert_eq!(s("\"quoted\" it's"), "&quot;quoted&quot; it&#39;s");
        assert_eq!(s("10^25 FLOP"), "10^25 FLOP");
        assert_eq!(s("nul\0byte"), "nul\u{fffd}byte");
    }

    #[test]
    fn hostile_inputs() {
        assert_eq!(
            s("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            s("<SCRIPT SRC=//x.js></SCRIPT>"),
            "&lt;SCRIPT SRC=//x.js&gt;&lt;/SCRIPT&gt;"
        );
        assert_eq!(
            s(r#"<img src=x onerror="alert(1)">"#),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
        );
        assert_eq!(s(r#"<b onmouseover="alert(1)">x</b>"#), "<b>x</b>");
        assert_eq!(s(r#"<b/onmouseover=alert(1)>x</b>"#), "<b>x</b>");
        assert_eq!(s(r#"<p style="x" class=y id='z'>t</p>"#), "<p>t</p>");
        assert_eq!(s(r#"" onload="alert(1)"#), "&quot; onload=&quot;alert(1)");
        assert_eq!(
            s(r#"<a href="javascript:alert(1)">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href=" JaVaScRiPt:alert(1)">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s("<a href=\"java\tscript:alert(1)\">x</a>"),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s("<a href=\"java\nscript:alert(1)\">x</a>"),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="jav&#x61;script:alert(1)">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="jav&#97;script:alert(1)">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="javascript&colon;alert(1)">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="vbscript:x">x</a>"#),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s("<a href=\"\u{1}javascript:x\">x</a>"),
            r#"<a rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="https://x" onclick="y" rel="opener" target="_blank">x</a>"#),
            r#"<a href="https://x" rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="/ok" href="javascript:x">x</a>"#),
            r#"<a href="/ok" rel="noopener">x</a>"#
        );
        assert_eq!(
            s(r#"<a href="/x&quot;onmouseover=alert(1)">x</a>"#),
            r#"<a href="/x&quot;onmouseover=alert(1)" rel="noopener">x</a>"#
        );
        assert_eq!(s("<b onclick=\"x\""), "&lt;b onclick=&quot;x&quot;");
        assert_eq!(s("<b"), "&lt;b");
        assert_eq!(s("<"), "&lt;");
        assert_eq!(s("<<b>>"), "&lt;<b>&gt;</b>");
        assert_eq!(s("<!-- comment -->"), "&lt;!-- comment --&gt;");
        assert_eq!(s("<![CDATA[x]]>"), "&lt;![CDATA[x]]&gt;");
        assert_eq!(s("<?php x ?>"), "&lt;?php x ?&gt;");
        assert_eq!(s("<bx>"), "&lt;bx&gt;");
        assert_eq!(s("<b\u{0}>"), "&lt;b\u{fffd}&gt;");
        assert_eq!(s("<style>b{}</style>"), "&lt;style&gt;b{}&lt;/style&gt;");
        assert_eq!(
            s("<iframe src=x></iframe>"),
            "&lt;iframe src=x&gt;&lt;/iframe&gt;"
        );
        assert_eq!(s(r#"<svg onload=alert(1)>"#), "&lt;svg onload=alert(1)&gt;");
        assert_eq!(s(r#"<b title="a>b">x</b>"#), "<b>x</b>");
        assert_eq!(s(r#"<b ="x">y</b>"#), "&lt;b =&quot;x&quot;&gt;y");
        assert_eq!(s(r#"<b x=a"b>y</b>"#), "&lt;b x=a&quot;b&gt;y");
        assert_eq!(
            s("<a href=`javascript:x`>y</a>"),
            "&lt;a href=`javascript:x`&gt;y"
        );
    }

    #[test]
    fn balances_tags() {
        assert_eq!(s("<b>open"), "<b>open</b>");
        assert_eq!(s("</p>stray</div>"), "stray&lt;/div&gt;");
        assert_eq!(s("<ul><li>a<li>b</ul>"), "<ul><li>a<li>b</li></li></ul>");
        assert_eq!(s("<b><i>x</b>y</i>"), "<b><i>x</i></b>y");
        assert_eq!(s("</br>"), "");
        let deep = "<b>".repeat(100_000);
        let out = s(&deep);
        assert!(out.ends_with("</b>"));
        assert_eq!(out.matches("<b>").count(), 100_000);
        assert_eq!(out.matches("</b>").count(), 100_000);
    }

    /// Every `<` in the output starts one of the tags we emit, in canonical form.
    fn assert_only_canonical_tags(out: &str) -> Result<(), TestCaseError> {
        let mut rest = out;
        while let Some(pos) = rest.find('<') {
            rest = &rest[pos..];
            let end = rest
                .find('>')
                .ok_or_else(|| TestCaseError::fail("unclosed tag"))?;
            let tag = &rest[..=end];
            // `<a rel="noopener">` is checked first: slicing it as `<a … rel>`
            // would start past its end.
            let ok = tag == "<a rel=\"noopener\">"
                || ALLOWED_TAGS
                    .iter()
                    .any(|t| tag == format!("<{t}>") || tag == format!("</{t}>"))
                || tag
                    .strip_prefix("<a ")
                    .and_then(|t| t.strip_suffix(" rel=\"noopener\">"))
                    .and_then(|inner| inner.strip_prefix("href=\""))
                    .and_then(|inner| inner.strip_suffix('"'))
                    .is_some_and(|url| !url.contains(['"', '<', '>']));
            prop_assert!(ok, "unexpected tag {:?} in {:?}", tag, out);
            let lower = tag.to_ascii_lowercase();
            prop_assert!(!lower.contains(" on"), "event handler in {:?}", tag);
            if let Some(h) = lower.strip_prefix("<a href=\"") {
                prop_assert!(!h.starts_with("javascript") && !h.starts_with("data"));
            }
            rest = &rest[end + 1..];
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn output_is_safe_for_arbitrary_text(input in "\\PC{0,80}") {
            let out = sanitize_html(&input);
            prop_assert!(!out.to_ascii_lowercase().contains("<script"));
            assert_only_canonical_tags(&out)?;
        }

        #[test]
        fn output_is_safe_for_tag_soup(parts in prop::collection::vec(prop_oneof![
            Just("<"), Just(">"), Just("/"), Just("a"), Just("b"), Just("p"), Just("script"),
            Just("SCRIPT"), Just(" "), Just("\t"), Just("="), Just("\""), Just("'"),
            Just("href"), Just("onload"), Just("onclick"), Just("javascript:"), Just("https://x"),
            Just("&"), Just("&#x61;"), Just("&colon;"), Just(";"), Just("li"), Just("br"),
            Just("img"), Just("src"), Just("x"), Just("`"), Just("\n"),
        ], 0..40)) {
            let input: String = parts.concat();
            let out = sanitize_html(&input);
            prop_assert!(!out.to_ascii_lowercase().contains("<script"), "{:?} -> {:?}", input, out);
            assert_only_canonical_tags(&out)?;
        }

        #[test]
        fn sanitizing_is_idempotent(input in "\\PC{0,60}") {
            let once = sanitize_html(&input);
            let twice = sanitize_html(&once);
            prop_assert_eq!(once, twice);
        }
    }
}
