//! Real inputs: encodings, line endings and Word .docx files (issue 6).
//!
//! Every .docx used here is built at test time from XML: the fixtures under
//! `tests/fixtures/inputs/docx/<name>/` are the parts of a package, and the
//! seeds are converted to .docx with their headings as automatic numbering
//! by [`seed_to_docx`]. Broken packages (corrupt, truncated, encrypted,
//! zip bombs) are made from those bytes.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gongwen::ast::MarkerForm;
use gongwen::diagnostic::Diagnostic;
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::docx::Limits;
use gongwen::source::{Encoding, InputError, LineEnding, Source, encode_like};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn seeds() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixtures().join("corpus/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "the five seeds are there");
    out
}

// ---------------------------------------------------------------- zip/docx

/// A zip archive of `entries` (deflated).
fn zip_bytes(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The package parts every .docx has, around the given word/ parts.
fn package(parts: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let has = |p: &str| parts.iter().any(|(n, _)| n == p);
    let mut out = Vec::new();
    if !has("[Content_Types].xml") {
        out.push((
            "[Content_Types].xml".to_string(),
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                .to_vec(),
        ));
    }
    if !has("_rels/.rels") {
        out.push((
            "_rels/.rels".to_string(),
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                .to_vec(),
        ));
    }
    if !has("word/_rels/document.xml.rels") {
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (i, (ty, target)) in [
            ("styles", "styles.xml"),
            ("numbering", "numbering.xml"),
            ("theme", "theme/theme1.xml"),
        ]
        .iter()
        .enumerate()
        {
            if has(&format!("word/{target}")) {
                rels.push_str(&format!(
                    r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{ty}" Target="{target}"/>"#,
                    i + 1
                ));
            }
        }
        rels.push_str("</Relationships>");
        out.push((
            "word/_rels/document.xml.rels".to_string(),
            rels.into_bytes(),
        ));
    }
    out.extend(parts);
    out
}

/// Zip a fixture folder (its files are the package parts).
fn docx_from_dir(dir: &Path) -> Vec<u8> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut parts = Vec::new();
    walk(dir, dir, &mut parts);
    zip_bytes(&package(parts))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One run: text (tabs become `w:tab`), optional direct east-Asian font.
fn run(text: &str, font: Option<&str>) -> String {
    if text.is_empty() {
        return String::new();
    }
    let rpr = font.map_or(String::new(), |f| {
        format!(r#"<w:rPr><w:rFonts w:eastAsia="{f}"/></w:rPr>"#)
    });
    let mut body = String::new();
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            body.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            body.push_str(&format!(
                r#"<w:t xml:space="preserve">{}</w:t>"#,
                esc(piece)
            ));
        }
    }
    format!("<w:r>{rpr}{body}</w:r>")
}

const SEED_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="H3"><w:name w:val="heading 3"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="H4"><w:name w:val="heading 4"/><w:basedOn w:val="H3"/></w:style>
</w:styles>"#;

const SEED_LEVELS: [(&str, &str); 5] = [
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimal", "（%4）"),
    ("decimalEnclosedCircle", "%5"),
];

fn heading_font(rank: u8) -> &'static str {
    match rank {
        1 => "黑体",
        2 => "楷体_GB2312",
        _ => "仿宋_GB2312",
    }
}

