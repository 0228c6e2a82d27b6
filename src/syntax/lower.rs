//! Lowering: pest line pairs → [`Document`].
//!
//! The grammar says what each line looks like; this module decides what it
//! is by where it stands: 发文字号 and title at the top, 主送机关 after the
//! title, preamble up to the first heading, sections as a tree by rank, and
//! 署名 / 成文日期 / 特此报告 / 附件 at the end.

use std::sync::LazyLock;

use memchr::memmem::Finder;
#[cfg(test)]
use pest::{Parser, iterators::Pair};

#[cfg(test)]
use super::parser::OutlineParser;
use super::parser::Rule;
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
    /// Inline, not boxed: one allocation less per heading line.
    Heading(HeadingParts),
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

impl HeadingParts {
    /// Nothing recognised yet: the lowering of a pest heading fills it in.
    #[cfg(test)]
    fn empty() -> Self {
        HeadingParts {
            rank: 0,
            ordinal: 0,
            form: MarkerForm::Standard,
            marker_span: Span::default(),
            gap: None,
            heading_span: Span::default(),
            stop: None,
            run_in: None,
        }
    }
}

/// Characters that count as white space around line content.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{a0}' | '\u{feff}' | '\u{200b}' | '\u{2002}' | '\u{2003}'
    )
}

/// The length in bytes of the [`is_ws`] character that `b` starts with (0
/// when it starts with none): the white space is known, so its UTF-8 bytes
/// are compared rather than characters decoded.
#[inline]
fn ws_prefix_len(b: &[u8]) -> usize {
    match b {
        [b' ' | b'\t', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xE3, 0x80, 0x80, ..] | [0xEF, 0xBB, 0xBF, ..] | [0xE2, 0x80, 0x82 | 0x83 | 0x8B, ..] => 3,
        _ => 0,
    }
}

/// The length in bytes of the [`is_ws`] character that `b` ends with (0 when
/// it ends with none). In UTF-8 text a lead byte followed by its
/// continuation bytes at the end is the last character.
#[inline]
fn ws_suffix_len(b: &[u8]) -> usize {
    match b {
        [.., b' ' | b'\t'] => 1,
        [.., 0xC2, 0xA0] => 2,
        [.., 0xE3, 0x80, 0x80] | [.., 0xEF, 0xBB, 0xBF] | [.., 0xE2, 0x80, 0x82 | 0x83 | 0x8B] => 3,
        _ => 0,
    }
}

/// `s.trim_start_matches(is_ws)`, on bytes. Most texts start with no white
/// space: that is answered inline, without a call.
#[inline(always)]
fn trim_ws_start(s: &str) -> &str {
    if ws_prefix_len(s.as_bytes()) == 0 {
        return s;
    }
    trim_ws_start_slow(s)
}

/// [`trim_ws_start`] of a text that starts with white space.
#[inline(never)]
fn trim_ws_start_slow(s: &str) -> &str {
    let b = s.as_bytes();
    let mut at = 0;
    loop {
        match ws_prefix_len(&b[at..]) {
            0 => return &s[at..],
            n => at += n,
        }
    }
}

/// `s.trim_end_matches(is_ws)`, on bytes; inline for a text that ends with
/// no white space.
#[inline(always)]
fn trim_ws_end(s: &str) -> &str {
    if ws_suffix_len(s.as_bytes()) == 0 {
        return s;
    }
    trim_ws_end_slow(s)
}

/// [`trim_ws_end`] of a text that ends with white space.
#[inline(never)]
fn trim_ws_end_slow(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    loop {
        match ws_suffix_len(&b[..end]) {
            0 => return &s[..end],
            n => end -= n,
        }
    }
}

/// Shrink a span so it has no white space at either end.
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let rest = trim_ws_start(s);
    let lead = s.len() - rest.len();
    let body = trim_ws_end(rest);
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

/// Split the text into lines (LF, CRLF, lone CR, as `eol` in the grammar and
/// as [`LineIndex`](crate::source::line_index::LineIndex)) and classify each.
///
/// This is `Rule::document` taken apart: a line's content never reaches past
/// its line break, so running `Rule::line` on each line on its own gives the
/// same pairs as the whole-document parse; and every alternative of a line's
/// `content` is followed in Rust ([`classify_line`]), so no line reaches
/// pest. The differential test
/// (`per_line_classification_equals_the_document_parse`) holds this equal to
/// [`classify_document`] over the corpus and generated input.
fn classify_lines(source: &Source) -> Vec<Line> {
    let text = source.text.as_str();
    let index = &source.index;
    // The line index has found the line breaks already.
    (0..index.line_count())
        .map(|i| classify_line(text, index.line_start(i), index.content_end(text, i), i + 1))
        .collect()
}

/// One line `text[start..end]` (without its line break), numbered `no`, as
/// `Rule::line` and [`lower_line`] make it.
///
/// The alternatives of `content` are tried in their order, each followed in
/// Rust and each only where a cheap necessary condition holds (a condition
/// its rule implies, so a line is never kept from a rule that would match
/// it):
///
/// - `date_line` ([`date_parts`]) where the line starts like a date;
/// - `doc_number_line` ([`doc_number_line`]);
/// - `attachment_line` ([`is_attachment_line`]) and `closing_line`
///   ([`is_closing_line`]); at most one of these and `date_line` can apply,
///   by the first characters; each ends the line but for white space;
/// - `heading`: a `marker` at the start of the line ([`heading_parts`]); a
///   heading is its marker and the rest of its line;
/// - `addressee` exactly where [`may_be_addressee`] holds;
/// - otherwise `text`.
fn classify_line(text: &str, start: usize, end: usize, no: usize) -> Line {
    let line = &text[start..end];
    let content = trim_ws_start(line);
    let content_at = line.len() - content.len();
    let indent = (content_at > 0).then(|| Span::new(start, start + content_at));
    let content_start = start + content_at;
    let span = Span::new(content_start, content_start + trim_ws_end(content).len());
    let line_of = |kind| Line {
        no,
        span,
        indent,
        kind,
    };
    if content.is_empty() {
        return line_of(Kind::Blank);
    }
    let date_start = content.starts_with(is_date_start);
    if date_start
        && let Some(d) = date_parts(content)
        && trim_ws_start(&content[d.len..]).is_empty()
    {
        let date = date_node(text, content_start, &d, no);
        return line_of(Kind::Date(Box::new(date)));
    }
    if let Some((number, signer)) = doc_number_line(content) {
        let at = |(a, b): (usize, usize)| Span::new(content_start + a, content_start + b);
        return line_of(Kind::DocNumber {
            number: number.map(at),
            signer: signer.map(at),
        });
    }
    if !date_start {
        if is_attachment_line(content) {
            return line_of(Kind::Attachment);
        }
        if is_closing_line(content) {
            return line_of(Kind::Closing);
        }
    }
    if let Some(h) = heading_parts(text, content_start, end) {
        return line_of(Kind::Heading(h));
    }
    // `addressee` is the last alternative before `text`, and
    // [`may_be_addressee`] is exactly its language here: no pest.
    line_of(if may_be_addressee(content) {
        Kind::Addressee
    } else {
        Kind::Text
    })
}

