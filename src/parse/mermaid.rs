//! Mermaid flowcharts (` ```mermaid ` fences): the source read into a
//! [`Flowchart`], which [`super::diagram`] lays out and draws at build time.
//!
//! The subset read: `flowchart`/`graph` with a direction (`TB`, `TD`,
//! `BT`, `LR`, `RL`); nodes with the shapes `[ ]`, `( )`, `([ ])`,
//! `[[ ]]`, `[( )]`, `(( ))`, `((( )))`, `> ]`, `{ }`, `{{ }}`, `[/ /]`,
//! `[\ \]`, `[/ \]`, `[\ /]`, quoted or plain labels with `<br>` line
//! breaks and entities; edges `-->`, `---`, `-.->`, `-.-`, `==>`, `===`,
//! `~~~`, with `o`/`x`/`<` heads, longer forms, labels (`-->|a|`,
//! `-- a -->`) and chains (`A --> B & C --> D`); `subgraph id [title]` …
//! `end` (nested; a node belongs to the innermost subgraph that names it);
//! `click id href "url" "tooltip"` and `click id "url"`; `%%` comments.
//! `style`, `classDef`, `class`, `linkStyle` and `direction` lines are
//! ignored: the theme's colours apply. Anything else is reported as a
//! problem with its offset and left out.

use std::collections::HashMap;

/// Most nodes and edges drawn; a larger chart is shown as a list.
pub const MAX_NODES: usize = 300;
pub const MAX_EDGES: usize = 600;
/// Longest label kept (characters).
const MAX_LABEL: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    TopDown,
    BottomUp,
    LeftRight,
    RightLeft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rect,
    Round,
    Stadium,
    Subroutine,
    Cylinder,
    Circle,
    DoubleCircle,
    Asymmetric,
    Rhombus,
    Hexagon,
    Parallelogram,
    ParallelogramAlt,
    Trapezoid,
    TrapezoidAlt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    Dotted,
    Thick,
    Invisible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    None,
    Arrow,
    Circle,
    Cross,
}

/// A clickable node's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLink {
    pub href: String,
    pub tooltip: Option<String>,
    /// Where the URL is written, as a byte range of the diagram source.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    /// The label's lines (the id when no label is given).
    pub label: Vec<String>,
    pub shape: Shape,
    /// Index into [`Flowchart::subgraphs`].
    pub parent: Option<usize>,
    pub link: Option<NodeLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
    pub stroke: Stroke,
    pub start: Head,
    pub end: Head,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subgraph {
    pub id: String,
    pub title: String,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flowchart {
    pub direction: Direction,
    pub title: Option<String>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub subgraphs: Vec<Subgraph>,
}

/// Something in the source that was left out, as a byte range of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Why a diagram is not read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAFlowchart {
    Empty,
    /// Another kind of Mermaid diagram (`sequenceDiagram`, …).
    Kind(String),
}