/// A seed as a .docx: one paragraph per line; every standard-form heading
/// marker of rank 1–5 becomes Word automatic numbering (a new `w:num` with
/// a `w:startOverride` where the typed ordinal is not the next one), the
/// title takes the Title style, headings heading styles (or, when body text
/// runs in, a directly formatted run in the heading font).
fn seed_to_docx(text: &str) -> Vec<u8> {
    let src = Source::from_text("seed.txt", text);
    let parsed = gongwen::syntax::parse(&src);
    let doc = &parsed.document;
    let title_lines: Vec<usize> = doc
        .title
        .iter()
        .flat_map(|t| t.lines.iter().map(|l| l.line))
        .collect();
    let mut headings = std::collections::HashMap::new();
    for s in doc.walk() {
        if s.form != MarkerForm::Unnumbered {
            headings.insert(s.line, s);
        }
    }
    let mut nums: Vec<(u8, u32)> = vec![(0, 0)]; // numId 1 = no override
    let mut current_num = 1usize;
    let mut counters: [Option<u32>; 5] = [None; 5];
    let mut body = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let no = i + 1;
        let numbered = headings.get(&no).filter(|s| {
            s.form == MarkerForm::Standard
                && (1..=5).contains(&s.rank)
                && s.marker_span.start == src.index.line_start(s.line - 1)
        });
        if let Some(s) = headings.get(&no).filter(|_| numbered.is_none()) {
            // A heading whose marker stays typed text: styled all the same.
            let line_start = src.index.line_start(s.line - 1);
            let runs = if s.run_in {
                let head_end = s.stop.map_or(s.heading_span.end, |st| st.end) - line_start;
                format!(
                    "{}{}",
                    run(&line[..head_end], Some(heading_font(s.rank))),
                    run(&line[head_end..], None)
                )
            } else {
                run(line, None)
            };
            let style = if s.run_in || s.rank > 4 {
                String::new()
            } else {
                format!(r#"<w:pPr><w:pStyle w:val="H{}"/></w:pPr>"#, s.rank)
            };
            body.push_str(&format!("<w:p>{style}{runs}</w:p>\n"));
        } else if let Some(s) = numbered {
            let ilvl = (s.rank - 1) as usize;
            let next = counters[ilvl].map_or(1, |v| v + 1);
            if next != s.ordinal {
                nums.push((s.rank, s.ordinal));
                current_num = nums.len();
            }
            counters[ilvl] = Some(s.ordinal);
            for c in counters.iter_mut().skip(ilvl + 1) {
                *c = None;
            }
            let line_start = src.index.line_start(s.line - 1);
            let rest = &line[s.marker_span.end - line_start..];
            let numpr = format!(
                r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{current_num}"/></w:numPr>"#
            );
            let runs = if s.run_in {
                let head_end = s.stop.map_or(s.heading_span.end, |st| st.end) - line_start;
                let split = head_end - (s.marker_span.end - line_start);
                format!(
                    "{}{}",
                    run(&rest[..split], Some(heading_font(s.rank))),
                    run(&rest[split..], None)
                )
            } else {
                run(rest, None)
            };
            let style = if s.run_in || s.rank > 4 {
                String::new()
            } else {
                format!(r#"<w:pStyle w:val="H{}"/>"#, s.rank)
            };
            body.push_str(&format!("<w:p><w:pPr>{style}{numpr}</w:pPr>{runs}</w:p>\n"));
        } else if title_lines.contains(&no) {
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{}</w:p>
"#,
                run(line, None)
            ));
        } else {
            body.push_str(&format!("<w:p>{}</w:p>\n", run(line, None)));
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>
{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="7">"#
    );
    for (i, (fmt, text)) in SEED_LEVELS.iter().enumerate() {
        numbering.push_str(&format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>"#
        ));
    }
    numbering.push_str("</w:abstractNum>");
    for (i, (rank, start)) in nums.iter().enumerate() {
        let over = if *rank == 0 {
            String::new()
        } else {
            format!(
                r#"<w:lvlOverride w:ilvl="{}"><w:startOverride w:val="{start}"/></w:lvlOverride>"#,
                rank - 1
            )
        };
        numbering.push_str(&format!(
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="7"/>{over}</w:num>"#,
            i + 1
        ));
    }
    numbering.push_str("</w:numbering>");
    zip_bytes(&package(vec![
        ("word/document.xml".into(), document.into_bytes()),
        ("word/styles.xml".into(), SEED_STYLES.as_bytes().to_vec()),
        ("word/numbering.xml".into(), numbering.into_bytes()),
    ]))
}

// ---------------------------------------------------------------- helpers

fn check(src: &Source) -> Vec<Diagnostic> {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    gongwen::check(src, &schema, &Settings::default()).diagnostics
}

