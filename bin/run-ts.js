#!/usr/bin/env node
'use strict';
// `node bin/run-ts.js FILE.ts [args...]`: runs a TypeScript script bundled in memory (bin/load-bundle.js), as the
// benchmarks and their child processes do, so that what they measure is not the per-file loader's overhead.
const path = require('node:path');
const { loadBundle } = require('./load-bundle.js');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
const entry = path.resolve(file);
process.argv.splice(1, 2, entry);
loadBundle(entry);
