//! Lowering: pest line pairs → [`Document`].
//!
//! The grammar says what each line looks like; this module decides what it
//! is by where it stands: 发文字号 and title at the top, 主送机关 after the
//! title, preamble up to the first heading, sections as a tree by rank, and
//! 署名 / 成文日期 / 特此报告 / 附件 at the end.

use pest::Parser;
use pest::iterators::Pair;

use super::parser::{OutlineParser, Rule};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::outline::{circled_value, parse_ar_ordinal, parse_cn_ordinal};
use crate::source::{Source, Span};

/// The result of parsing: a document always, plus diagnostics for input that
/// is truly wrong (empty).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the grammar made of one physical line.
#[derive(Debug, Clone)]
struct Line {
    /// 1-based line number.
    no: usize,
    /// Content without leading/trailing white space (empty for a blank line).
    span: Span,
    indent: Option<Span>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Blank,
    Heading(Box<HeadingParts>),
    Date(Box<DateNode>),
    DocNumber {
        number: Option<Span>,
        signer: Option<Span>,
    },
    Attachment,
    Closing,
    Addressee,
    Text,
}

#[derive(Debug, Clone)]
struct HeadingParts {
    rank: u8,
    ordinal: u32,
    form: MarkerForm,
    marker_span: Span,
    gap: Option<Span>,
    heading_span: Span,
    stop: Option<Span>,
    run_in: Option<Span>,
}

/// Characters that count as white space around line content.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{a0}' | '\u{feff}' | '\u{200b}' | '\u{2002}' | '\u{2003}'
    )
}

/// Shrink a span so it has no white space at either end.
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let lead = s.len() - s.trim_start_matches(is_ws).len();
    let body = s.trim_matches(is_ws);
    Span::new(span.start + lead, span.start + lead + body.len())
}

/// Parse a source into a document. Never fails.
pub fn parse(source: &Source) -> Parsed {
    let text = source.text.as_str();
    let lines = classify_lines(source);
    let mut diagnostics = Vec::new();
    if lines.iter().all(|l| matches!(l.kind, Kind::Blank)) {
        let d = if text.is_empty() {
            Diagnostic::new("E002", Span::empty(0)).message(
                "文件为空，没有可检查的内容",
                "the file is empty: nothing to check",
            )
        } else {
            Diagnostic::new("E002", Span::new(0, text.len())).message(
                "文件只有空白，没有可检查的内容",
                "the file holds only white space: nothing to check",
            )
        }
        .help(
            "请确认选择了正确的文件；报告应包含标题、正文和落款",
            "check that this is the right file: a report has a title, a body and a signature",
        );
        diagnostics.push(d);
    }
    let document = assemble(text, &lines);
    Parsed {
        document,
        diagnostics,
    }
}

// ------------------------------------------------------------- line level --

fn classify_lines(source: &Source) -> Vec<Line> {
    let text = source.text.as_str();
    match OutlineParser::parse(Rule::document, text) {
        Ok(mut pairs) => {
            let doc = pairs.next().expect("document pair");
            doc.into_inner()
                .filter(|p| p.as_rule() == Rule::line)
                .map(|p| lower_line(text, source, p))
                .collect()
        }
        // The grammar matches every input; should it ever fail, every line is
        // a plain paragraph rather than an error.
        Err(_) => (0..source.index.line_count())
            .map(|i| {
                let start = source.index.line_start(i);
                let end = source.index.content_end(text, i);
                let span = trim(text, Span::new(start, end));
                Line {
                    no: i + 1,
                    span,
                    indent: None,
                    kind: if span.is_empty() {
                        Kind::Blank
                    } else {
                        Kind::Text
                    },
                }
            })
            .collect(),
    }
}

