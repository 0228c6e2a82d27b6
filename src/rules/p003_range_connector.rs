//! ## What it does
//! Finds year and date ranges joined by a hyphen or a look-alike
//! (`2021-2025`, `2021－2025年`, `2021–2025`, `1月-3月`, `2023年1月~12月`) and
//! writes the 一字线 connector `—` (or `～` for `~`).
//!
//! Only ranges are touched: both ends must be years (1900–2100, the second
//! later than the first) or carry 年/月/日. Slogans and codes (`2-1-1-5-2`),
//! telephone numbers (`0451-84545823`), index numbers (`2022-06521`),
//! numeric dates (`2023-02-28`) and URLs are left alone.
//!
//! ## Why is this bad?
//! GB/T 15834 uses the 一字线 for the start and end of a period
//! (「标示相关项目（如时间、地域等）的起止」); the short hyphen `-` joins the
//! parts of codes and compound terms, and reads as such.
//!
//! ## Example
//! ```text
//! 《法治政府建设实施纲要(2021-2025年)》
//! ```
//!
//! ## Use instead
//! ```text
//! 《法治政府建设实施纲要（2021—2025年）》
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》4.13（连接号）; GB/T 15835—2011（数值范围）.

use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::{ByteSet, char_at, inside};
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》4.13";

/// A number at `at`: (end offset, value, digit count, unit 年/月/日 if any).
fn number(text: &str, at: usize) -> Option<(usize, u32, usize, Option<char>)> {
    let digits = text[at..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - at);
    if digits == 0 || digits > 4 {
        return None;
    }
    let value: u32 = text[at..at + digits].parse().ok()?;
    let end = at + digits;
    let unit = text[end..].chars().next().filter(|c| "年月日".contains(*c));
    Some((end, value, digits, unit))
}

fn is_year(v: u32, digits: usize) -> bool {
    digits == 4 && (1900..=2100).contains(&v)
}

/// The bytes [`check`] stops at: `-`, `~`, and the lead bytes of `－`
/// (`EF`) and `–` (`E2`).
const DASHES: ByteSet = ByteSet::new(b"-~\xE2\xEF");

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let links = cx.links();
    let bytes = text.as_bytes();
    for &at in &cx.marks().dashes {
        if !DASHES.contains(bytes[at]) {
            continue;
        }
        let c = char_at(text, at);
        if !matches!(c, '-' | '－' | '–' | '~') || inside(links, at) {
            continue;
        }
        at_dash(cx, at, c, out);
    }
}

/// The reference scanner: every character.
#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let links = crate::rules::text::link_spans_reference(text);
    for (at, c) in text.char_indices() {
        if !matches!(c, '-' | '－' | '–' | '~') || inside(&links, at) {
            continue;
        }
        at_dash(cx, at, c, out);
    }
}

/// A range joined by the dash `c` at byte `at`.
fn at_dash(cx: &Context, at: usize, c: char, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let bytes = text.as_bytes();
    let len = c.len_utf8();
    // Left end: digits right before, optionally followed by 年/月/日.
    let mut l_end = at;
    let l_unit = crate::rules::text::char_before(text, l_end).filter(|c| "年月日".contains(*c));
    if let Some(u) = l_unit {
        l_end -= u.len_utf8();
    }
    let l_digits = text[..l_end]
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if l_digits == 0 || l_digits > 4 {
        return;
    }
    let l_start = l_end - l_digits;
    // Not part of a longer code: 2-1-1-5-2, 0451-8454…, 2022-06521.
    if l_start > 0
        && (matches!(bytes[l_start - 1], b'-' | b'/' | b'.')
            || bytes[l_start - 1].is_ascii_alphanumeric())
    {
        return;
    }
    let Ok(l_value) = text[l_start..l_end].parse::<u32>() else {
        return;
    };
    let Some((r_end, r_value, r_digits, r_unit)) = number(text, at + len) else {
        return;
    };
    let after = text[r_end..].chars().next();
    if after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/' || c == '.')
        && r_unit.is_none()
    {
        return;
    }
    let years = is_year(l_value, l_digits) && is_year(r_value, r_digits) && r_value > l_value;
    let dated = l_unit.is_some() || r_unit.is_some();
    // A numeric date 2023-02-28 has a two-digit right end without unit.
    if !(years || (dated && (l_unit.is_some() || r_digits >= 1))) {
        return;
    }
    if !years && l_unit.is_none() {
        // `3-5月`: only when the left is a plausible month/day number.
        if !(1..=31).contains(&l_value) || r_unit.is_none() {
            return;
        }
    }
    let span = Span::new(at, at + len);
    let range = &text[l_start..r_end + r_unit.map_or(0, |u| u.len_utf8())];
    let Texts { want, label, fix } = texts(c);
    let c = &text[span.range()];
    let (zh, en) = cx.texts(
        || {
            [
                "时间范围“",
                range,
                "”中的连接号应为“",
                want,
                "”，不用“",
                c,
                "”",
            ]
            .concat()
        },
        || {
            [
                "the range “",
                range,
                "” should be joined with “",
                want,
                "”, not “",
                c,
                "”",
            ]
            .concat()
        },
    );
    out.push(
        Diagnostic::new("P003", span)
            .message(zh, en)
            .primary_label(label.0, label.1)
            .help(
                "表示时间、数值起止用一字线“—”或浪纹线“～”",
                "ranges of time and numbers take the 一字线 “—” or the wave dash “～”",
            )
            .basis(BASIS)
            .fix(Fix::replace(span, want, L10n::new(fix.0, fix.1))),
    );
}

/// The fixed texts of a finding about one dash.
struct Texts {
    want: &'static str,
    label: (&'static str, &'static str),
    fix: (&'static str, &'static str),
}

macro_rules! texts {
    ($c:literal, $want:literal) => {
        Texts {
            want: $want,
            label: (
                concat!("应为“", $want, "”"),
                concat!("expected “", $want, "”"),
            ),
            fix: (
                concat!("将“", $c, "”改为“", $want, "”"),
                concat!("replace “", $c, "” with “", $want, "”"),
            ),
        }
    };
}

/// The texts for the dash `c` (`-`, `－`, `–` or `~`): no formatting per
/// finding.
fn texts(c: char) -> Texts {
    match c {
        '~' => texts!("~", "～"),
        '－' => texts!("－", "—"),
        '–' => texts!("–", "—"),
        _ => texts!("-", "—"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed texts say what the formatted ones said.
    #[test]
    fn texts_name_the_dash_and_the_connector() {
        for c in ['-', '－', '–', '~'] {
            let t = texts(c);
            let want = if c == '~' { "～" } else { "—" };
            assert_eq!(t.want, want);
            assert_eq!(t.label.0, format!("应为“{want}”"));
            assert_eq!(t.label.1, format!("expected “{want}”"));
            assert_eq!(t.fix.0, format!("将“{c}”改为“{want}”"));
            assert_eq!(t.fix.1, format!("replace “{c}” with “{want}”"));
        }
    }
}
