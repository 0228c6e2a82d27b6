//! Configuration files: `gongwen.toml`, found upward from each checked file
//! (or named with `--config`), mapped onto [`Settings`] and a schema id.
//!
//! ```toml
//! # gongwen.toml
//! schema = "fazhi-annual-report"     # built-in id, or a YAML path relative to this file
//! lang = "zh"                        # message language: "zh" or "en"
//! select = ["N", "S", "P"]           # codes or prefixes to enable ("ALL" for every rule)
//! ignore = ["P003"]                  # codes or prefixes to disable
//! exclude = ["archive/**"]           # globs (relative to this file) skipped in directories
//!
//! [severity]                         # per-rule severity: error | warning | info | hint
//! N001 = "warning"
//!
//! [per-file-ignores]                 # glob (relative to this file) -> codes or prefixes
//! "drafts/**" = ["F"]
//!
//! [[allow]]                          # an accepted exception: plain text has no comments
//! code = "N001"                      # to suppress in, so name the rule and the text
//! text = "（三）"                     # a finding of that rule on a line containing it is dropped
//! reason = "原文如此，经审核保留"      # why (shown by `gongwen config --show`)
//! files = ["乡镇/**"]                 # optional: only in these files
//! ```
//!
//! Unknown keys and bad values are errors with their line and column
//! ([`ConfigError`], exit status 2). The language server calls
//! [`settings_for`] for the path of an open document.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{LabeledSpan, NamedSource};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Lang, Severity};
use crate::rules::RULES;
use crate::schema;
use crate::settings::{Allow, Settings};

/// The file name looked for in every directory from a checked file upward.
pub const FILE_NAME: &str = "gongwen.toml";

/// The configuration file as written (kebab-case keys, unknown keys refused).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    schema: Option<Spanned<String>>,
    lang: Option<Lang>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<String, Spanned<Severity>>>,
    per_file_ignores: Option<BTreeMap<String, Spanned<Vec<Spanned<String>>>>>,
    allow: Option<Vec<RawAllow>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllow {
    code: Spanned<String>,
    text: Spanned<String>,
    reason: Option<String>,
    files: Option<Vec<Spanned<String>>>,
}

/// One accepted exception (`[[allow]]`).
#[derive(Debug, Clone, Serialize)]
pub struct AllowEntry {
    pub code: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    #[serde(skip)]
    files_set: Option<GlobSet>,
}

/// A per-file-ignores entry.
#[derive(Debug, Clone)]
struct PathIgnore {
    pattern: String,
    set: GlobSet,
    codes: Vec<String>,
}

/// A loaded, validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (`None`: the defaults, no file).
    pub path: Option<PathBuf>,
    /// Where relative globs and schema paths start: the file's directory.
    pub root: PathBuf,
    /// Schema id or path (already made relative to the working directory
    /// when it is a path).
    pub schema: Option<String>,
    pub lang: Option<Lang>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    exclude_set: Option<GlobSet>,
    pub severity: BTreeMap<String, Severity>,
    per_file_ignores: Vec<PathIgnore>,
    pub allow: Vec<AllowEntry>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    #[diagnostic(code(E005))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// Problems in a configuration file, each with its place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("配置文件 {path} 第 {line} 行第 {column} 列有误：{message}")]
#[diagnostic(
    code(E005),
    help("配置文件的写法见 gongwen explain E005；运行 gongwen config --show 查看生效的设置")
)]
pub struct InvalidConfig {
    pub path: String,
    /// 1-based line and column (characters) of the first problem.
    pub line: usize,
    pub column: usize,
    /// The first problem.
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    /// Every problem found, in file order.
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
}

impl ConfigError {
    /// English text for `--lang en`.
    pub fn message_en(&self) -> String {
        match self {
            ConfigError::Io { path, source } => format!("cannot read {path}: {source}"),
            ConfigError::Invalid(i) => format!(
                "configuration {} line {} column {}: {}",
                i.path, i.line, i.column, i.message
            ),
        }
    }
}

/// Collects problems with spans while validating.
struct Problems<'a> {
    text: &'a str,
    list: Vec<(std::ops::Range<usize>, String)>,
}