fn lower_line(text: &str, source: &Source, pair: Pair<'_, Rule>) -> Line {
    let whole: Span = pair.as_span().into();
    let no = source.line(whole.start);
    let mut indent = None;
    let mut kind = Kind::Blank;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::indent => {
                let s: Span = inner.as_span().into();
                if !s.is_empty() {
                    indent = Some(s);
                }
            }
            Rule::heading => kind = Kind::Heading(Box::new(lower_heading(text, inner))),
            Rule::date_line => {
                let d = inner.into_inner().next().expect("date");
                kind = match lower_date(text, d, no) {
                    Some(d) => Kind::Date(Box::new(d)),
                    None => Kind::Text,
                };
            }
            Rule::doc_number_line => {
                let mut number = None;
                let mut signer = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::doc_number => number = Some(p.as_span().into()),
                        Rule::signer => {
                            signer = p
                                .into_inner()
                                .find(|q| q.as_rule() == Rule::signer_name)
                                .map(|q| trim(text, q.as_span().into()))
                        }
                        _ => {}
                    }
                }
                kind = Kind::DocNumber { number, signer };
            }
            Rule::attachment_line => kind = Kind::Attachment,
            Rule::closing_line => kind = Kind::Closing,
            Rule::addressee => kind = Kind::Addressee,
            Rule::text => kind = Kind::Text,
            _ => {}
        }
    }
    let span = trim(text, whole);
    if span.is_empty() {
        kind = Kind::Blank;
    }
    Line {
        no,
        span,
        indent,
        kind,
    }
}

fn lower_heading(text: &str, pair: Pair<'_, Rule>) -> HeadingParts {
    let mut h = HeadingParts {
        rank: 0,
        ordinal: 0,
        form: MarkerForm::Standard,
        marker_span: Span::default(),
        gap: None,
        heading_span: Span::default(),
        stop: None,
        run_in: None,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::marker => {
                h.marker_span = p.as_span().into();
                let rank_pair = p.into_inner().next().expect("rank");
                lower_marker(&mut h, rank_pair);
            }
            Rule::gap => h.gap = Some(p.as_span().into()),
            Rule::heading_text => h.heading_span = trim(text, p.as_span().into()),
            Rule::stop => h.stop = Some(p.as_span().into()),
            Rule::run_in_text => {
                let s = trim(text, p.as_span().into());
                if !s.is_empty() {
                    h.run_in = Some(s);
                }
            }
            _ => {}
        }
    }
    // A marker followed only by white space (「一 」) with no text is not a
    // gap but trailing space.
    if h.heading_span.is_empty() {
        h.heading_span = Span::empty(h.gap.map_or(h.marker_span.end, |g| g.end));
    }
    h
}

fn lower_marker(h: &mut HeadingParts, rank: Pair<'_, Rule>) {
    let r = rank.as_rule();
    h.rank = match r {
        Rule::rank1 => 1,
        Rule::rank2 => 2,
        Rule::rank3 => 3,
        Rule::rank4 => 4,
        _ => 5,
    };
    let mut open = None;
    let mut close = None;
    let mut sep = None;
    let mut extra = None;
    let mut full_width_digits = false;
    for p in rank.into_inner() {
        let s = p.as_str();
        match p.as_rule() {
            Rule::cn_ordinal => h.ordinal = parse_cn_ordinal(s).unwrap_or(0),
            Rule::ar_ordinal => {
                h.ordinal = parse_ar_ordinal(s).unwrap_or(0);
                full_width_digits = s.chars().any(|c| !c.is_ascii_digit());
            }
            Rule::circled => h.ordinal = s.chars().next().and_then(circled_value).unwrap_or(0),
            Rule::open_paren => open = Some(s),
            Rule::close_paren => close = Some(s),
            Rule::rank1_sep | Rule::rank3_sep => sep = Some(s),
            Rule::extra_punct => extra = Some(s),
            _ => {}
        }
    }
    h.form = match r {
        Rule::rank1 => match sep {
            Some("、") => MarkerForm::Standard,
            Some(_) => MarkerForm::WrongSeparator,
            None => MarkerForm::SpaceSeparator,
        },
        Rule::rank3 => match sep {
            _ if full_width_digits => MarkerForm::FullWidth,
            Some(".") => MarkerForm::Standard,
            Some("．") => MarkerForm::FullWidth,
            _ => MarkerForm::WrongSeparator,
        },
        Rule::rank2 | Rule::rank4 => {
            if open.is_none() {
                MarkerForm::MissingOpenBracket
            } else if open != Some("（") || close != Some("）") {
                MarkerForm::HalfWidthBracket
            } else if extra.is_some() {
                MarkerForm::ExtraPunctuation
            } else if full_width_digits {
                MarkerForm::FullWidth
            } else {
                MarkerForm::Standard
            }
        }
        _ => {
            if extra.is_some() {
                MarkerForm::ExtraPunctuation
            } else {
                MarkerForm::Standard
            }
        }
    };
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '零' | '○' | 'О' | 'Ｏ' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|i| i as u32 + 1),
    }
}

