// Starts `gongwen lsp` for plain-text and Markdown documents.
//
// Settings under `gongwen.*` go to the server as initializationOptions and,
// on every change, as workspace/didChangeConfiguration (the server re-lints
// open documents). Changes to any gongwen.toml are forwarded as
// workspace/didChangeWatchedFiles.

import * as vscode from "vscode";
import {
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The `gongwen.*` settings the server reads (unset ones stay null). */
function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("gongwen");
  return {
    select: c.get("select"),
    ignore: c.get("ignore"),
    lang: c.get("lang"),
    schema: c.get("schema"),
    severity: c.get("severity"),
    unsafeFixes: c.get("unsafeFixes"),
  };
}

async function startClient(): Promise<void> {
  const command = vscode.workspace
    .getConfiguration("gongwen")
    .get<string>("path", "gongwen");
  const run: Executable = { command, args: ["lsp"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "plaintext" },
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    initializationOptions: serverSettings(),
    synchronize: {
      configurationSection: "gongwen",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/gongwen.toml"),
    },
  };
  client = new LanguageClient("gongwen", "gongwen", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // Other settings reach the running server; a new executable needs a
      // new server process.
      if (e.affectsConfiguration("gongwen.path")) {
        await deactivate();
        await startClient();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}
