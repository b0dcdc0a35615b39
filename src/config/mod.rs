//! The site configuration (`site.toml`): languages, collections, taxonomies
//! and output settings. Parsing is pure: it takes the file's text.

mod furniture;
mod localized;

pub use furniture::{contrast, parse_hex, NavItem, Palette, ThemeConfig, CONTRAST_PAIRS};
pub use localized::Localized;

use crate::diagnostics::{
    did_you_mean, Code, Diagnostic, Diagnostics, Severity, SeverityOverrides, SourceText,
};
use indexmap::IndexMap;
use serde::Deserialize;

/// The parsed and checked `site.toml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (`/` or `/kennisbank/`).
    pub base_path: String,
    pub output_dir: String,
    pub content_dir: String,
    pub glossary: Option<String>,
    pub default_language: String,
    /// Languages in display order; the default language first.
    pub languages: IndexMap<String, LanguageConfig>,
    pub collections: IndexMap<String, CollectionConfig>,
    pub taxonomies: IndexMap<String, TaxonomyConfig>,
    pub menu: Vec<MenuEntry>,
    pub markdown: MarkdownConfig,
    pub severity: SeverityOverrides,
    pub extra_css: Vec<String>,
    pub extra_js: Vec<String>,
    /// Taxonomies shown as tiles on the home page, in order.
    pub home_taxonomies: Vec<String>,
    /// How decision trees' outcomes map onto the taxonomies.
    pub decision_aid: DecisionAidConfig,
    /// The content's licence, named on the spreadsheets' explanation sheet.
    pub licence: Option<Localized>,
    /// Links in every page's footer, in order.
    pub footer: Vec<MenuEntry>,
    /// Logo, favicon, colours, image zoom.
    pub theme: ThemeConfig,
    /// The repository the content is kept in (`https://github.com/org/repo`).
    pub repo_url: Option<String>,
    /// Path of the edit view below `repo_url` (`edit/main/content/`): with
    /// both, pages link to their source as "edit this page".
    pub edit_uri: Option<String>,
    /// Show when each page was last changed (from git history; nothing
    /// outside a git checkout).
    pub last_updated: bool,
}

/// `[decision_aid]`: how the labels a decision tree collects become a
/// profile of taxonomy terms, and where the pages built from it live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionAidConfig {
    /// The collection "Vereisten voor jou" lists (default `vereisten`, or
    /// the first collection).
    #[serde(default)]
    pub overview: String,
    /// The taxonomy that groups "Vereisten voor jou" (default
    /// `levenscyclus` when it exists).
    #[serde(default)]
    pub group_by: Option<String>,
    /// URL folder of "Vereisten voor jou".
    #[serde(default = "default_profile_path")]
    pub profile_path: String,
    /// URL folder of the pages built from decision trees.
    #[serde(default = "default_trees_path")]
    pub trees_path: String,
    /// The decision tree that links to "the decision aid" open (default:
    /// the first tree by name).
    #[serde(default)]
    pub tree: Option<String>,
    /// Decision-tree subcategory → taxonomy.
    #[serde(default)]
    pub groups: IndexMap<String, String>,
    /// Label → term slug of its group's taxonomy.
    #[serde(default)]
    pub labels: IndexMap<String, String>,
    /// Labels that map to no term.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The front-matter list field whose entries say when a page does not
    /// apply after all (boolean expressions over `taxonomy-term` names).
    #[serde(default = "default_exceptions")]
    pub exceptions: String,
}

fn default_exceptions() -> String {
    "uitzondering".into()
}

fn default_profile_path() -> String {
    "vereisten-voor-jou".into()
}

fn default_trees_path() -> String {
    "beslishulp".into()
}

