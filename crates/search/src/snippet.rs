//! Snippets and highlights.
//!
//! A result's snippet is cut from the text of its best section at display
//! time: the text is analysed again (with the same analyser as the index),
//! a word matches when its folded term — or the joined term of its
//! hyphenated word — is one of the hit's matched terms, and the window of
//! [`SNIPPET_WORDS`] words with the most distinct matched terms (then the most
//! matches, then the earliest) is shown.

use std::collections::BTreeSet;

use crate::analysis::{Analyzer, TokenKind};

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 25;
/// Longest snippet for text without words, in bytes.
const MAX_PLAIN_SNIPPET: usize = 200;

/// Byte ranges of the words of `text` whose term is in `matched`, merged.
pub(crate) fn highlight_ranges(
    text: &str,
    analyzer: &Analyzer,
    matched: &BTreeSet<&str>,
) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = analyzer
        .analyze_unstemmed(text)
        .into_iter()
        .filter(|t| matched.contains(t.term.as_str()))
        .map(|t| (t.original_start, t.original_end))
        .collect();
    merge(&mut ranges);
    ranges
}

fn merge(ranges: &mut Vec<(usize, usize)>) {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for &(s, e) in ranges.iter() {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    *ranges = out;
}

/// Appends `s` with runs of whitespace collapsed to one space.
fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Cuts the snippet out of `text`; returns it with highlight byte ranges.
pub(crate) fn make_snippet(
    text: &str,
    analyzer: &Analyzer,
    matched: &BTreeSet<&str>,
) -> (String, Vec<(usize, usize)>) {
    let tokens = analyzer.analyze_unstemmed(text);
    // Word spans, and for each word the matched term it stands for (if any).
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut word_term: Vec<Option<String>> = Vec::new();
    let mut hl: Vec<(usize, usize)> = Vec::new();
    for t in &tokens {
        let hit = matched.contains(t.term.as_str());
        match t.kind {
            TokenKind::Word => {
                words.push((t.original_start, t.original_end));
                word_term.push(hit.then(|| t.term.clone()));
            }
            TokenKind::Joined if hit => {
                // mark the parts (already pushed) with the joined term
                for (span, term) in words.iter().zip(word_term.iter_mut()).rev() {
                    if span.0 < t.original_start {
                        break;
                    }
                    *term = Some(t.term.clone());
                }
            }
            TokenKind::Joined => {}
        }
        if hit {
            hl.push((t.original_start, t.original_end));
        }
    }
    merge(&mut hl);
    if words.is_empty() {
        let mut cut = text.len().min(MAX_PLAIN_SNIPPET);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut out = String::new();
        push_collapsed(&mut out, text[..cut].trim());
        return (out, Vec::new());
    }
    let m = words.len();
    let w = SNIPPET_WORDS.min(m);
    // Best window: most distinct matched terms, then most matches, then the
    // matches most centred, then earliest.
    let mut start = 0;
    let mut best = (0usize, 0usize, std::cmp::Reverse(usize::MAX));
    for s in 0..=(m - w) {
        let window = &word_term[s..s + w];
        let count = window.iter().filter(|t| t.is_some()).count();
        if count == 0 {
            continue;
        }
        let distinct: BTreeSet<&String> = window.iter().flatten().collect();
        let first = window.iter().position(Option::is_some).unwrap_or(0);
        let last = window.iter().rposition(Option::is_some).unwrap_or(0);
        let imbalance = first.abs_diff(w - 1 - last);
        let score = (distinct.len(), count, std::cmp::Reverse(imbalance));
        if score > best {
            best = score;
            start = s;
        }
    }
    let end = start + w - 1;
    let (from, to) = (words[start].0, words[end].1);

    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    let mut ranges = Vec::new();
    let mut pos = from;
    for &(hs, he) in hl.iter().filter(|&&(hs, he)| hs >= from && he <= to) {
        push_collapsed(&mut out, &text[pos..hs]);
        let s = out.len();
        push_collapsed(&mut out, &text[hs..he]);
        ranges.push((s, out.len()));
        pos = he;
    }
    push_collapsed(&mut out, &text[pos..to]);
    if end + 1 < m {
        out.push_str(" …");
    }
    (out, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Language;

    fn snip(text: &str, matched: &[&str]) -> (String, Vec<String>) {
        let a = Analyzer::new(Language::Nl);
        let set: BTreeSet<&str> = matched.iter().copied().collect();
        let (s, r) = make_snippet(text, &a, &set);
        let words = r.iter().map(|&(x, y)| s[x..y].to_string()).collect();
        (s, words)
    }

    #[test]
    fn short_text_whole() {
        let (s, h) = snip("Het  systeemrisico’s\nvan modellen.", &["systeemrisico"]);
        assert_eq!(s, "Het systeemrisico’s van modellen");
        assert_eq!(h, ["systeemrisico’s"]);
    }

    #[test]
    fn long_text_window_around_match() {
        let mut text: Vec<String> = (0..100).map(|i| format!("woord{i}")).collect();
        text[60] = "AI-verordening".into();
        let text = text.join(" ");
        let (s, h) = snip(&text, &["aiverordening", "ai", "verordening"]);
        assert!(s.starts_with("… woord48 "), "{s}");
        assert!(s.ends_with(" …"));
        assert_eq!(h, ["AI-verordening"]);
        // "AI-verordening" is two words
        assert_eq!(
            s.split(' ').filter(|w| *w != "…").count(),
            SNIPPET_WORDS - 1
        );
    }

    #[test]
    fn prefers_window_with_more_distinct_terms() {
        let mut text: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        text[10] = "risico".into();
        text[12] = "risico".into();
        text[150] = "risico".into();
        text[152] = "model".into();
        let (s, h) = snip(&text.join(" "), &["risico", "model"]);
        assert!(s.contains("w151"), "{s}");
        assert_eq!(h, ["risico", "model"]);
    }

    #[test]
    fn no_words() {
        let (s, h) = snip("   ---   ", &["x"]);
        assert_eq!(s, "---");
        assert!(h.is_empty());
    }
}