impl Problems<'_> {
    fn push(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        self.list.push((span, message.into()));
    }

    fn into_error(mut self, path: &str) -> Option<ConfigError> {
        if self.list.is_empty() {
            return None;
        }
        self.list.sort_by_key(|(s, _)| (s.start, s.end));
        let (first, message) = self.list[0].clone();
        let (line, column) = line_col(self.text, first.start);
        let labels = self
            .list
            .iter()
            .map(|(s, m)| LabeledSpan::new(Some(m.clone()), s.start, s.end - s.start))
            .collect();
        Some(ConfigError::Invalid(Box::new(InvalidConfig {
            path: path.to_string(),
            line,
            column,
            message,
            src: NamedSource::new(path, self.text.to_string()),
            labels,
        })))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() + 1)
}

/// The keys a configuration file may have (for "did you mean").
const KEYS: &[&str] = &[
    "schema",
    "lang",
    "select",
    "ignore",
    "exclude",
    "severity",
    "per-file-ignores",
    "allow",
];
const ALLOW_KEYS: &[&str] = &["code", "text", "reason", "files"];

/// Edit distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn suggest<'k>(word: &str, candidates: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Turn toml's message into a pointed Chinese one.
fn toml_message(err: &toml::de::Error, text: &str) -> String {
    let msg = err.message().trim();
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some(end) = rest.find('`')
    {
        let key = &rest[..end];
        let allowed: &[&str] = if msg.contains("`code`") {
            ALLOW_KEYS
        } else {
            KEYS
        };
        let mut m = format!("未知的配置项“{key}”");
        if let Some(s) = suggest(key, allowed.iter().copied()) {
            m.push_str(&format!("，是否想写“{s}”？"));
        } else {
            m.push_str(&format!("；可用的配置项：{}", allowed.join("、")));
        }
        return m;
    }
    if msg.starts_with("unknown variant") {
        let what = err
            .span()
            .map(|s| text[s].trim().to_string())
            .unwrap_or_default();
        let hint = if msg.contains("`zh`") {
            "lang 只能是 \"zh\" 或 \"en\""
        } else {
            "级别只能是 \"error\"、\"warning\"、\"info\" 或 \"hint\""
        };
        return format!("无效的值 {what}：{hint}");
    }
    format!("TOML 格式错误：{msg}")
}

/// Whether a selector names at least one rule: `ALL`, a family letter or a
/// prefix of a registered code.
fn valid_selector(s: &str) -> bool {
    let up = s.to_ascii_uppercase();
    up == "ALL"
        || (up.len() == 1 && "SNPFDCE".contains(up.as_str()))
        || RULES.iter().any(|r| r.code.starts_with(&up))
}

fn codes(list: Option<Vec<Spanned<String>>>, problems: &mut Problems) -> Vec<String> {
    let mut out = Vec::new();
    for s in list.unwrap_or_default() {
        if valid_selector(s.get_ref()) {
            out.push(s.get_ref().to_ascii_uppercase());
        } else {
            let hint = suggest(s.get_ref(), RULES.iter().map(|r| r.code))
                .map(|c| format!("，是否想写“{c}”？"))
                .unwrap_or_else(|| "；运行 gongwen rules 查看全部规则".to_string());
            problems.push(s.span(), format!("没有规则“{}”{hint}", s.get_ref()));
        }
    }
    out
}

fn globs(list: &[Spanned<String>], problems: &mut Problems) -> Option<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in list {
        match Glob::new(g.get_ref()) {
            Ok(glob) => {
                b.add(glob);
            }
            Err(e) => problems.push(g.span(), format!("无效的路径模式：{}", e.kind())),
        }
    }
    b.build().ok()
}

