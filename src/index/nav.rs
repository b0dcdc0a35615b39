//! Navigation besides the main menu: the sections of `[[menu]]` entries
//! with `pages` (each a side menu on its pages, with previous and next
//! links) and the footer menu, resolved per language against the output
//! pages.

use super::SiteIndex;
use crate::config::{Localized, NavItem};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use indexmap::IndexMap;

/// The resolved navigation of a site.
#[derive(Debug, Default)]
pub struct Nav {
    /// Per language, the sections (menu entries with pages), in menu order.
    pub sections: IndexMap<String, Vec<Section>>,
    /// Per output page: its place in a section of its language, if any.
    pub place: Vec<Option<Place>>,
    /// Per language, the footer's links.
    pub footer: IndexMap<String, Vec<NavLink>>,
}

/// A section: the side menu of the pages of one `[[menu]]` entry.
#[derive(Debug, Clone)]
pub struct Section {
    pub label: String,
    /// The entry's own page (the section's index), if it resolved.
    pub target: Option<usize>,
    pub items: Vec<Node>,
    /// The section's output pages in reading order (for previous/next).
    pub order: Vec<usize>,
    /// The content pages whose titles the side menu shows.
    pub content: Vec<usize>,
}

/// One entry of a side menu.
#[derive(Debug, Clone)]
pub enum Node {
    /// An output page; `label` when the configuration gives one (otherwise
    /// the page's title).
    Page {
        out: usize,
        label: Option<String>,
    },
    /// A link elsewhere (another site, `mailto:`).
    External {
        label: String,
        href: String,
    },
    Group {
        label: String,
        items: Vec<Node>,
    },
}

/// Where an output page is in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Index into the language's sections.
    pub section: usize,
    /// Position in the section's `order`; `None` for a page the section
    /// does not list but lies below one of its pages (`ancestor`).
    pub position: Option<usize>,
    pub ancestor: Option<usize>,
}

/// A footer link: an output page (with an optional `#fragment`) or an
/// external URL.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub label: String,
    pub target: LinkTarget,
}

#[derive(Debug, Clone)]
pub enum LinkTarget {
    Page { out: usize, fragment: String },
    External(String),
}

/// Whether a configured link goes to another site or mail program.
fn is_external(link: &str) -> bool {
    link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:")
}

/// Resolves the sections and the footer of every language.
pub fn resolve(idx: &SiteIndex, diags: &mut Diagnostics) -> Nav {
    let config = &idx.site.config;
    let dl = config.default_language.clone();
    let mut nav = Nav {
        place: vec![None; idx.pages.len()],
        ..Nav::default()
    };
    for lang in config.language_codes() {
        let report = lang == dl;
        let mut sections = Vec::new();
        for (m, target) in config
            .menu
            .iter()
            .zip(idx.menu.get(lang).cloned().unwrap_or_default())
        {
            if m.pages.is_empty() {
                continue;
            }
            let mut listed: Vec<usize> = Vec::new();
            // Pages listed by name come before any glob takes "the rest".
            collect_named(idx, lang, &m.pages, &mut listed);
            let mut items = Vec::new();
            let mut order = Vec::new();
            let mut ctx = Resolve {
                idx,
                lang,
                dl: &dl,
                report,
                listed: &listed,
                diags: &mut *diags,
            };
            ctx.items(&m.pages, &mut items, &mut order);
            if let Some(t) = target {
                if !order.contains(&t) {
                    order.insert(0, t);
                }
            }
            let content = order.iter().filter_map(|&o| idx.pages[o].content).collect();
            sections.push(Section {
                label: m.label.get(lang, &dl).to_string(),
                target,
                items,
                order,
                content,
            });
        }
        for (si, s) in sections.iter().enumerate() {
            for (pos, &o) in s.order.iter().enumerate() {
                if idx.pages[o].lang != lang {
                    continue; // a page of the default language standing in
                }
                nav.place[o].get_or_insert(Place {
                    section: si,
                    position: Some(pos),
                    ancestor: None,
                });
            }
        }
        nav.sections.insert(lang.to_string(), sections);

        let mut footer = Vec::new();
        for f in &config.footer {
            if let Some(target) = resolve_link(idx, lang, &f.link, report, diags) {
                footer.push(NavLink {
                    label: f.label.get(lang, &dl).to_string(),
                    target,
                });
            }
        }
        nav.footer.insert(lang.to_string(), footer);
    }
    // A page below a listed page (a requirement below its overview) is in
    // that page's section.
    for (i, out) in idx.pages.iter().enumerate() {
        if nav.place[i].is_some() {
            continue;
        }
        let mut path = out.path.as_str();
        while let Some(cut) = path.trim_end_matches('/').rfind('/') {
            path = &path[..=cut];
            let Some(&o) = idx.by_path.get(path) else {
                continue;
            };
            if let Some(p) = nav.place[o].filter(|p| p.position.is_some()) {
                if idx.pages[o].lang == out.lang {
                    nav.place[i] = Some(Place {
                        section: p.section,
                        position: None,
                        ancestor: Some(o),
                    });
                    break;
                }
            }
        }
    }
    nav
}

