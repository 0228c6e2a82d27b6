//! Required-section schemas (`schemas/*.yaml`): what a report type must
//! contain, loaded with serde_yaml. YAML stays behind this module.
//!
//! - [`model`]: the schema format (serde structs).
//! - [`matcher`]: which headings of a report are which required section.
//! - [`normalize`]: Traditional/width folding and year tokens for matching.
//!
//! A user adds a report type by writing a YAML file in the same format as
//! `schemas/fazhi-annual-report.yaml` and passing `--schema FILE`.

use std::path::Path;

use miette::{NamedSource, SourceSpan};
use serde::Serialize;

pub mod matcher;
pub mod model;
pub mod normalize;
#[cfg(test)]
mod reference;

pub use matcher::{
    Evidence, Found, Mention, ReportYear, match_sections, match_sections_for_rules,
    match_sections_unexplained, mentions, report_year,
};
pub use model::{Deadline, Misspelling, Schema, SectionRule, TitleRule, TopicRule, YearRule};

/// The built-in schemas: (id, YAML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "fazhi-annual-report",
        include_str!("../../schemas/fazhi-annual-report.yaml"),
    ),
    (
        "xxgk-annual-report",
        include_str!("../../schemas/xxgk-annual-report.yaml"),
    ),
];

/// The built-in schemas, parsed once.
pub fn builtins() -> &'static [Schema] {
    static B: std::sync::OnceLock<Vec<Schema>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        (0..BUILTIN.len())
            .filter_map(|i| builtin_at(i).cloned())
            .collect()
    })
}

/// The built-in schema with this id, parsed the first time it is asked for
/// (one YAML parse per schema and process: a run that checks with one schema
/// and looks at another's title rule parses just these two).
pub fn builtin(id: &str) -> Option<&'static Schema> {
    BUILTIN
        .iter()
        .position(|(b, _)| *b == id)
        .and_then(builtin_at)
}

/// The built-in schemas as JSON, in `BUILTIN`'s order: `build.rs` converts
/// the YAML files when the crate is built (serde_json reads them several
/// times faster than serde_yaml, which matters to a one-report process).
const BUILTIN_JSON: [&str; BUILTIN.len()] = [
    include_str!(concat!(env!("OUT_DIR"), "/fazhi-annual-report.json")),
    include_str!(concat!(env!("OUT_DIR"), "/xxgk-annual-report.json")),
];

fn builtin_at(i: usize) -> Option<&'static Schema> {
    static PARSED: [std::sync::OnceLock<Option<Schema>>; BUILTIN.len()] =
        [const { std::sync::OnceLock::new() }; BUILTIN.len()];
    PARSED[i]
        .get_or_init(|| {
            let (id, yaml) = BUILTIN[i];
            let path = format!("schemas/{id}.yaml");
            serde_json::from_str::<Schema>(BUILTIN_JSON[i])
                .ok()
                .filter(|schema| schema.id == id && validate(&path, yaml, schema).is_ok())
                // Not expected (a test reads every built-in both ways): the
                // YAML reader, which also locates any problem.
                .or_else(|| parse(&path, yaml).ok())
        })
        .as_ref()
}

/// The default schema id.
pub const DEFAULT: &str = "fazhi-annual-report";

/// A schema file that cannot be used, with the place of the problem.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SchemaError {
    #[error("无法读取模式文件 {path}：{source}")]
    #[diagnostic(code(E004))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidSchema>),
    #[error("没有名为“{0}”的内置模式；可用：{1}")]
    #[diagnostic(
        code(E004),
        help("运行 gongwen schemas 查看内置模式，或用 --schema 指定 YAML 文件")
    )]
    Unknown(String, String),
}

/// A schema file whose YAML is malformed or does not fit the schema format.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("模式文件 {path} 第 {line} 行第 {column} 列有误：{message}")]
#[diagnostic(code(E004), help("模式文件的写法见 schemas/fazhi-annual-report.yaml"))]
pub struct InvalidSchema {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("此处")]
    pub at: Option<SourceSpan>,
}

