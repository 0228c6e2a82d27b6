//! Bytes to text. Text is never linted as mojibake: input that cannot be
//! decoded is an [`InputError`] (exit status 2), with the place it failed.
//!
//! Detection, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); valid
//! UTF-8; GB18030 (a superset of GBK and GB2312) when the bytes are well
//! formed GB18030 *and* look like Chinese text (most two-byte characters lie
//! in the GB2312 repertoire, no control characters). Anything else — random
//! bytes, a damaged file, a binary renamed to `.txt` — is E001. `--encoding`
//! forces one encoding and skips the guessing (but never the validity check).
//!
//! The decoded text keeps its line breaks (LF, CRLF, lone CR) exactly, so a
//! line and a character column in the text are the line and column in the
//! file whatever the encoding. [`encode_like`] turns text back into the bytes
//! of the original form (encoding, BOM, line endings) for `--fix`.

use std::sync::Arc;

use serde::Serialize;

use super::docx::DocxMap;

/// The encoding a source was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[default]
    Utf8,
    /// UTF-16, little endian.
    Utf16le,
    /// UTF-16, big endian.
    Utf16be,
    /// GB18030, which covers GBK and GB2312 (what Windows calls ANSI on a
    /// Chinese system).
    Gb18030,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16le => "UTF-16LE",
            Encoding::Utf16be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }

    /// Parse an `--encoding` value: `utf-8`, `utf-16le`, `utf-16be`,
    /// `gb18030`, `gbk`, `gb2312`, `cp936` (case and `-`/`_` do not matter).
    pub fn parse(s: &str) -> Option<Encoding> {
        let k: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        match k.as_str() {
            "utf8" => Some(Encoding::Utf8),
            "utf16le" | "utf16" | "unicode" => Some(Encoding::Utf16le),
            "utf16be" => Some(Encoding::Utf16be),
            "gb18030" | "gbk" | "gb2312" | "cp936" | "936" | "ansi" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    /// Every accepted `--encoding` spelling, for help texts.
    pub const NAMES: &'static str = "utf-8, utf-16le, utf-16be, gb18030 (= gbk, gb2312)";
}

/// The line-break convention of a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineEnding {
    /// No line break at all, or LF only.
    #[default]
    Lf,
    Crlf,
    /// Lone CR (old Mac).
    Cr,
    /// More than one kind.
    Mixed,
}

impl LineEnding {
    /// The convention of a text with these kinds of line break (LF, CRLF,
    /// lone CR) in it. (The test oracle [`LineEnding::detect_slow`] spells
    /// it out on its own.)
    fn of_kinds(lf: bool, crlf: bool, cr: bool) -> LineEnding {
        match (lf, crlf, cr) {
            (_, false, false) => LineEnding::Lf,
            (false, true, false) => LineEnding::Crlf,
            (false, false, true) => LineEnding::Cr,
            _ => LineEnding::Mixed,
        }
    }

    /// The convention of a text.
    pub fn detect(text: &str) -> LineEnding {
        let b = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (false, false, false);
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if i == skip_lf_at {
                continue; // the LF of a CRLF
            }
            if b[i] == b'\n' {
                lf = true;
            } else if b.get(i + 1) == Some(&b'\n') {
                crlf = true;
                skip_lf_at = i + 1;
            } else {
                cr = true;
            }
        }
        LineEnding::of_kinds(lf, crlf, cr)
    }

    /// [`LineEnding::detect`] from a text's line index: each line start
    /// after the first follows a line break, whose last byte (and the one
    /// before) says its kind, so no second scan of the text is needed (a
    /// lone LF never follows a CR: the two would be a CRLF).
    pub fn from_index(text: &str, index: &super::LineIndex) -> LineEnding {
        let b = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (false, false, false);
        for line in 1..index.line_count() {
            let start = index.line_start(line);
            if b[start - 1] == b'\r' {
                cr = true;
            } else if start >= 2 && b[start - 2] == b'\r' {
                crlf = true;
            } else {
                lf = true;
            }
        }
        LineEnding::of_kinds(lf, crlf, cr)
    }

    /// The byte-by-byte definition of [`LineEnding::detect`] (a test
    /// compares the two).
    #[doc(hidden)]
    pub fn detect_slow(text: &str) -> LineEnding {
        let b = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (false, false, false);
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => lf = true,
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    crlf = true;
                    i += 1;
                }
                b'\r' => cr = true,
                _ => {}
            }
            i += 1;
        }
        match (lf, crlf, cr) {
            (_, false, false) => LineEnding::Lf,
            (false, true, false) => LineEnding::Crlf,
            (false, false, true) => LineEnding::Cr,
            _ => LineEnding::Mixed,
        }
    }

    /// The line break itself (`\n` for `Mixed`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Crlf => "\r\n",
            LineEnding::Cr => "\r",
            LineEnding::Lf | LineEnding::Mixed => "\n",
        }
    }
}

