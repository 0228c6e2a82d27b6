//! Offsets to positions. Spans are bytes inside the tool; renderers convert
//! them here to 1-based lines, 1-based character columns and 0-based UTF-16
//! columns (LSP).

use serde::Serialize;

use super::Span;

/// Where each line starts, for offset → position conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first character of every line. Line breaks are
    /// LF, CRLF and lone CR, as in the grammar.
    starts: Vec<usize>,
    len: usize,
}

/// A position as the machine outputs state it (DESIGN.md contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// Byte offset into the decoded text.
    pub offset: usize,
    /// 0-based column in UTF-16 code units.
    pub utf16: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Reports have lines of a few hundred bytes: room for lines of 64
        // bytes on average spares the vector's doublings (one reallocation
        // each) for nearly every file, at a few hundred bytes per file.
        let mut starts = Vec::with_capacity(text.len() / 64 + 2);
        starts.push(0);
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i == skip_lf_at {
                continue; // the LF of a CRLF
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                skip_lf_at = i + 1;
                starts.push(i + 2);
            } else {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a trailing line break opens a last, empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The position of a byte offset. Offsets inside a character are moved
    /// back to its start.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let (chars, astral) = count_chars(&text.as_bytes()[start..offset]);
        Position {
            line: line + 1,
            column: chars + 1,
            offset,
            utf16: chars + astral,
        }
    }

    /// The byte offset of a 0-based line and 0-based UTF-16 column (LSP
    /// input). A column past the end of the line clamps to the line end.
    pub fn offset_of_utf16(&self, text: &str, line: usize, utf16: usize) -> usize {
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.content_end(text, line);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= utf16 {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The byte offset of a 0-based line and 0-based UTF-8 column (LSP
    /// input under the `utf-8` position encoding). A column past the end of
    /// the line clamps to the line end; one inside a character moves back
    /// to its start.
    pub fn offset_of_utf8(&self, text: &str, line: usize, utf8: usize) -> usize {
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.content_end(text, line);
        let mut offset = start.saturating_add(utf8).min(end);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Where the content of 0-based `line` ends (before its line break).
    pub fn content_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return text.len();
        };
        let b = text.as_bytes();
        let mut end = next;
        if b[end - 1] == b'\n' {
            end -= 1;
            if end > self.starts[line] && b[end - 1] == b'\r' {
                end -= 1;
            }
        } else if b[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }
}

/// Characters and 4-byte characters (two UTF-16 units each) in UTF-8
/// bytes: a character starts at every byte that is not a continuation byte,
/// and a 4-byte character has a lead byte ≥ 0xF0. Counted 64 bytes at a
/// time into byte-wide sums, which the compiler vectorises (a plain
/// `filter().count()` adds into 64-bit lanes, four bytes a step); the rest
/// (the spans between a file's positions are mostly that short) eight
/// bytes at a time in a `u64` ([`count_word`]), the last eight bytes read
/// again from the slice and shifted past the bytes counted before, where a
/// byte-by-byte loop cost twice as much.
/// Gaps under eight bytes (between the start and end of a one-character
/// span, most of them) are counted byte by byte inline, without a call.
#[inline(always)]
fn count_chars(bytes: &[u8]) -> (usize, usize) {
    if bytes.len() < 8 {
        return bytes.iter().fold((0, 0), |(chars, astral), &b| {
            (
                chars + usize::from((b as i8) >= -0x40),
                astral + usize::from(b >= 0xF0),
            )
        });
    }
    count_chars_long(bytes)
}

/// [`count_chars`] of eight bytes or more.
#[inline(never)]
fn count_chars_long(bytes: &[u8]) -> (usize, usize) {
    let starts = |b: &u8| u8::from((*b as i8) >= -0x40);
    let fours = |b: &u8| u8::from(*b >= 0xF0);
    let (mut chars, mut astral) = (0, 0);
    let mut big = bytes.chunks_exact(64);
    // At most 64 each: no overflow of the byte-wide sums.
    for c in &mut big {
        chars += usize::from(c.iter().map(starts).sum::<u8>());
        astral += usize::from(c.iter().map(fours).sum::<u8>());
    }
    // Under 64 bytes: at most eight words, so every byte lane of the sums
    // below stays under 9 and their total under 65.
    let rest = big.remainder();
    let (mut cont, mut four) = (0, 0);
    let mut words = rest.chunks_exact(8);
    for w in &mut words {
        let (c, f) = count_word(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        (cont, four) = (cont + c, four + f);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        // Zero bytes are neither continuation nor 4-byte lead bytes: the
        // last eight bytes of the slice shifted right past the ones already
        // counted (no copy), or a short slice padded with zeros.
        let last = match bytes.len().checked_sub(8) {
            Some(from) => {
                let word: [u8; 8] = bytes[from..].try_into().expect("8 bytes");
                u64::from_le_bytes(word) >> (8 * (8 - tail.len()))
            }
            None => {
                let mut last = [0u8; 8];
                last[..tail.len()].copy_from_slice(tail);
                u64::from_le_bytes(last)
            }
        };
        let (c, f) = count_word(last);
        (cont, four) = (cont + c, four + f);
    }
    // The sum of the byte lanes, in the top byte of the product.
    const ONES: u64 = 0x0101_0101_0101_0101;
    let lanes = |x: u64| (x.wrapping_mul(ONES) >> 56) as usize;
    (chars + rest.len() - lanes(cont), astral + lanes(four))
}

/// One per byte lane (as 0x01 in that byte) of the continuation bytes
/// (`10xxxxxx`: bit 7 set, bit 6 clear) and of the 4-byte lead bytes
/// (`11110xxx` and above: bits 7 to 4 set) of eight bytes. Shifting left by
/// k brings bit 7 − k of each byte to its bit 7, within the byte.
fn count_word(w: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let cont = ((w & !(w << 1)) >> 7) & ONES;
    let four = ((w & (w << 1) & (w << 2) & (w << 3)) >> 7) & ONES;
    (cont, four)
}

/// The byte-by-byte definition of [`count_chars`] (the differential tests
/// hold the two equal).
#[cfg(test)]
fn count_chars_slow(bytes: &[u8]) -> (usize, usize) {
    let chars = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    let astral = bytes.iter().filter(|&&b| b >= 0xF0).count();
    (chars, astral)
}

/// Positions of many offsets in one text, cheaper than
/// [`LineIndex::position`] when they come roughly in order (a renderer's
/// diagnostics): it remembers the last position and counts characters
/// only between it and the next offset when both are on the same line.
/// Gives exactly what [`LineIndex::position`] gives.
#[derive(Debug, Clone, Default)]
pub struct PositionCursor {
    /// 0-based line, byte offset (a character boundary) and its counts of
    /// characters and 4-byte characters from the line start. `None` until
    /// the first position.
    last: Option<(usize, usize, usize, usize)>,
}

impl PositionCursor {
    pub fn new() -> Self {
        Self::default()
    }

    /// The position of a byte offset, as [`LineIndex::position`].
    pub fn position(&mut self, index: &LineIndex, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let bytes = text.as_bytes();
        let line = index.line_of(offset);
        let start = index.starts[line];
        let (chars, astral) = match self.last {
            Some((l, at, c, a)) if l == line && at <= offset && offset - at <= offset - start => {
                let (dc, da) = count_chars(&bytes[at..offset]);
                (c + dc, a + da)
            }
            Some((l, at, c, a)) if l == line && at > offset && at - offset < offset - start => {
                let (dc, da) = count_chars(&bytes[offset..at]);
                (c - dc, a - da)
            }
            _ => count_chars(&bytes[start..offset]),
        };
        self.last = Some((line, offset, chars, astral));
        Position {
            line: line + 1,
            column: chars + 1,
            offset,
            utf16: chars + astral,
        }
    }
}

/// The positions of a set of byte offsets, computed in one forward sweep
/// over the text: offsets are sorted, and characters are counted only
/// between one offset and the next (or from its line start), so a file's
/// text is counted at most once however many findings point into it.
/// Gives exactly what [`LineIndex::position`] gives.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// The offsets asked for, sorted and without repeats.
    offsets: Vec<usize>,
    /// Their positions, in the same order.
    positions: Vec<Position>,
}

impl Positions {
    pub fn new(index: &LineIndex, text: &str, offsets: impl IntoIterator<Item = usize>) -> Self {
        Self::from_offsets(index, text, offsets.into_iter().collect())
    }

    /// [`Positions::new`] taking the offsets' vector (reordered in place).
    pub fn from_offsets(index: &LineIndex, text: &str, mut offsets: Vec<usize>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut positions = Vec::with_capacity(offsets.len());
        // The last counted point: 0-based line, byte offset and counts of
        // characters and 4-byte characters from the line start.
        let (mut line, mut at, mut chars, mut astral) = (0, index.starts[0], 0, 0);
        for &asked in &offsets {
            // Clamping and moving back to a character start keep the order.
            let mut offset = asked.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            // Offsets are dense next to lines (a few per line): stepping
            // over the line starts is cheaper than a binary search.
            let starts = &index.starts;
            if starts.get(line + 1).is_some_and(|&s| s <= offset) {
                line += 1;
                while starts.get(line + 1).is_some_and(|&s| s <= offset) {
                    line += 1;
                }
                (at, chars, astral) = (starts[line], 0, 0);
            }
            let (dc, da) = count_chars(&bytes[at..offset]);
            (at, chars, astral) = (offset, chars + dc, astral + da);
            positions.push(Position {
                line: line + 1,
                column: chars + 1,
                offset,
                utf16: chars + astral,
            });
        }
        Positions { offsets, positions }
    }

    /// The position of an offset given to [`Positions::new`] (`None` for
    /// any other).
    pub fn get(&self, offset: usize) -> Option<Position> {
        let i = self.offsets.binary_search(&offset).ok()?;
        Some(self.positions[i])
    }
}

impl LineIndex {
    /// The positions of `offsets`, in their order: what
    /// [`LineIndex::position`] gives for each, computed in one sorted
    /// sweep like [`Positions`]. Sorting each offset packed with its index
    /// in one `u64` (the offset above, the index in the low [`INDEX_BITS`]
    /// bits) puts each position straight where it is asked for, so the
    /// caller reads them by index instead of searching for each offset.
    pub fn positions(&self, text: &str, offsets: &[usize]) -> Vec<Position> {
        if !fits(text, offsets.len()) {
            return offsets.iter().map(|&o| self.position(text, o)).collect();
        }
        // Clamped to the text first, so every packed offset fits.
        let keys: Vec<u64> = offsets
            .iter()
            .enumerate()
            .map(|(i, &o)| key(o.min(text.len()), i))
            .collect();
        let mut out = vec![UNSET; offsets.len()];
        self.sweep(text, keys, &mut out);
        out
    }

    /// The positions of the starts and ends of `spans`, in their order
    /// (the start, then the end of each): what [`LineIndex::position`]
    /// gives for those offsets, computed by a [`SpanCursor`].
    pub fn span_positions(&self, text: &str, spans: &[Span]) -> Vec<Position> {
        let mut out = Vec::with_capacity(2 * spans.len());
        let mut cursor = SpanCursor::new();
        for &s in spans {
            out.extend(cursor.span(self, text, s));
        }
        out
    }

    /// Put the position of each packed key's offset at its index in `out`:
    /// the keys sorted, characters counted from one offset to the next.
    fn sweep(&self, text: &str, mut keys: Vec<u64>, out: &mut [Position]) {
        sort_nearly_sorted(&mut keys);
        let bytes = text.as_bytes();
        let starts = &self.starts;
        // The last counted point, as in `Positions::from_offsets`.
        let (mut line, mut at, mut chars, mut astral) = (0, starts[0], 0, 0);
        for key in keys {
            let i = (key & ((1 << INDEX_BITS) - 1)) as usize;
            // Moving back to a character start keeps the order.
            let mut offset = (key >> INDEX_BITS) as usize;
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            if starts.get(line + 1).is_some_and(|&s| s <= offset) {
                line += 1;
                while starts.get(line + 1).is_some_and(|&s| s <= offset) {
                    line += 1;
                }
                (at, chars, astral) = (starts[line], 0, 0);
            }
            if offset != at {
                let (dc, da) = count_chars(&bytes[at..offset]);
                (at, chars, astral) = (offset, chars + dc, astral + da);
            }
            out[i] = Position {
                line: line + 1,
                column: chars + 1,
                offset,
                utf16: chars + astral,
            };
        }
    }
}

/// The positions of spans asked for one after another, each counted from
/// the point counted last (a renderer's spans come nearly in order: a
/// file's findings by position, each its span, labels and edits), without
/// sorting them: a start after that point counts the characters from it
/// (or from its line's start when on a later line), one before it on the
/// same line counts back or from the line start, whichever is shorter, and
/// one on an earlier line is found by a binary search. An end on its
/// start's line is counted from the start. Gives exactly what
/// [`LineIndex::position`] gives.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpanCursor {
    /// The last counted point: 0-based line, byte offset (a character
    /// boundary on that line) and its counts of characters and 4-byte
    /// characters from the line start.
    line: usize,
    at: usize,
    chars: usize,
    astral: usize,
}

impl SpanCursor {
    pub fn new() -> Self {
        Self::default()
    }

    /// The positions of `span`'s start and end, as [`LineIndex::position`].
    #[inline]
    pub fn span(&mut self, index: &LineIndex, text: &str, span: Span) -> [Position; 2] {
        let start = self.seek(index, text, span.start);
        let end = boundary(text, span.end);
        let bytes = text.as_bytes();
        let next_line = index.starts.get(self.line + 1).copied();
        if end >= start.offset && next_line.is_none_or(|next| end < next) {
            // On the start's line: counted from the start, which the next
            // span's start most likely follows.
            let (chars, astral) = count_between(bytes, start.offset, end);
            (self.at, self.chars, self.astral) = (end, self.chars + chars, self.astral + astral);
            return [start, self.here()];
        }
        // Elsewhere (rare): counted without moving the cursor from the start.
        let mut other = *self;
        [start, other.seek(index, text, end)]
    }

    /// The position of `offset` (clamped to the text and moved back to a
    /// character start), which becomes the last counted point.
    #[inline(always)]
    fn seek(&mut self, index: &LineIndex, text: &str, offset: usize) -> Position {
        let offset = boundary(text, offset);
        let bytes = text.as_bytes();
        let starts = &index.starts;
        if offset >= self.at {
            if starts.get(self.line + 1).is_some_and(|&s| s <= offset) {
                // A later line: a few steps over the line starts, else a
                // binary search.
                let mut line = self.line + 1;
                let mut steps = 0;
                while starts.get(line + 1).is_some_and(|&s| s <= offset) {
                    line += 1;
                    steps += 1;
                    if steps == 4 {
                        line = index.line_of(offset);
                        break;
                    }
                }
                (self.line, self.at, self.chars, self.astral) = (line, starts[line], 0, 0);
            }
            let (chars, astral) = count_between(bytes, self.at, offset);
            (self.at, self.chars, self.astral) = (offset, self.chars + chars, self.astral + astral);
        } else {
            let line_start = starts[self.line];
            if offset >= line_start && self.at - offset <= offset - line_start {
                // Back on the same line, nearer to the counted point.
                let (chars, astral) = count_between(bytes, offset, self.at);
                (self.at, self.chars, self.astral) =
                    (offset, self.chars - chars, self.astral - astral);
            } else {
                let line = if offset >= line_start {
                    self.line
                } else {
                    index.line_of(offset)
                };
                let (chars, astral) = count_between(bytes, starts[line], offset);
                (self.line, self.at, self.chars, self.astral) = (line, offset, chars, astral);
            }
        }
        self.here()
    }

    /// The position of the last counted point.
    #[inline(always)]
    fn here(&self) -> Position {
        Position {
            line: self.line + 1,
            column: self.chars + 1,
            offset: self.at,
            utf16: self.chars + self.astral,
        }
    }
}

/// `offset` clamped to the text and moved back to a character start.
#[inline(always)]
fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// [`count_chars`] of `bytes[from..to]` (`from <= to <= bytes.len()`),
/// which may read the bytes around them: under four bytes (the gap between
/// the start and end of a one-character span, most of them) byte by byte
/// inline, longer ones by [`count_between_long`].
#[inline(always)]
fn count_between(bytes: &[u8], from: usize, to: usize) -> (usize, usize) {
    let one = |b: u8| (usize::from((b as i8) >= -0x40), usize::from(b >= 0xF0));
    let two = |x: u8, y: u8| {
        let ((c, a), (d, b)) = (one(x), one(y));
        (c + d, a + b)
    };
    match bytes[from..to] {
        [] => (0, 0),
        [x] => one(x),
        [x, y] => two(x, y),
        [x, y, z] => {
            let ((c, a), (d, b)) = (two(x, y), one(z));
            (c + d, a + b)
        }
        _ => count_between_long(bytes, from, to),
    }
}

/// [`count_between`] of four bytes or more, sixteen bytes at a time with
/// SSE2 (part of every x86-64 processor; `safe_arch` wraps the intrinsics
/// safely): a continuation byte is below `0xC0` as a signed byte, under
/// `-0x40`, and a 4-byte lead byte is its maximum with `0xF0`. The compare
/// masks (−1 a byte) are subtracted from byte-wide counts, summed by
/// `psadbw` every 254 blocks. The last partial block is the sixteen bytes
/// ending at `to`, its lanes before `from` or counted already masked off
/// (or, in a text whose first sixteen bytes hold the whole range, the
/// sixteen starting at `from`, masked after `to`): nothing is copied or
/// padded. The word-at-a-time [`count_chars`] elsewhere.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn count_between_long(bytes: &[u8], from: usize, to: usize) -> (usize, usize) {
    use safe_arch::{
        add_i64_m128i, bitand_m128i, cmp_eq_mask_i8_m128i, cmp_lt_mask_i8_m128i,
        load_unaligned_m128i, m128i, max_u8_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
        shl_imm_u64_m128i, sub_i8_m128i, sum_of_u8_abs_diff_m128i, zeroed_m128i,
    };
    /// Lane masks: the sixteen bytes at `r` keep the last `r` lanes, those
    /// at `32 - r` the first `r`.
    static LANES: [u8; 48] = {
        let mut lanes = [0u8; 48];
        let mut i = 16;
        while i < 32 {
            lanes[i] = 0xFF;
            i += 1;
        }
        lanes
    };
    let load = |b: &[u8]| load_unaligned_m128i(b[..16].try_into().expect("sixteen bytes"));
    let (cont_below, four_min) = (set_splat_i8_m128i(-0x40), set_splat_i8_m128i(0xF0_u8 as i8));
    // Continuation and 4-byte lead bytes, −1 in their lanes.
    let classify = |v: m128i| {
        (
            cmp_lt_mask_i8_m128i(v, cont_below),
            cmp_eq_mask_i8_m128i(max_u8_m128i(v, four_min), v),
        )
    };
    // The continuation bytes in the low half of each 64-bit lane of the
    // sum, the 4-byte lead bytes in the high half (at most 4,080 each).
    let sum = |cont: m128i, four: m128i| {
        let zero = zeroed_m128i();
        let both = add_i64_m128i(
            sum_of_u8_abs_diff_m128i(cont, zero),
            shl_imm_u64_m128i::<32>(sum_of_u8_abs_diff_m128i(four, zero)),
        );
        let [a, b]: [u64; 2] = both.into();
        let s = a + b;
        ((s & 0xFFFF_FFFF) as usize, (s >> 32) as usize)
    };
    let n = to - from;
    if n < 16 {
        let (v, lanes) = if to >= 16 {
            (load(&bytes[to - 16..]), load(&LANES[n..]))
        } else if bytes.len() >= from + 16 {
            (load(&bytes[from..]), load(&LANES[32 - n..]))
        } else {
            return count_chars(&bytes[from..to]);
        };
        let (cont, four) = classify(v);
        let zero = zeroed_m128i();
        let (cont, four) = sum(
            sub_i8_m128i(zero, bitand_m128i(cont, lanes)),
            sub_i8_m128i(zero, bitand_m128i(four, lanes)),
        );
        return (n - cont, four);
    }
    // Longer ranges count only the continuation bytes block by block, and
    // keep the largest byte: 4-byte characters (rare: emoji, CJK
    // extensions) are counted over again only when it is a 4-byte lead.
    let (mut cont_total, mut high) = (0, zeroed_m128i());
    let mut at = from;
    loop {
        let stop = at + 16 * ((to - at) / 16).min(254);
        let mut cont = zeroed_m128i();
        for block in bytes[at..stop].chunks_exact(16) {
            let v = load(block);
            cont = sub_i8_m128i(cont, cmp_lt_mask_i8_m128i(v, cont_below));
            high = max_u8_m128i(high, v);
        }
        at = stop;
        let rest = to - at;
        let last = rest < 16;
        if last && rest > 0 {
            let lanes = load(&LANES[rest..]);
            let v = bitand_m128i(load(&bytes[to - 16..]), lanes);
            cont = sub_i8_m128i(
                cont,
                bitand_m128i(cmp_lt_mask_i8_m128i(v, cont_below), lanes),
            );
            high = max_u8_m128i(high, v);
        }
        cont_total += sum(cont, zeroed_m128i()).0;
        if last {
            let (_, four) = classify(high);
            let astral = if move_mask_i8_m128i(four) == 0 {
                0
            } else {
                count_chars(&bytes[from..to]).1
            };
            return (n - cont_total, astral);
        }
    }
}

