//! Writes a search index of a folder of Markdown pages, for testing the
//! browser module without a full `kader build` (the real index comes from
//! `kader build`, which parses Markdown properly; this reads it naively):
//!
//! ```sh
//! cargo run -q -p kader-wasm --example search_index -- CONTENT_DIR OUT_DIR [BASE_PATH]
//! ```
//!
//! Writes `OUT_DIR/nl/` and `OUT_DIR/en/` (`meta.bin`, chunks, fragments)
//! from `*.md` and `*.en.md`. Sections: one per `#` heading (anchor: the
//! heading slug) and one per list item ending in an Obsidian block id
//! (`… ^sysrisk`, anchor `^sysrisk`, heading: the item's bold term).

#[cfg(feature = "search")]
fn main() {
    use kader_search::{IndexBuilder, Language, PageInput, Section};
    use std::path::{Path, PathBuf};

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if name.ends_with(".md") {
                out.push(p);
            }
        }
    }

    fn slug(s: &str) -> String {
        let mut out = String::new();
        for c in s.to_lowercase().chars() {
            if c.is_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }

    /// Markdown inline syntax → plain text (links keep their text).
    fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("](") {
            let Some(j) = rest[i..].find(')') else { break };
            out.push_str(&rest[..i]);
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out.replace(['[', ']', '*', '`', '#'], "")
            .replace("<!-- tags -->", "")
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: search_index CONTENT_DIR OUT_DIR [BASE_PATH]");
        std::process::exit(2);
    }
    let (content, out) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    let base = args.get(2).map_or("/", String::as_str);
    let mut files = Vec::new();
    walk(&content, &mut files);
    for (lang, code) in [(Language::Nl, "nl"), (Language::En, "en")] {
        let mut b = IndexBuilder::new(lang);
        for f in &files {
            let rel = f
                .strip_prefix(&content)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let is_en = rel.ends_with(".en.md");
            if is_en != (code == "en") {
                continue;
            }
            let src = std::fs::read_to_string(f).unwrap_or_default();
            let (fm, body) = match src
                .strip_prefix("---\n")
                .and_then(|s| s.split_once("\n---\n"))
            {
                Some((fm, body)) => (fm, body),
                None => ("", src.as_str()),
            };
            let title = fm
                .lines()
                .find_map(|l| l.strip_prefix("title:"))
                .map(|t| t.trim().trim_matches('"').to_string())
                .unwrap_or_default();
            let stem = rel.trim_end_matches(".md").trim_end_matches(".en");
            let stem = stem.trim_end_matches("index").trim_end_matches('/');
            let mut url = String::from(base);
            if code == "en" {
                url.push_str("en/");
            }
            if !stem.is_empty() {
                url.push_str(stem);
                url.push('/');
            }
            let mut sections = vec![Section {
                heading: String::new(),
                anchor: String::new(),
                text: String::new(),
            }];
            for line in body.lines() {
                let t = line.trim();
                if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("### ")) {
                    let h = plain(h.split(" {").next().unwrap_or(h)).trim().to_string();
                    sections.push(Section {
                        anchor: slug(&h),
                        heading: h,
                        text: String::new(),
                    });
                } else if let Some((item, id)) = t
                    .strip_prefix("- ")
                    .and_then(|item| item.rsplit_once(" ^"))
                    .filter(|(_, id)| !id.is_empty() && !id.contains(' '))
                {
                    let term = item.split("**").nth(1).unwrap_or("").to_string();
                    sections.push(Section {
                        heading: term,
                        anchor: format!("^{id}"),
                        text: plain(item).trim().to_string(),
                    });
                    // Text after the item goes to a fresh untitled section.
                    let last = sections.iter().rev().find(|s| !s.anchor.starts_with('^'));
                    let (heading, anchor) = last
                        .map(|s| (s.heading.clone(), s.anchor.clone()))
                        .unwrap_or_default();
                    sections.push(Section {
                        heading,
                        anchor,
                        text: String::new(),
                    });
                } else {
                    let s = sections.last_mut().unwrap();
                    let p = plain(t);
                    if !p.trim().is_empty() {
                        if !s.text.is_empty() {
                            s.text.push(' ');
                        }
                        s.text.push_str(p.trim());
                    }
                }
            }
            sections.retain(|s| !s.text.is_empty() || !s.heading.is_empty());
            b.add_page(PageInput {
                url,
                title,
                sections,
                boost_terms: vec![],
            });
        }
        let pages = b.page_count();
        let index = b.build();
        let dir = out.join(code);
        std::fs::create_dir_all(&dir).expect("create output folder");
        std::fs::write(dir.join("meta.bin"), &index.meta).expect("write meta");
        for (name, bytes) in index.chunks.iter().chain(index.fragments.iter()) {
            std::fs::write(dir.join(name), bytes).expect("write file");
        }
        eprintln!(
            "{code}: {pages} pages, {} chunks, {} fragments",
            index.chunks.len(),
            index.fragments.len()
        );
    }
}

#[cfg(not(feature = "search"))]
fn main() {
    eprintln!("search_index needs the `search` feature");
}
