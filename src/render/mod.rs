//! Renderers: diagnostics and documents for people and for machines.
//!
//! [`Stream`] writes any [`Format`] file by file, so a batch run never holds
//! more than the files being checked: the text formats are concatenations,
//! and the JSON documents (`json`, `sarif`, `rdjson`) are written as their
//! opening, the items, and their closing.

pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod rdjson;
pub mod sarif;
pub mod short;

use std::io::{self, Write};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Lang};
use crate::source::Source;

/// An output format of `gongwen check` (its clap value names are the
/// lower-case variant names: `human`, `short`, `json`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical reports (the default on a terminal).
    Human,
    /// `file:line:col: severity[CODE] message`.
    Short,
    /// The DESIGN.md contract: one JSON array.
    Json,
    /// The same objects, one per line.
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// reviewdog's rdjson.
    Rdjson,
}

impl Format {
    /// Whether the output is one JSON document (only one per run).
    fn is_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif | Format::Rdjson)
    }
}

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub lang: Lang,
    /// Colour (human only).
    pub color: bool,
    /// Terminal width (human only).
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::Zh,
            color: false,
            width: human::HumanOptions::default().width,
        }
    }
}

/// Indent every line after the first (JSON strings hold no raw newlines,
/// so this only touches the layout).
fn indent(s: &str, by: &str) -> String {
    s.replace('\n', &format!("\n{by}"))
}

/// The rendering of one file's findings. Pure, so files can be rendered in
/// parallel and written in order by a [`Stream`].
pub fn file(format: Format, source: &Source, diagnostics: &[Diagnostic], opts: Options) -> String {
    let lang = opts.lang;
    let items = |f: &dyn Fn(&Diagnostic) -> Value, by: &str| -> String {
        diagnostics
            .iter()
            .map(|d| {
                let v = f(d);
                format!(
                    "{by}{}",
                    indent(&serde_json::to_string_pretty(&v).unwrap_or_default(), by)
                )
            })
            .collect::<Vec<_>>()
            .join(",\n")
    };
    match format {
        Format::Human => human::render(
            source,
            diagnostics,
            human::HumanOptions {
                color: opts.color,
                width: opts.width,
                lang,
            },
        ),
        Format::Short => short::render(source, diagnostics, lang),
        Format::Jsonl => jsonl::render(source, diagnostics, lang),
        Format::Github => github::render(source, diagnostics, lang),
        Format::Json => diagnostics
            .iter()
            .map(|d| {
                format!(
                    "  {}",
                    indent(&json::diagnostic_text(source, d, lang, true), "  ")
                )
            })
            .collect::<Vec<_>>()
            .join(",\n"),
        Format::Sarif => items(&|d| sarif::result(source, d, lang), SARIF_ITEM_INDENT),
        Format::Rdjson => items(&|d| rdjson::diagnostic(source, d, lang), "    "),
    }
}

/// Depth of `runs[0].results[i]` in the pretty-printed SARIF log.
const SARIF_ITEM_INDENT: &str = "        ";

/// Writes the renderings of many files as one output, in the order given.
pub struct Stream<W: Write> {
    out: W,
    format: Format,
    /// The closing of a JSON document, written by [`Stream::finish`].
    closing: String,
    items: usize,
}

impl<W: Write> Stream<W> {
    /// Start the output (writes a JSON document's opening).
    pub fn new(mut out: W, format: Format, opts: Options) -> io::Result<Self> {
        let closing = if format.is_document() {
            let (skeleton, key) = match format {
                Format::Sarif => (sarif::skeleton(opts.lang), "\"results\": []"),
                Format::Rdjson => (rdjson::skeleton(), "\"diagnostics\": []"),
                _ => (Value::Array(Vec::new()), "[]"),
            };
            let text = serde_json::to_string_pretty(&skeleton).unwrap_or_default();
            let at = text.find(key).unwrap_or(text.len());
            let open_end = at + key.len() - 1;
            out.write_all(&text.as_bytes()[..open_end])?;
            // The closing: the line break and indentation before the
            // skeleton's `]`, then the rest.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let ws: String = text[line_start..at]
                .chars()
                .take_while(|c| *c == ' ')
                .collect();
            format!("\n{ws}{}\n", &text[open_end..])
        } else {
            String::new()
        };
        Ok(Stream {
            out,
            format,
            closing,
            items: 0,
        })
    }

    /// Write one file's rendering (from [`file`]).
    pub fn push(&mut self, rendered: &str) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        if self.format.is_document() {
            self.out
                .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
        }
        self.items += 1;
        self.out.write_all(rendered.as_bytes())
    }

    /// Close the output (a JSON document's closing) and flush.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format.is_document() {
            if self.items == 0 {
                // `[]` on one line, as serde_json prints an empty array.
                let rest = self.closing.trim_start();
                self.out.write_all(rest.as_bytes())?;
            } else {
                self.out.write_all(self.closing.as_bytes())?;
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Render many files to a string (tests, library users).
pub fn render_all<'a>(
    format: Format,
    files: impl IntoIterator<Item = (&'a Source, &'a [Diagnostic])>,
    opts: Options,
) -> String {
    let mut s = match Stream::new(Vec::new(), format, opts) {
        Ok(s) => s,
        Err(_) => return String::new(),
    };
    for (src, diags) in files {
        let _ = s.push(&file(format, src, diags, opts));
    }
    let bytes = s.finish().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_documents_are_the_pretty_printed_ones() {
        let src = Source::from_text("a.txt", "一、甲\n三、乙\n");
        let schema = crate::schema::resolve(crate::schema::DEFAULT).unwrap();
        let checked = crate::check(&src, &schema, &Default::default());
        assert!(!checked.diagnostics.is_empty());
        let opts = Options::default();
        for format in [Format::Json, Format::Sarif, Format::Rdjson] {
            let text = render_all(format, [(&src, checked.diagnostics.as_slice())], opts);
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string_pretty(&v).unwrap() + "\n");
            for d in &checked.diagnostics {
                assert_eq!(
                    json::diagnostic_text(&src, d, opts.lang, false),
                    json::diagnostic(&src, d, opts.lang).to_string()
                );
            }
            let empty = render_all(format, [(&src, &[][..])], opts);
            let v: Value = serde_json::from_str(&empty).unwrap();
            assert_eq!(empty, serde_json::to_string_pretty(&v).unwrap() + "\n");
        }
    }
}