fn digits_value(s: &str) -> u32 {
    s.chars().filter_map(digit_value).fold(0, |n, d| n * 10 + d)
}

/// 一 … 三十一 as a number.
fn cn_small(s: &str) -> u32 {
    parse_cn_ordinal(s).unwrap_or(0)
}

fn lower_date(text: &str, pair: Pair<'_, Rule>, line: usize) -> Option<DateNode> {
    let span: Span = pair.as_span().into();
    let raw = &text[span.range()];
    let inner = pair.into_inner().next()?;
    let form_rule = inner.as_rule();
    let (mut year_s, mut month_s, mut day_s) = ("", "", "");
    for p in inner.into_inner() {
        match p.as_rule() {
            Rule::year | Rule::cn_year => year_s = p.as_str(),
            Rule::month | Rule::cn_month => month_s = p.as_str(),
            Rule::day | Rule::cn_day => day_s = p.as_str(),
            _ => {}
        }
    }
    let (year, month, day) = if form_rule == Rule::date_chinese {
        (
            digits_value(year_s) as i32,
            cn_small(month_s),
            cn_small(day_s),
        )
    } else {
        let mut y = digits_value(year_s) as i32;
        if year_s.chars().count() == 2 {
            y += 2000;
        }
        (y, digits_value(month_s), digits_value(day_s))
    };
    let full_width = raw.chars().any(|c| ('０'..='９').contains(&c));
    let form = match form_rule {
        Rule::date_chinese => DateForm::Chinese,
        Rule::date_separated => DateForm::Separated,
        _ if full_width => DateForm::FullWidthDigits,
        _ if year_s.chars().count() == 2 => DateForm::ShortYear,
        _ if raw.chars().any(is_ws) => DateForm::Spaced,
        _ if month_s.starts_with('0') || day_s.starts_with('0') => DateForm::Padded,
        _ => DateForm::Standard,
    };
    Some(DateNode {
        text: raw.to_string(),
        iso: iso_date(year, month, day),
        year,
        month,
        day,
        form,
        span,
        line,
    })
}

/// `YYYY-MM-DD` when the date exists in the Gregorian calendar.
pub fn iso_date(year: i32, month: u32, day: u32) -> Option<String> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (day >= 1 && day <= days && year > 0).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

// --------------------------------------------------------- document level --

const SENTENCE_PUNCT: &[char] = &[
    '。', '，', '；', '：', '！', '？', ',', ';', ':', '!', '?', '、',
];

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A line that can be (part of) a title: short, Chinese, not a sentence.
fn title_like(text: &str, l: &Line) -> bool {
    if !matches!(l.kind, Kind::Text) {
        return false;
    }
    let s = &text[l.span.range()];
    let n = s.chars().count();
    (2..=60).contains(&n)
        && has_cjk(s)
        && !s.ends_with(SENTENCE_PUNCT)
        && !s.contains(['。', '；', ';', '！', '？'])
}

/// A line that can be a 发文机关署名: short, no clause punctuation.
fn organ_like(text: &str, l: &Line) -> bool {
    if !matches!(l.kind, Kind::Text) {
        return false;
    }
    let s = &text[l.span.range()];
    let n = s.chars().count();
    (2..=40).contains(&n) && has_cjk(s) && !s.contains(SENTENCE_PUNCT)
}

/// Organ names end like this (used when a 署名 stands without a date).
const ORGAN_SUFFIXES: &[&str] = &[
    "人民政府",
    "政府",
    "委员会",
    "办公室",
    "党委",
    "党组",
    "办事处",
    "街道",
    "局",
    "委",
    "厅",
    "院",
    "中心",
    "小组",
    "镇",
    "乡",
    "办",
];

/// Openers of a closing paragraph after the last section.
const CLOSING_OPENERS: &[&str] = &[
    "特此报告",
    "专此报告",
    "以上报告",
    "在新时代",
    "在新的一年",
    "新的一年",
    "新征程上",
    "站在新的起点",
    "总之",
    "综上",
];

