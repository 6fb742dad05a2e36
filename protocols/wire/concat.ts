/**
 * Splitting text into SMS parts and the protocol-neutral forms of concatenation: UDH (IEI 0x00 / 0x08) and the
 * SMPP SAR triple. Sizes per 3GPP 23.040 with 140 octets of user data (smpp.md §12):
 *   gsm7 160 single / 153 per part (8-bit ref) / 152 (16-bit ref); ucs2 70 / 67 / 66; 8-bit binary 140 / 134 / 133.
 * An ESC pair or a UTF-16 surrogate pair is never split across parts. Parts are views into one encoded buffer.
 */
import { EncodeError } from './errors';
import { GSM7_ESCAPE, gsm7Encode, gsm7EncodeIfRepresentable } from './gsm7';
import { dataCodingFor, type TextEncoding } from './text';
import { ucs2Encode } from './ucs2';
import { type ConcatInfo, concatUdh, isValidConcat } from './udh';

export const PART_LIMITS = {
  gsm7: { single: 160, ref8: 153, ref16: 152 },
  ucs2: { single: 70, ref8: 67, ref16: 66 },
  binary: { single: 140, ref8: 134, ref16: 133 },
} as const;

/** Most parts one concatenated message can have (the total is one octet). */
export const MAX_PARTS = 255;

export interface SplitOptions {
  /** Default 'auto': gsm7 when every char fits the GSM tables, else ucs2. Forced gsm7 turns others into '?'. */
  encoding?: 'gsm7' | 'ucs2' | 'auto';
  /** Reference width of the UDH the parts will carry; decides the per-part room. Default 8. */
  refBits?: 8 | 16;
}

export interface TextPart {
  /** Encoded bytes of this part: unpacked septets for gsm7, UTF-16BE for ucs2. */
  payload: Buffer;
  septetsOrUnits: number;
}

export interface SplitResult {
  encoding: 'gsm7' | 'ucs2';
  dataCoding: number;
  parts: TextPart[];
  totalUnits: number;
}

export interface ConcatMessage {
  /** Present only when the text needs more than one part. */
  udh?: Buffer;
  payload: Buffer;
  seq: number;
  total: number;
}

function isHighSurrogateAt(buf: Buffer, unitEnd: number): boolean {
  const hi = buf[2 * unitEnd - 2]!;
  return hi >= 0xd8 && hi <= 0xdb;
}

/**
 * Splits `text` into parts: one if it fits 160 septets / 70 units, else at most 153 / 67 per part (152 / 66 with
 * 16-bit refs). Empty text gives one empty part. The number of parts is not capped here (see partsFromText).
 */
export function splitText(text: string, opts?: SplitOptions): SplitResult {
  const requested = opts?.encoding ?? 'auto';
  // auto: one pass that both checks and encodes (gives up on the first non-GSM char).
  const septets =
    requested === 'gsm7' ? gsm7Encode(text) : requested === 'auto' ? gsm7EncodeIfRepresentable(text) : undefined;
  const encoding = septets === undefined ? 'ucs2' : 'gsm7';
  const limits = PART_LIMITS[encoding];
  const perPart = opts?.refBits === 16 ? limits.ref16 : limits.ref8;
  const parts: TextPart[] = [];

  if (septets !== undefined) {
    const n = septets.length;
    if (n <= limits.single) {
      parts.push({ payload: septets, septetsOrUnits: n });
    } else {
      let start = 0;
      while (start < n) {
        let end = Math.min(start + perPart, n);
        // An ESC is always the first byte of a pair (no extension code equals 0x1B), so this keeps pairs whole.
        if (end < n && septets[end - 1] === GSM7_ESCAPE) end--;
        parts.push({ payload: septets.subarray(start, end), septetsOrUnits: end - start });
        start = end;
      }
    }
    return { encoding, dataCoding: dataCodingFor(encoding), parts, totalUnits: n };
  }

  const bytes = ucs2Encode(text);
  const units = bytes.length >>> 1;
  if (units <= limits.single) {
    parts.push({ payload: bytes, septetsOrUnits: units });
  } else {
    let start = 0;
    while (start < units) {
      let end = Math.min(start + perPart, units);
      if (end < units && isHighSurrogateAt(bytes, end)) end--;
      parts.push({ payload: bytes.subarray(2 * start, 2 * end), septetsOrUnits: end - start });
      start = end;
    }
  }
  return { encoding, dataCoding: dataCodingFor(encoding), parts, totalUnits: units };
}

/**
 * Prefixes every payload (a single one too) with its concatenation UDH: seq 1..n, total n, the given ref.
 * Throws EncodeError for more than 255 parts, no parts, or a ref out of range for `refBits`.
 */
export function withConcatUdh(parts: Buffer[], ref: number, refBits: 8 | 16): Buffer[] {
  const total = parts.length;
  checkTotal(total);
  const out: Buffer[] = [];
  for (let i = 0; i < total; i++) {
    const udh = concatUdh({ ref, total, seq: i + 1, refBits });
    const payload = parts[i]!;
    const msg = Buffer.allocUnsafe(udh.length + payload.length);
    udh.copy(msg, 0);
    payload.copy(msg, udh.length);
    out.push(msg);
  }
  return out;
}

function checkTotal(total: number): void {
  if (total < 1 || total > MAX_PARTS) throw new EncodeError(`cannot concatenate ${total} part(s); 1-${MAX_PARTS}`);
}

