//! `kader new`: writes a new requirement or measure page with valid front
//! matter and the standard sections, from `templates/new/<kind>.md`.

use crate::config::{FieldKind, SiteConfig};
use crate::diagnostics::SourceText;
use crate::parse::slug::slugify;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vereiste,
    Maatregel,
}

impl Kind {
    fn collection(self) -> &'static str {
        match self {
            Kind::Vereiste => "vereisten",
            Kind::Maatregel => "maatregelen",
        }
    }
    fn template(self) -> &'static str {
        match self {
            Kind::Vereiste => "new/vereiste.md",
            Kind::Maatregel => "new/maatregel.md",
        }
    }
}

#[derive(Serialize)]
struct Field {
    name: String,
    /// Scalar value, or list items.
    value: Option<String>,
    items: Vec<String>,
    /// The allowed values, shown as a comment.
    options: Option<String>,
}

/// A file name for a title: `Logboeken worden bewaard` → `logboeken-worden-bewaard`.
pub fn slug_for_title(title: &str) -> String {
    let s = slugify(title).replace('_', "-");
    let mut out = String::new();
    for part in s.split('-').filter(|p| !p.is_empty()) {
        if out.len() + part.len() + 1 > 60 && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

/// Creates the page and returns its path.
pub fn create(root: &Path, kind: Kind, title: &str) -> Result<PathBuf, String> {
    let title = title.trim();
    if title.is_empty() {
        return Err("the title is empty".into());
    }
    let text = std::fs::read_to_string(root.join("site.toml"))
        .map_err(|e| format!("cannot read site.toml in {}: {e}", root.display()))?;
    let config = SiteConfig::parse(&SourceText::new("site.toml", text))
        .map_err(|_| "site.toml has errors; run `kader check` first".to_string())?;
    let coll_name = kind.collection();
    let coll = config
        .collections
        .get(coll_name)
        .ok_or_else(|| format!("site.toml has no collection `{coll_name}`"))?;
    let slug = slug_for_title(title);
    if slug.is_empty() {
        return Err("the title has no letters or digits to make a file name from".into());
    }
    let dir = root.join(&config.content_dir).join(&coll.dir);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }

    let mut fields = Vec::new();
    for (name, spec) in &coll.fields {
        if name == "title" || !spec.required {
            continue;
        }
        let field = match spec.kind {
            FieldKind::Terms => {
                let tax = &config.taxonomies[name];
                Field {
                    name: name.clone(),
                    value: None,
                    items: tax
                        .terms
                        .first()
                        .map(|t| t.slug.clone())
                        .into_iter()
                        .collect(),
                    options: Some(
                        tax.terms
                            .iter()
                            .map(|t| t.slug.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                }
            }
            FieldKind::Refs => {
                let target = spec.collection.as_deref().unwrap_or_default();
                let first = config
                    .collections
                    .get(target)
                    .and_then(|c| first_page(&root.join(&config.content_dir).join(&c.dir)));
                Field {
                    name: name.clone(),
                    value: None,
                    items: first.into_iter().collect(),
                    options: Some(format!("file names (without .md) of pages in {target}/")),
                }
            }
            FieldKind::Bool => Field {
                name: name.clone(),
                value: Some("false".into()),
                items: Vec::new(),
                options: None,
            },
            _ => Field {
                name: name.clone(),
                value: Some(format!("\"{}\"", title.replace('"', "'"))),
                items: Vec::new(),
                options: None,
            },
        };
        fields.push(field);
    }

    let template = crate::theme::BUILTIN_TEMPLATES
        .iter()
        .find(|(n, _)| *n == kind.template())
        .map(|(_, t)| t.to_string());
    let template = match std::fs::read_to_string(root.join("templates").join(kind.template())) {
        Ok(t) => t,
        Err(_) => template.ok_or("no page template")?,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title.replace('"', "'"));
    ctx.insert("slug", &slug);
    ctx.insert("fields", &fields);
    let text = tera::Tera::one_off(&template, &ctx, false)
        .map_err(|e| crate::render::describe_template_error(&e))?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn first_page(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "index.md" && n.matches('.').count() == 1)
        .collect();
    names.sort();
    names.first().map(|n| n.trim_end_matches(".md").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(
            slug_for_title("Logboeken worden bewaard"),
            "logboeken-worden-bewaard"
        );
        assert_eq!(
            slug_for_title("Één AI-systeem: wat nu?"),
            "een-ai-systeem-wat-nu"
        );
        assert!(slug_for_title(&"woord ".repeat(40)).len() <= 60);
    }
}
