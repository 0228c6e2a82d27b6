//! Matching a report's headings to the schema's sections.
//!
//! Real reports phrase headings freely, so the matcher works in steps, and
//! records the evidence of each decision (`compile --explain-matches`):
//!
//! 1. **Heading.** Each top-level heading is normalised (Traditional read as
//!    Simplified, white space dropped, known misspellings corrected) and
//!    searched for each section's `synonyms`; one wrong character is
//!    forgiven in a synonym of five or more characters. A heading may name
//!    two parts (「存在的不足及下一步打算」). Failing that, `heading-words`
//!    count when the heading is short (a label, not a theme) or the body
//!    agrees (two or more `keywords`).
//! 2. **Position.** A thematic heading (「高度重视，加强组织领导……」) that
//!    names no part belongs to the first part of the recommended order
//!    (主要举措和成效) when it stands before the part that follows it
//!    (不足和原因) — unless its body plainly covers another part.
//! 3. **Level two.** A part not found at the top may live one or two levels
//!    down (「（三）履行推进法治建设第一责任人职责」 inside 一、): there
//!    only `synonyms` count.
//! 4. **Topics.** A found part must cover its required topics (原因 in
//!    不足): any evidence word in its text. Otherwise it is `partial`.
//! 5. **Mentions.** For a missing part, the first place its
//!    `mention-words` (default: synonyms) occur in passing is kept, so the
//!    diagnostic can say where.
//!
//! A report with no numbered heading at all is matched by the lead clause
//! of each paragraph (「存在的不足和原因，……」「下一步，……」), synonyms only.

use std::ops::Range;

use serde::Serialize;

use super::normalize::{
    Hay, Norm, RawTerm, RevTerm, Term, YearAt, find_one_slip, is_traditional, norm, preimages,
    push_norm_with, years,
};
use super::{MatchStatus, Schema, SectionMatch, SectionRule, YearRule};
use crate::ast::{Document, Paragraph, Section};
use crate::diagnostic::L10n;
use crate::source::Span;

/// What kind of evidence a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A synonym in the heading.
    Heading,
    /// A synonym with one wrong character.
    Fuzzy,
    /// A weaker heading word, with a short heading or an agreeing body.
    HeadingWord,
    /// A known misspelling read as the right word.
    Misspelling,
    /// Traditional characters read as Simplified.
    Traditional,
    /// A thematic heading placed by its position.
    Position,
    /// A heading placed by the year it names.
    Year,
    /// A thematic heading placed by its body's keywords.
    Body,
    /// A second- or third-level heading.
    Nested,
    /// A required topic found.
    Topic,
    /// A required topic not found.
    TopicMissing,
    /// A missing part mentioned in passing.
    Mention,
    /// Nothing found.
    Missing,
}

/// One note on why a section matched (or did not).
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub line: Option<usize>,
    pub kind: EvidenceKind,
    pub note: L10n,
}

/// A heading that satisfies a schema section.
#[derive(Debug, Clone)]
pub struct Found {
    pub line: usize,
    /// The heading text as typed.
    pub heading: String,
    pub heading_span: Span,
    /// The whole heading line.
    pub span: Span,
    /// The section from its heading to the end of its last descendant.
    pub extent: Span,
    pub depth: u8,
    /// Index of its top-level ancestor in `document.sections`.
    pub top: usize,
    /// Years written in the heading, with their spans.
    pub years: Vec<(i32, Span)>,
    /// The normalised text of the whole section (topic evidence).
    pub(crate) text: String,
}

/// Where a missing part's topic is mentioned in passing.
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Span,
    pub line: usize,
    /// The keyword as written.
    pub term: String,
    /// The heading line and text (with its marker) of the innermost section
    /// it stands in (None: the preamble or the closing).
    pub within: Option<(usize, String)>,
    /// How many times the keywords occur in all.
    pub count: usize,
}

/// The year reported on, and where it was read.
#[derive(Debug, Clone, Copy)]
pub struct ReportYear {
    pub year: i32,
    pub span: Span,
    pub line: usize,
    /// Read from the title (else from a heading).
    pub from_title: bool,
}

/// A schema's words normalised and prepared once, not for every
/// document: built on the first match and kept with the schema
/// ([`Schema::compiled`]).
#[derive(Debug)]
pub struct Compiled {
    /// Normalised (wrong, right), as in `misspellings`.
    misspellings: Vec<(Term, String)>,
    /// One per schema section, in schema order.
    rules: Vec<RuleTerms>,
    /// Every non-empty synonym of every rule by its first character, to
    /// find in one pass which occur in a heading (None: each synonym is
    /// searched on its own, for the test).
    synonyms: Option<FirstChars>,
    /// The (rule, synonym index) of each word of `synonyms`.
    synonym_ids: Vec<(usize, usize)>,
    /// Every rule's mention words, to find them all in one pass.
    mentions: MentionWords,
}

/// From how many words on [`MentionWords::hits_in_one_pass`] is cheaper
/// than searching for each word: the packed searcher reads a Chinese text
/// at about two instructions a byte, a word's `memmem` at about a third.
#[cfg(test)]
const ONE_PASS_WORDS: usize = 6;

/// The distinct mention words of all rules, and a searcher that finds
/// where any of them starts in one pass over a document (instead of one
/// pass per word and missing part).
struct MentionWords {
    /// The distinct words (of two or more characters).
    words: Vec<Term>,
    /// The same, searched in a text as written.
    raw: Vec<RawTerm>,
    /// For each rule, the index in `words` of each of its mention words.
    of_rule: Vec<Vec<usize>>,
    /// None: the packed searcher is not available (too many words, no
    /// SIMD): each word is searched on its own ([`hits_within`]).
    searcher: Option<aho_corasick::packed::Searcher>,
}

impl std::fmt::Debug for MentionWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MentionWords")
            .field("words", &self.words)
            .field("of_rule", &self.of_rule)
            .field("searcher", &self.searcher.is_some())
            .finish()
    }
}

