//! Link resolution: every link and image written in a page is resolved to
//! an output URL, or reported with its position, the target as written and
//! a hint naming the nearest existing page, heading or block.

use super::translations::{join, parent};
use super::SiteIndex;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::parse::escape::{decode_percent, encode_url_path};
use crate::parse::markdown::{Link, LinkKind};
use crate::parse::ParsedPage;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// A link as it will be written into the page.
#[derive(Debug, Clone, Default)]
pub struct ResolvedLink {
    pub href: String,
    pub external: bool,
    /// Set when the link points at a block: the block's text, shown as a tooltip.
    pub definition: Option<Definition>,
    /// The target could not be resolved (already reported).
    pub broken: bool,
    /// The content page linked to, if any.
    pub target: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Definition {
    pub text: String,
    /// Unique within the page, for `aria-describedby`.
    pub tip_id: String,
}

enum Target {
    External,
    Page {
        out: usize,
        content: Option<usize>,
        anchor: Option<String>,
    },
    Asset(String),
}

type Backlinks = HashMap<(usize, String), Vec<usize>>;

/// The links of every content page, resolved.
pub(super) struct Resolved {
    /// Per content page, parallel to its `body.links`.
    pub links: Vec<Vec<ResolvedLink>>,
    pub backlinks: Backlinks,
    /// Per content page: the content pages whose headings or blocks its
    /// links name (a `#fragment` or `#^block`), each once.
    pub reads: Vec<Vec<usize>>,
    /// Per content page: the problems of its links.
    pub problems: Vec<Diagnostics>,
}

/// What the links of one content page resolved to.
struct PageLinks {
    links: Vec<ResolvedLink>,
    /// The blocks it links to.
    used: Vec<(usize, String)>,
    reads: Vec<usize>,
    problems: Diagnostics,
}

/// Resolves the links of every content page.
pub(super) fn resolve_all(idx: &SiteIndex) -> Resolved {
    let results: Vec<PageLinks> = (0..idx.site.pages.len())
        .into_par_iter()
        .map(|i| resolve_page(idx, i))
        .collect();
    let mut all = Resolved {
        links: Vec::with_capacity(results.len()),
        backlinks: HashMap::new(),
        reads: Vec::with_capacity(results.len()),
        problems: Vec::with_capacity(results.len()),
    };
    for (i, page) in results.into_iter().enumerate() {
        add_backlinks(&mut all.backlinks, i, page.used);
        all.links.push(page.links);
        all.reads.push(page.reads);
        all.problems.push(page.problems);
    }
    all
}

/// Resolves again the links of the content pages `changed` (whose headings,
/// blocks and links may differ from before, not their place in the site)
/// and of every page whose links name a heading or block of one of them;
/// every other page keeps `all`'s.
pub(super) fn resolve_changed(idx: &SiteIndex, all: &mut Resolved, changed: &BTreeSet<usize>) {
    let again: BTreeSet<usize> = all
        .reads
        .iter()
        .enumerate()
        .filter(|(_, reads)| reads.iter().any(|r| changed.contains(r)))
        .map(|(i, _)| i)
        .chain(changed.iter().copied())
        .collect();
    let results: Vec<(usize, PageLinks)> = again
        .par_iter()
        .map(|&i| (i, resolve_page(idx, i)))
        .collect();
    all.backlinks.retain(|_, from| {
        from.retain(|i| !again.contains(i));
        !from.is_empty()
    });
    for (i, page) in results {
        add_backlinks(&mut all.backlinks, i, page.used);
        all.links[i] = page.links;
        all.reads[i] = page.reads;
        all.problems[i] = page.problems;
    }
}

/// Records that content page `from` links to the blocks `used`, keeping
/// each block's linking pages in page order.
fn add_backlinks(backlinks: &mut Backlinks, from: usize, used: Vec<(usize, String)>) {
    for key in used {
        let pages = backlinks.entry(key).or_default();
        if let Err(at) = pages.binary_search(&from) {
            pages.insert(at, from);
        }
    }
}

/// Resolves the links of content page `i`.
fn resolve_page(idx: &SiteIndex, i: usize) -> PageLinks {
    let page = &idx.site.pages[i];
    let mut out = PageLinks {
        links: Vec::new(),
        used: Vec::new(),
        reads: Vec::new(),
        problems: Diagnostics::new(),
    };
    if idx.out_of_content[i].is_none() {
        out.links = vec![ResolvedLink::default(); page.body.links.len()];
        return out;
    }
    let mut tips = 0;
    out.links = page
        .body
        .links
        .iter()
        .map(|l| resolve(idx, i, page, l, &mut out, &mut tips))
        .collect();
    out
}

fn resolve(
    idx: &SiteIndex,
    from: usize,
    page: &ParsedPage,
    link: &Link,
    found: &mut PageLinks,
    tips: &mut usize,
) -> ResolvedLink {
    let diags = &mut found.problems;
    let broken = |diags: &mut Diagnostics, d: Diagnostic| {
        diags.push(d);
        ResolvedLink {
            href: link.dest.clone(),
            broken: true,
            ..ResolvedLink::default()
        }
    };
    let at = |code: Code, msg: String| {
        Diagnostic::at(code, &page.source, link.span.start, link.span.end, msg)
    };
    // A did-you-mean destination goes on the link's span, where the
    // destination is written as it is.
    let with_dest = |d: Diagnostic, dest: Option<String>| {
        let (start, end) = (link.span.start, link.span.end);
        d.with_fix_if(&page.source, start, end, &link.dest, dest)
    };
    match target(idx, from, page, &link.dest) {
        Err(d) => {
            let mut d = d(&at);
            let dest = d.fix.take().map(|f| f.replacement);
            broken(diags, with_dest(d, dest))
        }
        Ok(Target::External) => ResolvedLink {
            href: link.dest.clone(),
            external: true,
            ..ResolvedLink::default()
        },
        Ok(Target::Asset(rel)) => ResolvedLink {
            href: format!("{}{}", idx.site.config.base_path, encode_url_path(&rel)),
            ..ResolvedLink::default()
        },
        Ok(Target::Page {
            out,
            content,
            anchor,
        }) => {
            let mut href = idx.href(out);
            let mut definition = None;
            if let Some(anchor) = anchor {
                if let Some(c) = content {
                    if !found.reads.contains(&c) {
                        found.reads.push(c);
                    }
                    let target = &idx.site.pages[c];
                    if let Some(block) = anchor.strip_prefix('^') {
                        match target.body.blocks.iter().find(|b| b.id == block) {
                            Some(b) => {
                                found.used.push((c, b.id.clone()));
                                if link.kind == LinkKind::Link {
                                    *tips += 1;
                                    definition = Some(Definition {
                                        text: b.text.clone(),
                                        tip_id: format!("def-{}", tips),
                                    });
                                }
                            }
                            None => {
                                let ids: Vec<&str> =
                                    target.body.blocks.iter().map(|b| b.id.as_str()).collect();
                                let (hint, near) = nearest_hint(block, &ids, "^", "block ids");
                                return broken(
                                    diags,
                                    with_dest(
                                        at(
                                            Code::BrokenBlockRef,
                                            format!(
                                                "link to `{}`: {} has no block `^{block}`",
                                                link.dest, target.source.path
                                            ),
                                        )
                                        .with_hint(hint),
                                        near.map(|n| with_fragment(&link.dest, &n)),
                                    ),
                                );
                            }
                        }
                    } else if !anchor_exists(target, &anchor) {
                        let ids: Vec<&str> =
                            target.body.headings.iter().map(|h| h.id.as_str()).collect();
                        let (hint, near) = nearest_hint(&anchor, &ids, "", "headings");
                        return broken(
                            diags,
                            with_dest(
                                at(
                                    Code::BrokenAnchor,
                                    format!(
                                        "link to `{}`: {} has no heading `#{anchor}`",
                                        link.dest, target.source.path
                                    ),
                                )
                                .with_hint(hint),
                                near.map(|n| with_fragment(&link.dest, &n)),
                            ),
                        );
                    }
                }
                href.push('#');
                href.push_str(&encode_url_path(&anchor));
            }
            ResolvedLink {
                href,
                definition,
                target: content,
                ..ResolvedLink::default()
            }
        }
    }
}

/// `kader:beslishulp` (the decision aid: the page of the configured tree,
/// or of the first one; "Vereisten voor jou" when there is none) and
/// `kader:profiel` ("Vereisten voor jou"), in `lang`.
fn aid_target<'a>(idx: &'a SiteIndex, lang: &str, which: &'a str) -> Result<Target, DiagFn<'a>> {
    let config = &idx.site.config;
    let aid = &config.decision_aid;
    let profile = format!("{}{}/", config.lang_dir(lang), aid.profile_path);
    let tree = aid
        .tree
        .as_deref()
        .or_else(|| idx.site.trees.iter().map(|t| t.name.as_str()).min());
    let path = match (which, tree) {
        ("beslishulp", Some(t)) => super::urls::tree_path(config, lang, t),
        ("beslishulp" | "profiel", _) => profile,
        _ => String::new(),
    };
    match idx.by_path.get(&path) {
        Some(&out) => Ok(Target::Page {
            out,
            content: None,
            anchor: None,
        }),
        None => Err(Box::new(move |at| {
            at(
                Code::BrokenPageLink,
                format!("this link opens the decision aid (`{which}`), but the site has none"),
            )
            .with_hint("add a decision tree to the content folder, or AI-Act taxonomies (`ai_act = true`) for the profile page")
        })),
    }
}

fn anchor_exists(page: &ParsedPage, anchor: &str) -> bool {
    page.body.headings.iter().any(|h| h.id == anchor)
        || anchor.starts_with("fn-")
        || anchor.starts_with("fnref-")
        || anchor.starts_with("tab")
}

/// The hint for a missing heading or block id, and the nearest id (with
/// `prefix`) when one is close.
fn nearest_hint(word: &str, ids: &[&str], prefix: &str, what: &str) -> (String, Option<String>) {
    let shown_prefix = if prefix.is_empty() { "#" } else { prefix };
    if let Some(c) = did_you_mean(word, ids.iter().copied()) {
        return (
            format!("did you mean `{shown_prefix}{c}`?"),
            Some(format!("{prefix}{c}")),
        );
    }
    if ids.is_empty() {
        return (format!("the page has no {what}"), None);
    }
    let shown: Vec<String> = ids
        .iter()
        .take(8)
        .map(|i| format!("{shown_prefix}{i}"))
        .collect();
    let more = if ids.len() > 8 { ", …" } else { "" };
    (format!("existing {what}: {}{more}", shown.join(", ")), None)
}

/// `dest` with its fragment replaced by `fragment`.
fn with_fragment(dest: &str, fragment: &str) -> String {
    let path = dest.split_once('#').map_or(dest, |(p, _)| p);
    format!("{path}#{fragment}")
}

/// Marks `d` with the destination a did-you-mean proposes; `resolve`
/// moves it onto the link's span.
fn propose(d: Diagnostic, dest: Option<String>) -> Diagnostic {
    match dest {
        Some(dest) => d.with_fix(0, 0, dest),
        None => d,
    }
}

type DiagFn<'a> = Box<dyn FnOnce(&dyn Fn(Code, String) -> Diagnostic) -> Diagnostic + 'a>;

fn has_scheme(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    (!scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'))
    .then_some(scheme)
}

/// Syntax check of an external URL.
pub fn check_external(dest: &str) -> Result<(), String> {
    if dest.contains(char::is_whitespace) {
        return Err("contains whitespace".into());
    }
    let scheme = has_scheme(dest).map(str::to_ascii_lowercase);
    match scheme.as_deref() {
        Some("http") | Some("https") => {
            let rest = dest
                .split_once("://")
                .map(|(_, r)| r)
                .ok_or("needs `//` after the scheme")?;
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit('@').next().unwrap_or(host);
            let name = host.split(':').next().unwrap_or("");
            if name.is_empty()
                || name.starts_with('.')
                || name.ends_with('.')
                || name.contains("..")
            {
                return Err("has no valid host name".into());
            }
            if let Some(port) = host.split(':').nth(1) {
                if port.parse::<u16>().is_err() {
                    return Err(format!("has an invalid port `{port}`"));
                }
            }
            Ok(())
        }
        Some("mailto") => {
            let addr = &dest[7..];
            let addr = addr.split('?').next().unwrap_or("");
            if addr.contains('@') && !addr.starts_with('@') && !addr.ends_with('@') {
                Ok(())
            } else {
                Err("is not an e-mail address".into())
            }
        }
        _ => Ok(()),
    }
}

fn target<'a>(
    idx: &'a SiteIndex,
    from: usize,
    page: &'a ParsedPage,
    dest: &'a str,
) -> Result<Target, DiagFn<'a>> {
    let config = &idx.site.config;
    if dest.is_empty() {
        return Err(Box::new(|at| {
            at(Code::BrokenPageLink, "link has an empty target".into())
                .with_hint("write the page to link to between the parentheses")
        }));
    }
    if let Some(which) = dest.strip_prefix("kader:") {
        return aid_target(idx, &page.lang, which);
    }
    if dest.starts_with("//") || has_scheme(dest).is_some() {
        return match check_external(dest) {
            Ok(()) => Ok(Target::External),
            Err(why) => Err(Box::new(move |at| {
                at(Code::MalformedUrl, format!("external link `{dest}` {why}"))
                    .with_hint("external links are not fetched, only checked for syntax")
            })),
        };
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(decode_percent(a))),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let here = idx.out_of_content[from];
    if path_part.is_empty() {
        let out = here.unwrap_or(0);
        return Ok(Target::Page {
            out,
            content: Some(from),
            anchor,
        });
    }
    let decoded = decode_percent(path_part);
    let base = config.base_path.trim_end_matches('/');
    let decoded_rel = match decoded
        .strip_prefix(base)
        .filter(|r| r.starts_with('/') && !base.is_empty())
    {
        Some(r) => r.to_string(),
        None => decoded.clone(),
    };
    let Some(path) = join(parent(&page.content_path), &decoded_rel) else {
        return Err(Box::new(move |at| {
            at(
                Code::LinkOutsideRoot,
                format!("link `{dest}` climbs out of the content folder"),
            )
            .with_hint(
                "link only to files inside the content folder; nothing outside it is published",
            )
        }));
    };
    let lang = page.lang.as_str();
    let is_md = path.ends_with(".md") || path.ends_with(".markdown");
    let file_name = path.rsplit('/').next().unwrap_or("");
    let has_ext = file_name.contains('.');

