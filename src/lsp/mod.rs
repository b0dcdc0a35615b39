//! `kader lsp`: a language server (stdio) that brings kader's checks and
//! content model into editors.
//!
//! It runs the same [`Session`] as `check` and `serve`: open documents are
//! the session's overlay, and every change runs [`Session::analyze`]
//! (discover → parse → index → directives, re-parsing only the changed
//! pages; nothing is rendered). Diagnostics are those stages' own, with
//! site.toml's severities; they are published for every file whose
//! diagnostics changed, so a renamed heading marks the pages linking to it.
//! The features (completion, hover, definition, references, rename,
//! symbols, quick fixes) read the analysis' index; none checks anything
//! itself.
//!
//! Messages are handled in order. Notifications that arrive together are
//! applied together and analysed once, before the next request is answered.

mod complete;
mod navigate;
mod text;

pub use text::{path_of, uri_of};

use crate::diagnostics::{Diagnostic, Severity, SourceText};
use crate::session::Session;
use crate::BuildOptions;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Runs the server over stdin and stdout until the client exits.
pub fn run_stdio(root: Option<PathBuf>) -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    serve(&connection, root)?;
    drop(connection);
    io.join().map_err(|e| e.to_string())
}

/// Runs the server on `connection` (stdio, or an in-memory pair in tests)
/// until the client sends `shutdown` and `exit`, or goes away. `root` is
/// the site folder; without it, the client's workspace folder (or the
/// folder above it holding site.toml or mkdocs.yml).
pub fn serve(connection: &Connection, root: Option<PathBuf>) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let root = site_root(root.or_else(|| workspace_of(&params)));
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "kader", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        conn: connection,
        session: Session::new(&root, BuildOptions::default()),
        root: root.canonicalize().unwrap_or(root),
        docs: HashMap::new(),
        published: HashMap::new(),
        pending: None,
        one_thread: rayon::ThreadPoolBuilder::new().num_threads(1).build().ok(),
    };
    server.pending = Some(BTreeSet::new());
    server.flush();
    server.run()
}

fn workspace_of(params: &lsp::InitializeParams) -> Option<PathBuf> {
    if let Some(f) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return path_of(&f.uri);
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(path_of)
}