fn node(text: &str, l: &Line) -> TextNode {
    TextNode {
        text: text[l.span.range()].to_string(),
        span: l.span,
        line: l.no,
    }
}

fn span_node(text: &str, span: Span, line: usize) -> TextNode {
    TextNode {
        text: text[span.range()].to_string(),
        span,
        line,
    }
}

fn next_nonblank(lines: &[Line], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| !matches!(lines[i].kind, Kind::Blank))
}

fn prev_nonblank(lines: &[Line], from: usize, to: usize) -> Option<usize> {
    (from..to)
        .rev()
        .find(|&i| !matches!(lines[i].kind, Kind::Blank))
}

fn assemble(text: &str, lines: &[Line]) -> Document {
    let mut doc = Document::default();
    let n = lines.len();

    // ---- head: 发文字号, title, 主送机关
    let mut i = next_nonblank(lines, 0, n).unwrap_or(n);
    while i < n {
        if let Kind::DocNumber { number, signer } = &lines[i].kind {
            let l = &lines[i];
            let dn = doc.doc_number.get_or_insert(DocNumber {
                number: None,
                signer: None,
                span: l.span,
                line: l.no,
            });
            dn.span = dn.span.cover(l.span);
            if let Some(s) = number {
                dn.number = Some(span_node(text, *s, l.no));
            }
            if let Some(s) = signer {
                dn.signer = Some(span_node(text, *s, l.no));
            }
            i = next_nonblank(lines, i + 1, n).unwrap_or(n);
        } else {
            break;
        }
    }
    let mut title_lines = Vec::new();
    let mut j = i;
    while j < n && title_lines.len() < 3 && title_like(text, &lines[j]) {
        // A title line is followed by more text; a lone short line at the end
        // of the input is not a title of anything.
        title_lines.push(node(text, &lines[j]));
        j += 1;
    }
    if !title_lines.is_empty() && next_nonblank(lines, j, n).is_some() {
        let span = title_lines[0].span.cover(title_lines.last().unwrap().span);
        doc.title = Some(Title {
            text: title_lines.iter().map(|t| t.text.as_str()).collect(),
            line: title_lines[0].line,
            span,
            lines: title_lines,
        });
        i = next_nonblank(lines, j, n).unwrap_or(n);
    }
    if i < n && matches!(lines[i].kind, Kind::Addressee) {
        let s = &text[lines[i].span.range()];
        if !s.contains("如下") && !s.contains("报告") {
            doc.addressee = Some(node(text, &lines[i]));
            i += 1;
        }
    }
    let body_start = i;

    // ---- tail: 附注 / 版记 after the date, then 成文日期, 署名, 特此报告
    // (searched backwards)
    let mut end = n;
    let mut trailer = Vec::new();
    while let Some(k) = (body_start..end)
        .rev()
        .find(|&k| !matches!(lines[k].kind, Kind::Blank | Kind::Attachment))
        .filter(|&k| trailer_like(text, &lines[k]))
    {
        trailer.push(k);
        end = k;
    }
    // They are a trailer only when the 成文日期 stands right before them.
    let date_before = (body_start..end)
        .rev()
        .find(|&k| !matches!(lines[k].kind, Kind::Blank | Kind::Attachment))
        .is_some_and(|k| matches!(lines[k].kind, Kind::Date(_)));
    if !date_before {
        trailer.clear();
        end = n;
    }
    trailer.reverse();
    doc.trailer = trailer.iter().map(|&k| node(text, &lines[k])).collect();
    let mut tail_start = end;
    let last = (body_start..end)
        .rev()
        .find(|&k| !matches!(lines[k].kind, Kind::Blank | Kind::Attachment));
    if let Some(k) = last {
        if let Kind::Date(d) = &lines[k].kind {
            let mut sig = Signature {
                organ: None,
                organ_span: None,
                organ_line: None,
                date: Some((**d).clone()),
            };
            tail_start = k;
            if let Some(o) = prev_nonblank(lines, body_start, k)
                && organ_like(text, &lines[o])
            {
                {
                    sig.organ = Some(text[lines[o].span.range()].to_string());
                    sig.organ_span = Some(lines[o].span);
                    sig.organ_line = Some(lines[o].no);
                    tail_start = o;
                }
            }
            doc.signature = Some(sig);
        } else if organ_like(text, &lines[k]) && k > body_start {
            let s = &text[lines[k].span.range()];
            if ORGAN_SUFFIXES.iter().any(|x| s.ends_with(x)) && s.chars().count() <= 30 {
                doc.signature = Some(Signature {
                    organ: Some(s.to_string()),
                    organ_span: Some(lines[k].span),
                    organ_line: Some(lines[k].no),
                    date: None,
                });
                tail_start = k;
            }
        }
    }
    // Closing paragraphs: 特此报告 and customary closing openers right before
    // the signature (or the end).
    let mut closing_start = tail_start;
    let mut probe = prev_nonblank(lines, body_start, tail_start);
    let mut taken = 0;
    while let Some(k) = probe {
        let l = &lines[k];
        let s = &text[l.span.range()];
        // 附件说明 may stand between 特此报告 and the 署名.
        if matches!(l.kind, Kind::Attachment) {
            probe = prev_nonblank(lines, body_start, k);
            continue;
        }
        let closes = matches!(l.kind, Kind::Closing)
            || (matches!(l.kind, Kind::Text) && CLOSING_OPENERS.iter().any(|o| s.starts_with(o)));
        if !closes || taken >= 2 {
            break;
        }
        closing_start = k;
        taken += 1;
        probe = prev_nonblank(lines, body_start, k);
    }

    // ---- body: preamble and sections
    let mut stack: Vec<Section> = Vec::new();
    let mut seen_heading = false;
    for k in body_start..closing_start {
        let l = &lines[k];
        match &l.kind {
            Kind::Blank => {}
            Kind::Attachment => doc.attachments.push(node(text, l)),
            Kind::Heading(h) => {
                seen_heading = true;
                let sec = section_from(text, l, h);
                push_section(&mut doc.sections, &mut stack, sec);
            }
            _ if seen_heading
                && unnumbered_heading(text, lines, k, closing_start, &doc, &stack) =>
            {
                let sec = Section {
                    depth: 0,
                    rank: 1,
                    marker: String::new(),
                    ordinal: 0,
                    form: MarkerForm::Unnumbered,
                    heading: text[l.span.range()].to_string(),
                    line: l.no,
                    run_in: false,
                    span: l.span,
                    marker_span: Span::empty(l.span.start),
                    gap: None,
                    heading_span: l.span,
                    stop: None,
                    body: Vec::new(),
                    children: Vec::new(),
                };
                push_section(&mut doc.sections, &mut stack, sec);
            }
            _ => {
                let p = paragraph(text, l.span, l.no, l.indent);
                match stack.last_mut() {
                    Some(top) => top.body.push(p),
                    None => doc.preamble.push(p),
                }
            }
        }
    }
    close_all(&mut doc.sections, &mut stack);
    for l in &lines[closing_start..tail_start] {
        match l.kind {
            Kind::Blank => {}
            Kind::Attachment => doc.attachments.push(node(text, l)),
            _ => doc.closing.push(paragraph(text, l.span, l.no, l.indent)),
        }
    }
    for l in &lines[tail_start..] {
        if matches!(l.kind, Kind::Attachment) {
            doc.attachments.push(node(text, l));
        }
    }
    doc
}

