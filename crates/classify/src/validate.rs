//! Static checks on a [`DecisionTree`], for the CLI to run at build time.
//!
//! [`validate`] returns a list of [`Problem`]s, each with a stable
//! [`ProblemKind`], a message, a hint and a [`path`](Problem::path) into the
//! document (`questions`, 3, `answers`, 1, `redirects`, 0, `if`) that the
//! CLI can map to a YAML line and column.
//!
//! HTML in texts is not a problem: it is sanitized when rendered (see
//! [`sanitize_html`](crate::sanitize::sanitize_html)).

use crate::expr::{self, Expr};
use crate::tree::{bound, DecisionTree, InputKind, Range};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

/// The kind of a problem. Serialized in kebab-case (`dangling-id`); the
/// names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Two questions (or two conclusions) share an id.
    DuplicateId,
    /// A `nextQuestionId` / `nextConclusionId` that does not exist.
    DanglingId,
    /// A question or conclusion that cannot be reached from the first question.
    Unreachable,
    /// Questions that lead back to themselves.
    Cycle,
    /// An `if` that does not parse.
    BadExpression,
    /// Label combinations for which no redirect of an answer matches.
    FallThrough,
    /// A label used in a condition that no answer or conclusion produces.
    UnknownLabel,
    /// An answer or redirect with none or several of `nextQuestionId`,
    /// `nextConclusionId`, `redirects`.
    AmbiguousTarget,
    /// Values of a numeric question that select no answer.
    RangeGap,
    /// Values of a numeric question that select more than one answer.
    RangeOverlap,
    /// A range that is empty, malformed, or on a non-numeric question; or a
    /// numeric question without any range.
    InvalidRange,
    /// A tree without questions or a question without answers.
    Empty,
}

impl ProblemKind {
    /// The stable kebab-case name, e.g. `dangling-id`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::DuplicateId => "duplicate-id",
            ProblemKind::DanglingId => "dangling-id",
            ProblemKind::Unreachable => "unreachable",
            ProblemKind::Cycle => "cycle",
            ProblemKind::BadExpression => "bad-expression",
            ProblemKind::FallThrough => "fall-through",
            ProblemKind::UnknownLabel => "unknown-label",
            ProblemKind::AmbiguousTarget => "ambiguous-target",
            ProblemKind::RangeGap => "range-gap",
            ProblemKind::RangeOverlap => "range-overlap",
            ProblemKind::InvalidRange => "invalid-range",
            ProblemKind::Empty => "empty",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a path into the document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// A sequence index.
    Index(usize),
    /// A mapping key.
    Key(String),
}

impl From<&str> for PathSegment {
    fn from(s: &str) -> Self {
        PathSegment::Key(s.to_string())
    }
}

impl From<usize> for PathSegment {
    fn from(i: usize) -> Self {
        PathSegment::Index(i)
    }
}

/// Formats a path as `questions[3].answers[1].redirects[0].if`.
pub fn format_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSegment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            PathSegment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    out
}

/// A problem found by [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Where in the document.
    pub path: Vec<PathSegment>,
}

impl Problem {
    /// The path as text, e.g. `questions[3].answers[1].nextQuestionId`.
    pub fn path_string(&self) -> String {
        format_path(&self.path)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}] (hint: {})",
            self.path_string(),
            self.message,
            self.kind,
            self.hint
        )
    }
}

macro_rules! path {
    ($($seg:expr),* $(,)?) => {
        vec![$(PathSegment::from($seg)),*]
    };
}

/// Number of labels the fall-through analysis distinguishes at once.
const MAX_TRACKED_LABELS: usize = 16;
/// Upper bound on (question, label set) states explored per analysis.
const MAX_STATES: usize = 50_000;
/// Combinations listed in one fall-through message.
const MAX_LISTED_COMBINATIONS: usize = 8;

fn problem(
    kind: ProblemKind,
    message: String,
    hint: impl Into<String>,
    path: Vec<PathSegment>,
) -> Problem {
    Problem {
        kind,
        message,
        hint: hint.into(),
        path,
    }
}

/// Edit distance (Levenshtein) between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `target` by edit distance (first one on ties).
pub fn nearest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const MAX_LEN: usize = 200;
    let target: String = target.chars().take(MAX_LEN).collect();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let short: String = c.chars().take(MAX_LEN).collect();
        let d = edit_distance(&target, &short);
        let better = match best {
            None => true,
            Some((b, _)) => d < b,
        };
        if better {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// An edge between questions, with the path of the id field that makes it.
#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    path: Vec<PathSegment>,
}

struct Index<'a> {
    questions: HashMap<&'a str, usize>,
    conclusions: HashMap<&'a str, usize>,
}

/// Checks a decision tree. See [`ProblemKind`] for what is checked. Never
/// panics; the analysis of fall-throughs is bounded (it distinguishes at most
/// 16 labels at a time and explores at most 50 000 states).
pub fn validate(tree: &DecisionTree) -> Vec<Problem> {
    let mut problems = Vec::new();
    if tree.questions.is_empty() {
        problems.push(problem(
            ProblemKind::Empty,
            "the tree has no questions".into(),
            "add at least one question; the first question is where the walk starts",
            path!["questions"],
        ));
    }

    let index = check_ids(tree, &mut problems);
    let parsed = check_answers(tree, &index, &mut problems);
    check_labels(tree, &parsed, &mut problems);
    check_ranges(tree, &mut problems);

    if tree.questions.is_empty() {
        return problems;
    }
    let edges = question_edges(tree, &index);
    check_reachability(tree, &index, &edges, &mut problems);
    check_cycles(tree, &edges, &mut problems);
    check_fall_through(tree, &index, &parsed, &mut problems);
    problems
}

fn check_ids<'a>(tree: &'a DecisionTree, problems: &mut Vec<Problem>) -> Index<'a> {
    let mut questions: HashMap<&str, usize> = HashMap::new();
    for (i, q) in tree.questions.iter().enumerate() {
        if let Some(first) = questions.get(q.question_id.as_str()) {
            problems.push(problem(
                ProblemKind::DuplicateId,
                format!(
                    "duplicate questionId \"{}\" (first used at questions[{first}])",
                    q.question_id
                ),
                "give every question a unique questionId",
                path!["questions", i, "questionId"],
            ));
        } else {
            questions.insert(&q.question_id, i);
        }
    }
    let mut conclusions: HashMap<&str, usize> = HashMap::new();
    for (i, c) in tree.conclusions.iter().enumerate() {
        if let Some(first) = conclusions.get(c.conclusion_id.as_str()) {
            problems.push(problem(
                ProblemKind::DuplicateId,
                format!(
                    "duplicate conclusionId \"{}\" (first used at conclusions[{first}])",
                    c.conclusion_id
                ),
                "give every conclusion a unique conclusionId",
                path!["conclusions", i, "conclusionId"],
            ));
        } else {
            conclusions.insert(&c.conclusion_id, i);
        }
    }
    Index {
        questions,
        conclusions,
    }
}

/// Parsed conditions: `parsed[q][a]` is `Some(conditions)` for answers with
/// redirects, each `None` when it does not parse.
type Parsed = Vec<Vec<Option<Vec<Option<Expr>>>>>;

fn dangling_question(
    id: &str,
    tree: &DecisionTree,
    index: &Index,
    path: Vec<PathSegment>,
) -> Problem {
    let hint = if index.conclusions.contains_key(id) {
        format!("\"{id}\" is a conclusion; use nextConclusionId instead")
    } else {
        match nearest(id, tree.questions.iter().map(|q| q.question_id.as_str())) {
            Some(n) => format!("did you mean \"{n}\"?"),
            None => "add a question with this questionId".into(),
        }
    };
    problem(
        ProblemKind::DanglingId,
        format!("nextQuestionId \"{id}\" does not match any questionId"),
        hint,
        path,
    )
}

