//! The spreadsheets of the knowledge base, per language: `kennisbank.xlsx`
//! and `kennisbank.ods` (one sheet per collection), the checklist of
//! "Vereisten voor jou" (`<profile_path>/checklist.xlsx` and `.ods`) and
//! `kennisbank-export.json`, the same rows as data for the browser's
//! "Exporteer" menu (static/kader-export.js), which writes the rows a
//! visitor sees with the same code (crates/export through
//! kader-export.wasm).

use super::OutputFile;
use crate::config::FieldKind;
use crate::index::{is_index_page, short_id, SiteIndex};
use crate::parse::escape::encode_url_path;
use kader_export::{About, Book, Catalog, Cell, Checklist, Column, Link, Row, Sheet};

/// File names, below the language's folder.
pub const XLSX: &str = "kennisbank.xlsx";
pub const ODS: &str = "kennisbank.ods";
pub const DATA: &str = "kennisbank-export.json";
pub const CHECKLIST_XLSX: &str = "checklist.xlsx";
pub const CHECKLIST_ODS: &str = "checklist.ods";

/// Whether `path` is one of the files written here.
pub fn is_spreadsheet(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, XLSX | ODS | DATA | CHECKLIST_XLSX | CHECKLIST_ODS)
}

/// Where the checklist of `lang` goes (beside "Vereisten voor jou"), when
/// the site has that page.
pub fn checklist_dir(idx: &SiteIndex, lang: &str) -> Option<String> {
    let config = &idx.site.config;
    let path = format!(
        "{}{}/",
        config.lang_dir(lang),
        config.decision_aid.profile_path
    );
    idx.by_path.contains_key(&path).then_some(path)
}

/// The paths [`files`] writes, without making the files: what a check of
/// the links to them needs.
pub fn paths(idx: &SiteIndex) -> Vec<String> {
    let config = &idx.site.config;
    let mut out = Vec::new();
    for lang in config.language_codes() {
        let dir = config.lang_dir(lang);
        out.push(format!("{dir}{XLSX}"));
        out.push(format!("{dir}{ODS}"));
        if let Some(cdir) = checklist_dir(idx, lang).filter(|_| has_checklist(idx)) {
            out.push(format!("{cdir}{CHECKLIST_XLSX}"));
            out.push(format!("{cdir}{CHECKLIST_ODS}"));
        }
        out.push(format!("{dir}{DATA}"));
    }
    out
}

/// Whether the site's catalog has a checklist (given "Vereisten voor jou"
/// in the language): the site has AI-Act taxonomies and the decision
/// aid's overview collection.
fn has_checklist(idx: &SiteIndex) -> bool {
    let config = &idx.site.config;
    !crate::index::ai_act::taxonomies(config).is_empty()
        && config
            .collections
            .contains_key(&config.decision_aid.overview)
}

/// Every language's spreadsheets and export data, each file handed to
/// `put` as soon as it is made (a large site's take tens of megabytes
/// each), and what `put` gave back. A book that cannot be written (which
/// only a failing writer in memory could cause) is left out.
pub(super) fn files(idx: &SiteIndex, put: &super::PutFiles) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let date = today();
    let one = |path: String, bytes: Vec<u8>| {
        put(vec![OutputFile {
            path,
            bytes: bytes.into(),
        }])
    };
    // A book as a workbook and a spreadsheet, made side by side.
    let both = |book: &kader_export::Book, xlsx: String, ods: String| -> Vec<OutputFile> {
        let (x, o) = rayon::join(
            || kader_export::xlsx(book).map(|b| one(xlsx, b)),
            || kader_export::ods(book).map(|b| one(ods, b)),
        );
        x.into_iter().chain(o).flatten().collect()
    };
    for lang in idx.site.config.language_codes() {
        let mut catalog = catalog(idx, lang, &date);
        let dir = idx.site.config.lang_dir(lang);
        // The data first: the books below are written from the catalog's
        // own sheets, without copies, and the checklist is taken out of it.
        let data = one(format!("{dir}{DATA}"), export_data(&catalog));
        // The full book is the catalog's book as it is (what `select` with
        // the default selection gives).
        let full = &catalog.book;
        out.extend(both(full, format!("{dir}{XLSX}"), format!("{dir}{ODS}")));
        // The checklist is written once the catalog's book is dropped.
        let (checklist, book_lang) = (catalog.checklist.take(), catalog.book.lang.clone());
        drop(catalog);
        if let (Some(cdir), Some(checklist)) = (checklist_dir(idx, lang), checklist) {
            let book = checklist.into_book(&book_lang);
            out.extend(both(
                &book,
                format!("{cdir}{CHECKLIST_XLSX}"),
                format!("{cdir}{CHECKLIST_ODS}"),
            ));
        }
        out.extend(data);
    }
    out
}

