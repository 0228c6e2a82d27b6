//! The fast reading and rendering paths against their exact, slow
//! definitions, over every corpus report and generated inputs:
//! - `render::file` (one buffer, a pretty printer that starts indented, a
//!   position cursor) against each diagnostic's `Value`, with its ranges
//!   recomputed by `LineIndex::position`, pretty-printed and indented;
//! - `PositionCursor` against `LineIndex::position` for offsets in any order;
//! - `Positions` (one sweep over sorted offsets) against `LineIndex::position`;
//! - `LineEnding::detect` and `fix::line_ending` against byte-by-byte counts;
//! - UTF-8 detection (SIMD) against `std::str::from_utf8`.

use std::path::{Path, PathBuf};

use gongwen::diagnostic::{Diagnostic, Fix, L10n, Lang};
use gongwen::render::{self, Format, Options, json, rdjson, sarif};
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::{Encoding, LineEnding, PositionCursor, Positions, Source, Span};
use serde_json::Value;

fn corpus() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "txt")
                && !p.to_string_lossy().ends_with(".source.txt")
            {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"),
        &mut paths,
    );
    paths.sort();
    assert!(paths.len() > 10, "the corpus is there");
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Text mixing ASCII, Chinese, characters outside the BMP and every kind
/// of line break, with long lines now and then.
fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        " ",
        "工作",
        "法治",
        "，",
        "。",
        "😀",
        "𠀀",
        "\n",
        "\r\n",
        "\r",
        "\r\r\n",
        "\n\n",
        "一、",
        "（一）",
        "x1",
        "\t",
        "é",
    ];
    let len = rng.below(400);
    let mut s = String::new();
    for _ in 0..len {
        let p = PIECES[rng.below(PIECES.len())];
        let times = if rng.below(20) == 0 { 50 } else { 1 };
        for _ in 0..times {
            s.push_str(p);
        }
    }
    s
}

/// Every input: the corpus and generated texts.
fn texts() -> Vec<(String, String)> {
    let mut all = corpus();
    let mut rng = Rng(7);
    for i in 0..200 {
        all.push((format!("random{i}.txt"), random_text(&mut rng)));
    }
    all
}

