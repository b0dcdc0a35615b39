//! Compiling the theme's templates once per build.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

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

/// One template parsed; its error names it.
fn parse(name: &str, text: &str) -> tera::Result<tera::Template> {
    tera::Template::new(name, None, text)
        .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
}

/// The parsed templates (in the theme's order) linked: inheritance and
/// macros, as adding them all at once to tera does. The first template
/// that did not parse, or a broken link, is reported.
fn link(parsed: Vec<tera::Result<tera::Template>>, diags: &mut Diagnostics) -> Option<Templates> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::parse::escape::escape_html);
    let linked = parsed
        .into_iter()
        .collect::<tera::Result<Vec<_>>>()
        .and_then(|parsed| {
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

impl Templates {
    /// Compiles a theme's templates (name → source).
    pub fn compile(
        templates: &IndexMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Option<Templates> {
        // Parsing is nearly all the work, and each template parses on its
        // own: by as many helpers as the pool has threads.
        let work = Work::new(templates);
        (0..rayon::current_num_threads())
            .into_par_iter()
            .for_each(|_| work.help());
        link(work.into_parsed()?, diags)
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
/// read, parsed and indexed. The thread runs at a lower priority, so it
/// takes the cores the content's stages leave idle (while one thread
/// walks the folders, or indexes); what is left when render needs the
/// templates, the thread and render's own thread parse together.
pub struct Compiling {
    sources: IndexMap<String, String>,
    work: Arc<Work>,
    thread: std::thread::JoinHandle<()>,
}

/// The templates to parse, taken one at a time by whoever helps.
struct Work {
    list: Vec<(String, String)>,
    next: AtomicUsize,
    parsed: Vec<OnceLock<tera::Result<tera::Template>>>,
}

impl Work {
    /// The theme's templates that are compiled (HTML and XML), none taken.
    fn new(templates: &IndexMap<String, String>) -> Work {
        let list: Vec<(String, String)> = templates
            .iter()
            .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect();
        Work {
            parsed: list.iter().map(|_| OnceLock::new()).collect(),
            list,
            next: AtomicUsize::new(0),
        }
    }

    /// Every template parsed, in the theme's order (`None` while one is
    /// not yet).
    fn into_parsed(self) -> Option<Vec<tera::Result<tera::Template>>> {
        self.parsed.into_iter().map(OnceLock::into_inner).collect()
    }

    /// Parses templates until none is left to take.
    fn help(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((name, text)) = self.list.get(i) else {
                return;
            };
            let _ = self.parsed[i].set(parse(name, text));
        }
    }
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
        let work = Arc::new(Work::new(&sources));
        let shared = Arc::clone(&work);
        let thread = std::thread::Builder::new()
            .name("kader-templates".into())
            .spawn(move || {
                #[cfg(target_os = "linux")]
                let _ = rustix::process::setpriority_process(None, 10);
                shared.help();
            })
            .ok()?;
        Some(Compiling {
            sources,
            work,
            thread,
        })
    }

    /// Whether these are the templates of `sources`.
    pub fn compiles(&self, sources: &IndexMap<String, String>) -> bool {
        self.sources == *sources
    }

    /// The compiled templates, parsing what is left alongside the thread;
    /// `None` when they do not compile (compiling them again where they
    /// are needed reports why).
    pub fn finish(self) -> Option<Arc<Templates>> {
        self.work.help();
        self.thread.join().ok()?;
        let parsed = Arc::into_inner(self.work)?.into_parsed()?;
        link(parsed, &mut Diagnostics::new()).map(Arc::new)
    }
}
