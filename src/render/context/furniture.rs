//! What templates see around a page (`furniture`): the logo and favicon,
//! the site's stylesheets, the menu bar and the search box, the section's
//! side menu with previous and next, the footer menu, the "edit this page"
//! link and the last-updated date.

use super::{ContextBuilder, SiteCtx};
use crate::diagnostics::Diagnostics;
use crate::index::nav::{LinkTarget, Node, Section};
use crate::parse::escape::encode_url_path;
use kader_search::hash::FxHashMap as HashMap;
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// Which shared part of the furniture a rendered string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Footer,
    SideNav,
    PhoneMenu,
    MainNav,
    Search,
}

impl Part {
    fn template(self) -> &'static str {
        match self {
            Part::Footer => "partials/footer_nav.html",
            Part::SideNav => "partials/side_nav.html",
            Part::PhoneMenu => "partials/phone_menu.html",
            Part::MainNav => "partials/main_nav.html",
            Part::Search => "partials/search.html",
        }
    }
}

/// The footer, menus and search box rendered so far, by language, part and
/// what they mark (section, page shown, page above it, active menu
/// entries): most pages share them (every requirement below its overview
/// shows the same side menu, every page of a language the same search
/// box), so each is rendered once.
#[derive(Default)]
pub(super) struct Rendered(Mutex<HashMap<RenderedKey, Arc<str>>>);

/// Language, part, and the section, page, ancestor and menu entries it marks.
type RenderedKey = (String, Part, Vec<usize>);

#[derive(Serialize)]
pub(super) struct FurnitureCtx {
    /// partials/footer_nav.html, side_nav.html, phone_menu.html,
    /// main_nav.html and search.html, rendered.
    footer_html: Arc<str>,
    side_html: Arc<str>,
    phone_html: Arc<str>,
    main_nav_html: Arc<str>,
    search_html: Arc<str>,
    logo: Option<String>,
    favicon: String,
    favicon_type: &'static str,
    footer: Vec<LinkCtx>,
    /// The side menu of the page's section.
    section: Option<SectionCtx>,
    prev: Option<LinkCtx>,
    next: Option<LinkCtx>,
    edit_url: Option<String>,
    last_updated: Option<Updated>,
    image_zoom: bool,
}

#[derive(Serialize, Clone)]
struct LinkCtx {
    label: String,
    href: String,
    external: bool,
}

#[derive(Serialize, Clone)]
struct SectionCtx {
    label: String,
    href: Option<String>,
    /// The section's own page is the one shown.
    current: bool,
    items: Vec<ItemCtx>,
}

#[derive(Serialize, Clone)]
struct ItemCtx {
    label: String,
    href: String,
    /// The page shown (`aria-current="page"`).
    current: bool,
    /// A page above the one shown.
    ancestor: bool,
    external: bool,
    /// A group's entries (one level; deeper groups are flattened into it).
    items: Vec<ItemCtx>,
}

#[derive(Serialize)]
struct Updated {
    /// `2025-03-04`
    iso: String,
    /// "Laatst bijgewerkt op 4 maart 2025"
    text: String,
}

