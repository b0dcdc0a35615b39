//! The two files kept beside a decision tree.
//!
//! * `categories.yaml`: a list of `{questionId, category, subcategory}`. A
//!   question takes the entry of its longest id prefix (for `2.7.1` the
//!   entry `2.7.1`, else `2.7`, else `2`); a `category` or `subcategory`
//!   written on the question itself wins. The category is the step of the
//!   progress tracker, the subcategory the group its answers' labels belong to.
//! * `definitions.yaml`: `definitions: [{term, definition}]`. [`find_terms`]
//!   finds where the terms occur as whole words in a question text, for the
//!   widget to mark them and show the definition as a tooltip.
//!
//! Parsing is pure: [`parse_categories`] and [`parse_definitions`] take the
//! file's text (YAML; JSON is YAML too). The types also deserialize from any
//! serde format.

use serde::{Deserialize, Serialize};

/// One entry of the categories file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryEntry {
    /// A question id or an id prefix (`2.7` covers `2.7.1`).
    pub question_id: String,
    /// The step of the progress tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The group of the labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
}

/// The categories file: a list of entries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Categories {
    /// The entries, as written.
    pub entries: Vec<CategoryEntry>,
}

impl Categories {
    /// The entry of the longest dot-separated prefix of `question_id`
    /// (`2.7.1`, else `2.7`, else `2`); the first one written on duplicates.
    pub fn lookup(&self, question_id: &str) -> Option<&CategoryEntry> {
        let mut prefix = question_id;
        loop {
            if let Some(e) = self.entries.iter().find(|e| e.question_id == prefix) {
                return Some(e);
            }
            prefix = &prefix[..prefix.rfind('.')?];
        }
    }
}

/// One definition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Definition {
    /// The term as it is written in texts.
    pub term: String,
    /// What it means (plain text).
    pub definition: String,
}

/// The definitions file: `definitions: [{term, definition}]` (a bare list is
/// read too).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "DefinitionsFile")]
pub struct Definitions {
    /// The definitions, as written.
    pub definitions: Vec<Definition>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DefinitionsFile {
    Wrapped { definitions: Vec<Definition> },
    List(Vec<Definition>),
}

impl From<DefinitionsFile> for Definitions {
    fn from(f: DefinitionsFile) -> Self {
        match f {
            DefinitionsFile::Wrapped { definitions } | DefinitionsFile::List(definitions) => {
                Definitions { definitions }
            }
        }
    }
}

/// A companion file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanionError {
    /// What went wrong, from the YAML reader.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl std::fmt::Display for CompanionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompanionError {}

#[cfg(feature = "yaml")]
fn from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, CompanionError> {
    serde_yaml::from_str(text).map_err(|e| CompanionError {
        message: e.to_string(),
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
    })
}

/// Reads `categories.yaml`.
#[cfg(feature = "yaml")]
pub fn parse_categories(text: &str) -> Result<Categories, CompanionError> {
    from_yaml(text)
}

/// Reads `definitions.yaml`.
#[cfg(feature = "yaml")]
pub fn parse_definitions(text: &str) -> Result<Definitions, CompanionError> {
    from_yaml(text)
}

/// A term found in a text: bytes `start..end` of the text, and the index of
/// its definition in [`Definitions::definitions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMatch {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Index of the definition.
    pub definition: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Where the terms of `definitions` occur as whole words in `text`,
/// ignoring case, left to right, the longest term first where several start
/// at one place, without overlaps. `text` may be HTML: tags and character
/// references are skipped, so a match never spans markup. A word boundary
/// is any character other than a letter, digit, `-` or `_`.
///
/// ```
/// use kader_classify::companion::{find_terms, Definition, Definitions};
/// let d = Definitions { definitions: vec![
///     Definition { term: "AI-systeem".into(), definition: "…".into() },
///     Definition { term: "aanbieder".into(), definition: "…".into() },
/// ]};
/// let text = "Bent u <b>Aanbieder</b> van een AI-systeem? Geen AI-systemen.";
/// let found = find_terms(text, &d);
/// assert_eq!(found.len(), 2);
/// assert_eq!(&text[found[0].start..found[0].end], "Aanbieder");
/// assert_eq!(&text[found[1].start..found[1].end], "AI-systeem");
/// ```
pub fn find_terms(text: &str, definitions: &Definitions) -> Vec<TermMatch> {
    let mut terms: Vec<(Vec<char>, usize)> = definitions
        .definitions
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.term.trim().is_empty())
        .map(|(i, d)| {
            (
                d.term.trim().chars().flat_map(char::to_lowercase).collect(),
                i,
            )
        })
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let mut i = 0;
    let mut prev_word = false;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        if c == '<' {
            // Skip the tag; a tag is a word boundary.
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            prev_word = false;
            continue;
        }
        if c == '&' {
            let len = rest
                .char_indices()
                .take(34)
                .find(|&(_, ch)| ch == ';' || ch.is_whitespace())
                .filter(|&(_, ch)| ch == ';')
                .map_or(1, |(e, _)| e + 1);
            i += len;
            prev_word = false;
            continue;
        }
        if !prev_word && is_word_char(c) {
            if let Some((len, def)) = terms
                .iter()
                .find_map(|(t, def)| match_len(rest, t).map(|l| (l, *def)))
            {
                out.push(TermMatch {
                    start: i,
                    end: i + len,
                    definition: def,
                });
                i += len;
                prev_word = true;
                continue;
            }
        }
        prev_word = is_word_char(c);
        i += c.len_utf8();
    }
    out
}

