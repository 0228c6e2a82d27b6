//! The server loop: lifecycle, document sync, settings and request
//! dispatch.
//!
//! Threads: a reader turns frames into events, a writer sends messages, a
//! lint worker lints document snapshots, and the main loop owns all state.
//! The main loop never lints on behalf of `didChange`: it hands the new
//! text to the worker, which takes only the newest version of each
//! document from its queue, so a burst of keystrokes costs one lint. Requests
//! reuse the newest analysis of the current version (and lint it once
//! themselves if the worker has not finished it yet). Every handler runs
//! under `catch_unwind`: a panic becomes an error response, not a crash.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use lsp_types as lsp;
use lsp_types::Uri;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::document::{Doc, Encoding};
use super::features::{self, Analysis, FIX_ALL_KIND};
use super::options::{ClientOptions, Config, SchemaCache};
use super::transport::{self, Incoming, code};
use crate::schema;
use crate::settings::Settings;
use crate::source::Source;

/// What the main loop reacts to.
enum Event {
    Message(Incoming),
    Linted(Box<Analysis>, Uri),
    /// A lint panicked (a bug): logged, the document keeps its last results.
    LintFailed(Uri, String),
    /// The input stream ended (or failed).
    Closed,
}

struct LintJob {
    uri: Uri,
    version: i32,
    source: Arc<Source>,
    config: Arc<Config>,
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `shutdown` then `exit`: exit status 0.
    Clean,
    /// `exit` without `shutdown`, or the stream closed: exit status 1.
    Abrupt,
}

/// Messages out, in order, through the writer thread.
#[derive(Clone)]
struct Out(Sender<Value>);

impl Out {
    fn send(&self, v: Value) {
        // The writer only stops when the output is gone; nothing to do then.
        let _ = self.0.send(v);
    }
    fn ok(&self, id: Value, result: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }
    fn err(&self, id: Value, code: i64, message: impl Into<String>) {
        self.send(json!({"jsonrpc": "2.0", "id": id,
            "error": {"code": code, "message": message.into()}}));
    }
    fn notify(&self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }
    fn show(&self, kind: lsp::MessageType, message: String) {
        self.notify(
            "window/showMessage",
            json!({"type": kind, "message": message}),
        );
    }
    fn log(&self, kind: lsp::MessageType, message: String) {
        self.notify(
            "window/logMessage",
            json!({"type": kind, "message": message}),
        );
    }
}

/// Serve one session on a byte stream pair (stdio in `gongwen lsp`).
pub fn serve<R, W>(input: R, output: W) -> io::Result<Exit>
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    let (out_tx, out_rx) = mpsc::channel::<Value>();
    let writer = thread::Builder::new()
        .name("gongwen-lsp-writer".into())
        .spawn(move || -> io::Result<()> {
            let mut output = output;
            for msg in out_rx {
                transport::write(&mut output, &msg)?;
            }
            Ok(())
        })?;

    let (ev_tx, ev_rx) = mpsc::channel::<Event>();
    let reader_tx = ev_tx.clone();
    thread::Builder::new()
        .name("gongwen-lsp-reader".into())
        .spawn(move || {
            let mut input = input;
            loop {
                match transport::read(&mut input) {
                    Ok(Some(m)) => {
                        let exit =
                            matches!(&m, Incoming::Notification { method, .. } if method == "exit");
                        if reader_tx.send(Event::Message(m)).is_err() || exit {
                            return;
                        }
                    }
                    Ok(None) | Err(_) => {
                        let _ = reader_tx.send(Event::Closed);
                        return;
                    }
                }
            }
        })?;

    let (job_tx, job_rx) = mpsc::channel::<LintJob>();
    let worker_tx = ev_tx;
    thread::Builder::new()
        .name("gongwen-lsp-lint".into())
        .spawn(move || lint_worker(job_rx, worker_tx))?;

    let out = Out(out_tx);
    let mut server = Server::new(out, job_tx);
    let exit = server.run(ev_rx);
    // Closing the channels ends the worker and the writer; wait for the
    // writer so every answer is flushed before the process exits.
    drop(server);
    let _ = writer.join();
    Ok(exit)
}

