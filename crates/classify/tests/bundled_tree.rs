//! The decision trees shipped in `content/beslisbomen/` validate cleanly and
//! agree with the rules engine.

use kader_classify::rules::{classify, Classification, ModelFacts, Role, LABELS};
use kader_classify::sanitize::sanitize_html;
use kader_classify::tree::{Current, DecisionTree, Position, Session};
use kader_classify::validate::validate;
use proptest::prelude::*;

const NL: &str = include_str!("../../../content/beslisbomen/gpai.yaml");
const EN: &str = include_str!("../../../content/beslisbomen/gpai.en.yaml");

fn load(src: &str) -> DecisionTree {
    serde_yaml::from_str(src).expect("bundled tree parses")
}

/// Chooses the answer whose text starts with `prefix`.
fn pick(s: &mut Session, prefix: &str) {
    let Current::Question(q) = s.current() else {
        panic!("expected a question, at a conclusion")
    };
    let index = q
        .answers
        .iter()
        .position(|a| a.answer.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!(
                "question {} has no answer starting with {prefix:?}",
                q.question_id
            )
        });
    s.answer(index).expect("answer accepted");
}

fn conclusion_id(s: &Session) -> String {
    match s.current() {
        Current::Conclusion(c) => c.conclusion_id.clone(),
        Current::Question(q) => panic!("still at question {}", q.question_id),
    }
}

