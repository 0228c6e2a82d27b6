//! Required-section schema (issue 3): schema loading, heading matching and
//! the S/D diagnostics, on the real corpus and on small fixtures.
//!
//! Snapshots hold the human rendering (miette, no colour, fixed width) of
//! the S and D diagnostics only, so that rules of other families do not
//! change them.

use std::path::Path;

use gongwen::diagnostic::{Diagnostic, Lang};
use gongwen::render::human::{self, HumanOptions};
use gongwen::schema::{self, MatchStatus, Schema};
use gongwen::settings::Settings;
use gongwen::source::Source;
use gongwen::{Checked, check};

fn insta_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn load(path: &Path) -> Source {
    let bytes = std::fs::read(path).unwrap();
    let name = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    Source::decode(name, &bytes).unwrap()
}

fn run(path: &Path, schema: &Schema) -> (Source, Checked) {
    let src = load(path);
    let checked = check(&src, schema, &Settings::default());
    (src, checked)
}

fn schema_family(d: &Diagnostic) -> bool {
    d.code.starts_with('S') || d.code.starts_with('D')
}

fn render(src: &Source, diags: &[Diagnostic], lang: Lang) -> String {
    let opts = HumanOptions {
        lang,
        ..HumanOptions::default()
    };
    let out = human::render(src, diags, opts);
    if out.is_empty() {
        "(no findings)\n".to_string()
    } else {
        out
    }
}

fn codes(c: &Checked) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

fn fazhi() -> Schema {
    schema::resolve(schema::DEFAULT).unwrap()
}

fn seed(n: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/seeds");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
        .unwrap()
}

fn status(c: &Checked, id: &str) -> MatchStatus {
    c.matches.iter().find(|m| m.section == id).unwrap().status
}

// ------------------------------------------------------------ the seeds --

#[test]
fn schema_seeds_human() {
    let schema = fazhi();
    insta_settings().bind(|| {
        insta::glob!("fixtures/corpus/seeds/*.txt", |path| {
            let (src, c) = run(path, &schema);
            let diags: Vec<Diagnostic> = c.diagnostics.into_iter().filter(schema_family).collect();
            insta::assert_snapshot!(render(&src, &diags, Lang::Zh));
        });
    });
}

#[test]
fn schema_seeds_matches() {
    let schema = fazhi();
    insta_settings().bind(|| {
        insta::glob!("fixtures/corpus/seeds/*.txt", |path| {
            let (_, c) = run(path, &schema);
            insta::assert_json_snapshot!(schema::explain(&c.matches));
        });
    });
}

/// The "done when", stated as assertions.
#[test]
fn schema_seed_expectations() {
    let schema = fazhi();
    let s001_for = |c: &Checked, id: &str| {
        let rule = schema.section(id).unwrap();
        c.diagnostics
            .iter()
            .any(|d| d.code == "S001" && d.message.zh.contains(&rule.name))
    };
    let c000 = run(&seed("000"), &schema).1;
    let c001 = run(&seed("001"), &schema).1;
    let c002 = run(&seed("002"), &schema).1;
    let c003 = run(&seed("003"), &schema).1;
    let c004 = run(&seed("004"), &schema).1;

    assert!(s001_for(&c002, "first-responsible"));
    assert!(s001_for(&c003, "first-responsible"));
    assert_eq!(status(&c002, "first-responsible"), MatchStatus::Missing);
    assert_eq!(status(&c003, "first-responsible"), MatchStatus::Missing);
    // 003: 不足 without 原因.
    assert!(
        c003.diagnostics
            .iter()
            .any(|d| d.code == "S002" && d.message.zh.contains("原因"))
    );
    assert_eq!(status(&c003, "shortcomings"), MatchStatus::Partial);
    assert!(codes(&c002).contains(&"S004"));
    for c in [&c000, &c001, &c004] {
        assert!(!codes(c).contains(&"S001"), "{:?}", codes(c));
        for id in [
            "measures",
            "shortcomings",
            "first-responsible",
            "next-year-plan",
        ] {
            assert_eq!(status(c, id), MatchStatus::Present, "{id}");
        }
    }
    for c in [&c000, &c001, &c003] {
        assert!(codes(c).contains(&"S006"), "{:?}", codes(c));
        assert!(codes(c).contains(&"D001"), "{:?}", codes(c));
    }
    for (c, iso, organ) in [
        (&c002, "2025-01-20", "吴忠市红寺堡区红寺堡镇人民政府"),
        (&c004, "2023-12-01", "米易县攀莲镇人民政府"),
    ] {
        let sig = c.document.signature.as_ref().unwrap();
        assert_eq!(sig.organ.as_deref(), Some(organ));
        assert_eq!(sig.date.as_ref().unwrap().iso.as_deref(), Some(iso));
        assert!(!codes(c).contains(&"S006"));
        assert!(!codes(c).contains(&"D001"));
    }
}

