//! The MkDocs settings around the pages, as site.toml text: `nav` sections
//! (side menus), the footer (`extra.social` and the Algoritmekader's
//! service pages), the theme's logo, favicon and palette, `extra_css`,
//! `repo_url`/`edit_uri` and the plugins kader provides an equivalent of
//! (`glightbox`, `git-revision-date-localized`).

use super::toml_string as q;
use serde_yaml::Value;
use std::fmt::Write;
use std::path::Path;

/// The footer of an Algoritmekader-style site (README, "MkDocs sites"):
/// its service pages, each where the file exists. "Contact" is the FAQ's
/// last section, which gives the team's address.
const ALGORITMEKADER_FOOTER: &[(&str, &str)] = &[
    (
        "Over het Algoritmekader",
        "over-het-algoritmekader/over-het-algoritmekader.md",
    ),
    (
        "Veelgestelde vragen",
        "over-het-algoritmekader/veelgestelde-vragen.md",
    ),
    (
        "Contact",
        "over-het-algoritmekader/veelgestelde-vragen.md#e-overige-vragen",
    ),
    (
        "Toegankelijkheid",
        "over-het-algoritmekader/toegankelijkheid.md",
    ),
    ("Privacy", "over-het-algoritmekader/privacy.md"),
    ("Cookies", "over-het-algoritmekader/cookies.md"),
    ("Copyright", "over-het-algoritmekader/copyright.md"),
    (
        "Kwetsbaarheid melden",
        "over-het-algoritmekader/kwetsbaarheid-melden.md",
    ),
    ("Sitemap", "over-het-algoritmekader/sitemap.md"),
];

/// Material's named primary and accent colours (their 500 shades).
const MATERIAL_COLOURS: &[(&str, &str)] = &[
    ("red", "#f44336"),
    ("pink", "#e91e63"),
    ("purple", "#9c27b0"),
    ("deep-purple", "#673ab7"),
    ("indigo", "#3f51b5"),
    ("blue", "#2196f3"),
    ("light-blue", "#03a9f4"),
    ("cyan", "#00bcd4"),
    ("teal", "#009688"),
    ("green", "#4caf50"),
    ("light-green", "#8bc34a"),
    ("lime", "#cddc39"),
    ("yellow", "#ffeb3b"),
    ("amber", "#ffc107"),
    ("orange", "#ff9800"),
    ("deep-orange", "#ff5722"),
    ("brown", "#795548"),
    ("grey", "#9e9e9e"),
    ("blue-grey", "#607d8b"),
    ("black", "#000000"),
    ("white", "#ffffff"),
];

/// A top-level `nav` entry as a `[[menu]]` table: a page, or a section
/// (its first page is the link, its pages the side menu).
pub fn menu_entry(entry: &Value) -> Option<String> {
    let (label, link, pages) = match entry {
        Value::String(path) => (path.trim_end_matches(".md").to_string(), path.clone(), None),
        Value::Mapping(m) => {
            let (k, v) = m.iter().next()?;
            (k.as_str()?.to_string(), first_page(v)?, v.as_sequence())
        }
        _ => return None,
    };
    let mut t = format!("\n[[menu]]\nlabel = {}\nlink = {}\n", q(&label), q(&link));
    if let Some(items) = pages {
        let items: Vec<String> = items.iter().filter_map(nav_item).collect();
        if !items.is_empty() {
            let _ = writeln!(t, "pages = [\n  {},\n]", items.join(",\n  "));
        }
    }
    Some(t)
}

