//! The site's look as configured: the palette (checked for WCAG AA
//! contrast, written as a stylesheet of CSS variables) and the site's own
//! stylesheets (checked for rules meant for another theme).

use crate::config::{contrast, parse_hex, Palette, CONTRAST_PAIRS};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};

/// Output path of the palette's stylesheet (only when a palette is set).
pub const PALETTE_CSS: &str = "kader-palette.css";

/// The CSS variable of `static/kader.css` each palette colour sets.
const VARIABLES: &[(&str, &str)] = &[
    ("primary", "--blue"),
    ("primary_dark", "--blue-dark"),
    ("primary_light", "--blue-light"),
    ("accent", "--accent"),
    ("text", "--text"),
    ("muted", "--muted"),
    ("background", "--bg"),
];

/// The palette as a stylesheet loaded after kader.css; `None` when the
/// site sets no colour.
pub fn palette_css(p: &Palette) -> Option<String> {
    if p.is_empty() {
        return None;
    }
    let mut css = String::from("/* The site's palette (site.toml [theme.palette]). */\n:root {\n");
    for (name, value) in p.set() {
        if let (Some((_, var)), Some(c)) =
            (VARIABLES.iter().find(|(n, _)| *n == name), parse_hex(value))
        {
            css.push_str(&format!(
                "  {var}: #{:02x}{:02x}{:02x};\n",
                c[0], c[1], c[2]
            ));
        }
    }
    css.push_str("}\n");
    Some(css)
}

/// Warns about each pair of colours shown together whose contrast is
/// below 4.5:1, at the colour the site set.
pub fn check_contrast(p: &Palette, config: &SourceText, diags: &mut Diagnostics) {
    let set = p.set();
    for (fg, bg, what) in CONTRAST_PAIRS {
        let ours = |n: &str| set.iter().any(|(k, _)| *k == n);
        if !ours(fg) && !ours(bg) {
            continue;
        }
        let value = |n: &str| if n == "white" { "#ffffff" } else { p.get(n) };
        let colour = |n: &str| parse_hex(value(n));
        let (Some(a), Some(b)) = (colour(fg), colour(bg)) else {
            continue;
        };
        let ratio = contrast(a, b);
        if ratio >= 4.5 {
            continue;
        }
        let at = if ours(fg) { *fg } else { *bg };
        let message = format!(
            "{what}: `{fg}` ({}) on `{bg}` ({}) has a contrast of {ratio:.2}:1, below WCAG AA's 4.5:1",
            value(fg),
            value(bg)
        );
        let needle = [format!("{at} ="), format!("{at}:")]
            .into_iter()
            .find_map(|n| config.text.find(&n));
        let d = match needle {
            Some(i) => Diagnostic::at(Code::LowContrast, config, i, i + at.len(), message),
            None => Diagnostic::file(Code::LowContrast, &config.path, message),
        };
        diags.push(d.with_hint(
            "choose a darker or lighter colour; visitors with low vision cannot read this",
        ));
    }
}

/// Warns once per stylesheet that has rules for MkDocs Material's classes
/// (`.md-…`): kader's pages do not have them, so the rules do nothing.
pub fn check_stylesheet(css: &SourceText, diags: &mut Diagnostics) {
    let found = material_selectors(&css.text);
    let Some(&(first, _)) = found.first() else {
        return;
    };
    let mut names: Vec<&str> = found.iter().map(|(_, n)| *n).collect();
    names.sort_unstable();
    names.dedup();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 3 { ", …" } else { "" };
    diags.push(
        Diagnostic::at(
            Code::ForeignCss,
            css,
            first,
            first + found[0].1.len(),
            format!(
                "{} rule(s) style MkDocs Material's classes ({}{more}), which kader's pages do not have",
                found.len(),
                shown.join(", ")
            ),
        )
        .with_hint("style kader's own classes (see static/kader.css) or drop these rules"),
    );
}

/// Offsets and names of the `.md-…` classes in the selectors of `css` (not
/// in comments, declarations or at-rule preludes), one per rule.
fn material_selectors(css: &str) -> Vec<(usize, &str)> {
    let bytes = css.as_bytes();
    let mut out = Vec::new();
    // Per open block: whether it is an at-rule's (its content holds rules).
    let mut blocks: Vec<bool> = Vec::new();
    let mut prelude = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |j| i + 2 + j + 2);
                continue;
            }
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => {
                let in_rules = blocks.last().is_none_or(|&at| at);
                let text = &css[prelude..i];
                let at_rule = text.trim_start().starts_with('@');
                if in_rules && !at_rule {
                    if let Some((at, len)) = first_md_class(&blank_comments(text)) {
                        let start = prelude + at;
                        out.push((start, &css[start..start + len]));
                    }
                }
                blocks.push(in_rules && at_rule);
                prelude = i + 1;
            }
            b'}' => {
                blocks.pop();
                prelude = i + 1;
            }
            b';' if blocks.last().is_none_or(|&at| at) => prelude = i + 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// `text` with its comments replaced by spaces (offsets stay).
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        let end = rest[i + 2..]
            .find("*/")
            .map_or(rest.len(), |j| i + 2 + j + 2);
        out.extend(std::iter::repeat_n(' ', end - i));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The first `.md-name` class in a selector: its offset and length.
fn first_md_class(selector: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(j) = selector[from..].find(".md-") {
        let start = from + j;
        let end = selector[start + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(selector.len(), |k| start + 1 + k);
        if end > start + 4 {
            return Some((start, end - start));
        }
        from = start + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_rules_are_found_outside_comments_and_declarations() {
        let css = "/* .md-old {} */\n.md-typeset h1, .x { color: red; }\n@media (max-width: 10px) { .md-header__title { x: y } .ok { content: \".md-no\" } }\n.grid { background: url(a.md-b.png) }\n";
        let found: Vec<&str> = material_selectors(css)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(found, [".md-typeset", ".md-header__title"]);
        let src = SourceText::new("static/x.css", css);
        let mut d = Diagnostics::new();
        check_stylesheet(&src, &mut d);
        let d = d.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert!(d[0].message.starts_with("2 rule(s)"), "{}", d[0].message);
    }

    #[test]
    fn a_pale_palette_is_reported_where_it_is_set() {
        let text = "title = 'x'\n[theme.palette]\nprimary = \"#8fb3e0\"\n";
        let src = SourceText::new("site.toml", text);
        let p = Palette {
            primary: Some("#8fb3e0".into()),
            ..Palette::default()
        };
        let mut d = Diagnostics::new();
        check_contrast(&p, &src, &mut d);
        let d = d.sorted();
        assert!(d.len() >= 2, "{d:?}");
        assert!(d.iter().all(|d| d.line == 3 && d.code == "K0802"));
        assert!(palette_css(&p).unwrap().contains("--blue: #8fb3e0;"));
        assert_eq!(palette_css(&Palette::default()), None);
    }
}
