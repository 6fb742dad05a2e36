import { EncodeError, PduDecodeError } from '../wire/errors';
import { COLON, ErrorCode, ETX, STX, TAB } from './constants';
import type { Cimd2Packet, Cimd2Param } from './packet';
import { errorCodeFor, isValidValue, PARAM_SPECS } from './params';

// Module-local copies: imported bindings are property reads on every use once compiled to CommonJS.
const COLON_B = COLON;
const ETX_B = ETX;
const STX_B = STX;
const TAB_B = TAB;

/**
 * Pure CIMD2 codec: `STX OO:NNN TAB {PPP:value TAB}* [CC] ETX`.
 * Decode failures say how the session should answer them:
 * - `header`: no readable `OO:NNN` header: nothing can be answered, the session treats it as a frame error;
 * - `checksum` / `no_etx` / `syntax`: transport-level reject, answered with 99 NACK carrying the packet number;
 * - `value`: a known parameter with a malformed or over-long value, answered with the op's response (+50) and 900.
 */
export type Cimd2DecodeFailureReason = 'header' | 'checksum' | 'no_etx' | 'syntax' | 'value';

export interface Cimd2DecodeFailure {
  ok: false;
  error: PduDecodeError<number>;
  reason: Cimd2DecodeFailureReason;
  /** Present unless reason is 'header'. */
  opCode?: number;
  packetNumber?: number;
  /** For 'value' failures: the packet as parsed, so the answer can echo what it needs. */
  packet?: Cimd2Packet;
}

export type Cimd2DecodeResult = { ok: true; pdu: Cimd2Packet; hasChecksum: boolean } | Cimd2DecodeFailure;

export interface EncodeOptions {
  /** Write the 2-hex-digit checksum before ETX (per link). Default true. */
  checksum?: boolean;
  /** Check values of known parameters against the schema (EncodeError when one fails). Default true. */
  validate?: boolean;
}

const HEX_UPPER = '0123456789ABCDEF';
const PAD3 = ['00', '0', ''];

function d(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Checksum = sum of bytes [from, to) mod 256. */
export function checksumOf(buf: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += buf[i]!;
  return sum & 0xff;
}

function isCode(code: string): boolean {
  return code.length === 3 && d(code.charCodeAt(0)) >= 0 && d(code.charCodeAt(1)) >= 0 && d(code.charCodeAt(2)) >= 0;
}

/** NUL, STX, ETX, TAB delimit frames; anything above 0xFF cannot be written as one byte. */
function checkValueBytes(v: string, code: string): void {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x03 || c === TAB_B || c > 0xff) throw new EncodeError(`parameter ${code}: character 0x${c.toString(16)} not allowed`);
  }
}

/** Encodes a packet. Deterministic: parameters in the given order; the input is not mutated. */
export function encodePacket(pkt: Cimd2Packet, opts: EncodeOptions = {}): Buffer {
  const { opCode, packetNumber } = pkt;
  if (!Number.isInteger(opCode) || opCode < 0 || opCode > 99) throw new EncodeError(`op code out of range: ${opCode}`);
  if (!Number.isInteger(packetNumber) || packetNumber < 0 || packetNumber > 999) {
    throw new EncodeError(`packet number out of range: ${packetNumber}`);
  }
  const validate = opts.validate !== false;
  const pn = String(packetNumber);
  let s = (opCode < 10 ? '\x020' : '\x02') + opCode + ':' + PAD3[pn.length - 1]! + pn + '\t';
  const ps = pkt.params;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (!isCode(p.code)) throw new EncodeError(`bad parameter code: ${JSON.stringify(p.code)}`);
    checkValueBytes(p.value, p.code);
    if (validate) {
      const spec = PARAM_SPECS.get(p.code);
      if (spec && !isValidValue(spec, p.value)) throw new EncodeError(`parameter ${p.code} (${spec.name}) invalid: ${JSON.stringify(p.value)}`);
    }
    s += p.code + ':' + p.value + '\t';
  }
  const len = s.length;
  const withSum = opts.checksum !== false;
  const buf = Buffer.allocUnsafe(len + (withSum ? 3 : 1));
  buf.write(s, 0, len, 'latin1');
  if (withSum) {
    const sum = checksumOf(buf, 0, len);
    buf[len] = HEX_UPPER.charCodeAt(sum >> 4);
    buf[len + 1] = HEX_UPPER.charCodeAt(sum & 0x0f);
    buf[len + 2] = ETX_B;
  } else {
    buf[len] = ETX_B;
  }
  return buf;
}

