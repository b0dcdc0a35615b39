//! Text analysis shared by indexing and querying.
//!
//! The very same [`Analyzer`] turns page text into index terms and a query
//! into query terms, so whatever a reader types is normalised exactly like
//! the text it should find. The rules, in order:
//!
//! 1. **Tokenising.** A word is a run of Unicode letters and digits
//!    (combining marks and soft hyphens stay inside the word). Everything
//!    else separates words, so `10^25` gives `10` and `25`.
//! 2. **Hyphens.** `-`, `‐` and `‑` between two words split them, and the
//!    hyphen-joined whole is emitted too, as a [`TokenKind::Joined`] token
//!    after its parts: `AI-verordening` → `ai`, `verordening`,
//!    `aiverordening`.
//! 3. **Apostrophes.** A straight or curly apostrophe followed by a final
//!    `s` (`risico's`, `risico’s`, `auto's`, `provider's`) is dropped together
//!    with the `s`: the token is the base word, while its original span still
//!    covers the `'s` (so a highlight covers the whole written word). Any other
//!    apostrophe separates words (`zo'n` → `zo`, `n`).
//! 4. **Folding.** Lowercase, diacritics removed: `één` → `een`,
//!    `coöperatie` → `cooperatie`, `Ü` → `u` (see [`crate::fold`]).
//! 5. **Stemming.** Snowball Dutch or English (the `rust-stemmers` crate) on
//!    the folded term. Terms holding digits or non-ASCII letters, and terms of
//!    fewer than three letters, are their own stem.
//!
//! Terms longer than [`MAX_TERM_LEN`] bytes are dropped (they are never
//! words a person types). Stop words are still returned by [`analyze`]; the
//! query side makes them optional (see [`is_stopword`]).

use rust_stemmers::{Algorithm, Stemmer};

use crate::fold::{fold_char_into, is_combining_mark};

/// Longest term (in bytes, after folding) that is indexed.
pub const MAX_TERM_LEN: usize = 64;
/// Most parts of one hyphenated word that are joined into a whole.
const MAX_JOINED_PARTS: usize = 8;

/// The language of an index: decides the stemmer, the stop words and whether
/// compounds are split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Dutch: Snowball Dutch stemmer, compound splitting.
    Nl,
    /// English: Snowball English (Porter2) stemmer.
    En,
}

impl Language {
    pub(crate) fn code(self) -> u8 {
        match self {
            Language::Nl => 0,
            Language::En => 1,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Language> {
        match code {
            0 => Some(Language::Nl),
            1 => Some(Language::En),
            _ => None,
        }
    }

    /// ISO 639-1 code: `"nl"` or `"en"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// Parses `"nl"`/`"en"` (any case, also `nl-NL`, `en_GB`, ...).
    pub fn parse(s: &str) -> Option<Language> {
        let lower = s.trim().to_ascii_lowercase();
        let base = lower.split(['-', '_']).next().unwrap_or("");
        match base {
            "nl" | "dutch" | "nederlands" => Some(Language::Nl),
            "en" | "english" | "engels" => Some(Language::En),
            _ => None,
        }
    }
}

/// What a token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A single word.
    Word,
    /// The hyphen-joined whole of a hyphenated word (`aiverordening`); it is
    /// emitted right after its parts and spans all of them.
    Joined,
}

/// One analysed word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Folded form: lowercase, no diacritics, no possessive/plural `'s`.
    pub term: String,
    /// Snowball stem of `term`.
    pub stem: String,
    /// Byte offset in the analysed text where the written word starts.
    pub original_start: usize,
    /// Byte offset just past the written word (including a dropped `'s`).
    pub original_end: usize,
    /// Single word or hyphen-joined whole.
    pub kind: TokenKind,
}

/// Reusable analyser for one language (holds the stemmer).
pub struct Analyzer {
    lang: Language,
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("lang", &self.lang)
            .finish()
    }
}

