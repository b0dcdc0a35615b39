//! kader's integration tests, in one test binary: one module per area, all
//! going through the fixture harness in `harness.rs`. See README.md.

mod harness;

mod bundled;
mod checks;
mod ci;
mod cli;
mod corpus;
mod decision_aid;
mod dialect;
mod export;
mod hostile;
mod i18n;
mod incremental;
mod lsp;
mod search_relevance;
mod seeds;
mod serve;
mod trees;
mod visitor;
