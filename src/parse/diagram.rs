//! A [`Flowchart`] drawn at build time: laid out by the `dagre` crate (a
//! layered, Sugiyama-style layout; subgraphs are boxes drawn round their
//! part of the layout, or nested clusters of it where a box would take in
//! what is not its own) and written as
//! inline SVG that needs no script and no `style` attribute: shapes carry
//! classes styled by kader.css and presentation attributes as a fallback.
//! Clickable nodes are links ([`Piece::LinkOpen`]), and every diagram has a
//! text alternative: its nodes, grouped by subgraph, with their edges.

use super::escape::escape_html;
use super::mermaid::{Direction, Flowchart, Head, Shape, Stroke};
use dagre::graph::{Graph, GraphOptions};
use dagre::{EdgeLabel, LayoutOptions, NodeLabel, RankDir};
use std::fmt::Write;

/// The font size the labels are measured and drawn at (px).
const FONT: f64 = 14.0;
const LINE: f64 = 18.0;
/// Labels wrap at this width (px).
const WRAP: f64 = 240.0;
const PAD_X: f64 = 14.0;
const PAD_Y: f64 = 9.0;
const MARGIN: f64 = 8.0;

/// A piece of a drawn diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Html(String),
    /// The start of the link of node `n` (it has a [`super::mermaid::NodeLink`]).
    LinkOpen(usize),
    LinkClose,
}

/// The interface texts a diagram uses.
pub struct Texts {
    /// "Diagram".
    pub diagram: String,
    /// The summary of the text alternative.
    pub as_text: String,
    /// The word read before an edge's target ("naar").
    pub to: String,
}

#[derive(Default)]
struct Out {
    pieces: Vec<Piece>,
    html: String,
}

impl Out {
    fn push(&mut self, s: &str) {
        self.html.push_str(s);
    }
    fn piece(&mut self, p: Piece) {
        if !self.html.is_empty() {
            self.pieces
                .push(Piece::Html(std::mem::take(&mut self.html)));
        }
        self.pieces.push(p);
    }
    fn finish(mut self) -> Vec<Piece> {
        if !self.html.is_empty() {
            self.pieces.push(Piece::Html(self.html));
        }
        self.pieces
    }
}

/// The estimated width of `s` at [`FONT`] px in a sans-serif font (kept
/// on the generous side, so labels fit their shapes).
pub fn text_width(s: &str) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 0.28,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | ' ' | '-' | '/' => 0.36,
            'm' | 'w' | 'M' | 'W' | '@' => 0.9,
            'A'..='Z' => 0.7,
            '0'..='9' => 0.58,
            'a'..='z' => 0.56,
            c if c.is_ascii() => 0.6,
            _ => 0.7,
        })
        .sum();
    em * FONT * 1.06
}

/// A label's lines wrapped at [`WRAP`] px.
fn wrap(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            // (A short start such as `0.` stays with the next word.)
            if text_width(&current) > 40.0 && text_width(&candidate) > WRAP {
                out.push(std::mem::replace(&mut current, word.to_string()));
            } else {
                current = candidate;
            }
        }
        out.push(current);
    }
    out
}

/// The size of a node's shape around its (wrapped) label.
fn shape_size(shape: Shape, lines: &[String]) -> (f64, f64) {
    let tw = lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let th = lines.len() as f64 * LINE;
    let (w, h) = (tw + 2.0 * PAD_X, th + 2.0 * PAD_Y);
    match shape {
        Shape::Circle | Shape::DoubleCircle => {
            let d = (tw.hypot(th) + 12.0).max(40.0);
            let d = if shape == Shape::DoubleCircle {
                d + 10.0
            } else {
                d
            };
            (d, d)
        }
        Shape::Rhombus => {
            // The label's box fits the diamond when a/A + b/B <= 1.
            let (a, b) = (tw / 2.0 + 4.0, th / 2.0 + 2.0);
            let half_h = 2.4 * b + 6.0;
            let half_w = a / (1.0 - b / half_h) + 6.0;
            (2.0 * half_w, 2.0 * half_h)
        }
        Shape::Hexagon => (w + h * 0.5, h),
        Shape::Parallelogram
        | Shape::ParallelogramAlt
        | Shape::Trapezoid
        | Shape::TrapezoidAlt
        | Shape::Asymmetric => (w + h * 0.6, h),
        Shape::Subroutine => (w + 16.0, h),
        Shape::Cylinder => (w, h + 16.0),
        _ => (w.max(40.0), h),
    }
}

/// An edge's points and the centre of its label.
type EdgeLayout = (Vec<(f64, f64)>, Option<(f64, f64)>);

/// A laid-out chart.
struct Layout {
    nodes: Vec<(f64, f64, f64, f64)>,
    clusters: Vec<(f64, f64, f64, f64)>,
    /// The title of each subgraph, centred on its place.
    titles: Vec<(f64, f64, f64, f64)>,
    edges: Vec<EdgeLayout>,
}

/// The room between a subgraph's box and what it holds, when the boxes
/// are drawn round a layout without subgraphs (px).
const CLUSTER_PAD: f64 = 12.0;

