//! The rule registry: one table of every code (contract: codes never change
//! meaning), and one file per rule whose `//!` doc comment is the rule's
//! documentation (`gongwen explain CODE`).
//!
//! Families: `S` structure and schema, `N` numbering and outline,
//! `P` punctuation, `F` format and layout, `D` dates and years,
//! `C` citations and names, `E` input problems.
//!
//! To add a rule: write `src/rules/<code>_<name>.rs` with a `//!` doc
//! (## What it does / ## Why is this bad? / ## Example / ## Use instead /
//! ## Basis) and a `pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>)`,
//! then add one line to [`RULES`].

use std::cell::OnceCell;

use serde::Serialize;

use crate::ast::{Document, Paragraph, Section};
use crate::diagnostic::{Diagnostic, Lang, Severity, Text};
use crate::schema::{ReportYear, Schema, SectionMatch};
use crate::settings::Settings;
use crate::source::{Source, Span};

mod d001_missing_date;
mod d002_date_format;
mod d003_year_mismatch;
mod d004_deadline;
mod e001_undecodable_input;
mod e002_empty_document;
mod e003_unreadable_input;
mod e004_invalid_schema;
mod e005_invalid_configuration;
mod f004_heading_font;
mod n001_numbering_sequence;
// Issue 4: outline, numbering, punctuation and layout rules.
mod c001_document_name;
mod f001_markup_artifact;
mod f002_broken_paragraph;
mod f003_stray_whitespace;
mod n002_numbering_hierarchy;
mod n003_marker_form;
mod n004_mixed_marker_forms;
mod n005_enumeration_sequence;
mod p001_halfwidth_punctuation;
mod p002_unpaired_delimiter;
mod p003_range_connector;
mod p004_heading_punctuation;
mod p005_dunhao_between_titles;
mod p006_missing_final_punctuation;
pub(crate) mod text;

pub use c001_document_name::{DOCUMENT_NAMES, DocumentName, parse_names};
mod s001_missing_required_section;
mod s002_missing_required_topic;
mod s003_section_order;
mod s004_missing_title;
mod s005_title_format;
mod s006_missing_signature;
mod s007_truncated_text;

/// What a rule sees.
pub struct Context<'a> {
    pub source: &'a Source,
    pub document: &'a Document,
    pub schema: &'a Schema,
    pub settings: &'a Settings,
    /// Heading → required-section matches (filled by the schema matcher).
    pub matches: &'a [SectionMatch],
    /// What several rules compute from the same text, computed once
    /// (`Shared::default()` when building a context).
    pub shared: Shared<'a>,
    /// The one language the diagnostics will be shown in, or `None` for
    /// complete diagnostics. With `Some`, the rules may leave the other
    /// language's texts empty (see [`Context::texts`]).
    pub lang: Option<Lang>,
}

/// Per-document results shared by several rules, computed on first use.
#[derive(Debug, Default)]
pub struct Shared<'a> {
    links: OnceCell<Vec<Span>>,
    protected: OnceCell<Vec<Span>>,
    marks: OnceCell<text::Marks>,
    last_item: OnceCell<Option<(Span, usize, bool)>>,
    cut: OnceCell<Option<s007_truncated_text::Cut>>,
    sections: OnceCell<Vec<&'a Section>>,
    paragraphs: OnceCell<Vec<&'a Paragraph>>,
    report_year: OnceCell<Option<ReportYear>>,
    odd_ones: OnceCell<Vec<(&'a Section, &'a Section)>>,
}

impl<'a> Context<'a> {
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// Whether texts in `lang` are wanted ([`Context::lang`]).
    pub(crate) fn wants(&self, lang: Lang) -> bool {
        self.lang.is_none_or(|l| l == lang)
    }

