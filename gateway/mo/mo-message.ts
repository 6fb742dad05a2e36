/**
 * MO message helpers: concatenation info out of the UDH or SAR, user data without UDH, Unicode text, and the reply MT.
 */
import { decodeText, chooseEncoding, dataCodingFor, encodeText, type TextOptions } from '../../protocols/wire/text';
import { parseUdh } from '../../protocols/wire/udh';
import type { Message, MessageId, MessagePart } from '../../routing/message';
import type { ReassembledMo, RefKind } from '../../routing/mo-reassembly';
import { splitPayload, fitsOneSms } from '../adapters/split-payload';

const UDHI = 0x40;

export interface MoUserData {
  /** User data without the UDH. */
  payload: Buffer;
  concat?: { refKind: RefKind; ref: number; total: number; seq: number };
}

/**
 * UDH concat IE (8- or 16-bit reference) when esm_class has UDHI, else SAR (`msg.concat`, set by the adapter).
 * An unparsable UDH leaves the body whole (the partner still gets the bytes in `hex`).
 */
export function moUserData(msg: Message): MoUserData {
  if ((msg.esmClass & UDHI) !== 0) {
    const parsed = parseUdh(msg.body);
    if (parsed.ok) {
      const payload = msg.body.subarray(parsed.udh.length);
      const c = parsed.udh.concat;
      if (c && c.total > 1) return { payload, concat: { refKind: c.refBits === 16 ? 'udh16' : 'udh8', ref: c.ref, total: c.total, seq: c.seq } };
      return { payload };
    }
    return { payload: msg.body };
  }
  if (msg.concat && msg.concat.total > 1) {
    return { payload: msg.body, concat: { refKind: 'sar', ref: msg.concat.ref, total: msg.concat.total, seq: msg.concat.seq } };
  }
  return { payload: msg.body };
}

export function moText(payload: Buffer, dataCoding: number, opts?: TextOptions): string {
  return decodeText(payload, dataCoding, opts);
}

export interface ReplyContext {
  id: MessageId;
  partnerId: string;
  serviceId: string;
  now: number;
  validityMs: number;
}

/** The reply MT: from the short number to the subscriber, on the operator link the MO came in on. */
export function replyMessage(mo: Message, text: string, ctx: ReplyContext): Message {
  const enc = chooseEncoding(text);
  const body = encodeText(text, enc);
  const dataCoding = dataCodingFor(enc);
  let parts: MessagePart[];
  if (fitsOneSms(body, dataCoding)) {
    parts = [{ seq: 1, body, udhi: false, state: 'accepted' }];
  } else {
    const chunks = splitPayload(body, dataCoding, Number(ctx.id) & 0xff);
    parts = chunks.map((b, i) => ({ seq: i + 1, body: b, udhi: true, state: 'accepted' }));
  }
  const msg: Message = {
    id: ctx.id,
    direction: 'mt',
    partnerId: ctx.partnerId,
    partnerRef: mo.id,
    routeId: ctx.serviceId,
    source: { ...mo.destination },
    destination: { ...mo.source },
    dataCoding,
    esmClass: 0, // the whole body has no UDH; split parts carry their own (udhi)
    protocolId: 0,
    priority: 0,
    registeredDelivery: 0,
    body,
    parts,
    state: 'accepted',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    validUntil: ctx.now + ctx.validityMs,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
  if (mo.connectorId !== undefined) msg.connectorId = mo.connectorId;
  return msg;
}

/** One MO from reassembled parts; `missing` set (possibly empty) marks a partial message in extras. */
export function reassembledMessage(r: ReassembledMo, id: MessageId, now: number, missing: number[] | undefined): Message {
  const first = r.parts[0]!;
  const msg: Message = {
    id,
    direction: 'mo',
    connectorId: first.connectorId,
    source: { addr: first.source, ton: first.sourceTon, npi: first.sourceNpi },
    destination: { addr: first.destination, ton: first.destTon, npi: first.destNpi },
    dataCoding: first.dataCoding,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 0,
    body: r.payload,
    parts: [],
    state: 'accepted',
    createdAt: first.receivedAt,
    updatedAt: now,
    validUntil: now + 7 * 24 * 3600_000,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
    extras: { parts: r.parts.map((p) => p.partId).join(',') },
  };
  if (missing !== undefined) msg.extras!['partial'] = missing.join(',');
  return msg;
}
