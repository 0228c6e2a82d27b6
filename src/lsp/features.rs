//! What the server computes from one analysis: LSP diagnostics, code
//! actions, the outline as document symbols, folding ranges and hovers.
//! Pure functions of an [`Analysis`], so they are tested without a client.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use lsp_types as lsp;
use lsp_types::{CodeActionKind, NumberOrString, Uri};
use serde_json::json;

use super::document::{self, Encoding};
use super::options::Config;
use crate::Checked;
use crate::ast::{MarkerForm, Section};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Lang, Severity};
use crate::schema::{MatchStatus, SectionMatch};
use crate::source::Source;

/// The code action kind of "fix all gongwen problems".
pub const FIX_ALL_KIND: &str = "source.fixAll.gongwen";

/// One lint of one version of a document.
#[derive(Debug)]
pub struct Analysis {
    pub version: i32,
    /// The [`Config::generation`] it was made with.
    pub generation: u64,
    pub source: Arc<Source>,
    pub checked: Checked,
    pub lang: Lang,
    pub unsafe_fixes: bool,
    /// The schema it was checked against (section names for hovers).
    pub schema: Arc<crate::schema::Schema>,
}

/// Lint one version of a document.
pub fn analyze(source: Arc<Source>, version: i32, config: &Config) -> Analysis {
    let checked = crate::check(&source, &config.schema, &config.settings);
    Analysis {
        version,
        generation: config.generation,
        source,
        checked,
        lang: config.settings.lang,
        unsafe_fixes: config.unsafe_fixes,
        schema: config.schema.clone(),
    }
}

/// Where a rule's documentation can be opened, if it has an absolute
/// address. [`crate::rules::url`] gives a repository-relative path today;
/// an editor cannot open that, so no link is sent until it is absolute.
pub fn doc_uri(code: &str) -> Option<Uri> {
    let url = crate::rules::url(code);
    let absolute = ["https://", "http://", "file://"]
        .iter()
        .any(|p| url.starts_with(p));
    if absolute {
        Uri::from_str(&url).ok()
    } else {
        None
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The message an editor shows: the finding, then help and basis lines.
fn message(d: &Diagnostic, lang: Lang) -> String {
    let mut out = d.message.get(lang).to_string();
    if let Some(h) = &d.help {
        out.push('\n');
        out.push_str(h.get(lang));
    }
    for n in &d.notes {
        out.push('\n');
        out.push_str(n.get(lang));
    }
    if let Some(b) = &d.basis {
        out.push('\n');
        out.push_str(if lang == Lang::Zh {
            "依据："
        } else {
            "basis: "
        });
        out.push_str(b);
    }
    out
}

/// One gongwen diagnostic as an LSP diagnostic.
pub fn diagnostic(d: &Diagnostic, a: &Analysis, uri: &Uri, enc: Encoding) -> lsp::Diagnostic {
    let src = &a.source;
    let related: Vec<_> = d
        .labels
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), document::range(src, l.span, enc)),
            message: l
                .message
                .as_ref()
                .map(|m| m.get(a.lang).to_string())
                .unwrap_or_else(|| d.message.get(a.lang).to_string()),
        })
        .collect();
    lsp::Diagnostic {
        range: document::range(src, d.span, enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: doc_uri(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("gongwen".into()),
        message: message(d, a.lang),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({ "name": d.name(), "fixable": d.fix.is_some() })),
    }
}

/// Every diagnostic of an analysis.
pub fn diagnostics(a: &Analysis, uri: &Uri, enc: Encoding) -> Vec<lsp::Diagnostic> {
    a.checked
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, a, uri, enc))
        .collect()
}

fn offered(fix: &Fix, a: &Analysis) -> bool {
    fix.applicability == Applicability::Safe || a.unsafe_fixes
}

fn text_edits(fix: &Fix, src: &Source, enc: Encoding) -> Vec<lsp::TextEdit> {
    fix.edits
        .iter()
        .map(|e| lsp::TextEdit::new(document::range(src, e.span, enc), e.replacement.to_string()))
        .collect()
}

