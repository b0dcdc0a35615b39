//! The theme: templates, UI string tables and static files. kader carries a
//! built-in theme (the repository's `templates/` and `static/` folders,
//! compiled into the binary); a site's own files override it by name.

pub mod look;
mod strings;

pub use strings::Strings;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::discover::{AssetFile, Sources};
use indexmap::IndexMap;

macro_rules! builtin_templates {
    ($($name:literal),* $(,)?) => {
        &[ $( ($name, include_str!(concat!("../../templates/", $name))), )* ]
    };
}

/// Templates and string tables compiled into kader.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin_templates![
    "base.html",
    "home.html",
    "page.html",
    "vereiste.html",
    "maatregel.html",
    "hulpmiddel.html",
    "overview.html",
    "taxonomy.html",
    "term.html",
    "profile.html",
    "tree.html",
    "conclusion.html",
    "404.html",
    "sitemap.xml",
    "partials/list.html",
    "partials/list_row.html",
    "partials/tags.html",
    "partials/page_meta.html",
    "partials/toc.html",
    "partials/decision_tree.html",
    "partials/grouped.html",
    "partials/grouped_item.html",
    "partials/exceptions.html",
    "partials/used_in.html",
    "partials/search.html",
    "partials/main_nav.html",
    "partials/export_menu.html",
    "partials/side_nav.html",
    "partials/side_nav_items.html",
    "partials/phone_menu.html",
    "partials/page_end.html",
    "partials/footer_nav.html",
    "new/vereiste.md",
    "new/maatregel.md",
    "i18n/nl.toml",
    "i18n/en.toml",
];

/// Static files compiled into kader.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("kader.css", include_bytes!("../../static/kader.css")),
    ("kader.js", include_bytes!("../../static/kader.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    (
        "kader-search.js",
        include_bytes!("../../static/kader-search.js"),
    ),
    (
        "kader-search.css",
        include_bytes!("../../static/kader-search.css"),
    ),
    (
        "kader-search.wasm",
        include_bytes!("../../static/kader-search.wasm"),
    ),
    (
        "kader-classify.js",
        include_bytes!("../../static/kader-classify.js"),
    ),
    (
        "kader-classify.css",
        include_bytes!("../../static/kader-classify.css"),
    ),
    (
        "kader-classify.wasm",
        include_bytes!("../../static/kader-classify.wasm"),
    ),
    (
        "kader-profile.js",
        include_bytes!("../../static/kader-profile.js"),
    ),
    (
        "kader-export.js",
        include_bytes!("../../static/kader-export.js"),
    ),
    (
        "kader-export.wasm",
        include_bytes!("../../static/kader-export.wasm"),
    ),
];

/// A static file: built in, or from the site's `static/` folder.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Builtin(&'static str, &'static [u8]),
    Site(AssetFile),
}

impl StaticFile {
    pub fn rel(&self) -> &str {
        match self {
            StaticFile::Builtin(p, _) => p,
            StaticFile::Site(a) => &a.rel,
        }
    }
}

#[derive(Debug)]
pub struct Theme {
    /// Template name → source; site templates replace built-in ones.
    pub templates: IndexMap<String, String>,
    pub static_files: Vec<StaticFile>,
    strings: IndexMap<String, Strings>,
}

/// The built-in templates, name → source.
pub fn builtin_templates() -> IndexMap<String, String> {
    BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

impl Theme {
    /// Merges the built-in theme with the site's files.
    pub fn load(sources: &Sources, diags: &mut Diagnostics) -> Theme {
        let mut templates = builtin_templates();
        for (name, text) in &sources.templates {
            templates.insert(name.clone(), text.clone());
        }
        let mut static_files: Vec<StaticFile> = BUILTIN_STATIC
            .iter()
            .filter(|(p, _)| !sources.static_files.iter().any(|a| a.rel == *p))
            .map(|(p, b)| StaticFile::Builtin(p, b))
            .collect();
        static_files.extend(sources.static_files.iter().cloned().map(StaticFile::Site));

        look::check_contrast(&sources.config.theme.palette, &sources.config_source, diags);
        for (_, css) in &sources.extras.stylesheets {
            look::check_stylesheet(css, diags);
        }

        let mut strings = IndexMap::new();
        for lang in sources.config.language_codes() {
            let name = format!("i18n/{lang}.toml");
            let builtin = BUILTIN_TEMPLATES
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, t)| Strings::parse(t).ok());
            let site = sources.templates.iter().find(|(n, _)| *n == name);
            let table = match site.map(|(_, t)| Strings::parse(t)) {
                Some(Ok(mut s)) => {
                    if let Some(b) = &builtin {
                        s.fill_from(b);
                    }
                    Some(s)
                }
                Some(Err(e)) => {
                    diags.push(Diagnostic::file(
                        Code::Template,
                        format!("templates/{name}"),
                        format!("string table is not valid TOML: {}", e.message()),
                    ));
                    builtin
                }
                None => builtin,
            };
            let table = table.unwrap_or_else(|| {
                diags.push(
                    Diagnostic::file(
                        Code::Config,
                        "site.toml",
                        format!("language `{lang}` has no UI string table; English texts are used"),
                    )
                    .with_hint(format!(
                        "add templates/{name} with the translated interface texts"
                    )),
                );
                Strings::parse(include_str!("../../templates/i18n/en.toml")).unwrap_or_default()
            });
            strings.insert(lang.to_string(), table);
        }
        Theme {
            templates,
            static_files,
            strings,
        }
    }

    /// The UI strings of `lang` (the first language's when unknown).
    pub fn strings(&self, lang: &str) -> &Strings {
        self.strings
            .get(lang)
            .or_else(|| self.strings.values().next())
            .expect("at least one language is configured")
    }
}
