//! `--fix`, `--diff` and `--unsafe-fixes`: fixes keep the outline and every
//! Chinese character, reach a fixed point, and write files back in the form
//! they were read.

use std::path::{Path, PathBuf};
use std::process::Command;

use gongwen::diagnostic::{Applicability, Diagnostic};
use gongwen::fix::{self, FixMode};
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::Source;

const CODES: &[&str] = &[
    "C001", "F001", "F002", "F003", "N001", "N002", "N003", "N004", "N005", "P001", "P002", "P003",
    "P004", "P005", "P006",
];

fn settings() -> Settings {
    Settings {
        select: CODES.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn han(s: &str) -> String {
    s.chars().filter(|&c| is_han(c)).collect()
}

/// The outline with what fixes may change taken out: (depth, rank, ordinal,
/// Chinese characters of the heading).
fn outline(src: &Source) -> Vec<(u8, u8, u32, String)> {
    gongwen::syntax::parse(src)
        .document
        .outline()
        .into_iter()
        .map(|e| (e.depth, e.rank, e.ordinal, han(&e.heading)))
        .collect()
}

fn corpus_files() -> Vec<PathBuf> {
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

fn has_safe_fix(d: &Diagnostic) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability == Applicability::Safe)
}

/// `--fix` on every seed and web opening: same outline, every Chinese
/// character still there in order (apart from the names C001 corrects), and
/// nothing left to fix.
#[test]
fn fix_corpus_keeps_outline_and_words() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let mut summary = String::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let src = Source::from_text(name.clone(), text.clone());
        let fixed = fix::fix(&src, &schema, &settings(), FixMode::default());
        let after = Source::from_text(name.clone(), fixed.text.clone());

        assert_eq!(outline(&src), outline(&after), "{name}: outline changed");

        // The Chinese characters of the original, with the document names
        // C001 corrects replaced as its fixes name them.
        let first = gongwen::check(&src, &schema, &settings());
        let mut c001: Vec<_> = first
            .diagnostics
            .iter()
            .filter(|d| d.code == "C001" && has_safe_fix(d))
            .flat_map(|d| d.fix.clone().unwrap().edits)
            .collect();
        c001.sort_by_key(|e| e.span.start);
        let expected = fix::apply_edits(&text, &c001);
        assert_eq!(
            han(&expected),
            han(&fixed.text),
            "{name}: Chinese characters changed"
        );

        let again = gongwen::check(&after, &schema, &settings());
        let left: Vec<_> = again
            .diagnostics
            .iter()
            .filter(|d| has_safe_fix(d))
            .collect();
        assert!(
            left.is_empty(),
            "{name}: still fixable after --fix: {:?}",
            left.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        let second = fix::fix(&after, &schema, &settings(), FixMode::default());
        assert_eq!(
            second.applied, 0,
            "{name}: a second --fix changed something"
        );
        assert_eq!(second.text, fixed.text);

        let mut codes = fixed.applied_codes.clone();
        codes.sort();
        codes.dedup_by(|a, b| a == b);
        summary.push_str(&format!(
            "{name}: {} fixes in {} passes ({})\n",
            fixed.applied,
            fixed.passes,
            codes.join(" ")
        ));
    }
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_snapshot!(summary));
}

/// What `--fix` does to the seeds, as a reviewer reads it.
#[test]
fn fix_seed_diffs() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let mut out = String::new();
    for path in corpus_files()
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("seeds"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = format!("seeds/{}", path.file_name().unwrap().to_string_lossy());
        let src = Source::from_text(name.clone(), text.clone());
        let fixed = fix::fix(&src, &schema, &settings(), FixMode::default());
        out.push_str(&fix::unified_diff(&name, &text, &fixed.text));
    }
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_snapshot!(out));
}