    /// A text made from the document, in Chinese and in English: each made
    /// only if it is [wanted](Context::wants), else left empty. A finding
    /// is printed in one language; formatting the other cost an allocation
    /// or two per finding.
    pub(crate) fn texts<Z: Into<Text>, E: Into<Text>>(
        &self,
        zh: impl FnOnce() -> Z,
        en: impl FnOnce() -> E,
    ) -> (Text, Text) {
        let zh = if self.wants(Lang::Zh) {
            zh().into()
        } else {
            Text::Borrowed("")
        };
        let en = if self.wants(Lang::En) {
            en().into()
        } else {
            Text::Borrowed("")
        };
        (zh, en)
    }

    /// Spans of URLs and e-mail addresses ([`text::link_spans`]).
    pub(crate) fn links(&self) -> &[Span] {
        self.shared
            .links
            .get_or_init(|| text::link_spans(self.text()))
    }

    /// The marks the scanning rules stop at, sorted out by rule
    /// ([`text::Marks`]).
    pub(crate) fn marks(&self) -> &text::Marks {
        self.shared
            .marks
            .get_or_init(|| text::Marks::scan(self.text()))
    }

    /// Offsets where a white space character of [`text::is_ws`] starts
    /// ([`text::Marks::blanks`]).
    pub(crate) fn blanks(&self) -> &[usize] {
        &self.marks().blanks
    }

    /// Links and outline markers, sorted ([`text::protected_spans`]).
    pub(crate) fn protected(&self) -> &[Span] {
        self.shared
            .protected
            .get_or_init(|| text::protected_spans(self.links(), self.sections()))
    }

    /// Every section in document order ([`Document::walk`]), walked once
    /// for all the rules that ask.
    pub(crate) fn sections(&self) -> &[&'a Section] {
        self.shared.sections.get_or_init(|| self.document.walk())
    }

    /// Every paragraph in document order ([`Document::paragraphs`]),
    /// collected once.
    pub(crate) fn paragraphs(&self) -> &[&'a Paragraph] {
        self.shared
            .paragraphs
            .get_or_init(|| self.document.paragraphs())
    }

    /// Sections whose marker is written unlike their siblings', with a
    /// sibling written the usual way ([`n004_mixed_marker_forms::odd_ones`]):
    /// asked by N003 and N004, found once.
    pub(crate) fn odd_ones(&self) -> &[(&'a Section, &'a Section)] {
        self.shared
            .odd_ones
            .get_or_init(|| n004_mixed_marker_forms::odd_ones(self.document))
    }

    /// The year reported on ([`crate::schema::report_year`]), read once
    /// for all the rules that ask.
    pub(crate) fn report_year(&self) -> Option<ReportYear> {
        *self
            .shared
            .report_year
            .get_or_init(|| crate::schema::report_year(self.document, self.schema, self.matches))
    }
}

/// A rule's check function.
pub type CheckFn = fn(&Context, &mut Vec<Diagnostic>);

/// Whether a rule is on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// On by default.
    Stable,
    /// Only with `--select`.
    Preview,
}

/// One row of the registry.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    /// kebab-case; names the problem, not the fix.
    pub name: &'static str,
    pub severity: Severity,
    pub fixable: bool,
    pub status: Status,
    pub summary_zh: &'static str,
    pub summary_en: &'static str,
    /// The rule's source file; its leading `//!` lines are the docs.
    #[serde(skip)]
    pub source: &'static str,
    /// File name of the rule under `src/rules/`.
    pub file: &'static str,
    /// None for codes emitted outside the rule pass (parser, schema
    /// loading, input decoding).
    #[serde(skip)]
    pub check: Option<CheckFn>,
}

impl RuleMeta {
    /// The documentation: the `//!` comment at the top of the rule's file.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }

    pub fn summary(&self, lang: crate::diagnostic::Lang) -> &'static str {
        match lang {
            crate::diagnostic::Lang::Zh => self.summary_zh,
            crate::diagnostic::Lang::En => self.summary_en,
        }
    }
}

macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $fixable:literal, $module:ident, $check:expr, $zh:literal, $en:literal) => {
        RuleMeta {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            fixable: $fixable,
            status: Status::Stable,
            summary_zh: $zh,
            summary_en: $en,
            source: include_str!(concat!(stringify!($module), ".rs")),
            file: concat!(stringify!($module), ".rs"),
            check: $check,
        }
    };
}

