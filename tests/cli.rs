//! The binary on hostile and ordinary input: exit statuses (0 no error
//! finding, 1 error findings, 2 could not do the job) and clear messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn gongwen(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gongwen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn cli_binary_input_is_exit_2_with_location() {
    let mut bytes = b"\x89PNG\r\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    let p = temp_file("report.txt", &bytes);
    let out = gongwen(&["check", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("二进制") && err.contains("字节"), "{err}");
}

#[test]
fn cli_invalid_utf8_names_the_line() {
    let p = temp_file("bad.txt", b"\xe4\xb8\x80\xe3\x80\x81ok\n\xff\xfe broken\n");
    let out = gongwen(&["compile", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("第 2 行"), "{err}");
}

#[test]
fn cli_empty_and_blank_files_are_findings() {
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", &b"\n \t\r\n\xe3\x80\x80\n"[..]),
    ] {
        let p = temp_file(name, bytes);
        let out = gongwen(&["check", p.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(text(&out.stdout).contains("E002"), "{name}");
        let out = gongwen(&["compile", p.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["outline"].as_array().unwrap().len(), 0);
        assert_eq!(v["diagnostics"][0]["code"], "E002");
    }
}

#[test]
fn cli_missing_file_is_exit_2() {
    let out = gongwen(&["check", "no/such/report.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/report.txt"));
    let out = gongwen(&["compile", "no/such/report.txt", "--lang", "en"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("cannot read no/such/report.txt"), "{err}");
}

#[test]
fn cli_five_megabyte_single_line() {
    let mut line = "一、".to_string();
    while line.len() < 5 * 1024 * 1024 {
        line.push_str("法治政府建设，依法行政");
    }
    let out = gongwen(&["compile", "-"], Some(line.as_bytes()));
    // 1, not 0, since the schema rules: the "report" has no title (S004).
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["outline"].as_array().unwrap().len(), 1);
}

#[test]
fn cli_compile_contract_fields() {
    let src = "××镇关于2024年度法治政府\n建设情况的报告\n县委、县政府：\n现将有关情况报告如下：\n一、主要举措和成效\n（1）召开会议。会议内容。\n××镇人民政府\n2025年1月20日\n";
    let out = gongwen(
        &["compile", "-", "--stdin-filename", "r.txt"],
        Some(src.as_bytes()),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"], "r.txt");
    assert_eq!(v["schema"], "fazhi-annual-report");
    let doc = &v["document"];
    assert_eq!(
        doc["title"]["text"],
        "××镇关于2024年度法治政府建设情况的报告"
    );
    assert_eq!(doc["title"]["line"], 1);
    assert_eq!(doc["addressee"]["text"], "县委、县政府：");
    assert_eq!(doc["signature"]["organ"], "××镇人民政府");
    assert_eq!(doc["signature"]["date"]["iso"], "2025-01-20");
    let s = &doc["sections"][0];
    assert_eq!(
        (s["depth"].as_u64(), s["rank"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["marker"], "一、");
    assert_eq!(s["ordinal"], 1);
    assert_eq!(s["run_in"], false);
    let c = &s["children"][0];
    assert_eq!(
        (c["depth"].as_u64(), c["rank"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(c["run_in"], true);
    assert_eq!(c["heading"], "召开会议");
    let o = v["outline"].as_array().unwrap();
    assert_eq!(o.len(), 2);
    assert_eq!(o[1]["line"], 6);
    for key in ["depth", "rank", "marker", "ordinal", "heading", "line"] {
        assert!(o[1].get(key).is_some(), "{key}");
    }
    // YAML carries the same document.
    let out = gongwen(&["compile", "-", "--to", "yaml"], Some(src.as_bytes()));
    let y: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(y["outline"][1]["heading"].as_str(), Some("召开会议"));
}

#[test]
fn cli_explain_and_rules() {
    let out = gongwen(&["explain", "N001"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("## What it does"));
    let out = gongwen(&["explain", "X999"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = gongwen(&["rules", "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|r| r["code"] == "N001"));
}
