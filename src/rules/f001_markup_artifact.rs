//! ## What it does
//! Finds debris of Markdown and HTML left in the text by pasting from web
//! pages, chat tools or AI assistants: bold marks `**2023**`,
//! tags such as `<br>`, `<p>`, `</span>`, and character entities such as
//! `&nbsp;`, `&amp;`, `&#8220;`. The fix removes the marks (and the blanks
//! typed around bold marks next to Chinese text), turns entities into the
//! characters they stand for, and a `<br>` inside a line into a line break
//! (unsafe: it changes the paragraphs).
//!
//! In a `.md` file Markdown bold is the author's markup and is not reported;
//! HTML debris still is.
//!
//! ## Why is this bad?
//! A 公文 is plain text set in fixed fonts; asterisks and tags show up
//! verbatim in the printed report and in the published web version.
//!
//! ## Example
//! ```text
//! **2023**年共开展了**5**次法治讲座&nbsp;
//! ```
//!
//! ## Use instead
//! ```text
//! 2023年共开展了5次法治讲座
//! ```
//!
//! ## Basis
//! GB/T 9704—2012《党政机关公文格式》7.3.3（正文）.

use crate::diagnostic::{Diagnostic, Edit, Fix, L10n, Label};
use crate::rules::Context;
use crate::rules::text::{MarkCursor, inside, is_cjkish, lines};
use crate::source::Span;

const BASIS: &str = "GB/T 9704—2012《党政机关公文格式》7.3.3";

const TAGS: &[&str] = &[
    "br", "p", "div", "span", "strong", "b", "i", "em", "u", "font", "sup", "sub", "table", "tr",
    "td", "th", "tbody", "li", "ul", "ol", "h1", "h2", "h3", "h4", "a", "img", "hr",
];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    // The three bytes the rule looks for, found by the shared mark scan
    // ([`Context::marks`]): most texts hold none of them.
    let marks = cx.marks();
    let star_at: &[usize] = if cx.source.name.to_ascii_lowercase().ends_with(".md") {
        &[]
    } else {
        &marks.stars
    };
    let markup_at = &marks.markup;
    if star_at.is_empty() && markup_at.is_empty() {
        return;
    }
    let links = cx.links();
    let eol = crate::fix::line_ending(text);
    let (mut star_lines, mut markup_lines) = (MarkCursor::new(star_at), MarkCursor::new(markup_at));
    for (_, line) in lines(cx.source) {
        if !star_lines.marks_in(line).is_empty() {
            bold(text, line, links, out);
        }
        for &at in markup_lines.marks_in(line) {
            if !inside(links, at) {
                tag_or_entity(text, line, at, eol, out);
            }
        }
    }
}

#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let markdown = cx.source.name.to_ascii_lowercase().ends_with(".md");
    let links = crate::rules::text::link_spans_reference(text);
    let eol = crate::fix::line_ending(text);
    for (_, line) in lines(cx.source) {
        if !markdown {
            bold(text, line, &links, out);
        }
        tags_and_entities(text, line, &links, eol, out);
    }
}

/// `**x**` / `__x__` pairs on a line: one finding per line.
fn bold(text: &str, line: Span, links: &[Span], out: &mut Vec<Diagnostic>) {
    let s = &text[line.range()];
    let mut marks: Vec<Span> = Vec::new();
    {
        let delim = "**";
        let mut from = 0;
        while let Some(i) = s[from..].find(delim) {
            let at = line.start + from + i;
            let mut end = at + 2;
            // `***` or `****`: take the whole run.
            while text[end..line.end].starts_with(&delim[..1]) {
                end += 1;
            }
            if !inside(links, at) {
                marks.push(Span::new(at, end));
            }
            from = end - line.start;
        }
    }
    if marks.is_empty() {
        return;
    }
    marks.sort();
    let b = text.as_bytes();
    let mut edits = Vec::with_capacity(marks.len());
    for (k, m) in marks.iter().enumerate() {
        // Blanks outside the pair next to Chinese text or digits go too:
        // 「达 **20** 万」 → 「达20万」.
        let opening = k % 2 == 0;
        let (mut start, mut end) = (m.start, m.end);
        if opening {
            let mut s0 = start;
            while s0 > line.start && b[s0 - 1] == b' ' {
                s0 -= 1;
            }
            let before = text[line.start..s0].chars().next_back();
            if s0 < start && before.is_some_and(|c| is_cjkish(c) || c.is_ascii_digit()) {
                start = s0;
            }
        } else {
            let mut e0 = end;
            while e0 < line.end && b[e0] == b' ' {
                e0 += 1;
            }
            let after = text[e0..line.end].chars().next();
            if e0 > end && after.is_some_and(|c| is_cjkish(c) || c.is_ascii_digit()) {
                end = e0;
            }
        }
        edits.push(Edit {
            span: Span::new(start, end),
            replacement: "".into(),
        });
    }
    let first = marks[0];
    let words: Vec<String> = marks
        .chunks(2)
        .filter(|p| p.len() == 2)
        .take(3)
        .map(|p| format!("“{}”", &text[p[0].end..p[1].start]))
        .collect();
    // Pairs of marks (a lone one counts as one).
    let n = marks.len().div_ceil(2);
    let mut d = Diagnostic::new("F001", first)
        .message(
            format!(
                "文中残留 Markdown 加粗符号“**”（本行 {n} 处加粗，如 {}）",
                words.join("")
            ),
            format!(
                "Markdown bold marks “**” left in the text ({n} bold pairs on this line, e.g. {})",
                words.join("")
            ),
        )
        .primary_label("格式符号残留", "markup debris")
        .help(
            "删除加粗符号；公文正文不用加粗",
            "remove the marks; a 公文 body is not set in bold",
        )
        .basis(BASIS);
    for m in marks.iter().skip(1).take(5) {
        d.labels.push(Label {
            span: *m,
            message: None,
        });
    }
    out.push(d.fix(Fix::safe(
        L10n::new("删除加粗符号", "remove the bold marks"),
        edits,
    )));
}

