import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError } from '../store-error';
import type { GroupCommitStats } from './group-commit';
import type { CheckpointStats } from './wal-checkpointer';
import type { BatchingOpCommitter } from './batching';
import type { BatchMsg, DoneMsg, FromWorker, StoreWorkerData, ToWorker } from './store-worker';
import { BatchPromise } from './batch-promise';
import { threadEntry } from './thread-entry';

interface Deferred {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Posted {
  resolve: (() => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
  /** [position, deferred, ...] of the batch's reads. */
  readers: (number | Deferred)[];
  ops: number;
}

export interface WorkerCommitterOptions extends Omit<StoreWorkerData, 'out'> {
  maxBatch: number;
  maxDelayMs: number;
  /** After a commit, before its promises settle: the change in unfinished messages. */
  onCommitted: (delta: number) => void;
}

/**
 * Main-thread side of the store worker (store-worker.ts): queues named ops in a flat array and posts them as one
 * batch per event-loop turn (or after maxDelayMs, or at maxBatch ops). Costs the main thread a structured clone of
 * plain arguments per op; the statements, the commit and the fsync run in the worker. Writes of a batch share one
 * promise; reads get their own. If the worker dies, everything queued or in flight rejects with StoreError and so
 * does every later call.
 */
export class WorkerOpCommitter implements BatchingOpCommitter {
  private ops: unknown[] = [];
  private readers: (number | Deferred)[] = [];
  private len = 0;
  /** The first lane (writeFirst): posted ahead of `ops` and committed by the worker before them. */
  private firstOps: unknown[] = [];
  private firstLen = 0;
  private readonly firstBatch = new BatchPromise();
  private gen = 0;
  private lastRead = -1;
  private readonly batch = new BatchPromise();
  private nextId = 1;
  private readonly posted = new Map<number, Posted>();
  private postedOps = 0;
  private scheduled = false;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closedError: StoreError | undefined;
  private readonly worker: Worker;
  /** Answers from the sync thread (durable mode). */
  private readonly answers: MessagePort;
  private readonly exited: Promise<void>;
  private lastCheckpoints: CheckpointStats | undefined;
  private lastStats: GroupCommitStats = { transactions: 0, ops: 0, maxBatch: 0, failures: 0, commitMs: 0, syncs: 0, syncMs: 0 };
  private readonly flushCb = (): void => {
    this.scheduled = false;
    this.immediate = undefined;
    this.timer = undefined;
    this.flush();
  };

