//! `gongwen lsp` driven over stdio as an editor drives it. Every wait has a
//! timeout, so a hung server fails the test instead of hanging CI.
//!
//! Expected positions are counted by hand in the comments: UTF-16 columns
//! count 😀 as two units and every Chinese character as one; UTF-8 columns
//! count bytes (Chinese 3, 😀 4).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// The report every session opens: complete (every required section,
/// signature, date), with one deliberate finding, N001 at line 4 (（三）
/// after （一）). Lines (0-based):
/// 1 `一、主要举措😀和成效`              (utf-16 length 11; 😀 at 6..8)
/// 2 `（一）加强组织领导`                (9)
/// 3 `　　全年召开会议3次。`              (11)
/// 4 `　　（三）推进依法决策😀`          (marker at utf-16 2..5, utf-8 6..15; length 13)
/// 5 `　　完善制度。`                    (7)
/// 6–11 二、三、四、 with one paragraph each; 13–14 署名 and 成文日期.
const REPORT: &str = "××镇2024年法治政府建设情况报告\n一、主要举措😀和成效\n（一）加强组织领导\n　　全年召开会议3次。\n　　（三）推进依法决策😀\n　　完善制度。\n二、存在的不足和原因\n　　宣传不够。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n　　镇党委书记专题研究法治工作。\n四、下一年度主要安排\n　　继续推进依法行政。\n\n××镇人民政府\n2025年1月20日\n";

