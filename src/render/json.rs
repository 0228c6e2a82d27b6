//! JSON output: `check --format json` and `compile --to json|yaml`
//! (DESIGN.md contracts).

use serde_json::{Value, json};

use crate::Checked;
use crate::diagnostic::{Diagnostic, Lang};
use crate::schema::Schema;
use crate::source::{Source, Span};

/// `{"start": position, "end": position}`.
pub fn range(source: &Source, span: Span) -> Value {
    json!({
        "start": source.position(span.start),
        "end": source.position(span.end),
    })
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
    json!({
        "file": source.name,
        "schema": schema.id,
        "document": checked.document,
        "outline": checked.document.outline(),
        "matches": checked.matches,
        "diagnostics": checked.diagnostics.iter().map(|d| diagnostic(source, d, lang)).collect::<Vec<_>>(),
    })
}
