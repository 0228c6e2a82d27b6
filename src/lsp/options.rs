//! Settings the editor sends (`initializationOptions`,
//! `workspace/didChangeConfiguration`) and the effective configuration of a
//! document.
//!
//! Keys (camelCase, all optional; the same meaning as the CLI flags):
//! `select`, `ignore` (a list of codes/prefixes or one comma-separated
//! string), `lang` (`zh`|`en`), `schema` (built-in id or YAML path),
//! `severity` (`{"N001": "warning"}`), `unsafeFixes` (offer unsafe fixes as
//! quick fixes). `didChangeConfiguration` may send them at the top level or
//! under a `gongwen` key (VS Code's `gongwen.*` settings).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Lang, Severity};
use crate::schema::{self, Schema};
use crate::settings::Settings;

/// A list given as JSON array or as one comma-separated string.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
enum List {
    Many(Vec<String>),
    One(String),
}

impl List {
    fn into_vec(self) -> Vec<String> {
        match self {
            List::Many(v) => v,
            List::One(s) => s
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOptions {
    select: Option<List>,
    ignore: Option<List>,
    lang: Option<String>,
    schema: Option<String>,
    severity: Option<BTreeMap<String, String>>,
    unsafe_fixes: Option<bool>,
}

/// What the editor asked for; `None` = not set by the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOptions {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub lang: Option<Lang>,
    pub schema: Option<String>,
    pub severity: Option<BTreeMap<String, Severity>>,
    pub unsafe_fixes: Option<bool>,
}

impl ClientOptions {
    /// Read options from JSON. Problems (an unknown language, a bad
    /// severity) are returned as messages; the rest still applies.
    pub fn from_json(value: &Value) -> (ClientOptions, Vec<String>) {
        let mut problems = Vec::new();
        let value = match value.get("gongwen") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        if value.is_null() {
            return (ClientOptions::default(), problems);
        }
        let raw: RawOptions = match serde_json::from_value(value.clone()) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("gongwen 设置无法读取 (settings unreadable): {e}"));
                return (ClientOptions::default(), problems);
            }
        };
        let lang = raw.lang.and_then(|l| match l.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            other => {
                problems.push(format!(
                    "未知的语言“{other}”，应为 zh 或 en (unknown lang, expected zh or en)"
                ));
                None
            }
        });
        let severity = raw.severity.map(|m| {
            m.into_iter()
                .filter_map(|(code, s)| match Severity::parse(&s) {
                    Some(sev) => Some((code.to_ascii_uppercase(), sev)),
                    None => {
                        problems.push(format!(
                            "规则 {code} 的级别“{s}”无效，应为 error/warning/info/hint (bad severity)"
                        ));
                        None
                    }
                })
                .collect()
        });
        (
            ClientOptions {
                select: raw.select.map(List::into_vec),
                ignore: raw.ignore.map(List::into_vec),
                lang,
                schema: raw.schema.filter(|s| !s.trim().is_empty()),
                severity,
                unsafe_fixes: raw.unsafe_fixes,
            },
            problems,
        )
    }

    /// Lay these options over `base` (editor settings win, key by key).
    pub fn apply(&self, base: &mut Settings) {
        if let Some(s) = &self.select {
            base.select = s.clone();
        }
        if let Some(i) = &self.ignore {
            base.ignore = i.clone();
        }
        if let Some(l) = self.lang {
            base.lang = l;
        }
        if let Some(m) = &self.severity {
            base.severity.extend(m.iter().map(|(k, v)| (k.clone(), *v)));
        }
    }
}

/// Everything a lint of one document depends on.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub schema: Arc<Schema>,
    pub unsafe_fixes: bool,
    /// Bumped whenever settings change, so cached analyses are redone.
    pub generation: u64,
}

/// Loaded schemas by id or path, so a lint never re-reads YAML.
#[derive(Default)]
pub struct SchemaCache {
    loaded: HashMap<String, Arc<Schema>>,
}

impl SchemaCache {
    /// The schema named `id` (built-in id or path). Errors are the
    /// rendered [`schema::SchemaError`].
    pub fn get(&mut self, id: &str) -> Result<Arc<Schema>, String> {
        if let Some(s) = self.loaded.get(id) {
            return Ok(s.clone());
        }
        let s = Arc::new(schema::resolve(id).map_err(|e| e.to_string())?);
        self.loaded.insert(id.to_string(), s.clone());
        Ok(s)
    }

    /// Forget loaded files (after a settings change a YAML file may have
    /// been edited).
    pub fn clear(&mut self) {
        self.loaded.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_nested_and_flat_options_and_reports_problems() {
        let (o, p) = ClientOptions::from_json(&json!({"gongwen": {
            "select": "N, P001", "ignore": ["N003"], "lang": "en",
            "severity": {"n001": "warning", "P001": "loud"}, "unsafeFixes": true
        }}));
        assert_eq!(o.select, Some(vec!["N".into(), "P001".into()]));
        assert_eq!(o.ignore, Some(vec!["N003".into()]));
        assert_eq!(o.lang, Some(Lang::En));
        assert_eq!(o.unsafe_fixes, Some(true));
        assert_eq!(
            o.severity.unwrap().into_iter().collect::<Vec<_>>(),
            vec![("N001".to_string(), Severity::Warning)]
        );
        assert_eq!(p.len(), 1, "{p:?}");

        let (o, p) = ClientOptions::from_json(&json!({"lang": "fr", "schema": ""}));
        assert_eq!(o.lang, None);
        assert_eq!(o.schema, None);
        assert_eq!(p.len(), 1);

        let (o, p) = ClientOptions::from_json(&json!({"select": 3}));
        assert_eq!(o, ClientOptions::default());
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn editor_options_override_base_key_by_key() {
        let mut base = Settings {
            select: vec!["N".into()],
            ignore: vec!["P".into()],
            ..Default::default()
        };
        ClientOptions {
            ignore: Some(vec![]),
            lang: Some(Lang::En),
            ..Default::default()
        }
        .apply(&mut base);
        assert_eq!(base.select, vec!["N".to_string()]);
        assert!(base.ignore.is_empty());
        assert_eq!(base.lang, Lang::En);
    }
}
