//! ## What it does
//! Checks that the report has every part its schema requires. For the
//! 法治政府建设年度报告 these are the regulation's four required items:
//! 主要举措和成效, 存在的不足和原因, 党政主要负责人履行推进法治建设第一责任人
//! 职责情况 and 下一年度主要安排 (其他需要报告的情况 is optional). Headings are
//! matched freely (synonyms, Traditional characters, a slip of one
//! character, thematic headings by position, second-level headings; see
//! `gongwen compile --explain-matches`). When the missing part's topic is
//! only mentioned in passing inside another part, the finding points there.
//!
//! A text that breaks off mid-sentence is reported once by S007 instead.
//!
//! ## Why is this bad?
//! The regulation lists what a 法治政府建设年度报告 contains; reviewers (司法局,
//! 依法治县办) return reports that leave a part out — most often the part on
//! the 第一责任人 — and a sentence in passing does not replace it.
//!
//! ## Example
//! ```text
//! 一、2024年法治政府建设工作落实情况
//! （一）强化组织领导……压紧压实法治政府建设第一责任人责任……
//! 二、存在的不足和原因
//! 三、2025年工作安排
//! ```
//!
//! ## Use instead
//! ```text
//! 一、2024年法治政府建设工作落实情况
//! 二、存在的不足和原因
//! 三、党政主要负责人履行推进法治建设第一责任人职责情况
//! 四、2025年工作安排
//! ```
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）（法治政府建设年度报告
//! 内容一般包括……）; the basis of a user schema is what its YAML states.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::s007_truncated_text::{cut_off, last_item};
use crate::schema::{MatchStatus, with_basis};
use crate::source::Span;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // An empty text is E002's; a cut-off one is S007's.
    if last_item(cx).is_none() || cut_off(cx).is_some() {
        return;
    }
    let schema = cx.schema;
    let order = schema.order();
    let rank = |id: &str| order.iter().position(|o| *o == id).unwrap_or(usize::MAX);
    // The passing mentions, looked for once a required part is missing
    // (`gongwen check`'s matches leave them out).
    let mut mentions = None;
    for (r, m) in cx.matches.iter().enumerate() {
        let Some(rule) = schema.section(&m.section) else {
            continue;
        };
        if !rule.required || m.status != MatchStatus::Missing {
            continue;
        }
        let k = rank(&rule.id);
        // Where it should go: before the first present part that comes
        // after it in the recommended order, else after the last part.
        let after = cx
            .matches
            .iter()
            .filter(|o| o.is_present() && rank(&o.section) > k)
            .filter_map(|o| o.found.first())
            .min_by_key(|f| f.span.start);
        let (anchor, lzh, len) = match after {
            Some(f) => (
                f.span,
                format!("“{}”宜放在此部分之前", rule.name),
                format!("{} belongs before this part", rule.en()),
            ),
            None => match cx.document.sections.last() {
                Some(s) => (
                    s.span,
                    format!("“{}”宜放在此部分之后", rule.name),
                    format!("{} belongs after this part", rule.en()),
                ),
                None => match last_item(cx) {
                    Some((span, _, _)) => (
                        span,
                        "全文没有分部分的标题".to_string(),
                        "the text has no part headings".to_string(),
                    ),
                    None => (Span::empty(0), String::new(), String::new()),
                },
            },
        };
        let mut msg_zh = format!("缺少必备部分“{}”", rule.name);
        let mut msg_en = format!("the required part “{}” is missing", rule.en());
        let mut d = Diagnostic::new("S001", anchor);
        let mentions = mentions
            .get_or_insert_with(|| crate::schema::mentions(cx.document, schema, cx.matches));
        if let Some(mention) = mentions.get(r).and_then(|m| m.first()) {
            let (wzh, wen) = match &mention.within {
                Some((line, heading)) => (
                    format!("位于第{line}行“{heading}”之下"),
                    format!("under 「{heading}」, line {line}"),
                ),
                None => (
                    "位于导语或结尾".to_string(),
                    "in the opening or closing text".to_string(),
                ),
            };
            msg_zh.push_str(&format!(
                "；只在第{}行顺带提到“{}”（{wzh}）",
                mention.line, mention.term
            ));
            msg_en.push_str(&format!(
                "; 「{}」 is only mentioned in passing on line {} ({wen})",
                mention.term, mention.line
            ));
            d = d.label(
                mention.span,
                "此处只是顺带提到，不能代替专门的部分",
                "a passing mention here does not replace the part",
            );
            if mention.count > 1 {
                d = d.note(
                    format!("全文共有{}处相关表述，均不在专门的部分中", mention.count),
                    format!(
                        "{} related phrases in all, none in a part of its own",
                        mention.count
                    ),
                );
            }
        }
        let wording = rule.wording.as_deref().unwrap_or(&rule.name);
        let example = rule.example.as_deref().unwrap_or(&rule.name);
        d = d.message(msg_zh, msg_en).help(
            format!("增设一部分，写明{wording}，标题如“{example}”"),
            format!(
                "add a part on {} (「{wording}」), with a heading such as 「{example}」",
                rule.en()
            ),
        );
        d = with_basis(d, rule.basis.clone().or_else(|| schema.basis.clone()));
        if !lzh.is_empty() {
            d = d.primary_label(lzh, len);
        }
        if let Some(sev) = rule.severity {
            d = d.severity(sev);
        }
        out.push(d);
    }
}
