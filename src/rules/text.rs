//! Character classes and scanning helpers shared by the punctuation and
//! layout rules (P*, F*, C001).

use crate::ast::{Document, Section};
use crate::source::{Source, Span};

/// A Han character (CJK unified ideographs, extension A, compatibility).
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '〇')
}

/// Full-width (Chinese) punctuation and symbols: what surrounds ASCII marks
/// that belong to Chinese running text.
#[inline]
pub(crate) fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303f}'          // 、。〈〉《》「」『』【】〔〕〖〗…
        | '\u{ff01}'..='\u{ff0f}'        // ！＂＃＄％＆＇（）＊＋，－．／
        | '\u{ff1a}'..='\u{ff20}'        // ：；＜＝＞？＠
        | '\u{ff3b}'..='\u{ff40}'
        | '\u{ff5b}'..='\u{ff65}'        // ｛｜｝～
        | '\u{2018}'..='\u{201d}'        // ‘ ’ “ ”
        | '\u{2014}' | '\u{2015}' | '\u{2026}' | '\u{00b7}' | '\u{2022}')
}

/// Han or full-width punctuation: Chinese running text.
#[inline]
pub(crate) fn is_cjkish(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Horizontal white space as the grammar knows it.
pub(crate) fn is_ws(c: char) -> bool {
    crate::syntax::lower::is_ws(c)
}

/// The lines of a source: (0-based line, content span without the line break).
pub(crate) fn lines(source: &Source) -> impl Iterator<Item = (usize, Span)> + '_ {
    let text = source.text.as_str();
    (0..source.index.line_count()).map(move |i| {
        let start = source.index.line_start(i);
        let end = source.index.content_end(text, i);
        (i, Span::new(start, end))
    })
}