/// One entry of a section, as a TOML value.
fn nav_item(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            // awesome-pages: `...` is "the rest", `... | glob` the rest matching it.
            let path = match s.strip_prefix("...") {
                Some(rest) => rest.trim().strip_prefix('|')?.trim(),
                None => s,
            };
            Some(q(path))
        }
        Value::Mapping(m) => {
            let (k, v) = m.iter().next()?;
            let label = q(k.as_str()?);
            match v {
                Value::String(link) => Some(format!("{{ label = {label}, link = {} }}", q(link))),
                Value::Sequence(items) => {
                    let items: Vec<String> = items.iter().filter_map(nav_item).collect();
                    Some(format!(
                        "{{ label = {label}, pages = [{}] }}",
                        items.join(", ")
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The first page a nav value names.
pub fn first_page(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.starts_with("...") && !s.contains("://") => Some(s.clone()),
        Value::Sequence(items) => items.iter().find_map(first_page),
        Value::Mapping(m) => m.values().find_map(first_page),
        _ => None,
    }
}

/// What the settings around the pages become, as top-level keys (`keys`,
/// written before any table) and tables (`tables`).
pub struct Furniture {
    pub keys: String,
    pub tables: String,
}

/// Translates logo, favicon, palette, extra_css, extra (social links),
/// repo_url/edit_uri and the supported plugins; `profile` adds the
/// Algoritmekader's footer pages.
pub fn translate(yaml: &Value, root: &Path, docs_dir: &str, profile: bool) -> Furniture {
    let get = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let mut keys = String::new();
    let mut tables = String::new();
    let theme = get(yaml, "theme");

    if let Value::Sequence(css) = get(yaml, "extra_css") {
        let files: Vec<String> = css
            .iter()
            .filter_map(Value::as_str)
            .filter(|c| !c.contains("://"))
            .map(q)
            .collect();
        if !files.is_empty() {
            let _ = writeln!(keys, "extra_css = [{}]", files.join(", "));
        }
    }

    // repo_url, edit_uri: without repo_url, a GitHub or GitLab link of
    // extra.social is taken as the repository.
    let social = social_links(&get(&get(yaml, "extra"), "social"));
    let repo_url = get(yaml, "repo_url")
        .as_str()
        .map(|s| s.trim_end_matches('/').to_string())
        .or_else(|| {
            social
                .iter()
                .map(|(_, link)| link.trim_end_matches('/'))
                .find(|l| is_repository(l))
                .map(str::to_string)
        });
    if let Some(repo) = &repo_url {
        let _ = writeln!(keys, "repo_url = {}", q(repo));
        let edit = match get(yaml, "edit_uri") {
            Value::String(e) => Some(e),
            // MkDocs' default for GitHub and GitLab.
            Value::Null if is_repository(repo) => Some(format!("edit/master/{docs_dir}/")),
            _ => None,
        };
        if let Some(e) = edit.filter(|e| !e.is_empty()) {
            let _ = writeln!(keys, "edit_uri = {}", q(&e));
        }
    }

    // Plugins: git-revision-date-localized gives "last updated" (MkDocs
    // shows no date without it); glightbox opens images full size.
    let mut dates = false;
    let mut zoom = false;
    if let Value::Sequence(plugins) = get(yaml, "plugins") {
        for p in &plugins {
            let (name, opts) = match p {
                Value::String(s) => (s.as_str(), Value::Null),
                Value::Mapping(m) => match m.iter().next() {
                    Some((k, v)) => (k.as_str().unwrap_or_default(), v.clone()),
                    None => continue,
                },
                _ => continue,
            };
            match name {
                "git-revision-date-localized" => {
                    dates = !matches!(get(&opts, "enabled"), Value::Bool(false))
                }
                "glightbox" => zoom = true,
                _ => {}
            }
        }
    }
    let _ = writeln!(keys, "last_updated = {dates}");

    let _ = writeln!(tables, "\n[theme]\nimage_zoom = {zoom}");
    for key in ["logo", "favicon"] {
        if let Some(path) = theme.get(key).and_then(Value::as_str) {
            if !path.contains("://") {
                let _ = writeln!(tables, "{key} = {}", q(path));
            }
        }
    }
    // palette: one scheme, or a list of them (the first, the light one).
    let palette = match get(&theme, "palette") {
        Value::Sequence(s) => s.first().cloned().unwrap_or(Value::Null),
        v => v,
    };
    let mut colours = String::new();
    for (key, ours) in [("primary", "primary"), ("accent", "accent")] {
        let name = get(&palette, key);
        if let Some(hex) = name.as_str().and_then(material_colour) {
            let _ = writeln!(colours, "{ours} = {}", q(hex));
        }
    }
    if !colours.is_empty() {
        let _ = write!(tables, "\n[theme.palette]\n{colours}");
    }

    let mut footer: Vec<(String, String)> = Vec::new();
    if profile {
        for (label, link) in ALGORITMEKADER_FOOTER {
            let file = link.split('#').next().unwrap_or(link);
            if root.join(docs_dir).join(file).is_file() {
                footer.push((label.to_string(), link.to_string()));
            }
        }
    }
    footer.extend(social);
    for (label, link) in footer {
        let _ = writeln!(
            tables,
            "\n[[footer]]\nlabel = {}\nlink = {}",
            q(&label),
            q(&link)
        );
    }
    Furniture { keys, tables }
}

/// The hex value of one of Material's named colours (`custom` and unknown
/// names: none, kader's own colours stay).
fn material_colour(name: &str) -> Option<&'static str> {
    MATERIAL_COLOURS
        .iter()
        .find(|(n, _)| *n == name.trim().to_ascii_lowercase())
        .map(|(_, h)| *h)
}

/// `extra.social` as (label, link): the label is the `name`, else the
/// icon's last part (`fontawesome/brands/github` → GitHub), else the host.
fn social_links(v: &Value) -> Vec<(String, String)> {
    let Value::Sequence(items) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let link = item.get("link")?.as_str()?.to_string();
            let label = item
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    let icon = item.get("icon")?.as_str()?;
                    Some(brand_name(icon.rsplit('/').next().unwrap_or(icon)))
                })
                .unwrap_or_else(|| {
                    link.split("://")
                        .nth(1)
                        .unwrap_or(&link)
                        .split('/')
                        .next()
                        .unwrap_or(&link)
                        .to_string()
                });
            Some((label, link))
        })
        .collect()
}

