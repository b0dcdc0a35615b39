//! HTML escaping for text and attribute values.

/// Escapes `&`, `<`, `>`, `"` and `'`, safe for text and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped to `out`.
pub fn push_escaped(out: &mut String, s: &str) {
    out.reserve(s.len());
    escaped_pieces(s, |piece| out.push_str(piece));
}

/// Writes `s` escaped to `w` (tera's escape function).
pub fn write_escaped(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escaped_pieces(s, |piece| {
        if result.is_ok() {
            result = w.write_all(piece.as_bytes());
        }
    });
    result
}

/// Hands `s` escaped to `put`, piece by piece. The text between the bytes
/// to escape is found with `memchr` (most text has few of them) and handed
/// over at once.
fn escaped_pieces<'a>(s: &'a str, mut put: impl FnMut(&'a str)) {
    let bytes = s.as_bytes();
    let find_markup =
        |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|p| p + from);
    let find_quote = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|p| p + from);
    // The next byte of each kind to escape, at or after `last`.
    let (mut markup, mut quote) = (find_markup(0), find_quote(0));
    let mut last = 0;
    loop {
        let i = match (markup, quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        put(&s[last..i]);
        put(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        last = i + 1;
        if markup == Some(i) {
            markup = find_markup(last);
        } else {
            quote = find_quote(last);
        }
    }
    put(&s[last..]);
}

/// The text of a small HTML fragment: tags dropped, the common entities
/// decoded, white space collapsed (for titles made from decision trees).
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an HTML fragment with its tags (and comments) left out, as
/// it is: entities stay (tera's `striptags` filter).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        let end = if tag.starts_with("<!--") {
            tag.find("-->").map(|e| e + 3)
        } else {
            tag.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &tag[e..],
            None => {
                rest = tag;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-encodes the characters of a URL path that may not appear raw
/// (spaces, quotes, non-ASCII), keeping `/`, `#` and already-encoded `%XX`.
pub fn encode_url_path(s: &str) -> String {
    if s.bytes().all(url_safe) {
        return s.to_string();
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if url_safe(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
    out
}

/// The bytes a URL path keeps as they are: letters, digits and
/// `-._~/#%!$&'()*+,;=:@?^`.
fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'/'
                | b'#'
                | b'%'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'?'
                | b'^'
        )
}

/// Decodes `%XX` sequences (invalid ones are kept as they are).
pub fn decode_percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn escapes_like_a_byte_by_byte_replacement() {
        let naive = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        for s in [
            "",
            "&",
            "plain text, nothing to escape",
            "''\"\"<<>>&&",
            "a'b\"c<d>e&f",
            "één & twee <b>'drie'</b> \"vier\"",
            "ends with a quote'",
            "<starts with markup",
        ] {
            assert_eq!(escape_html(s), naive(s), "{s:?}");
            let mut out = String::from("kept ");
            push_escaped(&mut out, s);
            assert_eq!(out, format!("kept {}", naive(s)));
            let mut written = Vec::new();
            write_escaped(s, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), naive(s));
        }
    }

    #[test]
    fn strips_tags_and_comments_but_not_entities() {
        assert_eq!(strip_tags("Je <b>hoog</b>-risico"), "Je hoog-risico");
        assert_eq!(strip_tags("a<!-- <b> -->b &amp; c"), "ab &amp; c");
        assert_eq!(strip_tags("1 < 2"), "1 < 2");
        assert_eq!(strip_tags("<p>x</p><br>"), "x");
    }

    #[test]
    fn encodes_and_decodes_paths() {
        assert_eq!(encode_url_path("/a b/é.pdf"), "/a%20b/%C3%A9.pdf");
        assert_eq!(encode_url_path("a-b/c_d.e~f?g=h#i"), "a-b/c_d.e~f?g=h#i");
        assert_eq!(encode_url_path("\u{1}\"<>[]`"), "%01%22%3C%3E%5B%5D%60");
        assert_eq!(decode_percent("/a%20b/%C3%A9.pdf"), "/a b/é.pdf");
        assert_eq!(decode_percent("100%"), "100%");
        assert_eq!(decode_percent("%zz"), "%zz");
        assert_eq!(decode_percent("%é%"), "%é%");
    }
}
