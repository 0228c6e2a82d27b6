//! ## What it does
//! Notes when the report's parts come in another order than the one its
//! basis lists — for the 法治政府建设年度报告: 成效 → 不足和原因 → 第一责任人 →
//! 下一年度安排 → 其他. Only the first place where the order turns back is
//! reported. A part nested inside another (a second-level heading) is left
//! out: it belongs to its parent's place.
//!
//! ## Why is this bad?
//! It is not wrong: the regulation says what a report 「一般包括」, and many
//! reports put the 第一责任人 part first. But reviewers read many reports
//! side by side, and the regulation's order makes the parts easy to find.
//! This is a suggestion (info), never an error.
//!
//! ## Example
//! ```text
//! 一、履行推进法治建设第一责任人职责情况
//! 二、主要举措和成效
//! ```
//!
//! ## Use instead
//! ```text
//! 一、主要举措和成效
//! 二、……存在的不足和原因
//! 三、履行推进法治建设第一责任人职责情况
//! ```
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）所列年度报告内容的顺序.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::schema::with_basis;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let schema = cx.schema;
    let order = schema.order();
    // (top-level position, order rank, match)
    let mut placed: Vec<(usize, usize, &crate::schema::SectionMatch)> = cx
        .matches
        .iter()
        .filter(|m| m.is_present())
        .filter_map(|m| {
            let rank = order.iter().position(|o| *o == m.section)?;
            // A part nested inside another keeps that part's place: only
            // top-level headings take part in the order.
            let f = m.found.iter().find(|f| f.depth == 1)?;
            Some((f.top, rank, m))
        })
        .collect();
    placed.sort_by_key(|p| (p.0, p.1));
    let mut max: Option<(usize, usize, &crate::schema::SectionMatch)> = None;
    for p in placed {
        if let Some(b) = max {
            if p.1 < b.1 && p.0 > b.0 {
                let (Some(this), Some(that)) =
                    (schema.section(&p.2.section), schema.section(&b.2.section))
                else {
                    return;
                };
                let seq: Vec<&str> = order
                    .iter()
                    .filter_map(|id| schema.section(id))
                    .map(|r| r.name.as_str())
                    .collect();
                let seq_en: Vec<&str> = order
                    .iter()
                    .filter_map(|id| schema.section(id))
                    .map(|r| r.en())
                    .collect();
                let top = |m: &'_ crate::schema::SectionMatch| {
                    m.found.iter().find(|f| f.depth == 1).cloned()
                };
                let (Some(here), Some(there)) = (top(p.2), top(b.2)) else {
                    return;
                };
                let basis = schema.order_basis.clone().or_else(|| schema.basis.clone());
                out.push(with_basis(
                    Diagnostic::new("S003", here.span)
                        .message(
                            format!("“{}”排在“{}”之后，与规定的顺序不同", this.name, that.name),
                            format!(
                                "“{}” comes after “{}”, unlike the prescribed order",
                                this.en(),
                                that.en()
                            ),
                        )
                        .primary_label(
                            format!("按规定应排在第{}行“{}”之前", there.line, that.name),
                            format!(
                                "by the prescribed order this comes before line {} ({})",
                                there.line,
                                that.en()
                            ),
                        )
                        .label(
                            there.span,
                            format!("“{}”在此", that.name),
                            format!("{} is here", that.en()),
                        )
                        .help(
                            format!("建议按此顺序排列：{}", seq.join(" → ")),
                            format!("consider this order: {}", seq_en.join(" → ")),
                        ),
                    basis,
                ));
                return;
            }
            if p.1 > b.1 {
                max = Some(p);
            }
        } else {
            max = Some(p);
        }
    }
}