impl ContextBuilder<'_> {
    /// The furniture of output page `out` (`None`: a page without one,
    /// such as the 404 page) in `lang`.
    pub(super) fn furniture(
        &self,
        lang: &str,
        out: Option<usize>,
        site: &SiteCtx,
        diags: &mut Diagnostics,
    ) -> FurnitureCtx {
        let mut f = self.furniture_data(lang, out);
        let none = usize::MAX;
        let (section, current, ancestor) = match out.and_then(|o| self.idx.nav.place[o]) {
            Some(p) if f.section.is_some() => (
                p.section,
                p.position.and(out).unwrap_or(none),
                p.ancestor.unwrap_or(none),
            ),
            _ => (none, none, none),
        };
        let marks = vec![section, current, ancestor];
        let active: Vec<usize> = site
            .menu
            .iter()
            .enumerate()
            .filter(|(_, m)| m.active)
            .map(|(i, _)| i)
            .collect();
        let mut phone_marks = marks.clone();
        phone_marks.extend(&active);
        f.footer_html = self.shared(lang, Part::Footer, Vec::new(), &f, site, diags);
        f.side_html = self.shared(lang, Part::SideNav, marks, &f, site, diags);
        f.phone_html = self.shared(lang, Part::PhoneMenu, phone_marks, &f, site, diags);
        f.main_nav_html = self.shared(lang, Part::MainNav, active, &f, site, diags);
        f.search_html = self.shared(lang, Part::Search, Vec::new(), &f, site, diags);
        f
    }

    /// A shared part, from the cache or rendered now. It sees `t`, the
    /// furniture's footer and section, and `site` without the page's
    /// `languages`. It is kept by what the built-in template shows of the
    /// page (`marks`: the section and the active menu entries), so a
    /// template that replaces it should show nothing else of the page.
    fn shared(
        &self,
        lang: &str,
        part: Part,
        marks: Vec<usize>,
        f: &FurnitureCtx,
        site: &SiteCtx,
        diags: &mut Diagnostics,
    ) -> Arc<str> {
        let key = (lang.to_string(), part, marks);
        if let Some(hit) = self
            .furniture_html
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return hit;
        }
        let mut ctx = self.base(lang);
        ctx.insert(
            "furniture",
            &serde_json::json!({ "footer": f.footer, "section": f.section }),
        );
        ctx.insert("site", &site.shared());
        let html = self
            .templates
            .render(part.template(), &ctx, diags)
            .unwrap_or_default();
        // The search box was included in base.html with its closing line end.
        let html: Arc<str> = match part {
            Part::Search => html.trim_start().into(),
            _ => html.trim().into(),
        };
        if let Ok(mut m) = self.furniture_html.0.lock() {
            m.insert(key, html.clone());
        }
        html
    }

    /// The furniture's data, without the shared parts rendered.
    fn furniture_data(&self, lang: &str, out: Option<usize>) -> FurnitureCtx {
        let idx = self.idx;
        let config = &idx.site.config;
        let extras = &idx.site.extras;
        let favicon = extras
            .favicon
            .clone()
            .unwrap_or_else(|| "favicon.svg".to_string());
        let favicon_type = match favicon.rsplit('.').next().map(str::to_ascii_lowercase) {
            Some(e) if e == "ico" => "image/x-icon",
            Some(e) if e == "png" => "image/png",
            _ => "image/svg+xml",
        };
        let footer = idx
            .nav
            .footer
            .get(lang)
            .into_iter()
            .flatten()
            .map(|l| match &l.target {
                LinkTarget::Page { out, fragment } => LinkCtx {
                    label: l.label.clone(),
                    href: if fragment.is_empty() {
                        idx.href(*out)
                    } else {
                        format!("{}#{fragment}", idx.href(*out))
                    },
                    external: false,
                },
                LinkTarget::External(href) => LinkCtx {
                    label: l.label.clone(),
                    href: href.clone(),
                    external: true,
                },
            })
            .collect();
        let mut f = FurnitureCtx {
            footer_html: Arc::from(""),
            side_html: Arc::from(""),
            phone_html: Arc::from(""),
            main_nav_html: Arc::from(""),
            search_html: Arc::from(""),
            logo: extras.logo.as_deref().map(|l| self.rel(l)),
            favicon: self.rel(&favicon),
            favicon_type,
            footer,
            section: None,
            prev: None,
            next: None,
            edit_url: None,
            last_updated: None,
            image_zoom: config.theme.image_zoom,
        };
        let Some(out) = out else { return f };
        // MkDocs' `hide: [navigation]` leaves the side menu out.
        let hidden = idx.pages[out].content.is_some_and(|c| {
            idx.site.pages[c]
                .front
                .hide
                .iter()
                .any(|h| h == "navigation")
        });
        if let Some(place) = idx.nav.place[out] {
            if let Some(s) = idx
                .nav
                .sections
                .get(lang)
                .and_then(|s| s.get(place.section))
            {
                if !hidden {
                    f.section = Some(self.section_ctx(s, out, place.ancestor));
                }
                if let Some(pos) = place.position {
                    let link = |o: usize| LinkCtx {
                        label: self.nav_label(s, o),
                        href: idx.href(o),
                        external: false,
                    };
                    f.prev = pos.checked_sub(1).map(|p| link(s.order[p]));
                    f.next = s.order.get(pos + 1).map(|&o| link(o));
                }
            }
        }
        if let Some(c) = idx.pages[out].content {
            let p = &idx.site.pages[c];
            if let (Some(repo), Some(edit)) = (&config.repo_url, &config.edit_uri) {
                f.edit_url = Some(format!(
                    "{}/{}{}",
                    repo.trim_end_matches('/'),
                    edit.trim_start_matches('/'),
                    encode_url_path(&p.content_path)
                ));
            }
            if let Some(&(secs, offset)) = extras.last_changed.get(&p.content_path) {
                let strings = idx.site.theme.strings(lang);
                let (y, m, d) = civil_date(secs + i64::from(offset) * 60);
                let months = strings.get("furniture.months");
                let month = months.split_whitespace().nth(m as usize - 1).unwrap_or("");
                f.last_updated = Some(Updated {
                    iso: format!("{y:04}-{m:02}-{d:02}"),
                    text: strings
                        .get("furniture.last_updated")
                        .replace("{date}", &format!("{d} {month} {y}")),
                });
            }
        }
        f
    }

    /// A page's label in a side menu: the configured one, else its title.
    fn nav_label(&self, s: &Section, out: usize) -> String {
        fn find(nodes: &[Node], out: usize) -> Option<&str> {
            nodes.iter().find_map(|n| match n {
                Node::Page {
                    out: o,
                    label: Some(l),
                } if *o == out => Some(l.as_str()),
                Node::Group { items, .. } => find(items, out),
                _ => None,
            })
        }
        find(&s.items, out)
            .map(str::to_string)
            .unwrap_or_else(|| self.idx.pages[out].title.clone())
    }

    fn section_ctx(&self, s: &Section, out: usize, ancestor: Option<usize>) -> SectionCtx {
        let item = |n: &Node, nested: bool| -> Option<ItemCtx> {
            match n {
                Node::Page { out: o, .. } => {
                    // The section's own page heads the menu.
                    (Some(*o) != s.target).then(|| ItemCtx {
                        label: self.nav_label(s, *o),
                        href: self.idx.href(*o),
                        current: *o == out,
                        ancestor: Some(*o) == ancestor,
                        external: false,
                        items: Vec::new(),
                    })
                }
                Node::External { label, href } => Some(ItemCtx {
                    label: label.clone(),
                    href: href.clone(),
                    current: false,
                    ancestor: false,
                    external: true,
                    items: Vec::new(),
                }),
                Node::Group { label, items } if !nested => Some(ItemCtx {
                    label: label.clone(),
                    href: String::new(),
                    current: false,
                    ancestor: false,
                    external: false,
                    items: flatten(items)
                        .into_iter()
                        .filter(|&o| Some(o) != s.target)
                        .map(|o| ItemCtx {
                            label: self.nav_label(s, o),
                            href: self.idx.href(o),
                            current: o == out,
                            ancestor: Some(o) == ancestor,
                            external: false,
                            items: Vec::new(),
                        })
                        .collect(),
                }),
                Node::Group { .. } => None,
            }
        };
        SectionCtx {
            label: s.label.clone(),
            href: s.target.map(|t| self.idx.href(t)),
            current: s.target == Some(out),
            items: s.items.iter().filter_map(|n| item(n, false)).collect(),
        }
    }
}

