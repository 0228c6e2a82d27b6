//! ## What it does
//! Checks that paired punctuation is closed on the same line (or within the
//! title): quotation marks “” ‘’, book-title marks 《》 〈〉, brackets （） 〔〕
//! 【】. It reports an opening mark that is never closed, a closing mark
//! that was never opened, and a pair whose two ends do not match
//! (`《……）`). It also reports ASCII angle brackets used as book-title
//! marks (`<米易县法治政府建设工作方案>`); inside 《》 they become 〈〉.
//!
//! When the text stops in the middle of a sentence (an excerpt or a copy cut
//! short), an opening mark on its last line is not reported: the cut, not
//! the author, separated it from its partner.
//!
//! Round brackets are paired whatever their width: a full-width `（` closed
//! by an ASCII `)` is a width problem (`P001`), not an unpaired bracket.
//! Outline markers (`一)`) and short list numbers at a clause start (`1)`)
//! are not brackets that need a partner.
//!
//! ## Why is this bad?
//! A lone 《 or 》 leaves the reader unsure where a document's name begins
//! or ends; in citations of laws and documents that is a substantive error,
//! and reviewers return the report for it.
//!
//! ## Example
//! ```text
//! 先后15次被《人民日报》新华社、法治日报》、《中国税务报国家级重要媒体宣传报道
//! ```
//!
//! ## Use instead
//! ```text
//! 先后15次被《人民日报》、新华社、《法治日报》、《中国税务报》等国家级重要媒体宣传报道
//! ```
//!
//! ## Basis
//! GB/T 15834—2011《标点符号用法》4.9（括号）、4.15（书名号）、4.1（引号）.

use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::rules::text::{InsideCursor, MarkCursor, excerpt, is_han, lines};
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》4.1、4.9、4.15";

/// Families of paired marks: (opening marks, closing marks, name zh, name en).
const FAMILIES: &[(&str, &str, &str, &str)] = &[
    ("“", "”", "双引号", "double quotation mark"),
    ("‘", "’", "单引号", "single quotation mark"),
    ("《", "》", "书名号", "book-title mark"),
    ("〈", "〉", "单书名号", "inner book-title mark"),
    ("（(", "）)", "圆括号", "round bracket"),
    ("〔", "〕", "六角括号", "hexagonal bracket"),
    ("【", "】", "方头括号", "black lenticular bracket"),
    ("<", ">", "尖括号", "angle bracket"),
];

fn family(c: char) -> Option<(usize, bool)> {
    // A plain match: this runs for every character of the text.
    Some(match c {
        '“' => (0, true),
        '”' => (0, false),
        '‘' => (1, true),
        '’' => (1, false),
        '《' => (2, true),
        '》' => (2, false),
        '〈' => (3, true),
        '〉' => (3, false),
        '（' | '(' => (4, true),
        '）' | ')' => (4, false),
        '〔' => (5, true),
        '〕' => (5, false),
        '【' => (6, true),
        '】' => (6, false),
        '<' => (7, true),
        '>' => (7, false),
        _ => return None,
    })
}

const ANGLE: usize = 7;

#[derive(Clone, Copy)]
struct Open {
    at: usize,
    ch: char,
    fam: usize,
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_with(cx, cx.protected(), scan, true, out);
}

#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    let links = crate::rules::text::link_spans_reference(cx.text());
    let protected = crate::rules::text::protected_spans(&links, &cx.document.walk());
    check_with(cx, &protected, scan_reference, false, out);
}

/// Scans one unit: (context, text, unit, the offsets of
/// [`Marks::paired`](crate::rules::text::Marks::paired) inside the unit,
/// protected spans, a stack to use (left empty), where lone angle brackets
/// go).
type ScanFn = fn(
    &Context,
    &str,
    Span,
    &[usize],
    &mut InsideCursor,
    &mut Vec<Open>,
    &mut Vec<Diagnostic>,
) -> Scanned;

