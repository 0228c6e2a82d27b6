//! ## What it does
//! Reports a text that stops in the middle of a sentence (or on a heading
//! with nothing under it) and has no closing, 署名 or 成文日期 after it:
//! the end of the report is missing. It names the required parts and the
//! signature that were not found before the cut, instead of reporting each
//! of them as missing (S001, S006, D001 stay silent on such a text).
//!
//! ## Why is this bad?
//! A report whose last sentence breaks off was cut when it was copied or
//! pasted (web pages, Word exports, a lost last page). Whatever should
//! follow — the remaining parts, the 署名 and 成文日期 — cannot be judged:
//! calling each of them "missing" would be true of the text but wrong about
//! the report, so gongwen says once what it could not check.
//!
//! ## Example
//! ```text
//! 一、2023年度推进法治政府建设的主要举措和成效
//! （一）加强组织领导。镇党委、政府将法治政府建设纳入
//! ```
//!
//! ## Use instead
//! Check the complete text: finish the last sentence and keep the remaining
//! parts, the 署名 and the 成文日期. If the text is an excerpt on purpose,
//! ignore the finding (`--ignore S007`).
//!
//! ## Basis
//! 《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条（公文的组成）；
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）.

use std::fmt::Write;

use crate::ast::{Document, Paragraph, Section};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::schema::MatchStatus;
use crate::source::Span;

/// Where a text that breaks off ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The last character of the text.
    pub span: Span,
    pub line: usize,
    /// The last item is a heading with nothing under it.
    pub on_heading: bool,
}

/// Characters that may end a complete text.
const TERMINAL: &[char] = &[
    '。', '！', '？', '!', '?', '…', '；', ';', '”', '’', '」', '』', '）', ')', '】', '》', '.',
    '．', '"', '\'', '>', '〉', '＞', ']', '］', '】', '〕',
];

/// The last text item of the body: (span, line, is a heading). Several
/// rules ask; [`last_item`] answers from the shared cache.
#[cfg(test)]
pub(crate) fn find_last_item(doc: &Document) -> Option<(Span, usize, bool)> {
    last_item_of(doc, &doc.paragraphs(), &doc.walk())
}

/// [`find_last_item`] from the paragraphs and sections of `doc`, collected
/// already.
fn last_item_of(
    doc: &Document,
    paragraphs: &[&Paragraph],
    sections: &[&Section],
) -> Option<(Span, usize, bool)> {
    let mut best: Option<(Span, usize, bool)> = None;
    let mut consider = |span: Span, line: usize, heading: bool| {
        if best.is_none_or(|b| span.end > b.0.end) {
            best = Some((span, line, heading));
        }
    };
    for p in paragraphs {
        consider(p.span, p.line, false);
    }
    for s in sections {
        consider(s.span, s.line, s.body.is_empty() && s.children.is_empty());
    }
    if let Some(t) = &doc.title {
        consider(t.span, t.line, false);
    }
    best
}

/// [`find_last_item`], computed once per document.
pub(crate) fn last_item(cx: &Context) -> Option<(Span, usize, bool)> {
    *cx.shared
        .last_item
        .get_or_init(|| last_item_of(cx.document, cx.paragraphs(), cx.sections()))
}

/// Whether the text breaks off: no closing, no 署名/日期, and the last item
/// does not end a sentence. Asked by S001, S006, D001 and S007: computed
/// once per document.
pub(crate) fn cut_off(cx: &Context) -> Option<Cut> {
    *cx.shared
        .cut
        .get_or_init(|| find_cut(cx, |t| memchr::memchr2(b'\n', b'\r', t.as_bytes())))
}

/// The reference [`cut_off`]: the line break found by a `char` search, the
/// last item found again.
#[cfg(test)]
pub(crate) fn cut_off_reference(cx: &Context) -> Option<Cut> {
    let doc = cx.document;
    if doc.signature.is_some() || !doc.closing.is_empty() {
        return None;
    }
    find_cut_after(cx, find_last_item(doc)?, |t| t.find(['\n', '\r']))
}

