//! What validation needs of one HTML file, taken while the file is at hand:
//! its link targets and its ids. Render scans each HTML file as it is
//! produced, so a page can be written out and dropped before the whole site
//! is checked; the check itself (`crate::validate`) needs only the scans.

use crate::parse::escape::decode_percent;
use kader_search::hash::{FxBuildHasher, FxHashMap};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// The link targets of one HTML file and the ids it contains.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Targets under the site's base path (`href` and `src` values), each
    /// once, as numbers of [`Links`].
    pub refs: Vec<u32>,
    /// Hashes of the file's `id` values (see [`id_hash`]), sorted.
    pub ids: Vec<u64>,
    /// Problems with links to the file's own fragments (`#x`).
    pub own: Vec<String>,
}

impl Scan {
    /// Whether the file has an element with this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search(&id_hash(id)).is_ok()
    }
}

/// The link targets of all scanned files, each stored once: lists repeat
/// the same links on thousands of pages.
#[derive(Debug, Default)]
pub struct Links {
    inner: Mutex<Interned>,
}

#[derive(Debug, Default)]
struct Interned {
    numbers: FxHashMap<Box<str>, u32>,
    urls: Vec<Box<str>>,
}

impl Links {
    fn intern(&self, urls: &[Cow<str>]) -> Vec<u32> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let Interned { numbers, urls: all } = &mut *inner;
        urls.iter()
            .map(|url| {
                if let Some(&n) = numbers.get(&**url) {
                    return n;
                }
                let n = all.len() as u32;
                let url: Box<str> = (**url).into();
                all.push(url.clone());
                numbers.insert(url, n);
                n
            })
            .collect()
    }

    /// `f` of every target, indexed by its number.
    pub fn with_urls<R>(&self, f: impl FnOnce(&[Box<str>]) -> R) -> R {
        f(&self.inner.lock().unwrap_or_else(|e| e.into_inner()).urls)
    }
}

/// A stable hash of an id (the same in every build and process).
pub fn id_hash(id: &str) -> u64 {
    FxBuildHasher::default().hash_one(id)
}

/// Scans the HTML file at output path `path`. Targets outside `base` (other
/// sites, `mailto:`) are not kept: they are not the site's to check.
pub fn scan(path: &str, html: &[u8], base: &str, links: &Links) -> Scan {
    assemble(path, [&Part::of(html, base, links)])
}

/// What a piece of HTML holds for validation, taken once for a piece that
/// many files show (a table row): the file's scan is then assembled from
/// its parts ([`assemble`]) instead of searching the whole file.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// Hashes of the piece's `id` values.
    ids: Vec<u64>,
    /// Its targets under the base path, each once.
    refs: Vec<u32>,
    /// Its links to the file's own fragments: the link and the fragment.
    own: Vec<(String, String)>,
}

impl Part {
    /// The part of `html`, a piece of a file under `base`.
    pub fn of(html: &[u8], base: &str, links: &Links) -> Part {
        let Attributes { ids, hrefs, srcs } = attributes(html);
        let mut part = Part {
            ids: ids
                .into_iter()
                .map(|v| id_hash(&String::from_utf8_lossy(v)))
                .collect(),
            ..Part::default()
        };
        // Lists repeat the same links: each distinct target is kept once.
        let mut seen: HashSet<&[u8], FxBuildHasher> =
            HashSet::with_capacity_and_hasher(hrefs.len() + srcs.len(), FxBuildHasher::default());
        let mut urls: Vec<Cow<str>> = Vec::new();
        for bytes in hrefs.into_iter().chain(srcs) {
            if !seen.insert(bytes) {
                continue;
            }
            // kader writes UTF-8; only a site's raw HTML could hold other bytes.
            let raw = match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(bytes),
            };
            let url = match memchr::memchr(b'&', bytes) {
                Some(_) => Cow::Owned(raw.replace("&amp;", "&")),
                None => raw,
            };
            // Only the page itself: empty before any `#` or `?`.
            let own_page = matches!(url.as_bytes().first(), None | Some(b'#' | b'?'));
            if own_page {
                let fragment = url.split_once('#').map_or("", |(_, f)| f);
                let fragment = decode_percent(fragment);
                if !fragment.is_empty() {
                    part.own.push((url.into_owned(), fragment));
                }
            } else if url.starts_with(base) {
                urls.push(url);
            }
        }
        part.refs = links.intern(&urls);
        part
    }
}

