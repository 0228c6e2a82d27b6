//! The `gongwen` command line. Only argument handling and I/O live here;
//! everything else is the library.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc instead of glibc malloc: a check allocates many small strings
/// (messages, labels, JSON), and glibc's trimming and re-faulting of pages cost
/// ~20 % of the corpus run (5,800 page faults vs 240). ruff does the same.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use gongwen::batch::{self, ConfigChoice, Overrides, Progress, RunOptions};
use gongwen::config::Config;
use gongwen::diagnostic::{Lang, Severity};
use gongwen::render::{self, Format, json};
use gongwen::rules::RULES;
use gongwen::schema::{self, Schema};
use gongwen::settings::Settings;
use gongwen::source::{Encoding, InputError, Source};

#[derive(Parser)]
#[command(
    name = "gongwen",
    version,
    about = "检查公文（法治政府建设年度报告等）的结构、序号与标点 — a linter for Chinese official reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查报告 (check reports)
    Check(CheckArgs),
    /// 输出报告的结构（类型化 AST、提纲、要件匹配） (print the typed AST)
    Compile(CompileArgs),
    /// 列出所有规则 (list every rule)
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// 显示规则的说明文档 (print a rule's documentation)
    Explain { code: String },
    /// 列出内置模式 (list the built-in schemas)
    Schemas,
    /// 语言服务器（LSP，经标准输入输出） (language server over stdio)
    Lsp,
    /// 显示生效的配置 (show the effective configuration)
    Config(ConfigArgs),
}

#[derive(clap::Args)]
struct ConfigArgs {
    /// 显示某个文件（默认当前目录）生效的设置
    #[arg(long)]
    show: bool,
    /// 要查看的文件或目录
    path: Option<PathBuf>,
    /// 使用此配置文件，不向上查找 gongwen.toml
    #[arg(long, conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// 不读取任何配置文件
    #[arg(long)]
    no_config: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(clap::Args)]
struct CheckArgs {
    /// 文件或目录（目录递归查找 .txt .md .docx，遵循 .gitignore）；“-” 读标准输入
    paths: Vec<PathBuf>,
    /// 文本文件的编码（默认自动识别：UTF-8/UTF-16 带 BOM/GB18030）：utf-8、utf-16le、utf-16be、gb18030
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<Encoding>,
    /// 内置模式的 id 或 YAML 文件路径（默认取配置文件，否则 fazhi-annual-report）
    #[arg(long)]
    schema: Option<String>,
    /// 输出格式（默认 human）
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// 只启用这些规则（逗号分隔的代码或前缀，如 N,P001；取代配置文件的 select）
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// 停用这些规则（逗号分隔的代码或前缀；追加到配置文件的 ignore）
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// 提示语言（默认取配置文件，否则 zh）
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// 使用此配置文件，不向上查找 gongwen.toml
    #[arg(long, conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// 不读取任何配置文件
    #[arg(long)]
    no_config: bool,
    /// 从标准输入读取时使用的文件名
    #[arg(long)]
    stdin_filename: Option<String>,
    /// 只输出每条规则的问题数
    #[arg(long)]
    statistics: bool,
    /// 有问题也以状态 0 退出（无法检查时仍为 2）
    #[arg(long)]
    exit_zero: bool,
    /// 警告也视为失败（退出状态 1）
    #[arg(long)]
    strict: bool,
    /// 只输出问题，不输出汇总
    #[arg(long, short)]
    quiet: bool,
    /// 自动修复可安全修复的问题，直接改写文件（标准输入则把修复后的文本写到标准输出）
    #[arg(long)]
    fix: bool,
    /// 以统一差异格式显示修复内容，不改动文件
    #[arg(long)]
    diff: bool,
    /// 同时应用不安全的修复（可能改变文意，请逐一核对）
    #[arg(long)]
    unsafe_fixes: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum CompileTo {
    Json,
    Yaml,
}

#[derive(clap::Args)]
struct CompileArgs {
    /// 文件；“-” 或省略时读标准输入
    path: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = CompileTo::Json)]
    to: CompileTo,
    #[arg(long, default_value = schema::DEFAULT)]
    schema: String,
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    #[arg(long)]
    stdin_filename: Option<String>,
    /// 在 matches 中列出匹配依据（标题用词、位置、正文关键词）
    #[arg(long)]
    explain_matches: bool,
    /// 文本文件的编码（默认自动识别）
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<Encoding>,
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::parse(s).ok_or_else(|| format!("不支持的编码“{s}”；可用：{}", Encoding::NAMES))
}

/// Exit statuses (DESIGN.md contract).
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

