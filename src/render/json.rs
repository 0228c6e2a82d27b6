//! JSON output: `check --format json` and `compile --to json|yaml`
//! (DESIGN.md contracts).

use serde_json::{Value, json};

use crate::Checked;
use crate::diagnostic::{Diagnostic, Lang};
use crate::schema::Schema;
use crate::source::{Source, Span};

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
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "applicability": f.applicability,
            "message": f.message.get(lang),
            "edits": f.edits.iter().map(|e| json!({
                "range": range(source, e.span),
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "file": source.name,
        "code": d.code,
        "name": d.name(),
        "severity": d.severity,
        "message": d.message.get(lang),
        "help": d.help.as_ref().map(|h| h.get(lang)),
        "basis": d.basis,
        "range": range(source, d.span),
        "labels": d.labels.iter().map(|l| json!({
            "range": range(source, l.span),
            "message": l.message.as_ref().map(|m| m.get(lang)),
        })).collect::<Vec<_>>(),
        "notes": d.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
        "fix": fix,
        "url": d.url(),
    })
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
