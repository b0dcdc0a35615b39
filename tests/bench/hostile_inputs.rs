//! Writes the pathological inputs of `tests/suite/hostile.rs` as sites for
//! `scripts/bench-hostile`:
//!
//! ```text
//! hostile_inputs DIR [--long-line]
//! ```
//!
//! makes `DIR/<case>/` for every case (the minimal site of
//! `tests/fixtures/minimal` plus the case's files) and prints one line per
//! case: its name, a tab and what it is. `--long-line` adds the case the
//! ignored test `findings_on_a_very_long_line_render_quickly` is about
//! (still quadratic: slow, and several GB of memory).

#[path = "../suite/hostile/inputs.rs"]
mod inputs;

use std::path::Path;

const MINIMAL_CONFIG: &str = include_str!("../fixtures/minimal/site.toml");

fn site(dir: &Path, name: &str, about: &str, files: inputs::Files) {
    let root = dir.join(name);
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.toml"), MINIMAL_CONFIG).unwrap();
    for (path, bytes) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    println!("{name}\t{about}");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: hostile_inputs DIR [--long-line]");
        std::process::exit(2);
    };
    let long_line = args.any(|a| a == "--long-line");
    let dir = Path::new(&dir);
    site(
        dir,
        "yaml-alias-bomb",
        "front matter: nine levels of ten YAML aliases",
        inputs::yaml_alias_bomb(),
    );
    site(
        dir,
        "front-matter-keys",
        "front matter: 20,000 keys",
        inputs::many_front_matter_keys(),
    );
    site(
        dir,
        "deep-nesting",
        "lists and block quotes nested 10,000 deep",
        inputs::deep_lists_and_quotes(),
    );
    site(
        dir,
        "directive-valid",
        "a directive with 10,000 valid arguments",
        inputs::directive_with_10000_arguments(true),
    );
    site(
        dir,
        "directive-invalid",
        "a directive with 10,000 unknown terms",
        inputs::directive_with_10000_arguments(false),
    );
    site(
        dir,
        "footnotes",
        "20,000 footnotes and 5,000 abbreviations",
        inputs::many_footnotes_and_abbreviations(),
    );
    let home = vec![("content/index.md".to_string(), b"# Home\n".to_vec())];
    site(dir, "page-50-mb", "a 50 MB page (refused unread)", home);
    inputs::write_50_mb_page(&dir.join("page-50-mb/content/groot.md"));
    if long_line {
        site(
            dir,
            "long-line",
            "20,000 findings on one 240 KB line",
            inputs::findings_on_a_very_long_line(),
        );
    }
}
