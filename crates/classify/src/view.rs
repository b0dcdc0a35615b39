//! What a user interface shows of a session, as plain serializable data
//! (the browser widget receives it as JSON). Every text that may hold HTML
//! is sanitized with [`sanitize_html`]; every URL passed through
//! [`safe_url`]; plain texts (ids, sources, labels) are left for the
//! interface to escape. Offsets into texts are UTF-16 code units, as
//! JavaScript strings count them.

use crate::companion::{find_terms, Categories, Definitions};
use crate::compute::{
    format_number, format_number_precise, ComputeError, EstimateRequest, FieldError,
};
use crate::engine::Engine;
use crate::profile::{self, LabelMap, Profile};
use crate::sanitize::{safe_url, sanitize_html};
use crate::session::{Current, GroupStatus, Session, Step};
use crate::text::Lang;
use crate::tree::{DecisionTree, FlowError, InputKind, Source};
use serde::{Deserialize, Serialize};

/// Everything a page gives the widget to open a session.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    /// The tree.
    pub tree: DecisionTree,
    /// The categories file.
    #[serde(default)]
    pub categories: Categories,
    /// The definitions file.
    #[serde(default)]
    pub definitions: Definitions,
    /// The label map, for a profile at the conclusion.
    #[serde(default)]
    pub label_map: Option<LabelMap>,
    /// `nl` or `en` (anything else reads as `nl`).
    #[serde(default)]
    pub lang: Option<String>,
}

impl Bundle {
    /// The language of the bundle.
    pub fn language(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }

    /// The engine of the bundle's tree and companion files.
    pub fn engine(&self) -> Engine {
        Engine::new(
            self.tree.clone(),
            &self.categories,
            self.definitions.clone(),
        )
    }
}

/// A source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceView {
    /// The citation (plain text).
    pub source: String,
    /// The link, when it is safe.
    pub url: Option<String>,
}

/// A defined term found in the question text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermView {
    /// The term as defined.
    pub term: String,
    /// Its definition (plain text).
    pub definition: String,
    /// UTF-16 offset in `question` of the first character.
    pub start: usize,
    /// UTF-16 offset in `question` after the last character.
    pub end: usize,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerView {
    /// Its index.
    pub index: usize,
    /// The text (HTML).
    pub answer: String,
    /// Its explanation (HTML).
    pub explanation: Option<String>,
    /// For numeric questions: the values that select it, e.g. `(1e23, 1e25]`.
    pub range: Option<String>,
}

/// A numeric question's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputView {
    /// `compute` (the estimator applies) or `number`.
    pub kind: &'static str,
    /// The unit.
    pub unit: Option<String>,
}

/// The current question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionView {
    /// Index in the tree.
    pub index: usize,
    /// Its id.
    pub question_id: String,
    /// Its `questionType`, as written.
    pub question_type: Option<String>,
    /// The question (HTML).
    pub question: String,
    /// Explanation (HTML).
    pub explanation: Option<String>,
    /// Description (HTML).
    pub description: Option<String>,
    /// Category (progress step).
    pub category: Option<String>,
    /// Subcategory (label group).
    pub subcategory: Option<String>,
    /// Sources.
    pub sources: Vec<SourceView>,
    /// Present for numeric questions.
    pub input: Option<InputView>,
    /// The answers.
    pub answers: Vec<AnswerView>,
    /// Defined terms in `question`.
    pub terms: Vec<TermView>,
}

/// The conclusion reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConclusionView {
    /// Index in the tree.
    pub index: usize,
    /// Its id.
    pub conclusion_id: String,
    /// The conclusion (HTML).
    pub conclusion: String,
    /// What it means for the user (HTML).
    pub obligation: String,
    /// Explanation (HTML).
    pub explanation: Option<String>,
    /// A remark (HTML).
    pub conclusion_comment: Option<String>,
    /// Sources.
    pub sources: Vec<SourceView>,
}

