//! `<!-- decision_tree NAME -->`: a decision aid that walks the site's
//! decision tree `NAME` in the browser (static/kader-classify.js, run by
//! kader-classify.wasm), with the tree readable as linked questions for
//! readers without JavaScript. `<!-- gpai_classifier [tree/NAME] -->` is the
//! same for the tree `gpai`. The data the widget gets is built here and
//! also used by the tree's own generated page.

use super::{Call, Directive, Env, Kind, Shows};
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostics};
use crate::index::SiteIndex;
use crate::parse::decision_tree::label_map;
use crate::parse::escape::plain_text;
use kader_classify::sanitize_html;
use kader_classify::tree::Answer;
use serde::Serialize;

pub struct DecisionTree;

const DECISION_TREE: &str = "decision_tree";
const GPAI: &str = "gpai_classifier";

impl Kind for DecisionTree {
    fn names(&self, _: &SiteConfig) -> Vec<String> {
        vec![DECISION_TREE.into(), GPAI.into()]
    }

    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>> {
        let (call, config) = (at.call, at.config());
        let trees = &at.idx.site.trees;
        let mut name: Option<&str> = None;
        for a in &call.args {
            let given = match a.pair() {
                Some(("tree", n)) => Some(n),
                None if call.name == DECISION_TREE && name.is_none() => Some(a.text.as_str()),
                _ => None,
            };
            match given {
                Some(n) => name = Some(n),
                None => diags.push(at.arg_problem(
                    Code::DirectiveArgument,
                    a,
                    format!(
                        "`{}` takes only the name of a decision tree, not `{}`",
                        call.name, a.text
                    ),
                    Some(format!("e.g. `<!-- {DECISION_TREE} ai-verordening -->`")),
                )),
            }
        }
        let name = match (name, call.name.as_str()) {
            (Some(n), _) => n.to_string(),
            (None, GPAI) => "gpai".to_string(),
            (None, _) => match at.idx.default_tree() {
                Some(n) => n,
                None => {
                    diags.push(
                        at.problem(Code::DirectiveArgument, format!("`{}` needs a decision tree, but the site has none", call.name))
                            .with_hint(format!("add a decision tree (a YAML file with `questions` and `conclusions`) to {}/", config.content_dir)),
                    );
                    return None;
                }
            },
        };
        if at.idx.tree(&name, &at.page().lang).is_some() {
            return Some(Box::new(Walker { name }));
        }
        let mut names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        names.dedup();
        let near = crate::diagnostics::did_you_mean(&name, names.iter().copied());
        // The argument that names the tree, where the did-you-mean goes.
        let written = call.args.iter().find_map(|a| {
            let n = a
                .pair()
                .filter(|(k, _)| *k == "tree")
                .map_or(a.text.as_str(), |(_, n)| n);
            (n == name).then(|| (a.span.end - n.len(), a.span.end))
        });
        let hint = match near {
            Some(n) => format!("did you mean `{n}`?"),
            None if names.is_empty() => format!(
                "add a decision tree `{name}.yaml` (a YAML file with `questions` and `conclusions`) to {}/",
                config.content_dir
            ),
            None => format!("the site's decision trees: {}", names.join(", ")),
        };
        diags.push(
            at.problem(
                Code::DirectiveArgument,
                format!(
                    "there is no valid decision tree `{name}` for `{}`",
                    call.name
                ),
            )
            .with_hint(format!("{hint} (or fix the problems reported for it)"))
            .with_fix_if(
                &at.page().source,
                written.map_or(0, |w| w.0),
                written.map_or(0, |w| w.1),
                &name,
                near.filter(|_| written.is_some()).map(str::to_string),
            ),
        );
        None
    }
}

/// The aid for the tree `name`.
#[derive(Debug)]
struct Walker {
    name: String,
}

impl Directive for Walker {
    /// It lists every page carrying AI-Act terms.
    fn shows(&self) -> Shows {
        Shows::All
    }

