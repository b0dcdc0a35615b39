//! # kader-suggest
//!
//! "Did you mean …?" hints: [`did_you_mean`] picks, among candidates, the
//! one closest to a word when it is close enough to be a plausible typo.
//! Pure: no I/O, no allocation beyond one scratch string, never panics.

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
    let mut best: Option<(f64, &'a str)> = None;
    let mut other = String::new();
    for c in candidates {
        other.clear();
        other.extend(c.chars().flat_map(char::to_lowercase));
        let score = strsim::jaro_winkler(&lower, &other);
        if best.is_some_and(|(s, _)| score <= s) {
            continue;
        }
        // The edit distance is at least the difference in length: most
        // candidates are ruled out without computing it.
        let close = score >= 0.88
            || (len.abs_diff(other.chars().count()) <= max_edits
                && strsim::osa_distance(&lower, &other) <= max_edits);
        if close {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
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
}
