//! Raw HTML written in pages, made fit for a strict Content-Security-Policy.
//!
//! Inline event handlers (`onclick="…"`) and `javascript:` URLs never run
//! under `script-src 'self'`, so a link or button that relies on them is
//! dead. They are removed and reported. One pattern of MkDocs knowledge
//! bases is understood instead: an anchor whose handler opens the AI-Act
//! decision aid or the AI-Act profile in a modal
//! (`showModal(event, 'beslishulp AI-verordening', …)`,
//! `showModal(event, 'ai-act-labels')`) becomes a plain link to the site's
//! own decision aid or profile page. `style` attributes become classes of
//! a generated stylesheet ([`inline_style`]).

use super::inline_style::{self, StyleRule};

/// What a start tag's handler asked for, when it is understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AidLink {
    /// The decision aid.
    DecisionAid,
    /// The profile form ("Vereisten voor jou").
    Profile,
}

impl AidLink {
    /// The link target the index resolves to the generated page.
    pub fn target(self) -> &'static str {
        match self {
            AidLink::DecisionAid => "kader:beslishulp",
            AidLink::Profile => "kader:profiel",
        }
    }
}

/// A piece of cleaned raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Html(String),
    /// The start tag of an anchor that becomes a link to an [`AidLink`];
    /// `attrs` are its other attributes (values as written).
    AidAnchor {
        link: AidLink,
        attrs: Vec<(String, String)>,
    },
}

/// Something removed, at a byte range of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub start: usize,
    pub end: usize,
    /// The attribute's name (`onclick`, `href`).
    pub name: String,
    /// Whether it was understood (a decision-aid anchor).
    pub understood: bool,
}

/// A `style` attribute that could not be kept, at a byte range of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub start: usize,
    pub end: usize,
    /// Why (see [`inline_style::convert`]).
    pub why: String,
}

/// Raw HTML made fit for the Content-Security-Policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// What to emit.
    pub pieces: Vec<Piece>,
    /// Event handlers and `javascript:` URLs removed.
    pub removed: Vec<Removed>,
    /// `style` attributes turned into classes (see [`inline_style`]).
    pub styles: Vec<StyleRule>,
    /// `style` attributes dropped.
    pub refused: Vec<Refused>,
}

/// Cleans raw HTML: the pieces to emit and what was removed or converted.
pub fn clean(html: &str) -> Cleaned {
    let mut pieces = Vec::new();
    let mut removed = Vec::new();
    let mut styles = Vec::new();
    let mut refused = Vec::new();
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        if html[at..].starts_with("<!--") {
            i = html[at..].find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let Some(tag) = start_tag(html, at) else {
            i = at + 1;
            continue;
        };
        i = tag.end;
        let bad: Vec<&Attr> = tag.attrs.iter().filter(|a| a.is_active()).collect();
        let styled: Vec<&Attr> = tag.attrs.iter().filter(|a| a.is_style()).collect();
        if bad.is_empty() && styled.is_empty() {
            continue;
        }
        let mut style_classes = Vec::new();
        for a in &styled {
            match inline_style::convert(&decode_entities(&a.value)) {
                Ok(Some(rule)) => {
                    style_classes.push(rule.class.clone());
                    styles.push(rule);
                }
                Ok(None) => {}
                Err(why) => refused.push(Refused {
                    start: a.start,
                    end: a.end,
                    why,
                }),
            }
        }
        let aid = (tag.name.eq_ignore_ascii_case("a"))
            .then(|| bad.iter().find_map(|a| aid_link(&a.value)))
            .flatten();
        for a in &bad {
            removed.push(Removed {
                start: a.start,
                end: a.end,
                name: a.name.to_string(),
                understood: aid.is_some(),
            });
        }
        out.push_str(&html[copied..at]);
        copied = tag.end;
        let merge_class = !style_classes.is_empty();
        let kept: Vec<&Attr> = tag
            .attrs
            .iter()
            .filter(|a| {
                let replaced = aid.is_some() && a.name.eq_ignore_ascii_case("href");
                let merged = merge_class && a.name.eq_ignore_ascii_case("class");
                !(a.is_active() || a.is_style() || replaced || merged)
            })
            .collect();
        let class = merge_class.then(|| {
            let mut c: Vec<String> = tag
                .attrs
                .iter()
                .filter(|a| a.name.eq_ignore_ascii_case("class"))
                .map(|a| a.value.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            c.extend(style_classes);
            c.join(" ")
        });
        match aid {
            Some(link) => {
                if !out.is_empty() {
                    pieces.push(Piece::Html(std::mem::take(&mut out)));
                }
                let mut attrs: Vec<(String, String)> = kept
                    .iter()
                    .map(|a| (a.name.to_string(), a.value.clone()))
                    .collect();
                if let Some(c) = class {
                    attrs.push(("class".into(), c));
                }
                pieces.push(Piece::AidAnchor { link, attrs });
            }
            None => {
                out.push('<');
                out.push_str(tag.name);
                for a in kept {
                    out.push(' ');
                    out.push_str(&html[a.start..a.end]);
                }
                if let Some(c) = class {
                    out.push_str(" class=\"");
                    out.push_str(&c.replace('"', "&quot;"));
                    out.push('"');
                }
                if bytes[tag.end - 2] == b'/' {
                    out.push_str(" /");
                }
                out.push('>');
            }
        }
    }
    out.push_str(&html[copied..]);
    if !out.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Html(out));
    }
    Cleaned {
        pieces,
        removed,
        styles,
        refused,
    }
}

