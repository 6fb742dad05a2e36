/**
 * Child process for the crash test: inserts messages as fast as the store takes them and prints each id once its
 * insert has resolved. The parent kills it with SIGKILL mid-stream.
 */
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import { mtMessage } from './helpers';

const path = process.argv[2]!;
const store = new SqliteMessageStore({ path, synchronous: 'FULL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 500 });
let written = 0;
const parent = process.ppid;
// Bounded even if the parent test dies without killing us: stop at 200k messages, 60 s, or when the parent is gone.
const deadline = Date.now() + 60_000;
process.stdout.on('error', () => process.exit(0));

function wave(): void {
  for (let i = 0; i < 200 && written < 200_000; i++, written++) {
    const id = store.nextId();
    store.insert(mtMessage(id)).then(
      () => process.stdout.write(`${id}\n`),
      (err: unknown) => process.stderr.write(`insert failed: ${String(err)}\n`),
    );
  }
  if (written >= 200_000 || Date.now() > deadline || process.ppid !== parent) {
    void store.close().then(() => process.exit(0));
    return;
  }
  setImmediate(wave);
}
wave();
