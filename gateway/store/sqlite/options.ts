import type { SmscIdFormat } from '../../ids';
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
  /** Durable mode: commit while the previous sync runs (GroupCommitOptions.overlapSync). Default true. */
  overlapSync?: boolean;
  /** Committed ops between two background WAL checkpoints (checkpoint thread). Default 8000. On the main thread's
   *  connection only in durable mode; in the store worker always. */
  checkpointEveryOps?: number;
  /** WAL size (4 KiB frames) past which a checkpoint runs with commits held, so the WAL restarts. Default 4096. */
  walForceFrames?: number;
  clock?: Clock;
  /**
   * How a connector's SMSC writes its message ids (the connector's `receiptIdFormat`): the store keeps its
   * (connector, SMSC id) index in the same normal form as the runtime's in-memory index. Default 'auto' for all.
   */
  smscIdFormat?: (connectorId: string) => SmscIdFormat;
  /**
   * Run the connection, its statements, commits and fsyncs in the store's worker thread (default true; ':memory:'
   * always runs on this thread). false keeps everything on the main thread's connection.
   */
  worker?: boolean;
}

/** Store options from the `store` section of the config. */
export function storeOptionsFromConfig(store: {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  groupCommitMaxDelayMs: number;
  groupCommitMaxBatch: number;
  worker?: boolean;
}): SqliteStoreOptions {
  return {
    worker: store.worker ?? true,
    path: store.path,
    synchronous: store.synchronous,
    groupCommitMaxDelayMs: store.groupCommitMaxDelayMs,
    groupCommitMaxBatch: store.groupCommitMaxBatch,
  };
}
