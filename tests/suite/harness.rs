//! The harness every integration test goes through: sites in temporary
//! folders (a fixture, the minimal site, a copy of the bundled knowledge
//! base), changed file by file, then checked, built, served or run through
//! the `kader` binary, with helpers to look at the output, the diagnostics
//! and the in-memory site.
//!
//! Every call into the `kader` library is in this file, so that a change of
//! the library's API is adapted here once. Every check, build and process
//! runs under a [`WATCHDOG`], so that a hang fails the test instead of
//! blocking the suite. A test that needs something the machine may lack
//! (`../shared`, `unshare`, `setpriv`) asks [`missing`], which fails unless
//! `KADER_ALLOW_SKIP` says that it may be skipped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kader::BuildOptions;

pub use kader::diagnostics::Diagnostic;
pub use kader::{Outcome, SearchResult};

/// How long one check, build, preview rebuild or process may run before the
/// test fails as hung. Not a speed target: the times of the pathological
/// inputs are figures of `scripts/bench-hostile`.
pub const WATCHDOG: Duration = Duration::from_secs(120);

/// The repository root (the bundled knowledge base's site root).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The folder with the fixture sites.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// The `kader` binary of this build.
pub fn kader_bin() -> &'static str {
    env!("CARGO_BIN_EXE_kader")
}

// ---------------------------------------------------------------------------
// Skips

/// The variable naming the prerequisites whose absence may skip a test.
pub const ALLOW_SKIP: &str = "KADER_ALLOW_SKIP";

/// Whether `KADER_ALLOW_SKIP` (comma-separated reasons, or `all`) names
/// `reason`.
pub fn skip_allowed(reason: &str) -> bool {
    std::env::var(ALLOW_SKIP).is_ok_and(|v| {
        v.split(',')
            .map(|r| r.trim().to_ascii_lowercase())
            .any(|r| r == reason || r == "all")
    })
}

/// A prerequisite of the calling test is missing: `what` says which, `fix`
/// how to get it. Fails the test, unless `KADER_ALLOW_SKIP` names `reason`:
/// then it prints a NOTICE (past the test's output capture) and returns, and
/// the caller returns without testing.
pub fn missing(reason: &str, what: &str, fix: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if skip_allowed(reason) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "\nNOTICE: SKIPPED {test}: {what} ({ALLOW_SKIP} allows `{reason}`)\n"
        );
        return;
    }
    panic!(
        "{what}.\n{fix}\nTo skip this test deliberately, set {ALLOW_SKIP}={reason} \
         (see README.md, Development)."
    );
}

/// The shared material beside the repository (`../shared`, or
/// `KADER_SHARED`); `None` (only where `KADER_ALLOW_SKIP=shared`) when it is
/// not there.
pub fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("KADER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    if p.is_dir() {
        return Some(p);
    }
    missing(
        "shared",
        &format!("the shared material is not at {}", p.display()),
        "Put the project's shared/ folder beside the repository, or set KADER_SHARED to it.",
    );
    None
}

/// The folder with the icon sets' npm packages (`tests/icons/node_modules`,
/// installed by `scripts/test`); `None` (only where `KADER_ALLOW_SKIP=icons`)
/// when they are not installed.
pub fn icons() -> Option<PathBuf> {
    let p = repo().join("tests/icons/node_modules");
    if p.join("@mdi/svg/svg").is_dir() && p.join("@primer/octicons").is_dir() {
        return Some(p);
    }
    missing(
        "icons",
        &format!("the icon packages are not installed in {}", p.display()),
        "Run `npm ci --prefix tests/icons` (scripts/test does).",
    );
    None
}

/// Whether the tests run as root (permissions are then not enforced).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------
// The watchdog

/// Runs `work` on a thread of its own and returns its result; fails the
/// test when it takes longer than [`WATCHDOG`] (the thread is left behind)
/// and passes on its panic.
pub fn watchdog<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("watched: {what}"))
        .spawn(move || {
            let _ = tx.send(std::panic::catch_unwind(AssertUnwindSafe(work)));
        })
        .expect("a thread");
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("{what} did not finish within {WATCHDOG:?}: it hangs"),
    }
}

// ---------------------------------------------------------------------------
// The library

/// What `kader check` found, and the site it rendered in memory when it
/// had no errors (what `serve` serves).
pub struct Checked {
    pub outcome: Outcome,
    site: Option<kader::validate::ValidSite>,
}

impl Checked {
    /// The site rendered in memory; panics when it had errors.
    pub fn site(&self) -> &kader::validate::ValidSite {
        self.site.as_ref().expect("the site was rendered")
    }
}

