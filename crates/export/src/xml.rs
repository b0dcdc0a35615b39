//! Writing XML and zip containers in memory: elements with attributes and
//! text escaped by `quick-xml`'s escaping, parts of a zip container by
//! `zip`.

use crate::Error;
use quick_xml::escape::escape;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// One XML document being written, in memory ([`Xml::new`]) or a piece
/// at a time into a part of a zip container ([`Xml::part`]). Names are the
/// writer's own constants; attribute values and text are escaped.
pub struct Xml<'z> {
    buf: Vec<u8>,
    /// Where a streamed document goes, and its first write error.
    sink: Option<(&'z mut Zip, Option<Error>)>,
}

/// A streamed document is handed to its zip part in pieces of about this
/// many bytes: a data sheet of a large site is tens of megabytes of XML,
/// which is never held whole.
const PIECE: usize = 64 * 1024;

const DECLARATION: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

impl Xml<'static> {
    /// A document in memory, starting with its XML declaration.
    pub fn new() -> Xml<'static> {
        Xml::with_capacity(4096)
    }

    /// A document in memory with room for about `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Xml<'static> {
        let mut buf = Vec::with_capacity(bytes.max(DECLARATION.len()));
        buf.extend_from_slice(DECLARATION);
        Xml { buf, sink: None }
    }
}

impl<'z> Xml<'z> {
    /// A document written into a new deflated part `path` of `zip` as it
    /// grows; [`Xml::end`] completes it.
    pub fn part(zip: &'z mut Zip, path: &str) -> Result<Xml<'z>, Error> {
        zip.start(path)?;
        let mut buf = Vec::with_capacity(PIECE + 4096);
        buf.extend_from_slice(DECLARATION);
        Ok(Xml {
            buf,
            sink: Some((zip, None)),
        })
    }

    /// Hands what is written so far to the zip part, once it is a piece.
    fn spill(&mut self) {
        if self.buf.len() < PIECE {
            return;
        }
        if let Some((zip, failure)) = &mut self.sink {
            if failure.is_none() {
                if let Err(e) = zip.write(&self.buf) {
                    *failure = Some(e);
                }
            }
            self.buf.clear();
        }
    }

    /// Completes a document made by [`Xml::part`]: the rest goes to its part.
    pub fn end(self) -> Result<(), Error> {
        match self.sink {
            Some((zip, None)) => zip.write(&self.buf),
            Some((_, Some(e))) => Err(e),
            None => Err(Error("an XML document in memory has no zip part".into())),
        }
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        for &(key, value) in attrs {
            self.buf.push(b' ');
            self.buf.extend_from_slice(key.as_bytes());
            self.buf.extend_from_slice(b"=\"");
            self.buf.extend_from_slice(escape(value).as_bytes());
            self.buf.push(b'"');
        }
    }

    /// `<name attrs…>`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.buf.push(b'>');
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        self.spill();
    }

    /// `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.buf.extend_from_slice(b"/>");
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) {
        self.buf.extend_from_slice(escape(text).as_bytes());
    }

    /// `<name attrs…>text</name>`.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.text(text);
        self.close(name);
    }

    /// The document made by [`Xml::new`].
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        match self.sink {
            None => Ok(self.buf),
            Some(_) => Err(Error(
                "a streamed XML document is completed with `end`".into(),
            )),
        }
    }
}

/// A zip container being written in memory.
pub struct Zip {
    z: ZipWriter<Cursor<Vec<u8>>>,
}

fn zip_error(e: impl std::fmt::Display) -> Error {
    Error(e.to_string())
}

/// Parts below this many bytes are stored, not deflated.
pub const SMALL_PART: usize = 2048;

impl Zip {
    pub fn new() -> Zip {
        Zip {
            z: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// Adds a part, stored as it is (`compress` false) or deflated at the
    /// fastest level (spreadsheet XML is repetitive: level 1 already gives
    /// most of the gain, at a fraction of the time). A part smaller than
    /// [`SMALL_PART`] is stored: setting a compressor up costs more than it
    /// saves there. Entries carry the zip format's earliest date, so equal
    /// books give equal bytes.
    pub fn part(&mut self, path: &str, bytes: &[u8], compress: bool) -> Result<(), Error> {
        let compress = compress && bytes.len() >= SMALL_PART;
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(compress.then_some(1));
        self.z.start_file(path, options).map_err(zip_error)?;
        self.z.write_all(bytes).map_err(zip_error)
    }

    /// Starts a deflated part whose bytes follow through [`Zip::write`].
    pub fn start(&mut self, path: &str) -> Result<(), Error> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1));
        self.z.start_file(path, options).map_err(zip_error)
    }

    /// More bytes of the part being written.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.z.write_all(bytes).map_err(zip_error)
    }

    pub fn finish(self) -> Result<Vec<u8>, Error> {
        Ok(self.z.finish().map_err(zip_error)?.into_inner())
    }
}

/// The spreadsheet column name of a 0-based index (`A`, `Z`, `AA`).
pub fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn attribute_values_are_escaped_only_where_needed() {
        let mut x = super::Xml::new();
        x.empty("c", &[("r", "A1"), ("v", "<a href=\"x\">&'")]);
        let xml = String::from_utf8(x.finish().unwrap()).unwrap();
        assert!(
            xml.ends_with(r#"<c r="A1" v="&lt;a href=&quot;x&quot;&gt;&amp;&apos;"/>"#),
            "{xml}"
        );
    }

    #[test]
    fn a_streamed_part_holds_what_a_document_in_memory_holds() {
        use super::{Xml, Zip, PIECE};
        use std::io::Read;
        let write = |x: &mut Xml<'_>| {
            x.open("root", &[]);
            for i in 0..20_000 {
                x.leaf("c", &[("n", &i.to_string())], "a & b <c>");
            }
            x.close("root");
        };
        let mut whole = Xml::new();
        write(&mut whole);
        let whole = whole.finish().unwrap();
        assert!(whole.len() > 4 * PIECE, "{} bytes", whole.len());
        let mut zip = Zip::new();
        let mut streamed = Xml::part(&mut zip, "doc.xml").unwrap();
        write(&mut streamed);
        streamed.end().unwrap();
        let bytes = zip.finish().unwrap();
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = Vec::new();
        archive
            .by_name("doc.xml")
            .unwrap()
            .read_to_end(&mut read)
            .unwrap();
        assert!(read == whole, "the streamed part differs");
    }

    #[test]
    fn column_names() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(27), "AB");
        assert_eq!(super::column_name(701), "ZZ");
        assert_eq!(super::column_name(702), "AAA");
    }
}
