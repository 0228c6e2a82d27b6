//! ## What it does
//! Reports a report with no title: the text starts directly with the 主送机关,
//! the opening paragraph or the first part. A title is a short first line
//! (up to three lines, joined) that is not a sentence.
//!
//! ## Why is this bad?
//! The title is a required element of a 公文: it names the issuing organ, the
//! matter and the 文种, and it is how the report is filed, listed and
//! published. Web copies often lose it; so do texts pasted from the body
//! of an e-mail.
//!
//! ## Example
//! ```text
//! 2024年以来，在区委、区政府的坚强领导下……现报告如下：
//! 一、2024年法治政府建设工作落实情况
//! ```
//!
//! ## Use instead
//! ```text
//! ××镇人民政府关于2024年度法治政府建设情况的报告
//!
//! 2024年以来，在区委、区政府的坚强领导下……
//! ```
//!
//! ## Basis
//! 《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条（公文一般由……标题……等组成）；
//! GB/T 9704—2012《党政机关公文格式》7.3.1.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::s007_truncated_text::last_item;
use crate::schema::fill_year;

const BASIS: &str = "《党政机关公文处理工作条例》（中办发〔2012〕14号）第九条；GB/T 9704—2012《党政机关公文格式》7.3.1";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let doc = cx.document;
    if doc.title.is_some() {
        return;
    }
    let first = [
        doc.addressee.as_ref().map(|a| a.span),
        doc.preamble.first().map(|p| p.span),
        doc.sections.first().map(|s| s.span),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|s| s.start);
    let Some(first) = first.or_else(|| last_item(cx).map(|l| l.0)) else {
        return;
    };
    let year = cx.report_year().map(|y| y.year);
    let example = cx
        .schema
        .title
        .as_ref()
        .and_then(|t| t.example.as_deref())
        .map_or_else(
            || ["××关于××年度", &cx.schema.name].concat(),
            |e| fill_year(e, year),
        );
    let first_line = cx.source.line(first.start);
    let text = cx.text();
    // The first clause of the first line (at most 20 characters).
    let mut end = first.start;
    for (n, (i, c)) in text[first.start..first.end].char_indices().enumerate() {
        if n >= 20 || matches!(c, '，' | ',' | '。' | '：' | ':' | '；' | ';' | '\n') {
            break;
        }
        end = first.start + i + c.len_utf8();
    }
    let span = crate::source::Span::new(first.start, end);
    let label = cx.texts(
        || format!("报告从第{first_line}行开始，标题应在其前"),
        || format!("the report starts on line {first_line}; the title belongs before it"),
    );
    let help = cx.texts(
        || ["在正文前加一行标题，由发文机关、事由和文种组成，如“", &example, "”"].concat(),
        || ["add a title line before the text: issuing organ, matter and document type, e.g. 「", &example, "」"].concat(),
    );
    out.push(
        Diagnostic::new("S004", span)
            .message("报告没有标题", "the report has no title")
            .primary_label(label.0, label.1)
            .help(help.0, help.1)
            .basis(BASIS),
    );
}