/// A byte range `(start, end)`.
type Range = (usize, usize);

/// `doc_number_line` at the start of a line's content (which runs to the end
/// of the line, trailing white space included): the byte ranges in `content`
/// of its `doc_number` and of its `signer_name` (trimmed), or `None` where the
/// rule does not match.
///
/// `(&hao_ahead ~ doc_number ~ (ws* ~ signer)? | signer) ~ &(ws* ~ (eol |
/// EOI))`: a `doc_number` followed by a `signer` or by white space only (a
/// `doc_number` followed by anything else fails the rule: the ordered choice
/// is not taken back), else a `signer` alone (a `signer` takes the rest of
/// the line). `hao_ahead` holds
/// wherever a `doc_number` (which ends with 号) matches.
fn doc_number_line(content: &str) -> Option<(Option<Range>, Option<Range>)> {
    if let Some(n) = doc_number_len(content) {
        let rest = &content[n..];
        let after_ws = trim_ws_start(rest);
        if let Some((a, b)) = signer_name(after_ws) {
            let at = content.len() - after_ws.len();
            return Some((Some((0, n)), Some((at + a, at + b))));
        }
        // The choice is made once the first alternative has matched: white
        // space only must follow it, or the rule fails.
        return after_ws.is_empty().then_some((Some((0, n)), None));
    }
    signer_name(content).map(|s| (None, Some(s)))
}

/// `signer` (`"签发人" ~ ws* ~ colon? ~ ws* ~ signer_name`) at the start of
/// `s`, which it takes to the end: the range of its `signer_name` without
/// trailing white space.
fn signer_name(s: &str) -> Option<Range> {
    let r = trim_ws_start(s.strip_prefix("签发人")?);
    let r = trim_ws_start(r.strip_prefix(['：', ':']).unwrap_or(r));
    // `signer_name` takes at least one character.
    if r.is_empty() {
        return None;
    }
    let at = s.len() - r.len();
    Some((at, at + trim_ws_end(r).len()))
}

/// The length in bytes of the `doc_number` at the start of `s`, if one is:
/// one to twenty characters that are neither `year_open` nor white space
/// (taken greedily), a `year_open` bracket, four digits, a `year_close`
/// bracket, 第 perhaps, one or more digits and 号.
fn doc_number_len(s: &str) -> Option<usize> {
    // Most lines are answered here, by their first characters' lead bytes:
    // a CJK ideograph (lead byte E4 … E9) is neither white space nor a
    // bracket, and no other character needs decoding.
    let b = s.as_bytes();
    let (mut at, mut taken) = (0, 0);
    let open_end = loop {
        let lead = *b.get(at)?;
        // So is ASCII other than `(`, `[`, space and tab.
        let step = match lead {
            0xE4..=0xE9 => 3,
            b'(' | b'[' | b' ' | b'\t' => 0,
            ..0x80 => 1,
            _ => 0,
        };
        if step > 0 {
            if taken == 20 {
                return None;
            }
            taken += 1;
            at += step;
            continue;
        }
        let open = match b[at..] {
            [b'(' | b'[', ..] => 1,
            [0xE3, 0x80, 0x90 | 0x94 | 0x96, ..] | [0xEF, 0xBC, 0x88 | 0xBB, ..] => 3,
            _ => 0,
        };
        if open > 0 {
            if taken == 0 {
                return None;
            }
            break at + open;
        }
        if ws_prefix_len(&b[at..]) > 0 || taken == 20 {
            return None;
        }
        taken += 1;
        at += utf8_len(lead);
    };
    let mut digits = s[open_end..].chars();
    for _ in 0..4 {
        if !digits.next().is_some_and(is_any_digit) {
            return None;
        }
    }
    let r = digits
        .as_str()
        .strip_prefix(['〕', '］', ']', '】', '）', ')', '〗'])?;
    let r = r.strip_prefix('第').unwrap_or(r);
    let after_digits = r.trim_start_matches(is_any_digit);
    if after_digits.len() == r.len() {
        return None;
    }
    let r = after_digits.strip_prefix('号')?;
    Some(s.len() - r.len())
}

/// `attachment_line` at the start of a line's content, which it then takes
/// to the end of the line: 附件, any digits, white space, and a colon (the
/// name after it takes the rest of the line) or the end of the line.
fn is_attachment_line(content: &str) -> bool {
    let Some(rest) = content.strip_prefix("附件") else {
        return false;
    };
    let rest = trim_ws_start(rest.trim_start_matches(is_any_digit));
    rest.is_empty() || rest.starts_with(['：', ':'])
}

/// `closing_line` at the start of a line's content, with only white space
/// after it: 特此报告 or 专此报告, and one of 。.！ at most.
fn is_closing_line(content: &str) -> bool {
    let Some(rest) = content
        .strip_prefix("特此报告")
        .or_else(|| content.strip_prefix("专此报告"))
    else {
        return false;
    };
    let rest = rest.strip_prefix(['。', '.', '！']).unwrap_or(rest);
    trim_ws_start(rest).is_empty()
}

/// `any_digit`: an ASCII or full-width decimal digit.
fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A `date` recognised in Rust: its length in bytes, the alternative that
/// matched, and the text of its year, month and day rules.
#[derive(Debug, PartialEq)]
struct DateParts<'a> {
    len: usize,
    form: Rule,
    year: &'a str,
    month: &'a str,
    day: &'a str,
}

