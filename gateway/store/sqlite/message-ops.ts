import type Database from 'better-sqlite3';
import { FINAL_STATES, type MessageState } from '../../../routing/message';
import type { OpFn } from './group-commit';
import type { OpTable } from './op-committer';
import { outcomeToState, patchColumn, type MessageRow, type OwedRow, type PartRow } from './row-mapping';
import { createMoOps } from './mo-ops';
import { prepareStatements, type Stmt } from './statements';

const MAX_PATCH_STATEMENTS = 512;

/** Effects of committed ops the store's owner keeps in memory: read and reset after each commit. */
export interface OpEffects {
  /** Change in the number of unfinished messages. */
  delta: number;
}

/**
 * Arguments of the message ops, built by SqliteMessageStore on the calling thread as flat arrays (they cross to the
 * store's worker by structured clone, where flat arrays of primitives are the cheapest shape).
 *
 * insert: [params of INSERT_MESSAGE_SQL], parts rows (or null), 1 if the message is unfinished else 0
 * smsc:   SmscArgs
 * receipt: ReceiptArgs (one array: the receipt, the receipt owed to the partner if any, and the SMSC id write folded
 *          into this receipt if any; one flat array clones in about two thirds of the time of three)
 */
/** The last element is 1 once a receipt of the same batch has taken the write over (the op then does nothing). */
export type SmscArgs = [id: number, seq: number, smsc: string, norm: string, conn: string | null, state: MessageState | null, folded: 0 | 1];
export type ReceiptArgs = [
  id: number,
  partSeq: number,
  outcome: string,
  final: boolean,
  error: string | null,
  receivedAt: number,
  doneAt: number | null,
  now: number,
  /** The receipt owed to the partner: 0 when none is, else the message id and the OwedArgs fields after it. */
  owedId: number,
  owedPartSeq: number | null,
  owedOutcome: string | null,
  owedError: string | null,
  owedDoneAt: number | null,
  /** The SMSC id write folded into this receipt (same message, part 1): null when none is, else SmscArgs[2..5]. */
  foldSmsc: string | null,
  foldNorm: string | null,
  foldConn: string | null,
  foldState: MessageState | null,
];
export type OwedArgs = [id: number, partSeq: number | null, outcome: string, error: string | null, doneAt: number];

/** A message row with its part rows, as the reads return it (bytes may arrive as Uint8Array). */
export interface StoredRows {
  row: MessageRow;
  parts: PartRow[];
}

export interface PurgeCursor {
  afterId: number;
  deleted: number;
  done: boolean;
}

export const PURGE_CHUNK = 2000;

