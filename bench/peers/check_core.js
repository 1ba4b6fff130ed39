#!/usr/bin/env node
// Time the npm peer ssml-check-core on SSML files, for bench/bench_lint.py.
//
// Usage: node check_core.js REPEAT LISTFILE
//   REPEAT    how many timed check() calls per file (after one untimed call that warms the JIT)
//   LISTFILE  a file with one SSML file path per line
// Prints one JSON object: {"tool", "version", "results": [{"file", "meanMs", "errors"}]}.
//
// Usage: node check_core.js --passes PASSES ROUNDS WARMLIST LISTFILE
//   The way bench_lint times ssmlkit: ROUNDS untimed passes over the files of WARMLIST (other
//   documents: the JIT warms up, while nothing about LISTFILE's documents is seen), then PASSES
//   timed passes over LISTFILE's files, each file once a pass.
// Prints one JSON object: {"tool", "version", "docs", "passMs": [total ms of each pass]}. The
// first pass is the one-pass figure: each document met once, as ssmlkit's one pass meets it. The
// later ones meet documents seen before, as the REPEAT mode's calls do.
//
// Each call gets fresh options (the library writes into the object it is given), with every
// platform's rules and positions on, the closest to what `ssmlkit lint` reports.
'use strict';

const fs = require('fs');
const path = require('path');

const options = () => ({ platform: 'all', getPositions: true });

function readList(listFile) {
  return fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
}

async function passes(core, version, args) {
  const [passesArg, roundsArg, warmList, listFile] = args;
  const count = Number(passesArg);
  const rounds = Number(roundsArg);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 0 || !listFile) {
    process.stderr.write('usage: node check_core.js --passes PASSES ROUNDS WARMLIST LISTFILE\n');
    process.exit(2);
  }
  // Read before any timing: the timed passes check strings, as ssmlkit's lint bytes in memory.
  const warm = readList(warmList).map((f) => fs.readFileSync(f, 'utf8'));
  const texts = readList(listFile).map((f) => fs.readFileSync(f, 'utf8'));
  for (let r = 0; r < rounds; r++) for (const text of warm) await core.check(text, options());
  const passMs = [];
  for (let p = 0; p < count; p++) {
    const start = process.hrtime.bigint();
    for (const text of texts) await core.check(text, options());
    passMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  process.stdout.write(
    JSON.stringify({ tool: 'ssml-check-core', version, docs: texts.length, passMs }) + '\n'
  );
}

async function main() {
  const core = require(path.join(__dirname, 'node_modules', 'ssml-check-core'));
  const { version } = require(path.join(__dirname, 'node_modules', 'ssml-check-core', 'package.json'));
  if (process.argv[2] === '--passes') return passes(core, version, process.argv.slice(3));
  const [repeatArg, listFile] = process.argv.slice(2);
  const repeat = Number(repeatArg);
  if (!Number.isInteger(repeat) || repeat < 1 || !listFile) {
    process.stderr.write('usage: node check_core.js REPEAT LISTFILE\n');
    process.exit(2);
  }
  const files = readList(listFile);
  const results = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    let errors = await core.check(text, options());
    const start = process.hrtime.bigint();
    for (let k = 0; k < repeat; k++) errors = await core.check(text, options());
    const meanMs = Number(process.hrtime.bigint() - start) / 1e6 / repeat;
    results.push({ file, meanMs, errors: errors ? errors.length : 0 });
  }
  process.stdout.write(JSON.stringify({ tool: 'ssml-check-core', version, results }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`check_core.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(2);
});
