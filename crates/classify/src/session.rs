//! Walking a tree one answer at a time, with the semantics of the
//! government's decision aid:
//!
//! * labels only accumulate; a label is kept once, with the question that
//!   first produced it;
//! * an answer's redirects are tried in order and the first whose `if`
//!   holds wins; conditions see the labels collected so far, including the
//!   ones of the answer just given;
//! * labels are grouped by the subcategory of the question that produced
//!   them ([`Session::groups`]): before a conclusion a group without labels
//!   is "to be determined", at the conclusion it is "not applicable";
//! * going back removes exactly the labels the undone answers added;
//!   [`Session::jump`] goes back to any earlier answer;
//! * [`Session::restore`] replays a list of [`Step`]s (state kept in a URL)
//!   and reports the first step that does not fit.
//!
//! Every method leaves the session unchanged when it returns an error.

use crate::compute::{parse_compute, parse_number, ComputeError, ComputeInput};
use crate::engine::Engine;
use crate::text::{Lang, Text};
use crate::tree::{Conclusion, FlowError, InputKind, Position, Question};
use serde::{Deserialize, Serialize};

/// One step of a walk as kept in a URL: an answer index, or a value for a
/// numeric question (`{"value": 3e25}`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// The answer with this index was chosen.
    Answer(usize),
    /// This value was entered; it selects the answer whose range holds it.
    Value {
        /// The value.
        value: f64,
    },
}

/// One answer given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    /// Index of the question.
    pub question: usize,
    /// Index of the answer.
    pub answer: usize,
    /// The value entered, for a numeric question answered with a value.
    pub value: Option<f64>,
    /// How the value was computed, when it came from the estimator.
    pub formula: Option<Text>,
    /// The labels this answer added (the ones not collected before).
    pub added: Vec<String>,
    /// The redirect taken, for answers with redirects.
    pub redirect: Option<usize>,
}

/// Whether a label group is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupStatus {
    /// It has labels.
    Decided,
    /// No labels yet, and no conclusion yet ("nader te bepalen").
    ToBeDetermined,
    /// No labels, and a conclusion has been reached ("niet van toepassing").
    NotApplicable,
}

impl GroupStatus {
    /// The text shown for a group without labels.
    pub fn text(self, lang: Lang) -> Option<&'static str> {
        match (self, lang) {
            (GroupStatus::Decided, _) => None,
            (GroupStatus::ToBeDetermined, Lang::Nl) => Some("nader te bepalen"),
            (GroupStatus::ToBeDetermined, Lang::En) => Some("to be determined"),
            (GroupStatus::NotApplicable, Lang::Nl) => Some("niet van toepassing"),
            (GroupStatus::NotApplicable, Lang::En) => Some("not applicable"),
        }
    }
}

/// The labels of one subcategory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelGroup {
    /// The subcategory (`None` for questions without one).
    pub subcategory: Option<String>,
    /// Its labels, in the order collected.
    pub labels: Vec<String>,
    /// Whether it is settled.
    pub status: GroupStatus,
}

/// A restore that stopped early: the index of the step that does not fit
/// and why. The steps before it were applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestoreError {
    /// Index into the steps.
    pub step: usize,
    /// What went wrong.
    pub error: FlowError,
}

