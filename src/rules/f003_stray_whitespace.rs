//! ## What it does
//! Finds white space that does not belong in Chinese text and removes it:
//!
//! - blanks inside a sentence next to Chinese text: between Chinese and
//!   digits (`2023 年`, `人民政府 2023 年`), and next to full-width
//!   punctuation (`。 今年以来`, `基础建设 。`, `发票申领、 银行开户`);
//! - trailing white space at the end of a line, and lines of white space
//!   only;
//! - leading white space other than the customary paragraph indent (two
//!   ideographic spaces, or two or four plain spaces, or a tab), such as
//!   a single space before one paragraph; the fix writes the indent most
//!   paragraphs of the document use.
//!
//! A blank between two Chinese characters in running text is reported too,
//! but its fix is unsafe: it may separate two names that need a 顿号. A
//! blank after an organ name (`中共米易县委 米易县人民政府关于……`) separates
//! joint issuers as in a 联合行文 title and is left alone; in lists and tables (lines without clause
//! punctuation) such blanks align columns and are left alone, and so are
//! tabs and runs of three or more blanks inside a line (tab stops, tables,
//! the 版记 line 「××镇党政办公室      2025年1月20日印发」).
//! Blanks next to Latin words (`LED 屏`), in 发文字号, 署名 and
//! 成文日期 lines (other rules check those), in URLs, and after an outline
//! marker (`N003`) are left alone.
//!
//! ## Why is this bad?
//! Chinese text is set without spaces between characters; stray blanks show
//! up as uneven gaps in the printed report and break searches for terms such
//! as 「2023年」.
//!
//! ## Example
//! ```text
//! 米易县攀莲镇人民政府 2023 年法治政府建设工作报告
//! ```
//!
//! ## Use instead
//! ```text
//! 米易县攀莲镇人民政府2023年法治政府建设工作报告
//! ```
//!
//! ## Basis
//! GB/T 9704—2012《党政机关公文格式》7.3.3（每个自然段左空二字，回行顶格）.

use std::borrow::Cow;
use std::fmt::Write;

use crate::diagnostic::{Diagnostic, Edit, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::{
    blank_len, furniture_spans, is_cjk_punct, is_han, is_ws, lines, lines_with, marks_in, overlaps,
};
use crate::source::Span;

const BASIS: &str = "GB/T 9704—2012《党政机关公文格式》7.3.3";

/// Endings of organ names; a blank after one separates joint issuers.
const ORGAN_ENDINGS: &[&str] = &[
    "委",
    "政府",
    "委员会",
    "办公室",
    "党委",
    "党组",
    "常委会",
    "政协",
    "局",
    "厅",
    "办事处",
];

const CUSTOMARY: &[&str] = &["\u{3000}\u{3000}", "  ", "    ", "\t"];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_with(cx, cx.links(), Some(blank_runs), out);
}

#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let links = crate::rules::text::link_spans_reference(cx.text());
    check_with(cx, &links, None, out);
}

/// Finds the runs of white space in `line[from..to]` (offsets in the
/// line): (start, end).
type RunsFn = fn(&Context, Span, usize, usize) -> Vec<(usize, usize)>;

/// `fast` is [`blank_runs`], which also lets lines without a blank (most
/// lines: [`Context::blanks`] holds every white-space character) be passed
/// over without trimming them; `None` is the reference, which looks at every
/// line and every character.
fn check_with(cx: &Context, links: &[Span], fast: Option<RunsFn>, out: &mut Vec<Diagnostic>) {
    let mut skip = furniture_spans(cx.document);
    skip.reserve(links.len() + cx.sections().len());
    skip.extend_from_slice(links);
    for s in cx.sections() {
        if let Some(g) = s.gap {
            skip.push(Span::new(s.marker_span.start, g.end));
        }
    }
    skip.sort();
    let markdown = cx.source.name.to_ascii_lowercase().ends_with(".md");
    #[cfg(test)]
    let runs = fast.unwrap_or(blank_runs_reference);
    #[cfg(not(test))]
    let runs = fast.expect("only the reference scans every character");
    let mut each = |line: Span| {
        inner(cx, line, &skip, runs, out);
        if !markdown {
            trailing(cx, line, out);
        }
    };
    if fast.is_some() {
        // Only the lines that hold a blank.
        for (line, _) in lines_with(cx.source, cx.blanks()) {
            each(line);
        }
    } else {
        for (_, line) in lines(cx.source) {
            each(line);
        }
    }
    leading(cx, out);
}