/// A line of 附注 or 版记 that may follow the 成文日期: a note wholly in
/// brackets (（此件公开发布）), 抄送 / 抄报 / 分送 lines, and the 印发 line.
fn trailer_like(text: &str, l: &Line) -> bool {
    if !matches!(l.kind, Kind::Text | Kind::Addressee) {
        return false;
    }
    let s = &text[l.span.range()];
    let bracketed =
        (s.starts_with('（') && s.ends_with('）')) || (s.starts_with('(') && s.ends_with(')'));
    let copy = ["抄送", "抄报", "分送"].iter().any(|p| {
        s.strip_prefix(p)
            .is_some_and(|r| r.trim_start_matches(is_ws).starts_with(['：', ':']))
    });
    let printed = s.ends_with("印发") && s.chars().any(|c| c.is_ascii_digit());
    s.chars().count() <= 80 && (bracketed || copy || printed)
}

/// A short line without any punctuation, standing where a numbered heading
/// was expected: after a top-level section and right before a second-level
/// heading (「一、基本情况 … 主要工作 / (一)……」). Readers see a heading;
/// the numbering rules report its missing ordinal.
fn unnumbered_heading(
    text: &str,
    lines: &[Line],
    k: usize,
    end: usize,
    doc: &Document,
    stack: &[Section],
) -> bool {
    let l = &lines[k];
    if !matches!(l.kind, Kind::Text) {
        return false;
    }
    let s = &text[l.span.range()];
    let n = s.chars().count();
    if !(2..=20).contains(&n)
        || !has_cjk(s)
        || s.contains(SENTENCE_PUNCT)
        || s.contains(['.', '“', '”', '（', '）', '(', ')', '《', '》'])
    {
        return false;
    }
    let has_top =
        stack.first().is_some_and(|s| s.rank == 1) || doc.sections.iter().any(|s| s.rank == 1);
    if !has_top {
        return false;
    }
    matches!(next_nonblank(lines, k + 1, end).map(|x| &lines[x].kind),
        Some(Kind::Heading(h)) if h.rank == 2)
}

