//! Decision trees are checked like content: every problem has a position.

use crate::harness::{self, Site};

#[test]
fn tree_problems_are_reported_with_positions() {
    let site = Site::fixture("trees");
    let outcome = site.check();
    insta::assert_snapshot!("trees_human", harness::human(&outcome.diagnostics));
}

#[test]
fn a_valid_tree_renders_sanitized_with_its_data() {
    let site = Site::fixture("trees");
    for bad in ["bungelend", "onbereikbaar", "kring", "voorwaarde"] {
        site.remove(&format!("content/beslisbomen/{bad}.yaml"));
    }
    let built = site.build();
    let html = built.read("index.html");
    assert!(html.contains("<b>AI-model</b>"), "the allowed subset stays");
    assert!(
        !html.contains("<script>alert(1)"),
        "scripts in tree texts are neutralised"
    );
    assert!(html.contains("application/json"));
}