/// Parse a schema from YAML text; `path` names it in errors. Beyond the
/// YAML shape, the ids must be unique and `order` must name known sections.
pub fn parse(path: &str, yaml: &str) -> Result<Schema, SchemaError> {
    let schema = serde_yaml::from_str::<Schema>(yaml).map_err(|e| {
        let loc = e.location();
        let (line, column, at) = match &loc {
            Some(l) => (
                l.line(),
                l.column(),
                Some(SourceSpan::new(l.index().into(), 0)),
            ),
            None => (0, 0, None),
        };
        invalid(path, yaml, line, column, at, e.to_string())
    })?;
    validate(path, yaml, &schema)?;
    Ok(schema)
}

fn invalid(
    path: &str,
    yaml: &str,
    line: usize,
    column: usize,
    at: Option<SourceSpan>,
    message: String,
) -> SchemaError {
    SchemaError::Invalid(Box::new(InvalidSchema {
        path: path.to_string(),
        line,
        column,
        message,
        src: NamedSource::new(path, yaml.to_string()),
        at,
    }))
}

/// A semantic problem, located at the `nth` (0-based) place `needle` is
/// written after the line that starts with `after` (best effort: serde_yaml
/// gives no positions once a value has been read).
fn semantic(
    path: &str,
    yaml: &str,
    after: &str,
    needle: &str,
    nth: usize,
    message: String,
) -> SchemaError {
    let from = yaml
        .match_indices(after)
        .find(|(i, _)| *i == 0 || yaml[..*i].ends_with('\n'))
        .map_or(0, |(i, _)| i);
    let at = yaml[from..]
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| from + i);
    let (line, column) = at.map_or((0, 0), |i| {
        let line = yaml[..i].matches('\n').count() + 1;
        let col = yaml[..i]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        (line, col)
    });
    invalid(
        path,
        yaml,
        line,
        column,
        at.map(|i| SourceSpan::new(i.into(), needle.len())),
        message,
    )
}

fn validate(path: &str, yaml: &str, schema: &Schema) -> Result<(), SchemaError> {
    let mut seen = std::collections::HashSet::new();
    for s in &schema.sections {
        if !seen.insert(s.id.as_str()) {
            return Err(semantic(
                path,
                yaml,
                "sections:",
                &format!("id: {}", s.id),
                1,
                format!("sections: 部分 id “{}” 重复 (duplicate section id)", s.id),
            ));
        }
        if s.synonyms.is_empty() && s.heading_words.is_empty() {
            return Err(semantic(
                path,
                yaml,
                "sections:",
                &format!("id: {}", s.id),
                0,
                format!(
                    "sections: 部分“{}”没有 synonyms 或 heading-words，无法与标题匹配 (section has nothing to match headings with)",
                    s.id
                ),
            ));
        }
        for t in &s.topics {
            if t.evidence.is_empty() {
                return Err(semantic(
                    path,
                    yaml,
                    "sections:",
                    &format!("id: {}", t.id),
                    0,
                    format!("topics: 要点“{}”的 evidence 为空 (empty evidence)", t.id),
                ));
            }
        }
    }
    for id in &schema.order {
        if schema.section(id).is_none() {
            return Err(semantic(
                path,
                yaml,
                "order:",
                id,
                0,
                format!("order: 未知的部分 id “{id}” (unknown section id)"),
            ));
        }
    }
    for d in &schema.deadlines {
        if crate::syntax::lower::iso_date(2001, d.month, d.day).is_none() {
            return Err(semantic(
                path,
                yaml,
                "deadlines:",
                &format!("id: {}", d.id),
                0,
                format!(
                    "deadlines: 期限“{}”的日期 {}月{}日 不存在 (no such date)",
                    d.id, d.month, d.day
                ),
            ));
        }
    }
    Ok(())
}

