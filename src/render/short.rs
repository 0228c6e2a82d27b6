//! `--format short`: one line per finding,
//! `file:line:col: severity[CODE] message`, for vim/emacs errorformat
//! (`%f:%l:%c: %t%*[a-z][%n] %m` style) and VS Code problem matchers.
//! Line and column are 1-based; the column counts characters.

use crate::diagnostic::{Diagnostic, Lang};
use crate::source::Source;

/// One finding as a line (with its trailing newline).
pub fn line(source: &Source, d: &Diagnostic, lang: Lang) -> String {
    let p = source.position(d.span.start);
    let fixable = if d.fix.is_some() { " [*]" } else { "" };
    format!(
        "{}:{}:{}: {}[{}] {}{fixable}\n",
        source.name,
        p.line,
        p.column,
        d.severity.as_str(),
        d.code,
        one_line(d.message.get(lang)),
    )
}

/// Messages never span lines in line-based formats.
pub(crate) fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}

/// Every finding of one file.
pub fn render(source: &Source, diagnostics: &[Diagnostic], lang: Lang) -> String {
    diagnostics.iter().map(|d| line(source, d, lang)).collect()
}
