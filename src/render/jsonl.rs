//! `--format jsonl`: the `json` objects, one per line (no enclosing array),
//! for streaming consumers.

use crate::diagnostic::{Diagnostic, Lang};
use crate::source::Source;

/// Every finding of one file, one JSON object per line.
pub fn render(source: &Source, diagnostics: &[Diagnostic], lang: Lang) -> String {
    String::from_utf8(render_bytes(source, diagnostics, lang)).unwrap_or_default()
}

/// [`render`] as UTF-8 bytes.
pub fn render_bytes(source: &Source, diagnostics: &[Diagnostic], lang: Lang) -> Vec<u8> {
    let mut out = Vec::new();
    let positions = super::json::positions(source, diagnostics);
    for d in diagnostics {
        super::json::write_compact(&mut out, source, d, lang, &positions);
        out.push(b'\n');
    }
    out
}
