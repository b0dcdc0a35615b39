//! The search analyzer (Dutch and English): token offsets must cut the
//! text at character boundaries and lie inside it.
#![no_main]

use kader_search::{analyze, Language};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lang in [Language::Nl, Language::En] {
        for t in analyze(text, lang) {
            assert!(t.original_start <= t.original_end && t.original_end <= text.len());
            assert!(
                text.is_char_boundary(t.original_start) && text.is_char_boundary(t.original_end)
            );
            assert!(!t.term.is_empty());
        }
    }
});