/// Analyses `text` with the rules of the module documentation.
///
/// ```
/// use kader_search::{analyze, Language, TokenKind};
/// let toks = analyze("Het systeemrisico’s van de AI-verordening", Language::Nl);
/// let terms: Vec<&str> = toks.iter().map(|t| t.term.as_str()).collect();
/// assert_eq!(terms, ["het", "systeemrisico", "van", "de", "ai", "verordening", "aiverordening"]);
/// assert_eq!(toks[6].kind, TokenKind::Joined);
/// ```
pub fn analyze(text: &str, lang: Language) -> Vec<Token> {
    Analyzer::new(lang).analyze(text)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Characters that belong inside a word.
fn is_word_char(c: char) -> bool {
    is_word_start(c) || is_combining_mark(c) || c == '\u{00AD}'
}

/// Characters that start a word (`ʼ` is a letter to Unicode, but an
/// apostrophe here).
fn is_word_start(c: char) -> bool {
    c.is_alphanumeric() && !is_apostrophe(c)
}

/// Decodes the character at byte `i` of `text` (`i` must be a char boundary
/// before the end): the character and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => (b as char, 1),
        _ => text
            .get(i..)
            .and_then(|s| s.chars().next())
            .map_or(('\0', 1), |c| (c, c.len_utf8())),
    }
}

/// Bytes that are ASCII letters or digits (as a table: the tokeniser's
/// innermost loop).
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// One word of a hyphenated group: its folded term is `buf[term_start..term_end]`.
#[derive(Clone, Copy)]
struct RawPart {
    term_start: usize,
    term_end: usize,
    start: usize,
    end: usize,
}

/// The tokeniser shared by [`Analyzer::analyze`] and the index builder:
/// calls `emit(term, original_start, original_end, kind)` for every token of
/// `text`, in order. `term` is only borrowed for the call, so scanning
/// allocates nothing per token.
pub(crate) fn scan_tokens(text: &str, mut emit: impl FnMut(&str, usize, usize, TokenKind)) {
    let bytes = text.as_bytes();
    let n = text.len();
    // Folded terms of the current group, concatenated (the joined whole).
    let mut buf = String::new();
    let mut parts: Vec<RawPart> = Vec::new();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if !ASCII_WORD[usize::from(b)] {
                i += 1;
                continue;
            }
        } else {
            let (c, len) = char_at(text, i);
            if !is_word_start(c) {
                i += len;
                continue;
            }
        }
        // One hyphenated group: runs of word characters joined by single hyphens.
        buf.clear();
        parts.clear();
        loop {
            let start = i;
            let term_start = buf.len();
            loop {
                // A run of ASCII letters and digits is copied at once.
                let run = i;
                while i < n && ASCII_WORD[usize::from(bytes[i])] {
                    i += 1;
                }
                if i > run {
                    let from = buf.len();
                    buf.push_str(&text[run..i]);
                    buf[from..].make_ascii_lowercase();
                }
                if i >= n || bytes[i] < 0x80 {
                    break;
                }
                let (c, len) = char_at(text, i);
                if !is_word_char(c) {
                    break;
                }
                fold_char_into(c, &mut buf);
                i += len;
            }
            let mut end = i;
            let mut possessive = false;
            if i < n {
                let (c1, l1) = char_at(text, i);
                if is_apostrophe(c1) && i + l1 < n {
                    let (c2, l2) = char_at(text, i + l1);
                    let after = i + l1 + l2;
                    if matches!(c2, 's' | 'S')
                        && (after >= n || !is_word_char(char_at(text, after).0))
                    {
                        i = after;
                        end = i;
                        possessive = true;
                    }
                }
            }
            parts.push(RawPart {
                term_start,
                term_end: buf.len(),
                start,
                end,
            });
            if !possessive && i < n {
                let (c1, l1) = char_at(text, i);
                if is_hyphen(c1) && i + l1 < n && is_word_start(char_at(text, i + l1).0) {
                    i += l1;
                    continue;
                }
            }
            break;
        }
        let mut joinable = parts.len() > 1 && parts.len() <= MAX_JOINED_PARTS;
        for p in &parts {
            let term = buf.get(p.term_start..p.term_end).unwrap_or("");
            if term.is_empty() || term.len() > MAX_TERM_LEN {
                joinable = false;
                continue;
            }
            emit(term, p.start, p.end, TokenKind::Word);
        }
        if joinable && buf.len() <= MAX_TERM_LEN {
            let start = parts.first().map_or(0, |p| p.start);
            let end = parts.last().map_or(0, |p| p.end);
            emit(&buf, start, end, TokenKind::Joined);
        }
    }
}

