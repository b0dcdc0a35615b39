//! Stage 5, validate: checks the rendered output itself. Every root-relative
//! `href` and `src` in every HTML file must name a file of the output, and
//! every `#fragment` an id in that file. This catches links that templates
//! generate, which no source position covers.
//!
//! The check works on [`Scan`]s, which render takes of each HTML file as it
//! is produced; each distinct target is checked once for the whole site.

mod scan;

pub use scan::{scan, Links, Scan};

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

/// Checks every HTML file of the output.
pub fn validate(rendered: RenderedSite, diags: &mut Diagnostics) -> ValidatedSite {
    let base = rendered.index.site.config.base_path.as_str();
    let scans = &rendered.scans;
    let mut files: HashSet<&str> = rendered.files.iter().map(|f| f.path.as_str()).collect();
    files.extend(rendered.copies.iter().map(|c| c.dest()));
    files.extend(scans.keys().map(String::as_str));
    files.extend(rendered.streamed.other.iter().map(String::as_str));
    let verdicts: Vec<Option<String>> = rendered.links.with_urls(|urls| {
        urls.par_iter()
            .map(|url| check(url, base, &files, scans))
            .collect()
    });
    let mut problems: Vec<(&str, &str)> = scans
        .par_iter()
        .flat_map_iter(|(path, scan)| {
            let own = scan.own.iter().map(String::as_str);
            let linked = scan
                .refs
                .iter()
                .filter_map(|&r| verdicts.get(r as usize)?.as_deref());
            own.chain(linked).map(move |p| (p, path.as_str()))
        })
        .collect();
    problems.sort_unstable();
    // One diagnostic per distinct problem, naming the first file and the count.
    for group in problems.chunk_by(|a, b| a.0 == b.0) {
        let (problem, first) = group[0];
        let more = match group.len() {
            1 => String::new(),
            n => format!(" (and {} more pages)", n - 1),
        };
        diags.push(
            Diagnostic::file(
                Code::BrokenGeneratedLink,
                format!("(output) {first}"),
                format!("{problem}{more}"),
            )
            .with_hint("a template or the site configuration generates this link"),
        );
    }
    ValidatedSite { rendered }
}

/// The problem with a link to `url` (under `base`), if any.
fn check(
    url: &str,
    base: &str,
    files: &HashSet<&str>,
    scans: &HashMap<String, Scan>,
) -> Option<String> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let rel = decode_percent(path.strip_prefix(base)?);
    if rel.ends_with(".md") {
        return None;
    }
    let target_file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    };
    if !files.contains(target_file.as_str()) {
        return Some(format!(
            "link `{url}` points to `{target_file}`, which is not in the output"
        ));
    }
    let fragment = decode_percent(fragment.filter(|f| !f.is_empty())?);
    let target = scans.get(&target_file)?;
    (!target.has_id(&fragment)).then(|| {
        format!("link `{url}` points to `#{fragment}`, which `{target_file}` does not contain")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_files_and_fragments() {
        let links = Links::default();
        let scans: HashMap<String, Scan> = [
            ("a/index.html", &b"<h2 id=\"x\">X</h2>"[..]),
            ("index.html", &b"<p>home</p>"[..]),
        ]
        .into_iter()
        .map(|(p, html)| (p.to_string(), scan(p, html, "/", &links)))
        .collect();
        let files: HashSet<&str> = scans.keys().map(String::as_str).collect();
        assert_eq!(check("/a/#x", "/", &files, &scans), None);
        assert!(check("/a/#y", "/", &files, &scans).is_some());
        assert!(check("/b/", "/", &files, &scans).is_some());
        assert_eq!(check("https://x.nl/", "/", &files, &scans), None);
        assert_eq!(check("/kb/a/", "/kb/", &files, &scans), None);
    }
}
