//! A test harness over small fixture sites: copy a fixture (or start from an
//! empty site), add or change files, then check, build or run the CLI.

#![allow(dead_code)]

use kader::{BuildOptions, Outcome};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Site {
    dir: tempfile::TempDir,
}

/// The folder with the fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The shared material beside the repository (`../shared`), or `KADER_SHARED`.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("KADER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        p.is_dir(),
        "the shared material is expected at {} (set KADER_SHARED to its folder)",
        p.display()
    );
    p
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A minimal configuration: one collection per kind, two taxonomies.
pub const MINIMAL_CONFIG: &str = r#"
title = "Test"
base_url = "https://example.org/"
default_language = "nl"

[languages.nl]
name = "Nederlands"

[collections.vereisten]
dir = "vereisten"
template = "vereiste.html"
label = "Vereisten"
singular = "Vereiste"
columns = ["levenscyclus", "bouwblok"]
[collections.vereisten.fields]
title = { type = "string", required = true }
levenscyclus = { type = "terms", required = true }
bouwblok = { type = "terms" }

[collections.maatregelen]
dir = "maatregelen"
template = "maatregel.html"
label = "Maatregelen"
singular = "Maatregel"
columns = ["levenscyclus", "bouwblok"]
[collections.maatregelen.fields]
title = { type = "string", required = true }
vereiste = { type = "refs", collection = "vereisten", required = true }
levenscyclus = { type = "terms" }
bouwblok = { type = "terms" }

[taxonomies.levenscyclus]
label = "Levenscyclus"
terms = [{ slug = "ontwerp", label = "Ontwerp" }, { slug = "ontwikkelen", label = "Ontwikkelen" }]

[taxonomies.bouwblok]
label = "Bouwblok"
terms = [{ slug = "governance", label = "Governance" }, { slug = "publieke-inkoop", label = "Publieke inkoop" }]
"#;

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(&fixtures().join(name), site.root());
        site
    }

    /// An empty site with [`MINIMAL_CONFIG`].
    pub fn minimal() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.file("site.toml", MINIMAL_CONFIG);
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn file(&self, path: &str, text: &str) -> &Site {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn bytes(&self, path: &str, bytes: &[u8]) -> &Site {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn check(&self) -> Outcome {
        kader::check_site(self.root(), &BuildOptions::default(), &|_| {}).expect("check runs")
    }

    /// Builds into `<root>/public`; panics on errors, listing them.
    pub fn build(&self) -> Built {
        let (outcome, stats) =
            kader::build_site(self.root(), None, &BuildOptions::default(), &|_| {})
                .expect("build runs");
        assert!(
            stats.is_some(),
            "build failed:\n{}",
            kader::diagnostics::render_human(&outcome.diagnostics, false)
        );
        Built {
            out: self.root().join("public"),
            outcome,
        }
    }

    /// Runs the `kader` binary with `args` in the site root.
    pub fn cli(&self, args: &[&str]) -> CliOutput {
        let out = Command::new(env!("CARGO_BIN_EXE_kader"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("CI", "1")
            .output()
            .unwrap();
        CliOutput {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub struct Built {
    pub out: PathBuf,
    pub outcome: Outcome,
}

impl Built {
    /// The text of an output file.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }

    /// The inner HTML of the page's `<article …>` element.
    pub fn article(&self, path: &str) -> String {
        let html = self.read(path);
        let start = html.find("<article").expect("page has an article");
        let open_end = start + html[start..].find('>').unwrap() + 1;
        let end = html.rfind("</article>").unwrap();
        html[open_end..end].trim().to_string()
    }
}

pub struct CliOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Diagnostics of an outcome as `file:line:col code message`, one per line.
pub fn summary(outcome: &Outcome) -> String {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
