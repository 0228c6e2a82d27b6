//! Re-lint latency of the language server after one keystroke.
//!
//! `cargo bench --bench lsp` prints, for a real ~19 KB report (seed 000) and
//! a ~31 KB one (seeds 000 + 001 joined):
//! - `relint`: apply one incremental edit, lint, convert the diagnostics to
//!   LSP (what the lint worker and main loop do per change);
//! - `round trip`: a `didChange` written to an in-process server until its
//!   `publishDiagnostics` is read back (framing, JSON, threads included).
//!
//! Plain `Instant` timing (no bench framework dependency): median, p95 and
//! max over many runs after a warm-up. No timing is asserted anywhere.

use std::io::{BufRead, BufReader, Write};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gongwen::lsp::document::{Doc, Encoding};
use gongwen::lsp::features;
use gongwen::lsp::options::Config;
use gongwen::schema;
use gongwen::settings::Settings;
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use serde_json::{Value, json};

const SEED0: &str = include_str!("../tests/fixtures/corpus/seeds/000_d01c1fc9dfe130cb.txt");
const SEED1: &str = include_str!("../tests/fixtures/corpus/seeds/001_8bcfd0bf169ed486.txt");

fn stats(name: &str, bytes: usize, mut t: Vec<Duration>) {
    t.sort();
    let q = |p: f64| t[((t.len() - 1) as f64 * p) as usize];
    println!(
        "{name:<28} {:>6.1} KB  n={:<4} median {:>8.3} ms  p95 {:>8.3} ms  max {:>8.3} ms",
        bytes as f64 / 1000.0,
        t.len(),
        q(0.5).as_secs_f64() * 1e3,
        q(0.95).as_secs_f64() * 1e3,
        t[t.len() - 1].as_secs_f64() * 1e3,
    );
}

/// An edit in the middle of the text: insert a character, then remove it.
fn edits(text: &str) -> [TextDocumentContentChangeEvent; 2] {
    let line = (text.lines().count() / 2) as u32;
    let at = Range::new(Position::new(line, 2), Position::new(line, 2));
    let back = Range::new(Position::new(line, 2), Position::new(line, 3));
    [
        TextDocumentContentChangeEvent {
            range: Some(at),
            range_length: None,
            text: "各".into(),
        },
        TextDocumentContentChangeEvent {
            range: Some(back),
            range_length: None,
            text: String::new(),
        },
    ]
}

fn relint(name: &str, text: &str, runs: usize) {
    let uri = Uri::from_str("file:///bench/report.txt").unwrap();
    let config = Config {
        settings: Settings::default(),
        schema: Arc::new(schema::resolve(schema::DEFAULT).unwrap()),
        unsafe_fixes: false,
        generation: 0,
    };
    let mut doc = Doc::new(uri.clone(), 0, text.to_string());
    let [ins, del] = edits(text);
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs + 20 {
        let change = if i % 2 == 0 { ins.clone() } else { del.clone() };
        let t0 = Instant::now();
        doc.apply_changes(i as i32 + 1, vec![change], Encoding::Utf16);
        let a = features::analyze(doc.source.clone(), doc.version, &config);
        let d = features::diagnostics(&a, &uri, Encoding::Utf16);
        std::hint::black_box(d);
        if i >= 20 {
            times.push(t0.elapsed());
        }
    }
    stats(&format!("relint {name}"), text.len(), times);
}

fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_string(v).unwrap();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read_frame(r: &mut impl BufRead) -> Value {
    let mut len = 0;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn round_trip(name: &str, text: &str, runs: usize) {
    let (server_in, mut client_out) = std::io::pipe().unwrap();
    let (client_in, server_out) = std::io::pipe().unwrap();
    let server =
        std::thread::spawn(move || gongwen::lsp::serve(BufReader::new(server_in), server_out));
    let mut rx = BufReader::new(client_in);
    let uri = "file:///bench/report.txt";
    let mut send = |v: Value| client_out.write_all(&frame(&v)).unwrap();
    send(json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}));
    assert_eq!(read_frame(&mut rx)["id"], 1);
    send(
        json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
        "uri":uri,"languageId":"plaintext","version":0,"text":text}}}),
    );
    let wait = |rx: &mut BufReader<_>, version: i64| loop {
        let v = read_frame(rx);
        if v["method"] == "textDocument/publishDiagnostics" && v["params"]["version"] == version {
            return;
        }
    };
    wait(&mut rx, 0);
    let [ins, del] = edits(text);
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs + 20 {
        let change = if i % 2 == 0 { &ins } else { &del };
        let version = i as i64 + 1;
        let t0 = Instant::now();
        send(
            json!({"jsonrpc":"2.0","method":"textDocument/didChange","params":{
            "textDocument":{"uri":uri,"version":version},"contentChanges":[change]}}),
        );
        wait(&mut rx, version);
        if i >= 20 {
            times.push(t0.elapsed());
        }
    }
    send(json!({"jsonrpc":"2.0","id":2,"method":"shutdown"}));
    send(json!({"jsonrpc":"2.0","method":"exit"}));
    drop(client_out);
    server.join().unwrap().unwrap();
    stats(&format!("round trip {name}"), text.len(), times);
}

/// Where the time goes: line index, parse, full check.
fn parts(name: &str, text: &str, runs: usize) {
    let schema = schema::resolve(schema::DEFAULT).unwrap();
    let settings = Settings::default();
    let mut index = Vec::new();
    let mut parse = Vec::new();
    let mut check = Vec::new();
    for i in 0..runs + 20 {
        let t0 = Instant::now();
        let src = gongwen::source::Source::from_text("r.txt", text);
        let t1 = Instant::now();
        std::hint::black_box(gongwen::syntax::parse(&src));
        let t2 = Instant::now();
        std::hint::black_box(gongwen::check(&src, &schema, &settings));
        let t3 = Instant::now();
        if i >= 20 {
            index.push(t1 - t0);
            parse.push(t2 - t1);
            check.push(t3 - t2);
        }
    }
    stats(&format!("  source+index {name}"), text.len(), index);
    stats(&format!("  parse {name}"), text.len(), parse);
    stats(&format!("  check {name}"), text.len(), check);
}

fn main() {
    let joined = format!("{SEED0}\n{SEED1}");
    parts("seed 000", SEED0, 300);
    relint("seed 000", SEED0, 500);
    relint("seeds 000+001", &joined, 300);
    round_trip("seed 000", SEED0, 300);
    round_trip("seeds 000+001", &joined, 200);
}