/// What must be equal across encodings: code, line, column, message.
fn findings(src: &Source, diags: &[Diagnostic]) -> Vec<(String, usize, usize, String)> {
    diags
        .iter()
        .map(|d| {
            let p = src.position(d.span.start);
            (
                d.code.to_string(),
                p.line,
                p.column,
                d.message.zh.to_string(),
            )
        })
        .collect()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// The same text in every supported encoding and line ending.
fn variants(text: &str) -> Vec<(&'static str, Vec<u8>, Encoding, LineEnding)> {
    let crlf = text.replace('\n', "\r\n");
    let cr = text.replace('\n', "\r");
    let lf = LineEnding::Lf;
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    vec![
        ("utf-8", text.as_bytes().to_vec(), Encoding::Utf8, lf),
        ("utf-8-bom", bom, Encoding::Utf8, lf),
        ("gb18030", gb18030(text), Encoding::Gb18030, lf),
        (
            "gb18030-crlf",
            gb18030(&crlf),
            Encoding::Gb18030,
            LineEnding::Crlf,
        ),
        ("utf-16le", utf16(text, true), Encoding::Utf16le, lf),
        (
            "utf-16be-crlf",
            utf16(&crlf, false),
            Encoding::Utf16be,
            LineEnding::Crlf,
        ),
        (
            "crlf",
            crlf.clone().into_bytes(),
            Encoding::Utf8,
            LineEnding::Crlf,
        ),
        ("cr", cr.into_bytes(), Encoding::Utf8, LineEnding::Cr),
    ]
}

// ---------------------------------------------------------------- tests

/// The same report in every encoding, line ending and as .docx (headings
/// as automatic numbering) gives the same findings at the same lines and
/// columns, and the .docx's text is the .txt's text.
#[test]
fn input_same_findings_in_every_encoding_and_docx() {
    for (name, text) in seeds() {
        let base = Source::from_text(&name, text.as_str());
        let expected = findings(&base, &check(&base));
        for (label, bytes, enc, ending) in variants(&text) {
            let src = Source::decode_with(format!("{name}.{label}"), &bytes, None)
                .unwrap_or_else(|e| panic!("{name} {label}: {e}"));
            assert_eq!(src.origin.encoding, enc, "{name} {label}");
            assert_eq!(src.origin.line_ending, ending, "{name} {label}");
            assert_eq!(
                findings(&src, &check(&src)),
                expected,
                "{name} as {label} gives other findings"
            );
            // Written back, the bytes are the bytes read.
            assert_eq!(
                encode_like(&src.origin, &src.text).unwrap(),
                bytes,
                "{name} {label}"
            );
        }
        let docx = seed_to_docx(&text);
        let src = Source::decode_with(format!("{name}.docx"), &docx, None).unwrap();
        assert_eq!(src.text, text, "{name}: the .docx text is the .txt text");
        let diags = check(&src);
        let (f004, rest): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.code == "F004");
        assert_eq!(
            findings(&src, &rest),
            expected,
            "{name} as .docx gives other findings"
        );
        assert!(
            f004.is_empty(),
            "{name}: fonts follow GB/T 9704, yet {f004:?}"
        );
        assert!(
            encode_like(&src.origin, &src.text).is_err(),
            "a .docx is never rewritten"
        );
    }
}

/// The .docx seeds have the same outline as their .txt, and every finding
/// names the paragraph that holds it.
#[test]
fn input_docx_seed_outline_and_paragraphs() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    for (name, text) in seeds() {
        let txt = Source::from_text(&name, text.as_str());
        let docx = Source::decode_with(format!("{name}.docx"), &seed_to_docx(&text), None).unwrap();
        let a = gongwen::check(&txt, &schema, &Settings::default());
        let b = gongwen::check(&docx, &schema, &Settings::default());
        let outline = |c: &gongwen::Checked| serde_json::to_value(c.document.outline()).unwrap();
        assert_eq!(outline(&a), outline(&b), "{name}");
        let map = docx.origin.docx.as_ref().unwrap();
        assert_eq!(map.paragraphs.len(), text.split('\n').count(), "{name}");
        for d in &b.diagnostics {
            let p = docx.paragraph_position(d.span.start).unwrap();
            // One line per paragraph: the paragraph is the line, and the
            // paragraph's text holds the flagged text.
            assert_eq!(
                p.paragraph,
                docx.position(d.span.start).line,
                "{name} {}",
                d.code
            );
            let para = &map.paragraphs[p.paragraph - 1];
            assert!(para.span.start <= d.span.start && d.span.end <= para.span.end.max(d.span.end));
            assert_eq!(p.column, docx.position(d.span.start).column);
        }
        let json =
            gongwen::render::json::compile(&docx, &schema, &b, gongwen::diagnostic::Lang::Zh);
        for (o, e) in json["outline"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b.document.outline())
        {
            assert_eq!(o["paragraph"].as_u64(), Some(e.line as u64), "{name}");
        }
    }
}

