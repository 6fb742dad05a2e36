'use strict';
// Jest transform: TypeScript to CommonJS with esbuild (already needed by tsx). Type checking is `npm run lint`.
const crypto = require('node:crypto');
const fs = require('node:fs');
const esbuild = require('esbuild');

const OPTIONS = {
  format: 'cjs',
  target: 'es2022',
  // Jest runs CommonJS without VM modules: import() must become require().
  supported: { 'dynamic-import': false },
  sourcemap: 'inline',
};

// The cache key covers this file and esbuild's version: jest's default key does not, and a stale cached
// transform from an older version of this file would otherwise be reused.
const SELF = crypto
  .createHash('sha256')
  .update(fs.readFileSync(__filename))
  .update(esbuild.version)
  .digest('hex');

module.exports = {
  getCacheKey(source, filename, options) {
    return crypto
      .createHash('sha256')
      .update(SELF)
      .update('\0')
      .update(filename)
      .update('\0')
      .update(source)
      .update('\0')
      .update(options && options.configString ? options.configString : '')
      .digest('hex');
  },
  process(source, filename) {
    const out = esbuild.transformSync(source, {
      ...OPTIONS,
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      sourcefile: filename,
    });
    return { code: out.code };
  },
};