#[test]
fn schema_seed_english() {
    let schema = fazhi();
    let (src, c) = run(&seed("002"), &schema);
    let diags: Vec<Diagnostic> = c.diagnostics.into_iter().filter(schema_family).collect();
    insta_settings().bind(|| {
        insta::assert_snapshot!("schema_seed_english_002", render(&src, &diags, Lang::En));
    });
}

// ------------------------------------------------------ the web openings --

#[test]
fn schema_web_openings_human() {
    let schema = fazhi();
    insta_settings().bind(|| {
        insta::glob!("fixtures/corpus/web/[0-9][0-9][0-9].txt", |path| {
            let (src, c) = run(path, &schema);
            let diags: Vec<Diagnostic> = c.diagnostics.into_iter().filter(schema_family).collect();
            insta::assert_snapshot!(render(&src, &diags, Lang::Zh));
        });
    });
}

#[test]
fn schema_xxgk_openings_human() {
    let schema = schema::resolve("xxgk-annual-report").unwrap();
    insta_settings().bind(|| {
        insta::glob!("fixtures/corpus/web-xxgk/[0-9][0-9][0-9].txt", |path| {
            let (src, c) = run(path, &schema);
            let diags: Vec<Diagnostic> = c.diagnostics.into_iter().filter(schema_family).collect();
            insta::assert_snapshot!(render(&src, &diags, Lang::Zh));
        });
    });
}

/// The openings are cut off: what follows the cut is not reported missing
/// part by part; S007 says once that the text is incomplete.
#[test]
fn schema_web_openings_no_missing_part_noise() {
    let schema = fazhi();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/web");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with(".source.txt") {
            continue;
        }
        let (_, c) = run(&p, &schema);
        let cs = codes(&c);
        for code in ["S001", "S006", "D001"] {
            assert!(!cs.contains(&code), "{}: {code}", p.display());
        }
        assert!(cs.contains(&"S007"), "{}", p.display());
        assert_eq!(
            status(&c, "measures"),
            MatchStatus::Present,
            "{}",
            p.display()
        );
        n += 1;
    }
    assert!(n >= 15);
}

/// web/031 has 第一责任人 as （三） inside 一; web/019 misspells 推进 as 推荐;
/// web/027 is in Traditional characters.
#[test]
fn schema_web_matching_cases() {
    let schema = fazhi();
    let web = |n: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/corpus/web/{n}.txt"))
    };
    let c031 = run(&web("031"), &schema).1;
    let m = c031
        .matches
        .iter()
        .find(|m| m.section == "first-responsible")
        .unwrap();
    assert_eq!(m.status, MatchStatus::Present);
    assert_eq!(m.found[0].depth, 2);
    let c019 = run(&web("019"), &schema).1;
    assert_eq!(status(&c019, "shortcomings"), MatchStatus::Present);
    assert_eq!(status(&c019, "first-responsible"), MatchStatus::Present);
    let c027 = run(&web("027"), &schema).1;
    assert_eq!(status(&c027, "measures"), MatchStatus::Present);
    assert!(!codes(&c027).contains(&"S005"));
}

// ------------------------------------------------------ rule fixtures --

/// `tests/fixtures/rules/<CODE>/trigger-*.txt` must get the code,
/// `silent-*.txt` must not.
#[test]
fn schema_rule_fixtures() {
    let schema = fazhi();
    insta_settings().bind(|| {
        insta::glob!("fixtures/rules/[SD]00[0-9]/*.txt", |path| {
            let code = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let (src, c) = run(path, &schema);
            let diags: Vec<Diagnostic> = c
                .diagnostics
                .into_iter()
                .filter(|d| d.code == code)
                .collect();
            if file.starts_with("trigger") {
                assert!(!diags.is_empty(), "{code} silent on {file}");
            } else {
                assert!(diags.is_empty(), "{code} fired on {file}");
            }
            insta::assert_snapshot!(render(&src, &diags, Lang::Zh));
        });
    });
}

#[test]
fn schema_d002_fix_gives_standard_date() {
    let schema = fazhi();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/D002");
    for name in [
        "trigger-padded.txt",
        "trigger-dotted.txt",
        "trigger-chinese-numerals.txt",
    ] {
        let (src, c) = run(&dir.join(name), &schema);
        let d = c.diagnostics.iter().find(|d| d.code == "D002").unwrap();
        let fix = d.fix.as_ref().unwrap();
        let mut text = src.text.clone();
        for e in fix.edits.iter().rev() {
            text.replace_range(e.span.range(), &e.replacement);
        }
        assert!(text.ends_with("××镇人民政府\n2025年1月20日\n"), "{name}");
        let again = check(
            &Source::from_text("x.txt", &text),
            &schema,
            &Settings::default(),
        );
        assert!(!again.diagnostics.iter().any(|d| d.code == "D002"));
    }
    let (_, c) = run(&dir.join("trigger-no-such-day.txt"), &schema);
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "D002" && d.fix.is_none())
    );
}

