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
    super::write_pretty(buf, &Out::new(source, d, lang, cursor), level);
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
