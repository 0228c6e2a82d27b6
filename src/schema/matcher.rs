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

use serde::Serialize;

use super::normalize::{
    Hay, Norm, Term, YearAt, find_fuzzy_term, is_traditional, norm, push_norm, years,
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
    misspellings: Vec<(String, String)>,
    /// One per schema section, in schema order.
    rules: Vec<RuleTerms>,
}

#[derive(Debug)]
struct RuleTerms {
    /// As in `synonyms` (same length, same order).
    synonyms: Vec<Term>,
    /// As in `heading-words`, normalised.
    heading_words: Vec<String>,
    /// The non-empty normalised `keywords`.
    keywords: Vec<Term>,
    /// The mention words (default: the synonyms) of two or more characters.
    mentions: Vec<Term>,
    /// The evidence words of each topic.
    topics: Vec<Vec<Term>>,
}

impl Compiled {
    pub fn new(schema: &Schema) -> Compiled {
        Compiled {
            misspellings: schema
                .misspellings
                .iter()
                .map(|m| (norm(&m.wrong), norm(&m.right)))
                .collect(),
            rules: schema
                .sections
                .iter()
                .map(|rule| {
                    let words = if rule.mention_words.is_empty() {
                        &rule.synonyms
                    } else {
                        &rule.mention_words
                    };
                    RuleTerms {
                        synonyms: rule.synonyms.iter().map(|w| Term::new(w)).collect(),
                        heading_words: rule.heading_words.iter().map(|w| norm(w)).collect(),
                        keywords: rule
                            .keywords
                            .iter()
                            .map(|w| Term::new(w))
                            .filter(|t| !t.is_empty())
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
                    }
                })
                .collect(),
        }
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
    notes: Vec<Evidence>,
}

/// Headings are compared on their first characters only: a real heading
/// is short, and a "heading" of megabytes must not make matching slow.
const HEADING_CHARS: usize = 100;

/// The first [`HEADING_CHARS`] characters of a heading.
fn capped(h: &str) -> &str {
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

fn prepare(schema: &Schema, c: &Compiled, s: &Section) -> Prepared {
    let heading = capped(&s.heading);
    let mut text = norm(heading);
    let mut notes = Vec::new();
    if heading.chars().any(is_traditional) {
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
        if !w.is_empty() && text.contains(w.as_str()) {
            text = text.replace(w.as_str(), r);
            notes.push(Evidence {
                line: Some(s.line),
                kind: EvidenceKind::Misspelling,
                note: L10n::new(
                    format!("第{}行标题中的“{}”按“{}”比对", s.line, m.wrong, m.right),
                    format!("line {}: 「{}」 read as 「{}」", s.line, m.wrong, m.right),
                ),
            });
        }
    }
    Prepared {
        hay: Hay::new(text),
        notes,
    }
}

/// Heading length without its years: short headings are labels.
fn is_short(text: &str) -> bool {
    let mut n = text.chars().count();
    for y in years(text) {
        n = n.saturating_sub(text[y.start..y.end].chars().count() + 1);
    }
    n <= 16
}

/// How often a rule's keywords occur in a section's normalised text.
fn body_hits(t: &str, terms: &RuleTerms) -> usize {
    terms.keywords.iter().map(|k| k.count_in(t)).sum()
}

/// The normalised text of a section with its descendants: `norm` of
/// [`Section::full_text`], without building that text first.
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

/// The top-level sections' normalised texts, and their keyword counts
/// per rule (counted once, when first asked for).
struct Bodies {
    texts: Vec<String>,
    hits: Vec<Vec<Option<usize>>>,
}

impl Bodies {
    fn new(tops: &[Section], rules: usize) -> Bodies {
        Bodies {
            texts: tops.iter().map(norm_section).collect(),
            hits: vec![vec![None; rules]; tops.len()],
        }
    }

    fn hits(&mut self, c: &Compiled, i: usize, r: usize) -> usize {
        *self.hits[i][r].get_or_insert_with(|| body_hits(&self.texts[i], &c.rules[r]))
    }
}

/// A heading below a top-level one, prepared once for every part looked
/// for at level two or three.
#[derive(Clone)]
struct Nested<'d> {
    section: &'d Section,
    prepared: Prepared,
    /// The index after its last descendant in the list.
    end: usize,
}

/// The headings of levels two and three under `top` in document order
/// (pre-order), each with the end of its subtree: the order a depth-first
/// search visits them, so that a match can skip what lies inside it.
fn flatten<'d>(schema: &Schema, c: &Compiled, top: &'d Section) -> Vec<Nested<'d>> {
    fn push<'d>(schema: &Schema, c: &Compiled, s: &'d Section, out: &mut Vec<Nested<'d>>) {
        if s.depth > 3 {
            return;
        }
        let at = out.len();
        out.push(Nested {
            section: s,
            prepared: prepare(schema, c, s),
            end: 0,
        });
        for ch in &s.children {
            push(schema, c, ch, out);
        }
        out[at].end = out.len();
    }
    let mut out = Vec::new();
    for ch in &top.children {
        push(schema, c, ch, &mut out);
    }
    out
}

