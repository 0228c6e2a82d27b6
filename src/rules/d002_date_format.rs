//! ## What it does
//! Checks the 成文日期 (the date under the signature) is written as GB/T 9704
//! prescribes: Arabic numerals, the year in full, month and day without a
//! leading zero — `2025年1月20日`. It reports `2025年01月20日`,
//! `2025.1.20`, `2025-01-20`, `二〇二五年一月二十日`, `25年1月20日`,
//! `2025 年 1 月 20 日` and full-width digits, and offers the standard form as
//! a fix (safe, except for a two-digit year, where the century is a guess).
//! A date that does not exist (2月30日) is reported without a fix.
//!
//! ## Why is this bad?
//! The standard fixes one form so that dates read and sort alike. The
//! Chinese-numeral form was the rule of the 1999 standard and is a tell-tale
//! of an old template; separators and padded numbers come from spreadsheets
//! and forms.
//!
//! ## Example
//! ```text
//! ××镇人民政府
//! 2025年01月20日
//! ```
//!
//! ## Use instead
//! ```text
//! ××镇人民政府
//! 2025年1月20日
//! ```
//!
//! ## Basis
//! GB/T 9704—2012《党政机关公文格式》7.3.5.4（用阿拉伯数字将年、月、日标全，年份应标全称，
//! 月、日不编虚位）.

use crate::ast::DateForm;
use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;

const BASIS: &str = "GB/T 9704—2012《党政机关公文格式》7.3.5.4";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(date) = cx.document.signature.as_ref().and_then(|s| s.date.as_ref()) else {
        return;
    };
    if date.iso.is_none() {
        out.push(
            Diagnostic::new("D002", date.span)
                .message(
                    format!("成文日期“{}”不是有效的日期", date.text),
                    format!("the date 「{}」 does not exist", date.text),
                )
                .primary_label("没有这一天", "no such day")
                .help("核对成文日期", "check the date")
                .basis(BASIS),
        );
        return;
    }
    let (why_zh, why_en) = match date.form {
        DateForm::Standard => return,
        DateForm::Padded => (
            "月、日不编虚位（1不编为01）",
            "no leading zero in month or day",
        ),
        DateForm::Spaced => ("日期中不留空格", "no spaces inside the date"),
        DateForm::ShortYear => ("年份应标全称", "the year is written in full"),
        DateForm::Chinese => (
            "成文日期用阿拉伯数字",
            "the date is written in Arabic numerals",
        ),
        DateForm::Separated => (
            "用“年”“月”“日”，不用点号或连接号",
            "年/月/日, not dots or dashes",
        ),
        DateForm::FullWidthDigits => ("用半角阿拉伯数字", "half-width Arabic digits"),
    };
    let want = format!("{}年{}月{}日", date.year, date.month, date.day);
    let msg = L10n::new(format!("改为“{want}”"), format!("write 「{want}」"));
    let fix = if date.form == DateForm::ShortYear {
        Fix::unsafe_(
            msg,
            vec![crate::diagnostic::Edit {
                span: date.span,
                replacement: want.clone().into(),
            }],
        )
    } else {
        Fix::replace(date.span, want.clone(), msg)
    };
    out.push(
        Diagnostic::new("D002", date.span)
            .message(
                format!("成文日期“{}”的写法不规范，应为“{want}”", date.text),
                format!(
                    "the date 「{}」 is not in the standard form 「{want}」",
                    date.text
                ),
            )
            .primary_label(why_zh, why_en)
            .help(
                format!("写作“{want}”：{why_zh}"),
                format!("write 「{want}」: {why_en}"),
            )
            .fix(fix)
            .basis(BASIS),
    );
}
