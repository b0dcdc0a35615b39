//! Case and diacritic folding.
//!
//! Folding maps a character to lowercase without diacritics: `É` → `e`,
//! `ö` → `o`, `ĳ` → `ij`, `ß` → `ss`. The tables below cover Latin-1
//! Supplement, Latin Extended-A/B and Latin Extended Additional, which is
//! every accented Latin letter a Dutch or English text is likely to hold.
//! Other characters are lowercased with the standard library; combining
//! marks (as found in text that is already decomposed) are dropped.
//!
//! The tables are checked against Unicode canonical decomposition by a test
//! (`fold_tables_match_nfd`, using the `unicode-normalization` crate as a
//! dev-dependency), so the library itself needs no normalization tables.

/// Folded base letter for U+00C0..=U+024F; `.` means "not a plain letter
/// plus marks" (see [`special`]).
const LATIN_1_AND_EXTENDED: &str = concat!(
    "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y",
    "aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll.",
    "...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.",
    "................................oo.............uu...............",
    ".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....",
    "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............",
    "................",
);
const LATIN_1_START: u32 = 0xC0;

/// Folded base letter for U+1E00..=U+1EFF (Latin Extended Additional).
const LATIN_EXTENDED_ADDITIONAL: &str = concat!(
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm",
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv",
    "wwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee",
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......",
);
const LATIN_EXTENDED_ADDITIONAL_START: u32 = 0x1E00;

/// Letters that are not "base letter + marks": ligatures and letters with a
/// stroke. Returns the ASCII spelling people type for them.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'Æ' | 'æ' | 'Ǣ' | 'ǣ' | 'Ǽ' | 'ǽ' => "ae",
        'Œ' | 'œ' => "oe",
        'Ø' | 'ø' | 'Ǿ' | 'ǿ' => "o",
        'Ð' | 'ð' | 'Đ' | 'đ' => "d",
        'Þ' | 'þ' => "th",
        'ß' | 'ẞ' => "ss",
        'Ħ' | 'ħ' => "h",
        'ı' => "i",
        'Ĳ' | 'ĳ' => "ij",
        'ĸ' => "k",
        'Ŀ' | 'ŀ' | 'Ł' | 'ł' => "l",
        'ŉ' | 'Ŋ' | 'ŋ' => "n",
        'Ŧ' | 'ŧ' => "t",
        'ſ' | 'ẛ' => "s",
        'Ǆ' | 'ǅ' | 'ǆ' | 'Ǳ' | 'ǲ' | 'ǳ' => "dz",
        'Ǉ' | 'ǈ' | 'ǉ' => "lj",
        'Ǌ' | 'ǋ' | 'ǌ' => "nj",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

fn table_lookup(table: &'static str, start: u32, c: char) -> Option<char> {
    let idx = (c as u32).checked_sub(start)? as usize;
    match table.as_bytes().get(idx) {
        Some(&b) if b != b'.' => Some(b as char),
        _ => None,
    }
}

/// True for combining marks that folding removes (the common blocks).
pub fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Appends the folded form of `c` to `out`.
pub fn fold_char_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_combining_mark(c) || c == '\u{00AD}' {
        return;
    }
    if let Some(b) = table_lookup(LATIN_1_AND_EXTENDED, LATIN_1_START, c).or_else(|| {
        table_lookup(
            LATIN_EXTENDED_ADDITIONAL,
            LATIN_EXTENDED_ADDITIONAL_START,
            c,
        )
    }) {
        out.push(b);
        return;
    }
    if let Some(s) = special(c) {
        out.push_str(s);
        return;
    }
    for l in c.to_lowercase() {
        if !is_combining_mark(l) {
            out.push(l);
        }
    }
}

/// Folds a whole string (lowercase, diacritics removed).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char_into(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn tables_have_expected_length() {
        assert_eq!(LATIN_1_AND_EXTENDED.len(), 0x250 - 0xC0);
        assert_eq!(LATIN_EXTENDED_ADDITIONAL.len(), 0x100);
    }

    /// Every character whose canonical decomposition is an ASCII letter plus
    /// combining marks must fold to that letter (lowercased).
    #[test]
    fn fold_tables_match_nfd() {
        for cp in (0xC0u32..0x250).chain(0x1E00..0x1F00) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let base: String = std::iter::once(c)
                .nfd()
                .filter(|m| !unicode_normalization::char::is_combining_mark(*m))
                .collect::<String>()
                .to_lowercase();
            let mut got = String::new();
            fold_char_into(c, &mut got);
            if base.len() == 1 && base.is_ascii() {
                assert_eq!(got, base, "U+{cp:04X} {c}");
            } else {
                assert!(
                    got.chars().all(|g| !g.is_uppercase()),
                    "U+{cp:04X} {c} folds to {got}"
                );
            }
        }
    }

    #[test]
    fn folds_dutch_examples() {
        assert_eq!(fold("één"), "een");
        assert_eq!(fold("coöperatie"), "cooperatie");
        assert_eq!(fold("Ü"), "u");
        assert_eq!(fold("ĲSSEL"), "ijssel");
        assert_eq!(fold("straße"), "strasse");
        // decomposed input: e + combining acute
        assert_eq!(fold("e\u{301}e\u{301}n"), "een");
        assert_eq!(fold("İstanbul"), "istanbul");
    }
}