fn find_cut(cx: &Context, line_end: fn(&str) -> Option<usize>) -> Option<Cut> {
    let doc = cx.document;
    if doc.signature.is_some() || !doc.closing.is_empty() {
        return None;
    }
    find_cut_after(cx, last_item(cx)?, line_end)
}

fn find_cut_after(
    cx: &Context,
    (span, line, heading): (Span, usize, bool),
    line_end: fn(&str) -> Option<usize>,
) -> Option<Cut> {
    // The whole source line (a heading's span stops before its 。).
    let full = cx.text();
    let end = line_end(&full[span.start..]).map_or(full.len(), |i| span.start + i);
    let text = full
        .get(span.start..end)?
        .trim_end_matches(crate::syntax::lower::is_ws);
    let last = text.chars().last()?;
    let start = span.start + text.len() - last.len_utf8();
    let last_span = Span::new(start, start + last.len_utf8());
    if TERMINAL.contains(&last) {
        return None;
    }
    Some(Cut {
        span: if heading { span } else { last_span },
        line,
        on_heading: heading,
    })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(cut) = cut_off(cx) else {
        return;
    };
    let missing: Vec<_> = cx
        .matches
        .iter()
        .filter(|m| m.status == MatchStatus::Missing)
        .filter_map(|m| cx.schema.section(&m.section))
        .filter(|r| r.required)
        .collect();
    // The message in one String per language (only the languages asked
    // for): what happened, then what is missing before the cut.
    let (label_zh, label_en) = if cut.on_heading {
        ("标题之下没有正文", "nothing under this heading")
    } else {
        ("句子在此中断", "the sentence breaks off here")
    };
    let (zh, en) = cx.texts(
        || {
            // Room for the whole message: grown piece by piece it was
            // copied five times.
            let names: usize = missing.iter().map(|r| r.name.len() + 6).sum();
            let mut zh = String::with_capacity(192 + names);
            if cut.on_heading {
                let _ = write!(
                    zh,
                    "文本以第{}行的标题结束，其下没有正文，报告似乎不完整",
                    cut.line
                );
            } else {
                let _ = write!(zh, "正文在第{}行句中中断，报告似乎不完整", cut.line);
            }
            zh.push_str("；中断之前未见");
            for r in &missing {
                zh.extend(["“", r.name.as_str(), "”"]);
            }
            if !missing.is_empty() {
                zh.push_str("，以及");
            }
            zh.push_str("发文机关署名和成文日期");
            zh
        },
        || {
            let names: usize = missing.iter().map(|r| r.en().len() + 2).sum();
            let mut en = String::with_capacity(192 + names);
            if cut.on_heading {
                let _ = write!(
                    en,
                    "the text ends with the heading on line {}, with nothing under it: the report looks incomplete",
                    cut.line
                );
            } else {
                let _ = write!(
                    en,
                    "the text stops mid-sentence on line {}: the report looks incomplete",
                    cut.line
                );
            }
            en.push_str("; not found before the cut: ");
            for r in &missing {
                en.extend([r.en(), ", "]);
            }
            en.push_str("the signature and the date");
            en
        },
    );
    let (help_zh, help_en) = if cut.on_heading {
        (
            "如果这是完整的报告，请在标题下写出内容（或删去此标题），并补上上述部分、发文机关署名和成文日期；如果只是节选，可忽略此项",
            "if this is the whole report, write the text under the heading (or remove it) and add the parts named, the signature and the date; if it is an excerpt, ignore this",
        )
    } else {
        (
            "如果这是完整的报告，请补全最后一句，并补上上述部分、发文机关署名和成文日期；如果只是节选，可忽略此项",
            "if this is the whole report, finish the last sentence and add the parts named, the signature and the date; if it is an excerpt, ignore this",
        )
    };
    out.push(
        Diagnostic::new("S007", cut.span)
            .message(zh, en)
            .primary_label(label_zh, label_en)
            .help(help_zh, help_en)
            .note(
                "文本不完整时，不再逐项报告缺少的部分（S001）、署名（S006）和成文日期（D001）",
                "on an incomplete text, missing parts (S001), signature (S006) and date (D001) are not reported one by one",
            )
            .basis("《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条"),
    );
}
