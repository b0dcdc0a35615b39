//! Stage 5, validate: checks the rendered output itself. Every root-relative
//! `href` and `src` in every HTML file must name a file of the output, and
//! every `#fragment` an id in that file. This catches links that templates
//! generate, which no source position covers.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::escape::decode_percent;
use crate::render::RenderedSite;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// The rendered site after its output was checked.
#[derive(Debug)]
pub struct ValidatedSite {
    pub rendered: RenderedSite,
    /// Every problem found, as (problem, output file), for reuse by the next
    /// incremental build.
    pub problems: Vec<(String, String)>,
}

/// Checks every HTML file of the output.
pub fn validate(rendered: RenderedSite, diags: &mut Diagnostics) -> ValidatedSite {
    validate_reusing(rendered, diags, None)
}

/// For an incremental build: the files to check again, and the problems
/// the previous build found (as (problem, file)).
pub type Recheck<'a> = (&'a HashSet<String>, Vec<(String, String)>);

/// Checks the HTML files named in `only` (all when `None`), keeping the
/// earlier problems of the other files.
pub fn validate_reusing(
    rendered: RenderedSite,
    diags: &mut Diagnostics,
    only: Option<Recheck>,
) -> ValidatedSite {
    let base = rendered.index.site.config.base_path.clone();
    let by_path: HashMap<&str, &[u8]> = rendered
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let mut files: HashSet<&str> = by_path.keys().copied().collect();
    for c in &rendered.copies {
        files.insert(c.dest());
    }
    let ids = Ids {
        by_path: &by_path,
        cache: Mutex::new(HashMap::new()),
    };
    let (dirty, mut problems) = match only {
        Some((dirty, previous)) => {
            let kept: Vec<(String, String)> = previous
                .into_iter()
                .filter(|(_, page)| !dirty.contains(page))
                .collect();
            (Some(dirty), kept)
        }
        None => (None, Vec::new()),
    };
    let found: Vec<(String, String)> = rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html") && dirty.is_none_or(|d| d.contains(&f.path)))
        .flat_map_iter(|f| {
            let mut out = Vec::new();
            let mut refs = attribute_values(&f.bytes, b" href=\"");
            refs.extend(attribute_values(&f.bytes, b" src=\""));
            // Lists repeat the same links many times: each is checked once
            // per page.
            let mut seen: HashSet<&str> = HashSet::new();
            for (_, raw) in &refs {
                if !seen.insert(raw) {
                    continue;
                }
                let url = raw.replace("&amp;", "&");
                if let Some(problem) = check(&url, &f.path, &base, &files, &ids) {
                    out.push((problem, f.path.clone()));
                }
            }
            out
        })
        .collect();
    problems.extend(found);
    problems.sort();
    // One diagnostic per distinct problem, naming the first file and the count.
    let mut i = 0;
    while i < problems.len() {
        let mut j = i + 1;
        while j < problems.len() && problems[j].0 == problems[i].0 {
            j += 1;
        }
        let more = match j - i {
            1 => String::new(),
            n => format!(" (and {} more pages)", n - 1),
        };
        diags.push(
            Diagnostic::file(
                Code::BrokenGeneratedLink,
                format!("(output) {}", problems[i].1),
                format!("{}{more}", problems[i].0),
            )
            .with_hint("a template or the site configuration generates this link"),
        );
        i = j;
    }
    ValidatedSite { rendered, problems }
}

/// The ids of output files, collected when first needed.
struct Ids<'a> {
    by_path: &'a HashMap<&'a str, &'a [u8]>,
    cache: Mutex<HashMap<String, std::sync::Arc<HashSet<String>>>>,
}

impl Ids<'_> {
    fn of(&self, path: &str) -> Option<std::sync::Arc<HashSet<String>>> {
        if let Some(hit) = self.cache.lock().ok()?.get(path) {
            return Some(hit.clone());
        }
        let bytes = self.by_path.get(path)?;
        let set: std::sync::Arc<HashSet<String>> = std::sync::Arc::new(
            attribute_values(bytes, b" id=\"")
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
        );
        self.cache
            .lock()
            .ok()?
            .insert(path.to_string(), set.clone());
        Some(set)
    }
}

fn check(url: &str, from: &str, base: &str, files: &HashSet<&str>, ids: &Ids) -> Option<String> {
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
    let target_ids = ids.of(target_file.as_str())?;
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
        let by_path: HashMap<&str, &[u8]> = [
            ("a/index.html", &b"<h2 id=\"x\">X</h2>"[..]),
            ("index.html", &b"<p>home</p>"[..]),
        ]
        .into_iter()
        .collect();
        let ids = Ids {
            by_path: &by_path,
            cache: Mutex::new(HashMap::new()),
        };
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
