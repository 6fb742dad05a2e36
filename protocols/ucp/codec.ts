import { EncodeError, PduDecodeError } from '../wire/errors';
import { ETX, STX, isKnownOt, resultHasMvp, type UcpGenericOt, type UcpOt } from './constants';
import type { Ucp5xOperation, UcpGenericOperation, UcpHeader, UcpOperation, UcpPdu, UcpResult } from './pdu';
import { FIELDS_01, FIELDS_31, FIELDS_5X, FIELDS_60, FIELDS_61, fieldCountFor, fieldFits, type FieldSpec, type Fields5x } from './schema';

/**
 * Pure UCP codec. A frame is the whole `STX ... ETX` as the framer returns it. Decoding never throws: a frame
 * whose header (TRN, O/R, OT) is readable yields `{ok:false, error, header}` so the session can NACK it with
 * `error.status` (EC); without a readable header `header` is null and the stream is no longer trustworthy.
 */
export type UcpDecodeResult =
  | { ok: true; pdu: UcpPdu }
  | { ok: false; error: PduDecodeError<string>; header: UcpHeader | null };

export interface UcpDecodeOptions {
  /**
   * Fields beyond the OT's fixed count: 'reject' (default) answers EC 02 as Protocol::EMIUCP does; 'ignore' drops
   * them as Kannel does (the round trip is then not byte-identical). 'ignore' also reads a result with trailing
   * fields past `A/MVP/SM` or `N/EC/SM` by its leading fields.
   */
  extraFields?: 'reject' | 'ignore';
}

// Module-level copies: a bundler's live import bindings (tsx, esbuild) are getters, costly per field on the hot path.
const T5X: readonly FieldSpec[] = FIELDS_5X;
const fits = fieldFits;
const STX_ = STX;
const ETX_ = ETX;

const TABLES: Readonly<Record<string, readonly FieldSpec[]>> = {
  '01': FIELDS_01,
  '31': FIELDS_31,
  '51': FIELDS_5X,
  '52': FIELDS_5X,
  '53': FIELDS_5X,
  '60': FIELDS_60,
  '61': FIELDS_61,
};

function fail(status: string, message: string, header: UcpHeader | null): UcpDecodeResult {
  return { ok: false, error: new PduDecodeError<string>(status, message), header };
}

function isDigits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

// Slash offsets of the frame being decoded: decoding is synchronous, so one growable scratch array serves all.
let slashAt = new Int32Array(256);

export function decodeUcp(frame: Buffer, opts?: UcpDecodeOptions): UcpDecodeResult {
  const n = frame.length;
  if (n < 2 || frame[0] !== STX_ || frame[n - 1] !== ETX_) return fail('02', 'not an STX...ETX frame', null);
  // One pass over the checksummed bytes (first TRN char through the '/' before CK): sum and field boundaries.
  const ckAt = n - 3;
  let sum = 0;
  let ns = 0;
  for (let i = 1; i < ckAt; i++) {
    const c = frame[i]!;
    sum += c;
    if (c === 0x2f) {
      if (ns === slashAt.length) {
        const grown = new Int32Array(ns * 2);
        grown.set(slashAt);
        slashAt = grown;
      }
      slashAt[ns++] = i;
    }
  }
  if (ns < 4) return fail('02', 'too few header fields', null);
  const text = frame.toString('latin1', 1, ckAt);
  // parts[k] is the text before the k-th '/': TRN, LEN, O|R, OT, then the fields.
  const parts: string[] = new Array<string>(ns);
  let from = 0;
  for (let k = 0; k < ns; k++) {
    const to = slashAt[k]! - 1;
    parts[k] = to === from ? '' : text.substring(from, to);
    from = to + 1;
  }
  const trnS = parts[0]!;
  const kind = parts[2]!;
  const ot = parts[3]!;
  if (!isDigits(trnS, 2) || (kind !== 'O' && kind !== 'R') || !isDigits(ot, 2)) {
    return fail('02', 'unreadable header', null);
  }
  const header: UcpHeader = { trn: (trnS.charCodeAt(0) - 48) * 10 + (trnS.charCodeAt(1) - 48), kind, ot };

  // CK is exactly two hex digits right after the last '/'.
  const hi = slashAt[ns - 1] === ckAt - 1 ? hexVal(frame[ckAt]!) : -1;
  const lo = hi >= 0 ? hexVal(frame[ckAt + 1]!) : -1;
  if (hi < 0 || lo < 0) return fail('01', 'checksum is not two hex digits', header);
  if ((sum & 0xff) !== hi * 16 + lo) return fail('01', 'checksum mismatch', header);
  const lenS = parts[1]!;
  if (!isDigits(lenS, 5) || Number(lenS) !== n - 2) return fail('02', 'LEN does not match the frame', header);

  if (kind === 'R') return decodeResult(parts, 4, ns, header, opts?.extraFields === 'ignore');
  if (!isKnownOt(ot)) return fail('03', `operation ${ot} not supported`, header);
  return decodeOperation(ot, parts, 4, ns, header, opts?.extraFields ?? 'reject');
}