// ------------------------------------------------------ schema files --

#[test]
fn schema_builtins_load() {
    assert_eq!(schema::BUILTIN.len(), 2);
    for (id, yaml) in schema::BUILTIN {
        let s = schema::parse(id, yaml).unwrap();
        assert_eq!(&s.id, id);
        // The cached parse (what `resolve` and S005 use) is the same schema.
        let fresh = serde_json::to_string(&s).unwrap();
        let cached = schema::builtin(id).unwrap();
        assert_eq!(serde_json::to_string(cached).unwrap(), fresh);
        let resolved = schema::resolve(id).unwrap();
        assert_eq!(serde_json::to_string(&resolved).unwrap(), fresh);
    }
    assert!(schema::builtin("no-such-schema").is_none());
    assert_eq!(schema::builtins().len(), schema::BUILTIN.len());
    let ids: Vec<String> = fazhi().sections.into_iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "measures",
            "shortcomings",
            "first-responsible",
            "next-year-plan",
            "other-matters"
        ]
    );
    let x = schema::resolve("xxgk-annual-report").unwrap();
    assert_eq!(x.sections.len(), 6);
    assert!(!fazhi().section("other-matters").unwrap().required);
}

#[test]
fn schema_broken_files() {
    insta_settings().bind(|| {
        insta::glob!("fixtures/schemas/err-*.yaml", |path| {
            let name = format!(
                "tests/fixtures/schemas/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            let yaml = std::fs::read_to_string(path).unwrap();
            let err = schema::parse(&name, &yaml).unwrap_err();
            match &err {
                schema::SchemaError::Invalid(e) => {
                    assert!(e.line > 0 && e.column > 0, "{name}: no position");
                    assert!(e.at.is_some());
                }
                other => panic!("{name}: {other:?}"),
            }
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .with_links(false)
                .render_report(&mut out, &err)
                .unwrap();
            insta::assert_snapshot!(out);
        });
    });
}

#[test]
fn schema_user_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas");
    let s = schema::resolve(dir.join("ok-work-summary.yaml").to_str().unwrap()).unwrap();
    assert_eq!(s.id, "work-summary");
    let (src, c) = run(&dir.join("ok-work-summary.txt"), &s);
    assert!(c.matches.iter().all(|m| m.status != MatchStatus::Missing));
    let diags: Vec<Diagnostic> = c.diagnostics.into_iter().filter(schema_family).collect();
    let cs: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert!(cs.contains(&"S002"), "{cs:?}");
    assert!(cs.contains(&"D003"), "{cs:?}");
    assert!(cs.contains(&"D004"), "{cs:?}");
    insta_settings().bind(|| {
        insta::assert_snapshot!("schema_user_file", render(&src, &diags, Lang::Zh));
    });
}

// ------------------------------------------------------------- the CLI --

