/**
 * GSM 03.38 / 3GPP 23.038 default alphabet and its extension table (single shift via ESC 0x1B).
 *
 * Septets here are "unpacked" (one per byte, 0x00-0x7F), as SMPP and UCP MT 3 carry them; packSeptets/unpackSeptets
 * convert to and from the packed 7-bit form of the air interface (and of UCP alphanumeric addresses).
 *
 * Decoding choices (3GPP 23.038 §6.2.1.1 and the note on 0x1B):
 * - ESC followed by a code with no extension symbol decodes as that code's default-table character.
 * - ESC ESC (reserved for a further extension table) and a trailing lone ESC decode as a space, as the spec tells a
 *   receiver to display a space for the reserved escape.
 * - Bytes above 0x7F are masked to 7 bits. No decoder here throws for any Buffer.
 * Encoding: 'ç' is accepted as 0x09 (23.038 shows Ç there, older tables ç); it decodes as 'Ç'.
 */
import { BoundsError } from './errors';

export const GSM7_ESCAPE = 0x1b;

/** Default alphabet, index = septet. Index 0x1B (ESC) is a placeholder: it is never a character on its own. */
const DEFAULT_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: septet after ESC -> character. */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/** Every character the encoder accepts, in table order; used by tests and generators. */
export const GSM7_DEFAULT_CHARS: readonly string[] = [...DEFAULT_TABLE].filter((_, i) => i !== GSM7_ESCAPE);
export const GSM7_EXTENSION_CHARS: readonly string[] = EXTENSION.map(([, ch]) => ch);

/**
 * UTF-16 code unit -> septet (0x00-0x7F), extension char -> 0x100 | code, unrepresentable -> -1.
 * A flat table: one indexed load per character on the hot path.
 */
const ENCODE = new Int16Array(0x10000).fill(-1);
/** Septet -> UTF-16 code unit, default table. */
const DECODE_DEFAULT = new Uint16Array(128);
/** Septet after ESC -> UTF-16 code unit (falls back to the default table per 23.038). */
const DECODE_EXTENSION = new Uint16Array(128);

for (let i = 0; i < 128; i++) {
  const cu = DEFAULT_TABLE.charCodeAt(i);
  DECODE_DEFAULT[i] = i === GSM7_ESCAPE ? 0x20 : cu;
  if (i !== GSM7_ESCAPE) ENCODE[cu] = i;
}
ENCODE['ç'.charCodeAt(0)] = 0x09;
DECODE_EXTENSION.set(DECODE_DEFAULT);
for (const [code, ch] of EXTENSION) {
  DECODE_EXTENSION[code] = ch.charCodeAt(0);
  ENCODE[ch.charCodeAt(0)] = 0x100 | code;
}
DECODE_EXTENSION[GSM7_ESCAPE] = 0x20;

/** True when every character is in the default or the extension table. */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (ENCODE[text.charCodeAt(i)]! < 0) return false;
  }
  return true;
}

/**
 * Septets needed to encode `text` (extension chars count 2). Unrepresentable characters count as the septets of the
 * default replacement '?' (1 per code point), matching what gsm7Encode produces without options.
 */
export function gsm7SeptetCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    const v = ENCODE[cu]!;
    if (v >= 0x100) n += 2;
    else if (v >= 0) n += 1;
    else {
      n += 1;
      if (isHighSurrogate(cu) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    }
  }
  return n;
}

function isHighSurrogate(cu: number): boolean {
  return cu >= 0xd800 && cu <= 0xdbff;
}

function isLowSurrogate(cu: number): boolean {
  return cu >= 0xdc00 && cu <= 0xdfff;
}

/** Replacement septets: the replacement's own representable chars; anything else in it becomes '?'. */
function replacementSeptets(replacement: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < replacement.length; i++) {
    const cu = replacement.charCodeAt(i);
    const v = ENCODE[cu]!;
    if (v >= 0x100) out.push(GSM7_ESCAPE, v & 0x7f);
    else if (v >= 0) out.push(v);
    else {
      out.push(0x3f);
      if (isHighSurrogate(cu) && isLowSurrogate(replacement.charCodeAt(i + 1))) i++;
    }
  }
  return out;
}

const DEFAULT_REPLACEMENT = [0x3f];

/**
 * Scratch space for gsm7Encode: one pass into it, then one exact-size copy out, which measured about twice as fast as
 * counting first. Private and copied from before returning, so callers never see it; capped so one huge text cannot
 * pin a huge buffer.
 */
const SCRATCH_MAX = 64 * 1024;
let scratch = Buffer.allocUnsafe(1024);

function scratchFor(worst: number): Buffer {
  if (worst <= scratch.length) return scratch;
  if (worst <= SCRATCH_MAX) return (scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, worst * 2)));
  return Buffer.allocUnsafe(worst);
}