/// Text a fixture must produce, checked here (not only in a snapshot).
#[test]
fn input_docx_numbering_styles_and_tables() {
    let dir = fixtures().join("inputs/docx");
    let src = Source::decode_with(
        "numbered.docx",
        &docx_from_dir(&dir.join("numbered-headings")),
        None,
    )
    .unwrap();
    let expected = "××镇2024年法治政府建设工作报告
县委、县政府：
　　2024年，我镇深入推进法治政府建设&依法行政。现将有关情况报告如下：
一、主要举措和成效
（一）加强组织领导
成立领导小组。
（二）完善制度机制
1.制定权责清单。
2.开展业务培训
（软回车后的第二行）
二、存在的不足和原因
宣传形式单一。原因是投入不足。
三、下一年度工作安排
（1）加强普法宣传。
四、其他需要报告的情况
①第一项说明。
②第二项说明。
　　特此报告。

××镇人民政府
2025年1月20日";
    assert_eq!(src.text, expected);
    let map = src.origin.docx.as_ref().unwrap();
    // The soft line break keeps one paragraph over two lines.
    let second = src.text.find("（软回车").unwrap();
    let p = src.paragraph_position(second).unwrap();
    // 「2.开展业务培训」 is 8 characters, the soft break the 9th.
    assert_eq!((p.paragraph, p.column), (9, 10));
    assert_eq!(src.position(second).line, 10);
    assert_eq!(src.location(second), "¶9:10");
    assert_eq!(map.paragraphs[3].label.as_ref().unwrap().0, "一、");
    assert_eq!(map.paragraphs[3].style_name.as_deref(), Some("heading 1"));
    let checked = check(&src);
    assert!(
        checked.iter().all(|d| d.code != "F004"),
        "fonts come from styles that follow GB/T 9704: {checked:?}"
    );

    let src = Source::decode_with(
        "t.docx",
        &docx_from_dir(&dir.join("table-and-fields")),
        None,
    )
    .unwrap();
    assert_eq!(
        src.text,
        "一、政府信息公开行政复议情况\n项目\t数量\n收到申请\t（件）\t12\n内嵌\t\t3\n链接文字，72025年1月20日，脚注之后。\n控件内的段落 \t制表符后\n图后文字。<完>"
    );
    let cell = src.text.find("12").unwrap();
    assert_eq!(src.location(cell), "¶6:1");
}

/// Snapshot of what each .docx fixture reads as and what F004 says.
#[test]
fn input_docx_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("fixtures/inputs/docx/*/word/document.xml", |path| {
            let dir = path.parent().unwrap().parent().unwrap();
            let name = format!("{}.docx", dir.file_name().unwrap().to_string_lossy());
            let src = Source::decode_with(name, &docx_from_dir(dir), None).unwrap();
            insta::assert_yaml_snapshot!(docx_report(&src));
        });
    });
}

/// A package written from Word's default template (python-docx's; made by
/// `fixtures/inputs/real/make_python_docx.py`): built-in styles, list
/// numbering from styles, theme fonts, a table.
#[test]
fn input_word_template_docx() {
    let path = fixtures().join("inputs/real/python-docx-default.docx");
    let mut src = Source::read(&path, None).unwrap();
    src.name = "python-docx-default.docx".into();
    assert!(
        src.text
            .starts_with("××县2024年法治政府建设情况报告\n县委、县政府：\n")
    );
    assert!(
        src.text
            .contains("\n1.第一项\n2.第二项\n•要点\n项目\t数量\n申请\t5\n"),
        "{}",
        src.text
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_yaml_snapshot!("input_word_template_docx", docx_report(&src)));
}