impl MentionWords {
    fn new(rules: &[RuleTerms]) -> MentionWords {
        let mut words: Vec<Term> = Vec::new();
        let of_rule = rules
            .iter()
            .map(|r| {
                r.mentions
                    .iter()
                    .map(|t| match words.iter().position(|w| w.text == t.text) {
                        Some(k) => k,
                        None => {
                            words.push(t.clone());
                            words.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        let searcher = aho_corasick::packed::Config::new()
            .builder()
            .extend(words.iter().map(|w| w.text.as_bytes()))
            .build();
        MentionWords {
            // Words of two or more characters: none is empty.
            raw: words.iter().filter_map(|w| RawTerm::new(&w.text)).collect(),
            words,
            of_rule,
            searcher,
        }
    }

    /// The hits of each word whose `wanted` is true ([`hits_within`] of
    /// it), as (start, end) in `text`; the others may be left empty.
    /// `fast`: in one pass when there are enough words wanted (one pass
    /// costs about as much as [`ONE_PASS_WORDS`] searches for a word).
    #[cfg(test)]
    fn hits(
        &self,
        text: &str,
        places: &[Place],
        wanted: &[bool],
        fast: bool,
    ) -> Vec<Vec<(usize, usize)>> {
        let mut out = vec![Vec::new(); self.words.len()];
        match &self.searcher {
            Some(s) if fast && wanted.iter().filter(|&&w| w).count() >= ONE_PASS_WORDS => {
                self.hits_in_one_pass(s, text, places, &mut out)
            }
            _ => {
                for (k, w) in self.words.iter().enumerate() {
                    if wanted[k] {
                        hits_within(text, places, w, &mut out[k]);
                    }
                }
            }
        }
        out
    }

    /// Every hit of every word, found in one pass: the searcher gives
    /// each place where some word starts (the leftmost, then on from the
    /// next byte), and there each word is compared. A word's hits are
    /// then kept as [`hits_within`] keeps them: within one place, each
    /// starting at or after the end of the word's last hit kept.
    #[cfg(test)]
    fn hits_in_one_pass(
        &self,
        s: &aho_corasick::packed::Searcher,
        text: &str,
        places: &[Place],
        out: &mut [Vec<(usize, usize)>],
    ) {
        let bytes = text.as_bytes();
        let mut last_end = vec![0; self.words.len()];
        let mut from = 0;
        let mut at = 0;
        while let Some(m) = s.find_in(bytes, aho_corasick::Span::from(from..bytes.len())) {
            let a = m.start();
            // The place holding `a`: the last one starting there or before.
            while places.get(at + 1).is_some_and(|p| p.start <= a) {
                at += 1;
            }
            let end = places.get(at).map_or(0, |p| p.end);
            for (k, w) in self.words.iter().enumerate() {
                let b = a + w.text.len();
                if a >= last_end[k] && b <= end && bytes[a..].starts_with(w.text.as_bytes()) {
                    out[k].push((a, b));
                    last_end[k] = b;
                }
            }
            // Words start on character boundaries: the next byte is as
            // good a start as the next character.
            from = a + 1;
        }
    }
}

#[derive(Debug)]
struct RuleTerms {
    /// As in `synonyms` (same length, same order).
    synonyms: Vec<Term>,
    /// The indices in `synonyms` of those of five or more characters
    /// (the only ones [`find_one_slip`] finds), in order.
    slips: Vec<usize>,
    /// Each character that normalises to the first character of a
    /// synonym, UTF-8 encoded (see [`RuleTerms::may_name`]; None: any
    /// heading may name the part, as a misspelling corrected may bring
    /// such a first character).
    first_chars: Option<Vec<([u8; 4], usize)>>,
    /// As in `heading-words`.
    heading_words: Vec<RevTerm>,
    /// The non-empty normalised `keywords` (the tests' oracle).
    #[cfg(test)]
    keywords: Vec<Term>,
    /// The same, searched in a text that is not normalised.
    raw_keywords: Vec<RawTerm>,
    /// The mention words (default: the synonyms) of two or more characters.
    mentions: Vec<Term>,
    /// The evidence words of each topic.
    topics: Vec<Vec<Term>>,
    /// The same, searched in a text that is not normalised (None: an
    /// empty word, found in any text).
    raw_topics: Vec<Vec<Option<RawTerm>>>,
}

impl Compiled {
    pub fn new(schema: &Schema) -> Compiled {
        let rights: Vec<String> = schema.misspellings.iter().map(|m| norm(&m.right)).collect();
        let rules: Vec<RuleTerms> = schema
            .sections
            .iter()
            .map(|r| RuleTerms::new(r, &rights))
            .collect();
        let (synonym_ids, patterns): (Vec<(usize, usize)>, Vec<&str>) = rules
            .iter()
            .enumerate()
            .flat_map(|(r, t)| {
                t.synonyms
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| !t.is_empty())
                    .map(move |(k, t)| ((r, k), t.text.as_str()))
            })
            .unzip();
        let synonyms = Some(FirstChars::new(&patterns));
        Compiled {
            mentions: MentionWords::new(&rules),
            misspellings: schema
                .misspellings
                .iter()
                .map(|m| (Term::new(&m.wrong), norm(&m.right)))
                .collect(),
            rules,
            synonyms,
            synonym_ids,
        }
    }

    /// A normalised heading prepared for matching, with
    /// [`Compiled::exact_synonyms`] found in the same pass over its
    /// characters.
    fn hay_with_synonyms(&self, text: String) -> (Hay, Vec<(usize, usize)>) {
        let Some(ix) = &self.synonyms else {
            let exact = self.exact_synonyms(&text);
            return (Hay::new(text), exact);
        };
        let mut out = Vec::new();
        let hay = Hay::new_with(text, |text, i, c| {
            ix.starting(text, i, c, |p| out.push(self.synonym_ids[p]))
        });
        (hay, out)
    }

    /// The synonyms found exactly in a normalised heading, as (rule,
    /// synonym index).
    fn exact_synonyms(&self, text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        match &self.synonyms {
            Some(ix) => ix.find_all(text, |p| out.push(self.synonym_ids[p])),
            None => {
                for (r, t) in self.rules.iter().enumerate() {
                    for (k, t) in t.synonyms.iter().enumerate() {
                        if !t.is_empty() && t.is_in(text) {
                            out.push((r, k));
                        }
                    }
                }
            }
        }
        out
    }
}

/// Words looked up by their first character: a short text (a heading)
/// is read once, and only where some word starts with the character
/// there are words compared. Cheaper than an automaton, both to build
/// (per process) and to run on a heading of a few dozen characters.
#[derive(Debug)]
struct FirstChars {
    /// A bit per character's code point modulo 4096 (the low twelve bits):
    /// whether some word may start with the character.
    bits: Box<[u64; 64]>,
    /// For each code point modulo 4096, the range of `starts` of the words
    /// whose first character has those low bits.
    index: Box<[(u32, u32); 4096]>,
    /// (first character, word) for every word, by the low twelve bits of
    /// the character.
    starts: Vec<(char, usize)>,
    /// The words (normalised, non-empty).
    words: Vec<String>,
}

impl FirstChars {
    fn new(words: &[&str]) -> FirstChars {
        let key = |c: char| c as usize & 0xFFF;
        let mut bits = Box::new([0u64; 64]);
        let mut starts = Vec::with_capacity(words.len());
        for (k, w) in words.iter().enumerate() {
            if let Some(c) = w.chars().next() {
                bits[key(c) >> 6] |= 1 << (key(c) & 63);
                starts.push((c, k));
            }
        }
        starts.sort_unstable_by_key(|&(c, k)| (key(c), c, k));
        let mut index = Box::new([(0u32, 0u32); 4096]);
        for (at, &(c, _)) in starts.iter().enumerate() {
            let e = &mut index[key(c)];
            if e.0 == e.1 {
                *e = (at as u32, at as u32);
            }
            e.1 += 1;
        }
        FirstChars {
            bits,
            index,
            starts,
            words: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    /// Call `f` with each word that occurs in `text` (the index in the
    /// list it was built from), once for every place it occurs.
    fn find_all(&self, text: &str, mut f: impl FnMut(usize)) {
        for (i, c) in text.char_indices() {
            self.starting(text, i, c, &mut f);
        }
    }

    /// Call `f` with each word that starts at byte `i` of `text`, where
    /// the character `c` stands.
    #[inline]
    fn starting(&self, text: &str, i: usize, c: char, mut f: impl FnMut(usize)) {
        let key = c as usize & 0xFFF;
        if self.bits[key >> 6] & (1 << (key & 63)) == 0 {
            return;
        }
        let (from, to) = self.index[key];
        for &(first, k) in &self.starts[from as usize..to as usize] {
            if first == c && text.as_bytes()[i..].starts_with(self.words[k].as_bytes()) {
                f(k);
            }
        }
    }
}

impl RuleTerms {
    /// `rights`: the schema's misspellings' right forms, normalised.
    fn new(rule: &SectionRule, rights: &[String]) -> RuleTerms {
        let words = if rule.mention_words.is_empty() {
            &rule.synonyms
        } else {
            &rule.mention_words
        };
        let synonyms: Vec<Term> = rule.synonyms.iter().map(|w| Term::new(w)).collect();
        let mut firsts: Vec<char> = synonyms
            .iter()
            .filter_map(|t| t.text.chars().next())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        let first_chars =
            (!firsts.iter().any(|&f| rights.iter().any(|r| r.contains(f)))).then(|| {
                firsts
                    .iter()
                    .flat_map(|&f| preimages(f))
                    .map(|c| {
                        let mut b = [0; 4];
                        let n = c.encode_utf8(&mut b).len();
                        (b, n)
                    })
                    .collect()
            });
        RuleTerms {
            first_chars,
            slips: (0..synonyms.len())
                .filter(|&k| synonyms[k].len_chars() >= 5)
                .collect(),
            synonyms,
            heading_words: rule.heading_words.iter().map(|w| RevTerm::new(w)).collect(),
            #[cfg(test)]
            keywords: rule
                .keywords
                .iter()
                .map(|w| Term::new(w))
                .filter(|t| !t.is_empty())
                .collect(),
            raw_keywords: rule
                .keywords
                .iter()
                .filter_map(|w| RawTerm::new(w))
                .collect(),
            mentions: words
                .iter()
                .map(|w| Term::new(w))
                .filter(|t| t.len_chars() >= 2)
                .collect(),
            topics: rule
                .topics
                .iter()
                .map(|t| t.evidence.iter().map(|w| Term::new(w)).collect())
                .collect(),
            raw_topics: rule
                .topics
                .iter()
                .map(|t| t.evidence.iter().map(|w| RawTerm::new(w)).collect())
                .collect(),
        }
    }
}

impl RuleTerms {
    /// Whether a heading (as written) may name the part: a synonym found
    /// in it exactly or with one slip starts with its own first character,
    /// so the heading holds a character that normalises to it.
    fn may_name(&self, heading: &str) -> bool {
        let Some(firsts) = &self.first_chars else {
            return true;
        };
        let h = heading.as_bytes();
        firsts.iter().any(|(b, n)| {
            let (b, n) = (&b[..*n], *n);
            // Each place the character's last byte stands, compared.
            memchr::memchr_iter(b[n - 1], h).any(|e| e + 1 >= n && &h[e + 1 - n..=e] == b)
        })
    }
}

/// The cache of a schema's [`Compiled`] form. Empty when cloned, so a
/// cloned schema that is then edited is compiled afresh.
#[derive(Default)]
pub struct CompiledCache(std::sync::OnceLock<Compiled>);

impl CompiledCache {
    pub(crate) fn get(&self, schema: &Schema) -> &Compiled {
        self.0.get_or_init(|| Compiled::new(schema))
    }
}

impl Clone for CompiledCache {
    fn clone(&self) -> Self {
        CompiledCache::default()
    }
}

impl std::fmt::Debug for CompiledCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CompiledCache")
    }
}

/// A heading prepared for matching.
#[derive(Clone)]
struct Prepared {
    hay: Hay,
    /// The synonyms in it ([`Compiled::exact_synonyms`]).
    exact: Vec<(usize, usize)>,
    notes: Vec<Evidence>,
}

/// Headings are compared on their first characters only: a real heading
/// is short, and a "heading" of megabytes must not make matching slow.
const HEADING_CHARS: usize = 100;

/// The first [`HEADING_CHARS`] characters of a heading.
fn capped(h: &str) -> &str {
    if h.len() <= HEADING_CHARS {
        // No more characters than bytes.
        return h;
    }
    h.char_indices()
        .nth(HEADING_CHARS)
        .map_or(h, |(i, _)| &h[..i])
}

/// A heading as quoted in a note (at most 40 characters).
fn quoted(h: &str) -> String {
    match h.char_indices().nth(40) {
        Some((i, _)) => format!("{}……", &h[..i]),
        None => h.to_string(),
    }
}

/// Prepare the heading of `s`.
fn prepare(schema: &Schema, c: &Compiled, s: &Section, explain: Explain) -> Prepared {
    let heading = capped(&s.heading);
    let (mut hay, mut exact) = c.hay_with_synonyms(norm(heading));
    let mut notes = Vec::new();
    if explain.0 && heading.chars().any(is_traditional) {
        notes.push(Evidence {
            line: Some(s.line),
            kind: EvidenceKind::Traditional,
            note: L10n::new(
                format!("第{}行标题中的繁体字按简体比对", s.line),
                format!("line {}: Traditional characters read as Simplified", s.line),
            ),
        });
    }
    for (m, (w, r)) in schema.misspellings.iter().zip(&c.misspellings) {
        // The signature first: most headings hold no misspelling's ends.
        if !w.is_empty() && hay.may_hold(w) && w.is_in(&hay.text) {
            (hay, exact) = c.hay_with_synonyms(hay.text.replace(w.text.as_str(), r));
            explain.push_to(&mut notes, || Evidence {
                line: Some(s.line),
                kind: EvidenceKind::Misspelling,
                note: L10n::new(
                    format!("第{}行标题中的“{}”按“{}”比对", s.line, m.wrong, m.right),
                    format!("line {}: 「{}」 read as 「{}」", s.line, m.wrong, m.right),
                ),
            });
        }
    }
    Prepared { exact, hay, notes }
}

/// Heading length without its years: short headings are labels.
fn is_short(text: &str) -> bool {
    let mut n = text.chars().count();
    for y in years(text) {
        n = n.saturating_sub(text[y.start..y.end].chars().count() + 1);
    }
    n <= 16
}

/// How often a rule's keywords occur in a section's normalised text,
/// counted in its text as written ([`raw_section`]).
fn body_hits(raw: &str, terms: &RuleTerms) -> usize {
    terms.raw_keywords.iter().map(|k| k.count_in(raw)).sum()
}

/// The text of a section with its descendants as written, without the
/// line breaks: `norm` of it is the section's normalised text
/// ([`DocText::sections`]), which [`RawTerm`] searches without making it.
fn raw_section(s: &Section) -> String {
    fn push(s: &Section, out: &mut String) {
        out.push_str(&s.heading);
        for p in &s.body {
            out.push_str(&p.text);
        }
        for c in &s.children {
            push(c, out);
        }
    }
    let mut out = String::with_capacity(subtree_size(s).0);
    push(s, &mut out);
    out
}

/// The document's paragraphs and headings, each normalised once, for
/// everything that searches the text: the sections' texts (keywords,
/// topics) and the mention search.
///
/// The places are normalised in the order a section reads its text (its
/// heading, its paragraphs, its subsections, depth first), between the
/// preamble and the closing, and concatenated without separator: a
/// section's text (`norm` of [`Section::full_text`] without the line
/// breaks) is then one range of [`DocText::text`].
struct DocText<'d> {
    text: String,
    /// The places in the order of `text`.
    places: Vec<Place<'d>>,
    /// Each section's range of `text`, in [`Document::walk`] order.
    sections: Vec<Range<usize>>,
    /// For each place ([`Place::marks`]), where each character folded or
    /// dropped ends: (byte in the place's text, byte in its normalised
    /// text), in order. Between two (and before the first) the text is
    /// its own normalisation.
    marks: Vec<(usize, usize)>,
}

/// A paragraph or heading of the document (read by the normalised
/// mention search, the tests' oracle).
#[derive(Clone, Copy)]
#[cfg_attr(not(test), allow(dead_code))]
struct Place<'d> {
    /// Its normalised text is `start..end` of the text it stands in.
    start: usize,
    end: usize,
    span: Span,
    line: usize,
    text: &'d str,
    heading: bool,
    /// Whether its normalised text is `text` itself (nothing folded or
    /// dropped): then a normalised offset is a source one.
    same: bool,
    /// How many of the first bytes of `text` are their own normalisation:
    /// below that, a normalised offset is a source one.
    same_upto: usize,
    /// Its range of [`DocText::marks`] (start, end).
    marks: (usize, usize),
}

/// (bytes, places, sections) of a section and its descendants.
fn subtree_size(s: &Section) -> (usize, usize, usize) {
    let mut n = (
        s.heading.len() + s.body.iter().map(|p| p.text.len()).sum::<usize>(),
        1 + s.body.len(),
        1,
    );
    for c in &s.children {
        let m = subtree_size(c);
        n = (n.0 + m.0, n.1 + m.1, n.2 + m.2);
    }
    n
}

impl<'d> DocText<'d> {
    /// Empty, with room for `n` = (bytes, places, sections).
    fn with_capacity(n: (usize, usize, usize)) -> DocText<'d> {
        DocText {
            text: String::with_capacity(n.0),
            places: Vec::with_capacity(n.1),
            sections: Vec::with_capacity(n.2),
            // Folded full-width marks and dropped blanks: about one in
            // sixty bytes of a report (growing the list costs more).
            marks: Vec::with_capacity(n.0 / 32),
        }
    }

    #[cfg(test)]
    fn new(doc: &'d Document) -> DocText<'d> {
        let mut n = (0, doc.preamble.len() + doc.closing.len(), 0);
        for p in doc.preamble.iter().chain(&doc.closing) {
            n.0 += p.text.len();
        }
        for s in &doc.sections {
            let m = subtree_size(s);
            n = (n.0 + m.0, n.1 + m.1, n.2 + m.2);
        }
        let mut d = DocText::with_capacity(n);
        for p in &doc.preamble {
            d.push(p.span, p.line, &p.text, false);
        }
        for s in &doc.sections {
            d.section(s);
        }
        for p in &doc.closing {
            d.push(p.span, p.line, &p.text, false);
        }
        d
    }

    /// The text of one top-level section and its descendants alone
    /// (its `sections` in [`Document::walk`] order from it on).
    fn of_section(s: &'d Section) -> DocText<'d> {
        let mut d = DocText::with_capacity(subtree_size(s));
        d.section(s);
        d
    }

    fn push(&mut self, span: Span, line: usize, text: &'d str, heading: bool) {
        let start = self.text.len();
        let first_mark = self.marks.len();
        let marks = &mut self.marks;
        let same_upto = push_norm_with(&mut self.text, text, |i, len| marks.push((i, len - start)));
        self.places.push(Place {
            start,
            end: self.text.len(),
            span,
            line,
            text,
            heading,
            same: same_upto == text.len(),
            same_upto,
            marks: (first_mark, self.marks.len()),
        });
    }

    fn section(&mut self, s: &'d Section) {
        let at = self.sections.len();
        let start = self.text.len();
        self.sections.push(start..start);
        self.push(s.heading_span, s.line, &s.heading, true);
        for p in &s.body {
            self.push(p.span, p.line, &p.text, false);
        }
        for c in &s.children {
            self.section(c);
        }
        self.sections[at].end = self.text.len();
    }

    /// The text and places in document order (by where they start,
    /// paragraphs before headings at the same place), as the mention
    /// search reads them. That is almost always the order of `text`
    /// already; else the places are sorted and their texts copied into
    /// that order (kept in `copy`).
    #[cfg(test)]
    fn in_document_order<'a>(
        &'a self,
        copy: &'a mut Option<(String, Vec<Place<'d>>)>,
    ) -> (&'a str, &'a [Place<'d>]) {
        if self
            .places
            .windows(2)
            .all(|w| w[0].span.start < w[1].span.start)
        {
            return (&self.text, &self.places);
        }
        let mut order: Vec<usize> = (0..self.places.len())
            .filter(|&k| !self.places[k].heading)
            .collect();
        order.sort_by_key(|&k| self.places[k].span.start);
        order.extend((0..self.places.len()).filter(|&k| self.places[k].heading));
        order.sort_by_key(|&k| self.places[k].span.start);
        let mut text = String::with_capacity(self.text.len());
        let places = order
            .into_iter()
            .map(|k| {
                let p = self.places[k];
                let start = text.len();
                text.push_str(&self.text[p.start..p.end]);
                Place {
                    start,
                    end: text.len(),
                    ..p
                }
            })
            .collect();
        let (t, p) = copy.insert((text, places));
        (t, p)
    }
}

/// The hits of `term` in `text` that lie within one place, left to
/// right, not overlapping: what `str::match_indices` finds when every
/// place's text is followed by a line break (a term holds none).
#[cfg(test)]
fn hits_within(text: &str, places: &[Place], term: &Term, out: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(a) = term.find_from(text, from) {
        let b = a + term.text.len();
        // The place holding `a`: the last one starting there or before
        // (empty places before it start there too).
        let k = places.partition_point(|p| p.start <= a) - 1;
        if b <= places[k].end {
            out.push((a, b));
            from = b;
        } else {
            from = a + 1;
        }
    }
}

/// The normalised texts the matcher searches, each made when first asked
/// for: a top-level section's text (keywords of a thematic heading, a
/// found part's topics) on its own, the whole document's ([`DocText`])
/// only for the mention search of a missing part. A report that names
/// its parts in headings has most of its text never normalised.
struct Texts<'d> {
    doc: &'d Document,
    /// The [`Document::walk`] index of each top-level section, then the
    /// number of sections.
    tops: Vec<usize>,
    /// Each top-level section's [`DocText::of_section`].
    parts: Vec<std::cell::OnceCell<DocText<'d>>>,
    /// The whole document's [`DocText::new`]; once made, every text is
    /// read from it.
    full: std::cell::OnceCell<DocText<'d>>,
    /// Each top-level section's [`raw_section`].
    raws: Vec<std::cell::OnceCell<String>>,
}

impl<'d> Texts<'d> {
    fn new(doc: &'d Document) -> Texts<'d> {
        let mut tops = Vec::with_capacity(doc.sections.len() + 1);
        let mut n = 0;
        for s in &doc.sections {
            tops.push(n);
            n += count_sections(s);
        }
        tops.push(n);
        Texts {
            doc,
            tops,
            parts: (0..doc.sections.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
            full: std::cell::OnceCell::new(),
            raws: (0..doc.sections.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// The `i`th top-level section's text as written ([`raw_section`]).
    fn raw_top(&self, i: usize) -> &str {
        self.raws[i].get_or_init(|| raw_section(&self.doc.sections[i]))
    }

    /// The text as written ([`raw_section`]) of `s`, the `k`th section
    /// ([`Document::walk`] order).
    fn raw_of(&self, k: usize, s: &Section) -> std::borrow::Cow<'_, str> {
        match self.tops.binary_search(&k) {
            Ok(i) if i < self.raws.len() => self.raw_top(i).into(),
            _ => raw_section(s).into(),
        }
    }

    /// The normalised text of the `k`th section ([`Document::walk`]
    /// order): [`DocText::sections`], as the whole document's text has
    /// it.
    fn section(&self, k: usize) -> &str {
        if let Some(d) = self.full.get() {
            return &d.text[d.sections[k].clone()];
        }
        let i = self.tops.partition_point(|&t| t <= k) - 1;
        let d = self.parts[i].get_or_init(|| DocText::of_section(&self.doc.sections[i]));
        &d.text[d.sections[k - self.tops[i]].clone()]
    }

    /// The normalised text of the `i`th top-level section.
    #[cfg(test)]
    fn top(&self, i: usize) -> &str {
        self.section(self.tops[i])
    }

    /// The whole document's text.
    #[cfg(test)]
    fn full(&self) -> &DocText<'d> {
        self.full.get_or_init(|| DocText::new(self.doc))
    }
}

/// The number of sections in a section's subtree (itself included).
fn count_sections(s: &Section) -> usize {
    1 + s.children.iter().map(count_sections).sum::<usize>()
}

/// The top-level sections' keyword counts per rule (counted once, when
/// first asked for).
struct Bodies {
    rules: usize,
    hits: Vec<Option<usize>>,
}

impl Bodies {
    fn new(tops: usize, rules: usize) -> Bodies {
        Bodies {
            rules,
            hits: vec![None; tops * rules],
        }
    }

    fn hits(&mut self, text: &Texts, c: &Compiled, i: usize, r: usize) -> usize {
        *self.hits[i * self.rules + r]
            .get_or_insert_with(|| body_hits(text.raw_top(i), &c.rules[r]))
    }
}

/// A heading below a top-level one, prepared once for every part looked
/// for at level two or three (when first one may be named in it: see
/// [`RuleTerms::may_name`]).
#[derive(Clone)]
struct Nested<'d> {
    section: &'d Section,
    prepared: std::cell::OnceCell<Prepared>,
    /// The index after its last descendant in the list.
    end: usize,
    /// Its section's [`Document::walk`] index.
    walk: usize,
}

/// The headings of levels two and three under the `i`th top-level section
/// in document order (pre-order), each with the end of its subtree: the
/// order a depth-first search visits them, so that a match can skip what
/// lies inside it.
fn flatten<'d>(text: &Texts, tops: &'d [Section], i: usize) -> Vec<Nested<'d>> {
    struct Walk<'d> {
        /// The [`Document::walk`] index of the next section visited.
        next: usize,
        out: Vec<Nested<'d>>,
    }
    impl<'d> Walk<'d> {
        // Sections below level three are not looked at, but counted.
        fn push(&mut self, s: &'d Section, deep: bool) {
            let k = self.next;
            self.next += 1;
            let deep = deep || s.depth > 3;
            let at = self.out.len();
            if !deep {
                self.out.push(Nested {
                    section: s,
                    prepared: std::cell::OnceCell::new(),
                    end: 0,
                    walk: k,
                });
            }
            for ch in &s.children {
                self.push(ch, deep);
            }
            if !deep {
                self.out[at].end = self.out.len();
            }
        }
    }
    // The sections below the `i`th top-level one, in walk order: at most
    // that many headings (growing the list moves every prepared one).
    let below = text.tops[i + 1] - text.tops[i] - 1;
    let mut w = Walk {
        next: text.tops[i] + 1,
        out: Vec::with_capacity(below),
    };
    for ch in &tops[i].children {
        w.push(ch, false);
    }
    w.out
}