/// Bytes of `text` that spell `term` (lowercase) at its start, ignoring
/// case and followed by a word boundary.
fn match_len(text: &str, term: &[char]) -> Option<usize> {
    let mut k = 0;
    for (pos, c) in text.char_indices() {
        if k == term.len() {
            return (!is_word_char(c)).then_some(pos);
        }
        if matches!(c, '<' | '&') {
            return None;
        }
        for lc in c.to_lowercase() {
            if term.get(k) != Some(&lc) {
                return None;
            }
            k += 1;
        }
    }
    (k == term.len()).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(terms: &[&str]) -> Definitions {
        Definitions {
            definitions: terms
                .iter()
                .map(|t| Definition {
                    term: t.to_string(),
                    definition: format!("betekenis van {t}"),
                })
                .collect(),
        }
    }

    fn found<'a>(text: &'a str, d: &Definitions) -> Vec<(&'a str, usize)> {
        find_terms(text, d)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.definition))
            .collect()
    }

    #[test]
    fn longest_prefix_wins_and_ids_fall_back_by_segment() {
        let c: Categories = serde_yaml::from_str(
            "- questionId: '2'\n  category: Risico\n  subcategory: Risicogroep\n- questionId: '2.7'\n  category: Rol\n  subcategory: Verantwoordelijkheid\n- questionId: '2.7.1'\n  category: Open\n",
        )
        .unwrap();
        assert_eq!(c.lookup("2.7.1").unwrap().category.as_deref(), Some("Open"));
        assert_eq!(c.lookup("2.7.2").unwrap().question_id, "2.7");
        assert_eq!(c.lookup("2.8").unwrap().question_id, "2");
        assert_eq!(c.lookup("2").unwrap().question_id, "2");
        // `2.70` is not under `2.7`; `3` has no entry.
        assert_eq!(c.lookup("2.70").unwrap().question_id, "2");
        assert!(c.lookup("3").is_none());
        assert!(c.lookup("").is_none());
    }

    #[test]
    fn definitions_read_wrapped_or_as_a_list() {
        let a =
            parse_definitions("definitions:\n  - term: aanbieder\n    definition: wie het maakt\n")
                .unwrap();
        let b = parse_definitions("- term: aanbieder\n  definition: wie het maakt\n").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.definitions[0].term, "aanbieder");
        let e = parse_definitions("definitions: [ {term: x").unwrap_err();
        assert!(e.line.is_some());
        assert!(parse_categories("questionId: 1").is_err());
    }

    #[test]
    fn whole_words_only_case_insensitive_longest_first() {
        let d = defs(&["AI", "AI-systeem", "hoog-risico AI-systeem", "model"]);
        assert_eq!(
            found(
                "Is het een hoog-risico AI-systeem of een AI-systeem? AI!",
                &d
            ),
            vec![("hoog-risico AI-systeem", 2), ("AI-systeem", 1), ("AI", 0)]
        );
        // Inside other words, or followed by a letter, a hyphen or a digit: no.
        assert!(found("AI-systemen, modellen, model2, AIDA, XAI", &d).is_empty());
        assert_eq!(found("MODEL.", &d), vec![("MODEL", 3)]);
    }

    #[test]
    fn markup_is_skipped() {
        let d = defs(&["aanbieder", "amp", "href"]);
        let text = r#"<a href="x">Aanbieder</a> &amp; <b>aan</b>bieder aanbieder&#233;"#;
        assert_eq!(found(text, &d), vec![("Aanbieder", 0), ("aanbieder", 0)]);
        assert!(found("<aanbieder", &d).is_empty());
        assert!(found("", &d).is_empty());
        assert!(find_terms("aanbieder", &Definitions::default()).is_empty());
    }

    #[test]
    fn odd_unicode_never_panics() {
        let d = defs(&["ǰ", "İ", "straße", ""]);
        for text in ["J̌ ǰ", "İi̇ i", "STRASSE straße", "\u{0}<&;>", "ß"] {
            for m in find_terms(text, &d) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
    }
}