/// Runs the layout; `Err` when the layout gives no usable coordinates.
///
/// A chart with subgraphs is first laid out as if it had none (its titles
/// still above their nodes), and each subgraph's box drawn round what it
/// holds: the layout's work grows with the ranks times the nodes, and
/// nested subgraphs multiply both (borders on every rank, five or more
/// ranks per step). Only when such a box would take in a node, title,
/// edge or box that is not its own is the chart laid out with its
/// subgraphs as clusters.
fn layout(chart: &Flowchart, labels: &[Vec<String>]) -> Result<Layout, String> {
    if !chart.subgraphs.is_empty() {
        if let Some(flat) = layout_with(chart, labels, false)
            .ok()
            .and_then(|l| boxed(chart, l))
        {
            return Ok(flat);
        }
    }
    layout_with(chart, labels, true)
}

/// Whether node `n` lies in subgraph `s`, directly or in one inside it.
fn node_within(chart: &Flowchart, n: usize, s: usize) -> bool {
    chart.nodes[n]
        .parent
        .is_some_and(|p| subgraph_within(chart, p, s))
}

/// Whether subgraph `x` is `s` or lies inside it.
fn subgraph_within(chart: &Flowchart, mut x: usize, s: usize) -> bool {
    for _ in 0..=chart.subgraphs.len() {
        if x == s {
            return true;
        }
        match chart.subgraphs[x].parent {
            Some(p) => x = p,
            None => return false,
        }
    }
    false
}

/// How many subgraphs subgraph `s` lies in.
fn depth(chart: &Flowchart, mut s: usize) -> usize {
    let mut d = 0;
    while let Some(p) = chart.subgraphs[s].parent {
        d += 1;
        s = p;
        if d > chart.subgraphs.len() {
            break;
        }
    }
    d
}

/// (x0, y0, x1, y1) of a box given as (centre x, centre y, width, height).
fn corners((x, y, w, h): (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0)
}

/// The boxes of `lay`'s subgraphs (laid out without them) drawn round
/// their nodes, titles, inner boxes and inner edges, innermost first;
/// `None` when a box would take in anything that is not its own.
fn boxed(chart: &Flowchart, mut lay: Layout) -> Option<Layout> {
    let k = chart.subgraphs.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by_key(|&s| std::cmp::Reverse(depth(chart, s)));
    let mut boxes = vec![(f64::MAX, f64::MAX, f64::MIN, f64::MIN); k];
    for &s in &order {
        let mut b = corners(lay.titles[s]);
        for (n, &node) in lay.nodes.iter().enumerate() {
            if chart.nodes[n].parent == Some(s) {
                let (x0, y0, x1, y1) = corners(node);
                grow(&mut b, x0, y0, x1, y1);
            }
        }
        for c in (0..k).filter(|&c| chart.subgraphs[c].parent == Some(s)) {
            let (x0, y0, x1, y1) = boxes[c];
            if x0 <= x1 {
                grow(&mut b, x0, y0, x1, y1);
            }
        }
        for (e, (points, _)) in chart.edges.iter().zip(&lay.edges) {
            if node_within(chart, e.from, s) && node_within(chart, e.to, s) {
                for &(x, y) in points {
                    grow(&mut b, x, y, x, y);
                }
            }
        }
        boxes[s] = (
            b.0 - CLUSTER_PAD,
            b.1 - CLUSTER_PAD,
            b.2 + CLUSTER_PAD,
            b.3 + CLUSTER_PAD,
        );
    }
    let meets = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    let inside =
        |p: (f64, f64), b: (f64, f64, f64, f64)| p.0 > b.0 && p.0 < b.2 && p.1 > b.1 && p.1 < b.3;
    for s in 0..k {
        let b = boxes[s];
        let foreign_node = (0..chart.nodes.len())
            .any(|n| !node_within(chart, n, s) && meets(corners(lay.nodes[n]), b));
        let foreign_box = (0..k).any(|x| {
            let related = subgraph_within(chart, x, s) || subgraph_within(chart, s, x);
            (!subgraph_within(chart, x, s) && meets(corners(lay.titles[x]), b))
                || (!related && meets(boxes[x], b))
        });
        let foreign_edge = chart.edges.iter().zip(&lay.edges).any(|(e, (points, _))| {
            !node_within(chart, e.from, s)
                && !node_within(chart, e.to, s)
                && points.iter().any(|&p| inside(p, b))
        });
        if foreign_node || foreign_box || foreign_edge {
            return None;
        }
    }
    lay.clusters = boxes
        .into_iter()
        .map(|(x0, y0, x1, y1)| ((x0 + x1) / 2.0, (y0 + y1) / 2.0, x1 - x0, y1 - y0))
        .collect();
    Some(lay)
}

