//! Stage 3b, directives: HTML comments such as `<!-- tags -->` or
//! `<!-- list_maatregelen vereiste/x -->` that generated content replaces.
//!
//! Each kind of directive is one file here and one template in
//! `templates/partials/`. A kind ([`Kind`]) says which names it answers to,
//! checks a call's arguments and resolves it against the index into a
//! [`Directive`]; that value says which content pages it shows (so `serve`
//! knows what to render again), which template draws it and what the
//! template sees. The parse stage only recognises calls by name; this stage
//! runs after the index and before render.
//!
//! Adding a kind: a new file with a type implementing [`Kind`], its
//! template, and one line in [`KINDS`].

pub mod decision_tree;
mod list;
mod list_referenced;
mod tags;

pub use list::ListQuery;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::index::SiteIndex;
use crate::parse::directive::{DirectiveArg, DirectiveCall};
use crate::parse::ParsedPage;
use rayon::prelude::*;
use std::collections::HashMap;

/// Every kind of directive, in the order their names are listed in hints.
const KINDS: &[&dyn Kind] = &[
    &tags::Tags,
    &list::List,
    &list_referenced::ListReferenced,
    &decision_tree::DecisionTree,
];

/// A kind of directive.
pub trait Kind: Sync {
    /// The names this kind answers to under `config` (`tags`,
    /// `list_vereisten` for each collection, …).
    fn names(&self, config: &SiteConfig) -> Vec<String>;

    /// Checks the call's arguments and resolves it against the index.
    /// Problems go to `diags`; `None` renders nothing.
    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>>;
}

/// A resolved directive: what it shows and how it is drawn.
pub trait Directive: std::fmt::Debug + Send + Sync {
    /// The content pages whose text, title or terms the output shows.
    fn shows(&self) -> Shows;

    /// The template (under `templates/`) that draws it.
    fn template(&self) -> &'static str;

    /// Fills the template's context. `ctx` already holds the UI strings.
    fn context(&self, env: &dyn Env, ctx: &mut tera::Context, diags: &mut Diagnostics);

    /// Whether it is a table of pages (a generated page that holds one
    /// does not add its own).
    fn is_list(&self) -> bool {
        false
    }

    /// Whether its template needs every UI string, not only the few that
    /// the list and tag partials use.
    fn needs_all_strings(&self) -> bool {
        false
    }
}

/// Which content pages a directive's output depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shows {
    /// Only the page it is on.
    Nothing,
    /// These content pages.
    Pages(Vec<usize>),
    /// Something of every page.
    All,
}

/// What a directive's template context can ask of the renderer.
pub trait Env {
    /// The index being rendered.
    fn index(&self) -> &SiteIndex;
    /// The language of the page being rendered.
    fn lang(&self) -> &str;
    /// The content page the directive is on.
    fn page(&self) -> usize;
    /// The page's taxonomy terms as chip groups (only the AI-Act ones, or
    /// only the others).
    fn tags(&self, ai_act: bool) -> tera::Value;
    /// The context of `partials/list.html` for a table of `q` (each table
    /// of a page gets its own element id).
    fn list(&self, q: &ListQuery, diags: &mut Diagnostics) -> tera::Value;
    /// The URL of an output path (with the base path).
    fn url(&self, path: &str) -> String;
}

/// One call being resolved: the index, the page it is on and the call.
pub struct Call<'a> {
    pub idx: &'a SiteIndex,
    /// The content page (index into `ParsedSite::pages`).
    pub page: usize,
    pub call: &'a DirectiveCall,
}

impl Call<'_> {
    pub fn page(&self) -> &ParsedPage {
        &self.idx.site.pages[self.page]
    }

    pub fn config(&self) -> &SiteConfig {
        &self.idx.site.config
    }

    /// A problem with one argument.
    pub fn arg_problem(
        &self,
        code: Code,
        arg: &DirectiveArg,
        msg: String,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic::at(code, &self.page().source, arg.span.start, arg.span.end, msg)
            .with_hint_opt(hint)
    }

    /// A problem with the call as a whole (at its name).
    pub fn problem(&self, code: Code, msg: String) -> Diagnostic {
        let span = &self.call.name_span;
        Diagnostic::at(code, &self.page().source, span.start, span.end, msg)
    }

    /// Reports every argument: the kind takes none.
    pub fn no_arguments(&self, diags: &mut Diagnostics) {
        for a in &self.call.args {
            diags.push(self.arg_problem(
                Code::DirectiveArgument,
                a,
                format!(
                    "directive `{}` takes no arguments, but has `{}`",
                    self.call.name, a.text
                ),
                Some("remove the argument".into()),
            ));
        }
    }
}

