import { FINAL_STATES, type Message, type MessageId, type MessageState } from '../../../routing/message';
import type { Clock, MessageStore, OwedReceipt, StoreStats, StoredReceipt } from '../../../routing/ports';
import { normaliseSmscId, type SmscIdFormat } from '../../ids';
import { StoreError } from '../store-error';
import type { BatchingOpCommitter } from './batching';
import type { GroupCommitStats } from './group-commit';
import { openLocalEngine, type LocalEngine } from './local-engine';
import type { PurgeCursor, ReceiptArgs, SmscArgs, StoredRows } from './message-ops';
import { openStoreDb } from './open-db';
import type { OpCommitter } from './op-committer';
import type { SqliteStoreOptions } from './options';
import { insertArgs, parseId, rowToMessage, rowToOwed, type OwedRow } from './row-mapping';
import type { CheckpointStats } from './wal-checkpointer';
import { WorkerOpCommitter } from './worker-committer';

export { normaliseSmscId } from '../../ids';

export { storeOptionsFromConfig, type SqliteStoreOptions } from './options';

const OLDEST_CACHE_MS = 1000;

/** An SMSC id write queued in the current batch, kept so that a receipt of the same batch can take it over. */
interface QueuedSmsc {
  /** Message number; 0 in a slot not used yet. */
  id: number;
  args: SmscArgs | undefined;
  gen: number;
  pos: number;
}

/** Slots for the SMSC id writes of a batch, by message number: more than a batch holds, so they rarely collide. */
const SMSC_SLOTS = 8192;