/// A synonym of rule `r` found in a heading: (term as in the schema,
/// exact?). The first synonym found exactly (`exact`, the heading's
/// [`Compiled::exact_synonyms`]), else the first found with one slip
/// ([`super::normalize::find_fuzzy_term`] on each synonym in turn
/// decides the same).
fn synonym_in(
    hay: &Hay,
    exact: &[(usize, usize)],
    r: usize,
    rule: &SectionRule,
    terms: &RuleTerms,
) -> Option<(String, bool)> {
    if let Some(k) = exact.iter().filter(|e| e.0 == r).map(|e| e.1).min() {
        return Some((rule.synonyms[k].clone(), true));
    }
    // Only a synonym of five or more characters is found with a slip.
    terms.slips.iter().find_map(|&k| {
        let (a, b, _) = find_one_slip(hay, &terms.synonyms[k])?;
        Some((
            format!("{}（标题作“{}”）", rule.synonyms[k], &hay.text[a..b]),
            false,
        ))
    })
}

/// A matched heading's [`Found`]; `text` is its section's normalised text.
fn found(s: &Section, top: usize, text: String) -> Found {
    Found {
        line: s.line,
        heading: s.heading.clone(),
        heading_span: s.heading_span,
        span: s.span,
        extent: s.extent(),
        depth: s.depth,
        top,
        // 「2023年以来」 is a starting point, not the year of the part.
        years: mapped_years(capped(&s.heading), s.heading_span.start, |n, y| {
            let rest = &n[y.end..];
            let rest = rest.strip_prefix('年').unwrap_or(rest);
            let rest = rest.strip_prefix('度').unwrap_or(rest);
            !["以来", "至今", "起", "至"]
                .iter()
                .any(|w| rest.starts_with(w))
        }),
        text,
    }
}

