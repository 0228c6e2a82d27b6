//! Output formats of `gongwen check`, snapshot-tested on the same fixtures
//! (`tests/fixtures/render/*.txt`), plus the checks that each format says
//! what its consumers expect: SARIF validates against the 2.1.0 schema,
//! `short` parses back with an errorformat-style regex, JSON positions agree
//! with the text, exit statuses agree across formats.

use std::path::Path;
use std::process::Command;

use gongwen::diagnostic::{Diagnostic, Fix, L10n};
use gongwen::render::{self, Format, Options};
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::{Source, Span};
use serde_json::Value;

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

/// The fixture name as shown in outputs: stable, relative, `/`-separated.
fn name_of(path: &Path) -> String {
    format!(
        "tests/fixtures/render/{}",
        path.file_name().unwrap().to_string_lossy()
    )
}

/// A finding with every part a renderer shows (labels, help, note, basis, a
/// fix), placed on the last 「工作」 (else 「法治」) of the text: deep inside a
/// long paragraph line, or after characters outside the BMP.
fn synthetic(src: &Source) -> Diagnostic {
    let at = src
        .text
        .rfind("工作")
        .or_else(|| src.text.rfind("法治"))
        .expect("fixture has a target");
    let span = Span::new(at, at + "工作".len());
    let first = src.text.find("法治").unwrap_or(0);
    Diagnostic::new("N001", span)
        .message(
            "示例问题：此处用词需核对",
            "sample finding: check this wording",
        )
        .primary_label("此处", "here")
        .label(
            Span::new(first, first + "法治".len()),
            "首次出现",
            "first occurrence",
        )
        .help("请核对原文", "check the original")
        .note("这是测试用的诊断", "a diagnostic made for the test")
        .basis("GB/T 9704—2012 7.3.3")
        .fix(Fix::replace(
            span,
            "事项",
            L10n::new("改为“事项”", "replace with “事项”"),
        ))
}

/// Source and diagnostics of a fixture: what `check` finds plus the
/// synthetic finding, sorted as `check` sorts.
fn checked(path: &Path) -> (Source, Vec<Diagnostic>) {
    let bytes = std::fs::read(path).unwrap();
    let src = Source::decode(name_of(path), &bytes).unwrap();
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    // One rule: the renderers are under test here, not the rules (whose
    // findings would change these snapshots with every rule added).
    let settings = Settings {
        select: vec!["N001".into()],
        ..Default::default()
    };
    let mut diags = gongwen::check(&src, &schema, &settings).diagnostics;
    diags.push(synthetic(&src));
    diags.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    (src, diags)
}

fn render_fixture(format: Format, path: &Path) -> String {
    let (src, diags) = checked(path);
    render::render_all(format, [(&src, diags.as_slice())], Options::default())
}

/// SARIF with what changes whenever a rule is added redacted: the rule
/// table (checked in `render_sarif_rules_carry_their_docs`) and each
/// result's `ruleIndex` (checked in `render_sarif_validates_…`); and the
/// version.
fn sarif_for_snapshot(text: &str) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v["runs"][0]["tool"]["driver"]["rules"] = Value::String("[registry]".into());
    for r in v["runs"][0]["results"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("ruleIndex");
    }
    v["runs"][0]["tool"]["driver"]["version"] = Value::String("[version]".into());
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn render_human() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Human, path));
        });
    });
}

#[test]
fn render_short() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Short, path));
        });
    });
}

#[test]
fn render_json() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Json, path));
        });
    });
}

#[test]
fn render_jsonl() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Jsonl, path));
        });
    });
}

#[test]
fn render_sarif() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(sarif_for_snapshot(&render_fixture(Format::Sarif, path)));
        });
    });
}

#[test]
fn render_github() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Github, path));
        });
    });
}

