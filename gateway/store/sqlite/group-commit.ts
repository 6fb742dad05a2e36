import { StoreError } from '../store-error';
import { BatchPromise } from './batch-promise';

/**
 * Group commit: operations queued during one event-loop turn run in ONE transaction, so the fsync of a durable
 * commit is paid once per batch instead of once per write.
 *
 * Writes in a batch share a single promise (no per-call promise or closure on the hot path); reads get their own
 * promise carrying their result. Reads are queued like writes, so a read sees every write queued before it.
 * A batch is flushed on setImmediate after its first op (or after `maxDelayMs` when that is > 0), or at once when
 * it reaches `maxBatch` ops. On failure the whole transaction rolls back and every promise of the batch rejects
 * with a StoreError whose cause is the driver's error.
 *
 * With `sync` (durable mode) the commit itself does not fsync; instead the write promises of a committed batch
 * resolve only after a `sync` call that STARTED after that commit has completed. Syncs run off the main thread (the
 * libuv pool), at most one at a time, and the event loop keeps working (decoding, encoding) while the disk flushes.
 * Writes queued while a sync runs are held and committed in one transaction when it completes (or when maxBatch is
 * reached), so under load the batch size follows the disk's sync time instead of the event-loop turn.
 */
export type OpFn = (a: unknown, b: unknown, c: unknown) => unknown;

export interface GroupCommitStats {
  /** Transactions committed. */
  transactions: number;
  /** Operations committed. */
  ops: number;
  /** Largest batch committed. */
  maxBatch: number;
  /** Transactions that failed and rolled back. */
  failures: number;
  /** Time spent inside commits (ms; includes fsync only when the driver syncs at commit). */
  commitMs: number;
  /** Durability syncs completed (durable mode). */
  syncs: number;
  /** Wall time syncs took (ms, off the main thread). */
  syncMs: number;
}

export interface GroupCommitOptions {
  maxBatch: number;
  maxDelayMs: number;
  /** Runs `body` in one transaction (better-sqlite3 db.transaction). */
  runTransaction: (body: () => void) => void;
  /** After a successful commit, before promises settle: apply in-memory effects of the batch. */
  onCommitted?: () => void;
  /** After a failed commit: discard in-memory effects accumulated for the batch. */
  onFailed?: () => void;
  /** Makes every committed transaction durable (e.g. fdatasync of the WAL); calls back once done. */
  sync?: (done: (err: unknown) => void) => void;
  /**
   * Durable mode: instead of holding writes until the running sync completes, commit them while it runs, timed to
   * finish as the sync does (from the recent sync and commit durations). The commit then overlaps the disk's sync
   * instead of following it, so a cycle costs max(commit, sync) rather than their sum. Acknowledgement is unchanged:
   * a batch still resolves only after a sync that started after its commit. A function is asked at each hold, so
   * the owner can keep a particular sync free of commits.
   */
  overlapSync?: boolean | (() => boolean);
}

interface Deferred {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter {
  private fns: OpFn[] = [];
  private as: unknown[] = [];
  private bs: unknown[] = [];
  private cs: unknown[] = [];
  /** Deferred for read ops (sparse by position); undefined for writes. */
  private readers: (Deferred | undefined)[] = [];
  private results: unknown[] = [];
  private len = 0;
  /** Counts flushes: an op queued in generation g is still waiting while generation === g. */
  private gen = 0;
  /** Position of the last read queued in the current batch, -1 if none. */
  private lastRead = -1;
  private readonly batch = new BatchPromise();
  private scheduled = false;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closedError: StoreError | undefined;
  private readonly flushCb = (): void => {
    this.scheduled = false;
    this.immediate = undefined;
    this.timer = undefined;
    this.flush();
  };

  readonly stats: GroupCommitStats = { transactions: 0, ops: 0, maxBatch: 0, failures: 0, commitMs: 0, syncs: 0, syncMs: 0 };
  /** Settlers of committed batches waiting for the next sync: resolve, reject pairs. */
  private syncWaiting: (((v?: unknown) => void) | ((e: unknown) => void))[] = [];
  private syncing = false;
  private syncStartedAt = 0;
  /** Moving average of sync durations (ms). */
  private syncEstMs = 0;
  private lastCommitMs = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly holdFlushCb = (): void => {
    this.holdTimer = undefined;
    if (this.len > 0 && this.closedError === undefined) this.flush();
  };
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: GroupCommitOptions) {}

  /** Ops waiting for the next commit. */
  get depth(): number {
    return this.len;
  }

  /** Which batch the next op joins; it changes when the current one is flushed. */
  get generation(): number {
    return this.gen;
  }

  /**
   * True while the write queued at `position` in `generation` has not run and no read has been queued after it:
   * its owner may then fold it into a later write of the same batch without any reader seeing the difference.
   */
  stillFoldable(generation: number, position: number): boolean {
    return generation === this.gen && this.lastRead < position;
  }

  /** Queues a write; the promise resolves once the batch holding it is committed. */
  write(fn: OpFn, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    this.push(fn, a, b, c, undefined);
    const p = this.batch.get();
    this.afterPush(false);
    return p;
  }

