// Starts `pmtalint lsp` for PowerMTA configuration files. Everything else (diagnostics,
// hover, completion, rename, quick fixes, fix-all, formatting) comes from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('pmtalint');
  const command = settings.get('path', 'pmtalint');
  const extra = settings.get('serverArgs', []).filter((a) => typeof a === 'string');
  // Relative paths in the arguments are taken from the first workspace folder.
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const options = folder ? { cwd: folder.uri.fsPath } : {};
  client = new LanguageClient('pmtalint', 'pmtalint', { command, args: ['lsp', '--stdio', ...extra], options },
                              { documentSelector: [{ scheme: 'file', language: 'pmta' }] });
  context.subscriptions.push(client);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('pmtalint')) vscode.window.showInformationMessage('pmtalint: reload the window to use the new settings.');
  }));
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
