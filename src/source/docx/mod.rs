//! Word `.docx` input: a streaming Office Open XML reader (zip + XML, no
//! external program) that turns the main document into text, one line per
//! paragraph, with an origin map back to paragraphs.
//!
//! - Paragraphs in document order, including those in tables (a table row
//!   is one line, its cells' paragraphs separated by a tab) and content
//!   controls; tracked deletions, hidden text, field instructions,
//!   footnote marks, drawings and text boxes are left out.
//! - Word's automatic list numbering is rendered as the visible label
//!   (「一、」「（一）」 …, see `numbering.rs`): in many reports those labels
//!   exist only as numbering.
//! - Every paragraph keeps its style and the resolved fonts of its runs
//!   (see `styles.rs`), for the font rules (F004).
//! - Limits against zip bombs and damaged files: file size, number of
//!   entries, uncompressed size per part and in total (counted while
//!   inflating, whatever the headers claim), compression ratio, XML depth
//!   and text length. Every failure is an [`InputError`] (exit status 2).

mod numbering;
mod styles;
mod xml;

use std::cell::Cell;
use std::io::{BufReader, Read, Seek};
use std::rc::Rc;

use crate::source::{InputError, ParagraphPosition, Span};

pub use numbering::format_number;
pub use styles::{FontOrigin, FontRef};
use styles::{Fonts, Styles, Theme};
use xml::{Ev, XmlError, XmlReader};

/// Limits applied while reading a .docx.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Size of the .docx file itself.
    pub max_file: u64,
    /// Entries in the zip directory.
    pub max_entries: usize,
    /// Uncompressed bytes of one part read (document, styles, numbering).
    pub max_part: u64,
    /// Uncompressed bytes of all parts read together.
    pub max_total: u64,
    /// Uncompressed / compressed size of an entry above 1 MiB.
    pub max_ratio: u64,
    /// XML element nesting.
    pub max_depth: usize,
    /// Bytes of text extracted.
    pub max_text: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file: 256 * 1024 * 1024,
            max_entries: 10_000,
            max_part: 64 * 1024 * 1024,
            max_total: 128 * 1024 * 1024,
            max_ratio: 200,
            max_depth: 256,
            max_text: 16 * 1024 * 1024,
        }
    }
}

/// The first bytes of an OLE compound file: a Word 97–2003 `.doc`, or an
/// encrypted (password-protected) `.docx`, which Office stores as one.
pub const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The first bytes of a zip archive (local file header).
pub const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// A run of text in one resolved font.
#[derive(Debug, Clone)]
pub struct FontRun {
    /// Byte range in the decoded text.
    pub span: Span,
    /// The font of Chinese characters (`w:eastAsia`), if any level sets it.
    pub east_asia: Option<FontRef>,
    /// The font of Latin characters (`w:ascii`).
    pub ascii: Option<FontRef>,
}

/// One `w:p` of the document.
#[derive(Debug, Clone)]
pub struct ParagraphInfo {
    /// 1-based, in document order, counting every paragraph (empty ones
    /// and those in tables included).
    pub number: usize,
    /// Byte range of the paragraph's text (numbering label included).
    pub span: Span,
    pub style_id: Option<String>,
    /// The style's display name (「标题 1」, `heading 1`).
    pub style_name: Option<String>,
    /// `w:outlineLvl` (0 = level 1), from the paragraph or its style.
    pub outline_level: Option<u8>,
    pub in_table: bool,
    /// The automatic numbering label and its span, if numbered.
    pub label: Option<(String, Span)>,
    /// The typed text's runs with their fonts.
    pub runs: Vec<FontRun>,
}

/// The origin map of a .docx: its paragraphs and where each starts.
#[derive(Debug, Clone, Default)]
pub struct DocxMap {
    pub paragraphs: Vec<ParagraphInfo>,
}