/// Every code, sorted by code.
pub static RULES: &[RuleMeta] = &[
    rule!(
        "C001",
        "document-name",
        Warning,
        true,
        c001_document_name,
        Some(c001_document_name::check),
        "引用的法规文件名称与正式名称不符",
        "a cited law or document differs from its official name"
    ),
    rule!(
        "D001",
        "missing-date",
        Warning,
        false,
        d001_missing_date,
        Some(d001_missing_date::check),
        "报告末尾缺少成文日期",
        "the report has no date at its end"
    ),
    rule!(
        "D002",
        "date-format",
        Warning,
        true,
        d002_date_format,
        Some(d002_date_format::check),
        "成文日期写法不规范（应为2025年1月20日）",
        "the date is not written as 2025年1月20日"
    ),
    rule!(
        "D003",
        "year-mismatch",
        Warning,
        false,
        d003_year_mismatch,
        Some(d003_year_mismatch::check),
        "标题、各部分标题与成文日期的年份不一致",
        "the years of the title, the part headings and the date disagree"
    ),
    rule!(
        "D004",
        "deadline",
        Warning,
        false,
        d004_deadline,
        Some(d004_deadline::check),
        "成文日期晚于报告或公开期限",
        "dated after the reporting or publication deadline"
    ),
    rule!(
        "E001",
        "undecodable-input",
        Error,
        false,
        e001_undecodable_input,
        None,
        "输入无法解码为文本（二进制文件或编码错误）",
        "input cannot be decoded as text (binary or wrong encoding)"
    ),
    rule!(
        "E002",
        "empty-document",
        Error,
        false,
        e002_empty_document,
        None,
        "文件为空或只有空白",
        "the file is empty or holds only white space"
    ),
    rule!(
        "E003",
        "unreadable-input",
        Error,
        false,
        e003_unreadable_input,
        None,
        "文件无法读取",
        "the file cannot be read"
    ),
    rule!(
        "E005",
        "invalid-configuration",
        Error,
        false,
        e005_invalid_configuration,
        None,
        "配置文件 gongwen.toml 无法使用（未知配置项、无效的值）",
        "the gongwen.toml configuration cannot be used (unknown key, bad value)"
    ),
    rule!(
        "F001",
        "markup-artifact",
        Warning,
        true,
        f001_markup_artifact,
        Some(f001_markup_artifact::check),
        "文中残留 Markdown/HTML 格式符号",
        "Markdown or HTML debris in the text"
    ),
    rule!(
        "F002",
        "broken-paragraph",
        Warning,
        true,
        f002_broken_paragraph,
        Some(f002_broken_paragraph::check),
        "段落在句中被换行或空行断开",
        "a paragraph is cut mid-sentence by a line break"
    ),
    rule!(
        "F003",
        "stray-whitespace",
        Info,
        true,
        f003_stray_whitespace,
        Some(f003_stray_whitespace::check),
        "句中、行末或行首有多余的空白",
        "stray white space inside a sentence, at a line end or start"
    ),
    rule!(
        "F004",
        "heading-font",
        Info,
        false,
        f004_heading_font,
        Some(f004_heading_font::check),
        "Word 文档中标题、各级小标题或正文的字体不符合 GB/T 9704（黑体、楷体、仿宋、小标宋）",
        "in a Word document, the title, a heading level or the body is not in the GB/T 9704 typeface (Hei, Kai, FangSong, XiaoBiaoSong)"
    ),
    rule!(
        "N001",
        "numbering-sequence",
        Error,
        false,
        n001_numbering_sequence,
        Some(n001_numbering_sequence::check),
        "同级序号跳号、重号或重新开始",
        "sibling ordinals skip, repeat or restart"
    ),
    rule!(
        "N002",
        "numbering-hierarchy",
        Warning,
        false,
        n002_numbering_hierarchy,
        Some(n002_numbering_hierarchy::check),
        "序号层次不当：低层序号用于高层，或层次倒置",
        "a marker's rank does not fit its level, or levels go back up"
    ),
    rule!(
        "N003",
        "marker-form",
        Warning,
        true,
        n003_marker_form,
        Some(n003_marker_form::check),
        "序号写法不规范（如“1、”“(一)”“（一）、”）",
        "a marker is not in its standard form (1、, (一), （一）、)"
    ),
    rule!(
        "N004",
        "mixed-marker-forms",
        Warning,
        true,
        n004_mixed_marker_forms,
        Some(n004_mixed_marker_forms::check),
        "同级序号写法不一致",
        "sibling markers are written in different forms"
    ),
    rule!(
        "N005",
        "enumeration-sequence",
        Warning,
        false,
        n005_enumeration_sequence,
        Some(n005_enumeration_sequence::check),
        "“一是……二是……”列举序号跳号、重号或残缺",
        "inline 一是/二是 items skip, repeat or lose their 是"
    ),
    rule!(
        "P001",
        "halfwidth-punctuation",
        Warning,
        true,
        p001_halfwidth_punctuation,
        Some(p001_halfwidth_punctuation::check),
        "中文里使用了半角标点",
        "half-width punctuation in Chinese text"
    ),
    rule!(
        "P002",
        "unpaired-delimiter",
        Error,
        false,
        p002_unpaired_delimiter,
        Some(p002_unpaired_delimiter::check),
        "引号、书名号或括号不配对",
        "unbalanced or mismatched quotation marks, title marks or brackets"
    ),
    rule!(
        "P003",
        "range-connector",
        Info,
        true,
        p003_range_connector,
        Some(p003_range_connector::check),
        "时间范围用了短横线“-”，应为一字线“—”",
        "a year or date range joined by a hyphen instead of “—”"
    ),
    rule!(
        "P004",
        "heading-punctuation",
        Info,
        true,
        p004_heading_punctuation,
        Some(p004_heading_punctuation::check),
        "单独成行的标题末尾有句号或逗号",
        "a heading on its own line ends with 。 or ，"
    ),
    rule!(
        "P005",
        "dunhao-between-titles",
        Hint,
        true,
        p005_dunhao_between_titles,
        Some(p005_dunhao_between_titles::check),
        "并列的书名号或引号之间用了顿号",
        "a 顿号 between coordinate book titles or quotations"
    ),
    rule!(
        "P006",
        "missing-final-punctuation",
        Info,
        false,
        p006_missing_final_punctuation,
        Some(p006_missing_final_punctuation::check),
        "段末缺少句末标点",
        "a paragraph of running text ends without a full stop"
    ),
    rule!(
        "S001",
        "missing-required-section",
        Error,
        false,
        s001_missing_required_section,
        Some(s001_missing_required_section::check),
        "缺少必备部分（如第一责任人履职情况）",
        "a required part is missing (e.g. the first-responsible part)"
    ),
    rule!(
        "S002",
        "missing-required-topic",
        Warning,
        false,
        s002_missing_required_topic,
        Some(s002_missing_required_topic::check),
        "部分缺少必备要点（如不足未写原因）",
        "a part lacks a required topic (e.g. shortcomings without causes)"
    ),
    rule!(
        "S003",
        "section-order",
        Info,
        false,
        s003_section_order,
        Some(s003_section_order::check),
        "各部分顺序与规定不同",
        "the parts are not in the prescribed order"
    ),
    rule!(
        "S004",
        "missing-title",
        Error,
        false,
        s004_missing_title,
        Some(s004_missing_title::check),
        "报告没有标题",
        "the report has no title"
    ),
    rule!(
        "S005",
        "title-format",
        Warning,
        false,
        s005_title_format,
        Some(s005_title_format::check),
        "标题缺少年份、文种或报告事项",
        "the title lacks the year, the document type or the matter"
    ),
    rule!(
        "S006",
        "missing-signature",
        Warning,
        false,
        s006_missing_signature,
        Some(s006_missing_signature::check),
        "报告末尾缺少发文机关署名",
        "the report does not end with the issuing organ's name"
    ),
    rule!(
        "S007",
        "truncated-text",
        Warning,
        false,
        s007_truncated_text,
        Some(s007_truncated_text::check),
        "正文在句中中断，文本似乎不完整",
        "the text breaks off mid-sentence: it looks incomplete"
    ),
];