/// The scan of the file at output path `path` made of `parts`.
pub fn assemble<'p>(path: &str, parts: impl IntoIterator<Item = &'p Part> + Clone) -> Scan {
    let mut scan = Scan::default();
    for part in parts.clone() {
        scan.ids.extend_from_slice(&part.ids);
        scan.refs.extend_from_slice(&part.refs);
    }
    scan.ids.sort_unstable();
    scan.ids.dedup();
    scan.refs.sort_unstable();
    scan.refs.dedup();
    for part in parts {
        for (url, fragment) in &part.own {
            if !scan.has_id(fragment) {
                scan.own.push(format!(
                    "link `{url}` points to `#{fragment}`, which `{path}` does not contain"
                ));
            }
        }
    }
    scan.own.sort_unstable();
    scan.own.dedup();
    scan
}

/// The values of a file's `id`, `href` and `src` attributes, each in the
/// order of the file.
#[derive(Debug, Default, PartialEq)]
struct Attributes<'h> {
    ids: Vec<&'h [u8]>,
    hrefs: Vec<&'h [u8]>,
    srcs: Vec<&'h [u8]>,
}

/// Finds the attributes in one pass over the file: at every `="`, the
/// name before it. Links already reported as broken (rendered with class
/// `broken-link` after the value, within the tag) are left out: they are
/// not reported again.
fn attributes(html: &[u8]) -> Attributes<'_> {
    let broken = memchr::memmem::Finder::new(b"broken-link");
    // Most files have no broken link: one pass over the file then spares
    // a search after every value.
    let any_broken = broken.find(html).is_some();
    let mut found = Attributes::default();
    for eq in memchr::memmem::find_iter(html, b"=\"") {
        let before = &html[..eq];
        let list = if before.ends_with(b" href") {
            &mut found.hrefs
        } else if before.ends_with(b" id") {
            &mut found.ids
        } else if before.ends_with(b" src") {
            &mut found.srcs
        } else {
            continue;
        };
        let start = eq + 2;
        let Some(len) = memchr::memchr(b'"', &html[start..]) else {
            break;
        };
        let end = start + len;
        let marked_broken = any_broken && {
            let after = &html[end..(end + 80).min(html.len())];
            let tag_end = memchr::memchr(b'>', after).unwrap_or(after.len());
            broken.find(&after[..tag_end]).is_some()
        };
        if !marked_broken {
            list.push(&html[start..end]);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values introduced by `needle` (e.g. ` href="`), found as
    /// plainly as possible.
    fn plainly<'h>(html: &'h [u8], needle: &[u8]) -> Vec<&'h [u8]> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(i) = html[at..].windows(needle.len()).position(|w| w == needle) {
            let start = at + i + needle.len();
            let Some(len) = html[start..].iter().position(|&b| b == b'"') else {
                break;
            };
            let end = start + len;
            let tag = &html[end..(end + 80).min(html.len())];
            let tag = &tag[..tag.iter().position(|&b| b == b'>').unwrap_or(tag.len())];
            if !tag.windows(11).any(|w| w == b"broken-link") {
                out.push(&html[start..end]);
            }
            at = end;
        }
        out
    }

    #[test]
    fn finds_attribute_values_as_a_plain_search_does() {
        let cases: [&[u8]; 6] = [
            b"<a href=\"/a/\">x</a><img src=\"/b.png\"><a href=\"#c\">",
            b"<p id=\"x\" data-id=\"y\" class=\"z\">a=\"b\" <a href=\"/c/\" class=\"broken-link\">c</a>",
            b"<a href=\"\">e</a><a href=\"/unterminated",
            b"<div  id=\"two-spaces\"><a\nhref=\"/newline/\"><img src=\"/i.png\" alt=\"src=\\\"\">",
            b"<a href=\"/x/\">long</a><span class=\"a\">................................................................................broken-link</span>",
            b"",
        ];
        for html in cases {
            let found = attributes(html);
            let expected = Attributes {
                ids: plainly(html, b" id=\""),
                hrefs: plainly(html, b" href=\""),
                srcs: plainly(html, b" src=\""),
            };
            assert_eq!(found, expected, "{}", String::from_utf8_lossy(html));
        }
    }

    #[test]
    fn keeps_site_targets_once_and_checks_own_fragments() {
        let links = Links::default();
        let s = scan(
            "a/index.html",
            b"<h2 id=\"x\">X</h2><a href=\"#x\">1</a><a href=\"#y\">2</a>\
              <a href=\"/b/\">3</a><a href=\"/b/\">4</a><a href=\"https://x.nl/\">5</a>",
            "/",
            &links,
        );
        assert!(s.has_id("x") && !s.has_id("y"));
        assert_eq!(s.own.len(), 1, "{:?}", s.own);
        assert!(s.own[0].contains("`#y`"));
        assert_eq!(s.refs, [0]);
        assert_eq!(links.with_urls(|u| u[0].to_string()), "/b/");
        let again = scan("c/index.html", b"<a href=\"/b/\">", "/", &links);
        assert_eq!(again.refs, [0], "the same target keeps its number");
    }
}