/// The lines of a source that hold at least one of `marks` (sorted
/// offsets, none of them a line break), each with its marks: what [`lines`]
/// gives, without the lines that hold none, and what [`marks_in`] answers
/// for each. The line starts are walked from one mark's line to the
/// next's, so a line without marks costs a compare, not the work of
/// finding its end.
pub(crate) fn lines_with<'a>(
    source: &'a Source,
    marks: &'a [usize],
) -> impl Iterator<Item = (Span, &'a [usize])> + 'a {
    let text = source.text.as_str();
    let index = &source.index;
    let count = index.line_count();
    let mut line = 0;
    let mut k = 0;
    std::iter::from_fn(move || {
        let &at = marks.get(k)?;
        while line + 1 < count && index.line_start(line + 1) <= at {
            line += 1;
        }
        let next = if line + 1 < count {
            index.line_start(line + 1)
        } else {
            usize::MAX
        };
        let first = k;
        while k < marks.len() && marks[k] < next {
            k += 1;
        }
        let span = Span::new(index.line_start(line), index.content_end(text, line));
        line += 1;
        Some((span, &marks[first..k]))
    })
}

/// The character before byte `at` (None at the start of the text).
#[inline]
pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// The nearest non-white-space character before `at` on the same line.
#[inline]
pub(crate) fn prev_visible(text: &str, line_start: usize, at: usize) -> Option<char> {
    text[line_start..at]
        .chars()
        .rev()
        .find(|&c| c != ' ' && c != '\t')
}

/// The nearest non-white-space character from `at` on, before `line_end`.
#[inline]
pub(crate) fn next_visible(text: &str, at: usize, line_end: usize) -> Option<char> {
    text[at..line_end].chars().find(|&c| c != ' ' && c != '\t')
}

/// Bytes that may appear in a URL (`url_char` of the reference scanner).
const URL_BYTES: ByteSet = ByteSet::new(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'*+,;=%",
);

/// Spans of URLs and e-mail addresses: nothing inside them is Chinese
/// punctuation.
///
/// Only three bytes can matter: the `:` of `http://`, `https://` and
/// `ftp://`, the `w` of `www.` and the `@` of an address; `memchr3` jumps
/// from one to the next, so Chinese text costs next to nothing.
pub(crate) fn link_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr3(b':', b'w', b'@', &bytes[i..]) {
        let q = i + k;
        // Where a link would start for this byte.
        let start = match bytes[q] {
            b':' if bytes[q..].starts_with(b"://") => {
                let head = &bytes[..q];
                let s = if head.ends_with(b"https") {
                    q - 5
                } else if head.ends_with(b"http") {
                    q - 4
                } else if head.ends_with(b"ftp") {
                    q - 3
                } else {
                    i = q + 1;
                    continue;
                };
                // Passed already (inside an address just taken).
                if s < i {
                    i = q + 1;
                    continue;
                }
                Some(s)
            }
            b'w' if bytes[q..].starts_with(b"www.")
                && (q == 0 || !bytes[q - 1].is_ascii_alphanumeric()) =>
            {
                Some(q)
            }
            _ => None,
        };
        if let Some(s) = start {
            let len = URL_BYTES.find_not(bytes, s).unwrap_or(bytes.len()) - s;
            // A trailing ASCII mark ends the sentence, not the URL.
            let mut end = s + len;
            while end > s
                && matches!(
                    bytes[end - 1],
                    b'.' | b',' | b';' | b':' | b')' | b'!' | b'?'
                )
            {
                end -= 1;
            }
            out.push(Span::new(s, end));
            i = end.max(s + 1);
            continue;
        }
        if bytes[q] == b'@' {
            let mut local = q;
            while local > 0
                && (bytes[local - 1].is_ascii_alphanumeric()
                    || matches!(bytes[local - 1], b'.' | b'_' | b'-' | b'+'))
            {
                local -= 1;
            }
            let domain_end = bytes[q + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')))
                .map_or(bytes.len(), |n| q + 1 + n);
            let domain = &text[q + 1..domain_end];
            if local < q && domain.contains('.') {
                let end = q + 1 + domain.trim_end_matches('.').len();
                out.push(Span::new(local, end));
                i = end;
                continue;
            }
        }
        i = q + 1;
    }
    out
}

/// The reference scanner: every byte, one at a time.
#[cfg(test)]
pub(crate) fn link_spans_reference(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let url_char = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'h' | b'f' | b'w' | b'@') {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let starts_url = rest.starts_with("http://")
            || rest.starts_with("https://")
            || rest.starts_with("ftp://")
            || (rest.starts_with("www.") && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()));
        if starts_url {
            let len = rest.find(|c: char| !url_char(c)).unwrap_or(rest.len());
            let mut end = i + len;
            while end > i
                && matches!(
                    bytes[end - 1],
                    b'.' | b',' | b';' | b':' | b')' | b'!' | b'?'
                )
            {
                end -= 1;
            }
            out.push(Span::new(i, end));
            i = end.max(i + 1);
            continue;
        }
        if bytes[i] == b'@' {
            let local = text[..i]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || "._-+".contains(*c))
                .last()
                .map(|(k, _)| k);
            let domain_len = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(rest.len() - 1);
            let domain = &rest[1..1 + domain_len];
            if let Some(start) = local
                && domain.contains('.')
            {
                let end = i + 1 + domain.trim_end_matches('.').len();
                out.push(Span::new(start, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A set of bytes, for skipping quickly to the few bytes a rule looks at.
///
/// Sets of ASCII bytes and UTF-8 *lead* bytes only: then every hit is at a
/// character boundary.
pub(crate) struct ByteSet([bool; 256]);

impl ByteSet {
    pub(crate) const fn new(bytes: &[u8]) -> Self {
        let mut set = [false; 256];
        let mut k = 0;
        while k < bytes.len() {
            set[bytes[k] as usize] = true;
            k += 1;
        }
        ByteSet(set)
    }

    pub(crate) fn contains(&self, b: u8) -> bool {
        self.0[b as usize]
    }

    /// The first offset from `from` on whose byte is not in the set.
    pub(crate) fn find_not(&self, hay: &[u8], from: usize) -> Option<usize> {
        hay[from..]
            .iter()
            .position(|&b| !self.contains(b))
            .map(|k| from + k)
    }
}

/// The bytes of [`is_mark`] as a table: what the tests compare with.
#[cfg(test)]
pub(crate) const MARK_BYTES: ByteSet = ByteSet::new(b" !\"#$%&'()*+,-./:;<=>?~\t\xC2\xE2\xE3\xEF");

/// How many bytes [`chunk_masks`] classifies at a time: sixteen blocks of
/// sixteen bytes.
const CHUNK: usize = 256;

/// One bit per byte of `chunk` that is a byte of [`is_mark`]: a mask per
/// sixty-four bytes, the first byte lowest.
///
/// Chinese text has a mark every few characters, so nearly every block of
/// sixteen bytes holds one: instead of skipping mark-free blocks, every
/// block is classified without a branch, with SSE2 (part of every x86-64
/// processor): the compares of [`is_mark`] on sixteen bytes at once, and
/// `pmovmskb` to gather their results into sixteen bits (a third of the
/// instructions of [`chunk_masks_portable`]). `safe_arch` wraps the
/// intrinsics safely. (Kept out of line: see [`chunk_masks_portable`].)
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn chunk_masks(chunk: &[u8; CHUNK]) -> [u64; CHUNK / 64] {
    use safe_arch::{
        bitand_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i,
        load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let splat = |b: u8| set_splat_i8_m128i(b as i8);
    let (high_nibble, x20, x30, x39) = (splat(0xF0), splat(0x20), splat(0x30), splat(0x39));
    let (tab, tilde, one, xc2, xe3, xef) = (
        splat(b'\t'),
        splat(b'~'),
        splat(1),
        splat(0xC2),
        splat(0xE3),
        splat(0xEF),
    );
    let mut masks = [0u64; CHUNK / 64];
    for (m, quad) in masks.iter_mut().zip(chunk.chunks_exact(64)) {
        for (k, block) in quad.chunks_exact(16).enumerate() {
            let v = load_unaligned_m128i(block.try_into().expect("sixteen bytes"));
            let nibble = bitand_m128i(v, high_nibble);
            // `20`–`2F`, and `3A`–`3F` (a signed compare: the bytes with
            // the high nibble `3` are positive).
            let ascii = bitor_m128i(
                cmp_eq_mask_i8_m128i(nibble, x20),
                bitand_m128i(
                    cmp_eq_mask_i8_m128i(nibble, x30),
                    cmp_gt_mask_i8_m128i(v, x39),
                ),
            );
            let single = bitor_m128i(cmp_eq_mask_i8_m128i(v, tab), cmp_eq_mask_i8_m128i(v, tilde));
            // `E2` and `E3` as one compare: `E2 | 1` is `E3`.
            let leads = bitor_m128i(
                bitor_m128i(cmp_eq_mask_i8_m128i(v, xc2), cmp_eq_mask_i8_m128i(v, xef)),
                cmp_eq_mask_i8_m128i(bitor_m128i(v, one), xe3),
            );
            let all = bitor_m128i(bitor_m128i(ascii, single), leads);
            // `pmovmskb` fills the low sixteen bits of the `i32`.
            let bits = move_mask_i8_m128i(all) as u32 as u64;
            *m |= bits << (16 * k);
        }
    }
    masks
}

/// [`chunk_masks`] for processors other than x86-64, and its reference in
/// the tests.
///
/// The compiler turns the compares of [`is_mark`] into vector compares;
/// [`movemask`] packs their results into one bit per byte. (Keep the loop
/// as simple as it is: with the sorting of [`Marks::sort`] inside it, the
/// compiler no longer vectorises it and the scan costs three times as
/// much; so it is kept out of line.)
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(never)]
fn chunk_masks_portable(chunk: &[u8; CHUNK]) -> [u64; CHUNK / 64] {
    let mut masks = [0u64; CHUNK / 64];
    for (m, quad) in masks.iter_mut().zip(chunk.chunks_exact(64)) {
        for (k, block) in quad.chunks_exact(16).enumerate() {
            let mut flags = [0u8; 16];
            for (f, &b) in flags.iter_mut().zip(block) {
                *f = if is_mark(b) { 0xFF } else { 0 };
            }
            let (lo, hi) = flags.split_at(8);
            *m |= u64::from(movemask(lo) | (movemask(hi) << 8)) << (16 * k);
        }
    }
    masks
}

#[cfg(not(target_arch = "x86_64"))]
use chunk_masks_portable as chunk_masks;

/// Calls `visit` with the offset of every byte of [`is_mark`] in `bytes`,
/// in order: the text a chunk of [`CHUNK`] bytes at a time, the last
/// (short) chunk copied into a zeroed one (a zero byte is no mark).
#[inline(always)]
fn for_each_mark(bytes: &[u8], mut visit: impl FnMut(usize)) {
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut base = 0;
    let mut visit_masks = |base: usize, masks: [u64; CHUNK / 64]| {
        for (k, &mask) in masks.iter().enumerate() {
            let mut mask = mask;
            while mask != 0 {
                visit(base + k * 64 + mask.trailing_zeros() as usize);
                mask &= mask - 1;
            }
        }
    };
    for chunk in &mut chunks {
        let chunk: &[u8; CHUNK] = chunk.try_into().expect("a whole chunk");
        visit_masks(base, chunk_masks(chunk));
        base += CHUNK;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; CHUNK];
        last[..rest.len()].copy_from_slice(rest);
        visit_masks(base, chunk_masks(&last));
    }
}

/// The offsets of the bytes of [`is_mark`] in `text`, in order: what
/// [`Marks::scan`] visits, as a list (for the tests).
#[cfg(test)]
pub(crate) fn mark_offsets(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for_each_mark(text.as_bytes(), |at| out.push(at));
    out
}

/// The marks of a text sorted out by the rules that look at them, in one
/// pass over the text ([`Context::marks`]): each rule visits its own few
/// offsets instead of every mark (most marks are `，`, `、` and `。`).
/// Each list is in text order, and holds exactly the offsets of the text
/// where the rule's own byte test answers yes.
///
/// [`Context::marks`]: crate::rules::Context::marks
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// The marks of P001: ASCII `,:;?!()` and full-width `（）` (the
    /// brackets pair with ASCII ones; the full-width `，：；？！`, a fifth of
    /// all marks, P001 only counts, and only in some texts).
    pub(crate) halfwidth: Vec<usize>,
    /// The paired marks of P002: ASCII `()<>`, `“”‘’`, `《》〈〉〔〕【】`
    /// and `（）`. C001 (`《〈`) and P005 (`》”`) look among them.
    pub(crate) paired: Vec<usize>,
    /// The dashes of P003: `-`, `~`, `–` (U+2013) and `－` (U+FF0D).
    pub(crate) dashes: Vec<usize>,
    /// Where a white space character of [`is_ws`] starts (F003).
    pub(crate) blanks: Vec<usize>,
    /// How many full-width `，：；？！（）` the text has, which P001 compares
    /// with its findings in some texts: counted, not listed (`，` alone is
    /// a fifth of all marks).
    pub(crate) full_width: usize,
    /// The `*` of Markdown bold (F001).
    pub(crate) stars: Vec<usize>,
    /// The `&` and `<` of HTML entities and tags (F001).
    pub(crate) markup: Vec<usize>,
}

impl Marks {
    pub(crate) fn scan(text: &str) -> Marks {
        let b = text.as_bytes();
        // Room for the usual share of each kind (a P001 mark every hundred
        // bytes or so, a P002 one too), so the lists seldom grow.
        let mut m = Marks {
            halfwidth: Vec::with_capacity(b.len() / 96),
            paired: Vec::with_capacity(b.len() / 96),
            dashes: Vec::new(),
            blanks: Vec::with_capacity(b.len() / 512),
            full_width: 0,
            stars: Vec::new(),
            markup: Vec::new(),
        };
        // The offsets sorted out as the chunks are classified: no list of
        // every mark in between.
        for_each_mark(b, |at| m.sort(b, at));
        m
    }

    /// Files the mark at byte `at` of `b` (a byte of [`is_mark`]; the ASCII
    /// bytes of it no rule looks at, `"#$%'+./=`, are dropped).
    #[inline(always)]
    fn sort(&mut self, b: &[u8], at: usize) {
        match b[at] {
            b',' | b':' | b';' | b'?' | b'!' => self.halfwidth.push(at),
            b'(' | b')' => {
                self.halfwidth.push(at);
                self.paired.push(at);
            }
            b'<' => {
                self.paired.push(at);
                self.markup.push(at);
            }
            b'>' => self.paired.push(at),
            b'*' => self.stars.push(at),
            b'&' => self.markup.push(at),
            b'-' | b'~' => self.dashes.push(at),
            b' ' | b'\t' => self.blanks.push(at),
            _ => match b[at..] {
                // “ ” ‘ ’ – and U+2002, U+2003, U+200B.
                [0xE2, 0x80, x, ..] => match x {
                    0x9C | 0x9D | 0x98 | 0x99 => self.paired.push(at),
                    0x93 => self.dashes.push(at),
                    0x82 | 0x83 | 0x8B => self.blanks.push(at),
                    _ => {}
                },
                // 《》〈〉〔〕【】 and U+3000.
                [0xE3, 0x80, x, ..] => match x {
                    0x8A | 0x8B | 0x88 | 0x89 | 0x94 | 0x95 | 0x90 | 0x91 => self.paired.push(at),
                    0x80 => self.blanks.push(at),
                    _ => {}
                },
                // （）, ，：；？！ and －.
                [0xEF, 0xBC, x, ..] => match x {
                    0x88 | 0x89 => {
                        self.halfwidth.push(at);
                        self.paired.push(at);
                        self.full_width += 1;
                    }
                    0x8C | 0x9A | 0x9B | 0x9F | 0x81 => self.full_width += 1,
                    0x8D => self.dashes.push(at),
                    _ => {}
                },
                // U+FEFF, U+00A0.
                [0xEF, 0xBB, 0xBF, ..] | [0xC2, 0xA0, ..] => self.blanks.push(at),
                _ => {}
            },
        }
    }
}

/// Every byte one of the scanning rules may stop at: the ASCII marks and
/// blanks of P001, P002, P003 and F003, and the UTF-8 lead bytes of the
/// Chinese marks and blanks they test (`C2`, `E2`, `E3`, `EF`). Han
/// characters (lead bytes `E4`–`E9`) are none of them.
///
/// The ASCII marks are taken as two ranges, `20`–`2F` and `3A`–`3F` (the
/// few other bytes in them, `"#$%'+./=`, are rare in Chinese text and
/// [`Marks::sort`] drops them): fewer vector compares than one per mark.
/// Written as compares the compiler can run on sixteen bytes at once (a
/// table lookup cannot be); other spellings of the same ranges (a
/// subtraction and one unsigned compare, `b | 1 == x` for pairs) are
/// compiled to scalar code, three to four times slower: keep this one.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn is_mark(b: u8) -> bool {
    ((b & 0xF0 == 0x20) | ((b & 0xF0 == 0x30) & (b >= 0x3A)))
        | (b == b'\t')
        | (b == b'~')
        | (b == 0xC2)
        | (b == 0xE2)
        | (b == 0xE3)
        | (b == 0xEF)
}

/// The top bits of eight bytes as eight bits, the first byte lowest: each
/// top bit is multiplied into its own place of the highest byte.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn movemask(eight: &[u8]) -> u32 {
    let mut word = [0u8; 8];
    word.copy_from_slice(eight);
    let x = u64::from_le_bytes(word) & 0x8080_8080_8080_8080;
    (x.wrapping_mul(0x0002_0408_1020_4081) >> 56) as u32
}