/// The registry row of a code.
#[inline]
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    // Every code is four bytes (tested): compared as a fixed-size array the
    // test is one integer compare per row instead of a call to `memcmp`.
    // Every diagnostic looks its code up here.
    let key: [u8; 4] = code.as_bytes().try_into().ok()?;
    RULES.iter().find(|r| r.code.as_bytes() == key)
}

/// Where a rule's documentation is published: the generated page under
/// `docs/rules/` of the repository.
pub fn url(code: &str) -> String {
    format!("docs/rules/{code}.md")
}

/// Run every selected rule over a document.
pub fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Room for the findings of a report with many (one every sixty-odd
    // bytes): the vector seldom grows, and each growth copied every
    // finding so far.
    out.reserve(cx.text().len() / 64);
    for r in RULES {
        if let Some(check) = r.check
            && cx.settings.is_enabled(r)
        {
            check(cx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        for w in RULES.windows(2) {
            assert!(w[0].code < w[1].code, "{} before {}", w[0].code, w[1].code);
        }
        for r in RULES {
            let doc = r.doc();
            assert!(doc.contains("## What it does"), "{} lacks docs", r.code);
            assert!(
                doc.contains("## Why is this bad?"),
                "{} lacks a why",
                r.code
            );
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} name not kebab-case",
                r.code
            );
        }
    }

    /// [`meta`] compares codes as four-byte arrays.
    #[test]
    fn every_code_is_four_bytes_and_found_by_meta() {
        for r in RULES {
            assert_eq!(r.code.len(), 4, "{}", r.code);
            assert!(std::ptr::eq(meta(r.code).unwrap(), r), "{}", r.code);
            let copy = String::from(r.code);
            assert!(std::ptr::eq(meta(&copy).unwrap(), r), "{}", r.code);
        }
        assert!(meta("X999").is_none());
        assert!(meta("P00").is_none());
        assert!(meta("P0011").is_none());
    }
}

