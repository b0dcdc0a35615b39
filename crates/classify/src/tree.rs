//! Decision trees maintained as YAML by editors, and a [`Session`] that walks
//! one question at a time.
//!
//! The format follows the Dutch government's AI Act decision aid
//! (`questions` with `answers` that lead to a `nextQuestionId`, a
//! `nextConclusionId` or conditional `redirects`), plus an extension for
//! numeric questions: a question with `input` asks for a number (or, with
//! `kind: compute`, a training-compute value in FLOP), and its answers carry
//! a `range` (`gt`/`ge`/`lt`/`le`) saying which values select them.

use crate::compute::{format_number_precise, parse_compute, parse_number, ComputeError};
use crate::expr::{self, ParseError};
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A decision tree.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionTree {
    /// Optional name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The questions; the first one is where every session starts.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// The conclusions (end points).
    #[serde(default)]
    pub conclusions: Vec<Conclusion>,
}

/// A source reference.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Citation, e.g. `Artikel 3(63)`.
    pub source: String,
    /// Optional link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A question.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Unique id among questions.
    pub question_id: String,
    /// The question (may contain a small HTML subset; see
    /// [`sanitize_html`](crate::sanitize::sanitize_html)).
    pub question: String,
    /// Optional explanation (HTML subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Optional category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Optional subcategory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    /// Sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Present for numeric questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// The possible answers.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// What kind of number a numeric question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Training compute in FLOP, parsed with
    /// [`parse_compute`] (non-negative).
    Compute,
    /// Any number, parsed with [`parse_number`].
    Number,
}

/// The numeric-input extension of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// `compute` or `number`.
    pub kind: InputKind,
    /// Unit shown next to the field, e.g. `FLOP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Which values select an answer of a numeric question. All bounds that are
/// present must hold.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Range {
    /// Value must be greater than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    /// Value must be greater than or equal to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<f64>,
    /// Value must be less than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
    /// Value must be less than or equal to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le: Option<f64>,
}

impl Range {
    /// Whether `value` satisfies every bound. NaN never does.
    pub fn contains(&self, value: f64) -> bool {
        if value.is_nan() {
            return false;
        }
        fn holds(bound: Option<f64>, ok: impl Fn(f64) -> bool) -> bool {
            match bound {
                Some(b) => ok(b),
                None => true,
            }
        }
        holds(self.gt, |b| value > b)
            && holds(self.ge, |b| value >= b)
            && holds(self.lt, |b| value < b)
            && holds(self.le, |b| value <= b)
    }
}

impl fmt::Display for Range {
    /// Interval notation, e.g. `(1e23, 1e25]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, lo_incl) = match (self.gt, self.ge) {
            (Some(g), Some(e)) if e > g => (e, true),
            (Some(g), _) => (g, false),
            (None, Some(e)) => (e, true),
            (None, None) => (f64::NEG_INFINITY, false),
        };
        let (hi, hi_incl) = match (self.lt, self.le) {
            (Some(l), Some(e)) if e < l => (e, true),
            (Some(l), _) => (l, false),
            (None, Some(e)) => (e, true),
            (None, None) => (f64::INFINITY, false),
        };
        write!(
            f,
            "{}{}, {}{}",
            if lo_incl { '[' } else { '(' },
            bound(lo),
            bound(hi),
            if hi_incl { ']' } else { ')' }
        )
    }
}

pub(crate) fn bound(v: f64) -> String {
    if v == f64::INFINITY {
        "∞".into()
    } else if v == f64::NEG_INFINITY {
        "-∞".into()
    } else if v == 0.0 || (v.abs() >= 1e-3 && v.abs() < 1e6) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// The answer text.
    pub answer: String,
    /// Optional explanation shown with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Labels collected when this answer is chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Go to this question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_question_id: Option<String>,
    /// Go to this conclusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_conclusion_id: Option<String>,
    /// Go to the first redirect whose `if` holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<Redirect>>,
    /// For numeric questions: which values select this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
}