/// Reads a flowchart; `problems` lists what was left out.
pub fn parse(src: &str) -> Result<(Flowchart, Vec<Problem>), NotAFlowchart> {
    let mut p = Parser {
        src,
        chart: Flowchart {
            direction: Direction::TopDown,
            title: None,
            nodes: Vec::new(),
            edges: Vec::new(),
            subgraphs: Vec::new(),
        },
        by_id: HashMap::new(),
        problems: Vec::new(),
        open: Vec::new(),
        full: false,
    };
    let mut lines = line_spans(src).into_iter().peekable();
    // A front matter block (`---` … `---`) may give the title.
    if lines
        .peek()
        .is_some_and(|&(s, e)| src[s..e].trim() == "---")
    {
        lines.next();
        for (s, e) in lines.by_ref() {
            let l = src[s..e].trim();
            if l == "---" {
                break;
            }
            if let Some(t) = l.strip_prefix("title:") {
                let t = t.trim().trim_matches(|c| c == '"' || c == '\'');
                if !t.is_empty() {
                    p.chart.title = Some(t.to_string());
                }
            }
        }
    }
    let mut header = None;
    for (s, e) in lines.by_ref() {
        let l = src[s..e].trim();
        if l.is_empty() || l.starts_with("%%") {
            continue;
        }
        header = Some((s, e));
        break;
    }
    let Some((hs, he)) = header else {
        return Err(NotAFlowchart::Empty);
    };
    let head = src[hs..he].trim();
    let mut words = head.split([' ', '\t', ';']).filter(|w| !w.is_empty());
    let kind = words.next().unwrap_or("");
    if kind != "flowchart" && kind != "graph" && kind != "flowchart-elk" {
        return Err(NotAFlowchart::Kind(kind.to_string()));
    }
    if let Some(d) = words.next() {
        p.chart.direction = match d {
            "TB" | "TD" => Direction::TopDown,
            "BT" => Direction::BottomUp,
            "LR" => Direction::LeftRight,
            "RL" => Direction::RightLeft,
            other => {
                let at = hs + src[hs..he].find(other).unwrap_or(0);
                p.problem(
                    at,
                    at + other.len(),
                    format!("unknown direction `{other}`; top-down is used"),
                );
                Direction::TopDown
            }
        };
    }
    // A statement may follow the header after `;`.
    if let Some(semi) = src[hs..he].find(';') {
        p.statements(hs + semi + 1, he);
    }
    for (s, e) in lines {
        p.statements(s, e);
    }
    while let Some(open) = p.open.pop() {
        let id = p.chart.subgraphs[open.index].id.clone();
        let at = open.at;
        p.close_subgraph(open);
        p.problem(
            at,
            at + "subgraph".len(),
            format!("subgraph `{id}` is never closed with `end`"),
        );
    }
    Ok((p.chart, p.problems))
}

/// (start, end) of every line, without the line break.
fn line_spans(src: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, b) in src.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && src.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            v.push((start, end));
            start = i + 1;
        }
    }
    if start < src.len() {
        v.push((start, src.len()));
    }
    v
}

struct OpenSubgraph {
    index: usize,
    /// Where its `subgraph` line starts.
    at: usize,
    /// Nodes named inside it, in order.
    named: Vec<usize>,
}

struct Parser<'a> {
    src: &'a str,
    chart: Flowchart,
    by_id: HashMap<String, usize>,
    problems: Vec<Problem>,
    open: Vec<OpenSubgraph>,
    /// The node or edge limit was reached (reported once).
    full: bool,
}

