//! Conditions in decision-tree redirects (`if:`), evaluated over the set of
//! labels collected so far.
//!
//! Grammar (precedence `!`/`not` > `&&` > `||`):
//!
//! ```text
//! expr    := and ( "||" and )*
//! and     := unary ( "&&" unary )*
//! unary   := ( "!" | "not" ) unary | primary
//! primary := STRING "in" "labels" | "true" | "false" | "(" expr ")"
//! STRING  := '"' ( any char except '"' and '\', or '\"' or '\\' )* '"'
//! ```
//!
//! Nesting (parentheses and negations) is limited to [`MAX_DEPTH`] levels,
//! so hostile input yields an error instead of a stack overflow.
//!
//! The same parser reads a second dialect, [`parse_names`], for the
//! `uitzondering:` entries of pages: there an operand is a name, bare
//! (`risicogroep-hoog-risico-ai-systeem`) or in double quotes, and means
//! "the profile has this taxonomy term" (see [`crate::profile`]).
//!
//! ```text
//! primary := NAME | STRING | "true" | "false" | "(" expr ")"
//! NAME    := letter or `_`, then letters, digits, `_`, `-` or `.`
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// Maximum nesting depth of parentheses and negations.
pub const MAX_DEPTH: usize = 64;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expr {
    /// `true` or `false`.
    Const(bool),
    /// `"label" in labels`.
    HasLabel(String),
    /// `!e` / `not e`.
    Not(Box<Expr>),
    /// `a && b && …` (at least two operands).
    And(Vec<Expr>),
    /// `a || b || …` (at least two operands).
    Or(Vec<Expr>),
}

/// A syntax error with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    /// Byte offset into the source.
    pub offset: usize,
    /// What went wrong (`expected …, found …`).
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

impl Expr {
    /// Evaluates the condition; `has(label)` says whether a label was collected.
    pub fn eval_with(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Const(b) => *b,
            Expr::HasLabel(l) => has(l),
            Expr::Not(e) => !e.eval_with(has),
            Expr::And(es) => es.iter().all(|e| e.eval_with(has)),
            Expr::Or(es) => es.iter().any(|e| e.eval_with(has)),
        }
    }

    /// Evaluates the condition against a list of collected labels.
    pub fn eval<S: AsRef<str>>(&self, labels: &[S]) -> bool {
        self.eval_with(&|l| labels.iter().any(|x| x.as_ref() == l))
    }

    /// The distinct labels the condition refers to, sorted.
    pub fn labels(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_labels(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_labels<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Const(_) => {}
            Expr::HasLabel(l) => out.push(l),
            Expr::Not(e) => e.collect_labels(out),
            Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| e.collect_labels(out)),
        }
    }
}

impl fmt::Display for Expr {
    /// Canonical source form, fully parenthesised where needed; parses back
    /// to an equal expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Const(b) => write!(f, "{b}"),
            Expr::HasLabel(l) => {
                f.write_str("\"")?;
                for c in l.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\" in labels")
            }
            Expr::Not(e) => match **e {
                Expr::Const(_) | Expr::Not(_) => write!(f, "!{e}"),
                _ => write!(f, "!({e})"),
            },
            Expr::And(es) => {
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" && ")?;
                    }
                    match e {
                        Expr::Or(_) | Expr::And(_) => write!(f, "({e})")?,
                        _ => write!(f, "{e}")?,
                    }
                }
                Ok(())
            }
            Expr::Or(es) => {
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" || ")?;
                    }
                    match e {
                        Expr::Or(_) => write!(f, "({e})")?,
                        _ => write!(f, "{e}")?,
                    }
                }
                Ok(())
            }
        }
    }
}

/// Parses a condition.
///
/// ```
/// use kader_classify::expr::parse;
/// let e = parse(r#""aanbieder" in labels && !("open-source" in labels)"#).unwrap();
/// assert!(e.eval(&["aanbieder"]));
/// assert!(!e.eval(&["aanbieder", "open-source"]));
/// let err = parse(r#""a" in label"#).unwrap_err();
/// assert_eq!(err.offset, 7);
/// assert_eq!(err.message, "expected `labels`, found identifier `label`");
/// ```
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    parse_dialect(source, false)
}

