//! Positions of YAML nodes by path (`questions[3].answers[1].if`), so
//! problems found in a parsed YAML document can point at their line and
//! column. serde_yaml parses the values; this only records where they are.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// 1-based line and column of every node, keyed by its path.
#[derive(Debug, Default)]
pub struct YamlPositions {
    nodes: HashMap<Vec<Seg>, (usize, usize)>,
}

impl YamlPositions {
    /// Records node positions; a document that does not parse gives none.
    pub fn of(text: &str) -> YamlPositions {
        let mut rec = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut rec, false);
        YamlPositions { nodes: rec.nodes }
    }

    /// The position of the node at exactly `path`.
    pub fn exact(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.nodes.get(path).copied()
    }

    /// The position of the node at `path`, or of its nearest recorded parent.
    pub fn find(&self, path: &[Seg]) -> Option<(usize, usize)> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.nodes.get(&path[..n]).copied())
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    path: Vec<Seg>,
    nodes: HashMap<Vec<Seg>, (usize, usize)>,
}

impl Recorder {
    /// Called when a node (scalar or collection) begins; returns whether the
    /// node is a mapping key rather than a value.
    fn begin_node(&mut self, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) if key.is_none() => return Some(String::new()),
            Some(Frame::Map { key: Some(k) }) => {
                self.path.push(Seg::Key(k.clone()));
            }
            Some(Frame::Seq { next }) => {
                self.path.push(Seg::Index(*next));
                *next += 1;
            }
            _ => {}
        }
        self.nodes
            .entry(self.path.clone())
            .or_insert((mark.line(), mark.col() + 1));
        None
    }

    fn end_value(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) => {
                *key = None;
                self.path.pop();
            }
            Some(Frame::Seq { .. }) => {
                self.path.pop();
            }
            None => {}
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                if self.begin_node(mark).is_some() {
                    // A block mapping starts where its first key does, not
                    // at the colon after it, where the parser marks it.
                    let at = (mark.line(), mark.col() + 1);
                    if let Some(pos) = self.nodes.get_mut(&self.path) {
                        if pos.0 == at.0 && pos.1 > at.1 {
                            *pos = at;
                        }
                    }
                    if let Some(Frame::Map { key }) = self.stack.last_mut() {
                        *key = Some(value);
                    }
                } else {
                    self.end_value();
                }
            }
            Event::Alias(_) => {
                if self.begin_node(mark).is_some() {
                    if let Some(Frame::Map { key }) = self.stack.last_mut() {
                        *key = Some("*alias".into());
                    }
                } else {
                    self.end_value();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.begin_node(mark).is_some() {
                    // A complex key: not addressable; track it as an anonymous key.
                    if let Some(Frame::Map { key }) = self.stack.last_mut() {
                        *key = Some("?complex".into());
                    }
                }
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map { key: None }
                } else {
                    Frame::Seq { next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.end_value();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_in_a_list_starts_at_its_first_key() {
        let text = "plugins:\n    - search\n    - dates:\n        tz: x\n";
        let p = YamlPositions::of(text);
        let item = |i| p.exact(&[Seg::Key("plugins".into()), Seg::Index(i)]);
        assert_eq!(item(0), Some((2, 7)));
        assert_eq!(item(1), Some((3, 7)));
    }

    #[test]
    fn nested_paths_have_positions() {
        let text = "questions:\n  - questionId: \"1\"\n    answers:\n      - answer: Ja\n        nextQuestionId: \"2\"\n      - answer: Nee\n        redirects:\n          - if: '\"a\" in labels'\n";
        let p = YamlPositions::of(text);
        let path = |segs: &[Seg]| p.find(segs);
        use Seg::*;
        assert_eq!(
            path(&[Key("questions".into()), Index(0), Key("questionId".into())]),
            Some((2, 17))
        );
        assert_eq!(
            path(&[
                Key("questions".into()),
                Index(0),
                Key("answers".into()),
                Index(0),
                Key("nextQuestionId".into())
            ]),
            Some((5, 25))
        );
        assert_eq!(
            path(&[
                Key("questions".into()),
                Index(0),
                Key("answers".into()),
                Index(1),
                Key("redirects".into()),
                Index(0),
                Key("if".into())
            ]),
            Some((8, 17))
        );
        // Unknown tails fall back to the nearest parent.
        assert_eq!(
            path(&[Key("questions".into()), Index(0), Key("nope".into())]).map(|p| p.0),
            Some(2)
        );
    }
}