/// The years in `text` (at source byte `base`) as (year, source span),
/// those `keep` accepts (given `norm(text)`); each span is read with
/// [`Norm::prefix_span`] (no [`Norm`] built).
fn mapped_years(text: &str, base: usize, keep: impl Fn(&str, &YearAt) -> bool) -> Vec<(i32, Span)> {
    if !text.contains('年') {
        // Every year is followed by 年, which no folding makes.
        return Vec::new();
    }
    let n = norm(text);
    years(&n)
        .into_iter()
        .filter(|y| keep(&n, y))
        .map(|y| (y.year, Norm::prefix_span(text, base, y.start, y.end)))
        .collect()
}

/// The lead clause of a paragraph (up to the first clause mark, at most 30
/// characters): in a report without headings, the words that open a part
/// (「下一步，我镇将……」).
fn lead(p: &Paragraph) -> (Span, &str) {
    let mut end = 0;
    for (n, (i, c)) in p.text.char_indices().enumerate() {
        if n >= 30 || matches!(c, '，' | '。' | '：' | '；' | ',' | ':' | ';' | '！' | '？') {
            break;
        }
        end = i + c.len_utf8();
    }
    (Span::new(p.span.start, p.span.start + end), &p.text[..end])
}

fn found_paragraph(p: &Paragraph, top: usize) -> Found {
    let (span, text) = lead(p);
    Found {
        line: p.line,
        heading: text.to_string(),
        heading_span: span,
        span,
        extent: p.span,
        depth: 1,
        top,
        years: mapped_years(text, span.start, |_, _| true),
        text: norm(&p.text),
    }
}

/// A report without any numbered heading: paragraphs whose lead clause
/// names a part open that part; paragraphs before the 不足 one belong to the
/// first part. Nothing is matched unless some lead names a part.
fn match_paragraphs(
    doc: &Document,
    schema: &Schema,
    c: &Compiled,
    default: usize,
    next: Option<usize>,
    out: &mut [SectionMatch],
    explain: Explain,
) {
    let rules = &schema.sections;
    let paras = &doc.preamble;
    let mut class: Vec<Vec<usize>> = vec![Vec::new(); paras.len()];
    for (j, p) in paras.iter().enumerate() {
        let (_, text) = lead(p);
        let t = Hay::new(norm(text));
        let exact = c.exact_synonyms(&t.text);
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, _)) = synonym_in(&t, &exact, r, rule, &c.rules[r]) {
                class[j].push(r);
                explain.push_to(&mut out[r].evidence, || Evidence {
                    line: Some(p.line),
                    kind: EvidenceKind::Heading,
                    note: L10n::new(
                        format!("全文没有标题；第{}行段首“{}”含“{}”", p.line, text, term),
                        format!(
                            "no headings; line {} opens with 「{}」, which contains 「{}」",
                            p.line, text, term
                        ),
                    ),
                });
            }
        }
    }
    if class.iter().all(Vec::is_empty) {
        return;
    }
    let boundary = next
        .and_then(|n| class.iter().position(|c| c.contains(&n)))
        .or_else(|| class.iter().position(|c| c.iter().any(|&r| r != default)))
        .unwrap_or(paras.len());
    for (j, p) in paras.iter().enumerate() {
        if class[j].is_empty() && j < boundary {
            class[j].push(default);
            explain.push_to(&mut out[default].evidence, || Evidence {
                line: Some(p.line),
                kind: EvidenceKind::Position,
                note: L10n::new(
                    format!("全文没有标题；第{}行段落位于其他部分之前，按“{}”计", p.line, rules[default].name),
                    format!(
                        "no headings; the paragraph on line {} comes before the other parts: counted as {}",
                        p.line,
                        rules[default].en()
                    ),
                ),
            });
        }
        for &r in &class[j] {
            out[r].found.push(found_paragraph(p, j));
        }
    }
}

fn heading_note(s: &Section, rule: &SectionRule, term: &str, exact: bool) -> Evidence {
    Evidence {
        line: Some(s.line),
        kind: if exact {
            EvidenceKind::Heading
        } else {
            EvidenceKind::Fuzzy
        },
        note: if exact {
            L10n::new(
                format!("第{}行标题“{}”含“{}”", s.line, quoted(&s.heading), term),
                format!(
                    "line {}: heading 「{}」 contains 「{}」",
                    s.line,
                    quoted(&s.heading),
                    term
                ),
            )
        } else {
            L10n::new(
                format!(
                    "第{}行标题“{}”与“{}”只差一字，视为{}",
                    s.line,
                    quoted(&s.heading),
                    term,
                    rule.name
                ),
                format!(
                    "line {}: heading 「{}」 is one character off 「{}」; taken as {}",
                    s.line,
                    quoted(&s.heading),
                    term,
                    rule.en()
                ),
            )
        },
    }
}

/// Whether the matcher writes its evidence notes ([`SectionMatch::evidence`]):
/// only `compile --explain-matches` prints them.
#[derive(Clone, Copy)]
struct Explain(bool);

impl Explain {
    /// Push the note `f` makes, when notes are written.
    fn push_to<T>(self, notes: &mut Vec<T>, f: impl FnOnce() -> T) {
        if self.0 {
            notes.push(f());
        }
    }
}

/// Match a document's headings to the schema's sections: one entry per
/// schema section, in schema order.
pub fn match_sections(doc: &Document, schema: &Schema) -> Vec<SectionMatch> {
    match_sections_with(doc, schema, Explain(true), Reads::All)
}

/// [`match_sections`] without the evidence notes (every
/// [`SectionMatch::evidence`] empty; all else the same): for checking,
/// where nothing prints them.
pub fn match_sections_unexplained(doc: &Document, schema: &Schema) -> Vec<SectionMatch> {
    match_sections_with(doc, schema, Explain(false), Reads::All)
}

/// [`match_sections_unexplained`] with only what the rules read (see
/// [`Reads::Rules`]): no passing mentions (S001 asks for them with
/// [`mentions`] when it reports a missing part), and no found section's
/// normalised text. What `gongwen check` runs: a report's text is then
/// not normalised at all; where it is searched (a thematic heading's
/// body, a part with topics) [`RawTerm`] finds in the text as written
/// what the normalised text holds.
pub fn match_sections_for_rules(doc: &Document, schema: &Schema) -> Vec<SectionMatch> {
    match_sections_with(doc, schema, Explain(false), Reads::Rules)
}

/// What the caller reads of the matches beyond the `compile` contract
/// (section, status, lines) and the notes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Everything.
    All,
    /// What the rules read: no [`SectionMatch::mentions`] (see
    /// [`mentions`]), [`Found`]'s text empty (except a paragraph's);
    /// all else as [`Reads::All`] has it.
    Rules,
}

