//! A thin layer over `quick-xml`'s writer and `zip`'s: elements with
//! escaped attributes and text, parts of a zip container, both in memory.

use crate::Error;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// One XML document being written.
pub struct Xml {
    w: quick_xml::Writer<Vec<u8>>,
    error: Option<String>,
}

impl Xml {
    /// A document starting with its XML declaration.
    pub fn new() -> Xml {
        let mut x = Xml {
            w: quick_xml::Writer::new(Vec::with_capacity(4096)),
            error: None,
        };
        x.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x
    }

    fn event(&mut self, e: Event<'_>) {
        if let Err(e) = self.w.write_event(e) {
            self.error.get_or_insert(e.to_string());
        }
    }

    fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attrs.iter().copied())
    }

    /// `<name attrs…>`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(Self::start(name, attrs)));
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(Self::start(name, attrs)));
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) {
        self.event(Event::Text(BytesText::new(text)));
    }

    /// `<name attrs…>text</name>`.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.text(text);
        self.close(name);
    }

    pub fn finish(self) -> Result<Vec<u8>, Error> {
        match self.error {
            Some(e) => Err(Error(e)),
            None => Ok(self.w.into_inner()),
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

impl Zip {
    pub fn new() -> Zip {
        Zip {
            z: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// Adds a part, stored as it is (`compress` false) or deflated at the
    /// fastest level (spreadsheet XML is repetitive: level 1 already gives
    /// most of the gain, at a fraction of the time). Entries carry the zip
    /// format's earliest date, so equal books give equal bytes.
    pub fn part(&mut self, path: &str, bytes: &[u8], compress: bool) -> Result<(), Error> {
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
    fn column_names() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(27), "AB");
        assert_eq!(super::column_name(701), "ZZ");
        assert_eq!(super::column_name(702), "AAA");
    }
}