/// A workspace edit for one document, versioned when the client can take
/// `documentChanges` (so an edit made for an older text is refused).
fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<lsp::TextEdit>,
    document_changes: bool,
) -> lsp::WorkspaceEdit {
    if document_changes {
        lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

fn kind_wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    match only {
        None => true,
        // `only` lists kinds or their parents ("source" covers "source.fixAll.gongwen").
        Some(list) => list.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

/// Code actions for `range`: one quick fix per fixable finding that touches
/// it, and "fix all" when any safe fix exists.
pub fn code_actions(
    a: &Analysis,
    uri: &Uri,
    range: lsp::Range,
    only: Option<&[CodeActionKind]>,
    enc: Encoding,
    document_changes: bool,
) -> Vec<lsp::CodeActionOrCommand> {
    let src = &a.source;
    let want = document::span(src, range, enc);
    let mut out = Vec::new();
    if kind_wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for d in &a.checked.diagnostics {
            let Some(fix) = &d.fix else { continue };
            // Touching counts: a cursor right after the finding still offers its fix.
            let touches = d.span.start <= want.end && want.start <= d.span.end;
            if !touches || !offered(fix, a) || fix.edits.is_empty() {
                continue;
            }
            let safe = fix.applicability == Applicability::Safe;
            let title = match (a.lang, safe) {
                (Lang::Zh, true) => format!("{}（gongwen {}）", fix.message.zh, d.code),
                (Lang::Zh, false) => {
                    format!("{}（gongwen {}，可能改变原意）", fix.message.zh, d.code)
                }
                (Lang::En, true) => format!("{} (gongwen {})", fix.message.en, d.code),
                (Lang::En, false) => {
                    format!(
                        "{} (gongwen {}, may change meaning)",
                        fix.message.en, d.code
                    )
                }
            };
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(d, a, uri, enc)]),
                edit: Some(workspace_edit(
                    uri,
                    a.version,
                    text_edits(fix, src, enc),
                    document_changes,
                )),
                is_preferred: Some(safe),
                ..Default::default()
            }));
        }
    }
    if kind_wanted(only, FIX_ALL_KIND)
        && let Some(action) = fix_all(a, uri, enc, document_changes)
    {
        out.push(lsp::CodeActionOrCommand::CodeAction(action));
    }
    out
}

/// "Fix all gongwen problems": every safe fix that does not overlap an
/// earlier one, in one edit (what one `gongwen check --fix` pass applies).
/// `None` when nothing is fixable.
pub fn fix_all(
    a: &Analysis,
    uri: &Uri,
    enc: Encoding,
    document_changes: bool,
) -> Option<lsp::CodeAction> {
    // The same one-pass selection as `gongwen check --fix` (src/fix.rs).
    let (edits, chosen) = crate::fix::select_edits(
        &a.checked.diagnostics,
        crate::fix::FixMode {
            unsafe_fixes: false,
        },
    );
    if chosen.is_empty() {
        return None;
    }
    let edits = edits
        .iter()
        .map(|e| {
            lsp::TextEdit::new(
                document::range(&a.source, e.span, enc),
                e.replacement.to_string(),
            )
        })
        .collect();
    let n = chosen.len();
    Some(lsp::CodeAction {
        title: match a.lang {
            Lang::Zh => format!("修复全部 gongwen 问题（{n} 处）"),
            Lang::En => format!("Fix all gongwen problems ({n})"),
        },
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(workspace_edit(uri, a.version, edits, document_changes)),
        ..Default::default()
    })
}

