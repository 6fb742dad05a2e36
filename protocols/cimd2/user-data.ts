/**
 * CIMD2 user data (033) text: GSM 03.38 characters written in printable ASCII with `_XY` combinations for the
 * characters ASCII lacks, and `_XX` + the base representation for extension characters (cimd2.md §6).
 * Binary user data (034) and the user data header (032) are hex.
 */

// GSM 03.38 default alphabet, index = GSM code. 0x1B (ESC) is '\x1b' here and never produced by decode.
const GSM_DEFAULT =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: GSM code after ESC -> character. */
const GSM_EXTENSION: ReadonlyArray<[number, string]> = [
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

/** `_XY` combinations: GSM code -> the two characters after `_`. */
const COMBINATIONS: ReadonlyArray<[number, string]> = [
  [0x00, 'Oa'], [0x01, 'L-'], [0x03, 'Y-'], [0x04, 'e`'], [0x05, "e'"], [0x06, 'u`'], [0x07, 'i`'], [0x08, 'o`'],
  [0x09, 'C,'], [0x0b, 'O/'], [0x0c, 'o/'], [0x0e, 'A*'], [0x0f, 'a*'], [0x10, 'gd'], [0x11, '--'], [0x12, 'gf'],
  [0x13, 'gg'], [0x14, 'gl'], [0x15, 'go'], [0x16, 'gp'], [0x17, 'gi'], [0x18, 'gs'], [0x19, 'gt'], [0x1a, 'gx'],
  [0x1b, 'XX'], [0x1c, 'AE'], [0x1d, 'ae'], [0x1e, 'ss'], [0x1f, "E'"], [0x22, 'qq'], [0x24, 'ox'], [0x40, '!!'],
  [0x5b, 'A"'], [0x5c, 'O"'], [0x5d, 'N~'], [0x5e, 'U"'], [0x5f, 'so'], [0x60, '??'], [0x7b, 'a"'], [0x7c, 'o"'],
  [0x7d, 'n~'], [0x7e, 'u"'], [0x7f, 'a`'],
];

const ESC = 0x1b;

/** Unicode char -> GSM default code. '$' is 0x02; literal ASCII '@' is 0x00. */
const CHAR_TO_GSM = new Map<string, number>();
for (let i = 0; i < GSM_DEFAULT.length; i++) if (i !== ESC) CHAR_TO_GSM.set(GSM_DEFAULT[i]!, i);
const CHAR_TO_EXT = new Map<string, number>(GSM_EXTENSION.map(([c, ch]) => [ch, c]));
const EXT_TO_CHAR = new Map<number, string>(GSM_EXTENSION);
const GSM_TO_COMBO = new Map<number, string>(COMBINATIONS);
const COMBO_TO_GSM = new Map<string, number>(COMBINATIONS.map(([c, s]) => [s, c]));
// Wireshark's table has `_n"` for ü (apparent typo): accept it on decode.
COMBO_TO_GSM.set('n"', 0x7e);

/** Wire representation of one GSM default code. */
function representCode(code: number): string {
  const combo = GSM_TO_COMBO.get(code);
  if (combo !== undefined) return '_' + combo;
  return GSM_DEFAULT[code]!;
}

/** Precomputed representation of every encodable character. */
const ENCODE_TABLE = new Map<string, string>();
for (const [ch, code] of CHAR_TO_GSM) ENCODE_TABLE.set(ch, representCode(code));
for (const [ch, code] of CHAR_TO_EXT) ENCODE_TABLE.set(ch, '_XX' + representCode(code));

/** True when every character of `text` is in the GSM default or extension table. */
export function isCimd2Text(text: string): boolean {
  for (const ch of text) if (!ENCODE_TABLE.has(ch)) return false;
  return true;
}

/** GSM septets `text` occupies (extension characters count 2). Unrepresentable characters count 1 (as '?'). */
export function septetCount(text: string): number {
  let n = 0;
  for (const ch of text) n += CHAR_TO_EXT.has(ch) ? 2 : 1;
  return n;
}

function isPlainAscii(c: number): boolean {
  // Letters, digits, space and the punctuation GSM shares with ASCII map to themselves.
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x20 ||
    (c >= 0x25 && c <= 0x2f) ||
    (c >= 0x3a && c <= 0x3f) ||
    c === 0x21 ||
    c === 0x23
  );
}

/**
 * Text -> 033 value. Prefers the `_XY` combinations (as Kannel does); characters outside GSM 03.38 become
 * `replacement` (default '?'): callers that must not lose characters check `isCimd2Text` and send UCS2 in 034.
 */
export function encodeUserData(text: string, replacement = '?'): string {
  let out = '';
  let runStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isPlainAscii(c)) continue;
    if (i > runStart) out += text.slice(runStart, i);
    let ch = text[i]!;
    // Surrogate pairs are never GSM: consume both halves for one replacement.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        ch = text.slice(i, i + 2);
        i++;
      }
    }
    out += ENCODE_TABLE.get(ch) ?? replacement;
    runStart = i + 1;
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

/** Reads one representation at `i`: returns [gsmCode, length] or undefined. */
function readCode(s: string, i: number): [number, number] | undefined {
  const ch = s[i];
  if (ch === undefined) return undefined;
  if (ch === '_' && i + 2 < s.length) {
    const code = COMBO_TO_GSM.get(s.slice(i + 1, i + 3));
    if (code !== undefined && code !== ESC) return [code, 3];
  }
  const code = CHAR_TO_GSM.get(ch);
  return code === undefined ? undefined : [code, 1];
}

/**
 * 033 value -> text. Accepts the `_XY` combinations, `_XX` extension sequences, and Latin-1 characters sent
 * directly. Unknown `_XY` combinations are kept literally (as Kannel does). Never throws.
 */
export function decodeUserData(value: string): string {
  if (value.indexOf('_') < 0) return value;
  let out = '';
  let i = 0;
  const n = value.length;
  while (i < n) {
    const u = value.indexOf('_', i);
    if (u < 0) {
      out += value.slice(i);
      break;
    }
    if (u > i) out += value.slice(i, u);
    i = u;
    if (i + 2 >= n) {
      out += value.slice(i);
      break;
    }
    const pair = value.slice(i + 1, i + 3);
    if (pair === 'XX') {
      const next = readCode(value, i + 3);
      if (next) {
        // An escape followed by a code without an extension meaning decodes as the base character (GSM 03.38).
        out += EXT_TO_CHAR.get(next[0]) ?? GSM_DEFAULT[next[0]]!;
        i += 3 + next[1];
        continue;
      }
      out += '_';
      i += 1;
      continue;
    }
    const code = COMBO_TO_GSM.get(pair);
    if (code === undefined) {
      out += '_';
      i += 1;
      continue;
    }
    out += GSM_DEFAULT[code]!;
    i += 3;
  }
  return out;
}

/** Buffer -> uppercase hex for 032 / 034. */
export function toHex(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('hex').toUpperCase();
}

/** Hex (either case, validated by the codec) -> Buffer. */
export function fromHex(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

/** UTF-16BE bytes of `text` (for 034 with 030 = 8). */
export function ucs2Bytes(text: string): Buffer {
  const b = Buffer.from(text, 'utf16le');
  b.swap16();
  return b;
}

/** UTF-16BE bytes -> text; an odd trailing byte is ignored. */
export function ucs2Text(bytes: Buffer): string {
  const even = bytes.length & ~1;
  const b = Buffer.from(bytes.subarray(0, even));
  b.swap16();
  return b.toString('utf16le');
}