impl Default for DecisionAidConfig {
    fn default() -> Self {
        DecisionAidConfig {
            overview: String::new(),
            group_by: None,
            profile_path: default_profile_path(),
            trees_path: default_trees_path(),
            tree: None,
            groups: IndexMap::new(),
            labels: IndexMap::new(),
            ignore: Vec::new(),
            exceptions: default_exceptions(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub name: String,
    /// URL prefix without slashes; empty for the root.
    #[serde(default)]
    pub prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    /// Folder under the content folder.
    pub dir: String,
    pub template: String,
    pub label: Localized,
    pub singular: Option<Localized>,
    /// Taxonomies shown as columns in overview tables and lists.
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub fields: IndexMap<String, FieldSpec>,
    /// Search ranks these pages first for the words of their titles
    /// ("the requirement named after a term").
    #[serde(default)]
    pub search_boost: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// For `refs`: the collection whose pages are named.
    pub collection: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// A single string.
    String,
    /// A list of terms of the taxonomy with the same name as the field.
    Terms,
    /// A list of references (slug or id) to pages of `collection`.
    Refs,
    Bool,
    /// A list of strings.
    List,
    /// A date (`YYYY-MM-DD`).
    Date,
}

impl FieldKind {
    pub fn describe(self) -> &'static str {
        match self {
            FieldKind::String => "a text",
            FieldKind::Terms => "a list of terms",
            FieldKind::Refs => "a list of page references",
            FieldKind::Bool => "true or false",
            FieldKind::List => "a list of texts",
            FieldKind::Date => "a date (YYYY-MM-DD)",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub label: Localized,
    /// URL folder of the taxonomy's pages; defaults to the key.
    pub path: Option<String>,
    /// Shown by `<!-- tags-ai-act -->` rather than `<!-- tags -->`.
    #[serde(default)]
    pub ai_act: bool,
    pub terms: Vec<TermConfig>,
}

impl TaxonomyConfig {
    pub fn term(&self, slug: &str) -> Option<&TermConfig> {
        self.terms.iter().find(|t| t.slug == slug)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermConfig {
    pub slug: String,
    pub label: Localized,
    pub description: Option<Localized>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuEntry {
    pub label: Localized,
    /// A content path (`vereisten/index.md`) or a site path (`/levenscyclus/`).
    pub link: String,
    /// The section's pages, shown as a side menu on each of them (with
    /// previous and next links).
    #[serde(default)]
    pub pages: Vec<NavItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through (true) or report it as an error.
    pub allow_raw_html: bool,
    /// Deepest heading level shown in a page's table of contents.
    pub toc_depth: u8,
    /// The folder holding the icon sets' npm packages (`@mdi/svg`, …),
    /// relative to the site root (see `discover::icons`).
    pub icons: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            allow_raw_html: true,
            toc_depth: 3,
            icons: "node_modules".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_output")]
    output_dir: String,
    #[serde(default = "default_content")]
    content_dir: String,
    glossary: Option<String>,
    #[serde(default = "default_lang")]
    default_language: String,
    #[serde(default)]
    languages: IndexMap<String, LanguageConfig>,
    #[serde(default)]
    collections: IndexMap<String, CollectionConfig>,
    #[serde(default)]
    taxonomies: IndexMap<String, TaxonomyConfig>,
    #[serde(default)]
    menu: Vec<MenuEntry>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    severity: IndexMap<String, String>,
    #[serde(default)]
    extra_css: Vec<String>,
    #[serde(default)]
    extra_js: Vec<String>,
    home_taxonomies: Option<Vec<String>>,
    #[serde(default)]
    decision_aid: DecisionAidConfig,
    #[serde(default)]
    licence: Option<Localized>,
    #[serde(default)]
    footer: Vec<MenuEntry>,
    #[serde(default)]
    theme: ThemeConfig,
    repo_url: Option<String>,
    edit_uri: Option<String>,
    #[serde(default = "default_true")]
    last_updated: bool,
}

fn default_true() -> bool {
    true
}

fn default_output() -> String {
    "public".into()
}
fn default_content() -> String {
    "content".into()
}
fn default_lang() -> String {
    "nl".into()
}

impl SiteConfig {
    /// Parses and checks `site.toml`. All problems are returned at once.
    pub fn parse(source: &SourceText) -> Result<SiteConfig, Diagnostics> {
        let raw: RawConfig = toml::from_str(&source.text).map_err(|e| {
            let (start, end) = e.span().map(|s| (s.start, s.end)).unwrap_or((0, 0));
            let msg = e.message().trim().to_string();
            let d = if start == 0 && end == 0 {
                Diagnostic::file(Code::Config, &source.path, msg)
            } else {
                Diagnostic::at(Code::Config, source, start, end, msg)
            };
            std::iter::once(d).collect::<Diagnostics>()
        })?;
        Self::from_raw(raw, source)
    }

    fn from_raw(raw: RawConfig, source: &SourceText) -> Result<SiteConfig, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut problem = |needle: &str, message: String, hint: Option<String>| {
            diags.push(locate(source, needle, message).with_hint_opt(hint));
        };

        let (base_url, base_path) = match normalize_base_url(&raw.base_url) {
            Ok(v) => v,
            Err(m) => {
                problem(
                    "base_url",
                    m,
                    Some("write it like `https://example.org/kennisbank/`".into()),
                );
                (String::new(), "/".into())
            }
        };

        let mut languages = raw.languages;
        if languages.is_empty() {
            languages.insert(
                raw.default_language.clone(),
                LanguageConfig {
                    name: raw.default_language.clone(),
                    prefix: String::new(),
                },
            );
        }
        match languages.get_index_of(&raw.default_language) {
            Some(i) => languages.move_index(i, 0),
            None => problem(
                "default_language",
                format!(
                    "default_language `{}` is not among the configured languages",
                    raw.default_language
                ),
                None,
            ),
        }
        let mut prefixes: Vec<&str> = Vec::new();
        for (code, lang) in &languages {
            let p = lang.prefix.trim_matches('/');
            if prefixes.contains(&p) {
                problem(
                    &format!("[languages.{code}]"),
                    format!("language `{code}` uses the URL prefix `{p}` of another language"),
                    None,
                );
            }
            prefixes.push(p);
        }
        for lang in languages.values_mut() {
            lang.prefix = lang.prefix.trim_matches('/').to_string();
        }

        for (name, tax) in &raw.taxonomies {
            let mut seen = Vec::new();
            for t in &tax.terms {
                if seen.contains(&t.slug.as_str()) {
                    problem(
                        &format!("slug = \"{}\"", t.slug),
                        format!("taxonomy `{name}` lists the term `{}` twice", t.slug),
                        None,
                    );
                }
                seen.push(&t.slug);
                if !is_slug(&t.slug) {
                    problem(
                        &format!("slug = \"{}\"", t.slug),
                        format!(
                            "term `{}` of taxonomy `{name}` is not a URL-safe slug",
                            t.slug
                        ),
                        Some("use lowercase letters, digits and hyphens".into()),
                    );
                }
            }
        }

        for (cname, coll) in &raw.collections {
            for col in &coll.columns {
                if !raw.taxonomies.contains_key(col) {
                    let hint = did_you_mean(col, raw.taxonomies.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"));
                    problem(
                        &format!("\"{col}\""),
                        format!(
                            "collection `{cname}` shows column `{col}`, which is not a taxonomy"
                        ),
                        hint,
                    );
                }
            }
            for (fname, spec) in &coll.fields {
                match spec.kind {
                    FieldKind::Terms if !raw.taxonomies.contains_key(fname) => {
                        let hint = did_you_mean(fname, raw.taxonomies.keys().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"));
                        problem(
                            &format!("{fname} = "),
                            format!("field `{fname}` of `{cname}` has type `terms` but there is no taxonomy `{fname}`"),
                            hint,
                        );
                    }
                    FieldKind::Refs => match &spec.collection {
                        Some(c) if raw.collections.contains_key(c) => {}
                        Some(c) => problem(
                            &format!("{fname} = "),
                            format!("field `{fname}` of `{cname}` refers to the unknown collection `{c}`"),
                            None,
                        ),
                        None => problem(
                            &format!("{fname} = "),
                            format!("field `{fname}` of `{cname}` has type `refs` but names no `collection`"),
                            None,
                        ),
                    },
                    _ => {}
                }
            }
        }

        let home_taxonomies = match raw.home_taxonomies {
            Some(list) => {
                for t in &list {
                    if !raw.taxonomies.contains_key(t) {
                        let hint = did_you_mean(t, raw.taxonomies.keys().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"));
                        problem(
                            &format!("\"{t}\""),
                            format!("home_taxonomies names `{t}`, which is not a taxonomy"),
                            hint,
                        );
                    }
                }
                list
            }
            None => raw
                .taxonomies
                .iter()
                .filter(|(_, t)| !t.ai_act)
                .map(|(k, _)| k.clone())
                .collect(),
        };

        let mut decision_aid = raw.decision_aid;
        if decision_aid.overview.is_empty() {
            decision_aid.overview = if raw.collections.contains_key("vereisten") {
                "vereisten".into()
            } else {
                raw.collections.keys().next().cloned().unwrap_or_default()
            };
        } else if !raw.collections.contains_key(&decision_aid.overview) {
            let o = &decision_aid.overview;
            let hint = did_you_mean(o, raw.collections.keys().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"));
            problem(
                &format!("overview = \"{o}\""),
                format!("decision_aid.overview names `{o}`, which is not a collection"),
                hint,
            );
        }
        match &decision_aid.group_by {
            Some(t) if !raw.taxonomies.contains_key(t) => {
                let hint = did_you_mean(t, raw.taxonomies.keys().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                problem(
                    &format!("group_by = \"{t}\""),
                    format!("decision_aid.group_by names `{t}`, which is not a taxonomy"),
                    hint,
                );
            }
            Some(_) => {}
            None => {
                decision_aid.group_by = raw
                    .taxonomies
                    .contains_key("levenscyclus")
                    .then(|| "levenscyclus".to_string())
            }
        }
        for (group, tax) in &decision_aid.groups {
            if !raw.taxonomies.contains_key(tax) {
                let hint = did_you_mean(tax, raw.taxonomies.keys().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                problem(
                    &format!("= \"{tax}\""),
                    format!(
                        "decision_aid.groups maps `{group}` to `{tax}`, which is not a taxonomy"
                    ),
                    hint,
                );
            }
        }
        for (name, path) in [
            ("profile_path", &mut decision_aid.profile_path),
            ("trees_path", &mut decision_aid.trees_path),
        ] {
            *path = path.trim_matches('/').to_string();
            if path.is_empty() || !path.split('/').all(is_slug) {
                problem(
                    &format!("{name} = "),
                    format!("decision_aid.{name} `{path}` is not a URL folder"),
                    Some("use lowercase letters, digits and hyphens, e.g. `beslishulp`".into()),
                );
            }
        }

        for (name, value) in raw.theme.palette.set() {
            if parse_hex(value).is_none() {
                problem(
                    &format!("{name} = "),
                    format!("palette colour `{name}` is `{value}`, not a colour like `#154273`"),
                    Some("write colours as `#rrggbb` or `#rgb`".into()),
                );
            }
        }
        if let Some(url) = &raw.repo_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                problem(
                    "repo_url",
                    format!("repo_url `{url}` must start with https:// or http://"),
                    None,
                );
            }
        }

        let mut severity = SeverityOverrides::default();
        for (kind, value) in &raw.severity {
            let sev = match value.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    problem(
                        &format!("{kind} = "),
                        format!(
                            "severity `{other}` for `{kind}` is not one of error, warning, off"
                        ),
                        None,
                    );
                    continue;
                }
            };
            if let Err(m) = severity.set(kind, sev) {
                problem(&format!("{kind} = "), m, None);
            }
        }

        if diags.has_errors() {
            return Err(diags);
        }
        Ok(SiteConfig {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            output_dir: raw.output_dir,
            content_dir: raw.content_dir.trim_matches('/').to_string(),
            glossary: raw.glossary,
            default_language: raw.default_language,
            languages,
            collections: raw.collections,
            taxonomies: raw.taxonomies,
            menu: raw.menu,
            markdown: raw.markdown,
            severity,
            extra_css: raw.extra_css,
            extra_js: raw.extra_js,
            home_taxonomies,
            decision_aid,
            licence: raw.licence,
            footer: raw.footer,
            theme: raw.theme,
            repo_url: raw.repo_url,
            edit_uri: raw.edit_uri,
            last_updated: raw.last_updated,
        })
    }

    /// The same configuration served from a different base URL (for `serve`).
    pub fn with_base_url(&self, base_url: &str) -> Result<SiteConfig, String> {
        let (base_url, base_path) = normalize_base_url(base_url)?;
        Ok(SiteConfig {
            base_url,
            base_path,
            ..self.clone()
        })
    }

    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.keys().map(String::as_str)
    }

    /// URL path prefix of a language: `/` or `/en/`, below the base path.
    pub fn lang_root(&self, lang: &str) -> String {
        match self.languages.get(lang) {
            Some(l) if !l.prefix.is_empty() => format!("{}{}/", self.base_path, l.prefix),
            _ => self.base_path.clone(),
        }
    }

    /// The reference fields, of any collection, that name pages of
    /// `collection` (`vereiste` for `vereisten`), each name once.
    pub fn fields_naming(&self, collection: &str) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let fields = self.collections.values().flat_map(|c| c.fields.iter());
        for (name, f) in fields {
            let naming = f.kind == FieldKind::Refs && f.collection.as_deref() == Some(collection);
            if naming && !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// Output folder of a language, relative to the output root (`` or `en/`).
    pub fn lang_dir(&self, lang: &str) -> String {
        match self.languages.get(lang) {
            Some(l) if !l.prefix.is_empty() => format!("{}/", l.prefix),
            _ => String::new(),
        }
    }

    /// URL folder of a taxonomy (its `path`, or its key).
    pub fn taxonomy_path<'a>(&'a self, name: &'a str) -> &'a str {
        self.taxonomies
            .get(name)
            .and_then(|t| t.path.as_deref())
            .map(|p| p.trim_matches('/'))
            .unwrap_or(name)
    }

    /// The collection whose folder contains a content path (`vereisten/x.md`).
    pub fn collection_for(&self, content_path: &str) -> Option<&str> {
        self.collections
            .iter()
            .find(|(_, c)| {
                let dir = c.dir.trim_matches('/');
                content_path
                    .strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|(k, _)| k.as_str())
    }
}

/// Splits a base URL into its normalized form and its path.
pub fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with http:// or https://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no valid host"));
    }
    if path.contains(['?', '#']) {
        return Err(format!(
            "base_url `{url}` must not have a query or fragment"
        ));
    }
    let path = format!("/{}/", path.trim_matches('/')).replace("//", "/");
    let scheme = &url[..url.len() - rest.len()];
    Ok((format!("{scheme}{host}{path}"), path))
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A diagnostic on the first line of site.toml containing `needle`.
fn locate(source: &SourceText, needle: &str, message: String) -> Diagnostic {
    match source.text.find(needle) {
        Some(at) => Diagnostic::at(Code::Config, source, at, at + needle.len(), message),
        None => Diagnostic::file(Code::Config, &source.path, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&SourceText::new("site.toml", text)).map_err(|d| d.sorted())
    }

    #[test]
    fn base_url_keeps_its_sub_path() {
        let c = parse("title = 'x'\nbase_url = 'https://example.org/kennisbank'\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/kennisbank/");
        assert_eq!(c.base_path, "/kennisbank/");
        assert_eq!(c.lang_root("nl"), "/kennisbank/");
    }

    #[test]
    fn syntax_error_has_a_position() {
        let e = parse("title = 'x'\nbase_url = \n").unwrap_err();
        assert_eq!(e[0].code, "K0003");
        assert_eq!(e[0].line, 2);
    }

    #[test]
    fn unknown_column_gets_a_hint() {
        let e = parse(
            "title='x'\nbase_url='http://a/'\n[taxonomies.bouwblok]\nlabel='B'\nterms=[]\n[collections.v]\ndir='v'\ntemplate='p.html'\nlabel='V'\ncolumns=[\"boubwlok\"]\n",
        )
        .unwrap_err();
        assert_eq!(e[0].line, 10);
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `bouwblok`?"));
    }

    #[test]
    fn languages_and_collections_of_a_fixture_site() {
        let text = include_str!("../../tests/fixtures/i18n/site.toml");
        let c = parse(text).unwrap();
        assert_eq!(c.default_language, "nl");
        assert_eq!(c.languages.get_index(0).unwrap().0, "nl");
        assert_eq!(c.collection_for("vereisten/x.md"), Some("vereisten"));
        assert_eq!(c.collection_for("vereistenx/x.md"), None);
    }
}
