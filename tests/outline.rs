//! The foundation's snapshot suite: the outline of every real report in the
//! corpus, the full AST of every grammar-construct fixture, and robustness of
//! the parser on hostile input.

use std::fmt::Write as _;
use std::path::Path;

use gongwen::ast::{Document, Paragraph};
use gongwen::settings::Settings;
use gongwen::source::Source;
use gongwen::{schema, syntax};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn read(path: &Path) -> Source {
    let bytes = std::fs::read(path).unwrap();
    Source::decode(path.file_name().unwrap().to_string_lossy(), &bytes).unwrap()
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// A reader's view of a document: what a person checks against the text.
fn summary(doc: &Document) -> String {
    let mut out = String::new();
    let para = |p: &Paragraph| format!("L{} {}", p.line, clip(&p.text, 24));
    if let Some(n) = &doc.doc_number {
        let num = n.number.as_ref().map_or("", |t| t.text.as_str());
        let signer = n.signer.as_ref().map_or("", |t| t.text.as_str());
        writeln!(out, "发文字号: L{} {num} / 签发人: {signer}", n.line).unwrap();
    }
    match &doc.title {
        Some(t) => writeln!(out, "标题: L{} {} ({} 行)", t.line, t.text, t.lines.len()).unwrap(),
        None => writeln!(out, "标题: (无)").unwrap(),
    }
    match &doc.addressee {
        Some(a) => writeln!(out, "主送机关: L{} {}", a.line, a.text).unwrap(),
        None => writeln!(out, "主送机关: (无)").unwrap(),
    }
    for p in &doc.preamble {
        writeln!(out, "前言: {}", para(p)).unwrap();
    }
    writeln!(out, "提纲:").unwrap();
    for s in doc.walk() {
        let indent = "  ".repeat(s.depth as usize);
        let kind = if s.run_in { " [段中标题]" } else { "" };
        writeln!(
            out,
            "{indent}L{} 深{} 级{} 「{}」#{} {:?} {}{kind} ({} 段)",
            s.line,
            s.depth,
            s.rank,
            s.marker,
            s.ordinal,
            s.form,
            clip(&s.heading, 30),
            s.body.len()
        )
        .unwrap();
    }
    for p in &doc.closing {
        writeln!(out, "结束语: {}", para(p)).unwrap();
    }
    for a in &doc.attachments {
        writeln!(out, "附件: L{} {}", a.line, a.text).unwrap();
    }
    match &doc.signature {
        Some(sig) => {
            let organ = sig.organ.as_ref().map_or("(无)".to_string(), |o| {
                format!("L{} {o}", sig.organ_line.unwrap_or(0))
            });
            let date = sig.date.as_ref().map_or("(无)".to_string(), |d| {
                format!("L{} {} = {:?} {:?}", d.line, d.text, d.iso, d.form)
            });
            writeln!(out, "署名: {organ}\n成文日期: {date}").unwrap();
        }
        None => writeln!(out, "署名: (无)\n成文日期: (无)").unwrap(),
    }
    out
}

#[test]
fn outline_corpus() {
    settings().bind(|| {
        insta::glob!("fixtures/corpus/*/*.txt", |path| {
            if path.to_string_lossy().ends_with(".source.txt") {
                return;
            }
            let src = read(path);
            let parsed = syntax::parse(&src);
            insta::assert_snapshot!(summary(&parsed.document));
        });
    });
}

/// Blanks left at the end of lines (pasted from web pages and Word) change
/// nothing a reader sees: the same title, 主送机关, outline, 署名 and 日期.
/// One stray space after a date line once made the whole report unparseable.
#[test]
fn outline_ignores_trailing_blanks() {
    let mut checked = 0;
    for dir in ["seeds", "web", "web-xxgk"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus")
            .join(dir);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy();
            if !name.ends_with(".txt") || name.ends_with(".source.txt") {
                continue;
            }
            let clean = read(&path);
            let expected = summary(&syntax::parse(&clean).document);
            for blank in [" ", "\u{3000}", "\t ", "\u{a0}"] {
                let text: String = clean
                    .text
                    .lines()
                    .map(|l| format!("{l}{blank}\n"))
                    .collect();
                let padded = Source::from_text("padded.txt", text);
                let got = summary(&syntax::parse(&padded).document);
                assert_eq!(got, expected, "{name} with {blank:?} after every line");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn outline_constructs() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    settings().bind(|| {
        insta::glob!("fixtures/parse/*.txt", |path| {
            let src = read(path);
            let checked = gongwen::check(&src, &schema, &Settings::default());
            let v = gongwen::render::json::compile(&src, &schema, &checked, Default::default());
            insta::assert_yaml_snapshot!(v);
        });
    });
}

/// Every heading's spans slice out exactly its marker and heading text, and
/// every paragraph's span its text: byte spans are right on Chinese text.
#[test]
fn outline_spans_slice_their_text() {
    for dir in [
        "fixtures/corpus/seeds",
        "fixtures/corpus/web",
        "fixtures/parse",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(dir);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".txt") {
                continue;
            }
            let src = read(&path);
            let doc = syntax::parse(&src).document;
            for s in doc.walk() {
                assert_eq!(src.slice(s.marker_span), s.marker, "{}", path.display());
                assert_eq!(src.slice(s.heading_span), s.heading, "{}", path.display());
                assert_eq!(src.line(s.span.start), s.line);
            }
            for p in doc.paragraphs() {
                assert_eq!(src.slice(p.span), p.text);
                assert_eq!(src.line(p.span.start), p.line);
                for e in &p.enumerations {
                    assert_eq!(src.slice(e.span), e.marker);
                }
            }
            if let Some(t) = &doc.title {
                for l in &t.lines {
                    assert_eq!(src.slice(l.span), l.text);
                }
            }
        }
    }
}

/// A tiny deterministic generator, so that the hostile-input tests are
/// repeatable without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Strings built from the characters the grammar cares about, in random
/// order: the parser returns a document and its spans stay on char
/// boundaries, whatever the input.
#[test]
fn outline_random_text_never_panics() {
    let alphabet: Vec<char> = "一二三十（）()、.．，,。 \u{3000}\u{a0}\t\n\r1２是年月日〔〕号附件：:特此报告①⑳-/《》“”甲乙"
        .chars()
        .collect();
    let mut rng = Lcg(7);
    for _ in 0..3000 {
        let len = (rng.next() % 60) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
            .collect();
        let src = Source::from_text("fuzz.txt", s.clone());
        let doc = syntax::parse(&src).document;
        for sec in doc.walk() {
            assert!(s.is_char_boundary(sec.span.start) && s.is_char_boundary(sec.span.end));
            let _ = src.slice(sec.heading_span);
        }
        for p in doc.paragraphs() {
            assert_eq!(src.slice(p.span), p.text);
        }
    }
}

#[test]
fn outline_long_single_line() {
    let line = "法治政府建设，".repeat(5 * 1024 * 1024 / 21);
    let src = Source::from_text("long.txt", line.clone());
    let doc = syntax::parse(&src).document;
    assert_eq!(doc.preamble.len(), 1);
    assert_eq!(doc.preamble[0].text.len(), line.len());
}
