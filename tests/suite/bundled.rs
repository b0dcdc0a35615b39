//! The bundled knowledge base (this repository's `content/`) builds without
//! a single diagnostic and produces every page it promises.

use kader::BuildOptions;
use std::path::{Path, PathBuf};

/// Builds this repository's site into a temporary folder: the folder (kept
/// while it is in scope), the output path, the outcome and what was written.
fn build_bundled() -> (
    tempfile::TempDir,
    PathBuf,
    kader::Outcome,
    Option<kader::emit::EmitStats>,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let (outcome, stats) =
        kader::build_site(root, Some(&target), &BuildOptions::default(), &|_| {}).unwrap();
    (out, target, outcome, stats)
}

#[test]
fn bundled_site_builds_cleanly_with_every_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_out, target, outcome, stats) = build_bundled();
    assert!(
        outcome.diagnostics.is_empty(),
        "{}",
        kader::diagnostics::render_human(&outcome.diagnostics, false)
    );
    assert!(stats.is_some());
    let count = |dir: &str| {
        std::fs::read_dir(root.join("content").join(dir))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && n != "index.md" && n.matches('.').count() == 1)
            .map(|n| n.trim_end_matches(".md").to_string())
            .collect::<Vec<_>>()
    };
    let vereisten = count("vereisten");
    let maatregelen = count("maatregelen");
    assert!(vereisten.len() >= 12, "{}", vereisten.len());
    assert!(maatregelen.len() >= 20, "{}", maatregelen.len());
    for v in &vereisten {
        assert!(
            target.join(format!("vereisten/{v}/index.html")).is_file(),
            "{v}"
        );
    }
    for m in &maatregelen {
        assert!(
            target.join(format!("maatregelen/{m}/index.html")).is_file(),
            "{m}"
        );
    }
    let config = kader::config::SiteConfig::parse(&kader::diagnostics::SourceText::new(
        "site.toml",
        std::fs::read_to_string(root.join("site.toml")).unwrap(),
    ))
    .unwrap();
    for (name, tax) in &config.taxonomies {
        let path = config.taxonomy_path(name);
        assert!(
            target.join(format!("{path}/index.html")).is_file(),
            "{path}"
        );
        for t in &tax.terms {
            assert!(
                target
                    .join(format!("{path}/{}/index.html", t.slug))
                    .is_file(),
                "{path}/{}",
                t.slug
            );
        }
    }
    let overview = std::fs::read_to_string(target.join("vereisten/index.html")).unwrap();
    assert_eq!(overview.matches("<tr data-terms").count(), vereisten.len());
    let overview = std::fs::read_to_string(target.join("maatregelen/index.html")).unwrap();
    assert_eq!(
        overview.matches("<tr data-terms").count(),
        maatregelen.len()
    );
    // Both GPAI systemic-risk obligations (art. 55(1)(a) and (c)) are there.
    let csv = std::fs::read_to_string(target.join("kennisbank.csv")).unwrap();
    assert!(csv.contains("urn:nl:kader:ver:aia-55a") && csv.contains("urn:nl:kader:ver:aia-55c"));
}

/// `kader build` writes pages while it renders them; `kader check` and
/// `kader serve` keep them in memory. Both must produce the same site, file
/// for file and byte for byte, with nothing extra on disk.
#[test]
fn the_written_output_equals_the_site_rendered_in_memory() {
    use std::collections::BTreeMap;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_out, target, _, stats) = build_bundled();
    let stats = stats.expect("written");

    let outcome = kader::check_site(root, &BuildOptions::default(), &|_| {}).unwrap();
    let site = outcome.site.expect("checked");
    let mut expected: BTreeMap<String, Vec<u8>> = site
        .rendered
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect();
    for c in &site.rendered.copies {
        let bytes = match c {
            kader::render::Copy::Disk { from, .. } => std::fs::read(from).unwrap(),
            kader::render::Copy::Bytes { bytes, .. } => bytes.to_vec(),
        };
        expected.insert(c.dest().to_string(), bytes);
    }
    expected.insert(
        kader::emit::MARKER.to_string(),
        std::fs::read(target.join(kader::emit::MARKER)).unwrap(),
    );

    let mut written: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&target) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&target).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            written.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !written.contains_key(*k))
        .collect();
    let extra: Vec<&String> = written
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(missing.is_empty(), "not written: {missing:?}");
    assert!(extra.is_empty(), "written, but not rendered: {extra:?}");
    for (path, bytes) in &expected {
        assert!(written[path] == *bytes, "{path} differs");
    }
    assert_eq!(stats.files, expected.len() - 1, "the marker is not counted");
    let total: usize = expected
        .iter()
        .filter(|(p, _)| p.as_str() != kader::emit::MARKER)
        .map(|(_, b)| b.len())
        .sum();
    assert_eq!(stats.bytes, total as u64);
}
