/**
 * Named operations on the MO / partner-HTTP tables (mo_parts, mo_delivery, api_idempotency, api_messages). They run
 * on whichever thread owns the connection (the store's worker, the store's own connection, or a second connection
 * opened by openMoDb), so arguments and results are plain, structured-clone-safe values: rows are mapped to records
 * here, and bytes may come back as a plain Uint8Array (callers wrap them with `asBuffer`).
 */
import type Database from 'better-sqlite3';
import type { ApiMessageRecord, IdempotencyRecord, MoDeliveryRecord, MoDeliveryState } from '../../../routing/mo-ports';
import type { MoPartInput, RefKind } from '../../../routing/mo-reassembly';
import type { OpFn } from './group-commit';
import type { OpFactory } from './op-committer';

export const MO_DDL = `
CREATE TABLE IF NOT EXISTS mo_parts (
  group_key    TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  part_id      TEXT    NOT NULL,
  connector_id TEXT    NOT NULL,
  src          TEXT    NOT NULL,
  dst          TEXT    NOT NULL,
  src_ton      INTEGER NOT NULL,
  src_npi      INTEGER NOT NULL,
  dst_ton      INTEGER NOT NULL,
  dst_npi      INTEGER NOT NULL,
  ref_kind     TEXT    NOT NULL,
  ref          INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  payload      BLOB    NOT NULL,
  data_coding  INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (group_key, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS mo_delivery (
  mo_id       INTEGER PRIMARY KEY,
  partner_id  TEXT    NOT NULL,
  service_id  TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT,
  queued_at   INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mo_delivery_partner ON mo_delivery (state, partner_id, mo_id);

CREATE TABLE IF NOT EXISTS api_idempotency (
  partner_id  TEXT    NOT NULL,
  key         TEXT    NOT NULL,
  message_id  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (partner_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS api_idempotency_age ON api_idempotency (created_at);

CREATE TABLE IF NOT EXISTS api_messages (
  message_id   INTEGER PRIMARY KEY,
  partner_id   TEXT    NOT NULL,
  callback_url TEXT,
  mo_ref       TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS api_messages_mo ON api_messages (mo_ref) WHERE mo_ref IS NOT NULL;
`;

/** Op names (arguments in brackets); ids of messages are passed as numbers, MO references as strings. */
export const MO_OPS = {
  /** (groupKey, MoPartInput) */
  partSave: 'mo.part.save',
  /** (groupKey) */
  partDeleteGroup: 'mo.part.deleteGroup',
  /** () -> MoPartInput[] with payload as bytes, oldest first */
  partLoadAll: 'mo.part.loadAll',
  /** (MoDeliveryRecord) */
  deliveryPut: 'mo.delivery.put',
  /** (moId: number) */
  deliveryRemove: 'mo.delivery.remove',
  /** (moId: number) -> MoDeliveryRecord | undefined */
  deliveryGet: 'mo.delivery.get',
  /** (MoDeliveryListArgs) -> MoDeliveryRecord[] */
  deliveryList: 'mo.delivery.list',
  /** (IdempotencyRecord, ttlMs) -> IdempotencyClaim */
  idemClaim: 'mo.idem.claim',
  /** (partnerId, key) */
  idemRelease: 'mo.idem.release',
  /** (before) -> number of keys deleted */
  idemPurge: 'mo.idem.purge',
  /** (ApiMessageRecord) */
  apiPut: 'mo.api.put',
  /** (messageId: number) -> ApiMessageRecord | undefined */
  apiGet: 'mo.api.get',
  /** (moId: string) -> ApiMessageRecord[] */
  apiByMoRef: 'mo.api.byMoRef',
} as const;

export interface MoDeliveryListArgs {
  state?: MoDeliveryState;
  partnerId?: string;
  limit: number;
  /** Only records with a larger mo_id; -1 for all. */
  after: number;
}

export type IdempotencyClaim = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

interface PartRow {
  seq: number;
  part_id: string;
  connector_id: string;
  src: string;
  dst: string;
  src_ton: number;
  src_npi: number;
  dst_ton: number;
  dst_npi: number;
  ref_kind: string;
  ref: number;
  total: number;
  payload: Buffer;
  data_coding: number;
  received_at: number;
}

