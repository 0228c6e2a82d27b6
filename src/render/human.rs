//! Human output: miette's graphical reports, with labels under the exact
//! Chinese text (byte spans, so carets land on the right character).
//!
//! Reports are drawn from an [`Excerpt`], not from the whole file: only the
//! lines around the labels, and a line longer than the terminal (a
//! 2,000-character paragraph) is cropped to a window around its labels,
//! marked with `…`. Line numbers and the `[file:line:column]` header stay
//! those of the original file (column in characters).

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use unicode_width::UnicodeWidthChar;

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::source::{Source, Span};

/// Options for human rendering.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    pub lang: Lang,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
            lang: Lang::Zh,
        }
    }
}

/// A diagnostic bound to its source, as miette wants it.
struct Report<'a> {
    d: &'a Diagnostic,
    src: &'a Excerpt,
    lang: Lang,
    help: Option<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("code", &self.d.code)
            .finish()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.d.message.get(self.lang))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.code, self.d.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Hint => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let lang = self.lang;
        let primary = LabeledSpan::new_primary_with_span(
            self.d.label.as_ref().map(|l| l.get(lang).to_string()),
            self.src.map(self.d.span),
        );
        // A secondary label cropped out of its line's window is left out
        // rather than drawn at the window's edge.
        let rest = self
            .d
            .labels
            .iter()
            .filter(|l| self.src.shows(l.span))
            .map(move |l| {
                LabeledSpan::new_with_span(
                    l.message.as_ref().map(|m| m.get(lang).to_string()),
                    self.src.map(l.span),
                )
            });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

