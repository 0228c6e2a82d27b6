//! JSON output: `check --format json` and `compile --to json|yaml`
//! (DESIGN.md contracts).

use serde_json::{Value, json};

use crate::Checked;
use crate::diagnostic::{Applicability, Diagnostic, Lang, Severity};
use crate::schema::Schema;
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
        let positions = ordered_positions(source, one);
        let file = quoted(&source.name);
        write_diagnostic(&mut buf, source, &file, d, lang, &positions, 0);
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
        .positions(&source.text, &span_offsets(diagnostics))
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
    line: Piece,
    offset: Piece,
    utf16: Piece,
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
struct Piece {
    bytes: [u8; 64],
    len: usize,
}

impl Piece {
    fn new(text: &[u8]) -> Option<Piece> {
        let mut bytes = [b' '; 64];
        bytes.get_mut(..text.len())?.copy_from_slice(text);
        Some(Piece {
            bytes,
            len: text.len(),
        })
    }
}

impl RangeText {
    fn new(level: usize) -> Option<RangeText> {
        let mut buf = Vec::new();
        let mut w = Pretty {
            buf: &mut buf,
            level,
        };
        fn piece(w: &mut Pretty, write: impl FnOnce(&mut Pretty)) -> Option<Piece> {
            write(w);
            Piece::new(&std::mem::take(w.buf))
        }
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
fn put_piece(out: &mut [u8], at: usize, p: &Piece) -> usize {
    out[at..at + 64].copy_from_slice(&p.bytes);
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
            at = put_num(out, at, p.column);
            at = put_piece(out, at, &t.line);
            at = put_num(out, at, p.line);
            at = put_piece(out, at, &t.offset);
            at = put_num(out, at, p.offset);
            at = put_piece(out, at, &t.utf16);
            at = put_num(out, at, p.utf16);
            at = put_piece(out, at, after);
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

#[cfg(test)]
mod tests {
    use super::*;

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
