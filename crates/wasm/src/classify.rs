//! Classifier exports: a decision-tree session of `kader-classify`, the
//! compute estimator, the art. 51–55 rules and the art. 52 deadlines behind a
//! raw C ABI (see the crate docs for the memory conventions). Every result is
//! JSON; none of the functions traps on any input (unknown handles, invalid
//! UTF-8, malformed JSON, out-of-range indices give an error object).
//!
//! ```text
//! h = classify_session_open(tree_json, lang)     // 0: not a usable tree
//! classify_state(h)                              // {ok, at, depth, labels, question|conclusion,
//!                                                //  history, facts, assessment?, agrees?}
//! classify_answer(h, index)                      // {ok, …state} | {ok:false, error, …state}
//! classify_answer_value(h, input_json)           // numeric question: {"method":"direct","value":"3e25"}
//!                                                //  | {"method":"parameters",…} | {"method":"accelerators",…}
//!                                                //  (plain text is taken as a direct value)
//! classify_back(h) / classify_restart(h)         // state
//! classify_session_assess(h, extras_json)        // at a conclusion: rules' assessment with
//!                                                //  {thresholdDate, designationDate, annexXiii}
//! classify_session_close(h)
//!
//! classify_estimate(input_json, lang)            // {ok, flop, value, formula, method, band, log10}
//! classify_assess(facts_json, lang)              // {ok, classification, title, steps, obligations, …}
//! classify_dates(json, lang)                     // {ok, notificationDeadline, earliestReassessment, errors}
//! ```
//!
//! `lang` is `nl` or `en` (anything else reads as `nl`). A session keeps the
//! language it was opened with. Errors look like
//! `{"ok":false,"error":{"kind":…,"message":…,"nl":…,"en":…,"field"?:…}}`.
//!
//! The tree texts are sanitized again here with
//! [`kader_classify::sanitize_html`] (the build already did it; this keeps the
//! module safe whatever page embeds it), and source URLs other than
//! `http(s):`, `mailto:` or relative ones are dropped, so the host may set
//! them with `innerHTML` / `href`.
//!
//! # From answers to facts
//!
//! At a conclusion the session's answers are turned into
//! [`ModelFacts`] and classified by the rules, so the widget shows the rules'
//! reasoning next to the tree's conclusion ([`facts`] documents the mapping).
//! `agrees` says whether both reach the same result.

use std::cell::RefCell;

use kader_classify::compute::{
    format_number, format_number_precise, parse_number, ComputeError, Estimate,
    GPAI_INDICATIVE_THRESHOLD_FLOP, SYSTEMIC_RISK_THRESHOLD_FLOP,
};
use kader_classify::rules::{
    classify, earliest_reassessment_request, notification_deadline, AnnexXiii, Assessment,
    Classification, Modalities, ModelFacts, Role, LABEL_GPAI, LABEL_OPEN_SOURCE, LABEL_PROVIDER,
    LABEL_SYSTEMIC_RISK,
};
use kader_classify::tree::{
    Answer, Conclusion, Current, DecisionTree, InputKind, Position, Question, Session, Source,
};
use kader_classify::{compute, sanitize_html, Date, Lang, Text};
use serde_json::{json, Map, Value};

use crate::{give, text};

/// Conclusion of the bundled tree meaning "the Commission may designate the
/// model" (the labels alone do not distinguish it from "no systemic risk").
pub const MAY_BE_DESIGNATED: &str = "c-kan-worden-aangewezen";
/// Question of the bundled tree about ≥ 10 000 registered business users
/// (Annex XIII, point (f)).
pub const BUSINESS_USERS_QUESTION: &str = "5.1";

/// How the compute of a numeric answer was obtained.
#[derive(Debug, Clone, PartialEq)]
struct ComputeNote {
    method: &'static str,
    flop: f64,
    formula: Text,
}

/// One open session: the walk, plus per answer how its value was obtained.
struct Slot {
    session: Session,
    lang: Lang,
    notes: Vec<Option<ComputeNote>>,
}

thread_local! {
    // Handle h (≥ 1) is slot h − 1. A closed slot is reused.
    static SESSIONS: RefCell<Vec<Option<Slot>>> = const { RefCell::new(Vec::new()) };
}

fn with_slot<R>(h: u32, f: impl FnOnce(&mut Slot) -> R) -> Option<R> {
    SESSIONS.with(|s| {
        let mut s = s.borrow_mut();
        let slot = s.get_mut((h as usize).checked_sub(1)?)?;
        slot.as_mut().map(f)
    })
}

fn lang_of(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or_default()
}

fn pick(t: &Text, lang: Lang) -> String {
    t.get(lang).to_string()
}

// ------------------------------------------------------------------ errors

fn error_value(kind: &str, nl: String, en: String, lang: Lang) -> Value {
    let message = match lang {
        Lang::Nl => nl.clone(),
        Lang::En => en.clone(),
    };
    json!({ "kind": kind, "message": message, "nl": nl, "en": en })
}

fn error_json(kind: &str, nl: impl Into<String>, en: impl Into<String>, lang: Lang) -> Value {
    json!({ "ok": false, "error": error_value(kind, nl.into(), en.into(), lang) })
}

fn handle_error(lang: Lang) -> Value {
    error_json(
        "handle",
        "Deze sessie bestaat niet (meer).",
        "This session does not exist (any more).",
        lang,
    )
}

fn json_error(lang: Lang) -> Value {
    error_json(
        "json",
        "De invoer is geen geldige JSON.",
        "The input is not valid JSON.",
        lang,
    )
}

fn compute_error_value(e: &ComputeError, field: Option<&str>, lang: Lang) -> Value {
    let kind = serde_json::to_value(e)
        .ok()
        .and_then(|v| v.get("kind").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "compute".into());
    let mut v = error_value(&kind, e.message(Lang::Nl), e.message(Lang::En), lang);
    if let (Some(f), Some(o)) = (field, v.as_object_mut()) {
        o.insert("field".into(), Value::from(f));
    }
    v
}

// ------------------------------------------------------------------ exact JSON

