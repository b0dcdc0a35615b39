//! Directive recognition on any comment: spans of the name and of every
//! argument must cover exactly their text.
#![no_main]

mod common;

use kader::parse::directive::{recognize, Recognized};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = common::env();
    for html in [text.to_string(), format!("<!-- {text} -->\n")] {
        match recognize(&html, &env.directives, |i| i) {
            Recognized::Directive(d) => {
                assert_eq!(&html[d.name_span.start..d.name_span.end], d.name);
                for a in &d.args {
                    assert_eq!(&html[a.span.start..a.span.end], a.text);
                    let _ = a.pair();
                }
                assert!(d.span.end <= html.len());
            }
            Recognized::Unknown {
                name, name_span, ..
            } => assert_eq!(&html[name_span.start..name_span.end], name),
            Recognized::Comment => {}
        }
    }
});
