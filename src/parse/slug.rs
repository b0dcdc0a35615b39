//! Heading ids. The rule (compatible with MkDocs' default, so existing
//! anchors keep working): decompose accents (NFKD) and drop what is not
//! ASCII, remove every character that is not a letter, digit, `_`, `-` or
//! whitespace, lowercase, and join runs of whitespace and hyphens with `-`.
//! A repeated id in one page gets `_1`, `_2`, ... appended.

use kader_search::hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

/// The id for a heading text, e.g. `Wanneer van toepassing?` → `wanneer-van-toepassing`.
pub fn slugify(text: &str) -> String {
    let ascii: String = text.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_ascii_whitespace())
        .collect();
    let lower = kept.trim().to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut pending = false;
    for c in lower.chars() {
        if c == '-' || c.is_ascii_whitespace() {
            pending = true;
        } else {
            if pending && !out.is_empty() {
                out.push('-');
            }
            pending = false;
            out.push(c);
        }
    }
    out
}

/// Hands out unique ids within one page.
#[derive(Debug, Default)]
pub struct IdRegistry {
    used: HashMap<String, usize>,
}

impl IdRegistry {
    /// Reserves `id` as written (explicit ids); false if it was taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        let n = self.used.entry(id.to_string()).or_insert(0);
        *n += 1;
        *n == 1
    }

    /// A unique id derived from `base` (`base`, `base_1`, ...).
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if !self.used.contains_key(base) {
            self.used.insert(base.to_string(), 1);
            return base.to_string();
        }
        let mut n = self.used[base];
        loop {
            let candidate = format!("{base}_{n}");
            n += 1;
            if !self.used.contains_key(&candidate) {
                self.used.insert(base.to_string(), n);
                self.used.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.used.contains_key(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rules() {
        assert_eq!(slugify("Wanneer van toepassing?"), "wanneer-van-toepassing");
        assert_eq!(slugify("Één coöperatie"), "een-cooperatie");
        assert_eq!(
            slugify("Bijbehorende vereiste(n)"),
            "bijbehorende-vereisten"
        );
        assert_eq!(slugify("  A -- B  "), "a-b");
        assert_eq!(slugify("Artikel 55(1)(c)"), "artikel-551c");
        assert_eq!(slugify("snake_case"), "snake_case");
    }

    #[test]
    fn repeated_ids_get_suffixes() {
        let mut r = IdRegistry::default();
        assert_eq!(r.unique("bronnen"), "bronnen");
        assert_eq!(r.unique("bronnen"), "bronnen_1");
        assert_eq!(r.unique("bronnen"), "bronnen_2");
        assert!(r.reserve("x"));
        assert!(!r.reserve("x"));
    }
}
