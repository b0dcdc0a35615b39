//! Checks of a decision tree and its companion files, for the CLI to run at
//! build time and for tests.
//!
//! [`check`] returns a [`Report`]: a list of [`Problem`]s, each with a
//! [`Severity`], a stable [`ProblemKind`], a message, a hint, the document it
//! is about ([`Source`]) and a [`path`](Problem::path) into it (`questions`,
//! 3, `answers`, 1, `redirects`, 0, `if`) that the CLI can map to a line and
//! column; and a [`Summary`] for a one-line report. A tree with warnings
//! only still runs.
//!
//! Reachability and loops are judged on the walks the conditions allow,
//! not on the bare link graph: the checker explores the states a walk can be
//! in (a question plus the collected labels that conditions test), so a
//! link that looks like a loop but that the labels make impossible to
//! follow is no problem, a redirect that no walk takes is reported as never
//! taken, and a loop a walk can really follow is an error. The work is
//! bounded by [`Limits`]; when a limit is hit, that is reported and the
//! results that would be incomplete are left out. [`walks`] lists the
//! distinct walks themselves.
//!
//! HTML in texts is not a problem: it is sanitized when rendered (see
//! [`sanitize_html`](crate::sanitize::sanitize_html)).

use crate::companion::{Categories, Definitions};
use crate::engine::Engine;
use crate::expr::{self, Expr};
use crate::tree::{
    bound, DecisionTree, FlowError, InputKind, Position, Range, KNOWN_QUESTION_TYPES,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The tree cannot be run as it is.
    Error,
    /// The tree runs, but something is probably not meant.
    Warning,
}

/// The document a problem's path points into.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// The tree file.
    #[default]
    Tree,
    /// The categories file.
    Categories,
    /// The definitions file.
    Definitions,
    /// The label map.
    LabelMap,
}

/// The kind of a problem. Serialized in kebab-case (`dangling-id`); the
/// names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Two questions (or two conclusions) share an id.
    DuplicateId,
    /// A `nextQuestionId` / `nextConclusionId` that does not exist.
    DanglingId,
    /// A question or conclusion that no walk reaches.
    Unreachable,
    /// A redirect that no walk takes.
    NeverTaken,
    /// A loop that a walk can follow (the same question with the same
    /// labels again).
    Cycle,
    /// An `if` that does not parse.
    BadExpression,
    /// Label combinations, reachable at an answer, for which none of its
    /// redirects holds.
    FallThrough,
    /// A label used in a condition that no answer produces.
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
    /// A field kader does not read.
    UnsupportedField,
    /// A `questionType` kader does not know; the question is asked as a
    /// single choice.
    UnknownQuestionType,
    /// An entry of a companion file about a question that does not exist,
    /// or a definition without a term or defined twice.
    UnknownEntry,
    /// A label a tree can produce that the label map neither maps nor ignores.
    UnmappedLabel,
    /// A label group (subcategory) that the label map gives no taxonomy.
    UnmappedGroup,
    /// The analysis of walks stopped at a limit; its results are incomplete.
    LimitReached,
}

