//! Which fields a document holds, whatever the serde format: [`Doc`] keeps
//! the shape of a YAML or JSON document (mappings with their keys, lists,
//! scalars) without the values, so fields that kader does not know can be
//! reported with their path instead of being dropped silently.

use crate::validate::{PathSegment, Problem, ProblemKind, Severity, Source as DocumentKind};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// The shape of a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Doc {
    /// A mapping: its keys (as text) and values, in order.
    Map(Vec<(String, Doc)>),
    /// A sequence.
    Seq(Vec<Doc>),
    /// Any scalar (or null).
    #[default]
    Scalar,
}

impl Doc {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Doc> {
        match self {
            Doc::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Nesting deeper than this is read as a scalar (hostile input cannot
/// exhaust the stack).
const MAX_DEPTH: usize = 64;

struct DocVisitor(usize);

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_none<E: de::Error>(self) -> Result<Doc, E> {
        Ok(Doc::Scalar)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Doc, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed(self.0 + 1))? {
            out.push(v);
        }
        Ok(Doc::Seq(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<Key>()? {
            let v = map.next_value_seed(Seed(self.0 + 1))?;
            out.push((k.0, v));
        }
        Ok(Doc::Map(out))
    }
}

struct Seed(usize);

impl<'de> de::DeserializeSeed<'de> for Seed {
    type Value = Doc;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Doc, D::Error> {
        if self.0 > MAX_DEPTH {
            de::IgnoredAny::deserialize(d)?;
            return Ok(Doc::Scalar);
        }
        d.deserialize_any(DocVisitor(self.0))
    }
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Doc, D::Error> {
        de::DeserializeSeed::deserialize(Seed(0), d)
    }
}

/// A mapping key of any scalar type, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct K;
        impl<'de> Visitor<'de> for K {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Key, A::Error> {
                while s.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Key("[…]".into()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Key, A::Error> {
                while m.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Key("{…}".into()))
            }
        }
        d.deserialize_any(K)
    }
}

/// The fields kader reads, per kind of object.
pub mod known {
    /// The top level of a tree.
    pub const TREE: &[&str] = &["version", "name", "questions", "conclusions"];
    /// A question.
    pub const QUESTION: &[&str] = &[
        "questionId",
        "question",
        "questionType",
        "explanation",
        "description",
        "category",
        "subcategory",
        "sources",
        "answers",
        "input",
    ];
    /// An answer.
    pub const ANSWER: &[&str] = &[
        "answer",
        "explanation",
        "subresult",
        "answerComment",
        "labels",
        "nextQuestionId",
        "nextConclusionId",
        "redirects",
        "range",
    ];
    /// A redirect.
    pub const REDIRECT: &[&str] = &["nextQuestionId", "nextConclusionId", "if"];
    /// A conclusion.
    pub const CONCLUSION: &[&str] = &[
        "conclusionId",
        "conclusion",
        "obligation",
        "explanation",
        "conclusionComment",
        "sources",
    ];
    /// A source.
    pub const SOURCE: &[&str] = &["source", "url"];
    /// The numeric-input extension.
    pub const INPUT: &[&str] = &["kind", "unit"];
    /// A range.
    pub const RANGE: &[&str] = &["gt", "ge", "lt", "le"];
    /// An entry of the categories file.
    pub const CATEGORY: &[&str] = &["questionId", "category", "subcategory"];
    /// An entry of the definitions file.
    pub const DEFINITION: &[&str] = &["term", "definition"];
    /// A label map.
    pub const LABEL_MAP: &[&str] = &["groups", "labels", "ignore"];
}

struct Walker<'a> {
    source: DocumentKind,
    out: &'a mut Vec<Problem>,
}

impl Walker<'_> {
    fn object(&mut self, doc: &Doc, known: &[&str], what: &str, path: &[PathSegment]) {
        let Doc::Map(entries) = doc else { return };
        for (k, _) in entries {
            if known.contains(&k.as_str()) {
                continue;
            }
            let mut p = path.to_vec();
            p.push(PathSegment::Key(k.clone()));
            let hint = match kader_suggest::did_you_mean(k, known.iter().copied()) {
                Some(n) => format!("did you mean `{n}`? Otherwise remove it: kader ignores it"),
                None => format!(
                    "kader ignores it; the fields of {what} are {}",
                    known.join(", ")
                ),
            };
            self.out.push(Problem {
                severity: Severity::Warning,
                kind: ProblemKind::UnsupportedField,
                message: format!("unsupported field `{k}` in {what}"),
                hint,
                path: p,
                source: self.source,
            });
        }
    }

    fn list(
        &mut self,
        doc: Option<&Doc>,
        path: &[PathSegment],
        each: &mut dyn FnMut(&mut Self, &Doc, Vec<PathSegment>),
    ) {
        if let Some(Doc::Seq(items)) = doc {
            for (i, item) in items.iter().enumerate() {
                let mut p = path.to_vec();
                p.push(PathSegment::Index(i));
                each(self, item, p);
            }
        }
    }

