//! The typed AST of a report. Every node carries a byte [`Span`] into the
//! source text and the 1-based `line` it starts on. The serialised form is
//! the `document` of `gongwen compile` (DESIGN.md contract): fields may be
//! added, never renamed or removed.

use serde::Serialize;

use crate::source::Span;

/// A whole report, split into the parts of a 公文 (GB/T 9704 7.3).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    /// 发文字号 / 签发人 lines before the title.
    pub doc_number: Option<DocNumber>,
    /// 标题, joined when it is set over several lines.
    pub title: Option<Title>,
    /// 主送机关 (the line that ends with a colon, e.g. 「县委、县政府：」).
    pub addressee: Option<TextNode>,
    /// Paragraphs before the first heading.
    pub preamble: Vec<Paragraph>,
    /// The numbered sections, as a tree.
    pub sections: Vec<Section>,
    /// Closing paragraphs after the body (特此报告。 and the like).
    pub closing: Vec<Paragraph>,
    /// 发文机关署名 and 成文日期 at the end.
    pub signature: Option<Signature>,
    /// 附件说明 lines.
    pub attachments: Vec<TextNode>,
    /// 附注 and 版记 lines after the 成文日期 (GB/T 9704 7.3.6, 8):
    /// 「（此件公开发布）」, 「抄送：……」, 「……2025年1月20日印发」.
    pub trailer: Vec<TextNode>,
}

/// A piece of text with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextNode {
    pub text: String,
    pub span: Span,
    pub line: usize,
}

/// 发文字号 and 签发人.
#[derive(Debug, Clone, Serialize)]
pub struct DocNumber {
    /// The 发文字号 proper (大府〔2023〕16号), if present.
    pub number: Option<TextNode>,
    /// The 签发人 name(s), if present.
    pub signer: Option<TextNode>,
    pub span: Span,
    pub line: usize,
}

/// The title; `lines` has one entry per physical line.
#[derive(Debug, Clone, Serialize)]
pub struct Title {
    /// The title as one string (lines joined without a separator).
    pub text: String,
    pub line: usize,
    pub span: Span,
    pub lines: Vec<TextNode>,
}

/// 发文机关署名 and 成文日期.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// The signing organ's name, as typed.
    pub organ: Option<String>,
    pub organ_span: Option<Span>,
    pub organ_line: Option<usize>,
    pub date: Option<DateNode>,
}

/// A date as written, with its value where it is a real calendar date.
#[derive(Debug, Clone, Serialize)]
pub struct DateNode {
    pub text: String,
    /// `YYYY-MM-DD`, or null when the date does not exist (2月30日).
    pub iso: Option<String>,
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// How it was written.
    pub form: DateForm,
    pub span: Span,
    pub line: usize,
}

/// The ways a date is written. Only `standard` is what GB/T 9704 7.3.5.4
/// prescribes for a 成文日期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateForm {
    /// 2025年1月20日
    Standard,
    /// 2025年01月20日 (zero-padded month or day)
    Padded,
    /// 2025 年 1 月 20 日 (spaces inside)
    Spaced,
    /// 25年1月20日 (abbreviated year)
    ShortYear,
    /// 二〇二五年一月二十日
    Chinese,
    /// 2025.1.20, 2025-01-20, 2025/1/20
    Separated,
    /// Full-width digits (２０２５年１月２０日)
    FullWidthDigits,
}

/// A numbered section: its heading line and everything under it.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Nesting depth in the tree (1 = top).
    pub depth: u8,
    /// The marker's conventional rank: 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`,
    /// 5 `①`, whatever form it was typed in. An unnumbered heading takes the
    /// rank of the level it stands in.
    pub rank: u8,
    /// The marker exactly as typed (`一、`, `(一)`, `1、`); empty when the
    /// heading has no marker.
    pub marker: String,
    /// The ordinal as an integer (一 = 1, 十二 = 12, ③ = 3); 0 when unnumbered.
    pub ordinal: u32,
    /// Which form the marker was typed in.
    pub form: MarkerForm,
    /// The heading text, without marker and without the stop that ends it.
    pub heading: String,
    pub line: usize,
    /// True when body text follows the heading on the same line.
    pub run_in: bool,
    /// The heading line (marker to end of heading text, or of the run-in
    /// text), without surrounding white space.
    pub span: Span,
    pub marker_span: Span,
    /// White space between marker and heading text, if any.
    pub gap: Option<Span>,
    pub heading_span: Span,
    /// The 。/！/？ that ends the heading sentence, if any.
    pub stop: Option<Span>,
    /// Paragraphs of this section (for a run-in heading the first one is the
    /// text after the stop on the heading line).
    pub body: Vec<Paragraph>,
    pub children: Vec<Section>,
}

