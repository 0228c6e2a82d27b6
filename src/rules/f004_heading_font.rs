//! ## What it does
//! For Word (.docx) input, checks the typeface of the Chinese text of the
//! title, the outline headings and the body against GB/T 9704: title in
//! 小标宋 (方正小标宋简体), first-level headings (「一、」) in 黑体,
//! second-level (「（一）」) in 楷体 (楷体_GB2312), third and fourth levels
//! (「1.」「（1）」) in 仿宋 (仿宋_GB2312), and body text in 仿宋_GB2312.
//! The font is the one Word shows: direct formatting on the run, else the
//! character style, else the paragraph style and the styles it is based on,
//! else the document defaults. A heading whose font comes from a style that
//! says 黑体 is fine. A level is accepted in the font of its marker's rank
//! or of its nesting depth (「1.」 right under 「一、」 may be 楷体). Fonts
//! that cannot be determined (theme fonts without a Chinese typeface, no
//! font anywhere) are not reported; automatic numbering labels, tables and
//! headings the parser only guessed (without a marker) are not checked;
//! nor are body paragraphs of fewer than ten Chinese characters (dates and
//! sub-titles under the title are often 楷体 on purpose).
//! Each problem is reported once, at its first place, with the number of
//! places.
//!
//! ## Why is this bad?
//! Reviewers send back reports whose headings are not in the prescribed
//! typefaces: the levels of the outline are told apart by the font as much
//! as by the numbers, and a report printed from the file should look like
//! every other 公文.
//!
//! ## Example
//! A heading 「一、主要举措和成效」 set in 宋体, body text in 微软雅黑.
//!
//! ## Use instead
//! Set the heading style 「标题 1」 to 黑体, 「标题 2」 to 楷体_GB2312, body
//! (「正文」) to 仿宋_GB2312, the title to 方正小标宋简体, and apply the
//! styles instead of formatting each paragraph by hand.
//!
//! ## Basis
//! GB/T 9704—2012《党政机关公文格式》7.3.1（标题“一般用2号小标宋体字”）and
//! 7.3.3（正文“一般用3号仿宋体字”；“一般第一层用黑体字、第二层用楷体字、
//! 第三层和第四层用仿宋体字标注”）.

use std::collections::BTreeMap;

use crate::ast::MarkerForm;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::source::Span;
use crate::source::docx::{DocxMap, FontOrigin, FontRef};

const BASIS_TITLE: &str = "GB/T 9704—2012《党政机关公文格式》7.3.1";
/// Body paragraphs with fewer Chinese characters are not judged.
const MIN_BODY_CJK: usize = 10;
const BASIS_BODY: &str = "GB/T 9704—2012《党政机关公文格式》7.3.3";

/// Typeface families that GB/T 9704 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    XiaoBiaoSong,
    Hei,
    Kai,
    FangSong,
    Other,
}

impl Family {
    fn of(name: &str) -> Family {
        let n: String = name
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        if n.contains("小标宋") || n.contains("xiaobiaosong") {
            Family::XiaoBiaoSong
        } else if n.contains("仿宋") || n.contains("fangsong") {
            Family::FangSong
        } else if n.contains("楷") || n.contains("kaiti") {
            Family::Kai
        } else if (n.contains("黑体") || n.contains("simhei") || n.contains("heiti"))
            && !n.contains("雅黑")
            && !n.contains("yahei")
        {
            Family::Hei
        } else {
            Family::Other
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Family::XiaoBiaoSong => "小标宋体（方正小标宋简体）",
            Family::Hei => "黑体",
            Family::Kai => "楷体（楷体_GB2312）",
            Family::FangSong => "仿宋体（仿宋_GB2312）",
            Family::Other => "",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Family::XiaoBiaoSong => "XiaoBiaoSong (方正小标宋简体)",
            Family::Hei => "Hei (黑体, SimHei)",
            Family::Kai => "Kai (楷体_GB2312, KaiTi)",
            Family::FangSong => "FangSong (仿宋_GB2312)",
            Family::Other => "",
        }
    }
}

