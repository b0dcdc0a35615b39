//! The checks on the fixture trees in tests/fixtures/, one per kind of
//! problem, and the government-shaped tree with its companion files.

use kader_classify::companion::{parse_categories, parse_definitions};
use kader_classify::fields::{unsupported_category_fields, unsupported_tree_fields, Doc};
use kader_classify::validate::{
    check, check_categories, check_definitions, format_path, walks, Limits, Problem, ProblemKind,
    Severity, Summary,
};
use kader_classify::{DecisionTree, Engine, Session};

fn load(yaml: &str) -> (DecisionTree, Doc) {
    (
        serde_yaml::from_str(yaml).expect("tree"),
        serde_yaml::from_str(yaml).expect("doc"),
    )
}

/// Every problem of a tree file: the checks and its unsupported fields.
fn problems(yaml: &str) -> (Vec<Problem>, Summary) {
    let (tree, doc) = load(yaml);
    let mut r = check(&Engine::from_tree(tree), &Limits::default());
    r.problems.extend(unsupported_tree_fields(&doc));
    (r.problems, r.summary)
}

fn listed(ps: &[Problem]) -> Vec<(Severity, ProblemKind, String)> {
    ps.iter()
        .map(|p| (p.severity, p.kind, format_path(&p.path)))
        .collect()
}

use ProblemKind::*;
use Severity::{Error as E, Warning as W};

#[test]
fn a_loop_that_labels_make_impossible_passes() {
    let (ps, s) = problems(include_str!("fixtures/guarded-loop.yaml"));
    assert!(ps.iter().all(|p| p.severity == W), "{ps:#?}");
    assert!(!ps.iter().any(|p| p.kind == Cycle));
    // The link back from 2.11 to 2.9 is taken on route b; the one from 2.9
    // to 2.11 on route a; neither is followed round.
    assert_eq!(listed(&ps), []);
    assert_eq!(
        s,
        Summary {
            questions: 3,
            conclusions: 3,
            walks: 4,
            conclusions_reached: 3,
            redirects_never_taken: 0
        }
    );
}

#[test]
fn a_loop_a_walk_can_follow_fails() {
    let (ps, _) = problems(include_str!("fixtures/real-loop.yaml"));
    let cycles: Vec<&Problem> = ps.iter().filter(|p| p.kind == Cycle).collect();
    assert_eq!(cycles.len(), 1, "{ps:#?}");
    assert_eq!(cycles[0].severity, E);
    assert_eq!(
        cycles[0].message,
        "questions form a cycle: \"2.11\" → \"2.9\" → \"2.11\""
    );
    // The second time round 2.11 has the same labels: the link that closes
    // the loop is the one from 2.9.
    assert_eq!(
        format_path(&cycles[0].path),
        "questions[1].answers[0].nextQuestionId"
    );
}

#[test]
fn duplicate_and_dangling_ids_with_did_you_mean() {
    let (ps, _) = problems(include_str!("fixtures/ids.yaml"));
    assert_eq!(
        listed(&ps),
        [
            (E, DuplicateId, "questions[2].questionId".into()),
            (
                E,
                DanglingId,
                "questions[0].answers[0].nextQuestionId".into()
            ),
            (
                E,
                DanglingId,
                "questions[1].answers[0].nextConclusionId".into()
            ),
            (W, Unreachable, "questions[1]".into()),
            (W, Unreachable, "questions[2]".into()),
        ]
    );
    assert_eq!(ps[1].hint, "did you mean \"2\"?");
    assert_eq!(ps[2].hint, "did you mean \"c-eind\"?");
}

#[test]
fn conditions_parse_errors_unknown_labels_fall_through_never_taken_unreachable() {
    let (ps, s) = problems(include_str!("fixtures/conditions.yaml"));
    assert_eq!(
        listed(&ps),
        [
            (
                E,
                BadExpression,
                "questions[1].answers[0].redirects[0].if".into()
            ),
            (
                W,
                UnknownLabel,
                "questions[1].answers[1].redirects[1].if".into()
            ),
            (E, FallThrough, "questions[1].answers[1].redirects".into()),
            // Only the redirects that are never taken lead to c-b.
            (W, Unreachable, "conclusions[1]".into()),
            (W, Unreachable, "conclusions[2]".into()),
            (
                W,
                NeverTaken,
                "questions[1].answers[0].redirects[1].if".into()
            ),
            (
                W,
                NeverTaken,
                "questions[1].answers[1].redirects[1].if".into()
            ),
            (
                W,
                NeverTaken,
                "questions[1].answers[2].redirects[1].if".into()
            ),
        ]
    );
    assert_eq!(
        ps[2].message,
        "no redirect matches for the label combination [not aanbeider, not aanbieder]"
    );
    assert_eq!(ps[1].hint, "did you mean \"aanbieder\"?");
    assert_eq!(s.redirects_never_taken, 3);
}