/// `file:///tmp/gongwen-lsp/报告.txt`, percent-encoded as editors send it.
const URI: &str = "file:///tmp/gongwen-lsp/%E6%8A%A5%E5%91%8A.txt";

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pending: Vec<Value>,
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gongwen lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_frame(&mut r) {
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            pending: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        let body = serde_json::to_string(&msg).unwrap();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("server sent nothing for {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("server closed its output"),
        }
    }

    /// The whole response (result or error) to a request with `id`.
    fn response(&mut self, id: Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.recv(deadline);
            if v.get("method").is_none() && v["id"] == id {
                return v;
            }
            self.pending.push(v);
        }
    }

    /// Send a request and return its whole response.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    /// Send a request and return its result (failing on an error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.call(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The next request the server sends to the client, answered with null.
    fn server_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let msg = loop {
            if let Some(i) = self
                .pending
                .iter()
                .position(|v| v["method"] == method && v.get("id").is_some())
            {
                break self.pending.remove(i);
            }
            let v = self.recv(deadline);
            self.pending.push(v);
        };
        self.send(json!({"jsonrpc": "2.0", "id": msg["id"], "result": null}));
        msg
    }

    /// The next notification `method` that satisfies `pred`.
    fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .pending
            .iter()
            .position(|v| v["method"] == method && pred(&v["params"]))
        {
            return self.pending.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.recv(deadline);
            if v["method"] == method && pred(&v["params"]) {
                return v["params"].clone();
            }
            self.pending.push(v);
        }
    }

    /// The diagnostics published for `version` of the report.
    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        self.diagnostics_of(URI, version)
    }

    /// The diagnostics published for `version` of the document `uri`.
    fn diagnostics_of(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, encodings: &[&str], options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {
                        "workspaceEdit": {"documentChanges": true},
                        "didChangeWatchedFiles": {"dynamicRegistration": true}
                    }
                },
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, text: &str) {
        self.open_at(URI, text);
    }

    fn open_at(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
    }

    /// `shutdown`, `exit`, and the exit status.
    fn shutdown(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(&mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn range(l0: u64, c0: u64, l1: u64, c1: u64) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

fn symbols(c: &mut Client) -> Vec<Value> {
    c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )
    .as_array()
    .unwrap()
    .clone()
}

#[test]
fn lsp_editor_session_in_utf16() {
    let mut c = Client::start();
    let init = c.initialize(&["utf-16"], Value::Null);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    let kinds = caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .unwrap();
    assert!(kinds.contains(&json!("quickfix")));
    assert!(kinds.contains(&json!("source.fixAll.gongwen")));
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "gongwen");
    // The client offered dynamic registration: the server watches gongwen.toml.
    let reg = c.server_request("client/registerCapability");
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        r["registerOptions"]["watchers"][0]["globPattern"],
        "**/gongwen.toml"
    );

    c.open(REPORT);
    let diags = c.diagnostics(1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["code"], "N001");
    assert_eq!(d["source"], "gongwen");
    assert_eq!(d["severity"], 1);
    // 「　　（三）」: two full-width spaces, then the marker at 2..5.
    assert_eq!(d["range"], range(4, 2, 4, 5));
    assert!(d["message"].as_str().unwrap().contains("（二）"), "{d}");
    let related = d["relatedInformation"].as_array().unwrap();
    assert_eq!(related[0]["location"]["uri"], URI);
    assert_eq!(related[0]["location"]["range"], range(2, 0, 2, 3));
    // A documentation link is sent only when it is an absolute address.
    if let Some(href) = d
        .get("codeDescription")
        .map(|c| c["href"].as_str().unwrap())
    {
        assert!(href.contains("://") && href.contains("N001"), "{href}");
    }

    // The outline: title, 一、 with （一）（三） under it, 二、 三、 四、.
    let syms = symbols(&mut c);
    let names: Vec<_> = syms.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "××镇2024年法治政府建设情况报告",
            "一、主要举措😀和成效",
            "二、存在的不足和原因",
            "三、党政主要负责人履行推进法治建设第一责任人职责情况",
            "四、下一年度主要安排",
        ]
    );
    // 一、主要举措 (6) + 😀 (2) + 和成效 (3) = 11 UTF-16 units.
    assert_eq!(syms[1]["selectionRange"], range(1, 0, 1, 11));
    assert_eq!(syms[1]["range"], range(1, 0, 5, 7));
    let kids = syms[1]["children"].as_array().unwrap();
    assert_eq!(kids[0]["name"], "（一）加强组织领导");
    assert_eq!(kids[0]["selectionRange"], range(2, 0, 2, 9));
    assert_eq!(kids[0]["range"], range(2, 0, 3, 11));
    // 　　 (2) + （三）推进依法决策 (9) + 😀 (2) = 13.
    assert_eq!(kids[1]["name"], "（三）推进依法决策😀");
    assert_eq!(kids[1]["selectionRange"], range(4, 2, 4, 13));
    assert_eq!(kids[1]["range"], range(4, 2, 5, 7));
    assert!(syms[2].get("children").is_none());

    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    let folds: Vec<_> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(1, 5), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)]);

    // Hover right after the emoji (和 is at UTF-16 8): the heading's level
    // and the required section the schema matcher says it satisfies.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 9}}),
    );
    assert_eq!(hover["range"], range(1, 0, 1, 11));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("一级标题") && text.contains("第 1 层"),
        "{text}"
    );
    assert!(
        text.contains("满足必备部分：主要举措和成效（`measures`）"),
        "{text}"
    );

    // Hover on the skipped marker: the heading and the finding.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": 3}}),
    );
    assert_eq!(hover["range"], range(4, 2, 4, 13));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("二级标题") && text.contains("**N001** `numbering-sequence`"),
        "{text}"
    );
    assert!(text.contains("gongwen explain N001"), "{text}");
    // Body text, no finding: nothing to say.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 3}}),
    );
    assert_eq!(hover, Value::Null);

    // N001 has no mechanical fix: no quick fix, no fix-all.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(4, 2, 4, 5),
               "context": {"diagnostics": [d]}}),
    );
    assert_eq!(actions, json!([]));

    // The author renumbers （三） → （二） and types 工作 after the emoji, as
    // two incremental changes (the second is in the text after the first).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": range(4, 3, 4, 4), "text": "二"},
            {"range": range(1, 8, 1, 8), "text": "工作"},
        ]}),
    );
    assert_eq!(c.diagnostics(2), Vec::<Value>::new());
    let syms = symbols(&mut c);
    assert_eq!(syms[1]["name"], "一、主要举措😀工作和成效");
    assert_eq!(syms[1]["selectionRange"], range(1, 0, 1, 13));
    assert_eq!(syms[1]["children"][1]["name"], "（二）推进依法决策😀");

    // An unknown method and a malformed message get protocol errors …
    let r = c.call("gongwen/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,");
    let r = c.response(Value::Null);
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // … and the server keeps serving.
    assert_eq!(symbols(&mut c).len(), 5);

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let p = c.notification("textDocument/publishDiagnostics", |p| p["uri"] == URI);
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_utf8_positions_when_the_client_offers_them() {
    let mut c = Client::start();
    let init = c.initialize(&["utf-8", "utf-16"], Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    c.open(REPORT);
    let diags = c.diagnostics(1);
    // 　　 is 6 bytes, （三） another 9.
    assert_eq!(diags[0]["range"], range(4, 6, 4, 15));
    let syms = symbols(&mut c);
    // 一、主要举措 (18) + 😀 (4) + 和成效 (9) = 31 bytes.
    assert_eq!(syms[1]["selectionRange"], range(1, 0, 1, 31));
    // Insert after the emoji: byte column 22.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": range(1, 22, 1, 22), "text": "工作"},
        ]}),
    );
    c.diagnostics(2);
    assert_eq!(symbols(&mut c)[1]["name"], "一、主要举措😀工作和成效");
    // A finding right after the emoji: 　　 (6) 全年召开会议 (18) 😀 (4) 3 (1) 次 (3).
    let other = "file:///tmp/gongwen-lsp/fixable.txt";
    c.open_at(other, FIXABLE);
    let d = c.diagnostics_of(other, 1);
    assert_eq!(d[0]["code"], "P001");
    assert_eq!(d[0]["range"], range(3, 32, 3, 33));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_bad_messages_get_protocol_errors_and_the_server_goes_on() {
    let mut c = Client::start();
    // Before initialize.
    let r = c.call("textDocument/documentSymbol", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.initialize(&[], Value::Null);
    // Not JSON at all.
    c.raw(b"Content-Length: 5\r\n\r\nhello");
    assert_eq!(c.response(Value::Null)["error"]["code"], -32700);
    // JSON, but neither request nor notification.
    c.send(json!({"jsonrpc": "2.0", "id": 77}));
    assert_eq!(c.response(json!(77))["error"]["code"], -32600);
    // A header block without Content-Length.
    c.raw(b"Content-Type: x\r\n\r\n");
    assert_eq!(c.response(Value::Null)["error"]["code"], -32700);
    // Wrong params for a known method.
    let r = c.call("textDocument/hover", json!({"position": "here"}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A request about a document that is not open.
    let r = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///nowhere.txt"}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Unknown notifications are ignored; a change to an unknown document too.
    c.notify("gongwen/whatever", json!({}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 9}, "contentChanges": [{"text": "x"}]}),
    );
    // Still serving.
    c.open(REPORT);
    assert_eq!(c.diagnostics(1).len(), 1);
    // exit without shutdown: exit status 1 (LSP 3.17).
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn lsp_server_ends_when_the_editor_goes_away() {
    let mut c = Client::start();
    c.initialize(&[], Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn lsp_settings_from_the_editor_relint_open_documents() {
    let mut c = Client::start();
    c.initialize(&[], json!({"ignore": ["N001"]}));
    c.open(REPORT);
    assert_eq!(c.diagnostics(1), Vec::<Value>::new());
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gongwen": {"ignore": [], "lang": "en", "severity": {"N001": "warning"}}}}),
    );
    let diags = c.diagnostics(1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["severity"], 2);
    let msg = diags[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("ordinal gap") && msg.contains("\nbasis: GB/T 9704"),
        "English message expected: {msg}"
    );
    // An unknown schema is reported, and the default one is used.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"schema": "no-such-schema"}}),
    );
    let shown = c.notification("window/showMessage", |_| true);
    assert!(
        shown["message"]
            .as_str()
            .unwrap()
            .contains("no-such-schema"),
        "{shown}"
    );
    assert_eq!(c.diagnostics(1).len(), 1);
    assert_eq!(c.shutdown(), 0);
}

/// Every report of the corpus: the outline, folding ranges and hovers obey
/// the protocol's invariants (VS Code drops a symbol whose selection range
/// is not inside its range), in both encodings.
#[test]
fn lsp_outline_invariants_on_the_corpus() {
    use gongwen::lsp::document::{Encoding, position};
    use gongwen::lsp::features;
    use gongwen::lsp::options::Config;
    use std::sync::Arc;

    fn le(a: &lsp_types::Position, b: &lsp_types::Position) -> bool {
        (a.line, a.character) <= (b.line, b.character)
    }
    fn inside(inner: &lsp_types::Range, outer: &lsp_types::Range) -> bool {
        le(&outer.start, &inner.start) && le(&inner.end, &outer.end)
    }
    fn check(s: &lsp_types::DocumentSymbol, parent: Option<&lsp_types::Range>) -> usize {
        assert!(le(&s.range.start, &s.range.end), "{s:?}");
        assert!(inside(&s.selection_range, &s.range), "{s:?}");
        if let Some(p) = parent {
            assert!(inside(&s.range, p), "{s:?} outside {p:?}");
        }
        1 + s
            .children
            .iter()
            .flatten()
            .map(|c| check(c, Some(&s.range)))
            .sum::<usize>()
    }

    let config = Config {
        settings: gongwen::settings::Settings::default(),
        schema: Arc::new(gongwen::schema::resolve(gongwen::schema::DEFAULT).unwrap()),
        unsafe_fixes: false,
        generation: 0,
    };
    let mut files = 0;
    for dir in ["seeds", "web", "web-xxgk"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus")
            .join(dir);
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let source = Arc::new(gongwen::source::Source::from_text(
                path.display().to_string(),
                text,
            ));
            let a = features::analyze(source.clone(), 1, &config);
            let headings = a.checked.document.walk().len();
            let lines = source.index.line_count() as u32;
            for enc in [Encoding::Utf16, Encoding::Utf8] {
                let syms = features::document_symbols(&a, enc);
                let title = usize::from(a.checked.document.title.is_some());
                let n: usize = syms.iter().map(|s| check(s, None)).sum();
                assert_eq!(n, headings + title, "{}", path.display());
                for f in features::folding_ranges(&a) {
                    assert!(f.start_line < f.end_line && f.end_line < lines);
                }
                // A hover on every heading, at its first character.
                for s in a.checked.document.walk() {
                    let at = position(&source, s.span.start, enc);
                    let h = features::hover(&a, at, enc).expect("hover on a heading");
                    assert_eq!(h.range.unwrap().start, at, "{}", path.display());
                }
                let uri: lsp_types::Uri = "file:///corpus.txt".parse().unwrap();
                for d in features::diagnostics(&a, &uri, enc) {
                    assert!(le(&d.range.start, &d.range.end));
                    assert!(d.range.end.line < lines);
                }
            }
            files += 1;
        }
    }
    assert!(files >= 20, "corpus not found: {files} files");
}

/// A half-width comma right after 😀 (P001) and a half-width bracket
/// marker (N004): both fixable. Line 3 is `　　全年召开会议😀3次,完善制度。`
/// (the comma at UTF-16 2 + 6 + 2 + 1 + 1 = 12), line 4 `(二)推进依法决策`.
const FIXABLE: &str = "××镇2024年法治政府建设情况报告\n一、主要举措😀和成效\n（一）加强组织领导\n　　全年召开会议😀3次,完善制度。\n(二)推进依法决策\n　　完善制度。\n二、存在的不足和原因\n　　宣传不够。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n　　镇党委书记专题研究法治工作。\n四、下一年度主要安排\n　　继续推进依法行政。\n\n××镇人民政府\n2025年1月20日\n";

/// The edits of a code action's (versioned) workspace edit.
fn action_edits(action: &Value) -> Vec<Value> {
    let changes = &action["edit"]["documentChanges"][0];
    assert_eq!(changes["textDocument"]["uri"], URI);
    assert_eq!(changes["textDocument"]["version"], 1);
    changes["edits"].as_array().unwrap().clone()
}

#[test]
fn lsp_quick_fix_and_fix_all_apply_and_clear_the_findings() {
    let mut c = Client::start();
    c.initialize(&["utf-16"], Value::Null);
    c.open(FIXABLE);
    let diags = c.diagnostics(1);
    let codes: Vec<_> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["P001", "N004"], "{diags:#?}");
    assert_eq!(diags[0]["range"], range(3, 12, 3, 13));
    assert_eq!(diags[1]["range"], range(4, 0, 4, 3));
    assert_eq!(diags[0]["data"]["fixable"], true);

    // At the comma: its quick fix, and fix-all.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(3, 12, 3, 13),
               "context": {"diagnostics": [diags[0]]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    let quick = &actions[0];
    assert_eq!(quick["kind"], "quickfix");
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(quick["diagnostics"][0]["code"], "P001");
    assert!(quick["title"].as_str().unwrap().contains("P001"), "{quick}");
    let edits = action_edits(quick);
    assert_eq!(
        edits,
        [json!({"range": range(3, 12, 3, 13), "newText": "，"})]
    );
    let all = &actions[1];
    assert_eq!(all["kind"], "source.fixAll.gongwen");
    let all_edits = action_edits(all);
    assert_eq!(
        all_edits,
        [
            json!({"range": range(3, 12, 3, 13), "newText": "，"}),
            json!({"range": range(4, 0, 4, 3), "newText": "（二）"}),
        ]
    );
    // Only source actions when the editor asks for them (fix all on save).
    let only = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0, 0),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["kind"], "source.fixAll.gongwen");

    // The editor applies fix-all: the edits' ranges refer to version 1, so
    // they go in as incremental changes from the last to the first.
    let changes: Vec<Value> = all_edits
        .iter()
        .rev()
        .map(|e| json!({"range": e["range"], "text": e["newText"]}))
        .collect();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": changes}),
    );
    assert_eq!(c.diagnostics(2), Vec::<Value>::new());
    let syms = symbols(&mut c);
    assert_eq!(syms[1]["children"][1]["name"], "（二）推进依法决策");
    // Nothing left to fix.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(0, 0, 14, 0),
               "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(c.shutdown(), 0);
}