#[test]
fn fix_unsafe_fixes_only_when_asked() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let text = "某乡报告\n一、主要举措\n一是建机制。二强化责任。三是抓落实。\n";
    let src = Source::from_text("t.txt", text);
    let safe = fix::fix(&src, &schema, &settings(), FixMode::default());
    assert_eq!(safe.text, text);
    let all = fix::fix(&src, &schema, &settings(), FixMode { unsafe_fixes: true });
    assert!(all.text.contains("二是强化责任"), "{}", all.text);
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fix-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gongwen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn fix_cli_writes_back_keeping_bom_and_crlf() {
    let original = "\u{feff}某镇2024年报告\r\n一、主要举措\r\n(一)加强领导\r\n全年开展 2023 年度普法活动。\r\n".as_bytes();
    let p = temp_file("bom-crlf.txt", original);
    let path = p.to_str().unwrap();
    let out = gongwen(&["check", "--fix", "--select", "N,F,P", path]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let bytes = std::fs::read(&p).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM kept");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        text,
        "某镇2024年报告\r\n一、主要举措\r\n（一）加强领导\r\n全年开展2023年度普法活动。\r\n"
    );
    // A second run finds nothing left to fix and changes nothing.
    let out2 = gongwen(&["check", "--fix", "--select", "N,F,P", path]);
    assert!(
        String::from_utf8_lossy(&out2.stderr).contains("已修复 0 处"),
        "{out2:?}"
    );
    assert_eq!(std::fs::read(&p).unwrap()[3..], *text.as_bytes());
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn fix_cli_diff_changes_nothing() {
    let original = "某镇报告\n一、主要举措\n1、加强领导，全年召开会议。\n".as_bytes();
    let p = temp_file("diff.txt", original);
    let out = gongwen(&["check", "--diff", p.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("-1、加强领导"), "{stdout}");
    assert!(stdout.contains("+1.加强领导"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&p).unwrap(), original);
}

#[test]
fn fix_cli_stdin_prints_fixed_text() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["check", "--fix", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("某镇报告\n一、主要举措\n**2023**年开展普法5次。\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "某镇报告\n一、主要举措\n2023年开展普法5次。\n"
    );
}

/// Odd input never makes a rule or the fixer panic, and fixing always
/// reaches a fixed point (pseudo-random texts from the characters the rules
/// look at).
#[test]
fn fix_odd_input_never_panics() {
    const ALPHABET: &[&str] = &[
        "一",
        "二",
        "三",
        "是",
        "、",
        "（",
        "）",
        "(",
        ")",
        "《",
        "》",
        "〈",
        "〉",
        "<",
        ">",
        "“",
        "”",
        "‘",
        "’",
        "，",
        ",",
        "。",
        ".",
        ":",
        "：",
        ";",
        "；",
        "?",
        "!",
        "-",
        "—",
        "~",
        "1",
        "2",
        "2021",
        "年",
        "月",
        "**",
        "&nbsp;",
        "&",
        "#",
        "<br>",
        " ",
        "\u{3000}",
        "\u{a0}",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "http://a.cn/",
        "@",
        "x",
        "法治",
        "督查",
        "①",
        "1、",
        "一.",
        "（一）、",
        "签发人",
        "号",
        "〔2023〕",
        "\u{feff}",
        "\u{200b}",
        "𠀀",
        "👍",
    ];
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..400 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let src = Source::from_text("odd.txt", text.clone());
        let fixed = fix::fix(&src, &schema, &settings(), FixMode { unsafe_fixes: true });
        assert!(
            fixed.passes < fix::MAX_PASSES,
            "no fixed point for {text:?}"
        );
        let after = Source::from_text("odd.txt", fixed.text.clone());
        let again = gongwen::check(&after, &schema, &settings());
        assert!(
            !again.diagnostics.iter().any(has_safe_fix),
            "{text:?} → {:?} still has safe fixes: {:?}",
            fixed.text,
            again
                .diagnostics
                .iter()
                .filter(|d| has_safe_fix(d))
                .map(|d| d.code)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn fix_cli_keeps_gb18030() {
    let text = "某镇2024年报告\r\n一、主要举措\r\n1、加强领导,全年召开会议。\r\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let p = temp_file("gb18030.txt", &bytes);
    let out = gongwen(&["check", "--fix", "--select", "N003", p.to_str().unwrap()]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let written = std::fs::read(&p).unwrap();
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&written);
    assert!(!bad);
    assert_eq!(
        decoded,
        "某镇2024年报告\r\n一、主要举措\r\n1.加强领导,全年召开会议。\r\n"
    );
}

/// `--fix` never rewrites a Word file and does not fail on one.
#[test]
fn fix_cli_leaves_word_files_alone() {
    let original = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/inputs/real/python-docx-default.docx"),
    )
    .unwrap();
    let p = temp_file("report.docx", &original);
    let out = gongwen(&["check", "--fix", p.to_str().unwrap()]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    assert_eq!(std::fs::read(&p).unwrap(), original);
}