    fn template(&self) -> &'static str {
        "partials/decision_tree.html"
    }

    fn needs_all_strings(&self) -> bool {
        true
    }

    fn context(&self, env: &dyn Env, ctx: &mut tera::Context, _: &mut Diagnostics) {
        if let Some(w) = widget(env.index(), env.lang(), &self.name, &|p| env.url(p)) {
            ctx.insert("widget", &w);
        }
    }
}

/// What `partials/decision_tree.html` shows.
#[derive(Debug, Serialize)]
pub struct Widget {
    pub name: String,
    /// The widget's data (see the top of static/kader-classify.js), as JSON
    /// safe inside a script element.
    pub data_json: String,
    pub wasm_url: String,
    pub fallback: Fallback,
}

/// The tree for readers without JavaScript.
#[derive(Debug, Serialize)]
pub struct Fallback {
    pub questions: Vec<FallbackQuestion>,
    pub conclusions: Vec<FallbackConclusion>,
}

#[derive(Debug, Serialize)]
pub struct FallbackQuestion {
    pub id: String,
    pub anchor: String,
    /// Sanitized HTML.
    pub text: String,
    pub explanation: Option<String>,
    pub category: Option<String>,
    pub answers: Vec<FallbackAnswer>,
}

#[derive(Debug, Serialize)]
pub struct FallbackAnswer {
    /// Sanitized HTML.
    pub text: String,
    /// Where it leads (none when that depends on earlier answers).
    pub href: Option<String>,
    /// Where it may lead, when that depends on earlier answers.
    pub targets: Vec<FallbackTarget>,
}

#[derive(Debug, Serialize)]
pub struct FallbackTarget {
    /// The question or conclusion, as text.
    pub text: String,
    pub href: String,
    /// The condition, as written in the tree.
    pub when: String,
}

#[derive(Debug, Serialize)]
pub struct FallbackConclusion {
    pub id: String,
    pub anchor: String,
    /// Sanitized HTML.
    pub text: String,
    pub obligation: String,
    /// The conclusion's own page, when the site has one.
    pub href: Option<String>,
}

/// The widget of tree `name` in `lang`; `url` turns an output path into a
/// URL with the base path.
pub fn widget(
    idx: &SiteIndex,
    lang: &str,
    name: &str,
    url: &dyn Fn(&str) -> String,
) -> Option<Widget> {
    let loaded = idx.tree(name, lang)?;
    let config = &idx.site.config;
    let tree = sanitized(&loaded.tree);
    let page_url = |path: String| idx.by_path.contains_key(&path).then(|| url(&path));
    let conclusion_urls: serde_json::Map<String, serde_json::Value> = tree
        .conclusions
        .iter()
        .filter_map(|c| {
            let path = crate::index::conclusion_path(config, lang, name, &c.conclusion_id);
            Some((c.conclusion_id.clone(), page_url(path)?.into()))
        })
        .collect();
    let profile_path = format!(
        "{}{}/",
        config.lang_dir(lang),
        config.decision_aid.profile_path
    );
    let pages: Vec<serde_json::Value> = idx
        .collection_pages(&config.decision_aid.overview, lang)
        .iter()
        .map(|&(c, _)| {
            let p = idx.applicability_page(c, String::new());
            serde_json::json!({
                "title": idx.site.pages[c].title(),
                "url": idx.out_of_content[c].map(|o| idx.href(o)),
                "terms": p.terms,
                "uitzondering": p.uitzondering,
            })
        })
        .collect();
    let strings = idx
        .site
        .theme
        .strings(lang)
        .as_json()
        .get("classifier")
        .cloned();
    let data = serde_json::json!({
        "name": tree.name.as_deref().map(plain_text).unwrap_or_else(|| name.to_string()),
        "lang": lang,
        "tree": tree,
        "categories": loaded.categories,
        "definitions": loaded.definitions,
        "labelMap": label_map(config),
        "strings": strings,
        "overviewUrl": page_url(profile_path),
        "conclusionUrls": conclusion_urls,
        "pages": pages,
        "termLabels": crate::index::ai_act::term_labels(config, lang),
    });
    Some(Widget {
        name: tree
            .name
            .as_deref()
            .map(plain_text)
            .unwrap_or_else(|| name.to_string()),
        data_json: script_json(&data),
        wasm_url: url("kader-classify.wasm"),
        fallback: fallback(idx, &tree, lang, name, url),
    })
}