/// Settings from the nearest `gongwen.toml`, re-read when the editor says
/// it changed; a broken one is reported and the defaults apply; editor
/// options override it.
#[test]
fn lsp_gongwen_toml_settings_reload_when_the_file_changes() {
    let dir = std::env::temp_dir().join(format!("gongwen-lsp-toml-{}", std::process::id()));
    let sub = dir.join("乡镇");
    std::fs::create_dir_all(&sub).unwrap();
    let toml = dir.join("gongwen.toml");
    std::fs::write(&toml, "ignore = [\"N001\"]\n").unwrap();
    // The report lives in a subfolder: the file is found upward.
    let uri = format!("file://{}/%E4%B9%A1%E9%95%87/report.txt", dir.display());
    let toml_uri = format!("file://{}", toml.display());
    let mut c = Client::start();
    c.initialize(&[], Value::Null);
    c.open_at(&uri, REPORT);
    assert_eq!(c.diagnostics_of(&uri, 1), Vec::<Value>::new());

    std::fs::write(&toml, "[severity]\nN001 = \"warning\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": toml_uri, "type": 2}]}),
    );
    let d = c.diagnostics_of(&uri, 1);
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0]["code"].as_str(), d[0]["severity"].as_i64()),
        (Some("N001"), Some(2))
    );

    std::fs::write(&toml, "selekt = [\"N\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": toml_uri, "type": 2}]}),
    );
    let shown = c.notification("window/showMessage", |_| true);
    assert!(
        shown["message"].as_str().unwrap().contains("selekt"),
        "{shown}"
    );
    let d = c.diagnostics_of(&uri, 1);
    assert_eq!(d[0]["severity"], 1, "defaults apply");

    // Editor options win over the file.
    std::fs::write(&toml, "ignore = [\"N001\"]\n").unwrap();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gongwen": {"ignore": []}}}),
    );
    assert_eq!(c.diagnostics_of(&uri, 1).len(), 1);
    assert_eq!(c.shutdown(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