/// The current question or conclusion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Current<'a> {
    /// A question waiting for an answer, with its index.
    Question(usize, &'a Question),
    /// The conclusion reached, with its index.
    Conclusion(usize, &'a Conclusion),
}

/// A walk through an [`Engine`]'s tree.
#[derive(Debug, Clone)]
pub struct Session {
    engine: Engine,
    position: Position,
    frames: Vec<Frame>,
    /// Collected labels with the question that produced each.
    labels: Vec<(String, usize)>,
}

impl Session {
    /// Starts at the first question; fails if the tree has no questions.
    pub fn new(engine: Engine) -> Result<Session, FlowError> {
        if engine.tree().questions.is_empty() {
            return Err(FlowError::NoQuestions);
        }
        Ok(Session {
            engine,
            position: Position::Question(0),
            frames: Vec::new(),
            labels: Vec::new(),
        })
    }

    /// Starts a session and replays `steps`. Returns the session with every
    /// step that fits applied, and the first one that does not, if any.
    pub fn restore(
        engine: Engine,
        steps: &[Step],
    ) -> Result<(Session, Option<RestoreError>), FlowError> {
        let mut s = Session::new(engine)?;
        for (i, step) in steps.iter().enumerate() {
            let r = match *step {
                Step::Answer(a) => s.answer(a),
                Step::Value { value } => s.answer_value(value),
            };
            if let Err(error) = r {
                return Ok((s, Some(RestoreError { step: i, error })));
            }
        }
        Ok((s, None))
    }

    /// The engine being walked.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Where the session is.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The current question or conclusion.
    pub fn current(&self) -> Option<Current<'_>> {
        let t = self.engine.tree();
        match self.position {
            Position::Question(i) => t.questions.get(i).map(|q| Current::Question(i, q)),
            Position::Conclusion(i) => t.conclusions.get(i).map(|c| Current::Conclusion(i, c)),
        }
    }

    /// Whether a conclusion has been reached.
    pub fn is_finished(&self) -> bool {
        matches!(self.position, Position::Conclusion(_))
    }

    /// The answers given so far.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The answers given so far as steps (for a URL): values for numeric
    /// answers given as a value, indices otherwise.
    pub fn steps(&self) -> Vec<Step> {
        self.frames
            .iter()
            .map(|f| match f.value {
                Some(value) => Step::Value { value },
                None => Step::Answer(f.answer),
            })
            .collect()
    }

    /// The labels collected so far, in order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(|(l, _)| l.as_str())
    }

    /// Whether `label` has been collected.
    pub fn has(&self, label: &str) -> bool {
        self.labels.iter().any(|(l, _)| l == label)
    }

    /// The labels grouped by the subcategory of the question that produced
    /// them, one group per [`Engine::groups`] entry (plus any group only
    /// met at run time), in that order.
    pub fn groups(&self) -> Vec<LabelGroup> {
        let mut groups: Vec<LabelGroup> = self
            .engine
            .groups()
            .iter()
            .map(|s| LabelGroup {
                subcategory: s.clone(),
                labels: Vec::new(),
                status: GroupStatus::Decided,
            })
            .collect();
        for (label, q) in &self.labels {
            let sub = self.engine.subcategory(*q).map(str::to_string);
            match groups.iter_mut().find(|g| g.subcategory == sub) {
                Some(g) => g.labels.push(label.clone()),
                None => groups.push(LabelGroup {
                    subcategory: sub,
                    labels: vec![label.clone()],
                    status: GroupStatus::Decided,
                }),
            }
        }
        let open = if self.is_finished() {
            GroupStatus::NotApplicable
        } else {
            GroupStatus::ToBeDetermined
        };
        for g in &mut groups {
            if g.labels.is_empty() {
                g.status = open;
            }
        }
        groups
    }

    fn question(&self) -> Result<(usize, &Question), FlowError> {
        match self.position {
            Position::Question(i) => self
                .engine
                .tree()
                .questions
                .get(i)
                .map(|q| (i, q))
                .ok_or(FlowError::NoQuestions),
            Position::Conclusion(_) => Err(FlowError::Finished),
        }
    }

    /// The kind of number the current question asks for, if any.
    pub fn input_kind(&self) -> Option<InputKind> {
        self.question().ok()?.1.input_kind()
    }

    /// Chooses answer `index` of the current question (numeric questions
    /// too, e.g. for a "don't know" answer).
    pub fn answer(&mut self, index: usize) -> Result<Position, FlowError> {
        self.apply(index, None, None)
    }

    /// The answer of the current numeric question that `value` selects: the
    /// first whose `range` holds it.
    pub fn answer_for_value(&self, value: f64) -> Result<usize, FlowError> {
        let (_, q) = self.question()?;
        let Some(kind) = q.input_kind() else {
            return Err(FlowError::NotNumeric {
                question_id: q.question_id.clone(),
            });
        };
        if !value.is_finite() {
            return Err(FlowError::InvalidValue {
                error: ComputeError::NotFinite,
            });
        }
        if kind == InputKind::Compute && value < 0.0 {
            return Err(FlowError::InvalidValue {
                error: ComputeError::Negative,
            });
        }
        q.answers
            .iter()
            .position(|a| a.range.is_some_and(|r| r.contains(value)))
            .ok_or_else(|| FlowError::NoMatchingRange {
                question_id: q.question_id.clone(),
                value,
            })
    }

    /// Answers the current numeric question with a value.
    pub fn answer_value(&mut self, value: f64) -> Result<Position, FlowError> {
        let index = self.answer_for_value(value)?;
        self.apply(index, Some(value), None)
    }

    /// Answers the current numeric question with text as typed (the compute
    /// parser for compute questions, the number parser otherwise).
    pub fn answer_text(&mut self, text: &str) -> Result<Position, FlowError> {
        let (_, q) = self.question()?;
        let value = match q.input_kind() {
            Some(InputKind::Compute) => parse_compute(text),
            Some(InputKind::Number) => parse_number(text),
            None => {
                return Err(FlowError::NotNumeric {
                    question_id: q.question_id.clone(),
                })
            }
        }
        .map_err(|error| FlowError::InvalidValue { error })?;
        self.answer_value(value)
    }

    /// Answers the current compute question with the estimator's input
    /// (a value as typed, `6·N·D`, or the hardware); the formula is kept
    /// with the answer.
    pub fn answer_estimate(&mut self, input: &ComputeInput) -> Result<Position, FlowError> {
        let (_, q) = self.question()?;
        if q.input_kind() != Some(InputKind::Compute) {
            return Err(FlowError::NotNumeric {
                question_id: q.question_id.clone(),
            });
        }
        let e = input
            .evaluate()
            .map_err(|error| FlowError::InvalidValue { error })?;
        let index = self.answer_for_value(e.flop)?;
        self.apply(index, Some(e.flop), Some(e.formula))
    }

    fn apply(
        &mut self,
        index: usize,
        value: Option<f64>,
        formula: Option<Text>,
    ) -> Result<Position, FlowError> {
        let (qi, q) = self.question()?;
        let a = q.answers.get(index).ok_or(FlowError::NoSuchAnswer {
            index,
            count: q.answers.len(),
        })?;
        let mut added: Vec<String> = Vec::new();
        for l in &a.labels {
            if !self.has(l) && !added.contains(l) {
                added.push(l.clone());
            }
        }
        let resolved = {
            let has = |l: &str| self.has(l) || added.iter().any(|x| x == l);
            self.engine.resolve(qi, index, &has)
        }
        .map_err(|e| match e {
            FlowError::FallThrough {
                question_id,
                answer,
                ..
            } => FlowError::FallThrough {
                question_id,
                answer,
                labels: self
                    .labels()
                    .map(str::to_string)
                    .chain(added.iter().cloned())
                    .collect(),
            },
            other => other,
        })?;
        self.labels.extend(added.iter().map(|l| (l.clone(), qi)));
        self.frames.push(Frame {
            question: qi,
            answer: index,
            value,
            formula,
            added,
            redirect: resolved.redirect,
        });
        self.position = resolved.position;
        Ok(self.position)
    }

    /// Undoes the last answer.
    pub fn back(&mut self) -> Result<Position, FlowError> {
        let n = self
            .frames
            .len()
            .checked_sub(1)
            .ok_or(FlowError::NothingToUndo)?;
        self.jump(n)
    }

    /// Goes back to answer `step` (0 = the first answer): that question is
    /// asked again and the answers from it on are undone, with their labels.
    pub fn jump(&mut self, step: usize) -> Result<Position, FlowError> {
        if step >= self.frames.len() {
            return Err(FlowError::NoSuchStep {
                step,
                count: self.frames.len(),
            });
        }
        for f in self.frames.drain(step..).rev() {
            for l in &f.added {
                if let Some(i) = self.labels.iter().rposition(|(x, _)| x == l) {
                    self.labels.remove(i);
                }
            }
            self.position = Position::Question(f.question);
        }
        Ok(self.position)
    }

    /// Back to the first question, with no answers.
    pub fn restart(&mut self) {
        self.frames.clear();
        self.labels.clear();
        self.position = Position::Question(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::companion::{Categories, Definitions};
    use crate::tree::DecisionTree;

    const YAML: &str = r#"
name: test
questions:
  - questionId: "1"
    question: "Rol?"
    subcategory: Rol
    answers:
      - answer: "Aanbieder"
        labels: [aanbieder]
        nextQuestionId: "2"
      - answer: "Gebruiker"
        labels: [gebruiker]
        nextQuestionId: "2"
      - answer: "Kapot"
        nextQuestionId: "bestaat-niet"
  - questionId: "2"
    question: "Compute?"
    input: { kind: compute, unit: FLOP }
    subcategory: Systeemrisico
    answers:
      - answer: "Weinig"
        range: { le: 1.0e25 }
        nextConclusionId: "c-laag"
      - answer: "Veel"
        range: { gt: 1.0e25 }
        labels: [systeemrisico, aanbieder]
        redirects:
          - nextConclusionId: "c-aanbieder"
            if: '"aanbieder" in labels && !("gebruiker" in labels)'
          - nextQuestionId: "3"
            if: 'false'
      - answer: "Weet ik niet"
        nextQuestionId: "3"
  - questionId: "3"
    question: "Getal?"
    questionType: number
    answers:
      - answer: "negatief"
        range: { lt: 0 }
        nextConclusionId: "c-laag"
      - answer: "beide"
        nextConclusionId: "c-laag"
        nextQuestionId: "1"
      - answer: "geen"
      - answer: "slecht"
        redirects:
          - nextConclusionId: "c-laag"
            if: '"a" in'
conclusions:
  - conclusionId: "c-laag"
    conclusion: "Laag"
    obligation: ""
  - conclusionId: "c-aanbieder"
    conclusion: "Aanbieder"
    obligation: ""
"#;

    fn session() -> Session {
        let tree: DecisionTree = serde_yaml::from_str(YAML).unwrap();
        Session::new(Engine::new(
            tree,
            &Categories::default(),
            Definitions::default(),
        ))
        .unwrap()
    }

    fn labels(s: &Session) -> Vec<&str> {
        s.labels().collect()
    }

    #[test]
    fn labels_accumulate_and_back_removes_exactly_the_undone_ones() {
        let mut s = session();
        assert_eq!(s.answer(0), Ok(Position::Question(1)));
        assert_eq!(labels(&s), ["aanbieder"]);
        // "Veel" adds systeemrisico and aanbieder again; aanbieder stays once.
        assert_eq!(s.answer_text(" 3e25 "), Ok(Position::Conclusion(1)));
        assert_eq!(labels(&s), ["aanbieder", "systeemrisico"]);
        assert_eq!(s.frames()[1].added, ["systeemrisico"]);
        assert_eq!(s.frames()[1].redirect, Some(0));
        assert_eq!(s.answer(0), Err(FlowError::Finished));
        assert_eq!(s.back(), Ok(Position::Question(1)));
        assert_eq!(labels(&s), ["aanbieder"], "aanbieder came from question 1");
        assert_eq!(s.back(), Ok(Position::Question(0)));
        assert!(labels(&s).is_empty());
        assert_eq!(s.back(), Err(FlowError::NothingToUndo));
    }

    #[test]
    fn groups_follow_the_subcategory_of_the_producing_question() {
        let mut s = session();
        let g = s.groups();
        assert_eq!(g.len(), 2);
        assert!(g.iter().all(|g| g.status == GroupStatus::ToBeDetermined));
        s.answer(1).unwrap();
        s.answer_value(2e25).unwrap_err(); // not a provider: falls through
        assert_eq!(s.frames().len(), 1);
        s.back().unwrap();
        s.answer(0).unwrap();
        s.answer_value(2e25).unwrap();
        let g = s.groups();
        assert_eq!(g[0].subcategory.as_deref(), Some("Rol"));
        assert_eq!(g[0].labels, ["aanbieder"]);
        assert_eq!(g[1].labels, ["systeemrisico"]);
        s.back().unwrap();
        s.answer_value(5.0).unwrap();
        let g = s.groups();
        assert_eq!(g[1].status, GroupStatus::NotApplicable);
        assert_eq!(g[1].status.text(Lang::Nl), Some("niet van toepassing"));
        assert_eq!(g[0].status, GroupStatus::Decided);
    }

    #[test]
    fn jump_goes_back_to_any_earlier_answer() {
        let mut s = session();
        s.answer(0).unwrap();
        s.answer(2).unwrap();
        assert_eq!(s.position(), Position::Question(2));
        assert_eq!(s.jump(2), Err(FlowError::NoSuchStep { step: 2, count: 2 }));
        assert_eq!(s.jump(0), Ok(Position::Question(0)));
        assert!(s.frames().is_empty());
        assert!(labels(&s).is_empty());
    }

    #[test]
    fn restore_reports_the_first_step_that_does_not_fit() {
        let tree: DecisionTree = serde_yaml::from_str(YAML).unwrap();
        let engine = Engine::from_tree(tree);
        let (s, err) = Session::restore(
            engine.clone(),
            &[Step::Answer(0), Step::Value { value: 3e25 }],
        )
        .unwrap();
        assert!(err.is_none());
        assert!(s.is_finished());
        assert_eq!(s.steps(), [Step::Answer(0), Step::Value { value: 3e25 }]);
        let (s, err) =
            Session::restore(engine, &[Step::Answer(1), Step::Answer(2), Step::Answer(9)]).unwrap();
        assert_eq!(s.frames().len(), 2);
        assert_eq!(
            err,
            Some(RestoreError {
                step: 2,
                error: FlowError::NoSuchAnswer { index: 9, count: 4 }
            })
        );
        let steps: Vec<Step> = serde_json::from_str(r#"[0, {"value": 1e26}, 2]"#).unwrap();
        assert_eq!(steps[1], Step::Value { value: 1e26 });
    }

    #[test]
    fn errors_leave_the_session_unchanged() {
        let mut s = session();
        assert_eq!(
            s.answer(99),
            Err(FlowError::NoSuchAnswer {
                index: 99,
                count: 3
            })
        );
        assert_eq!(
            s.answer(2),
            Err(FlowError::UnknownQuestion {
                id: "bestaat-niet".into()
            })
        );
        assert_eq!(
            s.answer_value(1.0),
            Err(FlowError::NotNumeric {
                question_id: "1".into()
            })
        );
        s.answer(1).unwrap();
        assert!(matches!(
            s.answer_text("abc"),
            Err(FlowError::InvalidValue { .. })
        ));
        assert_eq!(
            s.answer_value(-5.0),
            Err(FlowError::InvalidValue {
                error: ComputeError::Negative
            })
        );
        let err = s.answer_value(1.0000001e25).unwrap_err();
        assert_eq!(
            err,
            FlowError::FallThrough {
                question_id: "2".into(),
                answer: 1,
                labels: vec![
                    "gebruiker".into(),
                    "systeemrisico".into(),
                    "aanbieder".into()
                ]
            }
        );
        assert_eq!(labels(&s), ["gebruiker"]);
        // Exactly 10^25 is not "more than".
        assert_eq!(s.answer_for_value(1e25), Ok(0));
        assert_eq!(s.answer(2), Ok(Position::Question(2)));
        // questionType: number makes a numeric question; negatives allowed.
        assert_eq!(s.answer_text("-1,5"), Ok(Position::Conclusion(0)));
        s.back().unwrap();
        assert_eq!(
            s.answer_value(5.0),
            Err(FlowError::NoMatchingRange {
                question_id: "3".into(),
                value: 5.0
            })
        );
        assert!(matches!(
            s.answer(1),
            Err(FlowError::MultipleTargets { .. })
        ));
        assert!(matches!(s.answer(2), Err(FlowError::NoTarget { .. })));
        assert!(matches!(s.answer(3), Err(FlowError::BadExpression { .. })));
        assert_eq!(s.position(), Position::Question(2));
        s.restart();
        assert_eq!(s.position(), Position::Question(0));
        assert!(s.frames().is_empty());
    }

    #[test]
    fn estimates_answer_compute_questions_and_keep_the_formula() {
        let mut s = session();
        s.answer(0).unwrap();
        let r = s.answer_estimate(&ComputeInput::Parameters {
            parameters: 7e10,
            tokens: 1.5e12,
        });
        assert_eq!(r, Ok(Position::Conclusion(0)));
        let f = &s.frames()[1];
        assert_eq!(f.answer, 0);
        assert_eq!(
            f.formula.as_ref().map(|t| t.nl.as_str()),
            Some("6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP")
        );
        assert_eq!(
            Session::new(Engine::from_tree(DecisionTree::default())).unwrap_err(),
            FlowError::NoQuestions
        );
    }
}
