//! `kader serve`: live reload, the error overlay payload, recovery.

use crate::harness as common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kader"))
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let port = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest[..rest.find('/').unwrap()].parse().unwrap();
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stderr.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    Server { child, port }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text[9..12].parse().unwrap();
    (
        status,
        text.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default(),
    )
}

/// A connection to the event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /__kader/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.contains("200"), "{line}");
        Events(r)
    }

    /// The next event of kind `name`: its data.
    fn next(&mut self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
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

fn site() -> common::Site {
    let site = common::Site::fixture("directives");
    site.file("static/extra.css", "body { color: black; }\n");
    site
}

#[test]
fn edits_reload_pages_and_errors_show_until_fixed() {
    let site = site();
    let server = start(site.root());
    let (status, html) = get(server.port, "/vereisten/aia-01-logging/");
    assert_eq!(status, 200);
    assert!(html.contains("<script src=\"/__kader/livereload.js\" defer></script></head>"));
    let mut events = Events::open(server.port);

    // An edit reloads the pages it changes: the page itself and the measure listing it.
    let page = site.root().join("content/vereisten/aia-01-logging.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("title: Logs worden bewaard", "title: Logs blijven bewaard"),
    )
    .unwrap();
    let data = events.next("reload");
    assert!(data.contains("\"/vereisten/aia-01-logging/\""), "{data}");
    assert!(
        data.contains("\"/maatregelen/logboek-inrichten/\""),
        "{data}"
    );
    assert!(!data.contains("\"/vereisten/avg-01-grondslag/\""), "{data}");
    assert!(get(server.port, "/vereisten/aia-01-logging/")
        .1
        .contains("Logs blijven bewaard"));

    // Broken YAML: the errors go to the page; the last good page is still served.
    std::fs::write(
        &page,
        text.replace("title: Logs worden bewaard", "title: [Logs"),
    )
    .unwrap();
    let data = events.next("errors");
    assert!(
        data.contains("\"code\": \"K0101\"") || data.contains("\"code\":\"K0101\""),
        "{data}"
    );
    assert!(
        data.contains("content/vereisten/aia-01-logging.md"),
        "{data}"
    );
    let (status, html) = get(server.port, "/vereisten/aia-01-logging/");
    assert_eq!(status, 200);
    assert!(html.contains("Logs blijven bewaard"));
    // A browser that connects now gets the errors at once.
    let mut late = Events::open(server.port);
    late.next("errors");

    // The fix clears the overlay.
    std::fs::write(&page, text).unwrap();
    events.next("ok");
    assert!(get(server.port, "/vereisten/aia-01-logging/")
        .1
        .contains("Logs worden bewaard"));

    // A CSS-only change swaps styles without a reload.
    std::fs::write(
        site.root().join("static/extra.css"),
        "body { color: navy; }\n",
    )
    .unwrap();
    events.next("css");
    assert!(get(server.port, "/extra.css").1.contains("navy"));
}

#[test]
fn a_deleted_and_recreated_content_folder_is_survived() {
    let site = site();
    let server = start(site.root());
    let mut events = Events::open(server.port);
    let content = site.root().join("content");
    let moved = site.root().join("elsewhere");
    std::fs::rename(&content, &moved).unwrap();
    let data = events.next("errors");
    assert!(data.contains("content folder"), "{data}");
    assert_eq!(
        get(server.port, "/vereisten/aia-01-logging/").0,
        200,
        "the last good site stays up"
    );
    std::fs::rename(&moved, &content).unwrap();
    events.next("ok");
    assert_eq!(get(server.port, "/vereisten/aia-01-logging/").0, 200);
    assert_eq!(get(server.port, "/bestaat-niet/").0, 404);
    assert_eq!(get(server.port, "/../site.toml").0, 404);
    assert_eq!(get(server.port, "/%2e%2e/site.toml").0, 404);
}
