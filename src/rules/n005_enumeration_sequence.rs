//! ## What it does
//! Checks the inline enumerations of a section (`一是……二是……三是……`): the
//! items must count up by one. It reports an item that skips (`一是` then
//! `三是`), repeats (`二是` twice) or steps back, and finds the broken item
//! that usually causes a skip: a clause that starts with the missing numeral
//! but lost its 「是」 (`一是……。二强化……。三是……`).
//!
//! An enumeration may run over several paragraphs of one section; a new
//! `一是` starts a new run.
//!
//! ## Why is this bad?
//! The numbering of 一是/二是 items is the skeleton of most report paragraphs;
//! a missing or repeated number makes a reader look for a lost item.
//!
//! ## Example
//! ```text
//! 一是成立法治政府建设工作领导小组。二强化责任落实。三是将法治建设纳入年度计划。
//! ```
//!
//! ## Use instead
//! ```text
//! 一是成立法治政府建设工作领导小组。二是强化责任落实。三是将法治建设纳入年度计划。
//! ```
//!
//! ## Basis
//! GB/T 15834—2011 B.3.7（序次简单、叙述性较强的序次语）; GB/T 9704—2012 7.3.3.

use crate::ast::{EnumItem, Paragraph};
use crate::diagnostic::{Diagnostic, Edit, Fix, L10n};
use crate::outline::{cn_numeral, parse_cn_ordinal};
use crate::rules::Context;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》B.3.7";

/// Marks after which a new clause (and so an item) may start.
const BOUNDARY: &[char] = &['。', '；', ';', '！', '？', '!', '?', '：', ':', '，', ','];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Preamble and each section body are separate runs.
    check_run(cx, &cx.document.preamble, out);
    for &s in cx.sections() {
        check_run(cx, &s.body, out);
    }
    check_run(cx, &cx.document.closing, out);
}

fn check_run(cx: &Context, paragraphs: &[Paragraph], out: &mut Vec<Diagnostic>) {
    // The previous item, and the ordinal it stands for (a wrong number that
    // was reported counts as the one expected, so one slip is one finding).
    let mut prev: Option<(&EnumItem, u32)> = None;
    for p in paragraphs {
        for item in &p.enumerations {
            if item.ordinal == 1 {
                prev = Some((item, 1));
                continue;
            }
            let Some((pv, pv_ord)) = prev else {
                // A run that does not start at 一是: too often the 一是 is in
                // a heading or the text lists 二是 alone; not reported.
                prev = Some((item, item.ordinal));
                continue;
            };
            let expected = pv_ord + 1;
            if item.ordinal == expected {
                prev = Some((item, expected));
                continue;
            }
            let want = format!("{}是", cn_numeral(expected).unwrap_or_default());
            if item.ordinal > expected
                && let Some(broken) = find_broken(cx, pv.span.end, item.span.start, expected)
            {
                let typed = cx.source.slice(broken).to_string();
                out.push(
                    Diagnostic::new("N005", broken)
                        .message(
                            format!("列举项“{typed}”缺少“是”：前一项是“{}”，后一项是“{}”，此处应为“{want}”", pv.marker, item.marker),
                            format!("enumeration item “{typed}” lacks 是: it stands between “{}” and “{}”; expected “{want}”", pv.marker, item.marker),
                        )
                        .primary_label(format!("应为“{want}”"), format!("expected “{want}”"))
                        .label(pv.span, "前一项", "previous item")
                        .label(item.span, "后一项", "next item")
                        .help(format!("写作“{want}”"), format!("write “{want}”"))
                        .basis(BASIS)
                        .fix(Fix::unsafe_(
                            L10n::new(format!("在“{typed}”后补“是”"), format!("insert 是 after “{typed}”")),
                            vec![Edit { span: Span::empty(broken.end), replacement: "是".into() }],
                        )),
                );
                prev = Some((item, item.ordinal));
                continue;
            }
            let (zh, en) = if item.ordinal == pv_ord {
                ("列举序号重复", "enumeration item repeated")
            } else if item.ordinal < pv_ord {
                ("列举序号倒退", "enumeration steps back")
            } else {
                ("列举序号不连续", "enumeration skips")
            };
            out.push(
                Diagnostic::new("N005", item.span)
                    .message(
                        format!(
                            "{zh}：“{}”之后应为“{want}”，此处为“{}”",
                            pv.marker, item.marker
                        ),
                        format!(
                            "{en}: after “{}” comes “{want}”, but this is “{}”",
                            pv.marker, item.marker
                        ),
                    )
                    .primary_label(format!("应为“{want}”"), format!("expected “{want}”"))
                    .label(pv.span, "前一项", "previous item")
                    .help(
                        "按顺序重新编号；如有遗漏的内容，请补上",
                        "renumber in sequence; add the item if one is missing",
                    )
                    .basis(BASIS),
            );
            // A skip is taken as written (the next item continues from it);
            // a repeat or a step back stands for the expected number.
            let stands_for = if item.ordinal > expected {
                item.ordinal
            } else {
                expected
            };
            prev = Some((item, stands_for));
        }
    }
}

/// A clause between `from` and `to` that starts with the numeral `n` but is
/// not followed by 是 (`二强化`): the span of the numeral.
fn find_broken(cx: &Context, from: usize, to: usize, n: u32) -> Option<Span> {
    let numeral = cn_numeral(n)?;
    let text = cx.text();
    let slice = &text[from..to];
    let mut at_boundary = false;
    for (i, c) in slice.char_indices() {
        if at_boundary && slice[i..].starts_with(numeral.as_str()) {
            let after = &slice[i + numeral.len()..];
            let next = after.chars().next();
            // The numeral must be exactly `n` (not the start of 二十), and be
            // followed by a Han character that is not 是 and does not make a
            // numeral word (二者, 二次 are words, but then no item is missing
            // and the skip is reported as such).
            let longer = next.is_some_and(|c| "一二三四五六七八九十是".contains(c));
            let han = next.is_some_and(super::text::is_han);
            let word = [
                "者", "次", "个", "项", "种", "条", "类", "级", "年", "月", "日", "人", "名",
                "方面", "要", "抓",
            ]
            .iter()
            .any(|w| after.starts_with(w));
            if han && !longer && !word && parse_cn_ordinal(&numeral) == Some(n) {
                let start = from + i;
                return Some(Span::new(start, start + numeral.len()));
            }
        }
        if BOUNDARY.contains(&c) {
            at_boundary = true;
        } else if !super::text::is_ws(c) {
            at_boundary = false;
        }
    }
    None
}
