//! `gongwen lsp`: the language server. Live diagnostics, quick fixes, "fix
//! all", the report outline as document symbols, folding ranges for
//! sections, and hovers on headings, over the Language Server Protocol on
//! stdio.
//!
//! It calls the same [`crate::check`] as the CLI; this module only keeps
//! documents in sync, converts byte spans to positions in the negotiated
//! encoding (utf-8 when the client offers it, else utf-16), and turns
//! results into protocol messages. See [`server`] for the threading.

pub mod document;
pub mod features;
pub mod options;
pub mod server;
mod transport;

pub use server::{Exit, serve};

/// Serve on stdin/stdout until the client sends `exit` or closes stdin.
pub fn run_stdio() -> std::io::Result<Exit> {
    let input = std::io::BufReader::new(std::io::stdin());
    serve(input, std::io::stdout())
}