interface DeliveryRow {
  mo_id: number;
  partner_id: string;
  service_id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  queued_at: number;
  updated_at: number;
}

interface IdemRow {
  partner_id: string;
  key: string;
  message_id: string;
  created_at: number;
}

interface ApiRow {
  message_id: number;
  partner_id: string;
  callback_url: string | null;
  mo_ref: string | null;
  created_at: number;
}

function fromPartRow(r: PartRow): MoPartInput {
  return {
    partId: r.part_id,
    connectorId: r.connector_id,
    source: r.src,
    destination: r.dst,
    sourceTon: r.src_ton,
    sourceNpi: r.src_npi,
    destTon: r.dst_ton,
    destNpi: r.dst_npi,
    refKind: r.ref_kind as RefKind,
    ref: r.ref,
    total: r.total,
    seq: r.seq,
    payload: r.payload,
    dataCoding: r.data_coding,
    receivedAt: r.received_at,
  };
}

function fromDeliveryRow(r: DeliveryRow): MoDeliveryRecord {
  const rec: MoDeliveryRecord = {
    moId: String(r.mo_id),
    partnerId: r.partner_id,
    serviceId: r.service_id,
    state: r.state as MoDeliveryState,
    attempts: r.attempts,
    queuedAt: r.queued_at,
    updatedAt: r.updated_at,
  };
  if (r.last_error !== null) rec.lastError = r.last_error;
  return rec;
}

function fromApiRow(r: ApiRow): ApiMessageRecord {
  const rec: ApiMessageRecord = { messageId: String(r.message_id), partnerId: r.partner_id, createdAt: r.created_at };
  if (r.callback_url !== null) rec.callbackUrl = r.callback_url;
  if (r.mo_ref !== null) rec.moRef = r.mo_ref;
  return rec;
}

