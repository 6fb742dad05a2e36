import { EncodeError } from '../wire/errors';
import { gsm7Decode, gsm7Encode, unpackSeptets } from '../wire/gsm7';
import { latin1Decode, latin1Encode } from '../wire/latin1';
import { decodeText, encodingForDataCoding } from '../wire/text';
import { parseUdh, type ConcatInfo } from '../wire/udh';
import { parseXser, xserDcs, xserUdh, type XserItem } from './xser';

/**
 * Message content by MT (ucp.md section 5):
 *   MT 2 NMsg: digits as they are;
 *   MT 3 AMsg: one GSM 03.38 code per character (unpacked), two hex digits each, extension chars as `1B xx`
 *              (some SCs expect IRA/Latin-1 codes instead: `alphabet: 'latin1'`, a per-connection choice);
 *   MT 4 TMsg: octets as hex, NB = octets x 8, the coding from XSer 02 (or DCs).
 */
export type AMsgAlphabet = 'gsm7' | 'latin1';

export function encodeAMsg(text: string, alphabet: AMsgAlphabet = 'gsm7'): string {
  const bytes = alphabet === 'gsm7' ? gsm7Encode(text) : latin1Encode(text);
  return bytes.toString('hex').toUpperCase();
}

/** Decodes AMsg hex; odd or non-hex input decodes what is readable (Buffer.from stops at the first bad pair). */
export function decodeAMsg(hex: string, alphabet: AMsgAlphabet = 'gsm7'): string {
  const bytes = Buffer.from(hex, 'hex');
  return alphabet === 'gsm7' ? gsm7Decode(bytes) : latin1Decode(bytes);
}

export function encodeNMsg(digits: string): string {
  if (!/^\d*$/.test(digits)) throw new EncodeError('NMsg (MT 2) carries digits only');
  return digits;
}

export function encodeTMsg(bytes: Buffer): { nb: string; msg: string } {
  const bits = bytes.length * 8;
  if (bits > 9999) throw new EncodeError('TMsg longer than NB can express');
  return { nb: String(bits).padStart(4, '0'), msg: bytes.toString('hex').toUpperCase() };
}

/** TMsg octets; when NB is given and shorter than the hex, the data is cut to NB bits rounded up to octets. */
export function decodeTMsg(msg: string, nb: string): Buffer {
  const bytes = Buffer.from(msg, 'hex');
  if (nb === '' || !/^\d+$/.test(nb)) return bytes;
  const octets = Math.ceil(Number(nb) / 8);
  return octets < bytes.length ? bytes.subarray(0, octets) : bytes;
}

/** Typed view of a 01/5x message. */
export interface UcpContent {
  /** 'numeric' MT 2, 'gsm7'/'latin1' MT 3, or for MT 4 the coding named by the DCS. */
  readonly encoding: 'numeric' | 'gsm7' | 'latin1' | 'ucs2' | 'binary' | 'none';
  /** Text when the content is text (MT 2, MT 3, MT 4 with a text DCS). */
  readonly text?: string;
  /** Raw octets for MT 4 (without UDH). */
  readonly bytes?: Buffer;
  readonly udh?: Buffer;
  readonly concat?: ConcatInfo;
  /** GSM DCS from XSer 02 when present. */
  readonly dcs?: number;
  readonly xser: readonly XserItem[];
}

export interface ContentFields {
  readonly mt: string;
  readonly msg: string;
  readonly nb?: string;
  readonly xser?: string;
  readonly dcs?: string;
}

/** Decodes the message of an operation. Never throws: malformed XSer is treated as absent. */
export function contentOf(f: ContentFields, alphabet: AMsgAlphabet = 'gsm7'): UcpContent {
  const parsed = parseXser(f.xser ?? '');
  const xser = parsed.ok ? parsed.items : [];
  const udh = xserUdh(xser);
  const dcs = xserDcs(xser);
  let concat: ConcatInfo | undefined;
  if (udh) {
    const u = parseUdh(udh);
    if (u.ok) concat = u.udh.concat;
  }
  const base = { xser, ...(udh ? { udh } : {}), ...(concat ? { concat } : {}), ...(dcs !== undefined ? { dcs } : {}) };
  switch (f.mt) {
    case '2':
      return { ...base, encoding: 'numeric', text: f.msg };
    case '3':
      return { ...base, encoding: alphabet, text: decodeAMsg(f.msg, alphabet) };
    case '4': {
      const bytes = decodeTMsg(f.msg, f.nb ?? '');
      // Without XSer 02, DCs 1 means 8-bit data (ucp.md field 24); otherwise binary is the safe reading.
      const coding = dcs !== undefined ? encodingForDataCoding(dcs) : 'binary';
      if (coding === 'gsm7') {
        // 7-bit data in TMsg is packed; NB counts its bits (septets x 7), so it says how many septets there are.
        const bits = f.nb && /^\d+$/.test(f.nb) ? Number(f.nb) : bytes.length * 8;
        return { ...base, encoding: coding, bytes, text: gsm7Decode(unpackSeptets(bytes, Math.floor(bits / 7))) };
      }
      if (coding === 'ucs2' || coding === 'latin1') {
        return { ...base, encoding: coding, bytes, text: decodeText(bytes, dcs ?? 0) };
      }
      return { ...base, encoding: 'binary', bytes };
    }
    default:
      return { ...base, encoding: 'none' };
  }
}
