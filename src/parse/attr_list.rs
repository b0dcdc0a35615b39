//! Attribute lists: `{ #id .class key="value" flag }` after a heading,
//! link or image.

/// Parsed attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// Other attributes; a bare name has an empty value.
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.pairs.is_empty()
    }
}

/// If `text` ends with an attribute list, returns the text before it and
/// the attributes.
pub fn split_trailing(text: &str) -> Option<(&str, Attrs)> {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return None;
    }
    let open = t.rfind('{')?;
    let attrs = parse(&t[open + 1..t.len() - 1])?;
    Some((t[..open].trim_end(), attrs))
}

/// If `text` starts with an attribute list (as after a link), returns the
/// attributes and the remaining text.
pub fn split_leading(text: &str) -> Option<(Attrs, &str)> {
    let rest = text.strip_prefix('{')?;
    let close = rest.find('}')?;
    let attrs = parse(&rest[..close])?;
    Some((attrs, &rest[close + 1..]))
}

/// Parses the inside of `{ ... }`; `None` if it is not an attribute list.
pub fn parse(inner: &str) -> Option<Attrs> {
    let mut attrs = Attrs::default();
    let mut rest = inner.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let end = token_end(rest)?;
        let tok = &rest[..end];
        rest = rest[end..].trim_start();
        if let Some(id) = tok.strip_prefix('#') {
            if !valid_name(id) {
                return None;
            }
            attrs.id = Some(id.to_string());
        } else if let Some(class) = tok.strip_prefix('.') {
            if !valid_name(class) {
                return None;
            }
            attrs.classes.push(class.to_string());
        } else if let Some((k, v)) = tok.split_once('=') {
            if !valid_name(k) {
                return None;
            }
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            attrs.pairs.push((k.to_string(), v.to_string()));
        } else {
            if !valid_name(tok) {
                return None;
            }
            attrs.pairs.push((tok.to_string(), String::new()));
        }
    }
    Some(attrs)
}

/// End of the next token, honouring quotes in `key="a b"`.
fn token_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return Some(i),
            _ => {}
        }
    }
    if quote.is_some() {
        None
    } else {
        Some(s.len())
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ':' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_attributes() {
        let (text, a) = split_trailing("Maatregelen { data-search-exclude }").unwrap();
        assert_eq!(text, "Maatregelen");
        assert!(a.has("data-search-exclude"));
        let (_, a) = split_trailing("Stappen { #stappen .groot }").unwrap();
        assert_eq!(a.id.as_deref(), Some("stappen"));
        assert_eq!(a.classes, ["groot"]);
    }

    #[test]
    fn not_attributes() {
        assert!(split_trailing("Formule {x + y}").is_none());
        assert!(split_trailing("leeg {}").is_none());
        assert!(split_trailing("geen").is_none());
    }

    #[test]
    fn leading_list_after_a_link() {
        let (a, rest) = split_leading("{ .md-button target=\"_blank\" } verder").unwrap();
        assert_eq!(a.classes, ["md-button"]);
        assert_eq!(a.pairs, [("target".to_string(), "_blank".to_string())]);
        assert_eq!(rest, " verder");
    }
}
