//! Inline `style="…"` attributes, kept working under `style-src 'self'`.
//!
//! A Content-Security-Policy without `'unsafe-inline'` ignores `style`
//! attributes, so a page previewed under kader's policy looked different
//! from the same page on a host without one. Instead, each distinct list
//! of declarations becomes a class (`st-` and a hash of the list) and the
//! declarations go into one generated stylesheet, [`STYLESHEET`], linked
//! from the pages that use it: the page looks the same everywhere.
//!
//! The rules are `!important`, as an inline style outranks every selector.
//! Declarations that split the page into columns or fix a width (`float`,
//! `grid-template-columns` with several tracks, `columns`, `width` and
//! `min-width` other than `auto` or `100%`) apply from [`WIDE`] up, so the
//! blocks stack on a phone instead of overflowing it.
//!
//! A declaration that could load something or break out of its rule
//! (`url(…)`, `@`, braces, backslashes, comments) makes the whole
//! attribute be dropped and reported.

use std::collections::BTreeMap;

/// The generated stylesheet's path in the output.
pub const STYLESHEET: &str = "inline-styles.css";

/// The smallest viewport width at which column layouts apply.
pub const WIDE: &str = "48em";

/// Prefix of the generated class names.
pub const CLASS_PREFIX: &str = "st-";

/// Most declarations kept from one attribute.
const MAX_DECLARATIONS: usize = 64;
/// Longest attribute value converted.
const MAX_LEN: usize = 4096;

/// An inline style turned into a class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StyleRule {
    /// `st-…`, derived from the declarations alone.
    pub class: String,
    /// The declarations, normalised: `name: value` joined by `; `.
    pub declarations: String,
}

/// Converts the value of a `style` attribute (entities already decoded).
/// `Ok(None)` for a value without declarations; `Err` says why it cannot
/// be kept.
pub fn convert(style: &str) -> Result<Option<StyleRule>, String> {
    if style.len() > MAX_LEN {
        return Err(format!("it is longer than {MAX_LEN} characters"));
    }
    let lower = style.to_ascii_lowercase();
    for (bad, why) in [
        ("url(", "`url(…)` would load a file"),
        ("image-set(", "`image-set(…)` would load a file"),
        ("expression(", "`expression(…)` is script"),
        ("@", "`@` does not belong in a declaration"),
        ("{", "braces do not belong in a declaration"),
        ("}", "braces do not belong in a declaration"),
        ("\\", "backslash escapes are not kept"),
        ("/*", "comments are not kept"),
        ("<", "`<` does not belong in a declaration"),
    ] {
        if lower.contains(bad) {
            return Err(why.to_string());
        }
    }
    let mut decls = Vec::new();
    for part in split_declarations(style) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once(':') else {
            return Err(format!("`{part}` is not a declaration (`name: value`)"));
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if !valid_property(&name) {
            return Err(format!("`{}` is not a CSS property name", name.trim()));
        }
        if value.is_empty() {
            return Err(format!("`{name}` has no value"));
        }
        if !balanced(&value) {
            return Err(format!(
                "the value of `{name}` has unbalanced quotes or parentheses"
            ));
        }
        decls.push(format!("{name}: {value}"));
        if decls.len() > MAX_DECLARATIONS {
            return Err(format!("it has more than {MAX_DECLARATIONS} declarations"));
        }
    }
    if decls.is_empty() {
        return Ok(None);
    }
    let declarations = decls.join("; ");
    Ok(Some(StyleRule {
        class: format!(
            "{CLASS_PREFIX}{:012x}",
            hash(&declarations) & 0xffff_ffff_ffff
        ),
        declarations,
    }))
}

/// The declarations of a style, split at `;` outside quotes and parentheses.
fn split_declarations(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ';') if depth <= 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn valid_property(name: &str) -> bool {
    let body = name.strip_prefix("--").unwrap_or(name);
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !body.starts_with(|c: char| c.is_ascii_digit())
}

fn balanced(v: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = None;
    for c in v.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && quote.is_none()
}