/// A synonym found in a heading: (term as in the schema, exact?).
fn synonym_in(hay: &Hay, rule: &SectionRule, terms: &RuleTerms) -> Option<(String, bool)> {
    let mut fuzzy = None;
    for (syn, t) in rule.synonyms.iter().zip(&terms.synonyms) {
        match find_fuzzy_term(hay, t) {
            Some((_, _, true)) => return Some((syn.clone(), true)),
            Some((a, b, false)) if fuzzy.is_none() => {
                fuzzy = Some((format!("{syn}（标题作“{}”）", &hay.text[a..b]), false))
            }
            _ => {}
        }
    }
    fuzzy
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
            let rest = &n.text[y.end..];
            let rest = rest.strip_prefix('年').unwrap_or(rest);
            let rest = rest.strip_prefix('度').unwrap_or(rest);
            !["以来", "至今", "起", "至"]
                .iter()
                .any(|w| rest.starts_with(w))
        }),
        text,
    }
}

/// The years in `text` (at source byte `base`), with the text's [`Norm`]
/// to map them back. The `Norm` (a span per character) is built only when
/// there is a year: its text is `norm(text)`.
fn heading_years(text: &str, base: usize) -> Option<(Norm, Vec<YearAt>)> {
    let ys = years(&norm(text));
    (!ys.is_empty()).then(|| (Norm::new(text, base), ys))
}

