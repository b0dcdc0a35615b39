//! Icon shortcodes (`:material-arrow-right:`, `:fontawesome-solid-house:`,
//! `:octicons-mark-github-16:`, `:simple-github:`): which icons the pages
//! use, read from icon sets installed as npm packages.
//!
//! The packages live in one folder, `node_modules` beside site.toml or
//! mkdocs.yml unless site.toml's `[markdown] icons` (or `kader build
//! --icons`) names another:
//!
//! | shortcode | package | file |
//! |---|---|---|
//! | `:material-NAME:` | `@mdi/svg` | `svg/NAME.svg` |
//! | `:fontawesome-STYLE-NAME:` | `@fortawesome/fontawesome-free` | `svgs/STYLE/NAME.svg` |
//! | `:octicons-NAME:` | `@primer/octicons` | `build/svg/NAME.svg` |
//! | `:simple-NAME:` | `simple-icons` | `icons/NAME.svg` |
//!
//! Only the icons a page uses are read; each is cleaned for inline use
//! (no size, no `style`, no script, `aria-hidden`), and a missing package
//! or icon is remembered so that the page reports it.

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The icon sets: shortcode prefix, npm package, folder of the SVG files.
pub const SETS: &[(&str, &str, &str)] = &[
    ("material", "@mdi/svg", "svg"),
    ("fontawesome", "@fortawesome/fontawesome-free", "svgs"),
    ("octicons", "@primer/octicons", "build/svg"),
    ("simple", "simple-icons", "icons"),
];

/// Largest icon file read.
const MAX_ICON_BYTES: u64 = 64 * 1024;
/// Longest shortcode name recognised.
const MAX_NAME: usize = 100;

/// A shortcode found in a text: its byte range and its name without the
/// colons (`material-arrow-right`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode<'a> {
    pub start: usize,
    pub end: usize,
    pub name: &'a str,
}

fn prefixes() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        let pats: Vec<String> = SETS.iter().map(|(p, _, _)| format!(":{p}-")).collect();
        AhoCorasick::new(pats).expect("fixed patterns")
    })
}

/// Every icon shortcode in `text`, in order.
pub fn shortcodes(text: &str) -> Vec<Shortcode<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(m) = prefixes().find(&text[from..]) {
        let start = from + m.start();
        let mut i = from + m.end();
        while i < bytes.len()
            && i - start <= MAX_NAME
            && (bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit() || bytes[i] == b'-')
        {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b':' && i > from + m.end() && bytes[i - 1] != b'-' {
            out.push(Shortcode {
                start,
                end: i + 1,
                name: &text[start + 1..i],
            });
            from = i + 1;
        } else {
            from = start + 1;
        }
    }
    out
}

/// Why an icon is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The icon set's package is not installed in the folder.
    Package { package: &'static str },
    /// The package is there, the icon is not.
    Icon { file: String },
    /// The file is there but is not a usable SVG.
    Unusable { file: String, why: String },
}

/// The icons the pages use, read from the icon folder.
#[derive(Debug, Clone, Default)]
pub struct Icons {
    /// The folder of the icon packages.
    pub dir: PathBuf,
    /// The folder as configured, for messages.
    pub shown: String,
    icons: HashMap<String, Result<String, Missing>>,
}

impl Icons {
    /// The inline SVG of the icon `name` (`material-arrow-right`).
    pub fn get(&self, name: &str) -> Option<&Result<String, Missing>> {
        self.icons.get(name)
    }

    /// Whether every shortcode in `text` was looked up.
    pub fn covers(&self, text: &str) -> bool {
        shortcodes(text)
            .iter()
            .all(|s| self.icons.contains_key(s.name))
    }

    /// Icons given directly (tests, fuzzing).
    pub fn with(
        shown: &str,
        icons: impl IntoIterator<Item = (String, Result<String, Missing>)>,
    ) -> Icons {
        Icons {
            dir: PathBuf::from(shown),
            shown: shown.to_string(),
            icons: icons.into_iter().collect(),
        }
    }

