'use strict';
// Jest transform: TypeScript to CommonJS with esbuild (already needed by tsx). Type checking is `npm run lint`.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const out = transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'es2022',
      // Jest runs CommonJS without VM modules: import() must become require().
      supported: { 'dynamic-import': false },
      sourcemap: 'inline',
      sourcefile: filename,
    });
    return { code: out.code };
  },
};