/// A char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Findings with labels and fixes anywhere, in any order (the rules'
/// findings rarely have them all).
fn synthetic(src: &Source, rng: &mut Rng) -> Vec<Diagnostic> {
    let n = src.text.len();
    let mut span = || {
        let a = floor(&src.text, rng.below(n + 1));
        let b = floor(&src.text, a + rng.below(40));
        Span::new(a, b)
    };
    let mut out = Vec::new();
    for _ in 0..8 {
        let (s, l1, l2, e) = (span(), span(), span(), span());
        out.push(
            Diagnostic::new("N001", s)
                .message("示例", "sample")
                .primary_label("此处", "here")
                .label(l1, "前", "before")
                .label(l2, "后", "after")
                .help("请核对", "check")
                .note("注", "note")
                .fix(Fix::replace(
                    e,
                    "事项\n\"引号\"",
                    L10n::new("改", "replace"),
                )),
        );
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// `diagnostic`'s Value with every range recomputed the exact way.
fn exact_json(src: &Source, d: &Diagnostic) -> Value {
    let mut v = json::diagnostic(src, d, Lang::Zh);
    v["range"] = json::range(src, d.span);
    for (i, l) in d.labels.iter().enumerate() {
        v["labels"][i]["range"] = json::range(src, l.span);
    }
    if let Some(f) = &d.fix {
        for (i, e) in f.edits.iter().enumerate() {
            v["fix"]["edits"][i]["range"] = json::range(src, e.span);
        }
    }
    v
}

/// Pretty-printed items of a JSON document `by` deep, the slow way.
fn items(values: impl Iterator<Item = Value>, by: &str) -> String {
    values
        .map(|v| {
            let text = serde_json::to_string_pretty(&v).unwrap();
            format!("{by}{}", text.replace('\n', &format!("\n{by}")))
        })
        .collect::<Vec<_>>()
        .join(",\n")
}

#[test]
fn rendered_json_is_the_value_path() {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let opts = Options::default();
    let mut rng = Rng(11);
    let mut findings = 0;
    for (name, text) in texts() {
        let src = Source::from_text(name, text);
        let checked = gongwen::check(&src, &schema, &Settings::default());
        for diags in [checked.diagnostics, synthetic(&src, &mut rng)] {
            findings += diags.len();
            let want = items(diags.iter().map(|d| exact_json(&src, d)), "  ");
            let got = render::file(Format::Json, &src, &diags, opts);
            assert_eq!(got, want, "json of {}", src.name);
            let want: String = diags
                .iter()
                .map(|d| exact_json(&src, d).to_string() + "\n")
                .collect();
            let got = render::file(Format::Jsonl, &src, &diags, opts);
            assert_eq!(got, want, "jsonl of {}", src.name);
            for d in &diags {
                assert_eq!(
                    json::diagnostic_text(&src, d, Lang::Zh, true),
                    serde_json::to_string_pretty(&exact_json(&src, d)).unwrap()
                );
            }
            let want = items(
                diags.iter().map(|d| sarif::result(&src, d, Lang::Zh)),
                "        ",
            );
            assert_eq!(render::file(Format::Sarif, &src, &diags, opts), want);
            let want = items(
                diags.iter().map(|d| rdjson::diagnostic(&src, d, Lang::Zh)),
                "    ",
            );
            assert_eq!(render::file(Format::Rdjson, &src, &diags, opts), want);
        }
    }
    assert!(findings > 1000, "enough findings compared: {findings}");
}

#[test]
fn position_cursor_is_line_index_position() {
    let mut rng = Rng(3);
    for (_, text) in texts() {
        let src = Source::from_text("t", text);
        let n = src.text.len();
        let mut cursor = PositionCursor::new();
        // Ascending (a renderer's order), then random, near and past the end.
        let mut offsets: Vec<usize> = (0..=n + 2).step_by(1 + n / 300).collect();
        offsets.extend((0..300).map(|_| rng.below(n + 3)));
        let mut at = rng.below(n + 1);
        for _ in 0..300 {
            at = (at + rng.below(30))
                .saturating_sub(rng.below(25))
                .min(n + 1);
            offsets.push(at);
        }
        for o in offsets {
            assert_eq!(
                cursor.position(&src.index, &src.text, o),
                src.position(o),
                "offset {o}"
            );
        }
    }
}

#[test]
fn positions_table_is_line_index_position() {
    let mut rng = Rng(13);
    for (_, text) in texts() {
        let src = Source::from_text("t", text);
        let n = src.text.len();
        // Every offset (inside characters too) and past the end, or a
        // random few with repeats, asked in any order.
        let mut offsets: Vec<usize> = if rng.below(2) == 0 {
            (0..=n + 2).collect()
        } else {
            (0..rng.below(60)).map(|_| rng.below(n + 3)).collect()
        };
        for i in (1..offsets.len()).rev() {
            offsets.swap(i, rng.below(i + 1));
        }
        offsets.extend(offsets.clone().iter().take(5));
        let table = Positions::new(&src.index, &src.text, offsets.iter().copied());
        for &o in &offsets {
            assert_eq!(table.get(o), Some(src.position(o)), "offset {o}");
        }
        assert_eq!(table.get(n + 1000), None);
    }
}

/// `fix::line_ending` as first written: counts by substring search.
fn line_ending_by_counts(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    let cr = text.matches('\r').count() - crlf;
    if crlf > lf && crlf >= cr {
        "\r\n"
    } else if cr > lf {
        "\r"
    } else {
        "\n"
    }
}

#[test]
fn line_endings_are_the_byte_by_byte_ones() {
    let mut rng = Rng(5);
    let mut all = texts();
    for _ in 0..500 {
        let s: String = (0..rng.below(12))
            .map(|_| ["\r", "\n", "a", "\r\n", "字"][rng.below(5)])
            .collect();
        all.push((String::new(), s));
    }
    let mut kinds = std::collections::BTreeSet::new();
    for (_, t) in &all {
        assert_eq!(LineEnding::detect(t), LineEnding::detect_slow(t), "{t:?}");
        // As a decoded source reads it, from its line index.
        let index = gongwen::source::LineIndex::new(t);
        let from_index = LineEnding::from_index(t, &index);
        assert_eq!(from_index, LineEnding::detect_slow(t), "{t:?}");
        kinds.insert(format!("{from_index:?}"));
        assert_eq!(
            gongwen::fix::line_ending(t),
            line_ending_by_counts(t),
            "{t:?}"
        );
    }
    assert_eq!(kinds.len(), 4, "every kind of line ending: {kinds:?}");
}

/// Decoding validates UTF-8 with SIMD; std's validation is the reference:
/// plain UTF-8 (no BOM, no NUL) decodes to exactly itself, anything std
/// rejects is never taken for UTF-8.
#[test]
fn utf8_detection_agrees_with_std() {
    let mut rng = Rng(9);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for (_, t) in texts() {
        let bytes = t.as_bytes().to_vec();
        for _ in 0..4 {
            let mut bad = bytes.clone();
            if !bad.is_empty() {
                let at = rng.below(bad.len());
                bad[at] = rng.next() as u8 | 0x80;
            }
            inputs.push(bad);
        }
        let mut cut = bytes.clone();
        cut.truncate(rng.below(bytes.len() + 1));
        inputs.push(cut);
        inputs.push(bytes);
    }
    for _ in 0..500 {
        inputs.push((0..rng.below(100)).map(|_| rng.next() as u8 | 1).collect());
    }
    for bytes in &inputs {
        if bytes.starts_with(b"\xEF\xBB\xBF") || bytes.contains(&0) {
            continue;
        }
        for forced in [None, Some(Encoding::Utf8)] {
            let got = gongwen::source::decode::decode_as("x", bytes, forced);
            match std::str::from_utf8(bytes) {
                Ok(t) => {
                    let (text, origin) = got.unwrap();
                    assert_eq!((text.as_str(), origin.encoding), (t, Encoding::Utf8));
                }
                Err(e) => match got {
                    Ok((_, origin)) => assert_ne!(origin.encoding, Encoding::Utf8),
                    Err(err) if forced.is_some() => {
                        assert!(
                            format!("{err:?}").contains(&format!("offset: {}", e.valid_up_to()))
                        )
                    }
                    Err(_) => {}
                },
            }
        }
    }
}
