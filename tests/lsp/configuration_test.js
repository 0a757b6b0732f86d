// The language server and the command line give the same answer: every rule fixture opened in
// the editor gets the findings `pmtalint config --format json` reports for that file, and a
// conf.d fragment with a .pmtalint.toml naming the main configuration is analysed as part of it
// (names from its siblings known, findings in closed files published for their own URIs and
// cleared when fixed).
//   node configuration_test.js PMTALINT NODE_MODULES_DIR SOURCE_DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const [binaryArg, modules, sourceDir] = process.argv.slice(2);
const binary = path.resolve(binaryArg);
const rpc = require(path.resolve(modules, 'vscode-languageserver-protocol', 'node'));

let failed = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failed++;
}

// The CLI's findings in one file, as comparable keys (1-based line, slug, severity, message).
function cliFindings(file, cwd, args = []) {
  let out;
  try {
    out = execFileSync(binary, ['config', '--format', 'json', ...args, file], { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    if (e.status !== 1) throw new Error(`pmtalint config ${file}: exit ${e.status}: ${e.stderr}`);
    out = e.stdout;  // exit 1: findings
  }
  const report = JSON.parse(out);
  const wanted = path.resolve(cwd, file);
  return report.diagnostics.filter((d) => path.resolve(cwd, d.file) === wanted)
    .map((d) => `${d.line} ${d.rule} ${d.severity} ${d.message}`).sort();
}
const severities = { 1: 'error', 2: 'warning', 3: 'info' };
const lspKeys = (list) => list.map((d) => `${d.range.start.line + 1} ${d.code} ${severities[d.severity]} ${d.message}`).sort();

function allFixtures(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allFixtures(full));
    else if (entry.name.endsWith('.conf') || entry.name === 'config') out.push(full);
  }
  return out.sort();
}