impl DocxMap {
    /// The paragraph whose text contains `offset` (or ends just before it:
    /// the line break or tab that follows a paragraph belongs to it).
    pub fn paragraph_at(&self, offset: usize) -> Option<&ParagraphInfo> {
        let i = self
            .paragraphs
            .partition_point(|p| p.span.start <= offset)
            .checked_sub(1)?;
        Some(&self.paragraphs[i])
    }

    /// Paragraph number and 1-based character in it of a byte offset.
    pub fn paragraph_of(&self, text: &str, offset: usize) -> Option<ParagraphPosition> {
        let p = self.paragraph_at(offset)?;
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(p.span.start..end).map_or(0, |s| s.chars().count()) + 1;
        Some(ParagraphPosition {
            paragraph: p.number,
            column,
        })
    }

    /// Paragraphs overlapping a span.
    pub fn paragraphs_in(&self, span: Span) -> impl Iterator<Item = &ParagraphInfo> {
        let first = self.paragraphs.partition_point(|p| p.span.end < span.start);
        self.paragraphs[first..]
            .iter()
            .take_while(move |p| p.span.start <= span.end.max(span.start))
    }
}

fn problem(
    name: &str,
    zh: impl Into<String>,
    en: impl Into<String>,
    help: Option<&str>,
) -> InputError {
    InputError::Docx {
        name: name.to_string(),
        zh: zh.into(),
        en: en.into(),
        help: help.map(str::to_string),
    }
}

const HELP_RESAVE: &str = "请用 Word 或 WPS 打开后另存为 .docx，或另存为 UTF-8 纯文本后再检查";

/// Why an OLE compound file cannot be read: an encrypted .docx or an old
/// binary .doc (decided by the stream names in its directory).
pub fn cfb_error(name: &str, bytes: &[u8]) -> InputError {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(&utf16("EncryptionInfo")) || has(&utf16("EncryptedPackage")) {
        problem(
            name,
            "文件已加密（设置了打开密码），无法读取",
            "the file is encrypted (password-protected) and cannot be read",
            Some(
                "请在 Word/WPS 中取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后另存为 .docx",
            ),
        )
    } else {
        problem(
            name,
            "这是旧版 Word（.doc，97–2003）或其他 OLE 格式文件，不是 .docx",
            "this is an old Word (.doc, 97–2003) or other OLE file, not .docx",
            Some(HELP_RESAVE),
        )
    }
}

/// Counts bytes while inflating and stops at the limits, whatever the zip
/// headers claim.
struct Limited<R> {
    inner: R,
    read: u64,
    max: u64,
    total: Rc<Cell<u64>>,
    max_total: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.total.set(self.total.get() + n as u64);
        if self.read > self.max || self.total.get() > self.max_total {
            return Err(std::io::Error::other(LimitHit));
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct LimitHit;

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("size limit exceeded")
    }
}

impl std::error::Error for LimitHit {}

struct Docx<'n, R: Read + Seek> {
    name: &'n str,
    zip: zip::ZipArchive<R>,
    limits: Limits,
    /// Uncompressed bytes read so far, over all parts.
    total: Rc<Cell<u64>>,
}

fn zip_error(name: &str, e: zip::result::ZipError) -> InputError {
    use zip::result::ZipError as Z;
    match e {
        Z::UnsupportedArchive(msg) if msg.to_ascii_lowercase().contains("password") => problem(
            name,
            "文件中的内容已加密，无法读取",
            "the content of the file is encrypted and cannot be read",
            Some("请在 Word/WPS 中取消密码后另存为 .docx"),
        ),
        Z::UnsupportedArchive(msg) => problem(
            name,
            format!("不支持的 zip 格式（{msg}），无法读取"),
            format!("unsupported zip format ({msg})"),
            Some(HELP_RESAVE),
        ),
        Z::CompressionMethodNotSupported(m) => problem(
            name,
            format!("文件使用了不支持的压缩方式（{m}），无法读取"),
            format!("the file uses an unsupported compression method ({m})"),
            Some(HELP_RESAVE),
        ),
        other => problem(
            name,
            format!("文件已损坏或不完整（不是有效的 .docx/zip 文件：{other}）"),
            format!("the file is damaged or truncated (not a valid .docx/zip file: {other})"),
            Some(HELP_RESAVE),
        ),
    }
}

