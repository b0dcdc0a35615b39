//! Directives: HTML comments such as `<!-- tags -->` or
//! `<!-- list_maatregelen vereiste/x bouwblok/governance no-rol -->` that
//! generated content replaces.
//!
//! A comment counts as a directive when it is a known one, or when it looks
//! like one (a snake_case word, a name close to a known one, or arguments
//! of the form `key/value` / `no-…`); ordinary comments such as
//! `<!-- vul hier de bronnen in -->` pass through untouched.

use super::front_matter::Span;
use crate::diagnostics::did_you_mean;

/// Most arguments of one directive; more are reported (`K0007`) and left out.
pub const MAX_ARGUMENTS: usize = 100;

/// One directive in a page, with the source positions of its parts.
#[derive(Debug, Clone)]
pub struct DirectiveCall {
    pub name: String,
    pub args: Vec<DirectiveArg>,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub struct DirectiveArg {
    pub text: String,
    pub span: Span,
}

impl DirectiveArg {
    /// `key/value` split, if the argument has that form.
    pub fn pair(&self) -> Option<(&str, &str)> {
        self.text.split_once('/')
    }
}

/// The outcome of looking at one comment.
#[derive(Debug)]
pub enum Recognized {
    /// An ordinary comment.
    Comment,
    Directive(DirectiveCall),
    /// Looks like a directive but is not one; carries a suggestion.
    Unknown {
        name: String,
        name_span: Span,
        suggestion: Option<String>,
    },
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn looks_like_argument(s: &str) -> bool {
    if let Some(flag) = s.strip_prefix("no-") {
        return is_identifier(flag);
    }
    match s.split_once('/') {
        Some((k, v)) => is_identifier(k) && !v.is_empty() && !v.contains(char::is_whitespace),
        None => false,
    }
}

/// Recognises a comment. `html` is the whole HTML block text and `offset`
/// maps a byte index of `html` to a source offset.
pub fn recognize(html: &str, known: &[String], offset: impl Fn(usize) -> usize) -> Recognized {
    let t = html.trim();
    let Some(inner) = t.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) else {
        return Recognized::Comment;
    };
    if inner.contains("-->") || inner.contains('\n') {
        return Recognized::Comment;
    }
    let inner_start = html.find("<!--").unwrap_or(0) + 4;
    let mut tokens = Vec::new();
    let mut pos = 0;
    for tok in inner.split_whitespace() {
        let at = inner[pos..].find(tok).map(|i| pos + i).unwrap_or(pos);
        pos = at + tok.len();
        let start = offset(inner_start + at);
        tokens.push(DirectiveArg {
            text: tok.to_string(),
            span: Span {
                start,
                end: start + tok.len(),
            },
        });
    }
    let Some(first) = tokens.first().cloned() else {
        return Recognized::Comment;
    };
    if !is_identifier(&first.text) {
        return Recognized::Comment;
    }
    let args: Vec<DirectiveArg> = tokens[1..].to_vec();
    if known.contains(&first.text) {
        let start = offset(html.find("<!--").unwrap_or(0));
        return Recognized::Directive(DirectiveCall {
            name: first.text.clone(),
            args,
            span: Span {
                start,
                end: start + t.len(),
            },
            name_span: first.span,
        });
    }
    let suggestion =
        did_you_mean(&first.text, known.iter().map(String::as_str)).map(str::to_string);
    let plausible = first.text.contains('_')
        || suggestion.is_some()
        || (!args.is_empty() && args.iter().all(|a| looks_like_argument(&a.text)));
    if plausible {
        Recognized::Unknown {
            name: first.text,
            name_span: first.span,
            suggestion,
        }
    } else {
        Recognized::Comment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["tags", "list_vereisten", "list_maatregelen"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn known_directives_and_argument_spans() {
        let html = "<!-- list_maatregelen vereiste/x boubwlok/governance -->\n";
        let Recognized::Directive(d) = recognize(html, &known(), |i| i + 100) else {
            panic!()
        };
        assert_eq!(d.name, "list_maatregelen");
        assert_eq!(d.args[1].text, "boubwlok/governance");
        assert_eq!(d.args[1].span.start, 100 + html.find("boubwlok").unwrap());
        assert_eq!(d.span.start, 100);
    }

    #[test]
    fn ordinary_comments_pass() {
        for c in [
            "<!-- vul hier de bronnen in -->",
            "<!-- Let op! niet weghalen -->",
            "<!-- todo -->",
            "<!--\nmeer regels\n-->",
            "<!---->",
        ] {
            assert!(
                matches!(recognize(c, &known(), |i| i), Recognized::Comment),
                "{c}"
            );
        }
    }

    #[test]
    fn near_misses_are_unknown_directives() {
        let Recognized::Unknown { suggestion, .. } =
            recognize("<!-- list_maatregel vereiste/x -->", &known(), |i| i)
        else {
            panic!()
        };
        assert_eq!(suggestion.as_deref(), Some("list_maatregelen"));
        assert!(matches!(
            recognize("<!-- tagz -->", &known(), |i| i),
            Recognized::Unknown { .. }
        ));
        assert!(matches!(
            recognize("<!-- lijst vereiste/x -->", &known(), |i| i),
            Recognized::Unknown { .. }
        ));
    }
}