impl Analyzer {
    /// Creates an analyser for `lang`.
    pub fn new(lang: Language) -> Analyzer {
        let algorithm = match lang {
            Language::Nl => Algorithm::Dutch,
            Language::En => Algorithm::English,
        };
        Analyzer {
            lang,
            stemmer: Stemmer::create(algorithm),
        }
    }

    /// The analyser's language.
    pub fn language(&self) -> Language {
        self.lang
    }

    /// Stems an already folded term (see the module documentation for the
    /// terms that are left alone).
    pub fn stem(&self, term: &str) -> String {
        let letters = term.len() >= 3 && term.bytes().all(|b| b.is_ascii_lowercase());
        if !letters {
            return term.to_string();
        }
        let s = self.stemmer.stem(term);
        if s.is_empty() {
            term.to_string()
        } else {
            s.into_owned()
        }
    }

    /// Analyses `text`; see [`analyze`].
    pub fn analyze(&self, text: &str) -> Vec<Token> {
        self.tokens(text, true)
    }

    /// Like [`Analyzer::analyze`] but without stemming (`stem` is left
    /// empty): for highlighting, which only compares terms.
    pub(crate) fn analyze_unstemmed(&self, text: &str) -> Vec<Token> {
        self.tokens(text, false)
    }

    fn tokens(&self, text: &str, stem: bool) -> Vec<Token> {
        let mut out = Vec::new();
        scan_tokens(text, |term, start, end, kind| {
            out.push(Token {
                term: term.to_string(),
                stem: if stem { self.stem(term) } else { String::new() },
                original_start: start,
                original_end: end,
                kind,
            });
        });
        out
    }
}

const STOPWORDS_NL: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "het", "hij", "hoe", "ik", "in", "is", "je", "kan", "maar", "met", "na", "naar", "niet", "nog",
    "of", "om", "ook", "op", "over", "te", "tot", "u", "uit", "van", "voor", "wat", "we", "wel",
    "wij", "wordt", "zal", "ze", "zich", "zij", "zijn", "zo",
];

const STOPWORDS_EN: &[&str] = &[
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "do",
    "does", "for", "from", "has", "have", "he", "how", "i", "if", "in", "into", "is", "it", "its",
    "may", "no", "not", "of", "on", "or", "shall", "she", "should", "so", "such", "than", "that",
    "the", "their", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were",
    "what", "when", "where", "which", "who", "will", "with", "you",
];