#[test]
fn render_rdjson() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/render/*.txt", |path| {
            insta::assert_snapshot!(render_fixture(Format::Rdjson, path));
        });
    });
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir("tests/fixtures/render")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// The OASIS SARIF 2.1.0 schema, validating formats (`uri`, …) too.
fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/render/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    // The published schema's `language` patterns have a stray `]`, legal in
    // ECMAScript regexes but refused by Rust's when formats are checked;
    // escaping it keeps the meaning (gongwen does not emit `language`).
    fn fix(v: &mut Value, n: &mut usize) {
        match v {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$".into();
                *n += 1;
            }
            Value::Array(a) => a.iter_mut().for_each(|x| fix(x, n)),
            Value::Object(o) => o.values_mut().for_each(|x| fix(x, n)),
            _ => {}
        }
    }
    let mut n = 0;
    fix(&mut schema, &mut n);
    assert_eq!(n, 2);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn render_sarif_validates_against_the_2_1_0_schema() {
    let validator = sarif_validator();
    // Every fixture at once, as a batch run writes it.
    let all: Vec<(Source, Vec<Diagnostic>)> = fixtures().iter().map(|p| checked(p)).collect();
    let text = render::render_all(
        Format::Sarif,
        all.iter().map(|(s, d)| (s, d.as_slice())),
        Options::default(),
    );
    let log: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    assert_eq!(
        results.len(),
        all.iter().map(|(_, d)| d.len()).sum::<usize>()
    );
    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(!validator.is_valid(&broken));
    let mut broken = log;
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&broken));
}

#[test]
fn render_sarif_rules_carry_their_docs() {
    let log: Value = serde_json::from_str(&render::render_all(
        Format::Sarif,
        std::iter::empty(),
        Options::default(),
    ))
    .unwrap();
    assert!(sarif_validator().is_valid(&log));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), gongwen::rules::RULES.len());
    for (r, meta) in rules.iter().zip(gongwen::rules::RULES) {
        assert_eq!(r["id"], meta.code);
        assert_eq!(r["name"], meta.name);
        assert_eq!(r["help"]["markdown"], meta.doc());
        assert_eq!(r["properties"]["docs"], gongwen::rules::url(meta.code));
        assert!(
            Path::new(&gongwen::rules::url(meta.code)).is_file(),
            "{} has no page",
            meta.code
        );
    }
}

/// The regex of the vim errorformat `%f:%l:%c: %t%*[a-z][%*[A-Z0-9]] %m`,
/// which is also what a VS Code problem matcher uses for `short`.
const ERRORFORMAT: &str = r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info|hint)\[(?P<code>[A-Z][0-9]{3})\] (?P<msg>.+)$";

#[test]
fn render_short_parses_back_with_an_errorformat_regex() {
    let re = regex::Regex::new(ERRORFORMAT).unwrap();
    for path in fixtures() {
        let (src, diags) = checked(&path);
        let text = render::render_all(
            Format::Short,
            [(&src, diags.as_slice())],
            Options::default(),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), diags.len(), "{}", path.display());
        for (line, d) in lines.iter().zip(&diags) {
            let c = re
                .captures(line)
                .unwrap_or_else(|| panic!("unparsable: {line}"));
            let p = src.position(d.span.start);
            assert_eq!(&c["file"], src.name);
            assert_eq!(c["line"].parse::<usize>().unwrap(), p.line);
            // 1-based characters: the text before the column is column-1 chars.
            let col: usize = c["col"].parse().unwrap();
            let line_start = src.index.line_start(p.line - 1);
            assert_eq!(src.text[line_start..d.span.start].chars().count() + 1, col);
            assert_eq!(&c["sev"], d.severity.as_str());
            assert_eq!(&c["code"], d.code);
            assert!(c["msg"].starts_with(d.message.get(Default::default())));
        }
    }
}

#[test]
fn render_json_positions_agree_with_the_text() {
    for path in fixtures() {
        let (src, diags) = checked(&path);
        let text = render::render_all(Format::Json, [(&src, diags.as_slice())], Options::default());
        let items: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(items.len(), diags.len());
        let jsonl = render::render_all(
            Format::Jsonl,
            [(&src, diags.as_slice())],
            Options::default(),
        );
        for ((item, line), d) in items.iter().zip(jsonl.lines()).zip(&diags) {
            assert_eq!(item, &serde_json::from_str::<Value>(line).unwrap());
            for (key, offset) in [("start", d.span.start), ("end", d.span.end)] {
                let pos = &item["range"][key];
                assert_eq!(pos["offset"], offset);
                let line = pos["line"].as_u64().unwrap() as usize;
                let start = src.index.line_start(line - 1);
                let before = &src.text[start..offset];
                assert_eq!(pos["column"], before.chars().count() + 1);
                assert_eq!(pos["utf16"], before.encode_utf16().count());
            }
        }
    }
    // After a character outside the BMP (𠀋) the UTF-16 column runs one
    // ahead of the character column.
    let (src, diags) = checked(Path::new("tests/fixtures/render/crlf-emoji.txt"));
    let last = diags.iter().find(|d| d.fix.is_some()).unwrap();
    let p = src.position(last.span.start);
    assert_eq!(p.utf16, (p.column - 1) + 1);
}

#[test]
fn render_rdjson_columns_are_utf8_bytes() {
    let (src, diags) = checked(Path::new("tests/fixtures/render/crlf-emoji.txt"));
    let text = render::render_all(
        Format::Rdjson,
        [(&src, diags.as_slice())],
        Options::default(),
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    for (item, d) in v["diagnostics"].as_array().unwrap().iter().zip(&diags) {
        let p = src.position(d.span.start);
        let bytes = d.span.start - src.index.line_start(p.line - 1);
        assert_eq!(item["location"]["range"]["start"]["column"], bytes + 1);
    }
}

#[test]
fn render_human_crops_long_lines_around_the_finding() {
    let path = Path::new("tests/fixtures/render/long-paragraph.txt");
    let (src, diags) = checked(path);
    let longest = src.text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest > 1000, "the fixture has a long paragraph line");
    let text = render::render_all(
        Format::Human,
        [(&src, diags.as_slice())],
        Options::default(),
    );
    let width = Options::default().width;
    for line in text.lines() {
        let w: usize = line
            .chars()
            .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
            .sum();
        assert!(w <= width + 4, "line too wide ({w}): {line}");
    }
    // The synthetic finding sits near the end of line 5: its window shows
    // the text around it, and the header keeps the original position.
    let d = diags.iter().find(|d| d.fix.is_some()).unwrap();
    let p = src.position(d.span.start);
    assert!(text.contains(&format!("{}:{}:{}]", src.name, p.line, p.column)));
    let around = &src.text[d.span.start - 12..d.span.end];
    assert!(text.contains(around), "window lacks {around}");
}

fn gongwen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    c.env_remove("NO_COLOR").arg("check").arg("--no-config");
    c
}

#[test]
fn render_exit_status_is_the_same_for_every_format() {
    let formats = [
        "human", "short", "json", "jsonl", "sarif", "github", "rdjson",
    ];
    let errors = "tests/fixtures/render/numbering.txt";
    let clean = "tests/fixtures/render/clean.txt";
    for f in formats {
        let run = |args: &[&str]| {
            gongwen()
                .args(["--format", f])
                .args(args)
                .output()
                .unwrap()
                .status
                .code()
        };
        assert_eq!(run(&[clean]), Some(0), "{f} clean");
        assert_eq!(run(&[errors]), Some(1), "{f} errors");
        assert_eq!(run(&["--exit-zero", errors]), Some(0), "{f} --exit-zero");
        // Warnings fail only with --strict.
        assert_eq!(run(&["--strict", clean]), Some(0), "{f} --strict clean");
        assert_eq!(
            run(&["--exit-zero", "no-such-file.txt"]),
            Some(2),
            "{f} missing"
        );
        assert_eq!(
            run(&[clean, "no-such-file.txt"]),
            Some(2),
            "{f} one missing"
        );
    }
}

#[test]
fn render_strict_fails_on_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gongwen.toml"),
        "select = [\"N001\"]\n[severity]\nN001 = \"warning\"\n",
    )
    .unwrap();
    std::fs::copy(
        "tests/fixtures/render/numbering.txt",
        dir.path().join("a.txt"),
    )
    .unwrap();
    let run = |strict: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongwen"));
        c.arg("check").arg(dir.path().join("a.txt"));
        if strict {
            c.arg("--strict");
        }
        c.output().unwrap().status.code()
    };
    assert_eq!(run(false), Some(0));
    assert_eq!(run(true), Some(1));
}

#[test]
fn render_batch_is_ordered_and_honours_ignore_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["b", "a/deep", "skipped", ".hidden"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    let report = std::fs::read("tests/fixtures/render/numbering.txt").unwrap();
    for f in [
        "b/2.txt",
        "b/1.md",
        "a/deep/x.txt",
        "a/z.txt",
        "skipped/s.txt",
        ".hidden/h.txt",
        "a/notes.doc",
    ] {
        std::fs::write(d.join(f), &report).unwrap();
    }
    std::fs::write(d.join(".gitignore"), "skipped/\n").unwrap();
    let run = || {
        gongwen()
            .args(["--format", "short", "-q"])
            .arg(d)
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut files: Vec<String> = Vec::new();
    for l in text.lines() {
        let f = l.split(':').next().unwrap().to_string();
        if files.last() != Some(&f) {
            files.push(f);
        }
    }
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            Path::new(f)
                .strip_prefix(d)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(rel, ["a/deep/x.txt", "a/z.txt", "b/1.md", "b/2.txt"]);
    // Deterministic: the same bytes every run, whatever the thread timing.
    for _ in 0..3 {
        assert_eq!(String::from_utf8(run().stdout).unwrap(), text);
    }
}

#[test]
fn render_stdin_and_statistics() {
    use std::io::Write;
    let mut child = gongwen()
        .args(["-", "--stdin-filename", "县/报告.txt", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read("tests/fixtures/render/numbering.txt").unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v.is_empty());
    assert!(v.iter().all(|d| d["file"] == "县/报告.txt"));
    // The summary goes to stderr for machine formats.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("检查了 1 个文件"), "{err}");

    let out = gongwen()
        .args(["--statistics", "--format", "json"])
        .args(fixtures())
        .output()
        .unwrap();
    let stats: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let mut expected = std::collections::BTreeMap::<String, u64>::new();
    for p in fixtures() {
        let src = Source::decode("x", &std::fs::read(&p).unwrap()).unwrap();
        for d in gongwen::check(&src, &schema, &Settings::default()).diagnostics {
            *expected.entry(d.code.to_string()).or_default() += 1;
        }
    }
    let got: std::collections::BTreeMap<String, u64> = stats
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap().to_string(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn render_rule_docs_are_current() {
    let dir = Path::new("docs/rules");
    if std::env::var_os("GONGWEN_UPDATE_DOCS").is_some() {
        gongwen::docs::write(dir).unwrap();
    }
    let stale = gongwen::docs::stale(dir);
    assert!(
        stale.is_empty(),
        "docs/rules is out of date: {stale:?}\nrun: GONGWEN_UPDATE_DOCS=1 cargo test render_rule_docs"
    );
}