/// Lint snapshots, newest version of each document only.
fn lint_worker(jobs: Receiver<LintJob>, events: Sender<Event>) {
    while let Ok(first) = jobs.recv() {
        let mut batch: Vec<LintJob> = vec![first];
        while let Ok(more) = jobs.try_recv() {
            batch.push(more);
        }
        // Keep the last job per document.
        // (Keyed by the URI's text: `Uri` caches parts in cells.)
        let mut newest: HashMap<String, LintJob> = HashMap::new();
        let mut order = Vec::new();
        for job in batch {
            let key = job.uri.as_str().to_string();
            if !newest.contains_key(&key) {
                order.push(key.clone());
            }
            newest.insert(key, job);
        }
        for uri in order {
            let Some(job) = newest.remove(&uri) else {
                continue;
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                features::analyze(job.source.clone(), job.version, &job.config)
            }));
            let event = match result {
                Ok(analysis) => Event::Linted(Box::new(analysis), job.uri),
                Err(p) => Event::LintFailed(job.uri, panic_text(&p)),
            };
            if events.send(event).is_err() {
                return;
            }
        }
    }
}

struct OpenDoc {
    doc: Doc,
    analysis: Option<Arc<Analysis>>,
    /// The version whose diagnostics were last published.
    published: Option<(i32, u64)>,
}

struct Server {
    out: Out,
    jobs: Sender<LintJob>,
    /// Open documents by URI text.
    docs: HashMap<String, OpenDoc>,
    encoding: Encoding,
    initialized: bool,
    shutdown: bool,
    /// The client can take versioned `documentChanges` in workspace edits.
    document_changes: bool,
    /// The client lets the server register file watchers.
    watch_files: bool,
    /// Options from `initializationOptions`, then `didChangeConfiguration`.
    client: ClientOptions,
    schemas: SchemaCache,
    generation: u64,
    /// The effective configuration per document path (None: unsaved).
    configs: HashMap<Option<std::path::PathBuf>, Arc<Config>>,
    /// Messages shown since the settings last changed.
    shown: std::collections::HashSet<String>,
}

impl Server {
    fn new(out: Out, jobs: Sender<LintJob>) -> Server {
        Server {
            out,
            jobs,
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            initialized: false,
            shutdown: false,
            document_changes: false,
            watch_files: false,
            client: ClientOptions::default(),
            schemas: SchemaCache::default(),
            generation: 0,
            configs: HashMap::new(),
            shown: Default::default(),
        }
    }

    fn run(&mut self, events: Receiver<Event>) -> Exit {
        for ev in events {
            match ev {
                Event::Closed => return Exit::Abrupt,
                Event::Linted(a, uri) => self.on_linted(Arc::from(a), uri),
                Event::LintFailed(uri, message) => self.out.log(
                    lsp::MessageType::ERROR,
                    format!(
                        "gongwen: internal error linting {}: {message}",
                        uri.as_str()
                    ),
                ),
                Event::Message(m) => {
                    if let Some(exit) = self.on_message(m) {
                        return exit;
                    }
                }
            }
        }
        Exit::Abrupt
    }

    fn on_message(&mut self, m: Incoming) -> Option<Exit> {
        match m {
            Incoming::Invalid { id, code, message } => {
                self.out.err(id, code, message);
            }
            Incoming::Response { .. } => {}
            Incoming::Request { id, method, params } => self.on_request(id, &method, params),
            Incoming::Notification { method, params } => {
                if method == "exit" {
                    return Some(if self.shutdown {
                        Exit::Clean
                    } else {
                        Exit::Abrupt
                    });
                }
                if !self.initialized {
                    // Notifications before `initialize` are dropped (LSP 3.17).
                    return None;
                }
                let r = catch_unwind(AssertUnwindSafe(|| self.on_notification(&method, params)));
                match r {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => self
                        .out
                        .log(lsp::MessageType::WARNING, format!("gongwen: {method}: {e}")),
                    Err(p) => self.out.log(
                        lsp::MessageType::ERROR,
                        format!("gongwen: internal error in {method}: {}", panic_text(&p)),
                    ),
                }
            }
        }
        None
    }

