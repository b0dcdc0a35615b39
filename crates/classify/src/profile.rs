//! From the labels of a walk to the terms of the knowledge base's AI-Act
//! taxonomies, and from those terms to the requirements and measures that
//! apply.
//!
//! A [`LabelMap`] says which taxonomy each label group (subcategory) stands
//! for, which term each label is, and which labels carry no term. The
//! [`profile`] of a walk is, per taxonomy, the set of terms its labels map to:
//!
//! * a label in `ignore` adds nothing;
//! * a label neither mapped nor ignored, or in a group without a taxonomy,
//!   adds nothing and is listed in [`Profile::unmapped`] (the
//!   [`check_label_map`] check reports every such label of a tree);
//! * a group that is "not applicable" (a conclusion was reached without a
//!   label in it) gives its taxonomy the term [`NOT_APPLICABLE`];
//! * a group still "to be determined", or whose labels were all ignored,
//!   leaves its taxonomy open (no entry).
//!
//! [`applicable`] then says, for each page, whether it applies to the
//! profile: for every AI-Act taxonomy the page carries, one of the profile's
//! terms for it must be among the page's terms. A taxonomy the profile
//! leaves open (no term, or only `niet-van-toepassing`) does not narrow; a
//! page without AI-Act terms applies to every profile; a profile term that
//! no page carries still narrows (an outcome like "geen algoritme" leaves no
//! AI-Act requirement). A page's `uitzondering:` entries are expressions
//! over `taxonomy-term` names ([`crate::expr::parse_names`]); when one holds
//! for the profile, the page does not apply and the result names the entry.

use crate::engine::Engine;
use crate::expr::{self, Expr};
use crate::session::{GroupStatus, LabelGroup};
use crate::validate::{PathSegment, Problem, ProblemKind, Severity, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The term a taxonomy gets from a group that was not applicable.
pub const NOT_APPLICABLE: &str = "niet-van-toepassing";

/// How labels become taxonomy terms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LabelMap {
    /// Subcategory → taxonomy key (`Risicogroep` → `risicogroep`).
    pub groups: BTreeMap<String, String>,
    /// Label → term slug (`hoog-risico AI` → `hoog-risico-ai-systeem`).
    pub labels: BTreeMap<String, String>,
    /// Labels that carry no term.
    pub ignore: BTreeSet<String>,
}

/// Reads a label map from YAML (or JSON) text.
#[cfg(feature = "yaml")]
pub fn parse_label_map(text: &str) -> Result<LabelMap, crate::companion::CompanionError> {
    serde_yaml::from_str(text).map_err(|e| crate::companion::CompanionError {
        message: e.to_string(),
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
    })
}

/// A label that gave no term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmapped {
    /// Its group.
    pub subcategory: Option<String>,
    /// The label.
    pub label: String,
}

/// The terms of a walk, per taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Taxonomy key → term slugs.
    pub terms: BTreeMap<String, BTreeSet<String>>,
    /// Labels that gave no term (neither mapped nor ignored, or in a group
    /// without a taxonomy).
    #[serde(default)]
    pub unmapped: Vec<Unmapped>,
}

impl Profile {
    /// Whether the profile has `term` for `taxonomy`.
    pub fn has(&self, taxonomy: &str, term: &str) -> bool {
        self.terms.get(taxonomy).is_some_and(|t| t.contains(term))
    }

    /// The terms that narrow `taxonomy`: `None` when the profile leaves it
    /// open (no term, or only [`NOT_APPLICABLE`]).
    pub fn narrowing(&self, taxonomy: &str) -> Option<&BTreeSet<String>> {
        self.terms
            .get(taxonomy)
            .filter(|t| t.iter().any(|x| x != NOT_APPLICABLE))
    }
}

