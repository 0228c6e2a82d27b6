//! The `gongwen` command line. Only argument handling and I/O live here;
//! everything else is the library.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gongwen::diagnostic::{Lang, Severity};
use gongwen::render::{human, json};
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
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Human,
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
    /// 文件或目录（目录递归查找 .txt .md .docx）；“-” 读标准输入
    paths: Vec<PathBuf>,
    /// 文本文件的编码（默认自动识别：UTF-8/UTF-16 带 BOM/GB18030）：utf-8、utf-16le、utf-16be、gb18030
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<Encoding>,
    /// 内置模式的 id 或 YAML 文件路径
    #[arg(long, default_value = schema::DEFAULT)]
    schema: String,
    /// 输出格式（终端上默认 human）
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// 只启用这些规则（逗号分隔的代码或前缀，如 N,P001）
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// 停用这些规则（逗号分隔的代码或前缀）
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// 提示语言
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// 从标准输入读取时使用的文件名
    #[arg(long)]
    stdin_filename: Option<String>,
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

const EXTENSIONS: &[&str] = gongwen::source::REPORT_EXTENSIONS;

/// Expand directories (recursively, sorted) into report files.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|source| InputError::Io {
                name: p.display().to_string(),
                source,
            })?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
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

fn run_check(a: CheckArgs) -> u8 {
    let schema = match load_schema(&a.schema) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let lang: Lang = a.lang.into();
    let settings = Settings {
        select: a.select,
        ignore: a.ignore,
        lang,
        ..Default::default()
    };
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.paths
    };
    let files = match collect(&paths) {
        Ok(f) => f,
        Err(e) => {
            report_error(e);
            return EXIT_TROUBLE;
        }
    };
    let stdout_tty = std::io::stdout().is_terminal();
    let format = a.format.unwrap_or(OutputFormat::Human);
    let mut results = Vec::new();
    let mut trouble = false;
    let fix_mode = gongwen::fix::FixMode {
        unsafe_fixes: a.unsafe_fixes,
    };
    let (mut diffs, mut fixed_count) = (String::new(), 0);
    for f in &files {
        match read_source(f, a.stdin_filename.as_deref(), a.encoding) {
            Ok(src) if a.fix || a.diff => {
                let stdin = f.as_os_str() == "-";
                match gongwen::fix::run(&src, &schema, &settings, fix_mode, a.diff, stdin) {
                    Ok(done) => {
                        if done.word_not_fixed {
                            eprintln!(
                                "提示：{} 是 Word 文件，不会自动修改；请按提示在 Word/WPS 中修改（用 --diff 查看修改内容） (Word files are not rewritten; see --diff)",
                                src.name
                            );
                        }
                        diffs.push_str(&done.diff);
                        fixed_count += done.fixed.applied;
                        results.push((done.source, done.fixed.remaining));
                    }
                    Err(e) => {
                        eprintln!(
                            "错误：无法写回 {}：{e} (cannot write the fixed file)",
                            src.name
                        );
                        trouble = true;
                    }
                }
            }
            Ok(src) => {
                let checked = gongwen::check(&src, &schema, &settings);
                results.push((src, checked.diagnostics));
            }
            Err(e) => {
                report_error(e);
                trouble = true;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if a.diff {
        let _ = write!(out, "{diffs}");
        return if trouble {
            EXIT_TROUBLE
        } else if diffs.is_empty() {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        };
    }
    if a.fix && !a.quiet {
        eprintln!("已修复 {fixed_count} 处 (fixed {fixed_count})");
    }
    if a.fix && paths.iter().any(|p| p.as_os_str() == "-") {
        // The fixed text went to stdout; findings are not mixed into it.
        return if trouble { EXIT_TROUBLE } else { EXIT_OK };
    }
    match format {
        OutputFormat::Json => {
            let v = json::diagnostics(results.iter().map(|(s, d)| (s, d.as_slice())), lang);
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            );
        }
        OutputFormat::Human => {
            let color = stdout_tty && std::env::var_os("NO_COLOR").is_none();
            let opts = human::HumanOptions {
                color,
                lang,
                ..Default::default()
            };
            for (src, diags) in &results {
                let _ = write!(out, "{}", human::render(src, diags, opts));
            }
            if !a.quiet {
                let count = |s: Severity| {
                    results
                        .iter()
                        .flat_map(|(_, d)| d)
                        .filter(|d| d.severity == s)
                        .count()
                };
                let (e, w, i) = (
                    count(Severity::Error),
                    count(Severity::Warning),
                    count(Severity::Info) + count(Severity::Hint),
                );
                let _ = match lang {
                    Lang::Zh => writeln!(
                        out,
                        "检查了 {} 个文件：错误 {e} 个，警告 {w} 个，建议 {i} 个",
                        results.len()
                    ),
                    Lang::En => writeln!(
                        out,
                        "checked {} files: {e} errors, {w} warnings, {i} suggestions",
                        results.len()
                    ),
                };
            }
        }
    }
    if trouble {
        EXIT_TROUBLE
    } else if results
        .iter()
        .flat_map(|(_, d)| d)
        .any(|d| d.severity == Severity::Error)
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn run_compile(a: CompileArgs) -> u8 {
    let schema = match load_schema(&a.schema) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let path = a.path.unwrap_or_else(|| PathBuf::from("-"));
    let src = match read_source(&path, a.stdin_filename.as_deref(), a.encoding) {
        Ok(s) => s,
        Err(e) => {
            report_error(e);
            return EXIT_TROUBLE;
        }
    };
    let lang: Lang = a.lang.into();
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
