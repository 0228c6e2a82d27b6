//! JSON output: `check --format json` and `compile --to json|yaml`
//! (DESIGN.md contracts).

use serde_json::{Value, json};

use crate::Checked;
use crate::diagnostic::{Diagnostic, Lang};
use crate::schema::Schema;
use crate::source::{PositionCursor, Source, Span};

/// `{"start": position, "end": position}`. For .docx input each position
/// also has `paragraph` (1-based paragraph number) and `paragraph_column`
/// (1-based character in that paragraph), beside `line`.
pub fn range(source: &Source, span: Span) -> Value {
    json!({
        "start": position(source, span.start),
        "end": position(source, span.end),
    })
}

/// One position object (see [`range`]).
pub fn position(source: &Source, offset: usize) -> Value {
    let mut v = json!(source.position(offset));
    if let (Some(p), Value::Object(map)) = (source.paragraph_position(offset), &mut v) {
        map.insert("paragraph".into(), json!(p.paragraph));
        map.insert("paragraph_column".into(), json!(p.column));
    }
    v
}

/// For .docx input, add `paragraph` beside every `line` of a compiled
/// document (the paragraph the line starts in).
fn add_paragraphs(source: &Source, v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(line) = map.get("line").and_then(Value::as_u64) {
                let start = source.index.line_start(line.saturating_sub(1) as usize);
                if let Some(p) = source.paragraph_position(start) {
                    map.insert("paragraph".into(), json!(p.paragraph));
                }
            }
            for (_, child) in map.iter_mut() {
                add_paragraphs(source, child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| add_paragraphs(source, i)),
        _ => {}
    }
}

/// One diagnostic as the `check --format json` contract states it.
pub fn diagnostic(source: &Source, d: &Diagnostic, lang: Lang) -> Value {
    let out = Out::new(source, d, lang, &mut PositionCursor::new());
    serde_json::to_value(out).unwrap_or(Value::Null)
}