    fn sources(&mut self, doc: &Doc, path: &[PathSegment]) {
        let p = with(path, "sources");
        self.list(doc.get("sources"), &p, &mut |w, s, p| {
            w.object(s, known::SOURCE, "a source", &p)
        });
    }
}

fn with(path: &[PathSegment], key: &str) -> Vec<PathSegment> {
    let mut p = path.to_vec();
    p.push(PathSegment::Key(key.into()));
    p
}

/// Fields of a tree document that kader does not read, each a warning
/// ([`ProblemKind::UnsupportedField`]) with its path.
pub fn unsupported_tree_fields(doc: &Doc) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut w = Walker {
        source: DocumentKind::Tree,
        out: &mut out,
    };
    w.object(doc, known::TREE, "the tree", &[]);
    let qs = with(&[], "questions");
    w.list(doc.get("questions"), &qs, &mut |w, q, qp| {
        w.object(q, known::QUESTION, "a question", &qp);
        w.sources(q, &qp);
        if let Some(input) = q.get("input") {
            w.object(input, known::INPUT, "an input", &with(&qp, "input"));
        }
        let ap = with(&qp, "answers");
        w.list(q.get("answers"), &ap, &mut |w, a, ap| {
            w.object(a, known::ANSWER, "an answer", &ap);
            if let Some(r) = a.get("range") {
                w.object(r, known::RANGE, "a range", &with(&ap, "range"));
            }
            let rp = with(&ap, "redirects");
            w.list(a.get("redirects"), &rp, &mut |w, r, rp| {
                w.object(r, known::REDIRECT, "a redirect", &rp)
            });
        });
    });
    let cs = with(&[], "conclusions");
    w.list(doc.get("conclusions"), &cs, &mut |w, c, cp| {
        w.object(c, known::CONCLUSION, "a conclusion", &cp);
        w.sources(c, &cp);
    });
    out
}

/// Fields of a categories document that kader does not read.
pub fn unsupported_category_fields(doc: &Doc) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut w = Walker {
        source: DocumentKind::Categories,
        out: &mut out,
    };
    w.list(Some(doc), &[], &mut |w, e, p| {
        w.object(e, known::CATEGORY, "a category entry", &p)
    });
    out
}

/// Fields of a definitions document that kader does not read.
pub fn unsupported_definition_fields(doc: &Doc) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut w = Walker {
        source: DocumentKind::Definitions,
        out: &mut out,
    };
    let (list, base) = match doc {
        Doc::Map(_) => {
            w.object(doc, &["definitions"], "the definitions file", &[]);
            (doc.get("definitions"), with(&[], "definitions"))
        }
        other => (Some(other), Vec::new()),
    };
    w.list(list, &base, &mut |w, e, p| {
        w.object(e, known::DEFINITION, "a definition", &p)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::format_path;

    fn paths(ps: &[Problem]) -> Vec<String> {
        ps.iter().map(|p| format_path(&p.path)).collect()
    }

    #[test]
    fn every_unknown_field_is_reported_once_with_its_path() {
        let doc: Doc = serde_yaml::from_str(
            r#"
version: "1.0"
naam: x
questions:
  - questionId: "1"
    question: q
    questionType: SingleChoice
    explanation: e
    description: d
    category: c
    subcategory: s
    extra: 1
    sources: [{source: s, url: u, titel: t}]
    answers:
      - answer: a
        subresult: r
        answerComment: c
        labels: [x]
        redirects:
          - {nextQuestionId: "1", if: "true", else: 2}
        range: {gt: 1, gte: 2}
conclusions:
  - conclusionId: c
    conclusion: c
    obligation: o
    conclusionComment: cc
    labels: [a]
    sources: [{source: s}]
"#,
        )
        .unwrap();
        let ps = unsupported_tree_fields(&doc);
        assert_eq!(
            paths(&ps),
            [
                "naam",
                "questions[0].extra",
                "questions[0].sources[0].titel",
                "questions[0].answers[0].range.gte",
                "questions[0].answers[0].redirects[0].else",
                "conclusions[0].labels",
            ]
        );
        assert!(ps.iter().all(|p| p.severity == Severity::Warning
            && p.kind == ProblemKind::UnsupportedField
            && p.source == DocumentKind::Tree));
        assert_eq!(
            ps[0].hint,
            "did you mean `name`? Otherwise remove it: kader ignores it"
        );
    }

    #[test]
    fn companion_files() {
        let doc: Doc =
            serde_yaml::from_str("- {questionId: '1', category: a, subcategorie: b}").unwrap();
        assert_eq!(
            paths(&unsupported_category_fields(&doc)),
            ["[0].subcategorie"]
        );
        let doc: Doc =
            serde_yaml::from_str("definitions: [{term: a, definition: b, bron: c}]\nversie: 1")
                .unwrap();
        let ps = unsupported_definition_fields(&doc);
        assert_eq!(paths(&ps), ["versie", "definitions[0].bron"]);
        assert!(ps.iter().all(|p| p.source == DocumentKind::Definitions));
    }

    #[test]
    fn odd_documents_do_not_fail() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let doc: Doc = serde_json::from_str(&deep).unwrap();
        assert!(unsupported_tree_fields(&doc).is_empty());
        let doc: Doc = serde_yaml::from_str("{1: a, true: b, [x]: c, questions: 3}").unwrap();
        assert_eq!(paths(&unsupported_tree_fields(&doc)), ["1", "true", "[…]"]);
        assert_eq!(doc.get("questions"), Some(&Doc::Scalar));
    }
}