/// The offsets of `marks` (sorted) inside `span`.
pub(crate) fn marks_in(marks: &[usize], span: Span) -> &[usize] {
    let lo = marks.partition_point(|&m| m < span.start);
    let hi = lo + marks[lo..].partition_point(|&m| m < span.end);
    &marks[lo..hi]
}

/// [`marks_in`] for spans whose starts never decrease (the lines of a
/// text, in order): the offsets are walked once instead of two binary
/// searches per span.
pub(crate) struct MarkCursor<'a> {
    marks: &'a [usize],
    pos: usize,
}

impl<'a> MarkCursor<'a> {
    pub(crate) fn new(marks: &'a [usize]) -> Self {
        MarkCursor { marks, pos: 0 }
    }

    /// The offsets inside `span` (whose start is not before the start of
    /// the previous span asked for).
    #[inline]
    pub(crate) fn marks_in(&mut self, span: Span) -> &'a [usize] {
        let m = self.marks;
        let mut lo = self.pos;
        while lo < m.len() && m[lo] < span.start {
            lo += 1;
        }
        let mut hi = lo;
        while hi < m.len() && m[hi] < span.end {
            hi += 1;
        }
        self.pos = lo;
        &m[lo..hi]
    }
}

/// [`inside`] for offsets that never decrease: a cursor over the spans
/// instead of a binary search per offset.
pub(crate) struct InsideCursor<'a> {
    spans: &'a [Span],
    /// How many spans start at or before the last offset asked for.
    next: usize,
}

