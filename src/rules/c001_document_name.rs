//! ## What it does
//! Checks the names of laws, regulations and central documents cited in
//! 书名号 against their official names, and fixes known misspellings, such
//! as `《法治政府建设与责任落实督查工作规定》` for the official
//! `《法治政府建设与责任落实督察工作规定》`.
//!
//! The official names and the known wrong forms come from
//! `data/document-names.yaml`, built into gongwen; add names there to extend
//! the list. A known wrong form gets a safe fix. A cited name of 14 or more
//! characters that differs from an official name in exactly one Chinese
//! character is reported as a probable misspelling with an unsafe fix.
//! Differences only in bracket width or in the dash of a year range are left
//! to `P001` and `P003`.
//!
//! ## Why is this bad?
//! A wrongly cited regulation is a substantive error in a report that
//! accounts for how the law was applied; 督查 (inspection) and 督察
//! (supervision) are different institutions, and reviewers check the names
//! of the documents a report invokes.
//!
//! ## Example
//! ```text
//! 贯彻落实《法治政府建设与责任落实督查工作规定》
//! ```
//!
//! ## Use instead
//! ```text
//! 贯彻落实《法治政府建设与责任落实督察工作规定》
//! ```
//!
//! ## Basis
//! 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）; GB/T 15834—2011 4.15（书名号）.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Fix, L10n};
use crate::rules::Context;
use crate::source::Span;

const BASIS: &str = "GB/T 15834—2011《标点符号用法》4.15";

/// The built-in list (data/document-names.yaml).
pub const DOCUMENT_NAMES: &str = include_str!("../../data/document-names.yaml");

/// Names loosely matched only from this length on (in characters).
const FUZZY_MIN: usize = 14;

/// One official name and its known wrong forms.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentName {
    pub name: String,
    #[serde(default)]
    pub wrong: Vec<String>,
    /// Who issued it and its document number, shown as the basis
    /// (`中共中央办公厅、国务院办公厅，厅字〔2019〕28号`).
    #[serde(default)]
    pub issued: Option<String>,
}

/// Parse a list of names in the format of `data/document-names.yaml`.
pub fn parse_names(yaml: &str) -> Result<Vec<DocumentName>, serde_yaml::Error> {
    serde_yaml::from_str(yaml)
}

fn names() -> &'static [DocumentName] {
    static NAMES: OnceLock<Vec<DocumentName>> = OnceLock::new();
    NAMES.get_or_init(|| {
        read_simple_names(DOCUMENT_NAMES).unwrap_or_else(|| {
            parse_names(DOCUMENT_NAMES).expect("data/document-names.yaml is valid")
        })
    })
}

/// Reads the list when it keeps to the plain layout of
/// `data/document-names.yaml` (comments, `- name:`, `  issued:`, `  wrong:`
/// and `    - ` lines with plain Chinese values), a tenth of the cost of
/// serde_yaml; `None` for anything else, which then goes to serde_yaml.
fn read_simple_names(yaml: &str) -> Option<Vec<DocumentName>> {
    /// A plain scalar that YAML reads as this very string.
    fn plain(v: &str) -> Option<String> {
        let special = |c: char| "#:'\"{}[]&*!|>%@`\\,?-".contains(c);
        let ok = v == v.trim()
            && !v.is_empty()
            && !v.is_ascii()
            && !v.contains(special)
            && !v.contains(char::is_whitespace);
        ok.then(|| v.to_string())
    }
    let mut out: Vec<DocumentName> = Vec::new();
    let mut in_wrong = false;
    let mut wrong_lines = 0;
    for line in yaml.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(v) = line.strip_prefix("- name: ") {
            out.push(DocumentName {
                name: plain(v)?,
                wrong: Vec::new(),
                issued: None,
            });
            in_wrong = false;
            continue;
        }
        let last = out.last_mut()?;
        if let Some(v) = line.strip_prefix("  issued: ") {
            if last.issued.is_some() {
                return None;
            }
            last.issued = Some(plain(v)?);
            in_wrong = false;
        } else if line == "  wrong:" {
            if in_wrong || !last.wrong.is_empty() {
                return None;
            }
            in_wrong = true;
            wrong_lines += 1;
        } else if let Some(v) = line.strip_prefix("    - ") {
            if !in_wrong {
                return None;
            }
            last.wrong.push(plain(v)?);
        } else {
            return None;
        }
    }
    // An empty `wrong:` is a YAML null: leave it to serde_yaml.
    let filled = out.iter().filter(|n| !n.wrong.is_empty()).count();
    (wrong_lines == filled).then_some(out)
}