/// `Rule::date` at the start of `s`: `date_arabic | date_chinese |
/// date_separated`, the first that matches (at most one can: the first two
/// differ by their first character, the first and last by what follows the
/// year). `date_follows_the_grammar` holds this equal to pest's pairs.
fn date_parts(s: &str) -> Option<DateParts<'_>> {
    /// The byte length of a run of `n` characters of `is` at the start of
    /// `s`, if the run is that long and no further such character follows
    /// (`any_digit{n} ~ !any_digit` for `n` in `counts`).
    fn digits(s: &str, counts: &[usize]) -> Option<usize> {
        let (mut n, mut len) = (0, 0);
        for c in s.chars().take_while(|&c| is_any_digit(c)) {
            n += 1;
            len += c.len_utf8();
        }
        counts.contains(&n).then_some(len)
    }
    let ws = trim_ws_start;
    if s.starts_with(is_any_digit) {
        // `year`: four digits, or two, not followed by another.
        let y = digits(s, &[4, 2])?;
        let (year, rest) = s.split_at(y);
        // date_arabic = year ws* 年 ws* month ws* 月 ws* day ws* 日
        let arabic = || -> Option<DateParts<'_>> {
            let r = ws(ws(rest).strip_prefix('年')?);
            let m = digits(r, &[1, 2])?;
            let (month, r) = r.split_at(m);
            let r = ws(ws(r).strip_prefix('月')?);
            let d = digits(r, &[1, 2])?;
            let (day, r) = r.split_at(d);
            let r = ws(r).strip_prefix('日')?;
            Some(DateParts {
                len: s.len() - r.len(),
                form: Rule::date_arabic,
                year,
                month,
                day,
            })
        };
        if let Some(d) = arabic() {
            return Some(d);
        }
        // date_separated = year date_sep month date_sep day
        fn sep(r: &str) -> Option<&str> {
            r.strip_prefix(['.', '．', '-', '/', '－'])
        }
        let r = sep(rest)?;
        let m = digits(r, &[1, 2])?;
        let (month, r) = r.split_at(m);
        let r = sep(r)?;
        let d = digits(r, &[1, 2])?;
        let (day, r) = r.split_at(d);
        return Some(DateParts {
            len: s.len() - r.len(),
            form: Rule::date_separated,
            year,
            month,
            day,
        });
    }
    // date_chinese = cn_year 年 cn_month 月 cn_day 日
    let is_cn_year = |c: char| matches!(c, '〇' | '零' | '○' | 'О' | 'Ｏ') || is_cn_digit(c);
    let mut chars = s.char_indices();
    for _ in 0..4 {
        chars.next().filter(|&(_, c)| is_cn_year(c))?;
    }
    let y = chars.next().map_or(s.len(), |(i, _)| i);
    let (year, rest) = s.split_at(y);
    let rest = rest.strip_prefix('年')?;
    // cn_month = 十 (一 | 二) | 十 | cn_digit
    let mut it = rest.chars();
    let m = match (it.next()?, it.next()) {
        ('十', Some('一' | '二')) => 6,
        ('十', _) => 3,
        (c, _) if is_cn_digit(c) => 3,
        _ => return None,
    };
    let (month, rest) = rest.split_at(m);
    let rest = rest.strip_prefix('月')?;
    // cn_day = (二 | 三) 十 cn_digit? | 十 cn_digit? | cn_digit
    let mut it = rest.chars();
    let (a, b, c) = (it.next()?, it.next(), it.next());
    let d = match (a, b) {
        ('二' | '三', Some('十')) if c.is_some_and(is_cn_digit) => 9,
        ('二' | '三', Some('十')) => 6,
        ('十', Some(b)) if is_cn_digit(b) => 6,
        ('十', _) => 3,
        (a, _) if is_cn_digit(a) => 3,
        _ => return None,
    };
    let (day, rest) = rest.split_at(d);
    let rest = rest.strip_prefix('日')?;
    Some(DateParts {
        len: s.len() - rest.len(),
        form: Rule::date_chinese,
        year,
        month,
        day,
    })
}

/// Whether a line's content is an `addressee`: `addressee_name` takes
/// the characters up to the first `clause_punct`, two to forty of them, and
/// that must be the colon after which only white space follows. (The
/// colon guards of the rule hold when it does; `line` takes the trailing
/// white space.) Where no earlier alternative of `content` matches, this is
/// what `Rule::line` decides, without pest.
fn may_be_addressee(content: &str) -> bool {
    let Some(name) = trim_ws_end(content).strip_suffix(['：', ':']) else {
        return false;
    };
    !name.contains(['，', ',', '。', '；', ';', '！', '!', '？', '?', '：', ':'])
        && (2..=40).contains(&name.chars().count())
}

/// 是 (`E6 98 AF`), for [`enumerations`]. (memchr on its last byte and a
/// look at the two before cost more: that byte is common in Chinese text.)
static SHI: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("是"));

/// The characters of `date_start`.
fn is_date_start(c: char) -> bool {
    matches!(c, '0'..='9' | '０'..='９' | '〇' | '零' | '○' | 'О' | 'Ｏ') || is_cn_digit(c)
}

/// `cn_digit`: 一 … 九.
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

/// The characters of `marker_start`.
fn is_marker_start(c: char) -> bool {
    is_cn_digit(c)
        || matches!(c, '十' | '（' | '(' | '0'..='9' | '０'..='９' | '\u{2460}'..='\u{2473}')
}

/// Whether a `marker` may start `content`: every rank but the circled
/// numbers ends its numeral with a mark (`rank1_sep`, `rank3_sep`, a closing
/// bracket) or white space within its first five characters. Spares pest a
/// failing parse (and its error report) on paragraphs such as 「一是……」 or
/// 「2024年以来……」.
#[cfg(test)]
fn may_be_marker(content: &str) -> bool {
    let mut chars = content.chars();
    chars
        .next()
        .is_some_and(|c| ('\u{2460}'..='\u{2473}').contains(&c))
        || content
            .chars()
            .take(5)
            .any(|c| is_ws(c) || matches!(c, '、' | '．' | '.' | '，' | ',' | '）' | ')'))
}

/// A `marker` at the start of `s`, recognised in Rust: its length in bytes,
/// rank, ordinal and form, exactly as `Rule::marker` and [`lower_marker`]
/// give them (the grammar's rules, in its order, one branch each below;
/// `marker_follows_the_grammar` holds the two equal over every short string
/// of the characters that matter and over random and corpus heads).
/// Calling pest for the few characters of a marker costs more than a
/// heading line's whole lowering.
#[cfg(test)]
fn marker_parts(s: &str) -> Option<(usize, u8, u32, MarkerForm)> {
    marker_parts_in(s, &MarkerHead::new(s))
}

/// The first eight characters of a line's content (a marker looks at no
/// more than seven) and where each starts, decoded once for
/// [`MarkerHead::may_be_marker`] and [`marker_parts_in`].
struct MarkerHead {
    c: [(usize, char); 8],
    len: usize,
}

impl MarkerHead {
    fn new(s: &str) -> MarkerHead {
        let mut c = [(s.len(), '\0'); 8];
        let mut len = 0;
        for (k, x) in s.char_indices().take(8).enumerate() {
            c[k] = x;
            len = k + 1;
        }
        MarkerHead { c, len }
    }

    /// [`may_be_marker`] of the text these are the first characters of.
    fn may_be_marker(&self) -> bool {
        let c = &self.c[..self.len];
        c.first()
            .is_some_and(|&(_, x)| ('\u{2460}'..='\u{2473}').contains(&x))
            || c.iter()
                .take(5)
                .any(|&(_, x)| is_ws(x) || matches!(x, '、' | '．' | '.' | '，' | ',' | '）' | ')'))
    }
}

