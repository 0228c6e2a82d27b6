//! ## What it does
//! Checks that the years of a report agree. The report year is read from the
//! title (else from the heading of the part on the year's work). Then:
//! a part about the report year (成效, 不足, 第一责任人) whose heading names
//! another year, a part about the next year (下一年度安排) whose heading does
//! not name the following year, and a 成文日期 in neither the report year nor
//! the next one are reported. Year ranges (2021—2025年) are not years of
//! anything and are ignored.
//!
//! ## Why is this bad?
//! Annual reports are written from last year's file. A year left unchanged
//! in a heading or the date says the report is about the wrong year, and
//! reviewers read it as carelessness.
//!
//! ## Example
//! ```text
//! ××镇2024年法治政府建设情况报告
//! 一、2023年推进法治政府建设的主要举措和成效
//! 四、2024年工作安排
//! ```
//!
//! ## Use instead
//! ```text
//! ××镇2024年法治政府建设情况报告
//! 一、2024年推进法治政府建设的主要举措和成效
//! 四、2025年工作安排
//! ```
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）（报告上一年度情况与下一年度
//! 安排）.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::schema::{YearRule, with_basis};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(ry) = cx.report_year() else {
        return;
    };
    // The basis is cloned for a finding only: most reports have none.
    let basis = || cx.schema.basis.clone();
    let (src_zh, src_en) = if ry.from_title {
        ("标题", "the title")
    } else {
        ("标题", "a heading")
    };
    let src_zh: std::borrow::Cow<str> = if ry.from_title {
        src_zh.into()
    } else {
        format!("第{}行", ry.line).into()
    };
    let y = ry.year;
    let mut seen = std::collections::HashSet::new();
    for m in cx.matches {
        let Some(rule) = cx.schema.section(&m.section) else {
            continue;
        };
        let (want, zh_kind, en_kind) = match rule.year {
            YearRule::None => continue,
            YearRule::Report => (y, "报告年度", "the report year"),
            YearRule::Next => (y + 1, "下一年度", "the next year"),
        };
        for f in &m.found {
            if f.years.is_empty() || f.years.iter().any(|(v, _)| *v == want) {
                continue;
            }
            let (got, span) = f.years[0];
            if span == ry.span || !seen.insert(span) {
                continue;
            }
            out.push(with_basis(
                Diagnostic::new("D003", span)
                    .message(
                        format!(
                            "“{}”部分的标题写“{got}年”，应为{zh_kind}{want}年",
                            rule.name
                        ),
                        format!(
                            "the heading of “{}” says {got}; {en_kind} is {want}",
                            rule.en()
                        ),
                    )
                    .primary_label(format!("应为{want}年"), format!("should be {want}"))
                    .label(
                        ry.span,
                        format!("报告年度{y}年（取自{src_zh}）"),
                        format!("report year {y} (from {src_en})"),
                    )
                    .help(
                        format!("核对年份：本报告是{y}年度报告，{zh_kind}为{want}年"),
                        format!("check the year: this is the report for {y}; {en_kind} is {want}"),
                    ),
                basis(),
            ));
        }
    }
    if let Some(date) = cx.document.signature.as_ref().and_then(|s| s.date.as_ref())
        && date.year != y
        && date.year != y + 1
    {
        out.push(with_basis(
            Diagnostic::new("D003", date.span)
                .message(
                    format!("成文日期是{}年，与报告年度{y}年不符", date.year),
                    format!(
                        "the date is in {}, which does not fit the report year {y}",
                        date.year
                    ),
                )
                .primary_label(
                    format!("应为{y}年或{}年", y + 1),
                    format!("expected {y} or {}", y + 1),
                )
                .label(
                    ry.span,
                    format!("报告年度{y}年（取自{src_zh}）"),
                    format!("report year {y} (from {src_en})"),
                )
                .help(
                    format!("{y}年度报告的成文日期一般在{}年初，核对年份", y + 1),
                    format!(
                        "a report on {y} is normally dated early in {}; check the year",
                        y + 1
                    ),
                ),
            basis(),
        ));
    }
}