fn gongwen(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn schema_cli_broken_schema_exits_2() {
    let out = gongwen(&[
        "check",
        "--schema",
        "tests/fixtures/schemas/err-unknown-key.yaml",
        "tests/fixtures/rules/S004/silent-title.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 6 行第 5 列"), "{err}");
    assert!(err.contains("synonym"), "{err}");
}

#[test]
fn schema_cli_lists_schemas() {
    let out = gongwen(&["schemas"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fazhi-annual-report"));
    assert!(text.contains("xxgk-annual-report"));
}

#[test]
fn schema_cli_explain_matches() {
    let path = "tests/fixtures/rules/S001/silent-thematic-traditional-nested.txt";
    let plain: serde_json::Value =
        serde_json::from_slice(&gongwen(&["compile", path]).stdout).unwrap();
    let explained: serde_json::Value =
        serde_json::from_slice(&gongwen(&["compile", "--explain-matches", path]).stdout).unwrap();
    assert!(plain["matches"][0].get("evidence").is_none());
    let kinds: Vec<&str> = explained["matches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["evidence"].as_array().unwrap())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in ["position", "traditional", "misspelling", "nested", "topic"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert_eq!(explained["matches"][2]["section"], "first-responsible");
    assert_eq!(explained["matches"][2]["status"], "present");
    assert_eq!(explained["matches"][2]["lines"][0], 6);
}

/// Cut the seeds at many lines and inside lines: the schema rules never
/// panic on partial input.
#[test]
fn schema_never_panics_on_cut_text() {
    let schema = fazhi();
    let xxgk = schema::resolve("xxgk-annual-report").unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/seeds");
    for e in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        // Every third line end, and a cut inside a line every ~800 chars.
        let cuts: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| *c == '\n')
            .step_by(3)
            .map(|(i, _)| i)
            .chain(text.char_indices().step_by(797).map(|(i, _)| i))
            .collect();
        for (k, i) in cuts.into_iter().enumerate() {
            let src = Source::from_text("cut.txt", &text[..i]);
            let s = if k % 2 == 0 { &schema } else { &xxgk };
            let _ = check(&src, s, &Settings::default());
        }
    }
}

/// Heading phrasings from real reports and the part each must count as.
#[test]
fn schema_matching_table() {
    let schema = fazhi();
    let cases: &[(&str, &[(&str, &str)])] = &[
        // Combined heading: both parts.
        (
            "××镇2024年法治政府建设情况报告\n一、主要举措和成效\n甲。\n二、存在的不足、原因及下一步打算\n乙。\n",
            &[
                ("measures", "1"),
                ("shortcomings", "3"),
                ("next-year-plan", "3"),
            ],
        ),
        // Short weak labels.
        (
            "××镇2024年法治政府建设情况报告\n一、基本情况\n甲。\n二、存在问题\n乙。\n三、下步打算\n丙。\n四、其他\n无。\n",
            &[
                ("measures", "1"),
                ("shortcomings", "3"),
                ("next-year-plan", "5"),
                ("other-matters", "7"),
            ],
        ),
        // A thematic heading with a weak word is not the 不足 part.
        (
            "××镇2024年法治政府建设情况报告\n一、坚持问题导向，解决群众反映的突出问题\n问题清零，问题整改。\n二、存在的不足和原因\n原因是学习不够。\n",
            &[("measures", "1"), ("shortcomings", "3")],
        ),
        // 工作规划 is not 工作计划.
        (
            "××镇2024年法治政府建设情况报告\n一、科学编制工作规划\n甲。\n",
            &[("measures", "1"), ("next-year-plan", "")],
        ),
        // One slip in a long synonym; Traditional characters.
        (
            "××鎮2024年法治政府建設情況報告\n一、主要舉錯和成效\n甲。\n二、黨政主要負責人履職情況\n乙。\n",
            &[("measures", "1"), ("first-responsible", "3")],
        ),
    ];
    for (text, want) in cases {
        let c = check(
            &Source::from_text("t.txt", *text),
            &schema,
            &Settings::default(),
        );
        for (id, lines) in *want {
            let m = c.matches.iter().find(|m| m.section == *id).unwrap();
            let got: Vec<String> = m.lines.iter().map(|l| (l - 1).to_string()).collect();
            assert_eq!(got.join(","), *lines, "{id} in {text}");
        }
    }
}

/// The xxgk schema: fixed headings, and a per-section severity for S001
/// (六、其他需要报告的事项 missing is a warning, not an error).
#[test]
fn schema_xxgk_complete_report() {
    let schema = schema::resolve("xxgk-annual-report").unwrap();
    let text = "××县人民政府2024年政府信息公开工作年度报告\n\
        一、总体情况\n2024年，我县主动公开政府信息。\n\
        二、主动公开政府信息情况\n见下表。\n\
        三、收到和处理政府信息公开申请情况\n见下表。\n\
        四、政府信息公开行政复议、行政诉讼情况\n见下表。\n\
        五、存在的主要问题及改进情况\n问题是公开不够及时，下一步将加强培训。\n\
        ××县人民政府\n2025年3月20日\n";
    let c = check(
        &Source::from_text("x.txt", text),
        &schema,
        &Settings::default(),
    );
    let s001: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.code == "S001").collect();
    assert_eq!(s001.len(), 1, "{:?}", codes(&c));
    assert!(s001[0].message.zh.contains("其他需要报告的事项"));
    assert_eq!(s001[0].severity, gongwen::diagnostic::Severity::Warning);
    assert!(
        !codes(&c)
            .iter()
            .any(|c| ["S002", "S003", "S004", "S005", "D003", "D004"].contains(c))
    );
    // Dated after 3月31日: late.
    let late = text.replace("2025年3月20日", "2025年4月2日");
    let c = check(
        &Source::from_text("x.txt", late),
        &schema,
        &Settings::default(),
    );
    assert!(codes(&c).contains(&"D004"));
}

#[test]
fn schema_cli_missing_schema_file_exits_2() {
    let out = gongwen(&[
        "check",
        "--schema",
        "tests/fixtures/schemas/no-such-file.yaml",
        "tests/fixtures/rules/S004/silent-title.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = gongwen(&[
        "check",
        "--schema",
        "no-such-schema",
        "tests/fixtures/rules/S004/silent-title.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fazhi-annual-report"));
}