#[test]
fn unsupported_fields_and_question_types_are_warnings() {
    let (ps, _) = problems(include_str!("fixtures/unsupported.yaml"));
    assert_eq!(
        listed(&ps),
        [
            (W, UnknownQuestionType, "questions[0].questionType".into()),
            (W, UnsupportedField, "auteur".into()),
            (W, UnsupportedField, "questions[0].toelichting".into()),
            (W, UnsupportedField, "questions[0].answers[0].weight".into()),
            (W, UnsupportedField, "conclusions[0].labels".into()),
        ]
    );
}

const TREE: &str = include_str!("fixtures/beslishulp/decision-tree.yaml");
const CATEGORIES: &str = include_str!("fixtures/beslishulp/categories.yaml");
const DEFINITIONS: &str = include_str!("fixtures/beslishulp/definitions.yaml");

fn engine() -> Engine {
    let (tree, _) = load(TREE);
    Engine::new(
        tree,
        &parse_categories(CATEGORIES).unwrap(),
        parse_definitions(DEFINITIONS).unwrap(),
    )
}

#[test]
fn the_government_shaped_tree_checks_and_runs() {
    let e = engine();
    let (_, doc) = load(TREE);
    assert!(unsupported_tree_fields(&doc).is_empty());
    let cat_doc: Doc = serde_yaml::from_str(CATEGORIES).unwrap();
    assert!(unsupported_category_fields(&cat_doc).is_empty());
    assert!(check_categories(&parse_categories(CATEGORIES).unwrap(), e.tree()).is_empty());
    assert!(check_definitions(e.definitions()).is_empty());
    let r = check(&e, &Limits::default());
    // Only the link 2.4 -> 2.3 is never taken: a deployer never has the
    // conformity label when it reaches 2.4.
    assert_eq!(
        listed(&r.problems),
        [(
            W,
            NeverTaken,
            "questions[6].answers[0].redirects[0].if".into()
        )]
    );
    assert_eq!(
        r.summary,
        Summary {
            questions: 8,
            conclusions: 6,
            walks: 45,
            conclusions_reached: 6,
            redirects_never_taken: 1
        }
    );
    let w = walks(&e, &Limits::default());
    assert!(w.complete);
    assert_eq!(w.walks.len(), 45);
    assert_eq!(w.walks.iter().map(|w| w.steps.len()).max(), Some(8));
    for walk in &w.walks {
        let mut s = Session::new(e.clone()).unwrap();
        for step in &walk.steps {
            s.answer(step.answer).unwrap();
        }
        assert_eq!(
            s.position(),
            kader_classify::tree::Position::Conclusion(walk.conclusion)
        );
    }
    // Categories and subcategories come from the longest id prefix.
    assert_eq!(e.category(1), Some("Rol"));
    assert_eq!(e.subcategory(5), Some("Conformiteitsbeoordelingsinstantie"));
    assert_eq!(e.category(5), Some("Risico"));
    assert_eq!(e.subcategory(7), Some("Transparantieverplichting"));
    assert_eq!(
        e.categories(),
        ["Reikwijdte", "Rol", "Risico", "Transparantie"]
    );
}

#[test]
fn limits_are_reported_not_hung_on() {
    let e = engine();
    let r = check(
        &e,
        &Limits {
            max_states: 5,
            ..Limits::default()
        },
    );
    assert!(r.problems.iter().any(|p| p.kind == LimitReached));
    assert!(!r.problems.iter().any(|p| p.kind == Unreachable));
    let w = walks(
        &e,
        &Limits {
            max_walks: 3,
            ..Limits::default()
        },
    );
    assert_eq!((w.walks.len(), w.complete), (3, false));
}
