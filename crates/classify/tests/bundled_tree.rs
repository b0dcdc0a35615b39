//! The GPAI decision trees shipped in `content/beslisbomen/` check cleanly,
//! mirror each other, say what follows in their own conclusions, and give a
//! profile in the knowledge base's AI-Act taxonomies.

use kader_classify::fields::{unsupported_tree_fields, Doc};
use kader_classify::profile::{profile, LabelMap};
use kader_classify::sanitize::sanitize_html;
use kader_classify::session::Current;
use kader_classify::tree::Position;
use kader_classify::validate::{check, walks, Limits};
use kader_classify::{ComputeInput, DecisionTree, Engine, Session};
use proptest::prelude::*;

const NL: &str = include_str!("../../../content/beslisbomen/gpai.yaml");
const EN: &str = include_str!("../../../content/beslisbomen/gpai.en.yaml");

fn engine(src: &str) -> Engine {
    Engine::from_tree(serde_yaml::from_str::<DecisionTree>(src).expect("bundled tree parses"))
}

/// Chooses the answer whose text starts with `prefix`.
fn pick(s: &mut Session, prefix: &str) {
    let Some(Current::Question(_, q)) = s.current() else {
        panic!("expected a question")
    };
    let index = q
        .answers
        .iter()
        .position(|a| a.answer.starts_with(prefix))
        .unwrap_or_else(|| panic!("{} has no answer {prefix:?}", q.question_id));
    s.answer(index).expect("answer accepted");
}

/// The text of the conclusion reached.
fn conclusion(s: &Session) -> String {
    match s.current() {
        Some(Current::Conclusion(_, c)) => c.conclusion.clone(),
        _ => panic!("not at a conclusion"),
    }
}

#[test]
fn both_trees_check_without_problems_and_every_conclusion_is_reached() {
    for src in [NL, EN] {
        let e = engine(src);
        let r = check(&e, &Limits::default());
        let doc: Doc = serde_yaml::from_str(src).unwrap();
        assert_eq!(r.problems, vec![]);
        assert_eq!(unsupported_tree_fields(&doc), vec![]);
        assert_eq!(r.summary.conclusions_reached, e.tree().conclusions.len());
        assert_eq!(r.summary.redirects_never_taken, 0);
        let w = walks(&e, &Limits::default());
        assert_eq!(w.walks.len() as u64, r.summary.walks);
    }
}

#[test]
fn ja_aanbieder_3e25_ends_in_presumed_systemic_risk_with_its_deadline() {
    let mut s = Session::new(engine(NL)).unwrap();
    pick(&mut s, "Ja");
    pick(&mut s, "Aanbieder");
    s.answer_text("3e25").unwrap();
    pick(&mut s, "Nee");
    assert!(conclusion(&s).contains("groter is dan 10^25 FLOP"));
    let Some(Current::Conclusion(_, c)) = s.current() else {
        unreachable!()
    };
    assert!(c.obligation.contains("binnen twee weken"));
    assert!(c.obligation.contains("veertien"));
    assert!(c.obligation.contains("artikel 55"));
    let groups = s.groups();
    let by = |sub: &str| {
        groups
            .iter()
            .find(|g| g.subcategory.as_deref() == Some(sub))
            .map(|g| g.labels.clone())
            .unwrap_or_default()
    };
    assert_eq!(by("Systeemrisico"), ["systeemrisico"]);
    assert_eq!(by("Rol"), ["aanbieder"]);
    assert_eq!(by("Open source"), ["geen open-source"]);
}

#[test]
fn exactly_10_25_flop_is_not_presumed_and_the_estimator_answers_too() {
    let mut s = Session::new(engine(NL)).unwrap();
    pick(&mut s, "Ja");
    pick(&mut s, "Aanbieder");
    s.answer_value(1e25).unwrap();
    assert!(s.frames()[2].added.is_empty());
    s.back().unwrap();
    s.answer_estimate(&ComputeInput::Parameters {
        parameters: 1e12,
        tokens: 2e12,
    })
    .unwrap();
    assert_eq!(s.frames()[2].added, ["systeemrisico"]);
    pick(&mut s, "Ja");
    assert!(conclusion(&s).contains("groter is dan 10^25 FLOP"));
}

