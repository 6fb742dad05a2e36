import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the main thread. The store's own connection runs with wal_autocheckpoint=0, so a commit never
 * copies the WAL into the database file inline (that held the event loop for tens of ms every ~0.5 s under load).
 * Instead a worker thread with its own connection to the same file runs `PRAGMA wal_checkpoint(PASSIVE)`:
 * - in the background (`checkpoint()`), concurrently with commits and the store's own fdatasync: acknowledgements
 *   never wait for it. The WAL restarts from its start when a checkpoint has caught up before the next commit;
 * - as the durability sync of a group commit (`sync(true)`): fdatasync of the -wal file (what makes the commits
 *   durable), then the checkpoint. The group committer holds commits while a sync runs, so this checkpoint
 *   backfills every frame and the WAL restarts for sure. The store uses it only when background checkpoints keep
 *   losing the race and the WAL has grown past a bound.
 *
 * The worker is plain JavaScript evaluated from a string, so it runs the same under tsx, jest and compiled builds.
 * If the worker fails, `failed` is set and the store falls back to fdatasync plus SQLite's own autocheckpoint.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw();
const walFd = fs.openSync(workerData.path + '-wal', 'r+');
parentPort.on('message', (m) => {
  if (m === 'close') {
    try { fs.closeSync(walFd); db.close(); } catch (e) {}
    parentPort.close();
    return;
  }
  let err = null;
  let frames = 0;
  let backfilled = 0;
  try {
    if (m.sync) fs.fdatasyncSync(walFd);
    if (m.checkpoint) {
      const row = checkpoint.get();
      frames = row[1];
      backfilled = row[2];
    }
  } catch (e) {
    err = String(e && e.code ? e.code : e);
  }
  parentPort.postMessage({ seq: m.seq, err, frames, backfilled });
});
`;

interface Reply {
  seq: number;
  err: string | null;
  frames: number;
  backfilled: number;
}

/** Committed ops between two background WAL checkpoints (run by the checkpoint worker). */
export const CHECKPOINT_EVERY_OPS = 8000;
/** WAL size (frames of 4 KiB) past which the next checkpoint holds commits while it runs, so that the WAL restarts. */
export const WAL_FORCE_FRAMES = 4096;

export interface CheckpointStats {
  /** Checkpoints run by the worker. */
  checkpoints: number;
  /** Checkpoints that could not backfill every frame (a commit slipped in): the WAL did not restart. */
  partial: number;
  /** Sum of the WAL sizes (frames) the checkpoints found; with restarts, about the WAL bytes written / page size. */
  frames: number;
  /** Checkpoints run with commits held (the WAL had grown past walForceFrames), so that the WAL restarts. */
  forced: number;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, (err: unknown) => void>();
  /** A background checkpoint is running. */
  busy = false;
  /** WAL size in frames at the last checkpoint (how far the WAL grew since it last restarted). */
  lastFrames = 0;
  private closing: Promise<void> | undefined;
  failed = false;
  readonly stats: CheckpointStats = { checkpoints: 0, partial: 0, frames: 0, forced: 0 };

  constructor(path: string, private readonly onFailure: (err: unknown) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (r: Reply) => this.onReply(r));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('checkpoint worker exited')));
  }

  /** fdatasync of the WAL in the worker, then a checkpoint when `checkpoint`; `done` once both are over. */
  sync(checkpoint: boolean, done: (err: unknown) => void): void {
    const seq = ++this.seq;
    // Referenced only while a sync is outstanding: an idle store must not keep the process alive.
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(seq, done);
    this.worker.postMessage({ seq, sync: true, checkpoint });
  }

  /** Starts a background checkpoint (no fsync of the WAL first, no caller waiting); ignored while one runs. */
  checkpoint(): void {
    if (this.busy || this.failed) return;
    this.busy = true;
    this.worker.postMessage({ seq: 0, sync: false, checkpoint: true });
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      if (this.failed) {
        resolve();
        return;
      }
      this.worker.once('exit', () => resolve());
      // Referenced until it has exited: an unref'd worker would let a script's process end inside close().
      this.worker.ref();
      this.worker.postMessage('close');
    });
    return this.closing;
  }

  private onReply(r: Reply): void {
    if (r.err === null && (r.frames > 0 || r.backfilled > 0)) {
      this.stats.checkpoints++;
      this.stats.frames += r.frames;
      this.lastFrames = r.frames;
      if (r.backfilled < r.frames) this.stats.partial++;
    }
    if (r.seq === 0) {
      this.busy = false;
      return;
    }
    const done = this.pending.get(r.seq);
    if (done === undefined) return;
    this.pending.delete(r.seq);
    if (this.pending.size === 0) this.worker.unref();
    done(r.err === null ? undefined : new Error(`checkpoint worker: ${r.err}`));
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (this.closing === undefined) this.onFailure(err);
    for (const done of waiting) done(err);
  }
}

/**
 * Starts the checkpoint thread for `db`'s file and turns SQLite's inline autocheckpoint off on `db`. Should the
 * thread fail later, autocheckpoint comes back on (unless `closed()`), so that the WAL cannot grow without bound.
 * Undefined when the thread cannot start: `db` then keeps checkpointing inline.
 */
export function startCheckpointer(db: Database.Database, path: string, closed: () => boolean): WalCheckpointer | undefined {
  try {
    const ckpt = new WalCheckpointer(path, () => {
      if (!closed()) db.pragma('wal_autocheckpoint = 1000');
    });
    db.pragma('wal_autocheckpoint = 0');
    return ckpt;
  } catch {
    return undefined;
  }
}
