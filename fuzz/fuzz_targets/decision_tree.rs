//! Decision trees: the `if` expressions of redirects, and whole YAML files
//! through serde, `kader_classify::validate` and kader's loader (which maps
//! every problem to a line and column).
#![no_main]

mod common;

use kader::diagnostics::{Diagnostics, SourceText};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The expression language.
    if let Ok(e) = kader_classify::expr::parse(text) {
        let labels = e.labels().iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let _ = e.eval(&labels);
        let _ = e.eval::<&str>(&[]);
    }
    // The tree format, directly.
    if let Ok(tree) = serde_yaml::from_str::<kader_classify::DecisionTree>(text) {
        let _ = kader_classify::validate(&tree);
        let _ = tree.produced_labels();
        if let Ok(mut s) = kader_classify::Session::new(tree) {
            for i in 0..4 {
                if s.answer(i % 2).is_err() {
                    break;
                }
            }
        }
    }
    // And as kader loads it from a site.
    let env = common::env();
    let src = SourceText::new("content/beslisbomen/boom.yaml", text);
    let mut diags = Diagnostics::new();
    let _ = kader::parse::decision_tree::load_trees(
        std::slice::from_ref(&src),
        &env.config,
        &mut diags,
    );
    common::check_diagnostics(&src, &diags.sorted());
});
