//! Property: for random trees, every walk the checker enumerates, replayed
//! through a `Session`, ends at the conclusion it claims; and when the tree
//! has no loop, the number of walks in the summary is the number listed.

use kader_classify::tree::{Answer, Conclusion, Position, Question, Redirect};
use kader_classify::validate::{check, walks, Limits, ProblemKind};
use kader_classify::{DecisionTree, Engine, Session};
use proptest::prelude::*;

const LABELS: [&str; 3] = ["a", "b", "c"];

fn condition() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(LABELS.to_vec()).prop_map(|l| format!("\"{l}\" in labels"));
    (atom.clone(), atom, 0u8..6).prop_map(|(x, y, op)| match op {
        0 => x,
        1 => format!("!({x})"),
        2 => format!("{x} && {y}"),
        3 => format!("{x} || !({y})"),
        4 => "true".into(),
        _ => format!("({x} || {y}) && !{y}"),
    })
}

/// A target: question index (possibly backwards: loops) or conclusion.
fn target(n: usize) -> impl Strategy<Value = (Option<String>, Option<String>)> {
    prop_oneof![
        (0..n).prop_map(|q| (Some(format!("q{q}")), None)),
        (0..3usize).prop_map(|c| (None, Some(format!("c{c}")))),
    ]
}

fn answer(n: usize) -> impl Strategy<Value = Answer> {
    let labels = prop::collection::vec(prop::sample::select(LABELS.to_vec()), 0..2);
    let redirects = prop::collection::vec((condition(), target(n)), 1..4);
    (labels, target(n), prop::option::of(redirects)).prop_map(|(labels, t, redirects)| {
        let mut a = Answer {
            answer: "x".into(),
            labels: labels.into_iter().map(String::from).collect(),
            ..Answer::default()
        };
        match redirects {
            Some(rs) => {
                a.redirects = Some(
                    rs.into_iter()
                        .map(|(condition, (q, c))| Redirect {
                            next_question_id: q,
                            next_conclusion_id: c,
                            condition,
                        })
                        .collect(),
                )
            }
            None => (a.next_question_id, a.next_conclusion_id) = t,
        }
        a
    })
}

fn tree() -> impl Strategy<Value = DecisionTree> {
    (1usize..7).prop_flat_map(|n| {
        prop::collection::vec(prop::collection::vec(answer(n), 1..4), n).prop_map(move |qs| {
            DecisionTree {
                questions: qs
                    .into_iter()
                    .enumerate()
                    .map(|(i, answers)| Question {
                        question_id: format!("q{i}"),
                        question: "?".into(),
                        answers: answers
                            .into_iter()
                            .enumerate()
                            .map(|(j, mut a)| {
                                a.answer = format!("q{i}a{j}");
                                a
                            })
                            .collect(),
                        ..Question::default()
                    })
                    .collect(),
                conclusions: (0..3)
                    .map(|c| Conclusion {
                        conclusion_id: format!("c{c}"),
                        ..Conclusion::default()
                    })
                    .collect(),
                ..DecisionTree::default()
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_enumerated_walk_replays_to_its_conclusion(t in tree()) {
        let engine = Engine::from_tree(t);
        let limits = Limits { max_walks: 2_000, max_steps: 200_000, ..Limits::default() };
        let listed = walks(&engine, &limits);
        for w in &listed.walks {
            let mut s = Session::new(engine.clone()).unwrap();
            for step in &w.steps {
                prop_assert_eq!(&s.engine().tree().questions[step.question].question_id, &step.question_id);
                prop_assert_eq!(s.position(), Position::Question(step.question));
                s.answer(step.answer).unwrap();
            }
            prop_assert_eq!(s.position(), Position::Conclusion(w.conclusion));
        }
        let report = check(&engine, &Limits::default());
        let looped = report.problems.iter().any(|p| p.kind == ProblemKind::Cycle);
        if listed.complete && !looped {
            prop_assert_eq!(report.summary.walks, listed.walks.len() as u64);
        }
        let reached: std::collections::BTreeSet<usize> = listed.walks.iter().map(|w| w.conclusion).collect();
        if listed.complete && !looped {
            prop_assert_eq!(report.summary.conclusions_reached, reached.len());
        }
    }
}