/// The value of an attribute as the browser reads it: the entities that
/// matter in a style (`&quot;`, `&#39;`, `&amp;`, `&lt;`, `&gt;`) decoded.
fn decode_entities(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The decision-aid target of an inline handler, if it is one.
fn aid_link(handler: &str) -> Option<AidLink> {
    let args = handler.split_once("showModal(")?.1;
    let first = args
        .split(',')
        .nth(1)
        .or_else(|| args.split(')').next())?
        .trim()
        .trim_matches(|c| c == '\'' || c == '"' || c == ')' || c == ';')
        .to_lowercase();
    if first.contains("ai-act-labels") || first.contains("profiel") {
        Some(AidLink::Profile)
    } else if first.contains("beslishulp") || first.contains("ai-verordening") {
        Some(AidLink::DecisionAid)
    } else {
        None
    }
}

struct Tag<'a> {
    name: &'a str,
    attrs: Vec<Attr<'a>>,
    /// Byte after the closing `>`.
    end: usize,
}

struct Attr<'a> {
    name: &'a str,
    value: String,
    /// The attribute's text (from its name to the end of its value).
    start: usize,
    end: usize,
}

impl Attr<'_> {
    fn is_style(&self) -> bool {
        self.name.eq_ignore_ascii_case("style")
    }

    /// An inline event handler or a `javascript:` URL: code that the
    /// Content-Security-Policy will not run.
    fn is_active(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        let url = matches!(n.as_str(), "href" | "src" | "action" | "formaction");
        (n.len() > 2 && n.starts_with("on"))
            || (url
                && self
                    .value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:"))
    }
}

