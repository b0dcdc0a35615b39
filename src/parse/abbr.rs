//! Abbreviations: `*[term]: definition` lines (in a page or in the site-wide
//! glossary) turn every whole-word occurrence of `term` in the page's text
//! into `<abbr title="definition">term</abbr>`.

use super::escape::push_escaped;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Most abbreviations applied to one page (site glossary and the page's
/// own together); building the matcher grows faster than linearly.
pub const MAX_ABBREVIATIONS: usize = 1000;

/// A set of abbreviations with a matcher built once.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    terms: Vec<(String, String)>,
    matcher: Option<AhoCorasick>,
}

impl Abbreviations {
    /// Builds the matcher; a later definition of the same term wins.
    pub fn new(defs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut terms: Vec<(String, String)> = Vec::new();
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (t, d) in defs {
            match at.get(&t) {
                Some(&i) => terms[i].1 = d,
                None => {
                    at.insert(t.clone(), terms.len());
                    terms.push((t, d));
                }
            }
        }
        let matcher = if terms.is_empty() {
            None
        } else {
            // Beyond a few hundred terms, building the faster automata
            // takes quadratic time; the plain NFA is built in linear time.
            let kind = (terms.len() > 500).then_some(AhoCorasickKind::NoncontiguousNFA);
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(terms.iter().map(|(t, _)| t.as_str()))
                .ok()
        };
        Abbreviations { terms, matcher }
    }

    /// This set extended with (and overridden by) `more`.
    pub fn with(&self, more: impl IntoIterator<Item = (String, String)>) -> Self {
        Abbreviations::new(self.terms.iter().cloned().chain(more))
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.terms.iter().map(|(t, d)| (t.as_str(), d.as_str()))
    }

    /// Appends `text`, escaped, with abbreviations wrapped.
    pub fn push_text(&self, out: &mut String, text: &str) {
        let Some(m) = &self.matcher else {
            push_escaped(out, text);
            return;
        };
        let mut last = 0;
        for hit in m.find_iter(text) {
            let (s, e) = (hit.start(), hit.end());
            let before_ok = text[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[e..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !(before_ok && after_ok) {
                continue;
            }
            push_escaped(out, &text[last..s]);
            // Focusable, so keyboard users reach the definition too.
            out.push_str("<abbr tabindex=\"0\" title=\"");
            push_escaped(out, &self.terms[hit.pattern().as_usize()].1);
            out.push_str("\">");
            push_escaped(out, &text[s..e]);
            out.push_str("</abbr>");
            last = e;
        }
        push_escaped(out, &text[last..]);
    }
}

/// Parses a glossary file: one `*[term]: definition` per line; other
/// non-empty lines are returned as (line number, text) for diagnostics.
pub fn parse_glossary(text: &str) -> (Vec<(String, String)>, Vec<usize>) {
    let mut defs = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("<!--") {
            continue;
        }
        let parsed = t.strip_prefix("*[").and_then(|r| {
            let close = r.find("]:")?;
            let term = r[..close].trim();
            (!term.is_empty()).then(|| (term.to_string(), r[close + 2..].trim().to_string()))
        });
        match parsed {
            Some(d) => defs.push(d),
            None => bad.push(i + 1),
        }
    }
    (defs, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_whole_words_only() {
        let a = Abbreviations::new([
            ("AI".to_string(), "Artificiële intelligentie".to_string()),
            (
                "AI-bureau".to_string(),
                "Bureau <van> de Commissie".to_string(),
            ),
        ]);
        let mut out = String::new();
        a.push_text(&mut out, "Het AI-bureau en AI, niet AIX of KAI.");
        assert_eq!(
            out,
            "Het <abbr tabindex=\"0\" title=\"Bureau &lt;van&gt; de Commissie\">AI-bureau</abbr> en <abbr tabindex=\"0\" title=\"Artificiële intelligentie\">AI</abbr>, niet AIX of KAI."
        );
    }

    #[test]
    fn glossary_lines() {
        let (defs, bad) = parse_glossary("*[AVG]: Algemene verordening\n\nrommel\n*[DPIA]:\tGegevensbeschermingseffectbeoordeling\n");
        assert_eq!(defs.len(), 2);
        assert_eq!(defs[1].1, "Gegevensbeschermingseffectbeoordeling");
        assert_eq!(bad, [3]);
    }
}
