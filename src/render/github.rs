//! `--format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
//! which GitHub shows as annotations on the changed files.
//! Columns are 1-based characters.

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::source::Source;

/// Escape a message (data part of a workflow command).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One finding as a workflow command line.
pub fn line(source: &Source, d: &Diagnostic, lang: Lang) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    };
    let start = source.position(d.span.start);
    let end = source.position(d.span.end);
    let mut message = d.message.get(lang).to_string();
    if let Some(h) = &d.help {
        message.push('\n');
        message.push_str(h.get(lang));
    }
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(&source.name),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&format!("{} ({})", d.code, d.name())),
        escape_data(&message),
    )
}

/// Every finding of one file.
pub fn render(source: &Source, diagnostics: &[Diagnostic], lang: Lang) -> String {
    diagnostics.iter().map(|d| line(source, d, lang)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
