//! JSON output: `check --format json` and `compile --to json|yaml`
//! (DESIGN.md contracts).

use serde_json::{Value, json};

use crate::Checked;
use std::borrow::Cow;

use crate::diagnostic::{Applicability, Diagnostic, Lang, Severity, Text};
use crate::schema::Schema;
use crate::source::line_index::SpanCursor;
use crate::source::{Position, Positions, Source, Span};

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
    let positions = positions(source, std::slice::from_ref(d));
    let out = Out::new(source, d, lang, &positions);
    serde_json::to_value(out).unwrap_or(Value::Null)
}

/// The same object as text (pretty or compact), serialised straight from
/// structs: a batch run with many findings spends much of its time here,
/// and building `Value` maps first costs about twice as much. Fields are
/// declared in alphabetical order, the order of a `Value` map, so the text
/// is the same as `diagnostic()`'s.
pub fn diagnostic_text(source: &Source, d: &Diagnostic, lang: Lang, pretty: bool) -> String {
    let mut buf = Vec::new();
    let one = std::slice::from_ref(d);
    if pretty {
        write_items(&mut buf, source, one, lang, 0);
    } else {
        write_compact(&mut buf, source, d, lang, &positions(source, one));
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Append one diagnostic, pretty-printed as if it were `level` levels deep
/// in a pretty-printed document (its first line is not indented), its
/// positions the first [`position_count`] of `positions` in the order of
/// [`ordered_positions`], and `file` the source's name as a JSON string
/// ([`quoted`]: escaped once per file, not once per diagnostic).
pub(crate) fn write_diagnostic(
    buf: &mut Vec<u8>,
    source: &Source,
    file: &[u8],
    d: &Diagnostic,
    lang: Lang,
    positions: &[Position],
    level: usize,
) {
    write_pretty_diagnostic(&mut Pretty { buf, level }, source, file, d, lang, positions);
}

/// A text as a JSON string, quoted and escaped.
pub(crate) fn quoted(text: &str) -> Vec<u8> {
    let mut buf = Vec::with_capacity(text.len() + 2);
    Pretty {
        buf: &mut buf,
        level: 0,
    }
    .str(text);
    buf
}

/// The positions of every offset the diagnostics' JSON states (ranges of
/// the finding, its labels and its fix's edits), computed in one sweep.
pub(crate) fn positions(source: &Source, diagnostics: &[Diagnostic]) -> Positions {
    Positions::from_offsets(&source.index, &source.text, span_offsets(diagnostics))
}

/// The positions of [`positions`]' offsets in their order: for each
/// diagnostic in turn ([`position_count`] of them), the start and end of
/// its span, of each label's and of each edit's.
pub(crate) fn ordered_positions(source: &Source, diagnostics: &[Diagnostic]) -> Vec<Position> {
    source
        .index
        .span_positions(&source.text, &spans(diagnostics))
}

/// Every span the diagnostics' JSON states, diagnostic by diagnostic: the
/// spans of [`span_offsets`].
fn spans(diagnostics: &[Diagnostic]) -> Vec<Span> {
    let mut spans = Vec::with_capacity(diagnostics.iter().map(position_count).sum::<usize>() / 2);
    for d in diagnostics {
        spans.push(d.span);
        spans.extend(d.labels.iter().map(|l| l.span));
        spans.extend(d.fix.iter().flat_map(|f| &f.edits).map(|e| e.span));
    }
    spans
}

/// How many of [`ordered_positions`] are a diagnostic's.
pub(crate) fn position_count(d: &Diagnostic) -> usize {
    2 * (1 + d.labels.len() + d.fix.as_ref().map_or(0, |f| f.edits.len()))
}

/// Every offset the diagnostics' JSON states, diagnostic by diagnostic.
fn span_offsets(diagnostics: &[Diagnostic]) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(diagnostics.iter().map(position_count).sum::<usize>());
    let mut add = |s: Span| offsets.extend([s.start, s.end]);
    for d in diagnostics {
        add(d.span);
        d.labels.iter().for_each(|l| add(l.span));
        d.fix
            .iter()
            .flat_map(|f| &f.edits)
            .for_each(|e| add(e.span));
    }
    offsets
}

/// Append one diagnostic as compact JSON (one line).
pub(crate) fn write_compact(
    buf: &mut Vec<u8>,
    source: &Source,
    d: &Diagnostic,
    lang: Lang,
    positions: &Positions,
) {
    // Writing into a Vec cannot fail, nor can serialising these structs.
    let _ = serde_json::to_writer(buf, &Out::new(source, d, lang, positions));
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
    fn new(source: &Source, offset: usize, positions: &Positions) -> Pos {
        let p = positions
            .get(offset)
            .unwrap_or_else(|| source.position(offset));
        Pos::at(source, offset, p)
    }

    /// The position of `offset`, given its line position `p`.
    #[inline(always)]
    fn at(source: &Source, offset: usize, p: Position) -> Pos {
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
    fn new(source: &Source, span: Span, positions: &Positions) -> Range {
        Range {
            end: Pos::new(source, span.end, positions),
            start: Pos::new(source, span.start, positions),
        }
    }

    /// The range of `span` whose start and end positions are `p[i]` and
    /// `p[i + 1]` (see [`ordered_positions`]).
    #[inline(always)]
    fn at(source: &Source, span: Span, p: &[Position], i: usize) -> Range {
        Range {
            end: Pos::at(source, span.end, p[i + 1]),
            start: Pos::at(source, span.start, p[i]),
        }
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
    fn new(source: &'a Source, d: &'a Diagnostic, lang: Lang, positions: &Positions) -> Out<'a> {
        let range = Range::new(source, d.span, positions);
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
                        range: Range::new(source, e.span, positions),
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
                    range: Range::new(source, l.span, positions),
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

/// A pretty JSON writer for a diagnostic, byte for byte what serde_json's
/// pretty printer makes of the derived `Serialize` of [`Out`] (two spaces a
/// level, fields in declaration order; a test compares the two over the
/// corpus), without serde's per-token calls, with each key written as one
/// precomputed byte string after its comma, newline and indentation, and
/// with strings that need no escape (nearly all) copied as they are.
struct Pretty<'b> {
    buf: &'b mut Vec<u8>,
    level: usize,
}

/// `,` then a newline and up to 31 levels of indentation: a key or item
/// separator is the start of this.
const COMMA_NL_INDENT: &[u8; 64] =
    b",\n                                                              ";

/// A newline and indentation: the separator before a first key or item.
const NL_INDENT: &[u8; 64] = b"\n                                                               ";

/// A key as one literal: `"name": `.
macro_rules! key {
    ($k:literal) => {
        concat!("\"", $k, "\": ").as_bytes()
    };
}

impl Pretty<'_> {
    /// The separator before a key or item (`first`: no comma), a newline
    /// and the indentation of the current level.
    #[inline(always)]
    fn sep(&mut self, first: bool) {
        let from = usize::from(first);
        let to = 2 + 2 * self.level;
        if to <= COMMA_NL_INDENT.len() {
            // All 64 bytes (a copy of known size: a few vector moves, not
            // a call to `memcpy`), then back to the separator's end.
            let end = self.buf.len() + to - from;
            self.buf
                .extend_from_slice(if first { NL_INDENT } else { COMMA_NL_INDENT });
            self.buf.truncate(end);
        } else {
            self.buf.extend_from_slice(&COMMA_NL_INDENT[from..2]);
            let _ = super::write_indent(self.buf, self.level);
        }
    }

    /// `{` or `[`, one level deeper.
    #[inline(always)]
    fn open(&mut self, c: u8) {
        self.buf.push(c);
        self.level += 1;
    }

    /// `}` or `]` after `had_items` items (an empty one stays on its line).
    #[inline(always)]
    fn close(&mut self, c: u8, had_items: bool) {
        self.level -= 1;
        if had_items {
            self.sep(true);
        }
        self.buf.push(c);
    }

    /// An object key (`first`: no comma before it), given as `key!("name")`.
    #[inline(always)]
    fn key(&mut self, first: bool, key: &[u8]) {
        self.sep(first);
        self.buf.extend_from_slice(key);
    }

    /// An array item's separator and indentation.
    #[inline(always)]
    fn item(&mut self, first: bool) {
        self.sep(first);
    }

    fn str(&mut self, s: &str) {
        if is_plain(s.as_bytes()) {
            self.buf.reserve(s.len() + 2);
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

    /// A number. Up to five digits (every column and line, nearly every
    /// offset) as a fixed-size array, which compiles to a few stores
    /// instead of a call copying a variable length.
    #[inline(always)]
    fn num(&mut self, n: usize) {
        let d = |k: usize| b'0' + ((n / k) % 10) as u8;
        match n {
            0..=9 => self.buf.push(d(1)),
            10..=99 => self.buf.extend_from_slice(&[d(10), d(1)]),
            100..=999 => self.buf.extend_from_slice(&[d(100), d(10), d(1)]),
            1000..=9999 => self.buf.extend_from_slice(&[d(1000), d(100), d(10), d(1)]),
            10000..=99999 => {
                self.buf
                    .extend_from_slice(&[d(10000), d(1000), d(100), d(10), d(1)]);
            }
            _ => {
                let mut digits = [0u8; 20];
                let (mut i, mut n) = (digits.len(), n);
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
        }
    }

    /// A severity as serde names it (a test holds the two equal).
    #[inline(always)]
    fn severity(&mut self, s: Severity) {
        self.buf.extend_from_slice(match s {
            Severity::Hint => b"\"hint\"",
            Severity::Info => b"\"info\"",
            Severity::Warning => b"\"warning\"",
            Severity::Error => b"\"error\"",
        });
    }

    /// An applicability as serde names it (a test holds the two equal).
    #[inline(always)]
    fn applicability(&mut self, a: Applicability) {
        self.buf.extend_from_slice(match a {
            Applicability::Safe => b"\"safe\"",
            Applicability::Unsafe => b"\"unsafe\"",
        });
    }
}

/// Whether a string needs no escape in JSON (no control character, quote
/// or backslash): tested in fixed-size pieces into a byte-wide flag, which
/// the compiler vectorises; the last piece overlaps the one before it
/// (testing a byte twice changes nothing), so nothing is copied or padded.
/// Strings under 32 bytes (codes, names, most replacements) are tested as
/// two overlapping pieces of 16 or 8 bytes.
#[inline]
fn is_plain(s: &[u8]) -> bool {
    fn escapes<const N: usize>(c: &[u8]) -> u8 {
        let c: &[u8; N] = c.try_into().expect("N bytes");
        c.iter().fold(0, |found, &b| {
            found | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
        })
    }
    let n = s.len();
    let found = match n {
        0..8 => s.iter().fold(0, |found, &b| {
            found | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
        }),
        8..16 => escapes::<8>(&s[..8]) | escapes::<8>(&s[n - 8..]),
        16..32 => escapes::<16>(&s[..16]) | escapes::<16>(&s[n - 16..]),
        _ => {
            let mut chunks = s.chunks_exact(32);
            let mut found = 0;
            for c in &mut chunks {
                found |= escapes::<32>(c);
            }
            if !chunks.remainder().is_empty() {
                found |= escapes::<32>(&s[n - 32..]);
            }
            found
        }
    };
    found == 0
}

impl Pos {
    fn write_pretty(&self, w: &mut Pretty) {
        w.open(b'{');
        w.key(true, key!("column"));
        w.num(self.column);
        w.key(false, key!("line"));
        w.num(self.line);
        w.key(false, key!("offset"));
        w.num(self.offset);
        if let Some(p) = self.paragraph {
            w.key(false, key!("paragraph"));
            w.num(p);
        }
        if let Some(c) = self.paragraph_column {
            w.key(false, key!("paragraph_column"));
            w.num(c);
        }
        w.key(false, key!("utf16"));
        w.num(self.utf16);
        w.close(b'}', true);
    }
}

/// The fixed text of a range object of text input (positions without
/// paragraphs) opened `level` levels deep: every byte of it but its eight
/// numbers, in six pieces, so that writing a range is nine copies and eight
/// numbers. Made by the generic writer ([`Range::write_pretty_slow`]'s
/// calls), so the bytes are the same by construction.
struct RangeText {
    /// `{`, `"end": {`, `"column": `.
    open: Piece,
    /// `,` `"line": `, `,` `"offset": `, `,` `"utf16": `.
    line: Short,
    offset: Short,
    utf16: Short,
    /// `}`, `,` `"start": {`, `"column": `.
    middle: Piece,
    /// `}` `}`.
    close: Piece,
}

/// Levels with a precomputed [`RangeText`] when its pieces fit in a
/// [`Piece`] (up to level 5: diagnostics nest ranges at most four levels
/// below their own).
const RANGE_TEXT_LEVELS: usize = 12;

static RANGE_TEXT: std::sync::LazyLock<Vec<Option<RangeText>>> =
    std::sync::LazyLock::new(|| (0..RANGE_TEXT_LEVELS).map(RangeText::new).collect());

/// Up to 64 bytes of fixed text in an array of 64: appending all of it and
/// cutting back to `len` is a copy of known size (a few vector moves),
/// where appending a slice of varying length is a call to `memcpy`.
struct Piece<const N: usize = 64> {
    bytes: [u8; N],
    len: usize,
}

/// A piece of up to 32 bytes (a key and its indentation): half the copy.
type Short = Piece<32>;

/// Bytes of room a [`Piece`] of either size takes (each is copied whole).
const PIECE_ROOM: usize = 64;

impl<const N: usize> Piece<N> {
    fn new(text: &[u8]) -> Option<Piece<N>> {
        let mut bytes = [b' '; N];
        bytes.get_mut(..text.len())?.copy_from_slice(text);
        Some(Piece {
            bytes,
            len: text.len(),
        })
    }
}

/// What `write` adds to `w`'s (empty) buffer, taken out as a [`Piece`]: the
/// fixed texts of [`RangeText`] and [`DiagText`] are cut this way from the
/// generic writer's own output.
fn piece<const N: usize>(w: &mut Pretty, write: impl FnOnce(&mut Pretty)) -> Option<Piece<N>> {
    write(w);
    Piece::new(&std::mem::take(w.buf))
}

impl RangeText {
    /// Write one position's column, line, offset and UTF-16 column with
    /// the keys between them, then `after`, to `out` at `at`; give the end.
    #[inline(always)]
    fn put_position(&self, out: &mut [u8], at: usize, n: [usize; 4], after: &Piece) -> usize {
        let [column, line, offset, utf16] = n;
        let mut at = put_num(out, at, column);
        at = put_piece(out, at, &self.line);
        at = put_num(out, at, line);
        at = put_piece(out, at, &self.offset);
        at = put_num(out, at, offset);
        at = put_piece(out, at, &self.utf16);
        at = put_num(out, at, utf16);
        put_piece(out, at, after)
    }

    fn new(level: usize) -> Option<RangeText> {
        let mut buf = Vec::new();
        let mut w = Pretty {
            buf: &mut buf,
            level,
        };
        let open = piece(&mut w, |w| {
            w.open(b'{');
            w.key(true, key!("end"));
            w.open(b'{');
            w.key(true, key!("column"));
        })?;
        let line = piece(&mut w, |w| w.key(false, key!("line")))?;
        let offset = piece(&mut w, |w| w.key(false, key!("offset")))?;
        let utf16 = piece(&mut w, |w| w.key(false, key!("utf16")))?;
        let middle = piece(&mut w, |w| {
            w.close(b'}', true);
            w.key(false, key!("start"));
            w.open(b'{');
            w.key(true, key!("column"));
        })?;
        // The line, offset and utf16 keys of `start` are `end`'s.
        let close = piece(&mut w, |w| {
            w.close(b'}', true);
            w.close(b'}', true);
        })?;
        Some(RangeText {
            open,
            line,
            offset,
            utf16,
            middle,
            close,
        })
    }
}

/// Room for the text of a range of text input: nine [`Piece`]s of up to
/// 64 bytes, each copied whole, and eight numbers of up to 20 digits.
struct Scratch([u8; 9 * 64 + 8 * 20]);

impl Scratch {
    fn new() -> Scratch {
        Scratch([0; 9 * 64 + 8 * 20])
    }
}

/// Copy a piece's 64 bytes to `out` at `at` (a copy of known size), and
/// give the end of its text.
#[inline(always)]
fn put_piece<const N: usize>(out: &mut [u8], at: usize, p: &Piece<N>) -> usize {
    out[at..at + N].copy_from_slice(&p.bytes);
    at + p.len
}

/// The two digits of every number under 100.
const PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut i = 0;
    while i < 100 {
        pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    pairs
};

/// Write a number's digits to `out` at `at` and give their end: up to five
/// digits (every column and line, nearly every offset) as pairs from
/// [`PAIRS`], one division by 100 a pair.
#[inline(always)]
fn put_num(out: &mut [u8], at: usize, n: usize) -> usize {
    match n {
        0..=9 => {
            out[at] = b'0' + n as u8;
            at + 1
        }
        10..=99 => {
            out[at..at + 2].copy_from_slice(&PAIRS[n]);
            at + 2
        }
        100..=999 => {
            out[at] = b'0' + (n / 100) as u8;
            out[at + 1..at + 3].copy_from_slice(&PAIRS[n % 100]);
            at + 3
        }
        1000..=9999 => {
            out[at..at + 2].copy_from_slice(&PAIRS[n / 100]);
            out[at + 2..at + 4].copy_from_slice(&PAIRS[n % 100]);
            at + 4
        }
        10000..=99999 => {
            out[at] = b'0' + (n / 10000) as u8;
            out[at + 1..at + 3].copy_from_slice(&PAIRS[n / 100 % 100]);
            out[at + 3..at + 5].copy_from_slice(&PAIRS[n % 100]);
            at + 5
        }
        _ => {
            let digits = n.to_string();
            out[at..at + digits.len()].copy_from_slice(digits.as_bytes());
            at + digits.len()
        }
    }
}

impl Range {
    /// The range's text, written piece by piece and number by number into
    /// `scratch` at a position kept in a register (appending each to the
    /// output `Vec` reloads and stores its length every time: its bytes
    /// may alias it), then appended at once.
    fn write_pretty(&self, w: &mut Pretty, scratch: &mut Scratch) {
        let plain = |p: &Pos| p.paragraph.is_none() && p.paragraph_column.is_none();
        let Some(t) = RANGE_TEXT
            .get(w.level)
            .and_then(Option::as_ref)
            .filter(|_| plain(&self.end) && plain(&self.start))
        else {
            return self.write_pretty_slow(w);
        };
        let out = &mut scratch.0;
        let mut at = put_piece(out, 0, &t.open);
        for (p, after) in [(&self.end, &t.middle), (&self.start, &t.close)] {
            at = t.put_position(out, at, [p.column, p.line, p.offset, p.utf16], after);
        }
        w.buf.extend_from_slice(&out[..at]);
    }

    /// Any range, key by key.
    fn write_pretty_slow(&self, w: &mut Pretty) {
        w.open(b'{');
        w.key(true, key!("end"));
        self.end.write_pretty(w);
        w.key(false, key!("start"));
        self.start.write_pretty(w);
        w.close(b'}', true);
    }
}

/// [`Out`]'s pretty text straight from the diagnostic, with nothing
/// allocated.
fn write_pretty_diagnostic(
    w: &mut Pretty,
    source: &Source,
    file: &[u8],
    d: &Diagnostic,
    lang: Lang,
    positions: &[Position],
) {
    // Where `ordered_positions` put the labels' and the edits' positions.
    let labels_at = 2;
    let edits_at = labels_at + 2 * d.labels.len();
    let mut scratch = Scratch::new();
    w.open(b'{');
    w.key(true, key!("basis"));
    w.opt_str(d.basis.as_deref());
    w.key(false, key!("code"));
    w.str(d.code);
    w.key(false, key!("file"));
    w.buf.extend_from_slice(file);
    w.key(false, key!("fix"));
    match &d.fix {
        None => w.buf.extend_from_slice(b"null"),
        Some(f) => {
            w.open(b'{');
            w.key(true, key!("applicability"));
            w.applicability(f.applicability);
            w.key(false, key!("edits"));
            w.open(b'[');
            for (i, e) in f.edits.iter().enumerate() {
                w.item(i == 0);
                w.open(b'{');
                w.key(true, key!("range"));
                Range::at(source, e.span, positions, edits_at + 2 * i)
                    .write_pretty(w, &mut scratch);
                w.key(false, key!("replacement"));
                w.str(&e.replacement);
                w.close(b'}', true);
            }
            w.close(b']', !f.edits.is_empty());
            w.key(false, key!("message"));
            w.str(f.message.get(lang));
            w.close(b'}', true);
        }
    }
    w.key(false, key!("help"));
    w.opt_str(d.help.as_ref().map(|h| h.get(lang)));
    w.key(false, key!("labels"));
    w.open(b'[');
    for (i, l) in d.labels.iter().enumerate() {
        w.item(i == 0);
        w.open(b'{');
        w.key(true, key!("message"));
        w.opt_str(l.message.as_ref().map(|m| m.get(lang)));
        w.key(false, key!("range"));
        Range::at(source, l.span, positions, labels_at + 2 * i).write_pretty(w, &mut scratch);
        w.close(b'}', true);
    }
    w.close(b']', !d.labels.is_empty());
    w.key(false, key!("message"));
    w.str(d.message.get(lang));
    w.key(false, key!("name"));
    w.str(d.name());
    w.key(false, key!("notes"));
    w.open(b'[');
    for (i, n) in d.notes.iter().enumerate() {
        w.item(i == 0);
        w.str(n.get(lang));
    }
    w.close(b']', !d.notes.is_empty());
    w.key(false, key!("range"));
    Range::at(source, d.span, positions, 0).write_pretty(w, &mut scratch);
    w.key(false, key!("severity"));
    w.severity(d.severity);
    w.key(false, key!("url"));
    // `crate::rules::url` (`docs/rules/{code}.md`) without building the
    // string; the differential test against `diagnostic()` checks it.
    if d.code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        w.buf.extend_from_slice(b"\"docs/rules/");
        w.buf.extend_from_slice(d.code.as_bytes());
        w.buf.extend_from_slice(b".md\"");
    } else {
        w.str(&d.url());
    }
    w.close(b'}', true);
}

/// The diagnostics of one file as items of a pretty-printed JSON array
/// `level` levels deep: each indented to `level`, separated by `,\n`, the
/// first not preceded by anything (what [`write_diagnostic`] for each, with
/// those separators, writes).
///
/// Plain-text input takes [`Fast`]: every byte of fixed text (keys,
/// separators, indentation) comes from a [`DiagText`] made once per level
/// by the generic writer, so that a diagnostic is a few dozen fixed-size
/// copies, its numbers and its strings, gathered in a scratch buffer and
/// appended to the output a few kilobytes at a time. Word input (positions
/// with paragraphs) takes the generic writer.
pub(crate) fn write_items(
    buf: &mut Vec<u8>,
    source: &Source,
    diagnostics: &[Diagnostic],
    lang: Lang,
    level: usize,
) {
    if diagnostics.is_empty() {
        return;
    }
    let file = quoted(&source.name);
    let text = DIAG_TEXT
        .get(level)
        .and_then(Option::as_ref)
        .filter(|_| source.origin.docx.is_none());
    let Some(t) = text else {
        let positions = ordered_positions(source, diagnostics);
        let mut rest = &positions[..];
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(b",\n");
            }
            let _ = super::write_indent(buf, level);
            let (mine, others) = rest.split_at(position_count(d));
            rest = others;
            write_diagnostic(buf, source, &file, d, lang, mine, level);
        }
        return;
    };
    with_scratch(|state| {
        // Each diagnostic's positions in the order of `ordered_positions`,
        // counted by one cursor as the diagnostics come.
        let mut mine = std::mem::take(&mut state.positions);
        let mut cursor = SpanCursor::new();
        let (index, text) = (&source.index, source.text.as_str());
        let mut w = Fast::new(buf, state);
        for (i, d) in diagnostics.iter().enumerate() {
            mine.clear();
            let mut add = |s: Span| mine.extend(cursor.span(index, text, s));
            add(d.span);
            d.labels.iter().for_each(|l| add(l.span));
            d.fix
                .iter()
                .flat_map(|f| &f.edits)
                .for_each(|e| add(e.span));
            w.reserve(PIECE_ROOM);
            w.piece(if i == 0 { &t.first } else { &t.next });
            w.diagnostic(t, &file, d, lang, &mine);
        }
        w.flush();
        state.positions = mine;
    });
}

/// What [`Fast`] keeps from one file to the next.
struct FastState {
    /// The scratch buffer.
    scratch: [u8; SCRATCH],
    /// Fixed texts (`&'static str`: rule names, bases, most messages and
    /// helps) found to need no escape, by address and length, so each is
    /// tested once, not once per finding: a direct-mapped cache (a slot
    /// holds the last text that mapped to it). A static text's bytes never
    /// change, so its address and length stand for them.
    plain: [(usize, usize); PLAIN_SLOTS],
    /// The positions of the diagnostic being written.
    positions: Vec<Position>,
}

/// Slots of [`FastState::plain`] (a power of two).
const PLAIN_SLOTS: usize = 128;

thread_local! {
    /// [`Fast`]'s state, one per thread: made (and zeroed) once, not once
    /// per file (zeroing 4 KB cost as much as a small file's findings).
    static FAST_STATE: std::cell::RefCell<Box<FastState>> =
        std::cell::RefCell::new(Box::new(FastState::new()));
}

impl FastState {
    fn new() -> FastState {
        FastState {
            scratch: [0; SCRATCH],
            plain: [(0, 0); PLAIN_SLOTS],
            positions: Vec::new(),
        }
    }
}

/// Run `f` with this thread's [`FastState`] (a new one if it is in use).
fn with_scratch(f: impl FnOnce(&mut FastState)) {
    FAST_STATE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => f(&mut state),
        Err(_) => f(&mut Box::new(FastState::new())),
    });
}