fn main() -> ExitCode {
    // Like other Unix filters, stop quietly when the reader of our output
    // goes away (`gongwen check … | head`) instead of panicking on a
    // broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any
    // thread is started; no other code depends on SIGPIPE being ignored.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(a) => run_check(a),
        Command::Compile(a) => run_compile(a),
        Command::Rules { format, lang } => run_rules(format, lang.into()),
        Command::Explain { code } => run_explain(&code),
        Command::Schemas => run_schemas(),
        Command::Lsp => match gongwen::lsp::run_stdio() {
            Ok(gongwen::lsp::Exit::Clean) => EXIT_OK,
            Ok(gongwen::lsp::Exit::Abrupt) => EXIT_FINDINGS,
            Err(e) => {
                eprintln!("gongwen lsp: {e}");
                EXIT_TROUBLE
            }
        },
        Command::Config(a) => run_config(a),
    };
    ExitCode::from(code)
}

/// Print a miette-rendered error to stderr.
fn report_error(err: impl miette::Diagnostic + Send + Sync + 'static) {
    let report = miette::Report::new(err);
    eprintln!("{report:?}");
}

fn load_schema(id: &str) -> Result<Schema, u8> {
    schema::resolve(id).map_err(|e| {
        report_error(e);
        EXIT_TROUBLE
    })
}

fn read_source(
    path: &Path,
    stdin_name: Option<&str>,
    encoding: Option<Encoding>,
) -> Result<Source, InputError> {
    if path.as_os_str() == "-" {
        let name = stdin_name.unwrap_or("-").to_string();
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| InputError::Io {
                name: name.clone(),
                source,
            })?;
        return Source::decode_with(name, &bytes, encoding);
    }
    Source::read(path, encoding)
}

fn config_choice(config: Option<PathBuf>, no_config: bool) -> ConfigChoice {
    match (config, no_config) {
        (Some(f), _) => ConfigChoice::File(f),
        (None, true) => ConfigChoice::Off,
        (None, false) => ConfigChoice::Discover,
    }
}