/// The profile of labels grouped by subcategory (see the module docs).
pub fn profile(groups: &[LabelGroup], map: &LabelMap) -> Profile {
    let mut p = Profile::default();
    for g in groups {
        let taxonomy = g.subcategory.as_ref().and_then(|s| map.groups.get(s));
        if g.status == GroupStatus::NotApplicable {
            if let Some(t) = taxonomy {
                p.terms
                    .entry(t.clone())
                    .or_default()
                    .insert(NOT_APPLICABLE.to_string());
            }
            continue;
        }
        for label in &g.labels {
            if map.ignore.contains(label) {
                continue;
            }
            match (taxonomy, map.labels.get(label)) {
                (Some(t), Some(term)) => {
                    p.terms.entry(t.clone()).or_default().insert(term.clone());
                }
                _ => p.unmapped.push(Unmapped {
                    subcategory: g.subcategory.clone(),
                    label: label.clone(),
                }),
            }
        }
    }
    p
}

/// Checks that every label the tree can produce maps to a term or is
/// ignored, and that every group (subcategory) with labels has a taxonomy.
/// When `terms` lists a taxonomy's terms, the term a label maps to must be
/// among those of its group's taxonomy. Each problem is a warning pointing
/// at the label in the tree, once per subcategory and label, with a
/// did-you-mean among the map's keys (or the taxonomy's terms).
pub fn check_label_map(
    engine: &Engine,
    map: &LabelMap,
    terms: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Problem> {
    let tree = engine.tree();
    let mut out = Vec::new();
    let mut seen_groups: HashSet<Option<&str>> = HashSet::new();
    let mut seen_labels: HashSet<(Option<&str>, &str)> = HashSet::new();
    let label_keys = || {
        map.labels
            .keys()
            .chain(map.ignore.iter())
            .map(String::as_str)
    };
    for (qi, q) in tree.questions.iter().enumerate() {
        let sub = engine.subcategory(qi);
        for (ai, a) in q.answers.iter().enumerate() {
            for (li, label) in a.labels.iter().enumerate() {
                let path = vec![
                    PathSegment::Key("questions".into()),
                    PathSegment::Index(qi),
                    PathSegment::Key("answers".into()),
                    PathSegment::Index(ai),
                    PathSegment::Key("labels".into()),
                    PathSegment::Index(li),
                ];
                let has_taxonomy = sub.is_some_and(|s| map.groups.contains_key(s));
                if !has_taxonomy && !map.ignore.contains(label) {
                    if seen_groups.insert(sub) {
                        let (message, hint) = match sub {
                            None => (
                                format!("label \"{label}\" belongs to a question without a subcategory, so it has no taxonomy"),
                                "give the question a subcategory (in the tree or categories.yaml) that the label map's groups name".to_string(),
                            ),
                            Some(s) => (
                                format!("the label group \"{s}\" has no taxonomy in the label map"),
                                match kader_suggest::did_you_mean(s, map.groups.keys().map(String::as_str)) {
                                    Some(n) => format!("did you mean \"{n}\"?"),
                                    None => format!("add \"{s}\" to the label map's groups"),
                                },
                            ),
                        };
                        out.push(Problem {
                            severity: Severity::Warning,
                            kind: ProblemKind::UnmappedGroup,
                            message,
                            hint,
                            path: path.clone(),
                            source: Source::Tree,
                        });
                    }
                    continue;
                }
                if map.ignore.contains(label) {
                    continue;
                }
                if let Some(term) = map.labels.get(label) {
                    let taxonomy = sub.and_then(|s| map.groups.get(s));
                    let known = taxonomy.and_then(|t| terms.get(t));
                    if let (Some(t), Some(known)) = (taxonomy, known) {
                        if !known.contains(term) && seen_labels.insert((sub, label)) {
                            let hint = match kader_suggest::did_you_mean(
                                term,
                                known.iter().map(String::as_str),
                            ) {
                                Some(n) => format!("did you mean \"{n}\"?"),
                                None => format!("add the term \"{term}\" to the taxonomy \"{t}\", or map the label to one of its terms"),
                            };
                            out.push(Problem {
                                severity: Severity::Warning,
                                kind: ProblemKind::UnmappedLabel,
                                message: format!(
                                    "label \"{label}\" maps to \"{term}\", which is not a term of the taxonomy \"{t}\" of its group"
                                ),
                                hint,
                                path: path.clone(),
                                source: Source::Tree,
                            });
                        }
                    }
                    continue;
                }
                if !seen_labels.insert((sub, label)) {
                    continue;
                }
                let hint = match kader_suggest::did_you_mean(label, label_keys()) {
                    Some(n) => format!("did you mean \"{n}\"?"),
                    None => "map it to a term in the label map's labels, or list it under ignore"
                        .to_string(),
                };
                out.push(Problem {
                    severity: Severity::Warning,
                    kind: ProblemKind::UnmappedLabel,
                    message: format!(
                        "label \"{label}\" (group \"{}\") is neither mapped to a term nor ignored",
                        sub.unwrap_or("")
                    ),
                    hint,
                    path,
                    source: Source::Tree,
                });
            }
        }
    }
    out
}

/// A requirement or measure as the applicability check sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    /// The page's slug (or any id the caller likes).
    pub slug: String,
    /// Its AI-Act taxonomies with their terms.
    pub terms: BTreeMap<String, Vec<String>>,
    /// Its `uitzondering:` entries.
    pub uitzondering: Vec<String>,
}