/// Forms an outline marker is typed in. `standard` is GB/T 9704 7.3.3 /
/// GB/T 15834 B.3; the others are what drafters actually type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerForm {
    /// 一、 （一） 1. （1） ①
    Standard,
    /// Wrong mark after the numeral: 一. 一， 1、 1，
    WrongSeparator,
    /// A numeral followed only by a space: 「一 加强……」
    SpaceSeparator,
    /// Half-width or mixed brackets: (一) （一) (1)
    HalfWidthBracket,
    /// Closing bracket only: 一) 1）
    MissingOpenBracket,
    /// A mark after the closing bracket or circled number: （一）、 （1）. ①、
    ExtraPunctuation,
    /// Full-width digits or a full-width full stop: １. 1．
    FullWidth,
    /// A heading line with no marker at all (a gap in the numbering).
    Unnumbered,
}

/// A body paragraph (one non-blank line).
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
    pub line: usize,
    /// Leading white space of the line, if any.
    pub indent: Option<Span>,
    /// Inline enumeration items (一是…二是…) in order of appearance.
    pub enumerations: Vec<EnumItem>,
}

/// One inline enumeration item marker: `二是`.
#[derive(Debug, Clone, Serialize)]
pub struct EnumItem {
    /// The marker as typed (`二是`).
    pub marker: String,
    pub ordinal: u32,
    pub span: Span,
}

/// One entry of the flat outline (`outline` in `gongwen compile`).
#[derive(Debug, Clone, Serialize)]
pub struct OutlineEntry {
    pub depth: u8,
    pub rank: u8,
    pub marker: String,
    pub ordinal: u32,
    pub heading: String,
    pub line: usize,
}

impl Document {
    /// Every section in document order, depth first.
    pub fn walk(&self) -> Vec<&Section> {
        fn go<'a>(s: &'a [Section], out: &mut Vec<&'a Section>) {
            for x in s {
                out.push(x);
                go(&x.children, out);
            }
        }
        let mut out = Vec::new();
        go(&self.sections, &mut out);
        out
    }

    /// The flat outline: every heading at every level, in document order.
    pub fn outline(&self) -> Vec<OutlineEntry> {
        self.walk()
            .into_iter()
            .map(|s| OutlineEntry {
                depth: s.depth,
                rank: s.rank,
                marker: s.marker.clone(),
                ordinal: s.ordinal,
                heading: s.heading.clone(),
                line: s.line,
            })
            .collect()
    }

    /// Every paragraph in document order: preamble, section bodies, closing.
    pub fn paragraphs(&self) -> Vec<&Paragraph> {
        let mut out: Vec<&Paragraph> = self.preamble.iter().collect();
        for s in self.walk() {
            out.extend(s.body.iter());
        }
        out.extend(self.closing.iter());
        out.sort_by_key(|p| p.span.start);
        out
    }
}

impl Section {
    /// The standard form of this section's marker (`（一）` for `(一)`).
    pub fn canonical_marker(&self) -> Option<String> {
        crate::outline::canonical_marker(self.rank, self.ordinal)
    }

    /// All text of the section and its descendants, in order: headings and
    /// paragraphs joined with newlines. Used for keyword evidence.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        out.push_str(&self.heading);
        out.push('\n');
        for p in &self.body {
            out.push_str(&p.text);
            out.push('\n');
        }
        for c in &self.children {
            c.push_text(out);
        }
    }

    /// The byte range from the heading to the end of the last descendant.
    pub fn extent(&self) -> Span {
        let mut end = self.span.end;
        for p in &self.body {
            end = end.max(p.span.end);
        }
        if let Some(c) = self.children.last() {
            end = end.max(c.extent().end);
        }
        Span::new(self.span.start, end)
    }
}