fn dangling_conclusion(
    id: &str,
    tree: &DecisionTree,
    index: &Index,
    path: Vec<PathSegment>,
) -> Problem {
    let hint = if index.questions.contains_key(id) {
        format!("\"{id}\" is a question; use nextQuestionId instead")
    } else {
        match nearest(
            id,
            tree.conclusions.iter().map(|c| c.conclusion_id.as_str()),
        ) {
            Some(n) => format!("did you mean \"{n}\"?"),
            None => "add a conclusion with this conclusionId".into(),
        }
    };
    problem(
        ProblemKind::DanglingId,
        format!("nextConclusionId \"{id}\" does not match any conclusionId"),
        hint,
        path,
    )
}

fn check_answers(tree: &DecisionTree, index: &Index, problems: &mut Vec<Problem>) -> Parsed {
    let mut parsed: Parsed = Vec::with_capacity(tree.questions.len());
    for (qi, q) in tree.questions.iter().enumerate() {
        if q.answers.is_empty() {
            problems.push(problem(
                ProblemKind::Empty,
                format!("question \"{}\" has no answers", q.question_id),
                "add answers, each with a nextQuestionId, nextConclusionId or redirects",
                path!["questions", qi, "answers"],
            ));
        }
        let mut per_answer = Vec::with_capacity(q.answers.len());
        for (ai, a) in q.answers.iter().enumerate() {
            let base = path!["questions", qi, "answers", ai];
            let mut fields = Vec::new();
            if a.next_question_id.is_some() {
                fields.push("nextQuestionId");
            }
            if a.next_conclusion_id.is_some() {
                fields.push("nextConclusionId");
            }
            if a.redirects.is_some() {
                fields.push("redirects");
            }
            const ANSWER_HINT: &str =
                "set exactly one of nextQuestionId, nextConclusionId or redirects";
            if fields.is_empty() {
                problems.push(problem(
                    ProblemKind::AmbiguousTarget,
                    format!("answer \"{}\" has no target", a.answer),
                    ANSWER_HINT,
                    base.clone(),
                ));
            } else if fields.len() > 1 {
                problems.push(problem(
                    ProblemKind::AmbiguousTarget,
                    format!(
                        "answer \"{}\" has several targets ({})",
                        a.answer,
                        fields.join(", ")
                    ),
                    ANSWER_HINT,
                    base.clone(),
                ));
            } else if a.redirects.as_ref().is_some_and(Vec::is_empty) {
                let mut p = base.clone();
                p.push("redirects".into());
                problems.push(problem(
                    ProblemKind::AmbiguousTarget,
                    format!("answer \"{}\" has an empty redirects list", a.answer),
                    ANSWER_HINT,
                    p,
                ));
            }
            if let Some(id) = &a.next_question_id {
                if !index.questions.contains_key(id.as_str()) {
                    let mut p = base.clone();
                    p.push("nextQuestionId".into());
                    problems.push(dangling_question(id, tree, index, p));
                }
            }
            if let Some(id) = &a.next_conclusion_id {
                if !index.conclusions.contains_key(id.as_str()) {
                    let mut p = base.clone();
                    p.push("nextConclusionId".into());
                    problems.push(dangling_conclusion(id, tree, index, p));
                }
            }
            let conditions = a.redirects.as_ref().map(|redirects| {
                let mut conditions = Vec::with_capacity(redirects.len());
                for (ri, r) in redirects.iter().enumerate() {
                    let mut rp = base.clone();
                    rp.extend(path!["redirects", ri]);
                    let n = usize::from(r.next_question_id.is_some())
                        + usize::from(r.next_conclusion_id.is_some());
                    const REDIRECT_HINT: &str = "set exactly one of nextQuestionId or nextConclusionId";
                    if n == 0 {
                        problems.push(problem(
                            ProblemKind::AmbiguousTarget,
                            "redirect has no target".into(),
                            REDIRECT_HINT,
                            rp.clone(),
                        ));
                    } else if n > 1 {
                        problems.push(problem(
                            ProblemKind::AmbiguousTarget,
                            "redirect has several targets (nextQuestionId, nextConclusionId)".into(),
                            REDIRECT_HINT,
                            rp.clone(),
                        ));
                    }
                    if let Some(id) = &r.next_question_id {
                        if !index.questions.contains_key(id.as_str()) {
                            let mut p = rp.clone();
                            p.push("nextQuestionId".into());
                            problems.push(dangling_question(id, tree, index, p));
                        }
                    }
                    if let Some(id) = &r.next_conclusion_id {
                        if !index.conclusions.contains_key(id.as_str()) {
                            let mut p = rp.clone();
                            p.push("nextConclusionId".into());
                            problems.push(dangling_conclusion(id, tree, index, p));
                        }
                    }
                    match expr::parse(&r.condition) {
                        Ok(e) => conditions.push(Some(e)),
                        Err(err) => {
                            let mut p = rp;
                            p.push("if".into());
                            problems.push(problem(
                                ProblemKind::BadExpression,
                                format!("condition cannot be parsed: {err}"),
                                "write conditions like '\"aanbieder\" in labels && !(\"open-source\" in labels)', or 'true'",
                                p,
                            ));
                            conditions.push(None);
                        }
                    }
                }
                conditions
            });
            per_answer.push(conditions);
        }
        parsed.push(per_answer);
    }
    parsed
}

fn check_labels(tree: &DecisionTree, parsed: &Parsed, problems: &mut Vec<Problem>) {
    let produced = tree.produced_labels();
    for (qi, per_answer) in parsed.iter().enumerate() {
        for (ai, conditions) in per_answer.iter().enumerate() {
            let Some(conditions) = conditions else {
                continue;
            };
            for (ri, e) in conditions.iter().enumerate() {
                let Some(e) = e else { continue };
                for label in e.labels() {
                    if produced.binary_search(&label).is_ok() {
                        continue;
                    }
                    let hint = match nearest(label, produced.iter().copied()) {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => "add the label to an answer's labels, or fix the condition".into(),
                    };
                    problems.push(problem(
                        ProblemKind::UnknownLabel,
                        format!("label \"{label}\" is used in a condition but no answer or conclusion produces it"),
                        hint,
                        path!["questions", qi, "answers", ai, "redirects", ri, "if"],
                    ));
                }
            }
        }
    }
}

/// An interval with open/closed ends; infinite ends are open.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    lo: f64,
    lo_incl: bool,
    hi: f64,
    hi_incl: bool,
}

impl Interval {
    fn is_empty(&self) -> bool {
        self.lo > self.hi || (self.lo == self.hi && !(self.lo_incl && self.hi_incl))
    }

    fn intersect(&self, other: &Interval) -> Interval {
        let (lo, lo_incl) = if self.lo > other.lo {
            (self.lo, self.lo_incl)
        } else if other.lo > self.lo {
            (other.lo, other.lo_incl)
        } else {
            (self.lo, self.lo_incl && other.lo_incl)
        };
        let (hi, hi_incl) = if self.hi < other.hi {
            (self.hi, self.hi_incl)
        } else if other.hi < self.hi {
            (other.hi, other.hi_incl)
        } else {
            (self.hi, self.hi_incl && other.hi_incl)
        };
        Interval {
            lo,
            lo_incl,
            hi,
            hi_incl,
        }
    }

    fn describe(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.lo_incl { '[' } else { '(' },
            bound(self.lo),
            bound(self.hi),
            if self.hi_incl { ']' } else { ')' }
        )
    }
}

