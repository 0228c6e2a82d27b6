//! ## What it does
//! Compares the 成文日期 with the deadlines in the schema, counted from the
//! report year (read from the title or the heading of the year's work). For
//! the 法治政府建设年度报告: publication before 4月1日 of the following year. A
//! report dated after the deadline cannot have met it. Only the earliest
//! deadline missed is reported; a date in the wrong year is D003's.
//!
//! ## Why is this bad?
//! Late publication is the most common failing found by evaluations of
//! these reports (in 2019 only four provinces published before 4月1日), and
//! reviewers sanction late reports (通报批评).
//!
//! ## Example
//! ```text
//! ××镇2024年法治政府建设情况报告
//! ……
//! 2025年4月15日
//! ```
//!
//! ## Use instead
//! Date, submit and publish the report before the deadline (here: before
//! 2025年4月1日).
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十四条（每年4月1日之前向社会
//! 公开）; for other schemas, the basis each deadline states.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(date) = cx.document.signature.as_ref().and_then(|s| s.date.as_ref()) else {
        return;
    };
    if date.iso.is_none() {
        return;
    }
    let Some(ry) = cx.report_year() else {
        return;
    };
    if date.year != ry.year && date.year != ry.year + 1 {
        return;
    }
    let mut deadlines: Vec<_> = cx
        .schema
        .deadlines
        .iter()
        .map(|d| ((ry.year + d.year_offset, d.month, d.day), d))
        .collect();
    deadlines.sort_by_key(|(k, _)| *k);
    let dated = (date.year, date.month, date.day);
    let Some(((yy, mm, dd), d)) = deadlines.into_iter().find(|(k, _)| dated > *k) else {
        return;
    };
    let who_zh = d
        .applies_to
        .as_ref()
        .map(|a| format!("（适用于{a}）"))
        .unwrap_or_default();
    let mut diag = Diagnostic::new("D004", date.span)
        .message(
            format!(
                "成文日期{}晚于{}年度报告的{}期限{yy}年{mm}月{dd}日",
                date.text, ry.year, d.name
            ),
            format!(
                "dated {}, after the {} deadline for the {} report ({yy}-{mm:02}-{dd:02})",
                date.text,
                d.en(),
                ry.year
            ),
        )
        .primary_label(format!("晚于{yy}年{mm}月{dd}日"), format!("after {yy}-{mm:02}-{dd:02}"))
        .help(
            format!("{}年度报告应在{yy}年{mm}月{dd}日之前{}{who_zh}；核对成文日期，或说明逾期原因", ry.year, d.name),
            format!(
                "the {} report is due for {} by {yy}-{mm:02}-{dd:02}; check the date or explain the delay",
                ry.year,
                d.en()
            ),
        );
    if let Some(b) = &d.basis {
        diag = diag.basis(b.clone());
    }
    out.push(diag);
}