    fn on_request(&mut self, id: Value, method: &str, params: Value) {
        if method == "initialize" {
            if self.initialized {
                self.out
                    .err(id, code::INVALID_REQUEST, "initialize was already received");
                return;
            }
            match parse::<lsp::InitializeParams>(params) {
                Ok(p) => match catch_unwind(AssertUnwindSafe(|| self.initialize(p))) {
                    Ok(result) => self.out.ok(id, result),
                    Err(p) => self.out.err(
                        id,
                        code::INTERNAL_ERROR,
                        format!("internal error in initialize: {}", panic_text(&p)),
                    ),
                },
                Err(e) => self.out.err(id, code::INVALID_PARAMS, e),
            }
            return;
        }
        if !self.initialized {
            self.out
                .err(id, code::SERVER_NOT_INITIALIZED, "initialize first");
            return;
        }
        if self.shutdown {
            self.out
                .err(id, code::INVALID_REQUEST, "the server is shutting down");
            return;
        }
        let r = catch_unwind(AssertUnwindSafe(|| self.handle(method, params)));
        match r {
            Ok(Ok(v)) => self.out.ok(id, v),
            Ok(Err((code, msg))) => self.out.err(id, code, msg),
            Err(p) => self.out.err(
                id,
                code::INTERNAL_ERROR,
                format!("internal error in {method}: {}", panic_text(&p)),
            ),
        }
    }

