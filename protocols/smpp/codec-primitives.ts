import { EncodeError, PduDecodeError } from '../wire/errors';
import type { SmppPdu, TlvField } from './pdu';

/** Shared low-level pieces of the SMPP codec: result helpers, string reads and checked writes. */

export const HEADER_LENGTH = 16;
/** sm_length is one octet; the spec caps it at 254. */
export const MAX_SHORT_MESSAGE = 254;

export type SmppDecodeResult =
  | { ok: true; pdu: SmppPdu }
  | { ok: false; error: PduDecodeError<number>; commandId: number; sequenceNumber: number };

export function fail(status: number, commandId: number, sequenceNumber: number, why: string): SmppDecodeResult {
  return { ok: false, error: new PduDecodeError<number>(status, why), commandId, sequenceNumber };
}

type Latin1Slicer = Buffer & { latin1Slice?: (start: number, end: number) => string };

/** Buffer#latin1Slice skips toString's argument handling (a third faster on short fields); fall back if absent. */
export function latin1(buf: Buffer, start: number, end: number): string {
  if (start === end) return '';
  const b = buf as Latin1Slicer;
  return b.latin1Slice !== undefined ? b.latin1Slice(start, end) : buf.toString('latin1', start, end);
}

export function badValue(what: string): never {
  throw new EncodeError(what);
}

export function checkU8(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xff) badValue(`${what}: not an octet`);
  return v;
}

export function checkU32(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) badValue(`${what}: not a u32`);
  return v;
}

export function checkCString(v: unknown, max: number, what: string): number {
  if (typeof v !== 'string') badValue(`${what}: not a string`);
  if (v.length + 1 > max) badValue(`${what}: ${v.length} chars, max ${max - 1}`);
  return v.length + 1;
}

export function writeCString(buf: Buffer, pos: number, s: string, what: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0xff) badValue(`${what}: character ${c} cannot be sent`);
    buf[pos++] = c;
  }
  buf[pos++] = 0;
  return pos;
}

export function writeTlvs(buf: Buffer, start: number, tlvs: TlvField[]): number {
  let pos = start;
  for (let i = 0; i < tlvs.length; i++) {
    const t = tlvs[i]!;
    buf.writeUInt16BE(t.tag, pos);
    buf.writeUInt16BE(t.value.length, pos + 2);
    buf.set(t.value, pos + 4);
    pos += 4 + t.value.length;
  }
  return pos;
}
