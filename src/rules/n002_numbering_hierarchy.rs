//! ## What it does
//! Checks that outline markers keep their levels. It reports two things:
//!
//! - a marker whose rank does not fit its place: a bracketed Arabic number
//!   `（1）` used directly under `一、` or `（一）`, where GB/T 15834 B.3.8 puts
//!   it under an unbracketed `1.`;
//! - going back up: a higher-level marker after a lower-level one among the
//!   same siblings (`1.` then `（二）`).
//!
//! A plain skip of a level with a different kind of numeral (`一、` directly
//! followed by `1.`) is allowed: GB/T 9704 says the levels 「依次可以用」, and
//! B.3.8 lets a text start from any level. This rule does not report it.
//!
//! ## Why is this bad?
//! The marker tells the reader the level. `（1）` right under `一、` reads as a
//! fourth-level item whose second and third levels are missing, and a
//! `（二）` after `1.` makes the reader lose the structure.
//!
//! ## Example
//! ```text
//! 四、2025年工作计划
//! （1）丰富形式，持续营造良好法治氛围。
//! （2）靶向发力，着力提高依法行政水平。
//! ```
//!
//! ## Use instead
//! ```text
//! 四、2025年工作计划
//! （一）丰富形式，持续营造良好法治氛围。
//! （二）靶向发力，着力提高依法行政水平。
//! ```
//!
//! ## Basis
//! GB/T 15834—2011 B.3.8（带括号的通常位于不带括号的下一层……使用层次较低的
//! 序次语之后不宜反过来再使用层次更高的序次语）; GB/T 9704—2012 7.3.3.

use crate::ast::{MarkerForm, Section};
use crate::diagnostic::{Diagnostic, Edit, Fix, L10n};
use crate::outline::{canonical_marker, rank_name_en};
use crate::rules::Context;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》B.3.8";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    walk(None, &cx.document.sections, out);
}

fn walk(parent: Option<&Section>, siblings: &[Section], out: &mut Vec<Diagnostic>) {
    misplaced_rank(parent, siblings, out);
    back_up(siblings, out);
    for s in siblings {
        walk(Some(s), &s.children, out);
    }
}

/// `（1）` directly under `一、` or `（一）`: report the first such sibling of
/// each parent, naming the others.
fn misplaced_rank(parent: Option<&Section>, siblings: &[Section], out: &mut Vec<Diagnostic>) {
    let Some(p) = parent else { return };
    if p.form == MarkerForm::Unnumbered || p.rank >= 3 {
        return;
    }
    let group: Vec<&Section> = siblings
        .iter()
        .filter(|s| s.rank == 4 && s.form != MarkerForm::Unnumbered)
        .collect();
    let Some(first) = group.first() else { return };
    let expected = p.rank + 1;
    let want = canonical_marker(expected, 1).unwrap_or_default();
    let parent_marker = if p.marker.is_empty() {
        format!("“{}”", p.heading)
    } else {
        format!("“{}”", p.marker)
    };
    let mut d = Diagnostic::new("N002", first.marker_span)
        .message(
            format!(
                "“{}”是{}，不宜直接用在{parent_marker}之下；{parent_marker}的下一层应使用“{want}”",
                first.marker,
                level_zh(4),
            ),
            format!(
                "“{}” is a {}; it should not stand directly under {parent_marker}; the level below {parent_marker} is “{want}”",
                first.marker,
                rank_name_en(4),
            ),
        )
        .primary_label(format!("应为“{want}”一级"), format!("expected the “{want}” level"))
        .label(p.marker_span, "上一级标题", "parent heading")
        .help(
            format!("将本组序号改为“{want}”“{}”……", canonical_marker(expected, 2).unwrap_or_default()),
            format!("renumber this group as “{want}”, “{}”, …", canonical_marker(expected, 2).unwrap_or_default()),
        )
        .basis(BASIS);
    for s in group.iter().skip(1) {
        d = d.label(s.marker_span, "同组序号", "same group");
    }
    // Renumbering the group is mechanical, but it changes the outline the
    // author chose: offered as an unsafe fix, and only when no sibling
    // already uses the expected level.
    let clash = siblings.iter().any(|s| s.rank == expected);
    if !clash {
        let mut edits = Vec::new();
        for s in &group {
            if let Some(m) = canonical_marker(expected, s.ordinal) {
                let end = s.gap.map_or(s.marker_span.end, |g| g.end);
                edits.push(Edit {
                    span: crate::source::Span::new(s.marker_span.start, end),
                    replacement: m.into(),
                });
            }
        }
        if edits.len() == group.len() {
            d = d.fix(Fix::unsafe_(
                L10n::new(
                    format!("将本组序号改为“{want}”一级"),
                    format!("renumber the group at the “{want}” level"),
                ),
                edits,
            ));
        }
    }
    out.push(d);
}

/// A higher-level marker after a lower-level one among siblings.
fn back_up(siblings: &[Section], out: &mut Vec<Diagnostic>) {
    let mut lowest: Option<&Section> = None;
    for s in siblings {
        if s.form == MarkerForm::Unnumbered {
            continue;
        }
        if let Some(l) = lowest
            && s.rank < l.rank
        {
            out.push(
                Diagnostic::new("N002", s.marker_span)
                    .message(
                        format!(
                            "层次倒置：{}“{}”出现在同一层的{}“{}”之后",
                            level_zh(s.rank),
                            s.marker,
                            level_zh(l.rank),
                            l.marker
                        ),
                        format!(
                            "levels go back up: the {} “{}” follows the {} “{}” at the same level",
                            rank_name_en(s.rank),
                            s.marker,
                            rank_name_en(l.rank),
                            l.marker
                        ),
                    )
                    .primary_label("层次更高的序号", "higher-level marker")
                    .label(l.marker_span, "此前已使用较低层次的序号", "lower level used before")
                    .help(
                        "同一层的标题使用同一种序号；需要更高层次时，先结束当前部分",
                        "use one kind of marker for one level; close the current part before going up a level",
                    )
                    .basis(BASIS),
            );
        }
        if lowest.is_none_or(|l| s.rank > l.rank) {
            lowest = Some(s);
        }
    }
}

/// 一级序号 … 五级序号.
fn level_zh(rank: u8) -> &'static str {
    match rank {
        1 => "一级序号",
        2 => "二级序号",
        3 => "三级序号",
        4 => "四级序号",
        _ => "五级序号",
    }
}