impl<'a> InsideCursor<'a> {
    pub(crate) fn new(spans: &'a [Span]) -> Self {
        InsideCursor { spans, next: 0 }
    }

    /// Whether `offset` (not before the previous one) lies inside one of
    /// the spans, as [`inside`] answers it.
    #[inline]
    pub(crate) fn inside(&mut self, offset: usize) -> bool {
        while self.next < self.spans.len() && self.spans[self.next].start <= offset {
            self.next += 1;
        }
        self.next > 0 && self.spans[self.next - 1].contains(offset)
    }

    /// The spans asked about (for the reference scanners).
    #[cfg(test)]
    pub(crate) fn spans(&self) -> &'a [Span] {
        self.spans
    }
}

/// The lead bytes of the white space characters of [`is_ws`]: space, tab,
/// U+00A0 (`C2`), U+2002/U+2003/U+200B (`E2`), U+3000 (`E3`), U+FEFF (`EF`).
#[cfg(test)]
pub(crate) const BLANK_LEADS: ByteSet = ByteSet::new(b" \t\xC2\xE2\xE3\xEF");

/// The length of the white space character ([`is_ws`]) at byte `i` of
/// `b`, or 0: read from the UTF-8 bytes, without decoding.
#[inline]
pub(crate) fn blank_len(b: &[u8], i: usize) -> usize {
    let rest = &b[i..];
    match rest {
        [b' ' | b'\t', ..] => 1,
        [0xC2, 0xA0, ..] => 2,                                // U+00A0
        [0xE3, 0x80, 0x80, ..] | [0xEF, 0xBB, 0xBF, ..] => 3, // U+3000, U+FEFF
        [0xE2, 0x80, 0x82 | 0x83 | 0x8B, ..] => 3,            // U+2002, U+2003, U+200B
        _ => 0,
    }
}