    /// Reads the icons named in `texts` from `dir` (configured as `shown`).
    pub fn load<'a>(
        dir: &Path,
        shown: &str,
        texts: impl ParallelIterator<Item = &'a str>,
    ) -> Icons {
        let names: BTreeSet<String> = texts
            .flat_map_iter(|t| {
                shortcodes(t)
                    .into_iter()
                    .map(|s| s.name.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let icons = names
            .into_iter()
            .map(|name| {
                let icon = read(dir, &name);
                (name, icon)
            })
            .collect();
        Icons {
            dir: dir.to_path_buf(),
            shown: shown.to_string(),
            icons,
        }
    }
}

/// The package and file of an icon, relative to the icon folder.
pub fn location(name: &str) -> Option<(&'static str, String)> {
    let (set, rest) = name.split_once('-')?;
    let &(_, package, folder) = SETS.iter().find(|(p, _, _)| *p == set)?;
    let file = if set == "fontawesome" {
        let (style, icon) = rest.split_once('-')?;
        if !matches!(style, "brands" | "regular" | "solid") {
            return None;
        }
        format!("{folder}/{style}/{icon}.svg")
    } else {
        format!("{folder}/{rest}.svg")
    };
    Some((package, format!("{package}/{file}")))
}

fn read(dir: &Path, name: &str) -> Result<String, Missing> {
    let Some((package, file)) = location(name) else {
        return Err(Missing::Icon {
            file: name.to_string(),
        });
    };
    if !dir.join(package).is_dir() {
        return Err(Missing::Package { package });
    }
    let path = dir.join(&file);
    let size = std::fs::metadata(&path)
        .map(|m| m.len())
        .map_err(|_| Missing::Icon { file: file.clone() })?;
    if size > MAX_ICON_BYTES {
        return Err(Missing::Unusable {
            file,
            why: format!("it is larger than {} kB", MAX_ICON_BYTES / 1024),
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Missing::Unusable {
        file: file.clone(),
        why: e.to_string(),
    })?;
    let set = name.split('-').next().unwrap_or("");
    inline_svg(&text, set).map_err(|why| Missing::Unusable { file, why })
}

/// An icon file made fit to be inlined: the `<svg>` element alone, its
/// size left to CSS, `aria-hidden`, a class per set; `style` attributes,
/// `<style>` and `<script>` elements and event handlers removed.
pub fn inline_svg(text: &str, set: &str) -> Result<String, String> {
    let start = text.find("<svg").ok_or("it has no <svg> element")?;
    let end = text
        .rfind("</svg>")
        .ok_or("its <svg> element is not closed")?
        + "</svg>".len();
    if end <= start {
        return Err("its <svg> element is not closed".into());
    }
    let svg = &text[start..end];
    let lower = svg.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("<foreignobject") {
        return Err("it contains a script or foreign content".into());
    }
    let open_end = svg.find('>').ok_or("its <svg> tag is not closed")?;
    let (open, rest) = svg.split_at(open_end);
    let mut tag = String::from("<svg");
    for (k, v) in attributes(&open[4..]) {
        let lk = k.to_ascii_lowercase();
        if matches!(
            lk.as_str(),
            "width" | "height" | "style" | "class" | "id" | "aria-hidden" | "focusable" | "role"
        ) || lk.starts_with("on")
        {
            continue;
        }
        tag.push_str(&format!(" {k}=\"{}\"", v.replace('"', "&quot;")));
    }
    tag.push_str(&format!(
        " class=\"icon icon-{set}\" aria-hidden=\"true\" focusable=\"false\""
    ));
    let body = strip_styles(rest);
    Ok(format!("{tag}{body}"))
}

/// `name="value"` pairs of a start tag's text.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start().trim_end_matches('/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = r[1..].find(q).map_or(r.len(), |i| i + 1);
                    value = r[1..close].to_string();
                    rest = r.get(close + 1..).unwrap_or("");
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    value = r[..end].to_string();
                    rest = &r[end..];
                }
            }
        }
        if !name.is_empty() {
            out.push((name.to_string(), value));
        }
        rest = rest.trim_start();
    }
    out
}