impl Parser<'_> {
    fn problem(&mut self, start: usize, end: usize, message: String) {
        self.problems.push(Problem {
            start,
            end,
            message,
        });
    }

    /// The statements of one line (`;` separates several).
    fn statements(&mut self, start: usize, end: usize) {
        let line = &self.src[start..end];
        for (s, e) in split_statements(line) {
            let text = &line[s..e];
            let lead = text.len() - text.trim_start().len();
            let t = text.trim();
            if !t.is_empty() {
                self.statement(start + s + lead, t);
            }
        }
    }

    fn statement(&mut self, at: usize, t: &str) {
        if t.starts_with("%%") {
            return;
        }
        let (word, rest) = match t.find(char::is_whitespace) {
            Some(i) => (&t[..i], t[i..].trim()),
            None => (t, ""),
        };
        match word {
            "subgraph" => self.open_subgraph(at, rest),
            "end" if rest.is_empty() => match self.open.pop() {
                Some(open) => self.close_subgraph(open),
                None => self.problem(at, at + 3, "`end` without a `subgraph`".into()),
            },
            "click" => self.click(at, t, rest),
            "style" | "classDef" | "class" | "linkStyle" | "direction" | "accTitle"
            | "accDescr" => {}
            _ => self.chain(at, t),
        }
    }

    fn open_subgraph(&mut self, at: usize, rest: &str) {
        let (id, title) = if let Some(b) = rest.find('[') {
            let id = rest[..b].trim();
            let inner = rest[b + 1..].trim_end().trim_end_matches(']');
            let title = label_text(unquote(inner.trim()));
            (id.to_string(), title)
        } else {
            let t = label_text(unquote(rest));
            (t.clone(), t)
        };
        let id = if id.is_empty() {
            format!("subgraph-{}", self.chart.subgraphs.len() + 1)
        } else {
            id
        };
        if self.by_id.contains_key(&id) {
            self.problem(
                at,
                at + "subgraph".len(),
                format!("subgraph `{id}` has the id of a node"),
            );
        }
        let parent = self.open.last().map(|o| o.index);
        self.chart.subgraphs.push(Subgraph { id, title, parent });
        let index = self.chart.subgraphs.len() - 1;
        self.open.push(OpenSubgraph {
            index,
            at,
            named: Vec::new(),
        });
    }

    /// At `end`: the nodes named in the subgraph that no inner subgraph
    /// took are its own; the rest are passed to the enclosing one too, so
    /// it can take those no subgraph took.
    fn close_subgraph(&mut self, open: OpenSubgraph) {
        for &n in &open.named {
            if self.chart.nodes[n].parent.is_none() {
                self.chart.nodes[n].parent = Some(open.index);
            }
        }
        if let Some(outer) = self.open.last_mut() {
            outer.named.extend(open.named);
        }
    }

    fn click(&mut self, at: usize, t: &str, rest: &str) {
        let mut r = rest;
        let id_end = r.find(char::is_whitespace).unwrap_or(r.len());
        let id = &r[..id_end];
        r = r[id_end..].trim_start();
        let Some(&node) = self.by_id.get(id) else {
            self.problem(
                at,
                at + t.len(),
                format!("`click` names `{id}`, which is not a node of the diagram"),
            );
            return;
        };
        if let Some(x) = r.strip_prefix("href") {
            if x.starts_with(char::is_whitespace) {
                r = x.trim_start();
            }
        }
        if !r.starts_with('"') {
            self.problem(
                at,
                at + t.len(),
                "a `click` that calls a function would need a script; the node is not a link"
                    .into(),
            );
            return;
        }
        let Some((href, after)) = quoted(r) else {
            self.problem(
                at,
                at + t.len(),
                "the URL of `click` is not closed by `\"`".into(),
            );
            return;
        };
        let start = at + (t.len() - r.len()) + 1;
        let tooltip = quoted(after.trim_start()).map(|(t, _)| t.to_string());
        self.chart.nodes[node].link = Some(NodeLink {
            href: href.trim().to_string(),
            tooltip,
            start,
            end: start + href.len(),
        });
    }

    /// `A --> B & C -- x --> D`.
    fn chain(&mut self, at: usize, t: &str) {
        let mut rest = t;
        let mut previous: Vec<usize> = Vec::new();
        let mut pending: Option<EdgeSpec> = None;
        loop {
            let pos = at + (t.len() - rest.len());
            let (group, r) = match self.node_group(rest) {
                Ok(x) => x,
                Err(msg) => {
                    self.problem(pos, at + t.len(), msg);
                    return;
                }
            };
            rest = r.trim_start();
            if let Some(spec) = pending.take() {
                for &a in &previous {
                    for &b in &group {
                        self.add_edge(a, b, &spec, pos);
                    }
                }
            }
            previous = group;
            if rest.is_empty() {
                return;
            }
            let pos = at + (t.len() - rest.len());
            match edge(rest) {
                Some((spec, used)) => {
                    pending = Some(spec);
                    rest = rest[used..].trim_start();
                    if rest.is_empty() {
                        self.problem(pos, at + t.len(), "an edge needs a node after it".into());
                        return;
                    }
                }
                None => {
                    self.problem(
                        pos,
                        at + t.len(),
                        format!("`{}` is not an edge or a node", rest.trim()),
                    );
                    return;
                }
            }
        }
    }

    fn add_edge(&mut self, from: usize, to: usize, spec: &EdgeSpec, at: usize) {
        if self.chart.edges.len() >= MAX_EDGES {
            if !self.full {
                self.full = true;
                self.problem(
                    at,
                    at + 1,
                    format!("more than {MAX_EDGES} edges; the rest are left out"),
                );
            }
            return;
        }
        self.chart.edges.push(Edge {
            from,
            to,
            label: spec.label.clone(),
            stroke: spec.stroke,
            start: spec.start,
            end: spec.end,
        });
    }

    /// `A & B:::x & C[label]`: the nodes and the rest of the text.
    fn node_group<'t>(&mut self, t: &'t str) -> Result<(Vec<usize>, &'t str), String> {
        let mut nodes = Vec::new();
        let mut rest = t;
        loop {
            let (n, r) = self.node(rest)?;
            nodes.extend(n);
            rest = r;
            let trimmed = rest.trim_start();
            if let Some(r) = trimmed.strip_prefix('&') {
                rest = r.trim_start();
                continue;
            }
            return Ok((nodes, rest));
        }
    }

    /// One node reference with its optional shape and label.
    fn node<'t>(&mut self, t: &'t str) -> Result<(Option<usize>, &'t str), String> {
        let id_len = id_length(t);
        if id_len == 0 {
            return Err(format!(
                "`{}` does not start with a node id",
                t.chars().take(40).collect::<String>()
            ));
        }
        let id = &t[..id_len];
        let mut rest = &t[id_len..];
        let mut shape_label = None;
        for (open, close, shape) in SHAPES {
            if let Some(r) = rest.strip_prefix(open) {
                let (label, after) = if r.starts_with('"') {
                    let (q, after) = quoted(r).ok_or("a quoted label is not closed")?;
                    let after = after
                        .strip_prefix(close)
                        .ok_or_else(|| format!("the label of `{id}` is not closed by `{close}`"))?;
                    (q, after)
                } else {
                    let end = r
                        .find(close)
                        .ok_or_else(|| format!("the label of `{id}` is not closed by `{close}`"))?;
                    (&r[..end], &r[end + close.len()..])
                };
                shape_label = Some((*shape, label));
                rest = after;
                break;
            }
        }
        // `:::class` is accepted and ignored.
        if let Some(r) = rest.strip_prefix(":::") {
            rest = &r[id_length(r)..];
        }
        if self.chart.subgraphs.iter().any(|s| s.id == id) && shape_label.is_none() {
            return Err(format!(
                "`{id}` is a subgraph; edges to and from subgraphs are not drawn"
            ));
        }
        let index = match self.by_id.get(id) {
            Some(&i) => i,
            None => {
                if self.chart.nodes.len() >= MAX_NODES {
                    if !self.full {
                        self.full = true;
                        return Err(format!(
                            "more than {MAX_NODES} nodes; the rest are left out"
                        ));
                    }
                    return Ok((None, rest));
                }
                self.chart.nodes.push(Node {
                    id: id.to_string(),
                    label: vec![id.to_string()],
                    shape: Shape::Rect,
                    parent: None,
                    link: None,
                });
                let i = self.chart.nodes.len() - 1;
                self.by_id.insert(id.to_string(), i);
                i
            }
        };
        if let Some((shape, label)) = shape_label {
            let n = &mut self.chart.nodes[index];
            n.shape = shape;
            n.label = label_lines(label);
        }
        if let Some(o) = self.open.last_mut() {
            o.named.push(index);
        }
        Ok((Some(index), rest))
    }
}

