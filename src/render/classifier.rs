//! Data for the decision-aid partials: the decision tree with every text
//! that may hold HTML sanitized at build time, and JSON safe to embed in a
//! page.

use kader_classify::sanitize_html;
use kader_classify::DecisionTree;
use serde::Serialize;

/// The tree with every text that may hold HTML reduced to the safe subset.
pub fn sanitized(tree: &DecisionTree) -> DecisionTree {
    let mut t = tree.clone();
    for q in &mut t.questions {
        q.question = sanitize_html(&q.question);
        q.explanation = q.explanation.as_deref().map(sanitize_html);
        q.description = q.description.as_deref().map(sanitize_html);
        for a in &mut q.answers {
            a.answer = sanitize_html(&a.answer);
            a.explanation = a.explanation.as_deref().map(sanitize_html);
            a.subresult = a.subresult.as_deref().map(sanitize_html);
            a.answer_comment = a.answer_comment.as_deref().map(sanitize_html);
        }
    }
    for c in &mut t.conclusions {
        c.conclusion = sanitize_html(&c.conclusion);
        c.obligation = sanitize_html(&c.obligation);
        c.explanation = c.explanation.as_deref().map(sanitize_html);
        c.conclusion_comment = c.conclusion_comment.as_deref().map(sanitize_html);
    }
    t
}

/// JSON for a `<script type="application/json">` block: `<` is escaped so
/// no text can close the element or open a comment.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let s = script_json(&vec!["</script><script>alert(1)</script>", "<!--"]);
        assert!(!s.contains('<'), "{s}");
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
    }
}