/**
 * MessageStore on SQLite (better-sqlite3, WAL). Calls become named operations (message-ops.ts) queued on a group
 * committer: by default the store's worker thread (worker-committer.ts, store-worker.ts) runs them, so statements,
 * commits and fsyncs stay off the event loop; with `worker: false` (and for ':memory:') they run on this thread.
 * Either way, writes queued together commit in one transaction (one fsync with synchronous=FULL) before their
 * promises resolve, and a read sees every write queued before it.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly committer: BatchingOpCommitter;
  private readonly local: LocalEngine | undefined;
  private readonly clock: Clock;
  private readonly idFormat: (connectorId: string | undefined) => SmscIdFormat;
  private lastId: number;
  private unfinishedCount: number;
  private oldestCache: { at: number; value: number | undefined } | undefined;
  private oldestReading = false;
  private closed = false;
  /**
   * SMSC id writes of part 1 queued in the current batch, by message number: a receipt of the same batch may fold
   * them. Slots are reused in place; the first write of a new batch lets go of the previous batch's writes, so that
   * they do not outlive their batch. (A Map here was refilled and cleared every batch, and its old tables kept the
   * young writes they had held alive through scavenges.) Two messages of one batch in one slot: the second goes to
   * the overflow Map.
   */
  private readonly smscSlots: QueuedSmsc[] = Array.from({ length: SMSC_SLOTS }, () => ({ id: 0, args: undefined, gen: -1, pos: 0 }));
  /** Slots written in generation smscGen, the first smscUsedCount of them. */
  private readonly smscUsed = new Int32Array(SMSC_SLOTS);
  private smscUsedCount = 0;
  private smscGen = -1;
  private readonly smscOverflow = new Map<number, QueuedSmsc>();
  /** SMSC id writes a receipt of the same batch took over (no statement of their own). */
  private folded = 0;
  /** True when the store runs in its worker thread. */
  readonly inWorker: boolean;

  constructor(opts: SqliteStoreOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    const format = opts.smscIdFormat;
    this.idFormat = format === undefined ? () => 'auto' : (c) => (c === undefined ? 'auto' : format(c));
    this.inWorker = (opts.worker ?? true) && opts.path !== ':memory:';
    // Opened here first in both modes: schema check, migration and counters happen synchronously, errors included.
    const opened = openStoreDb(opts.path);
    this.lastId = opened.lastId;
    this.unfinishedCount = opened.unfinished;
    const onCommitted = (delta: number): void => {
      this.unfinishedCount += delta;
      if (this.unfinishedCount === 0) this.oldestCache = undefined;
    };
    if (this.inWorker) {
      opened.db.close();
      this.committer = new WorkerOpCommitter({
        path: opts.path,
        synchronous: opts.synchronous,
        ...(opts.checkpointEveryOps !== undefined ? { checkpointEveryOps: opts.checkpointEveryOps } : {}),
        ...(opts.walForceFrames !== undefined ? { walForceFrames: opts.walForceFrames } : {}),
        maxBatch: opts.groupCommitMaxBatch,
        maxDelayMs: opts.groupCommitMaxDelayMs,
        onCommitted,
      });
    } else {
      this.local = openLocalEngine(opts, opened, onCommitted);
      this.committer = this.local.committer;
    }
  }

  nextId(): MessageId {
    return String(++this.lastId);
  }

  // Ids are checked before queuing: one bad call must not fail the whole batch it would have joined.

  insert(msg: Message): Promise<void> {
    const id = parseId(msg.id);
    if (id === 0) return badId(msg.id);
    if (id > this.lastId) this.lastId = id;
    let a: ReturnType<typeof insertArgs>;
    try {
      a = insertArgs(msg, id, this.idFormat(msg.connectorId));
    } catch (err) {
      return Promise.reject(new StoreError(`message ${msg.id} cannot be stored`, { cause: err }));
    }
    return this.committer.writeFirst('msg.insert', a.params, a.parts, FINAL_STATES.has(msg.state) ? 0 : 1);
  }

  update(id: MessageId, patch: Partial<Omit<Message, 'id' | 'parts'>>): Promise<void> {
    const n = parseId(id);
    if (n === 0) return badId(id);
    return this.committer.write('msg.update', n, patch, this.clock.now());
  }

  updatePart(
    id: MessageId,
    seq: number,
    patch: { state?: MessageState; smscMessageId?: string; connectorId?: string },
  ): Promise<void> {
    const n = parseId(id);
    if (n === 0) return badId(id);
    const smsc = patch.smscMessageId;
    if (smsc === undefined) {
      return patch.state === undefined ? this.committer.write('msg.noop') : this.committer.write('msg.updatePart', n, seq, patch.state);
    }
    const args: SmscArgs = [n, seq, smsc, normaliseSmscId(smsc, this.idFormat(patch.connectorId)), patch.connectorId ?? null, patch.state ?? null, 0];
    if (seq === 1) {
      const gen = this.committer.generation;
      if (gen !== this.smscGen) this.newSmscGeneration(gen);
      const pos = this.committer.queued;
      const slot = n & (SMSC_SLOTS - 1);
      const s = this.smscSlots[slot]!;
      if (s.gen !== gen || s.id === n) {
        if (s.gen !== gen && this.smscUsedCount < SMSC_SLOTS) this.smscUsed[this.smscUsedCount++] = slot;
        s.id = n;
        s.args = args;
        s.gen = gen;
        s.pos = pos;
      } else this.smscOverflow.set(n, { id: n, args, gen, pos });
    }
    return this.committer.write('msg.smsc', args);
  }

  private newSmscGeneration(gen: number): void {
    for (let i = 0; i < this.smscUsedCount; i++) this.smscSlots[this.smscUsed[i]!]!.args = undefined;
    this.smscUsedCount = 0;
    if (this.smscOverflow.size > 0) this.smscOverflow.clear();
    this.smscGen = gen;
  }

  recordReceipt(r: StoredReceipt, owed: OwedReceipt | undefined): Promise<void> {
    const n = parseId(r.messageId);
    if (n === 0) return badId(r.messageId);
    const owedId = owed === undefined ? 0 : parseId(owed.messageId);
    if (owed !== undefined && owedId === 0) return badId(owed.messageId);
    // The SMSC id write of the same part, still queued in this batch with no read after it, is done by this
    // receipt's UPDATE instead of one of its own: an SMSC typically sends the receipt right after the submit_sm_resp.
    let fold: SmscArgs | null = null;
    if (r.partSeq === 1) {
      const s = this.smscSlots[n & (SMSC_SLOTS - 1)]!;
      const w = s.id === n ? s : this.smscOverflow.get(n);
      if (w?.args !== undefined && w.args[6] === 0 && this.committer.stillFoldable(w.gen, w.pos)) {
        w.args[6] = 1;
        this.folded++;
        fold = w.args;
      }
    }
    const ra: ReceiptArgs = [
      n, r.partSeq, r.outcome, r.final, r.errorCode ?? null, r.receivedAt, r.doneAt ?? null, this.clock.now(),
      owedId, owed?.partSeq ?? null, owed?.outcome ?? null, owed?.errorCode ?? null, owed?.doneAt ?? null,
      fold?.[2] ?? null, fold?.[3] ?? null, fold?.[4] ?? null, fold?.[5] ?? null,
    ];
    return this.committer.write('msg.receipt', ra);
  }

  receiptForwarded(messageId: MessageId, partSeq?: number): Promise<void> {
    const n = parseId(messageId);
    if (n === 0) return badId(messageId);
    return this.committer.write('msg.forwarded', n, partSeq ?? null);
  }

  async get(id: MessageId): Promise<Message | undefined> {
    const n = parseId(id);
    if (n === 0) return undefined;
    const r = await this.committer.read<StoredRows | undefined>('msg.get', n);
    return r === undefined ? undefined : rowToMessage(r.row, r.parts);
  }

  findBySmscId(connectorId: string, smscMessageId: string): Promise<{ id: MessageId; seq: number } | undefined> {
    return this.committer.read('msg.find', connectorId, normaliseSmscId(smscMessageId, this.idFormat(connectorId)));
  }

  async unfinished(direction: Message['direction'], limit: number, afterId?: MessageId): Promise<Message[]> {
    const after = afterId === undefined ? 0 : parseId(afterId);
    if (afterId !== undefined && after === 0) return badId(afterId);
    const rows = await this.committer.read<StoredRows[]>('msg.unfinished', direction, limit, after);
    return rows.map((r) => rowToMessage(r.row, r.parts));
  }

  async owedReceipts(partnerId: string, limit: number): Promise<OwedReceipt[]> {
    return (await this.committer.read<OwedRow[]>('msg.owed', partnerId, limit)).map(rowToOwed);
  }

  /**
   * Walks messages in id (= creation) order in chunks, one transaction each so no commit is held for long,
   * deleting final ones last updated before `before`; stops at the first message created after it.
   */
  async purgeFinished(before: number): Promise<number> {
    let total = 0;
    let afterId = 0;
    for (let guard = 0; guard < 10_000_000; guard++) {
      const c = await this.committer.read<PurgeCursor>('msg.purgeChunk', before, afterId, this.lastId);
      total += c.deleted;
      afterId = c.afterId;
      if (c.done) break;
    }
    return total;
  }

  /**
   * Counters for metrics. The oldest-unfinished age is read in the background (it is a query, and the connection may
   * be in the worker) at most once a second: a call returns the age last read and starts a refresh when it is stale.
   */
  stats(): StoreStats {
    const st: StoreStats = { queueDepth: this.committer.depth, unfinished: this.unfinishedCount };
    const oldest = this.unfinishedCount > 0 ? this.oldestCache?.value : undefined;
    if (oldest !== undefined) st.oldestUnfinishedAt = oldest;
    const now = this.clock.now();
    const stale = this.oldestCache === undefined || now - this.oldestCache.at >= OLDEST_CACHE_MS;
    if (!this.closed && this.unfinishedCount > 0 && !this.oldestReading && stale) this.refreshOldest();
    return st;
  }

  private refreshOldest(): void {
    this.oldestReading = true;
    this.committer.read<[number | null, number | null]>('msg.oldest').then(
      ([mt, mo]) => {
        this.oldestReading = false;
        const v = mt === null ? mo : mo === null ? mt : Math.min(mt, mo);
        this.oldestCache = { at: this.clock.now(), value: v ?? undefined };
      },
      () => {
        this.oldestReading = false;
      },
    );
  }

  /** Ops queued for the next commit (worker mode: not yet posted to the worker). */
  get pendingOps(): number {
    return this.committer.unposted;
  }

  /** Named operations on the MO tables (mo-ops.ts), committed in the store's transactions and fsync stream. */
  shared(): OpCommitter {
    return this.committer;
  }

  /** Group commit counters (transactions, ops, largest batch...): for metrics and tests. */
  commitStats(): Readonly<GroupCommitStats> {
    return this.committer.stats;
  }

  /** SMSC id writes folded into the UPDATE of a receipt queued in the same batch. */
  get foldedSmscWrites(): number {
    return this.folded;
  }

  /** WAL checkpoints run by the checkpoint thread: beside the store worker, or beside the main thread's connection in durable mode. */
  checkpointStats(): Readonly<CheckpointStats> | undefined {
    if (this.local !== undefined) return this.local.checkpointStats();
    return this.committer instanceof WorkerOpCommitter ? this.committer.checkpointStats : undefined;
  }

  /** Commits (or posts to the worker) whatever is queued now, without waiting for the end of the turn. */
  flush(): void {
    this.committer.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.close(new StoreError('store is closed'));
    await this.local?.close();
  }
}

function badId(id: string): Promise<never> {
  return Promise.reject(new StoreError(`not a store message id: '${id}'`));
}