function decodeOperation(
  ot: UcpOt,
  parts: string[],
  start: number,
  end: number,
  header: UcpHeader,
  extra: 'reject' | 'ignore',
): UcpDecodeResult {
  let count = end - start;
  const want = fieldCountFor(ot);
  if (want !== undefined) {
    if (count < want) return fail('02', `OT ${ot} needs ${want} fields, got ${count}`, header);
    if (count > want) {
      if (extra === 'reject') return fail('02', `OT ${ot} has ${count} fields, expected ${want}`, header);
      count = want;
    }
  }
  const table = TABLES[ot];
  if (!table) {
    const fields = parts.slice(start, start + count);
    const generic: UcpGenericOperation = { kind: 'O', ot: ot as UcpGenericOt, trn: header.trn, fields };
    return { ok: true, pdu: generic };
  }
  for (let i = 0; i < table.length; i++) {
    const spec = table[i]!;
    if (!fits(spec, parts[start + i]!)) return fail(spec.ec, `field ${spec.name} is malformed`, header);
  }
  let pdu: UcpOperation;
  if (table === T5X) {
    pdu = build5x(ot as '51' | '52' | '53', header.trn, parts, start);
    const bad = checkMessage(pdu.mt, pdu.msg, pdu.nb);
    if (bad) return fail(bad, 'message field does not match MT', header);
    return { ok: true, pdu };
  }
  const o: Record<string, string | number> = { kind: 'O', ot, trn: header.trn };
  for (let i = 0; i < table.length; i++) o[table[i]!.name] = parts[start + i]!;
  pdu = o as unknown as UcpOperation;
  if (pdu.ot === '01') {
    // 01 carries NMsg or AMsg only (ucp.md section 9): MT 4 has no NB field here to size it.
    const bad = pdu.mt === '4' ? '23' : checkMessage(pdu.mt, pdu.msg, '');
    if (bad) return fail(bad, 'message field does not match MT', header);
  }
  return { ok: true, pdu };
}

/**
 * The 5x layout written out (hot path): one object shape for every 51/52/53 instead of 33 keyed stores.
 * The field order is FIELDS_5X's; the codec tests check both against every fixture.
 */
function build5x(ot: '51' | '52' | '53', trn: number, p: string[], i: number): Ucp5xOperation {
  return {
    kind: 'O', ot, trn,
    adc: p[i]!, oadc: p[i + 1]!, ac: p[i + 2]!, nrq: p[i + 3]!, nadc: p[i + 4]!, nt: p[i + 5]!, npid: p[i + 6]!,
    lrq: p[i + 7]!, lrad: p[i + 8]!, lpid: p[i + 9]!, dd: p[i + 10]!, ddt: p[i + 11]!, vp: p[i + 12]!,
    rpid: p[i + 13]!, scts: p[i + 14]!, dst: p[i + 15]!, rsn: p[i + 16]!, dscts: p[i + 17]!, mt: p[i + 18]!,
    nb: p[i + 19]!, msg: p[i + 20]!, mms: p[i + 21]!, pr: p[i + 22]!, dcs: p[i + 23]!, mcls: p[i + 24]!,
    rpi: p[i + 25]!, cpg: p[i + 26]!, rply: p[i + 27]!, otoa: p[i + 28]!, hplmn: p[i + 29]!, xser: p[i + 30]!,
    res4: p[i + 31]!, res5: p[i + 32]!,
  };
}

