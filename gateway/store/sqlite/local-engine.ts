import { closeSync, fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreError } from '../store-error';
import { GroupCommitter } from './group-commit';
import { createStoreOps, type OpEffects } from './message-ops';
import { LocalOpCommitter } from './op-committer';
import type { OpenedStoreDb } from './open-db';
import type { SqliteStoreOptions } from './options';
import { CHECKPOINT_EVERY_OPS, WAL_FORCE_FRAMES, startCheckpointer, type CheckpointStats, type WalCheckpointer } from './wal-checkpointer';

export interface LocalEngine {
  committer: LocalOpCommitter;
  /** The connection, and the checkpoint worker in durable mode: for tests and diagnostics, not for queries. */
  readonly db: Database.Database;
  readonly checkpointer: WalCheckpointer | undefined;
  checkpointStats(): Readonly<CheckpointStats> | undefined;
  /** After the committer is closed: closes the checkpoint worker, the WAL handle and the connection. */
  close(): Promise<void>;
}

/**
 * The store on the main thread's own connection (option `worker: false`, and ':memory:'): ops run inside the
 * GroupCommitter's transactions on this thread. In durable mode a write resolves after an fdatasync of the WAL run
 * on the libuv pool, and WAL checkpoints run in a small worker of their own.
 */
export function openLocalEngine(opts: SqliteStoreOptions, opened: OpenedStoreDb, onCommitted: (delta: number) => void): LocalEngine {
  const db: Database.Database = opened.db;
  const fx: OpEffects = { delta: 0 };
  const checkpointEveryOps = opts.checkpointEveryOps ?? CHECKPOINT_EVERY_OPS;
  const walForceFrames = opts.walForceFrames ?? WAL_FORCE_FRAMES;
  let closed = false;
  let walFd: number | undefined;
  let checkpointer: WalCheckpointer | undefined;
  let opsAtCheckpoint = 0;
  let restartingWal = false;
  if (opts.synchronous === 'FULL' && opts.path !== ':memory:') {
    try {
      walFd = openSync(`${opts.path}-wal`, 'r+');
    } catch (err) {
      db.close();
      throw new StoreError(`cannot open the WAL of ${opts.path}`, { cause: err });
    }
    checkpointer = startCheckpointer(db, opts.path, () => closed);
  }

  /**
   * fdatasync of the WAL (libuv pool); every checkpointEveryOps committed ops the worker starts a background
   * checkpoint beside it. When the WAL has grown past walForceFrames (background checkpoints kept racing commits,
   * so it never restarted), the worker runs the sync and a checkpoint while commits are held.
   */
  const sync = (fd: number, done: (err: unknown) => void): void => {
    const ckpt = checkpointer;
    if (ckpt === undefined || ckpt.failed) {
      fdatasync(fd, done);
      return;
    }
    const ops = gc.stats.ops;
    const due = ops - opsAtCheckpoint >= checkpointEveryOps;
    if (due && ckpt.lastFrames > walForceFrames && !ckpt.busy) {
      opsAtCheckpoint = ops;
      ckpt.lastFrames = 0;
      ckpt.stats.forced++;
      restartingWal = true;
      ckpt.sync(true, (err) => {
        restartingWal = false;
        // A worker that died mid-sync proves nothing about durability: sync again here.
        if (err !== undefined && ckpt.failed) fdatasync(fd, done);
        else done(err);
      });
      return;
    }
    if (due && !ckpt.busy) {
      opsAtCheckpoint = ops;
      ckpt.checkpoint();
    }
    fdatasync(fd, done);
  };

  const txn = db.transaction((body: () => void) => body());
  const fd = walFd;
  const gc: GroupCommitter = new GroupCommitter({
    maxBatch: opts.groupCommitMaxBatch,
    maxDelayMs: opts.groupCommitMaxDelayMs,
    runTransaction: (body) => txn(body),
    // The sync that checkpoints to restart the WAL must see no commit while it runs.
    overlapSync: (opts.overlapSync ?? true) ? () => !restartingWal : false,
    onCommitted: () => {
      const d = fx.delta;
      fx.delta = 0;
      onCommitted(d);
    },
    onFailed: () => {
      fx.delta = 0;
    },
    sync: fd === undefined ? undefined : (done) => sync(fd, done),
  });
  const committer = new LocalOpCommitter(gc, createStoreOps(db, fx));
  return {
    committer,
    db,
    get checkpointer() {
      return checkpointer;
    },
    checkpointStats: () => checkpointer?.stats,
    async close() {
      closed = true;
      await checkpointer?.close();
      try {
        if (walFd !== undefined) closeSync(walFd);
        walFd = undefined;
        db.close();
      } catch (err) {
        throw new StoreError('closing the store failed', { cause: err });
      }
    },
  };
}
