//! Effective settings of a run: rule selection, severity overrides, language.
//! (Configuration files map onto this.)

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::rules::{RuleMeta, Status};

#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Codes or prefixes to enable (`N`, `P001`, `ALL`); empty = every stable rule.
    pub select: Vec<String>,
    /// Codes or prefixes to disable.
    pub ignore: Vec<String>,
    /// Per-code severity overrides.
    pub severity: BTreeMap<String, Severity>,
    pub lang: Lang,
}

fn matches(prefix: &str, code: &str) -> bool {
    prefix.eq_ignore_ascii_case("ALL") || code.starts_with(&prefix.to_ascii_uppercase())
}

impl Settings {
    /// Whether a code is enabled: the most specific matching prefix of
    /// `select` and `ignore` decides (ruff's rule); with no `select`, every
    /// stable rule is on.
    pub fn selects(&self, code: &str) -> bool {
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
}