/// What kind of file the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// Plain text (.txt, .md, stdin).
    #[default]
    Text,
    /// A Word document (.docx): the text is its paragraphs, one a line.
    Docx,
}

/// How the decoded text relates to the bytes on disk, so that positions can
/// be shown in the user's terms and fixes written back in the same form.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Origin {
    pub encoding: Encoding,
    /// The input started with a byte-order mark (removed from the text).
    pub bom: bool,
    /// The line breaks the text uses (kept in the text as they were).
    pub line_ending: LineEnding,
    pub format: InputFormat,
    /// For .docx: paragraph map, styles and fonts of every paragraph.
    #[serde(skip)]
    pub docx: Option<Arc<DocxMap>>,
}

/// A place stated as a Word user finds it: paragraph number and character
/// in that paragraph (both 1-based; the automatic numbering label, e.g.
/// 「一、」, counts as the first characters of its paragraph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParagraphPosition {
    pub paragraph: usize,
    pub column: usize,
}

impl Origin {
    /// The paragraph and character of a byte offset into the decoded text,
    /// for .docx input; `None` for plain text.
    pub fn paragraph_of(&self, text: &str, offset: usize) -> Option<ParagraphPosition> {
        self.docx.as_ref()?.paragraph_of(text, offset)
    }

    pub fn is_docx(&self) -> bool {
        self.format == InputFormat::Docx
    }
}

/// Input that cannot be checked at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("无法读取 {name}：{source}")]
    #[diagnostic(code(E003))]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("{name} 看起来是二进制文件（第 {offset} 字节处有 NUL 字节），不是文本报告")]
    #[diagnostic(
        code(E001),
        help("请提供 .txt、.md 或 .docx 格式的报告；如果是 Word 文件，请另存为 .docx 或纯文本")
    )]
    Binary { name: String, offset: usize },
    #[error("{name} 不是有效的 UTF-8 文本：第 {line} 行（第 {offset} 字节处）出现无法解码的字节")]
    #[diagnostic(code(E001), help("请将文件另存为 UTF-8 编码的文本后再检查"))]
    InvalidUtf8 {
        name: String,
        offset: usize,
        line: usize,
    },
    /// Neither UTF-8 nor plausible GB18030.
    #[error(
        "{name} 无法解码为文本：不是有效的 UTF-8（第 {line} 行，第 {offset} 字节处出错），也不像 GB18030/GBK 编码的中文文本"
    )]
    #[diagnostic(
        code(E001),
        help(
            "请将文件另存为 UTF-8 编码的文本；如确知编码，可用 --encoding 指定（utf-8、utf-16le、utf-16be、gb18030）"
        )
    )]
    Undecodable {
        name: String,
        offset: usize,
        line: usize,
    },
    /// Not valid in the encoding that was forced or announced by a BOM.
    #[error(
        "{name} 不是有效的 {encoding} 文本：第 {line} 行（第 {offset} 字节处）出现无法解码的字节"
    )]
    #[diagnostic(
        code(E001),
        help("请确认文件的编码；可用 --encoding 指定（utf-8、utf-16le、utf-16be、gb18030）")
    )]
    InvalidEncoding {
        name: String,
        encoding: &'static str,
        offset: usize,
        line: usize,
    },
    /// A .docx that cannot be read: damaged, truncated, encrypted, too big.
    #[error("{name}：{zh}")]
    #[diagnostic(code(E001))]
    Docx {
        name: String,
        zh: String,
        en: String,
        #[help]
        help: Option<String>,
    },
    /// The input is larger than the tool reads.
    #[error("{name} 太大（{size} 字节，上限 {limit} 字节），不像一份报告")]
    #[diagnostic(code(E003), help("请检查是否选错了文件"))]
    TooLarge { name: String, size: u64, limit: u64 },
}