impl<'n, R: Read + Seek> Docx<'n, R> {
    /// Open one part for streaming XML, within the limits. `Ok(None)` when
    /// the part does not exist.
    #[allow(clippy::type_complexity)]
    fn open(
        &mut self,
        path: &str,
    ) -> Result<Option<XmlReader<BufReader<Limited<zip::read::ZipFile<'_, R>>>>>, InputError> {
        let name = self.name;
        let limits = self.limits;
        let Some(index) = self.zip.index_for_name(path) else {
            return Ok(None);
        };
        let file = self.zip.by_index(index).map_err(|e| zip_error(name, e))?;
        if file.encrypted() {
            return Err(zip_error(
                name,
                zip::result::ZipError::UnsupportedArchive("Password required to decrypt file"),
            ));
        }
        let (size, packed) = (file.size(), file.compressed_size());
        if size > limits.max_part || self.total.get() + size > limits.max_total {
            return Err(too_big(name, path, limits));
        }
        if size > 1024 * 1024 && size / packed.max(1) > limits.max_ratio {
            return Err(problem(
                name,
                format!(
                    "文件中的 {path} 压缩比异常（{size} 字节压缩为 {packed} 字节），疑似“压缩炸弹”，已停止读取"
                ),
                format!(
                    "{path} inside the file has an abnormal compression ratio ({size} bytes packed into {packed}); looks like a zip bomb, reading stopped"
                ),
                Some("请确认文件来源；正常的报告不会这样压缩"),
            ));
        }
        let limited = Limited {
            inner: file,
            read: 0,
            max: limits.max_part,
            total: self.total.clone(),
            max_total: limits.max_total,
        };
        Ok(Some(XmlReader::new(
            BufReader::new(limited),
            limits.max_depth,
        )))
    }
}

fn too_big(name: &str, path: &str, limits: Limits) -> InputError {
    problem(
        name,
        format!(
            "文件中的 {path} 解压后过大（超过 {} MiB），疑似“压缩炸弹”，已停止读取",
            limits.max_part.min(limits.max_total) >> 20
        ),
        format!(
            "{path} inside the file inflates past {} MiB (a zip bomb?); reading stopped",
            limits.max_part.min(limits.max_total) >> 20
        ),
        Some("请确认文件来源；正常的报告不会这么大"),
    )
}

fn xml_error(name: &str, path: &str, limits: Limits, e: XmlError) -> InputError {
    match e {
        XmlError::TooDeep { limit } => problem(
            name,
            format!("文件中的 {path} 嵌套层数超过 {limit} 层，疑似损坏或恶意构造，已停止读取"),
            format!(
                "{path} inside the file nests deeper than {limit} levels (damaged or crafted); reading stopped"
            ),
            Some(HELP_RESAVE),
        ),
        XmlError::Io(message) if message.contains("size limit exceeded") => {
            too_big(name, path, limits)
        }
        XmlError::Io(message) => problem(
            name,
            format!("文件已损坏：{path} 的压缩数据无法解压或与声明的大小不符（{message}）"),
            format!(
                "the file is damaged: the compressed data of {path} cannot be inflated or does not match its declared size ({message})"
            ),
            Some(HELP_RESAVE),
        ),
        XmlError::Malformed { position, message } => problem(
            name,
            format!("文件已损坏：{path} 在第 {position} 字节处无法解析（{message}）"),
            format!("the file is damaged: {path} cannot be parsed at byte {position} ({message})"),
            Some(HELP_RESAVE),
        ),
    }
}

/// Parse a part with `$f` if it exists: `Option<T>`, or return the error.
macro_rules! parse_part {
    ($d:expr, $path:expr, $f:expr) => {{
        let path: String = $path;
        let (name, limits) = ($d.name, $d.limits);
        match $d.open(&path)? {
            None => None,
            Some(mut xr) => Some($f(&mut xr).map_err(|e| xml_error(name, &path, limits, e))?),
        }
    }};
}

