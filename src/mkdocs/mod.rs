//! MkDocs compatibility: a site with a `mkdocs.yml` and no `site.toml` is
//! built as it is. The MkDocs settings are translated into the equivalent
//! site.toml text (which `kader import mkdocs` writes out), then parsed like
//! any site.toml, so both paths behave the same. Settings kader does not
//! support are reported once each, as warnings.

mod furniture;

use crate::config::SiteConfig;
use crate::diagnostics::yaml_paths::{Seg, YamlPositions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use serde_yaml::Value;
use std::fmt::Write;
use std::path::Path;

/// The content model of an Algoritmekader-style knowledge base.
const ALGORITMEKADER_PROFILE: &str = include_str!("algoritmekader.toml");

/// Markdown extensions whose behaviour kader provides.
const SUPPORTED_EXTENSIONS: &[&str] = &[
    "admonition",
    "pymdownx.details",
    "pymdownx.tabbed",
    "pymdownx.superfences",
    "attr_list",
    "md_in_html",
    "footnotes",
    "abbr",
    "tables",
    "toc",
    "pymdownx.tasklist",
    "pymdownx.snippets",
    "meta",
    // `/// html | tag[…]` blocks (parse::blocks_html).
    "pymdownx.blocks.html",
    // Icon shortcodes from installed icon sets (discover::icons); the
    // emoji index and generator options are Material's and not needed.
    "pymdownx.emoji",
];

/// Plugins whose behaviour kader provides.
const SUPPORTED_PLUGINS: &[&str] = &[
    "search",
    "awesome-pages",
    "glightbox",
    "git-revision-date-localized",
];

/// The result of reading a mkdocs.yml.
pub struct Imported {
    /// The equivalent site.toml text.
    pub site_toml: String,
    /// Unsupported settings, as warnings on mkdocs.yml.
    pub warnings: Diagnostics,
}

/// Reads `root/mkdocs.yml` as the site configuration.
pub fn read_config(root: &Path) -> Result<(SourceText, SiteConfig, Diagnostics), Diagnostics> {
    let text = std::fs::read_to_string(root.join("mkdocs.yml")).map_err(|e| {
        std::iter::once(Diagnostic::file(
            Code::Config,
            "mkdocs.yml",
            format!("cannot read mkdocs.yml: {e}"),
        ))
        .collect::<Diagnostics>()
    })?;
    let source = SourceText::new("mkdocs.yml", text);
    let imported = import(&source, root)?;
    let generated = SourceText::new("mkdocs.yml", imported.site_toml.clone());
    let config = SiteConfig::parse(&generated).map_err(|d| {
        // A problem in the generated text is reported against mkdocs.yml.
        d.sorted()
            .into_iter()
            .map(|mut d| {
                d.line = 0;
                d.column = 0;
                d.source_line = None;
                d
            })
            .collect::<Diagnostics>()
    })?;
    Ok((source, config, imported.warnings))
}

/// Translates a mkdocs.yml into site.toml text.
pub fn import(source: &SourceText, root: &Path) -> Result<Imported, Diagnostics> {
    let yaml: Value = serde_yaml::from_str(&source.text).map_err(|e| {
        let d = match e.location() {
            Some(l) => Diagnostic::at_line_col(
                Code::Config,
                source,
                l.line(),
                l.column(),
                1,
                format!("mkdocs.yml is not valid YAML: {e}"),
            ),
            None => Diagnostic::file(
                Code::Config,
                &source.path,
                format!("mkdocs.yml is not valid YAML: {e}"),
            ),
        };
        std::iter::once(d).collect::<Diagnostics>()
    })?;
    let positions = YamlPositions::of(&source.text);
    let mut warnings = Diagnostics::new();
    let mut warn_at = |segs: &[Seg], message: String| {
        let d = match positions.find(segs) {
            Some((line, col)) => {
                Diagnostic::at_line_col(Code::UnsupportedSetting, source, line, col, 1, message)
            }
            None => Diagnostic::file(Code::UnsupportedSetting, &source.path, message),
        };
        warnings.push(d.with_hint("the setting is ignored; the rest of the site builds as usual"));
    };
    let seg = |k: &str| Seg::Key(k.to_string());

    let get = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let string = |v: &Value| v.as_str().map(str::to_string);
    let site_name = string(&get(&yaml, "site_name")).unwrap_or_else(|| "Site".into());
    let description = string(&get(&yaml, "site_description")).unwrap_or_default();
    let site_url =
        string(&get(&yaml, "site_url")).unwrap_or_else(|| "http://127.0.0.1:8000/".into());
    let docs_dir = string(&get(&yaml, "docs_dir")).unwrap_or_else(|| "docs".into());
    let site_dir = string(&get(&yaml, "site_dir")).unwrap_or_else(|| "site".into());
    let theme = get(&yaml, "theme");
    let lang = string(&get(&theme, "language")).unwrap_or_else(|| "en".into());

    let mut toc_depth = 3u8;
    let mut glossary: Option<String> = None;
    if let Value::Sequence(exts) = get(&yaml, "markdown_extensions") {
        for (i, ext) in exts.into_iter().enumerate() {
            let at = [seg("markdown_extensions"), Seg::Index(i)];
            let (name, opts) = match &ext {
                Value::String(s) => (s.clone(), Value::Null),
                Value::Mapping(m) => match m.iter().next() {
                    Some((k, v)) => (k.as_str().unwrap_or_default().to_string(), v.clone()),
                    None => continue,
                },
                _ => continue,
            };
            match name.as_str() {
                "toc" => {
                    if let Some(d) = get(&opts, "toc_depth").as_u64() {
                        toc_depth = d.clamp(1, 6) as u8;
                    }
                }
                "pymdownx.snippets" => {
                    if let Value::Sequence(files) = get(&opts, "auto_append") {
                        let files: Vec<String> = files
                            .iter()
                            .filter_map(|f| f.as_str().map(str::to_string))
                            .collect();
                        glossary = files.first().cloned();
                        if files.len() > 1 {
                            warn_at(&at, format!("only the first snippets auto_append file is used as the glossary ({})", files[0]));
                        }
                    }
                }
                n if SUPPORTED_EXTENSIONS.contains(&n) => {}
                n => warn_at(&at, format!("Markdown extension `{n}` is not supported")),
            }
        }
    }
    if let Value::Sequence(plugins) = get(&yaml, "plugins") {
        for (i, p) in plugins.into_iter().enumerate() {
            let at = [seg("plugins"), Seg::Index(i)];
            let name = match &p {
                Value::String(s) => s.clone(),
                Value::Mapping(m) => m
                    .keys()
                    .next()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                _ => continue,
            };
            if !SUPPORTED_PLUGINS.contains(&name.as_str()) {
                warn_at(&at, format!("MkDocs plugin `{name}` is not supported"));
            }
        }
    }
    for (key, what) in [
        ("hooks", "Python hooks are not run; kader's directives provide the lists and tags they made"),
        ("extra_javascript", "extra_javascript is not loaded: kader's pages carry their own scripts, and external scripts are not allowed"),
        ("extra_html", "extra_html is not used"),
    ] {
        if !yaml.get(key).is_none_or(Value::is_null) {
            warn_at(&[seg(key)], what.to_string());
        }
    }
    // `extra`: the social links become footer links; other keys are Material's.
    if let Value::Mapping(extra) = get(&yaml, "extra") {
        for key in extra.keys().filter_map(Value::as_str) {
            if key != "social" {
                warn_at(
                    &[seg("extra"), seg(key)],
                    format!("`extra.{key}` is a setting of the Material theme; kader ignores it"),
                );
            }
        }
    }
    for key in ["custom_dir", "features", "font", "icon"] {
        // `font: false` (no web fonts) is what kader does anyway.
        let quiet = key == "font" && theme.get(key) == Some(&Value::Bool(false));
        if theme.get(key).is_some() && !quiet {
            warn_at(
                &[seg("theme"), seg(key)],
                format!("theme setting `{key}` is not supported (kader uses its own theme)"),
            );
        }
    }

    // validation: MkDocs' defaults are a warning for a missing page and
    // "info" for a missing anchor; kader reports info as a warning.
    let validation = get(&yaml, "validation");
    let links = get(&validation, "links");
    let level = |v: Value, default: &str| -> String {
        match v.as_str() {
            Some("ignore") => "off".into(),
            Some("info") | Some("warn") => "warning".into(),
            Some("error") => "error".into(),
            _ => default.into(),
        }
    };
    let not_found = level(get(&links, "not_found"), "warning");
    let anchors = level(get(&links, "anchors"), "warning");

    let mut t = String::new();
    let q = |s: &str| toml_string(s);
    let _ = writeln!(t, "# Generated from mkdocs.yml by kader.");
    let _ = writeln!(t, "title = {}", q(&site_name));
    if !description.is_empty() {
        let _ = writeln!(t, "description = {}", q(&description));
    }
    let _ = writeln!(t, "base_url = {}", q(&site_url));
    let _ = writeln!(t, "content_dir = {}", q(docs_dir.trim_matches('/')));
    let _ = writeln!(t, "output_dir = {}", q(&site_dir));
    if let Some(g) = &glossary {
        let _ = writeln!(t, "glossary = {}", q(g));
    }
    let _ = writeln!(t, "default_language = {}", q(&lang));
    let profile = root
        .join(&docs_dir)
        .join("voldoen-aan-wetten-en-regels/vereisten")
        .is_dir();
    if profile {
        let _ = writeln!(t, "home_taxonomies = [\"levenscyclus\", \"onderwerp\"]");
    }
    let furniture = furniture::translate(&yaml, root, docs_dir.trim_matches('/'), profile);
    t.push_str(&furniture.keys);
    let _ = writeln!(
        t,
        "\n[languages.{}]\nname = {}\nprefix = \"\"",
        lang,
        q(language_name(&lang))
    );
    let _ = writeln!(t, "\n[markdown]\ntoc_depth = {toc_depth}");
    let _ = writeln!(t, "\n[severity]");
    for kind in ["broken_page_link", "broken_asset", "link_to_draft"] {
        let _ = writeln!(t, "{kind} = {}", q(&not_found));
    }
    for kind in ["broken_anchor", "broken_block_ref"] {
        let _ = writeln!(t, "{kind} = {}", q(&anchors));
    }
    // Problems MkDocs does not look for at all are warnings, so the site
    // builds as it does today while `kader check` lists them.
    for kind in [
        "unknown_term",
        "unknown_taxonomy",
        "unknown_reference",
        "unknown_directive",
        "directive_argument",
        "missing_field",
        "duplicate_id",
        "link_outside_root",
        "malformed_url",
        "duplicate_block_id",
        "duplicate_key",
        "field_type",
    ] {
        let _ = writeln!(t, "{kind} = \"warning\"");
    }
    if let Value::Sequence(nav) = get(&yaml, "nav") {
        for entry in nav {
            if let Some(menu) = furniture::menu_entry(&entry) {
                t.push_str(&menu);
            }
        }
    }
    t.push_str(&furniture.tables);
    if profile {
        t.push('\n');
        t.push_str(ALGORITMEKADER_PROFILE);
    }
    Ok(Imported {
        site_toml: t,
        warnings,
    })
}

fn language_name(code: &str) -> &str {
    match code {
        "nl" => "Nederlands",
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        other => other,
    }
}

/// A TOML basic string.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `kader import mkdocs`: writes the equivalent site.toml next to mkdocs.yml.
pub fn write_site_toml(root: &Path) -> Result<(std::path::PathBuf, Diagnostics), String> {
    let target = root.join("site.toml");
    if target.exists() {
        return Err(format!(
            "{} already exists; remove it first to import again",
            target.display()
        ));
    }
    let text = std::fs::read_to_string(root.join("mkdocs.yml"))
        .map_err(|e| format!("cannot read mkdocs.yml in {}: {e}", root.display()))?;
    let source = SourceText::new("mkdocs.yml", text);
    let imported =
        import(&source, root).map_err(|d| crate::diagnostics::render_human(&d.sorted(), false))?;
    std::fs::write(&target, &imported.site_toml)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok((target, imported.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_entries_become_menu_links() {
        let v: Value = serde_yaml::from_str("- Home: index.md\n- Onderwerpen:\n    - onderwerpen/index.md\n    - ... | onderwerpen/*.md\n- Extra:\n    - Overzicht: x/index.md\n").unwrap();
        let links: Vec<String> = v
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(furniture::menu_entry)
            .map(|t| {
                t.lines()
                    .find(|l| l.starts_with("link"))
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            links,
            [
                "link = \"index.md\"",
                "link = \"onderwerpen/index.md\"",
                "link = \"x/index.md\""
            ]
        );
    }

    #[test]
    fn blocks_and_emoji_are_supported() {
        let dir = tempfile::tempdir().unwrap();
        let src = SourceText::new(
            "mkdocs.yml",
            "site_name: X\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n  - pymdownx.blocks.html\n",
        );
        let imported = import(&src, dir.path()).unwrap();
        assert!(
            imported.warnings.is_empty(),
            "{:?}",
            imported.warnings.sorted()
        );
    }

    #[test]
    fn unsupported_settings_are_warnings_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        let src = SourceText::new(
            "mkdocs.yml",
            "site_name: X\nsite_url: https://example.org/Sub/\ntheme:\n  name: material\n  language: nl\n  logo: a.svg\nmarkdown_extensions:\n  - admonition\n  - pymdownx.arithmatex:\n      generic: true\n  - toc:\n      toc_depth: 2\nplugins:\n  - search\n  - glightbox\nhooks:\n  - h.py\n",
        );
        let imported = import(&src, dir.path()).unwrap();
        let w = imported.warnings.sorted();
        let msgs: Vec<_> = w.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            !msgs
                .iter()
                .any(|(_, m)| m.contains("logo") || m.contains("glightbox")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|(_, m)| m.contains("pymdownx.arithmatex")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|(_, m)| m.contains("hooks")), "{msgs:?}");
        let config = SiteConfig::parse(&SourceText::new("site.toml", imported.site_toml)).unwrap();
        assert_eq!(config.base_path, "/Sub/");
        assert_eq!(config.markdown.toc_depth, 2);
        assert_eq!(config.default_language, "nl");
    }
}
