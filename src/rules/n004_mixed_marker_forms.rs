//! ## What it does
//! Checks that sibling headings of one level write their markers the same
//! way. It reports a marker whose form breaks the pattern of its siblings,
//! such as `(四)` after `（一）（二）（三）`, and fixes it to the standard form.
//!
//! A standard marker among non-standard siblings (`1.` among `1、`) is not
//! reported here: `N003` reports the non-standard ones.
//!
//! ## Why is this bad?
//! Mixed forms show that parts were pasted together from different sources
//! and were not revised as one text. GB/T 15835 asks that items of one kind
//! in one context be written in one form.
//!
//! ## Example
//! ```text
//! （一）强化组织领导……
//! （二）坚持党的绝对领导……
//! （三）加大普法宣传力度……
//! (四)强化依法治理工作……
//! ```
//!
//! ## Use instead
//! ```text
//! （一）强化组织领导……
//! （二）坚持党的绝对领导……
//! （三）加大普法宣传力度……
//! （四）强化依法治理工作……
//! ```
//!
//! ## Basis
//! GB/T 15835—2011《出版物上数字用法》（同类别同形式）; GB/T 15834—2011 B.3.4.

use crate::ast::{Document, MarkerForm, Section};
use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;

const BASIS: &str = "GB/T 15835—2011《出版物上数字用法》；GB/T 15834—2011 B.3.4";

/// The marker with its numeral abstracted: `（N）`, `(N)`, `N、`.
#[cfg(test)]
fn shape(marker: &str) -> String {
    shape_chars(marker).collect()
}

/// The characters of [`shape`]: a run of numerals is one `N` (as is a
/// numeral after a written `N`).
fn shape_chars(marker: &str) -> impl Iterator<Item = char> + '_ {
    let mut last = None;
    marker.chars().filter_map(move |c| {
        let numeral = matches!(c,
            '0'..='9' | '０'..='９' | '\u{2460}'..='\u{2473}'
            | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十');
        let c = if numeral {
            if last == Some('N') {
                return None;
            }
            'N'
        } else {
            c
        };
        last = Some(c);
        Some(c)
    })
}

/// Whether two markers have the same [`shape`], compared as they are
/// read: no string per marker.
fn same_shape(a: &str, b: &str) -> bool {
    shape_chars(a).eq(shape_chars(b))
}

/// Siblings whose non-standard form differs from the form most of their
/// siblings use, each with a sibling that shows the prevailing form.
pub(crate) fn odd_ones(doc: &Document) -> Vec<(&Section, &Section)> {
    let mut out = Vec::new();
    fn go<'a>(siblings: &'a [Section], out: &mut Vec<(&'a Section, &'a Section)>) {
        // Only a marker in a non-standard form is reported: siblings all in
        // standard form (most of them) need no grouping.
        let numbered = |s: &&Section| s.form != MarkerForm::Unnumbered;
        if siblings
            .iter()
            .filter(numbered)
            .any(|s| s.form != MarkerForm::Standard)
        {
            // Grouped by rank, in rank order, each group in document order
            // (a stable sort): one list, not one per rank.
            let mut by_rank: Vec<&Section> = siblings.iter().filter(numbered).collect();
            by_rank.sort_by_key(|s| s.rank);
            for group in by_rank.chunk_by(|a, b| a.rank == b.rank) {
                odd_in_group(group, out);
            }
        }
        for s in siblings {
            go(&s.children, out);
        }
    }
    go(&doc.sections, &mut out);
    out
}

/// The odd ones among siblings of one rank.
fn odd_in_group<'a>(group: &[&'a Section], out: &mut Vec<(&'a Section, &'a Section)>) {
    // (a marker of the shape, how many, its first section).
    let mut counts: Vec<(&str, usize, &Section)> = Vec::new();
    for &s in group {
        match counts.iter_mut().find(|(k, _, _)| same_shape(k, &s.marker)) {
            Some(e) => e.1 += 1,
            None => counts.push((s.marker.as_str(), 1, s)),
        }
    }
    if counts.len() < 2 {
        return;
    }
    // The prevailing form: the most frequent, the first on a tie.
    let best = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, n, _))| (*n, usize::MAX - i))
        .map(|(_, c)| *c)
        .unwrap();
    for &s in group {
        if !same_shape(&s.marker, best.0) && s.form != MarkerForm::Standard {
            out.push((s, best.2));
        }
    }
}

