//! `--format rdjson`: reviewdog's Diagnostic Format
//! (`reviewdog -f=rdjson`). Positions are 1-based lines and 1-based columns
//! counted in UTF-8 **bytes**, as the format defines them; suggestions carry
//! the safe fixes.

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::source::{Source, Span};

fn position(source: &Source, offset: usize) -> Value {
    let p = source.position(offset);
    let line_start = source.index.line_start(p.line - 1);
    json!({ "line": p.line, "column": p.offset - line_start + 1 })
}

fn range(source: &Source, span: Span) -> Value {
    json!({ "start": position(source, span.start), "end": position(source, span.end) })
}

/// One finding as an rdjson `Diagnostic`.
pub fn diagnostic(source: &Source, d: &Diagnostic, lang: Lang) -> Value {
    let severity = match d.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Hint => "INFO",
    };
    let mut v = json!({
        "message": d.message.get(lang),
        "location": { "path": source.name, "range": range(source, d.span) },
        "severity": severity,
        "code": { "value": d.code, "url": d.url() },
    });
    if let Some(f) = &d.fix {
        v["suggestions"] = f
            .edits
            .iter()
            .map(|e| json!({ "range": range(source, e.span), "text": e.replacement }))
            .collect();
    }
    v
}

/// The result object around the diagnostics (`diagnostics` left empty for
/// the caller to fill, see [`super::Stream`]).
pub fn skeleton() -> Value {
    json!({
        "source": { "name": "gongwen" },
        "diagnostics": [],
    })
}