/** EC for a Msg that does not fit its MT, or undefined when it fits. */
function checkMessage(mt: string, msg: string, nb: string): string | undefined {
  if (mt === '') return msg === '' ? undefined : '02';
  if (mt === '2') {
    for (let i = 0; i < msg.length; i++) {
      const c = msg.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return '02';
    }
    return undefined;
  }
  if (mt === '3' || mt === '4') {
    if ((msg.length & 1) !== 0) return '02';
    for (let i = 0; i < msg.length; i++) if (hexVal(msg.charCodeAt(i)) < 0) return '02';
    if (mt === '4' && nb !== '' && Number(nb) > msg.length * 4) return '02';
    return undefined;
  }
  return '23';
}

function decodeResult(parts: string[], start: number, end: number, header: UcpHeader, lenient: boolean): UcpDecodeResult {
  // Results for any OT decode (A/SM layout for OTs not tabled), so a NACK 03 to an OT we never send still reads.
  const ot = header.ot;
  const an = parts[start];
  const full = an === 'A' && !resultHasMvp(ot) ? 2 : 3;
  // A lenient reader takes the leading fields of an over-long result: the answer is what counts, not the padding.
  const count = lenient && end - start > full ? full : end - start;
  let pdu: UcpResult;
  if (an === 'A') {
    if (resultHasMvp(ot)) {
      // Some SCs send `A/SM/` for 5x too: read it as an empty MVP.
      if (count === 3) pdu = { kind: 'R', ot, trn: header.trn, result: { ack: true, mvp: parts[start + 1]!, sm: parts[start + 2]! } };
      else if (count === 2) pdu = { kind: 'R', ot, trn: header.trn, result: { ack: true, mvp: '', sm: parts[start + 1]! } };
      else return fail('02', 'positive result needs A/MVP/SM', header);
    } else {
      if (count !== 2) return fail('02', 'positive result needs A/SM', header);
      pdu = { kind: 'R', ot, trn: header.trn, result: { ack: true, sm: parts[start + 1]! } };
    }
  } else if (an === 'N') {
    const ec = parts[start + 1] ?? '';
    if (!isDigits(ec, 2)) return fail('02', 'negative result without a two-digit EC', header);
    if (count === 3) pdu = { kind: 'R', ot, trn: header.trn, result: { ack: false, ec, sm: parts[start + 2]! } };
    else if (count === 2) pdu = { kind: 'R', ot, trn: header.trn, result: { ack: false, ec, sm: '' } };
    else return fail('02', 'negative result needs N/EC/SM', header);
  } else {
    return fail('02', 'result is neither A nor N', header);
  }
  return { ok: true, pdu };
}

// ---------------------------------------------------------------------------------------------- encoding

const HEX = '0123456789ABCDEF';
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);
const TRN2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
// Latin-1 write would silently keep only the low byte of these.
const NON_LATIN1 = /[\u0100-\uffff]/;

function pad5(n: number): string {
  const s = String(n);
  return s.length >= 5 ? s : '00000'.slice(s.length) + s;
}

/** A field value: missing counts as empty; anything but a string is a caller bug. */
function str(v: unknown, name: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  throw new EncodeError(`field ${name} must be a string`);
}

/**
 * The fields part of a frame (after `O|R/OT/`), each followed by '/', and how many fields it has. Field values
 * are not searched for '/' here: encodeUcp counts the slashes of the whole frame once instead.
 */
function fieldsOf(pdu: UcpPdu | Omit<UcpOperation, 'trn'>): { text: string; count: number } {
  if (pdu.kind === 'R') {
    const r = pdu.result;
    if (r.ack) {
      if (resultHasMvp(pdu.ot)) return { text: 'A/' + str(r.mvp, 'mvp') + '/' + str(r.sm, 'sm') + '/', count: 3 };
      return { text: 'A/' + str(r.sm, 'sm') + '/', count: 2 };
    }
    if (typeof r.ec !== 'string' || !isDigits(r.ec, 2)) throw new EncodeError('EC must be two digits');
    return { text: 'N/' + r.ec + '/' + str(r.sm, 'sm') + '/', count: 3 };
  }
  const table = TABLES[pdu.ot];
  if (table === T5X) return { text: fields5x(pdu as unknown as Fields5x), count: 33 };
  let text = '';
  if (!table) {
    const fields = (pdu as { fields?: readonly string[] }).fields;
    if (!Array.isArray(fields)) throw new EncodeError(`OT ${pdu.ot} needs a fields array`);
    for (let i = 0; i < fields.length; i++) text += str(fields[i], `fields[${i}]`) + '/';
    return { text, count: fields.length };
  }
  const rec = pdu as unknown as Record<string, unknown>;
  for (let i = 0; i < table.length; i++) {
    const name = table[i]!.name;
    text += str(rec[name], name) + '/';
  }
  return { text, count: table.length };
}

