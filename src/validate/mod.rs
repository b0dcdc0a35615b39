//! Stage 5, validate: checks the rendered output itself. Every root-relative
//! `href` and `src` in every HTML file must name a file of the output, and
//! every `#fragment` an id in that file. This catches links that templates
//! generate, which no source position covers.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::escape::decode_percent;
use crate::render::RenderedSite;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The rendered site after its output was checked.
#[derive(Debug)]
pub struct ValidatedSite {
    pub rendered: RenderedSite,
}

pub fn validate(rendered: RenderedSite, diags: &mut Diagnostics) -> ValidatedSite {
    let base = rendered.index.site.config.base_path.clone();
    let mut files: HashSet<&str> = rendered.files.iter().map(|f| f.path.as_str()).collect();
    for c in &rendered.copies {
        files.insert(c.dest());
    }
    let ids: HashMap<&str, HashSet<String>> = rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.as_str(),
                attribute_values(&f.bytes, b" id=\"")
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect(),
            )
        })
        .collect();
    let found: Vec<Diagnostic> = rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map_iter(|f| {
            let mut out = Vec::new();
            let mut refs = attribute_values(&f.bytes, b" href=\"");
            refs.extend(attribute_values(&f.bytes, b" src=\""));
            for (_, url) in refs {
                let url = url.replace("&amp;", "&");
                if let Some(problem) = check(&url, &f.path, &base, &files, &ids) {
                    out.push(
                        Diagnostic::file(
                            Code::BrokenGeneratedLink,
                            format!("(output) {}", f.path),
                            problem,
                        )
                        .with_hint("a template or the site configuration generates this link"),
                    );
                }
            }
            out
        })
        .collect();
    for d in found {
        diags.push(d);
    }
    ValidatedSite { rendered }
}

fn check(
    url: &str,
    from: &str,
    base: &str,
    files: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let target_file = if path.is_empty() {
        from.to_string()
    } else {
        let rel = path.strip_prefix(base)?;
        let rel = decode_percent(rel);
        if rel.ends_with(".md") {
            return None;
        }
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel
        }
    };
    if !files.contains(target_file.as_str()) {
        return Some(format!(
            "link `{url}` points to `{target_file}`, which is not in the output"
        ));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let fragment = decode_percent(fragment);
    let target_ids = ids.get(target_file.as_str())?;
    (!target_ids.contains(&fragment)).then(|| {
        format!("link `{url}` points to `#{fragment}`, which `{target_file}` does not contain")
    })
}

/// All values of attributes introduced by `needle` (e.g. ` href="`).
fn attribute_values(html: &[u8], needle: &[u8]) -> Vec<(usize, String)> {
    let finder = memchr::memmem::Finder::new(needle);
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = finder.find(&html[pos..]) {
        let start = pos + i + needle.len();
        let Some(len) = html[start..].iter().position(|&b| b == b'"') else {
            break;
        };
        // Links already reported as broken (rendered with class
        // `broken-link` right after the href) are not reported again.
        let after = &html[start + len..(start + len + 80).min(html.len())];
        let tag_end = after.iter().position(|&b| b == b'>').unwrap_or(after.len());
        if memchr::memmem::find(&after[..tag_end], b"broken-link").is_none() {
            out.push((
                start,
                String::from_utf8_lossy(&html[start..start + len]).into_owned(),
            ));
        }
        pos = start + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attribute_values() {
        let v = attribute_values(
            b"<a href=\"/a/\">x</a><img src=\"/b.png\"><a href=\"#c\">",
            b" href=\"",
        );
        assert_eq!(
            v.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(),
            ["/a/", "#c"]
        );
    }

    #[test]
    fn checks_files_and_fragments() {
        let files: HashSet<&str> = ["index.html", "a/index.html"].into_iter().collect();
        let mut ids = HashMap::new();
        ids.insert(
            "a/index.html",
            ["x".to_string()].into_iter().collect::<HashSet<_>>(),
        );
        ids.insert("index.html", HashSet::new());
        assert_eq!(check("/a/#x", "index.html", "/", &files, &ids), None);
        assert!(check("/a/#y", "index.html", "/", &files, &ids).is_some());
        assert!(check("/b/", "index.html", "/", &files, &ids).is_some());
        assert_eq!(
            check("https://x.nl/", "index.html", "/", &files, &ids),
            None
        );
        assert!(check("#nope", "index.html", "/", &files, &ids).is_some());
    }
}
