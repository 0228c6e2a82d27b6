//! Batch runs of `gongwen check`: expand files and directories, find each
//! file's configuration, check the files in parallel, and write the
//! renderings in a deterministic order (the order of the arguments, each
//! directory sorted by path) with bounded memory: files are checked in
//! chunks and nothing but the summary outlives its chunk.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use crate::config::{Config, ConfigError};
use crate::diagnostic::{Applicability, Diagnostic, Lang, Severity};
use crate::render::{self, Format, Stream};
use crate::schema::{self, Schema, SchemaError};
use crate::settings::Settings;
use crate::source::{Encoding, InputError, Source};

/// File extensions found in directories.
pub const EXTENSIONS: &[&str] = crate::source::REPORT_EXTENSIONS;

/// Which configuration applies.
#[derive(Debug, Clone, Default)]
pub enum ConfigChoice {
    /// The nearest `gongwen.toml` upward from each file.
    #[default]
    Discover,
    /// One file for every input (`--config FILE`).
    File(PathBuf),
    /// Defaults only (`--no-config`).
    Off,
}

/// Command-line settings, which win over the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub schema: Option<String>,
    /// Replaces the configuration's `select`.
    pub select: Option<Vec<String>>,
    /// Added to the configuration's `ignore`.
    pub ignore: Vec<String>,
    pub lang: Option<Lang>,
}

/// Anything that stops one input (or all of them) from being checked:
/// exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// An input under a configuration whose problem was already shown.
    #[error("配置文件有误，已跳过")]
    Reported,
}

/// Forwarded by hand: `InputError` has an inherent `code()` that the derive's
/// `transparent` would call instead of the trait's.
impl miette::Diagnostic for BatchError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.inner().and_then(miette::Diagnostic::code)
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner().and_then(miette::Diagnostic::severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.inner().and_then(miette::Diagnostic::help)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.inner().and_then(miette::Diagnostic::url)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.inner().and_then(miette::Diagnostic::source_code)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.inner().and_then(miette::Diagnostic::labels)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        self.inner().and_then(miette::Diagnostic::related)
    }
    fn diagnostic_source(&self) -> Option<&dyn miette::Diagnostic> {
        self.inner().and_then(miette::Diagnostic::diagnostic_source)
    }
}

impl BatchError {
    fn inner(&self) -> Option<&dyn miette::Diagnostic> {
        match self {
            BatchError::Input(e) => Some(e),
            BatchError::Config(e) => Some(e),
            BatchError::Schema(e) => Some(e),
            BatchError::Reported => None,
        }
    }

    /// Render for stderr in the message language.
    pub fn render(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, BatchError::Reported) => String::new(),
            (Lang::En, BatchError::Input(e)) => {
                format!("error[{}]: {}\n", e.code(), e.message_en())
            }
            (Lang::En, BatchError::Config(ConfigError::Io { .. })) => {
                format!("error[E005]: {}\n", self.en())
            }
            _ => {
                let mut out = String::new();
                let handler = miette::GraphicalReportHandler::new();
                if handler.render_report(&mut out, self).is_err() {
                    out = format!("{self}\n");
                }
                out
            }
        }
    }

    fn en(&self) -> String {
        match self {
            BatchError::Input(e) => e.message_en(),
            BatchError::Config(e) => e.message_en(),
            BatchError::Schema(e) => e.to_string(),
            BatchError::Reported => "skipped: its configuration is invalid".to_string(),
        }
    }
}

/// One input to check.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file, or `-` for standard input.
    pub path: PathBuf,
    /// The name shown in the output.
    pub name: String,
    config: Arc<Config>,
    schema: Arc<Schema>,
    /// Found by a directory walk as a regular file (not a pipe or a
    /// device named on the command line): see [`Source::read_file`].
    regular: bool,
}