/// The `rank` of a marker as words.
fn rank_name(rank: u8, lang: Lang) -> String {
    let zh = [
        "",
        "一级标题",
        "二级标题",
        "三级标题",
        "四级标题",
        "五级标题",
    ];
    let example = ["", "一、", "（一）", "1.", "（1）", "①"];
    let r = rank as usize;
    match (lang, zh.get(r)) {
        (Lang::Zh, Some(name)) if r > 0 => format!("{name}（{}）", example[r]),
        (Lang::En, _) if (1..=5).contains(&r) => format!("rank-{r} heading ({})", example[r]),
        (Lang::Zh, _) => format!("第 {r} 级标题"),
        (Lang::En, _) => format!("rank-{r} heading"),
    }
}

fn form_name(form: MarkerForm, lang: Lang) -> &'static str {
    let (zh, en) = match form {
        MarkerForm::Standard => ("标准写法", "standard form"),
        MarkerForm::WrongSeparator => ("序号后的标点有误", "wrong mark after the numeral"),
        MarkerForm::SpaceSeparator => ("序号后只有空格", "numeral followed only by a space"),
        MarkerForm::HalfWidthBracket => ("半角或混用括号", "half-width or mixed brackets"),
        MarkerForm::MissingOpenBracket => ("缺少左括号", "opening bracket missing"),
        MarkerForm::ExtraPunctuation => ("括号或圈码后多了标点", "extra mark after the marker"),
        MarkerForm::FullWidth => ("全角数字或全角句点", "full-width digits or stop"),
        MarkerForm::Unnumbered => ("没有序号", "no marker"),
    };
    if lang == Lang::Zh { zh } else { en }
}

/// A schema section as people read it: 「主要举措和成效（measures）」.
fn section_label(a: &Analysis, id: &str) -> String {
    match a.schema.section(id) {
        Some(r) if a.lang == Lang::Zh => format!("{}（`{id}`）", r.name),
        Some(r) => format!("{} (`{id}`)", r.en()),
        None => format!("`{id}`"),
    }
}

/// The schema sections a heading satisfies (matched by its line).
fn matches_of<'a>(s: &Section, matches: &'a [SectionMatch]) -> Vec<&'a SectionMatch> {
    matches
        .iter()
        .filter(|m| m.status != MatchStatus::Missing && m.lines.contains(&s.line))
        .collect()
}

fn status_name(s: MatchStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (MatchStatus::Present, Lang::Zh) => "齐全",
        (MatchStatus::Partial, Lang::Zh) => "不完整",
        (MatchStatus::Missing, Lang::Zh) => "缺失",
        (MatchStatus::Present, Lang::En) => "present",
        (MatchStatus::Partial, Lang::En) => "partial",
        (MatchStatus::Missing, Lang::En) => "missing",
    }
}