/// A conditional target.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Redirect {
    /// Go to this question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_question_id: Option<String>,
    /// Go to this conclusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_conclusion_id: Option<String>,
    /// The condition, see [`expr`].
    #[serde(rename = "if")]
    pub condition: String,
}

/// A conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conclusion {
    /// Unique id among conclusions.
    pub conclusion_id: String,
    /// The conclusion (HTML subset).
    pub conclusion: String,
    /// What the user has to do (HTML subset).
    #[serde(default)]
    pub obligation: String,
    /// Optional explanation (HTML subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Labels added when the conclusion is reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
}

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "index", rename_all = "kebab-case")]
pub enum Position {
    /// The question at this index of [`DecisionTree::questions`].
    Question(usize),
    /// The conclusion at this index of [`DecisionTree::conclusions`].
    Conclusion(usize),
}

impl DecisionTree {
    /// Parses nothing itself (no I/O, no YAML dependency): deserialize with
    /// your serde format of choice. This looks up the first question with `id`.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.question_id == id)
    }

    /// The first conclusion with `id`.
    pub fn conclusion_index(&self, id: &str) -> Option<usize> {
        self.conclusions.iter().position(|c| c.conclusion_id == id)
    }

    /// Every label produced by an answer or a conclusion, sorted and distinct.
    pub fn produced_labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .questions
            .iter()
            .flat_map(|q| q.answers.iter().flat_map(|a| a.labels.iter()))
            .chain(self.conclusions.iter().flat_map(|c| c.labels.iter()))
            .map(String::as_str)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Resolves where answer `answer` of question `question` leads, given the
    /// labels collected so far (which should include the answer's own labels).
    pub fn resolve<S: AsRef<str>>(
        &self,
        question: usize,
        answer: usize,
        labels: &[S],
    ) -> Result<Position, FlowError> {
        let q = self.questions.get(question).ok_or(FlowError::NoQuestions)?;
        let a = q.answers.get(answer).ok_or(FlowError::NoSuchAnswer {
            index: answer,
            count: q.answers.len(),
        })?;
        let targets = usize::from(a.next_question_id.is_some())
            + usize::from(a.next_conclusion_id.is_some())
            + usize::from(a.redirects.is_some());
        if targets > 1 {
            return Err(FlowError::MultipleTargets {
                question_id: q.question_id.clone(),
                answer,
            });
        }
        if let Some(id) = &a.next_question_id {
            return self.target(Some(id), None);
        }
        if let Some(id) = &a.next_conclusion_id {
            return self.target(None, Some(id));
        }
        let Some(redirects) = &a.redirects else {
            return Err(FlowError::NoTarget {
                question_id: q.question_id.clone(),
                answer,
            });
        };
        for r in redirects {
            let e = expr::parse(&r.condition).map_err(|error| FlowError::BadExpression {
                condition: r.condition.clone(),
                error,
            })?;
            if e.eval(labels) {
                let n = usize::from(r.next_question_id.is_some())
                    + usize::from(r.next_conclusion_id.is_some());
                if n != 1 {
                    return Err(if n == 0 {
                        FlowError::NoTarget {
                            question_id: q.question_id.clone(),
                            answer,
                        }
                    } else {
                        FlowError::MultipleTargets {
                            question_id: q.question_id.clone(),
                            answer,
                        }
                    });
                }
                return self.target(
                    r.next_question_id.as_deref(),
                    r.next_conclusion_id.as_deref(),
                );
            }
        }
        Err(FlowError::FallThrough {
            question_id: q.question_id.clone(),
            answer,
            labels: labels.iter().map(|l| l.as_ref().to_string()).collect(),
        })
    }

    fn target(
        &self,
        question: Option<&str>,
        conclusion: Option<&str>,
    ) -> Result<Position, FlowError> {
        if let Some(id) = question {
            return self
                .question_index(id)
                .map(Position::Question)
                .ok_or_else(|| FlowError::UnknownQuestion { id: id.to_string() });
        }
        if let Some(id) = conclusion {
            return self
                .conclusion_index(id)
                .map(Position::Conclusion)
                .ok_or_else(|| FlowError::UnknownConclusion { id: id.to_string() });
        }
        Err(FlowError::NoQuestions)
    }
}

