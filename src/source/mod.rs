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
pub use line_index::{LineIndex, Position, PositionCursor, Positions};
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
        Self::read_named(path, path.display().to_string(), encoding)
    }

    /// [`Source::read`] with the name to show given (a batch run has it
    /// already). A text file costs five system calls: open, one `statx`
    /// for its size, one read of all of it, one read that finds its end,
    /// close; its bytes go into a buffer each thread reuses (decoding
    /// copies the text out).
    pub fn read_named(
        path: &Path,
        name: String,
        encoding: Option<Encoding>,
    ) -> Result<Self, InputError> {
        use std::io::{Read, Seek};
        let io = |source| InputError::Io {
            name: name.clone(),
            source,
        };
        let mut file = open(path).map_err(io)?;
        if is_docx_name(&name) {
            return Self::from_docx(name, std::io::BufReader::new(file));
        }
        let size = file.metadata().map_err(io)?.len();
        if size > decode::MAX_TEXT_BYTES {
            // Too large for text; a Word document whatever its name?
            let mut head = [0u8; 8];
            let n = file.read(&mut head).map_err(io)?;
            if head[..n].starts_with(docx::ZIP_MAGIC) {
                file.rewind().map_err(io)?;
                return Self::from_docx(name, std::io::BufReader::new(file));
            }
            return Err(InputError::TooLarge {
                name,
                size,
                limit: decode::MAX_TEXT_BYTES,
            });
        }
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with_borrow_mut(|bytes| {
            let read = read_sized(&mut file, bytes, usize::try_from(size).unwrap_or(0)).map_err(io);
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

/// Read all of `file`, whose metadata said `size` bytes, into `bytes`
/// (cleared first): a read of `size + 1` bytes gets a regular file whole,
/// the next one finds its end. std's `read_to_end` would ask for the size
/// again (`statx` and `lseek`) and read in growing pieces. A file that grew
/// (or has no size: a pipe) is read on to its end.
fn read_sized(file: &mut std::fs::File, bytes: &mut Vec<u8>, size: usize) -> std::io::Result<()> {
    use std::io::Read;
    bytes.clear();
    bytes.resize(size + 1, 0);
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let full = filled == bytes.len();
    bytes.truncate(filled);
    if full {
        file.read_to_end(bytes)?;
    }
    Ok(())
}

/// Open a file to read. On Linux, relative to a handle on its directory
/// kept by each thread, so that the kernel looks up one name instead of
/// walking the whole path again for every file of a directory (a batch
/// run reads directories file after file). Anything unusual (no parent,
/// a failure) takes `File::open`'s way, whose error is the one reported.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    if let Some(file) = dir_handle::open(path) {
        return Ok(file);
    }
    std::fs::File::open(path)
}

/// Forget the directory handle of this thread (a batch run's end).
pub(crate) fn forget_directory() {
    #[cfg(target_os = "linux")]
    dir_handle::forget();
}

#[cfg(target_os = "linux")]
mod dir_handle {
    use std::cell::RefCell;
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::path::{Path, PathBuf};

    use rustix::fs::{Mode, OFlags};

    thread_local! {
        /// The directory of the last file opened, and a handle on it
        /// (`O_PATH`: no permission to list it is needed, as for a path).
        static DIR: RefCell<Option<(PathBuf, OwnedFd)>> = const { RefCell::new(None) };
    }

    pub(super) fn open(path: &Path) -> Option<File> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
        let name = path.file_name()?;
        DIR.with_borrow_mut(|cached| {
            if cached
                .as_ref()
                .is_none_or(|(d, _)| d.as_os_str() != dir.as_os_str())
            {
                *cached = None;
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(dir, flags, Mode::empty()).ok()?;
                *cached = Some((dir.to_path_buf(), fd));
            }
            let (_, fd) = cached.as_ref()?;
            let flags = OFlags::RDONLY | OFlags::CLOEXEC;
            rustix::fs::openat(fd, name, flags, Mode::empty())
                .ok()
                .map(File::from)
        })
    }

    pub(super) fn forget() {
        DIR.with_borrow_mut(|cached| *cached = None);
    }
}

/// The largest read buffer a thread keeps for the next file.
const REUSED_BUFFER_MAX: usize = 1 << 20;

/// File extensions read as Word documents.
pub const DOCX_EXTENSIONS: &[&str] = &["docx", "docm", "dotx", "dotm"];

/// File extensions a directory walk picks up as reports.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "docx"];

fn is_docx_name(name: &str) -> bool {
    has_extension(Path::new(name), DOCX_EXTENSIONS)
}

/// Whether a path's extension is one of `extensions` (lower case), in any
/// case, without building a lower-case copy.
pub(crate) fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn files_open_as_by_their_path() {
        let files = crate::batch::walk(Path::new("tests/fixtures")).unwrap();
        assert!(files.len() > 50);
        for f in &files {
            let mut bytes = Vec::new();
            open(f).unwrap().read_to_end(&mut bytes).unwrap();
            assert_eq!(bytes, std::fs::read(f).unwrap(), "{}", f.display());
        }
        #[cfg(target_os = "linux")]
        assert!(
            dir_handle::open(&files[0]).is_some(),
            "opened by the handle"
        );
        let outcome = |r: std::io::Result<std::fs::File>| r.map(|_| ()).map_err(|e| e.kind());
        for p in [
            "tests/fixtures/missing.txt",
            "tests/nowhere/x.txt",
            "Cargo.toml",
            "tests/fixtures",
            "tests/fixtures/..",
            "tests/fixtures/./corpus/../corpus",
        ] {
            assert_eq!(
                outcome(open(Path::new(p))),
                outcome(std::fs::File::open(p)),
                "{p}"
            );
        }
        forget_directory();
    }
}