impl InputError {
    /// English text for `--lang en`.
    pub fn message_en(&self) -> String {
        match self {
            InputError::Io { name, source } => format!("cannot read {name}: {source}"),
            InputError::Binary { name, offset } => {
                format!(
                    "{name} looks like a binary file (NUL byte at byte {offset}), not a text report"
                )
            }
            InputError::InvalidUtf8 { name, offset, line } => format!(
                "{name} is not valid UTF-8 text: undecodable bytes on line {line} (byte {offset})"
            ),
            InputError::Undecodable { name, offset, line } => format!(
                "{name} cannot be decoded: it is not valid UTF-8 (error on line {line}, byte {offset}) and does not look like GB18030/GBK Chinese text"
            ),
            InputError::InvalidEncoding {
                name,
                encoding,
                offset,
                line,
            } => format!(
                "{name} is not valid {encoding} text: undecodable bytes on line {line} (byte {offset})"
            ),
            InputError::Docx { name, en, .. } => format!("{name}: {en}"),
            InputError::TooLarge { name, size, limit } => format!(
                "{name} is too large ({size} bytes, the limit is {limit}); it does not look like a report"
            ),
        }
    }

    /// The code of the problem (E001 undecodable, E003 unreadable).
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Io { .. } | InputError::TooLarge { .. } => "E003",
            _ => "E001",
        }
    }
}

/// The largest text input read (bytes).
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Decode input bytes to text, detecting the encoding.
pub fn decode(name: &str, bytes: &[u8]) -> Result<(String, Origin), InputError> {
    decode_as(name, bytes, None)
}

/// Decode input bytes to text in `forced` encoding, or detect it.
pub fn decode_as(
    name: &str,
    bytes: &[u8],
    forced: Option<Encoding>,
) -> Result<(String, Origin), InputError> {
    let (text, mut origin) = decode_text(name, bytes, forced)?;
    origin.line_ending = LineEnding::detect(&text);
    Ok((text, origin))
}

/// [`decode_as`] with the text's line index, of which the line ending is
/// read ([`LineEnding::from_index`]) instead of scanning the text again.
pub(crate) fn decode_indexed(
    name: &str,
    bytes: &[u8],
    forced: Option<Encoding>,
) -> Result<(String, Origin, super::LineIndex), InputError> {
    let (text, mut origin) = decode_text(name, bytes, forced)?;
    let index = super::LineIndex::new(&text);
    origin.line_ending = LineEnding::from_index(&text, &index);
    Ok((text, origin, index))
}

/// [`decode_as`] but for the line ending (left `Lf`).
fn decode_text(
    name: &str,
    bytes: &[u8],
    forced: Option<Encoding>,
) -> Result<(String, Origin), InputError> {
    let (text, encoding, bom) = match forced {
        Some(enc) => {
            let (bom, body) = strip_bom(bytes, enc);
            (decode_strict(name, body, enc, bom)?, enc, bom > 0)
        }
        None => detect(name, bytes)?,
    };
    // Detected text without a BOM came from bytes without a NUL (`detect`
    // looked), and neither UTF-8 nor GB18030 makes a NUL of other bytes.
    // Else memchr (SIMD): `str::find` searches a char with std's
    // word-at-a-time loop, and that was half of the decoding time.
    let nul_checked = forced.is_none() && !bom;
    if !nul_checked && let Some(i) = memchr::memchr(0, text.as_bytes()) {
        // Offset in the original bytes is only exact for single-byte
        // prefixes; give the character offset's byte in the decoded text.
        return Err(InputError::Binary {
            name: name.to_string(),
            offset: i,
        });
    }
    let origin = Origin {
        encoding,
        bom,
        line_ending: LineEnding::Lf,
        format: InputFormat::Text,
        docx: None,
    };
    Ok((text, origin))
}

