//! Languages and bilingual (Dutch/English) text.

use serde::{Deserialize, Serialize};

/// A language the crate produces text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch (decimal comma), the default.
    #[default]
    Nl,
    /// English (decimal point).
    En,
}

impl Lang {
    /// Parses a language code such as `"nl"`, `"en"`, `"NL"` or `"en-GB"`.
    /// Returns `None` for anything else.
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The two-letter code (`"nl"` or `"en"`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// A piece of text in Dutch and in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Text {
    /// Dutch text.
    pub nl: String,
    /// English text.
    pub en: String,
}

impl Text {
    /// Builds a text from its Dutch and English versions.
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages (for language-neutral strings such as
    /// `"art. 51(2)"`).
    pub fn same(both: impl Into<String>) -> Text {
        let s = both.into();
        Text {
            nl: s.clone(),
            en: s,
        }
    }

    /// The version in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_codes() {
        assert_eq!(Lang::from_code("nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_code(" EN-gb "), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(""), None);
        assert_eq!(Lang::Nl.code(), "nl");
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn text_get() {
        let t = Text::new("hallo", "hello");
        assert_eq!(t.get(Lang::Nl), "hallo");
        assert_eq!(t.get(Lang::En), "hello");
        assert_eq!(Text::same("x").get(Lang::En), "x");
    }
}
