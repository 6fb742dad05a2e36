/**
 * User Data Header (3GPP 23.040 §9.2.3.24): UDHL, then information elements `IEI, IEDL, data`.
 * Protocol-neutral: SMPP puts it at the start of short_message (esm_class 0x40), UCP in XSer 01, CIMD2 in 032.
 *
 * Parsing rules (23.040): a concatenation IE with seq 0, seq > total, total 0 or a wrong IE length is ignored (it stays
 * in `ies` but sets no `concat`); when an IE repeats, the last occurrence wins. IE data are copies, so a parsed
 * header never pins the frame it came from.
 */
import { EncodeError } from './errors';

export const UDH_IEI = {
  concat8: 0x00,
  ports8: 0x04,
  ports16: 0x05,
  concat16: 0x08,
} as const;

export interface UdhIe {
  iei: number;
  data: Buffer;
}

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

export interface ParsedUdh {
  /** Bytes of the whole header, including the UDHL byte. */
  length: number;
  ies: UdhIe[];
  concat?: ConcatInfo;
  ports?: { dest: number; src: number; bits: 8 | 16 };
}

export type ParseUdhResult = { ok: true; udh: ParsedUdh } | { ok: false; reason: string };

/** Parses a UDH at the start of `buf` (buf[0] = UDHL). Never throws. */
export function parseUdh(buf: Buffer): ParseUdhResult {
  if (buf.length < 1) return { ok: false, reason: 'empty user data: no UDHL' };
  const udhl = buf[0]!;
  const end = 1 + udhl;
  if (end > buf.length) return { ok: false, reason: `UDHL ${udhl} past the end of ${buf.length - 1} byte(s)` };
  const udh: ParsedUdh = { length: end, ies: [] };
  let pos = 1;
  while (pos < end) {
    if (pos + 2 > end) return { ok: false, reason: `truncated IE header at offset ${pos}` };
    const iei = buf[pos]!;
    const iedl = buf[pos + 1]!;
    const dataStart = pos + 2;
    const dataEnd = dataStart + iedl;
    if (dataEnd > end) return { ok: false, reason: `IE 0x${iei.toString(16)} length ${iedl} past the UDH end` };
    const data = Buffer.from(buf.subarray(dataStart, dataEnd));
    udh.ies.push({ iei, data });
    applyKnownIe(udh, iei, data);
    pos = dataEnd;
  }
  return { ok: true, udh };
}

function applyKnownIe(udh: ParsedUdh, iei: number, d: Buffer): void {
  switch (iei) {
    case UDH_IEI.concat8:
      if (d.length === 3) setConcat(udh, { ref: d[0]!, total: d[1]!, seq: d[2]!, refBits: 8 });
      break;
    case UDH_IEI.concat16:
      if (d.length === 4) setConcat(udh, { ref: d.readUInt16BE(0), total: d[2]!, seq: d[3]!, refBits: 16 });
      break;
    case UDH_IEI.ports8:
      if (d.length === 2) udh.ports = { dest: d[0]!, src: d[1]!, bits: 8 };
      break;
    case UDH_IEI.ports16:
      if (d.length === 4) udh.ports = { dest: d.readUInt16BE(0), src: d.readUInt16BE(2), bits: 16 };
      break;
    default:
      break;
  }
}

function setConcat(udh: ParsedUdh, info: ConcatInfo): void {
  if (isValidConcat(info)) udh.concat = info;
}

/** total 1-255, seq 1-total, ref within its width. */
export function isValidConcat(info: ConcatInfo): boolean {
  const refMax = info.refBits === 8 ? 0xff : 0xffff;
  return (
    Number.isInteger(info.ref) &&
    info.ref >= 0 &&
    info.ref <= refMax &&
    Number.isInteger(info.total) &&
    info.total >= 1 &&
    info.total <= 255 &&
    Number.isInteger(info.seq) &&
    info.seq >= 1 &&
    info.seq <= info.total
  );
}

