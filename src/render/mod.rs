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

/// serde_json's pretty printer (two spaces a level), starting `level`
/// levels deep: what pretty-printing a value on its own and indenting every
/// line after the first by `level` levels gives, in one pass.
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        write_indent(w, self.level)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Two spaces for each of `level` levels, in as few writes as possible.
pub(crate) fn write_indent<W: ?Sized + Write>(w: &mut W, level: usize) -> io::Result<()> {
    const SPACES: &[u8; 32] = b"                                ";
    let mut n = 2 * level;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

/// Append `value` pretty-printed `level` levels deep (see [`Pretty`]).
fn write_pretty<T: serde::Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T, level: usize) {
    let mut ser = serde_json::Serializer::with_formatter(
        buf,
        Pretty {
            level,
            has_value: false,
        },
    );
    // Writing into a Vec cannot fail, nor can serialising our values.
    let _ = value.serialize(&mut ser);
}

/// The rendering of one file's findings. Pure, so files can be rendered in
/// parallel and written in order by a [`Stream`].
pub fn file(format: Format, source: &Source, diagnostics: &[Diagnostic], opts: Options) -> String {
    // JSON text is UTF-8: checked once here, not on the batch path.
    String::from_utf8(file_bytes(format, source, diagnostics, opts)).unwrap_or_default()
}

/// [`file`] as UTF-8 bytes (what a [`Stream`] writes; the JSON formats are
/// serialised into bytes, and need no conversion to a `String`).
pub fn file_bytes(
    format: Format,
    source: &Source,
    diagnostics: &[Diagnostic],
    opts: Options,
) -> Vec<u8> {
    let lang = opts.lang;
    // Room for the JSON of every finding (about 3 KB each, but from 1 to
    // 9 KB with its texts and ranges), so that the buffer is not grown and
    // copied while it is written.
    let reserved = || {
        let size = |d| json_size(d, lang, source.name.len());
        Vec::with_capacity(diagnostics.iter().map(size).sum())
    };
    // Items of a JSON document: each at `level`, separated by `,\n`.
    let items = |f: &mut dyn FnMut(&mut Vec<u8>, &Diagnostic), level: usize| -> Vec<u8> {
        let mut buf = reserved();
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(b",\n");
            }
            let _ = write_indent(&mut buf, level);
            f(&mut buf, d);
        }
        buf
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
        )
        .into_bytes(),
        Format::Short => short::render(source, diagnostics, lang).into_bytes(),
        Format::Jsonl => jsonl::render_bytes(source, diagnostics, lang),
        Format::Github => github::render(source, diagnostics, lang).into_bytes(),
        Format::Json => {
            let mut buf = reserved();
            json::write_items(&mut buf, source, diagnostics, lang, 1);
            buf
        }
        Format::Sarif => items(
            &mut |buf, d| write_pretty(buf, &sarif::result(source, d, lang), SARIF_ITEM_LEVEL),
            SARIF_ITEM_LEVEL,
        ),
        Format::Rdjson => items(
            &mut |buf, d| write_pretty(buf, &rdjson::diagnostic(source, d, lang), 2),
            2,
        ),
    }
}

/// About as many bytes as a diagnostic's pretty-printed JSON takes, or
/// a little more: its fixed text, its ranges and its texts.
fn json_size(d: &Diagnostic, lang: Lang, name: usize) -> usize {
    let text = |t: &crate::diagnostic::L10n| t.get(lang).len();
    let fix = d.fix.as_ref().map_or(0, |f| {
        let edits: usize = f.edits.iter().map(|e| 512 + e.replacement.len()).sum();
        256 + edits + text(&f.message)
    });
    let labels: usize = d
        .labels
        .iter()
        .map(|l| 512 + l.message.as_ref().map_or(0, text))
        .sum();
    let notes: usize = d.notes.iter().map(|n| 16 + text(n)).sum();
    1280 + name
        + fix
        + labels
        + notes
        + text(&d.message)
        + d.help.as_ref().map_or(0, text)
        + d.basis.as_ref().map_or(0, |b| b.len())
}

/// Depth of `runs[0].results[i]` in the pretty-printed SARIF log.
const SARIF_ITEM_LEVEL: usize = 4;

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
        self.push_bytes(rendered.as_bytes())
    }

    /// Write one file's rendering as bytes (from [`file_bytes`]).
    pub fn push_bytes(&mut self, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        if self.format.is_document() {
            self.out
                .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
        }
        self.items += 1;
        self.out.write_all(rendered)
    }

    /// Write many files' renderings (from [`file_bytes`]), in order, with
    /// as few writes as `out` allows: one vectored write of them all and
    /// their separators, nothing copied.
    pub fn push_many<'r>(
        &mut self,
        rendered: impl IntoIterator<Item = &'r [u8]>,
    ) -> io::Result<()> {
        let mut slices = Vec::new();
        for r in rendered.into_iter().filter(|r| !r.is_empty()) {
            if self.format.is_document() {
                let sep: &[u8] = if self.items == 0 { b"\n" } else { b",\n" };
                slices.push(io::IoSlice::new(sep));
            }
            self.items += 1;
            slices.push(io::IoSlice::new(r));
        }
        write_all_vectored(&mut self.out, &mut slices)
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

/// `Write::write_all_vectored` (not stable yet): write every slice, in
/// groups the system accepts in one call.
fn write_all_vectored<W: Write>(out: &mut W, mut slices: &mut [io::IoSlice<'_>]) -> io::Result<()> {
    /// Under every system's `IOV_MAX` (1024 on Linux).
    const GROUP: usize = 512;
    while !slices.is_empty() {
        let group = slices.len().min(GROUP);
        match out.write_vectored(&slices[..group]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
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