/// `kennisbank-export.json`: the catalog as JSON, written into a buffer
/// sized from the catalog's rows, so that it is not grown and copied step
/// by step. A row takes ~600 bytes on the real knowledge base (~350 on
/// generated pages); room reserved and not written is never touched.
fn export_data(catalog: &Catalog) -> Vec<u8> {
    let rows: usize = catalog
        .book
        .sheets
        .iter()
        .chain(catalog.checklist.as_ref().map(|c| &c.sheet))
        .map(|s| s.flat_rows().len())
        .sum();
    let mut data = Vec::with_capacity(rows.saturating_mul(640));
    if serde_json::to_writer(&mut data, catalog).is_err() {
        data.clear();
    }
    data
}

/// The date of the build (UTC), `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` (seconds)
/// when set, for reproducible output.
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    civil_date(secs.div_euclid(86_400))
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Builds the sheets of one language.
struct Builder<'a> {
    idx: &'a SiteIndex,
    lang: &'a str,
    strings: &'a crate::theme::Strings,
}

impl Builder<'_> {
    fn t(&self, key: &str) -> String {
        self.strings.get(key)
    }

    fn label<'b>(&self, l: &'b crate::config::Localized) -> &'b str {
        l.get(self.lang, &self.idx.site.config.default_language)
    }

    /// The absolute URL of content page `c`.
    fn url(&self, c: usize) -> String {
        let config = &self.idx.site.config;
        self.idx.out_of_content[c]
            .map(|o| {
                format!(
                    "{}{}",
                    config.base_url,
                    encode_url_path(&self.idx.pages[o].path)
                )
            })
            .unwrap_or_default()
    }

    fn title_cell(&self, c: usize) -> Cell {
        Cell::link(self.idx.site.pages[c].title(), self.url(c))
    }

    fn id(&self, c: usize) -> String {
        let p = &self.idx.site.pages[c];
        p.front
            .id
            .as_ref()
            .map(|i| short_id(&i.value).to_string())
            .unwrap_or_default()
    }

    /// The summary a table row shows (`toelichting`, else `summary`).
    fn summary(&self, c: usize) -> String {
        let p = &self.idx.site.pages[c];
        p.front
            .strings
            .get("toelichting")
            .or(p.front.summary.as_ref())
            .cloned()
            .unwrap_or_default()
    }

    /// The labels of the page's terms of `tax`, as the tables' chips show them.
    fn terms(&self, c: usize, tax: &str) -> String {
        let t = &self.idx.site.config.taxonomies[tax];
        self.idx.site.pages[c]
            .front
            .term_slugs(tax)
            .filter_map(|s| t.term(s))
            .map(|term| self.label(&term.label).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// One sheet per collection: id, title, summary, the taxonomies (the
    /// overview's columns first, then every other one its pages carry) and
    /// the reference fields as links.
    fn collection(&self, name: &str) -> Sheet {
        let idx = self.idx;
        let config = &idx.site.config;
        let coll = &config.collections[name];
        let rows: Vec<(usize, bool)> = idx
            .collection_pages(name, self.lang)
            .iter()
            .copied()
            .filter(|&(c, _)| !is_index_page(&idx.site.pages[c]))
            .collect();
        let mut taxonomies: Vec<&str> = coll
            .columns
            .iter()
            .filter(|t| config.taxonomies.contains_key(*t))
            .map(String::as_str)
            .collect();
        for t in config.taxonomies.keys() {
            if !taxonomies.contains(&t.as_str())
                && rows
                    .iter()
                    .any(|&(c, _)| idx.site.pages[c].front.term_slugs(t).next().is_some())
            {
                taxonomies.push(t);
            }
        }
        let refs: Vec<(&str, &str)> = coll
            .fields
            .iter()
            .filter(|(_, f)| f.kind == FieldKind::Refs)
            .filter_map(|(field, f)| Some((field.as_str(), f.collection.as_deref()?)))
            .filter(|(_, target)| config.collections.contains_key(*target))
            .collect();
        let mut columns = vec![
            Column {
                width: Some(14),
                ..Column::new(self.t("id"))
            },
            Column {
                width: Some(50),
                ..Column::new(self.t("title"))
            },
            Column {
                width: Some(60),
                ..Column::new(self.t("export.summary"))
            },
        ];
        columns.extend(
            taxonomies
                .iter()
                .map(|t| Column::new(self.label(&config.taxonomies[*t].label))),
        );
        columns.extend(refs.iter().map(|(_, target)| Column {
            width: Some(45),
            ..Column::new(self.label(&config.collections[*target].label))
        }));
        let rows = rows
            .iter()
            .map(|&(c, _)| {
                let mut cells = vec![
                    Cell::Text(self.id(c)),
                    self.title_cell(c),
                    Cell::Text(self.summary(c)),
                ];
                cells.extend(taxonomies.iter().map(|t| Cell::Text(self.terms(c, t))));
                for (field, _) in &refs {
                    let links: Vec<Link> = idx.refs[c]
                        .get(*field)
                        .into_iter()
                        .flatten()
                        .filter_map(|&g| idx.in_lang(g, self.lang))
                        .filter(|&(r, _)| idx.out_of_content[r].is_some())
                        .map(|(r, _)| {
                            let id = self.id(r);
                            let title = idx.site.pages[r].title();
                            Link {
                                text: if id.is_empty() {
                                    title
                                } else {
                                    format!("{id}: {title}")
                                },
                                url: self.url(r),
                            }
                        })
                        .collect();
                    cells.push(if links.is_empty() {
                        Cell::default()
                    } else {
                        Cell::Links(links)
                    });
                }
                Row {
                    key: c.to_string(),
                    cells,
                    children: Vec::new(),
                }
            })
            .collect();
        Sheet {
            id: name.to_string(),
            name: self.label(&coll.label).to_string(),
            columns,
            rows,
        }
    }

    /// The explanation lines every book of this language starts with.
    fn about(&self, title: String, date: &str, notes: Vec<String>) -> About {
        let config = &self.idx.site.config;
        let mut lines = vec![
            [
                self.t("export.source"),
                format!("{}{}", config.base_url, config.lang_dir(self.lang)),
            ],
            [self.t("export.date"), date.to_string()],
            [
                self.t("export.version"),
                format!("kader {}", env!("CARGO_PKG_VERSION")),
            ],
        ];
        if let Some(l) = &config.licence {
            lines.push([self.t("export.licence"), self.label(l).to_string()]);
        }
        About {
            name: self.t("export.about"),
            title,
            lines,
            notes,
        }
    }

    /// "Vereisten voor jou" as a checklist: each requirement (grouped by
    /// the grouping taxonomy, each once, under its first term) with the
    /// measures that serve it beneath, and status, owner and notes columns.
    fn checklist(&self, date: &str) -> Option<Checklist> {
        let idx = self.idx;
        let config = &idx.site.config;
        let overview = config.decision_aid.overview.as_str();
        let coll = config.collections.get(overview)?;
        let group_by = config
            .decision_aid
            .group_by
            .as_deref()
            .filter(|t| config.taxonomies.contains_key(*t));
        let singular = |name: &str| {
            let c = &config.collections[name];
            self.label(c.singular.as_ref().unwrap_or(&c.label))
                .to_string()
        };
        let choices: Vec<String> = self
            .t("export.status_choices")
            .split('|')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let first = choices.first().cloned().unwrap_or_default();
        let group_label = group_by
            .map(|t| self.label(&config.taxonomies[t].label).to_string())
            .unwrap_or_else(|| self.label(&coll.label).to_string());
        let columns = vec![
            Column::new(self.t("export.kind")),
            Column {
                width: Some(14),
                ..Column::new(self.t("id"))
            },
            Column {
                width: Some(60),
                ..Column::new(self.t("title"))
            },
            Column::new(group_label),
            Column {
                choices,
                ..Column::new(self.t("export.status"))
            },
            Column {
                width: Some(20),
                ..Column::new(self.t("export.owner"))
            },
            Column {
                width: Some(40),
                ..Column::new(self.t("export.notes"))
            },
        ];
        let measure_fields = config.fields_naming(overview);
        let row = |c: usize, kind: String, group: String, children: Vec<Row>| Row {
            key: c.to_string(),
            cells: vec![
                Cell::Text(kind),
                Cell::Text(self.id(c)),
                self.title_cell(c),
                Cell::Text(group),
                Cell::Text(first.clone()),
                Cell::default(),
                Cell::default(),
            ],
            children,
        };
        // Requirements by group: the grouping taxonomy's terms in order,
        // then those without a term.
        let pages: Vec<usize> = idx
            .collection_pages(overview, self.lang)
            .iter()
            .map(|r| r.0)
            .filter(|&c| !is_index_page(&idx.site.pages[c]))
            .collect();
        let terms = group_by
            .map(|t| config.taxonomies[t].terms.as_slice())
            .unwrap_or_default();
        let place = |c: usize| -> usize {
            let carried: Vec<&str> = group_by
                .map(|t| idx.site.pages[c].front.term_slugs(t).collect())
                .unwrap_or_default();
            terms
                .iter()
                .position(|t| carried.contains(&t.slug.as_str()))
                .unwrap_or(terms.len())
        };
        let mut ordered: Vec<(usize, usize)> = pages.iter().map(|&c| (place(c), c)).collect();
        ordered.sort_by_key(|&(g, _)| g);
        let rows = ordered
            .into_iter()
            .map(|(g, c)| {
                let group = terms
                    .get(g)
                    .map(|t| self.label(&t.label).to_string())
                    .unwrap_or_else(|| self.t("profile_other"));
                let group_id = idx.group_of[c];
                let mut seen = std::collections::BTreeSet::new();
                let mut measures: Vec<usize> = measure_fields
                    .iter()
                    .flat_map(|f| idx.referenced_by.get(f, group_id))
                    .filter_map(|&m| {
                        let mg = idx.group_of[m];
                        seen.insert(mg)
                            .then(|| idx.in_lang(mg, self.lang))
                            .flatten()
                    })
                    .map(|(m, _)| m)
                    .filter(|&m| idx.out_of_content[m].is_some())
                    .collect();
                measures.sort_by(|a, b| idx.site.pages[*a].slug().cmp(idx.site.pages[*b].slug()));
                let children = measures
                    .into_iter()
                    .map(|m| {
                        let kind = idx.site.pages[m]
                            .collection
                            .as_deref()
                            .map(singular)
                            .unwrap_or_default();
                        row(m, kind, group.clone(), Vec::new())
                    })
                    .collect();
                row(c, singular(overview), group, children)
            })
            .collect();
        let title = format!("{}: {}", config.title, self.t("profile_title"));
        Some(Checklist {
            title: title.clone(),
            about: self.about(
                title,
                date,
                vec![
                    self.t("export.note_checklist"),
                    self.t("export.note_filter"),
                    self.t("export.note_links"),
                ],
            ),
            sheet: Sheet {
                id: "checklist".into(),
                name: self.t("export.checklist"),
                columns,
                rows,
            },
        })
    }
}

/// Everything of `lang` that can be exported, as of `date`.
pub fn catalog(idx: &SiteIndex, lang: &str, date: &str) -> Catalog {
    let config = &idx.site.config;
    let b = Builder {
        idx,
        lang,
        strings: idx.site.theme.strings(lang),
    };
    let title = format!("{}: {}", config.title, b.t("export.kennisbank"));
    let sheets = config.collections.keys().map(|c| b.collection(c)).collect();
    let has_profile = has_checklist(idx) && checklist_dir(idx, lang).is_some();
    Catalog {
        book: Book {
            title: title.clone(),
            lang: lang.to_string(),
            about: b.about(
                title,
                date,
                vec![b.t("export.note_filter"), b.t("export.note_links")],
            ),
            sheets,
        },
        checklist: if has_profile { b.checklist(date) } else { None },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(19_723), "2024-01-01");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
        assert_eq!(super::civil_date(-1), "1969-12-31");
    }
}