fn match_sections_with(
    doc: &Document,
    schema: &Schema,
    explain: Explain,
    reads: Reads,
) -> Vec<SectionMatch> {
    let rules = &schema.sections;
    let mut out: Vec<SectionMatch> = rules
        .iter()
        .map(|r| SectionMatch {
            section: r.id.clone(),
            status: MatchStatus::Missing,
            lines: Vec::new(),
            evidence: Vec::new(),
            found: Vec::new(),
            mentions: Vec::new(),
            missing_topics: Vec::new(),
        })
        .collect();
    if rules.is_empty() {
        return out;
    }
    let order = schema.order();
    let idx = |id: &str| rules.iter().position(|r| r.id == id);
    let default = order.first().and_then(|id| idx(id)).unwrap_or(0);
    let tops = &doc.sections;
    let c = schema.compiled();

    // 1. Headings of top-level sections.
    let title_year = doc
        .title
        .as_ref()
        .and_then(|t| years(&norm(&t.text)).first().map(|y| y.year));
    let next_rule = rules.iter().position(|r| r.year == YearRule::Next);
    let mut class: Vec<Vec<usize>> = vec![Vec::new(); tops.len()];
    let texts = Texts::new(doc);
    let mut bodies = Bodies::new(tops.len(), rules.len());
    for (i, s) in tops.iter().enumerate() {
        let p = prepare(schema, c, s, explain);
        let text = p.hay.text.as_str();
        let mut notes: Vec<(usize, Evidence)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, exact)) = synonym_in(&p.hay, &p.exact, r, rule, &c.rules[r]) {
                class[i].push(r);
                explain.push_to(&mut notes, || (r, heading_note(s, rule, &term, exact)));
            }
        }
        // 「下一步主要措施」 is a plan, not the year's measures: when a
        // heading names the default part and a next-year part, the
        // next-year part wins.
        if class[i].contains(&default) && class[i].iter().any(|&r| rules[r].year == YearRule::Next)
        {
            class[i].retain(|&r| r != default);
            notes.retain(|(r, _)| *r != default);
        }
        if class[i].is_empty() {
            // Weaker words: the last one in the heading wins (Chinese
            // headings put the head noun last).
            let mut best: Option<(usize, usize, usize, String)> = None;
            let short = is_short(text);
            for (r, rule) in rules.iter().enumerate() {
                for (w, nw) in rule.heading_words.iter().zip(&c.rules[r].heading_words) {
                    let Some(at) = nw.rfind_in(&p.hay) else {
                        continue;
                    };
                    let hits = bodies.hits(&texts, c, i, r);
                    // A thematic heading (clauses with commas) does not
                    // become a part on a weak word, whatever its body says.
                    if !(short || (hits >= 2 && !text.contains('，'))) {
                        continue;
                    }
                    let key = (hits.min(2), at);
                    if best.as_ref().is_none_or(|b| (b.1.min(2), b.2) < key) {
                        best = Some((r, hits, at, w.clone()));
                    }
                }
            }
            if let Some((r, hits, _, w)) = best {
                class[i].push(r);
                explain.push_to(&mut notes, || {
                    let why_zh = if short {
                        "标题简短".to_string()
                    } else {
                        format!("正文有{hits}处相关词")
                    };
                    let why_en = if short {
                        "the heading is short".to_string()
                    } else {
                        format!("the body has {hits} related words")
                    };
                    (
                        r,
                        Evidence {
                            line: Some(s.line),
                            kind: EvidenceKind::HeadingWord,
                            note: L10n::new(
                                format!(
                                    "第{}行标题“{}”含“{}”，{}",
                                    s.line,
                                    quoted(&s.heading),
                                    w,
                                    why_zh
                                ),
                                format!(
                                    "line {}: heading 「{}」 contains 「{}」 and {}",
                                    s.line,
                                    quoted(&s.heading),
                                    w,
                                    why_en
                                ),
                            ),
                        },
                    )
                });
            }
        }
        // 「四、2025年主要措施」 in a report on 2024: a heading that names
        // only a report-year part but the year after the title's is the
        // next-year part.
        if let (Some(ty), Some(nx)) = (title_year, next_rule)
            && !class[i].is_empty()
            && class[i].iter().all(|&r| rules[r].year == YearRule::Report)
            && {
                let ys = years(text);
                ys.iter().any(|y| y.year == ty + 1) && !ys.iter().any(|y| y.year == ty)
            }
        {
            class[i] = vec![nx];
            notes.clear();
            explain.push_to(&mut notes, || (
                nx,
                Evidence {
                    line: Some(s.line),
                    kind: EvidenceKind::Year,
                    note: L10n::new(
                        format!(
                            "第{}行标题“{}”写的是标题年份的下一年（{}年），按“{}”计",
                            s.line,
                            quoted(&s.heading),
                            ty + 1,
                            rules[nx].name
                        ),
                        format!(
                            "line {}: heading 「{}」 names the year after the title's ({}); counted as {}",
                            s.line,
                            quoted(&s.heading),
                            ty + 1,
                            rules[nx].en()
                        ),
                    ),
                },
            ));
        }
        for (r, n) in notes {
            out[r].evidence.extend(p.notes.iter().cloned());
            out[r].evidence.push(n);
        }
    }

    // 2. Thematic headings: by body, else by position.
    let next = order.get(1).and_then(|id| idx(id));
    let boundary = next
        .and_then(|n| class.iter().position(|c| c.contains(&n)))
        .or_else(|| {
            // No 不足 part: the last part in the recommended order present.
            let present_max = class
                .iter()
                .flatten()
                .filter(|&&r| r != default)
                .filter_map(|&r| order.iter().position(|id| *id == rules[r].id))
                .max()?;
            let id = order[present_max];
            class
                .iter()
                .position(|c| c.iter().any(|&r| rules[r].id == id))
        })
        .unwrap_or(tops.len());
    for (i, s) in tops.iter().enumerate() {
        if !class[i].is_empty() {
            continue;
        }
        let before = i < boundary;
        let by_body = rules
            .iter()
            .enumerate()
            .filter(|(r, _)| *r != default && !(before && Some(*r) == next))
            .map(|(r, _)| (bodies.hits(&texts, c, i, r), r))
            .filter(|(h, _)| *h >= 3)
            .max();
        if let Some((hits, r)) = by_body {
            class[i].push(r);
            explain.push_to(&mut out[r].evidence, || Evidence {
                line: Some(s.line),
                kind: EvidenceKind::Body,
                note: L10n::new(
                    format!(
                        "第{}行标题“{}”未点明所属部分，正文有{}处“{}”的关键词",
                        s.line,
                        quoted(&s.heading),
                        hits,
                        rules[r].name
                    ),
                    format!(
                        "line {}: heading 「{}」 names no part; its body has {} keywords of {}",
                        s.line,
                        quoted(&s.heading),
                        hits,
                        rules[r].en()
                    ),
                ),
            });
        } else if before {
            class[i].push(default);
            let (zh, en) = match boundary < tops.len() {
                true => (
                    format!("位于第{}行之前", tops[boundary].line),
                    format!("stands before line {}", tops[boundary].line),
                ),
                false => (
                    "其后没有其他部分".to_string(),
                    "no other part follows".to_string(),
                ),
            };
            explain.push_to(&mut out[default].evidence, || Evidence {
                line: Some(s.line),
                kind: EvidenceKind::Position,
                note: L10n::new(
                    format!(
                        "第{}行标题“{}”是专题标题，{}，按“{}”计",
                        s.line,
                        quoted(&s.heading),
                        zh,
                        rules[default].name
                    ),
                    format!(
                        "line {}: thematic heading 「{}」 {}; counted as {}",
                        s.line,
                        quoted(&s.heading),
                        en,
                        rules[default].en()
                    ),
                ),
            });
        }
    }
    // Each found heading's section and its [`Document::walk`] index
    // (None: a paragraph, which has its text), to read its text once the
    // matching is done.
    let mut walks: Vec<Vec<Option<(usize, &Section)>>> = vec![Vec::new(); rules.len()];
    for (i, s) in tops.iter().enumerate() {
        for &r in &class[i] {
            out[r].found.push(found(s, i, String::new()));
            walks[r].push(Some((texts.tops[i], s)));
        }
    }

    if tops.is_empty() {
        match_paragraphs(doc, schema, c, default, next, &mut out, explain);
        for (w, m) in walks.iter_mut().zip(&out) {
            w.resize(m.found.len(), None);
        }
    }

    // 3. Parts not found at the top: second- and third-level headings.
    let mut nested: Vec<Option<Vec<Nested>>> = vec![None; tops.len()];
    for (r, rule) in rules.iter().enumerate() {
        if !out[r].found.is_empty() {
            continue;
        }
        for (i, top) in tops.iter().enumerate() {
            // A report-year part named inside the 不足 part (「（二）主要负责
            // 人法治意识不强」) is a shortcoming, not the part.
            if rule.year == YearRule::Report && next.is_some_and(|n| class[i].contains(&n)) {
                continue;
            }
            let nodes = nested[i].get_or_insert_with(|| flatten(&texts, tops, i));
            let mut k = 0;
            while let Some(node) = nodes.get(k) {
                let s = node.section;
                if !c.rules[r].may_name(&s.heading) {
                    k += 1;
                    continue;
                }
                let p = node.prepared.get_or_init(|| prepare(schema, c, s, explain));
                if let Some((term, exact)) = synonym_in(&p.hay, &p.exact, r, rule, &c.rules[r]) {
                    out[r].evidence.extend(p.notes.iter().cloned());
                    explain.push_to(&mut out[r].evidence, || heading_note(s, rule, &term, exact));
                    explain.push_to(&mut out[r].evidence, || Evidence {
                        line: Some(s.line),
                        kind: EvidenceKind::Nested,
                        note: L10n::new(
                            format!(
                                "该标题是第{}行“{}”之下的第{}级标题",
                                top.line,
                                quoted(&top.heading),
                                s.depth
                            ),
                            format!(
                                "the heading is at level {} under line {} 「{}」",
                                s.depth,
                                top.line,
                                quoted(&top.heading)
                            ),
                        ),
                    });
                    out[r].found.push(found(s, i, String::new()));
                    walks[r].push(Some((node.walk, s)));
                    // Not inside a heading that matched.
                    k = node.end;
                    continue;
                }
                k += 1;
            }
        }
    }

    // 4. Status and topics. The parts whose passing mentions are
    // searched (step 5).
    let searched: Vec<bool> = out
        .iter()
        .map(|m| reads == Reads::All && m.found.is_empty())
        .collect();
    // For the rules, the found sections' texts are left out, and each
    // topic's evidence is looked for in their texts as written (whether
    // any word occurs in some found part: all the rules read).
    let mut topics_found: Vec<Vec<bool>> = vec![Vec::new(); rules.len()];
    for (r, ((m, walks), rule)) in out.iter_mut().zip(&walks).zip(rules).enumerate() {
        if reads == Reads::Rules {
            if rule.topics.is_empty() || m.found.is_empty() {
                continue;
            }
            let raws: Vec<Option<std::borrow::Cow<str>>> = walks
                .iter()
                .map(|w| w.map(|(k, s)| texts.raw_of(k, s)))
                .collect();
            topics_found[r] = c.rules[r]
                .raw_topics
                .iter()
                .zip(&c.rules[r].topics)
                .map(|(raw_words, words)| {
                    raw_words.iter().zip(words).any(|(rw, w)| {
                        m.found.iter().zip(&raws).any(|(f, raw)| match (rw, raw) {
                            (None, _) => true,
                            (Some(rw), Some(raw)) => rw.is_in(raw),
                            (Some(_), None) => w.is_in(&f.text),
                        })
                    })
                })
                .collect();
            continue;
        }
        for (f, k) in m.found.iter_mut().zip(walks) {
            if let Some((k, _)) = k {
                f.text = texts.section(*k).to_string();
            }
        }
    }
    for (r, rule) in rules.iter().enumerate() {
        let m = &mut out[r];
        m.found.sort_by_key(|f| f.span.start);
        m.lines = m.found.iter().map(|f| f.line).collect();
        if m.found.is_empty() {
            continue;
        }
        m.status = MatchStatus::Present;
        for (ti, (t, words)) in rule.topics.iter().zip(&c.rules[r].topics).enumerate() {
            let hit = match reads {
                Reads::All => words.iter().find_map(|w| {
                    m.found
                        .iter()
                        .find(|f| w.is_in(&f.text))
                        .map(|f| (f.line, w.text.clone()))
                }),
                // Without the texts: only whether (no note is written).
                Reads::Rules => topics_found[r][ti].then(|| (0, String::new())),
            };
            match hit {
                Some((line, w)) => explain.push_to(&mut m.evidence, || Evidence {
                    line: Some(line),
                    kind: EvidenceKind::Topic,
                    note: L10n::new(
                        format!("要点“{}”：第{}行起的部分含“{}”", t.name, line, w),
                        format!(
                            "topic {}: the part from line {} has 「{}」",
                            t.en(),
                            line,
                            w
                        ),
                    ),
                }),
                None => {
                    m.status = MatchStatus::Partial;
                    m.missing_topics.push(t.id.clone());
                    explain.push_to(&mut m.evidence, || Evidence {
                        line: m.lines.first().copied(),
                        kind: EvidenceKind::TopicMissing,
                        note: L10n::new(
                            format!(
                                "要点“{}”：未见{}等词",
                                t.name,
                                t.evidence
                                    .iter()
                                    .take(4)
                                    .map(|w| format!("“{w}”"))
                                    .collect::<String>()
                            ),
                            format!("topic {}: none of its evidence words occur", t.en()),
                        ),
                    });
                }
            }
        }
    }

    // 5. Missing parts: passing mentions.
    let mut found = passing_mentions(doc, c, &searched);
    for (r, rule) in rules.iter().enumerate() {
        if !searched[r] {
            continue;
        }
        let m = &mut out[r];
        match found[r].take() {
            Some(f) => {
                explain.push_to(&mut m.evidence, || Evidence {
                    line: Some(f.line),
                    kind: EvidenceKind::Mention,
                    note: L10n::new(
                        format!(
                            "没有标题对应“{}”；第{}行顺带提到“{}”（全文共{}处）",
                            rule.name, f.line, f.term, f.count
                        ),
                        format!(
                            "no heading for {}; line {} mentions 「{}」 in passing ({} in all)",
                            rule.en(),
                            f.line,
                            f.term,
                            f.count
                        ),
                    ),
                });
                m.mentions.push(f);
            }
            None => explain.push_to(&mut m.evidence, || Evidence {
                line: None,
                kind: EvidenceKind::Missing,
                note: L10n::new(
                    format!("没有标题或正文提到“{}”", rule.name),
                    format!("no heading or text mentions {}", rule.en()),
                ),
            }),
        }
    }
    out
}

