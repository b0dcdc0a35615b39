//! Front matter: the YAML block between `---` lines at the top of a page.
//!
//! Values are parsed with serde_yaml; positions of keys and list items are
//! found by a small line scanner over the block (front matter is written in
//! block style), so every problem points at its exact line and column.

use super::compact;
use crate::config::{FieldKind, SiteConfig};
use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics, SourceText};
use indexmap::IndexMap;
use kader_search::hash::FxHashMap as HashMap;
use serde_yaml::Value;

/// Keys every page may carry, whatever its collection.
pub const COMMON_FIELDS: &[&str] = &[
    "title",
    "summary",
    "description",
    "template",
    "draft",
    "translation_of",
    "id",
    "hide",
    "search",
    "weight",
];

/// Where a value sits in the source: byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A text value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub value: String,
    pub span: Span,
}

/// The checked front matter of one page.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub template: Option<String>,
    pub id: Option<Located>,
    pub draft: bool,
    pub translation_of: Option<Located>,
    /// `search: {exclude: true}` (MkDocs) or `search: false`: left out of the search index.
    pub search_exclude: bool,
    /// MkDocs' `hide:` list: `navigation` (no side menu), `toc` (no
    /// contents), as the page asks.
    pub hide: Vec<String>,
    /// Other string fields (`toelichting`, ...), for templates.
    pub strings: IndexMap<String, String>,
    /// Taxonomy key → terms, in the order written (unknown terms removed).
    pub terms: IndexMap<String, Vec<Located>>,
    /// Reference field → referenced slugs or ids.
    pub refs: IndexMap<String, Vec<Located>>,
    /// List field → its items (also in `strings`, joined, for templates).
    pub lists: IndexMap<String, Vec<Located>>,
    /// The span of the whole front matter (for file-level findings).
    pub span: Span,
}

impl FrontMatter {
    /// Gives back the room its maps and lists grew into and do not use
    /// (see [`super::compact`]).
    fn shrink(&mut self) {
        compact::map(&mut self.strings);
        for map in [&mut self.terms, &mut self.refs, &mut self.lists] {
            compact::map(map);
            for items in map.values_mut() {
                compact::vec(items);
            }
        }
    }

    pub fn term_slugs(&self, taxonomy: &str) -> impl Iterator<Item = &str> {
        self.terms
            .get(taxonomy)
            .into_iter()
            .flatten()
            .map(|l| l.value.as_str())
    }
}

/// Splits a page into front matter text and body. Returns
/// `(front matter range, body start)`; front matter is optional.
pub fn split(text: &str) -> Result<(Option<Span>, usize), Span> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok((None, 0));
    }
    let start = (first_line_end + 1).min(text.len());
    let mut pos = start;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok((Some(Span { start, end: pos }), (end + 1).min(text.len())));
        }
        pos = end + 1;
    }
    Err(Span {
        start: 0,
        end: first_line_end,
    })
}

/// Positions of top-level keys and their list items, by line scanning.
///
/// The lines are scanned once and indexed by the keys they may start with,
/// so looking up every key of a large front matter stays linear.
struct Locator<'a> {
    /// (offset in the source, line without `\r`).
    lines: Vec<(usize, &'a str)>,
    /// Key → indexes of the lines starting with `key` followed by `:`.
    by_key: HashMap<&'a str, Vec<usize>>,
}

/// Keys longer than this are not located (their findings point at the
/// start of the front matter instead).
const MAX_LOCATED_KEY: usize = 1024;

