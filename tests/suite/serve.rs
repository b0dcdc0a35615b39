//! `kader serve`: live reload, the error overlay payload, recovery.

use crate::harness::Site;

fn site() -> Site {
    let site = Site::fixture("directives");
    site.file("static/extra.css", "body { color: black; }\n");
    site
}

#[test]
fn edits_reload_pages_and_errors_show_until_fixed() {
    let site = site();
    let server = site.serve();
    let r = server.get("/vereisten/aia-01-logging/");
    assert_eq!(r.status, 200);
    assert!(r
        .body
        .contains("<script src=\"/__kader/livereload.js\" defer></script></head>"));
    let mut events = server.events();

    // An edit reloads the pages it changes: the page itself and the measure listing it.
    let page = "content/vereisten/aia-01-logging.md";
    let text = site.read(page);
    site.file(
        page,
        &text.replace("title: Logs worden bewaard", "title: Logs blijven bewaard"),
    );
    let data = events.next("reload");
    assert!(data.contains("\"/vereisten/aia-01-logging/\""), "{data}");
    assert!(
        data.contains("\"/maatregelen/logboek-inrichten/\""),
        "{data}"
    );
    assert!(!data.contains("\"/vereisten/avg-01-grondslag/\""), "{data}");
    assert!(server
        .get("/vereisten/aia-01-logging/")
        .body
        .contains("Logs blijven bewaard"));

    // Broken YAML: the errors go to the page; the last good page is still served.
    site.file(
        page,
        &text.replace("title: Logs worden bewaard", "title: [Logs"),
    );
    let data = events.next("errors");
    assert!(
        data.contains("\"code\": \"K0101\"") || data.contains("\"code\":\"K0101\""),
        "{data}"
    );
    assert!(
        data.contains("content/vereisten/aia-01-logging.md"),
        "{data}"
    );
    let r = server.get("/vereisten/aia-01-logging/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Logs blijven bewaard"));
    // A browser that connects now gets the errors at once.
    let mut late = server.events();
    late.next("errors");

    // The fix clears the overlay.
    site.file(page, &text);
    events.next("ok");
    assert!(server
        .get("/vereisten/aia-01-logging/")
        .body
        .contains("Logs worden bewaard"));

    // A CSS-only change swaps styles without a reload.
    site.file("static/extra.css", "body { color: navy; }\n");
    events.next("css");
    assert!(server.get("/extra.css").body.contains("navy"));
}

#[test]
fn a_deleted_and_recreated_content_folder_is_survived() {
    let site = site();
    let server = site.serve();
    let mut events = server.events();
    let content = site.path("content");
    let moved = site.path("elsewhere");
    std::fs::rename(&content, &moved).unwrap();
    let data = events.next("errors");
    assert!(data.contains("content folder"), "{data}");
    assert_eq!(
        server.get("/vereisten/aia-01-logging/").status,
        200,
        "the last good site stays up"
    );
    std::fs::rename(&moved, &content).unwrap();
    events.next("ok");
    assert_eq!(server.get("/vereisten/aia-01-logging/").status, 200);
    assert_eq!(server.get("/bestaat-niet/").status, 404);
    assert_eq!(server.get("/../site.toml").status, 404);
    assert_eq!(server.get("/%2e%2e/site.toml").status, 404);
}