/** One pass into scratch; `rep` null means "give up on the first unrepresentable char" (returns undefined). */
function encodeSeptets(text: string, rep: readonly number[] | null): Buffer | undefined {
  const buf = scratchFor(text.length * Math.max(2, rep === null ? 0 : rep.length));
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    const v = ENCODE[cu]!;
    if (v >= 0x100) {
      buf[o++] = GSM7_ESCAPE;
      buf[o++] = v & 0x7f;
    } else if (v >= 0) {
      buf[o++] = v;
    } else {
      if (rep === null) return undefined;
      for (let k = 0; k < rep.length; k++) buf[o++] = rep[k]!;
      if (isHighSurrogate(cu) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    }
  }
  const out = Buffer.allocUnsafe(o);
  buf.copy(out, 0, 0, o);
  return out;
}

/**
 * Unpacked septets, one per byte; extension chars as ESC + code. Each unrepresentable code point (a surrogate pair is
 * one code point) becomes `opts.replacement` (default '?'; '' drops it). Never throws for a string.
 */
export function gsm7Encode(text: string, opts?: { replacement?: string }): Buffer {
  const rep = opts?.replacement === undefined ? DEFAULT_REPLACEMENT : replacementSeptets(opts.replacement);
  return encodeSeptets(text, rep)!;
}

/** Unpacked septets when every char is representable, else undefined: isGsm7 and gsm7Encode in one pass. */
export function gsm7EncodeIfRepresentable(text: string): Buffer | undefined {
  return encodeSeptets(text, null);
}

/** Decodes unpacked septets (see the module comment for ESC and high-bit handling). Never throws. */
export function gsm7Decode(septets: Buffer): string {
  const len = septets.length;
  if (len === 0) return '';
  // Build UTF-16LE directly: one allocation, one native toString, no per-char string concatenation.
  const out = Buffer.allocUnsafe(len * 2);
  let o = 0;
  for (let i = 0; i < len; i++) {
    let s = septets[i]! & 0x7f;
    let cu: number;
    if (s === GSM7_ESCAPE) {
      if (i + 1 < len) {
        s = septets[++i]! & 0x7f;
        cu = DECODE_EXTENSION[s]!;
      } else {
        cu = 0x20;
      }
    } else {
      cu = DECODE_DEFAULT[s]!;
    }
    out[o++] = cu & 0xff;
    out[o++] = cu >>> 8;
  }
  return out.toString('utf16le', 0, o);
}

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 7) {
    throw new BoundsError(`fill bits must be 0-7, got ${fillBits}`);
  }
}

/**
 * Packs septets LSB first (septet i at bit offset fillBits + 7·i), as GSM 03.38 / 23.038 §6.1.2.1.1.
 * Output is ceil((fillBits + 7·n) / 8) octets; fill bits are zero. Bytes above 0x7F are masked to 7 bits.
 * Throws BoundsError only for fillBits outside 0-7 (a caller bug, not data).
 */
export function packSeptets(septets: Buffer, fillBits = 0): Buffer {
  checkFillBits(fillBits);
  const n = septets.length;
  const out = Buffer.allocUnsafe((fillBits + 7 * n + 7) >>> 3);
  // Bit accumulator: never holds more than 14 bits, and every output byte is written exactly once.
  let acc = 0;
  let bits = fillBits;
  let o = 0;
  for (let i = 0; i < n; i++) {
    acc |= (septets[i]! & 0x7f) << bits;
    bits += 7;
    if (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[o] = acc & 0xff;
  return out;
}

/**
 * Unpacks `count` septets starting at bit offset fillBits. If `packed` holds fewer, returns as many as fit
 * (never throws for data); throws BoundsError only for fillBits outside 0-7 or a negative/non-integer count.
 */
export function unpackSeptets(packed: Buffer, count: number, fillBits = 0): Buffer {
  checkFillBits(fillBits);
  if (!Number.isInteger(count) || count < 0) throw new BoundsError(`bad septet count ${count}`);
  const avail = Math.max(0, Math.floor((packed.length * 8 - fillBits) / 7));
  const n = Math.min(count, avail);
  const out = Buffer.allocUnsafe(n);
  let bit = fillBits;
  for (let i = 0; i < n; i++) {
    const byte = bit >>> 3;
    const shift = bit & 7;
    let v = packed[byte]! >>> shift;
    if (shift > 1) v |= packed[byte + 1]! << (8 - shift);
    out[i] = v & 0x7f;
    bit += 7;
  }
  return out;
}

/** Packed GSM text: septets and the packed octets (e.g. UCP alphanumeric OAdC, GSM TPDU user data). */
export function gsm7PackText(text: string, opts?: { replacement?: string; fillBits?: number }): {
  packed: Buffer;
  septets: number;
} {
  const septets = gsm7Encode(text, opts);
  return { packed: packSeptets(septets, opts?.fillBits ?? 0), septets: septets.length };
}

/** Decodes `count` packed septets to text. Never throws for data (see unpackSeptets). */
export function gsm7UnpackText(packed: Buffer, count: number, fillBits = 0): string {
  return gsm7Decode(unpackSeptets(packed, count, fillBits));
}

/** Useful semi-octets for `septets` packed septets (UCP alphanumeric address length): ceil(7·n / 4). */
export function semiOctetsForSeptets(septets: number): number {
  return Math.ceil((7 * septets) / 4);
}

/** Septets carried by `semiOctets` useful semi-octets (UCP alphanumeric address): floor(4·s / 7). */
export function septetsForSemiOctets(semiOctets: number): number {
  return Math.floor((4 * semiOctets) / 7);
}