    if is_md {
        return match find_page(idx, &path, lang) {
            Some(t) => Ok(with_anchor(t, anchor)),
            None => {
                let (hint, near) = page_hint(idx, page, &path);
                let near = near.map(|n| keep_fragment(dest, n));
                let written = dest.to_string();
                let draft = is_draft(idx, &path);
                Err(Box::new(move |at| {
                    if draft {
                        at(
                            Code::LinkToDraft,
                            format!(
                                "link to `{written}`: that page is a draft and is not published"
                            ),
                        )
                        .with_hint("remove `draft: true` from the target, or remove the link")
                    } else {
                        propose(
                            at(
                                Code::BrokenPageLink,
                                format!("link to `{written}`: there is no page `{path}`"),
                            )
                            .with_hint(hint),
                            near,
                        )
                    }
                }))
            }
        };
    }
    if !has_ext || path_part.ends_with('/') {
        let dir = path.trim_end_matches('/');
        for key in [format!("{dir}/index.md"), format!("{dir}.md")] {
            if let Some(t) = find_page(idx, key.trim_start_matches('/'), lang) {
                return Ok(with_anchor(t, anchor));
            }
        }
        let url = format!(
            "{}{}",
            config.lang_dir(lang),
            if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            }
        );
        if let Some(&out) = idx.by_path.get(&url) {
            return Ok(Target::Page {
                out,
                content: idx.pages[out].content,
                anchor,
            });
        }
        if idx.by_path.contains_key(&format!("{dir}/")) {
            let out = idx.by_path[&format!("{dir}/")];
            return Ok(Target::Page {
                out,
                content: idx.pages[out].content,
                anchor,
            });
        }
        let (hint, near) = page_hint(idx, page, &format!("{dir}.md"));
        let near = near.map(|n| keep_fragment(dest, n));
        let written = dest.to_string();
        let dir = dir.to_string();
        return Err(Box::new(move |at| {
            propose(
                at(
                    Code::BrokenPageLink,
                    format!("link to `{written}`: there is no page at `{dir}/`"),
                )
                .with_hint(hint),
                near,
            )
        }));
    }
    if idx.assets.contains(&path) {
        return Ok(Target::Asset(path));
    }
    let candidates: Vec<&str> = idx.assets.iter().map(String::as_str).collect();
    let near = did_you_mean(&path, candidates.iter().copied())
        .map(str::to_string)
        .or_else(|| {
            candidates
                .iter()
                .find(|c| c.rsplit('/').next() == Some(file_name))
                .map(|c| c.to_string())
        });
    let near = near.map(|c| relative(parent(&page.content_path), &c));
    let hint = match &near {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("no file `{path}` in the content folder"),
    };
    let written = dest.to_string();
    Err(Box::new(move |at| {
        propose(
            at(
                Code::BrokenAsset,
                format!("link to `{written}`: file `{path}` does not exist"),
            )
            .with_hint(hint),
            near,
        )
    }))
}