/// Where a category of the progress tracker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// Questions of it were answered and it is not current.
    Done,
    /// The current question belongs to it.
    Current,
    /// Not reached (yet).
    Todo,
    /// Not needed: the walk reached its conclusion without it.
    Skipped,
}

/// A category of the progress tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryView {
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub status: StepStatus,
}

/// One answer given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    /// Step number (0 = first answer), for jumping back.
    pub step: usize,
    /// The question's id.
    pub question_id: String,
    /// The question (HTML).
    pub question: String,
    /// Its category.
    pub category: Option<String>,
    /// Index of the answer.
    pub answer_index: usize,
    /// The answer (HTML).
    pub answer: String,
    /// The value entered, for numeric answers given as a value.
    pub value: Option<f64>,
    /// The value written out (`3,0 × 10^25 FLOP`).
    pub value_text: Option<String>,
    /// The estimator's formula, when the value was estimated.
    pub formula: Option<String>,
    /// Labels this answer added.
    pub labels: Vec<String>,
    /// The answer's subresult (HTML).
    pub subresult: Option<String>,
    /// The answer's comment (HTML).
    pub answer_comment: Option<String>,
}

/// A label group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupView {
    /// The subcategory.
    pub subcategory: Option<String>,
    /// Its labels.
    pub labels: Vec<String>,
    /// `decided`, `to-be-determined` or `not-applicable`.
    pub status: GroupStatus,
    /// "nader te bepalen" / "niet van toepassing" (or English) for a group
    /// without labels.
    pub text: Option<&'static str>,
}

/// The whole state of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateView {
    /// The tree's name.
    pub name: Option<String>,
    /// The tree's version.
    pub version: Option<String>,
    /// `nl` or `en`.
    pub lang: &'static str,
    /// `question` or `conclusion`.
    pub at: &'static str,
    /// The current question.
    pub question: Option<QuestionView>,
    /// The conclusion reached.
    pub conclusion: Option<ConclusionView>,
    /// The categories, in the order of their first question.
    pub progress: Vec<CategoryView>,
    /// The answers given.
    pub history: Vec<HistoryView>,
    /// The labels grouped by subcategory.
    pub groups: Vec<GroupView>,
    /// All labels, in the order collected.
    pub labels: Vec<String>,
    /// The profile, when a label map was given.
    pub profile: Option<Profile>,
    /// The answers as steps, for the URL.
    pub steps: Vec<Step>,
}

fn html(s: &str) -> String {
    sanitize_html(s)
}

fn opt_html(s: &Option<String>) -> Option<String> {
    s.as_deref().map(html)
}

fn sources(list: &[Source]) -> Vec<SourceView> {
    list.iter()
        .map(|s| SourceView {
            source: s.source.clone(),
            url: s.url.as_deref().and_then(safe_url),
        })
        .collect()
}

/// Byte offset in `s` → UTF-16 offset.
pub fn utf16_offset(s: &str, byte: usize) -> usize {
    let mut b = byte.min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    s[..b].encode_utf16().count()
}

/// The value of a numeric answer, written out with the question's unit.
pub fn value_text(value: f64, unit: Option<&str>, lang: Lang) -> String {
    let n = format_number_precise(value, lang);
    match unit {
        Some(u) if !u.is_empty() => format!("{n} {u}"),
        _ => n,
    }
}

fn question_view(engine: &Engine, qi: usize) -> Option<QuestionView> {
    let q = engine.tree().questions.get(qi)?;
    let question = html(&q.question);
    let defs = engine.definitions();
    let terms = find_terms(&question, defs)
        .into_iter()
        .filter_map(|m| {
            let d = defs.definitions.get(m.definition)?;
            Some(TermView {
                term: d.term.clone(),
                definition: d.definition.clone(),
                start: utf16_offset(&question, m.start),
                end: utf16_offset(&question, m.end),
            })
        })
        .collect();
    Some(QuestionView {
        index: qi,
        question_id: q.question_id.clone(),
        question_type: q.question_type.clone(),
        question,
        explanation: opt_html(&q.explanation),
        description: opt_html(&q.description),
        category: engine.category(qi).map(str::to_string),
        subcategory: engine.subcategory(qi).map(str::to_string),
        sources: sources(&q.sources),
        input: q.input_kind().map(|k| InputView {
            kind: match k {
                InputKind::Compute => "compute",
                InputKind::Number => "number",
            },
            unit: q.unit().map(str::to_string),
        }),
        answers: q
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| AnswerView {
                index: i,
                answer: html(&a.answer),
                explanation: opt_html(&a.explanation),
                range: a.range.map(|r| r.to_string()),
            })
            .collect(),
        terms,
    })
}