/// Bracket width, dashes and blanks do not count as a different name.
fn normalise(s: &str) -> String {
    // Most cited names are Han characters only (lead bytes `E4`–`E9`, then
    // continuation bytes): nothing to filter or map, the name as it is.
    // (Every character the filter or the map touches is ASCII or starts
    // with `C2`, `E1`, `E2`, `E3` or `EF`.)
    if s.bytes().all(|b| matches!(b, 0x80..=0xBF | 0xE4..=0xE9)) {
        return s.to_string();
    }
    normalise_chars(s)
}

/// [`normalise`] character by character: the reference, and the way for
/// names with anything but Han characters.
fn normalise_chars(s: &str) -> String {
    // Sized for the name (the filter hid its length from `collect`, which
    // grew the string three or four times).
    let mut out = String::with_capacity(s.len());
    out.extend(
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                '-' | '－' | '–' | '―' | '~' | '～' => '—',
                c => c,
            }),
    );
    out
}

/// The one differing position when `a` and `b` have the same length and
/// differ in exactly one Han character.
#[cfg(test)]
fn one_substitution(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_substitution_chars(&a, &b)
}

/// `one_substitution` on names split into characters.
#[cfg(test)]
fn one_substitution_chars(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() || a.len() < FUZZY_MIN {
        return false;
    }
    let diffs: Vec<(char, char)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x, *y))
        .collect();
    diffs.len() == 1 && diffs.iter().all(|&(x, y)| substitutable(x, y))
}

/// Names cited in 《》 or 〈〉 on one line: (span of the name, name).
///
/// The four marks are `E3 80 8A`/`8B` (《》) and `E3 80 88`/`89` (〈〉):
/// one pass over the offsets of [`Context::marks`] finds the openers by
/// their bytes, and `memchr3` jumps from there to the next `E3` lead byte
/// or line break, the only places the name can end.
pub(crate) fn cited(cx: &Context) -> Vec<Span> {
    let bytes = cx.text().as_bytes();
    let mut out = Vec::new();
    for &i in &cx.marks().paired {
        // 《 or 〈 (a lead byte `E3` is followed by two more bytes).
        let open = match bytes[i..] {
            [0xE3, 0x80, b @ (0x8A | 0x88), ..] => b,
            _ => continue,
        };
        let start = i + 3;
        let mut j = start;
        while let Some(k) = memchr::memchr3(0xE3, b'\n', b'\r', &bytes[j..]) {
            let p = j + k;
            match bytes[p..] {
                [0xE3, 0x80, b, ..] if b == open + 1 => {
                    out.push(Span::new(start, p));
                    break;
                }
                [0xE3, 0x80, b, ..] if b == open => break,
                [0xE3, ..] => j = p + 3,
                _ => break,
            }
        }
    }
    out.sort();
    out
}

/// The list in the form [`check`] looks names up in, built once.
struct Index {
    /// Normalised official names.
    official: HashSet<String>,
    /// Normalised known wrong form → the last entry that lists it.
    wrong: HashMap<String, usize>,
    /// Normalised official names as characters, in list order (for the
    /// one-substitution test).
    chars: Vec<Vec<char>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Index {
            official: HashSet::new(),
            wrong: HashMap::new(),
            chars: Vec::new(),
        };
        for (k, e) in names().iter().enumerate() {
            let norm = normalise(&e.name);
            ix.chars.push(norm.chars().collect());
            ix.official.insert(norm);
            for w in &e.wrong {
                ix.wrong.insert(normalise(w), k);
            }
        }
        ix
    })
}