  constructor(private readonly opts: WorkerCommitterOptions) {
    const channel = new MessageChannel();
    this.answers = channel.port1;
    const data: StoreWorkerData = { path: opts.path, synchronous: opts.synchronous, out: channel.port2 };
    if (opts.checkpointEveryOps !== undefined) data.checkpointEveryOps = opts.checkpointEveryOps;
    if (opts.walForceFrames !== undefined) data.walForceFrames = opts.walForceFrames;
    this.worker = new Worker(threadEntry('store-worker-entry.js'), { workerData: data, transferList: [channel.port2], execArgv: [] });
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.answers.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(new StoreError('store worker failed', { cause: err })));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        // Answers the sync thread posted just before the exit are still in the channel.
        for (let m = receiveMessageOnPort(this.answers); m !== undefined; m = receiveMessageOnPort(this.answers)) {
          this.onMessage(m.message as FromWorker);
        }
        this.answers.close();
        if (this.closedError === undefined || this.posted.size > 0) {
          this.fail(new StoreError(`store worker exited (code ${code})`));
        }
        resolve();
      });
    });
  }

  get generation(): number {
    return this.gen;
  }

  get depth(): number {
    return this.len + this.firstLen + this.postedOps;
  }

  get queued(): number {
    return this.len;
  }

  get unposted(): number {
    return this.len + this.firstLen;
  }

  get stats(): Readonly<GroupCommitStats> {
    return this.lastStats;
  }

  /** The worker's checkpoint thread counters as of its last answer; undefined when it has none (or it failed). */
  get checkpointStats(): Readonly<CheckpointStats> | undefined {
    return this.lastCheckpoints;
  }

  stillFoldable(generation: number, position: number): boolean {
    return generation === this.gen && this.lastRead < position;
  }

  write(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    this.ops.push(op, a, b, c, false);
    this.len++;
    const p = this.batch.get();
    this.afterPush(false);
    return p;
  }

  writeFirst(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    this.firstOps.push(op, a, b, c, false);
    this.firstLen++;
    const p = this.firstBatch.get();
    this.afterPush(false);
    return p;
  }

  read<T>(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const p = new Promise<T>((resolve, reject) => {
      this.lastRead = this.len;
      this.readers.push(this.len, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.ops.push(op, a, b, c, true);
    this.len++;
    this.afterPush(true);
    return p;
  }

  /**
   * Posts what is queued now: the first lane's batch and the other ops' batch in one message, so that the worker
   * always sees them together (and, when the others are few, commits them in one transaction).
   */
  flush(): void {
    if (this.len === 0 && this.firstLen === 0) return;
    this.cancelSchedule();
    const out: [BatchMsg, Posted][] = [];
    if (this.firstLen > 0) {
      out.push([{ t: 'b', id: this.nextId++, ops: this.firstOps, first: true }, { ...this.firstBatch.take(), readers: [], ops: this.firstLen }]);
      this.firstOps = [];
      this.firstLen = 0;
    }
    if (this.len > 0) {
      out.push([{ t: 'b', id: this.nextId++, ops: this.ops }, { ...this.batch.take(), readers: this.readers, ops: this.len }]);
      this.ops = [];
      this.readers = [];
      this.len = 0;
      this.gen++;
      this.lastRead = -1;
    }
    for (const [msg, batch] of out) {
      this.posted.set(msg.id, batch);
      this.postedOps += batch.ops;
    }
    const msg = out[0]![0];
    if (out.length === 2) msg.next = out[1]![0];
    try {
      this.worker.postMessage(msg);
    } catch (err) {
      // An argument that cannot be cloned: fail what this flush posted, and nothing else.
      for (const [m, batch] of out) {
        this.posted.delete(m.id);
        this.postedOps -= batch.ops;
        settle(batch, new StoreError('store operation arguments cannot be sent to the store worker', { cause: err }), undefined);
      }
    }
  }

  /** Posts what is queued, refuses further ops with `error`, waits for the worker to commit, close and exit. */
  async close(error: StoreError): Promise<void> {
    if (this.closedError !== undefined) return this.exited;
    this.flush();
    this.closedError = error;
    this.cancelSchedule();
    this.worker.postMessage({ t: 'close' } satisfies ToWorker);
    await this.exited;
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'done') this.onDone(m);
    else if (m.t === 'fail') this.fail(new StoreError(`store worker could not open the store: ${m.err}`));
  }

  private onDone(m: DoneMsg): void {
    this.lastStats = m.stats;
    this.lastCheckpoints = m.checkpoints;
    this.opts.onCommitted(m.delta);
    for (let i = 0; i < m.ids.length; i++) {
      const batch = this.posted.get(m.ids[i]!);
      if (batch === undefined) continue;
      this.posted.delete(m.ids[i]!);
      this.postedOps -= batch.ops;
      const err = m.errs[i];
      settle(batch, err === null || err === undefined ? undefined : new StoreError(`store commit failed: ${err}`), m.reads[i]);
    }
  }

  private fail(err: StoreError): void {
    this.closedError ??= err;
    this.cancelSchedule();
    for (const batch of this.posted.values()) settle(batch, err, undefined);
    this.posted.clear();
    this.postedOps = 0;
    settle({ ...this.batch.take(), readers: this.readers, ops: this.len }, err, undefined);
    settle({ ...this.firstBatch.take(), readers: [], ops: this.firstLen }, err, undefined);
    this.ops = [];
    this.readers = [];
    this.len = 0;
    this.firstOps = [];
    this.firstLen = 0;
  }

  private afterPush(isRead: boolean): void {
    if (this.len + this.firstLen >= this.opts.maxBatch) {
      this.flush();
      return;
    }
    if (isRead && this.scheduled && this.timer !== undefined) this.cancelSchedule();
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.opts.maxDelayMs > 0 && !isRead) this.timer = setTimeout(this.flushCb, this.opts.maxDelayMs);
    else this.immediate = setImmediate(this.flushCb);
  }

  private cancelSchedule(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
    this.scheduled = false;
  }
}

function settle(batch: Posted, err: StoreError | undefined, reads: unknown[] | undefined): void {
  const rd = batch.readers;
  if (err !== undefined) {
    batch.reject?.(err);
    for (let i = 1; i < rd.length; i += 2) (rd[i] as Deferred).reject(err);
    return;
  }
  batch.resolve?.();
  // Reads come back as [position, result, ...] in the order they were queued, like the readers list.
  for (let i = 1, j = 1; i < rd.length; i += 2, j += 2) (rd[i] as Deferred).resolve(reads?.[j]);
}