fn check_with(
    cx: &Context,
    protected: &[Span],
    scan: ScanFn,
    skip_unmarked: bool,
    out: &mut Vec<Diagnostic>,
) {
    let text = cx.text();
    // Units scanned as one: the title (it may be set over several lines),
    // then every other line.
    let mut units: Vec<Span> = Vec::with_capacity(cx.source.index.line_count() + 1);
    let title = cx.document.title.as_ref().map(|t| t.span);
    if let Some(t) = title {
        units.push(t);
    }
    for (_, line) in lines(cx.source) {
        if title.is_some_and(|t| t.start <= line.start && line.end <= t.end) {
            continue;
        }
        units.push(line);
    }
    // A text that stops mid-sentence (an excerpt, a copy cut short) may cut
    // a pair in two: openers on its last line are not reported.
    let last = units
        .iter()
        .rev()
        .find(|u| {
            !text[u.range()]
                .trim_matches(crate::rules::text::is_ws)
                .is_empty()
        })
        .copied();
    let cut = last.is_some_and(|u| {
        let t = text[u.range()].trim_end_matches(crate::rules::text::is_ws);
        !t.ends_with([
            '。', '！', '？', '”', '）', '》', '】', '〕', '.', '!', '?', ')',
        ])
    });
    units.sort();
    let mut unit_marks = MarkCursor::new(&cx.marks().paired);
    // The units are sorted and apart, and each visits its marks in order:
    // the offsets asked about never decrease.
    let mut protect = InsideCursor::new(protected);
    // Only the units that leave something unpaired, with their place in
    // `units`: most units close what they open, and most hold no paired
    // mark at all.
    let mut results: Vec<(usize, Scanned)> = Vec::new();
    let mut stack = Vec::new();
    for (k, &unit) in units.iter().enumerate() {
        let marks = unit_marks.marks_in(unit);
        if skip_unmarked && marks.is_empty() {
            continue;
        }
        let r = scan(cx, text, unit, marks, &mut protect, &mut stack, out);
        if !(r.opens.is_empty() && r.closes.is_empty()) {
            results.push((k, r));
        }
    }
    // A pair split by a broken line (“…依法行政，⏎做到……执法。”): the last
    // lone opener of a line and the first lone closer of the same kind on
    // the next line close each other (F002 reports the break).
    for k in 1..results.len() {
        // Only units next to each other (the others leave nothing to pair).
        if results[k].0 != results[k - 1].0 + 1 {
            continue;
        }
        let (prev_unit, unit) = (results[k - 1].1.unit, results[k].1.unit);
        let gap = cx.source.line(unit.start) - cx.source.line(prev_unit.end);
        // Only when the first line stops mid-sentence.
        let prev = text[prev_unit.range()].trim_end_matches(crate::rules::text::is_ws);
        if gap > 3 || prev.ends_with(['。', '！', '？', '；', '!', '?', ';']) {
            continue;
        }
        while let (Some(o), Some(&(at, c))) = (
            results[k - 1].1.opens.last().copied(),
            results[k].1.closes.first(),
        ) {
            let same = family(c).is_some_and(|(f, _)| f == o.fam);
            let opened_before = results[k].1.first_open[o.fam] < at;
            if !same || opened_before {
                break;
            }
            results[k - 1].1.opens.pop();
            results[k].1.closes.remove(0);
        }
    }
    for (_, r) in results {
        for &(at, c) in &r.closes {
            out.push(lone_close(cx, at, c, r.unit));
        }
        let report_open = !(cut && Some(r.unit) == last);
        if report_open {
            for o in &r.opens {
                out.push(lone_open(cx, *o, r.unit));
            }
        }
    }
}

/// What is left unpaired on one unit.
struct Scanned {
    unit: Span,
    /// Openers never closed on the unit, in order.
    opens: Vec<Open>,
    /// Closers that close nothing, in order.
    closes: Vec<(usize, char)>,
    /// The offset of the first opener of each family on the unit (paired
    /// or not), `usize::MAX` for none.
    first_open: [usize; FAMILIES.len()],
}

impl Scanned {
    /// What is left on the stack and the closers of a unit.
    fn new(
        unit: Span,
        stack: &mut Vec<Open>,
        closes: Vec<(usize, char)>,
        first_open: [usize; FAMILIES.len()],
    ) -> Scanned {
        // The stack's buffer goes on to the next unit unless it holds
        // something.
        let opens = if stack.is_empty() {
            Vec::new()
        } else {
            std::mem::take(stack)
        };
        Scanned {
            unit,
            opens,
            closes,
            first_open,
        }
    }
}

