//! Compiling the theme's templates once per build.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::theme::Theme;
use std::error::Error as _;

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
    pub fn compile(theme: &Theme, diags: &mut Diagnostics) -> Option<Templates> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::parse::escape::escape_html);
        let sources: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        match tera.add_raw_templates(sources) {
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
