//! Machine-readable exports of the knowledge base: `kennisbank.json` and
//! `kennisbank.csv`, with every page of every collection.

use super::OutputFile;
use crate::index::{is_index_page, short_id, SiteIndex};
use serde::Serialize;

#[derive(Serialize)]
struct Entry<'a> {
    collection: &'a str,
    lang: &'a str,
    title: String,
    url: String,
    id: Option<&'a str>,
    short_id: Option<&'a str>,
    toelichting: Option<&'a str>,
    terms: indexmap::IndexMap<&'a str, Vec<&'a str>>,
    refs: indexmap::IndexMap<&'a str, Vec<String>>,
}

pub const JSON_PATH: &str = "kennisbank.json";
pub const CSV_PATH: &str = "kennisbank.csv";

/// Both export files.
pub const PATHS: [&str; 2] = [JSON_PATH, CSV_PATH];

/// Whether `path` is one of the export files.
pub fn is_export(path: &str) -> bool {
    PATHS.contains(&path)
}

pub fn exports(idx: &SiteIndex) -> Vec<OutputFile> {
    let config = &idx.site.config;
    let mut entries = Vec::new();
    for (name, _) in &config.collections {
        for (i, p) in idx.site.pages.iter().enumerate() {
            if p.collection.as_deref() != Some(name.as_str()) || is_index_page(p) {
                continue;
            }
            let Some(out) = idx.out_of_content[i] else {
                continue;
            };
            let terms = config
                .taxonomies
                .keys()
                .filter_map(|t| {
                    let v: Vec<&str> = p.front.term_slugs(t).collect();
                    (!v.is_empty()).then_some((t.as_str(), v))
                })
                .collect();
            let refs = idx.refs[i]
                .iter()
                .map(|(field, groups)| {
                    let slugs = groups
                        .iter()
                        .filter_map(|&g| idx.in_lang(g, &config.default_language))
                        .map(|(c, _)| idx.site.pages[c].slug().to_string())
                        .collect();
                    (field.as_str(), slugs)
                })
                .collect();
            entries.push(Entry {
                collection: name,
                lang: &p.lang,
                title: p.title(),
                url: format!(
                    "{}{}",
                    config.base_url,
                    crate::parse::escape::encode_url_path(&idx.pages[out].path)
                ),
                id: p.front.id.as_ref().map(|l| l.value.as_str()),
                short_id: p.front.id.as_ref().map(|l| short_id(&l.value)),
                toelichting: p.front.strings.get("toelichting").map(String::as_str),
                terms,
                refs,
            });
        }
    }
    let json = serde_json::to_vec_pretty(&entries).unwrap_or_default();

    let taxonomies: Vec<&str> = config.taxonomies.keys().map(String::as_str).collect();
    let mut csv = String::new();
    let mut header = vec!["collection", "lang", "id", "title", "url", "toelichting"];
    header.extend(&taxonomies);
    push_row(&mut csv, header.iter().map(|s| s.to_string()));
    for e in &entries {
        let mut row = vec![
            e.collection.to_string(),
            e.lang.to_string(),
            e.id.unwrap_or_default().to_string(),
            e.title.clone(),
            e.url.clone(),
            e.toelichting.unwrap_or_default().to_string(),
        ];
        for t in &taxonomies {
            row.push(e.terms.get(t).map(|v| v.join("; ")).unwrap_or_default());
        }
        push_row(&mut csv, row.into_iter());
    }
    vec![
        OutputFile {
            path: JSON_PATH.into(),
            bytes: json.into(),
        },
        OutputFile {
            path: CSV_PATH.into(),
            bytes: csv.into_bytes().into(),
        },
    ]
}

/// One CSV row (RFC 4180 quoting), every cell neutralised by the same rule
/// as the spreadsheets ([`kader_export::clean`]): a cell that a spreadsheet
/// would run as a formula gets a leading `'`, control characters go.
fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let fields: Vec<String> = cells.map(|c| kader_export::csv_field(&c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut s = String::new();
        push_row(
            &mut s,
            [
                "=HYPERLINK(\"x\")".to_string(),
                "a,b".into(),
                "-1".into(),
                "ok".into(),
            ]
            .into_iter(),
        );
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",'-1,ok\r\n");
    }
}
