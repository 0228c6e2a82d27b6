//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF
//! viewers.
//!
//! - `columnKind` is `unicodeCodePoints`: columns are 1-based characters,
//!   as in `short` and `json`; `endColumn` is the column after the region.
//!   Regions are given by line and column only (no `charOffset`, whose
//!   character count from the start of the file would cost a scan per
//!   finding).
//! - Every registered rule is listed in `tool.driver.rules` with its summary
//!   and its full documentation (`help.text`/`help.markdown`, the same text
//!   as `gongwen explain CODE` and `docs/rules/CODE.md`). `helpUri` must be
//!   an absolute URI and gongwen has no published site, so it is left out;
//!   the repository-relative page is in the rule's `properties.docs`.
//! - Artifact URIs are the file names as given, percent-encoded
//!   (`uriBaseId` `%SRCROOT%`, the working directory, for relative names).

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::rules::RULES;
use crate::source::{Source, Span};

/// The SARIF `level` of a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A file name as a URI reference: `/`-separated, everything outside the
/// unreserved set percent-encoded.
pub fn uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(name: &str) -> Value {
    let mut v = json!({ "uri": uri(name) });
    if !name.starts_with('/') && name != "-" {
        v["uriBaseId"] = json!("%SRCROOT%");
    }
    v
}

fn region(source: &Source, span: Span) -> Value {
    let s = source.position(span.start);
    let e = source.position(span.end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

/// The `tool` object: gongwen and every rule with its docs.
pub fn tool(lang: Lang) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let doc = r.doc();
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary(lang) },
                "fullDescription": { "text": format!("{} — {}", r.summary_zh, r.summary_en) },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "docs": crate::rules::url(r.code),
                    "fixable": r.fixable,
                    "tags": [family(r.code)],
                },
            })
        })
        .collect();
    json!({
        "driver": {
            "name": "gongwen",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }
    })
}

fn family(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'S') => "structure",
        Some(b'N') => "numbering",
        Some(b'P') => "punctuation",
        Some(b'F') => "format",
        Some(b'D') => "dates",
        Some(b'C') => "citations",
        _ => "input",
    }
}

/// One finding as a SARIF `result`.
pub fn result(source: &Source, d: &Diagnostic, lang: Lang) -> Value {
    let rule_index = RULES.iter().position(|r| r.code == d.code);
    let mut text = d.message.get(lang).to_string();
    if let Some(h) = &d.help {
        text.push('\n');
        text.push_str(h.get(lang));
    }
    let mut v = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(&source.name),
                "region": region(source, d.span),
            }
        }],
    });
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if !d.labels.is_empty() {
        v["relatedLocations"] = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = json!({
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": artifact(&source.name),
                        "region": region(source, l.span),
                    }
                });
                if let Some(m) = &l.message {
                    loc["message"] = json!({ "text": m.get(lang) });
                }
                loc
            })
            .collect();
    }
    if let Some(f) = &d.fix {
        v["fixes"] = json!([{
            "description": { "text": f.message.get(lang) },
            "artifactChanges": [{
                "artifactLocation": artifact(&source.name),
                "replacements": f.edits.iter().map(|e| json!({
                    "deletedRegion": region(source, e.span),
                    "insertedContent": { "text": e.replacement },
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    if let Some(b) = &d.basis {
        v["properties"] = json!({ "basis": b });
    }
    v
}

/// The log around the results: `runs[0].results` is left empty for the
/// caller to fill (see [`super::Stream`]).
pub fn skeleton(lang: Lang) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": tool(lang),
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "./" } },
            "results": [],
        }]
    })
}
