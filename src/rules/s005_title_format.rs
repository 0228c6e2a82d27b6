//! ## What it does
//! Checks the title against the schema's title pattern. For the
//! 法治政府建设年度报告: the title names the year reported on (2024年 /
//! 2024年度), ends with the 文种 「报告」, and says 「法治政府建设」 (not
//! 「法制政府建设」, not only 「法治建设」). Traditional characters count as
//! their Simplified forms. One finding per problem.
//!
//! ## Why is this bad?
//! A title is made of the issuing organ, the matter and the 文种. Without the
//! year the report cannot be told from last year's; without 「报告」 it is not
//! the 文种 the regulation asks for (a 报告 is the 上行文 for reporting work);
//! and a title that does not say 法治政府建设 is not filed or found as one.
//!
//! ## Example
//! ```text
//! 关于法治建设工作情况
//! ```
//!
//! ## Use instead
//! ```text
//! ××镇人民政府关于2024年度法治政府建设情况的报告
//! ```
//!
//! ## Basis
//! 《党政机关公文处理工作条例》（中办发〔2012〕14号）（标题由发文机关名称、事由和文种组成；
//! 报告适用于向上级机关汇报工作）; GB/T 9704—2012 7.3.1; 《法治政府建设与责任落实督察工作规定》
//! （厅字〔2019〕28号）.

use std::cell::RefCell;

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::schema::fill_year;
use crate::schema::normalize::{Norm, find_fuzzy, norm, years};
use crate::source::Span;

/// The words of the schema's title rule ([`norm`]ed once per thread, not
/// for every report): `f` of the normalised `word`.
fn with_norm<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        /// (word, its normalised form); a schema names a handful.
        static NORMS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    }
    NORMS.with(|cell| {
        let mut norms = cell.borrow_mut();
        let k = match norms.iter().position(|(w, _)| w == word) {
            Some(k) => k,
            None => {
                // Schemas of a configuration are few; a runaway list is
                // started afresh.
                if norms.len() >= 64 {
                    norms.clear();
                }
                norms.push((word.to_string(), norm(word)));
                norms.len() - 1
            }
        };
        f(&norms[k].1)
    })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let (Some(title), Some(rule)) = (&cx.document.title, &cx.schema.title) else {
        return;
    };
    let year = cx.report_year().map(|y| y.year);
    // The example and the basis only for a finding: most titles are fine.
    let example = || fill_year(rule.example.as_deref().unwrap_or(""), year);
    let first = out.len();
    let t = norm(&title.text);
    let span = title.span;
    if rule.year && years(&t).is_empty() {
        let example = example();
        out.push(
            Diagnostic::new("S005", span)
                .message("标题中没有年份", "the title does not name the year")
                .primary_label("未写明报告的年度", "no year here")
                .help(
                    format!("在标题中写明所报告的年度（如“2024年度”）：{example}"),
                    format!("name the year reported on (e.g. 2024年度): 「{example}」"),
                ),
        );
    }
    if !rule.doc_types.is_empty() {
        // Ignore a trailing bracketed note and punctuation.
        let mut core = t.trim_end_matches(['。', '．', '.', '！', '？', '：']);
        if core.ends_with('）')
            && let Some(i) = core.rfind('（')
        {
            core = &core[..i];
        }
        if !rule
            .doc_types
            .iter()
            .any(|d| with_norm(d, |d| core.ends_with(d)))
        {
            let types = rule
                .doc_types
                .iter()
                .map(|d| format!("“{d}”"))
                .collect::<Vec<_>>()
                .join("或");
            let example = example();
            let last = title.lines.last().map_or(span, |l| l.span);
            let end = Span::new(
                last.end
                    - cx.text()[last.range()]
                        .chars()
                        .last()
                        .map_or(0, char::len_utf8),
                last.end,
            );
            out.push(
                Diagnostic::new("S005", end)
                    .message(
                        format!("标题没有以文种{types}结尾"),
                        format!("the title does not end with the document type {}", rule.doc_types.join(" / ")),
                    )
                    .primary_label(format!("此处应为文种{types}"), "the document type belongs here")
                    .help(
                        format!("以文种结尾，如“……情况的报告”：{example}"),
                        format!("end the title with the document type, e.g. 「……情况的报告」: 「{example}」"),
                    )
            );
        }
    }
    for word in &rule.must_contain {
        if with_norm(word, |w| t.contains(w)) {
            continue;
        }
        let w = norm(word);
        // Find the slip in the title's own lines so the label has a place.
        let slip = title.lines.iter().find_map(|l| {
            let n = Norm::new(&l.text, l.span.start);
            find_fuzzy(&n.text, &w).map(|(a, b, _)| (n.span(a, b), n.text[a..b].to_string()))
        });
        let d = match slip {
            Some((sp, written)) => Diagnostic::new("S005", sp)
                .message(
                    format!("标题写作“{written}”，应为“{word}”"),
                    format!("the title says 「{written}」; it should say 「{word}」"),
                )
                .primary_label(format!("应为“{word}”"), format!("should be 「{word}」"))
                .help(format!("改为“{word}”"), format!("write 「{word}」")),
            None => {
                let example = example();
                Diagnostic::new("S005", span)
                    .message(
                        format!("标题中没有“{word}”"),
                        format!("the title does not contain 「{word}」"),
                    )
                    .primary_label(format!("未写明“{word}”"), format!("no 「{word}」 here"))
                    .help(
                        format!("标题应写明报告事项“{word}”：{example}"),
                        format!("the title should name the matter 「{word}」: 「{example}」"),
                    )
            }
        };
        // A title of another built-in report type: say which schema fits.
        let other = crate::schema::BUILTIN
            .iter()
            .filter(|(id, _)| *id != cx.schema.id)
            .filter_map(|(id, _)| crate::schema::builtin(id))
            .find(|b| {
                b.title.as_ref().is_some_and(|r| {
                    !r.must_contain.is_empty()
                        && r.must_contain.iter().all(|w| t.contains(&norm(w)))
                })
            });
        let d = match other {
            Some(b) => d.note(
                format!("标题像是“{}”，可用 --schema {} 检查", b.name, b.id),
                format!(
                    "the title looks like a {}: check it with --schema {}",
                    b.display_name(crate::diagnostic::Lang::En),
                    b.id
                ),
            ),
            None => d,
        };
        out.push(d);
    }
    if out.len() > first
        && let Some(b) = rule.basis.clone().or_else(|| cx.schema.basis.clone())
    {
        for d in &mut out[first..] {
            d.basis = Some(b.clone().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached forms are the [`norm`] of the word, the first time and
    /// after, for every word of the built-in title rules.
    #[test]
    fn cached_norms_are_norms() {
        let mut words = 0;
        for (id, _) in crate::schema::BUILTIN {
            let Some(title) = crate::schema::builtin(id).and_then(|b| b.title.as_ref()) else {
                continue;
            };
            for w in title.doc_types.iter().chain(&title.must_contain) {
                for _ in 0..2 {
                    assert_eq!(with_norm(w, str::to_string), norm(w), "{w}");
                }
                words += 1;
            }
        }
        assert!(words > 0);
        for w in ["報告", "（情况）", " 述 职 ", "ＡＢＣ"] {
            assert_eq!(with_norm(w, str::to_string), norm(w), "{w}");
        }
    }
}
