'use strict';
// Entry of the store's worker thread: loads store-worker.ts bundled in memory, as bin/tollgate loads the daemon,
// so the worker runs the same TypeScript sources under the daemon, jest and the benches alike.
const path = require('node:path');
const { loadBundle } = require(path.join(__dirname, '..', '..', '..', 'bin', 'load-bundle.js'));
loadBundle(path.join(__dirname, 'store-worker.ts'));
