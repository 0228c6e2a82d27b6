//! ## What it does
//! Finds ASCII (half-width) punctuation `, : ; ( ) ? !` used in Chinese
//! running text and replaces it with the full-width mark (`，：；（）？！`),
//! dropping the space typed after it.
//!
//! It leaves alone what is not Chinese text: numbers (`1,000`, `1:1000`,
//! `10:30`), URLs and e-mail addresses, Latin words and phrases between
//! Latin text (`Hello, world`), outline markers (the numbering rules own
//! `(一)` and `1.`), and the full stop `.` (decimals and `1.` markers).
//! Brackets are judged as a pair: `(吴忠)` after Chinese text becomes
//! `（吴忠）`.
//!
//! When most of the document's punctuation is half-width (full-width
//! `，：；（）？！` at most a third as many as the half-width ones, and at
//! least five half-width ones),
//! the text was typed with a half-width input method or copied from a page
//! that normalised its punctuation (NFKC). Then the rule reports the whole
//! text once, at the first occurrence, with one fix for every occurrence,
//! instead of dozens of findings. Texts copied from such pages (many
//! government sites) get this single finding; it is right about the text as
//! given, and the fix restores the full-width marks.
//!
//! ## Why is this bad?
//! GB/T 15834 puts Chinese punctuation in a full character cell; ASCII
//! marks crowd the characters and look careless in a printed 公文.
//!
//! ## Example
//! ```text
//! 2024年以来,在区委、区政府的坚强领导下,红寺堡镇党委(政府)……报告如下:
//! ```
//!
//! ## Use instead
//! ```text
//! 2024年以来，在区委、区政府的坚强领导下，红寺堡镇党委（政府）……报告如下：
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》5.1（横排文稿标点符号的位置和书写形式）;
//! GB/T 9704—2012 第9章.

use crate::diagnostic::{Diagnostic, Edit, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::{InsideCursor, is_cjkish, lines_with, next_visible, prev_visible};
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》5.1";

/// One half-width mark (or bracket pair) to replace. Small (no texts, the
/// edits as spans): a text has a finding for most of its ASCII marks.
struct Found {
    /// The mark (the opening bracket of a pair).
    span: Span,
    /// The closing bracket of a pair.
    other: Option<Span>,
    /// The ASCII mark shown (`(` for a pair).
    mark: char,
    /// The edits: the first writes [`full`] of `mark`, the second (of a
    /// bracket pair) `）`.
    edits: Edits,
}

/// The spans the edits of one finding replace: one mark, or both brackets
/// of a pair. Kept inline: most findings end up in one fix with thousands
/// of edits, and a vector per mark cost an allocation each.
struct Edits(Span, Option<Span>);

impl Edits {
    fn one(span: Span) -> Self {
        Edits(span, None)
    }

    fn len(&self) -> usize {
        1 + usize::from(self.1.is_some())
    }

    /// The edits of a finding about `mark`.
    fn push_to(self, mark: char, out: &mut Vec<Edit>) {
        out.push(Edit {
            span: self.0,
            replacement: full(mark).unwrap_or_default().into(),
        });
        if let Some(span) = self.1 {
            out.push(Edit {
                span,
                replacement: "）".into(),
            });
        }
    }
}

fn full(c: char) -> Option<&'static str> {
    Some(match c {
        ',' => "，",
        ':' => "：",
        ';' => "；",
        '?' => "？",
        '!' => "！",
        '(' => "（",
        ')' => "）",
        _ => return None,
    })
}

/// The fixed texts of a finding about one mark, in Chinese and English:
/// there are seven marks, so no finding formats its texts.
struct Texts {
    message: (&'static str, &'static str),
    label: (&'static str, &'static str),
    fix: (&'static str, &'static str),
}

macro_rules! texts {
    ($shown:literal, $want:literal) => {
        &Texts {
            message: (
                concat!("中文里使用了半角标点“", $shown, "”，应为全角“", $want, "”"),
                concat!("half-width “", $shown, "” in Chinese text; use the full-width “", $want, "”"),
            ),
            label: (concat!("应为“", $want, "”"), concat!("expected “", $want, "”")),
            fix: (concat!("改为“", $want, "”"), concat!("replace with “", $want, "”")),
        }
    };
}

/// The texts for a half-width mark (see [`full`]).
fn texts(mark: char) -> &'static Texts {
    match mark {
        ',' => texts!(",", "，"),
        ':' => texts!(":", "："),
        ';' => texts!(";", "；"),
        '?' => texts!("?", "？"),
        '!' => texts!("!", "！"),
        '(' => texts!("(", "（"),
        _ => texts!(")", "）"),
    }
}