/// A link of a diagram as a Markdown link would be written. Mermaid's
/// `click` URLs are used by the browser as written, relative to the page's
/// URL, which lies one folder below its file (`x.md` is `x/`) unless the
/// page is an index: `url_folder` is the page's slug then. URLs with a
/// scheme, site-absolute ones, fragments and `.md` paths are kept.
pub fn file_relative(href: &str, url_folder: Option<&str>) -> String {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let scheme = path.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let Some(folder) = url_folder else {
        return href.to_string();
    };
    if path.is_empty() || path.starts_with('/') || scheme || path.ends_with(".md") {
        return href.to_string();
    }
    let rel = href.strip_prefix("./").unwrap_or(href);
    match rel.strip_prefix("../") {
        Some(up) => up.to_string(),
        None => format!("{folder}/{rel}"),
    }
}

/// Node shapes by their brackets, longest first.
const SHAPES: &[(&str, &str, Shape)] = &[
    ("(((", ")))", Shape::DoubleCircle),
    ("((", "))", Shape::Circle),
    ("([", "])", Shape::Stadium),
    ("[[", "]]", Shape::Subroutine),
    ("[(", ")]", Shape::Cylinder),
    ("[/", "/]", Shape::Parallelogram),
    ("[\\", "\\]", Shape::ParallelogramAlt),
    ("{{", "}}", Shape::Hexagon),
    ("(", ")", Shape::Round),
    ("[", "]", Shape::Rect),
    ("{", "}", Shape::Rhombus),
    (">", "]", Shape::Asymmetric),
];