/** The 5x layout written out (hot path), in FIELDS_5X order; one join makes a flat string (no rope of 66 parts). */
function fields5x(p: Fields5x): string {
  return [
    str(p.adc, 'adc'), str(p.oadc, 'oadc'), str(p.ac, 'ac'), str(p.nrq, 'nrq'), str(p.nadc, 'nadc'), str(p.nt, 'nt'),
    str(p.npid, 'npid'), str(p.lrq, 'lrq'), str(p.lrad, 'lrad'), str(p.lpid, 'lpid'), str(p.dd, 'dd'), str(p.ddt, 'ddt'),
    str(p.vp, 'vp'), str(p.rpid, 'rpid'), str(p.scts, 'scts'), str(p.dst, 'dst'), str(p.rsn, 'rsn'), str(p.dscts, 'dscts'),
    str(p.mt, 'mt'), str(p.nb, 'nb'), str(p.msg, 'msg'), str(p.mms, 'mms'), str(p.pr, 'pr'), str(p.dcs, 'dcs'),
    str(p.mcls, 'mcls'), str(p.rpi, 'rpi'), str(p.cpg, 'cpg'), str(p.rply, 'rply'), str(p.otoa, 'otoa'),
    str(p.hplmn, 'hplmn'), str(p.xser, 'xser'), str(p.res4, 'res4'), str(p.res5, 'res5'), '',
  ].join('/');
}

/**
 * Encodes a PDU into a whole frame; LEN and CK are always computed. `trnOverride` lets a session number an
 * operation without copying it. Throws EncodeError on unframable input: a '/', control character or
 * non-Latin-1 character in a field, a TRN outside 00-99, an unknown OT.
 */
export function encodeUcp(pdu: UcpPdu | Omit<UcpOperation, 'trn'>, trnOverride?: number): Buffer {
  const trn = trnOverride ?? (pdu as { trn?: number }).trn;
  if (trn === undefined || !Number.isInteger(trn) || trn < 0 || trn > 99) throw new EncodeError(`TRN out of range: ${trn}`);
  if (pdu.kind === 'R' ? !isDigits(pdu.ot, 2) : !isKnownOt(pdu.ot)) throw new EncodeError(`bad OT ${String(pdu.ot)}`);
  const fields = fieldsOf(pdu);
  const len = fields.text.length + 16; // TRN(2) '/' LEN(5) '/' O|R '/' OT(2) '/' fields CK(2)
  if (len > 99_999) throw new EncodeError('frame longer than LEN can express');
  const text = TRN2[trn]! + '/' + pad5(len) + '/' + pdu.kind + '/' + pdu.ot + '/' + fields.text;
  if (NON_LATIN1.test(text)) throw new EncodeError('a field holds a non-Latin-1 character');
  const buf = Buffer.allocUnsafe(len + 2);
  buf[0] = STX_;
  buf.write(text, 1, 'latin1');
  let sum = 0;
  let slashes = 0;
  let control = false;
  const end = 1 + text.length;
  for (let i = 1; i < end; i++) {
    const c = buf[i]!;
    sum += c;
    if (c === 0x2f) slashes++;
    else if (c < 0x20) control = true;
  }
  if (control) throw new EncodeError('a field holds a control character');
  if (slashes !== 4 + fields.count) throw new EncodeError("a field holds '/'");
  const ck = HEX2[sum & 0xff]!;
  buf[end] = ck.charCodeAt(0);
  buf[end + 1] = ck.charCodeAt(1);
  buf[end + 2] = ETX_;
  return buf;
}

/** The EC a NACK should carry for a failed decode, or null when the frame cannot be answered (fatal). */
export function nackFor(r: UcpDecodeResult): { header: UcpHeader; ec: string } | null {
  if (r.ok || !r.header || r.header.kind !== 'O') return null;
  return { header: r.header, ec: r.error.status };
}
