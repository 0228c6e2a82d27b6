//! gongwen — checks Chinese official reports (公文) before they are submitted.
//!
//! Library first: [`check`] is what the CLI, the language server and any
//! other front end call.
//!
//! ```
//! use gongwen::{check, schema, settings::Settings, source::Source};
//! let src = Source::from_text("r.txt", "××镇2024年法治政府建设情况报告\n一、主要举措和成效\n三、存在的不足和原因\n");
//! let schema = schema::resolve(schema::DEFAULT).unwrap();
//! let checked = check(&src, &schema, &Settings::default());
//! assert_eq!(checked.document.sections.len(), 2);
//! assert!(checked.diagnostics.iter().any(|d| d.code == "N001"));
//! ```

pub mod ast;
pub mod batch;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod fix;
pub mod lsp;
pub mod outline;
pub mod render;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod syntax;

use ast::Document;
use diagnostic::Diagnostic;
use schema::{Schema, SectionMatch};
use settings::Settings;
use source::Source;

/// The result of checking one source.
#[derive(Debug, Clone)]
pub struct Checked {
    pub document: Document,
    pub matches: Vec<SectionMatch>,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse a source, match it against a schema and run every selected rule.
pub fn check(source: &Source, schema: &Schema, settings: &Settings) -> Checked {
    check_matching(source, schema, settings, schema::match_sections, None)
}

/// [`check`] without the matches' evidence notes (every
/// [`SectionMatch::evidence`] empty; only `compile --explain-matches`
/// prints them): what `gongwen check` runs.
pub fn check_unexplained(source: &Source, schema: &Schema, settings: &Settings) -> Checked {
    check_matching(
        source,
        schema,
        settings,
        schema::match_sections_unexplained,
        None,
    )
}

/// [`check_unexplained`] for a caller that shows the diagnostics in one
/// language only: texts in the other language may be left empty
/// ([`diagnostic::L10n::get`] with `lang` is complete). What `gongwen check`
/// runs: every output format prints `--lang`'s texts only. Its matches
/// hold only what the rules read ([`schema::match_sections_for_rules`]).
pub fn check_unexplained_in(
    source: &Source,
    schema: &Schema,
    settings: &Settings,
    lang: diagnostic::Lang,
) -> Checked {
    check_matching(
        source,
        schema,
        settings,
        schema::match_sections_for_rules,
        Some(lang),
    )
}

fn check_matching(
    source: &Source,
    schema: &Schema,
    settings: &Settings,
    match_sections: fn(&Document, &Schema) -> Vec<SectionMatch>,
    lang: Option<diagnostic::Lang>,
) -> Checked {
    let parsed = syntax::parse(source);
    let matches = match_sections(&parsed.document, schema);
    let mut diagnostics = parsed.diagnostics;
    let cx = rules::Context {
        source,
        document: &parsed.document,
        schema,
        settings,
        matches: &matches,
        shared: Default::default(),
        lang,
    };
    rules::run(&cx, &mut diagnostics);
    settings.apply(&mut diagnostics);
    settings.apply_allow(source, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    Checked {
        document: parsed.document,
        matches,
        diagnostics,
    }
}