impl std::ops::Deref for Checked {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.outcome
    }
}

/// `kader check` of the site at `root`, in-process.
pub fn check_at(root: &Path) -> Checked {
    let root = root.to_path_buf();
    watchdog("check", move || {
        let mut session = kader::Session::new(&root, BuildOptions::default());
        let outcome = session.cold(&|_| {}).expect("check runs");
        Checked {
            outcome,
            site: session.take_current(),
        }
    })
}

/// `kader check` of the site at `root` with icons read from `icons`
/// (`--icons`).
pub fn check_with_icons(root: &Path, icons: &Path) -> Checked {
    let root = root.to_path_buf();
    let opts = BuildOptions {
        icons: Some(icons.to_path_buf()),
        ..BuildOptions::default()
    };
    watchdog("check", move || {
        let mut session = kader::Session::new(&root, opts);
        let outcome = session.cold(&|_| {}).expect("check runs");
        Checked {
            outcome,
            site: session.take_current(),
        }
    })
}

/// `kader build` of the site at `root` into `out` (`None`: site.toml's
/// output folder), in-process; panics listing the errors when it fails.
fn build_at(root: &Path, out: Option<&Path>) -> (Outcome, kader::emit::EmitStats) {
    build_with(root, out, BuildOptions::default())
}

fn build_with(
    root: &Path,
    out: Option<&Path>,
    opts: BuildOptions,
) -> (Outcome, kader::emit::EmitStats) {
    let root = root.to_path_buf();
    let out = out.map(Path::to_path_buf);
    let (outcome, stats) = watchdog("build", move || {
        kader::build_site(&root, out.as_deref(), &opts, &|_| {}).expect("build runs")
    });
    let Some(stats) = stats else {
        panic!("build failed:\n{}", human(&outcome.diagnostics));
    };
    (outcome, stats)
}

/// Builds the site at `root` (left as it is) into a temporary folder.
pub fn build_into_temp(root: &Path) -> Built {
    build_into_temp_with(root, BuildOptions::default())
}

/// As [`build_into_temp`], with icons read from `icons` (`--icons`).
pub fn build_into_temp_with_icons(root: &Path, icons: &Path) -> Built {
    build_into_temp_with(
        root,
        BuildOptions {
            icons: Some(icons.to_path_buf()),
            ..BuildOptions::default()
        },
    )
}

fn build_into_temp_with(root: &Path, opts: BuildOptions) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (outcome, stats) = build_with(root, Some(&out), opts);
    Built {
        out,
        outcome,
        files: stats.files,
        bytes: stats.bytes,
        _dir: Some(dir),
    }
}

/// A site's configuration as kader reads it from its `site.toml` at `path`.
pub fn site_config(path: &Path) -> kader::config::SiteConfig {
    let text = std::fs::read_to_string(path).unwrap();
    kader::config::SiteConfig::parse(&kader::diagnostics::SourceText::new("site.toml", text))
        .unwrap_or_else(|d| panic!("site.toml: {d:?}"))
}

/// `kader import mkdocs` in `root`: the site.toml written and the number of
/// warnings.
pub fn import_mkdocs(root: &Path) -> Result<(PathBuf, usize), String> {
    kader::mkdocs::write_site_toml(root).map(|(path, warnings)| (path, warnings.len()))
}

/// Output files by path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The output file that marks a folder as kader's own.
pub const OUTPUT_MARKER: &str = kader::emit::MARKER;

/// The rendered files a checked site holds in memory (what `serve` serves).
pub fn rendered(checked: &Checked) -> Files {
    rendered_site(checked.site())
}

fn rendered_site(site: &kader::validate::ValidSite) -> Files {
    site.rendered()
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect()
}

/// Every file a build of the checked site writes: the rendered files and
/// the copied ones (without the [`OUTPUT_MARKER`]).
pub fn output(checked: &Checked) -> Files {
    let site = checked.site();
    let mut files = rendered_site(site);
    for c in &site.rendered().copies {
        let bytes = match c {
            kader::render::Copy::Disk { from, .. } => std::fs::read(from).unwrap(),
            kader::render::Copy::Bytes { bytes, .. } => bytes.to_vec(),
        };
        files.insert(c.dest().to_string(), bytes);
    }
    files
}

/// Paths whose bytes differ between two file sets (or exist in one only).
pub fn differing(a: &Files, b: &Files) -> Vec<String> {
    a.iter()
        .filter(|(p, bytes)| b.get(*p) != Some(bytes))
        .map(|(p, _)| p.clone())
        .chain(b.keys().filter(|p| !a.contains_key(*p)).cloned())
        .collect()
}