/// Removes `<style>` elements and `style="…"`/`on…="…"` attributes.
fn strip_styles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<style") {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find("</style>") {
            Some(e) => &rest[i + e + "</style>".len()..],
            None => "",
        };
    }
    out.push_str(rest);
    // Attributes inside the remaining tags.
    let mut clean = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find('<') {
        clean.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('>') else {
            clean.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = &rest[i..i + close + 1];
        if tag.starts_with("<!--") || tag.starts_with("</") {
            clean.push_str(tag);
        } else {
            let name_end = tag[1..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(tag.len() - 1, |e| e + 1);
            let name = &tag[1..name_end];
            let self_closing = tag.ends_with("/>");
            let inner = &tag[name_end..tag.len() - if self_closing { 2 } else { 1 }];
            clean.push('<');
            clean.push_str(name);
            for (k, v) in attributes(inner) {
                let lk = k.to_ascii_lowercase();
                if lk == "style" || lk.starts_with("on") {
                    continue;
                }
                clean.push_str(&format!(" {k}=\"{}\"", v.replace('"', "&quot;")));
            }
            clean.push_str(if self_closing { "/>" } else { ">" });
        }
        rest = &rest[i + close + 1..];
    }
    clean.push_str(rest);
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_found() {
        let t = ":material-arrow-right: Bepaal, urn:nl:ak:mtr:x :fontawesome-solid-house: :octicons-mark-github-16:x:simple-github: :material-: :material-a- :other-x: :material-Caps:";
        let names: Vec<&str> = shortcodes(t).iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "material-arrow-right",
                "fontawesome-solid-house",
                "octicons-mark-github-16",
                "simple-github"
            ]
        );
        let s = &shortcodes(t)[0];
        assert_eq!(&t[s.start..s.end], ":material-arrow-right:");
    }

    #[test]
    fn locations() {
        assert_eq!(
            location("material-arrow-right"),
            Some(("@mdi/svg", "@mdi/svg/svg/arrow-right.svg".into()))
        );
        assert_eq!(
            location("fontawesome-brands-github").unwrap().1,
            "@fortawesome/fontawesome-free/svgs/brands/github.svg"
        );
        assert_eq!(
            location("octicons-mark-github-16").unwrap().1,
            "@primer/octicons/build/svg/mark-github-16.svg"
        );
        assert_eq!(
            location("simple-github").unwrap().1,
            "simple-icons/icons/github.svg"
        );
        assert_eq!(location("fontawesome-house"), None);
    }

    #[test]
    fn svg_files_are_cleaned() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- x --><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\" style=\"color:red\" onload=\"x()\"><style>path{fill:red}</style><!--! Licence --><path d=\"M1 1h2\" style=\"fill:red\" onclick='y()'/><g><path d=\"M2 2\"></path></g></svg>\n";
        let out = inline_svg(svg, "material").unwrap();
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" class=\"icon icon-material\" aria-hidden=\"true\" focusable=\"false\"><!--! Licence --><path d=\"M1 1h2\"/><g><path d=\"M2 2\"></path></g></svg>"
        );
        assert!(inline_svg("<svg><script>x</script></svg>", "x").is_err());
        assert!(inline_svg("<html>", "x").is_err());
    }

    #[test]
    fn missing_packages_and_icons() {
        let dir = tempfile::tempdir().unwrap();
        let mdi = dir.path().join("@mdi/svg/svg");
        std::fs::create_dir_all(&mdi).unwrap();
        std::fs::write(
            mdi.join("check.svg"),
            "<svg viewBox=\"0 0 24 24\"><path d=\"M0 0\"/></svg>",
        )
        .unwrap();
        let texts = [":material-check: :material-nope: :octicons-x-16:"];
        let icons = Icons::load(dir.path(), "icons", texts.par_iter().copied());
        assert!(icons.get("material-check").unwrap().is_ok());
        assert_eq!(
            icons.get("material-nope"),
            Some(&Err(Missing::Icon {
                file: "@mdi/svg/svg/nope.svg".into()
            }))
        );
        assert_eq!(
            icons.get("octicons-x-16"),
            Some(&Err(Missing::Package {
                package: "@primer/octicons"
            }))
        );
        assert!(icons.covers("a :material-check: b"));
        assert!(!icons.covers(":material-other:"));
    }
}
