#!/usr/bin/env node
// Time the npm peer ssml-check-core on SSML files, for bench/bench_lint.py.
//
// Usage: node check_core.js REPEAT LISTFILE
//   REPEAT    how many timed check() calls per file (after one untimed call that warms the JIT)
//   LISTFILE  a file with one SSML file path per line
// Prints one JSON object: {"tool", "version", "results": [{"file", "meanMs", "errors"}]}.
// Each call gets fresh options (the library writes into the object it is given), with every
// platform's rules and positions on, the closest to what `ssmlkit lint` reports.
'use strict';

const fs = require('fs');
const path = require('path');

async function main() {
  const [repeatArg, listFile] = process.argv.slice(2);
  const repeat = Number(repeatArg);
  if (!Number.isInteger(repeat) || repeat < 1 || !listFile) {
    process.stderr.write('usage: node check_core.js REPEAT LISTFILE\n');
    process.exit(2);
  }
  const core = require(path.join(__dirname, 'node_modules', 'ssml-check-core'));
  const { version } = require(path.join(__dirname, 'node_modules', 'ssml-check-core', 'package.json'));
  const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const results = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const options = () => ({ platform: 'all', getPositions: true });
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
