//! `--format jsonl`: the `json` objects, one per line (no enclosing array),
//! for streaming consumers.

use crate::diagnostic::{Diagnostic, Lang};
use crate::source::Source;

/// Every finding of one file, one JSON object per line.
pub fn render(source: &Source, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&super::json::diagnostic_text(source, d, lang, false));
        out.push('\n');
    }
    out
}