/// The length of `enc`'s BOM at the start of `bytes` (0 when absent).
fn strip_bom(bytes: &[u8], enc: Encoding) -> (usize, &[u8]) {
    let bom: &[u8] = match enc {
        Encoding::Utf8 => b"\xEF\xBB\xBF",
        Encoding::Utf16le => b"\xFF\xFE",
        Encoding::Utf16be => b"\xFE\xFF",
        // GB18030 has a four-byte BOM (U+FEFF); it is rare but legal.
        Encoding::Gb18030 => b"\x84\x31\x95\x33",
    };
    match bytes.strip_prefix(bom) {
        Some(rest) => (bom.len(), rest),
        None => (0, bytes),
    }
}

fn detect(name: &str, bytes: &[u8]) -> Result<(String, Encoding, bool), InputError> {
    for enc in [Encoding::Utf8, Encoding::Utf16le, Encoding::Utf16be] {
        let (bom, body) = strip_bom(bytes, enc);
        if bom > 0 {
            return Ok((decode_strict(name, body, enc, bom)?, enc, true));
        }
    }
    // memchr: the plain byte loop was a tenth of the time of a batch run.
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(InputError::Binary {
            name: name.to_string(),
            offset,
        });
    }
    let utf8_err = match utf8(bytes) {
        Ok(text) => return Ok((text.to_owned(), Encoding::Utf8, false)),
        Err(e) => e,
    };
    if plausible_gb18030(bytes)
        && let Some(text) = gb18030(bytes)
    {
        // GB18030's own byte-order mark (84 31 95 33) decodes to U+FEFF.
        return Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_string(), Encoding::Gb18030, true),
            None => (text, Encoding::Gb18030, false),
        });
    }
    let offset = utf8_err.valid_up_to();
    Err(InputError::Undecodable {
        name: name.to_string(),
        offset,
        line: line_at(&String::from_utf8_lossy(&bytes[..offset])),
    })
}

/// 1-based line of the end of `prefix` (LF, CRLF and CR count as breaks).
fn line_at(prefix: &str) -> usize {
    super::LineIndex::new(prefix).line_count()
}

fn invalid(name: &str, enc: Encoding, offset: usize, prefix: &str) -> InputError {
    if enc == Encoding::Utf8 {
        InputError::InvalidUtf8 {
            name: name.to_string(),
            offset,
            line: line_at(prefix),
        }
    } else {
        InputError::InvalidEncoding {
            name: name.to_string(),
            encoding: enc.label(),
            offset,
            line: line_at(prefix),
        }
    }
}

