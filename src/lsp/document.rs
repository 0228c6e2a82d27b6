//! Open documents: their text, version and position conversion in the
//! negotiated encoding. Spans stay byte ranges; this is the edge where they
//! become LSP positions (DESIGN.md: "converted at the edge").

use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::source::{Source, Span};

/// How LSP `character` offsets count (negotiated in `initialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 code units (bytes): only when the client offers it.
    Utf8,
    /// UTF-16 code units: the LSP default every client supports.
    #[default]
    Utf16,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    /// Pick from what the client offers (`general.positionEncodings`):
    /// utf-8 when offered, else utf-16 (which every client must support).
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(list) if list.iter().any(|k| k.as_str() == "utf-8") => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }
}

/// The LSP position of a byte offset.
pub fn position(source: &Source, offset: usize, enc: Encoding) -> Position {
    let p = source.position(offset);
    let line = p.line - 1;
    let character = match enc {
        Encoding::Utf16 => p.utf16,
        Encoding::Utf8 => p.offset - source.index.line_start(line),
    };
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte span.
pub fn range(source: &Source, span: Span, enc: Encoding) -> Range {
    Range::new(
        position(source, span.start, enc),
        position(source, span.end, enc),
    )
}

/// The byte offset of an LSP position in `text` (indexed by `index`).
/// Positions past a line's end clamp to it; lines past the end clamp to the
/// end of the text.
pub fn offset(source: &Source, pos: Position, enc: Encoding) -> usize {
    let (line, ch) = (pos.line as usize, pos.character as usize);
    match enc {
        Encoding::Utf16 => source.index.offset_of_utf16(&source.text, line, ch),
        Encoding::Utf8 => source.index.offset_of_utf8(&source.text, line, ch),
    }
}

/// The byte span of an LSP range (start and end ordered).
pub fn span(source: &Source, range: Range, enc: Encoding) -> Span {
    let a = offset(source, range.start, enc);
    let b = offset(source, range.end, enc);
    Span::new(a.min(b), a.max(b))
}

/// One document the editor has open.
#[derive(Debug, Clone)]
pub struct Doc {
    pub uri: Uri,
    pub version: i32,
    /// The text as the editor has it, with its line index.
    pub source: Arc<Source>,
    /// The file's path when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
}

impl Doc {
    pub fn new(uri: Uri, version: i32, text: String) -> Doc {
        let path = uri_to_path(&uri);
        let name = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| uri.as_str().to_string());
        Doc {
            source: Arc::new(Source::from_text(name, text)),
            uri,
            version,
            path,
        }
    }

    /// Apply `didChange` content changes in order (incremental or full).
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) {
        let name = self.source.name.clone();
        let mut source = (*self.source).clone();
        let last = changes.len();
        for (i, change) in changes.into_iter().enumerate() {
            let text = match change.range {
                None => change.text,
                Some(r) => {
                    let sp = span(&source, r, enc);
                    let mut t = std::mem::take(&mut source.text);
                    t.replace_range(sp.range(), &change.text);
                    t
                }
            };
            // The line index is rebuilt after every change: the next change's
            // range refers to the text after this one.
            if i + 1 == last {
                source = Source::from_text(name.clone(), text);
            } else {
                source = Source::from_text(String::new(), text);
            }
        }
        self.source = Arc::new(source);
        self.version = version;
    }
}

/// The path of a `file:` URI (percent-decoded), if it is one.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s
        .strip_prefix("file://")
        .or_else(|| s.strip_prefix("FILE://"))?;
    // Drop an authority ("file://localhost/…", "file:///…").
    let path = match rest.find('/') {
        Some(i) => &rest[i..],
        None => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let decoded = String::from_utf8(bytes).ok()?;
    // Windows drive paths come as /C:/…
    let b = decoded.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_edits_after_emoji_in_both_encodings() {
        let uri = Uri::from_str("file:///tmp/%E6%8A%A5%E5%91%8A.txt").unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), PathBuf::from("/tmp/报告.txt"));
        let mut d = Doc::new(uri.clone(), 1, "一、😀总体\n（一）好\n".into());
        // UTF-16: 一 、 😀(2) → 总 is at 4.
        d.apply_changes(2, vec![change(0, 4, 0, 4, "X")], Encoding::Utf16);
        assert_eq!(d.source.text, "一、😀X总体\n（一）好\n");
        // UTF-8: 一(3) 、(3) 😀(4) X(1) → 总 at 11.
        d.apply_changes(
            3,
            vec![change(0, 10, 0, 11, ""), change(1, 0, 1, 9, "(一)")],
            Encoding::Utf8,
        );
        assert_eq!(d.source.text, "一、😀总体\n(一)好\n");
        assert_eq!(d.version, 3);
        let at = d.source.text.find('好').unwrap();
        assert_eq!(
            position(&d.source, at, Encoding::Utf16),
            Position::new(1, 3)
        );
        assert_eq!(position(&d.source, at, Encoding::Utf8), Position::new(1, 5));
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "新".into(),
        };
        d.apply_changes(4, vec![full], Encoding::Utf16);
        assert_eq!(d.source.text, "新");
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        use lsp_types::PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF32, K::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
    }
}