/// The same object as text (pretty or compact), serialised straight from
/// structs: a batch run with many findings spends much of its time here,
/// and building `Value` maps first costs about twice as much. Fields are
/// declared in alphabetical order, the order of a `Value` map, so the text
/// is the same as `diagnostic()`'s.
pub fn diagnostic_text(source: &Source, d: &Diagnostic, lang: Lang, pretty: bool) -> String {
    let mut buf = Vec::new();
    let mut cursor = PositionCursor::new();
    if pretty {
        write_diagnostic(&mut buf, source, d, lang, &mut cursor, 0);
    } else {
        write_compact(&mut buf, source, d, lang, &mut cursor);
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Append one diagnostic, pretty-printed as if it were `level` levels deep
/// in a pretty-printed document (its first line is not indented). The
/// cursor makes positions cheap for a file's diagnostics in order.
pub(crate) fn write_diagnostic(
    buf: &mut Vec<u8>,
    source: &Source,
    d: &Diagnostic,
    lang: Lang,
    cursor: &mut PositionCursor,
    level: usize,
) {
    Out::new(source, d, lang, cursor).write_pretty(&mut Pretty { buf, level });
}

/// Append one diagnostic as compact JSON (one line).
pub(crate) fn write_compact(
    buf: &mut Vec<u8>,
    source: &Source,
    d: &Diagnostic,
    lang: Lang,
    cursor: &mut PositionCursor,
) {
    // Writing into a Vec cannot fail, nor can serialising these structs.
    let _ = serde_json::to_writer(buf, &Out::new(source, d, lang, cursor));
}

#[derive(serde::Serialize)]
struct Pos {
    column: usize,
    line: usize,
    offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph_column: Option<usize>,
    utf16: usize,
}

impl Pos {
    fn new(source: &Source, offset: usize, cursor: &mut PositionCursor) -> Pos {
        let p = cursor.position(&source.index, &source.text, offset);
        let para = source.paragraph_position(offset);
        Pos {
            column: p.column,
            line: p.line,
            offset: p.offset,
            paragraph: para.as_ref().map(|q| q.paragraph),
            paragraph_column: para.as_ref().map(|q| q.column),
            utf16: p.utf16,
        }
    }
}

#[derive(serde::Serialize)]
struct Range {
    end: Pos,
    start: Pos,
}

impl Range {
    /// The start first: positions come roughly in order for the cursor.
    fn new(source: &Source, span: Span, cursor: &mut PositionCursor) -> Range {
        let start = Pos::new(source, span.start, cursor);
        let end = Pos::new(source, span.end, cursor);
        Range { end, start }
    }
}

#[derive(serde::Serialize)]
struct EditOut<'a> {
    range: Range,
    replacement: &'a str,
}

#[derive(serde::Serialize)]
struct FixOut<'a> {
    applicability: crate::diagnostic::Applicability,
    edits: Vec<EditOut<'a>>,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct LabelOut<'a> {
    message: Option<&'a str>,
    range: Range,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    basis: Option<&'a str>,
    code: &'a str,
    file: &'a str,
    fix: Option<FixOut<'a>>,
    help: Option<&'a str>,
    labels: Vec<LabelOut<'a>>,
    message: &'a str,
    name: &'a str,
    notes: Vec<&'a str>,
    range: Range,
    severity: crate::diagnostic::Severity,
    url: String,
}

impl<'a> Out<'a> {
    fn new(
        source: &'a Source,
        d: &'a Diagnostic,
        lang: Lang,
        cursor: &mut PositionCursor,
    ) -> Out<'a> {
        // The main range first, as the cursor likes offsets in order.
        let range = Range::new(source, d.span, cursor);
        Out {
            basis: d.basis.as_deref(),
            code: d.code,
            file: &source.name,
            fix: d.fix.as_ref().map(|f| FixOut {
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditOut {
                        range: Range::new(source, e.span, cursor),
                        replacement: &e.replacement,
                    })
                    .collect(),
                message: f.message.get(lang),
            }),
            help: d.help.as_ref().map(|h| h.get(lang)),
            labels: d
                .labels
                .iter()
                .map(|l| LabelOut {
                    message: l.message.as_ref().map(|m| m.get(lang)),
                    range: Range::new(source, l.span, cursor),
                })
                .collect(),
            message: d.message.get(lang),
            name: d.name(),
            notes: d.notes.iter().map(|n| n.get(lang)).collect(),
            range,
            severity: d.severity,
            url: d.url(),
        }
    }
}

/// The diagnostics of many files as one JSON array, in the order given
/// (callers sort files; diagnostics are sorted by position already).
pub fn diagnostics<'a>(
    results: impl IntoIterator<Item = (&'a Source, &'a [Diagnostic])>,
    lang: Lang,
) -> Value {
    let mut out = Vec::new();
    for (src, diags) in results {
        for d in diags {
            out.push(diagnostic(src, d, lang));
        }
    }
    Value::Array(out)
}

/// The `gongwen compile` object.
pub fn compile(source: &Source, schema: &Schema, checked: &Checked, lang: Lang) -> Value {
    let mut document = json!(checked.document);
    let mut outline = json!(checked.document.outline());
    if source.origin.is_docx() {
        add_paragraphs(source, &mut document);
        add_paragraphs(source, &mut outline);
    }
    json!({
        "file": source.name,
        "schema": schema.id,
        "document": document,
        "outline": outline,
        "matches": checked.matches,
        "diagnostics": checked.diagnostics.iter().map(|d| diagnostic(source, d, lang)).collect::<Vec<_>>(),
    })
}

/// A pretty JSON writer for [`Out`], byte for byte what serde_json's
/// pretty printer makes of the derived `Serialize` (two spaces a level,
/// fields in declaration order; a test compares the two over the corpus),
/// without serde's per-token calls and with strings that need no escape
/// (nearly all) copied as they are.
struct Pretty<'b> {
    buf: &'b mut Vec<u8>,
    level: usize,
}

