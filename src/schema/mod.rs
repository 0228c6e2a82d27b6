//! Required-section schemas (`schemas/*.yaml`): what a report type must
//! contain, loaded with serde_yaml. YAML stays behind this module.

use std::path::Path;

use miette::{NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};

/// A report type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Schema {
    /// Stable id, e.g. `fazhi-annual-report`.
    pub id: String,
    /// The report type's name, e.g. 法治政府建设年度报告.
    pub name: String,
    /// What the schema is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// The built-in schemas: (id, YAML text).
pub const BUILTIN: &[(&str, &str)] = &[(
    "fazhi-annual-report",
    include_str!("../../schemas/fazhi-annual-report.yaml"),
)];

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

/// Parse a schema from YAML text; `path` names it in errors.
pub fn parse(path: &str, yaml: &str) -> Result<Schema, SchemaError> {
    serde_yaml::from_str::<Schema>(yaml).map_err(|e| {
        let loc = e.location();
        let (line, column, at) = match &loc {
            Some(l) => (
                l.line(),
                l.column(),
                Some(SourceSpan::new(l.index().into(), 0)),
            ),
            None => (0, 0, None),
        };
        SchemaError::Invalid(Box::new(InvalidSchema {
            path: path.to_string(),
            line,
            column,
            message: e.to_string(),
            src: NamedSource::new(path, yaml.to_string()),
            at,
        }))
    })
}

/// A built-in schema by id, or a YAML file by path.
pub fn resolve(id_or_path: &str) -> Result<Schema, SchemaError> {
    if let Some((_, yaml)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
        return parse(&format!("schemas/{id_or_path}.yaml"), yaml);
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

/// One schema section and where the report covers it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionMatch {
    pub section: String,
    pub status: MatchStatus,
    /// 1-based lines of the headings that satisfy it.
    pub lines: Vec<usize>,
}

/// Match a document's headings to the schema's sections.
pub fn match_sections(_doc: &crate::ast::Document, _schema: &Schema) -> Vec<SectionMatch> {
    Vec::new()
}
