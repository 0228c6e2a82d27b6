//! ## What it does
//! Finds a 顿号 between two book titles or two quotations that follow each
//! other (`《教育法》、《教师法》`, `“一网通办”、“最多跑一次”`) and removes it.
//!
//! ## Why is this bad?
//! GB/T 15834—2011 4.5.3.5: between coordinate items marked by quotation
//! marks or book-title marks the 顿号 is normally left out; the marks already
//! separate them. The 顿号 form was common before 2011, so this is a hint.
//!
//! ## Example
//! ```text
//! 学习《中华人民共和国宪法》、《中华人民共和国民法典》等法律法规
//! ```
//!
//! ## Use instead
//! ```text
//! 学习《中华人民共和国宪法》《中华人民共和国民法典》等法律法规
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》4.5.3.5（标有引号的并列成分之间、标有书名号的并列成分之间通常不用顿号）.

use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》4.5.3.5";

/// The two runs the rule looks for: (the run, the marks it sits between,
/// their name in Chinese and English). Both start with a mark whose lead
/// byte (`E3` of 》, `E2` of ”) is one of [`Context::marks`].
const PAIRS: [(&str, (char, char), &str, &str); 2] = [
    ("》、《", ('《', '》'), "书名号", "book titles"),
    ("”、“", ('“', '”'), "引号", "quotations"),
];

/// Visits the offsets of [`Context::marks`] (every closing 》 and ” is one)
/// instead of searching the whole text once per run; the runs are matched
/// on their bytes (》 `E3 80 8B`, ” `E2 80 9D`, 、 `E3 80 81`, 《 `E3 80 8A`,
/// “ `E2 80 9C`).
pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let bytes = cx.text().as_bytes();
    let mut hits: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for &m in &cx.marks().paired {
        match bytes[m..] {
            [0xE3, 0x80, 0x8B, 0xE3, 0x80, 0x81, 0xE3, 0x80, 0x8A, ..] => hits[0].push(m),
            [0xE2, 0x80, 0x9D, 0xE3, 0x80, 0x81, 0xE2, 0x80, 0x9C, ..] => hits[1].push(m),
            _ => {}
        }
    }
    for (k, starts) in hits.iter().enumerate() {
        let mut from = 0;
        for &m in starts {
            if m >= from {
                from = at_pair(cx, k, m, out);
            }
        }
    }
}

/// The reference: a substring search per run.
#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (k, &(pair, _, _, _)) in PAIRS.iter().enumerate() {
        let finder = memchr::memmem::Finder::new(pair);
        let mut from = 0;
        while let Some(i) = finder.find(&text.as_bytes()[from..]) {
            from = at_pair(cx, k, from + i, out);
        }
    }
}

/// The run `PAIRS[k]` at byte `start`: reports its 顿号 if it stands
/// between two complete titles (or quotations); returns where the search
/// goes on (after the 顿号).
fn at_pair(cx: &Context, k: usize, start: usize, out: &mut Vec<Diagnostic>) -> usize {
    let text = cx.text();
    let (pair, (open, close), zh, en) = PAIRS[k];
    let at = start + pair.find('、').unwrap_or(0);
    let span = Span::new(at, at + '、'.len_utf8());
    // Only between two complete titles (or quotations) on the line:
    // a broken pair is P002's finding, not a 顿号 question.
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |k| k + 1);
    let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |k| at + k);
    let before = &text[line_start..at - close.len_utf8()];
    let after = &text[span.end + open.len_utf8()..line_end];
    let opened = before
        .rfind(open)
        .is_some_and(|o| !before[o..].contains(close));
    let closed = after
        .find(close)
        .is_some_and(|c| !after[..c].contains(open));
    if opened && closed {
        let (message_zh, message_en) = cx.texts(
            || format!("并列的{zh}之间通常不用顿号"),
            || format!("no 顿号 is needed between coordinate {en}"),
        );
        out.push(
            Diagnostic::new("P005", span)
                .message(message_zh, message_en)
                .primary_label("可删去的顿号", "顿号 not needed")
                .basis(BASIS)
                .fix(Fix::replace(
                    span,
                    "",
                    L10n::new("删除顿号", "remove the 顿号"),
                )),
        );
    }
    span.end
}
