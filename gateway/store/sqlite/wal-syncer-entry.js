'use strict';
// Entry of the store's sync thread: loads wal-syncer.ts bundled in memory, like store-worker-entry.js.
const path = require('node:path');
const { loadBundle } = require(path.join(__dirname, '..', '..', '..', 'bin', 'load-bundle.js'));
loadBundle(path.join(__dirname, 'wal-syncer.ts'));
