//! Checks a decision tree and prints its walks as JSON, for tests and for
//! looking at a tree from the command line:
//!
//! ```text
//! cargo run -p kader-classify --example walks -- TREE.yaml [categories.yaml [definitions.yaml]]
//! ```
//!
//! Output: `{"summary": …, "problems": […], "walks": […], "complete": bool,
//! "bundle": {tree, categories, definitions}}`, the bundle as the browser
//! module reads it.

use kader_classify::companion::{parse_categories, parse_definitions, Categories, Definitions};
use kader_classify::fields::{unsupported_tree_fields, Doc};
use kader_classify::validate::{check, walks, Limits};
use kader_classify::{DecisionTree, Engine};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Serialize)]
struct Bundle {
    tree: DecisionTree,
    categories: Categories,
    definitions: Definitions,
}

#[derive(Serialize)]
struct Output {
    summary: kader_classify::Summary,
    problems: Vec<kader_classify::Problem>,
    walks: Vec<kader_classify::validate::Walk>,
    complete: bool,
    bundle: Bundle,
}

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |i: usize| -> Result<Option<String>, String> {
        args.get(i)
            .map(|p| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}")))
            .transpose()
    };
    let text = read(0)?.ok_or("usage: walks TREE.yaml [categories.yaml [definitions.yaml]]")?;
    let tree: DecisionTree = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let doc: Doc = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let categories = match read(1)? {
        Some(t) => parse_categories(&t).map_err(|e| e.to_string())?,
        None => Categories::default(),
    };
    let definitions = match read(2)? {
        Some(t) => parse_definitions(&t).map_err(|e| e.to_string())?,
        None => Definitions::default(),
    };
    let bundle = Bundle {
        tree: tree.clone(),
        categories: categories.clone(),
        definitions: definitions.clone(),
    };
    let engine = Engine::new(tree, &categories, definitions);
    let limits = Limits::default();
    let mut report = check(&engine, &limits);
    report.problems.extend(unsupported_tree_fields(&doc));
    let w = walks(&engine, &limits);
    serde_json::to_string_pretty(&Output {
        summary: report.summary,
        problems: report.problems,
        walks: w.walks,
        complete: w.complete,
        bundle,
    })
    .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