/// Runs dagre, with the subgraphs as clusters (`clusters`) or without.
fn layout_with(
    chart: &Flowchart,
    labels: &[Vec<String>],
    clusters: bool,
) -> Result<Layout, String> {
    let mut g: Graph<NodeLabel, EdgeLabel> = Graph::with_options(GraphOptions {
        directed: true,
        multigraph: true,
        compound: clusters,
    });
    if clusters {
        for (i, _) in chart.subgraphs.iter().enumerate() {
            g.set_node(format!("s{i}"), Some(NodeLabel::default()));
        }
        for (i, s) in chart.subgraphs.iter().enumerate() {
            if let Some(p) = s.parent {
                g.set_parent(&format!("s{i}"), Some(&format!("s{p}")));
            }
        }
    }
    for (i, n) in chart.nodes.iter().enumerate() {
        let (w, h) = shape_size(n.shape, &labels[i]);
        g.set_node(
            format!("n{i}"),
            Some(NodeLabel {
                width: w,
                height: h,
                ..NodeLabel::default()
            }),
        );
        if let (Some(p), true) = (n.parent, clusters) {
            g.set_parent(&format!("n{i}"), Some(&format!("s{p}")));
        }
    }
    // Each subgraph's title is a node of its own at the top of the
    // subgraph: edges lead from it to the subgraph's entry nodes (those
    // without a predecessor inside it, else those reached from outside,
    // else the first), so the layout keeps room for it.
    for (s, sg) in chart.subgraphs.iter().enumerate() {
        let title = format!("t{s}");
        g.set_node(
            title.clone(),
            Some(NodeLabel {
                width: text_width(&sg.title) + 12.0,
                height: LINE,
                ..NodeLabel::default()
            }),
        );
        if clusters {
            g.set_parent(&title, Some(&format!("s{s}")));
        }
        let inside = |n: usize| chart.nodes[n].parent == Some(s);
        let children: Vec<usize> = (0..chart.nodes.len()).filter(|&n| inside(n)).collect();
        let no_pred: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&n| !chart.edges.iter().any(|e| e.to == n && inside(e.from)))
            .collect();
        let entries = if !no_pred.is_empty() {
            no_pred
        } else {
            let from_outside: Vec<usize> = children
                .iter()
                .copied()
                .filter(|&n| chart.edges.iter().any(|e| e.to == n && !inside(e.from)))
                .collect();
            if from_outside.is_empty() {
                children.into_iter().take(1).collect()
            } else {
                from_outside
            }
        };
        for n in entries {
            g.set_edge(
                title.clone(),
                format!("n{n}"),
                Some(EdgeLabel::default()),
                Some(&format!("t{s}-{n}")),
            );
        }
        // And the nodes outside that lead into the subgraph lead to its
        // title, so it sits below them rather than beside them.
        let mut feeders: Vec<usize> = chart
            .edges
            .iter()
            .filter(|e| node_within(chart, e.to, s) && !node_within(chart, e.from, s))
            .map(|e| e.from)
            .collect();
        feeders.sort_unstable();
        feeders.dedup();
        for u in feeders {
            g.set_edge(
                format!("n{u}"),
                title.clone(),
                Some(EdgeLabel::default()),
                Some(&format!("f{u}-{s}")),
            );
        }
    }
    for (i, e) in chart.edges.iter().enumerate() {
        let (w, h) = match &e.label {
            Some(l) => (text_width(l) + 8.0, LINE + 4.0),
            None => (0.0, 0.0),
        };
        g.set_edge(
            format!("n{}", e.from),
            format!("n{}", e.to),
            Some(EdgeLabel {
                width: w,
                height: h,
                labelpos: dagre::layout::types::LabelPos::Center,
                ..EdgeLabel::default()
            }),
            Some(&format!("e{i}")),
        );
    }
    let rankdir = match chart.direction {
        Direction::TopDown => RankDir::TB,
        Direction::BottomUp => RankDir::BT,
        Direction::LeftRight => RankDir::LR,
        Direction::RightLeft => RankDir::RL,
    };
    dagre::layout(
        &mut g,
        Some(LayoutOptions {
            rankdir,
            nodesep: 28.0,
            ranksep: 36.0,
            edgesep: 14.0,
            marginx: MARGIN,
            marginy: MARGIN,
            ..LayoutOptions::default()
        }),
    );
    let ok = |v: f64| v.is_finite() && v.abs() < 1e7;
    let bounds = |label: Option<&NodeLabel>| -> Option<(f64, f64, f64, f64)> {
        let l = label?;
        let (x, y) = (l.x?, l.y?);
        (ok(x) && ok(y) && ok(l.width) && ok(l.height)).then_some((x, y, l.width, l.height))
    };
    let mut out = Layout {
        nodes: Vec::new(),
        clusters: Vec::new(),
        titles: Vec::new(),
        edges: Vec::new(),
    };
    for i in 0..chart.nodes.len() {
        out.nodes.push(
            bounds(g.node(&format!("n{i}"))).ok_or("a node has no position after the layout")?,
        );
    }
    for i in 0..chart.subgraphs.len() {
        // A subgraph without nodes has no place; it is drawn round nothing.
        out.clusters
            .push(bounds(g.node(&format!("s{i}"))).unwrap_or((0.0, 0.0, 0.0, 0.0)));
        out.titles
            .push(bounds(g.node(&format!("t{i}"))).unwrap_or((0.0, 0.0, 0.0, 0.0)));
    }
    for (i, e) in chart.edges.iter().enumerate() {
        let name = format!("e{i}");
        let l = g
            .edge(&format!("n{}", e.from), &format!("n{}", e.to), Some(&name))
            .ok_or("an edge is missing after the layout")?;
        let mut points: Vec<(f64, f64)> = l
            .points
            .iter()
            .filter(|p| ok(p.x) && ok(p.y))
            .map(|p| (p.x, p.y))
            .collect();
        // The layout ends edges on the nodes' boxes; round shapes and
        // diamonds are smaller than their boxes.
        let n = points.len();
        if n >= 2 {
            let from = out.nodes[e.from];
            points[0] = outline_point(chart.nodes[e.from].shape, from, points[1], points[0]);
            let to = out.nodes[e.to];
            points[n - 1] =
                outline_point(chart.nodes[e.to].shape, to, points[n - 2], points[n - 1]);
        }
        let label = match (l.x, l.y) {
            (Some(x), Some(y)) if e.label.is_some() && ok(x) && ok(y) => Some((x, y)),
            _ => None,
        };
        out.edges.push((points, label));
    }
    Ok(out)
}

