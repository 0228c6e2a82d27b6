//! The schema format (`schemas/*.yaml`): plain serde structs, kebab-case
//! keys, unknown keys rejected. No `flatten`, no tagged enums: serde_yaml
//! reports exact positions only for plain structs (STYLE.md).
//!
//! A minimal schema:
//!
//! ```yaml
//! id: my-report
//! name: 我的报告
//! sections:
//!   - id: summary
//!     name: 工作总结
//!     synonyms: [工作总结, 主要成效]
//! ```

use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;

/// A report type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Schema {
    /// Stable id, e.g. `fazhi-annual-report`.
    pub id: String,
    /// The report type's name, e.g. 法治政府建设年度报告.
    pub name: String,
    /// The name in English (messages with `--lang en`); defaults to `name`.
    #[serde(default)]
    pub name_en: Option<String>,
    /// What the schema is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The legal basis of the report type as a whole, cited by diagnostics
    /// that have no more specific basis, e.g.
    /// 《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）.
    #[serde(default)]
    pub basis: Option<String>,
    /// What the title must hold (S005).
    #[serde(default)]
    pub title: Option<TitleRule>,
    /// The parts of the report, in the order the basis lists them.
    #[serde(default)]
    pub sections: Vec<SectionRule>,
    /// The recommended order of section ids (S003); defaults to the order
    /// of `sections`.
    #[serde(default)]
    pub order: Vec<String>,
    /// Where the recommended order comes from.
    #[serde(default)]
    pub order_basis: Option<String>,
    /// Known misspellings in headings, read as the right word when matching
    /// (推荐法治政府建设 → 推进法治政府建设).
    #[serde(default)]
    pub misspellings: Vec<Misspelling>,
    /// Dates by which the report must be made or published (D004).
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// The words above prepared for matching, on first use (not part of
    /// the format). Edit a schema before matching with it, not after.
    #[serde(skip)]
    pub compiled: super::matcher::CompiledCache,
}

/// What the title of a report must hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TitleRule {
    /// The title must name the year reported on (2024年 / 2024年度).
    #[serde(default)]
    pub year: bool,
    /// The title must end with one of these 文种 (e.g. 报告).
    #[serde(default)]
    pub doc_types: Vec<String>,
    /// Words the title must contain (each of them), e.g. 法治政府建设.
    #[serde(default)]
    pub must_contain: Vec<String>,
    /// A model title shown in help texts; `{year}` stands for the report
    /// year.
    #[serde(default)]
    pub example: Option<String>,
    /// The basis for the title rules.
    #[serde(default)]
    pub basis: Option<String>,
}

/// Which year a section reports on, relative to the report year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum YearRule {
    /// Not tied to a year.
    #[default]
    None,
    /// The year reported on (the regulation's 上一年度).
    Report,
    /// The year after it (下一年度).
    Next,
}

/// One part of the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionRule {
    /// Stable id (contract for the built-in schemas), e.g. `measures`.
    pub id: String,
    /// Short Chinese name used in messages, e.g. 主要举措和成效.
    pub name: String,
    /// Short English name used with `--lang en`.
    #[serde(default)]
    pub name_en: Option<String>,
    /// The wording of the basis for this part, quoted in help texts.
    #[serde(default)]
    pub wording: Option<String>,
    /// A model heading suggested when the part is missing.
    #[serde(default)]
    pub example: Option<String>,
    /// Whether the report must have this part (S001).
    #[serde(default = "yes")]
    pub required: bool,
    /// Severity of S001 when this part is missing (default: the rule's).
    #[serde(default)]
    pub severity: Option<Severity>,
    /// The year the part is about (D003).
    #[serde(default)]
    pub year: YearRule,
    /// Phrases that identify the part wherever they stand in a heading,
    /// also in a second-level heading (第一责任人, 不足和原因).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Weaker words that identify the part only in a top-level heading
    /// that is short or whose body agrees (问题, 计划, 工作情况).
    #[serde(default)]
    pub heading_words: Vec<String>,
    /// Words in the body that show the part's topic (body evidence for a
    /// thematic heading).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words that, found in the text of a report lacking the part, are a
    /// mention in passing worth pointing at (default: `synonyms`). Keep
    /// them specific: 「下一步」, not 「计划」 (「纳入年度工作计划」 is no plan).
    #[serde(default)]
    pub mention_words: Vec<String>,
    /// Topics the part must cover (原因 inside 不足), S002.
    #[serde(default)]
    pub topics: Vec<TopicRule>,
    /// The basis of this part.
    #[serde(default)]
    pub basis: Option<String>,
}

fn yes() -> bool {
    true
}

/// A topic a part must cover.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TopicRule {
    /// Stable id, e.g. `causes`.
    pub id: String,
    /// Chinese name, e.g. 原因.
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// Words any one of which shows the topic is covered (原因, 由于 …).
    pub evidence: Vec<String>,
    /// What to write, shown as help.
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub help_en: Option<String>,
    /// Severity of S002 (default: the rule's).
    #[serde(default)]
    pub severity: Option<Severity>,
}

/// A misspelling read as the right word when matching headings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Misspelling {
    pub wrong: String,
    pub right: String,
}

/// A date by which something must be done, relative to the report year.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Deadline {
    /// Stable id, e.g. `publication`.
    pub id: String,
    /// What must be done by then (向社会公开).
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// Month and day of the deadline.
    pub month: u32,
    pub day: u32,
    /// Years after the report year (1: the following year).
    #[serde(default = "one")]
    pub year_offset: i32,
    /// Who it binds, when not everyone (shown in the message).
    #[serde(default)]
    pub applies_to: Option<String>,
    /// The basis of the deadline.
    #[serde(default)]
    pub basis: Option<String>,
}

fn one() -> i32 {
    1
}

impl Schema {
    /// The schema's words normalised and prepared for the matcher, built
    /// once.
    pub fn compiled(&self) -> &super::matcher::Compiled {
        self.compiled.get(self)
    }

    /// A section rule by id.
    pub fn section(&self, id: &str) -> Option<&SectionRule> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The recommended order (explicit `order`, else the order of sections).
    pub fn order(&self) -> Vec<&str> {
        if self.order.is_empty() {
            self.sections.iter().map(|s| s.id.as_str()).collect()
        } else {
            self.order.iter().map(String::as_str).collect()
        }
    }

    /// The report type's name in a language.
    pub fn display_name(&self, lang: crate::diagnostic::Lang) -> &str {
        match lang {
            crate::diagnostic::Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            crate::diagnostic::Lang::Zh => &self.name,
        }
    }
}

impl SectionRule {
    /// The English name, falling back to the Chinese one.
    pub fn en(&self) -> &str {
        self.name_en.as_deref().unwrap_or(&self.name)
    }
}

impl TopicRule {
    pub fn en(&self) -> &str {
        self.name_en.as_deref().unwrap_or(&self.name)
    }
}

impl Deadline {
    pub fn en(&self) -> &str {
        self.name_en.as_deref().unwrap_or(&self.name)
    }
}