#[test]
fn the_english_tree_mirrors_the_dutch_one() {
    let (nl, en) = (engine(NL), engine(EN));
    let (a, b) = (nl.tree(), en.tree());
    assert_eq!(a.questions.len(), b.questions.len());
    for (x, y) in a.questions.iter().zip(&b.questions) {
        assert_eq!(x.question_id, y.question_id);
        assert_eq!(x.question_type, y.question_type);
        assert_eq!(x.answers.len(), y.answers.len());
        for (p, q) in x.answers.iter().zip(&y.answers) {
            assert_eq!(p.labels, q.labels);
            assert_eq!(p.range, q.range);
            assert_eq!(p.next_question_id, q.next_question_id);
            assert_eq!(p.next_conclusion_id, q.next_conclusion_id);
            assert_eq!(p.redirects, q.redirects);
        }
    }
    let ids = |t: &DecisionTree| -> Vec<String> {
        t.conclusions
            .iter()
            .map(|c| c.conclusion_id.clone())
            .collect()
    };
    assert_eq!(ids(a), ids(b));
    // Groups line up by position.
    assert_eq!(nl.groups().len(), en.groups().len());
}

#[test]
fn texts_are_clean_html_and_every_walk_gives_a_full_profile() {
    for src in [NL, EN] {
        let e = engine(src);
        for q in &e.tree().questions {
            for t in [&q.question].into_iter().chain(q.explanation.as_ref()) {
                // Only allowed markup: nothing is escaped into text.
                assert!(!sanitize_html(t).contains("&lt;"), "{}", q.question_id);
            }
        }
        for c in &e.tree().conclusions {
            assert!(!sanitize_html(&c.obligation).contains("&lt;"));
        }
    }
    // With the bundled site's label map (its GPAI part), every label maps to a term.
    let map: LabelMap = serde_json::from_str(
        r#"{"groups": {"Soort toepassing": "soort-toepassing", "Rol": "rol-ai-act",
                       "Systeemrisico": "systeemrisico", "Open source": "open-source"},
            "labels": {"AI-model voor algemene doeleinden": "ai-model-voor-algemene-doeleinden",
                       "aanbieder": "aanbieder", "gebruiksverantwoordelijke": "gebruiksverantwoordelijke",
                       "systeemrisico": "systeemrisico", "geen systeemrisico": "geen-systeemrisico",
                       "open-source": "open-source", "geen open-source": "geen-open-source"}}"#,
    )
    .unwrap();
    let e = engine(NL);
    assert_eq!(
        kader_classify::profile::check_label_map(&e, &map, &Default::default()),
        vec![]
    );
    for w in walks(&e, &Limits::default()).walks {
        let mut s = Session::new(e.clone()).unwrap();
        for step in &w.steps {
            s.answer(step.answer).unwrap();
        }
        let p = profile(&s.groups(), &map);
        assert!(p.unmapped.is_empty());
        assert!(p.terms.values().all(|t| !t.is_empty()));
    }
}

proptest! {
    #[test]
    fn more_compute_never_lowers_the_outcome(a in 0.0f64..1e27, b in 0.0f64..1e27) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let outcome = |v: f64| {
            let mut s = Session::new(engine(NL)).unwrap();
            pick(&mut s, "Ja");
            pick(&mut s, "Aanbieder");
            s.answer_value(v).unwrap();
            pick(&mut s, "Nee");
            if matches!(s.position(), Position::Conclusion(_)) { 1 } else { 0 }
        };
        prop_assert!(outcome(lo) <= outcome(hi));
        prop_assert_eq!(outcome(hi), usize::from(hi > 1e25));
    }
}