/// Parses JSON like `serde_json::from_str::<Value>`, but reads every number
/// with Rust's correctly rounded `str::parse::<f64>`. Without serde_json's
/// `float_roundtrip` feature `1.0e25` would read as a neighbour of 10^25,
/// which moves a tree's range bounds off the art. 51(2) threshold. `None` for
/// invalid JSON or nesting deeper than 128.
pub fn parse_json(input: &str) -> Option<Value> {
    let mut p = JsonReader {
        s: input.as_bytes(),
        src: input,
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct JsonReader<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl JsonReader<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > 128 {
            return None;
        }
        self.ws();
        match *self.s.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut m = Map::new();
                if self.eat(b'}') {
                    return Some(Value::Object(m));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    let v = self.value(depth + 1)?;
                    m.insert(k, v);
                    if self.eat(b'}') {
                        return Some(Value::Object(m));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                if self.eat(b']') {
                    return Some(Value::Array(a));
                }
                loop {
                    a.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Value::Array(a));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Value::String),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            _ => self.number(),
        }
    }

    fn word(&mut self, w: &str, v: Value) -> Option<Value> {
        let end = self.i.checked_add(w.len())?;
        (self.s.get(self.i..end)? == w.as_bytes()).then(|| {
            self.i = end;
            v
        })
    }

    fn string(&mut self) -> Option<String> {
        let start = self.i;
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        loop {
            match *self.s.get(self.i)? {
                b'\\' => self.i += 2,
                b'"' => break,
                _ => self.i += 1,
            }
        }
        self.i += 1;
        // The exact slice of one string literal: let serde_json unescape it.
        serde_json::from_str(self.src.get(start..self.i)?).ok()
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        while matches!(
            self.s.get(self.i),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.i += 1;
        }
        let t = self.src.get(start..self.i)?;
        // Check the JSON number grammar with serde_json, then read exactly.
        let checked: serde_json::Number = serde_json::from_str(t).ok()?;
        if checked.is_i64() || checked.is_u64() {
            return Some(Value::Number(checked));
        }
        let f: f64 = t.parse().ok()?;
        serde_json::Number::from_f64(f).map(Value::Number)
    }
}

// ------------------------------------------------------------------ tree → JSON

/// A URL that is safe as an `href`: `http(s):`, `mailto:` or without a scheme.
fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let scheme_end = lower.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    let has_scheme = matches!(scheme_end, Some(i) if i > 0 && lower[i..].starts_with(':'));
    let ok = !has_scheme
        || lower.starts_with("https:")
        || lower.starts_with("http:")
        || lower.starts_with("mailto:");
    (ok && !u.is_empty() && !u.chars().any(char::is_control)).then(|| u.to_string())
}

fn sources_json(sources: &[Source]) -> Value {
    Value::Array(
        sources
            .iter()
            .map(|s| json!({ "source": s.source, "url": s.url.as_deref().and_then(safe_url) }))
            .collect(),
    )
}

fn html(s: &str) -> Value {
    Value::from(sanitize_html(s))
}

fn opt_html(s: Option<&str>) -> Value {
    s.map_or(Value::Null, html)
}

fn range_json(a: &Answer) -> Value {
    match a.range {
        Some(r) => json!({ "gt": r.gt, "ge": r.ge, "lt": r.lt, "le": r.le, "text": r.to_string() }),
        None => Value::Null,
    }
}

fn question_json(index: usize, q: &Question) -> Value {
    let answers: Vec<Value> = q
        .answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "index": i,
                "answer": html(&a.answer),
                "explanation": opt_html(a.explanation.as_deref()),
                "labels": a.labels,
                "range": range_json(a),
            })
        })
        .collect();
    json!({
        "index": index,
        "questionId": q.question_id,
        "question": html(&q.question),
        "explanation": opt_html(q.explanation.as_deref()),
        "category": q.category,
        "subcategory": q.subcategory,
        "sources": sources_json(&q.sources),
        "input": q.input.as_ref().map(|i| json!({
            "kind": match i.kind { InputKind::Compute => "compute", InputKind::Number => "number" },
            "unit": i.unit,
        })),
        "answers": answers,
    })
}

fn conclusion_json(index: usize, c: &Conclusion) -> Value {
    json!({
        "index": index,
        "conclusionId": c.conclusion_id,
        "conclusion": html(&c.conclusion),
        "obligation": html(&c.obligation),
        "explanation": opt_html(c.explanation.as_deref()),
        "labels": c.labels,
        "sources": sources_json(&c.sources),
    })
}

fn date_json(d: Option<Date>, lang: Lang) -> Value {
    match d {
        Some(d) => json!({ "iso": d.to_string(), "text": d.format(lang) }),
        None => Value::Null,
    }
}

/// The rules' assessment in one language.
pub fn assessment_json(a: &Assessment, lang: Lang) -> Value {
    json!({
        "classification": a.classification,
        "title": pick(&a.classification.title(), lang),
        "isGpai": a.classification.is_gpai(),
        "systemicRisk": a.classification.is_systemic_risk(),
        "mayBeDesignated": a.may_be_designated,
        "reasons": a.designation_reasons.iter().map(|r| json!({
            "criterion": r.criterion,
            "article": pick(&r.article, lang),
            "description": pick(&r.criterion.description(), lang),
            "text": pick(&r.text, lang),
        })).collect::<Vec<_>>(),
        "notificationRequired": a.notification_required,
        "notificationDeadline": date_json(a.notification_deadline, lang),
        "earliestReassessment": date_json(a.earliest_reassessment, lang),
        "steps": a.steps.iter().map(|s| json!({
            "article": pick(&s.article, lang),
            "text": pick(&s.text, lang),
        })).collect::<Vec<_>>(),
        "obligations": a.obligations.iter().map(|o| json!({
            "id": o.id,
            "article": o.article,
            "text": pick(&o.text, lang),
        })).collect::<Vec<_>>(),
        "labels": a.labels,
    })
}

// ------------------------------------------------------------------ facts

/// What the answers say beyond [`ModelFacts`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FactNotes {
    /// The user said other Annex XIII criteria apply without saying which.
    pub annex_unspecified: bool,
}