/// Paragraphs (style, label, fonts) and findings of a .docx, for snapshots.
fn docx_report(src: &Source) -> serde_json::Value {
    let map = src.origin.docx.as_ref().unwrap();
    let paragraphs: Vec<_> = map
        .paragraphs
        .iter()
        .map(|p| {
            let fonts: Vec<String> = p
                .runs
                .iter()
                .map(|r| {
                    format!(
                        "{}={}",
                        &src.text[r.span.range()],
                        r.east_asia.as_ref().map_or("?", |f| f.name.as_str())
                    )
                })
                .collect();
            serde_json::json!({
                "n": p.number,
                "style": p.style_name,
                "label": p.label.as_ref().map(|l| &l.0),
                "in_table": p.in_table,
                "text": &src.text[p.span.range()],
                "fonts": fonts,
            })
        })
        .collect();
    let diags: Vec<String> = check(src)
        .iter()
        .map(|d| {
            let mut s = format!(
                "{}:{} {} [{}] {}",
                src.name,
                src.location(d.span.start),
                d.code,
                d.severity.as_str(),
                d.message.zh
            );
            for n in &d.notes {
                s.push_str(&format!(" | {}", n.zh));
            }
            s
        })
        .collect();
    serde_json::json!({
        "paragraphs": paragraphs,
        "diagnostics": diags,
    })
}

