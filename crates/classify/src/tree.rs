//! The decision-tree format: the types editors write as YAML, and how an
//! answer leads to the next question or a conclusion ([`DecisionTree::resolve`]).
//!
//! The format is that of the Dutch government's AI Act decision aid
//! (`questions` with `answers` that lead to a `nextQuestionId`, a
//! `nextConclusionId` or conditional `redirects`, and `conclusions`), every
//! field of it included, plus one extension for numeric questions: a
//! question with `input` (or `questionType: compute` / `number`) asks for a
//! number, and its answers carry a `range` (`gt`/`ge`/`lt`/`le`) saying which
//! values select them. [`crate::session::Session`] walks a tree.

use crate::compute::{format_number_precise, ComputeError};
use crate::expr::{Expr, ParseError};
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// A decision tree.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionTree {
    /// Optional version of the tree (shown, not interpreted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
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
    /// The kind of question: `compute` or `number` make it a numeric
    /// question when `input` is absent; any other value is shown as given
    /// and the question is answered by choosing (see [`Question::input_kind`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_type: Option<String>,
    /// Optional explanation (HTML subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Optional longer description (HTML subset), shown below the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Optional category: the step of the progress tracker. When absent, the
    /// categories file may give one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Optional subcategory: the group the labels of its answers belong to.
    /// When absent, the categories file may give one.
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
    /// Optional explanation shown with the answer (kader extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// A partial result shown in the summary of answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subresult: Option<String>,
    /// A remark about this answer, shown once it is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_comment: Option<String>,
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
    /// A remark shown with the conclusion (HTML subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion_comment: Option<String>,
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

    /// Every label produced by an answer, sorted and distinct.
    pub fn produced_labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .questions
            .iter()
            .flat_map(|q| q.answers.iter().flat_map(|a| a.labels.iter()))
            .map(String::as_str)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The redirect list of an answer, `None` for an answer with a plain
    /// target (or without one).
    pub fn redirects(&self, question: usize, answer: usize) -> Option<&[Redirect]> {
        self.questions
            .get(question)?
            .answers
            .get(answer)?
            .redirects
            .as_deref()
    }
}

impl Question {
    /// The kind of number this question asks for: `input.kind` when present,
    /// otherwise `questionType` `compute` or `number` (case-insensitive);
    /// `None` for a question answered by choosing.
    pub fn input_kind(&self) -> Option<InputKind> {
        if let Some(i) = &self.input {
            return Some(i.kind);
        }
        let t = self.question_type.as_deref()?.trim();
        if t.eq_ignore_ascii_case("compute") {
            Some(InputKind::Compute)
        } else if t.eq_ignore_ascii_case("number") {
            Some(InputKind::Number)
        } else {
            None
        }
    }

    /// The unit shown with a numeric question (`input.unit`; `FLOP` for a
    /// compute question without one).
    pub fn unit(&self) -> Option<&str> {
        match (&self.input, self.input_kind()) {
            (Some(Input { unit: Some(u), .. }), _) => Some(u),
            (_, Some(InputKind::Compute)) => Some("FLOP"),
            _ => None,
        }
    }
}

/// The `questionType` values that need no warning: the ones that select a
/// numeric question and the usual names of a single-choice question.
pub const KNOWN_QUESTION_TYPES: [&str; 6] = [
    "compute",
    "number",
    "choice",
    "single",
    "singlechoice",
    "single-choice",
];

/// Where an answer leads, with the redirect that was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The target.
    pub position: Position,
    /// Index of the redirect whose condition held, for answers with redirects.
    pub redirect: Option<usize>,
}

/// Resolves where answer `answer` of question `question` leads.
/// `conditions` holds the parsed condition of each redirect of that answer
/// (see [`crate::engine::Engine`]); `has` says
/// whether a label has been collected (including the answer's own labels).
/// The first redirect whose condition holds wins.
pub fn resolve(
    tree: &DecisionTree,
    ids: &Ids,
    question: usize,
    answer: usize,
    conditions: &[Result<Expr, ParseError>],
    has: &dyn Fn(&str) -> bool,
) -> Result<Resolved, FlowError> {
    let q = tree.questions.get(question).ok_or(FlowError::NoQuestions)?;
    let a = q.answers.get(answer).ok_or(FlowError::NoSuchAnswer {
        index: answer,
        count: q.answers.len(),
    })?;
    let no_target = || FlowError::NoTarget {
        question_id: q.question_id.clone(),
        answer,
    };
    let several = || FlowError::MultipleTargets {
        question_id: q.question_id.clone(),
        answer,
    };
    let targets = usize::from(a.next_question_id.is_some())
        + usize::from(a.next_conclusion_id.is_some())
        + usize::from(a.redirects.is_some());
    if targets > 1 {
        return Err(several());
    }
    if a.next_question_id.is_some() || a.next_conclusion_id.is_some() {
        let position = ids.target(
            a.next_question_id.as_deref(),
            a.next_conclusion_id.as_deref(),
        )?;
        return Ok(Resolved {
            position,
            redirect: None,
        });
    }
    let Some(redirects) = &a.redirects else {
        return Err(no_target());
    };
    for (ri, r) in redirects.iter().enumerate() {
        let e = match conditions.get(ri) {
            Some(Ok(e)) => e,
            Some(Err(error)) => {
                return Err(FlowError::BadExpression {
                    condition: r.condition.clone(),
                    error: error.clone(),
                })
            }
            None => return Err(no_target()),
        };
        if e.eval_with(has) {
            return match (&r.next_question_id, &r.next_conclusion_id) {
                (None, None) => Err(no_target()),
                (Some(_), Some(_)) => Err(several()),
                (qid, cid) => Ok(Resolved {
                    position: ids.target(qid.as_deref(), cid.as_deref())?,
                    redirect: Some(ri),
                }),
            };
        }
    }
    Err(FlowError::FallThrough {
        question_id: q.question_id.clone(),
        answer,
        labels: Vec::new(),
    })
}

/// Question and conclusion ids mapped to their (first) index.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    /// `questionId` → index.
    pub questions: HashMap<String, usize>,
    /// `conclusionId` → index.
    pub conclusions: HashMap<String, usize>,
}

impl Ids {
    /// The ids of a tree; on duplicates the first one counts.
    pub fn of(tree: &DecisionTree) -> Ids {
        let mut ids = Ids::default();
        for (i, q) in tree.questions.iter().enumerate() {
            ids.questions.entry(q.question_id.clone()).or_insert(i);
        }
        for (i, c) in tree.conclusions.iter().enumerate() {
            ids.conclusions.entry(c.conclusion_id.clone()).or_insert(i);
        }
        ids
    }

    fn target(
        &self,
        question: Option<&str>,
        conclusion: Option<&str>,
    ) -> Result<Position, FlowError> {
        if let Some(id) = question {
            return self
                .questions
                .get(id)
                .map(|&i| Position::Question(i))
                .ok_or_else(|| FlowError::UnknownQuestion { id: id.to_string() });
        }
        if let Some(id) = conclusion {
            return self
                .conclusions
                .get(id)
                .map(|&i| Position::Conclusion(i))
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
    /// `jump(step)` to an answer that was not given.
    NoSuchStep {
        /// Requested step.
        step: usize,
        /// Number of answers given.
        count: usize,
    },
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
            FlowError::NoSuchStep { step, count } => {
                if nl {
                    format!("Stap {step} bestaat niet; er zijn {count} antwoorden gegeven.")
                } else {
                    format!("Step {step} does not exist; {count} answers have been given.")
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
