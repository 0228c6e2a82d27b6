//! Rule fixtures (`tests/fixtures/rules/<CODE>/{trigger,silent}-*.txt`) and
//! the findings of the outline, punctuation and layout rules on the real
//! reports of `tests/fixtures/corpus`.

use std::path::Path;

use gongwen::diagnostic::{Diagnostic, Lang};
use gongwen::render::{human, json};
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::Source;

/// The codes of issue 4 (outline, punctuation, layout, names).
const CODES: &[&str] = &[
    "C001", "F001", "F002", "F003", "N001", "N002", "N003", "N004", "N005", "P001", "P002", "P003",
    "P004", "P005", "P006",
];

fn settings(select: &[&str]) -> Settings {
    Settings {
        select: select.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn check(name: &str, text: &str, select: &[&str]) -> (Source, Vec<Diagnostic>) {
    let src = Source::from_text(name, text);
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let checked = gongwen::check(&src, &schema, &settings(select));
    (src, checked.diagnostics)
}

/// `CODE/file.txt` for a fixture path.
fn fixture_name(path: &Path) -> (String, String) {
    let code = path
        .parent()
        .and_then(|p| p.file_name())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    (code, file)
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn rules_fixtures() {
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/rules/*/*.txt", |path| {
            let (code, file) = fixture_name(path);
            // Other areas keep their rule fixtures here too (S*, D*): theirs.
            if !CODES.contains(&code.as_str()) {
                return;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let (src, diags) = check(&format!("{code}/{file}"), &text, &[code.as_str()]);
            let own: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
            if file.starts_with("trigger") {
                assert!(!own.is_empty(), "{code}/{file} should trigger {code}");
            } else {
                assert!(
                    own.is_empty(),
                    "{code}/{file} must stay silent, got: {:#?}",
                    own.iter().map(|d| &d.message.zh).collect::<Vec<_>>()
                );
            }
            let rendered = human::render(&src, &diags, human::HumanOptions::default());
            let en = human::render(
                &src,
                &diags,
                human::HumanOptions {
                    lang: Lang::En,
                    ..Default::default()
                },
            );
            let js = json::diagnostics(std::iter::once((&src, diags.as_slice())), Lang::Zh);
            insta::assert_snapshot!(format!(
                "{rendered}\n---- en ----\n{en}\n---- json ----\n{}",
                serde_json::to_string_pretty(&js).unwrap()
            ));
        });
    });
}

/// Every rule of the issue has fixtures that trigger it and that keep it
/// silent.
#[test]
fn rules_every_code_has_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for code in CODES {
        let names: Vec<String> = std::fs::read_dir(dir.join(code))
            .unwrap_or_else(|_| panic!("no fixtures for {code}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().any(|n| n.starts_with("trigger")), "{code}");
        assert!(names.iter().any(|n| n.starts_with("silent")), "{code}");
        let meta = gongwen::rules::meta(code).expect("registered");
        let doc = meta.doc();
        for part in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## Basis",
        ] {
            assert!(doc.contains(part), "{code} docs lack {part}");
        }
    }
}

fn corpus_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut out = Vec::new();
    for sub in ["seeds", "web", "web-xxgk"] {
        for e in std::fs::read_dir(root.join(sub)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".txt") && !name.ends_with(".source.txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One line per finding: `line:column code excerpt message`.
fn compact(src: &Source, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let p = src.position(d.span.start);
        let fix = d.fix.as_ref().map_or("-", |f| match f.applicability {
            gongwen::diagnostic::Applicability::Safe => "safe",
            gongwen::diagnostic::Applicability::Unsafe => "unsafe",
        });
        out.push_str(&format!(
            "{}:{} {} [{fix}] {}\n",
            p.line, p.column, d.code, d.message.zh
        ));
    }
    out
}

/// Every finding of the issue's rules on every real report (read and
/// reviewed; see the issue note for the false positives removed).
#[test]
fn rules_corpus_findings() {
    let mut all = String::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let rel = path
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (src, diags) = check(&rel, &text, CODES);
        all.push_str(&format!("== {rel}\n{}", compact(&src, &diags)));
    }
    snapshot_settings().bind(|| insta::assert_snapshot!(all));
}

fn seed(prefix: &str) -> (Source, Vec<Diagnostic>) {
    let path = corpus_files()
        .into_iter()
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with(prefix)
                && p.to_string_lossy().contains("seeds")
        })
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    check("seed.txt", &text, CODES)
}

fn has(src: &Source, diags: &[Diagnostic], code: &str, line: usize, text: &str) -> bool {
    diags.iter().any(|d| {
        d.code == code
            && src.position(d.span.start).line == line
            && src.slice(d.span).contains(text)
    })
}

/// The findings a careful reviewer makes on the five seeds are there.
#[test]
fn rules_seed_findings_a_reviewer_makes() {
    let (s, d) = seed("000");
    assert!(has(&s, &d, "N002", 15, "（1）"), "000: （1） under 四、");
    assert!(has(&s, &d, "C001", 3, "督查"), "000: 督查 for 督察");
    let (s, d) = seed("001");
    assert!(has(&s, &d, "N005", 9, "二"), "001: 二强化");
    let (s, d) = seed("002");
    assert!(
        d.iter().any(|x| x.code == "P001"),
        "002: half-width punctuation"
    );
    assert!(has(&s, &d, "N003", 3, "(一)"));
    let (s, d) = seed("003");
    assert!(has(&s, &d, "N003", 27, "1、"), "003: 1、");
    assert!(has(&s, &d, "P001", 5, ","));
    let (s, d) = seed("004");
    assert!(has(&s, &d, "N004", 21, "(四)"), "004: (四)");
    assert!(has(&s, &d, "F001", 17, "**"), "004: **");
    assert!(has(&s, &d, "P002", 7, "》"), "004: lone 》");
    assert!(has(&s, &d, "P002", 7, "<"), "004: <…> as 书名号");
    for line in [11, 17, 23, 29, 39] {
        assert!(
            d.iter()
                .any(|x| x.code == "F002" && s.position(x.span.start).line == line),
            "004: broken paragraph on line {line}"
        );
    }
}

/// The first ```text block after a heading of a rule's documentation.
fn doc_block(doc: &str, heading: &str) -> Option<String> {
    let rest = &doc[doc.find(heading)? + heading.len()..];
    let start = rest.find("```text\n")? + "```text\n".len();
    let end = rest[start..].find("```")?;
    Some(rest[start..start + end].to_string())
}

/// Every rule's documented example triggers it, and its "Use instead" text
/// does not (the docs are `gongwen explain`, so they must be right). The
/// examples are fragments of a report: they are checked under a title.
#[test]
fn rules_doc_examples_are_right() {
    const TITLE: &str = "某镇2024年法治政府建设工作报告\n现将有关情况报告如下：\n";
    for code in CODES {
        let doc = gongwen::rules::meta(code).unwrap().doc();
        let example = doc_block(&doc, "## Example").unwrap_or_else(|| panic!("{code}: no example"));
        let fixed =
            doc_block(&doc, "## Use instead").unwrap_or_else(|| panic!("{code}: no use-instead"));
        let (example, fixed) = (format!("{TITLE}{example}"), format!("{TITLE}{fixed}"));
        let (_, d) = check("example.txt", &example, &[code]);
        assert!(
            d.iter().any(|x| x.code == *code),
            "{code}: the example does not trigger it"
        );
        let (_, d) = check("use-instead.txt", &fixed, &[code]);
        assert!(
            !d.iter().any(|x| x.code == *code),
            "{code}: “Use instead” still triggers it: {:?}",
            d.iter().map(|x| &x.message.zh).collect::<Vec<_>>()
        );
    }
}

/// `gongwen check` asks the rules for the printed language only
/// (`check_unexplained_in`): in that language every finding must read as
/// the complete one, over every corpus report and rule fixture, under the
/// default and the xxgk schema.
#[test]
fn rules_one_language_findings_are_the_complete_ones() {
    let mut files = corpus_files();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for dir in std::fs::read_dir(rules).unwrap() {
        for e in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    let settings = Settings::default();
    let (mut findings, mut left_empty) = (0, 0);
    for id in [schema::DEFAULT, "xxgk-annual-report"] {
        let schema = schema::resolve(id).unwrap();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let src = Source::from_text(path.display().to_string(), text);
            let complete = gongwen::check_unexplained(&src, &schema, &settings);
            for (lang, other) in [(Lang::Zh, Lang::En), (Lang::En, Lang::Zh)] {
                let one = gongwen::check_unexplained_in(&src, &schema, &settings, lang);
                assert_eq!(
                    one.diagnostics.len(),
                    complete.diagnostics.len(),
                    "{path:?}"
                );
                for (a, b) in one.diagnostics.iter().zip(&complete.diagnostics) {
                    assert_eq!(
                        json::diagnostic(&src, a, lang),
                        json::diagnostic(&src, b, lang),
                        "{path:?} {lang:?}"
                    );
                    findings += 1;
                    left_empty += usize::from(a.message.get(other).is_empty());
                }
            }
        }
    }
    // Both sides found things, and the one-language path skipped texts.
    assert!(findings > 1000, "{findings}");
    assert!(left_empty > 100, "{left_empty}");
}