fn interval_of(r: &Range) -> Interval {
    let (lo, lo_incl) = match (r.gt, r.ge) {
        (Some(g), Some(e)) if e > g => (e, true),
        (Some(g), _) => (g, false),
        (None, Some(e)) => (e, true),
        (None, None) => (f64::NEG_INFINITY, false),
    };
    let (hi, hi_incl) = match (r.lt, r.le) {
        (Some(l), Some(e)) if e < l => (e, true),
        (Some(l), _) => (l, false),
        (None, Some(e)) => (e, true),
        (None, None) => (f64::INFINITY, false),
    };
    Interval {
        lo,
        lo_incl: lo_incl && lo.is_finite(),
        hi,
        hi_incl: hi_incl && hi.is_finite(),
    }
}

fn check_ranges(tree: &DecisionTree, problems: &mut Vec<Problem>) {
    for (qi, q) in tree.questions.iter().enumerate() {
        let Some(input) = &q.input else {
            for (ai, a) in q.answers.iter().enumerate() {
                if a.range.is_some() {
                    problems.push(problem(
                        ProblemKind::InvalidRange,
                        format!("answer \"{}\" has a range but question \"{}\" is not numeric", a.answer, q.question_id),
                        "add input: { kind: compute } (or kind: number) to the question, or remove the range",
                        path!["questions", qi, "answers", ai, "range"],
                    ));
                }
            }
            continue;
        };
        let domain = match input.kind {
            InputKind::Compute => Interval {
                lo: 0.0,
                lo_incl: true,
                hi: f64::INFINITY,
                hi_incl: false,
            },
            InputKind::Number => Interval {
                lo: f64::NEG_INFINITY,
                lo_incl: false,
                hi: f64::INFINITY,
                hi_incl: false,
            },
        };
        let mut intervals: Vec<(usize, Interval)> = Vec::new();
        let mut any_range = false;
        for (ai, a) in q.answers.iter().enumerate() {
            let Some(r) = &a.range else { continue };
            any_range = true;
            let p = path!["questions", qi, "answers", ai, "range"];
            let bounds = [r.gt, r.ge, r.lt, r.le];
            if bounds.iter().flatten().any(|b| b.is_nan()) {
                problems.push(problem(
                    ProblemKind::InvalidRange,
                    format!(
                        "range of answer \"{}\" has a bound that is not a number",
                        a.answer
                    ),
                    "use numbers such as 1.0e25 for gt, ge, lt and le",
                    p,
                ));
                continue;
            }
            if r.gt.is_some() && r.ge.is_some() {
                problems.push(problem(
                    ProblemKind::InvalidRange,
                    format!("range of answer \"{}\" has both gt and ge", a.answer),
                    "use only one lower bound (gt or ge)",
                    p,
                ));
                continue;
            }
            if r.lt.is_some() && r.le.is_some() {
                problems.push(problem(
                    ProblemKind::InvalidRange,
                    format!("range of answer \"{}\" has both lt and le", a.answer),
                    "use only one upper bound (lt or le)",
                    p,
                ));
                continue;
            }
            let iv = interval_of(r);
            if iv.is_empty() || iv.intersect(&domain).is_empty() {
                problems.push(problem(
                    ProblemKind::InvalidRange,
                    format!(
                        "range {} of answer \"{}\" contains no possible value",
                        iv.describe(),
                        a.answer
                    ),
                    "check the bounds: the lower bound must be below the upper bound",
                    p,
                ));
                continue;
            }
            intervals.push((ai, iv.intersect(&domain)));
        }
        if !any_range {
            problems.push(problem(
                ProblemKind::InvalidRange,
                format!(
                    "numeric question \"{}\" has no answer with a range",
                    q.question_id
                ),
                "give the answers a range (gt, ge, lt, le) so a value can select one",
                path!["questions", qi, "answers"],
            ));
            continue;
        }
        // Overlaps.
        for (x, (ai, a)) in intervals.iter().enumerate() {
            for (bi, b) in intervals.iter().skip(x + 1) {
                let both = a.intersect(b);
                if !both.is_empty() {
                    let name = |i: usize| q.answers.get(i).map_or("", |a| a.answer.as_str());
                    problems.push(problem(
                        ProblemKind::RangeOverlap,
                        format!(
                            "range of answer \"{}\" overlaps answer \"{}\" for values in {}",
                            name(*bi),
                            name(*ai),
                            both.describe()
                        ),
                        "make the ranges disjoint (use gt on one side and le on the other); only the first matching answer is ever chosen",
                        path!["questions", qi, "answers", *bi, "range"],
                    ));
                }
            }
        }
        // Gaps.
        let mut sorted: Vec<Interval> = intervals.iter().map(|(_, iv)| *iv).collect();
        sorted.sort_by(|a, b| {
            a.lo.total_cmp(&b.lo)
                .then_with(|| b.lo_incl.cmp(&a.lo_incl))
        });
        // Frontier: the smallest value not yet known to be covered; with
        // `f_incl` the value `f` itself is uncovered.
        let (mut f, mut f_incl) = (domain.lo, domain.lo_incl);
        let mut gaps: Vec<Interval> = Vec::new();
        for iv in &sorted {
            let gap = Interval {
                lo: f,
                lo_incl: f_incl,
                hi: iv.lo,
                hi_incl: !iv.lo_incl && iv.lo.is_finite(),
            };
            if !gap.is_empty() {
                gaps.push(gap);
            }
            // Advance the frontier past this interval.
            let (nf, nf_incl) = (iv.hi, !iv.hi_incl);
            if nf > f || (nf == f && f_incl && !nf_incl) {
                f = nf;
                f_incl = nf_incl;
            }
        }
        let tail = Interval {
            lo: f,
            lo_incl: f_incl && f.is_finite(),
            hi: domain.hi,
            hi_incl: domain.hi_incl,
        };
        if f.is_finite() && !tail.is_empty() {
            gaps.push(tail);
        }
        for gap in gaps {
            problems.push(problem(
                ProblemKind::RangeGap,
                format!(
                    "no answer of numeric question \"{}\" covers values in {}",
                    q.question_id,
                    gap.describe()
                ),
                "adjust gt/ge/lt/le so that every possible value selects an answer",
                path!["questions", qi, "answers"],
            ));
        }
    }
}

fn question_edges(tree: &DecisionTree, index: &Index) -> Vec<Vec<Edge>> {
    let mut edges = Vec::with_capacity(tree.questions.len());
    for (qi, q) in tree.questions.iter().enumerate() {
        let mut out = Vec::new();
        for (ai, a) in q.answers.iter().enumerate() {
            if let Some(to) = a
                .next_question_id
                .as_deref()
                .and_then(|id| index.questions.get(id))
            {
                out.push(Edge {
                    to: *to,
                    path: path!["questions", qi, "answers", ai, "nextQuestionId"],
                });
            }
            for (ri, r) in a.redirects.iter().flatten().enumerate() {
                if let Some(to) = r
                    .next_question_id
                    .as_deref()
                    .and_then(|id| index.questions.get(id))
                {
                    out.push(Edge {
                        to: *to,
                        path: path![
                            "questions",
                            qi,
                            "answers",
                            ai,
                            "redirects",
                            ri,
                            "nextQuestionId"
                        ],
                    });
                }
            }
        }
        edges.push(out);
    }
    edges
}

fn conclusion_targets(tree: &DecisionTree, qi: usize) -> impl Iterator<Item = &str> {
    tree.questions.get(qi).into_iter().flat_map(|q| {
        q.answers.iter().flat_map(|a| {
            a.next_conclusion_id.as_deref().into_iter().chain(
                a.redirects
                    .iter()
                    .flatten()
                    .filter_map(|r| r.next_conclusion_id.as_deref()),
            )
        })
    })
}