/** UDHL + IEs. Throws EncodeError for an IEI or IE length over 255 or a header longer than 255 bytes. */
export function buildUdh(ies: UdhIe[]): Buffer {
  let udhl = 0;
  for (const ie of ies) {
    if (!Number.isInteger(ie.iei) || ie.iei < 0 || ie.iei > 0xff) throw new EncodeError(`bad IEI ${ie.iei}`);
    if (ie.data.length > 0xff) throw new EncodeError(`IE 0x${ie.iei.toString(16)} data longer than 255`);
    udhl += 2 + ie.data.length;
  }
  if (udhl > 0xff) throw new EncodeError(`UDH of ${udhl} bytes exceeds 255`);
  const out = Buffer.allocUnsafe(1 + udhl);
  out[0] = udhl;
  let pos = 1;
  for (const ie of ies) {
    out[pos++] = ie.iei;
    out[pos++] = ie.data.length;
    ie.data.copy(out, pos);
    pos += ie.data.length;
  }
  return out;
}

/** IEI 0x00 (8-bit ref, 3 data bytes) or 0x08 (16-bit ref, 4 data bytes). Throws EncodeError when out of range. */
export function concatIe(info: ConcatInfo): UdhIe {
  if (!isValidConcat(info)) {
    throw new EncodeError(`bad concat ref ${info.ref}/${info.refBits} total ${info.total} seq ${info.seq}`);
  }
  if (info.refBits === 8) {
    return { iei: UDH_IEI.concat8, data: Buffer.from([info.ref, info.total, info.seq]) };
  }
  return { iei: UDH_IEI.concat16, data: Buffer.from([info.ref >>> 8, info.ref & 0xff, info.total, info.seq]) };
}

/** A whole UDH holding only the concat IE: `05 00 03 RR TT NN` or `06 08 04 RRRR TT NN`. Throws EncodeError. */
export function concatUdh(info: ConcatInfo): Buffer {
  if (!isValidConcat(info)) {
    throw new EncodeError(`bad concat ref ${info.ref}/${info.refBits} total ${info.total} seq ${info.seq}`);
  }
  // Written directly: this runs once per part of every long message.
  if (info.refBits === 8) {
    const b = Buffer.allocUnsafe(6);
    b[0] = 5;
    b[1] = UDH_IEI.concat8;
    b[2] = 3;
    b[3] = info.ref;
    b[4] = info.total;
    b[5] = info.seq;
    return b;
  }
  const b = Buffer.allocUnsafe(7);
  b[0] = 6;
  b[1] = UDH_IEI.concat16;
  b[2] = 4;
  b[3] = info.ref >>> 8;
  b[4] = info.ref & 0xff;
  b[5] = info.total;
  b[6] = info.seq;
  return b;
}

/** IEI 0x04 (8-bit ports) or 0x05 (16-bit ports, e.g. WAP push dest 2948 src 9200). */
export function portsIe(dest: number, src: number, bits: 8 | 16): UdhIe {
  const max = bits === 8 ? 0xff : 0xffff;
  for (const p of [dest, src]) {
    if (!Number.isInteger(p) || p < 0 || p > max) throw new EncodeError(`bad ${bits}-bit port ${p}`);
  }
  if (bits === 8) return { iei: UDH_IEI.ports8, data: Buffer.from([dest, src]) };
  return { iei: UDH_IEI.ports16, data: Buffer.from([dest >>> 8, dest & 0xff, src >>> 8, src & 0xff]) };
}

export type SplitUdhResult = { udh?: ParsedUdh; udhBytes?: Buffer; payload: Buffer } | { error: string };

/**
 * Splits user data that carries a UDH (UDHI / esm_class 0x40 set) into header and payload. `udhBytes` and `payload`
 * are views into `userData` (no copy). Empty user data or a malformed header gives `{error}`; never throws.
 */
export function splitUdh(userData: Buffer): SplitUdhResult {
  const parsed = parseUdh(userData);
  if (!parsed.ok) return { error: parsed.reason };
  const n = parsed.udh.length;
  return { udh: parsed.udh, udhBytes: userData.subarray(0, n), payload: userData.subarray(n) };
}

/** Septets a UDH of `udhBytes` octets (incl. UDHL) occupies in 7-bit user data: ceil(8·n / 7). */
export function udhSeptets(udhBytes: number): number {
  return Math.ceil((8 * udhBytes) / 7);
}

/** Fill bits between a UDH of `udhBytes` octets and the first packed septet (pass to packSeptets). */
export function udhFillBits(udhBytes: number): number {
  return (7 - ((8 * udhBytes) % 7)) % 7;
}
