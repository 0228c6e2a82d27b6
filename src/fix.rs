//! Applying fixes: `gongwen check --fix`, `--diff` and `--unsafe-fixes`.
//!
//! Fixes are applied in passes. Each pass takes the findings in document
//! order and accepts a fix only when none of its edits overlaps an edit
//! already accepted in that pass; the rest wait for the next pass, which
//! re-checks the fixed text (so a fix never applies to text another fix
//! has changed). Passes repeat until nothing is left to fix (at most
//! [`MAX_PASSES`]), so a second `--fix` run finds nothing to fix.
//!
//! Writing back goes through one function, [`write_back`]: it keeps the
//! encoding, byte-order mark and line breaks of the input (see [`encode`])
//! and replaces the file atomically (temporary file in the same directory,
//! then rename). A Word file is never overwritten.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::schema::Schema;
use crate::settings::Settings;
use crate::source::{Source, Span};

/// Enough for fixes that enable other fixes; stops a pathological loop.
pub const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixMode {
    /// Also apply fixes marked unsafe (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl FixMode {
    fn allows(self, a: Applicability) -> bool {
        a == Applicability::Safe || self.unsafe_fixes
    }
}

/// The result of fixing one source.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The fixed text (the original text when nothing was fixed).
    pub text: String,
    /// How many fixes were applied, over all passes.
    pub applied: usize,
    /// Codes of the applied fixes, in order (one entry per fix).
    pub applied_codes: Vec<&'static str>,
    /// Passes that changed the text.
    pub passes: usize,
    /// The findings left after the last pass (on the fixed text).
    pub remaining: Vec<Diagnostic>,
}

impl Fixed {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

fn overlapping(a: Span, b: Span) -> bool {
    let overlap = a.start < b.end && b.start < a.end;
    // Two insertions at one place: their order would be a guess.
    let same_insertion_point = a.is_empty() && b.is_empty() && a.start == b.start;
    // An insertion strictly inside a replaced range.
    let inside = (a.is_empty() && b.start < a.start && a.start < b.end)
        || (b.is_empty() && a.start < b.start && b.start < a.end);
    overlap || same_insertion_point || inside
}

/// The edits of one pass: fixes taken in document order, each accepted only
/// if it overlaps none accepted before. Returns the edits (sorted) and the
/// indices of the diagnostics whose fixes were accepted.
pub fn select_edits(diagnostics: &[Diagnostic], mode: FixMode) -> (Vec<Edit>, Vec<usize>) {
    let mut order: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| {
            diagnostics[i]
                .fix
                .as_ref()
                .is_some_and(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        })
        .collect();
    order.sort_by_key(|&i| {
        let d = &diagnostics[i];
        let first = d.fix.as_ref().map_or(0, |f| {
            f.edits.iter().map(|e| e.span.start).min().unwrap_or(0)
        });
        (first, d.code)
    });
    let mut accepted: Vec<Edit> = Vec::new();
    let mut which = Vec::new();
    for i in order {
        let fix = diagnostics[i].fix.as_ref().expect("filtered");
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let self_overlap = edits.windows(2).any(|w| overlapping(w[0].span, w[1].span));
        if self_overlap {
            continue;
        }
        if edits
            .iter()
            .any(|e| accepted.iter().any(|a| overlapping(a.span, e.span)))
        {
            continue;
        }
        accepted.extend(edits);
        which.push(i);
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    (accepted, which)
}

/// Apply non-overlapping edits (sorted by position) to a text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        debug_assert!(e.span.start >= at, "edits overlap");
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Check a source and apply its fixes until none is left.
pub fn fix(source: &Source, schema: &Schema, settings: &Settings, mode: FixMode) -> Fixed {
    let mut current = source.clone();
    let mut applied = 0;
    let mut applied_codes = Vec::new();
    let mut passes = 0;
    loop {
        let checked = crate::check(&current, schema, settings);
        let (edits, which) = select_edits(&checked.diagnostics, mode);
        // Stop when nothing is left to apply, or applying changes nothing.
        let next = (!edits.is_empty() && passes < MAX_PASSES)
            .then(|| apply_edits(&current.text, &edits))
            .filter(|t| *t != current.text);
        let Some(text) = next else {
            return Fixed {
                text: current.text,
                applied,
                applied_codes,
                passes,
                remaining: checked.diagnostics,
            };
        };
        applied += which.len();
        applied_codes.extend(which.iter().map(|&i| checked.diagnostics[i].code));
        passes += 1;
        current = Source {
            name: current.name.clone(),
            index: crate::source::LineIndex::new(&text),
            text,
            origin: current.origin.clone(),
        };
    }
}

/// What `check --fix` / `--diff` did with one source.
#[derive(Debug)]
pub struct Done {
    /// The source as it is after fixing (what `fixed.remaining` points into).
    pub source: Source,
    pub fixed: Fixed,
    /// The unified diff (empty when nothing changed).
    pub diff: String,
    /// A Word file with fixes that `--fix` did not apply: Word files are
    /// never rewritten (the findings are reported as by `check`).
    pub word_not_fixed: bool,
}

/// The CLI's `--fix` / `--diff` for one source: fix it, then write it back
/// (`stdin`: print the fixed text to stdout instead) unless `diff_only`.
pub fn run(
    source: &Source,
    schema: &Schema,
    settings: &Settings,
    mode: FixMode,
    diff_only: bool,
    stdin: bool,
) -> std::io::Result<Done> {
    if source.origin.is_docx() && !diff_only {
        // Report as `check` does; the fixes would only be text.
        let checked = crate::check(source, schema, settings);
        let (edits, _) = select_edits(&checked.diagnostics, mode);
        return Ok(Done {
            source: source.clone(),
            fixed: Fixed {
                text: source.text.clone(),
                applied: 0,
                applied_codes: Vec::new(),
                passes: 0,
                remaining: checked.diagnostics,
            },
            diff: String::new(),
            word_not_fixed: !edits.is_empty(),
        });
    }
    let fixed = fix(source, schema, settings, mode);
    let changed = fixed.changed(&source.text);
    let diff = if diff_only {
        unified_diff(&source.name, &source.text, &fixed.text)
    } else {
        String::new()
    };
    if !diff_only {
        if stdin {
            std::io::stdout().write_all(&encode(source, &fixed.text)?)?;
        } else if changed {
            write_back(source, &fixed.text)?;
        }
    }
    let after = Source {
        name: source.name.clone(),
        index: crate::source::LineIndex::new(&fixed.text),
        text: fixed.text.clone(),
        origin: source.origin.clone(),
    };
    Ok(Done {
        source: after,
        fixed,
        diff,
        word_not_fixed: false,
    })
}

/// The line break a text mostly uses (`\r\n`, `\r` or `\n`), for fixes
/// that insert one.
pub fn line_ending(text: &str) -> &'static str {
    // One pass over the line breaks: CRLF, then lone LF and lone CR.
    let b = text.as_bytes();
    let (mut crlf, mut lf, mut cr) = (0usize, 0usize, 0usize);
    let mut skip_lf_at = usize::MAX;
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        if i == skip_lf_at {
            continue; // the LF of a CRLF
        }
        if b[i] == b'\n' {
            lf += 1;
        } else if b.get(i + 1) == Some(&b'\n') {
            crlf += 1;
            skip_lf_at = i + 1;
        } else {
            cr += 1;
        }
    }
    if crlf > lf && crlf >= cr {
        "\r\n"
    } else if cr > lf {
        "\r"
    } else {
        "\n"
    }
}