/// `dir`, or the nearest folder above it with site.toml or mkdocs.yml.
fn site_root(dir: Option<PathBuf>) -> PathBuf {
    let dir = dir
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let is_site = |d: &Path| d.join("site.toml").is_file() || d.join("mkdocs.yml").is_file();
    dir.ancestors()
        .find(|d| is_site(d))
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

fn capabilities() -> lsp::ServerCapabilities {
    let trigger = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(trigger(&["#", "^", "/", "(", " ", "-", ":", "!"])),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// An open document.
struct Doc {
    uri: lsp::Uri,
}

struct Server<'a> {
    conn: &'a Connection,
    session: Session,
    root: PathBuf,
    /// Open documents by path relative to the root.
    docs: HashMap<String, Doc>,
    /// The diagnostics last published, by file relative to the root.
    published: HashMap<String, Vec<Diagnostic>>,
    /// Paths changed since the last analysis (root-relative), if any.
    pending: Option<BTreeSet<String>>,
    /// A pool of one thread for the analyses after edits.
    one_thread: Option<rayon::ThreadPool>,
}

/// A request's answer: its result, or an error code and message.
type Answer = Result<Value, (ErrorCode, String)>;

impl Server<'_> {
    fn run(&mut self) -> Result<(), String> {
        while let Ok(first) = self.conn.receiver.recv() {
            let mut batch = vec![first];
            batch.extend(self.conn.receiver.try_iter());
            for msg in batch {
                match msg {
                    Message::Request(req) => {
                        if self.conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                            return Ok(());
                        }
                        self.flush();
                        let id = req.id.clone();
                        let answer = self.request(req);
                        self.respond(id, answer);
                    }
                    Message::Notification(n) if n.method == "exit" => return Ok(()),
                    Message::Notification(n) => self.notification(n),
                    Message::Response(_) => {}
                }
            }
            self.flush();
        }
        Ok(())
    }

    fn respond(&self, id: RequestId, answer: Answer) {
        let response = match answer {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        let _ = self.conn.sender.send(response.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .conn
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    /// The path of `uri` relative to the root, if it is inside it.
    fn rel(&self, uri: &lsp::Uri) -> Option<String> {
        let path = path_of(uri)?;
        let path = path.canonicalize().unwrap_or(path);
        let rel = path.strip_prefix(&self.root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    fn changed(&mut self, rel: String) {
        self.pending.get_or_insert_with(BTreeSet::new).insert(rel);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                self.set_text(p.text_document.uri, p.text_document.text);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                // Full synchronisation: the last change holds the whole text.
                if let Some(c) = p.content_changes.into_iter().last() {
                    self.set_text(p.text_document.uri, c.text);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(rel) = self.rel(&p.text_document.uri) {
                    self.docs.remove(&rel);
                    if self.session.overlay_mut().remove(&rel) {
                        self.changed(rel);
                    }
                }
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(rel) = self.rel(&p.text_document.uri) {
                    if !rel.ends_with(".md") && !rel.ends_with(".markdown") {
                        self.changed(rel);
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                for c in p.changes {
                    if let Some(rel) = self.rel(&c.uri) {
                        self.changed(rel);
                    }
                }
            }
            _ => {}
        }
    }

    /// A document's text: a page's goes into the overlay and is analysed;
    /// other files (site.toml, decision trees) are analysed when saved.
    fn set_text(&mut self, uri: lsp::Uri, text: String) {
        let Some(rel) = self.rel(&uri) else { return };
        self.docs.insert(rel.clone(), Doc { uri });
        if rel.ends_with(".md") || rel.ends_with(".markdown") {
            self.session.overlay_mut().set(rel.clone(), text);
            self.changed(rel);
        }
    }

    /// Analyses the pending changes and publishes what changed.
    fn flush(&mut self) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let changed: Vec<PathBuf> = pending.iter().map(|r| self.root.join(r)).collect();
        // After a keystroke only a few pages are parsed again: on one
        // thread the answer does not wait for the slowest of several
        // threads, which a busy machine may have paused.
        let session = &mut self.session;
        let analyzed = match (&self.one_thread, changed.is_empty()) {
            (Some(pool), false) => pool.install(|| session.analyze(&changed).map(|_| ())),
            _ => session.analyze(&changed).map(|_| ()),
        };
        if let Err(e) = analyzed {
            self.notify(
                "window/showMessage",
                lsp::ShowMessageParams {
                    typ: lsp::MessageType::ERROR,
                    message: format!("kader: {e}"),
                },
            );
            return;
        }
        self.publish(&pending);
    }

    /// Publishes the diagnostics of every file whose diagnostics changed,
    /// and of the open documents among `touched`.
    fn publish(&mut self, touched: &BTreeSet<String>) {
        let Some(analysis) = self.session.analysis() else {
            return;
        };
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in &analysis.diagnostics {
            by_file.entry(d.file.clone()).or_default().push(d.clone());
        }
        let mut files: BTreeSet<String> = by_file.keys().cloned().collect();
        files.extend(self.published.keys().cloned());
        files.extend(
            touched
                .iter()
                .filter(|f| self.docs.contains_key(*f))
                .cloned(),
        );
        let mut updates = Vec::new();
        for file in files {
            let new = by_file.remove(&file).unwrap_or_default();
            let old = self.published.get(&file);
            let open = self.docs.contains_key(&file) && touched.contains(&file);
            if !open && old.map_or(new.is_empty(), |o| *o == new) {
                continue;
            }
            let uri = self
                .docs
                .get(&file)
                .map(|d| d.uri.clone())
                .unwrap_or_else(|| uri_of(&self.root.join(&file)));
            let src = self.source(&file);
            let diagnostics = new
                .iter()
                .map(|d| to_lsp(d, src.as_deref(), &self.root))
                .collect();
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            updates.push((file, new, params));
        }
        for (file, new, params) in updates {
            self.notify("textDocument/publishDiagnostics", params);
            if new.is_empty() {
                self.published.remove(&file);
            } else {
                self.published.insert(file, new);
            }
        }
    }

    /// The text of a file as the analysis read it (pages, site.toml, data
    /// files), else from disk.
    fn source(&self, file: &str) -> Option<std::borrow::Cow<'_, SourceText>> {
        use std::borrow::Cow;
        let idx = self.session.analysis()?.index.as_ref();
        if let Some(idx) = idx {
            let site = &idx.site;
            let in_content = file
                .strip_prefix(&site.config.content_dir)
                .and_then(|r| r.strip_prefix('/'));
            if let Some(&c) = in_content.and_then(|r| idx.by_content_path.get(r)) {
                return Some(Cow::Borrowed(&site.pages[c].source));
            }
            if site.config_source.path == file {
                return Some(Cow::Borrowed(&site.config_source));
            }
            if let Some(d) = site.data_files.iter().find(|d| d.path == file) {
                return Some(Cow::Borrowed(d));
            }
        }
        let text = std::fs::read_to_string(self.root.join(file)).ok()?;
        Some(Cow::Owned(SourceText::new(file, text)))
    }

    fn request(&self, req: Request) -> Answer {
        let Request { method, params, .. } = req;
        let ctx = match self.context() {
            Some(c) => c,
            None => return Ok(Value::Null),
        };
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        let bad = |e: serde_json::Error| (ErrorCode::InvalidParams, e.to_string());
        match method.as_str() {
            "textDocument/completion" => {
                let p: lsp::CompletionParams = serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p.text_document_position)?;
                json(serde_json::to_value(complete::complete(&at)))
            }
            "textDocument/hover" => {
                let p: lsp::HoverParams = serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p.text_document_position_params)?;
                json(serde_json::to_value(navigate::hover(&at)))
            }
            "textDocument/definition" => {
                let p: lsp::GotoDefinitionParams = serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p.text_document_position_params)?;
                json(serde_json::to_value(navigate::definition(&at)))
            }
            "textDocument/references" => {
                let p: lsp::ReferenceParams = serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p.text_document_position)?;
                let decl = p.context.include_declaration;
                json(serde_json::to_value(navigate::references(&at, decl)))
            }
            "textDocument/prepareRename" => {
                let p: lsp::TextDocumentPositionParams =
                    serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p)?;
                json(serde_json::to_value(navigate::prepare_rename(&at)))
            }
            "textDocument/rename" => {
                let p: lsp::RenameParams = serde_json::from_value(params).map_err(bad)?;
                let at = ctx.at(&p.text_document_position)?;
                let edit = navigate::rename(&at, &p.new_name)
                    .map_err(|m| (ErrorCode::InvalidParams, m))?;
                json(serde_json::to_value(edit))
            }
            "textDocument/documentSymbol" => {
                let p: lsp::DocumentSymbolParams = serde_json::from_value(params).map_err(bad)?;
                let Some(page) = ctx.page_of(&p.text_document.uri) else {
                    return Ok(Value::Null);
                };
                json(serde_json::to_value(navigate::document_symbols(&ctx, page)))
            }
            "workspace/symbol" => {
                let p: lsp::WorkspaceSymbolParams = serde_json::from_value(params).map_err(bad)?;
                json(serde_json::to_value(navigate::workspace_symbols(
                    &ctx, &p.query,
                )))
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = serde_json::from_value(params).map_err(bad)?;
                json(serde_json::to_value(self.code_actions(&ctx, &p)))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("kader lsp does not answer `{method}`"),
            )),
        }
    }

    fn context(&self) -> Option<Context<'_>> {
        let analysis = self.session.analysis()?;
        Some(Context {
            idx: analysis.index.as_ref()?,
            directives: &analysis.directives,
            diagnostics: &analysis.diagnostics,
            root: &self.root,
            docs: &self.docs,
        })
    }

    /// Quick fixes: every diagnostic in the range that carries a fix.
    // `Uri` caches parts of itself, which its hash and equality do not see.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&self, ctx: &Context, p: &lsp::CodeActionParams) -> Vec<lsp::CodeAction> {
        let Some(page) = ctx.page_of(&p.text_document.uri) else {
            return Vec::new();
        };
        let src = &ctx.idx.site.pages[page].source;
        let (from, to) = (
            text::offset(src, p.range.start),
            text::offset(src, p.range.end),
        );
        let line_of = |o: usize| src.line_col(o).0;
        let (first, last) = (line_of(from), line_of(to));
        ctx.diagnostics
            .iter()
            .filter(|d| d.file == src.path && d.fix.is_some())
            .filter(|d| d.line == 0 || (first..=last).contains(&d.line))
            .filter_map(|d| {
                let fix = d.fix.as_ref()?;
                let edit = lsp::TextEdit {
                    range: text::range(src, fix.start, fix.end),
                    new_text: fix.replacement.clone(),
                };
                let uri = ctx.uri(page);
                Some(lsp::CodeAction {
                    title: fix.title.clone(),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, Some(src), ctx.root)]),
                    edit: Some(lsp::WorkspaceEdit::new(HashMap::from([(uri, vec![edit])]))),
                    is_preferred: Some(true),
                    ..Default::default()
                })
            })
            .collect()
    }
}

