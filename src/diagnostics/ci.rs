//! Diagnostics for continuous integration: GitHub Actions workflow
//! commands (annotations on a pull request's diff) and SARIF 2.1.0 (code
//! scanning).
//!
//! Paths are the diagnostics' own (relative to the site root) behind
//! `prefix`, the site root relative to the repository root (`""` when the
//! site is the repository), so that they name files of the repository.
//! Diagnostics about generated output (`(output) …`) name no source file.

use super::{Code, Diagnostic, Severity};
use serde_json::{json, Value};
use std::fmt::Write;

/// The repository path of a diagnostic's file, if it is a source file.
fn repo_path(d: &Diagnostic, prefix: &str) -> Option<String> {
    if d.file.starts_with("(output)") || d.file.is_empty() {
        return None;
    }
    let prefix = prefix.trim_matches('/');
    Some(if prefix.is_empty() || prefix == "." {
        d.file.clone()
    } else {
        format!("{prefix}/{}", d.file)
    })
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per diagnostic:
/// `::error file=…,line=…,col=…,endColumn=…,title=K0201::message`, the
/// hint on a second line of the message.
pub fn render_github(diags: &[Diagnostic], prefix: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(file) = repo_path(d, prefix) {
            props.push(format!("file={}", escape_property(&file)));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                if d.column > 0 {
                    props.push(format!("col={}", d.column));
                    props.push(format!("endColumn={}", d.column + d.width.max(1)));
                }
            }
        }
        props.push(format!("title={}", escape_property(d.code)));
        let mut message = d.message.clone();
        if d.file.starts_with("(output)") {
            message = format!("{}: {message}", d.file);
        }
        if let Some(h) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out
}

/// The SARIF level of a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A SARIF 2.1.0 log with one run: kader as the tool, a rule per code that
/// occurs (its kind and description), a result per diagnostic with its
/// region, related locations and fix.
pub fn render_sarif(diags: &[Diagnostic], prefix: &str) -> String {
    let mut rules: Vec<&'static str> = diags.iter().map(|d| d.code).collect();
    rules.sort_unstable();
    rules.dedup();
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|id| {
            let code = Code::from_id(id);
            json!({
                "id": id,
                "name": code.map(|c| c.kind()).unwrap_or(id),
                "shortDescription": { "text": code.map(|c| c.description()).unwrap_or(id) },
                "defaultConfiguration": {
                    "level": level(code.map(|c| c.default_severity()).unwrap_or(Severity::Error))
                },
            })
        })
        .collect();
    let location = |file: &str, line: usize, column: usize, width: Option<usize>| {
        let mut physical = json!({
            "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
        });
        if line > 0 {
            let mut region = json!({ "startLine": line });
            if column > 0 {
                region["startColumn"] = json!(column);
                if let Some(w) = width {
                    region["endColumn"] = json!(column + w.max(1));
                }
            }
            physical["region"] = region;
        }
        json!({ "physicalLocation": physical })
    };
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if d.file.starts_with("(output)") {
                text = format!("{}: {text}", d.file);
            }
            if let Some(h) = &d.hint {
                text.push_str("\nhint: ");
                text.push_str(h);
            }
            let mut r = json!({
                "ruleId": d.code,
                "ruleIndex": rules.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(file) = repo_path(d, prefix) {
                r["locations"] = json!([location(&file, d.line, d.column, Some(d.width))]);
                if let Some(fix) = &d.fix {
                    r["fixes"] = json!([{
                        "description": { "text": fix.title },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
                            "replacements": [{
                                "deletedRegion": {
                                    "byteOffset": fix.start,
                                    "byteLength": fix.end - fix.start,
                                },
                                "insertedContent": { "text": fix.replacement },
                            }],
                        }],
                    }]);
                }
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, rel)| {
                    let file = repo_path(
                        &Diagnostic::file(Code::Config, rel.file.clone(), ""),
                        prefix,
                    )
                    .unwrap_or_else(|| rel.file.clone());
                    let mut l = location(&file, rel.line, rel.column, None);
                    l["id"] = json!(i);
                    l["message"] = json!({ "text": rel.message });
                    l
                })
                .collect();
            if !related.is_empty() {
                r["relatedLocations"] = json!(related);
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kader",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rule_values,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    #[test]
    fn workflow_commands_escape_their_parts() {
        let src = SourceText::new("content/a,b.md", "x: 100%\n");
        let d = Diagnostic::at(Code::UnknownTerm, &src, 3, 7, "bad: 100%\nsecond")
            .with_hint("did you mean `y`?");
        let out = render_github(&[d], "site");
        assert_eq!(
            out,
            "::error file=site/content/a%2Cb.md,line=1,col=4,endColumn=8,title=K0202::bad: 100%25%0Asecond%0Ahint: did you mean `y`?\n"
        );
    }
}