impl Input {
    /// Settings for this input: its configuration, then the command line.
    pub fn settings(&self, overrides: &Overrides) -> Settings {
        let path = if self.path.as_os_str() == "-" {
            Path::new(&self.name)
        } else {
            &self.path
        };
        let mut s = self.config.settings_for(path);
        if let Some(sel) = &overrides.select {
            s.select = sel.clone();
        }
        s.ignore.extend(overrides.ignore.iter().cloned());
        if let Some(l) = overrides.lang {
            s.lang = l;
        }
        s
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// Finds configurations and schemas once per directory and id.
#[derive(Default)]
pub struct Resolver {
    choice: ConfigChoice,
    schema_override: Option<String>,
    fixed: Option<Arc<Config>>,
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    by_file: HashMap<PathBuf, Arc<Config>>,
    /// Configuration files already reported as unusable.
    bad: std::collections::HashSet<PathBuf>,
    /// Inputs skipped because their configuration was already reported.
    pub skipped: usize,
    schemas: HashMap<String, Arc<Schema>>,
    /// The configuration of the last input and its schema.
    last_schema: Option<(Arc<Config>, Arc<Schema>)>,
    default: Option<Arc<Config>>,
}

impl Resolver {
    pub fn new(choice: ConfigChoice, overrides: &Overrides) -> Result<Resolver, BatchError> {
        let mut r = Resolver {
            choice: choice.clone(),
            schema_override: overrides.schema.clone(),
            ..Default::default()
        };
        if let ConfigChoice::File(f) = &choice {
            r.fixed = Some(Arc::new(Config::load(f)?));
        }
        Ok(r)
    }

    /// The configuration for a file (`path` may be a name from
    /// `--stdin-filename`).
    pub fn config(&mut self, path: &Path) -> Result<Arc<Config>, BatchError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        if !matches!(self.choice, ConfigChoice::Discover) {
            return Ok(self.default_config());
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(c) = self.discover(&dir)? {
            return Ok(c);
        }
        Ok(self.default_config())
    }

    /// The defaults, when no configuration file applies.
    fn default_config(&mut self) -> Arc<Config> {
        self.default
            .get_or_insert_with(|| Arc::new(Config::defaults(Path::new("."))))
            .clone()
    }

    /// Walk up from `dir` with a cache per directory.
    fn discover(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, BatchError> {
        if let Some(c) = self.by_dir.get(dir) {
            return Ok(c.clone());
        }
        if self.bad.contains(&dir.join(crate::config::FILE_NAME)) {
            return Err(BatchError::Reported);
        }
        let candidate = dir.join(crate::config::FILE_NAME);
        let found = if candidate.is_file() {
            if let Some(c) = self.by_file.get(&candidate) {
                Some(c.clone())
            } else {
                let c = Arc::new(Config::load(&candidate).inspect_err(|_| {
                    self.bad.insert(candidate.clone());
                })?);
                self.by_file.insert(candidate, c.clone());
                Some(c)
            }
        } else if let Some(parent) = dir.parent() {
            self.discover(parent)?
        } else {
            None
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }

    /// The schema for a configuration (the command line's wins).
    pub fn schema(&mut self, config: &Config) -> Result<Arc<Schema>, BatchError> {
        // A directory's files share one configuration: the last one's
        // schema spares the id's copy and its look-up.
        if let Some((last, s)) = &self.last_schema
            && std::ptr::eq(Arc::as_ptr(last), config)
        {
            return Ok(s.clone());
        }
        let id = self
            .schema_override
            .clone()
            .unwrap_or_else(|| config.schema_id());
        let s = match self.schemas.get(&id) {
            Some(s) => s.clone(),
            None => {
                let s = Arc::new(schema::resolve(&id)?);
                self.schemas.insert(id, s.clone());
                s
            }
        };
        Ok(s)
    }

    /// [`Resolver::schema`] of a configuration this resolver gave out
    /// (kept, so that its address names it while the resolver lives).
    fn schema_of(&mut self, config: &Arc<Config>) -> Result<Arc<Schema>, BatchError> {
        let s = self.schema(config)?;
        self.last_schema = Some((config.clone(), s.clone()));
        Ok(s)
    }

    fn input(&mut self, path: PathBuf, name: String) -> Result<Input, BatchError> {
        let config_path = if path.as_os_str() == "-" {
            PathBuf::from(&name)
        } else {
            path.clone()
        };
        let config = self.config(&config_path)?;
        self.input_with(path, name, config)
    }

    /// [`Resolver::input`] with the file's configuration found already.
    fn input_with(
        &mut self,
        path: PathBuf,
        name: String,
        config: Arc<Config>,
    ) -> Result<Input, BatchError> {
        let schema = self.schema_of(&config)?;
        Ok(Input {
            path,
            name,
            config,
            schema,
            regular: false,
        })
    }
}

/// Files found in a directory (recursive, sorted; `.gitignore`, `.ignore`
/// and `.gongwenignore` honoured, hidden files skipped).
///
pub fn walk(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        .require_git(false)
        .add_custom_ignore_filename(".gongwenignore")
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| InputError::Io {
            name: dir.display().to_string(),
            source: io::Error::other(e.to_string()),
        })?;
        if entry.file_type().is_some_and(|t| t.is_file())
            && crate::source::has_extension_fast(entry.path(), EXTENSIONS)
        {
            found.push(entry.into_path());
        }
    }
    sort_paths(&mut found);
    Ok(found)
}

/// Sort paths as `Path`'s order does (component by component), faster.
/// Paths under one directory, as a walk finds them (no `.` components,
/// no doubled separators past the common start), compare as their bytes
/// with the separator below every other byte: a component that is a
/// prefix of another then sorts first, as it does among components.
/// `Path`'s comparison parses components on every comparison. So each path
/// has its separators turned into NUL bytes (which no path holds, so no two
/// paths become equal) in place, the byte strings are sorted as such (a
/// `memcmp` per comparison, where a comparison that looked for the first
/// difference itself was a quarter of the walk), and the separators are put
/// back. (The walk sorting each directory by name costs more: its
/// comparisons parse the file names out of the paths.)
fn sort_paths(paths: &mut Vec<PathBuf>) {
    #[cfg(unix)]
    {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt;
        let swap = |mut b: Vec<u8>, from: u8, to: u8| {
            for c in &mut b {
                if *c == from {
                    *c = to;
                }
            }
            b
        };
        let mut keys: Vec<Vec<u8>> = std::mem::take(paths)
            .into_iter()
            .map(|p| swap(p.into_os_string().into_vec(), b'/', 0))
            .collect();
        keys.sort_unstable();
        *paths = keys
            .into_iter()
            .map(|b| PathBuf::from(OsString::from_vec(swap(b, 0, b'/'))))
            .collect();
    }
    #[cfg(not(unix))]
    paths.sort();
}

/// Expand the command line's paths into inputs. Problems (a missing file, a
/// bad configuration) are collected, not fatal: the rest is still checked.
pub fn plan(
    paths: &[PathBuf],
    stdin_filename: Option<&str>,
    resolver: &mut Resolver,
) -> (Vec<Input>, Vec<BatchError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut push = |r: Result<Input, BatchError>, inputs: &mut Vec<Input>| match r {
        Ok(i) => inputs.push(i),
        Err(e) => errors.push(e),
    };
    for p in paths {
        if p.as_os_str() == "-" {
            let name = stdin_filename.unwrap_or("-").to_string();
            push(resolver.input(p.clone(), name), &mut inputs);
        } else if p.is_dir() {
            match walk(p) {
                Ok(files) => {
                    inputs.reserve(files.len());
                    for f in files {
                        match resolver.config(&f) {
                            Ok(c) if c.is_excluded(&f) => {}
                            Ok(c) => {
                                // What `display()` shows, without its
                                // formatter when the path is UTF-8.
                                let name = f
                                    .to_str()
                                    .map_or_else(|| f.display().to_string(), str::to_owned);
                                let input = resolver.input_with(f, name, c);
                                let regular = input.map(|i| Input { regular: true, ..i });
                                push(regular, &mut inputs);
                            }
                            Err(e) => push(Err(e), &mut inputs),
                        }
                    }
                }
                Err(e) => push(Err(e.into()), &mut inputs),
            }
        } else {
            push(
                resolver.input(p.clone(), p.display().to_string()),
                &mut inputs,
            );
        }
    }
    (inputs, errors)
}

/// Read and decode an input (.docx by name or content; text in `encoding`,
/// or detected).
pub fn read(input: &Input, encoding: Option<Encoding>) -> Result<Source, InputError> {
    if input.path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| InputError::Io {
                name: input.name.clone(),
                source,
            })?;
        return Source::decode_with(input.name.clone(), &bytes, encoding);
    }
    Source::read_file(&input.path, input.name.clone(), encoding, input.regular)
}

