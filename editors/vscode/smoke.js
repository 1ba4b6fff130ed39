// A check of the server with the protocol library VS Code's client is built on, outside VS Code:
//   npm install && node smoke.js [command...]      (default command: ssmlkit lsp)
// It starts the server, opens a document with one problem after CJK text and an emoji, and
// prints the diagnostic, a hover and the completion at "<", then shuts the server down.
"use strict";

const cp = require("child_process");
const rpc = require("vscode-languageserver-protocol/node");

const [command, ...args] = process.argv.length > 2 ? process.argv.slice(2) : ["ssmlkit", "lsp"];
const server = cp.spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
const connection = rpc.createProtocolConnection(
  new rpc.StreamMessageReader(server.stdout),
  new rpc.StreamMessageWriter(server.stdin)
);

const uri = "untitled:smoke.ssml";
const text = "<speak>\n你好😀 & <\n</speak>";

async function main() {
  const diagnostics = new Promise((resolve) =>
    connection.onNotification(rpc.PublishDiagnosticsNotification.type, resolve)
  );
  connection.listen();
  const init = await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { general: { positionEncodings: ["utf-16"] } },
  });
  console.log("positionEncoding:", init.capabilities.positionEncoding);
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "ssml", version: 1, text },
  });
  const published = await diagnostics;
  for (const d of published.diagnostics) {
    const at = `${d.range.start.line}:${d.range.start.character}`;
    console.log(`diagnostic ${d.code} at ${at}: ${d.message}`);
  }
  const hover = await connection.sendRequest(rpc.HoverRequest.type, {
    textDocument: { uri },
    position: { line: 0, character: 2 },
  });
  console.log("hover:", hover.contents.value.split("\n")[0]);
  const completion = await connection.sendRequest(rpc.CompletionRequest.type, {
    textDocument: { uri },
    position: { line: 1, character: 8 }, // after the "<" (the emoji is two UTF-16 units)
  });
  console.log("completion:", completion.items.map((i) => i.label).join(" "));
  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
}

server.on("exit", (code) => {
  console.log("server exited with", code);
  process.exit(code === 0 ? 0 : 1);
});
main().catch((error) => {
  console.error(error);
  server.kill();
  process.exit(1);
});
