//! The one neutralisation rule for every text that reaches a spreadsheet,
//! and the rule for hyperlinks.

use std::borrow::Cow;

/// The longest text a cell gets, in UTF-16 code units (a spreadsheet
/// cell holds at most 32,767 characters; the rest of the room is for the
/// mark of a cut).
pub const MAX_CELL: usize = 32_000;

/// The longest URL written as a hyperlink (Excel opens up to 2,079).
const MAX_URL: usize = 2_000;

/// A text as it may go into a cell, in any format:
///
/// * line breaks become `\n` (`\r\n` and a lone `\r` too), a tab a space;
///   every other control character (C0, DEL, C1) and the non-characters
///   U+FFFE and U+FFFF are removed (XML 1.0 cannot carry most of them);
/// * a text longer than [`MAX_CELL`] UTF-16 units is cut and ends in `…`;
/// * a text whose first character other than white space is `=`, `+`, `-`
///   or `@` (so also one that started with a tab or a carriage return before
///   them) gets a leading `'`, so no spreadsheet reads it as a formula.
pub fn clean(text: &str) -> String {
    cleaned(text).into_owned()
}

/// [`clean`] without a copy of a text it leaves as it is (most texts).
pub(crate) fn cleaned(text: &str) -> Cow<'_, str> {
    let mut out = if text.len() <= MAX_CELL && !needs_cleaning(text.as_bytes()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(clean_chars(text))
    };
    if out.trim_start().starts_with(['=', '+', '-', '@']) {
        out.to_mut().insert(0, '\'');
    }
    out
}

/// Whether `text` holds anything [`clean`] changes apart from the formula
/// mark: a control character (C0 but `\n`, DEL, C1) or U+FFFE/U+FFFF. One
/// pass over the bytes; most texts hold none and are copied as they are.
fn needs_cleaning(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\n' => false,
        0x00..=0x1F | 0x7F => true,
        // C1 controls are U+0080–U+009F: C2 80 … C2 9F.
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        // U+FFFE and U+FFFF: EF BF BE and EF BF BF.
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// [`clean`]'s rules applied character by character.
fn clean_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut units = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\t' => ' ',
            '\n' => '\n',
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => continue,
            c => c,
        };
        if units + c.len_utf16() > MAX_CELL {
            out.push('…');
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out
}

/// A drop-down choice: [`clean`], on one line, without the characters that
/// separate or quote choices in a validation formula (`,` `;` `"`).
pub fn clean_choice(text: &str) -> String {
    clean(text)
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .filter(|c| !matches!(c, ',' | ';' | '"'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// `url` when it may become a hyperlink: `http:` or `https:` (any case), or
/// relative (no scheme, not `//host`); without spaces, control characters or
/// backslashes; at most 2,000 bytes. Anything else (`javascript:`,
/// `file:`, `data:`, `mailto:`) is `None`: the cell shows the text only.
pub fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.is_empty()
        || url.len() > MAX_URL
        || url.starts_with("//")
        || url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].find(':') {
        None => Some(url),
        Some(i) => {
            let scheme = url[..i].to_ascii_lowercase();
            (scheme == "http" || scheme == "https").then_some(url)
        }
    }
}

/// Names of sheets as every spreadsheet accepts them: [`clean`] (without
/// the formula mark, which is harmless here), without `[ ] : * ? / \` and
/// line breaks, without a leading or trailing `'`, at most 31 characters,
/// not empty (`fallback` then) and unique (a number is added).
pub fn sheet_names<'a>(names: impl IntoIterator<Item = &'a str>, fallback: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let cleaned: String = clean(name)
            .trim_start_matches('\'')
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\n'))
            .collect();
        let cleaned = cleaned.trim().trim_matches('\'').trim();
        let base: String = if cleaned.is_empty() {
            fallback.chars().take(31).collect()
        } else {
            cleaned.chars().take(31).collect()
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            let c = clean(f);
            assert!(c.starts_with('\''), "{f:?} -> {c:?}");
        }
        assert_eq!(clean("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(clean("\t-1"), "' -1");
        assert_eq!(clean("gewoon"), "gewoon");
    }

    #[test]
    fn control_characters_go_and_line_breaks_stay() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{7f}d\u{85}e\u{FFFF}"), "abcde");
        assert_eq!(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(clean("\r=1"), "'\n=1");
    }

    #[test]
    fn the_byte_scan_finds_exactly_what_the_character_rules_change() {
        let chars = (0u32..0x800).chain(0xFFF0..=0xFFFF).chain([0x1F600]);
        for c in chars.filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("ab{c}cd"), format!("é{c}")] {
                let changes = clean_chars(&text) != text;
                assert_eq!(
                    needs_cleaning(text.as_bytes()),
                    changes,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn long_texts_are_cut_in_utf16_units() {
        let long = "€".repeat(40_000);
        let c = clean(&long);
        assert_eq!(c.encode_utf16().count(), MAX_CELL + 1);
        assert!(c.ends_with('…'));
        let astral = "𝄞".repeat(20_000);
        assert!(clean(&astral).encode_utf16().count() <= MAX_CELL + 1);
    }

    #[test]
    fn only_http_and_relative_urls_link() {
        assert!(safe_url("https://example.org/a b").is_none());
        assert_eq!(
            safe_url("https://example.org/x/"),
            Some("https://example.org/x/")
        );
        assert_eq!(safe_url("HTTP://example.org"), Some("HTTP://example.org"));
        assert_eq!(safe_url("../vereisten/x/"), Some("../vereisten/x/"));
        assert_eq!(safe_url("/x/?a=b:c"), Some("/x/?a=b:c"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "mailto:a@b",
            "//evil.example/",
            "\\\\server\\share",
            "vbscript:x",
            "",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
        assert_eq!(
            safe_url(&format!("https://e.org/{}", "a".repeat(3000))),
            None
        );
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let names = sheet_names(
            [
                "Vereisten",
                "vereisten",
                "a/b:c*?[x]",
                "",
                "'=x'",
                &"x".repeat(40),
            ],
            "Blad",
        );
        assert_eq!(names[0], "Vereisten");
        assert_eq!(names[1], "vereisten (2)");
        assert_eq!(names[2], "abcx");
        assert_eq!(names[3], "Blad");
        assert_eq!(names[4], "=x");
        assert_eq!(names[5].chars().count(), 31);
    }

    #[test]
    fn choices_lose_separators() {
        assert_eq!(clean_choice("Te doen, \"nu\"; later"), "Te doen nu later");
        assert_eq!(clean_choice("=1"), "'=1");
    }
}