fn section_from(text: &str, l: &Line, h: &HeadingParts) -> Section {
    let mut body = Vec::new();
    if let Some(r) = h.run_in {
        body.push(paragraph(text, r, l.no, None));
    }
    Section {
        depth: 0,
        rank: h.rank,
        marker: text[h.marker_span.range()].to_string(),
        ordinal: h.ordinal,
        form: h.form,
        heading: text[h.heading_span.range()].to_string(),
        line: l.no,
        run_in: h.run_in.is_some(),
        span: l.span,
        marker_span: h.marker_span,
        gap: h.gap,
        heading_span: h.heading_span,
        stop: h.stop,
        body,
        children: Vec::new(),
    }
}

/// Close sections on the stack whose rank is not above `rank`.
fn close_to(top: &mut Vec<Section>, stack: &mut Vec<Section>, rank: u8) {
    while stack.last().is_some_and(|s| s.rank >= rank) {
        let done = stack.pop().unwrap();
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => top.push(done),
        }
    }
}

fn close_all(top: &mut Vec<Section>, stack: &mut Vec<Section>) {
    close_to(top, stack, 0);
}

/// Tree building by rank with recovery: a heading closes every open section
/// of the same or a lower rank and nests under the nearest higher one, so a
/// `（1）` or `1.` right under `一、` becomes its child (rank 4 or 3, depth 2).
fn push_section(top: &mut Vec<Section>, stack: &mut Vec<Section>, mut sec: Section) {
    close_to(top, stack, sec.rank);
    sec.depth = stack.len() as u8 + 1;
    stack.push(sec);
}

fn paragraph(text: &str, span: Span, line: usize, indent: Option<Span>) -> Paragraph {
    let s = &text[span.range()];
    Paragraph {
        text: s.to_string(),
        span,
        line,
        indent,
        enumerations: enumerations(s, span.start),
    }
}

/// The characters `enum_marker` (`cn_ordinal ~ "是"`) can start with.
fn is_enum_start(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Clause boundaries after which an inline enumeration item may start
/// (also spelled out as bytes in [`next_boundary_end`]).
fn is_clause_boundary(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | ';' | '：' | ':' | '，' | ',' | '！' | '？' | '!' | '?'
    )
}

/// The longest `enum_marker` is four characters (`九十九是`): parsing only
/// that much gives the same match, and keeps a failed attempt from costing
/// a scan of the rest of the paragraph (pest computes the line and column of
/// every error), which made long paragraphs quadratic.
fn enum_window(s: &str) -> &str {
    s.char_indices().nth(4).map_or(s, |(i, _)| &s[..i])
}