impl<'a> Locator<'a> {
    fn new(src: &'a SourceText, span: Span) -> Locator<'a> {
        let text = &src.text[span.start..span.end];
        let mut lines = Vec::new();
        let mut off = span.start;
        for line in text.split('\n') {
            lines.push((off, line.trim_end_matches('\r')));
            off += line.len() + 1;
        }
        let mut by_key: HashMap<&'a str, Vec<usize>> = HashMap::default();
        for (i, (_, line)) in lines.iter().enumerate() {
            let head = &line[..floor_char_boundary(line, MAX_LOCATED_KEY + 1)];
            for (colon, _) in head.match_indices(':') {
                // A key ends at a colon followed by a space or the line end.
                if !matches!(line.as_bytes().get(colon + 1), None | Some(b' ' | b'\t')) {
                    continue;
                }
                let key = head[..colon].trim_end_matches([' ', '\t']);
                if !key.is_empty() {
                    by_key.entry(key).or_default().push(i);
                }
            }
        }
        Locator { lines, by_key }
    }

    /// Indexes of the lines starting with `key` and a colon.
    fn lines_of(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The span of the key `key` at column 1 (its `n`-th occurrence).
    fn key(&self, key: &str, nth: usize) -> Option<Span> {
        let &i = self.lines_of(key).get(nth)?;
        let start = self.lines[i].0;
        Some(Span {
            start,
            end: start + key.len(),
        })
    }

    /// Spans of the values of `key`: list items below it, a flow list, or a scalar.
    fn values(&self, key: &str) -> Vec<Span> {
        let mut out = Vec::new();
        for &i in self.lines_of(key) {
            let (start, line) = self.lines[i];
            if !is_top_level(line) {
                continue;
            }
            let Some(after) = line[key.len()..].trim_start().strip_prefix(':') else {
                continue;
            };
            let colon = line.len() - after.len();
            let value = after.trim();
            if value.is_empty() {
                // A block list: the `- item` lines up to the next top-level line.
                for &(start, line) in &self.lines[i + 1..] {
                    if is_top_level(line) {
                        break;
                    }
                    let trimmed = line.trim_start();
                    if let Some(item) = trimmed.strip_prefix('-') {
                        let lead =
                            line.len() - trimmed.len() + 1 + (item.len() - item.trim_start().len());
                        let value = item.trim();
                        if !value.is_empty() {
                            out.push(Span {
                                start: start + lead,
                                end: start + lead + value.len(),
                            });
                        }
                    }
                }
                continue;
            }
            let vstart = start + colon + (after.len() - after.trim_start().len());
            if let Some(inner) = value.strip_prefix('[') {
                let inner = inner.trim_end_matches(']');
                let mut off = vstart + 1;
                for item in inner.split(',') {
                    let lead = item.len() - item.trim_start().len();
                    let t = item.trim();
                    if !t.is_empty() {
                        out.push(Span {
                            start: off + lead,
                            end: off + lead + t.len(),
                        });
                    }
                    off += item.len() + 1;
                }
            } else {
                out.push(Span {
                    start: vstart,
                    end: vstart + value.len(),
                });
            }
        }
        out
    }
}

fn is_top_level(line: &str) -> bool {
    !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty()
}

/// The largest char boundary of `s` at or below `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Which fields a page may have: its collection's, plus the common ones and
/// every taxonomy.
pub struct Schema<'a> {
    pub config: &'a SiteConfig,
    pub collection: Option<&'a str>,
}

impl Schema<'_> {
    fn fields(&self) -> Vec<(&str, FieldKind, bool, Option<&str>)> {
        let mut out = Vec::new();
        if let Some(c) = self.collection.and_then(|c| self.config.collections.get(c)) {
            for (name, spec) in &c.fields {
                out.push((
                    name.as_str(),
                    spec.kind,
                    spec.required,
                    spec.collection.as_deref(),
                ));
            }
        }
        for name in self.config.taxonomies.keys() {
            if !out.iter().any(|f| f.0 == name) {
                out.push((name.as_str(), FieldKind::Terms, false, None));
            }
        }
        out
    }
}