/// Bytes of [`Fast`]'s scratch buffer.
const SCRATCH: usize = 4096;

/// The longest text [`Fast`] copies into its scratch buffer (a longer one
/// is appended to the output directly).
const SCRATCH_TEXT: usize = 1024;

/// Room for one range: eight pieces (each copied whole) and eight numbers.
const RANGE_ROOM: usize = 8 * PIECE_ROOM + 8 * 20;

/// A writer of diagnostics of plain-text input: fixed pieces, numbers and
/// short strings are written into a scratch buffer at a position kept in a
/// register (appending each to the output `Vec` would check its capacity
/// and store its length every time), and the scratch buffer is appended to
/// the output when it is nearly full and at the end. Before each group of
/// writes of known size, [`Fast::reserve`] makes room for it.
struct Fast<'b> {
    buf: &'b mut Vec<u8>,
    scratch: &'b mut [u8; SCRATCH],
    plain: &'b mut [(usize, usize); PLAIN_SLOTS],
    at: usize,
}

impl<'b> Fast<'b> {
    fn new(buf: &'b mut Vec<u8>, state: &'b mut FastState) -> Fast<'b> {
        Fast {
            buf,
            scratch: &mut state.scratch,
            plain: &mut state.plain,
            at: 0,
        }
    }

    /// Room for `n` more bytes (at most [`SCRATCH`]).
    #[inline(always)]
    fn reserve(&mut self, n: usize) {
        if self.at + n > SCRATCH {
            self.flush();
        }
    }

    /// Append the scratch buffer to the output.
    #[inline(never)]
    fn flush(&mut self) {
        self.buf.extend_from_slice(&self.scratch[..self.at]);
        self.at = 0;
    }

    /// A fixed piece ([`PIECE_ROOM`] bytes of room).
    #[inline(always)]
    fn piece<const N: usize>(&mut self, p: &Piece<N>) {
        self.at = put_piece(self.scratch, self.at, p);
    }

    /// A literal of known size (its length of room).
    #[inline(always)]
    fn lit(&mut self, s: &[u8]) {
        self.scratch[self.at..self.at + s.len()].copy_from_slice(s);
        self.at += s.len();
    }

    /// Bytes of any length (makes its own room).
    fn bytes(&mut self, s: &[u8]) {
        if s.len() > SCRATCH_TEXT {
            self.flush();
            self.buf.extend_from_slice(s);
        } else {
            self.reserve(s.len());
            put_bytes(self.scratch, self.at, s);
            self.at += s.len();
        }
    }

    /// A string, quoted and escaped as serde_json does (makes its own room):
    /// a short plain one (a replacement, a code) inline, without a call.
    #[inline(always)]
    fn str(&mut self, s: &str) {
        let b = s.as_bytes();
        if b.len() <= 16 && is_plain(b) {
            self.reserve(18);
            let at = self.at;
            self.scratch[at] = b'"';
            put_bytes(self.scratch, at + 1, b);
            self.scratch[at + 1 + b.len()] = b'"';
            self.at = at + b.len() + 2;
        } else {
            self.str_long(s);
        }
    }

    /// [`Fast::str`] of a longer or escaped string.
    #[inline(never)]
    fn str_long(&mut self, s: &str) {
        let b = s.as_bytes();
        if b.len() <= SCRATCH_TEXT && is_plain(b) {
            self.plain_str(b);
        } else {
            self.flush();
            Pretty {
                buf: self.buf,
                level: 0,
            }
            .str(s);
        }
    }

    /// A fixed text ([`Fast::str`]), tested for escapes only the first time
    /// it is seen ([`FastState::plain`]).
    #[inline(always)]
    fn static_str(&mut self, s: &'static str) {
        let b = s.as_bytes();
        let key = (b.as_ptr() as usize, b.len());
        let slot = ((key.0 >> 3) ^ key.1) % PLAIN_SLOTS;
        if self.plain[slot] == key {
            self.plain_str(b);
        } else if is_plain(b) {
            self.plain[slot] = key;
            self.plain_str(b);
        } else {
            self.str_long(s);
        }
    }

    /// A string known to need no escape, quoted (makes its own room).
    #[inline(always)]
    fn plain_str(&mut self, b: &[u8]) {
        if b.len() <= SCRATCH_TEXT {
            self.reserve(b.len() + 2);
            let at = self.at;
            self.scratch[at] = b'"';
            put_bytes(self.scratch, at + 1, b);
            self.scratch[at + 1 + b.len()] = b'"';
            self.at = at + b.len() + 2;
        } else {
            self.flush();
            self.buf.push(b'"');
            self.buf.extend_from_slice(b);
            self.buf.push(b'"');
        }
    }

    /// A text of a diagnostic: a fixed one by [`Fast::static_str`].
    #[inline(always)]
    fn text(&mut self, t: &Text) {
        match t {
            Cow::Borrowed(s) => self.static_str(s),
            Cow::Owned(s) => self.str(s),
        }
    }

    /// [`Fast::text`] or `null`.
    #[inline(always)]
    fn opt_text(&mut self, t: Option<&Text>) {
        match t {
            Some(t) => self.text(t),
            None => {
                self.reserve(4);
                self.lit(b"null");
            }
        }
    }

    /// A range whose start and end positions are `p[i]` and `p[i + 1]`
    /// ([`RANGE_ROOM`] bytes of room), without its opening piece.
    ///
    /// The scratch buffer and the position in it are held in locals while
    /// the range is written: through `self`, each write stored the position
    /// back and reloaded the buffer's address (a panic could observe them).
    #[inline(always)]
    fn range(&mut self, t: &RangeText, p: &[Position], i: usize) {
        let (end, start) = (&p[i + 1], &p[i]);
        let out = &mut *self.scratch;
        let mut at = self.at;
        for (p, after) in [(end, &t.middle), (start, &t.close)] {
            at = t.put_position(out, at, [p.column, p.line, p.offset, p.utf16], after);
        }
        self.at = at;
    }

    /// One diagnostic after its separator: what [`write_pretty_diagnostic`]
    /// writes.
    fn diagnostic(
        &mut self,
        t: &DiagText,
        file: &[u8],
        d: &Diagnostic,
        lang: Lang,
        positions: &[Position],
    ) {
        let labels_at = 2;
        let edits_at = labels_at + 2 * d.labels.len();
        self.reserve(PIECE_ROOM);
        self.piece(&t.basis);
        self.opt_text(d.basis.as_ref());
        self.reserve(PIECE_ROOM);
        self.piece(&t.code);
        self.static_str(d.code);
        self.reserve(PIECE_ROOM);
        self.piece(&t.file);
        self.bytes(file);
        self.reserve(2 * PIECE_ROOM + 16);
        self.piece(&t.fix);
        match &d.fix {
            None => self.lit(b"null"),
            Some(f) => {
                self.piece(&t.fix_open);
                match f.applicability {
                    Applicability::Safe => self.lit(b"\"safe\""),
                    Applicability::Unsafe => self.lit(b"\"unsafe\""),
                }
                self.reserve(PIECE_ROOM);
                self.piece(&t.edits);
                for (i, e) in f.edits.iter().enumerate() {
                    self.reserve(2 * PIECE_ROOM + RANGE_ROOM + PIECE_ROOM);
                    self.piece(if i == 0 { &t.edit_first } else { &t.edit_next });
                    self.piece(&t.edit_range.open);
                    self.range(&t.edit_range, positions, edits_at + 2 * i);
                    self.piece(&t.replacement);
                    self.text(&e.replacement);
                    self.reserve(PIECE_ROOM);
                    self.piece(&t.edit_end);
                }
                self.reserve(2 * PIECE_ROOM);
                if f.edits.is_empty() {
                    self.lit(b"]");
                } else {
                    self.piece(&t.edits_end);
                }
                self.piece(&t.fix_message);
                self.text(f.message.text(lang));
                self.reserve(PIECE_ROOM);
                self.piece(&t.fix_end);
            }
        }
        self.reserve(PIECE_ROOM);
        self.piece(&t.help);
        self.opt_text(d.help.as_ref().map(|h| h.text(lang)));
        self.reserve(PIECE_ROOM);
        self.piece(&t.labels);
        for (i, l) in d.labels.iter().enumerate() {
            self.reserve(PIECE_ROOM);
            self.piece(if i == 0 {
                &t.label_first
            } else {
                &t.label_next
            });
            self.opt_text(l.message.as_ref().map(|m| m.text(lang)));
            self.reserve(2 * PIECE_ROOM + RANGE_ROOM + PIECE_ROOM);
            self.piece(&t.label_range);
            self.piece(&t.label_range_text.open);
            self.range(&t.label_range_text, positions, labels_at + 2 * i);
            self.piece(&t.label_end);
        }
        self.reserve(2 * PIECE_ROOM);
        if d.labels.is_empty() {
            self.lit(b"]");
        } else {
            self.piece(&t.labels_end);
        }
        self.piece(&t.message);
        self.text(d.message.text(lang));
        self.reserve(PIECE_ROOM);
        self.piece(&t.name);
        self.static_str(d.name());
        self.reserve(PIECE_ROOM);
        self.piece(&t.notes);
        for (i, n) in d.notes.iter().enumerate() {
            self.reserve(PIECE_ROOM);
            self.piece(if i == 0 { &t.note_first } else { &t.note_next });
            self.text(n.text(lang));
        }
        self.reserve(3 * PIECE_ROOM + RANGE_ROOM + 16);
        if d.notes.is_empty() {
            self.lit(b"]");
        } else {
            self.piece(&t.notes_end);
        }
        self.piece(&t.range);
        self.piece(&t.range_text.open);
        self.range(&t.range_text, positions, 0);
        self.piece(&t.severity);
        match d.severity {
            Severity::Hint => self.lit(b"\"hint\""),
            Severity::Info => self.lit(b"\"info\""),
            Severity::Warning => self.lit(b"\"warning\""),
            Severity::Error => self.lit(b"\"error\""),
        }
        self.reserve(PIECE_ROOM);
        self.piece(&t.url);
        // As in `write_pretty_diagnostic`.
        if d.code.len() <= 64 && d.code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.reserve(d.code.len() + 16);
            self.lit(b"\"docs/rules/");
            put_bytes(self.scratch, self.at, d.code.as_bytes());
            self.at += d.code.len();
            self.lit(b".md\"");
        } else {
            self.str(&d.url());
        }
        self.reserve(PIECE_ROOM);
        self.piece(&t.close);
    }
}