/// [`marker_parts`] with the first characters of `s` decoded.
fn marker_parts_in(s: &str, head: &MarkerHead) -> Option<(usize, u8, u32, MarkerForm)> {
    let (c, len) = (&head.c, head.len);
    let ch = |i: usize| (i < len).then(|| c[i].1);
    let end = |i: usize| if i < len { c[i].0 } else { s.len() };
    // cn_ordinal at char i: its length in chars.
    let cn_ordinal = |i: usize| Some(cn_ordinal_chars(&s[end(i)..])).filter(|&n| n > 0);
    let is_digit =
        |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit() || ('０'..='９').contains(&x));
    // ar_ordinal at char i.
    let ar_ordinal = |i: usize| -> Option<usize> {
        let n = (i..i + 3).take_while(|&k| is_digit(ch(k))).count();
        (1..=2).contains(&n).then_some(n)
    };
    let is_extra = |x: Option<char>| matches!(x, Some('、' | '．' | '.' | '，' | ','));
    let is_close = |x: Option<char>| matches!(x, Some('）' | ')'));
    let cn_value = |i: usize, n: usize| parse_cn_ordinal(&s[end(i)..end(i + n)]).unwrap_or(0);
    let ar = |i: usize, n: usize| {
        let t = &s[end(i)..end(i + n)];
        (
            parse_ar_ordinal(t).unwrap_or(0),
            t.chars().any(|x| !x.is_ascii_digit()),
        )
    };
    // rank1 = cn_ordinal ~ (rank1_sep | &ws)
    if let Some(n) = cn_ordinal(0) {
        let sep = ch(n);
        if is_extra(sep) || sep.is_some_and(is_ws) {
            let form = match sep {
                Some('、') => MarkerForm::Standard,
                Some(x) if is_ws(x) => MarkerForm::SpaceSeparator,
                _ => MarkerForm::WrongSeparator,
            };
            let len = if is_extra(sep) { n + 1 } else { n };
            return Some((end(len), 1, cn_value(0, n), form));
        }
    }
    // rank2 / rank4 = open_paren? ~ (cn_ordinal | ar_ordinal) ~ close_paren ~ extra_punct?
    let open = ch(0).filter(|&x| x == '（' || x == '(');
    let o = usize::from(open.is_some());
    let bracketed = |rank: u8, n: usize, ordinal: u32, full_width: bool| {
        let close = ch(o + n);
        if !is_close(close) {
            return None;
        }
        let extra = is_extra(ch(o + n + 1));
        let form = if open.is_none() {
            MarkerForm::MissingOpenBracket
        } else if open != Some('（') || close != Some('）') {
            MarkerForm::HalfWidthBracket
        } else if extra {
            MarkerForm::ExtraPunctuation
        } else if full_width {
            MarkerForm::FullWidth
        } else {
            MarkerForm::Standard
        };
        Some((end(o + n + 1 + usize::from(extra)), rank, ordinal, form))
    };
    if let Some(n) = cn_ordinal(o)
        && let Some(m) = bracketed(2, n, cn_value(o, n), false)
    {
        return Some(m);
    }
    if let Some(n) = ar_ordinal(o) {
        let (v, fw) = ar(o, n);
        if let Some(m) = bracketed(4, n, v, fw) {
            return Some(m);
        }
    }
    // rank3 = ar_ordinal ~ rank3_sep
    if let Some(n) = ar_ordinal(0) {
        let (v, fw) = ar(0, n);
        let sep = ch(n);
        let ok = match sep {
            Some('.' | '．') => !is_digit(ch(n + 1)),
            Some('、' | '，' | ',') => true,
            _ => false,
        };
        if ok {
            let form = match sep {
                _ if fw => MarkerForm::FullWidth,
                Some('.') => MarkerForm::Standard,
                Some('．') => MarkerForm::FullWidth,
                _ => MarkerForm::WrongSeparator,
            };
            return Some((end(n + 1), 3, v, form));
        }
    }
    // rank5 = circled ~ extra_punct?
    let first = ch(0)?;
    let ordinal = circled_value(first).filter(|_| ('\u{2460}'..='\u{2473}').contains(&first))?;
    let extra = is_extra(ch(1));
    let form = if extra {
        MarkerForm::ExtraPunctuation
    } else {
        MarkerForm::Standard
    };
    Some((end(1 + usize::from(extra)), 5, ordinal, form))
}

/// The length in characters of the `cn_ordinal` at the start of `s` (0 for
/// none): `cn_digit ~ "十" ~ cn_digit | cn_digit ~ "十" | "十" ~ cn_digit |
/// "十" | cn_digit`, the first alternative that matches.
fn cn_ordinal_chars(s: &str) -> usize {
    // 一 … 九 and 十 are three bytes each: compared as bytes, not decoded.
    let b = s.as_bytes();
    let digit = |k: usize| b.get(3 * k..3 * k + 3).is_some_and(is_cn_digit_bytes);
    let ten = |k: usize| b.get(3 * k..3 * k + 3) == Some("十".as_bytes());
    if digit(0) {
        match (ten(1), digit(2)) {
            (true, true) => 3,
            (true, false) => 2,
            (false, _) => 1,
        }
    } else if ten(0) {
        1 + usize::from(digit(1))
    } else {
        0
    }
}

/// Whether three bytes are the UTF-8 of one of 一 … 九 ([`is_cn_digit`]).
fn is_cn_digit_bytes(b: &[u8]) -> bool {
    matches!(
        b,
        [0xE4, 0xB8, 0x80 | 0x89 | 0x83]
            | [0xE4, 0xBA, 0x8C | 0x94]
            | [0xE5, 0x9B, 0x9B]
            | [0xE5, 0x85, 0xAD | 0xAB]
            | [0xE4, 0xB9, 0x9D]
    )
}

/// [`cn_ordinal_chars`] by characters (the test oracle of the byte
/// comparison).
#[cfg(test)]
fn cn_ordinal_chars_slow(s: &str) -> usize {
    let mut it = s.chars();
    let (a, b, c) = (it.next(), it.next(), it.next());
    match a {
        Some(x) if is_cn_digit(x) => match b {
            Some('十') if c.is_some_and(is_cn_digit) => 3,
            Some('十') => 2,
            _ => 1,
        },
        Some('十') if b.is_some_and(is_cn_digit) => 2,
        Some('十') => 1,
        _ => 0,
    }
}

