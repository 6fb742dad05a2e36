import { EncodeError } from '../wire/errors';
import { XserType } from './constants';

/**
 * XSer (field 31): a concatenation of `TT LL DD..` (type, length in octets, data), all hex. Unknown types are
 * kept in order so that a re-built XSer equals the one received.
 */
export interface XserItem {
  readonly type: number;
  readonly data: Buffer;
}

export type ParseXserResult = { ok: true; items: XserItem[] } | { ok: false; reason: string };

/** Parses XSer hex (either case). Never throws. */
export function parseXser(hex: string): ParseXserResult {
  if (hex.length === 0) return { ok: true, items: [] };
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return { ok: false, reason: 'XSer is not an even run of hex digits' };
  const bytes = Buffer.from(hex, 'hex');
  const items: XserItem[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 2 > bytes.length) return { ok: false, reason: `truncated XSer item at octet ${pos}` };
    const type = bytes[pos]!;
    const len = bytes[pos + 1]!;
    if (pos + 2 + len > bytes.length) return { ok: false, reason: `XSer type ${type} length ${len} past the end` };
    items.push({ type, data: Buffer.from(bytes.subarray(pos + 2, pos + 2 + len)) });
    pos += 2 + len;
  }
  return { ok: true, items };
}

/** Builds XSer hex (uppercase) from items in the given order. */
export function buildXser(items: readonly XserItem[]): string {
  let out = '';
  for (const it of items) {
    if (!Number.isInteger(it.type) || it.type < 0 || it.type > 0xff) throw new EncodeError(`XSer type ${it.type} out of range`);
    if (it.data.length > 0xff) throw new EncodeError(`XSer type ${it.type} data longer than 255 octets`);
    out += hex2(it.type) + hex2(it.data.length) + it.data.toString('hex').toUpperCase();
  }
  return out;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
}

export function xserFind(items: readonly XserItem[], type: number): Buffer | undefined {
  for (const it of items) if (it.type === type) return it.data;
  return undefined;
}

/** The GSM UDH (UDHL byte included) carried in XSer 01. */
export function xserUdh(items: readonly XserItem[]): Buffer | undefined {
  return xserFind(items, XserType.UDH);
}

/** The GSM DCS octet carried in XSer 02. */
export function xserDcs(items: readonly XserItem[]): number | undefined {
  const d = xserFind(items, XserType.DCS);
  return d && d.length >= 1 ? d[0] : undefined;
}

export function xserBillingId(items: readonly XserItem[]): Buffer | undefined {
  return xserFind(items, XserType.BILLING_ID);
}

/** Convenience: XSer for an optional UDH, DCS and billing id, in that (Kannel's) order. */
export function xserOf(parts: { udh?: Buffer; dcs?: number; billingId?: Buffer; extra?: readonly XserItem[] }): string {
  const items: XserItem[] = [];
  if (parts.udh && parts.udh.length > 0) items.push({ type: XserType.UDH, data: parts.udh });
  if (parts.dcs !== undefined) items.push({ type: XserType.DCS, data: Buffer.from([parts.dcs & 0xff]) });
  if (parts.billingId) items.push({ type: XserType.BILLING_ID, data: parts.billingId });
  if (parts.extra) items.push(...parts.extra);
  return buildXser(items);
}