/// The years of [`heading_years`] as (year, source span), those `keep` accepts.
fn mapped_years(
    text: &str,
    base: usize,
    keep: impl Fn(&Norm, &YearAt) -> bool,
) -> Vec<(i32, Span)> {
    let Some((n, ys)) = heading_years(text, base) else {
        return Vec::new();
    };
    ys.into_iter()
        .filter(|y| keep(&n, y))
        .map(|y| (y.year, n.span(y.start, y.end)))
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
) {
    let rules = &schema.sections;
    let paras = &doc.preamble;
    let mut class: Vec<Vec<usize>> = vec![Vec::new(); paras.len()];
    for (j, p) in paras.iter().enumerate() {
        let (_, text) = lead(p);
        let t = Hay::new(norm(text));
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, _)) = synonym_in(&t, rule, &c.rules[r]) {
                class[j].push(r);
                out[r].evidence.push(Evidence {
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
            out[default].evidence.push(Evidence {
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

/// Match a document's headings to the schema's sections: one entry per
/// schema section, in schema order.
pub fn match_sections(doc: &Document, schema: &Schema) -> Vec<SectionMatch> {
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
    let mut bodies = Bodies::new(tops, rules.len());
    for (i, s) in tops.iter().enumerate() {
        let p = prepare(schema, c, s);
        let text = p.hay.text.as_str();
        let mut notes: Vec<(usize, Evidence)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, exact)) = synonym_in(&p.hay, rule, &c.rules[r]) {
                class[i].push(r);
                notes.push((r, heading_note(s, rule, &term, exact)));
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
                    let Some(at) = text.rfind(nw.as_str()) else {
                        continue;
                    };
                    let hits = bodies.hits(c, i, r);
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
                notes.push((
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
                ));
            }
        }
        // 「四、2025年主要措施」 in a report on 2024: a heading that names
        // only a report-year part but the year after the title's is the
        // next-year part.
        let ys: Vec<i32> = years(text).iter().map(|y| y.year).collect();
        if let (Some(ty), Some(nx)) = (title_year, next_rule)
            && !class[i].is_empty()
            && class[i].iter().all(|&r| rules[r].year == YearRule::Report)
            && ys.contains(&(ty + 1))
            && !ys.contains(&ty)
        {
            class[i] = vec![nx];
            notes = vec![(
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
            )];
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
            .map(|(r, _)| (bodies.hits(c, i, r), r))
            .filter(|(h, _)| *h >= 3)
            .max();
        if let Some((hits, r)) = by_body {
            class[i].push(r);
            out[r].evidence.push(Evidence {
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
            out[default].evidence.push(Evidence {
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
    for (i, s) in tops.iter().enumerate() {
        for &r in &class[i] {
            out[r].found.push(found(s, i, bodies.texts[i].clone()));
        }
    }

    if tops.is_empty() {
        match_paragraphs(doc, schema, c, default, next, &mut out);
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
            let nodes = nested[i].get_or_insert_with(|| flatten(schema, c, top));
            let mut k = 0;
            while let Some(node) = nodes.get(k) {
                let (s, p) = (node.section, &node.prepared);
                if let Some((term, exact)) = synonym_in(&p.hay, rule, &c.rules[r]) {
                    out[r].evidence.extend(p.notes.iter().cloned());
                    out[r].evidence.push(heading_note(s, rule, &term, exact));
                    out[r].evidence.push(Evidence {
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
                    out[r].found.push(found(s, i, norm_section(s)));
                    // Not inside a heading that matched.
                    k = node.end;
                    continue;
                }
                k += 1;
            }
        }
    }

    // 4. Status and topics.
    for (r, rule) in rules.iter().enumerate() {
        let m = &mut out[r];
        m.found.sort_by_key(|f| f.span.start);
        m.lines = m.found.iter().map(|f| f.line).collect();
        if m.found.is_empty() {
            continue;
        }
        m.status = MatchStatus::Present;
        for (t, words) in rule.topics.iter().zip(&c.rules[r].topics) {
            let hit = words.iter().find_map(|w| {
                m.found
                    .iter()
                    .find(|f| w.is_in(&f.text))
                    .map(|f| (f.line, w.text.clone()))
            });
            match hit {
                Some((line, w)) => m.evidence.push(Evidence {
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
                    m.evidence.push(Evidence {
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
    let mut places: Option<Places> = None;
    // The paragraphs outside every section; with the sections' texts they
    // hold every place's text.
    let mut outside: Option<String> = None;
    for (r, rule) in rules.iter().enumerate() {
        if !out[r].found.is_empty() {
            continue;
        }
        let terms = &c.rules[r].mentions;
        // Most missing parts are not mentioned at all: look for the terms
        // in the texts already normalised before splitting the document
        // into places (a hit in a place is a hit in its section's text or
        // in the text outside the sections).
        let outside = outside.get_or_insert_with(|| {
            let mut t = String::new();
            for p in doc.preamble.iter().chain(&doc.closing) {
                push_norm(&mut t, &p.text);
                t.push('\n');
            }
            t
        });
        let mentioned = terms
            .iter()
            .any(|t| t.is_in(outside) || bodies.texts.iter().any(|b| t.is_in(b)));
        let mut first: Option<Mention> = None;
        let mut fallback: Option<Mention> = None;
        let mut count = 0;
        // Every hit of any term, earliest first; at one place the longest
        // term. (A term holds no line break, so none spans two places.)
        if mentioned {
            let places = places.get_or_insert_with(|| Places::new(doc));
            let mut hits: Vec<(usize, usize)> = terms
                .iter()
                .flat_map(|t| t.find_iter(&places.text).map(|a| (a, a + t.text.len())))
                .collect();
            hits.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
            // Count non-overlapping hits, earliest first.
            let mut last_end = 0;
            let mut at = 0;
            for (a, b) in hits {
                if a < last_end {
                    continue;
                }
                last_end = b;
                count += 1;
                while places.items.get(at + 1).is_some_and(|p| p.start <= a) {
                    at += 1;
                }
                let place = &places.items[at];
                // A regulation's name in 《》 is a citation: prefer a
                // mention in the author's own words.
                let before = &places.text[place.start..a];
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
        }
        let m = &mut out[r];
        match first.or(fallback) {
            Some(mut f) => {
                f.count = count;
                m.evidence.push(Evidence {
                    line: Some(f.line),
                    kind: EvidenceKind::Mention,
                    note: L10n::new(
                        format!(
                            "没有标题对应“{}”；第{}行顺带提到“{}”（全文共{}处）",
                            rule.name, f.line, f.term, count
                        ),
                        format!(
                            "no heading for {}; line {} mentions 「{}」 in passing ({} in all)",
                            rule.en(),
                            f.line,
                            f.term,
                            count
                        ),
                    ),
                });
                m.mentions.push(f);
            }
            None => m.evidence.push(Evidence {
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

/// Every paragraph and heading of a document, in document order,
/// normalised into one text (a line break after each) for the mention
/// search.
struct Places<'d> {
    text: String,
    items: Vec<Place<'d>>,
}

struct Place<'d> {
    /// Where its normalised text starts in [`Places::text`].
    start: usize,
    span: Span,
    line: usize,
    text: &'d str,
}

impl<'d> Places<'d> {
    fn new(doc: &'d Document) -> Places<'d> {
        let mut places: Vec<(Span, usize, &str)> = doc
            .paragraphs()
            .into_iter()
            .map(|p| (p.span, p.line, p.text.as_str()))
            .collect();
        places.extend(
            doc.walk()
                .into_iter()
                .map(|s| (s.heading_span, s.line, s.heading.as_str())),
        );
        places.sort_by_key(|p| p.0.start);
        let mut text = String::with_capacity(places.iter().map(|p| p.2.len() + 1).sum());
        let items = places
            .into_iter()
            .map(|(span, line, t)| {
                let start = text.len();
                push_norm(&mut text, t);
                text.push('\n');
                Place {
                    start,
                    span,
                    line,
                    text: t,
                }
            })
            .collect();
        Places { text, items }
    }
}

impl Place<'_> {
    /// A mention at the normalised byte range `a..b` of this place.
    fn mention(&self, doc: &Document, a: usize, b: usize) -> Mention {
        let n = Norm::prefix(self.text, self.span.start, b);
        let sp = n.span(a, b);
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
            if let Some((n, ys)) = heading_years(&l.text, l.span.start)
                && let Some(y) = ys.first()
            {
                return Some(ReportYear {
                    year: y.year,
                    span: n.span(y.start, y.end),
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