/// `std::str::from_utf8`, with valid text (the common case) checked by SIMD:
/// std's byte-by-byte check has no fast path for Chinese text and was most of
/// the decoding time. simdutf8 only says whether the bytes are valid; std
/// finds the place of an error.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Decode `body` (after a BOM of `bom` bytes) strictly in `enc`.
fn decode_strict(name: &str, body: &[u8], enc: Encoding, bom: usize) -> Result<String, InputError> {
    match enc {
        Encoding::Utf8 => match utf8(body) {
            Ok(t) => Ok(t.to_owned()),
            Err(e) => {
                let ok = e.valid_up_to();
                let prefix = std::str::from_utf8(&body[..ok]).unwrap_or_default();
                Err(invalid(name, enc, bom + ok, prefix))
            }
        },
        Encoding::Utf16le | Encoding::Utf16be => {
            let le = enc == Encoding::Utf16le;
            let units = body.chunks(2).map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                // An odd trailing byte: a unit that cannot pair.
                _ => 0xDC00,
            });
            let mut out = String::with_capacity(body.len());
            for (i, r) in char::decode_utf16(units).enumerate() {
                match r {
                    Ok(c) => out.push(c),
                    Err(_) => return Err(invalid(name, enc, bom + 2 * i, &out)),
                }
            }
            Ok(out)
        }
        Encoding::Gb18030 => {
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
            let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
            match result {
                encoding_rs::DecoderResult::InputEmpty => Ok(out),
                encoding_rs::DecoderResult::Malformed(bad, unread) => {
                    let at = read.saturating_sub(bad as usize + unread as usize);
                    Err(invalid(name, enc, bom + at, &out))
                }
                // Capacity is allocated by `decode_to_string…` as needed.
                encoding_rs::DecoderResult::OutputFull => {
                    let (cow, had_errors) = encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(body)
                        .map_or((None, true), |c| (Some(c.into_owned()), false));
                    match cow {
                        Some(t) if !had_errors => Ok(t),
                        _ => Err(invalid(name, enc, bom, "")),
                    }
                }
            }
        }
    }
}

fn gb18030(bytes: &[u8]) -> Option<String> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
}

/// Whether `bytes` (not UTF-8, no NUL) are plausibly Chinese text in
/// GB18030/GBK: well-formed, no control characters beyond white space,
/// (almost) no character from the user-defined areas (which map to the
/// Private Use Area; ~8% of random two-byte codes land there), and most
/// two-byte characters in the GB2312 repertoire (rows 1–9 symbols, 16–87
/// hanzi): simplified-Chinese reports use it for ~all their characters,
/// traditional-Chinese text for about two thirds, random or damaged bytes
/// for under half. Short texts (under 50 characters) need 80%.
pub fn plausible_gb18030(bytes: &[u8]) -> bool {
    let (mut gb2312, mut other, mut user, mut controls, mut chars) = (0usize, 0, 0, 0, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        chars += 1;
        if b < 0x80 {
            if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1a) || b == 0x7f {
                controls += 1;
            }
            i += 1;
            continue;
        }
        if b == 0x80 || b == 0xFF {
            return false;
        }
        let Some(&t) = bytes.get(i + 1) else {
            return false;
        };
        match t {
            0x30..=0x39 => {
                // Four-byte sequence: lead, digit, 0x81–0xFE, digit.
                let ok = matches!(bytes.get(i + 2), Some(0x81..=0xFE))
                    && matches!(bytes.get(i + 3), Some(0x30..=0x39));
                if !ok {
                    return false;
                }
                other += 1;
                i += 4;
            }
            0x40..=0x7E | 0x80..=0xFE => {
                let in_gb2312 = matches!(b, 0xA1..=0xA9 | 0xB0..=0xF7) && t >= 0xA1;
                let user_defined = (matches!(b, 0xAA..=0xAF | 0xF8..=0xFE) && t >= 0xA1)
                    || (matches!(b, 0xA1..=0xA7) && t <= 0xA0);
                if in_gb2312 {
                    gb2312 += 1;
                } else {
                    other += 1;
                }
                if user_defined {
                    user += 1;
                }
                i += 2;
            }
            _ => return false,
        }
    }
    let multi = gb2312 + other;
    let share = if multi < 50 { 80 } else { 55 };
    multi > 0 && gb2312 * 100 >= multi * share && user * 200 <= multi && controls * 100 <= chars
}