/// Inline enumeration markers (一是 二是 …) at the start of the paragraph or
/// of a clause.
fn enumerations(s: &str, base: usize) -> Vec<EnumItem> {
    let mut out = Vec::new();
    // At a boundary (the paragraph start, or after a clause boundary): the
    // first character that is not white space may start an item; then
    // nothing can until the next boundary, found with a byte scan.
    let mut i = 0;
    while let Some((j, c)) = s[i..].char_indices().find(|&(_, c)| !is_ws(c)) {
        let at = i + j;
        if is_enum_start(c)
            && let Ok(mut p) = OutlineParser::parse(Rule::enum_marker, enum_window(&s[at..]))
        {
            let m = p.next().expect("enum_marker");
            let marker = m.as_str();
            let num = &marker[..marker.len() - "是".len()];
            out.push(EnumItem {
                marker: marker.to_string(),
                ordinal: parse_cn_ordinal(num).unwrap_or(0),
                span: Span::new(base + at, base + at + marker.len()),
            });
        }
        let after = at + c.len_utf8();
        if is_clause_boundary(c) {
            i = after;
        } else if let Some(next) = next_boundary_end(s, after) {
            i = next;
        } else {
            break;
        }
    }
    out
}

/// The end of the first clause boundary character at or after byte `from`
/// (a byte scan: ASCII ; : , ! ? and the UTF-8 of 。；：，！？).
fn next_boundary_end(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut k = from;
    while k < b.len() {
        match b[k] {
            b';' | b':' | b',' | b'!' | b'?' => return Some(k + 1),
            // 。 U+3002
            0xE3 if b.get(k + 1) == Some(&0x80) && b.get(k + 2) == Some(&0x82) => {
                return Some(k + 3);
            }
            // ；U+FF1B ：U+FF1A ，U+FF0C ！U+FF01 ？U+FF1F
            0xEF if b.get(k + 1) == Some(&0xBC)
                && matches!(b.get(k + 2), Some(0x9B | 0x9A | 0x8C | 0x81 | 0x9F)) =>
            {
                return Some(k + 3);
            }
            _ => k += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_byte_scan_agrees_with_the_char_test() {
        let s = "甲，乙。丙；丁：戊！己？a;b:c,d!e?f 一是二";
        let mut expected = Vec::new();
        for (i, c) in s.char_indices() {
            if is_clause_boundary(c) {
                expected.push(i + c.len_utf8());
            }
        }
        let mut got = Vec::new();
        let mut k = 0;
        while let Some(e) = next_boundary_end(s, k) {
            got.push(e);
            k = e;
        }
        assert_eq!(got, expected);
    }

    fn doc(s: &str) -> Document {
        parse(&Source::from_text("t.txt", s)).document
    }

    #[test]
    fn tree_by_rank_with_recovery() {
        let d = doc("标题\n一、甲\n（1）子\n二、乙\n（一）丙\n1.丁\n");
        let o = d.outline();
        let got: Vec<(u8, u8, &str)> = o
            .iter()
            .map(|e| (e.depth, e.rank, e.heading.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, "甲"),
                (2, 4, "子"),
                (1, 1, "乙"),
                (2, 2, "丙"),
                (3, 3, "丁")
            ]
        );
    }

    #[test]
    fn run_in_heading_and_enumerations() {
        let d = doc("（一）加强领导，高位推动。一是建机制；二是压责任。\n");
        let s = &d.sections[0];
        assert!(s.run_in);
        assert_eq!(s.heading, "加强领导，高位推动");
        assert_eq!(s.body[0].enumerations.len(), 2);
        assert_eq!(s.body[0].enumerations[1].ordinal, 2);
    }

    #[test]
    fn trailer_after_date() {
        let d = doc(
            "标题\n正文。\n某某镇人民政府\n2025年1月20日\n（此件公开发布）\n\n抄送：县委办。\n某某镇党政办公室  2025年1月20日印发\n",
        );
        let sig = d.signature.unwrap();
        assert_eq!(sig.organ.as_deref(), Some("某某镇人民政府"));
        assert_eq!(sig.date.unwrap().iso.as_deref(), Some("2025-01-20"));
        assert_eq!(d.trailer.len(), 3);
        // Without a date before them, bracketed lines stay where they are.
        let d = doc("标题\n正文。\n（此件公开发布）\n");
        assert!(d.trailer.is_empty());
        assert!(d.signature.is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date(2024, 2, 29).as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date(2023, 2, 29), None);
        let d = doc("报告标题\n正文。\n某某镇人民政府\n二〇二五年一月二十日\n");
        let date = d.signature.unwrap().date.unwrap();
        assert_eq!(date.iso.as_deref(), Some("2025-01-20"));
        assert_eq!(date.form, DateForm::Chinese);
    }
}