    fn initialize(&mut self, p: lsp::InitializeParams) -> Value {
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        self.encoding = Encoding::negotiate(offered);
        self.document_changes = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        self.watch_files = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if let Some(opts) = &p.initialization_options {
            self.set_client_options(opts);
        }
        self.initialized = true;
        let caps = lsp::ServerCapabilities {
            position_encoding: Some(lsp::PositionEncodingKind::new(self.encoding.as_str())),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                        lsp::SaveOptions {
                            include_text: Some(false),
                        },
                    )),
                    ..Default::default()
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::new(FIX_ALL_KIND),
                    ]),
                    resolve_provider: Some(false),
                    ..Default::default()
                },
            )),
            document_symbol_provider: Some(lsp::OneOf::Left(true)),
            folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            ..Default::default()
        };
        json!({
            "capabilities": caps,
            "serverInfo": {"name": "gongwen", "version": env!("CARGO_PKG_VERSION")},
        })
    }

    fn set_client_options(&mut self, value: &Value) {
        let (opts, problems) = ClientOptions::from_json(value);
        for p in problems {
            self.out
                .show(lsp::MessageType::WARNING, format!("gongwen: {p}"));
        }
        self.client = opts;
        self.generation += 1;
        self.configs.clear();
        self.shown.clear();
        self.schemas.clear();
    }

    /// The configuration for a document at `path`.
    fn config_for(&mut self, path: Option<&Path>) -> Arc<Config> {
        // Per file: a configuration may treat files of one folder differently.
        let key = path.map(Path::to_path_buf);
        if let Some(c) = self.configs.get(&key) {
            return c.clone();
        }
        let (mut settings, file_schema) = match file_settings(path) {
            Ok(found) => found,
            Err(e) => {
                self.show_once(lsp::MessageType::ERROR, format!("gongwen: {e}"));
                (Settings::default(), None)
            }
        };
        self.client.apply(&mut settings);
        let id = self
            .client
            .schema
            .clone()
            .or(file_schema)
            .unwrap_or_else(|| schema::DEFAULT.to_string());
        let schema = match self.schemas.get(&id) {
            Ok(s) => s,
            Err(e) => {
                self.show_once(
                    lsp::MessageType::ERROR,
                    format!("gongwen: {e}（改用默认模式 {}）", schema::DEFAULT),
                );
                match self.schemas.get(schema::DEFAULT) {
                    Ok(s) => s,
                    // The built-in schema is compiled in and tested.
                    Err(e) => panic!("built-in schema broken: {e}"),
                }
            }
        };
        let config = Arc::new(Config {
            settings,
            schema,
            unsafe_fixes: self.client.unsafe_fixes.unwrap_or(false),
            generation: self.generation,
        });
        self.configs.insert(key, config.clone());
        config
    }

    /// Show a message once per settings generation (one broken gongwen.toml
    /// and five open documents make one message, not five).
    fn show_once(&mut self, kind: lsp::MessageType, message: String) {
        if self.shown.insert(message.clone()) {
            self.out.show(kind, message);
        }
    }

    fn schedule(&mut self, uri: &Uri) {
        let Some(path) = self.docs.get(uri.as_str()).map(|d| d.doc.path.clone()) else {
            return;
        };
        let config = self.config_for(path.as_deref());
        let Some(open) = self.docs.get(uri.as_str()) else {
            return;
        };
        let _ = self.jobs.send(LintJob {
            uri: uri.clone(),
            version: open.doc.version,
            source: open.doc.source.clone(),
            config,
        });
    }

    fn relint_all(&mut self) {
        let uris: Vec<Uri> = self.docs.values().map(|d| d.doc.uri.clone()).collect();
        for uri in uris {
            self.schedule(&uri);
        }
    }

    fn on_linted(&mut self, a: Arc<Analysis>, uri: Uri) {
        let enc = self.encoding;
        let generation = self.generation;
        let Some(open) = self.docs.get_mut(uri.as_str()) else {
            return; // closed meanwhile
        };
        if a.version != open.doc.version || a.generation != generation {
            return; // a newer lint is queued
        }
        if open.published == Some((a.version, a.generation)) {
            return;
        }
        let diagnostics = features::diagnostics(&a, &uri, enc);
        open.published = Some((a.version, a.generation));
        open.analysis = Some(a.clone());
        self.out.notify(
            "textDocument/publishDiagnostics",
            json!(lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: Some(a.version),
            }),
        );
    }

    /// The analysis of the current version of a document.
    fn analysis(&mut self, uri: &Uri) -> Result<Arc<Analysis>, (i64, String)> {
        let path = match self.docs.get(uri.as_str()) {
            Some(d) => d.doc.path.clone(),
            None => {
                return Err((
                    code::INVALID_PARAMS,
                    format!("document not open: {}", uri.as_str()),
                ));
            }
        };
        let config = self.config_for(path.as_deref());
        let open = self.docs.get_mut(uri.as_str()).expect("checked above");
        if let Some(a) = &open.analysis
            && a.version == open.doc.version
            && a.generation == config.generation
        {
            return Ok(a.clone());
        }
        let a = Arc::new(features::analyze(
            open.doc.source.clone(),
            open.doc.version,
            &config,
        ));
        open.analysis = Some(a.clone());
        Ok(a)
    }

    fn on_notification(&mut self, method: &str, params: Value) -> Result<(), String> {
        match method {
            "initialized" => self.register_watcher(),
            "textDocument/didOpen" => {
                let p: lsp::DidOpenTextDocumentParams = parse(params)?;
                let d = p.text_document;
                let uri = d.uri.clone();
                self.docs.insert(
                    d.uri.as_str().to_string(),
                    OpenDoc {
                        doc: Doc::new(d.uri, d.version, d.text),
                        analysis: None,
                        published: None,
                    },
                );
                self.schedule(&uri);
            }
            "textDocument/didChange" => {
                let p: lsp::DidChangeTextDocumentParams = parse(params)?;
                let uri = p.text_document.uri;
                let enc = self.encoding;
                let Some(open) = self.docs.get_mut(uri.as_str()) else {
                    return Err(format!(
                        "didChange for a document not open: {}",
                        uri.as_str()
                    ));
                };
                open.doc
                    .apply_changes(p.text_document.version, p.content_changes, enc);
                self.schedule(&uri);
            }
            "textDocument/didSave" => {
                let p: lsp::DidSaveTextDocumentParams = parse(params)?;
                // The file's folder may hold a changed gongwen.toml: reread it.
                if p.text_document.uri.as_str().ends_with("gongwen.toml") {
                    self.settings_changed();
                } else {
                    self.schedule(&p.text_document.uri);
                }
            }
            "textDocument/didClose" => {
                let p: lsp::DidCloseTextDocumentParams = parse(params)?;
                let uri = p.text_document.uri;
                if self.docs.remove(uri.as_str()).is_some() {
                    self.out.notify(
                        "textDocument/publishDiagnostics",
                        json!(lsp::PublishDiagnosticsParams {
                            uri,
                            diagnostics: Vec::new(),
                            version: None,
                        }),
                    );
                }
            }
            "workspace/didChangeConfiguration" => {
                let p: lsp::DidChangeConfigurationParams = parse(params)?;
                if p.settings.is_null() {
                    // A bare "something changed" (pull-model clients): keep
                    // the editor options, reread the rest.
                    self.settings_changed();
                } else {
                    self.set_client_options(&p.settings);
                    self.relint_all();
                }
            }
            "workspace/didChangeWatchedFiles" => self.settings_changed(),
            "$/cancelRequest" | "$/setTrace" => {}
            // Other notifications (including `$/…` ones) may be ignored.
            _ => {}
        }
        Ok(())
    }

    /// Ask the client to tell us about gongwen.toml changes (VS Code's
    /// extension watches on its own; Neovim and Helix take this).
    fn register_watcher(&self) {
        if !self.watch_files {
            return;
        }
        let watcher = lsp::Registration {
            id: "gongwen-toml".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: Some(json!(lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String("**/gongwen.toml".into()),
                    kind: None,
                }],
            })),
        };
        self.out.send(json!({
            "jsonrpc": "2.0",
            "id": "gongwen-register-watcher",
            "method": "client/registerCapability",
            "params": lsp::RegistrationParams { registrations: vec![watcher] },
        }));
    }

    fn settings_changed(&mut self) {
        self.generation += 1;
        self.configs.clear();
        self.shown.clear();
        self.schemas.clear();
        self.relint_all();
    }

    fn handle(&mut self, method: &str, params: Value) -> Result<Value, (i64, String)> {
        let bad = |e: String| (code::INVALID_PARAMS, e);
        let enc = self.encoding;
        match method {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = parse(params).map_err(bad)?;
                let a = self.analysis(&p.text_document.uri)?;
                let actions = features::code_actions(
                    &a,
                    &p.text_document.uri,
                    p.range,
                    p.context.only.as_deref(),
                    enc,
                    self.document_changes,
                );
                Ok(json!(actions))
            }
            "textDocument/documentSymbol" => {
                let p: lsp::DocumentSymbolParams = parse(params).map_err(bad)?;
                let a = self.analysis(&p.text_document.uri)?;
                Ok(json!(features::document_symbols(&a, enc)))
            }
            "textDocument/foldingRange" => {
                let p: lsp::FoldingRangeParams = parse(params).map_err(bad)?;
                let a = self.analysis(&p.text_document.uri)?;
                Ok(json!(features::folding_ranges(&a)))
            }
            "textDocument/hover" => {
                let p: lsp::HoverParams = parse(params).map_err(bad)?;
                let pos = p.text_document_position_params;
                let a = self.analysis(&pos.text_document.uri)?;
                Ok(json!(features::hover(&a, pos.position, enc)))
            }
            #[cfg(test)]
            "gongwen/testPanic" => panic!("test panic"),
            _ => Err((
                code::METHOD_NOT_FOUND,
                format!("method not found: {method}"),
            )),
        }
    }
}