impl Config {
    /// The defaults (no file), with globs relative to `root`.
    pub fn defaults(root: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            ..Default::default()
        }
    }

    /// Parse configuration text. `name` names the file in errors; `root` is
    /// the directory relative globs and schema paths start from.
    pub fn parse(name: &str, text: &str, root: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let mut p = Problems {
                    text,
                    list: Vec::new(),
                };
                let span = e.span().unwrap_or(0..0);
                p.push(span, toml_message(&e, text));
                return Err(p.into_error(name).expect("one problem"));
            }
        };
        let mut p = Problems {
            text,
            list: Vec::new(),
        };
        let schema = raw.schema.map(|s| {
            let v = s.into_inner();
            if schema::BUILTIN.iter().any(|(id, _)| *id == v) || Path::new(&v).is_absolute() {
                v
            } else {
                root.join(v).display().to_string()
            }
        });
        let select = raw.select.map(|l| codes(Some(l), &mut p));
        let ignore = codes(raw.ignore, &mut p);
        let exclude_raw = raw.exclude.unwrap_or_default();
        let exclude_set = globs(&exclude_raw, &mut p);
        let mut severity = BTreeMap::new();
        for (code, sev) in raw.severity.unwrap_or_default() {
            let up = code.to_ascii_uppercase();
            if RULES.iter().any(|r| r.code == up) {
                severity.insert(up, *sev.get_ref());
            } else {
                let hint = suggest(&up, RULES.iter().map(|r| r.code))
                    .map(|c| format!("，是否想写“{c}”？"))
                    .unwrap_or_default();
                // The key has no span of its own: point at its line via the value.
                let start = text[..sev.span().start].rfind('\n').map_or(0, |i| i + 1);
                p.push(
                    start..sev.span().end,
                    format!("[severity] 中没有规则“{code}”{hint}"),
                );
            }
        }
        let mut per_file_ignores = Vec::new();
        for (pattern, list) in raw.per_file_ignores.unwrap_or_default() {
            let span = list.span();
            let codes = codes(Some(list.into_inner()), &mut p);
            match Glob::new(&pattern) {
                Ok(g) => {
                    let mut b = GlobSetBuilder::new();
                    b.add(g);
                    if let Ok(set) = b.build() {
                        per_file_ignores.push(PathIgnore {
                            pattern,
                            set,
                            codes,
                        });
                    }
                }
                Err(e) => {
                    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                    p.push(
                        start..span.start,
                        format!("无效的路径模式“{pattern}”：{}", e.kind()),
                    );
                }
            }
        }
        let mut allow = Vec::new();
        for a in raw.allow.unwrap_or_default() {
            let code = codes(Some(vec![a.code.clone()]), &mut p);
            if a.text.get_ref().trim().is_empty() {
                p.push(
                    a.text.span(),
                    "text 不能为空：例外须写明所指的原文".to_string(),
                );
            }
            let files_raw = a.files.unwrap_or_default();
            let files_set = if files_raw.is_empty() {
                None
            } else {
                globs(&files_raw, &mut p)
            };
            if let Some(code) = code.into_iter().next() {
                allow.push(AllowEntry {
                    code,
                    text: a.text.into_inner(),
                    reason: a.reason,
                    files: files_raw.into_iter().map(Spanned::into_inner).collect(),
                    files_set,
                });
            }
        }
        if let Some(e) = p.into_error(name) {
            return Err(e);
        }
        Ok(Config {
            path: None,
            root: root.to_path_buf(),
            schema,
            lang: raw.lang,
            select,
            ignore,
            exclude: exclude_raw.into_iter().map(Spanned::into_inner).collect(),
            exclude_set,
            severity,
            per_file_ignores,
            allow,
        })
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut c = Config::parse(&path.display().to_string(), &text, &root)?;
        c.path = Some(path.to_path_buf());
        Ok(c)
    }

    /// The nearest configuration upward from `dir` (`None` if there is none).
    pub fn discover(dir: &Path) -> Result<Option<Config>, ConfigError> {
        match find(dir) {
            Some(p) => Config::load(&p).map(Some),
            None => Ok(None),
        }
    }

    /// `file` relative to the configuration's directory, `/`-separated, for
    /// glob matching.
    fn relative(&self, file: &Path) -> String {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let root = std::path::absolute(&self.root).unwrap_or_else(|_| self.root.clone());
        let rel = abs.strip_prefix(&root).unwrap_or(&abs);
        let s = rel.to_string_lossy();
        if std::path::MAIN_SEPARATOR == '/' {
            s.into_owned()
        } else {
            s.replace(std::path::MAIN_SEPARATOR, "/")
        }
    }

    /// Whether directory discovery skips this file (`exclude`).
    pub fn is_excluded(&self, file: &Path) -> bool {
        self.exclude_set
            .as_ref()
            .is_some_and(|s| s.is_match(self.relative(file)))
    }

    /// The schema id or path this configuration names (default: the
    /// built-in `fazhi-annual-report`).
    pub fn schema_id(&self) -> String {
        self.schema
            .clone()
            .unwrap_or_else(|| schema::DEFAULT.to_string())
    }

    /// The effective settings for one file.
    pub fn settings_for(&self, file: &Path) -> Settings {
        // The relative path (two `absolute` calls) only when a glob needs it.
        let rel = std::cell::OnceCell::new();
        let rel = || rel.get_or_init(|| self.relative(file)).as_str();
        let mut ignore = self.ignore.clone();
        for pi in &self.per_file_ignores {
            if pi.set.is_match(rel()) {
                ignore.extend(pi.codes.iter().cloned());
            }
        }
        let allow = self
            .allow
            .iter()
            .filter(|a| a.files_set.as_ref().is_none_or(|s| s.is_match(rel())))
            .map(|a| Allow {
                code: a.code.clone(),
                text: a.text.clone(),
            })
            .collect();
        Settings {
            select: self.select.clone().unwrap_or_default(),
            ignore,
            severity: self.severity.clone(),
            lang: self.lang.unwrap_or_default(),
            allow,
        }
    }

    /// The effective configuration as TOML (`gongwen config --show`).
    pub fn show(&self, file: Option<&Path>) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case")]
        struct Shown<'a> {
            schema: String,
            lang: Lang,
            select: Vec<String>,
            ignore: Vec<String>,
            exclude: &'a [String],
            enabled_rules: Vec<&'static str>,
            severity: BTreeMap<&'static str, Severity>,
            per_file_ignores: BTreeMap<&'a str, &'a [String]>,
            allow: &'a [AllowEntry],
        }
        let settings = match file {
            Some(f) => self.settings_for(f),
            None => Settings {
                select: self.select.clone().unwrap_or_default(),
                ignore: self.ignore.clone(),
                severity: self.severity.clone(),
                lang: self.lang.unwrap_or_default(),
                allow: Vec::new(),
            },
        };
        let shown = Shown {
            schema: self.schema_id(),
            lang: settings.lang,
            select: settings.select.clone(),
            ignore: settings.ignore.clone(),
            exclude: &self.exclude,
            enabled_rules: RULES
                .iter()
                .filter(|r| r.check.is_some() && settings.is_enabled(r))
                .map(|r| r.code)
                .collect(),
            severity: RULES
                .iter()
                .filter(|r| settings.is_enabled(r))
                .map(|r| {
                    (
                        r.code,
                        settings.severity.get(r.code).copied().unwrap_or(r.severity),
                    )
                })
                .collect(),
            per_file_ignores: self
                .per_file_ignores
                .iter()
                .map(|p| (p.pattern.as_str(), p.codes.as_slice()))
                .collect(),
            allow: &self.allow,
        };
        let head = match &self.path {
            Some(p) => format!("# 配置文件 (configuration): {}\n", p.display()),
            None => "# 未找到 gongwen.toml，使用默认设置 (no configuration file: defaults)\n"
                .to_string(),
        };
        head + &toml::to_string(&shown).unwrap_or_default()
    }
}

/// The nearest `gongwen.toml` in `dir` or a directory above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    abs.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The settings and schema id for a file at `path`, from the nearest
/// `gongwen.toml` upward from its directory (the defaults when there is
/// none). This is what the language server calls for an open document; a
/// [`ConfigError`] carries the place of the problem in the file (render it
/// with miette, or show `message_en()`/`Display`).
///
/// ```
/// let (settings, schema) = gongwen::config::settings_for(std::path::Path::new("report.txt")).unwrap();
/// assert!(!schema.is_empty());
/// # let _ = settings;
/// ```
pub fn settings_for(path: &Path) -> Result<(Settings, String), ConfigError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let config = Config::discover(dir)?.unwrap_or_else(|| Config::defaults(dir));
    Ok((config.settings_for(path), config.schema_id()))
}