/// Why a session step failed. The session is unchanged after an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FlowError {
    /// The tree has no questions.
    NoQuestions,
    /// The session is at a conclusion; go back or restart.
    Finished,
    /// No answer with this index.
    NoSuchAnswer {
        /// Requested index.
        index: usize,
        /// Number of answers.
        count: usize,
    },
    /// A value was given for a question without `input`.
    NotNumeric {
        /// The question.
        question_id: String,
    },
    /// The value could not be parsed.
    InvalidValue {
        /// Why.
        error: ComputeError,
    },
    /// No answer's range contains the value.
    NoMatchingRange {
        /// The question.
        question_id: String,
        /// The value.
        value: f64,
    },
    /// A `nextQuestionId` that does not exist.
    UnknownQuestion {
        /// The id.
        id: String,
    },
    /// A `nextConclusionId` that does not exist.
    UnknownConclusion {
        /// The id.
        id: String,
    },
    /// The answer (or matching redirect) has no target.
    NoTarget {
        /// The question.
        question_id: String,
        /// Answer index.
        answer: usize,
    },
    /// The answer (or matching redirect) has several targets.
    MultipleTargets {
        /// The question.
        question_id: String,
        /// Answer index.
        answer: usize,
    },
    /// A redirect condition does not parse.
    BadExpression {
        /// The condition text.
        condition: String,
        /// The parse error.
        error: ParseError,
    },
    /// No redirect condition matched.
    FallThrough {
        /// The question.
        question_id: String,
        /// Answer index.
        answer: usize,
        /// Labels collected at that point.
        labels: Vec<String>,
    },
    /// `back()` at the first question.
    NothingToUndo,
}

impl FlowError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        match self {
            FlowError::NoQuestions => if nl {
                "De beslisboom bevat geen vragen."
            } else {
                "The decision tree has no questions."
            }
            .into(),
            FlowError::Finished => if nl {
                "U bent al bij een conclusie; ga terug of begin opnieuw."
            } else {
                "You have reached a conclusion; go back or start again."
            }
            .into(),
            FlowError::NoSuchAnswer { index, count } => {
                if nl {
                    format!("Antwoord {index} bestaat niet; deze vraag heeft {count} antwoorden.")
                } else {
                    format!("Answer {index} does not exist; this question has {count} answers.")
                }
            }
            FlowError::NotNumeric { question_id } => {
                if nl {
                    format!("Vraag {question_id} vraagt niet om een getal.")
                } else {
                    format!("Question {question_id} does not ask for a number.")
                }
            }
            FlowError::InvalidValue { error } => error.message(lang),
            FlowError::NoMatchingRange { question_id, value } => {
                if nl {
                    format!(
                        "Geen antwoord op vraag {question_id} past bij de waarde {}.",
                        format_number_precise(*value, Lang::Nl)
                    )
                } else {
                    format!(
                        "No answer to question {question_id} matches the value {}.",
                        format_number_precise(*value, Lang::En)
                    )
                }
            }
            FlowError::UnknownQuestion { id } => {
                if nl {
                    format!("De vervolgvraag {id} bestaat niet in deze beslisboom.")
                } else {
                    format!("The next question {id} does not exist in this decision tree.")
                }
            }
            FlowError::UnknownConclusion { id } => {
                if nl {
                    format!("De conclusie {id} bestaat niet in deze beslisboom.")
                } else {
                    format!("The conclusion {id} does not exist in this decision tree.")
                }
            }
            FlowError::NoTarget {
                question_id,
                answer,
            } => {
                if nl {
                    format!("Antwoord {answer} op vraag {question_id} leidt nergens heen.")
                } else {
                    format!("Answer {answer} to question {question_id} leads nowhere.")
                }
            }
            FlowError::MultipleTargets {
                question_id,
                answer,
            } => {
                if nl {
                    format!("Antwoord {answer} op vraag {question_id} heeft meer dan één vervolg.")
                } else {
                    format!("Answer {answer} to question {question_id} has more than one target.")
                }
            }
            FlowError::BadExpression { condition, error } => {
                if nl {
                    format!("De voorwaarde ‘{condition}’ is ongeldig: {error}.")
                } else {
                    format!("The condition ‘{condition}’ is invalid: {error}.")
                }
            }
            FlowError::FallThrough {
                question_id,
                answer,
                ..
            } => {
                if nl {
                    format!("Geen enkele voorwaarde van antwoord {answer} op vraag {question_id} is van toepassing.")
                } else {
                    format!("No condition of answer {answer} to question {question_id} applies.")
                }
            }
            FlowError::NothingToUndo => if nl {
                "U bent al bij de eerste vraag."
            } else {
                "You are already at the first question."
            }
            .into(),
        }
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FlowError {}

