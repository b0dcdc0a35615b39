//! Front matter: `split` and `parse` against a collection's schema, on any
//! text. Diagnostics must point inside the page.
#![no_main]

mod common;

use kader::diagnostics::{Diagnostics, SourceText};
use kader::parse::front_matter::{self, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = common::env();
    // Without the leading `---`, most inputs would be plain bodies.
    for text in [text.to_string(), format!("---\n{text}")] {
        let src = SourceText::new("content/vereisten/x.md", text);
        let mut diags = Diagnostics::new();
        match front_matter::split(&src.text) {
            Ok((Some(span), body)) => {
                assert!(span.start <= span.end && span.end <= body && body <= src.text.len());
                for collection in [Some("vereisten"), Some("maatregelen"), None] {
                    let schema = Schema {
                        config: &env.config,
                        collection,
                    };
                    let fm = front_matter::parse(&src, span, &schema, &mut diags);
                    for list in fm.terms.values().chain(fm.refs.values()) {
                        for l in list {
                            assert!(l.span.start <= l.span.end && l.span.end <= src.text.len());
                        }
                    }
                }
            }
            Ok((None, body)) => assert_eq!(body, 0),
            Err(span) => assert!(span.end <= src.text.len()),
        }
        common::check_diagnostics(&src, &diags.sorted());
    }
});