/// Statement ranges of a line: `;` outside quotes and brackets.
fn split_statements(line: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quote = !quote,
            '[' | '(' | '{' if !quote => depth += 1,
            ']' | ')' | '}' if !quote => depth -= 1,
            ';' if !quote && depth <= 0 => {
                v.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    v.push((start, line.len()));
    v
}

/// The length of the node id at the start of `t`: letters, digits, `_`,
/// and `-` or `.` when they do not begin an edge.
fn id_length(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let word = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        let joiner = (c == b'-' || c == b'.')
            && i > 0
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_');
        if !(word || joiner) {
            break;
        }
        i += 1;
    }
    // Do not end inside a UTF-8 sequence.
    while i < t.len() && !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `"text"` at the start of `s`: the text and what follows the quote.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let r = s.strip_prefix('"')?;
    let end = r.find('"')?;
    Some((&r[..end], &r[end + 1..]))
}

fn unquote(s: &str) -> &str {
    quoted(s).map_or(s, |(q, _)| q)
}

struct EdgeSpec {
    stroke: Stroke,
    start: Head,
    end: Head,
    label: Option<String>,
}

/// The edge at the start of `t` and the bytes it takes.
fn edge(t: &str) -> Option<(EdgeSpec, usize)> {
    let b = t.as_bytes();
    let mut i = 0;
    let start = match b.first()? {
        b'<' => {
            i = 1;
            Head::Arrow
        }
        b'o' | b'x' if matches!(b.get(1), Some(b'-' | b'=' | b'.')) => {
            i = 1;
            if b[0] == b'o' {
                Head::Circle
            } else {
                Head::Cross
            }
        }
        _ => Head::None,
    };
    let body = &t[i..];
    let (stroke, mut used, text_label) = if body.starts_with("~~~") {
        let n = body.bytes().take_while(|c| *c == b'~').count();
        (Stroke::Invisible, n, None)
    } else if body.starts_with("-.") {
        // -.-> -..-> -.- and `-. text .->`
        let dots = body[1..].bytes().take_while(|c| *c == b'.').count();
        let after = &body[1 + dots..];
        if after.starts_with('-') {
            (Stroke::Dotted, 1 + dots + 1, None)
        } else {
            let close = after.find(".-")?;
            let label = after[..close].trim();
            let mut n = 1 + dots + close + 2;
            while body[n..].starts_with('-') {
                n += 1;
            }
            // `.->`: the `-` of `.-` was the last shaft character.
            (Stroke::Dotted, n, Some(label.to_string()))
        }
    } else if body.starts_with("--") || body.starts_with("==") {
        let ch = body.as_bytes()[0];
        let stroke = if ch == b'-' {
            Stroke::Solid
        } else {
            Stroke::Thick
        };
        let run = body.bytes().take_while(|c| *c == ch).count();
        let next = body.as_bytes().get(run).copied();
        let is_head = |c: Option<u8>, after: Option<u8>| match c {
            Some(b'>') => true,
            Some(b'o' | b'x') => after.is_none_or(|a| a.is_ascii_whitespace() || a == b'|'),
            _ => false,
        };
        if run >= 3 || is_head(next, body.as_bytes().get(run + 1).copied()) {
            (stroke, run, None)
        } else if run == 2 && next.is_some_and(|c| c.is_ascii_whitespace()) {
            // `-- text -->`, `== text ==>`
            let shaft = if ch == b'-' { "--" } else { "==" };
            let rest = &body[2..];
            let close = rest.find(shaft)?;
            let label = rest[..close].trim();
            let mut n = 2 + close;
            while body.as_bytes().get(n) == Some(&ch) {
                n += 1;
            }
            (stroke, n, Some(label.to_string()))
        } else {
            return None;
        }
    } else {
        return None;
    };
    used += i;
    let end = match t.as_bytes().get(used) {
        Some(b'>') => {
            used += 1;
            Head::Arrow
        }
        Some(b'o')
            if t.as_bytes()
                .get(used + 1)
                .is_none_or(|a| a.is_ascii_whitespace() || *a == b'|') =>
        {
            used += 1;
            Head::Circle
        }
        Some(b'x')
            if t.as_bytes()
                .get(used + 1)
                .is_none_or(|a| a.is_ascii_whitespace() || *a == b'|') =>
        {
            used += 1;
            Head::Cross
        }
        _ => Head::None,
    };
    let mut label = text_label.filter(|l| !l.is_empty());
    let after = &t[used..];
    let trimmed = after.trim_start();
    if let Some(r) = trimmed.strip_prefix('|') {
        let close = r.find('|')?;
        let l = unquote(r[..close].trim());
        if !l.trim().is_empty() {
            label = Some(l.trim().to_string());
        }
        used += (after.len() - trimmed.len()) + 1 + close + 1;
    }
    let label = label.map(|l| label_text(&l));
    Some((
        EdgeSpec {
            stroke,
            start,
            end,
            label,
        },
        used,
    ))
}