fn symbol(s: &Section, a: &Analysis, enc: Encoding) -> lsp::DocumentSymbol {
    let src = &a.source;
    let name = format!("{}{}", s.marker, s.heading);
    let name = if name.trim().is_empty() {
        src.slice(s.span).to_string()
    } else {
        name
    };
    let mut detail = rank_name(s.rank, a.lang);
    for m in matches_of(s, &a.checked.matches) {
        detail.push_str(" · ");
        detail.push_str(&section_label(a, &m.section));
    }
    let children: Vec<_> = s.children.iter().map(|c| symbol(c, a, enc)).collect();
    #[allow(deprecated)] // `deprecated` is a required field of the struct.
    lsp::DocumentSymbol {
        name,
        detail: Some(detail),
        kind: match s.depth {
            1 => lsp::SymbolKind::NAMESPACE,
            2 => lsp::SymbolKind::MODULE,
            _ => lsp::SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: document::range(src, s.extent(), enc),
        selection_range: document::range(src, s.span, enc),
        children: (!children.is_empty()).then_some(children),
    }
}

/// The outline: the title, then every section as a tree.
pub fn document_symbols(a: &Analysis, enc: Encoding) -> Vec<lsp::DocumentSymbol> {
    let doc = &a.checked.document;
    let mut out = Vec::new();
    if let Some(t) = &doc.title {
        #[allow(deprecated)]
        out.push(lsp::DocumentSymbol {
            name: t.text.clone(),
            detail: Some(
                if a.lang == Lang::Zh {
                    "标题"
                } else {
                    "title"
                }
                .into(),
            ),
            kind: lsp::SymbolKind::FILE,
            tags: None,
            deprecated: None,
            range: document::range(&a.source, t.span, enc),
            selection_range: document::range(&a.source, t.span, enc),
            children: None,
        });
    }
    out.extend(doc.sections.iter().map(|s| symbol(s, a, enc)));
    out
}

/// One folding range per section that spans more than its heading line.
pub fn folding_ranges(a: &Analysis) -> Vec<lsp::FoldingRange> {
    let src = &a.source;
    a.checked
        .document
        .walk()
        .into_iter()
        .filter_map(|s| {
            let ext = s.extent();
            let start = src.index.line_of(ext.start);
            let end = src.index.line_of(ext.end);
            (end > start).then(|| lsp::FoldingRange {
                start_line: start as u32,
                start_character: None,
                end_line: end as u32,
                end_character: None,
                kind: Some(lsp::FoldingRangeKind::Region),
                collapsed_text: Some(format!("{}{}", s.marker, s.heading)),
            })
        })
        .collect()
}

/// Hover on a heading line: its rank, depth and marker, and which required
/// section of the schema it satisfies.
///
/// Inside a finding it also names the rule, its summary, and how to read
/// its documentation (the editor gets no link while rule pages have no
/// absolute address; see [`doc_uri`]).
pub fn hover(a: &Analysis, pos: lsp::Position, enc: Encoding) -> Option<lsp::Hover> {
    let src = &a.source;
    let at = document::offset(src, pos, enc);
    // The deepest heading whose line holds the cursor.
    let heading = a
        .checked
        .document
        .walk()
        .into_iter()
        .rfind(|s| s.span.start <= at && at <= s.span.end);
    let findings: Vec<&Diagnostic> = a
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.span.start <= at && at < d.span.end.max(d.span.start + 1))
        .collect();
    let mut parts = Vec::new();
    let mut span = None;
    if let Some(s) = heading {
        parts.push(heading_hover(a, s));
        span = Some(s.span);
    }
    for d in &findings {
        let (summary, explain) = match crate::rules::meta(d.code) {
            Some(m) => (m.summary(a.lang), format!("gongwen explain {}", d.code)),
            None => ("", String::new()),
        };
        let mut t = format!("**{}** `{}`", d.code, d.name());
        if !summary.is_empty() {
            t.push_str(" — ");
            t.push_str(summary);
        }
        if !explain.is_empty() {
            t.push_str(&match a.lang {
                Lang::Zh => format!("\n\n详细说明：`{explain}`"),
                Lang::En => format!("\n\ndocumentation: `{explain}`"),
            });
        }
        parts.push(t);
        span.get_or_insert(d.span);
    }
    let span = span?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(document::range(src, span, enc)),
    })
}

