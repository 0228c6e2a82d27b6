//! The text being checked: decoded UTF-8, its line index and where it came from.

pub mod decode;
pub mod line_index;
pub mod span;

pub use decode::{Encoding, InputError, Origin};
pub use line_index::{LineIndex, Position};
pub use span::Span;

/// One input document, decoded. Spans everywhere else are byte ranges into
/// `text`; `origin` says how to map back to the bytes on disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown to users (a path as given, or `-`/`--stdin-filename`).
    pub name: String,
    /// The decoded text. Line breaks are kept as they were (LF, CRLF, CR).
    pub text: String,
    pub index: LineIndex,
    pub origin: Origin,
}

impl Source {
    /// A source from text already in memory (tests, the language server).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        Source {
            name: name.into(),
            index: LineIndex::new(&text),
            text,
            origin: Origin::default(),
        }
    }

    /// Decode bytes read from a file or stdin.
    pub fn decode(name: impl Into<String>, bytes: &[u8]) -> Result<Self, InputError> {
        let name = name.into();
        let (text, origin) = decode::decode(&name, bytes)?;
        Ok(Source {
            index: LineIndex::new(&text),
            name,
            text,
            origin,
        })
    }

    /// Line/column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.index.position(&self.text, offset)
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.index.line_of(offset) + 1
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }
}