/// The `uitzondering` entry that excluded a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionHit {
    /// Index of the entry.
    pub index: usize,
    /// The entry as written.
    pub text: String,
}

/// Whether one page applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicability {
    /// The page.
    pub slug: String,
    /// Whether it applies to the profile.
    pub applies: bool,
    /// The exception that holds, when that is why it does not apply.
    pub exception: Option<ExceptionHit>,
}

/// Splits a name into taxonomy and term by the longest known taxonomy key
/// followed by `-`; a name equal to a key is that taxonomy without a term.
pub fn split_name<'a>(name: &'a str, taxonomies: &[&str]) -> Option<(String, Option<&'a str>)> {
    if taxonomies.contains(&name) {
        return Some((name.to_string(), None));
    }
    taxonomies
        .iter()
        .filter_map(|t| {
            let rest = name.strip_prefix(t)?.strip_prefix('-')?;
            (!rest.is_empty()).then_some((*t, rest))
        })
        .max_by_key(|(t, _)| t.len())
        .map(|(t, rest)| (t.to_string(), Some(rest)))
}

fn exception_holds(e: &Expr, profile: &Profile, taxonomies: &[&str]) -> bool {
    e.eval_with(&|name| match split_name(name, taxonomies) {
        Some((t, Some(term))) => profile.has(&t, term),
        Some((t, None)) => profile.terms.get(&t).is_some_and(|x| !x.is_empty()),
        None => false,
    })
}

/// Whether each page applies to `profile` (see the module docs).
/// `taxonomies` are the known taxonomy keys, for reading `uitzondering`
/// names; entries that do not parse never hold ([`check_exceptions`]
/// reports them).
pub fn applicable(profile: &Profile, pages: &[Page], taxonomies: &[&str]) -> Vec<Applicability> {
    pages
        .iter()
        .map(|page| {
            let by_terms = page.terms.iter().all(|(t, terms)| {
                terms.is_empty()
                    || match profile.narrowing(t) {
                        None => true,
                        Some(mine) => terms.iter().any(|x| mine.contains(x)),
                    }
            });
            let exception = if by_terms {
                page.uitzondering.iter().enumerate().find_map(|(i, text)| {
                    let e = expr::parse_names(text).ok()?;
                    exception_holds(&e, profile, taxonomies).then(|| ExceptionHit {
                        index: i,
                        text: text.clone(),
                    })
                })
            } else {
                None
            };
            Applicability {
                slug: page.slug.clone(),
                applies: by_terms && exception.is_none(),
                exception,
            }
        })
        .collect()
}

/// A problem in a page's `uitzondering` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionProblem {
    /// The page.
    pub slug: String,
    /// Index of the entry.
    pub entry: usize,
    /// Byte offset into the entry.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Checks the `uitzondering` entries of pages: each must parse, and each