/// What a hover says about a heading.
fn heading_hover(a: &Analysis, s: &Section) -> String {
    let lang = a.lang;
    let mut lines = Vec::new();
    let marker = if s.marker.is_empty() {
        None
    } else {
        Some(s.marker.as_str())
    };
    match lang {
        Lang::Zh => {
            lines.push(format!(
                "**{}** · 第 {} 层{}",
                rank_name(s.rank, lang),
                s.depth,
                if s.ordinal > 0 {
                    format!(" · 序号 {}", s.ordinal)
                } else {
                    String::new()
                }
            ));
            if let Some(m) = marker {
                let mut l = format!("序号 `{m}`：{}", form_name(s.form, lang));
                if let Some(c) = s.canonical_marker().filter(|c| c != m) {
                    l.push_str(&format!("，标准写法为 `{c}`"));
                }
                lines.push(l);
            } else {
                lines.push(format!("无序号：{}", form_name(s.form, lang)));
            }
        }
        Lang::En => {
            lines.push(format!(
                "**{}** · depth {}{}",
                rank_name(s.rank, lang),
                s.depth,
                if s.ordinal > 0 {
                    format!(" · ordinal {}", s.ordinal)
                } else {
                    String::new()
                }
            ));
            if let Some(m) = marker {
                let mut l = format!("marker `{m}`: {}", form_name(s.form, lang));
                if let Some(c) = s.canonical_marker().filter(|c| c != m) {
                    l.push_str(&format!("; standard form `{c}`"));
                }
                lines.push(l);
            } else {
                lines.push(format!("unnumbered: {}", form_name(s.form, lang)));
            }
        }
    }
    let found = matches_of(s, &a.checked.matches);
    // Say "no match" only for top-level headings, and only when the schema
    // matcher reported anything at all.
    if found.is_empty() && s.depth == 1 && !a.checked.matches.is_empty() {
        lines.push(match lang {
            Lang::Zh => "未对应模式中的任何部分".into(),
            Lang::En => "matches no section of the schema".into(),
        });
    }
    for m in found {
        let rule = a.schema.section(&m.section);
        let required = rule.is_none_or(|r| r.required);
        let name = section_label(a, &m.section);
        let status = status_name(m.status, lang);
        lines.push(match (lang, required) {
            (Lang::Zh, true) => format!("满足必备部分：{name}（{status}）"),
            (Lang::Zh, false) => format!("对应可选部分：{name}（{status}）"),
            (Lang::En, true) => format!("satisfies the required section {name} ({status})"),
            (Lang::En, false) => format!("is the optional section {name} ({status})"),
        });
        if !m.missing_topics.is_empty() {
            let topics = m.missing_topics.join("、");
            lines.push(match lang {
                Lang::Zh => format!("缺少的内容：{topics}"),
                Lang::En => format!("topics not covered: {topics}"),
            });
        }
    }
    lines.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, L10n};
    use crate::schema;
    use crate::settings::Settings;
    use crate::source::Span;

    const TEXT: &str = "一、总体😀情况,好\n（一）工作\n　　内容。\n";

    fn analysis(extra: Vec<Diagnostic>, unsafe_fixes: bool) -> Analysis {
        // No real rule runs: the tests add the diagnostics they need, so
        // they do not change when rules are added.
        let config = Config {
            settings: Settings {
                select: vec!["X".into()],
                ..Default::default()
            },
            schema: Arc::new(schema::resolve(schema::DEFAULT).unwrap()),
            unsafe_fixes,
            generation: 0,
        };
        let mut a = analyze(Arc::new(Source::from_text("t.txt", TEXT)), 7, &config);
        a.checked.diagnostics.extend(extra);
        a
    }

    fn comma() -> Span {
        let at = TEXT.find(',').unwrap();
        Span::new(at, at + 1)
    }

    fn fixable(code: &'static str, span: Span, to: &str, safe: bool) -> Diagnostic {
        let edits = vec![Edit {
            span,
            replacement: to.to_owned().into(),
        }];
        let msg = L10n::new(format!("改为“{to}”"), format!("use “{to}”"));
        Diagnostic::new(code, span)
            .message("半角逗号", "half-width comma")
            .fix(if safe {
                Fix::safe(msg, edits)
            } else {
                Fix::unsafe_(msg, edits)
            })
    }

    fn uri() -> Uri {
        Uri::from_str("file:///t.txt").unwrap()
    }

    fn edits_of(action: &lsp::CodeActionOrCommand) -> Vec<lsp::TextEdit> {
        let lsp::CodeActionOrCommand::CodeAction(a) = action else {
            panic!("command")
        };
        match &a.edit.as_ref().unwrap().document_changes {
            Some(lsp::DocumentChanges::Edits(e)) => {
                assert_eq!(e[0].text_document.version, Some(7));
                e[0].edits
                    .iter()
                    .map(|x| match x {
                        lsp::OneOf::Left(t) => t.clone(),
                        lsp::OneOf::Right(t) => t.text_edit.clone(),
                    })
                    .collect()
            }
            _ => a.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri()].clone(),
        }
    }

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position::new(line, character)
    }

    #[test]
    fn quick_fix_after_emoji_in_both_encodings() {
        let a = analysis(vec![fixable("P001", comma(), "，", true)], false);
        let all = lsp::Range::new(pos(0, 0), pos(3, 0));
        let actions = code_actions(&a, &uri(), all, None, Encoding::Utf16, true);
        assert_eq!(actions.len(), 2, "quick fix + fix all: {actions:#?}");
        // 一、总体 (4) + 😀 (2) + 情况 (2) = 8 UTF-16 units before the comma.
        let e = edits_of(&actions[0]);
        assert_eq!(e[0].range, lsp::Range::new(pos(0, 8), pos(0, 9)));
        assert_eq!(e[0].new_text, "，");
        let lsp::CodeActionOrCommand::CodeAction(q) = &actions[0] else {
            unreachable!()
        };
        assert_eq!(q.kind, Some(CodeActionKind::QUICKFIX));
        assert_eq!(q.is_preferred, Some(true));
        assert!(q.title.contains("P001"), "{}", q.title);
        // 12 + 4 + 6 = 22 bytes before the comma in UTF-8.
        let actions = code_actions(&a, &uri(), all, None, Encoding::Utf8, false);
        let e = edits_of(&actions[0]);
        assert_eq!(e[0].range, lsp::Range::new(pos(0, 22), pos(0, 23)));
        // A range elsewhere offers the fix-all only.
        let line2 = lsp::Range::new(pos(2, 0), pos(2, 1));
        let actions = code_actions(&a, &uri(), line2, None, Encoding::Utf16, true);
        assert_eq!(actions.len(), 1);
        // `only` filters by kind and its parents.
        let only = [CodeActionKind::SOURCE];
        let actions = code_actions(&a, &uri(), all, Some(&only), Encoding::Utf16, true);
        assert_eq!(actions.len(), 1);
        let lsp::CodeActionOrCommand::CodeAction(f) = &actions[0] else {
            unreachable!()
        };
        assert_eq!(f.kind.as_ref().unwrap().as_str(), FIX_ALL_KIND);
    }

    #[test]
    fn unsafe_fixes_only_when_asked_and_never_in_fix_all() {
        let d = fixable("P001", comma(), "，", false);
        let all = lsp::Range::new(pos(0, 0), pos(3, 0));
        let a = analysis(vec![d.clone()], false);
        assert!(code_actions(&a, &uri(), all, None, Encoding::Utf16, true).is_empty());
        let a = analysis(vec![d], true);
        let actions = code_actions(&a, &uri(), all, None, Encoding::Utf16, true);
        assert_eq!(actions.len(), 1);
        let lsp::CodeActionOrCommand::CodeAction(q) = &actions[0] else {
            unreachable!()
        };
        assert_eq!(q.is_preferred, Some(false));
    }

    #[test]
    fn fix_all_skips_overlapping_fixes_and_sorts_edits() {
        let at = TEXT.find("（一）").unwrap();
        let marker = Span::new(at, at + "（一）".len());
        let inner = Span::new(at + 3, at + 6);
        let a = analysis(
            vec![
                fixable("N003", marker, "(一)", true),
                fixable("X999", inner, "二", true), // overlaps the first
                fixable("P001", comma(), "，", true),
            ],
            false,
        );
        let action = fix_all(&a, &uri(), Encoding::Utf16, false).unwrap();
        assert!(action.title.contains("2"), "{}", action.title);
        let edits = edits_of(&lsp::CodeActionOrCommand::CodeAction(action));
        let got: Vec<_> = edits
            .iter()
            .map(|e| (e.range.start.line, e.new_text.as_str()))
            .collect();
        assert_eq!(got, [(0, "，"), (1, "(一)")]);
    }

    #[test]
    fn outline_folding_and_hover() {
        let a = analysis(vec![], false);
        let syms = document_symbols(&a, Encoding::Utf16);
        assert_eq!(syms.len(), 1);
        assert_eq!(syms[0].name, "一、总体😀情况,好");
        let child = &syms[0].children.as_ref().unwrap()[0];
        assert_eq!(child.name, "（一）工作");
        assert_eq!(child.detail.as_deref(), Some("二级标题（（一））"));
        let folds = folding_ranges(&a);
        assert_eq!(
            folds
                .iter()
                .map(|f| (f.start_line, f.end_line))
                .collect::<Vec<_>>(),
            [(0, 2), (1, 2)]
        );
        let h = hover(&a, pos(1, 2), Encoding::Utf16).unwrap();
        let lsp::HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(
            m.value.contains("二级标题") && m.value.contains("第 2 层"),
            "{}",
            m.value
        );
        assert!(
            hover(&a, pos(2, 3), Encoding::Utf16).is_none(),
            "body text has no hover"
        );
    }

    #[test]
    fn hover_names_the_required_section_a_heading_satisfies() {
        // The real matcher on a real heading phrasing.
        let config = Config {
            settings: Settings::default(),
            schema: Arc::new(schema::resolve(schema::DEFAULT).unwrap()),
            unsafe_fixes: false,
            generation: 0,
        };
        let text = "××县2024年法治政府建设年度报告\n一、2024年推进法治政府建设的主要举措和成效\n（一）完善制度\n　　全年出台文件3件。\n二、工作中的困难\n　　人员不足。\n";
        let a = analyze(Arc::new(Source::from_text("t.txt", text)), 1, &config);
        let measures = a
            .checked
            .matches
            .iter()
            .find(|m| m.section == "measures")
            .unwrap();
        assert_eq!(measures.lines, vec![2], "{:?}", a.checked.matches);
        let hover_text = |p| match hover(&a, p, Encoding::Utf16).unwrap().contents {
            lsp::HoverContents::Markup(m) => m.value,
            _ => panic!(),
        };
        let h = hover_text(pos(1, 3));
        assert!(
            h.contains("满足必备部分：主要举措和成效（`measures`）"),
            "{h}"
        );
        // A sub-heading says nothing about schema sections.
        let h = hover_text(pos(2, 1));
        assert!(!h.contains("必备部分") && !h.contains("未对应"), "{h}");
        let syms = document_symbols(&a, Encoding::Utf16);
        let detail = syms[1].detail.as_deref().unwrap();
        assert!(detail.contains("主要举措和成效"), "{detail}");
    }

    #[test]
    fn diagnostics_carry_code_source_and_related_places() {
        let d = fixable("P001", comma(), "，", true)
            .label(Span::new(0, 6), "这里", "here")
            .help("改用全角", "use full width")
            .basis("GB/T 15834—2011")
            .severity(Severity::Warning);
        let a = analysis(vec![d], false);
        let out = diagnostics(&a, &uri(), Encoding::Utf16);
        assert_eq!(out.len(), 1);
        let x = &out[0];
        assert_eq!(x.code, Some(NumberOrString::String("P001".into())));
        assert_eq!(x.source.as_deref(), Some("gongwen"));
        assert_eq!(x.severity, Some(lsp::DiagnosticSeverity::WARNING));
        assert_eq!(x.message, "半角逗号\n改用全角\n依据：GB/T 15834—2011");
        let rel = x.related_information.as_ref().unwrap();
        assert_eq!(rel[0].message, "这里");
        assert_eq!(rel[0].location.range, lsp::Range::new(pos(0, 0), pos(0, 2)));
        // rules::url is repository-relative today: no link is invented.
        assert_eq!(x.code_description.is_some(), doc_uri("P001").is_some());
        assert!(doc_uri("P001").is_none() || crate::rules::url("P001").contains("://"));
    }
}