/// Counts over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs checked (read and decoded).
    pub files: usize,
    /// Inputs that could not be checked (exit status 2).
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Info and hint findings.
    pub suggestions: usize,
    /// Findings with a safe fix (`--fix` applies them).
    pub fixable: usize,
    /// Per code: (findings, fixable).
    pub by_rule: BTreeMap<&'static str, (usize, usize)>,
}

impl Summary {
    /// Count one checked file's findings.
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        self.count(diagnostics).into_map(&mut self.by_rule);
    }

    /// [`Summary::add`] but for [`Summary::by_rule`]: the counts per code
    /// are given back.
    fn count(&mut self, diagnostics: &[Diagnostic]) -> CodeCounts {
        self.files += 1;
        // Room for a file's codes at once (a few dozen exist), rather than
        // growing the table code by code.
        let mut codes = CodeCounts(Vec::with_capacity(diagnostics.len().min(16)));
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info | Severity::Hint => self.suggestions += 1,
            }
            let safe = d
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe);
            self.fixable += usize::from(safe);
            codes.add(d.code, 1, usize::from(safe));
        }
        codes
    }

    fn merge(&mut self, other: Summary) {
        self.files += other.files;
        self.failed += other.failed;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.suggestions += other.suggestions;
        self.fixable += other.fixable;
        for (k, (n, f)) in other.by_rule {
            let e = self.by_rule.entry(k).or_default();
            e.0 += n;
            e.1 += f;
        }
    }

    /// The exit status (DESIGN.md): 2 if an input could not be checked,
    /// else 1 for error findings (and warnings with `strict`), else 0;
    /// `exit_zero` turns 1 into 0.
    pub fn exit_code(&self, strict: bool, exit_zero: bool) -> u8 {
        if self.failed > 0 {
            2
        } else if !exit_zero && (self.errors > 0 || (strict && self.warnings > 0)) {
            1
        } else {
            0
        }
    }

    /// The one-line summary.
    pub fn line(&self, lang: Lang) -> String {
        let (n, e, w, s, f) = (
            self.files,
            self.errors,
            self.warnings,
            self.suggestions,
            self.fixable,
        );
        let mut line = match lang {
            Lang::Zh => format!(
                "检查了 {n} 个文件：错误 {e} 个，警告 {w} 个，建议 {s} 个，可自动修复 {f} 个"
            ),
            Lang::En => {
                format!("checked {n} files: {e} errors, {w} warnings, {s} suggestions, {f} fixable")
            }
        };
        if self.failed > 0 {
            line.push_str(&match lang {
                Lang::Zh => format!("；{} 个文件无法检查", self.failed),
                Lang::En => format!("; {} files could not be checked", self.failed),
            });
        }
        line
    }

    /// `--statistics`: findings per rule, most frequent first.
    pub fn statistics(&self, format: Format) -> String {
        let mut rows: Vec<_> = self.by_rule.iter().collect();
        rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        if matches!(
            format,
            Format::Json | Format::Jsonl | Format::Sarif | Format::Rdjson
        ) {
            let v: Vec<_> = rows
                .iter()
                .map(|(code, (n, f))| {
                    serde_json::json!({
                        "code": code,
                        "name": crate::rules::meta(code).map_or("unknown", |m| m.name),
                        "count": n,
                        "fixable": f,
                    })
                })
                .collect();
            return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
        }
        rows.iter()
            .map(|(code, (n, f))| {
                let name = crate::rules::meta(code).map_or("unknown", |m| m.name);
                let mark = if *f > 0 { "[*]" } else { "   " };
                format!("{n:>6}  {code:<5} {mark} {name}\n")
            })
            .collect()
    }
}

