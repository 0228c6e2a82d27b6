//! ## What it does
//! Finds a paragraph of running text that ends without any closing
//! punctuation (no 。！？；：…) right before a heading, the closing or the
//! signature: the sentence was left open.
//!
//! Only paragraphs that are sentences are judged (ten characters or more,
//! with a comma or 顿号 inside). A paragraph followed by another paragraph
//! is left to `F002` (it may be cut in two), and the last paragraph of the
//! text is not judged (an excerpt may stop mid-sentence). The fix adds a
//! 「。」 and is unsafe: a 「；」 or 「：」 may be meant.
//!
//! ## Why is this bad?
//! A sentence without its full stop reads as unfinished; reviewers mark
//! every missing 「。」.
//!
//! ## Example
//! ```text
//! 2020年，黄陂区法治建设经验做法先后15次被中央相关部委推介推广
//! 二、主要工作
//! 全区坚持党对法治建设的领导。
//! ```
//!
//! ## Use instead
//! ```text
//! 2020年，黄陂区法治建设经验做法先后15次被中央相关部委推介推广。
//! 二、主要工作
//! 全区坚持党对法治建设的领导。
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》4.1（句号用于句末）.

use crate::ast::Paragraph;
use crate::diagnostic::{Diagnostic, Edit, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::is_han;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》4.1";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let doc = cx.document;
    let last_end = cx.paragraphs().last().map(|p| p.span.end);
    let sections = cx.sections();
    let mut containers: Vec<&[Paragraph]> = Vec::with_capacity(sections.len() + 1);
    containers.push(&doc.preamble);
    for s in sections {
        containers.push(&s.body);
    }
    for ps in containers {
        let Some(p) = ps.last() else { continue };
        if Some(p.span.end) == last_end {
            continue;
        }
        let t = p.text.trim_end();
        let Some(last) = t.chars().next_back() else {
            continue;
        };
        if !is_han(last) || t.chars().count() < 10 || !t.contains(['，', '、', ',']) {
            continue;
        }
        let at = p.span.end;
        let span = Span::new(at - last.len_utf8(), at);
        out.push(
            Diagnostic::new("P006", span)
                .message("段末缺少句末标点", "the paragraph ends without a full stop")
                .primary_label("此处缺少“。”", "“。” missing here")
                .basis(BASIS)
                .fix(Fix::unsafe_(
                    L10n::new("在段末补“。”", "add “。” at the end"),
                    vec![Edit {
                        span: Span::empty(at),
                        replacement: "。".into(),
                    }],
                )),
        );
    }
}