/// name must be a known taxonomy, or a taxonomy followed by `-` and one of
/// its `terms` (when `terms` lists the taxonomy's terms).
pub fn check_exceptions(
    pages: &[Page],
    taxonomies: &[&str],
    terms: &BTreeMap<String, Vec<String>>,
) -> Vec<ExceptionProblem> {
    let mut out = Vec::new();
    for page in pages {
        for (i, text) in page.uitzondering.iter().enumerate() {
            if let Err(e) = expr::parse_names(text) {
                out.push(ExceptionProblem {
                    slug: page.slug.clone(),
                    entry: i,
                    offset: e.offset,
                    message: format!("exception cannot be parsed: {}", e.message),
                    hint: "write names like `risicogroep-hoog-risico-ai-systeem`, combined with &&, || and !".into(),
                });
                continue;
            }
            for (name, offset) in expr::operands(text, true) {
                let known = match split_name(&name, taxonomies) {
                    None => false,
                    Some((_, None)) => true,
                    Some((t, Some(term))) => match terms.get(&t) {
                        None => true,
                        Some(list) => list.iter().any(|x| x == term),
                    },
                };
                if known {
                    continue;
                }
                let candidates: Vec<String> = terms
                    .iter()
                    .flat_map(|(t, list)| list.iter().map(move |x| format!("{t}-{x}")))
                    .chain(taxonomies.iter().map(|t| t.to_string()))
                    .collect();
                let hint =
                    match kader_suggest::did_you_mean(&name, candidates.iter().map(String::as_str))
                    {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "a name is a taxonomy followed by `-` and one of its terms".into(),
                    };
                out.push(ExceptionProblem {
                    slug: page.slug.clone(),
                    entry: i,
                    offset,
                    message: format!("unknown name `{name}` in exception"),
                    hint,
                });
            }
        }
    }
    out
}