/// Copy `s` to `out` at `at`: up to 16 bytes as two overlapping copies of
/// known size (no call), longer ones with `copy_from_slice`.
#[inline(always)]
fn put_bytes(out: &mut [u8], at: usize, s: &[u8]) {
    let n = s.len();
    match n {
        0 => {}
        1..4 => {
            out[at] = s[0];
            out[at + n / 2] = s[n / 2];
            out[at + n - 1] = s[n - 1];
        }
        4..8 => {
            out[at..at + 4].copy_from_slice(&s[..4]);
            out[at + n - 4..at + n].copy_from_slice(&s[n - 4..]);
        }
        8..=16 => {
            out[at..at + 8].copy_from_slice(&s[..8]);
            out[at + n - 8..at + n].copy_from_slice(&s[n - 8..]);
        }
        _ => out[at..at + n].copy_from_slice(s),
    }
}

/// The fixed text of a diagnostic `level` levels deep as [`Fast`] writes
/// it: each piece the bytes the generic writer ([`write_pretty_diagnostic`])
/// writes between two values, made by its calls, so the bytes are the same
/// by construction.
struct DiagText {
    /// The separator before the first item and before any other.
    first: Short,
    next: Short,
    /// `{` and the `basis` key.
    basis: Short,
    code: Short,
    file: Short,
    fix: Short,
    /// `{` and the `applicability` key.
    fix_open: Short,
    /// The `edits` key and `[`.
    edits: Short,
    /// Before an edit's range: its separator, `{` and the `range` key.
    edit_first: Short,
    edit_next: Short,
    edit_range: RangeText,
    /// After an edit's range: the `replacement` key.
    replacement: Short,
    /// After the replacement: `}`.
    edit_end: Piece,
    /// `]` of edits.
    edits_end: Piece,
    fix_message: Piece,
    /// `}` of the fix.
    fix_end: Piece,
    help: Piece,
    /// The `labels` key and `[`.
    labels: Piece,
    /// A label's separator, `{` and the `message` key.
    label_first: Piece,
    label_next: Piece,
    label_range: Piece,
    label_range_text: RangeText,
    label_end: Piece,
    labels_end: Piece,
    message: Piece,
    name: Piece,
    notes: Piece,
    note_first: Piece,
    note_next: Piece,
    notes_end: Piece,
    range: Piece,
    range_text: RangeText,
    severity: Piece,
    url: Piece,
    /// `}` of the diagnostic.
    close: Piece,
}