/// The fast scanners against the reference implementations they replaced:
/// every corpus report and rule fixture, and generated texts made of the
/// pieces the rules look for.
#[cfg(test)]
mod differential {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;

    const PAIRS: &[(&str, CheckFn, CheckFn)] = &[
        (
            "C001",
            c001_document_name::check,
            c001_document_name::check_reference,
        ),
        (
            "F001",
            f001_markup_artifact::check,
            f001_markup_artifact::check_reference,
        ),
        (
            "F003",
            f003_stray_whitespace::check,
            f003_stray_whitespace::check_reference,
        ),
        (
            "P001",
            p001_halfwidth_punctuation::check,
            p001_halfwidth_punctuation::check_reference,
        ),
        (
            "P002",
            p002_unpaired_delimiter::check,
            p002_unpaired_delimiter::check_reference,
        ),
        (
            "P003",
            p003_range_connector::check,
            p003_range_connector::check_reference,
        ),
        (
            "P005",
            p005_dunhao_between_titles::check,
            p005_dunhao_between_titles::check_reference,
        ),
    ];

    /// Runs both versions of every rule of [`PAIRS`] on a text and asserts
    /// the same findings; counts the findings per code.
    /// Both sides finding nothing would prove nothing: every compared scanner
    /// and every rule pair must have found something over the inputs.
    fn assert_all_found(counts: &BTreeMap<&'static str, usize>) {
        for code in [
            "S007 cut",
            "C001 cited",
            "P001 full width",
            "N004 odd",
            "marks halfwidth",
            "marks paired",
            "marks dashes",
            "marks blanks",
            "marks full width",
            "marks stars",
            "marks markup",
        ] {
            assert!(
                counts.get(code).copied().unwrap_or(0) > 0,
                "{code} never found"
            );
        }
        for (code, _, _) in PAIRS {
            assert!(
                counts.get(code).copied().unwrap_or(0) > 0,
                "{code} never fired"
            );
        }
    }

