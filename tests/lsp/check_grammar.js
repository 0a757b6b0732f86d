// The VS Code extension's TextMate grammar on the fixtures: every regex compiles, and every
// line of every fixture gets the scope its first token should have (comment, tag, rule line
// with its regex, bounce category line, or directive keyword). Lines that fixtures break on
// purpose (syntax-error, foreign-syntax) have no expectation.
//   node check_grammar.js GRAMMAR FIXTURE...
'use strict';
const fs = require('fs');
const [grammarPath, ...fixtures] = process.argv.slice(2);
const grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
let failed = 0, lines = 0;

const compile = (source) => new RegExp(source, 'y');
const repository = {};
for (const [name, rule] of Object.entries(grammar.repository)) {
  try {
    repository[name] = { match: compile(rule.match || rule.begin), rule };
    for (const inner of rule.patterns || []) if (inner.match) compile(inner.match);
  } catch (e) {
    console.log(`FAIL the regex of '${name}' does not compile: ${e.message}`);
    failed++;
  }
}
const order = grammar.patterns.map((p) => p.include.slice(1));

// Like a TextMate tokenizer: at each position, the first pattern (in order) that matches there.
function firstScope(line) {
  for (let at = 0; at <= line.length; at++) {
    for (const name of order) {
      const r = repository[name];
      if (!r) continue;
      r.match.lastIndex = at;
      const m = r.match.exec(line);
      if (m) return { name, at, m };
    }
  }
  return null;
}

for (const file of fixtures) {
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed) return;
    lines++;
    const expected = trimmed.startsWith('#') ? 'comment' : trimmed.startsWith('</') ? 'close-tag'
                   : trimmed.startsWith('<') ? 'open-tag' : /^(reply|mail-from|rcpt-to|header\s+\S+|mx)\s+\//.test(trimmed)
                   ? 'rule-line' : trimmed.startsWith('/') ? 'category-line' : 'directive';
    if (/expect(@\d+)?:.*(syntax-error|foreign-syntax)/.test(line)) return;  // malformed on purpose
    // A regular expression left open on purpose (continued on a later line): no single-line scope.
    if (/expect(@\d+)?:.*invalid-value/.test(line) && ((line.split('#')[0].match(/\//g) || []).length % 2 === 1)) return;
    const got = firstScope(line);
    let ok = got && got.name === expected;
    if (ok && expected === 'directive') ok = got.m[1] === trimmed.split(/\s+/)[0].replace(/[^A-Za-z0-9.-].*$/, '');
    if (ok && (expected === 'open-tag' || expected === 'close-tag')) ok = trimmed.includes(got.m[2]);
    if (!ok && /^[<]/.test(trimmed) && !/>/.test(trimmed)) ok = got && got.name === 'directive';  // broken tags in fixtures
    if (!ok && !/^[A-Za-z<#/]/.test(trimmed)) ok = true;  // foreign syntax fixtures ({, }, …): no expectation
    if (!ok) {
      failed++;
      console.log(`FAIL ${file}:${i + 1}: expected ${expected}, got ${got ? got.name : 'nothing'}: ${line}`);
    }
  });
}
console.log(failed ? `${failed} failed` : `passed: ${lines} lines of ${fixtures.length} files`);
process.exit(failed ? 1 : 0);
