//! # kader-suggest
//!
//! "Did you mean …?" hints: [`did_you_mean`] picks, among candidates, the
//! one closest to a word when it is close enough to be a plausible typo.
//! Pure: no I/O, no allocation beyond a scratch string and list, never panics.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The closest candidate to `word` among `candidates`, if one is close
/// enough to be a plausible typo.
///
/// Letters are compared case-insensitively. A candidate is close when its
/// Jaro–Winkler similarity is at least 0.88, or when at most
/// `max(2, len / 4)` edits (insertions, deletions, substitutions or
/// transpositions of neighbours) turn one into the other. Among close
/// candidates the most similar wins; on a tie, the first.
///
/// ```
/// use kader_suggest::did_you_mean;
/// let c = ["bouwblok", "levenscyclus", "rollen"];
/// assert_eq!(did_you_mean("levenscylus", c), Some("levenscyclus"));
/// assert_eq!(did_you_mean("hide", c), None);
/// ```
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = word.to_lowercase();
    let len = lower.chars().count();
    let max_edits = 2.max(word.chars().count() / 4);
    let mut other = String::new();
    // First what each candidate can reach at best, from its length and the
    // letters it shares with the word (cheap); candidates that cannot be
    // close are left out.
    let mut hopeful: Vec<(f64, usize, &'a str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        let other_len = lower_into(&mut other, c);
        let mut bound = similarity_bound(len, other_len);
        let mut fewest_edits = len.abs_diff(other_len);
        if let Some(common) = common_letters(&lower, &other) {
            bound = bound.min(similarity_bound_common(len, other_len, common));
            fewest_edits = fewest_edits.max((len + other_len - 2 * common).div_ceil(2));
        }
        if bound >= 0.88 || fewest_edits <= max_edits {
            hopeful.push((bound, i, c));
        }
    }
    // Then the full comparison, most hopeful first, until no candidate left
    // can reach the best so far.
    hopeful.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut best: Option<(f64, usize, &'a str)> = None;
    for (bound, i, c) in hopeful {
        if best.is_some_and(|(s, _, _)| bound < s) {
            break;
        }
        let other_len = lower_into(&mut other, c);
        let score = strsim::jaro_winkler(&lower, &other);
        // On a tie the candidate given first wins.
        if best.is_some_and(|(s, j, _)| score < s || (score == s && j < i)) {
            continue;
        }
        // The edit distance is at least the difference in length.
        let close = score >= 0.88
            || (len.abs_diff(other_len) <= max_edits
                && strsim::osa_distance(&lower, &other) <= max_edits);
        if close {
            best = Some((score, i, c));
        }
    }
    best.map(|(_, _, c)| c)
}

/// Writes `word` lower-cased into `out` and returns its length in
/// characters (slugs and keys, being ASCII, a byte at a time).
fn lower_into(out: &mut String, word: &str) -> usize {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        out.len()
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
        out.chars().count()
    }
}

/// The highest Jaro–Winkler similarity two words of these lengths (in
/// characters) can have: Jaro matches at most the shorter length, and
/// Winkler's prefix bonus adds at most 0.4 of what is missing to 1.
fn similarity_bound(a: usize, b: usize) -> f64 {
    if a == 0 || b == 0 {
        return 1.0;
    }
    let m = a.min(b) as f64;
    let jaro = (m / a as f64 + m / b as f64 + 1.0) / 3.0;
    0.6 * jaro + 0.4 + ROUNDING
}

/// Added to the bounds, so that rounding never rules out a candidate that
/// reaches the threshold exactly.
const ROUNDING: f64 = 1e-9;

/// How many letters two ASCII words have in common, each letter counted as
/// often as it occurs in both (`None` when either is not ASCII).
fn common_letters(a: &str, b: &str) -> Option<usize> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut counts = [0u16; 128];
    for &x in a.as_bytes() {
        counts[usize::from(x)] = counts[usize::from(x)].saturating_add(1);
    }
    let mut common = 0;
    for &y in b.as_bytes() {
        let c = &mut counts[usize::from(y)];
        if *c > 0 {
            *c -= 1;
            common += 1;
        }
    }
    Some(common)
}

/// The highest Jaro–Winkler similarity of words of lengths `a` and `b`
/// with `common` letters in common: Jaro's matches are pairs of equal
/// letters, so there are at most `common` of them. An edit changes at most
/// two of the letters the words do not share, which bounds the edit
/// distance from below by half of those.
fn similarity_bound_common(a: usize, b: usize, common: usize) -> f64 {
    if a == 0 || b == 0 {
        return 1.0;
    }
    if common == 0 {
        return 0.0;
    }
    let m = common as f64;
    let jaro = (m / a as f64 + m / b as f64 + 1.0) / 3.0;
    0.6 * jaro + 0.4 + ROUNDING
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_transposition() {
        let c = ["bouwblok", "levenscyclus", "rollen"];
        assert_eq!(did_you_mean("boubwlok", c), Some("bouwblok"));
        assert_eq!(did_you_mean("levenscylus", c), Some("levenscyclus"));
        assert_eq!(did_you_mean("hide", c), None);
    }

    #[test]
    fn case_is_ignored_and_the_candidate_is_returned_as_written() {
        assert_eq!(
            did_you_mean("AANBIEDER", ["Aanbieder", "importeur"]),
            Some("Aanbieder")
        );
    }

    #[test]
    fn the_most_similar_close_candidate_wins() {
        assert_eq!(
            did_you_mean("2.11", ["2.1", "2.11a", "2.12"]),
            Some("2.11a")
        );
        assert_eq!(did_you_mean("2", ["1"]), Some("1"));
        assert_eq!(did_you_mean("x", std::iter::empty()), None);
    }

    /// The bounds (length, letters in common) never rule out a candidate
    /// the full comparison would take.
    #[test]
    fn the_bounds_change_no_answer() {
        fn unbounded<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
            let lower = word.to_lowercase();
            let len = lower.chars().count();
            let max_edits = 2.max(word.chars().count() / 4);
            let mut best: Option<(f64, &'a str)> = None;
            for &c in candidates {
                let other: String = c.chars().flat_map(char::to_lowercase).collect();
                let score = strsim::jaro_winkler(&lower, &other);
                if best.is_some_and(|(s, _)| score <= s) {
                    continue;
                }
                let close = score >= 0.88
                    || (len.abs_diff(other.chars().count()) <= max_edits
                        && strsim::osa_distance(&lower, &other) <= max_edits);
                if close {
                    best = Some((score, c));
                }
            }
            best.map(|(_, c)| c)
        }
        // Words from a small alphabet, so that near misses are common.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Short words with a non-ASCII letter, and long ASCII ones like slugs.
        let word = |next: &mut dyn FnMut() -> u64, long: bool| -> String {
            let (n, letters) = if long {
                (20 + (next() % 24) as usize, &["a", "b", "e", "i", "r", "-"])
            } else {
                ((next() % 14) as usize, &["a", "b", "e", "é", "r", "-"])
            };
            (0..n).map(|_| letters[(next() % 6) as usize]).collect()
        };
        for i in 0..6000 {
            let long = i % 2 == 1;
            let w = word(&mut next, long);
            let size = 1 + (next() % 40) as usize;
            let pool: Vec<String> = (0..size).map(|_| word(&mut next, long)).collect();
            let refs: Vec<&str> = pool.iter().map(String::as_str).collect();
            assert_eq!(
                did_you_mean(&w, refs.iter().copied()),
                unbounded(&w, &refs),
                "{w} in {refs:?}"
            );
        }
    }
}