/// Turns the answers of a session on the bundled tree into [`ModelFacts`]:
///
/// | answers | facts |
/// |---|---|
/// | the first answer collects `ai-model-voor-algemene-doeleinden` | `general_purpose: Some(true)` |
/// | a later answer collects it (after "don't know": the guidelines' indicative criterion was confirmed) | `general_purpose: None`, `generates.language`, so the rules apply the criterion; `Some(true)` when the compute entered is not above 10^23 (the user's own answer wins) |
/// | the first answer ends the walk without that label | `general_purpose: Some(false)` |
/// | a later answer ends it without that label | `general_purpose: None` (criterion not met) |
/// | `aanbieder` collected / an answer to the role question without it | `role: Provider` / `Deployer` |
/// | a value for a `kind: compute` question | `training_compute_flop` |
/// | `open-source` collected | `open_source` |
/// | `systeemrisico` collected by a question without numeric input | `designated_by_commission` |
/// | conclusion `c-kan-worden-aangewezen` from question 5.1 | Annex XIII (f): `market_reach` |
/// | the same conclusion from another question | Annex XIII criteria unspecified ([`FactNotes`]) |
pub fn facts(session: &Session) -> (ModelFacts, FactNotes) {
    let tree = session.tree();
    let history = session.history();
    let mut f = ModelFacts::default();
    let mut notes = FactNotes::default();
    let mut gpai_at: Option<usize> = None;
    for (i, choice) in history.iter().enumerate() {
        let Some(q) = tree.questions.get(choice.question) else {
            continue;
        };
        let Some(a) = q.answers.get(choice.answer) else {
            continue;
        };
        let has = |l: &str| a.labels.iter().any(|x| x == l);
        if let (Some(input), Some(v)) = (&q.input, choice.value) {
            if input.kind == InputKind::Compute {
                f.training_compute_flop = Some(v);
            }
        }
        if has(LABEL_GPAI) && gpai_at.is_none() {
            gpai_at = Some(i);
        }
        if has(LABEL_PROVIDER) {
            f.role = Some(Role::Provider);
        } else if q
            .answers
            .iter()
            .any(|x| x.labels.iter().any(|l| l == LABEL_PROVIDER))
        {
            f.role = Some(Role::Deployer);
        }
        if has(LABEL_OPEN_SOURCE) {
            f.open_source = true;
        }
        if has(LABEL_SYSTEMIC_RISK) && q.input.is_none() {
            f.designated_by_commission = true;
        }
    }
    f.general_purpose = match gpai_at {
        Some(0) => Some(true),
        Some(_) => {
            f.generates = Modalities {
                language: true,
                ..Modalities::default()
            };
            match f.training_compute_flop {
                Some(c) if c > GPAI_INDICATIVE_THRESHOLD_FLOP => None,
                _ => Some(true),
            }
        }
        None if history.len() == 1 => Some(false),
        None => None,
    };
    if let Position::Conclusion(ci) = session.position() {
        let id = tree.conclusions.get(ci).map(|c| c.conclusion_id.as_str());
        if id == Some(MAY_BE_DESIGNATED) {
            let last = history.last().map(|c| c.question_id.as_str());
            if last == Some(BUSINESS_USERS_QUESTION) {
                f.annex_xiii.market_reach = true;
            } else {
                notes.annex_unspecified = true;
            }
        }
    }
    (f, notes)
}

/// Extra facts entered at the conclusion (dates, the Annex XIII checklist).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// When the threshold was met or became known (art. 52(1)).
    pub threshold_date: Option<Date>,
    /// Date of the designation decision (art. 52(5)).
    pub designation_date: Option<Date>,
    /// Ticked criteria; `None` when the checklist was not used.
    pub annex: Option<AnnexXiii>,
}

fn parse_extras(v: &Value) -> Extras {
    let date = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .and_then(|s| Date::parse(s).ok())
    };
    let annex = v
        .get("annexXiii")
        .and_then(|a| serde_json::from_value::<AnnexXiii>(a.clone()).ok());
    Extras {
        threshold_date: date("thresholdDate"),
        designation_date: date("designationDate"),
        annex,
    }
}

/// Classifies the session's facts plus `extras`. Returns the facts used, the
/// assessment, and whether the assessment agrees with the tree's conclusion.
pub fn assess_session(session: &Session, extras: &Extras) -> (ModelFacts, Assessment, bool) {
    let (mut f, mut notes) = facts(session);
    f.threshold_date = extras.threshold_date;
    f.designation_date = extras.designation_date;
    // The checklist, when used, replaces what the answers implied (the
    // widget pre-ticks it from them).
    if let Some(a) = extras.annex {
        let any = a.parameters
            || a.dataset
            || a.compute
            || a.modalities
            || a.benchmarks
            || a.market_reach
            || a.end_users
            || a.registered_business_users.is_some();
        f.annex_xiii = a;
        if any {
            notes.annex_unspecified = false;
        }
    }
    let mut a = classify(&f);
    if notes.annex_unspecified && a.classification == Classification::Gpai && !a.may_be_designated {
        a.may_be_designated = true;
        if let Some(step) = a
            .steps
            .iter_mut()
            .find(|s| s.article.en == "art. 51(1)(b), art. 52(4)")
        {
            step.text = Text::new(
                "U geeft aan dat criteria uit bijlage XIII erop wijzen dat het model capaciteiten of een impact heeft die gelijkwaardig zijn aan die van de meest geavanceerde modellen. De Commissie kan het model daarom aanwijzen als AI-model voor algemene doeleinden met een systeemrisico. Vink aan welke criteria het zijn om ze als redenen op te nemen.",
                "You indicated that criteria of Annex XIII point to capabilities or an impact equivalent to those of the most advanced models. The Commission may therefore designate the model as a general-purpose AI model with systemic risk. Tick which criteria they are to list them as reasons.",
            );
        }
    }
    let agrees = agrees(session, &a);
    (f, a, agrees)
}

/// Whether the rules' assessment says the same as the tree's conclusion: the
/// same labels (as sets), and "may be designated" exactly for
/// [`MAY_BE_DESIGNATED`].
pub fn agrees(session: &Session, a: &Assessment) -> bool {
    let Current::Conclusion(c) = session.current() else {
        return false;
    };
    let mut tree_labels: Vec<&str> = session.labels().iter().map(String::as_str).collect();
    let mut rule_labels: Vec<&str> = a.labels.iter().map(String::as_str).collect();
    tree_labels.sort_unstable();
    tree_labels.dedup();
    rule_labels.sort_unstable();
    rule_labels.dedup();
    let may = c.conclusion_id == MAY_BE_DESIGNATED;
    tree_labels == rule_labels && (!may || a.may_be_designated)
}

// ------------------------------------------------------------------ compute

/// Where a value sits relative to the two thresholds.
fn band(flop: f64) -> &'static str {
    if flop > SYSTEMIC_RISK_THRESHOLD_FLOP {
        "above-systemic-risk"
    } else if flop > GPAI_INDICATIVE_THRESHOLD_FLOP {
        "above-indicative"
    } else {
        "below-indicative"
    }
}

fn estimate_json(method: &str, e: &Estimate, lang: Lang) -> Value {
    json!({
        "ok": true,
        "method": method,
        "flop": e.flop,
        "value": format!("{} FLOP", format_number_precise(e.flop, lang)),
        "short": format!("{} FLOP", format_number(e.flop, lang)),
        "formula": pick(&e.formula, lang),
        "band": band(e.flop),
        "log10": if e.flop > 0.0 { Value::from(e.flop.log10()) } else { Value::Null },
    })
}