/// Where the line from a node's centre towards `toward` leaves its shape
/// (`at`, the point on its box, for shapes that fill their box).
fn outline_point(
    shape: Shape,
    (cx, cy, w, h): (f64, f64, f64, f64),
    toward: (f64, f64),
    at: (f64, f64),
) -> (f64, f64) {
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return at;
    }
    let t = match shape {
        Shape::Rhombus => 1.0 / (dx.abs() / (w / 2.0) + dy.abs() / (h / 2.0)),
        Shape::Circle | Shape::DoubleCircle => (w / 2.0) / dx.hypot(dy),
        _ => return at,
    };
    if !t.is_finite() || t > 1.0 {
        return at;
    }
    (cx + dx * t, cy + dy * t)
}

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Extends `b` (min x, min y, max x, max y) by a rectangle.
fn grow(b: &mut (f64, f64, f64, f64), x0: f64, y0: f64, x1: f64, y1: f64) {
    b.0 = b.0.min(x0);
    b.1 = b.1.min(y0);
    b.2 = b.2.max(x1);
    b.3 = b.3.max(y1);
}

/// The most nodes a layout may handle, counting the points where edges
/// cross ranks and the borders of subgraphs (the layout's time grows
/// faster than this number).
pub const LAYOUT_BUDGET: usize = 2500;

/// An estimate of the nodes the layout works with: the chart's nodes,
/// one point per rank an edge crosses (ranks by longest path, cycles
/// broken where a depth-first walk meets them) and subgraph borders.
pub fn layout_size(chart: &Flowchart) -> usize {
    let n = chart.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &chart.edges {
        if e.from < n && e.to < n && e.from != e.to {
            out[e.from].push(e.to);
        }
    }
    // Depth-first, without recursion: edges to a node on the stack close a
    // cycle and are left out of the ranking.
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back = std::collections::HashSet::new();
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*k) {
                *k += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                order.push(v);
                stack.pop();
            }
        }
    }
    // Longest path in reverse finishing order (a topological order).
    let mut rank = vec![0usize; n];
    for &v in order.iter().rev() {
        for &w in &out[v] {
            if !back.contains(&(v, w)) {
                rank[w] = rank[w].max(rank[v] + 1);
            }
        }
    }
    let ranks = rank.iter().max().map_or(0, |r| r + 1);
    let spans: usize = chart
        .edges
        .iter()
        .filter(|e| e.from < n && e.to < n)
        .map(|e| rank[e.from].abs_diff(rank[e.to]).max(1))
        .sum();
    n + spans + chart.subgraphs.len() * (ranks * 2 + 2)
}

