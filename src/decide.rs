//! `kader decide` and `kader applicable`: the decision aid and the
//! applicability rules on the command line, on the same index and with the
//! same engine as the site.

use crate::config::{FieldKind, SiteConfig};
use crate::index::SiteIndex;
use crate::parse::decision_tree::label_map;
use crate::parse::escape::plain_text;
use kader_classify::session::Current;
use kader_classify::{profile, Lang, Profile, Session};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a walk stands, and what applies after it.
#[derive(Debug, Serialize)]
pub struct Decision {
    /// The id of the question waiting for an answer.
    pub question: Option<String>,
    /// The id of the conclusion reached.
    pub conclusion: Option<String>,
    /// Subcategory → its labels (or what an empty group reads: "nader te
    /// bepalen" before the conclusion, "niet van toepassing" after it).
    pub labels: BTreeMap<String, Vec<String>>,
    /// Taxonomy → terms.
    pub profile: BTreeMap<String, Vec<String>>,
    /// Per collection (the overview collection, `vereisten`, and those
    /// whose pages serve it, such as `maatregelen`): the slugs of the pages
    /// that apply to the profile so far.
    #[serde(flatten)]
    pub pages: BTreeMap<String, Vec<String>>,
    /// For people: the question with its answers, or the conclusion.
    #[serde(skip)]
    pub text: Vec<String>,
}

/// A usage error of `decide` or `applicable` (exit code 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn quoted(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Walks tree `name` with `answers` (question id → answer text, or a value
/// for a numeric question), as far as they go.
pub fn decide(
    idx: &SiteIndex,
    name: &str,
    answers: &[(String, String)],
) -> Result<Decision, UsageError> {
    let config = &idx.site.config;
    let lang = config.default_language.as_str();
    let Some(loaded) = idx.tree(name, lang) else {
        let mut names: Vec<String> = idx.site.trees.iter().map(|t| t.name.clone()).collect();
        names.dedup();
        return Err(UsageError(if names.is_empty() {
            format!("there is no decision tree `{name}`: the site has none (or only trees with errors; run `kader check`)")
        } else {
            format!(
                "there is no decision tree `{name}`; the site has {}",
                quoted(names)
            )
        }));
    };
    let tree = &loaded.tree;
    for (id, _) in answers {
        if tree.question_index(id).is_none() {
            return Err(UsageError(format!(
                "tree `{name}` has no question `{id}`; its questions are {}",
                quoted(tree.questions.iter().map(|q| q.question_id.clone()))
            )));
        }
    }
    let mut session = Session::new(loaded.engine()).map_err(|e| {
        UsageError(format!(
            "tree `{name}` cannot be walked: {}",
            e.message(Lang::En)
        ))
    })?;
    let mut used = vec![false; answers.len()];
    while let Some(Current::Question(qi, _)) = session.current() {
        let q = &tree.questions[qi];
        let Some(k) = answers.iter().position(|(id, _)| *id == q.question_id) else {
            break;
        };
        used[k] = true;
        let text = answers[k].1.trim();
        let choice = q.answers.iter().position(|a| {
            let t = plain_text(&a.answer);
            a.answer.trim() == text || t.eq_ignore_ascii_case(text)
        });
        let step = match choice {
            Some(i) => session.answer(i),
            None if q.input_kind().is_some() => session.answer_text(text),
            None => {
                return Err(UsageError(format!(
                    "question `{}` has no answer `{text}`; its answers are {}",
                    q.question_id,
                    quoted(q.answers.iter().map(|a| plain_text(&a.answer)))
                )))
            }
        };
        step.map_err(|e| {
            UsageError(format!(
                "answer `{text}` to question `{}`: {}",
                q.question_id,
                e.message(Lang::En)
            ))
        })?;
    }
    if let Some(k) = used.iter().position(|u| !u) {
        let walked: Vec<String> = session
            .frames()
            .iter()
            .map(|f| tree.questions[f.question].question_id.clone())
            .collect();
        return Err(UsageError(format!(
            "question `{}` is not on this walk; the walk asked {}",
            answers[k].0,
            if walked.is_empty() {
                "nothing yet".to_string()
            } else {
                quoted(walked)
            }
        )));
    }

    let map = label_map(config);
    let groups = session.groups();
    let labels = groups
        .iter()
        .map(|g| {
            let key = g.subcategory.clone().unwrap_or_default();
            let values = if g.labels.is_empty() {
                g.status
                    .text(Lang::from_code(lang).unwrap_or_default())
                    .map(str::to_string)
                    .into_iter()
                    .collect()
            } else {
                g.labels.clone()
            };
            (key, values)
        })
        .collect();
    let profile = profile(&groups, &map);
    let mut text = Vec::new();
    let (question, conclusion) = match session.current() {
        Some(Current::Question(_, q)) => {
            text.push(format!(
                "question {}: {}",
                q.question_id,
                plain_text(&q.question)
            ));
            for a in &q.answers {
                text.push(format!("  - {}", plain_text(&a.answer)));
            }
            (Some(q.question_id.clone()), None)
        }
        Some(Current::Conclusion(_, c)) => {
            text.push(format!(
                "conclusion {}: {}",
                c.conclusion_id,
                plain_text(&c.conclusion)
            ));
            if !c.obligation.is_empty() {
                text.push(plain_text(&c.obligation));
            }
            (None, Some(c.conclusion_id.clone()))
        }
        None => (None, None),
    };
    Ok(Decision {
        question,
        conclusion,
        labels,
        text,
        ..Decision::of(idx, &profile)
    })
}