/// Levels with a precomputed [`DiagText`] (when all its pieces fit).
const DIAG_TEXT_LEVELS: usize = 4;

static DIAG_TEXT: std::sync::LazyLock<Vec<Option<DiagText>>> =
    std::sync::LazyLock::new(|| (0..DIAG_TEXT_LEVELS).map(DiagText::new).collect());

impl DiagText {
    fn new(level: usize) -> Option<DiagText> {
        let mut buf = Vec::new();
        let mut w = Pretty {
            buf: &mut buf,
            level,
        };
        // The opening of the first and of a later object in a list (an
        // edit, a label) whose first key is `key`: both from the level of
        // the list, so each leaves `w` inside its object.
        fn first_and_next<const N: usize>(
            w: &mut Pretty,
            key: &[u8],
        ) -> Option<(Piece<N>, Piece<N>)> {
            let outside = w.level;
            let open = |w: &mut Pretty, first: bool| {
                piece(w, |w| {
                    w.item(first);
                    w.open(b'{');
                    w.key(true, key);
                })
            };
            let first = open(w, true)?;
            w.level = outside;
            let next = open(w, false)?;
            Some((first, next))
        }
        let mut indent = Vec::new();
        let _ = super::write_indent(&mut indent, level);
        let first = Piece::new(&indent)?;
        let next = Piece::new(&[&b",\n"[..], &indent].concat())?;
        let basis = piece(&mut w, |w| {
            w.open(b'{');
            w.key(true, key!("basis"));
        })?;
        let code = piece(&mut w, |w| w.key(false, key!("code")))?;
        let file = piece(&mut w, |w| w.key(false, key!("file")))?;
        let fix = piece(&mut w, |w| w.key(false, key!("fix")))?;
        let fix_open = piece(&mut w, |w| {
            w.open(b'{');
            w.key(true, key!("applicability"));
        })?;
        let edits = piece(&mut w, |w| {
            w.key(false, key!("edits"));
            w.open(b'[');
        })?;
        let (edit_first, edit_next) = first_and_next(&mut w, key!("range"))?;
        let edit_range = RangeText::new(w.level)?;
        let replacement = piece(&mut w, |w| w.key(false, key!("replacement")))?;
        let edit_end = piece(&mut w, |w| w.close(b'}', true))?;
        let edits_end = piece(&mut w, |w| w.close(b']', true))?;
        let fix_message = piece(&mut w, |w| w.key(false, key!("message")))?;
        let fix_end = piece(&mut w, |w| w.close(b'}', true))?;
        let help = piece(&mut w, |w| w.key(false, key!("help")))?;
        let labels = piece(&mut w, |w| {
            w.key(false, key!("labels"));
            w.open(b'[');
        })?;
        let (label_first, label_next) = first_and_next(&mut w, key!("message"))?;
        let label_range = piece(&mut w, |w| w.key(false, key!("range")))?;
        let label_range_text = RangeText::new(w.level)?;
        let label_end = piece(&mut w, |w| w.close(b'}', true))?;
        let labels_end = piece(&mut w, |w| w.close(b']', true))?;
        let message = piece(&mut w, |w| w.key(false, key!("message")))?;
        let name = piece(&mut w, |w| w.key(false, key!("name")))?;
        let notes = piece(&mut w, |w| {
            w.key(false, key!("notes"));
            w.open(b'[');
        })?;
        let note_first = piece(&mut w, |w| w.item(true))?;
        let note_next = piece(&mut w, |w| w.item(false))?;
        let notes_end = piece(&mut w, |w| w.close(b']', true))?;
        let range = piece(&mut w, |w| w.key(false, key!("range")))?;
        let range_text = RangeText::new(w.level)?;
        let severity = piece(&mut w, |w| w.key(false, key!("severity")))?;
        let url = piece(&mut w, |w| w.key(false, key!("url")))?;
        let close = piece(&mut w, |w| w.close(b'}', true))?;
        Some(DiagText {
            first,
            next,
            basis,
            code,
            file,
            fix,
            fix_open,
            edits,
            edit_first,
            edit_next,
            edit_range,
            replacement,
            edit_end,
            edits_end,
            fix_message,
            fix_end,
            help,
            labels,
            label_first,
            label_next,
            label_range,
            label_range_text,
            label_end,
            labels_end,
            message,
            name,
            notes,
            note_first,
            note_next,
            notes_end,
            range,
            range_text,
            severity,
            url,
            close,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Fix, L10n, Label};
    use crate::syntax::lower::tests::{Rng, corpus};

    /// What [`write_items`] writes, the generic way: each diagnostic by
    /// [`write_diagnostic`] (key by key), with the separators.
    fn generic_items(source: &Source, diagnostics: &[Diagnostic], level: usize) -> Vec<u8> {
        let positions = positions(source, diagnostics);
        let file = quoted(&source.name);
        let mut buf = Vec::new();
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(b",\n");
            }
            let _ = crate::render::write_indent(&mut buf, level);
            // Every position the exact way, one by one.
            let mine: Vec<Position> = span_offsets(std::slice::from_ref(d))
                .into_iter()
                .map(|o| positions.get(o).unwrap_or_else(|| source.position(o)))
                .collect();
            assert!(mine.iter().all(|p| *p == source.position(p.offset)));
            write_diagnostic(&mut buf, source, &file, d, Lang::Zh, &mine, level);
        }
        buf
    }