/// The passing mentions of missing parts: [`SectionMatch::mentions`] as
/// [`match_sections`] gives it, for matches that
/// [`match_sections_for_rules`] made (which leaves it empty). S001 asks
/// for them only in a report it finds a required part missing in, so
/// most reports' texts are never searched for them (nor normalised
/// whole).
pub fn mentions(doc: &Document, schema: &Schema, matches: &[SectionMatch]) -> Vec<Vec<Mention>> {
    let searched: Vec<bool> = matches.iter().map(|m| m.found.is_empty()).collect();
    passing_mentions(doc, schema.compiled(), &searched)
        .into_iter()
        .map(|m| m.into_iter().collect())
        .collect()
}

/// The paragraphs and headings of a document as written, in document
/// order (by where they start, paragraphs before headings at the same
/// place), concatenated: `norm` of the text is the text the old mention
/// search read ([`DocText::in_document_order`]), which [`RawTerm`]
/// searches without making it. Each place's `start..end` is its text.
fn raw_places(doc: &Document) -> (String, Vec<RawPlace<'_>>) {
    fn section<'d>(s: &'d Section, out: &mut Vec<RawPlace<'d>>) {
        out.push(RawPlace::new(s.heading_span, s.line, &s.heading, true));
        for p in &s.body {
            out.push(RawPlace::new(p.span, p.line, &p.text, false));
        }
        for c in &s.children {
            section(c, out);
        }
    }
    let mut places = Vec::new();
    for p in &doc.preamble {
        places.push(RawPlace::new(p.span, p.line, &p.text, false));
    }
    for s in &doc.sections {
        section(s, &mut places);
    }
    for p in &doc.closing {
        places.push(RawPlace::new(p.span, p.line, &p.text, false));
    }
    if !places.windows(2).all(|w| w[0].span.start < w[1].span.start) {
        // Paragraphs before headings at the same place (stable sorts).
        let (mut order, headings): (Vec<RawPlace>, Vec<RawPlace>) =
            places.into_iter().partition(|p| !p.heading);
        order.sort_by_key(|p| p.span.start);
        order.extend(headings);
        order.sort_by_key(|p| p.span.start);
        places = order;
    }
    let mut text = String::with_capacity(places.iter().map(|p| p.text.len()).sum());
    for p in &mut places {
        p.start = text.len();
        text.push_str(p.text);
        p.end = text.len();
    }
    (text, places)
}

/// A paragraph or heading as written ([`raw_places`]).
#[derive(Clone, Copy)]
struct RawPlace<'d> {
    /// Its text is `start..end` of the text it stands in.
    start: usize,
    end: usize,
    span: Span,
    line: usize,
    text: &'d str,
    heading: bool,
}

impl<'d> RawPlace<'d> {
    fn new(span: Span, line: usize, text: &'d str, heading: bool) -> RawPlace<'d> {
        RawPlace {
            start: 0,
            end: 0,
            span,
            line,
            text,
            heading,
        }
    }

    /// A mention at the byte range `a..b` of this place's text.
    fn mention(&self, doc: &Document, a: usize, b: usize) -> Mention {
        let sp = Span::new(self.span.start + a, self.span.start + b);
        Mention {
            span: sp,
            line: self.line,
            term: self.text[a..b].to_string(),
            within: innermost(doc, sp)
                .map(|s| (s.line, format!("{}{}", s.marker, quoted(&s.heading)))),
            count: 0,
        }
    }
}

/// The first passing mention of each part whose `searched` is true (in
/// the authors' own words if any, else in a citation), with the number
/// of its mention words' hits in all.
///
/// Searched in the text as written ([`raw_places`], [`RawTerm`]): a hit
/// is the range of the characters that normalise to the word, the same
/// span the normalised search maps its hit to; 《 and 》 are their own
/// normalisation, so the citations are counted the same.
fn passing_mentions(doc: &Document, c: &Compiled, searched: &[bool]) -> Vec<Option<Mention>> {
    let words = &c.mentions;
    let mut wanted = vec![false; words.words.len()];
    for r in (0..searched.len()).filter(|&r| searched[r]) {
        for &k in &words.of_rule[r] {
            wanted[k] = true;
        }
    }
    let mut out = vec![None; searched.len()];
    if !wanted.contains(&true) {
        return out;
    }
    let (text, items) = raw_places(doc);
    // Each wanted word's hits within one place.
    let word_hits: Vec<Vec<(usize, usize)>> = words
        .raw
        .iter()
        .zip(&wanted)
        .map(|(w, &wanted)| match wanted {
            true => w.find_all(&text, |a, b| {
                b <= items[items.partition_point(|p| p.start <= a) - 1].end
            }),
            false => Vec::new(),
        })
        .collect();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for r in (0..searched.len()).filter(|&r| searched[r]) {
        let mut first: Option<Mention> = None;
        let mut fallback: Option<Mention> = None;
        let mut count = 0;
        // Every hit of any term, earliest first; at one place the longest
        // term.
        hits.clear();
        for &k in &words.of_rule[r] {
            hits.extend_from_slice(&word_hits[k]);
        }
        hits.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
        // Count non-overlapping hits, earliest first.
        let mut last_end = 0;
        let mut at = 0;
        for &(a, b) in &hits {
            if a < last_end {
                continue;
            }
            last_end = b;
            count += 1;
            while items.get(at + 1).is_some_and(|p| p.start <= a) {
                at += 1;
            }
            let place = &items[at];
            // A regulation's name in 《》 is a citation: prefer a mention
            // in the author's own words.
            let before = &text[place.start..a];
            let opened = before.matches('《').count();
            let closed = before.matches('》').count();
            let cited = opened > closed;
            if (cited && fallback.is_none()) || (!cited && first.is_none()) {
                let m = place.mention(doc, a - place.start, b - place.start);
                if cited {
                    fallback = Some(m);
                } else {
                    first = Some(m);
                }
            }
        }
        out[r] = first.or(fallback).map(|mut f| {
            f.count = count;
            f
        });
    }
    out
}

/// [`passing_mentions`] in the normalised text, as it was: the oracle
/// the tests compare it with.
#[cfg(test)]
fn passing_mentions_normalised(
    doc: &Document,
    c: &Compiled,
    texts: &Texts,
    searched: &[bool],
) -> Vec<Option<Mention>> {
    let words = &c.mentions;
    let mut wanted = vec![false; words.words.len()];
    for r in (0..searched.len()).filter(|&r| searched[r]) {
        for &k in &words.of_rule[r] {
            wanted[k] = true;
        }
    }
    let mut out = vec![None; searched.len()];
    if !wanted.contains(&true) {
        return out;
    }
    let full = texts.full();
    let marks = &full.marks;
    let mut copy = None;
    let (text, items) = full.in_document_order(&mut copy);
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let word_hits = words.hits(text, items, &wanted, true);
    for r in (0..searched.len()).filter(|&r| searched[r]) {
        let mut first: Option<Mention> = None;
        let mut fallback: Option<Mention> = None;
        let mut count = 0;
        // Every hit of any term, earliest first; at one place the longest
        // term.
        hits.clear();
        for &k in &words.of_rule[r] {
            hits.extend_from_slice(&word_hits[k]);
        }
        hits.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
        // Count non-overlapping hits, earliest first.
        let mut last_end = 0;
        let mut at = 0;
        for &(a, b) in &hits {
            if a < last_end {
                continue;
            }
            last_end = b;
            count += 1;
            while items.get(at + 1).is_some_and(|p| p.start <= a) {
                at += 1;
            }
            let place = &items[at];
            // A regulation's name in 《》 is a citation: prefer a mention
            // in the author's own words.
            let before = &text[place.start..a];
            let opened = before.matches('《').count();
            let closed = before.matches('》').count();
            let cited = opened > closed;
            if (cited && fallback.is_none()) || (!cited && first.is_none()) {
                let m = place.mention(doc, marks, a - place.start, b - place.start);
                if cited {
                    fallback = Some(m);
                } else {
                    first = Some(m);
                }
            }
        }
        out[r] = first.or(fallback).map(|mut f| {
            f.count = count;
            f
        });
    }
    out
}

#[cfg(test)]
impl Place<'_> {
    /// The source span of the normalised byte range `a..b` of this place
    /// (a non-empty range on char boundaries); `marks` is
    /// [`DocText::marks`].
    fn span_of(&self, marks: &[(usize, usize)], a: usize, b: usize) -> Span {
        if self.same || b <= self.same_upto {
            return Span::new(self.span.start + a, self.span.start + b);
        }
        // The last character folded or dropped that ends at or before
        // `a`: from its end to `a` the text is its own normalisation, so
        // `a` is a source offset counted from there. Read on from `a`.
        let marks = &marks[self.marks.0..self.marks.1];
        let (i, n) = match marks.partition_point(|m| m.1 <= a) {
            0 => (0, 0),
            k => marks[k - 1],
        };
        let at = i + (a - n);
        Norm::prefix_span(&self.text[at..], self.span.start + at, 0, b - a)
    }

    /// A mention at the normalised byte range `a..b` of this place.
    fn mention(&self, doc: &Document, marks: &[(usize, usize)], a: usize, b: usize) -> Mention {
        let sp = self.span_of(marks, a, b);
        Mention {
            span: sp,
            line: self.line,
            term: self
                .text
                .get(sp.start - self.span.start..sp.end - self.span.start)
                .unwrap_or("")
                .to_string(),
            within: innermost(doc, sp)
                .map(|s| (s.line, format!("{}{}", s.marker, quoted(&s.heading)))),
            count: 0,
        }
    }
}

/// The innermost section whose extent holds a span.
fn innermost(doc: &Document, span: Span) -> Option<&Section> {
    let mut best: Option<&Section> = None;
    let mut level = &doc.sections;
    loop {
        let Some(s) = level
            .iter()
            .find(|s| s.extent().start <= span.start && span.end <= s.extent().end)
        else {
            return best;
        };
        best = Some(s);
        level = &s.children;
    }
}