#[test]
fn both_trees_validate_without_problems() {
    for (name, src) in [("gpai.yaml", NL), ("gpai.en.yaml", EN)] {
        let problems = validate(&load(src));
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn walk_ja_aanbieder_3e25_ends_in_presumed_systemic_risk() {
    let mut s = Session::new(load(NL)).unwrap();
    pick(&mut s, "Ja");
    pick(&mut s, "Aanbieder");
    assert_eq!(s.answer_text("3e25"), Ok(Position::Question(4)));
    pick(&mut s, "Nee");
    assert_eq!(conclusion_id(&s), "c-systeemrisico-vermoeden");
    assert_eq!(
        s.labels(),
        [
            "ai-model-voor-algemene-doeleinden",
            "aanbieder",
            "systeemrisico",
            "geen-open-source"
        ]
    );
    // The same walk in English.
    let mut s = Session::new(load(EN)).unwrap();
    pick(&mut s, "Yes");
    pick(&mut s, "Provider");
    s.answer_text("3 × 10^25").unwrap();
    pick(&mut s, "Yes");
    assert_eq!(conclusion_id(&s), "c-systeemrisico-vermoeden");
}

#[test]
fn threshold_boundary_in_the_tree() {
    for (value, presumed) in [("10^25", false), ("1.0000001e25", true), ("1e23", false)] {
        let mut s = Session::new(load(NL)).unwrap();
        pick(&mut s, "Ja");
        pick(&mut s, "Aanbieder");
        s.answer_text(value).unwrap();
        pick(&mut s, "Nee");
        let at_conclusion = s.is_finished();
        assert_eq!(at_conclusion, presumed, "{value}");
    }
}

#[test]
fn every_conclusion_is_reachable_by_walking() {
    let walk = |steps: &[&str], value: Option<&str>, rest: &[&str]| {
        let mut s = Session::new(load(NL)).unwrap();
        for p in steps {
            pick(&mut s, p);
        }
        if let Some(v) = value {
            s.answer_text(v).unwrap();
        }
        for p in rest {
            pick(&mut s, p);
        }
        conclusion_id(&s)
    };
    assert_eq!(walk(&["Nee"], None, &[]), "c-geen-gpai");
    assert_eq!(walk(&["Weet ik niet", "Nee"], None, &[]), "c-geen-gpai");
    assert_eq!(
        walk(
            &["Weet ik niet", "Ja", "Gebruiks"],
            Some("5e24"),
            &["Nee", "Ja"]
        ),
        "c-systeemrisico-aangewezen"
    );
    assert_eq!(
        walk(
            &["Ja", "Aanbieder"],
            Some("1,2 × 10^24"),
            &["Nee", "Nee", "Ja"]
        ),
        "c-kan-worden-aangewezen"
    );
    assert_eq!(
        walk(
            &["Ja", "Aanbieder"],
            Some("1e22"),
            &["Nee", "Nee", "Nee", "Ja"]
        ),
        "c-kan-worden-aangewezen"
    );
    assert_eq!(
        walk(
            &["Ja", "Aanbieder"],
            Some("1e24"),
            &["Nee", "Nee", "Nee", "Nee"]
        ),
        "c-gpai-geen-systeemrisico"
    );
    assert_eq!(
        walk(
            &["Ja", "Aanbieder"],
            Some("1e24"),
            &["Ja", "Nee", "Nee", "Nee"]
        ),
        "c-gpai-open-source"
    );
    assert_eq!(
        walk(&["Ja", "Aanbieder"], Some("2e25"), &["Ja"]),
        "c-systeemrisico-vermoeden"
    );
}

#[test]
fn english_tree_mirrors_the_dutch_one() {
    let nl = load(NL);
    let en = load(EN);
    assert_eq!(nl.questions.len(), en.questions.len());
    assert_eq!(nl.conclusions.len(), en.conclusions.len());
    for (a, b) in nl.questions.iter().zip(&en.questions) {
        assert_eq!(a.question_id, b.question_id);
        assert_eq!(a.input, b.input);
        assert_eq!(a.answers.len(), b.answers.len(), "{}", a.question_id);
        assert_eq!(a.sources.len(), b.sources.len(), "{}", a.question_id);
        for (x, y) in a.answers.iter().zip(&b.answers) {
            assert_eq!(x.labels, y.labels);
            assert_eq!(x.next_question_id, y.next_question_id);
            assert_eq!(x.next_conclusion_id, y.next_conclusion_id);
            assert_eq!(x.redirects, y.redirects);
            assert_eq!(x.range, y.range);
        }
    }
    for (a, b) in nl.conclusions.iter().zip(&en.conclusions) {
        assert_eq!(a.conclusion_id, b.conclusion_id);
        assert_eq!(a.labels, b.labels);
        assert_eq!(a.sources.len(), b.sources.len());
    }
}

#[test]
fn labels_are_known_slugs_and_html_is_clean() {
    for src in [NL, EN] {
        let tree = load(src);
        for l in tree.produced_labels() {
            assert!(LABELS.contains(&l), "unknown label {l}");
        }
        let mut texts: Vec<&str> = Vec::new();
        for q in &tree.questions {
            texts.push(&q.question);
            texts.extend(q.explanation.as_deref());
            texts.extend(q.answers.iter().map(|a| a.answer.as_str()));
        }
        for c in &tree.conclusions {
            texts.push(&c.conclusion);
            texts.push(&c.obligation);
        }
        for t in texts {
            // Only allowed markup: nothing gets escaped as a tag.
            let clean = sanitize_html(t);
            assert!(!clean.contains("&lt;"), "disallowed markup in {t:?}");
        }
        for c in &tree.conclusions {
            for s in &c.sources {
                if let Some(url) = &s.url {
                    assert!(url.starts_with("https://eur-lex.europa.eu/legal-content/"));
                    assert!(url.ends_with("/TXT/?uri=CELEX:32024R1689"));
                }
            }
        }
    }
}

fn tree_outcome(value: f64) -> String {
    let mut s = Session::new(load(NL)).unwrap();
    pick(&mut s, "Ja");
    pick(&mut s, "Aanbieder");
    s.answer_value(value).unwrap();
    pick(&mut s, "Nee"); // not open source
    if !s.is_finished() {
        pick(&mut s, "Nee"); // not designated
        pick(&mut s, "Nee"); // < 10 000 business users
        pick(&mut s, "Nee"); // no other Annex XIII criterion
    }
    conclusion_id(&s)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The tree and the rules engine agree on the compute threshold.
    #[test]
    fn tree_agrees_with_rules(value in prop_oneof![
        0.0f64..1e27,
        Just(1e25),
        Just(1.0000001e25),
        Just(f64::from_bits(1e25f64.to_bits() + 1)),
        Just(f64::from_bits(1e25f64.to_bits() - 1)),
    ]) {
        let facts = ModelFacts {
            general_purpose: Some(true),
            training_compute_flop: Some(value),
            role: Some(Role::Provider),
            ..ModelFacts::default()
        };
        let expected = match classify(&facts).classification {
            Classification::SystemicRiskPresumed => "c-systeemrisico-vermoeden",
            Classification::Gpai => "c-gpai-geen-systeemrisico",
            other => panic!("unexpected {other:?}"),
        };
        prop_assert_eq!(tree_outcome(value), expected);
    }
}