function fail(
  reason: Cimd2DecodeFailureReason,
  status: number,
  message: string,
  opCode?: number,
  packetNumber?: number,
  packet?: Cimd2Packet,
): Cimd2DecodeFailure {
  return { ok: false, error: new PduDecodeError<number>(status, message), reason, opCode, packetNumber, packet };
}

/**
 * Decodes one frame as the framer delivers it (STX first, normally ETX last). Never throws: every failure is a
 * typed result with the protocol status.
 */
export function decodePacket(frame: Buffer): Cimd2DecodeResult {
  const n = frame.length;
  if (n < 8 || frame[0] !== STX_B || frame[3] !== COLON_B || frame[7] !== TAB_B) {
    return fail('header', ErrorCode.SYNTAX_ERROR, 'no readable OO:NNN header');
  }
  const o1 = d(frame[1]!);
  const o2 = d(frame[2]!);
  const n1 = d(frame[4]!);
  const n2 = d(frame[5]!);
  const n3 = d(frame[6]!);
  if (o1 < 0 || o2 < 0 || n1 < 0 || n2 < 0 || n3 < 0) return fail('header', ErrorCode.SYNTAX_ERROR, 'header digits');
  const opCode = o1 * 10 + o2;
  const packetNumber = n1 * 100 + n2 * 10 + n3;

  if (frame[n - 1] !== ETX_B) return fail('no_etx', ErrorCode.SYNTAX_ERROR, 'frame without ETX', opCode, packetNumber);
  const etx = n - 1;
  // The parameter area ends after the last TAB: either right before ETX, or before the two checksum digits.
  let bodyEnd: number;
  let hasChecksum: boolean;
  if (frame[etx - 1] === TAB_B) {
    bodyEnd = etx;
    hasChecksum = false;
  } else if (etx - 3 >= 7 && frame[etx - 3] === TAB_B) {
    const h = hexVal(frame[etx - 2]!);
    const l = hexVal(frame[etx - 1]!);
    if (h < 0 || l < 0) return fail('syntax', ErrorCode.SYNTAX_ERROR, 'checksum is not hex', opCode, packetNumber);
    bodyEnd = etx - 2;
    hasChecksum = true;
    if (checksumOf(frame, 0, bodyEnd) !== ((h << 4) | l)) {
      return fail('checksum', ErrorCode.SYNTAX_ERROR, 'checksum mismatch', opCode, packetNumber);
    }
  } else {
    return fail('syntax', ErrorCode.SYNTAX_ERROR, 'bad trailer before ETX', opCode, packetNumber);
  }

  const params: Cimd2Param[] = [];
  let pos = 8;
  let invalid: string | undefined;
  while (pos < bodyEnd) {
    if (pos + 4 > bodyEnd || frame[pos + 3] !== COLON_B) {
      return fail('syntax', ErrorCode.SYNTAX_ERROR, `parameter at ${pos} without PPP:`, opCode, packetNumber);
    }
    const c1 = d(frame[pos]!);
    const c2 = d(frame[pos + 1]!);
    const c3 = d(frame[pos + 2]!);
    if (c1 < 0 || c2 < 0 || c3 < 0) return fail('syntax', ErrorCode.SYNTAX_ERROR, `parameter code at ${pos}`, opCode, packetNumber);
    const vStart = pos + 4;
    let tab = vStart;
    while (tab < bodyEnd) {
      const b = frame[tab]!;
      if (b === TAB_B) break;
      if (b === 0 || b === STX_B || b === ETX_B) return fail('syntax', ErrorCode.SYNTAX_ERROR, 'control byte in value', opCode, packetNumber);
      tab++;
    }
    // bodyEnd always follows a TAB, so the scan stops on one.
    const code = frame.toString('latin1', pos, pos + 3);
    const value = frame.toString('latin1', vStart, tab);
    if (invalid === undefined) {
      const spec = PARAM_SPECS.get(code);
      if (spec !== undefined && !isValidValue(spec, value)) invalid = code;
    }
    params.push({ code, value });
    pos = tab + 1;
  }
  const pdu: Cimd2Packet = { opCode, packetNumber, params };
  if (invalid !== undefined) {
    return fail('value', errorCodeFor(opCode, invalid), `parameter ${invalid} has an invalid value`, opCode, packetNumber, pdu);
  }
  return { ok: true, pdu, hasChecksum };
}
