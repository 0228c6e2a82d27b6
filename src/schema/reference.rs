//! The matcher as it was before the speed work (issue 5), kept for the
//! differential test in `matcher.rs`: the fast matcher must give exactly
//! what this one gives.

use super::matcher::{Evidence, EvidenceKind, Found, Mention};
use super::normalize::{Norm, find_fuzzy, is_traditional, norm, years};
use super::{MatchStatus, Schema, SectionMatch, SectionRule, YearRule};
use crate::ast::{Document, Paragraph, Section};
use crate::diagnostic::L10n;
use crate::source::Span;

/// A heading prepared for matching.
struct Prepared {
    text: String,
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

fn prepare(schema: &Schema, s: &Section) -> Prepared {
    let mut text = norm(capped(&s.heading));
    let mut notes = Vec::new();
    if capped(&s.heading).chars().any(is_traditional) {
        notes.push(Evidence {
            line: Some(s.line),
            kind: EvidenceKind::Traditional,
            note: L10n::new(
                format!("第{}行标题中的繁体字按简体比对", s.line),
                format!("line {}: Traditional characters read as Simplified", s.line),
            ),
        });
    }
    for m in &schema.misspellings {
        let (w, r) = (norm(&m.wrong), norm(&m.right));
        if !w.is_empty() && text.contains(&w) {
            text = text.replace(&w, &r);
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
    Prepared { text, notes }
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
fn body_hits(t: &str, rule: &SectionRule) -> usize {
    rule.keywords
        .iter()
        .map(|k| norm(k))
        .filter(|k| !k.is_empty())
        .map(|k| t.matches(k.as_str()).count())
        .sum()
}

/// A synonym found in a heading: (term as in the schema, exact?).
fn synonym_in(text: &str, rule: &SectionRule) -> Option<(String, bool)> {
    let mut fuzzy = None;
    for syn in &rule.synonyms {
        match find_fuzzy(text, &norm(syn)) {
            Some((_, _, true)) => return Some((syn.clone(), true)),
            Some((a, b, false)) if fuzzy.is_none() => {
                fuzzy = Some((format!("{syn}（标题作“{}”）", &text[a..b]), false))
            }
            _ => {}
        }
    }
    fuzzy
}

fn found(s: &Section, top: usize) -> Found {
    let n = Norm::new(capped(&s.heading), s.heading_span.start);
    Found {
        line: s.line,
        heading: s.heading.clone(),
        heading_span: s.heading_span,
        span: s.span,
        extent: s.extent(),
        depth: s.depth,
        top,
        years: years(&n.text)
            .into_iter()
            // 「2023年以来」 is a starting point, not the year of the part.
            .filter(|y| {
                let rest = &n.text[y.end..];
                let rest = rest.strip_prefix('年').unwrap_or(rest);
                let rest = rest.strip_prefix('度').unwrap_or(rest);
                !["以来", "至今", "起", "至"]
                    .iter()
                    .any(|w| rest.starts_with(w))
            })
            .map(|y| (y.year, n.span(y.start, y.end)))
            .collect(),
        text: norm(&s.full_text()),
    }
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
    let n = Norm::new(text, span.start);
    Found {
        line: p.line,
        heading: text.to_string(),
        heading_span: span,
        span,
        extent: p.span,
        depth: 1,
        top,
        years: years(&n.text)
            .into_iter()
            .map(|y| (y.year, n.span(y.start, y.end)))
            .collect(),
        text: norm(&p.text),
    }
}

/// A report without any numbered heading: paragraphs whose lead clause
/// names a part open that part; paragraphs before the 不足 one belong to the
/// first part. Nothing is matched unless some lead names a part.
fn match_paragraphs(
    doc: &Document,
    schema: &Schema,
    default: usize,
    next: Option<usize>,
    out: &mut [SectionMatch],
) {
    let rules = &schema.sections;
    let paras = &doc.preamble;
    let mut class: Vec<Vec<usize>> = vec![Vec::new(); paras.len()];
    for (j, p) in paras.iter().enumerate() {
        let (_, text) = lead(p);
        let t = norm(text);
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, _)) = synonym_in(&t, rule) {
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

    // 1. Headings of top-level sections.
    let title_year = doc
        .title
        .as_ref()
        .and_then(|t| years(&norm(&t.text)).first().map(|y| y.year));
    let next_rule = rules.iter().position(|r| r.year == YearRule::Next);
    let mut class: Vec<Vec<usize>> = vec![Vec::new(); tops.len()];
    let bodies: Vec<String> = tops.iter().map(|s| norm(&s.full_text())).collect();
    for (i, s) in tops.iter().enumerate() {
        let p = prepare(schema, s);
        let mut notes: Vec<(usize, Evidence)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if let Some((term, exact)) = synonym_in(&p.text, rule) {
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
            for (r, rule) in rules.iter().enumerate() {
                for w in &rule.heading_words {
                    let nw = norm(w);
                    let Some(at) = p.text.rfind(&nw) else {
                        continue;
                    };
                    let hits = body_hits(&bodies[i], rule);
                    // A thematic heading (clauses with commas) does not
                    // become a part on a weak word, whatever its body says.
                    if !(is_short(&p.text) || (hits >= 2 && !p.text.contains('，'))) {
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
                let why_zh = if is_short(&p.text) {
                    "标题简短".to_string()
                } else {
                    format!("正文有{hits}处相关词")
                };
                let why_en = if is_short(&p.text) {
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
        let ys: Vec<i32> = years(&p.text).iter().map(|y| y.year).collect();
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
            .map(|(r, rule)| (body_hits(&bodies[i], rule), r))
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
            out[r].found.push(found(s, i));
        }
    }

    if tops.is_empty() {
        match_paragraphs(doc, schema, default, next, &mut out);
    }

    // 3. Parts not found at the top: second- and third-level headings.
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
            let mut stack: Vec<&Section> = top.children.iter().rev().collect();
            while let Some(s) = stack.pop() {
                if s.depth <= 3 {
                    let p = prepare(schema, s);
                    if let Some((term, exact)) = synonym_in(&p.text, rule) {
                        out[r].evidence.extend(p.notes);
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
                        out[r].found.push(found(s, i));
                        continue;
                    }
                    stack.extend(s.children.iter().rev());
                }
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
        let texts: Vec<(usize, String)> =
            m.found.iter().map(|f| (f.line, f.text.clone())).collect();
        for t in &rule.topics {
            let hit = t.evidence.iter().find_map(|w| {
                let w = norm(w);
                texts
                    .iter()
                    .find(|(_, x)| x.contains(&w))
                    .map(|(l, _)| (*l, w))
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
    for (r, rule) in rules.iter().enumerate() {
        if !out[r].found.is_empty() {
            continue;
        }
        let words = if rule.mention_words.is_empty() {
            &rule.synonyms
        } else {
            &rule.mention_words
        };
        let terms: Vec<String> = words
            .iter()
            .map(|t| norm(t))
            .filter(|t| t.chars().count() >= 2)
            .collect();
        let mut first: Option<Mention> = None;
        let mut fallback: Option<Mention> = None;
        let mention = |n: &Norm, a: usize, b: usize, span: Span, line: usize, text: &str| {
            let sp = n.span(a, b);
            Mention {
                span: sp,
                line,
                term: text
                    .get(sp.start - span.start..sp.end - span.start)
                    .unwrap_or("")
                    .to_string(),
                within: innermost(doc, sp)
                    .map(|s| (s.line, format!("{}{}", s.marker, quoted(&s.heading)))),
                count: 0,
            }
        };
        let mut count = 0;
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
        for (span, line, text) in places {
            let n = Norm::new(text, span.start);
            // Count non-overlapping hits of any term, earliest first.
            let mut hits: Vec<(usize, usize)> = terms.iter().flat_map(|t| n.find_all(t)).collect();
            // Earliest first; at one place the longest term.
            hits.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
            let mut last_end = 0;
            for (a, b) in hits {
                if a < last_end {
                    continue;
                }
                last_end = b;
                count += 1;
                // A regulation's name in 《》 is a citation: prefer a
                // mention in the author's own words.
                let opened = n.text[..a].matches('《').count();
                let closed = n.text[..a].matches('》').count();
                let cited = opened > closed;
                if cited && fallback.is_none() {
                    fallback = Some(mention(&n, a, b, span, line, text));
                }
                if first.is_none() && !cited {
                    first = Some(mention(&n, a, b, span, line, text));
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

#[cfg(test)]
mod tests {
    //! The differential test: the matcher and this reference agree on
    //! every corpus report and on generated ones, for every built-in
    //! schema.

    use crate::source::Source;

    fn check(name: &str, text: &str) {
        let doc = crate::syntax::parse(&Source::from_text(name, text)).document;
        for schema in crate::schema::builtins() {
            let fast = super::super::match_sections(&doc, schema);
            let slow = super::match_sections(&doc, schema);
            assert_eq!(
                format!("{fast:#?}"),
                format!("{slow:#?}"),
                "{name} with {}",
                schema.id
            );
        }
    }

    fn corpus(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.to_string_lossy().to_string();
            if p.is_dir() {
                corpus(&p, out);
            } else if name.ends_with(".txt") && !name.ends_with(".source.txt") {
                out.push(p);
            }
        }
    }

    #[test]
    fn corpus_reports_match_as_before() {
        let mut files = Vec::new();
        corpus(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"),
            &mut files,
        );
        assert!(files.len() >= 10);
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            let src = Source::decode(f.to_string_lossy(), &bytes).unwrap();
            check(&f.to_string_lossy(), &src.text);
        }
    }

    /// A small deterministic generator (xorshift), no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 16) as usize
        }

        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.next() % xs.len()]
        }
    }

    /// Words of the schemas, with slips, Traditional forms, misspellings.
    fn words() -> Vec<String> {
        let mut w: Vec<String> = Vec::new();
        for schema in crate::schema::builtins() {
            for s in &schema.sections {
                w.extend(s.synonyms.iter().cloned());
                w.extend(s.heading_words.iter().cloned());
                w.extend(s.keywords.iter().cloned());
                w.extend(s.mention_words.iter().cloned());
                for t in &s.topics {
                    w.extend(t.evidence.iter().cloned());
                }
            }
            for m in &schema.misspellings {
                w.push(m.wrong.clone());
                w.push(m.right.clone());
            }
        }
        let slips: Vec<String> = w
            .iter()
            .filter(|x| x.chars().count() >= 5)
            .map(|x| {
                let cs: Vec<char> = x.chars().collect();
                let mut y = cs.clone();
                y[cs.len() / 2] = '错';
                y.into_iter().collect()
            })
            .collect();
        w.extend(slips);
        w.extend(
            [
                "舉措和成效",
                "存在的問題",
                "下一步工作計劃",
                "第一責任人",
                "2023年",
                "2024年度",
                "二〇二四年",
                "2021—2025年",
                "2023年以来",
                "《",
                "》",
                "，",
                "。",
                "：",
                " ",
                "工作",
                "推進",
                "情况",
                "abc",
                "ＡＢ",
                "１２",
                ",",
                "问题",
                "不足",
                "原因",
            ]
            .map(String::from),
        );
        w
    }

    fn generated(rng: &mut Rng, words: &[String]) -> String {
        let markers = [
            "一、",
            "二、",
            "三、",
            "四、",
            "五、",
            "（一）",
            "（二）",
            "（三）",
            "1.",
            "2.",
            "(1)",
            "",
        ];
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut text = String::new();
        if !rng.next().is_multiple_of(4) {
            text.push_str("××县2024年法治政府建設情况的报告\n");
        }
        for _ in 0..rng.next() % 14 {
            let heading = !rng.next().is_multiple_of(3);
            if heading {
                text.push_str(rng.pick(&markers));
            }
            for _ in 0..1 + rng.next() % if heading { 4 } else { 12 } {
                text.push_str(rng.pick(&w));
                if rng.next().is_multiple_of(3) {
                    text.push_str(rng.pick(&["，", "的", "和", "。", " ", "加强"]));
                }
            }
            text.push('\n');
        }
        text
    }

    #[test]
    fn generated_reports_match_as_before() {
        let words = words();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for n in 0..3000 {
            let text = generated(&mut rng, &words);
            check(&format!("generated {n}"), &text);
        }
    }
}