/// The `heading` that `text[at..end]` (a line's content) is, if its first
/// characters are a `marker`. After the marker the rule is the plain shape
/// `gap? ~ heading_text ~ (stop ~ run_in_text?)?`, which always reaches the
/// end of the line; it is followed here in Rust (`gap` is white space,
/// `heading_text` runs to the first 。！？, which is the `stop`, and the rest
/// of the line is the `run_in_text`) rather than by pest character by
/// character.
fn heading_parts(text: &str, at: usize, end: usize) -> Option<HeadingParts> {
    let content = &text[at..end];
    if !content.starts_with(is_marker_start) {
        return None;
    }
    let head = MarkerHead::new(content);
    if !head.may_be_marker() {
        return None;
    }
    let (len, rank, ordinal, form) = marker_parts_in(content, &head)?;
    let mut h = HeadingParts {
        rank,
        ordinal,
        form,
        marker_span: Span::new(at, at + len),
        gap: None,
        heading_span: Span::default(),
        stop: None,
        run_in: None,
    };
    let after_marker = h.marker_span.end;
    let rest = &text[after_marker..end];
    let gap_len = rest.len() - trim_ws_start(rest).len();
    if gap_len > 0 {
        h.gap = Some(Span::new(after_marker, after_marker + gap_len));
    }
    let heading_at = after_marker + gap_len;
    match find_sentence_end(&text[heading_at..end]) {
        Some(i) => {
            let stop_at = heading_at + i;
            h.heading_span = trim(text, Span::new(heading_at, stop_at));
            h.stop = Some(Span::new(stop_at, stop_at + '。'.len_utf8()));
            let r = trim(text, Span::new(stop_at + '。'.len_utf8(), end));
            if !r.is_empty() {
                h.run_in = Some(r);
            }
        }
        None => h.heading_span = trim(text, Span::new(heading_at, end)),
    }
    if h.heading_span.is_empty() {
        h.heading_span = Span::empty(h.gap.map_or(h.marker_span.end, |g| g.end));
    }
    Some(h)
}

/// Where the first 。！？ (`sentence_end`) of `s` starts: `s.find(['。',
/// '！', '？'])` on bytes. 。 is `E3 80 82`, ！ `EF BC 81` and ？ `EF BC 9F`;
/// memchr finds the lead bytes and the two after them are compared, where
/// a char pattern decodes every character.
fn find_sentence_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xE3, 0xEF, b).find(|&i| {
        matches!(
            &b[i + 1..],
            [0x80, 0x82, ..] if b[i] == 0xE3
        ) || matches!(&b[i + 1..], [0xBC, 0x81 | 0x9F, ..] if b[i] == 0xEF)
    })
}

/// The length in bytes of the UTF-8 character that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        ..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Every line a plain paragraph: what becomes of an input that
/// `Rule::document` does not match.
#[cfg(test)]
fn fallback_lines(source: &Source) -> Vec<Line> {
    let text = source.text.as_str();
    (0..source.index.line_count())
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
        .collect()
}

/// The reference classification: `Rule::document` over the whole text.
#[cfg(test)]
fn classify_document(source: &Source) -> Vec<Line> {
    let text = source.text.as_str();
    match OutlineParser::parse(Rule::document, text) {
        Ok(mut pairs) => {
            let doc = pairs.next().expect("document pair");
            doc.into_inner()
                .filter(|p| p.as_rule() == Rule::line)
                .map(|p| {
                    let no = source.line(p.as_span().start());
                    lower_line(text, 0, no, p)
                })
                .collect()
        }
        Err(_) => fallback_lines(source),
    }
}

/// The span of a pair parsed from `text[base..]`, in `text`.
#[cfg(test)]
fn at_span(base: usize, p: &Pair<'_, Rule>) -> Span {
    let s = p.as_span();
    Span::new(base + s.start(), base + s.end())
}

