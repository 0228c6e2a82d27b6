//! A small streaming layer over quick-xml: local names, unescaped
//! attributes and text, a depth limit, and errors that name the part.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One XML event, reduced to what the OOXML reader needs. Empty elements
/// arrive as `Start` followed by `End`.
#[derive(Debug)]
pub(crate) enum Ev {
    Start(Elem),
    End(String),
    Text(String),
    Eof,
}

/// A start tag: local name and attributes by local name.
#[derive(Debug)]
pub(crate) struct Elem {
    pub name: String,
    /// Prefix of the qualified name (`w`, `mc`, `a` …).
    pub prefix: String,
    attrs: Vec<(String, String)>,
}

impl Elem {
    /// The value of the attribute with local name `key` (`w:val` → `val`).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `w:val`, the attribute almost every property element has.
    pub fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    /// An on/off property: present without `w:val`, or with a true value.
    pub fn on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off" | "none"))
    }
}

/// Why XML could not be read.
#[derive(Debug)]
pub(crate) enum XmlError {
    /// Malformed XML, or the underlying reader failed (size limit, damaged
    /// compressed data), with the byte position in the part.
    Malformed { position: u64, message: String },
    /// Nesting deeper than allowed.
    TooDeep { limit: usize },
    /// The compressed data could not be inflated, or a size limit was hit.
    Io(String),
}

pub(crate) struct XmlReader<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    depth: usize,
    max_depth: usize,
    pending_end: Option<String>,
}

impl<R: BufRead> XmlReader<R> {
    pub fn new(input: R, max_depth: usize) -> Self {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        XmlReader {
            reader,
            buf: Vec::with_capacity(4096),
            depth: 0,
            max_depth,
            pending_end: None,
        }
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    fn start(&mut self, e: &BytesStart) -> Result<Elem, XmlError> {
        let qname = e.name();
        let full: &str = qname.as_ref();
        let (prefix, name) = match full.split_once(':') {
            Some((p, n)) => (p.to_string(), n.to_string()),
            None => (String::new(), full.to_string()),
        };
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.malformed(err.to_string()))?;
            let key: &str = a.key.as_ref();
            let key = key.rsplit(':').next().unwrap_or(key).to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| self.malformed(err.to_string()))?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Elem {
            name,
            prefix,
            attrs,
        })
    }

    fn malformed(&self, message: String) -> XmlError {
        XmlError::Malformed {
            position: self.reader.buffer_position(),
            message,
        }
    }

    fn local(name: &str) -> String {
        name.rsplit(':').next().unwrap_or(name).to_string()
    }

    /// The next event. Comments, declarations and processing instructions
    /// are skipped.
    pub fn next(&mut self) -> Result<Ev, XmlError> {
        if let Some(name) = self.pending_end.take() {
            self.depth -= 1;
            return Ok(Ev::End(name));
        }
        loop {
            self.buf.clear();
            let ev = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev.into_owned(),
                Err(quick_xml::Error::Io(err)) => return Err(XmlError::Io(err.to_string())),
                Err(err) => return Err(self.malformed(err.to_string())),
            };
            match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(XmlError::TooDeep {
                            limit: self.max_depth,
                        });
                    }
                    return Ok(Ev::Start(self.start(&e)?));
                }
                Event::Empty(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(XmlError::TooDeep {
                            limit: self.max_depth,
                        });
                    }
                    let elem = self.start(&e)?;
                    self.pending_end = Some(elem.name.clone());
                    return Ok(Ev::Start(elem));
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    let q = e.name();
                    return Ok(Ev::End(Self::local(q.as_ref())));
                }
                Event::Text(t) => return Ok(Ev::Text(t.xml10_content().into_owned())),
                Event::CData(t) => {
                    return Ok(Ev::Text(t.into_inner().into_owned()));
                }
                Event::GeneralRef(r) => {
                    let text: Cow<str> = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => Cow::Owned(c.to_string()),
                            _ => {
                                return Err(
                                    self.malformed(format!("bad character reference &{};", &*r))
                                );
                            }
                        }
                    } else {
                        match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => Cow::Borrowed(s),
                            None => return Err(self.malformed(format!("unknown entity &{};", &*r))),
                        }
                    };
                    return Ok(Ev::Text(text.into_owned()));
                }
                Event::Eof => {
                    if self.depth != 0 {
                        return Err(self.malformed("unexpected end of the part".into()));
                    }
                    return Ok(Ev::Eof);
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Skip to the end of the element just started (its End is consumed).
    pub fn skip(&mut self) -> Result<(), XmlError> {
        let target = self.depth - 1;
        while self.depth > target {
            if let Ev::Eof = self.next()? {
                return Err(self.malformed("unexpected end of the part".into()));
            }
        }
        Ok(())
    }
}