async function main() {
  const server = spawn(binary, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout),
                                                  new rpc.StreamMessageWriter(server.stdin));
  const diagnostics = new Map();  // uri -> list of publications
  const waiters = [];
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    if (!diagnostics.has(params.uri)) diagnostics.set(params.uri, []);
    diagnostics.get(params.uri).push(params);
    waiters.splice(0).forEach((w) => w());
  });
  const messages = [];
  connection.onNotification(rpc.ShowMessageNotification.type, (params) => messages.push(params));
  connection.listen();
  const next = (uri, count) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no diagnostics for ' + uri)), 10000);
    const test = () => {
      const list = diagnostics.get(uri) || [];
      if (list.length >= count) { clearTimeout(timer); resolve(list[count - 1]); } else waiters.push(test);
    };
    test();
  });
  // The first publication for `uri` after the first `from` ones that satisfies `test`; on
  // timeout the last one seen (the check that follows then fails with it).
  const until = (uri, from, test) => new Promise((resolve) => {
    const timer = setTimeout(() => { const list = diagnostics.get(uri) || []; resolve(list[list.length - 1] || { diagnostics: [] }); }, 10000);
    const look = () => {
      const found = (diagnostics.get(uri) || []).slice(from).find(test);
      if (found) { clearTimeout(timer); resolve(found); } else waiters.push(look);
    };
    look();
  });
  const open = (file, text) => {
    const uri = 'file://' + file;
    connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                                { textDocument: { uri, languageId: 'pmta', version: 1, text } });
    return uri;
  };
  const close = (uri) => connection.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  connection.sendNotification(rpc.InitializedNotification.type, {});

  // Every rule fixture, without a project configuration: one file each, as the CLI reads it.
  const fixtures = allFixtures(path.join(sourceDir, 'tests/fixtures/rules'));
  const differing = [];
  for (const file of fixtures) {
    const uri = open(file, fs.readFileSync(file, 'utf8'));
    const lsp = lspKeys((await next(uri, (diagnostics.get(uri) || []).length + 1)).diagnostics);
    const cli = cliFindings(file, path.dirname(file));
    if (JSON.stringify(lsp) !== JSON.stringify(cli)) differing.push({ file, lsp, cli });
    close(uri);
  }
  check(`CLI and LSP report the same findings for all ${fixtures.length} rule fixtures`, differing.length === 0 &&
        fixtures.length > 30, differing.slice(0, 3));

  // A conf.d layout with a .pmtalint.toml naming the main configuration.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmtalint-confd-'));
  execFileSync('cp', ['-r', path.join(sourceDir, 'tests/fixtures/confd/etc'), dir]);
  fs.writeFileSync(path.join(dir, '.pmtalint.toml'), 'main = "etc/pmta/config"\nroot = "."\n');
  const sources = path.join(dir, 'etc/pmta/conf.d/30-sources.conf');
  const uri = open(sources, fs.readFileSync(sources, 'utf8'));
  const own = lspKeys((await next(uri, 1)).diagnostics);
  const cli = cliFindings('etc/pmta/conf.d/30-sources.conf', dir);
  check('a fragment opened with main set gets the CLI\'s findings', JSON.stringify(own) === JSON.stringify(cli), { own, cli });
  check('... its real undefined name and none defined in a sibling', own.length === 1 && /'pool2'/.test(own[0]), own);
  const vmtas = 'file://' + path.join(dir, 'etc/pmta/conf.d/10-vmtas.conf');
  const elsewhere = (await next(vmtas, 1)).diagnostics;
  check('the missing generated include is reported once, for the file that includes it',
        elsewhere.filter((d) => d.code === 'include-error').length === 1, elsewhere);
  const completion = await connection.sendRequest(rpc.CompletionRequest.type,
                                                  { textDocument: { uri }, position: { line: 2, character: 24 } });
  const labels = (completion.items || completion).map((i) => i.label);
  check('completion after default-virtual-mta offers names from the other fragments',
        labels.includes('pool1') && labels.includes('mta1'), labels);

  // An edit in the open fragment that breaks a name used in a closed one: published there, and
  // cleared once fixed.
  const pools = path.join(dir, 'etc/pmta/conf.d/20-pools.conf');
  const poolsText = fs.readFileSync(pools, 'utf8');
  const poolsUri = open(pools, poolsText);
  await next(poolsUri, 1);
  const change = (version, text) => connection.sendNotification(rpc.DidChangeTextDocumentNotification.type,
                                                                { textDocument: { uri: poolsUri, version }, contentChanges: [{ text }] });
  close(uri);  // 30-sources.conf is now a closed file of the configuration
  await next(uri, 2);
  // Each change is analysed as soon as it is handled: the closed file may first get a
  // publication for the text before it, so wait for the one that shows the change.
  const sourcesUri = uri;
  const seen = () => (diagnostics.get(sourcesUri) || []).length;
  const poolOneUndefined = (p) => p.diagnostics.some((d) => d.code === 'undefined-reference' && /'pool1', which is not defined/.test(d.message));
  let from = seen();
  change(2, poolsText.replace('pool1', 'pool9'));
  const broken = await until(sourcesUri, from, poolOneUndefined);
  check('a finding the edit causes in a closed file is published for that file', poolOneUndefined(broken), broken.diagnostics);
  from = seen();
  change(3, poolsText);
  const fixed = await until(sourcesUri, from, (p) => !poolOneUndefined(p));
  check('... and cleared when the edit is undone', !poolOneUndefined(fixed) && fixed.diagnostics.length === 1, fixed.diagnostics);

  // A private key opened in the editor: one finding, none of its content.
  const key = path.join(dir, 'etc/pmta/dkim/example.com.pem');
  const keyText = fs.readFileSync(key, 'utf8');
  const keyUri = open(key, keyText);
  const keyDiagnostics = (await next(keyUri, 1)).diagnostics;
  const secretLine = keyText.split('\n')[1];
  check('a private key gets one finding that says what it is and quotes nothing',
        keyDiagnostics.length === 1 && /holds a private key/.test(keyDiagnostics[0].message) &&
        !JSON.stringify(keyDiagnostics).includes(secretLine), keyDiagnostics);
  const keyHover = await connection.sendRequest(rpc.HoverRequest.type,
                                                { textDocument: { uri: keyUri }, position: { line: 1, character: 3 } });
  check('... and hover on it shows nothing', keyHover === null, keyHover);

  // A broken .pmtalint.toml is said, not swallowed: the CLI exits 2, the editor shows a message.
  const badDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmtalint-badtoml-'));
  fs.writeFileSync(path.join(badDir, '.pmtalint.toml'), 'pmta-version = "five"\n');
  const badFile = path.join(badDir, 'config');
  fs.writeFileSync(badFile, '<domain *>\n    max-conn 80\n</domain>\n');
  const badUri = open(badFile, fs.readFileSync(badFile, 'utf8'));
  const badPublished = (await next(badUri, 1)).diagnostics;
  check('a broken .pmtalint.toml is shown as a message naming the file',
        messages.some((m) => m.type === 1 && /\.pmtalint\.toml/.test(m.message) && /pmta-version/.test(m.message)), messages);
  check('... and the document is still linted', badPublished.some((d) => d.code === 'unknown-directive'), badPublished);
  let cliStatus = 0;
  try { execFileSync(binary, ['config', badFile], { stdio: 'pipe' }); } catch (e) { cliStatus = e.status; }
  check('... where the command line exits 2', cliStatus === 2, cliStatus);
  fs.rmSync(badDir, { recursive: true, force: true });

  await connection.sendRequest(rpc.ShutdownRequest.type);
  connection.sendNotification(rpc.ExitNotification.type);
  fs.rmSync(dir, { recursive: true, force: true });
  connection.dispose();
  console.log(failed ? `${failed} failed` : 'passed');
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log('FAIL ' + (e && e.stack || e)); process.exit(1); });
