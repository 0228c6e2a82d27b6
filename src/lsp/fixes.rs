//! Choosing fixes that can be applied together: the "fix all" action.
//!
//! Fixes are taken in order of their first edit; a fix is skipped when any
//! of its edits overlaps an edit already taken, or inserts at the same
//! place as one (the order of two insertions there would be a guess). The
//! skipped ones stay as diagnostics and are offered again after the edit.

use crate::diagnostic::Fix;

/// The fixes to apply together, in text order.
pub fn non_overlapping<'a>(fixes: &[&'a Fix]) -> Vec<&'a Fix> {
    let mut order: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    order.sort_by_key(|f| {
        let start = f.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = f.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        (start, end)
    });
    let mut taken: Vec<&Fix> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for f in order {
        // A fix whose own edits overlap is malformed: skip it.
        let mut own: Vec<(usize, usize)> =
            f.edits.iter().map(|e| (e.span.start, e.span.end)).collect();
        own.sort();
        if own.windows(2).any(|w| clash(w[0], w[1])) {
            continue;
        }
        if own.iter().any(|&a| spans.iter().any(|&b| clash(a, b))) {
            continue;
        }
        spans.extend(own);
        taken.push(f);
    }
    taken
}

/// Whether two edits cannot both be applied unambiguously.
fn clash(a: (usize, usize), b: (usize, usize)) -> bool {
    let overlap = a.0 < b.1 && b.0 < a.1;
    let same_insertion_point = a.0 == a.1 && b.0 == b.1 && a.0 == b.0;
    // An insertion strictly inside a replaced range also clashes.
    let inside = (a.0 == a.1 && b.0 < a.0 && a.0 < b.1) || (b.0 == b.1 && a.0 < b.0 && b.0 < a.1);
    overlap || same_insertion_point || inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, L10n};
    use crate::source::Span;

    fn fix(edits: &[(usize, usize)]) -> Fix {
        Fix::safe(
            L10n::new("", ""),
            edits
                .iter()
                .map(|&(s, e)| Edit {
                    span: Span::new(s, e),
                    replacement: "x".into(),
                })
                .collect(),
        )
    }

    #[test]
    fn takes_the_first_of_overlapping_fixes_in_text_order() {
        let a = fix(&[(10, 12)]);
        let b = fix(&[(0, 2), (11, 13)]); // overlaps a
        let c = fix(&[(2, 4)]); // touches b's first edit: fine
        let d = fix(&[(4, 4)]);
        let e = fix(&[(4, 4)]); // same insertion point as d
        let f = fix(&[(20, 25), (22, 22)]); // malformed
        let g = fix(&[]);
        let got = non_overlapping(&[&a, &b, &c, &d, &e, &f, &g]);
        let firsts: Vec<_> = got.iter().map(|f| f.edits[0].span.start).collect();
        assert_eq!(firsts, vec![0, 2, 4]);
    }
}
