//! `kader serve`: builds the site and serves it from memory on 127.0.0.1.
//!
//! Requests are answered only from the built site's file table, so nothing
//! outside the output can be served, whatever the request path.

mod http;

pub use http::{content_type, Response};

use crate::diagnostics::render_human;
use crate::render::Copy;
use crate::session::{Outcome, Session};
use crate::BuildOptions;
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The Content-Security-Policy the generated site is built to satisfy.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/// One file of the served site.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<Vec<u8>>),
    Static(&'static [u8]),
    File(PathBuf),
}

/// An immutable snapshot of the built site.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub base_path: String,
    pub files: HashMap<String, Served>,
    pub languages: Vec<String>,
}

impl Snapshot {
    pub fn from_site(site: &crate::validate::ValidSite) -> Snapshot {
        let r = site.rendered();
        let mut files = HashMap::new();
        for f in &r.files {
            files.insert(f.path.clone(), Served::Bytes(f.bytes.clone()));
        }
        for c in &r.copies {
            let served = match c {
                Copy::Disk { from, .. } => Served::File(from.clone()),
                Copy::Bytes { bytes, .. } => Served::Static(bytes),
            };
            files.insert(c.dest().to_string(), served);
        }
        let config = &r.index.site.config;
        Snapshot {
            base_path: config.base_path.clone(),
            files,
            languages: config
                .languages
                .values()
                .map(|l| l.prefix.clone())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    /// URL paths of HTML pages that differ from `old`.
    pub fn changed_pages(&self, old: &Snapshot) -> Vec<String> {
        let mut out: Vec<String> = self
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .filter(|(path, new)| match (old.files.get(*path), new) {
                (Some(Served::Bytes(a)), Served::Bytes(b)) => !Arc::ptr_eq(a, b) && a != b,
                _ => true,
            })
            .map(|(path, _)| {
                format!(
                    "{}{}",
                    self.base_path,
                    http::encode_path(path.trim_end_matches("index.html"))
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Answers a request path (already without query string).
    pub fn respond(&self, raw_path: &str) -> Response {
        let Some(path) = http::decode_path(raw_path) else {
            return self.not_found("");
        };
        if self.base_path != "/" && (path == "/" || path == self.base_path.trim_end_matches('/')) {
            return Response::redirect(&self.base_path);
        }
        let Some(rel) = path.strip_prefix(&self.base_path) else {
            return self.not_found("");
        };
        let rel = rel.to_string();
        if rel.split('/').any(|seg| seg == ".." || seg == ".")
            || rel.contains('\\')
            || rel.contains('\0')
        {
            return self.not_found(&rel);
        }
        let candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![format!("{rel}index.html")]
        } else {
            vec![rel.clone()]
        };
        for c in &candidates {
            if let Some(body) = self.load(c) {
                return Response::ok(content_type(c), body);
            }
        }
        if !rel.ends_with('/') && self.files.contains_key(&format!("{rel}/index.html")) {
            return Response::redirect(&format!("{}{}/", self.base_path, http::encode_path(&rel)));
        }
        self.not_found(&rel)
    }

    fn load(&self, rel: &str) -> Option<Vec<u8>> {
        match self.files.get(rel)? {
            Served::Bytes(b) => Some(b.as_ref().clone()),
            Served::Static(b) => Some(b.to_vec()),
            Served::File(p) => std::fs::read(p).ok(),
        }
    }

    fn not_found(&self, rel: &str) -> Response {
        let lang_404 = self
            .languages
            .iter()
            .find(|p| rel.starts_with(&format!("{p}/")))
            .map(|p| format!("{p}/404.html"))
            .unwrap_or_else(|| "404.html".into());
        let body = self
            .load(&lang_404)
            .unwrap_or_else(|| b"404 Not Found".to_vec());
        Response::new(404, "text/html; charset=utf-8", body)
    }
}

/// What the preview server shares between its threads.
pub struct State {
    pub snapshot: RwLock<Option<Arc<Snapshot>>>,
    pub hub: Hub,
}

/// The connected browsers (server-sent events) and the last error report.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<std::sync::mpsc::Sender<String>>>,
    errors: Mutex<Option<String>>,
}

impl Hub {
    /// Sends an event to every connected browser.
    pub fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    /// Registers a browser; it first gets the current errors, if any.
    pub fn subscribe(&self) -> std::sync::mpsc::Receiver<String> {
        let (tx, rx) = std::sync::mpsc::channel();
        if let Some(errors) = self.errors.lock().ok().and_then(|e| e.clone()) {
            let _ = tx.send(format!("event: errors\ndata: {errors}\n\n"));
        }
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }

    fn set_errors(&self, errors: Option<String>) {
        if let Ok(mut e) = self.errors.lock() {
            *e = errors;
        }
    }
}

/// Options of `kader serve`.
pub struct ServeOptions {
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub verbose: bool,
    /// The icon packages' folder (`--icons`).
    pub icons: Option<std::path::PathBuf>,
}

/// Builds the site, serves it, and rebuilds on every change until killed.
pub fn run(root: &Path, opts: ServeOptions) -> Result<(), String> {
    // Watch events carry absolute paths; compare them with an absolute root.
    let root = &root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let listener = TcpListener::bind((opts.bind.as_str(), opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let host = if opts.bind.contains(':') {
        format!("[{}]", opts.bind)
    } else {
        opts.bind.clone()
    };
    let origin = format!("http://{host}:{port}");
    let build_opts = BuildOptions {
        origin: Some(origin.clone()),
        icons: opts.icons.clone(),
        ..BuildOptions::default()
    };
    let state = Arc::new(State {
        snapshot: RwLock::new(None),
        hub: Hub::default(),
    });
    let mut session = Session::new(root, build_opts);
    let started = std::time::Instant::now();
    let report = session.rebuild(&[]);
    apply(&state, &mut session, report, false, started, opts.verbose);
    // The site's base path and output folder, from the configuration the
    // build read (the defaults while site.toml is broken).
    let (base, output_dir) = match session.config() {
        Some(config) => (config.base_path.clone(), root.join(&config.output_dir)),
        None => ("/".to_string(), root.join("public")),
    };
    let url = format!("{origin}{base}");
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || http::serve(listener, state));
    }
    // Watch before saying so: a change right after the message must be seen.
    let (_watcher, events) = start_watching(root)?;
    if opts.verbose {
        eprintln!(
            "serving {url} (Ctrl-C stops); watching {} for changes",
            root.display()
        );
    }
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    watch(
        root,
        &output_dir,
        &events,
        &state,
        &mut session,
        opts.verbose,
    )
}

type WatchEvents = std::sync::mpsc::Receiver<notify::Result<notify::Event>>;

/// A recursive watcher of `root` and the channel its events arrive on
/// (they stop when the watcher is dropped).
fn start_watching(root: &Path) -> Result<(notify::RecommendedWatcher, WatchEvents), String> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    Ok((watcher, rx))
}

/// Whether a changed path is of interest (not output, VCS or editor files).
fn relevant(path: &Path, root: &Path, output_dir: &Path) -> bool {
    if path.starts_with(output_dir) || path.starts_with(root.join("target")) {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let hidden = rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') || s == "node_modules"
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    !hidden && !temp
}

fn watch(
    root: &Path,
    output_dir: &Path,
    rx: &WatchEvents,
    state: &State,
    session: &mut Session,
    verbose: bool,
) -> Result<(), String> {
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::{Duration, Instant};
    let collect = |paths: &mut Vec<PathBuf>, ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            for p in ev.paths {
                if relevant(&p, root, output_dir) && !paths.contains(&p) {
                    paths.push(p);
                }
            }
        }
    };
    loop {
        // Pages come first after a save; the search index and the exports
        // follow when no further change is waiting.
        let first = if session.incomplete() {
            match rx.recv_timeout(Duration::ZERO) {
                Ok(ev) => ev,
                Err(RecvTimeoutError::Timeout) => {
                    let started = Instant::now();
                    if session.complete() {
                        publish_completed(state, session, started, verbose);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the file watcher stopped".into())
                }
            }
        } else {
            match rx.recv() {
                Ok(ev) => ev,
                Err(_) => return Err("the file watcher stopped".into()),
            }
        };
        let mut paths = Vec::new();
        collect(&mut paths, first);
        if paths.is_empty() {
            continue;
        }
        // Debounce: editors write a file in several steps.
        let started = Instant::now();
        loop {
            match rx.recv_timeout(Duration::from_millis(25)) {
                Ok(ev) => collect(&mut paths, ev),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the file watcher stopped".into())
                }
            }
            if started.elapsed() > Duration::from_millis(400) {
                break;
            }
        }
        // A rebuild may also have been triggered by the watcher re-creating
        // watches; the debounced set is what counts.
        let css_only = paths.iter().all(|p| {
            p.extension().is_some_and(|e| e == "css") && p.starts_with(root.join("static"))
        });
        let started = Instant::now();
        let report = session.rebuild_pages_first(&paths);
        apply(state, session, report, css_only, started, verbose);
    }
}

/// Serves the kept site again after its site-wide files were completed
/// (no reload: no page changed).
fn publish_completed(state: &State, session: &Session, started: std::time::Instant, verbose: bool) {
    let Some(site) = session.current() else {
        return;
    };
    let snapshot = Arc::new(Snapshot::from_site(site));
    if let Ok(mut s) = state.snapshot.write() {
        *s = Some(snapshot);
    }
    if verbose {
        eprintln!(
            "search index and exports updated in {} ms",
            started.elapsed().as_millis()
        );
    }
}

/// Publishes a build: a new snapshot and a reload, or the errors.
fn apply(
    state: &State,
    session: &mut Session,
    report: Result<Outcome, crate::discover::FatalError>,
    css_only: bool,
    started: std::time::Instant,
    verbose: bool,
) {
    let report = match report {
        Ok(r) => r,
        Err(fatal) => {
            eprintln!("error: {fatal}");
            let d = serde_json::json!([{ "severity": "error", "code": "K0001", "file": "", "line": 0, "column": 0, "message": fatal.to_string() }]);
            state.hub.set_errors(Some(d.to_string()));
            state.hub.broadcast("errors", &d.to_string());
            return;
        }
    };
    if !report.diagnostics.is_empty() {
        eprint!(
            "{}",
            render_human(
                &report.diagnostics,
                std::io::IsTerminal::is_terminal(&std::io::stderr())
            )
        );
    }
    let Some(site) = session.current() else {
        let json = crate::diagnostics::render_json(&report.diagnostics).replace('\n', " ");
        state.hub.set_errors(Some(json.clone()));
        state.hub.broadcast("errors", &json);
        if verbose {
            eprintln!("build failed; still serving the last good version");
        }
        return;
    };
    let snapshot = Arc::new(Snapshot::from_site(site));
    let previous = state.snapshot.read().ok().and_then(|s| s.clone());
    let changed = match &previous {
        Some(old) => snapshot.changed_pages(old),
        None => Vec::new(),
    };
    if let Ok(mut s) = state.snapshot.write() {
        *s = Some(Arc::clone(&snapshot));
    }
    let had_errors = state
        .hub
        .errors
        .lock()
        .map(|e| e.is_some())
        .unwrap_or(false);
    state.hub.set_errors(None);
    if css_only {
        state.hub.broadcast("css", "{}");
    } else {
        let data = serde_json::json!({ "all": previous.is_none() || had_errors, "pages": changed });
        state.hub.broadcast("reload", &data.to_string());
    }
    if had_errors {
        state.hub.broadcast("ok", "{}");
    }
    if verbose {
        let how = if report.incremental {
            "incrementally"
        } else {
            "fully"
        };
        eprintln!(
            "built {how}: {} pages rendered in {} ms, {} changed",
            report.rendered,
            started.elapsed().as_millis(),
            changed.len()
        );
    }
}