/** The message store's operations on an open store database (schema-sql.ts). */
export function createMessageOps(db: Database.Database, fx: OpEffects): OpTable {
  const s = prepareStatements(db);
  const patchStmts = new Map<string, Stmt>();

  const writeSmsc = (w: SmscArgs): void => {
    const [id, seq, smsc, norm, conn, state] = w;
    if (seq === 1 && s.inlineSmsc.run(smsc, norm, conn, state, id).changes > 0) return;
    s.partSmsc.run(smsc, norm, conn, id, state, id, seq);
  };

  /** Marks a receipt owed on its part row (per-part receipts) or on the message row. */
  const owe = (o: OwedArgs): void => {
    const [id, seq, outcome, err, doneAt] = o;
    if (seq !== null && s.owedPart.run(outcome, err, doneAt, id, seq).changes > 0) return;
    // Part 1 of an inline message has no part row: flag 2 on the message row stands for it.
    s.owedMsg.run(seq === null ? 1 : 2, outcome, err, doneAt, id);
  };

  const withParts = (row: MessageRow): StoredRows => ({
    row,
    parts: row.parts_inline !== 0 ? [] : (s.getParts.all(row.id) as PartRow[]),
  });

  const insert: OpFn = (a, b, c) => {
    s.insertMsg.run(...(a as unknown[]));
    const parts = b as unknown[][] | null;
    if (parts !== null) for (const p of parts) s.insertPart.run(...p);
    fx.delta += c as number;
  };

  const smsc: OpFn = (a) => {
    const w = a as SmscArgs;
    if (w[6] === 0) writeSmsc(w);
  };

  const updatePart: OpFn = (a, b, c) => {
    const id = a as number;
    const seq = b as number;
    const state = c as MessageState;
    if (seq === 1 && s.inlineState.run(state, id).changes > 0) return;
    s.partState.run(state, id, seq);
  };

  const update: OpFn = (a, b, c) => {
    const id = a as number;
    const patch = b as Record<string, unknown>;
    const newState = patch['state'] as MessageState | undefined;
    const oldState = newState === undefined ? undefined : (s.stateOf.get(id) as MessageState | undefined);
    // `open` is written only when the state crosses between unfinished and final, so the index stays untouched otherwise.
    const newOpen = newState === undefined ? true : !FINAL_STATES.has(newState);
    const crossing = oldState !== undefined && newOpen !== !FINAL_STATES.has(oldState);
    let key = crossing ? (newOpen ? 'open=1,' : 'open=0,') : '';
    for (const k in patch) if (patchColumn(k, patch[k]) !== undefined) key += k + ',';
    const hasUpdatedAt = patch['updatedAt'] !== undefined;
    let stmt = patchStmts.get(key);
    if (stmt === undefined) {
      const sets: string[] = [];
      for (const k in patch) for (const col of patchColumn(k, patch[k])?.cols ?? []) sets.push(`${col} = ?`);
      if (!hasUpdatedAt) sets.push('updated_at = ?');
      if (crossing) sets.push(newOpen ? 'open = 1' : 'open = NULL');
      stmt = db.prepare(`UPDATE messages SET ${sets.join(', ')} WHERE id = ?`);
      if (patchStmts.size >= MAX_PATCH_STATEMENTS) patchStmts.clear();
      patchStmts.set(key, stmt);
    }
    const values: unknown[] = [];
    for (const k in patch) {
      const col = patchColumn(k, patch[k]);
      if (col !== undefined) col.push(patch[k], values);
    }
    if (!hasUpdatedAt) values.push(c);
    values.push(id);
    if (stmt.run(...values).changes > 0 && crossing) fx.delta += newOpen ? 1 : -1;
  };

  const receipt: OpFn = (a) => {
    const r = a as ReceiptArgs;
    const [id, partSeq, outcome, final, err, receivedAt, doneAt, now] = r;
    const owed: OwedArgs | null = r[8] === 0 ? null : [r[8], r[9], r[10]!, r[11], r[12]!];
    const fold: SmscArgs | null = r[13] === null ? null : [id, 1, r[13], r[14]!, r[15], r[16], 1];
    const state = final ? outcomeToState(outcome) : undefined;
    if (partSeq === 1) {
      // The common case, one statement: a single-part message kept inline, with the SMSC id and the owed receipt.
      const smscId = fold === null ? null : fold[2];
      const norm = fold === null ? null : fold[3];
      const conn = fold === null ? null : fold[4];
      if (state !== undefined) {
        const inlineOwed = owed !== null && owed[0] === id && (owed[1] ?? 1) === 1;
        const flag = inlineOwed ? (owed[1] === null ? 1 : 2) : null;
        const oOutcome = inlineOwed ? owed[2] : null;
        const oError = inlineOwed ? owed[3] : null;
        const oDone = inlineOwed ? owed[4] : null;
        const args = [outcome, err, receivedAt, doneAt, flag, oOutcome, flag, oError, oDone, smscId, norm, smscId, conn, id];
        if (s.inlineFinalOpen.run(state, state, now, ...args).changes > 0) {
          fx.delta--;
          if (!inlineOwed && owed !== null) owe(owed);
          return;
        }
        if (s.inlineFinalClosed.run(state, now, ...args).changes > 0) {
          if (!inlineOwed && owed !== null) owe(owed);
          return;
        }
      } else if (s.inlineInterim.run(fold === null ? null : fold[5], outcome, err, receivedAt, doneAt, smscId, norm, smscId, conn, id).changes > 0) {
        if (owed !== null) owe(owed);
        return;
      }
    }
    // Not an inline part: the folded SMSC id write goes first, as it was queued.
    if (fold !== null) writeSmsc(fold);
    // A receipt for a message the store no longer has (purged) changes nothing and is owed to nobody.
    if (s.stateOf.get(id) === undefined) return;
    if (state !== undefined) {
      const hit = s.partReceiptFinal.run(state, outcome, err, receivedAt, doneAt, id, partSeq).changes;
      // Without a matching part (a message stored without parts) the receipt decides the message state itself.
      const done = hit > 0 ? s.rollup.run(now, id, id, id).changes : s.msgFinalDirect.run(state, now, id).changes;
      if (done > 0) fx.delta--;
    } else {
      s.partReceipt.run(outcome, err, receivedAt, doneAt, id, partSeq);
    }
    if (owed !== null) owe(owed);
  };

  const forwarded: OpFn = (a, b) => {
    const id = a as number;
    const seq = b as number | null;
    if (seq === null) s.forwardedMsg.run(id, 1);
    else if (s.forwardedPart.run(id, seq).changes === 0 && seq === 1) s.forwardedMsg.run(id, 2);
  };

  const get: OpFn = (a) => {
    const row = s.getMsg.get(a) as MessageRow | undefined;
    return row === undefined ? undefined : withParts(row);
  };

  const find: OpFn = (a, b) => {
    const inline = s.bySmscInline.get(a, b) as number | undefined;
    const part = s.bySmscParts.get(a, b) as { message_id: number; seq: number } | undefined;
    // SMSC ids can wrap around: the newest message with the id wins.
    if (part !== undefined && (inline === undefined || part.message_id > inline)) return { id: String(part.message_id), seq: part.seq };
    return inline === undefined ? undefined : { id: String(inline), seq: 1 };
  };

  const unfinished: OpFn = (a, b, c) => (s.unfinished.all(a, c, b) as MessageRow[]).map(withParts);

  const owedList: OpFn = (a, b) => s.owedList.all(a, a, b) as OwedRow[];

  /** One chunk of purgeFinished: returns the cursor to continue from. */
  const purgeChunk: OpFn = (a, b, c) => {
    const before = a as number;
    const cursor: PurgeCursor = { afterId: b as number, deleted: 0, done: false };
    const rows = s.purgeScan.all(cursor.afterId, PURGE_CHUNK) as [number, string, number, number][];
    cursor.done = rows.length < PURGE_CHUNK;
    // Ids never go backwards, even when the newest message is purged.
    if (rows.length > 0) s.hwmSet.run(String(c as number));
    for (const [id, state, createdAt, updatedAt] of rows) {
      if (createdAt >= before) {
        cursor.done = true;
        break;
      }
      cursor.afterId = id;
      if (updatedAt >= before || !FINAL_STATES.has(state as MessageState)) continue;
      s.delParts.run(id);
      s.delMsg.run(id);
      cursor.deleted++;
    }
    return cursor;
  };

  /** createdAt of the oldest unfinished MT and MO. */
  const oldest: OpFn = () => s.oldest.get() as [number | null, number | null];

  return {
    'msg.noop': () => undefined,
    'msg.insert': insert,
    'msg.smsc': smsc,
    'msg.updatePart': updatePart,
    'msg.update': update,
    'msg.receipt': receipt,
    'msg.forwarded': forwarded,
    'msg.get': get,
    'msg.find': find,
    'msg.unfinished': unfinished,
    'msg.owed': owedList,
    'msg.purgeChunk': purgeChunk,
    'msg.oldest': oldest,
  };
}

/** Every op of the store's database (messages and MO tables), for whichever thread owns the connection. */
export function createStoreOps(db: Database.Database, fx: OpEffects): OpTable {
  return { ...createMessageOps(db, fx), ...createMoOps(db) };
}