/// True for very common function words of `lang` (`de`, `het`, `een`,
/// `the`, `of`, ...). They are indexed, but a query only requires them when
/// it consists of nothing else.
pub fn is_stopword(term: &str, lang: Language) -> bool {
    let list = match lang {
        Language::Nl => STOPWORDS_NL,
        Language::En => STOPWORDS_EN,
    };
    list.binary_search(&term).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, lang: Language) -> Vec<String> {
        analyze(text, lang).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn stopword_lists_are_sorted() {
        assert!(STOPWORDS_NL.windows(2).all(|w| w[0] < w[1]));
        assert!(STOPWORDS_EN.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn splits_on_punctuation_and_keeps_numbers() {
        assert_eq!(
            terms("10^25 FLOP's, (art. 51)", Language::Nl),
            ["10", "25", "flop", "art", "51"]
        );
        assert_eq!(terms("en/of", Language::Nl), ["en", "of"]);
    }

    #[test]
    fn hyphens_split_and_join() {
        let toks = analyze("de AI-verordening", Language::Nl);
        let t: Vec<(&str, TokenKind)> = toks.iter().map(|t| (t.term.as_str(), t.kind)).collect();
        assert_eq!(
            t,
            [
                ("de", TokenKind::Word),
                ("ai", TokenKind::Word),
                ("verordening", TokenKind::Word),
                ("aiverordening", TokenKind::Joined)
            ]
        );
        let joined = &toks[3];
        assert_eq!(
            &"de AI-verordening"[joined.original_start..joined.original_end],
            "AI-verordening"
        );
        // A dash with spaces is not a hyphen joining words.
        assert_eq!(
            terms("model - evaluatie", Language::Nl),
            ["model", "evaluatie"]
        );
        assert_eq!(
            terms("e-mail‑adres", Language::Nl),
            ["e", "mail", "adres", "emailadres"]
        );
    }

    #[test]
    fn apostrophe_s_gives_base_word() {
        for text in [
            "systeemrisico's",
            "systeemrisico’s",
            "systeemrisico‘s",
            "systeemrisicoʼs",
        ] {
            let toks = analyze(text, Language::Nl);
            assert_eq!(toks.len(), 1, "{text}");
            assert_eq!(toks[0].term, "systeemrisico");
            assert_eq!(toks[0].original_end, text.len(), "span covers the 's");
        }
        assert_eq!(terms("risico’s", Language::Nl), ["risico"]);
        assert_eq!(
            terms("auto's en foto’s", Language::Nl),
            ["auto", "en", "foto"]
        );
        assert_eq!(
            terms("the provider's duty", Language::En),
            ["the", "provider", "duty"]
        );
        assert_eq!(terms("zo'n model", Language::Nl), ["zo", "n", "model"]);
        assert_eq!(
            terms("'s-Hertogenbosch", Language::Nl),
            ["s", "hertogenbosch", "shertogenbosch"]
        );
        // an apostrophe followed by more letters than an s is a separator
        assert_eq!(terms("don't", Language::En), ["don", "t"]);
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(terms("één", Language::Nl), ["een"]);
        assert_eq!(terms("Coöperatie", Language::Nl), ["cooperatie"]);
        assert_eq!(terms("ÜBER", Language::Nl), ["uber"]);
        assert_eq!(terms("re\u{301}sume\u{301}", Language::En), ["resume"]);
        assert_eq!(terms("ĳs", Language::Nl), ["ijs"]);
    }

    #[test]
    fn offsets_point_at_the_written_word() {
        let text = "Één coöperatie’s";
        let toks = analyze(text, Language::Nl);
        assert_eq!(&text[toks[0].original_start..toks[0].original_end], "Één");
        assert_eq!(
            &text[toks[1].original_start..toks[1].original_end],
            "coöperatie’s"
        );
    }

    #[test]
    fn dutch_stemming() {
        let a = Analyzer::new(Language::Nl);
        assert_eq!(a.stem("systemen"), a.stem("systeem"));
        assert_eq!(a.stem("beoordelingen"), a.stem("beoordeling"));
        assert_eq!(a.stem("aanbieders"), a.stem("aanbieder"));
        assert_eq!(a.stem("10"), "10");
        assert_eq!(a.stem("ai"), "ai");
    }

    #[test]
    fn english_stemming() {
        let a = Analyzer::new(Language::En);
        assert_eq!(a.stem("providers"), "provid");
        assert_eq!(a.stem("provided"), "provid");
        assert_eq!(a.stem("provider"), "provid");
        let toks = analyze("Providers provided", Language::En);
        assert_eq!(toks[0].stem, toks[1].stem);
    }

    #[test]
    fn very_long_terms_are_dropped() {
        let long = "a".repeat(MAX_TERM_LEN + 1);
        assert_eq!(terms(&format!("x {long} y"), Language::En), ["x", "y"]);
    }

    #[test]
    fn stopwords() {
        assert!(is_stopword("de", Language::Nl));
        assert!(is_stopword("een", Language::Nl));
        assert!(!is_stopword("risico", Language::Nl));
        assert!(is_stopword("the", Language::En));
    }

    #[test]
    fn parses_language() {
        assert_eq!(Language::parse("nl-NL"), Some(Language::Nl));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
    }
}
