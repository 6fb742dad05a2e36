import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The path of a thread's entry file (store-worker-entry.js, wal-syncer-entry.js) beside these sources, found from
 * the checkout root: code bundled in memory has another __dirname than the source file.
 */
export function threadEntry(file: string): string {
  if (root === undefined) {
    let dir = __dirname;
    for (let i = 0; i < 8 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
    root = dir;
  }
  return join(root, 'gateway', 'store', 'sqlite', file);
}