fn run_check(a: CheckArgs) -> u8 {
    let overrides = Overrides {
        schema: a.schema.clone(),
        select: a.select.clone(),
        ignore: a.ignore.clone(),
        lang: a.lang.map(Lang::from),
    };
    let mut lang = overrides.lang.unwrap_or_default();
    let mut resolver =
        match batch::Resolver::new(config_choice(a.config.clone(), a.no_config), &overrides) {
            Ok(r) => r,
            Err(e) => {
                eprint!("{}", e.render(lang));
                return EXIT_TROUBLE;
            }
        };
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.paths.clone()
    };
    let (inputs, errors) = batch::plan(&paths, a.stdin_filename.as_deref(), &mut resolver);
    for e in &errors {
        eprint!("{}", e.render(lang));
    }
    if overrides.lang.is_none()
        && let Some(first) = inputs.first()
    {
        // The summary speaks the configuration's language.
        lang = first.settings(&overrides).lang;
    }
    let format = a.format.unwrap_or(Format::Human);
    let stdout_tty = std::io::stdout().is_terminal();
    let opts = RunOptions {
        format,
        render: render::Options {
            lang,
            color: stdout_tty && std::env::var_os("NO_COLOR").is_none(),
            width: terminal_width(),
        },
        overrides,
        statistics: a.statistics,
        // Small chunks keep a chunk's renderings (~0.7 MB of JSON on the
        // corpus) in cache until they are written, and the allocator
        // reuses their memory before returning it to the system: 256 made
        // ~3,400 page faults on the corpus, 32 makes ~1,000.
        chunk: 32,
        encoding: a.encoding,
    };
    if a.fix || a.diff {
        return run_fix(&a, &inputs, &opts, errors.len(), lang);
    }
    let progress = Progress::new(inputs.len());
    let out = findings_out();
    let mut summary = match batch::run(&inputs, &opts, out, std::io::stderr(), &progress) {
        Ok(s) => s,
        // A closed pipe (`| head`) is not the tool's fault; other write errors are.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return EXIT_OK,
        Err(e) => {
            eprintln!("gongwen: {e}");
            return EXIT_TROUBLE;
        }
    };
    summary.failed += errors.len();
    if a.statistics {
        print!("{}", summary.statistics(format));
    }
    if !a.quiet {
        let line = summary.line(lang);
        if matches!(format, Format::Human | Format::Short) && !a.statistics {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    summary.exit_code(a.strict, a.exit_zero)
}

/// `--fix` / `--diff` (sequential; files are written back).
fn run_fix(
    a: &CheckArgs,
    inputs: &[batch::Input],
    opts: &RunOptions,
    failed: usize,
    lang: Lang,
) -> u8 {
    let request = batch::FixRequest {
        mode: gongwen::fix::FixMode {
            unsafe_fixes: a.unsafe_fixes,
        },
        diff_only: a.diff,
    };
    let stdin = inputs.iter().any(|i| i.path.as_os_str() == "-");
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut summary, report) = match batch::fix_all(inputs, opts, request, out, std::io::stderr())
    {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return EXIT_OK,
        Err(e) => {
            eprintln!("gongwen: {e}");
            return EXIT_TROUBLE;
        }
    };
    summary.failed += failed;
    if a.diff {
        print!("{}", report.diffs);
        return if summary.failed > 0 {
            EXIT_TROUBLE
        } else if report.diffs.is_empty() {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        };
    }
    if !a.quiet {
        eprintln!("已修复 {} 处 (fixed {})", report.fixed, report.fixed);
    }
    if stdin {
        // The fixed text went to stdout; findings are not mixed into it.
        return if summary.failed > 0 {
            EXIT_TROUBLE
        } else {
            EXIT_OK
        };
    }
    if a.statistics {
        print!("{}", summary.statistics(opts.format));
    }
    if !a.quiet {
        let line = summary.line(lang);
        if matches!(opts.format, Format::Human | Format::Short) && !a.statistics {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    summary.exit_code(a.strict, a.exit_zero)
}

fn run_config(a: ConfigArgs) -> u8 {
    let _ = a.show; // --show is the only action; accepted for clarity.
    let target = a.path.unwrap_or_else(|| PathBuf::from("."));
    let file = if target.is_dir() {
        target.join("report.txt")
    } else {
        target
    };
    let config = match config_choice(a.config, a.no_config) {
        ConfigChoice::File(f) => Config::load(&f).map(Some),
        ConfigChoice::Off => Ok(None),
        ConfigChoice::Discover => Config::discover(file.parent().unwrap_or(Path::new("."))),
    };
    match config {
        Ok(c) => {
            let c = c.unwrap_or_else(|| Config::defaults(Path::new(".")));
            print!("{}", c.show(Some(&file)));
            EXIT_OK
        }
        Err(e) => {
            report_error(e);
            EXIT_TROUBLE
        }
    }
}

fn run_compile(a: CompileArgs) -> u8 {
    let schema = match load_schema(&a.schema) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let path = a.path.unwrap_or_else(|| PathBuf::from("-"));
    let lang: Lang = a.lang.into();
    let src = match read_source(&path, a.stdin_filename.as_deref(), a.encoding) {
        Ok(s) => s,
        Err(e) if lang == Lang::En => {
            eprintln!("error[{}]: {}", e.code(), e.message_en());
            return EXIT_TROUBLE;
        }
        Err(e) => {
            report_error(e);
            return EXIT_TROUBLE;
        }
    };
    let settings = Settings {
        lang,
        ..Default::default()
    };
    let checked = gongwen::check(&src, &schema, &settings);
    let mut v = json::compile(&src, &schema, &checked, lang);
    if a.explain_matches {
        v["matches"] = serde_json::to_value(schema::explain(&checked.matches)).unwrap_or_default();
    }
    let text = match a.to {
        CompileTo::Json => serde_json::to_string_pretty(&v).unwrap_or_default(),
        CompileTo::Yaml => serde_yaml::to_string(&v).unwrap_or_default(),
    };
    println!("{}", text.trim_end());
    if checked
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn run_rules(format: ListFormat, lang: Lang) -> u8 {
    match format {
        ListFormat::Json => {
            let v: Vec<_> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity,
                        "fixable": r.fixable,
                        "status": r.status,
                        "summary": r.summary(lang),
                        "url": gongwen::rules::url(r.code),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        ListFormat::Text => {
            for r in RULES {
                println!(
                    "{:<5} {:<32} {:<8} {:<7} {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    if r.fixable { "fixable" } else { "" },
                    r.summary(lang)
                );
            }
        }
    }
    EXIT_OK
}

fn run_explain(code: &str) -> u8 {
    let code_up = code.to_ascii_uppercase();
    match RULES.iter().find(|r| r.code == code_up || r.name == code) {
        Some(r) => {
            println!("# {} {}", r.code, r.name);
            println!();
            println!("{}", r.summary_zh);
            println!("{}", r.summary_en);
            println!();
            println!(
                "默认级别 (default severity): {}；{}",
                r.severity.as_str(),
                if r.fixable {
                    "可自动修复 (fixable)"
                } else {
                    "不可自动修复 (not fixable)"
                }
            );
            println!();
            print!("{}", r.doc());
            EXIT_OK
        }
        None => {
            eprintln!(
                "错误：没有规则“{code}”；运行 gongwen rules 查看全部规则 (unknown rule code)"
            );
            EXIT_TROUBLE
        }
    }
}

fn run_schemas() -> u8 {
    for (id, yaml) in schema::BUILTIN {
        match schema::parse(id, yaml) {
            Ok(s) => println!("{:<24} {}", s.id, s.name),
            Err(e) => {
                report_error(e);
                return EXIT_TROUBLE;
            }
        }
    }
    EXIT_OK
}

/// The width for human output: `COLUMNS` when set, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Where a check run writes its findings. On Unix: standard output's file
/// descriptor duplicated into a `File`, behind a buffer; std's `stdout()`
/// is line-buffered, which turned each file's pretty JSON into several
/// writes, and now a chunk of files goes out in one vectored write.
fn findings_out() -> Box<dyn std::io::Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::io::BufWriter::new(std::fs::File::from(fd)));
        }
    }
    Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
}