/// Targets of relationships in a `.rels` part: (type suffix, target).
fn relationships(
    r: &mut XmlReader<impl std::io::BufRead>,
) -> Result<Vec<(String, String)>, XmlError> {
    let mut out = Vec::new();
    loop {
        match r.next()? {
            Ev::Eof => return Ok(out),
            Ev::Start(e) if e.name == "Relationship" => {
                if e.attr("TargetMode") == Some("External") {
                    continue;
                }
                let ty = e.attr("Type").unwrap_or_default();
                let ty = ty.rsplit('/').next().unwrap_or_default().to_string();
                out.push((ty, e.attr("Target").unwrap_or_default().to_string()));
            }
            _ => {}
        }
    }
}

/// Resolve a relationship target against the folder of its source part.
fn resolve_target(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        return normalize(abs.split('/').collect());
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    parts.extend(target.split('/'));
    normalize(parts)
}

fn normalize(parts: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        match p {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

/// Read a .docx from a reader. Returns the text (one line per paragraph or
/// table row, joined by `\n`) and its origin map.
pub fn read<R: Read + Seek>(
    name: &str,
    mut reader: R,
    limits: Limits,
) -> Result<(String, DocxMap), InputError> {
    let io = |source| InputError::Io {
        name: name.to_string(),
        source,
    };
    let len = reader.seek(std::io::SeekFrom::End(0)).map_err(io)?;
    if len > limits.max_file {
        return Err(InputError::TooLarge {
            name: name.to_string(),
            size: len,
            limit: limits.max_file,
        });
    }
    reader.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let mut head = [0u8; 8];
    let n = reader.read(&mut head).map_err(io)?;
    if head[..n].starts_with(CFB_MAGIC) {
        reader.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
        let mut buf = Vec::new();
        reader.take(1 << 20).read_to_end(&mut buf).map_err(io)?;
        return Err(cfb_error(name, &buf));
    }
    if n == 0 {
        return Err(problem(
            name,
            "文件是空的",
            "the file is empty",
            Some(HELP_RESAVE),
        ));
    }
    reader.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let zip = zip::ZipArchive::new(reader).map_err(|e| zip_error(name, e))?;
    if zip.len() > limits.max_entries {
        return Err(problem(
            name,
            format!(
                "文件包含 {} 个条目（上限 {}），不像 Word 文档，已停止读取",
                zip.len(),
                limits.max_entries
            ),
            format!(
                "the file holds {} entries (limit {}); not a Word document, reading stopped",
                zip.len(),
                limits.max_entries
            ),
            None,
        ));
    }
    let mut d = Docx {
        name,
        zip,
        limits,
        total: Rc::new(Cell::new(0)),
    };
    let main = parse_part!(d, "_rels/.rels".to_string(), relationships)
        .and_then(|rels| {
            rels.into_iter()
                .find(|(t, _)| t == "officeDocument")
                .map(|(_, target)| resolve_target("", &target))
        })
        .unwrap_or_else(|| "word/document.xml".to_string());
    if d.zip.index_for_name(&main).is_none() {
        return Err(problem(
            name,
            format!("不是 Word 文档：压缩包中没有正文部分（{main}）"),
            format!("not a Word document: the archive has no main part ({main})"),
            Some(HELP_RESAVE),
        ));
    }
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels =
        parse_part!(d, format!("{dir}/_rels/{file}.rels"), relationships).unwrap_or_default();
    let target = |ty: &str, default: &str| {
        rels.iter().find(|(t, _)| t == ty).map_or_else(
            || resolve_target(dir, default),
            |(_, tg)| resolve_target(dir, tg),
        )
    };
    let theme =
        parse_part!(d, target("theme", "theme/theme1.xml"), Theme::parse).unwrap_or_default();
    let styles = parse_part!(d, target("styles", "styles.xml"), Styles::parse).unwrap_or_default();
    let numbering = parse_part!(
        d,
        target("numbering", "numbering.xml"),
        numbering::Numbering::parse
    )
    .unwrap_or_default();
    let max_text = limits.max_text;
    let out = parse_part!(d, main.clone(), |r: &mut XmlReader<_>| {
        Body::new(&styles, &numbering, &theme, max_text).read(r)
    });
    match out {
        Some(Ok((text, map))) => Ok((text, map)),
        None => Err(problem(
            name,
            format!("不是 Word 文档：压缩包中没有正文部分（{main}）"),
            format!("not a Word document: the archive has no main part ({main})"),
            Some(HELP_RESAVE),
        )),
        Some(Err(())) => Err(problem(
            name,
            format!(
                "文件中的文字超过 {} MiB，不像一份报告，已停止读取",
                max_text >> 20
            ),
            format!(
                "the text in the file exceeds {} MiB; not a report, reading stopped",
                max_text >> 20
            ),
            None,
        )),
    }
}

/// Walks `w:body` and builds the text and the map.
struct Body<'a> {
    styles: &'a Styles,
    numbering: &'a numbering::Numbering,
    theme: &'a Theme,
    counters: numbering::Counters,
    max_text: usize,
    text: String,
    map: DocxMap,
    /// Table nesting.
    tables: usize,
    /// Paragraphs already written in the current top-level table row.
    row_paragraphs: usize,
    /// Lines written so far.
    lines: usize,
    para: Option<Para>,
}

/// The paragraph being read.
#[derive(Default)]
struct Para {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    outline_level: Option<u8>,
    text: String,
    /// (start, end) in `text`, fonts.
    runs: Vec<(usize, usize, Option<FontRef>, Option<FontRef>)>,
    run: Option<Run>,
}

#[derive(Default)]
struct Run {
    style: Option<String>,
    fonts: Fonts,
    hidden: bool,
    start: usize,
}

/// Elements whose content is not part of the visible text of the body.
fn skipped(e: &xml::Elem) -> bool {
    matches!(
        e.name.as_str(),
        "del"
            | "moveFrom"
            | "delText"
            | "instrText"
            | "delInstrText"
            | "txbxContent"
            | "drawing"
            | "pict"
            | "object"
            | "footnoteReference"
            | "endnoteReference"
            | "commentReference"
            | "pPrChange"
            | "rPrChange"
            | "sectPr"
            | "numberingChange"
    ) || (e.prefix == "mc" && e.name == "Fallback")
}

impl<'a> Body<'a> {
    fn new(
        styles: &'a Styles,
        numbering: &'a numbering::Numbering,
        theme: &'a Theme,
        max_text: usize,
    ) -> Self {
        Body {
            styles,
            numbering,
            theme,
            counters: numbering::Counters::default(),
            max_text,
            text: String::new(),
            map: DocxMap::default(),
            tables: 0,
            row_paragraphs: 0,
            lines: 0,
            para: None,
        }
    }

    /// `Ok(Err(()))`: the text limit was hit.
    fn read(
        mut self,
        r: &mut XmlReader<impl std::io::BufRead>,
    ) -> Result<Result<(String, DocxMap), ()>, XmlError> {
        // Where we are inside the current paragraph's properties.
        let mut in_ppr = false;
        let mut in_rpr = false;
        let mut in_body = false;
        let mut in_t = false;
        loop {
            let ev = r.next()?;
            match ev {
                Ev::Eof => break,
                Ev::Start(e) => {
                    if skipped(&e) {
                        r.skip()?;
                        continue;
                    }
                    match e.name.as_str() {
                        "body" => in_body = true,
                        _ if !in_body => {}
                        "tbl" => self.tables += 1,
                        "tr" if self.tables == 1 => self.row_paragraphs = 0,
                        "p" => {
                            if self.para.is_some() {
                                // A paragraph inside a paragraph (text box
                                // content outside drawings): skip it.
                                r.skip()?;
                                continue;
                            }
                            self.para = Some(Para::default());
                        }
                        "pPr" if self.para.as_ref().is_some_and(|p| p.run.is_none()) => {
                            in_ppr = true
                        }
                        "rPr" if in_ppr => {
                            // The paragraph mark's run properties.
                            r.skip()?;
                        }
                        "pStyle" if in_ppr => {
                            if let Some(p) = self.para.as_mut() {
                                p.style = e.val().map(str::to_string);
                            }
                        }
                        "numId" if in_ppr => {
                            if let Some(p) = self.para.as_mut() {
                                p.num_id = e.val().map(str::to_string);
                            }
                        }
                        "ilvl" if in_ppr => {
                            if let Some(p) = self.para.as_mut() {
                                p.ilvl = e.val().and_then(|v| v.parse().ok());
                            }
                        }
                        "outlineLvl" if in_ppr => {
                            if let Some(p) = self.para.as_mut() {
                                p.outline_level = e.val().and_then(|v| v.parse().ok());
                            }
                        }
                        "r" => {
                            if let Some(p) = self.para.as_mut() {
                                p.run = Some(Run {
                                    start: p.text.len(),
                                    ..Default::default()
                                });
                            }
                        }
                        "rPr" => in_rpr = true,
                        "rStyle" if in_rpr => {
                            if let Some(run) = self.para.as_mut().and_then(|p| p.run.as_mut()) {
                                run.style = e.val().map(str::to_string);
                            }
                        }
                        "rFonts" if in_rpr => {
                            if let Some(run) = self.para.as_mut().and_then(|p| p.run.as_mut()) {
                                run.fonts = Fonts::from_elem(&e);
                            }
                        }
                        "vanish" | "specVanish" if in_rpr => {
                            if let Some(run) = self.para.as_mut().and_then(|p| p.run.as_mut()) {
                                run.hidden = e.on();
                            }
                        }
                        "t" => in_t = true,
                        "tab" | "ptab" if !in_ppr => self.push_text("\t"),
                        "br" => {
                            let ty = e.attr("type").unwrap_or("textWrapping");
                            if ty == "textWrapping" {
                                self.push_text("\n");
                            }
                        }
                        "cr" => self.push_text("\n"),
                        "noBreakHyphen" => self.push_text("-"),
                        _ => {}
                    }
                }
                Ev::Text(t) => {
                    // Only text inside w:t counts; XML white space between
                    // elements is not content.
                    if in_t {
                        self.push_text(&t);
                    }
                }
                Ev::End(name) => match name.as_str() {
                    "body" => in_body = false,
                    "t" => in_t = false,
                    "pPr" => in_ppr = false,
                    "rPr" => in_rpr = false,
                    "r" => self.end_run(),
                    "p" if self.para.is_some() => {
                        self.end_paragraph();
                        if self.text.len() > self.max_text {
                            return Ok(Err(()));
                        }
                    }
                    "tr" if self.tables == 1 => self.row_paragraphs = 0,
                    "tbl" => self.tables = self.tables.saturating_sub(1),
                    _ => {}
                },
            }
        }
        Ok(Ok((self.text, self.map)))
    }

    fn push_text(&mut self, t: &str) {
        if let Some(p) = self.para.as_mut()
            && let Some(run) = p.run.as_ref()
            && !run.hidden
        {
            p.text.push_str(t);
        }
    }

    fn end_run(&mut self) {
        let Some(p) = self.para.as_mut() else { return };
        let Some(run) = p.run.take() else { return };
        if run.hidden || p.text.len() == run.start {
            return;
        }
        let style = p
            .style
            .as_deref()
            .or(self.styles.default_paragraph.as_deref());
        let (ea, ascii) = self
            .styles
            .resolve(self.theme, &run.fonts, run.style.as_deref(), style);
        p.runs.push((run.start, p.text.len(), ea, ascii));
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.para.take() else { return };
        let styles = self.styles;
        let style = p.style.clone().or_else(|| styles.default_paragraph.clone());
        let style_num = |id: &str| styles.styles.get(id).and_then(|s| s.num_id.clone());
        let from_style = styles.numbering(style.as_deref());
        let num_id = p
            .num_id
            .clone()
            .or_else(|| from_style.as_ref().map(|(n, _)| n.clone()));
        let label = num_id.and_then(|num_id| {
            let ilvl = p
                .ilvl
                .or_else(|| from_style.as_ref().and_then(|(_, l)| *l))
                .or_else(|| {
                    style
                        .as_deref()
                        .and_then(|s| self.numbering.level_for_style(&num_id, s, &style_num))
                })
                .unwrap_or(0);
            let mut label = self
                .numbering
                .label(&mut self.counters, &num_id, ilvl, &style_num)?;
            if label.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                label.push(' ');
            }
            (!label.is_empty()).then_some(label)
        });
        // Lines are joined by "\n" (no break after the last one); the
        // paragraphs of one table row by "\t".
        if self.tables > 0 && self.row_paragraphs > 0 {
            self.text.push('\t');
        } else {
            if self.lines > 0 {
                self.text.push('\n');
            }
            self.lines += 1;
        }
        let start = self.text.len();
        let label = label.map(|l| {
            self.text.push_str(&l);
            let span = Span::new(start, self.text.len());
            (l, span)
        });
        let shift = self.text.len();
        self.text.push_str(&p.text);
        let end = self.text.len();
        if self.tables > 0 {
            self.row_paragraphs += 1;
        }
        let style_name = style
            .as_deref()
            .and_then(|s| styles.styles.get(s))
            .and_then(|s| s.name.clone());
        let outline_level = p
            .outline_level
            .or_else(|| styles.outline_level(style.as_deref()));
        self.map.paragraphs.push(ParagraphInfo {
            number: self.map.paragraphs.len() + 1,
            span: Span::new(start, end),
            style_id: style,
            style_name,
            outline_level,
            in_table: self.tables > 0,
            label,
            runs: p
                .runs
                .into_iter()
                .map(|(s, e, east_asia, ascii)| FontRun {
                    span: Span::new(shift + s, shift + e),
                    east_asia,
                    ascii,
                })
                .collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_stops_whatever_the_headers_say() {
        let total = Rc::new(Cell::new(0));
        let mut r = Limited {
            inner: std::io::repeat(b' '),
            read: 0,
            max: 10_000,
            total: total.clone(),
            max_total: 1 << 30,
        };
        let mut sink = Vec::new();
        let err = std::io::copy(&mut r, &mut sink).unwrap_err();
        assert!(err.to_string().contains("size limit"));
        assert!(sink.len() <= 10_000 + 8192);
        // The total over parts counts as well.
        let mut r2 = Limited {
            inner: std::io::repeat(b' ').take(5_000),
            read: 0,
            max: 1 << 30,
            total,
            max_total: 12_000,
        };
        assert!(std::io::copy(&mut r2, &mut Vec::new()).is_err());
    }

    #[test]
    fn paragraph_positions() {
        let text = "一、甲\n乙\t丙";
        let p = |n, s, e| ParagraphInfo {
            number: n,
            span: Span::new(s, e),
            style_id: None,
            style_name: None,
            outline_level: None,
            in_table: false,
            label: None,
            runs: Vec::new(),
        };
        let map = DocxMap {
            paragraphs: vec![p(1, 0, 9), p(2, 10, 13), p(3, 14, 17)],
        };
        let at = |s: &str| map.paragraph_of(text, text.find(s).unwrap()).unwrap();
        assert_eq!((at("甲").paragraph, at("甲").column), (1, 3));
        assert_eq!((at("乙").paragraph, at("乙").column), (2, 1));
        assert_eq!((at("\t").paragraph, at("\t").column), (2, 2));
        assert_eq!((at("丙").paragraph, at("丙").column), (3, 1));
    }
}