/** Creates the MO tables if needed and prepares every statement once, on the thread that owns `db`. */
export const createMoOps: OpFactory = (db: Database.Database) => {
  db.exec(MO_DDL);
  const partIns = db.prepare(
    `INSERT OR IGNORE INTO mo_parts (group_key, seq, part_id, connector_id, src, dst, src_ton, src_npi, dst_ton, dst_npi,
       ref_kind, ref, total, payload, data_coding, received_at)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const partDel = db.prepare('DELETE FROM mo_parts WHERE group_key = ?');
  const partAll = db.prepare('SELECT * FROM mo_parts ORDER BY received_at, group_key, seq');

  const delUpsert = db.prepare(
    `INSERT INTO mo_delivery (mo_id, partner_id, service_id, state, attempts, last_error, queued_at, updated_at)
     VALUES (?,?,?,?,?,?,?,?)
     ON CONFLICT(mo_id) DO UPDATE SET partner_id=excluded.partner_id, service_id=excluded.service_id, state=excluded.state,
       attempts=excluded.attempts, last_error=excluded.last_error, updated_at=excluded.updated_at`,
  );
  const delDel = db.prepare('DELETE FROM mo_delivery WHERE mo_id = ?');
  const delOne = db.prepare('SELECT * FROM mo_delivery WHERE mo_id = ?');
  const delByBoth = db.prepare('SELECT * FROM mo_delivery WHERE state = ? AND partner_id = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
  const delByState = db.prepare('SELECT * FROM mo_delivery WHERE state = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
  const delByPartner = db.prepare('SELECT * FROM mo_delivery WHERE partner_id = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
  const delAll = db.prepare('SELECT * FROM mo_delivery WHERE mo_id > ? ORDER BY mo_id LIMIT ?');

  const idemSel = db.prepare('SELECT * FROM api_idempotency WHERE partner_id = ? AND key = ?');
  const idemUpsert = db.prepare(
    `INSERT INTO api_idempotency (partner_id, key, message_id, created_at) VALUES (?,?,?,?)
     ON CONFLICT(partner_id, key) DO UPDATE SET message_id=excluded.message_id, created_at=excluded.created_at`,
  );
  const idemDel = db.prepare('DELETE FROM api_idempotency WHERE partner_id = ? AND key = ?');
  const idemPurge = db.prepare('DELETE FROM api_idempotency WHERE created_at < ?');

  const apiIns = db.prepare(
    'INSERT OR REPLACE INTO api_messages (message_id, partner_id, callback_url, mo_ref, created_at) VALUES (?,?,?,?,?)',
  );
  const apiOne = db.prepare('SELECT * FROM api_messages WHERE message_id = ?');
  const apiByMo = db.prepare('SELECT * FROM api_messages WHERE mo_ref = ? ORDER BY message_id');

  const partSave: OpFn = (k, part) => {
    const q = part as MoPartInput;
    partIns.run(k, q.seq, q.partId, q.connectorId, q.source, q.destination, q.sourceTon, q.sourceNpi, q.destTon, q.destNpi,
      q.refKind, q.ref, q.total, q.payload, q.dataCoding, q.receivedAt);
  };

  const deliveryPut: OpFn = (r) => {
    const x = r as MoDeliveryRecord;
    delUpsert.run(Number(x.moId), x.partnerId, x.serviceId, x.state, x.attempts, x.lastError ?? null, x.queuedAt, x.updatedAt);
  };

  const deliveryGet: OpFn = (id) => {
    const r = delOne.get(id) as DeliveryRow | undefined;
    return r ? fromDeliveryRow(r) : undefined;
  };

  const deliveryList: OpFn = (a) => {
    const f = a as MoDeliveryListArgs;
    let rows: unknown[];
    if (f.state !== undefined && f.partnerId !== undefined) rows = delByBoth.all(f.state, f.partnerId, f.after, f.limit);
    else if (f.state !== undefined) rows = delByState.all(f.state, f.after, f.limit);
    else if (f.partnerId !== undefined) rows = delByPartner.all(f.partnerId, f.after, f.limit);
    else rows = delAll.all(f.after, f.limit);
    return (rows as DeliveryRow[]).map(fromDeliveryRow);
  };

  // Check and insert in one op, so no other op can slip between them (it runs inside the batch's transaction).
  const idemClaim: OpFn = (r, ttl): IdempotencyClaim => {
    const x = r as IdempotencyRecord;
    const row = idemSel.get(x.partnerId, x.key) as IdemRow | undefined;
    if (row && row.created_at > x.createdAt - (ttl as number)) {
      return { claimed: false, existing: { partnerId: row.partner_id, key: row.key, messageId: row.message_id, createdAt: row.created_at } };
    }
    idemUpsert.run(x.partnerId, x.key, x.messageId, x.createdAt);
    return { claimed: true };
  };

  const apiPut: OpFn = (r) => {
    const x = r as ApiMessageRecord;
    apiIns.run(Number(x.messageId), x.partnerId, x.callbackUrl ?? null, x.moRef ?? null, x.createdAt);
  };

  const apiGet: OpFn = (id) => {
    const r = apiOne.get(id) as ApiRow | undefined;
    return r ? fromApiRow(r) : undefined;
  };

  return {
    [MO_OPS.partSave]: partSave,
    [MO_OPS.partDeleteGroup]: (k) => void partDel.run(k),
    [MO_OPS.partLoadAll]: () => (partAll.all() as PartRow[]).map(fromPartRow),
    [MO_OPS.deliveryPut]: deliveryPut,
    [MO_OPS.deliveryRemove]: (id) => void delDel.run(id),
    [MO_OPS.deliveryGet]: deliveryGet,
    [MO_OPS.deliveryList]: deliveryList,
    [MO_OPS.idemClaim]: idemClaim,
    [MO_OPS.idemRelease]: (p, k) => void idemDel.run(p, k),
    [MO_OPS.idemPurge]: (before) => idemPurge.run(before).changes,
    [MO_OPS.apiPut]: apiPut,
    [MO_OPS.apiGet]: apiGet,
    [MO_OPS.apiByMoRef]: (moId) => (apiByMo.all(moId) as ApiRow[]).map(fromApiRow),
  };
};
