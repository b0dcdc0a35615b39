//! # kader-classify
//!
//! Pure-Rust rules and decision trees for classifying general-purpose AI
//! (GPAI) models under the EU AI Act (Regulation (EU) 2024/1689, articles
//! 51–55). No I/O, no threads, no clock; every function returns errors
//! instead of panicking, so the crate runs natively (the `kader` CLI
//! validates decision trees at build time) and as WebAssembly (a browser
//! widget walks them).
//!
//! * [`rules`]: [`classify`] a model from [`ModelFacts`]
//!   into a [`Classification`] with an explanation
//!   trace citing articles, obligations and labels; deadlines of art. 52.
//! * [`compute`]: parse training compute as typed (`1,2 × 10^24`), estimate it
//!   (`6·N·D`, or from accelerators) and format numbers per language.
//! * [`date`]: civil-date arithmetic for the deadlines.
//! * [`expr`]: the `if` expressions of redirects.
//! * [`tree`]: the YAML decision-tree format and a [`Session`] to walk it.
//! * [`validate`](mod@validate): static checks for decision trees, with paths into the document.
//! * [`sanitize`]: allow-list HTML sanitizer for texts in trees.
//! * [`text`]: [`Lang`] and bilingual [`Text`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod compute;
pub mod date;
pub mod expr;
pub mod rules;
pub mod sanitize;
pub mod text;
pub mod tree;
pub mod validate;

pub use compute::{parse_compute, ComputeError, ComputeInput, Estimate};
pub use date::Date;
pub use rules::{classify, Assessment, Classification, ModelFacts};
pub use sanitize::sanitize_html;
pub use text::{Lang, Text};
pub use tree::{DecisionTree, Session};
pub use validate::{validate, Problem, ProblemKind};