/// The year the report is about: the title's year, else the year in the
/// heading of a part about the report year, else the year before the one
/// in the heading of a part about the next year.
pub fn report_year(
    doc: &Document,
    schema: &Schema,
    matches: &[SectionMatch],
) -> Option<ReportYear> {
    if let Some(t) = &doc.title {
        // The title text is joined from lines: map through each line (a
        // year split over two lines is not read).
        for l in &t.lines {
            if let Some(y) = years(&norm(&l.text)).first() {
                return Some(ReportYear {
                    year: y.year,
                    // The span of the year needs the text only up to it.
                    span: Norm::prefix_span(&l.text, l.span.start, y.start, y.end),
                    line: l.line,
                    from_title: true,
                });
            }
        }
    }
    for (want, offset) in [(YearRule::Report, 0), (YearRule::Next, 1)] {
        for m in matches {
            let Some(rule) = schema.section(&m.section) else {
                continue;
            };
            if rule.year != want {
                continue;
            }
            for f in &m.found {
                if let Some((y, sp)) = f.years.first() {
                    return Some(ReportYear {
                        year: y - offset,
                        span: *sp,
                        line: f.line,
                        from_title: false,
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    //! The shared normalised text ([`DocText`]) against what it replaces:
    //! each section's text normalised on its own, and the places joined
    //! with line breaks for the mention search. (The whole matcher is
    //! compared with the old one in `reference.rs`.)

    use super::*;
    use crate::schema::normalize::push_norm;
    use crate::source::Source;

    /// The normalised text of a section with its descendants, built on
    /// its own (as the matcher did before [`DocText`]).
    fn norm_section(s: &Section) -> String {
        fn push(s: &Section, out: &mut String) {
            push_norm(out, &s.heading);
            for p in &s.body {
                push_norm(out, &p.text);
            }
            for c in &s.children {
                push(c, out);
            }
        }
        let mut out = String::new();
        push(s, &mut out);
        out
    }

    /// The corpus reports, and reports made of their lines picked at
    /// random (headings of every level, in any order and nesting).
    fn texts() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let name = p.to_string_lossy().to_string();
                if p.is_dir() {
                    walk(&p, out);
                } else if name.ends_with(".txt") && !name.ends_with(".source.txt") {
                    let bytes = std::fs::read(&p).unwrap();
                    let text = Source::decode(&name, &bytes).unwrap().text;
                    out.push((name, text));
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"),
            &mut out,
        );
        assert!(out.len() >= 10);
        let lines: Vec<String> = out
            .iter()
            .flat_map(|(_, t)| t.lines().map(String::from))
            .collect();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 16) as usize
        };
        for n in 0..1500 {
            let mut t = String::new();
            for _ in 0..next() % 40 {
                let l = &lines[next() % lines.len()];
                // Now and then a line cut short or run together.
                match next() % 8 {
                    0 => t.push_str(l.get(..l.len() / 2).unwrap_or(l)),
                    _ => t.push_str(l),
                }
                if next() % 16 != 0 {
                    t.push('\n');
                }
            }
            out.push((format!("generated {n}"), t));
        }
        out
    }

    fn parse(name: &str, text: &str) -> Document {
        crate::syntax::parse(&Source::from_text(name, text)).document
    }

    /// The places joined as the mention search read them before: in
    /// document order, each followed by a line break.
    fn joined(doc: &Document) -> (String, Vec<usize>) {
        let mut places: Vec<(Span, &str)> = doc
            .paragraphs()
            .into_iter()
            .map(|p| (p.span, p.text.as_str()))
            .collect();
        places.extend(
            doc.walk()
                .into_iter()
                .map(|s| (s.heading_span, s.heading.as_str())),
        );
        places.sort_by_key(|p| p.0.start);
        let mut text = String::new();
        let mut starts = Vec::new();
        for (_, t) in places {
            starts.push(text.len());
            push_norm(&mut text, t);
            text.push('\n');
        }
        (text, starts)
    }

    /// Check the shared text of `doc` against the separate ones; whether
    /// its places were already in document order.
    fn check(name: &str, doc: &Document) -> bool {
        let d = DocText::new(doc);
        let walk = doc.walk();
        assert_eq!(d.sections.len(), walk.len(), "{name}");
        for (s, r) in walk.iter().zip(&d.sections) {
            assert_eq!(d.text[r.clone()], norm_section(s), "{name} line {}", s.line);
        }
        // Each top-level section's text made on its own is the whole
        // text's.
        let texts = Texts::new(doc);
        for (k, r) in d.sections.iter().enumerate().rev() {
            assert_eq!(texts.section(k), &d.text[r.clone()], "{name}");
            PART_CHECKS.with(|n| n.set(n.get() + 1));
        }
        assert!(texts.full.get().is_none());
        for (i, s) in doc.sections.iter().enumerate() {
            assert_eq!(texts.top(i), norm_section(s), "{name}");
        }
        let mut copy = None;
        let (text, places) = d.in_document_order(&mut copy);
        let (old, starts) = joined(doc);
        // The same places, in the same order, with the same texts.
        assert_eq!(places.len(), starts.len(), "{name}");
        let ends = starts
            .iter()
            .skip(1)
            .map(|e| e - 1)
            .chain([old.len().saturating_sub(1)]);
        for ((p, &a), b) in places.iter().zip(&starts).zip(ends) {
            assert_eq!(text[p.start..p.end], old[a..b], "{name} line {}", p.line);
            // The unchanged start is the text's own, and a span read from
            // it on is the span read from the place's start.
            let upto = p.same_upto;
            assert_eq!(text[p.start..p.start + upto], p.text[..upto], "{name}");
            let n = &text[p.start..p.end];
            let ends: Vec<usize> = n
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain([n.len()])
                .collect();
            for (k, &b) in ends.iter().enumerate().step_by(7) {
                for a in [0, ends[k.saturating_sub(1)], ends[k.saturating_sub(5)]] {
                    let a = if a >= b { 0 } else { a };
                    assert_eq!(
                        p.span_of(&d.marks, a, b),
                        Norm::prefix_span(p.text, p.span.start, a, b),
                        "{name} line {} {a}..{b}",
                        p.line
                    );
                    SPAN_CHECKS.with(|n| n.set(n.get() + usize::from(!p.same && a >= upto)));
                    // Read on from the second character folded or dropped
                    // or a later one.
                    let past = d.marks[p.marks.0..p.marks.1]
                        .iter()
                        .filter(|m| m.1 <= a)
                        .count();
                    SPAN_MARKS.with(|n| n.set(n.get() + usize::from(past >= 2)));
                }
            }
        }
        // Every hit of every schema word, as the old text finds it.
        for schema in crate::schema::builtins() {
            let c = schema.compiled();
            for rule in &c.rules {
                for t in rule
                    .mentions
                    .iter()
                    .chain(&rule.synonyms)
                    .chain(&rule.keywords)
                {
                    if t.is_empty() {
                        continue;
                    }
                    let mut new = Vec::new();
                    hits_within(text, places, t, &mut new);
                    // From the old text's offsets to the new text's.
                    let want: Vec<(usize, usize)> = t
                        .find_iter(&old)
                        .map(|a| {
                            let k = starts.partition_point(|&s| s <= a) - 1;
                            let a = a - k;
                            (a, a + t.text.len())
                        })
                        .collect();
                    assert_eq!(new, want, "{name}: {}", t.text);
                    // A hit's source span, by the shortcut when the place's
                    // text is its own normalisation.
                    for &(a, b) in &new {
                        let p = &places[places.partition_point(|p| p.start <= a) - 1];
                        assert_eq!(
                            p.span_of(&d.marks, a - p.start, b - p.start),
                            Norm::prefix_span(p.text, p.span.start, a - p.start, b - p.start),
                            "{name}: {}",
                            t.text
                        );
                        assert_eq!(p.same, norm(p.text) == p.text, "{name}");
                        SAME_HITS.with(|n| n.set(n.get() + usize::from(p.same)));
                    }
                }
            }
        }
        copy.is_none()
    }

    /// Matching for the rules decides everything as matching without
    /// notes does; only the passing mentions (which [`mentions`] gives as
    /// they were) and the found sections' texts are left out.
    #[test]
    fn matches_for_rules_are_the_unexplained_ones_without_mentions() {
        let (mut mentions, mut texts_left_out, mut required) = (0, 0, 0);
        for (name, text) in texts() {
            let doc = parse(&name, &text);
            for schema in crate::schema::builtins() {
                let mut lean = match_sections_for_rules(&doc, schema);
                let mut full = match_sections_unexplained(&doc, schema);
                let again = super::mentions(&doc, schema, &lean);
                assert_eq!(again.len(), full.len(), "{name}");
                for (((m, rule), again), l) in full
                    .iter_mut()
                    .zip(&schema.sections)
                    .zip(again)
                    .zip(&mut lean)
                {
                    assert_eq!(
                        format!("{:#?}", m.mentions),
                        format!("{again:#?}"),
                        "{name} with {}",
                        schema.id
                    );
                    mentions += m.mentions.len();
                    required += usize::from(rule.required && !m.mentions.is_empty());
                    m.mentions.clear();
                    // Left out, except a paragraph's (a report without
                    // headings), which comes with it.
                    for (f, g) in m.found.iter_mut().zip(&mut l.found) {
                        texts_left_out += usize::from(g.text.is_empty());
                        if g.text.is_empty() {
                            f.text.clear();
                        }
                    }
                }
                assert_eq!(
                    format!("{lean:#?}"),
                    format!("{full:#?}"),
                    "{name} with {}",
                    schema.id
                );
            }
        }
        assert!(mentions > 100, "{mentions}");
        assert!(required > 10, "{required}");
        assert!(texts_left_out > 1000, "{texts_left_out}");
    }

    /// Matching without evidence notes decides everything as matching with
    /// them does; only the notes are left out.
    #[test]
    fn unexplained_matches_are_the_explained_ones_without_notes() {
        let mut notes = 0;
        for (name, text) in texts() {
            let doc = parse(&name, &text);
            for schema in crate::schema::builtins() {
                let mut full = match_sections(&doc, schema);
                for m in &mut full {
                    notes += m.evidence.len();
                    m.evidence.clear();
                }
                assert_eq!(
                    format!("{:#?}", match_sections_unexplained(&doc, schema)),
                    format!("{full:#?}"),
                    "{name} with {}",
                    schema.id
                );
            }
        }
        assert!(notes > 1000, "{notes}");
    }

    /// The one-slip search, which skips a heading without the term's first
    /// and last characters ([`Hay`]'s signature) and collects the
    /// heading's characters only past that, finds what the plain
    /// [`super::super::normalize::find_fuzzy`] finds.
    #[test]
    fn one_slip_search_with_signature_as_plain_search() {
        use super::super::normalize::find_fuzzy;
        let mut hays: Vec<String> = Vec::new();
        for (name, text) in texts().iter().step_by(3) {
            let doc = parse(name, text);
            hays.extend(doc.walk().iter().map(|s| norm(capped(&s.heading))));
        }
        let mut slips = 0;
        for schema in crate::schema::builtins() {
            let c = schema.compiled();
            let terms: Vec<&Term> = c.rules.iter().flat_map(|r| &r.synonyms).collect();
            let mut all = hays.clone();
            // Each synonym with one middle character changed, in a heading.
            for t in &terms {
                let cs: Vec<char> = t.text.chars().collect();
                for k in 1..cs.len().saturating_sub(1) {
                    let mut w = cs.clone();
                    w[k] = '错';
                    let w: String = w.into_iter().collect();
                    all.push(format!("一是{w}情况"));
                    all.push(w);
                }
            }
            for h in &all {
                let hay = Hay::new(h.clone());
                for t in &terms {
                    if t.is_empty() || h.contains(t.text.as_str()) {
                        continue;
                    }
                    let got = find_one_slip(&hay, t);
                    assert_eq!(got, find_fuzzy(h, &t.text), "{h} / {}", t.text);
                    slips += usize::from(got.is_some());
                }
            }
        }
        assert!(slips > 100, "{slips}");
    }

    /// The automaton finds the synonyms that searching for each finds.
    #[test]
    fn synonyms_found_in_one_pass_as_one_by_one() {
        for schema in crate::schema::builtins() {
            let fast = Compiled::new(schema);
            assert!(fast.synonyms.is_some());
            let slow = Compiled {
                synonyms: None,
                ..Compiled::new(schema)
            };
            let mut hays: Vec<String> = Vec::new();
            for (name, text) in texts() {
                let doc = parse(&name, &text);
                hays.extend(doc.walk().iter().map(|s| norm(&s.heading)));
                hays.extend(doc.paragraphs().iter().map(|p| norm(&p.text)));
            }
            // Every synonym, in a heading and twice overlapping itself.
            for t in fast.rules.iter().flat_map(|r| &r.synonyms) {
                hays.push(format!("一是{}情况", t.text));
                hays.push(format!("{0}{0}", t.text));
            }
            let mut found = 0;
            for h in hays {
                let mut a = fast.exact_synonyms(&h);
                a.sort_unstable();
                a.dedup();
                assert_eq!(a, slow.exact_synonyms(&h), "{h}");
                // Found on the way while preparing the heading: the same.
                let (hay, mut b) = fast.hay_with_synonyms(h.clone());
                b.sort_unstable();
                b.dedup();
                assert_eq!(b, a, "{h}");
                assert_eq!(format!("{hay:?}"), format!("{:?}", Hay::new(h.clone())));
                found += a.len();
            }
            assert!(found > 1000, "{found}");
        }
    }

    /// The mention words found in one pass (the packed searcher) are the
    /// hits that searching for each word on its own finds.
    #[test]
    fn mention_words_in_one_pass_as_one_by_one() {
        let mut found = 0;
        let texts = texts();
        for schema in crate::schema::builtins() {
            let words = &schema.compiled().mentions;
            assert!(words.searcher.is_some());
            let all = vec![true; words.words.len()];
            for (name, text) in &texts {
                let doc = parse(name, text);
                let d = DocText::new(&doc);
                let mut copy = None;
                let (text, places) = d.in_document_order(&mut copy);
                let fast = words.hits(text, places, &all, true);
                let slow = words.hits(text, places, &all, false);
                assert_eq!(fast, slow, "{name} with {}", schema.id);
                found += fast.iter().map(Vec::len).sum::<usize>();
            }
        }
        assert!(found > 1000, "{found}");
    }

    /// The same, with words that overlap themselves and each other, and
    /// places that end inside a word.
    #[test]
    fn overlapping_mention_words_in_one_pass_as_one_by_one() {
        let rules = vec![RuleTerms {
            synonyms: Vec::new(),
            slips: Vec::new(),
            first_chars: None,
            heading_words: Vec::new(),
            keywords: Vec::new(),
            raw_keywords: Vec::new(),
            mentions: ["工作工作", "工作", "作工", "下一步", "下一步工作", "一步"]
                .iter()
                .map(|w| Term::new(w))
                .collect(),
            topics: Vec::new(),
            raw_topics: Vec::new(),
        }];
        let words = MentionWords::new(&rules);
        assert!(words.searcher.is_some());
        let all = vec![true; words.words.len()];
        let alphabet = ["工", "作", "下", "一", "步", "，", "a"];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut found = 0;
        for _ in 0..3000 {
            let mut t = String::new();
            let mut places = Vec::new();
            for _ in 0..1 + x % 5 {
                let start = t.len();
                for _ in 0..x % 40 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    t.push_str(alphabet[(x >> 20) as usize % alphabet.len()]);
                }
                places.push(Place {
                    start,
                    end: t.len(),
                    span: Span::new(start, t.len()),
                    line: 1,
                    text: "",
                    heading: false,
                    same: true,
                    same_upto: 0,
                    marks: (0, 0),
                });
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            let fast = words.hits(&t, &places, &all, true);
            assert_eq!(fast, words.hits(&t, &places, &all, false), "{t}");
            found += fast.iter().map(Vec::len).sum::<usize>();
        }
        assert!(found > 1000, "{found}");
    }

    /// A section's keywords counted and its topics' evidence looked for
    /// in its text as written ([`raw_section`], [`RawTerm`]) as in its
    /// normalised text, for every section and both built-in schemas.
    #[test]
    fn sections_searched_as_written_as_normalised() {
        let (mut hits, mut topics, mut sections) = (0, 0, 0);
        for (name, text) in texts() {
            let doc = parse(&name, &text);
            for s in doc.walk() {
                let (raw, n) = (raw_section(s), norm_section(s));
                sections += 1;
                for schema in crate::schema::builtins() {
                    for terms in &schema.compiled().rules {
                        let want: usize = terms.keywords.iter().map(|k| k.count_in(&n)).sum();
                        assert_eq!(body_hits(&raw, terms), want, "{name} line {}", s.line);
                        hits += want;
                        for (words, raws) in terms.topics.iter().zip(&terms.raw_topics) {
                            for (w, r) in words.iter().zip(raws) {
                                let want = w.is_in(&n);
                                assert_eq!(
                                    r.as_ref().is_none_or(|r| r.is_in(&raw)),
                                    want,
                                    "{name}"
                                );
                                topics += usize::from(want);
                            }
                        }
                    }
                }
            }
        }
        assert!(sections > 10_000, "{sections}");
        assert!(hits > 10_000, "{hits}");
        assert!(topics > 1000, "{topics}");
    }

    /// The passing mentions found in the text as written are the ones
    /// found in the normalised text, for every part (and for some).
    #[test]
    fn mentions_as_written_as_normalised() {
        let (mut found, mut cited, mut moved) = (0, 0, 0);
        for (n, (name, text)) in texts().iter().enumerate() {
            let doc = parse(name, text);
            for schema in crate::schema::builtins() {
                let c = schema.compiled();
                let words = &c.mentions;
                assert_eq!(words.raw.len(), words.words.len());
                for (r, w) in words.raw.iter().zip(&words.words) {
                    assert_eq!(r.text, w.text);
                }
                let all = vec![true; schema.sections.len()];
                let some: Vec<bool> = (0..all.len()).map(|r| (n + r) % 3 == 0).collect();
                for searched in [all, some] {
                    let new = passing_mentions(&doc, c, &searched);
                    let old = passing_mentions_normalised(&doc, c, &Texts::new(&doc), &searched);
                    assert_eq!(format!("{new:#?}"), format!("{old:#?}"), "{name}");
                    for m in new.iter().flatten() {
                        found += 1;
                        let p = doc.paragraphs().into_iter().find(|p| p.line == m.line);
                        cited += usize::from(p.is_some_and(|p| p.text.contains('《')));
                        moved += usize::from(m.within.is_none());
                    }
                }
            }
        }
        assert!(found > 1000, "{found}");
        assert!(cited > 10, "{cited}");
        assert!(moved > 10, "{moved}");
    }

    /// A heading that [`RuleTerms::may_name`] passes over names no part
    /// (no synonym found in it exactly or with one slip), for every
    /// heading and both built-in schemas; most are passed over.
    #[test]
    fn headings_passed_over_name_no_part() {
        let (mut named, mut passed, mut all) = (0, 0, 0);
        let mut docs: Vec<Document> = texts().iter().map(|(n, t)| parse(n, t)).collect();
        for schema in crate::schema::builtins() {
            let c = schema.compiled();
            // Every synonym and misspelling in a heading, one character
            // changed too, Traditional forms.
            let mut extra: Vec<String> = Vec::new();
            for w in schema.sections.iter().flat_map(|r| &r.synonyms) {
                extra.push(format!("（一）加强{w}"));
                let cs: Vec<char> = w.chars().collect();
                for k in 0..cs.len() {
                    let mut v = cs.clone();
                    v[k] = '错';
                    extra.push(format!("二是{}情况", v.into_iter().collect::<String>()));
                }
            }
            for m in &schema.misspellings {
                extra.push(format!("（二）{}工作", m.wrong));
            }
            extra.extend(
                ["舉措和成效", "存在的問題", "下一步工作計劃", "第一責任人"].map(String::from),
            );
            let text: String = extra.iter().map(|h| format!("（一）{h}\n")).collect();
            docs.push(parse("extra", &format!("一、总体\n{text}")));
            for s in docs.iter().flat_map(|d| d.walk()) {
                let h = &s.heading;
                let p = prepare(schema, c, s, Explain(false));
                for (r, rule) in schema.sections.iter().enumerate() {
                    all += 1;
                    let found = synonym_in(&p.hay, &p.exact, r, rule, &c.rules[r]).is_some();
                    if !c.rules[r].may_name(h) {
                        assert!(!found, "{h} / {}", rule.id);
                        passed += 1;
                    }
                    named += usize::from(found);
                }
            }
        }
        assert!(named > 1000, "{named}");
        assert!(passed * 2 > all, "{passed} of {all}");
    }

    thread_local! {
        /// How many hits [`check`] found in places whose text is its own
        /// normalisation.
        static SAME_HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// How many section texts [`check`] compared with [`Texts`]' own.
        static PART_CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// How many spans [`check`] read from a place's unchanged start on.
        static SPAN_CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// How many of them read on from a later character folded or
        /// dropped ([`DocText::marks`]).
        static SPAN_MARKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn one_normalisation_gives_each_sections_text_and_the_places() {
        let mut in_order = 0;
        let texts = texts();
        for (name, text) in &texts {
            in_order += usize::from(check(name, &parse(name, text)));
        }
        // The parser keeps the places in order: the copy is the exception.
        assert_eq!(in_order, texts.len());
        // The shortcut for unchanged places was taken (and checked).
        assert!(SAME_HITS.with(|n| n.get()) > 1000);
        assert!(SPAN_CHECKS.with(|n| n.get()) > 1000);
        assert!(SPAN_MARKS.with(|n| n.get()) > 1000);
        assert!(PART_CHECKS.with(|n| n.get()) > 1000);
    }

    /// Places out of document order (a paragraph moved before its
    /// heading, or onto a heading's place) take the copy; the matcher
    /// still gives what the old one gives.
    #[test]
    fn places_out_of_order_are_copied_into_order() {
        let mut copied = 0;
        for (n, (name, text)) in texts().iter().enumerate().step_by(7) {
            let mut doc = parse(name, text);
            let Some(s) = doc.sections.iter_mut().find(|s| !s.body.is_empty()) else {
                continue;
            };
            let p = &mut s.body[0];
            let len = p.span.end - p.span.start;
            let start = match n % 3 {
                0 => s.heading_span.start,
                1 => 0,
                _ => s.span.start.saturating_sub(1),
            };
            p.span = Span::new(start, start + len);
            copied += usize::from(!check(name, &doc));
            for schema in crate::schema::builtins() {
                assert_eq!(
                    format!("{:#?}", match_sections(&doc, schema)),
                    format!(
                        "{:#?}",
                        super::super::reference::match_sections(&doc, schema)
                    ),
                    "{name} with {}",
                    schema.id
                );
            }
        }
        assert!(copied > 10, "{copied}");
    }
}