    /// Awkward texts: quotes, backslashes, control characters, non-BMP
    /// characters, empty, long (past the short copies and the scratch
    /// buffer's limit for copied texts).
    fn awkward(rng: &mut Rng) -> std::borrow::Cow<'static, str> {
        const PIECES: &[&str] = &[
            "",
            "\"",
            "\\",
            "\n",
            "\t",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "一",
            "😀",
            "𠀀",
            "a",
            "，",
            "“引号”",
            "</script>",
        ];
        // A fixed text now and then (written by `Fast::static_str`).
        if rng.next().is_multiple_of(5) {
            return std::borrow::Cow::Borrowed(rng.pick(PIECES));
        }
        let n = match rng.next() % 6 {
            0 => 0,
            1 => 1,
            2..=4 => (rng.next() % 40) as usize,
            _ => (rng.next() % 3000) as usize,
        };
        (0..n).map(|_| rng.pick(PIECES)).collect::<String>().into()
    }

    /// Diagnostics with every optional part, awkward texts and spans
    /// anywhere (inverted, inside characters, past the end, across lines).
    fn generated(source: &Source, rng: &mut Rng) -> Vec<Diagnostic> {
        let n = source.text.len();
        let span = |rng: &mut Rng| {
            let a = (rng.next() as usize) % (n + 3);
            let b = match rng.next() % 4 {
                0 => a,
                1 => a + (rng.next() as usize) % 4,
                2 => a.saturating_sub((rng.next() as usize) % 8),
                _ => a + (rng.next() as usize) % 300,
            };
            Span::new(a, b)
        };
        let l10n = |rng: &mut Rng| L10n::new(awkward(rng), awkward(rng));
        let codes = ["P001", "N003", "X-1", "", "C\"1"];
        let mut out = Vec::new();
        for _ in 0..12 {
            let mut d = Diagnostic::new(codes[(rng.next() % 5) as usize], span(rng));
            d.message = l10n(rng);
            d.severity = [
                Severity::Hint,
                Severity::Info,
                Severity::Warning,
                Severity::Error,
            ][(rng.next() % 4) as usize];
            if rng.next().is_multiple_of(2) {
                d.basis = Some(awkward(rng));
            }
            if rng.next().is_multiple_of(2) {
                d.help = Some(l10n(rng));
            }
            for _ in 0..rng.next() % 4 {
                let message = (!rng.next().is_multiple_of(3)).then(|| l10n(rng));
                d.labels.push(Label {
                    span: span(rng),
                    message,
                });
            }
            for _ in 0..rng.next() % 3 {
                d.notes.push(l10n(rng));
            }
            if !rng.next().is_multiple_of(3) {
                let mut edits = Vec::new();
                for _ in 0..rng.next() % 40 {
                    edits.push(Edit {
                        span: span(rng),
                        replacement: awkward(rng),
                    });
                }
                d.fix = Some(Fix {
                    applicability: if rng.next().is_multiple_of(2) {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    message: l10n(rng),
                    edits,
                });
            }
            out.push(d);
        }
        out
    }

    /// The fast writer writes what the generic one writes, byte for byte,
    /// at every level, for the findings of every corpus file and for
    /// generated findings with awkward texts and spans.
    #[test]
    fn fast_items_are_the_generic_ones() {
        let schema = crate::schema::resolve(crate::schema::DEFAULT).unwrap();
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        let (mut fast_levels, mut findings, mut edits) = (0, 0, 0);
        for source in corpus() {
            let checked = crate::check(&source, &schema, &Default::default());
            for diagnostics in [checked.diagnostics, generated(&source, &mut rng)] {
                findings += diagnostics.len();
                edits += diagnostics
                    .iter()
                    .filter_map(|d| d.fix.as_ref())
                    .map(|f| f.edits.len())
                    .sum::<usize>();
                for level in 0..DIAG_TEXT_LEVELS + 2 {
                    fast_levels += usize::from(DIAG_TEXT.get(level).is_some_and(Option::is_some));
                    let mut fast = b"x".to_vec();
                    write_items(&mut fast, &source, &diagnostics, Lang::Zh, level);
                    let slow = [&b"x"[..], &generic_items(&source, &diagnostics, level)].concat();
                    assert!(
                        fast == slow,
                        "{} at level {level}:\n{}\n---\n{}",
                        source.name,
                        String::from_utf8_lossy(&fast),
                        String::from_utf8_lossy(&slow)
                    );
                }
            }
        }
        // Levels 0 (`diagnostic_text`) and 1 (`check --format json`) are fast.
        assert!(DIAG_TEXT[0].is_some() && DIAG_TEXT[1].is_some());
        assert!(
            fast_levels >= 2 && findings > 300 && edits > 1000,
            "{fast_levels} {findings} {edits}"
        );
    }

    /// The fixed pieces of a range give what the generic writer gives at
    /// every level that has them, for numbers of every length.
    #[test]
    fn range_pieces_are_the_generic_text() {
        let mut levels = 0;
        for (level, t) in RANGE_TEXT.iter().enumerate() {
            levels += usize::from(t.is_some());
            for n in [0, 7, 42, 999, 12_345, 123_456_789, usize::MAX] {
                let pos = |n: usize| Pos {
                    column: n,
                    line: n / 3,
                    offset: n / 7,
                    paragraph: None,
                    paragraph_column: None,
                    utf16: n / 11,
                };
                let range = Range {
                    end: pos(n),
                    start: pos(n / 2),
                };
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                range.write_pretty(
                    &mut Pretty {
                        buf: &mut fast,
                        level,
                    },
                    &mut Scratch::new(),
                );
                range.write_pretty_slow(&mut Pretty {
                    buf: &mut slow,
                    level,
                });
                assert_eq!(fast, slow, "level {level}");
            }
        }
        assert!(levels >= 6, "ranges of diagnostics have their pieces");
        // Separators at every level, with and without a comma.
        for level in 0..40 {
            for first in [true, false] {
                let mut buf = b"x".to_vec();
                Pretty {
                    buf: &mut buf,
                    level,
                }
                .sep(first);
                let want = format!("x{}\n{}", if first { "" } else { "," }, "  ".repeat(level));
                assert_eq!(String::from_utf8(buf).unwrap(), want);
            }
        }
    }
    /// `put_num` writes what `to_string` writes, for every number of up
    /// to six digits and some longer ones.
    #[test]
    fn put_num_is_to_string() {
        let mut out = [0u8; 32];
        let big = [1_000_000, 123_456_789, usize::MAX];
        for n in (0..1_000_000).chain(big) {
            let end = put_num(&mut out, 3, n);
            assert_eq!(&out[3..end], n.to_string().as_bytes(), "{n}");
        }
    }

    /// Fixed texts are written as serde_json writes them, the first time
    /// (tested) and every later time (from the cache of plain texts), with
    /// texts that need escapes and texts that share a slot of the cache.
    #[test]
    fn static_texts_are_serde_s() {
        static TEXTS: [&str; 8] = [
            "",
            "GB/T 9704—2012《党政机关公文格式》7.3.3",
            "say \"hi\"",
            "a\\b",
            "tab\there",
            "halfwidth-punctuation",
            "应为“，”",
            "line\nbreak and a long tail past sixteen bytes",
        ];
        let mut state = Box::new(FastState::new());
        let mut cached = 0;
        for round in 0..3 {
            for (k, &text) in TEXTS.iter().enumerate() {
                let mut fast = Vec::new();
                let mut w = Fast::new(&mut fast, &mut state);
                w.static_str(text);
                w.text(&Cow::Borrowed(text));
                w.text(&Cow::Owned(text.to_string()));
                w.flush();
                let one = serde_json::to_vec(text).unwrap();
                assert_eq!(fast, [&one[..], &one, &one].concat(), "{text:?}");
                // Every slot taken by another text: nothing is cached.
                if round == 2 && k == 0 {
                    state.plain = [(1, 1); PLAIN_SLOTS];
                }
            }
            cached += state.plain.iter().filter(|p| p.1 > 1).count();
        }
        assert!(cached >= 8, "{cached}");
    }

    /// `is_plain` says what the byte-by-byte definition says, for strings
    /// of every length around its 32-byte pieces with the escaped bytes
    /// at every place; the enums are named as serde names them.
    #[test]
    fn plain_strings_and_names_are_serde_s() {
        let slow = |s: &[u8]| !s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        let mut escaped = 0;
        for len in 0..100 {
            let base: Vec<u8> = "一a\u{7f}é".bytes().cycle().take(len).collect();
            assert!(is_plain(&base) && slow(&base));
            for at in 0..len {
                for b in [0u8, b'\n', 0x1f, b'"', b'\\', b' ', 0x7f, 0x80, 0xff] {
                    let mut s = base.clone();
                    s[at] = b;
                    assert_eq!(is_plain(&s), slow(&s), "{s:?}");
                    escaped += usize::from(!slow(&s));
                }
            }
        }
        assert!(escaped > 0);
        for s in [
            Severity::Hint,
            Severity::Info,
            Severity::Warning,
            Severity::Error,
        ] {
            let mut buf = Vec::new();
            Pretty {
                buf: &mut buf,
                level: 0,
            }
            .severity(s);
            assert_eq!(buf, serde_json::to_vec(&s).unwrap());
        }
        for a in [Applicability::Safe, Applicability::Unsafe] {
            let mut buf = Vec::new();
            Pretty {
                buf: &mut buf,
                level: 0,
            }
            .applicability(a);
            assert_eq!(buf, serde_json::to_vec(&a).unwrap());
        }
    }
}