/// Parses and checks the front matter of `src` within `span`.
pub fn parse(
    src: &SourceText,
    span: Span,
    schema: &Schema,
    diags: &mut Diagnostics,
) -> FrontMatter {
    let mut fm = FrontMatter {
        span,
        ..FrontMatter::default()
    };
    let loc = Locator::new(src, span);
    let yaml = &src.text[span.start..span.end];
    let value: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(src, span, &loc, &e));
            return fm;
        }
    };
    let map = match value {
        Value::Mapping(m) => m,
        // `---` directly followed by `---`: no keys, so required ones are missing.
        Value::Null => serde_yaml::Mapping::new(),
        other => {
            let kind = match other {
                Value::Sequence(_) => "a list",
                Value::String(_) => "a text",
                _ => "a single value",
            };
            let start = span.start.saturating_sub(4);
            diags.push(
                Diagnostic::at(
                    Code::FrontMatterNotMapping,
                    src,
                    start,
                    start + 3,
                    format!("front matter is {kind}, not a mapping of keys to values"),
                )
                .with_hint("write one `key: value` per line, e.g. `title: Mijn pagina`"),
            );
            return fm;
        }
    };

    let fields = schema.fields();
    let config = schema.config;
    let default_lang = config.default_language.as_str();
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            let at = span.start;
            diags.push(Diagnostic::at(
                Code::FieldType,
                src,
                at,
                at + 1,
                "front-matter keys must be texts",
            ));
            continue;
        };
        let key_span = loc.key(key, 0).unwrap_or(Span {
            start: span.start,
            end: span.start,
        });
        let field = fields.iter().find(|f| f.0 == key);
        match key {
            "title" | "summary" | "template" | "description" => {
                if v.is_null() {
                    continue;
                }
                if let Some(s) = scalar_string(v) {
                    check_markup(src, &loc, key, &s, diags);
                    match key {
                        "title" => fm.title = Some(s),
                        "summary" => fm.summary = Some(s),
                        "template" => fm.template = Some(s),
                        _ => {
                            fm.strings.insert(key.to_string(), s);
                        }
                    }
                } else {
                    diags.push(type_error(src, key_span, key, FieldKind::String));
                }
                continue;
            }
            "search" => {
                fm.search_exclude = match v {
                    Value::Bool(b) => !b,
                    Value::Mapping(m) => m.get("exclude").and_then(Value::as_bool).unwrap_or(false),
                    _ => false,
                };
                continue;
            }
            "hide" => {
                fm.hide = string_list(v).unwrap_or_default();
                continue;
            }
            "draft" => {
                match v {
                    Value::Bool(b) => fm.draft = *b,
                    _ => diags.push(type_error(src, key_span, key, FieldKind::Bool)),
                }
                continue;
            }
            "id" | "translation_of" => {
                if let Some(s) = scalar_string(v) {
                    let vs = loc.values(key).first().copied().unwrap_or(key_span);
                    let l = Located { value: s, span: vs };
                    if key == "id" {
                        fm.id = Some(l);
                    } else {
                        fm.translation_of = Some(l);
                    }
                } else {
                    diags.push(type_error(src, key_span, key, FieldKind::String));
                }
                continue;
            }
            _ => {}
        }
        let Some(&(_, kind, _, _)) = field else {
            if !COMMON_FIELDS.contains(&key) {
                let candidates = fields
                    .iter()
                    .map(|f| f.0)
                    .chain(COMMON_FIELDS.iter().copied());
                if let Some(close) = did_you_mean(key, candidates) {
                    diags.push(
                        Diagnostic::at(
                            Code::UnknownField,
                            src,
                            key_span.start,
                            key_span.end,
                            format!("unknown front-matter key `{key}`"),
                        )
                        .with_hint(format!("did you mean `{close}`?"))
                        .with_fix_if(
                            src,
                            key_span.start,
                            key_span.end,
                            key,
                            Some(close.into()),
                        ),
                    );
                }
            }
            if let Some(s) = scalar_string(v) {
                fm.strings.insert(key.to_string(), s);
            }
            continue;
        };
        match kind {
            FieldKind::String | FieldKind::Date if v.is_null() => {}
            FieldKind::String | FieldKind::Date => match scalar_string(v) {
                Some(s) => {
                    check_markup(src, &loc, key, &s, diags);
                    fm.strings.insert(key.to_string(), s);
                }
                None => diags.push(type_error(src, key_span, key, kind)),
            },
            FieldKind::Bool => {
                if !matches!(v, Value::Bool(_)) {
                    diags.push(type_error(src, key_span, key, kind));
                }
            }
            FieldKind::Terms | FieldKind::Refs | FieldKind::List => {
                let Some(items) = string_list(v) else {
                    diags.push(type_error(src, key_span, key, kind));
                    continue;
                };
                let spans = loc.values(key);
                let located: Vec<Located> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| Located {
                        span: spans.get(i).copied().unwrap_or(key_span),
                        value,
                    })
                    .collect();
                match kind {
                    FieldKind::Terms => {
                        let tax = &config.taxonomies[key];
                        let mut ok = Vec::new();
                        for l in located {
                            if tax.term(&l.value).is_some() {
                                ok.push(l);
                                continue;
                            }
                            let near =
                                did_you_mean(&l.value, tax.terms.iter().map(|t| t.slug.as_str()));
                            let hint = match near {
                                Some(c) => format!("did you mean `{c}`?"),
                                None => format!(
                                    "allowed terms: {}",
                                    tax.terms
                                        .iter()
                                        .map(|t| t.slug.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            };
                            let label = tax.label.get(default_lang, default_lang);
                            diags.push(
                                Diagnostic::at(
                                    Code::UnknownTerm,
                                    src,
                                    l.span.start,
                                    l.span.end,
                                    format!(
                                        "unknown term `{}` in taxonomy `{key}` ({label})",
                                        l.value
                                    ),
                                )
                                .with_hint(hint)
                                .with_fix_if(
                                    src,
                                    l.span.start,
                                    l.span.end,
                                    &l.value,
                                    near.map(str::to_string),
                                ),
                            );
                        }
                        fm.terms.insert(key.to_string(), ok);
                    }
                    FieldKind::Refs => {
                        fm.refs.insert(key.to_string(), located);
                    }
                    _ => {
                        fm.strings.insert(
                            key.to_string(),
                            located
                                .iter()
                                .map(|l| l.value.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        );
                        fm.lists.insert(key.to_string(), located);
                    }
                }
            }
        }
    }

    for (name, _, required, _) in &fields {
        if *required && !map.contains_key(*name) && !(*name == "title" && fm.title.is_some()) {
            let coll = schema.collection.unwrap_or("page");
            let at = span.start.saturating_sub(4);
            diags.push(
                Diagnostic::at(
                    Code::MissingField,
                    src,
                    at,
                    at + 3,
                    format!("required field `{name}` is missing (collection `{coll}`)"),
                )
                .with_hint(format!("add a line `{name}: ...` to the front matter"))
                .with_fix_titled(
                    span.end,
                    span.end,
                    format!("{name}:\n"),
                    format!("add the missing field `{name}`"),
                ),
            );
        }
    }
    fm.shrink();
    fm
}