/// The central directory and local headers of `name` claim `size` bytes
/// uncompressed (a lying zip bomb).
fn patch_sizes(zip: &mut [u8], name: &str, size: u32) {
    let n = name.as_bytes();
    let mut i = 0;
    while i + 46 < zip.len() {
        if zip[i..].starts_with(b"PK\x03\x04") && zip[i + 30..].starts_with(n) {
            zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        }
        if zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(n) {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

/// Set the "encrypted" flag of every entry.
fn flag_encrypted(zip: &mut [u8]) {
    let mut i = 0;
    while i + 10 < zip.len() {
        if zip[i..].starts_with(b"PK\x03\x04") {
            zip[i + 6] |= 1;
        }
        if zip[i..].starts_with(b"PK\x01\x02") {
            zip[i + 8] |= 1;
        }
        i += 1;
    }
}

fn doc_with_body(body: &str) -> Vec<u8> {
    zip_bytes(&package(vec![(
        "word/document.xml".into(),
        format!(r#"<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#)
            .into_bytes(),
    )]))
}

/// Broken and hostile .docx files are clear exit-2 errors, read within
/// bounded time and memory (the time is printed, not asserted).
#[test]
fn input_bad_docx_are_clear_errors() {
    let good = seed_to_docx(&seeds()[0].1);
    let mut cases: Vec<(&str, Vec<u8>, Option<Limits>)> = Vec::new();
    // Damaged in the middle: bytes overwritten inside the compressed data.
    let mut corrupt = good.clone();
    let mid = corrupt.len() / 3;
    for b in &mut corrupt[mid..mid + 64] {
        *b ^= 0x5A;
    }
    cases.push(("corrupt", corrupt, None));
    cases.push(("truncated", good[..good.len() / 2].to_vec(), None));
    cases.push((
        "garbage-after-zip-magic",
        b"PK\x03\x04 this is not a zip at all".to_vec(),
        None,
    ));
    // An encrypted .docx is an OLE compound file with an EncryptionInfo stream.
    let mut cfb = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    cfb.resize(512, 0);
    cfb.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    cfb.resize(2048, 0);
    cases.push(("encrypted", cfb.clone(), None));
    let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    doc.resize(512, 0);
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    cases.push(("old-doc", doc, None));
    let mut zipcrypto = good.clone();
    flag_encrypted(&mut zipcrypto);
    cases.push(("zip-entry-encrypted", zipcrypto, None));
    // A zip bomb: 64 MiB of white space in document.xml (about 64 KiB packed).
    let mut bomb_xml =
        format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>"#).into_bytes();
    bomb_xml.resize(bomb_xml.len() + (64 << 20), b' ');
    bomb_xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    let bomb = zip_bytes(&package(vec![("word/document.xml".into(), bomb_xml)]));
    cases.push(("zip-bomb", bomb.clone(), None));
    // Under the size limit, but packed 1000:1: refused before inflating.
    let mut dense = format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>"#).into_bytes();
    dense.resize(dense.len() + (8 << 20), b' ');
    dense.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    cases.push((
        "zip-bomb-ratio",
        zip_bytes(&package(vec![("word/document.xml".into(), dense)])),
        None,
    ));
    // The same bomb with headers that claim 1000 bytes: stopped while
    // inflating (limits made small so the test stays quick).
    let mut liar = bomb;
    patch_sizes(&mut liar, "word/document.xml", 1000);
    cases.push((
        "zip-bomb-lying-headers",
        liar,
        Some(Limits {
            max_part: 1 << 20,
            max_total: 2 << 20,
            ..Limits::default()
        }),
    ));
    let deep = format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(300),
        "</w:sdtContent></w:sdt>".repeat(300)
    );
    cases.push(("deep-xml", doc_with_body(&deep), None));
    cases.push((
        "bad-xml",
        doc_with_body("<w:p><w:r><w:t>未闭合</w:r></w:p>"),
        None,
    ));
    cases.push((
        "no-document-part",
        zip_bytes(&[("hello.txt".to_string(), b"hi".to_vec())]),
        None,
    ));
    cases.push(("empty", Vec::new(), None));
    let mut report = String::new();
    for (label, bytes, limits) in cases {
        let t = Instant::now();
        let name = format!("{label}.docx");
        let r = match limits {
            Some(l) => Source::from_docx_with(name, Cursor::new(&bytes), l),
            None => Source::decode_with(name, &bytes, None),
        };
        let e = match r {
            Ok(s) => panic!(
                "{label} was read: {:?}",
                s.text.chars().take(40).collect::<String>()
            ),
            Err(e) => e,
        };
        eprintln!("{label}: {:?}", t.elapsed());
        assert!(matches!(e, InputError::Docx { .. }), "{label}: {e:?}");
        assert_eq!(e.code(), "E001");
        report.push_str(&format!("{label}:\n  zh: {e}\n  en: {}\n", e.message_en()));
        if let InputError::Docx { help: Some(h), .. } = &e {
            report.push_str(&format!("  help: {h}\n"));
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    // Byte positions and sizes in damaged data depend on the compressor.
    settings.bind(|| insta::assert_snapshot!("input_bad_docx", redact_long_numbers(&report)));
}

/// Byte positions and sizes (numbers before 「 字节」 or after `byte `,
/// `into `) become `N`: they depend on the compressor.
fn redact_long_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            digits.push(c);
            if chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) {
                continue;
            }
            let after: String = chars[i + 1..].iter().take(14).collect();
            let start = i + 1 - digits.len();
            let before: String = chars[start.saturating_sub(5)..start].iter().collect();
            let volatile = after.starts_with(" 字节")
                || before.ends_with("byte ")
                || before.ends_with("into ")
                || after.starts_with(" bytes packed");
            out.push_str(if volatile { "N" } else { &digits });
            digits.clear();
            continue;
        }
        out.push(c);
    }
    out
}

/// Text that is not text is E001, never mojibake.
#[test]
fn input_undecodable_text_is_an_error() {
    let mut x: u32 = 7;
    let noise: Vec<u8> = (0..2000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((x >> 16) as u8).max(1)
        })
        .collect();
    let high: Vec<u8> = noise.iter().map(|b| b | 0x80).collect();
    let mut utf8_damaged = "一、总体情况\n（一）加强领导\n".as_bytes().to_vec();
    utf8_damaged.push(0xE4); // a character cut off
    utf8_damaged.extend_from_slice("后面的文字".as_bytes());
    let mut odd_utf16 = utf16("一、总体", true);
    odd_utf16.push(0x41);
    let mut lone_surrogate = utf16("甲", false);
    lone_surrogate.extend_from_slice(&[0xD8, 0x00, 0x00, 0x41]);
    let cases: Vec<(&str, Vec<u8>, Option<Encoding>)> = vec![
        ("random-bytes", noise, None),
        ("random-high-bytes", high, None),
        ("damaged-utf8", utf8_damaged, None),
        ("utf16-odd-length", odd_utf16, None),
        ("utf16-lone-surrogate", lone_surrogate, None),
        (
            "gbk-forced-as-utf8",
            gb18030("一、总体情况"),
            Some(Encoding::Utf8),
        ),
        ("nul-in-utf8", b"abc\0def".to_vec(), None),
    ];
    let mut report = String::new();
    for (label, bytes, enc) in cases {
        let e = Source::decode_with(format!("{label}.txt"), &bytes, enc)
            .map(|s| s.text)
            .expect_err(label);
        assert_eq!(e.code(), "E001", "{label}");
        report.push_str(&format!("{label}:\n  zh: {e}\n  en: {}\n", e.message_en()));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("input_undecodable_text", report));
    // Forcing the right encoding reads what detection reads.
    let gb = gb18030("（一）加强领导。\r\n");
    let forced = Source::decode_with("g.txt", &gb, Some(Encoding::Gb18030)).unwrap();
    assert_eq!(forced.text, "（一）加强领导。\r\n");
    assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
    assert_eq!(Encoding::parse("utf_16be"), Some(Encoding::Utf16be));
    assert_eq!(Encoding::parse("latin1"), None);
}