fn check_reachability(
    tree: &DecisionTree,
    index: &Index,
    edges: &[Vec<Edge>],
    problems: &mut Vec<Problem>,
) {
    let n = tree.questions.len();
    let mut seen = vec![false; n];
    let mut seen_conclusions = vec![false; tree.conclusions.len()];
    let mut queue = VecDeque::from([0usize]);
    if let Some(s) = seen.first_mut() {
        *s = true;
    }
    while let Some(u) = queue.pop_front() {
        for e in edges.get(u).into_iter().flatten() {
            if let Some(s) = seen.get_mut(e.to) {
                if !*s {
                    *s = true;
                    queue.push_back(e.to);
                }
            }
        }
        for id in conclusion_targets(tree, u) {
            if let Some(ci) = index.conclusions.get(id) {
                if let Some(s) = seen_conclusions.get_mut(*ci) {
                    *s = true;
                }
            }
        }
    }
    let first = tree
        .questions
        .first()
        .map_or("", |q| q.question_id.as_str());
    for (i, q) in tree.questions.iter().enumerate() {
        // Duplicates are reported as such, not as unreachable.
        let duplicate = index.questions.get(q.question_id.as_str()) != Some(&i);
        if !seen[i] && !duplicate {
            problems.push(problem(
                ProblemKind::Unreachable,
                format!(
                    "question \"{}\" cannot be reached from the first question \"{first}\"",
                    q.question_id
                ),
                "refer to it from an answer (nextQuestionId or a redirect), or remove it",
                path!["questions", i],
            ));
        }
    }
    for (i, c) in tree.conclusions.iter().enumerate() {
        let duplicate = index.conclusions.get(c.conclusion_id.as_str()) != Some(&i);
        if !seen_conclusions[i] && !duplicate {
            problems.push(problem(
                ProblemKind::Unreachable,
                format!(
                    "conclusion \"{}\" cannot be reached from the first question \"{first}\"",
                    c.conclusion_id
                ),
                "refer to it with nextConclusionId from an answer or redirect, or remove it",
                path!["conclusions", i],
            ));
        }
    }
}

/// Strongly connected components (iterative Tarjan), each sorted.
fn strongly_connected(edges: &[Vec<Edge>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root].is_some() {
            continue;
        }
        // (node, next edge to look at)
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = Some(next);
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if let Some(e) = edges[v].get(*ei) {
                *ei += 1;
                let w = e.to;
                match index[w] {
                    None => {
                        index[w] = Some(next);
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        call.push((w, 0));
                    }
                    Some(iw) if on_stack[w] => {
                        low[v] = low[v].min(iw);
                    }
                    Some(_) => {}
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if Some(low[v]) == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comp.sort_unstable();
                    out.push(comp);
                }
            }
        }
    }
    out.sort();
    out
}

fn check_cycles(tree: &DecisionTree, edges: &[Vec<Edge>], problems: &mut Vec<Problem>) {
    for comp in strongly_connected(edges) {
        let Some(&start) = comp.first() else { continue };
        let in_comp: HashSet<usize> = comp.iter().copied().collect();
        let self_loop = edges[start].iter().any(|e| e.to == start);
        if comp.len() < 2 && !self_loop {
            continue;
        }
        // Shortest cycle through `start`: BFS inside the component.
        let mut parent: HashMap<usize, (usize, usize)> = HashMap::new(); // node -> (prev, edge idx)
        let mut queue = VecDeque::from([start]);
        let mut closing: Option<(usize, usize)> = None;
        'bfs: while let Some(u) = queue.pop_front() {
            for (k, e) in edges[u].iter().enumerate() {
                if e.to == start {
                    closing = Some((u, k));
                    break 'bfs;
                }
                if in_comp.contains(&e.to) && e.to != start && !parent.contains_key(&e.to) {
                    parent.insert(e.to, (u, k));
                    queue.push_back(e.to);
                }
            }
        }
        let Some((last, k)) = closing else { continue };
        let mut nodes = vec![last];
        let mut cur = last;
        while cur != start {
            match parent.get(&cur) {
                Some(&(p, _)) => {
                    nodes.push(p);
                    cur = p;
                }
                None => break,
            }
        }
        nodes.reverse();
        nodes.push(start);
        let ids: Vec<String> = nodes
            .iter()
            .map(|&i| {
                format!(
                    "\"{}\"",
                    tree.questions.get(i).map_or("", |q| q.question_id.as_str())
                )
            })
            .collect();
        let path = edges[last]
            .get(k)
            .map(|e| e.path.clone())
            .unwrap_or_default();
        problems.push(problem(
            ProblemKind::Cycle,
            format!("questions form a cycle: {}", ids.join(" → ")),
            "a decision tree must not loop; point one of these answers to a later question or a conclusion",
            path,
        ));
    }
}

/// Reached label sets per question, over the `tracked` labels.
fn explore(
    tree: &DecisionTree,
    index: &Index,
    parsed: &Parsed,
    tracked: &[&str],
) -> Vec<BTreeSet<u32>> {
    let n = tree.questions.len();
    let mut reached: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    let bit = |label: &str| tracked.iter().position(|t| *t == label).map(|i| 1u32 << i);
    let mut queue: VecDeque<(usize, u32)> = VecDeque::new();
    let mut states = 1usize;
    if let Some(r) = reached.first_mut() {
        r.insert(0);
        queue.push_back((0, 0));
    }
    while let Some((qi, mask)) = queue.pop_front() {
        let Some(q) = tree.questions.get(qi) else {
            continue;
        };
        for (ai, a) in q.answers.iter().enumerate() {
            let m = a
                .labels
                .iter()
                .filter_map(|l| bit(l))
                .fold(mask, |acc, b| acc | b);
            let mut targets: Vec<usize> = Vec::new();
            if let Some(t) = a
                .next_question_id
                .as_deref()
                .and_then(|id| index.questions.get(id))
            {
                targets.push(*t);
            }
            if let (Some(redirects), Some(Some(conds))) =
                (&a.redirects, parsed.get(qi).and_then(|p| p.get(ai)))
            {
                for (r, cond) in redirects.iter().zip(conds) {
                    let target = r
                        .next_question_id
                        .as_deref()
                        .and_then(|id| index.questions.get(id));
                    let decided = cond.as_ref().and_then(|e| {
                        let known = e.labels().iter().all(|l| bit(l).is_some());
                        known.then(|| e.eval_with(&|l| bit(l).is_some_and(|b| m & b != 0)))
                    });
                    match decided {
                        Some(true) => {
                            if let Some(t) = target {
                                targets.push(*t);
                            }
                            break;
                        }
                        Some(false) => {}
                        // Unknown: this redirect may or may not be taken.
                        None => {
                            if let Some(t) = target {
                                targets.push(*t);
                            }
                        }
                    }
                }
            }
            for t in targets {
                if states >= MAX_STATES {
                    return reached;
                }
                if let Some(set) = reached.get_mut(t) {
                    if set.insert(m) {
                        states += 1;
                        queue.push_back((t, m));
                    }
                }
            }
        }
    }
    reached
}

