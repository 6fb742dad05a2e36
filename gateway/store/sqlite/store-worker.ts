/**
 * The store's worker thread: owns the SQLite connection and runs every named operation (message-ops.ts, mo-ops.ts)
 * that the main thread queues, so statements, commits and fsyncs never hold the event loop that moves messages.
 *
 * Group commit happens here: when the worker wakes it drains the batches already posted (up to MAX_CYCLE_OPS ops),
 * runs them in one transaction (each batch under its own savepoint, so one failing batch fails alone), commits once
 * and answers all of them in one message. In durable mode the answer goes through the sync thread (wal-syncer.ts),
 * which posts it to the main thread after an fdatasync of the WAL that started after the commit; the next cycle's
 * statements run here meanwhile. The main thread keeps posting, so batches grow with the disk's latency.
 *
 * Batches come in two lanes: first-lane batches (writeFirst: new messages, which acknowledgements wait on) are
 * committed before the others that are waiting, in a transaction of their own unless the others are few, so an
 * acknowledgement waits for the inserts alone and not for a cycle full of receipts and status updates.
 *
 * Protocol (main -> worker): { t: 'b', id, ops, first?, next? } with ops flat as [name, a, b, c, isRead, ...] and next
 * the other lane's batch of the same flush; { t: 'close' }.
 * (worker -> main): { t: 'ready' } | { t: 'fail', err } | { t: 'closed' }, and { t: 'done', ids, errs, reads, delta,
 * stats } here when not durable, else from the sync thread over `out`.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { GroupCommitStats, OpFn } from './group-commit';
import { CommitLanes } from './commit-lanes';
import { createStoreOps, type OpEffects } from './message-ops';
import { openStoreDb } from './open-db';
import { threadEntry } from './thread-entry';
import { CHECKPOINT_EVERY_OPS, WAL_FORCE_FRAMES, startCheckpointer, type CheckpointStats } from './wal-checkpointer';
import type { ToSyncer, WalSyncerData } from './wal-syncer';

export interface StoreWorkerData {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  /** Committed ops between two background WAL checkpoints (default CHECKPOINT_EVERY_OPS). */
  checkpointEveryOps?: number;
  /** WAL size in frames past which a checkpoint runs here, between two cycles, so that the WAL restarts. */
  walForceFrames?: number;
  /** The main thread's end for answers in durable mode (the sync thread posts them); closed unused otherwise. */
  out: MessagePort;
}

export interface BatchMsg {
  t: 'b';
  id: number;
  ops: unknown[];
  /** A first-lane batch (writeFirst): committed ahead of the other batches waiting (commit-lanes.ts). */
  first?: true;
  /** The other ops' batch flushed with this first-lane batch, carried in the same message. */
  next?: BatchMsg;
}

export interface DoneMsg {
  t: 'done';
  ids: number[];
  /** Per batch: null when committed, else the error text. */
  errs: (string | null)[];
  /** Per batch: [position, result, position, result...] of its reads. */
  reads: unknown[][];
  /** Change in unfinished messages from this commit. */
  delta: number;
  stats: GroupCommitStats;
  /** The checkpoint thread's counters (forced: those run here), when it runs. */
  checkpoints?: CheckpointStats;
}

export type ToWorker = BatchMsg | { t: 'close' };
export type FromWorker = { t: 'ready' } | { t: 'fail'; err: string } | DoneMsg | { t: 'closed' };

