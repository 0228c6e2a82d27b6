//! Offsets to positions. Spans are bytes inside the tool; renderers convert
//! them here to 1-based lines, 1-based character columns and 0-based UTF-16
//! columns (LSP).

use serde::Serialize;

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
        let mut starts = vec![0];
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
/// and a 4-byte character has a lead byte ≥ 0xF0. Counted 64, then 16
/// bytes at a time into byte-wide sums, which the compiler vectorises 16 or
/// 32 lanes wide (a plain `filter().count()` adds into 64-bit lanes, four
/// bytes a step); the spans between a file's positions are mostly short.
fn count_chars(bytes: &[u8]) -> (usize, usize) {
    let starts = |b: &u8| u8::from((*b as i8) >= -0x40);
    let fours = |b: &u8| u8::from(*b >= 0xF0);
    let (mut chars, mut astral) = (0, 0);
    let mut big = bytes.chunks_exact(64);
    // At most 64 each: no overflow of the byte-wide sums.
    for c in &mut big {
        chars += usize::from(c.iter().map(starts).sum::<u8>());
        astral += usize::from(c.iter().map(fours).sum::<u8>());
    }
    let mut small = big.remainder().chunks_exact(16);
    for c in &mut small {
        chars += usize::from(c.iter().map(starts).sum::<u8>());
        astral += usize::from(c.iter().map(fours).sum::<u8>());
    }
    for b in small.remainder() {
        chars += usize::from(starts(b));
        astral += usize::from(fours(b));
    }
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
            let later = index.starts[line + 1..].partition_point(|&s| s <= offset);
            if later > 0 {
                line += later;
                (at, chars, astral) = (index.starts[line], 0, 0);
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

#[cfg(test)]
mod tests {
    use super::*;

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