/// The entry a cited (normalised) name stands for, and whether it is a
/// known wrong form. The same answer as scanning the list in order: an
/// official name ends the search with no finding, the last entry listing
/// the name as wrong wins, else the first entry one substitution away.
fn lookup(norm: &str) -> Option<(&'static DocumentName, bool)> {
    let ix = index();
    if ix.official.contains(norm) {
        return None;
    }
    if let Some(&k) = ix.wrong.get(norm) {
        return Some((&names()[k], true));
    }
    let n = norm.chars().count();
    if n < FUZZY_MIN {
        return None;
    }
    ix.chars
        .iter()
        .position(|b| b.len() == n && one_substitution_str(norm, b))
        .map(|k| (&names()[k], false))
}

/// [`one_substitution_chars`] for a name of as many characters as `b`,
/// read from the text: no vector of characters per cited name, none of
/// differences per official name.
fn one_substitution_str(a: &str, b: &[char]) -> bool {
    let mut diff = None;
    for (x, &y) in a.chars().zip(b) {
        if x != y {
            if diff.is_some() {
                return false;
            }
            diff = Some((x, y));
        }
    }
    diff.is_some_and(|(x, y)| substitutable(x, y))
}

/// Whether one Han character may be a slip for another (numerals differ
/// in meaning, not in spelling).
fn substitutable(x: char, y: char) -> bool {
    let numeral = |c: char| "〇零一二三四五六七八九十".contains(c);
    super::text::is_han(x) && super::text::is_han(y) && !numeral(x) && !numeral(y)
}

/// The reference lookup: the whole list, normalised again for each name.
#[cfg(test)]
fn lookup_reference(norm: &str) -> Option<(&'static DocumentName, bool)> {
    let mut hit: Option<(&DocumentName, bool)> = None;
    for entry in names() {
        if normalise(&entry.name) == norm {
            hit = None;
            break;
        }
        if entry.wrong.iter().any(|w| normalise(w) == norm) {
            hit = Some((entry, true));
        } else if hit.is_none() && one_substitution(norm, &normalise(&entry.name)) {
            hit = Some((entry, false));
        }
    }
    hit
}

/// Names cited in 《》 or 〈〉 on one line: (span of the name, name).
#[cfg(test)]
pub(crate) fn cited_reference(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (open, close) in [('《', '》'), ('〈', '〉')] {
        for (i, c) in text.char_indices() {
            if c != open {
                continue;
            }
            let start = i + c.len_utf8();
            let rest = &text[start..];
            let stop = rest.find([close, open, '\n', '\r']);
            if let Some(e) = stop
                && rest[e..].starts_with(close)
            {
                out.push(Span::new(start, start + e));
            }
        }
    }
    out.sort();
    out
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_with(cx, cited, lookup, out);
}

#[cfg(test)]
pub(crate) fn check_reference(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_with(cx, |cx| cited_reference(cx.text()), lookup_reference, out);
}