/// Every report of the corpus saved as GB18030 (simplified and
/// traditional characters alike) is detected as GB18030 and reads back.
#[test]
fn input_corpus_in_gb18030_is_detected() {
    let mut n = 0;
    for dir in ["seeds", "web", "web-xxgk"] {
        for e in std::fs::read_dir(fixtures().join("corpus").join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            if text.is_ascii() {
                continue;
            }
            let src = Source::decode_with(p.display().to_string(), &gb18030(&text), None)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(src.origin.encoding, Encoding::Gb18030, "{}", p.display());
            assert_eq!(src.text, text);
            n += 1;
        }
    }
    assert!(n > 20);
}

/// Damaged bytes anywhere in a package (stored, so the XML itself is hit,
/// and deflated) never panic: each read ends in text or a clear error.
#[test]
fn input_mutated_docx_never_panics() {
    let dir = fixtures().join("inputs/docx/numbered-headings");
    let deflated = docx_from_dir(&dir);
    let mut stored_parts = Vec::new();
    for part in ["document.xml", "styles.xml", "numbering.xml"] {
        stored_parts.push((
            format!("word/{part}"),
            std::fs::read(dir.join("word").join(part)).unwrap(),
        ));
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in package(stored_parts) {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&data).unwrap();
    }
    let stored = w.finish().unwrap().into_inner();
    let mut x: u64 = 99;
    let (mut ok, mut err) = (0, 0);
    for base in [&stored, &deflated] {
        for round in 0..300 {
            let mut bytes = base.clone();
            for _ in 0..1 + round % 4 {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let at = (x >> 33) as usize % bytes.len();
                bytes[at] = (x >> 17) as u8;
            }
            match Source::decode_with("m.docx", &bytes, None) {
                Ok(src) => {
                    ok += 1;
                    let _ = check(&src);
                }
                Err(e) => {
                    err += 1;
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }
    // Damaged XML inside an intact zip (CRCs right): the XML reader,
    // numbering and styles see the damage.
    const NASTY: &[u8] = b"<>/\"=&;0123456789 wx:9";
    for round in 0..300 {
        let mut parts = stored_parts_clone(&dir);
        let k = round % parts.len();
        let data = &mut parts[k].1;
        for _ in 0..1 + round % 3 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let at = (x >> 33) as usize % data.len();
            data[at] = NASTY[(x >> 20) as usize % NASTY.len()];
        }
        match Source::decode_with("m.docx", &zip_bytes(&package(parts)), None) {
            Ok(src) => {
                ok += 1;
                let _ = check(&src);
            }
            Err(e) => {
                err += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    eprintln!("mutated packages: {ok} read, {err} refused");
    assert!(ok > 0 && err > 0);
}

fn stored_parts_clone(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["document.xml", "styles.xml", "numbering.xml"]
        .iter()
        .map(|p| {
            (
                format!("word/{p}"),
                std::fs::read(dir.join("word").join(p)).unwrap(),
            )
        })
        .collect()
}

fn gongwen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The command line reads .docx and encodings, finds .docx in folders,
/// puts `paragraph` in JSON, and stops with exit 2 on broken files.
#[test]
fn input_cli_reads_docx_and_encodings() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("input_cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let text = "××镇2024年法治政府建设工作报告\n一、主要举措和成效\n成立领导小组。\n三、存在的不足和原因\n宣传形式单一。\n";
    std::fs::write(dir.join("sub/report.docx"), seed_to_docx(text)).unwrap();
    std::fs::write(
        dir.join("report-gbk.txt"),
        gb18030(&text.replace('\n', "\r\n")),
    )
    .unwrap();
    std::fs::write(dir.join("broken.docx"), b"PK\x03\x04broken").unwrap();

    let docx = dir.join("sub/report.docx");
    let (code, out, err) = gongwen(&["check", "--format", "json", docx.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let n001 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "N001")
        .unwrap();
    assert_eq!(n001["range"]["start"]["line"], 4);
    assert_eq!(n001["range"]["start"]["paragraph"], 4);
    assert_eq!(n001["range"]["start"]["paragraph_column"], 1);

    let gbk = dir.join("report-gbk.txt");
    let (code, out, _) = gongwen(&["check", "--format", "json", gbk.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["range"]["start"]["line"], 4);
    assert!(v[0]["range"]["start"].get("paragraph").is_none());
    let (code, _, err) = gongwen(&["check", "--encoding", "utf-8", gbk.to_str().unwrap()]);
    assert_eq!(code, 2, "forcing the wrong encoding is an error");
    assert!(err.contains("UTF-8"), "{err}");
    let (code, _, err) = gongwen(&["check", "--encoding", "latin9", gbk.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("latin9"), "{err}");

    let (code, out, err) = gongwen(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "a broken file in the folder is exit 2");
    assert!(err.contains("broken.docx") && err.contains("E001"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files.len(),
        2,
        "the .docx in sub/ and the GBK text: {files:?}"
    );

    let (code, out, _) = gongwen(&["compile", docx.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["outline"][1]["paragraph"], 4);
    assert_eq!(v["document"]["sections"][0]["line"], 2);
    assert_eq!(v["document"]["sections"][0]["paragraph"], 2);
}

/// The JSON renderer's hand-written pretty printer and position cursor give
/// the `Value` path's bytes for .docx sources too (with `paragraph` and
/// `paragraph_column` in every position).
#[test]
fn docx_json_rendering_is_the_value_path() {
    use gongwen::render::{self, Format, Options, json};
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let mut paragraphs = 0;
    for (name, text) in seeds() {
        let src =
            Source::from_docx(format!("{name}.docx"), Cursor::new(seed_to_docx(&text))).unwrap();
        let checked = gongwen::check(&src, &schema, &Settings::default());
        let want = checked
            .diagnostics
            .iter()
            .map(|d| {
                let mut v = json::diagnostic(&src, d, gongwen::diagnostic::Lang::Zh);
                v["range"] = json::range(&src, d.span);
                for (i, l) in d.labels.iter().enumerate() {
                    v["labels"][i]["range"] = json::range(&src, l.span);
                }
                if let Some(f) = &d.fix {
                    for (i, e) in f.edits.iter().enumerate() {
                        v["fix"]["edits"][i]["range"] = json::range(&src, e.span);
                    }
                }
                let text = serde_json::to_string_pretty(&v).unwrap();
                format!("  {}", text.replace('\n', "\n  "))
            })
            .collect::<Vec<_>>()
            .join(",\n");
        let got = render::file(Format::Json, &src, &checked.diagnostics, Options::default());
        assert_eq!(got, want, "{name}");
        paragraphs += got.matches("\"paragraph_column\"").count();
    }
    assert!(paragraphs > 0, "positions carry paragraphs");
}