impl ProblemKind {
    /// The stable kebab-case name, e.g. `dangling-id`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::DuplicateId => "duplicate-id",
            ProblemKind::DanglingId => "dangling-id",
            ProblemKind::Unreachable => "unreachable",
            ProblemKind::NeverTaken => "never-taken",
            ProblemKind::Cycle => "cycle",
            ProblemKind::BadExpression => "bad-expression",
            ProblemKind::FallThrough => "fall-through",
            ProblemKind::UnknownLabel => "unknown-label",
            ProblemKind::AmbiguousTarget => "ambiguous-target",
            ProblemKind::RangeGap => "range-gap",
            ProblemKind::RangeOverlap => "range-overlap",
            ProblemKind::InvalidRange => "invalid-range",
            ProblemKind::Empty => "empty",
            ProblemKind::UnsupportedField => "unsupported-field",
            ProblemKind::UnknownQuestionType => "unknown-question-type",
            ProblemKind::UnknownEntry => "unknown-entry",
            ProblemKind::UnmappedLabel => "unmapped-label",
            ProblemKind::UnmappedGroup => "unmapped-group",
            ProblemKind::LimitReached => "limit-reached",
        }
    }

    /// The severity of this kind: errors make a tree unusable (a walk could
    /// fail or loop), warnings do not.
    pub fn severity(self) -> Severity {
        match self {
            ProblemKind::DuplicateId
            | ProblemKind::DanglingId
            | ProblemKind::Cycle
            | ProblemKind::BadExpression
            | ProblemKind::FallThrough
            | ProblemKind::AmbiguousTarget
            | ProblemKind::InvalidRange
            | ProblemKind::Empty => Severity::Error,
            ProblemKind::Unreachable
            | ProblemKind::NeverTaken
            | ProblemKind::UnknownLabel
            | ProblemKind::RangeGap
            | ProblemKind::RangeOverlap
            | ProblemKind::UnsupportedField
            | ProblemKind::UnknownQuestionType
            | ProblemKind::UnknownEntry
            | ProblemKind::UnmappedLabel
            | ProblemKind::UnmappedGroup
            | ProblemKind::LimitReached => Severity::Warning,
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

/// A problem found by the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Where in the document.
    pub path: Vec<PathSegment>,
    /// Which document.
    #[serde(default)]
    pub source: Source,
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
            "{}: {}: {} [{}] (hint: {})",
            self.path_string(),
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
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

fn problem(
    kind: ProblemKind,
    message: String,
    hint: impl Into<String>,
    path: Vec<PathSegment>,
) -> Problem {
    Problem {
        severity: kind.severity(),
        kind,
        message,
        hint: hint.into(),
        path,
        source: Source::Tree,
    }
}

/// Bounds on the analysis of walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most states (question + tested labels) explored.
    pub max_states: usize,
    /// Most walks [`walks`] lists.
    pub max_walks: usize,
    /// Most steps [`walks`] takes in all (walks share their beginnings).
    pub max_steps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_states: 200_000,
            max_walks: 100_000,
            max_steps: 5_000_000,
        }
    }
}

/// Combinations listed in one fall-through message.
const MAX_LISTED_COMBINATIONS: usize = 8;
/// Loops reported per tree.
const MAX_CYCLES: usize = 10;

/// Figures for a one-line report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Number of questions.
    pub questions: usize,
    /// Number of conclusions.
    pub conclusions: usize,
    /// Distinct walks from the first question to a conclusion (saturating).
    pub walks: u64,
    /// Conclusions that some walk reaches.
    pub conclusions_reached: usize,
    /// Redirects of reached questions that no walk takes.
    pub redirects_never_taken: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} questions, {} conclusions ({} reached), {} walks, {} redirects never taken",
            self.questions,
            self.conclusions,
            self.conclusions_reached,
            self.walks,
            self.redirects_never_taken
        )
    }
}

/// What [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Every problem, errors and warnings, in document order per check.
    pub problems: Vec<Problem>,
    /// The figures.
    pub summary: Summary,
}