/// The state of `session` for a user interface in `lang`; with a label
/// map, the profile of its labels.
pub fn state(session: &Session, lang: Lang, label_map: Option<&LabelMap>) -> StateView {
    let engine = session.engine();
    let tree = engine.tree();
    let history: Vec<HistoryView> = session
        .frames()
        .iter()
        .enumerate()
        .filter_map(|(step, f)| {
            let q = tree.questions.get(f.question)?;
            let a = q.answers.get(f.answer)?;
            Some(HistoryView {
                step,
                question_id: q.question_id.clone(),
                question: html(&q.question),
                category: engine.category(f.question).map(str::to_string),
                answer_index: f.answer,
                answer: html(&a.answer),
                value: f.value,
                value_text: f.value.map(|v| value_text(v, q.unit(), lang)),
                formula: f.formula.as_ref().map(|t| t.get(lang).to_string()),
                labels: f.added.clone(),
                subresult: opt_html(&a.subresult),
                answer_comment: opt_html(&a.answer_comment),
            })
        })
        .collect();
    let current_q = match session.current() {
        Some(Current::Question(i, _)) => Some(i),
        _ => None,
    };
    let current_category = current_q.and_then(|i| engine.category(i));
    let answered: Vec<&str> = session
        .frames()
        .iter()
        .filter_map(|f| engine.category(f.question))
        .collect();
    let progress = engine
        .categories()
        .iter()
        .map(|c| CategoryView {
            name: c.clone(),
            status: if Some(c.as_str()) == current_category {
                StepStatus::Current
            } else if answered.contains(&c.as_str()) {
                StepStatus::Done
            } else if session.is_finished() {
                StepStatus::Skipped
            } else {
                StepStatus::Todo
            },
        })
        .collect();
    let groups = session.groups();
    let profile = label_map.map(|m| profile::profile(&groups, m));
    let (at, question, conclusion) = match session.current() {
        Some(Current::Conclusion(ci, c)) => (
            "conclusion",
            None,
            Some(ConclusionView {
                index: ci,
                conclusion_id: c.conclusion_id.clone(),
                conclusion: html(&c.conclusion),
                obligation: html(&c.obligation),
                explanation: opt_html(&c.explanation),
                conclusion_comment: opt_html(&c.conclusion_comment),
                sources: sources(&c.sources),
            }),
        ),
        Some(Current::Question(qi, _)) => ("question", question_view(engine, qi), None),
        None => ("question", None, None),
    };
    StateView {
        name: tree.name.clone(),
        version: tree.version.clone(),
        lang: lang.code(),
        at,
        question,
        conclusion,
        progress,
        history,
        groups: groups
            .into_iter()
            .map(|g| GroupView {
                text: g.status.text(lang),
                subcategory: g.subcategory,
                labels: g.labels,
                status: g.status,
            })
            .collect(),
        labels: session.labels().map(str::to_string).collect(),
        profile,
        steps: session.steps(),
    }
}

/// An error for a user interface: a stable kind, the message in the
/// session's language and in both, and the form field or restore step it
/// is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorView {
    /// Stable kind, e.g. `no-such-answer`, `not-positive`.
    pub kind: &'static str,
    /// The message in the chosen language.
    pub message: String,
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
    /// The estimator field it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// The restore step it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

