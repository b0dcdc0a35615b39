//! `kader serve`: builds the site and serves it from memory on 127.0.0.1.
//!
//! Requests are answered only from the built site's file table, so nothing
//! outside the output can be served, whatever the request path.

mod http;
pub mod session;

pub use http::{content_type, Response};

use crate::diagnostics::render_human;
use crate::render::Copy;
use crate::BuildOptions;
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

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
    pub fn from_site(site: &crate::validate::ValidatedSite) -> Snapshot {
        let r = &site.rendered;
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

/// Builds `root` for `http://127.0.0.1:port/` and serves it until killed.
pub fn run(root: &Path, port: u16, verbose: bool) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let base = match crate::discover::read_config(root).map_err(|e| e.to_string())? {
        Ok((_, c, _)) => c.base_path,
        Err(_) => "/".to_string(),
    };
    let opts = BuildOptions {
        base_url: Some(format!("http://127.0.0.1:{port}{base}")),
        ..BuildOptions::default()
    };
    let (outcome, _) = crate::build_site(root, None, &opts, &|_| {}).map_err(|e| e.to_string())?;
    if !outcome.diagnostics.is_empty() {
        eprint!("{}", render_human(&outcome.diagnostics, false));
    }
    let snapshot = match &outcome.site {
        Some(site) if !outcome.has_errors() => Snapshot::from_site(site),
        _ => {
            return Err(format!(
                "the site has {} errors; fix them and run serve again",
                outcome.errors
            ))
        }
    };
    let state = Arc::new(RwLock::new(Arc::new(snapshot)));
    if verbose {
        eprintln!("serving http://127.0.0.1:{port}{base} (Ctrl-C stops)");
    }
    http::serve(listener, state)
}