/// A number field of an estimate: a JSON number, or text in any notation of
/// the compute parser. Utilisation may also be a percentage (`40%`).
fn field(v: &Value, name: &str, percent: bool) -> Result<f64, (ComputeError, String)> {
    let err = |e| (e, name.to_string());
    match v.get(name) {
        Some(Value::Number(n)) => n.as_f64().ok_or(err(ComputeError::NotFinite)),
        Some(Value::String(s)) => {
            let t = s.trim();
            if percent {
                if let Some(p) = t.strip_suffix('%') {
                    return parse_number(p).map(|x| x / 100.0).map_err(err);
                }
            }
            let x = parse_number(t).map_err(err)?;
            if x < 0.0 {
                return Err(err(ComputeError::Negative));
            }
            Ok(x)
        }
        _ => Err(err(ComputeError::Empty)),
    }
}

/// Evaluates an estimator input: `{"method":"direct","value":"3e25"}`,
/// `{"method":"parameters","parameters":…,"tokens":…}` or
/// `{"method":"accelerators","count":…,"hours":…,"peakFlops":…,"utilisation":…}`.
/// Text that is not a JSON object is taken as a direct value.
fn evaluate(input: &str) -> Result<(&'static str, Estimate), (ComputeError, Option<String>)> {
    let v: Value = match parse_json(input) {
        Some(v @ Value::Object(_)) => v,
        _ => {
            return compute::estimate_direct(input)
                .map(|e| ("direct", e))
                .map_err(|e| (e, Some("value".into())))
        }
    };
    let with_field = |(e, f): (ComputeError, String)| (e, Some(f));
    match v.get("method").and_then(Value::as_str).unwrap_or("direct") {
        "parameters" => {
            let n = field(&v, "parameters", false).map_err(with_field)?;
            let d = field(&v, "tokens", false).map_err(with_field)?;
            compute::estimate_from_parameters(n, d)
                .map(|e| ("parameters", e))
                .map_err(|e| {
                    let f = not_positive_field(&e);
                    (e, f)
                })
        }
        "accelerators" => {
            let c = field(&v, "count", false).map_err(with_field)?;
            let h = field(&v, "hours", false).map_err(with_field)?;
            let p = field(&v, "peakFlops", false).map_err(with_field)?;
            let u = field(&v, "utilisation", true).map_err(with_field)?;
            compute::estimate_from_accelerators(c, h, p, u)
                .map(|e| ("accelerators", e))
                .map_err(|e| {
                    let f = not_positive_field(&e);
                    (e, f)
                })
        }
        _ => {
            let value = match v.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            compute::estimate_direct(&value)
                .map(|e| ("direct", e))
                .map_err(|e| (e, Some("value".into())))
        }
    }
}

fn not_positive_field(e: &ComputeError) -> Option<String> {
    use kader_classify::compute::Quantity;
    let name = match e {
        ComputeError::NotPositive { quantity } => match quantity {
            Quantity::Parameters => "parameters",
            Quantity::Tokens => "tokens",
            Quantity::Accelerators => "count",
            Quantity::Hours => "hours",
            Quantity::PeakFlops => "peakFlops",
            Quantity::Utilisation => "utilisation",
        },
        ComputeError::UtilisationOutOfRange => "utilisation",
        _ => return None,
    };
    Some(name.into())
}

// ------------------------------------------------------------------ safe API

/// Opens a session on a decision tree given as JSON; the handle (≥ 1), or 0
/// when the JSON is not a tree with at least one question.
pub fn session_open(tree_json: &str, lang: &str) -> u32 {
    let Some(tree) =
        parse_json(tree_json).and_then(|v| serde_json::from_value::<DecisionTree>(v).ok())
    else {
        return 0;
    };
    let Ok(session) = Session::new(tree) else {
        return 0;
    };
    let slot = Slot {
        session,
        lang: lang_of(lang),
        notes: Vec::new(),
    };
    SESSIONS.with(|s| {
        let mut s = s.borrow_mut();
        let i = match s.iter().position(Option::is_none) {
            Some(i) => {
                s[i] = Some(slot);
                i
            }
            None => {
                s.push(Some(slot));
                s.len() - 1
            }
        };
        u32::try_from(i + 1).unwrap_or(0)
    })
}

/// Closes a session (unknown handles are ignored).
pub fn session_close(h: u32) {
    SESSIONS.with(|s| {
        if let Some(slot) = (h as usize)
            .checked_sub(1)
            .and_then(|i| s.borrow_mut().get_mut(i).map(Option::take))
        {
            drop(slot);
        }
    });
}

fn state_value(slot: &Slot) -> Value {
    let s = &slot.session;
    let lang = slot.lang;
    let tree = s.tree();
    let history: Vec<Value> = s
        .history()
        .iter()
        .zip(slot.notes.iter().chain(std::iter::repeat(&None)))
        .map(|(c, note)| {
            let q = tree.questions.get(c.question);
            let a = q.and_then(|q| q.answers.get(c.answer));
            json!({
                "questionId": c.question_id,
                "question": q.map_or(Value::Null, |q| html(&q.question)),
                "answer": a.map_or(Value::Null, |a| html(&a.answer)),
                "value": c.value,
                "valueText": c.value.map(|v| format!("{} FLOP", format_number_precise(v, lang))),
                "method": note.as_ref().map(|n| n.method),
                "formula": note.as_ref().map(|n| pick(&n.formula, lang)),
            })
        })
        .collect();
    let (facts, _) = facts(s);
    let mut out = Map::new();
    out.insert("ok".into(), true.into());
    out.insert("depth".into(), history.len().into());
    out.insert("labels".into(), json!(s.labels()));
    out.insert("history".into(), Value::Array(history));
    let compute = slot.notes.iter().rev().flatten().next().map(|n| {
        json!({
            "flop": n.flop,
            "value": format!("{} FLOP", format_number_precise(n.flop, lang)),
            "method": n.method,
            "formula": pick(&n.formula, lang),
            "band": band(n.flop),
            "log10": if n.flop > 0.0 { Value::from(n.flop.log10()) } else { Value::Null },
        })
    });
    out.insert("compute".into(), compute.unwrap_or(Value::Null));
    match s.current() {
        Current::Question(q) => {
            let i = match s.position() {
                Position::Question(i) => i,
                Position::Conclusion(_) => 0,
            };
            out.insert("at".into(), "question".into());
            out.insert("question".into(), question_json(i, q));
            out.insert(
                "facts".into(),
                serde_json::to_value(&facts).unwrap_or(Value::Null),
            );
        }
        Current::Conclusion(c) => {
            let i = match s.position() {
                Position::Conclusion(i) => i,
                Position::Question(_) => 0,
            };
            out.insert("at".into(), "conclusion".into());
            out.insert("conclusion".into(), conclusion_json(i, c));
            let (facts, a, ok) = assess_session(s, &Extras::default());
            out.insert(
                "facts".into(),
                serde_json::to_value(&facts).unwrap_or(Value::Null),
            );
            out.insert("assessment".into(), assessment_json(&a, lang));
            out.insert("agrees".into(), ok.into());
        }
    }
    Value::Object(out)
}