/// Parses an expression over names (the `uitzondering:` dialect): operands
/// are bare or double-quoted names; each becomes an [`Expr::HasLabel`].
///
/// ```
/// use kader_classify::expr::parse_names;
/// let e = parse_names(r#"("a-b" || c.d) && !e"#).unwrap();
/// assert!(e.eval(&["c.d"]));
/// assert!(!e.eval(&["c.d", "e"]));
/// assert_eq!(parse_names("a &&").unwrap_err().offset, 4);
/// ```
pub fn parse_names(source: &str) -> Result<Expr, ParseError> {
    parse_dialect(source, true)
}

/// Every operand (label or name) of a source with its byte offset, in
/// order, as far as the source can be read; for reporting unknown names.
pub fn operands(source: &str, names: bool) -> Vec<(String, usize)> {
    let mut p = Parser {
        src: source,
        pos: 0,
        peeked: None,
        names,
    };
    let mut out = Vec::new();
    while let Ok((tok, offset)) = p.lex() {
        match tok {
            Tok::End => break,
            Tok::Str(s) => out.push((s, offset)),
            Tok::Ident(w) if names && !matches!(w.as_str(), "true" | "false" | "not") => {
                out.push((w, offset))
            }
            _ => {}
        }
    }
    out
}

fn parse_dialect(source: &str, names: bool) -> Result<Expr, ParseError> {
    let mut p = Parser {
        src: source,
        pos: 0,
        peeked: None,
        names,
    };
    let e = p.parse_or(0)?;
    let (tok, offset) = p.next_token()?;
    if tok != Tok::End {
        return Err(ParseError {
            offset,
            message: format!(
                "expected `&&`, `||` or end of expression, found {}",
                tok.describe()
            ),
        });
    }
    Ok(e)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Str(String),
    Ident(String),
    AndAnd,
    OrOr,
    Bang,
    LParen,
    RParen,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Str(s) => format!("string \"{}\"", shorten(s)),
            Tok::Ident(s) => format!("identifier `{}`", shorten(s)),
            Tok::AndAnd => "`&&`".into(),
            Tok::OrOr => "`||`".into(),
            Tok::Bang => "`!`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::End => "end of expression".into(),
        }
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    peeked: Option<(Tok, usize)>,
    /// The names dialect: bare names and strings are operands on their own.
    names: bool,
}

const EXPECTED_NAME: &str =
    "a name (`taxonomy-term` or `\"taxonomy-term\"`), `true`, `false`, `!` or `(`";

const EXPECTED_OPERAND: &str =
    "a condition (`\"label\" in labels`, `true`, `false`, `!`, `not` or `(`)";

impl<'a> Parser<'a> {
    fn lex(&mut self) -> Result<(Tok, usize), ParseError> {
        let src: &'a str = self.src;
        let trimmed = src.get(self.pos..).unwrap_or("").trim_start();
        self.pos = self.src.len() - trimmed.len();
        let start = self.pos;
        let mut chars = trimmed.chars();
        let Some(c) = chars.next() else {
            return Ok((Tok::End, start));
        };
        let single = |p: &mut Self, tok: Tok, len: usize| {
            p.pos += len;
            Ok((tok, start))
        };
        match c {
            '(' => single(self, Tok::LParen, 1),
            ')' => single(self, Tok::RParen, 1),
            '!' => single(self, Tok::Bang, 1),
            '&' => {
                if chars.next() == Some('&') {
                    single(self, Tok::AndAnd, 2)
                } else {
                    Err(ParseError {
                        offset: start,
                        message: "unexpected character `&` (did you mean `&&`?)".into(),
                    })
                }
            }
            '|' => {
                if chars.next() == Some('|') {
                    single(self, Tok::OrOr, 2)
                } else {
                    Err(ParseError {
                        offset: start,
                        message: "unexpected character `|` (did you mean `||`?)".into(),
                    })
                }
            }
            '"' => {
                let mut value = String::new();
                let mut len = 1;
                let mut escaped = false;
                for ch in chars {
                    len += ch.len_utf8();
                    if escaped {
                        value.push(ch);
                        escaped = false;
                    } else if ch == '\\' {
                        escaped = true;
                    } else if ch == '"' {
                        self.pos += len;
                        return Ok((Tok::Str(value), start));
                    } else {
                        value.push(ch);
                    }
                }
                Err(ParseError {
                    offset: start,
                    message: "unterminated string literal: expected a closing `\"`".into(),
                })
            }
            '\'' => Err(ParseError {
                offset: start,
                message: "unexpected character `'`: labels are written in double quotes, e.g. \"aanbieder\" in labels".into(),
            }),
            c if c.is_alphabetic() || c == '_' => {
                let ident: String = trimmed
                    .chars()
                    .take_while(|ch| {
                        ch.is_alphanumeric() || *ch == '_' || *ch == '-' || (self.names && *ch == '.')
                    })
                    .collect();
                self.pos += ident.len();
                Ok((Tok::Ident(ident), start))
            }
            other => Err(ParseError {
                offset: start,
                message: format!("unexpected character `{other}`"),
            }),
        }
    }