/// The questions with their answers as links, and the conclusions.
fn fallback(
    idx: &SiteIndex,
    tree: &kader_classify::DecisionTree,
    lang: &str,
    name: &str,
    url: &dyn Fn(&str) -> String,
) -> Fallback {
    let config = &idx.site.config;
    let q_anchor = |id: &str| format!("vraag-{}", crate::index::segment(id));
    let c_anchor = |id: &str| format!("conclusie-{}", crate::index::segment(id));
    let c_href = |id: &str| {
        let path = crate::index::conclusion_path(config, lang, name, id);
        if idx.by_path.contains_key(&path) {
            url(&path)
        } else {
            format!("#{}", c_anchor(id))
        }
    };
    let target = |q: Option<&String>, c: Option<&String>| -> Option<(String, String)> {
        if let Some(q) = q {
            let text = tree
                .questions
                .iter()
                .find(|x| &x.question_id == q)
                .map(|x| plain_text(&x.question))?;
            return Some((text, format!("#{}", q_anchor(q))));
        }
        let c = c?;
        let text = tree
            .conclusions
            .iter()
            .find(|x| &x.conclusion_id == c)
            .map(|x| plain_text(&x.conclusion))?;
        Some((text, c_href(c)))
    };
    let answer = |a: &Answer| FallbackAnswer {
        text: a.answer.clone(),
        href: target(a.next_question_id.as_ref(), a.next_conclusion_id.as_ref()).map(|t| t.1),
        targets: a
            .redirects
            .iter()
            .flatten()
            .filter_map(|r| {
                let (text, href) =
                    target(r.next_question_id.as_ref(), r.next_conclusion_id.as_ref())?;
                Some(FallbackTarget {
                    text,
                    href,
                    when: r.condition.clone(),
                })
            })
            .collect(),
    };
    Fallback {
        questions: tree
            .questions
            .iter()
            .map(|q| FallbackQuestion {
                id: q.question_id.clone(),
                anchor: q_anchor(&q.question_id),
                text: q.question.clone(),
                explanation: q.explanation.clone(),
                category: q.category.clone(),
                answers: q.answers.iter().map(answer).collect(),
            })
            .collect(),
        conclusions: tree
            .conclusions
            .iter()
            .map(|c| {
                let href = c_href(&c.conclusion_id);
                FallbackConclusion {
                    id: c.conclusion_id.clone(),
                    anchor: c_anchor(&c.conclusion_id),
                    text: c.conclusion.clone(),
                    obligation: c.obligation.clone(),
                    href: (!href.starts_with('#')).then_some(href),
                }
            })
            .collect(),
    }
}

/// The tree with every text that may hold HTML reduced to the safe subset.
pub fn sanitized(tree: &kader_classify::DecisionTree) -> kader_classify::DecisionTree {
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
/// no text can close the element or open a comment, and quotes and `&`
/// inside strings are written as escapes too, so no text of the data reads
/// like markup to a scanner of the page.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            // An escaped quote inside a string.
            '\\' => match chars.next() {
                Some('"') => out.push_str("\\u0022"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let texts = vec![
            "</script><script>alert(1)</script>",
            "<!--",
            "\" onload=\"x\" &amp; 'y' \\",
        ];
        let s = script_json(&texts);
        assert!(
            !s.contains('<') && !s.contains("\" onload") && !s.contains('\''),
            "{s}"
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, texts);
    }
}
