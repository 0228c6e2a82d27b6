//! ## What it does
//! Reports a report with no 成文日期 at its end: neither a date line after
//! the 发文机关署名 nor one at the end of the text. A text that breaks off
//! mid-sentence is reported once by S007 instead.
//!
//! ## Why is this bad?
//! The 成文日期 is a required element of a 公文: it dates the report, and it is
//! what reviewers compare with the reporting and publication deadlines (for
//! the 法治政府建设年度报告, publication before 4月1日).
//!
//! ## Example
//! ```text
//! ××镇人民政府
//! ```
//!
//! ## Use instead
//! ```text
//! ××镇人民政府
//! 2025年1月20日
//! ```
//!
//! ## Basis
//! 《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条（成文日期）；
//! GB/T 9704—2012《党政机关公文格式》7.3.5.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::s006_missing_signature::{BASIS, end_anchor};
use crate::rules::s007_truncated_text::cut_off;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cut_off(cx).is_some() {
        return;
    }
    let doc = cx.document;
    let d = match &doc.signature {
        Some(sig) if sig.date.is_some() => return,
        Some(sig) => {
            let Some(span) = sig.organ_span else {
                return;
            };
            Diagnostic::new("D001", span)
                .message(
                    "发文机关署名之后缺少成文日期",
                    "no date after the issuing organ's name",
                )
                .primary_label(
                    "成文日期应在署名的下一行",
                    "the date belongs on the line below",
                )
        }
        None => {
            let Some((span, line)) = end_anchor(cx) else {
                return;
            };
            let (zh, en) = cx.texts(
                || format!("正文在第{line}行结束，其后应有成文日期"),
                || format!("the text ends on line {line}; the date belongs after the signature"),
            );
            Diagnostic::new("D001", span)
                .message("报告末尾没有成文日期", "the report has no date at its end")
                .primary_label(zh, en)
        }
    };
    out.push(
        d.help(
            "在署名下一行写成文日期，用阿拉伯数字写全年、月、日，如“2025年1月20日”",
            "on the line below the signature, write the date in Arabic numerals, e.g. 「2025年1月20日」",
        )
        .basis(BASIS),
    );
}
