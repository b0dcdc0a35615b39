//! The bundled knowledge base (this repository's `content/`) builds without
//! a single diagnostic and produces every page it promises.

use kader::BuildOptions;
use std::path::Path;

#[test]
fn bundled_site_builds_cleanly_with_every_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let (outcome, stats) =
        kader::build_site(root, Some(&target), &BuildOptions::default(), &|_| {}).unwrap();
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