fn help_text(d: &Diagnostic, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(h) = &d.help {
        parts.push(h.get(lang).to_string());
    }
    for n in &d.notes {
        parts.push(n.get(lang).to_string());
    }
    if let Some(f) = &d.fix {
        let (zh, en) = ("可自动修复", "fixable");
        let label = if lang == Lang::Zh { zh } else { en };
        parts.push(format!("{label}：{}", f.message.get(lang)));
    }
    if let Some(b) = &d.basis {
        let label = if lang == Lang::Zh { "依据" } else { "basis" };
        parts.push(format!("{label}：{b}"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Render the diagnostics of one source.
pub fn render(source: &Source, diagnostics: &[Diagnostic], opts: HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false);
    let budget = opts.width.saturating_sub(12).max(40);
    let mut out = String::new();
    for d in diagnostics {
        let excerpt = Excerpt::new(source, d, budget);
        let report = Report {
            d,
            src: &excerpt,
            lang: opts.lang,
            help: help_text(d, opts.lang),
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", d.code, d.message.get(opts.lang)));
        }
    }
    out
}

/// One line of an [`Excerpt`]: which bytes of the original line it shows.
#[derive(Debug, Clone, Copy)]
struct ExcerptLine {
    /// 0-based line in the original text.
    line: usize,
    /// Byte offset of the line in the original text.
    start: usize,
    /// Original byte range shown.
    from: usize,
    to: usize,
    /// Characters of the original line before `from`.
    from_col: usize,
    /// Where the line starts in the excerpt.
    begin: usize,
    /// Where the shown text starts in the excerpt (after a leading `…`).
    at: usize,
}

/// The lines a report shows, cropped to the terminal, with a map from the
/// original byte offsets into the excerpt's.
struct Excerpt {
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
}

const ELLIPSIS: &str = "…";

/// Context before the first label on a cropped line, in display columns.
fn lead_width(budget: usize) -> usize {
    budget / 4
}

impl Excerpt {
    fn new(source: &Source, d: &Diagnostic, budget: usize) -> Excerpt {
        let text = source.text.as_str();
        let idx = &source.index;
        let clamp = |o: usize| {
            let mut o = o.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            o
        };
        let spans: Vec<Span> = std::iter::once(d.span)
            .chain(d.labels.iter().map(|l| l.span))
            .map(|s| Span::new(clamp(s.start), clamp(s.end.max(s.start))))
            .collect();
        let first = spans
            .iter()
            .map(|s| idx.line_of(s.start))
            .min()
            .unwrap_or(0);
        let last = spans.iter().map(|s| idx.line_of(s.end)).max().unwrap_or(0);
        let first = first.saturating_sub(1);
        let last = (last + 1).min(idx.line_count().saturating_sub(1));
        // The window of the primary line, reused for unlabelled context lines.
        let primary_line = idx.line_of(spans[0].start);
        let primary_window = Self::window(source, primary_line, &spans, budget);
        let mut out = String::new();
        let mut lines = Vec::with_capacity(last + 1 - first);
        for line in first..=last {
            if line > first {
                out.push('\n');
            }
            let start = idx.line_start(line);
            let end = idx.content_end(text, line).max(start);
            let touched = spans
                .iter()
                .any(|s| (s.start >= start && s.start <= end) || (s.end >= start && s.end <= end));
            let fits = text[start..end]
                .chars()
                .map(|c| c.width().unwrap_or(0))
                .sum::<usize>()
                <= budget;
            let (from, to) = if touched {
                Self::window(source, line, &spans, budget)
            } else if fits {
                (start, end)
            } else {
                // A long context line: the same columns as the primary line,
                // when it reaches that far.
                let (pf, _) = primary_window;
                let skip = text[idx.line_start(primary_line)..pf].chars().count();
                let from = text[start..end]
                    .char_indices()
                    .nth(skip)
                    .map_or(start, |(i, _)| start + i);
                (from, Self::fit(text, from, end, budget.saturating_sub(2)))
            };
            let begin = out.len();
            if from > start {
                out.push_str(ELLIPSIS);
            }
            let at = out.len();
            out.push_str(&text[from..to]);
            if to < end {
                out.push_str(ELLIPSIS);
            }
            lines.push(ExcerptLine {
                line,
                start,
                from,
                to,
                from_col: text[start..from].chars().count(),
                begin,
                at,
            });
        }
        Excerpt {
            name: source.name.clone(),
            text: out,
            lines,
        }
    }

    /// The end of the longest run from `from` that fits `budget` columns.
    fn fit(text: &str, from: usize, end: usize, budget: usize) -> usize {
        let mut w = 0;
        for (i, c) in text[from..end].char_indices() {
            w += c.width().unwrap_or(0);
            if w > budget {
                return from + i;
            }
        }
        end
    }

    /// The original byte range of `line` to show: the whole line if it
    /// fits, else a window starting a little before its first label.
    fn window(source: &Source, line: usize, spans: &[Span], budget: usize) -> (usize, usize) {
        let text = source.text.as_str();
        let start = source.index.line_start(line);
        let end = source.index.content_end(text, line).max(start);
        let content = &text[start..end];
        let width: usize = content.chars().map(|c| c.width().unwrap_or(0)).sum();
        if width <= budget {
            return (start, end);
        }
        let budget = budget.saturating_sub(2);
        // The labelled part of this line.
        // The primary span (spans[0]) anchors its own line; elsewhere the
        // first label on the line does.
        let first_label = if spans[0].start >= start && spans[0].start <= end {
            spans[0].start
        } else {
            spans
                .iter()
                .flat_map(|s| [s.start, s.end])
                .filter(|o| *o >= start && *o <= end)
                .min()
                .unwrap_or(start)
        };
        // Step back from the label by up to `lead_width` columns.
        let mut from = first_label;
        let mut w = 0;
        for (i, c) in text[start..first_label].char_indices().rev() {
            w += c.width().unwrap_or(0);
            if w > lead_width(budget) {
                break;
            }
            from = start + i;
        }
        let mut to = Self::fit(text, from, end, budget);
        // Near the end of the line: show the last `budget` columns instead.
        if to == end {
            let mut w = 0;
            for (i, c) in text[start..end].char_indices().rev() {
                w += c.width().unwrap_or(0);
                if w > budget {
                    break;
                }
                from = from.min(start + i);
            }
            to = end;
        }
        (from, to)
    }

    /// An original byte span as a span of the excerpt (clamped to what is
    /// shown).
    fn map(&self, span: Span) -> SourceSpan {
        let s = self.offset(span.start);
        let e = self.offset(span.end.max(span.start)).max(s);
        SourceSpan::new(s.into(), e - s)
    }

    /// Whether the excerpt shows the start of `span` (its line is in the
    /// excerpt and the start is inside the line's window).
    fn shows(&self, span: Span) -> bool {
        let i = match self.lines.binary_search_by(|l| l.start.cmp(&span.start)) {
            Ok(i) => i,
            Err(0) => return false,
            Err(i) => i - 1,
        };
        let l = &self.lines[i];
        span.start >= l.from && span.start <= l.to
    }

    fn offset(&self, o: usize) -> usize {
        let i = match self.lines.binary_search_by(|l| l.start.cmp(&o)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let l = &self.lines[i];
        l.at + (o.clamp(l.from, l.to) - l.from)
    }

    /// The original 0-based line and character column of an excerpt offset.
    fn original(&self, at: usize) -> (usize, usize) {
        let i = match self.lines.binary_search_by(|l| l.begin.cmp(&at)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let l = &self.lines[i];
        let shown = &self.text[l.at.min(at)..at.min(self.text.len())];
        (l.line, l.from_col + shown.chars().count())
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self
            .text
            .as_str()
            .read_span(span, context_lines_before, context_lines_after)?;
        let start = c.span().offset();
        let (line, column) = self.original(start);
        let column = if context_lines_before == 0 {
            self.original(span.offset()).1
        } else {
            column
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            line,
            column,
            c.line_count(),
        )))
    }
}
