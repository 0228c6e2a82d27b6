//! `gongwen.toml`: schema, selection, severity overrides, per-path ignores,
//! accepted exceptions, and errors at their line and column.

use std::path::Path;
use std::process::Command;

use gongwen::config::{Config, ConfigError};
use gongwen::diagnostic::{Lang, Severity};
use gongwen::schema;
use gongwen::source::Source;
use miette::{GraphicalReportHandler, GraphicalTheme};

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn parse(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = format!(
        "tests/fixtures/config/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    Config::parse(&name, &text, Path::new("/县"))
}

fn rendered(e: &ConfigError) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

#[test]
fn config_errors_are_reported_at_their_place() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/config/*.toml", |path| {
            let name = path.file_name().unwrap().to_string_lossy();
            match parse(path) {
                Ok(_) => assert!(name.starts_with("valid"), "{name} should fail"),
                Err(e) => {
                    assert!(!name.starts_with("valid"), "{name}: {e}");
                    insta::assert_snapshot!(rendered(&e));
                }
            }
        });
    });
}

#[test]
fn config_typo_key_is_pointed() {
    let Err(ConfigError::Invalid(e)) = parse(Path::new("tests/fixtures/config/typo.toml")) else {
        panic!("a typo must fail");
    };
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.contains("selcet"), "{}", e.message);
    assert!(e.message.contains("“select”"), "{}", e.message);
    let Err(ConfigError::Invalid(e)) = parse(Path::new("tests/fixtures/config/allow-typo.toml"))
    else {
        panic!("a typo must fail");
    };
    assert_eq!(e.line, 3);
    assert!(e.message.contains("“text”"), "{}", e.message);
}

#[test]
fn config_every_bad_value_is_listed() {
    let Err(ConfigError::Invalid(e)) = parse(Path::new("tests/fixtures/config/bad-values.toml"))
    else {
        panic!("bad values must fail");
    };
    let text = std::fs::read_to_string("tests/fixtures/config/bad-values.toml").unwrap();
    let pointed: Vec<&str> = e
        .labels
        .iter()
        .map(|l| &text[l.offset()..l.offset() + l.len()])
        .collect();
    assert_eq!(pointed.len(), 5, "{pointed:?}");
    for needle in ["\"Q7\"", "\"归档/[旧\"", "N099", "\"N01\"", "\"\""] {
        assert!(
            pointed.iter().any(|p| p.contains(needle)),
            "{needle} not pointed at: {pointed:?}"
        );
    }
    assert_eq!((e.line, e.column), (1, 16));
}

const REPORT: &str = "tests/fixtures/render/numbering.txt";

fn check_with(config: &Config, file: &str) -> Vec<(String, Severity, usize)> {
    let src = Source::decode(file, &std::fs::read(REPORT).unwrap()).unwrap();
    let schema = schema::resolve(&config.schema_id()).unwrap();
    let settings = config.settings_for(Path::new(file));
    gongwen::check(&src, &schema, &settings)
        .diagnostics
        .iter()
        .filter(|d| d.code == "N001")
        .map(|d| (d.code.to_string(), d.severity, src.line(d.span.start)))
        .collect()
}

#[test]
fn config_severity_per_path_ignores_and_allow_work() {
    let valid = parse(Path::new("tests/fixtures/config/valid.toml")).unwrap();
    let defaults = Config::defaults(Path::new("/县"));
    let before = check_with(&defaults, "/县/乡镇/a.txt");
    assert!(before.len() >= 3, "{before:?}");
    assert!(before.iter().all(|(_, s, _)| *s == Severity::Error));
    // Line 6 is 「（二）强化执法监督」: the accepted exception.
    assert!(before.iter().any(|(_, _, l)| *l == 6));

    let after = check_with(&valid, "/县/乡镇/a.txt");
    let expected: Vec<_> = before
        .iter()
        .filter(|(_, _, l)| *l != 6)
        .map(|(c, _, l)| (c.clone(), Severity::Warning, *l))
        .collect();
    assert_eq!(after, expected);
    // Per-path ignores: nothing of N under 草稿/.
    assert!(check_with(&valid, "/县/草稿/a.txt").is_empty());
    let settings = valid.settings_for(Path::new("/县/乡镇/a.txt"));
    assert_eq!(settings.lang, Lang::En);
    assert!(valid.is_excluded(Path::new("/县/归档/2023.txt")));
    assert!(!valid.is_excluded(Path::new("/县/乡镇/2023.txt")));
}

#[test]
fn config_is_found_upward_and_cli_flags_choose() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("乡镇/东镇")).unwrap();
    std::fs::write(
        d.join("gongwen.toml"),
        "lang = \"en\"\nselect = [\"N001\"]\n[severity]\nN001 = \"warning\"\n",
    )
    .unwrap();
    let report = d.join("乡镇/东镇/报告.txt");
    std::fs::copy(REPORT, &report).unwrap();

    let (settings, schema_id) = gongwen::config::settings_for(&report).unwrap();
    assert_eq!(settings.severity.get("N001"), Some(&Severity::Warning));
    assert_eq!(schema_id, schema::DEFAULT);

    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("check")
            .args(["--format", "short"])
            .args(args)
            .arg(&report)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = run(&[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(": warning[N001] "), "{out}");
    assert!(out.contains("checked 1 files"), "{out}");
    let (code, out) = run(&["--no-config"]);
    assert_eq!(code, Some(1));
    assert!(out.contains(": error[N001] "), "{out}");
    // --lang on the command line wins over the file.
    let (_, out) = run(&["--lang", "zh"]);
    assert!(out.contains("检查了 1 个文件"), "{out}");

    // A broken configuration named with --config: exit 2, the place on stderr.
    let bad = d.join("bad.toml");
    std::fs::write(&bad, "lang = \"en\"\nselcet = [\"N\"]\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("check")
        .arg("--config")
        .arg(&bad)
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("第 2 行第 1 列"), "{err}");
    assert!(err.contains("select"), "{err}");

    // The same typo in a discovered file: every file under it is exit 2.
    std::fs::copy(&bad, d.join("乡镇/gongwen.toml")).unwrap();
    let (code, _) = run(&[]);
    assert_eq!(code, Some(2));
}

#[test]
fn config_show_prints_the_effective_settings() {
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args([
            "config",
            "--show",
            "--config",
            "tests/fixtures/config/valid.toml",
        ])
        .arg("tests/fixtures/config/草稿/a.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // The rule lists grow with the registry: checked here, not snapshotted.
    let enabled = text
        .lines()
        .find(|l| l.starts_with("enabled-rules = "))
        .unwrap();
    assert!(
        !enabled.contains("N001"),
        "N ignored under 草稿/: {enabled}"
    );
    assert!(enabled.contains("F004") || !text.contains("F004"));
    let mut stable = String::new();
    let mut in_severity = false;
    for l in text.lines() {
        if l.starts_with('[') {
            in_severity = l == "[severity]";
        }
        if !in_severity && !l.starts_with("enabled-rules = ") {
            stable.push_str(l);
            stable.push('\n');
        }
    }
    assert!(!text.contains("N001 = "), "no severity for an ignored rule");
    snapshot_settings().bind(|| insta::assert_snapshot!(stable));
}
