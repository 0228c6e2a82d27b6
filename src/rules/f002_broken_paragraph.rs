//! ## What it does
//! Finds a paragraph cut in the middle of a sentence by a hard line break or
//! a blank line — typical of text copied out of PDF files or web pages —
//! and joins the two pieces.
//!
//! A piece counts as cut when it is running text (at least ten characters
//! with a comma or 顿号 in it), ends without sentence-final or closing
//! punctuation, and the next paragraph of the same section follows within
//! two blank lines and starts with a Chinese character, a book title or an
//! opening quotation mark or bracket (not a heading, a 一是 item or a date).
//! The fix is safe when the break is plainly inside a sentence: the piece
//! ends with 「，」「、」 or a word that cannot end a sentence (了、的、和、
//! 对……), or the next piece's first clause is short; otherwise (the author
//! may only have left out a 「。」) the fix is unsafe.
//!
//! ## Why is this bad?
//! A sentence split over two paragraphs reads as two broken paragraphs,
//! gets a wrong first-line indent in the printed report, and hides words from
//! searches.
//!
//! ## Example
//! ```text
//! 三是制定年度工作计划，定期召开
//!
//! 专题会议，及时研究和解决法治政府建设工作中的重要事项。
//! ```
//!
//! ## Use instead
//! ```text
//! 三是制定年度工作计划，定期召开专题会议，及时研究和解决法治政府建设工作中的重要事项。
//! ```
//!
//! ## Basis
//! GB/T 9704—2012《党政机关公文格式》7.3.3（每个自然段左空二字，回行顶格）.

use crate::ast::Paragraph;
use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::{excerpt, is_han};
use crate::source::Span;

const BASIS: &str = "GB/T 9704—2012《党政机关公文格式》7.3.3";

/// Characters a complete paragraph may end with.
const ENDINGS: &str = "。！？；：!?;:…”’）)》〉】〕」』.%";

/// Words a sentence cannot end with.
const OPEN_ENDS: &str = "了的和及与对在将把被为从向等并且或其之以于由按经";

/// Openers of a new sentence (a paragraph starting with one is more likely
/// a new paragraph after a missing 「。」).
const OPENERS: &[&str] = &[
    "我", "在", "今年", "同时", "此外", "另外", "全年", "截至", "目前", "通过", "坚持", "按照",
    "根据", "为", "一是", "二是", "三是", "四是", "五是", "总之", "综上",
];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    run(cx, &cx.document.preamble, out);
    for &s in cx.sections() {
        run(cx, &s.body, out);
    }
    run(cx, &cx.document.closing, out);
}

fn run(cx: &Context, ps: &[Paragraph], out: &mut Vec<Diagnostic>) {
    for w in ps.windows(2) {
        if let Some(d) = judge(cx, &w[0], &w[1]) {
            out.push(d);
        }
    }
}

fn judge(cx: &Context, a: &Paragraph, b: &Paragraph) -> Option<Diagnostic> {
    if b.line > a.line + 3 || b.line <= a.line {
        return None;
    }
    let at = a.text.trim_end();
    let last = at.chars().next_back()?;
    if ENDINGS.contains(last) || at.chars().count() < 10 || !at.contains(['，', '、', ',']) {
        return None;
    }
    if !(is_han(last) || matches!(last, '，' | '、' | ',' | '《' | '“' | '（' | '(')) {
        return None;
    }
    let first = b.text.chars().next()?;
    if !(is_han(first) || matches!(first, '《' | '“' | '（' | '(')) {
        return None;
    }
    if b.enumerations
        .first()
        .is_some_and(|e| e.span.start == b.span.start)
    {
        return None;
    }
    // The next piece's first clause.
    let clause = &b.text[..b
        .text
        .find(|c| {
            matches!(
                c,
                '，' | '。' | '；' | '：' | '、' | ',' | ';' | ':' | '！' | '？'
            )
        })
        .unwrap_or(b.text.len())];
    let opener = OPENERS.iter().any(|o| b.text.starts_with(o))
        || b.text.starts_with(|c: char| c.is_ascii_digit());
    let plainly = matches!(last, '，' | '、' | ',')
        || OPEN_ENDS.contains(last)
        || (clause.chars().count() <= 8 && !opener);
    let brk = Span::new(a.span.end, b.span.start);
    // The last eight characters.
    let tail = &at[at.char_indices().rev().nth(7).map_or(0, |(i, _)| i)..];
    let head = excerpt(&b.text, 8);
    let message = L10n::new("将两段合并为一段", "join the two pieces into one paragraph");
    let fix = if plainly {
        Fix::safe(
            message,
            vec![crate::diagnostic::Edit {
                span: brk,
                replacement: "".into(),
            }],
        )
    } else {
        Fix::unsafe_(
            message,
            vec![crate::diagnostic::Edit {
                span: brk,
                replacement: "".into(),
            }],
        )
    };
    let (zh, en) = cx.texts(
        || {
            [
                "段落在句中断开：“……",
                tail,
                "”与下一段“",
                &head,
                "”应是同一句",
            ]
            .concat()
        },
        || {
            [
                "paragraph broken mid-sentence: “…",
                tail,
                "” continues in the next paragraph “",
                &head,
                "”",
            ]
            .concat()
        },
    );
    Some(
        Diagnostic::new("F002", Span::new(a.span.end - last.len_utf8(), a.span.end))
            .message(zh, en)
            .primary_label("句子在此处被断开", "sentence cut here")
            .label(Span::new(b.span.start, b.span.start + first.len_utf8()), "后半句", "rest of the sentence")
            .help(
                "删除句中的换行或空行；如果这里确实是段末，请补上句末标点",
                "remove the line break inside the sentence; if the paragraph does end here, add the full stop",
            )
            .basis(BASIS)
            .fix(fix),
    )
}