/// The paired mark of [`family`] at byte `at`, read from the bytes: the
/// ASCII brackets, “”‘’ (`E2 80 xx`), 《》〈〉〔〕【】 (`E3 80 xx`) and （）
/// (`EF BC xx`). [`scan`] visits only the offsets of [`Context::marks`],
/// most of them commas and stops, which this rejects without decoding.
pub(crate) fn paired_at(bytes: &[u8], at: usize) -> Option<char> {
    Some(match bytes[at..] {
        [b @ (b'(' | b')' | b'<' | b'>'), ..] => char::from(b),
        [0xE2, 0x80, b, ..] => match b {
            0x9C => '“',
            0x9D => '”',
            0x98 => '‘',
            0x99 => '’',
            _ => return None,
        },
        [0xE3, 0x80, b, ..] => match b {
            0x8A => '《',
            0x8B => '》',
            0x88 => '〈',
            0x89 => '〉',
            0x94 => '〔',
            0x95 => '〕',
            0x90 => '【',
            0x91 => '】',
            _ => return None,
        },
        [0xEF, 0xBC, 0x88, ..] => '（',
        [0xEF, 0xBC, 0x89, ..] => '）',
        _ => return None,
    })
}

fn scan(
    cx: &Context,
    text: &str,
    unit: Span,
    marks: &[usize],
    protect: &mut InsideCursor,
    stack: &mut Vec<Open>,
    out: &mut Vec<Diagnostic>,
) -> Scanned {
    let mut closes: Vec<(usize, char)> = Vec::new();
    let mut first_open = [usize::MAX; FAMILIES.len()];
    let bytes = text.as_bytes();
    for &at in marks {
        // Most marks (，。、) are no paired mark: asked before the
        // protected spans are asked.
        let Some(c) = paired_at(bytes, at) else {
            continue;
        };
        let from = at + c.len_utf8();
        let Some((fam, opening)) = family(c) else {
            continue;
        };
        if protect.inside(at) {
            continue;
        }
        if fam == ANGLE {
            if opening {
                // `<` counts only when it opens Chinese text closed by `>` on
                // the line (a book title), not a comparison or an HTML tag.
                let rest = &text[at + 1..unit.end];
                let close = rest.find('>');
                let is_title = close.is_some_and(|e| {
                    let inner = &rest[..e];
                    // At least two characters: `<完>` marks the end of a
                    // text, it is not a title.
                    inner.starts_with(is_han)
                        && inner.chars().filter(|&c| is_han(c)).count() >= 2
                        && !inner.contains(['<', '，', ',', '；', ';', '。'])
                });
                if is_title {
                    stack.push(Open { at, ch: c, fam });
                }
            } else if let Some(pos) = stack.iter().rposition(|o| o.fam == ANGLE) {
                for o in stack.drain(pos + 1..).collect::<Vec<_>>() {
                    out.push(lone_open(cx, o, unit));
                }
                let o = stack.pop().expect("angle open");
                let nested = stack.iter().any(|x| x.fam == 2);
                out.push(angle_title(cx, o.at, at, nested));
            }
            continue;
        }
        if opening {
            stack.push(Open { at, ch: c, fam });
            first_open[fam] = first_open[fam].min(at);
            continue;
        }
        // A closing round bracket right after a short number or letter at a
        // clause start is a list marker: `1)`, `a)`.
        if fam == 4 && is_list_marker(text, unit.start, at) {
            continue;
        }
        match stack.iter().rposition(|o| o.fam == fam) {
            Some(pos) => {
                let inner: Vec<Open> = stack.drain(pos + 1..).collect();
                for o in inner {
                    out.push(lone_open(cx, o, unit));
                }
                stack.pop();
            }
            None => {
                // The top opener never closes with its own mark and this one
                // closes nothing: a mismatched pair.
                let top = stack.last().copied();
                let top_closes_later = top.is_some_and(|o| {
                    text[from..unit.end]
                        .chars()
                        .any(|x| family(x) == Some((o.fam, false)))
                });
                match top {
                    Some(o) if !top_closes_later && o.fam != ANGLE => {
                        stack.pop();
                        out.push(mismatch(cx, o, at, c));
                    }
                    _ => closes.push((at, c)),
                }
            }
        }
    }
    Scanned::new(unit, stack, closes, first_open)
}

