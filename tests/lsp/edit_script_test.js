// The language server keeps each document by applying the editor's incremental changes, and
// drops an analysis when a newer edit arrives. Neither may change the answer: after every step
// of a random edit script (seeded; single edits and bursts sent without waiting), the findings
// published for the newest version equal those of `pmtalint config` run from scratch on that
// text. Publications for one document never go back to an older version.
//   node edit_script_test.js PMTALINT NODE_MODULES_DIR SOURCE_DIR [STEPS] [SEED]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const [binaryArg, modules, sourceDir, stepsArg, seedArg] = process.argv.slice(2);
const binary = path.resolve(binaryArg);
const rpc = require(path.resolve(modules, 'vscode-languageserver-protocol', 'node'));
const steps = Number(stepsArg || 120);
const seed = Number(seedArg || 17);

let failed = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failed++;
}

function mulberry32(a) {
  return () => {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The single-file rule fixtures, one after the other: a text with findings of most rules.
function startingText() {
  const dir = path.join(sourceDir, 'tests', 'fixtures', 'rules');
  return fs.readdirSync(dir).filter((n) => n.endsWith('.conf')).sort()
    .map((n) => fs.readFileSync(path.join(dir, n), 'utf8')).join('\n');
}

// Pieces an edit inserts: single characters (typing), whole lines, block tags, macros.
const pieces = ['x', ' ', '\n', '#', '$', '<', '>', '/', 'é', 'max-smtp-out 5\n', 'max-smtp-out 50\n',
                '<domain example.com>\n', '</domain>\n', '<virtual-mta v1>\n', '</virtual-mta>\n',
                'smtp-source-host 192.0.2.1 mta.example.com\n', 'max-msg-rate 10/h\n', 'domain-macro m a.com, b.com\n',
                '<domain $m>\n', 'max-conn 80\n', 'auth_type = "x"\n', 'backoff-max-smtp-out 1\n'];

function position(text, offset) {  // LSP position: line, UTF-16 units (JS strings count them)
  let line = 0, start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

// One random change: an insertion, a deletion (possibly across lines) or a replacement.
function randomChange(text, random) {
  // An editor never splits a surrogate pair.
  const whole = (i) => (i > 0 && i < text.length && (text.charCodeAt(i) & 0xFC00) === 0xDC00 ? i - 1 : i);
  const at = whole(Math.floor(random() * (text.length + 1)));
  const kind = random();
  let end = at;
  if (kind >= 0.55) end = Math.max(at, whole(Math.min(text.length, at + 1 + Math.floor(random() * (kind < 0.85 ? 12 : 200)))));
  const insert = kind < 0.55 || kind >= 0.85 ? pieces[Math.floor(random() * pieces.length)] : '';
  const change = { range: { start: position(text, at), end: position(text, end) }, text: insert };
  return { change, text: text.slice(0, at) + insert + text.slice(end) };
}

function cliFindings(file) {
  let out;
  try {
    out = execFileSync(binary, ['config', '--format', 'json', file], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    if (e.status !== 1) throw new Error(`pmtalint config ${file}: exit ${e.status}: ${e.stderr}`);
    out = e.stdout;
  }
  return JSON.parse(out).diagnostics.filter((d) => path.resolve(d.file) === file)
    .map((d) => `${d.line} ${d.rule} ${d.severity} ${d.message}`).sort();
}
const severities = { 1: 'error', 2: 'warning', 3: 'info' };
const lspKeys = (list) => list.map((d) => `${d.range.start.line + 1} ${d.code} ${severities[d.severity]} ${d.message}`).sort();

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmtalint-edits-'));
  const file = path.join(dir, 'config');  // named like PMTA's main file: the whole configuration
  const uri = 'file://' + file;
  const server = spawn(binary, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout),
                                                  new rpc.StreamMessageWriter(server.stdin));
  const published = [];
  let waiter = null;
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    if (params.uri !== uri) return;
    published.push(params);
    if (waiter && params.version === waiter.version) { const w = waiter; waiter = null; w.resolve(params); }
  });
  connection.listen();
  const publication = (version) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version}`)), 20000);
    waiter = { version, resolve: (p) => { clearTimeout(timer); resolve(p); } };
  });
  await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  connection.sendNotification(rpc.InitializedNotification.type, {});

  const random = mulberry32(seed);
  let text = startingText();
  let version = 1;
  let done = publication(version);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                              { textDocument: { uri, languageId: 'pmta', version, text } });
  let mismatches = 0, compared = 0, bursts = 0;
  for (let step = 0; step <= steps; step++) {
    const got = await done;
    fs.writeFileSync(file, text);
    const want = cliFindings(file);
    const have = lspKeys(got.diagnostics);
    compared++;
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      if (mismatches++ < 3) {
        const missing = want.filter((k) => !have.includes(k)), extra = have.filter((k) => !want.includes(k));
        check(`version ${version}: editor and command line agree`, false, { missing, extra });
      }
    }
    if (step === steps) break;
    // A burst: several changes sent without waiting, as fast typing does; only the last
    // version has to be published.
    const count = random() < 0.3 ? 2 + Math.floor(random() * 3) : 1;
    if (count > 1) bursts++;
    for (let i = 0; i < count; i++) {
      const edit = randomChange(text, random);
      text = edit.text;
      version++;
      if (i === count - 1) done = publication(version);
      connection.sendNotification(rpc.DidChangeTextDocumentNotification.type,
                                  { textDocument: { uri, version }, contentChanges: [edit.change] });
    }
  }
  check(`${compared} versions (${bursts} bursts of edits): editor findings equal a from-scratch run`, mismatches === 0,
        `${mismatches} differ`);
  const versions = published.map((p) => p.version);
  check('publications never go back to an older version', versions.every((v, i) => i === 0 || v >= versions[i - 1]),
        versions);
  await connection.sendRequest(rpc.ShutdownRequest.type);
  connection.sendNotification(rpc.ExitNotification.type);
  connection.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(1); });