/// Settings and schema id from the workspace configuration (the nearest
/// `gongwen.toml` upward from the document, [`crate::config::settings_for`])
/// for a document at `path`; defaults for an unsaved document. Editor
/// options are laid over whatever this returns, key by key.
fn file_settings(path: Option<&Path>) -> Result<(Settings, Option<String>), String> {
    match path {
        Some(p) => crate::config::settings_for(p)
            .map(|(settings, schema)| (settings, Some(schema)))
            .map_err(|e| e.to_string()),
        None => Ok((Settings::default(), None)),
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid params: {e}"))
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A writer the test can read after the server is done.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn frames(msgs: &[Value]) -> Vec<u8> {
        let mut out = Vec::new();
        for m in msgs {
            transport::write(&mut out, m).unwrap();
        }
        out
    }

    /// Every message the server wrote, as JSON.
    fn written(bytes: &[u8]) -> Vec<Value> {
        let text = std::str::from_utf8(bytes).unwrap();
        let mut out = Vec::new();
        let mut rest = text;
        while let Some((head, tail)) = rest.split_once("\r\n\r\n") {
            let len: usize = head["Content-Length: ".len()..].parse().unwrap();
            out.push(serde_json::from_str(&tail[..len]).unwrap());
            rest = &tail[len..];
        }
        out
    }

    #[test]
    fn a_panicking_handler_becomes_an_internal_error_and_serving_goes_on() {
        let input = frames(&[
            json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
            json!({"jsonrpc":"2.0","id":2,"method":"gongwen/testPanic","params":null}),
            json!({"jsonrpc":"2.0","id":3,"method":"shutdown"}),
            json!({"jsonrpc":"2.0","method":"exit"}),
        ]);
        let out = Shared::default();
        let exit = serve(io::Cursor::new(input), out.clone()).unwrap();
        assert_eq!(exit, Exit::Clean);
        let got = written(&out.0.lock().unwrap());
        let by_id = |id: i64| got.iter().find(|v| v["id"] == id).unwrap().clone();
        assert_eq!(
            by_id(1)["result"]["capabilities"]["positionEncoding"],
            "utf-16"
        );
        let e = by_id(2);
        assert_eq!(e["error"]["code"], code::INTERNAL_ERROR);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("test panic")
        );
        assert_eq!(by_id(3)["result"], Value::Null);
    }
}