/// The runs start at the offsets of [`Context::blanks`]: a line without
/// blanks costs two binary searches in a short list.
fn blank_runs(cx: &Context, line: Span, from: usize, to: usize) -> Vec<(usize, usize)> {
    let s = &cx.text()[line.range()];
    let b = s.as_bytes();
    let mut runs = Vec::new();
    let mut i = from;
    let span = Span::new(line.start + from, line.start + to);
    for &m in marks_in(cx.blanks(), span) {
        let start = m - line.start;
        if start < i {
            continue;
        }
        i = start + blank_len(b, start);
        while i < to {
            let n = blank_len(b, i);
            if n == 0 {
                break;
            }
            i += n;
        }
        runs.push((start, i));
    }
    runs
}

/// The reference scanner: every character.
#[cfg(test)]
fn blank_runs_reference(cx: &Context, line: Span, from: usize, to: usize) -> Vec<(usize, usize)> {
    let s = &cx.text()[line.range()];
    let mut runs = Vec::new();
    let mut i = from;
    while i < to {
        let c = s[i..].chars().next().unwrap_or(' ');
        if !is_ws(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        while i < to && s[i..].chars().next().is_some_and(is_ws) {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
        runs.push((start, i));
    }
    runs
}

fn inner(cx: &Context, line: Span, skip: &[Span], runs: RunsFn, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let s = &text[line.range()];
    let content_start = s.len() - s.trim_start_matches(is_ws).len();
    let content_end = s.trim_end_matches(is_ws).len();
    if content_start >= content_end {
        return;
    }
    let mut safe = Vec::new();
    for (start, i) in runs(cx, line, content_start, content_end) {
        let span = Span::new(line.start + start, line.start + i);
        // A tab or a long run of blanks aligns (tables, Word tab stops, the
        // 版记 line 「××镇党政办公室      2025年1月20日印发」): not a stray blank.
        let blanks = &text[span.range()];
        if overlaps(skip, span) || blanks.contains('\t') || blanks.chars().count() >= 3 {
            continue;
        }
        let l = s[..start].chars().next_back().unwrap_or(' ');
        let r = s[i..].chars().next().unwrap_or(' ');
        let cjk_punct = is_cjk_punct(l) && !matches!(l, '—' | '…')
            || is_cjk_punct(r) && !matches!(r, '—' | '…');
        let digit_han = (is_han(l) && r.is_ascii_digit()) || (l.is_ascii_digit() && is_han(r));
        // 「16号 签发人：」: the customary gap before 签发人 (GB/T 9704 7.2.6).
        // Only in running text (a line with clause punctuation): in lists,
        // tables and name blocks (「张 三」) blanks align columns.
        let running = || s.contains(['，', '。', '；', ',', ';']);
        // 「中共米易县委 米易县人民政府关于……」: joint issuers are customarily
        // separated by a blank, as in a 联合行文 title.
        let joint_issuers = || ORGAN_ENDINGS.iter().any(|e| s[..start].ends_with(e));
        // The cheap tests first: the line is searched only between Han
        // characters.
        let han_han = || {
            is_han(l) && is_han(r) && !s[i..].starts_with("签发人") && running() && !joint_issuers()
        };
        if (cjk_punct
            && (is_han(l)
                || is_han(r)
                || is_cjk_punct(l) && is_cjk_punct(r)
                || l.is_ascii_digit()
                || r.is_ascii_digit()))
            || digit_han
        {
            safe.push(span);
        } else if han_han() {
            let around = around(text, span);
            let (zh, en) = cx.texts(
                || ["汉字之间有空格：“", &around, "”"].concat(),
                || ["blank between Chinese characters: “", &around, "”"].concat(),
            );
            out.push(
                Diagnostic::new("F003", span)
                    .message(zh, en)
                    .primary_label("多余的空格", "stray blank")
                    .help(
                        "删除空格；如果空格分隔的是两个名称，请改用顿号“、”",
                        "remove the blank; if it separates two names, use the 顿号 “、”",
                    )
                    .basis(BASIS)
                    .fix(Fix::unsafe_(
                        L10n::new("删除空格", "remove the blank"),
                        vec![Edit {
                            span,
                            replacement: "".into(),
                        }],
                    )),
            );
        }
    }
    if let Some(first) = safe.first().copied() {
        let n = safe.len();
        let around = around(text, first);
        let (zh, en) = if n == 1 {
            cx.texts(
                || ["句中有多余的空格：“", &around, "”"].concat(),
                || ["stray blank inside a sentence: “", &around, "”"].concat(),
            )
        } else {
            cx.texts(
                || format!("句中有 {n} 处多余的空格，如“{around}”"),
                || format!("{n} stray blanks inside a sentence, e.g. “{around}”"),
            )
        };
        let mut d = Diagnostic::new("F003", first)
            .message(zh, en)
            .primary_label("多余的空格", "stray blank")
            .basis(BASIS);
        for s in safe.iter().skip(1).take(5) {
            d = d.label(*s, "多余的空格", "stray blank");
        }
        let edits = safe
            .into_iter()
            .map(|span| Edit {
                span,
                replacement: "".into(),
            })
            .collect();
        out.push(d.fix(Fix::safe(
            L10n::new("删除句中的空格", "remove the blanks"),
            edits,
        )));
    }
}

/// A blank with the character on each side (a space where there is none),
/// as the messages quote it: mostly a slice of the text.
fn around(text: &str, span: Span) -> Cow<'_, str> {
    let l = text[..span.start].chars().next_back();
    let r = text[span.end..].chars().next();
    match (l, r) {
        (Some(l), Some(r)) => {
            Cow::Borrowed(&text[span.start - l.len_utf8()..span.end + r.len_utf8()])
        }
        (l, r) => Cow::Owned(format!(
            "{}{}{}",
            l.unwrap_or(' '),
            &text[span.range()],
            r.unwrap_or(' ')
        )),
    }
}

fn trailing(cx: &Context, line: Span, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let s = &text[line.range()];
    let kept = s.trim_end_matches(is_ws).len();
    if kept == s.len() {
        return;
    }
    let span = Span::new(line.start + kept, line.end);
    let blank_line = kept == 0;
    out.push(
        Diagnostic::new("F003", span)
            .message(
                if blank_line {
                    "空行中含有空白字符"
                } else {
                    "行末有多余的空白字符"
                },
                if blank_line {
                    "blank line holds white space"
                } else {
                    "trailing white space"
                },
            )
            .primary_label("多余的空白", "stray white space")
            .basis(BASIS)
            .fix(Fix::replace(
                span,
                "",
                L10n::new("删除行末空白", "remove the trailing white space"),
            )),
    );
}

fn leading(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    // (indent span, is heading)
    let mut indents: Vec<(Span, usize)> =
        Vec::with_capacity(cx.paragraphs().len() + cx.sections().len());
    for &p in cx.paragraphs() {
        let line_start = cx.source.index.line_start(cx.source.line(p.span.start) - 1);
        // A run-in heading's body paragraph starts mid-line.
        if text[line_start..p.span.start]
            .trim_matches(is_ws)
            .is_empty()
        {
            indents.push((Span::new(line_start, p.span.start), p.line));
        }
    }
    for s in cx.sections() {
        let line_start = cx.source.index.line_start(s.line - 1);
        indents.push((Span::new(line_start, s.span.start), s.line));
    }
    indents.sort();
    // A document has a handful of distinct indents: counted in a list, not
    // a hash map. (The dominant one below is the same in any order: the
    // customary indents differ in length, so `max_by_key` sees no tie.)
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (sp, _) in &indents {
        let k = &text[sp.range()];
        match counts.iter_mut().find(|(x, _)| *x == k) {
            Some(e) => e.1 += 1,
            None => counts.push((k, 1)),
        }
    }
    let dominant = counts
        .iter()
        .filter(|(k, _)| k.is_empty() || CUSTOMARY.contains(k))
        .max_by_key(|(k, n)| (*n, k.len()))
        .map(|(k, _)| k.to_string())
        .unwrap_or_default();
    for (span, _) in indents {
        let indent = &text[span.range()];
        if indent.is_empty() || CUSTOMARY.contains(&indent) {
            continue;
        }
        let (zh, en) = cx.texts(
            || {
                let mut message = String::from("行首有不合常规的空白（");
                for (i, c) in indent.chars().enumerate() {
                    if i > 0 {
                        message.push('、');
                    }
                    match c {
                        ' ' => message.push_str("空格"),
                        '\u{3000}' => message.push_str("全角空格"),
                        '\t' => message.push_str("制表符"),
                        '\u{a0}' => message.push_str("不换行空格"),
                        c => {
                            let _ = write!(message, "U+{:04X}", c as u32);
                        }
                    }
                }
                message.push('）');
                message
            },
            || {
                format!(
                    "unusual white space at the start of the line ({} characters)",
                    indent.chars().count()
                )
            },
        );
        let (help, fix) = if dominant.is_empty() {
            (
                "段首缩进用两个全角空格，或与全文一致；此处改为不缩进",
                "改为不缩进",
            )
        } else {
            (
                "段首缩进用两个全角空格，或与全文一致；此处改为与其他段落相同的缩进",
                "改为与其他段落相同的缩进",
            )
        };
        out.push(
            Diagnostic::new("F003", span)
                .message(zh, en)
                .primary_label("行首空白", "leading white space")
                .help(
                    help,
                    "indent paragraphs by two ideographic spaces, or as the rest of the document does",
                )
                .basis(BASIS)
                .fix(Fix::replace(
                    span,
                    dominant.clone(),
                    L10n::new(fix, "use the document's paragraph indent"),
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_len_reads_every_blank_of_is_ws() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let mut buf = [0; 8];
            let n = c.encode_utf8(&mut buf).len();
            let want = if is_ws(c) { n } else { 0 };
            assert_eq!(blank_len(&buf[..n], 0), want, "{c:?}");
        }
    }
}