/// The requirements and measures that apply to a profile made by hand
/// (`taxonomy/term` each).
pub fn applicable(idx: &SiteIndex, terms: &[String]) -> Result<Decision, UsageError> {
    let config = &idx.site.config;
    let ai_act = crate::index::ai_act::taxonomies(config);
    let mut profile = Profile::default();
    for t in terms {
        let Some((tax, term)) = t.split_once('/') else {
            return Err(UsageError(format!(
                "`{t}` is not `taxonomy/term`, e.g. `rol-ai-act/aanbieder`"
            )));
        };
        let Some(taxonomy) = config.taxonomies.get(tax).filter(|_| ai_act.contains(&tax)) else {
            return Err(UsageError(format!(
                "`{tax}` is not an AI-Act taxonomy; they are {}",
                quoted(ai_act.iter().map(|s| s.to_string()))
            )));
        };
        if taxonomy.term(term).is_none() {
            return Err(UsageError(format!(
                "`{term}` is not a term of `{tax}`; its terms are {}",
                quoted(taxonomy.terms.iter().map(|x| x.slug.clone()))
            )));
        }
        profile
            .terms
            .entry(tax.to_string())
            .or_default()
            .insert(term.to_string());
    }
    Ok(Decision::of(idx, &profile))
}

/// The collections whose pages serve the overview collection's (they name
/// them in a reference field: the measures), with those fields.
fn measure_collections(config: &SiteConfig) -> Vec<(&str, Vec<&str>)> {
    let overview = &config.decision_aid.overview;
    config
        .collections
        .iter()
        .filter_map(|(k, c)| {
            let fields: Vec<&str> = c
                .fields
                .iter()
                .filter(|(_, f)| {
                    f.kind == FieldKind::Refs && f.collection.as_deref() == Some(overview)
                })
                .map(|(n, _)| n.as_str())
                .collect();
            (!fields.is_empty()).then_some((k.as_str(), fields))
        })
        .collect()
}

/// Per collection (the overview collection and the measures), the slugs of
/// its pages that apply. A measure applies when its own terms allow it and,
/// when it names pages of the overview collection, one of those applies.
fn applicable_pages(idx: &SiteIndex, profile: &Profile) -> BTreeMap<String, Vec<String>> {
    let config = &idx.site.config;
    let lang = config.default_language.as_str();
    let overview = config.decision_aid.overview.as_str();
    let applying = |collection: &str| idx.applying(profile, collection, lang);
    let requirements = applying(overview);
    let groups: std::collections::HashSet<usize> =
        requirements.iter().map(|&c| idx.group_of[c]).collect();
    let slugs = |pages: &[usize]| -> Vec<String> {
        pages
            .iter()
            .map(|&c| idx.site.pages[c].slug().to_string())
            .collect()
    };
    let mut out = BTreeMap::new();
    out.insert(overview.to_string(), slugs(&requirements));
    for (collection, fields) in measure_collections(config) {
        let serving: Vec<usize> = applying(collection)
            .into_iter()
            .filter(|&m| {
                let named: Vec<usize> = fields
                    .iter()
                    .filter_map(|f| idx.refs[m].get(*f))
                    .flatten()
                    .copied()
                    .collect();
                named.is_empty() || named.iter().any(|g| groups.contains(g))
            })
            .collect();
        out.insert(collection.to_string(), slugs(&serving));
    }
    out
}

impl Decision {
    /// A profile and what applies to it (no walk).
    fn of(idx: &SiteIndex, profile: &Profile) -> Decision {
        Decision {
            question: None,
            conclusion: None,
            labels: BTreeMap::new(),
            profile: profile
                .terms
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
                .collect(),
            pages: applicable_pages(idx, profile),
            text: Vec::new(),
        }
    }

    /// The decision for people: the question or conclusion, the labels, the
    /// profile and the lists.
    pub fn human(&self) -> String {
        let mut out = self.text.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        if !self.labels.is_empty() {
            out.push_str("labels:\n");
            for (group, labels) in &self.labels {
                let g = if group.is_empty() {
                    "(no subcategory)"
                } else {
                    group
                };
                out.push_str(&format!("  {g}: {}\n", labels.join(", ")));
            }
        }
        if self.profile.is_empty() {
            out.push_str("profile: (open)\n");
        } else {
            let p: Vec<String> = self
                .profile
                .iter()
                .map(|(t, v)| format!("{t}={}", v.join("|")))
                .collect();
            out.push_str(&format!("profile: {}\n", p.join(" ")));
        }
        for (collection, slugs) in &self.pages {
            out.push_str(&format!(
                "{collection} ({}): {}\n",
                slugs.len(),
                slugs.join(", ")
            ));
        }
        out
    }
}