/// The current state of a session.
pub fn state(h: u32) -> String {
    with_slot(h, |slot| state_value(slot))
        .unwrap_or_else(|| handle_error(Lang::Nl))
        .to_string()
}

fn flow_result(slot: &Slot, r: Result<(), Value>) -> Value {
    let mut v = state_value(slot);
    if let (Err(e), Some(o)) = (r, v.as_object_mut()) {
        o.insert("ok".into(), false.into());
        o.insert("error".into(), e);
    }
    v
}

fn flow_error(e: &kader_classify::tree::FlowError, lang: Lang) -> Value {
    let kind = match e {
        kader_classify::tree::FlowError::InvalidValue { error } => {
            return compute_error_value(error, Some("value"), lang)
        }
        kader_classify::tree::FlowError::Finished => "finished",
        kader_classify::tree::FlowError::NothingToUndo => "nothing-to-undo",
        kader_classify::tree::FlowError::NoSuchAnswer { .. } => "no-such-answer",
        kader_classify::tree::FlowError::NotNumeric { .. } => "not-numeric",
        kader_classify::tree::FlowError::NoMatchingRange { .. } => "no-matching-range",
        _ => "tree",
    };
    error_value(kind, e.message(Lang::Nl), e.message(Lang::En), lang)
}

/// Chooses answer `index` of the current question.
pub fn answer(h: u32, index: u32) -> String {
    with_slot(h, |slot| {
        let r = slot
            .session
            .answer(index as usize)
            .map(|_| slot.notes.push(None))
            .map_err(|e| flow_error(&e, slot.lang));
        flow_result(slot, r)
    })
    .unwrap_or_else(|| handle_error(Lang::Nl))
    .to_string()
}

/// Answers the current numeric question with an estimator input (see
/// [`evaluate`]); for `kind: number` questions the direct text is parsed as
/// a number, negatives allowed.
pub fn answer_value(h: u32, input: &str) -> String {
    with_slot(h, |slot| {
        let lang = slot.lang;
        let kind = match slot.session.current() {
            Current::Question(q) => q.input.as_ref().map(|i| i.kind),
            Current::Conclusion(_) => None,
        };
        let r = match kind {
            Some(InputKind::Number) => {
                let text = match parse_json(input) {
                    Some(Value::Object(o)) => o
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    _ => input.to_string(),
                };
                slot.session
                    .answer_text(&text)
                    .map(|_| slot.notes.push(None))
                    .map_err(|e| flow_error(&e, lang))
            }
            _ => match evaluate(input) {
                Ok((method, e)) => {
                    let note = ComputeNote {
                        method,
                        flop: e.flop,
                        formula: e.formula,
                    };
                    slot.session
                        .answer_value(e.flop)
                        .map(|_| slot.notes.push(Some(note)))
                        .map_err(|e| flow_error(&e, lang))
                }
                Err((e, f)) => Err(compute_error_value(&e, f.as_deref(), lang)),
            },
        };
        flow_result(slot, r)
    })
    .unwrap_or_else(|| handle_error(Lang::Nl))
    .to_string()
}

/// Undoes the last answer.
pub fn back(h: u32) -> String {
    with_slot(h, |slot| {
        let r = slot
            .session
            .back()
            .map(|_| {
                slot.notes.pop();
            })
            .map_err(|e| flow_error(&e, slot.lang));
        flow_result(slot, r)
    })
    .unwrap_or_else(|| handle_error(Lang::Nl))
    .to_string()
}

/// Back to the first question.
pub fn restart(h: u32) -> String {
    with_slot(h, |slot| {
        slot.session.restart();
        slot.notes.clear();
        flow_result(slot, Ok(()))
    })
    .unwrap_or_else(|| handle_error(Lang::Nl))
    .to_string()
}

/// At a conclusion: the rules' assessment of the session's answers plus
/// `extras` (`{"thresholdDate","designationDate","annexXiii":{…}}`).
pub fn session_assess(h: u32, extras: &str) -> String {
    with_slot(h, |slot| {
        let lang = slot.lang;
        if !slot.session.is_finished() {
            return error_json(
                "not-finished",
                "Er is nog geen conclusie bereikt.",
                "No conclusion has been reached yet.",
                lang,
            );
        }
        let v: Value = if extras.trim().is_empty() {
            Value::Null
        } else {
            match parse_json(extras) {
                Some(v) => v,
                None => return json_error(lang),
            }
        };
        let (facts, a, ok) = assess_session(&slot.session, &parse_extras(&v));
        json!({
            "ok": true,
            "facts": serde_json::to_value(&facts).unwrap_or(Value::Null),
            "assessment": assessment_json(&a, lang),
            "agrees": ok,
        })
    })
    .unwrap_or_else(|| handle_error(Lang::Nl))
    .to_string()
}

/// Evaluates an estimator input (see [`evaluate`]).
pub fn estimate(input: &str, lang: &str) -> String {
    let lang = lang_of(lang);
    match evaluate(input) {
        Ok((method, e)) => estimate_json(method, &e, lang),
        Err((e, f)) => json!({ "ok": false, "error": compute_error_value(&e, f.as_deref(), lang) }),
    }
    .to_string()
}

/// Classifies [`ModelFacts`] given as JSON (camelCase; missing fields take
/// their defaults).
pub fn assess(facts_json: &str, lang: &str) -> String {
    let lang = lang_of(lang);
    match parse_json(facts_json).and_then(|v| serde_json::from_value::<ModelFacts>(v).ok()) {
        Some(f) => {
            let mut v = assessment_json(&classify(&f), lang);
            if let Some(o) = v.as_object_mut() {
                o.insert("ok".into(), true.into());
            }
            v
        }
        None => json_error(lang),
    }
    .to_string()
}