/// Findings and fixable findings per code, in the order the codes were
/// first counted: a short table searched by each code's address (codes are
/// static strings; equal text at another address is the same code). A run
/// has a few dozen codes and a file fewer: cheaper than a look-up in
/// [`Summary::by_rule`], which compares strings at every level, for every
/// finding and again for every file's counts.
#[derive(Debug, Default)]
struct CodeCounts(Vec<(&'static str, usize, usize)>);

impl CodeCounts {
    fn add(&mut self, code: &'static str, n: usize, fixable: usize) {
        let at = self
            .0
            .iter()
            .position(|c| std::ptr::eq(c.0, code))
            .or_else(|| self.0.iter().position(|c| c.0 == code));
        match at {
            Some(k) => {
                self.0[k].1 += n;
                self.0[k].2 += fixable;
            }
            None => self.0.push((code, n, fixable)),
        }
    }

    fn absorb(&mut self, other: CodeCounts) {
        for (code, n, fixable) in other.0 {
            self.add(code, n, fixable);
        }
    }

    fn into_map(self, map: &mut BTreeMap<&'static str, (usize, usize)>) {
        for (code, n, fixable) in self.0 {
            let e = map.entry(code).or_default();
            e.0 += n;
            e.1 += fixable;
        }
    }
}

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub format: Format,
    pub render: render::Options,
    pub overrides: Overrides,
    /// Count only (`--statistics`): render nothing per file.
    pub statistics: bool,
    /// Files checked in parallel before their output is written.
    pub chunk: usize,
    /// Text encoding (`--encoding`); `None` detects it.
    pub encoding: Option<Encoding>,
}

/// What checking one input produced.
struct Outcome {
    rendered: Vec<u8>,
    /// The counts but for those per code, which are in `codes`.
    summary: Summary,
    codes: CodeCounts,
    error: Option<BatchError>,
}

fn check_one(input: &Input, opts: &RunOptions) -> Outcome {
    let source = match read(input, opts.encoding) {
        Ok(s) => s,
        Err(e) => {
            return Outcome {
                rendered: Vec::new(),
                summary: Summary {
                    failed: 1,
                    ..Default::default()
                },
                codes: CodeCounts::default(),
                error: Some(e.into()),
            };
        }
    };
    let settings = input.settings(&opts.overrides);
    // Every format prints the texts of `settings.lang` only (see below).
    let checked = crate::check_unexplained_in(&source, &input.schema, &settings, settings.lang);
    let mut summary = Summary::default();
    let codes = summary.count(&checked.diagnostics);
    let rendered = if opts.statistics {
        Vec::new()
    } else {
        let ropts = render::Options {
            lang: settings.lang,
            ..opts.render
        };
        render::file_bytes(opts.format, &source, &checked.diagnostics, ropts)
    };
    Outcome {
        rendered,
        summary,
        codes,
        error: None,
    }
}

/// A progress line on stderr, for long runs on a terminal only.
pub struct Progress {
    enabled: bool,
    total: usize,
}

impl Progress {
    /// On when stderr is a terminal and there are many files.
    pub fn new(total: usize) -> Progress {
        Progress {
            enabled: total >= 200 && io::stderr().is_terminal(),
            total,
        }
    }

    pub fn disabled() -> Progress {
        Progress {
            enabled: false,
            total: 0,
        }
    }

    fn update(&self, done: usize) {
        if self.enabled {
            let width = 30;
            let filled = done * width / self.total.max(1);
            eprint!(
                "\r[{}{}] {done}/{} ",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.total
            );
        }
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r{}\r", " ".repeat(50));
        }
    }
}