/// The bytes to write for `text` in the form the source was read in:
/// its encoding (UTF-8, UTF-16, GB18030), byte-order mark and line-break
/// style, through the decoder's inverse. A .docx source cannot be written
/// back (an error saying so).
pub fn encode(source: &Source, text: &str) -> std::io::Result<Vec<u8>> {
    crate::source::encode_like(&source.origin, text).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!("{e} ({})", e.message_en()),
        )
    })
}

/// Write fixed text back to the file the source was read from, atomically:
/// a temporary file next to it, then a rename. Encoding and BOM are kept
/// (see [`encode`]); the file's permissions are kept.
pub fn write_back(source: &Source, new_text: &str) -> std::io::Result<()> {
    let path = Path::new(&source.name);
    // Fixes are text edits: a Word file is never overwritten with text.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx") || e.eq_ignore_ascii_case("doc"))
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "Word 文件不能自动修复，请用 --diff 查看修改后在 Word 中修改 (cannot write fixes into a Word file; use --diff)",
        ));
    }
    write_to(path, &encode(source, new_text)?)
}

fn write_to(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gongwen".into());
    let tmp = dir.join(format!(".{file_name}.gongwen-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A unified diff of a fix, with `a/` and `b/` headers as git writes them.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, L10n};

    fn d(code: &'static str, start: usize, end: usize, rep: &str) -> Diagnostic {
        Diagnostic::new(code, Span::new(start, end)).fix(Fix::replace(
            Span::new(start, end),
            rep.to_owned(),
            L10n::new("", ""),
        ))
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let ds = vec![
            d("P001", 0, 2, "x"),
            d("F003", 1, 3, "y"),
            d("P003", 3, 4, "z"),
        ];
        let (edits, which) = select_edits(&ds, FixMode::default());
        assert_eq!(which, vec![0, 2]);
        assert_eq!(apply_edits("abcde", &edits), "xcze");
    }

    #[test]
    fn insertions_conflict_only_at_one_point_or_inside_a_replacement() {
        let ds = vec![
            d("P001", 2, 4, "x"),
            d("N005", 4, 4, "是"),
            d("P006", 4, 4, "。"),
            d("F001", 6, 9, ""),
            d("F003", 7, 7, " "),
        ];
        let (edits, which) = select_edits(&ds, FixMode::default());
        assert_eq!(which, vec![0, 1, 3]);
        assert_eq!(apply_edits("abcdefghij", &edits), "abx是efj");
    }

    #[test]
    fn line_endings() {
        assert_eq!(line_ending("a\r\nb\r\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\nc\n"), "\n");
        assert_eq!(line_ending("a\rb\r"), "\r");
    }
}
