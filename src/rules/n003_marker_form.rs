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
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Fix, L10n, Lang, Text};
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

/// The standard markers of the ordinals below this, with the labels that
/// quote them, are made once ([`STANDARD`]).
const MADE_ONCE: u32 = 100;

/// A standard marker and the primary label of a finding that asks for it.
struct Standard {
    marker: String,
    label: (String, String),
}

impl Standard {
    fn new(marker: String) -> Self {
        Standard {
            label: (
                ["应为“", &marker, "”"].concat(),
                ["expected “", &marker, "”"].concat(),
            ),
            marker,
        }
    }
}

/// [`canonical_marker`] of ranks 1 to 5 and ordinals below [`MADE_ONCE`],
/// each made on its first use: a finding borrows its marker and label
/// instead of formatting them (a formatted marker and three texts per
/// finding). Entry by entry, so that a run over one report makes only the
/// few it needs (making all 500 at once cost more than checking a report).
///
/// [`canonical_marker`]: crate::outline::canonical_marker
static STANDARD: [OnceLock<Option<Standard>>; 5 * MADE_ONCE as usize] =
    [const { OnceLock::new() }; 5 * MADE_ONCE as usize];

/// The standard marker of a rank and ordinal, from [`STANDARD`] if made
/// there.
fn standard(rank: u8, ordinal: u32) -> Option<&'static Standard> {
    if !(1..=5).contains(&rank) || ordinal >= MADE_ONCE {
        return None;
    }
    STANDARD[usize::from(rank - 1) * MADE_ONCE as usize + ordinal as usize]
        .get_or_init(|| crate::outline::canonical_marker(rank, ordinal).map(Standard::new))
        .as_ref()
}

/// The edit that writes a section's marker in standard form (marker and any
/// gap after it), if it needs one.
pub(crate) fn standard_marker_fix(s: &Section) -> Option<(Span, Text)> {
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
    let want = match standard(s.rank, s.ordinal) {
        Some(w) => Text::Borrowed(w.marker.as_str()),
        None => s.canonical_marker()?.into(),
    };
    Some((Span::new(s.marker_span.start, end), want))
}

/// A made-once text if its language is wanted ([`Context::texts`]), else
/// the empty text.
fn borrowed_if(wanted: bool, text: &'static str) -> Text {
    Text::Borrowed(if wanted { text } else { "" })
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
    let label = match standard(s.rank, s.ordinal) {
        Some(w) => (
            borrowed_if(cx.wants(Lang::Zh), &w.label.0),
            borrowed_if(cx.wants(Lang::En), &w.label.1),
        ),
        _ => cx.texts(
            || ["应为“", &want, "”"].concat(),
            || ["expected “", &want, "”"].concat(),
        ),
    };
    Some(
        Diagnostic::new("N003", span)
            .message(message.0, message.1)
            .primary_label(label.0, label.1)
            .basis(BASIS)
            .fix(Fix::replace(span, want, fix_msg)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The made-once markers and labels are what formatting them gives,
    /// for every rank and for ordinals on both sides of [`MADE_ONCE`].
    #[test]
    fn made_once_markers_are_the_canonical_ones() {
        let mut made = 0;
        for rank in 0..=7u8 {
            for ordinal in 0..MADE_ONCE + 30 {
                let want = crate::outline::canonical_marker(rank, ordinal);
                match standard(rank, ordinal) {
                    Some(w) => {
                        assert_eq!(Some(&w.marker), want.as_ref(), "{rank} {ordinal}");
                        let m = want.unwrap();
                        assert_eq!(w.label.0, format!("应为“{m}”"));
                        assert_eq!(w.label.1, format!("expected “{m}”"));
                        made += 1;
                    }
                    None => assert!(
                        want.is_none() || ordinal >= MADE_ONCE || !(1..=5).contains(&rank),
                        "{rank} {ordinal}"
                    ),
                }
            }
        }
        assert!(made > 300, "{made}");
    }
}
