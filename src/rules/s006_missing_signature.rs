//! ## What it does
//! Reports a report that does not end with the 发文机关署名 (the issuing
//! organ's name on its own line, followed by the 成文日期). When a date
//! stands at the end without an organ's name before it, the finding points
//! at the date. A text that breaks off mid-sentence is reported once by
//! S007 instead.
//!
//! ## Why is this bad?
//! The 署名 says who is answerable for the report. A report sent upward or
//! published without it cannot be attributed — unless the organ's name is
//! in the title, readers have to guess; web copies often drop it together
//! with the seal image.
//!
//! ## Example
//! ```text
//! ……努力推动法治政府建设工作迈上新台阶。
//! ```
//!
//! ## Use instead
//! ```text
//! ……努力推动法治政府建设工作迈上新台阶。
//!
//!                         ××镇人民政府
//!                         2025年1月20日
//! ```
//!
//! ## Basis
//! 《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条（发文机关署名）；
//! GB/T 9704—2012《党政机关公文格式》7.3.5.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::s007_truncated_text::{cut_off, last_item};
use crate::source::Span;

pub(crate) const BASIS: &str = "《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条；GB/T 9704—2012《党政机关公文格式》7.3.5";

/// The point right after the last text, where the 署名 and 日期 belong.
pub(crate) fn end_anchor(cx: &Context) -> Option<(Span, usize)> {
    let doc = cx.document;
    let mut best = last_item(cx).map(|(s, l, _)| (s, l));
    for p in &doc.closing {
        if best.is_none_or(|b| p.span.end > b.0.end) {
            best = Some((p.span, p.line));
        }
    }
    let (span, line) = best?;
    let text = &cx.text()[span.range()];
    let last = text.chars().last()?;
    Some((Span::new(span.end - last.len_utf8(), span.end), line))
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cut_off(cx).is_some() {
        return;
    }
    let doc = cx.document;
    match &doc.signature {
        Some(sig) if sig.organ.is_some() => {}
        Some(sig) => {
            let Some(date) = &sig.date else {
                return;
            };
            out.push(
                Diagnostic::new("S006", date.span)
                    .message("成文日期之前缺少发文机关署名", "no issuing organ's name before the date")
                    .primary_label("署名应在此日期的上一行", "the organ's name belongs on the line above this date")
                    .help(
                        "在成文日期上一行写发文机关全称或规范化简称，如“××镇人民政府”",
                        "put the issuing organ's full name on the line above the date, e.g. 「××镇人民政府」",
                    )
                    .basis(BASIS),
            );
        }
        None => {
            let Some((span, line)) = end_anchor(cx) else {
                return;
            };
            let (zh, en) = cx.texts(
                || format!("正文在第{line}行结束，其后应有署名"),
                || format!("the text ends on line {line}; the signature belongs after it"),
            );
            out.push(
                Diagnostic::new("S006", span)
                    .message("报告末尾没有发文机关署名", "the report does not end with the issuing organ's name")
                    .primary_label(zh, en)
                    .help(
                        "在正文之后另起一行写发文机关署名，如“××镇人民政府”，下一行写成文日期",
                        "after the text, add the issuing organ's name (e.g. 「××镇人民政府」) and on the next line the date",
                    )
                    .basis(BASIS),
            );
        }
    }
}
