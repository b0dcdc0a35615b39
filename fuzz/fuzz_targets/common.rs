//! What the fuzz targets share: a site configuration, the theme's UI
//! strings and the other per-build state, created once per process.
#![allow(dead_code)]

use kader::config::SiteConfig;
use kader::diagnostics::{Diagnostic, SourceText};
use kader::discover::icons::{Icons, Missing};
use kader::discover::Sources;
use kader::parse::abbr::Abbreviations;
use kader::parse::highlight::Highlighter;
use kader::theme::Theme;
use std::sync::OnceLock;

/// Two languages, three collections, taxonomies with terms, a glossary.
pub const SITE_TOML: &str = r#"
title = "Fuzz"
base_url = "https://example.org/kb/"
default_language = "nl"
glossary = "content/_includes/begrippen.md"

[languages.nl]
name = "Nederlands"
[languages.en]
name = "English"
prefix = "en"

[collections.vereisten]
dir = "vereisten"
template = "vereiste.html"
label = { nl = "Vereisten", en = "Requirements" }
singular = "Vereiste"
columns = ["levenscyclus", "bouwblok"]
[collections.vereisten.fields]
title = { type = "string", required = true }
toelichting = { type = "string" }
levenscyclus = { type = "terms", required = true }
bouwblok = { type = "terms" }
datum = { type = "date" }
vlag = { type = "bool" }
lijst = { type = "list" }

[collections.maatregelen]
dir = "maatregelen"
template = "maatregel.html"
label = "Maatregelen"
singular = "Maatregel"
columns = ["levenscyclus"]
[collections.maatregelen.fields]
title = { type = "string", required = true }
vereiste = { type = "refs", collection = "vereisten", required = true }
levenscyclus = { type = "terms" }

[taxonomies.levenscyclus]
label = { nl = "Levenscyclus", en = "Lifecycle" }
terms = [{ slug = "ontwerp", label = "Ontwerp" }, { slug = "ontwikkelen", label = "Ontwikkelen" }]

[taxonomies.bouwblok]
label = "Bouwblok"
terms = [{ slug = "governance", label = "Governance" }]

[taxonomies.risicogroep]
label = "Risicogroep"
ai_act = true
terms = [{ slug = "hoog-risico", label = "Hoog risico" }]
"#;

pub struct Env {
    pub config: SiteConfig,
    pub theme: Theme,
    pub highlighter: Highlighter,
    pub directives: Vec<String>,
    pub glossary: Abbreviations,
    /// Two icons found and one of each kind of missing one.
    pub icons: Icons,
}

/// The shared state, built on first use.
pub fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let config_source = SourceText::new("site.toml", SITE_TOML);
        let config = SiteConfig::parse(&config_source).expect("the fuzz site.toml is valid");
        let sources = Sources {
            root: std::path::PathBuf::from("."),
            config_source,
            config: config.clone(),
            pages: Vec::new(),
            data_files: Vec::new(),
            assets: Vec::new(),
            templates: Vec::new(),
            static_files: Vec::new(),
            glossary: None,
            icons: Default::default(),
        };
        let mut diags = kader::diagnostics::Diagnostics::new();
        let theme = Theme::load(&sources, &mut diags);
        Env {
            directives: kader::directives::names(&config),
            config,
            theme,
            highlighter: Highlighter::default(),
            icons: Icons::with(
                "node_modules",
                [
                    ("material-check".to_string(), Ok("<svg class=\"icon\"></svg>".to_string())),
                    ("simple-github".to_string(), Ok("<svg class=\"icon\"></svg>".to_string())),
                    (
                        "octicons-x-16".to_string(),
                        Err(Missing::Package {
                            package: "@primer/octicons",
                        }),
                    ),
                    (
                        "material-nope".to_string(),
                        Err(Missing::Icon {
                            file: "@mdi/svg/svg/nope.svg".to_string(),
                        }),
                    ),
                ],
            ),
            glossary: Abbreviations::new([
                ("AVG".to_string(), "Algemene <verordening>".to_string()),
                (
                    "AI".to_string(),
                    "\"kunstmatige\" intelligentie".to_string(),
                ),
            ]),
        }
    })
}

/// Checks what every diagnostic promises: a position inside its file.
pub fn check_diagnostics(src: &SourceText, diags: &[Diagnostic]) {
    let lines = src.text.split('\n').count();
    for d in diags {
        assert!(d.code.starts_with('K'), "{d:?}");
        if d.file == src.path {
            assert!(d.line <= lines, "line {} of {} lines: {d:?}", d.line, lines);
            if d.line > 0 {
                let chars = src.line_text(d.line).chars().count();
                assert!(
                    d.column >= 1 && d.column <= chars + 1,
                    "column out of line: {d:?}"
                );
            }
        }
    }
    let _ = kader::diagnostics::render_human(diags, false);
    let _ = kader::diagnostics::render_json(diags);
}
