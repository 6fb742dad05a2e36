import { closeSync, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { FINAL_STATES, type Message, type MessageId, type MessageState } from '../../../routing/message';
import type { Clock, MessageStore, OwedReceipt, StoreStats, StoredReceipt } from '../../../routing/ports';
import { normaliseSmscId } from '../../ids';
import { StoreError } from '../store-error';
import { GroupCommitter, type GroupCommitStats, type OpFn } from './group-commit';
import {
  extrasToSql,
  idToInt,
  isInlinePart,
  parseId,
  patchColumn,
  outcomeToState,
  rowToMessage,
  rowToOwed,
  type MessageRow,
  type OwedRow,
  type PartRow,
} from './row-mapping';
import { openStoreDb } from './open-db';
import { WalCheckpointer, type CheckpointStats } from './wal-checkpointer';
import type { SqliteStoreOptions } from './options';
import type { Statements, Stmt } from './statements';

export { normaliseSmscId } from '../../ids';

export { storeOptionsFromConfig, type SqliteStoreOptions } from './options';

const PURGE_CHUNK = 2000;
const OLDEST_CACHE_MS = 1000;
const MAX_PATCH_STATEMENTS = 512;
/** Committed ops between two background WAL checkpoints (run by the checkpoint worker). */
const CHECKPOINT_EVERY_OPS = 8000;
/** WAL size (frames of 4 KiB) past which the next checkpoint runs as the durability sync, so that the WAL restarts. */
const WAL_FORCE_FRAMES = 4096;

/**
 * MessageStore on SQLite (better-sqlite3, WAL). Every call goes through the group committer: writes queued in one
 * event-loop turn are committed in one transaction (one fsync with synchronous=FULL) before their promises resolve.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly db: Database.Database;
  private readonly committer: GroupCommitter;
  private readonly clock: Clock;
  private lastId: number;
  private unfinishedCount: number;
  private pendingDelta = 0;
  private oldestCache: { at: number; value: number | undefined } | undefined;
  private closed = false;
  /** Open on the -wal file in durable mode: fdatasync on it makes the committed frames durable. */
  private walFd: number | undefined;
  /** Durable mode on a file: runs the fsyncs and the WAL checkpoints in a worker thread. */
  private checkpointer: WalCheckpointer | undefined;
  private opsAtCheckpoint = 0;
  private restartingWal = false;
  private readonly checkpointEveryOps: number;
  private readonly walForceFrames: number;
  private readonly patchStmts = new Map<string, Stmt>();
  private readonly s: Statements;

  constructor(opts: SqliteStoreOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.checkpointEveryOps = opts.checkpointEveryOps ?? CHECKPOINT_EVERY_OPS;
    this.walForceFrames = opts.walForceFrames ?? WAL_FORCE_FRAMES;
    const opened = openStoreDb(opts.path);
    this.db = opened.db;
    this.s = opened.statements;
    this.lastId = opened.lastId;
    this.unfinishedCount = opened.unfinished;
    if (opts.synchronous === 'FULL' && opts.path !== ':memory:') {
      try {
        this.walFd = openSync(`${opts.path}-wal`, 'r+');
      } catch (err) {
        this.db.close();
        throw new StoreError(`cannot open the WAL of ${opts.path}`, { cause: err });
      }
    }
    if (this.walFd !== undefined) {
      try {
        this.checkpointer = new WalCheckpointer(opts.path, () => {
          // Without the worker, SQLite checkpoints inline again (at commit) so the WAL cannot grow without bound.
          if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000');
        });
        this.db.pragma('wal_autocheckpoint = 0');
      } catch {
        this.checkpointer = undefined;
      }
    }
    const walFd = this.walFd;
    const txn = this.db.transaction((body: () => void) => body());
    this.committer = new GroupCommitter({
      maxBatch: opts.groupCommitMaxBatch,
      maxDelayMs: opts.groupCommitMaxDelayMs,
      runTransaction: (body) => txn(body),
      // The sync that checkpoints to restart the WAL must see no commit while it runs.
      overlapSync: (opts.overlapSync ?? true) ? () => !this.restartingWal : false,
      onCommitted: () => {
        this.unfinishedCount += this.pendingDelta;
        this.pendingDelta = 0;
        if (this.unfinishedCount === 0) this.oldestCache = undefined;
      },
      onFailed: () => {
        this.pendingDelta = 0;
      },
      sync: walFd === undefined ? undefined : (done) => this.sync(walFd, done),
    });
  }

  /**
   * fdatasync of the WAL (libuv pool); every checkpointEveryOps committed ops the worker starts a background
   * checkpoint beside it. When the WAL has grown past walForceFrames (background checkpoints kept racing commits,
   * so it never restarted), the worker runs the sync and a checkpoint while commits are held.
   */
  private sync(walFd: number, done: (err: unknown) => void): void {
    const ckpt = this.checkpointer;
    if (ckpt === undefined || ckpt.failed) {
      fdatasync(walFd, done);
      return;
    }
    const ops = this.committer.stats.ops;
    const due = ops - this.opsAtCheckpoint >= this.checkpointEveryOps;
    if (due && ckpt.lastFrames > this.walForceFrames && !ckpt.busy) {
      this.opsAtCheckpoint = ops;
      ckpt.lastFrames = 0;
      this.restartingWal = true;
      ckpt.sync(true, (err) => {
        this.restartingWal = false;
        // A worker that died mid-sync proves nothing about durability: sync again here.
        if (err !== undefined && ckpt.failed) fdatasync(walFd, done);
        else done(err);
      });
      return;
    }
    if (due && !ckpt.busy) {
      this.opsAtCheckpoint = ops;
      ckpt.checkpoint();
    }
    fdatasync(walFd, done);
  }

  nextId(): MessageId {
    return String(++this.lastId);
  }

  // Ids are checked before queuing: one bad call must not fail the whole batch it would have joined.

  insert(msg: Message): Promise<void> {
    if (parseId(msg.id) === 0) return badId(msg.id);
    return this.committer.write(this.opInsert, msg);
  }

  update(id: MessageId, patch: Partial<Omit<Message, 'id' | 'parts'>>): Promise<void> {
    const n = parseId(id);
    if (n === 0) return badId(id);
    return this.committer.write(this.opUpdate, n, patch, this.clock.now());
  }

  updatePart(
    id: MessageId,
    seq: number,
    patch: { state?: MessageState; smscMessageId?: string; connectorId?: string },
  ): Promise<void> {
    const n = parseId(id);
    if (n === 0) return badId(id);
    return this.committer.write(this.opUpdatePart, n, seq, patch);
  }

  recordReceipt(r: StoredReceipt, owed: OwedReceipt | undefined): Promise<void> {
    if (parseId(r.messageId) === 0) return badId(r.messageId);
    if (owed !== undefined && parseId(owed.messageId) === 0) return badId(owed.messageId);
    return this.committer.write(this.opReceipt, r, owed, this.clock.now());
  }

  receiptForwarded(messageId: MessageId, partSeq?: number): Promise<void> {
    const n = parseId(messageId);
    if (n === 0) return badId(messageId);
    return this.committer.write(this.opForwarded, n, partSeq);
  }

  get(id: MessageId): Promise<Message | undefined> {
    const n = parseId(id);
    return n === 0 ? Promise.resolve(undefined) : this.committer.read<Message | undefined>(this.opGet, n);
  }

  findBySmscId(connectorId: string, smscMessageId: string): Promise<{ id: MessageId; seq: number } | undefined> {
    return this.committer.read(this.opFind, connectorId, normaliseSmscId(smscMessageId));
  }

  unfinished(direction: Message['direction'], limit: number, afterId?: MessageId): Promise<Message[]> {
    const after = afterId === undefined ? 0 : parseId(afterId);
    if (afterId !== undefined && after === 0) return badId(afterId);
    return this.committer.read(this.opUnfinished, direction, limit, after);
  }

  owedReceipts(partnerId: string, limit: number): Promise<OwedReceipt[]> {
    return this.committer.read(this.opOwed, partnerId, limit);
  }

  /**
   * Walks messages in id (= creation) order in chunks of PURGE_CHUNK, one transaction each so the event loop is never
   * held for long, deleting final ones last updated before `before`; stops at the first message created after it.
   */
  async purgeFinished(before: number): Promise<number> {
    let total = 0;
    const cursor = { afterId: 0, deleted: 0, done: false };
    for (let guard = 0; guard < 10_000_000 && !cursor.done; guard++) {
      await this.committer.read(this.opPurgeChunk, before, cursor);
      total += cursor.deleted;
    }
    return total;
  }

  stats(): StoreStats {
    const now = this.clock.now();
    if (!this.closed && this.unfinishedCount > 0 && (this.oldestCache === undefined || now - this.oldestCache.at >= OLDEST_CACHE_MS)) {
      const [mt, mo] = this.s.oldest.get() as [number | null, number | null];
      const v = mt === null ? mo : mo === null ? mt : Math.min(mt, mo);
      this.oldestCache = { at: now, value: v ?? undefined };
    }
    const st: StoreStats = { queueDepth: this.committer.depth, unfinished: this.unfinishedCount };
    const oldest = this.unfinishedCount > 0 ? this.oldestCache?.value : undefined;
    if (oldest !== undefined) st.oldestUnfinishedAt = oldest;
    return st;
  }

  /**
   * The connection and its group committer, for tables other modules keep in the same file (the MO side): their
   * writes join the store's transactions and its one fsync stream instead of a second connection syncing on its own.
   */
  shared(): { db: Database.Database; committer: GroupCommitter } {
    return { db: this.db, committer: this.committer };
  }

  /** Group commit counters (transactions, ops, largest batch...): for metrics and tests. */
  commitStats(): Readonly<GroupCommitStats> {
    return this.committer.stats;
  }

  /** WAL checkpoints run by the worker (durable mode on a file only). */
  checkpointStats(): Readonly<CheckpointStats> | undefined {
    return this.checkpointer?.stats;
  }

  /** Commits whatever is queued now, without waiting for the end of the turn. */
  flush(): void {
    this.committer.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.close(new StoreError('store is closed'));
    await this.checkpointer?.close();
    try {
      if (this.walFd !== undefined) closeSync(this.walFd);
      this.walFd = undefined;
      this.db.close();
    } catch (err) {
      throw new StoreError('closing the store failed', { cause: err });
    }
  }

  // ---- operations run inside the group-commit transaction (bound once: no closure per call) ----

  private readonly opInsert: OpFn = (a) => {
    const m = a as Message;
    const id = idToInt(m.id);
    const c = m.concat;
    const inline = isInlinePart(m);
    const p1 = inline ? m.parts[0]! : undefined;
    const smsc = p1?.smscMessageId;
    this.s.insertMsg.run(
      id, m.direction, m.partnerId ?? null, m.partnerRef ?? null, m.connectorId ?? null, m.routeId ?? null,
      m.source.addr, m.source.ton, m.source.npi, m.destination.addr, m.destination.ton, m.destination.npi,
      m.dataCoding, m.esmClass, m.protocolId, m.priority, m.registeredDelivery, m.body,
      c ? c.ref : null, c ? c.total : null, c ? c.seq : null,
      m.state, m.createdAt, m.updatedAt, m.validUntil, m.attempts, m.nextAttemptAt ?? null,
      m.possibleDuplicate ? 1 : 0, m.lastError ?? null, m.receiptOwed ? 1 : 0, extrasToSql(m.extras),
      inline ? 1 : 0, p1 ? (p1.udhi ? 1 : 0) : null, p1 ? p1.state : null, smsc ?? null,
      smsc === undefined ? null : normaliseSmscId(smsc), smsc === undefined ? null : (m.connectorId ?? null),
      FINAL_STATES.has(m.state) ? null : 1,
    );
    if (!inline) {
      for (let i = 0; i < m.parts.length; i++) {
        const p = m.parts[i]!;
        const ps = p.smscMessageId;
        this.s.insertPart.run(
          id, p.seq, p.body === m.body || p.body.equals(m.body) ? null : p.body, p.udhi ? 1 : 0,
          ps ?? null, ps === undefined ? null : normaliseSmscId(ps), ps === undefined ? null : (m.connectorId ?? null), p.state,
        );
      }
    }
    if (!FINAL_STATES.has(m.state)) this.pendingDelta++;
    if (id > this.lastId) this.lastId = id;
  };

  private readonly opUpdate: OpFn = (a, b, c) => {
    const id = a as number;
    const patch = b as Record<string, unknown>;
    const newState = patch['state'] as MessageState | undefined;
    const oldState = newState === undefined ? undefined : (this.s.stateOf.get(id) as MessageState | undefined);
    // `open` is written only when the state crosses between unfinished and final, so the index stays untouched otherwise.
    const newOpen = newState === undefined ? true : !FINAL_STATES.has(newState);
    const crossing = oldState !== undefined && newOpen !== !FINAL_STATES.has(oldState);
    let key = crossing ? (newOpen ? 'open=1,' : 'open=0,') : '';
    for (const k in patch) if (patchColumn(k, patch[k]) !== undefined) key += k + ',';
    const hasUpdatedAt = patch['updatedAt'] !== undefined;
    let stmt = this.patchStmts.get(key);
    if (stmt === undefined) {
      const sets: string[] = [];
      for (const k in patch) for (const col of patchColumn(k, patch[k])?.cols ?? []) sets.push(`${col} = ?`);
      if (!hasUpdatedAt) sets.push('updated_at = ?');
      if (crossing) sets.push(newOpen ? 'open = 1' : 'open = NULL');
      stmt = this.db.prepare(`UPDATE messages SET ${sets.join(', ')} WHERE id = ?`);
      if (this.patchStmts.size >= MAX_PATCH_STATEMENTS) this.patchStmts.clear();
      this.patchStmts.set(key, stmt);
    }
    const values: unknown[] = [];
    for (const k in patch) {
      const col = patchColumn(k, patch[k]);
      if (col !== undefined) col.push(patch[k], values);
    }
    if (!hasUpdatedAt) values.push(c);
    values.push(id);
    if (stmt.run(...values).changes > 0 && crossing) this.pendingDelta += newOpen ? 1 : -1;
  };

  private readonly opUpdatePart: OpFn = (a, b, c) => {
    const id = a as number;
    const seq = b as number;
    const patch = c as { state?: MessageState; smscMessageId?: string; connectorId?: string };
    const smsc = patch.smscMessageId;
    if (smsc !== undefined) {
      const norm = normaliseSmscId(smsc);
      const conn = patch.connectorId ?? null;
      const st = patch.state ?? null;
      if (seq === 1 && this.s.inlineSmsc.run(smsc, norm, conn, st, id).changes > 0) return;
      this.s.partSmsc.run(smsc, norm, conn, id, st, id, seq);
    } else if (patch.state !== undefined) {
      if (seq === 1 && this.s.inlineState.run(patch.state, id).changes > 0) return;
      this.s.partState.run(patch.state, id, seq);
    }
  };

  private readonly opReceipt: OpFn = (a, b, c) => {
    const r = a as StoredReceipt;
    const owed = b as OwedReceipt | undefined;
    const now = c as number;
    const id = idToInt(r.messageId);
    const old = this.s.stateOf.get(id) as MessageState | undefined;
    // A receipt for a message the store no longer has (purged) changes nothing and is owed to nobody.
    if (old === undefined) return;
    const doneAt = r.doneAt ?? null;
    const err = r.errorCode ?? null;
    const owedFlag = owed === undefined ? 0 : 1;
    let inline = false;
    if (r.final) {
      const state = outcomeToState(r.outcome);
      if (r.partSeq === 1) {
        inline = this.s.inlineReceiptFinal.run(state, state, now, r.outcome, err, r.receivedAt, doneAt, owedFlag, id).changes > 0;
        if (inline && !FINAL_STATES.has(old)) this.pendingDelta--;
      }
      if (!inline) {
        const hit = this.s.partReceiptFinal.run(state, r.outcome, err, r.receivedAt, doneAt, id, r.partSeq).changes;
        // Without a matching part (a message stored without parts) the receipt decides the message state itself.
        const done = hit > 0 ? this.s.rollup.run(now, id, id, id).changes : this.s.msgFinalDirect.run(state, now, id).changes;
        if (done > 0) this.pendingDelta--;
      }
    } else {
      inline = r.partSeq === 1 && this.s.inlineReceipt.run(r.outcome, err, r.receivedAt, doneAt, owedFlag, id).changes > 0;
      if (!inline) this.s.partReceipt.run(r.outcome, err, r.receivedAt, doneAt, id, r.partSeq);
    }
    if (owed !== undefined) {
      const owedId = idToInt(owed.messageId);
      this.s.owedInsert.run(
        owedId, owed.partSeq ?? 0, owed.partnerId, owed.outcome, owed.errorCode ?? null, owed.doneAt,
        owed.submittedAt, owed.partnerRef ?? null, owed.source.addr, owed.source.ton, owed.source.npi,
        owed.destination.addr, owed.destination.ton, owed.destination.npi,
      );
      if (!inline || owedId !== id) this.s.owedFlag.run(owedId);
    }
  };

  private readonly opForwarded: OpFn = (a, b) => {
    const id = a as number;
    if (b === undefined) this.s.owedDeleteAll.run(id);
    else this.s.owedDeleteOne.run(id, b as number);
    this.s.owedClear.run(id, id);
  };

  private readonly opGet: OpFn = (a) => {
    const row = this.s.getMsg.get(a) as MessageRow | undefined;
    if (row === undefined) return undefined;
    return rowToMessage(row, row.parts_inline !== 0 ? [] : (this.s.getParts.all(row.id) as PartRow[]));
  };

  private readonly opFind: OpFn = (a, b) => {
    const inline = this.s.bySmscInline.get(a, b) as number | undefined;
    const part = this.s.bySmscParts.get(a, b) as { message_id: number; seq: number } | undefined;
    // SMSC ids can wrap around: the newest message with the id wins.
    if (part !== undefined && (inline === undefined || part.message_id > inline)) {
      return { id: String(part.message_id), seq: part.seq };
    }
    return inline === undefined ? undefined : { id: String(inline), seq: 1 };
  };

  private readonly opUnfinished: OpFn = (a, b, c) => {
    const rows = this.s.unfinished.all(a, c, b) as MessageRow[];
    return rows.map((r) => rowToMessage(r, r.parts_inline !== 0 ? [] : (this.s.getParts.all(r.id) as PartRow[])));
  };

  private readonly opOwed: OpFn = (a, b) => (this.s.owedList.all(a, b) as OwedRow[]).map(rowToOwed);

  private readonly opPurgeChunk: OpFn = (a, b) => {
    const before = a as number;
    const cursor = b as { afterId: number; deleted: number; done: boolean };
    const rows = this.s.purgeScan.all(cursor.afterId, PURGE_CHUNK) as [number, string, number, number][];
    cursor.deleted = 0;
    cursor.done = rows.length < PURGE_CHUNK;
    // Ids never go backwards, even when the newest message is purged.
    if (rows.length > 0) this.s.hwmSet.run(String(this.lastId));
    for (const [id, state, createdAt, updatedAt] of rows) {
      if (createdAt >= before) {
        cursor.done = true;
        break;
      }
      cursor.afterId = id;
      if (updatedAt >= before || !FINAL_STATES.has(state as MessageState)) continue;
      this.s.delParts.run(id);
      this.s.delOwed.run(id);
      this.s.delMsg.run(id);
      cursor.deleted++;
    }
    return undefined;
  };
}

function badId(id: string): Promise<never> {
  return Promise.reject(new StoreError(`not a store message id: '${id}'`));
}