/// What a link destination written in content page `from` names, resolved
/// as the build resolves it: the content page (if it is one) and the
/// fragment; `None` for external links, files and broken destinations.
pub fn link_target(idx: &SiteIndex, from: usize, dest: &str) -> Option<(usize, Option<String>)> {
    match target(idx, from, &idx.site.pages[from], dest) {
        Ok(Target::Page {
            content: Some(c),
            anchor,
            ..
        }) => Some((c, anchor)),
        _ => None,
    }
}

fn with_anchor(t: Target, anchor: Option<String>) -> Target {
    match t {
        Target::Page { out, content, .. } => Target::Page {
            out,
            content,
            anchor,
        },
        other => other,
    }
}

/// The published page for a content path, preferring the page's language.
fn find_page(idx: &SiteIndex, path: &str, lang: &str) -> Option<Target> {
    let exact = idx.by_content_path.get(path).copied();
    let by_key = idx.group_by_key.get(path).copied();
    let content = match by_key.and_then(|g| idx.in_lang(g, lang)) {
        Some((c, _)) if idx.out_of_content[c].is_some() => Some(c),
        _ => exact.filter(|&c| idx.out_of_content[c].is_some()),
    }?;
    let out = idx.out_of_content[content]?;
    Some(Target::Page {
        out,
        content: Some(content),
        anchor: None,
    })
}