const FIELDS = 5;
/** Ops one commit takes at most (a single larger batch still commits whole). */
const MAX_CYCLE_OPS = 8000;
/** Other ops that ride in the first lane's transaction rather than commit apart (light load: one commit a round). */
const MERGE_REST_OPS = 256;

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('store-worker.ts runs only as a worker thread');
  const data = workerData as StoreWorkerData;
  let db: ReturnType<typeof openStoreDb>['db'];
  const fx: OpEffects = { delta: 0 };
  let table: Record<string, OpFn>;
  // Durable mode: SQLite commits at synchronous=NORMAL (the WAL is written, not fsync'd) and the sync thread
  // fdatasyncs the -wal file, answering a cycle only after a sync that started after its commit. The next cycle's
  // statements run while the disk syncs, instead of after it.
  const durable = data.synchronous === 'FULL';
  let walFd: number | undefined;
  try {
    db = openStoreDb(data.path).db;
    db.pragma('synchronous = NORMAL');
    if (durable) walFd = openSync(`${data.path}-wal`, 'r+');
    table = { ...createStoreOps(db, fx) };
  } catch (err) {
    port.postMessage({ t: 'fail', err: describe(err) } satisfies FromWorker);
    return;
  }
  const stats: GroupCommitStats = { transactions: 0, ops: 0, maxBatch: 0, failures: 0, commitMs: 0, syncs: 0, syncMs: 0 };

  // WAL checkpoints run beside this thread, on a connection of their own (wal-checkpointer.ts). Inline, SQLite's
  // autocheckpoint made every ~1000th page's commit copy the WAL into the database and fsync both: the cycles that
  // did it took 5-35 ms, and a new message's acknowledgement waited behind them.
  const ckpt = startCheckpointer(db, data.path, () => closed);
  const checkpointEveryOps = data.checkpointEveryOps ?? CHECKPOINT_EVERY_OPS;
  const walForceFrames = data.walForceFrames ?? WAL_FORCE_FRAMES;
  let opsAtCheckpoint = 0;
  /**
   * After a round: every checkpointEveryOps committed ops a background checkpoint. A background checkpoint backfills
   * the frames committed before it started, but the WAL restarts only if nothing was committed meanwhile, which under
   * steady load is never; so once one has found the WAL past walForceFrames, the next one runs here, between two
   * cycles, where no commit can race it. It has only the frames of the last moments left to copy.
   */
  const checkpointAfterRound = (): void => {
    const c = ckpt;
    if (c === undefined || c.failed || c.busy || stats.ops - opsAtCheckpoint < checkpointEveryOps) return;
    if (c.lastFrames <= walForceFrames) {
      opsAtCheckpoint = stats.ops;
      c.checkpoint();
      return;
    }
    // A new message waiting goes first, unless the WAL has kept growing long enough.
    if (lanes.firstWaiting && c.lastFrames <= 2 * walForceFrames) return;
    opsAtCheckpoint = stats.ops;
    c.lastFrames = 0;
    c.stats.forced++;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failed: the background checkpoints go on, and this is tried again after walForceFrames.
    }
  };

  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const runBatch = db.transaction((ops: unknown[], reads: unknown[]) => {
    for (let i = 0; i < ops.length; i += FIELDS) {
      const fn = table[ops[i] as string];
      if (fn === undefined) throw new TypeError(`unknown store operation '${String(ops[i])}'`);
      const r = fn(ops[i + 1], ops[i + 2], ops[i + 3]);
      if (ops[i + 4] === true) reads.push(i / FIELDS, r);
    }
  });

  /**
   * Runs `batches` in one transaction and commits. With `stopEarly`, asked between two batches, the cycle stops there
   * and commits what ran; the batches it did not run are returned.
   */
  const cycle = (batches: BatchMsg[], stopEarly?: () => boolean): { done: DoneMsg; unrun: BatchMsg[] } => {
    const done: DoneMsg = { t: 'done', ids: [], errs: [], reads: [], delta: 0, stats };
    fx.delta = 0;
    let ops = 0;
    let ran = 0;
    const started = performance.now();
    try {
      begin.run();
      try {
        for (const b of batches) {
          if (ran > 0 && stopEarly !== undefined && stopEarly()) break;
          ran++;
          const before = fx.delta;
          const reads: unknown[] = [];
          done.ids.push(b.id);
          try {
            runBatch(b.ops, reads); // nested: a savepoint, rolled back alone on error
            done.errs.push(null);
            done.reads.push(reads);
            ops += b.ops.length / FIELDS;
          } catch (err) {
            fx.delta = before;
            stats.failures++;
            done.errs.push(describe(err));
            done.reads.push([]);
          }
        }
      } catch (err) {
        if (db.inTransaction) rollback.run();
        throw err;
      }
      try {
        commit.run();
      } catch (err) {
        if (db.inTransaction) rollback.run();
        throw err;
      }
    } catch (err) {
      // The commit itself failed: nothing of this cycle is durable.
      const text = describe(err);
      stats.failures++;
      for (let i = 0; i < done.errs.length; i++) done.errs[i] ??= text;
      fx.delta = 0;
    }
    const took = performance.now() - started;
    stats.transactions++;
    stats.ops += ops;
    if (ops > stats.maxBatch) stats.maxBatch = ops;
    stats.commitMs += took;
    done.delta = fx.delta;
    if (ckpt !== undefined && !ckpt.failed) done.checkpoints = ckpt.stats;
    return { done, unrun: ran < batches.length ? batches.slice(ran) : [] };
  };

  // Durable mode: committed cycles go to the sync thread, which answers the main thread once the WAL is on disk.
  let syncer: Worker | undefined;
  let syncerClosed = false;
  if (walFd !== undefined) {
    syncer = new Worker(threadEntry('wal-syncer-entry.js'), { workerData: { fd: walFd, out: data.out } satisfies WalSyncerData, transferList: [data.out], execArgv: [] });
    // A sync thread that dies takes this worker with it; the main thread then fails everything pending.
    syncer.on('error', (err) => {
      throw err;
    });
    syncer.on('message', (m: { t: string }) => {
      if (m.t === 'closed') {
        syncerClosed = true;
        maybeClose();
      }
    });
  } else data.out.close();

  // Batches wait here when more arrived than one cycle takes: a commit answers at most about MAX_CYCLE_OPS ops, so
  // a flood of writes is acknowledged in steady steps instead of one huge transaction. First-lane batches (new
  // messages, which a partner's acknowledgement waits on) are committed first (commit-lanes.ts).
  const lanes = new CommitLanes<BatchMsg>({ fields: FIELDS, maxCycleOps: MAX_CYCLE_OPS, mergeRestOps: MERGE_REST_OPS });
  let closing = false;
  let closed = false;
  let syncerCloseSent = false;
  const take = (m: ToWorker): void => {
    if (m.t === 'b') lanes.take(m);
    else closing = true;
  };
  let ckptClosed = ckpt === undefined;
  const maybeClose = (): void => {
    if (!closing || closed || !lanes.empty) return;
    if (!ckptClosed) {
      ckptClosed = true;
      void ckpt!.close().then(maybeClose);
      return;
    }
    if (syncer !== undefined && !syncerClosed) {
      if (!syncerCloseSent) syncer.postMessage({ t: 'close' } satisfies ToSyncer);
      syncerCloseSent = true;
      return;
    }
    closed = true;
    try {
      if (walFd !== undefined) closeSync(walFd);
      db.close();
    } finally {
      port.postMessage({ t: 'closed' } satisfies FromWorker);
      port.close();
    }
  };
  const drainPort = (): void => {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) take(m.message as ToWorker);
  };
  // A cycle of the rest stops between two batches once a first-lane batch has arrived.
  const firstArrived = (): boolean => {
    drainPort();
    return lanes.firstWaiting;
  };
  // One round per turn of the worker's event loop, so that the sync thread's messages (its close) are not starved
  // while batches keep arriving: a cycle of the first lane if it has batches, then a cycle of the rest.
  let pumping = false;
  const pump = (): void => {
    pumping = false;
    drainPort();
    for (let round = 0; round < 2 && !lanes.empty; round++) {
      const next = lanes.nextCycle();
      const { done, unrun } = cycle(next.batches, next.preemptible ? firstArrived : undefined);
      if (unrun.length > 0) lanes.putBack(unrun);
      if (syncer !== undefined) syncer.postMessage(done satisfies ToSyncer);
      else port.postMessage(done);
      drainPort();
      checkpointAfterRound();
    }
    if (!lanes.empty) {
      pumping = true;
      setImmediate(pump);
    } else maybeClose();
  };
  port.on('message', (first: ToWorker) => {
    take(first);
    if (!pumping) pump();
  });
  port.postMessage({ t: 'ready' } satisfies FromWorker);
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

main();