/// [`count_between`] of four bytes or more on other processors.
#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
fn count_between_long(bytes: &[u8], from: usize, to: usize) -> (usize, usize) {
    count_chars(&bytes[from..to])
}

/// A position not computed yet (every real one has a line).
const UNSET: Position = Position {
    line: 0,
    column: 0,
    offset: 0,
    utf16: 0,
};

/// Whether `n` offsets into `text` fit packed keys.
fn fits(text: &str, n: usize) -> bool {
    n < 1 << INDEX_BITS && u64::try_from(text.len()).is_ok_and(|l| l < 1 << (64 - INDEX_BITS))
}

/// An offset (at most the text's length) packed with its index: the offset
/// above, the index in the low [`INDEX_BITS`] bits.
#[inline(always)]
fn key(offset: usize, i: usize) -> u64 {
    ((offset as u64) << INDEX_BITS) | i as u64
}

/// Sort the keys of [`LineIndex::positions`]: a renderer's offsets come
/// nearly in order (findings by position, each its start, end and nearby
/// labels and edits), which an insertion sort puts in order in about one
/// step a key, where a general sort costs tens; many keys take the
/// general sort, whose time does not grow with their disorder.
fn sort_nearly_sorted(keys: &mut [u64]) {
    if keys.len() > INSERTION_MAX {
        keys.sort_unstable();
        return;
    }
    for i in 1..keys.len() {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
}

/// The most keys [`sort_nearly_sorted`] sorts by insertion.
const INSERTION_MAX: usize = 256;

/// Bits of a packed key of [`LineIndex::positions`] that hold the index.
const INDEX_BITS: u32 = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lower::tests::{Rng, corpus, random_text};

    /// Spans up to this long count as near in the tests of
    /// [`LineIndex::span_positions`].
    const NEAR: usize = 64;

    /// Random text with every width of UTF-8 character, CRLF, lone CR and
    /// BOMs, for the byte-counting fast paths.
    fn random_wide_text(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "a",
            " ",
            "\t",
            "é",
            "\u{a0}",
            "一",
            "。",
            "\u{3000}",
            "\u{feff}",
            "😀",
            "𠀀",
            "\r\n",
            "\r",
            "\n",
            "\u{10ffff}",
            "\u{7f}",
            "\u{80}",
            "\u{7ff}",
            "\u{800}",
            "\u{ffff}",
            "\u{10000}",
        ];
        let n = rng.next() % 300;
        (0..n).map(|_| rng.pick(PIECES)).collect()
    }

    /// `count_chars` (16-byte lanes, padded tail) counts what the byte-by-
    /// byte definition counts, and what `chars`/`encode_utf16` count, on
    /// every slice between character starts of the corpus and of random
    /// text (all lengths around the 16-byte chunks and 255-chunk blocks).
    #[test]
    fn count_chars_equals_its_definition() {
        let mut texts: Vec<String> = corpus().into_iter().map(|s| s.text).collect();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        texts.extend((0..2_000).map(|_| random_wide_text(&mut rng)));
        texts.push("😀".repeat(3_000) + &"一".repeat(2_000) + "a");
        let mut astral_seen = 0;
        let mut check = |b: &[u8]| {
            let fast = count_chars(b);
            assert_eq!(fast, count_chars_slow(b), "{b:?}");
            astral_seen += fast.1;
        };
        for t in &texts {
            let b = t.as_bytes();
            check(b);
            // Prefixes and windows of every length up to 80, then sparser.
            for len in (0..b.len().min(80)).chain((80..b.len()).step_by(97)) {
                check(&b[..len]);
                check(&b[b.len() - len..]);
                let at = (rng.next() as usize) % (b.len() - len + 1);
                check(&b[at..at + len]);
            }
            let s = t.as_str();
            assert_eq!(
                count_chars(b),
                (
                    s.chars().count(),
                    s.encode_utf16().count() - s.chars().count()
                )
            );
        }
        assert!(astral_seen > 0);
    }

    /// `count_between` (SSE2 blocks, masked overlapping last block, byte
    /// by byte under four bytes) counts what the byte-by-byte definition
    /// counts, for every range between character starts of short texts and
    /// for ranges of every length near the start, the end and the middle
    /// of the corpus and random texts (past the 254-block sums too).
    #[test]
    fn count_between_equals_its_definition() {
        let mut texts: Vec<String> = corpus().into_iter().map(|s| s.text).collect();
        let mut rng = Rng(0x0dd_ba11_cafe_f00d);
        texts.extend((0..2_000).map(|_| random_wide_text(&mut rng)));
        texts.push("😀".repeat(3_000) + &"一".repeat(2_000) + "a");
        texts.push("a😀é一".repeat(1_500));
        let (mut checked, mut astral_seen) = (0, 0);
        let mut check = |b: &[u8], from: usize, to: usize| {
            let fast = count_between(b, from, to);
            assert_eq!(
                fast,
                count_chars_slow(&b[from..to]),
                "{from}..{to} of {b:?}"
            );
            checked += 1;
            astral_seen += fast.1;
        };
        for t in &texts {
            let b = t.as_bytes();
            let n = b.len();
            if n <= 80 {
                for from in 0..=n {
                    for to in from..=n {
                        check(b, from, to);
                    }
                }
                continue;
            }
            let mid = (rng.next() as usize) % (n - 40);
            for len in (0..80)
                .chain((80..n).step_by(61))
                .chain([4_080, 4_095, 4_096, 4_097])
            {
                for from in [0, 1, 7, 15, 16, 17, mid, n / 2] {
                    if from + len <= n {
                        check(b, from, from + len);
                    }
                }
                for to in [n, n - 1, n - 15, n - 16, n - 17] {
                    if len <= to {
                        check(b, to - len, to);
                    }
                }
            }
        }
        assert!(
            checked > 100_000 && astral_seen > 0,
            "{checked} {astral_seen}"
        );
    }

    /// `Positions` (sorted sweep, stepping over line starts) gives what
    /// `LineIndex::position` gives for every offset asked, in any order,
    /// on the corpus and on random text with CRLF, lone CR, BOM and 4-byte
    /// characters.
    #[test]
    fn positions_equal_one_by_one_positions() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut texts: Vec<String> = corpus().into_iter().map(|s| s.text).collect();
        texts.extend((0..1_000).map(|_| random_wide_text(&mut rng)));
        texts.extend((0..1_000).map(|_| random_text(&mut rng)));
        let mut lines_crossed = 0;
        for t in &texts {
            let idx = LineIndex::new(t);
            let len = t.len();
            // Up to a few hundred offsets: both ways of sorting them.
            let many = if rng.next().is_multiple_of(8) {
                400
            } else {
                120
            };
            let mut offsets: Vec<usize> = (0..rng.next() % many)
                .map(|_| (rng.next() as usize) % (len + 3))
                .collect();
            offsets.extend([0, len, len + 7]);
            let p = Positions::new(&idx, t, offsets.iter().copied());
            let in_order = idx.positions(t, &offsets);
            assert_eq!(in_order.len(), offsets.len());
            for (&o, got) in offsets.iter().zip(&in_order) {
                let want = idx.position(t, o);
                assert_eq!(p.get(o), Some(want), "{t:?} at {o}");
                assert_eq!(*got, want, "in order: {t:?} at {o}");
                lines_crossed += want.line - 1;
            }
            assert_eq!(idx.line_count(), LineIndex::new(t).starts.len());
        }
        assert!(lines_crossed > 0);
    }

    /// `span_positions` (near ends counted from their starts) gives what
    /// `LineIndex::position` gives for every start and end, on the corpus
    /// and on random text, for spans near and far, inverted, across line
    /// breaks, inside characters and past the end.
    #[test]
    fn span_positions_equal_one_by_one_positions() {
        let mut rng = Rng(0x51a7_0c0f_fee0_0001);
        let mut texts: Vec<String> = corpus().into_iter().map(|s| s.text).collect();
        texts.extend((0..1_000).map(|_| random_wide_text(&mut rng)));
        texts.extend((0..500).map(|_| random_text(&mut rng)));
        let (mut near, mut far) = (0, 0);
        for t in &texts {
            let idx = LineIndex::new(t);
            let len = t.len();
            let mut spans: Vec<Span> = (0..rng.next() % 300)
                .map(|_| {
                    let a = (rng.next() as usize) % (len + 3);
                    let b = match rng.next() % 5 {
                        0 => a,
                        1 => a + (rng.next() as usize) % 6,
                        2 => a + (rng.next() as usize) % (2 * NEAR),
                        3 => a.saturating_sub((rng.next() as usize) % 10),
                        _ => (rng.next() as usize) % (len + 3),
                    };
                    Span::new(a, b)
                })
                .collect();
            // Mostly in order (a renderer's spans), or in any order.
            if !rng.next().is_multiple_of(4) {
                spans.sort_by_key(|s| s.start);
                // A few steps back, as a finding's labels and edits take.
                for k in (0..spans.len()).step_by(7) {
                    let j = (k + (rng.next() as usize) % 5).min(spans.len() - 1);
                    spans.swap(k, j);
                }
            }
            let got = idx.span_positions(t, &spans);
            assert_eq!(got.len(), 2 * spans.len());
            for (s, p) in spans.iter().zip(got.chunks(2)) {
                assert_eq!(p[0], idx.position(t, s.start), "{t:?} at {}", s.start);
                assert_eq!(p[1], idx.position(t, s.end), "{t:?} at {}", s.end);
                if p[0].offset <= p[1].offset && p[1].offset - p[0].offset <= NEAR {
                    if p[0].line == p[1].line {
                        near += 1;
                    } else {
                        far += 1;
                    }
                }
            }
        }
        assert!(near > 1000 && far > 10, "{near} {far}");
    }

    #[test]
    fn positions_after_chinese_and_emoji() {
        let text = "一、总体\r\n（一）😀好\rx\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let off = text.find('好').unwrap();
        let p = idx.position(text, off);
        assert_eq!((p.line, p.column, p.utf16), (2, 5, 5));
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x).line, 3);
        assert_eq!(idx.offset_of_utf16(text, 1, 5), off);
        assert_eq!(idx.content_end(text, 0), text.find('\r').unwrap());
        let line1 = idx.line_start(1);
        assert_eq!(idx.offset_of_utf8(text, 1, off - line1), off);
        assert_eq!(idx.offset_of_utf8(text, 1, off - line1 + 1), off);
        assert_eq!(idx.offset_of_utf8(text, 1, 999), text.find("\rx").unwrap());
        assert_eq!(idx.offset_of_utf8(text, 9, 0), text.len());
        // The byte counting agrees with chars()/encode_utf16() everywhere.
        for (o, _) in text.char_indices() {
            let p = idx.position(text, o);
            let start = idx.line_start(p.line - 1);
            assert_eq!(p.column, text[start..o].chars().count() + 1);
            assert_eq!(p.utf16, text[start..o].encode_utf16().count());
        }
    }
}
