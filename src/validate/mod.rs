//! Stage 5, validate: checks the rendered output itself, then decides.
//!
//! Every root-relative `href` and `src` in every HTML file must name a file
//! of the output, and every `#fragment` an id in that file. This catches
//! links that templates generate, which no source position covers. The
//! check works on the [`Scan`]s that render takes of each HTML file as it is
//! produced; each distinct target is checked once for the whole site.
//!
//! Then site.toml's severities and `--strict` are applied to every
//! diagnostic of the build, and only a site without errors becomes a
//! [`ValidSite`], the one type emit writes and the preview server shows.

mod orphans;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SeverityOverrides};
use crate::parse::escape::decode_percent;
use crate::render::scan::Scan;
use crate::render::{ByPath, RenderedSite};
use kader_search::hash::FxBuildHasher;
use rayon::prelude::*;
use std::collections::HashSet;

/// A rendered site whose build had no errors (after the severity policy):
/// only such a site is written or served.
#[derive(Debug)]
pub struct ValidSite {
    rendered: RenderedSite,
}

impl ValidSite {
    pub fn rendered(&self) -> &RenderedSite {
        &self.rendered
    }

    pub fn into_rendered(self) -> RenderedSite {
        self.rendered
    }

    /// Builds the site-wide files again when they were taken from an
    /// earlier build (see [`crate::render::Reuse`]); they hold no links, so
    /// the site stays valid. Returns whether anything was done.
    pub fn complete_site_files(&mut self) -> bool {
        crate::render::complete_site_files(&mut self.rendered)
    }
}

/// Every diagnostic of a build, sorted, with the severity policy applied,
/// and the site when it may be written.
#[derive(Debug, Default)]
pub struct Verdict {
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub files_with_problems: usize,
    pub site: Option<ValidSite>,
}

impl Verdict {
    /// The verdict on a build that produced no site (`rendered: None`) or
    /// on a rendered one, whose output links are checked first.
    pub fn new(
        rendered: Option<RenderedSite>,
        mut diags: Diagnostics,
        overrides: &SeverityOverrides,
        strict: bool,
    ) -> Verdict {
        if let Some(r) = &rendered {
            diags.extend(check_output(r));
            diags.extend(orphans::check(r));
        }
        diags.apply_policy(overrides, strict);
        let errors = diags.error_count();
        Verdict {
            errors,
            warnings: diags.warning_count(),
            files_with_problems: diags.file_count(),
            diagnostics: diags.sorted(),
            site: rendered
                .filter(|_| errors == 0)
                .map(|rendered| ValidSite { rendered }),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// The problems with the links of every HTML file of the output.
pub fn check_output(rendered: &RenderedSite) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let base = rendered.index.site.config.base_path.as_str();
    let scans = &rendered.scans;
    let mut files: HashSet<&str, FxBuildHasher> =
        rendered.files.iter().map(|f| f.path.as_str()).collect();
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
    diags
}

/// The problem with a link to `url` (under `base`), if any.
fn check(
    url: &str,
    base: &str,
    files: &HashSet<&str, FxBuildHasher>,
    scans: &ByPath<Scan>,
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
    use crate::render::scan::{scan, Links};

    #[test]
    fn checks_files_and_fragments() {
        let links = Links::default();
        let scans: ByPath<Scan> = [
            ("a/index.html", &b"<h2 id=\"x\">X</h2>"[..]),
            ("index.html", &b"<p>home</p>"[..]),
        ]
        .into_iter()
        .map(|(p, html)| (p.to_string(), scan(p, html, "/", &links)))
        .collect();
        let files: HashSet<&str, FxBuildHasher> = scans.keys().map(String::as_str).collect();
        assert_eq!(check("/a/#x", "/", &files, &scans), None);
        assert!(check("/a/#y", "/", &files, &scans).is_some());
        assert!(check("/b/", "/", &files, &scans).is_some());
        assert_eq!(check("https://x.nl/", "/", &files, &scans), None);
        assert_eq!(check("/kb/a/", "/kb/", &files, &scans), None);
    }
}
