//! ## What it does
//! Checks that a part the report has covers the topics its schema requires:
//! for the 法治政府建设年度报告, the part on 不足 must also give their 原因
//! (the regulation's item is 「存在的不足和原因」). A topic counts as covered
//! when any of its evidence words occurs in the part's heading or text
//! (原因、由于、因为、导致、究其……).
//!
//! ## Why is this bad?
//! 「不足和原因」 is one required item with two halves. A list of problems
//! without causes is the most common way the item is half done, and it
//! leaves the reviewer without what the regulation asks for: why the
//! shortcomings arose.
//!
//! ## Example
//! ```text
//! 三、法治政府建设工作存在的问题
//! 1、依法行政的水平有待进一步提高。
//! 2、农村的法治氛围不够浓厚。
//! ```
//!
//! ## Use instead
//! ```text
//! 三、法治政府建设存在的不足和原因
//! 1、依法行政的水平有待进一步提高。究其原因，一是……
//! ```
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）（上一年度推进法治政府
//! 建设存在的不足和原因）.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::schema::with_basis;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let schema = cx.schema;
    for m in cx.matches {
        let (Some(rule), Some(f)) = (schema.section(&m.section), m.found.first()) else {
            continue;
        };
        for id in &m.missing_topics {
            let Some(t) = rule.topics.iter().find(|t| &t.id == id) else {
                continue;
            };
            let words: String = t
                .evidence
                .iter()
                .take(4)
                .map(|w| format!("“{w}”"))
                .collect();
            let mut d = Diagnostic::new("S002", f.heading_span)
                .message(
                    format!("“{}”部分没有写{}", rule.name, t.name),
                    format!("the part “{}” does not state its {}", rule.en(), t.en()),
                )
                .primary_label(
                    format!("此部分（第{}行起）未见{words}等表述", f.line),
                    format!(
                        "no {} (「{}」…) in this part (from line {})",
                        t.en(),
                        t.evidence[0],
                        f.line
                    ),
                )
                .help(
                    t.help
                        .clone()
                        .unwrap_or_else(|| format!("在此部分写明{}", t.name)),
                    t.help_en
                        .clone()
                        .unwrap_or_else(|| format!("state the {} in this part", t.en())),
                );
            d = with_basis(d, rule.basis.clone().or_else(|| schema.basis.clone()));
            if let Some(sev) = t.severity {
                d = d.severity(sev);
            }
            out.push(d);
        }
    }
}