/// Warns when a front-matter text contains HTML tags: it is shown as text.
fn check_markup(src: &SourceText, loc: &Locator, key: &str, value: &str, diags: &mut Diagnostics) {
    let has_tag = value.char_indices().any(|(i, c)| {
        c == '<'
            && value[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!')
    });
    if has_tag {
        let span = loc.values(key).first().copied().unwrap_or_default();
        diags.push(
            Diagnostic::at(
                Code::UnsafeValue,
                src,
                span.start,
                span.end,
                format!("`{key}` contains HTML markup; it is escaped and shown as text"),
            )
            .with_hint("front-matter values are plain text; use the page body for formatting"),
        );
    }
}

fn yaml_error(src: &SourceText, span: Span, loc: &Locator, e: &serde_yaml::Error) -> Diagnostic {
    let mut msg = e.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    if let Some(rest) = msg.strip_prefix("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        if let Some(dup) = loc.key(key, 1) {
            return Diagnostic::at(
                Code::DuplicateKey,
                src,
                dup.start,
                dup.end,
                format!("front matter has the key `{key}` twice"),
            )
            .with_hint("remove one of the two, or merge their values");
        }
    }
    // Limits of the YAML parser: reported at the opening `---`.
    let at_opening = |message: &str, hint: &str| {
        let at = span.start.saturating_sub(4);
        Diagnostic::at(Code::FrontMatterSyntax, src, at, at + 3, message).with_hint(hint)
    };
    if msg.contains("repetition limit") {
        return at_opening(
            "front matter expands into too many values (YAML aliases nested too deeply)",
            "front matter should not use YAML anchors and aliases",
        );
    }
    if msg.contains("recursion limit") {
        return at_opening(
            "front matter is nested more than 128 levels deep",
            "front-matter values are texts and lists of texts",
        );
    }
    match e.location() {
        Some(l) => {
            let line_start = src.line_col(span.start).0;
            let (line, col) = super::decision_tree::clamp_position(
                src,
                line_start + l.line().saturating_sub(1),
                l.column(),
            );
            let mut d = Diagnostic::at_line_col(
                Code::FrontMatterSyntax,
                src,
                line,
                col,
                1,
                format!("front matter is not valid YAML: {msg}"),
            );
            d.hint = Some(yaml_hint(src.line_text(line), &msg));
            d
        }
        None => {
            let at = span.start.saturating_sub(4);
            Diagnostic::at(
                Code::FrontMatterSyntax,
                src,
                at,
                at + 3,
                format!("front matter is not valid YAML: {msg}"),
            )
        }
    }
}