/// Encode `text` back into the form of `origin`: its encoding, its BOM, and
/// — when the original used one line-break style throughout — that style
/// for any bare `\n` the new text introduces. For `--fix` on text files.
/// .docx input cannot be written back this way (`Err` with the reason).
pub fn encode_like(origin: &Origin, text: &str) -> Result<Vec<u8>, InputError> {
    if origin.is_docx() {
        return Err(InputError::Docx {
            name: String::new(),
            zh: "不能直接修改 .docx 文件（会丢失排版格式）；请在 Word/WPS 中按提示修改".into(),
            en: "cannot rewrite a .docx file (its formatting would be lost); make the changes in Word/WPS"
                .into(),
            help: None,
        });
    }
    let text = match origin.line_ending {
        LineEnding::Crlf | LineEnding::Cr => normalize_breaks(text, origin.line_ending.as_str()),
        LineEnding::Lf | LineEnding::Mixed => std::borrow::Cow::Borrowed(text),
    };
    let mut out = Vec::with_capacity(text.len() + 4);
    match origin.encoding {
        Encoding::Utf8 => {
            if origin.bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
        }
        Encoding::Utf16le | Encoding::Utf16be => {
            let le = origin.encoding == Encoding::Utf16le;
            let units = (origin.bom.then_some(0xFEFF))
                .into_iter()
                .chain(text.encode_utf16());
            for u in units {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
        }
        Encoding::Gb18030 => {
            if origin.bom {
                out.extend_from_slice(b"\x84\x31\x95\x33");
            }
            let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
            out.extend_from_slice(&bytes);
        }
    }
    Ok(out)
}

/// Replace every line break in `text` with `nl`.
fn normalize_breaks<'a>(text: &'a str, nl: &str) -> std::borrow::Cow<'a, str> {
    if LineEnding::detect(text).as_str() == nl && LineEnding::detect(text) != LineEnding::Mixed {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(nl);
            }
            '\n' => out.push_str(nl),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let s = "一、总体情况\r\n（一）加强领导。\n";
        let (t, o) = decode("a", s.as_bytes()).unwrap();
        assert_eq!((t.as_str(), o.encoding, o.bom), (s, Encoding::Utf8, false));
        assert_eq!(o.line_ending, LineEnding::Mixed);
        let (gb, _, _) = encoding_rs::GB18030.encode(s);
        let (t, o) = decode("a", &gb).unwrap();
        assert_eq!((t.as_str(), o.encoding), (s, Encoding::Gb18030));
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        let (t, o) = decode("a", &le).unwrap();
        assert_eq!(
            (t.as_str(), o.encoding, o.bom),
            (s, Encoding::Utf16le, true)
        );
        assert_eq!(encode_like(&o, &t).unwrap(), le);
        let mut gb_bom = b"\x84\x31\x95\x33".to_vec();
        gb_bom.extend_from_slice(&gb);
        let (t, o) = decode("a", &gb_bom).unwrap();
        assert_eq!(
            (t.as_str(), o.encoding, o.bom),
            (s, Encoding::Gb18030, true)
        );
        assert_eq!(encode_like(&o, &t).unwrap(), gb_bom);
    }

    #[test]
    fn rejects_noise_and_keeps_forms() {
        // Bytes ≥ 0x80 with no NUL: neither UTF-8 nor Chinese text.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                0x80 | (x >> 16) as u8
            })
            .collect();
        assert!(matches!(
            decode("n", &noise),
            Err(InputError::Undecodable { .. })
        ));
        // Many random buffers of 200+ bytes, all bytes or high bytes only:
        // none is taken for text.
        for round in 0..400u32 {
            let len = 200 + (round as usize * 37) % 3000;
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let b = (x >> 16) as u8;
                    if round % 2 == 0 { b.max(1) } else { b | 0x80 }
                })
                .collect();
            assert!(decode("r", &buf).is_err(), "round {round} decoded");
        }
        let o = Origin {
            encoding: Encoding::Gb18030,
            line_ending: LineEnding::Crlf,
            ..Default::default()
        };
        let bytes = encode_like(&o, "甲\n乙\r\n").unwrap();
        let (t, o2) = decode("g", &bytes).unwrap();
        assert_eq!(
            (t.as_str(), o2.encoding),
            ("甲\r\n乙\r\n", Encoding::Gb18030)
        );
    }
}