/// The font of a level of the outline by marker rank or depth.
fn expected(level: u8) -> Option<Family> {
    match level {
        1 => Some(Family::Hei),
        2 => Some(Family::Kai),
        3 | 4 => Some(Family::FangSong),
        _ => None,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// The font most of the Chinese characters in `span` are set in; `None`
/// when there are none, or when most of them have no known font.
fn dominant(map: &DocxMap, text: &str, span: Span) -> Option<FontRef> {
    let mut counts: Vec<(Option<&FontRef>, usize)> = Vec::new();
    for p in map.paragraphs_in(span) {
        if p.in_table {
            continue;
        }
        for run in &p.runs {
            let (s, e) = (run.span.start.max(span.start), run.span.end.min(span.end));
            if s >= e {
                continue;
            }
            let n = text
                .get(s..e)
                .map_or(0, |t| t.chars().filter(|&c| is_cjk(c)).count());
            if n == 0 {
                continue;
            }
            let key = run.east_asia.as_ref();
            match counts
                .iter_mut()
                .find(|(k, _)| k.map(|f| &f.name) == key.map(|f| &f.name))
            {
                Some((_, c)) => *c += n,
                None => counts.push((key, n)),
            }
        }
    }
    let (font, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    font.cloned()
}

/// One kind of problem, collected over the document.
struct Group {
    first: Span,
    what_zh: String,
    what_en: String,
    font: FontRef,
    want: Vec<Family>,
    count: usize,
    basis: &'static str,
}

fn origin_note(cx: &Context, font: &FontRef) -> (String, String) {
    match &font.origin {
        FontOrigin::Direct => (
            "该字体是直接设置在文字上的格式".into(),
            "the font is set directly on the text".into(),
        ),
        FontOrigin::Style(id) => {
            let name = cx
                .source
                .origin
                .docx
                .as_ref()
                .and_then(|m| {
                    m.paragraphs
                        .iter()
                        .find(|p| p.style_id.as_deref() == Some(id))
                        .and_then(|p| p.style_name.clone())
                })
                .unwrap_or_else(|| id.clone());
            (
                format!("该字体来自样式“{name}”"),
                format!("the font comes from the style “{name}”"),
            )
        }
        FontOrigin::Defaults => (
            "该字体来自文档默认字体".into(),
            "the font comes from the document defaults".into(),
        ),
    }
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(map) = cx.source.origin.docx.as_deref() else {
        return;
    };
    let text = cx.text();
    // (kind order, wanted families, actual font name) → group
    let mut groups: BTreeMap<(u8, Vec<Family>, String), Group> = BTreeMap::new();
    let mut note = |order: u8, span: Span, want: Vec<Family>, what: (String, String), basis| {
        let Some(font) = dominant(map, text, span) else {
            return;
        };
        if want.contains(&Family::of(&font.name)) {
            return;
        }
        groups
            .entry((order, want.clone(), font.name.clone()))
            .and_modify(|g| g.count += 1)
            .or_insert(Group {
                first: span,
                what_zh: what.0,
                what_en: what.1,
                font,
                want,
                count: 1,
                basis,
            });
    };
    if let Some(title) = &cx.document.title {
        note(
            0,
            title.span,
            vec![Family::XiaoBiaoSong],
            ("标题".into(), "the title".into()),
            BASIS_TITLE,
        );
    }
    for &s in cx.sections() {
        if s.form == MarkerForm::Unnumbered || s.rank > 4 {
            continue;
        }
        let mut want: Vec<Family> = [expected(s.rank), expected(s.depth)]
            .into_iter()
            .flatten()
            .collect();
        want.dedup();
        if want.is_empty() {
            continue;
        }
        let mut span = s.heading_span;
        if let Some(stop) = s.stop {
            span = span.cover(stop);
        }
        let level = s.rank.min(s.depth.max(1));
        let Some(cn) = ["一", "二", "三", "四"].get((level as usize).wrapping_sub(1)) else {
            continue;
        };
        note(
            level,
            span,
            want,
            (format!("{cn}级标题"), format!("level-{level} heading")),
            BASIS_BODY,
        );
    }
    for &p in cx.paragraphs() {
        // Short lines under the title (dates, sub-titles, notes) are often
        // set in 楷体 on purpose: body text is judged on real paragraphs.
        if p.text.chars().filter(|&c| is_cjk(c)).count() < MIN_BODY_CJK {
            continue;
        }
        note(
            9,
            p.span,
            vec![Family::FangSong],
            ("正文".into(), "body text".into()),
            BASIS_BODY,
        );
    }
    for g in groups.into_values() {
        let want_zh: Vec<&str> = g.want.iter().map(|f| f.zh()).collect();
        let want_en: Vec<&str> = g.want.iter().map(|f| f.en()).collect();
        let shown = excerpt(&text[g.first.range()]);
        let (origin_zh, origin_en) = origin_note(cx, &g.font);
        let where_ = cx
            .source
            .paragraph_position(g.first.start)
            .map_or(0, |p| p.paragraph);
        let mut d = Diagnostic::new("F004", g.first)
            .message(
                format!(
                    "{}“{shown}”使用了“{}”字体，按 GB/T 9704 一般应使用{}",
                    g.what_zh,
                    g.font.name,
                    want_zh.join("或")
                ),
                format!(
                    "{} “{shown}” is set in “{}”; GB/T 9704 expects {}",
                    g.what_en,
                    g.font.name,
                    want_en.join(" or ")
                ),
            )
            .primary_label(
                format!("字体：{}", g.font.name),
                format!("font: {}", g.font.name),
            )
            .help(
                format!(
                    "把{}的字体改为{}（最好修改所用的样式）",
                    g.what_zh,
                    want_zh.join("或")
                ),
                format!(
                    "set {} in {} (preferably by changing the style it uses)",
                    g.what_en,
                    want_en.join(" or ")
                ),
            )
            .note(origin_zh, origin_en)
            .basis(g.basis);
        if g.count > 1 {
            d = d.note(
                format!(
                    "共 {} 处{}使用“{}”，此处（第 {where_} 段）是第一处",
                    g.count, g.what_zh, g.font.name
                ),
                format!(
                    "{} places of {} use “{}”; this (paragraph {where_}) is the first",
                    g.count, g.what_en, g.font.name
                ),
            );
        }
        out.push(d);
    }
}

/// At most 16 characters of `s`, with an ellipsis when cut.
fn excerpt(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s.chars().take(16).collect();
    if s.chars().count() > 16 {
        out.push('…');
    }
    out
}
