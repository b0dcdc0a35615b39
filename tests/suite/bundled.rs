//! The bundled knowledge base (this repository's `content/`) builds without
//! a single diagnostic and produces every page it promises.

use crate::harness::{self, OUTPUT_MARKER};

#[test]
fn bundled_site_builds_cleanly_with_every_page() {
    let root = harness::repo();
    let built = harness::build_into_temp(root);
    let target = &built.out;
    assert!(
        built.outcome.diagnostics.is_empty(),
        "{}",
        harness::human(&built.outcome.diagnostics)
    );
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
    let config = harness::site_config(&root.join("site.toml"));
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
    let overview = built.read("vereisten/index.html");
    assert_eq!(overview.matches("<tr data-terms").count(), vereisten.len());
    let overview = built.read("maatregelen/index.html");
    assert_eq!(
        overview.matches("<tr data-terms").count(),
        maatregelen.len()
    );
    // Both GPAI systemic-risk obligations (art. 55(1)(a) and (c)) are there.
    let csv = built.read("kennisbank.csv");
    assert!(csv.contains("urn:nl:kader:ver:aia-55a") && csv.contains("urn:nl:kader:ver:aia-55c"));
}

/// `kader build` writes pages while it renders them; `kader check` and
/// `kader serve` keep them in memory. Both must produce the same site, file
/// for file and byte for byte, with nothing extra on disk.
#[test]
fn the_written_output_equals_the_site_rendered_in_memory() {
    let root = harness::repo();
    let built = harness::build_into_temp(root);

    let mut expected = harness::output(&harness::check_at(root));
    expected.insert(
        OUTPUT_MARKER.to_string(),
        std::fs::read(built.out.join(OUTPUT_MARKER)).unwrap(),
    );

    let written = built.files();
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
    assert_eq!(built.files, expected.len() - 1, "the marker is not counted");
    let total: usize = expected
        .iter()
        .filter(|(p, _)| p.as_str() != OUTPUT_MARKER)
        .map(|(_, b)| b.len())
        .sum();
    assert_eq!(built.bytes, total as u64);
}
