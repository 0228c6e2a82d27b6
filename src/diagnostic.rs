//! The one diagnostic type for syntax, schema, rule and input problems. Every
//! renderer (human, JSON, SARIF, LSP …) reads this.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// How serious a finding is. Ordered: `Hint < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Severity::Hint => "提示",
            Severity::Info => "建议",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "hint" => Some(Severity::Hint),
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Message language. Chinese is the default: drafters read the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A text of a diagnostic: fixed texts are `&'static str` and cost nothing
/// to build; texts made from the document are owned.
pub type Text = Cow<'static, str>;

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct L10n {
    pub zh: Text,
    pub en: Text,
}

impl L10n {
    pub fn new(zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        L10n {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// [`L10n::get`] as the [`Text`] it is (a renderer can tell a fixed
    /// text from one made from the document).
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A secondary place the diagnostic points at.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: Option<L10n>,
}

/// One text edit: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: Text,
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Mechanical; changes no word of the author (`--fix`).
    Safe,
    /// Probably right, but may change meaning (`--unsafe-fixes`).
    Unsafe,
}

/// A mechanical fix: non-overlapping edits applied together.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, e.g. 「将“1、”改为“1.”」.
    pub message: L10n,
    pub edits: Vec<Edit>,
}

impl Fix {
    #[inline]
    pub fn safe(message: L10n, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            message,
            edits,
        }
    }

    #[inline]
    pub fn unsafe_(message: L10n, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            message,
            edits,
        }
    }

    /// A single replacement.
    pub fn replace(span: Span, replacement: impl Into<Text>, message: L10n) -> Self {
        Fix::safe(
            message,
            vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        )
    }
}

/// A finding. `code` keys the rule registry (name, default severity, docs).
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    /// The primary place: the exact text the finding is about.
    pub span: Span,
    pub message: L10n,
    /// What the primary label says (defaults to nothing: the message suffices).
    pub label: Option<L10n>,
    pub labels: Vec<Label>,
    pub help: Option<L10n>,
    /// The legal or standard basis, e.g. 「GB/T 15834—2011 B.3.3」.
    pub basis: Option<Text>,
    pub notes: Vec<L10n>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic of a registered code, with the code's default severity.
    #[inline]
    pub fn new(code: &'static str, span: Span) -> Self {
        let severity = crate::rules::meta(code).map_or(Severity::Error, |m| m.severity);
        Diagnostic {
            code,
            severity,
            span,
            message: L10n::new("", ""),
            label: None,
            labels: Vec::new(),
            help: None,
            basis: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    #[inline]
    pub fn message(mut self, zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        self.message = L10n::new(zh, en);
        self
    }

    #[inline]
    pub fn primary_label(mut self, zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        self.label = Some(L10n::new(zh, en));
        self
    }

    #[inline]
    pub fn label(mut self, span: Span, zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        self.labels.push(Label {
            span,
            message: Some(L10n::new(zh, en)),
        });
        self
    }

    #[inline]
    pub fn help(mut self, zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        self.help = Some(L10n::new(zh, en));
        self
    }

    #[inline]
    pub fn note(mut self, zh: impl Into<Text>, en: impl Into<Text>) -> Self {
        self.notes.push(L10n::new(zh, en));
        self
    }

    #[inline]
    pub fn basis(mut self, basis: impl Into<Text>) -> Self {
        self.basis = Some(basis.into());
        self
    }

    #[inline]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    #[inline]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The rule's kebab-case name (`missing-required-section`).
    pub fn name(&self) -> &'static str {
        crate::rules::meta(self.code).map_or("unknown", |m| m.name)
    }

    /// Where the rule's documentation lives online.
    pub fn url(&self) -> String {
        crate::rules::url(self.code)
    }
}