    fn compare(name: &str, text: &str, counts: &mut BTreeMap<&'static str, usize>) {
        assert_eq!(
            text::link_spans(text),
            text::link_spans_reference(text),
            "link spans differ on {name}: {text:?}"
        );
        let naive: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| text::MARK_BYTES.contains(b))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(text::mark_offsets(text), naive, "marks differ on {name}");
        // The marks sorted out by rule: each list is the marks the rule's
        // own byte test takes.
        let marks = text::Marks::scan(text);
        let b = text.as_bytes();
        let pick = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
            naive.iter().copied().filter(|&m| keep(m)).collect()
        };
        let lists = [
            (
                "marks halfwidth",
                &marks.halfwidth,
                pick(&|m| {
                    p001_halfwidth_punctuation::mark_at(b, m)
                        .is_some_and(|c| c.is_ascii() || matches!(c, '（' | '）'))
                }),
            ),
            (
                "marks paired",
                &marks.paired,
                pick(&|m| p002_unpaired_delimiter::paired_at(b, m).is_some()),
            ),
            (
                "marks dashes",
                &marks.dashes,
                pick(&|m| matches!(text::char_at(text, m), '-' | '－' | '–' | '~')),
            ),
            (
                "marks blanks",
                &marks.blanks,
                text::blank_offsets(text, &naive),
            ),
            ("marks stars", &marks.stars, pick(&|m| b[m] == b'*')),
            (
                "marks markup",
                &marks.markup,
                pick(&|m| matches!(b[m], b'&' | b'<')),
            ),
        ];
        for (list, got, want) in lists {
            assert_eq!(*got, want, "{list} differ on {name}: {text:?}");
            *counts.entry(list).or_default() += got.len();
        }
        let full_width =
            pick(&|m| p001_halfwidth_punctuation::mark_at(b, m).is_some_and(|c| !c.is_ascii()));
        assert_eq!(
            marks.full_width,
            full_width.len(),
            "marks full width differ on {name}: {text:?}"
        );
        *counts.entry("marks full width").or_default() += marks.full_width;
        let source = Source::from_text(name, text);
        let schema = crate::schema::resolve(crate::schema::DEFAULT).unwrap();
        let settings = Settings::default();
        let parsed = crate::syntax::parse(&source);
        let matches = crate::schema::match_sections(&parsed.document, &schema);
        let cx = Context {
            source: &source,
            document: &parsed.document,
            schema: &schema,
            settings: &settings,
            matches: &matches,
            shared: Shared::default(),
            lang: None,
        };
        // Scanners that are part of a rule, compared on their own.
        assert_eq!(
            c001_document_name::cited(&cx),
            c001_document_name::cited_reference(text),
            "cited names differ on {name}: {text:?}"
        );
        let cut = s007_truncated_text::cut_off(&cx);
        assert_eq!(
            cut,
            s007_truncated_text::cut_off_reference(&cx),
            "cut differs on {name}: {text:?}"
        );
        *counts.entry("S007 cut").or_default() += usize::from(cut.is_some());
        let odd = |v: Vec<(&crate::ast::Section, &crate::ast::Section)>| {
            v.iter()
                .map(|(s, m)| (s.marker_span, m.marker_span))
                .collect::<Vec<_>>()
        };
        let odd_ones = odd(n004_mixed_marker_forms::odd_ones(&parsed.document));
        assert_eq!(
            odd_ones,
            odd(n004_mixed_marker_forms::odd_ones_reference(
                &parsed.document
            )),
            "N004 odd ones differ on {name}: {text:?}"
        );
        *counts.entry("N004 odd").or_default() += odd_ones.len();
        *counts.entry("C001 cited").or_default() += c001_document_name::cited(&cx).len();
        let (fast, reference) = p001_halfwidth_punctuation::full_width_counts(&cx);
        assert_eq!(
            fast, reference,
            "P001 full-width counts differ on {name}: {text:?}"
        );
        *counts.entry("P001 full width").or_default() += fast;
        let blanks: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| text::is_ws(c))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(cx.blanks(), blanks, "blanks differ on {name}: {text:?}");
        for &(code, fast, reference) in PAIRS {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            fast(&cx, &mut a);
            reference(&cx, &mut b);
            assert_eq!(
                format!("{a:#?}"),
                format!("{b:#?}"),
                "{code} differs on {name}: {text:?}"
            );
            *counts.entry(code).or_default() += a.len();
        }
    }

    fn texts_under(dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            let name = p.to_string_lossy().into_owned();
            if p.is_dir() {
                texts_under(&p, out);
            } else if name.ends_with(".txt") && !name.ends_with(".source.txt") {
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }

    #[test]
    fn fast_scanners_agree_on_corpus_and_fixtures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts = Vec::new();
        texts_under(&root.join("corpus"), &mut texts);
        texts_under(&root.join("rules"), &mut texts);
        assert!(texts.len() > 50, "fixtures not found under {root:?}");
        let mut counts = BTreeMap::new();
        for (name, text) in &texts {
            compare(name, text, &mut counts);
        }
        assert_all_found(&counts);
    }

    /// Pieces of the text the rules look at, for generated texts.
    const PIECES: &[&str] = &[
        "法",
        "治",
        "政",
        "府",
        "建",
        "设",
        "年",
        "月",
        "日",
        "号",
        "是",
        "局",
        "委",
        "，",
        "。",
        "、",
        "：",
        "；",
        "？",
        "！",
        "（",
        "）",
        "《",
        "》",
        "〈",
        "〉",
        "“",
        "”",
        "‘",
        "’",
        "〔",
        "〕",
        "【",
        "】",
        "—",
        "…",
        "·",
        "＂",
        "＃",
        "０",
        "9",
        " ",
        "  ",
        "   ",
        "\t",
        "\u{3000}",
        "\u{3000}\u{3000}",
        "\u{a0}",
        "\u{feff}",
        "\u{200b}",
        "\u{2002}",
        "\u{2003}",
        "\u{2009}",
        ",",
        ":",
        ";",
        "?",
        "!",
        "(",
        ")",
        "<",
        ">",
        "-",
        "－",
        "–",
        "~",
        "～",
        "2021",
        "2025",
        "1",
        "12",
        "31",
        "0451",
        "2022-06521",
        "http://",
        "https://",
        "ftp://",
        "www.",
        "wwww.",
        "@",
        "qq.com",
        "gov.cn",
        "a",
        "b",
        "Z",
        ".",
        "..",
        "/",
        "#",
        "_",
        "+",
        "*",
        "**",
        "***",
        "<br>",
        "<p>",
        "</span>",
        "<b class=x>",
        "&nbsp;",
        "&amp;",
        "&#8220;",
        "&#x4e00;",
        "&x;",
        "&",
        ";",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "一、",
        "二、",
        "（一）",
        "(一)",
        "1.",
        "2.",
        "（1）",
        "(1)",
        "1)",
        "a)",
        "一是",
        "二是",
        "三",
        "》、《",
        "”、“",
        "第",
        "签发人",
        "政府 ",
        "Hello, world",
        "督查",
        "督察",
        "法治政府建设与责任落实督查工作规定",
        "法治政府建设与责任落实督察工作规定",
        "中华人民共和国行政复议法",
        "<完>",
        "<米易县方案>",
        "米委发(2022)7号",
    ];

    #[test]
    fn fast_scanners_agree_on_generated_texts() {
        let mut counts = BTreeMap::new();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in 0..1500 {
            let len = (next() % 160) as usize;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let name = if n % 7 == 0 { "gen.md" } else { "gen.txt" };
            compare(name, &text, &mut counts);
        }
        assert_all_found(&counts);
    }
}