/// Check inputs in parallel and write their renderings in order to `out`;
/// input problems go to `err` in the same order. Returns the counts.
///
/// The calling thread and [`threads`]` - 1` others take small blocks of
/// inputs in order from a shared counter, with no barrier between them:
/// the calling thread also writes the finished renderings in order, a
/// chunk (`opts.chunk` inputs) at a time, and the others hand theirs over
/// through a channel. No thread checks more than [`WINDOW`] inputs past
/// the last one finished in order, so memory stays bounded by a chunk and
/// a window of renderings whatever the number of inputs.
pub fn run(
    inputs: &[Input],
    opts: &RunOptions,
    out: impl Write,
    err: impl Write,
    progress: &Progress,
) -> io::Result<Summary> {
    run_on(inputs, opts, out, err, progress, threads(), WINDOW)
}

/// [`run`] on `threads` threads, none more than `window` inputs ahead.
fn run_on(
    inputs: &[Input],
    opts: &RunOptions,
    out: impl Write,
    err: impl Write,
    progress: &Progress,
    threads: usize,
    window: usize,
) -> io::Result<Summary> {
    let stream = if opts.statistics {
        None
    } else {
        Some(Stream::new(out, opts.format, opts.render)?)
    };
    let mut writer = Writer {
        stream,
        err,
        summary: Summary::default(),
        codes: CodeCounts::default(),
        done: 0,
        progress,
        lang: opts.overrides.lang.unwrap_or_default(),
    };
    let helpers = threads
        .saturating_sub(1)
        .min(inputs.len().saturating_sub(1) / BLOCK);
    let claimed = AtomicUsize::new(0);
    let gate = Gate::new(window);
    let (tx, rx) = mpsc::channel::<(usize, Vec<Outcome>)>();
    let claim = || {
        let start = claimed.fetch_add(BLOCK, Ordering::Relaxed);
        (start < inputs.len()).then(|| start..(start + BLOCK).min(inputs.len()))
    };
    let check = |range: std::ops::Range<usize>| -> Vec<Outcome> {
        inputs[range].iter().map(|i| check_one(i, opts)).collect()
    };
    let result = std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..helpers {
            let tx = tx.clone();
            let (claim, check, gate) = (&claim, &check, &gate);
            scope.spawn(move || {
                let _guard = StopOnPanic(gate);
                while let Some(range) = claim() {
                    if !gate.wait_for(range.start) {
                        break;
                    }
                    if tx.send((range.start, check(range))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let _guard = StopOnPanic(&gate);
        // Finished blocks by their first input, and the next to write.
        let mut pending: BTreeMap<usize, Vec<Outcome>> = BTreeMap::new();
        let mut next = 0;
        // In order, not written yet: less than a chunk.
        let chunk = opts.chunk.max(1);
        let mut staged: Vec<Outcome> = Vec::with_capacity(chunk);
        let result = (|| -> io::Result<()> {
            while next < inputs.len() {
                // Check a block here unless far enough ahead already;
                // else wait for one of the others'.
                let own = if claimed.load(Ordering::Relaxed) < next + window {
                    claim()
                } else {
                    None
                };
                match own {
                    Some(range) => {
                        pending.insert(range.start, check(range));
                        pending.extend(rx.try_iter());
                    }
                    None => match rx.recv() {
                        Ok((start, outcomes)) => {
                            pending.insert(start, outcomes);
                        }
                        // Every other thread has stopped: one panicked.
                        Err(_) => break,
                    },
                }
                let before = next;
                while let Some(entry) = pending.first_entry()
                    && *entry.key() == next
                {
                    let outcomes = entry.remove();
                    next += outcomes.len();
                    staged.extend(outcomes);
                }
                if next > before {
                    gate.advance(next);
                }
                // Out in whole chunks, as one thread checking chunk after
                // chunk writes them: the same writes to `out` and `err`,
                // so even the two interleaved are the same bytes.
                while staged.len() >= chunk || (next == inputs.len() && !staged.is_empty()) {
                    let rest = staged.split_off(chunk.min(staged.len()));
                    writer.write(std::mem::replace(&mut staged, rest))?;
                }
            }
            Ok(())
        })();
        if result.is_err() {
            gate.stop();
        }
        result
    });
    // Directory handles are kept for one run only.
    crate::source::forget_directory();
    result?;
    writer.finish()
}

/// Inputs a thread takes at a time.
const BLOCK: usize = 2;

/// How many inputs past the last one written a thread may start checking.
const WINDOW: usize = 64;

/// Threads for a batch run: `RAYON_NUM_THREADS` when set to a positive
/// number (as before, when the run used rayon's pool), else the available
/// parallelism.
fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
}

/// Holds threads back from checking more than a window of inputs past the
/// last one written (only when the writer falls behind: one slow input).
struct Gate {
    window: usize,
    /// Inputs written so far.
    written: AtomicUsize,
    /// Threads waiting in [`Gate::wait_for`].
    waiting: AtomicUsize,
    stopped: AtomicBool,
    lock: Mutex<()>,
    moved: Condvar,
}

impl Gate {
    fn new(window: usize) -> Gate {
        Gate {
            window,
            written: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            lock: Mutex::new(()),
            moved: Condvar::new(),
        }
    }

    /// Wait until input `start` is within the window; false when the run
    /// stopped.
    fn wait_for(&self, start: usize) -> bool {
        let open = |g: &Gate| start < g.written.load(Ordering::SeqCst) + g.window;
        if open(self) {
            return !self.stopped.load(Ordering::SeqCst);
        }
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.waiting.fetch_add(1, Ordering::SeqCst);
        while !open(self) && !self.stopped.load(Ordering::SeqCst) {
            guard = self.moved.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        !self.stopped.load(Ordering::SeqCst)
    }

    /// `written` inputs are out: wake any thread waiting for that.
    fn advance(&self, written: usize) {
        self.written.store(written, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.moved.notify_all();
        }
    }

    /// Stop every thread (a write failed, or a thread panicked).
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.moved.notify_all();
    }
}

/// Stops the run when its thread unwinds, so that no other thread waits
/// for inputs it will never finish.
struct StopOnPanic<'g>(&'g Gate);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// The ordered end of [`run`]: renderings, input problems, counts.
struct Writer<'p, O: Write, E: Write> {
    stream: Option<Stream<O>>,
    err: E,
    /// The counts but for those per code, which are in `codes`.
    summary: Summary,
    codes: CodeCounts,
    done: usize,
    progress: &'p Progress,
    lang: Lang,
}