impl Pretty<'_> {
    fn newline(&mut self) {
        self.buf.push(b'\n');
        let _ = super::write_indent(self.buf, self.level);
    }

    /// `{` or `[`, one level deeper.
    fn open(&mut self, c: u8) {
        self.buf.push(c);
        self.level += 1;
    }

    /// `}` or `]` after `had_items` items (an empty one stays on its line).
    fn close(&mut self, c: u8, had_items: bool) {
        self.level -= 1;
        if had_items {
            self.newline();
        }
        self.buf.push(c);
    }

    /// An object key (`first`: no comma before it).
    fn key(&mut self, first: bool, key: &str) {
        if !first {
            self.buf.push(b',');
        }
        self.newline();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    /// An array item's separator and indentation.
    fn item(&mut self, first: bool) {
        if !first {
            self.buf.push(b',');
        }
        self.newline();
    }

    fn str(&mut self, s: &str) {
        let plain = !s.bytes().fold(false, |esc, b| {
            esc | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if plain {
            self.buf.push(b'"');
            self.buf.extend_from_slice(s.as_bytes());
            self.buf.push(b'"');
        } else {
            let _ = serde_json::to_writer(&mut *self.buf, s);
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.buf.extend_from_slice(b"null"),
        }
    }

    fn num(&mut self, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[i..]);
    }

    /// A unit enum (severity, applicability) as serde names it.
    fn unit<T: serde::Serialize>(&mut self, v: &T) {
        let _ = serde_json::to_writer(&mut *self.buf, v);
    }
}

impl Pos {
    fn write_pretty(&self, w: &mut Pretty) {
        w.open(b'{');
        w.key(true, "column");
        w.num(self.column);
        w.key(false, "line");
        w.num(self.line);
        w.key(false, "offset");
        w.num(self.offset);
        if let Some(p) = self.paragraph {
            w.key(false, "paragraph");
            w.num(p);
        }
        if let Some(c) = self.paragraph_column {
            w.key(false, "paragraph_column");
            w.num(c);
        }
        w.key(false, "utf16");
        w.num(self.utf16);
        w.close(b'}', true);
    }
}

impl Range {
    fn write_pretty(&self, w: &mut Pretty) {
        w.open(b'{');
        w.key(true, "end");
        self.end.write_pretty(w);
        w.key(false, "start");
        self.start.write_pretty(w);
        w.close(b'}', true);
    }
}

impl Out<'_> {
    fn write_pretty(&self, w: &mut Pretty) {
        w.open(b'{');
        w.key(true, "basis");
        w.opt_str(self.basis);
        w.key(false, "code");
        w.str(self.code);
        w.key(false, "file");
        w.str(self.file);
        w.key(false, "fix");
        match &self.fix {
            None => w.buf.extend_from_slice(b"null"),
            Some(f) => {
                w.open(b'{');
                w.key(true, "applicability");
                w.unit(&f.applicability);
                w.key(false, "edits");
                w.open(b'[');
                for (i, e) in f.edits.iter().enumerate() {
                    w.item(i == 0);
                    w.open(b'{');
                    w.key(true, "range");
                    e.range.write_pretty(w);
                    w.key(false, "replacement");
                    w.str(e.replacement);
                    w.close(b'}', true);
                }
                w.close(b']', !f.edits.is_empty());
                w.key(false, "message");
                w.str(f.message);
                w.close(b'}', true);
            }
        }
        w.key(false, "help");
        w.opt_str(self.help);
        w.key(false, "labels");
        w.open(b'[');
        for (i, l) in self.labels.iter().enumerate() {
            w.item(i == 0);
            w.open(b'{');
            w.key(true, "message");
            w.opt_str(l.message);
            w.key(false, "range");
            l.range.write_pretty(w);
            w.close(b'}', true);
        }
        w.close(b']', !self.labels.is_empty());
        w.key(false, "message");
        w.str(self.message);
        w.key(false, "name");
        w.str(self.name);
        w.key(false, "notes");
        w.open(b'[');
        for (i, n) in self.notes.iter().enumerate() {
            w.item(i == 0);
            w.str(n);
        }
        w.close(b']', !self.notes.is_empty());
        w.key(false, "range");
        self.range.write_pretty(w);
        w.key(false, "severity");
        w.unit(&self.severity);
        w.key(false, "url");
        w.str(&self.url);
        w.close(b'}', true);
    }
}
