//! The text being checked: decoded UTF-8, its line index and where it came from.

pub mod decode;
pub mod docx;
pub mod line_index;
pub mod span;

use std::path::Path;
use std::sync::Arc;

pub use decode::{
    Encoding, InputError, InputFormat, LineEnding, Origin, ParagraphPosition, encode_like,
};
pub use line_index::{LineIndex, Position, PositionCursor};
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

    /// Decode bytes read from a file or stdin, detecting the encoding; a
    /// .docx (by name or zip bytes) is read as a Word document. Same as
    /// [`Source::decode_with`] with no forced encoding.
    pub fn decode(name: impl Into<String>, bytes: &[u8]) -> Result<Self, InputError> {
        Self::decode_with(name, bytes, None)
    }

    /// Decode bytes in a forced encoding, or detect it (`None`). Bytes that
    /// are a .docx (zip) or an OLE file (.doc, encrypted .docx) are read as
    /// such whatever the name says.
    pub fn decode_with(
        name: impl Into<String>,
        bytes: &[u8],
        encoding: Option<Encoding>,
    ) -> Result<Self, InputError> {
        let name = name.into();
        if bytes.starts_with(docx::ZIP_MAGIC) || is_docx_name(&name) {
            return Self::from_docx(name, std::io::Cursor::new(bytes));
        }
        if bytes.starts_with(docx::CFB_MAGIC) {
            return Err(docx::cfb_error(&name, bytes));
        }
        let (text, origin) = decode::decode_as(&name, bytes, encoding)?;
        Ok(Source {
            index: LineIndex::new(&text),
            name,
            text,
            origin,
        })
    }

    /// Read a file: .docx by its name or its first bytes, text otherwise
    /// (in `encoding`, or detected). Sizes are checked before reading.
    pub fn read(path: &Path, encoding: Option<Encoding>) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let io = |source| InputError::Io {
            name: name.clone(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut head = [0u8; 8];
        let n = std::io::Read::read(&mut file, &mut head).map_err(io)?;
        if is_docx_name(&name) || head[..n].starts_with(docx::ZIP_MAGIC) {
            return Self::from_docx(name.clone(), std::io::BufReader::new(file));
        }
        if size > decode::MAX_TEXT_BYTES {
            return Err(InputError::TooLarge {
                name,
                size,
                limit: decode::MAX_TEXT_BYTES,
            });
        }
        // One open and one read (the head already read, then the rest),
        // into a buffer each thread reuses: decoding copies the text out.
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with_borrow_mut(|bytes| {
            bytes.clear();
            bytes.reserve(usize::try_from(size).unwrap_or(0) + 1);
            bytes.extend_from_slice(&head[..n]);
            let read = std::io::Read::read_to_end(&mut file, bytes).map_err(io);
            let source = read.and_then(|_| Self::decode_with(name.clone(), bytes, encoding));
            // Keep a report-sized buffer, not the largest file ever read.
            if bytes.capacity() > REUSED_BUFFER_MAX {
                *bytes = Vec::new();
            }
            source
        })
    }

    /// Read a .docx with the default [`docx::Limits`].
    pub fn from_docx<R: std::io::Read + std::io::Seek>(
        name: impl Into<String>,
        reader: R,
    ) -> Result<Self, InputError> {
        Self::from_docx_with(name, reader, docx::Limits::default())
    }

    /// Read a .docx within `limits`.
    pub fn from_docx_with<R: std::io::Read + std::io::Seek>(
        name: impl Into<String>,
        reader: R,
        limits: docx::Limits,
    ) -> Result<Self, InputError> {
        let name = name.into();
        let (text, map) = docx::read(&name, reader, limits)?;
        Ok(Source {
            index: LineIndex::new(&text),
            name,
            text,
            origin: Origin {
                format: InputFormat::Docx,
                docx: Some(Arc::new(map)),
                ..Origin::default()
            },
        })
    }

    /// For .docx input: paragraph number and character in it of a byte
    /// offset (what `short` output shows as `report.docx:¶12:5`).
    pub fn paragraph_position(&self, offset: usize) -> Option<ParagraphPosition> {
        self.origin.paragraph_of(&self.text, offset)
    }

    /// Where a byte offset is, as a user finds it: `¶12:5` (paragraph and
    /// character) for .docx, `12:5` (line and column) for text.
    pub fn location(&self, offset: usize) -> String {
        match self.paragraph_position(offset) {
            Some(p) => format!("¶{}:{}", p.paragraph, p.column),
            None => {
                let p = self.position(offset);
                format!("{}:{}", p.line, p.column)
            }
        }
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

/// The largest read buffer a thread keeps for the next file.
const REUSED_BUFFER_MAX: usize = 1 << 20;

/// File extensions read as Word documents.
pub const DOCX_EXTENSIONS: &[&str] = &["docx", "docm", "dotx", "dotm"];

/// File extensions a directory walk picks up as reports.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "docx"];

fn is_docx_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCX_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