impl<O: Write, E: Write> Writer<'_, O, E> {
    /// Write the next outcomes, in order: their renderings in one vectored
    /// write, then their problems.
    fn write(&mut self, outcomes: Vec<Outcome>) -> io::Result<()> {
        if let Some(s) = self.stream.as_mut() {
            s.push_many(outcomes.iter().map(|o| o.rendered.as_slice()))?;
        }
        self.done += outcomes.len();
        for o in outcomes {
            if let Some(e) = &o.error {
                self.progress.clear();
                self.err.write_all(e.render(self.lang).as_bytes())?;
            }
            self.summary.merge(o.summary);
            self.codes.absorb(o.codes);
        }
        self.progress.update(self.done);
        Ok(())
    }

    fn finish(mut self) -> io::Result<Summary> {
        self.progress.clear();
        if let Some(s) = self.stream {
            s.finish()?;
        }
        self.codes.into_map(&mut self.summary.by_rule);
        Ok(self.summary)
    }
}

/// `--fix` / `--diff`: what the run asks for.
#[derive(Debug, Clone, Copy)]
pub struct FixRequest {
    pub mode: crate::fix::FixMode,
    /// Print a unified diff instead of writing (`--diff`).
    pub diff_only: bool,
}

/// What a fix run did.
#[derive(Debug, Default)]
pub struct FixReport {
    /// The unified diffs (`--diff`), in input order.
    pub diffs: String,
    /// Edits applied.
    pub fixed: usize,
}