/// The diagram as a figure with inline SVG and its text alternative.
/// `n` numbers the diagrams of a page (for ids).
pub fn draw(chart: &Flowchart, n: usize, texts: &Texts) -> Result<Vec<Piece>, String> {
    if chart.nodes.is_empty() {
        return Err("the flowchart has no nodes".into());
    }
    let size = layout_size(chart);
    if size > LAYOUT_BUDGET {
        return Err(format!(
            "it is too large to lay out ({size} places for nodes and edge bends; at most {LAYOUT_BUDGET})"
        ));
    }
    let labels: Vec<Vec<String>> = chart.nodes.iter().map(|n| wrap(&n.label)).collect();
    let lay = std::panic::catch_unwind(|| layout(chart, &labels))
        .map_err(|_| "the layout failed".to_string())??;
    let id = format!("diagram-{n}");
    // Bounds of everything drawn.
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y, w, h) in &lay.nodes {
        grow(&mut b, x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0);
    }
    for &(x, y, w, h) in lay.clusters.iter().chain(&lay.titles) {
        if w > 0.0 {
            grow(&mut b, x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0);
        }
    }
    for (i, (points, label)) in lay.edges.iter().enumerate() {
        for &(x, y) in points {
            grow(&mut b, x, y, x, y);
        }
        if let (Some((x, y)), Some(l)) = (label, &chart.edges[i].label) {
            let w = text_width(l) + 8.0;
            grow(
                &mut b,
                x - w / 2.0,
                y - LINE / 2.0,
                x + w / 2.0,
                y + LINE / 2.0,
            );
        }
    }
    let (ox, oy) = (b.0 - MARGIN, b.1 - MARGIN);
    let (width, height) = (b.2 - b.0 + 2.0 * MARGIN, b.3 - b.1 + 2.0 * MARGIN);
    let tx = |x: f64| f(x - ox);
    let ty = |y: f64| f(y - oy);

    let mut o = Out::default();
    let title = chart.title.as_deref().unwrap_or(&texts.diagram);
    let _ = write!(
        o.html,
        "<figure class=\"diagram\" id=\"{id}\">\n<svg class=\"diagram-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" font-size=\"{FONT}\" role=\"group\" aria-label=\"{}\">\n",
        f(width),
        f(height),
        f(width),
        f(height),
        escape_html(title)
    );
    // The markers of the edge heads used.
    let used = |h: Head| {
        chart
            .edges
            .iter()
            .any(|e| e.stroke != Stroke::Invisible && (e.start == h || e.end == h))
    };
    o.push("<defs>\n");
    if used(Head::Arrow) {
        let _ = writeln!(
            o.html,
            "<marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path class=\"diagram-marker\" d=\"M0,0 L10,5 L0,10 z\" fill=\"#4a4a4a\"/></marker>"
        );
    }
    if used(Head::Circle) {
        let _ = writeln!(
            o.html,
            "<marker id=\"{id}-circle\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><circle class=\"diagram-marker\" cx=\"5\" cy=\"5\" r=\"4\" fill=\"#4a4a4a\"/></marker>"
        );
    }
    if used(Head::Cross) {
        let _ = writeln!(
            o.html,
            "<marker id=\"{id}-cross\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path class=\"diagram-marker-line\" d=\"M1,1 L9,9 M9,1 L1,9\" stroke=\"#4a4a4a\" stroke-width=\"2\"/></marker>"
        );
    }
    o.push("</defs>\n");
    // Clusters, outermost first.
    o.push("<g class=\"diagram-clusters\" aria-hidden=\"true\">\n");
    let mut order: Vec<usize> = (0..chart.subgraphs.len()).collect();
    order.sort_by_key(|&i| depth(chart, i));
    for i in order {
        let (x, y, w, h) = lay.clusters[i];
        if w <= 0.0 {
            continue;
        }
        let (x0, y0) = (x - w / 2.0, y - h / 2.0);
        let (tx0, ty0, _, _) = lay.titles[i];
        let _ = writeln!(
            o.html,
            "<g class=\"diagram-cluster\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#f4f6f9\" stroke=\"#c9d3de\"/><text class=\"diagram-cluster-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#1b1b1b\">{}</text></g>",
            tx(x0),
            ty(y0),
            f(w),
            f(h),
            tx(tx0),
            ty(ty0),
            escape_html(&chart.subgraphs[i].title)
        );
    }
    o.push("</g>\n<g class=\"diagram-edges\" aria-hidden=\"true\">\n");
    for (i, (points, label)) in lay.edges.iter().enumerate() {
        let e = &chart.edges[i];
        if points.len() < 2 {
            continue;
        }
        let mut d = format!("M{},{}", tx(points[0].0), ty(points[0].1));
        for k in 1..points.len() - 1 {
            let (px, py) = points[k];
            let (nx, ny) = points[k + 1];
            let _ = write!(
                d,
                " Q{},{} {},{}",
                tx(px),
                ty(py),
                tx((px + nx) / 2.0),
                ty((py + ny) / 2.0)
            );
        }
        let last = points[points.len() - 1];
        let _ = write!(d, " L{},{}", tx(last.0), ty(last.1));
        let class = match e.stroke {
            Stroke::Solid => "diagram-edge",
            Stroke::Dotted => "diagram-edge diagram-edge-dotted",
            Stroke::Thick => "diagram-edge diagram-edge-thick",
            Stroke::Invisible => "diagram-edge diagram-edge-invisible",
        };
        let marker = |h: Head| match h {
            Head::None => None,
            Head::Arrow => Some("arrow"),
            Head::Circle => Some("circle"),
            Head::Cross => Some("cross"),
        };
        let mut attrs = String::new();
        if e.stroke != Stroke::Invisible {
            if let Some(m) = marker(e.start) {
                let _ = write!(attrs, " marker-start=\"url(#{id}-{m})\"");
            }
            if let Some(m) = marker(e.end) {
                let _ = write!(attrs, " marker-end=\"url(#{id}-{m})\"");
            }
        }
        let (stroke, dash, sw) = match e.stroke {
            Stroke::Solid => ("#4a4a4a", "", "1.5"),
            Stroke::Dotted => ("#4a4a4a", " stroke-dasharray=\"4 4\"", "1.5"),
            Stroke::Thick => ("#4a4a4a", "", "3.5"),
            Stroke::Invisible => ("none", "", "0"),
        };
        let _ = writeln!(
            o.html,
            "<path class=\"{class}\" d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{sw}\"{dash}{attrs}/>"
        );
        if let (Some((x, y)), Some(l)) = (label, &e.label) {
            let w = text_width(l) + 8.0;
            let _ = writeln!(
                o.html,
                "<g class=\"diagram-edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#1b1b1b\">{}</text></g>",
                tx(x - w / 2.0),
                ty(y - LINE / 2.0),
                f(w),
                f(LINE),
                tx(*x),
                ty(*y),
                escape_html(l)
            );
        }
    }
    o.push("</g>\n<g class=\"diagram-nodes\">\n");
    for (i, node) in chart.nodes.iter().enumerate() {
        let (x, y, w, h) = lay.nodes[i];
        let link = node.link.is_some();
        if link {
            o.piece(Piece::LinkOpen(i));
            if let Some(t) = node.link.as_ref().and_then(|l| l.tooltip.as_ref()) {
                let _ = write!(o.html, "<title>{}</title>", escape_html(t));
            }
        }
        let class = if link {
            "diagram-node diagram-link"
        } else {
            "diagram-node"
        };
        let _ = write!(o.html, "<g class=\"{class}\">");
        o.push(&shape_svg(node.shape, x - ox, y - oy, w, h));
        let lines = &labels[i];
        let top = y - oy - (lines.len() as f64 - 1.0) * LINE / 2.0;
        let _ = write!(
            o.html,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#1b1b1b\">",
            tx(x),
            f(top)
        );
        for (k, line) in lines.iter().enumerate() {
            if k == 0 {
                let _ = write!(
                    o.html,
                    "<tspan x=\"{}\">{}</tspan>",
                    tx(x),
                    escape_html(line)
                );
            } else {
                let _ = write!(
                    o.html,
                    "<tspan x=\"{}\" dy=\"{LINE}\">{}</tspan>",
                    tx(x),
                    escape_html(line)
                );
            }
        }
        o.push("</text></g>");
        if link {
            o.piece(Piece::LinkClose);
        }
        o.push("\n");
    }
    o.push("</g>\n</svg>\n");
    // The text lists the nodes in the order of the drawing.
    let mut order: Vec<usize> = (0..chart.nodes.len()).collect();
    let key = |i: usize| {
        let (x, y, _, _) = lay.nodes[i];
        match chart.direction {
            Direction::TopDown => (y, x),
            Direction::BottomUp => (-y, x),
            Direction::LeftRight => (x, y),
            Direction::RightLeft => (-x, y),
        }
    };
    order.sort_by(|&a, &b| {
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut text = text_alternative(chart, texts, false, &order);
    o.piece(Piece::Html(String::new()));
    let mut pieces = o.finish();
    pieces.retain(|p| p != &Piece::Html(String::new()));
    pieces.append(&mut text);
    pieces.push(Piece::Html("</figure>\n".into()));
    Ok(pieces)
}

/// The outline of a shape centred at (`cx`, `cy`).
fn shape_svg(shape: Shape, cx: f64, cy: f64, w: f64, h: f64) -> String {
    let (x0, y0, x1, y1) = (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0);
    let paint = "class=\"diagram-shape\" fill=\"#e8eef5\" stroke=\"#154273\" stroke-width=\"1.5\"";
    let rect = |rx: f64| {
        format!(
            "<rect {paint} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
            f(x0),
            f(y0),
            f(w),
            f(h),
            f(rx)
        )
    };
    let poly = |pts: &[(f64, f64)]| {
        let p: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("{},{}", f(*x), f(*y)))
            .collect();
        format!("<polygon {paint} points=\"{}\"/>", p.join(" "))
    };
    let s = h * 0.3;
    match shape {
        Shape::Rect => rect(0.0),
        Shape::Round => rect(6.0),
        Shape::Stadium => rect(h / 2.0),
        Shape::Subroutine => format!(
            "{}<path class=\"diagram-shape-line\" d=\"M{},{} V{} M{},{} V{}\" fill=\"none\" stroke=\"#154273\"/>",
            rect(0.0),
            f(x0 + 8.0),
            f(y0),
            f(y1),
            f(x1 - 8.0),
            f(y0),
            f(y1)
        ),
        Shape::Cylinder => {
            let ry = 7.0;
            format!(
                "<path {paint} d=\"M{},{} A{},{} 0 0 0 {},{} V{} A{},{} 0 0 1 {},{} Z\"/><path class=\"diagram-shape-line\" d=\"M{},{} A{},{} 0 0 0 {},{}\" fill=\"none\" stroke=\"#154273\"/>",
                f(x0),
                f(y0 + ry),
                f(w / 2.0),
                f(ry),
                f(x1),
                f(y0 + ry),
                f(y1 - ry),
                f(w / 2.0),
                f(ry),
                f(x0),
                f(y1 - ry),
                f(x0),
                f(y0 + ry),
                f(w / 2.0),
                f(ry),
                f(x1),
                f(y0 + ry)
            )
        }
        Shape::Circle => format!(
            "<circle {paint} cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            f(cx),
            f(cy),
            f(w / 2.0)
        ),
        Shape::DoubleCircle => format!(
            "<circle {paint} cx=\"{}\" cy=\"{}\" r=\"{}\"/><circle class=\"diagram-shape-line\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"#154273\"/>",
            f(cx),
            f(cy),
            f(w / 2.0),
            f(cx),
            f(cy),
            f(w / 2.0 - 5.0)
        ),
        Shape::Rhombus => poly(&[(cx, y0), (x1, cy), (cx, y1), (x0, cy)]),
        Shape::Hexagon => {
            let i = h / 4.0;
            poly(&[(x0 + i, y0), (x1 - i, y0), (x1, cy), (x1 - i, y1), (x0 + i, y1), (x0, cy)])
        }
        Shape::Parallelogram => poly(&[(x0 + s, y0), (x1, y0), (x1 - s, y1), (x0, y1)]),
        Shape::ParallelogramAlt => poly(&[(x0, y0), (x1 - s, y0), (x1, y1), (x0 + s, y1)]),
        Shape::Trapezoid => poly(&[(x0 + s, y0), (x1 - s, y0), (x1, y1), (x0, y1)]),
        Shape::TrapezoidAlt => poly(&[(x0, y0), (x1, y0), (x1 - s, y1), (x0 + s, y1)]),
        Shape::Asymmetric => poly(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0 + s, cy)]),
    }
}