/// Every file below `dir` with its contents, by `/`-separated path.
pub fn files_below(dir: &Path) -> Files {
    let mut files = Files::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// A preview session (`kader serve`'s incremental rebuilds), in-process.
pub struct Preview {
    /// Lent to the watched thread during a rebuild.
    session: Option<kader::Session>,
}

/// One rebuild of a [`Preview`].
pub struct Rebuild {
    report: Outcome,
    /// The rebuilt site's files, when it had no errors (the session keeps
    /// that site as the base of the next rebuild).
    files: Option<Files>,
    /// Whether the previous build was reused.
    pub incremental: bool,
    /// Output pages rendered again.
    pub rendered: usize,
}

impl Rebuild {
    /// Whether the rebuild produced a site (no errors).
    pub fn built(&self) -> bool {
        self.files.is_some()
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.report.diagnostics
    }

    /// The rebuilt site's files; panics listing the diagnostics without one.
    pub fn files(&self) -> Files {
        self.files
            .clone()
            .unwrap_or_else(|| panic!("not built: {:?}", self.report.diagnostics))
    }
}

impl Preview {
    /// A session that has built the site at `root` once.
    pub fn start(root: &Path) -> Preview {
        let mut preview = Preview {
            session: Some(kader::Session::new(root, BuildOptions::default())),
        };
        let first = preview.rebuild(&[]);
        assert!(first.built(), "{:?}", first.diagnostics());
        preview
    }

    fn watched(
        &mut self,
        what: &str,
        run: fn(&mut kader::Session, &[PathBuf]) -> Result<Outcome, kader::discover::FatalError>,
        changed: &[PathBuf],
    ) -> Rebuild {
        let mut session = self.session.take().expect("a session");
        let changed = changed.to_vec();
        let (session, report) = watchdog(what, move || {
            let report = run(&mut session, &changed);
            (session, report)
        });
        let report = report.expect("the site can be read");
        let files = session.current().map(rendered_site);
        self.session = Some(session);
        Rebuild {
            incremental: report.incremental,
            rendered: report.rendered,
            files,
            report,
        }
    }

    /// Rebuilds after `changed` files changed (none: a full build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuild {
        self.watched("preview rebuild", |s, c| s.rebuild(c), changed)
    }

    /// Rebuilds the pages first; the site-wide files wait for [`Preview::complete`].
    pub fn rebuild_pages_first(&mut self, changed: &[PathBuf]) -> Rebuild {
        self.watched(
            "preview rebuild, pages first",
            |s, c| s.rebuild_pages_first(c),
            changed,
        )
    }

    fn session(&self) -> &kader::Session {
        self.session.as_ref().expect("a session")
    }

    fn session_mut(&mut self) -> &mut kader::Session {
        self.session.as_mut().expect("a session")
    }

    /// The files of the kept site.
    pub fn files(&self) -> Files {
        rendered_site(self.session().current().expect("a kept site"))
    }

    /// The number of output pages of the kept site.
    pub fn pages(&self) -> usize {
        let site = self.session().current().expect("a kept site");
        site.rendered().index.pages.len()
    }

    /// Whether the kept site's site-wide files are out of date.
    pub fn incomplete(&self) -> bool {
        self.session().incomplete()
    }

    /// Brings the site-wide files up to date; whether there was anything to do.
    pub fn complete(&mut self) -> bool {
        self.session_mut().complete()
    }
}

/// A site's search in one language, as the browser runs it.
pub struct Search(kader::SiteSearch);

impl Search {
    pub fn open(root: &Path, lang: &str) -> Search {
        Search(kader::SiteSearch::open(root, Some(lang)).unwrap())
    }

    pub fn query(&self, query: &str, limit: usize) -> Vec<SearchResult> {
        self.0.query(query, limit)
    }
}

/// `kader search`: the ranked results of `query` in the site at `root`.
pub fn search(root: &Path, lang: Option<&str>, query: &str, limit: usize) -> Vec<SearchResult> {
    kader::search_site(root, lang, query, limit).unwrap()
}

// ---------------------------------------------------------------------------
// Diagnostics as text

/// The diagnostics as `kader check` prints them (without colour).
pub fn human(diagnostics: &[Diagnostic]) -> String {
    kader::diagnostics::render_human(diagnostics, false)
}

/// The diagnostics as `kader check --format json` prints them.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    kader::diagnostics::render_json(diagnostics)
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