/// The reference scanner: every character of the unit.
#[cfg(test)]
fn scan_reference(
    cx: &Context,
    text: &str,
    unit: Span,
    _marks: &[usize],
    protect: &mut InsideCursor,
    stack: &mut Vec<Open>,
    out: &mut Vec<Diagnostic>,
) -> Scanned {
    let s = &text[unit.range()];
    let mut closes: Vec<(usize, char)> = Vec::new();
    let mut first_open = [usize::MAX; FAMILIES.len()];
    let chars: Vec<(usize, char)> = s.char_indices().map(|(i, c)| (unit.start + i, c)).collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if crate::rules::text::inside(protect.spans(), at) {
            continue;
        }
        let Some((fam, opening)) = family(c) else {
            continue;
        };
        if fam == ANGLE {
            if opening {
                // `<` counts only when it opens Chinese text closed by `>` on
                // the line (a book title), not a comparison or an HTML tag.
                let rest = &text[at + 1..unit.end];
                let close = rest.find('>');
                let is_title = close.is_some_and(|e| {
                    let inner = &rest[..e];
                    // At least two characters: `<完>` marks the end of a
                    // text, it is not a title.
                    inner.starts_with(is_han)
                        && inner.chars().filter(|&c| is_han(c)).count() >= 2
                        && !inner.contains(['<', '，', ',', '；', ';', '。'])
                });
                if is_title {
                    stack.push(Open { at, ch: c, fam });
                }
            } else if let Some(pos) = stack.iter().rposition(|o| o.fam == ANGLE) {
                for o in stack.drain(pos + 1..).collect::<Vec<_>>() {
                    out.push(lone_open(cx, o, unit));
                }
                let o = stack.pop().expect("angle open");
                let nested = stack.iter().any(|x| x.fam == 2);
                out.push(angle_title(cx, o.at, at, nested));
            }
            continue;
        }
        if opening {
            stack.push(Open { at, ch: c, fam });
            first_open[fam] = first_open[fam].min(at);
            continue;
        }
        // A closing round bracket right after a short number or letter at a
        // clause start is a list marker: `1)`, `a)`.
        if fam == 4 && is_list_marker(text, unit.start, at) {
            continue;
        }
        match stack.iter().rposition(|o| o.fam == fam) {
            Some(pos) => {
                let inner: Vec<Open> = stack.drain(pos + 1..).collect();
                for o in inner {
                    out.push(lone_open(cx, o, unit));
                }
                stack.pop();
            }
            None => {
                // The top opener never closes with its own mark and this one
                // closes nothing: a mismatched pair.
                let top = stack.last().copied();
                let top_closes_later = top.is_some_and(|o| {
                    chars[k + 1..]
                        .iter()
                        .any(|&(_, x)| family(x) == Some((o.fam, false)))
                });
                match top {
                    Some(o) if !top_closes_later && o.fam != ANGLE => {
                        stack.pop();
                        out.push(mismatch(cx, o, at, c));
                    }
                    _ => closes.push((at, c)),
                }
            }
        }
    }
    Scanned::new(unit, stack, closes, first_open)
}

fn is_list_marker(text: &str, start: usize, at: usize) -> bool {
    let head = &text[start..at];
    let body =
        head.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || ('０'..='９').contains(&c));
    let n = head.len() - body.len();
    (1..=2).contains(&n)
        && body
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '。' | '；' | ';' | '，' | ',' | '：' | ':'))
}

fn name(fam: usize) -> (&'static str, &'static str) {
    (FAMILIES[fam].2, FAMILIES[fam].3)
}