impl ErrorView {
    /// An error of the caller's own (`kind`, Dutch, English).
    pub fn new(kind: &'static str, nl: &str, en: &str, lang: Lang) -> ErrorView {
        ErrorView {
            kind,
            message: if lang == Lang::Nl { nl } else { en }.into(),
            nl: nl.into(),
            en: en.into(),
            field: None,
            step: None,
        }
    }

    /// A compute error.
    pub fn compute(e: &ComputeError, field: Option<&'static str>, lang: Lang) -> ErrorView {
        ErrorView {
            kind: compute_kind(e),
            message: e.message(lang),
            nl: e.message(Lang::Nl),
            en: e.message(Lang::En),
            field,
            step: None,
        }
    }

    /// A session error.
    pub fn flow(e: &FlowError, lang: Lang) -> ErrorView {
        if let FlowError::InvalidValue { error } = e {
            return ErrorView::compute(error, Some("value"), lang);
        }
        let kind = match e {
            FlowError::NoQuestions => "no-questions",
            FlowError::Finished => "finished",
            FlowError::NoSuchAnswer { .. } => "no-such-answer",
            FlowError::NotNumeric { .. } => "not-numeric",
            FlowError::NoMatchingRange { .. } => "no-matching-range",
            FlowError::NothingToUndo => "nothing-to-undo",
            FlowError::NoSuchStep { .. } => "no-such-step",
            _ => "tree",
        };
        ErrorView {
            kind,
            message: e.message(lang),
            nl: e.message(Lang::Nl),
            en: e.message(Lang::En),
            field: None,
            step: None,
        }
    }
}

fn compute_kind(e: &ComputeError) -> &'static str {
    match e {
        ComputeError::Empty => "empty",
        ComputeError::Negative => "negative",
        ComputeError::NotFinite => "not-finite",
        ComputeError::Overflow => "overflow",
        ComputeError::UnexpectedCharacter { .. } => "unexpected-character",
        ComputeError::MissingDigits { .. } => "missing-digits",
        ComputeError::UnsupportedBase => "unsupported-base",
        ComputeError::ThousandsSeparator => "thousands-separator",
        ComputeError::AmbiguousSeparator => "ambiguous-separator",
        ComputeError::MixedSeparators => "mixed-separators",
        ComputeError::NotPositive { .. } => "not-positive",
        ComputeError::UtilisationOutOfRange => "utilisation-out-of-range",
    }
}

/// An estimate for the estimator form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EstimateView {
    /// `direct`, `parameters` or `accelerators`.
    pub method: String,
    /// The value in FLOP.
    pub flop: f64,
    /// The value written out precisely (`6,3 × 10^23 FLOP`).
    pub value: String,
    /// The value rounded (`6 × 10^23 FLOP`).
    pub short: String,
    /// The formula with the figures filled in.
    pub formula: String,
    /// The answer of the current question this value selects.
    pub answer: Option<usize>,
    /// That answer's text (HTML).
    pub answer_text: Option<String>,
}

/// Evaluates an estimator request; with a session at a compute question,
/// also says which answer the value selects.
pub fn estimate(
    request: &EstimateRequest,
    session: Option<&Session>,
    lang: Lang,
) -> Result<EstimateView, FieldError> {
    let e = request.evaluate()?;
    let answer = session.and_then(|s| s.answer_for_value(e.flop).ok());
    let answer_text = match (answer, session.and_then(Session::current)) {
        (Some(a), Some(Current::Question(_, q))) => q.answers.get(a).map(|x| html(&x.answer)),
        _ => None,
    };
    let method = match request.method.as_str() {
        "parameters" | "accelerators" => request.method.clone(),
        _ => "direct".into(),
    };
    Ok(EstimateView {
        method,
        flop: e.flop,
        value: format!("{} FLOP", format_number_precise(e.flop, lang)),
        short: format!("{} FLOP", format_number(e.flop, lang)),
        formula: e.formula.get(lang).to_string(),
        answer,
        answer_text,
    })
}

