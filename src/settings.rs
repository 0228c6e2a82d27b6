//! Effective settings of a run: rule selection, severity overrides, language.
//! (Configuration files map onto this.)

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::rules::{RuleMeta, Status};
use crate::source::Source;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Codes or prefixes to enable (`N`, `P001`, `ALL`); empty = every stable rule.
    pub select: Vec<String>,
    /// Codes or prefixes to disable.
    pub ignore: Vec<String>,
    /// Per-code severity overrides.
    pub severity: BTreeMap<String, Severity>,
    pub lang: Lang,
    /// Accepted exceptions (`[[allow]]` in `gongwen.toml`): a finding of
    /// `code` on a line containing `text` is dropped.
    pub allow: Vec<Allow>,
}

/// An accepted exception: plain text has no comments to suppress a finding
/// in, so the configuration names the rule and the text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// A code or prefix.
    pub code: String,
    /// Text on the line(s) of the finding's primary span.
    pub text: String,
}

fn matches(prefix: &str, code: &str) -> bool {
    // `code` (a registry code) starts with the upper-cased prefix: compared
    // byte by byte, without an upper-cased copy of the prefix per call.
    prefix.eq_ignore_ascii_case("ALL")
        || code.as_bytes().get(..prefix.len()).is_some_and(|head| {
            head.iter()
                .zip(prefix.as_bytes())
                .all(|(&c, &p)| c == p.to_ascii_uppercase())
        })
}

impl Settings {
    /// Whether a code is enabled: the most specific matching prefix of
    /// `select` and `ignore` decides (ruff's rule); with no `select`, every
    /// stable rule is on.
    pub fn selects(&self, code: &str) -> bool {
        // No selection: every code (the usual run, asked for every rule of
        // every file and every finding).
        if self.select.is_empty() && self.ignore.is_empty() {
            return true;
        }
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| matches(p, code))
                .map(|p| {
                    if p.eq_ignore_ascii_case("ALL") {
                        0
                    } else {
                        p.len()
                    }
                })
                .max()
        };
        let sel = best(&self.select);
        let ign = best(&self.ignore);
        match (sel, ign) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => self.select.is_empty(),
        }
    }

    #[inline]
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        if rule.status == Status::Preview
            && !self
                .select
                .iter()
                .any(|p| p.eq_ignore_ascii_case(rule.code))
        {
            return false;
        }
        self.selects(rule.code)
    }

    /// Drop unselected diagnostics and apply severity overrides.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| self.selects(d.code));
        for d in diagnostics.iter_mut() {
            if let Some(s) = self.severity.get(d.code) {
                d.severity = *s;
            }
        }
    }
}

impl Settings {
    /// Drop findings covered by an accepted exception ([`Allow`]).
    pub fn apply_allow(&self, source: &Source, diagnostics: &mut Vec<Diagnostic>) {
        if self.allow.is_empty() {
            return;
        }
        diagnostics.retain(|d| {
            let first = source.index.line_of(d.span.start);
            let last = source.index.line_of(d.span.end);
            let start = source.index.line_start(first);
            let end = source.index.content_end(&source.text, last).max(start);
            let lines = &source.text[start..end];
            !self
                .allow
                .iter()
                .any(|a| matches(&a.code, d.code) && lines.contains(a.text.as_str()))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_prefix_wins() {
        let s = Settings {
            select: vec!["N".into(), "P001".into()],
            ignore: vec!["N003".into(), "P".into()],
            ..Default::default()
        };
        assert!(s.selects("N001"));
        assert!(!s.selects("N003"));
        assert!(s.selects("P001"));
        assert!(!s.selects("P002"));
        assert!(!s.selects("S001"));
        assert!(Settings::default().selects("S001"));
    }

    /// [`matches`] answers as the upper-cased copy of the prefix did, and
    /// the shortcut for no selection as the lists did.
    #[test]
    fn prefix_match_agrees_with_upper_cased_copy() {
        let reference = |prefix: &str, code: &str| {
            prefix.eq_ignore_ascii_case("ALL") || code.starts_with(&prefix.to_ascii_uppercase())
        };
        let prefixes = [
            "", "a", "all", "ALL", "aLl", "n", "N", "n0", "N00", "n003", "N003", "N0031", "p",
            "P001", "p00", "s1", "X", "é", "N\u{e9}", "ß", " N", "N ",
        ];
        let mut hits = 0;
        for r in crate::rules::RULES {
            for p in prefixes {
                assert_eq!(matches(p, r.code), reference(p, r.code), "{p:?} {}", r.code);
                hits += usize::from(matches(p, r.code));
            }
            assert!(Settings::default().is_enabled(r), "{}", r.code);
        }
        assert!(hits > 50, "{hits}");
    }
}