impl Report {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Checks a tree alone (without companion files, with the default limits).
/// Never panics.
pub fn validate(tree: &DecisionTree) -> Vec<Problem> {
    check(&Engine::from_tree(tree.clone()), &Limits::default()).problems
}

/// Checks the tree of `engine`: ids, targets, conditions, labels, ranges,
/// question types, and the walks (reachability, links never taken, loops,
/// fall-throughs). Unsupported fields need the document's shape: see
/// [`crate::fields`].
pub fn check(engine: &Engine, limits: &Limits) -> Report {
    let tree = engine.tree();
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
    check_question_types(tree, &mut problems);
    let mut summary = Summary {
        questions: tree.questions.len(),
        conclusions: tree.conclusions.len(),
        ..Summary::default()
    };
    if !tree.questions.is_empty() {
        let a = analyse(engine, limits);
        a.report(engine, &mut problems, &mut summary);
    }
    Report { problems, summary }
}

fn check_question_types(tree: &DecisionTree, problems: &mut Vec<Problem>) {
    for (qi, q) in tree.questions.iter().enumerate() {
        let Some(t) = &q.question_type else { continue };
        let lower = t.trim().to_ascii_lowercase();
        if KNOWN_QUESTION_TYPES.contains(&lower.as_str()) {
            continue;
        }
        problems.push(problem(
            ProblemKind::UnknownQuestionType,
            format!("questionType \"{t}\" is not supported; the question is asked as a single choice"),
            "use `compute` or `number` for a numeric question; leave it out (or `SingleChoice`) otherwise",
            path!["questions", qi, "questionType"],
        ));
    }
}

/// Checks a categories file against the tree: entries whose `questionId`
/// is not the id, nor an id prefix, of any question.
pub fn check_categories(categories: &Categories, tree: &DecisionTree) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, e) in categories.entries.iter().enumerate() {
        // Entries may also name conclusions (the progress tracker's last
        // step), as the decision aid's own categories file does.
        let ids = tree
            .questions
            .iter()
            .map(|q| q.question_id.as_str())
            .chain(tree.conclusions.iter().map(|c| c.conclusion_id.as_str()));
        let covers = ids.clone().any(|id| {
            id == e.question_id
                || id
                    .strip_prefix(e.question_id.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        if covers {
            continue;
        }
        let hint = match kader_suggest::did_you_mean(&e.question_id, ids) {
            Some(n) => format!("did you mean \"{n}\"?"),
            None => "remove the entry or fix its questionId".into(),
        };
        out.push(Problem {
            severity: Severity::Warning,
            kind: ProblemKind::UnknownEntry,
            message: format!(
                "categories entry \"{}\" matches no question or conclusion (neither its id nor an id prefix)",
                e.question_id
            ),
            hint,
            path: path![i, "questionId"],
            source: Source::Categories,
        });
    }
    out
}

/// Checks a definitions file: empty terms and terms defined twice
/// (ignoring case).
pub fn check_definitions(definitions: &Definitions) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, d) in definitions.definitions.iter().enumerate() {
        let key = d.term.trim().to_lowercase();
        let (message, hint) = if key.is_empty() {
            (
                "a definition without a term".to_string(),
                "write the term it defines".to_string(),
            )
        } else if let Some(first) = seen.get(&key) {
            (
                format!(
                    "the term \"{}\" is defined twice (first at definitions[{first}])",
                    d.term
                ),
                "keep one definition per term; only the first is used".to_string(),
            )
        } else {
            seen.insert(key, i);
            continue;
        };
        out.push(Problem {
            severity: Severity::Warning,
            kind: ProblemKind::UnknownEntry,
            message,
            hint,
            path: path!["definitions", i, "term"],
            source: Source::Definitions,
        });
    }
    out
}

// ---------------------------------------------------------------- walks

/// A set of tracked labels (bit i = label i of the tracked list).
type Bits = Vec<u64>;

fn set_bit(bits: &mut Bits, i: usize) {
    let (w, b) = (i / 64, i % 64);
    if bits.len() <= w {
        bits.resize(w + 1, 0);
    }
    bits[w] |= 1 << b;
}

fn get_bit(bits: &Bits, i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Where an answer leads in the state graph.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    State(usize),
    Conclusion,
    Stuck,
}

/// The labels conditions test, and per answer the ones it adds.
struct Tracking {
    tracked: Vec<String>,
    /// `answer_bits[q][a]`.
    answer_bits: Vec<Vec<Vec<usize>>>,
}