  /** Queues a read; it runs after every op queued before it, inside the same transaction. */
  read<T>(fn: OpFn, a?: unknown, b?: unknown, c?: unknown): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const p = new Promise<T>((resolve, reject) => {
      this.push(fn, a, b, c, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.afterPush(true);
    return p;
  }

  /** Commits whatever is queued now (synchronously). */
  flush(): void {
    const n = this.len;
    if (n === 0) return;
    this.cancelSchedule();
    this.gen++;
    this.lastRead = -1;
    const { resolve: resolveBatch, reject: rejectBatch } = this.batch.take();
    const started = performance.now();
    let failure: unknown;
    try {
      this.opts.runTransaction(this.body);
    } catch (err) {
      failure = err;
    }
    const commitMs = performance.now() - started;
    this.stats.commitMs += commitMs;
    this.lastCommitMs = commitMs;
    const readers = this.readers;
    const results = this.results;
    this.len = 0;
    if (failure === undefined) {
      this.stats.transactions++;
      this.stats.ops += n;
      if (n > this.stats.maxBatch) this.stats.maxBatch = n;
      this.opts.onCommitted?.();
      if (resolveBatch !== undefined && rejectBatch !== undefined) {
        if (this.opts.sync === undefined) resolveBatch();
        else {
          this.syncWaiting.push(resolveBatch, rejectBatch);
          if (!this.syncing) this.startSync();
        }
      }
      for (let i = 0; i < n; i++) {
        const d = readers[i];
        if (d !== undefined) d.resolve(results[i]);
      }
    } else {
      this.stats.failures++;
      this.opts.onFailed?.();
      const err = failure instanceof StoreError ? failure : new StoreError('store commit failed', { cause: failure });
      rejectBatch?.(err);
      for (let i = 0; i < n; i++) {
        const d = readers[i];
        if (d !== undefined) d.reject(err);
      }
    }
    // Drop references so Buffers and results of this batch can be collected; the arrays keep their capacity.
    for (let i = 0; i < n; i++) {
      this.as[i] = this.bs[i] = this.cs[i] = undefined;
      readers[i] = undefined;
      results[i] = undefined;
    }
  }

  /** Flushes what is queued and refuses further ops with `error`; resolves once every pending sync is done. */
  close(error: StoreError): Promise<void> {
    this.flush();
    this.closedError = error;
    this.cancelSchedule();
    if (!this.syncing && this.syncWaiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startSync(): void {
    const batch = this.syncWaiting;
    this.syncWaiting = [];
    this.syncing = true;
    const started = performance.now();
    this.syncStartedAt = started;
    this.opts.sync!((err) => {
      this.syncing = false;
      const took = performance.now() - started;
      this.stats.syncMs += took;
      this.syncEstMs = this.syncEstMs === 0 ? took : this.syncEstMs * 0.8 + took * 0.2;
      if (err === undefined || err === null) {
        this.stats.syncs++;
        for (let i = 0; i < batch.length; i += 2) (batch[i] as () => void)();
      } else {
        this.stats.failures++;
        const e = new StoreError('store sync (fsync) failed: committed writes may not be durable', { cause: err });
        for (let i = 1; i < batch.length; i += 2) (batch[i] as (e: unknown) => void)(e);
      }
      // Writes held while the disk was busy are committed now, as one batch, and ride the next sync.
      if (this.len > 0 && this.closedError === undefined) this.flush();
      if (!this.syncing && this.syncWaiting.length > 0) this.startSync();
      if (!this.syncing && this.syncWaiting.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    });
  }

  private readonly body = (): void => {
    const n = this.len;
    const fns = this.fns;
    const as = this.as;
    const bs = this.bs;
    const cs = this.cs;
    const readers = this.readers;
    const results = this.results;
    for (let i = 0; i < n; i++) {
      const r = fns[i]!(as[i], bs[i], cs[i]);
      if (readers[i] !== undefined) results[i] = r;
    }
  };

  private push(fn: OpFn, a: unknown, b: unknown, c: unknown, reader: Deferred | undefined): void {
    const i = this.len++;
    if (reader !== undefined) this.lastRead = i;
    this.fns[i] = fn;
    this.as[i] = a;
    this.bs[i] = b;
    this.cs[i] = c;
    this.readers[i] = reader;
  }

  private afterPush(isRead: boolean): void {
    if (this.len >= this.opts.maxBatch) {
      this.flush();
      return;
    }
    // While a sync runs, a commit could not be acknowledged before the NEXT sync anyway: hold the writes and commit
    // them together when the sync completes (fewer, larger transactions; far fewer WAL bytes per write).
    // Reads do not wait for the disk: they flush at the end of the turn.
    if (this.syncing && !isRead) {
      const overlap = this.opts.overlapSync;
      if (this.holdTimer === undefined && (overlap === true || (typeof overlap === 'function' && overlap()))) {
        const due = this.syncStartedAt + this.syncEstMs - this.lastCommitMs - performance.now();
        this.holdTimer = setTimeout(this.holdFlushCb, due > 0 ? due : 0);
      }
      return;
    }
    if (isRead && this.scheduled && this.timer !== undefined) this.cancelSchedule();
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.opts.maxDelayMs > 0 && !isRead) {
        this.timer = setTimeout(this.flushCb, this.opts.maxDelayMs);
      } else {
        this.immediate = setImmediate(this.flushCb);
      }
    }
  }

  private cancelSchedule(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.immediate = undefined;
    this.timer = undefined;
    this.scheduled = false;
  }
}
