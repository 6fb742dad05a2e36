'use strict';
// Loads a TypeScript entry point as one CommonJS bundle built in memory by esbuild at start (no build step, nothing
// written). Two reasons over a per-file loader such as tsx: tsx turns on keepNames, which wraps function expressions
// in __name() calls that run each time the expression is evaluated, and per-file CommonJS output reaches every
// imported binding through an export getter. Both cost measurably on the message path; inside one bundle a
// cross-module reference is a plain variable. npm packages stay external and load from node_modules as usual.
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

function loadBundle(entry) {
  const filename = entry.replace(/\.ts$/, '.bundle.js');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    outfile: filename,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'));
  process.setSourceMapsEnabled(true);
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  mod._compile(js.text, filename);
  return mod.exports;
}

module.exports = { loadBundle };
