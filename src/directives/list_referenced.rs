//! `<!-- list_<A>_on_<B>_page -->`: on a page of collection B, the pages of
//! collection A that its reference field names (on a measure: the
//! requirements it serves). Exists for every B with a reference field to A.

use super::list::{apply_flags, empty_warning};
use super::{Call, Directive, Kind};
use crate::config::{FieldKind, SiteConfig};
use crate::diagnostics::{Code, Diagnostics};
use crate::parse::directive::DirectiveArg;

pub struct ListReferenced;

/// (name, listed collection A, collection B) for every pair the
/// configuration allows.
fn pairs(config: &SiteConfig) -> impl Iterator<Item = (String, &str, &str)> {
    config.collections.keys().flat_map(move |name| {
        config
            .collections
            .iter()
            .filter(move |(_, ocoll)| {
                ocoll
                    .fields
                    .values()
                    .any(|f| f.kind == FieldKind::Refs && f.collection.as_deref() == Some(name))
            })
            .map(move |(other, _)| {
                (
                    format!("list_{name}_on_{other}_page"),
                    name.as_str(),
                    other.as_str(),
                )
            })
    })
}

impl Kind for ListReferenced {
    fn names(&self, config: &SiteConfig) -> Vec<String> {
        pairs(config).map(|(n, _, _)| n).collect()
    }

    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>> {
        let (idx, page, call) = (at.idx, at.page(), at.call);
        let config = at.config();
        let (_, collection, on) = pairs(config).find(|(n, _, _)| *n == call.name)?;
        let flags: Vec<&DirectiveArg> = call.args.iter().collect();
        let mut query = apply_flags(at, collection, &flags, diags)?;
        // The page's own reference field to `collection` (on a page of `on`
        // as the name says, or on any page whose collection names
        // `collection`, as tools do).
        let own = page.collection.as_deref().unwrap_or(on);
        let field = config
            .collections
            .get(own)
            .and_then(|c| {
                c.fields.iter().find(|(_, f)| {
                    f.kind == FieldKind::Refs && f.collection.as_deref() == Some(collection)
                })
            })
            .map(|(n, _)| n.clone());
        let Some(field) = field else {
            diags.push(
                at.problem(
                    Code::DirectiveArgument,
                    format!(
                        "`{}` lists the pages of `{collection}` this page refers to, but this page has no such field",
                        call.name
                    ),
                )
                .with_hint(format!(
                    "use it on pages of `{on}`, or use `list_{collection}` with a filter"
                )),
            );
            return None;
        };
        let mut rows: Vec<(usize, bool)> = idx.refs[at.page]
            .get(&field)
            .into_iter()
            .flatten()
            .filter_map(|&g| idx.in_lang(g, &page.lang))
            .filter(|&(c, _)| idx.out_of_content[c].is_some())
            .collect();
        rows.sort_by(|a, b| idx.site.pages[a.0].slug().cmp(idx.site.pages[b.0].slug()));
        query.rows = rows;
        empty_warning(at, &query, diags);
        Some(Box::new(query))
    }
}
