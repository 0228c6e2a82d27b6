//! ## What it does
//! Checks that each outline marker is written in its standard form and
//! fixes it: `1、` → `1.`, `(一)` / `一)` → `（一）`, `一.` / `一，` → `一、`,
//! `（一）、` → `（一）`, full-width `１．` → `1.`, and removes white space
//! between a marker and its heading.
//!
//! When a marker's form breaks the pattern of its siblings (`（三）` then
//! `(四)`), `N004` reports it instead, with the same fix.
//!
//! ## Why is this bad?
//! GB/T 15834 fixes the mark after each kind of ordinal: 顿号 after a Chinese
//! numeral, no mark after a bracketed one, the Western full stop after an
//! Arabic numeral. `1、` and half-width brackets are among the first things
//! a reviewer marks.
//!
//! ## Example
//! ```text
//! 1、依法执政、依法行政的水平有待进一步提高。
//! (一)强化组织领导
//! （1） 丰富形式，持续营造良好法治氛围。
//! ```
//!
//! ## Use instead
//! ```text
//! 1.依法执政、依法行政的水平有待进一步提高。
//! （一）强化组织领导
//! （1）丰富形式，持续营造良好法治氛围。
//! ```
//!
//! ## Basis
//! GB/T 15834—2011 B.3.2（汉字数字后用顿号）、B.3.3（阿拉伯数字后用下脚点）、
//! B.3.4（加括号的序次语后面不用任何点号）; GB/T 9704—2012 7.3.3.

use crate::ast::{MarkerForm, Section};
use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》B.3.2—B.3.4；GB/T 9704—2012 7.3.3";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let by_n004: Vec<Span> = if cx.settings.selects("N004") {
        cx.odd_ones().iter().map(|(s, _)| s.marker_span).collect()
    } else {
        Vec::new()
    };
    for &s in cx.sections() {
        if s.form == MarkerForm::Unnumbered || by_n004.contains(&s.marker_span) {
            continue;
        }
        if let Some(d) = diagnose(cx, s) {
            out.push(d);
        }
    }
}

/// The edit that writes a section's marker in standard form (marker and any
/// gap after it), if it needs one.
pub(crate) fn standard_marker_fix(s: &Section) -> Option<(Span, String)> {
    let end = s.gap.map_or(s.marker_span.end, |g| g.end);
    // A marker followed by nothing (「一 」 alone) keeps its trailing space for
    // the white-space rule.
    let end = if s.heading.is_empty() {
        s.marker_span.end
    } else {
        end
    };
    if s.form == MarkerForm::Standard && end <= s.marker_span.end {
        return None;
    }
    // Only now the marker text: most markers are standard.
    let want = s.canonical_marker()?;
    Some((Span::new(s.marker_span.start, end), want))
}

fn describe(form: MarkerForm) -> (&'static str, &'static str) {
    match form {
        MarkerForm::WrongSeparator => ("序号后的标点用错", "wrong mark after the ordinal"),
        MarkerForm::SpaceSeparator => (
            "序号后缺少顿号，用空格代替",
            "the ordinal is followed by a space instead of a 顿号",
        ),
        MarkerForm::HalfWidthBracket => (
            "序号使用了半角括号",
            "half-width brackets around the ordinal",
        ),
        MarkerForm::MissingOpenBracket => ("序号缺少前括号", "the opening bracket is missing"),
        MarkerForm::ExtraPunctuation => (
            "带括号或带圈的序号后多了标点",
            "a mark after a bracketed or circled ordinal",
        ),
        MarkerForm::FullWidth => (
            "序号使用了全角数字或全角句点",
            "full-width digits or full stop in the ordinal",
        ),
        MarkerForm::Standard | MarkerForm::Unnumbered => (
            "序号与标题之间有多余空格",
            "white space between the marker and the heading",
        ),
    }
}

fn diagnose(cx: &Context, s: &Section) -> Option<Diagnostic> {
    let (span, want) = standard_marker_fix(s)?;
    let typed = cx.source.slice(span);
    let (zh, en) = describe(s.form);
    let gap_only = s.form == MarkerForm::Standard;
    let marker = s.marker.as_str();
    let message = if gap_only {
        cx.texts(
            || [zh, "：“", marker, "”后应直接接标题文字"].concat(),
            || [en, ": the heading should follow “", marker, "” directly"].concat(),
        )
    } else {
        cx.texts(
            || [zh, "：“", marker, "”应写作“", &want, "”"].concat(),
            || [en, ": “", marker, "” should be written “", &want, "”"].concat(),
        )
    };
    let fix_msg = if gap_only {
        L10n::new("删除序号后的空格", "remove the space after the marker")
    } else {
        let typed = typed.trim_end();
        let (zh, en) = cx.texts(
            || ["将“", typed, "”改为“", &want, "”"].concat(),
            || ["replace “", typed, "” with “", &want, "”"].concat(),
        );
        L10n::new(zh, en)
    };
    let label = cx.texts(
        || ["应为“", &want, "”"].concat(),
        || ["expected “", &want, "”"].concat(),
    );
    Some(
        Diagnostic::new("N003", span)
            .message(message.0, message.1)
            .primary_label(label.0, label.1)
            .basis(BASIS)
            .fix(Fix::replace(span, want, fix_msg)),
    )
}
