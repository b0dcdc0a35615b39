//! Compiling the theme's templates once per build.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::error::Error as _;
use std::sync::Arc;

/// The compiled templates.
pub struct Templates {
    pub tera: tera::Tera,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// A tera error with its causes, on one line.
pub fn describe(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg.replace('\n', " ")
}

impl Templates {
    /// Compiles a theme's templates (name → source).
    pub fn compile(
        templates: &IndexMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Option<Templates> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::parse::escape::escape_html);
        let sources: Vec<(&str, &str)> = templates
            .iter()
            .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        // Parsing is nearly all the work, and each template parses on its
        // own: side by side. Adding none then links them (inheritance,
        // macros) as adding them all at once does; the first template that
        // does not parse is reported, as then.
        let parsed: Vec<Result<tera::Template, tera::Error>> = sources
            .par_iter()
            .map(|&(name, text)| {
                tera::Template::new(name, None, text)
                    .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
            })
            .collect();
        let parsed: Result<Vec<tera::Template>, tera::Error> = parsed.into_iter().collect();
        let linked = parsed.and_then(|parsed| {
            for t in parsed {
                tera.templates.insert(t.name.clone(), t);
            }
            tera.add_raw_templates(Vec::<(&str, &str)>::new())
        });
        match linked {
            Ok(()) => Some(Templates { tera }),
            Err(e) => {
                diags.push(
                    Diagnostic::file(Code::Template, "templates", describe(&e))
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
        let rendered = self.tera.render_to(name, ctx, &mut out).map(|()| {
            String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        });
        match rendered {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(Diagnostic::file(
                    Code::Template,
                    format!("templates/{name}"),
                    describe(&e),
                ));
                None
            }
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }
}

/// Templates being compiled on a thread of their own while the content is
/// read, parsed and indexed: compiling takes about as long as indexing,
/// which keeps one core busy and the other idle.
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
        let copy = sources.clone();
        let thread = std::thread::Builder::new()
            .name("kader-templates".into())
            .spawn(move || Templates::compile(&copy, &mut Diagnostics::new()))
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
        match self.thread.join() {
            Ok(templates) => templates.map(Arc::new),
            Err(_) => None,
        }
    }
}
