import { FINAL_STATES, type Message, type MessagePart, type MessageState } from '../../../routing/message';
import { normaliseSmscId, type SmscIdFormat } from '../../ids';
import { asBuffer } from './op-committer';
import type { OwedReceipt } from '../../../routing/ports';
import { StoreError } from '../store-error';

/** Rows as better-sqlite3 returns them (column names of schema-sql.ts). */
export interface MessageRow {
  id: number;
  direction: string;
  partner_id: string | null;
  partner_ref: string | null;
  connector_id: string | null;
  route_id: string | null;
  src_addr: string;
  src_ton: number;
  src_npi: number;
  dst_addr: string;
  dst_ton: number;
  dst_npi: number;
  data_coding: number;
  esm_class: number;
  protocol_id: number;
  priority: number;
  registered_delivery: number;
  body: Uint8Array;
  concat_ref: number | null;
  concat_total: number | null;
  concat_seq: number | null;
  state: string;
  created_at: number;
  updated_at: number;
  valid_until: number;
  attempts: number;
  next_attempt_at: number | null;
  possible_duplicate: number;
  last_error: string | null;
  receipt_owed: number;
  extras: string | null;
  parts_inline: number;
  part_udhi: number | null;
  part_state: string | null;
  smsc_id: string | null;
}

export interface PartRow {
  message_id: number;
  seq: number;
  body: Uint8Array | null;
  udhi: number;
  smsc_id: string | null;
  state: string;
  owed: number | null;
}

export interface OwedRow {
  message_id: number;
  part_seq: number;
  partner_id: string;
  outcome: string;
  error_code: string | null;
  done_at: number;
  submitted_at: number;
  partner_ref: string | null;
  src_addr: string;
  src_ton: number;
  src_npi: number;
  dst_addr: string;
  dst_ton: number;
  dst_npi: number;
}

/** Message ids are decimal strings of the INTEGER PRIMARY KEY; 0 when `id` is not one. */
export function parseId(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 && String(n) === id ? n : 0;
}

export function idToInt(id: string): number {
  const n = parseId(id);
  if (n === 0) throw new StoreError(`not a store message id: '${id}'`);
  return n;
}