fn check_fall_through(
    tree: &DecisionTree,
    index: &Index,
    parsed: &Parsed,
    problems: &mut Vec<Problem>,
) {
    // Labels referenced by any parseable condition.
    let mut all: BTreeSet<&str> = BTreeSet::new();
    for conds in parsed.iter().flatten().flatten() {
        for e in conds.iter().flatten() {
            all.extend(e.labels());
        }
    }
    let all: Vec<&str> = all.into_iter().collect();
    let global = if all.len() <= MAX_TRACKED_LABELS {
        Some(explore(tree, index, parsed, &all))
    } else {
        None
    };

    for (qi, q) in tree.questions.iter().enumerate() {
        for (ai, a) in q.answers.iter().enumerate() {
            let Some(Some(conds)) = parsed.get(qi).and_then(|p| p.get(ai)) else {
                continue;
            };
            if conds.is_empty() || conds.iter().any(Option::is_none) {
                continue;
            }
            let exprs: Vec<&Expr> = conds.iter().flatten().collect();
            let mut own: BTreeSet<&str> = BTreeSet::new();
            for e in &exprs {
                own.extend(e.labels());
            }
            let own: Vec<&str> = own.into_iter().collect();
            if own.len() > MAX_TRACKED_LABELS {
                continue;
            }
            let local;
            let (tracked, reached): (&[&str], &Vec<BTreeSet<u32>>) = match &global {
                Some(r) => (&all, r),
                None => {
                    local = explore(tree, index, parsed, &own);
                    (&own, &local)
                }
            };
            let bit = |label: &str| tracked.iter().position(|t| *t == label).map(|i| 1u32 << i);
            let answer_bits = a
                .labels
                .iter()
                .filter_map(|l| bit(l))
                .fold(0u32, |acc, b| acc | b);
            let mut missing: BTreeSet<Vec<(bool, &str)>> = BTreeSet::new();
            for &mask in reached.get(qi).into_iter().flatten() {
                let m = mask | answer_bits;
                let has = |l: &str| bit(l).is_some_and(|b| m & b != 0);
                if !exprs.iter().any(|e| e.eval_with(&has)) {
                    let combo: Vec<(bool, &str)> = own.iter().map(|l| (!has(l), *l)).collect();
                    missing.insert(combo);
                }
            }
            if missing.is_empty() {
                continue;
            }
            let render = |combo: &Vec<(bool, &str)>| {
                let parts: Vec<String> = combo
                    .iter()
                    .map(|(absent, l)| {
                        if *absent {
                            format!("not {l}")
                        } else {
                            (*l).to_string()
                        }
                    })
                    .collect();
                format!("[{}]", parts.join(", "))
            };
            let message = if own.is_empty() {
                "no redirect matches: every condition is false whatever the labels".to_string()
            } else {
                let listed: Vec<String> = missing
                    .iter()
                    .take(MAX_LISTED_COMBINATIONS)
                    .map(render)
                    .collect();
                let more = missing.len().saturating_sub(MAX_LISTED_COMBINATIONS);
                let mut list = listed.join(", ");
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
                if missing.len() == 1 {
                    format!("no redirect matches for the label combination {list}")
                } else {
                    format!("no redirect matches for the label combinations {list}")
                }
            };
            problems.push(problem(
                ProblemKind::FallThrough,
                message,
                "add a last redirect with if: 'true' as a fallback, or cover these combinations",
                path!["questions", qi, "answers", ai, "redirects"],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(yaml: &str) -> DecisionTree {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn kinds(problems: &[Problem]) -> Vec<ProblemKind> {
        problems.iter().map(|p| p.kind).collect()
    }

    const GOOD: &str = r#"
questions:
  - questionId: "1"
    question: "Rol?"
    answers:
      - answer: "Aanbieder"
        labels: [aanbieder]
        nextQuestionId: "2"
      - answer: "Anders"
        nextQuestionId: "2"
  - questionId: "2"
    question: "Open source?"
    answers:
      - answer: "Ja"
        labels: [open-source]
        redirects:
          - nextConclusionId: "c-a"
            if: '"aanbieder" in labels && !("open-source" in labels)'
          - nextConclusionId: "c-b"
            if: 'true'
      - answer: "Nee"
        nextConclusionId: "c-a"
conclusions:
  - conclusionId: "c-a"
    conclusion: "A"
    obligation: ""
  - conclusionId: "c-b"
    conclusion: "B"
    obligation: ""
"#;

    #[test]
    fn good_tree_has_no_problems() {
        assert_eq!(validate(&tree(GOOD)), vec![]);
    }

    #[test]
    fn empty_tree() {
        let p = validate(&DecisionTree::default());
        assert_eq!(kinds(&p), [ProblemKind::Empty]);
        assert_eq!(p[0].message, "the tree has no questions");
        assert_eq!(p[0].path, path!["questions"]);
    }

    #[test]
    fn question_without_answers() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers: []
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::Empty]);
        assert_eq!(p[0].message, "question \"1\" has no answers");
        assert_eq!(p[0].path_string(), "questions[0].answers");
    }

    #[test]
    fn duplicate_ids() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers: [{answer: "a", nextConclusionId: "c"}]
  - questionId: "1"
    question: "?"
    answers: [{answer: "a", nextConclusionId: "c"}]
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
  - {conclusionId: "c", conclusion: "y", obligation: ""}
"#,
        ));
        assert_eq!(
            kinds(&p),
            [ProblemKind::DuplicateId, ProblemKind::DuplicateId]
        );
        assert_eq!(
            p[0].message,
            "duplicate questionId \"1\" (first used at questions[0])"
        );
        assert_eq!(p[0].path, path!["questions", 1, "questionId"]);
        assert_eq!(
            p[1].message,
            "duplicate conclusionId \"c\" (first used at conclusions[0])"
        );
        assert_eq!(p[1].path_string(), "conclusions[1].conclusionId");
    }

    #[test]
    fn dangling_ids_with_nearest_hint() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1.0"
    question: "?"
    answers:
      - answer: "a"
        nextQuestionId: "1.2"
      - answer: "b"
        nextQuestionId: "c-eind"
      - answer: "c"
        redirects:
          - nextConclusionId: "c-einde"
            if: 'true'
  - questionId: "1.1"
    question: "?"
    answers: [{answer: "a", nextConclusionId: "c-eind"}]
conclusions:
  - {conclusionId: "c-eind", conclusion: "x", obligation: ""}
"#,
        ));
        let dangling: Vec<&Problem> = p
            .iter()
            .filter(|p| p.kind == ProblemKind::DanglingId)
            .collect();
        assert_eq!(dangling.len(), 3);
        assert_eq!(
            dangling[0].message,
            "nextQuestionId \"1.2\" does not match any questionId"
        );
        assert_eq!(dangling[0].hint, "did you mean \"1.0\"?");
        assert_eq!(
            dangling[0].path,
            path!["questions", 0, "answers", 0, "nextQuestionId"]
        );
        assert_eq!(
            dangling[1].hint,
            "\"c-eind\" is a conclusion; use nextConclusionId instead"
        );
        assert_eq!(
            dangling[2].message,
            "nextConclusionId \"c-einde\" does not match any conclusionId"
        );
        assert_eq!(dangling[2].hint, "did you mean \"c-eind\"?");
        assert_eq!(
            dangling[2].path_string(),
            "questions[0].answers[2].redirects[0].nextConclusionId"
        );
        // 1.1 is unreachable because the links to it are dangling.
        assert!(p
            .iter()
            .any(|p| p.kind == ProblemKind::Unreachable && p.path == path!["questions", 1]));
    }

    #[test]
    fn unreachable_question_and_conclusion() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers: [{answer: "a", nextConclusionId: "c1"}]
  - questionId: "2"
    question: "?"
    answers: [{answer: "a", nextConclusionId: "c2"}]