/**
 * Text to ready-to-send messages: the UDH separate from the payload, so SMPP can prepend it (esm_class 0x40),
 * UCP put it in XSer 01 and CIMD2 in 032. A single part carries no UDH. Throws EncodeError above 255 parts or
 * for a ref out of range.
 */
export function partsFromText(
  text: string,
  ref: number,
  opts?: SplitOptions,
): { encoding: 'gsm7' | 'ucs2'; dataCoding: number; messages: ConcatMessage[] } {
  const split = splitText(text, opts);
  const total = split.parts.length;
  checkTotal(total);
  const refBits = opts?.refBits ?? 8;
  const messages: ConcatMessage[] = [];
  if (total === 1) {
    messages.push({ payload: split.parts[0]!.payload, seq: 1, total: 1 });
  } else {
    for (let i = 0; i < total; i++) {
      const udh = concatUdh({ ref, total, seq: i + 1, refBits });
      messages.push({ udh, payload: split.parts[i]!.payload, seq: i + 1, total });
    }
  }
  return { encoding: split.encoding, dataCoding: split.dataCoding, messages };
}

/**
 * Splits binary user data (no UDH yet) into parts of 140 octets single / 134 (8-bit ref) / 133 (16-bit ref).
 * Parts are views into `data`.
 */
export function splitBinary(data: Buffer, refBits: 8 | 16 = 8): Buffer[] {
  const limits = PART_LIMITS.binary;
  if (data.length <= limits.single) return [data];
  const perPart = refBits === 16 ? limits.ref16 : limits.ref8;
  const parts: Buffer[] = [];
  for (let start = 0; start < data.length; start += perPart) {
    parts.push(data.subarray(start, Math.min(start + perPart, data.length)));
  }
  return parts;
}

/**
 * Splits already-encoded message bytes (no UDH) for `encoding`, e.g. a body received in message_payload that must go
 * out as short_message parts. Single part up to 160 septets / 70 units / 140 octets, else per-part limits as in
 * splitText. gsm7 bytes are unpacked septets and an ESC pair (ESC + any byte, ESC ESC too; high bit ignored as in
 * gsm7Decode) is never split; ucs2 keeps
 * surrogate pairs whole (an odd trailing byte stays in the last part); latin1 and binary split on octets.
 * Parts are views into `body`. Never throws.
 */
export function splitEncoded(body: Buffer, encoding: TextEncoding, refBits: 8 | 16 = 8): Buffer[] {
  if (encoding === 'gsm7') return splitSeptets(body, refBits);
  if (encoding === 'ucs2') return splitUcs2Bytes(body, refBits);
  return splitBinary(body, refBits);
}

function splitSeptets(body: Buffer, refBits: 8 | 16): Buffer[] {
  const n = body.length;
  if (n <= PART_LIMITS.gsm7.single) return [body];
  const perPart = refBits === 16 ? PART_LIMITS.gsm7.ref16 : PART_LIMITS.gsm7.ref8;
  const parts: Buffer[] = [];
  let start = 0;
  let i = 0;
  while (i < n) {
    // Characters are 1 septet, or 2 for ESC + next byte; walk them so pairs are found from the start.
    const width = (body[i]! & 0x7f) === GSM7_ESCAPE && i + 1 < n ? 2 : 1;
    if (i + width - start > perPart) {
      parts.push(body.subarray(start, i));
      start = i;
    }
    i += width;
  }
  parts.push(body.subarray(start, n));
  return parts;
}

function splitUcs2Bytes(body: Buffer, refBits: 8 | 16): Buffer[] {
  const n = body.length;
  if (n <= 2 * PART_LIMITS.ucs2.single) return [body];
  const perPart = 2 * (refBits === 16 ? PART_LIMITS.ucs2.ref16 : PART_LIMITS.ucs2.ref8);
  const parts: Buffer[] = [];
  let start = 0;
  while (n - start > perPart) {
    let end = start + perPart;
    if (isHighSurrogateAt(body, end >>> 1)) end -= 2;
    parts.push(body.subarray(start, end));
    start = end;
  }
  parts.push(body.subarray(start, n));
  return parts;
}

/** SMPP SAR TLV values for a part (sar_msg_ref_num u16, sar_total_segments u8, sar_segment_seqnum u8). */
export interface SarInfo {
  sarMsgRefNum: number;
  sarTotalSegments: number;
  sarSegmentSeqnum: number;
}

/** SAR values for a concat part; an 8-bit ref maps to the same number. Throws EncodeError when out of range. */
export function sarFromConcat(info: ConcatInfo): SarInfo {
  if (!isValidConcat(info)) {
    throw new EncodeError(`bad concat ref ${info.ref}/${info.refBits} total ${info.total} seq ${info.seq}`);
  }
  return { sarMsgRefNum: info.ref, sarTotalSegments: info.total, sarSegmentSeqnum: info.seq };
}

/**
 * Concat info from received SAR TLVs, or null when they are not a usable part (ref outside u16, total 0,
 * seq 0 or above total), which a receiver treats as a single message. `refBits` defaults to 16 (SAR refs are u16).
 * Never throws.
 */
export function concatFromSar(ref: number, total: number, seq: number, refBits: 8 | 16 = 16): ConcatInfo | null {
  const info: ConcatInfo = { ref, total, seq, refBits };
  return isValidConcat(info) ? info : null;
}

/** Smallest reference width that can carry `ref` (8 bits saves one octet per part). */
export function refBitsFor(ref: number): 8 | 16 {
  return ref >= 0 && ref <= 0xff ? 8 : 16;
}