/// Every diagnostic as `file:line:col code message | hint`.
pub fn findings(outcome: &Outcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let hint = d
                .hint
                .as_deref()
                .map(|h| format!(" | {h}"))
                .unwrap_or_default();
            format!(
                "{}:{}:{} {} {}{hint}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Sites

/// The minimal configuration of [`Site::minimal`] (`tests/fixtures/minimal`):
/// one collection per kind, two taxonomies.
pub const MINIMAL_CONFIG: &str = include_str!("../fixtures/minimal/site.toml");

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

/// A site in a temporary folder (removed when dropped).
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// An empty folder.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&fixtures().join(name), site.root());
        site
    }

    /// An empty site with [`MINIMAL_CONFIG`].
    pub fn minimal() -> Site {
        let site = Site::fixture("minimal");
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    /// A copy of the bundled knowledge base (site.toml and content/).
    pub fn bundled() -> Site {
        let site = Site::empty();
        std::fs::copy(repo().join("site.toml"), site.path("site.toml")).unwrap();
        copy_dir(&repo().join("content"), &site.path("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The absolute path of `rel` in the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn file(&self, path: &str, text: &str) -> &Site {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(&self, path: &str, bytes: &[u8]) -> &Site {
        let p = self.path(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// The text of a file of the site.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Replaces the first `from` in a file by `to` (which must be there);
    /// returns the file's absolute path.
    pub fn edit(&self, path: &str, from: &str, to: &str) -> PathBuf {
        let text = self.read(path);
        assert!(text.contains(from), "{path} lacks {from:?}");
        self.file(path, &text.replacen(from, to, 1));
        self.path(path)
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    }

    pub fn check(&self) -> Checked {
        check_at(self.root())
    }

    /// Builds into `<root>/public`; panics on errors, listing them.
    pub fn build(&self) -> Built {
        let (outcome, stats) = build_at(self.root(), None);
        Built {
            out: self.path("public"),
            outcome,
            files: stats.files,
            bytes: stats.bytes,
            _dir: None,
        }
    }

    /// A preview session over the site, built once.
    pub fn preview(&self) -> Preview {
        Preview::start(self.root())
    }

    /// Runs the `kader` binary with `args` in the site root.
    pub fn cli(&self, args: &[&str]) -> CliOutput {
        let mut cmd = Command::new(kader_bin());
        cmd.args(args).current_dir(self.root());
        run(cmd)
    }

    /// Runs the `kader` binary as a user whose permissions are enforced:
    /// the current one, or, as root, `nobody` through `setpriv`. `None` (only
    /// where `KADER_ALLOW_SKIP=setpriv`) when that is not possible.
    #[cfg(unix)]
    pub fn cli_unprivileged(&self, args: &[&str]) -> Option<CliOutput> {
        use std::os::unix::fs::PermissionsExt;
        let mut cmd = if is_root() {
            if Command::new("setpriv").arg("--version").output().is_err() {
                missing(
                    "setpriv",
                    "the tests run as root and `setpriv` is missing, so permissions would not be enforced",
                    "Install util-linux (`apt-get install util-linux`; scripts/test does this).",
                );
                return None;
            }
            // nobody must be able to reach the site.
            std::fs::set_permissions(self.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                kader_bin(),
            ]);
            c
        } else {
            Command::new(kader_bin())
        };
        cmd.args(args).current_dir(self.root());
        Some(run(cmd))
    }

    /// Starts `kader serve --port 0` in the site root.
    pub fn serve(&self) -> Server {
        Server::start(self.root())
    }
}

/// A build's output folder and outcome.
pub struct Built {
    pub out: PathBuf,
    pub outcome: Outcome,
    /// Files and bytes written (the marker not counted).
    pub files: usize,
    pub bytes: u64,
    _dir: Option<tempfile::TempDir>,
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

    /// Every file written, with its contents.
    pub fn files(&self) -> Files {
        files_below(&self.out)
    }
}

// ---------------------------------------------------------------------------
// Processes

pub struct CliOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` (with `NO_COLOR=1 CI=1`) to its end and returns its exit code
/// and output; kills it and fails the test after [`WATCHDOG`].
pub fn run(mut cmd: Command) -> CliOutput {
    let what = format!("{:?}", cmd);
    let mut child = cmd
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + WATCHDOG;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {WATCHDOG:?}: it hangs");
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    CliOutput {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// A running `kader serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(kader_bin())
            .args(["serve", "--port", "0"])
            .current_dir(root)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).unwrap_or(0) > 0 {
                if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                    let _ = tx.send(rest[..rest.find('/').unwrap()].parse::<u16>().unwrap());
                }
                // Keep draining stderr so the server never blocks on it.
                line.clear();
            }
        });
        let port = match rx.recv_timeout(WATCHDOG) {
            Ok(port) => port,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = child.kill();
                panic!("serve exited before it was serving");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!("serve did not start within {WATCHDOG:?}");
            }
        };
        Server { child, port }
    }

    /// `GET path` over HTTP/1.1.
    pub fn get(&self, path: &str) -> Response {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(WATCHDOG)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text[9..12].parse().unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Response {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    /// A connection to the server's live-reload event stream.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET /__kader/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        s.set_read_timeout(Some(WATCHDOG)).unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.contains("200"), "{line}");
        Events(r)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response: status, head (status line and headers) and body.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// The live-reload event stream of a [`Server`].
pub struct Events(BufReader<TcpStream>);

impl Events {
    /// The data of the next event of kind `name`.
    pub fn next(&mut self, name: &str) -> String {
        let deadline = Instant::now() + WATCHDOG;
        let mut event = String::new();
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            if self.0.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if event == name {
                    return d.trim().to_string();
                }
            }
        }
        panic!("no `{name}` event");
    }
}

