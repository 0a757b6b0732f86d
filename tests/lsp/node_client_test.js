// Protocol-level test of `pmtalint lsp` with vscode-languageserver-protocol, the client
// library VS Code itself uses (installed from the npm registry by tools/bootstrap.sh test).
//   node node_client_test.js PMTALINT NODE_MODULES_DIR
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const [binary, modules] = process.argv.slice(2);
const rpc = require(path.resolve(modules, 'vscode-languageserver-protocol', 'node'));

let failed = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failed++;
}

async function main() {
  const server = spawn(binary, ['lsp', '--stdio', '--docs-url', 'https://docs.example/pmtalint/rules/'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout),
                                                  new rpc.StreamMessageWriter(server.stdin));
  const diagnostics = new Map();  // uri -> list of publications
  const waiters = [];
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    if (!diagnostics.has(params.uri)) diagnostics.set(params.uri, []);
    diagnostics.get(params.uri).push(params);
    waiters.splice(0).forEach((w) => w());
  });
  connection.listen();
  const next = (uri, count) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no diagnostics for ' + uri)), 10000);
    const test = () => {
      const list = diagnostics.get(uri) || [];
      if (list.length >= count) { clearTimeout(timer); resolve(list[count - 1]); } else waiters.push(test);
    };
    test();
  });

  const init = await connection.sendRequest(rpc.InitializeRequest.type,
                                            { processId: process.pid, rootUri: null, capabilities: {} });
  check('initialize announces incremental sync and UTF-16 positions',
        init.capabilities.textDocumentSync.change === 2 && init.capabilities.positionEncoding === 'utf-16', init.capabilities);
  connection.sendNotification(rpc.InitializedNotification.type, {});

  // Non-ASCII before the error: 'é' is one UTF-16 unit, '😀' two, but 2 and 4 UTF-8 bytes.
  const uri = 'file:///tmp/pmtalint-node-test/sample.conf';
  const text = '# café 😀\n<domain *>\n    max-smtp-out 20\n    max-conn 80  # 😀 here\n</domain>\n';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                              { textDocument: { uri, languageId: 'pmta', version: 1, text } });
  let published = await next(uri, 1);
  const unknown = published.diagnostics.find((d) => d.code === 'unknown-directive');
  check('didOpen publishes the CLI finding with its slug and rule page', unknown && unknown.range.start.line === 3 &&
        unknown.range.start.character === 4 && unknown.codeDescription.href === 'https://docs.example/pmtalint/rules/unknown-directive.md', published);

  // Incremental edit: line 0 becomes a macro whose undefined $nope follows '😀é, '. In UTF-16
  // the finding starts at character 20 (the emoji is 2 units, é 1); in bytes it would be 23.
  connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } },
                       text: 'domain-macro x 😀é, $nope' }],
  });
  published = await next(uri, 2);
  // The file is a fragment (not named config, no main configuration set), so the undefined
  // macro is not claimed; the one note saying so stands where the claim would have.
  const moved = published.diagnostics.find((d) => d.code === 'incomplete-configuration');
  check('an incremental edit with non-ASCII text is placed in UTF-16 units',
        published.version === 2 && moved && moved.range.start.line === 0 && moved.range.start.character === 20,
        published.diagnostics);

  // Two changes in one notification, applied in order: restore the comment, fix the bad line.
  connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 25 } }, text: '# café 😀' },
      { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 12 } }, text: 'max-smtp-out' },
    ],
  });
  published = await next(uri, 3);
  check('an edit that fixes the line clears the errors', published.diagnostics.every((d) => d.severity !== 1) &&
        published.diagnostics.some((d) => d.code === 'duplicate-directive'), published.diagnostics);

  const hover = await connection.sendRequest(rpc.HoverRequest.type,
                                             { textDocument: { uri }, position: { line: 2, character: 8 } });
  check('hover on a directive explains it from the knowledge base', hover && /max-smtp-out/.test(hover.contents.value) &&
        /Default/.test(hover.contents.value), hover);
  const completion = await connection.sendRequest(rpc.CompletionRequest.type,
                                                  { textDocument: { uri }, position: { line: 2, character: 4 } });
  const labels = (completion.items || completion).map((i) => i.label);
  check('completion offers <domain> directives only', labels.includes('max-msg-rate') && !labels.includes('log-file') &&
        !labels.includes('always-allow-relaying'), labels.length);

  // Cancellation: a request cancelled at once gets either its result or RequestCancelled, and
  // the server keeps serving.
  const source = new rpc.CancellationTokenSource();
  const cancelled = connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri } }, source.token);
  source.cancel();
  let outcome;
  try { outcome = await cancelled; } catch (e) { outcome = e; }
  const symbols = await connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri } });
  check('a cancelled request does not break the next one', Array.isArray(symbols) && symbols[0].name === '<domain *>' &&
        (Array.isArray(outcome) || (outcome && outcome.code === -32800)), { outcome, symbols });

  // References of a name used after '=' (a pattern-list result): the scan must move past '='.
  const refsUri = 'file:///tmp/pmtalint-node-test/refs.conf';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: refsUri, languageId: 'pmta',
    version: 1, text: '<virtual-mta mta1>\n</virtual-mta>\n<pattern-list p>\n    mail-from /x/ virtual-mta=mta1\n</pattern-list>\n' +
    '<source 10/8>\n    default-virtual-mta mta1\n</source>\n' } });
  const refs = await connection.sendRequest(rpc.ReferencesRequest.type, { textDocument: { uri: refsUri },
    position: { line: 0, character: 14 }, context: { includeDeclaration: true } });
  check('references find the definition and both uses', Array.isArray(refs) && refs.length === 3 &&
        refs.some((r) => r.range.start.line === 3) && refs.some((r) => r.range.start.line === 6), refs);

  const nameHover = await connection.sendRequest(rpc.HoverRequest.type,
                                                 { textDocument: { uri: refsUri }, position: { line: 6, character: 26 } });
  check('hover on a name shows its definition', nameHover && /refs\.conf:1/.test(nameHover.contents.value) &&
        /<virtual-mta mta1>/.test(nameHover.contents.value), nameHover);

  // Hover on a <domain> tag's argument: the queue its mail goes into and the limits it runs with,
  // resolved as `show settings` resolves them (queue-to followed, VMTA-local blocks applied).
  const queueUri = 'file:///tmp/pmtalint-node-test/queues.conf';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: queueUri, languageId: 'pmta',
    version: 1, text: '<domain hotmail.com>\n    queue-to ms.rollup\n</domain>\n<domain ms.rollup>\n    max-smtp-out 7\n</domain>\n' +
    '<virtual-mta tx>\n    <domain *>\n        max-msg-rate 50/h\n    </domain>\n</virtual-mta>\n' } });
  const queueHover = await connection.sendRequest(rpc.HoverRequest.type,
                                                  { textDocument: { uri: queueUri }, position: { line: 0, character: 12 } });
  check('hover on a <domain> argument names the queue it lands in, with its limits', queueHover &&
        /`ms\.rollup\/\{default\}`/.test(queueHover.contents.value) && /max-smtp-out \| `7`/.test(queueHover.contents.value) &&
        /queue-to at .*queues\.conf:2/.test(queueHover.contents.value), queueHover);
  const localHover = await connection.sendRequest(rpc.HoverRequest.type,
                                                  { textDocument: { uri: queueUri }, position: { line: 7, character: 13 } });
  check('... and inside a virtual MTA, the queue on that virtual MTA', localHover &&
        /`example\.invalid\/tx`/.test(localHover.contents.value) && /max-msg-rate \| `50\/h`/.test(localHover.contents.value), localHover);

  // Formatting only re-indents; the findings after applying it are the same.
  const messy = '<domain *>\n max-smtp-out 20\n\t\tmax-conn 80\n  <bad>\n</domain>\n';
  const uri2 = 'file:///tmp/pmtalint-node-test/messy.conf';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                              { textDocument: { uri: uri2, languageId: 'pmta', version: 1, text: messy } });
  const before = await next(uri2, 1);
  const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type,
                                             { textDocument: { uri: uri2 }, options: { tabSize: 4, insertSpaces: true } });
  connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uri2, version: 2 },
    contentChanges: edits.slice().reverse().map((e) => ({ range: e.range, text: e.newText })),
  });
  const after = await next(uri2, 2);
  const key = (list) => list.diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort().join(',');
  check('formatting changes indentation only: the findings stay the same', edits.length >= 2 && key(before) === key(after),
        { before: key(before), after: key(after), edits });

  // Raw garbage on the wire between messages: a bad length, invalid JSON, a bare header. The
  // server logs or answers them and keeps serving.
  server.stdin.write('Content-Length: nope\r\n\r\n');
  server.stdin.write('Content-Length: 9\r\n\r\n{not json');
  server.stdin.write('X-Junk: 1\r\n\r\n');
  const afterGarbage = await connection.sendRequest(rpc.HoverRequest.type,
                                                    { textDocument: { uri }, position: { line: 2, character: 8 } });
  check('malformed input on the wire does not stop the server', afterGarbage && /max-smtp-out/.test(afterGarbage.contents.value));

  // Unknown method, and a request with parameters of the wrong type.
  let unknownMethod;
  try { await connection.sendRequest('pmtalint/noSuchMethod', {}); } catch (e) { unknownMethod = e; }
  check('an unknown method gets MethodNotFound', unknownMethod && unknownMethod.code === -32601, unknownMethod);
  let badParams;
  try { await connection.sendRequest(rpc.HoverRequest.type, { textDocument: 42 }); } catch (e) { badParams = e; }
  check('parameters of the wrong type get InvalidParams', badParams && badParams.code === -32602, badParams);

  const actions = await connection.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: uri2 }, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
    context: { diagnostics: [] } });
  check('code actions offer a suppression with a reason placeholder',
        actions.some((a) => /Suppress/.test(a.title) && JSON.stringify(a.edit).includes('-- REASON')), actions.map((a) => a.title));

  // Rename across the files of a configuration: the definition, a pool member, a use in an
  // included file; a macro on its domain-macro line and as $isp in the included file.
  // The files exist on disk (an include is followed by file identity), the editor's text wins.
  const renDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmtalint-rename-'));
  const renMain = 'file://' + path.join(renDir, 'config');
  const renPart = 'file://' + path.join(renDir, 'part.conf');
  const partText = '<source 10/8>\n    default-virtual-mta mta1\n</source>\n<domain $isp>\n    max-smtp-out 2\n</domain>\n';
  const mainText = '<virtual-mta mta1>\n</virtual-mta>\n<virtual-mta-pool pool1>\n    virtual-mta mta1\n</virtual-mta-pool>\n' +
    'include part.conf\ndomain-macro isp gmail.com, yahoo.com\n';
  fs.writeFileSync(path.join(renDir, 'part.conf'), partText);
  fs.writeFileSync(path.join(renDir, 'config'), mainText);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: renPart, languageId: 'pmta',
    version: 1, text: partText } });
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: renMain, languageId: 'pmta',
    version: 1, text: mainText } });
  const renamed = await connection.sendRequest(rpc.RenameRequest.type,
    { textDocument: { uri: renMain }, position: { line: 0, character: 14 }, newName: 'mta-one' });
  const changes = (renamed && renamed.changes) || {};
  check('rename of a VMTA edits its definition, the pool member and the use in the included file',
        (changes[renMain] || []).length === 2 && (changes[renPart] || []).length === 1 &&
        changes[renPart][0].range.start.line === 1 && changes[renPart][0].range.start.character === 24 &&
        changes[renPart][0].range.end.character === 28 && changes[renMain].every((e) => e.newText === 'mta-one'), renamed);
  const macroRenamed = await connection.sendRequest(rpc.RenameRequest.type,
    { textDocument: { uri: renMain }, position: { line: 6, character: 14 }, newName: 'provider' });
  const macroChanges = (macroRenamed && macroRenamed.changes) || {};
  check('rename of a macro edits its domain-macro line and $isp in the included file',
        (macroChanges[renMain] || []).length === 1 && (macroChanges[renPart] || []).length === 1 &&
        macroChanges[renPart][0].range.start.character === 9 && macroChanges[renPart][0].range.end.character === 12, macroRenamed);

  // source.fixAll: the safe fixes of the document at once, not the did-you-mean rename.
  const fixUri = 'file:///tmp/pmtalint-node-test/fixall.conf';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: fixUri, languageId: 'pmta',
    version: 1, text: '<Domain *>\n    Max-SMTP-Out 2\n    max-smtp-ot 3\n</Domain>\n' } });
  await next(fixUri, 1);
  const fixAll = await connection.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: fixUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] } });
  const fixEdits = fixAll.length === 1 ? fixAll[0].edit.changes[fixUri] : [];
  check('source.fixAll applies the safe fixes only', fixAll.length === 1 && fixAll[0].kind === 'source.fixAll.pmtalint' &&
        fixEdits.length === 3 && !fixEdits.some((e) => e.newText === 'max-smtp-out' && e.range.start.line === 2), fixAll);
  check('initialize announces rename, range formatting and source.fixAll', init.capabilities.renameProvider === true &&
        init.capabilities.documentRangeFormattingProvider === true &&
        init.capabilities.codeActionProvider.codeActionKinds.includes('source.fixAll'), init.capabilities);

  // Range formatting touches only the lines of the range.
  const rangeUri = 'file:///tmp/pmtalint-node-test/range.conf';
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: rangeUri, languageId: 'pmta',
    version: 1, text: '<domain *>\nmax-smtp-out 1\nmax-msg-rate 1/h\n</domain>\n' } });
  const rangeEdits = await connection.sendRequest(rpc.DocumentRangeFormattingRequest.type, { textDocument: { uri: rangeUri },
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }, options: { tabSize: 2, insertSpaces: true } });
  check('range formatting re-indents only the selected lines', Array.isArray(rangeEdits) && rangeEdits.length === 1 &&
        rangeEdits[0].range.start.line === 2 && rangeEdits[0].newText === '  ', rangeEdits);

  fs.rmSync(renDir, { recursive: true, force: true });

  connection.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  const cleared = await next(uri, 4);
  check('didClose clears the document\'s diagnostics', cleared.diagnostics.length === 0, cleared);

  await connection.sendRequest(rpc.ShutdownRequest.type);
  connection.sendNotification(rpc.ExitNotification.type);
  const code = await exited;
  check('exit after shutdown ends the server with status 0', code === 0, code);
  connection.dispose();
  console.log(failed ? `${failed} failed` : 'passed');
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log('FAIL ' + (e && e.stack || e)); process.exit(1); });
