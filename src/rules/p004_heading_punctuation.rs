//! ## What it does
//! Finds a heading that stands on its own line and ends with 「。」 or
//! 「，」 (also `,`, `；`), and removes the mark.
//!
//! Only real headings are judged: a numbered line with body text or
//! sub-headings under it, at most 40 characters long. A run-in heading
//! (`（一）加强组织领导。正文……`) needs its 「。」, and a numbered item that is
//! a whole sentence with nothing under it (`1.依法执政……有待进一步加强。`) is
//! a list item, not a heading; both are left alone.
//!
//! ## Why is this bad?
//! GB/T 15834 B.4: the end of a title normally takes no punctuation; a 「。」
//! after a stand-alone heading reads as a sentence and mixes styles when the
//! other headings have none.
//!
//! ## Example
//! ```text
//! （三）全面推进政务公开，打造阳光型政府。
//! 充分保障人民群众对政务的知情权、参与权和监督权。
//! ```
//!
//! ## Use instead
//! ```text
//! （三）全面推进政务公开，打造阳光型政府
//! 充分保障人民群众对政务的知情权、参与权和监督权。
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》B.4（文章标题的末尾通常不用标点符号）.

use crate::ast::MarkerForm;
use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》B.4";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for &s in cx.sections() {
        if s.run_in || s.form == MarkerForm::Unnumbered {
            continue;
        }
        if s.body.is_empty() && s.children.is_empty() {
            continue;
        }
        if s.heading.chars().count() > 40 || s.heading.is_empty() {
            continue;
        }
        // The mark: the sentence stop after the heading, or a clause mark
        // that ends the heading text itself.
        let (span, mark) = match s.stop {
            Some(st) if &text[st.range()] == "。" => (st, "。"),
            Some(_) => continue,
            None => {
                let Some(c) = s.heading.chars().next_back() else {
                    continue;
                };
                if !matches!(c, '，' | ',' | '；' | ';') {
                    continue;
                }
                let end = s.heading_span.end;
                (
                    Span::new(end - c.len_utf8(), end),
                    if c == ',' {
                        ","
                    } else if c == ';' {
                        ";"
                    } else if c == '；' {
                        "；"
                    } else {
                        "，"
                    },
                )
            }
        };
        let (message, fix) = texts(mark);
        out.push(
            Diagnostic::new("P004", span)
                .message(message.0, message.1)
                .primary_label("多余的标点", "superfluous mark")
                .basis(BASIS)
                .fix(Fix::replace(span, "", L10n::new(fix.0, fix.1))),
        );
    }
}

type Texts = ((&'static str, &'static str), (&'static str, &'static str));

macro_rules! texts {
    ($mark:literal) => {
        (
            (
                concat!("单独成行的标题末尾不用“", $mark, "”"),
                concat!(
                    "a heading on its own line takes no “",
                    $mark,
                    "” at the end"
                ),
            ),
            (
                concat!("删除标题末尾的“", $mark, "”"),
                concat!("remove the “", $mark, "” at the end of the heading"),
            ),
        )
    };
}

/// The message and fix texts for the mark at the end of a heading: fixed
/// texts, one per mark.
fn texts(mark: &str) -> Texts {
    match mark {
        "。" => texts!("。"),
        "," => texts!(","),
        ";" => texts!(";"),
        "；" => texts!("；"),
        _ => texts!("，"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed texts say what the formatted ones said.
    #[test]
    fn texts_name_the_mark() {
        for mark in ["。", ",", ";", "；", "，"] {
            let ((zh, en), (fix_zh, fix_en)) = texts(mark);
            assert_eq!(zh, format!("单独成行的标题末尾不用“{mark}”"));
            assert_eq!(
                en,
                format!("a heading on its own line takes no “{mark}” at the end")
            );
            assert_eq!(fix_zh, format!("删除标题末尾的“{mark}”"));
            assert_eq!(
                fix_en,
                format!("remove the “{mark}” at the end of the heading")
            );
        }
    }
}
