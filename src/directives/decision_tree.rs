//! `<!-- gpai_classifier [tree/NAME] -->`: a decision aid that walks one of
//! the site's decision trees (default `gpai`) in the browser, with the tree
//! as text for readers without JavaScript.

use super::{Call, Directive, Env, Kind, Shows};
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostics};
use crate::index::short_id;
use kader_classify::sanitize_html;
use serde::Serialize;

pub struct DecisionTree;

impl Kind for DecisionTree {
    fn names(&self, _: &SiteConfig) -> Vec<String> {
        vec!["gpai_classifier".into()]
    }

    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>> {
        let (call, page, config) = (at.call, at.page(), at.config());
        let mut name = "gpai";
        for a in &call.args {
            match a.pair() {
                Some(("tree", n)) => name = n,
                _ => diags.push(at.arg_problem(
                    Code::DirectiveArgument,
                    a,
                    format!("`{}` takes only `tree/<name>`, not `{}`", call.name, a.text),
                    Some("e.g. `<!-- gpai_classifier tree/gpai -->`".into()),
                )),
            }
        }
        let trees = &at.idx.site.trees;
        let found = trees
            .iter()
            .position(|t| t.name == name && t.lang == page.lang)
            .or_else(|| {
                trees
                    .iter()
                    .position(|t| t.name == name && t.lang == config.default_language)
            });
        match found {
            Some(tree) => Some(Box::new(Walker { tree })),
            None => {
                diags.push(
                    at.problem(
                        Code::DirectiveArgument,
                        format!(
                            "there is no valid decision tree `{name}` for `{}`",
                            call.name
                        ),
                    )
                    .with_hint(format!(
                        "add a decision tree `{name}.yaml` (a YAML file with `questions` and `conclusions`) to {}/, or fix the problems reported for it",
                        config.content_dir
                    )),
                );
                None
            }
        }
    }
}

/// The aid for tree `tree` of `ParsedSite::trees`.
#[derive(Debug)]
struct Walker {
    tree: usize,
}

impl Directive for Walker {
    /// It lists every page carrying AI-Act terms.
    fn shows(&self) -> Shows {
        Shows::All
    }

    fn template(&self) -> &'static str {
        "partials/gpai_classifier.html"
    }

    fn needs_all_strings(&self) -> bool {
        true
    }

    /// The tree (sanitized, and as JSON for the widget) and the pages it can
    /// link to.
    fn context(&self, env: &dyn Env, ctx: &mut tera::Context, _: &mut Diagnostics) {
        let idx = env.index();
        let lang = env.lang();
        let config = &idx.site.config;
        let tree = sanitized(&idx.site.trees[self.tree].tree);
        let ai_act: Vec<&str> = config
            .taxonomies
            .iter()
            .filter(|(_, t)| t.ai_act)
            .map(|(k, _)| k.as_str())
            .collect();
        let mut requirements = Vec::new();
        for coll in config.collections.keys() {
            for &(c, _) in idx.collection_pages(coll, lang) {
                let p = &idx.site.pages[c];
                let terms: serde_json::Map<String, serde_json::Value> = ai_act
                    .iter()
                    .filter_map(|t| {
                        let v: Vec<&str> = p.front.term_slugs(t).collect();
                        (!v.is_empty()).then(|| (t.to_string(), serde_json::json!(v)))
                    })
                    .collect();
                if terms.is_empty() {
                    continue;
                }
                let out = idx.out_of_content[c].unwrap_or(0);
                requirements.push(serde_json::json!({
                    "title": p.title(),
                    "url": idx.href(out),
                    "id": p.front.id.as_ref().map(|i| short_id(&i.value).to_string()),
                    "terms": terms,
                }));
            }
        }
        ctx.insert("lang", lang);
        ctx.insert("tree", &tree);
        ctx.insert("tree_json", &script_json(&tree));
        ctx.insert("requirements_json", &script_json(&requirements));
        ctx.insert("wasm", &env.url("kader-classify.wasm"));
        ctx.insert("script", &env.url("kader-classify.js"));
        ctx.insert("css", &env.url("kader-classify.css"));
    }
}

/// The tree with every text that may hold HTML reduced to the safe subset.
fn sanitized(tree: &kader_classify::DecisionTree) -> kader_classify::DecisionTree {
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
