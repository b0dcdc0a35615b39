//! Texts that may differ per language.

use indexmap::IndexMap;
use serde::Deserialize;

/// Either one text for every language, or a text per language code.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Localized {
    Same(String),
    PerLanguage(IndexMap<String, String>),
}

impl Localized {
    /// The text in `lang`, else in `fallback`, else any text.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        match self {
            Localized::Same(s) => s,
            Localized::PerLanguage(m) => m
                .get(lang)
                .or_else(|| m.get(fallback))
                .or_else(|| m.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }
}

impl From<&str> for Localized {
    fn from(s: &str) -> Self {
        Localized::Same(s.to_string())
    }
}