fn yaml_hint(line: &str, msg: &str) -> String {
    if msg.contains("expected ',' or ']'") || msg.contains("expected ',' or '}'") {
        "a value starting with `[` or `{` is read as a list or mapping; quote it, e.g. `title: \"[concept] Titel\"`".into()
    } else if line.matches(':').count() > 1 {
        "a value containing `: ` must be quoted, e.g. `title: \"Artikel 5: verboden AI\"`".into()
    } else if line.contains('\t') {
        "YAML does not allow tabs for indentation; use spaces".into()
    } else {
        "check the indentation and that list items start with `- `".into()
    }
}

fn type_error(src: &SourceText, key: Span, name: &str, kind: FieldKind) -> Diagnostic {
    Diagnostic::at(
        Code::FieldType,
        src,
        key.start,
        key.end,
        format!("`{name}` must be {}", kind.describe()),
    )
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of scalars; a single scalar is accepted as a one-item list and
/// empty items (`- ` alone on a line) are skipped.
fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(scalar_string)
            .collect(),
        Value::Null => Some(Vec::new()),
        other => scalar_string(other).map(|s| vec![s]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A collection with required fields and two taxonomies.
    const CONFIG: &str = r#"
title = "T"
base_url = "https://example.org/"
[languages.nl]
name = "Nederlands"
[collections.vereisten]
dir = "vereisten"
template = "vereiste.html"
label = "Vereisten"
[collections.vereisten.fields]
title = { type = "string", required = true }
toelichting = { type = "string", required = true }
levenscyclus = { type = "terms", required = true }
rollen = { type = "terms" }
[taxonomies.levenscyclus]
label = "Levenscyclus"
terms = [{ slug = "ontwerp", label = "Ontwerp" }, { slug = "ontwikkelen", label = "Ontwikkelen" }]
[taxonomies.rollen]
label = "Rollen"
terms = [{ slug = "jurist", label = "Jurist" }]
"#;

    fn config() -> SiteConfig {
        SiteConfig::parse(&SourceText::new("site.toml", CONFIG)).unwrap()
    }

    fn run(text: &str, coll: Option<&str>) -> (FrontMatter, Vec<Diagnostic>) {
        let c = config();
        let src = SourceText::new("content/x.md", text);
        let (span, _) = split(text).unwrap();
        let mut d = Diagnostics::new();
        let fm = parse(
            &src,
            span.unwrap(),
            &Schema {
                config: &c,
                collection: coll,
            },
            &mut d,
        );
        (fm, d.sorted())
    }

    #[test]
    fn split_finds_the_block() {
        let (span, body) = split("---\ntitle: a\n---\nbody").unwrap();
        assert_eq!(span, Some(Span { start: 4, end: 13 }));
        assert_eq!(body, 17);
        assert_eq!(split("no front matter").unwrap(), (None, 0));
        assert!(split("---\ntitle: a\n").is_err());
    }

    #[test]
    fn unknown_term_points_at_the_item() {
        let (fm, d) = run(
            "---\ntitle: T\nlevenscyclus:\n- ontwerp\n- ontwikelen\n---\n",
            None,
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].line, d[0].column), ("K0202", 5, 3));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `ontwikkelen`?"));
        assert_eq!(
            fm.term_slugs("levenscyclus").collect::<Vec<_>>(),
            ["ontwerp"]
        );
    }

    #[test]
    fn flow_lists_are_located() {
        let (_, d) = run("---\ntitle: T\nrollen: [jurist, juristt]\n---\n", None);
        assert_eq!((d[0].line, d[0].column, d[0].width), (3, 18, 7));
    }

    #[test]
    fn single_string_is_accepted_as_a_list() {
        let (fm, d) = run("---\ntitle: T\nlevenscyclus: ontwerp\n---\n", None);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.term_slugs("levenscyclus").count(), 1);
    }

    #[test]
    fn missing_required_and_near_miss_keys() {
        let (_, d) = run(
            "---\ntitle: T\ntoelichting: x\nlevenscylus:\n- ontwerp\n---\n",
            Some("vereisten"),
        );
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.line)).collect();
        assert!(codes.contains(&("K0105", 4)), "{codes:?}");
        assert!(codes.contains(&("K0103", 1)), "{codes:?}");
        let near = d.iter().find(|d| d.code == "K0105").unwrap();
        assert_eq!(near.hint.as_deref(), Some("did you mean `levenscyclus`?"));
    }

    #[test]
    fn yaml_errors_have_positions_and_hints() {
        let (_, d) = run("---\ntitle: Artikel 5: verboden\n---\n", None);
        assert_eq!((d[0].code, d[0].line), ("K0101", 2));
        assert!(d[0].hint.as_deref().unwrap().contains("quoted"));
        let (_, d) = run("---\ntitle: a\nrollen: []\ntitle: b\n---\n", None);
        assert_eq!((d[0].line, d[0].column), (4, 1));
        assert!(d[0].message.contains("twice"));
        let (_, d) = run("---\n- a\n- b\n---\n", None);
        assert_eq!(d[0].code, "K0102");
    }

    #[test]
    fn locating_among_many_keys_finds_each() {
        let mut text = String::from("---\n");
        for i in 0..100_000 {
            text.push_str(&format!("k{i}: <b>v</b>\nl{i}:\n- a\n- b\n"));
        }
        text.push_str("---\n");
        let src = SourceText::new("content/x.md", text);
        let (span, _) = split(&src.text).unwrap();
        let loc = Locator::new(&src, span.unwrap());
        for i in (0..100_000).step_by(7) {
            assert!(loc.key(&format!("k{i}"), 0).is_some());
            assert_eq!(loc.values(&format!("k{i}")).len(), 1);
            assert_eq!(loc.values(&format!("l{i}")).len(), 2);
        }
    }

    #[test]
    fn an_empty_block_still_needs_the_required_fields() {
        let (_, d) = run("---\n---\n", Some("vereisten"));
        assert!(d.len() >= 2 && d.iter().all(|d| d.code == "K0103"), "{d:?}");
        assert!(d.iter().any(|d| d.message.contains("`title`")));
    }

    /// fuzz/front_matter: a YAML error at the end of a block whose closing
    /// line ends in `\r` was placed after the end of that line.
    #[test]
    fn yaml_errors_stay_on_their_line() {
        let text = "---\n\r--r---reavvvvvvvvvvvvvvvvvvvvvvtLe: a\n--tite:-\n b\n---\r";
        let c = config();
        let src = SourceText::new("content/x.md", text);
        let (span, _) = split(text).unwrap();
        let mut d = Diagnostics::new();
        let schema = Schema {
            config: &c,
            collection: None,
        };
        parse(&src, span.unwrap(), &schema, &mut d);
        let d = d.sorted();
        assert_eq!((d[0].code, d[0].line, d[0].column), ("K0101", 5, 4));
    }

    #[test]
    fn html_in_values_is_flagged() {
        let (fm, d) = run("---\ntitle: \"<script>alert(1)</script>\"\n---\n", None);
        assert_eq!(d[0].code, "K0107");
        assert_eq!(fm.title.as_deref(), Some("<script>alert(1)</script>"));
    }
}
