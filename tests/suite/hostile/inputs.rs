//! The pathological inputs of the hostile tests that are also timed: each
//! is a set of files to add to the minimal site (`tests/fixtures/minimal`).
//! `tests/suite/hostile.rs` checks what kader answers to them;
//! `scripts/bench-hostile` writes them with the example
//! `tests/bench/hostile_inputs.rs` (which includes this file) and prints
//! how long the release binary takes. Plain std only.

/// Files of a site: (path relative to the site root, contents).
pub type Files = Vec<(String, Vec<u8>)>;

/// A requirement page with the minimal site's required fields.
pub const PAGE: &str = "---\ntitle: Pagina\nlevenscyclus: [ontwerp]\n---\n";

fn one(path: &str, text: String) -> Files {
    vec![(path.to_string(), text.into_bytes())]
}

/// "Billion laughs": nine levels of ten YAML aliases each.
pub fn yaml_alias_bomb() -> Files {
    let mut fm = String::from("---\ntitle: Bom\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..9 {
        let p = i - 1;
        fm.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    fm.push_str("---\nTekst\n");
    one("content/bom.md", fm)
}

/// 20,000 front-matter keys (each is located in the source).
pub fn many_front_matter_keys() -> Files {
    let mut fm = String::from("---\n");
    for i in 0..20_000 {
        fm.push_str(&format!("sleutel{i}: <b>waarde</b>\n"));
    }
    fm.push_str("---\n");
    one("content/sleutels.md", fm)
}

/// Lists and block quotes nested 10,000 levels deep.
pub fn deep_lists_and_quotes() -> Files {
    let mut files = one(
        "content/lijsten.md",
        format!("---\ntitle: L\n---\n{}x\n", "- ".repeat(10_000)),
    );
    files.extend(one(
        "content/citaten.md",
        format!("---\ntitle: C\n---\n{}x\n", "> ".repeat(10_000)),
    ));
    files.extend(one(
        "content/geneste-citaten.md",
        format!("---\ntitle: C\n---\n{}x\n", ">".repeat(10_000)),
    ));
    files
}

/// The text of a page holding one `list_vereisten` directive with 10,000
/// arguments: valid ones, or 10,000 different unknown terms.
pub fn directive_page(valid: bool) -> String {
    let args: Vec<String> = if valid {
        vec!["levenscyclus/ontwerp".to_string(); 10_000]
    } else {
        (0..10_000).map(|i| format!("bouwblok/x{i:04}")).collect()
    };
    format!("<!-- list_vereisten {} -->\n", args.join(" "))
}

/// A requirement and a page whose directive has 10,000 arguments.
pub fn directive_with_10000_arguments(valid: bool) -> Files {
    let mut files = one("content/vereisten/v.md", PAGE.to_string());
    files.extend(one("content/veel.md", directive_page(valid)));
    files
}

/// 20,000 footnotes and 5,000 abbreviations on one page.
pub fn many_footnotes_and_abbreviations() -> Files {
    let mut text = String::from(PAGE);
    for i in 0..20_000 {
        text.push_str(&format!("Zin[^n{i}].\n"));
    }
    text.push('\n');
    for i in 0..20_000 {
        text.push_str(&format!("[^n{i}]: Noot {i}.\n\n"));
    }
    for i in 0..5_000 {
        text.push_str(&format!("*[T{i}]: Term {i}\n"));
    }
    one("content/vereisten/noten.md", text)
}

/// One line of 20,000 broken links: 20,000 findings on a 240 KB line.
pub fn findings_on_a_very_long_line() -> Files {
    let links: Vec<String> = (0..20_000).map(|i| format!("[a](x{i}.md)")).collect();
    one(
        "content/lang.md",
        format!("# Lang\n\n{}\n", links.join(" ")),
    )
}

/// Writes a page of 50 MB (over the 8 MB limit) to `path`.
pub fn write_50_mb_page(path: &std::path::Path) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let line = "Een regel tekst over algoritmes en hun risico's, herhaald.\n";
    let mut written = 0;
    while written < 50 * 1024 * 1024 {
        f.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
}