/// The profile of each conclusion, from the walks that reach it: what they
/// all have in common. Per taxonomy, the terms every walk has; a taxonomy
/// that some walk leaves open, or on which the walks share no term, stays
/// open. `None` for a conclusion no listed walk reaches. (What a page about
/// a conclusion can say without knowing the walk: the requirements that
/// certainly apply, none that apply to some walks only.)
pub fn conclusion_profiles(
    engine: &Engine,
    walks: &crate::validate::Walks,
    map: &LabelMap,
) -> Vec<Option<Profile>> {
    use crate::session::{Session, Step};
    let n = engine.tree().conclusions.len();
    let mut out: Vec<Option<Profile>> = vec![None; n];
    for w in &walks.walks {
        let steps: Vec<Step> = w.steps.iter().map(|s| Step::Answer(s.answer)).collect();
        let Ok((session, None)) = Session::restore(engine.clone(), &steps) else {
            continue;
        };
        let Some(slot) = out.get_mut(w.conclusion) else {
            continue;
        };
        let mut p = profile(&session.groups(), map);
        for terms in p.terms.values_mut() {
            terms.remove(NOT_APPLICABLE);
        }
        p.terms.retain(|_, terms| !terms.is_empty());
        match slot {
            None => *slot = Some(p),
            Some(acc) => {
                acc.terms.retain(|t, terms| match p.terms.get(t) {
                    Some(mine) => {
                        terms.retain(|x| mine.contains(x));
                        !terms.is_empty()
                    }
                    None => false,
                });
                for u in p.unmapped {
                    if !acc.unmapped.contains(&u) {
                        acc.unmapped.push(u);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn group(sub: &str, labels: &[&str], status: GroupStatus) -> LabelGroup {
        LabelGroup {
            subcategory: Some(sub.into()),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            status,
        }
    }

    fn map() -> LabelMap {
        serde_json::from_str(
            r#"{
              "groups": {"Risicogroep": "risicogroep", "Rol": "rol-ai-act", "Open source": "open-source"},
              "labels": {"hoog-risico AI": "hoog-risico-ai-systeem", "aanbieder": "aanbieder",
                         "open-source": "open-source", "geen algoritme": "geen-algoritme"},
              "ignore": ["AI-systeem"]
            }"#,
        )
        .unwrap()
    }

    fn page(slug: &str, terms: &[(&str, &[&str])], exceptions: &[&str]) -> Page {
        Page {
            slug: slug.into(),
            terms: terms
                .iter()
                .map(|(t, x)| (t.to_string(), x.iter().map(|s| s.to_string()).collect()))
                .collect(),
            uitzondering: exceptions.iter().map(|s| s.to_string()).collect(),
        }
    }

    const TAX: &[&str] = &[
        "risicogroep",
        "rol-ai-act",
        "open-source",
        "soort-toepassing",
    ];

    #[test]
    fn profile_maps_ignores_and_marks_not_applicable() {
        let p = profile(
            &[
                group(
                    "Risicogroep",
                    &["hoog-risico AI", "AI-systeem"],
                    GroupStatus::Decided,
                ),
                group("Rol", &["importeur"], GroupStatus::Decided),
                group("Open source", &[], GroupStatus::NotApplicable),
                group("Transparantie", &["x"], GroupStatus::Decided),
                group("Systeemrisico", &[], GroupStatus::ToBeDetermined),
            ],
            &map(),
        );
        assert_eq!(p.terms["risicogroep"], set(&["hoog-risico-ai-systeem"]));
        assert_eq!(p.terms["open-source"], set(&[NOT_APPLICABLE]));
        assert!(!p.terms.contains_key("rol-ai-act"));
        assert_eq!(
            p.unmapped
                .iter()
                .map(|u| u.label.as_str())
                .collect::<Vec<_>>(),
            ["importeur", "x"]
        );
        assert!(p.narrowing("open-source").is_none());
        assert!(p.narrowing("risicogroep").is_some());
    }

    #[test]
    fn applicability_by_terms() {
        let p = profile(
            &[
                group("Risicogroep", &["hoog-risico AI"], GroupStatus::Decided),
                group("Open source", &[], GroupStatus::NotApplicable),
            ],
            &map(),
        );
        let pages = [
            page(
                "hoog",
                &[("risicogroep", &["hoog-risico-ai-systeem", "verboden-ai"])],
                &[],
            ),
            page("verboden", &[("risicogroep", &["verboden-ai"])], &[]),
            page("alles", &[], &[]),
            page(
                "open",
                &[
                    ("open-source", &["open-source"]),
                    ("risicogroep", &["hoog-risico-ai-systeem"]),
                ],
                &[],
            ),
            page("rol", &[("rol-ai-act", &["aanbieder"])], &[]),
        ];
        let r = applicable(&p, &pages, TAX);
        let applies: Vec<bool> = r.iter().map(|a| a.applies).collect();
        // open-source is only "niet van toepassing" and rol-ai-act is open:
        // neither narrows.
        assert_eq!(applies, [true, false, true, true, true]);
        // A term no page carries still narrows.
        let none = profile(
            &[group(
                "Risicogroep",
                &["geen algoritme"],
                GroupStatus::Decided,
            )],
            &map(),
        );
        let r = applicable(&none, &pages, TAX);
        assert_eq!(
            r.iter().map(|a| a.applies).collect::<Vec<_>>(),
            [false, false, true, false, true]
        );
    }

    #[test]
    fn exceptions_exclude_and_say_which() {
        let mut p = Profile::default();
        p.terms
            .insert("soort-toepassing".into(), set(&["ai-systeem"]));
        p.terms.insert("open-source".into(), set(&["open-source"]));
        p.terms
            .insert("risicogroep".into(), set(&["geen-hoog-risico-ai-systeem"]));
        let pages = [page(
            "x",
            &[],
            &[
                "risicogroep-uitzondering-van-toepassing",
                r#"("soort-toepassing-ai-systeem-voor-algemene-doeleinden" || "soort-toepassing-ai-systeem") && "open-source-open-source" && "risicogroep-geen-hoog-risico-ai-systeem""#,
            ],
        )];
        let r = applicable(&p, &pages, TAX);
        assert!(!r[0].applies);
        assert_eq!(r[0].exception.as_ref().map(|e| e.index), Some(1));
        p.terms
            .insert("open-source".into(), set(&["geen-open-source"]));
        let r = applicable(&p, &pages, TAX);
        assert!(r[0].applies);
        assert_eq!(r[0].exception, None);
    }

    #[test]
    fn names_split_by_the_longest_taxonomy() {
        let tax = ["open", "open-source", "risicogroep"];
        assert_eq!(
            split_name("open-source-geen-open-source", &tax),
            Some(("open-source".into(), Some("geen-open-source")))
        );
        assert_eq!(split_name("open-x", &tax), Some(("open".into(), Some("x"))));
        assert_eq!(
            split_name("risicogroep", &tax),
            Some(("risicogroep".into(), None))
        );
        assert_eq!(split_name("risicogroep-", &tax), None);
        assert_eq!(split_name("onbekend-x", &tax), None);
    }

    #[test]
    fn exception_problems_have_offsets() {
        let mut terms = BTreeMap::new();
        terms.insert(
            "risicogroep".to_string(),
            vec![
                "hoog-risico-ai-systeem".to_string(),
                "uitzondering-van-toepassing".to_string(),
            ],
        );
        let pages = [page(
            "p",
            &[],
            &[
                "risicogroep-uitzondering-van-toepassing || onbekend-x",
                "risicogroep-hoog-risico-ai-system",
                "(risicogroep &&",
            ],
        )];
        let ps = check_exceptions(&pages, TAX, &terms);
        assert_eq!(ps.len(), 3);
        assert_eq!((ps[0].entry, ps[0].offset), (0, 43));
        assert_eq!(ps[0].message, "unknown name `onbekend-x` in exception");
        assert_eq!(
            ps[1].hint,
            "did you mean `risicogroep-hoog-risico-ai-systeem`?"
        );
        assert_eq!((ps[2].entry, ps[2].offset), (2, 15));
    }

    #[test]
    fn a_conclusion_keeps_what_all_its_walks_share() {
        let yaml = r#"
questions:
  - questionId: "1"
    question: Rol?
    subcategory: Rol
    answers:
      - answer: Aanbieder
        labels: [aanbieder]
        nextQuestionId: "2"
      - answer: Importeur
        labels: [importeur, aanbieder]
        nextQuestionId: "2"
      - answer: Gebruiker
        labels: [gebruiker]
        nextConclusionId: c2
  - questionId: "2"
    question: Risico?
    subcategory: Risico
    answers:
      - answer: Hoog
        labels: [hoog]
        nextConclusionId: c1
      - answer: Laag
        nextConclusionId: c1
conclusions:
  - conclusionId: c1
    conclusion: Aanbieder.
  - conclusionId: c2
    conclusion: Gebruiker.
  - conclusionId: c3
    conclusion: Nooit.
"#;
        let tree: crate::DecisionTree = serde_yaml::from_str(yaml).unwrap();
        let engine = Engine::from_tree(tree);
        let map: LabelMap = serde_json::from_str(
            r#"{"groups": {"Rol": "rol", "Risico": "risico"},
                "labels": {"aanbieder": "aanbieder", "importeur": "importeur", "gebruiker": "gebruiker", "hoog": "hoog"}}"#,
        )
        .unwrap();
        let walks = crate::validate::walks(&engine, &Default::default());
        let p = conclusion_profiles(&engine, &walks, &map);
        // c1: every walk is a provider (some importers too); the risk group
        // differs between walks, so it stays open.
        let c1 = p[0].as_ref().unwrap();
        assert_eq!(c1.terms.len(), 1, "{c1:?}");
        assert_eq!(c1.terms["rol"], set(&["aanbieder"]));
        assert_eq!(p[1].as_ref().unwrap().terms["rol"], set(&["gebruiker"]));
        assert_eq!(p[2], None);
    }
}