fn shown(c: char) -> &'static str {
    match c {
        ',' => ",",
        ':' => ":",
        ';' => ";",
        '?' => "?",
        '!' => "!",
        '(' => "(",
        _ => ")",
    }
}

/// The edit for one mark at `at`: the mark plus the blanks typed after it
/// (and before it, after Chinese text).
fn mark_edit(text: &str, line: Span, at: usize, c: char) -> Span {
    let b = text.as_bytes();
    let mut start = at;
    while start > line.start && matches!(b[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    if start < at
        && !text[line.start..start]
            .chars()
            .next_back()
            .is_some_and(is_cjkish)
    {
        start = at;
    }
    let mut end = at + 1;
    while end < line.end && matches!(b[end], b' ' | b'\t') {
        end += 1;
    }
    // Blanks at the end of the line are the white-space rule's, except
    // after an opening bracket (nothing follows it on the line anyway).
    if end == line.end && c != '(' {
        end = at + 1;
    }
    Span::new(start, end)
}

/// The mark at byte `at` if it is one [`find`] looks at: the ASCII marks
/// and the full-width ones (`，：；？！（）` are `EF BC xx`), read from the
/// bytes; [`find`] visits only the offsets of [`Context::marks`], never Han
/// text.
pub(crate) fn mark_at(bytes: &[u8], at: usize) -> Option<char> {
    Some(match bytes[at..] {
        [b @ (b',' | b':' | b';' | b'?' | b'!' | b'(' | b')'), ..] => char::from(b),
        [0xEF, 0xBC, b, ..] => match b {
            0x8C => '，',
            0x9A => '：',
            0x9B => '；',
            0x9F => '？',
            0x81 => '！',
            0x88 => '（',
            0x89 => '）',
            _ => return None,
        },
        _ => return None,
    })
}

/// How many full-width `，：；？！（）` the text has outside the protected
/// spans: what [`find_reference`] counts, asked only when a text has five
/// half-width marks or more.
///
/// The shared scan counts them all ([`Marks::full_width`]); those inside a
/// protected span are taken off. The spans are few and short (outline
/// markers; links are ASCII), so only their own bytes are read, and each
/// mark found there is asked as the reference asks it.
///
/// [`Marks::full_width`]: crate::rules::text::Marks::full_width
fn full_width_count(cx: &Context) -> usize {
    let bytes = cx.text().as_bytes();
    let protected = cx.protected();
    let mut covered: Vec<usize> = Vec::new();
    for span in protected {
        let inner = &bytes[span.range()];
        if inner.is_ascii() {
            continue;
        }
        for (k, &b) in inner.iter().enumerate() {
            if b == 0xEF && mark_at(bytes, span.start + k).is_some() {
                covered.push(span.start + k);
            }
        }
    }
    // Spans may overlap: a mark is taken off once, and only if the
    // reference's test says it is protected.
    covered.sort_unstable();
    covered.dedup();
    let taken_off = covered
        .into_iter()
        .filter(|&at| crate::rules::text::inside(protected, at))
        .count();
    cx.marks().full_width - taken_off
}

/// [`full_width_count`] and the count of [`find_reference`], for the tests.
#[cfg(test)]
pub(crate) fn full_width_counts(cx: &Context) -> (usize, usize) {
    (full_width_count(cx), find_reference(cx).1)
}

fn find(cx: &Context) -> Vec<Found> {
    let text = cx.text();
    let protected = cx.protected();
    let marks = &cx.marks().halfwidth;
    let bytes = text.as_bytes();
    // At most one finding per mark: the vector never grows (a finding is
    // large, each growth copied all of them).
    let mut found = Vec::with_capacity(marks.len());
    // Lines and marks come in text order: a cursor instead of binary
    // searches.
    let mut protect = InsideCursor::new(protected);
    // Open brackets of a line: (offset, ascii), one buffer for all the
    // lines (each leaves it empty).
    let mut stack: Vec<(usize, bool)> = Vec::new();
    // A line without marks finds nothing: only the lines holding one.
    for (line, line_marks) in lines_with(cx.source, marks) {
        for &at in line_marks {
            let Some(c) = mark_at(bytes, at) else {
                continue;
            };
            if protect.inside(at) {
                continue;
            }
            match c {
                ',' | ':' | ';' | '?' | '!' => {
                    let l = prev_visible(text, line.start, at);
                    let r = next_visible(text, at + 1, line.end);
                    let digits = l.is_some_and(|c| c.is_ascii_digit())
                        && r.is_some_and(|c| c.is_ascii_digit());
                    if digits && matches!(c, ',' | ':') {
                        continue;
                    }
                    if !(l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish)) {
                        continue;
                    }
                    // The end of a quoted Latin phrase (“Hello, world!”) or
                    // the start of one: the mark belongs to the Latin text.
                    let latin = |c: Option<char>| {
                        c.is_some_and(|c| {
                            c.is_ascii_alphanumeric() || matches!(c, ')' | ']' | '\'' | '"' | '.')
                        })
                    };
                    if (latin(l) && r.is_some_and(|c| matches!(c, '”' | '’' | '）' | '》')))
                        || (latin(r) && l.is_some_and(|c| matches!(c, '“' | '‘' | '（' | '《')))
                    {
                        continue;
                    }
                    found.push(Found {
                        span: Span::new(at, at + 1),
                        other: None,
                        mark: c,
                        edits: Edits::one(mark_edit(text, line, at, c)),
                    });
                }
                '(' => stack.push((at, true)),
                '（' => stack.push((at, false)),
                ')' | '）' => {
                    let ascii_close = c == ')';
                    match stack.pop() {
                        Some((open, ascii_open)) => {
                            if !(ascii_open || ascii_close) {
                                continue;
                            }
                            let open_len = if ascii_open { 1 } else { '（'.len_utf8() };
                            let inner = &text[open + open_len..at];
                            let before = prev_visible(text, line.start, open);
                            let after = next_visible(text, at + c.len_utf8(), line.end);
                            let chinese = inner.chars().any(is_cjkish)
                                || before.is_some_and(is_cjkish)
                                || after.is_some_and(is_cjkish);
                            // 发文字号 year in round brackets (米委发(2022)7号):
                            // its brackets are 〔〕, not a width question.
                            let rest = &text[at + c.len_utf8()..line.end];
                            let doc_year = inner.len() == 4
                                && inner.chars().all(|c| c.is_ascii_digit())
                                && rest
                                    .trim_start_matches(|c: char| c.is_ascii_digit())
                                    .starts_with('号')
                                && rest.starts_with(|c: char| c.is_ascii_digit());
                            if !chinese || doc_year {
                                continue;
                            }
                            let close = ascii_close.then(|| mark_edit(text, line, at, ')'));
                            let edits = if ascii_open {
                                Edits(mark_edit(text, line, open, '('), close)
                            } else {
                                Edits::one(close.expect("an ASCII bracket"))
                            };
                            found.push(Found {
                                span: if ascii_open {
                                    Span::new(open, open + 1)
                                } else {
                                    Span::new(at, at + 1)
                                },
                                other: (ascii_open && ascii_close).then_some(Span::new(at, at + 1)),
                                mark: if ascii_open { '(' } else { ')' },
                                edits,
                            });
                        }
                        None if ascii_close => {
                            // A lone `)`: after a short item number at a clause
                            // start it is a list marker (`1)`), left alone.
                            let l = prev_visible(text, line.start, at);
                            let r = next_visible(text, at + 1, line.end);
                            let head = &text[line.start..at];
                            let item = head
                                .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
                                .trim_end()
                                .chars()
                                .next_back()
                                .is_none_or(|c| {
                                    matches!(c, '。' | '；' | ';' | '，' | ',' | '：' | ':')
                                });
                            if item || !(l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish)) {
                                continue;
                            }
                            found.push(Found {
                                span: Span::new(at, at + 1),
                                other: None,
                                mark: ')',
                                edits: Edits::one(mark_edit(text, line, at, ')')),
                            });
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        }
        // Unclosed ASCII `(` in Chinese context.
        for (open, ascii) in stack.drain(..) {
            if !ascii {
                continue;
            }
            let l = prev_visible(text, line.start, open);
            let r = next_visible(text, open + 1, line.end);
            if l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish) {
                found.push(Found {
                    span: Span::new(open, open + 1),
                    other: None,
                    mark: '(',
                    edits: Edits::one(mark_edit(text, line, open, '(')),
                });
            }
        }
    }
    // Only a bracket pair reported at its opening after a later mark of
    // the line puts the findings out of order.
    if !found.is_sorted_by_key(|f| f.span.start) {
        found.sort_by_key(|f| f.span.start);
    }
    found
}

/// The reference scanner: every character of every line.
#[cfg(test)]
fn find_reference(cx: &Context) -> (Vec<Found>, usize) {
    let text = cx.text();
    let protected = crate::rules::text::protected_spans(
        &crate::rules::text::link_spans_reference(text),
        &cx.document.walk(),
    );
    let mut found = Vec::new();
    let mut full_width = 0;
    for (_, line) in crate::rules::text::lines(cx.source) {
        let s = &text[line.range()];
        // Open brackets of this line: (offset, ascii).
        let mut stack: Vec<(usize, bool)> = Vec::new();
        for (i, c) in s.char_indices() {
            let at = line.start + i;
            if matches!(c, '，' | '：' | '；' | '？' | '！' | '（' | '）')
                && !crate::rules::text::inside(&protected, at)
            {
                full_width += 1;
            }
            if crate::rules::text::inside(&protected, at) {
                continue;
            }
            match c {
                ',' | ':' | ';' | '?' | '!' => {
                    let l = prev_visible(text, line.start, at);
                    let r = next_visible(text, at + 1, line.end);
                    let digits = l.is_some_and(|c| c.is_ascii_digit())
                        && r.is_some_and(|c| c.is_ascii_digit());
                    if digits && matches!(c, ',' | ':') {
                        continue;
                    }
                    if !(l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish)) {
                        continue;
                    }
                    // The end of a quoted Latin phrase (“Hello, world!”) or
                    // the start of one: the mark belongs to the Latin text.
                    let latin = |c: Option<char>| {
                        c.is_some_and(|c| c.is_ascii_alphanumeric() || ")]'\".".contains(c))
                    };
                    if (latin(l) && r.is_some_and(|c| "”’）》".contains(c)))
                        || (latin(r) && l.is_some_and(|c| "“‘（《".contains(c)))
                    {
                        continue;
                    }
                    found.push(Found {
                        span: Span::new(at, at + 1),
                        other: None,
                        mark: c,
                        edits: Edits::one(mark_edit(text, line, at, c)),
                    });
                }
                '(' => stack.push((at, true)),
                '（' => stack.push((at, false)),
                ')' | '）' => {
                    let ascii_close = c == ')';
                    match stack.pop() {
                        Some((open, ascii_open)) => {
                            if !(ascii_open || ascii_close) {
                                continue;
                            }
                            let open_len = if ascii_open { 1 } else { '（'.len_utf8() };
                            let inner = &text[open + open_len..at];
                            let before = prev_visible(text, line.start, open);
                            let after = next_visible(text, at + c.len_utf8(), line.end);
                            let chinese = inner.chars().any(is_cjkish)
                                || before.is_some_and(is_cjkish)
                                || after.is_some_and(is_cjkish);
                            // 发文字号 year in round brackets (米委发(2022)7号):
                            // its brackets are 〔〕, not a width question.
                            let rest = &text[at + c.len_utf8()..line.end];
                            let doc_year = inner.len() == 4
                                && inner.chars().all(|c| c.is_ascii_digit())
                                && rest
                                    .trim_start_matches(|c: char| c.is_ascii_digit())
                                    .starts_with('号')
                                && rest.starts_with(|c: char| c.is_ascii_digit());
                            if !chinese || doc_year {
                                continue;
                            }
                            let close = ascii_close.then(|| mark_edit(text, line, at, ')'));
                            let edits = if ascii_open {
                                Edits(mark_edit(text, line, open, '('), close)
                            } else {
                                Edits::one(close.expect("an ASCII bracket"))
                            };
                            found.push(Found {
                                span: if ascii_open {
                                    Span::new(open, open + 1)
                                } else {
                                    Span::new(at, at + 1)
                                },
                                other: (ascii_open && ascii_close).then_some(Span::new(at, at + 1)),
                                mark: if ascii_open { '(' } else { ')' },
                                edits,
                            });
                        }
                        None if ascii_close => {
                            // A lone `)`: after a short item number at a clause
                            // start it is a list marker (`1)`), left alone.
                            let l = prev_visible(text, line.start, at);
                            let r = next_visible(text, at + 1, line.end);
                            let head = &text[line.start..at];
                            let item = head
                                .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
                                .trim_end()
                                .chars()
                                .next_back()
                                .is_none_or(|c| "。；;，,：:".contains(c));
                            if item || !(l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish)) {
                                continue;
                            }
                            found.push(Found {
                                span: Span::new(at, at + 1),
                                other: None,
                                mark: ')',
                                edits: Edits::one(mark_edit(text, line, at, ')')),
                            });
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        }
        // Unclosed ASCII `(` in Chinese context.
        for (open, ascii) in stack {
            if !ascii {
                continue;
            }
            let l = prev_visible(text, line.start, open);
            let r = next_visible(text, open + 1, line.end);
            if l.is_some_and(is_cjkish) || r.is_some_and(is_cjkish) {
                found.push(Found {
                    span: Span::new(open, open + 1),
                    other: None,
                    mark: '(',
                    edits: Edits::one(mark_edit(text, line, open, '(')),
                });
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    (found, full_width)
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let found = find(cx);
    report(found, || full_width_count(cx), out);
}

#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let (found, full_width) = find_reference(cx);
    report(found, || full_width, out);
}

/// The findings; `full_width` counts the full-width marks of the text, for
/// a text with five half-width ones or more.
fn report(found: Vec<Found>, full_width: impl FnOnce() -> usize, out: &mut Vec<Diagnostic>) {
    if found.is_empty() {
        return;
    }
    let half = found.iter().map(|f| f.edits.len()).sum::<usize>();
    let full_width = if half >= 5 { full_width() } else { 0 };
    if half >= 5 && full_width * 3 <= half {
        let first = &found[0];
        let mut kinds: Vec<char> = Vec::new();
        for f in &found {
            if !kinds.contains(&f.mark) {
                kinds.push(f.mark);
            }
        }
        // About half the findings on a corpus are this one: its texts are
        // concatenated, not formatted.
        let mut kinds_shown = String::with_capacity(kinds.len() * 7);
        for k in kinds {
            kinds_shown.extend(["“", shown(k), "”"]);
        }
        let (half_shown, full_shown) = (half.to_string(), full_width.to_string());
        let mut d = Diagnostic::new("P001", first.span)
            .message(
                ["全文有 ", &half_shown, " 处中文里使用了半角标点（", &kinds_shown, "），应使用全角标点"].concat(),
                [&half_shown, " half-width punctuation marks (", &kinds_shown, ") in Chinese text; use full-width marks"].concat(),
            )
            .primary_label(texts(first.mark).label.0, texts(first.mark).label.1)
            .note(
                ["全文只有 ", &full_shown, " 个全角逗号、冒号、分号、问号、叹号或括号：文本可能是用半角输入法录入，或从把标点半角化的网页复制而来"].concat(),
                ["the text has only ", &full_shown, " full-width commas, colons, semicolons, question or exclamation marks or brackets: it was typed in half-width mode or copied from a page that normalised punctuation"].concat(),
            )
            .help("修复会把所有这些标点改为全角", "the fix makes every one of them full-width")
            .basis(BASIS);
        for f in found.iter().skip(1).take(3) {
            let (zh, en) = texts(f.mark).label;
            d = d.label(f.span, zh, en);
        }
        let mut edits = Vec::with_capacity(half);
        for f in found {
            // Pushed one by one: extending from the chained iterator of
            // `Edits` cost twice as much.
            f.edits.push_to(f.mark, &mut edits);
        }
        d = d.fix(Fix::safe(
            L10n::new(
                "将中文里的半角标点全部改为全角",
                "make every half-width mark in Chinese text full-width",
            ),
            edits,
        ));
        out.push(d);
        return;
    }
    for f in found {
        let t = texts(f.mark);
        let mut d = Diagnostic::new("P001", f.span)
            .message(t.message.0, t.message.1)
            .primary_label(t.label.0, t.label.1)
            .basis(BASIS);
        if let Some(o) = f.other {
            d = d.label(o, "应为“）”", "expected “）”");
        }
        let msg = if f.other.is_some() {
            L10n::new("将半角括号改为全角括号", "make the brackets full-width")
        } else {
            L10n::new(t.fix.0, t.fix.1)
        };
        let mut edits = Vec::with_capacity(f.edits.len());
        f.edits.push_to(f.mark, &mut edits);
        d = d.fix(Fix::safe(msg, edits));
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed texts say what the formatted ones said.
    #[test]
    fn texts_name_the_mark_and_its_full_width_form() {
        for c in [',', ':', ';', '?', '!', '(', ')'] {
            let (shown, want) = (shown(c), full(c).unwrap());
            let t = texts(c);
            assert_eq!(
                t.message,
                (
                    format!("中文里使用了半角标点“{shown}”，应为全角“{want}”").as_str(),
                    format!("half-width “{shown}” in Chinese text; use the full-width “{want}”")
                        .as_str()
                )
            );
            assert_eq!(
                t.label,
                (
                    format!("应为“{want}”").as_str(),
                    format!("expected “{want}”").as_str()
                )
            );
            assert_eq!(
                t.fix,
                (
                    format!("改为“{want}”").as_str(),
                    format!("replace with “{want}”").as_str()
                )
            );
        }
    }
}