/// One answered question in a session's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    /// Index of the question.
    pub question: usize,
    /// Id of the question.
    pub question_id: String,
    /// Index of the chosen answer.
    pub answer: usize,
    /// The value entered, for numeric questions answered with a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

#[derive(Debug, Clone)]
struct Frame {
    choice: Choice,
    labels_before: Vec<String>,
}

/// The current state of a session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Current<'a> {
    /// A question waiting for an answer.
    Question(&'a Question),
    /// A conclusion (the walk is finished).
    Conclusion(&'a Conclusion),
}

/// Walks a [`DecisionTree`] one answer at a time. Owns its tree, so it can
/// live inside a WebAssembly object. Every method returns an error instead
/// of panicking and leaves the session unchanged when it fails.
///
/// ```
/// use kader_classify::tree::{DecisionTree, Question, Answer, Conclusion, Session, Current};
/// let tree = DecisionTree {
///     name: None,
///     questions: vec![Question {
///         question_id: "1".into(),
///         question: "AI-model?".into(),
///         answers: vec![Answer {
///             answer: "Ja".into(),
///             labels: vec!["x".into()],
///             next_conclusion_id: Some("c".into()),
///             ..Answer::default()
///         }],
///         ..Question::default()
///     }],
///     conclusions: vec![Conclusion { conclusion_id: "c".into(), ..Conclusion::default() }],
/// };
/// let mut s = Session::new(tree).unwrap();
/// s.answer(0).unwrap();
/// assert!(matches!(s.current(), Current::Conclusion(c) if c.conclusion_id == "c"));
/// assert_eq!(s.labels(), ["x"]);
/// s.back().unwrap();
/// assert!(s.labels().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    tree: DecisionTree,
    position: Position,
    labels: Vec<String>,
    history: Vec<Frame>,
}

impl Session {
    /// Starts at the first question. Fails if the tree has no questions.
    pub fn new(tree: DecisionTree) -> Result<Session, FlowError> {
        if tree.questions.is_empty() {
            return Err(FlowError::NoQuestions);
        }
        Ok(Session {
            tree,
            position: Position::Question(0),
            labels: Vec::new(),
            history: Vec::new(),
        })
    }

    /// Starts a session and replays answers (e.g. from a URL). Stops at the
    /// first failing choice and returns its error.
    pub fn replay(tree: DecisionTree, choices: &[Choice]) -> Result<Session, FlowError> {
        let mut s = Session::new(tree)?;
        for c in choices {
            match c.value {
                Some(v) => s.answer_value(v)?,
                None => s.answer(c.answer)?,
            };
        }
        Ok(s)
    }

    /// The tree being walked.
    pub fn tree(&self) -> &DecisionTree {
        &self.tree
    }

