//! What a site shows around its pages: the sections of the main menu (side
//! menus), the footer menu, the look (logo, favicon, colours) and the
//! page furniture (edit link, last-updated date, image zoom).

use super::Localized;
use serde::Deserialize;

/// One entry of a section's page list (`pages = [...]` of a `[[menu]]`
/// entry): a page path, a glob, a labelled link or a labelled group.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum NavItem {
    /// `"levenscyclus/ontwerp.md"` (labelled with the page's title), a
    /// site path `"levenscyclus/"`, or a glob `"onderwerpen/*.md"` (every
    /// page it matches that the section does not list elsewhere, by title).
    Path(String),
    /// `{ label = "Vereisten", link = "vereisten/index.md" }`.
    Link { label: Localized, link: String },
    /// `{ label = "Meer", pages = [...] }`: a sub-list.
    Group {
        label: Localized,
        pages: Vec<NavItem>,
    },
}

/// `[theme]`: the site's look.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// An image shown before the site's title (a path in `static/` or in
    /// the content folder).
    pub logo: Option<String>,
    /// The browser's icon for the site (same places as `logo`).
    pub favicon: Option<String>,
    /// Colours; each one unset keeps kader's own.
    #[serde(default)]
    pub palette: Palette,
    /// Images in pages open full size (a link to the image; with
    /// JavaScript, an overlay on the page).
    #[serde(default)]
    pub image_zoom: bool,
}

/// `[theme.palette]`: CSS colours (`#rrggbb` or `#rgb`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Palette {
    /// The header, headings and buttons.
    pub primary: Option<String>,
    /// The menu bar under the header.
    pub primary_dark: Option<String>,
    /// Chips, table heads and highlighted rows.
    pub primary_light: Option<String>,
    /// Links.
    pub accent: Option<String>,
    /// Body text.
    pub text: Option<String>,
    /// Secondary text.
    pub muted: Option<String>,
    /// The page background.
    pub background: Option<String>,
}

impl Palette {
    /// kader's own colours (`static/kader.css`).
    pub const DEFAULTS: [(&'static str, &'static str); 7] = [
        ("primary", "#154273"),
        ("primary_dark", "#0f3156"),
        ("primary_light", "#e8eef5"),
        ("accent", "#01689b"),
        ("text", "#1b1b1b"),
        ("muted", "#4a4a4a"),
        ("background", "#ffffff"),
    ];

    /// Every colour the site sets, as (name, value).
    pub fn set(&self) -> Vec<(&'static str, &str)> {
        [
            ("primary", &self.primary),
            ("primary_dark", &self.primary_dark),
            ("primary_light", &self.primary_light),
            ("accent", &self.accent),
            ("text", &self.text),
            ("muted", &self.muted),
            ("background", &self.background),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }

    /// A colour by name: the site's, else kader's.
    pub fn get(&self, name: &str) -> &str {
        self.set()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
            .or_else(|| {
                Self::DEFAULTS
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| *v)
            })
            .unwrap_or("#000000")
    }

    pub fn is_empty(&self) -> bool {
        self.set().is_empty()
    }
}

/// An sRGB colour parsed from `#rgb` or `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().strip_prefix('#')?;
    if !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&h[i..i + 1], 16).ok();
    match h.len() {
        3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 => Some([
            u8::from_str_radix(&h[0..2], 16).ok()?,
            u8::from_str_radix(&h[2..4], 16).ok()?,
            u8::from_str_radix(&h[4..6], 16).ok()?,
        ]),
        _ => None,
    }
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    fn luminance(c: [u8; 3]) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    }
    let (x, y) = (luminance(a), luminance(b));
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    (hi + 0.05) / (lo + 0.05)
}

/// The pairs of colours that must reach WCAG AA's 4.5:1 (text on its
/// background), as (foreground, background, where it shows). `white` is
/// the header's text.
pub const CONTRAST_PAIRS: &[(&str, &str, &str)] = &[
    ("white", "primary", "the header's text"),
    ("white", "primary_dark", "the menu bar's text"),
    ("primary", "background", "headings"),
    ("primary", "primary_light", "chips and table heads"),
    ("accent", "background", "links"),
    ("text", "background", "body text"),
    ("muted", "background", "secondary text"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let white = parse_hex("#fff").unwrap();
        let black = parse_hex("#000000").unwrap();
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // kader's own blue on white passes, a light grey does not.
        assert!(contrast(parse_hex("#154273").unwrap(), white) > 4.5);
        assert!(contrast(parse_hex("#999999").unwrap(), white) < 4.5);
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(parse_hex("red"), None);
    }

    #[test]
    fn defaults_pass_their_own_check() {
        let p = Palette::default();
        for (fg, bg, _) in CONTRAST_PAIRS {
            let c = |n: &str| parse_hex(if n == "white" { "#ffffff" } else { p.get(n) }).unwrap();
            assert!(contrast(c(fg), c(bg)) >= 4.5, "{fg} on {bg}");
        }
    }
}
