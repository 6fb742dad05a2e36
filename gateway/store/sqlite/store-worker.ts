/**
 * The store's worker thread: owns the SQLite connection and runs every named operation (message-ops.ts, mo-ops.ts)
 * that the main thread queues, so statements, commits and fsyncs never hold the event loop that moves messages.
 *
 * Group commit happens here: when the worker wakes it drains every batch already posted, runs them all in one
 * transaction (each batch under its own savepoint, so one failing batch fails alone), commits once (with
 * synchronous=FULL the commit fsyncs the WAL) and answers all of them in one message. While it commits, the main
 * thread keeps posting; the next cycle takes whatever arrived meanwhile, so batches grow with the disk's latency.
 *
 * Protocol (main -> worker): { t: 'b', id, ops } with ops flat as [name, a, b, c, isRead, ...]; { t: 'close' }.
 * (worker -> main): { t: 'ready' } | { t: 'fail', err } | { t: 'done', ids, errs, reads, delta, stats } | { t: 'closed' }.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { GroupCommitStats, OpFn } from './group-commit';
import { createMessageOps, type OpEffects } from './message-ops';
import { createMoOps } from './mo-ops';
import { openStoreDb } from './open-db';

export interface StoreWorkerData {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
}

export interface BatchMsg {
  t: 'b';
  id: number;
  ops: unknown[];
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
}

export type ToWorker = BatchMsg | { t: 'close' };
export type FromWorker = { t: 'ready' } | { t: 'fail'; err: string } | DoneMsg | { t: 'closed' };

const FIELDS = 5;
/** Ops one commit takes at most (a single larger batch still commits whole). */
const MAX_CYCLE_OPS = 8000;

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('store-worker.ts runs only as a worker thread');
  const data = workerData as StoreWorkerData;
  let db: ReturnType<typeof openStoreDb>['db'];
  const fx: OpEffects = { delta: 0 };
  let table: Record<string, OpFn>;
  try {
    db = openStoreDb(data.path).db;
    // In the worker the commit itself can wait for the disk: with FULL, COMMIT returns once the WAL is fsync'd.
    db.pragma(`synchronous = ${data.synchronous}`);
    table = { ...createMessageOps(db, fx), ...createMoOps(db) };
  } catch (err) {
    port.postMessage({ t: 'fail', err: describe(err) } satisfies FromWorker);
    return;
  }
  const stats: GroupCommitStats = { transactions: 0, ops: 0, maxBatch: 0, failures: 0, commitMs: 0, syncs: 0, syncMs: 0 };

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

  const cycle = (batches: BatchMsg[]): DoneMsg => {
    const done: DoneMsg = { t: 'done', ids: [], errs: [], reads: [], delta: 0, stats };
    fx.delta = 0;
    let ops = 0;
    const started = performance.now();
    try {
      begin.run();
      try {
        for (const b of batches) {
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
      // With synchronous=FULL the COMMIT writes and fsyncs the WAL: its time is the sync time.
      const c0 = performance.now();
      try {
        commit.run();
      } catch (err) {
        if (db.inTransaction) rollback.run();
        throw err;
      }
      stats.syncMs += performance.now() - c0;
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
    if (data.synchronous === 'FULL') stats.syncs++;
    done.delta = fx.delta;
    return done;
  };

  // Batches wait here when more arrived than one cycle takes: a commit answers at most about MAX_CYCLE_OPS ops, so
  // a flood of writes is acknowledged in steady steps instead of one huge transaction.
  const backlog: BatchMsg[] = [];
  let closing = false;
  const take = (m: ToWorker): void => {
    if (m.t === 'b') backlog.push(m);
    else closing = true;
  };
  port.on('message', (first: ToWorker) => {
    take(first);
    for (let guard = 0; guard < 1_000_000; guard++) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) take(m.message as ToWorker);
      if (backlog.length === 0) break;
      let n = 0;
      let ops = 0;
      while (n < backlog.length && (n === 0 || ops + backlog[n]!.ops.length / FIELDS <= MAX_CYCLE_OPS)) ops += backlog[n++]!.ops.length / FIELDS;
      port.postMessage(cycle(backlog.splice(0, n)));
    }
    if (closing && backlog.length === 0) {
      try {
        db.close();
      } finally {
        port.postMessage({ t: 'closed' } satisfies FromWorker);
        port.close();
      }
    }
  });
  port.postMessage({ t: 'ready' } satisfies FromWorker);
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

main();