conclusions:
  - {conclusionId: "c1", conclusion: "x", obligation: ""}
  - {conclusionId: "c2", conclusion: "y", obligation: ""}
  - {conclusionId: "c3", conclusion: "z", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::Unreachable; 3]);
        assert_eq!(
            p[0].message,
            "question \"2\" cannot be reached from the first question \"1\""
        );
        assert_eq!(p[0].path, path!["questions", 1]);
        // c2 is only referenced from an unreachable question.
        assert_eq!(
            p[1].message,
            "conclusion \"c2\" cannot be reached from the first question \"1\""
        );
        assert_eq!(p[1].path, path!["conclusions", 1]);
        assert_eq!(p[2].path, path!["conclusions", 2]);
    }

    #[test]
    fn cycle_is_reported_with_its_path() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers: [{answer: "a", nextQuestionId: "2"}]
  - questionId: "2"
    question: "?"
    answers:
      - answer: "a"
        nextQuestionId: "3"
      - answer: "b"
        nextConclusionId: "c"
  - questionId: "3"
    question: "?"
    answers:
      - answer: "terug"
        redirects:
          - nextQuestionId: "2"
            if: 'true'
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::Cycle]);
        assert_eq!(
            p[0].message,
            "questions form a cycle: \"2\" → \"3\" → \"2\""
        );
        assert_eq!(
            p[0].path,
            path![
                "questions",
                2,
                "answers",
                0,
                "redirects",
                0,
                "nextQuestionId"
            ]
        );
    }

    #[test]
    fn self_loop_is_a_cycle() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - {answer: "nog eens", nextQuestionId: "1"}
      - {answer: "klaar", nextConclusionId: "c"}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::Cycle]);
        assert_eq!(p[0].message, "questions form a cycle: \"1\" → \"1\"");
        assert_eq!(p[0].path_string(), "questions[0].answers[0].nextQuestionId");
    }

    #[test]
    fn unparsable_if() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - answer: "a"
        labels: [aanbieder]
        redirects:
          - nextConclusionId: "c"
            if: '"aanbieder" in labels &&'
          - nextConclusionId: "c"
            if: 'true'
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::BadExpression]);
        assert_eq!(
            p[0].message,
            "condition cannot be parsed: expected a condition (`\"label\" in labels`, `true`, `false`, `!`, `not` or `(`), found end of expression (at byte 24)"
        );
        assert_eq!(
            p[0].path,
            path!["questions", 0, "answers", 0, "redirects", 0, "if"]
        );
        assert_eq!(
            serde_json::to_string(&p[0].path).unwrap(),
            r#"["questions",0,"answers",0,"redirects",0,"if"]"#
        );
    }

    #[test]
    fn fall_through_lists_the_combination() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "Rol?"
    answers:
      - {answer: "Aanbieder", labels: [aanbieder], nextQuestionId: "2"}
      - {answer: "Anders", nextQuestionId: "2"}
  - questionId: "2"
    question: "Open source?"
    answers:
      - answer: "Ja"
        labels: [open-source]
        nextConclusionId: "c"
      - answer: "Nee"
        redirects:
          - nextConclusionId: "c"
            if: '"aanbieder" in labels && !("open-source" in labels)'
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::FallThrough]);
        // open-source is never collected before this answer, so only the
        // non-provider case falls through.
        assert_eq!(
            p[0].message,
            "no redirect matches for the label combination [not aanbieder, not open-source]"
        );
        assert_eq!(p[0].path, path!["questions", 1, "answers", 1, "redirects"]);
        assert_eq!(
            p[0].hint,
            "add a last redirect with if: 'true' as a fallback, or cover these combinations"
        );
    }

    #[test]
    fn fall_through_with_several_combinations_and_constant_false() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - {answer: "a", labels: [x], nextQuestionId: "2"}
      - {answer: "b", labels: [y], nextQuestionId: "2"}
      - {answer: "c", nextQuestionId: "2"}
  - questionId: "2"
    question: "?"
    answers:
      - answer: "a"
        redirects:
          - {nextConclusionId: "c", if: '"x" in labels'}
      - answer: "b"
        redirects:
          - {nextConclusionId: "c", if: 'false'}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(
            kinds(&p),
            [ProblemKind::FallThrough, ProblemKind::FallThrough]
        );
        assert_eq!(
            p[0].message,
            "no redirect matches for the label combination [not x]"
        );
        assert_eq!(
            p[1].message,
            "no redirect matches: every condition is false whatever the labels"
        );
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - {answer: "a", labels: [x], nextQuestionId: "2"}
      - {answer: "b", labels: [y], nextQuestionId: "2"}
      - {answer: "c", labels: [x, y], nextQuestionId: "2"}
      - {answer: "d", nextQuestionId: "2"}
  - questionId: "2"
    question: "?"
    answers:
      - answer: "a"
        redirects:
          - {nextConclusionId: "c", if: '"x" in labels && "y" in labels'}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::FallThrough]);
        assert_eq!(
            p[0].message,
            "no redirect matches for the label combinations [x, not y], [not x, y], [not x, not y]"
        );
    }

    #[test]
    fn fall_through_respects_earlier_redirects() {
        // The label "x" only reaches question 3 via a redirect that requires it.
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - {answer: "a", labels: [x], nextQuestionId: "2"}
      - {answer: "b", nextQuestionId: "2"}
  - questionId: "2"
    question: "?"
    answers:
      - answer: "a"
        redirects:
          - {nextQuestionId: "3", if: '"x" in labels'}
          - {nextConclusionId: "c", if: 'true'}
  - questionId: "3"
    question: "?"
    answers:
      - answer: "a"
        redirects:
          - {nextConclusionId: "c", if: '"x" in labels'}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(p, vec![]);
    }

    #[test]
    fn unknown_label() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - answer: "a"
        labels: [open-source]
        redirects:
          - {nextConclusionId: "c", if: '"open-sourse" in labels'}
          - {nextConclusionId: "c", if: 'true'}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::UnknownLabel]);
        assert_eq!(
            p[0].message,
            "label \"open-sourse\" is used in a condition but no answer or conclusion produces it"
        );
        assert_eq!(p[0].hint, "did you mean \"open-source\"?");
        assert_eq!(
            p[0].path_string(),
            "questions[0].answers[0].redirects[0].if"
        );
    }

    #[test]
    fn ambiguous_targets() {
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers:
      - {answer: "geen"}
      - {answer: "twee", nextQuestionId: "1", nextConclusionId: "c"}
      - {answer: "leeg", redirects: []}
      - answer: "r"
        redirects:
          - {if: 'true'}
          - {nextQuestionId: "1", nextConclusionId: "c", if: 'true'}
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        let amb: Vec<&Problem> = p
            .iter()
            .filter(|p| p.kind == ProblemKind::AmbiguousTarget)
            .collect();
        assert_eq!(amb.len(), 5);
        assert_eq!(amb[0].message, "answer \"geen\" has no target");
        assert_eq!(
            amb[0].hint,
            "set exactly one of nextQuestionId, nextConclusionId or redirects"
        );
        assert_eq!(amb[0].path, path!["questions", 0, "answers", 0]);
        assert_eq!(
            amb[1].message,
            "answer \"twee\" has several targets (nextQuestionId, nextConclusionId)"
        );
        assert_eq!(
            amb[2].message,
            "answer \"leeg\" has an empty redirects list"
        );
        assert_eq!(amb[2].path_string(), "questions[0].answers[2].redirects");
        assert_eq!(amb[3].message, "redirect has no target");
        assert_eq!(amb[3].path_string(), "questions[0].answers[3].redirects[0]");
        assert_eq!(
            amb[4].message,
            "redirect has several targets (nextQuestionId, nextConclusionId)"
        );
    }

    fn numeric(ranges: &str) -> Vec<Problem> {
        let yaml = format!(
            r#"
questions:
  - questionId: "c"
    question: "Compute?"
    input: {{kind: compute, unit: FLOP}}
    answers:
{ranges}
conclusions:
  - {{conclusionId: "x", conclusion: "x", obligation: ""}}
"#
        );
        validate(&tree(&yaml))
    }

    #[test]
    fn ranges_ok() {
        let p = numeric(
            r#"      - {answer: "laag", range: {le: 1.0e23}, nextConclusionId: "x"}
      - {answer: "midden", range: {gt: 1.0e23, le: 1.0e25}, nextConclusionId: "x"}
      - {answer: "hoog", range: {gt: 1.0e25}, nextConclusionId: "x"}
      - {answer: "weet niet", nextConclusionId: "x"}"#,
        );
        assert_eq!(p, vec![]);
    }

    #[test]
    fn range_gap() {
        let p = numeric(
            r#"      - {answer: "laag", range: {lt: 1.0e23}, nextConclusionId: "x"}
      - {answer: "midden", range: {gt: 1.0e23, lt: 1.0e25}, nextConclusionId: "x"}
      - {answer: "hoog", range: {gt: 1.0e25, le: 1.0e30}, nextConclusionId: "x"}"#,
        );
        assert_eq!(kinds(&p), [ProblemKind::RangeGap; 3]);
        assert_eq!(
            p[0].message,
            "no answer of numeric question \"c\" covers values in [1e23, 1e23]"
        );
        assert_eq!(
            p[1].message,
            "no answer of numeric question \"c\" covers values in [1e25, 1e25]"
        );
        assert_eq!(
            p[2].message,
            "no answer of numeric question \"c\" covers values in (1e30, ∞)"
        );
        assert_eq!(p[0].path, path!["questions", 0, "answers"]);
        let p = numeric(r#"      - {answer: "hoog", range: {gt: 1.0e25}, nextConclusionId: "x"}"#);
        assert_eq!(kinds(&p), [ProblemKind::RangeGap]);
        assert_eq!(
            p[0].message,
            "no answer of numeric question \"c\" covers values in [0, 1e25]"
        );
    }

    #[test]
    fn range_overlap() {
        let p = numeric(
            r#"      - {answer: "laag", range: {le: 1.0e25}, nextConclusionId: "x"}
      - {answer: "hoog", range: {ge: 1.0e25}, nextConclusionId: "x"}"#,
        );
        assert_eq!(kinds(&p), [ProblemKind::RangeOverlap]);
        assert_eq!(
            p[0].message,
            "range of answer \"hoog\" overlaps answer \"laag\" for values in [1e25, 1e25]"
        );
        assert_eq!(p[0].path_string(), "questions[0].answers[1].range");
    }

    #[test]
    fn invalid_ranges() {
        let p = numeric(
            r#"      - {answer: "a", range: {gt: 1.0e25, lt: 1.0e23}, nextConclusionId: "x"}
      - {answer: "b", range: {gt: 1, ge: 2}, nextConclusionId: "x"}
      - {answer: "c", range: {lt: 0}, nextConclusionId: "x"}
      - {answer: "d", range: {ge: 0}, nextConclusionId: "x"}"#,
        );
        assert_eq!(kinds(&p), [ProblemKind::InvalidRange; 3]);
        assert_eq!(
            p[0].message,
            "range (1e25, 1e23) of answer \"a\" contains no possible value"
        );
        assert_eq!(p[1].message, "range of answer \"b\" has both gt and ge");
        assert_eq!(
            p[2].message,
            "range (-∞, 0) of answer \"c\" contains no possible value"
        );
        let p = numeric(r#"      - {answer: "a", nextConclusionId: "x"}"#);
        assert_eq!(kinds(&p), [ProblemKind::InvalidRange]);
        assert_eq!(
            p[0].message,
            "numeric question \"c\" has no answer with a range"
        );
        let p = validate(&tree(
            r#"
questions:
  - questionId: "1"
    question: "?"
    answers: [{answer: "a", range: {gt: 1}, nextConclusionId: "c"}]
conclusions:
  - {conclusionId: "c", conclusion: "x", obligation: ""}
"#,
        ));
        assert_eq!(kinds(&p), [ProblemKind::InvalidRange]);
        assert_eq!(
            p[0].message,
            "answer \"a\" has a range but question \"1\" is not numeric"
        );
    }

    #[test]
    fn number_domain_is_unbounded() {
        let yaml = r#"
questions:
  - questionId: "n"
    question: "?"
    input: {kind: number}
    answers:
      - {answer: "a", range: {ge: -5, lt: 5}, nextConclusionId: "x"}
conclusions:
  - {conclusionId: "x", conclusion: "x", obligation: ""}
"#;
        let p = validate(&tree(yaml));
        let msgs: Vec<&str> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "no answer of numeric question \"n\" covers values in (-∞, -5)",
                "no answer of numeric question \"n\" covers values in [5, ∞)"
            ]
        );
    }

    #[test]
    fn kinds_serialize_stably() {
        assert_eq!(
            serde_json::to_string(&ProblemKind::DanglingId).unwrap(),
            "\"dangling-id\""
        );
        assert_eq!(ProblemKind::FallThrough.as_str(), "fall-through");
        assert_eq!(ProblemKind::RangeGap.to_string(), "range-gap");
    }

    #[test]
    fn edit_distance_and_nearest() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
        assert_eq!(nearest("1.2", ["1.0", "2.0", "1.1"]), Some("1.0"));
        assert_eq!(nearest("x", std::iter::empty()), None);
    }

    #[test]
    fn large_trees_do_not_overflow() {
        // A long chain and a big cycle, built directly.
        use crate::tree::{Answer, Conclusion, Question};
        let n = 20_000;
        let mut questions = Vec::new();
        for i in 0..n {
            questions.push(Question {
                question_id: format!("q{i}"),
                question: "?".into(),
                answers: vec![Answer {
                    answer: "a".into(),
                    next_question_id: Some(format!("q{}", (i + 1) % n)),
                    ..Answer::default()
                }],
                ..Question::default()
            });
        }
        let t = DecisionTree {
            name: None,
            questions,
            conclusions: vec![Conclusion {
                conclusion_id: "c".into(),
                ..Conclusion::default()
            }],
        };
        let p = validate(&t);
        assert_eq!(kinds(&p), [ProblemKind::Unreachable, ProblemKind::Cycle]);
        assert!(p[1]
            .message
            .starts_with("questions form a cycle: \"q0\" → \"q1\""));
    }

    #[test]
    fn many_labels_fall_back_to_per_answer_analysis() {
        let mut yaml =
            String::from("questions:\n  - questionId: \"1\"\n    question: \"?\"\n    answers:\n");
        for i in 0..20 {
            yaml.push_str(&format!(
                "      - {{answer: \"a{i}\", labels: [l{i}], nextQuestionId: \"2\"}}\n"
            ));
        }
        yaml.push_str("  - questionId: \"2\"\n    question: \"?\"\n    answers:\n");
        for i in 0..20 {
            yaml.push_str(&format!(
                "      - answer: \"b{i}\"\n        redirects:\n          - {{nextConclusionId: \"c\", if: '\"l{i}\" in labels'}}\n"
            ));
        }
        yaml.push_str(
            "conclusions:\n  - {conclusionId: \"c\", conclusion: \"x\", obligation: \"\"}\n",
        );
        let p = validate(&tree(&yaml));
        assert_eq!(p.len(), 20);
        assert!(p.iter().all(|p| p.kind == ProblemKind::FallThrough));
        assert_eq!(
            p[0].message,
            "no redirect matches for the label combination [not l0]"
        );
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use crate::tree::{Answer, Conclusion, Input, Question, Redirect, Session};
    use proptest::prelude::*;

    fn id() -> impl Strategy<Value = Option<String>> {
        prop::option::of(
            prop::sample::select(vec!["q0", "q1", "q2", "q3", "c0", "c1", "zz"])
                .prop_map(String::from),
        )
    }

    fn condition() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "true",
            "false",
            "\"a\" in labels",
            "!(\"b\" in labels)",
            "\"a\" in labels && \"b\" in labels",
            "\"a\" in labels || \"c\" in labels",
            "\"a\" in",
            "((",
            "",
        ])
        .prop_map(String::from)
    }

    fn range() -> impl Strategy<Value = Option<Range>> {
        let b = || {
            prop::option::of(prop::sample::select(vec![
                0.0,
                1e23,
                1e25,
                -1.0,
                f64::INFINITY,
                f64::NAN,
            ]))
        };
        prop::option::of((b(), b(), b(), b()).prop_map(|(gt, ge, lt, le)| Range { gt, ge, lt, le }))
    }

    fn answer() -> impl Strategy<Value = Answer> {
        (
            id(),
            id(),
            prop::option::of(prop::collection::vec((id(), id(), condition()), 0..3)),
            prop::collection::vec(
                prop::sample::select(vec!["a", "b", "c"]).prop_map(String::from),
                0..2,
            ),
            range(),
        )
            .prop_map(|(q, c, redirects, labels, range)| Answer {
                answer: "x".into(),
                labels,
                next_question_id: q,
                next_conclusion_id: c,
                redirects: redirects.map(|rs| {
                    rs.into_iter()
                        .map(|(q, c, condition)| Redirect {
                            next_question_id: q,
                            next_conclusion_id: c,
                            condition,
                        })
                        .collect()
                }),
                range,
                ..Answer::default()
            })
    }

    fn arb_tree() -> impl Strategy<Value = DecisionTree> {
        let question = (
            prop::sample::select(vec!["q0", "q1", "q2", "q3"]),
            prop::collection::vec(answer(), 0..4),
            any::<Option<bool>>(),
        )
            .prop_map(|(id, answers, numeric)| Question {
                question_id: id.into(),
                question: "?".into(),
                input: numeric.map(|compute| Input {
                    kind: if compute {
                        InputKind::Compute
                    } else {
                        InputKind::Number
                    },
                    unit: None,
                }),
                answers,
                ..Question::default()
            });
        let conclusion = prop::sample::select(vec!["c0", "c1", "c0"]).prop_map(|id| Conclusion {
            conclusion_id: id.into(),
            labels: vec!["d".into()],
            ..Conclusion::default()
        });
        (
            prop::collection::vec(question, 0..6),
            prop::collection::vec(conclusion, 0..3),
        )
            .prop_map(|(questions, conclusions)| DecisionTree {
                name: None,
                questions,
                conclusions,
            })
    }

    /// Mostly valid trees: questions only point forward, so many of them
    /// pass validation and the "clean implies walkable" property is tested.
    fn forward_tree() -> impl Strategy<Value = DecisionTree> {
        let cond = prop::sample::select(vec![
            "true",
            "\"a\" in labels",
            "!(\"a\" in labels)",
            "\"a\" in labels && \"b\" in labels",
            "\"b\" in labels || !(\"a\" in labels)",
        ]);
        let target = (any::<bool>(), 0usize..4);
        let redirect = (target.clone(), cond);
        let answer = (
            target,
            prop::option::of(prop::collection::vec(redirect, 1..3)),
            prop::collection::vec(prop::sample::select(vec!["a", "b"]), 0..2),
            prop::option::of(prop::sample::select(vec![
                Range {
                    le: Some(1e25),
                    ..Range::default()
                },
                Range {
                    gt: Some(1e25),
                    ..Range::default()
                },
                Range {
                    ge: Some(1e25),
                    ..Range::default()
                },
                Range {
                    lt: Some(1e25),
                    ..Range::default()
                },
                Range {
                    gt: Some(1e23),
                    le: Some(1e25),
                    ..Range::default()
                },
                Range {
                    le: Some(1e23),
                    ..Range::default()
                },
            ])),
        );
        let question = (prop::collection::vec(answer, 1..4), any::<bool>());
        prop::collection::vec(question, 1..5).prop_map(|qs| {
            let n = qs.len();
            let resolve = |from: usize,
                           (to_question, k): (bool, usize)|
             -> (Option<String>, Option<String>) {
                if to_question && from + 1 < n {
                    (Some(format!("q{}", from + 1 + k % (n - from - 1))), None)
                } else {
                    (None, Some(format!("c{}", k % 2)))
                }
            };
            let mut questions = Vec::new();
            for (i, (answers, numeric)) in qs.into_iter().enumerate() {
                let mut out = Vec::new();
                for (j, (t, redirects, labels, range)) in answers.into_iter().enumerate() {
                    // The first answer chains the questions together.
                    let t = if j == 0 { (true, 0) } else { t };
                    let (q, c) = resolve(i, t);
                    let redirects = redirects.filter(|_| j > 0).map(|rs| {
                        rs.into_iter()
                            .map(|(t, cond)| {
                                let (q, c) = resolve(i, t);
                                Redirect {
                                    next_question_id: q,
                                    next_conclusion_id: c,
                                    condition: cond.into(),
                                }
                            })
                            .collect::<Vec<_>>()
                    });
                    let (q, c) = if redirects.is_some() {
                        (None, None)
                    } else {
                        (q, c)
                    };
                    out.push(Answer {
                        answer: format!("a{j}"),
                        labels: labels.into_iter().map(String::from).collect(),
                        next_question_id: q,
                        next_conclusion_id: c,
                        redirects,
                        range: if numeric { range } else { None },
                        ..Answer::default()
                    });
                }
                if i + 1 == n {
                    out.push(Answer {
                        answer: "end".into(),
                        next_conclusion_id: Some("c1".into()),
                        ..Answer::default()
                    });
                    out.push(Answer {
                        answer: "end".into(),
                        next_conclusion_id: Some("c0".into()),
                        ..Answer::default()
                    });
                }
                questions.push(Question {
                    question_id: format!("q{i}"),
                    question: "?".into(),
                    input: numeric.then_some(Input {
                        kind: InputKind::Compute,
                        unit: None,
                    }),
                    answers: out,
                    ..Question::default()
                });
            }
            DecisionTree {
                name: None,
                questions,
                conclusions: vec![
                    Conclusion {
                        conclusion_id: "c0".into(),
                        ..Conclusion::default()
                    },
                    Conclusion {
                        conclusion_id: "c1".into(),
                        ..Conclusion::default()
                    },
                ],
            }
        })
    }

    proptest! {
        #[test]
        fn validate_and_walk_never_panic(tree in arb_tree(), moves in prop::collection::vec((0usize..5, any::<bool>(), -1e26f64..1e26), 0..12)) {
            let problems = validate(&tree);
            for p in &problems {
                prop_assert!(!p.message.is_empty() && !p.hint.is_empty());
            }
            // A tree without problems can always be walked to a conclusion
            // by any sequence of valid choices without flow errors other than
            // value ranges.
            if let Ok(mut s) = Session::new(tree) {
                for (i, back, value) in moves {
                    if back {
                        let _ = s.back();
                    } else if i == 4 {
                        let _ = s.answer_value(value);
                    } else {
                        let _ = s.answer(i);
                    }
                }
            }
        }

        #[test]
        fn clean_trees_never_fail_to_walk(tree in forward_tree(), choices in prop::collection::vec((0usize..4, 0.0f64..1e26, any::<bool>()), 0..8)) {
            if !validate(&tree).is_empty() {
                return Ok(());
            }
            let mut s = Session::new(tree).unwrap();
            for (c, value, use_value) in choices {
                if s.is_finished() {
                    break;
                }
                let (n, numeric) = match s.current() {
                    crate::tree::Current::Question(q) => (q.answers.len(), q.input.is_some()),
                    crate::tree::Current::Conclusion(_) => (0, false),
                };
                let r = if numeric && use_value {
                    s.answer_value(value)
                } else {
                    s.answer(c % n.max(1))
                };
                prop_assert!(r.is_ok(), "{:?}", r);
            }
        }
    }
}