export const INSERT_MESSAGE_SQL = `INSERT INTO messages (id, direction, partner_id, partner_ref, connector_id, route_id,
  src_addr, src_ton, src_npi, dst_addr, dst_ton, dst_npi, data_coding, esm_class, protocol_id, priority,
  registered_delivery, body, concat_ref, concat_total, concat_seq, state, created_at, updated_at, valid_until, attempts,
  next_attempt_at, possible_duplicate, last_error, receipt_owed, extras, parts_inline, part_udhi, part_state, smsc_id,
  smsc_id_norm, smsc_connector_id, open)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

export const INSERT_PART_SQL = `INSERT INTO message_parts (message_id, seq, body, udhi, smsc_id, smsc_id_norm, connector_id, state)
  VALUES (?,?,?,?,?,?,?,?)`;

/** Parameters of INSERT_MESSAGE_SQL, and of INSERT_PART_SQL per part unless the single part is kept inline. */
/** Row values of a new message; SMSC ids it already has are normalised with its connector's `idFormat`. */
export function insertArgs(m: Message, id: number, idFormat: SmscIdFormat = 'auto'): { params: unknown[]; parts: unknown[][] | null } {
  const c = m.concat;
  const inline = isInlinePart(m);
  const p1 = inline ? m.parts[0]! : undefined;
  const smsc = p1?.smscMessageId;
  const params = [
    id, m.direction, m.partnerId ?? null, m.partnerRef ?? null, m.connectorId ?? null, m.routeId ?? null,
    m.source.addr, m.source.ton, m.source.npi, m.destination.addr, m.destination.ton, m.destination.npi,
    m.dataCoding, m.esmClass, m.protocolId, m.priority, m.registeredDelivery, m.body,
    c ? c.ref : null, c ? c.total : null, c ? c.seq : null,
    m.state, m.createdAt, m.updatedAt, m.validUntil, m.attempts, m.nextAttemptAt ?? null,
    m.possibleDuplicate ? 1 : 0, m.lastError ?? null, 0, extrasToSql(m.extras),
    inline ? 1 : 0, p1 ? (p1.udhi ? 1 : 0) : null, p1 ? p1.state : null, smsc ?? null,
    smsc === undefined ? null : normaliseSmscId(smsc, idFormat), smsc === undefined ? null : (m.connectorId ?? null),
    FINAL_STATES.has(m.state) ? null : 1,
  ];
  if (inline) return { params, parts: null };
  const parts: unknown[][] = [];
  for (const p of m.parts) {
    const ps = p.smscMessageId;
    parts.push([
      id, p.seq, p.body === m.body || p.body.equals(m.body) ? null : p.body, p.udhi ? 1 : 0,
      ps ?? null, ps === undefined ? null : normaliseSmscId(ps, idFormat), ps === undefined ? null : (m.connectorId ?? null), p.state,
    ]);
  }
  return { params, parts };
}

export function extrasToSql(extras: Record<string, string> | undefined): string | null {
  if (extras === undefined) return null;
  for (const _ in extras) return JSON.stringify(extras);
  return null;
}

/** Columns a top-level field of a patch writes, and how its value is appended to the statement's parameters. */
export interface PatchColumn {
  readonly cols: readonly string[];
  /** Optional Message fields: `undefined` in a patch clears them. For the others `undefined` means "unchanged". */
  readonly nullable?: boolean;
  push(v: unknown, out: unknown[]): void;
}

/** The column a patch key writes, or undefined when the key is not a column or its value leaves the column as is. */
export function patchColumn(key: string, value: unknown): PatchColumn | undefined {
  const col = PATCH_COLUMNS[key];
  return col === undefined || (value === undefined && col.nullable !== true) ? undefined : col;
}

export const PATCH_COLUMNS: Readonly<Record<string, PatchColumn>> = {
  direction: one('direction'),
  partnerId: opt('partner_id'),
  partnerRef: opt('partner_ref'),
  connectorId: opt('connector_id'),
  routeId: opt('route_id'),
  source: addr('src'),
  destination: addr('dst'),
  dataCoding: one('data_coding'),
  esmClass: one('esm_class'),
  protocolId: one('protocol_id'),
  priority: one('priority'),
  registeredDelivery: one('registered_delivery'),
  body: one('body'),
  concat: {
    cols: ['concat_ref', 'concat_total', 'concat_seq'],
    nullable: true,
    push: (v, out) => {
      const c = v as Message['concat'] | null;
      if (c === undefined || c === null) out.push(null, null, null);
      else out.push(c.ref, c.total, c.seq);
    },
  },
  state: one('state'),
  createdAt: one('created_at'),
  updatedAt: one('updated_at'),
  validUntil: one('valid_until'),
  attempts: one('attempts'),
  nextAttemptAt: opt('next_attempt_at'),
  possibleDuplicate: { cols: ['possible_duplicate'], push: (v, out) => out.push(v ? 1 : 0) },
  lastError: opt('last_error'),
  extras: { cols: ['extras'], nullable: true, push: (v, out) => out.push(extrasToSql(v as Record<string, string> | undefined)) },
};

function one(col: string): PatchColumn {
  return { cols: [col], push: (v, out) => out.push(v) };
}

function opt(col: string): PatchColumn {
  return { cols: [col], nullable: true, push: (v, out) => out.push(v === undefined ? null : v) };
}

function addr(prefix: string): PatchColumn {
  return {
    cols: [`${prefix}_addr`, `${prefix}_ton`, `${prefix}_npi`],
    push: (v, out) => {
      const a = v as Message['source'];
      out.push(a.addr, a.ton, a.npi);
    },
  };
}

/** A message from its row and part rows; BLOBs may arrive from the store worker as plain Uint8Arrays. */
export function rowToMessage(r: MessageRow, partRows: readonly PartRow[]): Message {
  const m0body = asBuffer(r.body);
  const m: Message = {
    id: String(r.id),
    direction: r.direction as Message['direction'],
    source: { addr: r.src_addr, ton: r.src_ton, npi: r.src_npi },
    destination: { addr: r.dst_addr, ton: r.dst_ton, npi: r.dst_npi },
    dataCoding: r.data_coding,
    esmClass: r.esm_class,
    protocolId: r.protocol_id,
    priority: r.priority,
    registeredDelivery: r.registered_delivery,
    body: m0body,
    parts:
      r.parts_inline !== 0
        ? [inlinePart(r, m0body)]
        : partRows.map((p) => rowToPart(p, m0body)),
    state: r.state as MessageState,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    validUntil: r.valid_until,
    attempts: r.attempts,
    possibleDuplicate: r.possible_duplicate !== 0,
    receiptOwed: r.receipt_owed !== 0 || partRows.some((p) => p.owed === 1),
  };
  if (r.partner_id !== null) m.partnerId = r.partner_id;
  if (r.partner_ref !== null) m.partnerRef = r.partner_ref;
  if (r.connector_id !== null) m.connectorId = r.connector_id;
  if (r.route_id !== null) m.routeId = r.route_id;
  if (r.concat_ref !== null && r.concat_total !== null && r.concat_seq !== null) {
    m.concat = { ref: r.concat_ref, total: r.concat_total, seq: r.concat_seq };
  }
  if (r.next_attempt_at !== null) m.nextAttemptAt = r.next_attempt_at;
  if (r.last_error !== null) m.lastError = r.last_error;
  if (r.extras !== null) m.extras = JSON.parse(r.extras) as Record<string, string>;
  return m;
}

function inlinePart(r: MessageRow, body: Buffer): MessagePart {
  const part: MessagePart = { seq: 1, body, udhi: r.part_udhi === 1, state: (r.part_state ?? r.state) as MessageState };
  if (r.smsc_id !== null) part.smscMessageId = r.smsc_id;
  return part;
}

/** A single part carrying the whole body is kept in the message row. */
export function isInlinePart(m: Message): boolean {
  if (m.parts.length !== 1) return false;
  const p = m.parts[0]!;
  return p.seq === 1 && (p.body === m.body || p.body.equals(m.body));
}

function rowToPart(p: PartRow, messageBody: Buffer): MessagePart {
  const part: MessagePart = {
    seq: p.seq,
    body: p.body === null ? messageBody : asBuffer(p.body),
    udhi: p.udhi !== 0,
    state: p.state as MessageState,
  };
  if (p.smsc_id !== null) part.smscMessageId = p.smsc_id;
  return part;
}

export function rowToOwed(r: OwedRow): OwedReceipt {
  const o: OwedReceipt = {
    messageId: String(r.message_id),
    partnerId: r.partner_id,
    source: { addr: r.src_addr, ton: r.src_ton, npi: r.src_npi },
    destination: { addr: r.dst_addr, ton: r.dst_ton, npi: r.dst_npi },
    outcome: r.outcome,
    submittedAt: r.submitted_at,
    doneAt: r.done_at,
  };
  if (r.partner_ref !== null) o.partnerRef = r.partner_ref;
  if (r.error_code !== null) o.errorCode = r.error_code;
  if (r.part_seq !== 0) o.partSeq = r.part_seq;
  return o;
}

/** Final message/part state a final receipt outcome leads to. */
export function outcomeToState(outcome: string): MessageState {
  switch (outcome) {
    case 'delivered':
      return 'delivered';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return 'undeliverable';
  }
}
