//! A small HTTP/1.1 server for previews: GET and HEAD, one thread per
//! connection, answers from a [`Snapshot`](super::Snapshot).

use super::{State, CSP};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: content_type.to_string(),
            body,
            location: None,
        }
    }

    pub fn ok(content_type: &str, body: Vec<u8>) -> Response {
        Response::new(200, content_type, body)
    }

    pub fn redirect(to: &str) -> Response {
        Response {
            status: 301,
            content_type: "text/plain; charset=utf-8".into(),
            body: format!("see {to}\n").into_bytes(),
            location: Some(to.to_string()),
        }
    }
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "bin" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

/// Percent-decodes a request path; `None` if it decodes to invalid UTF-8.
pub fn decode_path(p: &str) -> Option<String> {
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub fn encode_path(p: &str) -> String {
    crate::parse::escape::encode_url_path(p)
}

const LIVERELOAD_JS: &[u8] = include_bytes!("livereload.js");
const OVERLAY_CSS: &[u8] = include_bytes!("overlay.css");
const WAITING_HTML: &[u8] = include_bytes!("waiting.html");
const LIVERELOAD_TAG: &str = "<script src=\"/__kader/livereload.js\" defer></script>";

pub fn serve(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
}

fn handle(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if !matches!(method, "GET" | "HEAD") {
        let r = Response::new(
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        );
        return write_response(&mut stream, &r, false);
    }
    let response = match path {
        "/__kader/events" => return events(stream, state),
        "/__kader/livereload.js" => {
            Response::ok("text/javascript; charset=utf-8", LIVERELOAD_JS.to_vec())
        }
        "/__kader/overlay.css" => Response::ok("text/css; charset=utf-8", OVERLAY_CSS.to_vec()),
        _ => {
            let snapshot = state.snapshot.read().ok().and_then(|s| s.clone());
            match snapshot {
                Some(s) => with_livereload(s.respond(path)),
                None => Response::new(503, "text/html; charset=utf-8", WAITING_HTML.to_vec()),
            }
        }
    };
    write_response(&mut stream, &response, method == "HEAD")
}

/// Adds the live-reload script to HTML pages (only when serving).
fn with_livereload(mut r: Response) -> Response {
    if r.content_type.starts_with("text/html") {
        if let Some(at) = r
            .body
            .windows(7)
            .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        {
            r.body.splice(at..at, LIVERELOAD_TAG.bytes());
        }
    }
    r
}

/// A server-sent event stream: reloads, CSS swaps and build errors.
fn events(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    // Subscribe before answering: a client that has seen the answer must
    // get every event that follows.
    let rx = state.hub.subscribe();
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    stream.flush()?;
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

fn write_response(stream: &mut TcpStream, r: &Response, head: bool) -> std::io::Result<()> {
    let reason = match r.status {
        200 => "OK",
        301 => "Moved Permanently",
        404 => "Not Found",
        503 => "Service Unavailable",
        405 => "Method Not Allowed",
        _ => "",
    };
    let mut head_text = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: {CSP}\r\nConnection: close\r\n",
        r.status,
        r.content_type,
        r.body.len()
    );
    if let Some(loc) = &r.location {
        head_text.push_str(&format!("Location: {loc}\r\n"));
    }
    head_text.push_str("\r\n");
    stream.write_all(head_text.as_bytes())?;
    if !head {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths() {
        assert_eq!(decode_path("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(decode_path("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(decode_path("/%ff"), None);
    }
}