/// The diagram's nodes, grouped by subgraph, each with the edges leaving
/// it: inside `<details>` under the drawing, or (`alone`) as the figure's
/// only content when it cannot be drawn.
/// `order` lists the nodes in the order to read them.
pub fn text_alternative(
    chart: &Flowchart,
    texts: &Texts,
    alone: bool,
    order: &[usize],
) -> Vec<Piece> {
    let mut o = Out::default();
    if alone {
        let title = chart.title.as_deref().unwrap_or(&texts.diagram);
        let _ = write!(
            o.html,
            "<figcaption>{}</figcaption>\n<div class=\"diagram-text\">\n",
            escape_html(title)
        );
    } else {
        let _ = write!(
            o.html,
            "<details class=\"diagram-text\">\n<summary>{}</summary>\n",
            escape_html(&texts.as_text)
        );
    }
    list(chart, texts, order, None, &mut o, 0);
    o.push(if alone { "</div>\n" } else { "</details>\n" });
    o.finish()
}

/// The list of the nodes and subgraphs directly in `parent`.
fn list(
    chart: &Flowchart,
    texts: &Texts,
    order: &[usize],
    parent: Option<usize>,
    o: &mut Out,
    depth: usize,
) {
    let subgraphs: Vec<usize> = (0..chart.subgraphs.len())
        .filter(|&i| chart.subgraphs[i].parent == parent)
        .collect();
    let nodes: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| chart.nodes.get(i).is_some_and(|n| n.parent == parent))
        .collect();
    if subgraphs.is_empty() && nodes.is_empty() {
        return;
    }
    o.push("<ul>\n");
    for i in nodes {
        let node = &chart.nodes[i];
        o.push("<li>");
        if node.link.is_some() {
            o.piece(Piece::LinkOpen(i));
        }
        o.push(&escape_html(&node.label.join(" ")));
        if node.link.is_some() {
            o.piece(Piece::LinkClose);
        }
        let out: Vec<_> = chart
            .edges
            .iter()
            .filter(|e| e.from == i && e.stroke != Stroke::Invisible)
            .collect();
        if !out.is_empty() {
            o.push("\n<ul class=\"diagram-edges\">\n");
            for e in out {
                let arrow = if e.end == Head::None && e.start == Head::None {
                    "—"
                } else {
                    "→"
                };
                let _ = write!(
                    o.html,
                    "<li><span aria-hidden=\"true\">{arrow} </span><span class=\"visually-hidden\">{} </span>{}",
                    escape_html(&texts.to),
                    escape_html(&chart.nodes[e.to].label.join(" "))
                );
                if let Some(l) = &e.label {
                    let _ = write!(o.html, " ({})", escape_html(l));
                }
                o.push("</li>\n");
            }
            o.push("</ul>\n");
        }
        o.push("</li>\n");
    }
    for s in subgraphs {
        let _ = writeln!(
            o.html,
            "<li><span class=\"diagram-group\">{}</span>",
            escape_html(&chart.subgraphs[s].title)
        );
        if depth < 64 {
            list(chart, texts, order, Some(s), o, depth + 1);
        }
        o.push("</li>\n");
    }
    o.push("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::super::mermaid::parse;
    use super::*;

    fn texts() -> Texts {
        Texts {
            diagram: "Diagram".into(),
            as_text: "Het diagram in tekst".into(),
            to: "naar".into(),
        }
    }

    fn html(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Html(h) => h.clone(),
                Piece::LinkOpen(n) => format!("<a href=\"#n{n}\">"),
                Piece::LinkClose => "</a>".into(),
            })
            .collect()
    }

    #[test]
    fn a_flowchart_becomes_svg_without_style_attributes() {
        let (c, _) = parse(
            "flowchart TD\nsubgraph s [Groep]\nA(Begin) -->|ja| B{Keuze}\nend\nB -.-> C[Einde]\nclick A href \"x/\" \"Naar x\"\n",
        )
        .unwrap();
        let p = draw(&c, 1, &texts()).unwrap();
        let h = html(&p);
        assert!(
            h.starts_with("<figure class=\"diagram\" id=\"diagram-1\">\n<svg"),
            "{h}"
        );
        assert!(!h.contains("style="), "{h}");
        assert!(!h.contains("<style"), "{h}");
        assert!(h.contains("marker-end=\"url(#diagram-1-arrow)\""));
        assert!(h.contains("stroke-dasharray"));
        assert!(h.contains(">Groep</text>"));
        assert!(h.contains("<polygon class=\"diagram-shape\""));
        // The link wraps the node in the drawing and in the list.
        assert_eq!(p.iter().filter(|x| **x == Piece::LinkOpen(0)).count(), 2);
        assert!(h.contains(
            "<a href=\"#n0\"><title>Naar x</title><g class=\"diagram-node diagram-link\">"
        ));
        assert!(
            h.contains("<details class=\"diagram-text\">\n<summary>Het diagram in tekst</summary>")
        );
        assert!(
            h.contains("<span class=\"visually-hidden\">naar </span>Keuze (ja)"),
            "{h}"
        );
        assert!(h.ends_with("</details>\n</figure>\n"));
        // Every coordinate is a finite number.
        assert!(!h.contains("NaN") && !h.contains("inf"));
    }

    #[test]
    fn long_labels_wrap() {
        let lines =
            wrap(&["Dit is een heel lange tekst die niet op een regel past in een knoop".into()]);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines
            .iter()
            .all(|l| text_width(l) <= WRAP || !l.contains(' ')));
    }

    #[test]
    fn the_text_alternative_alone() {
        let (c, _) = parse("graph LR\nA --> B\n").unwrap();
        let h = html(&text_alternative(&c, &texts(), true, &[0, 1]));
        assert!(h.starts_with("<figcaption>Diagram</figcaption>"));
        assert!(h.contains("<li>A\n<ul class=\"diagram-edges\">"));
        assert!(h.contains("<li>B</li>"));
    }

    #[test]
    fn huge_charts_are_refused_quickly() {
        // A long chain with edges back and forth across it.
        let mut src = String::from("flowchart TD\n");
        for i in 0..299 {
            src.push_str(&format!("n{i} --> n{}\n", i + 1));
        }
        for i in 0..200 {
            src.push_str(&format!("n{} --> n{}\n", i, 299 - i));
        }
        let (c, _) = parse(&src).unwrap();
        assert!(layout_size(&c) > LAYOUT_BUDGET);
        let t = std::time::Instant::now();
        let err = draw(&c, 1, &texts()).unwrap_err();
        assert!(err.contains("too large"), "{err}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        // A chain alone is small.
        let (c, _) = parse("graph LR\na-->b-->c-->a").unwrap();
        assert_eq!(layout_size(&c), 3 + 1 + 1 + 2);
    }

    fn holds(outer: (f64, f64, f64, f64), inner: (f64, f64, f64, f64)) -> bool {
        let (a, b) = (corners(outer), corners(inner));
        a.0 <= b.0 && a.1 <= b.1 && a.2 >= b.2 && a.3 >= b.3
    }

    fn laid_out(src: &str) -> (Flowchart, Layout) {
        let (c, _) = parse(src).unwrap();
        let labels: Vec<Vec<String>> = c.nodes.iter().map(|n| wrap(&n.label)).collect();
        let lay = layout(&c, &labels).unwrap();
        (c, lay)
    }

    fn node(c: &Flowchart, id: &str) -> usize {
        c.nodes.iter().position(|n| n.id == id).unwrap()
    }

    #[test]
    fn subgraph_boxes_hold_what_they_hold_and_nothing_else() {
        // As the lifecycle diagram of the corpus: a chain with a cycle in a
        // subgraph inside another, one node only in the outer one.
        let (c, lay) = laid_out(
            "flowchart TD\nsubgraph org [Organisatie]\nA(Nul) --> B(Een)\nsubgraph sys [Systeem]\nC(Zeven) --> B\nB --> D(Twee)\nD --> C\nC -.-> E(Acht)\nend\nend",
        );
        let (org, sys) = (0, 1);
        assert_eq!(c.subgraphs[sys].parent, Some(org));
        assert!(holds(lay.clusters[org], lay.clusters[sys]));
        for s in [org, sys] {
            assert!(holds(lay.clusters[s], lay.titles[s]));
        }
        for id in ["B", "C", "D", "E"] {
            assert!(holds(lay.clusters[sys], lay.nodes[node(&c, id)]), "{id}");
        }
        let a = corners(lay.nodes[node(&c, "A")]);
        let inner = corners(lay.clusters[sys]);
        assert!(holds(lay.clusters[org], lay.nodes[node(&c, "A")]));
        assert!(a.3 <= inner.1 || a.1 >= inner.3 || a.2 <= inner.0 || a.0 >= inner.2);
        // The title sits above the subgraph's nodes.
        let title = corners(lay.titles[sys]);
        assert!(["B", "C", "D", "E"]
            .iter()
            .all(|id| title.3 <= corners(lay.nodes[node(&c, id)]).1));
    }

    #[test]
    fn a_box_that_would_take_in_another_node_is_laid_out_as_a_cluster() {
        // X comes between A and B, which share a subgraph: a box round A
        // and B laid out without the subgraph would take X in.
        let src = "flowchart TD\nsubgraph s [S]\nA --> B\nend\nA --> X\nX --> B";
        let (c, _) = parse(src).unwrap();
        let labels: Vec<Vec<String>> = c.nodes.iter().map(|n| wrap(&n.label)).collect();
        let flat = layout_with(&c, &labels, false).unwrap();
        assert!(boxed(&c, flat).is_none());
        let (c, lay) = laid_out(src);
        for id in ["A", "B"] {
            assert!(holds(lay.clusters[0], lay.nodes[node(&c, id)]), "{id}");
        }
        let x = corners(lay.nodes[node(&c, "X")]);
        let b = corners(lay.clusters[0]);
        assert!(x.3 <= b.1 || x.1 >= b.3 || x.2 <= b.0 || x.0 >= b.2);
    }

    #[test]
    fn odd_graphs_lay_out() {
        // Cycles, self-loops, parallel edges, empty and nested subgraphs,
        // edges across subgraphs, every direction.
        for src in [
            "graph TD\nA-->A\nA-->B\nA-->B\nB-->A",
            "graph LR\nsubgraph x\nend\nA-->B",
            "graph RL\nsubgraph a\nsubgraph b\nsubgraph c\nX\nend\nend\nend\nX-->Y\nY-->X",
            "graph BT\nsubgraph a\nA1-->A2\nend\nsubgraph b\nB1-->B2\nend\nA1-->B2\nB1-->A2\nA2-->A1",
            "graph TD\nA-- lang label -->B\nA-- ander -->B\nB-->C-->D-->A",
            "graph TD\nA",
        ] {
            let (c, _) = parse(src).unwrap();
            let p = draw(&c, 0, &texts()).unwrap_or_else(|e| panic!("{src}: {e}"));
            let h = html(&p);
            assert!(!h.contains("NaN"), "{src}");
        }
    }
}