/// What the features read: the analysis and the open documents.
pub(crate) struct Context<'a> {
    pub idx: &'a crate::index::SiteIndex,
    pub directives: &'a crate::directives::Directives,
    pub diagnostics: &'a [Diagnostic],
    pub root: &'a Path,
    docs: &'a HashMap<String, Doc>,
}

/// A position in a page: the context, the content page and a byte offset.
pub(crate) struct At<'a> {
    pub ctx: &'a Context<'a>,
    pub page: usize,
    pub offset: usize,
}

impl<'a> Context<'a> {
    /// The content page of a document.
    fn page_of(&self, uri: &lsp::Uri) -> Option<usize> {
        let path = path_of(uri)?;
        let path = path.canonicalize().unwrap_or(path);
        let content = self.root.join(&self.idx.site.config.content_dir);
        let rel = path.strip_prefix(&content).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.idx.by_content_path.get(&rel).copied()
    }

    fn at(&'a self, p: &lsp::TextDocumentPositionParams) -> Result<At<'a>, (ErrorCode, String)> {
        let page = self.page_of(&p.text_document.uri).ok_or((
            ErrorCode::InvalidParams,
            "not a page of the site".to_string(),
        ))?;
        let offset = text::offset(&self.idx.site.pages[page].source, p.position);
        Ok(At {
            ctx: self,
            page,
            offset,
        })
    }

    /// The URI of a content page (as the client named it, when it is open).
    pub fn uri(&self, page: usize) -> lsp::Uri {
        let path = &self.idx.site.pages[page].source.path;
        self.docs
            .get(path)
            .map(|d| d.uri.clone())
            .unwrap_or_else(|| uri_of(&self.root.join(path)))
    }

    /// A location in a content page.
    pub fn location(&self, page: usize, start: usize, end: usize) -> lsp::Location {
        let src = &self.idx.site.pages[page].source;
        lsp::Location::new(self.uri(page), text::range(src, start, end))
    }
}

impl At<'_> {
    pub fn src(&self) -> &SourceText {
        &self.ctx.idx.site.pages[self.page].source
    }

    pub fn parsed(&self) -> &crate::parse::ParsedPage {
        &self.ctx.idx.site.pages[self.page]
    }
}

/// A kader diagnostic as an LSP diagnostic; `src` is the text of its file.
fn to_lsp(d: &Diagnostic, src: Option<&SourceText>, root: &Path) -> lsp::Diagnostic {
    let line_text = |line: usize| src.map(|s| s.line_text(line));
    let range = if d.line == 0 {
        lsp::Range::default()
    } else {
        let t = line_text(d.line);
        let column = d.column.max(1);
        lsp::Range::new(
            text::line_col(t, d.line, column),
            text::line_col(t, d.line, column + d.width.max(1)),
        )
    };
    let message = match &d.hint {
        Some(h) => format!("{}\n{h}", d.message),
        None => d.message.clone(),
    };
    let related = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(
                uri_of(&root.join(&r.file)),
                lsp::Range::new(
                    text::line_col(None, r.line, r.column),
                    text::line_col(None, r.line, r.column),
                ),
            ),
            message: r.message.clone(),
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("kader".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}
