import type { Clock } from '../../../routing/ports';

/** How SqliteMessageStore opens and commits. */
export interface SqliteStoreOptions {
  /** File path, or ':memory:' for tests that need no durability. */
  path: string;
  /**
   * FULL: a write resolves only once the WAL holding its commit is fsync'd: what resolved survives a power loss.
   * The fsync (fdatasync of the -wal file) runs off the main thread after the commit, shared by the batches
   * committed meanwhile; SQLite itself runs with synchronous=NORMAL (it still syncs around checkpoints).
   * NORMAL: resolves at commit; a power loss (not a process crash) may lose the last commits.
   */
  synchronous: 'FULL' | 'NORMAL';
  groupCommitMaxDelayMs: number;
  groupCommitMaxBatch: number;
  clock?: Clock;
}

/** Store options from the `store` section of the config. */
export function storeOptionsFromConfig(store: {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  groupCommitMaxDelayMs: number;
  groupCommitMaxBatch: number;
}): SqliteStoreOptions {
  return {
    path: store.path,
    synchronous: store.synchronous,
    groupCommitMaxDelayMs: store.groupCommitMaxDelayMs,
    groupCommitMaxBatch: store.groupCommitMaxBatch,
  };
}
