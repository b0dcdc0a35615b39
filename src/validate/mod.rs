//! Stage 5, validate: checks the rendered output itself, then decides.
//!
//! Every root-relative `href` and `src` in every HTML file must name a file
//! of the output, and every `#fragment` an id in that file. This catches
//! links that templates generate, which no source position covers. The
//! check works on the [`Scan`]s that render takes of each HTML file as it is
//! produced; each distinct target is checked once for the whole site. What
//! the check found ([`Checked`]) stays with the valid site: after an edit,
//! only new targets and those into files rendered again are looked at.
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
    /// What the check of its links found.
    checked: Checked,
}

impl ValidSite {
    pub fn rendered(&self) -> &RenderedSite {
        &self.rendered
    }

    /// The rendered site and what the check of its links found, which the
    /// check of a build that reuses this one starts from.
    pub fn into_parts(self) -> (RenderedSite, Checked) {
        (self.rendered, self.checked)
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
        previous: Option<Checked>,
    ) -> Verdict {
        let mut checked = Checked::default();
        if let Some(r) = &rendered {
            let (found, c) = check_output(r, previous);
            diags.extend(found);
            diags.extend(orphans::check(r, &c.targets));
            checked = c;
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
                .map(|rendered| ValidSite { rendered, checked }),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// Where each link target of a site points and what is wrong with it, by
/// the target's number (see [`crate::render::scan::Links`]). Kept with a
/// valid site, so that the check after an edit looks again only at new
/// targets and at those into the files rendered again.
#[derive(Debug, Default)]
pub struct Checked {
    /// Per target: the file and fragment it names inside the site (`None`:
    /// outside the base path, or a Markdown source).
    targets: Vec<Option<Target>>,
    /// Per target: the problem with it, if any.
    verdicts: Vec<Option<String>>,
}

/// A link target inside the site, percent-decoded.
#[derive(Debug)]
struct Target {
    /// The output file (`x/index.html` for `x/`).
    file: String,
    /// The fragment, when not empty.
    fragment: Option<String>,
}

impl Target {
    /// The target of `url` under `base`, if it is one inside the site.
    fn of(url: &str, base: &str) -> Option<Target> {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let rel = decode_percent(path.strip_prefix(base)?);
        if rel.ends_with(".md") {
            return None;
        }
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel
        };
        Some(Target {
            file,
            fragment: fragment.filter(|f| !f.is_empty()).map(decode_percent),
        })
    }

    /// The problem with a link to `url`, this target, if any.
    fn problem(
        &self,
        url: &str,
        exists: impl Fn(&str) -> bool,
        scans: &ByPath<Scan>,
    ) -> Option<String> {
        let file = &self.file;
        if !exists(file) {
            return Some(format!(
                "link `{url}` points to `{file}`, which is not in the output"
            ));
        }
        let fragment = self.fragment.as_deref()?;
        let target = scans.get(file)?;
        (!target.has_id(fragment)).then(|| {
            format!("link `{url}` points to `#{fragment}`, which `{file}` does not contain")
        })
    }
}

/// The problems with the links of every HTML file of the output, and what
/// the check found, for the next one. `previous`: what the check of the
/// build whose unchanged files `rendered` took over found.
pub fn check_output(rendered: &RenderedSite, previous: Option<Checked>) -> (Diagnostics, Checked) {
    let base = rendered.index.site.config.base_path.as_str();
    let scans = &rendered.scans;
    // Only a render that took files over from the previous one keeps its
    // link numbers and its output files: then only the targets that are
    // new, or name a file scanned again, are looked at again.
    let (mut checked, rescanned) = match (previous, &rendered.rescanned) {
        (Some(c), Some(r)) => (c, Some(r)),
        _ => (Checked::default(), None),
    };
    rendered.links.with_urls(|urls| {
        // Targets and verdicts side by side, by link number (numbers only grow).
        let known = checked.verdicts.len().min(urls.len());
        checked.targets.truncate(known);
        let new: Vec<Option<Target>> = urls[known..]
            .par_iter()
            .map(|url| Target::of(url, base))
            .collect();
        checked.targets.extend(new);
        if let Some(rescanned) = rescanned {
            // Files scanned again are HTML files: they exist if scanned.
            let exists = |f: &str| scans.contains_key(f);
            for (u, url) in urls[..known].iter().enumerate() {
                if let Some(t) = checked.targets[u]
                    .as_ref()
                    .filter(|t| rescanned.contains(t.file.as_str()))
                {
                    checked.verdicts[u] = t.problem(url, exists, scans);
                }
            }
        }
        if known < urls.len() {
            let mut files: HashSet<&str, FxBuildHasher> =
                rendered.files.iter().map(|f| f.path.as_str()).collect();
            files.extend(rendered.copies.iter().map(|c| c.dest()));
            files.extend(scans.keys().map(String::as_str));
            files.extend(rendered.streamed.other.iter().map(String::as_str));
            let exists = |f: &str| files.contains(f);
            let new: Vec<Option<String>> = (known..urls.len())
                .into_par_iter()
                .map(|u| {
                    checked.targets[u]
                        .as_ref()?
                        .problem(&urls[u], exists, scans)
                })
                .collect();
            checked.verdicts.truncate(known);
            checked.verdicts.extend(new);
        }
    });
    let diags = report(scans, &checked.verdicts);
    (diags, checked)
}

/// One diagnostic per distinct problem of the files' links (`verdicts`,
/// by target number, and the files' own fragments), naming the first file
/// and the count.
fn report(scans: &ByPath<Scan>, verdicts: &[Option<String>]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // Nearly always no target has a problem: then only the files' own
    // fragments are looked at.
    let any_bad = verdicts.iter().any(Option::is_some);
    let mut problems: Vec<(&str, &str)> = scans
        .par_iter()
        .flat_map_iter(|(path, scan)| {
            let own = scan.own.iter().map(String::as_str);
            let refs = if any_bad { &scan.refs[..] } else { &[] };
            let linked = refs
                .iter()
                .filter_map(|&r| verdicts.get(r as usize)?.as_deref());
            own.chain(linked).map(move |p| (p, path.as_str()))
        })
        .collect();
    problems.sort_unstable();
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
        let check = |url: &str, base: &str| {
            Target::of(url, base)?.problem(url, |f| files.contains(f), &scans)
        };
        assert_eq!(check("/a/#x", "/"), None);
        assert!(check("/a/#y", "/").is_some());
        assert!(check("/a/#y", "/").unwrap().contains("does not contain"));
        assert!(check("/b/", "/")
            .unwrap()
            .contains("`b/index.html`, which is not in the output"));
        assert_eq!(check("https://x.nl/", "/"), None);
        assert_eq!(check("/kb/a/", "/kb/"), None);
        assert_eq!(check("/x.md", "/"), None);
        assert_eq!(check("/a/?q=1#x", "/"), None);
    }
}
