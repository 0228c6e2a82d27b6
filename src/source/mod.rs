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
        let (text, origin, index) = decode::decode_indexed(&name, bytes, encoding)?;
        Ok(Source {
            index,
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
    /// already). A text file that fits in the buffer each thread reuses
    /// costs four system calls: open, one read of all of it, one read that
    /// finds its end, close; only a larger one has its size asked
    /// ([`read_all`]). Decoding copies the text out of the buffer.
    pub fn read_named(
        path: &Path,
        name: String,
        encoding: Option<Encoding>,
    ) -> Result<Self, InputError> {
        Self::read_file(path, name, encoding, false)
    }

    /// [`Source::read_named`]; `regular` when the file is known to be a
    /// regular file (a directory walk found it so): a read of one that
    /// gives less than it asked for has reached its end (a pipe's or a
    /// terminal's need not have), so no read is made only to find the end:
    /// three system calls a file.
    pub(crate) fn read_file(
        path: &Path,
        name: String,
        encoding: Option<Encoding>,
        regular: bool,
    ) -> Result<Self, InputError> {
        use std::io::Seek;
        let mut file = match open(path) {
            Ok(file) => file,
            Err(source) => return Err(InputError::Io { name, source }),
        };
        if is_docx_name(&name) {
            return Self::from_docx(name, std::io::BufReader::new(file));
        }
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        // The name goes into the source (no copy), or comes back with a
        // file too large for text.
        let read = BUFFER.with_borrow_mut(|bytes| {
            let read = match read_all(&mut file, bytes, regular) {
                Ok(None) => Ok(Self::decode_with(name, bytes, encoding)),
                Ok(Some(size)) => Err((size, bytes.starts_with(docx::ZIP_MAGIC), name)),
                Err(e) => Ok(Err(InputError::Io { name, source: e })),
            };
            // Keep a report-sized buffer, not the largest file ever read.
            if bytes.capacity() > REUSED_BUFFER_MAX {
                *bytes = Vec::new();
            }
            read
        });
        match read {
            Ok(source) => source,
            // Too large for text; a Word document whatever its name?
            Err((_, true, name)) => {
                if let Err(source) = file.rewind() {
                    return Err(InputError::Io { name, source });
                }
                Self::from_docx(name, std::io::BufReader::new(file))
            }
            Err((size, false, name)) => Err(InputError::TooLarge {
                name,
                size,
                limit: decode::MAX_TEXT_BYTES,
            }),
        }
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

/// Read all of `file` into `bytes` (cleared first), or give its size when
/// it is larger than [`decode::MAX_TEXT_BYTES`] (with at least its first
/// bytes in `bytes`).
///
/// The first read asks for the buffer's whole room (at least
/// [`FIRST_READ`] bytes): a file that does not fill it is all there once
/// the next read finds its end, and its size is never asked. A file that
/// fills it has its size asked (`statx`) before anything more is read: a
/// file too large is not read on, and a file of known size gets room for
/// all of it (and one byte more, to find its end) at once. A file that
/// grows while it is read, or has no size (a pipe), is read on to its end.
/// std's `read_to_end` would ask for the size (`statx` and `lseek`) of
/// every file. A `regular` file ends where a read gives less than the room
/// it had.
fn read_all(
    file: &mut std::fs::File,
    bytes: &mut Vec<u8>,
    regular: bool,
) -> std::io::Result<Option<u64>> {
    bytes.clear();
    bytes.reserve(FIRST_READ);
    let mut sized = false;
    loop {
        if bytes.len() == bytes.capacity() {
            if !sized {
                sized = true;
                let size = file.metadata()?.len();
                if size > decode::MAX_TEXT_BYTES {
                    return Ok(Some(size));
                }
                let rest = usize::try_from(size)
                    .unwrap_or(0)
                    .saturating_sub(bytes.len());
                bytes.reserve(rest + 1);
            } else {
                bytes.reserve(FIRST_READ);
            }
        }
        let room = bytes.capacity() - bytes.len();
        let read = read_more(file, bytes)?;
        if read == 0 || (regular && read < room) {
            return Ok(None);
        }
    }
}

/// One read into the spare room of `bytes` (not zeroed first), retried
/// when interrupted; the count of bytes added.
fn read_more(file: &mut std::fs::File, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    loop {
        #[cfg(target_os = "linux")]
        let read = rustix::io::read(&*file, rustix::buffer::spare_capacity(bytes))
            .map_err(std::io::Error::from);
        #[cfg(not(target_os = "linux"))]
        let read = {
            use std::io::Read;
            let filled = bytes.len();
            bytes.resize(bytes.capacity(), 0);
            let read = file.read(&mut bytes[filled..]);
            bytes.truncate(filled + *read.as_ref().unwrap_or(&0));
            read
        };
        match read {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            read => return read,
        }
    }
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
    use std::ffi::OsStr;
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use rustix::fs::{Mode, OFlags};

    thread_local! {
        /// The directory of the last file opened, and a handle on it
        /// (`O_PATH`: no permission to list it is needed, as for a path).
        static DIR: RefCell<Option<(PathBuf, OwnedFd)>> = const { RefCell::new(None) };
    }

    pub(super) fn open(path: &Path) -> Option<File> {
        let (dir, name) = match split(path) {
            Some(split) => split,
            None => (
                path.parent().filter(|d| !d.as_os_str().is_empty())?,
                path.file_name()?,
            ),
        };
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

    /// A path's directory and the name in it, split at its last `/` (what
    /// `parent` and `file_name` give, without parsing every component),
    /// for a path whose last component is a name: not for one without a
    /// directory or ending in `/`, `.` or `..` (those take `Path`'s way).
    pub(super) fn split(path: &Path) -> Option<(&Path, &OsStr)> {
        let b = path.as_os_str().as_bytes();
        let at = memchr::memrchr(b'/', b)?;
        let (dir, name) = (&b[..at], &b[at + 1..]);
        if matches!(name, b"" | b"." | b"..") {
            return None;
        }
        let dir: &[u8] = if dir.is_empty() { b"/" } else { dir };
        Some((Path::new(OsStr::from_bytes(dir)), OsStr::from_bytes(name)))
    }

    pub(super) fn forget() {
        DIR.with_borrow_mut(|cached| *cached = None);
    }
}

/// The largest read buffer a thread keeps for the next file.
const REUSED_BUFFER_MAX: usize = 1 << 20;

/// The least room of a first read: reports are a few kilobytes.
const FIRST_READ: usize = 64 << 10;

/// File extensions read as Word documents.
pub const DOCX_EXTENSIONS: &[&str] = &["docx", "docm", "dotx", "dotm"];

/// File extensions a directory walk picks up as reports.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "docx"];

fn is_docx_name(name: &str) -> bool {
    // A name whose extension is one of them ends with it, unless separators
    // or `.` components follow its file name: the rest need not be parsed
    // as a path (which every file read did twice).
    let b = name.as_bytes();
    let plain_end = b.last().is_some_and(|c| !matches!(c, b'/' | b'\\' | b'.'));
    if plain_end
        && !DOCX_EXTENSIONS.iter().any(|x| {
            b.len() > x.len()
                && b[b.len() - x.len() - 1] == b'.'
                && b[b.len() - x.len()..].eq_ignore_ascii_case(x.as_bytes())
        })
    {
        return false;
    }
    has_extension(Path::new(name), DOCX_EXTENSIONS)
}

/// [`has_extension`] of a path whose last component is a name (a directory
/// walk's), read from its bytes: after its last `.`, unless that `.` starts
/// the name (`Path::extension` parses every component from the end).
/// Other paths take [`has_extension`]'s way.
pub(crate) fn has_extension_fast(path: &Path, extensions: &[&str]) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let b = path.as_os_str().as_bytes();
        // Most often the last `.` or `/` is the dot of a short extension,
        // a few bytes from the end, inside a name (not its first byte, not
        // after another dot): that dot is the name's last, and what follows
        // it its extension.
        if let Some(dot) = b.iter().rposition(|&c| c == b'.' || c == b'/')
            && b[dot] == b'.'
            && dot + 1 < b.len()
            && dot > 0
            && !matches!(b[dot - 1], b'/' | b'.')
        {
            let ext = &b[dot + 1..];
            return extensions
                .iter()
                .any(|x| ext.eq_ignore_ascii_case(x.as_bytes()));
        }
        let name = &b[memchr::memrchr(b'/', b).map_or(0, |i| i + 1)..];
        if !matches!(name, b"" | b"." | b"..") {
            return match memchr::memrchr(b'.', name) {
                None | Some(0) => false,
                Some(dot) => {
                    let ext = &name[dot + 1..];
                    extensions
                        .iter()
                        .any(|x| ext.eq_ignore_ascii_case(x.as_bytes()))
                }
            };
        }
    }
    has_extension(path, extensions)
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
            "tests//fixtures/corpus",
            "/",
            "/proc/self/status",
        ] {
            assert_eq!(
                outcome(open(Path::new(p))),
                outcome(std::fs::File::open(p)),
                "{p}"
            );
        }
        forget_directory();
        // The split is `parent` and `file_name` wherever it is taken.
        #[cfg(target_os = "linux")]
        for p in [
            "a/b",
            "/a",
            "a/b.txt",
            "./a",
            "../a",
            "a/./b",
            "a//b",
            "/x/y/z.docx",
            "a/b/",
            "a/b/.",
            "a/..",
            "a",
            "",
            "/",
            ".",
            "..",
            "a/ b",
            "报告/一.txt",
        ] {
            let path = Path::new(p);
            let old = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .zip(path.file_name());
            if let Some((dir, name)) = dir_handle::split(path) {
                let (old_dir, old_name) = old.expect(p);
                assert_eq!(name, old_name, "{p}");
                assert_eq!(
                    std::path::absolute(dir).unwrap(),
                    std::path::absolute(old_dir).unwrap(),
                    "{p}"
                );
            }
        }
    }

    /// A regular file read without the read that finds its end gives what
    /// the full read gives, at every size around the buffer's room.
    #[test]
    fn regular_files_read_whole() {
        let files = crate::batch::walk(Path::new("tests/fixtures")).unwrap();
        let mut texts = 0;
        for f in &files {
            let name = f.display().to_string();
            let whole = Source::read_named(f, name.clone(), None);
            let regular = Source::read_file(f, name.clone(), None, true);
            match (whole, regular) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.text, b.text, "{name:?}");
                    texts += 1;
                }
                (a, b) => assert_eq!(
                    a.err().map(|e| e.to_string()),
                    b.err().map(|e| e.to_string())
                ),
            }
        }
        assert!(texts > 50);
        let dir = tempfile::tempdir().unwrap();
        for size in [
            0,
            1,
            FIRST_READ - 1,
            FIRST_READ,
            FIRST_READ + 1,
            3 * FIRST_READ + 7,
        ] {
            let text: String = "报告。\n".chars().cycle().take(size).collect();
            let path = dir.path().join(format!("{size}.txt"));
            std::fs::write(&path, &text).unwrap();
            for regular in [false, true] {
                let s = Source::read_file(&path, "x".into(), None, regular).unwrap();
                assert_eq!(s.text, text, "{size} {regular}");
            }
        }
    }

    /// The quick test of a .docx name gives what the path's extension says.
    #[test]
    fn docx_names_as_by_their_extension() {
        let mut docx = 0;
        for stem in ["", "a", "a.b", ".", "..", "a/", "a/.", "报告", ".docx"] {
            for ext in [
                "", ".docx", ".DOCX", ".DocM", ".dotx", ".dotm", ".doc", ".txt", "docx",
            ] {
                for tail in ["", "/", "/.", "//", "/./", ".", "\\"] {
                    let name = format!("{stem}{ext}{tail}");
                    let want = has_extension(Path::new(&name), DOCX_EXTENSIONS);
                    assert_eq!(is_docx_name(&name), want, "{name:?}");
                    docx += usize::from(want);
                    for dir in ["", "d/", "/", "./", "a.b/", "报告/"] {
                        let path = format!("{dir}{name}");
                        for exts in [DOCX_EXTENSIONS, REPORT_EXTENSIONS] {
                            assert_eq!(
                                has_extension_fast(Path::new(&path), exts),
                                has_extension(Path::new(&path), exts),
                                "{path:?}"
                            );
                        }
                    }
                }
            }
        }
        assert!(docx > 10);
    }
}