impl Tracking {
    fn of(engine: &Engine) -> Tracking {
        let tree = engine.tree();
        let mut tracked: BTreeSet<String> = BTreeSet::new();
        for (qi, q) in tree.questions.iter().enumerate() {
            for (ai, a) in q.answers.iter().enumerate() {
                for ri in 0..a.redirects.as_ref().map_or(0, Vec::len) {
                    if let Some(Ok(e)) = engine.condition(qi, ai, ri) {
                        tracked.extend(e.labels().into_iter().map(str::to_string));
                    }
                }
            }
        }
        let tracked: Vec<String> = tracked.into_iter().collect();
        let answer_bits = tree
            .questions
            .iter()
            .map(|q| {
                q.answers
                    .iter()
                    .map(|a| {
                        a.labels
                            .iter()
                            .filter_map(|l| tracked.binary_search(l).ok())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Tracking {
            tracked,
            answer_bits,
        }
    }

    fn step(&self, bits: &Bits, q: usize, a: usize) -> Bits {
        let mut next = bits.clone();
        for &i in self
            .answer_bits
            .get(q)
            .and_then(|x| x.get(a))
            .into_iter()
            .flatten()
        {
            set_bit(&mut next, i);
        }
        next
    }

    fn has<'a>(&'a self, bits: &'a Bits) -> impl Fn(&str) -> bool + 'a {
        move |l: &str| {
            self.tracked
                .binary_search_by(|t| t.as_str().cmp(l))
                .is_ok_and(|i| get_bit(bits, i))
        }
    }
}

/// Labels with whether each is absent.
type Combination = Vec<(String, bool)>;

struct Analysis {
    tracking: Tracking,
    reached_q: Vec<bool>,
    reached_c: Vec<bool>,
    taken: HashSet<(usize, usize, usize)>,
    /// (question, answer) → label combinations (label, absent) that fall through.
    fall_through: BTreeMap<(usize, usize), BTreeSet<Combination>>,
    /// Loops: the questions in order, and the link that closes the loop.
    cycles: Vec<(Vec<usize>, usize, usize, Option<usize>)>,
    walks: u64,
    limit_hit: bool,
}

/// The states explored so far.
#[derive(Default)]
struct Graph {
    ids: HashMap<(usize, Bits), usize>,
    states: Vec<(usize, Bits)>,
    on_stack: Vec<bool>,
    done: Vec<bool>,
    edges: Vec<Vec<Outcome>>,
    /// Walks from each finished state to a conclusion.
    count: Vec<u64>,
}

impl Graph {
    fn add(&mut self, key: (usize, Bits)) -> usize {
        let id = self.states.len();
        self.ids.insert(key.clone(), id);
        self.states.push(key);
        self.on_stack.push(false);
        self.done.push(false);
        self.edges.push(Vec::new());
        self.count.push(0);
        id
    }
}

fn analyse(engine: &Engine, limits: &Limits) -> Analysis {
    let tree = engine.tree();
    let tracking = Tracking::of(engine);
    let mut a = Analysis {
        tracking,
        reached_q: vec![false; tree.questions.len()],
        reached_c: vec![false; tree.conclusions.len()],
        taken: HashSet::new(),
        fall_through: BTreeMap::new(),
        cycles: Vec::new(),
        walks: 0,
        limit_hit: false,
    };
    // State graph, explored depth first without recursion.
    let mut g = Graph::default();
    let mut seen_cycles: HashSet<(usize, usize, Option<usize>)> = HashSet::new();
    let root = g.add((0, Bits::new()));
    // (state, next answer)
    let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
    g.on_stack[root] = true;
    a.reached_q[0] = true;
    while let Some(&mut (s, ref mut next)) = stack.last_mut() {
        let (q, bits) = g.states[s].clone();
        let n_answers = tree.questions.get(q).map_or(0, |x| x.answers.len());
        if *next >= n_answers {
            stack.pop();
            g.on_stack[s] = false;
            g.done[s] = true;
            let mut c: u64 = 0;
            for o in &g.edges[s] {
                c = c.saturating_add(match *o {
                    Outcome::Conclusion => 1,
                    Outcome::State(t) if g.done[t] => g.count[t],
                    _ => 0,
                });
            }
            g.count[s] = c;
            continue;
        }
        let ai = *next;
        *next += 1;
        let after = a.tracking.step(&bits, q, ai);
        let resolved = {
            let has = a.tracking.has(&after);
            engine.resolve(q, ai, &has)
        };
        let outcome = match resolved {
            Ok(r) => {
                if let Some(ri) = r.redirect {
                    a.taken.insert((q, ai, ri));
                }
                match r.position {
                    Position::Conclusion(c) => {
                        if let Some(x) = a.reached_c.get_mut(c) {
                            *x = true;
                        }
                        Outcome::Conclusion
                    }
                    Position::Question(q2) => {
                        a.reached_q[q2] = true;
                        let key = (q2, after);
                        match g.ids.get(&key) {
                            Some(&t) => {
                                if g.on_stack[t]
                                    && seen_cycles.insert((q, ai, r.redirect))
                                    && a.cycles.len() < MAX_CYCLES
                                {
                                    let from = stack.iter().position(|(x, _)| *x == t).unwrap_or(0);
                                    let mut qs: Vec<usize> =
                                        stack[from..].iter().map(|(x, _)| g.states[*x].0).collect();
                                    qs.push(q2);
                                    a.cycles.push((qs, q, ai, r.redirect));
                                }
                                Outcome::State(t)
                            }
                            None => {
                                if g.states.len() >= limits.max_states {
                                    a.limit_hit = true;
                                    Outcome::Stuck
                                } else {
                                    let t = g.add(key);
                                    g.on_stack[t] = true;
                                    stack.push((t, 0));
                                    Outcome::State(t)
                                }
                            }
                        }
                    }
                }
            }
            Err(FlowError::FallThrough { .. }) => {
                let own: BTreeSet<&str> = (0..tree.redirects(q, ai).map_or(0, <[_]>::len))
                    .filter_map(|ri| match engine.condition(q, ai, ri) {
                        Some(Ok(e)) => Some(e.labels()),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                let has = a.tracking.has(&after);
                let combo: Vec<(String, bool)> =
                    own.iter().map(|l| (l.to_string(), !has(l))).collect();
                a.fall_through.entry((q, ai)).or_default().insert(combo);
                Outcome::Stuck
            }
            Err(_) => Outcome::Stuck,
        };
        g.edges[s].push(outcome);
    }
    a.walks = g.count[root];
    a
}

impl Analysis {
    fn report(self, engine: &Engine, problems: &mut Vec<Problem>, summary: &mut Summary) {
        let tree = engine.tree();
        let qid = |q: usize| tree.questions.get(q).map_or("", |x| x.question_id.as_str());
        summary.walks = self.walks;
        summary.conclusions_reached = self.reached_c.iter().filter(|x| **x).count();
        for ((qi, ai), combos) in &self.fall_through {
            let render = |combo: &Vec<(String, bool)>| {
                let parts: Vec<String> = combo
                    .iter()
                    .map(|(l, absent)| {
                        if *absent {
                            format!("not {l}")
                        } else {
                            l.clone()
                        }
                    })
                    .collect();
                format!("[{}]", parts.join(", "))
            };
            let message = if combos.iter().all(Vec::is_empty) {
                "no redirect matches: every condition is false whatever the labels".to_string()
            } else {
                let listed: Vec<String> = combos
                    .iter()
                    .take(MAX_LISTED_COMBINATIONS)
                    .map(render)
                    .collect();
                let more = combos.len().saturating_sub(MAX_LISTED_COMBINATIONS);
                let mut list = listed.join(", ");
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
                let s = if combos.len() == 1 { "" } else { "s" };
                format!("no redirect matches for the label combination{s} {list}")
            };
            problems.push(problem(
                ProblemKind::FallThrough,
                message,
                "add a last redirect with if: 'true' as a fallback, or cover these combinations",
                path!["questions", *qi, "answers", *ai, "redirects"],
            ));
        }
        for (qs, q, a, r) in &self.cycles {
            let names: Vec<String> = qs.iter().map(|&x| format!("\"{}\"", qid(x))).collect();
            let mut p = path!["questions", *q, "answers", *a];
            if let Some(r) = r {
                p.extend(path!["redirects", *r]);
            }
            p.push("nextQuestionId".into());
            problems.push(problem(
                ProblemKind::Cycle,
                format!("questions form a cycle: {}", names.join(" → ")),
                "a walk can come back to a question with the same labels and go round forever; point one of these answers to a later question or a conclusion, or guard the link with a condition",
                p,
            ));
        }
        if self.limit_hit {
            problems.push(problem(
                ProblemKind::LimitReached,
                "the tree has more states (question and tested labels) than the checker explores; unreachable questions and links never taken are not reported".into(),
                "split the tree, or test fewer labels in conditions",
                path!["questions"],
            ));
            return;
        }
        for (qi, reached) in self.reached_q.iter().enumerate() {
            if !reached {
                problems.push(problem(
                    ProblemKind::Unreachable,
                    format!(
                        "question \"{}\" cannot be reached from the first question \"{}\"",
                        qid(qi),
                        qid(0)
                    ),
                    "refer to it from an answer (nextQuestionId or a redirect), or remove it",
                    path!["questions", qi],
                ));
            }
        }
        for (ci, reached) in self.reached_c.iter().enumerate() {
            if !reached {
                let id = tree
                    .conclusions
                    .get(ci)
                    .map_or("", |c| c.conclusion_id.as_str());
                problems.push(problem(
                    ProblemKind::Unreachable,
                    format!("conclusion \"{id}\" is not reached by any walk"),
                    "refer to it from an answer (nextConclusionId or a redirect), or remove it",
                    path!["conclusions", ci],
                ));
            }
        }
        for (qi, q) in tree.questions.iter().enumerate() {
            if !self.reached_q[qi] {
                continue;
            }
            for (ai, a) in q.answers.iter().enumerate() {
                for (ri, r) in a.redirects.iter().flatten().enumerate() {
                    let parsed = matches!(engine.condition(qi, ai, ri), Some(Ok(_)));
                    if !parsed || self.taken.contains(&(qi, ai, ri)) {
                        continue;
                    }
                    summary.redirects_never_taken += 1;
                    let target = r
                        .next_question_id
                        .as_deref()
                        .map(|t| format!("question \"{t}\""))
                        .or_else(|| {
                            r.next_conclusion_id
                                .as_deref()
                                .map(|t| format!("conclusion \"{t}\""))
                        })
                        .unwrap_or_default();
                    problems.push(problem(
                        ProblemKind::NeverTaken,
                        format!(
                            "redirect {ri} of answer \"{}\" to question \"{}\" (to {target}) is never taken: no walk reaches it with labels for which its condition holds first",
                            a.answer, q.question_id
                        ),
                        "remove the redirect, or change the conditions before it",
                        path!["questions", qi, "answers", ai, "redirects", ri, "if"],
                    ));
                }
            }
        }
    }
}

/// One step of a walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalkStep {
    /// Index of the question.
    pub question: usize,
    /// Its id.
    pub question_id: String,
    /// Index of the answer chosen.
    pub answer: usize,
    /// The answer's text.
    pub answer_text: String,
}

/// A walk from the first question to a conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Walk {
    /// The answers, in order.
    pub steps: Vec<WalkStep>,
    /// Index of the conclusion reached.
    pub conclusion: usize,
    /// Its id.
    pub conclusion_id: String,
}

/// The walks [`walks`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walks {
    /// The walks, in the order of the answers (first answers first).
    pub walks: Vec<Walk>,
    /// False when a limit stopped the listing.
    pub complete: bool,
}

/// Lists the distinct walks from the first question to a conclusion: every
/// sequence of answers the tree's conditions allow. A walk that would come
/// back to a state it was in (a loop) or that gets stuck is not listed.
/// Stops at `limits.max_walks` walks or `limits.max_steps` steps.
pub fn walks(engine: &Engine, limits: &Limits) -> Walks {
    let tree = engine.tree();
    let tracking = Tracking::of(engine);
    let mut out = Walks {
        walks: Vec::new(),
        complete: true,
    };
    if tree.questions.is_empty() {
        return out;
    }
    // Path of (question, labels before, next answer).
    let mut path: Vec<(usize, Bits, usize)> = vec![(0, Bits::new(), 0)];
    let mut on_path: HashSet<(usize, Bits)> = HashSet::new();
    on_path.insert((0, Bits::new()));
    let mut steps = 0usize;
    let step_of = |q: usize, a: usize| WalkStep {
        question: q,
        question_id: tree.questions[q].question_id.clone(),
        answer: a,
        answer_text: tree.questions[q].answers[a].answer.clone(),
    };
    while let Some((q, bits, next)) = path.last_mut() {
        let (q, ai) = (*q, *next);
        if ai >= tree.questions[q].answers.len() {
            let (q, bits, _) = path.pop().unwrap_or_default();
            on_path.remove(&(q, bits));
            continue;
        }
        *next += 1;
        steps += 1;
        if steps > limits.max_steps || out.walks.len() >= limits.max_walks {
            out.complete = false;
            break;
        }
        let after = tracking.step(bits, q, ai);
        let resolved = {
            let has = tracking.has(&after);
            engine.resolve(q, ai, &has)
        };
        match resolved.map(|r| r.position) {
            Ok(Position::Conclusion(c)) => {
                let mut s: Vec<WalkStep> =
                    path.iter().map(|(q, _, n)| step_of(*q, n - 1)).collect();
                if let Some(last) = s.last_mut() {
                    *last = step_of(q, ai);
                }
                out.walks.push(Walk {
                    steps: s,
                    conclusion: c,
                    conclusion_id: tree.conclusions[c].conclusion_id.clone(),
                });
            }
            Ok(Position::Question(q2)) => {
                if on_path.insert((q2, after.clone())) {
                    path.push((q2, after, 0));
                }
            }
            Err(_) => {}
        }
    }
    out
}

struct Index<'a> {
    questions: HashMap<&'a str, usize>,
    conclusions: HashMap<&'a str, usize>,
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
        match kader_suggest::did_you_mean(id, tree.questions.iter().map(|q| q.question_id.as_str()))
        {
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
        match kader_suggest::did_you_mean(
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
                    let hint = match kader_suggest::did_you_mean(label, produced.iter().copied()) {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => "add the label to an answer's labels, or fix the condition".into(),
                    };
                    problems.push(problem(
                        ProblemKind::UnknownLabel,
                        format!(
                            "label \"{label}\" is used in a condition but no answer produces it"
                        ),
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
        let Some(kind) = q.input_kind() else {
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
        let domain = match kind {
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
            if: '"aanbieder" in labels && "open-source" in labels'
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
            [
                ProblemKind::DuplicateId,
                ProblemKind::DuplicateId,
                ProblemKind::Unreachable,
                ProblemKind::Unreachable
            ],
            "the second of each pair is never the target of a link"
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
        assert_eq!(p[1].message, "conclusion \"c2\" is not reached by any walk");
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
        assert_eq!(kinds(&p)[0], ProblemKind::BadExpression);
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
            [
                ProblemKind::FallThrough,
                ProblemKind::FallThrough,
                ProblemKind::NeverTaken
            ]
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
        assert_eq!(
            kinds(&p),
            [ProblemKind::UnknownLabel, ProblemKind::NeverTaken],
            "a condition on a label nobody produces is never true"
        );
        assert_eq!(
            p[0].message,
            "label \"open-sourse\" is used in a condition but no answer produces it"
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
            questions,
            conclusions: vec![Conclusion {
                conclusion_id: "c".into(),
                ..Conclusion::default()
            }],
            ..DecisionTree::default()
        };
        let p = validate(&t);
        assert_eq!(kinds(&p), [ProblemKind::Cycle, ProblemKind::Unreachable]);
        assert!(p[0]
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
    use crate::engine::Engine;
    use crate::session::{Current, Session};
    use crate::tree::{Answer, Conclusion, Input, Question, Redirect};
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
            ..Conclusion::default()
        });
        (
            prop::collection::vec(question, 0..6),
            prop::collection::vec(conclusion, 0..3),
        )
            .prop_map(|(questions, conclusions)| DecisionTree {
                questions,
                conclusions,
                ..DecisionTree::default()
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
                ..DecisionTree::default()
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
            if let Ok(mut s) = Session::new(Engine::from_tree(tree)) {
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
            let mut s = Session::new(Engine::from_tree(tree)).unwrap();
            for (c, value, use_value) in choices {
                if s.is_finished() {
                    break;
                }
                let (n, numeric) = match s.current() {
                    Some(Current::Question(_, q)) => (q.answers.len(), q.input.is_some()),
                    _ => (0, false),
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