type Lookup = fn(&str) -> Option<(&'static DocumentName, bool)>;

fn check_with(
    cx: &Context,
    cited: fn(&Context) -> Vec<Span>,
    lookup: Lookup,
    out: &mut Vec<Diagnostic>,
) {
    let text = cx.text();
    for span in cited(cx) {
        let name = &text[span.range()];
        let norm = normalise(name);
        let Some((entry, known)) = lookup(&norm) else {
            continue;
        };
        let official = &entry.name;
        let message = L10n::new(
            format!("改为“{official}”"),
            format!("replace with “{official}”"),
        );
        let fix = if known {
            Fix::replace(span, official.clone(), message)
        } else {
            Fix::unsafe_(
                message,
                vec![crate::diagnostic::Edit {
                    span,
                    replacement: official.clone().into(),
                }],
            )
        };
        out.push(
            Diagnostic::new("C001", span)
                .message(
                    format!("文件名称与正式名称不符：“{name}”应为“{official}”"),
                    format!("the cited name “{name}” differs from the official name “{official}”"),
                )
                .primary_label(
                    format!("应为“{official}”"),
                    format!("expected “{official}”"),
                )
                .help(
                    "引用法律法规和文件时使用其正式名称",
                    "cite laws, regulations and documents by their official names",
                )
                .basis(match &entry.issued {
                    Some(by) => format!("《{official}》（{by}）"),
                    None => BASIS.to_string(),
                })
                .fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Han-only shortcut of [`normalise`] gives what the character by
    /// character way gives: on names of every corpus report and fixture,
    /// and on names made of Han characters and of the marks it maps.
    #[test]
    fn normalise_shortcut_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut names: Vec<String> = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "txt") {
                    let t = std::fs::read_to_string(&p).unwrap_or_default();
                    for span in cited_reference(&t) {
                        names.push(t[span.range()].to_string());
                    }
                }
            }
        }
        let pieces = [
            "法", "治", "政", "府", "〇", "一", "（", "）", "(", ")", "-", "－", "–", "―", "~",
            "～", " ", "\u{3000}", "\u{a0}", "\u{2003}", "\u{1680}", "《", "、", "1", "a", "—",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2000 {
            let mut n = String::new();
            for _ in 0..seed % 12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                n.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            names.push(n);
        }
        let mut han_only = 0;
        for n in &names {
            assert_eq!(normalise(n), normalise_chars(n), "{n}");
            han_only += usize::from(n.bytes().all(|b| b >= 0x80) && normalise(n) == *n);
        }
        assert!(han_only > 50, "{han_only}");
    }

    #[test]
    fn built_in_names_parse_and_are_official_form() {
        let n = names();
        assert!(n.len() >= 10);
        for e in n {
            assert_eq!(
                normalise(&e.name),
                e.name,
                "{} is not in normal form",
                e.name
            );
        }
    }

    /// The line reader and serde_yaml agree on the built-in list, and on
    /// variants of it; what the line reader does not take, it declines.
    #[test]
    fn line_reader_matches_serde_yaml() {
        let simple = read_simple_names(DOCUMENT_NAMES).expect("the built-in list is plain");
        assert!(
            simple
                .iter()
                .any(|n| n.issued.is_some() && !n.wrong.is_empty())
        );
        assert_eq!(simple, parse_names(DOCUMENT_NAMES).unwrap());
        let variants = [
            "- name: 甲乙\n  wrong:\n    - 甲丙\n  issued: 丁\n",
            "# c\n\n- name: 甲\n- name: 乙\n  issued: 丙，〔2019〕1号\n",
            "- name: 甲\n  wrong:\n- name: 乙\n",
            "- name: 甲\n  wrong:\n    - 乙\n  wrong:\n    - 丙\n",
            "- name: 甲\n  issued: 乙\n  issued: 丙\n",
            "- name: '甲'\n",
            "- name: 甲 # c\n",
            "- name: 甲: 乙\n",
            "- name: 123\n",
            "- name: 甲\n  extra: 乙\n",
            "  issued: 乙\n",
            "- name: 甲\n    - 乙\n",
            "- name:  甲\n",
            "- name: 甲\n  wrong:\n    - - 乙\n",
        ];
        let mut declined = 0;
        for v in variants {
            match read_simple_names(v) {
                Some(simple) => assert_eq!(Some(simple), parse_names(v).ok(), "{v:?}"),
                None => declined += 1,
            }
        }
        assert!(declined > 5 && declined < variants.len() - 1);
    }
}