/// A built-in schema by id, or a YAML file by path.
pub fn resolve(id_or_path: &str) -> Result<Schema, SchemaError> {
    if let Some((_, yaml)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
        return match builtin(id_or_path) {
            Some(schema) => Ok(schema.clone()),
            // Not expected (the built-ins are tested): parse again for the error.
            None => parse(&format!("schemas/{id_or_path}.yaml"), yaml),
        };
    }
    let p = Path::new(id_or_path);
    if p.exists() || id_or_path.ends_with(".yaml") || id_or_path.ends_with(".yml") {
        let yaml = std::fs::read_to_string(p).map_err(|source| SchemaError::Io {
            path: id_or_path.to_string(),
            source,
        })?;
        return parse(id_or_path, &yaml);
    }
    Err(SchemaError::Unknown(
        id_or_path.to_string(),
        BUILTIN
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>()
            .join("、"),
    ))
}

/// Whether a required section was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchStatus {
    Present,
    Partial,
    Missing,
}

/// One schema section and where the report covers it. `section`, `status`
/// and `lines` are the `compile` contract; `evidence` is printed by
/// `compile --explain-matches` (see [`explain`]); the rest is for the rules.
#[derive(Debug, Clone, Serialize)]
pub struct SectionMatch {
    pub section: String,
    pub status: MatchStatus,
    /// 1-based lines of the headings that satisfy it.
    pub lines: Vec<usize>,
    /// Why the matcher decided as it did (heading words, position, body);
    /// serialised only through [`explain`] (`compile --explain-matches`).
    #[serde(skip)]
    pub evidence: Vec<Evidence>,
    /// The headings that satisfy it, in document order.
    #[serde(skip)]
    pub found: Vec<Found>,
    /// Where a missing section's topic is mentioned in passing.
    #[serde(skip)]
    pub mentions: Vec<Mention>,
    /// Ids of required topics not covered (status `partial`).
    #[serde(skip)]
    pub missing_topics: Vec<String>,
}

impl SectionMatch {
    pub fn is_present(&self) -> bool {
        self.status != MatchStatus::Missing
    }
}

/// A match with its evidence, as `compile --explain-matches` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedMatch<'a> {
    pub section: &'a str,
    pub status: MatchStatus,
    pub lines: &'a [usize],
    pub evidence: &'a [Evidence],
}

/// The matches with their evidence notes.
pub fn explain(matches: &[SectionMatch]) -> Vec<ExplainedMatch<'_>> {
    matches
        .iter()
        .map(|m| ExplainedMatch {
            section: &m.section,
            status: m.status,
            lines: &m.lines,
            evidence: &m.evidence,
        })
        .collect()
}

/// Attach a basis when the schema states one (a user schema may not).
pub(crate) fn with_basis(
    d: crate::diagnostic::Diagnostic,
    basis: Option<String>,
) -> crate::diagnostic::Diagnostic {
    match basis {
        Some(b) => d.basis(b),
        None => d,
    }
}

/// A model text from the schema with `{year}` replaced by the report year
/// (or ×× when it is unknown).
pub(crate) fn fill_year(template: &str, year: Option<i32>) -> String {
    template.replace("{year}", &year.map_or("××".to_string(), |y| y.to_string()))
}

#[cfg(test)]
mod builtin_tests {
    use super::*;

    /// The JSON that build.rs writes reads (without the YAML fallback) to
    /// the very schema the YAML file gives, for every built-in.
    #[test]
    fn builtin_json_reads_as_the_yaml() {
        for (i, (id, yaml)) in BUILTIN.iter().enumerate() {
            let from_json: Schema = serde_json::from_str(BUILTIN_JSON[i])
                .unwrap_or_else(|e| panic!("{id}: the built-in JSON does not read: {e}"));
            validate(id, yaml, &from_json).unwrap();
            let from_yaml = parse(id, yaml).unwrap();
            assert_eq!(&from_json.id, id);
            assert!(!from_json.sections.is_empty());
            assert_eq!(
                serde_json::to_value(&from_json).unwrap(),
                serde_json::to_value(&from_yaml).unwrap(),
                "{id}"
            );
        }
    }
}