/// The deadlines of art. 52(1) and 52(5) for
/// `{"thresholdDate":"YYYY-MM-DD","designationDate":"YYYY-MM-DD"}` (either
/// may be missing or empty).
pub fn dates(input: &str, lang: &str) -> String {
    let lang = lang_of(lang);
    let Some(v) = parse_json(input) else {
        return json_error(lang).to_string();
    };
    let mut errors = Map::new();
    let mut one = |key: &str, f: fn(Date) -> Option<Date>| -> Value {
        let Some(s) = v
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
        else {
            return Value::Null;
        };
        match Date::parse(s) {
            Ok(d) => match f(d) {
                Some(r) => {
                    json!({ "from": date_json(Some(d), lang), "iso": r.to_string(), "text": r.format(lang) })
                }
                None => {
                    errors.insert(
                        key.into(),
                        error_value(
                            "out-of-range",
                            "De datum valt buiten het ondersteunde bereik (tot 9999).".into(),
                            "The date falls outside the supported range (up to 9999).".into(),
                            lang,
                        ),
                    );
                    Value::Null
                }
            },
            Err(e) => {
                errors.insert(
                    key.into(),
                    error_value(
                        "date",
                        e.message(Lang::Nl).into(),
                        e.message(Lang::En).into(),
                        lang,
                    ),
                );
                Value::Null
            }
        }
    };
    let notification = one("thresholdDate", notification_deadline);
    let reassessment = one("designationDate", earliest_reassessment_request);
    json!({
        "ok": errors.is_empty(),
        "notificationDeadline": notification,
        "earliestReassessment": reassessment,
        "errors": errors,
    })
    .to_string()
}

// ------------------------------------------------------------------ exports

/// Opens a session: `tree` is the decision tree as JSON, `lang` `nl`/`en`.
/// Returns the handle, or 0.
///
/// # Safety
/// Both `(ptr, len)` pairs must be live buffers from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_session_open(
    tree: *const u8,
    tree_len: usize,
    lang: *const u8,
    lang_len: usize,
) -> u32 {
    session_open(text(tree, tree_len), text(lang, lang_len))
}

/// Closes a session.
#[no_mangle]
pub extern "C" fn classify_session_close(h: u32) {
    session_close(h)
}

/// The session's state as JSON.
#[no_mangle]
pub extern "C" fn classify_state(h: u32) -> u64 {
    give(state(h))
}

/// Chooses answer `index`; the new state (or the error and the old state).
#[no_mangle]
pub extern "C" fn classify_answer(h: u32, index: u32) -> u64 {
    give(answer(h, index))
}

/// Answers a numeric question with an estimator input or text.
///
/// # Safety
/// `(ptr, len)` must be a live buffer from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_answer_value(h: u32, ptr: *const u8, len: usize) -> u64 {
    give(answer_value(h, text(ptr, len)))
}

/// Undoes the last answer.
#[no_mangle]
pub extern "C" fn classify_back(h: u32) -> u64 {
    give(back(h))
}

/// Back to the first question.
#[no_mangle]
pub extern "C" fn classify_restart(h: u32) -> u64 {
    give(restart(h))
}

/// The rules' assessment at the session's conclusion, with extras.
///
/// # Safety
/// `(ptr, len)` must be a live buffer from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_session_assess(h: u32, ptr: *const u8, len: usize) -> u64 {
    give(session_assess(h, text(ptr, len)))
}

/// Evaluates an estimator input.
///
/// # Safety
/// Both `(ptr, len)` pairs must be live buffers from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_estimate(
    ptr: *const u8,
    len: usize,
    lang: *const u8,
    lang_len: usize,
) -> u64 {
    give(estimate(text(ptr, len), text(lang, lang_len)))
}

/// Classifies model facts given as JSON.
///
/// # Safety
/// Both `(ptr, len)` pairs must be live buffers from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_assess(
    ptr: *const u8,
    len: usize,
    lang: *const u8,
    lang_len: usize,
) -> u64 {
    give(assess(text(ptr, len), text(lang, lang_len)))
}

