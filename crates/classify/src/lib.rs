//! # kader-classify
//!
//! Decision trees in the format of the Dutch government's AI Act decision
//! aid ("beslishulp AI-verordening"), run unchanged and checked, plus what
//! kader adds around them: numeric questions with a training-compute
//! estimator, label profiles and the applicability of requirements. No
//! I/O, no threads, no clock; every function returns errors instead of
//! panicking, so the crate runs natively (the `kader` CLI checks trees at
//! build time) and as WebAssembly (the browser widget walks them).
//!
//! * [`tree`]: the format ([`DecisionTree`]) and how an answer resolves.
//! * [`companion`]: `categories.yaml` and `definitions.yaml`, and finding
//!   defined terms in texts.
//! * [`engine`]: a tree prepared to run ([`Engine`]).
//! * [`session`]: a walk ([`Session`]): labels, groups, back, jump, restore.
//! * [`view`](mod@view): what a user interface shows of a session, as serializable data.
//! * [`validate`](mod@validate): the checks, the walks and their [`Summary`].
//! * [`fields`]: fields of a document that kader does not read.
//! * [`profile`]: label maps, profiles and applicability of pages.
//! * [`expr`]: conditions (`if`) and `uitzondering` expressions.
//! * [`compute`]: training compute: parsing, estimates, number formatting.
//! * [`sanitize`]: allow-list HTML sanitizer and the URL rule.
//! * [`text`]: [`Lang`] and bilingual [`Text`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod companion;
pub mod compute;
pub mod engine;
pub mod expr;
pub mod fields;
pub mod profile;
pub mod sanitize;
pub mod session;
pub mod text;
pub mod tree;
pub mod validate;
pub mod view;

pub use companion::{find_terms, Categories, Definitions};
pub use compute::{parse_compute, ComputeError, ComputeInput, Estimate};
pub use engine::Engine;
pub use profile::{applicable, profile, LabelMap, Profile};
pub use sanitize::{safe_url, sanitize_html};
pub use session::{Session, Step};
pub use text::{Lang, Text};
pub use tree::DecisionTree;
pub use validate::{check, validate, walks, Problem, ProblemKind, Report, Severity, Summary};