/// The start tag at `at` (which holds `<`), if there is one.
fn start_tag(html: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let name_start = at + 1;
    let mut i = name_start;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &html[name_start..i];
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                return Some(Tag {
                    name,
                    attrs,
                    end: i + 1,
                })
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some(Tag {
                    name,
                    attrs,
                    end: i + 2,
                })
            }
            _ => {}
        }
        let a_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        if i == a_start {
            // A stray `/` inside the tag.
            i += 1;
            continue;
        }
        let a_name = &html[a_start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            match bytes.get(j)? {
                q @ (b'"' | b'\'') => {
                    let close = html[j + 1..].find(*q as char)? + j + 1;
                    value = html[j + 1..close].to_string();
                    i = close + 1;
                }
                _ => {
                    let v_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = html[v_start..j].to_string();
                    i = j;
                }
            }
        }
        attrs.push(Attr {
            name: a_name,
            value,
            start: a_start,
            end: i,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Html(h) => h.clone(),
                Piece::AidAnchor { link, attrs } => {
                    let attrs: Vec<String> =
                        attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("[{}|{}]", link.target(), attrs.join(" "))
                }
            })
            .collect()
    }

    #[test]
    fn plain_html_passes_unchanged() {
        let h = "<div class=\"grid\" markdown>\n<a href=\"x/\" title='a > b'>x</a><br/></div>";
        let Cleaned {
            pieces, removed, ..
        } = clean(h);
        assert_eq!(html_of(&pieces), h);
        assert!(removed.is_empty());
    }

    #[test]
    fn handlers_and_script_urls_are_removed() {
        let h = "<button onclick=\"this.parentElement.style.display='none'\" aria-label=\"Sluiten\">&times;</button> <a href=\"javascript:alert(1)\" class=k>x</a>";
        let Cleaned {
            pieces, removed, ..
        } = clean(h);
        assert_eq!(
            html_of(&pieces),
            "<button aria-label=\"Sluiten\">&times;</button> <a class=k>x</a>"
        );
        let names: Vec<&str> = removed.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["onclick", "href"]);
        assert_eq!(&h[removed[0].start..removed[0].start + 8], "onclick=");
        assert!(!removed[0].understood);
    }

    #[test]
    fn decision_aid_anchors_become_links() {
        let h = "Gebruik de <a href=\"#\" onclick=\"showModal(event, 'beslishulp AI-verordening', {redirectUrl: 'x/'});\">beslishulp</a>.";
        let Cleaned {
            pieces, removed, ..
        } = clean(h);
        assert_eq!(
            html_of(&pieces),
            "Gebruik de [kader:beslishulp|]beslishulp</a>."
        );
        assert!(removed.iter().all(|r| r.understood));
        let pieces = clean(
            "<a class=\"b\" onclick=\"showModal(event, 'ai-act-labels')\" onkeydown=\"x()\" href=\"../x.md\">",
        )
        .pieces;
        assert_eq!(html_of(&pieces), "[kader:profiel|class=b]");
    }

    #[test]
    fn styles_become_classes() {
        let h = "<div style=\"margin-top:32px;\" class=\"grid cards\" markdown>\n<li style='margin-left: 0;'>x</li><p style=\"background: url(x.png)\" id=a>";
        let c = clean(h);
        let [a, b] = &c.styles[..] else {
            panic!("{c:?}")
        };
        assert_eq!(
            html_of(&c.pieces),
            format!(
                "<div markdown class=\"grid cards {}\">\n<li class=\"{}\">x</li><p id=a>",
                a.class, b.class
            )
        );
        assert_eq!(c.refused.len(), 1);
        assert_eq!(
            &h[c.refused[0].start..c.refused[0].end],
            "style=\"background: url(x.png)\""
        );
        assert!(c.removed.is_empty());
        let c = clean(
            "<a style=\"color: &quot;x&quot;\" onclick=\"showModal(event, 'ai-act-labels')\">",
        );
        assert_eq!(c.styles[0].declarations, "color: \"x\"");
        assert_eq!(
            html_of(&c.pieces),
            format!("[kader:profiel|class={}]", c.styles[0].class)
        );
    }

    #[test]
    fn broken_tags_do_not_panic() {
        for h in [
            "<",
            "<a",
            "<a href=\"x",
            "<a onclick=",
            "< a>",
            "<1>",
            "<a/",
            "é<é onclick=x>",
        ] {
            let _ = clean(h);
        }
        let pieces = clean("<a onclick=x>").pieces;
        assert_eq!(html_of(&pieces), "<a>");
    }
}