/// A label's lines: `<br>` breaks, other tags dropped, entities decoded,
/// white space collapsed.
pub fn label_lines(raw: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('>') else {
            text.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = rest[i + 1..i + close].trim().to_ascii_lowercase();
        if tag == "br" || tag == "br/" || tag == "br /" {
            text.push('\n');
        }
        rest = &rest[i + close + 1..];
    }
    text.push_str(rest);
    let text: String = decode(&text).chars().take(MAX_LABEL).collect();
    let lines: Vec<String> = text
        .split(['\n'])
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// A label as one line.
fn label_text(raw: &str) -> String {
    label_lines(raw).join(" ")
}

/// HTML entities (`&amp;`, `&nbsp;`, also without `;`, `&#35;`) and
/// Mermaid's `#35;` / `#quot;` codes.
fn decode(s: &str) -> String {
    if !s.contains(['&', '#']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['&', '#']) {
        out.push_str(&rest[..i]);
        let marker = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        let mut name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(after.len());
        // Without `;`, a known entity may run into the next word (`&nbspx`).
        if marker == b'&'
            && !after[name_len..].starts_with(';')
            && named(&after[..name_len]).is_none()
        {
            if let Some(n) = ["nbsp", "amp", "lt", "gt", "quot"]
                .iter()
                .find(|n| after.starts_with(*n))
            {
                name_len = n.len();
            }
        }
        let name = &after[..name_len];
        let has_semi = after[name_len..].starts_with(';');
        let decoded = if let Some(num) = name.strip_prefix('#') {
            num.strip_prefix(['x', 'X'])
                .map_or_else(
                    || num.parse::<u32>().ok(),
                    |h| u32::from_str_radix(h, 16).ok(),
                )
                .and_then(char::from_u32)
        } else if marker == b'#' && has_semi {
            name.parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .or(named(name))
        } else {
            named(name)
        };
        // `#` alone needs the `;` of Mermaid's codes; `&nbsp` may lack it.
        match decoded {
            Some(c) if marker == b'&' || has_semi => {
                out.push(c);
                rest = &after[name_len + usize::from(has_semi)..];
            }
            _ => {
                out.push(marker as char);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "euro" => '€',
        "hellip" => '…',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFECYCLE: &str = r#"  flowchart TD
      subgraph organisatieniveau [organisatieniveau &nbsp&nbsp&nbsp&nbsp]
        0(0. Organisatieverantwoordelijkheden) --> 1(1. Probleemanalyse);
        subgraph systeemniveau [systeemniveau &nbsp&nbsp]
          7(7. Monitoring en beheer) --> 1(1. Probleemanalyse);
          1(1. Probleemanalyse) --> 2(2. Ontwerp);
          7(7. Monitoring en beheer) -.-> 8(8. Uitfaseren);
        end
      end
      click 0 href "../organisatieverantwoordelijkheden"
      click 1 href "../probleemanalyse"
      style 0 color:#fff, fill:#1975d2, stroke:#1975d2, text-decoration:underline;
      style organisatieniveau fill:transparent
"#;

    #[test]
    fn the_lifecycle_diagram() {
        let (c, problems) = parse(LIFECYCLE).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.direction, Direction::TopDown);
        let ids: Vec<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["0", "1", "7", "2", "8"]);
        assert_eq!(c.nodes[0].label, ["0. Organisatieverantwoordelijkheden"]);
        assert_eq!(c.nodes[0].shape, Shape::Round);
        assert_eq!(c.subgraphs[0].title, "organisatieniveau");
        assert_eq!(c.subgraphs[1].title, "systeemniveau");
        assert_eq!(c.subgraphs[1].parent, Some(0));
        // The inner subgraph takes the nodes it names; the outer the rest.
        let parents: Vec<Option<usize>> = c.nodes.iter().map(|n| n.parent).collect();
        assert_eq!(parents, [Some(0), Some(1), Some(1), Some(1), Some(1)]);
        assert_eq!(c.edges.len(), 4);
        assert_eq!(c.edges[3].stroke, Stroke::Dotted);
        assert_eq!(c.edges[3].end, Head::Arrow);
        let link = c.nodes[1].link.as_ref().unwrap();
        assert_eq!(link.href, "../probleemanalyse");
        assert_eq!(&LIFECYCLE[link.start..link.end], "../probleemanalyse");
        assert!(c.nodes[2].link.is_none());
    }

    #[test]
    fn edges_of_every_kind() {
        let src = "graph LR\nA --> B --- C -.-> D -.- E ==> F === G ~~~ H\nA -->|ja| B\nA -- nee --> C\nA -. misschien .-> D\nA == zeker ==> E\nA <--> B\nA --o B\nA --x B\nA ---> B\nA & B --> C & D\n";
        let (c, problems) = parse(src).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.direction, Direction::LeftRight);
        let e: Vec<(Stroke, Head, Head, Option<&str>)> = c
            .edges
            .iter()
            .map(|e| (e.stroke, e.start, e.end, e.label.as_deref()))
            .collect();
        use Head::*;
        use Stroke::*;
        assert_eq!(
            e[..7],
            [
                (Solid, None, Arrow, Option::None),
                (Solid, None, None, Option::None),
                (Dotted, None, Arrow, Option::None),
                (Dotted, None, None, Option::None),
                (Thick, None, Arrow, Option::None),
                (Thick, None, None, Option::None),
                (Invisible, None, None, Option::None),
            ]
        );
        assert_eq!(e[7], (Solid, None, Arrow, Some("ja")));
        assert_eq!(e[8], (Solid, None, Arrow, Some("nee")));
        assert_eq!(e[9], (Dotted, None, Arrow, Some("misschien")));
        assert_eq!(e[10], (Thick, None, Arrow, Some("zeker")));
        assert_eq!(e[11], (Solid, Arrow, Arrow, Option::None));
        assert_eq!(e[12], (Solid, None, Circle, Option::None));
        assert_eq!(e[13], (Solid, None, Cross, Option::None));
        assert_eq!(e[14], (Solid, None, Arrow, Option::None));
        assert_eq!(c.edges.len(), 19);
    }

    #[test]
    fn shapes_and_labels() {
        let src = "flowchart TB\na[\"Een [rechthoek]\"] --> b([stadion]) --> c[[sub]] --> d[(db)]\ne((cirkel)) --> f{keuze?} --> g{{zes}} --> h>vlag]\ni[/schuin/] --> j[\\ander\\] --> k(((dubbel)))\nl[Twee<br>regels &amp; #quot;x#quot;]:::klasse\n";
        let (c, problems) = parse(src).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let shapes: Vec<Shape> = c.nodes.iter().map(|n| n.shape).collect();
        use Shape::*;
        assert_eq!(
            shapes,
            [
                Rect,
                Stadium,
                Subroutine,
                Cylinder,
                Circle,
                Rhombus,
                Hexagon,
                Asymmetric,
                Parallelogram,
                ParallelogramAlt,
                DoubleCircle,
                Rect
            ]
        );
        assert_eq!(c.nodes[0].label, ["Een [rechthoek]"]);
        assert_eq!(c.nodes[11].label, ["Twee", "regels & \"x\""]);
    }

    #[test]
    fn problems_are_reported_and_the_rest_kept() {
        let src = "graph TD\nA --> B\nA --> \nC[niet dicht\nclick A call f()\nclick Z \"x\"\nend\nsubgraph S\nD\n";
        let (c, problems) = parse(src).unwrap();
        assert_eq!(c.nodes.len(), 3, "{:?}", c.nodes);
        let msgs: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs.len(), 6, "{msgs:?}");
        assert!(msgs[0].contains("needs a node"));
        assert!(msgs[1].contains("not closed by `]`"));
        assert!(msgs[2].contains("script"));
        assert!(msgs[3].contains("`Z`"));
        assert!(msgs[4].contains("`end` without"));
        assert!(msgs[5].contains("never closed"));
        for p in &problems {
            assert!(p.start <= p.end && p.end <= src.len());
        }
        assert_eq!(
            parse("sequenceDiagram\nA->>B: hoi"),
            Err(NotAFlowchart::Kind("sequenceDiagram".into()))
        );
        assert_eq!(parse("%% niets\n\n"), Err(NotAFlowchart::Empty));
    }

    #[test]
    fn click_urls_are_read_relative_to_the_page_url() {
        let f = |h| file_relative(h, Some("over-de-levenscyclus"));
        assert_eq!(f("../probleemanalyse"), "probleemanalyse");
        assert_eq!(f("../../x/"), "../x/");
        assert_eq!(f("sub/"), "over-de-levenscyclus/sub/");
        assert_eq!(f("./sub"), "over-de-levenscyclus/sub");
        for kept in [
            "https://x.nl/a",
            "mailto:a@b.nl",
            "/abs/",
            "#anker",
            "../x.md",
            "../x.md#a",
        ] {
            assert_eq!(f(kept), kept);
        }
        assert_eq!(file_relative("../x", None), "../x");
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode("a&nbspb&amp;c #35; &#x41; &zzz; #geen"),
            "a b&c # A &zzz; #geen"
        );
        assert_eq!(label_text("  x &nbsp&nbsp "), "x");
    }
}