/// The reference [`odd_ones`]: every sibling list grouped in a map, the
/// shapes computed twice.
#[cfg(test)]
pub(crate) fn odd_ones_reference(doc: &Document) -> Vec<(&Section, &Section)> {
    use std::collections::HashMap;
    let mut out = Vec::new();
    fn go<'a>(siblings: &'a [Section], out: &mut Vec<(&'a Section, &'a Section)>) {
        let mut by_rank: HashMap<u8, Vec<&Section>> = HashMap::new();
        for s in siblings {
            if s.form != MarkerForm::Unnumbered {
                by_rank.entry(s.rank).or_default().push(s);
            }
        }
        let mut ranks: Vec<_> = by_rank.into_iter().collect();
        ranks.sort_by_key(|(r, _)| *r);
        for (_, group) in ranks {
            let mut counts: Vec<(String, usize, &Section)> = Vec::new();
            for s in &group {
                let sh = shape(&s.marker);
                match counts.iter_mut().find(|(k, _, _)| *k == sh) {
                    Some(e) => e.1 += 1,
                    None => counts.push((sh, 1, s)),
                }
            }
            if counts.len() < 2 {
                continue;
            }
            let best = counts
                .iter()
                .enumerate()
                .max_by_key(|(i, (_, n, _))| (*n, usize::MAX - i))
                .map(|(_, c)| c.clone())
                .unwrap();
            for s in &group {
                if shape(&s.marker) != best.0 && s.form != MarkerForm::Standard {
                    out.push((*s, best.2));
                }
            }
        }
        for s in siblings {
            go(&s.children, out);
        }
    }
    go(&doc.sections, &mut out);
    out
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for &(s, model) in cx.odd_ones() {
        let mut d = Diagnostic::new("N004", s.marker_span)
            .message(
                format!(
                    "同级序号写法不一致：“{}”与同级的“{}”不同",
                    s.marker, model.marker
                ),
                format!(
                    "sibling markers written differently: “{}” differs from its sibling “{}”",
                    s.marker, model.marker
                ),
            )
            .primary_label("写法与同级不同", "differs from its siblings")
            .label(
                model.marker_span,
                "同级序号的写法",
                "how the siblings are written",
            )
            .basis(BASIS);
        if let Some((span, want)) = super::n003_marker_form::standard_marker_fix(s) {
            d = d
                .help(
                    format!("统一写作“{want}”"),
                    format!("write it “{want}” like the standard form"),
                )
                .fix(Fix::replace(
                    span,
                    want.clone(),
                    L10n::new(
                        format!("将“{}”改为“{want}”", cx.source.slice(span).trim_end()),
                        format!(
                            "replace “{}” with “{want}”",
                            cx.source.slice(span).trim_end()
                        ),
                    ),
                ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`shape`] as it was first written: the numerals by ranges and a
    /// string search.
    fn shape_reference(marker: &str) -> String {
        let mut out = String::new();
        for c in marker.chars() {
            let numeral = c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || "一二三四五六七八九十".contains(c)
                || ('\u{2460}'..='\u{2473}').contains(&c);
            if numeral {
                if !out.ends_with('N') {
                    out.push('N');
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn shape_agrees_with_reference() {
        let markers = [
            "一、",
            "（十二）",
            "(3)",
            "12.",
            "１２．",
            "①",
            "⑳",
            "第一",
            "N、",
            "二十一、",
            "(a)",
            "〇、",
            "百、",
            "1)",
            "",
            "N1、",
            "NN",
            "1N2",
            "Ｎ1",
        ];
        for m in markers {
            assert_eq!(shape(m), shape_reference(m), "{m}");
            for n in markers {
                assert_eq!(
                    same_shape(m, n),
                    shape_reference(m) == shape_reference(n),
                    "{m} {n}"
                );
            }
        }
        assert!(same_shape("（一）", "（十二）"));
        assert_eq!(shape("（十二）"), "（N）");
    }
}