/// FNV-1a, 64 bits: stable across builds and platforms.
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether a declaration lays the page out in columns or fixes a width,
/// and so applies only on wide screens.
fn wide_only(name: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    match name {
        "float" => v != "none",
        "columns" | "column-count" => v != "auto" && v != "1",
        "grid-template-columns" => v.contains("repeat(") || v.split_whitespace().count() > 1,
        "width" | "min-width" | "flex-basis" => !matches!(
            v.as_str(),
            "auto" | "100%" | "fit-content" | "max-content" | "min-content" | "0"
        ),
        _ => false,
    }
}

/// The generated stylesheet for every rule used in the site, sorted by
/// class. Two different declaration lists with the same class (a hash
/// collision) keep the first.
pub fn stylesheet<'a>(rules: impl IntoIterator<Item = &'a StyleRule>) -> String {
    let mut by_class: BTreeMap<&str, &str> = BTreeMap::new();
    for r in rules {
        by_class.entry(&r.class).or_insert(&r.declarations);
    }
    let mut always = String::new();
    let mut wide = String::new();
    for (class, decls) in by_class {
        let mut a = Vec::new();
        let mut w = Vec::new();
        for d in decls.split("; ") {
            let (name, value) = d.split_once(": ").unwrap_or((d, ""));
            let rule = format!("{name}: {value} !important;");
            if wide_only(name, value) {
                w.push(rule);
            } else {
                a.push(rule);
            }
        }
        if !a.is_empty() {
            always.push_str(&format!(".{class} {{ {} }}\n", a.join(" ")));
        }
        if !w.is_empty() {
            wide.push_str(&format!("  .{class} {{ {} }}\n", w.join(" ")));
        }
    }
    let mut css = String::from(
        "/* Generated by kader from the style attributes of the content: one class per distinct list of declarations. */\n",
    );
    css.push_str(&always);
    if !wide.is_empty() {
        css.push_str(&format!("@media (min-width: {WIDE}) {{\n{wide}}}\n"));
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_become_a_stable_class() {
        let a = convert("margin-left: 0;").unwrap().unwrap();
        let b = convert(" MARGIN-LEFT:0 ").unwrap().unwrap();
        assert_eq!(a, b);
        assert!(a.class.starts_with("st-") && a.class.len() == 15, "{a:?}");
        assert_eq!(a.declarations, "margin-left: 0");
        let c = convert("margin-left: 1px").unwrap().unwrap();
        assert_ne!(a.class, c.class);
        assert_eq!(convert(" ; ").unwrap(), None);
    }

    #[test]
    fn quoted_semicolons_stay_in_their_value() {
        let r = convert("font-family: 'a;b', serif; color: red")
            .unwrap()
            .unwrap();
        assert_eq!(r.declarations, "font-family: 'a;b', serif; color: red");
    }

    #[test]
    fn unsafe_or_broken_styles_are_refused() {
        for s in [
            "background: url(https://x.example/a.png)",
            "color: red} body {display:none",
            "@import 'x'",
            "width: expression(alert(1))",
            "content: '\\41'",
            "color: red /* x */",
            "color",
            "1x: red",
            "color: (red",
            "font-family: 'a",
        ] {
            assert!(convert(s).is_err(), "{s}");
        }
    }

    #[test]
    fn column_layouts_apply_only_on_wide_screens() {
        let grid = convert("display: grid; grid-template-columns: 1fr 1fr; gap: 20px")
            .unwrap()
            .unwrap();
        let float = convert("float: left; width: 50%;").unwrap().unwrap();
        let plain = convert("margin-top:32px").unwrap().unwrap();
        let css = stylesheet([&grid, &float, &plain, &plain]);
        let (always, wide) = css.split_once("@media").unwrap();
        assert!(always.contains(&format!(
            ".{} {{ display: grid !important; gap: 20px !important; }}",
            grid.class
        )));
        assert!(always.contains("margin-top: 32px !important;"));
        assert!(!always.contains("float"), "{css}");
        assert!(wide.contains(&format!(
            ".{} {{ grid-template-columns: 1fr 1fr !important; }}",
            grid.class
        )));
        assert!(wide.contains("float: left !important; width: 50% !important;"));
        assert_eq!(css.matches(&plain.class).count(), 1);
        assert!(!stylesheet([&plain]).contains("@media"));
    }
}