fn brand_name(icon: &str) -> String {
    match icon {
        "github" | "github-alt" => "GitHub".into(),
        "gitlab" => "GitLab".into(),
        "linkedin" => "LinkedIn".into(),
        "mastodon" => "Mastodon".into(),
        "youtube" => "YouTube".into(),
        "x-twitter" | "twitter" => "X".into(),
        other => {
            let mut c = other.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// A repository on GitHub or GitLab: `https://github.com/owner/name`.
fn is_repository(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let mut parts = rest.trim_end_matches('/').split('/');
    matches!(parts.next(), Some("github.com" | "gitlab.com"))
        && parts.next().is_some_and(|s| !s.is_empty())
        && parts.next().is_some_and(|s| !s.is_empty())
        && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_become_side_menus() {
        let v: Value = serde_yaml::from_str(
            "Onderwerpen:\n  - onderwerpen/index.md\n  - ... | onderwerpen/*.md\n  - Extra: x.md\n  - Meer:\n      - y.md\n",
        )
        .unwrap();
        let t = menu_entry(&v).unwrap();
        assert!(t.contains("link = \"onderwerpen/index.md\""), "{t}");
        assert!(
            t.contains("\"onderwerpen/*.md\",\n  { label = \"Extra\", link = \"x.md\" },\n  { label = \"Meer\", pages = [\"y.md\"] }"),
            "{t}"
        );
    }

    #[test]
    fn repository_from_social_links_and_material_colours() {
        let dir = tempfile::tempdir().unwrap();
        let v: Value = serde_yaml::from_str(
            "theme:\n  palette:\n    - primary: indigo\n      accent: custom\n  logo: a/logo.svg\nextra:\n  social:\n    - icon: fontawesome/brands/github\n      link: https://github.com/o/r\nedit_uri: edit/main/docs/\nplugins:\n  - glightbox\n  - git-revision-date-localized:\n      enabled: true\n",
        )
        .unwrap();
        let f = translate(&v, dir.path(), "docs", true);
        assert!(
            f.keys.contains("repo_url = \"https://github.com/o/r\""),
            "{}",
            f.keys
        );
        assert!(f.keys.contains("edit_uri = \"edit/main/docs/\""));
        assert!(f.keys.contains("last_updated = true"));
        assert!(f.tables.contains("image_zoom = true"));
        assert!(f.tables.contains("logo = \"a/logo.svg\""));
        assert!(f.tables.contains("primary = \"#3f51b5\""));
        assert!(!f.tables.contains("accent"));
        assert!(f
            .tables
            .contains("label = \"GitHub\"\nlink = \"https://github.com/o/r\""));
        // The service pages are linked only where they exist.
        assert!(!f.tables.contains("Privacy"));
    }
}
