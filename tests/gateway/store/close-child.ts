/**
 * Child process for the close test: a script with nothing else keeping its event loop alive writes to a durable store
 * and closes it; it must print 'closed' (the checkpoint worker must not let the process end inside close()).
 */
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import { mtMessage } from './helpers';

const store = new SqliteMessageStore({ path: process.argv[2]!, synchronous: 'FULL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 500 });
async function main(): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 50; i++) writes.push(store.insert(mtMessage(store.nextId())));
  await Promise.all(writes);
  await store.close();
  process.stdout.write('closed\n');
}
void main();