/// The offsets of `marks` ([`mark_offsets`]) where a white space character
/// starts: the reference for [`Marks::blanks`].
#[cfg(test)]
pub(crate) fn blank_offsets(text: &str, marks: &[usize]) -> Vec<usize> {
    let b = text.as_bytes();
    marks
        .iter()
        .copied()
        .filter(|&m| BLANK_LEADS.contains(b[m]) && blank_len(b, m) > 0)
        .collect()
}

/// The character at byte `at` (a character boundary) of `text`.
#[inline]
pub(crate) fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or('\0')
}

/// Spans no punctuation or spacing rule may touch: outline markers (the
/// numbering rules own them), links and e-mail addresses.
pub(crate) fn protected_spans(links: &[Span], sections: &[&Section]) -> Vec<Span> {
    let mut out = links.to_vec();
    for s in sections {
        if !s.marker_span.is_empty() {
            out.push(s.marker_span);
        }
    }
    out.sort();
    out
}

/// Whether `offset` lies inside one of the (sorted) spans.
#[inline]
pub(crate) fn inside(spans: &[Span], offset: usize) -> bool {
    let i = spans.partition_point(|s| s.start <= offset);
    i > 0 && spans[i - 1].contains(offset)
}

/// Whether a span overlaps one of the (sorted) spans.
pub(crate) fn overlaps(spans: &[Span], span: Span) -> bool {
    spans
        .iter()
        .any(|s| s.start < span.end.max(span.start + 1) && span.start < s.end)
}