/// The directive names valid under `config`, for the parse stage.
pub fn names(config: &SiteConfig) -> Vec<String> {
    KINDS.iter().flat_map(|k| k.names(config)).collect()
}

/// The directives of one page, parallel to `body.directives` (`None`:
/// invalid or unpublished; nothing is rendered).
pub type PageDirectives = Vec<Option<Box<dyn Directive>>>;

/// Every page's directives, resolved.
#[derive(Debug, Default)]
pub struct Directives {
    /// Content page index → its directives.
    pub pages: Vec<PageDirectives>,
    /// Content page index → the problems its directives reported, kept for
    /// [`resolve_changed`].
    problems: Vec<Diagnostics>,
}

impl Directives {
    /// The resolved directive `n` of content page `c`.
    pub fn get(&self, c: usize, n: usize) -> Option<&dyn Directive> {
        self.pages.get(c)?.get(n)?.as_deref()
    }

    /// The resolved directives of content page `c`.
    pub fn of(&self, c: usize) -> impl Iterator<Item = &dyn Directive> {
        self.pages
            .get(c)
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_deref())
    }
}

/// Resolves every directive of every published page.
pub fn resolve(idx: &SiteIndex, diags: &mut Diagnostics) -> Directives {
    let by_name = kinds_by_name(&idx.site.config);
    let (pages, problems): (Vec<_>, Vec<_>) = (0..idx.site.pages.len())
        .into_par_iter()
        .map(|i| resolve_page(idx, &by_name, i))
        .unzip();
    report(&problems, diags);
    Directives { pages, problems }
}

/// Resolves the directives of the `changed` content pages again and takes
/// every other page's from `previous`, with the problems they reported.
/// Correct only when the changed pages changed nothing a directive reads of
/// the site: their bodies and titles may differ, not their place in the
/// site, their terms or their references (the caller checks). A `previous`
/// of another site (another number of pages) is resolved again in full.
pub fn resolve_changed(
    idx: &SiteIndex,
    previous: Directives,
    changed: &std::collections::BTreeSet<usize>,
    diags: &mut Diagnostics,
) -> Directives {
    let n = idx.site.pages.len();
    if previous.pages.len() != n || previous.problems.len() != n {
        return resolve(idx, diags);
    }
    let by_name = kinds_by_name(&idx.site.config);
    let Directives {
        mut pages,
        mut problems,
    } = previous;
    for &c in changed.iter().filter(|&&c| c < n) {
        (pages[c], problems[c]) = resolve_page(idx, &by_name, c);
    }
    report(&problems, diags);
    Directives { pages, problems }
}

/// Directive name → its kind.
fn kinds_by_name(config: &SiteConfig) -> HashMap<String, &'static dyn Kind> {
    KINDS
        .iter()
        .flat_map(|k| k.names(config).into_iter().map(move |n| (n, *k)))
        .collect()
}

/// The directives of content page `i` and the problems they report.
fn resolve_page(
    idx: &SiteIndex,
    by_name: &HashMap<String, &'static dyn Kind>,
    i: usize,
) -> (PageDirectives, Diagnostics) {
    let mut d = Diagnostics::new();
    let published = idx.out_of_content[i].is_some();
    let resolved = idx.site.pages[i]
        .body
        .directives
        .iter()
        .map(|call| {
            let kind = by_name.get(&call.name).filter(|_| published)?;
            kind.resolve(&Call { idx, page: i, call }, &mut d)
        })
        .collect();
    (resolved, d)
}

/// Adds the pages' problems to `diags`, in page order.
fn report(problems: &[Diagnostics], diags: &mut Diagnostics) {
    for d in problems.iter().filter(|d| !d.is_empty()) {
        diags.extend(d.clone());
    }
}