    fn next_token(&mut self) -> Result<(Tok, usize), ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn peek(&mut self) -> Result<&Tok, ParseError> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        match &self.peeked {
            Some((t, _)) => Ok(t),
            None => Ok(&Tok::End),
        }
    }

    fn too_deep(offset: usize) -> ParseError {
        ParseError {
            offset,
            message: format!("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
        }
    }

    fn parse_or(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let first = self.parse_and(depth)?;
        let mut items = vec![first];
        while *self.peek()? == Tok::OrOr {
            self.next_token()?;
            items.push(self.parse_and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Const(false))
        } else {
            Expr::Or(items)
        })
    }

    fn parse_and(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let first = self.parse_unary(depth)?;
        let mut items = vec![first];
        while *self.peek()? == Tok::AndAnd {
            self.next_token()?;
            items.push(self.parse_unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Const(false))
        } else {
            Expr::And(items)
        })
    }

    fn parse_unary(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let (tok, offset) = self.next_token()?;
        match tok {
            Tok::Bang => {
                if depth >= MAX_DEPTH {
                    return Err(Self::too_deep(offset));
                }
                Ok(Expr::Not(Box::new(self.parse_unary(depth + 1)?)))
            }
            Tok::Ident(ref w) if w == "not" => {
                if depth >= MAX_DEPTH {
                    return Err(Self::too_deep(offset));
                }
                Ok(Expr::Not(Box::new(self.parse_unary(depth + 1)?)))
            }
            other => self.parse_primary(other, offset, depth),
        }
    }

    fn parse_primary(&mut self, tok: Tok, offset: usize, depth: usize) -> Result<Expr, ParseError> {
        match tok {
            Tok::Str(name) if self.names => Ok(Expr::HasLabel(name)),
            Tok::Ident(ref w) if self.names && !matches!(w.as_str(), "true" | "false") => {
                Ok(Expr::HasLabel(w.clone()))
            }
            Tok::Str(label) => {
                let (t, o) = self.next_token()?;
                if t != Tok::Ident("in".into()) {
                    return Err(ParseError {
                        offset: o,
                        message: format!("expected `in`, found {}", t.describe()),
                    });
                }
                let (t, o) = self.next_token()?;
                if t != Tok::Ident("labels".into()) {
                    return Err(ParseError {
                        offset: o,
                        message: format!("expected `labels`, found {}", t.describe()),
                    });
                }
                Ok(Expr::HasLabel(label))
            }
            Tok::Ident(ref w) if w == "true" => Ok(Expr::Const(true)),
            Tok::Ident(ref w) if w == "false" => Ok(Expr::Const(false)),
            Tok::LParen => {
                if depth >= MAX_DEPTH {
                    return Err(Self::too_deep(offset));
                }
                let inner = self.parse_or(depth + 1)?;
                let (t, o) = self.next_token()?;
                if t != Tok::RParen {
                    return Err(ParseError {
                        offset: o,
                        message: format!("expected `)`, found {}", t.describe()),
                    });
                }
                Ok(inner)
            }
            other => Err(ParseError {
                offset,
                message: format!(
                    "expected {}, found {}",
                    if self.names {
                        EXPECTED_NAME
                    } else {
                        EXPECTED_OPERAND
                    },
                    other.describe()
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn has(l: &str) -> Expr {
        Expr::HasLabel(l.into())
    }

    fn perr(src: &str) -> ParseError {
        match parse(src) {
            Ok(e) => panic!("{src:?} should not parse, got {e:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn parses_basic_forms() {
        assert_eq!(parse("true"), Ok(Expr::Const(true)));
        assert_eq!(parse(" false "), Ok(Expr::Const(false)));
        assert_eq!(parse(r#""a" in labels"#), Ok(has("a")));
        assert_eq!(
            parse(r#"!"a" in labels"#),
            Ok(Expr::Not(Box::new(has("a"))))
        );
        assert_eq!(
            parse(r#"not "a" in labels"#),
            Ok(Expr::Not(Box::new(has("a"))))
        );
        assert_eq!(parse(r#"(("a" in labels))"#), Ok(has("a")));
        assert_eq!(
            parse(r#""with \"quote\" \\" in labels"#),
            Ok(has("with \"quote\" \\"))
        );
        assert_eq!(parse(r#""ünï" in labels"#), Ok(has("ünï")));
    }

    #[test]
    fn precedence_not_and_or() {
        // a || b && c  ==  a || (b && c)
        assert_eq!(
            parse(r#""a" in labels || "b" in labels && "c" in labels"#),
            Ok(Expr::Or(vec![
                has("a"),
                Expr::And(vec![has("b"), has("c")])
            ]))
        );
        // !a && b == (!a) && b
        assert_eq!(
            parse(r#"!"a" in labels && "b" in labels"#),
            Ok(Expr::And(vec![Expr::Not(Box::new(has("a"))), has("b")]))
        );
        // (a || b) && c
        assert_eq!(
            parse(r#"("a" in labels || "b" in labels) && "c" in labels"#),
            Ok(Expr::And(vec![
                Expr::Or(vec![has("a"), has("b")]),
                has("c")
            ]))
        );
        // chains are flat
        assert_eq!(
            parse("true && true && false"),
            Ok(Expr::And(vec![
                Expr::Const(true),
                Expr::Const(true),
                Expr::Const(false)
            ]))
        );
        // not binds tighter than &&
        let e = parse(r#"not "a" in labels && "b" in labels"#).unwrap();
        assert!(e.eval(&["b"]));
        assert!(!e.eval(&["a", "b"]));
        // semantics
        let e = parse(r#""a" in labels || "b" in labels && "c" in labels"#).unwrap();
        assert!(e.eval(&["a"]));
        assert!(!e.eval(&["b"]));
        assert!(e.eval(&["b", "c"]));
        let e = parse("!!true").unwrap();
        assert!(e.eval::<&str>(&[]));
    }

    #[test]
    fn example_from_the_format() {
        let e = parse(r#""aanbieder" in labels && !("open-source" in labels)"#).unwrap();
        assert!(e.eval(&["aanbieder"]));
        assert!(!e.eval(&["aanbieder", "open-source"]));
        assert!(!e.eval::<&str>(&[]));
        assert_eq!(e.labels(), ["aanbieder", "open-source"]);
    }

    #[test]
    fn errors_have_offsets_and_messages() {
        let e = perr("");
        assert_eq!(e.offset, 0);
        assert_eq!(
            e.message,
            "expected a condition (`\"label\" in labels`, `true`, `false`, `!`, `not` or `(`), found end of expression"
        );
        let e = perr(r#""a" in"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (6, "expected `labels`, found end of expression")
        );
        let e = perr(r#""a" labels"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (4, "expected `in`, found identifier `labels`")
        );
        let e = perr(r#""a" in labels &&"#);
        assert_eq!(e.offset, 16);
        assert!(e.message.ends_with("found end of expression"));
        let e = perr(r#""a" in labels & "b" in labels"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (14, "unexpected character `&` (did you mean `&&`?)")
        );
        let e = perr(r#""a" in labels | true"#);
        assert_eq!(e.message, "unexpected character `|` (did you mean `||`?)");
        let e = perr(r#"("a" in labels"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (14, "expected `)`, found end of expression")
        );
        let e = perr(r#""a" in labels)"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (13, "expected `&&`, `||` or end of expression, found `)`")
        );
        let e = perr(r#""unterminated in labels"#);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (0, "unterminated string literal: expected a closing `\"`")
        );
        let e = perr("aanbieder in labels");
        assert_eq!(e.offset, 0);
        assert!(e.message.ends_with("found identifier `aanbieder`"));
        let e = perr("'a' in labels");
        assert!(e.message.contains("double quotes"));
        let e = perr("true and false");
        assert_eq!(
            e.message,
            "expected `&&`, `||` or end of expression, found identifier `and`"
        );
        let e = perr("true @");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (5, "unexpected character `@`")
        );
        let e = perr("é @");
        assert!(e.message.ends_with("found identifier `é`"));
        // offsets are bytes, not chars
        let e = perr(r#""é" in labelz"#);
        assert_eq!(e.offset, 8);
        assert_eq!(
            e.to_string(),
            "expected `labels`, found identifier `labelz` (at byte 8)"
        );
    }

    #[test]
    fn the_names_dialect() {
        let e = parse_names(
            r#"("soort-toepassing-ai-systeem-voor-algemene-doeleinden" || "soort-toepassing-ai-systeem") && "open-source-open-source" && risicogroep-geen-hoog-risico-ai-systeem"#,
        )
        .unwrap();
        assert_eq!(
            e,
            Expr::And(vec![
                Expr::Or(vec![
                    has("soort-toepassing-ai-systeem-voor-algemene-doeleinden"),
                    has("soort-toepassing-ai-systeem")
                ]),
                has("open-source-open-source"),
                has("risicogroep-geen-hoog-risico-ai-systeem"),
            ])
        );
        assert_eq!(parse_names("true"), Ok(Expr::Const(true)));
        assert_eq!(parse_names("not a"), Ok(Expr::Not(Box::new(has("a")))));
        // A label condition is not a name expression, and the other way round.
        assert!(parse_names(r#""a" in labels"#).is_err());
        let err = parse(r#"a"#).unwrap_err();
        assert_eq!(err.offset, 0);
        let err = parse_names("a && )").unwrap_err();
        assert_eq!(err.offset, 5);
        assert!(
            err.message.starts_with("expected a name"),
            "{}",
            err.message
        );
        assert_eq!(
            operands(r#"x-y || "z w" && !true"#, true),
            vec![("x-y".to_string(), 0), ("z w".to_string(), 7)]
        );
        assert_eq!(
            operands(r#""a" in labels && !("b" in labels)"#, false),
            vec![("a".to_string(), 0), ("b".to_string(), 19)]
        );
    }

    #[test]
    fn nesting_limit() {
        let ok = format!("{}true{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!(
            "{}true{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        let e = perr(&deep);
        assert_eq!(e.offset, MAX_DEPTH);
        assert_eq!(
            e.message,
            "expression is nested too deeply (more than 64 levels)"
        );
        let bangs = format!("{}true", "!".repeat(100_000));
        assert!(perr(&bangs).message.contains("nested too deeply"));
        let nots = format!("{}true", "not ".repeat(1000));
        assert!(perr(&nots).message.contains("nested too deeply"));
        let parens = "(".repeat(1_000_000);
        assert!(perr(&parens).message.contains("nested too deeply"));
        // Long flat chains are fine.
        let chain = vec!["true"; 10_000].join(" && ");
        assert!(parse(&chain).unwrap().eval::<&str>(&[]));
    }

    #[test]
    fn display_round_trips() {
        for src in [
            r#""a" in labels && !("b" in labels || "c" in labels)"#,
            r#"("a" in labels || "b" in labels) && "c" in labels"#,
            r#"!!true || false"#,
            r#""q\"uote" in labels"#,
        ] {
            let e = parse(src).unwrap();
            assert_eq!(parse(&e.to_string()), Ok(e.clone()), "{src} -> {e}");
        }
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            any::<bool>().prop_map(Expr::Const),
            "[a-z\"\\\\-]{1,6}".prop_map(Expr::HasLabel),
        ];
        leaf.prop_recursive(6, 40, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
                prop::collection::vec(inner, 2..4).prop_map(Expr::Or),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_strings(s in "\\PC{0,60}") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_token_soup(parts in prop::collection::vec(
            prop_oneof![
                Just("\""), Just("\"a\""), Just("in"), Just("labels"), Just("&&"), Just("||"),
                Just("!"), Just("not"), Just("("), Just(")"), Just("true"), Just("false"),
                Just("&"), Just("|"), Just(" "), Just("é"), Just("\\"),
            ], 0..40)) {
            let src: String = parts.concat();
            if let Err(e) = parse(&src) {
                prop_assert!(e.offset <= src.len());
                prop_assert!(src.is_char_boundary(e.offset));
            }
        }

        #[test]
        fn display_parse_round_trip(e in arb_expr()) {
            let printed = e.to_string();
            let reparsed = parse(&printed);
            prop_assert!(reparsed.is_ok(), "{}: {:?}", printed, reparsed);
            let reparsed = reparsed.unwrap();
            // Same truth table on the labels used.
            let labels: Vec<String> = e.labels().into_iter().map(String::from).collect();
            let n = labels.len().min(8);
            for mask in 0u32..(1 << n) {
                let set: Vec<&str> = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| labels[i].as_str()).collect();
                prop_assert_eq!(e.eval(&set), reparsed.eval(&set));
            }
        }
    }
}
