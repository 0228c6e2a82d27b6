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

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (pair, zh, en) in [
        ("》、《", "书名号", "book titles"),
        ("”、“", "引号", "quotations"),
    ] {
        let finder = memchr::memmem::Finder::new(pair);
        let mut from = 0;
        while let Some(i) = finder.find(&text.as_bytes()[from..]) {
            let at = from + i + pair.find('、').unwrap_or(0);
            let span = Span::new(at, at + '、'.len_utf8());
            from = span.end;
            // Only between two complete titles (or quotations) on the line:
            // a broken pair is P002's finding, not a 顿号 question.
            let (open, close) = if zh == "书名号" {
                ('《', '》')
            } else {
                ('“', '”')
            };
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
            if !(opened && closed) {
                continue;
            }
            out.push(
                Diagnostic::new("P005", span)
                    .message(
                        format!("并列的{zh}之间通常不用顿号"),
                        format!("no 顿号 is needed between coordinate {en}"),
                    )
                    .primary_label("可删去的顿号", "顿号 not needed")
                    .basis(BASIS)
                    .fix(Fix::replace(
                        span,
                        "",
                        L10n::new("删除顿号", "remove the 顿号"),
                    )),
            );
        }
    }
}
