// Latency of `pmtalint lsp` on a large document, through the client library VS Code uses:
// time to first diagnostics after opening, then 200 one-character edits, each timed from the
// didChange notification to the diagnostics of that version. Prints p50/p95/max.
//   node bench/lsp_latency.js PMTALINT NODE_MODULES FILE
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const [binary, modules, file] = process.argv.slice(2);
const rpc = require(path.resolve(modules, 'vscode-languageserver-protocol', 'node'));

async function main() {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const server = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout),
                                                  new rpc.StreamMessageWriter(server.stdin));
  let waiting = null;
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    if (waiting && p.version === waiting.version) { const w = waiting; waiting = null; w.resolve(); }
  });
  connection.listen();
  const published = (version) => new Promise((resolve) => { waiting = { version, resolve }; });
  await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  connection.sendNotification(rpc.InitializedNotification.type, {});
  const uri = 'file:///tmp/pmtalint-bench/config';
  let started = process.hrtime.bigint();
  const opened = published(1);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                              { textDocument: { uri, languageId: 'pmta', version: 1, text } });
  await opened;
  const open_ms = Number(process.hrtime.bigint() - started) / 1e6;
  const times = [];
  for (let i = 0; i < 200; i++) {
    // Type one character at the end of a comment line spread over the file, then the next edit.
    const line = Math.floor((i * 7919) % lines.length);
    const version = i + 2;
    started = process.hrtime.bigint();
    const done = published(version);
    connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }],
    });
    await done;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(`lines ${lines.length}  first diagnostics after open ${open_ms.toFixed(1)} ms`);
  console.log(`200 edits, edit to diagnostics: p50 ${pct(0.5).toFixed(1)} ms  p95 ${pct(0.95).toFixed(1)} ms  ` +
              `max ${times[times.length - 1].toFixed(1)} ms  (goal p95 <= 50 ms)`);
  await connection.sendRequest(rpc.ShutdownRequest.type);
  connection.sendNotification(rpc.ExitNotification.type);
  connection.dispose();
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
