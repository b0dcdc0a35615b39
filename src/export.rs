//! `kader export`: the site's spreadsheets on the command line, narrowed by
//! terms, with the same rows and the same writer as the build's files and
//! the browser's "Exporteer" menu.

use crate::decide::UsageError;
use crate::index::SiteIndex;
use crate::render::spreadsheets::{catalog, today};
use kader_classify::Profile;
use std::collections::{BTreeMap, HashSet};

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
    Json,
}

impl Format {
    /// Whether the format is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Ods)
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// `taxonomy/term`: terms of AI-Act taxonomies form a profile (what
    /// applies to it is kept, by the rules of "Vereisten voor jou"); other
    /// terms keep the pages carrying them (several terms of one taxonomy:
    /// any of them).
    pub terms: Vec<String>,
    /// The language (default: the site's default language).
    pub lang: Option<String>,
    /// The checklist of "Vereisten voor jou" instead of the collections.
    pub checklist: bool,
}

fn quoted(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The exported file's bytes.
pub fn export(idx: &SiteIndex, opts: &ExportOptions) -> Result<Vec<u8>, UsageError> {
    let config = &idx.site.config;
    let lang = opts
        .lang
        .clone()
        .unwrap_or_else(|| config.default_language.clone());
    if !config.languages.contains_key(&lang) {
        return Err(UsageError(format!(
            "the site has no language `{lang}`; it has {}",
            quoted(config.language_codes().map(str::to_string))
        )));
    }
    let ai_act = crate::index::ai_act::taxonomies(config);
    let mut profile = Profile::default();
    let mut other: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &opts.terms {
        let Some((tax, term)) = t.split_once('/') else {
            return Err(UsageError(format!(
                "`{t}` is not `taxonomy/term`, e.g. `levenscyclus/ontwerp` or `rol-ai-act/aanbieder`"
            )));
        };
        let Some(taxonomy) = config.taxonomies.get(tax) else {
            let hint =
                kader_suggest::did_you_mean(tax, config.taxonomies.keys().map(String::as_str))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
            return Err(UsageError(format!(
                "`{tax}` is not a taxonomy{hint}; the taxonomies are {}",
                quoted(config.taxonomies.keys().cloned())
            )));
        };
        if taxonomy.term(term).is_none() {
            return Err(UsageError(format!(
                "`{term}` is not a term of `{tax}`; its terms are {}",
                quoted(taxonomy.terms.iter().map(|x| x.slug.clone()))
            )));
        }
        if ai_act.contains(&tax) {
            profile
                .terms
                .entry(tax.to_string())
                .or_default()
                .insert(term.to_string());
        } else {
            other
                .entry(tax.to_string())
                .or_default()
                .push(term.to_string());
        }
    }
    if opts.checklist && crate::render::spreadsheets::checklist_dir(idx, &lang).is_none() {
        return Err(UsageError(
            "the site has no \"Vereisten voor jou\" (no AI-Act taxonomies), so no checklist".into(),
        ));
    }

    let catalog = catalog(idx, &lang, &today());
    let mut selection = kader_export::Selection {
        checklist: opts.checklist,
        ..Default::default()
    };
    if !opts.terms.is_empty() {
        let kept = kept_pages(idx, &lang, &profile, &other);
        let rows: Vec<&kader_export::Row> = if opts.checklist {
            catalog
                .checklist
                .iter()
                .flat_map(|c| c.sheet.flat_rows())
                .map(|(r, _)| r)
                .collect()
        } else {
            catalog
                .book
                .sheets
                .iter()
                .flat_map(|s| s.rows.iter())
                .collect()
        };
        let mut keys: Vec<String> = rows
            .into_iter()
            .map(|r| r.key.clone())
            .filter(|k| k.parse().is_ok_and(|c: usize| kept.contains(&c)))
            .collect();
        let mut seen = HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        selection.keys = Some(keys);
        let strings = idx.site.theme.strings(&lang);
        let dl = config.default_language.as_str();
        let mut by_tax: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for t in &opts.terms {
            if let Some((tax, term)) = t.split_once('/') {
                let taxonomy = &config.taxonomies[tax];
                if let Some(x) = taxonomy.term(term) {
                    by_tax
                        .entry(tax)
                        .or_default()
                        .push(x.label.get(&lang, dl).to_string());
                }
            }
        }
        for (tax, labels) in by_tax {
            let label = config.taxonomies[tax].label.get(&lang, dl).to_string();
            let name = if ai_act.contains(&tax) {
                format!("{} › {label}", strings.get("export.profile"))
            } else {
                format!("{} › {label}", strings.get("export.filters"))
            };
            selection.filters.push([name, labels.join(", ")]);
        }
    }
    let book = kader_export::select(&catalog, &selection);
    let bytes = match opts.format {
        Format::Xlsx => kader_export::xlsx(&book),
        Format::Ods => kader_export::ods(&book),
        Format::Csv => Ok(kader_export::csv(&book).into_bytes()),
        Format::Json => Ok(serde_json::to_vec_pretty(&book).unwrap_or_default()),
    };
    bytes.map_err(|e| UsageError(e.to_string()))
}

/// The content pages of `lang` that apply to `profile` and carry the
/// `other` terms. A page of a collection that names pages of the overview
/// collection (a measure) applies only when one of those applies too,
/// unless it names none.
fn kept_pages(
    idx: &SiteIndex,
    lang: &str,
    profile: &Profile,
    other: &BTreeMap<String, Vec<String>>,
) -> HashSet<usize> {
    let config = &idx.site.config;
    let overview = config.decision_aid.overview.as_str();
    let carries = |c: usize| {
        other.iter().all(|(tax, terms)| {
            idx.site.pages[c]
                .front
                .term_slugs(tax)
                .any(|s| terms.iter().any(|t| t == s))
        })
    };
    let applying = |collection: &str| idx.applying(profile, collection, lang);
    let requirements: HashSet<usize> = applying(overview).into_iter().collect();
    let groups: HashSet<usize> = requirements.iter().map(|&c| idx.group_of[c]).collect();
    let mut kept = HashSet::new();
    for (name, coll) in &config.collections {
        let fields: Vec<&str> = coll
            .fields
            .iter()
            .filter(|(_, f)| {
                f.kind == crate::config::FieldKind::Refs
                    && f.collection.as_deref() == Some(overview)
            })
            .map(|(n, _)| n.as_str())
            .collect();
        for c in applying(name) {
            let named: Vec<usize> = fields
                .iter()
                .filter_map(|f| idx.refs[c].get(*f))
                .flatten()
                .copied()
                .collect();
            let serves =
                name == overview || named.is_empty() || named.iter().any(|g| groups.contains(g));
            if serves && carries(c) {
                kept.insert(c);
            }
        }
    }
    kept
}