/// Fix inputs one after the other (files are written back; stdin's fixed
/// text goes to stdout), then render what remains as `run` does. Inputs
/// are handled in order, so diffs and messages are deterministic.
pub fn fix_all(
    inputs: &[Input],
    opts: &RunOptions,
    fix: FixRequest,
    out: impl Write,
    mut err: impl Write,
) -> io::Result<(Summary, FixReport)> {
    let mut stream = if opts.statistics || fix.diff_only {
        None
    } else {
        Some(Stream::new(out, opts.format, opts.render)?)
    };
    let mut summary = Summary::default();
    let mut report = FixReport::default();
    let lang = opts.overrides.lang.unwrap_or_default();
    for input in inputs {
        let source = match read(input, opts.encoding) {
            Ok(s) => s,
            Err(e) => {
                summary.failed += 1;
                err.write_all(BatchError::from(e).render(lang).as_bytes())?;
                continue;
            }
        };
        let settings = input.settings(&opts.overrides);
        let stdin = input.path.as_os_str() == "-";
        match crate::fix::run(
            &source,
            &input.schema,
            &settings,
            fix.mode,
            fix.diff_only,
            stdin,
        ) {
            Ok(done) => {
                if done.word_not_fixed {
                    writeln!(
                        err,
                        "提示：{} 是 Word 文件，不会自动修改；请按提示在 Word/WPS 中修改（用 --diff 查看修改内容） (Word files are not rewritten; see --diff)",
                        source.name
                    )?;
                }
                report.diffs.push_str(&done.diff);
                report.fixed += done.fixed.applied;
                summary.add(&done.fixed.remaining);
                if let Some(s) = stream.as_mut()
                    && !stdin
                {
                    let ropts = render::Options {
                        lang: settings.lang,
                        ..opts.render
                    };
                    s.push(&render::file(
                        opts.format,
                        &done.source,
                        &done.fixed.remaining,
                        ropts,
                    ))?;
                }
            }
            Err(e) => {
                summary.failed += 1;
                writeln!(
                    err,
                    "错误：无法写回 {}：{e} (cannot write the fixed file)",
                    source.name
                )?;
            }
        }
    }
    if let Some(s) = stream {
        s.finish()?;
    }
    Ok((summary, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every corpus file under `tests/fixtures`, planned with defaults,
    /// and two missing files among them.
    fn corpus() -> Vec<Input> {
        let mut resolver = Resolver::new(ConfigChoice::Off, &Overrides::default()).unwrap();
        let (mut inputs, errors) = plan(&[PathBuf::from("tests/fixtures")], None, &mut resolver);
        assert!(errors.is_empty());
        assert!(inputs.len() > 50, "{}", inputs.len());
        for at in [5, 40] {
            let missing = PathBuf::from(format!("tests/fixtures/missing-{at}.txt"));
            let name = missing.display().to_string();
            inputs.insert(at, resolver.input(missing, name).unwrap());
        }
        inputs
    }

    /// Standard output and error both into one buffer, as `2>&1` does.
    #[derive(Clone, Default)]
    struct Merged(Arc<Mutex<Vec<u8>>>);

    impl Write for Merged {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn walk_gives_the_paths_in_order() {
        let found = walk(Path::new("tests/fixtures")).unwrap();
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found, sorted);
        // Names where bytes and components disagree: `-` and `.` sort
        // before `/` as bytes, after the end of a component as paths.
        let mut tricky: Vec<PathBuf> = [
            "d/a-c",
            "d/a/b",
            "d/a",
            "d/a.txt",
            "d/a/b/c",
            "d/ab",
            "d/a b",
            "d/a/a-b",
            "d/a/a/b",
            "d/报告/一.txt",
            "d/报告.txt",
            "d/b",
            "d/a\\b",
            "d/0123456789abcdef/0123456789abcdef/x",
            "d/0123456789abcdef/0123456789abcdef",
            "d/0123456789abcdef/0123456789abcdef.",
            "d/0123456789abcdef/0123456789abcdeg",
            "d/0123456789abcdef/0123456789abcde",
            "d/0123456789abcdef-0123456789abcdef",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut expected = tricky.clone();
        expected.sort();
        sort_paths(&mut tricky);
        assert_eq!(tricky, expected);
        // Random paths of a walk's shape, of names that share beginnings
        // and hold the bytes around `/`: `Path`'s order.
        const NAMES: &[&str] = &[
            "a",
            "a-",
            "a.",
            "a0",
            "ab",
            "a b",
            "a.txt",
            "报告",
            "报告.txt",
            "-",
            ".a",
            "b",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut deep = 0;
        for _ in 0..300 {
            let mut paths: Vec<PathBuf> = (0..1 + next() % 40)
                .map(|_| {
                    let mut p = PathBuf::from("d/e");
                    for _ in 0..1 + next() % 4 {
                        p.push(NAMES[(next() % NAMES.len() as u64) as usize]);
                    }
                    p
                })
                .collect();
            paths.sort();
            paths.dedup();
            deep += paths.iter().filter(|p| p.components().count() > 4).count();
            let mut shuffled = paths.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, (next() % (i as u64 + 1)) as usize);
            }
            sort_paths(&mut shuffled);
            assert_eq!(shuffled, paths);
        }
        assert!(deep > 100);
        // The same names as files and directories on disk, walked.
        let tmp = tempfile::tempdir().unwrap();
        let names = [
            "a-c.txt",
            "a/b.txt",
            "a.txt",
            "a/b/c.txt",
            "ab.txt",
            "a b.txt",
            "a/a-b.txt",
            "a/a/b.txt",
            "a-/x.md",
            "a.b/c.txt",
            "报告/一.txt",
            "报告.txt",
            "b.txt",
            "a\\b.txt",
            "B.TXT",
            "z.Docx",
            "x.doc",
            "noext",
            ".hidden.txt",
            "h/.x/y.txt",
            "h/y.txt",
        ];
        for n in names {
            let p = tmp.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let got = walk(tmp.path()).unwrap();
        let mut expected: Vec<PathBuf> = names
            .iter()
            .filter(|n| !n.starts_with('.') && !n.contains("/."))
            .map(|n| tmp.path().join(n))
            .filter(|p| crate::source::has_extension(p, EXTENSIONS))
            .collect();
        expected.sort();
        assert_eq!(got, expected);
        assert_eq!(got.len(), 17);
        // Files in nested directories, beside files and directories whose
        // names sort between them.
        assert!(found.iter().any(|p| p.components().count() > 4));
        assert!(found.len() > 50);
    }

    /// [`Summary::add`], and the counts per file gathered as a run's writer
    /// does, count as a look-up in the map per finding does, with codes
    /// equal in text at other addresses.
    #[test]
    fn summary_counts_as_per_finding() {
        let codes: Vec<&'static str> = crate::rules::RULES
            .iter()
            .map(|m| m.code)
            .chain(["X999"])
            .collect();
        assert!(codes.len() > 20);
        let leaked: Vec<&'static str> = codes.iter().map(|c| &*String::from(*c).leak()).collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut want = Summary::default();
        let mut got = Summary::default();
        let mut gathered = Summary::default();
        let mut codes_gathered = CodeCounts::default();
        let mut wide = 0;
        for file in 0..300 {
            let n = (next() % 200) as usize;
            let spread = 1 + (file % codes.len());
            let diagnostics: Vec<Diagnostic> = (0..n)
                .map(|_| {
                    let k = (next() as usize) % spread;
                    let code = if next() % 3 == 0 { leaked[k] } else { codes[k] };
                    let mut d = Diagnostic::new(code, crate::source::Span::new(0, 1));
                    let span = crate::source::Span::new(0, 1);
                    let message = crate::diagnostic::L10n::new("", "");
                    match next() % 3 {
                        0 => d = d.fix(crate::diagnostic::Fix::replace(span, "x", message)),
                        1 => d = d.fix(crate::diagnostic::Fix::unsafe_(message, Vec::new())),
                        _ => {}
                    }
                    d
                })
                .collect();
            let distinct: std::collections::HashSet<_> =
                diagnostics.iter().map(|d| d.code).collect();
            wide += usize::from(distinct.len() > 16);
            want.files += 1;
            for d in &diagnostics {
                match d.severity {
                    Severity::Error => want.errors += 1,
                    Severity::Warning => want.warnings += 1,
                    Severity::Info | Severity::Hint => want.suggestions += 1,
                }
                let safe = d
                    .fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe);
                want.fixable += usize::from(safe);
                let e = want.by_rule.entry(d.code).or_default();
                e.0 += 1;
                e.1 += usize::from(safe);
            }
            got.add(&diagnostics);
            let mut file = Summary::default();
            codes_gathered.absorb(file.count(&diagnostics));
            gathered.merge(file);
        }
        codes_gathered.into_map(&mut gathered.by_rule);
        assert!(wide > 10, "files with many codes: {wide}");
        assert!(want.fixable > 0 && want.by_rule.len() == codes.len());
        assert_eq!(got, want);
        assert_eq!(gathered, want);
    }

    #[test]
    fn run_writes_in_input_order_whatever_the_threads() {
        let inputs = corpus();
        let opts = RunOptions {
            format: Format::Json,
            render: render::Options::default(),
            overrides: Overrides::default(),
            statistics: false,
            chunk: 32,
            encoding: None,
        };
        // One chunk after the other, its renderings then its problems,
        // standard output and error merged.
        let merged = Merged::default();
        let mut stream = Stream::new(merged.clone(), opts.format, opts.render).unwrap();
        let mut counts = Summary::default();
        for chunk in inputs.chunks(opts.chunk) {
            let outcomes: Vec<Outcome> = chunk.iter().map(|i| check_one(i, &opts)).collect();
            stream
                .push_many(outcomes.iter().map(|o| o.rendered.as_slice()))
                .unwrap();
            for o in outcomes {
                if let Some(e) = o.error {
                    merged
                        .clone()
                        .write_all(e.render(Lang::Zh).as_bytes())
                        .unwrap();
                }
                counts.merge(o.summary);
                o.codes.into_map(&mut counts.by_rule);
            }
        }
        stream.finish().unwrap();
        let expected = merged.0.lock().unwrap().clone();
        assert_eq!(counts.failed, 2);
        assert!(counts.errors + counts.warnings > 100);
        // Threads that wait for the writer (a window of one block) or
        // never do, more threads than cores, and none but the caller.
        for (threads, window) in [(1, 1), (2, 2), (4, 3), (3, WINDOW), (8, 1)] {
            let merged = Merged::default();
            let progress = Progress::disabled();
            let (out, err) = (merged.clone(), merged.clone());
            let summary = run_on(&inputs, &opts, out, err, &progress, threads, window);
            assert_eq!(summary.unwrap(), counts, "{threads} threads");
            let got = merged.0.lock().unwrap().clone();
            assert!(got == expected, "{threads} threads wrote another order");
        }
    }
}