/// Show a piece of text in a message, shortened to `max` characters.
pub(crate) fn excerpt(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => s.into(),
        Some((end, _)) => [&s[..end], "……"].concat().into(),
    }
}

/// Spans of lines that are not running text: the 发文字号 line and the
/// 成文日期 / 署名 lines (their spacing is governed by other rules).
pub(crate) fn furniture_spans(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    if let Some(n) = &doc.doc_number {
        out.push(n.span);
    }
    if let Some(sig) = &doc.signature {
        if let Some(s) = sig.organ_span {
            out.push(s);
        }
        if let Some(d) = &sig.date {
            out.push(d.span);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_bytes_are_the_compared_bytes() {
        for b in 0..=255u8 {
            assert_eq!(is_mark(b), MARK_BYTES.contains(b), "{b:#x}");
        }
        for bits in [0u32, 1, 0x80, 0xA5, 0xFF] {
            let eight: Vec<u8> = (0..8)
                .map(|k| if bits >> k & 1 == 1 { 0xFF } else { 0 })
                .collect();
            assert_eq!(movemask(&eight), bits);
        }
        let t = "一、总体情况：2021年，我们 (a) 完成了“三项”工作。\u{3000}-~<>?!;";
        let naive: Vec<usize> = t
            .bytes()
            .enumerate()
            .filter(|&(_, b)| MARK_BYTES.contains(b))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(mark_offsets(t), naive);
    }

    /// The chunked scan finds every byte of [`MARK_BYTES`], whatever the
    /// bytes and wherever the chunks end: random bytes of every value, in
    /// texts of lengths around the chunk size.
    #[test]
    fn chunked_scan_finds_every_mark_byte() {
        let mut seed: u64 = 0x853C_49E6_748F_EA9B;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut found = 0;
        for len in (0..40)
            .chain(CHUNK - 20..CHUNK + 40)
            .chain([3 * CHUNK + 17])
        {
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let mut got = Vec::new();
            for_each_mark(&bytes, |at| got.push(at));
            let want: Vec<usize> = (0..len)
                .filter(|&i| MARK_BYTES.contains(bytes[i]))
                .collect();
            assert_eq!(got, want, "{bytes:?}");
            found += got.len();
        }
        assert!(found > 1000);
    }

    /// The SSE2 classification answers as the portable one, byte for byte:
    /// every byte value at every position of a chunk, and random chunks.
    #[test]
    fn vector_masks_agree_with_portable_masks() {
        let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut set = 0;
        for value in 0..=255u8 {
            let mut chunk = [0u8; CHUNK];
            for (i, b) in chunk.iter_mut().enumerate() {
                *b = if i % 3 == 0 { value } else { next() as u8 };
            }
            let got = chunk_masks(&chunk);
            assert_eq!(got, chunk_masks_portable(&chunk), "{value:#x}");
            set += got.iter().map(|m| m.count_ones()).sum::<u32>();
        }
        for _ in 0..2000 {
            let mut chunk = [0u8; CHUNK];
            chunk.iter_mut().for_each(|b| *b = next() as u8);
            assert_eq!(chunk_masks(&chunk), chunk_masks_portable(&chunk));
        }
        assert!(set > 5000, "{set}");
    }

    /// The cursors answer as [`marks_in`] and [`inside`] do, on random
    /// sorted offsets and (possibly overlapping) spans.
    #[test]
    fn cursors_agree_with_binary_search() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for _ in 0..500 {
            let mut marks: Vec<usize> = (0..next(40)).map(|_| next(200)).collect();
            marks.sort();
            marks.dedup();
            let mut spans: Vec<Span> = (0..next(12))
                .map(|_| {
                    let s = next(200);
                    Span::new(s, s + next(30))
                })
                .collect();
            spans.sort();
            // Lines: consecutive spans with gaps.
            let mut cursor = MarkCursor::new(&marks);
            let mut at = 0;
            while at < 220 {
                let line = Span::new(at, at + next(25));
                assert_eq!(
                    cursor.marks_in(line),
                    marks_in(&marks, line),
                    "{marks:?} {line:?}"
                );
                at = line.end + next(3);
            }
            let mut inside_cursor = InsideCursor::new(&spans);
            let mut offsets: Vec<usize> = (0..next(60)).map(|_| next(240)).collect();
            offsets.sort();
            for o in offsets {
                assert_eq!(inside_cursor.inside(o), inside(&spans, o), "{spans:?} {o}");
            }
        }
    }

    /// [`lines_with`] gives the lines of [`lines`] that hold a mark: on
    /// texts with every kind of line break, blank lines and marks at the
    /// starts and ends of lines, and random marks.
    #[test]
    fn lines_with_marks_are_the_lines_holding_them() {
        let mut seed: u64 = 0x6A09_E667_F3BC_C908;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let pieces = ["a", "，", "\n", "\r\n", "\r", ",", " ", "一", "\n\n"];
        let mut found = 0;
        for _ in 0..2000 {
            let text: String = (0..next(30))
                .map(|_| pieces[next(pieces.len() as u64)])
                .collect();
            let source = Source::from_text("t.txt", &text);
            // Marks: any character that is no line break, each kept or not.
            let marks: Vec<usize> = text
                .char_indices()
                .filter(|&(_, c)| c != '\n' && c != '\r' && next(3) == 0)
                .map(|(i, _)| i)
                .collect();
            let want: Vec<(Span, &[usize])> = lines(&source)
                .map(|(_, l)| (l, marks_in(&marks, l)))
                .filter(|(_, m)| !m.is_empty())
                .collect();
            let got: Vec<(Span, &[usize])> = lines_with(&source, &marks).collect();
            assert_eq!(got, want, "{text:?} {marks:?}");
            found += got.len();
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn blank_offsets_are_the_starts_of_blanks() {
        let t = "一、 总体\u{3000}情况：\t2021年\u{a0}x\u{feff}y\u{2003}z\u{200b}，。、";
        let want: Vec<usize> = t
            .char_indices()
            .filter(|&(_, c)| is_ws(c))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(blank_offsets(t, &mark_offsets(t)), want);
    }

    #[test]
    fn links_and_mail() {
        let t = "网址为:http://www.hrbdl.gov.cn。邮箱:1316458144@qq.com,电话";
        let spans = link_spans(t);
        let got: Vec<&str> = spans.iter().map(|s| &t[s.range()]).collect();
        assert_eq!(got, vec!["http://www.hrbdl.gov.cn", "1316458144@qq.com"]);
        let t2 = "网站(www.wqx.gov.cn)下载";
        let got2: Vec<&str> = link_spans(t2).iter().map(|s| &t2[s.range()]).collect();
        assert_eq!(got2, vec!["www.wqx.gov.cn"]);
    }
}
