//! The rule pages under `docs/rules/`: `docs/rules/CODE.md` for every code
//! (the target of [`rules::url`](crate::rules::url) and of the JSON `url`
//! field) and an index `docs/rules/README.md`, generated from the registry
//! and each rule's `//!` documentation.
//!
//! `cargo test render_rule_docs` fails when a page is stale or missing;
//! `GONGWEN_UPDATE_DOCS=1 cargo test render_rule_docs` rewrites them.

use std::path::Path;

use crate::rules::{RULES, RuleMeta, Status};

const FOOTER: &str = "<!-- Generated from the registry and the rule's `//!` documentation \
(`GONGWEN_UPDATE_DOCS=1 cargo test render_rule_docs`); do not edit by hand. -->\n";

/// The page of one rule.
pub fn rule_page(r: &RuleMeta) -> String {
    let yes_no = |b: bool| if b { "是 (yes)" } else { "否 (no)" };
    let status = match r.status {
        Status::Stable => "stable",
        Status::Preview => "preview",
    };
    let mut doc = r.doc();
    if !doc.ends_with('\n') {
        doc.push('\n');
    }
    format!(
        "# {code} {name}\n\n{zh}\n\n*{en}*\n\n\
         | | |\n|---|---|\n\
         | 默认级别 (default severity) | {sev} |\n\
         | 可自动修复 (fixable) | {fix} |\n\
         | 状态 (status) | {status} |\n\
         | 源文件 (source) | [`src/rules/{file}`](../../src/rules/{file}) |\n\n\
         {doc}\n{FOOTER}",
        code = r.code,
        name = r.name,
        zh = r.summary_zh,
        en = r.summary_en,
        sev = r.severity.as_str(),
        fix = yes_no(r.fixable),
        file = r.file,
    )
}

/// The index of every rule.
pub fn index_page() -> String {
    let mut s = String::from(
        "# gongwen 规则 (rules)\n\n\
         `gongwen rules` lists them and `gongwen explain CODE` prints a page.\n\n\
         | 代码 (code) | 名称 (name) | 级别 (severity) | 可修复 (fixable) | 说明 (summary) |\n\
         |---|---|---|---|---|\n",
    );
    for r in RULES {
        s.push_str(&format!(
            "| [{code}]({code}.md) | {name} | {sev} | {fix} | {zh} |\n",
            code = r.code,
            name = r.name,
            sev = r.severity.as_str(),
            fix = if r.fixable { "✓" } else { "" },
            zh = r.summary_zh,
        ));
    }
    s.push('\n');
    s.push_str(FOOTER);
    s
}

/// Every generated page: (file name, content).
pub fn pages() -> Vec<(String, String)> {
    let mut v: Vec<_> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.code), rule_page(r)))
        .collect();
    v.push(("README.md".to_string(), index_page()));
    v
}

/// Compare `dir` with the generated pages: the names of pages that are
/// stale, missing, or left over from a code that no longer exists.
pub fn stale(dir: &Path) -> Vec<String> {
    let pages = pages();
    let mut bad = Vec::new();
    for (name, content) in &pages {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(c) if c == *content => {}
            Ok(_) => bad.push(format!("{name} (stale)")),
            Err(_) => bad.push(format!("{name} (missing)")),
        }
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut extra: Vec<String> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && !pages.iter().any(|(p, _)| p == n))
            .collect();
        extra.sort();
        bad.extend(extra.into_iter().map(|n| format!("{n} (no such rule)")));
    }
    bad
}

/// Write every page into `dir` and delete pages of codes that no longer exist.
pub fn write(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let pages = pages();
    for (name, content) in &pages {
        std::fs::write(dir.join(name), content)?;
    }
    for e in std::fs::read_dir(dir)?.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.ends_with(".md") && !pages.iter().any(|(p, _)| *p == n) {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}