/// Lower a `line` pair parsed from `text[base..]`.
#[cfg(test)]
fn lower_line(text: &str, base: usize, no: usize, pair: Pair<'_, Rule>) -> Line {
    let whole = at_span(base, &pair);
    let mut indent = None;
    let mut kind = Kind::Blank;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::indent => {
                let s = at_span(base, &inner);
                if !s.is_empty() {
                    indent = Some(s);
                }
            }
            Rule::heading => kind = Kind::Heading(lower_heading(text, base, inner)),
            Rule::date_line => {
                let d = inner.into_inner().next().expect("date");
                kind = match lower_date(text, base, d, no) {
                    Some(d) => Kind::Date(Box::new(d)),
                    None => Kind::Text,
                };
            }
            Rule::doc_number_line => {
                let mut number = None;
                let mut signer = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::doc_number => number = Some(at_span(base, &p)),
                        Rule::signer => {
                            signer = p
                                .into_inner()
                                .find(|q| q.as_rule() == Rule::signer_name)
                                .map(|q| trim(text, at_span(base, &q)))
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

#[cfg(test)]
fn lower_heading(text: &str, base: usize, pair: Pair<'_, Rule>) -> HeadingParts {
    let mut h = HeadingParts::empty();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::marker => {
                h.marker_span = at_span(base, &p);
                let rank_pair = p.into_inner().next().expect("rank");
                lower_marker(&mut h, rank_pair);
            }
            Rule::gap => h.gap = Some(at_span(base, &p)),
            Rule::heading_text => h.heading_span = trim(text, at_span(base, &p)),
            Rule::stop => h.stop = Some(at_span(base, &p)),
            Rule::run_in_text => {
                let s = trim(text, at_span(base, &p));
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

#[cfg(test)]
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

#[cfg(test)]
fn lower_date(text: &str, base: usize, pair: Pair<'_, Rule>, line: usize) -> Option<DateNode> {
    let span = at_span(base, &pair);
    let parts = pest_date_parts(pair)?;
    Some(date_node(text, span.start, &parts, line))
}

/// What a `Rule::date` pair says: its length, alternative and pieces
/// (what [`date_parts`] finds without pest).
#[cfg(test)]
fn pest_date_parts(pair: Pair<'_, Rule>) -> Option<DateParts<'_>> {
    let len = pair.as_str().len();
    let inner = pair.into_inner().next()?;
    let form = inner.as_rule();
    let (mut year, mut month, mut day) = ("", "", "");
    for p in inner.into_inner() {
        match p.as_rule() {
            Rule::year | Rule::cn_year => year = p.as_str(),
            Rule::month | Rule::cn_month => month = p.as_str(),
            Rule::day | Rule::cn_day => day = p.as_str(),
            _ => {}
        }
    }
    Some(DateParts {
        len,
        form,
        year,
        month,
        day,
    })
}

/// The [`DateNode`] of a `date` at `text[at..]` on 1-based `line`.
fn date_node(text: &str, at: usize, parts: &DateParts<'_>, line: usize) -> DateNode {
    let span = Span::new(at, at + parts.len);
    let raw = &text[span.range()];
    let (year_s, month_s, day_s) = (parts.year, parts.month, parts.day);
    let form_rule = parts.form;
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
    DateNode {
        text: raw.to_string(),
        iso: iso_date(year, month, day),
        year,
        month,
        day,
        form,
        span,
        line,
    }
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
    // Sixty characters are at most 240 bytes: longer lines are rejected
    // without counting.
    if s.len() > 240 {
        return false;
    }
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
    // Forty characters are at most 160 bytes.
    if s.len() > 160 {
        return false;
    }
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
    doc.preamble = Vec::with_capacity(body_room(lines, body_start, closing_start));
    for k in body_start..closing_start {
        let l = &lines[k];
        match &l.kind {
            Kind::Blank => {}
            Kind::Attachment => doc.attachments.push(node(text, l)),
            Kind::Heading(h) => {
                seen_heading = true;
                let sec = section_from(text, l, h, body_room(lines, k + 1, closing_start));
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
    // Eighty characters are at most 320 bytes.
    if s.len() > 320 {
        return false;
    }
    let bracketed =
        (s.starts_with('（') && s.ends_with('）')) || (s.starts_with('(') && s.ends_with(')'));
    let copy = ["抄送", "抄报", "分送"].iter().any(|p| {
        s.strip_prefix(p)
            .is_some_and(|r| trim_ws_start(r).starts_with(['：', ':']))
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
    // Twenty characters are at most 80 bytes: longer lines are rejected
    // without counting.
    if s.len() > 80 {
        return false;
    }
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

/// Room for the paragraphs of the body that starts at line `from`: its
/// lines up to the next heading (or `to`) that are neither blank nor 附件
/// (an unnumbered heading among them takes some: room is all it is).
/// The bodies' vectors then grow no more.
fn body_room(lines: &[Line], from: usize, to: usize) -> usize {
    lines
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .take_while(|l| !matches!(l.kind, Kind::Heading(_)))
        .filter(|l| !matches!(l.kind, Kind::Blank | Kind::Attachment))
        .count()
}

fn section_from(text: &str, l: &Line, h: &HeadingParts, room: usize) -> Section {
    let mut body = Vec::with_capacity(room + usize::from(h.run_in.is_some()));
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

/// The characters `enum_marker` (`cn_ordinal ~ "是"`) can start with
/// (the oracle of [`is_enum_start_bytes`]).
#[cfg(test)]
fn is_enum_start(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Whether three bytes are the UTF-8 of one of 一 … 九 and 十, the
/// characters an `enum_marker` starts with.
fn is_enum_start_bytes(b: &[u8]) -> bool {
    is_cn_digit_bytes(b) || b == "十".as_bytes()
}

/// Clause boundaries after which an inline enumeration item may start.
fn is_clause_boundary(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | ';' | '：' | ':' | '，' | ',' | '！' | '？' | '!' | '?'
    )
}

/// Inline enumeration markers (一是 二是 …) at the start of the paragraph or
/// of a clause: where the first character that is not white space after the
/// paragraph start or a clause boundary starts an `enum_marker`.
///
/// An `enum_marker` is one to three of 一 … 九 十 (three bytes each in UTF-8)
/// and 是, so every item ends at a 是: the search goes from each 是 (found
/// with memchr) back to the clause start it may belong to. The differential
/// test `enumeration_prefilter_is_exact` holds this
/// equal to trying `enum_marker` at every clause start.
fn enumerations(s: &str, base: usize) -> Vec<EnumItem> {
    let mut out = Vec::new();
    for shi in SHI.find_iter(s.as_bytes()) {
        // The run of ordinal characters right before this 是 (at most three).
        // (Compared as bytes: each is three bytes, and a valid text whose
        // three bytes before `q` spell one of them ends with it there.)
        let mut q = shi;
        while shi - q < 9 && q >= 3 && is_enum_start_bytes(&s.as_bytes()[q - 3..q]) {
            q -= 3;
        }
        // Only its first character can be a clause start: the others follow
        // an ordinal character, which is neither white space nor a boundary.
        if q == shi
            || !trim_ws_end(&s[..q])
                .chars()
                .next_back()
                .is_none_or(is_clause_boundary)
        {
            continue;
        }
        // `enum_marker` (`cn_ordinal ~ "是"`) matches when the ordinal takes
        // the whole run (the 是 is the first character after it).
        let num = &s[q..shi];
        if cn_ordinal_chars(num) == num.len() / 3 {
            let marker = &s[q..shi + "是".len()];
            out.push(EnumItem {
                marker: marker.to_string(),
                ordinal: parse_cn_ordinal(num).unwrap_or(0),
                span: Span::new(base + q, base + q + marker.len()),
            });
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The `.txt` reports of the corpus (not the `*.source.txt` notes).
    pub(crate) fn corpus() -> Vec<Source> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "txt")
                    && !p.to_string_lossy().ends_with(".source.txt")
                {
                    out.push(p);
                }
            }
        }
        let mut paths = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"),
            &mut paths,
        );
        paths.sort();
        assert!(paths.len() > 10, "corpus not found");
        paths
            .iter()
            .filter_map(|p| {
                Source::decode(p.display().to_string(), &std::fs::read(p).unwrap()).ok()
            })
            .collect()
    }

    /// A small deterministic generator (xorshift64*).
    pub(crate) struct Rng(pub(crate) u64);
    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        pub(crate) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    /// Pieces that lines are made of: every kind of line head, malformed
    /// markers, dates, 一是, colons, brackets, white space of every kind.
    const PIECES: &[&str] = &[
        "一、",
        "二",
        "十",
        "十二",
        "九十九",
        "一.",
        "一．",
        "一，",
        "一 ",
        "（一）",
        "(一)",
        "一)",
        "（一）、",
        "（二",
        "1.",
        "1、",
        "1．",
        "1，",
        "12.",
        "123.",
        "1.5万",
        "１．",
        "（1）",
        "(1)",
        "1)",
        "（１）",
        "（1）.",
        "①",
        "⑳",
        "①、",
        "2025年1月20日",
        "2025 年 1 月 20 日",
        "25年1月20日",
        "２０２５年１月２０日",
        "二〇二五年一月二十日",
        "二○二五年十二月三十一日",
        "2025.1.20",
        "2025-01-20",
        "2025/1/20",
        "2025．1．20",
        "2025年2月30日",
        "年",
        "月",
        "日",
        "大府〔2023〕16号",
        "某办发［2024］第3号",
        "〔2023〕",
        "号",
        "签发人：",
        "签发人",
        "唐紫薇",
        "附件",
        "附件：",
        "附件1：",
        "附件：1.某某",
        "特此报告",
        "特此报告。",
        "专此报告！",
        "县委、县政府：",
        "县委：",
        "中华人民共和国国务院办公厅中华人民共和国国务院办公厅",
        "：",
        ":",
        "，",
        "。",
        "；",
        "！",
        "？",
        "、",
        "一是",
        "二是",
        "十是",
        "是",
        "加强组织领导",
        "正文内容",
        "2024年以来",
        "abc",
        " ",
        "  ",
        "\t",
        "\u{3000}",
        "\u{a0}",
        "\u{feff}",
        "\u{200b}",
        "\u{2002}",
        "\u{2003}",
        "【",
        "[",
        "（",
        "(",
        "）",
        ")",
        "〖",
        "零",
        "〇",
        "○",
        "О",
        "Ｏ",
        "０",
        "9",
        "⑴",
        "㈠",
        "—",
        "…",
        "“",
        "”",
    ];

    pub(crate) fn random_text(rng: &mut Rng) -> String {
        let mut s = String::new();
        for _ in 0..1 + rng.next() % 6 {
            for _ in 0..rng.next() % 6 {
                s.push_str(rng.pick(PIECES));
            }
            s.push_str(rng.pick(&["\n", "\r\n", "\r", "\n\n", "\n  \n"]));
        }
        if rng.next().is_multiple_of(2) {
            s.pop();
        }
        s
    }

    /// The byte-level white-space trimming and 。！？ search give what the
    /// char-pattern `str` methods give, from and up to every character
    /// boundary of every corpus line and of generated lines (all kinds of
    /// white space, CRLF and lone CR among them).
    #[test]
    fn byte_trims_and_stop_search_equal_char_patterns() {
        let mut texts: Vec<String> = Vec::new();
        for src in corpus() {
            texts.extend(src.text.split_inclusive(['\n', '\r']).map(String::from));
        }
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        texts.extend((0..5_000).map(|_| random_text(&mut rng)));
        texts.push("\u{3000}\u{a0}\u{feff}\u{200b}\u{2002}\u{2003} \t".repeat(3));
        texts.push("\u{2001}\u{2004}\u{200a}\u{200c}\u{3001}\u{ff01}😀\u{feff}".into());
        let (mut trimmed, mut stops) = (0, 0);
        for t in &texts {
            for (i, _) in t.char_indices().chain([(t.len(), ' ')]) {
                let (head, tail) = (&t[..i], &t[i..]);
                assert_eq!(
                    trim_ws_start(tail),
                    tail.trim_start_matches(is_ws),
                    "{tail:?}"
                );
                assert_eq!(trim_ws_end(head), head.trim_end_matches(is_ws), "{head:?}");
                let stop = find_sentence_end(tail);
                assert_eq!(stop, tail.find(['。', '！', '？']), "{tail:?}");
                trimmed += usize::from(trim_ws_start(tail).len() < tail.len());
                stops += usize::from(stop.is_some());
            }
        }
        assert!(trimmed > 0 && stops > 0);
    }

    /// The per-line classification with its plain-text prefilter gives the
    /// lines of the whole-document pest parse, on every corpus report, on
    /// each of its lines alone, and on generated input.
    #[test]
    fn per_line_classification_equals_the_document_parse() {
        let same = |src: &Source| {
            let fast = format!("{:?}", classify_lines(src));
            let slow = format!("{:?}", classify_document(src));
            assert_eq!(fast, slow, "{:?}", src.text);
        };
        let mut fallbacks = 0;
        for src in corpus() {
            same(&src);
            for line in src.text.lines() {
                same(&Source::from_text("l.txt", line));
            }
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let src = Source::from_text("g.txt", random_text(&mut rng));
            if OutlineParser::parse(Rule::document, &src.text).is_err() {
                fallbacks += 1;
            }
            same(&src);
        }
        // `Rule::document` matches every input (DESIGN.md: parsing never
        // fails), also lines whose short-line rule leaves trailing blanks.
        assert_eq!(fallbacks, 0);
    }

    /// `doc_number_line` (and the alternatives after it when it fails)
    /// followed in Rust gives what `Rule::line` gives, on generated lines
    /// made of 发文字号 and 签发人 pieces: every bracket, digits of every
    /// width and count, 第, white space, and text that ends the rule early
    /// or runs past it. (Corpus lines are held equal by
    /// `per_line_classification_equals_the_document_parse`.)
    #[test]
    fn doc_number_lines_follow_the_grammar() {
        // A 发文字号 line slot by slot, each slot with right and wrong fillers.
        const SLOTS: &[&[&str]] = &[
            &["", " ", "\u{3000}"],
            &[
                "大府",
                "某办发",
                "x",
                "府 办",
                "府\u{a0}办",
                "😀府é",
                "签发人",
                "一二三四五六七八九十一二三四五六七八九",
                "一二三四五六七八九十一二三四五六七八九十",
                "一二三四五六七八九十一二三四五六七八九十一",
                "",
            ],
            &["〔", "［", "[", "【", "（", "(", "〖", "〕", ""],
            &["2023", "２０２３", "2０23", "202", "20235", ""],
            &["〕", "］", "]", "】", "）", ")", "〗", "〔", ""],
            &["", "第"],
            &["16", "１６", "1", ""],
            &["号", "号号", ""],
            &["", " ", "\u{3000}", "  ", "\u{feff}", "\u{200b}"],
            &[
                "",
                "签发人",
                "签发人：",
                "签发人: ",
                "签发人 唐紫薇",
                "签发人：唐紫薇 ",
                "签发人：唐紫薇、李四",
                "签发人：　",
                "，正文",
                "2025年1月20日",
            ],
            &["", " ", "\t", "x"],
        ];
        const DOC_PIECES: &[&str] = &[
            "大府",
            "〔",
            "（",
            "〕",
            "2023",
            "16",
            "第",
            "号",
            " ",
            "签发人",
            "：",
            "唐紫薇",
            "附件",
            "特此报告",
            "2025年1月20日",
            "一、",
            "（一）",
            "县委：",
        ];
        let (mut number, mut both, mut signer) = (0, 0, 0);
        let mut rng = Rng(0x5eed_d0c5_0000_0001);
        for _ in 0..60_000 {
            let mut line = String::new();
            if rng.next().is_multiple_of(4) {
                for _ in 0..1 + rng.next() % 9 {
                    line.push_str(rng.pick(DOC_PIECES));
                }
            } else {
                for slot in SLOTS {
                    line.push_str(rng.pick(slot));
                }
            }
            let src = Source::from_text("d.txt", &line);
            let fast = classify_lines(&src);
            assert_eq!(
                format!("{fast:?}"),
                format!("{:?}", classify_document(&src)),
                "{line:?}"
            );
            for l in &fast {
                match l.kind {
                    Kind::DocNumber {
                        number: Some(_),
                        signer: None,
                    } => number += 1,
                    Kind::DocNumber {
                        number: Some(_),
                        signer: Some(_),
                    } => both += 1,
                    Kind::DocNumber { number: None, .. } => signer += 1,
                    _ => {}
                }
            }
        }
        assert!(
            number > 20 && both > 20 && signer > 20,
            "{number} {both} {signer}"
        );
    }

    /// `date_parts` gives what `Rule::date` and `lower_date` take from
    /// its pairs (length, alternative, year, month, day) on random strings
    /// of date pieces, on every corpus line and on the pieces of `PIECES`.
    #[test]
    fn date_follows_the_grammar() {
        fn by_pest(s: &str) -> Option<DateParts<'_>> {
            pest_date_parts(OutlineParser::parse(Rule::date, s).ok()?.next()?)
        }
        const DATE_PIECES: &[&str] = &[
            "2025",
            "25",
            "202",
            "20255",
            "1",
            "01",
            "12",
            "123",
            "２０２５",
            "１",
            "０１",
            "二〇二五",
            "二零二五",
            "二○二五",
            "二О二五",
            "二Ｏ二五",
            "〇",
            "零",
            "一",
            "二",
            "三",
            "九",
            "十",
            "十一",
            "十二",
            "十三",
            "二十",
            "三十",
            "三十一",
            "二十九",
            "年",
            "月",
            "日",
            " ",
            "\u{3000}",
            "\t",
            ".",
            "．",
            "-",
            "/",
            "－",
            "x",
            "号",
            "、",
        ];
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        let mut strings: Vec<String> = DATE_PIECES.iter().map(|s| s.to_string()).collect();
        strings.extend(PIECES.iter().map(|s| s.to_string()));
        for src in corpus() {
            strings.extend(src.text.lines().map(|l| trim_ws_start(l).to_string()));
        }
        for _ in 0..60_000 {
            let n = 1 + rng.next() % 9;
            strings.push((0..n).map(|_| rng.pick(DATE_PIECES)).collect());
        }
        // Dates shaped like each alternative, right and nearly right.
        let years = [
            "2025",
            "25",
            "２０２５",
            "二〇二五",
            "二零二五",
            "二○二",
            "202",
        ];
        let months = ["1", "01", "12", "一", "十", "十一", "十二", "十三", "０１"];
        let days = [
            "9",
            "20",
            "31",
            "二",
            "十",
            "十九",
            "二十",
            "三十一",
            "二十十",
        ];
        let seps = [
            ("年", "月", "日"),
            (" 年 ", " 月 ", " 日"),
            (".", ".", ""),
            ("-", "/", ""),
            ("．", "－", "日"),
        ];
        for y in years {
            for m in months {
                for d in days {
                    for (a, b, c) in seps {
                        strings.push(format!("{y}{a}{m}{b}{d}{c}"));
                    }
                }
            }
        }
        let mut found = [0; 3];
        for s in &strings {
            let fast = date_parts(s);
            assert_eq!(fast, by_pest(s), "{s:?}");
            if let Some(d) = fast {
                found[[Rule::date_arabic, Rule::date_chinese, Rule::date_separated]
                    .iter()
                    .position(|&r| r == d.form)
                    .unwrap()] += 1;
            }
        }
        assert!(found.iter().all(|&n| n > 20), "{found:?}");
    }

    /// `marker_parts` gives what `Rule::marker` and `lower_marker` give, on
    /// every string of up to four characters drawn from those that markers
    /// are made of (and some that they are not), on random longer strings,
    /// and on the head of every corpus line.
    #[test]
    fn marker_follows_the_grammar() {
        fn by_pest(s: &str) -> Option<(usize, u8, u32, MarkerForm)> {
            let m = OutlineParser::parse(Rule::marker, s).ok()?.next()?;
            let mut h = HeadingParts::empty();
            let len = m.as_span().end();
            lower_marker(&mut h, m.into_inner().next().expect("rank"));
            Some((len, h.rank, h.ordinal, h.form))
        }
        let check = |s: &str| {
            assert_eq!(marker_parts(s), by_pest(s), "{s:?}");
            assert_eq!(
                MarkerHead::new(s).may_be_marker(),
                may_be_marker(s),
                "{s:?}"
            );
        };
        let alphabet: Vec<char> = "一二五九十（）()0１9０、．.，, \u{3000}①⑳⑴是x"
            .chars()
            .collect();
        let mut matched = 0;
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for s in &strings {
                for &c in &alphabet {
                    let t = format!("{s}{c}");
                    check(&t);
                    matched += usize::from(by_pest(&t).is_some());
                    longer.push(t);
                }
            }
            strings = longer;
        }
        assert!(matched > 10_000, "{matched}");
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for _ in 0..100_000 {
            let t: String = (0..5 + rng.next() % 4)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            check(&t);
        }
        for src in corpus() {
            for line in src.text.lines() {
                check(line.trim_start_matches(is_ws));
            }
        }
    }

    /// The byte comparison of [`cn_ordinal_chars`] gives what decoding the
    /// characters gives, on every string of up to four characters of
    /// ordinals, near misses (characters sharing lead or continuation bytes
    /// with them) and other widths, and on every corpus line.
    #[test]
    fn cn_ordinal_bytes_equal_chars() {
        const CHARS: &[&str] = &[
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "〇", "零", "丁", "亍",
            "兮", "卂", "是", "、", "a", "1", "é", "😀", " ",
        ];
        for c in CHARS {
            let one = c.chars().count() == 1;
            let ch = c.chars().next().unwrap_or('\0');
            assert_eq!(is_cn_digit_bytes(c.as_bytes()), one && is_cn_digit(ch));
            assert_eq!(is_enum_start_bytes(c.as_bytes()), one && is_enum_start(ch));
        }
        let mut found = [0usize; 4];
        let mut check = |s: &str| {
            let n = cn_ordinal_chars(s);
            assert_eq!(n, cn_ordinal_chars_slow(s), "{s:?}");
            found[n] += 1;
        };
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for w in &words {
                for c in CHARS {
                    longer.push(format!("{w}{c}"));
                }
            }
            for w in &longer {
                check(w);
            }
            words = longer;
        }
        check("");
        for src in corpus() {
            for line in src.text.lines() {
                let mut rest = line;
                while !rest.is_empty() {
                    check(rest);
                    let skip = rest.chars().next().map_or(1, char::len_utf8);
                    rest = &rest[skip..];
                }
            }
        }
        assert!(found.iter().all(|&n| n > 100), "{found:?}");
    }

    /// `enumerations` skips pest where no 是 can close a marker; the result
    /// is the same as trying `enum_marker` at every clause start.
    #[test]
    fn enumeration_prefilter_is_exact() {
        fn reference(s: &str, base: usize) -> Vec<EnumItem> {
            let mut out = Vec::new();
            let mut at_boundary = true;
            for (at, c) in s.char_indices() {
                if at_boundary && !is_ws(c) {
                    if let Ok(mut p) = OutlineParser::parse(Rule::enum_marker, &s[at..]) {
                        let m = p.next().unwrap().as_str();
                        out.push(EnumItem {
                            marker: m.to_string(),
                            ordinal: parse_cn_ordinal(&m[..m.len() - "是".len()]).unwrap_or(0),
                            span: Span::new(base + at, base + at + m.len()),
                        });
                    }
                    at_boundary = false;
                }
                if is_clause_boundary(c) {
                    at_boundary = true;
                }
            }
            out
        }
        let check = |s: &str| {
            let fast = format!("{:?}", enumerations(s, 7));
            assert_eq!(fast, format!("{:?}", reference(s, 7)), "{s:?}");
        };
        for src in corpus() {
            for line in src.text.lines() {
                check(line);
            }
        }
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            check(&random_text(&mut rng).replace(['\n', '\r'], ""));
        }
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