/// The output pages that `items` name one by one (not through a glob).
fn collect_named(idx: &SiteIndex, lang: &str, items: &[NavItem], out: &mut Vec<usize>) {
    for item in items {
        match item {
            NavItem::Path(p) if !p.contains('*') => out.extend(find_page(idx, lang, p)),
            NavItem::Link { link, .. } => out.extend(find_page(idx, lang, link)),
            NavItem::Group { pages, .. } => collect_named(idx, lang, pages, out),
            NavItem::Path(_) => {}
        }
    }
}

struct Resolve<'a, 'd> {
    idx: &'a SiteIndex,
    lang: &'a str,
    dl: &'a str,
    report: bool,
    listed: &'a [usize],
    diags: &'d mut Diagnostics,
}

impl Resolve<'_, '_> {
    fn items(&mut self, items: &[NavItem], nodes: &mut Vec<Node>, order: &mut Vec<usize>) {
        for item in items {
            match item {
                NavItem::Path(p) if p.contains('*') => {
                    for out in glob_pages(self.idx, self.lang, p) {
                        if !self.listed.contains(&out) && !order.contains(&out) {
                            order.push(out);
                            nodes.push(Node::Page { out, label: None });
                        }
                    }
                }
                NavItem::Path(p) => self.page(p, None, nodes, order),
                NavItem::Link { label, link } => self.page(link, Some(label), nodes, order),
                NavItem::Group { label, pages } => {
                    let mut sub = Vec::new();
                    self.items(pages, &mut sub, order);
                    if !sub.is_empty() {
                        nodes.push(Node::Group {
                            label: label.get(self.lang, self.dl).to_string(),
                            items: sub,
                        });
                    }
                }
            }
        }
    }

    fn page(
        &mut self,
        link: &str,
        label: Option<&Localized>,
        nodes: &mut Vec<Node>,
        order: &mut Vec<usize>,
    ) {
        let label = label.map(|l| l.get(self.lang, self.dl).to_string());
        match resolve_link(self.idx, self.lang, link, self.report, self.diags) {
            Some(LinkTarget::Page { out, .. }) => {
                if !order.contains(&out) {
                    order.push(out);
                }
                nodes.push(Node::Page { out, label });
            }
            Some(LinkTarget::External(href)) => nodes.push(Node::External {
                label: label.unwrap_or_else(|| href.clone()),
                href,
            }),
            None => {}
        }
    }
}

/// The output page a content path (`x.md`) or site path (`x/`) names in
/// `lang` (else in the default language).
pub(super) fn find_page(idx: &SiteIndex, lang: &str, link: &str) -> Option<usize> {
    let link = link.trim_start_matches('/');
    if link.ends_with(".md") {
        idx.group_by_key
            .get(link)
            .and_then(|&g| idx.in_lang(g, lang))
            .and_then(|(c, _)| idx.out_of_content[c])
    } else {
        let path = if link.is_empty() || link.ends_with('/') {
            link.to_string()
        } else {
            format!("{link}/")
        };
        idx.by_path
            .get(&format!("{}{path}", idx.site.config.lang_dir(lang)))
            .or_else(|| idx.by_path.get(&path))
            .copied()
    }
}

/// A configured link as a target; a page that does not exist is reported
/// (once, for the default language) at its place in the configuration.
fn resolve_link(
    idx: &SiteIndex,
    lang: &str,
    link: &str,
    report: bool,
    diags: &mut Diagnostics,
) -> Option<LinkTarget> {
    if is_external(link) {
        return Some(LinkTarget::External(link.to_string()));
    }
    let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
    if let Some(out) = find_page(idx, lang, path) {
        return Some(LinkTarget::Page {
            out,
            fragment: fragment.to_string(),
        });
    }
    if report {
        let src = &idx.site.config_source;
        let message = format!("navigation link `{link}` names no page");
        let d = match src.text.find(link) {
            Some(at) => Diagnostic::at(Code::Config, src, at, at + link.len(), message),
            None => Diagnostic::file(Code::Config, &src.path, message),
        };
        diags.push(d.with_hint(
            "use a content path such as `over.md`, a site path such as `vereisten/`, or a full URL",
        ));
    }
    None
}

/// The output pages in `lang` whose content path (default-language key)
/// matches `pattern` (`*` stands for any part of one path segment), by
/// path; folder index pages are left out.
fn glob_pages(idx: &SiteIndex, lang: &str, pattern: &str) -> Vec<usize> {
    let pattern = pattern.trim_start_matches('/');
    let mut keys: Vec<(&str, usize)> = idx
        .group_by_key
        .iter()
        .filter(|(k, _)| !k.ends_with("/index.md") && glob_match(pattern, k))
        .map(|(k, &g)| (k.as_str(), g))
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .filter_map(|(_, g)| idx.in_lang(g, lang))
        .filter_map(|(c, _)| idx.out_of_content[c])
        .collect()
}

/// Whether `path` matches `pattern`, where `*` matches any run of
/// characters other than `/`.
fn glob_match(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == path,
        Some((head, tail)) => {
            let Some(rest) = path.strip_prefix(head) else {
                return false;
            };
            let limit = rest.find('/').map_or(rest.len(), |i| i);
            (0..=limit).any(|i| glob_match(tail, &rest[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_stay_within_a_folder() {
        assert!(glob_match("onderwerpen/*.md", "onderwerpen/data.md"));
        assert!(!glob_match("onderwerpen/*.md", "onderwerpen/x/data.md"));
        assert!(!glob_match("onderwerpen/*.md", "rollen/data.md"));
        assert!(glob_match("*/a*.md", "x/abc.md"));
    }
}