// ---------------------------------------------------------------------------
// The language server

/// `kader lsp` in-process on an in-memory connection: the test is the
/// editor. Every wait is bounded by the [`WATCHDOG`].
pub struct Lsp {
    client: lsp_server::Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    root: PathBuf,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<lsp_server::Notification>,
}

impl Lsp {
    /// Starts the server for the site at `root` and initialises it.
    pub fn start(root: &Path) -> Lsp {
        let (server, client) = lsp_server::Connection::memory();
        let root = root.canonicalize().unwrap();
        let thread = std::thread::spawn(move || kader::lsp::serve(&server, None));
        let mut lsp = Lsp {
            client,
            server: Some(thread),
            root,
            next_id: 0,
            pending: Vec::new(),
        };
        let root_uri = lsp.uri("");
        lsp.request(
            "initialize",
            serde_json::json!({ "rootUri": root_uri.trim_end_matches('/'), "capabilities": {} }),
        );
        lsp.notify("initialized", serde_json::json!({}));
        lsp
    }

    /// The `file:` URI of a file of the site.
    pub fn uri(&self, rel: &str) -> String {
        kader::lsp::uri_of(&self.root.join(rel))
            .as_str()
            .to_string()
    }

    pub fn notify(&self, method: &str, params: serde_json::Value) {
        self.client
            .sender
            .send(lsp_server::Notification::new(method.to_string(), params).into())
            .unwrap();
    }

    fn receive(&mut self) -> lsp_server::Message {
        self.client
            .receiver
            .recv_timeout(WATCHDOG)
            .unwrap_or_else(|e| {
                panic!("the language server did not answer within {WATCHDOG:?}: {e}")
            })
    }

    /// Sends a request and returns its result (panics on an error answer).
    pub fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        match self.try_request(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method}: {e}"),
        }
    }

    /// Sends a request; its result, or the error's message.
    pub fn try_request(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.next_id += 1;
        let id = lsp_server::RequestId::from(self.next_id);
        let req = lsp_server::Request::new(id.clone(), method.to_string(), params);
        self.client.sender.send(req.into()).unwrap();
        loop {
            match self.receive() {
                lsp_server::Message::Response(r) if r.id == id => {
                    return match r.error {
                        Some(e) => Err(e.message),
                        None => Ok(r.result.unwrap_or(serde_json::Value::Null)),
                    };
                }
                lsp_server::Message::Notification(n) => self.pending.push(n),
                _ => {}
            }
        }
    }

    /// Opens a page of the site with its text on disk; returns its URI.
    pub fn open(&mut self, rel: &str) -> String {
        let uri = self.uri(rel);
        let text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        self.notify(
            "textDocument/didOpen",
            serde_json::json!({ "textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1, "text": text
            }}),
        );
        uri
    }

    /// Replaces the text of an open page.
    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            serde_json::json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// The next diagnostics published for `uri` (a list of LSP diagnostics).
    pub fn diagnostics(&mut self, uri: &str) -> Vec<serde_json::Value> {
        let is_for = |n: &lsp_server::Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_for) {
            let n = self.pending.remove(i);
            return n.params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            if let lsp_server::Message::Notification(n) = self.receive() {
                if is_for(&n) {
                    return n.params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                }
                self.pending.push(n);
            }
        }
    }

    /// Forgets the notifications received so far.
    pub fn clear(&mut self) {
        self.pending.clear();
        while let Ok(lsp_server::Message::Notification(n)) = self.client.receiver.try_recv() {
            drop(n);
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let _ = self.try_request("shutdown", serde_json::Value::Null);
        self.notify("exit", serde_json::Value::Null);
        if let Some(t) = self.server.take() {
            let result = t.join().expect("the server thread ends");
            assert!(result.is_ok(), "{result:?}");
        }
    }
}
