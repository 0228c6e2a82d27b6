//! Human output: miette's graphical reports, with labels under the exact
//! Chinese text (byte spans, so carets land on the right character).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::source::Source;

/// Options for human rendering.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    pub lang: Lang,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
            lang: Lang::Zh,
        }
    }
}

/// A diagnostic bound to its source, as miette wants it.
struct Report<'a> {
    d: &'a Diagnostic,
    src: &'a NamedSource<String>,
    lang: Lang,
    help: Option<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("code", &self.d.code)
            .finish()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.d.message.get(self.lang))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.code, self.d.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Hint => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let lang = self.lang;
        let primary = LabeledSpan::new_primary_with_span(
            self.d.label.as_ref().map(|l| l.get(lang).to_string()),
            self.d.span,
        );
        let rest = self.d.labels.iter().map(move |l| {
            LabeledSpan::new_with_span(l.message.as_ref().map(|m| m.get(lang).to_string()), l.span)
        });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

fn help_text(d: &Diagnostic, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(h) = &d.help {
        parts.push(h.get(lang).to_string());
    }
    for n in &d.notes {
        parts.push(n.get(lang).to_string());
    }
    if let Some(f) = &d.fix {
        let (zh, en) = ("可自动修复", "fixable");
        let label = if lang == Lang::Zh { zh } else { en };
        parts.push(format!("{label}：{}", f.message.get(lang)));
    }
    if let Some(b) = &d.basis {
        let label = if lang == Lang::Zh { "依据" } else { "basis" };
        parts.push(format!("{label}：{b}"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Render the diagnostics of one source.
pub fn render(source: &Source, diagnostics: &[Diagnostic], opts: HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false);
    let named = NamedSource::new(source.name.clone(), source.text.clone());
    let mut out = String::new();
    for d in diagnostics {
        let report = Report {
            d,
            src: &named,
            lang: opts.lang,
            help: help_text(d, opts.lang),
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", d.code, d.message.get(opts.lang)));
        }
    }
    out
}
