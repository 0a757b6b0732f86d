// Starts `pmtalint lsp` for PowerMTA configuration files. Everything else (diagnostics,
// hover, completion, quick fixes, formatting) comes from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('pmtalint').get('path', 'pmtalint');
  client = new LanguageClient('pmtalint', 'pmtalint', { command, args: ['lsp', '--stdio'] },
                              { documentSelector: [{ scheme: 'file', language: 'pmta' }] });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