    /// Where the session is.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The current question or conclusion.
    pub fn current(&self) -> Current<'_> {
        match self.position {
            Position::Question(i) => match self.tree.questions.get(i) {
                Some(q) => Current::Question(q),
                None => Current::Question(&self.tree.questions[0]),
            },
            Position::Conclusion(i) => match self.tree.conclusions.get(i) {
                Some(c) => Current::Conclusion(c),
                None => Current::Question(&self.tree.questions[0]),
            },
        }
    }

    /// Whether a conclusion has been reached.
    pub fn is_finished(&self) -> bool {
        matches!(self.position, Position::Conclusion(_))
    }

    /// Labels collected so far, in the order first collected, without
    /// duplicates; includes the conclusion's labels once finished.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The answers given so far.
    pub fn history(&self) -> Vec<Choice> {
        self.history.iter().map(|f| f.choice.clone()).collect()
    }

    fn question_index(&self) -> Result<usize, FlowError> {
        match self.position {
            Position::Question(i) => Ok(i),
            Position::Conclusion(_) => Err(FlowError::Finished),
        }
    }

    /// Chooses answer `index` of the current question (also allowed on
    /// numeric questions, e.g. for a "don't know" answer).
    pub fn answer(&mut self, index: usize) -> Result<Position, FlowError> {
        self.answer_inner(index, None)
    }

    /// Answers the current numeric question with a value: the first answer
    /// whose `range` contains it is chosen.
    pub fn answer_value(&mut self, value: f64) -> Result<Position, FlowError> {
        let qi = self.question_index()?;
        let q = self.tree.questions.get(qi).ok_or(FlowError::NoQuestions)?;
        let Some(input) = &q.input else {
            return Err(FlowError::NotNumeric {
                question_id: q.question_id.clone(),
            });
        };
        if !value.is_finite() {
            return Err(FlowError::InvalidValue {
                error: ComputeError::NotFinite,
            });
        }
        if input.kind == InputKind::Compute && value < 0.0 {
            return Err(FlowError::InvalidValue {
                error: ComputeError::Negative,
            });
        }
        let index = q
            .answers
            .iter()
            .position(|a| a.range.is_some_and(|r| r.contains(value)))
            .ok_or_else(|| FlowError::NoMatchingRange {
                question_id: q.question_id.clone(),
                value,
            })?;
        self.answer_inner(index, Some(value))
    }

    /// Answers the current numeric question with text as typed (parsed with
    /// the compute parser for `kind: compute`, the number parser otherwise).
    pub fn answer_text(&mut self, text: &str) -> Result<Position, FlowError> {
        let qi = self.question_index()?;
        let q = self.tree.questions.get(qi).ok_or(FlowError::NoQuestions)?;
        let Some(input) = &q.input else {
            return Err(FlowError::NotNumeric {
                question_id: q.question_id.clone(),
            });
        };
        let value = match input.kind {
            InputKind::Compute => parse_compute(text),
            InputKind::Number => parse_number(text),
        }
        .map_err(|error| FlowError::InvalidValue { error })?;
        self.answer_value(value)
    }

    fn answer_inner(&mut self, index: usize, value: Option<f64>) -> Result<Position, FlowError> {
        let qi = self.question_index()?;
        let q = self.tree.questions.get(qi).ok_or(FlowError::NoQuestions)?;
        let a = q.answers.get(index).ok_or(FlowError::NoSuchAnswer {
            index,
            count: q.answers.len(),
        })?;
        let mut labels = self.labels.clone();
        add_labels(&mut labels, &a.labels);
        let next = self.tree.resolve(qi, index, &labels)?;
        if let Position::Conclusion(ci) = next {
            if let Some(c) = self.tree.conclusions.get(ci) {
                add_labels(&mut labels, &c.labels);
            }
        }
        let frame = Frame {
            choice: Choice {
                question: qi,
                question_id: q.question_id.clone(),
                answer: index,
                value,
            },
            labels_before: std::mem::replace(&mut self.labels, labels),
        };
        self.history.push(frame);
        self.position = next;
        Ok(next)
    }

    /// Undoes the last answer.
    pub fn back(&mut self) -> Result<Position, FlowError> {
        let frame = self.history.pop().ok_or(FlowError::NothingToUndo)?;
        self.labels = frame.labels_before;
        self.position = Position::Question(frame.choice.question);
        Ok(self.position)
    }

    /// Returns to the first question and forgets all answers.
    pub fn restart(&mut self) {
        self.history.clear();
        self.labels.clear();
        self.position = Position::Question(0);
    }
}