/// The first mark of a family's opening or closing marks (`“`, `（` …).
fn first_mark(marks: &'static str) -> &'static str {
    &marks[..marks.chars().next().map_or(0, char::len_utf8)]
}

fn lone_open(cx: &Context, o: Open, unit: Span) -> Diagnostic {
    let (zh, en) = name(o.fam);
    let len = o.ch.len_utf8();
    let text = cx.text();
    let ch = &text[o.at..o.at + len];
    let after = excerpt(&text[o.at + len..unit.end], 12);
    let closer = first_mark(FAMILIES[o.fam].1);
    Diagnostic::new("P002", Span::new(o.at, o.at + len))
        .message(
            [zh, "“", ch, "”没有配对的“", closer, "”"].concat(),
            [en, " “", ch, "” is never closed by “", closer, "”"].concat(),
        )
        .primary_label(
            ["“", ch, "”在本行没有闭合"].concat(),
            ["“", ch, "” not closed on this line"].concat(),
        )
        .note(
            ["其后的文字：", &after].concat(),
            ["text after it: ", &after].concat(),
        )
        .help(
            ["在应结束的位置补上“", closer, "”，或删去多余的“", ch, "”"].concat(),
            [
                "add “",
                closer,
                "” where it ends, or remove the stray “",
                ch,
                "”",
            ]
            .concat(),
        )
        .basis(BASIS)
}

fn lone_close(cx: &Context, at: usize, c: char, unit: Span) -> Diagnostic {
    let (fam, _) = family(c).unwrap_or((0, false));
    let (zh, en) = name(fam);
    let opener = first_mark(FAMILIES[fam].0);
    let text = cx.text();
    let c = &text[at..at + c.len_utf8()];
    // The twelve characters before it.
    let head = &text[unit.start..at];
    let before = &head[head.char_indices().rev().nth(11).map_or(0, |(i, _)| i)..];
    Diagnostic::new("P002", Span::new(at, at + c.len()))
        .message(
            [zh, "“", c, "”前面没有配对的“", opener, "”"].concat(),
            [en, " “", c, "” closes nothing: no “", opener, "” before it"].concat(),
        )
        .primary_label(
            ["多出的“", c, "”"].concat(),
            ["unmatched “", c, "”"].concat(),
        )
        .note(
            ["其前的文字：", before].concat(),
            ["text before it: ", before].concat(),
        )
        .help(
            ["在名称开始处补上“", opener, "”，或删去多余的“", c, "”"].concat(),
            [
                "add “",
                opener,
                "” where the name starts, or remove the stray “",
                c,
                "”",
            ]
            .concat(),
        )
        .basis(BASIS)
}

fn mismatch(cx: &Context, o: Open, at: usize, c: char) -> Diagnostic {
    let (zh, en) = name(o.fam);
    let text = cx.text();
    let want = first_mark(FAMILIES[o.fam].1);
    let ch = &text[o.at..o.at + o.ch.len_utf8()];
    let c = &text[at..at + c.len_utf8()];
    Diagnostic::new("P002", Span::new(at, at + c.len()))
        .message(
            ["标点不配对：", zh, "“", ch, "”以“", c, "”结束"].concat(),
            [
                "mismatched pair: the ",
                en,
                " “",
                ch,
                "” ends with “",
                c,
                "”",
            ]
            .concat(),
        )
        .primary_label(
            ["应为“", want, "”"].concat(),
            ["expected “", want, "”"].concat(),
        )
        .label(
            Span::new(o.at, o.at + o.ch.len_utf8()),
            "开始于此",
            "opened here",
        )
        .basis(BASIS)
}

fn angle_title(_cx: &Context, open: usize, close: usize, nested: bool) -> Diagnostic {
    // Fixed texts for 《》 and for 〈〉.
    macro_rules! texts {
        ($o:literal, $c:literal) => {
            (
                $o,
                $c,
                (
                    concat!("用尖括号“<>”代替书名号：应为“", $o, $c, "”"),
                    concat!(
                        "ASCII angle brackets “<>” used as book-title marks; use “",
                        $o,
                        $c,
                        "”"
                    ),
                ),
                (concat!("应为“", $o, "”"), concat!("expected “", $o, "”")),
                (concat!("应为“", $c, "”"), concat!("expected “", $c, "”")),
                (
                    concat!("将“<>”改为“", $o, $c, "”"),
                    concat!("replace “<>” with “", $o, $c, "”"),
                ),
            )
        };
    }
    let (o, c, message, open_label, close_label, fix) = if nested {
        texts!("〈", "〉")
    } else {
        texts!("《", "》")
    };
    Diagnostic::new("P002", Span::new(open, open + 1))
        .message(message.0, message.1)
        .primary_label(open_label.0, open_label.1)
        .label(Span::new(close, close + 1), close_label.0, close_label.1)
        .help(
            "书名号内再用书名号时用单书名号“〈〉”",
            "a title inside a title takes the single marks “〈〉”",
        )
        .basis(BASIS)
        .fix(Fix::unsafe_(
            L10n::new(fix.0, fix.1),
            vec![
                crate::diagnostic::Edit {
                    span: Span::new(open, open + 1),
                    replacement: o.into(),
                },
                crate::diagnostic::Edit {
                    span: Span::new(close, close + 1),
                    replacement: c.into(),
                },
            ],
        ))
}