/// A session as a user interface drives it: the walk, its language and
/// label map, and every step answered with a [`StateView`] or an
/// [`ErrorView`]. The browser module keeps one per open widget.
#[derive(Debug, Clone)]
pub struct Widget {
    session: Session,
    lang: Lang,
    label_map: Option<LabelMap>,
}

impl Widget {
    /// Opens a bundle; `None` when its tree has no questions.
    pub fn open(bundle: Bundle) -> Option<Widget> {
        let lang = bundle.language();
        let session = Session::new(bundle.engine()).ok()?;
        Some(Widget {
            session,
            lang,
            label_map: bundle.label_map,
        })
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The state.
    pub fn state(&self) -> StateView {
        state(&self.session, self.lang, self.label_map.as_ref())
    }

    fn flow<T>(&self, r: Result<T, FlowError>) -> Result<(), ErrorView> {
        r.map(drop).map_err(|e| ErrorView::flow(&e, self.lang))
    }

    /// Chooses an answer.
    pub fn answer(&mut self, index: usize) -> Result<(), ErrorView> {
        let r = self.session.answer(index);
        self.flow(r)
    }

    /// Answers a numeric question: a compute question with the estimator's
    /// input, any other with `request.value` as typed.
    pub fn answer_input(&mut self, request: &EstimateRequest) -> Result<(), ErrorView> {
        let r = if self.session.input_kind() == Some(InputKind::Compute) {
            let field = |e: FieldError| ErrorView::compute(&e.error, Some(e.field), self.lang);
            // Evaluated first for the field an error is about.
            request.evaluate().map_err(field)?;
            self.session
                .answer_estimate(&request.input().map_err(field)?)
        } else {
            self.session.answer_text(&request.value)
        };
        self.flow(r)
    }

    /// Undoes the last answer.
    pub fn back(&mut self) -> Result<(), ErrorView> {
        let r = self.session.back();
        self.flow(r)
    }

    /// Goes back to answer `step`.
    pub fn jump(&mut self, step: usize) -> Result<(), ErrorView> {
        let r = self.session.jump(step);
        self.flow(r)
    }

    /// Back to the first question.
    pub fn restart(&mut self) {
        self.session.restart();
    }

    /// Replaces the answers by `steps`; the error names the first step that
    /// does not fit (the ones before it are applied).
    pub fn restore(&mut self, steps: &[Step]) -> Result<(), ErrorView> {
        let engine = self.session.engine().clone();
        let (session, err) =
            Session::restore(engine, steps).map_err(|e| ErrorView::flow(&e, self.lang))?;
        self.session = session;
        match err {
            None => Ok(()),
            Some(e) => Err(ErrorView {
                step: Some(e.step),
                ..ErrorView::flow(&e.error, self.lang)
            }),
        }
    }

    /// The estimator for the current question.
    pub fn estimate(&self, request: &EstimateRequest) -> Result<EstimateView, ErrorView> {
        estimate(request, Some(&self.session), self.lang)
            .map_err(|e| ErrorView::compute(&e.error, Some(e.field), self.lang))
    }
}

/// Which pages apply to a profile, as the browser's filtered overview asks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicableRequest {
    /// The profile.
    pub profile: Profile,
    /// The pages.
    pub pages: Vec<profile::Page>,
    /// Known taxonomy keys besides those of the profile and the pages.
    pub taxonomies: Vec<String>,
}

impl ApplicableRequest {
    /// The answer per page; taxonomy names in exceptions are read against
    /// every taxonomy the request mentions.
    pub fn run(&self) -> Vec<profile::Applicability> {
        let mut tax: Vec<&str> = self
            .taxonomies
            .iter()
            .chain(self.profile.terms.keys())
            .chain(self.pages.iter().flat_map(|p| p.terms.keys()))
            .map(String::as_str)
            .collect();
        tax.sort_unstable();
        tax.dedup();
        profile::applicable(&self.profile, &self.pages, &tax)
    }
}