fn add_labels(into: &mut Vec<String>, new: &[String]) {
    for l in new {
        if !into.contains(l) {
            into.push(l.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = r#"
name: test
questions:
  - questionId: "1"
    question: "Rol?"
    answers:
      - answer: "Aanbieder"
        labels: [aanbieder]
        nextQuestionId: "2"
      - answer: "Gebruiker"
        nextQuestionId: "2"
      - answer: "Kapot"
        nextQuestionId: "bestaat-niet"
  - questionId: "2"
    question: "Compute?"
    input: { kind: compute, unit: FLOP }
    answers:
      - answer: "Weinig"
        range: { le: 1.0e25 }
        nextConclusionId: "c-laag"
      - answer: "Veel"
        range: { gt: 1.0e25 }
        labels: [systeemrisico]
        redirects:
          - nextConclusionId: "c-aanbieder"
            if: '"aanbieder" in labels'
          - nextQuestionId: "3"
            if: 'false'
      - answer: "Weet ik niet"
        nextQuestionId: "3"
  - questionId: "3"
    question: "Getal?"
    input: { kind: number }
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
    labels: [klaar]
"#;

    fn tree() -> DecisionTree {
        serde_yaml::from_str(YAML).unwrap()
    }

    #[test]
    fn walks_with_labels_and_redirects() {
        let mut s = Session::new(tree()).unwrap();
        assert!(matches!(s.current(), Current::Question(q) if q.question_id == "1"));
        assert_eq!(s.answer(0), Ok(Position::Question(1)));
        assert_eq!(s.labels(), ["aanbieder"]);
        assert_eq!(s.answer_text(" 3e25 "), Ok(Position::Conclusion(1)));
        assert!(s.is_finished());
        assert_eq!(s.labels(), ["aanbieder", "systeemrisico", "klaar"]);
        assert_eq!(s.answer(0), Err(FlowError::Finished));
        assert_eq!(
            s.history(),
            vec![
                Choice {
                    question: 0,
                    question_id: "1".into(),
                    answer: 0,
                    value: None
                },
                Choice {
                    question: 1,
                    question_id: "2".into(),
                    answer: 1,
                    value: Some(3e25)
                },
            ]
        );
        assert_eq!(s.back(), Ok(Position::Question(1)));
        assert_eq!(s.labels(), ["aanbieder"]);
        assert_eq!(s.back(), Ok(Position::Question(0)));
        assert!(s.labels().is_empty());
        assert_eq!(s.back(), Err(FlowError::NothingToUndo));
    }

    #[test]
    fn range_boundaries() {
        let mut s = Session::new(tree()).unwrap();
        s.answer(1).unwrap();
        assert_eq!(s.answer_value(1e25), Ok(Position::Conclusion(0)));
        s.back().unwrap();
        // Not a provider, > 1e25: the only other redirect is `false`.
        let err = s.answer_value(1.0000001e25).unwrap_err();
        assert_eq!(
            err,
            FlowError::FallThrough {
                question_id: "2".into(),
                answer: 1,
                labels: vec!["systeemrisico".into()]
            }
        );
        assert_eq!(
            err.message(Lang::En),
            "No condition of answer 1 to question 2 applies."
        );
        // The session is unchanged after an error.
        assert_eq!(s.position(), Position::Question(1));
        assert!(s.labels().is_empty());
        assert_eq!(s.history().len(), 1);
    }

    #[test]
    fn errors_never_panic() {
        let mut s = Session::new(tree()).unwrap();
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
        assert_eq!(
            s.answer_text("1"),
            Err(FlowError::NotNumeric {
                question_id: "1".into()
            })
        );
        s.answer(1).unwrap();
        assert_eq!(
            s.answer_text("abc"),
            Err(FlowError::InvalidValue {
                error: ComputeError::UnexpectedCharacter {
                    character: 'a',
                    column: 1
                }
            })
        );
        assert_eq!(
            s.answer_text("-5"),
            Err(FlowError::InvalidValue {
                error: ComputeError::Negative
            })
        );
        assert_eq!(
            s.answer_value(-5.0),
            Err(FlowError::InvalidValue {
                error: ComputeError::Negative
            })
        );
        assert_eq!(
            s.answer_value(f64::NAN),
            Err(FlowError::InvalidValue {
                error: ComputeError::NotFinite
            })
        );
        assert_eq!(s.answer(2), Ok(Position::Question(2)));
        // Number kind allows negatives.
        assert_eq!(s.answer_text("-1,5"), Ok(Position::Conclusion(0)));
        s.back().unwrap();
        assert_eq!(
            s.answer_value(5.0),
            Err(FlowError::NoMatchingRange {
                question_id: "3".into(),
                value: 5.0
            })
        );
        assert_eq!(
            s.answer(1),
            Err(FlowError::MultipleTargets {
                question_id: "3".into(),
                answer: 1
            })
        );
        assert_eq!(
            s.answer(2),
            Err(FlowError::NoTarget {
                question_id: "3".into(),
                answer: 2
            })
        );
        let err = s.answer(3).unwrap_err();
        assert!(matches!(err, FlowError::BadExpression { .. }));
        assert_eq!(
            err.message(Lang::En),
            "The condition ‘\"a\" in’ is invalid: expected `labels`, found end of expression (at byte 6)."
        );
        assert_eq!(s.position(), Position::Question(2));
        s.restart();
        assert_eq!(s.position(), Position::Question(0));
        assert!(s.history().is_empty());
    }

    #[test]
    fn empty_tree_and_replay() {
        assert_eq!(
            Session::new(DecisionTree::default()).unwrap_err(),
            FlowError::NoQuestions
        );
        let s = Session::replay(
            tree(),
            &[
                Choice {
                    question: 0,
                    question_id: "1".into(),
                    answer: 0,
                    value: None,
                },
                Choice {
                    question: 1,
                    question_id: "2".into(),
                    answer: 1,
                    value: Some(2e25),
                },
            ],
        )
        .unwrap();
        assert!(s.is_finished());
    }

    #[test]
    fn messages_in_both_languages() {
        let e = FlowError::NoSuchAnswer { index: 4, count: 2 };
        assert_eq!(
            e.message(Lang::Nl),
            "Antwoord 4 bestaat niet; deze vraag heeft 2 antwoorden."
        );
        assert_eq!(
            e.to_string(),
            "Answer 4 does not exist; this question has 2 answers."
        );
        let e = FlowError::NoMatchingRange {
            question_id: "2".into(),
            value: 1.5e25,
        };
        assert_eq!(
            e.message(Lang::Nl),
            "Geen antwoord op vraag 2 past bij de waarde 1,5 × 10^25."
        );
    }

    #[test]
    fn range_contains_and_display() {
        let r = Range {
            gt: Some(1e23),
            le: Some(1e25),
            ..Range::default()
        };
        assert!(!r.contains(1e23));
        assert!(r.contains(1.0000001e23));
        assert!(r.contains(1e25));
        assert!(!r.contains(1.0000001e25));
        assert!(!r.contains(f64::NAN));
        assert_eq!(r.to_string(), "(1e23, 1e25]");
        assert_eq!(Range::default().to_string(), "(-∞, ∞)");
        assert!(Range::default().contains(-1.0));
    }

    #[test]
    fn serializes_back_with_the_same_field_names() {
        let t = tree();
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["questions"][0]["questionId"], "1");
        assert_eq!(
            json["questions"][1]["answers"][1]["redirects"][0]["if"],
            "\"aanbieder\" in labels"
        );
        assert_eq!(
            json["questions"][1]["answers"][1]["redirects"][0]["nextConclusionId"],
            "c-aanbieder"
        );
        assert_eq!(json["questions"][1]["input"]["kind"], "compute");
        assert_eq!(json["questions"][1]["answers"][0]["range"]["le"], 1e25);
        let back: DecisionTree = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
    }
}