/// The terms of taxonomy `t` worth showing of a page that carries `slugs`,
/// and whether it carries every term. For an AI-Act taxonomy
/// `niet-van-toepassing` says nothing and is left out, and a page with
/// every other term is not narrowed by the taxonomy at all (the
/// applicability rules read it so): then no term is listed and the flag
/// is set, so the taxonomy shows as "all". Other taxonomies keep every term.
pub(super) fn meaningful_terms<'a>(
    t: &crate::config::TaxonomyConfig,
    slugs: impl Iterator<Item = &'a str>,
) -> (Vec<&'a str>, bool) {
    let slugs: Vec<&str> = slugs.collect();
    if !t.ai_act {
        return (slugs, false);
    }
    let na = kader_classify::profile::NOT_APPLICABLE;
    let kept: Vec<&str> = slugs.into_iter().filter(|s| *s != na).collect();
    let real: Vec<&str> = t
        .terms
        .iter()
        .map(|x| x.slug.as_str())
        .filter(|s| *s != na)
        .collect();
    let all = real.len() > 1 && real.iter().all(|r| kept.contains(r));
    if all {
        (Vec::new(), true)
    } else {
        (kept, false)
    }
}

/// The output pages of nested nodes, in order.
fn flatten(nodes: &[Node]) -> Vec<usize> {
    let mut out = Vec::new();
    for n in nodes {
        match n {
            Node::Page { out: o, .. } => out.push(*o),
            Node::Group { items, .. } => out.extend(flatten(items)),
            Node::External { .. } => {}
        }
    }
    out
}

/// (year, month, day) of a time in seconds since 1970-01-01 (proleptic
/// Gregorian calendar; H. Hinnant's days-to-civil algorithm).
fn civil_date(secs: i64) -> (i64, u32, u32) {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn dates_from_seconds() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_741_046_400), (2025, 3, 4));
        assert_eq!(civil_date(-86_400), (1969, 12, 31));
    }
}