/// The art. 52 deadlines for the given dates.
///
/// # Safety
/// Both `(ptr, len)` pairs must be live buffers from [`crate::kader_alloc`].
#[no_mangle]
pub unsafe extern "C" fn classify_dates(
    ptr: *const u8,
    len: usize,
    lang: *const u8,
    lang_len: usize,
) -> u64 {
    give(dates(text(ptr, len), text(lang, lang_len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The structure of `content/beslisbomen/gpai.yaml` (ids, labels,
    /// targets, ranges; texts shortened). The node tests in `tests/wasm/`
    /// run the same checks on the bundled YAML itself.
    const TREE: &str = r#"{"questions":[{"questionId":"1.0","question":"Gaat het om een AI-model voor algemene d","answers":[{"answer":"Ja","labels":["ai-model-voor-algemene-doeleinden"],"nextQuestionId":"2.0"},{"answer":"Nee","nextConclusionId":"c-geen-gpai"},{"answer":"Weet ik niet","nextQuestionId":"1.1"}]},{"questionId":"1.1","question":"Is het model getraind met meer dan 10^23","answers":[{"answer":"Ja, aan beide voorwaarden is voldaan","labels":["ai-model-voor-algemene-doeleinden"],"nextQuestionId":"2.0"},{"answer":"Nee","nextConclusionId":"c-geen-gpai"}]},{"questionId":"2.0","question":"Wat is uw rol ten opzichte van het model","answers":[{"answer":"Aanbieder: wij ontwikkelen het model (of laten het ontwikkelen) en brengen het onder eigen naam in de handel","labels":["aanbieder"],"nextQuestionId":"3.0"},{"answer":"Gebruiksverantwoordelijke: wij gebruiken een model van een andere partij","nextQuestionId":"3.0"}]},{"questionId":"3.0","question":"Hoeveel rekenkracht is in totaal gebruik","input":{"kind":"compute","unit":"FLOP"},"answers":[{"answer":"Niet meer dan 10^23 FLOP","range":{"le":1.0e23},"nextQuestionId":"4.0"},{"answer":"Meer dan 10^23 en niet meer dan 10^25 FLOP","range":{"gt":1.0e23,"le":1.0e25},"nextQuestionId":"4.0"},{"answer":"Meer dan 10^25 FLOP","range":{"gt":1.0e25},"labels":["systeemrisico"],"nextQuestionId":"4.0"}]},{"questionId":"4.0","question":"Wordt het model uitgebracht onder een vr","answers":[{"answer":"Ja","labels":["open-source"],"redirects":[{"nextConclusionId":"c-systeemrisico-vermoeden","if":"\"systeemrisico\" in labels"},{"nextQuestionId":"5.0","if":"true"}]},{"answer":"Nee","labels":["geen-open-source"],"redirects":[{"nextConclusionId":"c-systeemrisico-vermoeden","if":"\"systeemrisico\" in labels"},{"nextQuestionId":"5.0","if":"true"}]}]},{"questionId":"5.0","question":"Heeft de Europese Commissie het model aa","answers":[{"answer":"Ja","labels":["systeemrisico"],"nextConclusionId":"c-systeemrisico-aangewezen"},{"answer":"Nee","nextQuestionId":"5.1"}]},{"questionId":"5.1","question":"Is het model beschikbaar gesteld aan ten","answers":[{"answer":"Ja, 10 000 of meer","nextConclusionId":"c-kan-worden-aangewezen"},{"answer":"Nee, minder dan 10 000","nextQuestionId":"5.2"}]},{"questionId":"5.2","question":"Wijzen andere criteria uit bijlage XIII ","answers":[{"answer":"Ja","nextConclusionId":"c-kan-worden-aangewezen"},{"answer":"Nee","redirects":[{"nextConclusionId":"c-gpai-open-source","if":"\"open-source\" in labels"},{"nextConclusionId":"c-gpai-geen-systeemrisico","if":"true"}]}]}],"conclusions":[{"conclusionId":"c-geen-gpai","conclusion":"Het model is geen AI-model voor algemene","labels":[]},{"conclusionId":"c-gpai-geen-systeemrisico","conclusion":"Het model is een AI-model voor algemene ","labels":["ai-model-voor-algemene-doeleinden","geen-systeemrisico"]},{"conclusionId":"c-gpai-open-source","conclusion":"Het model is een AI-model voor algemene ","labels":["ai-model-voor-algemene-doeleinden","geen-systeemrisico","open-source"]},{"conclusionId":"c-systeemrisico-vermoeden","conclusion":"Het model is een AI-model voor algemene ","labels":["ai-model-voor-algemene-doeleinden","systeemrisico"]},{"conclusionId":"c-systeemrisico-aangewezen","conclusion":"Het model is een AI-model voor algemene ","labels":["ai-model-voor-algemene-doeleinden","systeemrisico"]},{"conclusionId":"c-kan-worden-aangewezen","conclusion":"Het model is een AI-model voor algemene ","labels":["ai-model-voor-algemene-doeleinden","geen-systeemrisico"]}]}"#;

    fn open() -> u32 {
        let h = session_open(TREE, "nl");
        assert!(h > 0);
        h
    }

    fn v(s: &str) -> Value {
        serde_json::from_str(s).expect("valid JSON")
    }

    /// Walks by answer index (`Some(i)`) or a compute text.
    fn walk(steps: &[&str]) -> (u32, Value) {
        let h = open();
        let mut last = v(&state(h));
        for s in steps {
            last = match s.parse::<u32>() {
                Ok(i) if !s.contains('e') => v(&answer(h, i)),
                _ => v(&answer_value(h, s)),
            };
            assert_eq!(last["ok"], true, "{s}: {last}");
        }
        (h, last)
    }

    #[test]
    fn every_conclusion_agrees_with_the_rules() {
        // (walk, conclusion, classification, may be designated)
        let cases: &[(&[&str], &str, &str, bool)] = &[
            (&["1"], "c-geen-gpai", "not-gpai", false),
            (&["2", "1"], "c-geen-gpai", "not-gpai", false),
            (
                &["0", "0", "3e25", "1"],
                "c-systeemrisico-vermoeden",
                "systemic-risk-presumed",
                false,
            ),
            (
                &["0", "0", "3e25", "0"],
                "c-systeemrisico-vermoeden",
                "systemic-risk-presumed",
                false,
            ),
            (
                &["0", "1", "2e25", "1"],
                "c-systeemrisico-vermoeden",
                "systemic-risk-presumed",
                false,
            ),
            (
                &["2", "0", "1", "5e24", "1", "0"],
                "c-systeemrisico-aangewezen",
                "systemic-risk-designated",
                false,
            ),
            (
                &["0", "0", "1e24", "0", "0"],
                "c-systeemrisico-aangewezen",
                "systemic-risk-designated",
                false,
            ),
            (
                &["0", "0", "1,2 × 10^24", "1", "1", "0"],
                "c-kan-worden-aangewezen",
                "gpai",
                true,
            ),
            (
                &["0", "0", "1e22", "1", "1", "1", "0"],
                "c-kan-worden-aangewezen",
                "gpai",
                true,
            ),
            (
                &["0", "0", "1e24", "1", "1", "1", "1"],
                "c-gpai-geen-systeemrisico",
                "gpai",
                false,
            ),
            (
                &["0", "1", "1e25", "1", "1", "1", "1"],
                "c-gpai-geen-systeemrisico",
                "gpai",
                false,
            ),
            (
                &["0", "0", "1e24", "0", "1", "1", "1"],
                "c-gpai-open-source",
                "gpai",
                false,
            ),
            (
                &["2", "0", "0", "1e24", "0", "1", "1", "1"],
                "c-gpai-open-source",
                "gpai",
                false,
            ),
            // "Don't know", then "yes" to the indicative criterion, but little compute.
            (
                &["2", "0", "0", "1e22", "1", "1", "1", "1"],
                "c-gpai-geen-systeemrisico",
                "gpai",
                false,
            ),
        ];
        for (steps, id, class, may) in cases {
            let (h, s) = walk(steps);
            assert_eq!(s["at"], "conclusion", "{steps:?}");
            assert_eq!(s["conclusion"]["conclusionId"], *id, "{steps:?}");
            assert_eq!(s["assessment"]["classification"], *class, "{steps:?}: {s}");
            assert_eq!(s["assessment"]["mayBeDesignated"], *may, "{steps:?}");
            assert_eq!(s["agrees"], true, "{steps:?}: {s}");
            session_close(h);
        }
    }

    #[test]
    fn threshold_is_strictly_greater_than() {
        let (_, s) = walk(&["0", "0", "1e25", "1"]);
        assert_eq!(s["at"], "question", "exactly 10^25 is not presumed");
        let (_, s) = walk(&["0", "0", "1.0000001e25", "1"]);
        assert_eq!(s["conclusion"]["conclusionId"], "c-systeemrisico-vermoeden");
        let steps = s["assessment"]["steps"].as_array().unwrap();
        let t = steps.iter().find(|x| x["article"] == "art. 51(2)").unwrap();
        assert!(t["text"].as_str().unwrap().contains("‘groter dan’"), "{t}");
    }

    #[test]
    fn errors_leave_the_session_alone() {
        let h = open();
        let s = v(&answer(h, 9));
        assert_eq!(s["ok"], false);
        assert_eq!(s["error"]["kind"], "no-such-answer");
        assert_eq!(s["depth"], 0);
        v(&answer(h, 0));
        v(&answer(h, 0));
        let s = v(&answer_value(h, "5 000 000"));
        assert_eq!(s["error"]["kind"], "thousands-separator");
        assert_eq!(s["error"]["field"], "value");
        assert_eq!(s["at"], "question");
        assert_eq!(s["depth"], 2);
        let s = v(&answer_value(
            h,
            r#"{"method":"parameters","parameters":"7e10","tokens":"0"}"#,
        ));
        assert_eq!(s["error"]["field"], "tokens");
        let s = v(&answer_value(
            h,
            r#"{"method":"parameters","parameters":"7e10","tokens":"1,5e12"}"#,
        ));
        assert_eq!(s["ok"], true);
        assert_eq!(s["history"][2]["method"], "parameters");
        assert_eq!(
            s["compute"]["formula"],
            "6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP"
        );
        let s = v(&back(h));
        assert_eq!(s["depth"], 2);
        assert_eq!(s["compute"], Value::Null);
        let s = v(&restart(h));
        assert_eq!(s["depth"], 0);
        assert_eq!(v(&back(h))["error"]["kind"], "nothing-to-undo");
        session_close(h);
        assert_eq!(v(&state(h))["error"]["kind"], "handle");
        assert_eq!(v(&answer(0, 0))["error"]["kind"], "handle");
        assert_eq!(session_open("nope", "nl"), 0);
        assert_eq!(session_open(r#"{"questions":[]}"#, "nl"), 0);
    }

    #[test]
    fn estimates_dates_and_assess() {
        let e = v(&estimate(
            r#"{"method":"accelerators","count":"1000","hours":"2000","peakFlops":"1e15","utilisation":"40%"}"#,
            "en",
        ));
        assert_eq!(e["ok"], true, "{e}");
        assert_eq!(e["flop"], 2.88e24);
        assert_eq!(e["band"], "above-indicative");
        assert!(e["formula"]
            .as_str()
            .unwrap()
            .starts_with("1000 × 2000 h × 3600 s/h"));
        let e = v(&estimate(
            r#"{"method":"accelerators","count":"1","hours":"1","peakFlops":"1","utilisation":"1,5"}"#,
            "nl",
        ));
        assert_eq!(e["error"]["field"], "utilisation");
        assert_eq!(
            v(&estimate("10^25", "nl"))["band"],
            "below-indicative".replace("below-indicative", "above-indicative")
        );
        assert_eq!(v(&estimate("3.1E+24", "en"))["value"], "3.1 × 10^24 FLOP");
        assert_eq!(
            v(&estimate("abc", "en"))["error"]["kind"],
            "unexpected-character"
        );
        let d = v(&dates(
            r#"{"thresholdDate":"2025-12-25","designationDate":"2025-08-31"}"#,
            "nl",
        ));
        assert_eq!(d["notificationDeadline"]["iso"], "2026-01-08");
        assert_eq!(d["earliestReassessment"]["iso"], "2026-02-28");
        assert_eq!(d["earliestReassessment"]["text"], "28 februari 2026");
        let d = v(&dates(r#"{"thresholdDate":"2025-02-30"}"#, "en"));
        assert_eq!(d["ok"], false);
        assert_eq!(d["errors"]["thresholdDate"]["kind"], "date");
        let d = v(&dates(r#"{"designationDate":"9999-12-01"}"#, "en"));
        assert_eq!(d["errors"]["designationDate"]["kind"], "out-of-range");
        assert_eq!(v(&dates("[", "en"))["error"]["kind"], "json");
        let a = v(&assess(
            r#"{"generalPurpose":true,"trainingComputeFlop":3e25,"role":"provider"}"#,
            "en",
        ));
        assert_eq!(a["classification"], "systemic-risk-presumed");
        assert!(a["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["article"] == "art. 55(1)(a)"));
        assert_eq!(v(&assess("{\"role\":7}", "en"))["ok"], false);
    }

    #[test]
    fn session_extras_dates_and_annex() {
        let (h, _) = walk(&["0", "0", "3e25", "1"]);
        let a = v(&session_assess(h, r#"{"thresholdDate":"2025-08-31"}"#));
        assert_eq!(a["assessment"]["notificationDeadline"]["iso"], "2025-09-14");
        let (h, s) = walk(&["0", "0", "1e24", "1", "1", "1", "0"]);
        assert_eq!(s["assessment"]["reasons"].as_array().unwrap().len(), 0);
        let a = v(&session_assess(
            h,
            r#"{"annexXiii":{"benchmarks":true,"endUsers":true}}"#,
        ));
        assert_eq!(a["agrees"], true);
        assert_eq!(a["assessment"]["reasons"].as_array().unwrap().len(), 2);
        let (h, _) = walk(&["0", "0", "1e24", "1", "1", "0"]);
        let a = v(&session_assess(
            h,
            r#"{"annexXiii":{"registeredBusinessUsers":9999}}"#,
        ));
        assert_eq!(a["agrees"], false, "9 999 users contradict the answer");
        let a = v(&session_assess(
            h,
            r#"{"annexXiii":{"registeredBusinessUsers":10000}}"#,
        ));
        assert_eq!(a["agrees"], true);
        assert_eq!(v(&session_assess(h, "{"))["error"]["kind"], "json");
        let h2 = open();
        assert_eq!(v(&session_assess(h2, ""))["error"]["kind"], "not-finished");
    }

    #[test]
    fn numbers_are_read_exactly() {
        for t in [
            "1.0e25",
            "1e25",
            "1.0e23",
            "10000000000000000000000000.0",
            "1.0000001e25",
        ] {
            let v = parse_json(t).unwrap();
            assert_eq!(v.as_f64(), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        assert_eq!(
            parse_json(r#"{"a":[1,-2,"x\"y\u00e9"],"b":null}"#).unwrap()["a"][2],
            "x\"yé"
        );
        for bad in [
            "",
            "{",
            "[1,]",
            "01",
            "1e",
            "\"",
            "{\"a\" 1}",
            "tru",
            "1 2",
            "--1",
        ] {
            assert_eq!(parse_json(bad), None, "{bad}");
        }
        let deep = "[".repeat(100_000);
        assert_eq!(parse_json(&deep), None);
    }

    #[test]
    fn urls_and_html_are_made_safe() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" JavaScript:x"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(
            safe_url("https://eur-lex.europa.eu/x").as_deref(),
            Some("https://eur-lex.europa.eu/x")
        );
        assert_eq!(safe_url("../a3/#x").as_deref(), Some("../a3/#x"));
        let tree = r#"{"questions":[{"questionId":"1","question":"<script>x</script><b>Q</b>","sources":[{"source":"s","url":"javascript:x"}],"answers":[{"answer":"<img src=x onerror=y>","nextConclusionId":"c"}]}],"conclusions":[{"conclusionId":"c","conclusion":"ok"}]}"#;
        let h = session_open(tree, "en");
        let s = v(&state(h));
        assert_eq!(
            s["question"]["question"],
            "&lt;script&gt;x&lt;/script&gt;<b>Q</b>"
        );
        assert_eq!(
            s["question"]["answers"][0]["answer"],
            "&lt;img src=x onerror=y&gt;"
        );
        assert_eq!(s["question"]["sources"][0]["url"], Value::Null);
    }
}
