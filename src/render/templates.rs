//! Compiling the theme's templates once per build.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use indexmap::IndexMap;
use std::sync::Arc;

/// The compiled templates, with their sources for reporting errors.
pub struct Templates {
    tera: tera::Tera,
    sources: IndexMap<String, String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// The theme's templates that are compiled (HTML and XML), in its order.
fn compiled_sources(templates: &IndexMap<String, String>) -> IndexMap<String, String> {
    templates
        .iter()
        .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
        .map(|(n, t)| (n.clone(), t.clone()))
        .collect()
}

/// Parses and links the templates: inheritance, includes and macros.
fn engine(sources: &IndexMap<String, String>) -> tera::TeraResult<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(crate::parse::escape::write_escaped);
    tera.register_filter("striptags", |s: &str, _: tera::Kwargs, _: &tera::State| {
        crate::parse::escape::strip_tags(s)
    });
    tera.add_raw_templates(sources)?;
    Ok(tera)
}

/// A tera error on one line, with the line and column it names.
pub fn describe(e: &tera::Error) -> String {
    let text = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => format!(
            "line {}, column {}: {}",
            r.span().start_line,
            r.span().start_col + 1,
            r.message()
        ),
        _ => e.to_string(),
    };
    text.replace('\n', " ")
}

/// A tera error as a diagnostic: at the template's line and column when
/// tera knows them, else against the templates folder.
fn diagnostic(e: &tera::Error, sources: &IndexMap<String, String>) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let located = report.and_then(|r| {
        let text = sources.get(r.filename())?;
        let source = SourceText::new(format!("templates/{}", r.filename()), text.as_str());
        let span = &r.span().range;
        let end = span.end.min(text.len());
        Some(Diagnostic::at(
            Code::Template,
            &source,
            span.start.min(end),
            end,
            r.message(),
        ))
    });
    located.unwrap_or_else(|| Diagnostic::file(Code::Template, "templates", describe(e)))
}

impl Templates {
    /// Compiles a theme's templates (name → source).
    pub fn compile(
        templates: &IndexMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Option<Templates> {
        let sources = compiled_sources(templates);
        match engine(&sources) {
            Ok(tera) => Some(Templates { tera, sources }),
            Err(e) => {
                diags.push(
                    diagnostic(&e, &sources)
                        .with_hint("fix the template syntax; see the tera documentation"),
                );
                None
            }
        }
    }

    /// Renders a template, reporting failures against the template.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        self.render_sized(name, ctx, 0, diags)
    }

    /// As [`Templates::render`], for output of at least `size` bytes: the
    /// buffer is allocated once rather than grown (and copied) step by step,
    /// which matters for pages listing thousands of rows.
    pub fn render_sized(
        &self,
        name: &str,
        ctx: &tera::Context,
        size: usize,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let mut out: Vec<u8> = Vec::with_capacity(size.max(2048));
        match self.tera.render_to(name, ctx, &mut out) {
            Ok(()) => Some(
                String::from_utf8(out)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
            Err(e) => {
                let d = diagnostic(&e, &self.sources);
                let undefined =
                    d.message.contains("not defined") || d.message.contains("undefined");
                diags.push(d.with_hint_opt(undefined.then(|| {
                    "a value that may be missing is tested with `?.` (`{% if page.fields?.toelichting %}`) \
                     and printed with a default (`{{ page.fields?.toelichting | default(value=\"\") }}`)"
                        .to_string()
                })));
                None
            }
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// Templates being compiled on a thread of their own while the content is
/// read, parsed and indexed. The thread runs at a lower priority, so it
/// takes a core the content's stages leave idle.
pub struct Compiling {
    sources: IndexMap<String, String>,
    thread: std::thread::JoinHandle<Option<Templates>>,
}

impl std::fmt::Debug for Compiling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compiling")
    }
}

impl Compiling {
    /// Starts compiling `sources`; `None` when no thread can be started
    /// (the templates are then compiled when they are needed).
    pub fn start(sources: IndexMap<String, String>) -> Option<Compiling> {
        let compiled = compiled_sources(&sources);
        let thread = std::thread::Builder::new()
            .name("kader-templates".into())
            .spawn(move || {
                #[cfg(target_os = "linux")]
                let _ = rustix::process::setpriority_process(None, 10);
                let tera = engine(&compiled).ok()?;
                Some(Templates {
                    tera,
                    sources: compiled,
                })
            })
            .ok()?;
        Some(Compiling { sources, thread })
    }

    /// Whether these are the templates of `sources`.
    pub fn compiles(&self, sources: &IndexMap<String, String>) -> bool {
        self.sources == *sources
    }

    /// The compiled templates; `None` when they do not compile (compiling
    /// them again where they are needed reports why).
    pub fn finish(self) -> Option<Arc<Templates>> {
        self.thread.join().ok().flatten().map(Arc::new)
    }
}
