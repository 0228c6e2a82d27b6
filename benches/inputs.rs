//! Throughput of input decoding (issue 6): UTF-8, GB18030 detection and
//! decoding, UTF-16, and .docx reading, over the five seeds repeated to a
//! report of ~1 MB. Run: `cargo bench --bench inputs`. Prints MB/s; asserts
//! nothing about time.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use gongwen::source::Source;

fn seeds() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A .docx with one paragraph per line.
fn docx(text: &str) -> Vec<u8> {
    let mut body = String::new();
    for line in text.split('\n') {
        let line = line.replace('&', "&amp;").replace('<', "&lt;");
        body.push_str(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/></w:rPr><w:t xml:space="preserve">{line}</w:t></w:r></w:p>"#
        ));
    }
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(doc.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn bench(label: &str, bytes: &[u8], text_len: usize, f: impl Fn(&[u8]) -> Source) {
    let mut runs = 0u32;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) || runs < 3 {
        let s = f(bytes);
        assert_eq!(s.text.len(), text_len, "{label}");
        runs += 1;
    }
    let per = start.elapsed() / runs;
    let mb = text_len as f64 / 1e6;
    println!(
        "{label:<12} {:>8.2} ms per {:.2} MB of text, {:>7.1} MB/s ({} bytes in)",
        per.as_secs_f64() * 1e3,
        mb,
        mb / per.as_secs_f64(),
        bytes.len()
    );
}

fn main() {
    let one = seeds();
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(&one);
        text.push('\n');
    }
    let n = text.len();
    let gb = encoding_rs::GB18030.encode(&text).0.into_owned();
    let mut u16 = vec![0xFF, 0xFE];
    u16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dx = docx(&text);
    bench("utf-8", text.as_bytes(), n, |b| {
        Source::decode_with("b.txt", b, None).unwrap()
    });
    bench("gb18030", &gb, n, |b| {
        Source::decode_with("b.txt", b, None).unwrap()
    });
    bench("utf-16le", &u16, n, |b| {
        Source::decode_with("b.txt", b, None).unwrap()
    });
    let docx_len = Source::decode_with("b.docx", &dx, None).unwrap().text.len();
    bench("docx", &dx, docx_len, |b| {
        Source::decode_with("b.docx", b, None).unwrap()
    });
}