fn is_draft(idx: &SiteIndex, path: &str) -> bool {
    idx.site
        .pages
        .iter()
        .any(|p| (p.content_path == path || p.translation_key == path) && p.front.draft)
}

/// `near` with the fragment of `dest`, if it has one.
fn keep_fragment(dest: &str, near: String) -> String {
    match dest.split_once('#') {
        Some((_, fragment)) => format!("{near}#{fragment}"),
        None => near,
    }
}

/// "did you mean" for a missing page, written relative to the linking
/// page, and that relative path.
fn page_hint(idx: &SiteIndex, page: &ParsedPage, path: &str) -> (String, Option<String>) {
    let keys: Vec<&str> = idx
        .site
        .pages
        .iter()
        .filter(|p| p.lang == idx.site.config.default_language)
        .map(|p| p.translation_key.as_str())
        .collect();
    let name = path.rsplit('/').next().unwrap_or(path);
    let same_name = keys
        .iter()
        .find(|k| k.rsplit('/').next() == Some(name))
        .copied();
    let near = same_name
        .or_else(|| did_you_mean(path, keys.iter().copied()))
        .or_else(|| super::closest_by_prefix(path, keys.iter().copied()));
    match near {
        Some(c) => {
            let rel = relative(parent(&page.content_path), c);
            (format!("did you mean `{rel}`?"), Some(rel))
        }
        None => (
            "check the file name and the folder; links are relative to this page's folder".into(),
            None,
        ),
    }
}

/// A relative path from folder `from` to `to` (both content-relative).
pub fn relative(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative("vereisten", "maatregelen/x.md"),
            "../maatregelen/x.md"
        );
        assert_eq!(relative("vereisten", "vereisten/x.md"), "x.md");
        assert_eq!(relative("", "a/b.md"), "a/b.md");
    }

    #[test]
    fn external_syntax() {
        assert!(check_external("https://eur-lex.europa.eu/x?y#z").is_ok());
        assert!(check_external("mailto:a@b.nl").is_ok());
        assert!(check_external("https:///x").is_err());
        assert!(check_external("http://exa mple.org").is_err());
        assert!(check_external("mailto:nobody").is_err());
        assert!(check_external("https://a.nl:99999/").is_err());
    }
}
