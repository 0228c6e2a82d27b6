//! ## What it does
//! Checks that the ordinals of sibling headings count up by one: 一、二、三、,
//! （一）（二）（三）, 1. 2. 3. It reports a gap (一、 then 三、), a repeat
//! (二、 twice), a step back (三、 then 二、), a first sibling that does not
//! start at one, and a heading that stands where a number is due but has none.
//! A sub-list that continues the numbering of the previous one (1. 2. under
//! （一）, then 3. 4. under （二）) is accepted.
//!
//! ## Why is this bad?
//! Reviewers return reports whose outline skips or repeats a number: it
//! looks as if a part was lost or pasted twice, and references such as
//! 「第三部分」 no longer point at the right place.
//!
//! ## Example
//! ```text
//! 一、主要举措和成效
//! 一、存在的不足和原因
//! 三、下一年度工作安排
//! ```
//!
//! ## Use instead
//! ```text
//! 一、主要举措和成效
//! 二、存在的不足和原因
//! 三、下一年度工作安排
//! ```
//!
//! ## Basis
//! GB/T 9704—2012 7.3.3（文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注）.

use crate::ast::{MarkerForm, Section};
use crate::diagnostic::Diagnostic;
use crate::outline::canonical_marker;
use crate::rules::Context;

const BASIS: &str = "GB/T 9704—2012《党政机关公文格式》7.3.3";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut last_seen = ByRank::new();
    walk(&cx.document.sections, &mut last_seen, out);
}

fn show(s: &Section) -> String {
    if s.marker.is_empty() {
        format!("“{}”", s.heading)
    } else {
        format!("“{}”", s.marker)
    }
}

/// A section as [`show`] writes it, formatted only when a message needs it.
struct Shown<'a>(&'a Section);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0;
        let t = if s.marker.is_empty() {
            &s.heading
        } else {
            &s.marker
        };
        write!(f, "“{t}”")
    }
}

/// What is remembered of the previous sibling of a rank.
struct Prev<'a> {
    ordinal: u32,
    line: usize,
    span: crate::source::Span,
    shown: Shown<'a>,
}

/// A map keyed by rank: a handful of entries, searched in a line.
struct ByRank<T>(Vec<(u8, T)>);

impl<T> ByRank<T> {
    fn new() -> Self {
        ByRank(Vec::new())
    }

    fn get(&self, rank: &u8) -> Option<&T> {
        self.0.iter().find(|(r, _)| r == rank).map(|(_, v)| v)
    }

    fn contains_key(&self, rank: &u8) -> bool {
        self.get(rank).is_some()
    }

    fn insert(&mut self, rank: u8, value: T) {
        match self.0.iter_mut().find(|(r, _)| *r == rank) {
            Some(e) => e.1 = value,
            None => self.0.push((rank, value)),
        }
    }
}

fn walk(siblings: &[Section], last_seen: &mut ByRank<u32>, out: &mut Vec<Diagnostic>) {
    let mut prev: ByRank<Prev> = ByRank::new();
    for s in siblings {
        let expected = prev.get(&s.rank).map_or(1, |p| p.ordinal + 1);
        let mut ordinal = s.ordinal;
        if s.form == MarkerForm::Unnumbered {
            let want = canonical_marker(s.rank, expected).unwrap_or_default();
            out.push(
                Diagnostic::new("N001", s.heading_span)
                    .message(
                        format!("标题“{}”缺少序号，按顺序应为“{want}”", s.heading),
                        format!(
                            "heading “{}” has no ordinal; by sequence it should be “{want}”",
                            s.heading
                        ),
                    )
                    .primary_label("此处缺少序号", "ordinal missing here")
                    .help(
                        format!("在标题前加上“{want}”"),
                        format!("put “{want}” before the heading"),
                    )
                    .basis(BASIS),
            );
            // Judge the numbers after it against the expected one.
            ordinal = expected;
        } else if s.ordinal != expected {
            let continued = !prev.contains_key(&s.rank)
                && last_seen.get(&s.rank).is_some_and(|&l| s.ordinal == l + 1);
            if !continued {
                out.push(sequence_error(s, prev.get(&s.rank), expected));
            }
        }
        prev.insert(
            s.rank,
            Prev {
                ordinal,
                line: s.line,
                span: s.marker_span,
                shown: Shown(s),
            },
        );
        last_seen.insert(s.rank, ordinal);
        walk(&s.children, last_seen, out);
    }
}

fn sequence_error(s: &Section, prev: Option<&Prev>, expected: u32) -> Diagnostic {
    let want = canonical_marker(s.rank, expected).unwrap_or_default();
    let this = show(s);
    let d = match prev {
        Some(p) if s.ordinal == p.ordinal => Diagnostic::new("N001", s.marker_span)
            .message(
                format!("序号重复：{this} 与第 {} 行的同级序号相同，此处应为“{want}”", p.line),
                format!("repeated ordinal: {this} repeats the sibling on line {}; expected “{want}”", p.line),
            )
            .label(p.span, "同级序号首次出现于此", "first used here"),
        Some(p) if s.ordinal < p.ordinal => Diagnostic::new("N001", s.marker_span)
            .message(
                format!("序号倒退：前一个同级序号是 {}（第 {} 行），此处为 {this}，应为“{want}”", p.shown, p.line),
                format!("ordinal steps back: the previous sibling is {} (line {}), this is {this}; expected “{want}”", p.shown, p.line),
            )
            .label(p.span, "前一个同级序号", "previous sibling"),
        Some(p) => Diagnostic::new("N001", s.marker_span)
            .message(
                format!("序号不连续：{} 之后应为“{want}”，此处为 {this}", p.shown),
                format!("ordinal gap: after {} comes “{want}”, but this is {this}", p.shown),
            )
            .label(p.span, "前一个同级序号", "previous sibling"),
        None => Diagnostic::new("N001", s.marker_span).message(
            format!("同级第一个序号应为“{want}”，此处为 {this}"),
            format!("the first sibling should be “{want}”, but this is {this}"),
        ),
    };
    d.primary_label(format!("应为“{want}”"), format!("expected “{want}”"))
        .help(
            "按顺序重新编号；如有遗漏的部分，请补上",
            "renumber in sequence; if a part is missing, add it",
        )
        .basis(BASIS)
}