fn entity(name: &str) -> Option<String> {
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => String::new(),
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "ldquo" => "“".into(),
        "rdquo" => "”".into(),
        "lsquo" => "‘".into(),
        "rsquo" => "’".into(),
        "mdash" => "—".into(),
        "hellip" => "…".into(),
        "middot" => "·".into(),
        _ => {
            let n = name.strip_prefix('#')?;
            let v = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            let c = char::from_u32(v)?;
            if c == '\u{a0}' || c == '\u{3000}' {
                String::new()
            } else {
                c.to_string()
            }
        }
    })
}

/// The reference scanner: every character of the line.
#[cfg(test)]
fn tags_and_entities(
    text: &str,
    line: Span,
    links: &[Span],
    eol: &'static str,
    out: &mut Vec<Diagnostic>,
) {
    let s = &text[line.range()];
    for (i, _) in s.char_indices() {
        let at = line.start + i;
        if inside(links, at) {
            continue;
        }
        tag_or_entity(text, line, at, eol, out);
    }
}

/// A character entity at `&` or a tag at `<` (byte `at` of `line`).
fn tag_or_entity(text: &str, line: Span, at: usize, eol: &'static str, out: &mut Vec<Diagnostic>) {
    let s = &text[line.range()];
    let i = at - line.start;
    let c = s.as_bytes()[i];
    if c == b'&' {
        let rest = &s[i + 1..];
        let Some(semi) = rest.find(';') else { return };
        let name = &rest[..semi];
        if name.is_empty()
            || name.len() > 8
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
        {
            return;
        }
        let Some(mut rep) = entity(name) else {
            return;
        };
        let span = Span::new(at, at + 1 + semi + 1);
        let blank = rep.is_empty();
        // A no-break space between Latin words stays a space.
        if blank {
            let l = text[line.start..at].chars().next_back();
            let r = text[span.end..line.end].chars().next();
            if l.is_some_and(|c| c.is_ascii_alphanumeric())
                && r.is_some_and(|c| c.is_ascii_alphanumeric())
            {
                rep = " ".into();
            }
        }
        let shown = &text[span.range()];
        out.push(
            Diagnostic::new("F001", span)
                .message(
                    format!("文中残留 HTML 字符实体“{shown}”"),
                    format!("HTML character entity “{shown}” left in the text"),
                )
                .primary_label("网页代码残留", "web page debris")
                .basis(BASIS)
                .fix(Fix::replace(
                    span,
                    rep.clone(),
                    if rep.trim().is_empty() {
                        L10n::new(format!("删除“{shown}”"), format!("remove “{shown}”"))
                    } else {
                        L10n::new(
                            format!("将“{shown}”改为“{rep}”"),
                            format!("replace “{shown}” with “{rep}”"),
                        )
                    },
                )),
        );
    } else if c == b'<' {
        let rest = &s[i + 1..];
        let Some(close) = rest.find('>') else {
            return;
        };
        let inner = &rest[..close];
        let body = inner.trim_start_matches('/').trim_end_matches('/').trim();
        let tag = body
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !TAGS.contains(&tag.as_str()) || !inner.is_ascii() && !body.contains('=') {
            return;
        }
        let span = Span::new(at, at + 1 + close + 1);
        let shown = &text[span.range()];
        let at_edge =
            text[line.start..at].trim().is_empty() || text[span.end..line.end].trim().is_empty();
        let fix = if tag == "br" && !at_edge {
            Fix::unsafe_(
                L10n::new(
                    format!("将“{shown}”改为换行"),
                    format!("replace “{shown}” with a line break"),
                ),
                vec![Edit {
                    span,
                    replacement: eol.into(),
                }],
            )
        } else {
            Fix::replace(
                span,
                "",
                L10n::new(format!("删除“{shown}”"), format!("remove “{shown}”")),
            )
        };
        out.push(
            Diagnostic::new("F001", span)
                .message(
                    format!("文中残留 HTML 标记“{shown}”"),
                    format!("HTML tag “{shown}” left in the text"),
                )
                .primary_label("网页代码残留", "web page debris")
                .basis(BASIS)
                .fix(fix),
        );
    }
}
