// The whole client: start `ssmlkit lsp` over stdio for SSML documents. Everything else
// (diagnostics, code actions, hover, completion, outline) is the server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const settings = vscode.workspace.getConfiguration("ssmlkit");
  const [command, ...args] = settings.get("command", ["ssmlkit", "lsp"]);
  const languages = settings.get("languages", ["ssml"]);
  const serverOptions = { command, args };
  const clientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    synchronize: {
      // the server re-reads each document's configuration when one of these changes
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{ssmlkit.toml,pyproject.toml}"),
    },
  };
  client = new LanguageClient("ssmlkit", "ssmlkit", serverOptions, clientOptions);
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `ssmlkit: could not start "${[command, ...args].join(" ")}" (${error.message}). ` +
        "Install it with pip install 'ssmlkit[lsp]' or set ssmlkit.command."
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
